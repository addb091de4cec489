"""Atomic, locked changes to a directory of files: the write journal and the registry's locks.

A change (:func:`commit`) stages every new file in a hidden directory, records the staged files
and their SHA-256 digests in a manifest written atomically (the commit point), then renames them
into place. A process killed at any moment leaves either the old files or the new ones, and the
next *writer* finishes (:func:`recover`) or discards the interrupted change.

A journal is data from disk, and a registry may come from someone else (through git, say):
recovery replays one only when every path in it passes the caller's naming rule, stays inside
the directory, and every staged file has the digest the manifest records. Readers never replay
(see :func:`plandiff.store.load_registry`): a command that only reads must not write a file.

Writers hold an exclusive lock (:func:`locked`) for a whole change, and lock readers out while
files change; readers hold a shared lock while they read (:func:`reading`), so a reader sees the
files before a commit or after it, never a mix.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import shutil
import stat
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from plandiff.bounded import read_inside, safe_relpath
from plandiff.errors import LockError, Problem, RegistryError, show

LOCK_NAME = ".plandiff.lock"
TXN_DIR = ".plandiff-txn"
MANIFEST = f"{TXN_DIR}/manifest.json"
#: How long a writer or reader waits for another writer to finish before giving up.
LOCK_TIMEOUT_SECONDS = 10.0
#: Names commit() gives staged files inside the journal directory.
_STAGED_NAME = re.compile(r"[0-9]+\.new")
_SHA256 = re.compile(r"[0-9a-f]{64}")
#: The largest manifest read: a line of about 150 bytes for each file of a change.
_MANIFEST_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Entry:
    """One change of a journal: write ``staged`` (whose bytes are ``data``) to ``path``, or
    delete ``path`` when ``staged`` is None. ``data`` is None for a staged file that an earlier
    recovery already renamed into place."""

    path: str
    staged: str | None
    data: bytes | None

    @property
    def deletes(self) -> bool:
        return self.staged is None


#: A naming rule: the problems (one line each) with a journal's entries, empty when the store
#: itself could have written every one of them.
PathRule = Callable[[Path, Sequence[Entry]], list[str]]


# --------------------------------------------------------------------------- plain writes


def fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    import tempfile

    if path.is_dir():  # else the rename fails naming the temporary file
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would (0666 less umask).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    fsync_dir(path.parent)


# --------------------------------------------------------------------------- the journal


def _refuse(where: str, why: str) -> RegistryError:
    return RegistryError(
        [
            Problem(
                MANIFEST,
                where,
                f"refusing to finish an interrupted write: {why}; remove the {TXN_DIR} "
                "directory to discard it",
            )
        ]
    )


def _entries(root: Path, raw: object, limit: int) -> list[Entry]:
    """The manifest's entries with their staged bytes, each checked against its digest."""
    if not isinstance(raw, list):
        raise _refuse("", "the manifest is not a list of entries")
    entries = []
    for n, item in enumerate(raw):
        rel = item.get("path") if isinstance(item, dict) else None
        staged = item.get("staged") if isinstance(item, dict) else None
        digest = item.get("sha256") if isinstance(item, dict) else None
        if not isinstance(rel, str) or not (staged is None or isinstance(staged, str)):
            raise _refuse(f"[{n}]", "not a {path, staged} entry")
        try:
            safe_relpath(root, rel)
        except ValueError as exc:
            raise _refuse(f"[{n}]", str(exc)) from exc
        if staged is None:
            entries.append(Entry(rel, None, None))
            continue
        if not _STAGED_NAME.fullmatch(staged):
            raise _refuse(f"[{n}]", f"staged file {show(staged)} is not a journal file")
        if not isinstance(digest, str) or not _SHA256.fullmatch(digest):
            raise _refuse(f"[{n}]", "no sha256 digest of the staged file")
        try:
            data = read_inside(root, f"{TXN_DIR}/{staged}", limit, "staged file")
        except FileNotFoundError:
            entries.append(Entry(rel, staged, None))  # renamed into place before a crash
            continue
        except ValueError as exc:
            raise _refuse(f"[{n}]", str(exc)) from exc
        if hashlib.sha256(data).hexdigest() != digest:
            raise _refuse(f"[{n}]", f"staged file {show(staged)} does not match its digest")
        entries.append(Entry(rel, staged, data))
    return entries


def pending(root: Path) -> bool:
    """Whether ``root`` holds a journal (an interrupted write, or one being made right now)."""
    return os.path.lexists(root / TXN_DIR)


def recover(root: Path, rule: PathRule, limit: int) -> None:
    """Finish a write whose manifest was committed, or discard one that was not.

    Call it holding the write lock. A committed journal is replayed only when ``rule`` finds
    nothing wrong with its paths and every staged file matches its digest; else nothing is
    touched and a :class:`RegistryError` says why.
    """
    with _excluding_readers(root):
        _recover(root, rule, limit)


def _recover(root: Path, rule: PathRule, limit: int) -> None:
    import json
    import shutil

    txn = root / TXN_DIR
    if txn.is_symlink():
        raise RegistryError(
            [Problem(TXN_DIR, "", "is a symbolic link, not a journal written by plandiff")]
        )
    if not txn.is_dir():
        if os.path.lexists(txn):
            raise RegistryError([Problem(TXN_DIR, "", "is not a directory written by plandiff")])
        return
    try:
        raw = json.loads(read_inside(root, MANIFEST, _MANIFEST_LIMIT, "manifest"))
    except (OSError, ValueError, RecursionError):
        raw = None  # not committed (atomic_write makes it whole or absent): discard
    if raw is not None:
        entries = _entries(root, raw, limit)
        problems = rule(root, entries)
        if problems:
            raise _refuse("", problems[0])
        for entry in entries:
            target = safe_relpath(root, entry.path)
            if entry.staged is None:
                with contextlib.suppress(FileNotFoundError):
                    target.unlink()
            elif entry.data is not None:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(txn / entry.staged, target)
    shutil.rmtree(txn, ignore_errors=True)
    fsync_dir(root)


def commit(
    root: Path,
    changes: Mapping[str, bytes | None],
    rule: PathRule,
    limit: int,
    last: Callable[[str], bool] | None = None,
) -> None:
    """Apply file changes (relative path → new bytes, or None to delete) all or nothing.

    Deletions of the paths ``last`` picks are applied after every other change, so a replay
    interrupted part way still finds the record (a source's TOML) that names the files before
    it (its text), which ``rule`` needs to allow their deletion.
    """
    if not changes:
        return
    with _excluding_readers(root):
        _commit(root, changes, rule, limit, last)


def _commit(
    root: Path,
    changes: Mapping[str, bytes | None],
    rule: PathRule,
    limit: int,
    last: Callable[[str], bool] | None = None,
) -> None:
    _recover(root, rule, limit)
    txn = root / TXN_DIR
    try:
        _stage(root, txn, changes, last)
    except BaseException as exc:
        # Until its manifest is in place a journal commits nothing: a write that fails here (a
        # full disk, a read-only registry, Ctrl-C) removes what it staged, or every command that
        # only reads would refuse the registry until the next writer.
        if not os.path.lexists(root / MANIFEST):
            shutil.rmtree(txn, ignore_errors=True)
        if isinstance(exc, OSError):
            why = exc.strerror or str(exc)
            raise RegistryError(
                [Problem(str(root), "", f"cannot write: {why}; nothing was changed")]
            ) from exc
        raise
    _recover(root, rule, limit)


def _stage(
    root: Path,
    txn: Path,
    changes: Mapping[str, bytes | None],
    last: Callable[[str], bool] | None = None,
) -> None:
    """Each new file's bytes in the journal, then the manifest that commits them."""
    import json

    def order(item: tuple[str, bytes | None]) -> tuple[bool, str]:
        rel, data = item
        return (data is None and last is not None and last(rel), rel)

    txn.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, str | None]] = []
    for n, (rel, data) in enumerate(sorted(changes.items(), key=order)):
        safe_relpath(root, rel)
        if data is None:
            entries.append({"path": rel, "staged": None})
            continue
        staged = f"{n}.new"
        with open(txn / staged, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        digest = hashlib.sha256(data).hexdigest()
        entries.append({"path": rel, "staged": staged, "sha256": digest})
    fsync_dir(txn)
    atomic_write(txn / "manifest.json", json.dumps(entries).encode())


# --------------------------------------------------------------------------- locks

#: Registries (thread, resolved path) whose write lock this process holds. Keyed by thread: the
#: lock is re-entrant for the thread that holds it, while another thread must wait its turn.
_HELD: set[tuple[int, Path]] = set()


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the registry's write lock; a second writer waits, then fails with a clear message."""
    from filelock import FileLock, Timeout

    key = (threading.get_ident(), root.resolve())
    if key in _HELD:  # re-entrant: a second FileLock on the same file would wait for the first
        yield
        return
    lock = FileLock(str(root / LOCK_NAME))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise LockError(
            f"registry {root} is locked by another plandiff process "
            f"(waited {timeout:g}s for {LOCK_NAME})"
        ) from exc
    _HELD.add(key)
    try:
        yield
    finally:
        _HELD.discard(key)
        lock.release()


def _open_gate(root: Path) -> int | None:
    """A descriptor of the writers' lock file, or None when there is none (a reader creates no
    file: a command that only reads writes nothing, not even a lock)."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root / LOCK_NAME, flags)
    except OSError:
        return None
    if not stat.S_ISREG(os.fstat(fd).st_mode):
        os.close(fd)
        raise RegistryError([Problem(LOCK_NAME, "", "is not a regular file")])
    return fd


def _open_directory(root: Path) -> int | None:
    """A descriptor of the registry directory itself, whose ``flock`` is the readers' lock."""
    try:
        return os.open(
            root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError:
        return None


def _flock(fd: int, operation: int, root: Path, what: str, wait: float) -> None:
    """``flock`` with a deadline: polled, so that a stuck process ends in a clear message."""
    import fcntl

    deadline = time.monotonic() + wait
    while True:
        try:
            fcntl.flock(fd, operation | fcntl.LOCK_NB)
            return
        except BlockingIOError:
            if time.monotonic() >= deadline:
                raise LockError(
                    f"registry {root} is locked by another plandiff process "
                    f"(waited {wait:g}s for {what})"
                ) from None
            time.sleep(0.002)
        except OSError:
            return  # a file system without flock: read as before locks existed


@contextlib.contextmanager
def reading(root: Path, timeout: float | None = None) -> Iterator[None]:
    """Hold the readers' lock while reading, so that no writer commits in the middle of a read.

    The readers' lock is a ``flock`` on the registry directory itself (so a reader creates no
    file): readers hold it shared, a writer exclusively while files change (:func:`commit`,
    :func:`recover`), which waits for the reads under way. So that a stream of readers cannot
    starve a writer, a reader first passes through the writers' lock file (shared, for an
    instant), where it waits while a writer holds it. Where ``fcntl`` is missing (Windows),
    readers take the writers' lock in turn.
    """
    wait = LOCK_TIMEOUT_SECONDS if timeout is None else timeout
    if (threading.get_ident(), root.resolve()) in _HELD:
        yield  # this thread is the writer: it sees its own state
        return
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        with locked(root, wait):
            yield
        return
    gate = _open_gate(root)
    readers = None
    try:
        if gate is not None:
            _flock(gate, fcntl.LOCK_SH, root, LOCK_NAME, wait)
        readers = _open_directory(root)
        if readers is not None:
            _flock(readers, fcntl.LOCK_SH, root, "its directory", wait)
    except BaseException:
        if readers is not None:
            os.close(readers)
        raise
    finally:
        if gate is not None:
            os.close(gate)  # releases the gate: a waiting writer may take it now
    try:
        yield
    finally:
        if readers is not None:
            os.close(readers)


@contextlib.contextmanager
def _excluding_readers(root: Path) -> Iterator[None]:
    """Held by a writer while files change: waits for the reads under way, then holds off new
    ones (which wait at the writers' lock anyway)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows: readers take the writers' lock
        yield
        return
    fd = _open_directory(root)
    if fd is None:
        yield
        return
    try:
        _flock(fd, fcntl.LOCK_EX, root, "its directory", LOCK_TIMEOUT_SECONDS)
        yield
    finally:
        os.close(fd)


__all__ = [
    "LOCK_NAME",
    "LOCK_TIMEOUT_SECONDS",
    "TXN_DIR",
    "Entry",
    "atomic_write",
    "commit",
    "locked",
    "pending",
    "reading",
    "recover",
]
