"""``plandiff diff --kind KINDS``: only some kinds of change shown, the counts kept whole."""

from __future__ import annotations

import json

import click
import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plandiff.cli import Env, cli
from plandiff.kinds import KIND_NAMES, KindFilter
from plandiff.result import ChangeKind
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES, SEEDS

PLANS = FIXTURES / "plans"
CEASEFIRE = ("fixtures/plans/ceasefire-v1.txt", "fixtures/plans/ceasefire-v2.txt")
FRAMEWORK = ("fixtures/plans/framework-v1.txt", "fixtures/plans/framework-v2.txt")
SCHEMA = json.loads(
    (FIXTURES.parent / "schemas" / "plandiff-diff.schema.json").read_text(encoding="utf-8")
)
SUMMARY = (
    "Changes: 6 unchanged, 6 reworded, 1 merged, 1 split, 1 added, 1 removed, 2 moved, "
    "preamble reworded"
)


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)


def run(*args: str) -> click.testing.Result:
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(
        cli,
        ["--registry", str(SEEDS), *args],
        obj=Env(width=100, color=False),
        env=environ,
        prog_name="plandiff",
    )


def headings(output: str) -> list[str]:
    """The block headings of a text report (the lines ruled off to the right), unruled."""
    return [line.rstrip("─ ") for line in output.splitlines() if line.endswith("──")]


def test_text_shows_only_the_kinds_asked_for_and_the_whole_summary() -> None:
    result = run("diff", *CEASEFIRE, "--kind", "removed,merged")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[10:12] == [SUMMARY, "Showing removed, merged: 2 of 16 changes."]
    assert headings(result.stdout) == [
        "2 + 3 → 2  merged  (automatic, 86% similar)",
        "15 → —  removed  (automatic)",
    ]
    assert "not shown" not in result.stdout  # left-out changes are not listed as collapsed
    assert lines[-1] == (
        "for the parts of a merge or split; curated ones are recorded in the registry with their "
        "evidence."
    )  # no source list: the files are named in the header, their locations shown on request


def test_kind_is_repeatable_and_moved_picks_changes_flagged_moved() -> None:
    result = run("diff", *CEASEFIRE, "--kind", "moved", "--kind", "added")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[11] == "Showing moved, added: 3 of 16 changes."
    assert headings(result.stdout) == [
        "11 → 3  unchanged, moved  (automatic, 100% similar)",
        "12 → 10  reworded, moved  (automatic, 88% similar)",
        "— → 15  added  (automatic)",
    ]


def test_a_part_outside_the_points_is_shown_by_its_kind() -> None:
    reworded = run("diff", *CEASEFIRE, "--kind", "reworded")
    assert headings(reworded.stdout)[:2] == [
        "preamble  reworded",
        "1 → 1  reworded  (automatic, 94% similar)",
    ]
    assert reworded.stdout.splitlines()[11] == "Showing reworded: 6 of 16 changes."
    assert "preamble" not in "".join(headings(run("diff", *CEASEFIRE, "--kind", "added").stdout))


def test_context_adds_only_unchanged_neighbours_of_the_shown_changes() -> None:
    result = run("diff", *CEASEFIRE, "--kind", "split", "-U", "1")
    assert result.exit_code == 0, result.output
    shown = [line for line in result.stdout.splitlines()[12:] if line.startswith(("  5", "  7"))]
    assert shown == [
        "  5 → 5  unchanged  The Monitoring Mission shall report to the Joint Commission on "
        "violations…",
        "  7 → 8  unchanged  The Parties shall guarantee safe access, delivery, storage and "
        "distribution…",
    ]
    assert headings(result.stdout) == ["6 → 6 + 7  split  (automatic, 87% similar)"]
    merged = run("diff", *CEASEFIRE, "--kind", "merged", "-U", "1").stdout
    # Its neighbours 1 → 1 and 4 → 4 were reworded: context never brings in other kinds.
    assert headings(merged) == ["2 + 3 → 2  merged  (automatic, 86% similar)"]


def test_a_filter_that_matches_nothing_says_so() -> None:
    result = run("diff", *FRAMEWORK, "--kind", "split")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[9:] == [
        "Points: 5 → 5: same number, all known.",
        "Changes: 5 unchanged, 1 moved, 1 moved between headings, 1 heading reworded",
        "Showing split: no changes of these kinds (0 of 5 changes).",
        "",
        "Automatic matches (plandiff-align/1) need 50% similarity, less for points in the same "
        "place between",
        "matched neighbours (where a pair with almost no wording in common is 'replaced'), 60% "
        "containment",
        "for the parts of a merge or split; curated ones are recorded in the registry with their "
        "evidence.",
    ]


def test_exit_code_still_means_the_versions_differ() -> None:
    assert run("diff", *CEASEFIRE, "--kind", "replaced", "--exit-code").exit_code == 1
    same = (str(PLANS / "ceasefire-v1.txt"),) * 2
    assert run("diff", *same, "--kind", "unchanged", "--exit-code").exit_code == 0


@pytest.mark.parametrize(
    ("value", "name"), [("bogus", "bogus"), ("removed,Merged", "Merged"), ("removed,", "")]
)
def test_an_unknown_kind_is_a_usage_error_listing_the_valid_ones(value: str, name: str) -> None:
    result = run("diff", *CEASEFIRE, "--kind", value)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == (
        f"plandiff: Invalid value for '--kind': unknown change kind {name!r} (choose from "
        "unchanged, reworded, merged, split, added, removed, unreported, replaced, deferred, "
        "moved) "
        "(usage: plandiff diff [OPTIONS] OLD NEW; see 'plandiff diff --help')\n"
    )


def test_markdown_shows_only_those_kinds_under_the_whole_counts() -> None:
    result = run("diff", *CEASEFIRE, "--kind", "removed,merged", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert "| merged | 1 |" in lines and "| reworded | 6 |" in lines
    assert [line for line in lines if line.startswith(("## ", "### ", "*Showing"))] == [
        "## Changes",
        "*Showing removed, merged: 2 of 16 changes.*",
        "### 2 + 3 → 2 · merged",
        "### 15 → — · removed",
    ]


def test_json_changes_hold_the_shown_ones_and_the_summary_stays_whole() -> None:
    whole = json.loads(run("diff", *CEASEFIRE, "--format", "json").stdout)
    result = run("diff", *CEASEFIRE, "--format", "json", "--kind", "removed,moved")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, SCHEMA)
    assert [(c["kind"], c["moved"]) for c in doc["changes"]] == [
        ("unchanged", True),
        ("reworded", True),
        ("removed", False),
    ]
    assert doc["changes"] == [c for c in whole["changes"] if c["kind"] == "removed" or c["moved"]]
    assert doc["summary"] == whole["summary"]
    assert doc["parts"] == []  # the reworded preamble is not of these kinds
    none = json.loads(run("diff", *CEASEFIRE, "--format", "json", "--kind", "replaced").stdout)
    jsonschema.validate(none, SCHEMA)
    assert none["changes"] == [] and none["summary"] == whole["summary"]


def test_xml_changes_hold_the_shown_ones_and_the_summary_stays_whole() -> None:
    result = run("diff", *CEASEFIRE, "--format", "xml", "--kind", "split,added")
    assert result.exit_code == 0, result.output
    root = etree.fromstring(result.stdout_bytes)
    ns = {"p": root.nsmap[None]}
    kinds = [c.get("kind") for c in root.findall("p:changes/p:change", ns)]
    assert kinds == ["split", "added"]
    counts = {c.get("kind"): c.get("n") for c in root.findall("p:summary/p:count", ns)}
    assert counts["unchanged"] == "6" and counts["reworded"] == "6"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_every_kind_asked_for_gives_the_whole_document(fmt: str) -> None:
    plain = run("diff", *CEASEFIRE, "--format", fmt).stdout
    every = run("diff", *CEASEFIRE, "--format", fmt, "--kind", ",".join(KIND_NAMES)).stdout
    assert every == plain


# --------------------------------------------------------------------------- the filter itself


def test_parse_keeps_the_order_given_once_each() -> None:
    kinds = KindFilter.parse(["removed, merged", "removed", "moved"])
    assert kinds.names == ("removed", "merged", "moved")
    assert kinds.label == "removed, merged, moved"


def test_the_help_lists_every_kind_a_filter_takes() -> None:
    """The option's help is written out (so --help need not import the result's records):
    it must name each kind, in the filter's order."""
    help_text = " ".join(run("diff", "--help").stdout.split())
    assert ", ".join(KIND_NAMES) in help_text
    assert {k.value for k in ChangeKind} | {"moved"} == set(KIND_NAMES)


_RESULT = diff_texts(
    (PLANS / "ceasefire-v1.txt").read_text(encoding="utf-8"),
    (PLANS / "ceasefire-v2.txt").read_text(encoding="utf-8"),
)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(KIND_NAMES), min_size=1))
def test_a_change_is_shown_exactly_when_of_a_kind_asked_for(names: list[str]) -> None:
    """Each kind's filter shows a subset, in report order; together they show every change."""
    kinds = KindFilter.parse(names)
    shown = kinds.select(_RESULT.changes)
    assert shown == [
        c for c in _RESULT.changes if c.kind.value in names or ("moved" in names and c.moved)
    ]
    singles = {id(c) for name in names for c in KindFilter.parse([name]).select(_RESULT.changes)}
    assert singles == {id(c) for c in shown}


def test_every_change_is_of_some_kind() -> None:
    every = KindFilter.parse([",".join(n for n in KIND_NAMES if n != "moved")])
    assert every.select(_RESULT.changes) == list(_RESULT.changes)
    assert every.phrase(_RESULT) == f"Showing {every.label}: 16 of 16 changes."
