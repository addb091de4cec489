"""The text outside the points (preamble, headings between points, closing), compared too.

A plan text is more than its points: a preamble that said "have agreed as follows" and now says
"have NOT agreed to anything", or a closing "Done at Geneva" that became "Done at Vienna", is a
difference a reader must be told about. So the whole text is compared: each stretch outside the
points becomes a :class:`~plandiff.result.PartChange`, and "no differences" means the two texts
differ in nothing but whitespace (and the numbering the points report themselves).

Headings ("Part B. Economy", "CHAPTER 3") are paired in order, like the lines of ``diff``; a
point's headings, seen through that pairing, say whether the point moved from one heading to
another (a renamed heading moves nothing).

Pure: an :class:`Outline` of each side in, part changes out.
"""

from __future__ import annotations

import bisect
import difflib
from collections.abc import Sequence
from typing import Any, NamedTuple

from plandiff import worddiff
from plandiff.result import ChangeKind, PartChange, TextPart

__all__ = ["EMPTY", "Heading", "Outline", "compare", "moved_between_headings", "outline_of"]

#: Similarity two headings in a replaced stretch need to be paired as one heading reworded.
_HEADING_PAIRING = 0.34

#: Largest replaced stretch of headings (old × new) compared pair by pair; a larger one is
#: paired in order, so that a code of thousands of renamed headings stays linear.
_HEADING_WORK = 4096

#: How many headings back a point's heading text is looked for (its block is nearly always the
#: nearest, or a few above it for the outer levels).
_HEADING_LOOKBACK = 64


class Heading(NamedTuple):
    """A heading between points: its text, and the 0-based index of the point it precedes."""

    text: str
    before: int


class Outline(NamedTuple):
    """What one side has outside its points (plain data: it pickles, and compares by value)."""

    preamble: str | None = None
    closing: str | None = None
    headings: tuple[Heading, ...] = ()
    #: Per point, the indices (into ``headings``) of the headings it stands under, outermost
    #: first; empty when the text has no headings.
    paths: tuple[tuple[int, ...], ...] = ()
    #: Per point, its number as written ("142a", "2 bis"), where the segmenter records it.
    numbers: tuple[str | None, ...] = ()
    #: Per point, its headings as the segmenter names them ("TITRE II", "Chapitre 1"), where
    #: it does; else the heading stretches of ``paths`` are shown.
    path_texts: tuple[tuple[str, ...], ...] = ()
    #: Per point, the division with numbering of its own it belongs to ("Schedule 1",
    #: "Annex A"), None for the main series; empty when the text has no such division.
    divisions: tuple[str | None, ...] = ()
    #: How a reader counts points that carry no number: "¶" for the paragraphs of a text
    #: with no numbering, "•" for a bulleted list; None where points are numbered.
    ordinal_sign: str | None = None

    def heading_texts(self, point: int) -> tuple[str, ...]:
        """The headings of the 0-based ``point``, as text, outermost first."""
        if point < len(self.path_texts) and self.path_texts[point]:
            return self.path_texts[point]
        if point >= len(self.paths):
            return ()
        return tuple(dict.fromkeys(self.headings[h].text for h in self.paths[point]))


EMPTY = Outline()


def _clean(text: str | None) -> str | None:
    """A stretch's text without its surrounding whitespace; None when nothing is left."""
    if text is None:
        return None
    stripped = text.strip()
    return stripped or None


def _flat(text: str) -> str:
    return " ".join(text.split())


def outline_of(segmentation: Any) -> Outline:
    """The outline of a :class:`~plandiff.segmentation.Segmentation`.

    Headings are read where the segmenter records them (``segmentation.headings``: spans with
    ``text`` and ``end``; ``segment.heading``: a point's heading path, as a tuple of texts or one
    text joined by " › "). A point whose path is not given stands under the nearest heading
    before it.
    """
    points = segmentation.points
    return outline(
        segmentation.preamble,
        segmentation.closing,
        [getattr(p, "number_text", None) for p in points],
        [getattr(p, "division", None) for p in points],
        [p.start for p in points],
        getattr(segmentation, "headings", None) or (),
        [getattr(p, "heading", None) for p in points],
        getattr(segmentation, "series", None),
    )


def outline(
    preamble_span: Any,
    closing_span: Any,
    written: list[str | None],
    division_of: list[str | None],
    starts: list[int],
    heading_spans: Sequence[Any],
    given_paths: Sequence[Any],
    series: Any,
) -> Outline:
    """:func:`outline_of` from the segmentation's parts, its points given as columns: each
    point's number as written, division, start and heading path (see
    :class:`plandiff.spans.Points`)."""
    preamble = _clean(preamble_span.text) if preamble_span else None
    closing = _clean(closing_span.text) if closing_span else None
    # Lists, counted in C: a step less per point of a long code.
    numbers = () if written.count(None) == len(written) else tuple(written)
    divisions = () if division_of.count(None) == len(division_of) else tuple(division_of)
    sign = _ordinal_sign(series)
    headings: list[Heading] = []
    for span in heading_spans:
        text = _clean(getattr(span, "text", None))
        if text is not None:
            headings.append(Heading(_flat(text), bisect.bisect_left(starts, span.end)))
    if not headings:
        return Outline(preamble, closing, numbers=numbers, divisions=divisions, ordinal_sign=sign)
    befores = [h.before for h in headings]
    paths = []
    texts = []
    for k, given in enumerate(given_paths):
        if isinstance(given, str):
            given = tuple(t for t in given.split(" › ") if t.strip())
        paths.append(_path(headings, bisect.bisect_right(befores, k), given))
        texts.append(tuple(_flat(t) for t in given or ()))
    return Outline(
        preamble, closing, tuple(headings), tuple(paths), numbers, tuple(texts), divisions, sign
    )


def _ordinal_sign(series: Any) -> str | None:
    """ "¶" for a text cut at its paragraphs, "•" for a bulleted list, else None."""
    if series is None or getattr(series, "count", 0) == 0:
        return None
    style = getattr(series, "style", None)
    if style == "paragraph" and getattr(series, "marker", None) is None:
        return "¶"
    return "•" if style == "bullet" else None


def _path(headings: Sequence[Heading], above: int, given: Sequence[str] | None) -> tuple[int, ...]:
    """Indices of the headings of a point with ``above`` headings before it: for each given
    text, the nearest of those that holds it (a segmenter may record a block of headings,
    "PART I / CHAPTER 1", as one stretch); without a given path, the nearest heading."""
    if not given:
        return (above - 1,) if above else ()
    out = []
    for text in given:
        flat = _flat(text)
        for h in range(above - 1, max(above - 1 - _HEADING_LOOKBACK, -1), -1):
            if flat in headings[h].text:
                out.append(h)
                break
    return tuple(out)


def _part(
    part: TextPart,
    old: str | None,
    new: str | None,
    old_before: int | None = None,
    new_before: int | None = None,
) -> PartChange | None:
    """The change of one stretch, or None when it is on neither side."""
    if old is None and new is None:
        return None
    redline = None
    substantive: tuple[Any, ...] = ()
    if old is None:
        kind = ChangeKind.ADDED
    elif new is None:
        kind = ChangeKind.REMOVED
    elif _flat(old) == _flat(new):
        kind = ChangeKind.UNCHANGED
    else:
        kind = ChangeKind.REWORDED
        redline = worddiff.redline(old, new)
        substantive = worddiff.substantive_changes(redline)
    return PartChange(
        part=part,
        kind=kind,
        old=old,
        new=new,
        old_before=old_before,
        new_before=new_before,
        redline=redline,
        substantive=substantive,
    )


def pair_headings(old: Sequence[Heading], new: Sequence[Heading]) -> dict[int, int]:
    """Old heading index → new heading index, in order: equal texts (whitespace aside) first,
    then, inside each stretch that changed, headings alike enough (a renamed "Part B")."""
    from plandiff.align import similarity

    a, b = [h.text for h in old], [h.text for h in new]
    pairs: dict[int, int] = {}
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.update(zip(range(i1, i2), range(j1, j2), strict=True))
        elif tag == "replace":
            if i2 - i1 == j2 - j1 or (i2 - i1) * (j2 - j1) > _HEADING_WORK:
                pairs.update(zip(range(i1, i2), range(j1, j2), strict=False))
                continue
            j = j1
            for i in range(i1, i2):
                for k in range(j, j2):
                    if similarity(a[i], b[k]) >= _HEADING_PAIRING:
                        pairs[i] = k
                        j = k + 1
                        break
    return pairs


def compare(old: Outline, new: Outline) -> tuple[tuple[PartChange, ...], dict[int, int]]:
    """Every stretch outside the points, compared; and the pairing of the headings.

    In text order: the preamble, the headings (in new order, a removed one after the heading
    before it), the closing.
    """
    out: list[PartChange] = []
    preamble = _part(TextPart.PREAMBLE, old.preamble, new.preamble)
    if preamble is not None:
        out.append(preamble)
    pairs = pair_headings(old.headings, new.headings)
    paired_new = {j: i for i, j in pairs.items()}
    entries: list[tuple[tuple[float, int], PartChange]] = []
    for j, h in enumerate(new.headings):
        i = paired_new.get(j)
        o = old.headings[i] if i is not None else None
        change = _part(
            TextPart.HEADING,
            o.text if o else None,
            h.text,
            o.before + 1 if o else None,
            h.before + 1,
        )
        assert change is not None
        entries.append(((j, 0), change))
    last_new = -1.0
    for i, h in enumerate(old.headings):
        if i in pairs:
            last_new = pairs[i]
            continue
        change = _part(TextPart.HEADING, h.text, None, h.before + 1, None)
        assert change is not None
        entries.append(((last_new + 0.5, i), change))
    out += [change for _, change in sorted(entries, key=lambda e: e[0])]
    closing = _part(TextPart.CLOSING, old.closing, new.closing)
    if closing is not None:
        out.append(closing)
    return tuple(out), pairs


def moved_between_headings(
    old: Outline, new: Outline, pairs: dict[int, int], old_point: int, new_point: int
) -> bool:
    """Whether a point (0-based on each side) stands under other headings than before, the
    old headings read through their pairing with the new ones."""
    if not old.headings or not new.headings:
        return False  # headings added or dropped wholesale are reported as such
    old_path = old.paths[old_point] if old_point < len(old.paths) else ()
    new_path = new.paths[new_point] if new_point < len(new.paths) else ()
    return tuple(pairs.get(h, -1) for h in old_path) != new_path
