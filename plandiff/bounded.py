"""Reading files with a size limit counted in bytes actually read, never in what ``stat`` says.

Every file plandiff reads goes through here, because ``st_size`` is 0 for a pipe, ``/dev/zero``
or ``-`` and says nothing about a file that grows while it is read. Two kinds of reader:

* :func:`read_input`: a file named on the command line (a regular file, a pipe, a device, or
  ``-`` for standard input). Any kind is accepted; it is read up to the limit and refused past it.
* :func:`read_inside`: a file of a registry, which a registry received from someone else may
  have replaced by a symlink to ``/dev/zero``, a FIFO, or a file outside it. Only a regular file
  whose real path lies inside the registry is read, and that is checked on the opened
  descriptor, so nothing can swap the file between the check and the read.

Failures are one-line messages naming the file: :class:`ValueError` (or
:class:`FileNotFoundError`) for registry files, :class:`~plandiff.errors.InputError` for inputs.
"""

from __future__ import annotations

import os
import stat
import sys
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from plandiff.errors import InputError, show

#: Opening a FIFO for reading waits for a writer; with O_NONBLOCK it returns at once, and the
#: descriptor's type is then checked (a registry never holds a FIFO). O_NOCTTY: a terminal
#: device must not become the controlling terminal.
_REGISTRY_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)
_CHUNK = 1 << 20


def read_at_most(stream: BinaryIO | int, limit: int, expected: int = 0) -> bytes:
    """Up to ``limit + 1`` bytes of a file object or descriptor: one more than allowed is enough
    to know the input is too big, and no more is ever read.

    ``expected`` is what ``stat`` says a regular file holds. It only sizes the first read (one
    byte more, to see the end): a file that holds what it says is read in one call into one
    buffer, instead of in chunks then joined, which took twice as long at 12 MB. The limit
    still counts the bytes read, whatever the file said.
    """
    chunks: list[bytes] = []
    wanted = limit + 1
    size = expected + 1 if expected > 0 else _CHUNK
    while wanted > 0:
        if isinstance(stream, int):
            chunk = os.read(stream, min(wanted, size))
        else:
            chunk = stream.read(min(wanted, size))
        if not chunk:
            break
        chunks.append(chunk)
        wanted -= len(chunk)
        size = _CHUNK
    return b"".join(chunks)  # one chunk is returned as it is, not copied


# --------------------------------------------------------------------------- registry files


def safe_relpath(root: Path, rel: str) -> Path:
    """Resolve ``rel`` inside ``root``, refusing absolute paths, ``..`` and escaping symlinks.

    A check on names only: :func:`read_inside` checks again on the opened file.
    """
    if not rel or "\\" in rel or "\x00" in rel:
        raise ValueError(f"path {show(rel)} is not a relative '/'-separated path")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise ValueError(f"path {show(rel)} escapes the registry")
    target = root / Path(*pure.parts)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ValueError(f"path {show(rel)} cannot be resolved (a symlink loop?)") from exc
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"path {show(rel)} escapes the registry (it resolves outside it)")
    return target


def read_inside(root: Path, rel: str, limit: int, what: str = "file") -> bytes:
    """The bytes of the registry file ``rel``: a regular file inside ``root``, within ``limit``.

    Raises :class:`FileNotFoundError` when it is missing, else :class:`ValueError` with a
    one-line message that starts with ``what`` and the path.
    """
    path = safe_relpath(root, rel)
    label = f"{what} {show(rel)}"
    try:
        fd = os.open(path, _REGISTRY_OPEN_FLAGS)
    except FileNotFoundError as exc:
        raise FileNotFoundError(f"{label} is missing") from exc
    except OSError as exc:
        raise ValueError(f"{label} cannot be read ({exc.strerror or exc})") from exc
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise ValueError(f"{label} is not a regular file")
        _check_inside(root, path, opened, label)
        try:
            data = read_at_most(fd, limit, opened.st_size)
        except OSError as exc:
            raise ValueError(f"{label} cannot be read ({exc.strerror or exc})") from exc
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ValueError(
            f"{label} has {max(opened.st_size, len(data))} bytes, over the limit of {limit}"
        )
    return data


def _check_inside(root: Path, path: Path, opened: os.stat_result, label: str) -> None:
    """The opened file is the one at a real path inside ``root`` (not swapped after the name
    was checked, not reached through a symlink that now leads out)."""
    real = Path(os.path.realpath(path))
    if not real.is_relative_to(Path(os.path.realpath(root))):
        raise ValueError(f"{label} escapes the registry (it resolves outside it)")
    try:
        there = real.stat()
    except OSError:
        there = None
    if there is None or (there.st_dev, there.st_ino) != (opened.st_dev, opened.st_ino):
        raise ValueError(f"{label} was replaced while it was read; try again")


# --------------------------------------------------------------------------- command-line inputs


def read_input(arg: str, limit: int, what: str, limit_name: str) -> bytes:
    """The bytes of a file named on the command line, ``-`` being standard input.

    Pipes, devices and process substitutions are read like files, up to ``limit`` bytes;
    past it the input is refused naming ``limit_name``, the variable that raises the limit.
    """
    if arg == "-":
        data = read_at_most(sys.stdin.buffer, limit)
        size = None
    else:
        path = Path(arg)
        if path.is_dir():
            raise InputError(f"{show(arg)} is a directory, not {what}")
        try:
            with open(path, "rb") as fh:
                info = os.fstat(fh.fileno())
                regular = stat.S_ISREG(info.st_mode)
                data = read_at_most(fh, limit, info.st_size if regular else 0)
        except FileNotFoundError as exc:
            raise InputError(f"{show(arg)}: no such file") from exc
        except OSError as exc:
            raise InputError(f"{show(arg)}: cannot read ({exc.strerror or exc})") from exc
        size = info.st_size if regular else None
    if len(data) > limit:
        amount = f"{max(size, len(data))}" if size is not None else f"more than {limit}"
        raise InputError(
            f"{show(arg)}: {amount} bytes, over the limit of {limit} ({limit_name} raises it)"
        )
    return data


__all__ = ["read_at_most", "read_input", "read_inside", "safe_relpath"]
