"""Plan text → numbered points, each with its exact span in the input (pure, no I/O).

:func:`segment` reads a plan as it is found in the wild: an official draft numbered ``1.`` …
``28.``, a news copy with ``**1.**`` bold markers, a treaty with ``Article 1`` headings, or a
bulleted summary. It returns the points, the preamble before them and the closing text after
them, plus warnings for anything odd in the numbering. It never raises on odd input: a plan text
is data, and a missing point 3 is a finding to report, not a reason to stop.

Offsets are code points of the string as given (the same unit as :class:`plandiff.models.Anchor`),
so a point can be cited and anchored back into its source. The preamble, the points and the
closing are contiguous and together cover the whole input: a point starts at the start of its
marker's line, and the line breaks and blank lines after a part belong to that part.

How the parts are found (each rule is conservative: when in doubt, text stays inside a point):

* **Markers** are recognised only at the start of a line (after indentation): ``1.``, ``1)``,
  ``(1)``, ``Point 1:``, ``Article 1``, ``Section 1``, ``§ 1`` (keywords in any case, also in
  Ukrainian, Russian, German, French, Spanish and Italian: ``Стаття 1``, ``Artikel 1``;
  optionally after a Markdown heading sign or inside ``**bold**``), upper-case Roman numerals
  from I to XXXIX as ``IV.``, ``IV)`` or after a keyword (``Article IV``), and the bullets
  ``- * + • – —`` and a few more. A numeric marker must be followed by whitespace or the end of
  the line, so ``1.5 million`` and ``3.14`` never start a point, and a number in the middle of a
  line never does.
* **One style is dominant.** Among numbered markers at the shallowest indentation (one column of
  slack), each style is scored by how many markers it has, less a penalty for each time its
  numbering starts over; the best score wins, ties go to the style seen first. A list of
  sub-items restarts in every point, so ``1)`` sub-items under ``1.`` points lose even when they
  are more numerous. Markers of other styles, deeper indented markers, lettered (``a)``,
  ``(b)``, ``i.``) and bulleted sub-items stay inside their point.
* **Bullets** are used only when no numbered marker sits at the same or a shallower indentation.
  The bullet character seen first at the shallowest indentation is the point marker, and the
  bullets must be denser than the prose paragraphs between them, so a news article whose quotes
  end with ``– said the minister`` lines is not taken for a list.
* **Implausible bare numbers** are text, not markers: a bare number (``N.``, ``N)``, ``(N)``)
  more than :data:`MAX_JUMP` past the previous point, which the next marker does not continue,
  e.g. a wrapped line starting with ``2025.`` in a list of 28 points. An ``ignored-marker``
  warning says so. Keyword markers (``Article 2025``) are always accepted.
* **The preamble** is the text before the first point; when it is only whitespace it is folded
  into the first point and :attr:`Segmentation.preamble` is ``None``.
* **The closing** is split off the last point at the earliest line (at the list's indentation)
  that either

  1. clearly closes the document: a Markdown heading, a horizontal rule (``---``, ``***``,
     ``___``), or a line starting with *Signed*, *Done at/in*, *In witness whereof*, *End of the
     text/document/plan/agreement*, *Source(s):*, *Related:*, *See also* or *Read more*; or
  2. starts a prose paragraph after a blank line (not a sub-item, and not the first paragraph
     of a point whose marker stands alone on its line, like ``Article 3``), provided the
     document has at least two points and no earlier point has such a continuation paragraph.
     A document whose points are all single paragraphs has shown its shape, so a trailing
     paragraph is taken as closing; once any earlier point runs over several paragraphs, a
     trailing paragraph may be part of the last point and is left there.

  Otherwise the last point runs to the end of the text and :attr:`Segmentation.closing` is
  ``None``.

Numbering anomalies and other findings are reported as :class:`SegmentWarning`, one
:class:`WarningKind` each, in text order; past :data:`MAX_WARNINGS_PER_KIND` of a kind, one
summary warning counts the rest.

The scan makes a few passes over the lines with patterns anchored at the line start that cannot
backtrack more than linearly, so time is linear in the input: 30,000 points (3 MB) segment in
about half a second, and a megabyte-long line of digits and dots is no harder than a short one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from itertools import pairwise
from typing import NamedTuple

from pydantic import Field, model_validator

from plandiff.models import FrozenModel, trusted_constructor

__all__ = [
    "MAX_JUMP",
    "MAX_WARNINGS_PER_KIND",
    "Segment",
    "SegmentWarning",
    "Segmentation",
    "Span",
    "WarningKind",
    "segment",
]

#: How far a bare number may jump past the previous point before it needs corroboration (the
#: next marker continuing it) to count as a marker rather than text such as a year.
MAX_JUMP = 50

#: A garbled text could have a finding on every line; past this many of a kind, one summary.
MAX_WARNINGS_PER_KIND = 20

#: Each restart of a style's numbering costs this many markers in the dominant-style score.
_RESTART_PENALTY = 10

#: Characters that are invisible at the start of a line: zero-width spaces and joiners and the
#: byte-order mark survive copy-paste from web pages and must not hide a marker.
_ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"

#: Everything ``str.isspace`` accepts, plus the zero-width characters: what is stripped around
#: a point's body. Computed, not typed, so it cannot fall out of step with Python's Unicode.
_STRIP = "".join(filter(str.isspace, map(chr, range(0x3001)))) + _ZERO_WIDTH

#: Horizontal whitespace inside a line, as a character-class body.
_HSPACE = " \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000\x0b\x0c"
#: The indentation that :data:`_LINE` skips: these characters listed, and the zero-width ones.
_INDENT = " \t\u00a0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
_INDENT += "\u202f\u205f\u3000\x0b\x0c" + _ZERO_WIDTH

#: One line: its indentation, its content, and its line break (``\r\n``, ``\n``, ``\r``, or a
#: Unicode line or paragraph separator; not the page and record separators ``\v``, ``\f``,
#: ``\x1c``-``\x1e``, which plain-text plans use inside a line if at all).
_LINE = re.compile(
    f"[{_HSPACE}{_ZERO_WIDTH}]*([^\r\n\u2028\u2029\x85]*)(?:\r\n|[\r\n\u2028\u2029\x85]|$)"
)

#: Words that number a point ("Article 4"), in the languages plans are negotiated in most: English,
#: Ukrainian, Russian, French, German, Spanish, Italian. Longest first where one starts another.
_KEYWORD_LIST = (
    "point", "article", "section",
    "пункт", "стаття", "статья", "розділ", "раздел",
    "artikel", "artículo", "articulo", "articolo", "punkt", "punto", "abschnitt",
)  # fmt: skip
_KEYWORDS = "|".join(sorted(_KEYWORD_LIST, key=len, reverse=True))

#: An upper-case Roman numeral from I to XXXIX, as declarations and treaties number their points
#: ("I.", "Article IV"). C, D, L and M are left out: alone they are letters of an A, B, C list.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})"

_NUMBERED = re.compile(
    rf"""
    (?:\#{{1,6}}[{_HSPACE}]+)?            # a Markdown heading: "## Article 1"
    (?:\*\*|__)?                          # bold, as news copies print it: "**1.**"
    (?P<label>
        (?P<word>{_KEYWORDS})[{_HSPACE}]+
        (?:(?P<word_num>\d{{1,6}})|(?-i:(?P<word_roman>{_ROMAN})))[.:)]?
      | (?P<sect>§§?)[{_HSPACE}]*(?P<sect_num>\d{{1,6}})[.:)]?
      | \((?P<paren_num>\d{{1,6}})\)
      | (?P<num>\d{{1,6}})(?P<num_sep>[.)])
      | (?-i:(?P<roman>{_ROMAN}))(?P<roman_sep>[.)])
    )
    (?:\*\*|__)?
    (?:[{_HSPACE}]+[-–—](?=[{_HSPACE}]|$))?  # a dash before the title: "Article 1 – Scope"
    (?=[{_HSPACE}]|$)                     # whitespace after, so "1.5 million" is no marker
    """,
    re.IGNORECASE | re.VERBOSE,
)

_BULLET_CHARS = "-*+•–—·▪◦●‣○■►"
#: Every marker, numbered or bulleted, starts with a digit or one of these characters.
_MARKER_FIRST = frozenset(
    "#*_(§IVX" + "".join(w[0] + w[0].upper() for w in _KEYWORD_LIST) + _BULLET_CHARS
)
_BULLET = re.compile(f"[{re.escape(_BULLET_CHARS)}](?=[{_HSPACE}])")

#: A thematic break (``---``, ``* * *``, ``___``) or a rule of dashes or equals signs.
_RULE = re.compile(f"(?:[-*_=~–—][{_HSPACE}]*){{3,}}$")

#: Sub-item markers that never start a point: ``a)``, ``(b)``, ``c.``, ``iv.``, ``(ii)``, and
#: decimal outline numbers ``1.1``; used to tell a sub-item from a continuation paragraph.
_SUBITEM = re.compile(
    rf"""
    (?:\(?[a-z]\)|[a-z][.)]|\(?[ivxlcdm]{{1,7}}[.)]|\([ivxlcdm]{{1,7}}\)|\d{{1,6}}(?:\.\d{{1,3}})+\.?)
    (?=[{_HSPACE}]|$)
    """,
    re.IGNORECASE | re.VERBOSE,
)

_CLOSING = re.compile(
    r"""
    \#{1,6}(?:[ \t]|$)
    | (?:signed|done\s+(?:at|in)|in\s+witness\s+whereof
         |end\s+of\s+(?:the\s+)?(?:text|document|plan|agreement)|read\s+more|see\s+also)\b
    | (?:sources?|related)\s*:
    """,
    re.IGNORECASE | re.VERBOSE,
)

_STYLE_NAMES = {"n.": "N.", "n)": "N)", "(n)": "(N)", "R.": "I.", "R)": "I)"}


class WarningKind(StrEnum):
    """What a :class:`SegmentWarning` is about (a string enum: ``kind == "gap"`` holds)."""

    START = "start"
    """The first point's number is not 1 (an excerpt, or a lost first point)."""
    GAP = "gap"
    """Numbers are skipped between two points (1, 2, 4)."""
    REPEAT = "repeat"
    """Two points in a row carry the same number (3, 3)."""
    RESTART = "restart"
    """The numbering goes back to 1 (… 5, 1, 2 …): two lists, or sub-items taken for points."""
    OUT_OF_ORDER = "out-of-order"
    """A number lower than the one before, other than 1 (1, 2, 4, 3)."""
    IGNORED_MARKER = "ignored-marker"
    """A line starts like a marker with an implausible number (a year) and was kept as text."""
    MIXED_STYLE = "mixed-style"
    """Lines at the list's depth start with another numbering style and stayed inside points."""
    NO_POINTS = "no-points"
    """No list was found: the whole text is the preamble."""


class SegmentWarning(FrozenModel):
    """Something odd in a plan's structure, found while segmenting; never fatal."""

    kind: WarningKind = Field(description="What the warning is about; see WarningKind.")
    message: str = Field(description="What was found, in words a reader of the plan follows.")
    offset: int = Field(ge=0, description="Code-point offset in the input where it was found.")


class Span(FrozenModel):
    """A stretch of the input that is not a point: the preamble or the closing."""

    start: int = Field(ge=0, description="Start offset in code points (inclusive).")
    end: int = Field(ge=0, description="End offset in code points (exclusive).")
    text: str = Field(description="The input between start and end, exactly as given.")

    @model_validator(mode="after")
    def _text_fits_offsets(self) -> Span:
        if not self.start <= self.end or len(self.text) != self.end - self.start:
            raise ValueError(f"span {self.start}..{self.end} does not hold {len(self.text)} chars")
        return self


class Segment(FrozenModel):
    """One point of a plan: its marker, its body and where both are in the input."""

    index: int = Field(ge=1, description="1-based position among the points of the text.")
    number: int | None = Field(
        description="The number as written; null for bulleted points. Not necessarily index."
    )
    label: str = Field(
        description="The marker as written, without Markdown bold or heading signs: '14)', "
        "'(3)', 'Article 3', 'Point 1:', '•'."
    )
    start: int = Field(ge=0, description="Start of the whole item, marker included.")
    end: int = Field(ge=0, description="End of the item (exclusive), trailing whitespace included.")
    text: str = Field(
        description="The body: marker removed, surrounding whitespace stripped, everything else "
        "(sub-items, paragraphs, line breaks) as written."
    )
    body_start: int = Field(ge=0, description="Offset of the body: input[body_start:body_end].")
    body_end: int = Field(ge=0, description="End of the body (exclusive).")

    @model_validator(mode="after")
    def _body_inside_item(self) -> Segment:
        inside = self.start <= self.body_start <= self.body_end <= self.end
        if not inside or len(self.text) != self.body_end - self.body_start:
            raise ValueError(
                f"body {self.body_start}..{self.body_end} of {len(self.text)} chars does not fit "
                f"inside item {self.start}..{self.end}"
            )
        return self


class Segmentation(FrozenModel):
    """A plan text cut into preamble, points and closing, which cover it end to end."""

    preamble: Span | None = Field(
        description="Text before the first point; null when there is none but whitespace."
    )
    points: tuple[Segment, ...] = Field(description="The points, in document order.")
    closing: Span | None = Field(description="Text after the last point; null when none is found.")
    warnings: tuple[SegmentWarning, ...] = Field(description="Numbering and structure findings.")


_new_segment = trusted_constructor(Segment)
_new_segmentation = trusted_constructor(Segmentation)

#: A warning before it becomes a model: (offset, kind, message).
_Finding = tuple[int, str, str]


class _Marker(NamedTuple):
    """A line that starts with a point marker (a candidate, until the style is chosen)."""

    line: int
    style: str  # "n.", "n)", "(n)", "R." or "R)" (Roman), "point", "article", "section", "§",
    # or the bullet character
    indent: int
    number: int | None
    label_start: int
    label_end: int
    marker_end: int

    @property
    def bare(self) -> bool:
        return self.style in _STYLE_NAMES


@dataclass(frozen=True, slots=True)
class _Lines:
    """The input's lines, as parallel lists: a plan can have 100,000 of them."""

    text: str
    start: list[int]
    content: list[int]  # first character after the indentation
    end: list[int]  # end of the line's content, before its line break

    def blank(self, i: int) -> bool:
        return self.content[i] == self.end[i]

    def indent(self, i: int) -> int:
        """Indentation in columns, computed only for the few lines whose depth matters."""
        return _columns(self.text, self.start[i], self.content[i])


def segment(text: str) -> Segmentation:
    """Cut a plan text into preamble, points and closing; see the module docstring for the rules.

    The function is total: any string gives a segmentation, and the coverage invariant holds
    (``preamble``, ``points`` and ``closing`` are contiguous and span ``[0, len(text))``).
    """
    lines = _split_lines(text)
    numbered, bullets = _find_markers(text, lines)
    findings: list[_Finding] = []

    points, threshold = _choose_numbered(numbered, findings)
    if bullets:
        bullet_points = _choose_bullets(text, lines, bullets, numbered, points)
        if bullet_points:
            points, threshold = bullet_points, min(m.indent for m in bullet_points) + 1
            findings.clear()  # numbering findings belong to the list that was not chosen

    if not points:
        findings.append((0, "no-points", "no numbered or bulleted points found"))
        preamble = Span(start=0, end=len(text), text=text) if text else None
        return Segmentation(
            preamble=preamble, points=(), closing=None, warnings=_warnings(findings)
        )

    if points[0].number is not None:
        findings += _numbering_findings(points)
        findings += _mixed_style_findings(numbered, points, threshold)

    closing_start = _closing_start(text, lines, points, numbered, bullets, threshold)
    return _assemble(text, lines, points, closing_start, _warnings(findings))


def _split_lines(text: str) -> _Lines:
    if not any(brk in text for brk in "\r\u2028\u2029\x85"):
        # Only "\n" breaks lines (nearly every text): the same spans as _LINE finds, from
        # str.split, several times faster than a match object per line.
        parts = text.split("\n")
        if not text or text.endswith("\n"):
            parts.pop()  # a break at the very end starts no line
        starts = [0]
        for part in parts:
            starts.append(starts[-1] + len(part) + 1)
        starts.pop()
        ends = [start + len(part) for start, part in zip(starts, parts, strict=True)]
        contents = [end - len(part.lstrip(_INDENT)) for end, part in zip(ends, parts, strict=True)]
        return _Lines(text, starts, contents, ends)
    # Every position can start a (possibly empty) match, so the last match is the empty one at
    # the end of the text; it is not a line.
    spans = [(m.start(), m.start(1), m.end(1)) for m in _LINE.finditer(text)][:-1]
    if not spans:
        return _Lines(text, [], [], [])
    starts, contents, ends = (list(column) for column in zip(*spans, strict=True))
    return _Lines(text, starts, contents, ends)


def _columns(text: str, start: int, end: int) -> int:
    """Indentation width in columns; past 32 characters every line is simply 'deep'."""
    if start == end:
        return 0
    column = 0
    for ch in text[start : min(end, start + 32)]:
        if ch == "\t":
            column = column // 4 * 4 + 4
        elif ch not in _ZERO_WIDTH:
            column += 1
    return column if end - start <= 32 else max(column, 32)


def _find_markers(text: str, lines: _Lines) -> tuple[list[_Marker], list[_Marker]]:
    numbered: list[_Marker] = []
    bullets: list[_Marker] = []
    match_numbered, match_bullet, match_rule = _NUMBERED.match, _BULLET.match, _RULE.match
    for i, (cs, le) in enumerate(zip(lines.content, lines.end, strict=True)):
        if cs == le or not (text[cs] in _MARKER_FIRST or text[cs].isdecimal()):
            continue  # most lines are prose; skip the patterns for them
        if found := match_numbered(text, cs, le):
            numbered.append(_numbered_marker(i, lines.indent(i), found))
        elif not match_rule(text, cs, le) and (found := match_bullet(text, cs, le)):
            bullets.append(_Marker(i, found[0], lines.indent(i), None, cs, cs + 1, cs + 1))
    return numbered, bullets


def _numbered_marker(line: int, indent: int, found: re.Match[str]) -> _Marker:
    num, num_sep, paren_num, word, word_num, sect_num = found.group(
        "num", "num_sep", "paren_num", "word", "word_num", "sect_num"
    )
    if num:
        style, number = "n" + num_sep, int(num)
    elif paren_num:
        style, number = "(n)", int(paren_num)
    elif word:
        style = word.lower()
        number = int(word_num) if word_num else _roman_value(found["word_roman"])
    elif sect_num:
        style, number = "§", int(sect_num)
    else:
        style, number = "R" + found["roman_sep"], _roman_value(found["roman"])
    label_start, label_end = found.span("label")
    return _Marker(line, style, indent, number, label_start, label_end, found.end())


_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def _roman_value(numeral: str) -> int:
    """The value of a numeral that :data:`_ROMAN` matched (so subtractive pairs are valid)."""
    values = [_ROMAN_DIGITS[ch] for ch in numeral]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


def _choose_numbered(
    numbered: list[_Marker], findings: list[_Finding]
) -> tuple[list[_Marker], int]:
    """The points of the dominant numbered style, and the top-level indentation threshold."""
    if not numbered:
        return [], 0
    threshold = min(m.indent for m in numbered) + 1
    by_style: dict[str, list[_Marker]] = {}
    for m in numbered:
        if m.indent <= threshold:
            by_style.setdefault(m.style, []).append(m)

    best: tuple[int, int] | None = None
    chosen: list[_Marker] = []
    chosen_findings: list[_Finding] = []
    ignored: list[_Finding] = []  # reported only when no style is chosen
    for markers in by_style.values():  # dict order is first-seen order: ties go to the earlier
        style_findings: list[_Finding] = []
        accepted = _plausible(markers, style_findings)
        if not accepted:
            ignored += style_findings
            continue
        numbers = [m.number or 0 for m in accepted]
        runs = 1 + sum(1 for a, b in pairwise(numbers) if b <= a)
        score = (len(accepted) - _RESTART_PENALTY * (runs - 1), -accepted[0].line)
        if best is None or score > best:
            best, chosen, chosen_findings = score, accepted, style_findings
    findings += chosen_findings if chosen else ignored
    return chosen, threshold


def _plausible(markers: list[_Marker], findings: list[_Finding]) -> list[_Marker]:
    """Drop bare numbers that jump too far and that the next marker does not continue."""
    accepted: list[_Marker] = []
    previous = 0
    for i, m in enumerate(markers):
        number = m.number or 0
        if m.bare and number > previous + MAX_JUMP:
            following = markers[i + 1].number if i + 1 < len(markers) else None
            if following != number + 1:
                message = (
                    f"a line starts with {number}, which does not continue the numbering "
                    f"after {previous}; kept as text"
                )
                findings.append((m.label_start, "ignored-marker", message))
                continue
        accepted.append(m)
        previous = number
    return accepted


def _choose_bullets(
    text: str,
    lines: _Lines,
    bullets: list[_Marker],
    numbered: list[_Marker],
    numbered_points: list[_Marker],
) -> list[_Marker]:
    """Bulleted points, when bullets form the top-level list; else an empty list."""
    top = min(m.indent for m in bullets)
    if numbered_points and top >= min(m.indent for m in numbered):
        return []
    threshold = top + 1
    char = next(m.style for m in bullets if m.indent == top)
    points = [m for m in bullets if m.style == char and m.indent <= threshold]
    if len(points) < 2:
        return []
    marked = {m.line for m in numbered} | {m.line for m in bullets}
    paragraphs = 0
    for i in range(points[0].line + 1, points[-1].line):
        if lines.blank(i) or i in marked:
            continue
        previous_blank = lines.blank(i - 1)
        previous_ends_sentence = text[lines.end[i - 1] - 1] in '.!?"”»'
        if not (previous_blank or previous_ends_sentence) or lines.indent(i) > threshold:
            continue
        if not _SUBITEM.match(text, lines.content[i], lines.end[i]):
            paragraphs += 1
    return points if len(points) > paragraphs else []


def _numbering_findings(points: list[_Marker]) -> list[_Finding]:
    findings: list[_Finding] = []
    first = points[0]
    if first.number != 1:
        findings.append((first.label_start, "start", f"numbering starts at {first.number}, not 1"))
    for before, m in pairwise(points):
        prev, number = before.number or 0, m.number or 0
        if number == prev + 1:
            continue
        if number > prev + 1:
            missing = str(prev + 1) if number == prev + 2 else f"{prev + 1}–{number - 1}"
            kind, message = "gap", f"point {number} follows point {prev}; {missing} missing"
        elif number == prev:
            kind, message = "repeat", f"point {number} appears twice in a row"
        elif number == 1:
            kind, message = "restart", f"numbering restarts at 1 after point {prev}"
        else:
            kind, message = "out-of-order", f"point {number} follows point {prev}"
        findings.append((m.label_start, kind, message))
    return findings


def _mixed_style_findings(
    numbered: list[_Marker], points: list[_Marker], threshold: int
) -> list[_Finding]:
    """One warning per other numbered style found at the top level inside the points."""
    style = points[0].style
    first_line, seen = points[0].line, {m.line for m in points}
    others: dict[str, list[_Marker]] = {}
    for m in numbered:
        top_level = m.indent <= threshold and m.line > first_line
        if top_level and m.line not in seen and m.style != style:
            others.setdefault(m.style, []).append(m)
    name = _STYLE_NAMES.get(style, style.title())
    return [
        (
            ms[0].label_start,
            "mixed-style",
            f"{len(ms)} line(s) start with a {_STYLE_NAMES.get(s, s.title())} marker in a plan "
            f"numbered {name}; kept inside their points",
        )
        for s, ms in others.items()
    ]


def _warnings(findings: list[_Finding]) -> tuple[SegmentWarning, ...]:
    """Findings as warnings in text order, at most :data:`MAX_WARNINGS_PER_KIND` of each kind.

    A garbled text can have a finding on every line; past the first few, one summary per kind
    says how many more there were, which is what a reader can use.
    """
    kept: list[_Finding] = []
    omitted: dict[str, list[_Finding]] = {}
    counts: dict[str, int] = {}
    for finding in sorted(findings, key=lambda f: f[0]):
        kind = finding[1]
        counts[kind] = counts.get(kind, 0) + 1
        if counts[kind] <= MAX_WARNINGS_PER_KIND:
            kept.append(finding)
        else:
            omitted.setdefault(kind, []).append(finding)
    for kind, rest in omitted.items():
        kept.append((rest[0][0], kind, f"{len(rest)} more '{kind}' findings like these"))
    kept.sort(key=lambda f: f[0])
    return tuple(SegmentWarning(kind=k, message=m, offset=o) for o, k, m in kept)


def _closing_start(
    text: str,
    lines: _Lines,
    points: list[_Marker],
    numbered: list[_Marker],
    bullets: list[_Marker],
    threshold: int,
) -> int | None:
    """Line index where the closing text starts, by the two rules of the module docstring."""
    point_lines = {m.line for m in points}
    # A marker alone on its line ("Article 3", "## 4.") has its text in the next paragraph,
    # which is the point's first paragraph, not a continuation.
    bodyless = {m.line for m in points if not text[m.marker_end : lines.end[m.line]].strip(_STRIP)}
    marked = {m.line for m in numbered} | {m.line for m in bullets}
    last = points[-1].line
    closing_by_marker: int | None = None
    closing_by_shape: int | None = None
    earlier_continuation = False
    awaiting_body = False
    for i in range(points[0].line, len(lines.start)):
        if i in point_lines:
            awaiting_body = i in bodyless
            continue
        if lines.blank(i):
            continue
        cs, le = lines.content[i], lines.end[i]
        if i > last and lines.indent(i) <= threshold and _closes(text, cs, le, marked=i in marked):
            closing_by_marker = i
            break
        if awaiting_body:
            awaiting_body = False
            continue
        if not lines.blank(i - 1) or i in marked or lines.indent(i) > threshold:
            continue
        if _SUBITEM.match(text, cs, le):
            continue
        if i < last:
            earlier_continuation = True
        elif closing_by_shape is None:
            closing_by_shape = i
    if len(points) < 2 or earlier_continuation:
        closing_by_shape = None
    found = [i for i in (closing_by_marker, closing_by_shape) if i is not None]
    return min(found) if found else None


def _closes(text: str, start: int, end: int, *, marked: bool) -> bool:
    if _RULE.match(text, start, end):
        return True
    return not marked and _CLOSING.match(text, start, end) is not None


def _assemble(
    text: str,
    lines: _Lines,
    points: list[_Marker],
    closing_line: int | None,
    warnings: tuple[SegmentWarning, ...],
) -> Segmentation:
    first_start = lines.start[points[0].line]
    preamble = None
    if text[:first_start].strip(_STRIP):
        preamble = Span(start=0, end=first_start, text=text[:first_start])
    else:
        first_start = 0
    closing = None
    body_limit = len(text)
    if closing_line is not None:
        body_limit = lines.start[closing_line]
        closing = Span(start=body_limit, end=len(text), text=text[body_limit:])

    starts = [first_start] + [lines.start[m.line] for m in points[1:]]
    ends = [*starts[1:], body_limit]
    segments = []
    for index, (m, start, end) in enumerate(zip(points, starts, ends, strict=True), start=1):
        body_start, body_end, body = _strip_body(text, m.marker_end, end)
        # Built as Segment(...) would be, without re-checking what holds by construction here
        # (the body lies inside the item and is its text); 30,000 validations took 0.2 s.
        segments.append(
            _new_segment(
                index=index,
                number=m.number,
                label=text[m.label_start : m.label_end],
                start=start,
                end=end,
                text=body,
                body_start=body_start,
                body_end=body_end,
            )
        )
    return _new_segmentation(
        preamble=preamble, points=tuple(segments), closing=closing, warnings=warnings
    )


def _strip_body(text: str, start: int, end: int) -> tuple[int, int, str]:
    """``text[start:end]`` without surrounding whitespace: (start, end, the text itself)."""
    stripped = text[start:end].lstrip(_STRIP)
    if not stripped:
        return start, start, ""
    body = stripped.rstrip(_STRIP)
    body_start = end - len(stripped)
    return body_start, body_start + len(body), body
