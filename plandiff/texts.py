"""Plan texts as versions: a file cut into points, each anchored to its span, then diffed.

``plandiff diff old.txt new.txt`` and :func:`diff_texts` compare two plan texts directly, like
``git diff --no-index``: each text becomes an in-memory version of plain records (nothing here
is validated twice: the segmenter has checked every span it hands over), named after its file.
The public :func:`version_from_text` hands a user the validated model instead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

from plandiff import outside
from plandiff.errors import InputError, env_limit, show
from plandiff.evidence import Citation
from plandiff.records import AnchorRecord, Completeness, PointRecord, VersionRecord
from plandiff.result import DiffResult, SegmentationSummary

if TYPE_CHECKING:
    from plandiff.align import AlignSettings
    from plandiff.models import PlanVersion
    from plandiff.spans import Points

#: Most points a plan text may have (see :func:`max_points`).
MAX_POINTS = 100_000

#: How many characters of context an anchor keeps on each side of its quote (as
#: :data:`plandiff.models.CONTEXT_CHARS`: ``tests/test_engine_records.py`` checks the anchors).
_CONTEXT_CHARS = 32

_ID_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def text_version_id(name: str, suffix: str | None = None) -> str:
    """The version (and source) id a plan file named ``name`` gets: its name made a valid Ident.

    ``suffix`` ("old", "new") tells two files with the same name apart; the name is shortened
    to make room for it, so that it survives the 128-character limit.
    """
    ident = _ID_UNSAFE.sub("-", name).strip("-._") or "text"
    if suffix is None:
        return ident[:128]
    return f"{ident[: 127 - len(suffix)]}-{suffix}"


def side_ids(old: tuple[str, bool], new: tuple[str, bool]) -> tuple[str | None, str | None]:
    """The version ids to give the text-file sides of a diff, each side given as (its name,
    whether it is a text file): None for a file named after itself, or for a registry side.

    A text file's version is named after the file. When the two sides' ids clash, every file
    side takes ``-old``/``-new`` for its side (a registry version keeps its id, its name here),
    so that a report tells the sides apart.
    """
    own = [text_version_id(name) if is_text else name for name, is_text in (old, new)]
    if own[0] != own[1]:
        return None, None
    return (
        text_version_id(old[0], "old") if old[1] else None,
        text_version_id(new[0], "new") if new[1] else None,
    )


class TextVersion(NamedTuple):
    """A version segmented from a plan text, with how it was cut."""

    version: VersionRecord
    warnings: list[str]  # segmentation warnings (numbering gaps, repeats, restarts), named
    segmentation: SegmentationSummary


class ModelTextVersion(NamedTuple):
    """:class:`TextVersion` with the version as the validated model a user builds on."""

    version: PlanVersion
    warnings: list[str]
    segmentation: SegmentationSummary


def version_from_text(
    text: str, name: str, *, version_id: str | None = None, points: str | None = None
) -> ModelTextVersion:
    """A full, in-memory version segmented from a plan text, each point anchored to its span.

    ``points`` forces the point markers (see :func:`plandiff.segmentation.segment`). The version is
    a validated :class:`~plandiff.models.PlanVersion`, ready to be recorded in a registry.
    """
    from plandiff.models import PlanVersion

    found, _ = documents_from_texts([(text, name, version_id)], points)[0]
    model = PlanVersion.model_validate(found.version, from_attributes=True)
    return ModelTextVersion(model, found.warnings, found.segmentation)


def documents_from_texts(
    specs: Sequence[tuple[str, str, str | None]],
    points: str | None = None,
    *,
    context: bool = True,
) -> list[tuple[TextVersion, outside.Outline]]:
    """Each (text, name, version id) as a version of records, with the outline of what stands
    outside its points (preamble, headings, closing), which :func:`plandiff.diff` compares too.

    ``context=False`` leaves out each anchor's prefix and suffix, which only finding a quote
    again in its source needs: a diff cites a quote by its span. At 30,000 points a side that
    is 10 MB less held through the alignment's peak.
    """
    keys: list[str] = []  # "p1", "p2" …: made once for both sides of a diff
    return [
        _version(text, name, version_id, _segmented(points, [text])[0], context, keys)
        for text, name, version_id in specs
    ]


#: A text as segmented: its points, warning messages, how it was cut, and its outline.
_Text = tuple["Points", list[str], dict[str, Any], outside.Outline]


def _segmented(points: str | None, texts: Sequence[str]) -> list[_Text | int]:
    """Each text's points, warning messages, cut and outline, as plain data; for a text with
    more points than :func:`max_points` allows, only how many.
    """
    from plandiff.segmentation import cut, points_option

    limit = max_points()
    style = points_option(points) if points is not None else None
    out: list[_Text | int] = []
    for text in texts:
        seg = cut(text, style)
        found = seg.points
        if len(found.starts) > limit:
            out.append(len(found.starts))
            continue
        messages = [w.message for w in seg.warnings]
        series = seg.series.as_dict()
        cut_of = {**series, "description": seg.series.describe()}
        cut_of["spec"] = show(points) if points is not None else None
        outline = outside.outline(
            seg.preamble,
            seg.closing,
            found.number_texts(),
            list(found.divisions),
            found.starts,
            seg.headings,
            found.headings,
            seg.series,
        )
        out.append((found, messages, cut_of, outline))
    return out


def max_points() -> int:
    """Most points a plan text may have; ``PLANDIFF_MAX_POINTS`` overrides the default.

    A diff takes about 0.25 s and 10 MB per thousand points: the default admits the longest
    codes (tens of thousands of sections) and refuses a file of millions of one-word points
    before it has cost minutes and gigabytes.
    """
    return env_limit("PLANDIFF_MAX_POINTS", MAX_POINTS, "points")


def _version(
    text: str,
    name: str,
    version_id: str | None,
    found: _Text | int,
    context: bool,
    keys: list[str],
) -> tuple[TextVersion, outside.Outline]:
    if isinstance(found, int):
        raise InputError(
            f"{show(name)}: {found:,} points, more than the {max_points():,} allowed "
            "(set PLANDIFF_MAX_POINTS to raise the limit)"
        )
    segmented, messages, cut, outline = found
    if cut.get("forced") and not segmented.starts:
        raise InputError(f"{show(name)}: --points {cut['spec']} matches no line of the text")
    # A valid Ident, as every anchor's source must be.
    source_id = text_version_id(version_id or name)
    around = _CONTEXT_CHARS if context else 0
    records = []
    numbers = segmented.numbers()
    keys.extend(f"p{k}" for k in range(len(keys) + 1, len(numbers) + 1))
    for k, (body, start) in enumerate(zip(segmented.bodies, segmented.body_starts, strict=True)):
        evidence: tuple[AnchorRecord, ...] = ()
        if body:  # what anchors.make_anchor builds from the span segment checked
            end = start + len(body)
            if around:
                anchor = AnchorRecord(
                    source=source_id,
                    quote=body,
                    start=start,
                    end=end,
                    prefix=text[max(start - around, 0) : start],
                    suffix=text[end : end + around],
                )
            else:  # a diff's quote, cited by its span: no context to cut (half the cost)
                anchor = AnchorRecord(source=source_id, quote=body, start=start, end=end)
            evidence = (anchor,)
        records.append(
            PointRecord(
                key=keys[k],
                number=numbers[k],
                text=body or segmented.label(text, k),
                evidence=evidence,
            )
        )
    version = VersionRecord(
        id=source_id,
        title=name,
        completeness=Completeness.FULL,
        text_source=source_id,
        points=tuple(records),
    )
    named = [f"{name}: {message}" for message in messages]
    summary = SegmentationSummary(
        description=cut["description"],
        style=cut.get("style"),
        column=cut.get("column", 0),
        count=cut.get("count", 0),
        first=cut.get("first"),
        last=cut.get("last"),
        forced=cut.get("forced", False),
        preamble_chars=cut.get("preamble_chars", 0),
        closing_chars=cut.get("closing_chars", 0),
        headings=cut.get("headings", 0),
        warnings=tuple(messages),
    )
    return TextVersion(version, named, summary), outline


def text_citation(name: str) -> Citation:
    """What a version segmented from the plan file ``name`` cites: the file itself."""
    return Citation(title=name, outlet=None, published=None, url=None)


def diff_texts(
    old_text: str,
    new_text: str,
    *,
    old_name: str = "old",
    new_name: str = "new",
    settings: AlignSettings | None = None,
    points: str | None = None,
) -> DiffResult:
    """Diff two plan texts directly, like ``git diff --no-index``; ``points`` forces the
    point markers of both (see :func:`plandiff.segmentation.segment`)."""
    from plandiff.engine import diff

    old_id, new_id = side_ids((old_name, True), (new_name, True))
    ((old, old_warn, old_cut), old_outline), ((new, new_warn, new_cut), new_outline) = (
        documents_from_texts(
            [(old_text, old_name, old_id), (new_text, new_name, new_id)], points, context=False
        )
    )
    return diff(
        old,
        new,
        sources={old.id: text_citation(old_name), new.id: text_citation(new_name)},
        settings=settings,
        warnings=old_warn + new_warn,
        segmentations={old.id: old_cut, new.id: new_cut},
        outlines=(old_outline, new_outline),
    )
