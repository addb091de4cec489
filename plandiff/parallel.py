"""Splitting a large, pure computation over a list between this process and a forked one.

Most of a big diff is pure Python over independent items (the redline and figures of each
reworded point), and the interpreter runs one thread at a time; a second core halves that part.
A forked child inherits every module and input already in memory, computes the second half,
and sends back plain data (strings and tuples) through a pipe; nothing is imported, started or
pickled on the way there.

Forking is done only where it is safe and worth it: on Linux, with at least two CPUs usable,
from a process running a single thread (a fork copies no other thread, so a lock another
thread held would never be released in the child), and for batches of at least
:data:`MIN_ITEMS` items (or fewer, when the caller says each item is big). ``PLANDIFF_JOBS=1``
turns it off. Whatever goes wrong in the child (an exception, a signal, a short read), the
parent computes that half itself: the result never depends on how it was computed.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TypeVar

__all__ = ["MIN_ITEMS", "map_split"]

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are computed in this process: forking and sending the results back
#: costs a few milliseconds, and small diffs should not start processes.
MIN_ITEMS = 1000


def map_split(
    compute: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    export: Callable[[list[R]], Any],
    restore: Callable[[Any], list[R]],
    min_items: int = MIN_ITEMS,
) -> list[R]:
    """``compute(items)``, the second half possibly computed in a forked process.

    ``compute`` must be pure and return one result per item, in order. ``export`` turns results
    into plain data that pickles quickly, and ``restore`` turns that data back into results.
    ``min_items`` is the smallest batch worth a process (when each item is big, two).
    """
    if not _may_fork(len(items), min_items):
        return compute(items)
    import pickle  # only a batch that is split needs these (a small diff's start-up does not)
    import signal

    half = len(items) // 2
    first, second = items[:half], items[half:]
    try:
        read_end, write_end = os.pipe()
    except OSError:
        return compute(items)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return compute(items)
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(lambda: export(compute(second)), write_end)
    os.close(write_end)
    reaped = False
    try:
        results = compute(first)
        data = _read_all(read_end)
        _, status = os.waitpid(pid, 0)
        reaped = True
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                rest = restore(pickle.loads(data))
            except Exception:  # a truncated or garbled reply: compute it here instead
                rest = None
            if rest is not None and len(rest) == len(second):
                return results + rest
        return results + compute(second)
    finally:
        os.close(read_end)
        if not reaped:  # interrupted, or compute(first) raised: do not leave the child behind
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass


def _may_fork(count: int, min_items: int = MIN_ITEMS) -> bool:
    if count < max(min_items, 2) or os.environ.get("PLANDIFF_JOBS", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


def _child(work: Callable[[], Any], write_end: int) -> NoReturn:
    """Run ``work`` and write its pickled result; leave through ``os._exit`` whatever happens.

    ``os._exit`` skips the parent's exit handlers and the flushing of stdio buffers the child
    inherited, which would otherwise print the parent's pending output twice.
    """
    import pickle  # already loaded by map_split before the fork: no import runs in the child

    code = 1
    try:
        payload = pickle.dumps(work(), protocol=pickle.HIGHEST_PROTOCOL)
        view = memoryview(payload)
        while view:
            view = view[os.write(write_end, view) :]
        code = 0
    except BaseException:  # the parent recomputes this half; nothing may escape the child
        pass
    finally:
        os._exit(code)


def _read_all(fd: int) -> bytes:
    chunks = []
    while chunk := os.read(fd, 1 << 20):
        chunks.append(chunk)
    return b"".join(chunks)
