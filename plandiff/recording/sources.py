"""Recording a capture as a source: a new one, or a recapture of an existing one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from plandiff import store
from plandiff.errors import PlandiffError, show
from plandiff.extract import Capture
from plandiff.models import Registry, Source, SourceAttribution, iter_anchors
from plandiff.recording.outcomes import SourceResult, SourceStatus
from plandiff.recording.recapture import recapture_source
from plandiff.recording.records import check_ident, claim_paths, default_source_id, validated
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import source_file


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """Metadata given by the user; each field given overrides what the file itself says."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None
    note: str | None = None
    attribution: SourceAttribution | None = None
    reliability: str | None = None


#: The recorder's own judgements of a source: no capture holds them, so a recapture keeps them.
_JUDGED = ("note", "attribution", "reliability")


def _merged_meta(meta: SourceMeta, capture: Capture, previous: Source | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("title", "outlet", "url", "published", "author", "language"):
        given = getattr(meta, name)
        found = getattr(capture, name)
        before = getattr(previous, name) if previous is not None else None
        out[name] = given if given is not None else found if found is not None else before
    for name in _JUDGED:
        given = getattr(meta, name)
        out[name] = given if given is not None else getattr(previous, name, None)
    return out


def _meta_differences(old: Source, new: Source) -> list[str]:
    fields = ("title", "outlet", "url", "published", "author", "language", *_JUDGED)
    return [
        f"{name} {show(getattr(old, name) or '')} → {show(getattr(new, name) or '')}"
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]


def add_source(
    registry: Registry,
    capture: Capture,
    *,
    source_id: str | None = None,
    meta: SourceMeta | None = None,
    recapture: bool = False,
    force: bool = False,
    read: Callable[[str], bytes | None] | None = None,
    retrieved: dt.date | None = None,
) -> Edit[SourceResult]:
    """Record a capture as a source; an existing id is replaced only with ``recapture``.

    A recapture re-anchors every quote that cites the source, and keeps the text it replaces as
    an earlier capture of the source. When some quotes cannot be found again (ambiguous or
    broken) it is refused unless ``force``; forced, they stay anchored in that earlier capture,
    so no point is left without evidence, and the report says which points are no longer quoted
    from the current text. ``read`` reads a file of the
    registry (the previous original, to keep it with the previous capture).

    ``retrieved`` is when the capture was retrieved: recorded when given, and on a recapture
    that changes the text, today (UTC) when not given, so the history of captures is dated.
    """
    sid = check_ident(source_id or default_source_id(capture.name), "source id")
    meta = meta or SourceMeta()
    text_bytes = capture.text_bytes
    digest = store.sha256_bytes(text_bytes)
    keep_original = capture.original != text_bytes
    ext = capture.format.suffix
    existing = registry.source(sid)

    if existing is None:
        path = f"{store.SOURCES_DIR}/{sid}.txt"
        original = f"{store.SOURCES_DIR}/{sid}.orig.{ext}" if keep_original else None
        claim_paths(registry, sid, [path, source_file(sid)] + ([original] if original else []))
        source = validated(
            Source,
            f"source {show(sid)}",
            id=sid,
            path=path,
            sha256=digest,
            original=original,
            **_merged_meta(meta, capture, None),
            retrieved=retrieved,
        )
        files = {path: text_bytes}
        if original:
            files[original] = capture.original
        new_registry = registry.model_copy(
            update={
                "sources": (*registry.sources, source),
                "texts": {**registry.texts, sid: capture.text},
            }
        )
        result = SourceResult(source=source, status=SourceStatus.ADDED)
        return Edit(new_registry, result, files, tuple(result.lines()))

    original = existing.original
    if keep_original and not (original and original.endswith(f".{ext}")):
        original = f"{store.SOURCES_DIR}/{sid}.orig.{ext}"
    elif not keep_original:
        original = None
    candidate = validated(
        Source,
        f"source {show(sid)}",
        id=sid,
        path=existing.path,
        sha256=digest,
        original=original,
        **_merged_meta(meta, capture, existing),
        retrieved=retrieved or dt.datetime.now(dt.UTC).date(),
        captures=existing.captures,
    )
    same_text = digest == existing.sha256 and registry.text(sid) == capture.text
    meta_changes = _meta_differences(existing, candidate)
    if same_text and not meta_changes:
        result = SourceResult(source=existing, status=SourceStatus.UNCHANGED)
        return Edit(registry, result, {}, tuple(result.lines()), changed=False)
    if not recapture:
        quotes = sum(1 for v in registry.versions for _, a in iter_anchors(v) if a.source == sid)
        what = (
            "different metadata (" + "; ".join(meta_changes) + ")"
            if same_text
            else f"different text (sha256 {existing.sha256[:12]}…, this capture {digest[:12]}…)"
        )
        raise PlandiffError(
            f"source {show(sid)} already exists with {what}; to replace it with this capture "
            f"and re-anchor the {quotes} quote(s) citing it, add --recapture, or record it "
            "under another --id"
        )
    if original:
        claim_paths(registry, sid, [original])
    return recapture_source(registry, existing, candidate, capture, force=force, read=read)


def add_sources(
    registry: Registry,
    captures: Sequence[tuple[Capture, str | None]],
    *,
    meta: SourceMeta | None = None,
    recapture: bool = False,
    force: bool = False,
    read: Callable[[str], bytes | None] | None = None,
    retrieved: dt.date | None = None,
) -> Edit[tuple[SourceResult, ...]]:
    """:func:`add_source` for several captures (each with its id or None), all or nothing."""
    files: dict[str, bytes] = {}
    lines: list[str] = []
    results: list[SourceResult] = []
    changed = False
    for capture, source_id in captures:
        edit = add_source(
            registry,
            capture,
            source_id=source_id,
            meta=meta,
            recapture=recapture,
            force=force,
            read=read,
            retrieved=retrieved,
        )
        registry = edit.registry
        files.update(edit.files)
        lines.extend(edit.lines)
        results.append(edit.result)
        changed = changed or edit.changed
    return Edit(registry, tuple(results), files, tuple(lines), changed=changed)
