"""The terminal report's building blocks: its styles, its text fields, and a cheap ``Text``.

Every string taken from a plan text, an article or registry metadata goes into a report line
through :func:`flat` or :func:`multi` (control characters shown as ``\\x1b``), never through
markup, so ``[bold]`` or an ANSI sequence in an article is printed as written.
"""

from __future__ import annotations

from rich.console import OverflowMethod, RenderableType
from rich.padding import Padding
from rich.text import Span, Text

from plandiff.render.layout import Columns
from plandiff.result import RedlineOp
from plandiff.text import visible

__all__ = ["INDENT", "MARKERS", "STYLES", "Pieces", "columns", "flat", "indent", "multi"]

#: Every style the report uses, by role; one place to restyle it.
STYLES: dict[str, str] = {
    "title": "bold",
    "label": "bold",
    "dim": "dim",
    "delete": "red strike",
    "insert": "green underline",
    # A changed figure inside a deleted or inserted run: bold, the same for every figure; its
    # old and new values are also spelled out on a "≠" line, readable without colour.
    "delete.substantive": "bold red strike",
    "insert.substantive": "bold green underline",
    "substantive": "bold yellow",
    "quote": "italic",
    "note": "italic",
    "described": "italic",
    "footnote": "cyan",
    "moved": "cyan",
    "kind.unchanged": "dim",
    "kind.reworded": "bold yellow",
    "kind.merged": "bold magenta",
    "kind.split": "bold magenta",
    "kind.added": "bold green",
    "kind.removed": "bold red",
    "kind.unreported": "bold blue",
    "kind.deferred": "bold cyan",
    "kind.replaced": "bold red",
    "part": "bold",
    "warning": "yellow",
    # A quote that contradicts or qualifies what it backs, and the change it makes disputed.
    "disagree": "bold yellow",
}

#: Word-diff markers used when the console has no colour (as ``git diff --word-diff=plain``).
MARKERS = {RedlineOp.DELETE: ("[-", "-]"), RedlineOp.INSERT: ("{+", "+}")}

INDENT = 4


class Pieces:
    """What ``Text(text, style=style)`` and then ``append`` and ``stylize`` would build, made
    into one ``Text`` at the end.

    The same text and the same spans in the same order (so the same rendering), without the
    cost of a call into ``Text`` per piece: a long report has a million pieces. The pieces are
    literals or text already made visible (:func:`flat`, :func:`multi`), so there are no
    control codes for ``Text`` to strip from each.
    """

    __slots__ = ("base", "length", "parts", "spans")

    def __init__(self, text: str = "", style: str = "") -> None:
        self.parts: list[str] = [text]
        self.spans: list[Span] = []
        self.length = len(text)
        self.base = style

    def append(self, text: str, style: str | None = None) -> None:
        if text:
            self.parts.append(text)
            if style:
                self.spans.append(Span(self.length, self.length + len(text), style))
            self.length += len(text)

    def stylize(self, style: str, start: int, end: int) -> None:
        if style and start < self.length and start < end:
            self.spans.append(Span(start, min(self.length, end), style))

    def text(self, *, no_wrap: bool | None = None, overflow: OverflowMethod | None = None) -> Text:
        text = Text(
            "".join(self.parts),
            style=self.base,
            spans=self.spans,
            no_wrap=no_wrap,
            overflow=overflow,
        )
        assert len(text) == self.length, "a control code reached a report piece unescaped"
        return text


def indent(renderable: RenderableType, by: int = INDENT) -> RenderableType:
    return Padding(renderable, (0, 0, 0, by))


def columns(left: RenderableType, right: RenderableType) -> RenderableType:
    return Columns(left, right)


def flat(value: object) -> str:
    """A single-line field (id, title, label): every whitespace run as one space."""
    return visible(" ".join(str(value).split()))


def multi(value: str) -> str:
    """Plan text that may run over several lines: CRLF as a line break, other controls visible."""
    return visible(value.replace("\r\n", "\n"))
