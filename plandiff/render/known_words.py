"""What is known of two versions' points, in plain words (the known/unknown box): how the
count changed, how much of that change the evidence identifies, how much of each version is
known. The counts come from :mod:`plandiff.known`; every report says them with these words.
"""

from __future__ import annotations

from collections.abc import Sequence

from plandiff import known as facts
from plandiff.render.wording import count_change, plural
from plandiff.result import DiffResult


def declared_phrase(result: DiffResult) -> str:
    """The known/unknown box (:func:`known_lines`) as one line, for a report with room for one."""
    return " ".join(known_lines(result))


def known_lines(result: DiffResult) -> list[str]:
    """What is known about the points, in plain words, a line each (see :mod:`plandiff.known`).

    Two versions known in full get one line (``Points: 5 → 4: 1 fewer, all known.``); otherwise
    the count first, with how much of its change the evidence identifies (``28 → 19 points: 9
    were cut, and reporting identifies none of them.``), then how much of each version is
    known (``Known: 4 of the 28 old points (described) and 1 of the 19 new points
    (described).``).
    """
    return known_words(facts.known(result))


def known_words(k: facts.Known) -> list[str]:
    """:func:`known_lines` from the counts themselves."""
    if k.everything:
        old, new = k.old.total, k.new.total
        assert old is not None and new is not None  # a full text's size is known
        return [f"Points: {count_change(old, new)}, all known."]
    # Two lines at most: the first screen of a partial diff is for its findings. What is not
    # known follows from them ("4 of the 28"), and the unreported points have a line of their
    # own after the changes.
    known_parts = [_known_side(k.old, "old"), _known_side(k.new, "new")]
    return [_count_sentence(k), f"Known: {' and '.join(known_parts)}."]


def _and(parts: Sequence[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"


def _some(n: int, word: str) -> str:
    """``3 points``, ``1 point``, ``no points``."""
    return f"no {word}s" if n == 0 else plural(n, word)


def _events(k: facts.Known) -> list[str]:
    """What the evidence shows leaving and arriving: ``2 removed``, ``1 merged away``."""
    events = [
        (k.removed, "removed"),
        (k.merged_away, "merged away"),
        (k.deferred, "deferred"),
        (k.added, "added"),
        (k.split_off, "split off"),
    ]
    return [f"{n} {what}" for n, what in events if n]


def _count_sentence(k: facts.Known) -> str:
    """How the number of points changed and how much of that the evidence identifies."""
    who = "reporting identifies" if not (k.old.full and k.new.full) else "the texts identify"
    events = _events(k)
    old, new, d = k.old.total, k.new.total, k.difference
    if d is None:
        side, size = ("old", old) if old is not None else ("new", new)
        if size is None:
            head = "Neither version says how many points it has"
        else:
            other = "new" if side == "old" else "old"
            head = (
                f"The {side} version has {_some(size, 'point')}; the {other} does not say how many"
            )
        return f"{head}; {who} {_and(events)}." if events else f"{head}."
    if d == 0:
        head = f"Both versions have {_some(old or 0, 'point')}"
        return f"{head}; {who} {_and(events)}." if events else f"{head}."
    went = "were cut" if d < 0 else "were added"
    if abs(d) == 1:
        went = went.replace("were", "was")
    head = f"{old} → {_some(new or 0, 'point')}: {abs(d)} {went}"
    if k.explained == 0:
        tail = "none of them" if not events else f"{_and(events)}, which explain none of them"
    elif k.explained == abs(d):
        tail = f"{'it' if abs(d) == 1 else 'all of them'} ({_and(events)})"
    else:
        tail = f"{k.explained} of them ({_and(events)})"
    return f"{head}, and {who} {tail}."


def _known_side(s: facts.SideKnown, side: str) -> str:
    """``4 of the 28 old points (described)``, ``12 of the 28 old points (10 verbatim)`` (the
    rest described), ``all 19 new points``, ``no new point``."""
    total = s.total
    if s.known == 0:
        if total == 1:
            return f"not the one {side} point"
        return f"none of the {total} {side} points" if total else f"no {side} point"
    if total is not None and s.known == total:
        whole = f"all {total} {side} points" if total > 1 else f"the one {side} point"
    elif total is not None:
        whole = f"{s.known} of the {total} {side} points"
    else:
        whole = plural(s.known, f"{side} point")
    if s.described == 0:
        return whole if s.full else f"{whole} (verbatim)"
    if s.verbatim == 0:
        return f"{whole} (described)"
    return f"{whole} ({s.verbatim} verbatim)"
