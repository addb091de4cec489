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
from collections import Counter
from itertools import chain, filterfalse
from operator import itemgetter

from plandiff.figures import figure_tokens, may_follow_trigger, weak_trigger

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

#: The same code points split in four: codes for the tokens a figure may begin in, save weak
#: triggers; for weak trigger words (see :func:`plandiff.figures.weak_trigger`); for the other
#: tokens that may follow one on the way to a figure (:func:`plandiff.figures.may_follow_trigger`);
#: and for all other tokens, the first of them kept for every whitespace run. Each takes its
#: first codes from the Private Use Area, the first three next to each other (one range for
#: :meth:`Lexicon.figure_places` to look for), and all of them the other two-byte characters
#: before the four-byte ones: a string with one four-byte character takes four bytes for each.
_FIGURE_RANGES = ((0xE000, 0xEA00), (0x100000, 0x108000))
_WEAK_RANGES = ((0xEA00, 0xEB00), (0x108000, 0x10C000))
_FOLLOWER_RANGES = ((0xEB00, 0xEC00), (0x10C000, 0x110000))
_OTHER_RANGES = (
    (0xEC00, 0xF900),
    (0x0100, 0xD800),
    (0xF900, 0x10000),
    (0xF0000, 0x100000),
    (0x10000, 0xF0000),
)


def _character_class(*groups: tuple[tuple[int, int], ...]) -> str:
    """The code points of ``groups`` as a regular expression's character class (its inside),
    ranges that touch joined."""
    merged: list[list[int]] = []
    for start, stop in sorted(r for ranges in groups for r in ranges):
        if merged and merged[-1][1] == start:
            merged[-1][1] = stop
        else:
            merged.append([start, stop])
    return "".join(f"{chr(start)}-{chr(stop - 1)}" for start, stop in merged)


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

    __slots__ = ("_codes", "_next", "_places", "_room", "_space")

    def __init__(self) -> None:
        self._space = chr(_OTHER_RANGES[0][0])
        near_figure = _character_class(_FIGURE_RANGES, _WEAK_RANGES, _FOLLOWER_RANGES)
        # A figure may begin in a figure token; in a weak trigger unless whitespace and then a
        # token that cannot go on to a figure follow it. Most weak triggers ("in the", "for
        # its") are settled here, at C speed: at 30,000 points, two places in three.
        self._places = re.compile(
            f"[{_character_class(_FIGURE_RANGES, _WEAK_RANGES)}]"
            f"(?!(?<=[{_character_class(_WEAK_RANGES)}]){re.escape(self._space)}[^{near_figure}])"
        )
        self._forget()

    def _forget(self) -> None:
        self._codes: dict[str, str] = {}
        buckets = (_FIGURE_RANGES, _WEAK_RANGES, _FOLLOWER_RANGES, _OTHER_RANGES)
        self._next = [code_points(ranges) for ranges in buckets]
        self._room = [_size(ranges) for ranges in buckets]
        next(self._next[_OTHER])  # the whitespace runs' code
        self._room[_OTHER] -= 1

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

    def figure_places(self, coded: str) -> list[int]:
        """Indices of the tokens of a text coded here at which :func:`plandiff.figures.figures`
        must look for a figure: those inside which a figure may begin, save weak triggers that
        what follows them settles."""
        return [m.start() for m in self._places.finditer(coded)]

    def _learn(self, old: list[str], new: list[str]) -> bool:
        """Give codes to the tokens of ``old`` and ``new`` not seen yet; False when there are
        more distinct tokens in the two than codes even in an empty lexicon."""
        unseen = list(dict.fromkeys(filterfalse(self._codes.__contains__, chain(old, new))))
        figure = figure_tokens(unseen)
        if len(unseen) > min(self._room) and not self._fits(unseen, figure):
            self._forget()
            unseen = list(dict.fromkeys(chain(old, new)))
            figure = figure_tokens(unseen)
            if not self._fits(unseen, figure):
                return False
        codes, next_codes, room = self._codes, self._next, self._room
        for token in unseen:
            bucket = _bucket(token, figure)
            if bucket < 0:
                # Every whitespace run gets one code: a text wrapped at another width (a line
                # break where there was a space) is the same text (see redline._parts).
                codes[token] = self._space
            else:
                codes[token] = chr(next(next_codes[bucket]))
                room[bucket] -= 1
        return True

    def _fits(self, unseen: list[str], figure: set[str]) -> bool:
        """Whether each range has room for its share of ``unseen``."""
        wanted = Counter(_bucket(token, figure) for token in unseen)
        return all(wanted[bucket] <= room for bucket, room in enumerate(self._room))


def _bucket(token: str, figure: set[str]) -> int:
    """Which range codes ``token`` (-1: the whitespace runs' one code), ``figure`` the
    tokens a figure may begin in."""
    if token in figure:
        return _WEAK if weak_trigger(token) else _FIGURE
    if token.isspace():
        return -1
    return _FOLLOWER if may_follow_trigger(token) else _OTHER


_FIGURE, _WEAK, _FOLLOWER, _OTHER = range(4)
