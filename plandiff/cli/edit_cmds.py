"""Commands that correct and remove what was recorded, so no registry file is edited by hand:
``version edit|remove|say|unsay|quote|unquote``, ``source remove`` and ``event remove``.

They join the groups of :mod:`plandiff.cli.record_cmds` (the CLI loads the groups from here), and,
like those, hand one pure operation of :mod:`plandiff.recording.edits` to the registry's
transaction: all or nothing, one-line refusals, nothing written when refused.
"""

from __future__ import annotations

import datetime as dt
from functools import partial

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, pass_env
from plandiff.cli.params import TEXT
from plandiff.cli.record_cmds import (
    date_param,
    event,
    given_quotes,
    quote_options,
    run_edit,
    source,
    version,
)

COMPLETENESS = ["full", "partial"]

# --------------------------------------------------------------------------- version


@version.command("edit", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.option("--title", help="New title.", type=TEXT)
@click.option("--date", type=date_param, metavar="YYYY-MM-DD", help="New date.")
@click.option("--no-date", is_flag=True, help="Remove the date.")
@click.option(
    "--declared-points", type=click.IntRange(min=0), metavar="N", help="New declared count."
)
@click.option("--no-declared-points", is_flag=True, help="Remove the declared count.")
@click.option(
    "--issuer", multiple=True, type=TEXT, help="Replace the issuers (repeatable; '' for none)."
)
@click.option(
    "--party",
    "parties",
    multiple=True,
    type=TEXT,
    help="Replace the parties (repeatable; '' for none).",
)
@click.option(
    "--derived-from",
    metavar="VERSION",
    type=TEXT,
    help="New origin ('' for none); refused while relations tie the version to its origin.",
)
@click.option("--completeness", type=click.Choice(COMPLETENESS), help="'full' or 'partial'.")
@click.option("--note", help="New remarks ('' removes them).", type=TEXT)
@quote_options(required=False)
@pass_env
def version_edit(
    env: Env,
    version_id: str,
    title: str | None,
    date: dt.datetime | None,
    no_date: bool,
    declared_points: int | None,
    no_declared_points: bool,
    issuer: tuple[str, ...],
    parties: tuple[str, ...],
    derived_from: str | None,
    completeness: str | None,
    note: str | None,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
) -> None:
    """Correct VERSION's own facts: given fields are replaced, --quote adds evidence for them.

    A quote anchors what reporting says of the version (its title, count, date or issuer) and is
    kept with the version's own evidence; 'plandiff version unquote' removes one.

    \b
    Example:
      plandiff version edit geneva-19 --declared-points 19 \\
          --quote "the new 19-point framework" --source reuters-2025-11-24
    """
    from plandiff.models import Completeness
    from plandiff.recording import KEEP
    from plandiff.recording.edits import edit_version

    if date is not None and no_date:
        raise click.UsageError("--date and --no-date exclude each other")
    if declared_points is not None and no_declared_points:
        raise click.UsageError("--declared-points and --no-declared-points exclude each other")
    given = [title, date, declared_points, derived_from, completeness, note]
    if all(v is None for v in given) and not (
        no_date or no_declared_points or issuer or parties or quotes
    ):
        raise click.UsageError(
            "nothing to change: give --title, --date, --declared-points, --issuer, --party, "
            "--derived-from, --completeness, --note or --quote"
        )
    refs = given_quotes(quotes, sources, occurrences)
    run_edit(
        env,
        partial(
            edit_version,
            version_id=version_id,
            title=KEEP if title is None else title,
            date=None if no_date else (KEEP if date is None else date.date()),
            declared_points=(
                None
                if no_declared_points
                else (KEEP if declared_points is None else declared_points)
            ),
            issuer=issuer or None,
            parties=parties or None,
            derived_from=KEEP if derived_from is None else derived_from,
            completeness=KEEP if completeness is None else Completeness(completeness),
            note=KEEP if note is None else note,
            quotes=refs,
        ),
    )


@version.command("remove", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@pass_env
def version_remove(env: Env, version_id: str) -> None:
    """Remove VERSION (refused while another version derives from it).

    The sources it cites stay; remove one with 'plandiff source remove' once nothing quotes it.

    \b
    Example:
      plandiff version remove reported-8
    """
    from plandiff.recording.edits import remove_version

    run_edit(env, partial(remove_version, version_id=version_id))


@version.command("say", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("text", type=TEXT)
@quote_options(required=True)
@pass_env
def version_say(
    env: Env,
    version_id: str,
    text: str,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
) -> None:
    """Record a statement TEXT that reporting makes about VERSION as a whole, with its quotes.

    Saying the same TEXT again adds the quotes to that statement.

    \b
    Example:
      plandiff version say geneva-19 "Talks continue on the remaining points." \\
          --quote "work on the remaining points will continue" --source reuters-2025-11-24
    """
    from plandiff.recording.edits import add_statement

    refs = given_quotes(quotes, sources, occurrences)
    run_edit(env, partial(add_statement, version_id=version_id, text=text, quotes=refs))


@version.command("unsay", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("number", type=click.IntRange(min=1), metavar="N")
@pass_env
def version_unsay(env: Env, version_id: str, number: int) -> None:
    """Remove VERSION's N-th statement, counting from 1 as 'plandiff show VERSION' lists them.

    \b
    Example:
      plandiff version unsay geneva-19 1
    """
    from plandiff.recording.edits import remove_statement

    run_edit(env, partial(remove_statement, version_id=version_id, number=number))


@version.command("quote", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@quote_options(required=True)
@pass_env
def version_quote(
    env: Env,
    version_id: str,
    quotes: tuple[str, ...],
    sources: tuple[str, ...],
    occurrences: tuple[int, ...],
) -> None:
    """Add quotes reporting VERSION itself (its existence, title, count, date or issuer).

    \b
    Example:
      plandiff version quote us-28 --quote "the 28-point plan" --source unn-2025-11-25
    """
    from plandiff.recording.edits import add_version_quotes

    refs = given_quotes(quotes, sources, occurrences)
    run_edit(env, partial(add_version_quotes, version_id=version_id, quotes=refs))


@version.command("unquote", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("number", type=click.IntRange(min=1), metavar="N")
@pass_env
def version_unquote(env: Env, version_id: str, number: int) -> None:
    """Remove the N-th of VERSION's own quotes, counting from 1 in recorded order.

    \b
    Example:
      plandiff version unquote us-28 2
    """
    from plandiff.recording.edits import remove_version_quote

    run_edit(env, partial(remove_version_quote, version_id=version_id, number=number))


# --------------------------------------------------------------------------- source


@source.command("remove", epilog=EXIT_STATUS_HELP)
@click.argument("source_id", metavar="SOURCE")
@pass_env
def source_remove(env: Env, source_id: str) -> None:
    """Remove SOURCE with its stored text and original capture (refused while quoted).

    \b
    Example:
      plandiff source remove ledger-2031-03-14
    """
    from plandiff.recording.edits import remove_source

    run_edit(env, partial(remove_source, source_id=source_id))


# --------------------------------------------------------------------------- event


@event.command("remove", epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="VERSION")
@click.argument("when", metavar="DATE")
@click.option("--what", type=TEXT, help="The event's exact words, when several share its DATE.")
@pass_env
def event_remove(env: Env, version_id: str, when: str, what: str | None) -> None:
    """Remove VERSION's event on DATE (YYYY-MM-DD), as 'plandiff show VERSION' lists it.

    \b
    Example:
      plandiff event remove revised-8 2031-03-13
    """
    from plandiff.recording.edits import remove_event

    run_edit(env, partial(remove_event, version_id=version_id, when=when, what=what))


__all__ = ["event", "source", "version"]
