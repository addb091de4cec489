"""A text's lines: where each starts, where its content starts after the indentation, and
where it ends, as parallel columns (a plan can have 100,000 lines), found by C-level passes.

Shared by the marker scan (:mod:`plandiff.markers`), the choice of a series, headings and
outlines; it also names the whitespace those passes look through (:data:`STRIP`,
:data:`HSPACE`), so they all agree on what is blank.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import accumulate, repeat
from operator import add, sub

__all__ = ["HSPACE", "INDENT", "STRIP", "ZERO_WIDTH", "Lines", "columns", "split_lines"]

#: Characters that are invisible at the start of a line: zero-width spaces and joiners and the
#: byte-order mark survive copy-paste from web pages and must not hide a marker.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

#: Everything ``str.isspace`` accepts, plus the zero-width characters: what is stripped around
#: a point's body. Computed, not typed, so it cannot fall out of step with Python's Unicode.
STRIP = "".join(filter(str.isspace, map(chr, range(0x3001)))) + ZERO_WIDTH

#: Horizontal whitespace inside a line, as a character-class body.
HSPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c"
#: What a line's indentation is made of: the same whitespace, and the zero-width characters,
#: listed one by one (for ``str.lstrip`` as well as for a character class).
INDENT = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
INDENT += "\u202f\u205f\u3000\x0b\x0c" + ZERO_WIDTH

_LINE = re.compile(
    f"[{HSPACE}{ZERO_WIDTH}]*([^\r\n\u2028\u2029\x85]*)(?:\r\n|[\r\n\u2028\u2029\x85]|$)"
)


@dataclass(frozen=True, slots=True)
class Lines:
    """The input's lines, as parallel lists: a plan can have 100,000 of them."""

    text: str
    start: list[int]
    content: list[int]  # first character after the indentation
    end: list[int]  # end of the line's content, before its line break
    #: What was read from the lines once and is asked for again (the running heads, by the
    #: set of marker lines they are found around).
    memo: dict[frozenset[int], set[int]] = field(default_factory=dict, compare=False, repr=False)

    def blank(self, i: int) -> bool:
        return self.content[i] == self.end[i]

    def indent(self, i: int) -> int:
        """Indentation in columns, computed only for the few lines whose depth matters."""
        return columns(self.text, self.start[i], self.content[i])

    def stripped(self, i: int) -> str:
        return self.text[self.content[i] : self.end[i]].rstrip(STRIP)


def split_lines(text: str) -> Lines:
    """The input's lines: where each starts, where its content starts and where it ends."""
    if not any(brk in text for brk in "\r\u2028\u2029\x85"):
        # Only "\n" breaks lines (nearly every text): the same spans as _LINE finds, from
        # C-level passes rather than a step per line.
        head = text[:_SAMPLE]  # how indented the text is, judged from its start
        if len(_INDENTED.findall(head)) * 4 > head.count("\n"):
            return _indented_lines(text)
        breaks = _breaks(text)
        starts = [0, *map((1).__add__, breaks)]
        ends = [*breaks, len(text)]
        # Lines are seldom indented: the content of most starts where the line does.
        first = _INDENTATION.match(text)
        indented = dict(map(re.Match.span, _INDENTED.finditer(text)))
        rest = map(indented.get, breaks, starts[1:]) if indented else starts[1:]
        contents = [first.end() if first else 0, *rest]
        if not text or text.endswith("\n"):
            for column in (starts, contents, ends):
                column.pop()  # a break at the very end starts no line
        return Lines(text, starts, contents, ends)
    # Every position can start a (possibly empty) match, so the last match is the empty one at
    # the end of the text; it is not a line.
    spans = [(m.start(), m.start(1), m.end(1)) for m in _LINE.finditer(text)][:-1]
    if not spans:
        return Lines(text, [], [], [])
    starts, contents, ends = (list(column) for column in zip(*spans, strict=True))
    return Lines(text, starts, contents, ends)


def _breaks(text: str) -> list[int]:
    """Where each "\\n" of the text is: str.find, a memchr in C, costs a third less a line
    than a regular expression's match object (about 2 ms at 30,000 lines)."""
    breaks: list[int] = []
    append, find = breaks.append, text.find
    at = find("\n")
    while at >= 0:
        append(at)
        at = find("\n", at + 1)
    return breaks


_SAMPLE = 1 << 16
_INDENTATION = re.compile(f"[{INDENT}]+")
_INDENTED = re.compile(f"\n[{INDENT}]+")


def _indented_lines(text: str) -> Lines:
    """:func:`split_lines` for a text (broken by "\\n" only) whose lines are mostly indented."""
    parts = text.split("\n")
    if not text or text.endswith("\n"):
        parts.pop()  # a break at the very end starts no line
    sizes = list(map(len, parts))
    starts = list(accumulate(map((1).__add__, sizes), initial=0))
    starts.pop()
    ends = list(map(add, starts, sizes))
    rests = map(len, map(str.lstrip, parts, repeat(INDENT)))
    return Lines(text, starts, list(map(sub, ends, rests)), ends)


def columns(text: str, start: int, end: int) -> int:
    """Indentation width in columns; past 32 characters every line is simply 'deep'."""
    if start == end:
        return 0
    if end - start <= 32 and text.count(" ", start, end) == end - start:
        return end - start  # spaces only: as many columns
    column = 0
    for ch in text[start : min(end, start + 32)]:
        if ch == "\t":
            column = column // 4 * 4 + 4
        elif ch not in ZERO_WIDTH:
            column += 1
    return column if end - start <= 32 else max(column, 32)
