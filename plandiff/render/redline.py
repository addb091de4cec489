"""Redlines in the terminal report: deletions struck through in red, insertions underlined in
green, or marked in words (``[-…-]``, ``{+…+}``) on a console without colour, with the changed
numbers, dates and amounts inside them highlighted.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import assert_never

from rich.console import Group, RenderableType
from rich.text import Text

from plandiff.render import reflow, wording
from plandiff.render.pieces import MARKERS, STYLES, Pieces, columns, flat, multi
from plandiff.render.rows import rows
from plandiff.result import Change, Redline, RedlineOp, Substantive

__all__ = [
    "aligned_ops",
    "aligned_view",
    "append_op",
    "redline_text",
    "redline_view",
    "substantive_line",
]


def redline_text(
    redline: Redline,
    *,
    plain: bool,
    side: str | None = None,
    substantive: Sequence[Substantive] = (),
    old_parts: Sequence[str] = (),
    new_parts: Sequence[str] = (),
) -> Text:
    """A redline as one ``Text``: both sides inline, or only ``side`` ("old" or "new").

    With ``plain``, deletions and insertions are also marked in words (``[-…-]``, ``{+…+}``).
    Changed numbers, dates and amounts inside them are highlighted. Hard-wrapped lines are
    joined (see :func:`~plandiff.render.reflow.reflow_ops`); ``old_parts``/``new_parts`` are
    the texts of a merged or split change's parts, whose boundaries stay line breaks.
    """
    ops = reflow.reflow_ops(redline.ops, old_parts, new_parts)
    return _marked(ops, plain=plain, side=side, substantive=substantive)


def _marked(
    ops: Sequence[tuple[RedlineOp, str]],
    *,
    plain: bool,
    side: str | None,
    substantive: Sequence[Substantive],
) -> Text:
    """Redline parts (already reflowed) as one ``Text``, both sides or only ``side``."""
    out = Pieces()
    # Plan text rarely holds a control character: when the whole redline holds none, its
    # pieces are shown as they are, without a look at each.
    whole = "".join([text for _, text in ops])
    shown = multi if multi(whole) != whole else _as_is
    texts = [(op, shown(text)) for op, text in ops]
    figures = {
        RedlineOp.DELETE: _figure_spans(texts, RedlineOp.INSERT, [s.old for s in substantive]),
        RedlineOp.INSERT: _figure_spans(texts, RedlineOp.DELETE, [s.new for s in substantive]),
    }
    at = {RedlineOp.DELETE: 0, RedlineOp.INSERT: 0}  # where each side's text has got to
    for op, text in texts:
        skipped = (side == "old" and op is RedlineOp.INSERT) or (
            side == "new" and op is RedlineOp.DELETE
        )
        match op:
            case RedlineOp.EQUAL:
                if not skipped:
                    out.append(text)
                at[RedlineOp.DELETE] += len(text)
                at[RedlineOp.INSERT] += len(text)
            case RedlineOp.DELETE | RedlineOp.INSERT:
                if not skipped:
                    start = at[op]
                    spans = [
                        (max(a, start) - start, min(b, start + len(text)) - start)
                        for a, b in figures[op]
                        if a < start + len(text) and b > start
                    ]
                    append_op(out, op, text, plain, highlights=spans, shown=True)
                at[op] += len(text)
            case _:
                assert_never(op)
    return out.text()


def aligned_view(
    redline: Redline,
    *,
    plain: bool,
    substantive: Sequence[Substantive] = (),
    old_parts: Sequence[str] = (),
    new_parts: Sequence[str] = (),
) -> RenderableType:
    """A redline in two columns, row by row: corresponding sub-items, paragraphs and parts
    side by side (see :mod:`~plandiff.render.rows`), an empty cell where one side has none."""
    ops = reflow.reflow_ops(redline.ops, old_parts, new_parts)
    return aligned_ops(ops, plain=plain, substantive=substantive)


def aligned_ops(
    ops: Sequence[tuple[RedlineOp, str]],
    *,
    plain: bool,
    substantive: Sequence[Substantive] = (),
) -> RenderableType:
    """Redline parts already reflowed, in two columns row by row (see :func:`aligned_view`)."""
    cells = []
    for row in rows(ops):
        left, right = (
            _marked(
                [piece for n, line in enumerate(lines) for piece in _line(n, line)],
                plain=plain,
                side=None,
                substantive=substantive,
            )
            for lines in (row.old, row.new)
        )
        cells.append(columns(left, right))
    if not cells:
        return columns(Text(""), Text(""))
    return cells[0] if len(cells) == 1 else Group(*cells)


def _line(n: int, line: Sequence[tuple[RedlineOp, str]]) -> list[tuple[RedlineOp, str]]:
    """A line's pieces, after a line break when it is not the cell's first."""
    return [(RedlineOp.EQUAL, "\n"), *line] if n else list(line)


def _figure_spans(
    texts: Sequence[tuple[RedlineOp, str]], other: RedlineOp, figures: Sequence[str | None]
) -> list[tuple[int, int]]:
    """Where each changed figure stands in one side's text (the ops but ``other``'s), so
    every deleted or inserted run inside one is stressed the same way, whether the word diff
    replaced the whole expression (``[-15-]{+25+}``) or a part of it (``Within [-14-]{+21+}
    days``)."""
    side = "".join(text for op, text in texts if op is not other)
    spans = []
    for figure in figures:
        words = flat(figure).split() if figure else []
        if words:
            pattern = r"\s+".join(re.escape(w) for w in words)
            spans += [m.span() for m in re.finditer(pattern, side)]
    return spans


def _as_is(text: str) -> str:
    return text


def append_op(
    out: Text | Pieces,
    op: RedlineOp,
    text: str,
    plain: bool,
    *,
    highlights: Sequence[tuple[int, int]] = (),
    italic: bool = False,
    shown: bool = False,
) -> None:
    """A deleted or inserted run, marked (in words too with ``plain``), with the spans of it
    that ``highlights`` gives (offsets into ``text``: changed figures) stressed.
    ``shown``: the text is already as shown (see :func:`~plandiff.render.pieces.multi`)."""
    name = "delete" if op is RedlineOp.DELETE else "insert"
    style = STYLES[name] + (" italic" if italic else "")
    text = text if shown else multi(text)
    # Whitespace around a deleted or inserted run stays outside the marks, as git does.
    core = text.strip()
    if not core:
        out.append(text)
        return
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    out.append(lead)
    if plain:
        out.append(MARKERS[op][0])
    start = len(out) if isinstance(out, Text) else out.length
    out.append(core, style=style)
    for a, b in highlights:
        a, b = max(a - len(lead), 0), min(b - len(lead), len(core))
        if a < b:
            out.stylize(STYLES[f"{name}.substantive"], start + a, start + b)
    if plain:
        out.append(MARKERS[op][1])
    out.append(trail)


def redline_view(change: Change, side_by_side: bool, plain: bool) -> RenderableType:
    """A reworded, merged or split change's redline, inline or in two columns."""
    redline = change.redline
    assert redline is not None
    old_parts = [r.text for r in change.old]
    new_parts = [r.text for r in change.new]

    def shown(side: str | None) -> Text:
        return redline_text(
            redline,
            plain=plain,
            side=side,
            substantive=change.substantive,
            old_parts=old_parts,
            new_parts=new_parts,
        )

    if side_by_side:
        return aligned_view(
            redline,
            plain=plain,
            substantive=change.substantive,
            old_parts=old_parts,
            new_parts=new_parts,
        )
    return shown(None)


def substantive_line(s: Substantive) -> Text:
    line = Pieces(f"≠ {s.kind.value}: ", STYLES["substantive"])
    line.append(flat(wording.figure_side(s, "old")))
    line.append(" → ")
    line.append(flat(wording.figure_side(s, "new")))
    return line.text()
