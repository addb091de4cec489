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
"""

from __future__ import annotations

import bisect
import functools
import importlib
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import Field, model_validator

from plandiff.models import FrozenModel, trusted_constructor
from plandiff.result import ChangeKind

if TYPE_CHECKING:
    import numpy as np
    from scipy import sparse
    from scipy.sparse import csgraph
else:

    class _LazyModule:
        """A module imported on first attribute access, which then replaces this stand-in.

        numpy and scipy take 0.5–0.8 s to import, several times the rest of a small diff; only
        points left over after exact matching (and, for scipy's solver, points with rival
        partners) need them. The bundled registry's diff imports neither.
        """

        def __init__(self, alias: str, name: str) -> None:
            self._alias, self._name = alias, name

        def __getattr__(self, attr: str) -> Any:
            module: ModuleType = importlib.import_module(self._name)
            globals()[self._alias] = module
            return getattr(module, attr)

    np = _LazyModule("np", "numpy")
    sparse = _LazyModule("sparse", "scipy.sparse")
    csgraph = _LazyModule("csgraph", "scipy.sparse.csgraph")

#: Below this many items, move detection runs in plain Python: importing numpy costs more.
_SMALL = 2000

__all__ = [
    "DEFAULT_SETTINGS",
    "AlignSettings",
    "Correspondence",
    "align",
    "detect_moves",
    "normalise",
    "similarity",
]


class AlignSettings(FrozenModel):
    """Every threshold the alignment uses, so that a reported result can be reproduced."""

    algorithm: str = Field(
        default="plandiff-align/1: exact anchors, rare-stem prefix candidates, two-round sparse "
        "assignment, containment merges/splits, positional gap fill",
        description="Name and version of the alignment algorithm.",
    )
    match_threshold: float = Field(
        default=0.5,
        ge=0.0,
        le=1.0,
        description="Minimum similarity (IDF-weighted Dice over stems) to pair two points "
        "anywhere in the versions, i.e. also as a move.",
    )
    positional_threshold: float = Field(
        default=0.2,
        ge=0.0,
        le=1.0,
        description="Minimum similarity to pair two leftover points in order between the same "
        "two matched neighbours (the positional prior). A lone point on each side between two "
        "reworded neighbours needs none.",
    )
    containment_threshold: float = Field(
        default=0.6,
        ge=0.0,
        le=1.0,
        description="Minimum share of a merge or split part (IDF-weighted) found in the whole.",
    )
    far_containment_threshold: float = Field(
        default=0.85,
        ge=0.0,
        le=1.0,
        description="Containment a merge or split part needs when it is further than "
        "part_window points from the other parts.",
    )
    part_window: int = Field(
        default=4,
        ge=1,
        description="How far apart (in points) merge or split parts may be at the lower "
        "containment threshold.",
    )
    min_part_gain: float = Field(
        default=0.05,
        ge=0.0,
        le=1.0,
        description="Coverage of the whole that each merge or split part must add.",
    )
    gap_bonus: float = Field(
        default=0.1,
        ge=0.0,
        description="Score added in the assignment to a pair in the same gap between anchors.",
    )
    candidates_per_point: int = Field(
        default=8, ge=1, description="Candidate partners kept per point from the rare-stem index."
    )
    prefix_stems: int = Field(
        default=5,
        ge=1,
        description="How many of its rarest stems each point offers to the rare-stem index.",
    )
    candidate_budget: int = Field(
        default=300,
        ge=1,
        description="Posting-list entries the rare-stem index may visit per unmatched point.",
    )
    dense_gap_limit: int = Field(
        default=4096,
        ge=1,
        description="Gaps between anchors with at most this many point pairs are compared in full.",
    )
    idf_sample: int = Field(
        default=1000,
        ge=0,
        description="Exactly matched points sampled (evenly) to estimate stem frequencies.",
    )
    stem_length: int = Field(default=6, ge=3, description="Stems are cut to this many letters.")
    stopword_weight: float = Field(
        default=0.2, ge=0.0, le=1.0, description="Factor applied to English function words."
    )


DEFAULT_SETTINGS = AlignSettings()


class Correspondence(FrozenModel):
    """A group of old points and the group of new points they became (either may be empty)."""

    kind: ChangeKind = Field(
        description="unchanged, reworded, replaced, merged, split, added or removed; never "
        "unreported."
    )
    old: tuple[int, ...] = Field(description="0-based indices into the old points, ascending.")
    new: tuple[int, ...] = Field(description="0-based indices into the new points, ascending.")
    similarity: float | None = Field(
        default=None, ge=0.0, le=1.0, description="Score in [0, 1]; null for added and removed."
    )
    moved: bool = Field(
        default=False,
        description="Order relative to the other matched points changed (not merely renumbered).",
    )

    @model_validator(mode="after")
    def _arity(self) -> Correspondence:
        n_old, n_new = len(self.old), len(self.new)
        ok = {
            ChangeKind.UNCHANGED: n_old == 1 and n_new == 1,
            ChangeKind.REWORDED: n_old == 1 and n_new == 1,
            ChangeKind.REPLACED: n_old == 1 and n_new == 1,
            ChangeKind.MERGED: n_old >= 2 and n_new == 1,
            ChangeKind.SPLIT: n_old == 1 and n_new >= 2,
            ChangeKind.ADDED: n_old == 0 and n_new >= 1,
            ChangeKind.REMOVED: n_old >= 1 and n_new == 0,
        }.get(self.kind, False)
        if not ok:
            raise ValueError(f"a '{self.kind}' correspondence cannot have {n_old} → {n_new} points")
        return self


# ── normalisation ────────────────────────────────────────────────────────────────────────────

_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None),
        **dict.fromkeys(map(ord, "‘’‚‛′‵`´ʼʹʻ"), "'"),
        **dict.fromkeys(map(ord, "“”„‟″‶«»〝〞＂"), '"'),
        **dict.fromkeys(map(ord, "‐‑‒–—―⁃−⸺⸻﹘﹣－"), "-"),
    }
)

_NUMBER = r"(?:\d+[a-z]?(?:\.\d+)*|[ivxlcdm]{1,6}|[a-z])"
#: What may follow a marker that is not followed by punctuation: a capital, a quote or a
#: bracket, matched case-sensitively ("Article 3 The parties…", but not "Article 5 of NATO").
_STARTS = r"""\s+(?=(?-i:[A-Z"'(Ѐ-Я]))"""
_MARKER = re.compile(
    r"""^(?:[•‣◦⁃∙·▪▫●○■□*+\-]+\s+)*                              # bullets
    (?:
        (?:article|art\.|point|section|sec\.|clause|paragraph|para\.|item|§+
        |стаття|статья|пункт|розділ|раздел)\s*"""
    + _NUMBER
    + r"""(?:\s*[.:)\-]\s*|"""
    + _STARTS
    + r""")                                                      # Article 3. / Point 1 The
      | \(\s*(?:\d+[a-z]?|[a-z]|[ivxlcdm]{1,6})\s*\)\s*           # (3) (a) (iv)
      | \d+(?:\.\d+)*[.)](?=\s|$)\s*                              # 14.  14)  1.2.
      | \d+(?:\.\d+)+"""
    + _STARTS
    + r"""                                                       # 1.2 The (not 14.5 million)
      | (?:[a-z]|[ivxlcdm]{1,6})[.)]\s+                           # a)  iv.
    )?""",
    re.IGNORECASE | re.VERBOSE,
)


def normalise(text: str) -> str:
    """The comparison form of a point: marker stripped, typography folded, case and words kept.

    Two renderings of the same point differ in numbering ("14." against "(3)"), quotes, dashes,
    non-breaking and zero-width spaces; none of that is a change of wording, so it is folded
    here, once, and both the exact matching and the similarity work on the result.
    """
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
        # Printable ASCII has no whitespace but the space: skip the split when nothing to fold
        # (it is a third of the time of normalising a 30,000-point code).
        if text.isprintable() and "  " not in text:
            text = text.strip(" ")
        else:
            text = " ".join(text.split())
    else:
        text = " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())
    end = _MARKER.match(text).end()  # type: ignore[union-attr]  # every part is optional
    return text[end:].lstrip() if end else text


# ── tokens, stems and weights ────────────────────────────────────────────────────────────────

#: Suffixes stripped by :func:`_stem`, longest first, keyed by their last letter for speed.
_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "s": (
        ("ations", ""),
        ("ments", ""),
        ("ings", ""),
        ("ness", ""),
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
    ),
    "n": (("ation", ""),),
    "t": (("ment", ""),),
    "g": (("ing", ""),),
    "d": (("ied", "y"), ("ed", "")),
    "y": (("edly", ""), ("ly", "")),
    "e": (("e", ""),),
}
_STOPWORDS = frozenset(
    """a about above after against all also an and any are as at be been before being between
    both but by can could did do does during each either for from had has have he her his how if
    in into is it its may might more most must no nor not of on once only or other our out over
    own same shall she should so some such than that the their them then there these they this
    those through to under until up upon very was we were what when where whether which while who
    whom why will with within without would""".split()  # noqa: SIM905 (a word list reads as prose)
)
_PUNCT = str.maketrans(dict.fromkeys(map(ord, "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"), " "))
_WORD = re.compile(r"[^\W_]+|\x00")
_SEP = " \x00 "


@functools.lru_cache(maxsize=1 << 17)
def _stem(word: str, length: int) -> str:
    """A crude, language-light stem: strip up to two English suffixes, then truncate.

    Truncation also conflates most inflections in other languages; all we need is that the
    same word in two renderings ("guarantees", "guaranteed") lands on the same stem.
    """
    if word.isdigit():
        return word
    for _ in range(2):
        for suffix, replacement in _SUFFIXES.get(word[-1:], ()):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + replacement
                break
        else:
            break
    return word[:length]


def _distinct(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. (numpy 2's hash-based ``np.unique`` is several times slower on
    the integer keys used here.)"""
    ordered = np.sort(values)
    if len(ordered) == 0:
        return ordered
    return ordered[np.concatenate(([True], ordered[1:] != ordered[:-1]))]


class _Bags(NamedTuple):
    """Binary stem-occurrence matrix for a list of texts, plus the stem strings."""

    matrix: sparse.csr_matrix  # rows: texts, columns: stems, data: 1.0
    stems: list[str]


#: Texts tokenised per pass: one pass over a long concatenation is twice as fast as a pass
#: per text, and a bounded one keeps the list of word strings small (a 30,000-point code
#: has three million words).
_TOKEN_CHUNK = 4096


def _words(texts: Sequence[str]) -> list[str]:
    """The casefolded words of the texts, in order, with ``"\x00"`` between two texts."""
    joined = _SEP.join(texts).casefold()
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator: drop it there
        joined = _SEP.join(t.replace("\x00", " ") for t in texts).casefold()
    return joined.translate(_PUNCT).split() if joined.isascii() else _WORD.findall(joined)


def _bags(texts: Sequence[str], stem_length: int) -> _Bags:
    """Stem sets of the texts as a binary matrix (rows: texts, columns: stems)."""
    stem_of_word: dict[str, int] = {"\x00": -1}
    stem_id: dict[str, int] = {}
    stems: list[str] = []
    indices: list[np.ndarray] = [np.zeros(0, dtype=np.int32)]
    lengths: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for start in range(0, len(texts), _TOKEN_CHUNK):
        part = texts[start : start + _TOKEN_CHUNK]
        words = _words(part)
        # setdefault with a counter gives each distinct word of the chunk the position of its
        # first occurrence, in one C-level pass; the distinct words then get their stems in
        # order of first appearance (stem ids must not depend on the string hash seed).
        first: dict[str, int] = {}
        raw = np.fromiter(
            map(first.setdefault, words, itertools.count()), dtype=np.int64, count=len(words)
        )
        stem_at = np.empty(len(words) + 1, dtype=np.int64)
        for word, position in first.items():
            sid = stem_of_word.get(word)
            if sid is None:
                stem = _stem(word, stem_length)
                sid = stem_id.get(stem)
                if sid is None:
                    sid = stem_id[stem] = len(stems)
                    stems.append(stem)
                stem_of_word[word] = sid
            stem_at[position] = sid
        ids = stem_at[raw]
        is_sep = ids < 0
        rows = np.cumsum(is_sep)[~is_sep]
        # Distinct (row, stem) pairs, sorted: the chunk's part of a CSR matrix.
        keys = _distinct(rows * (len(stems) + 1) + ids[~is_sep])
        indices.append((keys % (len(stems) + 1)).astype(np.int32))
        lengths.append(np.bincount(keys // (len(stems) + 1), minlength=len(part)))
    indptr = np.concatenate(([0], np.cumsum(np.concatenate(lengths))))
    column = np.concatenate(indices)
    matrix = sparse.csr_matrix(
        (np.ones(len(column)), column, indptr), shape=(len(texts), max(len(stems), 1))
    )
    return _Bags(matrix, stems)


def _weights(
    bags: _Bags,
    old_rows: np.ndarray,
    new_rows: np.ndarray,
    sample_rows: np.ndarray,
    sample_scale: float,
    n_docs: int,
    stopword_weight: float,
) -> np.ndarray:
    """IDF per stem, with the version as the collection: a stem's frequency is its larger count
    on either side, so two renderings of one point do not make their shared words look common."""
    m = bags.matrix

    def counts(rows: np.ndarray) -> np.ndarray:
        if len(rows) == 0:
            return np.zeros(m.shape[1])
        return np.asarray(m[rows].sum(axis=0)).ravel()

    sampled = counts(sample_rows) * sample_scale
    df = np.maximum(counts(old_rows), counts(new_rows)) + sampled
    idf = np.log((n_docs + 1.0) / (df + 0.5))
    idf = np.maximum(idf, 0.01)
    if stopword_weight != 1.0:
        stop = np.fromiter((s in _STOPWORDS for s in bags.stems), dtype=bool, count=len(bags.stems))
        if len(stop):
            idf[: len(stop)][stop] *= stopword_weight
    return idf


def similarity(
    old_text: str, new_text: str, *, settings: AlignSettings = DEFAULT_SETTINGS
) -> float:
    """Similarity of two texts on their own (no collection statistics): weighted stem Dice.

    For reporting a score on a curated pair; :func:`align` uses collection-wide IDF instead.
    With the pair as the collection every stem has the same IDF, lowered for function words,
    so this needs no matrices: it is :func:`_weights` and :func:`_pair_inter` for two rows,
    summed in the same (stem id) order, to the same bits, without importing numpy.
    """
    a, b = normalise(old_text), normalise(new_text)
    if a == b:
        return 1.0
    stem_id: dict[str, int] = {}
    rows: list[set[int]] = [set()]
    for word in _words([a, b]):
        if word == "\x00":
            rows.append(set())
        else:
            rows[-1].add(stem_id.setdefault(_stem(word, settings.stem_length), len(stem_id)))
    # _weights: document frequency 1 in a collection of n_docs = 1, so log(2 / 1.5).
    idf = max(math.log((1 + 1.0) / (1.0 + 0.5)), 0.01)
    weight = [idf] * len(stem_id)
    if settings.stopword_weight != 1.0:
        for stem, sid in stem_id.items():
            if stem in _STOPWORDS:
                weight[sid] = idf * settings.stopword_weight
    sizes = []
    for row in rows:
        size = 0.0  # a sparse row times a vector: sequential sums in column order
        for sid in sorted(row):
            size += weight[sid]
        sizes.append(size)
    inter = 0.0
    for sid in sorted(rows[0] & rows[1]):
        inter += weight[sid]
    total = sizes[0] + sizes[1]
    return float(min(1.0, 2.0 * inter / total)) if total > 0 else 0.0


def _pair_inter(
    old_m: sparse.csr_matrix,
    new_m: sparse.csr_matrix,
    w: np.ndarray,
    ii: np.ndarray,
    jj: np.ndarray,
) -> np.ndarray:
    """Weighted intersection of the stem sets of the given (old row, new row) pairs."""
    inter = np.empty(len(ii))
    chunk = 65536  # bound the memory of the row gathers
    for start in range(0, len(ii), chunk):
        a = old_m[ii[start : start + chunk]]
        b = new_m[jj[start : start + chunk]]
        prod = a.multiply(b).tocsr()
        inter[start : start + chunk] = prod @ w
    return inter


# ── chains: longest/heaviest increasing subsequences ─────────────────────────────────────────


def _heaviest_chain(xs: Sequence[int], weights: Sequence[float]) -> list[int]:
    """Indices of a heaviest subsequence with strictly increasing ``xs`` (items in given order).

    Fenwick tree over the ranks of ``xs``: O(n log n). Ties: at equal weight the chain ending at
    the smaller x wins, both for predecessors and at the end, so of two swapped points the one
    earlier in the old version stays put.
    """
    n = len(xs)
    if n == 0:
        return []
    order = sorted(range(n), key=lambda k: (xs[k], k))
    rank = [0] * n
    r = 0
    for pos, k in enumerate(order):
        if pos and xs[k] != xs[order[pos - 1]]:
            r += 1
        rank[k] = r + 1
    size = r + 1
    # Entries compare as (weight, -x, -k): heavier, then smaller x, then earlier item wins.
    none = (-math.inf, 0, 1)
    tree: list[tuple[float, int, int]] = [none] * (size + 1)
    back = [-1] * n
    best = none
    for k in range(n):
        q = rank[k] - 1
        got = none
        while q > 0:
            if tree[q] > got:
                got = tree[q]
            q -= q & -q
        has_prev = got[0] > -math.inf
        back[k] = -got[2] if has_prev else -1
        entry = ((got[0] if has_prev else 0.0) + weights[k], -xs[k], -k)
        if entry > best:
            best = entry
        q = rank[k]
        while q <= size:
            if entry > tree[q]:
                tree[q] = entry
            q += q & -q
    chain = []
    k = -best[2]
    while k >= 0:
        chain.append(k)
        k = back[k]
    chain.reverse()
    return chain


def _stable_items(new_keys: np.ndarray, old_keys: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Boolean mask of the items kept in place by a heaviest increasing subsequence.

    Items are compressed into runs first (consecutive in new order and in old rank): a run is
    either wholly in place or wholly not, because every other item is ordered the same way
    against all of its members. A document with a few hundred moves then has a few hundred
    runs, so the Python-level chain costs nothing even at 30,000 points.
    """
    n = len(new_keys)
    stable = np.zeros(n, dtype=bool)
    if n == 0:
        return stable
    by_new = np.lexsort((old_keys, new_keys))
    ranks = np.empty(n, dtype=np.int64)
    ranks[np.lexsort((new_keys, old_keys))] = np.arange(n)
    v = ranks[by_new]
    breaks = np.flatnonzero(np.diff(v) != 1) + 1
    starts = np.concatenate(([0], breaks))
    run_weights = np.add.reduceat(weights[by_new], starts)
    chain = _heaviest_chain(v[starts].tolist(), run_weights.tolist())
    ends = np.concatenate((breaks, [n]))
    for run in chain:
        stable[by_new[starts[run] : ends[run]]] = True
    return stable


def _stable_flags(new_keys: list[int], old_keys: list[int], weights: list[float]) -> list[bool]:
    """:func:`_stable_items` as a list, in plain Python below :data:`_SMALL` items.

    The same steps with the same ties (lexsort and sorted are both stable), and the run
    weights are sums of whole numbers, exact in either order, so both give the same flags.
    """
    n = len(new_keys)
    if n >= _SMALL:
        return _stable_items(
            np.array(new_keys, dtype=np.int64),
            np.array(old_keys, dtype=np.int64),
            np.array(weights, dtype=np.float64),
        ).tolist()
    stable = [False] * n
    if n == 0:
        return stable
    by_new = sorted(range(n), key=lambda k: (new_keys[k], old_keys[k]))
    ranks = [0] * n
    for r, k in enumerate(sorted(range(n), key=lambda k: (old_keys[k], new_keys[k]))):
        ranks[k] = r
    v = [ranks[k] for k in by_new]
    starts = [0] + [p for p in range(1, n) if v[p] != v[p - 1] + 1]
    ends = [*starts[1:], n]
    run_weights = []
    for start, end in zip(starts, ends, strict=True):
        total = 0.0
        for p in range(start, end):
            total += weights[by_new[p]]
        run_weights.append(total)
    for run in _heaviest_chain([v[start] for start in starts], run_weights):
        for p in range(starts[run], ends[run]):
            stable[by_new[p]] = True
    return stable


def detect_moves(groups: Sequence[tuple[Sequence[int], Sequence[int]]]) -> tuple[bool, ...]:
    """Which matched groups moved: those outside a heaviest in-order chain of all matched groups.

    Groups are ordered by their first new point and compared by their first old point; the chain
    weighs each group by its number of points, so a large block stays and the point that jumped
    over it is the one flagged. Points merely renumbered because something above them was added
    or removed keep their relative order and are never flagged. Groups with an empty side are
    never moved.
    """
    matched = [k for k, (o, n) in enumerate(groups) if len(o) and len(n)]
    flags = [False] * len(groups)
    if not matched:
        return tuple(flags)
    new_keys = [min(groups[k][1]) for k in matched]
    old_keys = [min(groups[k][0]) for k in matched]
    weights = [float(len(groups[k][0]) + len(groups[k][1])) for k in matched]
    stable = _stable_flags(new_keys, old_keys, weights)
    for k, keep in zip(matched, stable, strict=True):
        flags[k] = not keep
    return tuple(flags)


# ── the alignment ────────────────────────────────────────────────────────────────────────────


#: (kind, old indices, new indices, similarity): plain tuples, as 30,000 of them are built.
_Group = tuple[ChangeKind, tuple[int, ...], tuple[int, ...], float | None]


def _check_fixed(
    fixed: Sequence[tuple[Sequence[int], Sequence[int]]], n_old: int, n_new: int
) -> tuple[list[bool], list[bool], list[tuple[tuple[int, ...], tuple[int, ...]]]]:
    used_old = [False] * n_old
    used_new = [False] * n_new
    groups = []
    for number, (o, n) in enumerate(fixed):
        o_t, n_t = tuple(sorted(int(i) for i in o)), tuple(sorted(int(j) for j in n))
        if not o_t and not n_t:
            raise ValueError(f"fixed group {number} is empty on both sides")
        for side, idx, used, size in (("old", o_t, used_old, n_old), ("new", n_t, used_new, n_new)):
            for i in idx:
                if not 0 <= i < size:
                    raise ValueError(
                        f"fixed group {number}: {side} index {i} is outside 0..{size - 1}"
                    )
                if used[i]:
                    raise ValueError(f"fixed group {number}: {side} index {i} is already fixed")
                used[i] = True
        groups.append((o_t, n_t))
    return used_old, used_new, groups


def _exact_pairs(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    used_old: Sequence[bool],
    used_new: Sequence[bool],
) -> list[tuple[int, int]]:
    """Pairs of points identical after normalisation: unique texts first, repeats by gap."""
    idx_o = [i for i, used in enumerate(used_old) if not used]
    idx_n = [j for j, used in enumerate(used_new) if not used]
    texts_o = [norm_old[i] for i in idx_o]
    texts_n = [norm_new[j] for j in idx_n]
    at_o = dict(zip(texts_o, idx_o, strict=True))
    at_n = dict(zip(texts_n, idx_n, strict=True))
    if len(at_o) == len(texts_o) and len(at_n) == len(texts_n):
        # No text repeats on either side (the usual case): one dict lookup per point.
        return [(at_o[t], j) for t, j in zip(texts_n, idx_n, strict=True) if t in at_o]
    count_o = Counter(texts_o)
    count_n = Counter(texts_n)
    unique = [
        (at_o[t], j)
        for t, j in zip(texts_n, idx_n, strict=True)
        if count_n[t] == 1 and count_o.get(t) == 1
    ]
    where_old: dict[str, list[int]] = {}
    for t, i in zip(texts_o, idx_o, strict=True):
        if count_o[t] > 1 or count_n.get(t, 0) > 1:
            where_old.setdefault(t, []).append(i)
    where_new: dict[str, list[int]] = {}
    for t, j in zip(texts_n, idx_n, strict=True):
        if t in where_old:
            where_new.setdefault(t, []).append(j)
    repeated = [(where_old[t], js) for t, js in where_new.items()]
    if not repeated:
        return unique
    # Patience diff: the unique pairs in order pin the bulk; repeats pair within the same gap.
    pairs = unique
    u_old = [p[0] for p in unique]
    u_new = [p[1] for p in unique]
    stable = _stable_flags(u_new, u_old, [1.0] * len(unique))
    pin_old = sorted(i for i, keep in zip(u_old, stable, strict=True) if keep)
    pin_new = sorted(j for j, keep in zip(u_new, stable, strict=True) if keep)
    for is_, js in repeated:
        gap_o = [bisect.bisect_left(pin_old, i) for i in is_]
        gap_n = [bisect.bisect_left(pin_new, j) for j in js]
        left_o, left_n = [], []
        by_gap: dict[int, list[int]] = {}
        for i, g in zip(is_, gap_o, strict=True):
            by_gap.setdefault(g, []).append(i)
        taken = dict.fromkeys(by_gap, 0)
        for j, g in zip(js, gap_n, strict=True):
            olds = by_gap.get(g)
            if olds is not None and taken[g] < len(olds):
                pairs.append((olds[taken[g]], j))
                taken[g] += 1
            else:
                left_n.append(j)
        for g, olds in by_gap.items():
            left_o.extend(olds[taken[g] :])
        left_o.sort()
        pairs.extend(zip(left_o, left_n, strict=False))
    return pairs


def _top_k_entries(m: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, column, value) of the k largest entries of each row; ties go to the lower column.

    One stable argsort on ``row * scale - value`` ranks every row at once (a 3-key lexsort of
    half a million entries costs ten times more).
    """
    m.sort_indices()
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    if len(rows) == 0:
        return rows, rows, np.zeros(0)
    scale = float(m.data.max()) * 2.0 + 1.0
    order = np.argsort(rows * scale - m.data, kind="stable")
    rank = np.arange(len(order)) - m.indptr[rows[order]]
    keep = order[rank < k]
    return rows[keep], m.indices[keep].astype(np.int64), m.data[keep]


def _top_k_per_row(m: sparse.csr_matrix, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(row, column) of the k largest entries of each row of a CSR matrix."""
    rows, cols, _ = _top_k_entries(m, k)
    return rows, cols


def _prefixes(
    m: sparse.csr_matrix, rank: np.ndarray, allowed: np.ndarray, p: int
) -> sparse.csr_matrix:
    """Each row's ``p`` rarest allowed stems (lowest ``rank``), as a binary matrix like ``m``."""
    rows = np.repeat(np.arange(m.shape[0], dtype=np.int64), np.diff(m.indptr))
    cols = m.indices.astype(np.int64)
    ok = allowed[cols]
    rows, cols = rows[ok], cols[ok]
    order = np.argsort(rows * len(rank) + rank[cols], kind="stable")
    sorted_rows = rows[order]
    first = np.searchsorted(sorted_rows, sorted_rows, side="left")
    keep = order[np.arange(len(order)) - first < p]
    return sparse.csr_matrix(
        (np.ones(len(keep)), (rows[keep], cols[keep])), shape=m.shape, dtype=np.float64
    )


#: Score entries computed at once by a candidate join (about 40 MB of scores).
_BLOCK_WORK = 2_000_000


def _stem_ranks(o_m: sparse.csr_matrix, n_m: sparse.csr_matrix) -> tuple[np.ndarray, ...]:
    """Per stem: rarity rank (by points holding it in both versions, ties by id), postings."""
    po = np.asarray(o_m.sum(axis=0)).ravel()
    pn = np.asarray(n_m.sum(axis=0)).ravel()
    df = po + pn
    rank = np.empty(len(df), dtype=np.int64)
    rank[np.lexsort((np.arange(len(df)), df))] = np.arange(len(df))
    return rank, po, pn


def _within_budget(prefix: sparse.csr_matrix, cost: np.ndarray, budget: float) -> sparse.csr_matrix:
    """Drop the prefix entries whose stems cost most (longest lists) until the work fits.

    The costliest handles are the weakest (the commonest stems), so a text of few distinct
    words degrades to the positional candidates instead of to an all-pairs join.
    """
    entry_cost = cost[prefix.indices]
    costs = np.sort(entry_cost)
    fit = int(np.searchsorted(np.cumsum(costs), budget, side="right"))
    if fit < len(costs):
        prefix = prefix.copy()
        prefix.data[entry_cost >= costs[fit]] = 0
        prefix.eliminate_zeros()
    return prefix


def _join_top_k(
    left: sparse.csr_matrix, right: sparse.csr_matrix, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """(left row, right row) pairs among the k best of each row and column of left @ rightᵀ.

    Computed in blocks of left rows of bounded work, so memory stays bounded: a row's top k is
    exact within its block, and a column's global top k is among its per-block top k.
    """
    empty = np.zeros(0, dtype=np.int64)
    n_left, n_right = left.shape[0], right.shape[0]
    if n_left == 0 or n_right == 0 or left.nnz == 0:
        return empty, empty
    right_t = right.T.tocsr()
    postings = np.diff(right_t.indptr).astype(np.float64)
    cum = np.cumsum((left != 0) @ postings)
    cuts = np.searchsorted(cum, np.arange(_BLOCK_WORK, cum[-1], _BLOCK_WORK))
    edges = np.unique(np.concatenate(([0], cuts, [n_left]))).tolist()
    rows_out, cols_out = [empty], [empty]
    col_c, col_r, col_v = [empty], [empty], [np.zeros(0)]
    for start, stop in itertools.pairwise(edges):
        shared = (left[start:stop] @ right_t).tocsr()
        r, c = _top_k_per_row(shared, k)
        rows_out.append(r + start)
        cols_out.append(c)
        cc, rr, vv = _top_k_entries(shared.T.tocsr(), k)
        col_c.append(cc)
        col_r.append(rr + start)
        col_v.append(vv)
    by_col = sparse.csr_matrix(
        (np.concatenate(col_v), (np.concatenate(col_c), np.concatenate(col_r))),
        shape=(n_right, n_left),
    )
    c2, r2 = _top_k_per_row(by_col, k)
    return np.concatenate([*rows_out, r2]), np.concatenate([*cols_out, c2])


def _rare_candidates(
    o_m: sparse.csr_matrix, n_m: sparse.csr_matrix, w: np.ndarray, settings: AlignSettings
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs of points whose rarest stems meet (prefix filtering on an inverted index).

    Each point offers its ``prefix_stems`` rarest stems that occur in the other version; a pair
    is proposed when their prefixes share a stem, scored by the shared stems' squared weights,
    and the best ``candidates_per_point`` of every point are kept. Two renderings of one point
    share their rarest words, so their prefixes meet; a global "rare enough" cut would instead
    starve the points made of middling words. The work is held to ``candidate_budget`` per
    point (see :func:`_within_budget`).
    """
    rank, po, pn = _stem_ranks(o_m, n_m)
    pre_o = _prefixes(o_m, rank, pn > 0, settings.prefix_stems)
    pre_n = _prefixes(n_m, rank, po > 0, settings.prefix_stems)
    holders_n = np.asarray(pre_n.sum(axis=0)).ravel()
    budget = settings.candidate_budget * (o_m.shape[0] + n_m.shape[0])
    pre_o = _within_budget(pre_o, holders_n, budget)
    return _join_top_k((pre_o @ sparse.diags(w**2)).tocsr(), pre_n, settings.candidates_per_point)


def _leftover_candidates(
    o_m: sparse.csr_matrix,
    n_m: sparse.csr_matrix,
    w: np.ndarray,
    left_o: np.ndarray,
    left_n: np.ndarray,
    settings: AlignSettings,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs for points still unmatched: their rarest stems against every stem of the other side.

    Asymmetric on purpose: the minor part of a merge (or a split) is contained in its whole, but
    its rare stems need not be the whole's rarest, so prefix meeting prefix can miss it.
    """
    rank, po, pn = _stem_ranks(o_m, n_m)
    k, p = settings.candidates_per_point, settings.prefix_stems
    w2 = sparse.diags(w**2)
    budget = settings.candidate_budget * (len(left_o) + len(left_n))
    pre_o = _within_budget(_prefixes(o_m[left_o], rank, pn > 0, p), pn, budget / 2)
    pre_n = _within_budget(_prefixes(n_m[left_n], rank, po > 0, p), po, budget / 2)
    oi, oj = _join_top_k((pre_o @ w2).tocsr(), n_m, k)
    nj, ni = _join_top_k((pre_n @ w2).tocsr(), o_m, k)
    return np.concatenate((left_o[oi], ni)), np.concatenate((oj, left_n[nj]))


def _assign(ii: np.ndarray, jj: np.ndarray, score: np.ndarray) -> list[tuple[int, int]]:
    """Maximum-weight 1:1 matching on a sparse bipartite graph (LAPJVsp); may leave points out.

    Each new point gets a private dummy partner of negligible weight, so a full matching always
    exists and a point is left unmatched whenever pairing it would lower the total.
    """
    # An edge whose two points have no other edge is a component of its own, matched as is;
    # only the rest (points with rival partners) needs the solver.
    alone = (np.bincount(ii)[ii] == 1) & (np.bincount(jj)[jj] == 1)
    pairs = list(zip(ii[alone].tolist(), jj[alone].tolist(), strict=True))
    ii, jj, score = ii[~alone], jj[~alone], score[~alone]
    if len(ii) == 0:
        return sorted(pairs)
    small = _assign_by_enumeration(ii.tolist(), jj.tolist(), score.tolist())
    if small is not None:
        return sorted(pairs + small)
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


#: Rival pairs in one connected group that :func:`_assign_by_enumeration` still enumerates.
_ENUMERATE_EDGES = 12


def _assign_by_enumeration(
    ii: list[int], jj: list[int], score: list[float]
) -> list[tuple[int, int]] | None:
    """:func:`_assign`'s matching found by trying every matching of each connected group.

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
        matchings = [(0.0, (), frozenset[int](), frozenset[int]())]
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


class _Residual:
    """Stem bags and pair scores for the points left after exact matching."""

    def __init__(
        self,
        norm_old: Sequence[str],
        norm_new: Sequence[str],
        res_old: np.ndarray,
        res_new: np.ndarray,
        sample_old: np.ndarray,
        n_matched: int,
        settings: AlignSettings,
    ) -> None:
        self.res_old, self.res_new = res_old, res_new
        texts = [norm_old[i] for i in res_old.tolist()]
        texts += [norm_new[j] for j in res_new.tolist()]
        texts += [norm_old[i] for i in sample_old.tolist()]
        bags = _bags(texts, settings.stem_length)
        n_o, n_n = len(res_old), len(res_new)
        rows_o = np.arange(n_o)
        rows_n = np.arange(n_o, n_o + n_n)
        rows_s = np.arange(n_o + n_n, len(texts))
        scale = n_matched / len(sample_old) if len(sample_old) else 0.0
        n_docs = max(len(norm_old), len(norm_new), 1)
        self.w = _weights(bags, rows_o, rows_n, rows_s, scale, n_docs, settings.stopword_weight)
        self.o_m = bags.matrix[:n_o]
        self.n_m = bags.matrix[n_o : n_o + n_n]
        self.size_o = self.o_m @ self.w
        self.size_n = self.n_m @ self.w
        # Positions in the residual arrays, by point index.
        self.pos_old = {i: k for k, i in enumerate(res_old.tolist())}
        self.pos_new = {j: k for k, j in enumerate(res_new.tolist())}
        self._bags: dict[tuple[str, int], dict[int, float]] = {}

    def score(self, ii: np.ndarray, jj: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(dice, old-in-new containment, new-in-old containment) for residual positions."""
        if len(ii) == 0:
            z = np.zeros(0)
            return z, z, z
        inter = _pair_inter(self.o_m, self.n_m, self.w, ii, jj)
        so, sn = self.size_o[ii], self.size_n[jj]
        with np.errstate(divide="ignore", invalid="ignore"):
            dice = np.where(so + sn > 0, 2 * inter / (so + sn), 0.0)
            c_old = np.where(so > 0, inter / so, 0.0)
            c_new = np.where(sn > 0, inter / sn, 0.0)
        return np.minimum(dice, 1.0), np.minimum(c_old, 1.0), np.minimum(c_new, 1.0)

    def bag(self, side: str, pos: int) -> dict[int, float]:
        """Stem → weight for one residual point (small: plain dicts beat numpy set ops here)."""
        key = (side, pos)
        got = self._bags.get(key)
        if got is None:
            m = self.o_m if side == "old" else self.n_m
            cols = m.indices[m.indptr[pos] : m.indptr[pos + 1]]
            got = self._bags[key] = dict(zip(cols.tolist(), self.w[cols].tolist(), strict=True))
        return got


def _union_fit(
    res: _Residual, whole_side: str, whole: int, part_side: str, parts: Sequence[int]
) -> tuple[float, float]:
    """(coverage of the whole by the parts' union, Dice of union and whole), residual positions."""
    whole_bag = res.bag(whole_side, whole)
    union: dict[int, float] = {}
    for p in parts:
        union.update(res.bag(part_side, p))
    covered = sum(v for c, v in whole_bag.items() if c in union)
    size_whole = sum(whole_bag.values())
    total = size_whole + sum(union.values())
    coverage = covered / size_whole if size_whole > 0 else 0.0
    return coverage, (2 * covered / total if total > 0 else 0.0)


def _combine(
    res: _Residual,
    ii: np.ndarray,
    jj: np.ndarray,
    dice: np.ndarray,
    c_old: np.ndarray,
    c_new: np.ndarray,
    matched: dict[int, int],
    settings: AlignSettings,
) -> list[tuple[float, str, int, tuple[int, ...]]]:
    """Merge and split proposals as (score, whole side, whole, parts), in residual positions.

    ``matched`` maps residual old position to residual new position for the 1:1 pairs; a part
    may be unmatched or matched to the whole itself, never taken from another pair.

    Two kinds of evidence beyond the rule above. A paraphrased part, less contained than the
    threshold, still joins when it stands beside a part that is (a merge's rewritten half) and
    the parts together explain the whole: their union covers at least the containment threshold
    of it. And a whole that holds every part nearly verbatim (far containment) is a merge or
    split even when much of it is new text, so its Dice with the union falls short of the match
    threshold: the parts are there, word for word.
    """
    matched_new = {j: i for i, j in matched.items()}
    proposals: list[tuple[float, str, int, tuple[int, ...]]] = []
    # A paraphrased part needs at least the positional prior's similarity of its own.
    weak_bar = min(settings.positional_threshold, settings.containment_threshold)
    for whole_side, part_side, whole_idx, part_idx, contain in (
        ("new", "old", jj, ii, c_old),
        ("old", "new", ii, jj, c_new),
    ):
        ok = contain >= weak_bar
        if not ok.any():
            continue
        w_sel, p_sel, c_sel = whole_idx[ok], part_idx[ok], contain[ok]
        d_sel = dice[ok]
        order = np.lexsort((p_sel, w_sel))
        w_sel, p_sel, c_sel, d_sel = w_sel[order], p_sel[order], c_sel[order], d_sel[order]
        bounds = np.flatnonzero(np.diff(w_sel)) + 1
        for chunk in np.split(np.arange(len(w_sel)), bounds):
            if len(chunk) < 2:
                continue
            whole = int(w_sel[chunk[0]])
            parts = []
            for k in chunk.tolist():
                p = int(p_sel[k])
                partner = matched.get(p) if part_side == "old" else matched_new.get(p)
                if partner is None or partner == whole:
                    parts.append((float(c_sel[k]), float(d_sel[k]), p))
            if len(parts) < 2:
                continue
            point_of = res.res_old if part_side == "old" else res.res_new
            # Strongest first: a part earns its place only by covering more of the whole.
            parts.sort(key=lambda t: (-t[1], t[2]))
            if parts[0][0] < settings.containment_threshold:
                continue  # no part is clearly inside the whole
            chosen = [parts[0][2]]
            coverage, _ = _union_fit(res, whole_side, whole, part_side, chosen)
            weak_parts = False
            for c, _d, p in parts[1:]:
                near = any(
                    abs(int(point_of[p]) - int(point_of[q])) <= settings.part_window for q in chosen
                )
                if not near and c < settings.far_containment_threshold:
                    continue
                beside = any(abs(int(point_of[p]) - int(point_of[q])) == 1 for q in chosen)
                if c < settings.containment_threshold and not beside:
                    continue  # a paraphrased part stands right beside a chosen one
                gain, _ = _union_fit(res, whole_side, whole, part_side, [*chosen, p])
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
                    coverage = gain
                    weak_parts = weak_parts or c < settings.containment_threshold
            if len(chosen) < 2:
                continue
            best_single = max(d for _c, d, p in parts if p in chosen)
            _, fit = _union_fit(res, whole_side, whole, part_side, chosen)
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


#: In a gap too big to compare in full, each old point is also compared with the new points
#: this close to its place in order (its rank scaled to the other side): thousands of points
#: that all read alike share no rare stem, and would otherwise never be paired at all.
_BAND = 8


def _known_in_gaps(
    res: _Residual,
    known: np.ndarray,
    left_o: np.ndarray,
    g_o: np.ndarray,
    left_n: np.ndarray,
    g_n: np.ndarray,
    gaps: list[int],
) -> list[tuple[int, int]]:
    """The already scored candidate pairs (``known``: old position * width + new position,
    sorted) whose two points are both left over in one of ``gaps``.

    For gaps too big to compare in full. One pass over ``known``, so the cost is the number of
    candidates, not the product of the gap's two sides (thousands of near-identical points in
    one gap made that product a minute of CPU).
    """
    width = len(res.res_new)
    gap_at_old = np.full(len(res.res_old), -1, dtype=np.int64)
    gap_at_old[np.searchsorted(res.res_old, left_o)] = g_o
    gap_at_new = np.full(width, -2, dtype=np.int64)
    gap_at_new[np.searchsorted(res.res_new, left_n)] = g_n
    ko, kn = known // width, known % width
    go = gap_at_old[ko]
    hit = (go == gap_at_new[kn]) & np.isin(go, np.array(gaps, dtype=np.int64))
    return list(zip(res.res_old[ko[hit]].tolist(), res.res_new[kn[hit]].tolist(), strict=True))


def _gap_fill(
    res: _Residual,
    groups: list[tuple[tuple[int, ...], tuple[int, ...]]],
    identical: list[bool],
    free_old_left: np.ndarray,
    free_new_left: np.ndarray,
    settings: AlignSettings,
    known: np.ndarray,
) -> list[tuple[int, int, float]]:
    """Pair leftover points in order between consecutive stable matches (the positional prior).

    In each gap a heaviest in-order chain of pairs with at least ``positional_threshold`` is
    taken. A gap holding exactly one point on each side whose stable neighbours are rewordings
    (not identical texts) is paired whatever its wording: the surrounding text is a paraphrase,
    so a lone point between two paraphrased neighbours is the same point paraphrased harder.
    Between identical neighbours the same lone pair is more likely a point replaced by another.
    """
    left_o = np.flatnonzero(free_old_left)
    left_n = np.flatnonzero(free_new_left)
    if len(left_o) == 0 or len(left_n) == 0:
        return []
    pins_changed: list[bool] = []
    if groups:
        new_keys = np.array([n[0] for _, n in groups])
        old_keys = np.array([o[0] for o, _ in groups])
        weights = np.array([len(o) + len(n) for o, n in groups], dtype=np.float64)
        stable = np.flatnonzero(_stable_items(new_keys, old_keys, weights))
        stable = stable[np.argsort(new_keys[stable], kind="stable")]
        pin_old = old_keys[stable]
        pin_new = new_keys[stable]
        pins_changed = [not identical[k] for k in stable.tolist()]
    else:
        pin_old = pin_new = np.zeros(0, dtype=np.int64)
    g_o = np.searchsorted(pin_old, left_o)
    g_n = np.searchsorted(pin_new, left_n)
    by_gap_o: dict[int, list[int]] = {}
    for i, g in zip(left_o.tolist(), g_o.tolist(), strict=True):
        by_gap_o.setdefault(g, []).append(i)
    by_gap_n: dict[int, list[int]] = {}
    for j, g in zip(left_n.tolist(), g_n.tolist(), strict=True):
        by_gap_n.setdefault(g, []).append(j)

    def paraphrased(g: int) -> bool:
        around = pins_changed[max(g - 1, 0) : g + 1]  # the neighbours that exist
        return bool(around) and all(around)

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
                todo.extend((i, j) for j in news[max(0, centre - _BAND) : centre + _BAND + 1])
    if big:
        todo.extend(_known_in_gaps(res, known, left_o, g_o, left_n, g_n, big))
        todo = list(dict.fromkeys(todo))
    if not todo:
        return []
    ii = np.array([res.pos_old[i] for i, _ in todo])
    jj = np.array([res.pos_new[j] for _, j in todo])
    dice, _, _ = res.score(ii, jj)
    pairs_by_gap: dict[int, list[tuple[int, int, float]]] = {}
    gap_of_old = dict(zip(left_o.tolist(), g_o.tolist(), strict=True))
    for (i, j), d in zip(todo, dice.tolist(), strict=True):
        if d >= settings.positional_threshold or (i, j) in lone:
            pairs_by_gap.setdefault(gap_of_old[i], []).append((i, j, d))
    found: list[tuple[int, int, float]] = []
    for g in sorted(pairs_by_gap):
        edges = sorted(pairs_by_gap[g], key=lambda e: (e[1], -e[0]))
        chain = _heaviest_chain([e[0] for e in edges], [e[2] + 1e-9 for e in edges])
        found.extend(edges[k] for k in chain)
    return found


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
    fixed_old, fixed_new, fixed_groups = _check_fixed(fixed, n_old, n_new)
    norm_old = [normalise(t) for t in old]
    norm_new = [normalise(t) for t in new]

    used_old, used_new = fixed_old, fixed_new
    exact = _exact_pairs(norm_old, norm_new, used_old, used_new)
    result = [(ChangeKind.UNCHANGED, (i,), (j,), 1.0) for i, j in exact]
    for i, j in exact:
        used_old[i] = used_new[j] = True

    matched_groups = [(o, n) for o, n in fixed_groups if o and n]
    matched_groups += [((i,), (j,)) for i, j in exact]

    if not all(used_old) and not all(used_new):  # points left on both sides: numpy from here
        res_old = np.flatnonzero(~np.array(used_old, dtype=bool))
        res_new = np.flatnonzero(~np.array(used_new, dtype=bool))
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


class _Pins(NamedTuple):
    """Stable matched groups (first old and first new point, both ascending) and the gap
    number of every residual point: how many pins precede it."""

    old: np.ndarray
    new: np.ndarray
    gap_old: np.ndarray
    gap_new: np.ndarray


def _pins(
    groups: Sequence[tuple[tuple[int, ...], tuple[int, ...]]],
    res_old: np.ndarray,
    res_new: np.ndarray,
) -> _Pins:
    if groups:
        new_keys = np.fromiter((n[0] for _, n in groups), dtype=np.int64, count=len(groups))
        old_keys = np.fromiter((o[0] for o, _ in groups), dtype=np.int64, count=len(groups))
        weights = np.fromiter(
            (len(o) + len(n) for o, n in groups), dtype=np.float64, count=len(groups)
        )
        stable = _stable_items(new_keys, old_keys, weights)
        pin_old, pin_new = np.sort(old_keys[stable]), np.sort(new_keys[stable])
    else:
        pin_old = pin_new = np.zeros(0, dtype=np.int64)
    return _Pins(
        pin_old, pin_new, np.searchsorted(pin_old, res_old), np.searchsorted(pin_new, res_new)
    )


def _pin_neighbours(
    pins: _Pins, res_old: np.ndarray, res_new: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each residual point with the residual partners of the two pins around its gap.

    A merge's minor part sits next to the pair that took its major part, and a split's second
    part next to the pair that took its first: the whole is a pin, not in the gap.
    """
    out_i: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    out_j: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    n_pins = len(pins.old)
    for side_gaps, pin_other, res_other, is_old in (
        (pins.gap_old, pins.new, res_new, True),
        (pins.gap_new, pins.old, res_old, False),
    ):
        for shift in (-1, 0):
            k = side_gaps + shift
            ok = (k >= 0) & (k < n_pins)
            points = np.flatnonzero(ok)
            partner = pin_other[k[ok]]
            pos = np.searchsorted(res_other, partner)
            found = (pos < len(res_other)) & (
                res_other[np.minimum(pos, len(res_other) - 1)] == partner
            )
            points, pos = points[found], pos[found]
            out_i.append(points if is_old else pos)
            out_j.append(pos if is_old else points)
    return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j).astype(np.int64)


def _local_pairs(gap_o: np.ndarray, gap_n: np.ndarray, limit: int) -> tuple[np.ndarray, np.ndarray]:
    """Every (old, new) residual pair sharing a gap, for gaps with at most ``limit`` pairs."""
    o_order = np.argsort(gap_o, kind="stable")
    n_order = np.argsort(gap_n, kind="stable")
    o_gaps, o_start, o_count = np.unique(gap_o[o_order], return_index=True, return_counts=True)
    n_gaps, n_start, n_count = np.unique(gap_n[n_order], return_index=True, return_counts=True)
    n_at = {
        g: (s, c)
        for g, s, c in zip(n_gaps.tolist(), n_start.tolist(), n_count.tolist(), strict=True)
    }
    out_i: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    out_j: list[np.ndarray] = [np.zeros(0, dtype=np.int64)]
    for g, s, c in zip(o_gaps.tolist(), o_start.tolist(), o_count.tolist(), strict=True):
        hit = n_at.get(g)
        if hit is None or c * hit[1] > limit:
            continue
        olds = o_order[s : s + c]
        news = n_order[hit[0] : hit[0] + hit[1]]
        out_i.append(np.repeat(olds, len(news)))
        out_j.append(np.tile(news, len(olds)))
    return np.concatenate(out_i).astype(np.int64), np.concatenate(out_j).astype(np.int64)


def _assign_strong(
    ii: np.ndarray, jj: np.ndarray, dice: np.ndarray, pins: _Pins, settings: AlignSettings
) -> list[tuple[int, int]]:
    """The 1:1 assignment over pairs at or above the match threshold, locality rewarded."""
    strong = dice >= settings.match_threshold
    bonus = np.where(pins.gap_old[ii] == pins.gap_new[jj], settings.gap_bonus, 0.0)
    return _assign(ii[strong], jj[strong], dice[strong] + bonus[strong])


def _align_residual(
    norm_old: Sequence[str],
    norm_new: Sequence[str],
    res_old: np.ndarray,
    res_new: np.ndarray,
    matched_groups: list[tuple[tuple[int, ...], tuple[int, ...]]],
    exact: list[tuple[int, int]],
    settings: AlignSettings,
) -> list[_Group]:
    """Steps 2–5 of the module docstring on the points exact matching left over."""
    if exact and settings.idf_sample:
        step = max(1, len(exact) // settings.idf_sample)
        sample_old = np.array(sorted(i for i, _ in exact[::step]), dtype=np.int64)
    else:
        sample_old = np.zeros(0, dtype=np.int64)
    res = _Residual(norm_old, norm_new, res_old, res_new, sample_old, len(exact), settings)

    # Round 1: rare stems anywhere, plus every pair in a small gap between pinned neighbours.
    pins = _pins(matched_groups, res_old, res_new)
    ci, cj = _rare_candidates(res.o_m, res.n_m, res.w, settings)
    li, lj = _local_pairs(pins.gap_old, pins.gap_new, settings.dense_gap_limit)
    width = len(res_new)
    pair_keys = _distinct(np.concatenate((ci * width + cj, li * width + lj)))
    ii, jj = pair_keys // width, pair_keys % width
    dice, c_old, c_new = res.score(ii, jj)
    one_to_one = _assign_strong(ii, jj, dice, pins, settings)

    # Round 2: confident rewordings pin the residual too. Without exact anchors (two outlets'
    # renderings of a long text) round 1 sees one huge gap; now the gaps are small again and
    # their pairs (a split's short part, a merge's minor part) are compared in full, as are
    # leftovers with the pairs around them.
    pinned = matched_groups + [((int(res_old[o]),), (int(res_new[n]),)) for o, n in one_to_one]
    pins = _pins(pinned, res_old, res_new)
    li, lj = _local_pairs(pins.gap_old, pins.gap_new, settings.dense_gap_limit)
    ni, nj = _pin_neighbours(pins, res_old, res_new)
    paired_o = np.zeros(len(res_old), dtype=bool)
    paired_n = np.zeros(width, dtype=bool)
    paired_o[[o for o, _ in one_to_one]] = True
    paired_n[[n for _, n in one_to_one]] = True
    xi, xj = _leftover_candidates(
        res.o_m, res.n_m, res.w, np.flatnonzero(~paired_o), np.flatnonzero(~paired_n), settings
    )
    extra = _distinct(np.concatenate((li * width + lj, ni * width + nj, xi * width + xj)))
    extra = extra[~np.isin(extra, pair_keys, kind="sort")]
    if len(extra):
        e_dice, e_old, e_new = res.score(extra // width, extra % width)
        pair_keys = np.concatenate((pair_keys, extra))
        order = np.argsort(pair_keys, kind="stable")
        pair_keys = pair_keys[order]
        ii, jj = pair_keys // width, pair_keys % width
        dice = np.concatenate((dice, e_dice))[order]
        c_old = np.concatenate((c_old, e_old))[order]
        c_new = np.concatenate((c_new, e_new))[order]
        one_to_one = _assign_strong(ii, jj, dice, pins, settings)
    matched = dict(one_to_one)

    # Merges and splits override the 1:1 pairs they absorb.
    taken_o: set[int] = set()
    taken_n: set[int] = set()
    groups: list[_Group] = []
    for fit, whole_side, whole, parts in _combine(
        res, ii, jj, dice, c_old, c_new, matched, settings
    ):
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
        d = float(dice[np.searchsorted(pair_keys, o * len(res_new) + n)])
        groups.append((_pair_kind(norm_old, norm_new, i, j), (i,), (j,), round(d, 6)))

    # Positional prior for what is left, between stable neighbours.
    left_o = np.zeros(len(norm_old), dtype=bool)
    left_o[res_old] = True
    left_n = np.zeros(len(norm_new), dtype=bool)
    left_n[res_new] = True
    left_o[[i for g in groups for i in g[1]]] = False
    left_n[[j for g in groups for j in g[2]]] = False
    # matched_groups is the curated groups (changes by definition), then the exact pairs.
    base_identical = [False] * (len(matched_groups) - len(exact)) + [True] * len(exact)
    # Two passes: pairs found in the first narrow the gaps, and a lone point may then turn out
    # to sit between two paraphrased neighbours.
    for _ in range(2):
        all_groups = matched_groups + [(g[1], g[2]) for g in groups]
        identical = base_identical + [g[0] is ChangeKind.UNCHANGED for g in groups]
        found = _gap_fill(res, all_groups, identical, left_o, left_n, settings, pair_keys)
        for i, j, d in found:
            groups.append((_pair_kind(norm_old, norm_new, i, j), (i,), (j,), round(d, 6)))
            left_o[i] = left_n[j] = False
        if not found:
            break
    return groups


def _pair_kind(norm_old: Sequence[str], norm_new: Sequence[str], i: int, j: int) -> ChangeKind:
    return ChangeKind.UNCHANGED if norm_old[i] == norm_new[j] else ChangeKind.REWORDED


def _finish(
    groups: list[_Group],
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
    stable = _stable_flags(
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
    return tuple(_correspondence(*groups[k], flags[k]) for k in order)


_new_correspondence = trusted_constructor(Correspondence)


def _correspondence(
    kind: ChangeKind,
    old: tuple[int, ...],
    new: tuple[int, ...],
    similarity: float | None,
    moved: bool,
) -> Correspondence:
    """A Correspondence built without validation, from values this module has checked."""
    return _new_correspondence(  # type: ignore[no-any-return]
        kind=kind, old=old, new=new, similarity=similarity, moved=moved
    )
