"""Cycles in the versions' ``derived_from`` lineage, found in one pass (pure).

A registry or archive may hold thousands of versions, each derived from the one before; a
check that walks every version's chain to its root costs the square of that, and one that
looks each step up in a list of the chain so far costs the cube (2,500 versions took minutes).
Each version here is visited once: a walk stops at the first version an earlier walk settled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import NamedTuple

__all__ = ["MAX_SHOWN", "Cycle", "cycles"]

#: A cycle of more versions than this is described by its first and last few members.
MAX_SHOWN = 12


class Cycle(NamedTuple):
    """A cycle (each member once, in parent order) seen from its member at ``start``.

    The members share one ``ring``, so a cycle of n versions costs n, not n², to report.
    """

    ring: tuple[str, ...]
    start: int

    def describe(self) -> str:
        """``a → b → a`` from the member; past :data:`MAX_SHOWN` versions, its ends and length."""
        n = len(self.ring)
        shown = n if n <= MAX_SHOWN else MAX_SHOWN // 2
        names = [self.ring[(self.start + k) % n] for k in range(shown)]
        if shown < n:
            names.append(f"… ({n - shown} more) …")
        names.append(self.ring[self.start])
        return " → ".join(names)


def cycles(parent: Mapping[str, str | None]) -> dict[str, Cycle]:
    """Each version on a cycle of ``derived_from``, with its cycle as seen from it.

    ``parent`` maps every known version id to the id it is derived from (or None); a parent
    that is not a key ends the chain there (reported elsewhere as unknown). Versions that only
    lead into a cycle are not on it. Linear in the number of versions.
    """
    settled: set[str] = set()
    found: dict[str, Cycle] = {}
    for first in parent:
        if first in settled:
            continue
        path: list[str] = []
        at: dict[str, int] = {}
        cur: str | None = first
        while cur is not None and cur in parent and cur not in settled:
            if cur in at:  # the walk came back to itself: path[at[cur]:] is a cycle
                ring = tuple(path[at[cur] :])
                for k, member in enumerate(ring):
                    found[member] = Cycle(ring, k)
                break
            at[cur] = len(path)
            path.append(cur)
            cur = parent[cur]
        settled.update(path)
    return found
