"""The stretches a segmentation cuts a text into, and its points as columns (pure, no I/O).

:func:`assemble` turns the chosen markers, the headings between them and the closing line into
spans that cover the text end to end: the preamble, each point from its marker's line to the
next point (or heading block), the headings and the closing. The points come back as
:class:`Points`, parallel lists with one entry a point: :func:`plandiff.segmentation.segment`
builds a :class:`Segment` of each, and a diff of two plan files reads the columns as they are
(30,000 Segments a text, built to be read once and dropped, cost it about 25 ms).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import msgspec

from plandiff.lines import STRIP
from plandiff.markers import Marker
from plandiff.outline import Heading, heading_path

if TYPE_CHECKING:
    from plandiff.divisions import Division

__all__ = ["Points", "Segment", "Span", "assemble"]


class Span(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A stretch of the input that is not a point: the preamble, a heading or the closing."""

    start: int  # start offset in code points (inclusive)
    end: int  # end offset in code points (exclusive)
    text: str  # the input between start and end, exactly as given

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end or len(self.text) != self.end - self.start:
            raise ValueError(f"span {self.start}..{self.end} does not hold {len(self.text)} chars")


class Segment(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """One point of a plan: its marker, its body and where both are in the input.

    Built only by :func:`plandiff.segmentation.segment`, whose construction puts the body
    inside the item and makes it the item's text; the tests check that on every segmentation
    they make, so a point (30,000 in a long code) is not checked again as it is built.
    """

    index: int  # 1-based position among the points of the text
    number: int | None  # the number as written; None for bulleted points; not always index
    #: The number as written, without decoration: '34-1', 'premier', '0', 'IV'; None for
    #: bulleted points.
    number_text: str | None = None
    #: The headings above the point, outermost first, joined by ' › ' ('Titre II – Du
    #: Président › Chapitre 1'); None when there are none.
    heading: str | None = None
    #: The marker as written, without Markdown bold or heading signs: '14)', '(3)',
    #: 'Article 3', 'Point 1:', '•'.
    label: str
    start: int  # start of the whole item, marker included
    end: int  # end of the item (exclusive), trailing whitespace included
    #: The body: marker removed, surrounding whitespace stripped, everything else (sub-items,
    #: paragraphs, line breaks) as written.
    text: str
    body_start: int  # offset of the body: input[body_start:body_end]
    body_end: int  # end of the body (exclusive)
    #: The division whose own numbering the point belongs to, as a path names it
    #: ('Schedule 1', 'Annex A'); None for the main series.
    division: str | None = None


class Points(NamedTuple):
    """A text's points as parallel columns, entry k for the point ``k + 1``: the fields of
    :class:`Segment`, without an object a point."""

    #: Each point's marker; None for a text cut at its paragraphs (no numbers, no labels).
    markers: Sequence[Marker] | None
    starts: list[int]
    ends: list[int]
    bodies: list[str]
    body_starts: list[int]
    headings: Sequence[str | None]  # each point's heading path, as Segment.heading
    divisions: Sequence[str | None]

    def numbers(self) -> list[int | None]:
        if self.markers is None:
            return [None] * len(self.starts)
        return [m.number for m in self.markers]

    def number_texts(self) -> list[str | None]:
        if self.markers is None:
            return [None] * len(self.starts)
        return [m.number_text for m in self.markers]

    def label(self, text: str, k: int) -> str:
        """The marker of the point ``k + 1`` as written (see :attr:`Segment.label`)."""
        if self.markers is None:
            return ""
        m = self.markers[k]
        return text[m.label_start : m.label_end]

    def segments(self, text: str) -> tuple[Segment, ...]:
        """The points as :class:`Segment` records."""
        if self.markers is None:
            labels = [""] * len(self.starts)
        else:
            labels = [text[m.label_start : m.label_end] for m in self.markers]
        columns = zip(
            self.numbers(),
            self.number_texts(),
            self.headings,
            labels,
            self.starts,
            self.ends,
            self.bodies,
            self.body_starts,
            self.divisions,
            strict=True,
        )
        return tuple(
            Segment(
                index=index,
                number=number,
                number_text=written,
                heading=heading,
                label=label,
                start=start,
                end=end,
                text=body,
                body_start=body_start,
                body_end=body_start + len(body),
                division=division,
            )
            for index, (
                number,
                written,
                heading,
                label,
                start,
                end,
                body,
                body_start,
                division,
            ) in enumerate(columns, start=1)
        )


def assemble(
    text: str,
    line_start: list[int],
    points: list[Marker],
    found: list[Heading],
    closing_line: int | None,
    divisions: list[Division],
) -> tuple[Span | None, Points, tuple[Span, ...], Span | None]:
    """The spans: preamble, then points and headings interleaved, then the closing."""
    starts = [line_start[m.line] for m in points]
    # Each heading block runs from its first line to the start of the point below it.
    blocks: dict[int, int] = {}  # point index → start of the heading block above it
    k = 0
    for h in found:
        while points[k].line < h.last:
            k += 1
        blocks.setdefault(k, line_start[h.first])
    first_start = blocks.get(0, starts[0])
    preamble = None
    if text[:first_start].strip(STRIP):
        preamble = Span(start=0, end=first_start, text=text[:first_start])
    else:
        first_start = 0
    closing = None
    body_limit = len(text)
    if closing_line is not None:
        body_limit = line_start[closing_line]
        closing = Span(start=body_limit, end=len(text), text=text[body_limit:])
    heading_spans: list[Span] = []
    for k, start in sorted(blocks.items()):
        start = first_start if k == 0 else start
        heading_spans.append(Span(start=start, end=starts[k], text=text[start : starts[k]]))
    if 0 not in blocks:
        starts[0] = first_start
    if blocks:
        ends = [blocks.get(k + 1, starts[k + 1]) for k in range(len(points) - 1)]
    else:
        ends = starts[1:]
    ends.append(body_limit)
    paths = heading_path(found, points) if found else [None] * len(points)
    division_of: list[str | None] = [None] * len(points)
    if divisions:
        division_lines = [d.line for d in divisions]
        for k, m in enumerate(points):
            if (at := bisect_right(division_lines, m.line) - 1) >= 0:
                division_of[k] = divisions[at].label
    bodies, body_starts = _bodies(text, points, ends)
    return (
        preamble,
        Points(points, starts, ends, bodies, body_starts, paths, division_of),
        tuple(heading_spans),
        closing,
    )


def _bodies(text: str, points: list[Marker], ends: list[int]) -> tuple[list[str], list[int]]:
    """Each point's body, its item less the marker and the whitespace around what is left, and
    where it starts: cut by str.strip in C rather than a step per character. (Checking for the
    common "12. text" item and cutting it with one slice costs as much as it saves.)"""
    bodies: list[str] = []
    body_starts: list[int] = []
    for m, end in zip(points, ends, strict=True):
        start = m.marker_end
        rest = text[start:end]
        body = rest.strip(STRIP)
        # What precedes the body is all whitespace, and its first character is not: found first.
        bodies.append(body)
        body_starts.append(start + rest.find(body[0]) if body else start)
    return bodies, body_starts
