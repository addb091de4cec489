"""What became of a draft's unagreed language between two versions of a point.

Brackets that go while their words stay mean the words are now agreed; brackets that come
around words that stood plain mean they are no longer agreed; of alternatives (``[A] [B]``,
``[A/B]``) the one left standing plain was chosen. These are reported beside the changed
figures, as a reader must check them as carefully. Pure: two texts in, findings out.
"""

from __future__ import annotations

import re

from plandiff.brackets import BracketGroup, bracket_groups, bracketed_spans
from plandiff.result import BracketChange, BracketChangeKind

__all__ = ["bracket_changes"]


def _squeezed(text: str) -> str:
    return " ".join(text.split())


def _plain(text: str) -> str:
    """The text outside its bracketed spans (each span a break), blanks squeezed."""
    out, last = [], 0
    for span in bracketed_spans(text):
        out.append(text[last : span.start])
        last = span.end
    out.append(text[last:])
    return "\u2029".join(_squeezed(p) for p in out)


def _stands_in(words: str, plain: str) -> bool:
    """Whether ``words`` stand, whole, in the plain (unbracketed) text."""
    if not words:
        return False
    return re.search(rf"(?<!\w){re.escape(words)}(?!\w)", plain) is not None


def _options(groups: tuple[BracketGroup, ...]) -> set[str]:
    return {_squeezed(o) for g in groups for o in g.options}


def bracket_changes(old: str, new: str) -> tuple[BracketChange, ...]:
    """The bracketed language of ``old`` now agreed in ``new`` or chosen among alternatives,
    then the plain language of ``old`` bracketed in ``new``, each in text order.

    Words that are gone altogether are a rewording, not a bracket change, and are not
    reported; nor is a group still bracketed in ``new``.
    """
    if "[" not in old and "[" not in new:
        return ()
    old_groups, new_groups = bracket_groups(old), bracket_groups(new)
    old_bracketed, new_bracketed = _options(old_groups), _options(new_groups)
    old_plain, new_plain = _plain(old), _plain(new)
    found: list[BracketChange] = []
    for g in old_groups:
        options = [_squeezed(o) for o in g.options]
        if any(o in new_bracketed for o in options):
            continue  # still unagreed
        standing = [o for o in options if _stands_in(o, new_plain)]
        if len(options) == 1 and standing:
            found.append(BracketChange(kind=BracketChangeKind.AGREED, text=standing[0]))
        elif len(options) > 1 and len(standing) == 1:
            others = tuple(o for o in options if o != standing[0])
            found.append(
                BracketChange(kind=BracketChangeKind.CHOSEN, text=standing[0], others=others)
            )
    for g in new_groups:
        options = [_squeezed(o) for o in g.options]
        if any(o in old_bracketed for o in options):
            continue  # unagreed already
        was = [o for o in options if _stands_in(o, old_plain)]
        if len(was) == 1:
            others = tuple(o for o in options if o != was[0])
            found.append(BracketChange(kind=BracketChangeKind.UNAGREED, text=was[0], others=others))
    return tuple(found)
