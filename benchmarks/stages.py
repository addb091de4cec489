"""Where a text diff's CPU time goes, stage by stage, in one process.

Usage::

    python benchmarks/stages.py                       # a synthetic pair of 30,000 points
    python benchmarks/stages.py --sizes 3000 30000 --repeat 5
    python benchmarks/stages.py --dir /tmp/bw/n30000  # old.txt and new.txt from DIR

``benchmarks/run.py`` says whether the whole command is fast enough; this says which part to
look at when it is not. Each run segments both texts, diffs them with
:func:`plandiff.engine.diff` and writes the JSON report as ``--format json`` does (to memory),
timing each stage of the engine's pipeline by wrapping the function the engine calls for it;
the engine itself is not copied, so the figures follow it as it changes. Printed: the median
CPU seconds of each stage over ``--repeat`` runs, and the total. A first, uncounted run imports
numpy; the stem cache is emptied before each run, as in a fresh process, and the cyclic
garbage collector is paused during it, as the command pauses it. Imports and process
start-up are left out: ``run.py`` shows those.
"""

from __future__ import annotations

import gc
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from pairs import parse

from plandiff import engine, nested, outside
from plandiff.align.wording import stem
from plandiff.render import json as json_render
from plandiff.texts import documents_from_texts, text_citation

#: The engine's stages, as (label, owner, attribute): the function of ``owner`` that
#: :func:`plandiff.engine.diff` calls for the stage, looked up there at call time.
STAGES: tuple[tuple[str, Any, str], ...] = (
    ("align (curated relations, alignment, pairing)", engine, "aligned"),
    ("entries", engine, "entries"),
    ("redlines and changed figures", engine, "redlines"),
    ("nested changes (sub-items)", nested, "nested_changes"),
    ("moves", engine, "moved_pairs"),
    ("outside the points (preamble, headings)", outside, "compare"),
    ("report order", engine, "in_report_order"),
)


#: What the engine does between and around the stages: above all, building each change with its
#: evidence (a call per change: timing each would cost as much as some stages).
REST = "build the changes with their evidence, and the rest of engine.diff"


@contextmanager
def timed_stages(seconds: dict[str, float]) -> Iterator[None]:
    """Each stage's function wrapped to add its CPU time to ``seconds`` (label → seconds)."""
    saved = [(owner, name, getattr(owner, name)) for _, owner, name in STAGES]

    def timer(label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                seconds[label] = seconds.get(label, 0.0) + time.process_time() - start

        return timed

    for (label, owner, name), (_, _, function) in zip(STAGES, saved, strict=True):
        setattr(owner, name, timer(label, function))
    try:
        yield
    finally:
        for owner, name, function in saved:
            setattr(owner, name, function)


def one_run(old_text: str, new_text: str) -> dict[str, float]:
    """The CPU seconds of each stage of one diff of the two texts, JSON report included."""
    stem.cache_clear()  # a fresh process starts with no stems known
    gc.collect()
    gc.disable()  # as `plandiff diff` runs a diff (cli/diff_cmd.py)
    try:
        return _stages(old_text, new_text)
    finally:
        gc.enable()


def _stages(old_text: str, new_text: str) -> dict[str, float]:
    seconds: dict[str, float] = {}
    start = time.process_time()
    ((old, _, _), old_outline), ((new, _, _), new_outline) = documents_from_texts(
        [(old_text, "old.txt", None), (new_text, "new.txt", None)], None, context=False
    )
    seconds["read both texts as versions (segmentation)"] = time.process_time() - start
    with timed_stages(seconds):
        start = time.process_time()
        result = engine.diff(
            old,
            new,
            sources={old.id: text_citation("old.txt"), new.id: text_citation("new.txt")},
            outlines=(old_outline, new_outline),
        )
        whole = time.process_time() - start
    seconds[REST] = whole - sum(seconds.get(label, 0.0) for label, _, _ in STAGES)
    start = time.process_time()
    for _ in json_render.render_parts(result):
        pass
    seconds["JSON report"] = time.process_time() - start
    return seconds


def main(argv: Sequence[str] | None = None) -> int:
    args, pairs = parse(__doc__, argv, repeat=3)
    for name, old_text, new_text in pairs:
        one_run(old_text, new_text)  # warm-up: imports numpy, fills the stem cache
        runs = [one_run(old_text, new_text) for _ in range(args.repeat)]
        median = {label: statistics.median(run[label] for run in runs) for label in runs[0]}
        total = sum(median.values())
        print(f"{name}: CPU seconds per stage, median of {args.repeat} runs")
        for label, value in median.items():
            print(f"  {value:7.3f}  {100 * value / total:5.1f} %  {label}")
        print(f"  {total:7.3f}  100.0 %  total")
    return 0


if __name__ == "__main__":
    sys.exit(main())
