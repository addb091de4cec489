"""The alignment's two paths for what exact matching leaves over: plain Python for a small
residual, numpy and scipy for a big one. They must give the same answer to the bit, and a
small diff must not pay for importing numpy and scipy."""

from __future__ import annotations

import importlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import plandiff.align as aligner
from plandiff.align import Correspondence, align, plain

REPO = Path(__file__).resolve().parent.parent

_NO_NUMPY = """
import sys
from plandiff.cli import main
sys.argv = ["plandiff", *{args!r}]
try:
    main()
except SystemExit:
    pass
finally:
    loaded = sorted(m for m in ("numpy", "scipy") if m in sys.modules)
    print("LOADED", loaded, file=sys.stderr)
"""


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "us-28", "geneva-19", "--no-pager", "--no-color"],
        [
            "diff",
            str(REPO / "fixtures/plans/ceasefire-v1.txt"),
            str(REPO / "fixtures/plans/ceasefire-v2.txt"),
            "--no-pager",
            "--no-color",
        ],
    ],
    ids=["bundled", "16-point-texts"],
)
def test_a_small_diff_imports_neither_numpy_nor_scipy(args: list[str]) -> None:
    out = subprocess.run(
        [sys.executable, "-c", _NO_NUMPY.format(args=args)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
        cwd=REPO,
    )
    assert out.stdout  # the diff was rendered
    assert "LOADED []" in out.stderr


def _synth() -> ModuleType:
    folder = str(REPO / "benchmarks")
    if folder not in sys.path:
        sys.path.insert(0, folder)
    return importlib.import_module("synth")


def _both_paths(
    old: list[str], new: list[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[tuple[Correspondence, ...], tuple[Correspondence, ...], int]:
    """The alignment through the plain path and through the array path, and how many
    residuals the plain path settled itself (rather than handing them on)."""
    settled = 0
    original = plain.align_residual

    def counted(*args: object, **kwargs: object) -> object:
        nonlocal settled
        found = original(*args, **kwargs)  # type: ignore[arg-type]
        settled += found is not None
        return found

    monkeypatch.setattr(plain, "align_residual", counted)
    monkeypatch.setattr(aligner, "PLAIN_LIMIT", 10**9)
    by_plain = align(old, new)
    monkeypatch.setattr(aligner, "PLAIN_LIMIT", -1)
    by_arrays = align(old, new)
    return by_plain, by_arrays, settled


def _variants(old: list[str], new: list[str]) -> Iterator[tuple[list[str], list[str]]]:
    yield old, new
    # No exact anchors at all: every point of the residual, one big gap.
    yield [f"{t} (draft)" for t in old], [f"{t} (final)" for t in new]


@settings(max_examples=12, deadline=None)
@given(st.integers(4, 90), st.integers(0, 10_000))
def test_both_paths_agree_on_synthetic_plans(n: int, seed: int) -> None:
    pair = _synth().generate(n, seed)
    with pytest.MonkeyPatch.context() as monkeypatch:
        for old, new in _variants(list(pair.old), list(pair.new)):
            by_plain, by_arrays, _ = _both_paths(old, new, monkeypatch)
            assert by_plain == by_arrays


def test_moves_flagged_from_the_settled_pins_are_those_found_afresh(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The positional prior's last look at the pins in place stands in for the move flags' own
    (the same groups): the answer is the one the flags give when they look again."""
    original = aligner._align_residual
    reused = 0

    def forgetting(*args: object) -> object:
        nonlocal reused
        settled = original(*args)  # type: ignore[arg-type]
        reused += settled.kept is not None
        return settled._replace(kept=None)

    for n, seed in [(30, 1), (60, 2), (90, 3), (300, 4)]:
        pair = _synth().generate(n, seed)
        for old, new in _variants(list(pair.old), list(pair.new)):
            for limit in (10**9, -1):  # the plain path, then the arrays
                monkeypatch.setattr(aligner, "PLAIN_LIMIT", limit)
                with_kept = align(old, new)
                with monkeypatch.context() as forget:
                    forget.setattr(aligner, "_align_residual", forgetting)
                    assert align(old, new) == with_kept
    assert reused  # the flags did stand in


_SHARED = ["ceasefire", "troops", "border", "the", "of", "elections", "sanctions", "prisoners"]
_SHARED += ["will", "be", "lifted", "Ukraine", "zone"]


def _points_of(words: list[str]) -> st.SearchStrategy[list[str]]:
    """Points of a few words each drawn from ``words``: ties everywhere."""
    return st.lists(st.lists(st.sampled_from(words), max_size=7).map(" ".join), max_size=9)


@settings(max_examples=40, deadline=None)
@given(_points_of([*_SHARED, "talks"]), _points_of([*_SHARED, "monitors"]))
def test_both_paths_agree_on_texts_of_few_words(old: list[str], new: list[str]) -> None:
    """Ties everywhere: repeated words, empty points, points of stopwords only."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        by_plain, by_arrays, _ = _both_paths(old, new, monkeypatch)
    assert by_plain == by_arrays


def test_the_plain_path_settles_a_small_residual_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    pair = _synth().generate(40, 5)
    by_plain, by_arrays, settled = _both_paths(
        _synth().numbered(pair.old), _synth().numbered(pair.new), monkeypatch
    )
    assert settled == 1 and by_plain == by_arrays
    assert any(c.kind.value in ("reworded", "merged", "split") for c in by_plain)


_BIG_RESIDUAL = """
import sys
sys.path.insert(0, "benchmarks")
from synth import generate
from plandiff import align
pair = generate(3000, 1)
found = align.align(list(pair.old), list(pair.new))
loaded = sorted(m for m in ("numpy", "scipy") if m in sys.modules)
print(len(found), "LOADED", loaded)
"""


def test_a_big_residual_is_aligned_with_numpy_alone() -> None:
    """scipy's import (0.2-0.4 s) is for the matching solver of a rival group too big to
    enumerate; a synthetic 3,000-point pair has none, so it never loads scipy."""
    out = subprocess.run(
        [sys.executable, "-c", _BIG_RESIDUAL],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        cwd=REPO,
    )
    assert "LOADED ['numpy']" in out.stdout
