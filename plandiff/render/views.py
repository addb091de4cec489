"""Registry views (versions, one version, sources) as rich renderables and as JSON data.

Functions return values; the CLI prints them. Every piece of registry text goes into a rich
``Text`` through :func:`safe`, never through markup, so an article containing ``[bold]`` or an
escape sequence is shown as written.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Group, RenderableType
from rich.text import Text

# visible() is the sanitising rule of every view (plandiff.text); the renderers import it here.
from plandiff.brackets import bracketed_spans
from plandiff.render.citing import (
    Footnotes,
    SourceNote,
    attribution_words,
    judgement,
    source_name,
    stance_word,
)
from plandiff.text import first_words
from plandiff.text import visible as visible

if TYPE_CHECKING:  # annotations only: a diff's report never needs the validating models
    from plandiff.models import Anchor, PlanVersion, Registry, Source


def safe(value: object, style: str = "") -> Text:
    """A rich Text holding untrusted text literally (no markup, controls made visible)."""
    return Text(visible(value), style=style)


def elide(text: str, limit: int = 160) -> str:
    """Shorten long quotes in the middle, keeping both ends readable."""
    if len(text) <= limit:
        return text
    half = (limit - 3) // 2
    return text[:half].rstrip() + " … " + text[-half:].lstrip()


def sources_of(version: PlanVersion) -> list[str]:
    from plandiff.models import iter_anchors

    seen: dict[str, None] = {}
    for _, a in iter_anchors(version):
        seen.setdefault(a.source, None)
    return list(seen)


def version_row(version: PlanVersion) -> dict[str, Any]:
    return {
        "id": version.id,
        "title": version.title,
        "date": version.date.isoformat() if version.date else None,
        "declared_points": version.declared_points,
        "known_points": version.known_points,
        "completeness": version.completeness.value,
        "derived_from": version.derived_from,
        "sources": sources_of(version),
    }


def versions_data(registry: Registry) -> dict[str, Any]:
    return {"versions": [version_row(v) for v in _by_date(registry.versions)]}


def _by_date(versions: tuple[PlanVersion, ...]) -> list[PlanVersion]:
    return sorted(versions, key=lambda v: (v.date.isoformat() if v.date else "", v.id))


def versions_table(registry: Registry) -> RenderableType:
    # Tables are imported by the views that draw them: the diff report, which needs visible()
    # from this module, has none.
    from rich.table import Table

    table = Table(title="Plan versions", title_justify="left", show_lines=False)
    for name, kw in (
        ("id", {"style": "bold", "no_wrap": True}),
        ("title", {}),
        ("date", {"no_wrap": True}),
        ("points", {"justify": "right", "no_wrap": True}),
        ("text", {}),
        ("derived from", {}),
        ("sources", {}),
    ):
        table.add_column(name, **kw)
    for v in _by_date(registry.versions):
        declared = "?" if v.declared_points is None else str(v.declared_points)
        table.add_row(
            safe(v.id),
            safe(v.title),
            safe(v.date.isoformat() if v.date else "—"),
            Text(f"{v.known_points} known / {declared} declared"),
            Text(v.completeness.value),
            safe(v.derived_from or "—"),
            safe(", ".join(sources_of(v))),
        )
    if not registry.versions:
        return Text("No versions recorded yet (see 'plandiff version add').")
    return table


def source_row(source: Source) -> dict[str, Any]:
    return source.model_dump(mode="json")


def sources_data(registry: Registry) -> dict[str, Any]:
    return {"sources": [source_row(s) for s in sorted(registry.sources, key=lambda s: s.id)]}


def sources_table(registry: Registry) -> RenderableType:
    if not registry.sources:
        return Text("No sources recorded yet (see 'plandiff source add').")
    from rich.table import Table

    table = Table(title="Sources", title_justify="left")
    # Who speaks in a source is a column once the recorder has judged any of them.
    judged = any(s.attribution or s.reliability for s in registry.sources)
    names = ("id", "title", "outlet", "published", "author")
    for name in (*names, *(("who says so",) if judged else ()), "characters"):
        table.add_column(name, no_wrap=name in ("id", "published"))
    for s in sorted(registry.sources, key=lambda s: s.id):
        row = [
            safe(s.id, "bold"),
            safe(s.title or _untitled(registry.texts.get(s.id, ""))),
            safe(s.outlet or "—"),
            safe(s.published.isoformat() if s.published else "—"),
            safe(s.author or "—"),
        ]
        if judged:
            row.append(safe(judgement(_note(s.id, registry)) or "—"))
        table.add_row(*row, Text(str(len(registry.texts.get(s.id, "")))))
    return table


def _note(source_id: str, registry: Registry) -> SourceNote:
    source = registry.source(source_id)
    if source is None:
        return SourceNote(source_id)
    opening = None if source.title else first_words(registry.texts.get(source_id, ""))
    return SourceNote(
        source_id,
        source.title,
        source.outlet,
        source.published,
        source.url,
        opening,
        source.attribution,
        source.reliability,
    )


def _untitled(text: str) -> str:
    """An untitled source named by its first words in quotes (``—`` for an empty text)."""
    opening = first_words(text)
    return f"“{opening}”" if opening else "—"


def cite(anchor: Anchor, registry: Registry, notes: Footnotes) -> Text:
    """One line of evidence: the quote, then its footnote and where it stands (the list at
    the end names the source, once)."""
    line = Text("  ")
    stance = stance_word(anchor.stance)
    if stance:
        line.append(f"{stance}: ", style="bold yellow")
    line.append("“")
    line.append(visible(elide(anchor.quote)), style="italic")
    line.append("” ")
    line.append(_where(anchor, registry, notes), style="dim")
    return line


def _where(anchor: Anchor, registry: Registry, notes: Footnotes) -> str:
    """``[1] @12–40``: the footnote number and the quote's place in its source."""
    note = _note(anchor.source, registry)
    n = notes.cite(note)
    said_by = attribution_words(note.attribution)
    return (
        f"[{n}]"
        + (f" {said_by}" if said_by else "")
        + (f" @{anchor.start}–{anchor.end}" if anchor.start is not None else "")
    )


def _same_words(a: str, b: str) -> bool:
    return a.split() == b.split()


def _source_list(notes: Footnotes) -> list[RenderableType]:
    """``[1] Title — Outlet, date  id``, a source a line, in the order first cited."""
    if not len(notes):
        return []
    parts: list[RenderableType] = [Text("\nSources", style="bold underline")]
    for n, note in notes.entries():
        line = Text(f"[{n}] ", style="cyan")
        line.append(visible(" ".join(source_name(note).split())))
        facts = [note.outlet, note.published.isoformat() if note.published else "date unknown"]
        facts.append(judgement(note))
        line.append(" — " + visible(", ".join(f for f in facts if f)), style="dim")
        line.append(f"  {visible(note.id)}", style="dim")
        if note.url:
            line.append(f"  {visible(note.url)}", style="dim")
        parts.append(line)
    return parts


def version_view(
    version: PlanVersion, registry: Registry, cut: str | None = None
) -> RenderableType:
    """A version with its points, statements, events and relations; ``cut`` says how its points
    were cut from its plan text (see :func:`plandiff.recording.how_cut`).

    A verbatim point is shown once: a quote that is its own text adds only where it stands,
    which follows the point (``[1] @340–490``). Each quote cites its source by a footnote."""
    notes = Footnotes()
    parts: list[RenderableType] = []
    head = Text()
    head.append(visible(version.id), style="bold")
    head.append("  ")
    head.append(visible(version.title))
    parts.append(head)
    facts = [
        f"date: {version.date.isoformat() if version.date else 'unknown'}",
        f"points: {version.known_points} known of "
        f"{version.declared_points if version.declared_points is not None else '?'} declared",
        f"text: {version.completeness.value}",
    ]
    if version.issuer:
        facts.append("issuer: " + ", ".join(version.issuer))
    if version.derived_from:
        facts.append(f"derived from: {version.derived_from}")
    parts.append(safe(" · ".join(facts), "dim"))
    if cut is not None:
        parts.append(safe(f"points cut from {version.text_source}: {cut}", "dim"))
    if version.note:
        parts.append(safe(version.note, "dim italic"))
    parts.extend(cite(a, registry, notes) for a in version.evidence)
    if version.points:
        parts.append(Text("\nPoints", style="bold underline"))
    for p in version.points:
        line = Text()
        line.append(f"{p.number}. " if p.number is not None else "• ", style="bold")
        line.append(visible(p.content), style="" if p.verbatim else "italic")
        if not p.verbatim:
            line.append("  (described)", style="dim")
        if p.status is not None or (p.text and bracketed_spans(p.text)):
            line.append("  (unagreed)", style="dim")
        own = [a for a in p.evidence if p.verbatim and _same_words(a.quote, p.content)]
        for a in own:
            line.append(f"  {_where(a, registry, notes)}", style="dim")
        line.append(f"  [{visible(p.key)}]", style="dim")
        if p.topics:
            line.append("  #" + " #".join(visible(t) for t in p.topics), style="cyan")
        parts.append(line)
        parts.extend(cite(a, registry, notes) for a in p.evidence if a not in own)
    if version.statements:
        parts.append(Text("\nStatements", style="bold underline"))
    for st in version.statements:
        parts.append(safe("• " + st.text))
        parts.extend(cite(a, registry, notes) for a in st.evidence)
    if version.events:
        parts.append(Text("\nEvents", style="bold underline"))
    for e in sorted(version.events, key=lambda e: e.date):
        parts.append(safe(f"{e.date.isoformat()}  {e.what}"))
        parts.extend(cite(a, registry, notes) for a in e.evidence)
    if version.relations:
        parts.append(
            Text("\nRelations to " + visible(version.derived_from), style="bold underline")
        )
    for r in version.relations:
        line = Text(f"{r.kind.value}: ")
        line.append(visible(", ".join(r.old)))
        line.append(" → ")
        line.append(visible(", ".join(r.new) or "(nothing)"))
        parts.append(line)
        if r.note:
            parts.append(safe("  " + r.note, "dim italic"))
        parts.extend(cite(a, registry, notes) for a in r.evidence)
    parts.extend(_source_list(notes))
    return Group(*parts)


def version_data(
    version: PlanVersion, registry: Registry, cut: str | None = None
) -> dict[str, Any]:
    used = sources_of(version)
    return {
        "version": version.model_dump(mode="json"),
        "cut": cut,
        "sources": [source_row(s) for s in registry.sources if s.id in used],
    }


def source_view(source: Source, opening: str | None = None) -> RenderableType:
    """A source's facts; one without a title says what it is by ``opening``, its first words."""
    lines = [safe(source.id, "bold")]
    if not source.title and opening:
        lines.append(safe(f"begins: “{opening}”"))
    for name in ("title", "outlet", "url", "published", "author", "language", "path", "sha256"):
        value = getattr(source, name)
        if value is not None:
            lines.append(
                safe(f"{name}: {value.isoformat() if hasattr(value, 'isoformat') else value}")
            )
    if source.attribution is not None:
        lines.append(safe(f"attribution: {attribution_words(source.attribution)}"))
    if source.reliability is not None:
        lines.append(safe(f"reliability: {source.reliability}"))
    if source.retrieved is not None:
        lines.append(safe(f"retrieved: {source.retrieved.isoformat()}"))
    if source.captures:
        n = len(source.captures)
        lines.append(safe(f"earlier captures: {n} (plandiff show {source.id} --history)"))
    return Group(*lines)
