"""The README's walkthrough runs as written.

The commands are read from the first ```console block after the heading "Walkthrough" in
README.md: each line starting with ``$ `` is a command (a trailing backslash continues it on the
next line); the lines after a command, up to the next command, are output it must print, in that
order (a command shown without output is only required to succeed). The commands run, one
process each, in a fresh directory holding a copy of ``fixtures/recording``.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
_HEADING = re.compile(r"^#{1,6}\s+Walkthrough\b.*$", re.M)


@dataclass
class Step:
    command: str
    output: list[str] = field(default_factory=list)


def walkthrough(readme: str) -> list[Step]:
    heading = _HEADING.search(readme)
    if heading is None:
        raise LookupError("README.md has no heading 'Walkthrough'")
    block = re.compile(r"^```console[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)
    found = block.search(readme, heading.end())
    if found is None:
        raise LookupError("no ```console block after the 'Walkthrough' heading")
    steps: list[Step] = []
    pending = ""
    for line in found["body"].splitlines():
        if pending:
            pending += " " + line.strip()
        elif line.startswith("$ "):
            pending = line[2:].strip()
        else:
            if line.strip():
                if not steps:
                    raise ValueError(f"output before any command: {line!r}")
                steps[-1].output.append(line.rstrip())
            continue
        if pending.endswith("\\"):
            pending = pending[:-1].rstrip()
            continue
        steps.append(Step(pending))
        pending = ""
    if pending:
        raise ValueError(f"command continued past the end of the block: {pending!r}")
    return steps


def test_parser_reads_commands_continuations_and_output() -> None:
    text = (
        "# plandiff\n\n```console\n$ plandiff --help\n```\n\n## Walkthrough\n\nProse.\n\n"
        "```console\n$ plandiff init reg\ninitialised\n$ plandiff --registry reg \\\n"
        '    version add v --title "A B"\n\n$ plandiff versions\n```\n'
    )
    steps = walkthrough(text)
    assert [(s.command, s.output) for s in steps] == [
        ("plandiff init reg", ["initialised"]),
        ('plandiff --registry reg version add v --title "A B"', []),
        ("plandiff versions", []),
    ]


def test_readme_walkthrough_runs_as_written(tmp_path: Path) -> None:
    if not README.is_file():
        pytest.fail("README.md is missing: it must carry the Walkthrough section")
    try:
        steps = walkthrough(README.read_text(encoding="utf-8"))
    except LookupError as exc:
        pytest.fail(f"{exc}: the README must carry the walkthrough (see this module's docstring)")
    assert len(steps) >= 5
    assert any(" relate " in f" {s.command} " for s in steps)
    assert any(" diff " in f" {s.command} " for s in steps)
    shutil.copytree(REPO / "fixtures" / "recording", tmp_path / "fixtures" / "recording")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("PLANDIFF_REGISTRY", None)
    for step in steps:
        argv = shlex.split(step.command)
        assert argv[0] == "plandiff", f"not a plandiff command: {step.command}"
        done = subprocess.run(
            [sys.executable, "-m", "plandiff", *argv[1:]],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, f"$ {step.command}\n{done.stdout}{done.stderr}"
        printed = done.stdout.splitlines()
        at = 0
        for expected in step.output:
            while at < len(printed) and printed[at].rstrip() != expected:
                at += 1
            assert at < len(printed), (
                f"$ {step.command}\nexpected the line {expected!r} in:\n{done.stdout}"
            )
            at += 1
