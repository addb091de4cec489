"""Cycles in the derived_from lineage (plandiff.lineage), against a walk of every chain."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plandiff.lineage import MAX_SHOWN, cycles


def reference(parent: dict[str, str | None]) -> dict[str, tuple[str, ...]]:
    """The quadratic definition: v is on a cycle when its own chain comes back to it."""
    found = {}
    for v in parent:
        chain = [v]
        cur = parent[v]
        while cur is not None and cur in parent and cur not in chain:
            chain.append(cur)
            cur = parent[cur]
        if cur == v:
            found[v] = (*chain, v)
    return found


def rotation(ring: tuple[str, ...], start: int) -> tuple[str, ...]:
    return (*ring[start:], *ring[:start], ring[start])


@given(
    st.dictionaries(
        st.sampled_from([f"v{k}" for k in range(12)]),
        st.one_of(st.none(), st.sampled_from([f"v{k}" for k in range(14)])),
    )
)
def test_cycles_match_walking_every_chain(parent: dict[str, str | None]) -> None:
    got = {v: rotation(c.ring, c.start) for v, c in cycles(parent).items()}
    assert got == reference(parent)


def test_a_long_lineage_has_no_cycle_and_closing_it_makes_one() -> None:
    n = 5000
    chain: dict[str, str | None] = {f"v{k}": f"v{k - 1}" if k else None for k in range(n)}
    assert cycles(chain) == {}
    chain["v0"] = f"v{n - 1}"
    found = cycles(chain)
    assert len(found) == n
    assert len({id(c.ring) for c in found.values()}) == 1  # one shared ring, not n copies


def test_a_short_cycle_is_described_in_full_a_long_one_by_its_ends() -> None:
    short = cycles({"a": "b", "b": "c", "c": "a"})
    assert short["b"].describe() == "b → c → a → b"
    n = MAX_SHOWN + 5
    ring = cycles({f"v{k}": f"v{(k + 1) % n}" for k in range(n)})
    half = MAX_SHOWN // 2
    shown = " → ".join(f"v{k}" for k in range(3, 3 + half))
    assert ring["v3"].describe() == f"{shown} → … ({n - half} more) … → v3"
