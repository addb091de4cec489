"""Steps 2–5 for a residual big enough to need numpy: candidates, a two-round
sparse assignment, merges and splits, and the positional prior, over arrays.

This module and those it imports (:mod:`~plandiff.align.scores`,
:mod:`~plandiff.align.candidates`) are imported only for such a residual;
:mod:`plandiff.align.plain` does the same steps for a small one, with the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from plandiff.align.assignment import assign
from plandiff.align.candidates import leftover_candidates, rare_candidates, rare_index
from plandiff.align.merges import Wholes, combine, weak_bar
from plandiff.align.order import MatchedKeys, stable_items
from plandiff.align.records import AlignSettings
from plandiff.align.scores import Residual, distinct
from plandiff.align.settle import Settled, settle

__all__ = ["align_residual", "known_in_gaps"]


class Pins(NamedTuple):
    """Stable matched groups (first old and first new point, both ascending) and the gap
    number of every residual point: how many pins precede it."""

    old: np.ndarray
    new: np.ndarray
    gap_old: np.ndarray
    gap_new: np.ndarray


class GroupKeys(NamedTuple):
    """Per matched group: its first old point, its first new point, its number of points."""

    old: np.ndarray
    new: np.ndarray
    size: np.ndarray


def group_keys(keys: MatchedKeys) -> GroupKeys:
    """The :class:`GroupKeys` of the matched groups with these keys."""
    return GroupKeys(
        np.array(keys.old, dtype=np.int64),
        np.array(keys.new, dtype=np.int64),
        np.array(keys.size, dtype=np.float64),
    )


def with_pairs(keys: GroupKeys, old: np.ndarray, new: np.ndarray) -> GroupKeys:
    """The keys with those of the one-to-one groups ``(old[p],), (new[p],)`` after them."""
    return GroupKeys(
        np.concatenate((keys.old, old)),
        np.concatenate((keys.new, new)),
        np.concatenate((keys.size, np.full(len(old), 2.0))),
    )


def find_pins(keys: GroupKeys, res_old: np.ndarray, res_new: np.ndarray) -> Pins:
    if len(keys.old):
        stable = stable_items(keys.new, keys.old, keys.size)
        pin_old, pin_new = np.sort(keys.old[stable]), np.sort(keys.new[stable])
    else:
        pin_old = pin_new = np.zeros(0, dtype=np.int64)
    return Pins(
        pin_old, pin_new, np.searchsorted(pin_old, res_old), np.searchsorted(pin_new, res_new)
    )


def pin_neighbours(
    pins: Pins, res_old: np.ndarray, res_new: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each residual point with the residual partners of the two pins around its gap.

    A merge's minor part sits next to the pair that took its major part, and a split's second
    part next to the pair that took its first: the whole is a pin, not in the gap.
    """
    out_i: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    out_j: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    n_pins = len(pins.old)
    for side_gaps, pin_other, res_other, is_old in (
        (pins.gap_old, pins.new, res_new, True),
        (pins.gap_new, pins.old, res_old, False),
    ):
        for shift in (-1, 0):
            k = side_gaps + shift
            ok = (k >= 0) & (k < n_pins)
            points = np.flatnonzero(ok)
            partner = pin_other[k[ok]]
            pos = np.searchsorted(res_other, partner)
            found = (pos < len(res_other)) & (
                res_other[np.minimum(pos, len(res_other) - 1)] == partner
            )
            points, pos = points[found], pos[found]
            out_i.append(points if is_old else pos)
            out_j.append(pos if is_old else points)
    return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j).astype(np.int64)


def local_pairs(gap_o: np.ndarray, gap_n: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (old, new) residual pair sharing a gap, for gaps with at most ``limit`` pairs.

    All gaps at once: pair number ``t`` of a gap with ``c`` new points is its old point
    ``t // c`` with its new point ``t % c`` (thousands of small gaps made a loop over gaps
    cost more than the pairs).
    """
    empty = np.zeros(0, dtype=np.int64)
    o_order = np.argsort(gap_o, kind="stable")
    n_order = np.argsort(gap_n, kind="stable")
    o_gaps, o_start, o_count = np.unique(gap_o[o_order], return_index=True, return_counts=True)
    n_gaps, n_start, n_count = np.unique(gap_n[n_order], return_index=True, return_counts=True)
    # The new side's block of each gap the old side has (gaps are sorted on both sides).
    at = np.searchsorted(n_gaps, o_gaps)
    shared = at < len(n_gaps)
    shared[shared] = n_gaps[at[shared]] == o_gaps[shared]
    n_s = np.where(shared, n_start[np.minimum(at, len(n_gaps) - 1)], 0) if len(n_gaps) else at
    n_c = np.where(shared, n_count[np.minimum(at, len(n_gaps) - 1)], 0) if len(n_gaps) else at
    size = o_count * n_c
    keep = shared & (size <= limit) & (size > 0)
    if not keep.any():
        return empty, empty
    o_s, n_s, n_c, size = o_start[keep], n_s[keep], n_c[keep], size[keep]
    gap = np.repeat(np.arange(len(size)), size)
    t = np.arange(int(size.sum())) - np.repeat(np.cumsum(size) - size, size)
    olds = o_order[o_s[gap] + t // n_c[gap]]
    news = n_order[n_s[gap] + t % n_c[gap]]
    return olds.astype(np.int64), news.astype(np.int64)


def known_in_gaps(
    res: Residual,
    known: np.ndarray,
    left_o: np.ndarray,
    g_o: np.ndarray,
    left_n: np.ndarray,
    g_n: np.ndarray,
    gaps: list[int],
) -> list[tuple[int, int]]:
    """The already scored candidate pairs (``known``: old position * width + new position,
    sorted) whose two points are both left over in one of ``gaps``.

    For gaps too big to compare in full. One pass over ``known``, so the cost is the number of
    candidates, not the product of the gap's two sides (thousands of near-identical points in
    one gap made that product a minute of CPU).
    """
    width = len(res.res_new)
    gap_at_old = np.full(len(res.res_old), -1, dtype=np.int64)
    gap_at_old[np.searchsorted(res.res_old, left_o)] = g_o
    gap_at_new = np.full(width, -2, dtype=np.int64)
    gap_at_new[np.searchsorted(res.res_new, left_n)] = g_n
    ko, kn = known // width, known % width
    go = gap_at_old[ko]
    hit = (go == gap_at_new[kn]) & np.isin(go, np.array(gaps, dtype=np.int64))
    return list(zip(res.res_old[ko[hit]].tolist(), res.res_new[kn[hit]].tolist(), strict=True))


def assign_strong(
    ii: np.ndarray, jj: np.ndarray, dice: np.ndarray, pins: Pins, settings: AlignSettings
) -> list[tuple[int, int]]:
    """The 1:1 assignment over pairs at or above the match threshold, locality rewarded."""
    strong = dice >= settings.match_threshold
    bonus = np.where(pins.gap_old[ii] == pins.gap_new[jj], settings.gap_bonus, 0.0)
    return assign(ii[strong], jj[strong], dice[strong] + bonus[strong])


def align_residual(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: np.ndarray,
    res_new: np.ndarray,
    keys: MatchedKeys,
    exact: list[tuple[int, int]],
    settings: AlignSettings,
) -> Settled:
    """Steps 2–5 of the module docstring on the points exact matching left over, between the
    matched groups (curated, then exact pairs) with these keys."""
    if exact and settings.idf_sample:
        step = max(1, len(exact) // settings.idf_sample)
        sample_old = np.array(sorted(i for i, _ in exact[::step]), dtype=np.int64)
    else:
        sample_old = np.zeros(0, dtype=np.int64)
    res = Residual(norm_old, norm_new, res_old, res_new, sample_old, len(exact), settings)

    # Round 1: rare stems anywhere, plus every pair in a small gap between pinned neighbours.
    matched_keys = group_keys(keys)
    pins = find_pins(matched_keys, res_old, res_new)
    index = rare_index(res.o_m, res.n_m, settings)
    ci, cj = rare_candidates(index, res.w, settings)
    li, lj = local_pairs(pins.gap_old, pins.gap_new, settings.dense_gap_limit)
    width = len(res_new)
    pair_keys = distinct(np.concatenate((ci * width + cj, li * width + lj)))
    ii, jj = np.divmod(pair_keys, width)
    dice, c_old, c_new = res.score(ii, jj)
    one_to_one = assign_strong(ii, jj, dice, pins, settings)

    # Round 2: confident rewordings pin the residual too. Without exact anchors (two outlets'
    # renderings of a long text) round 1 sees one huge gap; now the gaps are small again and
    # their pairs (a split's short part, a merge's minor part) are compared in full, as are
    # leftovers with the pairs around them.
    oo, nn = np.array(one_to_one, dtype=np.int64).reshape(-1, 2).T
    pins = find_pins(with_pairs(matched_keys, res_old[oo], res_new[nn]), res_old, res_new)
    li, lj = local_pairs(pins.gap_old, pins.gap_new, settings.dense_gap_limit)
    ni, nj = pin_neighbours(pins, res_old, res_new)
    paired_o = np.zeros(len(res_old), dtype=bool)
    paired_n = np.zeros(width, dtype=bool)
    paired_o[oo] = True
    paired_n[nn] = True
    xi, xj = leftover_candidates(
        res.o_m,
        res.n_m,
        res.w,
        index,
        np.flatnonzero(~paired_o),
        np.flatnonzero(~paired_n),
        settings,
    )
    extra = distinct(np.concatenate((li * width + lj, ni * width + nj, xi * width + xj)))
    # Both are sorted and distinct already (and np.unique would import numpy.ma, 8 ms).
    extra = extra[~np.isin(extra, pair_keys, kind="sort", assume_unique=True)]
    if len(extra):
        e_dice, e_old, e_new = res.score(*np.divmod(extra, width))
        pair_keys = np.concatenate((pair_keys, extra))
        order = np.argsort(pair_keys, kind="stable")
        pair_keys = pair_keys[order]
        ii, jj = np.divmod(pair_keys, width)
        dice = np.concatenate((dice, e_dice))[order]
        c_old = np.concatenate((c_old, e_old))[order]
        c_new = np.concatenate((c_new, e_new))[order]
        one_to_one = assign_strong(ii, jj, dice, pins, settings)
    matched = dict(one_to_one)
    proposals = combine(res, _wholes(ii, jj, dice, c_old, c_new, settings), matched, settings)

    # The score of each 1:1 pair, looked up for all at once (one search each cost 3 µs).
    oo, nn = np.array(one_to_one, dtype=np.int64).reshape(-1, 2).T
    one_dice: dict[tuple[int, int], float] = dict(
        zip(one_to_one, dice[np.searchsorted(pair_keys, oo * width + nn)].tolist(), strict=True)
    )

    def dice_at(o: int, n: int) -> float:
        return one_dice[o, n]

    return settle(
        proposals,
        one_to_one,
        dice_at,
        _Scorer(res, pair_keys),
        norm_old,
        norm_new,
        res_old.tolist(),
        res_new.tolist(),
        keys,
        len(exact),
        settings,
    )


def _wholes(
    ii: np.ndarray,
    jj: np.ndarray,
    dice: np.ndarray,
    c_old: np.ndarray,
    c_new: np.ndarray,
    settings: AlignSettings,
) -> list[tuple[str, Wholes]]:
    """The candidate wholes of each side for :func:`~plandiff.align.merges.combine`."""
    bar = weak_bar(settings)
    sides: list[tuple[str, Wholes]] = []
    for whole_side, whole_idx, part_idx, contain in (
        ("new", jj, ii, c_old),
        ("old", ii, jj, c_new),
    ):
        ok = contain >= bar
        w_sel, p_sel, c_sel, d_sel = whole_idx[ok], part_idx[ok], contain[ok], dice[ok]
        order = np.lexsort((p_sel, w_sel))
        w_sel = w_sel[order]
        # Only a whole with two candidate parts or more can be a merge or split.
        starts = np.flatnonzero(np.concatenate(([True], w_sel[1:] != w_sel[:-1])))
        sizes = np.diff(np.concatenate((starts, [len(w_sel)])))
        keep = np.repeat(sizes >= 2, sizes)
        order, w_sel = order[keep], w_sel[keep]
        sizes = sizes[sizes >= 2].tolist()
        w_list = w_sel.tolist()
        entries = list(
            zip(p_sel[order].tolist(), c_sel[order].tolist(), d_sel[order].tolist(), strict=True)
        )
        wholes: Wholes = []
        start = 0
        for size in sizes:
            wholes.append((w_list[start], entries[start : start + size]))
            start += size
        sides.append((whole_side, wholes))
    return sides


class _Scorer:
    """The residual's scores by point index, for the positional prior."""

    def __init__(self, res: Residual, known: np.ndarray) -> None:
        self.res, self.known = res, known

    def dice_of(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        ii = np.array([self.res.pos_old[i] for i, _ in pairs], dtype=np.int64)
        jj = np.array([self.res.pos_new[j] for _, j in pairs], dtype=np.int64)
        dice: list[float] = self.res.score(ii, jj)[0].tolist()
        return dice

    def scored_in_gaps(
        self,
        left_o: Sequence[int],
        g_o: Sequence[int],
        left_n: Sequence[int],
        g_n: Sequence[int],
        gaps: Sequence[int],
    ) -> list[tuple[int, int]]:
        def arr(values: Sequence[int]) -> np.ndarray:
            return np.array(values, dtype=np.int64)

        return known_in_gaps(
            self.res, self.known, arr(left_o), arr(g_o), arr(left_n), arr(g_n), list(gaps)
        )
