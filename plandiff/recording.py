"""Recording what the news says: sources, versions, points, relations and events.

Each operation is a pure function from a :class:`~plandiff.models.Registry` to a :class:`Change`:
the new registry, the text files to write with it, and what was done. Nothing here touches the
disk except :func:`transact`, which takes the registry's write lock, loads it fresh, applies one
operation and lets :func:`plandiff.store.save_registry` cross-check the whole result before one
atomic commit. An operation that refuses raises before anything is written, so a failing command
leaves the registry byte for byte as it was, and two writers never lose each other's change
because each applies its change to what the other committed.

Every quote is anchored when it is recorded (:func:`anchor_quote`): a quote that is not in its
source, or that is there more than once without ``occurrence``, is refused with the candidates
shown, never stored as a guess.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ValidationError

from plandiff import anchors, store
from plandiff.anchors import AnchorStatus
from plandiff.errors import NotFoundError, PlandiffError, QuoteError, SplitCharacterError, show
from plandiff.extract import Capture
from plandiff.models import (
    IDENT_PATTERN,
    Anchor,
    Completeness,
    Event,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

#: Candidates listed when a quote occurs several times.
MAX_CANDIDATES = 8
#: Characters of context shown on each side of a candidate.
SNIPPET_CONTEXT = 30
#: An approximate match at least this similar (0–100) is offered when a quote is not found.
CLOSEST_MIN_SCORE = 60.0

_IDENT = re.compile(IDENT_PATTERN)
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")
#: Left out of keys made from a summary: "The dam at Orsk ..." → "dam-orsk-...".
_STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the this to with".split()  # noqa: SIM905 — a word list reads best as one line
)


# --------------------------------------------------------------------------- errors


class DetailedError(PlandiffError):
    """A refusal whose one-line message is followed by detail lines (candidates, a report)."""

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details = tuple(details)

    def lines(self) -> list[str]:
        return [str(self), *(f"  {d}" for d in self.details)]


class QuoteChoiceError(DetailedError, QuoteError):
    """A quote that is absent or ambiguous, with the places that could be meant."""

    def __init__(self, message: str, details: Iterable[str], candidates: Sequence[int]) -> None:
        DetailedError.__init__(self, message, details)
        self.candidates = tuple(candidates)


class RecaptureError(DetailedError):
    """A recapture that would lose evidence, refused without ``force``; details are the report."""


# --------------------------------------------------------------------------- results


@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """What an operation did: the registry after it, files to write with it, and a result."""

    registry: Registry
    result: T
    files: Mapping[str, bytes] = field(default_factory=dict)
    lines: tuple[str, ...] = ()
    """What was done, one line each, for the user."""
    changed: bool = True
    """False when the operation found nothing to do (nothing is written)."""


class SourceStatus(StrEnum):
    """What :func:`add_source` did with one capture."""

    ADDED = "added"
    """A new source."""
    UNCHANGED = "unchanged"
    """The source exists with the same text and metadata; nothing was written."""
    RECAPTURED = "recaptured"
    """The source's text or metadata was replaced and its quotes re-anchored."""


@dataclass(frozen=True, slots=True)
class AnchorReport:
    """What happened to one quote when its source was recaptured."""

    status: AnchorStatus
    version: str
    field: str
    """Where the anchor is in the version file, e.g. ``points[2].evidence[0]``."""
    owner: str
    """What the quote supports, e.g. ``us-28:territory`` or ``geneva-19 events[0]``."""
    point: str | None
    """``version:key`` when the quote is a point's evidence."""
    old: Anchor
    new: Anchor | None
    score: float

    @property
    def lost(self) -> bool:
        return self.new is None

    def line(self) -> str:
        where = f"{self.old.start}..{self.old.end}" if self.old.located else "?"
        text = f"{self.status.value:<9} {self.owner}: {show(self.old.quote, 60)}"
        if self.new is None:
            if self.status is AnchorStatus.AMBIGUOUS:
                return f"{text} (was at {where}; now found at several places)"
            return f"{text} (was at {where}; not found in the new capture)"
        moved = f"{where} → {self.new.start}..{self.new.end}"
        if self.status is AnchorStatus.FUZZY:
            now = show(self.new.quote, 60)
            return f"{text} now reads {now} ({moved}, similarity {self.score:.2f})"
        if self.status is AnchorStatus.MOVED:
            return f"{text} ({moved})"
        return f"{text} ({where})"


@dataclass(frozen=True, slots=True)
class SourceResult:
    """The outcome of recording one capture as a source."""

    source: Source
    status: SourceStatus
    anchors: tuple[AnchorReport, ...] = ()
    archived: str | None = None
    """Id of the source keeping the previous capture, when a forced recapture lost quotes."""

    def lines(self) -> list[str]:
        s = self.source
        if self.status is SourceStatus.UNCHANGED:
            return [f"unchanged: source {show(s.id)} ({s.path})"]
        if self.status is SourceStatus.ADDED:
            title = f", {show(s.title)}" if s.title else ""
            return [f"added source {show(s.id)} ({s.path}{title})"]
        counts = ", ".join(
            f"{n} {status.value}"
            for status in AnchorStatus
            if (n := sum(1 for r in self.anchors if r.status is status))
        )
        head = f"recaptured source {show(s.id)} ({s.path}): "
        head += f"{len(self.anchors)} quote(s) re-anchored" + (f": {counts}" if counts else "")
        out = [head, *(f"  {r.line()}" for r in self.anchors)]
        if self.archived:
            out.append(
                f"kept the previous capture as source {show(self.archived)}; "
                f"{sum(r.lost for r in self.anchors)} lost quote(s) now cite it "
                f"({_lost(self.anchors, done=True)})"
            )
        return out


@dataclass(frozen=True, slots=True)
class SourceMeta:
    """Metadata given by the user; each field given overrides what the file itself says."""

    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class QuoteRef:
    """A quote to anchor: its text, the source it is taken from, and which occurrence."""

    source: str
    quote: str
    occurrence: int | None = None


@dataclass(frozen=True, slots=True)
class RelationArgs:
    """``OLD_VERSION:POINT... NEW_VERSION[:POINT]...`` parsed (see :func:`parse_relation_args`)."""

    old_version: str
    old: tuple[str, ...]
    new_version: str
    new: tuple[str, ...]


KEEP: Any = object()


# --------------------------------------------------------------------------- the transaction


def writable_root(explicit: str | os.PathLike[str] | None) -> Path:
    """The registry a writing command may change: given explicitly, never the bundled one by
    default, because a site-packages install must not be modified by accident."""
    chosen = explicit or os.environ.get(store.ENV_REGISTRY)
    if chosen:
        return Path(chosen)
    bundled = store.bundled_registry_path()
    raise PlandiffError(
        f"refusing to change the bundled registry ({bundled}), which ships with plandiff; "
        "create your own with 'plandiff init DIR' and select it with '--registry DIR' "
        f"(or PLANDIFF_REGISTRY=DIR), or pass '--registry {bundled}' to change it on purpose"
    )


def transact(root: Path, operation: Callable[[Registry], Change[T]]) -> Change[T]:
    """Load ``root`` under its write lock, apply ``operation`` and save the result atomically.

    The lock is taken only for a directory that is a registry, so a mistyped ``--registry``
    leaves no lock file behind.
    """
    if not (root / store.MARKER).is_file():
        store.load_registry(root)  # raises the registry's own, precise error
    with store.locked(root):
        registry = store.load_registry(root)
        change = operation(registry)
        if change.changed:
            store.save_registry(root, change.registry, extra_files=change.files)
    return change


def file_reader(root: Path) -> Callable[[str], bytes | None]:
    """Reads a file of the registry by its relative path; None when it is not there."""

    def read(rel: str) -> bytes | None:
        try:
            path = store.safe_relpath(root, rel)
            return path.read_bytes() if path.is_file() else None
        except (OSError, ValueError):
            return None

    return read


# --------------------------------------------------------------------------- small helpers


def _validated(cls: type[M], label: str, /, **fields: Any) -> M:
    """``cls(**fields)`` with pydantic's complaint turned into a one-line error."""
    try:
        return cls.model_validate(fields)
    except ValidationError as exc:
        raise PlandiffError(f"{label}: {_first_error(exc)}") from exc


def _updated(model: M, label: str, /, **changes: Any) -> M:
    """A validated copy (``model_copy`` would skip validation of the changed fields)."""
    return _validated(type(model), label, **{**dict(model), **changes})


def _first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    got = (
        f" (got {show(value, 40)})"
        if isinstance(value, str | int) and err["type"] != "missing"
        else ""
    )
    return f"{loc}: {message}{got}" if loc else f"{message}{got}"


def check_ident(value: str, what: str) -> str:
    if not _IDENT.match(value):
        raise PlandiffError(
            f"invalid {what} {show(value)}: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 128 characters"
        )
    return value


def default_source_id(name: str) -> str:
    """A source id from a file name: its stem, sanitised to ``[A-Za-z0-9._-]``, ≤ 128 chars."""
    stem = Path(name).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ident = _UNSAFE_ID.sub("-", ascii_stem).strip("-._")[:128].rstrip("-._")
    return ident or "source"


def slug(text: str, *, max_words: int = 4, max_len: int = 48) -> str:
    """A short key from a summary or quote: lower-case words joined by '-', stop words left out."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    kept = [w for w in words if w not in _STOP_WORDS] or words
    out = ""
    for word in kept[:max_words]:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_len:
            break
        out = candidate
    return out or "point"


def unique_key(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def _version(registry: Registry, version_id: str) -> PlanVersion:
    version = registry.version(version_id)
    if version is None:
        raise NotFoundError("version", version_id, [v.id for v in registry.versions])
    return version


def _point(version: PlanVersion, key: str) -> Point:
    point = version.point(key)
    if point is None:
        raise NotFoundError(
            f"point in version {show(version.id)}:", key, [p.key for p in version.points]
        )
    return point


def _with_version(registry: Registry, version: PlanVersion) -> Registry:
    versions = list(registry.versions)
    for i, v in enumerate(versions):
        if v.id == version.id:
            versions[i] = version
            break
    else:
        versions.append(version)
    return registry.model_copy(update={"versions": tuple(versions)})


def _printable(text: str) -> str:
    """Untrusted text on one line: line breaks as ⏎, other control characters as '?'."""
    text = text.replace("\r\n", "\n").replace("\n", "⏎").replace("\t", " ")
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def _snippet(text: str, start: int, end: int) -> str:
    before = text[max(0, start - SNIPPET_CONTEXT) : start]
    after = text[end : end + SNIPPET_CONTEXT]
    body = text[start:end]
    if len(body) > 60:
        body = body[:28] + "…" + body[-28:]
    lead = "…" if start > SNIPPET_CONTEXT else ""
    tail = "…" if end + SNIPPET_CONTEXT < len(text) else ""
    return f"{lead}{_printable(before)}[{_printable(body)}]{_printable(after)}{tail}"


# --------------------------------------------------------------------------- quotes


def pair_quotes(
    quotes: Sequence[str], sources: Sequence[str], occurrences: Sequence[int] = ()
) -> tuple[QuoteRef, ...]:
    """Pair repeated ``--quote``/``--source``/``--occurrence`` options in order.

    One ``--source`` may serve every quote; ``--occurrence`` is given for every quote or none
    (0 means "the quote is unique"), or once when there is one quote.
    """
    if not quotes:
        if sources or occurrences:
            raise PlandiffError("--source and --occurrence need a --quote to go with them")
        return ()
    if not sources:
        raise PlandiffError("each --quote needs the --source (a source id) it is taken from")
    if len(sources) not in (1, len(quotes)):
        raise PlandiffError(
            f"{len(quotes)} --quote but {len(sources)} --source: give one --source for all "
            "quotes, or one per quote in the same order"
        )
    if occurrences and len(occurrences) != len(quotes):
        raise PlandiffError(
            f"{len(quotes)} --quote but {len(occurrences)} --occurrence: give one --occurrence "
            "per quote, in the same order (0 for a quote that occurs once)"
        )
    out = []
    for i, quote in enumerate(quotes):
        source = sources[i] if len(sources) > 1 else sources[0]
        occurrence = occurrences[i] if occurrences else 0
        if occurrence < 0:
            raise PlandiffError(f"--occurrence {occurrence}: counts from 1")
        out.append(QuoteRef(source=source, quote=quote, occurrence=occurrence or None))
    return tuple(out)


def anchor_quote(registry: Registry, ref: QuoteRef) -> Anchor:
    """Anchor one quote in its source, refusing an absent or ambiguous quote with candidates."""
    if registry.source(ref.source) is None:
        raise NotFoundError("source", ref.source, [s.id for s in registry.sources])
    if not ref.quote.strip():
        raise QuoteError(f"empty quote for source {show(ref.source)}")
    text = registry.text(ref.source)
    try:
        return anchors.create_anchor(ref.source, text, ref.quote, occurrence=ref.occurrence)
    except SplitCharacterError:
        raise  # found, but it cuts a character: the message says so, candidates would mislead
    except QuoteError as exc:
        raise _explain(ref, text, exc) from exc


def _explain(ref: QuoteRef, text: str, exc: QuoteError) -> QuoteChoiceError:
    quote, source = ref.quote, show(ref.source)
    starts = anchors.occurrences(text, quote)
    if not starts:
        details = []
        closest = _closest(quote, text)
        if closest is not None:
            score, start, end = closest
            details.append(
                f"closest: at {start}..{end} ({score:.0f}% similar): {_snippet(text, start, end)}"
            )
        hint = (
            "copy the quote exactly as the stored text has it (spacing, quotation marks, "
            f"dashes); 'plandiff show {ref.source}' prints that text"
        )
        return QuoteChoiceError(
            f"quote {show(quote)} not found in source {source}; {hint}", details, []
        )
    listed = [
        f"--occurrence {n}: at {s}..{s + len(quote)}: {_snippet(text, s, s + len(quote))}"
        for n, s in enumerate(starts[:MAX_CANDIDATES], start=1)
    ]
    if len(starts) > MAX_CANDIDATES:
        listed.append(f"… and {len(starts) - MAX_CANDIDATES} more")
    if ref.occurrence is not None:
        head = (
            f"quote {show(quote)} occurs {len(starts)} time(s) in source {source}; "
            f"--occurrence {ref.occurrence} does not exist"
        )
    else:
        head = (
            f"quote {show(quote)} occurs {len(starts)} times in source {source}; "
            "pick one with --occurrence N, or quote more words so that it occurs once"
        )
    return QuoteChoiceError(head, listed, starts)


def _closest(quote: str, text: str) -> tuple[float, int, int] | None:
    from rapidfuzz import fuzz

    if not text or len(quote) > len(text):
        return None
    found = fuzz.partial_ratio_alignment(quote, text)
    if found is None or found.score < CLOSEST_MIN_SCORE:
        return None
    start, end = found.dest_start, found.dest_end
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        end -= 1
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return found.score, start, end


# --------------------------------------------------------------------------- sources


def _source_paths(source: Source) -> set[str]:
    paths = {source.path.casefold(), store.source_file(source.id).casefold()}
    if source.original:
        paths.add(source.original.casefold())
    return paths


def _claim(registry: Registry, source_id: str, paths: Iterable[str]) -> None:
    """Refuse file names another source uses (case-insensitively, for macOS and Windows)."""
    for other in registry.sources:
        if other.id == source_id:
            continue
        taken = _source_paths(other)
        for rel in paths:
            if rel.casefold() in taken:
                raise PlandiffError(
                    f"source {show(source_id)} would write {show(rel)}, which belongs to source "
                    f"{show(other.id)}; choose another --id"
                )


def _merged_meta(meta: SourceMeta, capture: Capture, previous: Source | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in ("title", "outlet", "url", "published", "author", "language"):
        given = getattr(meta, name)
        found = getattr(capture, name)
        before = getattr(previous, name) if previous is not None else None
        out[name] = given if given is not None else found if found is not None else before
    out["note"] = meta.note if meta.note is not None else (previous.note if previous else None)
    return out


def _meta_differences(old: Source, new: Source) -> list[str]:
    fields = ("title", "outlet", "url", "published", "author", "language", "note")
    return [
        f"{name} {show(getattr(old, name) or '')} → {show(getattr(new, name) or '')}"
        for name in fields
        if getattr(old, name) != getattr(new, name)
    ]


def add_source(
    registry: Registry,
    capture: Capture,
    *,
    source_id: str | None = None,
    meta: SourceMeta | None = None,
    recapture: bool = False,
    force: bool = False,
    read: Callable[[str], bytes | None] | None = None,
) -> Change[SourceResult]:
    """Record a capture as a source; an existing id is replaced only with ``recapture``.

    A recapture re-anchors every quote that cites the source. When some cannot be found again
    (ambiguous or broken) it is refused unless ``force``; forced, the previous capture is kept as
    a source of its own and the lost quotes cite it, so no point is left without evidence and the
    report says which points lost their evidence in the new capture. ``read`` reads a file of the
    registry (the previous original, to keep it with the previous capture).
    """
    sid = check_ident(source_id or default_source_id(capture.name), "source id")
    meta = meta or SourceMeta()
    text_bytes = capture.text_bytes
    digest = store.sha256_bytes(text_bytes)
    keep_original = capture.original != text_bytes
    ext = capture.format.suffix
    existing = registry.source(sid)

    if existing is None:
        path = f"{store.SOURCES_DIR}/{sid}.txt"
        original = f"{store.SOURCES_DIR}/{sid}.orig.{ext}" if keep_original else None
        _claim(registry, sid, [path, store.source_file(sid)] + ([original] if original else []))
        source = _validated(
            Source,
            f"source {show(sid)}",
            id=sid,
            path=path,
            sha256=digest,
            original=original,
            **_merged_meta(meta, capture, None),
        )
        files = {path: text_bytes}
        if original:
            files[original] = capture.original
        new_registry = registry.model_copy(
            update={
                "sources": (*registry.sources, source),
                "texts": {**registry.texts, sid: capture.text},
            }
        )
        result = SourceResult(source=source, status=SourceStatus.ADDED)
        return Change(new_registry, result, files, tuple(result.lines()))

    original = existing.original
    if keep_original and not (original and original.endswith(f".{ext}")):
        original = f"{store.SOURCES_DIR}/{sid}.orig.{ext}"
    elif not keep_original:
        original = None
    candidate = _validated(
        Source,
        f"source {show(sid)}",
        id=sid,
        path=existing.path,
        sha256=digest,
        original=original,
        **_merged_meta(meta, capture, existing),
    )
    same_text = digest == existing.sha256 and registry.text(sid) == capture.text
    meta_changes = _meta_differences(existing, candidate)
    if same_text and not meta_changes:
        result = SourceResult(source=existing, status=SourceStatus.UNCHANGED)
        return Change(registry, result, {}, tuple(result.lines()), changed=False)
    if not recapture:
        quotes = sum(
            1 for v in registry.versions for _, a in store.iter_anchors(v) if a.source == sid
        )
        what = (
            "different metadata (" + "; ".join(meta_changes) + ")"
            if same_text
            else f"different text (sha256 {existing.sha256[:12]}…, this capture {digest[:12]}…)"
        )
        raise PlandiffError(
            f"source {show(sid)} already exists with {what}; to replace it with this capture "
            f"and re-anchor the {quotes} quote(s) citing it, add --recapture, or record it "
            "under another --id"
        )
    if original:
        _claim(registry, sid, [original])
    return _recapture(registry, existing, candidate, capture, force=force, read=read)


def _owner(version: PlanVersion, path: str) -> tuple[str, str | None]:
    """What an anchor at ``path`` in ``version`` supports, and the point it belongs to."""
    found = re.match(r"(\w+)\[(\d+)\]", path)
    if found is None or found[1] == "evidence":
        return f"{version.id} (version facts)", None
    kind, i = found[1], int(found[2])
    if kind == "points":
        label = f"{version.id}:{version.points[i].key}"
        return label, label
    if kind == "relations":
        return f"{version.id} relation {describe_relation(version, version.relations[i])}", None
    if kind == "events":
        event = version.events[i]
        return f"{version.id} event {event.date.isoformat()} {show(event.what, 40)}", None
    return f"{version.id} {kind}[{i}]", None


def _lost(reports: Iterable[AnchorReport], *, done: bool) -> str:
    """Which points (``version:key``), and what else, lose evidence: for the report."""
    points: dict[str, None] = {}
    others: dict[str, None] = {}
    for r in reports:
        if r.lost:
            if r.point:
                points.setdefault(r.point, None)
            else:
                others.setdefault(r.owner, None)
    verb = "lost their" if done else "would lose their"
    text = f"points that {verb} evidence: {', '.join(points) if points else 'none'}"
    if others:
        text += f"; other evidence {'lost' if done else 'that would be lost'}: " + "; ".join(others)
    return text


def _archive_id(registry: Registry, source: Source) -> str:
    suffix = f".prev-{source.sha256[:8]}"
    base = source.id[: 128 - len(suffix)] + suffix
    taken = {s.id for s in registry.sources if s.sha256 != source.sha256}
    return unique_key(base, taken) if base in taken else base


def _recapture(
    registry: Registry,
    existing: Source,
    source: Source,
    capture: Capture,
    *,
    force: bool,
    read: Callable[[str], bytes | None] | None,
) -> Change[SourceResult]:
    sid = existing.id
    new_text = capture.text
    reports: list[AnchorReport] = []
    outcomes: dict[tuple[str, str], anchors.Reanchored] = {}
    for version in registry.versions:
        for path, anchor in store.iter_anchors(version):
            if anchor.source != sid:
                continue
            done = anchors.reanchor(anchor, new_text)
            outcomes[(version.id, path)] = done
            owner, point = _owner(version, path)
            reports.append(
                AnchorReport(
                    status=done.status,
                    version=version.id,
                    field=path,
                    owner=owner,
                    point=point,
                    old=anchor,
                    new=done.anchor,
                    score=done.score,
                )
            )
    lost = [r for r in reports if r.lost]
    archive_id = _archive_id(registry, existing) if lost else None
    if lost and not force:
        kinds = ", ".join(
            f"{n} {status.value}"
            for status in (AnchorStatus.AMBIGUOUS, AnchorStatus.BROKEN)
            if (n := sum(1 for r in lost if r.status is status))
        )
        raise RecaptureError(
            f"recapture of source {show(sid)} refused: {len(lost)} quote(s) cannot be found "
            f"again in the new capture ({kinds}); {_lost(reports, done=False)}; add --force to "
            "record it anyway (the lost quotes then cite the previous capture, kept as source "
            f"{show(archive_id)})",
            [r.line() for r in reports],
        )

    def move(version_id: str) -> Callable[[str, Anchor], Anchor]:
        def fn(path: str, anchor: Anchor) -> Anchor:
            done = outcomes.get((version_id, path))
            if done is None:
                return anchor
            if done.anchor is not None:
                return done.anchor
            assert archive_id is not None
            return anchor.model_copy(update={"source": archive_id})

        return fn

    versions = tuple(store.map_anchors(v, move(v.id)) for v in registry.versions)
    sources = [source if s.id == sid else s for s in registry.sources]
    texts = {**registry.texts, sid: new_text}
    files: dict[str, bytes] = {source.path: capture.text_bytes}
    if source.original:
        files[source.original] = capture.original
    if archive_id is not None and registry.source(archive_id) is None:
        old_text = registry.text(sid)
        old_bytes = old_text.encode("utf-8")
        archive_path = f"{store.SOURCES_DIR}/{archive_id}.txt"
        old_original = read(existing.original) if (read and existing.original) else None
        archive_original = None
        if old_original is not None and existing.original:
            archive_original = (
                f"{store.SOURCES_DIR}/{archive_id}.orig{Path(existing.original).suffix}"
            )
        _claim(
            registry,
            archive_id,
            [archive_path, store.source_file(archive_id)]
            + ([archive_original] if archive_original else []),
        )
        note = (
            f"Previous capture of source '{sid}', kept when it was recaptured because "
            f"{len(lost)} quote(s) could not be found in the new capture."
        )
        archived = _validated(
            Source,
            f"source {show(archive_id)}",
            **{
                **dict(existing),
                "id": archive_id,
                "path": archive_path,
                "sha256": store.sha256_bytes(old_bytes),
                "original": archive_original,
                "note": note,
            },
        )
        sources.append(archived)
        texts[archive_id] = old_text
        files[archive_path] = old_bytes
        if archive_original and old_original is not None:
            files[archive_original] = old_original
    new_registry = registry.model_copy(
        update={"sources": tuple(sources), "versions": versions, "texts": texts}
    )
    result = SourceResult(
        source=source,
        status=SourceStatus.RECAPTURED,
        anchors=tuple(reports),
        archived=archive_id,
    )
    lines = result.lines()
    if new_text != registry.text(sid):
        lines.extend(
            f"warning: source {show(sid)} is the full text of version {show(v.id)}, whose points "
            "keep the wording they were recorded with; if the plan's wording changed, record "
            "the new text as a new version ('plandiff version add --from-text')"
            for v in registry.versions
            if v.text_source == sid
        )
    return Change(new_registry, result, files, tuple(lines))


def add_sources(
    registry: Registry,
    captures: Sequence[tuple[Capture, str | None]],
    *,
    meta: SourceMeta | None = None,
    recapture: bool = False,
    force: bool = False,
    read: Callable[[str], bytes | None] | None = None,
) -> Change[tuple[SourceResult, ...]]:
    """:func:`add_source` for several captures (each with its id or None), all or nothing."""
    files: dict[str, bytes] = {}
    lines: list[str] = []
    results: list[SourceResult] = []
    changed = False
    for capture, source_id in captures:
        change = add_source(
            registry,
            capture,
            source_id=source_id,
            meta=meta,
            recapture=recapture,
            force=force,
            read=read,
        )
        registry = change.registry
        files.update(change.files)
        lines.extend(change.lines)
        results.append(change.result)
        changed = changed or change.changed
    return Change(registry, tuple(results), files, tuple(lines), changed=changed)


# --------------------------------------------------------------------------- versions


def _points_from_text(
    source_id: str, text: str, style: str | None = None
) -> tuple[tuple[Point, ...], list[str], str]:
    """Every point of a plan text, each anchored to its span in the stored text; ``points``
    forces the markers (``--points``)."""
    from plandiff.segment import points_option, segment

    seg = segment(text, points_option(style) if style is not None else None)
    if style is not None and not seg.points:
        raise PlandiffError(f"--points {show(style)} matches no line of the text")
    cut = seg.series.describe() if seg.series else "no points found"
    points = []
    for s in seg.points:
        start, end = s.body_start, s.body_end
        if end <= start:  # a marker with no body: the marker itself is the evidence
            start, end = s.start, s.end
            while start < end and text[start].isspace():
                start += 1
            while end > start and text[end - 1].isspace():
                end -= 1
        anchor = anchors.make_anchor(source_id, text, start, end)
        points.append(
            _validated(
                Point,
                f"point {s.index}",
                key=f"p{s.index}",
                number=s.number,
                text=text[start:end],
                evidence=(anchor,),
            )
        )
    warnings = [w.message for w in seg.warnings if w.kind != "no-points"]
    return tuple(points), warnings, cut


def add_version(
    registry: Registry,
    version_id: str,
    *,
    title: str,
    declared_points: int | None = None,
    date: dt.date | None = None,
    derived_from: str | None = None,
    issuer: Sequence[str] = (),
    parties: Sequence[str] = (),
    note: str | None = None,
    text: Capture | None = None,
    text_source_id: str | None = None,
    points: str | None = None,
) -> Change[PlanVersion]:
    """A new version: partial and empty, or full from a plan text that becomes its source."""
    check_ident(version_id, "version id")
    if registry.version(version_id) is not None:
        raise PlandiffError(
            f"version {show(version_id)} already exists ({store.version_file(version_id)})"
        )
    if derived_from is not None:
        _version(registry, derived_from)
    fields: dict[str, Any] = {
        "id": version_id,
        "title": title,
        "declared_points": declared_points,
        "date": date,
        "derived_from": derived_from,
        "issuer": tuple(issuer),
        "parties": tuple(parties),
        "note": note,
        "completeness": Completeness.PARTIAL,
    }
    files: Mapping[str, bytes] = {}
    lines: list[str] = []
    if text is not None:
        sid = check_ident(text_source_id or default_source_id(text.name), "source id")
        existing = registry.source(sid)
        if existing is None:
            if text.title is None:
                text = replace(text, title=title)
            added = add_source(registry, text, source_id=sid)
            registry, files = added.registry, added.files
            lines.extend(added.lines)
        elif registry.text(sid) == text.text:
            lines.append(f"using source {show(sid)}, which has this text already")
        else:
            raise PlandiffError(
                f"source {show(sid)} already exists with a different text; give this plan text "
                "its own id with --source-id, or replace that source first with "
                f"'plandiff source add FILE --id {sid} --recapture'"
            )
        found, warnings, _ = _points_from_text(sid, registry.text(sid), points)
        if not found:
            raise PlandiffError(
                f"no numbered or bulleted points found in {show(text.name)}; record a partial "
                "version without --from-text and add its points with 'plandiff point add'"
            )
        fields.update(completeness=Completeness.FULL, text_source=sid, points=found)
        lines.extend(f"warning: {show(text.name)}: {w}" for w in warnings)
    version = _validated(PlanVersion, f"version {show(version_id)}", **fields)
    kind = f"full, {len(version.points)} point(s)" if text is not None else "partial, no points yet"
    lines.append(f"added version {show(version_id)} ({kind})")
    return Change(_with_version(registry, version), version, files, tuple(lines))


# --------------------------------------------------------------------------- points


def _insert_point(points: tuple[Point, ...], point: Point) -> tuple[Point, ...]:
    """Append, or insert before the first point with a higher number (version order)."""
    if point.number is not None:
        for i, p in enumerate(points):
            if p.number is not None and p.number > point.number:
                return (*points[:i], point, *points[i:])
    return (*points, point)


def add_point(
    registry: Registry,
    version_id: str,
    *,
    quotes: Sequence[QuoteRef],
    summary: str | None = None,
    text: str | None = None,
    number: int | None = None,
    topics: Sequence[str] = (),
    key: str | None = None,
) -> Change[Point]:
    """A new point in a version, each quote anchored in its source."""
    version = _version(registry, version_id)
    if not quotes:
        raise PlandiffError("a point needs evidence: give at least one --quote with its --source")
    summary, text = (summary or None), (text or None)
    if not (summary or text):
        raise PlandiffError(
            "a point needs --summary (what reporting says it contains) or --text (its verbatim "
            "wording)"
        )
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    taken = [p.key for p in version.points]
    if key is not None:
        check_ident(key, "point key")
        if key in taken:
            raise PlandiffError(
                f"point {show(version_id + ':' + key)} already exists; choose another --key, or "
                "change it with 'plandiff point edit'"
            )
    else:
        key = unique_key(slug(summary or text or quotes[0].quote), taken)
    point = _validated(
        Point,
        f"point {show(key)}",
        key=key,
        number=number,
        text=text,
        summary=summary,
        topics=tuple(t for t in topics if t),
        evidence=evidence,
    )
    new_version = _updated(
        version, f"version {show(version_id)}", points=_insert_point(version.points, point)
    )
    line = f"added point {version_id}:{key} with {len(evidence)} quote(s)"
    return Change(_with_version(registry, new_version), point, {}, (line,))


def _users(registry: Registry, version: PlanVersion, key: str) -> list[tuple[PlanVersion, int]]:
    """Relations that use a point: in its own version (new side) and derived ones (old side)."""
    found = [(version, i) for i, r in enumerate(version.relations) if key in r.new]
    for v in registry.versions:
        if v.derived_from == version.id:
            found.extend((v, i) for i, r in enumerate(v.relations) if key in r.old)
    return found


def describe_relation(version: PlanVersion, relation: Relation) -> str:
    """``merged us-28:a,b → geneva-19:c`` for a relation recorded on ``version``."""
    old = f"{version.derived_from}:{','.join(relation.old)}"
    new = f"{version.id}:{','.join(relation.new)}" if relation.new else version.id
    return f"{relation.kind.value} {old} → {new}"


def _relate_command(version: PlanVersion, relation: Relation) -> str:
    old = f"{version.derived_from}:{','.join(relation.old)}"
    new = f"{version.id}:{','.join(relation.new)}" if relation.new else version.id
    return f"plandiff relate {old} {new} --remove"


def edit_point(
    registry: Registry,
    version_id: str,
    key: str,
    *,
    summary: str | None = KEEP,
    text: str | None = KEEP,
    number: int | None = KEEP,
    topics: Sequence[str] | None = None,
    new_key: str | None = None,
    add_quotes: Sequence[QuoteRef] = (),
    drop_evidence: Sequence[int] = (),
) -> Change[Point]:
    """Correct a point: fields given replace the old ones ('' clears a text field), quotes are
    added, evidence is dropped by its 1-based number; a new key is followed by relations."""
    version = _version(registry, version_id)
    point = _point(version, key)
    evidence = list(point.evidence)
    for n in sorted(set(drop_evidence), reverse=True):
        if not 1 <= n <= len(point.evidence):
            raise PlandiffError(
                f"point {show(version_id + ':' + key)} has {len(point.evidence)} quote(s); "
                f"there is no quote {n} to drop"
            )
        del evidence[n - 1]
    evidence.extend(anchor_quote(registry, q) for q in add_quotes)
    if not evidence:
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} would have no evidence left; add a --quote "
            "with its --source, or remove the point"
        )
    changes: dict[str, Any] = {"evidence": tuple(evidence)}
    if summary is not KEEP:
        changes["summary"] = summary or None
    if text is not KEEP:
        changes["text"] = text or None
    if number is not KEEP:
        changes["number"] = number
    if topics is not None:
        changes["topics"] = tuple(t for t in topics if t)
    target = key
    if new_key is not None and new_key != key:
        check_ident(new_key, "point key")
        if version.point(new_key) is not None:
            raise PlandiffError(f"point {show(version_id + ':' + new_key)} already exists")
        changes["key"] = target = new_key
    if not (changes.get("text", point.text) or changes.get("summary", point.summary)):
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} needs its text or a summary; "
            "keep one of --summary and --text"
        )
    edited = _updated(point, f"point {show(key)}", **changes)
    if edited == point:
        line = f"unchanged: point {version_id}:{key}"
        return Change(registry, point, {}, (line,), changed=False)
    points = tuple(edited if p.key == key else p for p in version.points)
    if "number" in changes and edited.number != point.number:
        points = _insert_point(tuple(p for p in points if p.key != target), edited)
    relations = version.relations
    if target != key:
        relations = tuple(
            r.model_copy(update={"new": tuple(target if k == key else k for k in r.new)})
            for r in relations
        )
    new_version = _updated(
        version, f"version {show(version_id)}", points=points, relations=relations
    )
    registry = _with_version(registry, new_version)
    if target != key:
        for v in registry.versions:
            if v.derived_from == version_id and any(key in r.old for r in v.relations):
                renamed = tuple(
                    r.model_copy(update={"old": tuple(target if k == key else k for k in r.old)})
                    for r in v.relations
                )
                registry = _with_version(registry, v.model_copy(update={"relations": renamed}))
    what = ", ".join(
        name for name in Point.model_fields if getattr(edited, name) != getattr(point, name)
    )
    line = f"edited point {version_id}:{target} ({what})"
    return Change(registry, edited, {}, (line,))


def remove_point(registry: Registry, version_id: str, key: str) -> Change[Point]:
    """Remove a point no relation uses."""
    version = _version(registry, version_id)
    point = _point(version, key)
    users = _users(registry, version, key)
    if users:
        holder, i = users[0]
        relation = holder.relations[i]
        more = f" (and {len(users) - 1} more)" if len(users) > 1 else ""
        raise PlandiffError(
            f"point {show(version_id + ':' + key)} is used by the relation "
            f"{describe_relation(holder, relation)} ({store.version_file(holder.id)} "
            f"relations[{i}]){more}; remove that first with '{_relate_command(holder, relation)}'"
        )
    points = tuple(p for p in version.points if p.key != key)
    new_version = _updated(version, f"version {show(version_id)}", points=points)
    line = f"removed point {version_id}:{key}"
    return Change(_with_version(registry, new_version), point, {}, (line,))


# --------------------------------------------------------------------------- relations


def parse_relation_args(args: Sequence[str]) -> RelationArgs:
    """``us-28:a us-28:b geneva-19:c`` or ``us-28:a,b geneva-19:c`` → old and new points.

    The arguments name points as ``VERSION:KEY`` (several keys of one version as
    ``VERSION:KEY,KEY``); the old version's points come first, then the new version's. A bare
    ``VERSION`` names the new version of a ``dropped`` relation, which has no new point.
    """
    groups: list[tuple[str, list[str]]] = []
    for arg in args:
        version, _, keys = arg.partition(":")
        version = version.strip()
        if not version:
            raise PlandiffError(f"{show(arg)}: expected VERSION:POINT (e.g. us-28:territory)")
        names = [k.strip() for k in keys.split(",") if k.strip()] if keys else []
        if groups and groups[-1][0] == version:
            groups[-1][1].extend(names)
        elif any(g[0] == version for g in groups):
            raise PlandiffError(
                f"points of version {show(version)} are given apart; list the old version's "
                "points first, then the new version's"
            )
        else:
            groups.append((version, names))
    if len(groups) != 2:
        raise PlandiffError(
            "a relation links points of two versions: give OLD_VERSION:POINT... then "
            "NEW_VERSION:POINT... (a bare NEW_VERSION for 'dropped'), "
            f"not {len(groups)} version(s)"
        )
    (old_version, old), (new_version, new) = groups
    if not old:
        raise PlandiffError(
            f"name the old point(s) of version {show(old_version)}, e.g. {old_version}:KEY"
        )
    for version, keys in groups:
        for k in keys:
            check_ident(k, f"point key (in version {show(version)})")
    return RelationArgs(old_version, tuple(old), new_version, tuple(new))


_ARITY = {
    RelationKind.REWORDED: "one old point and one new point, e.g. us-28:a geneva-19:b",
    RelationKind.MERGED: "two or more old points and one new point, e.g. us-28:a,b geneva-19:c",
    RelationKind.SPLIT: "one old point and two or more new points, e.g. us-28:a geneva-19:b,c",
    RelationKind.DROPPED: "old points and the new version without a point, e.g. us-28:a geneva-19",
}


def _versions_of(registry: Registry, args: RelationArgs) -> tuple[PlanVersion, PlanVersion]:
    old = _version(registry, args.old_version)
    new = _version(registry, args.new_version)
    if new.derived_from != old.id:
        if old.derived_from == new.id:
            raise PlandiffError(
                f"version {show(old.id)} derives from {show(new.id)}: give the older "
                f"version's points first ({new.id}:… {old.id}:…)"
            )
        parent = f"from {show(new.derived_from)}" if new.derived_from else "from no version"
        raise PlandiffError(
            f"version {show(new.id)} does not derive from {show(old.id)} (it derives {parent}); "
            "a relation links a version to the one it was derived from "
            "(see 'plandiff version add --derived-from')"
        )
    return old, new


def relate(
    registry: Registry,
    args: RelationArgs,
    kind: RelationKind,
    *,
    quotes: Sequence[QuoteRef],
    note: str | None = None,
) -> Change[Relation]:
    """A curated relation between points of a version and of the version it derives from."""
    old_version, new_version = _versions_of(registry, args)
    n_old, n_new = len(args.old), len(args.new)
    fits = {
        RelationKind.REWORDED: n_old == 1 and n_new == 1,
        RelationKind.MERGED: n_old >= 2 and n_new == 1,
        RelationKind.SPLIT: n_old == 1 and n_new >= 2,
        RelationKind.DROPPED: n_old >= 1 and n_new == 0,
    }[kind]
    if not fits:
        raise PlandiffError(f"'{kind.value}' takes {_ARITY[kind]}; got {n_old} old → {n_new} new")
    for version, keys in ((old_version, args.old), (new_version, args.new)):
        for key in keys:
            if version.point(key) is None:
                raise NotFoundError(
                    "point",
                    f"{version.id}:{key}",
                    [f"{version.id}:{p.key}" for p in version.points],
                )
        if len(set(keys)) != len(keys):
            raise PlandiffError(f"a point of version {show(version.id)} is named twice")
    for i, r in enumerate(new_version.relations):
        clash = [f"{old_version.id}:{k}" for k in args.old if k in r.old]
        clash += [f"{new_version.id}:{k}" for k in args.new if k in r.new]
        if clash:
            raise PlandiffError(
                f"{', '.join(clash)} already in the relation {describe_relation(new_version, r)} "
                f"({store.version_file(new_version.id)} relations[{i}]); remove it first with "
                f"'{_relate_command(new_version, r)}'"
            )
    if not quotes:
        raise PlandiffError(
            "a relation needs evidence: give at least one --quote with its --source"
        )
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    relation = _validated(
        Relation,
        "relation",
        kind=kind,
        old=args.old,
        new=args.new,
        evidence=evidence,
        note=note or None,
    )
    new_version = _updated(
        new_version, f"version {show(new_version.id)}", relations=(*new_version.relations, relation)
    )
    line = f"related {describe_relation(new_version, relation)}"
    return Change(_with_version(registry, new_version), relation, {}, (line,))


def unrelate(
    registry: Registry, args: RelationArgs, kind: RelationKind | None = None
) -> Change[Relation]:
    """Remove the one relation that involves all the given points (and is of ``kind``)."""
    _, new_version = _versions_of(registry, args)
    matches = [
        (i, r)
        for i, r in enumerate(new_version.relations)
        if set(args.old) <= set(r.old)
        and set(args.new) <= set(r.new)
        and (kind is None or r.kind is kind)
    ]
    if not matches:
        known = "; ".join(describe_relation(new_version, r) for r in new_version.relations)
        raise PlandiffError(
            f"no relation of version {show(new_version.id)} links these points"
            + (f" (it has: {known})" if known else " (it has none)")
        )
    if len(matches) > 1:
        listed = "; ".join(describe_relation(new_version, r) for _, r in matches)
        raise PlandiffError(f"several relations match ({listed}); name more of their points")
    i, relation = matches[0]
    relations = tuple(r for j, r in enumerate(new_version.relations) if j != i)
    new_version = _updated(new_version, f"version {show(new_version.id)}", relations=relations)
    line = f"removed relation {describe_relation(new_version, relation)}"
    return Change(_with_version(registry, new_version), relation, {}, (line,))


# --------------------------------------------------------------------------- events


def add_event(
    registry: Registry,
    version_id: str,
    *,
    date: dt.date,
    what: str,
    quotes: Sequence[QuoteRef],
) -> Change[Event]:
    """A dated event in a version's life, with the quotes that report it; kept in date order."""
    version = _version(registry, version_id)
    if not what.strip():
        raise PlandiffError("--what: say what happened")
    if not quotes:
        raise PlandiffError("an event needs evidence: give at least one --quote with its --source")
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    event = _validated(Event, "event", date=date, what=what, evidence=evidence)
    events = sorted((*version.events, event), key=lambda e: e.date)  # stable: same day keeps order
    new_version = _updated(version, f"version {show(version_id)}", events=tuple(events))
    line = f"added event {date.isoformat()} to version {version_id}"
    return Change(_with_version(registry, new_version), event, {}, (line,))
