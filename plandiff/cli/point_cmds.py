"""Commands that record points and how they changed: ``point add|edit|remove`` and ``relate``.

Like the other recording commands (:mod:`plandiff.cli.record_cmds`), each parses its
arguments and hands one pure operation of :mod:`plandiff.recording` to a transaction.
"""

from __future__ import annotations

from functools import partial

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, pass_env
from plandiff.cli.params import TEXT
from plandiff.cli.record_cmds import (
    RELATION_KINDS,
    STANCES_KEY,
    given_quotes,
    quote_options,
    run_edit,
)


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

    refs = given_quotes(quotes, sources, occurrences)
    run_edit(
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
    refs = given_quotes(quotes, sources, occurrences)
    run_edit(
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

    run_edit(env, partial(remove_point, version_id=version_id, key=key))


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
            or click.get_current_context().meta.get(STANCES_KEY)
        ):
            raise click.UsageError(
                "--remove takes no --quote, --source, --stance, --note, --decided-by or --decide-at"
            )
        run_edit(env, partial(unrelate, args=args, kind=chosen))
        return
    if chosen is None:
        raise click.UsageError("say what happened with --as reworded|merged|split|dropped|deferred")
    if not quotes:
        raise click.UsageError("a relation needs evidence: give --quote TEXT --source ID")
    refs = given_quotes(quotes, sources, occurrences)
    run_edit(
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

__all__ = ["point", "relate"]
