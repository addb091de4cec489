"""What the order of a version's points is evidence of.

A full text's points stand in the text's order, and a recorded number says where a point
stands. The order in which an analyst recorded described points with ``point add`` says
nothing about the plan, so a point of a partly known version without a number has no known
position: it takes no part in finding moves, and it is never paired by its place alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from plandiff.align import AlignSettings, Correspondence
from plandiff.records import Completeness, VersionRecord
from plandiff.result import ChangeKind

__all__ = ["positions", "unplaced_guesses_apart"]

#: The kinds the alignment gives a pair of one point a side.
_PAIRED = frozenset((ChangeKind.REWORDED, ChangeKind.REPLACED))


def positions(version: VersionRecord) -> tuple[int | None, ...]:
    """Where each point stands in its version where that is known (None where it is not): a
    full text's points in text order, a partly known version's by their recorded numbers."""
    if version.completeness is Completeness.FULL:
        return tuple(range(len(version.points)))
    return tuple(p.number for p in version.points)


def _all_placed(version: VersionRecord) -> bool:
    """Whether every point of the version has a known position (see :func:`positions`)."""
    return version.completeness is Completeness.FULL or all(
        p.number is not None for p in version.points
    )


def unplaced_guesses_apart(
    found: Sequence[Correspondence],
    old: VersionRecord,
    new: VersionRecord,
    settings: AlignSettings,
) -> tuple[Correspondence, ...]:
    """``found`` with each pair too weak to stand on its wording alone (below the match
    threshold, so paired for its place between matched neighbours) taken apart when one of
    its points has no known position: that place is only the order of recording."""
    if _all_placed(old) and _all_placed(new):
        return tuple(found)  # nothing rests on an unknown place
    old_at, new_at = positions(old), positions(new)
    out: list[Correspondence] = []
    for c in found:
        if (
            c.kind in _PAIRED
            and (c.similarity or 0.0) < settings.match_threshold
            and (any(old_at[i] is None for i in c.old) or any(new_at[j] is None for j in c.new))
        ):
            out.append(Correspondence(kind=ChangeKind.REMOVED, old=c.old, new=()))
            out.append(Correspondence(kind=ChangeKind.ADDED, old=(), new=c.new))
        else:
            out.append(c)
    return tuple(out)
