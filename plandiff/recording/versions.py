"""New versions (partial, or full from a plan text) and the dated events in their lives."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from plandiff import anchors
from plandiff.errors import PlandiffError, show
from plandiff.extract import Capture
from plandiff.models import Completeness, Event, PlanVersion, Point, Registry
from plandiff.recording.quotes import QuoteRef, anchor_quote
from plandiff.recording.records import (
    check_ident,
    default_source_id,
    updated,
    validated,
    version_of,
    with_version,
)
from plandiff.recording.sources import add_source
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import version_file


def _points_from_text(
    source_id: str, text: str, style: str | None = None
) -> tuple[tuple[Point, ...], list[str]]:
    """Every point of a plan text, each anchored to its span in the stored text; ``style``
    forces the markers (``--points``)."""
    from plandiff.segmentation import points_option, segment

    # A registry records plans: prose with no list (an article captured by mistake) is
    # refused rather than recorded as paragraphs.
    seg = segment(text, points_option(style) if style is not None else None, paragraphs=False)
    if style is not None and not seg.points:
        raise PlandiffError(f"--points {show(style)} matches no line of the text")
    points = []
    for s in seg.points:
        start, end = s.body_start, s.body_end
        if end <= start:  # a marker with no body: the marker itself is the evidence
            start, end = s.start, s.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        anchor = anchors.make_anchor(source_id, text, start, end)
        points.append(
            validated(
                Point,
                f"point {s.index}",
                key=f"p{s.index}",
                number=s.number,
                text=text[start:end],
                evidence=(anchor,),
            )
        )
    warnings = [w.message for w in seg.warnings if w.kind != "no-points"]
    return tuple(points), warnings


def how_cut(version: PlanVersion, registry: Registry) -> str | None:
    """How a full version's points were cut from its plan text, in the words a diff report uses
    ("cut at `N.` markers, column 0: 28 points, 1–28"); None for a version not cut from a text.

    The registry keeps the points, not the choice that produced them, so the text is cut again
    and the description is given only when that cut gives back exactly the recorded points.
    Points forced with ``--points``, or edited by hand since, are said to be so, never
    described by a guess that would not have produced them.
    """
    from plandiff.segmentation import segment

    if version.text_source is None or version.text_source not in registry.texts:
        return None
    text = registry.text(version.text_source)
    seg = segment(text, paragraphs=False)
    again, _ = _points_from_text(version.text_source, text)
    recorded = [(p.number, p.content, p.evidence) for p in version.points]
    if seg.series is None or recorded != [(p.number, p.content, p.evidence) for p in again]:
        return (
            f"not as plandiff cuts {show(version.text_source)} today: the points were forced "
            "with --points or edited since"
        )
    return seg.series.describe()


def add_version(
    registry: Registry,
    version_id: str,
    *,
    title: str,
    declared_points: int | None = None,
    date: dt.date | None = None,
    derived_from: str | None = None,
    issuer: Sequence[str] = (),
    parties: Sequence[str] = (),
    note: str | None = None,
    text: Capture | None = None,
    text_source_id: str | None = None,
    points: str | None = None,
) -> Edit[PlanVersion]:
    """A new version: partial and empty, or full from a plan text that becomes its source."""
    check_ident(version_id, "version id")
    if registry.version(version_id) is not None:
        raise PlandiffError(
            f"version {show(version_id)} already exists ({version_file(version_id)})"
        )
    if derived_from is not None:
        version_of(registry, derived_from)
    fields: dict[str, Any] = {
        "id": version_id,
        "title": title,
        "declared_points": declared_points,
        "date": date,
        "derived_from": derived_from,
        "issuer": tuple(issuer),
        "parties": tuple(parties),
        "note": note,
        "completeness": Completeness.PARTIAL,
    }
    files: Mapping[str, bytes] = {}
    lines: list[str] = []
    if text is not None:
        sid = check_ident(text_source_id or default_source_id(text.name), "source id")
        existing = registry.source(sid)
        if existing is None:
            if text.title is None:
                text = replace(text, title=title)
            added = add_source(registry, text, source_id=sid)
            registry, files = added.registry, added.files
            lines.extend(added.lines)
        elif registry.text(sid) == text.text:
            lines.append(f"using source {show(sid)}, which has this text already")
        else:
            raise PlandiffError(
                f"source {show(sid)} already exists with a different text; give this plan text "
                "its own id with --source-id, or replace that source first with "
                f"'plandiff source add FILE --id {sid} --recapture'"
            )
        found, warnings = _points_from_text(sid, registry.text(sid), points)
        if not found:
            raise PlandiffError(
                f"no numbered or bulleted points found in {show(text.name)}; record a partial "
                "version without --from-text and add its points with 'plandiff point add'"
            )
        fields.update(completeness=Completeness.FULL, text_source=sid, points=found)
        lines.extend(f"warning: {show(text.name)}: {w}" for w in warnings)
    version = validated(PlanVersion, f"version {show(version_id)}", **fields)
    kind = f"full, {len(version.points)} point(s)" if text is not None else "partial, no points yet"
    lines.append(f"added version {show(version_id)} ({kind})")
    return Edit(with_version(registry, version), version, files, tuple(lines))


def add_event(
    registry: Registry,
    version_id: str,
    *,
    date: dt.date,
    what: str,
    quotes: Sequence[QuoteRef],
) -> Edit[Event]:
    """A dated event in a version's life, with the quotes that report it; kept in date order."""
    version = version_of(registry, version_id)
    if not what.strip():
        raise PlandiffError("--what: say what happened")
    if not quotes:
        raise PlandiffError("an event needs evidence: give at least one --quote with its --source")
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    event = validated(Event, "event", date=date, what=what, evidence=evidence)
    events = sorted((*version.events, event), key=lambda e: e.date)  # stable: same day keeps order
    new_version = updated(version, f"version {show(version_id)}", events=tuple(events))
    line = f"added event {date.isoformat()} to version {version_id}"
    return Edit(with_version(registry, new_version), event, {}, (line,))
