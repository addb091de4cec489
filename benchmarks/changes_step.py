"""CPU time of building a diff's changes alone: from the alignment and redlines to the result's
ordered changes, as :func:`plandiff.engine.diff` builds them.

Usage::

    python benchmarks/changes_step.py                    # a synthetic pair of 30,000 points
    python benchmarks/changes_step.py --sizes 3000 30000 --repeat 5
    python benchmarks/changes_step.py --dir /tmp/bw/n30000   # old.txt and new.txt from DIR

The two texts are segmented, aligned and redlined once, untimed, by the engine's own steps;
then the changes are built ``--repeat`` times (each point's reference and quotes, each change,
the report order) and the median process CPU time is printed. Run it with another checkout's
interpreter to compare; ``json_step.py`` times the writing that follows.
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

from plandiff import align, engine, nested, outside
from plandiff.changes import Builder, entries, in_report_order, moved_pairs
from plandiff.curated import curated
from plandiff.evidence import citations
from plandiff.texts import documents_from_texts, side_ids, text_citation


def build_seconds(old_text: str, new_text: str, repeat: int) -> tuple[float, int]:
    """Median CPU seconds to build the changes of the two texts' diff, and how many."""
    old_id, new_id = side_ids(("old.txt", True), ("new.txt", True))
    ((old, _, _), old_outline), ((new, _, _), new_outline) = documents_from_texts(
        [(old_text, "old.txt", old_id), (new_text, "new.txt", new_id)], None, context=False
    )
    outlines = (old_outline, new_outline)
    cited = citations(None, {old.id: text_citation("old.txt"), new.id: text_citation("new.txt")})
    relations = curated(old, new)
    automatic = engine.aligned(old, new, relations, outlines, align.DEFAULT_SETTINGS)
    found = entries(old, new, relations, automatic)
    marked = engine.redlines(old, new, found)
    inside = nested.nested_changes(old, new, found, outlines, align.DEFAULT_SETTINGS)
    groups, moved = moved_pairs(relations, automatic, old, new)
    heading_pairs = outside.compare(*outlines)[1]
    times, count = [], 0
    gc.disable()  # as the CLI builds them (see cli/diff_cmd.py)
    for _ in range(repeat):
        start = time.process_time()
        builder = Builder(old, new, cited, outlines, heading_pairs, dict(marked), moved, inside)
        built = builder.build_all(found)
        count = len(in_report_order(old, groups, found, built))
        times.append(time.process_time() - start)
    gc.enable()
    return statistics.median(times), count


def main(argv: Sequence[str] | None = None) -> int:
    args, pairs = parse(__doc__, argv, repeat=3)
    for name, old_text, new_text in pairs:
        seconds, count = build_seconds(old_text, new_text, args.repeat)
        print(f"{name}: {count} changes built in {seconds:.3f} s CPU (median of {args.repeat})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
