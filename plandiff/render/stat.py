"""``plandiff diff --stat``: only the point map and the counts, as ``git diff --stat`` shows.

The point map is one row per change in report order, old points → new points and what
happened (``2 + 3 → 2  merged``, ``26 → —  removed (curated)``); runs of unchanged points in
place collapse into one line as in the full report. Then the summary lines the full report
prints, in the same words (:mod:`~plandiff.render.wording`). Nested changes are no rows: they
belong to their point's row and are counted in the summary. Renderers return values.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from rich.cells import cell_len
from rich.console import Group, RenderableType
from rich.text import Text

from plandiff.kinds import KindFilter
from plandiff.render import known_words, wording
from plandiff.render.markdown import escape_line, known_box
from plandiff.render.pieces import STYLES, Pieces, flat
from plandiff.result import Change, ChangeKind, DiffResult

__all__ = ["MapRow", "map_what", "markdown", "point_map", "terminal"]


@dataclass(frozen=True, slots=True)
class MapRow:
    """One line of the point map: a change (its sides, kind and flags) or a collapsed run
    of unchanged points (``collapsed``, the run's phrase)."""

    old: str = ""
    new: str = ""
    kind: str = ""
    what: str = ""
    collapsed: str = ""
    #: The change's index in the result (None for a collapsed run): where a page links to.
    index: int | None = None


def _quiet(change: Change) -> bool:
    return change.kind is ChangeKind.UNCHANGED and not change.moved and not change.heading_moved


def _row(change: Change, index: int) -> MapRow:
    what = ", ".join(wording.change_flags(change))
    if change.basis.value == "curated":
        what = f"{what} (curated)" if what else "(curated)"
    if change.kind is ChangeKind.DEFERRED:
        what = f"{what} {wording.deferral_phrase(change)}"
    return MapRow(
        old=wording.side_label(change.old),
        new=wording.side_label(change.new),
        kind=change.kind.value,
        what=what,
        index=index,
    )


def point_map(result: DiffResult, kinds: KindFilter | None = None) -> list[MapRow]:
    """The rows of the map, in report order. With ``kinds`` only the changes of those kinds
    (nothing collapsed: the rest is counted in the summary, as in the full report)."""
    if kinds is not None:
        return [_row(c, i) for i, c in enumerate(result.changes) if kinds.matches(c)]
    rows: list[MapRow] = []
    run: list[Change] = []
    for i, change in enumerate(result.changes):
        if _quiet(change):
            run.append(change)
            continue
        if run:
            rows.append(MapRow(collapsed=wording.collapsed_phrase(run)))
            run = []
        rows.append(_row(change, i))
    if run:
        rows.append(MapRow(collapsed=wording.collapsed_phrase(run)))
    return rows


def _summary(result: DiffResult, kinds: KindFilter | None) -> list[str]:
    lines = [*known_words.known_lines(result), wording.summary_phrase(result)]
    if kinds is not None:
        lines.append(kinds.phrase(result))
    return lines


# --------------------------------------------------------------------------- text


def terminal(result: DiffResult, kinds: KindFilter | None = None) -> RenderableType:
    """The stat report as a renderable (plain or coloured as the console is); nothing is
    printed. Registry and plan text pass through :func:`~plandiff.render.pieces.flat`."""
    return Group(*_terminal_lines(result, kinds))


def _terminal_lines(result: DiffResult, kinds: KindFilter | None) -> Iterator[RenderableType]:
    title = Text("plandiff  ", style=STYLES["title"])
    title.append(f"{flat(result.old.id)} → {flat(result.new.id)}", style=STYLES["title"])
    yield title
    yield Text("")
    rows = [
        MapRow(flat(r.old), flat(r.new), r.kind, flat(r.what), flat(r.collapsed))
        for r in point_map(result, kinds)
    ]
    changes = [r for r in rows if not r.collapsed]
    old_width = max((cell_len(r.old) for r in changes), default=0)
    new_width = max((cell_len(r.new) for r in changes), default=0)
    for r in rows:
        if r.collapsed:
            yield Text(f"  ⋯ {r.collapsed}", style=STYLES["dim"])
            continue
        line = Pieces("  " + " " * (old_width - cell_len(r.old)) + r.old)
        line.append(" → ")
        line.append(r.new + " " * (new_width - cell_len(r.new)))
        line.append("  ")
        line.append(r.kind, style=STYLES[f"kind.{r.kind}"])
        line.append(map_what(r)[len(r.kind) :])
        yield line.text(no_wrap=True, overflow="ellipsis")
    if rows:
        yield Text("")
    for phrase in _summary(result, kinds):
        yield Text(flat(phrase), style=STYLES["label"])
    if result.warnings:
        yield Text("")
    for w in result.warnings:
        yield Text("warning: " + flat(w), style=STYLES["warning"])


# --------------------------------------------------------------------------- Markdown


def map_what(r: MapRow) -> str:
    """What happened, as the map's last column says it: ``reworded, moved (curated)``."""
    if not r.what:
        return r.kind
    if r.what.startswith("("):
        return f"{r.kind} {r.what}"
    return f"{r.kind}, {r.what}"


def markdown(result: DiffResult, kinds: KindFilter | None = None) -> str:
    """The stat report as Markdown: the map as a table, then the summary; untrusted text
    escaped as the full Markdown report escapes it."""
    lines = [f"# {escape_line(result.old.id)} → {escape_line(result.new.id)}", ""]
    rows = point_map(result, kinds)
    if rows:
        lines += ["| Old | New | Change |", "|---:|---|---|"]
        lines += [_markdown_row(r) for r in rows]
        lines.append("")
    lines += list(known_box(result))
    lines += [escape_line(wording.summary_phrase(result)), ""]
    if kinds is not None:  # in italics, as the full report says it
        lines += [f"*{escape_line(kinds.phrase(result))}*", ""]
    if result.warnings:
        lines += ["## Warnings", ""]
        lines += [f"- {escape_line(w)}" for w in result.warnings]
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_row(r: MapRow) -> str:
    if r.collapsed:
        return f"| ⋯ | ⋯ | *{escape_line(r.collapsed)}* |"
    return f"| {escape_line(r.old)} | {escape_line(r.new)} | {escape_line(map_what(r))} |"
