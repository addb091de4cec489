"""Curated relations between two versions, as the diff applies them.

A relation recorded with evidence always wins over what the alignment would say. Relations
live on the derived version, so a diff from a version to its parent reads them backwards: a
merge becomes a split, a dropped (or deferred) point an added one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from plandiff.records import AnchorRecord, RelationKind, RelationRecord, VersionRecord
from plandiff.result import ChangeKind

_RELATION_KIND = {
    RelationKind.REWORDED: ChangeKind.REWORDED,
    RelationKind.MERGED: ChangeKind.MERGED,
    RelationKind.SPLIT: ChangeKind.SPLIT,
    RelationKind.DROPPED: ChangeKind.REMOVED,
    RelationKind.DEFERRED: ChangeKind.DEFERRED,
}
_INVERSE_KIND = {
    ChangeKind.MERGED: ChangeKind.SPLIT,
    ChangeKind.SPLIT: ChangeKind.MERGED,
    ChangeKind.REMOVED: ChangeKind.ADDED,
    ChangeKind.REWORDED: ChangeKind.REWORDED,
    # Read backwards, a matter the newer version left open is one the older version has and
    # its parent does not: added, as for a dropped point (who is to decide stays on the note).
    ChangeKind.DEFERRED: ChangeKind.ADDED,
}


class Curated(NamedTuple):
    """A curated relation expressed as indices into the two versions being compared."""

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    evidence: tuple[AnchorRecord, ...]
    note: str | None
    decided_by: str | None = None
    decide_at: str | None = None


def curated(old: VersionRecord, new: VersionRecord) -> list[Curated]:
    """Relations that apply between the two versions, in either direction."""
    relations: Sequence[RelationRecord]
    if new.derived_from == old.id:
        relations, inverted = new.relations, False
    elif old.derived_from == new.id:
        relations, inverted = old.relations, True
    else:
        return []
    old_index = {p.key: i for i, p in enumerate(old.points)}
    new_index = {p.key: i for i, p in enumerate(new.points)}
    out: list[Curated] = []
    for r in relations:
        kind = _RELATION_KIND[r.kind]
        if not inverted:
            o, n = _indices(r.old, old_index), _indices(r.new, new_index)
        else:
            o, n = _indices(r.new, old_index), _indices(r.old, new_index)
            kind = _INVERSE_KIND[kind]
        if o is None or n is None:
            continue  # the registry's cross-check reports dangling keys
        deferral = (r.decided_by, r.decide_at) if kind is ChangeKind.DEFERRED else (None, None)
        out.append(Curated(kind, o, n, r.evidence, r.note, *deferral))
    return out


def _indices(keys: Iterable[str], index: Mapping[str, int]) -> tuple[int, ...] | None:
    """The sorted positions of ``keys``, or None when one is not a point of the version."""
    found = [index.get(k) for k in keys]
    if any(i is None for i in found):
        return None
    return tuple(sorted(i for i in found if i is not None))
