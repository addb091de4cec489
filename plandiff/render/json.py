"""The JSON output contract of ``plandiff diff --format json``, defined once.

The document is made of msgspec Structs: :class:`DiffDocument`, :class:`ChangeDoc` and
:class:`PartChangeDoc` here, and for everything the document shows as the result holds it
(versions, settings, point references, evidence, figures) the result's own records. msgspec
writes the text straight from them, and the JSON Schema committed under ``schemas/`` is
generated from the same Structs (:mod:`plandiff.jsonschemas`), so the two cannot drift apart.

Why a change has a document Struct of its own rather than being written as it is: the
contract shows what a reader needs and the result keeps as a computation (``renumbered``),
writes a redline as its ``[op, text]`` pairs (``[]`` for none), and gives a similarity to
four decimals, never a non-finite number (JSON has no NaN).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from typing import Annotated, Any

import msgspec
from msgspec import Meta

from plandiff import known as facts
from plandiff.kinds import KindFilter
from plandiff.render import UNSAFE_IN_TERMINAL, known_words
from plandiff.result import (
    Basis,
    BracketChange,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    NestedChange,
    PartChange,
    PointRef,
    Record,
    RedlineOps,
    Settings,
    Substantive,
    TextPart,
    VersionSummary,
)

__all__ = [
    "ChangeDoc",
    "DiffDocument",
    "KnownDoc",
    "KnownSideDoc",
    "NestedChangeDoc",
    "PartChangeDoc",
    "change_doc",
    "change_docs",
    "document",
    "dumps",
    "known_doc",
    "nested_doc",
    "part_doc",
    "render",
    "render_parts",
    "score",
]


class NestedChangeDoc(Record, frozen=True, kw_only=True, gc=False):
    """A correspondence of sub-items or paragraphs inside the change's points, by path."""

    kind: Annotated[ChangeKind, Meta(description="What happened to the items.")]
    old: Annotated[tuple[str, ...], Meta(description="Old paths ('7.1(b)'); empty when added.")]
    new: Annotated[tuple[str, ...], Meta(description="New paths; empty when removed.")]
    level: Annotated[int, Meta(ge=1, description="Depth below the point: 1 for its sub-items.")]
    moved: Annotated[
        bool, Meta(description="Order among its level changed, or it has another parent now.")
    ]
    renumbered: Annotated[bool, Meta(description="Its own label changed.")]
    similarity: Annotated[
        Annotated[float, Meta(ge=0, le=1)] | None,
        Meta(description="Alignment score in [0, 1] to four decimals, or null."),
    ]
    redline: Annotated[
        RedlineOps,
        Meta(description="Word-level diff as [op, text] pairs; empty when not applicable."),
    ]
    substantive: Annotated[
        tuple[Substantive, ...], Meta(description="Changed numbers, dates, amounts.")
    ]


# Not keyword-only, unlike the other records: change_doc builds one per change by position.
class ChangeDoc(Record, frozen=True, kw_only=False, gc=False):
    """One change: which old points correspond to which new points, how, and on what basis."""

    kind: Annotated[ChangeKind, Meta(description="What happened to the points.")]
    moved: Annotated[bool, Meta(description="Relative order changed (not merely renumbered).")]
    renumbered: Annotated[bool, Meta(description="Both sides present and their numbers differ.")]
    old: Annotated[tuple[PointRef, ...], Meta(description="Old points, in order.")]
    new: Annotated[tuple[PointRef, ...], Meta(description="New points, in order.")]
    similarity: Annotated[
        Annotated[float, Meta(ge=0, le=1)] | None,
        Meta(description="Alignment score in [0, 1] to four decimals, or null."),
    ]
    basis: Annotated[Basis, Meta(description="'curated' (a recorded relation) or 'automatic'.")]
    redline: Annotated[
        RedlineOps,
        Meta(description="Word-level diff as [op, text] pairs; empty when not applicable."),
    ]
    substantive: Annotated[
        tuple[Substantive, ...], Meta(description="Changed numbers, dates, amounts.")
    ]
    evidence: Annotated[tuple[EvidenceRef, ...], Meta(description="Quotes behind the change.")]
    note: Annotated[str | None, Meta(description="A curator's note, if any.")]
    heading_moved: Annotated[
        bool,
        Meta(
            description="The point now stands under other headings than before (headings "
            "paired between the versions, so a renamed heading moves nothing)."
        ),
    ]
    subitems_changed: Annotated[
        tuple[str, ...],
        Meta(description="Labels of the sub-items whose wording changed ('(b)', '4.3'), in order."),
    ]
    nested: Annotated[
        tuple[NestedChangeDoc, ...],
        Meta(
            description="Sub-items and paragraphs inside these points, paired by path, in the "
            "new version's order; empty when the texts are identical or have no structure."
        ),
    ]
    sources_disagree: Annotated[
        bool,
        Meta(
            description="Some quote behind the change contradicts or qualifies it (see each "
            "evidence entry's 'stance'): the sources disagree, and both sides are listed."
        ),
    ]
    decided_by: Annotated[
        str | None,
        Meta(
            description="For 'deferred': who is to decide the matter, as recorded ('the "
            "presidents'); null when not reported, and for every other kind."
        ),
    ]
    decide_at: Annotated[
        str | None,
        Meta(
            description="For 'deferred': where or when it is to be decided, as recorded ('a "
            "meeting of the two presidents'); null when not reported, and for other kinds."
        ),
    ]
    brackets: Annotated[
        tuple[BracketChange, ...],
        Meta(
            description="Bracketed (unagreed) language now agreed, an alternative chosen, or "
            "plain language now bracketed; empty when none (verbatim texts only)."
        ),
    ]


class PartChangeDoc(Record, frozen=True, kw_only=True, gc=False):
    """How a stretch of text outside the points changed."""

    part: Annotated[TextPart, Meta(description="'preamble', 'heading' or 'closing'.")]
    kind: Annotated[ChangeKind, Meta(description="'unchanged', 'reworded', 'added' or 'removed'.")]
    old: Annotated[str | None, Meta(description="The old text, or null when added.")]
    new: Annotated[str | None, Meta(description="The new text, or null when removed.")]
    old_before: Annotated[
        int | None,
        Meta(description="For a heading: 1-based index of the old point it stands before."),
    ]
    new_before: Annotated[
        int | None,
        Meta(description="For a heading: 1-based index of the new point it stands before."),
    ]
    redline: Annotated[
        RedlineOps,
        Meta(description="Word-level diff as [op, text] pairs; empty unless reworded."),
    ]
    substantive: Annotated[
        tuple[Substantive, ...], Meta(description="Changed numbers, dates, amounts.")
    ]


class KnownSideDoc(Record, frozen=True, kw_only=True, gc=False):
    """How much of one version's points is known (see :mod:`plandiff.known`)."""

    declared: Annotated[int | None, Meta(description="The declared count, or null.")]
    verbatim: Annotated[int, Meta(ge=0, description="Recorded points whose wording is known.")]
    described: Annotated[
        int, Meta(ge=0, description="Recorded points known only from a description.")
    ]
    full: Annotated[bool, Meta(description="The version's whole text is known.")]
    unknown: Annotated[
        Annotated[int, Meta(ge=0)] | None,
        Meta(
            description="Points it has that nobody recorded: the declared count (else, for a "
            "full text, the recorded points) minus the recorded ones; null when its size is "
            "not known.",
        ),
    ]
    unreported: Annotated[
        int,
        Meta(
            ge=0,
            description="Recorded points with no counterpart, the other version being only "
            "partly known.",
        ),
    ]


class KnownDoc(Record, frozen=True, kw_only=True, gc=False):
    """What is known and what is not, as counts and in the words every report uses."""

    old: Annotated[KnownSideDoc, Meta(description="The old version's points.")]
    new: Annotated[KnownSideDoc, Meta(description="The new version's points.")]
    removed: Annotated[int, Meta(ge=0, description="Old points the diff shows removed.")]
    merged_away: Annotated[
        int, Meta(ge=0, description="Old points merged into another (a merge of n takes n - 1).")
    ]
    added: Annotated[int, Meta(ge=0, description="New points the diff shows added.")]
    split_off: Annotated[
        int, Meta(ge=0, description="New points split off another (a split into n adds n - 1).")
    ]
    explained: Annotated[
        int,
        Meta(
            ge=0,
            description="How much of the change in the point count the removals, merges, "
            "additions and splits account for (0 when either count is unknown).",
        ),
    ]
    says: Annotated[
        tuple[str, ...],
        Meta(description="The same in plain words, a line each, as the text report says it."),
    ]
    deferred: Annotated[
        int,
        Meta(
            ge=0,
            description="Old points whose matter the new version leaves to be decided later "
            "(curated 'deferred' relations); they count among the cuts.",
        ),
    ] = 0


class DiffDocument(Record, frozen=True, kw_only=True, gc=False):
    """What ``plandiff diff --format json`` writes: two versions compared point by point."""

    plandiff: Annotated[str, Meta(description="Version of plandiff that produced the document.")]
    old: Annotated[VersionSummary, Meta(description="The old version.")]
    new: Annotated[VersionSummary, Meta(description="The new version.")]
    settings: Annotated[Settings, Meta(description="Thresholds and algorithm names used.")]
    declared: Annotated[DeclaredCount, Meta(description="Declared point counts.")]
    known: Annotated[
        KnownDoc, Meta(description="What is known of both versions' points, and what is not.")
    ]
    changes: Annotated[
        tuple[ChangeDoc, ...],
        Meta(
            description="Every change; each point in exactly one (with --kind, only the "
            "changes of those kinds; the summary still counts all)."
        ),
    ]
    parts: Annotated[
        tuple[PartChangeDoc, ...],
        Meta(
            description="The text outside the points (preamble, headings, closing) compared, "
            "in text order; a diff of registry versions has none."
        ),
    ]
    summary: Annotated[
        dict[str, int],
        Meta(
            description="Count per kind, 'moved' and 'sources_disagree' (changes some of "
            "whose quotes contradict or qualify them), of the whole diff (--kind or not)."
        ),
    ]
    warnings: Annotated[tuple[str, ...], Meta(description="Segmentation and data warnings.")]


def score(similarity: float | None) -> float | None:
    """A similarity as the contract gives it: four decimals, and null for none or NaN."""
    if similarity is None or not math.isfinite(similarity):
        return None
    return round(similarity, 4)


def change_doc(c: Change) -> ChangeDoc:
    """One entry of the document's ``changes``: the result's records, shared, not copied."""
    return change_docs((c,))[0]


def change_docs(changes: Sequence[Change]) -> list[ChangeDoc]:
    """The document's entries for ``changes``, in one loop: a 30,000-point diff has 30,000.

    Built by position, in the order of :class:`ChangeDoc`'s fields: a call with more than 15
    keywords costs CPython several times what one by position does. A similarity of 1.0 (an
    unchanged pair's) is one as it stands, and is not rounded again; the loop, rather than a
    call per change, takes about a third off building the entries (some 12 ms at 30,000)."""
    docs: list[ChangeDoc] = []
    add = docs.append
    for c in changes:
        similarity, redline, inside = c.similarity, c.redline, c.nested
        add(
            ChangeDoc(
                c.kind,
                c.moved,
                c.renumbered,
                c.old,
                c.new,
                similarity if similarity == 1.0 else score(similarity),
                c.basis,
                () if redline is None else redline.ops,
                c.substantive,
                c.evidence,
                c.note,
                c.heading_moved,
                c.subitems_changed,
                tuple(map(nested_doc, inside)) if inside else (),
                c.sources_disagree,
                c.decided_by,
                c.decide_at,
                c.brackets,
            )
        )
    return docs


def nested_doc(n: NestedChange) -> NestedChangeDoc:
    return NestedChangeDoc(
        kind=n.kind,
        old=n.old,
        new=n.new,
        level=n.level,
        moved=n.moved,
        renumbered=n.renumbered,
        similarity=score(n.similarity),
        redline=n.redline.ops if n.redline is not None else (),
        substantive=n.substantive,
    )


def part_doc(p: PartChange) -> PartChangeDoc:
    return PartChangeDoc(
        part=p.part,
        kind=p.kind,
        old=p.old,
        new=p.new,
        old_before=p.old_before,
        new_before=p.new_before,
        redline=p.redline.ops if p.redline is not None else (),
        substantive=p.substantive,
    )


def _known_side(s: facts.SideKnown) -> KnownSideDoc:
    return KnownSideDoc(
        declared=s.declared,
        verbatim=s.verbatim,
        described=s.described,
        full=s.full,
        unknown=s.unknown,
        unreported=s.unreported,
    )


def known_doc(result: DiffResult) -> KnownDoc:
    """The document's ``known``: the counts of :func:`plandiff.known.known`, and their words."""
    k = facts.known(result)
    return KnownDoc(
        old=_known_side(k.old),
        new=_known_side(k.new),
        removed=k.removed,
        merged_away=k.merged_away,
        added=k.added,
        split_off=k.split_off,
        explained=k.explained,
        says=tuple(known_words.known_words(k)),
        deferred=k.deferred,
    )


def document(
    result: DiffResult,
    changes: Sequence[Change] | None = None,
    parts: Sequence[PartChange] | None = None,
) -> DiffDocument:
    """The contract's document for ``result`` (with only ``changes`` and ``parts`` when they
    are given: the summary still counts every change)."""
    from plandiff import __version__

    return DiffDocument(
        plandiff=__version__,
        old=result.old,
        new=result.new,
        settings=result.settings,
        declared=result.declared,
        known=known_doc(result),
        changes=tuple(change_docs(result.changes if changes is None else changes)),
        parts=tuple(map(part_doc, result.parts if parts is None else parts)),
        summary=result.summary(),
        warnings=result.warnings,
    )


# ── writing ───────────────────────────────────────────────────────────────────────────────────
#
# One encoder, msgspec's, in two C passes: compact JSON, then msgspec.json.format's two-space
# layout (the layout of json.dumps(indent=2), non-ASCII kept). It writes NaN and infinities as
# null (none reach it: see _score) and refuses a lone surrogate (UnicodeEncodeError): text in a
# result is always valid Unicode, since every reader of plan texts and registry files decodes
# strictly. What a terminal would act on is escaped in between, as \uXXXX: such characters are
# only ever inside strings, where an escape means the same character.

_ENCODER = msgspec.json.Encoder()

#: Every ASCII byte but DEL: none is unsafe, and none is part of a longer UTF-8 sequence.
_PLAIN_ASCII = bytes(range(0x7F))


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _has_unsafe(raw: bytes | bytearray) -> bool:
    """Whether UTF-8 ``raw`` holds a character of UNSAFE_IN_TERMINAL. Only the bytes left once
    plain ASCII is deleted (a C pass) are searched, usually none or a few."""
    if raw.isascii():
        return b"\x7f" in raw
    rest = raw.translate(None, _PLAIN_ASCII).decode("utf-8")
    return UNSAFE_IN_TERMINAL.search(rest) is not None


def _laid_out(raw: bytes | bytearray) -> bytes:
    """msgspec's compact JSON, unsafe characters escaped, laid out with two-space indents."""
    if _has_unsafe(raw):
        raw = UNSAFE_IN_TERMINAL.sub(_escape_unsafe, raw.decode("utf-8")).encode("utf-8")
    return msgspec.json.format(raw, indent=2)


def dumps(data: Any) -> str:
    """``data`` (Structs, or the builtins, dates and enums msgspec knows) as indented JSON text,
    non-ASCII kept and every control or bidi character escaped."""
    return _laid_out(_ENCODER.encode(data)).decode("utf-8")


def render(result: DiffResult, kinds: KindFilter | None = None) -> str:
    """The JSON text (non-ASCII kept, control characters escaped); with ``kinds``, ``changes``
    and ``parts`` hold only those of these kinds; ``summary`` still counts every change."""
    return b"".join(render_parts(result, kinds)).decode("utf-8")


#: Changes per part of :func:`render_parts`: a few hundred kilobytes of text.
_CHANGES_PER_PART = 256

#: Where the (empty) changes sit in the document written without them: the top level's keys
#: are the only ones indented by exactly two spaces, and JSON strings hold no raw line break.
_EMPTY_CHANGES = b'\n  "changes": [],\n'

#: Around the items of ``{"changes": [...]}`` laid out: the items sit as deep as in a document.
_ITEMS_START, _ITEMS_END = b'{\n  "changes": [\n', b"\n  ]\n}"


def render_parts(
    result: DiffResult, kinds: KindFilter | None = None
) -> Iterator[bytes | memoryview]:
    """:func:`render`'s text as UTF-8 (as JSON is exchanged, RFC 8259), in parts of a few
    hundred kilobytes, to write one at a time.

    A 30,000-point diff makes a 90 MB document; writing it in parts keeps it out of memory
    whole. The document is written without its changes and split where they belong; they are
    written a part at a time, as items of a list as deep as the document's. The parts are
    bytes because msgspec writes bytes: text would be decoded only to be encoded again; the
    items are a view of the part laid out, not a copy of it (110 MB not copied, at 30,000).
    """
    parts = None if kinds is None else kinds.select_parts(result.parts)
    frame = _laid_out(_ENCODER.encode(document(result, changes=(), parts=parts)))
    at = frame.index(_EMPTY_CHANGES)
    head, tail = frame[:at], frame[at + len(_EMPTY_CHANGES) :]
    changes = result.changes if kinds is None else kinds.select(result.changes)
    if not changes:
        yield frame + b"\n"
        return
    yield head + b'\n  "changes": [\n'
    starts = range(0, len(changes), _CHANGES_PER_PART)
    compact = bytearray()  # one buffer for every part's compact JSON, reused
    for n, start in enumerate(starts, start=1):
        docs = change_docs(changes[start : start + _CHANGES_PER_PART])
        _ENCODER.encode_into({"changes": docs}, compact)
        yield memoryview(_laid_out(compact))[len(_ITEMS_START) : -len(_ITEMS_END)]
        yield b",\n" if n < len(starts) else b"\n  ],\n"  # apart: no copy of the part
    yield tail + b"\n"
