"""A text with no numbering, cut at its paragraphs (pure).

A letter, a statement or a plain contract with no numbered or bulleted list still has parts a
reader names: its paragraphs. They are the blocks between blank lines; a block whose lines
each end a sentence, in a text that is not hard-wrapped, is a paragraph a line, and one whose
lines break mid-sentence (an address, a signature block) is one paragraph. A text without
any blank line writes its paragraphs one a line (a word processor's export, a web page's
text), but for a sentence that goes on in lower case on the next line; in hard-wrapped prose
(lines filled to a width, over enough lines to tell), a line that ends a sentence, or a short
one (a heading, an item), although the next line's first word would have fitted on it ends a
paragraph: a wrapping program would have filled it.

Measured on the real corpus with its blank lines removed (``benchmarks/paragraphs.py``: 83
texts, 4,356 paragraphs): in hard-wrapped texts 81% of the paragraph starts found are right
and 66% of them are found; in the others 92% are found (and 63% of those found are right, a
list or a block of short lines being cut at each line).
"""

from __future__ import annotations

from plandiff.lines import STRIP, Lines

__all__ = ["paragraph_spans"]

#: Widest line a wrapping program fills to; a text "wrapped" wider than this is one paragraph
#: a line, whose long lines happen to be of a length.
_WRAP_LIMIT = 160

#: Fewest lines from which a text's width says it is hard-wrapped.
_WRAP_EVIDENCE = 8

#: How a line that ends a sentence ends.
_ENDS = '.!?:;"”»)'


def paragraph_spans(lines: Lines, width: int) -> list[tuple[int, int]]:
    """The paragraphs of a text with some content, as contiguous spans covering all of it:
    each runs from its first line's start to the next paragraph's (the first from 0, the last
    to the end), so the blank lines after a paragraph are its own."""
    firsts: list[int] = []  # the first line of each paragraph
    i, count = 0, len(lines.start)
    content = [k for k in range(count) if not lines.blank(k)]
    # A few lines are too few to tell a wrapping width from chance.
    wrapped = width <= _WRAP_LIMIT and len(content) >= _WRAP_EVIDENCE
    if content and content[-1] - content[0] + 1 == len(content):
        # No blank line between any two lines: paragraphs end where lines were ended on
        # purpose, every line of a text that is not wrapped (a web page's or a word
        # processor's text), in wrapped prose where a wrapping program would not have.
        firsts = [content[0]]
        ended = _meant if wrapped else _not_continued
        firsts += [k + 1 for k in content[:-1] if ended(lines, k, width)]
        count = 0
    while i < count:
        if lines.blank(i):
            i += 1
            continue
        j = i
        while j + 1 < count and not lines.blank(j + 1):
            j += 1
        block = range(i, j + 1)
        if not wrapped and all(lines.stripped(k)[-1:] in _ENDS for k in block[:-1]):
            firsts.extend(block)
        else:
            firsts.append(i)
        i = j + 1
    starts = [lines.start[k] for k in firsts]
    starts[0] = 0
    ends = [*starts[1:], len(lines.text)]
    return [(a, b) for a, b in zip(starts, ends, strict=True) if lines.text[a:b].strip(STRIP)]


def _meant(lines: Lines, k: int, width: int) -> bool:
    """Whether line ``k`` ends where the first word of line ``k + 1`` would have fitted after
    it, and ends a sentence or is short (a heading, an item of a list): a break its writer
    made, not one a wrapping program did."""
    line = lines.stripped(k)
    if line[-1:] not in _ENDS and len(line) * 5 > width * 3:
        return False  # mid-sentence and long: wrapped there after all, however wide the gap
    text, start, end = lines.text, lines.content[k + 1], lines.end[k + 1]
    word = text.find(" ", start, end)
    word = (word if word >= 0 else end) - start
    return len(line) + 1 + word <= width


def _not_continued(lines: Lines, k: int, width: int) -> bool:
    """Whether the sentence of line ``k`` does not go on in line ``k + 1``: it ends there, or
    the next line starts as a sentence does (not in lower case)."""
    if lines.stripped(k)[-1:] in _ENDS:
        return True
    first = lines.text[lines.content[k + 1]]
    return not first.islower()
