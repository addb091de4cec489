"""A redline cut into rows that pair corresponding pieces, as Wikipedia's diff view does.

Two columns wrapped independently drift apart: a sub-item added on one side pushes every
line after it down, and item ``(c)`` of the old text ends up beside ``(d)`` of the new. So the
side-by-side view is laid out row by row instead. The pieces are the lines a redline keeps
after reflowing (:func:`~plandiff.render.reflow.reflow_ops`): sub-items, paragraphs and the
parts of a merged or split change, each starting on a line of its own.

The rows come from the redline's own structure, so no text is re-parsed: a line break both
sides keep (an unchanged one) closes a row on both sides at once; between two such breaks, an
old line and a new line stand in one row when they share unchanged words. Lines that share
words with several lines of the other side make one row with several lines a side (the parts
of a merge beside the whole); a line with no unchanged word has a row of its own with the
other side's cell empty (a removed item on the old side, an added one on the new). Rows keep
both texts' order, so reading either column top to bottom reads that text.

Pure: ops in, rows out; :mod:`~plandiff.render.redline` draws them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from plandiff.render.reflow import label_length
from plandiff.result import RedlineOp

__all__ = ["Row", "rows"]

#: One piece of a line: the operation, its text (no line break), and which op it came from.
Piece = tuple[RedlineOp, str, int]


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the side-by-side view: the old lines and the new lines that correspond,
    each a sequence of (operation, text) pieces; a side with no lines is an empty cell."""

    old: tuple[tuple[tuple[RedlineOp, str], ...], ...] = ()
    new: tuple[tuple[tuple[RedlineOp, str], ...], ...] = ()


@dataclass(slots=True)
class _Line:
    side: int  # 0 old, 1 new
    start: int  # index of the op it starts in, to keep the texts' order
    pieces: list[Piece] = field(default_factory=list)

    def words(self) -> tuple[dict[int, int], int]:
        """How many letters and digits each unchanged op gives this line, and how many the
        line has in all; its list-item label (``(b)``, ``7.4``) counts in neither, being
        where it stands rather than what it says."""
        skip = label_length("".join(text for _, text, _ in self.pieces))
        shared: dict[int, int] = {}
        total = 0
        for op, text, at in self.pieces:
            part, skip = text[skip:], max(0, skip - len(text))
            count = sum(1 for ch in part if ch.isalnum())
            total += count
            if op is RedlineOp.EQUAL and count:
                shared[at] = shared.get(at, 0) + count
        return shared, total


def rows(ops: Sequence[tuple[RedlineOp, str]]) -> list[Row]:
    """The rows of a (reflowed) redline, in the order of both texts."""
    out: list[Row] = []
    for old_lines, new_lines in _stretches(ops):
        out.extend(_pair(old_lines, new_lines))
    return out


def _stretches(ops: Sequence[tuple[RedlineOp, str]]) -> list[tuple[list[_Line], list[_Line]]]:
    """The lines of each side, cut at the line breaks, grouped into stretches between the
    breaks both sides keep."""
    stretches: list[tuple[list[_Line], list[_Line]]] = []
    done: tuple[list[_Line], list[_Line]] = ([], [])
    current = [_Line(0, 0), _Line(1, 0)]

    def close(side: int, at: int) -> None:
        done[side].append(current[side])
        current[side] = _Line(side, at)

    for at, (op, text) in enumerate(ops):
        sides = (0, 1) if op is RedlineOp.EQUAL else (0,) if op is RedlineOp.DELETE else (1,)
        for n, chunk in enumerate(text.split("\n")):
            if n:
                for side in sides:
                    close(side, at)
                if op is RedlineOp.EQUAL:  # a break both sides keep: the stretch ends here
                    stretches.append(done)
                    done = ([], [])
            if chunk:
                for side in sides:
                    line = current[side]
                    if not line.pieces:
                        line.start = at
                    line.pieces.append((op, chunk, at))
    for side in (0, 1):
        if current[side].pieces:
            done[side].append(current[side])
    if done[0] or done[1]:
        stretches.append(done)
    return stretches


def _pair(old_lines: list[_Line], new_lines: list[_Line]) -> list[Row]:
    """The rows of one stretch: lines linked by the unchanged words they share (and every
    line between two linked ones of its side) form one row; the others a row each."""
    if len(old_lines) == 1 and len(new_lines) == 1:  # most stretches: one line a side
        return [_row(old_lines, new_lines)]
    links = _links(old_lines, new_lines)
    groups: list[tuple[list[int], list[int]]] = []  # (old indices, new indices), in order
    for j, linked in enumerate(links):
        if not linked:
            continue
        if groups and groups[-1][0] and linked[0] <= groups[-1][0][-1]:
            olds, news = groups[-1]
            olds.extend(range(olds[-1] + 1, linked[-1] + 1))
            news.extend(range(news[-1] + 1, j + 1))
        else:
            groups.append((list(range(linked[0], linked[-1] + 1)), [j]))
    out: list[Row] = []
    i = j = 0
    for olds, news in groups:
        out.extend(_alone(old_lines[i : olds[0]], new_lines[j : news[0]]))
        out.append(_row([old_lines[k] for k in olds], [new_lines[k] for k in news]))
        i, j = olds[-1] + 1, news[-1] + 1
    out.extend(_alone(old_lines[i:], new_lines[j:]))
    return out


def _links(old_lines: list[_Line], new_lines: list[_Line]) -> list[list[int]]:
    """For each new line, the old lines it goes with: those it shares unchanged words with
    that make at least half of the words of one of the two (so ``(b) by card`` does not go
    with ``(b) by cheque`` for the shared ``by``, while ``(c) by cheque`` does)."""
    old_words = [line.words() for line in old_lines]
    links: list[list[int]] = []
    for line in new_lines:
        shared, total = line.words()
        linked = []
        for i, (theirs, their_total) in enumerate(old_words):
            common = sum(min(n, theirs[at]) for at, n in shared.items() if at in theirs)
            if common and 2 * common >= min(total, their_total):
                linked.append(i)
        links.append(linked)
    return links


def _alone(old_lines: list[_Line], new_lines: list[_Line]) -> list[Row]:
    """Lines that correspond to nothing on the other side: a row each, in text order (an
    old line before a new one that starts in the same place)."""
    lines = sorted([*old_lines, *new_lines], key=lambda line: (line.start, line.side))
    return [_row([line], []) if line.side == 0 else _row([], [line]) for line in lines]


def _row(old_lines: Sequence[_Line], new_lines: Sequence[_Line]) -> Row:
    def side(lines: Sequence[_Line]) -> tuple[tuple[tuple[RedlineOp, str], ...], ...]:
        return tuple(tuple((op, text) for op, text, _ in line.pieces) for line in lines)

    return Row(old=side(old_lines), new=side(new_lines))
