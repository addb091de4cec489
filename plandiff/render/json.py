"""The JSON output contract of ``plandiff diff --format json``.

The document is a pydantic model, so the JSON Schema committed under ``schemas/`` is generated
from the same definition that produces the output and cannot drift from it (a test checks).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import Field

from plandiff.models import FrozenModel
from plandiff.render import UNSAFE_IN_TERMINAL
from plandiff.result import (
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    PartChange,
    PointRef,
    Redline,
    RedlineOp,
    Settings,
    Substantive,
    TextPart,
    VersionSummary,
)


class PointRefDoc(FrozenModel):
    key: str = Field(description="The point's key within its version.")
    number: int | None = Field(description="Its number as written; null when unnumbered.")
    index: int = Field(ge=1, description="1-based position in its version.")
    verbatim: bool = Field(description="True when the text is known, false when described.")
    text: str = Field(description="The verbatim text, or the described summary.")
    heading: list[str] = Field(
        description="The headings the point stands under, outermost first; empty for none."
    )


class ChangeDoc(FrozenModel):
    kind: ChangeKind = Field(description="What happened to the points.")
    moved: bool = Field(description="Relative order changed (not merely renumbered).")
    renumbered: bool = Field(description="Both sides present and their numbers differ.")
    old: list[PointRefDoc] = Field(description="Old points, in order.")
    new: list[PointRefDoc] = Field(description="New points, in order.")
    similarity: float | None = Field(description="Alignment score in [0, 1], or null.")
    basis: str = Field(description="'curated' (a recorded relation) or 'automatic'.")
    redline: list[tuple[RedlineOp, str]] = Field(
        description="Word-level diff as [op, text] pairs; empty when not applicable."
    )
    substantive: list[Substantive] = Field(description="Changed numbers, dates, amounts.")
    evidence: list[EvidenceRef] = Field(description="Quotes behind the change.")
    note: str | None = Field(description="A curator's note, if any.")
    heading_moved: bool = Field(
        description="The point now stands under other headings than before (headings paired "
        "between the versions, so a renamed heading moves nothing)."
    )
    subitems_changed: list[str] = Field(
        description="Labels of the sub-items whose wording changed ('(b)', '4.3'), in order."
    )


class PartChangeDoc(FrozenModel):
    part: TextPart = Field(description="'preamble', 'heading' or 'closing'.")
    kind: ChangeKind = Field(description="'unchanged', 'reworded', 'added' or 'removed'.")
    old: str | None = Field(description="The old text, or null when added.")
    new: str | None = Field(description="The new text, or null when removed.")
    old_before: int | None = Field(
        description="For a heading: 1-based index of the old point it stands before."
    )
    new_before: int | None = Field(
        description="For a heading: 1-based index of the new point it stands before."
    )
    redline: list[tuple[RedlineOp, str]] = Field(
        description="Word-level diff as [op, text] pairs; empty unless reworded."
    )
    substantive: list[Substantive] = Field(description="Changed numbers, dates, amounts.")


class DiffDocument(FrozenModel):
    plandiff: str = Field(description="Version of plandiff that produced the document.")
    old: VersionSummary = Field(description="The old version.")
    new: VersionSummary = Field(description="The new version.")
    settings: Settings = Field(description="Thresholds and algorithm names used.")
    declared: DeclaredCount = Field(description="Declared point counts.")
    changes: list[ChangeDoc] = Field(description="Every change; each point in exactly one.")
    parts: list[PartChangeDoc] = Field(
        description="The text outside the points (preamble, headings, closing) compared, in "
        "text order; a diff of registry versions has none."
    )
    summary: dict[str, int] = Field(description="Count per kind, and 'moved'.")
    warnings: list[str] = Field(description="Segmentation and data warnings.")


def document(result: DiffResult) -> dict[str, Any]:
    """The contract's JSON-ready dict for a result."""
    return {
        **_head(result),
        "changes": [_change_entry(c) for c in result.changes],
        **_tail(result),
    }


def _head(result: DiffResult) -> dict[str, Any]:
    """The document's fields before ``changes``."""
    from plandiff import __version__

    return {
        "plandiff": __version__,
        "old": result.old.model_dump(mode="json"),
        "new": result.new.model_dump(mode="json"),
        "settings": result.settings.model_dump(mode="json"),
        "declared": result.declared.model_dump(mode="json"),
    }


def _tail(result: DiffResult) -> dict[str, Any]:
    """The document's fields after ``changes``."""
    return {
        "parts": [_part_entry(p) for p in result.parts],
        "summary": result.summary(),
        "warnings": list(result.warnings),
    }


def _figure_entry(s: Substantive) -> dict[str, Any]:
    return {"kind": s.kind, "old": s.old, "new": s.new, "not_mentioned": s.not_mentioned}


def _redline_entry(redline: Redline | None) -> list[list[str]]:
    return [[op, text] for op, text in redline.ops] if redline else []


def _part_entry(p: PartChange) -> dict[str, Any]:
    return {
        "part": p.part,
        "kind": p.kind,
        "old": p.old,
        "new": p.new,
        "old_before": p.old_before,
        "new_before": p.new_before,
        "redline": _redline_entry(p.redline),
        "substantive": [_figure_entry(s) for s in p.substantive],
    }


def _change_entry(c: Change) -> dict[str, Any]:
    """One entry of ``changes``. (The string enums are written as their values by both json
    and orjson: they are str subclasses.)"""
    return {
        "kind": c.kind,
        "moved": c.moved,
        "renumbered": c.renumbered,
        "old": [_ref_entry(r) for r in c.old],
        "new": [_ref_entry(r) for r in c.new],
        "similarity": None if c.similarity is None else round(c.similarity, 4),
        "basis": c.basis,
        "redline": _redline_entry(c.redline),
        "substantive": [_figure_entry(s) for s in c.substantive],
        "evidence": [_evidence_entry(e) for e in c.evidence],
        "note": c.note,
        "heading_moved": c.heading_moved,
        "subitems_changed": list(c.subitems_changed),
    }


def _ref_entry(r: PointRef) -> dict[str, Any]:
    return {
        "key": r.key,
        "number": r.number,
        "index": r.index,
        "verbatim": r.verbatim,
        "text": r.text,
        "heading": list(r.heading),
    }


def _evidence_entry(e: EvidenceRef) -> dict[str, Any]:
    return {
        "role": e.role,
        "point": e.point,
        "source": e.source,
        "title": e.title,
        "outlet": e.outlet,
        "published": e.published.isoformat() if e.published else None,
        "url": e.url,
        "quote": e.quote,
        "start": e.start,
        "end": e.end,
    }


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(data: Any) -> str:
    """JSON text with non-ASCII kept, and every control or bidi character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return UNSAFE_IN_TERMINAL.sub(_escape_unsafe, text)


def render(result: DiffResult) -> str:
    """The JSON text (UTF-8, non-ASCII kept, control characters escaped)."""
    return "".join(render_parts(result))


# ── the fast path ─────────────────────────────────────────────────────────────────────────────
#
# ``render`` must give exactly ``dumps(document(result)) + "\n"`` (a test holds it to that), but
# json.dumps with an indent runs its pure-Python encoder, node by node: about 6 s for the 90 MB
# document of a 30,000-point diff. The changes, nearly all of it, are written by orjson, whose
# two-space layout is json.dumps(indent=2)'s, in parts of a few hundred kilobytes; only the small
# header and tail, and any part orjson would write differently, go through json.dumps.

#: Changes per part of :func:`render_parts`: a few hundred kilobytes of text.
_CHANGES_PER_PART = 256


def _indented(value: Any, level: int) -> str:
    """``value`` as json.dumps(indent=2) writes it ``level`` levels deep (raw line breaks in
    its output are all structural: strings carry theirs as \\n)."""
    text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    return UNSAFE_IN_TERMINAL.sub(_escape_unsafe, text)


def _entries(changes: Sequence[Change]) -> str:
    """The entries of ``changes``, two levels deep, as :func:`dumps` writes them in a document.

    orjson (C) writes the same text as json.dumps(indent=2, ensure_ascii=False) for these
    entries except where it cannot: it writes NaN and infinities as null and refuses lone
    surrogates and integers beyond 64 bits. Such a part is written by json.dumps instead.
    """
    import orjson

    entries = [_change_entry(c) for c in changes]
    raw = None
    if all(e["similarity"] is None or math.isfinite(e["similarity"]) for e in entries):
        try:
            raw = orjson.dumps(entries, option=orjson.OPT_INDENT_2).decode("utf-8")
        except (orjson.JSONEncodeError, UnicodeDecodeError):
            raw = None
    if raw is None:
        raw = json.dumps(entries, ensure_ascii=False, indent=2)
    text = "  " + raw[2:-2].replace("\n", "\n  ")  # the list's items, one level deeper
    if not text.isascii() or "\x7f" in text:
        text = UNSAFE_IN_TERMINAL.sub(_escape_unsafe, text)
    return text


def render_parts(result: DiffResult) -> Iterator[str]:
    """:func:`render`'s text in parts of a few hundred kilobytes, to write one at a time.

    A 30,000-point diff makes a 90 MB document; writing it in parts keeps the joined text, and
    its encoded bytes, out of memory.
    """
    text = _indented(_head(result), 0)[:-2]  # without the closing "\n}"
    changes = result.changes
    if not changes:
        yield text + ',\n  "changes": [],'
    else:
        yield text + ',\n  "changes": [\n'
        starts = range(0, len(changes), _CHANGES_PER_PART)
        for n, start in enumerate(starts, start=1):
            part = _entries(changes[start : start + _CHANGES_PER_PART])
            yield part + (",\n" if n < len(starts) else "\n  ],")
    yield _indented(_tail(result), 0)[1:] + "\n"  # without the opening "{"
