"""The README's sample outputs are what plandiff prints today (docs that cannot drift).

A sample is a ```console block of README.md: each line starting with ``$ `` is a command (a
trailing backslash continues it on the next line) and the lines after it, up to the next
command, are exactly what it prints, standard output and errors as a terminal shows them.
The commands of one block run in order, one process each, in a fresh directory holding a copy
of ``fixtures/``, without colour, 100 columns wide and without ``$PLANDIFF_REGISTRY``; each must
succeed.

When plandiff's output changes on purpose, rewrite the samples and review the README's diff:

    PLANDIFF_UPDATE_README=1 .venv/bin/python -m pytest tests/test_readme_samples.py
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
README = REPO / "README.md"
UPDATE = "PLANDIFF_UPDATE_README"
WIDTH = "100"

_BLOCK = re.compile(r"^```console[ \t]*\n(?P<body>.*?)^```[ \t]*$", re.M | re.S)


@dataclass(frozen=True)
class Step:
    """One command of a sample: its lines as written, and the output shown under it."""

    lines: tuple[str, ...]
    output: tuple[str, ...]

    @property
    def command(self) -> str:
        joined = " ".join(line.strip().removesuffix("\\").strip() for line in self.lines)
        return joined.removeprefix("$ ")


@dataclass(frozen=True)
class Sample:
    start: int  # where the block's body starts and ends in the README
    end: int
    steps: tuple[Step, ...]


def samples(readme: str) -> list[Sample]:
    """Every ```console block of the README, cut into commands and their outputs."""
    out = []
    for block in _BLOCK.finditer(readme):
        steps: list[Step] = []
        command: list[str] = []
        output: list[str] = []
        for line in block["body"].splitlines():
            if command and command[-1].endswith("\\"):
                command.append(line)
            elif line.startswith("$ "):
                if command:
                    steps.append(Step(tuple(command), tuple(output)))
                command, output = [line], []
            elif command:
                output.append(line)
            else:
                raise ValueError(f"README.md: output before any command in a sample: {line!r}")
        if command and command[-1].endswith("\\"):
            raise ValueError(f"README.md: a command continues past its block: {command[-1]!r}")
        if command:
            steps.append(Step(tuple(command), tuple(output)))
        out.append(Sample(block.start("body"), block.end("body"), tuple(steps)))
    return out


def run(sample: Sample, where: Path) -> tuple[Step, ...]:
    """The sample's steps with the outputs plandiff prints now, run in ``where``."""
    shutil.copytree(REPO / "fixtures", where / "fixtures")
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": WIDTH}
    for name in ("PLANDIFF_REGISTRY", "PLANDIFF_PAGER", "FORCE_COLOR"):
        env.pop(name, None)
    done = []
    for step in sample.steps:
        argv = shlex.split(step.command)
        assert argv[0] == "plandiff", f"README.md: not a plandiff command: {step.command}"
        ran = subprocess.run(
            [sys.executable, "-m", "plandiff", *argv[1:]],
            cwd=where,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            timeout=120,
        )
        assert ran.returncode == 0, f"$ {step.command}\n{ran.stdout}"
        printed = tuple(line.rstrip() for line in ran.stdout.rstrip("\n").split("\n"))
        done.append(Step(step.lines, printed if ran.stdout else ()))
    return tuple(done)


def block_text(steps: tuple[Step, ...]) -> str:
    return "".join(f"{line}\n" for step in steps for line in (*step.lines, *step.output))


def test_reads_commands_continuations_and_outputs() -> None:
    text = (
        "# plandiff\n\n```sh\nplandiff --help\n```\n\n```console\n$ plandiff init reg\n"
        'initialised\n\n$ plandiff --registry reg \\\n    version add v --title "A B"\n'
        "$ plandiff versions\n```\n"
    )
    (sample,) = samples(text)
    assert [(s.command, s.output) for s in sample.steps] == [
        ("plandiff init reg", ("initialised", "")),
        ('plandiff --registry reg version add v --title "A B"', ()),
        ("plandiff versions", ()),
    ]
    assert block_text(sample.steps) == text[sample.start : sample.end]


def test_output_before_a_command_is_refused() -> None:
    with pytest.raises(ValueError, match="output before any command"):
        samples("```console\nstray\n$ plandiff versions\n```\n")


def test_the_walkthrough_and_a_diff_are_shown() -> None:
    found = samples(README.read_text(encoding="utf-8"))
    commands = [step.command for sample in found for step in sample.steps]
    assert any(" relate " in c for c in commands)
    assert sum(c.startswith("plandiff diff ") or " diff " in c for c in commands) >= 2
    assert all(step.output for sample in found for step in sample.steps if " diff " in step.command)


def test_samples_are_what_plandiff_prints(tmp_path: Path) -> None:
    readme = README.read_text(encoding="utf-8")
    found = samples(readme)
    assert found, "README.md has no ```console samples"
    fresh = [run(sample, tmp_path / str(n)) for n, sample in enumerate(found)]
    if os.environ.get(UPDATE):
        for sample, steps in sorted(zip(found, fresh, strict=True), key=lambda p: -p[0].start):
            readme = readme[: sample.start] + block_text(steps) + readme[sample.end :]
        README.write_text(readme, encoding="utf-8")
        return
    for sample, steps in zip(found, fresh, strict=True):
        assert readme[sample.start : sample.end] == block_text(steps), (
            f"README.md is out of date: rerun with {UPDATE}=1 (see this module's docstring)"
        )


def test_the_lineage_table_is_shown() -> None:
    found = samples(README.read_text(encoding="utf-8"))
    shown = [
        s for sample in found for s in sample.steps if s.command.startswith("plandiff compare")
    ]
    assert shown and all(step.output for step in shown)
