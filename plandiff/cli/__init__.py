"""The ``plandiff`` command: parse arguments, call the library, pick a renderer, map errors.

Commands live in modules named for their job and are imported only when invoked, so a command
pays only for the libraries it uses. Every library error becomes one line on stderr and exit
status 2 here, in :meth:`PlandiffGroup.invoke`; ``--debug`` shows the traceback instead. click's
own errors (usage errors above all) are one ``plandiff: …`` line too, see :func:`_one_line`.
"""

from __future__ import annotations

import gc
import importlib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import IntEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

# Messages quote untrusted values with show(); printable() makes any stray control character
# visible (the command modules import it from here).
from plandiff import __version__
from plandiff.text import printable as printable

if TYPE_CHECKING:
    from rich.console import Console

    from plandiff.models import Registry


class ExitStatus(IntEnum):
    """Exit statuses, following diff(1) and git."""

    OK = 0
    """Success (and, with --exit-code, no differences)."""
    DIFFERENCES = 1
    """Only with --exit-code: the versions differ."""
    ERROR = 2
    """Usage errors and bad input: unknown ids, invalid files, hostile archives."""
    INTERRUPTED = 130
    """Stopped by Ctrl-C."""
    OUTPUT_CLOSED = 141
    """The output's reader went away (``| head``): 128 + SIGPIPE, as a shell reports it."""


EXIT_STATUS_HELP = (
    "Exit status: 0 success; 1 differences found (only with --exit-code); "
    "2 usage error or bad input; 130 interrupted; 141 output closed early (| head); "
    "killed by SIGTERM or SIGHUP: that signal (143 or 129 in a shell)."
)


class Stopped(BaseException):
    """SIGTERM or SIGHUP arrived while a command ran.

    Raised from the signal handler so that the command unwinds as it does for Ctrl-C: locks
    are released, temporary and staging files removed, a pager stopped. :func:`main` then
    dies of the same signal, so whoever started the command sees the conventional status.
    A BaseException, like KeyboardInterrupt: ``except Exception`` must not swallow it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


#: Signals that stop a command by unwinding it (see :class:`Stopped`).
_STOP_SIGNALS = ("SIGTERM", "SIGHUP")


def _stop(signum: int, frame: object) -> None:
    import signal

    for name in _STOP_SIGNALS:  # a second signal while unwinding ends the process at once
        signal.signal(getattr(signal, name), signal.SIG_DFL)
    raise Stopped(signum)


def _catch_stop_signals() -> None:
    """Turn SIGTERM and SIGHUP into :class:`Stopped`, unless the caller ignores them
    (``nohup`` sets SIGHUP to be ignored, and that choice stands)."""
    import signal

    for name in _STOP_SIGNALS:
        signum = getattr(signal, name, None)
        if signum is not None and signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _stop)


def _die_of(signum: int) -> NoReturn:
    """End the process by ``signum`` with its default action: what the caller would have seen
    without a handler (a shell reports 128 + the signal's number)."""
    import signal

    signal.signal(signum, signal.SIG_DFL)
    signal.raise_signal(signum)
    sys.exit(128 + signum)  # only if the signal is blocked


#: command name → "module:attribute"; imported on first use.
COMMANDS: dict[str, str] = {
    "versions": "plandiff.cli.registry_cmds:versions",
    "show": "plandiff.cli.registry_cmds:show",
    "sources": "plandiff.cli.registry_cmds:sources",
    "verify": "plandiff.cli.registry_cmds:verify",
    "init": "plandiff.cli.registry_cmds:init",
    "diff": "plandiff.cli.diff_cmd:diff",
    "source": "plandiff.cli.edit_cmds:source",
    "version": "plandiff.cli.edit_cmds:version",
    "point": "plandiff.cli.point_cmds:point",
    "relate": "plandiff.cli.point_cmds:relate",
    "event": "plandiff.cli.edit_cmds:event",
    "export": "plandiff.cli.archive_cmds:export",
    "import": "plandiff.cli.archive_cmds:import_",
    "log": "plandiff.cli.history_cmds:log",
    "trace": "plandiff.cli.history_cmds:trace",
    "compare": "plandiff.cli.compare_cmd:compare",
    # further command modules register here (one line each)
}


@dataclass
class Env:
    """What a command may know about its surroundings; tests build one instead of patching."""

    registry_path: str | None = None
    color: bool | None = None
    debug: bool = False
    width: int | None = None
    _registry: Registry | None = field(default=None, repr=False)

    def registry_root(self) -> Path:
        from plandiff.store import resolve_registry_path

        return resolve_registry_path(self.registry_path)

    def load(self) -> Registry:
        """The selected registry, loaded and cross-checked once per command."""
        if self._registry is None:
            from plandiff.store import load_registry

            self._registry = load_registry(self.registry_root())
        return self._registry

    def use_color(self, stream: Any | None = None) -> bool:
        """--color/--no-color win; else NO_COLOR; else colour only on a terminal."""
        if self.color is not None:
            return self.color
        if os.environ.get("NO_COLOR"):
            return False
        stream = stream or sys.stdout
        return bool(getattr(stream, "isatty", lambda: False)())

    def console(self, *, stderr: bool = False) -> Console:
        """A rich console bound to click's stream (so CliRunner captures it)."""
        from plandiff.render.console import report_console

        stream = sys.stderr if stderr else sys.stdout
        width = self.width
        if width is None:
            width = report_width(os.environ, stream)
        return report_console(stream, width, self.use_color(stream))


pass_env = click.make_pass_decorator(Env)

#: The narrowest and widest text report: $COLUMNS is clamped to these.
MIN_WIDTH, MAX_WIDTH = 20, 1000

#: The width of a report that goes to a file or a pipe, when $COLUMNS does not say.
DEFAULT_WIDTH = 100


def report_width(environ: Mapping[str, str], stream: Any) -> int:
    """The text report's width: ``$COLUMNS`` when it is a whole number (clamped to
    :data:`MIN_WIDTH`..:data:`MAX_WIDTH`), else the terminal's width on a terminal, else
    :data:`DEFAULT_WIDTH`.

    A value that is not a positive number is ignored, as less does; a huge one is clamped, or a
    side-by-side report would pad every line to millions of columns.
    """
    raw = environ.get("COLUMNS", "").strip()
    if raw.isascii() and raw.isdigit() and int(raw) > 0:
        return min(MAX_WIDTH, max(MIN_WIDTH, int(raw)))
    if getattr(stream, "isatty", lambda: False)():
        try:
            return min(MAX_WIDTH, max(MIN_WIDTH, os.get_terminal_size(stream.fileno()).columns))
        except (OSError, ValueError, AttributeError):
            pass
    return DEFAULT_WIDTH


def fail(message: str) -> NoReturn:
    """Stop a command with a one-line error (exit status 2)."""
    from plandiff.errors import PlandiffError

    raise PlandiffError(message)


def report_errors(lines: list[str]) -> None:
    """Print each line as its own "plandiff: ..." message on stderr, control characters shown."""
    for line in lines:
        click.echo(f"plandiff: {printable(line)}", err=True)


#: A line break that click itself puts in a message to lay out a list ("Choose from:\n\ta,\n\tb").
_CLICK_LAYOUT_BREAK = re.compile(r"\n[ \t]+")

#: click >= 8.2 answers a group given no command with a UsageError whose show() prints the
#: help (click 8.1 printed it directly); that help stays as it is.
_NO_ARGS_IS_HELP: type[Exception] | tuple[()] = getattr(click.exceptions, "NoArgsIsHelpError", ())


class OneLineError(click.ClickException):
    """A click error shown as one ``plandiff: …`` line, with exit status 2.

    click shows a usage error on three lines (usage, help hint, message) and exits 1 for some
    other errors, where 1 means "differences found". A ClickException subclass with its own
    ``show()`` is click's documented way to change that, in standalone mode (the console
    script, ``CliRunner``) and in embedded use alike.
    """

    exit_code = ExitStatus.ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"plandiff: {self.message}", file=file, err=file is None)


def _one_line(exc: click.ClickException) -> click.ClickException:
    """``exc`` as a :class:`OneLineError`, with the usage of its command for a usage error.

    The text is made now: the context is closed by the time the error is shown.
    """
    if isinstance(exc, _NO_ARGS_IS_HELP | OneLineError):
        return exc
    # click quotes some values with repr() but not all ("unexpected extra argument (…)",
    # "Path '…' does not exist"): escape what the user typed before click adds its own layout,
    # so that a newline the user typed shows as \n while click's list layout is joined below.
    formatted = exc.format_message()
    if exc.message:
        formatted = formatted.replace(exc.message, printable(exc.message), 1)
    text = printable(_CLICK_LAYOUT_BREAK.sub(" ", formatted))
    if isinstance(exc, click.UsageError) and (ctx := exc.ctx) is not None:
        where = " ".join(["usage:", ctx.command_path, *ctx.command.collect_usage_pieces(ctx)])
        if ctx.command.get_help_option(ctx) is not None:
            help_name = max(ctx.command.get_help_option_names(ctx), key=len)
            where += f"; see '{ctx.command_path} {help_name}'"
        text += f" ({printable(where)})"
    return OneLineError(text)


#: Where a group keeps the arguments it resolved its command from (``Context.meta`` is click's
#: place for data an application attaches to a context).
_ARGS_KEY = "plandiff.command_args"


def _context_for(ctx: click.Context, args: list[str]) -> click.Context:
    """The context of the command that ``args`` name below the group of ``ctx``.

    click's parser raises some usage errors ("Option '--format' requires an argument") without
    the context of the command it was parsing, which is gone by then; it is rebuilt here,
    parsing leniently, so that the error can show that command's usage. A group parses no
    arguments after its command's name, so what it leaves (``ctx.args``) ends the list and the
    name comes just before.
    """
    while isinstance(ctx.command, click.Group) and args:
        try:
            name, command, rest = ctx.command.resolve_command(ctx, args)
            if name is None or command is None:
                break
            ctx = command.make_context(name, rest, parent=ctx, resilient_parsing=True)
        except click.ClickException:
            break
        left = len(ctx.args)
        args = rest[len(rest) - left - 1 :] if len(rest) > left else []
    return ctx


class PlandiffGroup(click.Group):
    """A group that imports commands lazily and turns library errors into exit status 2."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command), target
        return command

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        ctx.meta.setdefault(_ARGS_KEY, list(args))  # for _context_for, should the command fail
        name = args[0] if args else None
        if name is not None and name not in COMMANDS and not name.startswith("-"):
            import difflib

            close = difflib.get_close_matches(name, list(COMMANDS), n=2)
            hint = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
            ctx.fail(f"No such command {name!r}.{hint}")
        return super().resolve_command(ctx, args)

    def make_context(
        self,
        info_name: str | None,
        args: list[str],
        parent: click.Context | None = None,
        **extra: Any,
    ) -> click.Context:
        # The group's own options are parsed here, before invoke(): "plandiff --bogus".
        try:
            return super().make_context(info_name, args, parent, **extra)
        except click.ClickException as exc:
            raise _one_line(exc) from exc

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.UsageError as exc:
            # click's parser leaves some out ("Option '--registry' requires an argument").
            exc.ctx = exc.ctx or ctx
            raise

    def invoke(self, ctx: click.Context) -> Any:
        from plandiff.errors import PlandiffError

        try:
            return super().invoke(ctx)
        except PlandiffError as exc:
            if _debug(ctx):
                raise
            # Errors that carry several lines (every registry problem, a refusal's candidates)
            # say so with lines(); the rest are their one-line message.
            lines = getattr(exc, "lines", None)
            report_errors(lines() if callable(lines) else [str(exc)])
            ctx.exit(ExitStatus.ERROR)
        except KeyboardInterrupt:
            click.echo("plandiff: interrupted", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)
        except click.exceptions.Abort:
            # click's way of saying the user stopped a prompt (Ctrl-C, end of input); left to
            # click it would print "Aborted!" and exit 1, which means "differences found".
            click.echo("plandiff: aborted", err=True)
            ctx.exit(ExitStatus.INTERRUPTED)
        except click.exceptions.Exit:
            raise
        except click.ClickException as exc:
            # Raised in a subcommand (or a nested group) or while choosing one.
            if isinstance(exc, click.UsageError) and exc.ctx is None:
                exc.ctx = _context_for(ctx, ctx.meta.get(_ARGS_KEY, []))
            raise _one_line(exc) from exc
        except BrokenPipeError:
            # The reader has all it wanted (`| head`): not an error to report. What is still
            # buffered goes nowhere, so that the flush at exit does not fail again.
            _discard_output()
            ctx.exit(ExitStatus.OUTPUT_CLOSED)
        except OSError as exc:
            if _debug(ctx):
                raise
            where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
            report_errors([f"{where}{exc.strerror or exc}"])
            ctx.exit(ExitStatus.ERROR)
        except Exception as exc:
            # A bug, not bad input; still one line and no traceback unless --debug.
            if _debug(ctx):
                raise
            report_errors(
                [
                    f"internal error ({type(exc).__name__}: {exc}); please report it, with the "
                    "traceback that --debug shows"
                ]
            )
            ctx.exit(ExitStatus.ERROR)


def _discard_output() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real file descriptor (a test runner)
        pass


def _debug(ctx: click.Context) -> bool:
    env = ctx.find_object(Env)
    return bool(env and env.debug)


@click.group(cls=PlandiffGroup, epilog=EXIT_STATUS_HELP)
@click.option(
    "--registry",
    "registry_path",
    metavar="DIR",
    envvar="PLANDIFF_REGISTRY",
    help="Registry directory (default: $PLANDIFF_REGISTRY, else the bundled registry).",
)
@click.option(
    "--color/--no-color",
    default=None,
    help="Force colour on or off (default: on for a terminal, off when NO_COLOR is set).",
)
@click.option("--debug", is_flag=True, help="Show tracebacks instead of one-line errors.")
@click.version_option(version=__version__, prog_name="plandiff")
@click.pass_context
def cli(ctx: click.Context, registry_path: str | None, color: bool | None, debug: bool) -> None:
    """Track how negotiated plan texts change from version to version, and who says so."""
    ctx.obj = ctx.obj if isinstance(ctx.obj, Env) else Env()
    ctx.obj.registry_path = registry_path or ctx.obj.registry_path
    ctx.obj.color = color if color is not None else ctx.obj.color
    ctx.obj.debug = debug or ctx.obj.debug


def main() -> None:
    """Console-script entry point."""
    # When it builds its first validator, pydantic reads the entry points of every installed
    # distribution looking for validation plugins (observability hooks for services): 7 ms
    # with 50 distributions, more in a large environment. The command is an application, not
    # a library inside someone's service, so it opts out; exporting the variable (even empty)
    # keeps the user's choice. Library callers never pass through here.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    # numpy's OpenBLAS starts a thread per core at import and they spin for about 0.1 s of CPU,
    # though plandiff does no linear algebra: a command runs on one CPU (it must be set before
    # numpy is imported, and only here, so that a library caller's numpy is left alone).
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    _catch_stop_signals()
    try:
        cli.main(prog_name="plandiff")
    except KeyboardInterrupt:  # raised outside a command (e.g. while parsing)
        sys.exit(ExitStatus.INTERRUPTED)
    except Stopped as stop:
        _die_of(stop.signum)
    finally:
        # The interpreter's garbage collections at exit walk every object the command loaded
        # (pydantic's validators, rich's styles, the registry) looking for cycles to free, which
        # the operating system frees with the process anyway: about 0.1 s, a fifth of a short
        # command. Frozen objects are left out. Nothing relies on a finalizer running then:
        # output is flushed and every file the commands write is closed explicitly.
        gc.freeze()
