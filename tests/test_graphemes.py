"""plandiff.graphemes: cluster boundaries found near an offset agree with segmenting the whole
text with the regex package's \\X (UAX #29), whatever the text holds."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import regex
from hypothesis import given
from hypothesis import strategies as st

from plandiff import anchors, graphemes

#: Characters from every break class that joins: letters and controls, CR LF, combining and
#: spacing marks, ZWJ and emoji with modifiers, regional indicators, Hangul jamo and syllables,
#: a prepended mark, Devanagari consonants with a virama (conjuncts).
_PIECES = [
    "a", "b", " ", ".", "\n", "\r", "\x00", "é", "\u0301", "\u0903", "\u200d", "\ufe0f",
    "\U0001f468", "\U0001f469", "\U0001f3fb", "\U0001f1fa", "\U0001f1e6", "\U0001f1f8",
    "\u1100", "\u1161", "\u11a8", "\uac00", "\uac01", "\u0600", "\u0915", "\u094d", "\u0937",
    "\u0e33", "д",
]  # fmt: skip

texts = st.lists(st.sampled_from(_PIECES), max_size=120).map("".join) | st.text(max_size=60)


def clusters(text: str) -> set[int]:
    return {0, len(text)} | {m.end() for m in regex.finditer(r"\X", text)}


@given(texts)
def test_boundaries_agree_with_whole_text_segmentation(text: str) -> None:
    truth = sorted(clusters(text))
    for at in range(len(text) + 1):
        before = truth[bisect_right(truth, at) - 1]
        after = truth[bisect_left(truth, at)]
        assert graphemes.is_boundary(text, at) == (before == at)
        assert graphemes.boundary_before(text, at) == before
        assert graphemes.boundary_after(text, at) == after
        assert anchors.splits_character(text, at) == (before != at)


@given(st.integers(1, 400), st.sampled_from(["", "a", "\u0600", "\U0001f1fa"]))
def test_long_runs_of_flags_pair_from_the_start_of_the_run(pairs: int, before: str) -> None:
    """A run of regional indicators longer than the stretch segmented on each call."""
    text = f"x{before}" + "\U0001f1fa\U0001f1e6" * pairs + "\u0301y\U0001f1f8"
    truth = clusters(text)
    assert [at for at in range(len(text) + 1) if graphemes.is_boundary(text, at)] == sorted(truth)


def test_offsets_outside_the_text_are_boundaries() -> None:
    assert graphemes.is_boundary("e\u0301", -1) and graphemes.is_boundary("e\u0301", 5)
    assert graphemes.boundary_before("e\u0301", 9) == 2
    assert graphemes.boundary_after("e\u0301", -3) == 0
