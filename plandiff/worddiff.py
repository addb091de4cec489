"""Word-level redlines of two point texts, and the numbers, dates and durations that changed.

:func:`redline` runs diff-match-patch over *word tokens* rather than characters, so a change
from "600,000" to "800,000" reads as one replaced number and never as "[6→8]00,000", and
"Ukraine's" is never cut at its apostrophe. Each distinct token is mapped to one private
character (the way diff-match-patch's own ``diff_linesToChars`` maps lines), the character
strings are diffed and semantically cleaned up (``diff_cleanupSemantic``), and the result is
mapped back. Before diffing, the texts are cut at tokens that occur exactly once in each and in
the same order (as patience diff does), which makes a reworded point several times faster to
diff and leaves the result deterministic; see :func:`_anchored_diff`.

``Diff_Timeout`` is 0, so diff-match-patch never gives up early: the redline depends on the
two texts only, not on how fast the machine is (a 1-second timeout, the library default, makes
results differ between a laptop and a loaded CI runner).

:func:`substantive_changes` reads a redline and reports the quantities that differ inside its
changed regions: numbers, amounts, percentages, dates and durations, as written on each side.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from itertools import chain, count, zip_longest
from typing import NamedTuple

from diff_match_patch import diff_match_patch

from plandiff.result import Redline, RedlineOp, Substantive, SubstantiveKind

__all__ = ["redline", "substantive_changes", "tokens"]

#: Code points handed out to tokens, in this order: the Private Use Area first, then the
#: supplementary private planes, then everything else that is not a surrogate (Python strings
#: may hold lone surrogates, but they are not characters and other tools choke on them). ASCII
#: and Latin-1 are left out so that diff-match-patch's line-break heuristics never fire on a
#: token character. Over a million distinct tokens fit.
_CODE_POINT_RANGES = (
    (0xE000, 0xF900),
    (0xF0000, 0x110000),
    (0x10000, 0xF0000),
    (0x0100, 0xD800),
    (0xF900, 0x10000),
)
_CAPACITY = sum(stop - start for start, stop in _CODE_POINT_RANGES)

_OPS = {-1: RedlineOp.DELETE, 0: RedlineOp.EQUAL, 1: RedlineOp.INSERT}


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


def _new_differ() -> diff_match_patch:
    differ = diff_match_patch()
    differ.Diff_Timeout = 0  # deterministic: never stop early on a slow machine
    return differ


# diff_match_patch keeps only settings on the instance, so one can serve every call.
_DIFFER = _new_differ()


#: Largest product of the token counts of two stretches between anchors that is diffed word by
#: word (about 600 tokens, 300 words, a side). diff-match-patch's bisection without a timeout is
#: O(N·D) in pure Python: two unrelated 2,000-word stretches take 15 s, 5,000 words over two
#: minutes. A larger stretch is shown as deleted and inserted whole, which is still exact and,
#: unlike a timeout, the same on every machine.
MAX_GAP_WORK = 400_000


class _TooManyTokens(Exception):
    """More distinct tokens than there are characters to stand for them."""


def redline(old: str, new: str) -> Redline:
    """The word-level diff of ``old`` and ``new``.

    Equal and deleted parts rebuild ``old`` exactly; equal and inserted parts rebuild ``new``.
    Every part is a whole number of tokens of :func:`tokens`, adjacent parts have different
    operations, a deletion comes before the insertion that replaces it, and identical inputs
    give a single equal part (none when both are empty).
    """
    return Redline(ops=tuple(_diff(old, new, capacity=_CAPACITY)))


def _diff(old: str, new: str, *, capacity: int) -> list[tuple[RedlineOp, str]]:
    if old == new:
        return [(RedlineOp.EQUAL, old)] if old else []
    old_tokens, new_tokens = tokens(old), tokens(new)
    try:
        old_chars, new_chars, table = _encode(old_tokens, new_tokens, capacity)
    except _TooManyTokens:
        return _coarse(old_tokens, new_tokens)
    diffs = _anchored_diff(old_chars, new_chars)
    _DIFFER.diff_cleanupSemantic(diffs)
    return _merge((_OPS[op], "".join([table[c] for c in chars])) for op, chars in diffs)


def _anchored_diff(old: str, new: str) -> list[tuple[int, str]]:
    """diff-match-patch's diff, split first at tokens found exactly once in each text.

    With ``Diff_Timeout = 0`` diff-match-patch skips its own speed-ups and runs the full
    O(N·D) bisection in pure Python: about 1.5 ms for two reworded 80-word points. Tokens
    that occur once in each text and in the same order (the longest such chain, as in patience
    diff) are almost always true correspondences ("NATO", "600,000 ", "Zaporizhzhia"), so the
    texts are cut there and each stretch between two anchors is diffed on its own, which is
    several times faster and still deterministic. Without such tokens this is the plain diff.
    """
    diffs: list[tuple[int, str]] = []
    old_pos = new_pos = 0
    run = 0  # where the current run of consecutive anchors started, in old
    for i, j in [*_unique_anchors(old, new), (len(old), len(new))]:
        old_gap, new_gap = old[old_pos:i], new[new_pos:j]
        if old_gap != new_gap:  # an equal gap (the space between two anchors) joins the run
            if run < old_pos:
                diffs.append((0, old[run:old_pos]))
            # Most gaps are one-sided or share no token (a word replaced by another), and
            # diff_main would only confirm it at the cost of its cleanup passes.
            if (
                old_gap
                and new_gap
                and len(old_gap) * len(new_gap) <= MAX_GAP_WORK
                and not set(old_gap).isdisjoint(new_gap)
            ):
                diffs += _DIFFER.diff_main(old_gap, new_gap, checklines=False)
            else:
                if old_gap:
                    diffs.append((-1, old_gap))
                if new_gap:
                    diffs.append((1, new_gap))
            run = i
        old_pos, new_pos = i + 1, j + 1
    if run < len(old):
        diffs.append((0, old[run:]))
    _DIFFER.diff_cleanupMerge(diffs)  # join the pieces before the semantic cleanup reads them
    return diffs


def _unique_anchors(old: str, new: str) -> list[tuple[int, int]]:
    """Positions (in old, in new) of the longest in-order chain of once-only common tokens."""
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


def _encode(
    old_tokens: list[str], new_tokens: list[str], capacity: int
) -> tuple[str, str, dict[str, str]]:
    """Both token lists as strings of one character per token, and the way back.

    Characters are handed out in order of first appearance (old text first), so the same two
    texts always get the same encoding.
    """
    distinct = dict.fromkeys(chain(old_tokens, new_tokens))
    if len(distinct) > capacity:
        raise _TooManyTokens
    codes = dict(zip(distinct, map(chr, _code_points()), strict=False))
    old_chars = "".join(map(codes.__getitem__, old_tokens))
    new_chars = "".join(map(codes.__getitem__, new_tokens))
    return old_chars, new_chars, {char: token for token, char in codes.items()}


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
    old_end, new_end = len(old_tokens) - tail, len(new_tokens) - tail
    return _merge(
        [
            (RedlineOp.EQUAL, "".join(old_tokens[:head])),
            (RedlineOp.DELETE, "".join(old_tokens[head:old_end])),
            (RedlineOp.INSERT, "".join(new_tokens[head:new_end])),
            (RedlineOp.EQUAL, "".join(old_tokens[old_end:])),
        ]
    )


def _merge(parts: Iterable[tuple[RedlineOp, str]]) -> list[tuple[RedlineOp, str]]:
    """Drop empty parts and join neighbours with the same operation."""
    merged: list[tuple[RedlineOp, str]] = []
    for op, text in parts:
        if not text:
            continue
        if merged and merged[-1][0] is op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


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
_TRIGGERS = frozenset(
    word.split()[0].casefold()
    for word in (*_NUMBER_WORDS, *_MONTHS, *_LEADS, *_CURRENCY_CODES, "a", "an", "US")
)

_KINDS = (
    SubstantiveKind.DATE,
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
                item = Substantive(
                    kind=kind, old=old.text if old else None, new=new.text if new else None
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
    return _NUMBER_WORD.sub(lambda m: str(_NUMBER_WORDS[m[1]]), text)
