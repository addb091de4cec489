"""The edits of the nested benchmark: the new version derived from the old one at every level.

Rewordings, changed figures, deletions and insertions (which renumber the following siblings),
moves within a list and across the document, merges and splits; every new node keeps the old
nodes it came from, and the moves made on purpose are recorded so that a test can check that
the truth, derived from order, finds exactly them.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from nested_docs import (
    CLAUSE,
    DECIMAL,
    LETTER,
    LETTERED,
    LIST_CAP,
    NUMBERED,
    UPPER,
    Builder,
    Division,
    Node,
    Parent,
    Style,
    children_of,
    depths,
    moved_by_order,
    parents,
)
from nested_words import change_figures, reword


@dataclass(frozen=True)
class Rates:
    """Share of the items of a level touched by each kind of edit."""

    top_reword: float = 0.15
    top_figures: float = 0.05
    top_delete: float = 0.05
    top_insert: float = 0.05
    top_move: float = 0.06
    top_merge: float = 0.04
    top_split: float = 0.04
    sub_reword: float = 0.15
    sub_figures: float = 0.06
    sub_delete: float = 0.05
    sub_insert: float = 0.05
    sub_move_across: float = 0.04
    sub_move_within: float = 0.25  # of the lists of four or more clean items
    sub_merge: float = 0.03
    sub_split: float = 0.03
    heavy: float = 0.35  # of rewordings
    #: Whole clauses folded into another clause's list as one of its sub-items, and sub-items
    #: promoted to clauses of their own (none in the kinds that predate them).
    top_fold: float = 0.0
    sub_promote: float = 0.0
    #: Of folds and promotions, the share placed next to the clause they leave or join, where
    #: the top level reads a merge or a split of the two clauses.
    adjacent: float = 0.5


class Editor:
    """Derives the new version from the old one and records what it did."""

    def __init__(self, old: list[Division], b: Builder, rates: Rates) -> None:
        self.old, self.b, self.rng, self.rates = old, b, b.rng, rates
        self.old_parent = parents(old)
        self.roles: dict[int, str] = {}
        self.partner: dict[int, Node] = {}
        self.removed: dict[int, int] = {}  # id(parent) → children leaving it
        self.fresh = itertools.count(1_000_000)
        self.split_origins: set[int] = set()
        self.new_of: dict[int, Node] = {}
        self.events: list[tuple[str, int | None, int | None]] = []
        self.intended: set[tuple[int, int]] = set()  # (old uid, new uid) moved on purpose
        #: (old uid, new uid) of the clauses folded into a list and the sub-items promoted.
        self.regrouped: list[tuple[int, int]] = []

    # -- roles on the old tree -----------------------------------------------------------------

    def _ancestors(self, node: Node) -> Iterator[Node]:
        parent = self.old_parent.get(node.uid)
        while isinstance(parent, Node):
            yield parent
            parent = self.old_parent.get(parent.uid)

    def _free(self, node: Node) -> bool:
        """No structural edit on the node, its ancestors or its descendants."""
        return not any(n.uid in self.roles for n in (*node.walk(), *self._ancestors(node)))

    def _can_leave(self, node: Node, count: int = 1) -> bool:
        parent = self.old_parent[node.uid]
        floor = 3 if isinstance(parent, Division) else 2
        return len(children_of(parent)) - self.removed.get(id(parent), 0) - count >= floor

    def _leave(self, node: Node) -> None:
        parent = self.old_parent[node.uid]
        self.removed[id(parent)] = self.removed.get(id(parent), 0) + 1

    def assign(self) -> None:
        rng, r = self.rng, self.rates
        tops = [n for d in self.old for n in d.nodes]
        subs = [c for t in tops for n in t.walk() for c in n.children]
        for group, merge, split, delete, least in (
            (tops, r.top_merge, r.top_split, r.top_delete, not subs),
            (subs, r.sub_merge, r.sub_split, r.sub_delete, True),
        ):
            if not group:
                continue
            order = list(group)
            rng.shuffle(order)
            self._pick_merges(order, count_for(merge, len(group), least))
            wanted, picked = count_for(split, len(group), least), 0
            for node in order:
                if picked < wanted and node.leaf and len(node.words) >= 16 and self._free(node):
                    self.roles[node.uid] = "split"
                    picked += 1
            wanted, picked = count_for(delete, len(group), False), 0
            for node in order:
                if picked < wanted and self._free(node) and self._can_leave(node):
                    self.roles[node.uid] = "delete"
                    self._leave(node)
                    picked += 1
        if r.top_fold or r.sub_promote:
            self._pick_regroups(tops, subs)
        movable = [n for n in subs if n.kind in (DECIMAL, LETTER, NUMBERED, UPPER)]
        rng.shuffle(movable)
        wanted, picked = count_for(r.sub_move_across, len(subs), bool(subs)), 0
        for node in movable:
            if picked < wanted and self._free(node) and self._can_leave(node):
                self.roles[node.uid] = "move"
                self._leave(node)
                picked += 1
        for node in (*tops, *subs):
            if node.uid in self.roles or not node.words:
                continue
            top = isinstance(self.old_parent[node.uid], Division)
            share = r.top_reword if top else r.sub_reword
            x = rng.random()
            if x < share:
                self.roles[node.uid] = "heavy" if rng.random() < r.heavy else "light"
            elif x < share + (r.top_figures if top else r.sub_figures):
                self.roles[node.uid] = "figures"

    def _pick_regroups(self, tops: Sequence[Node], subs: Sequence[Node]) -> None:
        """Clauses of one paragraph to fold into another clause's list, and leaf items of a
        list to promote to clauses."""
        rng, r = self.rng, self.rates
        hosts = sum(
            1
            for t in tops
            for n in t.walk()
            if n.children
            and n.children[0].kind
            in (
                LETTER,
                DECIMAL,
            )
        )
        order = [t for t in tops if t.kind == CLAUSE and t.leaf and t.words]
        rng.shuffle(order)
        wanted, picked = count_for(r.top_fold, len(tops), bool(hosts)), 0
        for node in order:
            if picked < wanted and self._free(node) and self._can_leave(node):
                self.roles[node.uid] = "fold"
                self._leave(node)
                picked += 1
        order = [n for n in subs if n.kind in (LETTER, DECIMAL) and n.leaf and len(n.words) >= 8]
        rng.shuffle(order)
        wanted, picked = count_for(r.sub_promote, len(subs), True), 0
        for node in order:
            if picked < wanted and self._free(node) and self._can_leave(node):
                self.roles[node.uid] = "promote"
                self._leave(node)
                picked += 1

    def _pick_merges(self, order: Sequence[Node], wanted: int) -> None:
        picked = 0
        for node in order:
            if picked >= wanted:
                break
            siblings = children_of(self.old_parent[node.uid])
            k = siblings.index(node)
            if k + 1 >= len(siblings):
                continue
            other = siblings[k + 1]
            if not (node.leaf and other.leaf and node.words and other.words):
                continue
            if self._free(node) and self._free(other) and self._can_leave(other):
                self.roles[node.uid], self.roles[other.uid] = "merge", "merged-away"
                self.partner[node.uid] = other
                self._leave(other)
                picked += 1

    # -- the new tree ---------------------------------------------------------------------------

    def _new(self, node: Node, words: list[str], origin: tuple[int, ...], heading=None) -> Node:
        n = Node(node.kind, words, [], heading if heading else node.heading, next(self.fresh))
        n.origin = origin
        return n

    def copy(self, node: Node) -> list[Node]:
        rng, role = self.rng, self.roles.get(node.uid)
        if role in ("delete", "merged-away"):
            self.events.append((role.replace("merged-away", "merged"), node.uid, None))
            return []
        if role in ("fold", "promote"):  # placed by regroup()
            return []
        if role == "merge":
            other = self.partner[node.uid]
            joined = node.words + (["and"] if rng.random() < 0.5 else []) + other.words
            merged = self._new(node, reword(rng, joined, False), (node.uid, other.uid))
            self.events.append(("merge", node.uid, merged.uid))
            return [merged]
        if role == "split":
            words = node.words
            cut = rng.randint(8, len(words) - 8)
            parts = [words[:cut], words[cut:]]
            out = []
            for k, part in enumerate(parts):
                if k:
                    part = ["the", "parties", "further", "agree", "that", *part]
                heading = self.b.heading() if k and node.heading else None
                out.append(self._new(node, reword(rng, part, False), (node.uid,), heading))
            self.split_origins.add(node.uid)
            self.events.append(("split", node.uid, out[0].uid))
            return out
        words = node.words
        if role in ("light", "heavy"):
            words = reword(rng, words, role == "heavy")
            self.events.append((f"reword ({role})", node.uid, None))
        elif role == "figures":
            words = change_figures(rng, words)
            self.events.append(("figures", node.uid, None))
        new = self._new(node, words, (node.uid,))
        self.new_of[node.uid] = new
        for child in node.children:
            new.children.extend(self.copy(child))
        return [new]

    def build(self) -> list[Division]:
        new = []
        for division in self.old:
            nodes = [n for node in division.nodes for n in self.copy(node)]
            new.append(Division(division.name, division.heading, nodes, division.numbering))
        return new

    # -- folds and promotions ----------------------------------------------------------------

    def regroup(self, new: list[Division]) -> None:
        """Fold each clause chosen into a list of another clause as its item (next to the
        clause it leaves now and then, where it reads as a merge of the two), and promote each
        item chosen to a clause of its own (right after its clause now and then: a split)."""
        rng = self.rng
        old_tops = [t for d in self.old for t in d.nodes]
        for uid, role in self.roles.items():
            if role not in ("fold", "promote"):
                continue
            node = next(n for t in old_tops for n in t.walk() if n.uid == uid)
            words = reword(rng, node.words, False) if rng.random() < 0.4 else list(node.words)
            if role == "fold":
                self._fold(new, node, words, old_tops)
            else:
                self._promote(new, node, words)

    def _fold(
        self, new: list[Division], node: Node, words: list[str], old_tops: list[Node]
    ) -> None:
        rng = self.rng
        k = old_tops.index(node)
        near = {id(self.new_of.get(t.uid)) for t in old_tops[max(k - 1, 0) : k + 2]}
        hosts = [
            (t, n)
            for d in new
            for t in d.nodes
            for n in t.walk()
            if n.children
            and n.children[0].kind in (LETTER, DECIMAL)
            and len(n.origin) == 1
            and n.origin[0] not in self.split_origins
            and (n.children[0].kind != LETTER or len(n.children) < LIST_CAP)
        ]
        if not hosts:
            self.events.append(("delete", node.uid, None))
            return
        close = [h for h in hosts if id(h[0]) in near]
        pool = close if close and rng.random() < self.rates.adjacent else hosts
        _, host = rng.choice(pool)
        kind = host.children[0].kind
        item = self._new(node, words, (node.uid,))
        item.kind, item.heading = kind, None
        host.children.insert(self._place(host.children), item)
        self.regrouped.append((node.uid, item.uid))
        self.intended.add((node.uid, item.uid))
        self.events.append(("fold", node.uid, item.uid))

    def _promote(self, new: list[Division], node: Node, words: list[str]) -> None:
        rng = self.rng
        top = next(t for d in self.old for t in d.nodes if node in t.walk())
        division = (
            next(d for d in new for t in d.nodes if top.uid in t.origin)
            if any(top.uid in t.origin for d in new for t in d.nodes)
            else new[0]
        )
        clause = self._new(node, words, (node.uid,), heading=self.b.heading())
        clause.kind = CLAUSE
        here = [k for k, t in enumerate(division.nodes) if top.uid in t.origin]
        if here and rng.random() < self.rates.adjacent:
            at = here[-1] + 1
        else:
            at = self._place(division.nodes)
        division.nodes.insert(at, clause)
        self.regrouped.append((node.uid, clause.uid))
        self.intended.add((node.uid, clause.uid))
        self.events.append(("promote", node.uid, clause.uid))

    # -- moves ----------------------------------------------------------------------------------

    def move_across(self, new: list[Division]) -> None:
        """Each sub-item chosen to move goes to another list of its kind, preferably in another
        point (or a schedule), reworded lightly now and then."""
        rng = self.rng
        for uid, role in self.roles.items():
            if role != "move":
                continue
            node = self.new_of[uid]
            parent_of = parents(new)
            here = parent_of[node.uid]
            own = {n.uid for n in node.walk()}
            tops = {n.uid: t for d in new for t in d.nodes for n in t.walk()}
            depth = depths(new)
            targets = [
                n
                for d in new
                for t in d.nodes
                for n in t.walk()
                if n is not here
                and n.uid not in own
                and depth[n.uid] == depth[node.uid] - 1  # the same level: 7.3 → 9.2, not 9.2.1
                and len(n.origin) == 1
                and n.children
                and n.children[0].kind == node.kind
                and (node.kind not in LETTERED or len(n.children) < LIST_CAP)
            ]
            if not targets:
                continue
            away = [t for t in targets if tops[t.uid] is not tops[node.uid]]
            scheduled = [t for t in away if self._in_schedule(new, t)]
            pool = scheduled if scheduled and rng.random() < 0.5 else (away or targets)
            target = rng.choice(pool)
            children_of(here).remove(node)
            target.children.insert(self._place(target.children), node)
            if rng.random() < 0.4:
                node.words = reword(rng, node.words, False)
            self.intended.add((uid, node.uid))
            self.events.append(("move across", uid, node.uid))

    @staticmethod
    def _in_schedule(new: Sequence[Division], node: Node) -> bool:
        return any(d.name and any(node in t.walk() for t in d.nodes) for d in new)

    def counterpart(self, parent: Parent, new: Sequence[Division]) -> Parent | None:
        """The old parent whose children a new parent's matched children came from."""
        if isinstance(parent, Division):
            return self.old[[id(d) for d in new].index(id(parent))]
        if len(parent.origin) != 1:
            return None
        for d in self.old:
            for t in d.nodes:
                for n in t.walk():
                    if n.uid == parent.origin[0]:
                        return n
        return None

    def _try_moves(self, parent: Parent, new: Sequence[Division], count: int, gap: int) -> None:
        """Move ``count`` one-to-one children at least ``gap`` matched places, kept apart, keeping
        only the moves after which the moved set is the unique smallest one."""
        rng = self.rng
        old_parent = self.counterpart(parent, new)
        if old_parent is None:
            return
        siblings = children_of(parent)
        done: list[Node] = []
        busy: list[int] = []
        for _ in range(count * 6):
            if len(done) >= count or len(siblings) < gap + 2:
                break
            k = rng.randrange(len(siblings))
            node = siblings[k]
            if (
                len(node.origin) != 1
                or node.origin[0] in self.split_origins
                or node in done
                or any(abs(k - b) <= gap for b in busy)
            ):
                continue
            dest = rng.randrange(len(siblings))
            if abs(dest - k) < gap or any(abs(dest - b) <= gap for b in busy):
                continue
            siblings.pop(k)
            siblings.insert(dest, node)
            moved, unique = moved_by_order(
                siblings, children_of(old_parent), frozenset(self.split_origins)
            )
            apart = 0 < dest < len(siblings) - 1 and self._parts(
                siblings[dest - 1], siblings[dest + 1]
            )
            if unique and not apart and moved == {n.uid for n in (*done, node)}:
                done.append(node)
                busy += [k, dest]
            else:
                siblings.pop(dest)
                siblings.insert(k, node)
        for node in done:
            self.intended.add((node.origin[0], node.uid))
            self.events.append(("move", node.origin[0], node.uid))

    def move_within(self, new: list[Division]) -> None:
        rng, r = self.rng, self.rates
        for division in new:
            n = len(division.nodes)
            count = count_for(r.top_move, n, division.name is None) if n >= 6 else 0
            self._try_moves(division, new, count, 3)
        for division in new:
            for top in division.nodes:
                for node in list(top.walk()):
                    if (
                        len(node.children) >= 4
                        and len(node.origin) == 1
                        and self._clean(node)
                        and rng.random() < r.sub_move_within
                    ):
                        self._try_moves(node, new, 1, 2)

    def _clean(self, node: Node) -> bool:
        """All children came one-to-one from the node's counterpart (no merge, split or
        arrival among them), so a move within it has one reading."""
        return all(
            len(c.origin) == 1
            and c.origin[0] not in self.split_origins
            and self.old_parent.get(c.origin[0]) is not None
            and getattr(self.old_parent[c.origin[0]], "uid", None) == node.origin[0]
            for c in node.children
        )

    def _parts(self, a: Node, b: Node) -> bool:
        """Whether two nodes are parts of one split (which stay side by side)."""
        return a.origin == b.origin and len(a.origin) == 1 and a.origin[0] in self.split_origins

    def _place(self, siblings: Sequence[Node]) -> int:
        """A random place in a list that does not come between the parts of a split."""
        at = self.rng.randrange(len(siblings) + 1)
        while 0 < at < len(siblings) and self._parts(siblings[at - 1], siblings[at]):
            at += 1
        return at

    # -- insertions -----------------------------------------------------------------------------

    def insert(self, new: list[Division]) -> None:
        rng, r = self.rng, self.rates
        tops = sum(len(d.nodes) for d in new)
        for _ in range(count_for(r.top_insert, tops, False)):
            division = rng.choice([d for d in new for _ in d.nodes])
            fresh = self.b.fresh_like(rng.choice(division.nodes), self.fresh)
            division.nodes.insert(self._place(division.nodes), fresh)
            self.events.append(("insert", None, fresh.uid))
        lists = [n for d in new for t in d.nodes for n in t.walk() if n.children]
        subs = sum(len(n.children) for n in lists)
        for _ in range(count_for(r.sub_insert, subs, False)):
            parent = rng.choice(lists)
            if parent.children[0].kind in LETTERED and len(parent.children) >= LIST_CAP:
                continue
            fresh = self.b.fresh_like(rng.choice(parent.children), self.fresh)
            parent.children.insert(self._place(parent.children), fresh)
            self.events.append(("insert", None, fresh.uid))


def count_for(rate: float, n: int, at_least_one: bool) -> int:
    return max(1 if at_least_one and n else 0, round(rate * n))


def draw_style(rng: random.Random) -> Style:
    return Style(
        letters="(a)" if rng.random() < 0.75 else "a)",
        romans="(i)" if rng.random() < 0.75 else "i)",
        indent=rng.choice([0, 0, 3, 4]),
        gap="\n" if rng.random() < 0.6 else "\n\n",
        upper=rng.random() < 0.7,
    )
