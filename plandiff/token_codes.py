"""One character per distinct token, shared by every pair of texts a diff redlines.

The redline's LCS compares strings with one character per token (see :mod:`plandiff.redline`).
Giving each pair its own codes means collecting the pair's distinct tokens and building a
fresh table every time: at 30,000 points that was a seventh of the redline step. A diff's
points share most of their words, so a :class:`Lexicon` made once for all of a diff's pairs
learns each token once and then codes a text with one dictionary look-up a token, at C speed.

The tokens inside which a figure may begin (see :func:`plandiff.figures.figure_tokens`) get
their codes from a range of their own, so where a coded text may hold a figure is found by a
regular expression over its codes (:meth:`Lexicon.figure_places`) rather than by a set look-up
a token; most pairs of a diff are settled without reading a figure at all.

Only equality between codes matters to the diff, so a pair coded here gets the same redline as
one coded on its own; the whitespace runs all share one code, as they do there.
"""

from __future__ import annotations

import re
from itertools import chain, filterfalse
from operator import itemgetter

from plandiff.figures import figure_tokens

__all__ = ["CODE_POINT_RANGES", "Lexicon", "code_points"]

#: Code points handed out to tokens, in this order: the Private Use Area first, then the
#: supplementary private planes, then everything else that is not a surrogate (Python strings
#: may hold lone surrogates, but they are not characters and other tools choke on them). Over a
#: million distinct tokens fit.
CODE_POINT_RANGES = (
    (0xE000, 0xF900),
    (0xF0000, 0x110000),
    (0x10000, 0xF0000),
    (0x0100, 0xD800),
    (0xF900, 0x10000),
)

#: The same code points split in two: the lexicon's codes for tokens a figure may begin in
#: (a tenth of the Private Use Area, then the last private plane), and for all others.
_FIGURE_RANGES = ((0xE000, 0xE800), (0x100000, 0x110000))
_OTHER_RANGES = (
    (0xE800, 0xF900),
    (0xF0000, 0x100000),
    (0x10000, 0xF0000),
    (0x0100, 0xD800),
    (0xF900, 0x10000),
)
_FIGURE_CODE = re.compile("[" + "".join(f"{chr(a)}-{chr(b - 1)}" for a, b in _FIGURE_RANGES) + "]")


def code_points(ranges: tuple[tuple[int, int], ...] = CODE_POINT_RANGES) -> chain[int]:
    """Every code point of ``ranges``, in order."""
    return chain.from_iterable(range(start, stop) for start, stop in ranges)


def _coded(codes: dict[str, str], tokens: list[str]) -> str:
    """The tokens' codes as one string (KeyError: a token has none yet). One itemgetter of all
    the tokens looks them up in C, a third faster than mapping ``codes.__getitem__`` over them
    (a call a token); one token gives its code alone, which joins to itself."""
    return "".join(itemgetter(*tokens)(codes)) if tokens else ""


def _size(ranges: tuple[tuple[int, int], ...]) -> int:
    return sum(stop - start for start, stop in ranges)


class Lexicon:
    """Codes for the tokens of many pairs of texts, learnt as they come.

    It holds at most as many tokens as it has codes (a million); past that it forgets them all
    and starts again, so a huge vocabulary costs time, never unbounded memory.
    """

    __slots__ = ("_codes", "_figure_codes", "_figure_room", "_other_codes", "_other_room", "_space")

    def __init__(self) -> None:
        self._forget()

    def _forget(self) -> None:
        self._codes: dict[str, str] = {}
        self._figure_codes, self._figure_room = code_points(_FIGURE_RANGES), _size(_FIGURE_RANGES)
        self._other_codes, self._other_room = code_points(_OTHER_RANGES), _size(_OTHER_RANGES)
        self._space: str | None = None

    def encode(self, old: list[str], new: list[str]) -> tuple[str, str] | None:
        """Both token lists coded, one character a token (None: more distinct tokens in the
        two than the lexicon has codes for; :func:`plandiff.redline.redline_parts` copes)."""
        old_codes = None
        try:
            old_codes = _coded(self._codes, old)
            return old_codes, _coded(self._codes, new)
        except KeyError:
            pass
        codes = self._codes
        if not self._learn(old, new):
            return None
        if old_codes is None or self._codes is not codes:  # not coded yet, or forgotten
            old_codes = _coded(self._codes, old)
        return old_codes, _coded(self._codes, new)

    @staticmethod
    def figure_places(coded: str) -> list[int]:
        """Indices of the tokens of a coded text inside which a figure may begin: the places
        :func:`plandiff.figures.figures` reads."""
        return [m.start() for m in _FIGURE_CODE.finditer(coded)]

    def _learn(self, old: list[str], new: list[str]) -> bool:
        """Give codes to the tokens of ``old`` and ``new`` not seen yet; False when there are
        more distinct tokens in the two than codes even in an empty lexicon."""
        unseen = list(dict.fromkeys(filterfalse(self._codes.__contains__, chain(old, new))))
        figure = figure_tokens(unseen)
        if len(figure) >= self._figure_room or len(unseen) - len(figure) >= self._other_room:
            self._forget()
            unseen = list(dict.fromkeys(chain(old, new)))
            figure = figure_tokens(unseen)
            if len(figure) >= self._figure_room or len(unseen) - len(figure) >= self._other_room:
                return False
        self._figure_room -= len(figure)
        self._other_room -= len(unseen) - len(figure)
        codes, space = self._codes, self._space
        for token in unseen:
            if token in figure:
                codes[token] = chr(next(self._figure_codes))
            elif not token.isspace():
                codes[token] = chr(next(self._other_codes))
            else:
                # Every whitespace run gets one code: a text wrapped at another width (a line
                # break where there was a space) is the same text (see redline._parts).
                if space is None:
                    space = self._space = chr(next(self._other_codes))
                codes[token] = space
        return True
