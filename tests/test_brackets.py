"""Unagreed (bracketed) language: which brackets are negotiating marks, and what a diff says
when they go, come, or one alternative is chosen."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from plandiff.bracket_changes import bracket_changes
from plandiff.brackets import bracket_groups, bracketed_spans, unbracketed
from plandiff.cli import cli
from plandiff.result import BracketChange, BracketChangeKind

PAIR = ("fixtures/plans/crossings-v1.txt", "fixtures/plans/crossings-v2.txt")


def inner(text: str) -> list[str]:
    return [s.inner for s in bracketed_spans(text)]


# --------------------------------------------------------------------------- the finder


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The Parties [shall] withdraw.", ["shall"]),
        ("within [30/60] days", ["30/60"]),
        ("[Both Parties [shall] agree.]", ["Both Parties [shall] agree."]),  # outermost only
        ("as held in [2019] UKSC 5", []),
        ("a footnote mark[1] and [12]", []),
        ("the text [sic] and [emphasis added]", []),
        ("cut here […] and [...]", []),
        ("see [RFC2119] and [DS-IANA]", []),
        ("[Regulation (EU) 2016/679 of the European Parliament]", []),
        ("[OJ L 257, 28.8.2014, p. 73]", []),
        ("[see https://example.org/a]", []),
        ("a [link](https://example.org) and ![alt](x.png)", []),
        ("[RFC Editor: remove this section before publication]", []),
        ('"[t]he Parties" quoted', []),
        ("an [unclosed bracket", []),
        ("a stray ] one [and] [more", ["and"]),
    ],
)
def test_bracketed_spans(text: str, expected: list[str]) -> None:
    assert inner(text) == expected


def test_adjacent_and_slashed_alternatives_group() -> None:
    text = "The Parties [shall] [should] act within [30/60] days, [or] / [and] so on."
    groups = bracket_groups(text)
    assert [g.options for g in groups] == [("shall", "should"), ("30", "60"), ("or", "and")]


def test_separate_spans_do_not_group() -> None:
    groups = bracket_groups("The [first] clause and the [second] one.")
    assert [g.options for g in groups] == [("first",), ("second",)]


@given(st.text(alphabet=st.characters(blacklist_characters="[")))
def test_text_without_an_opening_bracket_has_no_span(text: str) -> None:
    assert bracketed_spans(text) == ()
    assert unbracketed(text) == text


WORDS = st.text(alphabet="abcdefgh ,./0123456789", min_size=1, max_size=12)


@given(st.lists(st.tuples(WORDS, st.booleans()), min_size=1, max_size=8))
def test_removing_the_brackets_of_every_span_leaves_the_rest(
    pieces: list[tuple[str, bool]],
) -> None:
    """Take the brackets off what was found and only the brackets go: the characters outside
    them and inside them are the text's, in order."""
    text = "".join(f"[{w}]" if bracketed else w for w, bracketed in pieces)
    spans = bracketed_spans(text)
    bare = unbracketed(text)
    assert len(bare) == len(text) - 2 * len(spans)
    assert bare.replace("[", "").replace("]", "") == text.replace("[", "").replace("]", "")
    for s in spans:
        assert text[s.start] == "[" and text[s.end - 1] == "]"
        assert text[s.start + 1 : s.end - 1] == s.inner


# --------------------------------------------------------------------------- what changed


def test_brackets_removed_is_agreed() -> None:
    assert bracket_changes("carried out [jointly] by both", "carried out jointly by both") == (
        BracketChange(kind=BracketChangeKind.AGREED, text="jointly"),
    )


def test_alternative_chosen() -> None:
    assert bracket_changes("The Parties [shall] [should] act.", "The Parties should act.") == (
        BracketChange(kind=BracketChangeKind.CHOSEN, text="should", others=("shall",)),
    )


def test_brackets_added_is_unagreed() -> None:
    assert bracket_changes("referred to the commission", "referred to the [commission]") == (
        BracketChange(kind=BracketChangeKind.UNAGREED, text="commission"),
    )


def test_words_gone_or_still_bracketed_are_no_bracket_change() -> None:
    assert bracket_changes("The [blue] line", "The red line") == ()
    assert bracket_changes("The [blue] line", "The [blue] line moves") == ()
    assert bracket_changes("[1] footnote", "footnote") == ()


@given(st.lists(st.sampled_from(["alpha", "beta", "gamma", "delta"]), min_size=1, max_size=6))
def test_taking_every_bracket_off_agrees_each_single_span(words: list[str]) -> None:
    old = " ".join(f"{w} [{w} of {i}] ;" for i, w in enumerate(words))
    changes = bracket_changes(old, unbracketed(old))
    assert [c.text for c in changes] == [f"{w} of {i}" for i, w in enumerate(words)]
    assert {c.kind for c in changes} == {BracketChangeKind.AGREED}


# --------------------------------------------------------------------------- reports


def invoke(*args: str) -> Result:
    runner = CliRunner(env={"COLUMNS": "100", "NO_COLOR": "1"})
    return runner.invoke(cli, list(args), prog_name="plandiff", catch_exceptions=False)


@pytest.mark.parametrize(
    ("fmt", "suffix"),
    [("text", "plain.txt"), ("markdown", "md"), ("json", "json"), ("html", "html")],
)
def test_golden_crossings(fmt: str, suffix: str, golden: Callable[[str, str], None]) -> None:
    result = invoke("diff", *PAIR, "--format", fmt, "--no-pager")
    assert result.exit_code == 0
    golden(f"diff-crossings.{suffix}", result.stdout)


def test_every_format_says_what_became_of_the_brackets() -> None:
    expected = [
        "alternative chosen: “should” (not “shall”)",
        "alternative chosen: “60” (not “30”)",
        "brackets removed: now agreed: “jointly”",
        "brackets added: now unagreed: “joint commission” (alternatives offered: “mixed tribunal”)",
    ]
    for fmt in ("text", "markdown", "html"):
        out = invoke("diff", *PAIR, "--format", fmt, "--no-pager").stdout
        positions = [out.find(e) for e in expected]
        assert all(p >= 0 for p in positions), (fmt, positions)
        assert positions == sorted(positions), fmt
        assert "“1”" not in out  # the footnote mark is no negotiating bracket
    doc = json.loads(invoke("diff", *PAIR, "--format", "json").stdout)
    found = [(b["kind"], b["text"], b["others"]) for c in doc["changes"] for b in c["brackets"]]
    assert found == [
        ("chosen", "should", ["shall"]),
        ("chosen", "60", ["30"]),
        ("agreed", "jointly", []),
        ("unagreed", "joint commission", ["mixed tribunal"]),
    ]
    xml = invoke("diff", *PAIR, "--format", "xml").stdout
    assert '<bracket kind="agreed">\n        <text>jointly</text>' in xml
    assert "<other>mixed tribunal</other>" in xml


def test_a_chosen_alternative_is_not_also_a_dropped_figure() -> None:
    doc = json.loads(invoke("diff", *PAIR, "--format", "json").stdout)
    first = doc["changes"][0]
    assert [(b["kind"], b["text"]) for b in first["brackets"]][1] == ("chosen", "60")
    figures = [(s["kind"], s["old"], s["new"]) for s in first["substantive"]]
    assert ("number", "30", None) not in figures and ("number", "60", None) not in figures
