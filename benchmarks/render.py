"""How long the reports take to write, apart from the diff: CPU time of each, in one process.

The diff of a synthetic pair (as ``run.py`` makes them, or the two files given) is computed
once; then each report is rendered from it ``--repeat`` times and the median CPU time printed,
beside the diff's own. The text report is what ``--format text`` prints to a pipe (laid out by
``render/layout.py``), 100 columns wide, with or without colour.

    .venv/bin/python benchmarks/render.py --n 30000
    .venv/bin/python benchmarks/render.py --old a.txt --new b.txt --color
"""

from __future__ import annotations

import argparse
import gc
import io
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
for _path in (_ROOT, _ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from synth import generate, render_text  # noqa: E402

from plandiff import diff_texts  # noqa: E402
from plandiff.render import json as json_report  # noqa: E402
from plandiff.render import markdown, terminal  # noqa: E402
from plandiff.render.console import report_console  # noqa: E402
from plandiff.result import DiffResult  # noqa: E402


def cpu(work: Callable[[], object], repeat: int) -> float:
    """The median CPU seconds of ``work`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def text_report(result: DiffResult, color: bool, side_by_side: bool) -> str:
    console = report_console(io.StringIO(), 100, color, environ={})
    report = terminal.render(result, width=100, side_by_side=side_by_side)
    return report.printed(console)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=3000, help="points of the synthetic pair")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--old", type=Path, help="diff these two files instead")
    parser.add_argument("--new", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--color", action="store_true", help="the text report in colour")
    args = parser.parse_args(argv)
    if args.old and args.new:
        old = args.old.read_text(encoding="utf-8")
        new = args.new.read_text(encoding="utf-8")
        name = f"{args.old} → {args.new}"
    else:
        pair = generate(args.n, args.seed)
        old, new = render_text(pair.old), render_text(pair.new)
        name = f"synthetic, {args.n} points, seed {args.seed}"
    gc.disable()  # as the CLI runs a diff and its report
    start = time.process_time()
    result = diff_texts(old, new)
    diffed = time.process_time() - start
    print(f"{name}: {len(result.changes)} changes")
    print(f"  diff                 {diffed:6.2f} s CPU (once)")
    reports: list[tuple[str, Callable[[], object]]] = [
        ("text", lambda: text_report(result, args.color, False)),
        ("text --side-by-side", lambda: text_report(result, args.color, True)),
        ("markdown", lambda: markdown.render(result)),
        ("json", lambda: json_report.render(result)),
    ]
    for label, work in reports:
        print(f"  {label:<20} {cpu(work, args.repeat):6.2f} s CPU (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
