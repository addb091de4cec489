"""``--points``: forcing the point markers of a text side, and the errors it can give."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli_diff import run

LICENCE = (
    "Preamble: we protect your rights with two steps: (1) copyright the software, and\n"
    "(2) offer you this license which gives you legal permission to copy it.\n\n"
    + "".join(f"  {n}. Section {n} says that the licensee may do thing {n}.\n\n" for n in range(4))
)


@pytest.fixture
def sides(tmp_path: Path) -> tuple[str, str]:
    old, new = tmp_path / "old.txt", tmp_path / "new.txt"
    old.write_text(LICENCE, encoding="utf-8")
    new.write_text(LICENCE.replace("thing 2", "something 2"), encoding="utf-8")
    return str(old), str(new)


def _cut(output: str, side: str) -> dict:
    return json.loads(output)[side]["segmentation"]


def test_the_guess_is_shown_per_side(sides: tuple[str, str]) -> None:
    result = run("diff", *sides, "--format", "json")
    assert result.exit_code == 0, result.output
    cut = _cut(result.stdout, "old")
    assert (cut["style"], cut["column"], cut["count"], cut["first"], cut["last"]) == (
        "number-dot",
        2,
        4,
        "0",
        "3",
    )
    assert cut["description"].startswith("cut at `N.` markers, column 2: 4 points, 0–3")
    text = run("diff", *sides).stdout
    assert "cut at `N.` markers, column 2: 4 points, 0–3" in text


def test_a_named_style_forces_the_series(sides: tuple[str, str]) -> None:
    result = run("diff", *sides, "--format", "json", "--points", "paren-number")
    assert result.exit_code == 0, result.output
    cut = _cut(result.stdout, "new")
    assert (cut["style"], cut["count"], cut["forced"]) == ("paren-number", 1, True)


def test_a_regular_expression_forces_the_series(sides: tuple[str, str]) -> None:
    result = run("diff", *sides, "--format", "json", "--points", r"\s*(\d+)\.")
    assert result.exit_code == 0, result.output
    cut = _cut(result.stdout, "old")
    assert (cut["style"], cut["count"], cut["first"], cut["last"]) == ("pattern", 4, "0", "3")


@pytest.mark.parametrize(
    ("points", "message"),
    [
        ("(", "--points '(': neither a style"),
        ("x*", "--points 'x*': the expression matches an empty line"),
        ("Clause \\d", "matches no line of the text"),
    ],
)
def test_a_bad_points_option_is_a_one_line_error(
    sides: tuple[str, str], points: str, message: str
) -> None:
    result = run("diff", *sides, "--points", points)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert message in result.stderr and result.stderr.count("\n") == 1


def test_points_needs_a_text_side() -> None:
    result = run("diff", "us-28", "geneva-19", "--points", "number-dot")
    assert result.exit_code == 2
    assert "--points applies to plan text files" in result.stderr


def test_structure_warning_opens_the_report(tmp_path: Path) -> None:
    prose = "The negotiators met again and talked at length about the plan. " * 40
    text = prose + "\n\n1. The only point.\n2. Another point.\n"
    old, new = tmp_path / "a.txt", tmp_path / "b.txt"
    old.write_text(text, encoding="utf-8")
    new.write_text(text.replace("only", "single"), encoding="utf-8")
    report = run("diff", str(old), str(new), width=1000).stdout
    warning = report.index("warning: ")
    assert "98% of the text is outside the 2 point(s) found" in report[warning:]
    assert warning < report.index("reworded  (automatic")


def test_version_add_from_text_takes_points(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandiff.cli import Env, cli

    plan = tmp_path / "plan.txt"
    plan.write_text("Intro.\n\n(1) One.\n(2) Two.\n1. a sub-item\n", encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["init", str(tmp_path / "reg")], obj=Env()).exit_code == 0
    base = ["--registry", str(tmp_path / "reg"), "version", "add"]
    args = ["--title", "T", "--from-text", str(plan)]
    result = runner.invoke(cli, [*base, "v1", *args, "--points", "number-dot"], obj=Env())
    assert result.exit_code == 0, result.output
    assert "(full, 1 point(s))" in result.stdout
    result = runner.invoke(cli, [*base, "v2", *args, "--points", "("], obj=Env())
    assert result.exit_code == 2 and "neither a style" in result.stderr
    result = runner.invoke(cli, [*base, "v3", "--title", "T", "--points", "bullet"], obj=Env())
    assert result.exit_code == 2 and "--points only goes with --from-text" in result.stderr


def test_show_says_how_a_version_was_cut_and_never_guesses_a_forced_cut(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from plandiff.cli import Env, cli

    plan = tmp_path / "plan.txt"
    plan.write_text(LICENCE, encoding="utf-8")
    runner = CliRunner()
    registry = str(tmp_path / "reg")
    assert runner.invoke(cli, ["init", registry], obj=Env()).exit_code == 0
    add = ["--registry", registry, "version", "add"]
    guessed = runner.invoke(cli, [*add, "g", "--title", "T", "--from-text", str(plan)], obj=Env())
    assert guessed.exit_code == 0, guessed.output
    forcing = ["--from-text", str(plan), "--source-id", "plan2", "--points", "paren-number"]
    forced = runner.invoke(cli, [*add, "f", "--title", "T", *forcing], obj=Env())
    assert forced.exit_code == 0, forced.output

    def show(version: str) -> dict:
        result = runner.invoke(cli, ["--registry", registry, "show", version, "--format", "json"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert show("g")["cut"].startswith("cut at `N.` markers, column 2: 4 points, 0–3")
    assert show("f")["cut"] == (
        "not as plandiff cuts 'plan2' today: the points were forced with --points or edited since"
    )
    text = runner.invoke(cli, ["--registry", registry, "show", "g"], obj=Env(width=200)).stdout
    assert "points cut from plan: cut at `N.` markers, column 2: 4 points, 0–3" in text
