"""Reading an archive back into a registry: every value checked, every problem with its line.

:func:`read_archive` parses (:mod:`.parsing`), validates against the XSD, checks the digest,
then turns elements into validated models, checks each file's size and hash and where it goes
(:mod:`.paths`), and runs the registry's own cross-checks.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from lxml import etree
from pydantic import ValidationError

from plandiff import store
from plandiff.crosscheck import cross_check
from plandiff.errors import show
from plandiff.models import PlanVersion, Registry, Source, text_key
from plandiff.xmlarchive.parsing import parse
from plandiff.xmlarchive.paths import path_problems
from plandiff.xmlarchive.problems import ArchiveProblem, ArchiveProblems, fail
from plandiff.xmlarchive.schema import BASE64, NAMESPACE, c14n_digest, q, validate
from plandiff.xmlarchive.writing import cross_check_names


@dataclass(frozen=True)
class Archive:
    """A read archive: the registry, its files and the document's own facts.

    ``files`` are the bytes to write beside the registry's own files, by relative path: the
    source texts and the original captures. ``warnings`` are what the archive could not give
    back although it imports: the original capture of a source in an archive written before
    captures were kept (its path is kept, its file is not there).
    """

    registry: Registry
    files: dict[str, bytes]
    created: dt.datetime
    digest: str
    generator: str
    warnings: tuple[ArchiveProblem, ...] = ()


def import_archive(data: bytes) -> tuple[Registry, dict[str, bytes]]:
    """The registry in an archive, and its files' bytes (texts, original captures) by path.

    Raises :class:`ArchiveProblems` (an :class:`~plandiff.errors.ArchiveError`) listing every
    problem with its line: malformed or hostile XML, schema violations, a digest or hash that
    does not match, a path that escapes the registry, an anchor that does not hold.
    :func:`read_archive` also gives the warnings (an original capture the archive lacks).
    """
    archive = read_archive(data)
    return archive.registry, archive.files


def read_archive(data: bytes) -> Archive:
    """Like :func:`import_archive`, with the archive's creation time, digest and generator."""
    root = parse(data)
    if root.tag != q("archive"):
        qname = etree.QName(root)
        if qname.localname == "archive" and (qname.namespace or "").startswith("urn:plandiff:"):
            why = (
                f"unsupported archive format {show(qname.namespace)} "
                f"(this plandiff reads {NAMESPACE})"
            )
        else:
            why = (
                f"not a plandiff archive: the root element is {show(root.tag)}, "
                f"expected {show(q('archive'))}"
            )
        raise fail(root.sourceline, why)
    invalid = validate(root)
    if invalid:
        raise ArchiveProblems(invalid)
    return _Reader().archive(root)


class _Skip(Exception):
    """A value could not be read; its problem is recorded already."""


class _Reader:
    """Turns a schema-valid archive into models, collecting every problem with its line."""

    def __init__(self) -> None:
        self.problems: list[ArchiveProblem] = []
        self.warnings: list[ArchiveProblem] = []

    def problem(self, el: etree._Element, message: str) -> None:
        self.problems.append(ArchiveProblem(el.sourceline, message))

    # values ------------------------------------------------------------------------------

    def value(self, el: etree._Element) -> str:
        text = el.text or ""
        if _token(el, "encoding") != BASE64:
            return text
        try:
            return base64.b64decode(text, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError) as exc:
            self.problem(el, f"{etree.QName(el).localname}: bad base64 content ({exc})")
            raise _Skip from None

    def date(self, el: etree._Element, attr: str) -> str | None:
        raw = _token(el, attr)
        if raw is None:
            return None
        try:
            return dt.date.fromisoformat(raw).isoformat()
        except ValueError:
            self.problem(el, f"{attr}: {show(raw)} is not a date plandiff can read")
            raise _Skip from None

    def integer(self, el: etree._Element, attr: str) -> int | None:
        raw = _token(el, attr)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:  # more digits than Python converts
            self.problem(el, f"{attr}: {show(raw, 40)} is not a number plandiff can read")
            raise _Skip from None

    # document ----------------------------------------------------------------------------

    def archive(self, root: etree._Element) -> Archive:
        generator_el, created_el, digest_el, registry_el = list(root)
        recorded = digest_el.text or ""
        actual = c14n_digest(registry_el)
        if recorded != actual:
            self.problem(
                digest_el,
                f"digest {recorded} does not match the registry's contents ({actual}): "
                "the archive was altered or damaged",
            )
        try:
            created = dt.datetime.fromisoformat((created_el.text or "").strip())
        except ValueError:  # valid for XSD, not for Python, e.g. 24:00:00
            self.problem(
                created_el, f"created: {show(created_el.text)} is not a time plandiff can read"
            )
            created = dt.datetime.min.replace(tzinfo=dt.UTC)
        sources_el, versions_el = list(registry_el)
        sources: list[Source] = []
        texts: dict[str, str] = {}
        files: dict[str, bytes] = {}
        captures: dict[str, bytes] = {}
        for el in sources_el:
            read = self.source(el)
            if read is not None:
                source, data, text, capture = read
                sources.append(source)
                files[source.path] = data
                if text is not None:
                    texts[source.id] = text
                if capture is not None and source.original is not None:
                    files[source.original] = capture
                    captures[source.id] = capture
                earlier = self.earlier_captures(el, source)
                if earlier is not None:
                    files.update(earlier[0])
                    texts.update(earlier[1])
        self.problems += path_problems(sources_el, sources, captures)
        versions: list[PlanVersion] = []
        lines: dict[str, dict[str, int | None]] = {}
        for el in versions_el:
            read_version = self.version(el)
            if read_version is not None:
                versions.append(read_version[0])
                lines[read_version[0].id] = read_version[1]
        if self.problems:
            raise ArchiveProblems(self.problems)
        registry = Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)
        names = cross_check_names(registry)
        version_of = {name: key.split(":", 1)[1] for key, name in names.items()}
        for p in cross_check(registry, names):
            table = lines.get(version_of.get(p.file, ""), {})
            self.problems.append(ArchiveProblem(_lookup(table, p.field), str(p)))
        if self.problems:
            raise ArchiveProblems(self.problems)
        return Archive(
            registry=registry,
            files=files,
            created=created,
            digest=actual,
            generator=f"{generator_el.get('name')} {generator_el.get('version')}",
            warnings=tuple(self.warnings),
        )

    def source(self, el: etree._Element) -> tuple[Source, bytes, str | None, bytes | None] | None:
        """The source, its text file's bytes, its decoded text and its capture's bytes.

        The text is None when it is unusable, the capture when the archive has none or it is
        unusable; each problem is recorded.
        """
        sid = el.get("id", "")
        fields: dict[str, Any] = {"id": sid, "sha256": el.get("sha256")}
        text_el: etree._Element | None = None
        capture_el: etree._Element | None = None
        if (attribution := el.get("attribution")) is not None:
            fields["attribution"] = attribution
        try:
            fields["published"] = self.date(el, "published")
            if (retrieved := self.date(el, "retrieved")) is not None:
                fields["retrieved"] = retrieved
            for child in el:
                name = etree.QName(child).localname
                if name == "text":
                    text_el = child
                elif name == "capture":
                    capture_el = child
                elif name == "earlier-capture":
                    fields.setdefault("captures", []).append(self.earlier_fields(child))
                else:
                    fields[name] = self.value(child)
        except _Skip:
            return None
        assert text_el is not None  # the schema requires it
        try:
            source = Source.model_validate(fields)
        except ValidationError as exc:
            for message in _validation_messages(exc):
                self.problem(el, f"source {show(sid)}: {message}")
            return None
        data = self.file_bytes(text_el, source)
        if data is None:
            return None
        capture = self.capture(el, capture_el, source)
        where = f"source {show(sid)}"
        cap = store.max_source_bytes()
        if len(data) > cap:
            self.problem(text_el, f"{where}: text has {len(data)} bytes, over the limit of {cap}")
            return source, data, None, capture
        digest = store.sha256_bytes(data)
        if digest != source.sha256:
            self.problem(
                text_el,
                f"{where}: text has sha256 {digest}, but the archive records {source.sha256}",
            )
            return source, data, None, capture
        try:
            text = store.decode_text(data)
        except ValueError as exc:
            self.problem(text_el, f"{where}: text is {exc}")
            return source, data, None, capture
        if not text:
            self.problem(text_el, f"{where}: text is empty")  # as the store refuses it
            return source, data, None, capture
        return source, data, text, capture

    def earlier_fields(self, el: etree._Element) -> dict[str, Any]:
        """The fields of an ``<earlier-capture>`` (its bytes are read once the source is valid)."""
        fields: dict[str, Any] = {"sha256": el.get("sha256")}
        if (retrieved := self.date(el, "retrieved")) is not None:
            fields["retrieved"] = retrieved
        for child in el:
            name = etree.QName(child).localname
            if name in ("path", "original"):
                fields[name] = self.value(child)
        return fields

    def earlier_captures(
        self, source_el: etree._Element, source: Source
    ) -> tuple[dict[str, bytes], dict[str, str]] | None:
        """The files (by path) and texts (by :func:`text_key`) of a source's earlier captures,
        each checked like the source's own text and original; None after a problem."""
        files: dict[str, bytes] = {}
        texts: dict[str, str] = {}
        elements = source_el.findall(q("earlier-capture"))
        ok = True
        for number, (c, el) in enumerate(zip(source.captures, elements, strict=True), start=1):
            where = f"source {show(source.id)}: earlier capture {number}"
            as_source = source.model_copy(update={"sha256": c.sha256, "original": c.original})
            text_el, capture_el = el.find(q("text")), el.find(q("capture"))
            assert text_el is not None  # the schema requires it
            data = self.file_bytes(text_el, as_source)
            if data is None:
                ok = False
                continue
            cap = store.max_source_bytes()
            digest = store.sha256_bytes(data)
            why = None
            if len(data) > cap:
                why = f"text has {len(data)} bytes, over the limit of {cap}"
            elif digest != c.sha256:
                why = f"text has sha256 {digest}, but the archive records {c.sha256}"
            else:
                try:
                    texts[text_key(source.id, number)] = store.decode_text(data)
                except ValueError as exc:
                    why = f"text is {exc}"
            if why is not None:
                self.problem(text_el, f"{where}: {why}")
                ok = False
                continue
            files[c.path] = data
            original = self.capture(el, capture_el, as_source)
            if original is not None and c.original is not None:
                files[c.original] = original
        return (files, texts) if ok else None

    def capture(
        self, source_el: etree._Element, el: etree._Element | None, source: Source
    ) -> bytes | None:
        """The original capture's bytes, checked against their size limit and hash."""
        where = f"source {show(source.id)}"
        if el is None:
            if source.original is not None:
                # Written before archives kept captures: import what there is, and say so.
                original_el = source_el.find(q("original"))
                self.warnings.append(
                    ArchiveProblem(
                        (original_el if original_el is not None else source_el).sourceline,
                        f"{where}: original capture {show(source.original)} is not in the "
                        "archive (written by an older plandiff); its path is kept, and "
                        "'plandiff verify' reports it missing until the file is put there",
                    )
                )
            return None
        if source.original is None:
            self.problem(el, f"{where}: capture without an <original> path to write it to")
            return None
        data = self.file_bytes(el, source)
        if data is None:
            return None
        cap = store.max_source_bytes()
        if len(data) > cap:
            self.problem(el, f"{where}: capture has {len(data)} bytes, over the limit of {cap}")
            return None
        recorded = _token(el, "sha256")
        digest = store.sha256_bytes(data)
        if digest != recorded:
            self.problem(
                el, f"{where}: capture has sha256 {digest}, but the archive records {recorded}"
            )
            return None
        return data

    def file_bytes(self, el: etree._Element, source: Source) -> bytes | None:
        """The bytes of a ``<text>`` or ``<capture>``: its parts joined, or base64-decoded."""
        parts = [part.text or "" for part in el]
        if _token(el, "encoding") != BASE64:
            return "".join(parts).encode("utf-8")
        try:
            return b"".join(base64.b64decode(part, validate=True) for part in parts)
        except binascii.Error as exc:
            name = etree.QName(el).localname
            self.problem(el, f"source {show(source.id)}: {name}: bad base64 content ({exc})")
            return None

    def anchor(self, el: etree._Element) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "source": el.get("source"),
            "start": self.integer(el, "start"),
            "end": self.integer(el, "end"),
        }
        if (stance := el.get("stance")) is not None:
            fields["stance"] = stance
        if (capture := self.integer(el, "capture")) is not None:
            fields["capture"] = capture
        for child in el:
            fields[etree.QName(child).localname] = self.value(child)
        return fields

    def version(self, el: etree._Element) -> tuple[PlanVersion, dict[str, int | None]] | None:
        vid = el.get("id", "")
        lines: dict[str, int | None] = {"": el.sourceline}
        fields: dict[str, Any] = {
            "id": vid,
            "completeness": _token(el, "completeness"),
            "derived_from": el.get("derived-from"),
            "text_source": el.get("text-source"),
        }
        names = ("issuer", "parties", "evidence", "statements", "events", "points", "relations")
        lists: dict[str, list[Any]] = {name: [] for name in names}

        def add(field: str, value: Any, child: etree._Element) -> None:
            lines[f"{field}[{len(lists[field])}]"] = child.sourceline
            lists[field].append(value)

        ok = True
        try:
            fields["date"] = self.date(el, "date")
            fields["declared_points"] = self.integer(el, "declared-points")
        except _Skip:
            ok = False
        for child in el:
            name = etree.QName(child).localname
            try:
                if name in ("title", "note"):
                    fields[name] = self.value(child)
                elif name == "issuer":
                    add("issuer", self.value(child), child)
                elif name == "party":
                    add("parties", self.value(child), child)
                elif name == "anchor":
                    add("evidence", self.anchor(child), child)
                elif name == "statement":
                    add("statements", self.statement(child, lines, len(lists["statements"])), child)
                elif name == "event":
                    add("events", self.event(child, lines, len(lists["events"])), child)
                elif name == "point":
                    add("points", self.point(child, lines, len(lists["points"])), child)
                elif name == "relation":
                    add("relations", self.relation(child, lines, len(lists["relations"])), child)
            except _Skip:
                ok = False
        if not ok:
            return None
        fields.update(lists)
        try:
            return PlanVersion.model_validate(fields), lines
        except ValidationError as exc:
            for err in exc.errors(include_url=False):
                path = _loc(err["loc"])
                self.problems.append(
                    ArchiveProblem(
                        _lookup(lines, path),
                        f"version {show(vid)}: {path}: {_validation_message(err)}",
                    )
                )
            return None

    def _evidence(self, el: etree._Element, lines: dict[str, int | None], prefix: str) -> list[Any]:
        out: list[dict[str, Any]] = []
        for child in el.iterchildren(q("anchor")):
            lines[f"{prefix}.evidence[{len(out)}]"] = child.sourceline
            out.append(self.anchor(child))
        return out

    def statement(self, el: etree._Element, lines: dict[str, int | None], i: int) -> dict[str, Any]:
        return {
            "text": self.value(_required(el, "text")),
            "evidence": self._evidence(el, lines, f"statements[{i}]"),
        }

    def event(self, el: etree._Element, lines: dict[str, int | None], i: int) -> dict[str, Any]:
        return {
            "date": self.date(el, "date"),
            "what": self.value(_required(el, "what")),
            "evidence": self._evidence(el, lines, f"events[{i}]"),
        }

    def point(self, el: etree._Element, lines: dict[str, int | None], i: int) -> dict[str, Any]:
        fields: dict[str, Any] = {"key": el.get("key"), "number": self.integer(el, "number")}
        for name in ("text", "summary"):
            child = el.find(q(name))
            if child is not None:
                fields[name] = self.value(child)
        fields["topics"] = [self.value(t) for t in el.iterchildren(q("topic"))]
        fields["evidence"] = self._evidence(el, lines, f"points[{i}]")
        status = _token(el, "status")
        if status is not None:  # archives written before points had a status have none
            fields["status"] = status
        return fields

    def relation(self, el: etree._Element, lines: dict[str, int | None], i: int) -> dict[str, Any]:
        note = el.find(q("note"))
        return {
            "kind": _token(el, "kind"),
            "old": [o.get("point") for o in el.iterchildren(q("old"))],
            "new": [n.get("point") for n in el.iterchildren(q("new"))],
            "evidence": self._evidence(el, lines, f"relations[{i}]"),
            "note": None if note is None else self.value(note),
            **self._deferral(el),
        }

    def _deferral(self, el: etree._Element) -> dict[str, Any]:
        """A deferred relation's decider and occasion, where the archive has them (archives
        written before they existed have neither, and the fields stay unset)."""
        fields: dict[str, Any] = {}
        for tag, name in (("decidedBy", "decided_by"), ("decideAt", "decide_at")):
            found = el.find(q(tag))
            if found is not None:
                fields[name] = self.value(found)
        return fields


def _token(el: etree._Element, attr: str) -> str | None:
    """An attribute as the schema reads it: token, number and date types ignore outer spaces."""
    raw = el.get(attr)
    return None if raw is None else raw.strip(" \t\n\r")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lookup(lines: Mapping[str, int | None], path: str) -> int | None:
    """The line of the innermost recorded element on a field path like points[2].evidence[0]."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        cut = max(path.rfind("."), path.rfind("["))
        path = path[: max(cut, 0)]


def _validation_message(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "required field is missing"
    message = str(err["msg"])
    if "input" in err and not isinstance(err["input"], dict | list):
        message += f" (got {show(err['input'], 40)})"
    return message


def _validation_messages(exc: ValidationError) -> list[str]:
    return [f"{_loc(e['loc'])}: {_validation_message(e)}" for e in exc.errors(include_url=False)]


def _required(el: etree._Element, tag: str) -> etree._Element:
    """A child the schema requires (the document was validated before it is read)."""
    child = el.find(q(tag))
    assert child is not None, tag
    return child
