"""The ``log`` and ``trace`` pages: the lineage as a timeline, one point's history.

They show what the text views of :mod:`plandiff.render.history` show, in the same words (the
phrases are that module's), on the shared page skeleton: quotes with footnote marks, the
sources at the end. Registry text goes into the tree as text nodes only.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from plandiff.history import Trace, TraceStep
from plandiff.models import Anchor, PlanVersion, Registry
from plandiff.render import citing, reflow, wording
from plandiff.render.history import points_fact, step_phrase, trace_summary
from plandiff.render.html.diff import brackets_list, figures_list, inline_redline
from plandiff.render.html.page import Child, document, el, quote_block, sources_section
from plandiff.result import Change

__all__ = ["log_page", "trace_page"]


def _note(anchor_source: str, registry: Registry) -> citing.SourceNote:
    source = registry.source(anchor_source)
    if source is None:
        return citing.SourceNote(anchor_source)
    return citing.SourceNote(
        anchor_source,
        source.title,
        source.outlet,
        source.published,
        source.url,
        attribution=source.attribution,
        reliability=source.reliability,
    )


def _anchor(anchor: Anchor, registry: Registry, notes: citing.Footnotes) -> etree._Element:
    note = _note(anchor.source, registry)
    n = notes.cite(note)
    where = f"characters {anchor.start}–{anchor.end}" if anchor.start is not None else None
    said_by = citing.attribution_words(note.attribution)
    return quote_block(anchor.quote, n, citing.stance_word(anchor.stance), [said_by, where])


def _facts(rows: Sequence[tuple[str, str | None]]) -> etree._Element:
    items: list[Child] = []
    for name, value in rows:
        if value is not None:
            items += [el("dt", name), el("dd", value)]
    return el("dl", items, cls="facts")


# --------------------------------------------------------------------------- log


def log_page(registry: Registry, versions: Sequence[PlanVersion]) -> str:
    """The versions as a timeline, in the order given (newest first from
    :func:`plandiff.history.lineage`), as one HTML document."""
    notes = citing.Footnotes()
    body: list[Child] = [el("h1", "plandiff log")]
    if not versions:
        body.append(el("p", "No versions recorded yet (see 'plandiff version add')."))
    for i, v in enumerate(versions, 1):
        events = sorted(v.events, key=lambda e: e.date, reverse=True)
        body.append(
            el(
                "section",
                el("h2", "version ", el("span", v.id)),
                _facts(
                    [
                        ("Title", v.title),
                        ("Date", v.date.isoformat() if v.date else "unknown"),
                        ("Issuer", ", ".join(v.issuer) if v.issuer else None),
                        ("Points", points_fact(registry, v)),
                        ("Derived", f"from {v.derived_from}" if v.derived_from else None),
                    ]
                ),
                [_anchor(a, registry, notes) for a in v.evidence],
                [
                    el(
                        "div",
                        el("h3", e.date.isoformat()),
                        el("p", e.what),
                        [_anchor(a, registry, notes) for a in e.evidence],
                        cls="event",
                    )
                    for e in events
                ],
                cls="version",
                id=f"version-{i}",
            )
        )
    return document("plandiff log", [el("main", body, sources_section(notes))])


# --------------------------------------------------------------------------- trace


def trace_page(t: Trace, registry: Registry) -> str:
    """The trace as a timeline, oldest version first, as one HTML document."""
    notes = citing.Footnotes()
    title = f"{t.version.id}:{t.point.key}"
    body: list[Child] = [
        el("h1", "plandiff trace ", el("span", title)),
        el("p", trace_summary(t), cls="muted"),
    ]
    steps_by_new = {s.new.id: s for s in t.steps}
    shown: set[str] = set()
    for version, keys in t.frames():
        step = steps_by_new.get(version.id)
        if step is not None:
            if step.old.id not in shown:
                body.append(el("p", f"(from {step.old.id})", cls="muted"))
            body += _transition(step, registry, notes)
        empty = wording.no_counterpart(step.changes if step is not None else ())
        body.append(_version(version, keys, version.id == t.version.id, registry, notes, empty))
        shown.add(version.id)
    return document(f"plandiff trace {title}", [el("main", body, sources_section(notes))])


def _version(
    version: PlanVersion,
    keys: Sequence[str],
    traced: bool,
    registry: Registry,
    notes: citing.Footnotes,
    empty: str = "(no counterpart recorded)",
) -> etree._Element:
    """A version with the traced points it holds, or ``empty`` when it holds none."""
    head = el(
        "h2",
        el("span", version.id),
        f" · {version.date.isoformat() if version.date else 'undated'} · ",
        version.title,
        el("span", " (partly known)", cls="muted")
        if version.completeness.value == "partial"
        else None,
        el("strong", " ◀ traced") if traced else None,
    )
    points: list[Child] = []
    for key in keys:
        p = version.point(key)
        if p is None:
            continue
        label = str(p.number) if p.number is not None else p.key
        points.append(
            el(
                "p",
                el("span", label, cls="label"),
                f" [{p.key}]" if p.number is not None else None,
                el("em", " (described)") if not p.verbatim else None,
                ": ",
                el(
                    "span",
                    reflow.reflow(p.content),
                    cls="text" + ("" if p.verbatim else " described"),
                ),
                cls="point",
            )
        )
        points += [_anchor(a, registry, notes) for a in p.evidence]
    if not keys:
        points.append(el("p", empty, cls="muted"))
    return el("section", head, points, cls="version")


def _transition(
    step: TraceStep, registry: Registry, notes: citing.Footnotes
) -> list[etree._Element]:
    changes: Sequence[Change | None] = step.changes or (None,)
    out = []
    for change in changes:
        parts: list[Child] = [
            el(
                "p",
                "▼ ",
                el("span", f"{step.old.id} → {step.new.id}: ", cls="label"),
                f"{wording.change_label(change)} · " if change is not None else None,
                step_phrase(step, change),
            )
        ]
        if change is not None:
            verbatim = all(r.verbatim for r in change.old + change.new)
            if change.redline is not None and change.redline.changed and verbatim:
                old_parts = [r.text for r in change.old]
                new_parts = [r.text for r in change.new]
                ops = reflow.reflow_ops(change.redline.ops, old_parts, new_parts)
                parts.append(inline_redline(ops))
            parts.append(figures_list(change.substantive))
            parts.append(brackets_list(change))
            if change.note:
                parts.append(el("p", el("span", "Note: ", cls="label"), change.note))
            for e in change.evidence:
                if e.role == "relation":
                    n = notes.cite_evidence(e)
                    where = (
                        f"characters {e.start}–{e.end}{citing.capture_words(e)}"
                        if e.start is not None
                        else None
                    )
                    parts.append(quote_block(e.quote, n, "why", [where]))
        kind = f" kind-{change.kind.value}" if change is not None else ""
        out.append(el("div", parts, cls="step" + kind))
    return out
