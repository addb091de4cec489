"""Plain, immutable records of the registry's data, as the diff pipeline reads it.

The registry's files are checked by the pydantic models of :mod:`plandiff.models`; what passed
that check is handed to the pipeline as these records, which cost a tenth of a model to build
and need no schema machinery at start-up. They carry the same fields under the same names, so
code that only reads (the engine, the renderers) takes either. ``tests/test_records.py`` keeps
the two definitions from drifting apart.

The vocabularies shared by both sides (:class:`Completeness`, :class:`RelationKind`,
:class:`Stance`, :class:`SourceAttribution`) live here, where importing them costs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

import msgspec


class Completeness(StrEnum):
    """How much of a version's text is known."""

    FULL = "full"
    """The full text is known and every point is recorded verbatim."""
    PARTIAL = "partial"
    """Only some points are known, mostly as described in reporting."""


class RelationKind(StrEnum):
    """Curated, evidence-backed relations between points of a version and its parent."""

    REWORDED = "reworded"
    """One old point became one new point with changed wording or substance."""
    MERGED = "merged"
    """Several old points were folded into one new point."""
    SPLIT = "split"
    """One old point became several new points."""
    DROPPED = "dropped"
    """An old point was removed; only an old side."""
    DEFERRED = "deferred"
    """The matter of an old point was left undecided, to be settled later (by whom and where,
    when reported); only an old side: the new version does not settle it."""


class PointStatus(StrEnum):
    """What reporting says of a point's standing in the negotiation, beyond its words."""

    BRACKETED = "bracketed"
    """Not yet agreed: the point's language is in square brackets in the draft, or reporting
    says it is still disputed (for a described point, whose brackets nobody can see)."""


class Stance(StrEnum):
    """What a quote says of the point or relation it is attached to.

    Readers weigh evidence against evidence: a quote that denies a reported change is as much
    evidence about it as one that confirms it, and dropping it would claim more certainty than
    the sources give.
    """

    SUPPORT = "support"
    """The quote says what the point or relation records (the default)."""
    CONTRADICT = "contradict"
    """The quote says otherwise: the change did not happen, or happened another way."""
    QUALIFY = "qualify"
    """The quote confirms it only in part, or adds a condition or doubt."""


class SourceAttribution(StrEnum):
    """Who speaks in a source, as far as the source says: readers weigh them differently."""

    ON_RECORD = "on-record"
    """A named person speaking on the record."""
    ANONYMOUS = "anonymous"
    """An unnamed official or person familiar with the matter."""
    DOCUMENT = "document"
    """A document itself: a published or leaked text."""
    RELAYED = "relayed"
    """An outlet relaying what another outlet reported."""
    AGGREGATOR = "aggregator"
    """An aggregator or compiler of unknown or mixed provenance."""


class _Record(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """Base of every record: immutable, keyword-built, and untracked by the cycle collector.

    Records only ever hold strings, numbers, dates and tuples of other records, so they can
    never form a cycle; leaving them out of the collector's walks keeps a diff of tens of
    thousands of points from spending its time there.
    """


class AnchorRecord(_Record, frozen=True):
    """An exact quote at an exact place in a source (see :class:`plandiff.models.Anchor`)."""

    source: str
    quote: str
    start: int | None = None
    end: int | None = None
    prefix: str = ""
    suffix: str = ""
    stance: Stance = Stance.SUPPORT
    capture: int | None = None

    @property
    def located(self) -> bool:
        return self.start is not None


class SourceCaptureRecord(_Record, frozen=True):
    """An earlier capture of a source (see :class:`plandiff.models.SourceCapture`)."""

    path: str
    sha256: str
    retrieved: dt.date | None = None
    original: str | None = None


class SourceRecord(_Record, frozen=True):
    """A source article's facts (see :class:`plandiff.models.Source`)."""

    id: str
    path: str
    sha256: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None
    original: str | None = None
    note: str | None = None
    attribution: SourceAttribution | None = None
    reliability: str | None = None
    retrieved: dt.date | None = None
    captures: tuple[SourceCaptureRecord, ...] = ()


class PointRecord(_Record, frozen=True):
    """A point of a version (see :class:`plandiff.models.Point`)."""

    key: str
    number: int | None = None
    text: str | None = None
    summary: str | None = None
    topics: tuple[str, ...] = ()
    evidence: tuple[AnchorRecord, ...] = ()
    status: PointStatus | None = None

    @property
    def content(self) -> str:
        """The text to compare: verbatim when known, else the described summary."""
        return self.text or self.summary or ""

    @property
    def verbatim(self) -> bool:
        return bool(self.text)


def contents(points: Sequence[PointRecord]) -> list[str]:
    """Each point's :attr:`~PointRecord.content`, for a whole version at once: a property call
    per point is half the time of reading the texts of 30,000."""
    return [p.text or p.summary or "" for p in points]


class RelationRecord(_Record, frozen=True):
    """A curated relation (see :class:`plandiff.models.Relation`)."""

    kind: RelationKind
    old: tuple[str, ...]
    evidence: tuple[AnchorRecord, ...]
    new: tuple[str, ...] = ()
    note: str | None = None
    decided_by: str | None = None
    decide_at: str | None = None


class EventRecord(_Record, frozen=True):
    """A dated event (see :class:`plandiff.models.Event`)."""

    date: dt.date
    what: str
    evidence: tuple[AnchorRecord, ...] = ()


class StatementRecord(_Record, frozen=True):
    """A statement about a whole version (see :class:`plandiff.models.Statement`)."""

    text: str
    evidence: tuple[AnchorRecord, ...] = ()


class VersionRecord(_Record, frozen=True):
    """A plan version (see :class:`plandiff.models.PlanVersion`)."""

    id: str
    title: str
    completeness: Completeness
    declared_points: int | None = None
    date: dt.date | None = None
    issuer: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()
    derived_from: str | None = None
    text_source: str | None = None
    evidence: tuple[AnchorRecord, ...] = ()
    statements: tuple[StatementRecord, ...] = ()
    events: tuple[EventRecord, ...] = ()
    points: tuple[PointRecord, ...] = ()
    relations: tuple[RelationRecord, ...] = ()
    note: str | None = None

    def point(self, key: str) -> PointRecord | None:
        """The point with this key, if any."""
        for p in self.points:
            if p.key == key:
                return p
        return None

    @property
    def known_points(self) -> int:
        return len(self.points)


class RegistryRecord(_Record, frozen=True):
    """Sources and versions of a registry that passed validation (without the source texts,
    but with the first words of each untitled one)."""

    sources: tuple[SourceRecord, ...] = ()
    versions: tuple[VersionRecord, ...] = ()
    openings: tuple[tuple[str, str], ...] = ()
    """(source id, first words) of each untitled source (:attr:`plandiff.models.Registry.openings`):
    the little of the texts a report needs to name a source."""

    def source(self, source_id: str) -> SourceRecord | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def version(self, version_id: str) -> VersionRecord | None:
        return next((v for v in self.versions if v.id == version_id), None)


_RecordT = TypeVar("_RecordT", bound=_Record)


def record_of(model: Any, kind: type[_RecordT]) -> _RecordT:
    """The record of a validated model (or of any object with the record's attributes)."""
    return msgspec.convert(model, kind, from_attributes=True)
