"""Re-anchoring every quote of a source when a new capture replaces its text.

The text being replaced is kept as an earlier capture of the source (with its retrieval date),
so nothing the registry has quoted is ever lost. A quote that cannot be found again in the new
text refuses the recapture unless forced; forced, it stays anchored in the earlier capture it
was taken from, where it still verifies, and the report says which points no longer find their
evidence in the current text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from plandiff import anchors, store
from plandiff.anchors import AnchorStatus
from plandiff.errors import RecaptureError, show
from plandiff.extract import Capture
from plandiff.models import (
    Anchor,
    PlanVersion,
    Registry,
    Source,
    SourceCapture,
    iter_anchors,
    map_anchors,
    text_key,
)
from plandiff.recording.outcomes import AnchorReport, SourceResult, SourceStatus, lost_evidence
from plandiff.recording.records import claim_paths, validated
from plandiff.recording.relations import describe_relation
from plandiff.recording.transaction import Edit


def _owner(version: PlanVersion, path: str) -> tuple[str, str | None]:
    """What an anchor at ``path`` in ``version`` supports, and the point it belongs to."""
    found = re.match(r"(\w+)\[(\d+)\]", path)
    if found is None or found[1] == "evidence":
        return f"{version.id} (version facts)", None
    kind, i = found[1], int(found[2])
    if kind == "points":
        label = f"{version.id}:{version.points[i].key}"
        return label, label
    if kind == "relations":
        return f"{version.id} relation {describe_relation(version, version.relations[i])}", None
    if kind == "events":
        event = version.events[i]
        return f"{version.id} event {event.date.isoformat()} {show(event.what, 40)}", None
    return f"{version.id} {kind}[{i}]", None


Outcomes = dict[tuple[str, str], anchors.Reanchored]
"""What re-anchoring found for each quote, by version id and the quote's place in the version."""


def _reanchor_all(
    registry: Registry, sid: str, new_text: str
) -> tuple[list[AnchorReport], Outcomes]:
    """Every quote that cites ``sid`` looked for again in ``new_text``, with a report for each."""
    reports: list[AnchorReport] = []
    outcomes: Outcomes = {}
    for version in registry.versions:
        for path, anchor in iter_anchors(version):
            if anchor.source != sid or anchor.capture is not None:
                continue  # a quote from an earlier capture stays where it was taken
            done = anchors.reanchor(anchor, new_text)
            outcomes[(version.id, path)] = done
            owner, point = _owner(version, path)
            reports.append(
                AnchorReport(
                    status=done.status,
                    version=version.id,
                    field=path,
                    owner=owner,
                    point=point,
                    old=anchor,
                    new=done.anchor,
                    score=done.score,
                )
            )
    return reports, outcomes


def _kept_capture(
    registry: Registry,
    existing: Source,
    number: int,
    read: Callable[[str], bytes | None] | None,
) -> tuple[SourceCapture, dict[str, bytes]]:
    """The text being replaced, kept as earlier capture ``number`` with the files that hold it.

    The text file's own bytes are kept when they can be read and still match the recorded
    digest (a byte-order mark, say, survives); else the decoded text as UTF-8.
    """
    sid = existing.id
    current = read(existing.path) if read else None
    if current is None or store.sha256_bytes(current) != existing.sha256:
        current = registry.text(sid).encode("utf-8")
    path = capture_path(sid, number)
    old_original = read(existing.original) if (read and existing.original) else None
    original = None
    if old_original is not None and existing.original:
        original = capture_path(sid, number, f".orig{Path(existing.original).suffix}")
    claim_paths(registry, sid, [path] + ([original] if original else []))
    kept = validated(
        SourceCapture,
        f"source {show(sid)} capture {number}",
        retrieved=existing.retrieved,
        path=path,
        sha256=store.sha256_bytes(current),
        original=original,
    )
    files = {path: current}
    if original and old_original is not None:
        files[original] = old_original
    return kept, files


def capture_path(source_id: str, number: int, suffix: str = ".txt") -> str:
    """Where earlier capture ``number`` of a source is kept: ``sources/<id>.capture-<n>.txt``."""
    return f"{store.SOURCES_DIR}/{source_id}.capture-{number}{suffix}"


def recapture_source(
    registry: Registry,
    existing: Source,
    source: Source,
    capture: Capture,
    *,
    force: bool,
    read: Callable[[str], bytes | None] | None,
) -> Edit[SourceResult]:
    """Replace ``existing`` by ``source`` (from ``capture``), re-anchoring every quote citing it.

    When the text changes, the one it replaces is kept as the source's next earlier capture.
    Lost quotes refuse the recapture unless ``force``; forced, they cite that earlier capture
    (see :func:`plandiff.recording.sources.add_source`).
    """
    sid = existing.id
    new_text = capture.text
    reports, outcomes = _reanchor_all(registry, sid, new_text)
    lost = [r for r in reports if r.lost]
    text_changed = new_text != registry.text(sid) or source.sha256 != existing.sha256
    number = len(existing.captures) + 1 if text_changed else None
    if lost and not force:
        kinds = ", ".join(
            f"{n} {status.value}"
            for status in (AnchorStatus.AMBIGUOUS, AnchorStatus.BROKEN)
            if (n := sum(1 for r in lost if r.status is status))
        )
        raise RecaptureError(
            f"recapture of source {show(sid)} refused: {len(lost)} quote(s) cannot be found "
            f"again in the new capture ({kinds}); {lost_evidence(reports, done=False)}; "
            "add --force to record it anyway (the lost quotes then cite the previous text, "
            f"kept as capture {number} of the source)",
            [r.line() for r in reports],
        )

    def move(version_id: str) -> Callable[[str, Anchor], Anchor]:
        def fn(path: str, anchor: Anchor) -> Anchor:
            done = outcomes.get((version_id, path))
            if done is None:
                return anchor
            if done.anchor is not None:
                return done.anchor
            assert number is not None  # an unchanged text loses no quote
            return anchor.model_copy(update={"capture": number})

        return fn

    versions = tuple(map_anchors(v, move(v.id)) for v in registry.versions)
    texts = {**registry.texts, sid: new_text}
    files: dict[str, bytes] = {}
    if number is not None:
        kept, files = _kept_capture(registry, existing, number, read)
        source = source.model_copy(update={"captures": (*existing.captures, kept)})
        texts[text_key(sid, number)] = registry.text(sid)
    else:
        source = source.model_copy(
            update={"captures": existing.captures, "retrieved": existing.retrieved}
        )
    files[source.path] = capture.text_bytes
    if source.original:
        files[source.original] = capture.original
    sources = [source if s.id == sid else s for s in registry.sources]
    new_registry = registry.model_copy(
        update={"sources": tuple(sources), "versions": versions, "texts": texts}
    )
    result = SourceResult(
        source=source,
        status=SourceStatus.RECAPTURED,
        anchors=tuple(reports),
        kept=number,
        lost_kept=bool(lost),
    )
    lines = result.lines()
    if new_text != registry.text(sid):
        lines.extend(
            f"warning: source {show(sid)} is the full text of version {show(v.id)}, whose points "
            "keep the wording they were recorded with; if the plan's wording changed, record "
            "the new text as a new version ('plandiff version add --from-text')"
            for v in registry.versions
            if v.text_source == sid
        )
    return Edit(new_registry, result, files, tuple(lines))
