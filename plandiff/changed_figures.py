"""Which figures changed in a redline: the numbers, dates and durations a reader must check.

A figure belongs to the first changed stretch it reaches; figures of the same kind in one
stretch are paired in order and reported unless they say the same thing (see
:func:`substantive_changes`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence, Set
from itertools import zip_longest

from plandiff import tree
from plandiff.figures import KINDS, Figure, canonical, figures
from plandiff.result import Redline, RedlineOp, Substantive

__all__ = ["changed_figures", "substantive_changes"]


#: A stretch of a text: (start, end).
_Span = tuple[int, int]

_EQUAL, _DELETE = RedlineOp.EQUAL, RedlineOp.DELETE  # an enum member's look-up is not free


def substantive_changes(redline: Redline) -> tuple[Substantive, ...]:
    """The numbers, amounts, percentages, dates and durations that differ in a redline.

    Quantities are found in the whole old and new texts, so context outside a change counts
    ("within 100 days" is one duration even when only "100" changed). A quantity belongs to the
    first changed region it overlaps; for a pure insertion or deletion, the region's point must
    fall strictly inside it, so "30 days" → "30 days later" changes no quantity. A quantity that
    a region reaches and that also spans unchanged text brings along the quantity over that text
    on the other side ("30 days" → "after 30 days" is one duration that changed). Within a
    region, old and new quantities of the same kind are paired in order; pairs that say the
    same thing ("six months" and "6 months", "600,000" and "600 000") are dropped. What is left
    is reported in region order, then text order, with ``old=None`` for an addition and
    ``new=None`` for a removal.
    """
    if not redline.changed:
        return ()
    return changed_figures(redline.old_text, redline.new_text, redline.ops)


def changed_figures(
    old: str,
    new: str,
    parts: Sequence[tuple[RedlineOp, str]],
    old_tokens: Sequence[str] | None = None,
    new_tokens: Sequence[str] | None = None,
    candidates: Set[str] | None = None,
    places: tuple[Sequence[int], Sequence[int]] | None = None,
) -> tuple[Substantive, ...]:
    """:func:`substantive_changes` of the redline ``parts`` of ``old`` and ``new``, reading
    the figures from the texts' tokens when the caller has them (see
    :func:`~plandiff.figures.figures` for ``candidates`` and for ``places``, here one
    sequence for each text)."""
    if (candidates is not None and not candidates) or (places is not None and not any(places)):
        return ()  # no token of either text can begin a figure
    old_places, new_places = places or (None, None)
    old_spans, new_spans, equal = _regions(parts)
    # Only the figures near a change can be reached or pulled in (a figure over unchanged
    # text far from every change has its twin on the other side, and neither is reported).
    old_found = figures(old, old_tokens, candidates, near=old_spans, places=old_places)
    new_found = figures(new, new_tokens, candidates, near=new_spans, places=new_places)
    old_quantities, new_quantities = _not_labels(old, old_found), _not_labels(new, new_found)
    if not old_quantities and not new_quantities:
        return ()
    old_region = _assign(old_quantities, old_spans)
    new_region = _assign(new_quantities, new_spans)
    if not old_region and not new_region:
        return ()  # no change reaches a figure, so none is pulled in either
    _pull(old_quantities, old_region, new_quantities, new_region, equal)
    _pull(new_quantities, new_region, old_quantities, old_region, [(n, o, k) for o, n, k in equal])

    by_region: dict[int, tuple[list[Figure], list[Figure]]] = {}
    for i, r in sorted(old_region.items()):
        by_region.setdefault(r, ([], []))[0].append(old_quantities[i])
    for i, r in sorted(new_region.items()):
        by_region.setdefault(r, ([], []))[1].append(new_quantities[i])

    found: list[tuple[tuple[int, int, int, int], Substantive]] = []
    for r, (olds, news) in by_region.items():
        old_start, new_start = old_spans[r][0], new_spans[r][0]
        present = {q.kind for q in olds}.union(q.kind for q in news)
        for kind_order, kind in enumerate(KINDS):
            if kind not in present:
                continue
            pairs = zip_longest(
                [q for q in olds if q.kind is kind], [q for q in news if q.kind is kind]
            )
            for was, now in pairs:
                if was and now and canonical(was.text) == canonical(now.text):
                    continue
                if was:
                    position = (was.start - old_start, 0)
                else:
                    assert now is not None  # zip_longest pads one side only
                    position = (now.start - new_start, 1)
                item = Substantive(
                    kind=kind,
                    old=was.text if was else None,
                    new=now.text if now else None,
                    not_mentioned=False,
                )
                found.append(((r, *position, kind_order), item))
    found.sort(key=lambda item: item[0])
    return _without_moved(tuple(s for _, s in found))


def _without_moved(found: tuple[Substantive, ...]) -> tuple[Substantive, ...]:
    """The figures without those that only moved: one dropped in one place and the same
    figure added in another ("4 per cent" carried past a merged paragraph) did not change."""
    dropped: dict[tuple[object, str], list[int]] = {}
    for k, s in enumerate(found):
        if s.new is None and s.old is not None:
            dropped.setdefault((s.kind, canonical(s.old)), []).append(k)
    if not dropped:
        return found
    gone: set[int] = set()
    for k, s in enumerate(found):
        if s.old is None and s.new is not None:
            twins = dropped.get((s.kind, canonical(s.new)))
            if twins:
                gone.update((twins.pop(0), k))
    return tuple(s for k, s in enumerate(found) if k not in gone) if gone else found


def _not_labels(text: str, quantities: list[Figure]) -> list[Figure]:
    """The quantities that are not a sub-item's label: ``4.3`` opening a line numbers a
    sub-clause, and a sub-clause renumbered is a change of structure (reported among the
    point's nested changes), not a changed figure."""
    if not quantities or tree.plain(text):  # most points: one line, no label to read
        return quantities
    spans = [(lab.start, lab.start + len(lab.text)) for lab in tree.labels(text)]
    if not spans:
        return quantities
    starts = [start for start, _ in spans]
    kept = []
    for q in quantities:
        k = bisect_right(starts, q.start) - 1
        if k < 0 or q.end > spans[k][1]:
            kept.append(q)
    return kept


def _regions(
    parts: Sequence[tuple[RedlineOp, str]],
) -> tuple[list[_Span], list[_Span], list[tuple[int, int, int]]]:
    """Where each run of non-equal parts (a changed region) sits in the old text and in the new
    (one list each, in step), and the equal parts as (old start, new start, length)."""
    old_spans: list[_Span] = []
    new_spans: list[_Span] = []
    equal: list[tuple[int, int, int]] = []
    old_pos = new_pos = 0
    old_start = new_start = -1  # where the region being read starts; -1: none is
    for op, text in parts:
        size = len(text)
        if op is _EQUAL:
            if old_start >= 0:
                old_spans.append((old_start, old_pos))
                new_spans.append((new_start, new_pos))
                old_start = -1
            equal.append((old_pos, new_pos, size))
            old_pos += size
            new_pos += size
            continue
        if old_start < 0:
            old_start, new_start = old_pos, new_pos
        if op is _DELETE:
            old_pos += size
        else:
            new_pos += size
    if old_start >= 0:
        old_spans.append((old_start, old_pos))
        new_spans.append((new_start, new_pos))
    return old_spans, new_spans, equal


def _assign(quantities: Sequence[Figure], spans: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Index of each quantity → index of the first region span it reaches (both in order)."""
    assigned: dict[int, int] = {}
    r = 0
    for i, q in enumerate(quantities):
        while r < len(spans):
            start, end = spans[r]
            if end <= q.start:
                r += 1  # wholly before this quantity, and so before every later one
                continue
            # An empty span (a pure insertion or deletion on the other side) is a point, which
            # reaches a quantity only strictly inside it: "30 days" + " later" is no change.
            inside = q.start < end and start < q.end if start < end else q.start < start < q.end
            if inside:
                assigned[i] = r
            break
    return assigned


def _pull(
    quantities: Sequence[Figure],
    region_of: dict[int, int],
    others: Sequence[Figure],
    other_region_of: dict[int, int],
    equal: Sequence[tuple[int, int, int]],
) -> None:
    """Give each reached quantity's counterpart over unchanged text the same region.

    ``equal`` maps this side to the other, in order: (start here, start there, length).
    """
    equal_ends = [here + size for here, _, size in equal]
    other_starts = [q.start for q in others]
    for i, r in list(region_of.items()):
        q = quantities[i]
        for k in range(bisect_right(equal_ends, q.start), len(equal)):
            here, there, size = equal[k]
            if here >= q.end:
                break
            low = max(q.start, here) - here + there
            high = min(q.end, here + size) - here + there
            # Quantities on the other side are in order and do not overlap.
            j = max(bisect_right(other_starts, low) - 1, 0)
            while j < len(others) and others[j].start < high:
                if j not in other_region_of and low < others[j].end:
                    other_region_of[j] = r
                j += 1
