"""rich's word wrap of a ``Text``, done cheaply for text whose characters are one cell wide.

``Text.wrap`` measures every word with ``cell_len`` and builds a ``Text`` per line, then
``Text.render`` cuts the lines into styled runs; for a report of 30,000 change blocks that is
most of the time spent on it. Almost all report text is Latin, Greek, Cyrillic or punctuation,
whose characters each take one cell: there a character count is a cell count, and the lines
and their runs can be worked out from offsets alone. :func:`text_lines` does that and gives
the same segments, style for style and cut for cut, as rich; for any other text (wide or
combining characters, tabs, controls, a justification other than left) it answers None and
the caller asks rich.

The rules followed are rich's (``rich._wrap.divide_line``, ``Text.wrap``, ``Text.divide``,
``Text.rstrip_end``, ``Text.truncate``, ``Text.join`` and ``Text.render``); the property test
in ``tests/test_layout.py`` holds them to rich's output.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import pairwise
from weakref import WeakKeyDictionary

from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text

__all__ = ["SINGLE_CELLS", "Line", "breaks", "cells", "combined", "single_cells", "text_lines"]

Line = list[Segment]

#: Characters one cell wide whatever the terminal (as rich measures them): printable Latin,
#: Greek and Cyrillic, the general punctuation, arrows, mathematical operators and box drawing
#: a report is made of. Anything else is measured by rich.
SINGLE_CELLS = frozenset(
    chr(c)
    for first, last in (
        (0x20, 0x7E),
        (0xA0, 0xAC),
        (0xAE, 0x2FF),
        (0x370, 0x482),
        (0x2010, 0x2027),
        (0x2030, 0x205E),
        (0x2190, 0x22FF),
        (0x2500, 0x257F),
    )
    for c in range(first, last + 1)
)
single_cells = SINGLE_CELLS.issuperset

#: Where a word's run of non-space characters ends, and where the next one starts (``\s`` as
#: rich's word pattern reads it).
_WORD_END = re.compile(r"\s|$")
_WORD_START = re.compile(r"\S")
_SPACES = re.compile(r"\s*")
_LAST_SPACE = re.compile(r".*\s", re.S)


def cells(text: str) -> int:
    """Cells taken by ``text`` (``cell_len``, quicker for one-cell characters)."""
    if single_cells(text):
        return len(text)
    return cell_len(text)


def breaks(line: str, width: int, fold: bool) -> list[int]:
    """Where rich's ``divide_line`` breaks a line of one-cell characters at ``width``.

    rich walks the words one by one (a word is its non-space run with the spaces after it;
    the first also takes the spaces before it); a word goes to the next line when its
    non-space run would end past the line's width. This finds each such word directly: the
    first word whose run covers the cell just past the line, so the cost is per line, not
    per word. A word longer than a whole line is folded into pieces of ``width`` cells (or,
    without ``fold``, left to run over).
    """
    size = len(line)
    out: list[int] = []
    if size <= width:
        return out
    first = _WORD_START.search(line)
    if first is None:
        return out
    lead = first.start()  # the first word starts at 0, spaces before it included
    start = 0  # where the current line starts, in rich's count of cells used
    at = 0  # the first character not yet placed
    while True:
        edge = start + width
        if edge >= size or at >= size:
            return out
        if edge < at:  # a word left to run over: every next word starts a line
            word = at
        elif line[edge].isspace():
            found = _WORD_START.search(line, edge)
            if found is None:
                return out
            word = found.start()
        else:
            space = _LAST_SPACE.match(line, at, edge)
            word = space.end() if space is not None else at
        if word == lead:
            word = 0
        found_end = _WORD_END.search(line, max(word, lead))
        run_end = found_end.start() if found_end is not None else size
        if run_end - word > width:  # longer than a line: folded, or left to run over
            spaces = _SPACES.match(line, run_end)
            end = spaces.end() if spaces is not None else run_end
            if not fold:
                if word:
                    out.append(word)
                start, at = word, end
                continue
            piece = word
            while True:
                if piece:
                    out.append(piece)
                if end - piece <= width:
                    break
                piece += width
            start, at = piece, end
            continue
        out.append(word)
        start = at = word


def text_lines(
    console: Console, text: Text, width: int, justify: str, overflow: str, no_wrap: bool
) -> list[Line] | None:
    """The lines ``Text.wrap`` would make of ``text`` at ``width``, as styled segments, or
    None when the text is not all one-cell characters (or asks for a layout not done here).

    ``justify``, ``overflow`` and ``no_wrap`` are the values rich would use (the text's own
    settings already applied).
    """
    plain = text.plain
    if (
        width < 1
        or justify not in ("default", "left")
        or overflow not in ("fold", "ellipsis", "crop")
        or not single_cells(plain.replace("\n", ""))
    ):
        return None
    bare = console.color_system is None  # only the characters are written, no styles
    if justify == "default" and len(plain) <= width and "\n" not in plain:
        # One line with room to spare: nothing to break, strip, cut or pad.
        if bare:
            return [[Segment(plain)] if plain else []]
        return [[Segment(plain[a:b], style) for a, b, style, _ in style_runs(console, text)]]
    ranges: list[tuple[int, int]] = []
    offset = 0
    for line in plain.split("\n"):
        size = len(line)
        if no_wrap:
            ranges.append((offset, offset + size))
        else:
            cuts = [0, *breaks(line, width, overflow == "fold"), size]
            for a, b in pairwise(cuts):
                if b - a > width:  # rich drops what spaces it can from a line's end
                    piece = line[a:b]
                    b -= min(len(piece) - len(piece.rstrip()), b - a - width)
                ranges.append((offset + a, offset + b))
        offset += size + 1
    if bare:
        return _bare_lines(plain, ranges, width, justify, overflow)
    runs = style_runs(console, text)
    base = combined(console, (text.style,)) if text.style else None
    count = len(runs)
    out: list[Line] = []
    at = 0  # the first run that may reach into the next line
    for a, b in ranges:
        cut = b - a > width
        if cut:
            b = a + width
        while at < count and runs[at][1] <= a:
            at += 1
        line_runs: Line = []
        n = at
        while n < count and runs[n][0] < b:
            first, last, style, _ = runs[n]
            line_runs.append(Segment(plain[max(first, a) : min(last, b)], style))
            n += 1
        if cut and overflow == "ellipsis":
            text_, style = line_runs[-1].text, line_runs[-1].style
            line_runs[-1] = Segment(text_[:-1] + "…", style)
        elif justify == "left" and b - a < width:
            # The padding is covered by the text's own style alone: it joins a last run that
            # no span covers, else it is a run of its own.
            pad = " " * (width - (b - a))
            if line_runs and runs[n - 1][3]:
                line_runs.append(Segment(pad, base))
            elif line_runs:
                line_runs[-1] = Segment(line_runs[-1].text + pad, line_runs[-1].style)
            else:
                line_runs.append(Segment(pad, base))
        out.append(line_runs)
    return out


def _bare_lines(
    plain: str, ranges: list[tuple[int, int]], width: int, justify: str, overflow: str
) -> list[Line]:
    """:func:`text_lines` for a console that writes no styles: one run a line."""
    out: list[Line] = []
    for a, b in ranges:
        line = plain[a : min(b, a + width)]
        if b - a > width:
            if overflow == "ellipsis":
                line = line[:-1] + "…"
        elif justify == "left":
            line += " " * (width - (b - a))
        out.append([Segment(line)] if line else [])
    return out


def style_runs(console: Console, text: Text) -> Sequence[tuple[int, int, Style | None, bool]]:
    """The text cut into runs as ``Text.render`` cuts it: a run ends wherever a span starts or
    ends, and has the styles of the spans over it combined in their order (the text's own
    style first). Each run: start, end, style, and whether any span covers it."""
    size = len(text.plain)
    base = text.style
    head: tuple[str | Style, ...] = (base,) if base else ()
    known = _known(console)
    plain_style = (known.get(head) or combined(console, head)) if head else None
    spans = text.spans
    if not spans:
        return [(0, size, plain_style, False)] if size else []
    out: list[tuple[int, int, Style | None, bool]] = []
    done = 0
    for first, last, style in spans:  # mostly spans one after another: one run each
        last = min(last, size)
        if first < done or first >= last:
            return _overlapping(console, text, head, plain_style)
        if first > done:
            out.append((done, first, plain_style, False))
        styles = (*head, style)
        out.append((first, last, known.get(styles) or combined(console, styles), True))
        done = last
    if done < size:
        out.append((done, size, plain_style, False))
    return out


def _overlapping(
    console: Console, text: Text, head: tuple[str | Style, ...], plain_style: Style | None
) -> list[tuple[int, int, Style | None, bool]]:
    """:func:`style_runs` of spans that overlap (or come out of order)."""
    size = len(text.plain)
    spans = text.spans
    opens: dict[int, list[int]] = {}
    closes: dict[int, list[int]] = {}
    for n, (first, last, _) in enumerate(spans):
        first, last = min(first, size), min(last, size)
        if first < last:
            opens.setdefault(first, []).append(n)
            closes.setdefault(last, []).append(n)
    cuts = sorted({0, size, *opens, *closes})
    active: list[int] = []
    out: list[tuple[int, int, Style | None, bool]] = []
    for n, cut in enumerate(cuts[:-1]):
        for i in closes.get(cut, ()):
            active.remove(i)
        for i in opens.get(cut, ()):
            active.append(i)
        if active:
            active.sort()
            styles = (*head, *(spans[i].style for i in active))
            out.append((cut, cuts[n + 1], combined(console, styles), True))
        else:
            out.append((cut, cuts[n + 1], plain_style, False))
    return out


def combined(console: Console, styles: tuple[str | Style, ...]) -> Style:
    """The styles combined as ``Text.render`` combines them (looked up in the console's theme)."""
    known = _known(console)
    style = known.get(styles)
    if style is None:
        parts = [Style.null(), *(console.get_style(s, default=Style.null()) for s in styles)]
        style = known[styles] = Style.combine(parts)
    return style


def _known(console: Console) -> dict[tuple[str | Style, ...], Style]:
    known = _STYLES.get(console)
    if known is None:
        known = _STYLES[console] = {}
    return known


#: Combined styles by console (its theme names them) and span styles: a report uses a few dozen.
_STYLES: WeakKeyDictionary[Console, dict[tuple[str | Style, ...], Style]] = WeakKeyDictionary()
