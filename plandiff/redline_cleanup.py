"""Cleaning up a shortest edit script so a redline reads the way a person would mark it up.

A shortest insert/delete script of two token sequences keeps every coincidental match ("the",
a shared space) and places each insertion at an arbitrary one of its equivalent positions.
These passes are diff-match-patch's semantic cleanup, read for word tokens: fold small
equalities into the changes around them, slide edits to the strongest boundaries, and pull out
text that a deletion ends with and the following insertion starts with.

A diff is kept as its equal runs, in order, each (start in old, start in new, how many
tokens); what lies between two runs is a change. The token sequences are strings with one
character per token (see :mod:`plandiff.redline`), except for the boundary slides, which read
the tokens themselves.
"""

from __future__ import annotations

import re

__all__ = [
    "Run",
    "absorb_equalities",
    "align_to_boundaries",
    "eliminate_small_equalities",
    "extract_overlaps",
    "overlap",
]

#: Equal tokens: (start in old, start in new, how many). Every cleanup step only removes, moves
#: or adds runs, so deletions and insertions stay contiguous by construction. Plain tuples: a
#: diff of 30,000 points makes a few hundred thousand of them.
Run = tuple[int, int, int]


def absorb_equalities(runs: list[Run], old: str, new: str, *, joined: bool = False) -> list[Run]:
    """Join touching runs, and let changes swallow the equalities they can slide over.

    diff-match-patch's merge step, on runs: a change whose deletion and insertion start (or
    end) alike gives that much back to the run beside it; and a pure insertion or deletion that
    ends with the whole equality before it ("observers{+, deployed by the OSCE,+} shall" found
    as "observers{+,+} {+deployed by the OSCE, +}shall") slides left over it, or starts with the
    whole equality after it slides right, so the two changes around that equality become one.
    Repeated until nothing slides; a zero-length run keeps each end of the texts. ``joined``
    says the runs are already joined and trimmed (see :func:`_join_and_trim`).
    """
    while True:
        if not joined:
            runs = _join_and_trim(runs, old, new)
        joined = False
        slid = False
        k = 0
        while k < len(runs) - 1:  # the edit between runs[k] and runs[k + 1]
            lo, ln, ll = runs[k]
            ro, rn, rl = runs[k + 1]
            old_gap, new_gap = ro - lo - ll, rn - ln - ll
            # Only between two real equalities: each slide then removes one, so this ends.
            # And only over an equality no longer than the edit (most are longer).
            gap = new_gap or old_gap
            if (old_gap == 0) == (new_gap == 0) or not ll or not rl or (gap < ll and gap < rl):
                k += 1
                continue
            text, start = (new, ln + ll) if new_gap else (old, lo + ll)
            end = start + gap
            if ll <= gap and text[end - ll : end] == text[start - ll : start]:
                merged = (ro - ll, rn - ll, rl + ll)  # the edit moves left over runs[k]
                runs[k : k + 2] = [(0, 0, 0), merged] if k == 0 else [merged]
            elif rl <= gap and text[start : start + rl] == text[end : end + rl]:
                merged = (lo, ln, ll + rl)  # the edit moves right over runs[k + 1]
                last = k + 2 == len(runs)
                runs[k : k + 2] = [merged, (len(old), len(new), 0)] if last else [merged]
            else:
                k += 1
                continue
            slid = True
            k = max(k - 1, 0)
        if not slid:
            return runs


def _join_and_trim(runs: list[Run], old: str, new: str) -> list[Run]:
    """Runs with nothing between them joined; two-sided changes without a common start or end."""
    out: list[Run] = [runs[0]]
    for run in runs[1:]:
        po, pn, pl = out[-1]
        o1, n1 = po + pl, pn + pl
        o2, n2, length = run
        if o1 == o2 and n1 == n2:
            out[-1] = (po, pn, pl + length)
            continue
        if o1 < o2 and n1 < n2:
            limit = min(o2 - o1, n2 - n1)
            head = 0
            while head < limit and old[o1 + head] == new[n1 + head]:
                head += 1
            if head:
                out[-1] = (po, pn, pl + head)
                limit -= head
            tail = 0
            while tail < limit and old[o2 - tail - 1] == new[n2 - tail - 1]:
                tail += 1
            if tail:
                run = (o2 - tail, n2 - tail, length + tail)
        out.append(run)
    return out


def eliminate_small_equalities(runs: list[Run]) -> list[Run]:
    """Fold each equality no longer than the changes on both its sides into them.

    A shortest edit script keeps every coincidental match ("the", a space) between two
    unrelated phrases, which shreds a rewritten sentence into alternating fragments. This is
    diff-match-patch's semantic cleanup rule (an equality goes when it is no longer than the
    larger side of the change before it and of the change after it, lengths in tokens), applied
    until nothing changes; folding one equality grows its neighbours' changes, so a stack
    re-examines the equality before. The first and last runs (the texts' common start and end)
    always stay.
    """
    kept: list[Run] = []
    for run in runs:
        kept.append(run)
        while len(kept) >= 3:
            (bo, bn, bl), (mo, mn, ml), (ao, an, _) = kept[-3], kept[-2], kept[-1]
            if ml > mo - bo - bl and ml > mn - bn - bl:
                break  # longer than the change before
            if ml > ao - mo - ml and ml > an - mn - ml:
                break  # longer than the change after
            del kept[-2]
    return kept


def align_to_boundaries(runs: list[Run], old_tokens: list[str], new_tokens: list[str]) -> None:
    """Slide each pure insertion or deletion to where its edges read best.

    Inserting "the cat " into "the cat sat" can be shown at three places; the one that starts
    and ends at the strongest boundaries (see :func:`_boundary_score`) is kept, the later one on
    a tie.
    """
    for k in range(1, len(runs)):
        (bo, bn, bl), (ao, an, al) = runs[k - 1], runs[k]
        old_gap, new_gap = ao - bo - bl, an - bn - bl
        if (old_gap == 0) == (new_gap == 0) or not bl or not al:
            continue
        text, gap, end = (new_tokens, new_gap, an) if new_gap else (old_tokens, old_gap, ao)
        start = end - gap
        shift = -min(bl, _common_suffix(text, start, end))
        if not shift and (end >= len(text) or text[start] != text[end]):
            continue  # it cannot slide either way
        best_shift, best_score = 0, -1
        while True:
            s, e = start + shift, end + shift
            score = _boundary_score(text, s) + _boundary_score(text, e)
            if score >= best_score:
                best_shift, best_score = shift, score
            if shift >= al or e >= len(text) or text[s] != text[e]:
                break
            shift += 1
        if best_shift:
            runs[k - 1] = (bo, bn, bl + best_shift)
            runs[k] = (ao + best_shift, an + best_shift, al - best_shift)
    # A run emptied by a slide is no run: the changes on either side of it are one change.
    runs[1:-1] = [run for run in runs[1:-1] if run[2]]


def _common_suffix(text: list[str], start: int, end: int) -> int:
    """How far the edit ``text[start:end]`` can slide left (its tail repeats before it)."""
    n = 0
    while start - n > 0 and text[start - n - 1] == text[end - n - 1]:
        n += 1
    return n


def _boundary_score(text: list[str], at: int) -> int:
    """How good a place to start or end an edit the gap before ``text[at]`` is (higher: better).

    diff-match-patch's scale, read for words rather than characters: 6 at either end of the
    text, 5 at a blank line, 4 at a line break, 3 between a space and a word (so an edit starts
    with a word and ends with the space after it: "the {+new +}text"), 2 between a word and a
    space, 1 beside punctuation.
    """
    if at <= 0 or at >= len(text):
        return 6
    left, right = text[at - 1], text[at]
    if "\n" in left or "\n" in right or "\r" in left or "\r" in right:
        return 5 if _BLANK_LINE.search(left) or _BLANK_LINE.search(right) else 4
    if left.isspace() and right[0].isalnum():
        return 3
    if right.isspace() and left[-1].isalnum():
        return 2
    return 1  # punctuation on one side (two words or two spaces are never neighbours)


_BLANK_LINE = re.compile(r"\n\r?\n")


def extract_overlaps(runs: list[Run], old: str, new: str) -> list[Run]:
    """Pull out text that a deletion ends with and the following insertion starts with.

    After small equalities are folded, a change may read "delete 'troops will withdraw' /
    insert 'withdraw within 30 days'"; when the shared part is at least half of either side
    it is shown as kept (diff-match-patch's overlap rule), and likewise when the insertion
    ends with what the deletion starts with.
    """
    out: list[Run] = [runs[0]]
    for run in runs[1:]:
        po, pn, pl = out[-1]
        o1, n1 = po + pl, pn + pl
        o2, n2, _ = run
        # Both overlaps are 0 unless one side's first token is somewhere in the other side:
        # checked in place, as most changes share nothing.
        if (
            o1 < o2
            and n1 < n2
            and (old.find(new[n1], o1, o2) >= 0 or new.find(old[o1], n1, n2) >= 0)
        ):
            deleted, inserted = old[o1:o2], new[n1:n2]
            forward = overlap(deleted, inserted)
            backward = overlap(inserted, deleted)
            half = min(len(deleted), len(inserted)) / 2
            if forward >= backward and forward >= half:
                out.append((o2 - forward, n1, forward))
            elif backward > forward and backward >= half:
                out.append((o1, n2 - backward, backward))
        out.append(run)
    return out


def overlap(first: str, second: str) -> int:
    """Length of the longest end of ``first`` that is also a start of ``second``.

    Knuth-Morris-Pratt's failure function, so linear in the lengths: growing a candidate and
    searching for it again (diff-match-patch's way) is quadratic on repetitive text, minutes
    for a hostile 50,000-word point.
    """
    size = min(len(first), len(second))
    if not size or second[0] not in first:
        return 0
    first, second = first[len(first) - size :], second[:size]
    if first == second:
        return size
    fail = [0] * size  # fail[i]: longest proper border of second[: i + 1]
    k = 0
    for i in range(1, size):
        while k and second[i] != second[k]:
            k = fail[k - 1]
        if second[i] == second[k]:
            k += 1
        fail[i] = k
    k = 0  # how much of second's start the scanned part of first ends with
    for ch in first:
        while k and ch != second[k]:
            k = fail[k - 1]
        if ch == second[k]:
            k += 1
    return k
