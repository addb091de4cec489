"""Merges and splits whose parts are paraphrased, or held verbatim in a much longer whole."""

from __future__ import annotations

from plandiff.align import align
from plandiff.texts import diff_texts

CEASEFIRE = "The parties agree to a ceasefire along the whole line of contact."
ELECTIONS = "Elections are held within one hundred days."
WEAPONS = "Heavy weapons shall be withdrawn fifteen kilometres from the line within a week"
OBSERVERS = (
    "Observers from the mission monitor the withdrawal and report every week to the council."
)


def kinds(result) -> list[tuple[str, list[int], list[int]]]:
    return [
        (c.kind.value, [r.index for r in c.old], [r.index for r in c.new]) for c in result.changes
    ]


def numbered(*points: str) -> str:
    return "".join(f"{k}. {p}\n" for k, p in enumerate(points, 1))


def test_a_merge_whose_second_half_is_paraphrased_is_found() -> None:
    old = numbered(CEASEFIRE, WEAPONS + ".", OBSERVERS, ELECTIONS)
    merged = WEAPONS + ", and international monitors check that this happens, informing the "
    merged += "council weekly."
    new = numbered(CEASEFIRE, merged, ELECTIONS)
    assert kinds(diff_texts(old, new)) == [
        ("unchanged", [1], [1]),
        ("merged", [2, 3], [2]),
        ("unchanged", [4], [3]),
    ]


def test_a_split_whose_second_half_is_paraphrased_is_found() -> None:
    whole = WEAPONS + ", and international monitors check that this happens, informing the "
    whole += "council weekly."
    old = numbered(CEASEFIRE, whole, ELECTIONS)
    new = numbered(CEASEFIRE, WEAPONS + ".", OBSERVERS, ELECTIONS)
    assert kinds(diff_texts(old, new)) == [
        ("unchanged", [1], [1]),
        ("split", [2], [2, 3]),
        ("unchanged", [3], [4]),
    ]


def test_a_point_holding_several_old_ones_verbatim_is_a_merge() -> None:
    old = numbered(
        "The parties agree to a ceasefire.",
        "Prisoners are exchanged all for all.",
        "Hostages are released within a month.",
        ELECTIONS,
    )
    whole = (
        "Humanitarian measures: prisoners are exchanged all for all. Hostages are released "
        "within a month. A joint commission on missing persons is created, chaired by the Red "
        "Cross, and it reports to both governments every quarter on the search for missing "
        "persons and remains."
    )
    new = numbered("The parties agree to a ceasefire.", whole, ELECTIONS)
    assert kinds(diff_texts(old, new)) == [
        ("unchanged", [1], [1]),
        ("merged", [2, 3], [2]),
        ("unchanged", [4], [3]),
    ]


def test_a_loosely_related_point_far_away_is_not_pulled_into_a_merge() -> None:
    words = ["alpha", "bravo", "charlie", "delta"]
    filler = [f"Clause {w} concerns {w} matters only." for w in words]
    old = [WEAPONS + ".", *filler, OBSERVERS]
    new = [WEAPONS + ", and the council is informed.", *filler]
    found = align(old, new)
    assert not any(c.kind.value == "merged" for c in found)
    assert [(c.kind.value, c.old, c.new) for c in found if 5 in c.old] == [("removed", (5,), ())]
