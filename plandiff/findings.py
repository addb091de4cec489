"""What is odd in a text's numbering and shape, said as warnings; never a reason to stop.

A missing point 3 or a numbering that restarts is a finding to report, not an error: the
segmenter (:mod:`plandiff.segmentation`) collects findings as it cuts a text, and this module
words them and caps them per kind, so a garbled text cannot bury the report in warnings.
"""

from __future__ import annotations

import re
from enum import StrEnum
from itertools import pairwise
from operator import sub
from typing import TYPE_CHECKING

import msgspec

from plandiff.lines import STRIP
from plandiff.markers import STYLE_SHAPES, Marker
from plandiff.series import Finding

if TYPE_CHECKING:
    from plandiff.spans import Points, Span

__all__ = [
    "MAX_WARNINGS_PER_KIND",
    "SegmentWarning",
    "WarningKind",
    "mixed_style_findings",
    "numbering_findings",
    "structure_findings",
    "warnings_of",
]

#: A garbled text could have a finding on every line; past this many of a kind, one summary.
MAX_WARNINGS_PER_KIND = 20


#: Texts shorter than this are too short for their shape to say the cut is wrong.
_STRUCTURE_MIN_CHARS = 1000


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
    STRUCTURE = "structure"
    """The chosen series explains little of the text: most of it is preamble or closing, or
    one point holds most of it. The guess may be wrong; ``--points`` can force another."""


class SegmentWarning(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Something odd in a plan's structure, found while segmenting; never fatal."""

    kind: WarningKind  # what the warning is about; see WarningKind
    message: str  # what was found, in words a reader of the plan follows
    offset: int  # code-point offset in the input where it was found


def structure_findings(
    text: str, preamble: Span | None, points: Points, closing: Span | None
) -> list[Finding]:
    """A warning when the cut explains little of the text: the guess may be wrong."""
    size = _stripped_size(text)
    if size < _STRUCTURE_MIN_CHARS:
        return []
    outside = sum(len(s.text.strip(STRIP)) for s in (preamble, closing) if s)
    count = len(points.starts)
    if outside * 2 > size:
        share = round(100 * outside / size)
        message = (
            f"{share}% of the text is outside the {count} point(s) found "
            "(preamble and closing); the points may be cut at the wrong markers (see --points)"
        )
        return [(0, "structure", message)]
    sizes = list(map(sub, points.ends, points.starts))
    biggest = sizes.index(max(sizes))  # the first of the biggest
    if (count > 1 and sizes[biggest] * 2 > size) or count == 1:
        share = round(100 * sizes[biggest] / size)
        number = points.markers[biggest].number_text if points.markers else None
        message = (
            f"point {number or biggest + 1} holds {share}% of the text; the "
            "points may be cut at the wrong markers (see --points)"
        )
        return [(points.starts[biggest], "structure", message)]
    return []


_LEADING = re.compile(f"[{re.escape(STRIP)}]*+")
#: How much of a text's end is stripped at a time, looking for its last visible character.
_TAIL = 4096


def _stripped_size(text: str) -> int:
    """``len(text.strip(STRIP))`` without the copy of the whole text that strip makes: a fresh
    12 MB of memory for a long code, more time than the rest of the check."""
    leading = _LEADING.match(text)
    start = leading.end() if leading else 0  # (it always matches, if only nothing)
    stop = len(text)
    while stop > start:
        begin = max(stop - _TAIL, start)
        if kept := len(text[begin:stop].rstrip(STRIP)):
            return begin + kept - start
        stop = begin
    return 0


def numbering_findings(points: list[Marker]) -> list[Finding]:
    findings: list[Finding] = []
    first = points[0]
    if first.key[0] > 1:  # 0-based numbering is as normal as 1-based
        findings.append(
            (first.label_start, "start", f"numbering starts at {first.number_text}, not 1")
        )
    # Numbers one apart all along, compared in C, have nothing to say (a step per point less:
    # 1.5 ms at 30,000 points).
    numbers = [m.key[0] for m in points]
    if numbers == list(range(numbers[0], numbers[0] + len(numbers))):
        return findings
    return findings + _step_findings(points)


def _step_findings(points: list[Marker]) -> list[Finding]:
    """The gaps, repeats, restarts and numbers out of order, from one point to the next."""
    findings: list[Finding] = []
    for before, m in pairwise(points):
        prev, number = before.key[0], m.key[0]
        if m.key > before.key and number <= prev + 1:
            continue  # the next number, or an inserted one (34-1, 2 bis)
        shown, prev_shown = _shown(m), _shown(before)
        if number > prev + 1:
            missing = str(prev + 1) if number == prev + 2 else f"{prev + 1}–{number - 1}"
            kind, message = "gap", f"point {shown} follows point {prev_shown}; {missing} missing"
        elif m.key == before.key:
            kind, message = "repeat", f"point {shown} appears twice in a row"
        elif number <= 1:
            kind, message = "restart", f"numbering restarts at {shown} after point {prev_shown}"
        else:
            kind, message = "out-of-order", f"point {shown} follows point {prev_shown}"
        findings.append((m.label_start, kind, message))
    return findings


def _shown(m: Marker) -> str:
    """A number for a message: 4 for 'IV' and '4', as written for an inserted '34-1'."""
    return str(m.number) if m.key[1] == 0 else str(m.number_text)


def mixed_style_findings(
    markers: list[Marker], points: list[Marker], threshold: int
) -> list[Finding]:
    """One warning per other numbered style found at the top level inside the points."""
    style = points[0].style
    found = [m for m in markers if m.style != style]  # seldom any: no set of the points' lines
    if not found:
        return []
    first_line, seen = points[0].line, {m.line for m in points}
    others: dict[str, list[Marker]] = {}
    for m in found:
        if m.number is None or m.style in ("n ", "n-", "n.glued"):
            continue
        if m.indent <= threshold and m.line > first_line and m.line not in seen:
            others.setdefault(m.style, []).append(m)
    name = STYLE_SHAPES.get(style, style)
    return [
        (
            ms[0].label_start,
            "mixed-style",
            f"{len(ms)} line(s) start with a {STYLE_SHAPES[s]} marker in a plan numbered "
            f"{name}; kept inside their points",
        )
        for s, ms in others.items()
    ]


def warnings_of(findings: list[Finding]) -> tuple[SegmentWarning, ...]:
    """Findings as warnings in text order, at most :data:`MAX_WARNINGS_PER_KIND` of each kind.

    A garbled text can have a finding on every line; past the first few, one summary per kind
    says how many more there were, which is what a reader can use.
    """
    kept: list[Finding] = []
    omitted: dict[str, list[Finding]] = {}
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
    return tuple(SegmentWarning(kind=WarningKind(k), message=m, offset=o) for o, k, m in kept)
