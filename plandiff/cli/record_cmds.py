"""Commands that record: ``source add``, ``version add``, ``point add|edit|remove``, ``relate``
and ``event add``.

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

_date = click.DateTime(formats=["%Y-%m-%d"])


def _day(value: dt.datetime | None) -> dt.date | None:
    return value.date() if value is not None else None


def _safe(line: str) -> str:
    """Messages quote untrusted values with show(); strip any stray control character anyway."""
    return "".join(ch if ch.isprintable() else "?" for ch in line)


def _run(env: Env, operation: Callable[[Registry], Edit[T]]) -> Edit[T]:
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


#: Where ``--stance`` keeps its values on the click context: read by :func:`_quotes`, so that
#: the commands taking quotes need no parameter of their own for it.
_STANCES = "plandiff.stances"


def _keep_stances(ctx: click.Context, _param: click.Parameter, value: tuple[str, ...]) -> None:
    ctx.meta[_STANCES] = value


def _quotes(
    quotes: Sequence[str], sources: Sequence[str], occurrences: Sequence[int]
) -> tuple[QuoteRef, ...]:
    from plandiff.models import Stance
    from plandiff.recording import pair_quotes

    given = click.get_current_context().meta.get(_STANCES, ())
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
@click.option("--published", type=_date, metavar="YYYY-MM-DD", help="Publication date.")
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
    type=_date,
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
    _run(
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
@click.option("--date", type=_date, metavar="YYYY-MM-DD", help="When the version appeared.")
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
    _run(
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
def point() -> None:
    """Record, correct and remove the points of a version."""


@point.command("add", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@quote_options(required=True)
@click.option("--summary", help="What reporting says the point contains, in your words.", type=TEXT)
@click.option("--text", help="The point's verbatim wording, when it is known.", type=TEXT)
@click.option(
    "--number", type=click.IntRange(min=0), metavar="N", help="The point's number in its version."
)
@click.option(
    "--topic",
    "topics",
    multiple=True,
    type=TEXT,
    help="A topic tag, e.g. 'territory' (repeatable).",
)
@click.option(
    "--key", help="The point's key (default: from the summary, text or quote).", type=TEXT
)
@click.option(
    "--bracketed",
    is_flag=True,
    help="Reporting says the point is not yet agreed (its language is in square brackets).",
)
@pass_env
def point_add(
    env: Env,
    version_id: str,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
    summary: str | None,
    text: str | None,
    number: int | None,
    topics: tuple[str, ...],
    key: str | None,
    bracketed: bool,
) -> None:
    """Add a point to VERSION, with the quotes that support it.

    Each quote must occur in its source exactly once, or be picked with --occurrence N; a quote
    that is absent or ambiguous is refused and the candidates are shown.

    \b
    Example:
      plandiff point add us-28 --summary "Territorial concessions." --topic territory \\
          --quote "which provides for territorial concessions" --source unn-2025-11-25
    """
    from plandiff.recording import add_point

    refs = _quotes(quotes, sources, occurrences)
    _run(
        env,
        partial(
            add_point,
            version_id=version_id,
            quotes=refs,
            summary=summary,
            text=text,
            number=number,
            topics=topics,
            key=key,
            bracketed=bracketed,
        ),
    )


@point.command("edit", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("key")
@click.option("--summary", help="New summary ('' removes it).", type=TEXT)
@click.option("--text", help="New verbatim wording ('' removes it).", type=TEXT)
@click.option("--number", type=click.IntRange(min=0), metavar="N", help="New number.")
@click.option("--no-number", is_flag=True, help="Remove the number.")
@click.option(
    "--topic",
    "topics",
    multiple=True,
    type=TEXT,
    help="Replace the topics (repeatable; '' for none).",
)
@click.option(
    "--key", "new_key", metavar="NEW_KEY", help="Rename the point (relations follow).", type=TEXT
)
@quote_options(required=False)
@click.option(
    "--drop-quote",
    "drop",
    type=click.IntRange(min=1),
    multiple=True,
    metavar="N",
    help="Remove the point's N-th quote, counting from 1 in recorded order (repeatable).",
)
@pass_env
def point_edit(
    env: Env,
    version_id: str,
    key: str,
    summary: str | None,
    text: str | None,
    number: int | None,
    no_number: bool,
    topics: tuple[str, ...],
    new_key: str | None,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
    drop: tuple[int, ...],
) -> None:
    """Correct point KEY of VERSION: given fields are replaced, --quote adds evidence."""
    from plandiff.recording import KEEP, edit_point

    if number is not None and no_number:
        raise click.UsageError("--number and --no-number exclude each other")
    given = [summary, text, number, new_key]
    if all(v is None for v in given) and not (no_number or topics or quotes or drop):
        raise click.UsageError(
            "nothing to change: give --summary, --text, --number, --topic, --key, --quote or "
            "--drop-quote"
        )
    refs = _quotes(quotes, sources, occurrences)
    _run(
        env,
        partial(
            edit_point,
            version_id=version_id,
            key=key,
            summary=KEEP if summary is None else summary,
            text=KEEP if text is None else text,
            number=None if no_number else (KEEP if number is None else number),
            topics=topics or None,
            new_key=new_key,
            add_quotes=refs,
            drop_evidence=drop,
        ),
    )


@point.command("remove", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("key")
@pass_env
def point_remove(env: Env, version_id: str, key: str) -> None:
    """Remove point KEY from VERSION (refused while a relation uses it)."""
    from plandiff.recording import remove_point

    _run(env, partial(remove_point, version_id=version_id, key=key))


# --------------------------------------------------------------------------- relate


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument(
    "points", nargs=-1, required=True, metavar="OLD_VERSION:POINT... NEW_VERSION[:POINT]..."
)
@click.option(
    "--as", "kind", type=click.Choice(RELATION_KINDS), help="What happened to the old point(s)."
)
@quote_options(required=False)
@click.option("--note", help="Your explanation of the relation.", type=TEXT)
@click.option("--remove", is_flag=True, help="Remove the relation between these points instead.")
@click.option(
    "--decided-by",
    type=TEXT,
    metavar="WHO",
    help="For --as deferred: who is to decide, as reported (e.g. 'the presidents').",
)
@click.option(
    "--decide-at",
    type=TEXT,
    metavar="WHERE/WHEN",
    help="For --as deferred: where or when it is to be decided, as reported.",
)
@pass_env
def relate(
    env: Env,
    points: tuple[str, ...],
    kind: str | None,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
    note: str | None,
    remove: bool,
    decided_by: str | None,
    decide_at: str | None,
) -> None:
    """Record how points of a version became points of a version derived from it.

    Name the old version's points first, then the new version's, as VERSION:POINT; several
    points of one version as VERSION:A,B. A 'dropped' point has no new side: name the new version
    alone; so has a 'deferred' one, left undecided for later (say by whom with --decided-by and
    where or when with --decide-at, when the sources do). Every relation needs a --quote with its
    --source as evidence.

    Sources may disagree: a quote that says otherwise is recorded with --stance contradict
    (or qualify, for one that agrees only in part), and the diff says "sources disagree".
    Relating the same points the same way again adds its quotes to the relation; a point
    takes one relation, so record the claim best supported and the others' quotes against it.

    \b
    Examples:
      plandiff relate us-28:territory geneva-19:territory --as reworded --quote ... --source ...
      plandiff relate us-28:a,b geneva-19:c --as merged --quote ... --source ...
      plandiff relate us-28:a geneva-19:b,c --as split --quote ... --source ...
      plandiff relate us-28:energy geneva-19 --as dropped --quote ... --source ...
      plandiff relate us-28:army geneva-19:army --as reworded --quote ... --source wire \\
        --stance contradict
      plandiff relate us-28:territory geneva-19 --as deferred --decided-by 'the presidents' ...
      plandiff relate us-28:a,b geneva-19:c --remove
    """
    from plandiff.models import RelationKind
    from plandiff.recording import parse_relation_args, unrelate
    from plandiff.recording import relate as relate_points

    args = parse_relation_args(points)
    chosen = RelationKind(kind) if kind else None
    if remove:
        if (
            quotes
            or sources
            or note
            or decided_by
            or decide_at
            or click.get_current_context().meta.get(_STANCES)
        ):
            raise click.UsageError(
                "--remove takes no --quote, --source, --stance, --note, --decided-by or --decide-at"
            )
        _run(env, partial(unrelate, args=args, kind=chosen))
        return
    if chosen is None:
        raise click.UsageError("say what happened with --as reworded|merged|split|dropped|deferred")
    if not quotes:
        raise click.UsageError("a relation needs evidence: give --quote TEXT --source ID")
    refs = _quotes(quotes, sources, occurrences)
    _run(
        env,
        partial(
            relate_points,
            args=args,
            kind=chosen,
            quotes=refs,
            note=note,
            decided_by=decided_by,
            decide_at=decide_at,
        ),
    )


# --------------------------------------------------------------------------- event


@click.group(epilog=EXIT_STATUS_HELP)
def event() -> None:
    """Record dated events in a version's life."""


@event.command("add", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.option("--date", type=_date, required=True, metavar="YYYY-MM-DD", help="When it happened.")
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

    refs = _quotes(quotes, sources, occurrences)
    _run(env, partial(add_event, version_id=version_id, date=date.date(), what=what, quotes=refs))


__all__ = ["event", "point", "read_all", "read_capture", "relate", "source", "version"]
