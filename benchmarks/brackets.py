"""Bracketed (unagreed) text found in the real corpus, where none is under negotiation.

Usage::

    python benchmarks/brackets.py [--verbose]

The documents of ``tests/real/`` (see ``benchmarks/real.py``) are enacted laws, licences,
standards and resolutions: none marks unagreed language with square brackets, so every span
:func:`plandiff.brackets.bracketed_spans` reports in them is a false positive. This prints, per
document with any, how many bracket pairs it has and how many were taken for unagreed text
(with ``--verbose``, the spans themselves), then the totals.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from benchmarks.real import load_documents  # noqa: E402
from plandiff.brackets import bracketed_spans  # noqa: E402


def _pairs(text: str) -> int:
    """Balanced outermost ``[``…``]`` pairs, whatever they hold."""
    count = depth = 0
    for ch in text:
        if ch == "[":
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
            count += depth == 0
    return count


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--verbose", action="store_true", help="print every span found")
    args = parser.parse_args(argv)
    docs = load_documents()
    pairs = found = flagged = 0
    for doc in docs:
        spans = bracketed_spans(doc.text)
        n_pairs = _pairs(doc.text)
        pairs += n_pairs
        found += len(spans)
        flagged += bool(spans)
        if spans:
            print(f"{doc.id}: {n_pairs} bracket pairs, {len(spans)} taken for unagreed text")
            if args.verbose:
                for s in spans:
                    print(f"    {' '.join(doc.text[s.start : s.end].split())[:100]}")
    print(
        f"{len(docs)} documents, {pairs} bracket pairs: {found} taken for unagreed text "
        f"(false positives: the corpus has no negotiating draft) in {flagged} documents"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
