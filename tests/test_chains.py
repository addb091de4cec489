"""rising_chain: the longest strictly rising subsequence, as patience sorting finds it."""

from __future__ import annotations

from itertools import combinations, pairwise

from hypothesis import given
from hypothesis import strategies as st

from plandiff.chains import rising_chain


def _longest(keys: list[int]) -> int:
    """Brute force: the length of the longest strictly rising subsequence."""
    for size in range(len(keys), 0, -1):
        for picked in combinations(range(len(keys)), size):
            if all(keys[a] < keys[b] for a, b in pairwise(picked)):
                return size
    return 0


@given(st.lists(st.integers(0, 6), max_size=10))
def test_the_chain_is_a_longest_strictly_rising_subsequence(keys: list[int]) -> None:
    chain = rising_chain(keys)
    assert chain == sorted(set(chain))  # indexes, ascending, each once
    values = [keys[i] for i in chain]
    assert all(a < b for a, b in pairwise(values))
    assert len(chain) == _longest(keys)


def test_a_year_among_points_is_left_off_not_the_points_after_it() -> None:
    assert rising_chain([1, 2, 2026, 3, 4]) == [0, 1, 3, 4]


def test_keys_in_order_are_all_kept_and_ties_are_not_rising() -> None:
    assert rising_chain([(1, 0), (1, 1), (2, 0)]) == [0, 1, 2]
    assert rising_chain([3, 3, 3]) == [2]  # one of them: the last, as the smallest tail
    assert rising_chain([]) == []
