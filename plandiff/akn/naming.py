"""Akoma Ntoso names: namespaces, FRBR identifiers, languages, point eIds and modification types.

Everything here is a pure function of the registry's facts, so the document writer and the
tests agree on each name (see the mapping in :mod:`plandiff.akn`).
"""

from __future__ import annotations

import datetime as dt
import re
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass
from typing import assert_never

from plandiff.errors import PlandiffError, show
from plandiff.models import PlanVersion, Point, Registry, iter_anchors
from plandiff.result import Change, ChangeKind, NestedChange

#: The Akoma Ntoso 3.0 namespace.
NAMESPACE = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"
#: plandiff's own attributes and elements, where AKN admits foreign ones (``core`` attributes,
#: ``<proprietary>``, ``<old>``/``<new>``). No schema is published for it; AKN reads it laxly.
EXTENSION_NAMESPACE = "urn:plandiff:akn:1"
#: FRBRcountry and the IRIs' jurisdiction: ISO 3166-1 "unknown or unspecified" (see above).
JURISDICTION = "zz"
DOC_NAME = "plan"
MEDIA_TYPE = "application/akn+xml"
#: eId of the TLCOrganization standing for plandiff, the recorder, in ``source`` attributes.
RECORDER = "plandiff"

NSMAP = {None: NAMESPACE, "plandiff": EXTENSION_NAMESPACE}

#: ISO 639-1 → ISO 639-2/T for the languages plans are most often reported in; any other
#: two-letter tag gives "und" (undetermined) rather than a guess.
_ISO_639_2 = {
    "ar": "ara",
    "be": "bel",
    "cs": "ces",
    "de": "deu",
    "en": "eng",
    "es": "spa",
    "fa": "fas",
    "fr": "fra",
    "he": "heb",
    "hi": "hin",
    "hy": "hye",
    "it": "ita",
    "ja": "jpn",
    "ka": "kat",
    "ko": "kor",
    "nl": "nld",
    "pl": "pol",
    "pt": "por",
    "ro": "ron",
    "ru": "rus",
    "sv": "swe",
    "tr": "tur",
    "uk": "ukr",
    "zh": "zho",
}
UNDETERMINED = "und"


# --------------------------------------------------------------------------- naming


@dataclass(frozen=True, slots=True)
class Iris:
    """The FRBR IRIs of one version's document."""

    work: str
    expression: str
    manifestation: str
    language: str
    date: dt.date

    @property
    def expression_main(self) -> str:
        """The expression's main component: what a point's eId is a fragment of."""
        return f"{self.expression}/!main"

    def point(self, eid: str) -> str:
        """A point of this version cited from another document."""
        return f"{self.expression_main}#{eid}"


def iris(version: PlanVersion, registry: Registry) -> Iris:
    """The IRIs naming ``version``; a version without a date cannot be named."""
    if version.date is None:
        raise PlandiffError(
            f"version {show(version.id)} has no date, and an Akoma Ntoso document is named by "
            f"its date: record it ('date = YYYY-MM-DD' in versions/{version.id}.toml)"
        )
    day = version.date.isoformat()
    work = f"/akn/{JURISDICTION}/doc/{DOC_NAME}/{day}/{urllib.parse.quote(version.id, safe='')}"
    lang = language(version, registry)
    expression = f"{work}/{lang}@{day}"
    return Iris(work, expression, f"{expression}.akn", lang, version.date)


def language(version: PlanVersion, registry: Registry) -> str:
    """ISO 639-2 code of the version's text (see the module's notes), or ``und``."""
    if version.text_source is not None:
        text_source = registry.source(version.text_source)
        tags = {text_source.language if text_source else None}
    else:
        tags = set()
        for _, anchor in iter_anchors(version):
            source = registry.source(anchor.source)
            tags.add(source.language if source else None)
    if len(tags) != 1:
        return UNDETERMINED
    (tag,) = tags
    primary = (tag or "").split("-")[0].lower()
    if len(primary) == 3 and primary.isascii() and primary.isalpha():
        return primary
    return _ISO_639_2.get(primary, UNDETERMINED)


def point_eids(version: PlanVersion) -> tuple[str, ...]:
    """``point_<number>`` when every point has a distinct number, else ``point_<position>``."""
    numbers = [p.number for p in version.points]
    if None not in numbers and len(set(numbers)) == len(numbers):
        return tuple(f"point_{n}" for n in numbers)
    return tuple(f"point_{i}" for i in range(1, len(numbers) + 1))


def point_parent_path(point: Point) -> str:
    """The path a registry version's point gives its items: its number, else its key (as
    :mod:`plandiff.nested` names them where no plan text's outline says more)."""
    return str(point.number) if point.number is not None else point.key


def textual_mod_type(change: Change | NestedChange) -> str | None:
    """The ``textualMod`` type a change (of points or of the items inside them) becomes, or
    None when it claims no modification.

    AKN has no type for a move: a provision moved as it was is a ``renumbering`` (it stands
    under another number or parent), one moved and reworded a ``substitution``, and the
    ``plandiff:moved`` attribute says it moved.
    """
    match change.kind:
        case ChangeKind.UNCHANGED:
            return "renumbering" if change.moved or change.renumbered else None
        case ChangeKind.REWORDED | ChangeKind.REPLACED:
            return "substitution"
        case ChangeKind.MERGED:
            return "join"
        case ChangeKind.SPLIT:
            return "split"
        case ChangeKind.ADDED:
            return "insertion"
        case ChangeKind.REMOVED:
            return "repeal"
        case ChangeKind.UNREPORTED:
            return None  # the other version is only partly known: nothing can be claimed
        case ChangeKind.DEFERRED:
            # Left out of the new text, to be decided later. AKN 3.0's textual modifications
            # have no "suspension" (that is a modification in force, not in text): textually
            # the point is taken out, a repeal, and plandiff:change says it is deferred.
            return "repeal"
        case _:
            assert_never(change.kind)


# --------------------------------------------------------------------------- item eIds
#
# A nested change names its items by path (``7.1(b)``, ``Schedule 1 › 3.2``, ``7 ¶ 2``); in AKN
# each is an element inside its point, named as the naming convention names a hierarchy: the
# point's eId, ``__``, then one ``<element>_<num>`` per level. A labelled sub-item (``.1``,
# ``(b)``) is a ``point`` inside its parent, an unlabelled bullet an ``indent``, a paragraph an
# ``alinea`` (``al``), AKN's element for an unnumbered block of text.

#: The last component of an item's path: a bracketed label, a bullet or paragraph ordinal, or a
#: decimal label that extends its parent's number.
_LAST_COMPONENT = re.compile(
    r"(?:\((?P<label>[^()]+)\)"
    r"|(?P<mark> [•¶] )(?P<ordinal>\d+)"
    r"|(?<=\S)\.(?P<decimal>[^\s.()•¶›]+))$"
)
_COMPONENT_ELEMENT = {" • ": "indent", " ¶ ": "al"}
DIVISION_SEPARATOR = " › "


def _eid_num(value: str) -> str:
    """A label as the ``num`` part of an eId: no whitespace, no ``_`` (which separates the
    parts), no ``#`` or other character a fragment identifier cannot hold as it is."""
    return urllib.parse.quote(re.sub(r"[\s_]+", "-", value.strip()), safe="-") or "-"


def _peel(path: str) -> tuple[str, str] | None:
    """``(parent path, eId part)`` of an item's path, or None when it is a top-level path."""
    found = _LAST_COMPONENT.search(path)
    if found is None or found.start() == 0:
        return None
    if found["label"] is not None:
        part = f"point_{_eid_num(found['label'])}"
    elif found["mark"] is not None:
        part = f"{_COMPONENT_ELEMENT[found['mark']]}_{found['ordinal']}"
    else:
        part = f"point_{_eid_num(found['decimal'])}"
    return path[: found.start()], part


def item_part(path: str, parent: str, label: str) -> str:
    """The eId part of an item at ``path`` under ``parent`` labelled ``label``: the one
    :func:`item_eid` peels off its path, or, where its path does not extend its parent's in
    a form that peels (a sub-clause numbered apart from its point, ``3 4.1``), one made from
    its label."""
    peeled = _peel(path)
    if peeled is not None and peeled[0] == parent:
        return peeled[1]
    if label == "•":
        return f"indent_{_eid_num(path.rpartition(' • ')[2])}"
    if label.startswith("¶"):
        return f"al_{_eid_num(label[1:])}"
    return f"point_{_eid_num(label.strip('().'))}"


def top_eid(path: str) -> str:
    """The eId a top-level path names by itself: ``Schedule 1 › 3`` → ``schedule_1__point_3``,
    ``¶ 8`` → ``al_8``, ``• 3`` → ``indent_3``, ``2 bis`` → ``point_2-bis``."""
    *divisions, own = path.split(DIVISION_SEPARATOR)
    parts = []
    for division in divisions:
        keyword, _, number = division.strip().partition(" ")
        parts.append(f"{_eid_num(keyword.lower())}_{_eid_num(number)}")
    mark, _, ordinal = own.strip().partition(" ")
    if mark in ("¶", "•") and ordinal.isdigit():
        parts.append(f"{_COMPONENT_ELEMENT[f' {mark} ']}_{ordinal}")
    else:
        parts.append(f"point_{_eid_num(own)}")
    return "__".join(parts)


def item_eid(path: str, points: Mapping[str, str], level: int) -> str:
    """The eId of the item at ``path``: its top-level point's eId (from ``points``, path →
    eId of one version's points), then one part per level below it.

    Components are taken off the end until what is left is a point of ``points``; a path
    whose point is not there keeps ``level`` components and names its point by
    :func:`top_eid`.
    """
    parts: list[str] = []
    rest = path
    while rest not in points:
        peeled = _peel(rest)
        if peeled is None:
            break
        rest, part = peeled
        parts.append(part)
    if rest in points:
        return "__".join([points[rest], *reversed(parts)])
    parts, rest = [], path
    for _ in range(level):
        peeled = _peel(rest)
        if peeled is None:
            break
        rest, part = peeled
        parts.append(part)
    return "__".join([top_eid(rest), *reversed(parts)])
