"""A whole point that became a sub-item elsewhere (or an added point that was one): the reports
say where its text went or came from instead of a bare "removed" or "added", from a real diff of
fixtures/plans/supply-v1.txt and -v2.txt (clause 9 becomes sub-item 2.1(c))."""

from __future__ import annotations

import msgspec
import pytest

from plandiff import diff_texts
from plandiff.render import markdown, plain, terminal, wording
from plandiff.result import ChangeKind, DiffResult
from tests.helpers import FIXTURES

SUPPLY = FIXTURES / "plans"


def _supply(forward: bool = True) -> DiffResult:
    v1 = (SUPPLY / "supply-v1.txt").read_text(encoding="utf-8")
    v2 = (SUPPLY / "supply-v2.txt").read_text(encoding="utf-8")
    return diff_texts(v1, v2) if forward else diff_texts(v2, v1)


def _headings(text: str) -> list[str]:
    return [line.rstrip(" ─") for line in text.splitlines() if "─" in line]


def test_the_diff_has_a_removed_point_listed_as_a_moved_item() -> None:
    """The case the reports are about, as the engine gives it (no hand-built result)."""
    result = _supply()
    (removed,) = [c for c in result.changes if c.kind is ChangeKind.REMOVED]
    assert [r.path for r in removed.old] == ["9"] and not removed.nested
    moved = [n for c in result.changes for n in c.nested if n.old == ("9",)]
    assert [(n.new, n.moved, n.kind) for n in moved] == [(("2.1(c)",), True, ChangeKind.REWORDED)]


@pytest.mark.parametrize("side_by_side", [False, True])
def test_a_removed_point_says_which_item_it_became(side_by_side: bool) -> None:
    text = plain.render(_supply(), side_by_side=side_by_side)
    assert _headings(text) == [
        "2 → 2  reworded  (automatic, 82% similar)",
        "9 → —  removed as a point: now 2.1(c) (moved, reworded)  (automatic)",
    ]
    assert (
        "Changes: 7 unchanged, 1 reworded, 1 removed (1 became a sub-item), 3 sub-item changes"
        in (text.splitlines())
    )


def test_an_added_point_says_which_item_it_was() -> None:
    text = plain.render(_supply(forward=False))
    assert _headings(text) == [
        "2 → 2  reworded  (automatic, 82% similar)",
        "— → 9  added as a point: was 2.1(c) (moved, reworded)  (automatic)",
    ]
    assert "Changes: 7 unchanged, 1 reworded, 1 added (1 was a sub-item), 3 sub-item changes" in (
        text.splitlines()
    )


def test_colour_report_says_it_too() -> None:
    text = terminal.export(terminal.render(_supply()), width=100, color=True)
    (line,) = [line for line in text.splitlines() if "as a point" in line]
    assert line.startswith(
        "\x1b[1m9 → —\x1b[0m  \x1b[1;31mremoved\x1b[0m"
        "\x1b[36m as a point: now 2.1(c) (moved, reworded)\x1b[0m\x1b[2m  (automatic)\x1b[0m"
    )


def test_markdown_says_it_in_the_heading_and_counts_it() -> None:
    forward = markdown.render(_supply()).splitlines()
    assert "### 9 → — · removed as a point: now 2.1(c) (moved, reworded)" in forward
    assert "| removed | 1 |" in forward
    assert "| removed points now sub-items | 1 |" in forward
    back = markdown.render(_supply(forward=False)).splitlines()
    assert [line for line in back if line.startswith("### — → 9")] == [
        "### — → 9 · added as a point: was 2.1(c) (moved, reworded)"
    ]
    assert "| added points that were sub-items | 1 |" in back


def test_a_removed_point_with_no_item_elsewhere_stays_removed() -> None:
    result = _supply()
    # The same diff without its nested changes: nothing says where point 9's text went.
    bare = msgspec.structs.replace(
        result,
        changes=tuple(msgspec.structs.replace(c, nested=()) for c in result.changes),
    )
    text = plain.render(bare)
    assert "9 → —  removed  (automatic)" in _headings(text)
    assert "Changes: 7 unchanged, 1 reworded, 1 removed" in text.splitlines()
    assert "became a sub-item" not in text
    assert wording.points_as_items(bare) == wording.NO_POINTS_AS_ITEMS


def test_a_path_two_old_points_share_claims_nothing() -> None:
    """Two old points numbered 9: a nested change naming "9" may be either, so neither is
    said to have become the item."""
    result = _supply()
    (removed,) = [c for c in result.changes if c.kind is ChangeKind.REMOVED]
    (kept,) = [c for c in result.changes if c.old and c.old[0].path == "8"]
    twin = msgspec.structs.replace(kept.old[0], path="9")
    changes = tuple(
        msgspec.structs.replace(c, old=(twin,)) if c is kept else c for c in result.changes
    )
    moves = wording.points_as_items(msgspec.structs.replace(result, changes=changes))
    assert wording.point_as_item_phrase(removed, moves) is None


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("diff-supply.plain.txt", lambda r: plain.render(r)),
        ("diff-supply.md", lambda r: markdown.render(r)),
    ],
)
def test_golden_supply(golden, name: str, render) -> None:
    golden(name, render(_supply()))
