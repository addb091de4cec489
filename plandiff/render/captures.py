"""``plandiff show SOURCE --history``: every capture of a source, newest first.

A recapture keeps the text it replaces (see :mod:`plandiff.recording.recapture`), and quotes may
cite any capture; this view lists them with their retrieval date, digest, size and how many
quotes cite each, so a reader can see what the registry's evidence was read from, and when.
Views return values; they never print.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from plandiff.models import Registry, Source, iter_anchors, text_key
from plandiff.text import visible


def capture_rows(source: Source, registry: Registry) -> list[dict[str, Any]]:
    """One row per capture, newest (the current text) first; ``capture`` is None for it."""
    cited = Counter(
        anchor.capture
        for version in registry.versions
        for _, anchor in iter_anchors(version)
        if anchor.source == source.id
    )
    rows = [
        {
            "capture": None,
            "retrieved": source.retrieved.isoformat() if source.retrieved else None,
            "path": source.path,
            "sha256": source.sha256,
            "characters": len(registry.texts.get(source.id, "")),
            "quotes": cited[None],
        }
    ]
    for number in range(len(source.captures), 0, -1):
        capture = source.captures[number - 1]
        rows.append(
            {
                "capture": number,
                "retrieved": capture.retrieved.isoformat() if capture.retrieved else None,
                "path": capture.path,
                "sha256": capture.sha256,
                "characters": len(registry.texts.get(text_key(source.id, number), "")),
                "quotes": cited[number],
            }
        )
    return rows


def history_data(source: Source, registry: Registry) -> dict[str, Any]:
    return {"source": source.id, "captures": capture_rows(source, registry)}


def history_view(source: Source, registry: Registry) -> RenderableType:
    """A table of the source's captures: which, retrieved, sha256 (short), size, quotes, file."""
    rows = capture_rows(source, registry)
    table = Table(
        title=f"Captures of {visible(source.id)}, newest first", title_justify="left", box=None
    )
    for name in ("capture", "retrieved", "sha256", "characters", "quotes", "file"):
        table.add_column(
            name,
            no_wrap=name != "file",
            justify="right" if name in ("characters", "quotes") else "left",
        )
    for row in rows:
        table.add_row(
            Text("current" if row["capture"] is None else str(row["capture"])),
            Text(row["retrieved"] or "unknown"),
            Text(row["sha256"][:12]),
            Text(str(row["characters"])),
            Text(str(row["quotes"])),
            Text(visible(row["path"])),
        )
    return table
