"""Steps 2–5 for a small residual, in plain Python: the same candidates, scores, assignment,
merges and splits and positional prior as :mod:`plandiff.align.residual`, to the bit.

A 16-point text diff, or the bundled registry's, leaves a few points after exact matching;
importing numpy and scipy for them costs more than aligning them. So this path mirrors the
array path step for step: stem ids in order of first appearance, every sum in stem-id order
(the array path sorts its sparse rows for that), the same tie-breaking keys for the top-k
candidates, the same budget cuts. It gives up (returns None) only where the array path would
work in several blocks or need scipy's solver; ``tests/test_align_paths.py`` holds the two
paths to the same answers.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from plandiff.align.assignment import assign_plain
from plandiff.align.candidates_plain import StemRows
from plandiff.align.merges import Wholes, combine, weak_bar
from plandiff.align.order import MatchedKeys, stable_flags
from plandiff.align.records import AlignSettings
from plandiff.align.settle import Settled, settle
from plandiff.align.wording import STOPWORDS, TOKEN_CHUNK, idf, stem, words

__all__ = ["align_residual"]

_Scores = tuple[float, float, float]  # dice, old-in-new containment, new-in-old containment


def _bags(texts: Sequence[str], stem_length: int) -> tuple[list[list[int]], list[str]]:
    """Each text's stem ids, ascending, and the stems; ids by first appearance, tokenised in
    the same chunks as the array path (a chunk's tokeniser depends on its being ASCII)."""
    stem_of_word: dict[str, int] = {}
    stem_id: dict[str, int] = {}
    stems: list[str] = []
    rows: list[list[int]] = []
    for start in range(0, len(texts), TOKEN_CHUNK):
        row: set[int] = set()
        for word in words(texts[start : start + TOKEN_CHUNK]):
            if word == "\x00":
                rows.append(sorted(row))
                row = set()
                continue
            sid = stem_of_word.get(word)
            if sid is None:
                text = stem(word, stem_length)
                sid = stem_id.get(text)
                if sid is None:
                    sid = stem_id[text] = len(stems)
                    stems.append(text)
                stem_of_word[word] = sid
            row.add(sid)
        rows.append(sorted(row))
    return rows, stems


def _count(rows: Sequence[Sequence[int]], n_stems: int) -> list[int]:
    counts = [0] * n_stems
    for row in rows:
        for c in row:
            counts[c] += 1
    return counts


class _Residual:
    """Stem rows, weights and pair scores of the residual (the array path's ``Residual``)."""

    def __init__(
        self,
        norm_old: Sequence[str],
        norm_new: Sequence[str],
        res_old: list[int],
        res_new: list[int],
        sample_old: list[int],
        n_matched: int,
        settings: AlignSettings,
    ) -> None:
        self._res_old, self._res_new = res_old, res_new
        texts = [norm_old[i] for i in res_old] + [norm_new[j] for j in res_new]
        texts += [norm_old[i] for i in sample_old]
        rows, stems = _bags(texts, settings.stem_length)
        n_o, n_n = len(res_old), len(res_new)
        self.o_rows, self.n_rows = rows[:n_o], rows[n_o : n_o + n_n]
        scale = n_matched / len(sample_old) if sample_old else 0.0
        n_docs = max(len(norm_old), len(norm_new), 1)
        c_o, c_n = _count(self.o_rows, len(stems)), _count(self.n_rows, len(stems))
        c_s = _count(rows[n_o + n_n :], len(stems))
        self.w = [
            idf(n_docs, float(max(a, b)) + float(s) * scale)
            for a, b, s in zip(c_o, c_n, c_s, strict=True)
        ]
        if settings.stopword_weight != 1.0:
            for c, text in enumerate(stems):
                if text in STOPWORDS:
                    self.w[c] = self.w[c] * settings.stopword_weight
        self.postings_o, self.postings_n = c_o, c_n
        self.size_o = [self._size(r) for r in self.o_rows]
        self.size_n = [self._size(r) for r in self.n_rows]
        self.pos_old = {i: k for k, i in enumerate(res_old)}
        self.pos_new = {j: k for k, j in enumerate(res_new)}
        self.known: list[int] = []  # scored pair keys, for the positional prior
        self._sets_n = [set(r) for r in self.n_rows]

    def point(self, side: str, pos: int) -> int:
        return self._res_old[pos] if side == "old" else self._res_new[pos]

    def _size(self, row: Sequence[int]) -> float:
        total = 0.0
        for c in row:
            total += self.w[c]
        return total

    def score(self, o: int, n: int) -> _Scores:
        """(dice, old-in-new, new-in-old containment) of two residual positions."""
        other = self._sets_n[n]
        inter = 0.0
        for c in self.o_rows[o]:
            if c in other:
                inter += self.w[c]
        so, sn = self.size_o[o], self.size_n[n]
        dice = 2 * inter / (so + sn) if so + sn > 0 else 0.0
        c_old = inter / so if so > 0 else 0.0
        c_new = inter / sn if sn > 0 else 0.0
        return min(dice, 1.0), min(c_old, 1.0), min(c_new, 1.0)

    def bag(self, side: str, pos: int) -> dict[int, float]:
        row = self.o_rows[pos] if side == "old" else self.n_rows[pos]
        return {c: self.w[c] for c in row}

    def dice_of(self, pairs: Sequence[tuple[int, int]]) -> list[float]:
        return [self.score(self.pos_old[i], self.pos_new[j])[0] for i, j in pairs]

    def scored_in_gaps(
        self,
        left_o: Sequence[int],
        g_o: Sequence[int],
        left_n: Sequence[int],
        g_n: Sequence[int],
        gaps: Sequence[int],
    ) -> list[tuple[int, int]]:
        width = len(self._res_new)
        gap_at_old = dict(zip((self.pos_old[i] for i in left_o), g_o, strict=True))
        gap_at_new = dict(zip((self.pos_new[j] for j in left_n), g_n, strict=True))
        wanted = set(gaps)
        out = []
        for key in self.known:
            o, n = divmod(key, width)
            g = gap_at_old.get(o, -1)
            if g == gap_at_new.get(n, -2) and g in wanted:
                out.append((self._res_old[o], self._res_new[n]))
        return out


def _gaps(
    keys: MatchedKeys, res_old: Sequence[int], res_new: Sequence[int]
) -> tuple[list[int], list[int], list[int], list[int]]:
    """Stable pins (old and new, ascending) among the matched groups with these keys, and the
    gap of every residual point."""
    new_keys, old_keys = keys.new, keys.old
    flags = stable_flags(new_keys, old_keys, [float(w) for w in keys.size])
    pin_old = sorted(k for k, keep in zip(old_keys, flags, strict=True) if keep)
    pin_new = sorted(k for k, keep in zip(new_keys, flags, strict=True) if keep)
    gap_o = [bisect.bisect_left(pin_old, i) for i in res_old]
    gap_n = [bisect.bisect_left(pin_new, j) for j in res_new]
    return pin_old, pin_new, gap_o, gap_n


def _local_pairs(gap_o: Sequence[int], gap_n: Sequence[int], limit: int) -> set[tuple[int, int]]:
    """Every (old, new) residual pair sharing a gap, for gaps with at most ``limit`` pairs."""
    by_gap_n: dict[int, list[int]] = {}
    for n, g in enumerate(gap_n):
        by_gap_n.setdefault(g, []).append(n)
    by_gap_o: dict[int, list[int]] = {}
    for o, g in enumerate(gap_o):
        by_gap_o.setdefault(g, []).append(o)
    out: set[tuple[int, int]] = set()
    for g, olds in by_gap_o.items():
        news = by_gap_n.get(g)
        if news and len(olds) * len(news) <= limit:
            out.update((o, n) for o in olds for n in news)
    return out


def _pin_neighbours(
    pins: tuple[list[int], list[int], list[int], list[int]],
    res_old: Sequence[int],
    res_new: Sequence[int],
) -> set[tuple[int, int]]:
    """Each residual point with the residual partners of the two pins around its gap."""
    pin_old, pin_new, gap_o, gap_n = pins
    at_old = {i: k for k, i in enumerate(res_old)}
    at_new = {j: k for k, j in enumerate(res_new)}
    out: set[tuple[int, int]] = set()
    for o, g in enumerate(gap_o):
        for k in (g - 1, g):
            if 0 <= k < len(pin_new) and pin_new[k] in at_new:
                out.add((o, at_new[pin_new[k]]))
    for n, g in enumerate(gap_n):
        for k in (g - 1, g):
            if 0 <= k < len(pin_old) and pin_old[k] in at_old:
                out.add((at_old[pin_old[k]], n))
    return out


def align_residual(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: list[int],
    res_new: list[int],
    matched: MatchedKeys,
    exact: list[tuple[int, int]],
    settings: AlignSettings,
) -> Settled | None:
    """The groups the residual adds, as :func:`plandiff.align.residual.align_residual` finds
    them; None where that path's blocks or solver are needed."""
    sample_old: list[int] = []
    if exact and settings.idf_sample:
        step = max(1, len(exact) // settings.idf_sample)
        sample_old = sorted(i for i, _ in exact[::step])
    res = _Residual(norm_old, norm_new, res_old, res_new, sample_old, len(exact), settings)
    width = len(res_new)
    stems = StemRows(res.o_rows, res.n_rows, res.w, res.postings_o, res.postings_n)

    # Round 1: rare stems anywhere, plus every pair in a small gap between pinned neighbours.
    pins = _gaps(matched, res_old, res_new)
    rare = stems.rare_candidates(settings)
    if rare is None:
        return None
    keys = {
        o * width + n for o, n in rare | _local_pairs(pins[2], pins[3], settings.dense_gap_limit)
    }
    scores = {key: res.score(*divmod(key, width)) for key in keys}
    one_to_one = _assign_strong(sorted(scores), scores, width, pins, settings)
    if one_to_one is None:
        return None

    # Round 2: confident rewordings pin the residual too.
    pinned = matched.plus(((res_old[o],), (res_new[n],)) for o, n in one_to_one)
    pins = _gaps(pinned, res_old, res_new)
    paired_o = {o for o, _ in one_to_one}
    paired_n = {n for _, n in one_to_one}
    leftover = stems.leftover_candidates(
        [o for o in range(len(res_old)) if o not in paired_o],
        [n for n in range(width) if n not in paired_n],
        settings,
    )
    if leftover is None:
        return None
    more = _local_pairs(pins[2], pins[3], settings.dense_gap_limit)
    more |= _pin_neighbours(pins, res_old, res_new)
    extra = {o * width + n for o, n in more | leftover} - keys
    if extra:
        scores.update((key, res.score(*divmod(key, width))) for key in extra)
        one_to_one = _assign_strong(sorted(scores), scores, width, pins, settings)
        if one_to_one is None:
            return None
    pair_keys = sorted(scores)
    res.known = pair_keys
    proposals = combine(
        res, _wholes(pair_keys, scores, width, settings), dict(one_to_one), settings
    )
    return settle(
        proposals,
        one_to_one,
        lambda o, n: scores[o * width + n][0],
        res,
        norm_old,
        norm_new,
        res_old,
        res_new,
        matched,
        len(exact),
        settings,
    )


def _assign_strong(
    keys: Sequence[int],
    scores: dict[int, _Scores],
    width: int,
    pins: tuple[list[int], list[int], list[int], list[int]],
    settings: AlignSettings,
) -> list[tuple[int, int]] | None:
    """The 1:1 assignment over pairs at or above the match threshold, locality rewarded."""
    gap_o, gap_n = pins[2], pins[3]
    ii: list[int] = []
    jj: list[int] = []
    score: list[float] = []
    for key in keys:
        dice = scores[key][0]
        if dice >= settings.match_threshold:
            o, n = divmod(key, width)
            ii.append(o)
            jj.append(n)
            score.append(dice + (settings.gap_bonus if gap_o[o] == gap_n[n] else 0.0))
    return assign_plain(ii, jj, score)


def _wholes(
    keys: Sequence[int], scores: dict[int, _Scores], width: int, settings: AlignSettings
) -> list[tuple[str, Wholes]]:
    """The candidate wholes of each side for :func:`~plandiff.align.merges.combine`."""
    bar = weak_bar(settings)
    sides: list[tuple[str, Wholes]] = []
    for whole_side, contain_at in (("new", 1), ("old", 2)):
        by_whole: dict[int, list[tuple[int, float, float]]] = {}
        for key in keys:
            s = scores[key]
            if s[contain_at] >= bar:
                o, n = divmod(key, width)
                whole, part = (n, o) if whole_side == "new" else (o, n)
                by_whole.setdefault(whole, []).append((part, s[contain_at], s[0]))
        wholes: Wholes = [
            (whole, sorted(parts)) for whole, parts in sorted(by_whole.items()) if len(parts) >= 2
        ]
        sides.append((whole_side, wholes))
    return sides
