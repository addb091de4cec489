"""The residual's sparse rows over plain numpy must agree with scipy.sparse to the bit: the
alignment used scipy's operations, and its answers (ties included) depend on every last bit
of the scores. scipy stays installed for the matching solver, so it is the oracle here."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff.align import stem_rows
from plandiff.align.stem_rows import (
    StemRows,
    from_entries,
    intersection_weight,
    membership,
    product,
)

sparse = pytest.importorskip("scipy.sparse")

#: Weights as the alignment makes them, plus zeros and values whose squares underflow.
weights = st.floats(min_value=0.0, max_value=12.0) | st.sampled_from([0.0, 1e-170, 5e-324, 0.1])


@st.composite
def binary_rows(draw: st.DrawFn, n_cols: int) -> StemRows:
    n_rows = draw(st.integers(0, 7))
    cells = draw(st.sets(st.tuples(st.integers(0, max(n_rows - 1, 0)), st.integers(0, n_cols - 1))))
    cells = {c for c in cells if c[0] < n_rows}
    rows = np.array([r for r, _ in cells], dtype=np.int64)
    cols = np.array([c for _, c in cells], dtype=np.int64)
    return from_entries(rows, cols, np.ones(len(cells)), n_rows, n_cols)


@st.composite
def case(draw: st.DrawFn) -> tuple[StemRows, StemRows, np.ndarray]:
    n_cols = draw(st.integers(1, 9))
    w = np.array(draw(st.lists(weights, min_size=n_cols, max_size=n_cols)))
    return draw(binary_rows(n_cols)), draw(binary_rows(n_cols)), w


def scipy_of(m: StemRows) -> sparse.csr_matrix:
    return sparse.csr_matrix((m.data, m.indices, m.indptr), shape=(m.n_rows, m.n_cols))


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(
        np.array_equal(np.asarray(a, dtype=np.float64).view(np.int64), b.view(np.int64))
    )


def rows_of(m: sparse.csr_matrix) -> tuple[list[int], list[int], list[float]]:
    m = m.tocsr()
    m.sort_indices()
    return m.indptr.tolist(), m.indices.tolist(), m.data.tolist()


@settings(max_examples=150, deadline=None)
@given(case())
def test_row_sums_column_counts_and_scaling_agree_with_scipy(
    c: tuple[StemRows, StemRows, np.ndarray],
) -> None:
    a, _, w = c
    ref = scipy_of(a)
    assert same_bits(a.dot(w), ref @ w)
    assert same_bits(a.column_counts(), np.asarray(ref.sum(axis=0)).ravel())
    scaled = a.scaled(w**2)
    assert (scaled.indptr.tolist(), scaled.indices.tolist(), scaled.data.tolist()) == rows_of(
        ref @ sparse.diags(w**2)
    )
    t = a.transposed()
    assert (t.indptr.tolist(), t.indices.tolist(), t.data.tolist()) == rows_of(ref.T)


@settings(max_examples=200, deadline=None)
@given(case())
def test_the_product_agrees_with_scipy_to_the_bit(c: tuple[StemRows, StemRows, np.ndarray]) -> None:
    a, b, w = c
    left = a.scaled(w**2)
    got = product(left, b.transposed())
    want = rows_of(scipy_of(left) @ scipy_of(b).T)
    assert got.indptr.tolist() == want[0]
    assert got.indices.tolist() == want[1]
    assert same_bits(got.data, np.array(want[2], dtype=np.float64))


@settings(max_examples=200, deadline=None)
@given(case(), st.data())
def test_pair_intersections_agree_with_scipy_to_the_bit(
    c: tuple[StemRows, StemRows, np.ndarray], data: st.DataObject
) -> None:
    a, b, w = c
    if a.n_rows == 0 or b.n_rows == 0:
        return
    n = data.draw(st.integers(0, 12))
    ii = np.array(
        data.draw(st.lists(st.integers(0, a.n_rows - 1), min_size=n, max_size=n)), dtype=np.int64
    )
    jj = np.array(
        data.draw(st.lists(st.integers(0, b.n_rows - 1), min_size=n, max_size=n)), dtype=np.int64
    )
    want = scipy_of(a)[ii].multiply(scipy_of(b)[jj]).tocsr() @ w
    assert same_bits(intersection_weight(a, b, membership(b), w, ii, jj), want)
    # Without the membership table (too big to build), by sorting instead.
    assert same_bits(intersection_weight(a, b, None, w, ii, jj), want)


def test_membership_is_not_built_past_its_size(monkeypatch: pytest.MonkeyPatch) -> None:
    rows = from_entries(np.array([0, 1]), np.array([2, 0]), np.ones(2), 2, 3)
    assert membership(rows) is not None
    # Row 0 holds column 2 (bit 2 of its byte), row 1 column 0 (bit 0): one byte a row.
    assert membership(rows).tolist() == [0b100, 0b1]  # type: ignore[union-attr]
    monkeypatch.setattr(stem_rows, "MEMBERSHIP_CELLS", 15)
    assert membership(rows) is None


def test_wide_rows_are_ordered_without_the_16_bit_radix() -> None:
    """Past 65,536 columns the entry order falls back to combined keys; same order."""
    rows = np.array([1, 0, 1, 0], dtype=np.int64)
    cols = np.array([70_000, 70_001, 3, 5], dtype=np.int64)
    m = from_entries(rows, cols, np.array([1.0, 2.0, 3.0, 4.0]), 2, 70_002)
    assert m.indptr.tolist() == [0, 2, 4]
    assert m.indices.tolist() == [5, 70_001, 3, 70_000]
    assert m.data.tolist() == [4.0, 2.0, 3.0, 1.0]
    t = m.transposed()
    assert t.indices.tolist() == [1, 0, 1, 0] and t.data.tolist() == [3.0, 4.0, 1.0, 2.0]


def test_pairs_intersected_in_batches_sum_as_in_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Batches only bound the memory: the sums, with or without the table, do not change."""
    rng = np.random.default_rng(7)
    cells = {(int(r), int(c)) for r, c in rng.integers(0, [6, 40], size=(120, 2))}
    rows = np.array([r for r, _ in cells], dtype=np.int64)
    cols = np.array([c for _, c in cells], dtype=np.int64)
    m = from_entries(rows, cols, np.ones(len(cells)), 6, 40)
    w = rng.random(40) * 5
    ii, jj = rng.integers(0, 6, size=(2, 50))
    whole = intersection_weight(m, m, membership(m), w, ii, jj)
    assert same_bits(whole, intersection_weight(m, m, None, w, ii, jj))
    monkeypatch.setattr(stem_rows, "PAIR_BATCH", 7)
    assert same_bits(whole, intersection_weight(m, m, membership(m), w, ii, jj))
    assert same_bits(whole, intersection_weight(m, m, None, w, ii, jj))
    want = scipy_of(m)[ii].multiply(scipy_of(m)[jj]).tocsr() @ w
    assert same_bits(whole, want)
