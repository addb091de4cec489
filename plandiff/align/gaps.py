"""The positional prior: leftover points paired in order between consecutive stable matches.

A rewrite keeps the order, so between the same two matched neighbours leftover points are
paired in order with a lower threshold (a heaviest increasing chain), and a lone point on each
side between two paraphrased neighbours whatever its wording. A gap too big to compare in full
offers the pairs already scored and a narrow band of pairs in order, so its cost stays linear.

Plain Python over the few points left at this stage; the scores come from the residual's
scorer (numpy's or the plain one, which agree to the bit).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Protocol

from plandiff.align.order import heaviest_chain
from plandiff.align.records import AlignSettings

__all__ = ["BAND", "GapScorer", "gap_fill"]

#: In a gap too big to compare in full, each old point is also compared with the new points
#: this close to its place in order (its rank scaled to the other side): thousands of points
#: that all read alike share no rare stem, and would otherwise never be paired at all.
BAND = 8


class GapScorer(Protocol):
    """What the positional prior needs from a residual: scores, and the pairs already scored."""

    def dice_of(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        """Similarity of each (old point, new point) pair."""

    def scored_in_gaps(
        self,
        left_o: Sequence[int],
        g_o: Sequence[int],
        left_n: Sequence[int],
        g_n: Sequence[int],
        gaps: Sequence[int],
    ) -> list[tuple[int, int]]:
        """The candidate pairs already scored whose two points are both left over in one of
        ``gaps`` (points by index, their gaps beside them), ordered by old then new point."""


def gap_fill(
    scorer: GapScorer,
    pins: tuple[list[int], list[int], list[int]],
    identical: Sequence[bool],
    left_o: Sequence[int],
    left_n: Sequence[int],
    settings: AlignSettings,
) -> list[tuple[int, int, float]]:
    """Pair leftover points (ascending indices) in order between consecutive stable matches:
    ``pins`` is :func:`~plandiff.align.order.stable_pins` of the matched groups, ``identical``
    says which of those are unchanged.

    In each gap a heaviest in-order chain of pairs with at least ``positional_threshold`` is
    taken. A gap holding exactly one point on each side whose stable neighbours are rewordings
    (not identical texts) is paired whatever its wording: the surrounding text is a paraphrase,
    so a lone point between two paraphrased neighbours is the same point paraphrased harder.
    Between identical neighbours the same lone pair is more likely a point replaced by another.
    """
    if not left_o or not left_n:
        return []
    stable, pin_old, pin_new = pins
    g_o = [bisect.bisect_left(pin_old, i) for i in left_o]
    g_n = [bisect.bisect_left(pin_new, j) for j in left_n]
    by_gap_o: dict[int, list[int]] = {}
    for i, g in zip(left_o, g_o, strict=True):
        by_gap_o.setdefault(g, []).append(i)
    by_gap_n: dict[int, list[int]] = {}
    for j, g in zip(left_n, g_n, strict=True):
        by_gap_n.setdefault(g, []).append(j)

    def paraphrased(g: int) -> bool:
        around = stable[max(g - 1, 0) : g + 1]  # the neighbours that exist
        return bool(around) and not any(identical[k] for k in around)

    todo: list[tuple[int, int]] = []
    lone: set[tuple[int, int]] = set()
    big: list[int] = []
    for g, olds in by_gap_o.items():
        news = by_gap_n.get(g)
        if not news:
            continue
        if len(olds) == 1 and len(news) == 1 and paraphrased(g):
            lone.add((olds[0], news[0]))
        if len(olds) * len(news) <= settings.dense_gap_limit:
            todo.extend((i, j) for i in olds for j in news)
        else:  # too big to compare in full: the pairs scored already, and a band in order
            big.append(g)
            for k, i in enumerate(olds):
                centre = k * len(news) // len(olds)
                todo.extend((i, j) for j in news[max(0, centre - BAND) : centre + BAND + 1])
    if big:
        todo.extend(scorer.scored_in_gaps(left_o, g_o, left_n, g_n, big))
        todo = list(dict.fromkeys(todo))
    if not todo:
        return []
    dice = scorer.dice_of(todo)
    pairs_by_gap: dict[int, list[tuple[int, int, float]]] = {}
    gap_of_old = dict(zip(left_o, g_o, strict=True))
    for (i, j), d in zip(todo, dice, strict=True):
        if d >= settings.positional_threshold or (i, j) in lone:
            pairs_by_gap.setdefault(gap_of_old[i], []).append((i, j, d))
    found: list[tuple[int, int, float]] = []
    for g in sorted(pairs_by_gap):
        edges = sorted(pairs_by_gap[g], key=lambda e: (e[1], -e[0]))
        chain = heaviest_chain([e[0] for e in edges], [e[2] + 1e-9 for e in edges])
        found.extend(edges[k] for k in chain)
    return found
