"""The changes of a diff: each correspondence as a claim with its evidence, in report order.

What may be claimed depends on what is known: when a side is only partly known, a point the
alignment left without a counterpart is ``unreported`` rather than ``removed`` or ``added``
(the other version may well contain it, nobody has said), and a figure missing from a
described point is not mentioned there rather than dropped.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Mapping, Sequence
from operator import attrgetter
from typing import NamedTuple

import msgspec

from plandiff import align as aligner
from plandiff import outside, subitems, worddiff
from plandiff.bracket_changes import bracket_changes
from plandiff.curated import Curated
from plandiff.evidence import Citation, Side, evidence_refs
from plandiff.positions import positions
from plandiff.records import AnchorRecord, Completeness, VersionRecord
from plandiff.result import (
    Basis,
    BracketChange,
    BracketChangeKind,
    Change,
    ChangeKind,
    NestedChange,
    Substantive,
)

#: The kinds whose points get a redline of their wording.
REDLINED = frozenset((ChangeKind.REWORDED, ChangeKind.MERGED, ChangeKind.SPLIT))

#: The kinds of a point with no counterpart.
_LONE = frozenset((ChangeKind.ADDED, ChangeKind.REMOVED))

#: The new points of an entry.
_NEW = attrgetter("new")

#: Old and new point indices of a correspondence.
Pair = tuple[tuple[int, ...], tuple[int, ...]]


class Entry(NamedTuple):
    """A change before it is built: what the curators or the alignment said of a pair."""

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    basis: Basis
    similarity: float | None
    evidence: Sequence[AnchorRecord] = ()  # the relation's
    note: str | None = None
    decided_by: str | None = None  # a deferred relation's
    decide_at: str | None = None


def joined(version: VersionRecord, indices: Sequence[int]) -> str:
    """The wording of a group of points, as the redline and the similarity compare it."""
    points = version.points
    if len(indices) == 1:  # most groups: no join
        return points[indices[0]].content
    return "\n".join([points[i].content for i in indices])


def entries(
    old: VersionRecord,
    new: VersionRecord,
    relations: Sequence[Curated],
    automatic: Sequence[aligner.Correspondence],
) -> list[Entry]:
    """Curated relations (scored, when both sides are present) and then the alignment's."""
    out: list[Entry] = []
    for c in relations:
        similarity = None
        if c.old and c.new:
            similarity = aligner.similarity(joined(old, c.old), joined(new, c.new))
        out.append(
            Entry(
                c.kind,
                c.old,
                c.new,
                Basis.CURATED,
                similarity,
                c.evidence,
                c.note,
                c.decided_by,
                c.decide_at,
            )
        )
    for a in automatic:
        out.append(Entry(a.kind, a.old, a.new, Basis.AUTOMATIC, a.similarity))
    return out


def needs_redline(entry: Entry) -> bool:
    return entry.kind in REDLINED and bool(entry.old) and bool(entry.new)


def moved_pairs(
    relations: Sequence[Curated],
    automatic: Sequence[aligner.Correspondence],
    old: VersionRecord | None = None,
    new: VersionRecord | None = None,
) -> tuple[list[Pair], set[Pair]]:
    """Every matched group, curated and automatic alike, and those whose order changed.

    Between two full texts every position is known. Otherwise only the groups whose points all
    have a known position (see :func:`plandiff.positions.positions`) take part, ordered by
    those positions: a move is claimed only where the evidence shows both places."""
    groups: list[Pair] = [(c.old, c.new) for c in relations if c.old and c.new]
    has_curated_pairs = bool(groups)
    groups += [(c.old, c.new) for c in automatic if c.old and c.new]
    both_full = (old is None or old.completeness is Completeness.FULL) and (
        new is None or new.completeness is Completeness.FULL
    )
    if both_full and not has_curated_pairs:
        # align (and the honest pairing after it) judged moves over exactly these groups (its
        # fixed ones have an empty side).
        return groups, {(c.old, c.new) for c in automatic if c.moved}
    if both_full:
        flags = aligner.detect_moves(groups)
        return groups, {g for g, flag in zip(groups, flags, strict=True) if flag}
    assert old is not None and new is not None
    old_at, new_at = positions(old), positions(new)
    placed: list[Pair] = []
    at: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
    for o, n in groups:
        o_at, n_at = [old_at[i] for i in o], [new_at[j] for j in n]
        if None in o_at or None in n_at:
            continue
        placed.append((o, n))
        at.append(
            (tuple(x for x in o_at if x is not None), tuple(y for y in n_at if y is not None))
        )
    flags = aligner.detect_moves(at)
    return groups, {g for g, flag in zip(placed, flags, strict=True) if flag}


class Builder:
    """Builds each entry's :class:`Change` from the two versions' points and evidence."""

    def __init__(
        self,
        old: VersionRecord,
        new: VersionRecord,
        cited: Mapping[str, Citation],
        outlines: tuple[outside.Outline, outside.Outline],
        heading_pairs: dict[int, int],
        marked: dict[Pair, worddiff.MarkedUp],
        moved: set[Pair],
        nested: Mapping[Pair, tuple[NestedChange, ...]] | None = None,
    ) -> None:
        self.old, self.new, self.cited, self.marked, self.moved = old, new, cited, marked, moved
        self.nested = nested or {}
        self.outlines, self.heading_pairs = outlines, heading_pairs
        self.old_side = Side(old, "old", cited, outlines[0])
        self.new_side = Side(new, "new", cited, outlines[1])
        # Whether any point's quotes dissent, and whether both sides have headings: most
        # diffs have neither, and their changes skip the question.
        self.dissenting = bool(self.old_side.dissenting or self.new_side.dissenting)
        self.headed = bool(outlines[0].headings and outlines[1].headings)

    def build_all(self, found: Sequence[Entry]) -> list[Change]:
        """Every entry's change, in the entries' order.

        Most entries of a long text pair one unchanged point with one, automatically: no
        redline (see :func:`needs_redline`), figures, brackets or sub-items to look at, nothing
        curated. Those are built here, in one loop, from what the two sides hold ready; the
        rest go through :meth:`build`. At 30,000 points this takes about 15 ms off building
        the changes, a fifth of it.
        """
        old_of, new_of = self.old_side.of, self.new_side.of
        old_dissenting, new_dissenting = self.old_side.dissenting, self.new_side.dissenting
        moved, nested, dissenting, headed = self.moved, self.nested, self.dissenting, self.headed
        old_outline, new_outline = self.outlines
        unchanged, automatic, build = ChangeKind.UNCHANGED, Basis.AUTOMATIC, self.build
        out: list[Change] = []
        add = out.append
        for e in found:
            kind, o, n, basis, similarity, evidence, note, decided_by, decide_at = e
            if not (
                kind is unchanged
                and basis is automatic
                and len(o) == 1
                and len(n) == 1
                and not evidence
                and note is None
                and decided_by is None
                and decide_at is None
            ):
                add(build(e))
                continue
            (i,), (j,) = o, n
            pair = (o, n)
            (old_refs, old_evidence), (new_refs, new_evidence) = old_of[i], new_of[j]
            add(
                Change(
                    kind=kind,
                    moved=pair in moved,
                    old=old_refs,
                    new=new_refs,
                    similarity=similarity,
                    basis=basis,
                    evidence=old_evidence + new_evidence,
                    heading_moved=headed
                    and outside.moved_between_headings(
                        old_outline, new_outline, self.heading_pairs, i, j
                    ),
                    nested=nested.get(pair, ()) if nested else (),
                    sources_disagree=dissenting and (i in old_dissenting or j in new_dissenting),
                )
            )
        return out

    def build(self, e: Entry) -> Change:
        kind, o, n, basis = e.kind, e.old, e.new, e.basis
        if kind in _LONE and basis is Basis.AUTOMATIC and self._unreported(kind, o, n):
            kind = ChangeKind.UNREPORTED
        pair = (o, n)
        redline, substantive = self.marked.pop(pair, (None, ()))
        if substantive:
            substantive = self._mentioned(substantive, o, n)
        old_side, new_side = self.old_side, self.new_side
        (old_refs, old_evidence), (new_refs, new_evidence) = old_side.points(o), new_side.points(n)
        evidence = old_evidence + new_evidence
        disagree = self.dissenting and (old_side.dissents(o) or new_side.dissents(n))
        if e.evidence:
            relation = evidence_refs(e.evidence, "relation", None, self.cited)
            evidence += relation
            disagree = disagree or any(r.dissents for r in relation)
        old_outline, new_outline = self.outlines
        # Both sides' wording, for the brackets and the sub-items: an unchanged pair's brackets
        # are unchanged too, and it has no redline, so most pairs of a long text skip this.
        texts = None
        if o and n and kind is not ChangeKind.UNCHANGED:
            texts = (joined(self.old, o), joined(self.new, n))
        brackets = self._brackets(o, n, texts) if texts is not None else ()
        if brackets and substantive:
            substantive = _not_chosen_figures(substantive, brackets)
        change = Change(
            kind=kind,
            moved=pair in self.moved,
            old=old_refs,
            new=new_refs,
            similarity=e.similarity,
            basis=basis,
            redline=redline,
            substantive=tuple(substantive),
            evidence=evidence,
            heading_moved=self.headed
            and bool(o and n)
            and outside.moved_between_headings(
                old_outline, new_outline, self.heading_pairs, o[0], n[0]
            ),
            subitems_changed=subitems.changed_subitems(redline, texts)
            if redline is not None
            else (),
            nested=self.nested.get(pair, ()),
            sources_disagree=disagree,
            brackets=brackets,
        )
        # What only a curated relation says is filled in apart: a call with more than 15
        # keywords costs CPython several times what one with 15 does, on every change.
        if e.note is not None or e.decided_by is not None or e.decide_at is not None:
            change = msgspec.structs.replace(
                change, note=e.note, decided_by=e.decided_by, decide_at=e.decide_at
            )
        return change

    def _unreported(self, kind: ChangeKind, o: tuple[int, ...], n: tuple[int, ...]) -> bool:
        """Whether the alignment's added or removed point must be called unreported: the
        other side is only partly known, or the point is only described."""
        return (
            (kind is ChangeKind.REMOVED and self.new.completeness is Completeness.PARTIAL)
            or (kind is ChangeKind.ADDED and self.old.completeness is Completeness.PARTIAL)
            or not self._all_verbatim(o, n)
        )

    def _all_verbatim(self, o: tuple[int, ...], n: tuple[int, ...]) -> bool:
        """Whether every point of a group is known word for word: a described point the
        alignment left alone may well be there in other words, so it is never claimed added
        or removed without a curated relation."""
        return not _any_of(self.old_side.described, o) and not _any_of(self.new_side.described, n)

    def _brackets(
        self, o: tuple[int, ...], n: tuple[int, ...], texts: tuple[str, str]
    ) -> tuple[BracketChange, ...]:
        """Bracket changes between verbatim sides (their ``texts``): a summary's brackets are
        not the plan's."""
        old_text, new_text = texts
        if ("[" not in old_text and "[" not in new_text) or not self._all_verbatim(o, n):
            return ()
        return bracket_changes(old_text, new_text)

    def _mentioned(
        self, figures: Sequence[Substantive], o: tuple[int, ...], n: tuple[int, ...]
    ) -> tuple[Substantive, ...]:
        """A figure missing from a described side is not mentioned there, not dropped."""
        old_described = _any_of(self.old_side.described, o)
        new_described = _any_of(self.new_side.described, n)
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


def _any_of(points: set[int], indices: tuple[int, ...]) -> bool:
    """Whether one of ``indices`` is among ``points`` (a set that is usually empty)."""
    return bool(points) and not points.isdisjoint(indices)


def _not_chosen_figures(
    figures: Sequence[Substantive], brackets: Sequence[BracketChange]
) -> tuple[Substantive, ...]:
    """The changed figures less those that are only the alternatives of a choice the bracket
    changes already report (``[30/60] days`` → ``60 days``: not ``30`` and ``60`` dropped)."""
    offered = {
        option
        for b in brackets
        if b.kind is BracketChangeKind.CHOSEN
        for option in (b.text, *b.others)
    }
    return tuple(
        s
        for s in figures
        if not ((s.old is None) != (s.new is None) and (s.old or s.new) in offered)
    )


def in_report_order(
    old: VersionRecord, groups: Sequence[Pair], found: Sequence[Entry], changes: Sequence[Change]
) -> tuple[Change, ...]:
    """The changes (``changes[k]`` built from ``found[k]``) in the new version's order; an
    old-only point stands where it stood, after where its nearest matched predecessor landed.

    Each change is ranked by one integer, so that the sort compares machine integers: a
    change with new points by twice the first of them, times ``width``; an old-only one by
    twice where its predecessor landed, plus one (just after it), times ``width``, plus its
    own first index (``width`` exceeds every old index). Nothing ranks equal that the order
    ``(landed + ½, old-only, first old index)`` would not.
    """
    # Where each matched old point landed. Most groups have one point a side, and for them
    # min() would cost what the rest of a rank does.
    landed = {i: n[0] if len(n) == 1 else min(n) for o, n in groups for i in o}
    matched = sorted(landed)
    width = len(old.points) + 1

    def lone(o: tuple[int, ...]) -> int:
        first = min(o)
        at = bisect_left(matched, first)  # how many matched old points stand before it
        before = landed[matched[at - 1]] if at else -1
        return (2 * before + 1) * width + first

    double = 2 * width
    ranks = [
        double * (n[0] if len(n) == 1 else min(n)) if n else lone(e.old)
        for e, n in zip(found, map(_NEW, found), strict=True)
    ]
    order = sorted(range(len(ranks)), key=ranks.__getitem__)
    return tuple(map(changes.__getitem__, order))
