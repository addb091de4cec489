"""Order and moves: heaviest increasing chains, which matched groups stay in place, and which
moved (:func:`detect_moves`), so that renumbering alone never counts as a move.

Plain Python below :data:`_SMALL` items; numpy (imported then) above, with the same result.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "MatchedKeys",
    "detect_moves",
    "heaviest_chain",
    "matched_keys",
    "stable_flags",
    "stable_items",
    "stable_pins",
]

#: Below this many items, move detection runs in plain Python: importing numpy costs more.
_SMALL = 2000


#: Entries the staircase of :func:`heaviest_chain` may shift per item before the Fenwick tree
#: takes over. A document's moves shift a few hundred (200 for a synthetic 30,000-point pair
#: with 1,500 moves); only an order built against it (a block moved in front of another, every
#: other point of each) shifts more, and then the cost stays O(n log n).
SHIFT_BUDGET = 1000

#: A chain end as compared: (weight, -x, -item): heavier, then smaller x, then earlier item.
_End = tuple[float, int, int]
_NONE: _End = (-math.inf, 0, 1)


def heaviest_chain(xs: Sequence[int], weights: Sequence[float]) -> list[int]:
    """Indices of a heaviest subsequence with strictly increasing ``xs`` (items in given order).

    Each item extends the best chain end among the items before it with a smaller x. Ties: at
    equal weight the chain ending at the smaller x wins, both for predecessors and at the end,
    so of two swapped points the one earlier in the old version stays put.
    """
    found = _by_staircase(xs, weights)
    back, best = found if found is not None else _by_fenwick(xs, weights)
    chain = []
    k = -best[2]
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return chain


def _by_staircase(xs: Sequence[int], weights: Sequence[float]) -> tuple[list[int], _End] | None:
    """Each item's predecessor and the best end, from the chain ends no other end beats.

    An end with a smaller (or equal) x and a better entry than another makes that one useless,
    so the ends that matter, by ascending x, have rising entries: the best end before x is the
    last one below it, found by bisection, and a new end removes the run after it that it beats.
    Lists and bisect run in C: twice as fast as the Fenwick tree on a document's order, where
    most ends are appended. None when the lists shift more than :data:`SHIFT_BUDGET` entries
    per item (an order built against it).
    """
    at: list[int] = []  # the x of each end, ascending
    ends: list[_End] = []  # their entries, rising
    back = [-1] * len(xs)
    best = _NONE
    budget = SHIFT_BUDGET * len(xs)
    for k, x in enumerate(xs):
        p = bisect.bisect_left(at, x)
        got = ends[p - 1] if p else _NONE
        has_prev = got[0] > -math.inf
        back[k] = -got[2] if has_prev else -1
        entry = ((got[0] if has_prev else 0.0) + weights[k], -x, -k)
        if entry > best:
            best = entry
        if not entry > _NONE:
            continue  # never an end (as in the tree, which it would not enter)
        if p < len(at) and at[p] == x:
            if ends[p] > entry:
                continue
            ends[p] = entry
        elif p and got > entry:
            continue
        else:
            at.insert(p, x)
            ends.insert(p, entry)
            budget -= len(at) - p
        beaten = bisect.bisect_left(ends, entry, p + 1)
        if beaten > p + 1:
            del at[p + 1 : beaten], ends[p + 1 : beaten]
            budget -= len(at) - p
        if budget < 0:
            return None
    return back, best


def _by_fenwick(xs: Sequence[int], weights: Sequence[float]) -> tuple[list[int], _End]:
    """:func:`_by_staircase` with a Fenwick tree over the ranks of ``xs``: O(n log n) whatever
    the order."""
    n = len(xs)
    order = sorted(range(n), key=lambda k: (xs[k], k))
    rank = [0] * n
    r = 0
    for pos, k in enumerate(order):
        if pos and xs[k] != xs[order[pos - 1]]:
            r += 1
        rank[k] = r + 1
    size = r + 1
    tree: list[_End] = [_NONE] * (size + 1)
    back = [-1] * n
    best = _NONE
    for k in range(n):
        q = rank[k] - 1
        got = _NONE
        while q > 0:
            if tree[q] > got:
                got = tree[q]
            q -= q & -q
        has_prev = got[0] > -math.inf
        back[k] = -got[2] if has_prev else -1
        entry = ((got[0] if has_prev else 0.0) + weights[k], -xs[k], -k)
        if entry > best:
            best = entry
        q = rank[k]
        while q <= size:
            if entry > tree[q]:
                tree[q] = entry
            q += q & -q
    return back, best


def stable_items(new_keys: np.ndarray, old_keys: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Boolean mask of the items kept in place by a heaviest increasing subsequence.

    Items are compressed into runs first (consecutive in new order and in old rank): a run is
    either wholly in place or wholly not, because every other item is ordered the same way
    against all of its members. A document with a few hundred moves then has a few hundred
    runs, so the Python-level chain costs nothing even at 30,000 points.
    """
    import numpy as np

    n = len(new_keys)
    stable = np.zeros(n, dtype=bool)
    if n == 0:
        return stable
    by_new = np.lexsort((old_keys, new_keys))
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.lexsort((new_keys, old_keys))] = np.arange(n)
    v = ranks[by_new]
    breaks = np.flatnonzero(np.diff(v) != 1) + 1
    starts = np.concatenate(([0], breaks))
    run_weights = np.add.reduceat(weights[by_new], starts)
    kept = np.zeros(len(starts), dtype=bool)
    kept[heaviest_chain(v[starts].tolist(), run_weights.tolist())] = True
    stable[by_new] = np.repeat(kept, np.diff(np.concatenate((starts, [n]))))
    return stable


def stable_flags(
    new_keys: Sequence[int], old_keys: Sequence[int], weights: Sequence[float]
) -> list[bool]:
    """:func:`stable_items` as a list, in plain Python below :data:`_SMALL` items.

    The same steps with the same ties (lexsort and sorted are both stable), and the run
    weights are sums of whole numbers, exact in either order, so both give the same flags.
    """
    n = len(new_keys)
    if n >= _SMALL:
        import numpy as np

        flags: list[bool] = stable_items(
            np.array(new_keys, dtype=np.int64),
            np.array(old_keys, dtype=np.int64),
            np.array(weights, dtype=np.float64),
        ).tolist()
        return flags
    stable = [False] * n
    if n == 0:
        return stable
    by_new = sorted(range(n), key=lambda k: (new_keys[k], old_keys[k]))
    ranks = [0] * n
    for r, k in enumerate(sorted(range(n), key=lambda k: (old_keys[k], new_keys[k]))):
        ranks[k] = r
    v = [ranks[k] for k in by_new]
    starts = [0] + [p for p in range(1, n) if v[p] != v[p - 1] + 1]
    ends = [*starts[1:], n]
    run_weights = []
    for start, end in zip(starts, ends, strict=True):
        total = 0.0
        for p in range(start, end):
            total += weights[by_new[p]]
        run_weights.append(total)
    for run in heaviest_chain([v[start] for start in starts], run_weights):
        for p in range(starts[run], ends[run]):
            stable[by_new[p]] = True
    return stable


class MatchedKeys(NamedTuple):
    """Per matched group (both sides non-empty): its first new point, its first old point and
    its number of points, all that the order of the groups depends on.

    Taken from the groups once and extended as groups are added: tens of thousands of exact
    pairs are pins in every round, and taking their keys again each time cost 30 ms at 30,000
    points.
    """

    new: list[int]
    old: list[int]
    size: list[int]

    def plus(self, groups: Iterable[tuple[Sequence[int], Sequence[int]]]) -> MatchedKeys:
        """These keys, then those of ``groups`` (both sides non-empty)."""
        more = matched_keys(groups)
        return MatchedKeys(self.new + more.new, self.old + more.old, self.size + more.size)


def matched_keys(groups: Iterable[tuple[Sequence[int], Sequence[int]]]) -> MatchedKeys:
    """The :class:`MatchedKeys` of the groups (both sides non-empty, ascending)."""
    keys = MatchedKeys([], [], [])
    for o, n in groups:
        keys.new.append(n[0])
        keys.old.append(o[0])
        keys.size.append(len(o) + len(n))
    return keys


def stable_pins(keys: MatchedKeys) -> tuple[list[int], list[int], list[int]]:
    """The matched groups (by their ``keys``) kept in place by a heaviest in-order chain, in
    new order: their indices, first old points and first new points (both ascending: the chain
    is in order on both sides). :func:`stable_flags` for the gaps between them, with numpy
    from :data:`_SMALL` groups up (tens of thousands of flags and points need not pass through
    Python objects)."""
    n = len(keys.new)
    if n >= _SMALL:
        import numpy as np

        new_keys = np.array(keys.new, dtype=np.int64)
        old_keys = np.array(keys.old, dtype=np.int64)
        weights = np.array(keys.size, dtype=np.float64)
        stable = np.flatnonzero(stable_items(new_keys, old_keys, weights))
        stable = stable[np.argsort(new_keys[stable], kind="stable")]
        kept: list[int] = stable.tolist()
        return kept, old_keys[stable].tolist(), new_keys[stable].tolist()
    new_first, old_first = keys.new, keys.old
    flags = stable_flags(new_first, old_first, keys.size)
    kept = sorted((k for k, keep in enumerate(flags) if keep), key=new_first.__getitem__)
    return kept, [old_first[k] for k in kept], [new_first[k] for k in kept]


def detect_moves(groups: Sequence[tuple[Sequence[int], Sequence[int]]]) -> tuple[bool, ...]:
    """Which matched groups moved: those outside a heaviest in-order chain of all matched groups.

    Groups are ordered by their first new point and compared by their first old point; the chain
    weighs each group by its number of points, so a large block stays and the point that jumped
    over it is the one flagged. Points merely renumbered because something above them was added
    or removed keep their relative order and are never flagged. Groups with an empty side are
    never moved.
    """
    matched = [k for k, (o, n) in enumerate(groups) if len(o) and len(n)]
    flags = [False] * len(groups)
    if not matched:
        return tuple(flags)
    new_keys = [min(groups[k][1]) for k in matched]
    old_keys = [min(groups[k][0]) for k in matched]
    weights = [float(len(groups[k][0]) + len(groups[k][1])) for k in matched]
    stable = stable_flags(new_keys, old_keys, weights)
    for k, keep in zip(matched, stable, strict=True):
        flags[k] = not keep
    return tuple(flags)
