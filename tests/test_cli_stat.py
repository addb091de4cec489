"""``plandiff diff --stat``: only the point map and the counts, like ``git diff --stat``."""

from __future__ import annotations

import itertools

import click
import msgspec
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff.cli import Env, cli
from plandiff.kinds import KIND_NAMES, KindFilter
from plandiff.render import stat, terminal
from plandiff.result import ChangeKind
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES, SEEDS

CEASEFIRE = ("fixtures/plans/ceasefire-v1.txt", "fixtures/plans/ceasefire-v2.txt")
CONTRACT = ("fixtures/plans/contract-v1.txt", "fixtures/plans/contract-v2.txt")
BUNDLED = ("us-28", "geneva-19")
CEASEFIRE_SUMMARY = (
    "Changes: 6 unchanged, 6 reworded, 1 merged, 1 split, 1 added, 1 removed, 2 moved, "
    "preamble reworded"
)


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)


def run(*args: str, color: bool = False) -> click.testing.Result:
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(
        cli,
        ["--registry", str(SEEDS), *args],
        obj=Env(width=100, color=color),
        env=environ,
        prog_name="plandiff",
    )


def test_text_map_of_a_fixture_pair_collapses_unchanged_runs() -> None:
    result = run("diff", *CEASEFIRE, "--stat")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "plandiff  fixtures-plans-ceasefire-v1.txt → fixtures-plans-ceasefire-v2.txt",
        "",
        "      1 → 1      reworded",
        "  2 + 3 → 2      merged",
        "     11 → 3      unchanged, moved",
        "      4 → 4      reworded",
        "  ⋯ 1 unchanged point (5)",
        "      6 → 6 + 7  split",
        "  ⋯ 2 unchanged points (8–9)",
        "     12 → 10     reworded, moved",
        "      9 → 11     reworded, renumbered",
        "     10 → 12     reworded, renumbered",
        "  ⋯ 1 unchanged point (13)",
        "     14 → 14     reworded",
        "     15 → —      removed",
        "      — → 15     added",
        "  ⋯ 1 unchanged point (16)",
        "",
        "Points: 16 → 16: same number, all known.",
        CEASEFIRE_SUMMARY,
    ]


def test_nested_changes_are_counted_but_are_no_rows_and_paths_name_the_points() -> None:
    result = run("diff", *CONTRACT, "--stat")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "  ⋯ 1 unchanged point (1)",
        "  2 → 2  reworded",
        "  3 → 3  reworded",
        "  4 → 4  reworded",
        "  5 → 5  reworded",
        "  ⋯ 3 unchanged points (Schedule 1 › 1, Schedule 1 › 2, Schedule 1 › 3)",
        "",
        "Points: 8 → 8: same number, all known.",
        "Changes: 4 unchanged, 4 reworded, 11 sub-item changes",
    ]


def test_bundled_diff_marks_curated_rows() -> None:
    result = run("diff", *BUNDLED, "--stat")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "plandiff  us-28 → geneva-19",
        "",
        "      territory → —  deferred (curated) to Presidents Zelenskyy and Trump (a meeting "
        "between the tw…",
        "   armed-forces → —  unreported",
        "  us-guarantees → —  unreported",
        "        economy → —  unreported",
        "",
        "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).",
        "Known: 4 of the 28 old points (described) and none of the 19 new points.",
        "Changes: 1 deferred, 3 unreported",
    ]


def test_summary_lines_are_those_of_the_full_report() -> None:
    full = run("diff", *CEASEFIRE).stdout.splitlines()
    short = run("diff", *CEASEFIRE, "--stat").stdout.splitlines()
    assert short[-2:] == full[9:11]


def test_kind_shows_only_those_rows_and_says_how_many() -> None:
    result = run("diff", *CEASEFIRE, "--stat", "--kind", "removed,merged")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "  2 + 3 → 2  merged",
        "     15 → —  removed",
        "",
        "Points: 16 → 16: same number, all known.",
        CEASEFIRE_SUMMARY,
        "Showing removed, merged: 2 of 16 changes.",
    ]


def test_kind_unchanged_lists_unchanged_points_as_rows() -> None:
    result = run("diff", *CONTRACT, "--stat", "--kind", "unchanged")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:6] == [
        "               1 → 1               unchanged",
        "  Schedule 1 › 1 → Schedule 1 › 1  unchanged",
        "  Schedule 1 › 2 → Schedule 1 › 2  unchanged",
        "  Schedule 1 › 3 → Schedule 1 › 3  unchanged",
    ]


def test_a_kind_that_matches_nothing_leaves_an_empty_map() -> None:
    result = run("diff", *BUNDLED, "--stat", "--kind", "split")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[2:] == [
        "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).",
        "Known: 4 of the 28 old points (described) and none of the 19 new points.",
        "Changes: 1 deferred, 3 unreported",
        "Showing split: no changes of these kinds (0 of 4 changes).",
    ]


def test_colour_styles_the_kind_only() -> None:
    result = run("diff", *BUNDLED, "--stat", "--color", color=True)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2].startswith("      territory → —  \x1b[1;36mdeferred\x1b[0m (curated) to ")
    assert lines[3] == "   armed-forces → —  \x1b[1;34munreported\x1b[0m"


def test_markdown_map_is_a_table() -> None:
    result = run("diff", *BUNDLED, "--stat", "--format", "markdown")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "# us-28 → geneva-19\n"
        "\n"
        "| Old | New | Change |\n"
        "|---:|---|---|\n"
        "| territory | — | deferred (curated) to Presidents Zelenskyy and Trump (a meeting "
        "between the two presidents) |\n"
        "| armed-forces | — | unreported |\n"
        "| us-guarantees | — | unreported |\n"
        "| economy | — | unreported |\n"
        "\n"
        "**28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).**\n"
        "\n"
        "- Known: 4 of the 28 old points (described) and none of the 19 new points.\n"
        "\n"
        "Changes: 1 deferred, 3 unreported\n"
    )


def test_markdown_with_kind_says_what_is_shown() -> None:
    result = run("diff", *CEASEFIRE, "--stat", "--format", "markdown", "--kind", "moved")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[2:6] == [
        "| Old | New | Change |",
        "|---:|---|---|",
        "| 11 | 3 | unchanged, moved |",
        "| 12 | 10 | reworded, moved |",
    ]
    assert lines[-1] == "*Showing moved: 2 of 16 changes.*"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_stat_with_a_format_for_programs_is_a_usage_error(fmt: str) -> None:
    result = run("diff", *BUNDLED, "--stat", "--format", fmt)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(
        f"plandiff: --stat applies to text and markdown, not {fmt} (usage:"
    )
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("option", "flag"),
    [
        (("--side-by-side",), "--side-by-side"),
        (("--show-unchanged",), "--show-unchanged"),
        (("-U", "2"), "--context"),
    ],
)
def test_layout_options_of_the_full_report_are_usage_errors(
    option: tuple[str, ...], flag: str
) -> None:
    result = run("diff", *CEASEFIRE, "--stat", *option)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"plandiff: {flag} lays out the full report, not --stat")


def test_exit_code_still_means_the_versions_differ() -> None:
    assert run("diff", *CEASEFIRE, "--stat", "--exit-code").exit_code == 1
    assert run("diff", CEASEFIRE[0], CEASEFIRE[0], "--stat", "--exit-code").exit_code == 0


def test_untrusted_text_is_shown_as_written() -> None:
    hostile = "[red]x\x1b[31m|*y*"
    first = _RESULT.changes[0]
    ref = msgspec.structs.replace(first.old[0], number=None, path=hostile)
    odd = msgspec.structs.replace(first, old=(ref,))
    result = msgspec.structs.replace(_RESULT, changes=(odd,))
    text = terminal.export(stat.terminal(result), color=True)
    assert "[red]x\\x1b[31m|*y* → 1" in text
    assert "\x1b[31m" not in text
    markdown = stat.markdown(result)
    assert r"| \[red\]x\\x1b\[31m\|\*y\* | 1 | reworded, renumbered |" in markdown


def test_golden_text(golden) -> None:
    result = run("diff", *CEASEFIRE, "--stat")
    golden("diff-ceasefire.stat.txt", result.stdout)


def test_golden_markdown(golden) -> None:
    result = run("diff", *CONTRACT, "--stat", "--format", "markdown")
    golden("diff-contract.stat.md", result.stdout)


_RESULT = diff_texts(
    (FIXTURES / "plans" / "ceasefire-v1.txt").read_text(encoding="utf-8"),
    (FIXTURES / "plans" / "ceasefire-v2.txt").read_text(encoding="utf-8"),
)


def test_every_change_is_one_row_or_in_one_collapsed_run() -> None:
    rows = stat.point_map(_RESULT)
    shown = [r for r in rows if not r.collapsed]
    quiet = [
        c
        for c in _RESULT.changes
        if c.kind is ChangeKind.UNCHANGED and not c.moved and not c.heading_moved
    ]
    collapsed = sum(int(r.collapsed.split()[0]) for r in rows if r.collapsed)
    assert len(shown) + collapsed == len(_RESULT.changes)
    assert collapsed == len(quiet)
    assert not any(r.collapsed and n.collapsed for r, n in itertools.pairwise(rows))


@settings(max_examples=30, deadline=None)
@given(st.lists(st.sampled_from(KIND_NAMES), min_size=1))
def test_with_a_filter_the_rows_are_the_matching_changes_in_order(names: list[str]) -> None:
    kinds = KindFilter.parse(names)
    rows = stat.point_map(_RESULT, kinds)
    expected = [c for c in _RESULT.changes if kinds.matches(c)]
    assert [(r.kind, r.old, r.new) for r in rows] == [
        (c.kind.value, stat.wording.side_label(c.old), stat.wording.side_label(c.new))
        for c in expected
    ]
    assert not any(r.collapsed for r in rows)
