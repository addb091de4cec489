"""What :func:`plandiff.diff` returns: a closed vocabulary of changes with their evidence.

Renderers consume these objects and never reach back into the engine, so every fact a report
shows is on the result. Each renderer handles every :class:`ChangeKind` member.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from pydantic import Field

from plandiff.models import Completeness, FrozenModel


class ChangeKind(StrEnum):
    """How a group of old points corresponds to a group of new points."""

    UNCHANGED = "unchanged"
    """Same text once numbers and typography are normalised."""
    REWORDED = "reworded"
    """One old point and one new point that say the same thing differently."""
    MERGED = "merged"
    """Several old points folded into one new point."""
    SPLIT = "split"
    """One old point spread over several new points."""
    ADDED = "added"
    """A new point with no counterpart in a fully known old version."""
    REMOVED = "removed"
    """An old point absent from a fully known new version, or dropped per curated evidence."""
    UNREPORTED = "unreported"
    """No counterpart, but the other version is only partly known: nothing can be concluded."""
    REPLACED = "replaced"
    """One old point and one new point in the same place, with too little wording in common
    to call it a rewording: the old text gave way to the new one (paired by position only)."""


class Basis(StrEnum):
    """Why plandiff believes a correspondence."""

    CURATED = "curated"
    """A relation recorded in the registry with its own evidence."""
    AUTOMATIC = "automatic"
    """Found by the alignment algorithm; see the change's similarity and the settings."""


class RedlineOp(StrEnum):
    EQUAL = "equal"
    DELETE = "delete"
    INSERT = "insert"


class Redline(FrozenModel):
    """A word-level diff. Equal+delete parts rebuild the old text; equal+insert the new."""

    ops: tuple[tuple[RedlineOp, str], ...] = Field(
        default=(), description="Consecutive (operation, text) parts."
    )

    @property
    def old_text(self) -> str:
        return "".join(t for op, t in self.ops if op is not RedlineOp.INSERT)

    @property
    def new_text(self) -> str:
        return "".join(t for op, t in self.ops if op is not RedlineOp.DELETE)

    @property
    def changed(self) -> bool:
        return any(op is not RedlineOp.EQUAL for op, _ in self.ops)


class SubstantiveKind(StrEnum):
    NUMBER = "number"
    AMOUNT = "amount"
    DATE = "date"
    TIME = "time"
    DURATION = "duration"
    PERCENTAGE = "percentage"


class Substantive(FrozenModel):
    """A changed number, amount, date or duration inside a point (600,000 → 800,000)."""

    kind: SubstantiveKind = Field(description="What sort of quantity changed.")
    old: str | None = Field(description="The old expression, or null when it was added.")
    new: str | None = Field(description="The new expression, or null when it was dropped.")
    not_mentioned: bool = Field(
        default=False,
        description="The side without the figure is a described (non-verbatim) point that "
        "merely does not mention it: nothing says it was added or dropped.",
    )


class PointRef(FrozenModel):
    """A pointer to a point within its version."""

    key: str = Field(description="The point's key within its version.")
    number: int | None = Field(description="Its number as written (null when unnumbered).")
    index: int = Field(ge=1, description="1-based position in its version.")
    verbatim: bool = Field(description="True when the text is known, false when described.")
    text: str = Field(description="The verbatim text, or the described summary.")
    heading: tuple[str, ...] = Field(
        default=(),
        description="The headings the point stands under, outermost first ('Part A', "
        "'Chapter 2'); empty when the text has none.",
    )


class EvidenceRef(FrozenModel):
    """One quote behind a change, with enough of its source to cite it."""

    role: str = Field(description="'old', 'new' or 'relation': which side it supports.")
    point: str | None = Field(default=None, description="Key of the point it supports, if any.")
    source: str = Field(description="Source id.")
    title: str | None = Field(default=None, description="Source title.")
    outlet: str | None = Field(default=None, description="Source outlet.")
    published: dt.date | None = Field(default=None, description="Source publication date.")
    url: str | None = Field(default=None, description="Source address.")
    quote: str = Field(description="The exact quote.")
    start: int | None = Field(default=None, description="Start offset in code points.")
    end: int | None = Field(default=None, description="End offset in code points.")


class Change(FrozenModel):
    """One correspondence between old and new points, with how sure we are and why."""

    kind: ChangeKind = Field(description="What happened.")
    moved: bool = Field(
        default=False,
        description="The point's order relative to the other matched points changed "
        "(not merely renumbered).",
    )
    old: tuple[PointRef, ...] = Field(default=(), description="Old points involved.")
    new: tuple[PointRef, ...] = Field(default=(), description="New points involved.")
    similarity: float | None = Field(
        default=None, description="Alignment score in [0, 1]; null when not computed."
    )
    basis: Basis = Field(description="'curated' or 'automatic'.")
    redline: Redline | None = Field(
        default=None, description="Word-level diff for reworded, merged and split changes."
    )
    substantive: tuple[Substantive, ...] = Field(
        default=(), description="Changed numbers, amounts, dates and durations."
    )
    evidence: tuple[EvidenceRef, ...] = Field(default=(), description="Quotes behind the change.")
    note: str | None = Field(default=None, description="Curated note or explanation.")
    heading_moved: bool = Field(
        default=False,
        description="The point now stands under other headings (its old headings, as paired "
        "with the new version's, are not its new ones).",
    )
    subitems_changed: tuple[str, ...] = Field(
        default=(),
        description="Labels of the sub-items ('(b)', '4.3', 'ii)') whose wording changed, in "
        "text order; empty when the point has none or the change is outside them.",
    )

    @property
    def renumbered(self) -> bool:
        """Both sides present and the numbers as written differ."""
        if not self.old or not self.new:
            return False
        return [r.number for r in self.old][:1] != [r.number for r in self.new][:1]


class TextPart(StrEnum):
    """A stretch of a plan text outside its points."""

    PREAMBLE = "preamble"
    """The text before the first point (title, parties, recitals)."""
    HEADING = "heading"
    """A heading between points ('Part B. Economy', 'CHAPTER 3')."""
    CLOSING = "closing"
    """The text after the last point (signatures, 'Done at', notes)."""


class PartChange(FrozenModel):
    """How one stretch of text outside the points changed: the whole text is compared, so a
    changed preamble, heading or closing is a difference like a changed point."""

    part: TextPart = Field(description="Which stretch: preamble, heading or closing.")
    kind: ChangeKind = Field(
        description="unchanged, reworded, added or removed (only these four occur)."
    )
    old: str | None = Field(description="The old text (null when added).")
    new: str | None = Field(description="The new text (null when removed).")
    old_before: int | None = Field(
        default=None,
        description="For a heading: 1-based index of the old point it stands before.",
    )
    new_before: int | None = Field(
        default=None,
        description="For a heading: 1-based index of the new point it stands before.",
    )
    redline: Redline | None = Field(default=None, description="Word-level diff when reworded.")
    substantive: tuple[Substantive, ...] = Field(
        default=(), description="Changed numbers, amounts, dates, times and durations."
    )


class SegmentationSummary(FrozenModel):
    """How a plan text was cut into points (for a version segmented from a text file)."""

    description: str = Field(
        description="One line, e.g. 'cut at `N.` markers, column 2: 13 points, 0–12'."
    )
    style: str | None = Field(
        description="Marker style ('number-dot', 'article', 'bullet', 'pattern' …); null when "
        "no points were found."
    )
    column: int = Field(description="Indentation column of the markers.")
    count: int = Field(description="How many points.")
    first: str | None = Field(description="First point's number as written.")
    last: str | None = Field(description="Last point's number as written.")
    forced: bool = Field(description="True when --points chose the markers.")
    preamble_chars: int = Field(description="Characters before the first point.")
    closing_chars: int = Field(description="Characters after the last point.")
    headings: int = Field(description="Headings found between points.")
    warnings: tuple[str, ...] = Field(default=(), description="Segmentation warnings.")


class VersionSummary(FrozenModel):
    """The facts about a version that a report header needs."""

    id: str = Field(description="Version id (or the file path for ad-hoc diffs).")
    title: str = Field(description="Version title.")
    date: dt.date | None = Field(default=None, description="Version date.")
    issuer: tuple[str, ...] = Field(default=(), description="Issuer(s).")
    declared_points: int | None = Field(default=None, description="Declared point count.")
    known_points: int = Field(description="How many points are recorded.")
    completeness: Completeness = Field(description="'full' or 'partial'.")
    derived_from: str | None = Field(default=None, description="Parent version id.")
    evidence: tuple[EvidenceRef, ...] = Field(default=(), description="Quotes for its facts.")
    segmentation: SegmentationSummary | None = Field(
        default=None, description="How its text was cut into points (text files only)."
    )


class Settings(FrozenModel):
    """Thresholds and algorithm names used, reported so a result can be reproduced."""

    algorithm: str = Field(description="Alignment algorithm name.")
    match_threshold: float = Field(description="Minimum similarity to pair two points.")
    containment_threshold: float = Field(
        description="Minimum containment for a merge or split part."
    )
    redline: str = Field(description="Word diff algorithm.")


class DeclaredCount(FrozenModel):
    """Declared point counts and how many remain unaccounted for."""

    old: int | None = Field(description="Old version's declared count.")
    new: int | None = Field(description="New version's declared count.")
    old_unaccounted: int | None = Field(
        description="Declared old points not recorded in the registry (null when undeclared)."
    )
    new_unaccounted: int | None = Field(
        description="Declared new points not recorded in the registry (null when undeclared)."
    )


class DiffResult(FrozenModel):
    """Everything :func:`plandiff.diff` found between two versions."""

    old: VersionSummary = Field(description="The old version.")
    new: VersionSummary = Field(description="The new version.")
    settings: Settings = Field(description="How the result was computed.")
    declared: DeclaredCount = Field(description="Declared counts.")
    changes: tuple[Change, ...] = Field(description="Changes in report order.")
    parts: tuple[PartChange, ...] = Field(
        default=(),
        description="The text outside the points (preamble, headings, closing), in text order.",
    )
    warnings: tuple[str, ...] = Field(default=(), description="Segmentation and data warnings.")

    def summary(self) -> dict[str, int]:
        """Counts per kind (every kind present, zero included) and of moved changes."""
        counts = {kind.value: 0 for kind in ChangeKind}
        for change in self.changes:
            counts[change.kind.value] += 1
        counts["moved"] = sum(1 for c in self.changes if c.moved)
        return counts

    @property
    def has_differences(self) -> bool:
        """Whether anything differs: a point, its place among the headings, or the text
        outside the points."""
        return any(
            c.kind is not ChangeKind.UNCHANGED or c.moved or c.heading_moved for c in self.changes
        ) or any(p.kind is not ChangeKind.UNCHANGED for p in self.parts)
