"""Issue 15, item 7: each piece of noise seen in the reports, gone; and untitled sources named
by their first words (item 6). Every test states the exact output and fails on the reports
as they were (quoted in its docstring)."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from plandiff.cli import Env, cli
from plandiff.render import markdown
from plandiff.render.citing import Footnotes, SourceNote
from tests.helpers import FIXTURES, SEEDS

OLD = """1. The ceasefire starts at noon on 1 May.
2. Prisoners are exchanged within 30 days.
3. Roads reopen.
"""
NEW = """1. The ceasefire starts at noon on 15 May.
2. Prisoners are exchanged within 20 days.
3. Roads reopen.
"""
METHOD = (
    "Automatic matches (plandiff-align/1) need 50% similarity, less for points in the same "
    "place between\nmatched neighbours (where a pair with almost no wording in common is "
    "'replaced'), 60% containment\nfor the parts of a merge or split; curated ones are recorded "
    "in the registry with their evidence.\n"
)


def run(*args: str, registry: Path = SEEDS, color: bool = False) -> click.testing.Result:
    result = CliRunner().invoke(
        cli,
        ["--registry", str(registry), *args],
        obj=Env(width=100, color=color),
        env={"NO_COLOR": None, "PAGER": "false-pager-should-never-run"},
    )
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def plans(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "a.txt").write_text(OLD)
    (tmp_path / "b.txt").write_text(NEW)
    monkeypatch.chdir(tmp_path)
    return tmp_path


HEAD = """plandiff  a.txt → b.txt

old  a.txt  a.txt
     undated · 3 points known (count not declared) · full text
     cut at `N.` markers, column 0: 3 points, 1–3
new  b.txt  b.txt
     undated · 3 points known (count not declared) · full text
     cut at `N.` markers, column 0: 3 points, 1–3

Points: 3 → 3: same number, all known.
Changes: 1 unchanged, 2 reworded
"""
RULE = "─" * 58


def test_file_diff_has_no_location_lines(plans: Path) -> None:
    """Was: 'old 1: [1] a.txt, @3–41' and 'new 1: [2] b.txt, @3–42' under every block, and a
    source list naming the two files the header names already."""
    out = run("diff", "a.txt", "b.txt", "--no-pager").stdout
    assert out == (
        f"{HEAD}\n"
        f"1 → 1  reworded  (automatic, 79% similar) {RULE}\n"
        "    The ceasefire starts at noon on [-1-]{+15+} May.\n"
        "    ≠ date: 1 May. → 15 May.\n"
        "\n"
        f"2 → 2  reworded  (automatic, 77% similar) {RULE}\n"
        "    Prisoners are exchanged within [-30-]{+20+} days.\n"
        "    ≠ duration: within 30 days → within 20 days\n"
        "\n"
        "  ⋯ 1 unchanged point (3) not shown\n"
        "\n"
        f"{METHOD}"
    )


def test_locations_flag_shows_them(plans: Path) -> None:
    out = run("diff", "a.txt", "b.txt", "--no-pager", "--locations").stdout
    assert "    ≠ date: 1 May. → 15 May.\n    old 1: [1] @3–41\n    new 1: [2] @3–42\n\n" in out
    assert "    old 2: [1] @45–84\n    new 2: [2] @46–85\n" in out
    assert out.endswith(
        "\nSources\n  [1] a.txt — date unknown  a.txt\n  [2] b.txt — date unknown  b.txt\n"
    )
    md = run("diff", "a.txt", "b.txt", "--format", "markdown", "--locations").stdout
    assert "\n*old 1:* \\[1\\] characters 3–41\n" in md
    plain_md = run("diff", "a.txt", "b.txt", "--format", "markdown").stdout
    assert "characters" not in plain_md and "## Sources" not in plain_md


def test_locations_is_a_usage_error_where_it_means_nothing(plans: Path) -> None:
    result = CliRunner().invoke(
        cli, ["diff", "a.txt", "b.txt", "--format", "json", "--locations"], obj=Env(width=100)
    )
    assert result.exit_code == 2
    assert "--locations applies to text, markdown and html, not json" in result.output


def test_registry_quotes_cite_by_footnote_only() -> None:
    """Was: 'old territory: “which provides for territorial concessions” [1] Zelenskyy,
    Rubio, and Rutte joined a…, UNN, @1294–1336' on every quote."""
    out = run("diff", "us-28", "geneva-19", "--no-pager").stdout
    assert (
        "    old territory: “which provides for territorial concessions” [1] @1294–1336\n"
        "    why: “any discussions of territorial … and US President Donald Trump” [1] "
        "@2151–2303\n"
        "    why: “final decisions will be made by … Zelensky and Donald Trump” [2] @893–971\n"
    ) in out
    assert out.count("Zelenskyy, Rubio, and Rutte joined") == 1  # in the source list only
    md = run("diff", "us-28", "geneva-19", "--format", "markdown").stdout
    assert "> — old territory: \\[1\\] characters 1294–1336\n" in md
    assert md.count("Zelenskyy, Rubio, and Rutte joined") == 1
    log = run("log", "us-28").stdout
    assert "Axios published a 28-point peace plan” [1] @1183–1236\n" in log
    assert log.count("Zelenskyy, Rubio, and Rutte joined") == 1


def test_merged_and_split_text_is_shown_once() -> None:
    """Was: 'old 2: Within 14 days of the ceasefire taking effect, each Party shall…' and
    'old 3: Multiple launch rocket systems…' above the redline holding the same text."""
    plans = FIXTURES / "plans"
    out = run("diff", str(plans / "ceasefire-v1.txt"), str(plans / "ceasefire-v2.txt")).stdout
    start = out.index("2 + 3 → 2  merged")
    block = out[start : out.index("\n\n", start)]
    assert block.split("\n")[1:] == [
        "    2 old points folded into one",
        "    Within [-14-]{+21+} days of the ceasefire taking effect, each Party shall withdraw "
        "all heavy",
        "    weapons of a calibre of 100 mm or more{+, and all multiple launch rocket systems,+} "
        "to a",
        "    distance of at least [-15-]{+25+} kilometres from the line of contact, creating a "
        "security zone",
        "    of [-30-]{+50+} kilometres.",
        "    [-Multiple launch rocket systems shall be withdrawn to a distance of at least 40 "
        "kilometres from",
        "    the line of contact.-]",
        "    ≠ duration: Within 14 days → Within 21 days",
        "    ≠ number: 15 → 25",
        "    ≠ number: 30 → 50",
        "    ≠ number: 40 → (none)",
    ]
    start = out.index("6 → 6 + 7  split")
    block = out[start : out.index("\n\n", start)]
    assert "new 6:" not in block and "new 7:" not in block
    assert block.count("civilians detained in connection") == 1


def test_no_differences_has_no_method_footer(plans: Path) -> None:
    """Was: the 'Automatic matches need 50%…' paragraph after 'No differences'."""
    out = run("diff", "a.txt", "a.txt", "--no-pager").stdout
    assert out.endswith(
        "Points: 3 → 3: same number, all known.\n"
        "No differences: 3 points unchanged.\n"
        "\n"
        "  ⋯ 3 unchanged points (1–3) not shown\n"
    )
    md = run("diff", "a.txt", "a.txt", "--format", "markdown").stdout
    assert "Automatic matches" not in md and "*Key:*" not in md


def test_show_prints_a_verbatim_point_once(tmp_path: Path) -> None:
    """Was: '1. The ceasefire starts at noon on 1 May.  [p1]' then '“The ceasefire starts at
    noon on 1 May.” — A, [a @3–41]' beneath it."""
    registry = tmp_path / "reg"
    (tmp_path / "a.txt").write_text(OLD)
    run("init", str(registry))
    run(
        "version",
        "add",
        "a",
        "--title",
        "A",
        "--from-text",
        str(tmp_path / "a.txt"),
        registry=registry,
    )
    out = run("show", "a", registry=registry).stdout
    assert out == (
        "a  A\n"
        "date: unknown · points: 3 known of ? declared · text: full\n"
        "points cut from a: cut at `N.` markers, column 0: 3 points, 1–3\n"
        "\n"
        "Points\n"
        "1. The ceasefire starts at noon on 1 May.  [1] @3–41  [p1]\n"
        "2. Prisoners are exchanged within 30 days.  [1] @45–84  [p2]\n"
        "3. Roads reopen.  [1] @88–101  [p3]\n"
        "\n"
        "Sources\n"
        "[1] A — date unknown  a\n"
    )


SGR = re.compile(r"\x1b\[([0-9;]*)m")


def _style_of(out: str, text: str) -> str:
    """The SGR parameters in force where ``text`` first appears as a styled run."""
    at = out.index(f"m{text}\x1b[0m")
    return SGR.findall(out[: at + 1])[-1]


def test_changed_figures_have_one_style_and_no_reverse_video() -> None:
    """Was: '15' in bold reverse video while '14' (of 'Within 14 days') was not highlighted."""
    plans = FIXTURES / "plans"
    out = run(
        "diff", str(plans / "ceasefire-v1.txt"), str(plans / "ceasefire-v2.txt"), color=True
    ).stdout
    assert not any("7" in codes.split(";") for codes in SGR.findall(out))
    out = out[out.index("2 + 3 → 2") :]  # the merged block: 'Within 14 days', '15', '30'
    deleted = {_style_of(out, figure) for figure in ("14", "15", "30")}
    inserted = {_style_of(out, figure) for figure in ("21", "25", "50")}
    assert deleted == {"1;9;31"} and inserted == {"1;4;32"}


def test_markdown_has_a_legend_and_bold_only_for_insertions() -> None:
    """Was: no legend, and '**3.** A Joint Commission…': bold for a point number as for an
    insertion."""
    plans = FIXTURES / "plans"
    md = run(
        "diff",
        str(plans / "ceasefire-v1.txt"),
        str(plans / "ceasefire-v2.txt"),
        "--format",
        "markdown",
    ).stdout
    assert md.count(markdown.LEGEND) == 1
    assert md.index(markdown.LEGEND) < md.index("## Changes")
    assert "\n3\\. A Joint Commission composed of representatives" in md
    assert not re.search(r"\*\*[^*]*\d\.\*\*", md)  # no bold point number anywhere


def test_untitled_source_is_named_by_its_first_words() -> None:
    """Was: '[2] (untitled) — date unknown  000_01fd698e422cb727'."""
    name = "“The delegations of Ukraine and the United States held…”"
    out = run("diff", "us-28", "geneva-19", "--no-pager").stdout
    assert out.endswith(f"  [2] {name} — date unknown  000_01fd698e422cb727\n")
    md = run("diff", "us-28", "geneva-19", "--format", "markdown").stdout
    assert md.endswith(f"2. {name} — date unknown, source 000\\_01fd698e422cb727\n")
    log = run("log").stdout
    assert f"  [2] {name} — date unknown  000_01fd698e422cb727\n" in log
    trace = run("trace", "us-28:territory").stdout
    assert f"  [2] {name} — date unknown  000_01fd698e422cb727\n" in trace
    shown = run("show", "geneva-19").stdout
    assert shown.endswith(f"[2] {name} — date unknown  000_01fd698e422cb727\n")
    alone = run("show", "000_01fd698e422cb727").stdout
    assert alone.startswith(f"000_01fd698e422cb727\nbegins: {name}\nlanguage: en\n")
    sources = run("sources").stdout
    assert "(untitled)" not in sources and "“The delegations of" in sources
    for text in (out, md, log, trace, shown, sources):
        assert "(untitled)" not in text


def test_first_words_are_escaped() -> None:
    note = SourceNote("s", opening="**Bold** [x](javascript:alert(1)) <script>")
    notes = Footnotes()
    notes.cite(note)
    lines = markdown._sources(notes)
    assert lines[2] == (
        "1. “\\*\\*Bold\\*\\* \\[x\\](javascript:alert(1)) \\<script\\>” — date unknown, source s"
    )
