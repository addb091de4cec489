"""``plandiff diff --full --format html``: the new text as amended, as one page to print.

The rows come from :func:`plandiff.render.document.document`, as the text and Markdown views'
do; this module only gives them markup: the preamble, headings and closing as paragraphs and
headings, each point a row of its number, its notes (``moved from 11``) and its text with the
changes marked inline.
"""

from __future__ import annotations

from typing import assert_never

from lxml import etree

from plandiff.kinds import KindFilter
from plandiff.render.document import Entry, EntryKind, document
from plandiff.render.html.page import Child, el
from plandiff.result import DiffResult, TextPart

__all__ = ["amended"]


def amended(
    result: DiffResult, *, kinds: KindFilter | None = None, show_unreported: bool = False
) -> etree._Element:
    """The section that stands where the report lists its changes."""
    rows: list[Child] = [
        el("h2", "The new text as amended"),
        el("p", "Italics say what happened to a point.", cls="muted"),
    ]
    if kinds is not None:
        rows.append(el("p", kinds.phrase(result), cls="muted"))
    for entry in document(result, kinds=kinds, show_unreported=show_unreported):
        rows.append(_entry(entry))
    return el("section", rows, id="changes")


def _entry(entry: Entry) -> Child:
    from plandiff.render.html.diff import marked

    match entry.kind:
        case EntryKind.PART:
            if entry.part is TextPart.HEADING:
                return el("h3", marked(entry.ops), cls="text")
            return el("p", marked(entry.ops), cls="text amended")
        case EntryKind.POINT:
            notes = "; ".join(entry.notes)
            return el(
                "div",
                el("span", entry.label, cls="label"),
                " ",
                el("em", notes, cls="muted") if notes else None,
                el("p", marked(entry.ops), cls="text" + (" described" if entry.described else "")),
                cls="amended point" + (" gone" if entry.old_side_only else ""),
            )
        case EntryKind.FOLDED:
            return el("p", f"⋯ {entry.notes[0]}", cls="muted")
        case _:
            assert_never(entry.kind)
