"""Correspondences below the top level: the sub-items and paragraphs inside points, aligned
level by level, then the leftovers offered to each other across the whole document.

Inside each top-level correspondence whose texts differ, the items of the old points are
aligned with those of the new points by :func:`plandiff.align.align` (so rewordings, merges,
splits and moves among siblings are found as between points), and each matched group's
children are aligned in turn. What is left over at any level, with the items of removed and
added points, is aligned once more across the whole document: a sub-clause that went from
``7.1`` to ``Schedule 1 › 3`` is one moved (and perhaps reworded) item, listed under the change
that holds its new place, not a removal and an addition. A pair identical character for
character costs nothing: its items correspond in place, and nothing is listed.

Pure; each text is parsed once (:mod:`plandiff.tree`), only for the changes that need it.
"""

from __future__ import annotations

from collections.abc import Sequence

from plandiff import align as aligner
from plandiff import outside, tree, worddiff
from plandiff.changes import REDLINED, Entry, Pair, joined
from plandiff.item_alignment import ItemAligner, Match, Side
from plandiff.records import Completeness, VersionRecord
from plandiff.result import Basis, NestedChange

__all__ = ["nested_changes"]


def _labelled(item: tree.Item) -> bool:
    """Whether an item has a label written in the text: a paragraph's or a bare bullet's
    ordinal is where it stands, not a number it was given, so it is never renumbered."""
    return item.label != "•" and not item.label.startswith("¶")


def _own_label(item: tree.Item) -> str:
    """The last component of an item's path: ``1`` of ``7.1`` (``01`` of ``VII › 7.01``),
    ``(b)``, ``• 2``, ``¶ 3``."""
    label = item.label
    if item.level == 0:  # a whole point: its number, after any division
        return item.path.rpartition(" › ")[2]
    if label == "•":
        return item.path.rsplit(" • ", 1)[-1]
    if label[0] == "¶":
        return label
    tail = item.path.rpartition(" › ")[2]
    if tail.endswith(")"):
        return tail[tail.rindex("(") :]
    return tail.rsplit(".", 1)[-1]


def nested_changes(
    old: VersionRecord,
    new: VersionRecord,
    found: Sequence[Entry],
    outlines: tuple[outside.Outline, outside.Outline] = (outside.EMPTY, outside.EMPTY),
    settings: aligner.AlignSettings = aligner.DEFAULT_SETTINGS,
) -> dict[Pair, tuple[NestedChange, ...]]:
    """Each entry's nested changes, by its (old, new) point indices; entries whose texts are
    identical, or that have no structure below their points, are left out."""
    old_side, new_side = Side(old, outlines[0]), Side(new, outlines[1])
    work = ItemAligner(old_side, new_side, settings)
    old_points, new_points = old.points, new.points
    plain = tree.plain
    # (entry, point, whether it certainly has no items) of removed and added points
    lone_old: list[tuple[int, int, bool]] = []
    lone_new: list[tuple[int, int, bool]] = []
    for k, e in enumerate(found):
        o, n = e.old, e.new
        if len(o) == 1 and len(n) == 1:  # most entries: one point a side
            a, b = old_points[o[0]].text or "", new_points[n[0]].text or ""
            if a == b or (plain(a) and plain(b)):
                continue  # identical (items correspond in place), or no items at all
        elif not n:
            lone_old += [(k, i, plain(old_points[i].text or "")) for i in o]
            if e.basis is Basis.AUTOMATIC and new.completeness is Completeness.PARTIAL:
                work.unreported.add(k)
            continue
        elif not o:
            lone_new += [(k, j, plain(new_points[j].text or "")) for j in n]
            if e.basis is Basis.AUTOMATIC and old.completeness is Completeness.PARTIAL:
                work.unreported.add(k)
            continue
        elif (
            all(plain(old_points[i].text or "") for i in o)
            and all(plain(new_points[j].text or "") for j in n)
        ) or _identical(old, new, e):
            continue  # no items at all (asked first: no texts joined), or identical
        work.siblings(*_level_one(old_side, new_side, e, k))
    # A removed or added point is offered whole, for a sub-item that left a point to become
    # one, or the other way round; a point without items only when the other side has items
    # left over to pair it with.
    items_old = any(k not in old_side.whole for k in work.left_old) or not all(
        p for _, _, p in lone_old
    )
    items_new = any(k not in new_side.whole for k in work.left_new) or not all(
        p for _, _, p in lone_new
    )
    for k, i, is_plain in lone_old:
        if items_new or not is_plain:
            work.left_old += old_side.add_point(i, k, whole=True)
    for k, j, is_plain in lone_new:
        if items_old or not is_plain:
            work.left_new += new_side.add_point(j, k, whole=True)
    if not work.matches and not work.left_old and not work.left_new:
        return {}
    work.pool()
    return _listed(found, old_side, new_side, work.matches)


def _level_one(old: Side, new: Side, e: Entry, entry: int) -> tuple[list[int], list[int]]:
    """The items directly inside a group's points; in a merge or split, a point of several
    with no items of its own stands among them whole when the other side has items (a clause
    folded into another as its sub-item, a sub-item split out as a point of its own)."""
    sides = []
    for side, points in ((old, e.old), (new, e.new)):
        below = [side.add_point(point, entry) for point in points]
        sides.append((side, points, below))
    out = []
    for (side, points, below), (_, _, other) in zip(sides, reversed(sides), strict=True):
        ids: list[int] = []
        for point, items in zip(points, below, strict=True):
            if not items and len(points) > 1 and any(other):
                items = side.add_point(point, entry, whole=True)
            ids += items
        out.append(ids)
    return out[0], out[1]


def _identical(old: VersionRecord, new: VersionRecord, e: Entry) -> bool:
    """Both sides present and their texts the same, character for character."""
    return bool(e.old and e.new) and joined(old, e.old) == joined(new, e.new)


def _listed(
    found: Sequence[Entry], old: Side, new: Side, matches: Sequence[Match]
) -> dict[Pair, tuple[NestedChange, ...]]:
    """The matches as nested changes, each under the entry of its new place (its old one
    when it has none), in the new version's order."""
    redlined = [m for m in matches if m.kind in REDLINED and m.old and m.new]
    marked = worddiff.marked_up(
        [
            (
                "\n".join(old.texts(m.old)),
                "\n".join(new.texts(m.new)),
            )
            for m in redlined
        ]
    )
    marks = {id(m): mark for m, mark in zip(redlined, marked, strict=True)}
    # Where each old node landed (its group's first new node), for placing removed ones.
    landed: dict[int, tuple[int, int]] = {}
    for m in matches:
        if m.old and m.new:
            for k in m.old:
                landed[k] = new.nodes[m.new[0]].order
    before: dict[int, tuple[int, int]] = {}
    last = (-1, -1)
    for k in sorted(range(len(old.nodes)), key=lambda k: old.nodes[k].order):
        before[k] = last
        last = landed.get(k, last)

    by_entry: dict[int, list[tuple[tuple[object, ...], NestedChange]]] = {}
    for m in matches:
        first_new = new.nodes[m.new[0]] if m.new else None
        first_old = old.nodes[m.old[0]] if m.old else None
        if first_new is not None:
            entry = first_new.entry
            level = first_new.item.level or old.nodes[m.old[0]].item.level
            key: tuple[object, ...] = (first_new.order, 0, (0, 0))
        else:
            assert first_old is not None
            entry, level = first_old.entry, first_old.item.level
            key = (before[m.old[0]], 1, first_old.order)
        redline, substantive = marks.get(id(m), (None, ()))
        renumbered = (
            len(m.old) == 1
            and len(m.new) == 1
            and _labelled(old.nodes[m.old[0]].item)
            and _labelled(new.nodes[m.new[0]].item)
            and _own_label(old.nodes[m.old[0]].item) != _own_label(new.nodes[m.new[0]].item)
        )
        by_entry.setdefault(entry, []).append(
            (
                key,
                NestedChange(
                    kind=m.kind,
                    old=tuple(old.nodes[k].item.path for k in m.old),
                    new=tuple(new.nodes[k].item.path for k in m.new),
                    level=level,
                    moved=m.moved,
                    renumbered=renumbered,
                    similarity=m.similarity,
                    redline=redline,
                    substantive=substantive,
                ),
            )
        )
    return {
        (found[entry].old, found[entry].new): tuple(
            change for _, change in sorted(listed, key=lambda kc: kc[0])
        )
        for entry, listed in by_entry.items()
    }
