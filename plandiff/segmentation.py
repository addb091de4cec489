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

How the parts are found, by one principle: the marker series that best explains the document.

* **Candidates** (:mod:`plandiff.markers`): every line that starts like a marker, in any style
  (``1.``, ``1)``, ``(1)``, ``IV.``, ``Article 34-1``, ``Article premier``, ``Article One``,
  ``§ 5a``, ``SEC. 2.``,
  ``Point 3``, loose ``2 –``, glued ``1.Definitions``, bullets), looking through box borders,
  table bars, Markdown heading signs and bold. A number in the middle of a line never counts,
  nor does a table of contents (leader dots and page numbers, or titles repeated further on).
* **The series** (:mod:`plandiff.series`): candidates grouped by style and indentation band,
  each read as a chain of in-order numbers (inserted ``34-1``, ``2 bis``, ``1a``, ``67¹`` sort
  between neighbours). Off the chain, a marker that starts its paragraph as the chain's markers
  do is a numbering slip (kept, with a warning); one inside a wrapped sentence, a bare number
  that jumps more than :data:`MAX_JUMP` ahead, or one that breaks the chain's shape is text. The
  series with most points and fewest restarts wins; a shallower series wins over one nested in
  its points, and a restarting numbering is a sub-level unless its runs fill every item of a
  series of heading-like markers. Bullets are the points only when no numbered series is.
* **Headings and closing** (:mod:`plandiff.outline`): short heading lines standing above a
  point (``Titre II``, ``CHAPTER 3``, capitals, Markdown headings) become heading spans, and
  each point carries the path of headings above it. The closing starts where the document ends
  its list: a closing formula or rule, a heading-shaped or centred line after the last point,
  a dateline, or a new paragraph (or sentence) in a list of one-paragraph (one-line) points;
  never at a sub-item, a quotation or a paragraph the point announced with a colon.
* **Divisions** (:mod:`plandiff.divisions`): a schedule, annex or appendix heading after the
  main series under which numbering starts again (``SCHEDULE 1`` … ``1.``, ``2.``) holds points
  of its own, each carrying :attr:`Segment.division` (``Schedule 1``); its restart is no
  finding. One whose numbering carries on is a heading like any other.
* **The preamble** is the text before the first point (or its headings); when it is only
  whitespace it is folded into the first point and :attr:`Segmentation.preamble` is ``None``.
* **No list at all**: the text's paragraphs are its points (:mod:`plandiff.paragraphs`, style
  :data:`PARAGRAPHS`, numbers ``None``); only a text of whitespace has no point.

``segment(text, points=...)`` forces the series instead (``--points``), and
:attr:`Segmentation.series` says how the text was cut either way.

Numbering anomalies and other findings are reported as :class:`SegmentWarning`, one
:class:`WarningKind` each, in text order; past :data:`MAX_WARNINGS_PER_KIND` of a kind, one
summary warning counts the rest.

Candidates come from one compiled-regex pass over the text; what follows is a few passes over
the candidates and one over the lines after the first point, with patterns anchored at the line
start that cannot backtrack more than linearly. Time is linear in the input (the chain is
O(n log n) in the markers, and in-order markers skip it): 30,000 points (12 MB) segment in about
an eighth of a second of CPU, and a megabyte-long line of digits and dots is no harder than a
short one. The result is plain immutable records (msgspec Structs): the pipeline reads them,
nothing validates them again.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from itertools import pairwise
from operator import attrgetter
from typing import Any, NamedTuple

import msgspec

from plandiff.divisions import Division, division_headings, split_by_division
from plandiff.findings import (
    MAX_WARNINGS_PER_KIND,
    SegmentWarning,
    WarningKind,
    mixed_style_findings,
    numbering_findings,
    structure_findings,
    warnings_of,
)
from plandiff.lines import STRIP, Lines, split_lines
from plandiff.markers import STYLE_NAMES, STYLE_SHAPES, Marker, find_markers
from plandiff.outline import closing_line, heading_shaped, headings
from plandiff.paragraphs import paragraph_spans
from plandiff.series import MAX_JUMP, Finding, choose, line_width
from plandiff.spans import Points, Segment, Span, assemble

__all__ = [
    "MAX_JUMP",
    "MAX_WARNINGS_PER_KIND",
    "POINT_STYLES",
    "Cut",
    "PointSeries",
    "Segment",
    "SegmentWarning",
    "Segmentation",
    "Span",
    "WarningKind",
    "cut",
    "points_option",
    "segment",
]

#: The named styles ``--points`` takes; anything else is read as a regular expression.
POINT_STYLES = tuple(sorted({*STYLE_NAMES.values(), "bullet"}))

_NUMBER_OF = attrgetter("number")

#: The style of the points of a text with no numbering: its paragraphs.
PARAGRAPHS = "paragraph"

#: More division headings than this and the text is a code of many annexes, not a contract
#: with its schedules: they are not looked into (each costs a choice among its markers).
_MAX_DIVISIONS = 200


class PointSeries(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """How a text was cut: the series of markers chosen as its points, and what was left over."""

    #: The marker style: 'number-dot', 'number-paren', 'paren-number', 'roman-dot', 'article',
    #: 'section', 'paragraph-sign', 'bullet', 'pattern' (a regular expression given with
    #: --points) …; None when no points were found.
    style: str | None
    marker: str | None  # how a marker looks: 'N.', 'Article N', '•'
    column: int  # indentation column of the markers
    count: int  # how many points
    first: str | None  # the first point's number as written
    last: str | None  # the last point's number as written
    forced: bool  # True when --points chose the series
    preamble_chars: int  # characters left before the points
    closing_chars: int  # characters left after the points
    headings: int  # how many headings stand between the points
    #: The divisions with numbering of their own ('Schedule 1', 'Annex A'), in order; their
    #: points are counted in ``count``, while ``first`` and ``last`` are the main series'.
    divisions: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: 'cut at `N.` markers, column 2: 13 points, 0–12; preamble 2,301 chars'."""
        if not self.count:
            return "no points found"
        if self.style == PARAGRAPHS and self.marker is None:
            noun = "paragraph" if self.count == 1 else "paragraphs"
            return f"cut at paragraphs: {self.count} {noun}"
        what = "bullets" if self.style == "bullet" else "markers"
        noun = "point" if self.count == 1 else "points"
        line = f"cut at `{self.marker}` {what}, column {self.column}: {self.count} {noun}"
        if self.first is not None and self.last is not None:
            single = self.count == 1 or (bool(self.divisions) and self.first == self.last)
            line += f", {self.first}" if single else f", {self.first}–{self.last}"
        if self.divisions:
            line += f" and {len(self.divisions)} division{'s' if len(self.divisions) > 1 else ''}"
            line += f" ({', '.join(self.divisions)})"
        rest = [
            f"{name} {size:,} chars"
            for name, size in (("preamble", self.preamble_chars), ("closing", self.closing_chars))
            if size
        ]
        if self.headings:
            rest.append(f"{self.headings} heading{'s' if self.headings > 1 else ''}")
        return (
            line + ("; " + ", ".join(rest) if rest else "") + (" (forced)" if self.forced else "")
        )

    def as_dict(self) -> dict[str, Any]:
        """The fields by name, as plain values: what a report summarises the cut from."""
        return msgspec.structs.asdict(self)


class Segmentation(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A plan text cut into preamble, points, headings and closing, which cover it end to end."""

    preamble: Span | None  # text before the first point; None when there is none but whitespace
    points: tuple[Segment, ...]  # the points, in document order
    #: Headings standing between points (or right above the first), in order; each point ends
    #: where a heading starts.
    headings: tuple[Span, ...] = ()
    closing: Span | None  # text after the last point; None when none is found
    warnings: tuple[SegmentWarning, ...]  # numbering and structure findings
    series: PointSeries | None = None  # how the text was cut: the series chosen as its points


def segment(
    text: str, points: str | re.Pattern[str] | None = None, *, paragraphs: bool = True
) -> Segmentation:
    """Cut a plan text into preamble, points, headings and closing (see the module docstring).

    ``points`` forces the series: a name of :data:`POINT_STYLES` (the markers of that style at
    their shallowest indentation band), or a compiled regular expression matched at the start
    of each line's content (its first group, if any, is the number as written). The function is
    total: any string gives a segmentation, and the parts cover ``[0, len(text))`` end to end.

    A text with no numbered or bulleted list is cut at its paragraphs (style
    :data:`PARAGRAPHS`, numbers None); ``paragraphs=False`` leaves it whole as the preamble,
    with a ``no-points`` warning, for a caller that wants a list or nothing.
    """
    found = cut(text, points, paragraphs=paragraphs)
    return Segmentation(
        preamble=found.preamble,
        points=found.points.segments(text),
        headings=found.headings,
        closing=found.closing,
        warnings=found.warnings,
        series=found.series,
    )


class Cut(NamedTuple):
    """:class:`Segmentation` with its points as columns (:class:`~plandiff.spans.Points`), for
    a caller that reads them as such (a diff of two plan files)."""

    preamble: Span | None
    points: Points
    headings: tuple[Span, ...]
    closing: Span | None
    warnings: tuple[SegmentWarning, ...]
    series: PointSeries


_NO_POINTS = Points(None, [], [], [], [], [], [])


def cut(text: str, points: str | re.Pattern[str] | None = None, *, paragraphs: bool = True) -> Cut:
    """:func:`segment`, with the points as columns."""
    lines = split_lines(text)
    markers = find_markers(lines)
    divisions: list[Division] = []
    interlude: int | None = None  # where signatures between the main series and divisions start
    if points is None:
        choice = choose(lines, markers)
        chosen, style, threshold, findings = choice
        threshold += 1
        if chosen and chosen[0].number is not None:
            chosen, findings, divisions, interlude = _divided(
                lines, markers, chosen, findings, threshold
            )
    else:
        chosen, style, threshold = _forced(lines, markers, points)
        findings = []
    if not chosen:
        if points is None and paragraphs and text.strip(STRIP):
            return _paragraphs(text, lines, findings)
        findings.append((0, "no-points", "no numbered or bulleted points found"))
        preamble = Span(start=0, end=len(text), text=text) if text else None
        series = _series(None, [], 0, points is not None, len(text), 0, 0)
        return Cut(preamble, _NO_POINTS, (), None, warnings_of(findings), series)
    main = chosen
    if divisions:
        main = [m for m in chosen if m.line < divisions[0].line]
    if chosen[0].number is not None:
        for run in _division_runs(chosen, divisions):
            findings += numbering_findings(run)
        if points is None:
            findings += mixed_style_findings(markers, chosen, threshold)
    firsts = {
        run[0].line: d.line
        for run, d in zip(_division_runs(chosen, divisions)[1:], divisions, strict=True)
    }
    signed = None
    if interlude is not None:
        signed = (next(iter(firsts)), interlude)  # above the first division's first point
    found = headings(lines, chosen, firsts, signed)
    heading_lines = {i for h in found for i in range(h.first, h.last + 1)}
    closing = closing_line(lines, chosen, markers, heading_lines, threshold)
    preamble, cut_points, heading_spans, closing_span = assemble(
        text, lines.start, chosen, found, closing, divisions
    )
    preamble_chars = preamble.end if preamble else 0
    closing_chars = len(text) - closing_span.start if closing_span else 0
    series = _series(
        style, main, threshold - 1, points is not None, len(text), preamble_chars, closing_chars
    )
    series = msgspec.structs.replace(
        series,
        count=len(chosen),
        headings=len(heading_spans),
        divisions=tuple(dict.fromkeys(d.label for d in divisions)),
    )
    findings += structure_findings(text, preamble, cut_points, closing_span)
    return Cut(preamble, cut_points, heading_spans, closing_span, warnings_of(findings), series)


def points_option(spec: str) -> str | re.Pattern[str]:
    """What ``--points SPEC`` names: a style of :data:`POINT_STYLES`, else a regular expression.

    Raises :class:`~plandiff.errors.InputError` (one line) for an expression that does not
    compile or that matches an empty string (it would mark every line).
    """
    from plandiff.errors import InputError, show

    if spec in POINT_STYLES:
        return spec
    try:
        pattern = re.compile(spec)
    except re.error as exc:
        raise InputError(
            f"--points {show(spec)}: neither a style ({', '.join(POINT_STYLES)}) nor a valid "
            f"regular expression ({exc})"
        ) from None
    if pattern.match(""):
        raise InputError(f"--points {show(spec)}: the expression matches an empty line")
    return pattern


def _forced(
    lines: Lines, markers: list[Marker], points: str | re.Pattern[str]
) -> tuple[list[Marker], str | None, int]:
    """The markers that ``--points`` names: a style at its shallowest band, or a pattern."""
    if isinstance(points, str):
        if points == "bullet":
            wanted = [m for m in markers if m.number is None]
        else:
            wanted = [m for m in markers if STYLE_NAMES.get(m.style) == points]
        if not wanted:
            return [], None, 0
        top = min(m.indent for m in wanted)
        kept = [m for m in wanted if m.indent <= top + 1]
        if points == "bullet":
            kept = [m for m in kept if m.style == kept[0].style]
        return kept, kept[0].style, top + 1
    text = lines.text
    found: list[Marker] = []
    for i, (cs, le) in enumerate(zip(lines.content, lines.end, strict=True)):
        if cs == le or not (match := points.match(text, cs, le)) or match.end() == cs:
            continue
        written = match.group(1) if points.groups and match.group(1) else None
        digits = re.search(r"\d+", written or match[0])
        number = int(digits[0]) if digits else None
        written = written or (digits[0] if digits else None)
        alone = not text[match.end() : le].strip(STRIP)
        found.append(
            Marker(
                i,
                "pattern",
                lines.indent(i),
                number,
                (number or 0, 0),
                written,
                cs,
                match.end(),
                match.end(),
                alone,
                0,
            )
        )
    threshold = min((m.indent for m in found), default=0) + 1
    return found, "pattern", threshold


def _divided(
    lines: Lines,
    markers: list[Marker],
    chosen: list[Marker],
    findings: list[Finding],
    threshold: int,
) -> tuple[list[Marker], list[Finding], list[Division], int | None]:
    """The points with those of the divisions that restart numbering after the main series
    (see :mod:`plandiff.divisions`); the points as chosen when there are none. And the line
    where what ends the main series (signatures, "Done at …") starts, when it stands before
    the first division: it is no point's text, but stands between points as headings do."""
    # Without a second number 0 or 1 among the candidates nothing restarts: no division (and
    # no scan of the text for division headings, the common case).
    numbers = list(map(_NUMBER_OF, markers))
    if numbers.count(1) + numbers.count(0) < 2:
        return chosen, findings, [], None
    candidates = division_headings(lines, chosen[0].line)
    if not candidates or len(candidates) > _MAX_DIVISIONS:
        return chosen, findings, [], None
    numbered = [m for m in markers if m.number is not None]
    width = line_width(lines)
    kept, runs = split_by_division(
        numbered, candidates, lambda stretch: choose(lines, stretch, width).points
    )
    if not kept:
        return chosen, findings, [], None
    first = kept[0].line
    before = [m for m in markers if m.line < first]
    main = choose(lines, before, width)
    if not main.points or main.points[0].number is None or main.indent + 1 != threshold:
        return chosen, findings, [], None
    # The main series may end before the first division as a contract does, with its
    # signatures: they are no part of the last clause.
    short = Lines(lines.text, lines.start[:first], lines.content[:first], lines.end[:first])
    above = headings(short, main.points)
    heading_lines = {i for h in above for i in range(h.first, h.last + 1)}
    end = closing_line(short, main.points, before, heading_lines, threshold)
    if end is not None and all(
        short.blank(i) or heading_shaped(short.stripped(i)) for i in range(end, first)
    ):
        end = None  # only headings ("SCHEDULES") over the divisions: theirs
    # A run that jumps onto the number after the main series' last ("Annex A" quoted inside
    # clause 7 with its items 1, 2, then clause 8) is the main series going on: no division.
    resumed = main.points[-1].key[0] + 1
    for run in runs:
        if any(b.key[0] == resumed and b.key[0] > a.key[0] + 1 for a, b in pairwise(run)):
            return chosen, findings, [], None
    points = main.points + [m for run in runs for m in run]
    return points, main.findings, kept, end


def _division_runs(chosen: list[Marker], divisions: list[Division]) -> list[list[Marker]]:
    """The points cut where each division starts: the main series, then each division's."""
    if not divisions:
        return [chosen]
    lines = [m.line for m in chosen]
    cuts = [0, *(bisect_left(lines, d.line) for d in divisions), len(chosen)]
    return [chosen[a:b] for a, b in pairwise(cuts) if b > a]


def _paragraphs(text: str, lines: Lines, findings: list[Finding]) -> Cut:
    """A text with no numbering cut at its paragraphs: each is a point, ``¶ N`` to a reader."""
    spans = paragraph_spans(lines, line_width(lines))
    starts: list[int] = []
    ends: list[int] = []
    bodies: list[str] = []
    body_starts: list[int] = []
    for start, end in spans:
        rest = text[start:end]
        body = rest.strip(STRIP)
        starts.append(start)
        ends.append(end)
        bodies.append(body)
        body_starts.append(start + rest.find(body[0]))
    nothing = [None] * len(spans)
    series = PointSeries(
        style=PARAGRAPHS,
        marker=None,
        column=0,
        count=len(spans),
        first=None,
        last=None,
        forced=False,
        preamble_chars=0,
        closing_chars=0,
        headings=0,
    )
    points = Points(None, starts, ends, bodies, body_starts, nothing, nothing)
    # Markers kept as text (a year) are still worth saying.
    return Cut(None, points, (), None, warnings_of(findings), series)


def _series(
    style: str | None,
    chosen: list[Marker],
    column: int,
    forced: bool,
    size: int,
    preamble_chars: int,
    closing_chars: int,
) -> PointSeries:
    if style is None or not chosen:
        name = marker = None
    elif style == "pattern":
        name, marker = "pattern", "pattern"
    elif style in STYLE_NAMES:
        name, marker = STYLE_NAMES[style], STYLE_SHAPES[style]
    else:
        name, marker = "bullet", style
    return PointSeries(
        style=name,
        marker=marker,
        column=max(column, 0),
        count=len(chosen),
        first=chosen[0].number_text if chosen else None,
        last=chosen[-1].number_text if chosen else None,
        forced=forced,
        preamble_chars=preamble_chars,
        closing_chars=closing_chars,
        headings=0,
    )
