"""Commands over the registry as it stands: versions, show, sources, verify, init."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env, printable
from plandiff.cli.formats import Formats, json_text
from plandiff.cli.output import emit, render_text
from plandiff.models import iter_anchors

if TYPE_CHECKING:
    from plandiff.models import PlanVersion, Registry, Source

_FORMAT_HELP = "Output format; json is stable and documented in the README."


class ShownVersion(NamedTuple):
    """One version as ``show`` gives it, with how it was cut from its text when it was."""

    version: PlanVersion
    registry: Registry
    cut: str | None  # how its points were cut, in words (recording.how_cut)


class ShownSource(NamedTuple):
    """One source as ``show`` gives it (alone, or with its quotes marked)."""

    source: Source
    registry: Registry


def _versions_text(env: Env, registry: Registry) -> str:
    from plandiff.render import views

    return render_text(env, views.versions_table(registry))


def _versions_json(_env: Env, registry: Registry) -> str:
    from plandiff.render import views

    return json_text(views.versions_data(registry))


def _sources_text(env: Env, registry: Registry) -> str:
    from plandiff.render import views

    return render_text(env, views.sources_table(registry))


def _sources_json(_env: Env, registry: Registry) -> str:
    from plandiff.render import views

    return json_text(views.sources_data(registry))


def _version_text(env: Env, shown: ShownVersion) -> str:
    from plandiff.render import views

    return render_text(env, views.version_view(shown.version, shown.registry, shown.cut))


def _version_json(_env: Env, shown: ShownVersion) -> str:
    from plandiff.render import views

    return json_text(views.version_data(shown.version, shown.registry, shown.cut))


def _source_text(env: Env, shown: ShownSource) -> str:
    from plandiff.render import views
    from plandiff.text import first_words

    opening = first_words(shown.registry.texts.get(shown.source.id, ""))
    return render_text(env, views.source_view(shown.source, opening))


def _source_json(_env: Env, shown: ShownSource) -> str:
    from plandiff.render import views

    source = shown.source
    return json_text({"source": views.source_row(source), "text": shown.registry.text(source.id)})


def _history_text(env: Env, shown: ShownSource) -> str:
    from plandiff.render import captures

    return render_text(env, captures.history_view(shown.source, shown.registry))


def _history_json(_env: Env, shown: ShownSource) -> str:
    from plandiff.render import captures

    return json_text(captures.history_data(shown.source, shown.registry))


def _quotes_text(env: Env, shown: ShownSource) -> str:
    from plandiff.render import quotes

    return render_text(env, quotes.source_quotes(shown.source, shown.registry))


def _quotes_json(_env: Env, shown: ShownSource) -> str:
    from plandiff.render import quotes

    return json_text(quotes.source_quotes_data(shown.source, shown.registry))


VERSIONS_FORMATS: Formats[Registry] = Formats(
    {"text": _versions_text, "json": _versions_json}, _FORMAT_HELP
)
SOURCES_FORMATS: Formats[Registry] = Formats(
    {"text": _sources_text, "json": _sources_json}, _FORMAT_HELP
)
VERSION_FORMATS: Formats[ShownVersion] = Formats(
    {"text": _version_text, "json": _version_json}, _FORMAT_HELP
)
SOURCE_FORMATS: Formats[ShownSource] = Formats(
    {"text": _source_text, "json": _source_json}, _FORMAT_HELP
)
QUOTES_FORMATS: Formats[ShownSource] = Formats(
    {"text": _quotes_text, "json": _quotes_json}, _FORMAT_HELP
)
HISTORY_FORMATS: Formats[ShownSource] = Formats(
    {"text": _history_text, "json": _history_json}, _FORMAT_HELP
)


@click.command(epilog=EXIT_STATUS_HELP)
@VERSIONS_FORMATS.option()
@pass_env
def versions(env: Env, fmt: str) -> None:
    """List the plan versions in the registry, oldest first."""
    emit(VERSIONS_FORMATS.render(fmt, env, env.load()), pager=False)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("ident", metavar="VERSION|SOURCE")
@click.option(
    "--quotes", is_flag=True, help="For a source: the article with its anchored quotes marked."
)
@click.option(
    "--history",
    is_flag=True,
    help="For a source: its captures, newest first, with retrieval date, sha256, size and how "
    "many quotes cite each.",
)
@VERSION_FORMATS.option()  # one --format for all of them: the tables have the same names
@pass_env
def show(env: Env, ident: str, quotes: bool, history: bool, fmt: str) -> None:
    """Show one version (its points, each with its quotes and sources) or one source."""
    from plandiff.errors import NotFoundError

    if quotes and history:
        raise click.UsageError("--quotes and --history are two views of a source: give one")
    registry = env.load()
    version = registry.version(ident)
    if version is not None and not (quotes or history):
        cut = None
        if version.text_source is not None:  # only then is the segmenter worth loading
            from plandiff.recording import how_cut

            cut = how_cut(version, registry)
        emit(VERSION_FORMATS.render(fmt, env, ShownVersion(version, registry, cut)), pager=False)
        return
    source = registry.source(ident)
    if source is None and version is not None:  # only --quotes or --history gets here
        from plandiff.errors import PlandiffError
        from plandiff.errors import show as shown

        what = "with its quotes marked" if quotes else "with its captures"
        raise PlandiffError(
            f"--{'quotes' if quotes else 'history'} shows a source {what}; {shown(ident)} is a "
            f"version (try 'plandiff show {ident}')"
        )
    if source is None:
        known = [v.id for v in registry.versions] + [s.id for s in registry.sources]
        raise NotFoundError("version or source", ident, known)
    table = QUOTES_FORMATS if quotes else HISTORY_FORMATS if history else SOURCE_FORMATS
    emit(table.render(fmt, env, ShownSource(source, registry)), pager=False)


@click.command(epilog=EXIT_STATUS_HELP)
@SOURCES_FORMATS.option()
@pass_env
def sources(env: Env, fmt: str) -> None:
    """List the source articles in the registry."""
    emit(SOURCES_FORMATS.render(fmt, env, env.load()), pager=False)


@click.command(epilog=EXIT_STATUS_HELP)
@click.option(
    "--fix", is_flag=True, help="Fill in missing anchor offsets and context from the quotes."
)
@click.option(
    "--strict", is_flag=True, help="Fail (exit status 2) on the warnings: facts without a quote."
)
@pass_env
def verify(env: Env, fix: bool, strict: bool) -> None:
    """Check the registry: files, hashes, ids, lineage and that every quote is where it says.

    Also checks that every original capture a source names (the HTML page its text was
    extracted from) is there, and that every verbatim point text stands whole in a source the
    point quotes (or its version's text). Lists every problem, one line each, and exits 2 when
    there is any. Facts recorded without a quote (a version's declared count, date, issuers
    and parties when it has no quote of its own; statements, events and points without one)
    are listed as warnings on stderr; with --strict they are problems too.
    """
    from plandiff import store
    from plandiff.claims import unanchored_texts, unquoted_facts
    from plandiff.cli import report_errors
    from plandiff.errors import RegistryError

    root = env.registry_root()
    if fix:
        registry, filled = store.fix_registry(root)
        click.echo(f"filled offsets of {filled} anchor(s)")
        missing = store.original_problems(root, registry)
        if missing:
            raise RegistryError(missing)
    else:  # the captures are read under the same shared lock as the rest
        registry = store.load_registry(root, check_originals=True)
    problems = unanchored_texts(registry)
    unquoted = unquoted_facts(registry)
    if strict:
        problems += unquoted
    elif unquoted:
        report_errors([f"warning: {problem}" for problem in unquoted])
    if problems:
        raise RegistryError(problems)
    anchors = sum(1 for v in registry.versions for _ in iter_anchors(v))
    warned = f", {len(unquoted)} fact(s) without a quote" if unquoted else ""
    click.echo(
        f"ok: {len(registry.versions)} version(s), {len(registry.sources)} source(s), "
        f"{anchors} anchor(s) verified in {printable(str(root))}{warned}"
    )


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
def init(directory: str) -> None:
    """Create an empty registry in DIRECTORY (which must be empty or absent)."""
    from plandiff import store

    root = store.init_registry(directory)
    click.echo(f"initialised empty plandiff registry in {printable(str(root))}")


__all__ = ["ExitStatus", "init", "show", "sources", "verify", "versions"]
