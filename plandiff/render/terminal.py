"""The terminal report of a :class:`~plandiff.result.DiffResult`: what changed, and who says so.

:func:`render` returns a rich renderable; the caller prints it. The report adapts to the console
it is printed on: with colour, deletions are red and struck through and insertions green and
underlined; on a console without colour (``NO_COLOR``, a pipe, ``--no-color``) the same report
marks them in words, ``[-deleted-]`` and ``{+inserted+}`` as ``git diff --word-diff`` does, so no
information is carried by colour alone and the output holds no escape sequences.

Every string taken from a plan text, an article or registry metadata goes into a ``Text`` through
:func:`~plandiff.render.views.visible` (control characters shown as ``\\x1b``), never through
markup, so ``[bold]`` or an ANSI sequence in an article is printed as written.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from rich.console import (
    Console,
    ConsoleOptions,
    Group,
    OverflowMethod,
    RenderableType,
    RenderResult,
)
from rich.constrain import Constrain
from rich.padding import Padding
from rich.rule import Rule
from rich.text import Span, Text

from plandiff.render import wording
from plandiff.render.console import report_console
from plandiff.render.layout import Columns, lay_out
from plandiff.render.views import visible
from plandiff.result import (
    Change,
    ChangeKind,
    DiffResult,
    EvidenceRef,
    PartChange,
    PointRef,
    Redline,
    RedlineOp,
    Substantive,
    VersionSummary,
)

__all__ = ["STYLES", "Report", "export", "redline_text", "render"]

#: Every style the report uses, by role; one place to restyle it.
STYLES: dict[str, str] = {
    "title": "bold",
    "label": "bold",
    "dim": "dim",
    "delete": "red strike",
    "insert": "green underline",
    "delete.substantive": "bold red strike reverse",
    "insert.substantive": "bold green underline reverse",
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
    "kind.replaced": "bold red",
    "part": "bold",
    "warning": "yellow",
}

#: Word-diff markers used when the console has no colour (as ``git diff --word-diff=plain``).
MARKERS = {RedlineOp.DELETE: ("[-", "-]"), RedlineOp.INSERT: ("{+", "+}")}

_INDENT = 4


def render(
    result: DiffResult,
    *,
    show_unchanged: bool = False,
    side_by_side: bool = False,
    context: int | None = None,
    width: int | None = None,
    markers: bool | None = None,
) -> RenderableType:
    """The report as a renderable; nothing is printed.

    ``context`` shows that many unchanged points around each change (like ``diff -U``), the
    rest are collapsed into counts; ``show_unchanged`` shows them all. ``width`` fixes the layout
    width (default: the console's). ``markers`` forces the ``[-…-]``/``{+…+}`` word-diff marks on
    or off (default: on exactly when the console has no colour).
    """
    if context is not None and context < 0:
        raise ValueError(f"context must be 0 or more, not {context}")
    return Report(result, show_unchanged, side_by_side, context, width, markers)


def export(renderable: RenderableType, *, width: int = 100, color: bool = False) -> str:
    """Render to a string, as a console of that width with or without colour would print it.

    Without colour, trailing spaces (padding from tables and rules) are trimmed from each line.
    """
    buffer = io.StringIO()
    console = report_console(buffer, width, color, environ={})
    if isinstance(renderable, Report):
        text = renderable.printed(console)
    else:
        console.print(renderable)
        text = buffer.getvalue()
    if not color:
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text


@dataclass
class Report:
    """A lazily laid-out report: it learns width and colour from the console it is printed on."""

    result: DiffResult
    show_unchanged: bool = False
    side_by_side: bool = False
    context: int | None = None
    width: int | None = None
    markers: bool | None = None

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        yield Group(*self.pieces(console, options.max_width))

    def printed(self, console: Console) -> str:
        """The report as ``console.print`` would write it, laid out line by line (see
        :mod:`~plandiff.render.layout`)."""
        return lay_out(console, self.pieces(console), self.layout_width(console))

    def layout_width(self, console: Console, max_width: int | None = None) -> int:
        """The width the report is laid out at (at least 40 columns)."""
        return max(40, self.width or max_width or console.width)

    def pieces(self, console: Console, max_width: int | None = None) -> list[RenderableType]:
        """The report's top-level pieces, laid out for ``console``: printed one after another,
        in any number of separate prints, they print the report.

        Every piece is made here, footnote numbers included, before any is rendered.
        """
        plain = self.markers
        if plain is None:
            plain = console.no_color or console.color_system is None
        width = self.layout_width(console, max_width)
        layout = _Layout(
            result=self.result, width=width, plain=plain, footnotes=wording.Footnotes()
        )
        pieces = list(_report(self, layout))
        return [Constrain(p, width) for p in pieces] if self.width else pieces


@dataclass
class _Layout:
    result: DiffResult
    width: int
    plain: bool
    footnotes: wording.Footnotes = field(default_factory=wording.Footnotes)

    @property
    def quote_limit(self) -> int:
        """Quotes longer than this are elided in the middle, so evidence stays scannable."""
        return max(40, min(120, self.width - 30))


# --------------------------------------------------------------------------- the report


def _report(report: Report, layout: _Layout) -> Iterator[RenderableType]:
    result = report.result
    yield from _header(result, layout)
    changes = result.changes
    shown = _shown(changes, report.show_unchanged, report.context)
    if report.side_by_side:
        yield Text("")
        yield _indent(
            _columns(
                Text(f"old: {_flat(result.old.id)}", style=STYLES["label"]),
                Text(f"new: {_flat(result.new.id)}", style=STYLES["label"]),
            )
        )
    before, after = _parts_by_change(result)
    hidden: list[Change] = []
    for i, change in enumerate(changes):
        for part in before.get(i, ()):
            yield from _part(part, report.show_unchanged, report.side_by_side, layout)
        if i not in shown:
            hidden.append(change)
            continue
        if hidden:
            yield _collapsed(hidden)
            hidden = []
        if change.kind is ChangeKind.UNCHANGED and not change.moved and not change.heading_moved:
            yield _unchanged_line(change, report.side_by_side, layout)
        else:
            yield from _block(change, report.side_by_side, layout)
    if hidden:
        yield _collapsed(hidden)
    for part in after:
        yield from _part(part, report.show_unchanged, report.side_by_side, layout)
    method = wording.settings_phrase(result)
    if method:
        yield Text("")
        yield Text(_flat(method), style=STYLES["dim"])
    yield from _sources(layout)


def _shown(changes: Sequence[Change], show_unchanged: bool, context: int | None) -> set[int]:
    """Indices of the changes to show: every difference, plus unchanged points in context."""
    if show_unchanged:
        return set(range(len(changes)))
    around = context or 0
    shown: set[int] = set()
    for i, c in enumerate(changes):
        if c.kind is not ChangeKind.UNCHANGED or c.moved or c.heading_moved:
            shown.update(range(max(0, i - around), min(len(changes), i + around + 1)))
    return shown


def _header(result: DiffResult, layout: _Layout) -> Iterator[RenderableType]:
    title = Text("plandiff  ", style=STYLES["title"])
    title.append(_flat(result.old.id), style=STYLES["title"])
    title.append(" → ", style=STYLES["title"])
    title.append(_flat(result.new.id), style=STYLES["title"])
    yield title
    yield Text("")
    for label, version in (("old", result.old), ("new", result.new)):
        yield from _version(label, version, layout)
    yield Text("")
    yield Text(wording.declared_phrase(result), style=STYLES["label"])
    yield Text(wording.summary_phrase(result), style=STYLES["label"])
    # Warnings come first: a numbering slip is read before thousands of lines, not after.
    yield from _warnings(result)


def _version(label: str, v: VersionSummary, layout: _Layout) -> Iterator[RenderableType]:
    head = Text()
    head.append(f"{label}  ", style=STYLES["dim"])
    head.append(_flat(v.id), style=STYLES["label"])
    head.append("  ")
    head.append(_flat(v.title))
    yield head
    facts = " · ".join(_flat(f) for f in wording.version_facts(v))
    yield _indent(Text(facts, style=STYLES["dim"]), 5)
    if v.segmentation is not None:
        yield _indent(Text(_flat(v.segmentation.description), style=STYLES["dim"]), 5)
    for e in v.evidence:
        yield _indent(_evidence_line(e, layout, role=False), 5)


def _collapsed(changes: Sequence[Change]) -> RenderableType:
    phrase = _flat(wording.collapsed_phrase(changes))
    return Text(f"\n  ⋯ {phrase} not shown", style=STYLES["dim"])


def _unchanged_line(change: Change, side_by_side: bool, layout: _Layout) -> RenderableType:
    text = change.new[0].text if change.new else ""
    line = _Pieces(f"  {_flat(wording.change_label(change))}  unchanged  ", STYLES["dim"])
    if side_by_side:
        body = Text(_multi(wording.reflow(text)), style=STYLES["dim"])
        return Group(line.text(), _indent(_columns(body, body.copy())))
    room = max(20, layout.width - line.length - 2)
    line.append(_flat(wording.clip(text, room)), style=STYLES["dim"])
    return line.text(no_wrap=True, overflow="ellipsis")


# --------------------------------------------------------------------------- outside the points


def _parts_by_change(result: DiffResult) -> tuple[dict[int, list[PartChange]], list[PartChange]]:
    """The text outside the points, placed where it stands: each part before the index of the
    change it precedes (the preamble before the first, a heading before the change of the
    point it heads), the rest (the closing) after the last."""
    return wording.place_parts(result)


def _part(
    part: PartChange, show_unchanged: bool, side_by_side: bool, layout: _Layout
) -> Iterator[RenderableType]:
    if part.kind is ChangeKind.UNCHANGED:
        if show_unchanged:
            line = Text(f"  {wording.part_label(part)}  unchanged  ", style=STYLES["dim"])
            room = max(20, layout.width - len(line.plain) - 2)
            line.append(_flat(wording.clip(part.new or "", room)), style=STYLES["dim"])
            line.no_wrap = True
            line.overflow = "ellipsis"
            yield line
        return
    yield Text("")
    title = Text()
    title.append(_flat(wording.part_label(part)), style=STYLES["part"])
    title.append("  ")
    title.append(part.kind.value, style=STYLES[f"kind.{part.kind.value}"])
    yield Rule(title, align="left", style=STYLES["dim"], characters="─")
    body: RenderableType
    if part.redline is not None:
        if side_by_side:
            body = _columns(
                redline_text(part.redline, plain=layout.plain, side="old"),
                redline_text(part.redline, plain=layout.plain, side="new"),
            )
        else:
            body = redline_text(part.redline, plain=layout.plain, substantive=part.substantive)
    else:
        op = RedlineOp.DELETE if part.new is None else RedlineOp.INSERT
        out = Text()
        _append_op(out, op, wording.reflow(part.old or part.new or ""), layout.plain)
        if side_by_side:
            body = _columns(out, Text("")) if part.new is None else _columns(Text(""), out)
        else:
            body = out
    yield _indent(body)
    for s in part.substantive:
        yield _indent(_substantive_line(s))


# --------------------------------------------------------------------------- one change


@dataclass
class _Body:
    """What a change kind contributes: a short explanation and the lines under the heading."""

    explanation: str | None = None
    lines: list[RenderableType] = field(default_factory=list)


def _block(change: Change, side_by_side: bool, layout: _Layout) -> Iterator[RenderableType]:
    yield Text("")
    yield _heading(change, layout)
    context = wording.heading_context(change)
    if context:
        yield _indent(Text(_flat(context), style=STYLES["dim"]))
    body = _body(change, side_by_side, layout)
    if body.explanation:
        yield _indent(Text(body.explanation, style=STYLES["dim"]))
    touched = wording.subitems_phrase(change)
    if touched:
        yield _indent(Text(_flat(touched), style=STYLES["dim"]))
    yield from (_indent(line) for line in body.lines)
    for s in change.substantive:
        yield _indent(_substantive_line(s))
    if change.note:
        note = _Pieces("note: ", STYLES["dim"])
        note.append(_flat(change.note), style=STYLES["note"])
        yield _indent(note.text())
    for e in change.evidence:
        yield _indent(_evidence_line(e, layout, refs=change.old + change.new))


def _heading(change: Change, layout: _Layout) -> RenderableType:
    kind = change.kind.value
    title = _Pieces()
    title.append(_flat(wording.change_label(change)), style=STYLES["label"])
    title.append("  ")
    title.append(kind, style=STYLES[f"kind.{kind}"])
    for flag in wording.change_flags(change):
        title.append(", ")
        title.append(flag, style=STYLES["moved"])
    title.append(f"  ({wording.basis_phrase(change)})", style=STYLES["dim"])
    return Rule(title.text(), align="left", style=STYLES["dim"], characters="─")


def _body(change: Change, side_by_side: bool, layout: _Layout) -> _Body:
    """The lines that show what happened, one small function per kind."""
    match change.kind:
        case ChangeKind.UNCHANGED:
            return _Body(None, [_text_of(change.new, side_by_side)])
        case ChangeKind.REWORDED:
            case_only = "letter case only" if wording.case_only(change) else None
            return _Body(case_only, _rewording(change, side_by_side, layout))
        case ChangeKind.REPLACED:
            return _Body(
                "little wording in common: the old text gave way to the new one",
                [
                    _one_side(change.old, "old", side_by_side, layout),
                    _one_side(change.new, "new", side_by_side, layout),
                ],
            )
        case ChangeKind.MERGED:
            return _Body(
                f"{len(change.old)} old points folded into one",
                _parts(change, side_by_side, layout),
            )
        case ChangeKind.SPLIT:
            return _Body(
                f"one old point spread over {len(change.new)}", _parts(change, side_by_side, layout)
            )
        case ChangeKind.ADDED:
            return _Body(None, [_one_side(change.new, "new", side_by_side, layout)])
        case ChangeKind.REMOVED:
            return _Body(None, [_one_side(change.old, "old", side_by_side, layout)])
        case ChangeKind.UNREPORTED:
            side = "old" if change.old else "new"
            why = _unreported_why(side, layout)
            # Shown as it stands, not struck through or underlined: nobody reported it removed or
            # added, so marking it as either would claim more than the evidence.
            refs = change.old or change.new
            return _Body(why, [_one_side(refs, side, side_by_side, layout, marked=False)])
        case _:
            assert_never(change.kind)


def _unreported_why(side: str, layout: _Layout) -> str:
    """Why nothing can be concluded: the other version is only partly known."""
    result = layout.result
    other = result.new if side == "old" else result.old
    missing = result.declared.new_unaccounted if side == "old" else result.declared.old_unaccounted
    where = f"{_flat(other.id)} is only partly known"
    if missing:
        where += f" ({missing} of its {other.declared_points} declared points are not recorded)"
    return f"no counterpart among the known points: {where}, so it may be there unreported"


def _rewording(change: Change, side_by_side: bool, layout: _Layout) -> list[RenderableType]:
    if change.redline is not None and _all_verbatim(change):
        return [_redline_view(change, side_by_side, layout)]
    # A described point is the recorder's summary, not the plan's wording: a word-level redline
    # of two summaries would suggest a precision nobody has, so both are shown as they are.
    return [_old_new(change, side_by_side, layout)]


def _parts(change: Change, side_by_side: bool, layout: _Layout) -> list[RenderableType]:
    lines: list[RenderableType] = []
    many, one = (change.old, "old") if change.kind is ChangeKind.MERGED else (change.new, "new")
    if change.redline is not None and _all_verbatim(change):
        for ref in many:
            part = Text(f"{one} {_flat(wording.point_label(ref))}: ", style=STYLES["dim"])
            part.append(_flat(wording.clip(ref.text, layout.quote_limit)), style=STYLES["dim"])
            lines.append(part)
        lines.append(_redline_view(change, side_by_side, layout))
        return lines
    lines.append(_old_new(change, side_by_side, layout))
    return lines


def _old_new(change: Change, side_by_side: bool, layout: _Layout) -> RenderableType:
    old = _points_text(change.old, "old", layout)
    new = _points_text(change.new, "new", layout)
    if side_by_side:
        return _columns(old, new)
    return Group(old, new)


def _one_side(
    refs: Sequence[PointRef],
    side: str,
    side_by_side: bool,
    layout: _Layout,
    *,
    marked: bool = True,
) -> RenderableType:
    text = _points_text(refs, side, layout, marked=marked)
    if side_by_side:
        return _columns(text, Text("")) if side == "old" else _columns(Text(""), text)
    return text


def _points_text(
    refs: Sequence[PointRef], side: str, layout: _Layout, *, marked: bool = True
) -> Text:
    """The text of each point of one side, marked as deleted or inserted as a whole."""
    out = _Pieces()
    op = RedlineOp.DELETE if side == "old" else RedlineOp.INSERT
    for n, ref in enumerate(refs):
        if n:
            out.append("\n")
        out.append(f"{side} {_flat(wording.point_label(ref))}", style=STYLES["dim"])
        if not ref.verbatim:
            out.append(" (described)", style=STYLES["described"])
        out.append(": ", style=STYLES["dim"])
        if marked:
            _append_op(out, op, wording.reflow(ref.text), layout.plain, italic=not ref.verbatim)
        else:
            out.append(_multi(wording.reflow(ref.text)), style="" if ref.verbatim else "italic")
    return out.text()


def _text_of(refs: Sequence[PointRef], side_by_side: bool) -> RenderableType:
    text = Text("\n".join(_multi(wording.reflow(r.text)) for r in refs))
    return _columns(text, text.copy()) if side_by_side else text


def _all_verbatim(change: Change) -> bool:
    return all(r.verbatim for r in change.old + change.new)


# --------------------------------------------------------------------------- redlines


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
    joined (see :func:`~plandiff.render.wording.reflow_ops`); ``old_parts``/``new_parts`` are
    the texts of a merged or split change's parts, whose boundaries stay line breaks.
    """
    out = _Pieces()
    olds = [s.old for s in substantive if s.old]
    news = [s.new for s in substantive if s.new]
    for op, text in wording.reflow_ops(redline.ops, old_parts, new_parts):
        if (side == "old" and op is RedlineOp.INSERT) or (side == "new" and op is RedlineOp.DELETE):
            continue
        match op:
            case RedlineOp.EQUAL:
                out.append(_multi(text))
            case RedlineOp.DELETE:
                _append_op(out, op, text, plain, highlights=olds)
            case RedlineOp.INSERT:
                _append_op(out, op, text, plain, highlights=news)
            case _:
                assert_never(op)
    return out.text()


class _Pieces:
    """What ``Text(text, style=style)`` and then ``append`` and ``stylize`` would build, made
    into one ``Text`` at the end.

    The same text and the same spans in the same order (so the same rendering), without the
    cost of a call into ``Text`` per piece: a long report has a million pieces. The pieces are
    literals or text already made visible (:func:`_flat`, :func:`_multi`), so there are no
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


def _append_op(
    out: Text | _Pieces,
    op: RedlineOp,
    text: str,
    plain: bool,
    *,
    highlights: Iterable[str] = (),
    italic: bool = False,
) -> None:
    name = "delete" if op is RedlineOp.DELETE else "insert"
    style = STYLES[name] + (" italic" if italic else "")
    shown = _multi(text)
    # Whitespace around a deleted or inserted run stays outside the marks, as git does.
    core = shown.strip()
    if not core:
        out.append(shown)
        return
    lead = shown[: len(shown) - len(shown.lstrip())]
    trail = shown[len(shown.rstrip()) :]
    out.append(lead)
    if plain:
        out.append(MARKERS[op][0])
    start = len(out) if isinstance(out, Text) else out.length
    out.append(core, style=style)
    for expr in highlights:
        at = core.find(_flat(expr))
        if at >= 0:
            out.stylize(STYLES[f"{name}.substantive"], start + at, start + at + len(_flat(expr)))
    if plain:
        out.append(MARKERS[op][1])
    out.append(trail)


def _redline_view(change: Change, side_by_side: bool, layout: _Layout) -> RenderableType:
    assert change.redline is not None
    options = {
        "plain": layout.plain,
        "substantive": change.substantive,
        "old_parts": [r.text for r in change.old],
        "new_parts": [r.text for r in change.new],
    }
    if side_by_side:
        return _columns(
            redline_text(change.redline, side="old", **options),
            redline_text(change.redline, side="new", **options),
        )
    return redline_text(change.redline, **options)


def _substantive_line(s: Substantive) -> Text:
    line = _Pieces(f"≠ {s.kind.value}: ", STYLES["substantive"])
    line.append(_flat(wording.figure_side(s, "old")))
    line.append(" → ")
    line.append(_flat(wording.figure_side(s, "new")))
    return line.text()


# --------------------------------------------------------------------------- evidence


def _evidence_line(
    e: EvidenceRef, layout: _Layout, *, role: bool = True, refs: Sequence[PointRef] = ()
) -> Text:
    """``old: “quote…” [1] Title…, Outlet, 2025-11-20, @12–40``.

    When the quote is the point's own text (a plan diffed from a file), only where it stands is
    shown: repeating the point would add nothing.
    """
    n = layout.footnotes.cite_evidence(e)
    line = _Pieces()
    if role:
        who = wording.role_label(e)
        point = next((r for r in refs if r.key == e.point), None)
        if point is not None:
            who += " " + wording.point_label(point)
        line.append(f"{_flat(who)}: ", style=STYLES["dim"])
    own_text = any(
        r.key == e.point
        and (r.text == e.quote or " ".join(r.text.split()) == " ".join(e.quote.split()))
        for r in refs
    )
    if not own_text:
        line.append("“", style=STYLES["quote"])
        line.append(_flat(wording.elide_middle(e.quote, layout.quote_limit)), style=STYLES["quote"])
        line.append("” ", style=STYLES["quote"])
    line.append(f"[{n}]", style=STYLES["footnote"])
    where = [wording.clip(e.title, 40) if e.title else None, e.outlet]
    where.append(e.published.isoformat() if e.published else None)
    where.append(wording.offsets(e))
    shown = [_flat(w) for w in where if w]
    if shown:
        line.append(" " + ", ".join(shown), style=STYLES["dim"])
    return line.text()


def _sources(layout: _Layout) -> Iterator[RenderableType]:
    entries = layout.footnotes.entries()
    if not entries:
        return
    yield Text("")
    yield Text("Sources", style=STYLES["label"])
    for n, note in entries:
        line = Text(f"[{n}] ", style=STYLES["footnote"])
        line.append(_flat(note.title or "(untitled)"))
        facts = [note.outlet, note.published.isoformat() if note.published else "date unknown"]
        line.append(" — " + ", ".join(_flat(f) for f in facts if f), style=STYLES["dim"])
        line.append(f"  {_flat(note.id)}", style=STYLES["dim"])
        if note.url:
            line.append(f"  {_flat(note.url)}", style=STYLES["dim"])
        yield _indent(line, 2)


def _warnings(result: DiffResult) -> Iterator[RenderableType]:
    if result.warnings:
        yield Text("")
    for w in result.warnings:
        yield Text("warning: " + _flat(w), style=STYLES["warning"])


# --------------------------------------------------------------------------- layout helpers


def _indent(renderable: RenderableType, by: int = _INDENT) -> RenderableType:
    return Padding(renderable, (0, 0, 0, by))


def _columns(left: RenderableType, right: RenderableType) -> RenderableType:
    return Columns(left, right)


def _flat(value: object) -> str:
    """A single-line field (id, title, label): every whitespace run as one space."""
    return visible(" ".join(str(value).split()))


def _multi(value: str) -> str:
    """Plan text that may run over several lines: CRLF as a line break, other controls visible."""
    return visible(value.replace("\r\n", "\n"))
