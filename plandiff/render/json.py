"""The JSON output contract of ``plandiff diff --format json``.

The document is a pydantic model, so the JSON Schema committed under ``schemas/`` is generated
from the same definition that produces the output and cannot drift from it (a test checks).
"""

from __future__ import annotations

import json
import re
from typing import Any

from pydantic import Field

from plandiff.models import FrozenModel
from plandiff.result import (
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    RedlineOp,
    Settings,
    Substantive,
    VersionSummary,
)




class PointRefDoc(FrozenModel):
    key: str = Field(description="The point's key within its version.")
    number: int | None = Field(description="Its number as written; null when unnumbered.")
    index: int = Field(ge=1, description="1-based position in its version.")
    verbatim: bool = Field(description="True when the text is known, false when described.")
    text: str = Field(description="The verbatim text, or the described summary.")


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


class DiffDocument(FrozenModel):
    plandiff: str = Field(description="Version of plandiff that produced the document.")
    old: VersionSummary = Field(description="The old version.")
    new: VersionSummary = Field(description="The new version.")
    settings: Settings = Field(description="Thresholds and algorithm names used.")
    declared: DeclaredCount = Field(description="Declared point counts.")
    changes: list[ChangeDoc] = Field(description="Every change; each point in exactly one.")
    summary: dict[str, int] = Field(description="Count per kind, and 'moved'.")
    warnings: list[str] = Field(description="Segmentation and data warnings.")


def document(result: DiffResult) -> dict[str, Any]:
    """The contract's JSON-ready dict for a result."""
    from plandiff import __version__

    def ref(r: Any) -> dict[str, Any]:
        return {"key": r.key, "number": r.number, "index": r.index, "verbatim": r.verbatim, "text": r.text}

    changes = [
        {
            "kind": c.kind.value,
            "moved": c.moved,
            "renumbered": c.renumbered,
            "old": [ref(r) for r in c.old],
            "new": [ref(r) for r in c.new],
            "similarity": None if c.similarity is None else round(c.similarity, 4),
            "basis": c.basis.value,
            "redline": [[op.value, text] for op, text in c.redline.ops] if c.redline else [],
            "substantive": [s.model_dump(mode="json") for s in c.substantive],
            "evidence": [
                {
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
                for e in c.evidence
            ],
            "note": c.note,
        }
        for c in result.changes
    ]
    return {
        "plandiff": __version__,
        "old": result.old.model_dump(mode="json"),
        "new": result.new.model_dump(mode="json"),
        "settings": result.settings.model_dump(mode="json"),
        "declared": result.declared.model_dump(mode="json"),
        "changes": changes,
        "summary": result.summary(),
        "warnings": list(result.warnings),
    }


#: Characters that json.dumps(ensure_ascii=False) leaves raw but that a terminal may act on: DEL
#: and the C1 controls (U+009B is CSI, U+009D OSC), bidi overrides and isolates, and the line and
#: paragraph separators. They only ever occur inside JSON strings, where \uXXXX is equivalent.
_UNSAFE_IN_TERMINAL = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def dumps(data: Any) -> str:
    """JSON text with non-ASCII kept, and every control or bidi character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def render(result: DiffResult) -> str:
    """The JSON text (UTF-8, non-ASCII kept, control characters escaped)."""
    return dumps(document(result)) + "\n"
