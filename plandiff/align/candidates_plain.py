"""Candidates for a small residual in plain Python: the pairs
:mod:`plandiff.align.candidates` proposes, found the same way (rare-stem prefixes, the same
budget cuts, the same top-k keys and ties), without sparse matrices.
"""

from __future__ import annotations

from collections.abc import Sequence

from plandiff.align.records import AlignSettings

__all__ = ["BLOCK_WORK", "StemRows"]

#: Score entries computed at once by a candidate join (about 40 MB of scores); the plain path
#: hands a residual that needs more than one such block to the array path.
BLOCK_WORK = 2_000_000

#: A candidate row: (stem, weight) pairs, stems ascending.
_Row = list[tuple[int, float]]


def _prefixes(
    rows: Sequence[Sequence[int]], rank: Sequence[int], allowed: Sequence[bool], p: int
) -> list[list[int]]:
    """Each row's ``p`` rarest allowed stems (lowest ``rank``), ascending by stem."""
    return [
        sorted(sorted((c for c in row if allowed[c]), key=rank.__getitem__)[:p]) for row in rows
    ]


def _within_budget(prefix: list[list[int]], cost: Sequence[int], budget: float) -> list[list[int]]:
    """Drop the prefix entries whose stems cost most until the work fits (the array path's
    cut: every entry at or above the cost of the first that does not fit)."""
    costs = sorted(cost[c] for row in prefix for c in row)
    total = 0
    fit = 0
    for value in costs:
        total += value
        if total > budget:
            break
        fit += 1
    if fit == len(costs):
        return prefix
    bar = costs[fit]
    return [[c for c in row if cost[c] < bar] for row in prefix]


def _top_k(entries: dict[int, dict[int, float]], k: int) -> list[tuple[int, int, float]]:
    """(row, column, value) of the k largest entries of each row, ranked as the array path
    ranks them: by ``row * scale - value`` (rounded alike), ties to the lower column."""
    values = [v for row in entries.values() for v in row.values()]
    if not values:
        return []
    scale = max(values) * 2.0 + 1.0
    out: list[tuple[int, int, float]] = []
    for r in sorted(entries):
        ranked = sorted(entries[r].items(), key=lambda cv: (r * scale - cv[1], cv[0]))
        out.extend((r, c, v) for c, v in ranked[:k])
    return out


def _join_top_k(
    left: list[_Row], right: Sequence[Sequence[int]], k: int
) -> set[tuple[int, int]] | None:
    """(left row, right row) pairs among the k best of each row and column of left @ rightᵀ;
    None when the array path would work in more than one block."""
    if not left or not right or not any(left):
        return set()
    postings: dict[int, list[int]] = {}
    for r, stems in enumerate(right):
        for c in stems:
            postings.setdefault(c, []).append(r)
    work = sum(len(postings.get(c, ())) for row in left for c, _ in row)
    if work > BLOCK_WORK:
        return None
    shared: dict[int, dict[int, float]] = {}
    for i, row in enumerate(left):
        sums: dict[int, float] = {}
        for c, v in row:
            for r in postings.get(c, ()):
                sums[r] = sums.get(r, 0.0) + v
        if sums:
            shared[i] = sums
    out = {(i, r) for i, r, _ in _top_k(shared, k)}
    by_right: dict[int, dict[int, float]] = {}
    for i in sorted(shared):
        for r, v in shared[i].items():
            by_right.setdefault(r, {})[i] = v
    best_of_right: dict[int, dict[int, float]] = {}
    for r, i, v in _top_k(by_right, k):
        best_of_right.setdefault(r, {})[i] = v
    out.update((i, r) for r, i, _ in _top_k(best_of_right, k))
    return out


class StemRows:
    """The residual's stem rows (ascending ids), weights and postings, as candidates need."""

    def __init__(
        self,
        o_rows: Sequence[Sequence[int]],
        n_rows: Sequence[Sequence[int]],
        w: Sequence[float],
        postings_o: Sequence[int],
        postings_n: Sequence[int],
    ) -> None:
        self.o_rows, self.n_rows, self.w = o_rows, n_rows, w
        self.po, self.pn = postings_o, postings_n
        df = [a + b for a, b in zip(postings_o, postings_n, strict=True)]
        self.rank = [0] * len(df)
        for r, c in enumerate(sorted(range(len(df)), key=lambda c: (df[c], c))):
            self.rank[c] = r

    def _weighted(self, prefix: list[list[int]]) -> list[_Row]:
        rows = []
        for row in prefix:
            weighted = [(c, self.w[c] * self.w[c]) for c in row]
            rows.append([(c, v) for c, v in weighted if v != 0.0])
        return rows

    def rare_candidates(self, settings: AlignSettings) -> set[tuple[int, int]] | None:
        """:func:`plandiff.align.candidates.rare_candidates`; None where it needs blocks."""
        p = settings.prefix_stems
        pre_o = _prefixes(self.o_rows, self.rank, [n > 0 for n in self.pn], p)
        pre_n = _prefixes(self.n_rows, self.rank, [n > 0 for n in self.po], p)
        holders_n = [0] * len(self.w)
        for row in pre_n:
            for c in row:
                holders_n[c] += 1
        budget = settings.candidate_budget * (len(self.o_rows) + len(self.n_rows))
        pre_o = _within_budget(pre_o, holders_n, budget)
        return _join_top_k(self._weighted(pre_o), pre_n, settings.candidates_per_point)

    def leftover_candidates(
        self, left_o: Sequence[int], left_n: Sequence[int], settings: AlignSettings
    ) -> set[tuple[int, int]] | None:
        """:func:`plandiff.align.candidates.leftover_candidates`; None where it needs blocks."""
        k, p = settings.candidates_per_point, settings.prefix_stems
        budget = settings.candidate_budget * (len(left_o) + len(left_n))
        pre_o = _prefixes([self.o_rows[o] for o in left_o], self.rank, [n > 0 for n in self.pn], p)
        pre_n = _prefixes([self.n_rows[n] for n in left_n], self.rank, [n > 0 for n in self.po], p)
        pre_o = _within_budget(pre_o, self.pn, budget / 2)
        pre_n = _within_budget(pre_n, self.po, budget / 2)
        from_old = _join_top_k(self._weighted(pre_o), self.n_rows, k)
        from_new = _join_top_k(self._weighted(pre_n), self.o_rows, k)
        if from_old is None or from_new is None:
            return None
        out = {(left_o[o], n) for o, n in from_old}
        out.update((o, left_n[n]) for n, o in from_new)
        return out
