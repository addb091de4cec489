"""What a diff knows and does not know about the two versions' points, as counts.

A diff against a partly known version is mostly silence: 28 points declared, 4 reported. The
reader's first questions are how the count changed, how much of that change the evidence
explains, and how much of each version is known at all. :func:`known` answers them from the
result alone, as plain numbers, so every report (terminal, Markdown, stat) words the same facts
the same way (see :func:`plandiff.render.known_words.known_lines`). Pure: no rendering, no I/O.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import chain
from operator import attrgetter

from plandiff.records import Completeness
from plandiff.result import ChangeKind, DiffResult, PointRef, VersionSummary


@dataclass(frozen=True, slots=True)
class SideKnown:
    """One version's points: declared, recorded (verbatim or described), and unreported."""

    declared: int | None
    """The count the version declares (``None``: it does not say)."""
    verbatim: int
    """Recorded points whose wording is known."""
    described: int
    """Recorded points known only from a description."""
    full: bool
    """The version's whole text is known."""
    unreported: int
    """Recorded points with no counterpart, because the other version is only partly known."""

    @property
    def known(self) -> int:
        return self.verbatim + self.described

    @property
    def total(self) -> int | None:
        """How many points the version has, as far as anyone can tell: the declared count,
        else the recorded points of a full text, else ``None``."""
        if self.declared is not None:
            return max(self.declared, self.known)
        return self.known if self.full else None

    @property
    def unknown(self) -> int | None:
        """Points the version has that nobody recorded (``None`` when its size is unknown)."""
        total = self.total
        return None if total is None else total - self.known


@dataclass(frozen=True, slots=True)
class Known:
    """The known/unknown facts of a diff, side by side with what the evidence identifies.

    ``removed`` and ``merged_away`` are the old points the diff shows leaving (a merge of
    three points into one takes two away), ``added`` and ``split_off`` the new points it
    shows arriving; ``deferred`` the old points whose matter was left for later (they leave
    the new version too); together they explain some, all or none of the change in the count.
    """

    old: SideKnown
    new: SideKnown
    removed: int
    merged_away: int
    added: int
    split_off: int
    deferred: int = 0

    @property
    def difference(self) -> int | None:
        """New count minus old (``None`` when either count is unknown)."""
        if self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def cuts(self) -> int:
        """Old points the evidence shows going: removed, merged into another, or deferred (left
        out of the new version, to be settled later)."""
        return self.removed + self.merged_away + self.deferred

    @property
    def additions(self) -> int:
        """New points the evidence shows arriving: added or split off another."""
        return self.added + self.split_off

    @property
    def explained(self) -> int:
        """How much of the change in the count the identified cuts and additions account
        for, at most all of it and never against its sign (0 when the count is unknown)."""
        d = self.difference
        if not d:
            return 0
        net = self.additions - self.cuts
        return max(0, min(abs(d), net if d > 0 else -net))

    @property
    def everything(self) -> bool:
        """Both versions are known in full, to the last declared point: nothing is unknown."""
        return all(s.full and s.unknown == 0 for s in (self.old, self.new))


def _side(version: VersionSummary, refs: Sequence[PointRef], unreported: int) -> SideKnown:
    verbatim = sum(map(attrgetter("verbatim"), refs))
    return SideKnown(
        declared=version.declared_points,
        verbatim=verbatim,
        described=len(refs) - verbatim,
        full=version.completeness is Completeness.FULL,
        unreported=unreported,
    )


def known(result: DiffResult) -> Known:
    """The counts behind the known/unknown box of ``result`` (every change, never filtered).

    Counted in C-level passes where it can be, and one light loop: the JSON report asks
    this of every diff, of 30,000 changes and more."""
    changes = result.changes
    old_refs = tuple(chain.from_iterable(map(attrgetter("old"), changes)))
    new_refs = tuple(chain.from_iterable(map(attrgetter("new"), changes)))
    # Points per kind, on each side; unchanged ones count for nothing below.
    old_points, new_points = Counter[ChangeKind](), Counter[ChangeKind]()
    unchanged = ChangeKind.UNCHANGED
    for c in changes:
        if c.kind is not unchanged:
            old_points[c.kind] += len(c.old)
            new_points[c.kind] += len(c.new)
    changes_of = Counter(map(attrgetter("kind"), changes))
    return Known(
        old=_side(result.old, old_refs, old_points[ChangeKind.UNREPORTED]),
        new=_side(result.new, new_refs, new_points[ChangeKind.UNREPORTED]),
        removed=old_points[ChangeKind.REMOVED],
        merged_away=old_points[ChangeKind.MERGED] - changes_of[ChangeKind.MERGED],
        added=new_points[ChangeKind.ADDED],
        split_off=new_points[ChangeKind.SPLIT] - changes_of[ChangeKind.SPLIT],
        deferred=old_points[ChangeKind.DEFERRED],
    )
