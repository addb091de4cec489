"""The structure inside a point (plandiff/tree.py): labels, levels, paths and spans."""

from __future__ import annotations

from pathlib import Path

from hypothesis import example, given
from hypothesis import strategies as st

from plandiff.tree import MAX_DEPTH, Item, items, labels, plain
from tests.strategies import any_text, nested_points


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


_LABELLY = st.text(alphabet="abhiv12.()-•*:; \t\nABHIS§#—", max_size=200)


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


# ---------------------------------------------------------------------------------------------
# The hierarchies of real legal texts

US_CODE = """DEFINITIONS.
(a) In General.—(1) The Secretary shall—
(A) issue rules; and
(B) report on—
(i) the costs;
(ii) the means, including—
(I) grants;
(II) loans, as follows: (aa) direct; (bb) guaranteed.
(C) act under subsection (a)(1)(A), and (A) and (B) cited here are text.
(2) Other.
(b) IN GENERAL.--In this section: (1) one; (2) two.
(c)(1) A chain opens the line.
(2) Its next paragraph.
"""


def test_the_us_code_hierarchy_nests_as_written() -> None:
    assert _outline(US_CODE, "2") == [
        ("(a)", 1, "2(a)"),
        ("(1)", 2, "2(a)(1)"),
        ("(A)", 3, "2(a)(1)(A)"),
        ("(B)", 3, "2(a)(1)(B)"),
        ("(i)", 4, "2(a)(1)(B)(i)"),
        ("(ii)", 4, "2(a)(1)(B)(ii)"),
        ("(I)", 5, "2(a)(1)(B)(ii)(I)"),
        ("(II)", 5, "2(a)(1)(B)(ii)(II)"),
        ("(aa)", 6, "2(a)(1)(B)(ii)(II)(aa)"),
        ("(bb)", 6, "2(a)(1)(B)(ii)(II)(bb)"),
        ("(C)", 3, "2(a)(1)(C)"),
        ("(2)", 2, "2(a)(2)"),
        ("(b)", 1, "2(b)"),
        ("(1)", 2, "2(b)(1)"),
        ("(2)", 2, "2(b)(2)"),
        ("(c)", 1, "2(c)"),
        ("(1)", 2, "2(c)(1)"),
        ("(2)", 2, "2(c)(2)"),
    ]
    found = _flat(items(US_CODE, "2"))
    assert found[0].text.startswith("In General.—(1) The Secretary")
    assert found[-3].text == "(1) A chain opens the line.\n(2) Its next paragraph."
    assert found[-2].text == "A chain opens the line."


def test_capital_i_is_a_letter_after_h_and_a_numeral_when_ii_follows() -> None:
    letters = "\n".join(f"({c}) item;" for c in "ABCDEFGHIJ")
    assert [level for _, level, _ in _outline(letters, "7")] == [1] * 10
    text = "(G) gee;\n(H) the following:\n(I) one;\n(II) two;\n(I) eye."
    assert _outline(text, "7") == [
        ("(G)", 1, "7(G)"),
        ("(H)", 1, "7(H)"),
        ("(I)", 2, "7(H)(I)"),
        ("(II)", 2, "7(H)(II)"),
        ("(I)", 1, "7(I)"),
    ]
    # Under a clause (i), a lone (I) opens the subclauses; (V) after (IV) continues them.
    deep = "(A) a—\n(i) one—\n(I) first;\n(II) second;\n(III) third;\n(IV) fourth;\n(V) fifth."
    assert [(label, level) for label, level, _ in _outline(deep, "1")][-2:] == [
        ("(IV)", 3),
        ("(V)", 3),
    ]


def test_indented_bill_text_and_citations_on_wrapped_lines() -> None:
    text = (
        "SHORT TITLE.\n"
        "    (a) In General.--Title V is amended--\n"
        "            (1) by striking; and\n"
        "                    (A) in clause x;\n"
        "                    (B) in clause y;\n"
        "            (2) by adding the text of\n"
        "section 4.2 of the Act and of subsection\n"
        "(a)(1)(A) of such Act, and of subparagraphs\n"
        "(A) and (B) of its paragraph (3).\n"
        "    (b)(1) Report.--Not later.\n"
        "            (2) Other.\n"
    )
    assert _outline(text, "2") == [
        ("(a)", 1, "2(a)"),
        ("(1)", 2, "2(a)(1)"),
        ("(A)", 3, "2(a)(1)(A)"),
        ("(B)", 3, "2(a)(1)(B)"),
        ("(2)", 2, "2(a)(2)"),
        ("(b)", 1, "2(b)"),
        ("(1)", 2, "2(b)(1)"),
        ("(2)", 2, "2(b)(2)"),
    ]


ARTICLE = """COVENANTS
Section 7.01 Payment. The Buyer shall pay:
(a) the price; and
(b) the costs, being:
(i) fees;
(ii) taxes.
Section 7.02. Delivery. Goods.
§ 7.03 Risk. Passes on delivery.
Section 7.10 Notices. In writing, as Section 4.2 says.
Section 4.2 of the Act applies on this wrapped line.
Section 7.11 - Costs
2.03(a)(iv) A decimal chain.
"""


def test_keyword_sections_inside_a_point_are_its_sub_items() -> None:
    assert _outline(ARTICLE, "7") == [
        ("Section 7.01", 1, "7.01"),
        ("(a)", 2, "7.01(a)"),
        ("(b)", 2, "7.01(b)"),
        ("(i)", 3, "7.01(b)(i)"),
        ("(ii)", 3, "7.01(b)(ii)"),
        ("Section 7.02", 1, "7.02"),
        ("§ 7.03", 1, "7.03"),
        ("Section 7.10", 1, "7.10"),
        ("Section 7.11", 1, "7.11"),
        ("2.03", 1, "7 › 2.03"),
        ("(a)", 2, "7 › 2.03(a)"),
        ("(iv)", 3, "7 › 2.03(a)(iv)"),
    ]
    # A numbering of another scheme keeps its own after " › ".
    assert [path for _, _, path in _outline(ARTICLE, "VII")][:2] == ["VII › 7.01", "VII › 7.01(a)"]
    assert _flat(items(ARTICLE, "7"))[5].text == "Delivery. Goods."
    clauses = "Intro\nArticle 4 Scope\nClause 4.1 One.\nClause 4.2 Two.\n4.2.1 Sub.\nArt. 5 Other."
    assert _outline(clauses, "2") == [
        ("Article 4", 1, "2 › 4"),
        ("Clause 4.1", 2, "2 › 4.1"),
        ("Clause 4.2", 2, "2 › 4.2"),
        ("4.2.1", 3, "2 › 4.2.1"),
        ("Art. 5", 1, "2 › 5"),
    ]


def test_a_heading_run_into_a_decimal_point_is_not_its_sub_item() -> None:
    text = "Other Terms. Words in the singular.\nARTICLE 2\nTHE LOANS"
    assert _outline(text, "1.02") == []
    assert _outline("Lead.\nSection 1.02.1 Deeper. Text.", "1.02") == [
        ("Section 1.02.1", 1, "1.02.1")
    ]


def test_markdown_marks_around_labels() -> None:
    text = "Exception\n##### (a) Rule\nText.\n**(1) In General**\nMore.\n**(2)**\nLast."
    assert _outline(text, "3") == [
        ("(a)", 1, "3(a)"),
        ("(1)", 2, "3(a)(1)"),
        ("(2)", 2, "3(a)(2)"),
    ]
    assert _flat(items(text, "3"))[2].text == "Last."


def _real_section(name: str, number: int) -> str:
    from plandiff.texts import documents_from_texts

    path = Path(__file__).parent / "real" / "docs" / name
    ((found, _),) = documents_from_texts([(path.read_text(encoding="utf-8"), name, None)])
    return found.version.points[number - 1].text or ""


def test_a_real_us_bill_section_reads_as_its_hierarchy() -> None:
    # H.R. 3074 as reported, SEC. 2: an amendment list (1), (A), (i) in bold Markdown marks;
    # its (3) and (4) insert subsections flattened onto one line each, which the text
    # does not mark as quoted: they read as items of the paragraph inserting them.
    text = _real_section("bill-us-hr-3074-119-rh.txt", 2)
    assert _outline(text, "2") == [
        ("(1)", 1, "2(1)"),
        ("(A)", 2, "2(1)(A)"),
        ("(B)", 2, "2(1)(B)"),
        ("(i)", 3, "2(1)(B)(i)"),
        ("(ii)", 3, "2(1)(B)(ii)"),
        ("(2)", 1, "2(2)"),
        ("(A)", 2, "2(2)(A)"),
        ("(i)", 3, "2(2)(A)(i)"),
        ("(ii)", 3, "2(2)(A)(ii)"),
        ("(B)", 2, "2(2)(B)"),
        ("(C)", 2, "2(2)(C)"),
        ("(3)", 1, "2(3)"),
        ("(c)", 2, "2(3)(c)"),
        ("(4)", 1, "2(4)"),
        ("(bb)", 2, "2(4)(bb)"),
    ]
    first = items(text, "2")[0].children[0]
    assert first.text.startswith("in paragraph (5), by striking weighs 5 grams.")
    # The Government Publishing Office's plain text of H.R. 7032, SEC. 2: (a) In General.--
    # holding (1)-(3), then (b) Report.--; "(2) No provision …" quoted at column 4 is text.
    text = _real_section("bill-us-hr-7032-118-rds.txt", 2)
    assert _outline(text, "2") == [
        ("(a)", 1, "2(a)"),
        ("(1)", 2, "2(a)(1)"),
        ("(2)", 2, "2(a)(2)"),
        ("(3)", 2, "2(a)(3)"),
        ("(b)", 1, "2(b)"),
    ]


def test_sections_of_an_agreement_are_renumbered_by_their_written_numbers() -> None:
    from plandiff.texts import diff_texts

    def agreement(sections: list[str]) -> str:
        body = "\n\n".join(
            f"Section 1.0{k} {title}. The parties agree on the {title.lower()} at length here."
            for k, title in enumerate(sections, 1)
        )
        return f"ARTICLE 1\nGENERAL\n\n{body}\n\nARTICLE 2\nOTHER\n\nSection 2.01 Law. English law."

    old = agreement(["Scope", "Fees", "Term", "Notices"])
    new = agreement(["Scope", "Term", "Notices"])
    result = diff_texts(old, new)
    moves = [
        (c.old[0].path, c.new[0].path, c.renumbered) for c in result.changes if c.new and c.old
    ]
    assert moves == [
        ("1.01", "1.01", False),
        ("1.03", "1.02", True),
        ("1.04", "1.03", True),
        ("2.01", "2.01", False),
    ]


def test_a_label_run_in_after_and_or_or_is_an_item_unless_it_is_cited() -> None:
    text = 'In this Agreement: (a) "Buyer" means X; (b) "Seller" means Y; and (c) "Goods" means Z.'
    assert [i.path for i in items(text, "1")] == ["1(a)", "1(b)", "1(c)"]
    assert [i.path for i in items("The buyer shall: (a) pay; or (b) return.", "1")] == [
        "1(a)",
        "1(b)",
    ]
    assert items("Due under paragraph (b); and (c) of section 5 applies.", "1") == ()


@example("4.3 The parties")
@example("b. text")
@example("as follows: (a) the first; and (b) the second")
@given(
    st.one_of(
        any_text(),
        nested_points().map(lambda drawn: drawn[0]),
        st.text(alphabet="ab4.3() :;\nTS-*", max_size=30),
    )
)
def test_property_a_plain_text_has_no_labels(text: str) -> None:
    """What the cheap test says has no items has no labels of any kind, so the callers that
    skip reading a plain text's labels (sub-items, changed figures, nested changes) lose none."""
    if plain(text):
        assert labels(text) == []
        assert items(text, "7") == ()
    else:
        assert "\n" in text or "(" in text or labels(text)
