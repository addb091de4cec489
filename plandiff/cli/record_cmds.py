"""Commands that record: ``source add``, ``version add`` and ``event add`` (``point`` and
``relate`` are in :mod:`plandiff.cli.point_cmds`, the corrections in
:mod:`plandiff.cli.edit_cmds`).

Each parses its arguments, reads any files outside the lock, and hands one pure operation of
:mod:`plandiff.recording` to :func:`plandiff.recording.transact`, which applies it under the
registry's write lock and saves atomically after the whole registry is cross-checked. Refusals
that come with candidates or a report print them one per line after the message.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, TypeVar

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, pass_env
from plandiff.cli.params import TEXT

if TYPE_CHECKING:
    from plandiff.extract import Capture, FileFormat
    from plandiff.models import Registry
    from plandiff.recording import Edit, QuoteRef

T = TypeVar("T")

RELATION_KINDS = ["reworded", "merged", "split", "dropped", "deferred"]
FORMATS = ["auto", "text", "markdown", "html"]

date_param = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _safe(line: str) -> str:
    """Messages quote untrusted values with show(); strip any stray control character anyway."""
    return "".join(ch if ch.isprintable() else "?" for ch in line)


def run_edit(env: Env, operation: Callable[[Registry], Edit[T]]) -> Edit[T]:
    """Apply one operation to the selected registry and print what it did."""
    from plandiff.recording import transact, writable_root

    root = writable_root(env.registry_path)
    change = transact(root, operation)  # refusals' detail lines are printed by the CLI group
    for line in change.lines:
        if line.startswith("warning: "):
            click.echo(f"plandiff: {_safe(line)}", err=True)
        else:
            click.echo(_safe(line))
    return change


def read_capture(arg: str | Path, fmt: str = "auto") -> Capture:
    """Read and extract one article file; a path that is not a readable file is an error."""
    from plandiff.bounded import read_input
    from plandiff.extract import FileFormat, extract
    from plandiff.store import max_source_bytes

    path = Path(arg)
    data = read_input(str(arg), max_source_bytes(), "an article file", "PLANDIFF_MAX_SOURCE_BYTES")
    chosen: FileFormat | None = None if fmt == "auto" else FileFormat(fmt)
    return extract(data, path.name, chosen)


def read_all(paths: Sequence[str], fmt: str, stream: TextIO | None = None) -> list[Capture]:
    """Read every file, with a progress bar on ``stream`` (stderr) when it is a terminal and
    there are several files."""
    stream = stream or sys.stderr  # click swaps sys.stderr in tests; get_text_stream is deprecated
    if len(paths) < 2 or not stream.isatty():
        return [read_capture(p, fmt) for p in paths]
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    console = Console(file=stream, highlight=False, markup=False, emoji=False)
    captures = []
    columns = (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        MofNCompleteColumn(),
    )
    with Progress(*columns, console=console, transient=True) as progress:
        task = progress.add_task("reading", total=len(paths))
        for p in paths:
            progress.update(task, description=_safe(Path(p).name)[:40])
            captures.append(read_capture(p, fmt))
            progress.advance(task)
    return captures


#: Where ``--stance`` keeps its values on the click context: read by :func:`given_quotes`, so that
#: the commands taking quotes need no parameter of their own for it.
STANCES_KEY = "plandiff.stances"


def _keep_stances(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta[STANCES_KEY] = value


def given_quotes(
    quotes: Sequence[str], sources: Sequence[str], occurrences: Sequence[int]
) -> tuple[QuoteRef, ...]:
    from plandiff.models import Stance
    from plandiff.recording import pair_quotes

    given = click.get_current_context().meta.get(STANCES_KEY, ())
    return pair_quotes(quotes, sources, occurrences, tuple(Stance(s) for s in given))


def quote_options(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--quote/--source/--occurrence/--stance``, repeatable and paired in order."""

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        fn = click.option(
            "--stance",
            type=click.Choice(["support", "contradict", "qualify"]),
            multiple=True,
            expose_value=False,
            callback=_keep_stances,
            help="What the quote says of what it is attached to: support (default), "
            "contradict or qualify; once for all quotes, or once per --quote.",
        )(fn)
        fn = click.option(
            "--occurrence",
            "occurrences",
            type=click.IntRange(min=0),
            multiple=True,
            metavar="N",
            help="Which occurrence of a quote that appears several times (1 = first); one per "
            "--quote, 0 for a quote that occurs once.",
        )(fn)
        fn = click.option(
            "--source",
            "sources",
            type=TEXT,
            multiple=True,
            metavar="ID",
            help="Source the quote is taken from: once for all quotes, or once per --quote.",
        )(fn)
        return click.option(
            "--quote",
            "quotes",
            type=TEXT,
            multiple=True,
            required=required,
            metavar="TEXT",
            help="Exact words from the source that support this (repeatable).",
        )(fn)

    return decorate


# --------------------------------------------------------------------------- source


@click.group(epilog=EXIT_STATUS_HELP)
def source() -> None:
    """Record source articles (plain text, Markdown or HTML pages)."""


@source.command("add", epilog=EXIT_STATUS_HELP)
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
@click.option(
    "--id", "source_id", metavar="ID", help="Source id (default: from the file name).", type=TEXT
)
@click.option("--title", help="Headline (default: from the page).", type=TEXT)
@click.option("--outlet", help="Publication (default: the page's site name).", type=TEXT)
@click.option("--url", help="Canonical address (default: from the page).", type=TEXT)
@click.option("--published", type=date_param, metavar="YYYY-MM-DD", help="Publication date.")
@click.option("--author", help="Byline (default: from the page).", type=TEXT)
@click.option("--language", metavar="TAG", help="BCP 47 language tag, e.g. 'en'.", type=TEXT)
@click.option("--note", help="Your remarks on the source.", type=TEXT)
@click.option(
    "--attribution",
    type=click.Choice(["on-record", "anonymous", "document", "relayed", "aggregator"]),
    help="Who speaks in it: a named person on the record, an anonymous official, a document "
    "itself, an outlet relaying another, an aggregator.",
)
@click.option(
    "--reliability", metavar="TEXT", help="Your note on how far it can be trusted.", type=TEXT
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="File format (auto: by extension, else HTML when the file looks like a page).",
)
@click.option(
    "--recapture",
    is_flag=True,
    help="Replace an existing source's text with this capture and re-anchor its quotes.",
)
@click.option(
    "--force",
    is_flag=True,
    help="With --recapture: record it even when quotes cannot be found again (they then cite "
    "the previous text, kept as an earlier capture of the source).",
)
@click.option(
    "--retrieved",
    type=date_param,
    metavar="YYYY-MM-DD",
    help="When the capture was retrieved (with --recapture: default today, UTC).",
)
@pass_env
def source_add(
    env: Env,
    files: tuple[str, ...],
    source_id: str | None,
    title: str | None,
    outlet: str | None,
    url: str | None,
    published: dt.datetime | None,
    author: str | None,
    language: str | None,
    note: str | None,
    attribution: str | None,
    reliability: str | None,
    fmt: str,
    recapture: bool,
    force: bool,
    retrieved: dt.datetime | None,
) -> None:
    """Add article FILEs as sources; quotes anchor into the text stored for each.

    HTML pages are reduced to the article's text (navigation, scripts, adverts, footers and share
    widgets dropped) and their title, site name, author, date and canonical URL are read; options
    override what the file says. The original file is kept beside the stored text.

    Adding an id again with the same text does nothing. A different text is refused unless
    --recapture, which re-anchors every quote citing the source and reports each one as exact,
    moved, fuzzy, ambiguous or broken. The text it replaces is kept as an earlier capture with
    its retrieval date ('plandiff show SOURCE --history'); quotes can cite any capture.
    """
    from plandiff.models import SourceAttribution
    from plandiff.recording import SourceMeta, add_sources, file_reader, writable_root

    if force and not recapture:
        raise click.UsageError("--force only goes with --recapture")
    if len(files) > 1 and (source_id or title or url):
        raise click.UsageError("--id, --title and --url describe one source: give one FILE")
    writable_root(env.registry_path)  # refuse before the work of extracting
    captures = read_all(files, fmt)
    meta = SourceMeta(
        title=title,
        outlet=outlet,
        url=url,
        published=_day(published),
        author=author,
        language=language,
        note=note,
        attribution=SourceAttribution(attribution) if attribution else None,
        reliability=reliability,
    )
    root = writable_root(env.registry_path)
    run_edit(
        env,
        partial(
            add_sources,
            captures=[(c, source_id) for c in captures],
            meta=meta,
            recapture=recapture,
            force=force,
            read=file_reader(root),
            retrieved=_day(retrieved),
        ),
    )


# --------------------------------------------------------------------------- version


@click.group(epilog=EXIT_STATUS_HELP)
def version() -> None:
    """Record plan versions."""


@version.command("add", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="ID")
@click.option("--title", required=True, help="A human-readable name for the version.", type=TEXT)
@click.option(
    "--declared-points",
    type=click.IntRange(min=0),
    metavar="N",
    help="How many points it is said to have.",
)
@click.option("--date", type=date_param, metavar="YYYY-MM-DD", help="When the version appeared.")
@click.option(
    "--derived-from", metavar="VERSION", help="The version this one was produced from.", type=TEXT
)
@click.option("--issuer", multiple=True, help="Who issued or published it (repeatable).", type=TEXT)
@click.option(
    "--party", "parties", multiple=True, help="A party it concerns (repeatable).", type=TEXT
)
@click.option("--note", help="Your remarks on the version.", type=TEXT)
@click.option(
    "--from-text",
    "from_text",
    metavar="FILE",
    help="The version's full text: recorded as a source, cut into points, each anchored to it.",
)
@click.option(
    "--source-id",
    metavar="ID",
    help="Id of the source for --from-text (default: from the file name).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(FORMATS),
    default="auto",
    show_default=True,
    help="Format of the --from-text file.",
)
@click.option(
    "--points",
    metavar="STYLE",
    default=None,
    help="Cut the --from-text file at these markers instead of guessing (a style such as "
    "number-dot, article, section, bullet, or a regular expression; see 'plandiff diff --help').",
)
@pass_env
def version_add(
    env: Env,
    version_id: str,
    title: str,
    declared_points: int | None,
    date: dt.datetime | None,
    derived_from: str | None,
    issuer: tuple[str, ...],
    parties: tuple[str, ...],
    note: str | None,
    from_text: str | None,
    source_id: str | None,
    fmt: str,
    points: str | None,
) -> None:
    """Add plan version ID: full from --from-text FILE, else partial and empty.

    A partial version is filled in with 'plandiff point add ID --quote ... --source ...'.
    """
    from plandiff.recording import add_version, writable_root

    if source_id and not from_text:
        raise click.UsageError("--source-id only goes with --from-text")
    if points is not None and not from_text:
        raise click.UsageError("--points only goes with --from-text")
    if points is not None:
        from plandiff.segmentation import points_option

        points_option(points)  # a bad expression is an error before anything is read
    writable_root(env.registry_path)
    text = read_capture(from_text, fmt) if from_text else None
    run_edit(
        env,
        partial(
            add_version,
            version_id=version_id,
            title=title,
            declared_points=declared_points,
            date=_day(date),
            derived_from=derived_from,
            issuer=issuer,
            parties=parties,
            note=note,
            text=text,
            text_source_id=source_id,
            points=points,
        ),
    )


# --------------------------------------------------------------------------- point


@click.group(epilog=EXIT_STATUS_HELP)
def event() -> None:
    """Record dated events in a version's life."""


@event.command("add", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.option(
    "--date", type=date_param, required=True, metavar="YYYY-MM-DD", help="When it happened."
)
@click.option("--what", required=True, help="What happened, in your words.", type=TEXT)
@quote_options(required=True)
@pass_env
def event_add(
    env: Env,
    version_id: str,
    date: dt.datetime,
    what: str,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
) -> None:
    """Add a dated event to VERSION, with the quotes that report it."""
    from plandiff.recording import add_event

    refs = given_quotes(quotes, sources, occurrences)
    run_edit(
        env, partial(add_event, version_id=version_id, date=date.date(), what=what, quotes=refs)
    )


__all__ = [
    "STANCES_KEY",
    "date_param",
    "event",
    "given_quotes",
    "quote_options",
    "read_all",
    "read_capture",
    "run_edit",
    "source",
    "version",
]
