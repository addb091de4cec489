"""The JSON output contract of ``plandiff diff --format json``.

The document is a pydantic model, so the JSON Schema committed under ``schemas/`` is generated
from the same definition that produces the output and cannot drift from it (a test checks).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

from pydantic import Field

from plandiff.models import FrozenModel
from plandiff.result import (
    ChangeKind,
    DeclaredCount,
    DiffResult,
    EvidenceRef,
    RedlineOp,
    Settings,
    Substantive,
    VersionSummary,
)


class PointRefDoc(FrozenModel):
    key: str = Field(description="The point's key within its version.")
    number: int | None = Field(description="Its number as written; null when unnumbered.")
    index: int = Field(ge=1, description="1-based position in its version.")
    verbatim: bool = Field(description="True when the text is known, false when described.")
    text: str = Field(description="The verbatim text, or the described summary.")


class ChangeDoc(FrozenModel):
    kind: ChangeKind = Field(description="What happened to the points.")
    moved: bool = Field(description="Relative order changed (not merely renumbered).")
    renumbered: bool = Field(description="Both sides present and their numbers differ.")
    old: list[PointRefDoc] = Field(description="Old points, in order.")
    new: list[PointRefDoc] = Field(description="New points, in order.")
    similarity: float | None = Field(description="Alignment score in [0, 1], or null.")
    basis: str = Field(description="'curated' (a recorded relation) or 'automatic'.")
    redline: list[tuple[RedlineOp, str]] = Field(
        description="Word-level diff as [op, text] pairs; empty when not applicable."
    )
    substantive: list[Substantive] = Field(description="Changed numbers, dates, amounts.")
    evidence: list[EvidenceRef] = Field(description="Quotes behind the change.")
    note: str | None = Field(description="A curator's note, if any.")


class DiffDocument(FrozenModel):
    plandiff: str = Field(description="Version of plandiff that produced the document.")
    old: VersionSummary = Field(description="The old version.")
    new: VersionSummary = Field(description="The new version.")
    settings: Settings = Field(description="Thresholds and algorithm names used.")
    declared: DeclaredCount = Field(description="Declared point counts.")
    changes: list[ChangeDoc] = Field(description="Every change; each point in exactly one.")
    summary: dict[str, int] = Field(description="Count per kind, and 'moved'.")
    warnings: list[str] = Field(description="Segmentation and data warnings.")


def document(result: DiffResult) -> dict[str, Any]:
    """The contract's JSON-ready dict for a result."""
    from plandiff import __version__

    def ref(r: Any) -> dict[str, Any]:
        return {
            "key": r.key,
            "number": r.number,
            "index": r.index,
            "verbatim": r.verbatim,
            "text": r.text,
        }

    changes = [
        {
            "kind": c.kind.value,
            "moved": c.moved,
            "renumbered": c.renumbered,
            "old": [ref(r) for r in c.old],
            "new": [ref(r) for r in c.new],
            "similarity": None if c.similarity is None else round(c.similarity, 4),
            "basis": c.basis.value,
            "redline": [[op.value, text] for op, text in c.redline.ops] if c.redline else [],
            "substantive": [s.model_dump(mode="json") for s in c.substantive],
            "evidence": [
                {
                    "role": e.role,
                    "point": e.point,
                    "source": e.source,
                    "title": e.title,
                    "outlet": e.outlet,
                    "published": e.published.isoformat() if e.published else None,
                    "url": e.url,
                    "quote": e.quote,
                    "start": e.start,
                    "end": e.end,
                }
                for e in c.evidence
            ],
            "note": c.note,
        }
        for c in result.changes
    ]
    return {
        "plandiff": __version__,
        "old": result.old.model_dump(mode="json"),
        "new": result.new.model_dump(mode="json"),
        "settings": result.settings.model_dump(mode="json"),
        "declared": result.declared.model_dump(mode="json"),
        "changes": changes,
        "summary": result.summary(),
        "warnings": list(result.warnings),
    }


#: Characters that json.dumps(ensure_ascii=False) leaves raw but that a terminal may act on: DEL
#: and the C1 controls (U+009B is CSI, U+009D OSC), bidi overrides and isolates, and the line and
#: paragraph separators. They only ever occur inside JSON strings, where \uXXXX is equivalent.
_UNSAFE_IN_TERMINAL = re.compile(
    "[\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)


def _escape_unsafe(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(data: Any) -> str:
    """JSON text with non-ASCII kept, and every control or bidi character escaped."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return _UNSAFE_IN_TERMINAL.sub(_escape_unsafe, text)


def render(result: DiffResult) -> str:
    """The JSON text (UTF-8, non-ASCII kept, control characters escaped)."""
    return "".join(render_parts(result))


# ── the fast path ─────────────────────────────────────────────────────────────────────────────
#
# ``render`` must give exactly ``dumps(document(result)) + "\n"`` (a test holds it to that), but
# json.dumps with an indent runs its pure-Python encoder, node by node, through millions of
# small strings: about 6 s for the 90 MB document of a 30,000-point diff. The document's shape
# is fixed, so each point reference, quote and change is written here from one template at its
# indentation, its strings escaped by json's C string encoder; only the small header and the
# substantive changes go through json.dumps.

#: json's own string encoder for ensure_ascii=False (the C one when available).
_encode_str = json.encoder.encode_basestring  # type: ignore[attr-defined]

#: Changes per part of :func:`render_parts`: a few hundred kilobytes of text.
_CHANGES_PER_PART = 256


def _str(text: str) -> str:
    """A JSON string literal, escaped as :func:`dumps` escapes it."""
    out = _encode_str(text)
    # isascii() is O(1); of ASCII, only DEL is unsafe (json already escaped \x00-\x1f).
    if not text.isascii() or "\x7f" in text:
        out = _UNSAFE_IN_TERMINAL.sub(_escape_unsafe, out)
    return out


def _scalar(value: Any) -> str:
    """A JSON scalar exactly as json.dumps writes it."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _str(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return json.dumps(value)  # NaN and Infinity, as dumps spells them
        return float.__repr__(value)
    raise TypeError(f"not a JSON scalar: {value!r}")


def _indented(value: Any, level: int) -> str:
    """``value`` as json.dumps(indent=2) writes it ``level`` levels deep (raw line breaks in
    its output are all structural: strings carry theirs as \\n)."""
    text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n" + "  " * level)
    return _UNSAFE_IN_TERMINAL.sub(_escape_unsafe, text)


def _items(items: Sequence[str]) -> str:
    """A list, 3 levels deep, of items already written 4 levels deep."""
    if not items:
        return "[]"
    return "[\n" + ",\n".join(items) + "\n      ]"


class _Strings(dict[str, str]):
    """JSON literals of the short strings of one document (keys, roles, source ids, titles,
    and the kinds and operations, whose string enums hash and compare as their values), each
    escaped once: they recur on every change."""

    def __missing__(self, text: str) -> str:
        out = self[text] = _str(text)
        return out


def _int(value: int | None) -> str:
    if value is None:
        return "null"
    return int.__repr__(value) if type(value) is int else _scalar(value)


def _bool(value: bool) -> str:
    if value is True:
        return "true"
    return "false" if value is False else _scalar(value)


def _change(c: Any, short: _Strings) -> str:
    """One entry of ``changes``, as :func:`document` defines it, 2 levels deep."""
    # A point's text is its quote too when the version was segmented from a file: the same
    # string object, escaped once.
    texts: dict[int, str] = {}
    sides = []
    for side in (c.old, c.new):
        refs = []
        for r in side:
            text = texts[id(r.text)] = _str(r.text)
            refs.append(
                f'        {{\n          "key": {short[r.key]},'
                f'\n          "number": {_int(r.number)},'
                f'\n          "index": {_int(r.index)},'
                f'\n          "verbatim": {_bool(r.verbatim)},'
                f'\n          "text": {text}\n        }}'
            )
        sides.append(_items(refs))
    evidence = []
    for e in c.evidence:
        quote = texts.get(id(e.quote)) or _str(e.quote)
        published = "null" if e.published is None else _str(e.published.isoformat())
        evidence.append(
            f'        {{\n          "role": {short[e.role]},'
            f'\n          "point": {"null" if e.point is None else short[e.point]},'
            f'\n          "source": {short[e.source]},'
            f'\n          "title": {"null" if e.title is None else short[e.title]},'
            f'\n          "outlet": {"null" if e.outlet is None else short[e.outlet]},'
            f'\n          "published": {published},'
            f'\n          "url": {"null" if e.url is None else short[e.url]},'
            f'\n          "quote": {quote},'
            f'\n          "start": {_int(e.start)},'
            f'\n          "end": {_int(e.end)}\n        }}'
        )
    ops = "[]"
    if c.redline:
        ops = _items(
            [
                f"        [\n          {short[op]},\n          {_str(text)}\n        ]"
                for op, text in c.redline.ops
            ]
        )
    substantive = "[]"
    if c.substantive:
        substantive = _items(
            ["        " + _indented(s.model_dump(mode="json"), 4) for s in c.substantive]
        )
    similarity = "null" if c.similarity is None else _scalar(round(c.similarity, 4))
    return (
        f'    {{\n      "kind": {short[c.kind]},'
        f'\n      "moved": {_bool(c.moved)},'
        f'\n      "renumbered": {_bool(c.renumbered)},'
        f'\n      "old": {sides[0]},'
        f'\n      "new": {sides[1]},'
        f'\n      "similarity": {similarity},'
        f'\n      "basis": {short[c.basis]},'
        f'\n      "redline": {ops},'
        f'\n      "substantive": {substantive},'
        f'\n      "evidence": {_items(evidence)},'
        f'\n      "note": {"null" if c.note is None else _str(c.note)}\n    }}'
    )


def render_parts(result: DiffResult) -> Iterator[str]:
    """:func:`render`'s text in parts of a few hundred kilobytes, to write one at a time.

    A 30,000-point diff makes a 90 MB document; writing it in parts keeps the joined text, and
    its encoded bytes, out of memory.
    """
    from plandiff import __version__

    head = {
        "plandiff": __version__,
        "old": result.old.model_dump(mode="json"),
        "new": result.new.model_dump(mode="json"),
        "settings": result.settings.model_dump(mode="json"),
        "declared": result.declared.model_dump(mode="json"),
    }
    text = _indented(head, 0)[:-2]  # without the closing "\n}"
    changes = result.changes
    short = _Strings()
    if not changes:
        yield text + ',\n  "changes": [],'
    else:
        yield text + ',\n  "changes": [\n'
        for start in range(0, len(changes), _CHANGES_PER_PART):
            part = ",\n".join(_change(c, short) for c in changes[start : start + _CHANGES_PER_PART])
            yield part + (",\n" if start + _CHANGES_PER_PART < len(changes) else "\n  ],")
    tail = {"summary": result.summary(), "warnings": list(result.warnings)}
    yield _indented(tail, 0)[1:] + "\n"  # without the opening "{"
