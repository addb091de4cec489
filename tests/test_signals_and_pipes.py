"""Signals and pipes: ``| head -1`` ends a long report with status 141, quietly; SIGTERM and
SIGHUP end a long diff at once with the signal's own status, and nothing outlives it.

These run the CLI as a real process: a pipe that closes, and a signal, are what is tested.
"""

from __future__ import annotations

import io
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plandiff.cli import ExitStatus
from plandiff.cli import output as out
from tests.helpers import REPO

posix_only = pytest.mark.skipif(os.name != "posix", reason="pipes and signals as on POSIX")

_WORDS = [
    "parties",
    "withdraw",
    "forces",
    "sector",
    "days",
    "troops",
    "monitors",
    "border",
    "zone",
    "guarantee",
    "ceasefire",
    "prisoners",
    "exchange",
    "corridor",
    "humanitarian",
    "aid",
    "reconstruction",
    "fund",
    "elections",
    "observers",
    "sanctions",
    "relief",
    "security",
    "council",
    "resolution",
    "treaty",
    "annex",
    "protocol",
    "commission",
]


def long_pair(tmp_path: Path, points: int) -> tuple[str, str]:
    """Two plan files of ``points`` points of 30 to 60 words, about one in three reworded."""
    rng = random.Random(points)
    old_lines, new_lines = [], []
    for n in range(1, points + 1):
        words = [rng.choice(_WORDS) for _ in range(rng.randint(30, 60))]
        old_lines.append(f"{n}. Point {n}: {' '.join(words)}.")
        if n % 3 == 0:
            words[rng.randrange(len(words))] = f"{n * 7} kilometres"
        new_lines.append(f"{n}. Point {n}: {' '.join(words)}.")
    for name, lines in (("old.txt", old_lines), ("new.txt", new_lines)):
        (tmp_path / name).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return "old.txt", "new.txt"


def plandiff_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", "COLUMNS": "100"}


@posix_only
@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "xml"])
def test_a_long_report_cut_off_by_head_exits_141_without_a_traceback(
    tmp_path: Path, fmt: str
) -> None:
    """`plandiff diff … | head -1`: the documented 141, and nothing on stderr."""
    old, new = long_pair(tmp_path, 1_500)  # every format writes megabytes: far past a pipe
    proc = subprocess.Popen(
        [sys.executable, "-m", "plandiff", "diff", old, new, "--format", fmt],
        cwd=tmp_path,
        env=plandiff_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    head = subprocess.run(["head", "-1"], stdin=proc.stdout, capture_output=True, check=True)
    proc.stdout.close()  # head has gone: nobody reads the pipe any more
    error = proc.stderr.read()
    assert proc.wait(timeout=120) == ExitStatus.OUTPUT_CLOSED, error
    assert error == b""
    assert head.stdout.strip()  # the first line did arrive


@posix_only
def test_an_archive_export_cut_off_by_head_exits_141(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "plandiff", "export"],
        cwd=tmp_path,
        env=plandiff_env(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    error = proc.stderr.read()
    status = proc.wait(timeout=60)
    # The bundled archive may fit in the pipe before the reader goes: then it is a success.
    assert status in (ExitStatus.OK, ExitStatus.OUTPUT_CLOSED)
    assert error == b""


class ShortWrites(io.BytesIO):
    """A binary stream that takes at most ``most`` bytes a write, as a pipe does when its reader
    is about to go, and nothing at all after ``limit`` bytes."""

    def __init__(self, most: int, limit: int | None = None) -> None:
        super().__init__()
        self.most, self.limit = most, limit

    def write(self, data: bytes) -> int:  # type: ignore[override]
        room = self.most if self.limit is None else min(self.most, self.limit - self.tell())
        return super().write(bytes(data[: max(0, room)]))


class Stdout(io.TextIOWrapper):
    def __init__(self, binary: io.BytesIO) -> None:
        super().__init__(binary, encoding="utf-8")


def test_write_out_writes_again_after_a_short_write(monkeypatch: pytest.MonkeyPatch) -> None:
    binary = ShortWrites(most=1_000)
    monkeypatch.setattr(sys, "stdout", Stdout(binary))
    text = "".join(f"{n}. Zaporizhzhia — {n * 1000:,} troops\n" for n in range(20_000))
    out.write_out(text)
    assert binary.getvalue() == text.encode("utf-8")
    out.write_out(b"\x00raw bytes")
    assert binary.getvalue().endswith(b"\x00raw bytes")


def test_write_out_writes_a_view_of_a_part_as_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON report's parts are views of a larger text (render_parts): what is written is
    the view's bytes, on a stream with a buffer and on one that takes only text."""
    whole = "[ Zaporizhzhia — 600,000 ]".encode()
    view = memoryview(whole)[2:-2]
    binary = ShortWrites(most=3)
    monkeypatch.setattr(sys, "stdout", Stdout(binary))
    out.write_out(view)
    assert binary.getvalue() == "Zaporizhzhia — 600,000".encode()
    text_only = io.StringIO()
    monkeypatch.setattr(sys, "stdout", text_only)
    out.write_out(view)
    assert text_only.getvalue() == "Zaporizhzhia — 600,000"


def test_write_out_reports_a_stream_that_takes_nothing_more(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdout", Stdout(ShortWrites(most=1 << 20, limit=70_000)))
    with pytest.raises(BrokenPipeError):
        out.write_out("x" * 1_000_000)


def _handles(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has installed a handler for ``signum`` (Linux's /proc)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    caught = next(line for line in status.splitlines() if line.startswith("SigCgt:"))
    return bool(int(caught.split()[1], 16) >> (signum - 1) & 1)


@posix_only
@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_signal_ends_a_long_diff_at_once_and_leaves_no_process(
    tmp_path: Path, signum: int
) -> None:
    old, new = long_pair(tmp_path, 6_000)  # many seconds of work
    proc = subprocess.Popen(
        [sys.executable, "-m", "plandiff", "diff", old, new, "--format", "json"],
        cwd=tmp_path,
        env=plandiff_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group: any child would be found below
    )
    assert proc.stderr is not None
    deadline = time.monotonic() + 30
    if sys.platform.startswith("linux"):  # wait until the command runs, past the imports
        while not _handles(proc.pid, signum) and time.monotonic() < deadline:
            time.sleep(0.02)
    time.sleep(0.5)  # into the diff itself
    assert proc.poll() is None, "the diff ended before it could be stopped"
    sent = time.monotonic()
    os.kill(proc.pid, signum)
    status = proc.wait(timeout=10)
    assert time.monotonic() - sent < 5
    assert status == -signum  # died of that signal: a shell shows 128 + signum
    assert proc.stderr.read() == b""
    with pytest.raises(ProcessLookupError):  # nothing of its process group is left
        os.killpg(proc.pid, 0)


@posix_only
def test_a_long_version_view_cut_off_by_head_exits_141(tmp_path: Path) -> None:
    """`plandiff show VERSION | head -1` was printed by rich in one write and exited 0."""
    old, _ = long_pair(tmp_path, 500)  # several hundred kilobytes: far past a pipe
    env = {**plandiff_env(), "PLANDIFF_REGISTRY": str(tmp_path / "r")}

    def plandiff(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run(
            [sys.executable, "-m", "plandiff", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            check=False,
        )

    assert plandiff("init", str(tmp_path / "r")).returncode == 0
    assert plandiff("version", "add", "v", "--title", "V", "--from-text", old).returncode == 0
    proc = subprocess.Popen(
        [sys.executable, "-m", "plandiff", "show", "v"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    subprocess.run(["head", "-1"], stdin=proc.stdout, capture_output=True, check=True)
    proc.stdout.close()
    error = proc.stderr.read()
    assert proc.wait(timeout=120) == ExitStatus.OUTPUT_CLOSED, error
    assert error == b""
