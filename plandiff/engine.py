"""``diff(old, new)``: curated relations first, automatic alignment for the rest, evidence rules.

The engine decides what may be claimed. A curated relation recorded with evidence always wins
over what the alignment algorithm would say; the algorithm only fills in the points the curators
left open, and says so (``basis="automatic"`` with its score). When a side is only partly known,
a point without a counterpart is ``unreported`` rather than ``removed`` or ``added``: the other
version may well contain it, nobody has said.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import msgspec

from plandiff import align as aligner
from plandiff import outside, pairing, subitems, worddiff
from plandiff.errors import InputError, env_limit, show
from plandiff.models import (
    Anchor,
    Completeness,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
    trusted_constructor,
)
from plandiff.result import (
    Basis,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    PointRef,
    SegmentationSummary,
    Settings,
    Substantive,
    VersionSummary,
)

REDLINE_ALGORITHM = "word-token LCS (rapidfuzz Indel), semantic cleanup"

# The hot paths build their models from values checked here (see models.trusted_constructor).
_new_anchor = trusted_constructor(Anchor)
_new_point = trusted_constructor(Point)

#: Most points a plan text may have (see :func:`max_points`).
MAX_POINTS = 100_000

#: A change before it is built: kind, old and new indices, basis, similarity, the relation's
#: evidence and note.
_Entry = tuple[
    ChangeKind,
    tuple[int, ...],
    tuple[int, ...],
    Basis,
    float | None,
    Sequence[Anchor],
    str | None,
]

#: The kinds whose points get a redline of their wording.
_REDLINED = frozenset((ChangeKind.REWORDED, ChangeKind.MERGED, ChangeKind.SPLIT))

_RELATION_KIND = {
    RelationKind.REWORDED: ChangeKind.REWORDED,
    RelationKind.MERGED: ChangeKind.MERGED,
    RelationKind.SPLIT: ChangeKind.SPLIT,
    RelationKind.DROPPED: ChangeKind.REMOVED,
}
_INVERSE_KIND = {
    ChangeKind.MERGED: ChangeKind.SPLIT,
    ChangeKind.SPLIT: ChangeKind.MERGED,
    ChangeKind.REMOVED: ChangeKind.ADDED,
    ChangeKind.REWORDED: ChangeKind.REWORDED,
}


class _Curated:
    """A curated relation expressed as indices into the two versions being compared."""

    __slots__ = ("evidence", "kind", "new", "note", "old")

    def __init__(
        self,
        kind: ChangeKind,
        old: tuple[int, ...],
        new: tuple[int, ...],
        evidence: tuple[Anchor, ...],
        note: str | None,
    ) -> None:
        self.kind, self.old, self.new, self.evidence, self.note = kind, old, new, evidence, note


def _curated(old: PlanVersion, new: PlanVersion) -> list[_Curated]:
    """Relations that apply between the two versions, in either direction."""
    old_index = {p.key: i for i, p in enumerate(old.points)}
    new_index = {p.key: i for i, p in enumerate(new.points)}

    def indices(keys: Iterable[str], index: Mapping[str, int]) -> tuple[int, ...] | None:
        found = [index.get(k) for k in keys]
        return (
            None
            if any(i is None for i in found)
            else tuple(sorted(i for i in found if i is not None))
        )

    out: list[_Curated] = []
    relations: Sequence[Relation]
    if new.derived_from == old.id:
        relations, inverted = new.relations, False
    elif old.derived_from == new.id:
        relations, inverted = old.relations, True
    else:
        return out
    for r in relations:
        kind = _RELATION_KIND[r.kind]
        if not inverted:
            o, n = indices(r.old, old_index), indices(r.new, new_index)
        else:
            o, n = indices(r.new, old_index), indices(r.old, new_index)
            kind = _INVERSE_KIND[kind]
        if o is None or n is None:
            continue  # the registry's cross-check reports dangling keys
        out.append(_Curated(kind, o, n, r.evidence, r.note))
    return out


def _evidence(
    anchors: Iterable[Anchor], role: str, point: str | None, sources: Mapping[str, Source]
) -> list[EvidenceRef]:
    out = []
    for a in anchors:
        s = sources.get(a.source)
        out.append(
            EvidenceRef(
                role=role,
                point=point,
                source=a.source,
                title=s.title if s else None,
                outlet=s.outlet if s else None,
                published=s.published if s else None,
                url=s.url if s else None,
                quote=a.quote,
                start=a.start,
                end=a.end,
            )
        )
    return out


class _Side:
    """One version's point references and point evidence, built once per point.

    Every point appears in exactly one change, so building them all up front costs what
    building them change by change would.
    """

    __slots__ = ("evidence_of", "ref_of")

    def __init__(
        self,
        version: PlanVersion,
        role: str,
        sources: Mapping[str, Source],
        outline: outside.Outline = outside.EMPTY,
    ) -> None:
        # source id → (title, outlet, published, url): looked up once per source, not per quote
        facts: dict[str, tuple[str | None, str | None, dt.date | None, str | None]] = {}
        self.ref_of: list[PointRef] = []
        self.evidence_of: list[tuple[EvidenceRef, ...]] = []
        for i, p in enumerate(version.points):
            self.ref_of.append(
                PointRef(
                    key=p.key,
                    number=p.number,
                    index=i + 1,
                    verbatim=p.verbatim,
                    text=p.content,
                    heading=outline.heading_texts(i),
                )
            )
            refs = []
            for a in p.evidence:  # what _evidence gives for the point's anchors, in order
                found = facts.get(a.source)
                if found is None:
                    s = sources.get(a.source)
                    found = (s.title, s.outlet, s.published, s.url) if s else (None,) * 4
                    facts[a.source] = found
                refs.append(
                    EvidenceRef(
                        role=role,
                        point=p.key,
                        source=a.source,
                        title=found[0],
                        outlet=found[1],
                        published=found[2],
                        url=found[3],
                        quote=a.quote,
                        start=a.start,
                        end=a.end,
                    )
                )
            self.evidence_of.append(tuple(refs))

    def refs(self, indices: tuple[int, ...]) -> tuple[PointRef, ...]:
        return tuple(self.ref_of[i] for i in indices)

    def evidence(self, indices: tuple[int, ...]) -> list[EvidenceRef]:
        out: list[EvidenceRef] = []
        for i in indices:
            out += self.evidence_of[i]
        return out


def summarise(
    version: PlanVersion,
    sources: Mapping[str, Source],
    segmentations: Mapping[str, SegmentationSummary] | None = None,
) -> VersionSummary:
    """The header facts of a version, with the evidence for them."""
    return VersionSummary(
        segmentation=(segmentations or {}).get(version.id),
        id=version.id,
        title=version.title,
        date=version.date,
        issuer=version.issuer,
        declared_points=version.declared_points,
        known_points=version.known_points,
        completeness=version.completeness,
        derived_from=version.derived_from,
        evidence=tuple(_evidence(version.evidence, "version", None, sources)),
    )


def _unaccounted(version: PlanVersion) -> int | None:
    if version.declared_points is None:
        return None
    return max(0, version.declared_points - version.known_points)


def _joined(version: PlanVersion, indices: Sequence[int]) -> str:
    return "\n".join(version.points[i].content for i in indices)


def diff(
    old: PlanVersion,
    new: PlanVersion,
    *,
    registry: Registry | None = None,
    sources: Mapping[str, Source] | None = None,
    settings: aligner.AlignSettings | None = None,
    warnings: Sequence[str] = (),
    segmentations: Mapping[str, SegmentationSummary] | None = None,
    outlines: tuple[outside.Outline, outside.Outline] | None = None,
) -> DiffResult:
    """Compare two plan versions and return every change with its evidence.

    ``registry`` (or ``sources``) supplies source metadata for citations; without either, the
    evidence names only source ids. ``segmentations`` says, by version id, how a version
    segmented from a text was cut; it is shown in the version's summary. ``outlines`` (of two
    plan texts) add what stands outside the points, preamble, headings and closing, to the
    comparison. Same inputs give the same output on any machine.
    """
    old_outline, new_outline = outlines or (outside.EMPTY, outside.EMPTY)
    parts, heading_pairs = outside.compare(old_outline, new_outline)
    align_settings = settings or aligner.DEFAULT_SETTINGS
    source_map: dict[str, Source] = dict(sources or {})
    if registry is not None:
        source_map.update({s.id: s for s in registry.sources})

    curated = _curated(old, new)
    fixed = [(c.old, c.new) for c in curated]
    automatic = aligner.align(
        [p.content for p in old.points],
        [p.content for p in new.points],
        fixed=fixed,
        settings=align_settings,
    )
    automatic = pairing.honest(
        automatic,
        pairing.number_keys(old.points, old_outline.numbers),
        pairing.number_keys(new.points, new_outline.numbers),
        [p.content for p in old.points],
        [p.content for p in new.points],
        align_settings,
    )
    old_side = _Side(old, "old", source_map, old_outline)
    new_side = _Side(new, "new", source_map, new_outline)

    # Moves are judged over every matched group, curated and automatic alike.
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
        (c.old, c.new) for c in curated if c.old and c.new
    ]
    has_curated_pairs = bool(groups)
    groups += [(c.old, c.new) for c in automatic if c.old and c.new]
    if not has_curated_pairs:
        # align (and the honest pairing after it) judged moves over exactly these groups (its
        # fixed ones have an empty side).
        moved = {(c.old, c.new) for c in automatic if c.moved}
    else:
        moved_flags = aligner.detect_moves(groups)
        moved = {g for g, flag in zip(groups, moved_flags, strict=True) if flag}

    changes: list[tuple[tuple[float, int, int], Change]] = []
    new_pos_of_old: dict[int, int] = {}
    for o, n in groups:
        for i in o:
            new_pos_of_old[i] = min(n)
    # landed_before[i]: where the nearest matched old point before i landed (-1 for none).
    landed_before: list[int] = []
    last = -1
    for i in range(len(old.points)):
        landed_before.append(last)
        last = new_pos_of_old.get(i, last)

    def sort_key(o: tuple[int, ...], n: tuple[int, ...]) -> tuple[float, int, int]:
        if n:
            return (float(min(n)), 0, 0)
        # An old-only point stands where it stood: after its nearest matched predecessor.
        return (landed_before[min(o)] + 0.5, 1, min(o))

    def build(
        kind: ChangeKind,
        o: tuple[int, ...],
        n: tuple[int, ...],
        basis: Basis,
        similarity: float | None,
        relation_evidence: Sequence[Anchor] = (),
        note: str | None = None,
    ) -> Change:
        if (
            kind is ChangeKind.REMOVED
            and basis is Basis.AUTOMATIC
            and new.completeness is Completeness.PARTIAL
        ):
            kind = ChangeKind.UNREPORTED
        if (
            kind is ChangeKind.ADDED
            and basis is Basis.AUTOMATIC
            and old.completeness is Completeness.PARTIAL
        ):
            kind = ChangeKind.UNREPORTED
        redline, substantive = marked.pop((o, n), (None, ()))
        if substantive:
            substantive = _mentioned(substantive, o, n)
        evidence = old_side.evidence(o) + new_side.evidence(n)
        if relation_evidence:
            evidence += _evidence(relation_evidence, "relation", None, source_map)
        return Change(
            kind=kind,
            moved=(o, n) in moved,
            old=old_side.refs(o),
            new=new_side.refs(n),
            similarity=similarity,
            basis=basis,
            redline=redline,
            substantive=tuple(substantive),
            evidence=tuple(evidence),
            note=note,
            heading_moved=bool(o and n)
            and outside.moved_between_headings(old_outline, new_outline, heading_pairs, o[0], n[0]),
            subitems_changed=subitems.changed_subitems(redline) if redline is not None else (),
        )

    def _mentioned(
        figures: Sequence[Substantive], o: tuple[int, ...], n: tuple[int, ...]
    ) -> tuple[Substantive, ...]:
        """A figure missing from a described side is not mentioned there, not dropped."""
        old_described = any(not old.points[i].verbatim for i in o)
        new_described = any(not new.points[j].verbatim for j in n)
        if not (old_described or new_described):
            return tuple(figures)
        return tuple(
            msgspec.structs.replace(
                s,
                not_mentioned=(s.new is None and new_described)
                or (s.old is None and old_described),
            )
            for s in figures
        )

    entries: list[_Entry] = []
    for c in curated:
        similarity = None
        if c.old and c.new:
            similarity = aligner.similarity(_joined(old, c.old), _joined(new, c.new))
        entries.append((c.kind, c.old, c.new, Basis.CURATED, similarity, c.evidence, c.note))
    for a in automatic:
        entries.append((a.kind, a.old, a.new, Basis.AUTOMATIC, a.similarity, (), None))

    redlined, plain = [], []
    for e in entries:
        (redlined if e[0] in _REDLINED and e[1] and e[2] else plain).append(e)
    marked: dict[tuple[tuple[int, ...], tuple[int, ...]], worddiff.MarkedUp] = dict(
        zip(
            [(e[1], e[2]) for e in redlined],
            worddiff.marked_up([(_joined(old, e[1]), _joined(new, e[2])) for e in redlined]),
            strict=True,
        )
    )
    for e in plain:
        changes.append((sort_key(e[1], e[2]), build(*e)))
    for e in redlined:
        changes.append((sort_key(e[1], e[2]), build(*e)))
    changes.sort(key=lambda pair: pair[0])

    return DiffResult(
        old=summarise(old, source_map, segmentations),
        new=summarise(new, source_map, segmentations),
        settings=Settings(
            algorithm=align_settings.algorithm,
            match_threshold=align_settings.match_threshold,
            containment_threshold=align_settings.containment_threshold,
            redline=REDLINE_ALGORITHM,
        ),
        declared=DeclaredCount(
            old=old.declared_points,
            new=new.declared_points,
            old_unaccounted=_unaccounted(old),
            new_unaccounted=_unaccounted(new),
        ),
        changes=tuple(change for _, change in changes),
        parts=parts,
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- ad-hoc text diffs

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def text_version_id(name: str, suffix: str | None = None) -> str:
    """The version (and source) id a plan file named ``name`` gets: its name made a valid Ident.

    ``suffix`` ("old", "new") tells two files with the same name apart; the name is shortened
    to make room for it, so that it survives the 128-character limit.
    """
    ident = _ID_UNSAFE.sub("-", name).strip("-._") or "text"
    if suffix is None:
        return ident[:128]
    return f"{ident[: 127 - len(suffix)]}-{suffix}"


class TextVersion(NamedTuple):
    """A version segmented from a plan text, with how it was cut."""

    version: PlanVersion
    warnings: list[str]  # segmentation warnings (numbering gaps, repeats, restarts), named
    segmentation: SegmentationSummary


def version_from_text(
    text: str, name: str, *, version_id: str | None = None, points: str | None = None
) -> TextVersion:
    """A full, in-memory version segmented from a plan text, each point anchored to its span.

    ``points`` forces the point markers (see :func:`plandiff.segment.segment`).
    """
    return _version(text, name, version_id, _segmented(points, [text])[0])[0]


def versions_from_texts(
    specs: Sequence[tuple[str, str, str | None]], points: str | None = None
) -> list[TextVersion]:
    """:func:`version_from_text` of each (text, name, version id) in order."""
    return [found for found, _ in documents_from_texts(specs, points)]


def documents_from_texts(
    specs: Sequence[tuple[str, str, str | None]], points: str | None = None
) -> list[tuple[TextVersion, outside.Outline]]:
    """:func:`versions_from_texts`, each with the outline of what stands outside its points
    (preamble, headings, closing), which :func:`diff` compares too."""
    return [
        _version(text, name, version_id, _segmented(points, [text])[0])
        for text, name, version_id in specs
    ]


#: A point as segmented: index, number, body text, label, body start and end.
_Segmented = tuple[int, int | None, str, str, int, int]
#: A text as segmented: its points, warning messages, how it was cut, and its outline.
_Text = tuple[list[_Segmented], list[str], dict[str, Any], outside.Outline]


def _segmented(points: str | None, texts: Sequence[str]) -> list[_Text | int]:
    """Each text's points, warning messages, cut and outline, as plain data; for a text with
    more points than :func:`max_points` allows, only how many.
    """
    from plandiff.segment import points_option, segment

    limit = max_points()
    style = points_option(points) if points is not None else None
    out: list[_Text | int] = []
    for text in texts:
        seg = segment(text, style)
        if len(seg.points) > limit:
            out.append(len(seg.points))
            continue
        found = [(s.index, s.number, s.text, s.label, s.body_start, s.body_end) for s in seg.points]
        messages = [w.message for w in seg.warnings]
        series = seg.series.model_dump() if seg.series else {}
        cut = {**series, "description": seg.series.describe() if seg.series else "no points"}
        cut["spec"] = show(points) if points is not None else None
        out.append((found, messages, cut, outside.outline_of(seg)))
    return out


def max_points() -> int:
    """Most points a plan text may have; ``PLANDIFF_MAX_POINTS`` overrides the default.

    A diff takes about 0.25 s and 10 MB per thousand points: the default admits the longest
    codes (tens of thousands of sections) and refuses a file of millions of one-word points
    before it has cost minutes and gigabytes.
    """
    return env_limit("PLANDIFF_MAX_POINTS", MAX_POINTS, "points")


def _version(
    text: str,
    name: str,
    version_id: str | None,
    found: _Text | int,
) -> tuple[TextVersion, outside.Outline]:
    from plandiff.anchors import context

    if isinstance(found, int):
        raise InputError(
            f"{show(name)}: {found:,} points, more than the {max_points():,} allowed "
            "(set PLANDIFF_MAX_POINTS to raise the limit)"
        )
    segmented, messages, cut, outline = found
    if cut.get("forced") and not segmented:
        raise InputError(f"{show(name)}: --points {cut['spec']} matches no line of the text")
    # A valid Ident, as every anchor's source must be.
    source_id = text_version_id(version_id or name)
    points = []
    for index, number, body, label, body_start, body_end in segmented:
        evidence: tuple[Anchor, ...] = ()
        if body:  # what anchors.make_anchor builds, without re-validating what segment checked
            prefix, suffix = context(text, body_start, body_end)
            evidence = (
                _new_anchor(
                    source=source_id,
                    quote=body,
                    start=body_start,
                    end=body_end,
                    prefix=prefix,
                    suffix=suffix,
                ),
            )
        points.append(
            _new_point(
                key=f"p{index}",
                number=number,
                text=body or label,
                summary=None,
                topics=(),
                evidence=evidence,
            )
        )
    version = PlanVersion.model_construct(
        id=source_id,
        title=name,
        declared_points=None,
        date=None,
        issuer=(),
        parties=(),
        derived_from=None,
        completeness=Completeness.FULL,
        text_source=source_id,
        evidence=(),
        statements=(),
        events=(),
        points=tuple(points),
        relations=(),
        note=None,
    )
    named = [f"{name}: {message}" for message in messages]
    summary = SegmentationSummary(
        description=cut["description"],
        style=cut.get("style"),
        column=cut.get("column", 0),
        count=cut.get("count", 0),
        first=cut.get("first"),
        last=cut.get("last"),
        forced=cut.get("forced", False),
        preamble_chars=cut.get("preamble_chars", 0),
        closing_chars=cut.get("closing_chars", 0),
        headings=cut.get("headings", 0),
        warnings=tuple(messages),
    )
    return TextVersion(version, named, summary), outline


def text_source(version: PlanVersion, name: str) -> Source:
    """The source a version segmented from the plan file ``name`` cites: the file itself."""
    return Source.model_construct(id=version.id, title=name, path=Path(name).name)


def diff_texts(
    old_text: str,
    new_text: str,
    *,
    old_name: str = "old",
    new_name: str = "new",
    settings: aligner.AlignSettings | None = None,
    points: str | None = None,
) -> DiffResult:
    """Diff two plan texts directly, like ``git diff --no-index``; ``points`` forces the
    point markers of both (see :func:`plandiff.segment.segment`)."""
    old_id, new_id = text_version_id(old_name), text_version_id(new_name)
    if old_id == new_id:
        old_id, new_id = text_version_id(old_name, "old"), text_version_id(new_name, "new")
    ((old, old_warn, old_cut), old_outline), ((new, new_warn, new_cut), new_outline) = (
        documents_from_texts([(old_text, old_name, old_id), (new_text, new_name, new_id)], points)
    )
    sources = {old.id: text_source(old, old_name), new.id: text_source(new, new_name)}
    return diff(
        old,
        new,
        sources=sources,
        settings=settings,
        warnings=old_warn + new_warn,
        segmentations={old.id: old_cut, new.id: new_cut},
        outlines=(old_outline, new_outline),
    )
