"""History commands: ``plandiff log`` (the lineage as a timeline) and ``plandiff trace``."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, pass_env
from plandiff.cli.formats import Formats, json_text
from plandiff.cli.output import color_option, emit, pager_option, render_text

if TYPE_CHECKING:
    from plandiff.history import Trace
    from plandiff.models import PlanVersion, Registry


class Lineage(NamedTuple):
    """What ``log`` shows: versions of a registry, newest first."""

    registry: Registry
    versions: list[PlanVersion]


class PointTrace(NamedTuple):
    """What ``trace`` shows: one point's steps through the versions of a registry."""

    trace: Trace
    registry: Registry


def _log_text(env: Env, subject: Lineage) -> str:
    from plandiff.render import history

    return render_text(env, history.log_view(subject.registry, subject.versions))


def _log_json(_env: Env, subject: Lineage) -> str:
    from plandiff.render import history

    return json_text(history.log_data(subject.registry, subject.versions))


def _log_html(_env: Env, subject: Lineage) -> str:
    from plandiff.render.html.history import log_page

    return log_page(subject.registry, subject.versions)


def _trace_text(env: Env, subject: PointTrace) -> str:
    from plandiff.render import history

    return render_text(env, history.trace_view(subject.trace, subject.registry))


def _trace_json(_env: Env, subject: PointTrace) -> str:
    from plandiff.render import history

    return json_text(history.trace_data(subject.trace, subject.registry))


def _trace_html(_env: Env, subject: PointTrace) -> str:
    from plandiff.render.html.history import trace_page

    return trace_page(subject.trace, subject.registry)


LOG_FORMATS: Formats[Lineage] = Formats({"text": _log_text, "json": _log_json, "html": _log_html})
TRACE_FORMATS: Formats[PointTrace] = Formats(
    {"text": _trace_text, "json": _trace_json, "html": _trace_html}
)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("version", metavar="[VERSION]", required=False)
@LOG_FORMATS.option()
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

    if color is not None:
        env.color = color
    registry = env.load()
    subject = Lineage(registry, lineage(registry, version))
    emit(LOG_FORMATS.render(fmt, env, subject), pager=pager)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("point", metavar="VERSION:POINT")
@TRACE_FORMATS.option()
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

    if color is not None:
        env.color = color
    registry = env.load()
    subject = PointTrace(trace_point(registry, point), registry)
    emit(TRACE_FORMATS.render(fmt, env, subject), pager=pager)


__all__ = ["LOG_FORMATS", "TRACE_FORMATS", "log", "trace"]
