"""Where user-perceived characters begin and end: Unicode's extended grapheme clusters (UAX #29).

A quote that starts or ends inside one would show a different character than its source does:
a flag cut into two regional indicators, a Hangul syllable written as jamo cut after its
leading consonant, a letter without its accent, half of an emoji sequence. The clusters come
from the ``regex`` package's ``\\X``, which follows the current UAX #29 rules (regional-indicator
pairs, Hangul syllable sequences, combining marks, spacing marks, prepended marks, emoji
sequences, Indic conjuncts).

The text around an offset is segmented, not the whole text, so that each check is cheap on a
source of megabytes (and between two ASCII characters nothing is segmented at all, so the
``regex`` module is not even imported for most anchors): segmentation starts at the nearest
offset that is a boundary whatever comes before it (see :data:`_SURE_BREAK`), which in running
text is a character or two away.
A long stretch without one (thousands of flags or combining marks in a row) is segmented once
and remembered, so that many checks in it do not cost a segmentation each.
"""

from __future__ import annotations

import functools
import itertools
from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

__all__ = ["boundary_after", "boundary_before", "is_boundary"]


#: A character after which a cluster boundary is certain, looking only at the next character:
#: after a control character or line feed always (rules GB4, GB5), after a carriage return
#: unless a line feed follows (GB3), and after a character of break class Other unless an
#: Extend, ZWJ or SpacingMark follows (GB9, GB9a). Every other rule that joins two characters
#: needs something else before the boundary: a CR (GB3), a Hangul jamo or syllable (GB6-8), a
#: Prepend (GB9b), a linker or extender (GB9c), a ZWJ (GB11) or a regional indicator (GB12-13).
_CLUSTER = r"\X"

_SURE_BREAK = (
    r"[\p{GCB=Control}\p{GCB=LF}]|\r(?!\n)"
    r"|\p{GCB=Other}(?![\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}])"
)
_RI_RUN = r"\p{GCB=Regional_Indicator}{3,}"


@functools.cache
def _compiled(pattern: str) -> regex.Pattern[str]:
    """The patterns are compiled on first use: most commands check no anchor, and importing
    regex and compiling its property classes costs about 25 ms of start-up."""
    import regex

    return regex.compile(pattern)


#: Stretches between two sure breaks up to this long are segmented on each call.
_SHORT_STRETCH = 64


def is_boundary(text: str, at: int) -> bool:
    """Whether offset ``at`` of ``text`` lies between two user-perceived characters (or at
    either end of the text, or outside it)."""
    return not 0 < at < len(text) or _near(text, at)[0] == at


def boundary_before(text: str, at: int) -> int:
    """The last cluster boundary at or before ``at``."""
    return _near(text, at)[0]


def boundary_after(text: str, at: int) -> int:
    """The first cluster boundary at or after ``at``."""
    return _near(text, at)[1]


def _near(text: str, at: int) -> tuple[int, int]:
    """The cluster boundaries ``before <= at <= after`` nearest to ``at``."""
    if not 0 < at < len(text):
        at = max(0, min(at, len(text)))
        return at, at
    left, right = text[at - 1], text[at]
    if left < "\x80" and right < "\x80" and (left, right) != ("\r", "\n"):
        return at, at  # between two ASCII characters: always a boundary but inside CR LF
    for seen, start, end, found in _recent:
        if seen is text and start < at < end:
            return _between(found, at)
    # A sure break at p is found by the character before it, whose look at p needs p inside
    # the searched span: hence at + 1, and a match ending past ``at`` is passed over.
    start = 0
    for sure in _compiled("(?r)" + _SURE_BREAK).finditer(text, 0, at + 1):
        if sure.end() <= at:
            start = sure.end()
            break
    if start == at:
        return at, at
    ahead = _compiled(_SURE_BREAK).search(text, at)
    end = ahead.end() if ahead is not None else len(text)
    if end - start <= _SHORT_STRETCH:
        before = start
        for cluster in _compiled(_CLUSTER).finditer(text, start, end):
            if cluster.end() >= at:
                return (at, at) if cluster.end() == at else (before, cluster.end())
            before = cluster.end()
        return before, end  # not reached: the last cluster ends at ``end`` > ``at``
    found = _segmented(text, start, end)
    _recent.insert(0, (text, start, end, found))
    del _recent[_RECENT_STRETCHES:]
    return _between(found, at)


def _segmented(text: str, start: int, end: int) -> tuple[int, ...]:
    """Every cluster boundary from ``start`` to ``end``, two sure breaks.

    ``\\X`` decides a break between two regional indicators by counting the indicators before
    it, back to the start of their run, so a run of thousands of flags would cost a count for
    each flag. Inside a run, though, a break after an even number of indicators is certain
    (GB12-13 pair them from the run's start; nothing else joins two of them): the stretch is
    cut there and each piece segmented on its own, as a string that starts at a boundary.
    """
    cuts = [start]
    for run in _compiled(_RI_RUN).finditer(
        text, start, end
    ):  # whole runs: start and end follow no RI
        cuts.extend(range(run.start() + 2, run.end(), 2))
    cuts.append(end)
    found = [start]
    for a, b in itertools.pairwise(cuts):
        found.extend(a + cluster.end() for cluster in _compiled(_CLUSTER).finditer(text[a:b]))
    return tuple(found)


def _between(found: tuple[int, ...], at: int) -> tuple[int, int]:
    i = bisect_right(found, at) - 1
    if found[i] == at:
        return at, at
    return found[i], found[i + 1]


#: Long stretches without a sure break segmented lately: (text, start, end, boundaries).
_recent: list[tuple[str, int, int, tuple[int, ...]]] = []
_RECENT_STRETCHES = 8
