"""The closing glued to the last points: shared text that says where a document ends, not
which of its points correspond.

Text after the last point that is not set off from it (a disclaimer, an addendum, a notice on
the same line as the last sentence) stays inside the last point. Both versions then carry it
in their last point, whichever point that is. When a version appends a point, or folds its
last clause elsewhere, that shared block is the bulk of what the two last points have in
common, and it makes a new last point look like the second half of a split of the old last
one (or an old last clause look like part of a merge into the new last point).

So a merge or split that holds the last point of both versions is judged again without the
block they share at the end of one of them (allowing the small edits a closing gets between
editions: a version number, a renamed organisation). If its points, without it, no longer
make that merge or split, the alignment of those points alone stands instead: a point that
nothing explains is added or removed, the others keep their pairs.

Pure: correspondences in, correspondences out, every point still in exactly one.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence

import msgspec

from plandiff import align as aligner
from plandiff.align import AlignSettings, Correspondence
from plandiff.result import ChangeKind

__all__ = ["judge_without_closing", "shared_ending"]

#: Shortest run of words in common that counts as a piece of the shared closing (shorter
#: runs, "of the", are everywhere).
_MIN_RUN = 3
#: Most words on either side between two pieces of the closing: the small edits a closing
#: gets between editions (a version number, a renamed organisation).
_MAX_EDIT = 6
#: Fewest words each point must keep of its own for the shared block to be set aside: with
#: less ("May." against "July."), what the two share is the point itself.
_MIN_OWN = 6
#: Words from the end of each last point that are compared (bounds the word matching; a
#: glued closing is a few paragraphs).
_WINDOW = 1000


def _end_block(
    a: Sequence[str], b: Sequence[str], blocks: Sequence[tuple[int, int, int]]
) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The span of ``a`` and of ``b`` covered by the chain of runs that ends ``a``."""
    chain = [(i, j, n) for i, j, n in blocks if n >= _MIN_RUN]
    if not chain or chain[-1][0] + chain[-1][2] != len(a):
        return None
    first = last = chain[-1]
    for i, j, n in reversed(chain[:-1]):
        if first[0] - (i + n) > _MAX_EDIT or first[1] - (j + n) > _MAX_EDIT:
            break
        first = (i, j, n)
    return (first[0], len(a)), (first[1], last[1] + last[2])


def shared_ending(old_text: str, new_text: str) -> tuple[str, str] | None:
    """Both texts without the block they share at the end of one of them (small edits
    allowed inside it), or None when neither ends in text the other holds.

    Texts that are (nearly) wholly that block are left alone: that is a point, not a closing.
    """
    a = aligner.normalise(old_text).split()[-_WINDOW:]
    b = aligner.normalise(new_text).split()[-_WINDOW:]
    fa, fb = [w.casefold() for w in a], [w.casefold() for w in b]
    blocks = difflib.SequenceMatcher(None, fa, fb, autojunk=False).get_matching_blocks()
    spans = [_end_block(fa, fb, [(i, j, n) for i, j, n in blocks if n])]
    swapped = _end_block(fb, fa, [(j, i, n) for i, j, n in blocks if n])
    spans.append(None if swapped is None else (swapped[1], swapped[0]))
    found = [s for s in spans if s is not None]
    if not found:
        return None
    (a0, a1), (b0, b1) = max(found, key=lambda s: s[0][1] - s[0][0])
    rest_a, rest_b = a[:a0] + a[a1:], b[:b0] + b[b1:]
    if len(rest_a) < _MIN_OWN or len(rest_b) < _MIN_OWN:
        return None  # the shared block is (nearly) the whole point: a point, not a closing
    return " ".join(rest_a), " ".join(rest_b)


def judge_without_closing(
    found: Sequence[Correspondence],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: AlignSettings,
) -> list[Correspondence]:
    """``found`` with the last points aligned again without the closing glued to them, where
    that changes what they are: the correspondence that holds both last points, with the
    points added or removed right before them (the point a version appended, or dropped)."""
    out = list(found)
    if not old_texts or not new_texts:
        return out
    last_old, last_new = len(old_texts) - 1, len(new_texts) - 1
    end = next((c for c in out if last_old in c.old and last_new in c.new), None)
    if end is None or end.kind is ChangeKind.UNCHANGED:
        return out
    trimmed = shared_ending(old_texts[last_old], new_texts[last_new])
    if trimmed is None:
        return out
    first_old, first_new = min(end.old), min(end.new)
    group = [end]
    group += [
        c
        for c in out
        if (c.kind is ChangeKind.REMOVED and c.old[0] == first_old - 1)
        or (c.kind is ChangeKind.ADDED and c.new[0] == first_new - 1)
    ]
    olds = sorted(i for c in group for i in c.old)
    news = sorted(j for c in group for j in c.new)
    if len(olds) == len(news) == 1:
        return out  # nothing else there to take the point's place
    again = aligner.align(
        [old_texts[i] if i != last_old else trimmed[0] for i in olds],
        [new_texts[j] if j != last_new else trimmed[1] for j in news],
        settings=settings,
    )
    placed = [_in_place(g, olds, news, old_texts, new_texts, settings) for g in again]
    if any(g.old == end.old and g.new == end.new for g in placed):
        return out  # without the closing, the same points still correspond
    return [c for c in out if all(c is not g for g in group)] + placed


def _in_place(
    g: Correspondence,
    olds_at: Sequence[int],
    news_at: Sequence[int],
    old_texts: Sequence[str],
    new_texts: Sequence[str],
    settings: AlignSettings,
) -> Correspondence:
    """A correspondence of the re-alignment, by the documents' point indices and scored on
    the full texts (the closing is part of what a reader compares)."""
    olds = tuple(olds_at[i] for i in g.old)
    news = tuple(news_at[j] for j in g.new)
    similarity = None
    if olds and news:
        similarity = round(
            aligner.similarity(
                " ".join(old_texts[i] for i in olds),
                " ".join(new_texts[j] for j in news),
                settings=settings,
            ),
            6,
        )
    kind = g.kind
    if kind is ChangeKind.UNCHANGED and not _same(old_texts[olds[0]], new_texts[news[0]]):
        kind = ChangeKind.REWORDED  # the same once the closing is set aside
    return msgspec.structs.replace(g, kind=kind, old=olds, new=news, similarity=similarity)


def _same(old_text: str, new_text: str) -> bool:
    return aligner.normalise(old_text) == aligner.normalise(new_text)
