"""Honest pairing: what the alignment's weakest pairs are called, and the numbers as evidence.

The alignment (:mod:`plandiff.align`) pairs leftover points in order between matched
neighbours with little shared wording (the positional prior), and a lone point on each side
between two paraphrased neighbours whatever its wording: a rewrite keeps the order. Such a pair
is only as good as its surroundings say:

* a pair that shares next to nothing is not a rewording a reader can check; it is the old text
  giving way to a new one in the same place: :attr:`~plandiff.result.ChangeKind.REPLACED`;
* between neighbours that are unchanged word for word (successive editions of one text), a
  kept point keeps most of its wording, so a pair below the match threshold there, neither of
  whose texts is mostly (the containment threshold) found in the other, is a point replaced by
  another, not a rewording;
* but where both versions keep their numbering, numbers are evidence: a point under the same
  number between rewritten neighbours is that point rewritten, however few words it keeps, and
  a repeal note ("-", "(weggefallen)", "[Repealed]") under the number of the point it stands
  for is that point, whatever its neighbours.

Numbers are evidence too. Where both versions keep the old numbering (nearly every matched pair
carries the same number on both sides, so a deleted point leaves a gap or a "deleted" note rather
than a renumbering), a point numbered 7 between the same two matched neighbours on both sides is
point 7 in both, however much it was rewritten; pairs made by wording alone between those
neighbours give way to pairs by number, unless their wording is strong enough to be a pairing on
its own (at least the match threshold).

Before all that, the last points are judged again without the closing glued to them
(:mod:`plandiff.glued`): text both versions end with says where the document ends, not which
points correspond.

Pure: correspondences in, correspondences out, every point still in exactly one.
"""

from __future__ import annotations

import bisect
import operator
import re
from collections.abc import Sequence

import msgspec

from plandiff import align as aligner
from plandiff import glued
from plandiff.align import AlignSettings, Correspondence
from plandiff.chains import rising_chain
from plandiff.result import ChangeKind

__all__ = ["honest", "keeps_numbering", "number_keys"]

#: Most words a point may have to count as a placeholder (a repeal or reservation note).
_PLACEHOLDER_WORDS = 2

#: Share of matched pairs with the same number on both sides from which the numbering counts
#: as kept; and how many such pairs it takes to say so.
_KEPT_SHARE = 0.9
_KEPT_MIN = 3

_PAIRED = (ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED)


#: A point's number for comparison: its number as written where known ("142a"), else as read.
NumberKey = str | int | None


def number_keys(
    points: Sequence[object],
    written: Sequence[str | None],
    divisions: Sequence[str | None] = (),
) -> list[NumberKey]:
    """Each point's number key: the number as written when the outline has it (so that "142"
    and "142a" differ), else the registry's number; inside a division with numbering of its
    own, qualified by it, so that point 1 of Schedule 1 is never clause 1 nor point 1 of
    Annex A."""
    if len(written) == len(points):
        # Most numbers are a word ("12", "4a"): casefolded as they are, not split and joined.
        keys: list[NumberKey] = [
            (w.casefold() if w.isalnum() else " ".join(w.casefold().split())) if w else None
            for w in written
        ]
    else:
        keys = [getattr(p, "number", None) for p in points]
    if len(divisions) == len(points):
        keys = [
            f"{' '.join(d.casefold().split())} › {k}" if d is not None and k is not None else k
            for k, d in zip(keys, divisions, strict=True)
        ]
    return keys


_WORD = re.compile(r"[^\W_]+")


def _contained(old_text: str, new_text: str) -> float:
    """The larger share of one text's distinct words found in the other: a point kept with
    page furniture around it (footnotes, running heads) is still wholly inside the other."""
    a = set(_WORD.findall(old_text.casefold()))
    b = set(_WORD.findall(new_text.casefold()))
    if not a or not b:
        return 0.0
    shared = len(a & b)
    return max(shared / len(a), shared / len(b))


def _placeholder(text: str) -> bool:
    """A point that says only that it is gone or reserved: a couple of words at most."""
    return sum(1 for w in text.split() if any(ch.isalpha() for ch in w)) <= _PLACEHOLDER_WORDS


def keeps_numbering(
    found: Sequence[Correspondence],
    old_numbers: Sequence[NumberKey],
    new_numbers: Sequence[NumberKey],
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


def _same(old_text: str, new_text: str) -> bool:
    return aligner.normalise(old_text) == aligner.normalise(new_text)


def honest(
    found: Sequence[Correspondence],
    old_numbers: Sequence[NumberKey],
    new_numbers: Sequence[NumberKey],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: AlignSettings,
) -> tuple[Correspondence, ...]:
    """``found`` with weak pairs named for what they are and same-numbered points paired."""
    out = glued.judge_without_closing(found, old_texts, new_texts, settings)
    if out != list(found):
        out = _with_moves(out)
    kept = keeps_numbering(out, old_numbers, new_numbers, settings)
    if kept:
        repaired = _pair_by_number(out, old_numbers, new_numbers, old_texts, new_texts, settings)
        if repaired is not None:
            out = repaired
    weak = [k for k, c in enumerate(out) if _weak(c, settings)]
    verbatim_around = _verbatim_surroundings(out, weak)
    named = list(out)
    for k in weak:  # only a weak pair may be named again: the rest stand as they are
        c = out[k]
        i, j = c.old[0], c.new[0]
        by_number = kept and old_numbers[i] is not None and old_numbers[i] == new_numbers[j]
        if by_number and (_placeholder(old_texts[i]) or _placeholder(new_texts[j])):
            kind = ChangeKind.REWORDED  # a repeal note standing for its point
        elif (
            k in verbatim_around
            and _contained(old_texts[i], new_texts[j]) < settings.containment_threshold
        ) or ((c.similarity or 0.0) < settings.positional_threshold and not by_number):
            kind = ChangeKind.REPLACED
        else:
            kind = ChangeKind.REWORDED
        if kind is not c.kind:
            named[k] = msgspec.structs.replace(c, kind=kind)
    return tuple(named)


def _verbatim_surroundings(found: Sequence[Correspondence], weak: Sequence[int]) -> set[int]:
    """Positions in ``found`` of the weak pairs (``weak``: their positions, ascending) whose
    nearest strong in-order neighbours (before and after, those that exist) are all unchanged
    word for word."""
    if not weak:
        return set()
    is_weak = set(weak)
    strong = [
        c for k, c in enumerate(found) if c.old and c.new and not c.moved and k not in is_weak
    ]
    at = [c.new[0] for c in strong]
    if not all(map(operator.lt, at, at[1:])):  # in new order already, as the alignment gives
        strong.sort(key=lambda c: c.new[0])
        at = [c.new[0] for c in strong]
    out = set()
    for k in weak:
        c = found[k]
        if not (len(c.old) == len(c.new) == 1):
            continue
        n = bisect.bisect_left(at, c.new[0])
        around = [strong[m].kind is ChangeKind.UNCHANGED for m in (n - 1, n) if 0 <= m < len(at)]
        if around and all(around):
            out.add(k)
    return out


#: The kinds a positional pair can have.
_REWORDINGS = frozenset((ChangeKind.REWORDED, ChangeKind.REPLACED))


def _weak(c: Correspondence, settings: AlignSettings) -> bool:
    """A 1:1 pair that wording alone would not make anywhere: the positional prior's."""
    return (
        c.kind in _REWORDINGS
        and not c.moved
        and (c.similarity is None or c.similarity < settings.match_threshold)
    )


def _pair_by_number(
    found: list[Correspondence],
    old_numbers: Sequence[NumberKey],
    new_numbers: Sequence[NumberKey],
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

    # (gap, number) → the points of that gap under that number; a number that stands on
    # several loose points of one gap says nothing about which is which.
    loose_old: dict[tuple[int, NumberKey], list[int]] = {}
    loose_new: dict[tuple[int, NumberKey], list[int]] = {}
    weak_of_old: dict[int, Correspondence] = {}
    weak_of_new: dict[int, Correspondence] = {}
    for c in found:
        if c.kind is ChangeKind.REMOVED or (
            len(c.old) == 1 and len(c.new) == 1 and _weak(c, settings)
        ):
            for i in c.old:
                if old_numbers[i] is not None:
                    loose_old.setdefault((gap_old(i), old_numbers[i]), []).append(i)
                if c.new:
                    weak_of_old[i] = c
        if c.kind is ChangeKind.ADDED or (
            len(c.old) == 1 and len(c.new) == 1 and _weak(c, settings)
        ):
            for j in c.new:
                if new_numbers[j] is not None:
                    loose_new.setdefault((gap_new(j), new_numbers[j]), []).append(j)
                if c.old:
                    weak_of_new[j] = c
    by_number = _in_order(
        sorted(
            (olds[0], loose_new[key][0])
            for key, olds in loose_old.items()
            if len(olds) == 1 and len(loose_new.get(key, ())) == 1
        )
    )
    changed = [
        (i, j) for i, j in by_number if not (i in weak_of_old and weak_of_old[i].new == (j,))
    ]
    if not changed:
        return None
    taken_old = {i for i, _ in changed}
    taken_new = {j for _, j in changed}
    # A weak pair that would cross a pair by number gives way too: the numbers say where the
    # points stand, and a positional guess across them would be a move nobody showed.
    at_old = [i for i, _ in by_number]
    crossing = set()
    for c in weak_of_old.values():
        (a,), (b,) = c.old, c.new
        k = bisect.bisect_left(at_old, a)
        if (k > 0 and by_number[k - 1][1] > b) or (
            k < len(by_number) and by_number[k][0] > a and by_number[k][1] < b
        ):
            crossing.add(id(c))
    # Pairs and points that the new pairs take apart: their other points are left over.
    dissolved = crossing | {
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
        kind = ChangeKind.UNCHANGED if _same(old_texts[i], new_texts[j]) else ChangeKind.REWORDED
        out.append(_single(kind, (i,), (j,), score))
    return _with_moves(out)


def _in_order(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The longest run of ``pairs`` (sorted by old index) whose new indices rise too.

    A gap's points stand in place: numbers that would pair them across each other are not
    evidence of where each went (that would be a move, which numbers cannot show), so only
    pairs that keep the order are made.
    """
    return [pairs[n] for n in rising_chain([j for _, j in pairs])]


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
        c if c.moved == flag else msgspec.structs.replace(c, moved=flag)
        for c, flag in zip(found, flags, strict=True)
    ]
