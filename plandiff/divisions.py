"""Divisions that restart numbering: schedules, annexes, appendices after the main series (pure).

A contract's clauses run 1 … 10; then ``SCHEDULE 1`` stands alone on its line and its own
items run 1, 2, 3; then ``ANNEX A`` with 1, 2. Read as one series those items are a restart
nobody meant, swallowed by the last clause or kept as text. They are points of their own
division: this module finds the division headings and, for each, the series that best explains
the text under it (:func:`plandiff.series.choose`, on that stretch alone).

A division heading is a short heading-shaped line standing alone (a blank line, a rule or the
text's start above it) made of a division keyword (:data:`DIVISION_WORDS`), an optional
identifier (``1``, ``A``, ``IV``, ``2a``) and an optional title after a separator. It is a
division only where numbering restarts under it (its series starts at 0 or 1); a heading whose
numbering carries on (``Appendix`` over 11, 12 …) is a heading and nothing more, and its text
belongs to the stretch before it. The main series must come first; where it ends with
signatures ("IN WITNESS WHEREOF …", "Done at …") before the first division, as contracts,
treaties and EU acts print their schedules and annexes, the signatures stand between the
points as headings do (:func:`plandiff.outline.headings`).

Linear in the candidates: each stretch's markers are chosen among at most twice.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Sequence
from functools import cache
from typing import NamedTuple

from plandiff.lines import HSPACE, STRIP, Lines
from plandiff.markers import Marker

__all__ = ["DIVISION_WORDS", "Division", "division_headings", "label_of", "split_by_division"]

#: Words that head a division with numbering of its own, in the languages the markers know.
DIVISION_WORDS = (
    "schedule", "annex", "annexe", "appendix", "exhibit", "attachment", "anhang", "anlage",
    "anexo", "allegato", "bijlage", "додаток", "приложение",
)  # fmt: skip

_WORDS = "|".join(sorted(map(re.escape, DIVISION_WORDS), key=len, reverse=True))
#: Ordinals that name a division before its keyword, as older Acts do: "THE SECOND SCHEDULE".
_ORDINALS = (
    "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
    "tenth", "eleventh", "twelfth",
)  # fmt: skip
_HEADING = (
    rf"(?:\#{{1,6}}[{HSPACE}]+)?(?:\*\*|__)?"
    rf"(?:the[{HSPACE}]+)?(?:(?P<ordinal>{'|'.join(_ORDINALS)})[{HSPACE}]+)?"
    rf"(?P<word>{_WORDS})"
    rf"(?:[{HSPACE}]+(?P<id>\d{{1,4}}[a-z]?|[IVXLC]{{1,8}}|[A-Z])(?![^\W_]))?"
    rf"(?:\*\*|__)?(?P<rest>.*)"
)
#: What may follow the identifier before a title: "SCHEDULE 1 - SERVICES", "Annex II: Fees".
_SEPARATORS = ".:-–—"
#: Longest line that can be a division heading (as a heading in capitals, see outline).
_HEADING_CHARS = 80


class Division(NamedTuple):
    """A division heading: its line and its name as a path shows it ('Schedule 1')."""

    line: int
    label: str


def label_of(word: str, ident: str | None, ordinal: str | None = None) -> str:
    """'SCHEDULE', '1' → 'Schedule 1': the keyword in title case when written in capitals;
    an ordinal before it stays before it ('THE SECOND SCHEDULE' → 'Second Schedule')."""
    shown = word.capitalize() if word.isupper() else word
    if ordinal:
        shown = f"{ordinal.capitalize() if ordinal.isupper() else ordinal} {shown}"
    return f"{shown} {ident}" if ident else shown


def _heading_at(lines: Lines, i: int) -> str | None:
    """The division's label when line ``i`` is a division heading standing alone, else None."""
    text, start, end = lines.text, lines.content[i], lines.end[i]
    while end > start and text[end - 1] in STRIP:
        end -= 1
    if end - start > _HEADING_CHARS or end == start:
        return None
    found = _patterns()[0].match(text, start, end)
    if found is None:
        return None
    rest = found["rest"].strip(STRIP + "*_")
    ident = None if found["ordinal"] else found["id"]
    if found["ordinal"] and found["id"]:
        return None  # "Second Annex 3" is no heading anyone writes
    if rest:
        after = found["rest"][:1]
        titled = rest[0] in _SEPARATORS or (ident is not None and after in HSPACE)
        if not titled or (rest[-1] in ".;,:" and len(rest) > 1):
            return None
    if i > 0 and not lines.blank(i - 1) and not _rule_above(lines, i):
        return None
    return label_of(found["word"], ident, found["ordinal"])


def _rule_above(lines: Lines, i: int) -> bool:
    line = lines.stripped(i - 1)
    return len(line) >= 3 and not line.strip("-=*_~–— ")


def division_headings(lines: Lines, after: int) -> list[Division]:
    """The division headings after line ``after`` (the main series' first point), in order."""
    text, content = lines.text, lines.content
    for brk in "\r\u2028\u2029\x85":  # one character for one: the offsets stay
        if brk in text:
            text = text.replace(brk, "\n")
    found = []
    # From the line break before the line after it: the pattern starts with that break.
    begin = lines.start[after + 1] - 1 if after + 1 < len(content) else len(text)
    for m in _patterns()[1].finditer(text, begin):
        i = bisect_left(lines.start, m.start() + 1)
        if i < len(content) and i > after and (label := _heading_at(lines, i)) is not None:
            found.append(Division(i, label))
    return found


#: Where a division heading may start: a line whose content starts with a keyword (a Markdown
#: heading sign or bold before it), found in one pass from the line break before it (a literal
#: to scan for: a text of 30,000 points costs a few milliseconds). The first line is never
#: one: it cannot come after a point.
_FIRST = "".join(
    sorted({ch for w in (*DIVISION_WORDS, *_ORDINALS, "the") for ch in (w[0], w[0].upper())})
)
_CANDIDATE = (
    rf"\n[{HSPACE}]*(?=[#*_{_FIRST}])(?:\#{{1,6}}[{HSPACE}]+)?(?:\*\*|__)?"
    rf"(?i:the|{'|'.join(_ORDINALS)}|{_WORDS})\b"
)


@cache
def _patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The patterns of a division heading and of where one may start, compiled when a text
    is first looked into: a text whose numbering never restarts is not, and compiling them
    cost every start 1.5 ms."""
    return re.compile(_HEADING, re.IGNORECASE), re.compile(_CANDIDATE)


#: A chooser of points among markers: :func:`plandiff.series.choose` on a stretch of the text.
Chooser = Callable[[Sequence[Marker]], list[Marker]]


def split_by_division(
    numbered: Sequence[Marker],
    candidates: Sequence[Division],
    choose: Chooser,
) -> tuple[list[Division], list[list[Marker]]]:
    """The divisions whose numbering restarts, and the points chosen under each.

    Each candidate's stretch runs to the next candidate; one whose series does not start at 0
    or 1 is no division, and its stretch joins the one before it. The stretches of the
    divisions kept are then chosen again as a whole.
    """
    lines = [m.line for m in numbered]
    bounds = [*(d.line for d in candidates), 1 << 62]
    kept: list[Division] = []
    for d, stop in zip(candidates, bounds[1:], strict=True):
        stretch = numbered[bisect_left(lines, d.line) : bisect_left(lines, stop)]
        points = choose(stretch) if stretch else []
        if points and points[0].number is not None and points[0].key[0] <= 1:
            kept.append(d)
    runs: list[list[Marker]] = []
    bounds = [*(d.line for d in kept), 1 << 62]
    for d, stop in zip(kept, bounds[1:], strict=True):
        stretch = numbered[bisect_left(lines, d.line) : bisect_left(lines, stop)]
        runs.append(choose(stretch))
    pairs = [(d, run) for d, run in zip(kept, runs, strict=True) if run]
    return [d for d, _ in pairs], [run for _, run in pairs]
