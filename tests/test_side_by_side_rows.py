"""Side-by-side rows aligned piece by piece (:mod:`plandiff.render.rows`): reading either
column top to bottom reads that side's text, corresponding items share a row, and an item on
one side only has an empty cell beside it."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plandiff.redline import redline
from plandiff.render import reflow
from plandiff.render.rows import Row, rows
from plandiff.result import RedlineOp

E, D, INS = RedlineOp.EQUAL, RedlineOp.DELETE, RedlineOp.INSERT


def _side(row_lines: tuple[tuple[tuple[RedlineOp, str], ...], ...]) -> list[str]:
    return ["".join(text for _, text in line) for line in row_lines]


def _texts(found: list[Row]) -> tuple[str, str]:
    old = [line for row in found for line in _side(row.old)]
    new = [line for row in found for line in _side(row.new)]
    return "\n".join(old), "\n".join(new)


_WORDY = st.text(alphabet=st.sampled_from(list("ab (c)1.\n ")), max_size=14)


@given(st.lists(st.tuples(st.sampled_from([E, D, INS]), _WORDY), max_size=10))
def test_each_column_reads_its_side_in_order(ops: list[tuple[RedlineOp, str]]) -> None:
    """The rows partition both texts: the old cells, in order, are the old text line by
    line (and the same for the new), whatever the redline."""
    found = rows(ops)
    old = "".join(t for op, t in ops if op is not INS)
    new = "".join(t for op, t in ops if op is not D)
    # Every line closed by a break is a line of its column; what follows the last break is
    # one more unless it is empty.
    assert _texts(found) == (old.removesuffix("\n"), new.removesuffix("\n"))
    for row in found:
        assert all(op is not INS for line in row.old for op, _ in line)
        assert all(op is not D for line in row.new for op, _ in line)


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta", "(a)", "(b)"]), max_size=6))
def test_an_unchanged_text_is_one_row_per_line(words: list[str]) -> None:
    text = "\n".join(words)
    found = rows([(E, text)] if text else [])
    assert [(_side(r.old), _side(r.new)) for r in found] == [
        ([w], [w]) for w in text.split("\n")
    ] * (bool(text))


def test_an_added_item_has_an_empty_old_cell_and_the_items_after_it_stay_paired() -> None:
    old = "7.1 The buyer pays:\n(a) by transfer;\n(b) by cheque."
    new = "7.1 The buyer pays:\n(a) by transfer;\n(b) by card;\n(c) by cheque."
    found = rows(reflow.reflow_ops(redline(old, new).ops))
    assert [(_side(r.old), _side(r.new)) for r in found] == [
        (["7.1 The buyer pays:"], ["7.1 The buyer pays:"]),
        (["(a) by transfer;"], ["(a) by transfer;"]),
        ([], ["(b) by card;"]),
        (["(b) by cheque."], ["(c) by cheque."]),
    ]


def test_merged_lines_sit_beside_the_whole() -> None:
    """...and a line rewritten in the same place (one line a side between two unchanged
    breaks) sits beside its rewriting, as Wikipedia pairs changed lines."""
    old = (
        "The monitors meet every month in the capital.\nThe monitors report every year.\nFees: 10."
    )
    new = "The monitors meet every month in the capital and report every year.\nCosts are shared."
    found = rows(redline(old, new).ops)
    assert [(_side(r.old), _side(r.new)) for r in found] == [
        (
            ["The monitors meet every month in the capital.", "The monitors report every year."],
            ["The monitors meet every month in the capital and report every year."],
        ),
        (["Fees: 10."], ["Costs are shared."]),
    ]


def test_a_removed_line_has_an_empty_new_cell() -> None:
    ops = [(E, "First line.\n"), (D, "Gone line.\n"), (E, "Last line.")]
    found = rows(ops)
    assert [(_side(r.old), _side(r.new)) for r in found] == [
        (["First line."], ["First line."]),
        (["Gone line."], []),
        (["Last line."], ["Last line."]),
    ]
