"""Two versions' items aligned: level by level under counterpart parents, then what is left
over offered across the whole document, round after round (see :mod:`plandiff.nested`).

Each item is a node of its side, numbered as its point is parsed; a match is a group of old
and new nodes with its kind, score and whether it moved. Pure.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import msgspec

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
            if len(o) + len(n) > 2:
                c = self._without_absorbed(c, o, n, old_ids, new_ids)
                o, n = self._ids(c, old_ids, new_ids)
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

    def _without_absorbed(
        self,
        c: aligner.Correspondence,
        o: tuple[int, ...],
        n: tuple[int, ...],
        old_ids: list[int],
        new_ids: list[int],
    ) -> aligner.Correspondence:
        """A merge or split less its parts that are rather an item below the other side (see
        :meth:`_absorbed`), which are left over; one part left pairs with the whole."""
        kept_o, kept_n = self._absorbed(o, n)
        if (kept_o, kept_n) == (o, n):
            return c
        old_pos = tuple(k for k, i in zip(c.old, o, strict=True) if i in kept_o)
        new_pos = tuple(k for k, j in zip(c.new, n, strict=True) if j in kept_n)
        if not old_pos or not new_pos:
            kind = ChangeKind.REMOVED if old_pos else ChangeKind.ADDED
            return aligner.Correspondence(kind=kind, old=old_pos, new=new_pos)
        if len(old_pos) + len(new_pos) > 2:
            return msgspec.structs.replace(c, old=old_pos, new=new_pos)
        kind, similarity = self._pair_kind(kept_o[0], kept_n[0])
        return aligner.Correspondence(
            kind=kind, old=old_pos, new=new_pos, similarity=similarity, moved=c.moved
        )

    def _pair_kind(self, i: int, j: int) -> tuple[ChangeKind, float]:
        """How an old and a new item compare on their own: unchanged or reworded."""
        a, b = self.old.nodes[i].item.text, self.new.nodes[j].item.text
        similarity = aligner.similarity(a, b, settings=self.settings)
        same = similarity == 1.0 and aligner.normalise(a) == aligner.normalise(b)
        return (ChangeKind.UNCHANGED if same else ChangeKind.REWORDED), similarity

    def _absorbed(
        self, o: tuple[int, ...], n: tuple[int, ...]
    ) -> tuple[tuple[int, ...], tuple[int, ...]]:
        """A merge or split less the parts that stand below its whole rather than beside it.

        An item's text includes its children's, so an item that gained a child (a clause
        folded into it as a sub-item, a sibling's text become its ``(c)``) contains that
        text and reads as a merge of the two; the mirror, an item that lost a child to a
        clause of its own, reads as a split. A part more like one item below the whole than
        like the whole itself, and like it enough to be paired anywhere, is that item's
        counterpart: it is left over (to meet that item once the whole's children are
        aligned), and the group is what remains; when every part is such, the whole stands
        alone (its children meet the parts next round)."""
        if len(n) == 1 and len(o) > 1:
            whole_side, whole, part_side, parts = self.new, n[0], self.old, o
        elif len(o) == 1 and len(n) > 1:
            whole_side, whole, part_side, parts = self.old, o[0], self.new, n
        else:
            return o, n
        below = [whole_side.nodes[k].item.text for k in _descendants(whole_side, whole)]
        if not below:
            return o, n
        whole_text = whole_side.nodes[whole].item.text
        settings = self.settings

        def like(a: str, b: str) -> float:
            return aligner.similarity(a, b, settings=settings)

        absorbed = []
        for part in parts:
            text = part_side.nodes[part].item.text
            best, item = max((like(text, t), t) for t in below)
            if best < settings.match_threshold or best <= like(text, whole_text):
                continue
            # An item below the part that is as like it is that item's counterpart: the
            # part itself is then the whole's (its text holds its children's).
            if not any(
                like(part_side.nodes[k].item.text, item) >= best
                for k in _descendants(part_side, part)
            ):
                absorbed.append(part)
        if not absorbed:
            return o, n
        kept = tuple(k for k in parts if k not in absorbed)
        if part_side is self.old:
            self.left_old += absorbed
            return kept, n
        self.left_new += absorbed
        return o, kept

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
                if len(o) + len(n) > 2:
                    o, n = self._absorbed(o, n)
                    if len(o) == len(n) == 1:
                        kind, similarity = self._pair_kind(o[0], n[0])
                    elif o and n and not self._siblings(o, n):
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
        a whole point takes part in, moved already.

        A parent left without a counterpart stands in for the parent that more than half of
        its matched children went to (a point the top level called removed whose items all
        reappear under one other point is, for its items, that point's counterpart): its
        children there are judged by their order among themselves."""
        old, new = self.old, self.new
        stand_in = (self._stand_ins(old, new, 0), self._stand_ins(new, old, 1))
        levels: dict[tuple[object, ...], list[int]] = {}
        for index, m in enumerate(self.matches):
            if m.old and m.new and not self._has_whole(m.old, m.new):
                ko, kn = self._placed_key(old, m.old[0]), self._placed_key(new, m.new[0])
                if ko == kn:
                    levels.setdefault(ko, []).append(index)
                elif stand_in[0].get(ko) == kn or stand_in[1].get(kn) == ko:
                    levels.setdefault((ko, kn), []).append(index)
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

    def _stand_ins(
        self, side: Side, other: Side, tag: int
    ) -> dict[tuple[int, ...], tuple[int, ...]]:
        """For each unmatched parent of ``side`` (tag 0 old, 1 new), by its key: the key on
        the other side that more than half of its matched children stand under, if any."""
        counts: dict[tuple[int, ...], dict[tuple[int, ...], int]] = {}
        for m in self.matches:
            if not (m.old and m.new) or self._has_whole(m.old, m.new):
                continue
            mine, theirs = (m.old, m.new) if tag == 0 else (m.new, m.old)
            for k in mine:
                key = self._placed_key(side, k)
                if key[0] == 2:
                    there = self._placed_key(other, theirs[0])
                    tally = counts.setdefault(key, {})
                    tally[there] = tally.get(there, 0) + 1
        out = {}
        for key, tally in counts.items():
            there, most = max(tally.items(), key=lambda kv: (kv[1], kv[0]))
            if 2 * most > sum(tally.values()):
                out[key] = there
        return out

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
        return len({(side.nodes[k].point, side.nodes[k].parent) for k in parts}) == 1

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

    def _placed_key(self, side: Side, node: int) -> tuple[int, ...]:
        """:meth:`_parent_key`, an unmatched parent keyed by itself and its side
        (``(2, side, parent)``), so that its children share a key."""
        parent = side.nodes[node].parent
        if parent < 0:
            return (0, side.nodes[node].entry)
        if side.group[parent] >= 0:
            return (1, side.group[parent])
        return (2, 0 if side is self.old else 1, parent)

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


def _descendants(side: Side, node: int) -> list[int]:
    """Every node below ``node``, at all levels, in document order."""
    out: list[int] = []
    stack = list(reversed(side.children[node]))
    while stack:
        k = stack.pop()
        out.append(k)
        stack += reversed(side.children[k])
    return out


def _ranks(side: Side, nodes: list[int]) -> dict[int, int]:
    """Each node's place among ``nodes`` in document order."""
    return {k: rank for rank, k in enumerate(sorted(nodes, key=lambda k: side.nodes[k].order))}
