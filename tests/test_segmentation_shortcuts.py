"""The segmenter's shortcuts give what the general way gives.

A diff of two plan files reads the points as columns (:class:`plandiff.spans.Points`) where
:func:`plandiff.segmentation.segment` builds a Segment of each; the table-of-contents pass skips
a numbering that rises all along, and the numbering findings one that goes up one at a time;
the line width is counted by size rather than sorted; "12. 500 …" is read by the candidate
pattern alone. Each is checked here against the general way.
"""

from __future__ import annotations

from bisect import bisect_left
from itertools import pairwise
from operator import sub

import msgspec
from hypothesis import given
from hypothesis import strategies as st

from plandiff import outside
from plandiff.findings import _step_findings, numbering_findings
from plandiff.lines import STRIP, split_lines
from plandiff.markers import Marker, _marker_at, _without_listed_contents, find_markers
from plandiff.segmentation import cut, segment
from plandiff.series import _UNWRAPPED, _WRAPPED_CHARS, line_width
from plandiff.texts import documents_from_texts
from tests.strategies import any_text, plan_texts


@given(st.one_of(plan_texts(), any_text()), st.booleans())
def test_a_text_diff_reads_the_points_segment_cuts(text: str, context: bool) -> None:
    """The version a text diff builds from the columns holds, point by point, what the public
    Segments hold: number, body (or the marker alone), its span; and the same outline."""
    seg = segment(text)
    (found, outline), *_ = documents_from_texts([(text, "t.txt", None)], context=context)
    points = found.version.points
    assert len(points) == len(seg.points)
    for record, point in zip(points, seg.points, strict=True):
        assert record.key == f"p{point.index}"
        assert record.number == point.number
        assert record.text == (point.text or point.label)
        if point.text:
            (anchor,) = record.evidence
            assert (anchor.start, anchor.end, anchor.quote) == (
                point.body_start,
                point.body_end,
                point.text,
            )
            if context:
                assert anchor.prefix == text[max(point.body_start - 32, 0) : point.body_start]
        else:
            assert record.evidence == ()
    assert outline == outside.outline_of(seg)
    assert found.segmentation.count == len(seg.points)


@given(st.one_of(plan_texts(), any_text()))
def test_the_columns_are_the_segments(text: str) -> None:
    found = cut(text)
    seg = segment(text)
    assert found.points.segments(text) == seg.points
    assert (found.preamble, found.headings, found.closing) == (
        seg.preamble,
        seg.headings,
        seg.closing,
    )
    assert (found.warnings, found.series) == (seg.warnings, seg.series)


_TITLES = ("Scope", "Definitions", "Scope of the agreement", "Final provisions", "Annex")


@st.composite
def rising_lists(draw: st.DrawFn) -> str:
    """Numbered lines whose numbers rise, with titles that come again and blank lines: what
    the table-of-contents pass would read, were the numbering not seen to rise first."""
    numbers = sorted(set(draw(st.lists(st.integers(0, 40), min_size=1, max_size=16))))
    lines = []
    for n in numbers:
        sep = draw(st.sampled_from((". ", ") ", ".  ", ".\t")))
        lines.append(f"{n}{sep}{draw(st.sampled_from(_TITLES))}")
        if draw(st.integers(0, 3)) == 0:
            lines.append("")
    return "\n".join(lines) + draw(st.sampled_from(("", "\n")))


@given(st.one_of(rising_lists(), plan_texts()))
def test_a_rising_numbering_has_no_table_of_contents(text: str) -> None:
    """What the shortcut relies on: markers numbered in rising order are all kept by the
    table-of-contents pass, whichever of them were read by the general pattern."""
    lines = split_lines(text)
    found = find_markers(lines)
    numbers = [m.number for m in found if m.number is not None]
    if len(numbers) < len(found) or any(b <= a for a, b in pairwise(numbers)):
        return
    for decorated in (set(), set(range(len(found)))):
        assert _without_listed_contents(lines, found, decorated) == found


def _sorted_width(sizes: list[int]) -> int:
    """The line width by its definition: sort the sizes, take the 95th percentile."""
    sizes = sorted(size for size in sizes if size)
    if not sizes:
        return _UNWRAPPED
    width = sizes[len(sizes) * 19 // 20]
    full = len(sizes) - bisect_left(sizes, width * 17 // 20)
    return width if full * 4 >= len(sizes) and width >= _WRAPPED_CHARS else _UNWRAPPED


@given(
    st.lists(st.one_of(st.integers(0, 90), st.sampled_from((0, 60, 66, 72, 76, 78))), max_size=300)
)
def test_the_line_width_counted_by_size_is_the_sorted_one(sizes: list[int]) -> None:
    text = "\n".join("x" * size for size in sizes)
    lines = split_lines(text)
    assert line_width(lines) == _sorted_width(list(map(sub, lines.end, lines.content)))


_AFTER_NUMBER = st.sampled_from(
    ("Scope", "500 people", "2024 budget", "é", "_x_", "__", "«Quote»", "1. nested", "", "§ 3")
)


@st.composite
def numbered_lines(draw: st.DrawFn) -> str:
    """Lines that start with a number and a separator, then anything: the plain reading and
    the general one meet here."""
    lines = []
    for _ in range(draw(st.integers(1, 8))):
        indent = draw(st.sampled_from(("", "  ", "\t", "\u00a0", "\u200b")))
        number = draw(st.integers(0, 1_234_567))
        sep = draw(st.sampled_from((".", ")", "\\.", ".**")))
        space = draw(st.sampled_from((" ", "  ", "\t", "\u2003", "")))
        lines.append(f"{indent}{number}{sep}{space}{draw(_AFTER_NUMBER)}")
    return draw(st.sampled_from(("\n", "\r\n"))).join(lines)


@given(st.one_of(numbered_lines(), plan_texts()))
def test_a_plain_marker_is_read_as_the_general_pattern_reads_it(text: str) -> None:
    """A line that starts "12. " is read by the candidate pattern alone, as the general
    reading of a marker would read it, but for the whitespace after it that the body loses."""
    lines = split_lines(text)
    for m in find_markers(lines):
        cs, le = lines.content[m.line], lines.end[m.line]
        if not text[cs].isdigit():
            continue
        general = _marker_at(text, m.line, cs, le, lines)
        assert general is not None
        assert msgspec.structs.replace(general, marker_end=m.marker_end) == m
        assert text[m.marker_end : le].strip(STRIP) == text[general.marker_end : le].strip(STRIP)


@st.composite
def numberings(draw: st.DrawFn) -> list[Marker]:
    """Markers numbered one apart, with now and then an inserted number (34-1), a gap, a
    repeat or a restart."""
    number = draw(st.integers(0, 3))
    markers = []
    for line in range(draw(st.integers(1, 30))):
        rank = draw(st.sampled_from((0, 0, 0, 0, 1, 2)))
        written = f"{number}-{rank}" if rank else str(number)
        markers.append(Marker(line, "n.", 0, number, (number, rank), written, 0, 1, 2, False, 0))
        number = draw(st.sampled_from((number + 1,) * 6 + (number + 3, number, 1, number - 1)))
    return markers


@given(numberings())
def test_numbers_one_apart_have_no_step_findings(points: list[Marker]) -> None:
    """The shortcut of a numbering one apart all along gives what reading each step gives."""
    found = numbering_findings(points)
    start = [f for f in found if f[1] == "start"]
    assert found == start + _step_findings(points)
