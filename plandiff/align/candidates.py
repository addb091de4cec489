"""Candidates: which residual pairs are worth scoring, found without comparing all pairs.

Prefix filtering on an inverted index: each point offers its rarest stems, two renderings of
one point share those, and the best few partners of each point (anywhere in the other
version, so moves too) are kept. The work is budgeted per point. Sparse rows over numpy:
imported only for a residual big enough to need them; :mod:`plandiff.align.plain` proposes the same
pairs for a small one.
"""

from __future__ import annotations

import itertools
from typing import NamedTuple

import numpy as np

from plandiff.align.candidates_plain import BLOCK_WORK
from plandiff.align.records import AlignSettings
from plandiff.align.stem_rows import StemRows, from_entries, product

__all__ = [
    "BLOCK_WORK",
    "RareIndex",
    "leftover_candidates",
    "rare_candidates",
    "rare_index",
    "top_k_entries",
]


def first_k_per_row(
    rows: np.ndarray, n_rows: int, key: np.ndarray, k: int, *, counts: np.ndarray | None = None
) -> np.ndarray:
    """Indices of the ``k`` entries of each row that a stable sort by ``key`` puts first,
    ordered as that sort orders them. ``rows`` (the row of each entry) is ascending, and so is
    ``key`` from one row to the next (every key of a row below every key of the next).

    Every row has more than ``k`` entries as a rule, and sorting them all was most of the
    candidates' time: a row's ``k``-th smallest key is at most the ``k``-th smallest among its
    first ``4 k`` entries, a bound found for all rows at once by one partition of a small
    table, and only the entries at or below it (a few per row) are sorted.
    """
    if counts is None:  # the entries of each row (a caller with row starts has them)
        counts = np.bincount(rows, minlength=n_rows)
    width = 4 * k
    # The last entries of each row (the rarest stems, whose ids came later, bound a prefix more
    # tightly than the first), found from the row ends: work for the table's cells, not for
    # every entry.
    taken = np.minimum(counts, width)
    slot = np.arange(int(taken.sum())) - np.repeat(np.cumsum(taken) - taken, taken)
    tail = np.repeat(np.cumsum(counts) - taken, taken) + slot
    pad = np.inf if key.dtype.kind == "f" else np.iinfo(key.dtype).max
    table = np.full(n_rows * width, pad, dtype=key.dtype)
    table[np.repeat(np.arange(n_rows) * width, taken) + slot] = key[tail]
    bound = np.partition(table.reshape(n_rows, width), k - 1, axis=1)[:, k - 1]
    near = np.flatnonzero(key <= np.repeat(bound, counts))
    order = near[np.argsort(key[near], kind="stable")]
    counts = np.bincount(rows[near], minlength=n_rows)
    place = np.arange(len(near)) - np.repeat(np.cumsum(counts) - counts, counts)
    return order[place < k]


def top_k_entries(m: StemRows, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of the k largest entries of each row; ties go to the lower column.

    Ranked by ``row * scale - value`` (rounded as it is, which the plain path copies), stably
    (a 3-key lexsort of half a million entries costs ten times more).
    """
    rows = m.row_of_entry()
    if len(rows) == 0:
        return rows, rows, np.zeros(0)
    scale = float(m.data.max()) * 2.0 + 1.0
    key = rows * scale
    key -= m.data
    keep = first_k_per_row(rows, m.n_rows, key, k, counts=np.diff(m.indptr))
    return rows[keep], m.indices[keep].astype(np.int64), m.data[keep]


def _top_k_per_row(m: StemRows, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the k largest entries of each row of a CSR matrix."""
    rows, cols, _ = top_k_entries(m, k)
    return rows, cols


def prefixes(m: StemRows, rank: np.ndarray, allowed: np.ndarray, p: int) -> StemRows:
    """Each row's ``p`` rarest allowed stems (lowest ``rank``), as a binary matrix like ``m``."""
    ok = allowed[m.indices]
    rows, cols = m.row_of_entry()[ok], m.indices[ok]
    keep = first_k_per_row(rows, m.n_rows, rows * len(rank) + rank[cols], p)
    return from_entries(rows[keep], cols[keep], np.ones(len(keep)), m.n_rows, m.n_cols)


def stem_ranks(o_m: StemRows, n_m: StemRows) -> tuple[np.ndarray, ...]:
    """Per stem: rarity rank (by points holding it in both versions, ties by id), postings."""
    po = o_m.column_counts()
    pn = n_m.column_counts()
    df = po + pn
    rank = np.empty(len(df), dtype=np.int64)
    rank[np.lexsort((np.arange(len(df)), df))] = np.arange(len(df))
    return rank, po, pn


def within_budget(prefix: StemRows, cost: np.ndarray, budget: float) -> StemRows:
    """Drop the prefix entries whose stems cost most (longest lists) until the work fits.

    The costliest handles are the weakest (the commonest stems), so a text of few distinct
    words degrades to the positional candidates instead of to an all-pairs join.
    """
    entry_cost = cost[prefix.indices]
    costs = np.sort(entry_cost)
    fit = int(np.searchsorted(np.cumsum(costs), budget, side="right"))
    if fit < len(costs):
        prefix = prefix.kept_where(np.where(entry_cost >= costs[fit], 0.0, prefix.data))
    return prefix


def _join_top_k(left: StemRows, right: StemRows, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(left row, right row) pairs among the k best of each row and column of left @ rightᵀ.

    Computed in blocks of left rows of bounded work, so memory stays bounded: a row's top k is
    exact within its block, and a column's global top k is among its per-block top k.
    """
    empty = np.zeros(0, dtype=np.int64)
    # Each score is a sum over the shared stems in the order of the left row's entries: in
    # stem-id order, so that the plain path's sums agree to the bit (a product of sparse
    # matrices leaves its rows unsorted).
    n_left, n_right = left.n_rows, right.n_rows
    if n_left == 0 or n_right == 0 or left.nnz == 0:
        return empty, empty
    right_t = right.transposed()
    postings = np.diff(right_t.indptr).astype(np.float64)
    cum = np.cumsum(left.kept_where(np.ones(left.nnz)).dot(postings))
    cuts = np.searchsorted(cum, np.arange(BLOCK_WORK, cum[-1], BLOCK_WORK))
    edges = sorted({0, *cuts.tolist(), n_left})  # (np.unique would import numpy.ma, 8 ms)
    rows_out, cols_out = [empty], [empty]
    col_c, col_r, col_v = [empty], [empty], [np.zeros(0)]
    for start, stop in itertools.pairwise(edges):
        shared = product(left.rows(start, stop), right_t)
        r, c = _top_k_per_row(shared, k)
        rows_out.append(r + start)
        cols_out.append(c)
        cc, rr, vv = top_k_entries(shared.transposed(), k)
        col_c.append(cc)
        col_r.append(rr + start)
        col_v.append(vv)
    if len(edges) == 2:
        # One block (the usual case): its columns' top k are the global ones. The pairs are
        # the same either way, and their order does not matter (callers take distinct keys).
        c2, r2 = col_c[1], col_r[1]
    else:
        by_col = from_entries(
            np.concatenate(col_c), np.concatenate(col_r), np.concatenate(col_v), n_right, n_left
        )
        c2, r2 = _top_k_per_row(by_col, k)
    return np.concatenate([*rows_out, r2]), np.concatenate([*cols_out, c2])


class RareIndex(NamedTuple):
    """What both rounds of candidates share: each stem's rarity rank and postings on either
    side, and each point's ``prefix_stems`` rarest stems that the other version has."""

    rank: np.ndarray
    postings_old: np.ndarray
    postings_new: np.ndarray
    prefix_old: StemRows
    prefix_new: StemRows


def rare_index(o_m: StemRows, n_m: StemRows, settings: AlignSettings) -> RareIndex:
    """The :class:`RareIndex` of the residual's two sides."""
    rank, po, pn = stem_ranks(o_m, n_m)
    p = settings.prefix_stems
    return RareIndex(rank, po, pn, prefixes(o_m, rank, pn > 0, p), prefixes(n_m, rank, po > 0, p))


def rare_candidates(
    index: RareIndex, w: np.ndarray, settings: AlignSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of points whose rarest stems meet (prefix filtering on an inverted index).

    Each point offers its ``prefix_stems`` rarest stems that occur in the other version; a pair
    is proposed when their prefixes share a stem, scored by the shared stems' squared weights,
    and the best ``candidates_per_point`` of every point are kept. Two renderings of one point
    share their rarest words, so their prefixes meet; a global "rare enough" cut would instead
    starve the points made of middling words. The work is held to ``candidate_budget`` per
    point (see :func:`within_budget`).
    """
    pre_o, pre_n = index.prefix_old, index.prefix_new
    holders_n = pre_n.column_counts()
    budget = settings.candidate_budget * (pre_o.n_rows + pre_n.n_rows)
    pre_o = within_budget(pre_o, holders_n, budget)
    return _join_top_k(pre_o.scaled(w**2), pre_n, settings.candidates_per_point)


def leftover_candidates(
    o_m: StemRows,
    n_m: StemRows,
    w: np.ndarray,
    index: RareIndex,
    left_o: np.ndarray,
    left_n: np.ndarray,
    settings: AlignSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs for points still unmatched: their rarest stems against every stem of the other side.

    Asymmetric on purpose: the minor part of a merge (or a split) is contained in its whole, but
    its rare stems need not be the whole's rarest, so prefix meeting prefix can miss it. A
    point's prefix is its own, so the leftovers' are the first round's, taken.
    """
    k = settings.candidates_per_point
    w2 = w**2
    budget = settings.candidate_budget * (len(left_o) + len(left_n))
    pre_o = within_budget(index.prefix_old.take(left_o), index.postings_new, budget / 2)
    pre_n = within_budget(index.prefix_new.take(left_n), index.postings_old, budget / 2)
    oi, oj = _join_top_k(pre_o.scaled(w2), n_m, k)
    nj, ni = _join_top_k(pre_n.scaled(w2), o_m, k)
    return np.concatenate((left_o[oi], ni)), np.concatenate((oj, left_n[nj]))
