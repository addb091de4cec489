"""Which points of two plan versions correspond: unchanged, reworded, merged, split, added, removed.

Pure: texts in, an immutable tuple of :class:`Correspondence` out; no I/O and no state that
could change a result (the one cache, of word stems, only saves time).

The pipeline is built so that cost grows near-linearly with the number of points (a 30,000-point
code must align in a second or two), which rules out comparing all pairs:

1. **Exact anchors.** Points identical after :func:`normalise` are paired by hash. Texts unique in
   both versions pin the bulk (patience diff); repeated texts ("Repealed.") are paired inside the
   gap between the same two pinned neighbours, then in order.
2. **Candidates.** The rest is tokenised into crude stems weighted by IDF (the version is the
   collection). Prefix filtering on an inverted index proposes a few partners per point
   anywhere in the other version (moved points): each point offers its rarest stems, and two
   renderings of one point share those. Every pair inside a small gap between pinned
   neighbours is added, so in-place rewrites are always considered. The work is budgeted.
3. **Global 1:1 assignment.** A sparse linear assignment (LAPJVsp) maximises total similarity
   with a small bonus for staying in the same gap; greedy first-come matching would let an early
   weak pair steal a later point's true partner. A second round takes the confident pairs as
   pins too (without exact anchors, as between two outlets, the first round sees one huge gap),
   compares the now small gaps in full, each leftover with the pairs around it, and each
   leftover's rare stems with every point of the other side, then assigns again.
4. **Merges and splits** come from asymmetric containment: old points mostly contained in one new
   point, near each other, that together explain it better than any one of them (mirror: split).
5. **Positional prior.** Between consecutive stable matches, leftover points are aligned in order
   with a lower threshold (a heaviest increasing chain), because a rewrite keeps the order; a
   lone point on each side between two paraphrased neighbours is paired whatever its wording.
   A gap too big to compare in full offers the pairs already scored and a narrow band of pairs
   in order, so its cost stays linear.
   So the same plan told by two outlets aligns point for point with little shared wording.
6. **Moves** are the matched groups outside a heaviest increasing subsequence of old positions in
   new order (:func:`detect_moves`), so renumbering alone never counts as a move.

Deterministic: no iteration over sets or hash order of strings, stable sorts, ties broken by index.

One module per stage: :mod:`~plandiff.align.exact` (1), :mod:`~plandiff.align.candidates` (2),
:mod:`~plandiff.align.assignment` (3), :mod:`~plandiff.align.merges` (4),
:mod:`~plandiff.align.gaps` (5), :mod:`~plandiff.align.order` (6); :mod:`~plandiff.align.residual`
runs steps 2–5 over numpy arrays (sparse rows: :mod:`~plandiff.align.stem_rows`), and
:mod:`~plandiff.align.plain` runs them in plain Python for a residual of at most
:data:`PLAIN_LIMIT` points, where importing numpy would cost more than the whole alignment.
Both give the same result, to the bit. scipy is imported only for a rival group too big to
enumerate (:mod:`~plandiff.align.assignment`).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import TYPE_CHECKING

from plandiff.align.exact import check_fixed, exact_pairs
from plandiff.align.order import MatchedKeys, detect_moves, matched_keys, stable_flags
from plandiff.align.records import DEFAULT_SETTINGS, AlignSettings, Correspondence, Group
from plandiff.align.wording import normalise, normalise_all, similarity
from plandiff.result import ChangeKind

if TYPE_CHECKING:
    from plandiff.align.settle import Settled

__all__ = [
    "DEFAULT_SETTINGS",
    "PLAIN_LIMIT",
    "AlignSettings",
    "Correspondence",
    "align",
    "detect_moves",
    "normalise",
    "similarity",
]

#: Residuals of at most this many points (old and new together) are aligned in plain Python:
#: below it, importing numpy and scipy (about 0.4 s) costs more than the plain path's
#: slower arithmetic (benchmarks/README.md, "Plain or arrays").
PLAIN_LIMIT = 400


def align(
    old: Sequence[str],
    new: Sequence[str],
    *,
    fixed: Sequence[tuple[Sequence[int], Sequence[int]]] = (),
    settings: AlignSettings = DEFAULT_SETTINGS,
) -> tuple[Correspondence, ...]:
    """Correspondences covering every point not in ``fixed`` exactly once.

    ``fixed`` groups (curated relations; an empty side is a dropped or added point) are never
    paired again but count as matched neighbours for moves and the positional prior. The result
    is ordered by new position; a removed point stands after the correspondence of the old point
    before it.
    """
    n_old, n_new = len(old), len(new)
    fixed_old, fixed_new, fixed_groups = check_fixed(fixed, n_old, n_new)
    norm_old = normalise_all(old)
    # Most points of a new version are unchanged: a text the old version has is looked up, not
    # normalised again (a fifth of the time of the two passes).
    known = dict(zip(old, norm_old, strict=True))
    norm_new = [n if (n := known.get(t)) is not None else normalise(t) for t in new]

    used_old, used_new = fixed_old, fixed_new
    exact = exact_pairs(norm_old, norm_new, used_old, used_new)
    for i, j in exact:
        used_old[i] = used_new[j] = True
    # One pair of sides per exact pair, for the answer.
    exact_groups = [((i,), (j,)) for i, j in exact]
    # The keys of the matched groups, curated then exact, for the order of what comes after.
    matched = matched_keys((o, n) for o, n in fixed_groups if o and n)
    matched.new.extend([j for _, j in exact])
    matched.old.extend([i for i, _ in exact])
    matched.size.extend([2] * len(exact))

    found: list[Group] = []
    kept: list[int] | None = None  # the matched groups in place, when the residual found them
    if not all(used_old) and not all(used_new):  # points left on both sides
        res_old = [i for i, u in enumerate(used_old) if not u]
        res_new = [j for j, u in enumerate(used_new) if not u]
        found, kept = _align_residual(
            norm_old, norm_new, res_old, res_new, matched, exact, settings
        )
        for g in found:
            for i in g[1]:
                used_old[i] = True
            for j in g[2]:
                used_new[j] = True
    found += [(ChangeKind.REMOVED, (i,), (), None) for i, u in enumerate(used_old) if not u]
    found += [(ChangeKind.ADDED, (), (j,), None) for j, u in enumerate(used_new) if not u]
    return _finish(exact_groups, found, fixed_groups, matched, kept, n_old, n_new)


def _finish(
    exact: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    groups: list[Group],
    fixed_groups: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    matched: MatchedKeys,
    kept: list[int] | None,
    n_old: int,
    n_new: int,
) -> tuple[Correspondence, ...]:
    """Flag moves over all matched groups and order the correspondences for reading: each at
    its first new point, a removed point right after the correspondence of the nearest
    earlier old point that has a counterpart (in old order among themselves).

    ``exact`` holds the sides of the exact pairs (unchanged by definition), ``groups`` the
    rest: kept apart, the bulk of a version needs no group record of its own. ``matched``
    holds the keys of the curated groups with both sides, then of the exact pairs; ``kept``,
    when known, the positions of those in place among them and the matched ``groups``.
    """
    at = [k for k, g in enumerate(groups) if g[1] and g[2]]
    keys = matched.plus((groups[k][1], groups[k][2]) for k in at)
    if kept is None:
        stable = stable_flags(keys.new, keys.old, keys.size)
    else:
        stable = [False] * len(keys.new)
        for k in kept:
            stable[k] = True
    rest = len(matched.new)
    n_fixed = rest - len(exact)
    records = [
        Correspondence(kind=ChangeKind.UNCHANGED, old=o, new=n, similarity=1.0, moved=not keep)
        for (o, n), keep in zip(exact, stable[n_fixed:rest], strict=True)
    ]
    at_new: list[Correspondence | None] = [None] * n_new
    # The bulk, the exact pairs, placed by their keys (one point a side).
    for j, c in zip(keys.new[n_fixed:rest], records, strict=True):
        at_new[j] = c
    moved = [False] * len(groups)
    for k, keep in zip(at, stable[rest:], strict=True):
        moved[k] = not keep
    removed: list[Correspondence] = []
    for (kind, o, n, score), m in zip(groups, moved, strict=True):
        c = Correspondence(kind=kind, old=o, new=n, similarity=score, moved=m)
        if n:
            at_new[n[0]] = c
        else:
            removed.append(c)
    if not removed:
        return tuple([c for c in at_new if c is not None])
    landed = [-1] * n_old  # the first new point of each old point's group, -1 for none
    for i, j in zip(keys.old[n_fixed:rest], keys.new[n_fixed:rest], strict=True):
        landed[i] = j
    for o, n in chain([(o, n) for o, n in fixed_groups if o and n], [groups[k][1:3] for k in at]):
        for i in o:
            landed[i] = n[0]
    after: dict[int, list[Correspondence]] = {}  # where removed points go, in old order
    placed, walked = -1, 0
    for c in removed:  # ascending old points
        for i in range(walked, c.old[0]):
            if landed[i] >= 0:
                placed = landed[i]
        walked = c.old[0]
        after.setdefault(placed, []).append(c)
    ordered = after.get(-1, [])
    for j, here in enumerate(at_new):
        if here is not None:
            ordered.append(here)
        if j in after:
            ordered += after[j]
    return tuple(ordered)


def _align_residual(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: list[int],
    res_new: list[int],
    matched: MatchedKeys,
    exact: list[tuple[int, int]],
    settings: AlignSettings,
) -> Settled:
    """Steps 2–5 on the points exact matching left over: in plain Python for a small residual
    (unless it needs scipy's solver after all), else over arrays, importing numpy then."""
    if len(res_old) + len(res_new) <= PLAIN_LIMIT:
        from plandiff.align import plain

        found = plain.align_residual(norm_old, norm_new, res_old, res_new, matched, exact, settings)
        if found is not None:
            return found
    import numpy as np

    from plandiff.align import residual

    return residual.align_residual(
        norm_old,
        norm_new,
        np.array(res_old, dtype=np.int64),
        np.array(res_new, dtype=np.int64),
        matched,
        exact,
        settings,
    )
