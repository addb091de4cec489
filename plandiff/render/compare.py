"""``plandiff compare``: a lineage table as terminal text, Markdown or JSON.

:func:`grid` lays a :class:`~plandiff.compare.LineageTable` out in words every format shares
(what each cell says, which rows are folded, the lines under the table), so the formats differ
only in markup and cannot disagree. Renderers return values, never print; plan and registry
text goes through the escape helpers of its format.

A cell shows the row's point number(s) in that version, then what happened at the step into
it: the kind (``reworded``, ``split``, ``merged with 5`` …) and its flags (``moved``,
``renumbered``), with ``(curated)`` where a recorded relation decided it (the alignment did
otherwise). A number alone means unchanged; ``—`` not in this version; ``?`` not reported by
a partly known version.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Annotated

from msgspec import Meta
from rich.console import Group, RenderableType
from rich.text import Text

from plandiff.compare import Cell, CellState, LineageTable, Row
from plandiff.kinds import KindFilter
from plandiff.render import wording
from plandiff.render.markdown import escape_line
from plandiff.render.pieces import STYLES, flat
from plandiff.result import Basis, Change, ChangeKind, PointRef, Record, VersionSummary

__all__ = [
    "CellDoc",
    "CellView",
    "ChangeStepDoc",
    "ColumnView",
    "CompareDocument",
    "Grid",
    "PointDoc",
    "RowDoc",
    "StepDoc",
    "document",
    "grid",
    "json",
    "markdown",
    "terminal",
]

#: What a cell shows when the row has no point in the version.
MARKS = {CellState.ABSENT: "—", CellState.UNKNOWN: "?"}

LEGEND = (
    "A number alone: the point is unchanged at that step. — not in that version; ? not "
    "reported by a partly known version. Kinds are found by the alignment unless marked "
    "(curated)."
)


# --------------------------------------------------------------------------- the grid


@dataclass(frozen=True, slots=True)
class CellView:
    """A cell in words: the point(s) (``6 + 7``, ``—``, ``?``), what happened at the step
    (empty when nothing), and the kind that names its style (None when nothing happened)."""

    points: str
    what: str = ""
    style: str | None = None


@dataclass(frozen=True, slots=True)
class ColumnView:
    """A column's heading: the version id and its counts (``10 points``, ``19 declared, 1
    known``)."""

    version: str
    counts: str


@dataclass(frozen=True, slots=True)
class Grid:
    """The table as every format lays it out."""

    columns: tuple[ColumnView, ...]
    rows: tuple[tuple[CellView, ...], ...]
    folded: str | None
    """``3 points unchanged in every version (1, 9–10)``, or None when nothing was folded."""
    showing: str | None
    """With ``--kind``: how many rows are shown of how many."""
    steps: tuple[str, ...]
    """A line per step: ``v1 → v2: Changes: …``."""
    warnings: tuple[str, ...]


def grid(
    table: LineageTable, *, show_unchanged: bool = False, kinds: KindFilter | None = None
) -> Grid:
    """The table in words. Rows with no change anywhere are folded into one line unless
    ``show_unchanged``; with ``kinds``, only the rows with a change of those kinds are shown."""
    if kinds is not None:
        shown = [r for r in table.rows if any(kinds.matches(c) for x in r.cells for c in x.changes)]
        of = f"{len(shown)} of {wording.plural(len(table.rows), 'row')}"
        showing: str | None = f"Showing {kinds.label}: {of}."
        folded: list[Row] = []
    else:
        showing = None
        folded = [] if show_unchanged else [r for r in table.rows if r.quiet]
        shown = [r for r in table.rows if r not in folded] if folded else list(table.rows)
    warnings = tuple(dict.fromkeys(w for d in table.diffs for w in d.warnings))
    return Grid(
        columns=tuple(ColumnView(v.id, _counts(v)) for v in table.columns),
        rows=tuple(tuple(cell_view(c) for c in r.cells) for r in shown),
        folded=_folded(folded),
        showing=showing,
        steps=tuple(f"{d.old.id} → {d.new.id}: {wording.summary_phrase(d)}" for d in table.diffs),
        warnings=warnings,
    )


def _counts(v: VersionSummary) -> str:
    if v.declared_points is None:
        return wording.plural(v.known_points, "point")
    return f"{v.declared_points} declared, {v.known_points} known"


def _folded(rows: Sequence[Row]) -> str | None:
    if not rows:
        return None
    refs = [ref for r in rows for ref in r.cells[-1].points]
    numbers = [
        r.number for r in refs if r.number is not None and wording.point_label(r) == str(r.number)
    ]
    others = [
        wording.point_label(r)
        for r in refs
        if r.number is None or wording.point_label(r) != str(r.number)
    ]
    where = ", ".join(filter(None, [wording.number_ranges(numbers), ", ".join(others)]))
    return f"{wording.plural(len(rows), 'point')} unchanged in every version ({where})"


def cell_view(cell: Cell) -> CellView:
    """What one cell says."""
    points = wording.side_label(cell.points) if cell.points else MARKS[cell.state]
    # A row whose points partly end here (one part of an earlier split removed) names the part
    # that ended by its old number: the cell's own numbers are those that go on.
    ending = [c for c in cell.changes if cell.points and not c.new]
    kinds = tuple(dict.fromkeys(c.kind for c in cell.changes if c not in ending))
    words = []
    for kind in kinds:
        if kind is ChangeKind.MERGED and cell.merged_with:
            words.append(f"merged with {wording.side_label(cell.merged_with)}")
        elif kind is not ChangeKind.UNCHANGED or len(kinds) > 1:
            words.append(kind.value)
    words += [f"old {wording.side_label(c.old)} {c.kind.value}" for c in ending]
    if cell.state is CellState.PRESENT:
        if cell.moved:
            words.append("moved")
        elif cell.renumbered:
            words.append("renumbered")
        if any(c.heading_moved for c in cell.changes):
            words.append("moved between headings")
    if any(c.sources_disagree for c in cell.changes):
        words.append(wording.DISAGREE)
    what = ", ".join(words)
    if what and cell.curated:
        what += " (curated)"
    return CellView(points, what, _style(cell) if what else None)


def _style(cell: Cell) -> str:
    for kind in cell.kinds:
        if kind is not ChangeKind.UNCHANGED:
            return kind.value
    return "moved" if cell.moved else ChangeKind.UNCHANGED.value


# --------------------------------------------------------------------------- text


def terminal(view: Grid) -> RenderableType:
    """The table as a renderable (plain or coloured as the console is); nothing printed.
    Every id and label passes through :func:`~plandiff.render.pieces.flat`."""
    return Group(*_terminal_parts(view))


def _terminal_parts(view: Grid) -> Iterator[RenderableType]:
    from rich import box
    from rich.table import Table

    title = Text("plandiff compare  ", style=STYLES["title"])
    title.append(" → ".join(flat(c.version) for c in view.columns), style=STYLES["title"])
    yield title
    yield Text("")
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 2, 0, 0))
    for column in view.columns:
        heading = Text(flat(column.version), style=STYLES["label"])
        heading.append("\n" + flat(column.counts), style=STYLES["dim"])
        table.add_column(heading, overflow="fold")
    for cells in view.rows:
        table.add_row(*(_terminal_cell(c) for c in cells))
    if view.rows:
        yield table
    if view.folded is not None:
        yield Text(f"⋯ {flat(view.folded)}", style=STYLES["dim"])
    if view.showing is not None:
        yield Text(flat(view.showing), style=STYLES["note"])
    yield Text("")
    for step in view.steps:
        yield Text(flat(step), style=STYLES["label"])
    yield Text("")
    yield Text(LEGEND, style=STYLES["dim"])
    for w in view.warnings:
        yield Text("warning: " + flat(w), style=STYLES["warning"])


def _terminal_cell(cell: CellView) -> Text:
    text = Text(flat(cell.points))
    if cell.what:
        style = STYLES["moved"] if cell.style == "moved" else STYLES[f"kind.{cell.style}"]
        text.append("  ")
        text.append(flat(cell.what), style=style)
    return text


# --------------------------------------------------------------------------- Markdown


def markdown(view: Grid) -> str:
    """The table as GitHub-flavoured Markdown: a table, the folded line, the steps and a
    legend; every id and label escaped."""
    ids = " → ".join(escape_line(c.version) for c in view.columns)
    lines = [f"# Lineage: {ids}", ""]
    if view.rows:
        lines.append(
            "| "
            + " | ".join(
                f"{escape_line(c.version)} ({escape_line(c.counts)})" for c in view.columns
            )
            + " |"
        )
        lines.append("|" + "---|" * len(view.columns))
        for cells in view.rows:
            lines.append("| " + " | ".join(_markdown_cell(c) for c in cells) + " |")
        lines.append("")
    if view.folded is not None:
        lines += [f"⋯ *{escape_line(view.folded)}*", ""]
    if view.showing is not None:
        lines += [f"*{escape_line(view.showing)}*", ""]
    lines += ["## Steps", ""]
    lines += [f"- {escape_line(step)}" for step in view.steps]
    lines += ["", f"*Legend.* {escape_line(LEGEND)} *Italics*: what happened at that step.", ""]
    if view.warnings:
        lines += ["## Warnings", ""]
        lines += [f"- {escape_line(w)}" for w in view.warnings]
    return "\n".join(lines).rstrip("\n") + "\n"


def _markdown_cell(cell: CellView) -> str:
    if not cell.what:
        return escape_line(cell.points)
    return f"{escape_line(cell.points)} *{escape_line(cell.what)}*"


# --------------------------------------------------------------------------- JSON


class PointDoc(Record, frozen=True, kw_only=True, gc=False):
    """A point as a cell names it (its text is in ``plandiff diff --format json``)."""

    key: Annotated[str, Meta(description="The point's key within its version.")]
    label: Annotated[
        str, Meta(description="How a reader names it: its number, or its path ('2 bis', '¶ 8').")
    ]
    number: Annotated[int | None, Meta(description="Its number as written, or null.")]
    index: Annotated[int, Meta(ge=1, description="1-based position in its version.")]
    verbatim: Annotated[
        bool, Meta(description="True when its text is known, false when described.")
    ]


class ChangeStepDoc(Record, frozen=True, kw_only=True, gc=False):
    """One change of the diff from the previous version that touches the row."""

    kind: Annotated[ChangeKind, Meta(description="What happened, as plandiff diff says it.")]
    basis: Annotated[Basis, Meta(description="'curated' (a recorded relation) or 'automatic'.")]
    moved: Annotated[bool, Meta(description="Relative order changed (not merely renumbered).")]
    renumbered: Annotated[bool, Meta(description="Both sides present and their numbers differ.")]
    heading_moved: Annotated[bool, Meta(description="The point stands under other headings now.")]
    similarity: Annotated[
        Annotated[float, Meta(ge=0, le=1)] | None,
        Meta(description="Alignment score in [0, 1] to four decimals, or null."),
    ]
    old: Annotated[tuple[str, ...], Meta(description="Labels of the change's old points.")]
    new: Annotated[tuple[str, ...], Meta(description="Labels of the change's new points.")]
    sources_disagree: Annotated[
        bool, Meta(description="Some quote behind the change contradicts or qualifies it.")
    ]


class CellDoc(Record, frozen=True, kw_only=True, gc=False):
    """A row's point(s) in one version, and the step into that version."""

    version: Annotated[str, Meta(description="Id of the column's version.")]
    state: Annotated[
        CellState,
        Meta(
            description="'present' (the row's points stand here), 'absent' (removed, or not "
            "yet added) or 'unknown' (a partly known version does not report it)."
        ),
    ]
    points: Annotated[tuple[PointDoc, ...], Meta(description="The row's points here, in order.")]
    changes: Annotated[
        tuple[ChangeStepDoc, ...],
        Meta(
            description="The changes of the step from the previous version that touch the row; "
            "empty in the first version, before the row begins and after it ended."
        ),
    ]
    merged_with: Annotated[
        tuple[str, ...],
        Meta(description="Labels of the old points a merge here took from other rows."),
    ]
    text: Annotated[
        str, Meta(description="The cell as the text report shows it ('4  merged with 5').")
    ]


class RowDoc(Record, frozen=True, kw_only=True, gc=False):
    """One point's history: a cell per version, oldest first."""

    start: Annotated[int, Meta(ge=0, description="0-based column of the row's first point.")]
    unchanged: Annotated[
        bool, Meta(description="Unchanged and under the same number in every version.")
    ]
    cells: Annotated[tuple[CellDoc, ...], Meta(description="A cell per version, oldest first.")]


class StepDoc(Record, frozen=True, kw_only=True, gc=False):
    """One diff the table is built from: a version and the next."""

    old: Annotated[str, Meta(description="Id of the older version.")]
    new: Annotated[str, Meta(description="Id of the newer version.")]
    summary: Annotated[
        dict[str, int],
        Meta(description="Count per change kind, 'moved' and 'sources_disagree', of the diff."),
    ]


class CompareDocument(Record, frozen=True, kw_only=True, gc=False):
    """What ``plandiff compare --format json`` writes: several versions' points as one table."""

    plandiff: Annotated[str, Meta(description="Version of plandiff that produced the document.")]
    versions: Annotated[
        tuple[VersionSummary, ...], Meta(description="The columns: the versions, oldest first.")
    ]
    rows: Annotated[
        tuple[RowDoc, ...],
        Meta(
            description="Every row in the last version's order, rows that ended earlier where "
            "they stood (with --kind, only the rows with a change of those kinds). Every point "
            "of every version is in a row; a merged point is in each row it joins."
        ),
    ]
    steps: Annotated[tuple[StepDoc, ...], Meta(description="The diffs, one per pair of versions.")]
    warnings: Annotated[tuple[str, ...], Meta(description="Segmentation and data warnings.")]


def _point_doc(ref: PointRef) -> PointDoc:
    return PointDoc(
        key=ref.key,
        label=wording.point_label(ref),
        number=ref.number,
        index=ref.index,
        verbatim=ref.verbatim,
    )


def _labels(refs: Sequence[PointRef]) -> tuple[str, ...]:
    return tuple(wording.point_label(r) for r in refs)


def _change_doc(c: Change) -> ChangeStepDoc:
    from plandiff.render.json import score

    return ChangeStepDoc(
        kind=c.kind,
        basis=c.basis,
        moved=c.moved,
        renumbered=c.renumbered,
        heading_moved=c.heading_moved,
        similarity=score(c.similarity),
        old=_labels(c.old),
        new=_labels(c.new),
        sources_disagree=c.sources_disagree,
    )


def _cell_doc(version: str, cell: Cell) -> CellDoc:
    shown = cell_view(cell)
    return CellDoc(
        version=version,
        state=cell.state,
        points=tuple(map(_point_doc, cell.points)),
        changes=tuple(map(_change_doc, cell.changes)),
        merged_with=_labels(cell.merged_with),
        text=f"{shown.points}  {shown.what}" if shown.what else shown.points,
    )


def document(table: LineageTable, kinds: KindFilter | None = None) -> CompareDocument:
    """The contract's document for ``table`` (with ``kinds``, only the rows that have a
    change of those kinds; no row is folded in JSON)."""
    from plandiff import __version__

    ids = [v.id for v in table.columns]
    rows = table.rows
    if kinds is not None:
        rows = tuple(r for r in rows if any(kinds.matches(c) for x in r.cells for c in x.changes))
    return CompareDocument(
        plandiff=__version__,
        versions=table.columns,
        rows=tuple(
            RowDoc(
                start=r.start,
                unchanged=r.quiet,
                cells=tuple(_cell_doc(v, c) for v, c in zip(ids, r.cells, strict=True)),
            )
            for r in rows
        ),
        steps=tuple(StepDoc(old=d.old.id, new=d.new.id, summary=d.summary()) for d in table.diffs),
        warnings=tuple(dict.fromkeys(w for d in table.diffs for w in d.warnings)),
    )


def json(table: LineageTable, kinds: KindFilter | None = None) -> str:
    """The JSON text of :func:`document`: the diff report's writer and layout, non-ASCII kept
    and every control or bidi character escaped."""
    from plandiff.render.json import dumps

    return dumps(document(table, kinds)) + "\n"
