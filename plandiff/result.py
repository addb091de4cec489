"""What :func:`plandiff.diff` returns: a closed vocabulary of changes with their evidence.

Renderers consume these objects and never reach back into the engine, so every fact a report
shows is on the result. Each renderer handles every :class:`ChangeKind` member.

The result is made of plain immutable records (msgspec Structs): a 30,000-point diff builds
hundreds of thousands of them, and nothing here needs validating: the engine builds them from
data the registry's models already checked. Each field carries its description, so the JSON
Schema of the diff document (:mod:`plandiff.render.json`) is generated from these very
definitions. A copy with one field changed is ``msgspec.structs.replace(record, field=value)``.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from enum import StrEnum
from operator import attrgetter
from typing import Annotated

import msgspec
from msgspec import Meta

from plandiff.records import Completeness, SourceAttribution, Stance

#: The summary's count of changes whose sources disagree (:attr:`Change.sources_disagree`).
SOURCES_DISAGREE = "sources_disagree"

#: The signs of paths that count points rather than name them (``¶ 8``, ``• 3``).
_ORDINALS = ("¶", "•")


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
    """A verbatim new point with no counterpart in a fully known old version."""
    REMOVED = "removed"
    """A verbatim old point absent from a fully known new version, or dropped per curated
    evidence."""
    UNREPORTED = "unreported"
    """No counterpart, but the other version is only partly known, or the point is only
    described (it may be there in other words): nothing can be concluded."""
    REPLACED = "replaced"
    """One old point and one new point in the same place, with too little wording in common
    to call it a rewording: the old text gave way to the new one (paired by position only)."""
    DEFERRED = "deferred"
    """Old points whose matter the new version leaves undecided, to be settled later, per
    curated evidence (see the change's decided_by and decide_at): neither kept nor dropped."""


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


class Record(msgspec.Struct, frozen=True, kw_only=True, gc=False, forbid_unknown_fields=True):
    """Base of the result's records: immutable, keyword-built, untracked by the cycle collector.

    They hold only strings, numbers, dates, enum members and tuples of other records, so they
    can never form a cycle; leaving them out of the collector's walks keeps a large diff from
    spending its time there. Unknown fields are refused when one is read back from JSON (and
    the schema says so). Each subclass restates these options: type checkers read them per
    class.
    """


#: The parts of a redline: consecutive (operation, text) pairs.
RedlineOps = tuple[tuple[RedlineOp, str], ...]


class Redline(Record, frozen=True, kw_only=True, gc=False):
    """A word-level diff. Equal+delete parts rebuild the old text; equal+insert the new."""

    ops: Annotated[RedlineOps, Meta(description="Consecutive (operation, text) parts.")] = ()

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


class Substantive(Record, frozen=True, kw_only=True, gc=False):
    """A changed number, amount, date or duration inside a point (600,000 → 800,000)."""

    kind: Annotated[SubstantiveKind, Meta(description="What sort of quantity changed.")]
    old: Annotated[str | None, Meta(description="The old expression, or null when it was added.")]
    new: Annotated[str | None, Meta(description="The new expression, or null when it was dropped.")]
    not_mentioned: Annotated[
        bool,
        Meta(
            description="The side without the figure is a described (non-verbatim) point that "
            "merely does not mention it: nothing says it was added or dropped."
        ),
    ] = False


class BracketChangeKind(StrEnum):
    """What became of bracketed (unagreed) language of a negotiating text."""

    AGREED = "agreed"
    """Brackets removed, the words kept: now agreed."""
    UNAGREED = "unagreed"
    """Brackets added around words that stood plain: no longer agreed."""
    CHOSEN = "chosen"
    """Of bracketed alternatives, one stands plain and the others are gone."""


class BracketChange(Record, frozen=True, kw_only=True, gc=False):
    """A change in a point's unagreed language, square brackets in a negotiating draft."""

    kind: Annotated[BracketChangeKind, Meta(description="agreed, unagreed or chosen.")]
    text: Annotated[
        str,
        Meta(
            description="The words concerned: now agreed, newly bracketed, or the alternative "
            "chosen."
        ),
    ]
    others: Annotated[
        tuple[str, ...],
        Meta(
            description="For 'chosen': the alternatives not chosen; for 'unagreed': the "
            "alternatives now offered beside the words; else empty."
        ),
    ] = ()


class PointRef(Record, frozen=True, kw_only=True, gc=False):
    """A pointer to a point within its version."""

    key: Annotated[str, Meta(description="The point's key within its version.")]
    number: Annotated[int | None, Meta(description="Its number as written (null when unnumbered).")]
    index: Annotated[int, Meta(ge=1, description="1-based position in its version.")]
    verbatim: Annotated[
        bool, Meta(description="True when the text is known, false when described.")
    ]
    text: Annotated[str, Meta(description="The verbatim text, or the described summary.")]
    heading: Annotated[
        tuple[str, ...],
        Meta(
            description="The headings the point stands under, outermost first ('Part A', "
            "'Chapter 2'); empty when the text has none."
        ),
    ] = ()
    path: Annotated[
        str | None,
        Meta(
            description="Where the point stands, as a reader names it: its number as written, "
            "after the division that restarts the numbering ('12', '2 bis', 'Schedule 1 › 3', "
            "'¶ 8' for an unnumbered paragraph); null for an unnumbered described point."
        ),
    ] = None
    unagreed: Annotated[
        tuple[str, ...],
        Meta(
            description="The bracketed (unagreed) language of a verbatim text, each span's "
            "words as written, in order; empty for a described point."
        ),
    ] = ()
    bracketed: Annotated[
        bool,
        Meta(
            description="The point holds unagreed language: bracketed spans in its text, or a "
            "described point recorded with status 'bracketed'."
        ),
    ] = False


class EvidenceRef(Record, frozen=True, kw_only=True, gc=False):
    """One quote behind a change, with enough of its source to cite it."""

    role: Annotated[str, Meta(description="'old', 'new' or 'relation': which side it supports.")]
    point: Annotated[str | None, Meta(description="Key of the point it supports, if any.")] = None
    source: Annotated[str, Meta(description="Source id.")]
    title: Annotated[str | None, Meta(description="Source title.")] = None
    outlet: Annotated[str | None, Meta(description="Source outlet.")] = None
    published: Annotated[dt.date | None, Meta(description="Source publication date.")] = None
    url: Annotated[str | None, Meta(description="Source address.")] = None
    opening: Annotated[
        str | None,
        Meta(
            description="The first words of the source's text when it has no title: what "
            "names it in a report (null when it has a title)."
        ),
    ] = None
    quote: Annotated[str, Meta(description="The exact quote.")]
    start: Annotated[int | None, Meta(description="Start offset in code points.")] = None
    end: Annotated[int | None, Meta(description="End offset in code points.")] = None
    stance: Annotated[
        Stance,
        Meta(
            description="What the quote says of what it backs: 'support', 'contradict' (it "
            "says otherwise) or 'qualify' (only in part, or with a condition)."
        ),
    ] = Stance.SUPPORT
    attribution: Annotated[
        SourceAttribution | None,
        Meta(
            description="Who speaks in the source ('on-record', 'anonymous', 'document', "
            "'relayed', 'aggregator'); null when not recorded."
        ),
    ] = None
    reliability: Annotated[
        str | None, Meta(description="The recorder's note on the source's reliability.")
    ] = None
    capture: Annotated[
        int | None,
        Meta(
            description="The earlier capture of the source the quote is anchored in (counted "
            "from 1, oldest first); null for the source's current text."
        ),
    ] = None
    retrieved: Annotated[
        dt.date | None,
        Meta(description="When that earlier capture was retrieved, if recorded."),
    ] = None

    @property
    def dissents(self) -> bool:
        """Whether the quote contradicts or qualifies what it backs."""
        return self.stance is not Stance.SUPPORT


class NestedChange(Record, frozen=True, kw_only=True, gc=False):
    """A correspondence below the top level: sub-items (``7.1``, ``(b)``, ``(ii)``) and
    paragraphs inside points, named by their paths in each version.

    Listed for every top-level correspondence whose texts differ, unchanged items included, so
    that every link between the two versions' structures is on the result; an item that left
    one point for another (or for a schedule) is listed once, under the change that holds its
    new place.
    """

    kind: Annotated[
        ChangeKind,
        Meta(
            description="unchanged, reworded, merged, split, added, removed or replaced (never "
            "unreported: a sub-item's point is known on both sides or on neither)."
        ),
    ]
    old: Annotated[
        tuple[str, ...],
        Meta(description="Old paths ('7.1(b)', 'Schedule 1 › 3'); empty when added."),
    ] = ()
    new: Annotated[tuple[str, ...], Meta(description="New paths; empty when removed.")] = ()
    level: Annotated[
        int, Meta(ge=1, description="Depth below the top-level point: 1 for its own sub-items.")
    ]
    moved: Annotated[
        bool,
        Meta(
            description="Its order among the items of its level changed, or it now stands under "
            "another parent (not merely renumbered)."
        ),
    ] = False
    renumbered: Annotated[
        bool,
        Meta(description="Its own label changed ('(c)' → '(d)'), not only its parent's number."),
    ] = False
    similarity: Annotated[
        float | None, Meta(description="Alignment score in [0, 1]; null when not computed.")
    ] = None
    redline: Annotated[
        Redline | None, Meta(description="Word-level diff of the item's text when it changed.")
    ] = None
    substantive: Annotated[
        tuple[Substantive, ...],
        Meta(description="Changed numbers, amounts, dates and durations inside the item."),
    ] = ()


class Change(Record, frozen=True, kw_only=True, gc=False):
    """One correspondence between old and new points, with how sure we are and why."""

    kind: Annotated[ChangeKind, Meta(description="What happened.")]
    moved: Annotated[
        bool,
        Meta(
            description="The point's order relative to the other matched points changed "
            "(not merely renumbered)."
        ),
    ] = False
    old: Annotated[tuple[PointRef, ...], Meta(description="Old points involved.")] = ()
    new: Annotated[tuple[PointRef, ...], Meta(description="New points involved.")] = ()
    similarity: Annotated[
        float | None, Meta(description="Alignment score in [0, 1]; null when not computed.")
    ] = None
    basis: Annotated[Basis, Meta(description="'curated' or 'automatic'.")]
    redline: Annotated[
        Redline | None,
        Meta(description="Word-level diff for reworded, merged and split changes."),
    ] = None
    substantive: Annotated[
        tuple[Substantive, ...],
        Meta(description="Changed numbers, amounts, dates and durations."),
    ] = ()
    evidence: Annotated[tuple[EvidenceRef, ...], Meta(description="Quotes behind the change.")] = ()
    note: Annotated[str | None, Meta(description="Curated note or explanation.")] = None
    heading_moved: Annotated[
        bool,
        Meta(
            description="The point now stands under other headings (its old headings, as "
            "paired with the new version's, are not its new ones)."
        ),
    ] = False
    subitems_changed: Annotated[
        tuple[str, ...],
        Meta(
            description="Labels of the sub-items ('(b)', '4.3', 'ii)') whose wording changed, "
            "in text order; empty when the point has none or the change is outside them."
        ),
    ] = ()
    nested: Annotated[
        tuple[NestedChange, ...],
        Meta(
            description="Correspondences of the sub-items and paragraphs inside these points, "
            "in the new version's order; empty when the texts are identical or have no "
            "structure below the point."
        ),
    ] = ()
    sources_disagree: Annotated[
        bool,
        Meta(
            description="Some quote behind the change contradicts or qualifies it: the "
            "evidence shows both sides (each quote's 'stance' says which)."
        ),
    ] = False
    decided_by: Annotated[
        str | None,
        Meta(
            description="For 'deferred': who is to decide the matter, as the curated relation "
            "records it ('the presidents'); null when not reported or for other kinds."
        ),
    ] = None
    decide_at: Annotated[
        str | None,
        Meta(
            description="For 'deferred': where or when it is to be decided ('a meeting of the "
            "two presidents'); null when not reported or for other kinds."
        ),
    ] = None
    brackets: Annotated[
        tuple[BracketChange, ...],
        Meta(
            description="Bracketed (unagreed) language of the old text now agreed, chosen among "
            "alternatives, or plain language now bracketed (verbatim texts only)."
        ),
    ] = ()

    @property
    def renumbered(self) -> bool:
        """Both sides present and the numbers as written differ: the last components of
        their paths where both have one (``1.01`` → ``1.02`` is renumbered, though both
        number 1; ``Schedule 1 › 3`` → ``Schedule 2 › 3`` is not), else their numbers."""
        if not self.old or not self.new:
            return False
        old, new = self.old[0].path, self.new[0].path
        if old is not None and new is not None:
            old, new = old.rpartition(" › ")[2], new.rpartition(" › ")[2]
            if old[:1] not in _ORDINALS and new[:1] not in _ORDINALS:
                return old != new
        # A paragraph's or bullet's ordinal ("¶ 8") is where it stands, not a number; a
        # point recorded without a number has none to compare.
        old_number, new_number = self.old[0].number, self.new[0].number
        return old_number is not None and new_number is not None and old_number != new_number


class TextPart(StrEnum):
    """A stretch of a plan text outside its points."""

    PREAMBLE = "preamble"
    """The text before the first point (title, parties, recitals)."""
    HEADING = "heading"
    """A heading between points ('Part B. Economy', 'CHAPTER 3')."""
    CLOSING = "closing"
    """The text after the last point (signatures, 'Done at', notes)."""


class PartChange(Record, frozen=True, kw_only=True, gc=False):
    """How one stretch of text outside the points changed: the whole text is compared, so a
    changed preamble, heading or closing is a difference like a changed point."""

    part: Annotated[TextPart, Meta(description="Which stretch: preamble, heading or closing.")]
    kind: Annotated[
        ChangeKind,
        Meta(description="unchanged, reworded, added or removed (only these four occur)."),
    ]
    old: Annotated[str | None, Meta(description="The old text (null when added).")]
    new: Annotated[str | None, Meta(description="The new text (null when removed).")]
    old_before: Annotated[
        int | None,
        Meta(description="For a heading: 1-based index of the old point it stands before."),
    ] = None
    new_before: Annotated[
        int | None,
        Meta(description="For a heading: 1-based index of the new point it stands before."),
    ] = None
    redline: Annotated[Redline | None, Meta(description="Word-level diff when reworded.")] = None
    substantive: Annotated[
        tuple[Substantive, ...],
        Meta(description="Changed numbers, amounts, dates, times and durations."),
    ] = ()


class SegmentationSummary(Record, frozen=True, kw_only=True, gc=False):
    """How a plan text was cut into points (for a version segmented from a text file)."""

    description: Annotated[
        str, Meta(description="One line, e.g. 'cut at `N.` markers, column 2: 13 points, 0–12'.")
    ]
    style: Annotated[
        str | None,
        Meta(
            description="Marker style ('number-dot', 'article', 'bullet', 'pattern' …); null "
            "when no points were found."
        ),
    ]
    column: Annotated[int, Meta(description="Indentation column of the markers.")]
    count: Annotated[int, Meta(description="How many points.")]
    first: Annotated[str | None, Meta(description="First point's number as written.")]
    last: Annotated[str | None, Meta(description="Last point's number as written.")]
    forced: Annotated[bool, Meta(description="True when --points chose the markers.")]
    preamble_chars: Annotated[int, Meta(description="Characters before the first point.")]
    closing_chars: Annotated[int, Meta(description="Characters after the last point.")]
    headings: Annotated[int, Meta(description="Headings found between points.")]
    warnings: Annotated[tuple[str, ...], Meta(description="Segmentation warnings.")] = ()


class VersionSummary(Record, frozen=True, kw_only=True, gc=False):
    """The facts about a version that a report header needs."""

    id: Annotated[str, Meta(description="Version id (or the file path for ad-hoc diffs).")]
    title: Annotated[str, Meta(description="Version title.")]
    date: Annotated[dt.date | None, Meta(description="Version date.")] = None
    issuer: Annotated[tuple[str, ...], Meta(description="Issuer(s).")] = ()
    declared_points: Annotated[int | None, Meta(description="Declared point count.")] = None
    known_points: Annotated[int, Meta(description="How many points are recorded.")]
    completeness: Annotated[Completeness, Meta(description="'full' or 'partial'.")]
    derived_from: Annotated[str | None, Meta(description="Parent version id.")] = None
    evidence: Annotated[tuple[EvidenceRef, ...], Meta(description="Quotes for its facts.")] = ()
    segmentation: Annotated[
        SegmentationSummary | None,
        Meta(description="How its text was cut into points (text files only)."),
    ] = None


class Settings(Record, frozen=True, kw_only=True, gc=False):
    """Thresholds and algorithm names used, reported so a result can be reproduced."""

    algorithm: Annotated[str, Meta(description="Alignment algorithm name.")]
    match_threshold: Annotated[float, Meta(description="Minimum similarity to pair two points.")]
    containment_threshold: Annotated[
        float, Meta(description="Minimum containment for a merge or split part.")
    ]
    redline: Annotated[str, Meta(description="Word diff algorithm.")]


class DeclaredCount(Record, frozen=True, kw_only=True, gc=False):
    """Declared point counts and how many remain unaccounted for."""

    old: Annotated[int | None, Meta(description="Old version's declared count.")]
    new: Annotated[int | None, Meta(description="New version's declared count.")]
    old_unaccounted: Annotated[
        int | None,
        Meta(
            description="Declared old points not recorded in the registry (null when undeclared)."
        ),
    ]
    new_unaccounted: Annotated[
        int | None,
        Meta(
            description="Declared new points not recorded in the registry (null when undeclared)."
        ),
    ]


class DiffResult(Record, frozen=True, kw_only=True, gc=False):
    """Everything :func:`plandiff.diff` found between two versions."""

    old: Annotated[VersionSummary, Meta(description="The old version.")]
    new: Annotated[VersionSummary, Meta(description="The new version.")]
    settings: Annotated[Settings, Meta(description="How the result was computed.")]
    declared: Annotated[DeclaredCount, Meta(description="Declared counts.")]
    changes: Annotated[tuple[Change, ...], Meta(description="Changes in report order.")]
    parts: Annotated[
        tuple[PartChange, ...],
        Meta(
            description="The text outside the points (preamble, headings, closing), in text order."
        ),
    ] = ()
    warnings: Annotated[tuple[str, ...], Meta(description="Segmentation and data warnings.")] = ()

    def summary(self) -> dict[str, int]:
        """Counts per kind (every kind present, zero included), of moved changes and of
        changes whose sources disagree."""
        of_kind = Counter(map(attrgetter("kind"), self.changes))  # C passes: a diff can be long
        counts = {kind.value: of_kind[kind] for kind in ChangeKind}
        counts["moved"] = sum(map(attrgetter("moved"), self.changes))
        counts[SOURCES_DISAGREE] = sum(map(attrgetter("sources_disagree"), self.changes))
        return counts

    @property
    def has_differences(self) -> bool:
        """Whether anything differs: a point, its place among the headings, or the text
        outside the points."""
        return any(
            c.kind is not ChangeKind.UNCHANGED or c.moved or c.heading_moved for c in self.changes
        ) or any(p.kind is not ChangeKind.UNCHANGED for p in self.parts)
