"""The structure inside a point (plandiff/tree.py): labels, levels, paths and spans."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plandiff.tree import MAX_DEPTH, Item, items
from tests.strategies import nested_points


def _flat(found: tuple[Item, ...]) -> list[Item]:
    out: list[Item] = []
    for item in found:
        out.append(item)
        out += _flat(item.children)
    return out


def _outline(text: str, parent: str) -> list[tuple[str, int, str]]:
    return [(i.label, i.level, i.path) for i in _flat(items(text, parent))]


CLAUSE = """PAYMENT

7.1 The Customer shall pay as follows: (a) 3.5 million on signing; (b) the rest later.

7.2 The Supplier shall:
(a) keep the premises clean;
(b) report damage:
(i) by telephone; and
(ii) in writing;
(c) use approved products.
7.2.1 This applies under section 4.2 of the Act.
"""


def test_a_clause_reads_as_its_reader_reads_it() -> None:
    assert _outline(CLAUSE, "7") == [
        ("7.1", 1, "7.1"),
        ("(a)", 2, "7.1(a)"),
        ("(b)", 2, "7.1(b)"),
        ("7.2", 1, "7.2"),
        ("(a)", 2, "7.2(a)"),
        ("(b)", 2, "7.2(b)"),
        ("(i)", 3, "7.2(b)(i)"),
        ("(ii)", 3, "7.2(b)(ii)"),
        ("(c)", 2, "7.2(c)"),
        ("7.2.1", 2, "7.2.1"),
    ]
    first = items(CLAUSE, "7")[0]
    assert (
        first.text
        == "The Customer shall pay as follows: (a) 3.5 million on signing; (b) the rest later."
    )
    assert first.children[0].text == "3.5 million on signing;"


def test_a_division_keeps_its_name_and_other_labels_take_the_bracketed_form() -> None:
    text = "Services:\n3.1 The Supplier shall:\na) clean;\nb) report.\nA. Daily\nB. Weekly"
    assert _outline(text, "Schedule 1 › 3") == [
        ("3.1", 1, "Schedule 1 › 3.1"),
        ("a)", 2, "Schedule 1 › 3.1(a)"),
        ("b)", 2, "Schedule 1 › 3.1(b)"),
        ("A.", 3, "Schedule 1 › 3.1(b)(A)"),
        ("B.", 3, "Schedule 1 › 3.1(b)(B)"),
    ]


def test_i_after_h_continues_the_letters_unless_ii_follows() -> None:
    letters = "\n".join(f"({c}) item {c};" for c in "abcdefghij")
    assert [level for _, level, _ in _outline(letters, "7")] == [1] * 10
    romans = "(g) gee;\n(h) the following:\n(i) one;\n(ii) two;\n(i) eye."
    assert _outline(romans, "7") == [
        ("(g)", 1, "7(g)"),
        ("(h)", 1, "7(h)"),
        ("(i)", 2, "7(h)(i)"),
        ("(ii)", 2, "7(h)(ii)"),
        ("(i)", 1, "7(i)"),
    ]


def test_indentation_nests_bullets_and_numbers_in_sentences_are_not_labels() -> None:
    text = "Duties:\n- clean\n- report\n    - by phone\n    - by mail\n- log\n3.5 million is paid."
    assert _outline(text, "4") == [
        ("•", 1, "4 • 1"),
        ("•", 1, "4 • 2"),
        ("•", 2, "4 • 2 • 1"),
        ("•", 2, "4 • 2 • 2"),
        ("•", 1, "4 • 3"),
    ]


def test_paragraphs_are_items_only_without_labels_and_when_there_are_several() -> None:
    assert _outline("One paragraph only.", "¶ 8") == []
    assert _outline("First.\n\nSecond,\nwrapped.\n\n\nThird.", "2") == [
        ("¶ 1", 1, "2 ¶ 1"),
        ("¶ 2", 1, "2 ¶ 2"),
        ("¶ 3", 1, "2 ¶ 3"),
    ]
    assert items("First.\n\nSecond,\nwrapped.", "2")[1].text == "Second,\nwrapped."
    assert _outline("Heading\n\n(a) one\n\n(b) two", "2") == [
        ("(a)", 1, "2(a)"),
        ("(b)", 1, "2(b)"),
    ]


@given(nested_points())
def test_a_rendered_nested_point_reads_back_its_labels_levels_and_paths(
    point: tuple[str, str, list[tuple[str, int, str]]],
) -> None:
    text, number, expected = point
    assert _outline(text, number) == expected


_LABELLY = st.text(alphabet="abhiv12.()-•*:; \t\nAB", max_size=200)


def _check_spans(found: tuple[Item, ...], lo: int, hi: int, level: int) -> None:
    previous_end = lo
    for item in found:
        assert lo <= item.start < item.end <= hi
        assert item.start >= previous_end  # ordered, not overlapping at one level
        assert item.level == level
        previous_end = item.end
        _check_spans(item.children, item.start, item.end, level + 1)


@given(st.one_of(_LABELLY, nested_points().map(lambda p: p[0])))
def test_spans_are_inside_the_text_ordered_and_children_inside_their_parents(text: str) -> None:
    found = items(text, "1")
    _check_spans(found, 0, len(text), 1)
    for item in _flat(found):
        assert item.text in text[item.start : item.end]


def test_a_hostile_depth_stops_at_the_deepest_level_read() -> None:
    stairs = "\n".join(" " * k + "- step" for k in range(3000))
    decimals = "\n".join("1" + ".1" * k + " The step" for k in range(1, 300))
    for text in (stairs, decimals):
        found = _flat(items(text, "1"))
        assert len(found) == text.count("\n") + 1
        assert max(i.level for i in found) == MAX_DEPTH


def test_a_numbered_list_inside_a_point_takes_the_bracketed_form() -> None:
    text = "(1) Der Bund kann Finanzhilfen gewähren, die\n\n1.  zur Abwehr\n    oder\n\n"
    text += "2.  zum Ausgleich\n\nerforderlich sind.\n\n(2) Das Nähere regelt ein Gesetz."
    assert _outline(text, "104b") == [
        ("(1)", 1, "104b(1)"),
        ("1.", 2, "104b(1)(1)"),
        ("2.", 2, "104b(1)(2)"),
        ("(2)", 1, "104b(2)"),
    ]
    assert items(text, "104b")[0].children[0].text == "zur Abwehr\n    oder"
