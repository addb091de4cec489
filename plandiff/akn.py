"""Akoma Ntoso 3.0 export: one plan version, or a diff, as an OASIS LegalDocML document.

Akoma Ntoso (AKN) is the OASIS standard XML vocabulary for legal and parliamentary documents.
The documents written here are valid against the official schema (``akomantoso30.xsd``, OASIS
Standard of 29 August 2018); plandiff does not ship that schema, so the tests validate against a
copy kept outside the project. How plandiff's facts map onto AKN, and why:

* **Document type: ``<doc name="plan">``.** ``bill`` and ``act`` model the documents of a
  legislature (a ``bill``'s lifecycle is its readings, its ``body`` holds provisions to be
  enacted); a plan negotiated between states is neither. ``doc`` is AKN's type for "any other
  document", and its ``name`` says which kind.
* **FRBR identity.** Each plan version is its own work, named after the AKN naming convention:
  work ``/akn/zz/doc/plan/<date>/<version-id>``, expression ``<work>/<lang>@<date>``,
  manifestation ``<expression>.akn``; the ``FRBRthis`` of each level is its ``/!main``
  component, and a point of another version is cited as ``<expression>/!main#point_N``.
  ``zz``: FRBRcountry holds an ISO 3166-1 code of a jurisdiction, and a plan between states has
  none; ``zz`` is the code ISO leaves for "unknown or unspecified" (``un`` would claim the
  United Nations). ``<date>`` is the version's date: a version without one cannot be named and
  is refused rather than given an invented date. ``<lang>`` is the ISO 639-2 code of the text
  source's language, else of the one language all cited sources share, else ``und``
  (undetermined). The authors of work and expression are the version's issuers; the author of
  the manifestation is plandiff, dated by ``created``.
* **Points: ``<point eId="point_N">``** with ``<num>`` and ``<content><p>``. ``N`` is the number
  as written when every point has a distinct one, else the point's 1-based position. Verbatim
  text is written as recorded. A described point (reporting says what it contains; its wording
  is unknown) has ``class="described"`` and ``<content status="editorial">``: AKN's status for
  content "inserted as an editorial process", which is what a recorder's summary is. Topics are
  ``TLCConcept`` references in the point's ``refersTo``.
* **Lifecycle.** One ``<eventRef>`` per recorded event, in date order, each ``refersTo`` a
  ``TLCEvent`` whose ``showAs`` is what happened, and whose ``source`` is the first article
  reporting it (``#plandiff``, the recorder, when none is cited).
* **References.** ``TLCOrganization`` for each issuer (the registry does not record whether an
  issuer is a person; issuers of plans are states and governments) and for each outlet,
  ``TLCPerson`` for each byline, and a ``TLCReference name="source"`` for each cited source
  article, with its title as ``showAs`` and its URL as ``href``.
* **Notes** (``<meta><notes>``) carry what reporting says of the version as a whole, the
  recorder's remarks, how many of the declared points are recorded, and a verbatim point's
  summary (``placementBase`` names the point).
* **Evidence** (the exact quotes at offsets behind every fact) has no AKN element: it goes in
  ``<proprietary>`` as ``plandiff:anchor`` elements of :data:`EXTENSION_NAMESPACE`, each saying
  which element it supports (``about``), its source and its code-point offsets.
* **Diffs** are the new version's document with ``<analysis><passiveModifications>``: one
  ``<textualMod>`` per change (:func:`textual_mod_type`). ``source`` is the old side (the old
  points, or the old version as a whole when a point is new), ``destination`` the new side (this
  document's points, or this version as a whole when a point is gone). ``<old>``/``<new>`` hold
  the old and new text "in some non-managed form", as the schema puts it: a ``plandiff:text``
  element saying whether the text is verbatim. Unchanged points in place, and points whose
  counterpart is ``unreported`` (the other version is only partly known), give no
  modification; a note says how many, so the document never claims more than the evidence.

Text that XML cannot hold (NUL, ESC, lone surrogates …) becomes U+FFFD, and an element whose
text was so changed is marked ``status="edited"``; characters a terminal may act on are written
as character references, as in the XML archive.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import assert_never

from lxml import etree

from plandiff.errors import NotFoundError, PlandiffError, show
from plandiff.links import web_link
from plandiff.models import Anchor, Completeness, PlanVersion, Point, Registry
from plandiff.result import Change, ChangeKind, DiffResult, PointRef
from plandiff.store import iter_anchors
from plandiff.xmlcommon import NOT_XML_CHAR, safe_parser, to_bytes, xsd_datetime, xsd_double

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

_NSMAP = {None: NAMESPACE, "plandiff": EXTENSION_NAMESPACE}

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


def textual_mod_type(change: Change) -> str | None:
    """The ``textualMod`` type a change becomes, or None when it claims no modification."""
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
        case _:
            assert_never(change.kind)


# --------------------------------------------------------------------------- building blocks


def _a(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _x(name: str) -> str:
    return f"{{{EXTENSION_NAMESPACE}}}{name}"


def _clean(text: str) -> tuple[str, bool]:
    """Text XML can hold, and whether anything had to be replaced."""
    cleaned = NOT_XML_CHAR.sub("\ufffd", text)
    return cleaned, cleaned != text


def _sub(parent: etree._Element, tag: str, /, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, _a(tag))
    for name, value in attrs.items():
        if value is not None:
            el.set(name, _clean(value)[0])
    return el


def _text(el: etree._Element, text: str) -> etree._Element:
    """Set ``el``'s text; mark it ``status="edited"`` when characters had to be replaced."""
    el.text, edited = _clean(text)
    if edited:
        el.set("status", "edited")
    return el


#: Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and "%" of an escape).
_URI_SAFE = ":/?@!$&'()*+,;=%~"
_BARE_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def _href(url: str) -> str | None:
    """A recorded URL as an absolute URI that ``xs:anyURI`` accepts, or None.

    Spaces, brackets, non-ASCII characters and a ``%`` that starts no escape are
    percent-encoded, and so is a second ``#``. A value that is not an absolute URI even then
    (no scheme, an authority libxml2 cannot parse) gives None, and is kept as text instead; so
    does any URL that may not be a link at all (see :func:`plandiff.links.web_link`: only
    http(s), never ``javascript:`` or ``data:``).
    """
    address = web_link(_clean(url)[0])
    if address is None:
        return None
    text = _BARE_PERCENT.sub("%25", address)
    address, hash_, fragment = text.partition("#")
    uri = urllib.parse.quote(address, safe=_URI_SAFE) + hash_
    uri += urllib.parse.quote(fragment, safe=_URI_SAFE)
    if not _SCHEME.match(uri):
        return None
    probe = etree.Element("uri", value=uri)
    return uri if _any_uri().validate(probe) else None


@functools.cache
def _any_uri() -> etree.XMLSchema:
    """The ``xs:anyURI`` datatype as libxml2 checks it (stricter than XSD 1.0 itself)."""
    return etree.XMLSchema(
        etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="uri">'
            '<xs:complexType><xs:attribute name="value" type="xs:anyURI"/></xs:complexType>'
            "</xs:element></xs:schema>",
            parser=safe_parser(),
        )
    )


def _slug(name: str) -> str:
    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "unnamed"
    return urllib.parse.quote(slug, safe="-")


def _date(value: dt.date) -> str:
    return value.isoformat()


class _Document:
    """One version's AKN document, assembled in the schema's order once every part is known."""

    def __init__(self, version: PlanVersion, registry: Registry, created: dt.datetime) -> None:
        self.version = version
        self.registry = registry
        self.created = created
        self.iris = iris(version, registry)
        self.eids = point_eids(version)
        self.references: list[etree._Element] = []
        self.notes: list[etree._Element] = []
        self.anchors: list[etree._Element] = []
        self.analysis: etree._Element | None = None
        self._sources: dict[str, str] = {}  # source id → eId
        self._people: dict[str, str] = {}  # byline → eId
        self._organizations: dict[str, str] = {}  # outlet or issuer name → eId
        self._topics: dict[str, str] = {}  # topic → eId
        self._ids: set[str] = {RECORDER, *self.eids}
        self.reference("TLCOrganization", RECORDER, "/ontology/organization/plandiff", "plandiff")

    # references ------------------------------------------------------------------------

    def reference(self, tag: str, eid: str, href: str, show_as: str, **attrs: str) -> str:
        el = etree.Element(_a(tag))
        el.set("eId", eid)
        el.set("href", href)
        el.set("showAs", _clean(show_as)[0])
        for name, value in attrs.items():
            el.set(name, _clean(value)[0])
        self.references.append(el)
        return eid

    def _unique(self, stem: str) -> str:
        """A fresh eId ``stem_N`` (stems never clash with point eIds)."""
        n = 1
        while f"{stem}_{n}" in self._ids:
            n += 1
        self._ids.add(f"{stem}_{n}")
        return f"{stem}_{n}"

    def organization(self, name: str, stem: str) -> str:
        if name not in self._organizations:
            eid = self._unique(stem)
            self.reference("TLCOrganization", eid, f"/ontology/organization/{_slug(name)}", name)
            self._organizations[name] = eid
        return self._organizations[name]

    def person(self, name: str) -> str:
        if name not in self._people:
            eid = self._unique("author")
            self.reference("TLCPerson", eid, f"/ontology/person/{_slug(name)}", name)
            self._people[name] = eid
        return self._people[name]

    def topic(self, name: str) -> str:
        if name not in self._topics:
            eid = self._unique("topic")
            self.reference(
                "TLCConcept", eid, f"/ontology/concept/plandiff/topic/{_slug(name)}", name
            )
            self._topics[name] = eid
        return self._topics[name]

    def cite(self, source_id: str) -> str:
        """``#eId`` of the TLCReference for a source article (added on first citation)."""
        if source_id not in self._sources:
            eid = f"src_{source_id}"
            source = self.registry.source(source_id)
            attrs = {_x("id"): source_id}
            href = f"/ontology/reference/plandiff/source/{_slug(source_id)}"
            show_as = source_id
            if source is not None:
                if source.url:
                    usable = _href(source.url)
                    if usable is None:
                        attrs[_x("url")] = source.url
                    href = usable or href
                show_as = source.title or source_id
                if source.published is not None:
                    attrs[_x("published")] = _date(source.published)
                if source.outlet:
                    attrs[_x("outlet")] = "#" + self.organization(source.outlet, "outlet")
                if source.author:
                    attrs[_x("author")] = "#" + self.person(source.author)
            self.reference("TLCReference", eid, href, show_as, name="source", **attrs)
            self._sources[source_id] = eid
        return "#" + self._sources[source_id]

    # notes and evidence ----------------------------------------------------------------

    def note(self, eid: str, kind: str, text: str, placement_base: str | None = None) -> None:
        el = etree.Element(_a("note"))
        el.set("eId", eid)
        el.set("class", kind)
        if placement_base is not None:
            el.set("placementBase", placement_base)
        _text(_sub(el, "p"), text)
        self.notes.append(el)

    def anchor(
        self,
        about: str | None,
        source: str,
        quote: str,
        start: int | None,
        end: int | None,
        **attrs: str,
    ) -> None:
        el = etree.Element(_x("anchor"))
        if about is not None:
            el.set("about", about)
        el.set("source", self.cite(source))
        if start is not None and end is not None:
            el.set("start", str(start))
            el.set("end", str(end))
        for name, value in attrs.items():
            el.set(name, _clean(value)[0])
        el.text, edited = _clean(quote)
        if edited:
            el.set("edited", "true")
        self.anchors.append(el)

    def anchors_of(self, about: str | None, anchors: Iterable[Anchor]) -> None:
        for a in anchors:
            self.anchor(about, a.source, a.quote, a.start, a.end)

    # body ------------------------------------------------------------------------------

    def point(self, parent: etree._Element, point: Point, eid: str) -> None:
        el = _sub(parent, "point", eId=eid)
        if not point.verbatim:
            el.set("class", "described")
        if point.topics:
            el.set("refersTo", " ".join("#" + self.topic(t) for t in point.topics))
        el.set(_x("key"), point.key)
        if point.number is not None:
            _sub(el, "num").text = str(point.number)
        content = _sub(el, "content")
        if not point.verbatim:
            content.set("status", "editorial")
        _text(_sub(content, "p"), point.content)
        if point.verbatim and point.summary:
            self.note(f"note_{eid}", "summary", point.summary, placement_base=f"#{eid}")
        self.anchors_of(f"#{eid}", point.evidence)

    def body(self) -> tuple[etree._Element, etree._Element]:
        v = self.version
        preface = etree.Element(_a("preface"))
        title = _sub(preface, "p", **{"class": "title"})
        _text(_sub(title, "docTitle"), v.title)
        main = etree.Element(_a("mainBody"))
        for point, eid in zip(v.points, self.eids, strict=True):
            self.point(main, point, eid)
        if not v.points:
            _sub(main, "p", status="editorial").text = "No point of this version is recorded."
        return preface, main

    # metadata --------------------------------------------------------------------------

    def version_notes(self) -> None:
        v = self.version
        for i, s in enumerate(v.statements, 1):
            self.note(f"statement_{i}", "statement", s.text)
            self.anchors_of(f"#statement_{i}", s.evidence)
        known, declared = v.known_points, v.declared_points
        partial = v.completeness is Completeness.PARTIAL
        if partial or (declared is not None and declared != known):
            recorded = f"{known} {'is' if known == 1 else 'are'} recorded here."
            text = f"The version is said to have {declared} points; {recorded}"
            if declared is None:
                text = f"The number of points is not known; {recorded}"
            if partial:
                text += (
                    " Its text is only partly known: a described point gives what reporting"
                    " says it contains, not its wording."
                )
            self.note("note_completeness", "completeness", text)
        if v.note:
            self.note("note_recorder", "recorder", v.note)

    def lifecycle(self) -> etree._Element | None:
        events = sorted(self.version.events, key=lambda e: e.date)
        if not events:
            return None
        lifecycle = etree.Element(_a("lifecycle"))
        lifecycle.set("source", f"#{RECORDER}")
        for i, e in enumerate(events, 1):
            event = self.reference(
                "TLCEvent",
                f"event_{i}",
                f"/ontology/event/plandiff/{urllib.parse.quote(self.version.id, safe='')}/{i}",
                e.what,
            )
            source = self.cite(e.evidence[0].source) if e.evidence else f"#{RECORDER}"
            _sub(
                lifecycle,
                "eventRef",
                eId=f"eventRef_{i}",
                date=_date(e.date),
                source=source,
                refersTo=f"#{event}",
            )
            self.anchors_of(f"#eventRef_{i}", e.evidence)
        return lifecycle

    def identification(self) -> etree._Element:
        v, names = self.version, self.iris
        ident = etree.Element(_a("identification"))
        ident.set("source", f"#{RECORDER}")
        issuers = [self.organization(name, "issuer") for name in v.issuer]
        if not issuers:
            issuers = [self.organization("issuer not recorded", "issuer")]
        day = _date(names.date)

        work = _sub(ident, "FRBRWork")
        _sub(work, "FRBRthis", value=f"{names.work}/!main")
        _sub(work, "FRBRuri", value=names.work)
        _sub(work, "FRBRdate", date=day, name="version")
        for eid in issuers:
            _sub(work, "FRBRauthor", href=f"#{eid}")
        _sub(work, "FRBRcountry", value=JURISDICTION)
        _sub(work, "FRBRnumber", value=v.id)
        _sub(work, "FRBRname", value=v.title)

        expression = _sub(ident, "FRBRExpression")
        _sub(expression, "FRBRthis", value=names.expression_main)
        _sub(expression, "FRBRuri", value=names.expression)
        _sub(expression, "FRBRdate", date=day, name="version")
        for eid in issuers:
            _sub(expression, "FRBRauthor", href=f"#{eid}")
        _sub(expression, "FRBRlanguage", language=names.language)

        manifestation = _sub(ident, "FRBRManifestation")
        _sub(manifestation, "FRBRthis", value=f"{names.expression_main}.akn")
        _sub(manifestation, "FRBRuri", value=names.manifestation)
        _sub(manifestation, "FRBRdate", date=xsd_datetime(self.created), name="generation")
        _sub(manifestation, "FRBRauthor", href=f"#{RECORDER}")
        _sub(manifestation, "FRBRformat", value=MEDIA_TYPE)
        return ident

    def lineage(self) -> None:
        """A reference to the version this one derives from, when it can be named."""
        parent_id = self.version.derived_from
        parent = self.registry.version(parent_id) if parent_id else None
        if parent is None or parent.date is None:
            if parent_id:
                self.note(
                    "note_derived_from",
                    "lineage",
                    f"Derived from version {show(parent_id)}, which has no Akoma Ntoso name "
                    "(it is not in the registry or has no date).",
                )
            return
        self.reference(
            "TLCReference",
            "derivedFrom",
            iris(parent, self.registry).expression_main,
            parent.title,
            name="derivedFrom",
            **{_x("id"): parent.id},
        )

    def assemble(self) -> bytes:
        from plandiff import __version__

        ident = self.identification()
        preface, main = self.body()
        lifecycle = self.lifecycle()
        self.lineage()
        self.version_notes()
        self.anchors_of(None, self.version.evidence)

        root = etree.Element(_a("akomaNtoso"), nsmap=_NSMAP)
        doc = _sub(root, "doc", name=DOC_NAME)
        meta = _sub(doc, "meta")
        meta.append(ident)
        if lifecycle is not None:
            meta.append(lifecycle)
        if self.analysis is not None:
            meta.append(self.analysis)
        references = _sub(meta, "references", source=f"#{RECORDER}")
        references.extend(self.references)
        if self.notes:
            notes = _sub(meta, "notes", source=f"#{RECORDER}")
            notes.extend(self.notes)
        proprietary = _sub(meta, "proprietary", source=f"#{RECORDER}")
        generator = etree.SubElement(proprietary, _x("generator"))
        generator.set("name", "plandiff")
        generator.set("version", __version__)
        recorded = etree.SubElement(proprietary, _x("version"))
        recorded.set("id", self.version.id)
        recorded.set("completeness", self.version.completeness.value)
        if self.version.declared_points is not None:
            recorded.set("declared-points", str(self.version.declared_points))
        proprietary.extend(self.anchors)
        doc.append(preface)
        doc.append(main)
        etree.indent(root, space="  ")
        for mixed in preface.iter(_a("p")):  # mixed content: indenting would add to its text
            mixed.text = None
            for child in mixed:
                child.tail = None
        data = to_bytes(root)
        etree.fromstring(data, parser=safe_parser())  # what is returned parses back
        return data


# --------------------------------------------------------------------------- public API


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def version_to_akn(
    version: PlanVersion, registry: Registry, *, created: dt.datetime | None = None
) -> bytes:
    """One plan version as an Akoma Ntoso 3.0 document (UTF-8 bytes).

    ``registry`` supplies the cited sources and the version's lineage. ``created`` (default:
    now) dates the manifestation; give it to make the output reproducible. Raises
    :class:`~plandiff.errors.PlandiffError` for a version without a date.
    """
    return _Document(version, registry, created or _now()).assemble()


def diff_to_akn(
    result: DiffResult, registry: Registry, *, created: dt.datetime | None = None
) -> bytes:
    """A diff as the new version's AKN document, its changes as passive modifications.

    Both versions must be in ``registry`` as the diff saw them (points at the positions the
    result names). See :func:`textual_mod_type` for which changes become modifications.
    """
    old = _registry_version(registry, result.old.id)
    new = _registry_version(registry, result.new.id)
    document = _Document(new, registry, created or _now())
    _Analysis(document, result, old).build()
    return document.assemble()


def _registry_version(registry: Registry, version_id: str) -> PlanVersion:
    version = registry.version(version_id)
    if version is None:
        raise NotFoundError("version", version_id, [v.id for v in registry.versions])
    return version


class _Analysis:
    """``<analysis><passiveModifications>`` for a diff, and the notes on what it leaves out."""

    def __init__(self, document: _Document, result: DiffResult, old: PlanVersion) -> None:
        self.document = document
        self.result = result
        self.old = old
        self.old_iris = iris(old, document.registry)
        self.old_eids = point_eids(old)

    def eid(self, version: PlanVersion, eids: Sequence[str], ref: PointRef) -> str:
        at = ref.index - 1
        if not 0 <= at < len(version.points) or version.points[at].key != ref.key:
            raise PlandiffError(
                f"the diff names point {show(ref.key)} at position {ref.index} of version "
                f"{show(version.id)}, which the registry does not have there"
            )
        return eids[at]

    def build(self) -> None:
        doc, result, old = self.document, self.result, self.old
        doc.reference(
            "TLCReference",
            "oldVersion",
            self.old_iris.expression_main,
            old.title,
            name="comparedWith",
            **{_x("id"): old.id},
        )
        passive = etree.Element(_a("passiveModifications"))
        counts: dict[str, int] = {}
        unreported: tuple[list[str], list[str]] = ([], [])  # old keys, new keys
        quiet = 0
        for change in result.changes:
            kind = textual_mod_type(change)
            if kind is None:
                if change.kind is ChangeKind.UNREPORTED:
                    unreported[0].extend(r.key for r in change.old)
                    unreported[1].extend(r.key for r in change.new)
                else:
                    quiet += 1
                continue
            counts[kind] = counts.get(kind, 0) + 1
            self.mod(passive, change, kind, f"pmod_{len(passive) + 1}")
        if len(passive):
            analysis = etree.Element(_a("analysis"))
            analysis.set("source", f"#{RECORDER}")
            analysis.append(passive)
            doc.analysis = analysis
        self.notes(counts, quiet, unreported)

    def mod(self, parent: etree._Element, change: Change, kind: str, eid: str) -> None:
        doc = self.document
        new_eids = [self.eid(doc.version, doc.eids, r) for r in change.new]
        old_eids = [self.eid(self.old, self.old_eids, r) for r in change.old]
        el = _sub(parent, "textualMod", eId=eid, type=kind)
        el.set(_x("change"), change.kind.value)
        el.set(_x("basis"), change.basis.value)
        if change.similarity is not None:
            el.set(_x("similarity"), xsd_double(round(change.similarity, 4)))
        if change.moved:
            el.set(_x("moved"), "true")
        if change.renumbered:
            el.set(_x("renumbered"), "true")
        if change.note:
            el.set(_x("note"), _clean(change.note)[0])
        for old_eid in old_eids or [None]:
            href = self.old_iris.point(old_eid) if old_eid else self.old_iris.expression_main
            _sub(el, "source", href=href)
        for new_eid in new_eids or [None]:
            _sub(el, "destination", href=f"#{new_eid}" if new_eid else doc.iris.expression_main)
        if kind == "renumbering":
            self.numbers(el, change)
        else:
            # The schema's old/@href names the element the old text is replaced by, and
            # new/@href the element it replaces: given only where there is exactly one.
            for ref in change.old:
                old_el = _sub(el, "old", href=f"#{new_eids[0]}" if len(new_eids) == 1 else None)
                self.text(old_el, ref)
            for ref in change.new:
                target = self.old_iris.point(old_eids[0]) if len(old_eids) == 1 else None
                self.text(_sub(el, "new", href=target), ref)
        for e in change.evidence:
            side = {"role": e.role} if e.point is None else {"role": e.role, "key": e.point}
            doc.anchor(f"#{eid}", e.source, e.quote, e.start, e.end, **side)

    @staticmethod
    def text(parent: etree._Element, ref: PointRef) -> None:
        el = etree.SubElement(parent, _x("text"))
        el.set("verbatim", "true" if ref.verbatim else "false")
        el.text, edited = _clean(ref.text)
        if edited:
            el.set("edited", "true")

    @staticmethod
    def numbers(parent: etree._Element, change: Change) -> None:
        olds = [r.number for r in change.old]
        news = [r.number for r in change.new]
        if None in olds or None in news or olds == news:
            return
        for tag, numbers in (("old", olds), ("new", news)):
            side = _sub(parent, tag)
            for n in numbers:
                etree.SubElement(side, _x("num")).text = str(n)

    def notes(
        self, counts: dict[str, int], quiet: int, unreported: tuple[list[str], list[str]]
    ) -> None:
        doc, result = self.document, self.result
        made = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        text = f"Compared with version {show(result.old.id)}: " + (
            f"textual modifications: {made}." if made else "no textual modification."
        )
        if quiet:
            text += f" {quiet} point(s) unchanged and in place give none."
        doc.note("note_diff", "diff", text)
        sides = ((result.old.id, result.new.id), (result.new.id, result.old.id))
        for n, (keys, (own, other)) in enumerate(zip(unreported, sides, strict=True), 1):
            if keys:
                doc.note(
                    f"note_unreported_{n}",
                    "unreported",
                    f"{len(keys)} point(s) of version {show(own)} ({', '.join(keys)}) have no "
                    f"reported counterpart in version {show(other)}, which is only partly known: "
                    "no modification is recorded for them, as nothing can be concluded either "
                    "way.",
                )
        gaps = [
            f"{n} declared point(s) of version {show(vid)}"
            for n, vid in (
                (result.declared.old_unaccounted, result.old.id),
                (result.declared.new_unaccounted, result.new.id),
            )
            if n
        ]
        if gaps:
            doc.note(
                "note_unrecorded",
                "unrecorded",
                f"{' and '.join(gaps)} are not recorded: no modification is claimed for them.",
            )
        for i, warning in enumerate(result.warnings, 1):
            doc.note(f"note_warning_{i}", "warning", warning)


__all__ = [
    "EXTENSION_NAMESPACE",
    "JURISDICTION",
    "NAMESPACE",
    "Iris",
    "diff_to_akn",
    "iris",
    "language",
    "point_eids",
    "textual_mod_type",
    "version_to_akn",
]
