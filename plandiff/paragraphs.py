"""A text with no numbering, cut at its paragraphs (pure).

A letter, a statement or a plain contract with no numbered or bulleted list still has parts a
reader names: its paragraphs. They are the blocks between blank lines. A text without blank
lines between its paragraphs writes one paragraph a line (a word processor's export, a web
page's text): there, where a block's lines each end a sentence, each line is a paragraph; a
block whose lines break mid-sentence (an address, a signature block) is one. In hard-wrapped
prose (lines filled to a width), a line that ends a sentence although the next line's first
word would have fitted on it ends a paragraph: a wrapping program would have filled it.
"""

from __future__ import annotations

from plandiff.markers import STRIP, Lines

__all__ = ["paragraph_spans"]

#: Widest line a wrapping program fills to; a text "wrapped" wider than this is one paragraph
#: a line, whose long lines happen to be of a length.
_WRAP_LIMIT = 160

#: How a line that ends a sentence ends.
_ENDS = '.!?:;"”»)'


def paragraph_spans(lines: Lines, width: int) -> list[tuple[int, int]]:
    """The paragraphs of a text with some content, as contiguous spans covering all of it:
    each runs from its first line's start to the next paragraph's (the first from 0, the last
    to the end), so the blank lines after a paragraph are its own."""
    wrapped = width <= _WRAP_LIMIT
    firsts: list[int] = []  # the first line of each paragraph
    i, count = 0, len(lines.start)
    while i < count:
        if lines.blank(i):
            i += 1
            continue
        j = i
        while j + 1 < count and not lines.blank(j + 1):
            j += 1
        block = range(i, j + 1)
        if wrapped:
            # A wrapping program fills each line: a line that ends a sentence where the next
            # line's first word would have fitted was ended on purpose, a paragraph's end.
            firsts.append(i)
            firsts.extend(k + 1 for k in block[:-1] if _meant(lines, k, width))
        elif len(block) > 1 and all(lines.stripped(k)[-1:] in _ENDS for k in block[:-1]):
            firsts.extend(block)
        else:
            firsts.append(i)
        i = j + 1
    starts = [lines.start[k] for k in firsts]
    starts[0] = 0
    ends = [*starts[1:], len(lines.text)]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if lines.text[a:b].strip(STRIP)]


def _meant(lines: Lines, k: int, width: int) -> bool:
    """Whether line ``k`` ends a sentence where the first word of line ``k + 1`` would have
    fitted after it: a break its writer made, not one a wrapping program did."""
    line = lines.stripped(k)
    if line[-1:] not in _ENDS:
        return False
    text, start, end = lines.text, lines.content[k + 1], lines.end[k + 1]
    word = text.find(" ", start, end)
    word = (word if word >= 0 else end) - start
    return len(line) + 1 + word <= width
