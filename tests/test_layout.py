"""render.layout lays out the reports' pieces as rich's Console.print would: same bytes.

The quick word wrap of one-cell text (render.wrap) is held to rich's own: its line breaks to
``divide_line``, its lines to ``Text.wrap`` and ``Text.render``, with every width, overflow,
justification and style the reports use, and text that must fall back to rich (tabs, wide and
combining characters, controls) mixed in.
"""

from __future__ import annotations

import io

from hypothesis import example, given, settings
from hypothesis import strategies as st
from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Text

from plandiff.render.console import report_console
from plandiff.render.layout import Columns, Hanging, lay_out
from plandiff.render.wrap import SINGLE_CELLS, breaks

STYLES = ["", "bold", "dim", "red strike", "green underline", "italic", "bold yellow", "cyan"]
WORDS = ["a", "word", "longerword", "x" * 30, "→", "“quoted”", "─", "漢字", "é", "  ", "\n", "·"]
#: One-cell words only (the quick path), spaces of every kind rich splits words at included.
ONE_CELL = ["a", "of", "word", "longerword", "x" * 23, "—", "é", " ", "   ", "\xa0", "…", "-"]
#: Text the quick path must leave to rich.
ODD = ["\t", "漢字", "e\u0301", "\u200b", "🙂"]


@st.composite
def texts(draw: st.DrawFn, words: list[str] = WORDS) -> Text:
    words = draw(st.lists(st.sampled_from(words), max_size=25))
    text = Text(style=draw(st.sampled_from(STYLES)))
    for word in words:
        text.append(word + draw(st.sampled_from(["", " "])), style=draw(st.sampled_from(STYLES)))
    for _ in range(draw(st.integers(0, 2))):
        start = draw(st.integers(0, len(text)))
        text.stylize(draw(st.sampled_from(STYLES[1:])), start, draw(st.integers(start, len(text))))
    if draw(st.booleans()):
        text.no_wrap = True
        text.overflow = "ellipsis"
    elif draw(st.booleans()):
        text.overflow = draw(st.sampled_from(["fold", "crop", "ellipsis"]))
    return text


def any_texts() -> st.SearchStrategy[Text]:
    return st.one_of(texts(), texts(ONE_CELL), texts(ONE_CELL + ODD))


@st.composite
def pieces(draw: st.DrawFn) -> RenderableType:
    kind = draw(st.sampled_from(["text", "indent", "rule", "group", "columns", "hanging"]))
    match kind:
        case "text":
            return draw(any_texts())
        case "indent":
            return Padding(draw(any_texts()), (0, 0, 0, draw(st.integers(1, 8))))
        case "rule":
            return Rule(draw(any_texts()), align="left", style="dim", characters="─")
        case "group":
            return Group(*draw(st.lists(any_texts(), min_size=1, max_size=3)))
        case "columns":
            return Padding(Columns(draw(any_texts()), draw(any_texts())), (0, 0, 0, 4))
        case _:
            label = Text(draw(st.sampled_from(["Title:  ", "2025-11-20", "[12]"])), style="dim")
            body = st.lists(any_texts(), min_size=1, max_size=3)
            return Hanging(label, Group(*draw(body)))


def console(width: int, color: bool) -> Console:
    return report_console(io.StringIO(), width, color, environ={})


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces(), min_size=1, max_size=4), st.integers(12, 90), st.booleans())
def test_laid_out_as_rich_prints(renderables: list[RenderableType], width: int, color: bool):
    expected = console(width, color)
    with expected.capture() as capture:
        expected.print(Group(*renderables))
    assert lay_out(console(width, color), renderables, width) == capture.get()


@settings(max_examples=150, deadline=None)
@given(st.lists(any_texts(), min_size=1, max_size=3), st.integers(1, 16), st.booleans())
# Fits in cells but not in characters (a combining accent): rich trims the trailing space.
@example([Text(""), Text("word e\u0301 ")], 7, False)
def test_narrow_widths_laid_out_as_rich_prints(texts: list[Text], width: int, color: bool):
    """Widths down to one cell: every word longer than a line, folded, cropped or elided."""
    expected = console(width, color)
    with expected.capture() as capture:
        expected.print(Group(*texts))
    assert lay_out(console(width, color), texts, width) == capture.get()


@settings(max_examples=600, deadline=None)
@given(
    st.lists(st.sampled_from(ONE_CELL), max_size=40).map("".join),
    st.integers(1, 30),
    st.booleans(),
)
def test_breaks_are_rich_divide_line(line: str, width: int, fold: bool):
    assert breaks(line, width, fold) == divide_line(line, width, fold=fold)


def test_one_cell_characters_are_one_cell_to_rich():
    assert all(cell_len(c) == 1 for c in SINGLE_CELLS)
