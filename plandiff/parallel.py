"""Pure work over a list done in a forked process while this one does something else.

Most of a big diff is pure Python, and the interpreter runs one thread at a time; a second core
can take a share. A forked child inherits every module and input already in memory, computes
its items and sends back plain data (strings and tuples) through a pipe; nothing is imported,
started or pickled on the way there. :func:`background` starts such a child and returns at
once, so that this process can go on with work that does not need the results (building the
versions' point references while the child aligns, say); :func:`map_split` is the common case of
sharing one batch between the two.

Forking is done only where it is safe and worth it: on Linux, with at least two CPUs usable,
from a process running a single thread (a fork copies no other thread, so a lock another
thread held would never be released in the child), never from such a child itself, and for
batches the caller judges big enough. ``PLANDIFF_JOBS=1`` turns it off. Whatever goes wrong in
the child (an exception, a signal, a short or garbled reply), this process computes what did
not arrive whole: the result never depends on how it was computed.

The child computes all its items before it writes any, then sends each as its own frame
(length, then pickled data); a frame that arrives whole is a finished result, so the results
can be taken one at a time as they are read (the JSON renderer writes them out as they come).
"""

from __future__ import annotations

import contextlib
import os
import struct
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, NoReturn, TypeVar

__all__ = ["MIN_ITEMS", "Background", "background", "map_split", "may_fork"]

T = TypeVar("T")
R = TypeVar("R")

#: Fewer items than this are computed in this process by :func:`map_split`: forking and sending
#: the results back costs a few milliseconds, and small diffs should not start processes.
MIN_ITEMS = 1000

#: The frame header: the length of the pickled data that follows.
_HEADER = struct.Struct("<Q")

#: Set in a forked child, which never forks again (its work is the share it was given).
_in_child = False


def may_fork() -> bool:
    """Whether a child process may be forked here and now (platform, CPUs, threads, settings)."""
    if _in_child or os.environ.get("PLANDIFF_JOBS", "").strip() == "1":
        return False
    if not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if threading.active_count() != 1:
        return False
    try:
        return len(os.sched_getaffinity(0)) >= 2
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) >= 2


class Background(Generic[T, R]):
    """``compute(items)``, running in a forked child or (when none was started) deferred.

    Take the results with :meth:`result` or, one at a time as they arrive, :meth:`stream`;
    either waits for the child. Close it (or use it as a context manager) when the results
    may not be wanted after all: an unfinished child is killed and reaped, never left behind.
    """

    def __init__(
        self,
        compute: Callable[[Sequence[T]], list[R]],
        items: Sequence[T],
        restore: Callable[[Any], R],
        pid: int | None,
        read_end: int | None,
    ) -> None:
        self._compute, self._items, self._restore = compute, items, restore
        self._pid, self._fd = pid, read_end
        self._taken = False

    @property
    def forked(self) -> bool:
        """True when a child was started for the work."""
        return self._pid is not None

    def ready(self) -> bool:
        """Whether asking for the results now would not wait (for long): the child has started
        to reply or has ended, or there is no child."""
        if self._fd is None:
            return True
        import select

        try:
            readable, _, _ = select.select([self._fd], [], [], 0)
        except (OSError, ValueError):
            return True
        return bool(readable)

    def result(self) -> list[R]:
        """Every item's result, in order."""
        return list(self.stream())

    def stream(self) -> Iterator[R]:
        """Every item's result, in order, each as soon as it has been read whole.

        From the first item whose reply is missing or broken on, the results are computed here.
        """
        if self._taken:
            raise RuntimeError("the results of a background computation are taken once")
        self._taken = True
        done = 0
        try:
            if self._fd is not None:
                for value in self._replies():
                    yield value
                    done += 1
        finally:
            self.close()
        if done < len(self._items):
            yield from self._compute(self._items[done:])

    def _replies(self) -> Iterator[R]:
        import pickle

        assert self._fd is not None
        with os.fdopen(self._fd, "rb", buffering=1 << 20, closefd=False) as pipe:
            for _ in range(len(self._items)):
                header = pipe.read(_HEADER.size)
                if len(header) != _HEADER.size:
                    return
                (size,) = _HEADER.unpack(header)
                data = pipe.read(size)
                if len(data) != size:
                    return
                try:
                    value = self._restore(pickle.loads(data))
                except Exception:  # a garbled reply: computed here instead, from this item on
                    return
                yield value

    def close(self) -> None:
        """Stop the child if it is still running, reap it and close the pipe (idempotent)."""
        if self._pid is not None:
            import signal

            with contextlib.suppress(OSError):  # a finished child is a zombie: no effect
                os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(OSError):
                os.waitpid(self._pid, 0)
            self._pid = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> Background[T, R]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def background(
    compute: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    export: Callable[[R], Any],
    restore: Callable[[Any], R],
    worth_it: bool = True,
) -> Background[T, R]:
    """Start ``compute(items)`` in a forked child when ``worth_it`` and :func:`may_fork`.

    ``compute`` must be pure and return one result per item, in order. ``export`` turns a
    result into plain data that pickles quickly, and ``restore`` turns that data back. Without
    a child, the work is done when the results are asked for.
    """
    if not items or not worth_it or not may_fork():
        return Background(compute, items, restore, None, None)
    import pickle  # loaded before the fork: the child imports nothing on its way out

    try:
        read_end, write_end = os.pipe()
    except OSError:
        return Background(compute, items, restore, None, None)
    try:
        pid = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return Background(compute, items, restore, None, None)
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(
            lambda: compute(items),
            lambda result: pickle.dumps(export(result), pickle.HIGHEST_PROTOCOL),
            write_end,
        )
    os.close(write_end)
    return Background(compute, items, restore, pid, read_end)


def map_split(
    compute: Callable[[Sequence[T]], list[R]],
    items: Sequence[T],
    *,
    export: Callable[[R], Any],
    restore: Callable[[Any], R],
    min_items: int = MIN_ITEMS,
    child_share: float = 0.5,
) -> list[R]:
    """``compute(items)``, the last ``child_share`` of the items possibly done by a child.

    ``min_items`` is the smallest batch worth a process (when each item is big, two).
    """
    if len(items) < max(min_items, 2):
        return compute(items)
    cut = min(len(items) - 1, max(1, round(len(items) * (1 - child_share))))
    with background(compute, items[cut:], export=export, restore=restore) as rest:
        first = compute(items[:cut])
        return first + rest.result()


def _child(work: Callable[[], list[R]], dump: Callable[[R], bytes], write_end: int) -> NoReturn:
    """Run ``work``, then write each result, as ``dump`` encodes it, as a frame; leave through
    ``os._exit``. (Encoded one at a time as they are written: a batch of 40 MB of text is not
    held twice.)

    ``os._exit`` skips the parent's exit handlers and the flushing of stdio buffers the child
    inherited, which would otherwise print the parent's pending output twice.
    """
    global _in_child
    _in_child = True
    code = 1
    try:
        results = work()
        buffer = bytearray()
        for result in results:
            frame = dump(result)
            buffer += _HEADER.pack(len(frame))
            buffer += frame
            if len(buffer) >= 1 << 20:
                _write_all(write_end, buffer)
                buffer.clear()
        _write_all(write_end, buffer)
        code = 0
    except BaseException:  # the parent computes what did not arrive; nothing may escape here
        pass
    finally:
        os._exit(code)


def _write_all(fd: int, data: bytearray) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]
