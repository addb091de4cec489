"""``plandiff show SOURCE --quotes``: an article with every anchored quote marked and labelled.

Each distinct quoted span gets a number in reading order. In the text it opens with ``⟦n`` and
closes with ``⟧n``, followed by the labels of what cites it: ``‹us-28:territory›`` for a point
(``version:key``), or the version's statement, event, relation or facts. Quotes may overlap or
nest; the marks then interleave, as the spans do, and with colour the overlapping stretch is
emphasised more strongly. A legend lists every quote with its offsets and citations.

The article is data: control characters are made visible and nothing in it is read as markup.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text

from plandiff.models import Anchor, PlanVersion, Registry, Source
from plandiff.text import visible

__all__ = ["Citation", "QuotedSpan", "quoted_spans", "source_quotes", "source_quotes_data"]

_STYLE_QUOTE = "bold yellow"
_STYLE_OVERLAP = "bold yellow underline"
_STYLE_MARK = "cyan"
_STYLE_LABEL = "dim cyan"


@dataclass(frozen=True)
class Citation:
    """One thing in the registry that cites a quote."""

    version: str
    field: str
    label: str
    point: str | None = None


@dataclass
class QuotedSpan:
    """A stretch of the article quoted by one or more anchors."""

    number: int
    start: int
    end: int
    quote: str
    cited_by: list[Citation] = field(default_factory=list)


def _citation(version: PlanVersion, path: str) -> Citation:
    """Who cites an anchor, from its field path in the version (``points[2].evidence[0]``)."""
    head = path.split(".", 1)[0]
    name, _, index = head.partition("[")
    i = int(index.rstrip("]")) if index else 0
    vid = version.id
    if name == "points":
        key = version.points[i].key
        return Citation(vid, path, f"{vid}:{key}", point=key)
    if name == "statements":
        return Citation(vid, path, f"{vid} statement {i + 1}")
    if name == "events":
        return Citation(vid, path, f"{vid} event {version.events[i].date.isoformat()}")
    if name == "relations":
        r = version.relations[i]
        return Citation(
            vid, path, f"{vid} {r.kind.value} {', '.join(r.old)} → {', '.join(r.new) or '—'}"
        )
    return Citation(vid, path, f"{vid} (version facts)")


def _located(anchor: Anchor, text: str) -> tuple[int, int] | None:
    """The anchor's span, locating a hand-written one by its quote when it is unique."""
    if anchor.start is not None and anchor.end is not None:
        if text[anchor.start : anchor.end] == anchor.quote:
            return anchor.start, anchor.end
        return None
    at = text.find(anchor.quote)
    if at < 0 or text.find(anchor.quote, at + 1) >= 0:
        return None
    return at, at + len(anchor.quote)


def quoted_spans(
    source: Source, registry: Registry
) -> tuple[list[QuotedSpan], list[tuple[Anchor, Citation]]]:
    """Every quoted span of the source in reading order, and anchors that could not be placed."""
    from plandiff.models import iter_anchors

    text = registry.texts.get(source.id, "")
    spans: dict[tuple[int, int], QuotedSpan] = {}
    lost: list[tuple[Anchor, Citation]] = []
    for version in registry.versions:
        for path, anchor in iter_anchors(version):
            if anchor.source != source.id or anchor.capture is not None:
                continue  # a quote from an earlier capture is not in this text
            citation = _citation(version, path)
            where = _located(anchor, text)
            if where is None:
                lost.append((anchor, citation))
                continue
            span = spans.setdefault(where, QuotedSpan(0, where[0], where[1], anchor.quote))
            if citation.label not in [c.label for c in span.cited_by]:
                span.cited_by.append(citation)
    ordered = sorted(spans.values(), key=lambda s: (s.start, -s.end))
    for n, span in enumerate(ordered, 1):
        span.number = n
    return ordered, lost


def _article(text: str, spans: list[QuotedSpan]) -> Text:
    """The text with opening and closing marks at every span boundary."""
    out = Text()
    opens: dict[int, list[QuotedSpan]] = {}
    closes: dict[int, list[QuotedSpan]] = {}
    for s in spans:
        opens.setdefault(s.start, []).append(s)
        closes.setdefault(s.end, []).append(s)
    cuts = sorted({0, len(text), *opens, *closes})
    active: list[QuotedSpan] = []
    for a, b in zip(cuts, [*cuts[1:], None], strict=True):
        # Close before opening, innermost (latest opened) first, so nested marks read as nested.
        for s in sorted(closes.get(a, []), key=lambda s: -active.index(s)):
            active.remove(s)
            out.append(f"⟧{s.number}", style=_STYLE_MARK)
            labels = ", ".join(c.label for c in s.cited_by)
            out.append(f" ‹{visible(labels)}›", style=_STYLE_LABEL)
        for s in sorted(opens.get(a, []), key=lambda s: -s.end):
            active.append(s)
            out.append(f"⟦{s.number} ", style=_STYLE_MARK)
        if b is None:
            break
        style = "" if not active else (_STYLE_QUOTE if len(active) == 1 else _STYLE_OVERLAP)
        out.append(visible(text[a:b].replace("\r\n", "\n")), style=style)
    return out


def _legend(spans: list[QuotedSpan], lost: list[tuple[Anchor, Citation]]) -> Iterator[Text]:
    if spans:
        yield Text("")
        yield Text("Quotes", style="bold")
    for s in spans:
        line = Text(f"[{s.number}] ", style=_STYLE_MARK)
        line.append(f"@{s.start}–{s.end} ", style="dim")
        line.append(visible(" ".join(s.quote.split())), style="italic")
        yield line
        for c in s.cited_by:
            yield Text(f"      cited by {visible(c.label)}  ({visible(c.field)})", style="dim")
    if lost:
        yield Text("")
        yield Text("Quotes not found at their recorded place (see 'plandiff verify')", style="bold")
    for anchor, c in lost:
        line = Text("  ")
        line.append(visible(" ".join(anchor.quote.split())), style="italic")
        line.append(f"  cited by {visible(c.label)}", style="dim")
        yield line


def source_quotes(source: Source, registry: Registry) -> RenderableType:
    """The article with its quotes marked, then the legend; nothing is printed."""
    text = registry.texts.get(source.id, "")
    spans, lost = quoted_spans(source, registry)
    head = Text()
    head.append(visible(source.id), style="bold")
    if source.title:
        head.append("  " + visible(" ".join(source.title.split())))
    facts = [source.outlet, source.published.isoformat() if source.published else None]
    facts.append(f"{len(spans)} quoted passage{'s' if len(spans) != 1 else ''}")
    sub = Text(" · ".join(visible(f) for f in facts if f), style="dim")
    return Group(head, sub, Text(""), _article(text, spans), *_legend(spans, lost))


def source_quotes_data(source: Source, registry: Registry) -> dict[str, Any]:
    """The same as JSON-ready data: the source, its text, and every quote with its citations."""

    def cited(c: Citation) -> dict[str, Any]:
        return {"version": c.version, "point": c.point, "field": c.field, "label": c.label}

    spans, lost = quoted_spans(source, registry)
    return {
        "source": source.model_dump(mode="json"),
        "text": registry.texts.get(source.id, ""),
        "quotes": [
            {
                "number": s.number,
                "start": s.start,
                "end": s.end,
                "quote": s.quote,
                "cited_by": [cited(c) for c in s.cited_by],
            }
            for s in spans
        ],
        "unlocated": [{"quote": a.quote, "cited_by": cited(c)} for a, c in lost],
    }
