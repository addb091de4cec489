"""Laying out the text reports' pieces as lines, without rich's general layout engine.

rich draws a renderable by asking it for segments, measuring, cropping and padding them at
every level of nesting; for a report of 30,000 small blocks that general machinery costs
several times the diff itself. The reports are built from a few shapes only (a ``Text``, a
``Padding`` that indents, a ``Rule``, a ``Group``, a ``Constrain`` and :class:`Columns`), so
:func:`lines` lays those out directly: each ``Text`` is wrapped once by rich's own
``Text.wrap`` and its styled runs come from rich's own ``Text.render``, so the output is the
same, byte for byte, as ``Console.print`` would give. Anything else is handed to rich.

Padding is written as unstyled spaces, as rich writes it, so where one run of spaces ends and
the next begins makes no difference to the output.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rich.cells import cell_len
from rich.color import ColorSystem
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.constrain import Constrain
from rich.padding import Padding
from rich.rule import Rule
from rich.segment import Segment
from rich.text import Text

from plandiff.render.wrap import Line, cells, combined, single_cells, style_runs, text_lines

__all__ = ["Columns", "Hanging", "lay_out", "lines", "to_text"]

_COLOR_SYSTEMS = {
    "standard": ColorSystem.STANDARD,
    "256": ColorSystem.EIGHT_BIT,
    "truecolor": ColorSystem.TRUECOLOR,
    "windows": ColorSystem.WINDOWS,
}


@dataclass(frozen=True)
class Columns:
    """Two renderables side by side in equal columns two spaces apart (``--side-by-side``)."""

    left: RenderableType
    right: RenderableType

    def grid(self) -> RenderableType:
        from rich.table import Table

        grid = Table.grid(expand=True, padding=(0, 2))
        grid.add_column(ratio=1)
        grid.add_column(ratio=1)
        grid.add_row(self.left, self.right)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.grid()


@dataclass(frozen=True)
class Hanging:
    """``label  body``: the body's lines aligned under its first, a grid of two columns, the
    label's as wide as the label (plus one space), the body's as wide as its longest line
    (at most what is left)."""

    label: Text
    body: RenderableType

    def grid(self) -> RenderableType:
        from rich.table import Table

        grid = Table.grid(padding=(0, 1, 0, 0))
        grid.add_column(no_wrap=True)
        grid.add_column(ratio=1)
        grid.add_row(self.label, self.body)
        return grid

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield self.grid()


def lay_out(console: Console, renderables: Sequence[RenderableType], width: int) -> str:
    """What ``console.print`` of these renderables, one after another, would write.

    ``width`` is the widest the renderables were made for: when the console is narrower,
    rich crops what sticks out, and rich prints them.
    """
    if width > console.width:
        with console.capture() as capture:
            console.print(Group(*renderables))
        return capture.get()
    # Each piece is written out as soon as it is laid out: a long report's segments are never
    # all held at once. (The console's width is asked once: each answer asks the terminal.)
    width = console.width
    return "".join(to_text(console, _lay(console, r, width)) for r in renderables)


def lines(console: Console, renderables: Iterable[RenderableType], width: int) -> list[Line]:
    """The lines of these renderables laid out at ``width``, one after another."""
    out: list[Line] = []
    for renderable in renderables:
        out.extend(_lay(console, renderable, width))
    return out


def to_text(console: Console, laid_out: Sequence[Line]) -> str:
    """The lines as the console would write them: styles as escape sequences, one per run."""
    system = _COLOR_SYSTEMS.get(console.color_system or "")
    out: list[str] = []
    append = out.append
    if system is None:
        for line in laid_out:
            for segment in line:
                append(segment.text)
            append("\n")
        return "".join(out)
    remove_color = console.no_color
    for line in laid_out:
        if remove_color:
            line = list(Segment.remove_color(line))
        for text, style, _ in line:
            append(style.render(text, color_system=system) if style else text)
        append("\n")
    return "".join(out)


# --------------------------------------------------------------------------- the shapes


def _lay(console: Console, renderable: RenderableType, width: int) -> list[Line]:
    """Lines of one renderable at ``width``, not padded to it (the caller pads if it must)."""
    if isinstance(renderable, Text):
        return _text(console, renderable, width)
    if isinstance(renderable, Padding) and _indent_only(renderable):
        by = renderable.left
        inner = width - by
        prefix = [Segment(" " * by)] if by else []
        out = []
        for line in _lay(console, renderable.renderable, inner):
            room = inner - _length(line)
            out.append([*prefix, *line, Segment(" " * room)] if room > 0 else [*prefix, *line])
        return out
    if isinstance(renderable, Rule):
        quick = _rule(console, renderable, width)
        if quick is not None:
            return [quick]
        options = console.options.update_width(width)
        return [
            line
            for piece in renderable.__rich_console__(console, options)
            for line in _lay(console, piece, width)  # type: ignore[arg-type]
        ]
    if isinstance(renderable, Group):
        return [line for r in renderable.renderables for line in _lay(console, r, width)]
    if isinstance(renderable, Constrain) and renderable.width is not None:
        return _lay(console, renderable.renderable, min(renderable.width, width))
    if (
        isinstance(renderable, Columns)
        and isinstance(renderable.left, Text)
        and isinstance(renderable.right, Text)
    ):
        return _columns(console, renderable.left, renderable.right, width)
    if isinstance(renderable, Hanging):
        hung = _hanging(console, renderable, width)
        if hung is not None:
            return hung
        renderable = renderable.grid()
    options = console.options.update_width(width)
    return console.render_lines(renderable, options, pad=False)


def _hanging(console: Console, hanging: Hanging, width: int) -> list[Line] | None:
    """A :class:`Hanging` as its grid draws it (None: a body other than texts, or no room).

    The columns are measured as a table measures them: the label's by its cells, plus the
    one space of padding; the body's by its longest line, cut to what the label leaves.
    """
    body = hanging.body
    texts = [body] if isinstance(body, Text) else list(getattr(body, "renderables", [None]))
    if not isinstance(body, (Text, Group)) or not all(isinstance(t, Text) for t in texts):
        return None
    label = hanging.label
    if "\n" in label.plain or "\t" in label.plain:
        return None
    label_width = cells(label.plain) + 1
    natural = max(
        (cells(line) for t in texts for line in t.plain.splitlines()),
        default=0,
    )
    if natural == 0 or label_width >= width:
        return None
    body_width = min(natural, width - label_width)
    heads = _text(
        console, label, label_width - 1, justify="left", overflow="ellipsis", no_wrap=True
    )
    lines = [
        line
        for t in texts
        for line in _text(console, t, body_width, justify="left", overflow="ellipsis")
    ]
    out: list[Line] = []
    for n, line in enumerate(lines):
        head = heads[n] if n < len(heads) else []
        room = label_width - _length(head)
        out.append([*head, Segment(" " * room), *line] if room > 0 else [*head, *line])
    return out


def _indent_only(padding: Padding) -> bool:
    """A padding that only indents (the reports' kind): unstyled, expanded, left only."""
    sides = padding.top or padding.right or padding.bottom
    return padding.expand and not sides and padding.style in ("", "none")


def _text(
    console: Console,
    text: Text,
    width: int,
    *,
    justify: str = "default",
    overflow: str = "fold",
    no_wrap: bool = False,
) -> list[Line]:
    """A ``Text`` wrapped at ``width`` and cut into styled runs, as ``Text`` renders itself."""
    if text.end != "\n":
        options = console.options.update_width(width)
        return console.render_lines(text, options, pad=False)
    justify = text.justify or justify
    overflow = text.overflow or overflow
    no_wrap = no_wrap if text.no_wrap is None else text.no_wrap
    quick = text_lines(console, text, width, justify, overflow, no_wrap)
    if quick is not None:
        return quick
    plain = text.plain
    if justify == "default" and _fits_one_line(plain, width):
        # Nothing to wrap, fold or pad: rich's wrap would hand back a copy.
        return [_runs(console, text)]
    wrapped = text.wrap(
        console,
        width,
        justify=justify,  # type: ignore[arg-type]
        overflow=overflow,  # type: ignore[arg-type]
        tab_size=text.tab_size or console.tab_size or 8,
        no_wrap=no_wrap,
    )
    out: list[Line] = [[]]
    for segment in Text("\n").join(wrapped).render(console):
        if "\n" not in segment.text:
            out[-1].append(segment)
            continue
        for n, part in enumerate(segment.text.split("\n")):
            if n:
                out.append([])
            if part:
                out[-1].append(Segment(part, segment.style))
    for n, line in enumerate(out):
        if _length(line) > width:
            out[n] = Segment.adjust_line_length(line, width, pad=False)
    return out


def _runs(console: Console, text: Text) -> Line:
    """One line of text cut into styled runs, as ``Text.render`` cuts it."""
    plain = text.plain
    if console.color_system is None:  # only the characters are written
        return [Segment(plain)] if plain else []
    return [Segment(plain[a:b], style) for a, b, style, _ in style_runs(console, text)]


def _rule(console: Console, rule: Rule, width: int) -> Line | None:
    """A left-aligned rule with a one-line title, as ``Rule`` draws it (None: another kind)."""
    title = rule.title
    char = rule.characters
    if not isinstance(title, Text) or not title or rule.align != "left":
        return None
    if not console.encoding.startswith("utf"):  # as ``ConsoleOptions.ascii_only``
        return None
    if len(char) != 1 or cells(char) != 1 or not _fits_one_line(title.plain, width - 2):
        return None
    head = _runs(console, title)
    dashes = width - _length(head) - 1
    if dashes <= 0:
        return None
    return [*head, Segment(" "), Segment(char * dashes, combined(console, (rule.style,)))]


def _length(line: Line) -> int:
    """Cells taken by a line (``Segment.get_line_length``, quicker for ASCII)."""
    return cells("".join([segment.text for segment in line]))


def _fits_one_line(plain: str, width: int) -> bool:
    """Whether a text is one line no wider than ``width``: no line break, tab or control,
    and few enough cells.

    Also no more characters than ``width``: rich trims trailing whitespace from a line whose
    length in characters (not cells) exceeds the width, so a line with combining marks
    that fits in cells is left to rich to lay out.
    """
    if len(plain) > width or "\n" in plain or "\t" in plain:
        return False
    if single_cells(plain):
        return True
    return plain.isprintable() and cell_len(plain) <= width


def _columns(console: Console, left: Text, right: Text, width: int) -> list[Line]:
    """Two texts in the equal columns of a ``Table.grid`` (column text: left-justified, long
    words cut with an ellipsis, as a table column lays out text)."""
    left_width, gap, right_width, rest = _column_widths(console, width)
    cells = [
        _text(console, left, left_width, justify="left", overflow="ellipsis"),
        _text(console, right, right_width, justify="left", overflow="ellipsis"),
    ]
    height = max(len(c) for c in cells)
    out: list[Line] = []
    for n in range(height):
        line: Line = []
        for cell, cell_width, after in ((cells[0], left_width, gap), (cells[1], right_width, rest)):
            row = cell[n] if n < len(cell) else []
            line.extend(row)
            room = cell_width - _length(row) + after
            if room > 0:
                line.append(Segment(" " * room))
        out.append(line)
    return out


def _column_widths(console: Console, width: int) -> tuple[int, int, int, int]:
    return _probe_widths(width, console.tab_size)


@lru_cache(maxsize=32)
def _probe_widths(width: int, tab_size: int) -> tuple[int, int, int, int]:
    """The left column's width, the gap, the right column's and what is left at the end, as a
    grid lays them out at ``width``: measured once per width by drawing one (exact whatever
    rich's rounding of the ratios)."""
    probe = Console(width=width, color_system=None, tab_size=tab_size, _environ={})
    grid = Columns(Text("a" * width, overflow="fold"), Text("b" * width, overflow="fold")).grid()
    first = "".join(s.text for s in probe.render_lines(grid, pad=True)[0])
    left = first.count("a")
    start = first.index("b")
    right = first.count("b")
    return left, start - left, right, len(first) - start - right
