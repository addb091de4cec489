"""The plan pairs the in-process step benchmarks time: synthetic ones of given sizes, or the
``old.txt`` and ``new.txt`` of a directory (a pair ``run.py --keep`` left, or a real one)."""

from __future__ import annotations

import argparse
from pathlib import Path

from synth import generate, render_text

#: A pair to time: its name in the report, then the old and the new text.
TextPair = tuple[str, str, str]


def add_pair_options(parser: argparse.ArgumentParser, *, repeat: int) -> None:
    """``--sizes``, ``--dir``, ``--repeat`` (default ``repeat``) and ``--seed``."""
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000])
    parser.add_argument("--dir", type=Path, help="DIR/old.txt and DIR/new.txt instead")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--seed", type=int, default=1)


def text_pairs(args: argparse.Namespace) -> list[TextPair]:
    """The pairs the options name, texts generated or read once each."""
    if args.dir is not None:
        old, new = (args.dir / name for name in ("old.txt", "new.txt"))
        return [(str(args.dir), old.read_text("utf-8"), new.read_text("utf-8"))]
    pairs = []
    for n in args.sizes:
        pair = generate(n, args.seed)
        pairs.append((f"N={n}", render_text(pair.old), render_text(pair.new)))
    return pairs
