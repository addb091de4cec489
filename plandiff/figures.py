"""The figures a plan text states: numbers, amounts, percentages, dates, times and durations.

:func:`figures` finds every figure of a text with its span, left to right, none overlapping;
:func:`canonical` says what a figure means, so "six months" and "6 months" are the same
figure. :mod:`plandiff.changed_figures` compares the figures of two texts' changed stretches.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence, Set
from functools import cache, lru_cache
from itertools import accumulate, compress, count, filterfalse
from typing import NamedTuple

from plandiff.result import SubstantiveKind
from plandiff.tokenise import tokens

__all__ = [
    "KINDS",
    "Figure",
    "canonical",
    "figure_tokens",
    "figures",
    "may_follow_trigger",
    "weak_trigger",
]

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
_SCALE_WORD = r"(?:hundred|thousand|million|billion|trillion)\b"
_SCALE = rf"(?:\s+{_SCALE_WORD})"
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

#: _DIGITS where a digit begins, never backtracked into: a shorter run of digits is followed by
#: a digit or by a separator and a digit, where no alternative can go on (none goes on with a
#: digit), so giving digits back only costs time.
_DIGITS_WHOLE = r"(?<![\w.,])(?>\d+(?:[.,\u00a0\u202f\u2009]\d+)*)"
_COUNT_DIGITS = rf"{_DIGITS_WHOLE}(?:\s+hundred\b)?{_SCALE}?"


def _quantity_pattern(digit_led: bool) -> str:
    """One pattern, alternatives in priority order: a date beats the bare numbers in it, an
    amount or a percentage beats its number, a duration beats its count. Each repetition is
    followed by something it cannot match, so a failed attempt backtracks linearly at worst.

    ``digit_led`` leaves out every alternative whose first character cannot be a digit (and
    the spelled-out numbers and leading words inside the rest): where a digit begins, those
    fail anyway, and the first alternative that matches is the same, in a fraction of the
    time.
    """

    def unless_digit(alternative: str) -> str:
        return "" if digit_led else f"\n      | {alternative}"

    count = _COUNT_DIGITS if digit_led else _COUNT
    number = _DIGITS_WHOLE if digit_led else f"(?:{_DIGITS}|{_WORDS})"
    lead = "" if digit_led else f"{_LEAD}?"
    month_led = unless_digit(rf"{_MONTH}\s+{_DAY}(?:,?\s+{_YEAR})?") + unless_digit(
        rf"{_MONTH}\s+{_YEAR}"
    )
    clock_word = unless_digit(r"\b(?:midnight|noon|midday)\b")
    sign = "" if digit_led else rf"{_CURRENCY_SIGN}\d+(?:[.,]\d+)*(?:{_SCALE}|(?:bn|mn|m|k)\b)?"
    sign_led = f"\n        {sign}\n      | " if sign else "\n        "
    lead_one = unless_digit(rf"{_LEAD}{_ONE}\s+{_UNIT_ATTRIBUTE}?{_UNIT}")
    one_unit = unless_digit(
        rf"{_ONE}\s+{_UNIT_ATTRIBUTE}?{_UNIT}(?=\s+(?:ago|later|earlier|long)\b)"
    )
    one_scale = unless_digit(r"\b(?:one|a)\s+(?:hundred|thousand|million|billion|trillion)\b")
    return rf"""
    (?P<date>
        \d{{4}}-\d{{2}}-\d{{2}}\b
      | (?<![\w.])\d{{1,2}}[./]\d{{1,2}}[./]\d{{2,4}}\b
      | (?<!\w){_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+{_YEAR})?{month_led}
    )
  | (?P<time>
        (?<![\w.,:])\d{{1,2}}(?::\d{{2}}){{1,2}}(?:\s?{_MERIDIEM})?(?![\w:])
      | (?<![\w.,:])\d{{1,2}}\s?{_MERIDIEM}{clock_word}
    )
  | (?P<amount>{sign_led}{count}\s+(?:of\s+)?{_CURRENCY_WORD}
    )
  | (?P<percentage>
        {number}(?:\s?%|\s+(?:percent|per\s+cent|percentage\s+points?)\b)
    )
  | (?P<duration>
        {lead}{count}\s+{_UNIT_ATTRIBUTE}?{_UNIT}{lead_one}
      | (?<!\w)\d+-(?:hour|day|week|month|year)\b{one_unit}
    )
  | (?P<number>
        {count}{one_scale}
    )
    """


#: A bare number: digits (with group separators, no decimal dot) that nothing after can make
#: part of a date, a time, an amount, a percentage, a duration or a bigger number, so
#: :func:`_quantity_pattern`'s digit-led matcher would find this number and no more. What
#: follows is either no word character nor a character that goes on to one of those ("-", ":",
#: "/", "%", a dot before a digit), or whitespace and then no word that could go on. The
#: words are the pattern's own fragments, read as prefixes; "of" and "per" stand for "of
#: dollars", "per cent" and "percentage points". Four digit places in five at 30,000 points
#: are bare numbers, matched here in a third of the whole pattern's time (about 15 ms).
_BARE_NUMBER = rf"""
    (?P<number>(?<![\w.,])(?>\d+(?:[,\u00a0\u202f\u2009]\d+)*))
    (?=
        \s++(?!{_SCALE_WORD}|of\b|per|%|{_MONTH}|{_CURRENCY_WORD}|{_UNIT_ATTRIBUTE}|{_UNIT}|{_MERIDIEM})
      | [^\w\s\-:/%.]
      | \.(?!\d)
      | \Z
    )
"""

_Match = Callable[[str, int], "re.Match[str] | None"]


@cache
def _matchers(ascii_text: bool) -> tuple[_Match, _Match, _Match, _Match]:
    """The matchers of what must follow a weak trigger word, of every figure (tried where a
    token may begin one), of the figures a digit begins (see :func:`figures`) and of a bare
    number (:data:`_BARE_NUMBER`, tried first where a digit begins), compiled on
    first use for the one kind of text a diff usually holds: compiling them all took a tenth of
    a small diff's start-up.

    For an ASCII text without the four control characters that only Unicode counts as
    whitespace, the figures are matched with ASCII rules (the same there, case ignored by
    table, not by call), and what follows a trigger is read case-sensitively from the
    lower-cased text, several times faster; elsewhere re's own Unicode case folding rules.
    """
    flags = re.IGNORECASE | re.VERBOSE | (re.ASCII if ascii_text else 0)
    if ascii_text:
        follows = re.compile(_WEAK_FOLLOWS_SOURCE.lower(), re.VERBOSE | re.ASCII)
    else:
        follows = re.compile(_WEAK_FOLLOWS_SOURCE, re.IGNORECASE | re.VERBOSE)
    every = re.compile(_quantity_pattern(digit_led=False), flags)
    digit_led = re.compile(_quantity_pattern(digit_led=True), flags)
    bare = re.compile(_BARE_NUMBER, flags)
    return follows.match, every.match, digit_led.match, bare.match


_UNICODE_ONLY_SPACES = "\x1c\x1d\x1e\x1f"

#: Times of day written as words, and the clock time each says (see :func:`canonical`).
_CLOCK_WORDS = {"midnight": "00:00", "noon": "12:00", "midday": "12:00"}
_CLOCK = re.compile(r"^(\d{1,2})(?::(\d{2}))?(?::00)?\s?(?:([ap])\.?m\.?)?$")

#: The first words of every alternative of the figure pattern that does not start with a digit or a
#: sign, case-folded: figures are looked for only where one of these, a digit or a sign begins.
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
#: What follows "a", "an" or "one" and whitespace where the figure pattern may match, and what
#: follows a leading word ("within", "no later than") and whitespace.
_AFTER_ONE = r"""(?:dozen|hundred|thousand|million|billion|trillion
    |calendar|working|business|consecutive|full|additional|more|further
    |hour|day|week|month|year|decade)"""
_AFTER_LEAD = rf"(?:\d|{_either([*_NUMBER_WORDS, 'an', 'a', 'one'])}\b)"
#: Trigger words that nearly always begin a figure: the figure pattern is tried at once.
_STRONG = frozenset(_NUMBER_WORDS.keys() - {"one"} | _CLOCK_WORDS.keys())
#: What must follow the other trigger words (months, leads, "a", "one", currency codes) for
#: the figure pattern to match there: read off its alternatives, so it never rejects a figure, and
#: cheap enough to spare "in", "for" and "a" the whole pattern.
_WEAK_FOLLOWS_SOURCE = rf"""
        {_either(_MONTHS)}\b\.?\s+\d
      | (?:an?|one)\s+{_AFTER_ONE}
      | {_either(_LEADS)}\s+{_AFTER_LEAD}
      | {_either(_CURRENCY_CODES)}\s?\d
      | US\$
    """
#: What may begin the word after a weak trigger word and the whitespace after it, for
#: :data:`_WEAK_FOLLOWS_SOURCE` to match: a digit, what follows "a"/"one" there, what follows a
#: lead, or a lead's second word ("no later than": "later"). A prefix of every way on, so a
#: token it does not match settles that the trigger before it begins no figure.
_FOLLOWER = re.compile(
    rf"\d|{_AFTER_ONE}|{_AFTER_LEAD}|{_either(w.split()[1] for w in _LEADS if ' ' in w)}",
    re.IGNORECASE | re.VERBOSE,
)

KINDS = (
    SubstantiveKind.DATE,
    SubstantiveKind.TIME,
    SubstantiveKind.AMOUNT,
    SubstantiveKind.PERCENTAGE,
    SubstantiveKind.DURATION,
    SubstantiveKind.NUMBER,
)
"""The kinds of figure, in the order a changed stretch reports them."""


class Figure(NamedTuple):
    """A figure as written in a text, and where."""

    start: int
    end: int
    kind: SubstantiveKind
    text: str


#: How a token may begin a figure: the pattern to try there, and whether what follows a weak
#: trigger must match first.
_DIGIT, _ANY, _WEAK = 0, 1, 2

_WORD_START = re.compile(rf"\w+|[{_SIGNS}]")


def figures(
    text: str,
    text_tokens: Sequence[str] | None = None,
    candidates: Set[str] | None = None,
    near: Sequence[tuple[int, int]] | None = None,
    places: Sequence[int] | None = None,
) -> list[Figure]:
    """The figures in ``text``, left to right, none overlapping.

    Every figure begins where a digit, a currency sign or one of a few words (see
    :data:`_TRIGGERS`) begins a run of word characters, and such a place is found from the
    text's tokens (given when the caller has them; see :mod:`plandiff.tokenise`), each
    distinct token read once per process (``candidates``, from :func:`figure_tokens`, may
    cover more tokens than the text has). Trying the figure pattern everywhere costs about a
    millisecond a point; here it is tried only at those places, with its digit-led half where
    a digit begins, and where a common word such as "in" or "a" begins only when what follows
    could make a figure.

    ``near``, spans (start, end) in order, says that only the figures near those spans are
    wanted. In a text with more than :data:`WINDOWS_FROM_PLACES` candidate places, only the
    stretches between two :data:`_BARRIER` characters that hold or touch a span, and the
    stretch on either side, are read: no figure crosses such a character, so the figures found
    there are exactly those the whole text has there. Any other text is read whole.

    ``places``, when the caller knows them (see :meth:`plandiff.token_codes.Lexicon.figure_places`),
    are the indices of the tokens of ``text_tokens`` that ``candidates`` would pick, save weak
    triggers where what follows could not make the follows matcher succeed (which would skip
    them here anyway).
    """
    toks = tokens(text) if text_tokens is None else text_tokens
    if places is None:
        if candidates is None:
            candidates = figure_tokens(set(toks))
        if not candidates:
            return []
        # Token indices of the candidates at C speed.
        places = list(compress(count(), map(candidates.__contains__, toks)))
    if not places:
        return []
    ascii_text = text.isascii() and not any(map(text.__contains__, _UNICODE_ONLY_SPACES))
    follows, any_match, digit_match, bare_number = _matchers(ascii_text)
    folded = None  # the text as ``follows`` reads it, made when a weak trigger needs it
    # Finding the windows is a pass over every token; it pays only where it spares the scan
    # many places (a long article), not for the handful a point usually has.
    windows: list[tuple[int, int]] | None = None
    if near is None or len(places) <= WINDOWS_FROM_PLACES:
        place_offsets = _offsets_at(toks, places)
    else:
        offsets = list(accumulate(map(len, toks), initial=0))
        windows = _windows(text, near, toks, offsets)
        place_offsets = [offsets[i] for i in places]
    out: list[Figure] = []
    resume = w = 0
    learnt = _STARTS.get
    for i, offset in zip(places, place_offsets, strict=True):
        token = toks[i]
        for inner, how in learnt(token) or _starts(token):
            start = offset + inner
            if start < resume:
                continue
            if windows is not None:
                while w < len(windows) and windows[w][1] <= start:
                    w += 1
                if w == len(windows) or start < windows[w][0]:
                    continue
            if how == _DIGIT:
                found = bare_number(text, start) or digit_match(text, start)
            elif how == _ANY or follows(folded or (folded := _folded(text, ascii_text)), start):
                found = any_match(text, start)
            else:
                continue
            if found:
                resume = found.end()
                out.append(Figure(start, resume, _KIND_OF[found.lastgroup or ""], found[0]))
    return out


def _folded(text: str, ascii_text: bool) -> str:
    """``text`` as the follows matcher of :func:`_matchers` reads it."""
    return text.lower() if ascii_text else text


def _offsets_at(toks: Sequence[str], places: Sequence[int]) -> list[int]:
    """Where the tokens at ``places`` (in order) start in their text: the stretches between
    them joined at C speed, for a handful of places cheaper than every token's offset."""
    out: list[int] = []
    at = before = 0
    join = "".join
    for i in places:
        at += len(join(toks[before:i]))
        before = i
        out.append(at)
    return out


#: Fewest candidate places in a text for :func:`figures` to read only the windows near a change.
WINDOWS_FROM_PLACES = 32

#: Characters that no figure contains: neither word characters nor whitespace nor the
#: punctuation the figure pattern reads (separators, dots, colons, dashes, "%" and currency signs).
_BARRIER = re.compile(rf"[^\w\s\-./:,%{_SIGNS}]")
#: The common ones, each a token of its own: where the figure scan may stop and start again.
_BARRIER_TOKENS = frozenset(';()[]{}!?"“”‘’«»<>|*#@&+=~^—–…')


def _windows(
    text: str, near: Sequence[tuple[int, int]], toks: Sequence[str], offsets: Sequence[int]
) -> list[tuple[int, int]]:
    """The stretches of ``text`` to search for figures near ``near`` (see :func:`figures`):
    each from just after a barrier (or the start) to a barrier (or the end), merged."""
    barriers = list(compress(offsets, map(_BARRIER_TOKENS.__contains__, toks)))
    windows: list[tuple[int, int]] = []
    for start, end in near:
        k = bisect_left(barriers, start - 1)  # barriers[k - 1] < start - 1
        j = bisect_right(barriers, end)  # barriers[j] > end
        low = barriers[k - 1] + 1 if k else 0
        high = barriers[j] if j < len(barriers) else len(text)
        if windows and low <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(high, windows[-1][1]))
        else:
            windows.append((low, high))
    return windows


def figure_tokens(distinct: Collection[str]) -> set[str]:
    """The tokens among ``distinct`` (no repeats) inside which a figure may begin."""
    if unseen := list(filterfalse(_STARTS.__contains__, distinct)):
        if len(_STARTS) + len(unseen) > _MAX_LEARNT:
            # Forget them all, then learn every token asked about, not only the unseen ones:
            # the answer reads the tokens seen before too.
            _STARTS.clear()
            _CANDIDATES.clear()
            unseen = list(distinct)
        for token in unseen:
            _starts(token)
    return _CANDIDATES.intersection(distinct)


#: Token → where figures may begin inside it (offset, how), learnt once per distinct token:
#: a text of a few hundred tokens has a few dozen distinct ones, mostly seen before. Cleared
#: when it grows past _MAX_LEARNT, so a huge vocabulary costs time, never unbounded memory.
_STARTS: dict[str, tuple[tuple[int, int], ...]] = {}
#: The tokens of _STARTS where a figure may begin.
_CANDIDATES: set[str] = set()
_MAX_LEARNT = 1_000_000


def _starts(token: str) -> tuple[tuple[int, int], ...]:
    """Where figures may begin in ``token``, learnt (a token learnt before the cache was last
    cleared may come back)."""
    found = tuple(
        (w.start(), how)
        for w in _WORD_START.finditer(token)
        if (how := _how_it_starts(w[0])) is not None
    )
    _STARTS[token] = found
    if found:
        _CANDIDATES.add(token)
    return found


def weak_trigger(token: str) -> bool:
    """Whether ``token`` is one word and a weak trigger ("in", "a", "within", "May"): a
    figure begins there only if what follows matches :data:`_WEAK_FOLLOWS_SOURCE`, which
    needs whitespace and then a :func:`may_follow_trigger` token, a dot or a dollar sign."""
    return (_STARTS.get(token) or _starts(token)) == ((0, _WEAK),) and bool(
        _WORD_START.fullmatch(token)
    )


def may_follow_trigger(token: str) -> bool:
    """Whether ``token``, after a weak trigger word and whitespace, may go on to a figure."""
    return _FOLLOWER.match(token) is not None


def _how_it_starts(word: str) -> int | None:
    """How a run of word characters, or a sign, may begin a figure (None: it cannot)."""
    if word[0].isdecimal():
        return _DIGIT
    folded = word.casefold()
    if folded in _STRONG or word in _SIGNS:
        return _ANY
    return _WEAK if folded in _TRIGGERS else None


_KIND_OF = {kind.value: kind for kind in SubstantiveKind}

_PERCENT = re.compile(r"\s*(?:percent|per\s+cent)\b|\s+%")
_SCALE_ABBREVIATION = re.compile(r"(?<=\d)\s?(bn|mn|m|k)\b")
_SCALE_WORDS = {"bn": " billion", "mn": " million", "m": " million", "k": " thousand"}
_TENS_UNITS = re.compile(rf"\b({_TENS_WORDS})[-\s]({'|'.join(_UNITS)})\b")
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def canonical(expression: str) -> str:
    """What a quantity says: "Six  months" is "6 months", "600,000" is "600 000", "$5bn" is
    "$5 billion" and "50 per cent" is "50%". Remembered for the last few thousand figures: a
    diff compares the same few figures over and over, and reading one takes six substitutions."""
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
