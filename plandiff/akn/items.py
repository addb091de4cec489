"""The items inside a point (``7.1``, ``(b)``, bullets, paragraphs) as AKN hierarchy elements,
named by the eIds the passive modifications use for them.

A point's text is cut where :func:`plandiff.tree.items` finds its items: the text before the
first item is the point's ``intro``; each item is an element of its own (``point`` for a
labelled item, ``indent`` for an unlabelled bullet, ``alinea`` for a paragraph) with its label
as written in ``num``, and its own text (up to its first child, or to the next item) in
``intro`` when it has children, else in ``content``. Every character of the text lands in
exactly one ``num`` or ``p``, in order, so those texts joined rebuild the point's text exactly:
nothing is trimmed, the line breaks and indentation between items included.

An item's eId is its parent's, ``__``, and one part for its own place
(:func:`~plandiff.akn.naming.item_part`: ``point_b``, ``point_1``, ``indent_2``, ``al_3``), as
the naming convention builds a hierarchy's; the diff's modifications look the eIds up here by
path, so whatever a modification names is an element of its document.

Pure: text and names in, a small immutable tree out.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from plandiff import tree
from plandiff.akn.naming import item_part

__all__ = ["ItemElement", "PointBody", "item_eids", "point_body"]

#: The element each eId part's stem names.
_TAGS = {"point": "point", "indent": "indent", "al": "alinea"}


@dataclass(frozen=True, slots=True)
class ItemElement:
    """One item as an element: its tag, eId, path, label as written (None when the text
    does not write one: a paragraph), its own text, and its children."""

    tag: str
    eid: str
    path: str
    num: str | None
    text: str
    children: tuple[ItemElement, ...]


@dataclass(frozen=True, slots=True)
class PointBody:
    """A point's text as its intro (the text before its first item) and its items."""

    intro: str
    items: tuple[ItemElement, ...]

    def texts(self) -> Iterator[str]:
        """The texts of the ``num`` and ``p`` elements, in document order."""
        yield self.intro
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            if item.num is not None:
                yield item.num
            yield item.text
            stack.extend(reversed(item.children))

    def elements(self) -> Iterator[ItemElement]:
        """Every item, in document order."""
        stack = list(reversed(self.items))
        while stack:
            item = stack.pop()
            yield item
            stack.extend(reversed(item.children))


def _preorder(items: tuple[tree.Item, ...]) -> Iterator[tree.Item]:
    stack = list(reversed(items))
    while stack:
        item = stack.pop()
        yield item
        stack.extend(reversed(item.children))


def _written_label(text: str, item: tree.Item) -> str | None:
    """The item's label as the text writes it at the item's start, or None when it is not
    written there (a paragraph's ordinal)."""
    if item.label == "•":
        return text[item.start] if text[item.start : item.start + 1] in ("-", "*", "•") else None
    if text.startswith(item.label, item.start):
        return item.label
    return None


def point_body(text: str, parent_path: str, point_eid: str) -> PointBody | None:
    """The point's text as its items, or None when it has none (or when its items' spans
    would not rebuild it, which :mod:`plandiff.tree` does not produce: the text is then
    written whole)."""
    found = tree.items(text, parent_path)
    if not found:
        return None
    # Each item's own text runs from its label to the next item's start, in document order.
    order = list(_preorder(found))
    starts = [item.start for item in order]
    if starts[0] < 0 or any(b <= a for a, b in itertools.pairwise(starts)):
        return None
    ends = dict(zip(map(id, order), [*starts[1:], len(text)], strict=True))
    taken: set[str] = set()

    def build(
        items: tuple[tree.Item, ...], parent: str, parent_eid: str
    ) -> tuple[ItemElement, ...]:
        out = []
        for item in items:
            part = item_part(item.path, parent, item.label)
            eid = f"{parent_eid}__{part}"
            if eid in taken:  # a label written twice under one parent: kept apart
                n = 2
                while f"{eid}-{n}" in taken:
                    n += 1
                eid = f"{eid}-{n}"
            taken.add(eid)
            num = _written_label(text, item)
            own = item.start + (len(num) if num is not None else 0)
            out.append(
                ItemElement(
                    tag=_TAGS[part.partition("_")[0]],
                    eid=eid,
                    path=item.path,
                    num=num,
                    text=text[own : ends[id(item)]],
                    children=build(item.children, item.path, eid),
                )
            )
        return tuple(out)

    body = PointBody(text[: starts[0]], build(found, parent_path, point_eid))
    if "".join(body.texts()) != text:
        return None
    return body


def item_eids(
    texts: Mapping[str, tuple[str, str]],
) -> dict[str, str]:
    """Path → eId of every item of the points given (point path → (text, point eId)), and of
    the points themselves; where two items share a path, the first one's."""
    out = {path: eid for path, (_, eid) in texts.items()}
    for path, (text, eid) in texts.items():
        body = point_body(text, path, eid)
        if body is not None:
            for item in body.elements():
                out.setdefault(item.path, item.eid)
    return out
