"""plandiff.figures: the figures found from a text's tokens are those that trying the pattern
at every word start finds (the old way: one pattern match per candidate word, no shortcuts)."""

from __future__ import annotations

import re
from itertools import compress, count
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import changed_figures as changed_figures_module
from plandiff import figures as figures_module
from plandiff.figures import Figure, figure_tokens, figures
from plandiff.token_codes import Lexicon
from plandiff.tokenise import tokens
from plandiff.worddiff import redline, substantive_changes
from tests.strategies import any_text

_WORD_START = figures_module._WORD_START
_TRIGGERS = figures_module._TRIGGERS
_SIGNS = figures_module._SIGNS


def figures_the_old_way(text: str) -> list[Figure]:
    """The reference: every run of word characters (or sign) that a digit, a sign or a trigger
    word begins, left to right, tried with the whole pattern, skipping what a figure covers."""
    out = []
    resume = 0
    for word in _WORD_START.finditer(text):
        token, start = word[0], word.start()
        if start < resume:
            continue
        if not (token[0].isdecimal() or token.casefold() in _TRIGGERS or token in _SIGNS):
            continue
        if found := figures_module._matchers(False)[1](text, start):
            kind = figures_module._KIND_OF[found.lastgroup or ""]
            out.append(Figure(start, found.end(), kind, found[0]))
            resume = found.end()
    return out


#: Words, numbers and separators figures are made of, in several cases and scripts, with the
#: characters whose case folding differs between str.casefold() and re's ignore-case rules.
FIGURE_PARTS = (
    *("1", "15", "30", "600,000", "3.5", "2026", "10:30", "00:00", "1 000", "7\u00a0500"),
    *("12/05/2025", "2025-05-12", "5pm", "5 p.m.", "a.m.", "%", " %", "$", "€", "US$", "£5bn"),
    *("USD", "EUR", "usd", "Jan", "January", "May", "may", "March", "Sept", "1st", "21st"),
    *("one", "One", "ONE", "a", "A", "an", "two", "six", "Twenty", "twenty-one", "dozen"),
    *("hundred", "thousand", "million", "billion", "per cent", "percent", "percentage points"),
    *("days", "day", "months", "year", "decades", "hours", "week", "calendar", "working"),
    *("within", "Within", "for", "in", "In", "after", "up to", "at least", "no later than"),
    *("more than", "less than", "about", "ago", "later", "long", "of", "the", "troops"),
    *("midnight", "noon", "Midday", "dollars", "euros", "hryvnias", "-", "'", ".", ",", ":"),
    *("ſix", "\u212a", "İn", "leß", "ﬁve", "Ⅻ", "٣", "five-year", "30-day", "x5", "5x"),
    *("to", "today", "Least", "MORE", "than", "thouſand", "monthly", "in-depth", "An", "US"),
)
SEPARATORS = (" ", " ", " ", "  ", "\n", "\u00a0", "\x1f", ", ", ". ", "-", "")


@st.composite
def figure_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(FIGURE_PARTS), max_size=24))
    joins = draw(st.lists(st.sampled_from(SEPARATORS), min_size=len(parts), max_size=len(parts)))
    return "".join(p + j for p, j in zip(parts, joins, strict=True))


@settings(max_examples=600)
@given(figure_texts())
def test_property_figures_from_tokens_are_those_found_the_old_way(text: str) -> None:
    assert figures(text) == figures_the_old_way(text)
    # The same with the tokens and candidates a caller shares between two texts.
    text_tokens = tokens(text)
    shared = figure_tokens(dict.fromkeys([*text_tokens, "15", "within", "May"]))
    assert figures(text, text_tokens, shared) == figures_the_old_way(text)


@given(any_text())
def test_property_figures_of_any_text_are_those_found_the_old_way(text: str) -> None:
    assert figures(text) == figures_the_old_way(text)


#: Weak triggers, what may follow one and what may not, closely packed: "up to 5 days".
TRIGGER_PARTS = (
    *("in", "In", "a", "an", "one", "up", "no", "at", "more", "less", "within", "May", "Jan"),
    *("US", "USD", "to", "later", "than", "least", "most", "the", "its", "5", "30", "ten"),
    *("days", "month", "thousand", "calendar", "today", "ſix", "thouſand", "İn", "x"),
    *("up to", "no later than", "at least", "more than", "5 days", "a month", "six weeks"),
)
TRIGGER_SEPARATORS = (" ", " ", " ", "\n", "  ", "\x1f", "", ".", ". ", "$", "-", ", ")


@st.composite
def trigger_texts(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.sampled_from(TRIGGER_PARTS), max_size=16))
    joins = draw(
        st.lists(st.sampled_from(TRIGGER_SEPARATORS), min_size=len(parts), max_size=len(parts))
    )
    return "".join(p + j for p, j in zip(parts, joins, strict=True))


@settings(max_examples=600)
@given(st.lists(st.one_of(trigger_texts(), figure_texts(), any_text()), min_size=1, max_size=4))
def test_property_the_lexicons_places_find_the_figures_found_the_old_way(texts: list[str]) -> None:
    """A lexicon leaves out the weak triggers that what follows settles ("in the"): the
    figures read at the places it gives are those of every place. Several texts share one
    lexicon, as the pairs of a diff do."""
    lexicon = Lexicon()
    for old, new in zip(texts, texts[1:] + texts[:1], strict=True):
        old_tokens, new_tokens = tokens(old), tokens(new)
        coded = lexicon.encode(old_tokens, new_tokens)
        assert coded is not None
        for text, text_tokens, codes in ((old, old_tokens, coded[0]), (new, new_tokens, coded[1])):
            places = lexicon.figure_places(codes)
            assert set(places) <= set(
                compress(count(), map(figure_tokens(text_tokens).__contains__, text_tokens))
            )
            assert figures(text, text_tokens, places=places) == figures_the_old_way(text)


@settings(max_examples=600)
@given(st.one_of(figure_texts(), trigger_texts(), any_text()))
def test_property_a_bare_number_is_what_the_whole_pattern_finds_there(text: str) -> None:
    """Where the bare-number matcher matches, the digit-led pattern finds that number, with
    ASCII rules where figures() uses them and with Unicode rules everywhere."""
    rules = (
        [False]
        if not text.isascii() or any(c in text for c in "\x1c\x1d\x1e\x1f")
        else [False, True]
    )
    for ascii_text in rules:
        _, _, digit_match, bare_number = figures_module._matchers(ascii_text)
        for digit in re.finditer(r"\d", text):
            bare = bare_number(text, digit.start())
            if bare is not None:
                found = digit_match(text, digit.start())
                assert found is not None
                assert (found.lastgroup, found.span()) == ("number", bare.span())


def test_a_bare_number_is_read_at_once_only_where_nothing_can_follow() -> None:
    _, _, _, bare_number = figures_module._matchers(True)
    bare = [t for t in ("5 troops", "5.", "5, and", "600,000;", "7") if bare_number(t, 0)]
    assert bare == ["5 troops", "5.", "5, and", "600,000;", "7"]
    not_bare = ("5 days", "5 calendar days", "5 of", "5 per cent", "5%", "5 %", "5 May", "5 pm")
    assert [
        t
        for t in (*not_bare, "5-day", "5:30", "5/6/2025", "3.5", "2025-01-01")
        if bare_number(t, 0)
    ] == []


def test_a_lexicon_leaves_out_a_weak_trigger_that_no_figure_can_follow() -> None:
    text = "in the end, within 30 days or in a year, for its part a such May be up to ten"
    text_tokens = tokens(text)
    lexicon = Lexicon()
    coded = lexicon.encode(text_tokens, [])
    assert coded is not None
    kept = [text_tokens[i] for i in lexicon.figure_places(coded[0])]
    # "in the", "for its", "a such" and "May be" cannot go on to a figure; "in a" and "up to" may.
    assert kept == ["within", "30", "in", "a", "up", "ten"]


def test_figures_of_the_fixture_plans_are_those_found_the_old_way() -> None:
    root = Path(__file__).parent.parent / "fixtures"
    texts = [p.read_text("utf-8", "replace") for p in sorted(root.rglob("*.txt"))]
    assert texts
    for text in texts:
        for paragraph in text.split("\n\n"):
            assert figures(paragraph) == figures_the_old_way(paragraph)


def test_a_common_word_is_a_figure_only_when_followed_by_one() -> None:
    found = [(f.kind.value, f.text) for f in figures("in the end, within 30 days or in a year")]
    assert found == [("duration", "within 30 days"), ("duration", "in a year")]
    assert [f.text for f in figures("Uſ$5 and ſix")] == ["Uſ$5", "ſix"]
    # Unicode counts \x1c-\x1f as whitespace and ASCII rules do not: such a text is read with
    # Unicode rules, as the old way reads it.
    for text in ("within 15\x1fdays", "15\x1e%", "May\x1d5"):
        assert figures(text) == figures_the_old_way(text)
    assert [f.text for f in figures("within 15\x1fdays")] == ["within 15\x1fdays"]


@st.composite
def related_figure_texts(draw: st.DrawFn) -> tuple[str, str]:
    """Two texts made of figure parts, the second an edit of the first."""
    old = draw(figure_texts())
    cut = draw(st.integers(0, len(old)))
    end = draw(st.integers(cut, len(old)))
    return old, old[:cut] + draw(figure_texts()) + old[end:]


@settings(max_examples=400)
@given(related_figure_texts())
def test_property_figures_near_the_changes_are_enough(pair: tuple[str, str]) -> None:
    # Reading only the stretches near a change finds the changed figures that reading both
    # whole texts finds.
    old, new = pair
    result = redline(old, new)
    everywhere = changed_figures_module.figures

    def whole_text(text, text_tokens=None, candidates=None, near=None, places=None):
        return everywhere(text, text_tokens, candidates, places=places)

    # Windows from the first candidate place, so that these short texts are read near their
    # changes (by default only a text with many places is).
    usual, figures_module.WINDOWS_FROM_PLACES = figures_module.WINDOWS_FROM_PLACES, 0
    try:
        near_only = substantive_changes(result)
    finally:
        figures_module.WINDOWS_FROM_PLACES = usual
    changed_figures_module.figures = whole_text
    try:
        assert substantive_changes(result) == near_only
    finally:
        changed_figures_module.figures = everywhere


@given(figure_texts())
def test_property_no_figure_holds_a_barrier_character(text: str) -> None:
    for figure in figures(text):
        assert not figures_module._BARRIER.search(figure.text)


def test_the_barrier_tokens_are_barrier_characters() -> None:
    assert all(figures_module._BARRIER.fullmatch(c) for c in figures_module._BARRIER_TOKENS)
