"""The residual's answer settled: merges and splits override the 1:1 pairs they absorb, then
the positional prior pairs what is left between stable neighbours, in two passes.

Shared by both alignment paths (numpy's and the plain one), which hand over the same
proposals, pairs and scores.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from plandiff.align.exact import pair_kind
from plandiff.align.gaps import GapScorer, gap_fill
from plandiff.align.order import MatchedKeys, stable_pins
from plandiff.align.records import AlignSettings, Group
from plandiff.result import ChangeKind

__all__ = ["Settled", "settle"]


class Settled(NamedTuple):
    """The groups the residual adds and, when the positional prior's last look found nothing
    to add, the matched groups then kept in place: positions among the matched keys followed
    by the groups' (what the move flags need, so they are not looked for again)."""

    groups: list[Group]
    kept: list[int] | None


def settle(
    proposals: Sequence[tuple[float, str, int, tuple[int, ...]]],
    one_to_one: Sequence[tuple[int, int]],
    dice_at: Callable[[int, int], float],
    scorer: GapScorer,
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: Sequence[int],
    res_new: Sequence[int],
    matched: MatchedKeys,
    n_exact: int,
    settings: AlignSettings,
) -> Settled:
    """The groups the residual adds: merges and splits (best first), the 1:1 pairs they leave
    (``dice_at`` scores one by residual positions), then pairs in order between neighbours.

    Proposals and pairs are in residual positions; the groups are by point index.
    ``matched`` holds the keys of the curated groups (changes by definition), then those of
    the ``n_exact`` exact pairs.
    """
    taken_o: set[int] = set()
    taken_n: set[int] = set()
    groups: list[Group] = []
    for fit, whole_side, whole, parts in proposals:
        olds = parts if whole_side == "new" else (whole,)
        news = (whole,) if whole_side == "new" else parts
        if any(o in taken_o for o in olds) or any(n in taken_n for n in news):
            continue
        taken_o.update(olds)
        taken_n.update(news)
        kind = ChangeKind.MERGED if whole_side == "new" else ChangeKind.SPLIT
        groups.append(
            (
                kind,
                tuple(int(res_old[o]) for o in olds),
                tuple(int(res_new[n]) for n in news),
                round(fit, 6),
            )
        )
    for o, n in one_to_one:
        if o in taken_o or n in taken_n:
            continue
        taken_o.add(o)
        taken_n.add(n)
        i, j = int(res_old[o]), int(res_new[n])
        groups.append((pair_kind(norm_old, norm_new, i, j), (i,), (j,), round(dice_at(o, n), 6)))

    # Positional prior for what is left, between stable neighbours.
    done_o = {i for g in groups for i in g[1]}
    done_n = {j for g in groups for j in g[2]}
    left_o = [int(i) for i in res_old if int(i) not in done_o]
    left_n = [int(j) for j in res_new if int(j) not in done_n]
    base_identical = [False] * (len(matched.new) - n_exact) + [True] * n_exact
    # Two passes: pairs found in the first narrow the gaps, and a lone point may then turn out
    # to sit between two paraphrased neighbours.
    for _ in range(2):
        keys = matched.plus((g[1], g[2]) for g in groups)
        pins = stable_pins(keys)
        identical = base_identical + [g[0] is ChangeKind.UNCHANGED for g in groups]
        found = gap_fill(scorer, pins, identical, left_o, left_n, settings)
        for i, j, d in found:
            groups.append((pair_kind(norm_old, norm_new, i, j), (i,), (j,), round(d, 6)))
        if not found:
            return Settled(groups, pins[0])
        paired_o = {i for i, _, _ in found}
        paired_n = {j for _, j, _ in found}
        left_o = [i for i in left_o if i not in paired_o]
        left_n = [j for j in left_n if j not in paired_n]
    return Settled(groups, None)
