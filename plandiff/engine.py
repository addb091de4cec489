"""``diff(old, new)``: curated relations first, automatic alignment for the rest, evidence rules.

The engine decides what may be claimed. A curated relation recorded with evidence always wins
over what the alignment algorithm would say; the algorithm only fills in the points the curators
left open, and says so (``basis="automatic"`` with its score). The pipeline reads plain records
(:mod:`plandiff.records`); the models a user builds are turned into records at the door.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from plandiff import align as aligner
from plandiff import nested, outside, pairing, worddiff
from plandiff.changes import (
    Builder,
    Entry,
    Pair,
    entries,
    in_report_order,
    joined,
    moved_pairs,
    needs_redline,
)
from plandiff.curated import Curated, curated
from plandiff.evidence import Cited, citations, summarise
from plandiff.positions import unplaced_guesses_apart
from plandiff.records import VersionRecord, contents, record_of
from plandiff.result import DeclaredCount, DiffResult, SegmentationSummary, Settings

if TYPE_CHECKING:
    from plandiff.models import PlanVersion, Registry
    from plandiff.records import RegistryRecord

REDLINE_ALGORITHM = "word-token LCS (rapidfuzz Indel), semantic cleanup"


def diff(
    old: PlanVersion | VersionRecord,
    new: PlanVersion | VersionRecord,
    *,
    registry: Registry | RegistryRecord | None = None,
    sources: Mapping[str, Cited] | None = None,
    settings: aligner.AlignSettings | None = None,
    warnings: Sequence[str] = (),
    segmentations: Mapping[str, SegmentationSummary] | None = None,
    outlines: tuple[outside.Outline, outside.Outline] | None = None,
) -> DiffResult:
    """Compare two plan versions and return every change with its evidence.

    ``registry`` (or ``sources``, source id → Source) supplies source metadata for citations;
    without either, the evidence names only source ids. ``segmentations`` says, by version id,
    how a version segmented from a text was cut; it is shown in the version's summary.
    ``outlines`` (of two plan texts) add what stands outside the points, preamble, headings and
    closing, to the comparison. Same inputs give the same output on any machine.
    """
    old_v, new_v = as_record(old), as_record(new)
    both = outlines or (outside.EMPTY, outside.EMPTY)
    align_settings = settings or aligner.DEFAULT_SETTINGS
    cited = citations(registry, sources)

    relations = curated(old_v, new_v)
    automatic = aligned(old_v, new_v, relations, both, align_settings)
    found = entries(old_v, new_v, relations, automatic)
    marked = redlines(old_v, new_v, found)
    inside = nested.nested_changes(old_v, new_v, found, both, align_settings)
    groups, moved = moved_pairs(relations, automatic, old_v, new_v)
    parts, heading_pairs = outside.compare(*both)
    builder = Builder(old_v, new_v, cited, both, heading_pairs, marked, moved, inside)
    built = builder.build_all(found)

    return DiffResult(
        old=summarise(old_v, cited, segmentations),
        new=summarise(new_v, cited, segmentations),
        settings=Settings(
            algorithm=align_settings.algorithm,
            match_threshold=align_settings.match_threshold,
            containment_threshold=align_settings.containment_threshold,
            redline=REDLINE_ALGORITHM,
        ),
        declared=DeclaredCount(
            old=old_v.declared_points,
            new=new_v.declared_points,
            old_unaccounted=_unaccounted(old_v),
            new_unaccounted=_unaccounted(new_v),
        ),
        changes=in_report_order(old_v, groups, found, built),
        parts=parts,
        warnings=tuple(warnings),
    )


def as_record(version: PlanVersion | VersionRecord) -> VersionRecord:
    """The version as the pipeline reads it: a record as it is, a model converted."""
    if isinstance(version, VersionRecord):
        return version
    return record_of(version, VersionRecord)


def aligned(
    old: VersionRecord,
    new: VersionRecord,
    relations: Sequence[Curated],
    outlines: tuple[outside.Outline, outside.Outline],
    settings: aligner.AlignSettings,
) -> tuple[aligner.Correspondence, ...]:
    """The alignment of the points the curators left open, then paired honestly: a pairing
    the numbering contradicts, or too weak to call a rewording, is not claimed, and neither
    is one that rests on a place nobody recorded."""
    old_texts, new_texts = contents(old.points), contents(new.points)
    automatic = aligner.align(
        old_texts, new_texts, fixed=[(c.old, c.new) for c in relations], settings=settings
    )
    honest = pairing.honest(
        automatic,
        pairing.number_keys(old.points, outlines[0].numbers, outlines[0].divisions),
        pairing.number_keys(new.points, outlines[1].numbers, outlines[1].divisions),
        old_texts,
        new_texts,
        settings,
    )
    return unplaced_guesses_apart(honest, old, new, settings)


def redlines(
    old: VersionRecord, new: VersionRecord, found: Sequence[Entry]
) -> dict[Pair, worddiff.MarkedUp]:
    """The word-level redline and changed figures of each pair that needs one."""
    pairs = [(e.old, e.new) for e in found if needs_redline(e)]
    texts = [(joined(old, o), joined(new, n)) for o, n in pairs]
    return dict(zip(pairs, worddiff.marked_up(texts), strict=True))


def _unaccounted(version: VersionRecord) -> int | None:
    if version.declared_points is None:
        return None
    return max(0, version.declared_points - version.known_points)
