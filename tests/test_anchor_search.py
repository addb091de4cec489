"""The indexed fuzzy search finds what a search of the whole text finds.

Re-anchoring a lost quote in a long text looks only where the text's k-gram index points
(plandiff.quote_index). The reference below is the straightforward search it replaces: the
exact search, then one fuzzy scan of the whole text for the match and one on each side of it
for a rival. On small random texts, with the index forced on, both must give the same status,
offsets and candidates.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz

from plandiff import anchors, graphemes
from plandiff.anchors import (
    FUZZY_AMBIGUITY_MARGIN,
    FUZZY_MIN_SCORE,
    AnchorStatus,
    Reanchored,
    make_anchor,
)
from plandiff.models import Anchor


def _whole_scan(quote: str, text: str, lo: int, hi: int) -> tuple[float, int, int] | None:
    """Every window of ``text[lo:hi]`` as long as the quote, the most similar and leftmost."""
    m = min(len(quote), hi - lo)
    best = None
    for at in range(lo, hi - m + 1) if m else ():
        window = text[at : at + m]
        if not window.isspace():
            score = fuzz.ratio(quote, window) / 100.0
            if best is None or score > best[0]:
                best = (score, at, at + m)
    return best


def reference_reanchor(anchor: Anchor, text: str) -> Reanchored:
    """Re-anchoring as documented, with every search over the whole text."""
    quote = anchor.quote
    whole = lambda s, e: graphemes.is_boundary(text, s) and graphemes.is_boundary(text, e)  # noqa: E731
    assert anchor.start is not None and anchor.end is not None
    if text[anchor.start : anchor.end] == quote and whole(anchor.start, anchor.end):
        new = make_anchor(anchor.source, text, anchor.start, anchor.end)
        return Reanchored(status=AnchorStatus.EXACT, old=anchor, anchor=new, score=1.0)
    starts = [s for s in range(len(text)) if text.startswith(quote, s) and whole(s, s + len(quote))]
    if starts:
        if len(starts) == 1:
            picked: int | None = starts[0]
        else:
            ranked = sorted(
                (-anchors._context_score(text, s, s + len(quote), anchor.prefix, anchor.suffix), s)
                for s in starts
            )
            picked = ranked[0][1] if ranked[0][0] < ranked[1][0] else None
            if not (anchor.prefix or anchor.suffix):
                picked = None
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
    broken = Reanchored(status=AnchorStatus.BROKEN, old=anchor, anchor=None, score=0.0)
    best = _whole_scan(quote, text, 0, len(text))
    if best is None or best[0] < FUZZY_MIN_SCORE:
        return broken
    start, end = anchors._widen(quote, text, *anchors._snap(text, best[1], best[2]))
    start, end = graphemes.boundary_before(text, start), graphemes.boundary_after(text, end)
    if end <= start:
        return broken
    score = fuzz.ratio(quote, text[start:end]) / 100.0
    if score < FUZZY_MIN_SCORE:
        return broken
    sides = (_whole_scan(quote, text, 0, start), _whole_scan(quote, text, end, len(text)))
    rivals = [r for r in sides if r]
    close = [
        r for r in rivals if r[0] >= score - FUZZY_AMBIGUITY_MARGIN and r[0] >= FUZZY_MIN_SCORE
    ]
    here = anchors._context_score(text, start, end, anchor.prefix, anchor.suffix)
    if any(
        anchors._context_score(text, r[1], r[2], anchor.prefix, anchor.suffix) >= here
        for r in close
    ):
        return Reanchored(
            status=AnchorStatus.AMBIGUOUS,
            old=anchor,
            anchor=None,
            score=score,
            candidates=tuple(sorted([start] + [r[1] for r in close])),
        )
    new = make_anchor(anchor.source, text, start, end)
    return Reanchored(status=AnchorStatus.FUZZY, old=anchor, anchor=new, score=score)


WORDS = (
    "the", "parties", "agree", "to", "a", "ceasefire", "within", "30", "days", "troops",
    "withdraw", "from", "région", "Kherson", "and", "guarantees", "of", "security", "🇺🇦",
)  # fmt: skip

words = st.lists(st.sampled_from(WORDS), min_size=1, max_size=60)
separators = st.sampled_from([" ", " ", " ", ", ", ". ", "\n"])


@st.composite
def recaptures(draw: st.DrawFn) -> tuple[Anchor, str]:
    """An anchored quote of a few words, and the text after a recapture changed some words."""
    old_words = draw(words)
    seps = [draw(separators) for _ in old_words]
    old = "".join(w + s for w, s in zip(old_words, seps, strict=True))
    first = draw(st.integers(0, len(old_words) - 1))
    last = draw(st.integers(first, min(len(old_words) - 1, first + 12)))
    start = sum(len(w) + len(s) for w, s in zip(old_words[:first], seps, strict=False))
    end = start + sum(
        len(w) + len(s)
        for w, s in zip(old_words[first : last + 1], seps[first : last + 1], strict=True)
    )
    end -= len(seps[last])
    anchor = make_anchor("src", old, start, end)
    new_words = list(old_words)
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(new_words)))
        what = draw(st.sampled_from(["insert", "delete", "replace"]))
        if what == "insert" or not new_words or at == len(new_words):
            new_words.insert(at, draw(st.sampled_from(WORDS)))
        elif what == "delete":
            del new_words[at]
        else:
            new_words[at] = draw(st.sampled_from(WORDS))
    head = draw(st.sampled_from(["", "Update: ", "x"]))
    new = head + " ".join(new_words)
    return anchor, new


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(recaptures())
def test_indexed_reanchoring_matches_a_whole_text_search(case: tuple[Anchor, str]) -> None:
    anchor, text = case
    expected = reference_reanchor(anchor, text)
    got = anchors.reanchor(anchor, text)
    assert (got.status, got.anchor, got.candidates) == (
        expected.status,
        expected.anchor,
        expected.candidates,
    )
    if got.status is not AnchorStatus.BROKEN:
        assert got.score == expected.score


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(WORDS), min_size=1, max_size=8), st.integers(2, 40))
def test_a_repeated_quote_moves_with_its_context(said: list[str], lines: int) -> None:
    """Each copy of a line repeated in a text that was shifted is found again by its context
    (its line number), as the whole-text reference finds it."""
    quote = " ".join(said)
    old = "".join(f"{k}. {quote}\n" for k in range(1, lines + 1))
    new = "Preamble.\n" + old
    at = 0
    for k in range(1, lines + 1):
        at += len(f"{k}. ")
        anchor = make_anchor("src", old, at, at + len(quote))
        got = anchors.reanchor(anchor, new)
        assert got == reference_reanchor(anchor, new)
        # (a quote of a letter or two may sit where it was recorded, in the shifted text)
        assert got.status in (AnchorStatus.MOVED, AnchorStatus.EXACT)
        if got.status is AnchorStatus.MOVED:
            assert got.anchor is not None and got.anchor.start == at + len("Preamble.\n")
        at += len(quote) + 1
