"""plandiff.parallel: half of a big batch in a forked process, never a different result."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

from plandiff import parallel, worddiff

can_fork = pytest.mark.skipif(
    not parallel.may_fork(), reason="no fork here (platform, CPUs or threads)"
)


def squares_with_pids(items: Sequence[int]) -> list[tuple[int, int]]:
    return [(x * x, os.getpid()) for x in items]


def plain(result: tuple[int, int]) -> list[int]:
    return list(result)


def back(data: list[int]) -> tuple[int, int]:
    return tuple(data)  # type: ignore[return-value]


def run(
    compute: Callable[[Sequence[int]], list[tuple[int, int]]], items: Sequence[int]
) -> list[tuple[int, int]]:
    return parallel.map_split(compute, items, export=plain, restore=back)


@can_fork
def test_second_half_comes_from_a_child_and_results_keep_their_order() -> None:
    items = list(range(parallel.MIN_ITEMS + 1))
    results = run(squares_with_pids, items)
    assert [value for value, _ in results] == [x * x for x in items]
    pids = [pid for _, pid in results]
    assert pids[0] == os.getpid() and pids[-1] != os.getpid()
    assert len(set(pids)) == 2


def test_small_batches_and_jobs_1_stay_in_this_process(monkeypatch: pytest.MonkeyPatch) -> None:
    small = list(range(parallel.MIN_ITEMS - 1))
    assert {pid for _, pid in run(squares_with_pids, small)} == {os.getpid()}
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    big = list(range(parallel.MIN_ITEMS * 2))
    assert {pid for _, pid in run(squares_with_pids, big)} == {os.getpid()}


def test_no_fork_while_other_threads_run() -> None:
    stop = threading.Event()
    worker = threading.Thread(target=stop.wait)
    worker.start()
    try:
        assert not parallel.may_fork()
        results = run(squares_with_pids, list(range(parallel.MIN_ITEMS * 2)))
        assert {pid for _, pid in results} == {os.getpid()}
    finally:
        stop.set()
        worker.join()


@can_fork
def test_a_failing_child_is_replaced_by_computing_here() -> None:
    parent = os.getpid()

    def fails_in_child(items: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            raise RuntimeError("child trouble")
        return squares_with_pids(items)

    items = list(range(parallel.MIN_ITEMS * 2))
    results = run(fails_in_child, items)
    assert [value for value, _ in results] == [x * x for x in items]
    assert {pid for _, pid in results} == {parent}


@can_fork
def test_a_child_killed_by_a_signal_is_replaced_too() -> None:
    parent = os.getpid()

    def dies_in_child(items: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() != parent:
            os.kill(os.getpid(), 9)
        return squares_with_pids(items)

    items = list(range(parallel.MIN_ITEMS * 2))
    assert [value for value, _ in run(dies_in_child, items)] == [x * x for x in items]


@can_fork
def test_an_error_in_the_parent_half_propagates_and_leaves_no_child() -> None:
    parent = os.getpid()

    def fails_in_parent(items: Sequence[int]) -> list[tuple[int, int]]:
        if os.getpid() == parent:
            raise ValueError("parent trouble")
        return squares_with_pids(items)

    with pytest.raises(ValueError, match="parent trouble"):
        run(fails_in_parent, list(range(parallel.MIN_ITEMS * 2)))
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child left behind, not even a zombie


@can_fork
def test_child_does_not_print_what_the_parent_had_buffered(capfd: pytest.CaptureFixture) -> None:
    sys.stdout.write("written once")  # still in the buffer when the child is forked
    run(squares_with_pids, list(range(parallel.MIN_ITEMS * 2)))
    sys.stdout.flush()
    assert capfd.readouterr().out.count("written once") == 1


def count_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A list that grows by one on every os.fork the code under test makes."""
    forks: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        forks.append(1)
        return real_fork()

    monkeypatch.setattr(os, "fork", fork)
    return forks


def calls_here(monkeypatch: pytest.MonkeyPatch, module: object, name: str) -> list[int]:
    """The batch sizes ``module.name`` is called with in this process (a child's calls stay in
    the child). A child whose reply was lost shows up as a second call: the fallback."""
    calls: list[int] = []
    real = getattr(module, name)
    parent = os.getpid()

    def counted(*args: object) -> object:
        if os.getpid() == parent:
            calls.append(len(args[-1]))  # type: ignore[arg-type]  (the batch comes last)
        return real(*args)

    monkeypatch.setattr(module, name, counted)
    return calls


@can_fork
def test_marked_up_is_the_same_split_or_not(monkeypatch: pytest.MonkeyPatch) -> None:
    forks = count_forks(monkeypatch)
    pairs = [
        (
            f"Within {i} days, up to {i * 1000:,} troops withdraw.",
            f"Within {i + 1} days, troops go.",
        )
        for i in range(parallel.MIN_ITEMS + 7)
    ]
    here = calls_here(monkeypatch, worddiff, "marked_up_here")
    split = worddiff.marked_up(pairs)
    assert len(forks) == 1
    assert here == [round(len(pairs) / 2)]  # the second half really came from the child
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    assert split == worddiff.marked_up(pairs)
    assert len(forks) == 1
    assert split[-1][0] == worddiff.redline(*pairs[-1])
    assert split[-1][1] == worddiff.substantive_changes(split[-1][0])


@can_fork
def test_versions_from_big_texts_are_the_same_split_or_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plandiff import engine

    forks = count_forks(monkeypatch)

    def plan(words: str, skip: int) -> str:
        numbers = [n for n in range(1, 4_001) if n != skip]  # a gap: one warning each
        return "Preamble.\n\n" + "".join(f"{n}. Point {n}: {words}\n" for n in numbers)

    old = plan("the parties agree to withdraw " * 8, 17)
    new = plan("all sides shall pull back forces " * 8, 99)
    assert len(old) + len(new) >= engine._PARALLEL_SEGMENT_CHARS
    specs = [(old, "old.txt", None), (new, "new.txt", "new-new")]
    here = calls_here(monkeypatch, engine, "_segmented")
    split = engine.versions_from_texts(specs)
    assert len(forks) == 1
    assert here == [1]  # only the first text was segmented here
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    assert split == engine.versions_from_texts(specs)
    assert len(forks) == 1
    assert split[1] == engine.version_from_text(new, "new.txt", version_id="new-new")
    assert split[0][1] and split[1][1]  # the numbering gaps were reported on both sides


def big_rewrite() -> tuple[str, str]:
    """Two plans of 2,700 points: in the first 1,500, two in three reworded in place between
    points kept word for word (guessed while aligning); the last 1,200 all reworded, which
    leaves no unchanged point to guess by. A big alignment and 2,200 redlines."""

    def point(n: int, new: bool) -> str:
        if not new or (n % 3 == 0 and n <= 1_500):
            return f"Within {n} days the parties withdraw {n * 100:,} troops from sector {n}."
        return f"Within {n + 30} days the parties withdraw {n * 100:,} troops from zone {n}."

    old = "".join(f"{n}. {point(n, False)}\n" for n in range(1, 2_701))
    new = "".join(f"{n}. {point(n, True)}\n" for n in range(1, 2_701))
    return old, new


@can_fork
def test_a_big_diff_aligns_redlines_and_writes_json_in_children_with_the_same_result(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plandiff import engine
    from plandiff.render import json as json_render

    old, new = big_rewrite()
    forks = count_forks(monkeypatch)
    aligned_here = calls_here(monkeypatch, engine, "_align_each")
    marked_here = calls_here(monkeypatch, worddiff, "marked_up_here")
    rendered_here = calls_here(monkeypatch, json_render, "_entries_each")
    result = engine.diff_texts(old, new)
    text = json_render.render(result)
    assert aligned_here == []  # the alignment came from the child
    assert rendered_here == []  # and half the JSON
    guessed, late = marked_here[:-1], marked_here[-1]
    assert set(guessed) == {1} and 16 <= len(guessed) <= 1_000  # one by one while aligning
    assert late < 2_200 - len(guessed)  # the rest shared with a child
    assert len(forks) == 3  # align, the redlines not guessed, JSON
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    assert engine.diff_texts(old, new) == result
    assert json_render.render(result) == text
    assert sum(c.kind.value == "reworded" for c in result.changes) == 2_200


def test_early_redlines_guess_in_place_rewrites_and_stop_when_asked() -> None:
    from plandiff import engine

    old = ["same a", "old b", "same c", "old d", "old e", "same f", "old g", "x", "y", "z", "end"]
    new = ["same a", "new b", "same c", "new d", "new e", "same f", "new g", "p", "end"]
    early = engine._early_redlines(old, new, lambda: False)
    # 1 and 2 in place between unique unchanged points; the 4-against-2 gap is not guessed.
    assert sorted(early) == [("old b", "new b"), ("old d", "new d"), ("old e", "new e")]
    assert early["old b", "new b"] == worddiff.marked_up_here([("old b", "new b")])[0]
    stopped = engine._early_redlines(old * 20, new * 20, lambda: True)
    assert len(stopped) <= 16  # asked to stop at the first check


def test_unique_anchors_is_a_longest_ascending_run_of_once_only_items() -> None:
    import itertools
    import random

    rng = random.Random(7)
    for _ in range(300):
        old = [rng.randint(0, 12) for _ in range(rng.randint(0, 9))]
        new = [rng.randint(0, 12) for _ in range(rng.randint(0, 9))]
        run = worddiff.unique_anchors(old, new)
        once = [
            (i, new.index(x)) for i, x in enumerate(old) if old.count(x) == 1 and new.count(x) == 1
        ]
        assert set(run) <= set(once)
        assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(run))
        longest = max(
            len(c)
            for size in range(len(once) + 1)
            for c in itertools.combinations(once, size)
            if all(a[1] < b[1] for a, b in itertools.pairwise(c))
        )
        assert len(run) == longest


@can_fork
def test_a_reply_cut_short_is_completed_here_from_the_first_missing_item() -> None:
    parent = os.getpid()

    def export_until_50(result: tuple[int, int]) -> tuple[int, int, str]:
        if result[0] == 50 * 50:
            os._exit(3)  # the child dies after sending 50 whole replies
        return (*result, "x" * (1 << 20))  # a megabyte: each reply is written on its own

    def restore(data: tuple[int, int, str]) -> tuple[int, int]:
        return data[:2]

    items = list(range(100))
    with parallel.background(
        squares_with_pids, items, export=export_until_50, restore=restore
    ) as bg:
        assert bg.forked
        results = bg.result()
    assert [value for value, _ in results] == [x * x for x in items]
    pids = [pid for _, pid in results]
    assert parent not in pids[:50] and set(pids[50:]) == {parent}


@can_fork
def test_an_abandoned_background_leaves_no_child() -> None:
    def slow(items: Sequence[int]) -> list[tuple[int, int]]:
        import time

        time.sleep(30)
        return squares_with_pids(items)

    with parallel.background(slow, [1, 2], export=plain, restore=back) as bg:
        assert bg.forked
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


def test_without_a_child_the_work_is_done_when_asked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    with parallel.background(squares_with_pids, [3, 4], export=plain, restore=back) as bg:
        assert not bg.forked
        assert bg.result() == [(9, os.getpid()), (16, os.getpid())]
        with pytest.raises(RuntimeError):
            bg.result()


@can_fork
def test_a_text_over_the_point_limit_is_refused_without_segmenting_it_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plandiff import engine
    from plandiff.errors import InputError

    text = "".join(
        f"{n}. Point {n}: " + "the parties agree to withdraw " * 12 + "\n" for n in range(1, 4_001)
    )
    specs = [(text[: len(text) // 2], "old.txt", None), (text, "new.txt", None)]
    assert sum(len(t) for t, _, _ in specs) >= engine._PARALLEL_SEGMENT_CHARS
    monkeypatch.setenv("PLANDIFF_MAX_POINTS", "3000")
    here = calls_here(monkeypatch, engine, "_segmented")
    with pytest.raises(InputError, match=r"^'new.txt': 4,000 points, more than the 3,000 allowed"):
        engine.versions_from_texts(specs)
    assert here == [1]  # the child's count was used, not recomputed here


@can_fork
def test_ready_says_when_the_child_has_replied() -> None:
    import time

    def slow(items: Sequence[int]) -> list[tuple[int, int]]:
        time.sleep(0.3)
        return squares_with_pids(items)

    with parallel.background(slow, [5], export=plain, restore=back) as bg:
        assert not bg.ready()
        deadline = time.monotonic() + 30
        while not bg.ready() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert bg.ready()
        assert [value for value, _ in bg.result()] == [25]
    with parallel.background(slow, [], export=plain, restore=back) as nothing:
        assert nothing.ready() and nothing.result() == []


@can_fork
def test_a_long_text_report_is_rendered_in_two_processes_to_the_same_text(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from plandiff.cli import cli
    from plandiff.cli import output as cli_output

    old, new = big_rewrite()
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    printed_here = calls_here(monkeypatch, cli_output, "_printed")
    args = ["diff", "old.txt", "new.txt", "--no-pager"]
    split = CliRunner().invoke(cli, args)
    assert split.exit_code == 0, split.output
    assert len(printed_here) == 1  # this process printed its half; the child the other
    monkeypatch.setenv("PLANDIFF_JOBS", "1")
    assert CliRunner().invoke(cli, args).stdout == split.stdout
