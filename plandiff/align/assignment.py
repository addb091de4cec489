"""Global 1:1 assignment: a sparse linear assignment (LAPJVsp) maximises the total similarity.

Greedy first-come matching would let an early weak pair steal a later point's true partner.
Most rival groups are two or three pairs, settled here by listing their matchings
(:func:`assign_plain`, plain Python); scipy's solver (imported only then) takes the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

__all__ = ["assign", "assign_by_enumeration", "assign_plain"]


def assign(ii: np.ndarray, jj: np.ndarray, score: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-weight 1:1 matching on a sparse bipartite graph (LAPJVsp); may leave points out.

    Each new point gets a private dummy partner of negligible weight, so a full matching always
    exists and a point is left unmatched whenever pairing it would lower the total.
    """
    import numpy as np

    # An edge whose two points have no other edge is a component of its own, matched as is;
    # only the rest (points with rival partners) needs the solver.
    alone = (np.bincount(ii)[ii] == 1) & (np.bincount(jj)[jj] == 1)
    pairs = list(zip(ii[alone].tolist(), jj[alone].tolist(), strict=True))
    ii, jj, score = ii[~alone], jj[~alone], score[~alone]
    if len(ii) == 0:
        return sorted(pairs)
    small = assign_by_enumeration(ii.tolist(), jj.tolist(), score.tolist())
    if small is not None:
        return sorted(pairs + small)
    # Imported only now: the solver's import (0.2 s) is needed for a large rival group or a
    # near tie, which neither benchmark pair has.
    from scipy import sparse  # type: ignore[import-untyped]
    from scipy.sparse import csgraph  # type: ignore[import-untyped]

    u_old, col = np.unique(ii, return_inverse=True)
    u_new, row = np.unique(jj, return_inverse=True)
    n_rows, n_cols = len(u_new), len(u_old)
    eps = 1e-9
    data = np.concatenate((score + eps * 2, np.full(n_rows, eps)))
    rr = np.concatenate((row, np.arange(n_rows)))
    cc = np.concatenate((col, n_cols + np.arange(n_rows)))
    graph = sparse.csr_matrix((data, (rr, cc)), shape=(n_rows, n_cols + n_rows))
    r_idx, c_idx = csgraph.min_weight_full_bipartite_matching(graph, maximize=True)
    real = c_idx < n_cols
    pairs += zip(u_old[c_idx[real]].tolist(), u_new[r_idx[real]].tolist(), strict=True)
    return sorted(pairs)


#: Rival pairs in one connected group that :func:`assign_by_enumeration` still enumerates.
_ENUMERATE_EDGES = 12


def assign_by_enumeration(
    ii: list[int], jj: list[int], score: list[float]
) -> list[tuple[int, int]] | None:
    """:func:`assign`'s matching found by trying every matching of each connected group.

    Rival pairs come in groups of two or three, where listing the matchings is instant and
    spares the import of scipy's solver (0.2 s, a fifth of a small diff). The weights are the
    solver's, real pairs ``score + 2 eps`` against ``eps`` for leaving the new point out. With
    a unique best matching, the solver finds that one too; so when another matching comes
    within 1e-12 of the best (a tie the solver breaks its own way), or a group is large, this
    returns None and the solver decides, as before.
    """
    parent: dict[tuple[str, int], tuple[str, int]] = {}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent.setdefault(node, node) != node:
            parent[node] = parent[parent[node]]  # path halving
            node = parent[node]
        return node

    for i, j in zip(ii, jj, strict=True):
        a, b = root(("old", i)), root(("new", j))
        if a != b:
            parent[a] = b
    groups: dict[tuple[str, int], list[tuple[int, int, float]]] = {}
    for i, j, w in zip(ii, jj, score, strict=True):
        groups.setdefault(root(("old", i)), []).append((i, j, w + 1e-9))  # (w + 2 eps) - eps
    found: list[tuple[int, int]] = []
    for edges in groups.values():
        if len(edges) > _ENUMERATE_EDGES:
            return None
        # Every matching of the group: each pair is either left out or added to the matchings
        # it fits into.
        matchings: list[tuple[float, tuple[tuple[int, int], ...], frozenset[int], frozenset[int]]]
        matchings = [(0.0, (), frozenset(), frozenset())]
        for i, j, w in edges:
            matchings += [
                (total + w, (*chosen, (i, j)), olds | {i}, news | {j})
                for total, chosen, olds, news in matchings
                if i not in olds and j not in news
            ]
        matchings.sort(key=lambda m: m[0], reverse=True)
        if len(matchings) > 1 and matchings[0][0] - matchings[1][0] <= 1e-12:
            return None
        found += matchings[0][1]
    return found


def assign_plain(
    ii: Sequence[int], jj: Sequence[int], score: Sequence[float]
) -> list[tuple[int, int]] | None:
    """:func:`assign` without numpy: the same pairs, or None where only the solver can say
    (a large rival group, or a near tie)."""
    count_i, count_j = Counter(ii), Counter(jj)
    pairs: list[tuple[int, int]] = []
    ri: list[int] = []
    rj: list[int] = []
    rs: list[float] = []
    for i, j, s in zip(ii, jj, score, strict=True):
        if count_i[i] == 1 and count_j[j] == 1:
            pairs.append((i, j))
        else:
            ri.append(i)
            rj.append(j)
            rs.append(s)
    if not ri:
        return sorted(pairs)
    small = assign_by_enumeration(ri, rj, rs)
    return None if small is None else sorted(pairs + small)
