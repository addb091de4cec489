"""Which markers are the points: the series that best explains the document (pure).

A document's points form one series: the same marker style at the same indentation, numbered
in order. Candidates (:mod:`plandiff.markers`) are grouped by style and indentation band, and
each group is read as a chain of in-order numbers (the longest increasing chain, inserted
numbers such as ``34-1`` or ``2 bis`` sorting between their neighbours). What is off the chain
is weighed against the chain's own shape: a marker that starts a paragraph the way the chain's
markers do is a slip in the numbering (kept, with a warning), while one in the middle of a
wrapped sentence, a bare number that jumps far ahead, or a keyword marker that breaks the
pattern is text. The group that keeps most points, with fewest restarts, wins; a shallower
series wins over a deeper one nested inside one of its points, so sub-lists never beat the
list they belong to. Bullets are the points only when no numbered series explains the text.

Groups of one style at several indentations (or partly Markdown headings) whose markers, in
text order, never go back are one numbering set carelessly, and are read as one series. A line
is "inside a wrapped sentence" only where the text is hard-wrapped and the line's first word
would not have fitted on the line above: a wrapping program breaks only there. Runs of keyword
divisions (``Section 1.`` restarting in each ``Article One``) stay a sub-level of the series
they sit in; only bare numbers restarting under headings can be the points themselves.

Everything here is linear in the number of candidates, but for the chain itself
(O(n log n) by patience sorting).
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise, repeat
from operator import le, lt, sub
from typing import NamedTuple

from plandiff.chains import rising_chain
from plandiff.lines import STRIP, Lines
from plandiff.markers import HEADING_KEYWORD, RULE, SUBITEM, Marker
from plandiff.outline import running_lines

__all__ = ["MAX_JUMP", "Choice", "choose", "line_width"]

#: How far a bare number may jump past the previous point before it needs corroboration (the
#: next marker continuing it) to count as a marker rather than text such as a year.
MAX_JUMP = 50

#: Shortest line that a wrapped sentence breaks at; shorter lines end on purpose.
_WRAPPED_CHARS = 40

#: Each restart of a series' numbering costs this many points in its score.
_RESTART_PENALTY = 10

_BARE = frozenset({"n.", "n)", "(n)", "n.glued", "n-", "n ", "n#", "R.", "R)"})
_LOOSE = frozenset({"n-", "n "})

#: A warning before it becomes a model: (offset, kind, message).
Finding = tuple[int, str, str]


#: A series as scored: (score, -band, -first line), its points, findings, band and restarts.
_Scored = tuple[tuple[float, int, int], list[Marker], list[Finding], int, int]


class Choice(NamedTuple):
    """The chosen points and how they were found."""

    points: list[Marker]
    style: str | None
    indent: int
    findings: list[Finding]


class _Shapes(NamedTuple):
    """Where the candidates sit: what a series' own markers tell about how its points start."""

    blank_before: set[int]  # lines of candidates after a blank line (or a rule)
    wrapped: set[int]  # lines of candidates in the middle of a wrapped sentence


def choose(lines: Lines, markers: Sequence[Marker], width: int | None = None) -> Choice:
    """The point markers of the text: the best numbered series, else the bulleted list.

    ``width`` is the text's :func:`line_width`, where the caller has it already (it chooses
    among the markers of several stretches of one text).
    """
    numbered = [m for m in markers if m.number is not None]
    bullets = [m for m in markers if m.number is None]
    width = line_width(lines) if width is None else width
    shapes = _shapes(lines, markers, width)
    if shapes.wrapped:
        # A running head or footer above a marker is a page break, not a wrapped sentence.
        furniture = running_lines(lines, {m.line for m in markers})
        for line in [line for line in shapes.wrapped if line - 1 in furniture]:
            shapes.wrapped.discard(line)
            shapes.blank_before.add(line)
    best: tuple[tuple[float, int, int], list[Marker], list[Finding], int] | None = None
    series = _series(numbered)
    shallowest = min((band for _, band, _ in series), default=0)
    scored: list[_Scored] = []
    for (style, band, _), members in series.items():
        found: list[Finding] = []
        points = _points_of(style, members, shapes, found)
        if not points:
            continue
        restarts = _restarts(points)
        # Every point numbered alike ("1." × 8, each its own list to a converter) is one list
        # that lost its numbers, not lists nested in one another: no penalty for starting over.
        # Only at the top: "1) sub" repeated under each point is a sub-list.
        alike = band == shallowest and all(m.key == points[0].key for m in points)
        score: float = len(points) - _RESTART_PENALTY * restarts * (not alike)
        if style in _LOOSE:
            if len(points) < 2:
                continue
            score /= 2
        elif style == "n.glued":
            score -= 0.5
        rank = (score, -band, -points[0].line)
        scored.append((rank, points, found, band, restarts))
        if best is None or rank > best[0]:
            best = (rank, points, found, band)
    chosen: list[Marker] = []
    findings: list[Finding] = []
    band = 0
    if best is not None:
        _, chosen, findings, band = best
        chosen, findings, band = _prefer_enclosing(chosen, findings, band, scored)
        chosen, findings, band = _prefer_divisions(chosen, findings, band, scored)
    if bullets:
        listed = _choose_bullets(lines, bullets, numbered, chosen, band, width)
        if listed:
            return Choice(listed, listed[0].style, min(m.indent for m in listed), [])
    if not chosen:
        ignored = [f for _, _, fs, _, _ in scored for f in fs]
        return Choice([], None, 0, ignored or _lone_ignored(series, shapes))
    return Choice(chosen, chosen[0].style, band, findings)


def _lone_ignored(
    series: dict[tuple[str, int, bool], list[Marker]], shapes: _Shapes
) -> list[Finding]:
    findings: list[Finding] = []
    for (style, _, _), members in series.items():
        _points_of(style, members, shapes, findings)
    return findings


def _series(numbered: list[Marker]) -> dict[tuple[str, int, bool], list[Marker]]:
    """Markers grouped by style and indentation band (columns one apart share a band), in the
    order of each group's first marker."""
    # Grouped by style, column and heading first: one dictionary step per marker.
    by_column: dict[tuple[str, int, bool], list[Marker]] = {}
    for m in numbered:
        key = (m.style, m.indent, m.heading_level > 0)
        if (found := by_column.get(key)) is None:
            by_column[key] = [m]
        else:
            found.append(m)
    indents: dict[str, set[int]] = {}
    for style, column, _ in by_column:
        indents.setdefault(style, set()).add(column)
    band_of: dict[tuple[str, int], int] = {}
    for style, found_columns in indents.items():
        band = previous = -2
        for column in sorted(found_columns):
            if column > previous + 1:
                band = column
            band_of[style, column] = band
            previous = column
    # A Markdown heading is structure the document shows: "### § 1" and a "§ 2 Absatz 2"
    # cross-reference starting a line are not one series.
    parts: dict[tuple[str, int, bool], list[list[Marker]]] = {}
    for (style, column, headed), members in by_column.items():
        parts.setdefault((style, band_of[style, column], headed), []).append(members)
    grouped = {
        key: _in_text_order(found)
        for key, found in sorted(parts.items(), key=lambda item: min(p[0].line for p in item[1]))
    }
    # One numbering may be set at several indentations, or partly as headings: see _interleaved.
    for style in indents:
        keys = [key for key in grouped if key[0] == style]
        if len(keys) > 1 and (one := _interleaved(_in_text_order([grouped[k] for k in keys]))):
            top = min(keys, key=lambda key: (key[1], not key[2]))
            grouped[top] = one
    return grouped


def _in_text_order(groups: list[list[Marker]]) -> list[Marker]:
    if len(groups) == 1:
        return groups[0]
    return sorted((m for group in groups for m in group), key=lambda m: m.line)


def _interleaved(members: list[Marker]) -> list[Marker] | None:
    """Markers of one style at several indentations, or some as headings and some not, that
    read as ONE numbering in text order (1 at column 3, 2-4 at column 0, 5 at column 3 …): a
    list set with careless indentation, not a list and its sub-lists, whose numbers would
    start over, nor headings and the cross-references between them, which would repeat.
    Bare numbers that jump far ahead (years) are left out as :func:`_points_of` does."""
    kept: list[Marker] = []
    for m in members:
        if kept and m.key <= kept[-1].key:
            return None
        if m.style in _BARE and (m.number or 0) - (kept[-1].key[0] if kept else 0) > MAX_JUMP:
            continue
        kept.append(m)
    return kept if len({(m.indent, m.heading_level > 0) for m in kept}) > 1 else None


def line_width(lines: Lines) -> int:
    """The width a hard-wrapped text is filled to (nearly all its lines are no longer, and
    many nearly that long); a text that is not hard-wrapped has no such width, and every one
    of its line breaks is meant."""
    # Counted by size, not sorted: a text has a few hundred line sizes, not one a line (1.5 of
    # the 4 ms at 30,000 lines).
    sizes = Counter(filter(None, map(sub, lines.end, lines.content)))
    count = sizes.total()
    if not count:
        return _UNWRAPPED
    rank = count * 19 // 20  # the 95th percentile: sorted, the size at this index
    below = 0
    for width in sorted(sizes):
        below += sizes[width]
        if below > rank:
            break
    limit = width * 17 // 20
    full = sum(n for size, n in sizes.items() if size >= limit)
    return width if full * 4 >= count and width >= _WRAPPED_CHARS else _UNWRAPPED


#: The width of a text whose lines are not wrapped: every word "fits".
_UNWRAPPED = 1 << 30


def _shapes(lines: Lines, markers: Sequence[Marker], width: int) -> _Shapes:
    """Which candidates follow a blank line (or a rule) and which sit in a wrapped sentence."""
    text, content, end = lines.text, lines.content, lines.end
    blank: set[int] = set()
    wrapped: set[int] = set()
    if width == _UNWRAPPED:  # every word fits: no line is broken mid-sentence
        above = -2  # the line of the last numbered marker
        for m in markers:
            i = m.line
            # Right under a numbered marker's line, which is neither blank nor a rule (its
            # number is neither), the line above is not read: in a list of one-line points,
            # text scattered over megabytes, read at a cache miss a point. And _rule's first
            # test inline: most lines above a marker cannot start a rule.
            if i - 1 != above and (
                i == 0
                or content[i - 1] == end[i - 1]
                or (text[content[i - 1]] in _RULE_FIRST and _rule(lines, i - 1))
            ):
                blank.add(i)
            above = i if m.number is not None else -2
        return _Shapes(blank, wrapped)
    for m in markers:
        i = m.line
        if i == 0 or content[i - 1] == end[i - 1]:
            blank.add(i)
            continue
        start, stop = content[i - 1], end[i - 1]
        while stop > start and text[stop - 1] in STRIP:
            stop -= 1
        if text[start] in _RULE_FIRST and RULE.match(text, start, stop):
            blank.add(i)
            continue
        # A line of prose broken mid-sentence runs long; a heading above a marker ("Chapter I:
        # Purposes and Principles") is short and names itself.
        if stop - start < _WRAPPED_CHARS:
            continue
        last = text[stop - 1]
        mid_sentence = last.islower() or last.isdigit() or last in ",(-–"
        wraps = mid_sentence and not _fits(lines, i, width)
        if wraps and not HEADING_KEYWORD.match(text, start, stop):
            wrapped.add(i)
    return _Shapes(blank, wrapped)


#: What a rule (see :data:`plandiff.markers.RULE`) starts with.
_RULE_FIRST = frozenset("-*_=~–—")


def _rule(lines: Lines, i: int) -> bool:
    """Whether line ``i`` (not blank) is a rule, trailing whitespace aside."""
    text, start, stop = lines.text, lines.content[i], lines.end[i]
    if text[start] not in _RULE_FIRST:
        return False
    while stop > start and text[stop - 1] in STRIP:
        stop -= 1
    return RULE.match(text, start, stop) is not None


def _fits(lines: Lines, i: int, width: int) -> bool:
    """Whether line ``i``'s first word would have fitted at the end of the line above: then a
    wrapping program did not break there, the line ended on purpose."""
    text, start, end = lines.text, lines.content[i - 1], lines.end[i - 1]
    while end > start and text[end - 1] in STRIP:
        end -= 1
    word = text.find(" ", lines.content[i], lines.end[i])
    word = (word if word >= 0 else lines.end[i]) - lines.content[i]
    return end - start + 1 + word <= width


def _chain(members: list[Marker]) -> list[int]:
    """Indexes of the longest strictly increasing chain of keys, ending in the smallest key,
    so a chain prefers small steps (a year in a list of points is left off it)."""
    return rising_chain([m.key for m in members])


def _points_of(
    style: str, members: list[Marker], shapes: _Shapes, findings: list[Finding]
) -> list[Marker]:
    """The series' points: its chain, less implausible jumps and wrapped prose, plus slips."""
    bare = style in _BARE
    on_chain = _chain(members)  # indexes in ascending order
    chain = members if len(on_chain) == len(members) else [members[i] for i in on_chain]
    # Bare numbers that jump far ahead and that the next one does not continue: years, amounts.
    kept: list[Marker] = []
    limit = 1 if style in _LOOSE else MAX_JUMP
    numbers = [m.key[0] for m in chain]
    if not bare or all(map(le, map(sub, numbers, [0, *numbers[:-1]]), repeat(limit))):
        kept = chain  # no jump too far: the common case, without a step per marker
        chain = []
    for j, m in enumerate(chain):
        previous = kept[-1].key[0] if kept else 0
        jump = (m.number or 0) - previous
        if bare and jump > limit:
            following = chain[j + 1].key[0] if j + 1 < len(chain) else None
            if following != (m.number or 0) + 1 or (style in _LOOSE and kept):
                findings.append(_ignored(m, previous))
                continue
        kept.append(m)
    # A marker inside a wrapped sentence is text, unless that is how this series' points start.
    in_sentence = shapes.wrapped
    wrapped = sum(1 for m in kept if m.line in in_sentence) if in_sentence else 0
    if wrapped * 2 < len(kept) and wrapped:
        kept = [m for m in kept if m.line not in in_sentence]
    if not kept:
        return []
    if len(kept) == len(members):
        return list(members)  # every marker is on the chain: nothing is off it
    # What is off the chain is a slip in the numbering when it starts a point as the others do.
    tail = [m for m in kept if m.line > 0]
    after_blank = shapes.blank_before
    blank = bool(tail) and sum(1 for m in tail if m.line in after_blank) * 2 >= len(tail)
    alone = sum(m.alone for m in kept) * 2 > len(kept)
    chosen = {m.line for m in kept}
    points: list[Marker] = []
    for m in members:
        if m.line in chosen:
            points.append(m)
            continue
        if style in _LOOSE:
            continue
        fits = (
            m.line not in in_sentence and (m.line in after_blank or not blank) and m.alone == alone
        )
        previous = points[-1].key[0] if points else 0
        if fits and not (bare and (m.number or 0) > previous + MAX_JUMP):
            points.append(m)
        elif bare:
            findings.append(_ignored(m, previous))
    return points


def _ignored(m: Marker, previous: int) -> Finding:
    message = (
        f"a line starts with {m.number_text}, which does not continue the numbering after "
        f"{previous}; kept as text"
    )
    return (m.label_start, "ignored-marker", message)


def _prefer_enclosing(
    chosen: list[Marker],
    findings: list[Finding],
    band: int,
    scored: list[_Scored],
) -> tuple[list[Marker], list[Finding], int]:
    """A shallower series (or one of Markdown headings) of at least two points wins when the
    chosen one fits in one of its points."""
    first, last = chosen[0].line, chosen[-1].line
    for _, points, its_findings, its_band, restarts in sorted(scored, key=lambda s: s[3]):
        # Shallower, or Markdown headings over plain lines: structure the document shows.
        over = its_band < band or (points[0].heading_level > 0 and not chosen[0].heading_level)
        if not over or len(points) < 2 or restarts:
            continue
        if any(b.key <= a.key for a, b in pairwise(points)):
            continue  # "(2) offer you …" twice in a preamble is no list enclosing the points
        if _headed(chosen) and not _headed(points):
            continue  # recitals (1)-(8) at the margin do not enclose an indented "Article 1"
        lines = [m.line for m in points]
        k = bisect_left(lines, first)
        if k > 0 and (k == len(lines) or lines[k] > last):
            chosen, findings, band = points, its_findings, its_band
            break
    # A numbering that starts over, each run inside one item of a series that never does, is
    # either a sub-level (recitals in the preamble, paragraphs in some articles) or the list
    # itself, split under headings: when its runs fill every item of the other series, whose
    # markers stand alone on their lines as headings do, and are longer than that series
    # ("Section I" over points 1-9, "Section II" over points 1-4), the runs are the points.
    for _, points, its_findings, its_band, restarts in sorted(scored, reverse=True):
        if points is chosen or len(points) < 2:
            continue
        outer, inner = (points, chosen) if not restarts else (chosen, points)
        if outer is inner or _restarts(outer) or not _restarts(inner):
            continue
        filled = _filled(outer, inner)
        if filled is None:
            continue
        if outer is points and not filled:
            return points, its_findings, its_band
        headings = sum(m.alone for m in outer) * 2 > len(outer)
        # ... but runs of headed divisions ("### Section 1." in "## Article One") are a level
        # of the document's own hierarchy under the outer series, whatever their number.
        level, inner_level = outer[0].heading_level, inner[0].heading_level
        headed = inner[0].style not in _BARE or 0 < level < inner_level
        if (
            inner is points
            and filled
            and headings
            and not headed
            and len(outer) < _average_run(outer, inner)
        ):
            return points, its_findings, its_band
    return chosen, findings, band


def _prefer_divisions(
    chosen: list[Marker],
    findings: list[Finding],
    band: int,
    scored: list[_Scored],
) -> tuple[list[Marker], list[Finding], int]:
    """A bare numbering that ends before a series of headed divisions begins ("(1)" … "(8)"
    recitals, then "Article 1" …) is the preamble's; the divisions are the points."""
    if _headed(chosen):
        return chosen, findings, band
    for _, points, its_findings, its_band, restarts in sorted(scored, reverse=True):
        after = points[0].line > chosen[-1].line
        if after and len(points) >= 2 and not restarts and _headed(points):
            return points, its_findings, its_band
    return chosen, findings, band


def _headed(points: list[Marker]) -> bool:
    """Whether a series' markers head divisions: keywords ("Article 3") or Markdown headings."""
    return points[0].heading_level > 0 or points[0].style not in _BARE


def _restarts(points: list[Marker]) -> int:
    keys = [m.key for m in points]
    if all(map(lt, keys, keys[1:])):
        return 0  # rising all along, compared in C: the common case
    return sum(1 for a, b in pairwise(keys) if b <= a and b[0] <= 1)


def _filled(outer: list[Marker], inner: list[Marker]) -> bool | None:
    """Whether the inner series' runs fill every item of the outer series, each run inside one
    item (a run before the outer series' first item aside); None when they do not nest."""
    lines = [m.line for m in outer]
    slots: set[int] = set()
    for run in _runs(inner):
        slot = bisect_left(lines, run[0].line)
        if slot != bisect_left(lines, run[-1].line):
            return None
        slots.add(slot)
    if len(slots) < 2:
        return None
    return len(slots - {0}) == len(outer)


def _average_run(outer: list[Marker], inner: list[Marker]) -> float:
    """Average length of the inner series' runs that start inside an item of the outer one."""
    first = outer[0].line
    sizes = [len(run) for run in _runs(inner) if run[0].line > first]
    return sum(sizes) / len(sizes) if sizes else 0.0


def _runs(points: list[Marker]) -> list[list[Marker]]:
    """The points cut where the numbering starts over."""
    runs: list[list[Marker]] = [[points[0]]]
    for a, b in pairwise(points):
        if b.key <= a.key and b.key[0] <= 1:
            runs.append([])
        runs[-1].append(b)
    return runs


def _choose_bullets(
    lines: Lines,
    bullets: list[Marker],
    numbered: list[Marker],
    numbered_points: list[Marker],
    band: int,
    width: int,
) -> list[Marker]:
    """Bulleted points, when bullets form the top-level list; else an empty list."""
    top = min(m.indent for m in bullets)
    if numbered_points and (top > band + 1 or (len(numbered_points) >= 2 and top >= band)):
        return []
    threshold = top + 1
    char = next(m.style for m in bullets if m.indent == top)
    points = [m for m in bullets if m.style == char and m.indent <= threshold]
    if numbered_points and _headed(numbered_points) and points[-1].line < numbered_points[0].line:
        return []  # a list before the first "### Article 1" is the preamble's (recitals)
    if len(points) < max(2, len(numbered_points) + 1):
        return []
    text = lines.text
    marked = {m.line for m in numbered} | {m.line for m in bullets}
    furniture = running_lines(lines, marked)  # running heads and footers of a paged text
    paragraphs = 0
    for i in range(points[0].line + 1, points[-1].line):
        if lines.blank(i) or i in marked or i in furniture:
            continue
        previous_blank = lines.blank(i - 1)
        # A sentence that ends where the line is full may just as well have been wrapped there.
        previous_ends_sentence = text[lines.end[i - 1] - 1] in '.!?"”»' and _fits(lines, i, width)
        if not (previous_blank or previous_ends_sentence) or lines.indent(i) > threshold:
            continue
        if not SUBITEM.match(text, lines.content[i], lines.end[i]):
            paragraphs += 1
    return points if len(points) > paragraphs else []
