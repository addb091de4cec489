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
from typing import NamedTuple

from plandiff import align as aligner
from plandiff import outside, tree, worddiff
from plandiff.changes import REDLINED, Entry, Pair, joined
from plandiff.evidence import point_path
from plandiff.records import Completeness, VersionRecord
from plandiff.result import Basis, ChangeKind, NestedChange

__all__ = ["nested_changes"]

_PAIRED = (ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED)


class _Node(NamedTuple):
    """An item of one side with where it stands: its point, the entry holding that point,
    its parent node (-1 for the point itself) and its place in document order."""

    item: tree.Item
    point: int
    entry: int
    parent: int
    order: tuple[int, int]


class _Side:
    """One version's items, parsed per point on demand and numbered as nodes."""

    def __init__(self, version: VersionRecord, outline: outside.Outline) -> None:
        self.version, self.outline = version, outline
        self.nodes: list[_Node] = []
        self.children: list[list[int]] = []
        self.group: list[int] = []  # the match group of each node, -1 while it has none
        self.whole: set[int] = set()  # the nodes that stand for a whole point

    def add_point(self, point: int, entry: int, *, whole: bool = False) -> list[int]:
        """The nodes of the items directly inside ``point`` (all levels are numbered); with
        ``whole``, one node for the point itself, its items below it."""
        p = self.version.points[point]
        if not p.text or (tree.plain(p.text) and not whole):
            return []
        path = point_path(self.outline, point, p.number) or p.key
        serial = [0]
        parent = -1
        if whole:
            parent = len(self.nodes)
            item = tree.Item(p.key, path, 0, 0, len(p.text), p.text.strip())
            self.nodes.append(_Node(item, point, entry, -1, (point, -1)))
            self.children.append([])
            self.group.append(-1)
            self.whole.add(parent)

        def add(items: tuple[tree.Item, ...], parent: int) -> list[int]:
            ids = []
            for item in items:
                node = len(self.nodes)
                self.nodes.append(_Node(item, point, entry, parent, (point, serial[0])))
                self.children.append([])
                self.group.append(-1)
                serial[0] += 1
                self.children[node] = add(item.children, node)
                ids.append(node)
            return ids

        below = add(tree.items(p.text, path), parent)
        if whole:
            self.children[parent] = below
            return [parent]
        return below

    def texts(self, ids: Sequence[int]) -> list[str]:
        return [self.nodes[k].item.text for k in ids]


class _Match(NamedTuple):
    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float | None
    moved: bool


class _Aligner:
    """Aligns the two sides' items, collecting matches and the leftovers for the pool."""

    def __init__(self, old: _Side, new: _Side, settings: aligner.AlignSettings) -> None:
        self.old, self.new, self.settings = old, new, settings
        self.matches: list[_Match] = []
        self.left_old: list[int] = []
        self.left_new: list[int] = []
        #: Pairs made by their place alone (old node, new node, similarity): offered to the
        #: whole document first, paired only when neither finds a better partner there.
        self.by_place: list[tuple[int, int, float | None]] = []
        #: Entries whose point has no counterpart in a partly known version: an item of
        #: theirs left without a partner is not claimed removed or added.
        self.unreported: set[int] = set()

    def siblings(self, old_ids: list[int], new_ids: list[int]) -> None:
        """Align items under counterpart parents; recurse into each matched group."""
        if not old_ids or not new_ids:
            self.left_old += old_ids
            self.left_new += new_ids
            return
        old_texts, new_texts = self.old.texts(old_ids), self.new.texts(new_ids)
        wholes = any(k in self.old.whole for k in old_ids) or any(
            k in self.new.whole for k in new_ids
        )
        if old_texts == new_texts and not wholes:  # the same items in place: nothing to align
            for i, j in zip(old_ids, new_ids, strict=True):
                self._matched(ChangeKind.UNCHANGED, (i,), (j,), 1.0, moved=False)
            return
        paired: list[aligner.Correspondence] = []
        for c in aligner.align(old_texts, new_texts, settings=self.settings):
            o = tuple(old_ids[k] for k in c.old)
            n = tuple(new_ids[k] for k in c.new)
            if not o or not n or not self._pairable(o, n):
                self.left_old += o
                self.left_new += n
            else:
                paired.append(c)
        if not wholes:
            moves = [c.moved for c in paired]
        else:
            # A point become an item (or the reverse) has moved; the order of the rest is
            # judged among themselves.
            within = [self._has_whole(*self._ids(c, old_ids, new_ids)) for c in paired]
            flags = iter(
                aligner.detect_moves(
                    [(c.old, c.new) for c, w in zip(paired, within, strict=True) if not w]
                )
            )
            moves = [w or next(flags) for w in within]
        for c, moved in zip(paired, moves, strict=True):
            o, n = self._ids(c, old_ids, new_ids)
            if c.kind is ChangeKind.REWORDED and (c.similarity or 0.0) < (
                self.settings.positional_threshold
            ):
                # Paired by place alone: an item moved here from elsewhere, or one that
                # left, is a better partner if the document has it.
                self.by_place.append((o[0], n[0], c.similarity))
                continue
            self._matched(c.kind, o, n, c.similarity, moved=moved)

    @staticmethod
    def _ids(
        c: aligner.Correspondence, old_ids: list[int], new_ids: list[int]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        return tuple(old_ids[k] for k in c.old), tuple(new_ids[k] for k in c.new)

    def _has_whole(self, o: tuple[int, ...], n: tuple[int, ...]) -> bool:
        return any(k in self.old.whole for k in o) or any(k in self.new.whole for k in n)

    def _pairable(self, o: tuple[int, ...], n: tuple[int, ...]) -> bool:
        """A whole point pairs with one item only: two whole points are paired (or not) by
        the top-level alignment, never here. (A point that became an item, or an item that
        became a point, has changed its place in the structure: it is moved.)"""
        points = sum(k in self.old.whole for k in o) + sum(k in self.new.whole for k in n)
        return not points or (len(o) == len(n) == 1 and points == 1)

    def pool(self) -> None:
        """Offer the leftovers to each other across the document, round after round: an
        unmatched item's children are offered in the next round."""
        old, new = self.old, self.new
        unmatched: list[tuple[tuple[int, ...], tuple[int, ...]]] = []
        while self.left_old or self.left_new or self.by_place:
            by_place = {o: (n, similarity) for o, n, similarity in self.by_place}
            self.left_old += by_place
            self.left_new += [n for n, _ in by_place.values()]
            left_old = sorted(self.left_old, key=lambda k: old.nodes[k].order)
            left_new = sorted(self.left_new, key=lambda k: new.nodes[k].order)
            self.left_old, self.left_new, self.by_place = [], [], []
            # A whole point pairs with items only: with none on the other side, it is not
            # offered (its own items are, next round).
            items_old = any(k not in old.whole for k in left_old)
            if not any(k not in new.whole for k in left_new):
                left_old = self._without_whole(old, left_old, self.left_old)
            if not items_old:
                left_new = self._without_whole(new, left_new, self.left_new)
            lone_old: list[int] = []
            lone_new: list[int] = []
            found: list[tuple[tuple[int, ...], tuple[int, ...], ChangeKind, float | None]]
            found = [((k,), (), ChangeKind.REMOVED, None) for k in range(len(left_old))]
            found += [((), (k,), ChangeKind.ADDED, None) for k in range(len(left_new))]
            if left_old and left_new:
                found = [
                    (c.old, c.new, c.kind, c.similarity)
                    for c in aligner.align(
                        old.texts(left_old), new.texts(left_new), settings=self.settings
                    )
                ]
            for pos_old, pos_new, kind, similarity in found:
                o = tuple(left_old[k] for k in pos_old)
                n = tuple(left_new[k] for k in pos_new)
                if len(o) + len(n) > 2 and not self._siblings(o, n):
                    kind, o, n, similarity = self._best_part(o, n)
                # A pair found only by its place among unrelated leftovers is no pair.
                weak = kind in _PAIRED and (similarity or 0.0) < self.settings.match_threshold
                if o and n and not weak and self._pairable(o, n):
                    moved = self._parent_key(old, o[0]) != self._parent_key(new, n[0])
                    self._matched(kind, o, n, similarity, moved=moved)
                else:
                    lone_old += o
                    lone_new += n
            lone = set(lone_new)
            for k in lone_old:
                if k in by_place and by_place[k][0] in lone:  # still each other's best
                    partner, similarity = by_place[k]
                    lone.discard(partner)
                    self._matched(ChangeKind.REPLACED, (k,), (partner,), similarity, moved=False)
                    continue
                if k not in old.whole:  # a removed point is the top level's to report
                    unmatched.append(((k,), ()))
                self.left_old += old.children[k]
            for k in lone_new:
                if k in lone:
                    if k not in new.whole:
                        unmatched.append(((), (k,)))
                    self.left_new += new.children[k]
        for o, n in unmatched:
            node = old.nodes[o[0]] if o else new.nodes[n[0]]
            if node.entry in self.unreported:
                continue  # the other version is partly known: nothing can be concluded
            kind = ChangeKind.REMOVED if o else ChangeKind.ADDED
            self.matches.append(_Match(kind, o, n, None, moved=False))

    @staticmethod
    def _without_whole(side: _Side, nodes: list[int], later: list[int]) -> list[int]:
        """``nodes`` less the whole points, whose children go to ``later``."""
        for k in nodes:
            if k in side.whole:
                later += side.children[k]
        return [k for k in nodes if k not in side.whole]

    def _siblings(self, o: tuple[int, ...], n: tuple[int, ...]) -> bool:
        """Whether the parts of a merge or split share their parent (the parts of two items
        merged, or of one split, stand side by side)."""
        side, parts = (self.old, o) if len(o) > 1 else (self.new, n)
        return len({side.nodes[k].parent for k in parts}) == 1

    def _best_part(
        self, o: tuple[int, ...], n: tuple[int, ...]
    ) -> tuple[ChangeKind, tuple[int, ...], tuple[int, ...], float | None]:
        """A merge or split whose parts come from different places is, among leftovers of the
        whole document, more likely an item and the children of its counterpart (which a
        parent's text includes): the part most like the other side is paired alone, the other
        parts are offered again in the next round."""
        one = self.old.nodes[o[0]].item.text if len(o) == 1 else self.new.nodes[n[0]].item.text
        if len(o) > 1:
            texts = [self.old.nodes[k].item.text for k in o]
        else:
            texts = [self.new.nodes[k].item.text for k in n]
        scores = [aligner.similarity(t, one) for t in texts]
        best = max(range(len(scores)), key=scores.__getitem__)
        if len(o) > 1:
            self.left_old += [k for pos, k in enumerate(o) if pos != best]
            o = (o[best],)
        else:
            self.left_new += [k for pos, k in enumerate(n) if pos != best]
            n = (n[best],)
        same = aligner.normalise(texts[best]) == aligner.normalise(one)
        kind = ChangeKind.UNCHANGED if same else ChangeKind.REWORDED
        return kind, o, n, scores[best]

    def _parent_key(self, side: _Side, node: int) -> tuple[int, int]:
        """What a node stands under, comparable across the sides: the entry of its point,
        or the match group of its parent item (-1 when that has none)."""
        parent = side.nodes[node].parent
        if parent < 0:
            return (0, side.nodes[node].entry)
        return (1, side.group[parent]) if side.group[parent] >= 0 else (2, node)

    def _matched(
        self,
        kind: ChangeKind,
        o: tuple[int, ...],
        n: tuple[int, ...],
        similarity: float | None,
        *,
        moved: bool,
    ) -> None:
        group = len(self.matches)
        self.matches.append(_Match(kind, o, n, similarity, moved))
        for k in o:
            self.old.group[k] = group
        for k in n:
            self.new.group[k] = group
        old_children = [c for k in o for c in self.old.children[k]]
        new_children = [c for k in n for c in self.new.children[k]]
        if old_children or new_children:
            self.siblings(old_children, new_children)


def _labelled(item: tree.Item) -> bool:
    """Whether an item has a label written in the text: a paragraph's or a bare bullet's
    ordinal is where it stands, not a number it was given, so it is never renumbered."""
    return item.label != "•" and not item.label.startswith("¶")


def _own_label(item: tree.Item) -> str:
    """The last component of an item's path: ``1`` of ``7.1``, ``(b)``, ``• 2``, ``¶ 3``."""
    label = item.label
    if item.level == 0:  # a whole point: its number, after any division
        return item.path.rpartition(" › ")[2]
    if label[0].isdigit() and (label.count(".") != 1 or not label.endswith(".")):
        return label.rstrip(".").rsplit(".", 1)[-1]
    if label == "•":
        return item.path.rsplit(" • ", 1)[-1]
    if label[0] in "(¶":
        return label
    return f"({label[:-1]})"


def nested_changes(
    old: VersionRecord,
    new: VersionRecord,
    found: Sequence[Entry],
    outlines: tuple[outside.Outline, outside.Outline] = (outside.EMPTY, outside.EMPTY),
    settings: aligner.AlignSettings = aligner.DEFAULT_SETTINGS,
) -> dict[Pair, tuple[NestedChange, ...]]:
    """Each entry's nested changes, by its (old, new) point indices; entries whose texts are
    identical, or that have no structure below their points, are left out."""
    old_side, new_side = _Side(old, outlines[0]), _Side(new, outlines[1])
    work = _Aligner(old_side, new_side, settings)
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
        elif _identical(old, new, e) or (
            all(plain(old_points[i].text or "") for i in o)
            and all(plain(new_points[j].text or "") for j in n)
        ):
            continue
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


def _level_one(old: _Side, new: _Side, e: Entry, entry: int) -> tuple[list[int], list[int]]:
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
    found: Sequence[Entry], old: _Side, new: _Side, matches: Sequence[_Match]
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
