"""How a report names its evidence: each quote's side, stance, place and capture, and each
source in the numbered list at the end (by title, else by its first words, with who speaks in
it). Shared by the terminal, Markdown and HTML reports, ``trace`` and ``log``, so that a quote
is cited the same way everywhere. Plain strings; the caller escapes them for its format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from plandiff.records import SourceAttribution, Stance
from plandiff.render.wording import point_label
from plandiff.result import Change, DiffResult, EvidenceRef, PointRef


def offsets(e: EvidenceRef) -> str | None:
    if e.start is None or e.end is None:
        return None
    return f"@{e.start}–{e.end}" + capture_words(e)


def capture_words(e: EvidenceRef) -> str:
    """`` in capture 1 (retrieved 2032-05-12)`` for a quote anchored in an earlier capture of
    its source (the article as it was first read), else nothing: the offsets are into that
    text, not the source's current one."""
    if e.capture is None:
        return ""
    when = f" (retrieved {e.retrieved.isoformat()})" if e.retrieved else ""
    return f" in capture {e.capture}{when}"


def file_location(e: EvidenceRef, change: Change, result: DiffResult) -> bool:
    """Whether a quote only says where a point of a plan file stands in that file: the
    point's own text, cited from the file itself. For a registry version the same line is
    provenance; for a file on the command line it repeats what the point's number says."""
    version = {"old": result.old, "new": result.new}.get(e.role)
    if version is None or version.segmentation is None:
        return False
    return is_own_text(e, quoted_side(e, change))


def is_own_text(e: EvidenceRef, refs: Sequence[PointRef]) -> bool:
    """Whether the quote is the text of the point it backs (blanks aside): then a report says
    only where it stands, since repeating the point would add nothing."""
    flat_quote = e.quote.split()
    return any(r.key == e.point and r.text.split() == flat_quote for r in refs)


def who_quoted(e: EvidenceRef, refs: Sequence[PointRef]) -> str:
    """Whom a quote backs, as its line starts: ``old 7``, ``why``, ``new coast-guard``."""
    who = role_label(e)
    point = next((r for r in refs if r.key == e.point), None)
    return f"{who} {point_label(point)}" if point is not None else who


def tail_words(e: EvidenceRef) -> list[str]:
    """What follows a quote's footnote mark in the terminal: who speaks in its source, and
    where the quote stands (``anonymous official``, ``@12–40 in capture 1 …``)."""
    words = [attribution_words(e.attribution), offsets(e)]
    return [w for w in words if w]


def quoted_side(e: EvidenceRef, change: Change) -> tuple[PointRef, ...]:
    """The points a quote of ``change`` may name: its old points for an ``old`` quote, its new
    points for a ``new`` one, none for a relation's. The two sides can share a key (a point
    recorded under the same key in both versions), so a quote is looked up on its own side."""
    return {"old": change.old, "new": change.new}.get(e.role, ())


def role_label(e: EvidenceRef) -> str:
    """Which side a quote supports, as a short label."""
    return {"old": "old", "new": "new", "relation": "why", "version": "says"}.get(e.role, e.role)


def with_stance(who: str, e: EvidenceRef) -> str:
    """``why`` → ``why, contradicts``: a quote that does not support what it backs says so."""
    stance = stance_word(e.stance)
    return f"{who}, {stance}" if stance else who


#: The flag of a change some of whose quotes contradict or qualify it.
_STANCE_WORDS = {Stance.CONTRADICT: "contradicts", Stance.QUALIFY: "qualifies"}

_ATTRIBUTION_WORDS = {
    SourceAttribution.ON_RECORD: "on the record",
    SourceAttribution.ANONYMOUS: "anonymous official",
    SourceAttribution.DOCUMENT: "document",
    SourceAttribution.RELAYED: "relayed from another outlet",
    SourceAttribution.AGGREGATOR: "aggregator",
}


def stance_word(stance: Stance) -> str | None:
    """``contradicts`` or ``qualifies``; None for a supporting quote, the ordinary case."""
    return _STANCE_WORDS.get(stance)


def attribution_words(attribution: SourceAttribution | None) -> str | None:
    """Who speaks in a source, as a reader says it (``anonymous official``)."""
    return _ATTRIBUTION_WORDS[attribution] if attribution is not None else None


def judgement(note: SourceNote) -> str | None:
    """What the recorder judged of a source, for its entry in a source list:
    ``anonymous official; reliability: single source``."""
    said = [attribution_words(note.attribution)]
    if note.reliability:
        said.append(f"reliability: {note.reliability}")
    return "; ".join(s for s in said if s) or None


@dataclass(frozen=True)
class SourceNote:
    """What a source list entry shows; built from an evidence reference or a registry source."""

    id: str
    title: str | None = None
    outlet: str | None = None
    published: dt.date | None = None
    url: str | None = None
    opening: str | None = None
    """The first words of the source's text, which name it when it has no title."""
    attribution: SourceAttribution | None = None
    reliability: str | None = None


def source_name(note: SourceNote) -> str:
    """What names a source in a list: its title, else its first words in quotes (``“The
    delegations of Ukraine…”``), else ``(untitled)`` (an empty text, or a result built without
    the texts). Not escaped."""
    if note.title:
        return note.title
    if note.opening:
        return f"“{note.opening}”"
    return "(untitled)"


class Footnotes:
    """Numbers sources ``[1]``, ``[2]`` … in the order a report first cites them."""

    def __init__(self) -> None:
        self._notes: dict[str, tuple[int, SourceNote]] = {}

    def cite(self, note: SourceNote) -> int:
        if note.id not in self._notes:
            self._notes[note.id] = (len(self._notes) + 1, note)
        return self._notes[note.id][0]

    def cite_evidence(self, e: EvidenceRef) -> int:
        return self.cite(
            SourceNote(
                e.source,
                e.title,
                e.outlet,
                e.published,
                e.url,
                e.opening,
                e.attribution,
                e.reliability,
            )
        )

    def entries(self) -> list[tuple[int, SourceNote]]:
        return list(self._notes.values())

    def __len__(self) -> int:
        return len(self._notes)
