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

from collections.abc import Iterable, Sequence

from plandiff.align.exact import check_fixed, exact_pairs
from plandiff.align.order import detect_moves, stable_flags
from plandiff.align.records import DEFAULT_SETTINGS, AlignSettings, Correspondence, Group
from plandiff.align.wording import normalise, similarity
from plandiff.result import ChangeKind

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
    norm_old = [normalise(t) for t in old]
    # Most points of a new version are unchanged: a text the old version has is looked up, not
    # normalised again (a fifth of the time of the two passes).
    known = dict(zip(old, norm_old, strict=True))
    norm_new = [n if (n := known.get(t)) is not None else normalise(t) for t in new]

    used_old, used_new = fixed_old, fixed_new
    exact = exact_pairs(norm_old, norm_new, used_old, used_new)
    result: list[Group] = [(ChangeKind.UNCHANGED, (i,), (j,), 1.0) for i, j in exact]
    for i, j in exact:
        used_old[i] = used_new[j] = True

    matched_groups = [(o, n) for o, n in fixed_groups if o and n]
    matched_groups += [((i,), (j,)) for i, j in exact]

    if not all(used_old) and not all(used_new):  # points left on both sides
        res_old = [i for i, u in enumerate(used_old) if not u]
        res_new = [j for j, u in enumerate(used_new) if not u]
        found = _align_residual(
            norm_old, norm_new, res_old, res_new, matched_groups, exact, settings
        )
        for g in found:
            for i in g[1]:
                used_old[i] = True
            for j in g[2]:
                used_new[j] = True
        result += found
    result += [(ChangeKind.REMOVED, (i,), (), None) for i, u in enumerate(used_old) if not u]
    result += [(ChangeKind.ADDED, (), (j,), None) for j, u in enumerate(used_new) if not u]
    return _finish(result, fixed_groups, n_old)


def _finish(
    groups: list[Group],
    fixed_groups: Iterable[tuple[tuple[int, ...], tuple[int, ...]]],
    n_old: int,
) -> tuple[Correspondence, ...]:
    """Flag moves over all matched groups and order the correspondences for reading."""
    sides = [(o, n) for o, n in fixed_groups] + [(g[1], g[2]) for g in groups]
    n_fixed = len(sides) - len(groups)
    # First old and first new point of each group (sides are ascending), -1 for none.
    first_old = [o[0] if o else -1 for o, _ in sides]
    first_new = [n[0] if n else -1 for _, n in sides]
    matched = [k for k, (o, n) in enumerate(sides) if o and n]
    stable = stable_flags(
        [first_new[k] for k in matched],
        [first_old[k] for k in matched],
        [float(len(sides[k][0]) + len(sides[k][1])) for k in matched],
    )
    moved = [False] * len(sides)
    for k, keep in zip(matched, stable, strict=True):
        moved[k] = not keep
    # Where each old point landed (its group's first new point), and for each old point where
    # the nearest earlier old point with a counterpart landed: a removed point stands there.
    landed = [-1] * n_old
    for o, n in sides:
        if n:
            for i in o:
                landed[i] = n[0]
    after = []  # after[i]: landing of the last placed old point before i
    last = -1
    for i in range(n_old):
        after.append(last)
        if landed[i] >= 0:
            last = landed[i]
    keys = [
        (f_new, 0, 0) if f_new >= 0 else (after[max(f_old, 0)], 1, f_old)
        for f_old, f_new in zip(first_old[n_fixed:], first_new[n_fixed:], strict=True)
    ]
    order = sorted(range(len(groups)), key=keys.__getitem__)
    flags = moved[n_fixed:]
    return tuple(
        Correspondence(
            kind=groups[k][0],
            old=groups[k][1],
            new=groups[k][2],
            similarity=groups[k][3],
            moved=flags[k],
        )
        for k in order
    )


def _align_residual(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: list[int],
    res_new: list[int],
    matched_groups: list[tuple[tuple[int, ...], tuple[int, ...]]],
    exact: list[tuple[int, int]],
    settings: AlignSettings,
) -> list[Group]:
    """Steps 2–5 on the points exact matching left over: in plain Python for a small residual
    (unless it needs scipy's solver after all), else over arrays, importing numpy then."""
    if len(res_old) + len(res_new) <= PLAIN_LIMIT:
        from plandiff.align import plain

        found = plain.align_residual(
            norm_old, norm_new, res_old, res_new, matched_groups, exact, settings
        )
        if found is not None:
            return found
    import numpy as np

    from plandiff.align import residual

    return residual.align_residual(
        norm_old,
        norm_new,
        np.array(res_old, dtype=np.int64),
        np.array(res_new, dtype=np.int64),
        matched_groups,
        exact,
        settings,
    )
