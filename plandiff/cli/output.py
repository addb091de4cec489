"""Writing a command's report to stdout, through a pager when it is long, as git does.

A report is rendered to a string first (with colour only when :meth:`Env.use_color` says so),
then written. On a terminal, output taller than the screen goes through ``$PLANDIFF_PAGER``,
else ``$PAGER``, else ``less`` (with ``LESS=FRX`` unless ``LESS`` is set: quit when it fits on one
screen, pass colours, leave the text on screen). An empty value or ``cat`` turns paging off.
Output that is not going to a terminal is never paged.
"""

from __future__ import annotations

import errno
import os
import shutil
import sys
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, BinaryIO

import click

if TYPE_CHECKING:
    from rich.console import Console, RenderableType

    from plandiff.cli import Env

__all__ = [
    "emit",
    "pager_command",
    "pager_option",
    "render_text",
    "run_pager",
    "should_page",
    "write_out",
]

pager_option = click.option(
    "--pager/--no-pager",
    default=None,
    help="Page the output (default: when it is longer than the terminal; never when output is "
    "not a terminal). The pager is $PLANDIFF_PAGER, else $PAGER, else 'less'.",
)

color_option = click.option(
    "--color/--no-color",
    "color",
    default=None,
    help="Colour on or off (default: on for a terminal, off when NO_COLOR is set).",
)


def render_text(env: Env, renderable: RenderableType) -> str:
    """The renderable as the command's console would print it, as a string.

    Without colour the text holds no escape sequences at all, and the padding rich adds to
    the end of lines is trimmed, so ``| cat`` and files get clean lines.

    A report that comes in pieces (the diff report, ``trace``) is laid out piece by piece
    (see :mod:`plandiff.render.layout`): one ``console.print`` of a 30,000-point report
    spends most of its time in rich's general layout machinery.
    """
    from plandiff.render.layout import lay_out

    console = env.console()
    printed = getattr(renderable, "printed", None)
    if printed is not None:
        return _trimmed(console, printed(console))
    return _trimmed(console, lay_out(console, [renderable], console.width))


def _trimmed(console: Console, text: str) -> str:
    if console.color_system is None:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


def pager_command(environ: Mapping[str, str]) -> str | None:
    """The pager to run, or None when paging is turned off by the environment."""
    for name in ("PLANDIFF_PAGER", "PAGER"):
        if name in environ:
            value = environ[name].strip()
            return None if value in ("", "cat") else value
    return "less"


def should_page(text: str, *, mode: bool | None, isatty: bool, height: int) -> bool:
    """``--pager`` forces paging and ``--no-pager`` stops it, but only a terminal is paged;
    by default, output taller than the terminal is."""
    if not isatty or mode is False:
        return False
    return mode is True or text.count("\n") >= height


def run_pager(command: str, text: str, environ: Mapping[str, str]) -> bool:
    """Feed ``text`` to the pager; False when it cannot be started (the caller then prints)."""
    import subprocess  # only a terminal is paged; piped output never starts a process

    env = dict(environ)
    env.setdefault("LESS", "FRX")
    env.setdefault("LV", "-c")
    try:
        # Through the shell, as git and man run $PAGER: it may hold options or a pipeline.
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    assert proc.stdin is not None
    try:
        try:
            proc.stdin.write(text.encode("utf-8", errors="replace"))
            proc.stdin.close()
        except BrokenPipeError:  # the reader quit early: fine
            pass
        while True:
            try:
                proc.wait()
                break
            except KeyboardInterrupt:  # Ctrl-C belongs to the pager, as with git
                continue
    except BaseException:  # stopped by a signal (see cli.Stopped): the pager goes too
        proc.kill()
        proc.wait()
        raise
    return proc.returncode != 127  # the shell could not find the command


def emit(
    report: str | bytes | Iterable[str] | Iterable[bytes | memoryview],
    *,
    pager: bool | None = None,
    environ: Mapping[str, str] | None = None,
    isatty: bool | None = None,
    height: int | None = None,
) -> None:
    """Write the command's output, through the pager when :func:`should_page` says so.

    A report is text, or a document's bytes (written as they are, never paged), or text in
    parts (written as they come, never paged: see :data:`plandiff.cli.formats.Report`).
    ``environ``, ``isatty`` and ``height`` default to the process's own; tests pass them.
    """
    if isinstance(report, bytes):
        write_out(report)
        return
    if not isinstance(report, str):
        for part in report:
            write_out(part)
        return
    text = report
    stream = sys.stdout
    environ = os.environ if environ is None else environ
    if isatty is None:
        isatty = bool(getattr(stream, "isatty", lambda: False)())
    if height is None:
        height = shutil.get_terminal_size().lines
    if should_page(text, mode=pager, isatty=isatty, height=height):
        command = pager_command(environ)
        if command is not None and run_pager(command, text, environ):
            return
    write_out(text)


#: Characters (or bytes) handed to the stream per write: a few hundred kilobytes, so that a
#: 90 MB report is never held twice, encoded and not.
_WRITE_PIECE = 1 << 18


def write_out(data: str | bytes | memoryview) -> None:
    """Write ``data`` to stdout whole, or raise :class:`BrokenPipeError`.

    Text is encoded as stdout would encode it, and nothing else is done to it: escape
    sequences in it were put there on purpose (colour), so they are kept. Why not
    ``click.echo``: a buffered stream handed more than its buffer writes straight to the file
    and returns how much went out, and when the reader of a pipe has just gone (``| head -1``)
    that is a short count which the text layer drops without raising; the command would end
    with status 0 having written a fraction. Here each write's count is checked, so the rest
    is written again and the closed pipe is reported (exit status 141, see cli.ExitStatus).
    """
    import codecs

    text_stream = sys.stdout
    text_stream.flush()  # whatever was printed before goes first
    binary = getattr(text_stream, "buffer", None)
    if binary is None:  # a text-only stream (some test runners): it takes text whole
        text_stream.write(data if isinstance(data, str) else str(data, "utf-8"))
        text_stream.flush()
        return
    if not isinstance(data, str):
        view = memoryview(data)  # pieces of it, not copies
        for at in range(0, len(data), _WRITE_PIECE):
            _write_all(binary, view[at : at + _WRITE_PIECE])
    else:
        encoding = getattr(text_stream, "encoding", None) or "utf-8"
        errors = getattr(text_stream, "errors", None) or "strict"
        if codecs.lookup(encoding).name == "ascii":  # a misconfigured locale, as click treats it
            encoding, errors = "utf-8", "replace"
        encoder = codecs.getincrementalencoder(encoding)(errors)
        for at in range(0, len(data), _WRITE_PIECE):
            _write_all(binary, encoder.encode(data[at : at + _WRITE_PIECE]))
        _write_all(binary, encoder.encode("", final=True))
    binary.flush()


def _write_all(binary: BinaryIO, data: bytes | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = binary.write(view)
        if written is None:  # a non-blocking stream that is full: not ours to wait on
            raise BlockingIOError(errno.EAGAIN, "standard output would block")
        if written <= 0:
            raise BrokenPipeError(errno.EPIPE, "standard output took no more")
        view = view[written:]
