"""How well paragraphs are found in a text that lost its blank lines, on the real corpus.

Usage::

    python benchmarks/paragraphs.py

Each text of ``tests/real/docs`` is cut at its blank lines (the truth: the paragraphs as
written), then joined again without them, and :func:`plandiff.paragraphs.paragraph_spans`
cuts what is left. A paragraph found counts when it starts with the same words (the first
40 characters, whitespace aside) as one of the truth. Precision and recall are given for
hard-wrapped texts (lines filled to a width) and for the others, as the rules differ.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from plandiff.lines import split_lines  # noqa: E402
from plandiff.paragraphs import paragraph_spans  # noqa: E402
from plandiff.series import line_width  # noqa: E402

_BLANK = re.compile(r"\n[ \t]*\n")
_WRAP_LIMIT = 160  # as plandiff.paragraphs: wider than this is not hard-wrapped


def _starts(text: str, spans: list[tuple[int, int]]) -> set[str]:
    return {" ".join(text[a:b].split())[:40] for a, b in spans}


def main() -> int:
    tally: dict[str, list[int]] = {"hard-wrapped": [0, 0, 0, 0], "not wrapped": [0, 0, 0, 0]}
    for path in sorted((_ROOT / "tests" / "real" / "docs").glob("*.txt")):
        blocks = [b for b in _BLANK.split(path.read_text(encoding="utf-8")) if b.strip()]
        truth = {" ".join(b.split())[:40] for b in blocks}
        flat = "\n".join(b.strip("\n") for b in blocks) + "\n"
        lines = split_lines(flat)
        width = line_width(lines)
        found = _starts(flat, paragraph_spans(lines, width))
        row = tally["hard-wrapped" if width <= _WRAP_LIMIT else "not wrapped"]
        row[0] += len(truth & found)
        row[1] += len(found - truth)
        row[2] += len(truth - found)
        row[3] += 1
    for kind, (hits, extra, missed, texts) in tally.items():
        precision = hits / (hits + extra) if hits + extra else 1.0
        recall = hits / (hits + missed) if hits + missed else 1.0
        print(
            f"{kind:<13} {texts:>3} texts, {hits + missed:>5} paragraphs: "
            f"precision {precision:.3f}, recall {recall:.3f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
