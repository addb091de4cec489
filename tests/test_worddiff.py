"""plandiff.worddiff: word-level redlines and the quantities that changed in them."""

from __future__ import annotations

import itertools
import re
import time
from itertools import accumulate

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Indel

from plandiff import redline as redline_module
from plandiff import redline_cleanup, tokenise, worddiff
from plandiff.result import Redline, RedlineOp, Substantive, SubstantiveKind
from plandiff.worddiff import redline, substantive_changes, tokens
from tests.strategies import any_text, markup_text, point_lists, sentences, unicode_text

E, D, I = RedlineOp.EQUAL, RedlineOp.DELETE, RedlineOp.INSERT  # noqa: E741
N, A, P = SubstantiveKind.NUMBER, SubstantiveKind.AMOUNT, SubstantiveKind.PERCENTAGE
DATE, DUR = SubstantiveKind.DATE, SubstantiveKind.DURATION


def assert_valid(old: str, new: str, result: Redline) -> None:
    """The invariants of every redline."""
    assert result.old_text == old and result.new_text == new
    assert all(text for _, text in result.ops), "no empty parts"
    assert all(a[0] is not b[0] for a, b in zip(result.ops, result.ops[1:], strict=False))
    for side, text, skipped in ((result.old_text, old, I), (result.new_text, new, D)):
        assert side == text
        boundaries = set(accumulate(len(t) for t in tokens(text)))
        cuts = accumulate(len(t) for op, t in result.ops if op is not skipped)
        assert set(cuts) <= boundaries | {0}, "a part ends inside a token"
    for a, b in zip(result.ops, result.ops[1:], strict=False):
        assert (a[0], b[0]) != (I, D), "a deletion comes before the insertion replacing it"


def changes(old: str, new: str) -> list[tuple[SubstantiveKind, str | None, str | None]]:
    return [(s.kind, s.old, s.new) for s in substantive_changes(redline(old, new))]


# --------------------------------------------------------------------------- tokens


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("up to 600,000 troops", ["up", " ", "to", " ", "600,000", " ", "troops"]),
        ("3.5 and 1.000.000", ["3.5", " ", "and", " ", "1.000.000"]),
        ("Ukraine's post-war zone", ["Ukraine's", " ", "post-war", " ", "zone"]),
        ("Ukraine’s", ["Ukraine’s"]),
        ("end.  Next", ["end", ".", "  ", "Next"]),
        ("U.S.", ["U", ".", "S", "."]),
        ("30%", ["30", "%"]),
        ("[bold]x", ["[", "bold", "]", "x"]),
        ("e\u0301te\u0301", ["e\u0301te\u0301"]),
        ("हिन्दी भाषा", ["हिन्दी", " ", "भाषा"]),
        ("Україна 日本語", ["Україна", " ", "日本語"]),
        ("a,b", ["a", ",", "b"]),
        ("word-", ["word", "-"]),
        ("\n\n", ["\n\n"]),
    ],
)
def test_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def _backtracking(pattern: str) -> str:
    """A token pattern with its possessive repetitions made ordinary (greedy, backtracking)."""
    return pattern.replace("++", "+").replace(")*+", ")*")


@example("post-war-time's 1.000,5 \x1c\n  e\u0301te\u0301-x")
@given(st.one_of(any_text(), unicode_text(), st.text(alphabet="a1.,'- \n\x1c\u0301", max_size=40)))
def test_property_possessive_tokens_match_backtracking_ones(text: str) -> None:
    """The tokeniser's possessive repetitions find exactly the tokens that ordinary greedy
    ones do (they only spare the regex engine a search that cannot succeed)."""
    for compiled in (
        tokenise._ascii_token_pattern(),
        tokenise._token_pattern(with_marks=False),
        tokenise._token_pattern(with_marks=True),
    ):
        assert "++" in compiled.pattern
        plain = re.compile(_backtracking(compiled.pattern), compiled.flags)
        assert compiled.findall(text) == plain.findall(text)


# --------------------------------------------------------------------------- redline


@given(
    st.text(alphabet="abc", max_size=30),
    st.text(alphabet="abc", max_size=30),
    st.integers(0, 5),
    st.integers(0, 5),
)
def test_property_lcs_runs_are_the_equal_opcodes(
    old: str, new: str, old_at: int, new_at: int
) -> None:
    """The redline's equal runs, read from rapidfuzz's matching blocks, are the equal
    opcodes of the same shortest script, shifted to where the two strings start."""
    opcodes = Indel.opcodes(old, new).as_list()
    equal = [(i1 + old_at, j1 + new_at, i2 - i1) for t, i1, i2, j1, _ in opcodes if t == "equal"]
    assert redline_module._lcs_runs(old, new, old_at, new_at) == equal


def test_number_change_is_one_replaced_word() -> None:
    result = redline("up to 600,000 troops", "up to 800,000 troops")
    assert result.ops == ((E, "up to "), (D, "600,000"), (I, "800,000"), (E, " troops"))


def test_dropped_clause() -> None:
    result = redline("elections within 100 days", "elections")
    assert result.ops == ((E, "elections"), (D, " within 100 days"))


def test_deleted_word_takes_its_trailing_space() -> None:
    assert redline("a foo b", "a b").ops == ((E, "a "), (D, "foo "), (E, "b"))


def test_identical_and_empty_inputs() -> None:
    assert redline("same text", "same text").ops == ((E, "same text"),)
    assert redline("", "").ops == ()
    assert redline("", "new").ops == ((I, "new"),)
    assert redline("old", "").ops == ((D, "old"),)
    assert not redline("x", "x").changed and redline("x", "y").changed


def test_single_words_kept_between_replacements() -> None:
    old = "Russia will not invade neighbouring countries"
    new = "Russia will not attack neighbouring states"
    result = redline(old, new)
    assert (E, " neighbouring ") in result.ops
    assert_valid(old, new, result)


def test_semantic_cleanup_merges_scattered_matches() -> None:
    # Character-level noise (shared spaces, "the") is folded into one replacement.
    old = "The size of the army will be limited to the level agreed."
    new = "The size of forces in peacetime is capped at what the parties set."
    result = redline(old, new)
    assert_valid(old, new, result)
    assert len(result.ops) <= 4


def test_reworded_plan_point() -> None:
    old = (
        "The size of the Armed Forces of Ukraine will be limited to 600,000 personnel. "
        "Elections will be held within 100 days."
    )
    new = (
        "The size of the Armed Forces of Ukraine will be capped at 800,000 personnel in "
        "peacetime. Elections will be held as soon as possible."
    )
    result = redline(old, new)
    assert_valid(old, new, result)
    assert result.ops[0] == (E, "The size of the Armed Forces of Ukraine will be ")
    assert (E, ". Elections will be held ") in result.ops


def test_diff_does_not_depend_on_a_clock() -> None:
    old = " ".join(f"w{i % 50}" for i in range(400))
    new = " ".join(f"w{i % 40}" for i in range(0, 400, 3))
    assert redline(old, new) == redline(old, new)


def test_more_distinct_tokens_than_the_basic_plane_holds() -> None:
    words = [f"t{i}" for i in range(70_000)]
    old = " ".join(words)
    new = " ".join([*words[:35_000], "changed", *words[35_001:]])
    result = redline(old, new)
    assert_valid(old, new, result)
    assert [part for part in result.ops if part[0] is not E] == [(D, "t35000"), (I, "changed")]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a b c d", "a x c d"),
        ("a b c", "x y z"),
        ("same", "same"),
        ("", "a"),
        ("a b", "a b c"),
    ],
)
def test_coarse_fallback_when_tokens_outnumber_characters(old: str, new: str) -> None:
    parts = redline_module._diff(old, new, capacity=2)
    assert_valid(old, new, Redline(ops=tuple(parts)))


def test_insertion_slides_to_the_strongest_boundary() -> None:
    # The shortest script could insert "the cat " at three places; the text's start wins.
    assert redline("the cat sat", "the cat the cat sat").ops == (
        (I, "the cat "),
        (E, "the cat sat"),
    )
    assert redline("It ends. Next", "It ends. It ends. Next").ops[0] == (I, "It ends. ")


def test_small_coincidental_equalities_are_folded_into_the_change() -> None:
    result = redline("a quick brown fox jumps", "a slow and lazy old dog jumps")
    assert result.ops == (
        (E, "a "),
        (D, "quick brown fox"),
        (I, "slow and lazy old dog"),
        (E, " jumps"),
    )


def test_overlap_between_deletion_and_insertion_is_kept() -> None:
    # A change "delete abcxyz / insert xyzdef" (one character per token) keeps "xyz"; the
    # reverse overlap keeps it too, with the insertion first; a small overlap stays changed.
    # Runs are (start in old, start in new, length).
    ends = [(0, 0, 0), (6, 6, 0)]
    assert redline_cleanup.extract_overlaps(ends, "abcxyz", "xyzdef")[1] == (3, 0, 3)
    assert redline_cleanup.extract_overlaps(ends, "xyzdef", "abcxyz")[1] == (0, 3, 3)
    assert redline_cleanup.extract_overlaps(ends, "abcdex", "xfghij") == ends


def test_texts_over_the_work_limit_are_cut_at_unique_tokens(monkeypatch) -> None:
    monkeypatch.setattr(redline_module, "MAX_DIFF_WORK", 50)
    old = "alpha one two three bravo four five six charlie seven eight"
    new = "alpha one 2 three bravo four five 6 charlie seven eight nine"
    result = redline(old, new)
    assert_valid(old, new, result)
    assert [p for p in result.ops if p[0] is not E] == [
        (D, "two"),
        (I, "2"),
        (D, "six"),
        (I, "6"),
        (I, " nine"),
    ]
    # With no once-only token in common, an over-limit text is replaced whole: still exact.
    result = redline("x y x y x y x y", "y x y x y x y x z")
    assert_valid("x y x y x y x y", "y x y x y x y x z", result)


def test_redline_is_immutable() -> None:
    result = redline("a", "b")
    with pytest.raises(AttributeError):  # a frozen record
        result.ops = ()  # type: ignore[misc]


# --------------------------------------------------------------------------- substantive changes


def test_number_change() -> None:
    assert changes("up to 600,000 troops", "up to 800,000 troops") == [(N, "600,000", "800,000")]


def test_dropped_duration() -> None:
    assert changes("elections within 100 days", "elections") == [(DUR, "within 100 days", None)]


def test_added_duration() -> None:
    assert changes("elections", "elections within 100 days") == [(DUR, None, "within 100 days")]


def test_unchanged_numbers_are_not_reported() -> None:
    assert changes("the army of 600,000 will be limited", "the army of 600,000 is capped") == []
    old = "limited to 600,000 troops by 2026"
    new = "capped at 600,000 personnel in peacetime"
    assert changes(old, new) == [(N, "2026", None)]


def test_no_change_no_report() -> None:
    assert substantive_changes(redline("within 100 days", "within 100 days")) == ()
    assert substantive_changes(Redline()) == ()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("lasts 30 days", "lasts 60 days", [(DUR, "30 days", "60 days")]),
        ("for six months", "for one year", [(DUR, "for six months", "for one year")]),
        ("within a year", "within two years", [(DUR, "within a year", "within two years")]),
        ("a 100-day period", "a 90-day period", [(DUR, "100-day", "90-day")]),
        ("no later than 30 days", "no later than 45 days", [(DUR, "no later than 30 days",
                                                             "no later than 45 days")]),
        ("two guarantors", "three guarantors", [(N, "two", "three")]),
        ("twenty-five states", "thirty states", [(N, "twenty-five", "thirty")]),
        ("3.5 percent", "4 percent", [(P, "3.5 percent", "4 percent")]),
        ("50% of profits", "100% of profits", [(P, "50%", "100%")]),
        ("$100 billion in assets", "$200 billion in assets", [(A, "$100 billion", "$200 billion")]),
        ("€5bn fund", "€7bn fund", [(A, "€5bn", "€7bn")]),
        ("100 billion dollars", "150 billion dollars", [(A, "100 billion dollars",
                                                         "150 billion dollars")]),
        ("USD 10 million", "USD 12 million", [(A, "USD 10 million", "USD 12 million")]),
        ("on November 27", "on December 1", [(DATE, "November 27", "December 1")]),
        ("by 27 November 2025", "by 1 December 2025", [(DATE, "27 November 2025",
                                                        "1 December 2025")]),
        ("from 2025-11-27 on", "from 2025-12-01 on", [(DATE, "2025-11-27", "2025-12-01")]),
        ("on November 27, 2025,", "on November 28, 2025,", [(DATE, "November 27, 2025",
                                                             "November 28, 2025")]),
        ("in March 2026", "in May 2026", [(DATE, "March 2026", "May 2026")]),
        ("28-point plan", "19-point plan", [(N, "28", "19")]),
        ("1.5 million people", "2 million people", [(N, "1.5 million", "2 million")]),
    ],
)  # fmt: skip
def test_quantity_kinds(
    old: str, new: str, expected: list[tuple[SubstantiveKind, str | None, str | None]]
) -> None:
    assert changes(old, new) == expected


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("lasts six months", "lasts 6 months"),
        ("a force of 600,000", "a force of 600\u00a0000"),
        ("within 100 days", "within 100 Days"),
        ("a $5bn fund", "a $5 billion fund"),
        ("50 per cent of profits", "50% of profits"),
        ("50 percent of profits", "50 % of profits"),
        ("no one may", "nobody may"),  # "one" as a pronoun is not a number
        ("troops may leave", "troops must leave"),  # "may" the verb is not a month
        ("the march to peace", "the road to peace"),
    ],
)
def test_same_quantity_written_differently_is_not_reported(old: str, new: str) -> None:
    assert changes(old, new) == []


def test_pairs_in_order_within_a_region() -> None:
    old = "Ukraine keeps 600,000 troops and 30 days to withdraw, paying $5 billion."
    new = "Ukraine keeps 800,000 soldiers and 60 days to leave, paying $7 billion."
    assert changes(old, new) == [
        (N, "600,000", "800,000"),
        (DUR, "30 days", "60 days"),
        (A, "$5 billion", "$7 billion"),
    ]


def test_numbers_pair_in_order_within_each_region() -> None:
    # The diff is limits→caps, 1→4, 2→"5, 6", 3→7: the second new number of the third region
    # has no old partner.
    result = changes("limits of 1, 2 and 3", "caps of 4, 5, 6 and 7")
    assert [(o, n) for _, o, n in result] == [("1", "4"), ("2", "5"), (None, "6"), ("3", "7")]
    result = changes("a fund of 5 and 6 and 7 units", "a council of 8 or 9 members")
    assert [(o, n) for _, o, n in result] == [("5", "8"), ("6", "9"), ("7", None)]


def test_context_outside_the_change_counts() -> None:
    # Only "100" → "30" changed, but the whole duration is reported.
    assert changes("within 100 days", "within 30 days") == [
        (DUR, "within 100 days", "within 30 days")
    ]


def test_kinds_do_not_pair_across() -> None:
    old = "elections within 100 days"
    new = "elections by 1 March 2026"
    assert changes(old, new) == [(DUR, "within 100 days", None), (DATE, None, "1 March 2026")]


def test_insertion_next_to_a_quantity_does_not_touch_it() -> None:
    assert changes("30 days", "30 days later") == []
    assert changes("30 days", "after 30 days") == [(DUR, "30 days", "after 30 days")]


def test_substantive_is_a_model() -> None:
    (item,) = substantive_changes(redline("6 months", "9 months"))
    assert item == Substantive(kind=DUR, old="6 months", new="9 months")


# --------------------------------------------------------------------------- properties

texts = st.one_of(any_text(200), markup_text(30), sentences(0, 30), unicode_text(0, 60))


@given(texts, texts)
def test_property_redline_rebuilds_both_texts(old: str, new: str) -> None:
    assert_valid(old, new, redline(old, new))


@given(texts)
def test_property_identical_texts_are_one_equal_part(text: str) -> None:
    assert redline(text, text).ops == (((E, text),) if text else ())


@given(point_lists())
def test_property_related_points(pair: tuple[list[str], list[str]]) -> None:
    old, new = " ".join(pair[0]), " ".join(pair[1])
    result = redline(old, new)
    assert_valid(old, new, result)
    for item in substantive_changes(result):
        assert item.old is not None or item.new is not None
        assert item.old is None or item.old in old
        assert item.new is None or item.new in new


@given(texts, texts)
def test_property_substantive_changes_quote_their_texts(old: str, new: str) -> None:
    found = substantive_changes(redline(old, new))
    assert found == substantive_changes(redline(old, new))
    for item in found:
        assert item.old is not None or item.new is not None
        assert item.old is None or item.old in old
        assert item.new is None or item.new in new


@given(st.lists(st.sampled_from(["[bold]", "[/]", "x", " ", "\x1b[31m", "\r\n", "é"]), max_size=30))
def test_property_coarse_fallback_rebuilds(parts: list[str]) -> None:
    old = "".join(parts)
    new = "".join(reversed(parts))
    assert_valid(old, new, Redline(ops=tuple(redline_module._diff(old, new, capacity=3))))


# --------------------------------------------------------------------------- performance

OLD_POINT = (
    "Ukraine will receive reliable security guarantees. It is expected that Russia will not "
    "invade neighbouring countries and NATO will not expand further. The size of the Ukrainian "
    "Armed Forces will be limited to 600,000 personnel. Ukraine agrees to enshrine in its "
    "constitution that it will not join NATO, and elections will be held within 100 days after "
    "the signing of the agreement, with $100 billion in frozen assets invested."
)
NEW_POINT = (
    "Ukraine will receive robust security guarantees. It is expected that Russia will not "
    "attack neighbouring states and NATO will not expand further. The size of the Ukrainian "
    "Armed Forces will be capped at 800,000 personnel in peacetime. Ukraine agrees that it "
    "will not join NATO, and elections will be held as soon as possible after the signing, "
    "with $100 billion in frozen US assets invested in reconstruction."
)


def test_reworded_eighty_word_points_are_fast() -> None:
    assert changes(OLD_POINT, NEW_POINT) == [
        (N, "600,000", "800,000"),
        (DUR, "within 100 days", None),
    ]
    runs = 200
    start = time.perf_counter()
    for _ in range(runs):
        substantive_changes(redline(OLD_POINT, NEW_POINT))
    per_pair = (time.perf_counter() - start) / runs
    # About 0.8 ms with the quantities on a slow shared machine; the bound catches a return to
    # character-level or clock-limited diffing, not noise.
    assert per_pair < 0.01


@given(texts, texts)
def test_property_anchored_path_rebuilds(old: str, new: str) -> None:
    saved = redline_module.MAX_DIFF_WORK
    redline_module.MAX_DIFF_WORK = 4
    try:
        assert_valid(old, new, redline(old, new))
    finally:
        redline_module.MAX_DIFF_WORK = saved


def test_every_pair_of_short_repetitive_texts() -> None:
    # Repeats are where edits can slide both ways (a cleanup that slid an edit back and forth
    # once looped forever on such a pair); every pair up to four characters must finish.
    texts = ["".join(p) for n in range(5) for p in itertools.product("ab ", repeat=n)]
    for old in texts:
        for new in texts:
            assert_valid(old, new, redline(old, new))


@given(st.text("ab", max_size=12), st.text("ab", max_size=12))
def test_property_overlap_is_the_longest_end_that_starts_the_other(first: str, second: str) -> None:
    expected = max(
        (k for k in range(min(len(first), len(second)) + 1) if first.endswith(second[:k])),
        default=0,
    )
    assert redline_cleanup.overlap(first, second) == expected


def test_repetitive_hostile_point_is_diffed_in_linear_time() -> None:
    # Whole replacement of two long repetitive texts: the overlap search must stay linear.
    old, new = "b " + "a " * 50_000, "a " * 50_000 + "c"
    start = time.perf_counter()
    assert_valid(old, new, redline(old, new))
    assert time.perf_counter() - start < 5  # quadratic search: minutes


# --------------------------------------------------------------------------- issue 13


def test_a_clock_time_is_one_figure() -> None:
    assert changes("cease fire at 00:00 on 1 May", "cease fire on 1 May") == [
        (SubstantiveKind.TIME, "00:00", None)
    ]
    # The same time written another way is no changed figure.
    assert changes("cease fire at 00:00 on 1 May", "cease fire at midnight on 1 May") == []
    assert changes("talks at 5 pm", "talks at 17:00") == []
    assert changes("talks at noon", "talks at 1 pm") == [(SubstantiveKind.TIME, "noon", "1 pm")]
    assert changes("talks at 10:30 p.m. sharp", "talks at 11 pm sharp") == [
        (SubstantiveKind.TIME, "10:30 p.m.", "11 pm")
    ]
    assert changes("a ratio of 3:2 is kept", "a ratio of 3:1 is kept") == [(N, "2", "1")]


def test_rewrapped_text_shows_no_word_as_changed() -> None:
    old = "the quick\nbrown fox jumps over\nthe lazy dog"
    new = "the quick brown\nfox jumps over the\nlazy dog"
    result = redline(old, new)
    assert_valid(old, new, result)
    changed = [text for op, text in result.ops if op is not E]
    assert changed and all(text.isspace() for text in changed)
    assert substantive_changes(result) == ()


def test_a_rewording_in_rewrapped_text_is_only_the_words() -> None:
    old = "Both sides shall\nwithdraw within 14 days from\nthe line."
    new = "Both sides shall withdraw\nwithin 21 days from the line."
    result = redline(old, new)
    words = [(op, text) for op, text in result.ops if op is not E and not text.isspace()]
    assert words == [(D, "14"), (I, "21")]


@given(st.lists(st.sampled_from(["a", "b", " ", "\n", "  ", "\n\n", "c"]), max_size=16), st.data())
def test_property_whitespace_variants_rebuild(parts: list[str], data) -> None:
    old = "".join(parts)
    new = "".join(
        data.draw(st.sampled_from([" ", "\n", "\t"])) if p.isspace() else p for p in parts
    )
    result = redline(old, new)
    assert_valid(old, new, result)
    assert all(text.isspace() for op, text in result.ops if op is not E)


def test_unique_anchors_is_a_longest_ascending_run_of_once_only_items() -> None:
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(300):
        old = [rng.randint(0, 12) for _ in range(rng.randint(0, 9))]
        new = [rng.randint(0, 12) for _ in range(rng.randint(0, 9))]
        run = worddiff.unique_anchors(old, new)
        once = [
            (i, new.index(x)) for i, x in enumerate(old) if old.count(x) == 1 and new.count(x) == 1
        ]
        assert set(run) <= set(once)
        assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(run))
        longest = max(
            len(c)
            for size in range(len(once) + 1)
            for c in itertools.combinations(once, size)
            if all(a[1] < b[1] for a, b in itertools.pairwise(c))
        )
        assert len(run) == longest


@given(st.text(st.characters(max_codepoint=0x7F), max_size=60))
def test_property_ascii_texts_are_tokenised_as_by_the_unicode_pattern(text: str) -> None:
    # An ASCII text takes the faster ASCII pattern; it must cut exactly where the Unicode one
    # does, whitespace such as "\x1c" included.
    assert tokens(text) == tokenise._token_pattern(with_marks=False).findall(text)


def test_the_controls_only_unicode_calls_spaces_stay_whitespace_runs() -> None:
    assert tokens("a\x1c\x1d b\x1fc") == ["a", "\x1c\x1d ", "b", "\x1f", "c"]


@settings(max_examples=500)
@given(st.text("abc", max_size=24), st.text("abc", max_size=24))
def test_property_a_shortest_scripts_runs_need_no_joining_or_trimming(old: str, new: str) -> None:
    # The redline skips absorb_equalities' first join-and-trim pass for one LCS's runs: on
    # them it must change nothing (coded texts: one character a token).
    ends = (len(old), len(new), 0)
    runs = redline_module._with_ends(redline_module._lcs_runs(old, new), ends)
    assert redline_cleanup._join_and_trim(runs, old, new) == runs
    assert redline_cleanup.absorb_equalities(
        list(runs), old, new, joined=True
    ) == redline_cleanup.absorb_equalities([(0, 0, 0), *runs, ends], old, new)


@settings(max_examples=500)
@given(st.text("abc", max_size=24), st.text("abc", max_size=24))
def test_property_absorbing_equalities_twice_changes_nothing(old: str, new: str) -> None:
    # The redline skips the second absorb_equalities pass when no equality was folded between
    # the two: on runs it has already absorbed it must change nothing.
    ends = (len(old), len(new), 0)
    runs = redline_module._with_ends(redline_module._lcs_runs(old, new), ends)
    once = redline_cleanup.absorb_equalities(runs, old, new, joined=True)
    assert redline_cleanup.absorb_equalities(list(once), old, new) == once


@given(st.text("abc ", min_size=1, max_size=12), st.text("abc ", min_size=1, max_size=12))
def test_property_sides_sharing_no_first_token_have_no_overlap(deleted: str, inserted: str) -> None:
    # extract_overlaps skips a change whose sides share neither first token: both overlaps
    # must then be 0.
    if inserted[0] not in deleted and deleted[0] not in inserted:
        assert redline_cleanup.overlap(deleted, inserted) == 0
        assert redline_cleanup.overlap(inserted, deleted) == 0
