"""Quotes anchored when they are recorded, or refused with the places that could be meant.

A quote that is not in its source, or that is there more than once without ``occurrence``, is
refused with the candidates shown, never stored as a guess.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plandiff import anchors
from plandiff.errors import (
    NotFoundError,
    PlandiffError,
    QuoteChoiceError,
    QuoteError,
    SplitCharacterError,
    show,
)
from plandiff.models import Anchor, Registry, Stance

#: Candidates listed when a quote occurs several times.
MAX_CANDIDATES = 8


#: Characters of context shown on each side of a candidate.
SNIPPET_CONTEXT = 30


#: An approximate match at least this similar (0–100) is offered when a quote is not found.
CLOSEST_MIN_SCORE = 60.0


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote to anchor: its text, the source it is taken from, which occurrence, and what it
    says of the claim it is attached to."""

    source: str
    quote: str
    occurrence: int | None = None
    stance: Stance = Stance.SUPPORT


def pair_quotes(
    quotes: Sequence[str],
    sources: Sequence[str],
    occurrences: Sequence[int] = (),
    stances: Sequence[Stance] = (),
) -> tuple[QuoteRef, ...]:
    """Pair repeated ``--quote``/``--source``/``--occurrence``/``--stance`` options in order.

    One ``--source`` may serve every quote, and so may one ``--stance`` (as ``--source``, it
    is given once for all or once per quote: a stance said once applies to what the command
    records, so mixing needs it per quote); ``--occurrence`` is given for every quote or none
    (0 means "the quote is unique"), or once when there is one quote.
    """
    if not quotes:
        if sources or occurrences or stances:
            raise PlandiffError(
                "--source, --occurrence and --stance need a --quote to go with them"
            )
        return ()
    if len(stances) not in (0, 1, len(quotes)):
        raise PlandiffError(
            f"{len(quotes)} --quote but {len(stances)} --stance: give one --stance for all "
            "quotes, or one per quote in the same order"
        )
    if not sources:
        raise PlandiffError("each --quote needs the --source (a source id) it is taken from")
    if len(sources) not in (1, len(quotes)):
        raise PlandiffError(
            f"{len(quotes)} --quote but {len(sources)} --source: give one --source for all "
            "quotes, or one per quote in the same order"
        )
    if occurrences and len(occurrences) != len(quotes):
        raise PlandiffError(
            f"{len(quotes)} --quote but {len(occurrences)} --occurrence: give one --occurrence "
            "per quote, in the same order (0 for a quote that occurs once)"
        )
    out = []
    for i, quote in enumerate(quotes):
        source = sources[i] if len(sources) > 1 else sources[0]
        occurrence = occurrences[i] if occurrences else 0
        if occurrence < 0:
            raise PlandiffError(f"--occurrence {occurrence}: counts from 1")
        stance = (stances[i] if len(stances) > 1 else stances[0]) if stances else Stance.SUPPORT
        out.append(
            QuoteRef(source=source, quote=quote, occurrence=occurrence or None, stance=stance)
        )
    return tuple(out)


def anchor_quote(registry: Registry, ref: QuoteRef) -> Anchor:
    """Anchor one quote in its source, refusing an absent or ambiguous quote with candidates."""
    if registry.source(ref.source) is None:
        raise NotFoundError("source", ref.source, [s.id for s in registry.sources])
    if not ref.quote.strip():
        raise QuoteError(f"empty quote for source {show(ref.source)}")
    text = registry.text(ref.source)
    try:
        found = anchors.create_anchor(ref.source, text, ref.quote, occurrence=ref.occurrence)
    except SplitCharacterError:
        raise  # found, but it cuts a character: the message says so, candidates would mislead
    except QuoteError as exc:
        raise _explain(ref, text, exc) from exc
    if ref.stance is Stance.SUPPORT:
        return found
    return found.model_copy(update={"stance": ref.stance})


def _explain(ref: QuoteRef, text: str, exc: QuoteError) -> QuoteChoiceError:
    quote, source = ref.quote, show(ref.source)
    starts = anchors.occurrences(text, quote)
    if not starts:
        details = []
        closest = _closest(quote, text)
        if closest is not None:
            score, start, end = closest
            details.append(
                f"closest: at {start}..{end} ({score:.0f}% similar): {_snippet(text, start, end)}"
            )
        hint = (
            "copy the quote exactly as the stored text has it (spacing, quotation marks, "
            f"dashes); 'plandiff show {ref.source}' prints that text"
        )
        return QuoteChoiceError(
            f"quote {show(quote)} not found in source {source}; {hint}", details, []
        )
    listed = [
        f"--occurrence {n}: at {s}..{s + len(quote)}: {_snippet(text, s, s + len(quote))}"
        for n, s in enumerate(starts[:MAX_CANDIDATES], start=1)
    ]
    if len(starts) > MAX_CANDIDATES:
        listed.append(f"… and {len(starts) - MAX_CANDIDATES} more")
    if ref.occurrence is not None:
        head = (
            f"quote {show(quote)} occurs {len(starts)} time(s) in source {source}; "
            f"--occurrence {ref.occurrence} does not exist"
        )
    else:
        head = (
            f"quote {show(quote)} occurs {len(starts)} times in source {source}; "
            "pick one with --occurrence N, or quote more words so that it occurs once"
        )
    return QuoteChoiceError(head, listed, starts)


def _closest(quote: str, text: str) -> tuple[float, int, int] | None:
    from rapidfuzz import fuzz

    if not text or len(quote) > len(text):
        return None
    found = fuzz.partial_ratio_alignment(quote, text)
    if found is None or found.score < CLOSEST_MIN_SCORE:
        return None
    start, end = found.dest_start, found.dest_end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return found.score, start, end


def _printable(text: str) -> str:
    """Untrusted text on one line: line breaks as ⏎, other control characters as '?'."""
    text = text.replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " ")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _snippet(text: str, start: int, end: int) -> str:
    before = text[max(0, start - SNIPPET_CONTEXT) : start]
    after = text[end : end + SNIPPET_CONTEXT]
    body = text[start:end]
    if len(body) > 60:
        body = body[:28] + "…" + body[-28:]
    lead = "…" if start > SNIPPET_CONTEXT else ""
    tail = "…" if end + SNIPPET_CONTEXT < len(text) else ""
    return f"{lead}{_printable(before)}[{_printable(body)}]{_printable(after)}{tail}"
