"""The documents of the nested benchmark: a tree of clauses, sub-items and paragraphs, drawn,
laid out as text, and named by path, and which items of a list moved.

A node knows the old nodes it came from (``origin``), so everything the truth says is derived
from identities. Paths follow issue 17's format: ``7``, ``7.1``, ``7.1(b)(ii)``, ``7 ¶ 2``,
``Schedule 1 › 3.2``, ``¶ 8``.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from nested_words import HEADINGS, SCHEDULE_TITLES, draw_word, draw_words, is_figure

# Node kinds. A node's children are all of one kind.
CLAUSE, ITEM, DECIMAL, LETTER, ROMAN, PARA, PARAGRAPH = (
    "clause",
    "item",
    "decimal",
    "letter",
    "roman",
    "para",
    "paragraph",
)
#: The kinds of US bills and contracts of articles (see :mod:`nested_legal`): a bill's
#: ``SEC. 2.``, an article's ``Section 7.01``, and the United States Code's ``(1)``, ``(A)``,
#: ``(I)`` (its ``(a)`` and ``(i)`` are LETTER and ROMAN).
BILL_SECTION, SECTION, NUMBERED, UPPER, UPPER_ROMAN = (
    "bill-section",
    "section",
    "numbered",
    "upper",
    "upper-roman",
)
LIST_CAP = 8  # lettered lists stop at (h), so that "(i)" always opens a roman list
#: The list kinds whose lists are capped (``(I)`` always opens an upper-case roman list).
LETTERED = (LETTER, ROMAN, UPPER)


@dataclass(eq=False)
class Node:
    """A node while a pair is built: its own words, its children, the old nodes it came from."""

    kind: str
    words: list[str]
    children: list[Node] = field(default_factory=list)
    heading: str | None = None
    uid: int = -1
    origin: tuple[int, ...] = ()

    def walk(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def leaf(self) -> bool:
        return not self.children


@dataclass(eq=False)
class Division:
    """The main body (``name`` None) or a schedule/annex whose numbering restarts."""

    name: str | None  # as a path names it: "Schedule 1", "Annex B"
    heading: str  # as the text writes it: "SCHEDULE 1 - SERVICES"
    nodes: list[Node]
    #: An article's number, which its sections' numbers extend (``7`` → ``7.01``): the article
    #: is a heading, its sections the top level.
    numbering: str = ""


@dataclass(frozen=True)
class Style:
    """How one document lays out its structure (documents vary as real ones do)."""

    letters: str  # "(a)" or "a)"
    romans: str  # "(i)" or "i)"
    indent: int  # columns per level below the clause (0: flush)
    gap: str  # between sub-items: "\n" or "\n\n"
    upper: bool  # clause headings in capitals
    dash: str = ".—"  # after a bill's subsection heading: ".—" or ".--"


@dataclass(frozen=True)
class Item:
    """One numbered or ordinal item of a generated text, named as the brief's path format."""

    path: str
    level: int  # 0 for a top-level point, 1 for its sub-items, …
    label: str  # its own label for renumbering ("7", "2" of 7.2, "b", "ii"); "" when ordinal
    top: str  # the path of the top-level point it stands in
    uid: int


@dataclass(frozen=True)
class NestedPair:
    """Two versions of a nested document and the truth between them, all by path."""

    kind: str
    seed: int
    index: int
    old_text: str
    new_text: str
    old_items: tuple[Item, ...]
    new_items: tuple[Item, ...]
    links: frozenset[tuple[str, str]]  # one per (old path, new path), merges/splits included
    moved: frozenset[tuple[str, str]]
    renumbered: frozenset[tuple[str, str]]
    merges: tuple[tuple[tuple[str, ...], str], ...]
    splits: tuple[tuple[str, tuple[str, ...]], ...]
    #: The moves the generator made on purpose; equal to ``moved`` when the truth is unique.
    intended_moves: frozenset[tuple[str, str]]
    edits: tuple[str, ...]  # what was done, for --verbose
    #: Links a fair top-level reading adds (a clause folded into another read as a merge of
    #: the two, a promoted item as a split of its clause): neither required nor wrong.
    accepted_links: frozenset[tuple[str, str]] = frozenset()
    #: The (old paths, new paths) of those merges and splits, likewise.
    accepted_groups: frozenset[tuple[frozenset[str], frozenset[str]]] = frozenset()


class Builder:
    """Draws the old document of one pair."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.headings = list(HEADINGS)
        rng.shuffle(self.headings)
        self.uid = itertools.count()

    def heading(self) -> str:
        return self.headings.pop() if self.headings else " ".join(draw_word(self.rng) for _ in "ab")

    def node(self, kind: str, words: list[str], children: Sequence[Node] = ()) -> Node:
        n = Node(kind, words, list(children))
        n.uid = next(self.uid)
        return n

    def clause(self) -> Node:
        rng = self.rng
        shape = rng.random()
        if shape < 0.25:
            node = self.node(CLAUSE, draw_words(rng, 18, 45))
        elif shape < 0.4:
            paras = [self.node(PARA, draw_words(rng, 18, 45)) for _ in range(rng.randint(2, 4))]
            node = self.node(CLAUSE, [], paras)
        elif shape < 0.8:
            node = self.node(CLAUSE, [], self.decimals())
        else:
            node = self.node(CLAUSE, draw_words(rng, 5, 12), self.letters())
        node.heading = self.heading()
        return node

    def schedule_item(self) -> Node:
        rng = self.rng
        shape = rng.random()
        if shape < 0.5:
            return self.node(ITEM, draw_words(rng, 10, 32))
        if shape < 0.75:
            return self.node(ITEM, draw_words(rng, 4, 9, opening=0), self.decimals(plain=True))
        return self.node(ITEM, draw_words(rng, 5, 12), self.letters())

    def decimals(self, plain: bool = False) -> list[Node]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(2, 5)):
            shape = rng.random()
            if shape < 0.65 or plain:
                out.append(self.node(DECIMAL, draw_words(rng, 12, 34)))
            elif shape < 0.93:
                out.append(self.node(DECIMAL, draw_words(rng, 5, 12), self.letters()))
            else:
                subs = [
                    self.node(DECIMAL, draw_words(rng, 10, 26)) for _ in range(rng.randint(2, 3))
                ]
                out.append(self.node(DECIMAL, draw_words(rng, 8, 20), subs))
        return out

    def letters(self) -> list[Node]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(2, 6)):
            if rng.random() < 0.15:
                romans = [
                    self.node(ROMAN, draw_words(rng, 5, 15)) for _ in range(rng.randint(2, 4))
                ]
                out.append(self.node(LETTER, draw_words(rng, 4, 10), romans))
            else:
                out.append(self.node(LETTER, draw_words(rng, 6, 22)))
        return out

    def fresh_like(self, sibling: Node, fresh: itertools.count[int]) -> Node:
        """A new node of a sibling's kind (an inserted item), with new ids."""
        rng = self.rng
        if sibling.kind == CLAUSE:
            node = self.clause()
        elif sibling.kind == ITEM:
            node = self.schedule_item()
        elif sibling.kind == PARAGRAPH:
            node = self.node(PARAGRAPH, draw_words(rng, 25, 70))
        elif sibling.kind == DECIMAL:
            node = self.node(DECIMAL, draw_words(rng, 12, 34))
        elif sibling.kind == LETTER:
            node = self.node(LETTER, draw_words(rng, 6, 22))
        elif sibling.kind == ROMAN:
            node = self.node(ROMAN, draw_words(rng, 5, 15))
        else:
            node = self.node(PARA, draw_words(rng, 18, 45))
        for n in node.walk():
            n.uid, n.origin = next(fresh), ()
        return node


def old_document(kind: str, b: Builder) -> list[Division]:
    rng = b.rng
    if kind == "unnumbered":
        paras = [b.node(PARAGRAPH, draw_words(rng, 25, 70)) for _ in range(rng.randint(12, 28))]
        return [Division(None, "", paras)]
    if kind == "clauses":
        return [Division(None, "", [b.clause() for _ in range(rng.randint(12, 20))])]
    divisions = [Division(None, "", [b.clause() for _ in range(rng.randint(6, 10))])]
    annex = rng.random() < 0.35
    titles = rng.sample(SCHEDULE_TITLES, 3)
    for k in range(rng.randint(1, 3)):
        number = "ABC"[k] if annex else str(k + 1)
        keyword = "Annex" if annex else "Schedule"
        dash = rng.choice([" - ", " – ", ": "])
        heading = f"{keyword.upper()} {number}{dash}{titles[k].upper()}"
        items = [b.schedule_item() for _ in range(rng.randint(3, 7))]
        divisions.append(Division(f"{keyword} {number}", heading, items))
    return divisions


# ---------------------------------------------------------------------------------------------
# Rendering: the text and every item's path


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _mark(kind: str, k: int) -> str:
    """The mark of the k-th item (1-based) of a list of ``kind``: ``b``, ``ii``, ``2``, ``B``,
    ``II``."""
    if kind == LETTER:
        return chr(ord("a") + k - 1)
    if kind == UPPER:
        return chr(ord("A") + k - 1)
    if kind == NUMBERED:
        return str(k)
    return _roman(k).upper() if kind == UPPER_ROMAN else _roman(k)


def _legal_heading(node: Node, number: str, k: int, style: Style) -> str:
    """A bill's ``SEC. 2. DEFINITIONS.`` (``SECTION 1.`` first) or an article's
    ``Section 7.01 Payment Terms.``."""
    assert node.heading is not None
    if node.kind == SECTION:
        return f"Section {number} {node.heading.title()}."
    keyword = "SECTION" if k == 1 else "SEC."
    return f"{keyword} {number}. {node.heading.upper()}."


def _sentence(words: Sequence[str], end: str, lower: bool = False) -> str:
    text = " ".join(words)
    if not lower:
        if words and is_figure(words[0]):
            text = "The " + text
        text = text[:1].upper() + text[1:]
    return text + end


def render(divisions: Sequence[Division], style: Style) -> tuple[str, list[tuple[Item, int]]]:
    """The document's text and, for each item, its record and its node's uid."""
    blocks: list[str] = []
    items: list[tuple[Item, int]] = []
    bill = any(n.kind == BILL_SECTION for d in divisions for n in d.nodes)

    def add(path: str, level: int, label: str, top: str, node: Node) -> None:
        items.append((Item(path, level, label, top, node.uid), node.uid))

    def sub(node: Node, path: str, number: str, top: str, level: int, closing: bool) -> list[str]:
        """Lines of a node's children (the node's own line is its caller's)."""
        lines: list[str] = []
        pad = " " * (style.indent * level)
        count = len(node.children)
        for k, child in enumerate(node.children, 1):
            last = closing and k == count
            if child.kind == DECIMAL:
                label = f"{number}.{k}"
                cpath = path[: len(path) - len(number)] + label
                end = ":" if child.children and child.children[0].kind != DECIMAL else "."
                head = f"{pad}{label} {_sentence(child.words, end)}"
                add(cpath, level, str(k), top, child)
                lines.append(head)
                lines += sub(child, cpath, label, top, level + 1, True)
            elif child.kind in (LETTER, ROMAN, NUMBERED, UPPER, UPPER_ROMAN):
                mark = _mark(child.kind, k)
                fmt = style.romans if child.kind == ROMAN else style.letters
                written = fmt.replace("a" if child.kind == LETTER else "i", mark, 1)
                if child.kind not in (LETTER, ROMAN):
                    written = f"({mark})"
                cpath = f"{path}({mark})"
                end = (style.dash[1:] if bill else ":") if child.children else ";"
                end = "." if (last or child.heading) and not child.children else end
                add(cpath, level, mark, top, child)
                header = ""
                if child.heading:  # a bill's "(a) In General.—"
                    header = child.heading.upper() if style.upper else child.heading.title()
                    header += style.dash
                text = _sentence(child.words, end, lower=not header)
                lines.append(f"{pad}{written} {header}{text}")
                lines += sub(child, cpath, number, top, level + 1, last)
            else:  # PARA: the first follows the heading line, the others after a blank line
                add(f"{path} ¶ {k}", level, "", top, child)
                text = _sentence(child.words, ".")
                lines.append(text if k == 1 else "\n" + text)
        return lines

    for division in divisions:
        if division.heading:
            blocks.append(division.heading)
        prefix = f"{division.name} › " if division.name else ""
        for k, node in enumerate(division.nodes, 1):
            if node.kind == PARAGRAPH:
                path = f"¶ {k}"
                add(path, 0, "", path, node)
                blocks.append(_sentence(node.words, "."))
                continue
            number = f"{division.numbering}.{k:02d}" if division.numbering else str(k)
            path = prefix + number
            add(path, 0, number.rsplit(".", 1)[-1], path, node)
            if node.kind in (BILL_SECTION, SECTION):
                assert node.heading is not None
                lines = [_legal_heading(node, number, k, style)]
                if node.words and node.kind == SECTION:  # "Section 7.01 Payment. The …:"
                    lines[0] += " " + _sentence(node.words, ":" if node.children else ".")
                elif node.words:  # a bill's section text, on the line after its heading
                    pad = " " * style.indent
                    lines.append(pad + _sentence(node.words, "."))  # it has no subsections
            elif node.kind == CLAUSE:
                assert node.heading is not None
                title = node.heading.upper() if style.upper else node.heading.title()
                lines = [f"{number}. {title}"]
                if node.words:
                    end = ":" if node.children else "."
                    lines.append(_sentence(node.words, end))
            else:
                end = ":" if node.children and node.children[0].kind == LETTER else "."
                lines = [f"{number}. {_sentence(node.words, end)}"]
            lines += sub(node, path, number, path, 1, True)
            # The first line under a heading joins it (a blank line there would make the
            # heading a paragraph of its own); paragraphs carry their blank line themselves.
            body = lines[0]
            for k, line in enumerate(lines[1:]):
                first = k == 0 and node.kind in (CLAUSE, BILL_SECTION, SECTION)
                body += ("\n" if first or line.startswith("\n") else style.gap) + line
            blocks.append(body)
    return "\n\n".join(blocks) + "\n", items


# ---------------------------------------------------------------------------------------------
# Order: which matched items moved


def _lis_positions(keys: Sequence[int]) -> tuple[set[int], bool]:
    """Positions of a longest strictly increasing subsequence of ``keys`` and whether it is the
    only one (as a set of positions): then the moved items are beyond dispute."""
    n = len(keys)
    length = [1] * n
    count = [1] * n
    for i in range(n):
        for j in range(i):
            if keys[j] < keys[i]:
                if length[j] + 1 > length[i]:
                    length[i], count[i] = length[j] + 1, count[j]
                elif length[j] + 1 == length[i]:
                    count[i] += count[j]
    if not n:
        return set(), True
    best = max(length)
    total = sum(c for c, ln in zip(count, length, strict=True) if ln == best)
    chosen: set[int] = set()
    want, bound = best, None
    for i in range(n - 1, -1, -1):
        if length[i] == want and (bound is None or keys[i] < bound):
            chosen.add(i)
            want, bound = want - 1, keys[i]
    return chosen, total == 1


def moved_by_order(
    children: Sequence[Node], counterparts: Sequence[Node], split: frozenset[int] | set[int]
) -> tuple[set[int], bool]:
    """Uids of the one-to-one children that moved among their matched siblings, and whether
    that answer is unique. Children that came from the counterpart parent's children are
    matched; a merge stands at its first part's place, a split's parts at their origin's
    place, once; only one-to-one children (not merges, not split parts) are called moved."""
    place = {c.uid: k for k, c in enumerate(counterparts)}
    keys: list[int] = []
    owners: list[Node] = []
    for child in children:
        if not child.origin or not all(o in place for o in child.origin):
            continue
        key = min(place[o] for o in child.origin)
        if key in keys:  # a split's later parts
            continue
        keys.append(key)
        owners.append(child)
    chosen, unique = _lis_positions(keys)
    moved = {
        owners[i].uid
        for i in range(len(keys))
        if i not in chosen and len(owners[i].origin) == 1 and owners[i].origin[0] not in split
    }
    return moved, unique


def own_label(path: str) -> str:
    """The own label at the end of a path, for renumbering ("" for an ordinal)."""
    tail = path.rsplit(" › ", 1)[-1]
    if "¶" in tail or "•" in tail:  # ordinals of paragraphs and bullets, not written labels
        return ""
    if tail.endswith(")"):
        return tail[tail.rindex("(") + 1 : -1]
    return tail.rsplit(".", 1)[-1]


Parent = Node | Division


def parents(divisions: Sequence[Division]) -> dict[int, Parent]:
    out: dict[int, Parent] = {}
    for division in divisions:
        for node in division.nodes:
            out[node.uid] = division
            for n in node.walk():
                for child in n.children:
                    out[child.uid] = n
    return out


def depths(divisions: Sequence[Division]) -> dict[int, int]:
    out: dict[int, int] = {}

    def visit(node: Node, depth: int) -> None:
        out[node.uid] = depth
        for child in node.children:
            visit(child, depth + 1)

    for division in divisions:
        for node in division.nodes:
            visit(node, 0)
    return out


def children_of(parent: Parent) -> list[Node]:
    return parent.nodes if isinstance(parent, Division) else parent.children
