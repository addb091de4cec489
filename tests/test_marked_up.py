"""plandiff.worddiff.marked_up: the engine's one call for many pairs gives, pair by pair, what
redline() and substantive_changes() give each pair on its own, however its shared lexicon of
token codes (plandiff.token_codes) fills, forgets or overflows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import token_codes
from plandiff.token_codes import Lexicon
from plandiff.tokenise import tokens
from plandiff.worddiff import marked_up, redline, substantive_changes
from tests.strategies import any_text, point_lists, sentences
from tests.test_figures_scan import related_figure_texts

_pairs = st.one_of(
    st.tuples(any_text(120), any_text(120)),
    st.tuples(sentences(0, 20), sentences(0, 20)),
    related_figure_texts(),
    point_lists(6).map(lambda p: (" ".join(p[0]), " ".join(p[1]))),
)


def one_by_one(pairs: list[tuple[str, str]]) -> list[object]:
    """The general path: each pair redlined with codes of its own."""
    return [(r, substantive_changes(r)) for r in (redline(old, new) for old, new in pairs)]


@settings(max_examples=300)
@given(st.lists(_pairs, max_size=6))
def test_property_marked_up_is_each_pair_on_its_own(pairs: list[tuple[str, str]]) -> None:
    assert marked_up(pairs) == one_by_one(pairs)


@settings(max_examples=200)
@given(st.lists(_pairs, max_size=6))
def test_property_a_small_lexicon_forgets_and_overflows_without_changing_anything(
    pairs: list[tuple[str, str]],
) -> None:
    # Room for a handful of tokens: pairs overflow it (and are coded the general way), and the
    # lexicon forgets what it learnt between pairs.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(token_codes, "_FIGURE_RANGES", ((0xE000, 0xE003),))
        patch.setattr(token_codes, "_WEAK_RANGES", ((0xE100, 0xE102),))
        patch.setattr(token_codes, "_FOLLOWER_RANGES", ((0xE200, 0xE202),))
        patch.setattr(token_codes, "_OTHER_RANGES", ((0xE800, 0xE80C),))
        assert marked_up(pairs) == one_by_one(pairs)


def test_the_lexicons_four_ranges_share_out_every_code_point() -> None:
    parts = [
        range(start, stop)
        for ranges in (
            token_codes._FIGURE_RANGES,
            token_codes._WEAK_RANGES,
            token_codes._FOLLOWER_RANGES,
            token_codes._OTHER_RANGES,
        )
        for start, stop in ranges
    ]
    codes = {c for part in parts for c in part}
    assert len(codes) == sum(map(len, parts))  # none shared
    assert codes == set(token_codes.code_points())


def test_the_lexicon_codes_equal_tokens_alike_and_every_whitespace_run_as_one() -> None:
    lexicon = Lexicon()
    old, new = tokens("within 30 days\nthe  troops"), tokens("the troops within 60 days")
    coded = lexicon.encode(old, new)
    assert coded is not None
    old_codes, new_codes = coded
    assert len(old_codes) == len(old) and len(new_codes) == len(new)
    assert len(set(old_codes[1::2] + new_codes[1::2])) == 1  # "\n", "  " and " "
    assert old_codes[-1] == new_codes[2] and old_codes[0] == new_codes[4]
    assert old_codes[2] != new_codes[6]  # "30" and "60"
    # Figures may begin in "within", "30" and "60" only.
    assert lexicon.figure_places(old_codes) == [0, 2]
    assert lexicon.figure_places(new_codes) == [4, 6]
    # A pair seen again is coded the same, from what was learnt.
    assert lexicon.encode(old, new) == coded


def test_a_pair_with_more_distinct_tokens_than_codes_is_not_coded() -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(token_codes, "_OTHER_RANGES", ((0xE800, 0xE804),))
        lexicon = Lexicon()
        assert lexicon.encode(tokens("a b"), tokens("c")) is not None
        assert lexicon.encode(tokens("a b c d"), tokens("e")) is None
        # Forgetting made room again for a small pair.
        assert lexicon.encode(tokens("x"), tokens("y")) is not None


@pytest.mark.parametrize(
    ("old", "new"), [("", "x"), ("x", ""), ("x", "x"), ("", ""), ("a b", "b"), ("b", "a b")]
)
def test_the_lexicon_codes_empty_and_one_token_texts(old: str, new: str) -> None:
    """None, one or several tokens a side, seen before or not: one code a token."""
    lexicon = Lexicon()
    for _ in range(2):  # learnt, then known
        coded = lexicon.encode(tokens(old), tokens(new))
        assert coded is not None
        assert [len(c) for c in coded] == [len(tokens(old)), len(tokens(new))]
        assert (coded[0] == coded[1]) == (old == new)
