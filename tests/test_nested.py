"""Alignment below the top level (plandiff/nested.py): sub-items and paragraphs inside points,
matched level by level and across the document, on the change that holds their new place."""

from __future__ import annotations

from collections import Counter

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from plandiff import diff_texts
from plandiff.changes import Entry
from plandiff.nested import nested_changes
from plandiff.records import Completeness, PointRecord, VersionRecord
from plandiff.result import Basis, ChangeKind, DiffResult, NestedChange, RedlineOp
from plandiff.tree import Item, items
from tests.helpers import FIXTURES
from tests.strategies import nested_document_pairs

CONTRACT = FIXTURES / "plans"


def _contract() -> DiffResult:
    return diff_texts(
        (CONTRACT / "contract-v1.txt").read_text(encoding="utf-8"),
        (CONTRACT / "contract-v2.txt").read_text(encoding="utf-8"),
    )


def _row(n: NestedChange) -> tuple[str, tuple[str, ...], tuple[str, ...], int, bool, bool]:
    return (n.kind.value, n.old, n.new, n.level, n.moved, n.renumbered)


def test_the_contract_pair_shows_each_kind_of_nested_change() -> None:
    result = _contract()
    listed = {c.new[0].path: [_row(n) for n in c.nested] for c in result.changes if c.nested}
    assert listed == {
        "2": [
            ("unchanged", ("2.1",), ("2.1",), 1, False, False),
            ("reworded", ("2.2",), ("2.2",), 1, False, False),
            ("merged", ("2.2(a)", "2.2(b)"), ("2.2(a)",), 2, False, False),
            ("reworded", ("2.2(c)",), ("2.2(b)",), 2, False, True),
            ("reworded", ("2.2(d)",), ("2.2(c)",), 2, False, True),
        ],
        "3": [
            ("unchanged", ("3.1",), ("3.1",), 1, False, False),
            ("unchanged", ("3.2",), ("3.2",), 1, False, False),
            ("unchanged", ("3.2(a)",), ("3.2(a)",), 2, False, False),
            ("unchanged", ("3.2(b)",), ("3.2(b)",), 2, False, False),
            ("unchanged", ("3.2(b)(i)",), ("3.2(b)(i)",), 3, False, False),
            ("unchanged", ("3.2(b)(ii)",), ("3.2(b)(ii)",), 3, False, False),
            ("unchanged", ("3.2(b)(iii)",), ("3.2(b)(iii)",), 3, False, False),
            ("unchanged", ("3.2(c)",), ("3.2(c)",), 2, False, False),
            ("removed", ("3.3",), (), 1, False, False),
        ],
        "4": [
            ("reworded", ("4.1",), ("4.1",), 1, False, False),
            ("added", (), ("4.2",), 1, False, False),
            # renumbered by the insertion before them, not moved
            ("unchanged", ("4.2",), ("4.3",), 1, False, True),
            ("unchanged", ("4.3",), ("4.4",), 1, False, True),
            # moved from clause 2 and reworded: listed under its new place only
            ("reworded", ("2.2(e)",), ("4.5",), 1, True, True),
        ],
        "5": [
            ("unchanged", ("5.1",), ("5.1",), 1, False, False),
            ("split", ("5.2",), ("5.2", "5.3"), 1, False, False),
        ],
    }
    # Every other point is identical to its counterpart, and lists nothing.
    for c in result.changes:
        if not c.nested:
            assert c.kind is ChangeKind.UNCHANGED
            assert [r.text for r in c.old] == [r.text for r in c.new]
    by_new = {n.new: n for c in result.changes for n in c.nested}
    fee = by_new[("4.1",)]
    assert [(s.old, s.new) for s in fee.substantive] == [("48,000 pounds", "52,000 pounds")]
    moved = by_new[("4.5",)]
    assert moved.redline is not None
    assert (RedlineOp.INSERT, " and send it to the Customer with each invoice") in (
        moved.redline.ops
    ) or any(
        op is RedlineOp.INSERT and "send it to the Customer" in text
        for op, text in moved.redline.ops
    )
    assert by_new[("4.3",)].redline is None  # unchanged: nothing to mark up


def _paths(found: tuple[Item, ...]) -> list[str]:
    out: list[str] = []
    for item in found:
        out.append(item.path)
        out += _paths(item.children)
    return out


def _every_item_listed_once(result: DiffResult) -> None:
    """Each item of both sides appears exactly once across all nested lists, except those of
    pairs identical character for character, which list nothing. A removed or added point, or
    one of several in a merge or split, may be listed once more: as the item it became, or
    the one it came from."""
    expected_old: Counter[str] = Counter()
    expected_new: Counter[str] = Counter()
    whole_old: Counter[str] = Counter()
    whole_new: Counter[str] = Counter()
    for c in result.changes:
        if not c.new or len(c.old) > 1:
            whole_old.update(r.path or r.key for r in c.old)
        if not c.old or len(c.new) > 1:
            whole_new.update(r.path or r.key for r in c.new)
        identical = bool(c.old and c.new) and "\n".join(r.text for r in c.old) == "\n".join(
            r.text for r in c.new
        )
        if identical:
            assert c.nested == ()
            continue
        for r in c.old:
            expected_old.update(_paths(items(r.text, r.path or r.key)))
        for r in c.new:
            expected_new.update(_paths(items(r.text, r.path or r.key)))
    listed_old = Counter(p for c in result.changes for n in c.nested for p in n.old)
    listed_new = Counter(p for c in result.changes for n in c.nested for p in n.new)
    assert listed_old - whole_old == expected_old - whole_old
    assert listed_new - whole_new == expected_new - whole_new
    assert not expected_old - listed_old and not expected_new - listed_new
    assert not listed_old - expected_old - whole_old
    assert not listed_new - expected_new - whole_new


def test_every_item_of_the_contract_pair_is_listed_once() -> None:
    _every_item_listed_once(_contract())


@given(nested_document_pairs())
def test_every_item_of_an_edited_nested_document_is_listed_once(pair: tuple[str, str]) -> None:
    old, new = pair
    result = diff_texts(old, new)
    _every_item_listed_once(result)
    for c in result.changes:
        for n in c.nested:
            assert n.old or n.new
            assert n.moved is False or (n.old and n.new)
            assert n.renumbered is False or (n.old and n.new)


@given(nested_document_pairs())
def test_a_document_diffed_with_itself_has_no_nested_changes(pair: tuple[str, str]) -> None:
    old, _ = pair
    assert all(c.nested == () for c in diff_texts(old, old).changes)


def test_identical_point_texts_list_nothing_even_beside_changed_ones() -> None:
    old = "1. Fees:\n(a) one;\n(b) two.\n\n2. Terms:\n(a) three;\n(b) four."
    new = "1. Fees:\n(a) one;\n(b) two.\n\n2. Terms:\n(a) three;\n(b) four hundred."
    first, second = diff_texts(old, new).changes
    assert first.nested == ()
    assert [_row(n) for n in second.nested] == [
        ("unchanged", ("2(a)",), ("2(a)",), 1, False, False),
        ("reworded", ("2(b)",), ("2(b)",), 1, False, False),
    ]


def test_a_sub_item_that_became_a_point_and_a_point_that_became_a_sub_item_are_moves() -> None:
    fee = "The customer pays one hundred pounds a month for the cleaning of the offices"
    due = "Invoices are due within thirty days of receipt."
    term = "2. The term of this agreement is one year from signing."
    old = f"1. Fees:\n(a) {fee}.\n(b) {due}\n\n{term}\n\n3. Either party may end it."
    new = f"1. Fees:\n(a) {due}\n\n{term}\n\n3. Either party may end it.\n\n4. {fee} and depot."
    (split, *_) = diff_texts(old, new).changes
    assert split.kind is ChangeKind.SPLIT
    assert [_row(n) for n in split.nested] == [
        ("unchanged", ("1(b)",), ("1(a)",), 1, False, True),
        ("reworded", ("1(a)",), ("4",), 1, True, True),
    ]
    # and back: the point folded into clause 1 as its sub-item (b)
    (merge, *_) = diff_texts(new, old).changes
    assert merge.kind is ChangeKind.MERGED
    assert [_row(n) for n in merge.nested] == [
        ("reworded", ("4",), ("1(a)",), 1, True, True),
        ("unchanged", ("1(a)",), ("1(b)",), 1, False, True),
    ]


def _version(texts: list[str]) -> VersionRecord:
    return VersionRecord(
        id="v",
        title="v",
        completeness=Completeness.FULL,
        points=tuple(
            PointRecord(key=f"p{k}", number=k, text=t) for k, t in enumerate(texts, start=1)
        ),
    )


def test_an_added_point_made_of_a_sub_item_is_listed_under_it_and_a_removed_one_too() -> None:
    record = "The supplier keeps a written record of every visit, signed by the cleaner"
    old = _version(["Duties:\n(a) Clean the offices.\n(b) " + record + ".", "Fees monthly."])
    new = _version(["Duties:\n(a) Clean the offices.", "Fees monthly.", record + " and kept."])
    auto = Basis.AUTOMATIC
    found = [
        Entry(ChangeKind.REWORDED, (0,), (0,), auto, 0.7),
        Entry(ChangeKind.UNCHANGED, (1,), (1,), auto, 1.0),
        Entry(ChangeKind.ADDED, (), (2,), auto, None),
    ]
    listed = nested_changes(old, new, found)
    assert {pair: [_row(n) for n in changes] for pair, changes in listed.items()} == {
        ((0,), (0,)): [("unchanged", ("1(a)",), ("1(a)",), 1, False, False)],
        ((), (2,)): [("reworded", ("1(b)",), ("3",), 1, True, True)],
    }
    # and back: a removed point that became a sub-item is listed under the point holding it
    back = [
        Entry(ChangeKind.REWORDED, (0,), (0,), auto, 0.7),
        Entry(ChangeKind.UNCHANGED, (1,), (1,), auto, 1.0),
        Entry(ChangeKind.REMOVED, (2,), (), auto, None),
    ]
    listed = nested_changes(new, old, back)
    assert {pair: [_row(n) for n in changes] for pair, changes in listed.items()} == {
        ((0,), (0,)): [
            ("unchanged", ("1(a)",), ("1(a)",), 1, False, False),
            ("reworded", ("3",), ("1(b)",), 1, True, True),
        ],
    }
    # a removed point with no counterpart item is the top level's to report, not listed
    alone = [Entry(ChangeKind.REWORDED, (0,), (0,), auto, 0.7), back[1], back[2]]
    shorter = _version(["Duties:\n(a) Clean.", "Fees monthly."])
    assert {
        pair: [_row(n) for n in c] for pair, c in nested_changes(new, shorter, alone).items()
    } == {((0,), (0,)): [("reworded", ("1(a)",), ("1(a)",), 1, False, False)]}


_LABELLY = st.text(alphabet="abhiv12.()-•*:; \t\nAB", max_size=120)


@given(st.lists(_LABELLY, min_size=1, max_size=4), st.lists(_LABELLY, min_size=1, max_size=4))
def test_every_item_is_listed_once_whatever_the_labels(old: list[str], new: list[str]) -> None:
    def document(bodies: list[str]) -> str:
        return "\n\n".join(f"{k}. {body}" for k, body in enumerate(bodies, start=1))

    _every_item_listed_once(diff_texts(document(old), document(new)))


def test_paragraphs_of_a_point_are_aligned_and_their_ordinals_are_not_renumbering() -> None:
    old = "1. Intro.\n\nFirst paragraph on fees.\n\nSecond paragraph on the term.\n\n2. End."
    new = old.replace("Intro.\n\n", "Intro.\n\nA new paragraph.\n\n")
    (first, _) = diff_texts(old, new).changes
    assert [_row(n) for n in first.nested] == [
        ("unchanged", ("1 ¶ 1",), ("1 ¶ 1",), 1, False, False),
        ("added", (), ("1 ¶ 2",), 1, False, False),
        ("unchanged", ("1 ¶ 2",), ("1 ¶ 3",), 1, False, False),
        ("unchanged", ("1 ¶ 3",), ("1 ¶ 4",), 1, False, False),
    ]


def test_an_item_of_an_unreported_point_is_not_claimed_removed() -> None:
    old = _version(["Duties:\n(a) Clean the offices.\n(b) Keep a record of visits."])
    new = msgspec.structs.replace(
        _version(["Something else entirely."]), completeness=Completeness.PARTIAL
    )
    found = [
        Entry(ChangeKind.REMOVED, (0,), (), Basis.AUTOMATIC, None),
        Entry(ChangeKind.ADDED, (), (0,), Basis.AUTOMATIC, None),
    ]
    assert nested_changes(old, new, found) == {}
    # curated: the curators said it was dropped, with its items
    found[0] = found[0]._replace(basis=Basis.CURATED)
    assert [_row(n) for n in nested_changes(old, new, found)[((0,), ())]] == [
        ("removed", ("1(a)",), (), 1, False, False),
        ("removed", ("1(b)",), (), 1, False, False),
    ]


_PAYMENT = (
    "7. PAYMENT\n7.1 The buyer pays:\n(a) by bank transfer;\n"
    "(b) within 30 days of the invoice{b}\n{c}7.2 Late payment bears interest at 4 per cent.\n\n"
    "8. DELIVERY\nThe seller delivers to the buyer's warehouse.\n\n"
)
_RECORD = "the seller keeps a record of every delivery for six years."
_FOLDED = _PAYMENT.format(b="; and", c=f"(c) {_RECORD}\n") + (
    "9. NOTICES\nNotices are written and go by post.\n"
)
_APART = _PAYMENT.format(b=".", c="") + (
    "9. RECORDS\nThe seller keeps a record of every delivery for six years.\n\n"
    "10. NOTICES\nNotices are written and go by post.\n"
)


def test_a_clause_folded_into_a_sub_item_is_a_move_and_its_host_only_reworded() -> None:
    # 7.1 gained (c): its text holds clause 9's, which is no merge of 7.1 with clause 9
    merged, *rest = diff_texts(_APART, _FOLDED).changes
    assert (merged.kind, [r.path for r in merged.old]) == (ChangeKind.MERGED, ["7", "9"])
    assert [_row(n) for n in merged.nested] == [
        ("reworded", ("7.1",), ("7.1",), 1, False, False),
        ("unchanged", ("7.1(a)",), ("7.1(a)",), 2, False, False),
        ("reworded", ("7.1(b)",), ("7.1(b)",), 2, False, False),
        ("reworded", ("9",), ("7.1(c)",), 2, True, True),
        ("unchanged", ("7.2",), ("7.2",), 1, False, False),
    ]
    assert all(c.nested == () for c in rest)


def test_a_sub_item_split_out_as_a_clause_is_a_move_and_its_parent_only_reworded() -> None:
    split, *rest = diff_texts(_FOLDED, _APART).changes
    assert (split.kind, [r.path for r in split.new]) == (ChangeKind.SPLIT, ["7", "9"])
    assert [_row(n) for n in split.nested] == [
        ("reworded", ("7.1",), ("7.1",), 1, False, False),
        ("unchanged", ("7.1(a)",), ("7.1(a)",), 2, False, False),
        ("reworded", ("7.1(b)",), ("7.1(b)",), 2, False, False),
        ("unchanged", ("7.2",), ("7.2",), 1, False, False),
        ("reworded", ("7.1(c)",), ("9",), 2, True, True),
    ]
    assert all(c.nested == () for c in rest)


def test_a_sub_clause_that_took_in_a_sibling_as_its_item_is_reworded_not_merged() -> None:
    sibling = "7.2 The seller keeps a record of every delivery for six years.\n"
    old = _PAYMENT.format(b=".", c=sibling).replace("\n7.2 Late", "\n7.3 Late")
    new = _PAYMENT.format(b="; and", c=f"(c) {_RECORD}\n")
    (payment, _) = diff_texts(old, new).changes
    assert [_row(n) for n in payment.nested] == [
        ("reworded", ("7.1",), ("7.1",), 1, False, False),
        ("unchanged", ("7.1(a)",), ("7.1(a)",), 2, False, False),
        ("reworded", ("7.1(b)",), ("7.1(b)",), 2, False, False),
        ("reworded", ("7.2",), ("7.1(c)",), 2, True, True),
        ("unchanged", ("7.3",), ("7.2",), 1, False, True),
    ]
    # and back: the item become a sub-clause of its own after its old parent
    (payment, _) = diff_texts(new, old).changes
    assert [_row(n) for n in payment.nested] == [
        ("reworded", ("7.1",), ("7.1",), 1, False, False),
        ("unchanged", ("7.1(a)",), ("7.1(a)",), 2, False, False),
        ("reworded", ("7.1(b)",), ("7.1(b)",), 2, False, False),
        ("reworded", ("7.1(c)",), ("7.2",), 1, True, True),
        ("unchanged", ("7.2",), ("7.3",), 1, False, True),
    ]


def test_items_of_a_removed_point_that_reappear_together_elsewhere_are_not_moved() -> None:
    # The top level reads clause 2 as removed and clause 3 as added; their items went over
    # in order, so clause 3 is clause 2 for them: none of them moved.
    first = "Duties:\n(a) Clean the offices every weekday evening.\n"
    items_ = "(a) Keep a signed record of every visit.\n(b) Report each broken window."
    old = _version([first, "Records:\n" + items_, "Fees monthly."])
    new = _version([first + "(b) Lock the doors.", "Fees monthly.", "Logs and reports:\n" + items_])
    auto = Basis.AUTOMATIC
    found = [
        Entry(ChangeKind.REWORDED, (0,), (0,), auto, 0.9),
        Entry(ChangeKind.REMOVED, (1,), (), auto, None),
        Entry(ChangeKind.UNCHANGED, (2,), (1,), auto, 1.0),
        Entry(ChangeKind.ADDED, (), (2,), auto, None),
    ]
    listed = nested_changes(old, new, found)
    assert {pair: [_row(n) for n in changes] for pair, changes in listed.items()} == {
        ((0,), (0,)): [
            ("unchanged", ("1(a)",), ("1(a)",), 1, False, False),
            ("added", (), ("1(b)",), 1, False, False),
        ],
        ((), (2,)): [
            ("unchanged", ("2(a)",), ("3(a)",), 1, False, False),
            ("unchanged", ("2(b)",), ("3(b)",), 1, False, False),
        ],
    }
