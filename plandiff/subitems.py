"""Sub-items inside a point (``4.3``, ``(b)``, ``(ii)``, ``a)``), and which of them a redline
touches, so that a one-word change in a two-page article can be found: "changed in (b), (d)".

Pure and linear: a pattern tried at line starts, and one after a colon or semicolon (where
legal texts run their sub-items into one paragraph: "as follows: (a) …; (b) …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from operator import itemgetter
from typing import NamedTuple

from plandiff.result import Redline, RedlineOp

__all__ = ["SubItem", "changed_subitems", "subitems"]

#: A label at the start of a line (after any indent and bullet); tried only at line starts.
_LINE_LABEL = re.compile(
    r"""
    [ \t]*(?:[-*•][ \t]+)?(?P<label>
        \((?:[a-z]|[ivxlc]{1,6}|\d{1,3}[a-z]?)\)(?=[ \t])     # (b)  (ii)  (3)  (3a)
      | (?:[a-z]|[ivxlc]{1,6})\)(?=[ \t])                     # b)  ii)
      | [a-z]\.(?=[ \t])                                      # b.
      | \d{1,3}(?:\.\d{1,3})+\.(?=[ \t])                      # 4.3.
      | \d{1,3}(?:\.\d{1,3})+(?=[ \t]+["'“(A-Z])              # 4.3 The (not 3.5 million)
    )
    """,
    re.VERBOSE,
)
#: A bracketed label run into a paragraph after a colon or semicolon: "as follows: (a) …".
#: It opens with the punctuation, so re scans for that character before trying the rest.
_INLINE_LABEL = re.compile(r"[:;][ \t](\((?:[a-z]|[ivxlc]{1,6}|\d{1,3})\))(?=[ \t])")


class SubItem(NamedTuple):
    """A sub-item: its label as written and the span of the text it heads (to the next one)."""

    label: str
    start: int
    end: int


def subitems(text: str) -> list[SubItem]:
    """The sub-items of a point's text, in order; an item runs to the next label."""
    # Two passes, each far cheaper than one pattern tried at every character: the line labels
    # only where a line starts (a point has one or two lines), the inline ones only from a
    # colon or semicolon, and only when the text has a bracket at all. The two never overlap
    # (a line label holds no colon; an inline one starts after a space, never at a line
    # start), so sorting by start merges them as one scan would have found them.
    found = [
        (m["label"], m.start())
        for start in _line_starts(text)
        if (m := _LINE_LABEL.match(text, start))
    ]
    if "(" in text:
        found += [(m[1], m.start(1)) for m in _INLINE_LABEL.finditer(text)]
        found.sort(key=itemgetter(1))
    return [
        SubItem(label, start, found[k + 1][1] if k + 1 < len(found) else len(text))
        for k, (label, start) in enumerate(found)
    ]


def _line_starts(text: str) -> list[int]:
    """Where each line of ``text`` starts: 0 and after every line feed."""
    starts = [0]
    at = text.find("\n")
    while at >= 0:
        starts.append(at + 1)
        at = text.find("\n", at + 1)
    return starts


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


def changed_subitems(redline: Redline) -> tuple[str, ...]:
    """Labels of the sub-items whose wording the redline changes, new labels first in their
    order, then those only the old text has; changes of whitespace alone do not count."""
    old_items, new_items = subitems(redline.old_text), subitems(redline.new_text)
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
