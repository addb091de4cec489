"""Adding, correcting and removing the points of a version."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from plandiff.errors import PlandiffError, show
from plandiff.models import Anchor, PlanVersion, Point, PointStatus, Registry
from plandiff.recording.quotes import QuoteRef, anchor_quote
from plandiff.recording.records import (
    check_ident,
    point_of,
    slug,
    unique_key,
    updated,
    validated,
    version_of,
    with_version,
)
from plandiff.recording.relations import describe_relation, relate_command
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import version_file

#: Passed to :func:`edit_point` for a field to keep as it is (None would clear it).
KEEP: Any = object()


def _insert_point(points: tuple[Point, ...], point: Point) -> tuple[Point, ...]:
    """Append, or insert before the first point with a higher number (version order)."""
    if point.number is not None:
        for i, p in enumerate(points):
            if p.number is not None and p.number > point.number:
                return (*points[:i], point, *points[i:])
    return (*points, point)


def _check_verbatim(
    registry: Registry, version: PlanVersion, text: str | None, evidence: Sequence[Anchor]
) -> None:
    """Refuse a verbatim text that its quoted sources (or the version's text) do not hold
    whole: the diff would show invented words as the plan's."""
    if not text:
        return
    from plandiff.claims import unanchored_text

    ids = [a.source for a in evidence] + (
        [version.text_source] if version.text_source is not None else []
    )
    sources = [(sid, registry.texts[sid]) for sid in dict.fromkeys(ids) if sid in registry.texts]
    problem = unanchored_text(text, sources)
    if problem is not None:
        raise PlandiffError(
            f"--text {problem}; verbatim text must be quoted whole: give what reporting says "
            "as --summary"
        )


def add_point(
    registry: Registry,
    version_id: str,
    *,
    quotes: Sequence[QuoteRef],
    summary: str | None = None,
    text: str | None = None,
    number: int | None = None,
    topics: Sequence[str] = (),
    key: str | None = None,
    bracketed: bool = False,
) -> Edit[Point]:
    """A new point in a version, each quote anchored in its source; ``bracketed`` records that
    reporting says its language is not yet agreed."""
    version = version_of(registry, version_id)
    if not quotes:
        raise PlandiffError("a point needs evidence: give at least one --quote with its --source")
    summary, text = (summary or None), (text or None)
    if not (summary or text):
        raise PlandiffError(
            "a point needs --summary (what reporting says it contains) or --text (its verbatim "
            "wording)"
        )
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    _check_verbatim(registry, version, text, evidence)
    taken = [p.key for p in version.points]
    if key is not None:
        check_ident(key, "point key")
        if key in taken:
            raise PlandiffError(
                f"point {show(version_id + ':' + key)} already exists; choose another --key, or "
                "change it with 'plandiff point edit'"
            )
    else:
        key = unique_key(slug(summary or text or quotes[0].quote), taken)
    point = validated(
        Point,
        f"point {show(key)}",
        key=key,
        number=number,
        text=text,
        summary=summary,
        topics=tuple(t for t in topics if t),
        evidence=evidence,
        status=PointStatus.BRACKETED if bracketed else None,
    )
    new_version = updated(
        version, f"version {show(version_id)}", points=_insert_point(version.points, point)
    )
    line = f"added point {version_id}:{key} with {len(evidence)} quote(s)"
    return Edit(with_version(registry, new_version), point, {}, (line,))


def _users(registry: Registry, version: PlanVersion, key: str) -> list[tuple[PlanVersion, int]]:
    """Relations that use a point: in its own version (new side) and derived ones (old side)."""
    found = [(version, i) for i, r in enumerate(version.relations) if key in r.new]
    for v in registry.versions:
        if v.derived_from == version.id:
            found.extend((v, i) for i, r in enumerate(v.relations) if key in r.old)
    return found


def edit_point(
    registry: Registry,
    version_id: str,
    key: str,
    *,
    summary: str | None = KEEP,
    text: str | None = KEEP,
    number: int | None = KEEP,
    topics: Sequence[str] | None = None,
    new_key: str | None = None,
    add_quotes: Sequence[QuoteRef] = (),
    drop_evidence: Sequence[int] = (),
) -> Edit[Point]:
    """Correct a point: fields given replace the old ones ('' clears a text field), quotes are
    added, evidence is dropped by its 1-based number; a new key is followed by relations."""
    version = version_of(registry, version_id)
    point = point_of(version, key)
    evidence = list(point.evidence)
    for n in sorted(set(drop_evidence), reverse=True):
        if not 1 <= n <= len(point.evidence):
            raise PlandiffError(
                f"point {show(version_id + ':' + key)} has {len(point.evidence)} quote(s); "
                f"there is no quote {n} to drop"
            )
        del evidence[n - 1]
    evidence.extend(anchor_quote(registry, q) for q in add_quotes)
    if not evidence:
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} would have no evidence left; add a --quote "
            "with its --source, or remove the point"
        )
    changes: dict[str, Any] = {"evidence": tuple(evidence)}
    if summary is not KEEP:
        changes["summary"] = summary or None
    if text is not KEEP:
        changes["text"] = text or None
        _check_verbatim(registry, version, text, evidence)
    if number is not KEEP:
        changes["number"] = number
    if topics is not None:
        changes["topics"] = tuple(t for t in topics if t)
    target = key
    if new_key is not None and new_key != key:
        check_ident(new_key, "point key")
        if version.point(new_key) is not None:
            raise PlandiffError(f"point {show(version_id + ':' + new_key)} already exists")
        changes["key"] = target = new_key
    if not (changes.get("text", point.text) or changes.get("summary", point.summary)):
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} needs its text or a summary; "
            "keep one of --summary and --text"
        )
    edited = updated(point, f"point {show(key)}", **changes)
    if edited == point:
        line = f"unchanged: point {version_id}:{key}"
        return Edit(registry, point, {}, (line,), changed=False)
    points = tuple(edited if p.key == key else p for p in version.points)
    if "number" in changes and edited.number != point.number:
        points = _insert_point(tuple(p for p in points if p.key != target), edited)
    relations = version.relations
    if target != key:
        relations = tuple(
            r.model_copy(update={"new": tuple(target if k == key else k for k in r.new)})
            for r in relations
        )
    new_version = updated(
        version, f"version {show(version_id)}", points=points, relations=relations
    )
    registry = with_version(registry, new_version)
    if target != key:
        for v in registry.versions:
            if v.derived_from == version_id and any(key in r.old for r in v.relations):
                renamed = tuple(
                    r.model_copy(update={"old": tuple(target if k == key else k for k in r.old)})
                    for r in v.relations
                )
                registry = with_version(registry, v.model_copy(update={"relations": renamed}))
    what = ", ".join(
        name for name in Point.model_fields if getattr(edited, name) != getattr(point, name)
    )
    line = f"edited point {version_id}:{target} ({what})"
    return Edit(registry, edited, {}, (line,))


def remove_point(registry: Registry, version_id: str, key: str) -> Edit[Point]:
    """Remove a point no relation uses."""
    version = version_of(registry, version_id)
    point = point_of(version, key)
    users = _users(registry, version, key)
    if users:
        holder, i = users[0]
        relation = holder.relations[i]
        more = f" (and {len(users) - 1} more)" if len(users) > 1 else ""
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} is used by the relation "
            f"{describe_relation(holder, relation)} ({version_file(holder.id)} "
            f"relations[{i}]){more}; remove that first with '{relate_command(holder, relation)}'"
        )
    points = tuple(p for p in version.points if p.key != key)
    new_version = updated(version, f"version {show(version_id)}", points=points)
    line = f"removed point {version_id}:{key}"
    return Edit(with_version(registry, new_version), point, {}, (line,))
