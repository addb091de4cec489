"""The evidence a diff cites: each quote with enough of its source to name it.

A change carries the quotes behind its points (and behind a curated relation); a version's
summary carries the quotes behind its own facts. Each quote is cited with its source's title,
outlet, date and address, looked up once per source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple, Protocol

from msgspec.structs import replace

from plandiff import outside
from plandiff.brackets import bracketed_spans
from plandiff.records import (
    AnchorRecord,
    PointStatus,
    SourceAttribution,
    Stance,
    VersionRecord,
)
from plandiff.result import EvidenceRef, PointRef, SegmentationSummary, VersionSummary

if TYPE_CHECKING:
    from plandiff.models import Registry
    from plandiff.records import RegistryRecord


class Cited(Protocol):
    """What a citation needs of a source: a Source model, its record, or a :class:`Citation`."""

    @property
    def title(self) -> str | None: ...
    @property
    def outlet(self) -> str | None: ...
    @property
    def published(self) -> dt.date | None: ...
    @property
    def url(self) -> str | None: ...


class Citation(NamedTuple):
    """How a quote's source is named in a report: by its title, else by its first words."""

    title: str | None
    outlet: str | None
    published: dt.date | None
    url: str | None
    opening: str | None = None
    attribution: SourceAttribution | None = None
    reliability: str | None = None
    retrieved: tuple[dt.date | None, ...] = ()
    """When each earlier capture was retrieved, oldest first (a quote may cite one)."""


_UNKNOWN = Citation(None, None, None, None)


def citations(
    registry: Registry | RegistryRecord | None, sources: Mapping[str, Cited] | None
) -> dict[str, Citation]:
    """Each source id's citation: ``sources`` first, a registry's sources over them."""
    out = {
        sid: Citation(s.title, s.outlet, s.published, s.url) for sid, s in (sources or {}).items()
    }
    if registry is not None:
        openings = dict(registry.openings)
        out.update(
            {
                s.id: Citation(
                    s.title,
                    s.outlet,
                    s.published,
                    s.url,
                    openings.get(s.id),
                    s.attribution,
                    s.reliability,
                    tuple(c.retrieved for c in s.captures),
                )
                for s in registry.sources
            }
        )
    return out


def evidence_refs(
    anchors: Iterable[AnchorRecord], role: str, point: str | None, cited: Mapping[str, Citation]
) -> tuple[EvidenceRef, ...]:
    """Each anchor as a quote cited from its source, supporting ``role`` (and ``point``)."""
    return Citer(role, cited).refs(anchors, point)


class Citer:
    """Cites quotes in one role: each source's citation is looked up, and a blank reference
    holding it made, once; each quote's reference is that blank with the quote filled in.

    Why a blank: an :class:`EvidenceRef` has sixteen fields, and a call passing all of them
    by keyword costs CPython several times what a copy with seven changed does (a diff of
    30,000 points cites 60,000 quotes).
    """

    __slots__ = ("_blanks", "cited", "role")

    def __init__(self, role: str, cited: Mapping[str, Citation]) -> None:
        self.role, self.cited = role, cited
        self._blanks: dict[str, tuple[EvidenceRef, Citation]] = {}

    def refs(self, anchors: Iterable[AnchorRecord], point: str | None) -> tuple[EvidenceRef, ...]:
        return tuple([self.ref(a, point) for a in anchors])

    def ref(self, a: AnchorRecord, point: str | None) -> EvidenceRef:
        blank, c = self._blanks.get(a.source) or self._blank(a.source)
        if a.capture is None:  # most quotes: the blank's capture and date (None) stand
            return replace(
                blank, point=point, quote=a.quote, start=a.start, end=a.end, stance=a.stance
            )
        return replace(
            blank,
            point=point,
            quote=a.quote,
            start=a.start,
            end=a.end,
            stance=a.stance,
            capture=a.capture,
            retrieved=_retrieved(c, a.capture),
        )

    def _blank(self, source: str) -> tuple[EvidenceRef, Citation]:
        c = self.cited.get(source, _UNKNOWN)
        blank = EvidenceRef(
            role=self.role,
            source=source,
            title=c.title,
            outlet=c.outlet,
            published=c.published,
            url=c.url,
            opening=c.opening,
            quote="",
            attribution=c.attribution,
            reliability=c.reliability,
        )
        self._blanks[source] = (blank, c)
        return blank, c


def _retrieved(c: Citation, capture: int | None) -> dt.date | None:
    if capture is None or not 1 <= capture <= len(c.retrieved):
        return None
    return c.retrieved[capture - 1]


def point_path(outline: outside.Outline, index: int, number: int | None) -> str | None:
    """The point's path as a reader names it: its number as written where the segmenter
    recorded one, else its number; inside a division with numbering of its own, the
    division first ("Schedule 1 › 3"). A point without a number is counted: "¶ 8" for the
    8th paragraph of an unnumbered text, "• 3" for the 3rd bullet; None where the outline
    does not say how (a registry version's unnumbered point)."""
    written: str | None = None
    if index < len(outline.numbers):
        written = outline.numbers[index]
    if written is None and number is not None:
        written = str(number)
    if written is None:
        return f"{outline.ordinal_sign} {index + 1}" if outline.ordinal_sign else None
    if index < len(outline.divisions) and (division := outline.divisions[index]) is not None:
        return f"{division} › {written}"
    return written


def point_paths(outline: outside.Outline, numbers: Sequence[int | None]) -> Sequence[str | None]:
    """Each point's :func:`point_path`, given the points' numbers: for a text whose every point
    has its number as written and no division, those numbers as they are (no step per point).
    """
    written = outline.numbers
    if not outline.divisions and len(written) == len(numbers) and None not in written:
        return written
    return [point_path(outline, i, number) for i, number in enumerate(numbers)]


class Side:
    """One version's point references and point evidence, built once per point.

    Every point appears in exactly one change, so building them all up front costs what
    building them change by change would. Most changes have one point a side, so each point's
    reference is kept as the 1-tuple a change holds, and its evidence as a tuple: a change of
    single points takes both as they are (at 30,000 points, this loop and the changes' lookups
    are a hot path of the diff).
    """

    __slots__ = ("described", "dissenting", "of")

    def __init__(
        self,
        version: VersionRecord,
        role: str,
        cited: Mapping[str, Citation],
        outline: outside.Outline = outside.EMPTY,
    ) -> None:
        #: Per point, its reference (as a 1-tuple) and the quotes behind it.
        self.of: list[tuple[tuple[PointRef], tuple[EvidenceRef, ...]]] = []
        #: The points some of whose quotes contradict or qualify them: usually none.
        self.dissenting: set[int] = set()
        #: The points known only from a description, not word for word: none in a plan text.
        self.described: set[int] = set()
        citer = Citer(role, cited)
        headed = bool(outline.path_texts or outline.paths)
        points = version.points
        paths = point_paths(outline, [p.number for p in points])
        # An enum member read from its class costs what a dozen local reads do: once, here.
        bracketed_status, support = PointStatus.BRACKETED, Stance.SUPPORT
        of, ref_of = self.of.append, citer.ref
        for i, p in enumerate(points):
            text = p.text
            if not text:
                self.described.add(i)
            unagreed = unagreed_spans(text) if text and "[" in text else ()
            point_ref = PointRef(
                key=p.key,
                number=p.number,
                index=i + 1,
                verbatim=bool(text),
                text=text or p.summary or "",  # PointRecord.content, inlined
                heading=outline.heading_texts(i) if headed else (),
                path=paths[i],
                unagreed=unagreed,
                bracketed=bool(unagreed) or p.status is bracketed_status,
            )
            anchors = p.evidence
            if len(anchors) == 1:  # most points: no list to build, one stance to read
                anchor = anchors[0]
                of(((point_ref,), (ref_of(anchor, p.key),)))
                if anchor.stance is not support:
                    self.dissenting.add(i)
                continue
            evidence = citer.refs(anchors, p.key)
            of(((point_ref,), evidence))
            for r in evidence:  # a loop, not any(): a generator per point costs more
                if r.stance is not support:
                    self.dissenting.add(i)
                    break

    def points(
        self, indices: tuple[int, ...]
    ) -> tuple[tuple[PointRef, ...], tuple[EvidenceRef, ...]]:
        """The references of these points, and the quotes behind them, in order."""
        if len(indices) == 1:
            return self.of[indices[0]]
        refs: tuple[PointRef, ...] = ()
        evidence: tuple[EvidenceRef, ...] = ()
        for i in indices:
            (ref,), quotes = self.of[i]
            refs += (ref,)
            evidence += quotes
        return refs, evidence

    def dissents(self, indices: tuple[int, ...]) -> bool:
        """Whether a quote behind one of these points contradicts or qualifies it."""
        return bool(self.dissenting) and not self.dissenting.isdisjoint(indices)


def unagreed_spans(text: str) -> tuple[str, ...]:
    """The words of each bracketed (unagreed) span of a verbatim text, in order."""
    return tuple(s.inner for s in bracketed_spans(text))


def summarise(
    version: VersionRecord,
    cited: Mapping[str, Citation],
    segmentations: Mapping[str, SegmentationSummary] | None = None,
) -> VersionSummary:
    """The header facts of a version, with the evidence for them."""
    return VersionSummary(
        segmentation=(segmentations or {}).get(version.id),
        id=version.id,
        title=version.title,
        date=version.date,
        issuer=version.issuer,
        declared_points=version.declared_points,
        known_points=version.known_points,
        completeness=version.completeness,
        derived_from=version.derived_from,
        evidence=evidence_refs(version.evidence, "version", None, cited),
    )
