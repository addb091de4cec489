"""History commands: ``plandiff log`` (the lineage as a timeline) and ``plandiff trace``."""

from __future__ import annotations

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, pass_env
from plandiff.cli.output import color_option, emit, pager_option, render_text

format_option = click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("version", metavar="[VERSION]", required=False)
@format_option
@color_option
@pager_option
@pass_env
def log(env: Env, version: str | None, fmt: str, color: bool | None, pager: bool | None) -> None:
    """The versions as a timeline, newest first, like 'git log'.

    Each version with its date, declared and known points, what it derives from, and its
    dated events with the quotes that report them. With VERSION: that version and the versions
    it derives from.
    """
    from plandiff.history import lineage
    from plandiff.render import history

    if color is not None:
        env.color = color
    registry = env.load()
    versions = lineage(registry, version)
    if fmt == "json":
        from plandiff.render.json import dumps

        emit(dumps(history.log_data(registry, versions)) + "\n", pager=pager)
    else:
        emit(render_text(env, history.log_view(registry, versions)), pager=pager)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("point", metavar="VERSION:POINT")
@format_option
@color_option
@pager_option
@pass_env
def trace(env: Env, point: str, fmt: str, color: bool | None, pager: bool | None) -> None:
    """The history of one point across its versions, like 'git blame' for a point.

    POINT is the point's key or its number in VERSION (us-28:territory, draft-2:7). From the
    first version that has it to the last: each rewording, merge, split or drop, found by
    diffing each version with the one it derives from (curated relations first), with the
    quotes and sources for every step.
    """
    from plandiff.history import trace as trace_point
    from plandiff.render import history

    if color is not None:
        env.color = color
    registry = env.load()
    found = trace_point(registry, point)
    if fmt == "json":
        from plandiff.render.json import dumps

        emit(dumps(history.trace_data(found, registry)) + "\n", pager=pager)
    else:
        emit(render_text(env, history.trace_view(found, registry)), pager=pager)


__all__ = ["log", "trace"]
