"""Stem bags and pair scores for the points exact matching left over, as sparse rows
(:mod:`~plandiff.align.stem_rows`).

Imported only for a residual big enough to need numpy (see :mod:`plandiff.align`);
:mod:`plandiff.align.plain` computes the same scores, to the bit, in plain Python. Every sum
here runs in stem-id order, which is what makes that possible.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from plandiff.align.records import AlignSettings
from plandiff.align.stem_rows import StemRows, intersection_weight, membership
from plandiff.align.wording import STOPWORDS, idf, stem, words

__all__ = ["Residual", "distinct"]


def distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. (numpy 2's hash-based ``np.unique`` is several times slower on
    the integer keys used here.) The keys come in ascending runs (a text's stems, a point's
    candidates), which a stable sort (timsort) merges two to three times faster than the
    default quicksort sorts them."""
    ordered = np.sort(values, kind="stable")
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


#: Texts tokenised per pass here: a quarter of :data:`~plandiff.align.wording.TOKEN_CHUNK`,
#: so that a pass's word strings (about 3 MB) reuse the memory the last pass freed instead of
#: faulting in fresh pages, which cost more than the extra passes. The stem ids (first
#: appearance, over all passes in order) do not depend on it.
BAG_CHUNK = 1024


class _Bags(NamedTuple):
    """Binary stem-occurrence matrix for a list of texts, plus the stem strings."""

    matrix: StemRows  # rows: texts, columns: stems, data: 1.0
    stems: list[str]


def _bags(texts: Sequence[str], stem_length: int) -> _Bags:
    """Stem sets of the texts as a binary matrix (rows: texts, columns: stems)."""
    stem_of_word: dict[str, int] = {"\x00": -1}
    stem_id: dict[str, int] = {}
    stems: list[str] = []
    indices: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    lengths: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(texts), BAG_CHUNK):
        part = texts[start : start + BAG_CHUNK]
        tokens = words(part)
        # setdefault with a counter gives each distinct word of the chunk the position of its
        # first occurrence, in one C-level pass; the new words then get their stems in order
        # of first appearance (stem ids must not depend on the string hash seed).
        first: dict[str, int] = {}
        raw = np.fromiter(
            map(first.setdefault, tokens, itertools.count()), dtype=np.int64, count=len(tokens)
        )
        for word in [w for w in first if w not in stem_of_word]:
            text = stem(word, stem_length)
            sid = stem_id.get(text)
            if sid is None:
                sid = stem_id[text] = len(stems)
                stems.append(text)
            stem_of_word[word] = sid
        stem_at = np.empty(len(tokens) + 1, dtype=np.int64)
        stem_at[np.fromiter(first.values(), dtype=np.int64, count=len(first))] = np.fromiter(
            map(stem_of_word.__getitem__, first), dtype=np.int64, count=len(first)
        )
        ids = stem_at[raw]
        is_sep = ids < 0
        rows = np.cumsum(is_sep)[~is_sep]
        # Distinct (row, stem) pairs, sorted: the chunk's part of a CSR matrix.
        rows, columns = np.divmod(distinct(rows * (len(stems) + 1) + ids[~is_sep]), len(stems) + 1)
        indices.append(columns)
        lengths.append(np.bincount(rows, minlength=len(part)))
    indptr = np.concatenate(([0], np.cumsum(np.concatenate(lengths))))
    column = np.concatenate(indices)
    matrix = StemRows(indptr, column, np.ones(len(column)), max(len(stems), 1))
    return _Bags(matrix, stems)


def _weights(
    bags: _Bags,
    old_rows: np.ndarray,
    new_rows: np.ndarray,
    sample_rows: np.ndarray,
    sample_scale: float,
    n_docs: int,
    stopword_weight: float,
) -> np.ndarray:
    """IDF per stem, with the version as the collection: a stem's frequency is its larger count
    on either side, so two renderings of one point do not make their shared words look common."""
    m = bags.matrix

    def counts(rows: np.ndarray) -> np.ndarray:
        # Each residual side and the sample are consecutive rows.
        if len(rows) == 0:
            return np.zeros(m.n_cols)
        return m.rows(int(rows[0]), int(rows[-1]) + 1).column_counts()

    sampled = counts(sample_rows) * sample_scale
    df = np.maximum(counts(old_rows), counts(new_rows)) + sampled
    weight = np.array([idf(n_docs, d) for d in df.tolist()], dtype=np.float64)
    if stopword_weight != 1.0:
        stop = np.fromiter((s in STOPWORDS for s in bags.stems), dtype=bool, count=len(bags.stems))
        if len(stop):
            weight[: len(stop)][stop] *= stopword_weight
    return weight


class Residual:
    """Stem bags and pair scores for the points left after exact matching."""

    def __init__(
        self,
        norm_old: Sequence[str],
        norm_new: Sequence[str],
        res_old: np.ndarray,
        res_new: np.ndarray,
        sample_old: np.ndarray,
        n_matched: int,
        settings: AlignSettings,
    ) -> None:
        self.res_old, self.res_new = res_old, res_new
        texts = [norm_old[i] for i in res_old.tolist()]
        texts += [norm_new[j] for j in res_new.tolist()]
        texts += [norm_old[i] for i in sample_old.tolist()]
        bags = _bags(texts, settings.stem_length)
        n_o, n_n = len(res_old), len(res_new)
        rows_o = np.arange(n_o)
        rows_n = np.arange(n_o, n_o + n_n)
        rows_s = np.arange(n_o + n_n, len(texts))
        scale = n_matched / len(sample_old) if len(sample_old) else 0.0
        n_docs = max(len(norm_old), len(norm_new), 1)
        self.w = _weights(bags, rows_o, rows_n, rows_s, scale, n_docs, settings.stopword_weight)
        self.o_m = bags.matrix.rows(0, n_o)
        self.n_m = bags.matrix.rows(n_o, n_o + n_n)
        self.size_o = self.o_m.dot(self.w)
        self.size_n = self.n_m.dot(self.w)
        self.o_table, self.n_table = membership(self.o_m), membership(self.n_m)
        self.len_o, self.len_n = np.diff(self.o_m.indptr), np.diff(self.n_m.indptr)
        # Positions in the residual arrays, by point index.
        self._points_old: list[int] = res_old.tolist()
        self._points_new: list[int] = res_new.tolist()
        self.pos_old = {i: k for k, i in enumerate(self._points_old)}
        self.pos_new = {j: k for k, j in enumerate(self._points_new)}
        self._bags: dict[tuple[str, int], dict[int, float]] = {}
        self._weight: list[float] = []
        self._starts: dict[str, list[int]] = {}

    def score(self, ii: np.ndarray, jj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(dice, old-in-new containment, new-in-old containment) for residual positions."""
        if len(ii) == 0:
            z = np.zeros(0)
            return z, z, z
        # Each pair's shorter row is looked up in the other's table (a fifth fewer lookups):
        # the shared columns, and so their sum in column order, are the same either way.
        by_new = self.len_n[jj] < self.len_o[ii]
        inter = np.empty(len(ii))
        inter[~by_new] = intersection_weight(
            self.o_m, self.n_m, self.n_table, self.w, ii[~by_new], jj[~by_new]
        )
        inter[by_new] = intersection_weight(
            self.n_m, self.o_m, self.o_table, self.w, jj[by_new], ii[by_new]
        )
        so, sn = self.size_o[ii], self.size_n[jj]
        with np.errstate(divide="ignore", invalid="ignore"):
            dice = np.where(so + sn > 0, 2 * inter / (so + sn), 0.0)
            c_old = np.where(so > 0, inter / so, 0.0)
            c_new = np.where(sn > 0, inter / sn, 0.0)
        return np.minimum(dice, 1.0), np.minimum(c_old, 1.0), np.minimum(c_new, 1.0)

    def point(self, side: str, pos: int) -> int:
        """The point index at a residual position."""
        return self._points_old[pos] if side == "old" else self._points_new[pos]

    def bag(self, side: str, pos: int) -> dict[int, float]:
        """Stem → weight for one residual point (small: plain dicts beat numpy set ops here)."""
        key = (side, pos)
        got = self._bags.get(key)
        if got is None:
            if not self._weight:  # Python lists: a bag is a few dozen lookups, not numpy calls
                self._weight = self.w.tolist()
                self._starts = {"old": self.o_m.indptr.tolist(), "new": self.n_m.indptr.tolist()}
            m = self.o_m if side == "old" else self.n_m
            starts = self._starts[side]
            cols = m.indices[starts[pos] : starts[pos + 1]].tolist()
            weight = self._weight
            got = self._bags[key] = {c: weight[c] for c in cols}
        return got
