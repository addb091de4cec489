"""Merges and splits, from asymmetric containment: old points mostly contained in one new
point, near each other, that together explain it better than any one of them (mirror: split).

Plain Python over the candidate pairs that pass the containment bar, grouped by their whole;
both alignment paths hand those groups over in the same order.
"""

from __future__ import annotations

import operator
from collections.abc import Sequence
from typing import Protocol

from plandiff.align.records import AlignSettings

__all__ = ["PartBags", "Wholes", "combine", "union_fit"]

#: For one side ("new": wholes on the new side, parts old; "old": the mirror), each whole
#: (residual position) with its candidate parts as (part, containment, dice), parts ascending;
#: wholes ascending, each with at least two parts.
Wholes = list[tuple[int, list[tuple[int, float, float]]]]


class PartBags(Protocol):
    """What merges and splits need from a residual: its points and their weighted stems."""

    def point(self, side: str, pos: int) -> int:
        """The point index ("old" or "new" side) at a residual position."""

    def bag(self, side: str, pos: int) -> dict[int, float]:
        """Stem → weight of the point at a residual position, stems ascending."""


def union_fit(
    res: PartBags, whole_side: str, whole: int, part_side: str, parts: Sequence[int]
) -> tuple[float, float]:
    """(coverage of the whole by the parts' union, Dice of union and whole), residual positions."""
    union: dict[int, float] = {}
    for p in parts:
        union.update(res.bag(part_side, p))
    return _fit(res.bag(whole_side, whole), union)


def _fit(whole_bag: dict[int, float], union: dict[int, float]) -> tuple[float, float]:
    """:func:`union_fit` of a union already built (the parts' bags merged in their order)."""
    covered = sum([v for c, v in whole_bag.items() if c in union])
    size_whole = sum(whole_bag.values())
    total = size_whole + sum(union.values())
    coverage = covered / size_whole if size_whole > 0 else 0.0
    return coverage, (2 * covered / total if total > 0 else 0.0)


_dice = operator.itemgetter(1)


def combine(
    res: PartBags,
    sides: Sequence[tuple[str, Wholes]],
    matched: dict[int, int],
    settings: AlignSettings,
) -> list[tuple[float, str, int, tuple[int, ...]]]:
    """Merge and split proposals as (score, whole side, whole, parts), in residual positions.

    ``sides`` holds the candidate wholes of each side (whole side "new", then "old"), their
    parts at least as contained as :func:`weak_bar`. ``matched`` maps residual old position
    to residual new position for the 1:1 pairs; a part may be unmatched or matched to the
    whole itself, never taken from another pair.

    Two kinds of evidence beyond the rule above. A paraphrased part, less contained than the
    threshold, still joins when it stands beside a part that is (a merge's rewritten half) and
    the parts together explain the whole: their union covers at least the containment threshold
    of it. The paraphrase may be the part most like the whole (a split's longer half, reworded,
    shares more of the whole's words than a short half that kept its own); the group then
    grows only side by side from it and must hold a part clearly inside the whole. And a whole
    that holds every part nearly verbatim (far containment) is a merge or split even when much
    of it is new text, so its Dice with the union falls short of the match threshold: the parts
    are there, word for word.
    """
    matched_new = {j: i for i, j in matched.items()}
    proposals: list[tuple[float, str, int, tuple[int, ...]]] = []
    for whole_side, wholes in sides:
        part_side = "old" if whole_side == "new" else "new"
        partners = matched if part_side == "old" else matched_new
        for whole, candidates in wholes:
            parts = [
                (contained, dice, p)
                for p, contained, dice in candidates
                if (partner := partners.get(p)) is None or partner == whole
            ]
            if len(parts) < 2:
                continue
            # Strongest first: a part earns its place only by covering more of the whole (a
            # stable sort: parts come in ascending order, and so stay among equals).
            parts.sort(key=_dice, reverse=True)
            if all(c < settings.containment_threshold for c, _d, _p in parts):
                continue  # no part is clearly inside the whole
            # The union of the chosen parts' bags grows by one part at a time, in the order
            # union_fit would merge them, so every sum is the same. Built when a second part
            # first passes the tests of place (most wholes have none: a fifth of the time).
            whole_bag: dict[int, float] = {}
            union: dict[int, float] | None = None
            coverage = fit = 0.0  # of the chosen parts' union
            chosen = [parts[0][2]]
            at = [res.point(part_side, parts[0][2])]
            # The part most like the whole may be a paraphrase: then only its neighbours, side
            # by side, may join it (a part further off is another point's text).
            weak_parts = paraphrased_seed = parts[0][0] < settings.containment_threshold
            for c, _d, p in parts[1:]:
                point = res.point(part_side, p)
                near = any(abs(point - q) <= settings.part_window for q in at)
                if not near and c < settings.far_containment_threshold:
                    continue
                beside = any(abs(point - q) == 1 for q in at)
                if (c < settings.containment_threshold or paraphrased_seed) and not beside:
                    continue  # a paraphrased part stands right beside a chosen one
                if union is None:
                    whole_bag = res.bag(whole_side, whole)
                    union = dict(res.bag(part_side, parts[0][2]))
                    coverage, fit = _fit(whole_bag, union)
                grown = dict(union)
                grown.update(res.bag(part_side, p))
                gain, grown_fit = _fit(whole_bag, grown)
                # A part beside the others and almost wholly inside the whole is strong
                # evidence on its own, so a short one ("Prisoners will be exchanged.") may add
                # less. Far away, a short text of common words is inside any long point.
                needed = settings.min_part_gain
                if near and c >= settings.far_containment_threshold:
                    needed /= 3
                if c < settings.containment_threshold:
                    needed = max(needed, 2 * settings.min_part_gain)
                if gain - coverage >= needed:
                    chosen.append(p)
                    at.append(point)
                    union = grown
                    coverage, fit = gain, grown_fit
                    weak_parts = weak_parts or c < settings.containment_threshold
            if (
                union is None
                or len(chosen) < 2
                or all(c < settings.containment_threshold for c, _d, p in parts if p in chosen)
            ):
                continue
            best_single = max(d for _c, d, p in parts if p in chosen)
            if fit <= best_single:
                continue
            if weak_parts:
                # Paraphrased parts: together they must explain the whole.
                accept = (
                    fit >= settings.match_threshold and coverage >= settings.containment_threshold
                )
            else:
                verbatim = all(
                    c >= settings.far_containment_threshold for c, _d, p in parts if p in chosen
                )
                accept = fit >= settings.match_threshold or (
                    verbatim and fit >= settings.positional_threshold
                )
            if accept:
                proposals.append((fit, whole_side, whole, tuple(sorted(chosen))))
    proposals.sort(key=lambda t: (-t[0], t[1], t[2], t[3]))
    return proposals


def weak_bar(settings: AlignSettings) -> float:
    """The least containment a merge or split part needs: a paraphrased part needs at least
    the positional prior's similarity of its own."""
    return min(settings.positional_threshold, settings.containment_threshold)
