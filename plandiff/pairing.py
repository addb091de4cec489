"""Honest pairing: what the alignment's weakest pairs are called, and the numbers as evidence.

The alignment (:mod:`plandiff.align`) pairs a lone leftover point on each side between two
paraphrased neighbours whatever its wording: a rewrite keeps the order. But a pair that shares
next to nothing is not a rewording a reader can check; it is the old text giving way to a new
one in the same place, and it is reported as :attr:`~plandiff.result.ChangeKind.REPLACED`.

Numbers are evidence too. Where both versions keep the old numbering (nearly every matched pair
carries the same number on both sides, so a deleted point leaves a gap or a "deleted" note rather
than a renumbering), a point numbered 7 between the same two matched neighbours on both sides is
point 7 in both, however much it was rewritten; pairs made by wording alone between those
neighbours give way to pairs by number, unless their wording is strong enough to be a pairing on
its own (at least the match threshold).

Pure: correspondences in, correspondences out, every point still in exactly one.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from plandiff import align as aligner
from plandiff.align import AlignSettings, Correspondence
from plandiff.result import ChangeKind

__all__ = ["honest", "keeps_numbering"]

#: Share of matched pairs with the same number on both sides from which the numbering counts
#: as kept; and how many such pairs it takes to say so.
_KEPT_SHARE = 0.9
_KEPT_MIN = 3

_PAIRED = (ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED)


def keeps_numbering(
    found: Sequence[Correspondence],
    old_numbers: Sequence[int | None],
    new_numbers: Sequence[int | None],
    settings: AlignSettings,
) -> bool:
    """Whether the pairs that wording alone makes (both sides numbered) nearly all keep their
    number; the weak positional pairs are what is in question, so they do not vote."""
    same = total = 0
    for c in found:
        if c.kind in _PAIRED and not _weak(c, settings):
            a, b = old_numbers[c.old[0]], new_numbers[c.new[0]]
            if a is not None and b is not None:
                total += 1
                same += a == b
    return total >= _KEPT_MIN and same >= _KEPT_SHARE * total


def _kind(old_text: str, new_text: str, similarity: float, settings: AlignSettings) -> ChangeKind:
    if aligner.normalise(old_text) == aligner.normalise(new_text):
        return ChangeKind.UNCHANGED
    if similarity < settings.positional_threshold:
        return ChangeKind.REPLACED
    return ChangeKind.REWORDED


def honest(
    found: Sequence[Correspondence],
    old_numbers: Sequence[int | None],
    new_numbers: Sequence[int | None],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: AlignSettings,
) -> tuple[Correspondence, ...]:
    """``found`` with weak pairs named for what they are and same-numbered points paired."""
    out = [
        c.model_copy(update={"kind": ChangeKind.REPLACED})
        if c.kind is ChangeKind.REWORDED
        and c.similarity is not None
        and c.similarity < settings.positional_threshold
        else c
        for c in found
    ]
    if not keeps_numbering(out, old_numbers, new_numbers, settings):
        return tuple(out)
    repaired = _pair_by_number(out, old_numbers, new_numbers, old_texts, new_texts, settings)
    return tuple(repaired) if repaired is not None else tuple(out)


def _weak(c: Correspondence, settings: AlignSettings) -> bool:
    """A 1:1 pair that wording alone would not make anywhere: the positional prior's."""
    return (
        c.kind in (ChangeKind.REWORDED, ChangeKind.REPLACED)
        and not c.moved
        and (c.similarity is None or c.similarity < settings.match_threshold)
    )


def _pair_by_number(
    found: list[Correspondence],
    old_numbers: Sequence[int | None],
    new_numbers: Sequence[int | None],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: AlignSettings,
) -> list[Correspondence] | None:
    """Inside each gap between strong in-order pairs, pair the points left over (and those
    paired weakly) by their number; None when that changes nothing."""
    pins = sorted(
        (c.old[0], c.new[0])
        for c in found
        if c.old and c.new and not c.moved and not _weak(c, settings)
    )
    pin_old = [i for i, _ in pins]
    pin_new = [j for _, j in pins]

    def gap_old(i: int) -> int:
        return bisect.bisect_left(pin_old, i)

    def gap_new(j: int) -> int:
        return bisect.bisect_left(pin_new, j)

    loose_old: dict[tuple[int, int], int] = {}  # (gap, number) → old point
    loose_new: dict[tuple[int, int], int] = {}
    weak_of_old: dict[int, Correspondence] = {}
    weak_of_new: dict[int, Correspondence] = {}
    for c in found:
        if c.kind is ChangeKind.REMOVED or (
            len(c.old) == 1 and len(c.new) == 1 and _weak(c, settings)
        ):
            for i in c.old:
                if old_numbers[i] is not None:
                    loose_old.setdefault((gap_old(i), old_numbers[i]), i)  # type: ignore[arg-type]
                if c.new:
                    weak_of_old[i] = c
        if c.kind is ChangeKind.ADDED or (
            len(c.old) == 1 and len(c.new) == 1 and _weak(c, settings)
        ):
            for j in c.new:
                if new_numbers[j] is not None:
                    loose_new.setdefault((gap_new(j), new_numbers[j]), j)  # type: ignore[arg-type]
                if c.old:
                    weak_of_new[j] = c
    by_number = [
        (i, loose_new[key])
        for key, i in sorted(loose_old.items(), key=lambda kv: kv[1])
        if key in loose_new
    ]
    changed = [
        (i, j) for i, j in by_number if not (i in weak_of_old and weak_of_old[i].new == (j,))
    ]
    if not changed:
        return None
    taken_old = {i for i, _ in changed}
    taken_new = {j for _, j in changed}
    # Pairs and points that the new pairs take apart: their other points are left over.
    dissolved = {
        id(c)
        for c in found
        if any(i in taken_old for i in c.old) or any(j in taken_new for j in c.new)
    }
    out = [c for c in found if id(c) not in dissolved]
    for c in found:
        if id(c) not in dissolved:
            continue
        out += [_single(ChangeKind.REMOVED, (i,), ()) for i in c.old if i not in taken_old]
        out += [_single(ChangeKind.ADDED, (), (j,)) for j in c.new if j not in taken_new]
    for i, j in changed:
        score = aligner.similarity(old_texts[i], new_texts[j], settings=settings)
        out.append(_single(_kind(old_texts[i], new_texts[j], score, settings), (i,), (j,), score))
    return _with_moves(out)


def _single(
    kind: ChangeKind,
    old: tuple[int, ...],
    new: tuple[int, ...],
    similarity: float | None = None,
) -> Correspondence:
    return Correspondence(
        kind=kind,
        old=old,
        new=new,
        similarity=None if similarity is None else round(similarity, 6),
    )


def _with_moves(found: list[Correspondence]) -> list[Correspondence]:
    """The correspondences with their moved flags judged again over every matched group."""
    flags = aligner.detect_moves([(c.old, c.new) for c in found])
    return [
        c if c.moved == flag else c.model_copy(update={"moved": flag})
        for c, flag in zip(found, flags, strict=True)
    ]
