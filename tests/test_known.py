"""The known/unknown box: the counts (:mod:`plandiff.known`) and their plain words
(:func:`plandiff.render.known_words.known_words`), over a grid of cases and at random."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

import plandiff
from plandiff.cli import Env, cli
from plandiff.known import Known, SideKnown, known
from plandiff.render.known_words import known_words
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES, SEEDS
from tests.strategies import point_lists


def side(
    declared: int | None, verbatim: int = 0, described: int = 0, *, full: bool = False, u: int = 0
) -> SideKnown:
    return SideKnown(declared, verbatim, described, full, u)


def box(old: SideKnown, new: SideKnown, *events: int) -> list[str]:
    removed, merged_away, added, split_off = (*events, 0, 0, 0, 0)[:4]
    return known_words(Known(old, new, removed, merged_away, added, split_off))


# --------------------------------------------------------------------------- the counts


def test_counts_of_the_bundled_partial_diff() -> None:
    registry = plandiff.load_registry()
    result = plandiff.diff(
        registry.version("us-28"), registry.version("geneva-19"), registry=registry
    )
    k = known(result)
    assert k.old == SideKnown(declared=28, verbatim=0, described=4, full=False, unreported=3)
    assert k.new == SideKnown(declared=19, verbatim=0, described=0, full=False, unreported=0)
    assert (k.removed, k.merged_away, k.added, k.split_off, k.deferred) == (0, 0, 0, 0, 1)
    # The deferred territory point is one of the 9 cuts the evidence identifies.
    assert (k.difference, k.explained, k.everything) == (-9, 1, False)
    assert (k.old.unknown, k.new.unknown) == (24, 19)


def test_counts_of_two_full_texts_with_a_merge_and_a_split() -> None:
    plans = FIXTURES / "plans"
    result = diff_texts(
        (plans / "ceasefire-v1.txt").read_text(), (plans / "ceasefire-v2.txt").read_text()
    )
    k = known(result)
    assert k.everything
    assert (k.removed, k.merged_away, k.added, k.split_off) == (1, 1, 1, 1)
    assert k.difference == 0
    assert known_words(k) == ["Points: 16 → 16: same number, all known."]


@settings(max_examples=40, deadline=None)
@given(point_lists())
def test_two_full_texts_account_for_every_point(lists: tuple[list[str], list[str]]) -> None:
    """Every point is in one change, so between two full texts the removals, merges,
    additions and splits explain the whole change in the count, and the box is one line."""
    old, new = ("\n".join(f"{n}. {t}" for n, t in enumerate(side, 1)) for side in lists)
    result = diff_texts(old, new)
    k = known(result)
    assert (k.old.known, k.new.known) == (result.old.known_points, result.new.known_points)
    assert k.everything and k.old.unreported == k.new.unreported == 0
    assert k.difference == k.additions - k.cuts
    assert k.explained == abs(k.difference)
    assert len(known_words(k)) == 1


# --------------------------------------------------------------------------- the words


@pytest.mark.parametrize(
    ("old", "new", "events", "expected"),
    [
        pytest.param(
            side(28, 0, 4, u=3),
            side(19, 0, 1),
            (),
            [
                "28 → 19 points: 9 were cut, and reporting identifies none of them.",
                "Known: 4 of the 28 old points (described) and 1 of the 19 new points (described).",
            ],
            id="fewer, none identified (the issue's scenario)",
        ),
        pytest.param(
            side(28, 10, 2, u=9),
            side(19, 1, 1),
            (1,),
            [
                "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 removed).",
                "Known: 12 of the 28 old points (10 verbatim) and 2 of the 19 new points "
                "(1 verbatim).",
            ],
            id="fewer, one identified, verbatim and described points",
        ),
        pytest.param(
            side(10, 10, full=True),
            side(8, 2, 1),
            (2,),
            [
                "10 → 8 points: 2 were cut, and reporting identifies all of them (2 removed).",
                "Known: all 10 old points and 3 of the 8 new points (2 verbatim).",
            ],
            id="fewer, all identified",
        ),
        pytest.param(
            side(10, 4),
            side(7, 3),
            (1, 1),
            [
                "10 → 7 points: 3 were cut, and reporting identifies 2 of them "
                "(1 removed and 1 merged away).",
                "Known: 4 of the 10 old points (verbatim) and 3 of the 7 new points (verbatim).",
            ],
            id="fewer, some identified",
        ),
        pytest.param(
            side(5, 0, 2),
            side(6, 0, 1, u=1),
            (0, 0, 1),
            [
                "5 → 6 points: 1 was added, and reporting identifies it (1 added).",
                "Known: 2 of the 5 old points (described) and 1 of the 6 new points (described).",
            ],
            id="one more, identified",
        ),
        pytest.param(
            side(12, 1),
            side(15),
            (),
            [
                "12 → 15 points: 3 were added, and reporting identifies none of them.",
                "Known: 1 of the 12 old points (verbatim) and none of the 15 new points.",
            ],
            id="more, nothing known of the new",
        ),
        pytest.param(
            side(20, 0, 3),
            side(20, 0, 2),
            (1, 0, 1),
            [
                "Both versions have 20 points; reporting identifies 1 removed and 1 added.",
                "Known: 3 of the 20 old points (described) and 2 of the 20 new points (described).",
            ],
            id="same count, one swapped",
        ),
        pytest.param(
            side(28, 0, 2),
            side(None, 0, 1),
            (),
            [
                "The old version has 28 points; the new does not say how many.",
                "Known: 2 of the 28 old points (described) and 1 new point (described).",
            ],
            id="new count undeclared",
        ),
        pytest.param(
            side(None, 0, 1),
            side(None, 0, 1),
            (),
            [
                "Neither version says how many points it has.",
                "Known: 1 old point (described) and 1 new point (described).",
            ],
            id="no counts at all",
        ),
        pytest.param(
            side(10, 8, full=True),
            side(None, 6, full=True),
            (2,),
            [
                "10 → 6 points: 4 were cut, and the texts identify 2 of them (2 removed).",
                "Known: 8 of the 10 old points and all 6 new points.",
            ],
            id="full texts short of their declared count",
        ),
        pytest.param(
            side(None, 5, full=True),
            side(None, 4, full=True),
            (1,),
            ["Points: 5 → 4: 1 fewer, all known."],
            id="two full files: one line",
        ),
        pytest.param(
            side(None, 1, full=True),
            side(None, 1, full=True),
            (),
            ["Points: 1 → 1: same number, all known."],
            id="two one-point files",
        ),
    ],
)
def test_box_words(
    old: SideKnown, new: SideKnown, events: tuple[int, ...], expected: list[str]
) -> None:
    assert box(old, new, *events) == expected


@st.composite
def sides(draw: st.DrawFn) -> SideKnown:
    full = draw(st.booleans())
    verbatim = draw(st.integers(0, 40))
    described = 0 if full else draw(st.integers(0, 40))
    known_points = verbatim + described
    declared = draw(st.none() | st.integers(known_points, known_points + 60))
    unreported = draw(st.integers(0, known_points))
    return SideKnown(declared, verbatim, described, full, unreported)


@given(sides(), sides(), st.lists(st.integers(0, 9), min_size=5, max_size=5))
def test_box_words_say_the_counts_and_never_more(
    old: SideKnown, new: SideKnown, events: list[int]
) -> None:
    k = Known(old, new, *events)
    lines = known_words(k)
    text = " ".join(lines)
    # Grammar: no "1 points", no "0 of", no empty clause ("1 → 0 points" is a count, and fine).
    assert not re.search(r"(?<![\d,])1 (points|were)\b", text), text
    assert not re.search(r"(?<!→ )\b0 (of|old|new|points)\b", text), text
    assert "  " not in text and "()" not in text
    assert all(line.endswith(".") for line in lines)
    if k.everything:
        assert len(lines) == 1 and lines[0].startswith("Points: ") and "all known" in text
        return
    assert 2 <= len(lines) <= 3
    assert lines[1].startswith("Known: ")
    d = k.difference
    if d:  # the change in the count and how much of it is identified, never more than all
        assert f": {abs(d)} " in lines[0] and " → " in lines[0]
        assert 0 <= k.explained <= abs(d)
        if k.explained == 0 and not (k.cuts or k.additions):
            assert lines[0].endswith("none of them.")
    # Each side's known count is stated (as a number, "all N", "the one" or "none").
    for s, name in ((old, "old"), (new, "new")):
        said = (
            f"{s.known} of the {s.total} {name}",
            f"all {s.total} {name}",
            f"the one {name}",
            f"none of the {s.total} {name}",
            f"not the one {name}",
            f"no {name} point",
            f"{s.known} {name} point",
        )
        assert any(phrase in lines[1] for phrase in said), (lines[1], s)


# --------------------------------------------------------------------------- every report says it


def run(*args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--registry", str(SEEDS), *args], obj=Env(width=100, color=False), env={}
    )
    assert result.exit_code == 0, result.output
    return result.stdout


BOX = (
    "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).\n"
    "Known: 4 of the 28 old points (described) and none of the 19 new points.\n"
)


def test_text_report_opens_with_the_box() -> None:
    """Today's line was 'Declared points: 28 → 19: 9 fewer; 24 of 28 and 18 of 19 points
    unaccounted for'."""
    out = run("diff", "us-28", "geneva-19", "--no-pager")
    assert "\n\n" + BOX + "Changes: 1 deferred, 3 unreported\n\n" in out
    assert "unaccounted" not in out


def test_stat_report_says_the_same() -> None:
    out = run("diff", "us-28", "geneva-19", "--stat", "--no-pager")
    assert out.endswith("\n\n" + BOX + "Changes: 1 deferred, 3 unreported\n")


def test_markdown_report_says_the_same() -> None:
    out = run("diff", "us-28", "geneva-19", "--format", "markdown", "--no-pager")
    first, *rest = BOX.splitlines()
    expected = f"\n\n**{first}**\n\n" + "".join(f"- {line}\n" for line in rest) + "\n| Change |"
    assert expected in out


def test_file_diff_box_is_one_line() -> None:
    plans = FIXTURES / "plans"
    out = run(
        "diff", str(plans / "framework-v1.txt"), str(plans / "framework-v2.txt"), "--no-pager"
    )
    assert "\n\nPoints: 5 → 5: same number, all known.\nChanges: " in out
    assert "Known:" not in out


def test_json_has_the_counts_and_the_same_words() -> None:
    doc = json.loads(run("diff", "us-28", "geneva-19", "--format", "json"))
    known_doc = doc["known"]
    assert known_doc["says"] == BOX.splitlines()
    assert known_doc["old"] == {
        "declared": 28,
        "verbatim": 0,
        "described": 4,
        "full": False,
        "unknown": 24,
        "unreported": 3,
    }
    assert known_doc["new"]["unknown"] == 19 and known_doc["new"]["described"] == 0
    assert (known_doc["removed"], known_doc["deferred"], known_doc["explained"]) == (0, 1, 1)
    plans = FIXTURES / "plans"
    files = json.loads(
        run(
            "diff",
            str(plans / "ceasefire-v1.txt"),
            str(plans / "ceasefire-v2.txt"),
            "--format",
            "json",
        )
    )["known"]
    assert files["says"] == ["Points: 16 → 16: same number, all known."]
    assert (files["removed"], files["merged_away"], files["added"], files["split_off"]) == (
        1,
        1,
        1,
        1,
    )
    assert files["old"]["unknown"] == 0 and files["old"]["declared"] is None
