"""``plandiff compare V1 V2 V3 …``: the points of several versions as one table."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env
from plandiff.cli.formats import Formats
from plandiff.cli.output import color_option, emit, pager_option, render_text

if TYPE_CHECKING:
    from plandiff.compare import LineageTable
    from plandiff.kinds import KindFilter


class CompareReport(NamedTuple):
    """What ``compare`` shows: the table, with the options that pick its rows."""

    table: LineageTable
    show_unchanged: bool
    kinds: KindFilter | None


def lineage_ids(named: Sequence[tuple[str, bool]]) -> list[str | None]:
    """The ids of the text-file sides: each named after its file (None), unless two sides
    would share an id; then each file takes its place on the command line (``plan-2``)."""
    from plandiff.texts import text_version_id

    own = [text_version_id(name) if is_text else name for name, is_text in named]
    if len(set(own)) == len(own):
        return [None] * len(own)
    return [
        text_version_id(name, str(n)) if is_text else None
        for n, (name, is_text) in enumerate(named, 1)
    ]


def _lineage_of(env: Env, arg: str) -> tuple[str, ...]:
    """One registry version: it and the versions it derives from, oldest first."""
    from plandiff.errors import NotFoundError
    from plandiff.history import ancestry
    from plandiff.record_cache import load_records

    if arg == "-" or Path(arg).exists():
        raise click.UsageError(
            f"compare needs at least two versions, oldest first (got only {arg!r})"
        )
    registry = load_records(env.registry_path)
    version = registry.version(arg)
    if version is None:
        raise NotFoundError("version", arg, [v.id for v in registry.versions])
    chain = [v.id for v in reversed(ancestry(registry.versions, version))]
    if len(chain) < 2:
        raise click.UsageError(
            f"{arg!r} derives from no recorded version: name two versions or more, oldest first"
        )
    return tuple(chain)


def compute(env: Env, args: Sequence[str], points: str | None = None) -> LineageTable:
    """The table of the versions named by ``args`` (version ids or plan text files), each
    diffed with the next as ``plandiff diff`` would diff them."""
    from plandiff.cli.diff_cmd import load_sides
    from plandiff.compare import compare
    from plandiff.engine import diff
    from plandiff.errors import InputError

    if list(args).count("-") > 1:
        raise InputError("'-' (standard input) can be only one of the versions")
    sides = load_sides(env, args, points, lineage_ids)

    def differ(old: int, new: int) -> DiffResult:
        return diff(
            sides.versions[old],
            sides.versions[new],
            registry=sides.registry,
            sources=sides.sources,
            warnings=sides.warnings,
            segmentations=sides.cuts,
            outlines=(sides.outlines[old], sides.outlines[new]),
        )

    return compare(range(len(sides.versions)), differ)


def _check_options(fmt: str, show_unchanged: bool, kinds: KindFilter | None) -> None:
    if show_unchanged and fmt not in ("text", "markdown", "html"):
        raise click.UsageError(f"--show-unchanged applies to text, markdown and html, not {fmt}")
    if show_unchanged and kinds is not None:
        raise click.UsageError("--show-unchanged and --kind pick rows in two ways: give one")


def _text(env: Env, report: CompareReport) -> str:
    from plandiff.render import compare

    view = compare.grid(report.table, show_unchanged=report.show_unchanged, kinds=report.kinds)
    return render_text(env, compare.terminal(view))


def _markdown(_env: Env, report: CompareReport) -> str:
    from plandiff.render import compare

    view = compare.grid(report.table, show_unchanged=report.show_unchanged, kinds=report.kinds)
    return compare.markdown(view)


def _html(_env: Env, report: CompareReport) -> str:
    from plandiff.render import compare
    from plandiff.render.html import compare as html_compare

    view = compare.grid(report.table, show_unchanged=report.show_unchanged, kinds=report.kinds)
    return html_compare.page(view)


def _json(_env: Env, report: CompareReport) -> str:
    from plandiff.render import compare

    return compare.json(report.table, report.kinds)


COMPARE_FORMATS: Formats[CompareReport] = Formats(
    {"text": _text, "markdown": _markdown, "json": _json, "html": _html},
    help="text: the table (coloured on a terminal); markdown: a table for GitHub; json: the "
    "documented contract (schemas/plandiff-compare.schema.json); html: one self-contained "
    "page to share or print.",
)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("versions", metavar="V1 [V2 …]", nargs=-1, required=True)
@COMPARE_FORMATS.option()
@click.option(
    "--show-unchanged",
    is_flag=True,
    help="List the points unchanged in every version instead of counting them.",
)
@click.option(
    "--kind",
    "kind",
    multiple=True,
    metavar="KINDS",
    help="Show only the rows with a change of these kinds at some step, comma-separated "
    "(repeatable): unchanged, reworded, merged, split, added, removed, unreported, replaced, "
    "deferred, moved.",
)
@color_option
@pager_option
@click.option("--exit-code", is_flag=True, help="Exit with status 1 when any two versions differ.")
@click.option(
    "--points",
    metavar="STYLE",
    default=None,
    help="Cut plan text files at these markers instead of guessing (as in 'plandiff diff').",
)
@pass_env
def compare(
    env: Env,
    versions: tuple[str, ...],
    fmt: str,
    show_unchanged: bool,
    kind: tuple[str, ...],
    color: bool | None,
    pager: bool | None,
    exit_code: bool,
    points: str | None,
) -> None:
    """The points of several versions as one table: a row per point's history.

    V1 V2 … are version ids of the registry or plan text files, oldest first, as 'plandiff
    diff' takes them; each is diffed with the next (curated relations first). A column per
    version gives the point's number there and what happened at that step: reworded, merged
    with another point, split (6 + 7), added, removed (—), unreported (?), moved or
    renumbered, marked (curated) where a recorded relation says so. Points unchanged in every
    version are counted in one line unless --show-unchanged. A single registry version stands
    for its lineage: it and every version it derives from.

    \b
    Examples:
      plandiff compare charter-v1.txt charter-v2.txt charter-v3.txt
      plandiff compare geneva-19
    """
    from plandiff.cli.diff_cmd import kind_filter

    if len(versions) < 2:
        versions = _lineage_of(env, versions[0])
    kinds = kind_filter(kind)
    _check_options(fmt, show_unchanged, kinds)
    if points is not None:
        from plandiff.segmentation import points_option

        points_option(points)
    if color is not None:
        env.color = color
    table = compute(env, versions, points)
    emit(COMPARE_FORMATS.render(fmt, env, CompareReport(table, show_unchanged, kinds)), pager=pager)
    if exit_code and any(d.has_differences for d in table.diffs):
        click.get_current_context().exit(ExitStatus.DIFFERENCES)


if TYPE_CHECKING:
    from plandiff.result import DiffResult

__all__ = ["COMPARE_FORMATS", "compare", "compute", "lineage_ids"]
