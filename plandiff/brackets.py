"""Unagreed text in a negotiating draft: the language its square brackets hold.

Treaty and UN drafts mark words the parties have not yet agreed with square brackets, often
as alternatives side by side (``[shall] [should]``) or inside one pair (``[30/60] days``).
Square brackets also carry much that is not a negotiating mark: footnote and reference marks
(``[1]``, ``[a]``, ``[^2]``), neutral citations (``[2019] UKSC 5``), editorial insertions
(``[sic]``, ``[…]``, ``[emphasis added]``), Markdown links (``[text](url)``) and checkboxes.
A span counts as bracketed text only when it holds words: at least one run of two letters,
and not one of the editorial phrases. A quoted insertion of a word (``"[t]he Parties"``) is a
single letter and so is left alone as well.

Pure: a text in, spans out.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["BracketGroup", "BracketSpan", "bracket_groups", "bracketed_spans", "unbracketed"]

#: What editors put in brackets that no negotiator did (compared lower-cased, stripped).
EDITORIAL = frozenset(
    (
        "sic",
        "sic!",
        "emphasis added",
        "emphasis in original",
        "emphasis mine",
        "citation omitted",
        "citations omitted",
        "footnote omitted",
        "footnotes omitted",
        "internal quotation marks omitted",
        "omitted",
        "translation",
        "translated",
        "redacted",
        "illegible",
        "inaudible",
        "unclear",
        "see note",
        "ibid",
        "ibid.",
        "id.",
    )
)
#: A word of the bracketed language: two letters in a row, in any script.
_WORD = re.compile(r"[^\W\d_]{2,}")
#: Figures offered as alternatives inside one pair: ``[30/60]``, ``[2,5 / 3]``.
_FIGURE_ALTERNATIVES = re.compile(r"\d[\d,.]*(?:\s*/\s*\d[\d,.]*)+")
#: What makes a bracketed phrase a reference rather than language: an address, a page or
#: number mark, a document symbol or act number (``A/80/L.2``, ``(EU) 2016/679``, ``OJ L 257``).
_REFERENCE = re.compile(
    r"https?://|\bELI:|\b(?:p|pp|No|Nos|Vol|Art)\.\s*\d|\bPage\s+\d|\b[A-Z]{1,4}/\d|"
    r"\w\)?\s*\d+/\d+\b|\bOJ\s+[A-Z]\b"
)
#: Notes to an editor or a reader that begin the bracket: not language under negotiation.
_NOTE = re.compile(
    r"^(?:\w+\s+)?(?:ed\.?\s+note|note|editor|drafting note)\b|^(?:e\.g\.|ex\.|i\.e\.)",
    re.IGNORECASE,
)
#: A citation key: one capitalised token (``[DS-IANA]``, ``[ISO]``), letters, digits, - and .
_KEY = re.compile(r"[A-Z][A-Z0-9.\-]+")
#: Between two bracket groups that are alternatives: blanks, a slash or the word "or".
_BETWEEN_ALTERNATIVES = re.compile(r"\s*(?:/|\bor\b)?\s*", re.IGNORECASE)


class BracketSpan(NamedTuple):
    """One outermost ``[ … ]`` holding unagreed language: ``start``/``end`` are code-point
    offsets of the brackets themselves in the text, ``inner`` what they hold."""

    start: int
    end: int
    inner: str

    @property
    def options(self) -> tuple[str, ...]:
        """The alternatives inside one pair (``30/60`` → ``30``, ``60``), else the whole."""
        if "/" in self.inner and "[" not in self.inner:
            parts = tuple(p.strip() for p in self.inner.split("/"))
            if all(parts):
                return parts
        return (self.inner.strip(),)


class BracketGroup(NamedTuple):
    """Bracketed spans that stand side by side as alternatives (``[A] [B]``, ``[A] / [B]``),
    or a single span; ``options`` lists every alternative the group offers, in order."""

    spans: tuple[BracketSpan, ...]

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(o for s in self.spans for o in s.options)

    @property
    def start(self) -> int:
        return self.spans[0].start

    @property
    def end(self) -> int:
        return self.spans[-1].end


def _pairs(text: str) -> list[tuple[int, int]]:
    """The outermost balanced ``[``…``]`` pairs (end exclusive); an unmatched bracket is text."""
    out: list[tuple[int, int]] = []
    depth, opened = 0, -1
    for i, ch in enumerate(text):
        if ch == "[":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == "]" and depth:
            depth -= 1
            if depth == 0:
                out.append((opened, i + 1))
    return out


def _negotiated(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (brackets included) holds language, not a mark."""
    inner = text[start + 1 : end - 1]
    bare = inner.strip()
    if _FIGURE_ALTERNATIVES.fullmatch(bare):
        return True
    if not _WORD.search(bare) or bare.lower() in EDITORIAL or bare.startswith(("^", "…")):
        return False
    if not any(c.isspace() for c in bare) and any(c.isdigit() for c in bare):
        return False  # a reference mark: [RFC2119], [A1], [Fig3]
    if _KEY.fullmatch(bare) or _REFERENCE.search(bare) or _NOTE.match(bare.lstrip("* ")):
        return False
    if end < len(text) and text[end] == "(":  # a Markdown link: [text](url)
        return False
    return not (start and text[start - 1] == "!")  # a Markdown image: ![alt](src)


def bracketed_spans(text: str) -> tuple[BracketSpan, ...]:
    """Every outermost bracket pair of ``text`` that holds unagreed language, in text order."""
    if "[" not in text:
        return ()
    return tuple(
        BracketSpan(s, e, text[s + 1 : e - 1]) for s, e in _pairs(text) if _negotiated(text, s, e)
    )


def bracket_groups(text: str) -> tuple[BracketGroup, ...]:
    """The bracketed spans of ``text``, adjacent alternatives grouped."""
    groups: list[list[BracketSpan]] = []
    for span in bracketed_spans(text):
        if groups:
            last = groups[-1][-1]
            between = text[last.end : span.start]
            if _BETWEEN_ALTERNATIVES.fullmatch(between):
                groups[-1].append(span)
                continue
        groups.append([span])
    return tuple(BracketGroup(tuple(g)) for g in groups)


def unbracketed(text: str) -> str:
    """``text`` with the brackets of its bracketed spans taken away, the words kept."""
    out: list[str] = []
    last = 0
    for span in bracketed_spans(text):
        out += [text[last : span.start], span.inner]
        last = span.end
    out.append(text[last:])
    return "".join(out)
