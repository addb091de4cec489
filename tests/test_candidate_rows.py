"""The array path's per-row selections must pick exactly what a stable sort of each row would
put first: the candidates (and so the alignment) depend on every tie. The plain path's ranking
is the reference for the top-k of a matrix of scores."""

from __future__ import annotations

from unittest import mock

import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plandiff.align import candidates
from plandiff.align.candidates import first_k_per_row, prefixes, top_k_entries
from plandiff.align.candidates_plain import _prefixes, _top_k
from plandiff.align.stem_rows import StemRows, from_entries

#: Few distinct values, so that ties (the hard part) are common.
values = st.sampled_from([0.5, 1.0, 1.0, 2.25, 3.0, 7.5, 1e-300, 12.0])


@st.composite
def score_rows(
    draw: st.DrawFn, n_cols: int | None = None, cell_values: st.SearchStrategy[float] = values
) -> StemRows:
    n_rows = draw(st.integers(1, 6))
    if n_cols is None:
        n_cols = draw(st.integers(1, 90))
    cells = draw(
        st.dictionaries(
            st.tuples(st.integers(0, n_rows - 1), st.integers(0, n_cols - 1)),
            cell_values,
            max_size=300,
        )
    )
    rows = np.array([r for r, _ in cells], dtype=np.int64)
    cols = np.array([c for _, c in cells], dtype=np.int64)
    data = np.array(list(cells.values()), dtype=np.float64)
    return from_entries(rows, cols, data, n_rows, n_cols)


@settings(max_examples=300, deadline=None)
@given(score_rows(), st.integers(1, 12))
def test_top_k_entries_rank_as_the_plain_path_ranks(m: StemRows, k: int) -> None:
    rows, cols, data = top_k_entries(m, k)
    entries: dict[int, dict[int, float]] = {}
    for r in range(m.n_rows):
        span = slice(int(m.indptr[r]), int(m.indptr[r + 1]))
        if span.start < span.stop:
            entries[r] = dict(zip(m.indices[span].tolist(), m.data[span].tolist(), strict=True))
    want = _top_k(entries, k)
    got = list(zip(rows.tolist(), cols.tolist(), data.tolist(), strict=True))
    assert got == want  # the same entries, in the same order (row, then rank)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.integers(-5, 5), max_size=60), min_size=1, max_size=6), st.integers(1, 9)
)
def test_first_k_per_row_is_a_stable_sort_cut_short(key_rows: list[list[int]], k: int) -> None:
    # Keys rise from row to row, as the callers make them.
    keys = [r * 100 + key for r, row in enumerate(key_rows) for key in row]
    rows = np.array([r for r, row in enumerate(key_rows) for _ in row], dtype=np.int64)
    got = first_k_per_row(rows, len(key_rows), np.array(keys, dtype=np.int64), k).tolist()
    want = []
    start = 0
    for row in key_rows:
        ranked = sorted(range(start, start + len(row)), key=keys.__getitem__)
        want += ranked[:k]
        start += len(row)
    assert got == want


@settings(max_examples=200, deadline=None)
@given(score_rows(), st.integers(1, 6), st.integers(0, 2**32 - 1))
def test_prefixes_are_the_plain_paths(m: StemRows, p: int, seed: int) -> None:
    rank = np.random.default_rng(seed).permutation(m.n_cols)
    allowed = (rank % 3) != 0
    got = prefixes(m, rank, allowed, p)
    rows = [m.indices[m.indptr[r] : m.indptr[r + 1]].tolist() for r in range(m.n_rows)]
    want = _prefixes(rows, rank.tolist(), allowed.tolist(), p)
    assert [
        got.indices[got.indptr[r] : got.indptr[r + 1]].tolist() for r in range(m.n_rows)
    ] == want


#: Values whose sums rank without rounding: a row's ranking, in one block or many, is then by
#: value alone, ties to the lower index. (With values far apart, ``row * scale - value``
#: rounds, and a block ranks by its own scale.)
exact_values = st.sampled_from([0.5, 1.0, 1.0, 2.25, 3.0, 7.5, 12.0])


def _row(m: StemRows, r: int) -> dict[int, float]:
    """Row ``r`` of ``m`` as column → value."""
    at = slice(m.indptr[r], m.indptr[r + 1])
    return dict(zip(m.indices[at].tolist(), m.data[at].tolist(), strict=True))


def _best_pairs(left: StemRows, right: StemRows, k: int) -> set[tuple[int, int]]:
    """The k best of each row and of each column of left @ rightᵀ, from the dense scores
    (each a sum over the shared columns in ascending order, as the sparse product sums),
    ranked as the plain path ranks."""
    scores: dict[int, dict[int, float]] = {}
    by_col: dict[int, dict[int, float]] = {}
    for a in range(left.n_rows):
        a_row = _row(left, a)
        for b in range(right.n_rows):
            b_row = _row(right, b)
            total = 0.0
            for c in sorted(a_row.keys() & b_row.keys()):
                total += a_row[c] * b_row[c]
            if total != 0:
                scores.setdefault(a, {})[b] = total
                by_col.setdefault(b, {})[a] = total
    best = {(a, b) for a, b, _ in _top_k(scores, k)}
    return best | {(a, b) for b, a, _ in _top_k(by_col, k)}


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 40).flatmap(
        lambda n_cols: st.tuples(score_rows(n_cols, exact_values), score_rows(n_cols, exact_values))
    ),
    st.integers(1, 4),
    st.sampled_from([1, 3, 10**9]),
)
def test_joins_keep_the_best_of_each_row_and_column_in_one_block_or_many(
    sides: tuple[StemRows, StemRows], k: int, block_work: int
) -> None:
    """One block of work takes its columns' best as they are; several merge theirs."""
    left, right = sides
    with mock.patch.object(candidates, "BLOCK_WORK", block_work):
        rows, cols = candidates._join_top_k(left, right, k)
    got = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert set(got) == _best_pairs(left, right, k)


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 40).flatmap(lambda n_cols: st.tuples(score_rows(n_cols), score_rows(n_cols))),
    st.integers(1, 4),
)
@example(  # two near-ties a column's scale rounds to one: the lower row wins
    (
        from_entries(np.array([0, 1]), np.array([0, 0]), np.array([0.5, 1.0]), 2, 1),
        from_entries(np.array([0, 1]), np.array([0, 0]), np.array([0.5, 1e-300]), 2, 1),
    ),
    1,
)
def test_a_one_block_join_ranks_as_the_plain_path_ranks(
    sides: tuple[StemRows, StemRows], k: int
) -> None:
    """Values far apart included: in one block, the ranking rounds as the plain path's."""
    left, right = sides
    rows, cols = candidates._join_top_k(left, right, k)
    got = list(zip(rows.tolist(), cols.tolist(), strict=True))
    assert set(got) == _best_pairs(left, right, k)
