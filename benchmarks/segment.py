"""CPU time of segmentation alone: ``segment()`` on each given text, in this process.

Usage::

    python benchmarks/segment.py FILE ... [--runs N]

Each text is read as given (``newline=""``: CRLF stays CRLF) and segmented ``--runs`` times;
the table gives, per text, its size, its points and the median and least CPU time of one
``segment()`` call (``time.process_time``, which a busy machine moves less than wall time).
The last line is the same for all texts together.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from plandiff.segmentation import segment  # noqa: E402


def cpu_times(text: str, runs: int) -> list[float]:
    """CPU seconds of each of ``runs`` calls of ``segment(text)``."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        segment(text)
        times.append(time.process_time() - start)
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=7, help="calls per text (default 7)")
    args = parser.parse_args(argv)
    texts = []
    for path in args.files:
        with path.open(encoding="utf-8", newline="") as file:
            texts.append((path, file.read()))
    print(f"{'text':40} {'MB':>7} {'points':>7} {'median s':>9} {'min s':>7}")
    totals = [0.0] * args.runs
    for path, text in texts:
        times = cpu_times(text, args.runs)
        totals = [a + b for a, b in zip(totals, times, strict=True)]
        points = len(segment(text).points)
        print(
            f"{path.name[:40]:40} {len(text) / 1e6:7.2f} {points:7,} "
            f"{statistics.median(times):9.3f} {min(times):7.3f}"
        )
    size = sum(len(text) for _, text in texts) / 1e6
    print(f"{'all ' + str(len(texts)) + ' texts':40} {size:7.2f} {'':7} "
          f"{statistics.median(totals):9.3f} {min(totals):7.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
