"""``plandiff diff``: every option and exit status, goldens of the report, pager and colour rules.

Goldens (tests/golden/) are the report as users see it, at a fixed width of 100 columns, plain
and coloured, for the bundled registry and for the fixture pair of full plan texts. They change
only with ``pytest --update-goldens``.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from plandiff.cli import COMMANDS, EXIT_STATUS_HELP, Env, ExitStatus, cli
from plandiff.cli import output as out
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES, SEEDS

V1 = str(FIXTURES / "plans" / "ceasefire-v1.txt")
V2 = str(FIXTURES / "plans" / "ceasefire-v2.txt")
REL_V1 = "fixtures/plans/ceasefire-v1.txt"
REL_V2 = "fixtures/plans/ceasefire-v2.txt"
REPO = FIXTURES.parent
ESCAPE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(
    *args: str, color: bool | None = False, width: int | None = 100, env: dict | None = None
) -> click.testing.Result:
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run", **(env or {})}
    return CliRunner().invoke(
        cli, ["--registry", str(SEEDS), *args], obj=Env(width=width, color=color), env=environ
    )


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Run from the repository root, so file arguments (and the report) use relative paths."""
    monkeypatch.chdir(REPO)


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_golden_bundled_registry(golden, color: bool) -> None:
    result = run("diff", "us-28", "geneva-19", color=color)
    assert result.exit_code == 0, result.output
    golden(f"diff-us-28-geneva-19.{'color' if color else 'plain'}.txt", result.stdout)


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_golden_bundled_registry_show_unreported(golden, color: bool) -> None:
    """--show-unreported gives the report as it was before unreported points were folded:
    its golden is that report, byte for byte."""
    result = run("diff", "us-28", "geneva-19", "--show-unreported", color=color)
    assert result.exit_code == 0, result.output
    suffix = "color" if color else "plain"
    golden(f"diff-us-28-geneva-19.show-unreported.{suffix}.txt", result.stdout)


def test_golden_markdown_show_unreported(golden) -> None:
    result = run("diff", "us-28", "geneva-19", "--format", "markdown", "--show-unreported")
    assert result.exit_code == 0, result.output
    golden("diff-us-28-geneva-19.show-unreported.md", result.stdout)


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_golden_fixture_pair(golden, in_repo, color: bool) -> None:
    result = run("diff", REL_V1, REL_V2, color=color)
    assert result.exit_code == 0, result.output
    golden(f"diff-ceasefire.{'color' if color else 'plain'}.txt", result.stdout)


def test_golden_fixture_pair_side_by_side(golden, in_repo) -> None:
    result = run("diff", REL_V1, REL_V2, "--side-by-side", width=120)
    assert result.exit_code == 0, result.output
    golden("diff-ceasefire.side-by-side.txt", result.stdout)


@pytest.mark.parametrize(
    ("name", "args"),
    [("diff-us-28-geneva-19.md", ("us-28", "geneva-19")), ("diff-ceasefire.md", (REL_V1, REL_V2))],
)
def test_golden_markdown(golden, in_repo, name: str, args: tuple[str, str]) -> None:
    result = run("diff", *args, "--format", "markdown")
    assert result.exit_code == 0, result.output
    golden(name, result.stdout)


# --------------------------------------------------------------------------- what the report says


def test_report_reads_for_a_newcomer() -> None:
    text = run("diff", "us-28", "geneva-19").stdout
    assert "old  us-28  US 28-point peace plan" in text
    assert (
        "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).\n"
        "Known: 4 of the 28 old points (described) and none of the 19 new points.\n"
    ) in text
    assert "Changes: 1 deferred, 3 unreported" in text
    assert "geneva-19 is only partly known" in text  # what is unknown
    assert "Sources\n  [1] Zelenskyy, Rubio, and Rutte joined a virtual meeting" in text
    assert "(curated)" in text and "note: The 28-point plan provided" in text


def test_report_of_full_texts_shows_every_kind_of_change(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2).stdout
    for heading in (
        "2 + 3 → 2  merged",
        "6 → 6 + 7  split",
        "11 → 3  unchanged, moved",
        "12 → 10  reworded, moved",
        "9 → 11  reworded, renumbered",
        "15 → —  removed",
        "— → 15  added",
    ):
        assert heading in text
    assert "[-400-]{+600+}" in text
    assert "≠ amount: USD 2 billion → USD 3.5 billion" in text
    assert "⋯ 2 unchanged points (8–9) not shown" in text


def test_show_unchanged_lists_every_point(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, "--show-unchanged").stdout
    assert "not shown" not in text
    assert "5 → 5  unchanged  The Monitoring Mission shall report" in text


def test_context_shows_n_unchanged_points_around_changes(in_repo) -> None:
    # In the fixture pair every unchanged point stands next to a change.
    none = run("diff", REL_V1, REL_V2, "--context", "0").stdout
    assert none == run("diff", REL_V1, REL_V2).stdout
    one = run("diff", REL_V1, REL_V2, "--context", "1").stdout
    assert "not shown" not in one
    for label in ("5 → 5", "7 → 8", "8 → 9", "13 → 13", "16 → 16"):
        assert f"  {label}  unchanged  " in one
    assert run("diff", REL_V1, REL_V2, "-U", "1").stdout == one


def test_side_by_side_puts_old_and_new_in_columns(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, "--side-by-side", width=120).stdout
    line = next(x for x in text.splitlines() if "[-400-]" in x)
    assert "{+600+}" in line and line.index("[-400-]") < line.index("{+600+}")
    assert max(len(x) for x in text.splitlines()) <= 120


@pytest.mark.parametrize("width", [60, 80, 140])
def test_width_is_honoured(in_repo, width: int) -> None:
    text = run("diff", REL_V1, REL_V2, width=width).stdout
    assert max(len(x) for x in text.splitlines()) <= width


def test_columns_sets_the_width_when_not_a_terminal(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, width=None, env={"COLUMNS": "70"}).stdout
    assert max(len(x) for x in text.splitlines()) <= 70


# --------------------------------------------------------------------------- formats


def test_json_is_the_documented_contract() -> None:
    result = run("diff", "us-28", "geneva-19", "--format", "json")
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["declared"] == {"old": 28, "new": 19, "old_unaccounted": 24, "new_unaccounted": 19}
    assert [c["kind"] for c in doc["changes"]] == ["deferred"] + ["unreported"] * 3


def test_markdown_has_table_redlines_and_quotes(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, "--format", "markdown").stdout
    assert "| Change | Count |" in text
    assert "~~400~~**600**" in text
    assert text.startswith("# fixtures-plans-ceasefire-v1.txt → fixtures-plans-ceasefire-v2.txt")
    seed = run("diff", "us-28", "geneva-19", "--format", "markdown").stdout
    assert "> which provides for territorial concessions" in seed


def test_markdown_show_unchanged(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, "--format", "markdown", "--show-unchanged").stdout
    assert "not shown" not in text


def test_xml_format_writes_the_archive_bytes() -> None:
    result = run("diff", "us-28", "geneva-19", "--format", "xml")
    assert result.exit_code == 0
    assert result.stdout_bytes.startswith(b"<?xml")
    assert b"<diff" in result.stdout_bytes


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "json", "--side-by-side"), "--side-by-side applies to --format text"),
        (("--format", "markdown", "--context", "2"), "--context applies to --format text"),
        (
            ("--format", "json", "--show-unchanged"),
            "--show-unchanged applies to text, markdown and html",
        ),
        (
            ("--format", "xml", "--show-unreported"),
            "--show-unreported applies to text, markdown and html",
        ),
        (("--format", "yaml"), "Invalid value for '--format'"),
        (("--context", "-1"), "Invalid value for '-U' / '--context'"),
    ],
)
def test_option_misuse_is_a_usage_error(args: tuple[str, ...], message: str) -> None:
    result = run("diff", "us-28", "geneva-19", *args)
    assert result.exit_code == ExitStatus.ERROR
    assert message in result.stderr
    assert result.stdout == ""


# --------------------------------------------------------------------------- exit statuses, errors


def test_exit_code_reports_differences() -> None:
    assert run("diff", "us-28", "geneva-19").exit_code == ExitStatus.OK
    assert run("diff", "us-28", "geneva-19", "--exit-code").exit_code == ExitStatus.DIFFERENCES
    same = run("diff", "us-28", "us-28", "--exit-code")
    assert same.exit_code == ExitStatus.OK
    assert "No differences: 4 points unchanged." in same.stdout


def test_exit_code_for_identical_files(in_repo) -> None:
    result = run("diff", REL_V1, REL_V1, "--exit-code")
    assert result.exit_code == ExitStatus.OK
    assert (
        "fixtures-plans-ceasefire-v1.txt-old → fixtures-plans-ceasefire-v1.txt-new" in result.stdout
    )
    assert run("diff", REL_V1, REL_V2, "--exit-code").exit_code == ExitStatus.DIFFERENCES


def test_same_named_files_get_the_ids_that_diff_texts_gives(tmp_path: Path, monkeypatch) -> None:
    # Ids come from the path as given: "plan.txt" and "../plan.txt" both reduce to "plan.txt",
    # "w/plan.txt" and "../b/plan.txt" do not clash. The command names each pair as the library
    # does: both files take a suffix for a clash (-old and -new), neither does otherwise.
    for folder in ("a", "b", "a/w"):
        (tmp_path / folder).mkdir()
    (tmp_path / "plan.txt").write_text("1. Troops stay.\n", encoding="utf-8")
    (tmp_path / "a" / "plan.txt").write_text("1. Troops withdraw.\n", encoding="utf-8")
    (tmp_path / "a" / "w" / "plan.txt").write_text("1. Troops withdraw now.\n", encoding="utf-8")
    (tmp_path / "b" / "plan.txt").write_text("1. Troops withdraw at once.\n", encoding="utf-8")
    expected = {
        ("plan.txt", "../plan.txt"): ("plan.txt-old", "plan.txt-new"),
        ("./plan.txt", "../plan.txt"): ("plan.txt-old", "plan.txt-new"),
        ("w/plan.txt", "w/plan.txt"): ("w-plan.txt-old", "w-plan.txt-new"),
        ("w/plan.txt", "../b/plan.txt"): ("w-plan.txt", "b-plan.txt"),
    }
    monkeypatch.chdir(tmp_path / "a")
    for (old, new), ids in expected.items():
        doc = json.loads(run("diff", old, new, "--format", "json").stdout)
        library = diff_texts(
            Path(old).read_text(encoding="utf-8"),
            Path(new).read_text(encoding="utf-8"),
            old_name=old,
            new_name=new,
        )
        assert (doc["old"]["id"], doc["new"]["id"]) == (library.old.id, library.new.id) == ids


def test_unknown_version_suggests_the_closest_ids() -> None:
    result = run("diff", "us-27", "geneva-19")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "plandiff: unknown version 'us-27'; did you mean 'us-28'?\n"
    assert result.stdout == ""


def test_missing_file_is_an_error_never_text() -> None:
    result = run("diff", "missing/plan.txt", "geneva-19")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "plandiff: 'missing/plan.txt': no such file\n"


def test_directory_is_an_error(tmp_path: Path) -> None:
    result = run("diff", str(tmp_path), V2)
    assert result.exit_code == ExitStatus.ERROR
    assert "is a directory, not a plan text file" in result.stderr
    assert len(result.stderr.splitlines()) == 1


def test_binary_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"1. a\x00b\n")
    result = run("diff", str(path), V2)
    assert result.exit_code == ExitStatus.ERROR
    assert "not a text file" in result.stderr


def test_a_file_against_a_registry_version_with_the_same_id(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    Path("us-28").write_text("1. Territorial concessions.\n", encoding="utf-8")
    result = run("diff", "us-28", "geneva-19")  # an existing file wins over the version id
    assert result.exit_code == 0, result.output
    assert "old  us-28  us-28" in result.stdout
    # "us-28." reduces to the id "us-28": it must not be confused with the registry's us-28.
    Path("us-28.").write_text("1. Territorial concessions.\n", encoding="utf-8")
    Path("us-28").unlink()
    mixed = run("diff", "us-28.", "us-28")
    assert mixed.exit_code == 0, mixed.output
    assert "plandiff  us-28-old → us-28" in mixed.stdout
    # Only the file takes a suffix: the registry's version keeps its id.
    mixed = run("diff", "us-28", "us-28.")
    assert mixed.exit_code == 0, mixed.output
    assert "plandiff  us-28 → us-28-new" in mixed.stdout


def test_debug_shows_the_traceback() -> None:
    result = CliRunner().invoke(
        cli, ["--registry", str(SEEDS), "--debug", "diff", "us-27", "geneva-19"], obj=Env()
    )
    assert result.exit_code != 0
    assert type(result.exception).__name__ == "NotFoundError"


def test_bad_registry_is_one_line_per_problem(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--registry", str(tmp_path), "diff", "a", "b"], obj=Env())
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith("plandiff: ")
    assert "Traceback" not in result.output


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_help_with_exit_statuses(name: str) -> None:
    result = CliRunner().invoke(cli, [name, "--help"], obj=Env(width=100))
    assert result.exit_code == 0, result.output
    assert f"Usage: cli {name}" in result.stdout or f"Usage: plandiff {name}" in result.stdout
    assert " ".join(EXIT_STATUS_HELP.split()) in " ".join(result.stdout.split())


def test_top_level_help_lists_log_and_trace() -> None:
    result = CliRunner().invoke(cli, ["--help"], obj=Env(width=100))
    assert result.exit_code == 0
    assert "log" in result.stdout and "trace" in result.stdout
    assert "Exit status: 0 success" in result.stdout


def test_diff_help_documents_every_option() -> None:
    text = CliRunner().invoke(cli, ["diff", "--help"], obj=Env(width=100)).stdout
    for option in (
        "--format",
        "--show-unchanged",
        "--show-unreported",
        "--side-by-side",
        "--context",
        "--color / --no-color",
        "--pager / --no-pager",
        "--exit-code",
    ):
        assert option in text
    assert "[text|json|markdown|xml|html]" in text


# --------------------------------------------------------------------------- colour, pipes


def test_no_color_and_a_pipe_give_no_escape_sequences(in_repo) -> None:
    for args in (("us-28", "geneva-19"), (REL_V1, REL_V2, "--side-by-side")):
        result = run("diff", *args, color=None, env={"NO_COLOR": "1"})
        assert result.exit_code == 0
        assert not ESCAPE.search(result.stdout)
        piped = run("diff", *args, color=None)  # CliRunner's stdout is not a terminal
        assert not ESCAPE.search(piped.stdout)
        assert piped.stdout == result.stdout


def test_color_can_be_forced_for_a_pipe_and_overrides_no_color() -> None:
    top = run("--color", "diff", "us-28", "geneva-19", color=None, env={"NO_COLOR": "1"})
    local = run("diff", "--color", "us-28", "geneva-19", color=None, env={"NO_COLOR": "1"})
    assert "\x1b[" in top.stdout and top.stdout == local.stdout
    off = run("diff", "--no-color", "us-28", "geneva-19", color=True)
    assert "\x1b" not in off.stdout


def test_coloured_report_marks_changes_by_style_not_by_brackets(in_repo) -> None:
    text = run("diff", REL_V1, REL_V2, color=True).stdout
    assert "[-400-]" not in text
    assert "\x1b[9;31m" in text or "\x1b[1;7;9;31m" in text  # struck-through red
    assert "\x1b[4;32m" in text or "\x1b[1;4;7;32m" in text  # underlined green


# --------------------------------------------------------------------------- pager


def test_never_pages_when_not_a_terminal(tmp_path: Path) -> None:
    marker = tmp_path / "paged"
    result = run("diff", "us-28", "geneva-19", "--pager", env={"PAGER": f"cat > {marker}"})
    assert result.exit_code == 0
    assert not marker.exists()
    assert "plandiff  us-28 → geneva-19" in result.stdout


@pytest.mark.parametrize(
    ("mode", "isatty", "lines", "expected"),
    [
        (None, True, 100, True),  # long output on a terminal: paged, as git does
        (None, True, 10, False),  # fits on the screen
        (True, True, 10, True),  # --pager
        (False, True, 100, False),  # --no-pager
        (True, False, 100, False),  # never when not a terminal
        (None, False, 100, False),
    ],
)
def test_should_page(mode, isatty, lines, expected) -> None:
    assert out.should_page("x\n" * lines, mode=mode, isatty=isatty, height=40) is expected


def test_pager_command_follows_plandiff_pager_then_pager() -> None:
    assert out.pager_command({}) == "less"
    assert out.pager_command({"PAGER": "more"}) == "more"
    assert out.pager_command({"PAGER": "more", "PLANDIFF_PAGER": "less -S"}) == "less -S"
    assert out.pager_command({"PLANDIFF_PAGER": "", "PAGER": "more"}) is None
    assert out.pager_command({"PAGER": "cat"}) is None


def test_emit_pipes_long_output_through_the_pager(tmp_path: Path, capsys) -> None:
    target = tmp_path / "paged.txt"
    environ = {"PLANDIFF_PAGER": f"cat > '{target}'; echo $LESS > '{target}.less'"}
    text = "line\n" * 50
    out.emit(text, environ=environ, isatty=True, height=20)
    assert target.read_text() == text
    assert (tmp_path / "paged.txt.less").read_text().strip() == "FRX"
    assert capsys.readouterr().out == ""


def test_emit_falls_back_to_stdout_when_the_pager_is_missing(capsys) -> None:
    out.emit("a\n" * 50, environ={"PAGER": "no-such-pager-xyz 2>/dev/null"}, isatty=True, height=5)
    assert capsys.readouterr().out == "a\n" * 50


def test_emit_without_terminal_writes_directly(capsys) -> None:
    out.emit("hello\n", pager=True, environ={"PAGER": "false"}, isatty=False)
    assert capsys.readouterr().out == "hello\n"


def test_two_files_with_a_long_shared_name_get_distinct_ids(tmp_path: Path) -> None:
    # The -new suffix must survive the 128-character limit on ids.
    left, right = tmp_path / "a", tmp_path / "b"
    left.mkdir()
    right.mkdir()
    name = "plan-" + "x" * 200 + ".txt"
    (left / name).write_text("1. Troops withdraw.\n", encoding="utf-8")
    (right / name).write_text("1. Troops withdraw at once.\n", encoding="utf-8")
    for old, new in ((left / name, left / name), (left / name, right / name)):
        doc = json.loads(run("diff", str(old), str(new), "--format", "json").stdout)
        ids = doc["old"]["id"], doc["new"]["id"]
        assert ids[0] != ids[1] and all(len(i) <= 128 for i in ids)
    result = diff_texts("1. a\n", "1. b\n", old_name=name, new_name=name)
    assert result.old.id != result.new.id and result.new.id.endswith("-new")


def test_exit_status_help_names_every_status() -> None:
    for status in ExitStatus:
        assert str(int(status)) in EXIT_STATUS_HELP


def test_a_plan_file_with_more_points_than_allowed_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from plandiff import texts

    assert texts.MAX_POINTS == 100_000
    (tmp_path / "small.txt").write_text("1. One.\n2. Two.\n", encoding="utf-8")
    (tmp_path / "big.txt").write_text("".join(f"{n}. Point.\n" for n in range(1, 7)))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PLANDIFF_MAX_POINTS", "5")
    for args in (["small.txt", "big.txt"], ["big.txt", "small.txt"]):
        result = CliRunner().invoke(cli, ["diff", *args])
        assert result.exit_code == ExitStatus.ERROR
        assert result.stderr == (
            "plandiff: 'big.txt': 6 points, more than the 5 allowed "
            "(set PLANDIFF_MAX_POINTS to raise the limit)\n"
        )
    monkeypatch.setenv("PLANDIFF_MAX_POINTS", "6")
    assert CliRunner().invoke(cli, ["diff", "small.txt", "big.txt"]).exit_code == ExitStatus.OK
    monkeypatch.setenv("PLANDIFF_MAX_POINTS", "lots")
    result = CliRunner().invoke(cli, ["diff", "small.txt", "big.txt"])
    assert result.exit_code == ExitStatus.ERROR
    assert (
        result.stderr == "plandiff: PLANDIFF_MAX_POINTS: 'lots' is not a whole number of points\n"
    )


def test_golden_fixture_with_sub_items_side_by_side(golden, in_repo) -> None:
    """Side-by-side rows pair the items of a point: item beside item, an empty cell beside an
    item on one side only, so the columns never drift apart."""
    args = ("fixtures/plans/contract-v1.txt", "fixtures/plans/contract-v2.txt")
    result = run("diff", *args, "--side-by-side", width=100)
    assert result.exit_code == 0, result.output
    golden("diff-contract.side-by-side.txt", result.stdout)
