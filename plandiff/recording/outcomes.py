"""What recording a source reports: its status and, on recapture, what became of each quote."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from plandiff.anchors import AnchorStatus
from plandiff.errors import show
from plandiff.models import Anchor, Source


class SourceStatus(StrEnum):
    """What :func:`add_source` did with one capture."""

    ADDED = "added"
    """A new source."""
    UNCHANGED = "unchanged"
    """The source exists with the same text and metadata; nothing was written."""
    RECAPTURED = "recaptured"
    """The source's text or metadata was replaced and its quotes re-anchored."""


@dataclass(frozen=True, slots=True)
class AnchorReport:
    """What happened to one quote when its source was recaptured."""

    status: AnchorStatus
    version: str
    field: str
    """Where the anchor is in the version file, e.g. ``points[2].evidence[0]``."""
    owner: str
    """What the quote supports, e.g. ``us-28:territory`` or ``geneva-19 events[0]``."""
    point: str | None
    """``version:key`` when the quote is a point's evidence."""
    old: Anchor
    new: Anchor | None
    score: float

    @property
    def lost(self) -> bool:
        return self.new is None

    def line(self) -> str:
        where = f"{self.old.start}..{self.old.end}" if self.old.located else "?"
        text = f"{self.status.value:<9} {self.owner}: {show(self.old.quote, 60)}"
        if self.new is None:
            if self.status is AnchorStatus.AMBIGUOUS:
                return f"{text} (was at {where}; now found at several places)"
            return f"{text} (was at {where}; not found in the new capture)"
        moved = f"{where} → {self.new.start}..{self.new.end}"
        if self.status is AnchorStatus.FUZZY:
            now = show(self.new.quote, 60)
            return f"{text} now reads {now} ({moved}, similarity {self.score:.2f})"
        if self.status is AnchorStatus.MOVED:
            return f"{text} ({moved})"
        return f"{text} ({where})"


@dataclass(frozen=True, slots=True)
class SourceResult:
    """The outcome of recording one capture as a source."""

    source: Source
    status: SourceStatus
    anchors: tuple[AnchorReport, ...] = ()
    kept: int | None = None
    """The number of the earlier capture keeping the replaced text, when the text changed."""
    lost_kept: bool = False
    """Whether quotes not found in the new text stay anchored in that earlier capture."""

    def lines(self) -> list[str]:
        s = self.source
        if self.status is SourceStatus.UNCHANGED:
            return [f"unchanged: source {show(s.id)} ({s.path})"]
        if self.status is SourceStatus.ADDED:
            title = f", {show(s.title)}" if s.title else ""
            return [f"added source {show(s.id)} ({s.path}{title})"]
        counts = ", ".join(
            f"{n} {status.value}"
            for status in AnchorStatus
            if (n := sum(1 for r in self.anchors if r.status is status))
        )
        head = f"recaptured source {show(s.id)} ({s.path}): "
        head += f"{len(self.anchors)} quote(s) re-anchored" + (f": {counts}" if counts else "")
        out = [head, *(f"  {r.line()}" for r in self.anchors)]
        if self.kept is not None:
            kept = s.capture(self.kept)
            where = f" ({kept.path}" if kept else " ("
            if kept and kept.retrieved:
                where += f", retrieved {kept.retrieved.isoformat()}"
            out.append(f"kept the previous text as capture {self.kept}{where})")
        if self.lost_kept:
            out.append(
                f"{sum(r.lost for r in self.anchors)} quote(s) not found in the new text stay "
                f"anchored in capture {self.kept} ({lost_evidence(self.anchors, done=True)})"
            )
        return out


def lost_evidence(reports: Iterable[AnchorReport], *, done: bool) -> str:
    """Which points (``version:key``), and what else, lose evidence: for the report."""
    points: dict[str, None] = {}
    others: dict[str, None] = {}
    for r in reports:
        if r.lost:
            if r.point:
                points.setdefault(r.point, None)
            else:
                others.setdefault(r.owner, None)
    listed = ", ".join(points) if points else "none"
    if done:  # nothing is lost: the quotes cite the earlier capture they were taken from
        text = f"points no longer quoted from the current text: {listed}"
        return text + ("; other evidence: " + "; ".join(others) if others else "")
    text = f"points that would lose their evidence: {listed}"
    if others:
        text += "; other evidence that would be lost: " + "; ".join(others)
    return text
