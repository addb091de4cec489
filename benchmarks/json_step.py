"""CPU time of the JSON report alone: a diff's result written as ``--format json`` writes it.

Usage::

    python benchmarks/json_step.py                    # a synthetic pair of 30,000 points
    python benchmarks/json_step.py --sizes 3000 30000 --repeat 5
    python benchmarks/json_step.py --dir /tmp/bw/n30000   # old.txt and new.txt from DIR

The diff is computed once, untimed; then the document is written ``--repeat`` times as the
command writes it to a file (``render_parts``, each part UTF-8 bytes) and the median process
CPU time is printed, with the document's size. CPU time, not wall time: it does not move with
a shared machine's load as much. Run it with another checkout's interpreter to compare.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import parse

from plandiff.render import json as json_render
from plandiff.result import DiffResult
from plandiff.texts import diff_texts


def write_seconds(result: DiffResult, repeat: int) -> tuple[float, int]:
    """Median CPU seconds to write the document, and its size in bytes."""
    times, size = [], 0
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        size = 0
        for part in json_render.render_parts(result):
            size += len(part.encode("utf-8") if isinstance(part, str) else part)
        times.append(time.process_time() - start)
    return statistics.median(times), size


def main(argv: Sequence[str] | None = None) -> int:
    args, pairs = parse(__doc__, argv, repeat=3)
    for name, old_text, new_text in pairs:
        result = diff_texts(old_text, new_text, old_name="old.txt", new_name="new.txt")
        seconds, size = write_seconds(result, args.repeat)
        print(
            f"{name}: {len(result.changes)} changes, {size / 1e6:.1f} MB of JSON, "
            f"written in {seconds:.3f} s CPU (median of {args.repeat})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
