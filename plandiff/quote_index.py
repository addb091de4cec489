"""Where in a re-captured text a lost quote may now be: candidate regions for the fuzzy search.

Scanning the whole new text with a fuzzy matcher for every lost quote costs quotes × text, which
is minutes for a few thousand quotes in a few hundred kilobytes. The text is instead indexed
once by its character k-grams; a quote's rarest k-grams vote for diagonals (a text offset minus
the k-gram's offset in the quote), and only the best-voted stretches, padded by a quote's length
on each side, are handed to the fuzzy matcher. A match that keeps most of the quote keeps some of
its k-grams in place, so its stretch is among those voted for.

The work per quote is bounded: at most :data:`VOTES_PER_QUOTE` positions are read from the
index (rarest k-grams first) and at most :data:`REGIONS_PER_QUOTE` stretches are searched. A
quote none of whose k-grams survive is looked for only near its recorded position.
"""

from __future__ import annotations

import heapq
from collections import Counter

#: Length of the indexed k-grams: long enough that most are rare in running text, short
#: enough that a quote with a changed word every few words keeps some intact.
GRAM = 4
#: Index positions read per quote, rarest k-grams first (a k-gram in every line says little).
VOTES_PER_QUOTE = 1024
#: Stretches of the text searched per quote, the best-voted first.
REGIONS_PER_QUOTE = 8
#: Index positions read to prove that a quote with its whole context occurs only once.
UNIQUE_LOOKUPS = 256
#: How far around its recorded position a quote without any surviving k-gram is looked for.
NEAR_RECORDED = 2048


class QuoteIndex:
    """The positions of every k-gram of one text."""

    __slots__ = ("_where", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        where: dict[str, list[int]] = {}
        for i in range(len(text) - GRAM + 1):
            gram = text[i : i + GRAM]
            found = where.get(gram)
            if found is None:
                where[gram] = [i]
            else:
                found.append(i)
        self._where = where

    def find_unique(self, needle: str) -> int | None:
        """Where ``needle`` occurs in the text if it occurs exactly once; None when it does not
        occur, occurs more often, or is too short or too common to look up cheaply here."""
        if len(needle) < GRAM:
            return None
        count, at = min(
            (len(self._where.get(needle[j : j + GRAM], ())), j)
            for j in range(len(needle) - GRAM + 1)
        )
        if count > UNIQUE_LOOKUPS:
            return None
        found = [
            p - at
            for p in self._where.get(needle[at : at + GRAM], ())
            if p >= at and self.text.startswith(needle, p - at)
        ]
        return found[0] if len(found) == 1 else None

    def starts(self, quote: str, near: int | None = None) -> list[int]:
        """Sorted start offsets of the windows of the quote's length that may hold its best
        match; ``near`` (where the quote was recorded) centres the fallback when no k-gram of
        the quote is left in the text."""
        m, n = len(quote), len(self.text)
        offsets: dict[str, list[int]] = {}
        for j in range(m - GRAM + 1):
            offsets.setdefault(quote[j : j + GRAM], []).append(j)
        ranked = sorted(
            (len(self._where[g]) * len(js), g) for g, js in offsets.items() if g in self._where
        )
        band = max(GRAM, m // 4)
        votes: Counter[int] = Counter()
        read = 0
        for cost, gram in ranked:
            if read and read + cost > VOTES_PER_QUOTE:
                break
            where = self._where[gram][: VOTES_PER_QUOTE // len(offsets[gram])]
            votes.update((p - j) // band for j in offsets[gram] for p in where)
            read += cost
        last = max(0, n - m)
        if not votes:
            if near is None:
                return []
            return list(range(max(0, near - NEAR_RECORDED), min(last, near + NEAR_RECORDED) + 1))
        slack = m // 4 + GRAM
        found: set[int] = set()
        for b, _ in heapq.nsmallest(REGIONS_PER_QUOTE, votes.items(), key=_most_votes):
            found.update(range(max(0, b * band - slack), min(last, (b + 1) * band + slack) + 1))
        return sorted(found)


def _most_votes(bucket: tuple[int, int]) -> tuple[int, int]:
    return -bucket[1], bucket[0]


_latest: list[QuoteIndex] = []


def index_of(text: str) -> QuoteIndex:
    """The index of ``text``, built once for the many quotes re-anchored in one new text."""
    if _latest and _latest[0].text == text:
        return _latest[0]
    index = QuoteIndex(text)
    _latest[:] = [index]
    return index
