"""Word-level redlines of two point texts.

:func:`redline` diffs *word tokens* (see :mod:`plandiff.tokenise`) rather than characters, so
a change from "600,000" to "800,000" reads as one replaced number and never as
"[6→8]00,000", and "Ukraine's" is never cut at its apostrophe. Each distinct token is mapped
to one private character (the way diff-match-patch's own ``diff_linesToChars`` maps lines); a
shortest edit script of the two character strings comes from rapidfuzz's bit-parallel LCS (C,
microseconds a point), and diff-match-patch's semantic cleanup (:mod:`plandiff.redline_cleanup`)
then folds small coincidental equalities ("the", a shared space) into the surrounding change,
so the redline reads the way a person would mark it up. Only very long texts are first cut at
tokens found once in each (as patience diff does), to bound memory; see :func:`_anchored_runs`.
Nothing depends on a clock: the redline is a function of the two texts alone, the same on a
laptop and on a loaded CI runner.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Sequence
from itertools import count, islice

from rapidfuzz.distance import Indel

from plandiff.chains import rising_chain
from plandiff.redline_cleanup import (
    Run,
    absorb_equalities,
    align_to_boundaries,
    eliminate_small_equalities,
    extract_overlaps,
)
from plandiff.result import Redline, RedlineOp
from plandiff.token_codes import CODE_POINT_RANGES, code_points
from plandiff.tokenise import tokens

__all__ = ["MAX_DIFF_WORK", "Part", "redline", "redline_parts", "unique_anchors"]

#: One part of a redline: what it does and its text.
Part = tuple[RedlineOp, str]

_CAPACITY = sum(stop - start for start, stop in CODE_POINT_RANGES)
#: The Private Use Area's characters, made once: enough for nearly every pair of points, zipped
#: at C speed (a tuple, since iterating a string makes each character of it afresh).
_FIRST_CHARACTERS = tuple(map(chr, range(*CODE_POINT_RANGES[0])))

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


def redline(old: str, new: str) -> Redline:
    """The word-level diff of ``old`` and ``new``.

    Equal and deleted parts rebuild ``old`` exactly; equal and inserted parts rebuild ``new``.
    Every part is a whole number of tokens of :func:`~plandiff.tokenise.tokens`, adjacent
    parts have different operations, a deletion comes before the insertion that replaces it,
    and identical inputs give a single equal part (none when both are empty).
    """
    return Redline(ops=tuple(redline_parts(old, new, tokens(old), tokens(new))))


def redline_parts(
    old: str,
    new: str,
    old_tokens: list[str],
    new_tokens: list[str],
    coded: tuple[str, str] | None = None,
) -> list[Part]:
    """:func:`redline`'s parts, from the texts' tokens (so a caller tokenises each text once);
    ``coded``, when given, is both token lists as characters, equal tokens (and whitespace
    runs) alike, others not (see :class:`plandiff.token_codes.Lexicon`)."""
    return _diff(
        old,
        new,
        capacity=_CAPACITY,
        old_tokens=old_tokens,
        new_tokens=new_tokens,
        coded=coded,
    )


def _diff(
    old: str,
    new: str,
    *,
    capacity: int,
    old_tokens: list[str] | None = None,
    new_tokens: list[str] | None = None,
    coded: tuple[str, str] | None = None,
) -> list[Part]:
    if old == new:
        return [(RedlineOp.EQUAL, old)] if old else []
    if old_tokens is None or new_tokens is None:
        old_tokens, new_tokens = tokens(old), tokens(new)
    if coded is not None:
        old_chars, new_chars = coded
    else:
        try:
            old_chars, new_chars = _encode(old_tokens, new_tokens, capacity)
        except _TooManyTokens:
            return _coarse(old_tokens, new_tokens)
    ends = (len(old_chars), len(new_chars), 0)
    if len(old_chars) * len(new_chars) <= MAX_DIFF_WORK:
        runs = _with_ends(_lcs_runs(old_chars, new_chars), ends)
        runs = absorb_equalities(runs, old_chars, new_chars, joined=True)
    else:
        runs = [(0, 0, 0), *_anchored_runs(old_chars, new_chars), ends]
        runs = absorb_equalities(runs, old_chars, new_chars)
    folded = eliminate_small_equalities(runs)
    if len(folded) < len(runs):  # else the runs are as absorb_equalities left them
        runs = absorb_equalities(folded, old_chars, new_chars)
    align_to_boundaries(runs, old_tokens, new_tokens)
    runs = extract_overlaps(runs, old_chars, new_chars)
    return _parts(runs, old_tokens, new_tokens)


def _lcs_runs(old: str, new: str, old_at: int = 0, new_at: int = 0) -> list[Run]:
    """The equal runs of a shortest insert/delete script turning ``old`` into ``new``.

    rapidfuzz's Indel opcodes come from a bit-parallel longest common subsequence in C: about
    10 µs for two reworded 80-word points, where diff-match-patch's bisection (the same
    shortest script, in pure Python) takes 0.5–1.5 ms.
    """
    # The matching blocks are the script's equal opcodes and one empty block at the ends (left
    # off here), a third of the time of listing every opcode and keeping the equal ones.
    blocks = Indel.opcodes(old, new).as_matching_blocks()
    return [(m.a + old_at, m.b + new_at, m.size) for m in islice(blocks, len(blocks) - 1)]


def _with_ends(runs: list[Run], ends: Run) -> list[Run]:
    """A shortest script's runs with an empty run at each end of the texts, unless a run
    already starts or ends there: as :func:`~plandiff.redline_cleanup.absorb_equalities` would
    join them, so that it need not (a shortest script's runs never touch, and the two sides of
    a change never start or end alike, else a longer common subsequence would exist)."""
    if not runs or runs[0][:2] != (0, 0):
        runs = [(0, 0, 0), *runs]
    old_at, new_at, length = runs[-1]
    if (old_at + length, new_at + length) != ends[:2]:
        runs.append(ends)
    return runs


def _anchored_runs(old: str, new: str) -> list[Run]:
    """The equal runs of two long texts, cut first at tokens found exactly once in each.

    Tokens that occur once in each text and in the same order (the longest such chain, as in
    patience diff) are almost always true correspondences ("NATO", "600,000",
    "Zaporizhzhia"), so the texts are cut there and each stretch between two anchors is
    diffed on its own, keeping the LCS's bit matrix small.
    """
    runs: list[Run] = []
    old_pos = new_pos = 0
    for i, j in [*unique_anchors(old, new), (len(old), len(new))]:
        old_gap, new_gap = old[old_pos:i], new[new_pos:j]
        if old_gap and new_gap and len(old_gap) * len(new_gap) <= MAX_DIFF_WORK:
            runs += _lcs_runs(old_gap, new_gap, old_pos, new_pos)
        if i < len(old):
            runs.append((i, j, 1))
        old_pos, new_pos = i + 1, j + 1
    return runs


def _parts(runs: list[Run], old: list[str], new: list[str]) -> list[tuple[RedlineOp, str]]:
    """The redline's parts: each change's deletion, then its insertion, then the next run.

    Whitespace runs count as equal to one another (see :func:`_encode`), so an equal run may
    pair a line break with a space: there the two whitespace runs are a change of their own,
    joined with any change beside it, so that no two neighbouring parts share an operation and
    a deletion always comes before its insertion.
    """
    parts: list[tuple[RedlineOp, str]] = []
    # The tokens of the part being gathered: an equality, or a change (old side, new side);
    # touching changes are joined, and so are touching equalities.
    same: list[str] = []
    gone: list[str] = []
    came: list[str] = []
    join = "".join

    def end_change() -> None:
        if gone:
            parts.append((_DELETE, join(gone)))
            gone.clear()
        if came:
            parts.append((_INSERT, join(came)))
            came.clear()

    old_pos = new_pos = 0
    for old_start, new_start, length in runs:
        if old_start > old_pos or new_start > new_pos:
            if same:
                parts.append((_EQUAL, join(same)))
                same.clear()
            gone += old[old_pos:old_start]
            came += new[new_pos:new_start]
        old_pos, new_pos = old_start + length, new_start + length
        kept = old[old_start:old_pos]
        if kept == new[new_start:new_pos]:  # nearly always: one C comparison
            if length:
                if gone or came:
                    end_change()
                same += kept
            continue
        for a, b in zip(kept, new[new_start:new_pos], strict=True):
            if a == b:
                if gone or came:
                    end_change()
                same.append(a)
            else:  # two different whitespace runs
                if same:
                    parts.append((_EQUAL, join(same)))
                    same.clear()
                gone.append(a)
                came.append(b)
    if same:
        parts.append((_EQUAL, join(same)))
    end_change()
    return parts


_EQUAL, _DELETE, _INSERT = RedlineOp.EQUAL, RedlineOp.DELETE, RedlineOp.INSERT


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
    chain = [pairs[k] for k in rising_chain([j for _, j in pairs])]
    return chain


def _encode(
    old_tokens: list[str],
    new_tokens: list[str],
    capacity: int,
) -> tuple[str, str]:
    """Both token lists as strings of one character per token (equal tokens, equal characters).

    Only equality matters to the LCS, so which character stands for which token does not
    change the diff.
    """
    distinct = dict.fromkeys(old_tokens)
    distinct.update(dict.fromkeys(new_tokens))
    # Every whitespace run gets one character: a text wrapped at another width (a line break
    # where there was a space) is the same text, and its words must stay equal in the diff
    # rather than be folded into changes around a mismatched break (see :func:`_parts`).
    spaces = list(filter(str.isspace, distinct))
    if len(distinct) <= min(capacity, len(_FIRST_CHARACTERS)):
        # Nearly always: a character for every distinct token, whitespace runs included (no
        # copy of ``distinct`` without them), then the whitespace runs share the first one's.
        codes = dict(zip(distinct, _FIRST_CHARACTERS, strict=False))
    else:
        distinct = distinct.copy()
        for t in spaces[1:]:
            del distinct[t]
        if len(distinct) > capacity:
            raise _TooManyTokens
        codes = dict(zip(distinct, map(chr, code_points()), strict=False))
    if len(spaces) > 1:
        codes.update(dict.fromkeys(spaces[1:], codes[spaces[0]]))
    return "".join(map(codes.__getitem__, old_tokens)), "".join(map(codes.__getitem__, new_tokens))


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
