"""Seeded nested document pairs with exact ground truth at every level, for ``nested.py``.

Three kinds of document, all drawn from a contract vocabulary with Zipf word frequencies (legal
function words, a middle band of contract terms, a long tail of names and technical terms, and
figures), so that sibling items are told apart by their rarer words as real clauses are:

- ``clauses``: numbered clauses (``7. PAYMENT``) whose bodies are a paragraph, several
  paragraphs, decimal sub-clauses (``7.1``, now and then ``7.1.2``), or a lettered list; sub-clauses
  carry lettered lists (``(a)`` or ``a)``), lettered items roman lists (``(i)`` or ``i)``);
- ``schedules``: fewer clauses, then schedules or annexes that restart the numbering
  (``SCHEDULE 1 - SERVICES`` then ``1.``, ``2.``), whose items have sub-items of their own;
- ``unnumbered``: plain paragraphs and nothing else.

The new version is the old one edited at every level: rewordings (light and heavy), changed
figures, insertions and deletions (which renumber the following siblings), moves within a
parent, moves of a sub-item to another clause or into a schedule (reworded or not), merges of
two sibling items, splits of one, and clauses or paragraphs moved at the top level. Every node
keeps the identity of the old nodes it came from, so the truth (links, moves, renumbers,
merges, splits) is derived from identities, never from the texts, and named in the brief's
path format (``7.1(b)(ii)``, ``Schedule 1 › 3.2``, ``¶ 8``, ``7 ¶ 2``).

Only the standard library's seeded :class:`random.Random` is used, so a (kind, seed, index)
gives the same pair on every machine.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = ["KINDS", "Item", "NestedPair", "generate", "moved_by_order", "own_label"]

KINDS = ("clauses", "schedules", "unnumbered")

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
_LIST_CAP = 8  # lettered lists stop at (h), so that "(i)" always opens a roman list

_FUNCTION = (  # noqa: SIM905 (word lists read best as prose)
    "the of and to in shall be by for with on any such or that which as from at this a an not "
    "no other under upon into after before between each its their all may must including "
    "without within provided subject pursuant thereof hereunder whether where has is are"
).split()

_DOMAIN = (  # noqa: SIM905 (word lists read best as prose)
    "supplier customer party parties agreement services fees invoice invoices payment charges "
    "term termination notice breach remedy liability indemnity damages losses claims "
    "confidential information intellectual property rights licence data personal processing "
    "controller processor security audit records insurance majeure dispute resolution "
    "arbitration governing law jurisdiction assignment subcontracting warranties representations "
    "deliverables milestones acceptance tests specification change control levels credits "
    "availability support maintenance incident response escrow source code materials equipment "
    "premises personnel employees contractor subcontractor affiliate group third regulatory "
    "authority compliance bribery sanctions export taxes currency interest late disputed amount "
    "period days months business working calendar year quarter annual renewal expiry extension "
    "written consent approval reasonable commercially efforts endeavours promptly immediately "
    "material adverse effect obligations performance delay failure default cure suspend "
    "terminate recover costs expenses reimburse procure ensure obtain maintain comply notify "
    "provide deliver perform remedy rectify replace repair refund withhold set-off deduct "
    "account accounts report reports meeting board representative manager plan plans schedule "
    "programme documentation training handover exit transition migration retained assets "
    "systems software hardware network hosting backup recovery continuity disaster outage "
    "maintenance window notice period objection request requests variation amendment waiver "
    "severance counterpart clause provision provisions benefit successor insolvency "
    "administrator liquidation control change owner shares employee transfer regulations "
    "health safety environment policy policies standards industry practice good "
    "skill care diligence competent qualified vetted"
).split()

_SYNONYMS = {
    "shall": "will",
    "terminate": "end",
    "termination": "expiry",
    "promptly": "without-delay",
    "reasonable": "appropriate",
    "obtain": "secure",
    "ensure": "procure",
    "notice": "notification",
    "fees": "charges",
    "breach": "default",
    "costs": "expenses",
    "endeavours": "efforts",
    "provide": "supply",
    "deliver": "hand-over",
    "immediately": "forthwith",
    "consent": "approval",
    "written": "documented",
    "losses": "liabilities",
    "maintain": "keep",
    "notify": "inform",
    "request": "demand",
    "refund": "repay",
    "personnel": "staff",
    "remedy": "cure",
    "comply": "conform",
    "within": "inside",
    "including": "notably",
    "subject": "conditional",
    "records": "books",
    "material": "significant",
    "programme": "schedule",
    "standards": "norms",
    "competent": "capable",
    "qualified": "trained",
}
_SYNONYMS.update({v: k for k, v in list(_SYNONYMS.items()) if v not in _SYNONYMS})

_OPENINGS = (
    ("the", "supplier", "shall"),
    ("the", "customer", "shall"),
    ("either", "party", "may"),
    ("the", "supplier", "shall", "not"),
    ("the", "parties", "shall"),
    ("subject", "to", "this", "clause"),
    ("without", "prejudice", "to"),
    ("any",),
)

_HEADINGS = (  # noqa: SIM905 (word lists read best as prose)
    "definitions|interpretation|commencement|term|services|supplier obligations|customer "
    "obligations|charges|payment|invoicing|taxes|service levels|service credits|change "
    "control|acceptance|personnel|subcontracting|intellectual property|licence|confidentiality|"
    "data protection|security|audit|records|insurance|warranties|indemnities|limitation of "
    "liability|force majeure|suspension|termination|consequences of termination|exit "
    "management|dispute resolution|governing law|jurisdiction|notices|assignment|waiver|"
    "severance|entire agreement|variation|counterparts|third party rights|anti-bribery|"
    "sanctions|health and safety|environment|business continuity|benchmarking|governance|"
    "reporting|milestones|delivery|risk and title|price review|set-off|non-solicitation|"
    "publicity|escrow|step-in rights|relationship of the parties|further assurance|costs"
).split("|")

_SCHEDULE_TITLES = (  # noqa: SIM905
    "services|service levels|charges|implementation plan|data processing|security "
    "requirements|exit plan|governance|key personnel|approved subcontractors"
).split("|")

_ONSETS = "b br ch d dr g h k kl l m n p pr r s sk st t tr v w z".split()  # noqa: SIM905
_NUCLEI = "a e i o u ae ei ou ia".split()  # noqa: SIM905
_CODAS = ["", "n", "rd", "l", "r", "st", "x", "m", "ck"]
_SUFFIX = ["ford", "holm", "wick", "berg", "ton", "ley", "mark", "haven", "gate", "dale"]
_TECH_HEAD = (  # noqa: SIM905
    "cloud edge ledger payroll billing identity archive telemetry logistics customs freight "
    "treasury pension claims fleet warehouse pharmacy laboratory retail energy metering"
).split()
_TECH_TAIL = (  # noqa: SIM905
    "platform gateway module register portal service console interface index catalogue "
    "toolkit dashboard workflow repository"
).split()


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words by frequency rank and their cumulative Zipf weights (fixed for all pairs)."""
    rng = random.Random(20261204)
    seen = set(_FUNCTION) | set(_DOMAIN) | set(_SYNONYMS)
    tail: list[str] = []
    while len(tail) < 2400:
        name = "".join(
            rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
            for _ in range(rng.randint(1, 2))
        ) + rng.choice(_SUFFIX)
        if name not in seen:
            seen.add(name)
            tail.append(name.capitalize())
    for head, end in itertools.product(_TECH_HEAD, _TECH_TAIL):
        if rng.random() < 0.6:
            tail.append(f"{head}-{end}")
    rng.shuffle(tail)
    domain = list(dict.fromkeys(_DOMAIN))
    rng.shuffle(domain)
    words = list(dict.fromkeys(_FUNCTION)) + domain + tail
    cumulative = list(itertools.accumulate(1.0 / (rank + 2.5) for rank in range(len(words))))
    return words, cumulative


_WORDS, _CUMULATIVE = _vocabulary()
_NUMBER_WORDS = ["two", "three", "five", "seven", "ten", "twelve", "twenty", "fifty"]


def _word(rng: random.Random) -> str:
    return _WORDS[bisect.bisect_left(_CUMULATIVE, rng.random() * _CUMULATIVE[-1])]


def _figure(rng: random.Random) -> list[str]:
    """A figure as contracts write them: periods, amounts, rates, years, sums in words."""
    kind = rng.random()
    if kind < 0.3:
        return [str(rng.choice([5, 7, 10, 14, 20, 28, 30, 45, 60, 90])), "days"]
    if kind < 0.5:
        return [f"£{rng.randint(1, 950) * 1000:,}"]
    if kind < 0.65:
        return [f"{rng.randint(1, 40)}%"]
    if kind < 0.8:
        return [str(rng.choice([3, 6, 12, 18, 24, 36])), "months"]
    if kind < 0.9:
        return [rng.choice(_NUMBER_WORDS), "thousand", "pounds"]
    return [str(rng.randint(2026, 2040))]


def _is_figure(word: str) -> bool:
    return word[:1].isdigit() or word[:1] == "£" or word in _NUMBER_WORDS


def _words(rng: random.Random, low: int, high: int, opening: float = 0.4) -> list[str]:
    """A run of words of a length in [low, high], maybe with a stock opening and a figure."""
    out: list[str] = list(rng.choice(_OPENINGS)) if rng.random() < opening else []
    target = rng.randint(low, high)
    while len(out) < target:
        out.append(_word(rng))
    if rng.random() < 0.35:
        k = rng.randrange(len(out) // 2, len(out) + 1)
        out[k:k] = _figure(rng)
    return out


def _reword(rng: random.Random, words: list[str], heavy: bool) -> list[str]:
    """Light: one or two words swapped, added or dropped. Heavy: about a third of the words,
    synonyms first, as a redraft keeps the substance and changes the phrasing."""
    out = list(words)
    heavy = heavy and len(out) >= 9  # a third of a shorter item leaves too little to recognise
    edits = max(3, len(out) // 3) if heavy else rng.randint(1, 2)
    for _ in range(edits):
        swappable = [k for k, w in enumerate(out) if w in _SYNONYMS]
        r = rng.random()
        if swappable and r < 0.4:
            k = rng.choice(swappable)
            out[k] = _SYNONYMS[out[k]]
        elif r < 0.7 or len(out) < 6:
            out.insert(rng.randrange(len(out) + 1), _word(rng))
        else:
            del out[rng.randrange(len(out))]
    if out == words:
        out.append(_word(rng))
    return out


def _change_figures(rng: random.Random, words: list[str]) -> list[str]:
    """Every figure gets another value ("30 days" → "45 days", "five thousand" → "seven …")."""
    out = list(words)
    spots = [k for k, w in enumerate(out) if _is_figure(w)]
    if not spots:
        k = rng.randrange(len(out) // 2, len(out) + 1)
        out[k:k] = _figure(rng)
        return out
    for k in spots:
        out[k] = _other_figure(rng, out[k])
    return out


def _other_figure(rng: random.Random, word: str) -> str:
    """Another value of the same sort: a sum in words stays in words, a rate a rate."""
    if word in _NUMBER_WORDS:
        choices = _NUMBER_WORDS
    elif word.startswith("£"):
        choices = [f"£{k * 5000:,}" for k in range(1, 200)]
    elif word.endswith("%"):
        choices = [f"{k}%" for k in range(1, 41)]
    elif len(word) == 4 and word.startswith("20"):
        choices = [str(y) for y in range(2026, 2041)]
    else:
        choices = [str(k) for k in (3, 5, 6, 7, 10, 12, 14, 18, 20, 24, 28, 30, 36, 45, 60, 90)]
    return rng.choice([c for c in choices if c != word])


@dataclass(eq=False)
class _Node:
    """A node while a pair is built: its own words, its children, the old nodes it came from."""

    kind: str
    words: list[str]
    children: list[_Node] = field(default_factory=list)
    heading: str | None = None
    uid: int = -1
    origin: tuple[int, ...] = ()

    def walk(self) -> Iterator[_Node]:
        yield self
        for child in self.children:
            yield from child.walk()

    @property
    def leaf(self) -> bool:
        return not self.children


@dataclass(eq=False)
class _Division:
    """The main body (``name`` None) or a schedule/annex whose numbering restarts."""

    name: str | None  # as a path names it: "Schedule 1", "Annex B"
    heading: str  # as the text writes it: "SCHEDULE 1 - SERVICES"
    nodes: list[_Node]


@dataclass(frozen=True)
class _Style:
    """How one document lays out its structure (documents vary as real ones do)."""

    letters: str  # "(a)" or "a)"
    romans: str  # "(i)" or "i)"
    indent: int  # columns per level below the clause (0: flush)
    gap: str  # between sub-items: "\n" or "\n\n"
    upper: bool  # clause headings in capitals


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


class _Builder:
    """Draws the old document of one pair."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.headings = list(_HEADINGS)
        rng.shuffle(self.headings)
        self.uid = itertools.count()

    def heading(self) -> str:
        return self.headings.pop() if self.headings else " ".join(_word(self.rng) for _ in "ab")

    def node(self, kind: str, words: list[str], children: Sequence[_Node] = ()) -> _Node:
        n = _Node(kind, words, list(children))
        n.uid = next(self.uid)
        return n

    def clause(self) -> _Node:
        rng = self.rng
        shape = rng.random()
        if shape < 0.25:
            node = self.node(CLAUSE, _words(rng, 18, 45))
        elif shape < 0.4:
            paras = [self.node(PARA, _words(rng, 18, 45)) for _ in range(rng.randint(2, 4))]
            node = self.node(CLAUSE, [], paras)
        elif shape < 0.8:
            node = self.node(CLAUSE, [], self.decimals())
        else:
            node = self.node(CLAUSE, _words(rng, 5, 12), self.letters())
        node.heading = self.heading()
        return node

    def schedule_item(self) -> _Node:
        rng = self.rng
        shape = rng.random()
        if shape < 0.5:
            return self.node(ITEM, _words(rng, 10, 32))
        if shape < 0.75:
            return self.node(ITEM, _words(rng, 4, 9, opening=0), self.decimals(plain=True))
        return self.node(ITEM, _words(rng, 5, 12), self.letters())

    def decimals(self, plain: bool = False) -> list[_Node]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(2, 5)):
            shape = rng.random()
            if shape < 0.65 or plain:
                out.append(self.node(DECIMAL, _words(rng, 12, 34)))
            elif shape < 0.93:
                out.append(self.node(DECIMAL, _words(rng, 5, 12), self.letters()))
            else:
                subs = [self.node(DECIMAL, _words(rng, 10, 26)) for _ in range(rng.randint(2, 3))]
                out.append(self.node(DECIMAL, _words(rng, 8, 20), subs))
        return out

    def letters(self) -> list[_Node]:
        rng = self.rng
        out = []
        for _ in range(rng.randint(2, 6)):
            if rng.random() < 0.15:
                romans = [self.node(ROMAN, _words(rng, 5, 15)) for _ in range(rng.randint(2, 4))]
                out.append(self.node(LETTER, _words(rng, 4, 10), romans))
            else:
                out.append(self.node(LETTER, _words(rng, 6, 22)))
        return out

    def fresh_like(self, sibling: _Node, fresh: itertools.count[int]) -> _Node:
        """A new node of a sibling's kind (an inserted item), with new ids."""
        rng = self.rng
        if sibling.kind == CLAUSE:
            node = self.clause()
        elif sibling.kind == ITEM:
            node = self.schedule_item()
        elif sibling.kind == PARAGRAPH:
            node = self.node(PARAGRAPH, _words(rng, 25, 70))
        elif sibling.kind == DECIMAL:
            node = self.node(DECIMAL, _words(rng, 12, 34))
        elif sibling.kind == LETTER:
            node = self.node(LETTER, _words(rng, 6, 22))
        elif sibling.kind == ROMAN:
            node = self.node(ROMAN, _words(rng, 5, 15))
        else:
            node = self.node(PARA, _words(rng, 18, 45))
        for n in node.walk():
            n.uid, n.origin = next(fresh), ()
        return node


def _old_document(kind: str, b: _Builder) -> list[_Division]:
    rng = b.rng
    if kind == "unnumbered":
        paras = [b.node(PARAGRAPH, _words(rng, 25, 70)) for _ in range(rng.randint(12, 28))]
        return [_Division(None, "", paras)]
    if kind == "clauses":
        return [_Division(None, "", [b.clause() for _ in range(rng.randint(12, 20))])]
    divisions = [_Division(None, "", [b.clause() for _ in range(rng.randint(6, 10))])]
    annex = rng.random() < 0.35
    titles = rng.sample(_SCHEDULE_TITLES, 3)
    for k in range(rng.randint(1, 3)):
        number = "ABC"[k] if annex else str(k + 1)
        keyword = "Annex" if annex else "Schedule"
        dash = rng.choice([" - ", " – ", ": "])
        heading = f"{keyword.upper()} {number}{dash}{titles[k].upper()}"
        items = [b.schedule_item() for _ in range(rng.randint(3, 7))]
        divisions.append(_Division(f"{keyword} {number}", heading, items))
    return divisions


# ---------------------------------------------------------------------------------------------
# Rendering: the text and every item's path


def _roman(n: int) -> str:
    out = ""
    for value, digits in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out, n = out + digits, n - value
    return out


def _sentence(words: Sequence[str], end: str, lower: bool = False) -> str:
    text = " ".join(words)
    if not lower:
        if words and _is_figure(words[0]):
            text = "The " + text
        text = text[:1].upper() + text[1:]
    return text + end


def _render(divisions: Sequence[_Division], style: _Style) -> tuple[str, list[tuple[Item, int]]]:
    """The document's text and, for each item, its record and its node's uid."""
    blocks: list[str] = []
    items: list[tuple[Item, int]] = []

    def add(path: str, level: int, label: str, top: str, node: _Node) -> None:
        items.append((Item(path, level, label, top, node.uid), node.uid))

    def sub(node: _Node, path: str, number: str, top: str, level: int, closing: bool) -> list[str]:
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
            elif child.kind in (LETTER, ROMAN):
                mark = chr(ord("a") + k - 1) if child.kind == LETTER else _roman(k)
                fmt = style.letters if child.kind == LETTER else style.romans
                written = fmt.replace("a" if child.kind == LETTER else "i", mark, 1)
                cpath = f"{path}({mark})"
                end = ":" if child.children else ("." if last else ";")
                add(cpath, level, mark, top, child)
                lines.append(f"{pad}{written} {_sentence(child.words, end, lower=True)}")
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
            number = str(k)
            path = prefix + number
            add(path, 0, number, path, node)
            if node.kind == CLAUSE:
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
                first = k == 0 and node.kind == CLAUSE
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
    children: Sequence[_Node], counterparts: Sequence[_Node], split: frozenset[int] | set[int]
) -> tuple[set[int], bool]:
    """Uids of the one-to-one children that moved among their matched siblings, and whether
    that answer is unique. Children that came from the counterpart parent's children are
    matched; a merge stands at its first part's place, a split's parts at their origin's
    place, once; only one-to-one children (not merges, not split parts) are called moved."""
    place = {c.uid: k for k, c in enumerate(counterparts)}
    keys: list[int] = []
    owners: list[_Node] = []
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


# ---------------------------------------------------------------------------------------------
# Editing: the new version, every node knowing the old nodes it came from

Parent = _Node | _Division


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


def _parents(divisions: Sequence[_Division]) -> dict[int, Parent]:
    out: dict[int, Parent] = {}
    for division in divisions:
        for node in division.nodes:
            out[node.uid] = division
            for n in node.walk():
                for child in n.children:
                    out[child.uid] = n
    return out


def _depths(divisions: Sequence[_Division]) -> dict[int, int]:
    out: dict[int, int] = {}

    def visit(node: _Node, depth: int) -> None:
        out[node.uid] = depth
        for child in node.children:
            visit(child, depth + 1)

    for division in divisions:
        for node in division.nodes:
            visit(node, 0)
    return out


def _children(parent: Parent) -> list[_Node]:
    return parent.nodes if isinstance(parent, _Division) else parent.children


class _Editor:
    """Derives the new version from the old one and records what it did."""

    def __init__(self, old: list[_Division], b: _Builder, rates: Rates) -> None:
        self.old, self.b, self.rng, self.rates = old, b, b.rng, rates
        self.old_parent = _parents(old)
        self.roles: dict[int, str] = {}
        self.partner: dict[int, _Node] = {}
        self.removed: dict[int, int] = {}  # id(parent) → children leaving it
        self.fresh = itertools.count(1_000_000)
        self.split_origins: set[int] = set()
        self.new_of: dict[int, _Node] = {}
        self.events: list[tuple[str, int | None, int | None]] = []
        self.intended: set[tuple[int, int]] = set()  # (old uid, new uid) moved on purpose

    # -- roles on the old tree -----------------------------------------------------------------

    def _ancestors(self, node: _Node) -> Iterator[_Node]:
        parent = self.old_parent.get(node.uid)
        while isinstance(parent, _Node):
            yield parent
            parent = self.old_parent.get(parent.uid)

    def _free(self, node: _Node) -> bool:
        """No structural edit on the node, its ancestors or its descendants."""
        return not any(n.uid in self.roles for n in (*node.walk(), *self._ancestors(node)))

    def _can_leave(self, node: _Node, count: int = 1) -> bool:
        parent = self.old_parent[node.uid]
        floor = 3 if isinstance(parent, _Division) else 2
        return len(_children(parent)) - self.removed.get(id(parent), 0) - count >= floor

    def _leave(self, node: _Node) -> None:
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
            self._pick_merges(order, _count(merge, len(group), least))
            wanted, picked = _count(split, len(group), least), 0
            for node in order:
                if picked < wanted and node.leaf and len(node.words) >= 16 and self._free(node):
                    self.roles[node.uid] = "split"
                    picked += 1
            wanted, picked = _count(delete, len(group), False), 0
            for node in order:
                if picked < wanted and self._free(node) and self._can_leave(node):
                    self.roles[node.uid] = "delete"
                    self._leave(node)
                    picked += 1
        movable = [n for n in subs if n.kind in (DECIMAL, LETTER)]
        rng.shuffle(movable)
        wanted, picked = _count(r.sub_move_across, len(subs), bool(subs)), 0
        for node in movable:
            if picked < wanted and self._free(node) and self._can_leave(node):
                self.roles[node.uid] = "move"
                self._leave(node)
                picked += 1
        for node in (*tops, *subs):
            if node.uid in self.roles or not node.words:
                continue
            top = isinstance(self.old_parent[node.uid], _Division)
            share = r.top_reword if top else r.sub_reword
            x = rng.random()
            if x < share:
                self.roles[node.uid] = "heavy" if rng.random() < r.heavy else "light"
            elif x < share + (r.top_figures if top else r.sub_figures):
                self.roles[node.uid] = "figures"

    def _pick_merges(self, order: Sequence[_Node], wanted: int) -> None:
        picked = 0
        for node in order:
            if picked >= wanted:
                break
            siblings = _children(self.old_parent[node.uid])
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

    def _new(self, node: _Node, words: list[str], origin: tuple[int, ...], heading=None) -> _Node:
        n = _Node(node.kind, words, [], heading if heading else node.heading, next(self.fresh))
        n.origin = origin
        return n

    def copy(self, node: _Node) -> list[_Node]:
        rng, role = self.rng, self.roles.get(node.uid)
        if role in ("delete", "merged-away"):
            self.events.append((role.replace("merged-away", "merged"), node.uid, None))
            return []
        if role == "merge":
            other = self.partner[node.uid]
            joined = node.words + (["and"] if rng.random() < 0.5 else []) + other.words
            merged = self._new(node, _reword(rng, joined, False), (node.uid, other.uid))
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
                heading = self.b.heading() if k and node.kind == CLAUSE else None
                out.append(self._new(node, _reword(rng, part, False), (node.uid,), heading))
            self.split_origins.add(node.uid)
            self.events.append(("split", node.uid, out[0].uid))
            return out
        words = node.words
        if role in ("light", "heavy"):
            words = _reword(rng, words, role == "heavy")
            self.events.append((f"reword ({role})", node.uid, None))
        elif role == "figures":
            words = _change_figures(rng, words)
            self.events.append(("figures", node.uid, None))
        new = self._new(node, words, (node.uid,))
        self.new_of[node.uid] = new
        for child in node.children:
            new.children.extend(self.copy(child))
        return [new]

    def build(self) -> list[_Division]:
        new = []
        for division in self.old:
            nodes = [n for node in division.nodes for n in self.copy(node)]
            new.append(_Division(division.name, division.heading, nodes))
        return new

    # -- moves ----------------------------------------------------------------------------------

    def move_across(self, new: list[_Division]) -> None:
        """Each sub-item chosen to move goes to another list of its kind, preferably in another
        point (or a schedule), reworded lightly now and then."""
        rng = self.rng
        for uid, role in self.roles.items():
            if role != "move":
                continue
            node = self.new_of[uid]
            parents = _parents(new)
            here = parents[node.uid]
            own = {n.uid for n in node.walk()}
            tops = {n.uid: t for d in new for t in d.nodes for n in t.walk()}
            depth = _depths(new)
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
                and (node.kind != LETTER or len(n.children) < _LIST_CAP)
            ]
            if not targets:
                continue
            away = [t for t in targets if tops[t.uid] is not tops[node.uid]]
            scheduled = [t for t in away if self._in_schedule(new, t)]
            pool = scheduled if scheduled and rng.random() < 0.5 else (away or targets)
            target = rng.choice(pool)
            _children(here).remove(node)
            target.children.insert(self._place(target.children), node)
            if rng.random() < 0.4:
                node.words = _reword(rng, node.words, False)
            self.intended.add((uid, node.uid))
            self.events.append(("move across", uid, node.uid))

    @staticmethod
    def _in_schedule(new: Sequence[_Division], node: _Node) -> bool:
        return any(d.name and any(node in t.walk() for t in d.nodes) for d in new)

    def _counterpart(self, parent: Parent, new: Sequence[_Division]) -> Parent | None:
        """The old parent whose children a new parent's matched children came from."""
        if isinstance(parent, _Division):
            return self.old[[id(d) for d in new].index(id(parent))]
        if len(parent.origin) != 1:
            return None
        for d in self.old:
            for t in d.nodes:
                for n in t.walk():
                    if n.uid == parent.origin[0]:
                        return n
        return None

    def _try_moves(self, parent: Parent, new: Sequence[_Division], count: int, gap: int) -> None:
        """Move ``count`` one-to-one children at least ``gap`` matched places, kept apart, keeping
        only the moves after which the moved set is the unique smallest one."""
        rng = self.rng
        old_parent = self._counterpart(parent, new)
        if old_parent is None:
            return
        siblings = _children(parent)
        done: list[_Node] = []
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
                siblings, _children(old_parent), frozenset(self.split_origins)
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

    def move_within(self, new: list[_Division]) -> None:
        rng, r = self.rng, self.rates
        for division in new:
            n = len(division.nodes)
            count = _count(r.top_move, n, division.name is None) if n >= 6 else 0
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

    def _clean(self, node: _Node) -> bool:
        """All children came one-to-one from the node's counterpart (no merge, split or
        arrival among them), so a move within it has one reading."""
        return all(
            len(c.origin) == 1
            and c.origin[0] not in self.split_origins
            and self.old_parent.get(c.origin[0]) is not None
            and getattr(self.old_parent[c.origin[0]], "uid", None) == node.origin[0]
            for c in node.children
        )

    def _parts(self, a: _Node, b: _Node) -> bool:
        """Whether two nodes are parts of one split (which stay side by side)."""
        return a.origin == b.origin and len(a.origin) == 1 and a.origin[0] in self.split_origins

    def _place(self, siblings: Sequence[_Node]) -> int:
        """A random place in a list that does not come between the parts of a split."""
        at = self.rng.randrange(len(siblings) + 1)
        while 0 < at < len(siblings) and self._parts(siblings[at - 1], siblings[at]):
            at += 1
        return at

    # -- insertions -----------------------------------------------------------------------------

    def insert(self, new: list[_Division]) -> None:
        rng, r = self.rng, self.rates
        tops = sum(len(d.nodes) for d in new)
        for _ in range(_count(r.top_insert, tops, False)):
            division = rng.choice([d for d in new for _ in d.nodes])
            fresh = self.b.fresh_like(rng.choice(division.nodes), self.fresh)
            division.nodes.insert(self._place(division.nodes), fresh)
            self.events.append(("insert", None, fresh.uid))
        lists = [n for d in new for t in d.nodes for n in t.walk() if n.children]
        subs = sum(len(n.children) for n in lists)
        for _ in range(_count(r.sub_insert, subs, False)):
            parent = rng.choice(lists)
            if parent.children[0].kind in (LETTER, ROMAN) and len(parent.children) >= _LIST_CAP:
                continue
            fresh = self.b.fresh_like(rng.choice(parent.children), self.fresh)
            parent.children.insert(self._place(parent.children), fresh)
            self.events.append(("insert", None, fresh.uid))


def _count(rate: float, n: int, at_least_one: bool) -> int:
    return max(1 if at_least_one and n else 0, round(rate * n))


def _style(rng: random.Random) -> _Style:
    return _Style(
        letters="(a)" if rng.random() < 0.75 else "a)",
        romans="(i)" if rng.random() < 0.75 else "i)",
        indent=rng.choice([0, 0, 3, 4]),
        gap="\n" if rng.random() < 0.6 else "\n\n",
        upper=rng.random() < 0.7,
    )


def generate(kind: str, seed: int, index: int = 0, rates: Rates | None = None) -> NestedPair:
    """The ``index``-th pair of ``kind`` for ``seed``: old text, new text and the truth."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}: expected one of {', '.join(KINDS)}")
    rng = random.Random(f"plandiff-nested/{kind}/{seed}/{index}")
    b = _Builder(rng)
    old = _old_document(kind, b)
    style = _style(rng)
    editor = _Editor(old, b, rates or Rates())
    editor.assign()
    new = editor.build()
    editor.move_across(new)
    editor.move_within(new)
    editor.insert(new)
    old_text, old_items = _render(old, style)
    new_text, new_items = _render(new, style)
    return _truth(kind, seed, index, editor, old, new, old_text, new_text, old_items, new_items)


def _truth(
    kind: str,
    seed: int,
    index: int,
    editor: _Editor,
    old: list[_Division],
    new: list[_Division],
    old_text: str,
    new_text: str,
    old_items: list[tuple[Item, int]],
    new_items: list[tuple[Item, int]],
) -> NestedPair:
    old_path = {uid: item.path for item, uid in old_items}
    new_item = {uid: item for item, uid in new_items}
    old_item = {uid: item for item, uid in old_items}
    split = frozenset(editor.split_origins)
    links: set[tuple[str, str]] = set()
    merges: list[tuple[tuple[str, ...], str]] = []
    parts: dict[int, list[str]] = {}
    moved: set[tuple[str, str]] = set()
    renumbered: set[tuple[str, str]] = set()
    new_parent = _parents(new)
    order_cache: dict[int, set[int]] = {}
    origin_of = {n.uid: n.origin for d in new for t in d.nodes for n in t.walk()}
    for item, uid in new_items:
        node_origin = origin_of[uid]
        for o in node_origin:
            links.add((old_path[o], item.path))
        if len(node_origin) > 1:
            merges.append((tuple(old_path[o] for o in node_origin), item.path))
            continue
        if not node_origin:
            continue
        (o,) = node_origin
        if o in split:
            parts.setdefault(o, []).append(item.path)
            continue
        pair = (old_path[o], item.path)
        old_label, new_label = old_item[o].label, item.label
        if old_label and new_label and old_label != new_label:
            renumbered.add(pair)
        parent = new_parent[uid]
        counterpart = editor._counterpart(parent, new)
        if counterpart is None or editor.old_parent[o] is not counterpart:
            moved.add(pair)
            continue
        key = id(parent)
        if key not in order_cache:
            order_cache[key], _ = moved_by_order(_children(parent), _children(counterpart), split)
        if uid in order_cache[key]:
            moved.add(pair)
    intended = frozenset((old_path[o], new_item[n].path) for o, n in editor.intended)
    edits = tuple(
        " ".join(
            [verb]
            + ([old_path[o]] if o is not None else [])
            + (["→", new_item[n].path] if n is not None else [])
        )
        for verb, o, n in editor.events
    )
    return NestedPair(
        kind=kind,
        seed=seed,
        index=index,
        old_text=old_text,
        new_text=new_text,
        old_items=tuple(item for item, _ in old_items),
        new_items=tuple(item for item, _ in new_items),
        links=frozenset(links),
        moved=frozenset(moved),
        renumbered=frozenset(renumbered),
        merges=tuple(merges),
        splits=tuple((old_path[o], tuple(paths)) for o, paths in parts.items() if len(paths) > 1),
        intended_moves=intended,
        edits=edits,
    )
