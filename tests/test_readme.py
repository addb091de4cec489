"""The README's documented commands and code run as written (docs that cannot drift)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandiff.cli import cli
from tests.helpers import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _section(heading: str) -> str:
    start = README.index(heading)
    nxt = README.find("\n## ", start + 1)
    return README[start : nxt if nxt != -1 else len(README)]


def _fenced(text: str, lang: str) -> list[str]:
    return re.findall(rf"```{lang}\n(.*?)```", text, flags=re.S)


def test_first_two_commands_install_run_and_test() -> None:
    blocks = _fenced(README[: README.index("## What it does")], "sh")
    assert blocks[0].strip() == (
        "python3 -m venv .venv && .venv/bin/pip install . "
        "&& .venv/bin/plandiff diff us-28 geneva-19"
    )
    assert blocks[1].strip() == (
        "python3 -m venv .venv && .venv/bin/pip install '.[test]' && .venv/bin/python -m pytest"
    )
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert "test-command" in ci


@pytest.mark.parametrize(
    "line",
    [
        line
        for line in _fenced(_section("## What it does"), "sh")[0].splitlines()
        if line.startswith("plandiff ")
    ],
)
def test_documented_commands_on_the_bundled_registry(line: str) -> None:
    args = shlex.split(line)[1:]
    result = CliRunner().invoke(cli, ["--no-color", *args], env={"PLANDIFF_REGISTRY": ""})
    assert result.exit_code == 0, result.output
    assert result.stdout.strip()


def test_history_commands() -> None:
    lines = [
        line.strip().split("  #")[0]
        for line in _section("## History").splitlines()
        if line.strip().startswith("plandiff ")
    ]
    assert len(lines) == 4
    for line in lines:
        result = CliRunner().invoke(cli, ["--no-color", *shlex.split(line)[1:]])
        assert result.exit_code == 0, (line, result.output)


def test_archive_commands(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (block,) = _fenced(_section("## Archiving a registry as XML"), "sh")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    outputs = []
    for line in block.splitlines():
        command = line.split("  #")[0].strip()
        result = runner.invoke(cli, shlex.split(command)[1:])
        assert result.exit_code == 0, (command, result.output)
        outputs.append(result.stdout_bytes)
    assert outputs[-1] == (tmp_path / "plans.xml").read_bytes()


def test_python_api_example_runs() -> None:
    (code,) = _fenced(_section("## Python API"), "python")
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    env.pop("PLANDIFF_REGISTRY", None)
    run = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("28 → 19\n")
    assert run.stdout.rstrip().endswith("16")
