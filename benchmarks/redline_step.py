"""CPU time of the redline step alone: ``worddiff.marked_up`` on the pairs a diff redlines.

Usage::

    python benchmarks/redline_step.py                     # a synthetic pair of 30,000 points
    python benchmarks/redline_step.py --dir /tmp/bw/n30000 --repeat 5
    python benchmarks/redline_step.py --sizes 3000 30000

The two texts are segmented and aligned as ``plandiff diff`` does, untimed; the (old, new)
point texts that :func:`plandiff.engine.redlines` hands to :func:`plandiff.worddiff.marked_up`
are collected, and that call is timed ``--repeat`` times (after one untimed warm-up, which
compiles the patterns and fills the token caches as the first pairs of a real run do). It
prints the median process CPU time, and a digest of the output, so two checkouts can be
compared both for speed and for sameness. Run it with another checkout's interpreter to
compare.
"""

from __future__ import annotations

import gc
import hashlib
import statistics
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import parse

from plandiff import engine, worddiff
from plandiff.align import DEFAULT_SETTINGS
from plandiff.changes import entries, joined, needs_redline
from plandiff.curated import curated
from plandiff.texts import documents_from_texts


def redlined_pairs(old_text: str, new_text: str) -> list[tuple[str, str]]:
    """The (old, new) texts that a diff of the two plan texts redlines, in its order."""
    (old_doc, old_outline), (new_doc, new_outline) = documents_from_texts(
        [(old_text, "old.txt", "old"), (new_text, "new.txt", "new")], context=False
    )
    old, new = engine.as_record(old_doc.version), engine.as_record(new_doc.version)
    relations = curated(old, new)
    automatic = engine.aligned(old, new, relations, (old_outline, new_outline), DEFAULT_SETTINGS)
    found = entries(old, new, relations, automatic)
    return [(joined(old, e.old), joined(new, e.new)) for e in found if needs_redline(e)]


def marked_up_seconds(pairs: Sequence[tuple[str, str]], repeat: int) -> tuple[float, str]:
    """Median CPU seconds of one ``marked_up(pairs)``, and a digest of what it returns."""
    digest = hashlib.sha256(repr(worddiff.marked_up(pairs)).encode("utf-8")).hexdigest()
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        worddiff.marked_up(pairs)
        times.append(time.process_time() - start)
    return statistics.median(times), digest[:16]


def main(argv: Sequence[str] | None = None) -> int:
    args, texts = parse(__doc__, argv, repeat=5)
    for name, old_text, new_text in texts:
        pairs = redlined_pairs(old_text, new_text)
        seconds, digest = marked_up_seconds(pairs, args.repeat)
        print(
            f"{name}: {len(pairs):,} pairs redlined in {seconds:.3f} s CPU "
            f"({seconds / max(len(pairs), 1) * 1e6:.0f} µs a pair; median of {args.repeat}), "
            f"output {digest}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
