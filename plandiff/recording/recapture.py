"""Re-anchoring every quote of a source when a new capture replaces its text.

A quote that cannot be found again is refused unless forced; forced, the previous capture is
kept as a source of its own and the lost quotes cite it, so no point is left without evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from plandiff import anchors, store
from plandiff.anchors import AnchorStatus
from plandiff.errors import RecaptureError, show
from plandiff.extract import Capture
from plandiff.models import Anchor, PlanVersion, Registry, Source, iter_anchors, map_anchors
from plandiff.recording.outcomes import AnchorReport, SourceResult, SourceStatus, lost_evidence
from plandiff.recording.records import claim_paths, unique_key, validated
from plandiff.recording.relations import describe_relation
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import source_file


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


def _archive_id(registry: Registry, source: Source) -> str:
    suffix = f".prev-{source.sha256[:8]}"
    base = source.id[: 128 - len(suffix)] + suffix
    taken = {s.id for s in registry.sources if s.sha256 != source.sha256}
    return unique_key(base, taken) if base in taken else base


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
            if anchor.source != sid:
                continue
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


def _archived(
    registry: Registry,
    existing: Source,
    archive_id: str,
    lost: int,
    read: Callable[[str], bytes | None] | None,
) -> tuple[Source, dict[str, bytes]]:
    """The previous capture kept as a source of its own, with the files that hold it."""
    old_bytes = registry.text(existing.id).encode("utf-8")
    archive_path = f"{store.SOURCES_DIR}/{archive_id}.txt"
    old_original = read(existing.original) if (read and existing.original) else None
    archive_original = None
    if old_original is not None and existing.original:
        archive_original = f"{store.SOURCES_DIR}/{archive_id}.orig{Path(existing.original).suffix}"
    claim_paths(
        registry,
        archive_id,
        [archive_path, source_file(archive_id)] + ([archive_original] if archive_original else []),
    )
    note = (
        f"Previous capture of source '{existing.id}', kept when it was recaptured because "
        f"{lost} quote(s) could not be found in the new capture."
    )
    archived = validated(
        Source,
        f"source {show(archive_id)}",
        **{
            **dict(existing),
            "id": archive_id,
            "path": archive_path,
            "sha256": store.sha256_bytes(old_bytes),
            "original": archive_original,
            "note": note,
        },
    )
    files = {archive_path: old_bytes}
    if archive_original and old_original is not None:
        files[archive_original] = old_original
    return archived, files


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

    Lost quotes refuse the recapture unless ``force``; forced, they cite the previous capture,
    kept as a source of its own (see :func:`plandiff.recording.sources.add_source`).
    """
    sid = existing.id
    new_text = capture.text
    reports, outcomes = _reanchor_all(registry, sid, new_text)
    lost = [r for r in reports if r.lost]
    archive_id = _archive_id(registry, existing) if lost else None
    if lost and not force:
        kinds = ", ".join(
            f"{n} {status.value}"
            for status in (AnchorStatus.AMBIGUOUS, AnchorStatus.BROKEN)
            if (n := sum(1 for r in lost if r.status is status))
        )
        raise RecaptureError(
            f"recapture of source {show(sid)} refused: {len(lost)} quote(s) cannot be found "
            f"again in the new capture ({kinds}); {lost_evidence(reports, done=False)}; "
            "add --force to record it anyway (the lost quotes then cite the previous capture, "
            f"kept as source {show(archive_id)})",
            [r.line() for r in reports],
        )

    def move(version_id: str) -> Callable[[str, Anchor], Anchor]:
        def fn(path: str, anchor: Anchor) -> Anchor:
            done = outcomes.get((version_id, path))
            if done is None:
                return anchor
            if done.anchor is not None:
                return done.anchor
            assert archive_id is not None
            return anchor.model_copy(update={"source": archive_id})

        return fn

    versions = tuple(map_anchors(v, move(v.id)) for v in registry.versions)
    sources = [source if s.id == sid else s for s in registry.sources]
    texts = {**registry.texts, sid: new_text}
    files: dict[str, bytes] = {source.path: capture.text_bytes}
    if source.original:
        files[source.original] = capture.original
    if archive_id is not None and registry.source(archive_id) is None:
        archived, kept = _archived(registry, existing, archive_id, len(lost), read)
        sources.append(archived)
        texts[archive_id] = registry.text(sid)
        files.update(kept)
    new_registry = registry.model_copy(
        update={"sources": tuple(sources), "versions": versions, "texts": texts}
    )
    result = SourceResult(
        source=source,
        status=SourceStatus.RECAPTURED,
        anchors=tuple(reports),
        archived=archive_id,
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
