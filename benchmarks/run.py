"""End-to-end speed, memory and accuracy of ``plandiff diff`` against ``git diff --word-diff``.

Usage::

    python benchmarks/run.py                       # N = 30, 300, 3,000, 30,000; 5 repetitions
    python benchmarks/run.py --quick               # N = 30, 300, 3,000; 3 repetitions
    python benchmarks/run.py --sizes 3000 --repeat 9 --check

For each N it generates a seeded synthetic plan pair with known ground truth (:mod:`synth`:
20–80 words a point; 5% of points deleted, 5% inserted, 10% reworded, 5% moved, 2% merged,
2% split, everything renumbered), writes both versions as numbered plan text files and, in
alternation so both see the same machine load, runs

* ``python -m plandiff diff old.txt new.txt --format json`` (a fresh process, output to a file),
* ``git diff --no-index --word-diff=porcelain old.txt new.txt`` (output to a file),

each ``--repeat`` times after one untimed warm-up run. It reports the median wall time, the
median CPU time (user + system) and the peak resident memory of each child (``ru_maxrss`` from
``os.wait4``, taken in a small launcher process), the ratio plandiff / git, and accuracy figures
computed from plandiff's JSON against the ground truth (the figures of
``benchmarks/accuracy.py``): correspondence F1 (a correspondence counts only when its old and
new point sets are both exactly right), merge and split recall, moved recall, and
renumbered-only points flagged as moved.

The start-up check compares the median wall time of ``python -c "import click, rich, pydantic"``
with ``python -m plandiff diff us-28 geneva-19`` on the bundled registry.

Children run with the interpreter running this script, with the repository on ``PYTHONPATH``,
and may cache bytecode (``PYTHONDONTWRITEBYTECODE`` is dropped), as an installed package has.
The table is printed and written as JSON (default ``benchmarks/results/latest.json``; that
directory is git-ignored). With ``--check`` the exit status is 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

_ROOT = Path(__file__).resolve().parent.parent
for _path in (_ROOT, _ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from accuracy import TARGETS as ACCURACY_TARGETS  # noqa: E402
from accuracy import Tally  # noqa: E402
from synth import generate, render_text  # noqa: E402

from plandiff.result import ChangeKind  # noqa: E402

SIZES = (30, 300, 3000, 30000)
QUICK_SIZES = (30, 300, 3000)
DEFAULT_OUT = _ROOT / "benchmarks" / "results" / "latest.json"

#: The targets of issue 14, checked on the figures of one run.
SPEED_TARGETS = {
    "ratio_to_git_at_30000": 2.5,  # plandiff wall / git wall at N = 30,000
    "peak_mb_at_30000": 300.0,
    "seconds_at_3000": 0.8,
    "growth_3000_to_30000": 12.0,
    "text_to_json_at_30000": 2.5,  # --format text wall / --format json wall
    "startup_ratio": 2.0,  # bundled registry diff / import floor
}
#: Stretch goals, reported beside the targets but never failing --check.
STRETCH = {"ratio_to_git_at_30000": 2.0, "seconds_at_3000": 0.5}


class Run(NamedTuple):
    """One child process: wall and CPU seconds, peak resident memory in MB, exit status."""

    wall: float
    cpu: float
    peak_mb: float
    status: int


class Predicted(NamedTuple):
    """A change of plandiff's JSON as the accuracy tally reads it (0-based indices)."""

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    moved: bool


def child_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(_ROOT), env.get("PYTHONPATH")]))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed package has its bytecode cached
    env.pop("PLANDIFF_REGISTRY", None)  # the start-up check uses the bundled registry
    env["NO_COLOR"] = "1"
    return env


#: Runs one command and reports its wall time, CPU time, peak memory and exit status as JSON.
#: Linux charges a child the memory of the process it was forked from (the copy exists until
#: exec), so the measured command is forked from this small interpreter, not from the
#: benchmark, which holds a parsed 90 MB document by then.
_LAUNCHER = """
import json, os, sys, time
sink = os.open(sys.argv[1], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.dup2(sink, 1)
    os.execvp(sys.argv[2], sys.argv[2:])
_, status, usage = os.wait4(pid, 0)
wall = time.perf_counter() - start
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                  os.waitstatus_to_exitcode(status)]))
"""


def run_child(argv: Sequence[str], *, stdout: Path | None, cwd: Path, env: dict[str, str]) -> Run:
    """Run one command to completion and measure it from outside."""
    target = str(stdout) if stdout else os.devnull
    # stderr goes to a file: a pipe nobody reads while we wait could fill and block the child.
    with tempfile.TemporaryFile() as err:
        if hasattr(os, "fork"):
            report = subprocess.run(
                [sys.executable, "-c", _LAUNCHER, target, *argv],
                stdout=subprocess.PIPE,
                stderr=err,
                cwd=cwd,
                env=env,
                check=False,
            )
            wall, cpu, maxrss, code = json.loads(report.stdout or b"[0, 0, 0, -1]")
            scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: B or KiB
            peak = maxrss / scale
        else:  # Windows: wall time only
            with open(target, "wb") as sink:
                start = time.perf_counter()
                code = subprocess.run(argv, stdout=sink, stderr=err, cwd=cwd, env=env).returncode
                wall, cpu, peak = time.perf_counter() - start, float("nan"), float("nan")
        err.seek(0)
        message = err.read().decode(errors="replace")
    # git diff exits 1 when the files differ; anything else is a failure.
    if code not in (0, 1):
        raise RuntimeError(f"{' '.join(argv)} exited {code}: {message}")
    return Run(wall, cpu, peak, code)


def summarise(runs: Sequence[Run]) -> dict[str, float]:
    return {
        "wall_s": statistics.median(r.wall for r in runs),
        "wall_min_s": min(r.wall for r in runs),
        "cpu_s": statistics.median(r.cpu for r in runs),
        "peak_mb": max(r.peak_mb for r in runs),
        "runs": len(runs),
    }


def accuracy(pair: Any, document: dict[str, Any]) -> dict[str, float]:
    """The accuracy figures of ``benchmarks/accuracy.py``, from plandiff's JSON document."""
    predicted = [
        Predicted(
            ChangeKind(c["kind"]),
            tuple(r["index"] - 1 for r in c["old"]),
            tuple(r["index"] - 1 for r in c["new"]),
            bool(c["moved"]),
        )
        for c in document["changes"]
    ]
    tally = Tally()
    tally.add(pair, predicted, 0.0, 0.0)  # type: ignore[arg-type]  # duck-typed correspondences
    figures = tally.figures()
    keys = (*ACCURACY_TARGETS, "moved_precision", "renumbered_flagged")
    return {k: figures[k] for k in keys}


def bench_size(
    n: int, args: argparse.Namespace, workdir: Path, env: dict[str, str]
) -> dict[str, Any]:
    """Generate, write, run and score one size."""
    pair = generate(n, args.seed)
    here = workdir / f"n{n}"
    here.mkdir(parents=True, exist_ok=True)
    old, new = here / "old.txt", here / "new.txt"
    old.write_text(render_text(pair.old), encoding="utf-8")
    new.write_text(render_text(pair.new), encoding="utf-8")
    plandiff_cmd = [args.python, "-m", "plandiff", "diff", "old.txt", "new.txt", "--format", "json"]
    git_cmd = [args.git, "diff", "--no-index", "--word-diff=porcelain", "old.txt", "new.txt"]
    text_cmd = [*plandiff_cmd[:-1], "text", "--no-pager"]
    timed_text = args.text and n == max(args.sizes)
    out_json, out_git, out_text = here / "plandiff.json", here / "git.diff", here / "plandiff.txt"
    if args.warmup:
        run_child(plandiff_cmd, stdout=out_json, cwd=here, env=env)
        if args.git:
            run_child(git_cmd, stdout=out_git, cwd=here, env=env)
    ours: list[Run] = []
    theirs: list[Run] = []
    text: list[Run] = []
    for _ in range(args.repeat):
        ours.append(run_child(plandiff_cmd, stdout=out_json, cwd=here, env=env))
        if args.git:
            theirs.append(run_child(git_cmd, stdout=out_git, cwd=here, env=env))
        if timed_text:
            text.append(run_child(text_cmd, stdout=out_text, cwd=here, env=env))
    document = json.loads(out_json.read_text(encoding="utf-8"))
    found_old = max((r["index"] for c in document["changes"] for r in c["old"]), default=0)
    found_new = max((r["index"] for c in document["changes"] for r in c["new"]), default=0)
    row: dict[str, Any] = {
        "n": n,
        "points": [len(pair.old), len(pair.new)],
        "segmented": [found_old, found_new],
        "input_mb": round((old.stat().st_size + new.stat().st_size) / 1e6, 2),
        "output_mb": round(out_json.stat().st_size / 1e6, 2),
        "plandiff": summarise(ours),
        "git": summarise(theirs) if theirs else None,
        "text": summarise(text) if text else None,
        "accuracy": accuracy(pair, document),
    }
    row["ratio"] = row["plandiff"]["wall_s"] / row["git"]["wall_s"] if theirs else None
    row["cpu_ratio"] = row["plandiff"]["cpu_s"] / row["git"]["cpu_s"] if theirs else None
    row["text_ratio"] = row["text"]["wall_s"] / row["plandiff"]["wall_s"] if text else None
    if not args.keep:
        for path in (old, new, out_json, out_git, out_text):
            path.unlink(missing_ok=True)
    return row


def bench_startup(args: argparse.Namespace, workdir: Path, env: dict[str, str]) -> dict[str, Any]:
    floor_cmd = [args.python, "-c", "import click, rich, pydantic"]
    diff_cmd = [args.python, "-m", "plandiff", "diff", "us-28", "geneva-19"]
    if args.warmup:
        run_child(floor_cmd, stdout=None, cwd=workdir, env=env)
        run_child(diff_cmd, stdout=None, cwd=workdir, env=env)
    floor: list[Run] = []
    ours: list[Run] = []
    for _ in range(args.startup_repeat):
        floor.append(run_child(floor_cmd, stdout=None, cwd=workdir, env=env))
        ours.append(run_child(diff_cmd, stdout=None, cwd=workdir, env=env))
    result = {"floor": summarise(floor), "bundled_diff": summarise(ours)}
    result["ratio"] = result["bundled_diff"]["wall_s"] / result["floor"]["wall_s"]
    result["cpu_ratio"] = result["bundled_diff"]["cpu_s"] / result["floor"]["cpu_s"]
    return result


def targets(rows: dict[int, dict[str, Any]], startup: dict[str, Any] | None) -> dict[str, Any]:
    """Each target of issue 14 that this run measured: value, limit, met (and any stretch)."""
    out: dict[str, Any] = {}

    def check(name: str, value: float, limit: float, higher_is_better: bool = False) -> None:
        met = value >= limit if higher_is_better else value <= limit
        out[name] = {"value": round(value, 4), "limit": limit, "met": met}
        if name in STRETCH:
            out[name]["stretch"] = STRETCH[name]
            out[name]["stretch_met"] = value <= STRETCH[name]

    big, mid = rows.get(30000), rows.get(3000)
    if big is not None:
        if big["ratio"] is not None:
            check("ratio_to_git_at_30000", big["ratio"], SPEED_TARGETS["ratio_to_git_at_30000"])
        check("peak_mb_at_30000", big["plandiff"]["peak_mb"], SPEED_TARGETS["peak_mb_at_30000"])
        for key, limit in ACCURACY_TARGETS.items():
            check(f"{key}_at_30000", big["accuracy"][key], limit, higher_is_better=True)
        check("renumbered_flagged_at_30000", big["accuracy"]["renumbered_flagged"], 0)
        if big["text_ratio"] is not None:
            limit = SPEED_TARGETS["text_to_json_at_30000"]
            check("text_to_json_at_30000", big["text_ratio"], limit)
    if mid is not None:
        check("seconds_at_3000", mid["plandiff"]["wall_s"], SPEED_TARGETS["seconds_at_3000"])
    if big is not None and mid is not None:
        growth = big["plandiff"]["wall_s"] / mid["plandiff"]["wall_s"]
        check("growth_3000_to_30000", growth, SPEED_TARGETS["growth_3000_to_30000"])
    if startup is not None:
        check("startup_ratio", startup["ratio"], SPEED_TARGETS["startup_ratio"])
    return out


def table(rows: Sequence[dict[str, Any]], startup: dict[str, Any] | None) -> str:
    head = (
        f"{'N':>6} {'plandiff s':>10} {'cpu s':>7} {'peak MB':>8} {'git s':>7} {'ratio':>6}"
        f" {'F1':>7} {'merge R':>8} {'split R':>8} {'moved R':>8} {'renum':>6}"
    )
    lines = [head, "-" * len(head)]
    for r in rows:
        p, g, a = r["plandiff"], r["git"], r["accuracy"]
        git_s = f"{g['wall_s']:7.3f}" if g else f"{'-':>7}"
        ratio = f"{r['ratio']:6.2f}" if r["ratio"] is not None else f"{'-':>6}"
        lines.append(
            f"{r['n']:>6} {p['wall_s']:10.3f} {p['cpu_s']:7.3f} {p['peak_mb']:8.1f} {git_s}"
            f" {ratio} {a['correspondence_f1']:7.4f} {a['merge_recall']:8.4f}"
            f" {a['split_recall']:8.4f} {a['moved_recall']:8.4f}"
            f" {int(a['renumbered_flagged']):>6}"
        )
    for r in rows:
        if r["text"] is not None:
            t = r["text"]
            lines.append(
                f"N={r['n']}: --format text {t['wall_s']:.3f} s (cpu {t['cpu_s']:.3f}), "
                f"{r['text_ratio']:.2f} x the JSON report"
            )
    if startup is not None:
        f, d = startup["floor"], startup["bundled_diff"]
        lines.append(
            f"start-up: import floor {f['wall_s']:.3f} s (cpu {f['cpu_s']:.3f}), bundled diff "
            f"{d['wall_s']:.3f} s (cpu {d['cpu_s']:.3f}), ratio {startup['ratio']:.2f}"
        )
    return "\n".join(lines)


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="Targets (issue 14): N=30,000 plandiff <= 2.5x git wall (stretch 2x) and peak "
        "<= 300 MB; N=3,000 <= 0.8 s (stretch 0.5 s); growth 3,000 -> 30,000 <= 12x; "
        "--format text <= 2.5x --format json at the largest size; bundled diff <= 2x import "
        "floor; accuracy at N=30,000: correspondence F1 >= 0.98, merge/split recall >= 0.9, "
        "moved recall >= 0.95, no renumbered point flagged moved.",
    )
    parser.add_argument(
        "--sizes", type=int, nargs="+", metavar="N", help=f"plan sizes (default {SIZES})"
    )
    parser.add_argument(
        "--repeat", type=int, metavar="K", help="timed runs per size and tool (default 5)"
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"sizes {QUICK_SIZES} and 3 repetitions, unless --sizes/--repeat say otherwise",
    )
    parser.add_argument("--seed", type=int, default=0, help="synthetic pair seed (default 0)")
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=11,
        metavar="K",
        help="runs of each start-up command (default 11)",
    )
    parser.add_argument("--no-startup", action="store_true", help="skip the start-up check")
    parser.add_argument("--no-git", action="store_true", help="do not run git for comparison")
    parser.add_argument(
        "--no-warmup", action="store_true", help="no untimed first run of each command"
    )
    parser.add_argument(
        "--no-text",
        action="store_true",
        help="do not time --format text at the largest size",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=DEFAULT_OUT,
        help="where to write the JSON table (default benchmarks/results/latest.json)",
    )
    parser.add_argument(
        "--workdir",
        type=Path,
        help="directory for the generated plans and outputs (default: a temporary one)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the generated plans and outputs")
    parser.add_argument(
        "--python",
        default=sys.executable,
        help="interpreter that runs plandiff and the import floor (default: this one)",
    )
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    args.sizes = args.sizes or (list(QUICK_SIZES) if args.quick else list(SIZES))
    args.repeat = args.repeat or (3 if args.quick else 5)
    args.warmup = not args.no_warmup
    args.text = not args.no_text
    args.git = None if args.no_git else shutil.which("git")
    if not args.no_git and args.git is None:
        parser.error("git not found on PATH (or pass --no-git)")
    if args.repeat < 1 or args.startup_repeat < 1:
        parser.error("--repeat and --startup-repeat must be at least 1")
    return args


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    if hasattr(os, "getloadavg"):
        info["load_average"] = [round(x, 2) for x in os.getloadavg()]
    git = shutil.which("git")
    if git:
        info["git"] = subprocess.run(
            [git, "--version"], capture_output=True, text=True
        ).stdout.strip()
    return info


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    env = child_env()
    started = machine()
    with tempfile.TemporaryDirectory(prefix="plandiff-bench-") as tmp:
        workdir = args.workdir or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        rows: dict[int, dict[str, Any]] = {}
        for n in args.sizes:
            rows[n] = bench_size(n, args, workdir, env)
            print(f"N={n}: plandiff {rows[n]['plandiff']['wall_s']:.3f} s", file=sys.stderr)
        startup = None if args.no_startup else bench_startup(args, workdir, env)
    ordered = [rows[n] for n in args.sizes]
    report = {
        "command": ["benchmarks/run.py", *(argv if argv is not None else sys.argv[1:])],
        "machine": started,
        "load_average_after": [round(x, 2) for x in os.getloadavg()]
        if hasattr(os, "getloadavg")
        else None,
        "repeat": args.repeat,
        "seed": args.seed,
        "sizes": ordered,
        "startup": startup,
        "targets": targets(rows, startup),
    }
    print(table(ordered, startup))
    missed = [k for k, v in report["targets"].items() if not v["met"]]
    for name, t in report["targets"].items():
        stretch = ""
        if "stretch" in t:
            stretch = f"; stretch {t['stretch']} {'met' if t['stretch_met'] else 'not met'}"
        print(
            f"  {'met   ' if t['met'] else 'MISSED'} {name}: {t['value']} "
            f"(limit {t['limit']}{stretch})"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"written to {args.out}")
    return 1 if missed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
