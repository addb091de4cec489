"""Hard-wrapped plan text laid out as paragraphs for a report of another width.

Plan texts are often wrapped at a fixed width; shown in a terminal of another width (or as
Markdown) those line breaks make ragged lines. These functions join the lines of a paragraph
and keep the breaks that mean something, in plain text and in a redline's parts alike, so the
terminal and Markdown reports reflow the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from plandiff.result import RedlineOp

__all__ = ["label_length", "reflow", "reflow_ops"]

_ITEM_START = re.compile(
    r"[ \t]*(?:[-*+•–—·▪◦]|\(?(?:\d{1,3}|[a-z]|[ivxlc]{1,6})[.)]|\(\d{1,3}\)"
    r"|\d{1,3}(?:\.\d{1,2})+\.?)[ \t]",
    re.I,
)


def label_length(line: str) -> int:
    """How many characters of a line its list-item label takes (``(b) ``, ``7.1 ``, ``- ``);
    0 when the line starts no item."""
    found = _ITEM_START.match(line)
    return found.end() if found else 0


def _joins(texts: Sequence[str], joined: str) -> set[int]:
    """Offsets of the line breaks that join the parts of a merged or split side."""
    if len(texts) < 2 or "\n".join(texts) != joined:
        return set()
    out, at = set(), 0
    for t in texts[:-1]:
        at += len(t)
        out.add(at)
        at += 1
    return out


def reflow_ops(
    ops: Sequence[tuple[RedlineOp, str]],
    old_parts: Sequence[str] = (),
    new_parts: Sequence[str] = (),
) -> list[tuple[RedlineOp, str]]:
    """Redline parts with hard-wrapped lines joined by spaces, for display.

    Plan texts are often wrapped at a fixed width; shown in a terminal of another width (or as
    Markdown) those breaks make ragged lines. A break is kept where it means something: a blank
    line between paragraphs, a line that starts a list item, and the boundary between the parts
    of a merged or split change (``old_parts``/``new_parts``: the part texts of each side).
    """
    old_text = "".join(t for op, t in ops if op is not RedlineOp.INSERT)
    new_text = "".join(t for op, t in ops if op is not RedlineOp.DELETE)
    old_joins, new_joins = _joins(old_parts, old_text), _joins(new_parts, new_text)
    combined = "".join(t for _, t in ops)
    out: list[tuple[RedlineOp, str]] = []
    old_pos = new_pos = pos = 0
    # After a break joined into a space, the next line's indentation goes too (it may start in
    # the next part): a re-wrapped, indented text reads as one paragraph, not "shall    withdraw".
    indent = False

    def piece(text: str) -> str:
        nonlocal indent
        if indent:
            stripped = text.lstrip(" \t")
            indent = not stripped
            return stripped
        return text

    for op, text in ops:
        if "\n" not in text and "\r" not in text:  # most parts: no line break to look at
            out.append((op, piece(text) if indent else text))
        else:
            pieces: list[str] = []
            last = 0
            for found in _BREAK.finditer(
                text
            ):  # only the breaks are looked at, not every character
                i = found.start()
                k = pos + i
                pieces.append(piece(text[last:i]))
                last = i + 1
                if text[i] == "\r":
                    if combined[k + 1 : k + 2] != "\n":
                        pieces.append(piece("\r"))  # a lone CR is kept; in CRLF the LF decides
                    continue
                joined = (op is not RedlineOp.INSERT and old_pos + i in old_joins) or (
                    op is not RedlineOp.DELETE and new_pos + i in new_joins
                )
                j = k - 1  # the last character before the break, CRs skipped
                while j >= 0 and combined[j] == "\r":
                    j -= 1
                before = combined[j] if j >= 0 else ""
                paragraph = before == "\n" or combined[k + 1 : k + 2] in ("\n", "\r")
                # A list item starts the next line of a side that has the break (on the
                # combined text, "(" + deleted "c" + inserted "b" + ")" would start none).
                item = (
                    op is not RedlineOp.INSERT and _ITEM_START.match(old_text, old_pos + i + 1)
                ) or (op is not RedlineOp.DELETE and _ITEM_START.match(new_text, new_pos + i + 1))
                kept = joined or paragraph or item or not before
                pieces.append("\n" if kept else " ")
                indent = not kept
            pieces.append(piece(text[last:]))
            out.append((op, "".join(pieces)))
        pos += len(text)
        if op is not RedlineOp.INSERT:
            old_pos += len(text)
        if op is not RedlineOp.DELETE:
            new_pos += len(text)
    return _tidy(out)


#: What :func:`reflow_ops` looks at in a text.
_BREAK = re.compile("[\r\n]")


def _tidy(ops: list[tuple[RedlineOp, str]]) -> list[tuple[RedlineOp, str]]:
    """Whitespace that a deletion and the insertion beside it share is shown once, unchanged.

    Re-wrapping a text turns line breaks into spaces and back; once lines are joined, a
    deleted break next to an inserted space is no change a reader needs to see.
    """
    out: list[tuple[RedlineOp, str]] = []
    i = 0
    while i < len(ops):
        op, text = ops[i]
        nxt = ops[i + 1] if i + 1 < len(ops) else None
        if (
            op is not RedlineOp.EQUAL
            and nxt is not None
            and {op, nxt[0]}
            == {
                RedlineOp.DELETE,
                RedlineOp.INSERT,
            }
        ):
            a, b = text, nxt[1]
            if not a.strip() and not b.strip():
                # Only whitespace changed (a text re-wrapped): shown once, as the new text has it.
                both = (a, b) if op is RedlineOp.DELETE else (b, a)  # (old, new)
                shown = "\n" if any("\n" in t for t in both) else " " if any(both) else ""
                out.append((RedlineOp.EQUAL, shown))
                i += 2
                continue
            head = a[: len(a) - len(a.lstrip())] if b[:1].isspace() else ""
            a, b = (a.lstrip(), b.lstrip()) if head else (a, b)
            tail = a[len(a.rstrip()) :] if b[-1:].isspace() else ""
            a, b = (a.rstrip(), b.rstrip()) if tail else (a, b)
            out += [(RedlineOp.EQUAL, head), (op, a), (nxt[0], b), (RedlineOp.EQUAL, tail)]
            i += 2
            continue
        out.append((op, text))
        i += 1
    merged: list[tuple[RedlineOp, str]] = []
    for op, text in out:
        if not text:
            continue
        if merged and merged[-1][0] is op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def reflow(text: str) -> str:
    """One text with hard-wrapped lines joined (see :func:`reflow_ops`)."""
    return "".join(t for _, t in reflow_ops([(RedlineOp.EQUAL, text)]))
