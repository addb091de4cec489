"""Sub-items inside a point (``4.3``, ``(b)``, ``(ii)``, ``a)``), and which of them a redline
touches, so that a one-word change in a two-page article can be found: "changed in (b), (d)".

Pure and linear: a flat view of the labels :mod:`plandiff.tree` reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from plandiff import tree
from plandiff.result import Redline, RedlineOp

__all__ = ["SubItem", "changed_subitems", "subitems"]


class SubItem(NamedTuple):
    """A sub-item: its label as written and the span of the text it heads (to the next one)."""

    label: str
    start: int
    end: int


def subitems(text: str) -> list[SubItem]:
    """The sub-items of a point's text, in order; an item runs to the next label.

    The labels are :func:`plandiff.tree.labels`, less those only the tree reads (bare
    bullets, capitals, list numbers, keyword labels, chains, labels in Markdown marks or at a
    line's end): a report names the lower-case labels a reader quotes; a line label's item
    starts where its line does.
    """
    found = [
        (lab.text, lab.start if lab.indent is None else text.rfind("\n", 0, lab.start) + 1)
        for lab in tree.labels(text)
        if _named(text, lab)
    ]
    return [
        SubItem(label, start, found[k + 1][1] if k + 1 < len(found) else len(text))
        for k, (label, start) in enumerate(found)
    ]


#: The labels a report names: lower-case letters, roman numerals and numbers in brackets,
#: ``b)``, ``b.``, decimals (not a list's ``1.``).
_NAMED = re.compile(
    r"\((?:[a-z]|[ivxlc]{1,6}|\d{1,3}[a-z]?)\)|(?:[a-z]|[ivxlc]{1,6})\)|[a-z]\.|\d{1,3}(?:\.\d{1,3})+\.?"
)
_LINE_START = re.compile(r"[ \t]*(?:[-*•][ \t]+)?")


def _named(text: str, lab: tree.Label) -> bool:
    """Whether a label the tree reads is one a report names: of those forms, followed by a
    space or tab, and standing at its line's start (after any indent and bullet) or run in
    after ``:`` or ``;`` and a space."""
    end = lab.start + len(lab.text)
    if _NAMED.fullmatch(lab.text) is None or text[end : end + 1] not in (" ", "\t"):
        return False
    if lab.indent is None:
        if lab.text[1].isdigit() and lab.text[-2].isalpha():
            return False  # "(3a)" is named at a line's start only
        return lab.start >= 2 and text[lab.start - 2] in ":;" and text[lab.start - 1] in " \t"
    line = text.rfind("\n", 0, lab.start) + 1
    return _LINE_START.fullmatch(text, line, lab.start) is not None


def _touched(items: Sequence[SubItem], spans: Sequence[tuple[int, int]]) -> list[str]:
    """Labels of the items that a changed span (start, end) overlaps or, when empty, falls in."""
    out = []
    for item in items:
        for start, end in spans:
            if (start < item.end and item.start < end) or (
                start == end and item.start < start < item.end
            ):
                out.append(item.label)
                break
    return out


def changed_subitems(redline: Redline, texts: tuple[str, str] | None = None) -> tuple[str, ...]:
    """Labels of the sub-items whose wording the redline changes, new labels first in their
    order, then those only the old text has; changes of whitespace alone do not count.

    ``texts`` are the old and new texts the redline rebuilds, from a caller that has them at
    hand: rebuilding them from the redline's parts is most of the cost of a short point."""
    old_text, new_text = texts or (redline.old_text, redline.new_text)
    if tree.plain(old_text) and tree.plain(new_text):
        return ()  # no labels at all: one match each, not a pass for labels of every kind
    old_items, new_items = subitems(old_text), subitems(new_text)
    if not old_items and not new_items:
        return ()
    old_spans: list[tuple[int, int]] = []
    new_spans: list[tuple[int, int]] = []
    o = n = 0
    for op, text in redline.ops:
        if op is RedlineOp.EQUAL:
            o, n = o + len(text), n + len(text)
        elif op is RedlineOp.DELETE:
            if not text.isspace():
                old_spans.append((o, o + len(text)))
                new_spans.append((n, n))
            o += len(text)
        else:
            if not text.isspace():
                new_spans.append((n, n + len(text)))
                old_spans.append((o, o))
            n += len(text)
    labels = dict.fromkeys(_touched(new_items, new_spans))
    labels.update(dict.fromkeys(_touched(old_items, old_spans)))
    return tuple(labels)
