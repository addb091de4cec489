"""The factored pattern of number words matches what the plain list of every word does."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from plandiff.numberwords import NUMBER_WORDS, WORDS_PATTERN

#: The pattern as first written: every word on its own, longest first.
_LISTED = "|".join(
    word.replace(" ", "[ \t]") for word in sorted(NUMBER_WORDS, key=len, reverse=True)
)
_FLAGS = re.IGNORECASE | re.VERBOSE
#: Continuations a marker puts after the word (see plandiff.markers).
_ENDS = (r"\b", r"\b[.:)]?(?:[ \t]|$)", "")


def _first(pattern: str, end: str, text: str) -> tuple[int, int] | None:
    found = re.match(f"(?P<first>{pattern}){end}", text, _FLAGS)
    return found.span("first") if found else None


def test_every_word_matches_whole() -> None:
    for word in NUMBER_WORDS:
        for variant in (word, word.upper(), word.title(), word.replace(" ", "\t")):
            assert re.fullmatch(WORDS_PATTERN, variant, _FLAGS), variant


_PIECES = st.sampled_from(
    [*NUMBER_WORDS, "-", " ", "\t", ".", ")", "x", "ty", "th", "e", "twent", "1", "é", ""]
)


@given(st.lists(_PIECES, max_size=4).map("".join), st.sampled_from(_ENDS))
def test_same_match_as_the_listed_words(text: str, end: str) -> None:
    for variant in (text, text.upper(), text.title()):
        assert _first(WORDS_PATTERN, end, variant) == _first(_LISTED, end, variant)


def test_compounds_prefer_the_longest() -> None:
    assert _first(WORDS_PATTERN, "", "Twenty-seventh day") == (0, 14)
    assert _first(WORDS_PATTERN, r"\b", "seventy seven.") == (0, 13)
    assert _first(WORDS_PATTERN, r"\b", "seventy-sevens") == (0, 7)
