"""Word-level redlines of two point texts, and the numbers, dates and durations that changed.

:func:`redline` diffs *word tokens* rather than characters, so a change from "600,000" to
"800,000" reads as one replaced number and never as "[6→8]00,000", and "Ukraine's" is never
cut at its apostrophe. Each distinct token is mapped to one private character (the way
diff-match-patch's own ``diff_linesToChars`` maps lines); a shortest edit script of the two
character strings comes from rapidfuzz's bit-parallel LCS (C, microseconds a point), and
diff-match-patch's ``diff_cleanupSemantic`` then folds small coincidental equalities ("the",
a shared space) into the surrounding change, so the redline reads the way a person would mark
it up. Only very long texts are first cut at tokens found once in each (as patience diff does),
to bound memory; see :func:`_anchored_diff`. Nothing depends on a clock: the redline is a
function of the two texts alone, the same on a laptop and on a loaded CI runner.

:func:`substantive_changes` reads a redline and reports the quantities that differ inside its
changed regions: numbers, amounts, percentages, dates and durations, as written on each side.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator, Sequence
from functools import cache
from itertools import chain, count, zip_longest
from typing import Any, NamedTuple

from rapidfuzz.distance import Indel

from plandiff.result import Redline, RedlineOp, Substantive, SubstantiveKind

__all__ = ["marked_up", "redline", "substantive_changes", "tokens"]

#: Code points handed out to tokens, in this order: the Private Use Area first, then the
#: supplementary private planes, then everything else that is not a surrogate (Python strings
#: may hold lone surrogates, but they are not characters and other tools choke on them). Over a
#: million distinct tokens fit.
_CODE_POINT_RANGES = (
    (0xE000, 0xF900),
    (0xF0000, 0x110000),
    (0x10000, 0xF0000),
    (0x0100, 0xD800),
    (0xF900, 0x10000),
)
_CAPACITY = sum(stop - start for start, stop in _CODE_POINT_RANGES)
#: The Private Use Area as one string: enough for nearly every pair of points, zipped at C speed.
_FIRST_CHARACTERS = "".join(map(chr, range(*_CODE_POINT_RANGES[0])))


@cache
def _token_pattern(with_marks: bool = True) -> re.Pattern[str]:
    """Word tokens, whitespace runs, or single other characters.

    A word is a run of word characters and combining marks (so Devanagari vowel signs and
    decomposed accents stay inside their word), with apostrophes and hyphens between letters
    (``Ukraine's``, ``ceasefire-related``) and ``.``/``,`` between digits (``600,000``,
    ``3.5``) kept inside. Built on first use: listing the marks takes 15–20 milliseconds, so
    texts without marks use the same pattern without them (``with_marks=False``), which finds
    the same tokens in such a text.
    """
    marks = ""
    if with_marks:
        marks = "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if _is_mark(chr(c)))
    word = rf"[\w{marks}]+"
    return re.compile(
        rf"{word}(?:(?:['’ʼ\-‐‑]|(?<=\d)[.,](?=\d)){word})*|\s+|.",
        re.DOTALL,
    )


def _is_mark(ch: str) -> bool:
    """Whether ``ch`` is a combining mark that :func:`_token_pattern` keeps inside words."""
    return 0x300 <= ord(ch) < 0x10000 and unicodedata.category(ch)[0] == "M"


def tokens(text: str) -> list[str]:
    """The word tokens, whitespace runs and other characters of ``text``, which they rebuild."""
    with_marks = not text.isascii() and any(map(_is_mark, set(text)))
    return _token_pattern(with_marks).findall(text)


#: Largest product of the token counts of two texts (or of two stretches between anchors) that
#: is diffed token by token in one go. The bit-parallel LCS keeps a bit matrix of that many
#: bits to trace the edit script back: 16 million tokens² is 2 MB and a few milliseconds, two
#: points of 4,000 tokens (about 2,000 words: a word and the space after it are two tokens).
#: Longer texts are first cut at tokens found once in each (see :func:`_anchored_runs`); a
#: stretch between anchors still larger than this is shown as deleted and inserted whole, which
#: is exact and the same on every machine.
MAX_DIFF_WORK = 16_000_000


class _TooManyTokens(Exception):
    """More distinct tokens than there are characters to stand for them."""


#: Equal tokens: (start in old, start in new, how many). A diff is kept as its equal runs, in
#: order; what lies between two runs (old tokens, new tokens, or both) is a change. Every cleanup
#: step only removes, moves or adds runs, so deletions and insertions stay contiguous by
#: construction. Plain tuples: a diff of 30,000 points makes a few hundred thousand of them.
_Run = tuple[int, int, int]


def redline(old: str, new: str) -> Redline:
    """The word-level diff of ``old`` and ``new``.

    Equal and deleted parts rebuild ``old`` exactly; equal and inserted parts rebuild ``new``.
    Every part is a whole number of tokens of :func:`tokens`, adjacent parts have different
    operations, a deletion comes before the insertion that replaces it, and identical inputs
    give a single equal part (none when both are empty).
    """
    return _new_redline(ops=tuple(_diff(old, new, capacity=_CAPACITY)))


# The parts are built here from the texts' own tokens and RedlineOp members: validating them
# again costs a fifth of a redline.
_new_redline = Redline


#: A redline and the figures that changed in it.
MarkedUp = tuple[Redline, tuple[Substantive, ...]]


def marked_up(pairs: Sequence[tuple[str, str]]) -> list[MarkedUp]:
    """:func:`redline` and :func:`substantive_changes` of each (old, new) pair, in order."""
    out = []
    for old, new in pairs:
        marked = redline(old, new)
        out.append((marked, substantive_changes(marked)))
    return out


def _diff(old: str, new: str, *, capacity: int) -> list[tuple[RedlineOp, str]]:
    if old == new:
        return [(RedlineOp.EQUAL, old)] if old else []
    old_tokens, new_tokens = tokens(old), tokens(new)
    try:
        old_chars, new_chars = _encode(old_tokens, new_tokens, capacity)
    except _TooManyTokens:
        return _coarse(old_tokens, new_tokens)
    if len(old_chars) * len(new_chars) <= MAX_DIFF_WORK:
        runs = _lcs_runs(old_chars, new_chars)
    else:
        runs = _anchored_runs(old_chars, new_chars)
    runs = [(0, 0, 0), *runs, (len(old_chars), len(new_chars), 0)]
    runs = _absorb_equalities(runs, old_chars, new_chars)
    runs = _eliminate_small_equalities(runs)
    runs = _absorb_equalities(runs, old_chars, new_chars)
    _align_to_boundaries(runs, old_tokens, new_tokens)
    runs = _extract_overlaps(runs, old_chars, new_chars)
    return _parts(runs, old_tokens, new_tokens)


def _lcs_runs(old: str, new: str, old_at: int = 0, new_at: int = 0) -> list[_Run]:
    """The equal runs of a shortest insert/delete script turning ``old`` into ``new``.

    rapidfuzz's Indel opcodes come from a bit-parallel longest common subsequence in C: about
    10 µs for two reworded 80-word points, where diff-match-patch's bisection (the same
    shortest script, in pure Python) takes 0.5–1.5 ms.
    """
    return [
        (i1 + old_at, j1 + new_at, i2 - i1)
        for tag, i1, i2, j1, _ in Indel.opcodes(old, new).as_list()
        if tag == "equal"
    ]


def _anchored_runs(old: str, new: str) -> list[_Run]:
    """The equal runs of two long texts, cut first at tokens found exactly once in each.

    Tokens that occur once in each text and in the same order (the longest such chain, as in
    patience diff) are almost always true correspondences ("NATO", "600,000",
    "Zaporizhzhia"), so the texts are cut there and each stretch between two anchors is
    diffed on its own, keeping the LCS's bit matrix small.
    """
    runs: list[_Run] = []
    old_pos = new_pos = 0
    for i, j in [*unique_anchors(old, new), (len(old), len(new))]:
        old_gap, new_gap = old[old_pos:i], new[new_pos:j]
        if old_gap and new_gap and len(old_gap) * len(new_gap) <= MAX_DIFF_WORK:
            runs += _lcs_runs(old_gap, new_gap, old_pos, new_pos)
        if i < len(old):
            runs.append((i, j, 1))
        old_pos, new_pos = i + 1, j + 1
    return runs


def _absorb_equalities(runs: list[_Run], old: str, new: str) -> list[_Run]:
    """Join touching runs, and let changes swallow the equalities they can slide over.

    diff-match-patch's merge step, on runs: a change whose deletion and insertion start (or
    end) alike gives that much back to the run beside it; and a pure insertion or deletion that
    ends with the whole equality before it ("observers{+, deployed by the OSCE,+} shall" found
    as "observers{+,+} {+deployed by the OSCE, +}shall") slides left over it, or starts with the
    whole equality after it slides right, so the two changes around that equality become one.
    Repeated until nothing slides; a zero-length run keeps each end of the texts.
    """
    while True:
        runs = _join_and_trim(runs, old, new)
        slid = False
        k = 0
        while k < len(runs) - 1:  # the edit between runs[k] and runs[k + 1]
            lo, ln, ll = runs[k]
            ro, rn, rl = runs[k + 1]
            old_gap, new_gap = ro - lo - ll, rn - ln - ll
            # Only between two real equalities: each slide then removes one, so this ends.
            if (old_gap == 0) == (new_gap == 0) or not ll or not rl:
                k += 1
                continue
            text, gap, start = (new, new_gap, ln + ll) if new_gap else (old, old_gap, lo + ll)
            end = start + gap
            if ll <= gap and text[end - ll : end] == text[start - ll : start]:
                merged = (ro - ll, rn - ll, rl + ll)  # the edit moves left over runs[k]
                runs[k : k + 2] = [(0, 0, 0), merged] if k == 0 else [merged]
            elif rl <= gap and text[start : start + rl] == text[end : end + rl]:
                merged = (lo, ln, ll + rl)  # the edit moves right over runs[k + 1]
                last = k + 2 == len(runs)
                runs[k : k + 2] = [merged, (len(old), len(new), 0)] if last else [merged]
            else:
                k += 1
                continue
            slid = True
            k = max(k - 1, 0)
        if not slid:
            return runs


def _join_and_trim(runs: list[_Run], old: str, new: str) -> list[_Run]:
    """Runs with nothing between them joined; two-sided changes without a common start or end."""
    out: list[_Run] = [runs[0]]
    for run in runs[1:]:
        po, pn, pl = out[-1]
        o1, n1 = po + pl, pn + pl
        o2, n2, length = run
        if o1 == o2 and n1 == n2:
            out[-1] = (po, pn, pl + length)
            continue
        if o1 < o2 and n1 < n2:
            limit = min(o2 - o1, n2 - n1)
            head = 0
            while head < limit and old[o1 + head] == new[n1 + head]:
                head += 1
            if head:
                out[-1] = (po, pn, pl + head)
                limit -= head
            tail = 0
            while tail < limit and old[o2 - tail - 1] == new[n2 - tail - 1]:
                tail += 1
            if tail:
                run = (o2 - tail, n2 - tail, length + tail)
        out.append(run)
    return out


def _eliminate_small_equalities(runs: list[_Run]) -> list[_Run]:
    """Fold each equality no longer than the changes on both its sides into them.

    A shortest edit script keeps every coincidental match ("the", a space) between two
    unrelated phrases, which shreds a rewritten sentence into alternating fragments. This is
    diff-match-patch's semantic cleanup rule (an equality goes when it is no longer than the
    larger side of the change before it and of the change after it, lengths in tokens), applied
    until nothing changes; folding one equality grows its neighbours' changes, so a stack
    re-examines the equality before. The first and last runs (the texts' common start and end)
    always stay.
    """
    kept: list[_Run] = []
    for run in runs:
        kept.append(run)
        while len(kept) >= 3:
            (bo, bn, bl), (mo, mn, ml), (ao, an, _) = kept[-3], kept[-2], kept[-1]
            if ml > mo - bo - bl and ml > mn - bn - bl:
                break  # longer than the change before
            if ml > ao - mo - ml and ml > an - mn - ml:
                break  # longer than the change after
            del kept[-2]
    return kept


def _align_to_boundaries(runs: list[_Run], old_tokens: list[str], new_tokens: list[str]) -> None:
    """Slide each pure insertion or deletion to where its edges read best.

    Inserting "the cat " into "the cat sat" can be shown at three places; the one that starts
    and ends at the strongest boundaries (see :func:`_boundary_score`) is kept, the later one on
    a tie.
    """
    for k in range(1, len(runs)):
        (bo, bn, bl), (ao, an, al) = runs[k - 1], runs[k]
        old_gap, new_gap = ao - bo - bl, an - bn - bl
        if (old_gap == 0) == (new_gap == 0) or not bl or not al:
            continue
        text, gap, end = (new_tokens, new_gap, an) if new_gap else (old_tokens, old_gap, ao)
        start = end - gap
        best_shift, best_score = 0, -1
        shift = -min(bl, _common_suffix(text, start, end))
        while True:
            s, e = start + shift, end + shift
            score = _boundary_score(text, s) + _boundary_score(text, e)
            if score >= best_score:
                best_shift, best_score = shift, score
            if shift >= al or e >= len(text) or text[s] != text[e]:
                break
            shift += 1
        if best_shift:
            runs[k - 1] = (bo, bn, bl + best_shift)
            runs[k] = (ao + best_shift, an + best_shift, al - best_shift)
    # A run emptied by a slide is no run: the changes on either side of it are one change.
    runs[1:-1] = [run for run in runs[1:-1] if run[2]]


def _common_suffix(text: list[str], start: int, end: int) -> int:
    """How far the edit ``text[start:end]`` can slide left (its tail repeats before it)."""
    n = 0
    while start - n > 0 and text[start - n - 1] == text[end - n - 1]:
        n += 1
    return n


def _boundary_score(text: list[str], at: int) -> int:
    """How good a place to start or end an edit the gap before ``text[at]`` is (higher: better).

    diff-match-patch's scale, read for words rather than characters: 6 at either end of the
    text, 5 at a blank line, 4 at a line break, 3 between a space and a word (so an edit starts
    with a word and ends with the space after it: "the {+new +}text"), 2 between a word and a
    space, 1 beside punctuation.
    """
    if at <= 0 or at >= len(text):
        return 6
    left, right = text[at - 1], text[at]
    if "\n" in left or "\n" in right or "\r" in left or "\r" in right:
        return 5 if _BLANK_LINE.search(left) or _BLANK_LINE.search(right) else 4
    if left.isspace() and right[0].isalnum():
        return 3
    if right.isspace() and left[-1].isalnum():
        return 2
    return 1  # punctuation on one side (two words or two spaces are never neighbours)


_BLANK_LINE = re.compile(r"\n\r?\n")


def _extract_overlaps(runs: list[_Run], old: str, new: str) -> list[_Run]:
    """Pull out text that a deletion ends with and the following insertion starts with.

    After small equalities are folded, a change may read "delete 'troops will withdraw' /
    insert 'withdraw within 30 days'"; when the shared part is at least half of either side
    it is shown as kept (diff-match-patch's overlap rule), and likewise when the insertion
    ends with what the deletion starts with.
    """
    out: list[_Run] = [runs[0]]
    for run in runs[1:]:
        po, pn, pl = out[-1]
        o1, n1 = po + pl, pn + pl
        o2, n2, _ = run
        if o1 < o2 and n1 < n2:
            deleted, inserted = old[o1:o2], new[n1:n2]
            forward = _overlap(deleted, inserted)
            backward = _overlap(inserted, deleted)
            half = min(len(deleted), len(inserted)) / 2
            if forward >= backward and forward >= half:
                out.append((o2 - forward, n1, forward))
            elif backward > forward and backward >= half:
                out.append((o1, n2 - backward, backward))
        out.append(run)
    return out


def _overlap(first: str, second: str) -> int:
    """Length of the longest end of ``first`` that is also a start of ``second``.

    Knuth-Morris-Pratt's failure function, so linear in the lengths: growing a candidate and
    searching for it again (diff-match-patch's way) is quadratic on repetitive text, minutes
    for a hostile 50,000-word point.
    """
    size = min(len(first), len(second))
    if not size or second[0] not in first:
        return 0
    first, second = first[len(first) - size :], second[:size]
    if first == second:
        return size
    fail = [0] * size  # fail[i]: longest proper border of second[: i + 1]
    k = 0
    for i in range(1, size):
        while k and second[i] != second[k]:
            k = fail[k - 1]
        if second[i] == second[k]:
            k += 1
        fail[i] = k
    k = 0  # how much of second's start the scanned part of first ends with
    for ch in first:
        while k and ch != second[k]:
            k = fail[k - 1]
        if ch == second[k]:
            k += 1
    return k


def _parts(runs: list[_Run], old: list[str], new: list[str]) -> list[tuple[RedlineOp, str]]:
    """The redline's parts: each change's deletion, then its insertion, then the next run.

    Whitespace runs count as equal to one another (see :func:`_encode`), so an equal run may
    pair a line break with a space: there the two whitespace runs are a change of their own,
    joined with any change beside it, so that no two neighbouring parts share an operation and
    a deletion always comes before its insertion.
    """
    # Segments: (old text, new text, equal?); touching changes are joined.
    segments: list[list[Any]] = []
    join = "".join

    def change(deleted: str, inserted: str) -> None:
        if segments and not segments[-1][2]:
            segments[-1][0] += deleted
            segments[-1][1] += inserted
        else:
            segments.append([deleted, inserted, False])

    def equal(text: str) -> None:
        if segments and segments[-1][2]:
            segments[-1][0] += text
        else:
            segments.append([text, text, True])

    old_pos = new_pos = 0
    for old_start, new_start, length in runs:
        if old_start > old_pos or new_start > new_pos:
            change(join(old[old_pos:old_start]), join(new[new_pos:new_start]))
        if length:
            same_from = 0
            for k in range(length):
                a, b = old[old_start + k], new[new_start + k]
                if a != b:  # two different whitespace runs
                    if k > same_from:
                        equal(join(old[old_start + same_from : old_start + k]))
                    change(a, b)
                    same_from = k + 1
            if length > same_from:
                equal(join(old[old_start + same_from : old_start + length]))
        old_pos, new_pos = old_start + length, new_start + length
    parts: list[tuple[RedlineOp, str]] = []
    for deleted, inserted, same in segments:
        if same:
            parts.append((RedlineOp.EQUAL, deleted))
            continue
        if deleted:
            parts.append((RedlineOp.DELETE, deleted))
        if inserted:
            parts.append((RedlineOp.INSERT, inserted))
    return parts


def unique_anchors(old: Sequence[Hashable], new: Sequence[Hashable]) -> list[tuple[int, int]]:
    """Positions (in old, in new) of the longest in-order chain of items found once on each
    side: patience diff's anchors. Here the items are tokens (coded as characters)."""
    old_counts, new_counts = Counter(old), Counter(new)
    # dict(zip(text, count())) keeps each character's last position, which for a character
    # found once is its only one: built at C speed, then read only for the shared ones.
    at_old, at_new = dict(zip(old, count())), dict(zip(new, count()))
    pairs = sorted(
        (at_old[c], at_new[c]) for c, k in old_counts.items() if k == 1 and new_counts[c] == 1
    )
    # Longest increasing subsequence of the new positions, O(n log n).
    tails: list[int] = []  # smallest new position ending a chain of each length
    tail_pair: list[int] = []  # index into pairs of that chain's last element
    previous = [-1] * len(pairs)
    for k, (_, j) in enumerate(pairs):
        length = bisect_left(tails, j)
        if length == len(tails):
            tails.append(j)
            tail_pair.append(k)
        else:
            tails[length] = j
            tail_pair[length] = k
        previous[k] = tail_pair[length - 1] if length else -1
    chain = []
    k = tail_pair[-1] if tail_pair else -1
    while k >= 0:
        chain.append(pairs[k])
        k = previous[k]
    chain.reverse()
    return chain


def _encode(old_tokens: list[str], new_tokens: list[str], capacity: int) -> tuple[str, str]:
    """Both token lists as strings of one character per token (equal tokens, equal characters).

    Only equality matters to the LCS, so which character stands for which token does not
    change the diff.
    """
    distinct = dict.fromkeys(old_tokens)
    distinct.update(dict.fromkeys(new_tokens))
    # Every whitespace run gets one character: a text wrapped at another width (a line break
    # where there was a space) is the same text, and its words must stay equal in the diff
    # rather than be folded into changes around a mismatched break (see :func:`_parts`).
    spaces = [t for t in distinct if t.isspace()]
    for t in spaces[1:]:
        del distinct[t]
    if len(distinct) > capacity:
        raise _TooManyTokens
    if len(distinct) <= len(_FIRST_CHARACTERS):
        codes = dict(zip(distinct, _FIRST_CHARACTERS, strict=False))
    else:
        codes = dict(zip(distinct, map(chr, _code_points()), strict=False))
    if spaces:
        codes.update(dict.fromkeys(spaces[1:], codes[spaces[0]]))
    return "".join(map(codes.__getitem__, old_tokens)), "".join(map(codes.__getitem__, new_tokens))


def _code_points() -> Iterator[int]:
    return chain.from_iterable(range(start, stop) for start, stop in _CODE_POINT_RANGES)


def _coarse(old_tokens: list[str], new_tokens: list[str]) -> list[tuple[RedlineOp, str]]:
    """A correct but blunt diff: common leading and trailing tokens, the middle replaced.

    Used only when the texts have more distinct tokens than there are characters to encode
    them (over a million); it keeps :func:`redline` total.
    """
    limit = min(len(old_tokens), len(new_tokens))
    head = 0
    while head < limit and old_tokens[head] == new_tokens[head]:
        head += 1
    tail = 0
    while tail < limit - head and old_tokens[-1 - tail] == new_tokens[-1 - tail]:
        tail += 1
    runs = [(0, 0, head), (len(old_tokens) - tail, len(new_tokens) - tail, tail)]
    return _parts(runs, old_tokens, new_tokens)


# --------------------------------------------------------------------------- substantive changes

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORDS = {**_UNITS, **_TENS, "hundred": 100, "dozen": 12}

_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December", "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sept",
    "Sep", "Oct", "Nov", "Dec",
)  # fmt: skip
#: Words that may open a duration: "within 100 days", "no later than six months".
_LEADS = (
    "within", "for", "after", "in", "over", "under", "during", "up to", "at least", "at most",
    "no later than", "no more than", "no less than", "more than", "less than", "about", "around",
    "approximately",
)  # fmt: skip
_CURRENCY_CODES = ("USD", "EUR", "GBP", "UAH", "RUB")
_SIGNS = "$€£¥₽₴"


def _either(words: Iterable[str]) -> str:
    """An alternation of literal words (spaces match any whitespace), longest first."""
    ordered = sorted(words, key=len, reverse=True)
    return "(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered) + ")"


_DIGITS = r"(?<![\w.,])\d+(?:[.,\u00a0\u202f\u2009]\d+)*"
_SMALL_UNITS = _either(w for w in _UNITS if w not in ("zero", "one"))
_TENS_WORDS = _either(_TENS)
#: Spelled-out numbers that are hardly ever anything else; "one" is a pronoun too often ("no
#: one", "one of the") and counts only before a unit or a scale word.
_WORDS = rf"\b(?:{_TENS_WORDS}(?:[-\s](?:one|{_SMALL_UNITS}))?|{_SMALL_UNITS}|a\s+dozen|dozen)\b"
_ONE = r"\b(?:one|a|an)\b"
_SCALE = r"(?:\s+(?:hundred|thousand|million|billion|trillion)\b)"
_COUNT = rf"(?:{_DIGITS}|{_WORDS})(?:\s+hundred\b)?{_SCALE}?"
_MONTH = rf"(?-i:{_either(_MONTHS)})\b\.?"  # capitalised only: "may" and "march" are verbs
_DAY = r"\d{1,2}(?:st|nd|rd|th)?\b"
_YEAR = r"\d{4}\b"
#: "a.m."/"pm" after a clock time; a dotted form may end a sentence, so its last dot is optional.
_MERIDIEM = r"(?:[ap]\.m\.?|[ap]m\b)"
_UNIT = r"(?:hours?|days?|weeks?|months?|years?|decades?)\b"
_UNIT_ATTRIBUTE = r"(?:(?:calendar|working|business|consecutive|full|additional|more|further)\s+)"
_LEAD = rf"(?:{_either(_LEADS)}\s+)"
_CODE = rf"(?-i:{_either(_CURRENCY_CODES)})"
_CURRENCY_SIGN = rf"(?:US\$|[{_SIGNS}]|{_CODE}\s?)"
_CURRENCY_WORD = rf"(?:dollars?|euros?|pounds?|rubles?|roubles?|hryvnias?|yuan|{_CODE})\b"

#: One pattern, alternatives in priority order: a date beats the bare numbers in it, an amount
#: or a percentage beats its number, a duration beats its count. Each repetition is followed by
#: something it cannot match, so a failed attempt backtracks linearly at worst.
_QUANTITY = re.compile(
    rf"""
    (?P<date>
        \d{{4}}-\d{{2}}-\d{{2}}\b
      | (?<![\w.])\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b
      | (?<!\w){_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?
      | {_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?
      | {_MONTH}\s+{_YEAR}
    )
  | (?P<time>
        (?<![\w.,:])\d{{1,2}}(?::\d{{2}}){{1,2}}(?:\s?{_MERIDIEM})?(?![\w:])
      | (?<![\w.,:])\d{{1,2}}\s?{_MERIDIEM}
      | \b(?:midnight|noon|midday)\b
    )
  | (?P<amount>
        {_CURRENCY_SIGN}\d+(?:[.,]\d+)*(?:{_SCALE}|(?:bn|mn|m|k)\b)?
      | {_COUNT}\s+(?:of\s+)?{_CURRENCY_WORD}
    )
  | (?P<percentage>
        (?:{_DIGITS}|{_WORDS})(?:\s?%|\s+(?:percent|per\s+cent|percentage\s+points?)\b)
    )
  | (?P<duration>
        {_LEAD}?{_COUNT}\s+{_UNIT_ATTRIBUTE}?{_UNIT}
      | {_LEAD}{_ONE}\s+{_UNIT_ATTRIBUTE}?{_UNIT}
      | (?<!\w)\d+-(?:hour|day|week|month|year)\b
      | {_ONE}\s+{_UNIT_ATTRIBUTE}?{_UNIT}(?=\s+(?:ago|later|earlier|long)\b)
    )
  | (?P<number>
        {_COUNT}
      | \b(?:one|a)\s+(?:hundred|thousand|million|billion|trillion)\b
    )
    """,
    re.IGNORECASE | re.VERBOSE,
)

_WORD_START = re.compile(rf"\w+|[{_SIGNS}]")
#: The first words of every alternative of _QUANTITY that does not start with a digit or a sign,
#: lower-cased: quantities are looked for only where one of these, a digit or a sign begins.
#: Times of day written as words, and the clock time each says (see :func:`_canonical`).
_CLOCK_WORDS = {"midnight": "00:00", "noon": "12:00", "midday": "12:00"}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::00)?\s?(?:([ap])\.?m\.?)?$")

_TRIGGERS = frozenset(
    word.split()[0].casefold()
    for word in (
        *_NUMBER_WORDS,
        *_MONTHS,
        *_LEADS,
        *_CURRENCY_CODES,
        *_CLOCK_WORDS,
        "a",
        "an",
        "US",
    )
)

_KINDS = (
    SubstantiveKind.DATE,
    SubstantiveKind.TIME,
    SubstantiveKind.AMOUNT,
    SubstantiveKind.PERCENTAGE,
    SubstantiveKind.DURATION,
    SubstantiveKind.NUMBER,
)


class _Quantity(NamedTuple):
    start: int
    end: int
    kind: SubstantiveKind
    text: str


class _Region(NamedTuple):
    """A run of non-equal parts: where it sits in the old text and in the new text."""

    old_start: int
    old_end: int
    new_start: int
    new_end: int


def substantive_changes(redline: Redline) -> tuple[Substantive, ...]:
    """The numbers, amounts, percentages, dates and durations that differ in a redline.

    Quantities are found in the whole old and new texts, so context outside a change counts
    ("within 100 days" is one duration even when only "100" changed). A quantity belongs to the
    first changed region it overlaps; for a pure insertion or deletion, the region's point must
    fall strictly inside it, so "30 days" → "30 days later" changes no quantity. A quantity that
    a region reaches and that also spans unchanged text brings along the quantity over that text
    on the other side ("30 days" → "after 30 days" is one duration that changed). Within a
    region, old and new quantities of the same kind are paired in order; pairs that say the
    same thing ("six months" and "6 months", "600,000" and "600 000") are dropped. What is left
    is reported in region order, then text order, with ``old=None`` for an addition and
    ``new=None`` for a removal.
    """
    if not redline.changed:
        return ()
    regions, equal = _regions(redline)
    old_quantities = _quantities(redline.old_text)
    new_quantities = _quantities(redline.new_text)
    old_region = _assign(old_quantities, [(r.old_start, r.old_end) for r in regions])
    new_region = _assign(new_quantities, [(r.new_start, r.new_end) for r in regions])
    _pull(old_quantities, old_region, new_quantities, new_region, equal)
    _pull(new_quantities, new_region, old_quantities, old_region, [(n, o, k) for o, n, k in equal])

    by_region: dict[int, tuple[list[_Quantity], list[_Quantity]]] = {}
    for i, r in sorted(old_region.items()):
        by_region.setdefault(r, ([], []))[0].append(old_quantities[i])
    for i, r in sorted(new_region.items()):
        by_region.setdefault(r, ([], []))[1].append(new_quantities[i])

    found: list[tuple[tuple[int, int, int, int], Substantive]] = []
    for r, (olds, news) in by_region.items():
        region = regions[r]
        for kind_order, kind in enumerate(_KINDS):
            pairs = zip_longest(
                [q for q in olds if q.kind is kind], [q for q in news if q.kind is kind]
            )
            for old, new in pairs:
                if old and new and _canonical(old.text) == _canonical(new.text):
                    continue
                if old:
                    position = (old.start - region.old_start, 0)
                else:
                    position = (new.start - region.new_start, 1)
                item = _new_substantive(
                    kind=kind,
                    old=old.text if old else None,
                    new=new.text if new else None,
                    not_mentioned=False,
                )
                found.append(((r, *position, kind_order), item))
    found.sort(key=lambda item: item[0])
    return tuple(s for _, s in found)


def _regions(redline: Redline) -> tuple[list[_Region], list[tuple[int, int, int]]]:
    """The changed regions, and the equal parts as (old start, new start, length)."""
    regions: list[_Region] = []
    equal: list[tuple[int, int, int]] = []
    old_pos = new_pos = 0
    start: tuple[int, int] | None = None
    for op, text in redline.ops:
        if op is RedlineOp.EQUAL:
            if start is not None:
                regions.append(_Region(start[0], old_pos, start[1], new_pos))
                start = None
            equal.append((old_pos, new_pos, len(text)))
            old_pos += len(text)
            new_pos += len(text)
            continue
        if start is None:
            start = (old_pos, new_pos)
        if op is RedlineOp.DELETE:
            old_pos += len(text)
        else:
            new_pos += len(text)
    if start is not None:
        regions.append(_Region(start[0], old_pos, start[1], new_pos))
    return regions, equal


def _quantities(text: str) -> list[_Quantity]:
    """The quantities in ``text``, left to right, none overlapping.

    Running :data:`_QUANTITY` at every position costs about a millisecond per point, as each
    of its alternatives is tried everywhere. Every quantity starts with a digit, a currency
    sign or one of a few words, so the pattern is tried only at those word starts.
    """
    out = []
    resume = 0
    match = _QUANTITY.match
    if text.isascii():  # nearly always: the same word starts, found without a Python loop
        starts: Iterable[int] = (m.start() for m in _ascii_starts().finditer(text.lower()))
    else:
        starts = (w.start() for w in _WORD_START.finditer(text) if _may_start(w[0]))
    for start in starts:
        if start < resume:
            continue
        if found := match(text, start):
            out.append(_Quantity(start, found.end(), _KIND_OF[found.lastgroup], found[0]))
            resume = found.end()
    return out


def _may_start(token: str) -> bool:
    """Whether a token of :data:`_WORD_START` may begin a quantity."""
    return token[0].isdecimal() or token.casefold() in _TRIGGERS or token in _SIGNS


@cache
def _ascii_starts() -> re.Pattern[str]:
    """The starts of the tokens that :func:`_may_start` accepts, in a lower-cased ASCII text.

    There a token is "$" or a run of ``\\w``, and casefold() is lower(): so a "$", or a digit
    or a whole trigger word not preceded by a word character.
    """
    words = "|".join(sorted(map(re.escape, _TRIGGERS), key=len, reverse=True))
    return re.compile(rf"\$|(?<!\w)(?:\d|(?:{words})(?!\w))")


_KIND_OF = {kind.value: kind for kind in SubstantiveKind}
# Kinds are members and texts are slices of the point's own text: nothing to validate.
_new_substantive = Substantive


def _assign(quantities: Sequence[_Quantity], spans: Sequence[tuple[int, int]]) -> dict[int, int]:
    """Index of each quantity → index of the first region span it reaches (both in order)."""
    assigned: dict[int, int] = {}
    r = 0
    for i, q in enumerate(quantities):
        while r < len(spans):
            start, end = spans[r]
            if end <= q.start:
                r += 1  # wholly before this quantity, and so before every later one
                continue
            # An empty span (a pure insertion or deletion on the other side) is a point, which
            # reaches a quantity only strictly inside it: "30 days" + " later" is no change.
            inside = q.start < end and start < q.end if start < end else q.start < start < q.end
            if inside:
                assigned[i] = r
            break
    return assigned


def _pull(
    quantities: Sequence[_Quantity],
    region_of: dict[int, int],
    others: Sequence[_Quantity],
    other_region_of: dict[int, int],
    equal: Sequence[tuple[int, int, int]],
) -> None:
    """Give each reached quantity's counterpart over unchanged text the same region.

    ``equal`` maps this side to the other, in order: (start here, start there, length).
    """
    equal_ends = [here + size for here, _, size in equal]
    other_starts = [q.start for q in others]
    for i, r in list(region_of.items()):
        q = quantities[i]
        for k in range(bisect_right(equal_ends, q.start), len(equal)):
            here, there, size = equal[k]
            if here >= q.end:
                break
            low = max(q.start, here) - here + there
            high = min(q.end, here + size) - here + there
            # Quantities on the other side are in order and do not overlap.
            j = max(bisect_right(other_starts, low) - 1, 0)
            while j < len(others) and others[j].start < high:
                if j not in other_region_of and low < others[j].end:
                    other_region_of[j] = r
                j += 1


_PERCENT = re.compile(r"\s*(?:percent|per\s+cent)\b|\s+%")
_SCALE_ABBREVIATION = re.compile(r"(?<=\d)\s?(bn|mn|m|k)\b")
_SCALE_WORDS = {"bn": " billion", "mn": " million", "m": " million", "k": " thousand"}
_TENS_UNITS = re.compile(rf"\b({_TENS_WORDS})[-\s]({'|'.join(_UNITS)})\b")
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")


def _canonical(expression: str) -> str:
    """What a quantity says: "Six  months" is "6 months", "600,000" is "600 000", "$5bn" is
    "$5 billion" and "50 per cent" is "50%"."""
    text = _GROUP_SEPARATOR.sub("", expression.casefold().strip())
    text = _SPACES.sub(" ", text)
    text = _PERCENT.sub("%", text)
    text = _SCALE_ABBREVIATION.sub(lambda m: _SCALE_WORDS[m[1]], text)
    text = _TENS_UNITS.sub(lambda m: str(_TENS[m[1]] + _UNITS[m[2]]), text)
    if text in _CLOCK_WORDS:
        return _CLOCK_WORDS[text]
    clock = _CLOCK.match(text)
    if clock and (":" in text or clock[3]):  # "00:00", "12:00 p.m.", "5 pm" as hh:mm
        hours, minutes = int(clock[1]), int(clock[2] or 0)
        if clock[3]:
            hours = hours % 12 + (12 if clock[3] == "p" else 0)
        return f"{hours:02d}:{minutes:02d}"
    return _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m[1]]), text)
