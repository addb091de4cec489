"""The lineage table (plandiff/compare.py): rows of points' histories across several versions."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandiff.compare import Cell, CellState, LineageTable, compare, table
from plandiff.models import Completeness
from plandiff.render.wording import side_label
from plandiff.result import (
    Basis,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    VersionSummary,
)
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES
from tests.sample_results import SETTINGS, ref, seed_like

CHARTER = [f"charter-v{n}" for n in (1, 2, 3)]


def charter_texts() -> list[str]:
    return [(FIXTURES / "plans" / f"{n}.txt").read_text(encoding="utf-8") for n in CHARTER]


def charter() -> LineageTable:
    texts = charter_texts()
    return compare(
        range(3),
        lambda a, b: diff_texts(texts[a], texts[b], old_name=CHARTER[a], new_name=CHARTER[b]),
    )


def shape(cell: Cell) -> str:
    """A cell in a few characters: its points (or its state), the kinds, whom it merged with."""
    where = side_label(cell.points) if cell.points else cell.state.value
    parts = [where, *(k.value for k in cell.kinds)]
    if cell.merged_with:
        parts.append("with " + side_label(cell.merged_with))
    if cell.moved:
        parts.append("moved")
    return " ".join(parts)


def test_fixture_lineage_rows_are_the_points_histories() -> None:
    t = charter()
    assert [c.id for c in t.columns] == CHARTER
    assert [tuple(shape(c) for c in row.cells) for row in t.rows] == [
        ("1", "1 unchanged", "1 unchanged"),
        ("9", "9 unchanged", "2 unchanged moved"),  # dispute settlement moves up
        ("2", "2 unchanged", "3 unchanged"),
        ("3", "3 reworded", "4 unchanged"),  # 12 → 15 cubic metres
        ("4", "4 merged with 5", "5 unchanged"),  # flood warnings + monitoring stations
        ("5", "4 merged with 4", "5 unchanged"),
        ("6", "5 unchanged", "absent removed"),  # water quality data: dropped at v3
        ("7", "absent removed", "absent"),  # the fishing season: dropped at v2, stays where it was
        ("8", "6 + 7 split", "6 merged"),  # navigation split, then joined again
        ("absent", "8 added", "7 reworded"),  # the dam clause
        ("absent", "absent", "8 added"),
        ("10", "10 unchanged", "9 unchanged"),
    ]
    assert [row.quiet for row in t.rows] == [True] + [False] * 11
    assert [row.start for row in t.rows] == [0] * 9 + [1, 2, 0]
    assert all(not c.curated for row in t.rows for c in row.cells)


def test_cells_carry_the_diffs_changes_with_their_flags() -> None:
    t = charter()
    dispute = t.rows[1].cells[2]
    assert dispute.moved and dispute.renumbered
    assert dispute.changes[0] in t.diffs[1].changes
    assert dispute.similarity == dispute.changes[0].similarity
    renumbered = t.rows[3].cells[2]
    assert (
        renumbered.renumbered
        and not renumbered.moved
        and renumbered.kinds == (ChangeKind.UNCHANGED,)
    )
    assert t.rows[0].cells[0].changes == ()


def test_bundled_lineage_marks_unreported_points_unknown_and_curated_steps() -> None:
    result = seed_like()
    t = table([result])
    states = [[c.state for c in row.cells] for row in t.rows]
    unreported_old = sum(1 for c in result.changes if c.kind is ChangeKind.UNREPORTED and c.old)
    assert sum(1 for s in states if s == [CellState.PRESENT, CellState.UNKNOWN]) == unreported_old
    curated = [row.cells[1] for row in t.rows if row.cells[1].curated]
    assert curated and all(any(c.basis is Basis.CURATED for c in cell.changes) for cell in curated)


def test_diffs_that_do_not_follow_each_other_are_refused() -> None:
    a = seed_like()
    with pytest.raises(ValueError, match="do not follow each other"):
        table([a, a])
    with pytest.raises(ValueError, match="at least one diff"):
        table([])
    with pytest.raises(ValueError, match="at least two versions"):
        compare(["only"], lambda old, new: a)


# --------------------------------------------------------------------------- properties
#
# Diffs are built by hand: each step partitions the old and the new points into changes of
# one to two points a side, as the engine does, so the table's rules are checked on shapes
# (long chains of merges and splits, unreported points) that real texts rarely produce.

_SHAPES = {
    (1, 1): (ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED),
    (2, 1): (ChangeKind.MERGED,),
    (1, 2): (ChangeKind.SPLIT,),
    (1, 0): (ChangeKind.REMOVED, ChangeKind.UNREPORTED),
    (0, 1): (ChangeKind.ADDED, ChangeKind.UNREPORTED),
}


def _summary(version: str, count: int) -> VersionSummary:
    return VersionSummary(
        id=version, title=version, known_points=count, completeness=Completeness.FULL
    )


@st.composite
def lineages(draw: st.DrawFn) -> list[DiffResult]:
    """Consecutive diffs of two to four versions, each a partition of both point sets."""
    versions = draw(st.integers(2, 4))
    count = draw(st.integers(0, 6))
    diffs = []
    for step in range(versions - 1):
        changes = []
        old_left, new_index = list(range(1, count + 1)), 0
        while old_left or draw(st.booleans()):
            sides = [s for s in _SHAPES if s[0] <= len(old_left)]
            a, b = draw(st.sampled_from(sides))
            olds, old_left = old_left[:a], old_left[a:]
            news = list(range(new_index + 1, new_index + b + 1))
            new_index += b
            changes.append(
                Change(
                    kind=draw(st.sampled_from(_SHAPES[a, b])),
                    old=tuple(ref(f"s{step}p{i}", i, i, "x") for i in olds),
                    new=tuple(ref(f"s{step + 1}p{j}", j, j, "x") for j in news),
                    moved=draw(st.booleans()) if a and b else False,
                    basis=draw(st.sampled_from(Basis)),
                )
            )
        diffs.append(
            DiffResult(
                old=_summary(f"v{step}", count),
                new=_summary(f"v{step + 1}", new_index),
                settings=SETTINGS,
                declared=DeclaredCount(
                    old=None, new=None, old_unaccounted=None, new_unaccounted=None
                ),
                changes=tuple(draw(st.permutations(changes))),
            )
        )
        count = new_index
    return diffs


def _points(result: DiffResult, side: str) -> set[str]:
    return {r.key for c in result.changes for r in getattr(c, side)}


@given(lineages())
def test_every_point_of_every_version_is_in_a_row_and_the_first_in_exactly_one(
    diffs: list[DiffResult],
) -> None:
    t = table(diffs)
    per_version = [_points(diffs[0], "old"), *(_points(d, "new") for d in diffs)]
    for col, keys in enumerate(per_version):
        assert {r.key for row in t.rows for r in row.cells[col].points} == keys
    firsts = Counter(r.key for row in t.rows for r in row.cells[0].points)
    assert all(n == 1 for n in firsts.values())
    assert all(len(row.cells) == len(diffs) + 1 for row in t.rows)
    assert all(any(c.state is CellState.PRESENT for c in row.cells) for row in t.rows)


@given(lineages())
def test_a_point_is_in_as_many_rows_as_the_histories_it_joins(diffs: list[DiffResult]) -> None:
    t = table(diffs)
    for col, result in enumerate(diffs, 1):
        holders = Counter(r.key for row in t.rows for r in row.cells[col].points)
        before: dict[str, set[int]] = {}
        for n, row in enumerate(t.rows):
            for r in row.cells[col - 1].points:
                before.setdefault(r.key, set()).add(n)
        for change in result.changes:
            joined = set().union(*(before.get(r.key, set()) for r in change.old))
            for r in change.new:
                assert holders[r.key] == max(1, len(joined))
            cells = [row.cells[col] for row in t.rows if change in row.cells[col].changes]
            assert len(cells) == max(1, len(joined))


@given(lineages())
def test_two_versions_give_the_pairs_of_their_diff(diffs: list[DiffResult]) -> None:
    result = diffs[0]
    t = table([result])
    from_rows = {
        (o.key, n.key)
        for row in t.rows
        for c in row.cells[1].changes
        for o in c.old
        for n in c.new
        if o in row.cells[0].points
    }
    assert from_rows == {(o.key, n.key) for c in result.changes for o in c.old for n in c.new}


@given(lineages())
def test_rows_follow_the_last_versions_order_and_ended_rows_stay_ended(
    diffs: list[DiffResult],
) -> None:
    t = table(diffs)
    last = [row.cells[-1].points[0].index for row in t.rows if row.cells[-1].points]
    assert last == sorted(last)
    for row in t.rows:
        states = [c.state for c in row.cells[row.start :]]
        gone = [s is not CellState.PRESENT for s in states]
        assert gone == sorted(gone)  # once a row ends, it never comes back
    assert table(diffs) == t


def test_merges_and_splits_along_the_way_in_the_same_row() -> None:
    """A point split (6 → 6 + 7) and later merged back (6 + 7 → 6) stays one row with no
    'merged with': both parts were its own."""
    cells = charter().rows[8].cells
    assert [side_label(c.points) for c in cells] == ["8", "6 + 7", "6"]
    assert cells[2].kinds == (ChangeKind.MERGED,) and cells[2].merged_with == ()


def test_rows_are_ordered_by_the_last_version_with_ended_rows_where_they_stood() -> None:
    rows = charter().rows
    last = [side_label(r.cells[-1].points) if r.cells[-1].points else "—" for r in rows]
    assert last == ["1", "2", "3", "4", "5", "5", "—", "—", "6", "7", "8", "9"]


def _diff(step: int, changes: list[tuple[ChangeKind, list[int], list[int]]]) -> DiffResult:
    """A diff from version ``step`` to the next, its changes given as (kind, olds, news)."""
    built = tuple(
        Change(
            kind=kind,
            old=tuple(ref(f"s{step}p{i}", i, i, "x") for i in olds),
            new=tuple(ref(f"s{step + 1}p{j}", j, j, "x") for j in news),
            basis=Basis.AUTOMATIC,
        )
        for kind, olds, news in changes
    )
    return DiffResult(
        old=_summary(f"v{step}", len({r.key for c in built for r in c.old})),
        new=_summary(f"v{step + 1}", len({r.key for c in built for r in c.new})),
        settings=SETTINGS,
        declared=DeclaredCount(old=None, new=None, old_unaccounted=None, new_unaccounted=None),
        changes=built,
    )


def test_a_part_of_a_split_that_ends_is_named_by_its_old_number() -> None:
    from plandiff.render.compare import cell_view

    t = table(
        [
            _diff(0, [(ChangeKind.SPLIT, [1], [1, 2]), (ChangeKind.UNCHANGED, [2], [3])]),
            _diff(
                1,
                [
                    (ChangeKind.UNCHANGED, [1], [1]),
                    (ChangeKind.REMOVED, [2], []),
                    (ChangeKind.UNCHANGED, [3], [2]),
                ],
            ),
        ]
    )
    views = [[cell_view(c) for c in row.cells] for row in t.rows]
    assert [[(v.points, v.what) for v in row] for row in views] == [
        [("1", ""), ("1 + 2", "split"), ("1", "old 2 removed")],
        [("2", ""), ("3", "renumbered"), ("2", "renumbered")],
    ]
