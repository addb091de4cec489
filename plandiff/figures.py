"""The figures a plan text states: numbers, amounts, percentages, dates, times and durations.

:func:`figures` finds every figure of a text with its span, left to right, none overlapping;
:func:`canonical` says what a figure means, so "six months" and "6 months" are the same
figure. :mod:`plandiff.changed_figures` compares the figures of two texts' changed stretches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import NamedTuple

from plandiff.result import SubstantiveKind

__all__ = ["KINDS", "Figure", "canonical", "figures"]

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
#: Times of day written as words, and the clock time each says (see :func:`canonical`).
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

#: The kinds of figure, in the order a changed stretch reports them.
KINDS = (
    SubstantiveKind.DATE,
    SubstantiveKind.TIME,
    SubstantiveKind.AMOUNT,
    SubstantiveKind.PERCENTAGE,
    SubstantiveKind.DURATION,
    SubstantiveKind.NUMBER,
)


class Figure(NamedTuple):
    """A figure as written in a text, and where."""

    start: int
    end: int
    kind: SubstantiveKind
    text: str


def figures(text: str) -> list[Figure]:
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
            out.append(Figure(start, found.end(), _KIND_OF[found.lastgroup], found[0]))
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

_PERCENT = re.compile(r"\s*(?:percent|per\s+cent)\b|\s+%")
_SCALE_ABBREVIATION = re.compile(r"(?<=\d)\s?(bn|mn|m|k)\b")
_SCALE_WORDS = {"bn": " billion", "mn": " million", "m": " million", "k": " thousand"}
_TENS_UNITS = re.compile(rf"\b({_TENS_WORDS})[-\s]({'|'.join(_UNITS)})\b")
_NUMBER_WORD = re.compile(rf"\b({'|'.join(_NUMBER_WORDS)})\b")
_GROUP_SEPARATOR = re.compile(r"(?<=\d)[,\u00a0\u202f\u2009](?=\d{3}(?!\d))")
_SPACES = re.compile(r"\s+")


def canonical(expression: str) -> str:
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
