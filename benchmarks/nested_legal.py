"""The legal document kinds of the nested benchmark: US bills and contracts of articles.

- ``bills``: sections ``SECTION 1.`` / ``SEC. 2. DEFINITIONS.`` holding the United States
  Code's hierarchy: subsections ``(a)`` with a heading (``(a) In General.—…`` or
  ``(a) IN GENERAL.--…``), paragraphs ``(1)`` (now and then with headings of their own),
  subparagraphs ``(A)``, clauses ``(i)`` and subclauses ``(I)``; flush or indented as the
  Government Publishing Office prints them;
- ``articles``: a credit agreement's ``ARTICLE 7`` headings over sections ``Section 7.01
  Payment. …`` (numbers with two-digit parts: ``7.01`` … ``7.10``), whose lists run
  ``(a)``, ``(i)``. The segmenter takes the sections as the top level, as a reader cites them
  (``7.01``, ``7.01(b)(ii)``); an article is a heading whose number its sections extend.

The words, edits and truth are the other kinds' (:mod:`nested_docs`, :mod:`nested_edits`).
"""

from __future__ import annotations

import itertools
import random
from dataclasses import replace

from nested_docs import (
    BILL_SECTION,
    LETTER,
    NUMBERED,
    ROMAN,
    SECTION,
    UPPER,
    UPPER_ROMAN,
    Builder,
    Division,
    Node,
    Style,
)
from nested_words import draw_words

KINDS = ("bills", "articles")
_LEGAL = (BILL_SECTION, SECTION, NUMBERED, UPPER, UPPER_ROMAN)


class LegalBuilder(Builder):
    """Draws the old document of a bill or a contract of articles."""

    def bill_section(self) -> Node:
        rng = self.rng
        if rng.random() < 0.25:
            node = self.node(BILL_SECTION, draw_words(rng, 14, 40))
        else:
            subsections = [self.subsection() for _ in range(rng.randint(2, 5))]
            node = self.node(BILL_SECTION, [], subsections)
        node.heading = self.heading()
        return node

    def subsection(self) -> Node:
        rng = self.rng
        if rng.random() < 0.45:
            node = self.node(LETTER, draw_words(rng, 10, 30))
        else:
            node = self.node(LETTER, draw_words(rng, 5, 12), self.numbered())
        node.heading = self.heading()
        return node

    def numbered(self) -> list[Node]:
        rng = self.rng
        headed = rng.random() < 0.3  # "(1) Secretary.—The term …"
        out = []
        for _ in range(rng.randint(2, 5)):
            if rng.random() < 0.7:
                node = self.node(NUMBERED, draw_words(rng, 8, 25))
            else:
                node = self.node(NUMBERED, draw_words(rng, 4, 10), self.lower_list(UPPER))
            if headed:
                node.heading = self.heading()
            out.append(node)
        return out

    def lower_list(self, kind: str) -> list[Node]:
        """A list of ``kind`` (UPPER, ROMAN or UPPER_ROMAN), now and then with a list of the
        next kind inside an item."""
        rng = self.rng
        below = {UPPER: ROMAN, ROMAN: UPPER_ROMAN}.get(kind)
        out = []
        for _ in range(rng.randint(2, 4) if kind == UPPER else rng.randint(2, 3)):
            if below is not None and rng.random() < (0.2 if kind == UPPER else 0.15):
                out.append(self.node(kind, draw_words(rng, 4, 10), self.lower_list(below)))
            else:
                out.append(self.node(kind, draw_words(rng, 5, 18)))
        return out

    def article_section(self) -> Node:
        rng = self.rng
        if rng.random() < 0.3:
            node = self.node(SECTION, draw_words(rng, 14, 40))
        else:
            node = self.node(SECTION, draw_words(rng, 5, 12), self.letters())
        node.heading = self.heading()
        return node

    def fresh_like(self, sibling: Node, fresh: itertools.count[int]) -> Node:
        """A new node of a sibling's kind, headed as its siblings are."""
        if sibling.kind not in _LEGAL and not sibling.heading:
            return super().fresh_like(sibling, fresh)
        rng = self.rng
        if sibling.kind == BILL_SECTION:
            node = self.bill_section()
        elif sibling.kind == SECTION:
            node = self.article_section()
        else:
            node = self.node(sibling.kind, draw_words(rng, 8, 22))
            if sibling.heading:
                node.heading = self.heading()
        for n in node.walk():
            n.uid, n.origin = next(fresh), ()
        return node


def legal_document(kind: str, b: LegalBuilder) -> list[Division]:
    rng = b.rng
    if kind == "bills":
        return [Division(None, "", [b.bill_section() for _ in range(rng.randint(5, 10))])]
    divisions = []
    roman = rng.random() < 0.3
    for n in range(1, rng.randint(3, 6) + 1):
        title = b.heading().upper()
        number = ("I", "II", "III", "IV", "V", "VI")[n - 1] if roman else str(n)
        layout = rng.choice(["{n}\n{t}", "{n} - {t}", "{n}. {t}"])
        heading = "ARTICLE " + layout.format(n=number, t=title)
        sections = [b.article_section() for _ in range(rng.randint(2, 7))]
        divisions.append(Division(None, heading, sections, numbering=str(n)))
    return divisions


def legal_style(kind: str, rng: random.Random, style: Style) -> Style:
    """A drawn style made a bill's or an agreement's: bracketed labels throughout; a bill's
    headings end ``.—`` or ``.--`` and it is flush or indented by four."""
    if kind == "bills":
        return replace(
            style,
            letters="(a)",
            romans="(i)",
            indent=rng.choice([0, 4]),
            dash=rng.choice([".—", ".--"]),
        )
    return replace(style, letters="(a)", romans="(i)")
