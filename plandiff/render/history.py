"""History views: the versions as a timeline (``log``) and one point's history (``trace``).

``log`` reads like ``git log``: newest version first, each with its date, declared and known
points, what it derives from, its dated events and the quotes behind them. ``trace`` is
``git blame`` for a point: each step (unchanged, reworded, merged, split, dropped, or not
reported) with the sources for it. What to show is found by :mod:`plandiff.history`
(:func:`~plandiff.history.lineage`, :func:`~plandiff.history.trace`); this module only shows it.

Views return rich renderables (``*_view``) or JSON-ready data (``*_data``); they never print.
All registry text goes into ``Text`` objects through :func:`visible`, never through markup.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, assert_never

import msgspec
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.padding import Padding
from rich.text import Text

from plandiff.brackets import bracketed_spans
from plandiff.history import Trace, TraceStep, declared_change
from plandiff.models import Anchor, PlanVersion, Registry
from plandiff.render import citing, reflow, wording
from plandiff.render.layout import Hanging
from plandiff.render.terminal import STYLES, redline_text
from plandiff.result import Change, ChangeKind, PointRef
from plandiff.text import first_words, visible

__all__ = [
    "log_data",
    "log_view",
    "points_fact",
    "step_phrase",
    "trace_data",
    "trace_summary",
    "trace_view",
]


def _flat(value: object) -> str:
    return visible(" ".join(str(value).split()))


class _Adaptive:
    """A renderable built when printed, knowing whether the console has colour."""

    def __init__(self, build: Callable[[bool], Iterator[RenderableType]]) -> None:
        self._build = build

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        plain = console.no_color or console.color_system is None
        yield Group(*self._build(plain))


# --------------------------------------------------------------------------- lineage and log


def _anchor_line(anchor: Anchor, registry: Registry, notes: citing.Footnotes) -> Text:
    """``“quote…” [1] @start–end``: the footnote names the source, the list at the end
    gives its title, outlet and date once."""
    source = registry.source(anchor.source)
    note = citing.SourceNote(
        anchor.source,
        source.title if source else None,
        source.outlet if source else None,
        source.published if source else None,
        source.url if source else None,
        first_words(registry.texts.get(anchor.source, "")),
        source.attribution if source else None,
        source.reliability if source else None,
    )
    n = notes.cite(note)
    line = Text()
    stance = citing.stance_word(anchor.stance)
    if stance:
        line.append(f"{stance}: ", style=STYLES["disagree"])
    line.append("“", style=STYLES["quote"])
    line.append(_flat(wording.elide_middle(anchor.quote, 100)), style=STYLES["quote"])
    line.append("” ", style=STYLES["quote"])
    line.append(f"[{n}]", style=STYLES["footnote"])
    said_by = citing.attribution_words(note.attribution)
    if said_by:
        line.append(f" {said_by}", style=STYLES["dim"])
    if anchor.start is not None:
        line.append(f" @{anchor.start}–{anchor.end}", style=STYLES["dim"])
    return line


def _sources(notes: citing.Footnotes) -> Iterator[RenderableType]:
    entries = notes.entries()
    if not entries:
        return
    yield Text("")
    yield Text("Sources", style=STYLES["label"])
    for n, note in entries:
        line = Text()
        line.append(_flat(citing.source_name(note)))
        facts = [note.outlet, note.published.isoformat() if note.published else "date unknown"]
        facts.append(citing.judgement(note))
        line.append(" — " + ", ".join(_flat(f) for f in facts if f), style=STYLES["dim"])
        line.append(f"  {_flat(note.id)}", style=STYLES["dim"])
        if note.url:
            line.append(f"  {_flat(note.url)}", style=STYLES["dim"])
        yield _hanging(Text(f"[{n}]", style=STYLES["footnote"]), line, 2)


def _indent(renderable: RenderableType, by: int) -> RenderableType:
    return Padding(renderable, (0, 0, 0, by))


def _hanging(label: Text, body: RenderableType, indent: int = 0) -> RenderableType:
    """``label  body`` with the body's wrapped lines aligned under its first line."""
    grid = Hanging(label, body)
    return _indent(grid, indent) if indent else grid


def _declared_change(registry: Registry, version: PlanVersion) -> str | None:
    change = declared_change(registry, version)
    if change is None:
        return None
    if change.difference == 0:
        return f"as many as {change.parent}"
    fewer_or_more = "fewer" if change.difference < 0 else "more"
    return f"{change.parent} had {change.before}: {abs(change.difference)} {fewer_or_more}"


def points_fact(registry: Registry, version: PlanVersion) -> str:
    declared = (
        "count not declared"
        if version.declared_points is None
        else f"{version.declared_points} declared"
    )
    change = _declared_change(registry, version)
    if change:
        declared += f" ({change})"
    return f"{declared}, {version.known_points} known, {version.completeness.value} text"


def log_view(registry: Registry, versions: Sequence[PlanVersion]) -> RenderableType:
    """Versions as a timeline, in the order given (:func:`plandiff.history.lineage`'s)."""
    notes = citing.Footnotes()
    parts: list[RenderableType] = []
    if not versions:
        return Text("No versions recorded yet (see 'plandiff version add').")
    for n, v in enumerate(versions):
        if n:
            parts.append(Text(""))
        head = Text("version ", style="yellow")
        head.append(_flat(v.id), style="bold yellow")
        parts.append(head)
        facts = [
            ("Title", v.title),
            ("Date", v.date.isoformat() if v.date else "unknown"),
            ("Issuer", ", ".join(v.issuer) if v.issuer else None),
            ("Points", points_fact(registry, v)),
            ("Derived", f"from {v.derived_from}" if v.derived_from else None),
        ]
        for name, value in facts:
            if value is not None:
                parts.append(
                    _hanging(Text(f"{name + ':':<8}", style=STYLES["dim"]), Text(_flat(value)))
                )
        for anchor in v.evidence:
            parts.append(_indent(_anchor_line(anchor, registry, notes), 4))
        events = sorted(v.events, key=lambda e: e.date, reverse=True)
        if events:
            parts.append(Text(""))
        for e in events:
            body = [Text(_flat(e.what))]
            body += [_anchor_line(anchor, registry, notes) for anchor in e.evidence]
            date = Text(e.date.isoformat(), style=STYLES["label"])
            parts.append(_hanging(date, Group(*body), 4))
    parts.extend(_sources(notes))
    return Group(*parts)


def _anchor_data(anchor: Anchor) -> dict[str, Any]:
    return {
        "source": anchor.source,
        "quote": anchor.quote,
        "start": anchor.start,
        "end": anchor.end,
        "stance": anchor.stance.value,
    }


def _sources_data(registry: Registry, ids: Sequence[str]) -> list[dict[str, Any]]:
    out = []
    for sid in dict.fromkeys(ids):
        s = registry.source(sid)
        out.append(
            {
                "id": sid,
                "title": s.title if s else None,
                "outlet": s.outlet if s else None,
                "published": s.published.isoformat() if s and s.published else None,
                "url": s.url if s else None,
                "attribution": s.attribution.value if s and s.attribution else None,
                "reliability": s.reliability if s else None,
            }
        )
    return out


def log_data(registry: Registry, versions: Sequence[PlanVersion]) -> dict[str, Any]:
    """Versions as JSON-ready data, in the order given, with every source cited."""
    cited: list[str] = []
    out = []
    for v in versions:
        change = declared_change(registry, v)
        declared = (
            None
            if change is None
            else {"from": change.before, "to": change.after, "difference": change.difference}
        )
        events = sorted(v.events, key=lambda e: e.date, reverse=True)
        cited += [a.source for a in v.evidence] + [a.source for e in events for a in e.evidence]
        out.append(
            {
                "id": v.id,
                "title": v.title,
                "date": v.date.isoformat() if v.date else None,
                "issuer": list(v.issuer),
                "declared_points": v.declared_points,
                "known_points": v.known_points,
                "completeness": v.completeness.value,
                "derived_from": v.derived_from,
                "declared_change": declared,
                "evidence": [_anchor_data(a) for a in v.evidence],
                "events": [
                    {
                        "date": e.date.isoformat(),
                        "what": e.what,
                        "evidence": [_anchor_data(a) for a in e.evidence],
                    }
                    for e in events
                ],
            }
        )
    return {"versions": out, "sources": _sources_data(registry, cited)}


# --------------------------------------------------------------------------- trace


def step_phrase(step: TraceStep, change: Change | None) -> str:
    """What happened at one step, in words, with every ChangeKind handled."""
    old, new = step.old, step.new
    if change is None:
        return f"no counterpart found between {old.id} and {new.id}"
    match change.kind:
        case ChangeKind.UNCHANGED:
            words = "unchanged"
        case ChangeKind.REWORDED:
            words = "reworded"
        case ChangeKind.REPLACED:
            words = "replaced: a new text in the same place"
        case ChangeKind.MERGED:
            words = f"merged: {wording.side_label(change.old)} became one point"
        case ChangeKind.SPLIT:
            words = f"split into {len(change.new)} points"
        case ChangeKind.ADDED:
            words = f"first appears in {new.id}: no counterpart in {old.id}"
        case ChangeKind.REMOVED:
            words = f"dropped in {new.id}"
        case ChangeKind.DEFERRED:
            words = f"deferred in {new.id}, {wording.deferral_phrase(change)}"
        case ChangeKind.UNREPORTED:
            partial = old if change.new else new
            words = (
                f"no counterpart among the known points of {partial.id} (only partly known): "
                "nothing can be concluded"
            )
        case _:
            assert_never(change.kind)
    flags = "".join(f", {f}" for f in wording.change_flags(change))
    return f"{words}{flags} ({wording.basis_phrase(change)})"


def _point_block(
    version: PlanVersion, key: str, registry: Registry, notes: citing.Footnotes
) -> Iterator[RenderableType]:
    p = version.point(key)
    if p is None:
        return
    line = Text()
    label = str(p.number) if p.number is not None else p.key
    line.append(_flat(label), style=STYLES["label"])
    if p.number is not None:
        line.append(f" [{_flat(p.key)}]", style=STYLES["dim"])
    if not p.verbatim:
        line.append(" (described)", style=STYLES["described"])
    if p.status is not None or (p.text and bracketed_spans(p.text)):
        line.append(" (unagreed)", style=STYLES["described"])
    line.append(": ")
    line.append(visible(reflow.reflow(p.content)), style="" if p.verbatim else STYLES["described"])
    yield _indent(line, 4)
    for a in p.evidence:
        yield _indent(_anchor_line(a, registry, notes), 8)


def _version_head(version: PlanVersion, traced: bool) -> Text:
    head = Text()
    head.append(_flat(version.id), style="bold yellow")
    head.append(f"  {version.date.isoformat() if version.date else 'undated'}  ", style="dim")
    head.append(_flat(version.title))
    if version.completeness.value == "partial":
        head.append("  (partly known)", style=STYLES["dim"])
    if traced:
        head.append("  ◀ traced", style=STYLES["moved"])
    return head


def _relation_notes(
    change: Change, registry: Registry, notes: citing.Footnotes
) -> Iterator[RenderableType]:
    if change.note:
        note = Text("note: ", style=STYLES["dim"])
        note.append(_flat(change.note), style=STYLES["note"])
        yield _indent(note, 6)
    for e in change.evidence:
        if e.role != "relation":
            continue
        n = notes.cite_evidence(e)
        line = Text("why", style=STYLES["dim"])
        stance = citing.stance_word(e.stance)
        if stance:
            line.append(f", {stance}", style=STYLES["disagree"])
        line.append(": “", style=STYLES["dim"])
        line.append(_flat(wording.elide_middle(e.quote, 100)), style=STYLES["quote"])
        line.append("” ", style=STYLES["quote"])
        line.append(f"[{n}]", style=STYLES["footnote"])
        for words in citing.tail_words(e):
            line.append(f" {_flat(words)}", style=STYLES["dim"])
        yield _indent(line, 6)


def trace_view(t: Trace, registry: Registry) -> RenderableType:
    """The trace as a timeline, oldest version first; nothing is printed."""

    def build(plain: bool) -> Iterator[RenderableType]:
        notes = citing.Footnotes()
        head = Text("trace ", style=STYLES["title"])
        head.append(f"{_flat(t.version.id)}:{_flat(t.point.key)}", style=STYLES["title"])
        yield head
        yield Text(visible(trace_summary(t)), style=STYLES["dim"])
        frames = t.frames()
        shown: set[str] = set()
        steps_by_new = {s.new.id: s for s in t.steps}
        for version, keys in frames:
            step = steps_by_new.get(version.id)
            if step is not None:
                if step.old.id not in shown:
                    yield Text(f"  (from {_flat(step.old.id)})", style=STYLES["dim"])
                yield from _transition(step, registry, notes, plain)
            yield Text("")
            yield _version_head(version, version.id == t.version.id)
            shown.add(version.id)
            for key in keys:
                yield from _point_block(version, key, registry, notes)
            if not keys:
                said = wording.no_counterpart(step.changes if step is not None else ())
                yield _indent(Text(_flat(said), style=STYLES["dim"]), 4)
        yield from _sources(notes)

    return _Adaptive(build)


def _transition(
    step: TraceStep, registry: Registry, notes: citing.Footnotes, plain: bool
) -> Iterator[RenderableType]:
    changes: Sequence[Change | None] = step.changes or (None,)
    for change in changes:
        line = Text("  ▼ ", style=STYLES["moved"])
        line.append(f"{_flat(step.old.id)} → {_flat(step.new.id)}: ", style=STYLES["label"])
        if change is not None:
            line.append(_flat(wording.change_label(change)) + "  ", style=STYLES["dim"])
        line.append(visible(step_phrase(step, change)))
        yield line
        if change is None:
            continue
        verbatim = all(r.verbatim for r in change.old + change.new)
        if change.redline is not None and change.redline.changed and verbatim:
            text = redline_text(
                change.redline,
                plain=plain,
                substantive=change.substantive,
                old_parts=[r.text for r in change.old],
                new_parts=[r.text for r in change.new],
            )
            yield _indent(text, 6)
        for s in change.substantive:
            sub = Text(f"≠ {s.kind.value}: ", style=STYLES["substantive"])
            sub.append(f"{_flat(s.old or '(none)')} → {_flat(s.new or '(none)')}")
            yield _indent(sub, 6)
        for b in change.brackets:
            yield _indent(
                Text(_flat(f"≠ {wording.bracket_phrase(b)}"), style=STYLES["substantive"]), 6
            )
        yield from _relation_notes(change, registry, notes)


def trace_summary(t: Trace) -> str:
    """One line: where the point comes from and what became of it."""
    back = [s for s in t.steps if s.direction == "back"]
    forward = [s for s in t.steps if s.direction == "forward"]
    first = back[0] if back else None
    kinds = {c.kind for c in first.changes} if first else set()
    if first is None:
        origin = f"first recorded in {t.origin.id}"
    elif kinds == {ChangeKind.ADDED}:
        origin = f"first appears in {first.new.id}"
    elif not kinds or kinds == {ChangeKind.UNREPORTED}:
        origin = f"origin unknown: not among the known points of {first.old.id}"
    else:
        origin = f"recorded since {first.old.id}"
    fates = []
    for step in forward:
        step_kinds = {c.kind for c in step.changes}
        if not step.changes:
            fates.append(f"no counterpart found in {step.new.id}")
        elif step_kinds == {ChangeKind.REMOVED}:
            fates.append(f"dropped in {step.new.id}")
        elif step_kinds == {ChangeKind.DEFERRED}:
            deferral = wording.deferral_phrase(step.changes[0])
            fates.append(f"deferred in {step.new.id}, {deferral}")
        elif step_kinds == {ChangeKind.UNREPORTED}:
            fates.append(f"not among the known points of {step.new.id}")
    versions = wording.plural(len(t.frames()), "version")
    return "; ".join([origin, *fates, f"followed through {versions}"])


def _ref_data(r: PointRef) -> dict[str, Any]:
    return {"key": r.key, "number": r.number, "verbatim": r.verbatim, "text": r.text}


def trace_data(t: Trace, registry: Registry) -> dict[str, Any]:
    """The trace as JSON-ready data: the versions it passes through and each step."""
    cited: list[str] = []
    versions = []
    for version, keys in t.frames():
        points = []
        for key in keys:
            p = version.point(key)
            if p is None:
                continue
            cited += [a.source for a in p.evidence]
            points.append(
                {
                    "key": p.key,
                    "number": p.number,
                    "verbatim": p.verbatim,
                    "text": p.content,
                    "evidence": [_anchor_data(a) for a in p.evidence],
                }
            )
        versions.append(
            {
                "id": version.id,
                "title": version.title,
                "date": version.date.isoformat() if version.date else None,
                "completeness": version.completeness.value,
                "points": points,
            }
        )
    steps = []
    for step in t.steps:
        changes = []
        for c in step.changes:
            relation = [e for e in c.evidence if e.role == "relation"]
            cited += [e.source for e in relation]
            changes.append(
                {
                    "kind": c.kind.value,
                    "moved": c.moved,
                    "renumbered": c.renumbered,
                    "basis": c.basis.value,
                    "similarity": None if c.similarity is None else round(c.similarity, 4),
                    "old": [_ref_data(r) for r in c.old],
                    "new": [_ref_data(r) for r in c.new],
                    "redline": [[op.value, text] for op, text in c.redline.ops]
                    if c.redline
                    else [],
                    "substantive": [msgspec.to_builtins(s) for s in c.substantive],
                    "brackets": [msgspec.to_builtins(b) for b in c.brackets],
                    "note": c.note,
                    "evidence": [msgspec.to_builtins(e) for e in relation],
                    "sources_disagree": c.sources_disagree,
                }
            )
        steps.append(
            {
                "from": step.old.id,
                "to": step.new.id,
                "direction": step.direction,
                "changes": changes,
            }
        )
    return {
        "trace": {"version": t.version.id, "point": t.point.key, "number": t.point.number},
        "summary": trace_summary(t),
        "versions": versions,
        "steps": steps,
        "sources": _sources_data(registry, cited),
    }
