"""click's own errors: one ``plandiff: …`` line on stderr, like every other error, exit status 2.

click prints a usage error as three lines (usage, help hint, ``Error: …``); plandiff prints the
message first, then the usage and where to find help, on one line, with any control character
the user typed made visible. Each kind of usage error is checked through ``CliRunner`` (which
tests use) and a few through ``python -m plandiff`` (which users run).
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

import plandiff
from plandiff.cli import COMMANDS, Env, ExitStatus, cli
from tests.helpers import REPO, SEEDS

#: The whole of stderr for a usage error: message, then usage and help hint of the command.
USAGE_ERROR = re.compile(
    r"plandiff: (?P<message>.+) \(usage: (?P<path>plandiff(?: \w+)*) (?P<usage>[^;]*); "
    r"see '(?P=path) --help'\)\n"
)
RAW_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def run(*args: str, color: bool = False) -> Result:
    return CliRunner().invoke(
        cli,
        ["--registry", str(SEEDS), *args],
        prog_name="plandiff",
        obj=Env(width=100, color=color),
        env={"NO_COLOR": None},
        color=color,
    )


def usage_error(result: Result) -> re.Match[str]:
    """Exit status 2, nothing on stdout, exactly one well-formed line on stderr."""
    assert result.exit_code == ExitStatus.ERROR, (result.exit_code, result.output)
    assert result.stdout == ""
    match = USAGE_ERROR.fullmatch(result.stderr)
    assert match, result.stderr
    assert not RAW_CONTROL.search(result.stderr.removesuffix("\n")), result.stderr
    return match


@pytest.mark.parametrize(
    ("args", "message", "usage"),
    [
        # missing argument
        (["diff"], "Missing argument 'OLD'.", "plandiff diff [OPTIONS] OLD NEW"),
        # bad option value (a click type)
        (
            ["diff", "us-28", "geneva-19", "--format", "pdf"],
            "Invalid value for '--format': 'pdf' is not one of 'text', 'json', 'markdown', "
            "'xml', 'html'.",
            "plandiff diff [OPTIONS] OLD NEW",
        ),
        (
            ["diff", "us-28", "geneva-19", "-U", "x"],
            "Invalid value for '-U' / '--context': 'x' is not a valid integer range.",
            "plandiff diff [OPTIONS] OLD NEW",
        ),
        # no such option, in a command and in the group
        (
            ["diff", "--nope"],
            "No such option '--nope'. (Did you mean one of: '--no-pager', '--pager'?)",
            "plandiff diff [OPTIONS] OLD NEW",
        ),
        (["--bogus"], "No such option '--bogus'.", "plandiff [OPTIONS] COMMAND [ARGS]..."),
        # an option without its value, or with one it does not take: click's parser leaves the
        # command out of these, in the group and in a command
        (
            ["--color=yes", "versions"],
            "Option '--color' does not take a value.",
            "plandiff [OPTIONS] COMMAND [ARGS]...",
        ),
        (
            ["diff", "us-28", "geneva-19", "--format"],
            "Option '--format' requires an argument.",
            "plandiff diff [OPTIONS] OLD NEW",
        ),
        (
            ["source", "add", "x.txt", "--id"],
            "Option '--id' requires an argument.",
            "plandiff source add [OPTIONS] FILE...",
        ),
        # no command at all after the group's options
        ([], "Missing command.", "plandiff [OPTIONS] COMMAND [ARGS]..."),
        # no such command, ours (with suggestions) and a nested group's
        (
            ["sourc"],
            "No such command 'sourc'. Did you mean 'source' or 'sources'?",
            "plandiff [OPTIONS] COMMAND [ARGS]...",
        ),
        (
            ["source", "bogus"],
            "No such command 'bogus'.",
            "plandiff source [OPTIONS] COMMAND [ARGS]...",
        ),
        # extra arguments
        (
            ["show", "us-28", "extra"],
            "Got unexpected extra argument (extra)",
            "plandiff show [OPTIONS] VERSION|SOURCE",
        ),
        # BadParameter raised by our own callback
        (
            ["export", "--created", "yesterday"],
            "Invalid value for '--created': 'yesterday' is not an ISO 8601 date and time, "
            "e.g. 2025-11-26T12:00:00Z",
            "plandiff export [OPTIONS] [VERSION]",
        ),
        # UsageError raised by our own command
        (
            ["diff", "us-28", "geneva-19", "--format", "json", "--side-by-side"],
            "--side-by-side applies to --format text, not json",
            "plandiff diff [OPTIONS] OLD NEW",
        ),
        # nested groups
        (["source", "add"], "Missing argument 'FILE...'.", "plandiff source add [OPTIONS] FILE..."),
        (
            ["source", "add", "x.txt", "--bogus"],
            "No such option '--bogus'.",
            "plandiff source add [OPTIONS] FILE...",
        ),
    ],
)  # fmt: skip
def test_each_kind_of_usage_error_is_one_line(args: list[str], message: str, usage: str) -> None:
    match = usage_error(run(*args))
    assert match["message"] == message
    assert f"{match['path']} {match['usage']}" == usage


def test_the_whole_line() -> None:
    assert run("diff").stderr == (
        "plandiff: Missing argument 'OLD'. "
        "(usage: plandiff diff [OPTIONS] OLD NEW; see 'plandiff diff --help')\n"
    )


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_control_characters_the_user_typed_are_shown_escaped(color: bool) -> None:
    # click quotes a bad choice with repr(), but not an extra argument; newlines stay visible.
    cases = [
        (["show", "us-28", "\x1b[2Jx\ny"], "Got unexpected extra argument (\\x1b[2Jx\\ny)"),
        (
            ["versions", "--format", "\x1b]8;;x\x07"],
            "Invalid value for '--format': '\\x1b]8;;x\\x07' is not one of 'text', 'json'.",
        ),
        (["\u202ecmd"], "No such command '\\u202ecmd'."),
        (["diff", "--\x1b[31mred"], "No such option '--\\x1b[31mred'."),
    ]
    for args, message in cases:
        assert usage_error(run(*args, color=color))["message"] == message


def test_debug_does_not_turn_a_usage_error_into_a_traceback() -> None:
    match = usage_error(run("--debug", "diff", "us-28"))
    assert match["message"] == "Missing argument 'NEW'."


def test_help_version_and_output_are_unchanged() -> None:
    result = run("diff", "--help")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: plandiff diff [OPTIONS] OLD NEW\n\n")
    result = run("--version")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "plandiff, version 0.1.0\n", "")
    # The one written version is the one the installed package declares.
    assert importlib.metadata.version("plandiff") == plandiff.__version__ == "0.1.0"
    # A group given nothing at all still shows its help, not an error line.
    for args in ([], ["source"]):
        result = CliRunner().invoke(cli, args, prog_name="plandiff")
        assert result.output.startswith("Usage: plandiff") and "Commands:" in result.output
    result = run("versions", "--format", "json")
    assert result.exit_code == 0 and result.stderr == "" and result.stdout.startswith("{")


# --------------------------------------------------------------------------- other click errors


@click.command()
@click.option("--kind", type=click.Choice(["apples", "pears"]), required=True)
@click.option("--fail", type=click.Choice(["usage", "file", "abort"]))
def probe(kind: str, fail: str | None) -> None:
    """A command that ends with each kind of click error on demand."""
    if fail == "usage":
        raise click.UsageError("first line\nsecond line")
    if fail == "file":
        raise click.FileError("in\x1bput.txt", hint="no such\nfile")
    if fail == "abort":
        raise click.Abort()


@pytest.fixture
def with_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(COMMANDS, "probe", f"{__name__}:probe")


def test_a_multi_line_message_is_one_line(with_probe: None) -> None:
    # click lays out a missing choice's choices on lines of their own: joined.
    match = usage_error(run("probe"))
    assert match["message"] == "Missing option '--kind'. Choose from: apples, pears"
    match = usage_error(run("probe", "--kind", "pears", "--fail", "usage"))
    assert match["message"] == "first line\\nsecond line"


def test_other_click_errors_are_one_line(with_probe: None) -> None:
    result = run("probe", "--kind", "pears", "--fail", "file")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "plandiff: Could not open file 'in\\x1bput.txt': no such\\nfile\n"
    result = run("probe", "--kind", "pears", "--fail", "abort")
    assert (result.exit_code, result.stderr) == (ExitStatus.INTERRUPTED, "plandiff: aborted\n")


# --------------------------------------------------------------------------- as users run it


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["diff"],
            "plandiff: Missing argument 'OLD'. "
            "(usage: plandiff diff [OPTIONS] OLD NEW; see 'plandiff diff --help')",
        ),
        (
            ["--bogus"],
            "plandiff: No such option '--bogus'. "
            "(usage: plandiff [OPTIONS] COMMAND [ARGS]...; see 'plandiff --help')",
        ),
        (
            ["--registry"],
            "plandiff: Option '--registry' requires an argument. "
            "(usage: plandiff [OPTIONS] COMMAND [ARGS]...; see 'plandiff --help')",
        ),
        (
            ["source", "add", "--bogus"],
            "plandiff: No such option '--bogus'. "
            "(usage: plandiff source add [OPTIONS] FILE...; see 'plandiff source add --help')",
        ),
        (
            ["show", "us-28", "\x1b[2Jx"],
            "plandiff: Got unexpected extra argument (\\x1b[2Jx) "
            "(usage: plandiff show [OPTIONS] VERSION|SOURCE; see 'plandiff show --help')",
        ),
    ],
)
def test_python_m_plandiff(args: list[str], line: str) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "PLANDIFF_REGISTRY": str(SEEDS)}
    env.pop("NO_COLOR", None)
    proc = subprocess.run(
        [sys.executable, "-m", "plandiff", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=REPO,
        env=env,
        check=False,
    )
    assert (proc.returncode, proc.stdout, proc.stderr) == (ExitStatus.ERROR, "", line + "\n")


# ------------------------------------------------- values that cannot be stored or written out

#: Each command and option that records text, with the rest of a valid command line.
TEXT_OPTIONS = [
    (["source", "add", "plan.txt"], "--title"),
    (["source", "add", "plan.txt"], "--url"),
    (["source", "add", "plan.txt"], "--note"),
    (["source", "add", "plan.txt"], "--outlet"),
    (["version", "add", "v9", "--title", "T"], "--issuer"),
    (["version", "add", "v9", "--title", "T"], "--note"),
    (["version", "add", "v9"], "--title"),
    (["point", "add", "us-28", "--quote", "x", "--source", "s"], "--summary"),
    (["point", "add", "us-28", "--quote", "x", "--source", "s"], "--topic"),
    (["point", "edit", "us-28", "p1"], "--summary"),
    (["relate", "us-28:p1", "geneva-19:p1", "--as", "reworded"], "--note"),
]


@pytest.mark.parametrize(("args", "option"), TEXT_OPTIONS)
def test_text_option_that_is_not_utf8_is_a_usage_error(args: list[str], option: str) -> None:
    """Bytes that are not UTF-8 reach Python's argv as lone surrogates ("surrogateescape");
    they used to fail only when the registry was written, as an internal error."""
    match = usage_error(run(*args, option, "Kyiv \udcff\udcfe talks"))
    assert match["message"] == (
        f"Invalid value for '{option}': 'Kyiv \\xff\\xfe talks' is not UTF-8 text "
        "(byte 0xFF at character 6)"
    )


def test_non_utf8_bytes_on_a_real_command_line_name_the_option(tmp_path: Path) -> None:
    """The same through ``python -m plandiff`` with raw bytes in argv, as a shell passes them."""
    registry = tmp_path / "r"
    env = {**os.environ, "PYTHONPATH": str(REPO), "PLANDIFF_REGISTRY": str(registry)}

    def plandiff(*args: str | bytes) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "plandiff", *args],
            capture_output=True,
            cwd=tmp_path,
            env=env,
            check=False,
        )

    assert plandiff("init", str(registry)).returncode == 0
    before = sorted(p.name for p in registry.rglob("*"))
    proc = plandiff("version", "add", "v1", "--title", b"Plan \xe9t\xe9")
    assert proc.returncode == ExitStatus.ERROR
    assert proc.stdout == b""
    assert proc.stderr == (
        b"plandiff: Invalid value for '--title': 'Plan \\xe9t\\xe9' is not UTF-8 text (byte 0xE9 "
        b"at character 6) (usage: plandiff version add [OPTIONS] ID; see 'plandiff version "
        b"add --help')\n"
    )
    assert sorted(p.name for p in registry.rglob("*")) == before  # nothing was written


@pytest.mark.parametrize(
    "args",
    [
        ["export", "--created", "0001-01-01T00:00:00+01:00"],
        ["export", "--format", "akn", "us-28", "--created", "9999-12-31T23:59:59-01:00"],
    ],
)
def test_created_outside_the_years_of_utc_is_a_usage_error(args: list[str]) -> None:
    """A time whose UTC equivalent is before year 1 or after 9999 overflowed in the export."""
    match = usage_error(run(*args))
    assert match["message"] == (
        f"Invalid value for '--created': {args[-1]!r} is out of range: in UTC it falls "
        "outside the years 1 to 9999"
    )


def test_created_at_the_edge_of_utc_is_accepted() -> None:
    result = run("export", "--created", "0001-01-01T00:00:00-01:00")
    assert result.exit_code == 0, result.stderr
    assert "<created>0001-01-01T01:00:00Z</created>" in result.stdout


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (
            ["source", "add", "x.txt", "--id"],
            "plandiff: Option '--id' requires an argument. "
            "(usage: plandiff source add [OPTIONS] FILE...; see 'plandiff source add --help')\n",
        ),
        (
            ["--bogus"],
            "plandiff: No such option '--bogus'. "
            "(usage: plandiff [OPTIONS] COMMAND [ARGS]...; see 'plandiff --help')\n",
        ),
    ],
)
def test_embedded_callers_get_a_click_error_that_shows_one_line(
    args: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without standalone mode click raises instead of printing; the error plandiff raises is
    still a ClickException (click's public extension point), and shows the same one line."""
    from plandiff.cli import OneLineError

    with pytest.raises(OneLineError) as caught:
        cli.main(["--registry", str(SEEDS), *args], prog_name="plandiff", standalone_mode=False)
    assert isinstance(caught.value, click.ClickException)
    assert caught.value.exit_code == ExitStatus.ERROR
    caught.value.show()
    assert capsys.readouterr().err == line


def test_the_cli_reaches_into_no_private_click_attribute() -> None:
    """click's private names (``ctx._protected_args``) change between releases; plandiff
    overrides documented methods only."""
    source = (REPO / "plandiff" / "cli" / "__init__.py").read_text(encoding="utf-8")
    assert not re.search(r"\b(?:ctx|exc|click(?:\.\w+)*)\._[a-z]", source)
    assert "exc.show =" not in source
