"""``plandiff diff OLD NEW``: two registry versions, or two plan text files."""

from __future__ import annotations

import contextlib
import gc
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, TypedDict

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env
from plandiff.cli.formats import Formats, Report
from plandiff.cli.output import color_option, emit, pager_option, render_text

if TYPE_CHECKING:
    from plandiff.evidence import Citation
    from plandiff.kinds import KindFilter
    from plandiff.outside import Outline
    from plandiff.records import RegistryRecord, VersionRecord
    from plandiff.result import DiffResult, SegmentationSummary

_PATH_LIKE_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def read_plan_file(arg: str) -> str:
    """Read a plan text given on the command line; a missing path is an error, never text."""
    from plandiff.bounded import read_input
    from plandiff.decoding import decode_any_text
    from plandiff.errors import InputError, show
    from plandiff.registry_dir import max_source_bytes

    data = read_input(arg, max_source_bytes(), "a plan text file", "PLANDIFF_MAX_SOURCE_BYTES")
    try:
        return decode_any_text(data)
    except ValueError as exc:
        raise InputError(f"{show(arg)}: {exc}") from exc


def _looks_like_path(arg: str) -> bool:
    return "/" in arg or "\\" in arg or Path(arg).suffix.lower() in _PATH_LIKE_SUFFIXES


def resolve_side(arg: str, registry: Callable[[], RegistryRecord]) -> VersionRecord | str:
    """A registry version, or the text of a plan file that exists (a file wins over an id)."""
    from plandiff.errors import InputError, NotFoundError, show

    if arg == "-" or Path(arg).exists():  # "-": standard input
        return read_plan_file(arg)
    if _looks_like_path(arg):
        raise InputError(f"{show(arg)}: no such file")
    version = registry().version(arg)
    if version is None:
        raise NotFoundError("version", arg, [v.id for v in registry().versions])
    return version


class _Sides(NamedTuple):
    """Both sides of a diff as the engine takes them, with what their texts' cuts said."""

    versions: list[VersionRecord]
    outlines: list[Outline]
    sources: dict[str, Citation]
    warnings: list[str]
    cuts: dict[str, SegmentationSummary]
    registry: RegistryRecord | None


def compute(env: Env, old_arg: str, new_arg: str, points: str | None = None) -> DiffResult:
    """Diff two command-line arguments, each a version id or a plan text file."""
    from plandiff.engine import diff

    if (old_arg, new_arg) == ("-", "-"):
        from plandiff.errors import InputError

        raise InputError("'-' (standard input) can be only one side of the diff")
    # The plan texts are read and segmented in a call of their own, so that they are no longer
    # held while the diff runs: at 30,000 points, 24 MB less at the alignment's peak.
    sides = load_sides(env, (old_arg, new_arg), points)
    return diff(
        sides.versions[0],
        sides.versions[1],
        registry=sides.registry,
        sources=sides.sources,
        warnings=sides.warnings,
        segmentations=sides.cuts,
        outlines=(sides.outlines[0], sides.outlines[1]),
    )


#: The version ids to give the text-file sides, from each side's (name, is a text file): None
#: for a file named after itself (:func:`plandiff.texts.side_ids` for the two of a diff).
SideIds = Callable[[Sequence[tuple[str, bool]]], Sequence[str | None]]


def load_sides(
    env: Env, args: Sequence[str], points: str | None, side_names: SideIds | None = None
) -> _Sides:
    """Each argument as a version: the registry's, or its plan file segmented."""
    from plandiff.outside import EMPTY
    from plandiff.texts import documents_from_texts, side_ids, text_citation

    loaded: list[RegistryRecord] = []

    def registry() -> RegistryRecord:  # the records of what validation passed, loaded once
        if not loaded:
            from plandiff.record_cache import load_records

            loaded.append(load_records(env.registry_path))
        return loaded[0]

    sides = [resolve_side(arg, registry) for arg in args]
    # The ids are settled first so that both files are segmented at once.
    named = [(arg, isinstance(side, str)) for side, arg in zip(sides, args, strict=True)]
    ids = side_names(named) if side_names is not None else side_ids(*named)
    specs = [
        (side, arg, version_id)
        for side, arg, version_id in zip(sides, args, ids, strict=True)
        if isinstance(side, str)
    ]
    if points is not None and not specs:
        raise click.UsageError("--points applies to plan text files, and both sides are versions")
    built = iter(documents_from_texts(specs, points, context=False))
    out = _Sides([], [], {}, [], {}, None)
    for side, arg in zip(sides, args, strict=True):
        if isinstance(side, str):
            (version, found, cut), outline = next(built)
            out.sources[version.id] = text_citation(arg)
            out.warnings.extend(found)
            out.cuts[version.id] = cut
        else:
            version, outline = side, EMPTY
        out.versions.append(version)
        out.outlines.append(outline)
    return out._replace(registry=registry() if loaded else None)


@contextlib.contextmanager
def _without_cycle_collection() -> Iterator[None]:
    """The cyclic garbage collector paused for one diff (reference counting still frees).

    A 30,000-point diff makes no cycles, but even with its records left out of the collector
    (``gc=False``) it holds some 200,000 tuples of them that each collection walks: measured
    at 30,000 points, about 0.6 s of a 4.7 s run's CPU (1.2 s of 6.5 s with pydantic models).
    The previous state is restored, so in-process callers (tests) keep theirs.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            # What the diff allocated is all in the youngest generation now, and the first
            # allocation after enable() would collect it, walking every object (0.3 s at
            # 30,000 points): file it with the oldest generation instead, as if it had aged.
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def _check_options(
    fmt: str,
    show_unchanged: bool,
    side_by_side: bool,
    context: int | None,
    stat: bool = False,
    show_unreported: bool = False,
    full: bool = False,
    locations: bool = False,
) -> None:
    """Layout options that a format would silently ignore are usage errors instead."""
    if full:
        _check_full(fmt, show_unchanged, context, stat)
    if stat:
        if fmt not in ("text", "markdown"):
            raise click.UsageError(f"--stat applies to text and markdown, not {fmt}")
        for flag, given in (
            ("--show-unchanged", show_unchanged),
            ("--side-by-side", side_by_side),
            ("--context", context is not None),
            ("--show-unreported", show_unreported),
            ("--locations", locations),
        ):
            if given:
                raise click.UsageError(f"{flag} lays out the full report, not --stat")
    if side_by_side and fmt != "text":
        raise click.UsageError(f"--side-by-side applies to --format text, not {fmt}")
    if context is not None and fmt != "text":
        raise click.UsageError(f"--context applies to --format text, not {fmt}")
    if show_unchanged and fmt not in ("text", "markdown", "html"):
        raise click.UsageError(f"--show-unchanged applies to text, markdown and html, not {fmt}")
    if show_unreported and fmt not in ("text", "markdown", "html"):
        raise click.UsageError(f"--show-unreported applies to text, markdown and html, not {fmt}")
    if locations and fmt not in ("text", "markdown", "html"):
        raise click.UsageError(f"--locations applies to text, markdown and html, not {fmt}")


def _check_full(fmt: str, show_unchanged: bool, context: int | None, stat: bool) -> None:
    """``--full`` prints every point: options that choose which points or how many lines of
    context to show, or another view, make no sense with it. (``--side-by-side`` lays it out
    in two columns; it applies to text only, as it does without ``--full``.)"""
    if fmt not in ("text", "markdown", "html"):
        raise click.UsageError(f"--full applies to text, markdown and html, not {fmt}")
    for flag, given, why in (
        ("--stat", stat, "shows only the point map: choose it or --full"),
        ("--show-unchanged", show_unchanged, "is not needed: --full shows every point"),
        ("--context", context is not None, "is not needed: --full shows every point"),
    ):
        if given:
            raise click.UsageError(f"{flag} {why}")


def kind_filter(values: tuple[str, ...]) -> KindFilter | None:
    """``--kind`` as a filter (None when not given); an unknown name is a usage error."""
    if not values:
        return None
    from plandiff.kinds import KindFilter

    try:
        return KindFilter.parse(values)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="'--kind'") from exc


class Shown(TypedDict):
    """The options the text, Markdown and HTML reports take alike."""

    show_unchanged: bool
    kinds: KindFilter | None
    show_unreported: bool
    full: bool
    locations: bool


class DiffReport(NamedTuple):
    """What ``diff`` shows: the result, with the layout options of the text report."""

    result: DiffResult
    show_unchanged: bool
    side_by_side: bool
    context: int | None
    kinds: KindFilter | None = None
    stat: bool = False
    show_unreported: bool = False
    full: bool = False
    locations: bool = False

    def shown(self) -> Shown:
        """What the text, Markdown and HTML reports take alike: which points and lines show."""
        return {
            "show_unchanged": self.show_unchanged,
            "kinds": self.kinds,
            "show_unreported": self.show_unreported,
            "full": self.full,
            "locations": self.locations,
        }


def _text(env: Env, report: DiffReport) -> str:
    from plandiff.render import terminal

    if report.stat:
        from plandiff.render import stat

        return render_text(env, stat.terminal(report.result, report.kinds))

    view = terminal.render(
        report.result,
        side_by_side=report.side_by_side,
        context=report.context,
        width=env.width,
        **report.shown(),
    )
    return render_text(env, view)


def _markdown(_env: Env, report: DiffReport) -> str:
    from plandiff.render import markdown

    if report.stat:
        from plandiff.render import stat

        return stat.markdown(report.result, report.kinds)
    return markdown.render(report.result, **report.shown())


def _json(_env: Env, report: DiffReport) -> Report:
    from plandiff.render import json as json_render

    if getattr(sys.stdout, "isatty", lambda: False)():
        return json_render.render(report.result, report.kinds)  # on a terminal: paged
    return json_render.render_parts(report.result, report.kinds)  # written as it comes


def _html(_env: Env, report: DiffReport) -> str:
    from plandiff.render.html import diff as html_diff

    return html_diff.render(report.result, **report.shown())


def _xml(_env: Env, report: DiffReport) -> bytes:
    from plandiff.render.xml import diff_to_xml

    return diff_to_xml(report.result, report.kinds)


DIFF_FORMATS: Formats[DiffReport] = Formats(
    {"text": _text, "json": _json, "markdown": _markdown, "xml": _xml, "html": _html},
    help="text: the report (coloured on a terminal); markdown: a report for GitHub; json: the "
    "documented contract; xml: the archive format; html: one self-contained page to share or "
    "print.",
)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@DIFF_FORMATS.option()
@click.option(
    "--show-unchanged", is_flag=True, help="List unchanged points instead of counting them."
)
@click.option(
    "--show-unreported",
    is_flag=True,
    help="Show each unreported point (no counterpart in a partly known version) instead of "
    "listing them in one line per side.",
)
@click.option("--side-by-side", is_flag=True, help="Show old and new text in two columns.")
@click.option(
    "--locations",
    is_flag=True,
    help="Show where each point of a plan file stands in it (character offsets); registry "
    "versions always show their quotes.",
)
@click.option(
    "-U",
    "--context",
    type=click.IntRange(min=0),
    default=None,
    metavar="N",
    help="Show N unchanged points around each change, like diff -U (default: none).",
)
@click.option(
    "--kind",
    "kind",
    multiple=True,
    metavar="KINDS",
    help="Show only changes of these kinds, comma-separated (repeatable), like git diff "
    "--diff-filter: unchanged, reworded, merged, split, added, removed, unreported, replaced, "
    "deferred, moved. The summary still counts every change.",
)
@click.option(
    "--stat",
    is_flag=True,
    help="Show only the point map (old → new, one row per change) and the counts, like git "
    "diff --stat (text and markdown).",
)
@click.option(
    "--full",
    is_flag=True,
    help="Show the whole new text as amended: preamble, headings, every point and the "
    "closing in the new version's order, with the changes marked inline (text and markdown).",
)
@color_option
@pager_option
@click.option(
    "--exit-code", is_flag=True, help="Exit with status 1 when the versions differ, like git."
)
@click.option(
    "--points",
    metavar="STYLE",
    default=None,
    help="Cut plan text files at these markers instead of guessing: number-dot, number-paren, "
    "paren-number, roman-dot, article, section, paragraph-sign, point, bullet … or a regular "
    "expression matched at the start of a line (its first group is the number).",
)
@pass_env
def diff(
    env: Env,
    old: str,
    new: str,
    fmt: str,
    show_unchanged: bool,
    show_unreported: bool,
    locations: bool,
    side_by_side: bool,
    context: int | None,
    color: bool | None,
    pager: bool | None,
    exit_code: bool,
    points: str | None,
    kind: tuple[str, ...],
    stat: bool,
    full: bool,
) -> None:
    """Show what changed from OLD to NEW, and who says so.

    OLD and NEW are version ids of the registry, or paths to plan text files (plain text or
    Markdown), diffed directly like 'git diff --no-index'. A path that does not exist is an
    error, never text to diff.

    The report gives both versions, the change in declared points, then each change in the new
    version's order: the points' old and new numbers, what happened (reworded, merged, split,
    added, removed, unreported; moved or renumbered), the wording redlined, and the quotes
    behind it with their sources. Without colour, deletions show as [-…-] and insertions as
    {+…+}.
    """
    _check_options(
        fmt, show_unchanged, side_by_side, context, stat, show_unreported, full, locations
    )
    kinds = kind_filter(kind)
    if points is not None:
        from plandiff.segmentation import points_option

        points_option(points)  # a bad expression is an error before any file is read
    if color is not None:
        env.color = color
    with _without_cycle_collection():
        result = compute(env, old, new, points)
        report = DiffReport(
            result,
            show_unchanged,
            side_by_side,
            context,
            kinds,
            stat,
            show_unreported,
            full,
            locations,
        )
        emit(DIFF_FORMATS.render(fmt, env, report), pager=pager)
    if exit_code and result.has_differences:
        click.get_current_context().exit(ExitStatus.DIFFERENCES)
