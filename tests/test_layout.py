"""render.layout lays out the reports' pieces as rich's Console.print would: same bytes."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from plandiff.render.console import report_console
from plandiff.render.layout import Columns, Hanging, lay_out

STYLES = ["", "bold", "dim", "red strike", "green underline", "italic", "bold yellow", "cyan"]
WORDS = ["a", "word", "longerword", "x" * 30, "→", "“quoted”", "─", "漢字", "é", "  ", "\n", "·"]


@st.composite
def texts(draw: st.DrawFn) -> Text:
    words = draw(st.lists(st.sampled_from(WORDS), max_size=25))
    text = Text(style=draw(st.sampled_from(STYLES)))
    for word in words:
        text.append(word + draw(st.sampled_from(["", " "])), style=draw(st.sampled_from(STYLES)))
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(text)))
        text.stylize(draw(st.sampled_from(STYLES[1:])), start, draw(st.integers(start, len(text))))
    if draw(st.booleans()):
        text.no_wrap = True
        text.overflow = "ellipsis"
    return text


@st.composite
def pieces(draw: st.DrawFn) -> RenderableType:
    kind = draw(st.sampled_from(["text", "indent", "rule", "group", "columns", "hanging"]))
    match kind:
        case "text":
            return draw(texts())
        case "indent":
            return Padding(draw(texts()), (0, 0, 0, draw(st.integers(1, 8))))
        case "rule":
            return Rule(draw(texts()), align="left", style="dim", characters="─")
        case "group":
            return Group(*draw(st.lists(texts(), min_size=1, max_size=3)))
        case "columns":
            return Padding(Columns(draw(texts()), draw(texts())), (0, 0, 0, 4))
        case _:
            label = Text(draw(st.sampled_from(["Title:  ", "2025-11-20", "[12]"])), style="dim")
            return Hanging(label, Group(*draw(st.lists(texts(), min_size=1, max_size=3))))


def console(width: int, color: bool) -> Console:
    return report_console(io.StringIO(), width, color, environ={})


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(), min_size=1, max_size=4), st.integers(12, 90), st.booleans())
def test_laid_out_as_rich_prints(renderables: list[RenderableType], width: int, color: bool):
    expected = console(width, color)
    with expected.capture() as capture:
        expected.print(Group(*renderables))
    assert lay_out(console(width, color), renderables, width) == capture.get()
