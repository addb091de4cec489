"""What stands around the points: headings between them and the closing after them (pure).

Once the points are known (:mod:`plandiff.series`), the lines that are not points are read for
the document's own structure:

* **Headings** are short lines standing in a block of their own (a blank line before) right
  above a point: ``Titre II – …``, ``CHAPTER 3``, ``Part B. Economy``, ``TITLE I—GENERAL``, a
  Markdown heading, a line in capitals, or a title line under a keyword heading. They are kept
  apart from the point before them, and each point carries the path of headings above it.
* **The closing** starts where the document ends its list: a line that closes a document
  (*Signed*, *Done at*, *End of …*, a rule), a heading-shaped line after the last point (in
  capitals, underlined, a Markdown heading no deeper than the points), or, in a list whose
  points are single paragraphs (or single lines), a new paragraph (or sentence) after the last
  one. Sub-items and continuation lines of the last point (``a)``, ``→ …``, a sentence that
  goes on) are never cut off. In an indented list whose points never leave their margin, the
  first line left of it after a finished sentence (a disclaimer at column 0) ends the list.
  Points that are headings alone on their line hold any number of paragraphs.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from itertools import compress
from operator import eq
from typing import NamedTuple

from plandiff.lines import HSPACE, STRIP, Lines
from plandiff.markers import HEADING_KEYWORD as _HEADING_KEYWORD
from plandiff.markers import LEVEL_OF as _LEVEL_OF
from plandiff.markers import RULE, SUBITEM, Marker

__all__ = ["Heading", "closing_line", "heading_shaped", "headings"]

_MD_HEADING = re.compile(rf"(?P<hashes>\#{{1,6}})[{HSPACE}]+\S")
_CLOSING = re.compile(
    r"""
    (?:signed|done\s+(?:at|in)|in\s+(?:witness|faith)\s+whereof|fait\s+à|en\s+foi\s+de\s+quoi
         |end\s+of\s+(?:the\s+)?(?:text|document|plan|agreement|terms)|read\s+more|see\s+also)\b
    | (?:sources?|related)\s*:
    """,
    re.IGNORECASE | re.VERBOSE,
)
_SENTENCE_END = '.!?;:"”»)'
_FINISHED = '.!?"”»)'
#: Longest line that can be a heading in capitals; a hard-wrapped paragraph in capitals has
#: several lines about this long.
_HEADING_CHARS = 80


#: A line standing alone this far in is centred: a signature block or a title, not body text.
_CENTRED = 16


#: A one-line paragraph set this far in, after a finished sentence, is an attestation or a
#: signature line ("Passed the House of Representatives …"), not more of the last point.
_SET_OFF = 8


def _after_full_stop(lines: Lines, i: int) -> bool:
    j = i - 1
    while j > 0 and lines.blank(j):
        j -= 1
    return lines.stripped(j).endswith(".")


class Heading(NamedTuple):
    """Lines standing between points: [first, last] line indexes, level, text."""

    first: int
    last: int
    level: int
    text: str


def _plain(line: str) -> str:
    return line.strip(STRIP + "*_#=|")


def _capitals(line: str) -> bool:
    letters = [ch for ch in _plain(line) if ch.isalpha()]
    return len(letters) >= 2 and not any(ch.islower() for ch in letters)


def _heading_level(line: str, after_keyword: bool, md_limit: int) -> int:
    """The heading level of a line, or 0 when it is not heading-shaped."""
    if found := _HEADING_KEYWORD.match(line):
        # ... unless it is a sentence that starts with one ("Section 29 of the 1965 Act
        # … shall cease to have effect."): long, and ended as a sentence ends.
        plain = _plain(line)
        if len(plain) <= _HEADING_CHARS or plain[-1] not in ".;,":
            return _LEVEL_OF[found["word"].lower()]
        return 0
    if (found := _MD_HEADING.match(line)) and len(found["hashes"]) < md_limit:
        return 4 + len(found["hashes"])
    plain = _plain(line)
    if not plain or len(plain) > _HEADING_CHARS or plain[-1] in ".;,:":
        return 0
    if _capitals(line):
        return 11
    return 12 if after_keyword else 0


def heading_shaped(line: str) -> bool:
    """Whether a line (stripped) reads as a heading: a keyword division, a Markdown heading or
    a short line in capitals ('SCHEDULES' over a contract's schedules)."""
    return _heading_level(line, False, 7) > 0


def _stacked_above(
    lines: Lines, top: int, previous_line: int, md_limit: int
) -> tuple[list[Heading], int]:
    """The heading blocks stacked right above line ``top`` (outermost first, at most
    :data:`_MAX_BLOCKS`), and the first line of the topmost."""
    stacked: list[Heading] = []
    for _ in range(_MAX_BLOCKS):
        block = _block_above(lines, top, previous_line)
        entries = _heading_entries(lines, block, md_limit) if block else []
        if not block or not entries:
            break
        stacked[:0] = [Heading(block[0], block[1], lv, t) for lv, t in entries]
        top = block[0]
    return stacked, top


def headings(
    lines: Lines,
    points: Sequence[Marker],
    divisions: Mapping[int, int] | None = None,
    signed: tuple[int, int] | None = None,
) -> list[Heading]:
    """The heading blocks right above each point (the first one included), in text order.

    ``divisions`` maps the line of a division's first point to the line of the division's
    heading ("SCHEDULE 1"): whatever stands between the two is that division's heading, even
    where its title does not look like one ("Schedule 1", blank, "The Services"). ``signed``
    is (a point's line, a line above it): what the main series ends with before the
    divisions (signatures), kept apart from the last clause as a heading of its own, which
    the division's heading closes (it is on no point's heading path).
    """
    md_limit = min((m.heading_level for m in points if m.heading_level), default=7)
    found: list[Heading] = []
    previous_line = -1
    undivided = not divisions and signed is None
    for m in points:
        if undivided and m.line == previous_line + 1:
            # Nothing stands between a point and the one right above it: no line to read, a
            # step saved per point of a text of one-line points.
            previous_line = m.line
            continue
        # "TITRE II", blank, "Chapitre 1", blank, "Article 3"
        if m.line > previous_line + 1:
            stacked, top = _stacked_above(lines, m.line, previous_line, md_limit)
        else:
            stacked, top = [], m.line
        division = divisions.get(m.line) if divisions else None
        if division is not None and top > division:
            # "SCHEDULES" over "SCHEDULE 1" over the division's first point
            above, top = _stacked_above(lines, division, previous_line, md_limit)
            stacked = [*above, _division_heading(lines, division, m.line)]
        if signed is not None and m.line == signed[0]:
            last = (stacked[0].first if stacked else m.line) - 1
            while last > signed[1] and lines.blank(last):
                last -= 1
            if last >= signed[1]:
                parts = [_plain(lines.stripped(i)) for i in range(signed[1], last + 1)]
                text = " – ".join(p for p in parts if p)
                stacked.insert(0, Heading(signed[1], last, _SIGNED_LEVEL, text))
        found.extend(stacked)
        previous_line = m.line
    return found


#: The level of the signatures standing before the divisions: below every heading, so that
#: the division's own heading takes it off the path.
_SIGNED_LEVEL = 99


def _division_heading(lines: Lines, first: int, point: int) -> Heading:
    """The lines from a division's heading to its first point, as one heading."""
    last = point - 1
    while last > first and lines.blank(last):
        last -= 1
    parts = [_plain(lines.stripped(i)) for i in range(first, last + 1) if not lines.blank(i)]
    return Heading(first, last, _LEVEL_OF["schedule"], " – ".join(p for p in parts if p))


#: Heading paragraphs looked for above one point, so that time stays linear.
_MAX_BLOCKS = 4


def _heading_entries(lines: Lines, block: tuple[int, int], md_limit: int) -> list[tuple[int, str]]:
    """The headings of a paragraph (level, text), or none when a line is not heading-shaped."""
    entries: list[tuple[int, str]] = []
    for i in range(block[0], block[1] + 1):
        line = lines.stripped(i)
        level = _heading_level(line, bool(entries), md_limit)
        if not level or (level == 12 and not entries):
            return []
        text = _plain(line)
        if level == 12 or (level == 11 and entries and entries[-1][0] <= 4):
            entries[-1] = (entries[-1][0], f"{entries[-1][1]} – {text}")
        else:
            entries.append((level, text))
    return entries


def _block_above(lines: Lines, line: int, floor: int) -> tuple[int, int] | None:
    """The paragraph of at most three lines standing above ``line`` after a blank line (or at
    the very start of the text)."""
    i = line - 1
    while i > floor and lines.blank(i):
        i -= 1
    last = i
    count = 0
    while i > floor and not lines.blank(i) and count < 4:
        count += 1
        i -= 1
    at_start = i == -1 and floor == -1
    if last <= floor or count > 3 or count == 0 or not (at_start or lines.blank(i)):
        return None
    if i <= floor and not at_start:
        return None
    return i + 1, last


def heading_path(found: Sequence[Heading], points: Sequence[Marker]) -> list[str | None]:
    """Each point's heading context: the headings above it, outermost first, joined by ›."""
    paths: list[str | None] = []
    stack: list[tuple[int, str]] = []
    k = 0
    for m in points:
        while k < len(found) and found[k].last < m.line:
            level, text = found[k].level, found[k].text
            while stack and stack[-1][0] >= level:
                stack.pop()
            stack.append((level, text))
            k += 1
        paths.append(" › ".join(t for _, t in stack) if stack else None)
    return paths


def closing_line(
    lines: Lines,
    points: Sequence[Marker],
    markers: Sequence[Marker],
    heading_lines: set[int],
    threshold: int,
) -> int | None:
    """Line index where the closing text starts, or None when the last point runs to the end."""
    text = lines.text
    point_lines = {m.line for m in points}
    bodyless = {m.line for m in points if m.alone}
    # The marker lines and the running heads, read at the first line that is no point's (a
    # long list of one-line points has none).
    marked: set[int] | None = None
    furniture: set[int] = set()
    md_limit = min((m.heading_level for m in points if m.heading_level), default=7)
    last = points[-1].line
    count = len(lines.start)
    by_marker: int | None = None
    by_shape: int | None = None
    by_sentence: int | None = None
    by_dedent: int | None = None
    margin = min(m.indent for m in points)  # the markers' column: indented lists have one
    outdented = False  # a point's own line starts left of the margin
    seen_out = False  # a line after the last point did
    paragraphs = 0  # earlier points with a continuation paragraph
    multiline = 0  # earlier points with a continuation line
    seen_paragraph = seen_line = False
    awaiting_body = quoting = False
    starts, content, end = lines.start, lines.content, lines.end
    for i in range(points[0].line, count):
        if i in point_lines:
            if i + 1 in point_lines:
                # Of point lines one right under the other, only the last is read: the first
                # would take the counts, and nothing comes between them.
                continue
            paragraphs += seen_paragraph
            multiline += seen_line
            seen_paragraph = seen_line = False
            awaiting_body = i in bodyless
            continue
        if (
            i < last
            and seen_line
            and (seen_paragraph or content[i - 1] != end[i - 1])
            and (outdented or not margin)
            and not awaiting_body
        ):
            continue  # inside a point whose shape is known: the line can change nothing
        if marked is None:
            marked = {m.line for m in markers}
            furniture = running_lines(lines, marked)
        if content[i] == end[i] or i in heading_lines or i in furniture:
            continue
        cs, le = content[i], end[i]
        indent = lines.indent(i) if cs != starts[i] else 0
        shallow = indent <= threshold
        if indent < margin and i not in marked:
            # Out of the list's margin: the closing, if no point's own lines ever went there.
            # after a finished sentence (a heading run into the last line keeps its text).
            ended = lines.stripped(i - 1)[-1:] in _FINISHED
            if i > last and not seen_out and ended and not SUBITEM.match(text, cs, le):
                by_dedent = i
            seen_out = seen_out or i > last
            if i < last:
                outdented = True
        if i < last and not shallow and not awaiting_body:
            continue  # a deeper line inside the points: a sub-item or a quotation
        blank_before = lines.blank(i - 1)
        # Text the last point quotes ('" TITRE XIV', '" Art. 88-1. - …"') is its own, headings
        # and all, until the quotation closes.
        if i > last and text[cs] in _QUOTES:
            quoting = not (le - cs > 2 and _QUOTES_SET & set(text[le - 2 : le]))
            awaiting_body = False
            continue
        if quoting:
            quoting = not _QUOTES_SET & set(text[le - 2 : le])
            continue
        if i > last and _closes(lines, i, marked, md_limit, threshold):
            by_marker = i
            break
        if awaiting_body:
            awaiting_body = False
            continue
        if i < last and i in marked and shallow and blank_before:
            seen_paragraph = True  # a numbered paragraph "(2)" of a point is a paragraph too
        if i in marked or not shallow or SUBITEM.match(text, cs, le):
            continue
        if not _ALNUM.search(text, cs, le):
            continue  # decoration ("<!-- -->", "* * *" boxes) is not a paragraph
        seen_line = True
        if blank_before:
            seen_paragraph = True
            if i > last and by_shape is None and not _continues(lines, i):
                by_shape = i
                if _dateline(lines, i):
                    by_marker = i
                    break
        elif i > last and by_sentence is None and _new_sentence(lines, i):
            by_sentence = i
    earlier = len(points) - 1
    found = [by_marker, None if outdented else by_dedent]
    # Points that are headings alone on their line hold any number of paragraphs: a paragraph
    # after the last one is its own unless no earlier point held a second one.
    headed = len(bodyless) * 2 > len(points)
    if earlier >= 1 and (not paragraphs if headed else paragraphs * 2 < earlier):
        found.append(by_shape)
    if earlier >= 2 and not multiline:
        found.append(by_sentence)
    return min((i for i in found if i is not None), default=None)


_DIGITS = re.compile(r"\d+")


def running_lines(lines: Lines, marked: set[int]) -> set[int]:
    """Paragraph-starting lines repeated three times or more (digits aside): running heads
    and page footers.

    A paged text ('Hardaker  Expires 25 July 2025  [Page 3]') repeats them at every page
    break, inside points as much as after them; they say nothing about where a list ends.
    """
    key = frozenset(marked)
    if (known := lines.memo.get(key)) is not None:
        return known
    content, end = lines.content, lines.end
    blank = list(map(eq, content, end))
    seen: dict[str, list[int]] = {}
    text = lines.text
    for i in compress(range(1, len(content)), blank):  # the lines after a blank line
        # A Markdown heading ("## SCHEDULE 3") is the document's structure, never a page's.
        if end[i] - content[i] >= 10 and i not in marked and text[content[i]] != "#":
            line = _DIGITS.sub("#", lines.stripped(i))
            seen.setdefault(line, []).append(i)
    furniture = {i for repeated in seen.values() if len(repeated) >= 3 for i in repeated}
    lines.memo[key] = furniture
    return furniture


#: Letters and digits: what str.isalnum accepts.
_ALNUM = re.compile(r"[^\W_]")


#: Longest line of a dateline or signature block ("3rd plenary meeting", "19 September 2025").
_DATELINE_CHARS = 40


def _dateline(lines: Lines, i: int) -> bool:
    """A short block of at most three short lines, after a point that ends its sentence: the
    meeting, date or place under a text, which closes it however long its points are."""
    if not _after_full_stop(lines, i):
        return False
    k = i
    while k < len(lines.start) and not lines.blank(k):
        line = _plain(lines.stripped(k))
        if k - i >= 3 or len(line) > _DATELINE_CHARS or line[-1:] in ".;:,":
            return False
        k += 1
    return True


_QUOTES = "\"“„«‘'‹"


_QUOTES_SET = set(_QUOTES)


def _continues(lines: Lines, i: int) -> bool:
    """A paragraph the point announced ('… the following:') or a quotation it goes on with."""
    j = i - 1
    while j > 0 and lines.blank(j):
        j -= 1
    before = lines.stripped(j)
    return lines.text[lines.content[i]] in _QUOTES or (bool(before) and before[-1] == ":")


def _new_sentence(lines: Lines, i: int) -> bool:
    before = lines.stripped(i - 1)
    first = lines.text[lines.content[i]]
    return bool(before) and before[-1] in ".!?" and (first.isupper() or first.isdecimal())


def _underline(lines: Lines, i: int) -> bool:
    """A rule right under a line of about its length underlines it: a heading, not a break."""
    if i == 0 or lines.blank(i - 1):
        return False
    return abs(len(lines.stripped(i)) - len(lines.stripped(i - 1))) <= 3


def _closes(lines: Lines, i: int, marked: set[int], md_limit: int, threshold: int) -> bool:
    """A line that ends the list: a rule, a closing formula or a heading after the points.

    Rules and formulas count at the list's indentation; a heading may be centred.
    """
    text, cs, le = lines.text, lines.content[i], lines.end[i]
    indent = lines.indent(i)
    shallow = indent <= threshold
    if RULE.match(text, cs, le):
        return shallow and not _underline(lines, i)
    if i in marked:
        return False
    if shallow and _CLOSING.match(_plain(text[cs:le])):
        return True
    line = lines.stripped(i)
    if (found := _MD_HEADING.match(line)) and len(found["hashes"]) <= md_limit:
        return True
    if not lines.blank(i - 1):
        return False
    after = i + 1
    underlined = after < len(lines.start) and RULE.match(
        text, lines.content[after], lines.end[after]
    )
    alone = after >= len(lines.start) or lines.blank(after) or underlined
    plain = _plain(line)
    if not alone or not plain or len(plain) > _HEADING_CHARS:
        return False
    centred = indent >= threshold + _CENTRED
    if indent >= threshold + _SET_OFF and _after_full_stop(lines, i) and not SUBITEM.match(plain):
        return True  # "            Passed the House … 2024." under a bill's last section
    return bool(underlined) or centred or _capitals(line) or bool(_HEADING_KEYWORD.match(line))
