"""``plandiff diff --full`` drawn: the amended document (:mod:`~plandiff.render.document`) in
the terminal and as Markdown.

In the terminal, each point stands under its number in a margin as wide as the widest
number, with a note on the line above its text when its place or shape changed
(``⟨moved from 11⟩``); deletions and insertions are marked as in the report (struck in red
and underlined in green, or ``[-…-]`` and ``{+…+}`` without colour), and a legend under the
header says so. In Markdown the marks are the report's (``~~…~~``, ``**…**``, or
``<del>``/``<ins>`` where those would not bind), the notes in italics, headings as headings.
The report's header and source list frame both (:mod:`~plandiff.render.terminal`,
:mod:`~plandiff.render.markdown`); every piece of plan text goes through the same escaping.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import assert_never

from rich.console import Group, RenderableType
from rich.text import Text

from plandiff.kinds import KindFilter
from plandiff.render import markdown as md
from plandiff.render.document import Entry, EntryKind, Ops, document
from plandiff.render.layout import Hanging
from plandiff.render.pieces import STYLES, Pieces, columns, flat, indent, multi
from plandiff.render.redline import aligned_ops, append_op
from plandiff.render.wrap import cells
from plandiff.result import DiffResult, RedlineOp, TextPart

__all__ = ["markdown_lines", "pieces"]

#: The widest margin for the points' numbers; a longer label takes a line of its own.
_MARGIN = 16


def pieces(
    result: DiffResult,
    *,
    plain: bool,
    kinds: KindFilter | None = None,
    show_unreported: bool = False,
    side_by_side: bool = False,
) -> Iterator[RenderableType]:
    """The document's pieces for the terminal report, after its header: the legend, then
    each entry; ``side_by_side`` puts the old text beside the new, row by row (each item
    beside its counterpart, see :mod:`~plandiff.render.rows`), each point's number and
    notes on a line above its rows."""
    entries = document(result, kinds=kinds, show_unreported=show_unreported)
    yield Text("")
    yield _legend(plain)
    if side_by_side:
        yield Text("")
        yield indent(
            columns(
                Text(f"old: {flat(result.old.id)}", style=STYLES["label"]),
                Text(f"new: {flat(result.new.id)}", style=STYLES["label"]),
            ),
            2,
        )
    labels = [cells(flat(e.label)) for e in entries if e.kind is EntryKind.POINT]
    margin = min(_MARGIN, max(labels, default=1)) + 2
    for entry in entries:
        yield Text("")
        match entry.kind:
            case EntryKind.PART if side_by_side:
                yield indent(aligned_ops(entry.ops, plain=plain), 2)
            case EntryKind.PART:
                style = STYLES["part"] if entry.part is TextPart.HEADING else ""
                yield indent(_marked(entry.ops, plain, base=style), 2)
            case EntryKind.POINT if side_by_side:
                yield indent(_head(entry), 2)
                yield indent(aligned_ops(entry.ops, plain=plain), 2)
            case EntryKind.POINT:
                yield indent(_point(entry, plain, margin), 2)
            case EntryKind.FOLDED:
                yield Text(f"  ⋯ {flat(entry.notes[0])}", style=STYLES["dim"])
            case _:
                assert_never(entry.kind)


def _legend(plain: bool) -> Text:
    out = Pieces("The new text as amended: ", STYLES["dim"])
    append_op(out, RedlineOp.DELETE, "removed", plain)
    out.append(", ", style=STYLES["dim"])
    append_op(out, RedlineOp.INSERT, "inserted", plain)
    out.append(", ⟨…⟩ what happened to a point.", style=STYLES["dim"])
    return out.text()


def _notes(entry: Entry, out: Pieces) -> None:
    """``⟨merged from 2 + 3; moved⟩``: the first note in the colour of the change's kind."""
    kind = STYLES[f"kind.{entry.change.value}"] if entry.change else STYLES["moved"]
    for n, words in enumerate(entry.notes):
        out.append("⟨" if not n else "; ", style=STYLES["dim"])
        out.append(flat(words), style=kind if not n else STYLES["moved"])
    out.append("⟩", style=STYLES["dim"])


def _head(entry: Entry) -> Text:
    """A point's number and its notes on one line (above its rows, side by side)."""
    style = STYLES["dim"] if entry.old_side_only else STYLES["label"]
    out = Pieces()
    out.append(flat(entry.label), style=style)
    if entry.notes:
        out.append("  ")
        _notes(entry, out)
    return out.text()


def _point(entry: Entry, plain: bool, margin: int) -> RenderableType:
    label = flat(entry.label)
    style = STYLES["dim"] if entry.old_side_only else STYLES["label"]
    body: list[Text] = []
    if entry.notes:
        note = Pieces()
        _notes(entry, note)
        body.append(note.text())
    body.append(_marked(entry.ops, plain, italic=entry.described))
    text: RenderableType = body[0] if len(body) == 1 else Group(*body)
    if cells(label) > _MARGIN:  # too long for the margin: on a line of its own
        return Group(Text(label, style=style), indent(text, margin))
    return Hanging(Text(label + " " * (margin - 1 - cells(label)), style=style), text)


def _marked(ops: Ops, plain: bool, *, base: str = "", italic: bool = False) -> Text:
    out = Pieces(style=base)
    for op, text in ops:
        if op is RedlineOp.EQUAL:
            out.append(multi(text), style="italic" if italic else None)
        else:
            append_op(out, op, text, plain, italic=italic)
    return out.text()


# --------------------------------------------------------------------------- Markdown


def markdown_lines(
    result: DiffResult, *, kinds: KindFilter | None = None, show_unreported: bool = False
) -> list[str]:
    """The document as Markdown lines, after the report's header (whose key explains the
    marks): a section with a word on the notes, then each entry a paragraph (a heading of the
    text as a heading)."""
    lines = [
        "## The new text as amended",
        "",
        "*Italics* say what happened to a point.",
        "",
    ]
    for entry in document(result, kinds=kinds, show_unreported=show_unreported):
        lines += [*_markdown_entry(entry), ""]
    return lines


def _markdown_entry(entry: Entry) -> Sequence[str]:
    text = md.marked(entry.ops)
    match entry.kind:
        case EntryKind.PART:
            if entry.part is TextPart.HEADING:
                return [f"#### {md.line_start(text)}"]
            return [md.line_start(text)]
        case EntryKind.POINT:
            head = md.line_start(md.escape_line(entry.label))
            if entry.notes:
                head += " · *" + "; ".join(md.escape_line(n) for n in entry.notes) + "*"
            return [f"{head} · {text}"]
        case EntryKind.FOLDED:
            return [f"*⋯ {md.escape_line(entry.notes[0])}*"]
        case _:
            assert_never(entry.kind)
