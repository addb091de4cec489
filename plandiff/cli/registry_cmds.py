"""Commands over the registry as it stands: versions, show, sources, verify, init."""

from __future__ import annotations

from typing import Any

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env, printable
from plandiff.cli.output import render_text, write_out

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format; json is stable and documented in the README.",
)


def echo_json(data: Any) -> None:
    from plandiff.render.json import dumps

    write_out(dumps(data) + "\n")


@click.command(epilog=EXIT_STATUS_HELP)
@format_option
@pass_env
def versions(env: Env, fmt: str) -> None:
    """List the plan versions in the registry, oldest first."""
    from plandiff.render import views

    registry = env.load()
    if fmt == "json":
        echo_json(views.versions_data(registry))
    else:
        write_out(render_text(env, views.versions_table(registry)))


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("ident", metavar="VERSION|SOURCE")
@click.option(
    "--quotes", is_flag=True, help="For a source: the article with its anchored quotes marked."
)
@format_option
@pass_env
def show(env: Env, ident: str, quotes: bool, fmt: str) -> None:
    """Show one version (its points, each with its quotes and sources) or one source."""
    from plandiff.errors import NotFoundError
    from plandiff.render import views

    registry = env.load()
    version = registry.version(ident)
    if version is not None and not quotes:
        cut = None
        if version.text_source is not None:  # only then is the segmenter worth loading
            from plandiff.recording import how_cut

            cut = how_cut(version, registry)
        if fmt == "json":
            echo_json(views.version_data(version, registry, cut))
        else:
            write_out(render_text(env, views.version_view(version, registry, cut)))
        return
    source = registry.source(ident)
    if source is None and version is not None:  # only --quotes gets here
        from plandiff.errors import PlandiffError
        from plandiff.errors import show as shown

        raise PlandiffError(
            f"--quotes shows a source with its quotes marked; {shown(ident)} is a version "
            f"(try 'plandiff show {ident}')"
        )
    if source is None:
        known = [v.id for v in registry.versions] + [s.id for s in registry.sources]
        raise NotFoundError("version or source", ident, known)
    if quotes:
        from plandiff.render import quotes as quote_view

        if fmt == "json":
            echo_json(quote_view.source_quotes_data(source, registry))
        else:
            write_out(render_text(env, quote_view.source_quotes(source, registry)))
        return
    if fmt == "json":
        echo_json({"source": views.source_row(source), "text": registry.text(source.id)})
    else:
        write_out(render_text(env, views.source_view(source)))


@click.command(epilog=EXIT_STATUS_HELP)
@format_option
@pass_env
def sources(env: Env, fmt: str) -> None:
    """List the source articles in the registry."""
    from plandiff.render import views

    registry = env.load()
    if fmt == "json":
        echo_json(views.sources_data(registry))
    else:
        write_out(render_text(env, views.sources_table(registry)))


@click.command(epilog=EXIT_STATUS_HELP)
@click.option(
    "--fix", is_flag=True, help="Fill in missing anchor offsets and context from the quotes."
)
@pass_env
def verify(env: Env, fix: bool) -> None:
    """Check the registry: files, hashes, ids, lineage and that every quote is where it says.

    Also checks that every original capture a source names (the HTML page its text was
    extracted from) is there. Lists every problem, one line each, and exits 2 when there is any.
    """
    from plandiff import store
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
    anchors = sum(1 for v in registry.versions for _ in store.iter_anchors(v))
    click.echo(
        f"ok: {len(registry.versions)} version(s), {len(registry.sources)} source(s), "
        f"{anchors} anchor(s) verified in {printable(str(root))}"
    )


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("directory", type=click.Path(file_okay=False, path_type=str))
def init(directory: str) -> None:
    """Create an empty registry in DIRECTORY (which must be empty or absent)."""
    from plandiff import store

    root = store.init_registry(directory)
    click.echo(f"initialised empty plandiff registry in {printable(str(root))}")


__all__ = ["ExitStatus", "init", "show", "sources", "verify", "versions"]
