"""plandiff.segmentation: plan text → preamble, points and closing, with exact spans."""

from __future__ import annotations

import time
from random import Random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandiff.lines import STRIP
from plandiff.segmentation import MAX_WARNINGS_PER_KIND, Segmentation, segment
from tests.strategies import any_text, control_text, plan_texts, sentences

# --------------------------------------------------------------------------- helpers


def assert_well_formed(text: str, result: Segmentation) -> None:
    """The invariants every segmentation keeps, whatever the input."""
    parts: list[tuple[int, int]] = []
    paragraphs = result.series is not None and result.series.style == "paragraph"
    paragraphs = paragraphs and result.series is not None and result.series.marker is None
    if result.preamble is not None:
        assert result.preamble.text == text[result.preamble.start : result.preamble.end]
        parts.append((result.preamble.start, result.preamble.end))
    for index, point in enumerate(result.points, start=1):
        assert point.index == index
        assert point.start <= point.body_start <= point.body_end <= point.end
        assert text[point.body_start : point.body_end] == point.text
        assert point.text == point.text.strip() and point.text.strip("\u200b\ufeff") == point.text
        marker_region = text[point.start : point.body_start]
        if paragraphs:  # no marker: the paragraph is all body
            assert point.label == "" and point.number is None and not marker_region.strip(STRIP)
        else:
            assert point.label and point.label in marker_region
        parts.append((point.start, point.end))
    for heading in result.headings:  # between points: each ends where a point starts
        assert heading.text == text[heading.start : heading.end] and heading.text.strip()
        assert any(p.start == heading.end for p in result.points)
        parts.append((heading.start, heading.end))
    if result.closing is not None:
        assert result.closing.text == text[result.closing.start : result.closing.end]
        assert result.closing.text.strip()
        parts.append((result.closing.start, result.closing.end))
    # Contiguous, in order, covering [0, len(text)); only an empty text has no part at all.
    position = 0
    for start, end in sorted(parts):
        assert start == position and end > start
        position = end
    assert position == len(text)
    if result.points:
        assert all(w.kind != "no-points" for w in result.warnings)
    else:  # only a text of whitespace has not even a paragraph
        assert "no-points" in [w.kind for w in result.warnings]
        assert result.closing is None and not text.strip(STRIP)
    if paragraphs:  # every paragraph is a point: nothing is left before or after them
        assert result.preamble is None and result.closing is None and not result.headings
        assert all(p.text for p in result.points)
    for w in result.warnings:
        assert 0 <= w.offset <= len(text)


def texts(result: Segmentation) -> list[str]:
    return [p.text for p in result.points]


def numbers(result: Segmentation) -> list[int | None]:
    return [p.number for p in result.points]


def kinds(result: Segmentation) -> list[str]:
    return [w.kind for w in result.warnings]


def check(text: str) -> Segmentation:
    result = segment(text)
    assert_well_formed(text, result)
    return result


# --------------------------------------------------------------------------- marker styles


@pytest.mark.parametrize(
    ("marker", "label"),
    [
        ("{n}.", "{n}."),
        ("{n})", "{n})"),
        ("({n})", "({n})"),
        ("Point {n}:", "Point {n}:"),
        ("Point {n}.", "Point {n}."),
        ("POINT {n}:", "POINT {n}:"),
        ("point {n}", "point {n}"),
        ("Article {n}", "Article {n}"),
        ("Article {n}.", "Article {n}."),
        ("Article {n} –", "Article {n}"),
        ("ARTICLE {n}:", "ARTICLE {n}:"),
        ("Section {n}", "Section {n}"),
        ("Section {n}.", "Section {n}."),
        ("§ {n}", "§ {n}"),
        ("§{n}.", "§{n}."),
        ("**{n}.**", "{n}."),
        ("**{n}.", "{n}."),
        ("**Point {n}:**", "Point {n}:"),
        ("## Article {n}", "Article {n}"),
        ("   {n}.", "{n}."),
        ("{n}.\t", "{n}."),
        ("{n}.\u00a0", "{n}."),
    ],
)
def test_numbered_styles(marker: str, label: str) -> None:
    bodies = ["Ukraine's sovereignty is confirmed.", "A ceasefire starts.", "Sanctions ease."]
    lines = [f"{marker.format(n=n)} {body}" for n, body in enumerate(bodies, start=1)]
    result = check("\n".join(lines) + "\n")
    assert texts(result) == bodies
    assert numbers(result) == [1, 2, 3]
    assert [p.label for p in result.points] == [label.format(n=n) for n in (1, 2, 3)]
    assert result.preamble is None and result.closing is None and result.warnings == ()


def test_keyword_marker_alone_on_its_line_takes_the_next_lines_as_body() -> None:
    result = check("Article 1\nScope of the treaty.\n\nArticle 2.\nDefinitions.\n")
    assert texts(result) == ["Scope of the treaty.", "Definitions."]


def test_keyword_followed_by_prose_is_not_a_marker() -> None:
    result = check("1. Security.\nArticle 5 of the NATO treaty applies.\n2. Elections.\n")
    assert texts(result) == ["Security.\nArticle 5 of the NATO treaty applies.", "Elections."]


def test_heading_bold_marker_keeps_the_rest_of_the_bold_in_the_body() -> None:
    result = check("**1. Sovereignty** Ukraine's sovereignty is confirmed.\n**2. Army** Limits.")
    assert [p.label for p in result.points] == ["1.", "2."]
    assert texts(result) == ["Sovereignty** Ukraine's sovereignty is confirmed.", "Army** Limits."]


@pytest.mark.parametrize("bullet", ["-", "*", "•", "–", "+", "▪"])
def test_bulleted_lists(bullet: str) -> None:
    result = check(f"The plan:\n{bullet} Peace.\n{bullet} Security.\n{bullet} Trade.\n")
    assert texts(result) == ["Peace.", "Security.", "Trade."]
    assert numbers(result) == [None, None, None]
    assert [p.label for p in result.points] == [bullet] * 3
    assert result.preamble is not None and result.preamble.text == "The plan:\n"
    assert result.warnings == ()


def test_a_single_bullet_is_not_a_list() -> None:
    result = check("Intro.\n- only one\nmore text")
    # No list: paragraphs, one a line (no blank line, nothing wrapped) but for a sentence
    # going on in lower case; the dash as written.
    assert texts(result) == ["Intro.", "- only one\nmore text"]
    assert numbers(result) == [None] * 2
    assert result.series is not None and result.series.style == "paragraph"


def test_dash_attributions_in_an_article_are_not_a_list() -> None:
    article = (
        "The delegations met in Geneva.\n"
        '"We achieved very good progress."\n'
        "– stated Yermak, adding that decisions are for the presidents.\n"
        "U.S. Position\n"
        "Rubio described the talks as productive.\n"
        '"We have a very good result."\n'
        "– the Secretary of State reported.\n"
        "Details of the Plan\n"
    )
    result = check(article)
    # No list: a news copy's lines, none wrapped and no blank line between them, are its
    # paragraphs (the attributions and the subheading included).
    assert texts(result) == article.strip().split("\n") and kinds(result) == []
    assert numbers(result) == [None] * 8 and {p.label for p in result.points} == {""}


def test_numbers_take_precedence_over_bullets_at_the_same_depth() -> None:
    text = "Key facts:\n- 28 points\n- drafted in Miami\n\n1. Peace.\n- a detail\n2. Trade.\n"
    result = check(text)
    assert numbers(result) == [1, 2]
    assert texts(result) == ["Peace.\n- a detail", "Trade."]


def test_bullets_shallower_than_numbers_are_the_points() -> None:
    text = "• Security:\n    1. a treaty\n    2. a council\n• Trade.\n• Energy.\n"
    result = check(text)
    assert numbers(result) == [None, None, None]
    assert texts(result)[0] == "Security:\n    1. a treaty\n    2. a council"


# --------------------------------------------------------------------------- not markers


@pytest.mark.parametrize(
    "line",
    [
        "1.5 million people were displaced.",
        "3.14 is not a point.",
        "1.2.3 versioning",
        "2) is mentioned",  # another style: a mixed-style warning, not a point
        "Points 3 and 4 are linked.",
        "Section 2 deals with trade.",
        "1.Foo without a space",
        "-5 degrees",
        "**bold** text",
    ],
)
def test_not_a_marker(line: str) -> None:
    text = f"1. First point.\n{line}\n2. Second point.\n"
    result = check(text)
    assert texts(result) == [f"First point.\n{line}", "Second point."]


def test_marker_mid_line_is_not_a_new_point() -> None:
    result = check("1. Troops withdraw. 2. Sanctions are lifted. 3) Trade resumes.\n2. Next.")
    assert numbers(result) == [1, 2]


def test_sub_items_on_one_line_stay_in_their_point() -> None:
    result = check("1. Foo: a) x; b) y; c) z.\n2. Bar.")
    assert texts(result) == ["Foo: a) x; b) y; c) z.", "Bar."]


def test_year_at_line_start_is_not_a_marker() -> None:
    text = "1. The war began\n2014. The annexation followed.\n2. Second point.\n"
    result = check(text)
    assert numbers(result) == [1, 2]
    assert "ignored-marker" in kinds(result)


def test_an_excerpt_may_start_late_when_the_numbering_continues() -> None:
    result = check("140. One.\n141. Two.\n")
    assert numbers(result) == [140, 141]
    assert kinds(result) == ["start"]


def test_a_lone_implausible_number_is_text() -> None:
    result = check("2025. The year of the plan.\n")
    assert texts(result) == ["2025. The year of the plan."] and numbers(result) == [None]
    assert kinds(result) == ["ignored-marker"]


# --------------------------------------------------------------------------- sub-items, depth


def test_lettered_and_bulleted_sub_items_stay_inside() -> None:
    text = (
        "1. Security guarantees:\n"
        "a. a treaty;\n"
        "(b) a council;\n"
        "c) a fund;\n"
        "i. first;\n"
        "(ii) second;\n"
        "• a bullet;\n"
        "- a dash.\n"
        "2. Elections.\n"
    )
    result = check(text)
    assert numbers(result) == [1, 2]
    assert texts(result)[0].endswith("- a dash.")


def test_indented_other_style_is_a_sub_item_not_a_restart() -> None:
    lines = [f"{n}. Point {n} text." for n in range(1, 29)]
    lines[2] = "3. Security:\n   1) first\n   2) second\n   3) third"
    result = check("\n".join(lines))
    assert numbers(result) == list(range(1, 29))
    assert result.warnings == ()
    assert texts(result)[2] == "Security:\n   1) first\n   2) second\n   3) third"


def test_nested_list_of_the_same_style_indented_deeper_is_a_sub_item() -> None:
    text = "1. Foo\n   1. nested\n   2. nested\n2. Bar\n3. Baz\n"
    result = check(text)
    assert numbers(result) == [1, 2, 3]
    assert result.warnings == ()


def test_unindented_sub_lists_lose_to_the_top_level_numbering() -> None:
    # Sub-items restart in every point; the top-level list never does.
    points = [f"{n}. Point {n}:\n1) one\n2) two\n3) three\n4) four" for n in range(1, 4)]
    result = check("\n".join(points))
    assert numbers(result) == [1, 2, 3]
    assert kinds(result) == ["mixed-style"]


def test_multi_paragraph_points_and_blank_lines_between_points() -> None:
    text = (
        "Preamble.\n\n"
        "1. First paragraph of one.\n\nSecond paragraph of one.\n\n\n"
        "2. Two.\n\n"
        "3. Three, first.\n\nThree, second.\n"
    )
    result = check(text)
    assert texts(result) == [
        "First paragraph of one.\n\nSecond paragraph of one.",
        "Two.",
        "Three, first.\n\nThree, second.",
    ]
    assert result.closing is None  # point 1 has two paragraphs, so the last one may too
    assert result.points[0].end == result.points[1].start
    assert text[result.points[0].start : result.points[0].end].endswith("\n\n\n")


# --------------------------------------------------------------------------- preamble, closing


def test_preamble_and_trailing_paragraph_after_single_paragraph_points() -> None:
    text = "The text of the plan:\n\n1. One.\n2. Two.\n\nThe plan was not confirmed.\n"
    result = check(text)
    assert result.preamble is not None and result.preamble.text == "The text of the plan:\n\n"
    assert texts(result) == ["One.", "Two."]
    assert result.closing is not None and result.closing.text == "The plan was not confirmed.\n"


def test_trailing_paragraph_stays_with_a_single_point() -> None:
    result = check("1. One.\n\nMore about one.\n")
    assert texts(result) == ["One.\n\nMore about one."] and result.closing is None


def test_trailing_text_without_blank_line_stays_in_the_last_point() -> None:
    result = check("1. One.\n2. Two.\nstill two.\n")
    assert texts(result)[-1] == "Two.\nstill two." and result.closing is None


def test_trailing_sub_items_are_not_a_closing() -> None:
    result = check("1. One.\n2. Two:\n\na) first;\n\n- second.\n")
    assert result.closing is None
    assert texts(result)[-1] == "Two:\n\na) first;\n\n- second."


@pytest.mark.parametrize(
    "closing",
    [
        "## Reactions",
        "---",
        "* * *",
        "___",
        "Signed in Geneva on 23 November 2025.",
        "Done at Istanbul, in two copies.",
        "In witness whereof the undersigned have signed.",
        "End of the document.",
        "Sources: Axios, Reuters.",
        "Read more about the talks",
        "Related: the Geneva talks",
    ],
)
def test_closing_markers_end_the_points_even_after_multi_paragraph_points(closing: str) -> None:
    text = f"1. One.\n\nMore about one.\n\n2. Two.\nMore about two.\n{closing}\nTail text.\n"
    result = check(text)
    assert texts(result) == ["One.\n\nMore about one.", "Two.\nMore about two."]
    assert result.closing is not None and result.closing.text == f"{closing}\nTail text.\n"


def test_whitespace_before_the_first_point_is_not_a_preamble() -> None:
    result = check("\n\n  \n1. One.\n2. Two.\n\n   \n")
    assert result.preamble is None and result.closing is None
    assert result.points[0].start == 0 and texts(result) == ["One.", "Two."]


def test_no_points_in_a_text_of_whitespace() -> None:
    for blank in (" ", "\n\n", " \u200b\n\t"):
        result = check(blank)
        assert result.points == () and kinds(result) == ["no-points"]
        assert result.preamble is not None and result.preamble.text == blank


def test_empty_text() -> None:
    result = check("")
    assert result.preamble is None and result.points == () and kinds(result) == ["no-points"]


# --------------------------------------------------------------------------- numbering warnings


@pytest.mark.parametrize(
    ("sequence", "expected"),
    [
        ([1, 2, 4], ["gap"]),
        ([1, 2, 6, 7], ["gap"]),
        ([1, 2, 3, 3, 4], ["repeat"]),
        ([1, 2, 3, 4, 5, 1, 2], ["restart"]),
        ([1, 2, 4, 3, 5], ["gap", "out-of-order", "gap"]),
        ([2, 3], ["start"]),
        ([0, 1, 2], []),  # 0-based numbering is normal in legal texts (issue 13)
        ([3, 4], ["start"]),
    ],
)
def test_numbering_anomalies_are_warnings(sequence: list[int], expected: list[str]) -> None:
    text = "\n".join(f"{n}. Point numbered {n}." for n in sequence)
    result = check(text)
    assert numbers(result) == sequence
    assert kinds(result) == expected


def test_gap_message_names_the_missing_numbers() -> None:
    result = check("1. a\n2. b\n6. f\n")
    (warning,) = result.warnings
    assert warning.message == "point 6 follows point 2; 3–5 missing"
    assert warning.offset == result.points[2].start


def test_warnings_are_capped_per_kind() -> None:
    result = check("1. x\n" * 500)
    assert len(result.points) == 500
    repeats = [w for w in result.warnings if w.kind == "repeat"]
    assert len(repeats) == MAX_WARNINGS_PER_KIND + 1
    assert repeats[-1].message == f"{499 - MAX_WARNINGS_PER_KIND} more 'repeat' findings like these"


# --------------------------------------------------------------------------- encodings, offsets


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028", "\u2029", "\x85"])
def test_line_endings(newline: str) -> None:
    text = newline.join(["Preamble.", "", "1. One", "a) sub", "2. Two", "", "Closing words."])
    result = check(text)
    assert texts(result) == [f"One{newline}a) sub", "Two"]
    assert result.closing is not None and result.closing.text == "Closing words."
    assert result.preamble is not None and result.preamble.text == f"Preamble.{newline}{newline}"


def test_mixed_line_endings() -> None:
    result = check("1. One\r\n2. Two\r3. Three\n4. Four")
    assert texts(result) == ["One", "Two", "Three", "Four"]


@pytest.mark.parametrize("indent", ["\t", "\u00a0", "\u200b", "\ufeff", " \u200b ", "\u3000"])
def test_invisible_and_odd_indentation(indent: str) -> None:
    result = check(f"{indent}1. One\n{indent}2. Two\n")
    assert texts(result) == ["One", "Two"]


def test_tab_indented_sub_items_are_deeper_than_the_points() -> None:
    result = check("1. One\n\t1) sub\n\t2) sub\n2. Two\n")
    assert numbers(result) == [1, 2] and result.warnings == ()


def test_zero_width_space_around_the_body_is_stripped() -> None:
    result = check("1. \u200bOne\u200b\n2. Two\u00a0\n")
    assert texts(result) == ["One", "Two"]


def test_offsets_are_code_points() -> None:
    text = "🇺🇦 Plan 👍🏽 text:\n1. Один 𝔘 крок.\n2. Два.\n"
    result = check(text)
    first = result.points[0]
    assert text[first.body_start : first.body_end] == "Один 𝔘 крок."
    assert first.start == text.index("1.")


def test_unicode_digits() -> None:
    result = check("١. واحد\n٢. اثنان\n")
    assert numbers(result) == [1, 2]


def test_control_characters_do_not_crash() -> None:
    check("1. \x00\x1b[31mred\x1b[0m\x07\n2. \x7f\x9b\n\x0c3. form feed")


def test_records_are_frozen() -> None:
    result = check("1. One\n2. Two\n")
    with pytest.raises(AttributeError):
        result.points[0].text = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        result.series.count = 3  # type: ignore[misc,union-attr]


# --------------------------------------------------------------------------- realistic plans

PREAMBLE = (
    "Below is the full text of the 28-point draft, as it circulated on 20 November 2025.\n"
    "The document has not been confirmed by either delegation.\n\n"
)
POINTS = [
    "Ukraine's sovereignty will be confirmed.",
    "A comprehensive non-aggression agreement will be concluded between Russia, Ukraine and "
    "Europe. All ambiguities of the last 30 years will be considered settled.",
    "It is expected that Russia will not invade neighbouring countries and NATO will not "
    "expand further.",
    "A dialogue between Russia and NATO will be held, mediated by the United States:\n"
    "a) to resolve all security issues;\n"
    "b) to create conditions for de-escalation;\n"
    "c) to ensure global security.",
    "Ukraine will receive reliable security guarantees.",
    "The size of the Armed Forces of Ukraine will be limited to 600,000 personnel.",
    "Ukraine agrees to enshrine in its constitution that it will not join NATO.",
    "NATO agrees not to station troops in Ukraine.",
    "European fighter jets will be stationed in Poland.",
    "The US guarantee:\n"
    "   - the US will receive compensation for the guarantee;\n"
    "   - if Ukraine invades Russia, it will lose the guarantee;\n"
    "   - if Russia invades Ukraine, sanctions will be reinstated.",
    "Ukraine is eligible for EU membership.",
    "A powerful global package of measures to rebuild Ukraine, including:\n"
    "   1) a Ukraine Development Fund;\n"
    "   2) joint reconstruction of gas infrastructure;\n"
    "   3) rehabilitation of war-affected areas.",
    *[f"Provision number {n} of the draft, in one sentence." for n in range(13, 28)],
    "The agreement will be legally binding. A Peace Council headed by the President will "
    "monitor it. Elections will be held within 100 days.",
]
CLOSING = (
    "The White House did not respond to a request for comment. Officials in Kyiv said the "
    "draft was a starting point.\n"
)


def news_plan(marker: str, sub_indent: str = "") -> str:
    body = []
    for n, point in enumerate(POINTS, start=1):
        point = point.replace("\n   ", "\n" + sub_indent + "   ") if sub_indent else point
        body.append(f"{marker.format(n=n)} {point}")
    return PREAMBLE + "\n\n".join(body) + "\n\n" + CLOSING


@pytest.mark.parametrize("marker", ["{n}.", "**{n}.**", "{n})", "Point {n}:"])
def test_news_style_plan(marker: str) -> None:
    text = news_plan(marker)
    result = check(text)
    assert numbers(result) == list(range(1, 29))
    assert texts(result) == POINTS
    assert result.preamble is not None and result.preamble.text == PREAMBLE
    assert result.closing is not None and result.closing.text == CLOSING
    assert result.warnings == ()


def test_news_style_plan_with_bullets() -> None:
    # Sub-items under bullets need a different bullet or an indent, as in any bulleted copy.
    text = news_plan("•", sub_indent="  ")
    result = check(text)
    assert len(result.points) == 28
    assert numbers(result) == [None] * 28
    assert result.points[3].text == POINTS[3]
    assert "\n     - the US will receive compensation" in result.points[9].text
    assert result.preamble is not None and result.preamble.text == PREAMBLE
    assert result.closing is not None and result.closing.text == CLOSING


def test_news_style_plan_with_numbering_slips() -> None:
    # 6, 8, 8 … 18, 19, 19, 21 … 26, 27, 4: a misnumbered copy still has 28 points.
    text = news_plan("{n}.").replace("\n\n7. ", "\n\n8. ").replace("\n\n20. ", "\n\n19. ")
    text = text.replace("\n\n28. ", "\n\n4. ")
    result = check(text)
    assert len(result.points) == 28
    assert kinds(result) == ["gap", "repeat", "repeat", "gap", "out-of-order"]
    assert result.closing is not None and result.closing.text == CLOSING


@pytest.mark.parametrize("name", ["ceasefire-v1.txt", "ceasefire-v2.txt"])
def test_fixture_plans_segment_cleanly(name: str) -> None:
    from tests.helpers import FIXTURES

    path = FIXTURES / "plans" / name
    if not path.exists():
        pytest.skip(f"fixture {name} not present")
    text = path.read_text(encoding="utf-8")
    result = check(text)
    assert result.points
    assert not {"restart", "out-of-order", "no-points"} & set(kinds(result))


# --------------------------------------------------------------------------- properties


@given(any_text(max_size=300))
def test_property_any_text_is_covered(text: str) -> None:
    assert_well_formed(text, segment(text))


@given(plan_texts(max_points=10))
def test_property_plan_texts_are_covered(text: str) -> None:
    assert_well_formed(text, segment(text))


@given(control_text(200))
def test_property_control_text_is_covered(text: str) -> None:
    assert_well_formed(text, segment(text))


_FRAGMENTS = st.sampled_from(
    [
        "1. ", "2) ", "(3) ", "Article 4", "Point 5:", "§ 6", "**7.** ", "## ", "- ", "• ", "* ",
        "a) ", "(ii) ", "---", "Signed", "\n", "\n\n", "\r\n", "\r", " ", "   ", "\t", "\u00a0",
        "\u200b", "2025. ", "1.5", "peace", "Ukraine", ".", "**", "\u2028", "\ufeff",
    ]
)  # fmt: skip


@given(st.lists(_FRAGMENTS, max_size=40).map("".join))
def test_property_marker_soup_is_covered(text: str) -> None:
    assert_well_formed(text, segment(text))


@given(
    style=st.sampled_from(["{n}.", "{n})", "({n})", "Article {n}.", "Point {n}:", "**{n}.**"]),
    bodies=st.lists(sentences(1, 10), min_size=1, max_size=12),
    newline=st.sampled_from(["\n", "\r\n", "\r"]),
    blank=st.booleans(),
    preamble=st.one_of(st.none(), sentences(2, 8)),
    sub_items=st.lists(st.sampled_from(["   a) sub;", "   - sub", "   1) sub", "   (i) sub"])),
)
def test_property_generated_plans_segment_back(
    style: str,
    bodies: list[str],
    newline: str,
    blank: bool,
    preamble: str | None,
    sub_items: list[str],
) -> None:
    """A plan rendered from known points segments back into exactly those points."""
    separator = newline * 2 if blank else newline
    rendered = [
        newline.join([f"{style.format(n=n)} {body}", *sub_items])
        for n, body in enumerate(bodies, start=1)
    ]
    text = separator.join(([preamble] if preamble else []) + rendered) + newline
    result = segment(text)
    assert_well_formed(text, result)
    assert numbers(result) == list(range(1, len(bodies) + 1))
    expected = [newline.join([body, *sub_items]) for body in bodies]
    assert texts(result) == expected
    assert (result.preamble is None) == (preamble is None)
    assert result.closing is None and result.warnings == ()


# --------------------------------------------------------------------------- performance


def _timed(text: str) -> tuple[float, Segmentation]:
    start = time.perf_counter()
    result = segment(text)
    return time.perf_counter() - start, result


def _plan_of(count: int) -> str:
    return "".join(
        f"{n}. The parties agree that point {n} covers security and reconstruction, with "
        f"{n % 90 + 10} days to implement it.\n\n"
        for n in range(1, count + 1)
    )


def test_thirty_thousand_points_segment_in_linear_time() -> None:
    small, large = _plan_of(3_000), _plan_of(30_000)
    assert 3_000_000 < len(large) < 4_500_000
    small_elapsed, _ = _timed(small)
    elapsed, result = _timed(large)
    assert len(result.points) == 30_000 and result.warnings == ()
    # About half a second on a slow shared machine. Ten times the text may take ten times as
    # long, not a hundred: the ratio catches a quadratic slip whatever the machine's load.
    assert elapsed < 25 * small_elapsed + 0.5
    assert elapsed < 10.0


#: Megabyte-long single lines made of what markers are made of.
HOSTILE_LINES = {
    "digits-dots": "1. " + "1.2 3. 4.. 5 . 6 " * 60_000,
    "spaces": " " * 1_000_000,
    "digits": "1" * 1_000_000,
    "dots": "." * 1_000_000,
    "one-dot": "1." * 500_000,
    "dashes": "- " * 500_000,
    "parens": "(" * 1_000_000,
    "stars": "**" * 500_000,
    "articles": "Article " * 125_000,
    "indent": " \t\u00a0" * 333_333 + "1. x",
}


@pytest.mark.parametrize("hostile", HOSTILE_LINES.values(), ids=HOSTILE_LINES.keys())
def test_megabyte_lines_do_not_backtrack(hostile: str) -> None:
    elapsed, result = _timed(hostile)
    assert_well_formed(hostile, result)
    assert elapsed < 2.0  # a tenth of that when the machine is idle


def test_spans_check_their_offsets() -> None:
    from plandiff.segmentation import Span

    with pytest.raises(ValueError, match="does not hold 2 chars"):
        Span(start=2, end=5, text="ab")
    kinds_as_strings = {w.kind for w in check("1. a\n3. b\n3. c").warnings}
    assert kinds_as_strings == {"gap", "repeat"}


def test_treaty_with_markers_alone_on_their_lines_has_a_closing() -> None:
    text = (
        "Article 1\n\nThe Parties end hostilities.\n\n"
        "Article 2\n\nPrisoners are exchanged.\n\n"
        "The treaty enters into force on signature.\n"
    )
    result = check(text)
    assert texts(result) == ["The Parties end hostilities.", "Prisoners are exchanged."]
    assert result.closing is not None
    assert result.closing.text == "The treaty enters into force on signature.\n"


def test_heading_points_with_body_paragraphs_keep_a_trailing_paragraph() -> None:
    # The titles are on the marker lines, so every body paragraph is a continuation, and a
    # trailing paragraph could be the last point's: it stays there.
    text = "## 1. Peace\n\nBody one.\n\n## 2. Trade\n\nBody two.\n\nMore on trade.\n"
    result = check(text)
    assert texts(result) == ["Peace\n\nBody one.", "Trade\n\nBody two.\n\nMore on trade."]
    assert result.closing is None


# ── Roman numerals ───────────────────────────────────────────────────────────────────────────


def test_upper_case_roman_numerals_number_points() -> None:
    text = "Joint Declaration\n\nI. Ceasefire.\nII. Prisoners.\nIII. Corridors.\nIV. Talks.\n"
    seg = segment(text)
    assert [(p.label, p.number, p.text) for p in seg.points] == [
        ("I.", 1, "Ceasefire."),
        ("II.", 2, "Prisoners."),
        ("III.", 3, "Corridors."),
        ("IV.", 4, "Talks."),
    ]
    assert seg.preamble is not None and seg.preamble.text == "Joint Declaration\n\n"
    assert seg.warnings == ()


def test_roman_numerals_after_a_keyword_and_their_numbering_checks() -> None:
    seg = segment("Article I\nScope.\n\nArticle II\nTerms.\n\nArticle IV\nEntry into force.\n")
    assert [(p.label, p.number) for p in seg.points] == [
        ("Article I", 1),
        ("Article II", 2),
        ("Article IV", 4),
    ]
    assert [w.message for w in seg.warnings] == ["point 4 follows point 2; 3 missing"]
    values = ["I", "II", "III", "IV", "V", "IX", "XIV", "XIX", "XXIV", "XXXIX"]
    text = "".join(f"Article {v}\nText.\n\n" for v in values)
    assert [p.number for p in segment(text).points] == [1, 2, 3, 4, 5, 9, 14, 19, 24, 39]


def test_roman_parts_with_numbered_items_restarting_inside() -> None:
    text = (
        "Plan\n\nI. Security\n1. Ceasefire.\n2. Monitoring.\n"
        "II. Humanitarian\n1. Prisoners.\n2. Children.\nIII. Politics\n1. Elections.\n"
    )
    seg = segment(text)
    assert [p.label for p in seg.points] == ["I.", "II.", "III."]
    assert seg.points[0].text == "Security\n1. Ceasefire.\n2. Monitoring."


@pytest.mark.parametrize(
    "line",
    [
        "i. lower case",
        "iv. lower case",
        "IIII. not a numeral",
        "XL. beyond 39",
        "C. a letter",
        "IV.5 a decimal",
        "I.e. an abbreviation",
    ],
)
def test_what_is_not_a_roman_point_marker(line: str) -> None:
    seg = segment(f"1. First.\n{line}\n2. Second.\n")
    assert [p.label for p in seg.points] == ["1.", "2."]
    assert line in seg.points[0].text


@pytest.mark.parametrize(
    ("word", "language"),
    [
        ("Стаття", "Ukrainian"),
        ("СТАТЬЯ", "Russian, in capitals"),
        ("Пункт", "Ukrainian and Russian"),
        ("Розділ", "Ukrainian"),
        ("Artikel", "German"),
        ("Artículo", "Spanish"),
        ("Articolo", "Italian"),
        ("Punto", "Spanish and Italian"),
    ],
)
def test_point_keywords_in_the_languages_plans_are_negotiated_in(word: str, language: str) -> None:
    text = f"Preamble.\n\n{word} 1. First.\n{word} 2. Second.\n{word} 3. Third.\n"
    seg = segment(text)
    assert [(p.label, p.number, p.text) for p in seg.points] == [
        (f"{word} 1.", 1, "First."),
        (f"{word} 2.", 2, "Second."),
        (f"{word} 3.", 3, "Third."),
    ], language


# ── pathological runs of markers: time grows linearly ─────────────────────────────────────────

#: Texts made of nothing but markers, as a function of how many; segmenting ten times as many
#: must not take a hundred times as long.
PATHOLOGICAL = {
    "outline-lines": lambda n: "".join(f"{'1.' * (k % 40 + 1)} x\n" for k in range(n)),
    "letters-on-one-line": lambda n: "1. " + "a) b) c) " * n,
    "lettered-lines": lambda n: "a)\nb)\nc)\n" * (n // 3),
    "restarting-lists": lambda n: "1) x\n2) y\n" * (n // 2),
    "decorated-boxes": lambda n: "*  1. Box  *\n" * n,
    "inserted-numbers": lambda n: "".join(f"Article {k}-{k % 7} x\n" for k in range(n)),
}


def _best_of_three(text: str) -> float:
    times = []
    for _ in range(5):  # the best of five: a busy machine slows some runs, never speeds one
        start = time.perf_counter()
        segment(text)
        times.append(time.perf_counter() - start)
    return min(times)


@pytest.mark.parametrize("make", PATHOLOGICAL.values(), ids=PATHOLOGICAL.keys())
def test_pathological_marker_runs_segment_in_linear_time(make) -> None:  # type: ignore[no-untyped-def]
    small, large = make(3_000), make(30_000)
    assert len(large) > 8 * len(small)
    # Below a few milliseconds a timer measures the machine, not the work: the floor keeps a
    # fast small case from making the ratio noise.
    ratio = _best_of_three(large) / max(_best_of_three(small), 5e-3)
    # Linear work gives about 10; a quadratic step would give about 100. The margin absorbs
    # a loaded CI machine without letting a super-linear slip through.
    assert ratio < 30, f"10x the input took {ratio:.0f}x the time"


# ── issue 13: the series that best explains the document ─────────────────────────────────────


def test_a_stray_marker_in_the_preamble_does_not_beat_indented_sections() -> None:
    text = (
        "Preamble: we protect your rights with two steps: (1) copyright the software, and\n"
        "(2) offer you this license which gives you legal permission to copy it.\n\n"
        + "".join(f"  {n}. Section {n} text.\n\n" for n in range(13))
        + "\t\t     END OF TERMS AND CONDITIONS\n\nHow to apply these terms.\n"
    )
    result = check(text)
    assert [p.number_text for p in result.points] == [str(n) for n in range(13)]
    assert result.warnings == ()  # 0-based numbering is no anomaly
    assert result.closing is not None and result.closing.text.lstrip().startswith("END OF TERMS")
    assert result.series is not None
    assert result.series.describe().startswith("cut at `N.` markers, column 2: 13 points, 0–12")


def test_inserted_and_ordinal_article_numbers() -> None:
    text = "".join(
        f"ARTICLE {n}.\nText of article {n}.\n\n"
        for n in ["PREMIER", "2", "3", "34", "34-1", "35", "2 bis"]
    )
    result = check(text)
    assert [p.number_text for p in result.points][:6] == ["PREMIER", "2", "3", "34", "34-1", "35"]
    assert [p.number for p in result.points][:6] == [1, 2, 3, 34, 34, 35]
    text = "§ 5\nText.\n\n§ 5a\nText.\n\n§ 6\nText.\n\nArtikel 67\nx\n\nArtikel 67¹\ny\n"
    assert [p.number_text for p in check(text).points] == ["5", "5a", "6"]


def test_headings_between_points_are_kept_apart_with_their_path() -> None:
    text = (
        "TITRE PREMIER\n\nArticle 1\nOne.\n\nArticle 2\nTwo.\n\n"
        "TITRE II - DU PRÉSIDENT\n\nChapitre 1\n\nArticle 3\nThree.\n"
    )
    result = check(text)
    assert [p.text for p in result.points] == ["One.", "Two.", "Three."]
    assert [p.heading for p in result.points] == [
        "TITRE PREMIER",
        "TITRE PREMIER",
        "TITRE II - DU PRÉSIDENT › Chapitre 1",
    ]
    assert [h.text.strip() for h in result.headings] == [
        "TITRE PREMIER",
        "TITRE II - DU PRÉSIDENT\n\nChapitre 1",
    ]


def test_decorated_and_glued_markers() -> None:
    boxed = "1. One\n\n*****\n*  2. Two  *\n*  text  *\n*****\n\n3. Three\n"
    assert [p.number for p in check(boxed).points] == [1, 2, 3]
    glued = "Terms\n\n1.Definitions\nSome.\n\n2.Scope\nMore.\n"
    assert [p.number for p in check(glued).points] == [1, 2]


@pytest.mark.parametrize("line", ["art.IVFoo", "Art.IVX list", "Article.VIIIa"])
def test_a_keyword_glued_to_capitals_is_no_empty_numeral(line: str) -> None:
    """The Roman numeral after a keyword was matched empty when a word went on after it (a
    crash: an empty numeral has no value); such a line is text."""
    result = check(f"1. One\n{line}\n2. Two\n")
    assert [p.number for p in result.points] == [1, 2]
    assert line in result.points[0].text
    assert [p.number_text for p in check("Art. IV Foo\n\nArt. V Bar\n").points] == ["IV", "V"]


def test_a_prose_keyword_line_does_not_beat_a_list_of_bullets() -> None:
    text = "Point 3 of the US plan is to be removed.\n\n" + "".join(
        f"- item {n} of the list\n" for n in range(7)
    )
    result = check(text)
    assert len(result.points) == 7 and {p.label for p in result.points} == {"-"}


def test_closing_never_cuts_the_last_points_continuation_lines() -> None:
    text = "1. One.\n2. Two.\n3. Three:\n→ first\n→ second\n"
    result = check(text)
    assert result.closing is None and result.points[-1].text.endswith("→ second")
    notice = "1. One.\n2. Two.\n3. Three.\nThis summary is not an official text.\n"
    result = check(notice)
    assert result.closing is not None
    assert result.closing.text == "This summary is not an official text.\n"


@pytest.mark.parametrize(
    ("text", "numbers_as_written", "marker"),
    [
        ("Intro.\n\n1 – Peace now.\n2 – Trade opens.\n3 – Elections.\n", ["1", "2", "3"], "N –"),
        ("Intro.\n\n8- Peace.\n9- Trade.\n10- Elections.\n", ["8", "9", "10"], "N –"),
        (
            "Plan\n\nPoint 1\nPeace.\n\nPoint 2\nTrade.\n\nPoint 3\nVotes.\n",
            ["1", "2", "3"],
            "Point N",
        ),
        (
            "A BILL\n\nSECTION 1. SHORT TITLE.\nThis Act.\n\nSEC. 2. FINDINGS.\nCongress finds.\n",
            ["1", "2"],
            "Section N",
        ),
        (
            "Article 1\nText one. See\nArticle 5 of the treaty for more about this matter.\n\n"
            "Article 2\nTwo.\n\nArticle 3\nThree.\n",
            ["1", "2", "3"],
            "Article N",
        ),
        ("1 Peace now.\n2 Trade.\n3 Votes.\n", ["1", "2", "3"], "N"),
    ],
)
def test_loose_and_keyword_markers_count_when_they_continue_a_sequence(
    text: str, numbers_as_written: list[str], marker: str
) -> None:
    result = check(text)
    assert [p.number_text for p in result.points] == numbers_as_written
    assert result.series is not None and result.series.marker == marker


def test_loose_numbers_that_do_not_continue_a_sequence_are_text() -> None:
    result = check(
        "The talks.\n\n1. Peace.\n2. Trade.\n\n3 people were hurt in 2025.\n1 See A/80/348.\n"
    )
    assert [p.number for p in result.points] == [1, 2]


# ----------------------------------------------------------------- general principles (seg-general)


def test_numbers_in_words_after_a_keyword_are_numbers() -> None:
    text = "".join(
        f"Article {word}\n\nText of the article.\n\n"
        for word in ("One", "Two", "Three", "Twenty-one", "the Twenty-second")
    )
    result = check(text.replace("Twenty-one", "Four").replace("the Twenty-second", "Fifth"))
    assert numbers(result) == [1, 2, 3, 4, 5]
    ordinals = check("Artikel erster\n\nA.\n\nArtikel zweiter\n\nB.\n\nArtikel dritter\n\nC.\n")
    assert numbers(ordinals) == [1, 2, 3]


def test_sections_restarting_in_every_article_stay_inside_the_articles() -> None:
    articles = []
    for word, count in (("One", 4), ("Two", 3), ("Three", 3)):
        sections = "".join(f"### Section {n}.\n\nClause {n}.\n\n" for n in range(1, count + 1))
        articles.append(f"## Article {word}\n\n{sections}")
    result = check("# A Constitution\n\n" + "".join(articles))
    assert [p.number_text for p in result.points] == ["One", "Two", "Three"]


def test_one_numbering_at_careless_indentations_is_one_series() -> None:
    text = (
        "Terms.\n\n   1. Definitions\nwords here.\n\n2. Rights. More words.\n\n3. Grant. Words.\n\n"
        "   4. Restrictions\nwords.\n\n5. End. Words.\n"
    )
    assert numbers(check(text)) == [1, 2, 3, 4, 5]


def test_a_list_and_its_sub_lists_at_another_indentation_are_not_one_series() -> None:
    text = "1. First.\n   1. sub one\n   2. sub two\n2. Second.\n   1. sub\n3. Third.\n"
    assert numbers(check(text)) == [1, 2, 3]


def test_text_left_of_an_indented_list_after_its_last_sentence_is_the_closing() -> None:
    text = (
        "Conditions:\n   1. Keep the notice.\n   2. Keep the list.\n   3. Do not endorse.\n"
        "THIS SOFTWARE IS PROVIDED AS IS.\n"
    )
    result = check(text)
    assert numbers(result) == [1, 2, 3]
    assert result.closing is not None and result.closing.text.startswith("THIS SOFTWARE")


def test_lines_that_leave_the_margin_inside_points_keep_the_last_point_whole() -> None:
    text = (
        "Terms:\n   1. Keep the notice\nof the work.\n   2. Keep the list\nof conditions.\n"
        "   3. Do not endorse.\nAnd no closing here.\n"
    )
    result = check(text)
    assert result.closing is None and result.points[-1].text.endswith("no closing here.")


def test_a_table_of_contents_is_not_the_points() -> None:
    titles = ["Introduction", "Terminology", "Method", "Security", "References"]
    toc = "".join(f"   {n}.  {t}\n" for n, t in enumerate(titles, 1))
    body = "".join(f"{n}.  {t}\n\n   Body of {t}.\n\n" for n, t in enumerate(titles[:3], 1))
    result = check("Table of Contents\n\n" + toc + "\n" + body)
    assert numbers(result) == [1, 2, 3]
    assert result.points[0].start > len("Table of Contents\n\n" + toc)


@given(
    st.text(alphabet=STRIP[:12] + "ab\u200b", max_size=40),
    st.integers(0, 3),
    st.text(alphabet=STRIP[:12] + "\u200b", max_size=20),
)
def test_the_structure_check_measures_the_stripped_text(core: str, k: int, tail: str) -> None:
    """The text's size without its surrounding whitespace, found without copying the text, is
    what strip gives, however long the whitespace at the end (longer than a window, too)."""
    from plandiff.findings import _TAIL, _stripped_size

    text = core + tail * (k * _TAIL // max(len(tail), 1))
    assert _stripped_size(text) == len(text.strip(STRIP))


_MARKER_BITS = [
    "1", "12", "2a", "2A", "12¹", "IV", "iv", "V.", "X)", "2.", "3)", "(3)", "Article", "ARTICLE",
    "art.", "§", "Section", "sec.", "Point", "bis", "ter", "-1", ".1", "One", "one", "the",
    "First", "premier", "**", "##", "|", "-", "–", ":", "Foo", "bar",
]  # fmt: skip


@given(
    st.lists(st.lists(st.sampled_from(_MARKER_BITS), min_size=1, max_size=4), max_size=6),
    st.randoms(use_true_random=False),
)
def test_a_title_written_again_is_read_with_its_number(
    bits: list[list[str]], random: Random
) -> None:
    """What the table-of-contents pass relies on to skip reading titles where no number comes
    twice: a marker line written again (other spaces, other case) has the number it had."""
    from plandiff.lines import split_lines
    from plandiff.markers import _title, find_markers

    lines = []
    for words in bits:
        lines.append(" ".join(words))
        space = random.choice(["  ", "\t", "\u00a0", " \u2003"])
        lines.append(space.join(w.swapcase() if random.random() < 0.3 else w for w in words))
    text = "\n".join(lines) + "\n"
    found = split_lines(text)
    number_of: dict[str, int] = {}
    for m in find_markers(found):
        if m.number is not None and not m.alone:
            title = _title(text[m.label_start : found.end[m.line]])
            assert number_of.setdefault(title, m.number) == m.number


def test_a_wrapped_preamble_line_ending_with_a_comma_before_point_one_is_meant() -> None:
    # Not hard-wrapped (one paragraph a line): the comma ends a preambular paragraph.
    pre = "Recalling its resolutions on the matter and the many reports on it since then,\n"
    text = pre * 3 + "".join(f"{n}. Decides that item {n} holds; " * 3 + "\n" for n in (1, 2, 3))
    assert numbers(check(text)) == [1, 2, 3]


# --------------------------------------------------------------------------- one pass, many paths

_LINE_STUFF = "\n \t\u00a0\u200b\x0ba1.-#"


@given(st.text(alphabet=_LINE_STUFF, max_size=60))
def test_line_spans_agree_with_the_line_pattern(text: str) -> None:
    """Both fast ways of cutting a text at "\\n" (from the break positions, or from str.split for
    an indented text) give the spans the general line pattern defines."""
    from plandiff.lines import _LINE, _indented_lines, split_lines

    spans = [(m.start(), m.start(1), m.end(1)) for m in _LINE.finditer(text)][:-1]
    for lines in (split_lines(text), _indented_lines(text)):
        assert list(zip(lines.start, lines.content, lines.end, strict=True)) == spans


@given(plan_texts(), st.sampled_from(["\r\n", "\r", "\u2028", "\x85"]))
def test_candidates_do_not_depend_on_the_line_break(text: str, brk: str) -> None:
    """The candidate pass scans from "\\n" only; other line breaks find the same markers."""
    from plandiff.lines import split_lines
    from plandiff.markers import find_markers

    text = text.replace("\r\n", "\n").replace("\r", "\n")
    other = text.replace("\n", brk)

    def seen(source: str) -> list[tuple[object, ...]]:
        lines = split_lines(source)
        return [
            (m.line, m.style, m.indent, m.key, m.number_text, m.alone, m.heading_level)
            for m in find_markers(lines)
        ]

    assert seen(other) == seen(text)
