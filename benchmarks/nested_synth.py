"""Seeded nested document pairs with exact ground truth at every level, for ``nested.py``.

Five kinds of document, all drawn from a contract vocabulary with Zipf word frequencies (legal
function words, a middle band of contract terms, a long tail of names and technical terms, and
figures), so that sibling items are told apart by their rarer words as real clauses are:

- ``clauses``: numbered clauses (``7. PAYMENT``) whose bodies are a paragraph, several
  paragraphs, decimal sub-clauses (``7.1``, now and then ``7.1.2``), or a lettered list; sub-clauses
  carry lettered lists (``(a)`` or ``a)``), lettered items roman lists (``(i)`` or ``i)``);
- ``schedules``: fewer clauses, then schedules or annexes that restart the numbering
  (``SCHEDULE 1 - SERVICES`` then ``1.``, ``2.``), whose items have sub-items of their own;
- ``unnumbered``: plain paragraphs and nothing else;
- ``bills`` and ``articles``: US bills (``SEC. 2.``, ``(a) In General.—``, ``(1)``, ``(A)``,
  ``(i)``, ``(I)``) and agreements of ``ARTICLE 7`` over ``Section 7.01`` (see
  :mod:`nested_legal`).

The new version is the old one edited at every level: rewordings (light and heavy), changed
figures, insertions and deletions (which renumber the following siblings), moves within a
parent, moves of a sub-item to another clause or into a schedule (reworded or not), merges of
two sibling items, splits of one, and clauses or paragraphs moved at the top level. Every node
keeps the identity of the old nodes it came from, so the truth (links, moves, renumbers,
merges, splits) is derived from identities, never from the texts, and named in the brief's
path format (``7.1(b)(ii)``, ``Schedule 1 › 3.2``, ``¶ 8``, ``7 ¶ 2``).

Only the standard library's seeded :class:`random.Random` is used, so a (kind, seed, index)
gives the same pair on every machine.
"""

from __future__ import annotations

import random

from nested_docs import (
    Builder,
    Division,
    Item,
    NestedPair,
    children_of,
    moved_by_order,
    old_document,
    own_label,
    parents,
    render,
)
from nested_edits import Editor, Rates, draw_style
from nested_legal import KINDS as LEGAL_KINDS
from nested_legal import LegalBuilder, legal_document, legal_style

__all__ = [
    "KINDS",
    "REGROUPED",
    "Item",
    "NestedPair",
    "Rates",
    "generate",
    "moved_by_order",
    "own_label",
]

KINDS = ("clauses", "schedules", "unnumbered", *LEGAL_KINDS, "regrouped")
#: The rates of ``regrouped``: clauses documents with whole clauses folded into another
#: clause's list and sub-items promoted to clauses, besides every other edit.
REGROUPED = Rates(top_fold=0.08, sub_promote=0.03)


def generate(kind: str, seed: int, index: int = 0, rates: Rates | None = None) -> NestedPair:
    """The ``index``-th pair of ``kind`` for ``seed``: old text, new text and the truth."""
    if kind not in KINDS:
        raise ValueError(f"unknown document kind {kind!r}: expected one of {', '.join(KINDS)}")
    rng = random.Random(f"plandiff-nested/{kind}/{seed}/{index}")
    if kind in LEGAL_KINDS:
        b: Builder = LegalBuilder(rng)
        assert isinstance(b, LegalBuilder)
        old = legal_document(kind, b)
        style = legal_style(kind, rng, draw_style(rng))
    else:
        b = Builder(rng)
        old = old_document("clauses" if kind == "regrouped" else kind, b)
        style = draw_style(rng)
    editor = Editor(old, b, rates or (REGROUPED if kind == "regrouped" else Rates()))
    editor.assign()
    new = editor.build()
    editor.regroup(new)
    editor.move_across(new)
    editor.move_within(new)
    editor.insert(new)
    old_text, old_items = render(old, style)
    new_text, new_items = render(new, style)
    return _truth(kind, seed, index, editor, old, new, old_text, new_text, old_items, new_items)


def _truth(
    kind: str,
    seed: int,
    index: int,
    editor: Editor,
    old: list[Division],
    new: list[Division],
    old_text: str,
    new_text: str,
    old_items: list[tuple[Item, int]],
    new_items: list[tuple[Item, int]],
) -> NestedPair:
    old_path = {uid: item.path for item, uid in old_items}
    new_item = {uid: item for item, uid in new_items}
    old_item = {uid: item for item, uid in old_items}
    split = frozenset(editor.split_origins)
    links: set[tuple[str, str]] = set()
    merges: list[tuple[tuple[str, ...], str]] = []
    parts: dict[int, list[str]] = {}
    moved: set[tuple[str, str]] = set()
    renumbered: set[tuple[str, str]] = set()
    new_parent = parents(new)
    order_cache: dict[int, set[int]] = {}
    origin_of = {n.uid: n.origin for d in new for t in d.nodes for n in t.walk()}
    for item, uid in new_items:
        node_origin = origin_of[uid]
        for o in node_origin:
            links.add((old_path[o], item.path))
        if len(node_origin) > 1:
            merges.append((tuple(old_path[o] for o in node_origin), item.path))
            continue
        if not node_origin:
            continue
        (o,) = node_origin
        if o in split:
            parts.setdefault(o, []).append(item.path)
            continue
        pair = (old_path[o], item.path)
        old_label, new_label = old_item[o].label, item.label
        if old_label and new_label and old_label != new_label:
            renumbered.add(pair)
        parent = new_parent[uid]
        counterpart = editor.counterpart(parent, new)
        if counterpart is None or editor.old_parent[o] is not counterpart:
            moved.add(pair)
            continue
        key = id(parent)
        if key not in order_cache:
            order_cache[key], _ = moved_by_order(
                children_of(parent), children_of(counterpart), split
            )
        if uid in order_cache[key]:
            moved.add(pair)
    intended = frozenset((old_path[o], new_item[n].path) for o, n in editor.intended)
    # A clause folded into another's list reads at the top level as a merge of the two, a
    # promoted item as a split of its clause: links and groups accepted, not required.
    accepted: set[tuple[str, str]] = set()
    merged_into: dict[str, set[str]] = {}  # new host clause → old clauses (the host's too)
    split_from: dict[str, set[str]] = {}  # old clause → new clauses (its own too)
    top_uid = {item.path: uid for item, uid in new_items if not item.level}
    for o, n in editor.regrouped:
        if old_item[o].level == 0:  # folded: old clause → new item of the host clause
            host = new_item[n].top
            own = {old_path[u] for u in origin_of.get(top_uid.get(host, -1), ())}
            merged_into.setdefault(host, own).add(old_path[o])
            accepted.add((old_path[o], host))
        else:  # promoted: old item → new clause
            source = old_item[o].top
            own = {
                item.path
                for item, uid in new_items
                if not item.level and any(old_path.get(u) == source for u in origin_of[uid])
            }
            split_from.setdefault(source, own).add(new_item[n].path)
            accepted.add((source, new_item[n].path))
    groups = {(frozenset(olds), frozenset([host])) for host, olds in merged_into.items()}
    groups |= {(frozenset([source]), frozenset(news)) for source, news in split_from.items()}
    edits = tuple(
        " ".join(
            [verb]
            + ([old_path[o]] if o is not None else [])
            + (["→", new_item[n].path] if n is not None else [])
        )
        for verb, o, n in editor.events
    )
    return NestedPair(
        kind=kind,
        seed=seed,
        index=index,
        old_text=old_text,
        new_text=new_text,
        old_items=tuple(item for item, _ in old_items),
        new_items=tuple(item for item, _ in new_items),
        links=frozenset(links),
        moved=frozenset(moved),
        renumbered=frozenset(renumbered),
        merges=tuple(merges),
        splits=tuple((old_path[o], tuple(paths)) for o, paths in parts.items() if len(paths) > 1),
        intended_moves=intended,
        accepted_links=frozenset(accepted - links),
        accepted_groups=frozenset(groups),
        edits=edits,
    )
