"""One change of the terminal report: its heading, what happened to its points, the figures
that changed, and the quotes behind it (one small function per change kind).
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import assert_never

from rich.console import Group, RenderableType
from rich.rule import Rule
from rich.text import Text

from plandiff.records import Completeness
from plandiff.render import citing, reflow, wording
from plandiff.render.pieces import INDENT, STYLES, Pieces, columns, flat, indent, multi
from plandiff.render.redline import (
    aligned_view,
    append_op,
    redline_text,
    redline_view,
    substantive_line,
)
from plandiff.result import (
    Change,
    ChangeKind,
    DiffResult,
    EvidenceRef,
    NestedChange,
    PointRef,
    RedlineOp,
)

__all__ = ["Layout", "block", "evidence_line"]


@dataclass
class Layout:
    """What every block of one report shares: the result, the width, whether changes are
    marked in words, and the footnotes cited so far."""

    result: DiffResult
    width: int
    plain: bool
    footnotes: citing.Footnotes = field(default_factory=citing.Footnotes)
    locations: bool = False
    """Show where each point of a plan file stands in it (always shown for registry
    versions, where the quote's place is the point's provenance)."""

    @functools.cached_property
    def moves(self) -> wording.PointsAsItems:
        """The removed and added points whose text is an item elsewhere (looked up once)."""
        return wording.points_as_items(self.result)

    @property
    def quote_limit(self) -> int:
        """Quotes longer than this are elided in the middle, so evidence stays scannable."""
        return max(40, min(120, self.width - 30))


@dataclass
class _Body:
    """What a change kind contributes: a short explanation and the lines under the heading."""

    explanation: str | None = None
    lines: list[RenderableType] = field(default_factory=list)


def block(change: Change, side_by_side: bool, layout: Layout) -> Iterator[RenderableType]:
    yield Text("")
    yield _heading(change, layout)
    context = wording.heading_context(change)
    if context:
        yield indent(Text(flat(context), style=STYLES["dim"]))
    body = _body(change, side_by_side, layout)
    if body.explanation:
        yield indent(Text(body.explanation, style=STYLES["dim"]))
    touched = wording.subitems_phrase(change)
    if touched:
        yield indent(Text(flat(touched), style=STYLES["dim"]))
    yield from (indent(line) for line in body.lines)
    for s in change.substantive:
        yield indent(substantive_line(s))
    for b in change.brackets:
        yield indent(Text(flat(f"≠ {wording.bracket_phrase(b)}"), style=STYLES["substantive"]))
    for n in wording.shown_nested(change):
        yield from _nested(n, change, side_by_side, layout)
    if change.note:
        note = Pieces("note: ", STYLES["dim"])
        note.append(flat(change.note), style=STYLES["note"])
        yield indent(note.text())
    for e in change.evidence:
        if layout.locations or not citing.file_location(e, change, layout.result):
            yield indent(evidence_line(e, layout, refs=citing.quoted_side(e, change)))


def _heading(change: Change, layout: Layout) -> RenderableType:
    kind = change.kind.value
    title = Pieces()
    title.append(flat(wording.change_label(change)), style=STYLES["label"])
    title.append("  ")
    title.append(kind, style=STYLES[f"kind.{kind}"])
    where = wording.point_as_item_phrase(change, layout.moves)
    if where:
        title.append(" " + flat(where), style=STYLES["moved"])
    for flag in wording.change_flags(change):
        title.append(", ")
        title.append(flag, style=STYLES["moved"])
    title.append(f"  ({wording.basis_phrase(change)})", style=STYLES["dim"])
    return Rule(title.text(), align="left", style=STYLES["dim"], characters="─")


def _body(change: Change, side_by_side: bool, layout: Layout) -> _Body:
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
        case ChangeKind.DEFERRED:
            # Not struck through: nobody says it was dropped, only that it was left for later.
            why = flat(wording.deferral_sentence(change))
            return _Body(why, [_one_side(change.old, "old", side_by_side, layout, marked=False)])
        case ChangeKind.UNREPORTED:
            side = "old" if change.old else "new"
            why = _unreported_why(side, layout)
            # Shown as it stands, not struck through or underlined: nobody reported it removed or
            # added, so marking it as either would claim more than the evidence.
            refs = change.old or change.new
            return _Body(why, [_one_side(refs, side, side_by_side, layout, marked=False)])
        case _:
            assert_never(change.kind)


def _nested(
    n: NestedChange, change: Change, side_by_side: bool, layout: Layout
) -> Iterator[RenderableType]:
    """One sub-item's change under its point: ``7.1 → Schedule 1 › 3  moved, reworded``, and
    beneath a moved item its redline, in the point's style; then the figures that changed in
    it (those the point's own lines do not already give)."""
    line = Pieces()
    line.append(flat(wording.nested_label(n)), style=STYLES["label"])
    for i, word in enumerate(wording.nested_words(n)):
        line.append(", " if i else "  ")
        kind = word == n.kind.value
        line.append(word, style=STYLES[f"kind.{word}"] if kind else STYLES["moved"])
    yield indent(line.text(), INDENT + 2)
    if wording.nested_redline_shown(n):
        assert n.redline is not None  # said by nested_redline_shown
        redline, plain, figures = n.redline, layout.plain, n.substantive
        body: RenderableType = (
            aligned_view(redline, plain=plain, substantive=figures)
            if side_by_side
            else redline_text(redline, plain=plain, substantive=figures)
        )
        yield indent(body, INDENT + 4)
    for s in n.substantive:
        if s not in change.substantive:
            yield indent(substantive_line(s), INDENT + 4)


def _unreported_why(side: str, layout: Layout) -> str:
    """Why nothing can be concluded: the other version is only partly known, or the point is
    only described."""
    result = layout.result
    other = result.new if side == "old" else result.old
    missing = result.declared.new_unaccounted if side == "old" else result.declared.old_unaccounted
    if other.completeness is Completeness.FULL:
        return f"no counterpart found: {flat(wording.why_unreported(other))}"
    where = f"{flat(other.id)} is only partly known"
    if missing:
        where += f" ({missing} of its {other.declared_points} declared points are not recorded)"
    return f"no counterpart among the known points: {where}, so it may be there unreported"


def _rewording(change: Change, side_by_side: bool, layout: Layout) -> list[RenderableType]:
    if change.redline is not None and _all_verbatim(change):
        return [redline_view(change, side_by_side, layout.plain)]
    # A described point is the recorder's summary, not the plan's wording: a word-level redline
    # of two summaries would suggest a precision nobody has, so both are shown as they are.
    return [_old_new(change, side_by_side, layout)]


def _parts(change: Change, side_by_side: bool, layout: Layout) -> list[RenderableType]:
    """A merge or split: its redline, each part on a line of its own, so the text is shown
    once (a preview of each part above it would repeat it); described points as they are."""
    if change.redline is not None and _all_verbatim(change):
        return [redline_view(change, side_by_side, layout.plain)]
    return [_old_new(change, side_by_side, layout)]


def _old_new(change: Change, side_by_side: bool, layout: Layout) -> RenderableType:
    old = _points_text(change.old, "old", layout)
    new = _points_text(change.new, "new", layout)
    if side_by_side:
        return columns(old, new)
    return Group(old, new)


def _one_side(
    refs: Sequence[PointRef],
    side: str,
    side_by_side: bool,
    layout: Layout,
    *,
    marked: bool = True,
) -> RenderableType:
    text = _points_text(refs, side, layout, marked=marked)
    if side_by_side:
        return columns(text, Text("")) if side == "old" else columns(Text(""), text)
    return text


def _points_text(
    refs: Sequence[PointRef], side: str, layout: Layout, *, marked: bool = True
) -> Text:
    """The text of each point of one side, marked as deleted or inserted as a whole."""
    out = Pieces()
    op = RedlineOp.DELETE if side == "old" else RedlineOp.INSERT
    for n, ref in enumerate(refs):
        if n:
            out.append("\n")
        out.append(f"{side} {flat(wording.point_label(ref))}", style=STYLES["dim"])
        if not ref.verbatim:
            out.append(" (described)", style=STYLES["described"])
        if ref.bracketed:
            out.append(" (unagreed)", style=STYLES["described"])
        out.append(": ", style=STYLES["dim"])
        if marked:
            append_op(out, op, reflow.reflow(ref.text), layout.plain, italic=not ref.verbatim)
        else:
            out.append(multi(reflow.reflow(ref.text)), style="" if ref.verbatim else "italic")
    return out.text()


def _text_of(refs: Sequence[PointRef], side_by_side: bool) -> RenderableType:
    text = Text("\n".join(multi(reflow.reflow(r.text)) for r in refs))
    return columns(text, text.copy()) if side_by_side else text


def _all_verbatim(change: Change) -> bool:
    return all(r.verbatim for r in change.old + change.new)


def evidence_line(
    e: EvidenceRef, layout: Layout, *, role: bool = True, refs: Sequence[PointRef] = ()
) -> Text:
    """``old: “quote…” [1] @12–40``: the footnote number names the source (the list at the
    end of the report gives its title, outlet and date, once).

    When the quote is the point's own text (a plan diffed from a file), only where it stands is
    shown: repeating the point would add nothing.
    """
    n = layout.footnotes.cite_evidence(e)
    line = Pieces()
    if role:
        who = citing.who_quoted(e, refs)
        stance = citing.stance_word(e.stance)
        if stance:
            line.append(flat(who), style=STYLES["dim"])
            line.append(f", {stance}", style=STYLES["disagree"])
            line.append(": ", style=STYLES["dim"])
        else:
            line.append(f"{flat(who)}: ", style=STYLES["dim"])
    if not citing.is_own_text(e, refs):
        line.append("“", style=STYLES["quote"])
        line.append(flat(wording.elide_middle(e.quote, layout.quote_limit)), style=STYLES["quote"])
        line.append("” ", style=STYLES["quote"])
    line.append(f"[{n}]", style=STYLES["footnote"])
    for words in citing.tail_words(e):
        line.append(f" {flat(words)}", style=STYLES["dim"])
    return line.text()
