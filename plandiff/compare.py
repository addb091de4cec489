"""Several versions of a lineage as one table: a row per point's history, a column per version.

Analysts keep such a table by hand for every revision of a plan ("point 6 of the first draft is
7 + 8 in the second and was dropped in the third"). It is built here from the diffs of
consecutive versions (V1 → V2, V2 → V3, …), each exactly as :func:`plandiff.diff` reports it,
curated relations first, so the table never says anything ``plandiff diff`` would not.

How the rows are cut, so that every point of every version has a place:

- A row begins at a point with no predecessor: every point of the first version, then each
  point a later step adds (or reports with no counterpart in a partly known version). The cells
  before its first version are *absent* ("—") for an addition, *unknown* ("?") for an
  unreported point.
- A row's cell in a version holds every point descended from the row's first point there. A
  split keeps one row and puts both parts in its cell (``6 + 7``); a merge puts the merged
  point in the cell of every row it joins, and each such cell names the points it was merged
  with (``merged with 3``). So a point appears in one row, or in several exactly when it merges
  their histories.
- A row ends where its points are removed (*absent* from then on) or unreported (*unknown* from
  then on); the cell where it ends carries that change.

Rows follow the last version's order; a row that ended earlier stays where it stood, after the
row that preceded it in the version where it was last seen.

Pure: no rendering, no I/O. :mod:`plandiff.render.compare` turns a :class:`LineageTable` into
text, Markdown or JSON.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from plandiff.result import Basis, Change, ChangeKind, DiffResult, PointRef, VersionSummary

__all__ = ["Cell", "CellState", "LineageTable", "Row", "compare", "table"]

V = TypeVar("V")


class CellState(StrEnum):
    """Whether a row's history reaches a version."""

    PRESENT = "present"
    """The row's point(s) stand in this version."""
    ABSENT = "absent"
    """Not in this version: removed at or before this step, or added only later."""
    UNKNOWN = "unknown"
    """Nothing can be said: a partly known version does not report the row's point."""


@dataclass(frozen=True, slots=True)
class Cell:
    """A row's point(s) in one version, with the changes of the step into that version.

    ``changes`` are the changes of the diff from the previous version that touch the row
    (usually one; a row holding both parts of an earlier split may see two); empty in the first
    version, before the row begins and after it ended. ``merged_with`` are the old points that
    a merge in ``changes`` took from other rows.
    """

    state: CellState
    points: tuple[PointRef, ...] = ()
    changes: tuple[Change, ...] = ()
    merged_with: tuple[PointRef, ...] = ()

    @property
    def kinds(self) -> tuple[ChangeKind, ...]:
        """The kinds of the step's changes, each once, in the order met."""
        return tuple(dict.fromkeys(c.kind for c in self.changes))

    @property
    def curated(self) -> bool:
        """Whether a curated relation decided this step (else the alignment did, if anything)."""
        return any(c.basis is Basis.CURATED for c in self.changes)

    @property
    def moved(self) -> bool:
        return any(c.moved for c in self.changes)

    @property
    def renumbered(self) -> bool:
        return any(c.renumbered for c in self.changes)

    @property
    def similarity(self) -> float | None:
        """The lowest alignment score of the step's changes (None when none was computed)."""
        scores = [c.similarity for c in self.changes if c.similarity is not None]
        return min(scores) if scores else None

    @property
    def quiet(self) -> bool:
        """Nothing to say: the point(s) stand unchanged, in place, under the same number."""
        return self.state is CellState.PRESENT and all(
            c.kind is ChangeKind.UNCHANGED and not (c.moved or c.heading_moved or c.renumbered)
            for c in self.changes
        )


@dataclass(frozen=True, slots=True)
class Row:
    """One point's history: its cells, a cell per version (column)."""

    cells: tuple[Cell, ...]

    @property
    def start(self) -> int:
        """The column of the row's first point."""
        return next(i for i, c in enumerate(self.cells) if c.state is CellState.PRESENT)

    @property
    def quiet(self) -> bool:
        """In every version, unchanged and under the same number (a report folds such rows)."""
        return all(cell.quiet for cell in self.cells)


@dataclass(frozen=True, slots=True)
class LineageTable:
    """The versions (columns, oldest first), the rows, and the diffs they were built from."""

    columns: tuple[VersionSummary, ...]
    rows: tuple[Row, ...]
    diffs: tuple[DiffResult, ...] = field(repr=False)


def compare(versions: Sequence[V], differ: Callable[[V, V], DiffResult]) -> LineageTable:
    """The table of ``versions`` (oldest first, at least two), diffing each with the next.

    ``differ`` diffs an old version against a new one, as :func:`plandiff.diff` does with the
    registry or the plan texts' sources at hand.
    """
    if len(versions) < 2:
        raise ValueError("compare needs at least two versions")
    return table([differ(old, new) for old, new in itertools.pairwise(versions)])


def table(diffs: Sequence[DiffResult]) -> LineageTable:
    """The table of consecutive diffs (V1 → V2, V2 → V3, …): each diff's new version must be
    the next one's old version."""
    if not diffs:
        raise ValueError("a lineage table needs at least one diff")
    for before, after in itertools.pairwise(diffs):
        if before.new.id != after.old.id:
            raise ValueError(
                f"the diffs do not follow each other: {before.new.id!r} then {after.old.id!r}"
            )
    columns = (diffs[0].old, *(d.new for d in diffs))
    firsts = sorted({r.key: r for c in diffs[0].changes for r in c.old}.values(), key=_index)
    rows: list[list[Cell]] = [[Cell(CellState.PRESENT, (ref,))] for ref in firsts]
    for step, result in enumerate(diffs, 1):
        _extend(rows, step, result)
    order = _order(rows)
    return LineageTable(columns, tuple(Row(tuple(rows[i])) for i in order), tuple(diffs))


def _index(ref: PointRef) -> int:
    return ref.index


def _extend(rows: list[list[Cell]], step: int, result: DiffResult) -> None:
    """Add the cells of column ``step`` to every row, and the rows that begin there."""
    holders: dict[str, list[int]] = {}
    for n, cells in enumerate(rows):
        for ref in cells[-1].points:
            holders.setdefault(ref.key, []).append(n)
    points: dict[int, list[PointRef]] = {}
    changes: dict[int, list[Change]] = {}
    merged: dict[int, list[PointRef]] = {}
    begun: list[list[Cell]] = []
    for change in result.changes:
        touched = list(dict.fromkeys(n for r in change.old for n in holders.get(r.key, ())))
        if not touched:  # added, or unreported for want of the old text: a row begins
            before = CellState.UNKNOWN if change.kind is ChangeKind.UNREPORTED else CellState.ABSENT
            begun.append([Cell(before)] * step + [Cell(CellState.PRESENT, change.new, (change,))])
            continue
        for n in touched:
            own = {r.key for r in rows[n][-1].points}
            points.setdefault(n, []).extend(change.new)
            changes.setdefault(n, []).append(change)
            merged.setdefault(n, []).extend(r for r in change.old if r.key not in own)
    for n, cells in enumerate(rows):
        if n not in changes:  # ended earlier: absent or unknown still
            cells.append(Cell(cells[-1].state))
            continue
        found = tuple(sorted({r.key: r for r in points[n]}.values(), key=_index))
        state = CellState.PRESENT
        if not found:
            unknown = any(c.kind is ChangeKind.UNREPORTED for c in changes[n])
            state = CellState.UNKNOWN if unknown else CellState.ABSENT
        cells.append(Cell(state, found, tuple(changes[n]), tuple(merged[n])))
    rows.extend(begun)


def _order(rows: Sequence[Sequence[Cell]]) -> list[int]:
    """Row indexes in the last version's order, each ended row after the row it followed
    where it was last seen.

    Column by column: the rows present are sorted by where their points stand (ties keep the
    previous order); each row not present follows the nearest row before it in the previous
    order that is present and did not move, so that a moved point does not carry it along.
    """
    width = len(rows[0]) if rows else 0
    order = [n for n in range(len(rows)) if rows[n][0].state is CellState.PRESENT]
    order.sort(key=lambda n: rows[n][0].points[0].index)
    for col in range(1, width):
        before = {n: p for p, n in enumerate(order)}
        present = [n for n in range(len(rows)) if rows[n][col].state is CellState.PRESENT]
        present.sort(key=lambda n: (rows[n][col].points[0].index, before.get(n, len(rows)), n))
        following: dict[int | None, list[int]] = {}
        anchor: int | None = None
        for n in order:
            cell = rows[n][col]
            if cell.state is not CellState.PRESENT:
                following.setdefault(anchor, []).append(n)
            elif not cell.moved:
                anchor = n
        order = list(following.get(None, ()))
        for n in present:
            order.append(n)
            order.extend(following.get(n, ()))
    return order
