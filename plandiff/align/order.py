"""Order and moves: heaviest increasing chains, which matched groups stay in place, and which
moved (:func:`detect_moves`), so that renumbering alone never counts as a move.

Plain Python below :data:`_SMALL` items; numpy (imported then) above, with the same result.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["detect_moves", "heaviest_chain", "stable_flags", "stable_groups", "stable_items"]

#: Below this many items, move detection runs in plain Python: importing numpy costs more.
_SMALL = 2000


def heaviest_chain(xs: Sequence[int], weights: Sequence[float]) -> list[int]:
    """Indices of a heaviest subsequence with strictly increasing ``xs`` (items in given order).

    Fenwick tree over the ranks of ``xs``: O(n log n). Ties: at equal weight the chain ending at
    the smaller x wins, both for predecessors and at the end, so of two swapped points the one
    earlier in the old version stays put.
    """
    n = len(xs)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda k: (xs[k], k))
    rank = [0] * n
    r = 0
    for pos, k in enumerate(order):
        if pos and xs[k] != xs[order[pos - 1]]:
            r += 1
        rank[k] = r + 1
    size = r + 1
    # Entries compare as (weight, -x, -k): heavier, then smaller x, then earlier item wins.
    none = (-math.inf, 0, 1)
    tree: list[tuple[float, int, int]] = [none] * (size + 1)
    back = [-1] * n
    best = none
    for k in range(n):
        q = rank[k] - 1
        got = none
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
    chain = []
    k = -best[2]
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return chain


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
    chain = heaviest_chain(v[starts].tolist(), run_weights.tolist())
    ends = np.concatenate((breaks, [n]))
    for run in chain:
        stable[by_new[starts[run] : ends[run]]] = True
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


def stable_groups(groups: Sequence[tuple[Sequence[int], Sequence[int]]]) -> list[int]:
    """Indices of the matched ``groups`` (both sides non-empty, ascending) kept in place by a
    heaviest in-order chain, in new order: :func:`stable_flags` for the gaps between them,
    with numpy from :data:`_SMALL` groups up (tens of thousands of flags need not become a
    list)."""
    n = len(groups)
    if n >= _SMALL:
        import numpy as np

        new_keys = np.fromiter((g[1][0] for g in groups), dtype=np.int64, count=n)
        old_keys = np.fromiter((g[0][0] for g in groups), dtype=np.int64, count=n)
        weights = np.fromiter((len(o) + len(m) for o, m in groups), dtype=np.float64, count=n)
        stable = np.flatnonzero(stable_items(new_keys, old_keys, weights))
        kept: list[int] = stable[np.argsort(new_keys[stable], kind="stable")].tolist()
        return kept
    new_first = [g[1][0] for g in groups]
    flags = stable_flags(
        new_first, [g[0][0] for g in groups], [float(len(o) + len(m)) for o, m in groups]
    )
    return sorted((k for k, keep in enumerate(flags) if keep), key=new_first.__getitem__)


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
