"""Find, verify and re-anchor quotes in source texts.

An anchor is only useful if it can be trusted: creating one refuses a quote that is absent or
that occurs more than once without context to tell the occurrences apart, and re-anchoring after a
source was re-captured tries, in order, the recorded position, an exact search ranked by the
recorded prefix/suffix, and a fuzzy search snapped to word boundaries. Each outcome is reported
(exact / moved / fuzzy / ambiguous / broken) so that a wrong anchor is never silently accepted.

The fuzzy search takes the window of the quote's length most similar to it (the leftmost of
equals), then widens it to whole words. It scores only the windows that the new text's k-gram
index (:mod:`plandiff.quote_index`) points to, so that re-anchoring many quotes costs about
quotes + text rather than quotes × text.

All offsets count Unicode code points, which is what Python string indices are.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from enum import StrEnum

from pydantic import Field

from plandiff import graphemes, quote_index
from plandiff.errors import QuoteError, SplitCharacterError, show
from plandiff.models import CONTEXT_CHARS, Anchor, FrozenModel

#: Minimum similarity (0–1) of a fuzzy match to the recorded quote for it to be accepted.
FUZZY_MIN_SCORE = 0.8
#: A runner-up fuzzy match this close to the best one makes the result ambiguous.
FUZZY_AMBIGUITY_MARGIN = 0.02
#: Occurrences of one quote weighed by their context at the most: a quote repeated more often
#: is placed only where its whole recorded context stands (or by its offsets), so that the work
#: per quote stays bounded however often a source repeats it.
MAX_CANDIDATES = 1_000

_WORD = re.compile(r"\w", re.UNICODE)


class AnchorStatus(StrEnum):
    """Outcome of checking or re-anchoring one quote against a (new) source text."""

    EXACT = "exact"
    """The quote is where it was recorded."""
    MOVED = "moved"
    """The exact quote was found once (or once given its context) at another place."""
    FUZZY = "fuzzy"
    """Only an approximate match was found; the anchor now quotes the new wording."""
    AMBIGUOUS = "ambiguous"
    """Several places match equally well; the anchor was not moved."""
    BROKEN = "broken"
    """No acceptable match: the evidence is gone from the source."""


class Reanchored(FrozenModel):
    """The result of re-anchoring one anchor."""

    status: AnchorStatus = Field(description="What happened to the anchor.")
    old: Anchor = Field(description="The anchor as recorded.")
    anchor: Anchor | None = Field(description="The anchor in the new text; null when lost.")
    score: float = Field(description="Similarity of the new quote to the old one, 0–1.")
    candidates: tuple[int, ...] = Field(
        default=(), description="Start offsets of competing matches when ambiguous."
    )


def context(text: str, start: int, end: int) -> tuple[str, str]:
    """The prefix and suffix that a TextQuoteSelector keeps around ``text[start:end]``."""
    return text[max(0, start - CONTEXT_CHARS) : start], text[end : end + CONTEXT_CHARS]


def occurrences(text: str, quote: str, limit: int | None = None) -> list[int]:
    """Start offsets of every occurrence of ``quote``, overlapping ones included (the first
    ``limit`` of them when a limit is given)."""
    found: list[int] = []
    at = text.find(quote)
    while at != -1 and (limit is None or len(found) < limit):
        found.append(at)
        at = text.find(quote, at + 1)
    return found


def _full_context_match(text: str, quote: str, prefix: str, suffix: str) -> int | None:
    """The one start of ``quote`` with its whole recorded prefix and suffix around it, found by
    two searches of the text; None when there is none, or more than one.

    Such a start is the one :func:`_pick_by_context` picks (no other occurrence can agree with
    as much of the context), so a quote that a text repeats thousands of times is placed
    without scoring every occurrence.
    """
    if not (prefix or suffix):
        return None
    whole = prefix + quote + suffix
    at = text.find(whole)
    if at == -1 or text.find(whole, at + 1) != -1:
        return None
    start = at + len(prefix)
    return start if _split_at(text, start, start + len(quote)) is None else None


def splits_character(text: str, at: int) -> bool:
    """Whether offset ``at`` falls inside a user-perceived character of ``text`` (a grapheme
    cluster: a letter with its combining marks, a flag, a Hangul syllable, an emoji sequence).
    A quote cut there would show a different character than the source does."""
    return not graphemes.is_boundary(text, at)


def _split_at(text: str, start: int, end: int) -> int | None:
    return next((at for at in (start, end) if splits_character(text, at)), None)


def _split_message(text: str, start: int, end: int, at: int) -> str:
    around = " ".join(f"U+{ord(c):04X}" for c in text[max(0, at - 1) : at + 1])
    return (
        f"offsets {start}..{end} cut a character apart at {at} ({around}); a quote must hold "
        "whole characters, with their combining marks, emoji and flag sequences and Hangul "
        "syllables"
    )


def make_anchor(source_id: str, text: str, start: int, end: int) -> Anchor:
    """An anchor for ``text[start:end]`` with its context filled in."""
    prefix, suffix = context(text, start, end)
    return Anchor(
        source=source_id,
        quote=text[start:end],
        start=start,
        end=end,
        prefix=prefix,
        suffix=suffix,
    )


def _context_score(text: str, start: int, end: int, prefix: str, suffix: str) -> int:
    """How many characters of the recorded prefix/suffix agree with the text at a candidate."""
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    score = 0
    for a, b in zip(reversed(before), reversed(prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(after, suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def _pick_by_context(
    text: str, quote: str, starts: list[int], prefix: str, suffix: str
) -> int | None:
    """The single candidate whose context fits best, or None when no candidate stands out."""
    if not (prefix or suffix):
        return None
    scored = sorted(
        ((_context_score(text, s, s + len(quote), prefix, suffix), s) for s in starts),
        key=lambda pair: (-pair[0], pair[1]),
    )
    best, runner_up = scored[0][0], scored[1][0]
    return scored[0][1] if best > runner_up else None


def create_anchor(
    source_id: str,
    text: str,
    quote: str,
    *,
    occurrence: int | None = None,
    prefix: str = "",
    suffix: str = "",
) -> Anchor:
    """Anchor ``quote`` in ``text``, refusing it when absent or ambiguous.

    ``occurrence`` (1-based) or a ``prefix``/``suffix`` hint picks one of several occurrences.
    """
    if not quote:
        raise QuoteError(f"empty quote for source {show(source_id)}")
    if occurrence is None:
        at = _full_context_match(text, quote, prefix, suffix)
        if at is not None:
            return make_anchor(source_id, text, at, at + len(quote))
    starts = occurrences(text, quote, None if occurrence is not None else MAX_CANDIDATES + 1)
    if not starts:
        raise QuoteError(f"quote {show(quote)} not found in source {show(source_id)}")
    if occurrence is None and len(starts) > MAX_CANDIDATES:
        raise QuoteError(
            f"quote {show(quote)} occurs more than {MAX_CANDIDATES:,} times in source "
            f"{show(source_id)}; use a longer quote or pick one with --occurrence N",
            candidates=starts[:MAX_CANDIDATES],
        )
    whole = [s for s in starts if _split_at(text, s, s + len(quote)) is None]
    if occurrence is None and not whole:
        at = starts[0]
        raise SplitCharacterError(
            f"quote {show(quote)} in source {show(source_id)}: "
            + _split_message(text, at, at + len(quote), _split_at(text, at, at + len(quote)) or at),
            candidates=starts,
        )
    if occurrence is not None:
        if not 1 <= occurrence <= len(starts):
            raise QuoteError(
                f"quote {show(quote)} occurs {len(starts)} time(s) in source {show(source_id)}; "
                f"occurrence {occurrence} does not exist",
                candidates=starts,
            )
        start = starts[occurrence - 1]
        at = _split_at(text, start, start + len(quote))
        if at is not None:
            raise SplitCharacterError(
                f"quote {show(quote)}, occurrence {occurrence}, in source {show(source_id)}: "
                + _split_message(text, start, start + len(quote), at),
                candidates=starts,
            )
    elif len(whole) == 1:
        start = whole[0]
    else:
        starts = whole
        picked = _pick_by_context(text, quote, starts, prefix, suffix)
        if picked is None:
            raise QuoteError(
                f"quote {show(quote)} occurs {len(starts)} times in source {show(source_id)} "
                f"(at {', '.join(map(str, starts[:5]))}{'…' if len(starts) > 5 else ''}); "
                "use a longer quote or pick one with --occurrence N",
                candidates=starts,
            )
        start = picked
    return make_anchor(source_id, text, start, start + len(quote))


def locate(anchor: Anchor, text: str) -> Anchor:
    """Fill in offsets and context of a hand-written anchor (one without offsets)."""
    if anchor.located:
        return anchor
    found = create_anchor(
        anchor.source, text, anchor.quote, prefix=anchor.prefix, suffix=anchor.suffix
    )
    return found.model_copy(update={"stance": anchor.stance})


def check(anchor: Anchor, text: str) -> str | None:
    """Why ``anchor`` does not hold in ``text``, or None when it does.

    An anchor without offsets holds when its quote occurs exactly once (or once given its
    context); one with offsets holds when the text there is exactly the quote.
    """
    if not anchor.located:
        if _full_context_match(text, anchor.quote, anchor.prefix, anchor.suffix) is not None:
            return None
        starts = occurrences(text, anchor.quote, MAX_CANDIDATES + 1)
        if not starts:
            return f"quote {show(anchor.quote)} not found in source {show(anchor.source)}"
        if len(starts) > MAX_CANDIDATES:
            return (
                f"quote {show(anchor.quote)} is ambiguous in source {show(anchor.source)}: "
                f"more than {MAX_CANDIDATES:,} occurrences; add offsets or a longer quote"
            )
        whole = [s for s in starts if _split_at(text, s, s + len(anchor.quote)) is None]
        if not whole:
            at = starts[0]
            cut = _split_at(text, at, at + len(anchor.quote))
            return _split_message(text, at, at + len(anchor.quote), at if cut is None else cut)
        starts = whole
        if (
            len(starts) > 1
            and _pick_by_context(text, anchor.quote, starts, anchor.prefix, anchor.suffix) is None
        ):
            return (
                f"quote {show(anchor.quote)} is ambiguous in source {show(anchor.source)}: "
                f"{len(starts)} occurrences (at {', '.join(map(str, starts[:5]))}); "
                "add offsets or a prefix/suffix"
            )
        return None
    assert anchor.start is not None and anchor.end is not None
    if anchor.end > len(text):
        return (
            f"offsets {anchor.start}..{anchor.end} out of range: source {show(anchor.source)} "
            f"has {len(text)} characters"
        )
    found = text[anchor.start : anchor.end]
    if found != anchor.quote:
        return (
            f"offsets {anchor.start}..{anchor.end} hold {show(found, 40)}, "
            f"not the quote {show(anchor.quote, 40)}"
        )
    cut = _split_at(text, anchor.start, anchor.end)
    if cut is not None:
        return _split_message(text, anchor.start, anchor.end, cut)
    return None


def _snap(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen a match to whole words and trim surrounding whitespace."""
    while (
        start > 0
        and start < len(text)
        and _WORD.match(text[start - 1])
        and _WORD.match(text[start])
    ):
        start -= 1
    while end < len(text) and end > 0 and _WORD.match(text[end - 1]) and _WORD.match(text[end]):
        end += 1
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


Windows = tuple[list[int], list[float]]
"""Start offsets (sorted) of the windows of a quote's length scored so far, and their scores."""


def _score_windows(quote: str, text: str, starts: list[int]) -> Windows:
    """The similarity (0–1) to ``quote`` of each window of its length starting at ``starts``;
    blank windows never count."""
    from rapidfuzz import fuzz

    m = len(quote)
    kept, scores = [], []
    for at in starts:
        window = text[at : at + m]
        if len(window) == m and not window.isspace():
            kept.append(at)
            scores.append(fuzz.ratio(quote, window) / 100.0)
    return kept, scores


def _best_window(
    quote: str, text: str, windows: Windows, lo: int = 0, hi: int | None = None
) -> tuple[float, int, int] | None:
    """The window of ``text[lo:hi]`` most like ``quote``, as (score 0–1, start, end).

    The windows are as long as the quote (a span shorter than that is one window), and equal
    scores go to the leftmost. Only the ``windows`` the text's index pointed to are looked at.
    """
    hi = len(text) if hi is None else hi
    m = len(quote)
    if hi - lo <= m:
        if hi <= lo or text[lo:hi].isspace():
            return None
        from rapidfuzz import fuzz

        return fuzz.ratio(quote, text[lo:hi]) / 100.0, lo, hi
    starts, scores = windows
    best: tuple[float, int, int] | None = None
    for i in range(bisect_left(starts, lo), bisect_right(starts, hi - m)):
        if best is None or scores[i] > best[0]:
            best = (scores[i], starts[i], starts[i] + m)
    return best


def _boundaries(text: str, lo: int, hi: int) -> tuple[list[int], list[int]]:
    """Offsets in [lo, hi] where a word or a whitespace-delimited token starts, and ends."""
    starts, ends = [], []
    for i in range(max(0, lo), min(len(text), hi) + 1):
        before = text[i - 1] if i > 0 else " "
        here = text[i] if i < len(text) else " "
        if not here.isspace() and (
            before.isspace() or (_WORD.match(here) and not _WORD.match(before))
        ):
            starts.append(i)
        if not before.isspace() and (
            here.isspace() or (_WORD.match(before) and not _WORD.match(here))
        ):
            ends.append(i)
    return starts, ends


def _widen(quote: str, text: str, start: int, end: int) -> tuple[int, int]:
    """The span near ``[start, end)`` that best covers the quote.

    The fuzzy search finds a window about as long as the old quote, so a new wording that grew
    would lose its first or last words. Every word boundary within half a quote's length on
    either side is tried, and the span kept is the one that matches most of the quote while
    taking in little else (each unmatched character costs a fifth of a matched one), so a span
    grows over inserted words between matching ones but not over unrelated text at its ends.
    """
    from rapidfuzz.distance import LCSseq

    reach = max(8, len(quote) // 2)
    starts, _ = _boundaries(text, start - reach, start + reach // 2)
    _, ends = _boundaries(text, end - reach // 2, end + reach)

    def worth(a: int, b: int) -> float:
        matched = LCSseq.similarity(quote, text[a:b])
        return matched - 0.2 * (b - a - matched)

    best = (worth(start, end), 0, start, end)
    for a in starts:
        for b in ends:
            if b > a:
                rank = (worth(a, b), -(abs(a - start) + abs(b - end)), a, b)
                if rank > best:
                    best = rank
    return best[2], best[3]


def reanchor(anchor: Anchor, text: str, *, min_score: float = FUZZY_MIN_SCORE) -> Reanchored:
    """Find ``anchor`` again in a re-captured ``text``, keeping what it says of its claim
    (its stance): finding a quote again moves it, it does not change what it testifies."""
    found = _find_again(anchor, text, min_score=min_score)
    if found.anchor is None or found.anchor.stance is anchor.stance:
        return found
    kept = found.anchor.model_copy(update={"stance": anchor.stance})
    return found.model_copy(update={"anchor": kept})


def _find_again(anchor: Anchor, text: str, *, min_score: float) -> Reanchored:
    """Find ``anchor`` again in a re-captured ``text``.

    Position first, then exact search ranked by context, then a fuzzy search (a runner-up on
    either side of the match that scores about as well, and whose context fits at least as
    well, makes it ambiguous); every new anchor is re-verified against ``text`` before it is
    returned.
    """
    quote = anchor.quote
    if anchor.located:
        assert anchor.start is not None and anchor.end is not None
        if (
            text[anchor.start : anchor.end] == quote
            and _split_at(text, anchor.start, anchor.end) is None
        ):
            new = make_anchor(anchor.source, text, anchor.start, anchor.end)
            return Reanchored(status=AnchorStatus.EXACT, old=anchor, anchor=new, score=1.0)

    if anchor.prefix or anchor.suffix:
        # The only place holding the quote with all its recorded context is the one the
        # context ranking below would pick; found through the index, without listing every
        # occurrence of a quote that a text repeats thousands of times.
        at = quote_index.index_of(text).find_unique(anchor.prefix + quote + anchor.suffix)
        if (
            at is not None
            and _split_at(text, at + len(anchor.prefix), at + len(anchor.prefix) + len(quote))
            is None
        ):
            at += len(anchor.prefix)
            new = make_anchor(anchor.source, text, at, at + len(quote))
            return Reanchored(status=AnchorStatus.MOVED, old=anchor, anchor=new, score=1.0)

    found = occurrences(text, quote, MAX_CANDIDATES + 1)
    if len(found) > MAX_CANDIDATES:
        return Reanchored(
            status=AnchorStatus.AMBIGUOUS,
            old=anchor,
            anchor=None,
            score=1.0,
            candidates=tuple(found[:MAX_CANDIDATES]),
        )
    starts = [s for s in found if _split_at(text, s, s + len(quote)) is None]
    if len(starts) == 1:
        new = make_anchor(anchor.source, text, starts[0], starts[0] + len(quote))
        return Reanchored(status=AnchorStatus.MOVED, old=anchor, anchor=new, score=1.0)
    if len(starts) > 1:
        picked = _pick_by_context(text, quote, starts, anchor.prefix, anchor.suffix)
        if picked is None:
            return Reanchored(
                status=AnchorStatus.AMBIGUOUS,
                old=anchor,
                anchor=None,
                score=1.0,
                candidates=tuple(starts),
            )
        new = make_anchor(anchor.source, text, picked, picked + len(quote))
        return Reanchored(status=AnchorStatus.MOVED, old=anchor, anchor=new, score=1.0)

    windows = _score_windows(quote, text, quote_index.index_of(text).starts(quote, anchor.start))
    best = _best_window(quote, text, windows)
    if best is None or best[0] < min_score:
        return Reanchored(
            status=AnchorStatus.BROKEN, old=anchor, anchor=None, score=best[0] if best else 0.0
        )
    _, raw_start, raw_end = best
    start, end = _widen(quote, text, *_snap(text, raw_start, raw_end))
    # whole characters only, like every other anchor
    start, end = graphemes.boundary_before(text, start), graphemes.boundary_after(text, end)
    if end <= start:
        return Reanchored(status=AnchorStatus.BROKEN, old=anchor, anchor=None, score=0.0)
    from rapidfuzz import fuzz

    score = fuzz.ratio(quote, text[start:end]) / 100.0
    if score < min_score:
        return Reanchored(status=AnchorStatus.BROKEN, old=anchor, anchor=None, score=score)

    # A second, separate place that matches about as well makes the choice a guess.
    rivals = [
        r
        for r in (
            _best_window(quote, text, windows, 0, start),
            _best_window(quote, text, windows, end),
        )
        if r is not None
    ]
    close = [r for r in rivals if r[0] >= score - FUZZY_AMBIGUITY_MARGIN and r[0] >= min_score]
    if close:
        here = _context_score(text, start, end, anchor.prefix, anchor.suffix)
        beaten = any(
            _context_score(text, r[1], r[2], anchor.prefix, anchor.suffix) >= here for r in close
        )
        if beaten:
            return Reanchored(
                status=AnchorStatus.AMBIGUOUS,
                old=anchor,
                anchor=None,
                score=score,
                candidates=tuple(sorted([start] + [r[1] for r in close])),
            )
    new = make_anchor(anchor.source, text, start, end)
    assert check(new, text) is None
    return Reanchored(status=AnchorStatus.FUZZY, old=anchor, anchor=new, score=score)
