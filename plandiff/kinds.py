"""Which changes a report shows: ``--kind removed,merged``, as ``git diff --diff-filter`` does.

A filter is a set of names, each a :class:`~plandiff.result.ChangeKind` value or ``moved`` (the
changes flagged moved, whatever their kind). It picks the change blocks a report shows and
nothing else: the result stays whole, so the summary still counts every change and a reader
sees how much was left out. Pure: no rendering, no click.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plandiff.result import Change, ChangeKind, DiffResult, PartChange

#: The names a filter takes, in the order a report lists them.
KIND_NAMES: tuple[str, ...] = (*(k.value for k in ChangeKind), "moved")


@dataclass(frozen=True, slots=True)
class KindFilter:
    """The kinds of change a report shows (a change matches by its kind, or by being moved).

    ``names`` keeps the order the user gave them in, once each, for the report to repeat.
    """

    names: tuple[str, ...]

    @property
    def kinds(self) -> frozenset[str]:
        return frozenset(self.names)

    @classmethod
    def parse(cls, values: Iterable[str]) -> KindFilter:
        """A filter from comma-separated lists of names (``["removed,merged", "moved"]``).

        Raises :class:`ValueError` naming the first unknown name and listing the valid ones.
        """
        names: list[str] = []
        for value in values:
            for name in value.split(","):
                name = name.strip()
                if name not in KIND_NAMES:
                    valid = ", ".join(KIND_NAMES)
                    raise ValueError(f"unknown change kind {name!r} (choose from {valid})")
                if name not in names:
                    names.append(name)
        return cls(tuple(names))

    @property
    def label(self) -> str:
        """The names as given: ``removed, merged``."""
        return ", ".join(self.names)

    def matches(self, change: Change) -> bool:
        return change.kind.value in self.names or ("moved" in self.names and change.moved)

    def shows_part(self, part: PartChange) -> bool:
        """Whether a stretch of text outside the points (preamble, heading, closing) is shown:
        by its kind, as a point's change is (it never moves)."""
        return part.kind.value in self.names

    def select(self, changes: Sequence[Change]) -> list[Change]:
        """The changes shown, in report order."""
        return [c for c in changes if self.matches(c)]

    def select_parts(self, parts: Sequence[PartChange]) -> list[PartChange]:
        """The stretches of text outside the points shown, in text order."""
        return [p for p in parts if self.shows_part(p)]

    def phrase(self, result: DiffResult) -> str:
        """One line saying what is shown of how much: ``Showing removed, merged: 3 of 14
        changes.`` (every point is in one change, unchanged ones included, as in the JSON)."""
        shown = sum(1 for c in result.changes if self.matches(c))
        total = len(result.changes)
        of = f"{shown} of {total} {'change' if total == 1 else 'changes'}"
        if not shown:
            return f"Showing {self.label}: no changes of these kinds ({of})."
        return f"Showing {self.label}: {of}."


__all__ = ["KIND_NAMES", "KindFilter"]
