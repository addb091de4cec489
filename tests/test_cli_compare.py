"""``plandiff compare V1 V2 V3 …``: the lineage table in the terminal, Markdown, JSON and
HTML."""

from __future__ import annotations

import io
import json
import re

import click
import jsonschema
import pytest
from click.testing import CliRunner

from plandiff.cli import Env, cli
from plandiff.cli.compare_cmd import lineage_ids
from plandiff.compare import table
from plandiff.kinds import KindFilter
from plandiff.render import compare as render
from plandiff.render.console import report_console
from plandiff.render.html import compare as html_render
from tests.helpers import FIXTURES, REPO, SEEDS
from tests.html_pages import audit
from tests.sample_results import HOSTILE, hostile

CHARTER = tuple(f"fixtures/plans/charter-v{n}.txt" for n in (1, 2, 3))
BUNDLED = ("us-28", "geneva-19")
SCHEMA = json.loads((REPO / "schemas" / "plandiff-compare.schema.json").read_text("utf-8"))


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)


def run(*args: str, color: bool = False, stdin: str | None = None) -> click.testing.Result:
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(
        cli,
        ["--registry", str(SEEDS), *args],
        obj=Env(width=100, color=color),
        env=environ,
        input=stdin,
        prog_name="plandiff",
    )


CHARTER_STEPS = [
    "fixtures-plans-charter-v1.txt → fixtures-plans-charter-v2.txt: Changes: 5 unchanged, 1 "
    "reworded, 1",
    "merged, 1 split, 1 added, 1 removed, preamble reworded",
    "fixtures-plans-charter-v2.txt → fixtures-plans-charter-v3.txt: Changes: 6 unchanged, 1 "
    "reworded, 1",
    "merged, 1 added, 1 removed, 1 moved, preamble reworded",
    "",
    "A number alone: the point is unchanged at that step. — not in that version; ? not reported "
    "by a",
    "partly known version. Kinds are found by the alignment unless marked (curated).",
]


def test_fixture_lineage_as_a_text_table() -> None:
    result = run("compare", *CHARTER)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "plandiff compare  fixtures-plans-charter-v1.txt → fixtures-plans-charter-v2.txt →",
        "fixtures-plans-charter-v3.txt",
        "",
        "fixtures-plans-charter-v1.txt   fixtures-plans-charter-v2.txt   "
        "fixtures-plans-charter-v3.txt",
        "10 points                       10 points                       9 points",
        "─" * 93,
        "9                               9                               2  moved",
        "2                               2                               3  renumbered",
        "3                               3  reworded                     4  renumbered",
        "4                               4  merged with 5                5  renumbered",
        "5                               4  merged with 4                5  renumbered",
        "6                               5  renumbered                   —  removed",
        "7                               —  removed                      —",
        "8                               6 + 7  split, renumbered        6  merged",
        "—                               8  added                        7  reworded, renumbered",
        "—                               —                               8  added",
        "10                              10                              9  renumbered",
        "⋯ 1 point unchanged in every version (1)",
        "",
        *CHARTER_STEPS,
    ]
    assert result.stderr == ""


def test_show_unchanged_lists_the_folded_rows() -> None:
    result = run("compare", *CHARTER, "--show-unchanged")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[6] == "1                               1                               1"
    assert not any(line.startswith("⋯") for line in lines)


def test_kind_keeps_the_rows_with_such_a_change_at_some_step() -> None:
    result = run("compare", *CHARTER, "--kind", "merged,removed")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[6:12]] == ["4", "5", "6", "7", "8", "Showing"]
    assert lines[11] == "Showing merged, removed: 5 of 12 rows."


def test_bundled_lineage_marks_unreported_and_curated() -> None:
    result = run("compare", *BUNDLED)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:10] == [
        "plandiff compare  us-28 → geneva-19",
        "",
        "us-28                  geneva-19",
        "28 declared, 4 known   19 declared, 0 known",
        "─" * 44,
        "territory              —  deferred (curated)",
        "armed-forces           ?  unreported",
        "us-guarantees          ?  unreported",
        "economy                ?  unreported",
        "",
    ]


def test_exit_code_says_whether_any_step_differs() -> None:
    assert run("compare", *CHARTER, "--exit-code").exit_code == 1
    same = run("compare", "us-28", "us-28", "--exit-code")
    assert same.exit_code == 0, same.output
    assert "us-28 → us-28: No differences: 4 points unchanged." in same.stdout


def test_a_plan_text_on_standard_input() -> None:
    text = (FIXTURES / "plans" / "charter-v2.txt").read_text(encoding="utf-8")
    result = run("compare", CHARTER[0], "-", CHARTER[2], stdin=text)
    assert result.exit_code == 0, result.output
    assert re.search(r"^8 +6 \+ 7  split, renumbered +6  merged$", result.stdout, re.M)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [CHARTER[0]],
            "plandiff: compare needs at least two versions, oldest first (got only "
            "'fixtures/plans/charter-v1.txt') (usage: plandiff compare [OPTIONS] V1 [V2 …]; "
            "see 'plandiff compare --help')",
        ),
        ([CHARTER[0], "nope.txt"], "plandiff: 'nope.txt': no such file"),
        (["us-28", "nope"], "plandiff: unknown version 'nope'"),
        ([*BUNDLED, "-", "-"], "plandiff: '-' (standard input) can be only one of the versions"),
        (
            [*BUNDLED, "--format", "json", "--show-unchanged"],
            "plandiff: --show-unchanged applies to text, markdown and html, not json (usage: "
            "plandiff compare [OPTIONS] V1 [V2 …]; see 'plandiff compare --help')",
        ),
        (
            [*BUNDLED, "--kind", "merged", "--show-unchanged"],
            "plandiff: --show-unchanged and --kind pick rows in two ways: give one (usage: "
            "plandiff compare [OPTIONS] V1 [V2 …]; see 'plandiff compare --help')",
        ),
        (
            [*BUNDLED, "--kind", "nope"],
            "plandiff: Invalid value for '--kind': unknown change kind 'nope' (choose from "
            "unchanged, reworded, merged, split, added, removed, unreported, replaced, deferred, "
            "moved) "
            "(usage: plandiff compare [OPTIONS] V1 [V2 …]; see 'plandiff compare --help')",
        ),
    ],
)
def test_bad_input_is_one_line_naming_it_and_status_2(args: list[str], message: str) -> None:
    result = run("compare", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[:1] == [message] and "Traceback" not in result.stderr


def test_the_same_file_twice_gets_an_id_per_place() -> None:
    result = run("compare", CHARTER[0], CHARTER[0], "--format", "json")
    assert result.exit_code == 0, result.output
    ids = [v["id"] for v in json.loads(result.stdout)["versions"]]
    assert ids == ["fixtures-plans-charter-v1.txt-1", "fixtures-plans-charter-v1.txt-2"]
    assert lineage_ids([("a.txt", True), ("us-28", False), ("b.txt", True)]) == [None] * 3
    assert lineage_ids([("a.txt", True), ("a", False), ("a.txt", True)]) == [
        "a.txt-1",
        None,
        "a.txt-3",
    ]


def test_help_has_an_example() -> None:
    result = run("compare", "--help")
    assert result.exit_code == 0
    assert "  plandiff compare charter-v1.txt charter-v2.txt charter-v3.txt\n" in result.stdout
    assert "  plandiff compare geneva-19\n" in result.stdout


def test_one_version_stands_for_its_lineage() -> None:
    alone = run("compare", "geneva-19")
    assert alone.exit_code == 0, alone.output
    assert alone.stdout == run("compare", *BUNDLED).stdout
    first = run("compare", "us-28")
    assert first.exit_code == 2
    assert first.stderr.startswith(
        "plandiff: 'us-28' derives from no recorded version: name two versions or more, oldest "
        "first"
    )
    assert run("compare", "nope").stderr == "plandiff: unknown version 'nope'\n"


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize(("name", "args"), [("charter", CHARTER), ("us-28-geneva-19", BUNDLED)])
def test_goldens(golden, name: str, args: tuple[str, ...]) -> None:
    for fmt, suffix, color in (
        ("text", "plain.txt", False),
        ("text", "color.txt", True),
        ("markdown", "md", False),
        ("json", "json", False),
        ("html", "html", False),
    ):
        result = run("compare", *args, "--format", fmt, color=color)
        assert result.exit_code == 0, result.output
        golden(f"compare-{name}.{suffix}", result.stdout)


# --------------------------------------------------------------------------- JSON


@pytest.mark.parametrize("args", [CHARTER, BUNDLED, (*CHARTER, "--kind", "split")])
def test_json_validates_against_the_committed_schema(args: tuple[str, ...]) -> None:
    result = run("compare", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    assert [v["id"] for v in doc["versions"]] == [
        a.replace("/", "-") if a.endswith(".txt") else a for a in args if not a.startswith("-")
    ][: len(doc["versions"])]


def test_json_rows_hold_every_point_and_the_same_facts_as_the_text() -> None:
    doc = json.loads(run("compare", *CHARTER, "--format", "json").stdout)
    assert len(doc["rows"]) == 12  # nothing folded in JSON
    merged = doc["rows"][4]["cells"][1]  # row 0 is point 1, unchanged throughout
    assert merged["state"] == "present"
    assert [p["label"] for p in merged["points"]] == ["4"]
    assert merged["merged_with"] == ["5"]
    assert merged["changes"][0]["kind"] == "merged" and merged["changes"][0]["old"] == ["4", "5"]
    assert merged["text"] == "4  merged with 5"
    assert doc["rows"][7]["cells"][2] == {  # the fishing season, removed a step before
        "version": "fixtures-plans-charter-v3.txt",
        "state": "absent",
        "points": [],
        "changes": [],
        "merged_with": [],
        "text": "—",
    }
    assert [s["summary"]["merged"] for s in doc["steps"]] == [1, 1]


def test_schema_rejects_a_cell_without_state() -> None:
    doc = json.loads(run("compare", *BUNDLED, "--format", "json").stdout)
    del doc["rows"][0]["cells"][0]["state"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator(SCHEMA).validate(doc)


# --------------------------------------------------------------------------- untrusted text


def test_untrusted_text_is_data_in_every_format() -> None:
    t = table([hostile()])
    view = render.grid(t, show_unchanged=True)
    console = report_console(io.StringIO(), 100, False, {})
    with console.capture() as capture:
        console.print(render.terminal(view))
    text = capture.get()
    assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text
    assert "[bold red]x[/]" in text  # markup shown as written, not applied
    markdown = render.markdown(view)
    assert "<script>" not in markdown and "\x1b" not in markdown
    assert r"\<script\>" in markdown
    doc = json.loads(render.json(t))
    assert doc["versions"][0]["title"].endswith(HOSTILE)
    assert "\x1b" not in render.json(t)
    page = audit(html_render.page(view))  # no element or attribute came from the data
    assert "<script>alert(1)</script>" in page.text_content()  # shown as text


@pytest.mark.parametrize("args", [CHARTER, BUNDLED])
def test_html_is_a_whole_page_with_the_table_the_text_shows(args: tuple[str, ...]) -> None:
    result = run("compare", *args, "--format", "html", "--show-unchanged")
    assert result.exit_code == 0, result.output
    page = audit(result.stdout)
    doc = json.loads(run("compare", *args, "--format", "json").stdout)
    rows = page.xpath("//table[@class='lineage']/tbody/tr")
    assert len(rows) == len(doc["rows"])
    cells = [[" ".join(td.text_content().split()) for td in tr.xpath("td")] for tr in rows]
    assert cells == [[" ".join(c["text"].split()) for c in r["cells"]] for r in doc["rows"]]


def test_kind_filter_in_json_keeps_matching_rows_only() -> None:
    t = table([hostile()])
    doc = render.document(t, KindFilter.parse(["removed"]))
    assert [c.state.value for r in doc.rows for c in r.cells] == ["present", "absent"]
