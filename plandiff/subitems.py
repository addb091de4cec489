"""Sub-items inside a point (``4.3``, ``(b)``, ``(ii)``, ``a)``), and which of them a redline
touches, so that a one-word change in a two-page article can be found: "changed in (b), (d)".

Pure and linear: one pattern anchored at line starts (and after a colon or semicolon, where
legal texts run their sub-items into one paragraph: "as follows: (a) …; (b) …").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from plandiff.result import Redline, RedlineOp

__all__ = ["SubItem", "changed_subitems", "subitems"]

_LABEL = re.compile(
    r"""
    ^[ \t]*(?:[-*•][ \t]+)?(?P<line>
        \((?:[a-z]|[ivxlc]{1,6}|\d{1,3}[a-z]?)\)(?=[ \t])     # (b)  (ii)  (3)  (3a)
      | (?:[a-z]|[ivxlc]{1,6})\)(?=[ \t])                     # b)  ii)
      | [a-z]\.(?=[ \t])                                      # b.
      | \d{1,3}(?:\.\d{1,3})+\.(?=[ \t])                      # 4.3.
      | \d{1,3}(?:\.\d{1,3})+(?=[ \t]+["'“(A-Z])              # 4.3 The (not 3.5 million)
    )
    | (?<=[:;][ \t])(?P<inline>\((?:[a-z]|[ivxlc]{1,6}|\d{1,3})\))(?=[ \t])
    """,
    re.MULTILINE | re.VERBOSE,
)


class SubItem(NamedTuple):
    """A sub-item: its label as written and the span of the text it heads (to the next one)."""

    label: str
    start: int
    end: int


def subitems(text: str) -> list[SubItem]:
    """The sub-items of a point's text, in order; an item runs to the next label."""
    found = [(m.group("line") or m.group("inline"), m.start()) for m in _LABEL.finditer(text)]
    return [
        SubItem(label, start, found[k + 1][1] if k + 1 < len(found) else len(text))
        for k, (label, start) in enumerate(found)
    ]


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
