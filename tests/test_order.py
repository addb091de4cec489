"""heaviest_chain: a heaviest strictly increasing chain, by a staircase of chain ends or, for an
order built against that, a Fenwick tree; both must pick the same chain, ties included."""

from __future__ import annotations

from itertools import combinations, pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandiff.align import order
from plandiff.align.order import heaviest_chain

_WEIGHTS = st.sampled_from([0.0, 0.5, 1.0, 2.0, 3.0, 1e-9, 0.25 + 1e-9])


def _heaviest(xs: list[int], weights: list[float]) -> float:
    """Brute force: the weight of a heaviest strictly increasing chain."""
    best = 0.0
    for size in range(1, len(xs) + 1):
        for picked in combinations(range(len(xs)), size):
            if all(xs[a] < xs[b] for a, b in pairwise(picked)):
                best = max(best, sum(weights[k] for k in picked))
    return best


@given(st.lists(st.tuples(st.integers(0, 6), _WEIGHTS), max_size=9))
def test_the_chain_is_a_heaviest_strictly_increasing_one(items: list[tuple[int, float]]) -> None:
    xs, weights = [x for x, _ in items], [w for _, w in items]
    chain = heaviest_chain(xs, weights)
    assert chain == sorted(set(chain))
    assert all(xs[a] < xs[b] for a, b in pairwise(chain))
    assert sum(weights[k] for k in chain) == pytest.approx(_heaviest(xs, weights))


@given(st.lists(st.tuples(st.integers(0, 40), _WEIGHTS), max_size=80))
def test_staircase_and_fenwick_tree_pick_the_same_chain(items: list[tuple[int, float]]) -> None:
    """Ties everywhere (repeated xs, equal weights): the same predecessor for every item."""
    xs, weights = [x for x, _ in items], [w for _, w in items]
    assert order._by_staircase(xs, weights) == order._by_fenwick(xs, weights)


def test_an_order_built_against_the_staircase_is_left_to_the_tree() -> None:
    """Every other point of the second half first, then every other of the first: each end
    inserted shifts most of the list. The tree takes over, and the chain is the same."""
    n = 6000
    xs = list(range(1, n, 2)) + list(range(0, n, 2))
    weights = [1.0] * n
    assert order._by_staircase(xs, weights) is None
    assert order._by_staircase(xs[:200], weights[:200]) is not None
    back, best = order._by_fenwick(xs, weights)
    chain = heaviest_chain(xs, weights)
    assert chain[-1] == -best[2] and len(chain) == n // 2
    assert all(back[b] == a for a, b in pairwise(chain))


def test_a_nearly_ordered_document_stays_on_the_staircase() -> None:
    xs = list(range(3000))
    for a, b in ((10, 2500), (700, 40), (1200, 1900)):
        xs.insert(b, xs.pop(a))  # a few moves
    weights = [2.0] * len(xs)
    assert order._by_staircase(xs, weights) == order._by_fenwick(xs, weights)
