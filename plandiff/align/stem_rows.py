"""Stem sets of many points as compressed sparse rows, over plain numpy arrays.

The residual's scores and candidates need a handful of sparse-matrix operations (row sums,
column counts, one product, a transpose). scipy.sparse did them, but importing it costs about
0.2 s of CPU, as much as aligning 3,000 points. These are the same operations with the same
floating-point sums, in the same order (each row's entries by ascending column, summed left to
right from zero, as scipy's loops do; ``np.bincount`` adds its weights in that order, where
``np.add.reduceat`` would sum pairwise), so the alignment is unchanged to the bit;
``tests/test_stem_rows.py`` compares them with scipy.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

__all__ = ["StemRows", "from_entries", "intersection_weight", "membership", "product"]


class StemRows(NamedTuple):
    """Compressed sparse rows: row ``r`` holds columns ``indices[indptr[r]:indptr[r + 1]]``
    (ascending) with values ``data`` at the same positions. No explicit zeros."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    n_cols: int

    @property
    def n_rows(self) -> int:
        return len(self.indptr) - 1

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def row_of_entry(self) -> np.ndarray:
        """The row of every stored entry."""
        return np.repeat(np.arange(self.n_rows, dtype=np.int64), np.diff(self.indptr))

    def rows(self, start: int, stop: int) -> StemRows:
        """Rows ``start`` to ``stop`` (exclusive)."""
        a, b = int(self.indptr[start]), int(self.indptr[stop])
        return StemRows(
            self.indptr[start : stop + 1] - a, self.indices[a:b], self.data[a:b], self.n_cols
        )

    def take(self, rows: np.ndarray) -> StemRows:
        """The given rows, in the given order."""
        starts, lengths = self.indptr[rows], np.diff(self.indptr)[rows]
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        at = np.repeat(starts - indptr[:-1], lengths) + np.arange(int(indptr[-1]))
        return StemRows(indptr, self.indices[at], self.data[at], self.n_cols)

    def column_counts(self) -> np.ndarray:
        """Per column, how many rows hold it (as floats, like a column sum of ones)."""
        return np.bincount(self.indices, minlength=self.n_cols).astype(np.float64)

    def dot(self, w: np.ndarray) -> np.ndarray:
        """Per row, the sum of value times ``w[column]`` over its entries, in column order."""
        return np.bincount(
            self.row_of_entry(), weights=self.data * w[self.indices], minlength=self.n_rows
        )

    def scaled(self, w: np.ndarray) -> StemRows:
        """Each entry times ``w[column]``, entries that become zero dropped."""
        return self.kept_where(self.data * w[self.indices])

    def kept_where(self, values: np.ndarray) -> StemRows:
        """The entries with these new values, those where the value is zero dropped."""
        keep = values != 0
        lengths = np.bincount(self.row_of_entry()[keep], minlength=self.n_rows)
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return StemRows(indptr, self.indices[keep], values[keep], self.n_cols)

    def transposed(self) -> StemRows:
        """Columns as rows, each new row's entries by ascending old row."""
        # The entries are in row order already: one stable sort by column is enough.
        columns = self.indices.astype(np.uint16 if self.n_cols <= 1 << 16 else np.int64)
        order = np.argsort(columns, kind="stable")
        lengths = np.bincount(self.indices, minlength=self.n_cols)
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        return StemRows(indptr, self.row_of_entry()[order], self.data[order], self.n_rows)


def entry_order(major: np.ndarray, minor: np.ndarray, n_major: int, n_minor: int) -> np.ndarray:
    """The stable order of entries by (major, minor): two linear radix passes when both fit in
    16 bits (numpy radix-sorts small integers), else one sort of combined keys."""
    if n_major <= 1 << 16 and n_minor <= 1 << 16:
        by_minor = np.argsort(minor.astype(np.uint16), kind="stable")
        return by_minor[np.argsort(major[by_minor].astype(np.uint16), kind="stable")]
    return np.argsort(major.astype(np.int64) * n_minor + minor, kind="stable")


def from_entries(
    rows: np.ndarray, cols: np.ndarray, data: np.ndarray, n_rows: int, n_cols: int
) -> StemRows:
    """Rows from distinct (row, column, value) entries in any order; zeros dropped."""
    rows, cols = rows.astype(np.int64), cols.astype(np.int64)
    order = entry_order(rows, cols, n_rows, n_cols)
    keep = order[data[order] != 0]
    lengths = np.bincount(rows[keep], minlength=n_rows)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return StemRows(indptr, cols[keep], data[keep].astype(np.float64), n_cols)


def product(left: StemRows, right_t: StemRows) -> StemRows:
    """``left @ right_tᵀ`` as rows (``right_t``: the right factor's columns as rows).

    Each sum runs over the left row's entries in column order, from zero, like scipy's
    product: ``np.bincount`` adds its weights in the order given, and the terms are generated
    in that order. Sums of exactly zero are dropped, as scipy drops them.
    """
    n_right = max(right_t.n_cols, 1)
    post_len = np.diff(right_t.indptr)[left.indices]
    total = int(post_len.sum())
    if total == 0:
        empty = np.zeros(0, dtype=np.int64)
        return StemRows(np.zeros(left.n_rows + 1, dtype=np.int64), empty, np.zeros(0), n_right)
    at = np.repeat(right_t.indptr[left.indices] - (np.cumsum(post_len) - post_len), post_len)
    at += np.arange(total)
    rows = np.repeat(left.row_of_entry(), post_len)
    keys = rows * n_right
    keys += right_t.indices[at]
    values = np.repeat(left.data, post_len)
    values *= right_t.data[at]
    # The keys come in ascending runs (rows in order, each posting list ascending), which a
    # stable sort (timsort) merges several times faster than quicksort sorts them. Stable, it
    # keeps each output's terms in their order, so one ``bincount`` over the sorted terms sums
    # them as scipy does; and the rows, already in order, are those of the sorted terms.
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    starts = np.empty(total, dtype=bool)
    starts[0] = True
    np.not_equal(sorted_keys[1:], sorted_keys[:-1], out=starts[1:])
    sums = np.bincount(np.cumsum(starts) - 1, weights=values[order])
    keep = sums != 0
    out_rows = rows[starts][keep]
    columns = sorted_keys[starts][keep] - out_rows * n_right
    lengths = np.bincount(out_rows, minlength=left.n_rows)
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
    return StemRows(indptr, columns, sums[keep], n_right)


#: The largest (rows x columns) table of which row holds which column that
#: :func:`membership` builds (one bit a cell, 32 MB); beyond it pairs are intersected by
#: sorting.
MEMBERSHIP_CELLS = 1 << 28


def membership(rows: StemRows) -> np.ndarray | None:
    """Which row holds which column, one bit a cell: bit ``column % 8`` of byte
    ``row * stride + column // 8``, ``stride`` bytes a row (:func:`membership_stride`); None
    when it would hold more than :data:`MEMBERSHIP_CELLS` cells.

    Bits rather than bytes: an eighth of the memory to fault in and to keep in cache, which
    pays for the shifts of a lookup several times over.
    """
    stride = membership_stride(rows.n_cols)
    if rows.n_rows * stride * 8 > MEMBERSHIP_CELLS:
        return None
    cells = rows.row_of_entry() * (stride * 8) + rows.indices
    table = np.zeros(rows.n_rows * stride, dtype=np.uint8)
    np.bitwise_or.at(table, cells >> 3, np.left_shift(1, cells & 7).astype(np.uint8))
    return table


def membership_stride(n_cols: int) -> int:
    """Bytes a row of the :func:`membership` table takes."""
    return (n_cols + 7) // 8


#: Pairs intersected at once: their entries' temporaries (a few MB) are reused from one batch
#: to the next instead of being faulted in afresh, as tens of MB would be.
PAIR_BATCH = 4096


def intersection_weight(
    old: StemRows,
    new: StemRows,
    new_table: np.ndarray | None,
    w: np.ndarray,
    ii: np.ndarray,
    jj: np.ndarray,
) -> np.ndarray:
    """For each pair (old row ``ii[p]``, new row ``jj[p]``) of binary rows, the sum of ``w``
    over their shared columns, in column order from zero (scipy's ``a.multiply(b) @ w``).

    Each old entry of a pair is looked up in the new side's :func:`membership` table; without
    one, both sides' entries keyed by (pair, column) form two ascending runs that one stable
    sort merges (in linear time), a shared column showing as two equal neighbours.
    """
    out = np.empty(len(ii))
    for start in range(0, len(ii), PAIR_BATCH):
        i, j = ii[start : start + PAIR_BATCH], jj[start : start + PAIR_BATCH]
        out[start : start + PAIR_BATCH] = (
            _merged_intersections(old, new, w, i, j)
            if new_table is None
            else _looked_up_intersections(old, new.n_cols, new_table, w, i, j)
        )
    return out


def _looked_up_intersections(
    old: StemRows, n_cols: int, table: np.ndarray, w: np.ndarray, ii: np.ndarray, jj: np.ndarray
) -> np.ndarray:
    # The pairs' old columns gathered directly (the rows are binary: no values needed), and
    # each pair's table row offset repeated over its entries rather than gathered per entry:
    # the two largest passes of a plain ``take`` and lookup, saved.
    starts = old.indptr[ii]
    lengths = old.indptr[ii + 1] - starts
    at = np.repeat(starts - (np.cumsum(lengths) - lengths), lengths)
    at += np.arange(len(at))
    columns = old.indices[at]
    cells = np.repeat(jj.astype(np.int64) * (membership_stride(n_cols) * 8), lengths)
    cells += columns
    held = table[cells >> 3]
    held >>= (cells & 7).astype(np.uint8)
    held &= 1
    # A missed column adds 0.0, which leaves a sum of finite weights unchanged to the bit and
    # costs less than compressing the entries to the hits.
    weights = w[columns]
    weights *= held
    pair = np.repeat(np.arange(len(ii), dtype=np.int64), lengths)
    return np.bincount(pair, weights=weights, minlength=len(ii))


def _merged_intersections(
    old: StemRows, new: StemRows, w: np.ndarray, ii: np.ndarray, jj: np.ndarray
) -> np.ndarray:
    a = old.take(ii)
    pair = a.row_of_entry()
    b = new.take(jj)
    width = max(old.n_cols, new.n_cols, 1)
    merged = np.concatenate((pair * width + a.indices, b.row_of_entry() * width + b.indices))
    merged.sort(kind="stable")
    shared = merged[1:][merged[1:] == merged[:-1]]
    return np.bincount(shared // width, weights=w[shared % width], minlength=len(ii))
