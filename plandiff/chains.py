"""The longest rising chain of a sequence: what stayed in order.

Three questions plandiff asks are this one: which markers of a numbering series follow each
other (a year among points is left off), which tokens found once in each text keep their order
(the redline's anchors), and which pairs of same-numbered points keep their order (the others
would cross). One answer serves them all: patience sorting, O(n log n).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from operator import lt
from typing import Any, Protocol, TypeVar

__all__ = ["rising_chain"]


class _Ordered(Protocol):
    def __lt__(self, other: Any, /) -> bool: ...


K = TypeVar("K", bound=_Ordered)


def rising_chain(keys: Sequence[K]) -> list[int]:
    """Indexes, ascending, of a longest strictly rising subsequence of ``keys``.

    ``tails[k]`` is the smallest key that ends a chain of length k + 1, so among chains of the
    longest length the one found ends in the smallest key and prefers small steps (a year in a
    list of points is left off, not the points after it).
    """
    if all(map(lt, keys, keys[1:])):
        return list(range(len(keys)))  # in order already: the common case
    tails: list[K] = []
    tail_at: list[int] = []
    previous = [-1] * len(keys)
    for i, key in enumerate(keys):
        k = bisect_left(tails, key)
        if k == len(tails):
            tails.append(key)
            tail_at.append(i)
        else:
            tails[k] = key
            tail_at[k] = i
        previous[i] = tail_at[k - 1] if k else -1
    chain = []
    end = tail_at[-1] if tail_at else -1
    while end >= 0:
        chain.append(end)
        end = previous[end]
    return chain[::-1]
