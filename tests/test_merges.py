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


# A split into a short half that kept its words and a longer half reworded and padded with new
# text: the reworded half shares more of the whole's words (the higher Dice) but holds too many
# of its own to be clearly inside it; the short half is.
PAYMENT = (
    "Invoices are payable within thirty days, and overdue amounts carry interest at the "
    "statutory rate from the due date until the day of payment, and the supplier may suspend "
    "deliveries while any amount remains overdue."
)
PAYMENT_KEPT = "Invoices are payable within thirty days."
PAYMENT_REWORDED = (
    "Late payment: the parties further agree that overdue amounts carry interest at the "
    "statutory rate from the due date until settled, and deliveries may be withheld meanwhile "
    "by the vendor, subject to prior written warning and a cure period."
)
INSURED = "The supplier keeps the equipment insured against fire and theft."
NOTICE = "Either party may terminate on ninety days written notice."


def test_a_split_whose_reworded_half_is_most_like_the_whole_keeps_its_short_half() -> None:
    found = align([INSURED, PAYMENT, NOTICE], [INSURED, PAYMENT_KEPT, PAYMENT_REWORDED, NOTICE])
    assert [(c.kind.value, c.old, c.new) for c in found] == [
        ("unchanged", (0,), (0,)),
        ("split", (1,), (1, 2)),
        ("unchanged", (2,), (3,)),
    ]


def test_a_merge_whose_reworded_half_is_most_like_the_whole_takes_its_short_half() -> None:
    found = align([INSURED, PAYMENT_KEPT, PAYMENT_REWORDED, NOTICE], [INSURED, PAYMENT, NOTICE])
    assert [(c.kind.value, c.old, c.new) for c in found] == [
        ("unchanged", (0,), (0,)),
        ("merged", (1, 2), (1,)),
        ("unchanged", (3,), (2,)),
    ]


def test_a_sub_item_split_into_a_short_and_a_reworded_half_is_a_nested_split() -> None:
    def clause(*items: str) -> str:
        body = "".join(f"1.{k} {text}\n\n" for k, text in enumerate(items, 1))
        return f"1. PAYMENT\n\n{body}2. NOTICES\n\nNotices are given in writing.\n"

    result = diff_texts(
        clause(INSURED, PAYMENT, NOTICE), clause(INSURED, PAYMENT_KEPT, PAYMENT_REWORDED, NOTICE)
    )
    nested = [(n.kind.value, n.old, n.new, n.renumbered) for c in result.changes for n in c.nested]
    assert nested == [
        ("unchanged", ("1.1",), ("1.1",), False),
        ("split", ("1.2",), ("1.2", "1.3"), False),
        ("unchanged", ("1.3",), ("1.4",), True),
    ]


def test_a_short_new_item_beside_a_reworded_one_is_not_taken_as_its_second_half() -> None:
    whole = (
        "Invoices are payable within thirty days of receipt, and overdue amounts carry "
        "interest at the statutory rate until the day of payment."
    )
    reworded = whole.replace("amounts carry", "sums bear")
    found = align(
        [INSURED, whole, NOTICE],
        [INSURED, reworded, "The parties agree that amounts are payable in euro.", NOTICE],
    )
    assert [(c.kind.value, c.old, c.new) for c in found] == [
        ("unchanged", (0,), (0,)),
        ("reworded", (1,), (1,)),
        ("added", (), (2,)),
        ("unchanged", (2,), (3,)),
    ]


def test_a_paraphrase_most_like_the_whole_takes_no_part_from_further_off() -> None:
    # The best partner of the old point is its paraphrase; a short new point two places
    # away is made of the old point's words, but what stands between them is another point.
    whole = (
        "Invoices are payable within thirty days of receipt by the customer, and overdue "
        "amounts carry interest at the statutory rate until the day of payment, as the law of "
        "England provides."
    )
    paraphrase = (
        "Invoices fall due a month after the customer receives them, and overdue amounts bear "
        "interest at the statutory rate until paid in full, as English law provides."
    )
    notices = "Notices are given in writing to the addresses in the schedule."
    found = align(
        [INSURED, whole, NOTICE, notices],
        [INSURED, paraphrase, NOTICE, "Invoices are payable by the customer.", notices],
    )
    assert [(c.kind.value, c.old, c.new) for c in found] == [
        ("unchanged", (0,), (0,)),
        ("reworded", (1,), (1,)),
        ("unchanged", (2,), (2,)),
        ("added", (), (3,)),
        ("unchanged", (3,), (4,)),
    ]
