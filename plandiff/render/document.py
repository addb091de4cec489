"""The whole document as amended (``plandiff diff --full``): a print of the new text with the
amendments marked in it, as a legislature prints a bill "as amended".

Where the report lists changes, this view lists the document: the preamble, the headings,
every point and the closing, in the new version's order, each with its changes inline: a
reworded point (or preamble, heading, closing) redlined, an added one inserted whole, a
removed one struck through where it stood among its neighbours in the old text, and a note
on each point whose place or shape changed (``moved from 11``, ``merged from 2 + 3``,
``split from 6``, ``was 9``). So a reader who drops the struck text reads the new version,
and one who drops the inserted text reads the old version's points that remain.

This module builds the view as data (:class:`Entry` rows, from the :class:`DiffResult`
alone: its changes in report order and its parts outside the points); the terminal and
Markdown renderers (:mod:`~plandiff.render.full`) draw it. A partly known version's
unreported old points are not part of the new text: they are listed in one line, as the
report lists them, or (``show_unreported``) shown where they stood, unmarked, since nobody
reported them gone. A described point (a recorder's summary, not the plan's words) keeps
its summary, marked ``described``, and is replaced whole rather than redlined word by word.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import assert_never

from plandiff.kinds import KindFilter
from plandiff.render import reflow, wording
from plandiff.result import (
    Change,
    ChangeKind,
    DiffResult,
    PartChange,
    PointRef,
    RedlineOp,
    TextPart,
)

__all__ = ["Entry", "EntryKind", "Ops", "document"]

Ops = tuple[tuple[RedlineOp, str], ...]


class EntryKind(StrEnum):
    PART = "part"
    """Text outside the points: the preamble, a heading, the closing (:attr:`Entry.part`)."""
    POINT = "point"
    """A point (or the points of one change: a split's new parts) with its changes inline."""
    FOLDED = "folded"
    """Points not shown (other kinds than ``--kind`` asks for, or unreported ones), in words."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One row of the document: a stretch of text with its changes marked, or a line that
    says what is not shown."""

    kind: EntryKind
    ops: Ops = ()
    """The text as a redline: equal text as it stands in both versions, deleted text only in
    the old, inserted only in the new (hard-wrapped lines already joined)."""
    label: str = ""
    """The point's number as the report names it (``3``, ``6 + 7``, ``Schedule 1 › 2``),
    ``—`` for an old point that has no place in the new text; empty for a part."""
    notes: tuple[str, ...] = ()
    """What happened to the point beyond its words (``moved from 11``, ``added``); for a
    folded entry, the line that says what is not shown."""
    change: ChangeKind | None = None
    """The kind of the point's (or the part's) change."""
    part: TextPart | None = None
    described: bool = False
    """The text is a recorder's summary of the point, not its wording."""
    old_side_only: bool = False
    """An old point shown where it stood though it has no place in the new text (removed, or
    unreported with ``show_unreported``)."""


def document(
    result: DiffResult, *, kinds: KindFilter | None = None, show_unreported: bool = False
) -> tuple[Entry, ...]:
    """The rows of the amended document, in the new version's order.

    ``kinds`` shows only the points and parts whose change is of those kinds; the others
    fold into one line per run (``⋯ 4 points of other kinds not shown (3–6)``).
    """
    before, after = wording.place_parts(result)
    moves = wording.points_as_items(result)
    # A point in a schedule or annex is named by its own number where the division's heading
    # is printed above it (``2`` under ``SCHEDULE 1``), by its path where no heading is.
    short = any(p.part is TextPart.HEADING for p in result.parts)
    entries: list[Entry] = []
    skipped: list[Change] = []
    unreported: list[Change] = []
    # The later parts of a split, by their new index, until the document reaches them.
    waiting: list[tuple[int, Entry]] = []

    def flush(upto: float) -> None:
        while waiting and waiting[0][0] < upto:
            entries.append(waiting.pop(0)[1])

    for i, change in enumerate(result.changes):
        if change.new:
            flush(change.new[0].index)
        for part in before.get(i, ()):
            if kinds is None or kinds.shows_part(part):
                entries.append(_part(part))
        old_only = change.kind is ChangeKind.UNREPORTED and not change.new
        if kinds is not None and not kinds.matches(change):
            skipped.append(change)
            continue
        if old_only and not show_unreported and kinds is None:
            unreported.append(change)
            continue
        if skipped:
            entries.append(_folded(skipped))
            skipped = []
        first, *rest = _points(change, result, moves, short)
        entries.append(first[1])
        waiting = sorted([*waiting, *rest], key=lambda pair: pair[0])
    flush(float("inf"))
    if skipped:
        entries.append(_folded(skipped))
    entries += [
        Entry(EntryKind.FOLDED, notes=(line,), change=ChangeKind.UNREPORTED)
        for line in wording.unreported_phrases(result, unreported)
    ]
    entries += [_part(p) for p in after if kinds is None or kinds.shows_part(p)]
    return tuple(entries)


def _folded(changes: Sequence[Change]) -> Entry:
    where = ", ".join(wording.side_label(c.new or c.old) for c in changes)
    count = wording.plural(sum(len(c.new or c.old) for c in changes), "point")
    return Entry(EntryKind.FOLDED, notes=(f"{count} of other kinds not shown ({where})",))


def _part(part: PartChange) -> Entry:
    """A stretch outside the points; a heading's lines are kept as they are (a title and
    the heading under it are two lines, not a paragraph wrapped in two)."""
    ops: Ops
    heading = part.part is TextPart.HEADING
    keep = _as_is if heading else reflow.reflow
    if part.redline is not None and part.redline.ops:
        ops = tuple(part.redline.ops if heading else reflow.reflow_ops(part.redline.ops))
    elif part.new is None:
        ops = ((RedlineOp.DELETE, keep(part.old or "")),)
    elif part.old is None:
        ops = ((RedlineOp.INSERT, keep(part.new)),)
    else:  # unchanged (or changed in whitespace only)
        ops = ((RedlineOp.EQUAL, keep(part.new)),)
    return Entry(EntryKind.PART, ops=ops, change=part.kind, part=part.part)


def _as_is(text: str) -> str:
    return text


def _points(
    change: Change, result: DiffResult, moves: wording.PointsAsItems, short: bool
) -> list[tuple[int, Entry]]:
    """The change's entry, by its first new point's index; a change of several new points
    (a split) an entry for each, so that each stands in its own place in the new text."""
    described = not all(r.verbatim for r in change.old + change.new)
    notes = tuple(_notes(change, result, moves, described))
    ops = list(_ops(change, described))
    if len(change.new) < 2:
        entry = Entry(
            EntryKind.POINT,
            ops=tuple(ops),
            label=_label(change.new, short),
            notes=notes,
            change=change.kind,
            described=described,
            old_side_only=not change.new,
        )
        return [(change.new[0].index if change.new else 0, entry)]
    if change.redline is not None and not described:
        pieces = _cut(change.redline.ops, [r.text for r in change.new])
        old_parts = [r.text for r in change.old]
        texts = [tuple(reflow.reflow_ops(piece, old_parts)) for piece in pieces]
    else:
        texts = [((RedlineOp.INSERT, reflow.reflow(r.text)),) for r in change.new]
        texts[0] = ((RedlineOp.DELETE, _texts(change.old)), (RedlineOp.EQUAL, "\n"), *texts[0])
    return [
        (
            ref.index,
            Entry(
                EntryKind.POINT,
                ops=piece,
                label=_label((ref,), short),
                notes=notes,
                change=change.kind,
                described=described,
            ),
        )
        for ref, piece in zip(change.new, texts, strict=True)
    ]


def _cut(
    ops: Sequence[tuple[RedlineOp, str]], parts: Sequence[str]
) -> list[list[tuple[RedlineOp, str]]]:
    """A redline whose new side is ``parts`` joined by line breaks, cut into one redline per
    part (the joining breaks left out; deleted text goes with the part it stands in)."""
    ends: list[int] = []
    at = 0
    for text in parts[:-1]:
        at += len(text)
        ends.append(at)
        at += 1
    out: list[list[tuple[RedlineOp, str]]] = [[] for _ in parts]
    part = pos = 0
    for op, text in ops:
        if op is RedlineOp.DELETE:
            out[part].append((op, text))
            continue
        while text:
            if part < len(ends) and pos + len(text) > ends[part]:
                head = ends[part] - pos
                if head:
                    out[part].append((op, text[:head]))
                text = text[head + 1 :]  # the break that joined the parts
                pos = ends[part] + 1
                part += 1
                continue
            out[part].append((op, text))
            pos += len(text)
            text = ""
    return out


def _label(refs: Sequence[PointRef], short: bool) -> str:
    """``3``, ``6 + 7``, ``—`` for none; within a division, its own number when ``short``."""
    labels = [wording.point_label(r) for r in refs]
    if short:
        labels = [label.rpartition(" › ")[2] for label in labels]
    return " + ".join(labels) or "—"


def _texts(refs: Sequence[PointRef]) -> str:
    return "\n".join(reflow.reflow(r.text) for r in refs)


def _ops(change: Change, described: bool) -> Iterator[tuple[RedlineOp, str]]:
    """The point's text with its changes: its redline where one compares the plan's words,
    else the old text struck and the new one inserted whole."""
    kind = change.kind
    match kind:
        case ChangeKind.UNCHANGED | ChangeKind.UNREPORTED:
            # Unreported: shown as it stands, neither struck nor inserted: nobody reported it
            # removed or added.
            yield (RedlineOp.EQUAL, _texts(change.new or change.old))
        case ChangeKind.ADDED:
            yield (RedlineOp.INSERT, _texts(change.new))
        case ChangeKind.REMOVED | ChangeKind.DEFERRED:
            # A deferred point is not in the new text either: struck, and its note says why.
            yield (RedlineOp.DELETE, _texts(change.old))
        case ChangeKind.REWORDED | ChangeKind.MERGED | ChangeKind.SPLIT | ChangeKind.REPLACED:
            if change.redline is not None and not described and kind is not ChangeKind.REPLACED:
                old_parts = [r.text for r in change.old]
                new_parts = [r.text for r in change.new]
                yield from reflow.reflow_ops(change.redline.ops, old_parts, new_parts)
            else:
                yield (RedlineOp.DELETE, _texts(change.old))
                yield (RedlineOp.EQUAL, "\n")
                yield (RedlineOp.INSERT, _texts(change.new))
        case _:
            assert_never(kind)


def _notes(
    change: Change, result: DiffResult, moves: wording.PointsAsItems, described: bool
) -> Iterator[str]:
    """What happened to the point beyond its words, as short as a margin note."""
    old = wording.side_label(change.old)
    kind = change.kind
    match kind:
        case ChangeKind.UNCHANGED | ChangeKind.REWORDED:
            pass
        case ChangeKind.REPLACED:
            yield "replaced: little wording in common"
        case ChangeKind.MERGED:
            yield f"merged from {old}"
        case ChangeKind.SPLIT:
            yield f"split from {old}"
        case ChangeKind.ADDED | ChangeKind.REMOVED:
            word = "added" if kind is ChangeKind.ADDED else f"removed: was {old}"
            where = wording.point_as_item_phrase(change, moves)
            yield f"{word} {where}" if where else word
        case ChangeKind.DEFERRED:
            yield f"deferred: was {old}, {wording.deferral_phrase(change)}"
        case ChangeKind.UNREPORTED:
            other = result.old if change.new else result.new
            was = f"was {old}; " if change.old else ""
            yield f"unreported: {was}{wording.why_unreported(other)}"
        case _:
            assert_never(kind)
    both = change.old and change.new
    if both and change.moved:
        yield "moved" if kind in (ChangeKind.MERGED, ChangeKind.SPLIT) else f"moved from {old}"
    elif both and change.renumbered and kind not in (ChangeKind.MERGED, ChangeKind.SPLIT):
        yield f"was {old}"
    if change.heading_moved:
        context = wording.heading_context(change)
        yield f"heading: {context}" if context else "moved between headings"
    if described:
        yield "described"
    for b in change.brackets:  # the struck brackets alone would not say the text is agreed
        yield wording.bracket_phrase(b)
    # An item that moved shows in the redlines only as a deletion in one place and an
    # insertion in another: its note says it is the same item.
    # (A point that was an item, or became one, says so already.)
    whole = {r.path or r.key for r in change.old + change.new}
    for n in wording.shown_nested(change):
        if n.moved and n.old and n.new and whole.isdisjoint(n.old + n.new):
            yield f"item {wording.nested_label(n)} {', '.join(wording.nested_words(n))}"
