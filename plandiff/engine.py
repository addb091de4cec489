"""``diff(old, new)``: curated relations first, automatic alignment for the rest, evidence rules.

The engine decides what may be claimed. A curated relation recorded with evidence always wins
over what the alignment algorithm would say; the algorithm only fills in the points the curators
left open, and says so (``basis="automatic"`` with its score). When a side is only partly known,
a point without a counterpart is ``unreported`` rather than ``removed`` or ``added``: the other
version may well contain it, nobody has said.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from plandiff import align as aligner
from plandiff import worddiff
from plandiff.models import (
    Anchor,
    Completeness,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
)
from plandiff.result import (
    Basis,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    PointRef,
    Settings,
    VersionSummary,
)

REDLINE_ALGORITHM = "diff-match-patch word tokens, semantic cleanup, Diff_Timeout=0"

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
        return None if any(i is None for i in found) else tuple(sorted(i for i in found if i is not None))

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


def _ref(version: PlanVersion, index: int) -> PointRef:
    p = version.points[index]
    return PointRef.model_construct(
        key=p.key, number=p.number, index=index + 1, verbatim=p.verbatim, text=p.content
    )


def _evidence(
    anchors: Iterable[Anchor], role: str, point: str | None, sources: Mapping[str, Source]
) -> list[EvidenceRef]:
    out = []
    for a in anchors:
        s = sources.get(a.source)
        out.append(
            EvidenceRef.model_construct(
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


def summarise(version: PlanVersion, sources: Mapping[str, Source]) -> VersionSummary:
    """The header facts of a version, with the evidence for them."""
    return VersionSummary(
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
) -> DiffResult:
    """Compare two plan versions and return every change with its evidence.

    ``registry`` (or ``sources``) supplies source metadata for citations; without either, the
    evidence names only source ids. Same inputs give the same output on any machine.
    """
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

    # Moves are judged over every matched group, curated and automatic alike.
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]] = [
        (c.old, c.new) for c in curated if c.old and c.new
    ]
    groups += [(c.old, c.new) for c in automatic if c.old and c.new]
    moved_flags = aligner.detect_moves(groups)
    moved = {g for g, flag in zip(groups, moved_flags, strict=True) if flag}

    changes: list[tuple[tuple[float, int, int], Change]] = []
    new_pos_of_old: dict[int, int] = {}
    for o, n in groups:
        for i in o:
            new_pos_of_old[i] = min(n)

    def sort_key(o: tuple[int, ...], n: tuple[int, ...]) -> tuple[float, int, int]:
        if n:
            return (float(min(n)), 0, 0)
        # An old-only point stands where it stood: after its nearest matched predecessor.
        before = [new_pos_of_old[i] for i in range(min(o) - 1, -1, -1) if i in new_pos_of_old][:1]
        return ((before[0] if before else -1) + 0.5, 1, min(o))

    def build(
        kind: ChangeKind,
        o: tuple[int, ...],
        n: tuple[int, ...],
        basis: Basis,
        similarity: float | None,
        relation_evidence: Sequence[Anchor] = (),
        note: str | None = None,
    ) -> Change:
        if kind is ChangeKind.REMOVED and basis is Basis.AUTOMATIC and new.completeness is Completeness.PARTIAL:
            kind = ChangeKind.UNREPORTED
        if kind is ChangeKind.ADDED and basis is Basis.AUTOMATIC and old.completeness is Completeness.PARTIAL:
            kind = ChangeKind.UNREPORTED
        redline = None
        substantive: tuple = ()
        if kind in (ChangeKind.REWORDED, ChangeKind.MERGED, ChangeKind.SPLIT) and o and n:
            redline = worddiff.redline(_joined(old, o), _joined(new, n))
            substantive = worddiff.substantive_changes(redline)
        evidence: list[EvidenceRef] = []
        for i in o:
            p = old.points[i]
            evidence += _evidence(p.evidence, "old", p.key, source_map)
        for i in n:
            p = new.points[i]
            evidence += _evidence(p.evidence, "new", p.key, source_map)
        evidence += _evidence(relation_evidence, "relation", None, source_map)
        return Change.model_construct(
            kind=kind,
            moved=(o, n) in moved,
            old=tuple(_ref(old, i) for i in o),
            new=tuple(_ref(new, i) for i in n),
            similarity=similarity,
            basis=basis,
            redline=redline,
            substantive=tuple(substantive),
            evidence=tuple(evidence),
            note=note,
        )

    for c in curated:
        similarity = None
        if c.old and c.new:
            similarity = aligner.similarity(_joined(old, c.old), _joined(new, c.new))
        change = build(c.kind, c.old, c.new, Basis.CURATED, similarity, c.evidence, c.note)
        changes.append((sort_key(c.old, c.new), change))
    for a in automatic:
        change = build(a.kind, a.old, a.new, Basis.AUTOMATIC, a.similarity)
        changes.append((sort_key(a.old, a.new), change))
    changes.sort(key=lambda pair: pair[0])

    return DiffResult(
        old=summarise(old, source_map),
        new=summarise(new, source_map),
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
        warnings=tuple(warnings),
    )


# --------------------------------------------------------------------------- ad-hoc text diffs

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _text_id(name: str) -> str:
    ident = _ID_UNSAFE.sub("-", name).strip("-._") or "text"
    return ident[:128]


def version_from_text(text: str, name: str, *, version_id: str | None = None) -> tuple[PlanVersion, list[str]]:
    """A full, in-memory version segmented from a plan text, each point anchored to its span.

    The returned warnings are segmentation warnings (numbering gaps, repeats, restarts).
    """
    from plandiff.anchors import make_anchor
    from plandiff.segment import segment

    seg = segment(text)
    source_id = _text_id(version_id or name)
    points = []
    for s in seg.points:
        anchor = make_anchor(source_id, text, s.body_start, s.body_end) if s.text else None
        points.append(
            Point.model_construct(
                key=f"p{s.index}",
                number=s.number,
                text=s.text or s.label,
                summary=None,
                topics=(),
                evidence=(anchor,) if anchor else (),
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
    warnings = [f"{name}: {w.message}" for w in seg.warnings]
    return version, warnings


def diff_texts(
    old_text: str,
    new_text: str,
    *,
    old_name: str = "old",
    new_name: str = "new",
    settings: aligner.AlignSettings | None = None,
) -> DiffResult:
    """Diff two plan texts directly, like ``git diff --no-index``."""
    old_id, new_id = _text_id(old_name), _text_id(new_name)
    if old_id == new_id:
        old_id, new_id = old_id + "-old", new_id + "-new"
    old, old_warn = version_from_text(old_text, old_name, version_id=old_id)
    new, new_warn = version_from_text(new_text, new_name, version_id=new_id)
    sources = {
        old.id: Source.model_construct(id=old.id, title=old_name, path=str(Path(old_name).name)),
        new.id: Source.model_construct(id=new.id, title=new_name, path=str(Path(new_name).name)),
    }
    return diff(old, new, sources=sources, settings=settings, warnings=old_warn + new_warn)
