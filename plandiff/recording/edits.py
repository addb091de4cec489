"""Correcting and removing what was recorded: a version's facts, whole versions, sources, events,
and the statements and quotes about a version as a whole.

Removal is refused while something still depends on the record (a derived version, a relation, a
quote citing a source), and the refusal names the first few dependants, so nothing recorded is
left pointing at nothing and the user knows what to remove first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from plandiff.errors import NotFoundError, PlandiffError, show
from plandiff.models import (
    Completeness,
    Event,
    PlanVersion,
    Registry,
    Source,
    Statement,
    iter_anchors,
    text_key,
)
from plandiff.recording.points import KEEP
from plandiff.recording.quotes import QuoteRef, anchor_quote
from plandiff.recording.records import updated, validated, version_of, with_version
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import version_file

#: Dependants named in a refusal before "(and N more)".
SHOWN = 3


def _named(places: Sequence[str]) -> str:
    more = f" (and {len(places) - SHOWN} more)" if len(places) > SHOWN else ""
    return ", ".join(places[:SHOWN]) + more


def _without(registry: Registry, version_id: str) -> Registry:
    kept = tuple(v for v in registry.versions if v.id != version_id)
    return registry.model_copy(update={"versions": kept})


# --------------------------------------------------------------------------- versions


def edit_version(
    registry: Registry,
    version_id: str,
    *,
    title: str = KEEP,
    date: dt.date | None = KEEP,
    issuer: Sequence[str] | None = None,
    parties: Sequence[str] | None = None,
    declared_points: int | None = KEEP,
    derived_from: str | None = KEEP,
    completeness: Completeness = KEEP,
    note: str | None = KEEP,
    quotes: Sequence[QuoteRef] = (),
) -> Edit[PlanVersion]:
    """Correct a version's own facts: fields given replace the old ones (None or '' clears one),
    quotes are added to the version's evidence, the quotes that anchor its count, date, issuer."""
    version = version_of(registry, version_id)
    label = f"version {show(version_id)}"
    changes: dict[str, Any] = {}
    if title is not KEEP:
        changes["title"] = title
    if date is not KEEP:
        changes["date"] = date
    if issuer is not None:
        changes["issuer"] = tuple(i for i in issuer if i)
    if parties is not None:
        changes["parties"] = tuple(p for p in parties if p)
    if declared_points is not KEEP:
        changes["declared_points"] = declared_points
    if note is not KEEP:
        changes["note"] = note or None
    if derived_from is not KEEP and (derived_from or None) != version.derived_from:
        changes["derived_from"] = _new_origin(registry, version, derived_from or None)
    if completeness is not KEEP and completeness != version.completeness:
        if completeness is Completeness.FULL and version.text_source is None:
            raise PlandiffError(
                f"{label} has no text source, so it cannot be 'full'; record the full text with "
                "'plandiff version add ID --from-text FILE'"
            )
        changes["completeness"] = completeness
    if quotes:
        added = tuple(anchor_quote(registry, q) for q in quotes)
        changes["evidence"] = (*version.evidence, *added)
    edited = updated(version, label, **changes)
    if edited == version:
        return Edit(registry, version, {}, (f"unchanged: version {version_id}",), changed=False)
    what = ", ".join(
        name for name in PlanVersion.model_fields if getattr(edited, name) != getattr(version, name)
    )
    line = f"edited version {version_id} ({what})"
    return Edit(with_version(registry, edited), edited, {}, (line,))


def _new_origin(registry: Registry, version: PlanVersion, origin: str | None) -> str | None:
    """A new ``derived_from``: refused while relations tie the version to its present origin."""
    if version.relations:
        raise PlandiffError(
            f"version {show(version.id)} has {len(version.relations)} relation(s) to points of "
            f"{show(version.derived_from or '')} ({version_file(version.id)} relations); remove "
            "them with 'plandiff relate ... --remove' before changing --derived-from"
        )
    if origin is None:
        return None
    if origin == version.id:
        raise PlandiffError(f"version {show(version.id)} cannot derive from itself")
    version_of(registry, origin)
    seen = {version.id}
    step: str | None = origin
    while step is not None and step not in seen:
        seen.add(step)
        parent = registry.version(step)
        step = parent.derived_from if parent is not None else None
    if step == version.id:
        raise PlandiffError(
            f"version {show(origin)} derives from {show(version.id)} already; deriving "
            f"{show(version.id)} from it would make a cycle"
        )
    return origin


def remove_version(registry: Registry, version_id: str) -> Edit[PlanVersion]:
    """Remove a version no other version derives from; its source texts stay as sources."""
    version = version_of(registry, version_id)
    children = [v for v in registry.versions if v.derived_from == version_id]
    if children:
        names = [f"{show(v.id)} ({version_file(v.id)})" for v in children]
        tied = sum(len(v.relations) for v in children)
        relations = f", with {tied} relation(s) into its points" if tied else ""
        raise PlandiffError(
            f"version {show(version_id)} is the origin of {_named(names)}{relations}; remove "
            "those first, or change their origin with 'plandiff version edit VERSION "
            "--derived-from OTHER'"
        )
    lines = [f"removed version {version_id} ({len(version.points)} point(s))"]
    if version.text_source is not None:
        lines.append(
            f"kept source {version.text_source} (its text); remove it with "
            f"'plandiff source remove {version.text_source}'"
        )
    return Edit(_without(registry, version_id), version, {}, tuple(lines))


# --------------------------------------------------------------------------- sources


def remove_source(registry: Registry, source_id: str) -> Edit[Source]:
    """Remove a source nothing cites, with its text, original and earlier captures, in one
    commit."""
    source = registry.source(source_id)
    if source is None:
        raise NotFoundError("source", source_id, [s.id for s in registry.sources])
    places = [
        f"{version_file(v.id)} {path}"
        for v in registry.versions
        for path, anchor in iter_anchors(v)
        if anchor.source == source_id
    ]
    texts_of = [
        f"{version_file(v.id)} text_source" for v in registry.versions if v.text_source == source_id
    ]
    if places or texts_of:
        what = [f"cited by {len(places)} quote(s)"] if places else []
        what += [f"the text of {len(texts_of)} version(s)"] if texts_of else []
        raise PlandiffError(
            f"source {show(source_id)} is {' and '.join(what)}: {_named([*texts_of, *places])}; "
            "remove or re-source those first"
        )
    paths = [source.path, source.original]
    paths += [p for c in source.captures for p in (c.path, c.original)]
    files = tuple(dict.fromkeys(p for p in paths if p is not None))
    kept = tuple(s for s in registry.sources if s.id != source_id)
    own = {text_key(source_id, n) for n in range(len(source.captures) + 1)}
    texts = {key: t for key, t in registry.texts.items() if key not in own}
    new_registry = registry.model_copy(update={"sources": kept, "texts": texts})
    line = f"removed source {source_id} ({len(files)} file(s))"
    return Edit(new_registry, source, lines=(line,), deletes=files)


# --------------------------------------------------------------------------- events


def remove_event(
    registry: Registry, version_id: str, when: str, what: str | None = None
) -> Edit[Event]:
    """Remove the event of a version on date ``when`` (``YYYY-MM-DD``); ``what``, its exact
    words, picks one of several on that day. Events carry no id: their date and words are how
    every report names them."""
    version = version_of(registry, version_id)
    try:
        day = dt.date.fromisoformat(when)
    except ValueError:
        raise PlandiffError(f"event {show(when)}: give the event's date as YYYY-MM-DD") from None
    on_day = [i for i, e in enumerate(version.events) if e.date == day]
    if what is not None:
        on_day = [i for i in on_day if version.events[i].what == what]
    if not on_day:
        known = ", ".join(f"{e.date.isoformat()} {show(e.what, 40)}" for e in version.events)
        wording = f" saying {show(what, 40)}" if what is not None else ""
        raise PlandiffError(
            f"version {show(version_id)} has no event on {day.isoformat()}{wording}"
            + (f"; its events: {known}" if known else "; it has no events")
        )
    if len(on_day) > 1:
        said = ", ".join(show(version.events[i].what, 40) for i in on_day)
        raise PlandiffError(
            f"version {show(version_id)} has {len(on_day)} events on {day.isoformat()} "
            f"({said}); pick one with --what and its exact words"
        )
    index = on_day[0]
    event = version.events[index]
    events = version.events[:index] + version.events[index + 1 :]
    new_version = updated(version, f"version {show(version_id)}", events=events)
    line = f"removed event {day.isoformat()} from version {version_id}"
    return Edit(with_version(registry, new_version), event, {}, (line,))


# --------------------------------------------------------------------------- statements, quotes


def add_statement(
    registry: Registry, version_id: str, *, text: str, quotes: Sequence[QuoteRef]
) -> Edit[Statement]:
    """Something reporting says of the version as a whole, with its quotes; saying the same
    words again adds the quotes to that statement."""
    version = version_of(registry, version_id)
    if not text.strip():
        raise PlandiffError("TEXT: say what reporting says of the version")
    if not quotes:
        raise PlandiffError(
            "a statement needs evidence: give at least one --quote with its --source"
        )
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    statements = list(version.statements)
    same = next((i for i, s in enumerate(statements) if s.text == text), None)
    if same is None:
        statement = validated(Statement, "statement", text=text, evidence=evidence)
        statements.append(statement)
        count = len(evidence)
        line = f"added statement {len(statements)} to version {version_id} with {count} quote(s)"
    else:
        old = statements[same]
        fresh = tuple(a for a in evidence if a not in old.evidence)
        statement = old.model_copy(update={"evidence": (*old.evidence, *fresh)})
        statements[same] = statement
        line = f"added {len(fresh)} quote(s) to statement {same + 1} of version {version_id}"
        if not fresh:
            return Edit(
                registry,
                old,
                {},
                (f"unchanged: statement {same + 1} of version {version_id}",),
                changed=False,
            )
    new_version = updated(version, f"version {show(version_id)}", statements=tuple(statements))
    return Edit(with_version(registry, new_version), statement, {}, (line,))


def remove_statement(registry: Registry, version_id: str, number: int) -> Edit[Statement]:
    """Remove a version's statement by its 1-based number in recorded order (as 'show' lists)."""
    version = version_of(registry, version_id)
    count = len(version.statements)
    if not 1 <= number <= count:
        raise PlandiffError(
            f"version {show(version_id)} has {count} statement(s); there is no statement {number}"
        )
    statement = version.statements[number - 1]
    statements = version.statements[: number - 1] + version.statements[number:]
    new_version = updated(version, f"version {show(version_id)}", statements=statements)
    line = f"removed statement {number} from version {version_id}"
    return Edit(with_version(registry, new_version), statement, {}, (line,))


def add_version_quotes(
    registry: Registry, version_id: str, quotes: Sequence[QuoteRef]
) -> Edit[PlanVersion]:
    """Evidence on the version itself: quotes reporting it (its title, count, date, issuer)."""
    if not quotes:
        raise PlandiffError("give at least one --quote with its --source")
    edit = edit_version(registry, version_id, quotes=quotes)
    line = f"added {len(quotes)} quote(s) to version {version_id}"
    return Edit(edit.registry, edit.result, {}, (line,))


def remove_version_quote(registry: Registry, version_id: str, number: int) -> Edit[PlanVersion]:
    """Remove a quote from the version's own evidence by its 1-based number in recorded order."""
    version = version_of(registry, version_id)
    count = len(version.evidence)
    if not 1 <= number <= count:
        raise PlandiffError(
            f"version {show(version_id)} has {count} quote(s) of its own; there is no quote "
            f"{number} to remove"
        )
    evidence = version.evidence[: number - 1] + version.evidence[number:]
    new_version = updated(version, f"version {show(version_id)}", evidence=evidence)
    line = f"removed quote {number} from version {version_id}"
    return Edit(with_version(registry, new_version), new_version, {}, (line,))
