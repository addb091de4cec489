"""The registry's data model: sources, evidence anchors, points and plan versions.

Every model is frozen and forbids unknown fields, so a typo in a hand-edited registry file is an
error rather than silently ignored data, and a loaded registry cannot drift from what is on disk.
Changes go through ``model_copy(update=...)``, which returns a new object.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

from plandiff.records import Completeness as Completeness
from plandiff.records import PointStatus as PointStatus
from plandiff.records import RelationKind as RelationKind
from plandiff.records import SourceAttribution as SourceAttribution
from plandiff.records import Stance as Stance

#: Identifiers appear in file names, CLI arguments and XML ``xs:ID``-like keys, so they are
#: restricted to a portable character set and may not start with punctuation (no ``..``).
IDENT_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$"
#: TOML integers are 64-bit: a larger one makes a file other TOML readers must refuse.
TOML_INT_MAX = 2**63 - 1
Ident = Annotated[str, StringConstraints(pattern=IDENT_PATTERN)]

#: How many characters of context an anchor keeps on each side of its quote.
CONTEXT_CHARS = 32


class FrozenModel(BaseModel):
    """Base for every plandiff model: immutable, strict about unknown fields."""

    # defer_build: a model's validator and serializer are built when it is first used, not when
    # its module is imported. A command uses only some of the models, and building one costs
    # a few milliseconds; the first use pays for it once, and behaviour is unchanged.
    model_config = ConfigDict(frozen=True, extra="forbid", validate_default=True, defer_build=True)


class SourceCapture(FrozenModel):
    """An earlier capture of a source, kept when a recapture replaced its text.

    Kept byte-exact like the current text, so a quote taken from the article as it was first
    read still verifies after the outlet changed it (an anchor cites it by ``capture``).
    """

    retrieved: dt.date | None = Field(
        default=None, description="When this capture was retrieved (UTC), when known."
    )
    path: str = Field(
        description="Path of the capture's text file, relative to the registry directory."
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the text file's bytes, lowercase hex."
    )
    original: str | None = Field(
        default=None,
        description="Path of the original file (e.g. the HTML page) this capture's text was "
        "extracted from, relative to the registry directory.",
    )


class Source(FrozenModel):
    """A source article kept byte-exact beside the registry; quotes anchor into its text."""

    id: Ident = Field(description="Stable identifier; the seed articles use their file names.")
    title: str | None = Field(default=None, description="Headline as printed by the outlet.")
    outlet: str | None = Field(default=None, description="Publication or agency that ran it.")
    url: str | None = Field(default=None, description="Canonical address, when known.")
    published: dt.date | None = Field(default=None, description="Publication date, when known.")
    author: str | None = Field(default=None, description="Byline, when the text gives one.")
    language: str | None = Field(default=None, description="BCP 47 language tag, e.g. 'en'.")
    path: str = Field(
        description="Path of the text file, relative to the registry directory, '/'-separated."
    )
    sha256: str = Field(
        pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the text file's bytes, lowercase hex."
    )
    original: str | None = Field(
        default=None,
        description="Path of the original capture (e.g. the HTML page) the text was extracted "
        "from, relative to the registry directory.",
    )
    note: str | None = Field(
        default=None, description="The recorder's remarks (files are rewritten without comments)."
    )
    attribution: SourceAttribution | None = Field(
        default=None,
        description="Who speaks in the source: 'on-record' (a named person), 'anonymous' (an "
        "unnamed official), 'document' (a published or leaked text), 'relayed' (an outlet "
        "relaying another) or 'aggregator'; absent when not judged.",
    )
    reliability: str | None = Field(
        default=None, description="The recorder's note on how far the source can be trusted."
    )
    retrieved: dt.date | None = Field(
        default=None,
        description="When the current text (path) was retrieved (UTC), when known; "
        "'plandiff source add --recapture' records it.",
    )
    captures: tuple[SourceCapture, ...] = Field(
        default=(),
        description="Earlier captures, oldest first, each kept when a recapture replaced the "
        "text; an anchor's 'capture' N cites the N-th (from 1). 'path' and 'sha256' are always "
        "the current text.",
    )

    def capture(self, number: int | None) -> SourceCapture | None:
        """Earlier capture ``number`` (from 1), or None for the current text or out of range."""
        if number is None or not 1 <= number <= len(self.captures):
            return None
        return self.captures[number - 1]


class Anchor(FrozenModel):
    """One piece of evidence: an exact quote at an exact place in a source.

    It pairs the W3C Web Annotation TextQuoteSelector (quote, prefix, suffix) with a
    TextPositionSelector (start, end), so the quote can be found again after the source is
    re-captured with small edits, and a moved or altered quote is detected instead of trusted.
    """

    source: Ident = Field(description="Id of the source the quote is taken from.")
    quote: str = Field(min_length=1, description="The exact quoted text.")
    start: int | None = Field(
        default=None,
        ge=0,
        le=TOML_INT_MAX,
        description="Start offset in Unicode code points of the source text (inclusive). May be "
        "left out in a hand-written file; 'plandiff verify --fix' fills it.",
    )
    end: int | None = Field(
        default=None, ge=0, le=TOML_INT_MAX, description="End offset in code points (exclusive)."
    )
    prefix: str = Field(
        default="", description=f"Up to {CONTEXT_CHARS} characters just before the quote."
    )
    suffix: str = Field(
        default="", description=f"Up to {CONTEXT_CHARS} characters just after the quote."
    )
    stance: Stance = Field(
        default=Stance.SUPPORT,
        description="What the quote says of what it is attached to: 'support' (the default), "
        "'contradict' (it says otherwise) or 'qualify' (only in part, or with a condition).",
    )
    capture: int | None = Field(
        default=None,
        ge=1,
        le=TOML_INT_MAX,
        description="The earlier capture of the source the quote is taken from (its number in "
        "the source's 'captures', from 1); absent for the source's current text.",
    )

    @model_validator(mode="after")
    def _offsets_fit_quote(self) -> Anchor:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end must be given together")
        if self.start is not None and self.end is not None:
            if self.end < self.start:
                raise ValueError(f"end {self.end} is before start {self.start}")
            if self.end - self.start != len(self.quote):
                raise ValueError(
                    f"offsets {self.start}..{self.end} span {self.end - self.start} characters "
                    f"but the quote has {len(self.quote)}"
                )
        return self

    @property
    def located(self) -> bool:
        """Whether the anchor carries offsets (hand-written anchors may not yet)."""
        return self.start is not None


class Point(FrozenModel):
    """A point of a plan version, verbatim where the text is known, described otherwise."""

    key: Ident = Field(description="Key of the point, stable within its version.")
    number: int | None = Field(
        default=None,
        ge=0,
        le=TOML_INT_MAX,
        description="The point's number as written in its version.",
    )
    text: str | None = Field(default=None, description="Verbatim text, when known.")
    summary: str | None = Field(
        default=None, description="What reporting says the point contains, in the recorder's words."
    )
    topics: tuple[str, ...] = Field(default=(), description="Topic tags, e.g. 'territory'.")
    evidence: tuple[Anchor, ...] = Field(
        default=(), description="Quotes that support the point's existence and content."
    )
    status: PointStatus | None = Field(
        default=None,
        description="'bracketed' when the point is not yet agreed: for a described point, "
        "reporting says its language is still disputed; a verbatim text shows its own square "
        "brackets, which the diff finds without this field.",
    )

    @model_validator(mode="after")
    def _has_content(self) -> Point:
        if not (self.text or self.summary):
            raise ValueError("a point needs its text or a summary")
        return self

    @property
    def content(self) -> str:
        """The text to compare: verbatim when known, else the described summary."""
        return self.text if self.text else (self.summary or "")

    @property
    def verbatim(self) -> bool:
        return bool(self.text)


class Relation(FrozenModel):
    """A curated correspondence between points of a version and of the version it derives from.

    Relations live on the derived version because a ``dropped`` point has no new side and a
    merge has several old ones; a point-level field could not express either.
    """

    kind: RelationKind = Field(description="What happened to the old point(s).")
    old: tuple[Ident, ...] = Field(
        min_length=1, description="Keys of points in the version this one derives from."
    )
    new: tuple[Ident, ...] = Field(
        default=(),
        description="Keys of points in this version (empty for 'dropped' and 'deferred': a "
        "deferred point's matter is not settled by this version, so it has no new point).",
    )
    evidence: tuple[Anchor, ...] = Field(
        min_length=1, description="Quotes that support the relation."
    )
    note: str | None = Field(default=None, description="The recorder's explanation.")
    decided_by: str | None = Field(
        default=None,
        min_length=1,
        description="For 'deferred': who is to decide the matter, as reported (e.g. 'the "
        "presidents'); null when the sources do not say. Only on a 'deferred' relation.",
    )
    decide_at: str | None = Field(
        default=None,
        min_length=1,
        description="For 'deferred': where or when it is to be decided, as reported, in free "
        "text ('a meeting of the two presidents', 'by 1 March 2026'); null when the sources "
        "do not say. Only on a 'deferred' relation.",
    )

    @model_validator(mode="after")
    def _arity(self) -> Relation:
        n_old, n_new = len(self.old), len(self.new)
        expected = {
            RelationKind.REWORDED: n_old == 1 and n_new == 1,
            RelationKind.MERGED: n_old >= 2 and n_new == 1,
            RelationKind.SPLIT: n_old == 1 and n_new >= 2,
            RelationKind.DROPPED: n_old >= 1 and n_new == 0,
            RelationKind.DEFERRED: n_old >= 1 and n_new == 0,
        }[self.kind]
        if not expected:
            rule = {
                RelationKind.REWORDED: "one old and one new point",
                RelationKind.MERGED: "two or more old points and one new point",
                RelationKind.SPLIT: "one old point and two or more new points",
                RelationKind.DROPPED: "old points and no new point",
                RelationKind.DEFERRED: "old points and no new point",
            }[self.kind]
            raise ValueError(f"a '{self.kind}' relation takes {rule}, not {n_old} → {n_new}")
        if self.kind is not RelationKind.DEFERRED and (self.decided_by or self.decide_at):
            field = "decided_by" if self.decided_by else "decide_at"
            raise ValueError(f"{field} is only for a 'deferred' relation, not '{self.kind}'")
        return self


class Event(FrozenModel):
    """A dated event in a version's life (talks, publication, a meeting)."""

    date: dt.date = Field(description="When it happened (or began).")
    what: str = Field(min_length=1, description="What happened, in the recorder's words.")
    evidence: tuple[Anchor, ...] = Field(default=(), description="Quotes reporting the event.")


class Statement(FrozenModel):
    """Something reporting says about a version as a whole that is not one of its points."""

    text: str = Field(min_length=1, description="The statement, in the recorder's words.")
    evidence: tuple[Anchor, ...] = Field(default=(), description="Quotes that support it.")


class PlanVersion(FrozenModel):
    """One known version of a plan: its facts, its points and how it derives from another."""

    id: Ident = Field(description="Stable identifier, e.g. 'us-28'.")
    title: str = Field(min_length=1, description="A human-readable name for the version.")
    declared_points: int | None = Field(
        default=None,
        ge=0,
        le=TOML_INT_MAX,
        description="How many points the version is said to have.",
    )
    date: dt.date | None = Field(default=None, description="When the version appeared.")
    issuer: tuple[str, ...] = Field(default=(), description="Who issued or published it.")
    parties: tuple[str, ...] = Field(default=(), description="Parties it concerns.")
    derived_from: Ident | None = Field(
        default=None, description="Id of the version this one was produced from."
    )
    completeness: Completeness = Field(description="'full' text known, or 'partial'.")
    text_source: Ident | None = Field(
        default=None, description="Id of the source holding the full text, for 'full' versions."
    )
    evidence: tuple[Anchor, ...] = Field(
        default=(), description="Quotes for the version's own facts (title, count, date)."
    )
    statements: tuple[Statement, ...] = Field(
        default=(), description="What reporting says of the version as a whole."
    )
    events: tuple[Event, ...] = Field(default=(), description="Dated events, with evidence.")
    points: tuple[Point, ...] = Field(default=(), description="Known points, in version order.")
    relations: tuple[Relation, ...] = Field(
        default=(), description="Curated relations to points of 'derived_from'."
    )
    note: str | None = Field(
        default=None, description="The recorder's remarks (files are rewritten without comments)."
    )

    def point(self, key: str) -> Point | None:
        """The point with this key, if any."""
        for p in self.points:
            if p.key == key:
                return p
        return None

    @property
    def known_points(self) -> int:
        return len(self.points)


class Registry(FrozenModel):
    """Sources and versions, cross-checked on load (see :mod:`plandiff.store`)."""

    sources: tuple[Source, ...] = Field(default=(), description="Source articles, by id.")
    versions: tuple[PlanVersion, ...] = Field(default=(), description="Plan versions, by id.")
    texts: dict[str, str] = Field(
        default_factory=dict,
        exclude=True,
        repr=False,
        description="Decoded text of each source, by source id, and of each earlier capture, "
        "by '<id>@<n>' (text_key); not serialised.",
    )

    def source(self, source_id: str) -> Source | None:
        return next((s for s in self.sources if s.id == source_id), None)

    def version(self, version_id: str) -> PlanVersion | None:
        return next((v for v in self.versions if v.id == version_id), None)

    def text(self, source_id: str) -> str:
        return self.texts[source_id]

    def anchor_text(self, anchor: Anchor) -> str | None:
        """The text ``anchor`` quotes: its source's current text or the capture it names."""
        return self.texts.get(text_key(anchor.source, anchor.capture))

    @property
    def openings(self) -> tuple[tuple[str, str], ...]:
        """(source id, first words of its text) for each source without a title: what names
        it in a report (see :func:`plandiff.text.first_words`)."""
        from plandiff.text import first_words

        found = ((s.id, first_words(self.texts.get(s.id, ""))) for s in self.sources if not s.title)
        return tuple((sid, words) for sid, words in found if words)


def text_key(source_id: str, capture: int | None = None) -> str:
    """Key of a text in :attr:`Registry.texts`: the source id for its current text, and
    ``<id>@<n>`` for earlier capture n ('@' is in no id, so the keys never meet)."""
    return source_id if capture is None else f"{source_id}@{capture}"


def iter_anchors(version: PlanVersion) -> Iterator[tuple[str, Anchor]]:
    """Every anchor of a version with its field path, in file order."""
    for i, a in enumerate(version.evidence):
        yield f"evidence[{i}]", a
    for i, s in enumerate(version.statements):
        for j, a in enumerate(s.evidence):
            yield f"statements[{i}].evidence[{j}]", a
    for i, e in enumerate(version.events):
        for j, a in enumerate(e.evidence):
            yield f"events[{i}].evidence[{j}]", a
    for i, p in enumerate(version.points):
        for j, a in enumerate(p.evidence):
            yield f"points[{i}].evidence[{j}]", a
    for i, r in enumerate(version.relations):
        for j, a in enumerate(r.evidence):
            yield f"relations[{i}].evidence[{j}]", a


def map_anchors(version: PlanVersion, fn: Callable[[str, Anchor], Anchor]) -> PlanVersion:
    """A copy of ``version`` with every anchor replaced by ``fn(field_path, anchor)``."""

    def each(prefix: str, items: tuple[Anchor, ...]) -> tuple[Anchor, ...]:
        return tuple(fn(f"{prefix}[{i}]", a) for i, a in enumerate(items))

    return version.model_copy(
        update={
            "evidence": each("evidence", version.evidence),
            "statements": tuple(
                s.model_copy(update={"evidence": each(f"statements[{i}].evidence", s.evidence)})
                for i, s in enumerate(version.statements)
            ),
            "events": tuple(
                e.model_copy(update={"evidence": each(f"events[{i}].evidence", e.evidence)})
                for i, e in enumerate(version.events)
            ),
            "points": tuple(
                p.model_copy(update={"evidence": each(f"points[{i}].evidence", p.evidence)})
                for i, p in enumerate(version.points)
            ),
            "relations": tuple(
                r.model_copy(update={"evidence": each(f"relations[{i}].evidence", r.evidence)})
                for i, r in enumerate(version.relations)
            ),
        }
    )


# --------------------------------------------------------------------------- serialisation
