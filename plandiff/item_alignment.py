"""Two versions' items aligned: level by level under counterpart parents, then what is left
over offered across the whole document, round after round (see :mod:`plandiff.nested`).

Each item is a node of its side, numbered as its point is parsed; a match is a group of old
and new nodes with its kind, score and whether it moved. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from plandiff import align as aligner
from plandiff import outside, tree
from plandiff.evidence import point_path
from plandiff.records import VersionRecord
from plandiff.result import ChangeKind

__all__ = ["ItemAligner", "Match", "Node", "Side"]

_PAIRED = (ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED)


class Node(NamedTuple):
    """An item of one side with where it stands: its point, the entry holding that point,
    its parent node (-1 for the point itself) and its place in document order."""

    item: tree.Item
    point: int
    entry: int
    parent: int
    order: tuple[int, int]


class Side:
    """One version's items, parsed per point on demand and numbered as nodes."""

    def __init__(self, version: VersionRecord, outline: outside.Outline) -> None:
        self.version, self.outline = version, outline
        self.nodes: list[Node] = []
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
            self.nodes.append(Node(item, point, entry, -1, (point, -1)))
            self.children.append([])
            self.group.append(-1)
            self.whole.add(parent)

        def add(items: tuple[tree.Item, ...], parent: int) -> list[int]:
            ids = []
            for item in items:
                node = len(self.nodes)
                self.nodes.append(Node(item, point, entry, parent, (point, serial[0])))
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


class Match(NamedTuple):
    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float | None
    moved: bool


class ItemAligner:
    """Aligns the two sides' items, collecting matches and the leftovers for the pool."""

    def __init__(self, old: Side, new: Side, settings: aligner.AlignSettings) -> None:
        self.old, self.new, self.settings = old, new, settings
        self.matches: list[Match] = []
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
        if not wholes and self._in_place(old_ids, new_ids, old_texts, new_texts):
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

    def _in_place(
        self, old_ids: list[int], new_ids: list[int], old_texts: list[str], new_texts: list[str]
    ) -> bool:
        """Pair the items without the alignment's set-up cost when all but at most one item a
        side are the same at either end (most changed points): those stay in place, and a
        lone pair between them is the same item, as the alignment would pair it. Anything
        else is the alignment's to judge, over all the items (their statistics need them)."""
        lo, hi = 0, 0
        short = min(len(old_ids), len(new_ids))
        while lo < short and old_texts[lo] == new_texts[lo]:
            lo += 1
        while hi < short - lo and old_texts[-1 - hi] == new_texts[-1 - hi]:
            hi += 1
        middle_old, middle_new = len(old_ids) - lo - hi, len(new_ids) - lo - hi
        if not (middle_old == middle_new == 1 or not middle_old or not middle_new):
            return False
        for i, j in [
            *zip(old_ids[:lo], new_ids[:lo], strict=True),
            *zip(old_ids[len(old_ids) - hi :], new_ids[len(new_ids) - hi :], strict=True),
        ]:
            self._matched(ChangeKind.UNCHANGED, (i,), (j,), 1.0, moved=False)
        if middle_old == middle_new == 1:
            self._lone_pair(old_ids[lo], new_ids[lo], old_texts[lo], new_texts[lo])
        else:
            self.left_old += old_ids[lo : len(old_ids) - hi]
            self.left_new += new_ids[lo : len(new_ids) - hi]
        return True

    def _lone_pair(self, i: int, j: int, old_text: str, new_text: str) -> None:
        """One item left on each side, the rest the same: the same item reworded, as the
        alignment pairs it between unchanged neighbours, when enough of it is left; else two
        items, one gone and one come (each offered to the whole document)."""
        similarity = aligner.similarity(old_text, new_text, settings=self.settings)
        if similarity < self.settings.positional_threshold:
            self.left_old.append(i)
            self.left_new.append(j)
            return
        same = similarity == 1.0 and aligner.normalise(old_text) == aligner.normalise(new_text)
        kind = ChangeKind.UNCHANGED if same else ChangeKind.REWORDED
        self._matched(kind, (i,), (j,), similarity, moved=False)

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
                    kind = ChangeKind.REWORDED
                    if (similarity or 0.0) < self.settings.positional_threshold:
                        kind = ChangeKind.REPLACED  # paired by place alone
                    self._matched(kind, (k,), (partner,), similarity, moved=False)
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
            self.matches.append(Match(kind, o, n, None, moved=False))
        self._order_moves()

    def _order_moves(self) -> None:
        """Judge the order of every level once all its items are matched: among the matches
        under one pair of counterpart parents (those found across the document included), the
        ones outside the heaviest in-order chain moved. A match under another parent, or one
        a whole point takes part in, moved already."""
        old, new = self.old, self.new
        levels: dict[tuple[int, int], list[int]] = {}
        for index, m in enumerate(self.matches):
            if m.old and m.new and not self._has_whole(m.old, m.new):
                key = self._parent_key(old, m.old[0])
                if key == self._parent_key(new, m.new[0]):
                    levels.setdefault(key, []).append(index)
        for indices in levels.values():
            if len(indices) < 2:
                continue
            groups = [self.matches[k] for k in indices]
            old_rank = _ranks(old, [i for m in groups for i in m.old])
            new_rank = _ranks(new, [j for m in groups for j in m.new])
            flags = aligner.detect_moves(
                [
                    (tuple(old_rank[i] for i in m.old), tuple(new_rank[j] for j in m.new))
                    for m in groups
                ]
            )
            for k, m, flag in zip(indices, groups, flags, strict=True):
                if flag is not m.moved:
                    self.matches[k] = m._replace(moved=flag)

    @staticmethod
    def _without_whole(side: Side, nodes: list[int], later: list[int]) -> list[int]:
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

    def _parent_key(self, side: Side, node: int) -> tuple[int, int]:
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
        self.matches.append(Match(kind, o, n, similarity, moved))
        for k in o:
            self.old.group[k] = group
        for k in n:
            self.new.group[k] = group
        old_children = [c for k in o for c in self.old.children[k]]
        new_children = [c for k in n for c in self.new.children[k]]
        if old_children or new_children:
            self.siblings(old_children, new_children)


def _ranks(side: Side, nodes: list[int]) -> dict[int, int]:
    """Each node's place among ``nodes`` in document order."""
    return {k: rank for rank, k in enumerate(sorted(nodes, key=lambda k: side.nodes[k].order))}
