"""Word-level redlines of two point texts, and the numbers, dates and durations that changed.

The engine's one call for its redlined pairs: each text is tokenised once
(:mod:`plandiff.tokenise`), and its tokens serve both the redline (:mod:`plandiff.redline`)
and the scan for changed figures (:mod:`plandiff.changed_figures`); one lexicon
(:mod:`plandiff.token_codes`) codes the tokens of all the pairs. The names the rest of the
package has always imported from here stay importable.
"""

from __future__ import annotations

from collections.abc import Sequence

from plandiff.changed_figures import changed_figures, substantive_changes
from plandiff.figures import figure_tokens
from plandiff.redline import MAX_DIFF_WORK, redline, redline_parts, unique_anchors
from plandiff.result import Redline, Substantive
from plandiff.token_codes import Lexicon
from plandiff.tokenise import tokens

__all__ = [
    "MAX_DIFF_WORK",
    "MarkedUp",
    "marked_up",
    "redline",
    "substantive_changes",
    "tokens",
    "unique_anchors",
]

#: A redline and the figures that changed in it.
MarkedUp = tuple[Redline, tuple[Substantive, ...]]


def marked_up(pairs: Sequence[tuple[str, str]]) -> list[MarkedUp]:
    """:func:`redline` and :func:`substantive_changes` of each (old, new) pair, in order."""
    out: list[MarkedUp] = []
    lexicon = Lexicon()
    for old, new in pairs:
        old_tokens, new_tokens = tokens(old), tokens(new)
        coded = lexicon.encode(old_tokens, new_tokens)
        parts = redline_parts(old, new, old_tokens, new_tokens, coded)
        if old == new:
            changed: tuple[Substantive, ...] = ()
        elif coded is None:  # more distinct tokens than codes: read the figures the long way
            candidates = figure_tokens(dict.fromkeys(old_tokens + new_tokens))
            changed = changed_figures(old, new, parts, old_tokens, new_tokens, candidates)
        else:
            places = (lexicon.figure_places(coded[0]), lexicon.figure_places(coded[1]))
            changed = changed_figures(old, new, parts, old_tokens, new_tokens, places=places)
        out.append((Redline(ops=tuple(parts)), changed))
    return out
