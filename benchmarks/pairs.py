"""The plan pairs the in-process step benchmarks time: synthetic ones of given sizes, or the
``old.txt`` and ``new.txt`` of a directory (a pair ``run.py --keep`` left, or a real one)."""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from pathlib import Path

from synth import generate, render_text

#: A pair to time: its name in the report, then the old and the new text.
TextPair = tuple[str, str, str]


def parse(
    doc: str, argv: Sequence[str] | None, *, repeat: int
) -> tuple[argparse.Namespace, list[TextPair]]:
    """A step benchmark's options (``--sizes``, ``--dir``, ``--repeat``, default ``repeat``, and
    ``--seed``; its description is the first line of ``doc``), and the pairs they name."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[30_000])
    parser.add_argument("--dir", type=Path, help="DIR/old.txt and DIR/new.txt instead")
    parser.add_argument("--repeat", type=int, default=repeat)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    return args, text_pairs(args)


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
