"""The terminal report of a :class:`~plandiff.result.DiffResult`: what changed, and who says so.

:func:`render` returns a rich renderable; the caller prints it. The report adapts to the console
it is printed on: with colour, deletions are red and struck through and insertions green and
underlined; on a console without colour (``NO_COLOR``, a pipe, ``--no-color``) the same report
marks them in words, ``[-deleted-]`` and ``{+inserted+}`` as ``git diff --word-diff`` does, so no
information is carried by colour alone and the output holds no escape sequences.

This module lays out the report as a whole (header, summary, the text outside the points,
collapsed runs of unchanged points, the source list); one change's block is
:mod:`~plandiff.render.blocks`, its redline :mod:`~plandiff.render.redline`, and the styles and
text fields they share :mod:`~plandiff.render.pieces`.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.constrain import Constrain
from rich.rule import Rule
from rich.text import Text

from plandiff.kinds import KindFilter
from plandiff.render import citing, known_words, reflow, wording
from plandiff.render.blocks import Layout, block, evidence_line
from plandiff.render.console import report_console
from plandiff.render.layout import lay_out
from plandiff.render.pieces import MARKERS, STYLES, Pieces, columns, flat, indent, multi
from plandiff.render.redline import aligned_view, append_op, redline_text, substantive_line
from plandiff.result import Change, ChangeKind, DiffResult, PartChange, RedlineOp, VersionSummary
from plandiff.text import clip

__all__ = ["MARKERS", "STYLES", "Report", "export", "redline_text", "render"]


def render(
    result: DiffResult,
    *,
    show_unchanged: bool = False,
    side_by_side: bool = False,
    context: int | None = None,
    width: int | None = None,
    markers: bool | None = None,
    kinds: KindFilter | None = None,
    show_unreported: bool = False,
    full: bool = False,
    locations: bool = False,
) -> RenderableType:
    """The report as a renderable; nothing is printed.

    ``context`` shows that many unchanged points around each change (like ``diff -U``), the
    rest are collapsed into counts; ``show_unchanged`` shows them all. ``width`` fixes the layout
    width (default: the console's). ``markers`` forces the ``[-…-]``/``{+…+}`` word-diff marks on
    or off (default: on exactly when the console has no colour). ``kinds`` shows only the
    changes of those kinds (header, summary and sources stay whole). Unreported points are
    listed in one line per side after the changes, or shown as blocks with ``show_unreported``
    (or when ``kinds`` asks for them). ``full`` shows the whole new text as amended instead of
    the changes (:mod:`~plandiff.render.full`), after the same header. ``locations`` shows where
    each point of a plan file stands in it (a registry version's quotes are always shown).
    """
    if context is not None and context < 0:
        raise ValueError(f"context must be 0 or more, not {context}")
    return Report(
        result,
        show_unchanged,
        side_by_side,
        context,
        width,
        markers,
        kinds,
        show_unreported,
        full,
        locations,
    )


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
    kinds: KindFilter | None = None
    show_unreported: bool = False
    full: bool = False
    locations: bool = False

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
        layout = Layout(
            result=self.result,
            width=width,
            plain=plain,
            footnotes=citing.Footnotes(),
            locations=self.locations,
        )
        pieces = list(_full(self, layout) if self.full else _report(self, layout))
        return [Constrain(p, width) for p in pieces] if self.width else pieces


# --------------------------------------------------------------------------- the report


def _report(report: Report, layout: Layout) -> Iterator[RenderableType]:
    result = report.result
    yield from _header(result, layout, report.kinds)
    changes = result.changes
    folded = _folded_unreported(report)
    shown = _shown(changes, report.show_unchanged, report.context, report.kinds, folded)
    if report.side_by_side:
        yield Text("")
        yield indent(
            columns(
                Text(f"old: {flat(result.old.id)}", style=STYLES["label"]),
                Text(f"new: {flat(result.new.id)}", style=STYLES["label"]),
            )
        )
    before, after = _parts_by_change(result)
    hidden: list[Change] = []
    for i, change in enumerate(changes):
        for part in before.get(i, ()):
            if report.kinds is None or report.kinds.shows_part(part):
                yield from _part(part, report.show_unchanged, report.side_by_side, layout)
        if i in folded:
            continue
        if i not in shown:
            if report.kinds is None:  # filtered out: the summary counts it
                hidden.append(change)
            continue
        if hidden:
            yield _collapsed(hidden)
            hidden = []
        if change.kind is ChangeKind.UNCHANGED and not change.moved and not change.heading_moved:
            yield _unchanged_line(change, report.side_by_side, layout)
        else:
            yield from block(change, report.side_by_side, layout)
    if hidden:
        yield _collapsed(hidden)
    for line in wording.unreported_phrases(result, [changes[i] for i in sorted(folded)]):
        yield Text(f"\n  ⋯ {flat(line)}", style=STYLES["dim"])
    for part in after:
        if report.kinds is None or report.kinds.shows_part(part):
            yield from _part(part, report.show_unchanged, report.side_by_side, layout)
    method = wording.settings_phrase(result)
    if method:
        yield Text("")
        yield Text(flat(method), style=STYLES["dim"])
    yield from _sources(layout)


def _full(report: Report, layout: Layout) -> Iterator[RenderableType]:
    """The header, the whole new text as amended, and the sources cited in the header."""
    from plandiff.render import full

    yield from _header(report.result, layout, report.kinds)
    yield from full.pieces(
        report.result,
        plain=layout.plain,
        kinds=report.kinds,
        show_unreported=report.show_unreported,
        side_by_side=report.side_by_side,
    )
    yield from _sources(layout)


def _shown(
    changes: Sequence[Change],
    show_unchanged: bool,
    context: int | None,
    kinds: KindFilter | None = None,
    folded: frozenset[int] = frozenset(),
) -> set[int]:
    """Indices of the changes to show: every difference (or every change of ``kinds``), plus
    unchanged points in context; ``folded`` (unreported points listed in a line) bring none."""
    if kinds is not None:
        around = context or 0
        picked = {i for i, c in enumerate(changes) if kinds.matches(c)}
        near = {
            j
            for i in picked
            for j in range(max(0, i - around), min(len(changes), i + around + 1))
            if _quiet(changes[j])
        }
        return picked | near
    if show_unchanged:
        return set(range(len(changes)))
    around = context or 0
    shown: set[int] = set()
    for i, c in enumerate(changes):
        if i in folded:
            continue
        if c.kind is not ChangeKind.UNCHANGED or c.moved or c.heading_moved:
            shown.update(range(max(0, i - around), min(len(changes), i + around + 1)))
    return shown


def _folded_unreported(report: Report) -> frozenset[int]:
    """Indices of the unreported points that the report lists in one line per side instead of
    a block each: all of them, unless asked to show them or to show only some kinds."""
    if report.show_unreported or report.kinds is not None:
        return frozenset()
    changes = report.result.changes
    return frozenset(i for i, c in enumerate(changes) if c.kind is ChangeKind.UNREPORTED)


def _quiet(change: Change) -> bool:
    return change.kind is ChangeKind.UNCHANGED and not change.moved and not change.heading_moved


def _header(
    result: DiffResult, layout: Layout, kinds: KindFilter | None
) -> Iterator[RenderableType]:
    title = Text("plandiff  ", style=STYLES["title"])
    title.append(flat(result.old.id), style=STYLES["title"])
    title.append(" → ", style=STYLES["title"])
    title.append(flat(result.new.id), style=STYLES["title"])
    yield title
    yield Text("")
    for label, version in (("old", result.old), ("new", result.new)):
        yield from _version(label, version, layout)
    yield Text("")
    yield from _known_box(result)
    yield Text(wording.summary_phrase(result, layout.moves), style=STYLES["label"])
    if kinds is not None:
        yield Text(kinds.phrase(result), style=STYLES["label"])
    # Warnings come first: a numbering slip is read before thousands of lines, not after.
    yield from _warnings(result)


def _known_box(result: DiffResult) -> Iterator[RenderableType]:
    """What is known, in plain words: the count line in bold, then what is and is not known."""
    for n, line in enumerate(known_words.known_lines(result)):
        yield Text(flat(line), style=STYLES["label"] if n == 0 else "")


def _version(label: str, v: VersionSummary, layout: Layout) -> Iterator[RenderableType]:
    head = Text()
    head.append(f"{label}  ", style=STYLES["dim"])
    head.append(flat(v.id), style=STYLES["label"])
    head.append("  ")
    head.append(flat(v.title))
    yield head
    facts = " · ".join(flat(f) for f in wording.version_facts(v))
    yield indent(Text(facts, style=STYLES["dim"]), 5)
    if v.segmentation is not None:
        yield indent(Text(flat(v.segmentation.description), style=STYLES["dim"]), 5)
    for e in v.evidence:
        yield indent(evidence_line(e, layout, role=False), 5)


def _collapsed(changes: Sequence[Change]) -> RenderableType:
    phrase = flat(wording.collapsed_phrase(changes))
    return Text(f"\n  ⋯ {phrase} not shown", style=STYLES["dim"])


def _unchanged_line(change: Change, side_by_side: bool, layout: Layout) -> RenderableType:
    text = change.new[0].text if change.new else ""
    line = Pieces(f"  {flat(wording.change_label(change))}  unchanged  ", STYLES["dim"])
    if side_by_side:
        body = Text(multi(reflow.reflow(text)), style=STYLES["dim"])
        return Group(line.text(), indent(columns(body, body.copy())))
    room = max(20, layout.width - line.length - 2)
    line.append(flat(clip(text, room)), style=STYLES["dim"])
    return line.text(no_wrap=True, overflow="ellipsis")


# --------------------------------------------------------------------------- outside the points


def _parts_by_change(result: DiffResult) -> tuple[dict[int, list[PartChange]], list[PartChange]]:
    """The text outside the points, placed where it stands: each part before the index of the
    change it precedes (the preamble before the first, a heading before the change of the
    point it heads), the rest (the closing) after the last."""
    return wording.place_parts(result)


def _part(
    part: PartChange, show_unchanged: bool, side_by_side: bool, layout: Layout
) -> Iterator[RenderableType]:
    if part.kind is ChangeKind.UNCHANGED:
        if show_unchanged:
            line = Text(f"  {wording.part_label(part)}  unchanged  ", style=STYLES["dim"])
            room = max(20, layout.width - len(line.plain) - 2)
            line.append(flat(clip(part.new or "", room)), style=STYLES["dim"])
            line.no_wrap = True
            line.overflow = "ellipsis"
            yield line
        return
    yield Text("")
    title = Text()
    title.append(flat(wording.part_label(part)), style=STYLES["part"])
    title.append("  ")
    title.append(part.kind.value, style=STYLES[f"kind.{part.kind.value}"])
    yield Rule(title, align="left", style=STYLES["dim"], characters="─")
    body: RenderableType
    if part.redline is not None:
        if side_by_side:
            body = aligned_view(part.redline, plain=layout.plain, substantive=part.substantive)
        else:
            body = redline_text(part.redline, plain=layout.plain, substantive=part.substantive)
    else:
        op = RedlineOp.DELETE if part.new is None else RedlineOp.INSERT
        out = Text()
        append_op(out, op, reflow.reflow(part.old or part.new or ""), layout.plain)
        if side_by_side:
            body = columns(out, Text("")) if part.new is None else columns(Text(""), out)
        else:
            body = out
    yield indent(body)
    for s in part.substantive:
        yield indent(substantive_line(s))


def _sources(layout: Layout) -> Iterator[RenderableType]:
    entries = layout.footnotes.entries()
    if not entries:
        return
    yield Text("")
    yield Text("Sources", style=STYLES["label"])
    for n, note in entries:
        line = Text(f"[{n}] ", style=STYLES["footnote"])
        line.append(flat(citing.source_name(note)))
        facts = [note.outlet, note.published.isoformat() if note.published else "date unknown"]
        facts.append(citing.judgement(note))
        line.append(" — " + ", ".join(flat(f) for f in facts if f), style=STYLES["dim"])
        line.append(f"  {flat(note.id)}", style=STYLES["dim"])
        if note.url:
            line.append(f"  {flat(note.url)}", style=STYLES["dim"])
        yield indent(line, 2)


def _warnings(result: DiffResult) -> Iterator[RenderableType]:
    if result.warnings:
        yield Text("")
    for w in result.warnings:
        yield Text("warning: " + flat(w), style=STYLES["warning"])
