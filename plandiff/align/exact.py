"""Exact anchors: the points identical after normalising, paired by hash, and the curated
groups the alignment must leave as they are.

Texts unique in both versions pin the bulk (patience diff); repeated texts ("Repealed.") are
paired inside the gap between the same two pinned neighbours, then in order. Plain Python.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Sequence

from plandiff.align.order import stable_flags
from plandiff.result import ChangeKind

__all__ = ["check_fixed", "exact_pairs", "pair_kind"]


def check_fixed(
    fixed: Sequence[tuple[Sequence[int], Sequence[int]]], n_old: int, n_new: int
) -> tuple[list[bool], list[bool], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    used_old = [False] * n_old
    used_new = [False] * n_new
    groups = []
    for number, (o, n) in enumerate(fixed):
        o_t, n_t = tuple(sorted(int(i) for i in o)), tuple(sorted(int(j) for j in n))
        if not o_t and not n_t:
            raise ValueError(f"fixed group {number} is empty on both sides")
        for side, idx, used, size in (("old", o_t, used_old, n_old), ("new", n_t, used_new, n_new)):
            for i in idx:
                if not 0 <= i < size:
                    raise ValueError(
                        f"fixed group {number}: {side} index {i} is outside 0..{size - 1}"
                    )
                if used[i]:
                    raise ValueError(f"fixed group {number}: {side} index {i} is already fixed")
                used[i] = True
        groups.append((o_t, n_t))
    return used_old, used_new, groups


def exact_pairs(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    used_old: Sequence[bool],
    used_new: Sequence[bool],
) -> list[tuple[int, int]]:
    """Pairs of points identical after normalisation: unique texts first, repeats by gap."""
    idx_o, texts_o = _free(norm_old, used_old)
    idx_n, texts_n = _free(norm_new, used_new)
    at_o = dict(zip(texts_o, idx_o, strict=True))
    at_n = dict(zip(texts_n, idx_n, strict=True))
    if len(at_o) == len(texts_o) and len(at_n) == len(texts_n):
        # No text repeats on either side (the usual case): one dict lookup per point.
        return [(at_o[t], j) for t, j in zip(texts_n, idx_n, strict=True) if t in at_o]
    count_o = Counter(texts_o)
    count_n = Counter(texts_n)
    unique = [
        (at_o[t], j)
        for t, j in zip(texts_n, idx_n, strict=True)
        if count_n[t] == 1 and count_o.get(t) == 1
    ]
    where_old: dict[str, list[int]] = {}
    for t, i in zip(texts_o, idx_o, strict=True):
        if count_o[t] > 1 or count_n.get(t, 0) > 1:
            where_old.setdefault(t, []).append(i)
    where_new: dict[str, list[int]] = {}
    for t, j in zip(texts_n, idx_n, strict=True):
        if t in where_old:
            where_new.setdefault(t, []).append(j)
    repeated = [(where_old[t], js) for t, js in where_new.items()]
    if not repeated:
        return unique
    # Patience diff: the unique pairs in order pin the bulk; repeats pair within the same gap.
    pairs = unique
    u_old = [p[0] for p in unique]
    u_new = [p[1] for p in unique]
    stable = stable_flags(u_new, u_old, [1.0] * len(unique))
    pin_old = sorted(i for i, keep in zip(u_old, stable, strict=True) if keep)
    pin_new = sorted(j for j, keep in zip(u_new, stable, strict=True) if keep)
    for is_, js in repeated:
        gap_o = [bisect.bisect_left(pin_old, i) for i in is_]
        gap_n = [bisect.bisect_left(pin_new, j) for j in js]
        left_o, left_n = [], []
        by_gap: dict[int, list[int]] = {}
        for i, g in zip(is_, gap_o, strict=True):
            by_gap.setdefault(g, []).append(i)
        taken = dict.fromkeys(by_gap, 0)
        for j, g in zip(js, gap_n, strict=True):
            olds = by_gap.get(g)
            if olds is not None and taken[g] < len(olds):
                pairs.append((olds[taken[g]], j))
                taken[g] += 1
            else:
                left_n.append(j)
        for g, olds in by_gap.items():
            left_o.extend(olds[taken[g] :])
        left_o.sort()
        pairs.extend(zip(left_o, left_n, strict=False))
    return pairs


def _free(texts: Sequence[str], used: Sequence[bool]) -> tuple[Sequence[int], Sequence[str]]:
    """The points not used yet and their texts: all of them when nothing is fixed (the usual
    case, with no copies)."""
    if not any(used):
        return range(len(texts)), texts
    idx = [i for i, u in enumerate(used) if not u]
    return idx, [texts[i] for i in idx]


def pair_kind(norm_old: Sequence[str], norm_new: Sequence[str], i: int, j: int) -> ChangeKind:
    """Unchanged when the two normalised texts are equal, else reworded."""
    return ChangeKind.UNCHANGED if norm_old[i] == norm_new[j] else ChangeKind.REWORDED
