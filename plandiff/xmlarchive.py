"""XML archive of a whole registry, and XML diff documents, valid against one XSD.

An archive is one self-contained file (``schemas/plandiff-archive.xsd``, target namespace
:data:`NAMESPACE`) holding every source with the exact bytes of its text and of its original
capture (the HTML page or UTF-16 file the text was extracted from), every plan version and every
evidence anchor, so that a standard XML toolchain can validate it and plandiff can restore the
registry from it without losing a byte. The format decisions, in short (the XSD's opening
comment has the full text):

* **Canonical.** Sources and versions are sorted by id, everything inside a version keeps its
  recorded order, indentation is fixed and the creation time can be given, so the same registry
  always gives the same bytes: export → import → export is byte-identical.
* **Lossless text.** Free text is element content (``xs:string`` keeps whitespace); CR is written
  as ``&#13;`` so that a parser's line-ending normalisation cannot turn CRLF into LF; a value
  with a character XML 1.0 cannot carry (ESC, NUL, U+FFFE …) is written as base64 of its UTF-8
  bytes with ``encoding="base64"``, chosen per value. A source text is written as its file's
  bytes: characters when they are UTF-8 without such characters, else base64.
* **Original captures.** A source that names an ``original`` file carries its bytes in
  ``<capture sha256="…">`` after ``<text>``, written by the same rule as the text. Export needs
  those bytes (``originals=``) and refuses to leave one out; import checks the hash and the path
  and writes the file with the rest. An archive from before captures were kept (an
  ``<original>`` path, no ``<capture>``) still imports: the path is kept and
  :attr:`Archive.warnings` says the file is not there.
* **Safe to print.** Characters XML allows but a terminal may act on (DEL, C1 controls, bidi
  controls) are written as character references (``&#x9B;``), as the JSON output escapes them.
* **Digest.** ``<digest>`` is the SHA-256 of the Exclusive XML Canonicalization 1.0 (without
  comments) of the ``<registry>`` element: all sources, texts, captures and versions, but
  neither the generator nor the creation time.

Reading is hardened, because an archive may come from anyone: the document must be UTF-8 and
at most :func:`max_archive_bytes` long; any DOCTYPE is refused before parsing (so no entity,
internal or external, and no DTD is ever loaded); the parser resolves no entities, loads no DTD
and uses no network; elements may nest :data:`MAX_DEPTH` deep and a text node may hold
:data:`MAX_TEXT_CHARS` characters. Then the document is validated against the XSD, its digest
checked, and the registry's own cross-checks run (text and capture hashes, paths, anchors
resolving to their quotes). Every failure is an :class:`~plandiff.errors.ArchiveError`; when a
document has several problems they are all reported, each with its line number
(:class:`ArchiveProblems`).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import datetime as dt
import functools
import hashlib
import os
import re
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree
from pydantic import ValidationError

from plandiff import store
from plandiff.errors import ArchiveError, env_limit, show
from plandiff.models import Anchor, PlanVersion, Registry, Source
from plandiff.result import (
    DiffResult,
    EvidenceRef,
    PointRef,
    Redline,
    Substantive,
    VersionSummary,
)
from plandiff.xmlcommon import NOT_XML_CHAR, safe_parser, to_bytes, xsd_datetime, xsd_double

#: Target namespace of the archive schema; an incompatible format gets a new number.
NAMESPACE = "urn:plandiff:archive:1"
SCHEMA_NAME = "plandiff-archive.xsd"
GENERATOR = "plandiff"
DIGEST_ALGORITHM = "sha256"
C14N_EXCLUSIVE = "http://www.w3.org/2001/10/xml-exc-c14n#"

#: Largest archive read, in bytes; PLANDIFF_MAX_ARCHIVE_BYTES overrides it. A source's text and
#: its original capture are each limited by the store (20 MiB), so this leaves room for several
#: large sources.
MAX_ARCHIVE_BYTES = 256 * 1024 * 1024
#: Largest text node, in characters, written or read. Source texts are split into parts of at
#: most this size; any other value longer than this is refused. (libxml2 itself stops at 10 MB
#: per text node when, as here, its "huge tree" option is off.)
MAX_TEXT_CHARS = 1024 * 1024
#: Deepest element nesting read (a valid archive needs 7 levels; libxml2 stops at 256).
MAX_DEPTH = 16
#: No element of the format has more than a handful of attributes.
MAX_ATTRIBUTES = 32
#: Name of the file ``plandiff import`` leaves in a restored registry (see :func:`stamp_bytes`).
STAMP_NAME = store.STAMP_NAME

_BASE64 = "base64"
#: Raw bytes per base64 part: a multiple of 3 (so each part decodes on its own) whose base64
#: is exactly MAX_TEXT_CHARS characters.
_PART_BYTES = MAX_TEXT_CHARS // 4 * 3
_NON_UTF8_STARTS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x00<", b"<\x00")

#: Where :func:`export_registry` gets the bytes of original captures, which a :class:`Registry`
#: does not hold: by source id, or a function of the source (such as :func:`original_reader`)
#: that raises :class:`ValueError` or :class:`OSError` with a one-line reason when it cannot.
Originals = Mapping[str, bytes] | Callable[[Source], bytes]


def max_archive_bytes() -> int:
    return env_limit("PLANDIFF_MAX_ARCHIVE_BYTES", MAX_ARCHIVE_BYTES, "bytes")


# --------------------------------------------------------------------------- problems


@dataclass(frozen=True, slots=True)
class ArchiveProblem:
    """One thing wrong with an archive, at a line of the document when there is one."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def located(self, name: str) -> str:
        """The problem as ``name:line: message``, the way compilers report."""
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"


#: How many of an archive's problems are listed one per line before the rest are counted.
MAX_LISTED = 50


class ArchiveProblems(ArchiveError):
    """An archive (or a registry being exported) with one or more problems, all listed."""

    def __init__(self, problems: Iterable[ArchiveProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        count = len(self.problems)
        head = str(self.problems[0]) if self.problems else "archive is invalid"
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(head + more)

    def lines(self, name: str | None = None) -> list[str]:
        """One line per problem, the first :data:`MAX_LISTED` of them: a hostile archive can
        have a problem per attribute, and a million lines help nobody."""
        shown = [p.located(name) if name else str(p) for p in self.problems[:MAX_LISTED]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            where = f"{name}: " if name else ""
            shown.append(f"{where}… and {hidden} more problem{'s' if hidden > 1 else ''}")
        return shown


def _one_line(message: str, limit: int = 300) -> str:
    """A parser's message as one escape-free line (values in it come from the document)."""
    text = message.strip().replace("\r", "\\r").replace("\n", "\\n")
    text = "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _fail(line: int | None, message: str) -> ArchiveProblems:
    return ArchiveProblems([ArchiveProblem(line, message)])


# --------------------------------------------------------------------------- schema


def schema_path() -> Path:
    """The archive XSD: ``plandiff/schemas/`` in a wheel, ``<repo>/schemas/`` in a checkout."""
    packaged = Path(str(resources.files("plandiff"))) / "schemas" / SCHEMA_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "schemas" / SCHEMA_NAME


@functools.cache
def _schema() -> etree.XMLSchema:
    path = schema_path()
    try:
        return etree.XMLSchema(etree.parse(str(path), parser=safe_parser()))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise ArchiveError(f"cannot load the archive schema {path}: {_one_line(str(exc))}") from exc


def _validate(tree: etree._Element) -> list[ArchiveProblem]:
    schema = _schema()
    if schema.validate(tree):
        return []
    return [ArchiveProblem(e.line or None, _schema_message(e.message)) for e in schema.error_log]


_KEYREF = re.compile(r"No match found for key-sequence \['(.*)'\] of keyref '(\w+)'\.?$")
_DUPLICATE = re.compile(r"Duplicate key-sequence \['(.*)'\] in key identity-constraint '(\w+)'")
_KEYREF_MESSAGES = {
    "anchorSource": "anchor names unknown source {}",
    "textSource": "text-source names unknown source {}",
    "derivedFrom": "derived-from names unknown version {}",
    "relationNewPoint": "relation names unknown point {} of this version",
}
_KEY_MESSAGES = {
    "sourceId": "duplicate source id {}",
    "versionId": "duplicate version id {}",
    "pointKey": "duplicate point key {}",
}


def _schema_message(message: str) -> str:
    text = message.replace("{" + NAMESPACE + "}", "")
    if m := _KEYREF.search(text):
        template = _KEYREF_MESSAGES.get(m.group(2))
        if template:
            return template.format(show(m.group(1)))
    if m := _DUPLICATE.search(text):
        template = _KEY_MESSAGES.get(m.group(2))
        if template:
            return template.format(show(m.group(1)))
    return "not valid against the archive schema: " + _one_line(text)


# --------------------------------------------------------------------------- writing


def _q(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def _sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, _q(tag))
    for name, value in attrs.items():
        if value is not None:
            el.set(name.rstrip("_").replace("_", "-"), value)
    return el


def _int(value: int | None) -> str | None:
    return None if value is None else str(value)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def _c14n_digest(registry_el: etree._Element) -> str:
    canonical = etree.tostring(registry_el, method="c14n", exclusive=True, with_comments=False)
    return hashlib.sha256(canonical).hexdigest()


class _Writer:
    """Builds archive elements, collecting every problem instead of stopping at the first."""

    def __init__(self) -> None:
        self.problems: list[ArchiveProblem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(ArchiveProblem(None, f"{where}: {message}"))

    def text(self, parent: etree._Element, tag: str, value: str, where: str) -> None:
        el = _sub(parent, tag)
        if NOT_XML_CHAR.search(value):
            try:
                raw = value.encode("utf-8")
            except UnicodeEncodeError as exc:
                self.problem(where, f"a lone surrogate at character {exc.start} is not text")
                return
            el.set("encoding", _BASE64)
            el.text = base64.b64encode(raw).decode("ascii")
        else:
            el.text = value
        if len(el.text) > MAX_TEXT_CHARS:
            self.problem(
                where, f"{len(el.text)} characters, over the limit of {MAX_TEXT_CHARS} per value"
            )

    def opt(self, parent: etree._Element, tag: str, value: str | None, where: str) -> None:
        if value is not None:
            self.text(parent, tag, value, where)

    def texts(self, parent: etree._Element, tag: str, values: Iterable[str], where: str) -> None:
        for i, value in enumerate(values):
            self.text(parent, tag, value, f"{where}[{i}]")

    def anchors(self, parent: etree._Element, anchors: Iterable[Anchor], where: str) -> None:
        for i, a in enumerate(anchors):
            el = _sub(parent, "anchor", source=a.source, start=_int(a.start), end=_int(a.end))
            self.text(el, "quote", a.quote, f"{where}[{i}].quote")
            if a.prefix:
                self.text(el, "prefix", a.prefix, f"{where}[{i}].prefix")
            if a.suffix:
                self.text(el, "suffix", a.suffix, f"{where}[{i}].suffix")

    def source(
        self, parent: etree._Element, s: Source, data: bytes, original: bytes | None
    ) -> None:
        el = _sub(parent, "source", id=s.id, published=_date(s.published), sha256=s.sha256)
        where = f"source {show(s.id)}"
        self.opt(el, "title", s.title, f"{where}: title")
        self.opt(el, "outlet", s.outlet, f"{where}: outlet")
        self.opt(el, "url", s.url, f"{where}: url")
        self.opt(el, "author", s.author, f"{where}: author")
        self.opt(el, "language", s.language, f"{where}: language")
        self.text(el, "path", s.path, f"{where}: path")
        self.opt(el, "original", s.original, f"{where}: original")
        self.opt(el, "note", s.note, f"{where}: note")
        _file_content(el, "text", data)
        if original is not None:
            _file_content(el, "capture", original, sha256=store.sha256_bytes(original))

    def version(self, parent: etree._Element, v: PlanVersion) -> None:
        el = _sub(
            parent,
            "version",
            id=v.id,
            declared_points=_int(v.declared_points),
            date=_date(v.date),
            derived_from=v.derived_from,
            completeness=v.completeness.value,
            text_source=v.text_source,
        )
        where = f"version {show(v.id)}: "
        self.text(el, "title", v.title, where + "title")
        self.texts(el, "issuer", v.issuer, where + "issuer")
        self.texts(el, "party", v.parties, where + "parties")
        self.anchors(el, v.evidence, where + "evidence")
        for i, s in enumerate(v.statements):
            s_el = _sub(el, "statement")
            self.text(s_el, "text", s.text, f"{where}statements[{i}].text")
            self.anchors(s_el, s.evidence, f"{where}statements[{i}].evidence")
        for i, e in enumerate(v.events):
            e_el = _sub(el, "event", date=_date(e.date))
            self.text(e_el, "what", e.what, f"{where}events[{i}].what")
            self.anchors(e_el, e.evidence, f"{where}events[{i}].evidence")
        for i, p in enumerate(v.points):
            p_el = _sub(el, "point", key=p.key, number=_int(p.number))
            self.opt(p_el, "text", p.text, f"{where}points[{i}].text")
            self.opt(p_el, "summary", p.summary, f"{where}points[{i}].summary")
            self.texts(p_el, "topic", p.topics, f"{where}points[{i}].topics")
            self.anchors(p_el, p.evidence, f"{where}points[{i}].evidence")
        for i, r in enumerate(v.relations):
            r_el = _sub(el, "relation", kind=r.kind.value)
            for key in r.old:
                _sub(r_el, "old", point=key)
            for key in r.new:
                _sub(r_el, "new", point=key)
            self.anchors(r_el, r.evidence, f"{where}relations[{i}].evidence")
            self.opt(r_el, "note", r.note, f"{where}relations[{i}].note")
        self.opt(el, "note", v.note, where + "note")


def _file_content(parent: etree._Element, tag: str, data: bytes, **attrs: str) -> None:
    """A file's exact bytes as ``<tag>`` with ``<part>`` children (a source text, a capture).

    Characters when the bytes are UTF-8 that XML can carry, so that a text stays readable and
    greppable in the archive; else base64 of consecutive slices, each decoding on its own.
    Either way no part is longer than :data:`MAX_TEXT_CHARS`.
    """
    try:
        chars: str | None = data.decode("utf-8")
    except UnicodeDecodeError:
        chars = None
    if chars is not None and not NOT_XML_CHAR.search(chars):
        el = _sub(parent, tag, **attrs)
        for at in range(0, len(chars), MAX_TEXT_CHARS):
            _sub(el, "part").text = chars[at : at + MAX_TEXT_CHARS]
    else:
        el = _sub(parent, tag, encoding=_BASE64, **attrs)
        for at in range(0, len(data), _PART_BYTES):
            _sub(el, "part").text = base64.b64encode(data[at : at + _PART_BYTES]).decode("ascii")


def _original_bytes(s: Source, originals: Originals | None) -> bytes | str:
    """The bytes of a source's original capture, or why they cannot be had.

    An archive without them would restore a registry naming a file that is not there, so no
    source that names a capture is written without its bytes.
    """
    assert s.original is not None
    if originals is None:
        return (
            f"original: the bytes of {show(s.original)} were not given "
            "(export_registry(..., originals=original_reader(registry_dir)))"
        )
    why = _path_problem(s.original)  # what import would refuse is neither read nor written
    if why is not None:
        return f"original: {why}"
    try:
        data = originals(s) if callable(originals) else originals.get(s.id)
    except (OSError, ValueError) as exc:
        return f"original: {exc}"
    if data is None:
        return f"original: the bytes of {show(s.original)} were not given"
    cap = store.max_source_bytes()
    if len(data) > cap:  # as import refuses it
        return f"original: {show(s.original)} has {len(data)} bytes, over the limit of {cap}"
    return data


def original_reader(root: str | os.PathLike[str]) -> Callable[[Source], bytes]:
    """Reads original captures from a registry directory, for ``export_registry(originals=)``.

    The store's rules apply (:func:`plandiff.store.read_original`): the file must be inside the
    registry (no ``..``, no symlink out of it), a regular file and within the size limit. Each
    file is read once, however often it is asked for.
    """
    base = Path(root)
    read: dict[str, bytes] = {}

    def original(source: Source) -> bytes:
        if source.id not in read:
            read[source.id] = store.read_original(base, source)
        return read[source.id]

    return original


def _source_bytes(registry: Registry, s: Source) -> bytes | str:
    """The text file's exact bytes, or why they cannot be had.

    A registry keeps each text decoded, with a leading byte-order mark dropped
    (:func:`plandiff.store.decode_text`); the recorded SHA-256 tells whether the file had one.
    """
    text = registry.texts.get(s.id)
    if text is None:
        return "its text is not loaded"
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"its text holds a lone surrogate at character {exc.start}"
    for candidate in (data, b"\xef\xbb\xbf" + data):
        # The file must also read back as this text (a text starting with U+FEFF never does
        # unless the file had a second one: a leading byte-order mark is dropped on reading).
        if store.sha256_bytes(candidate) != s.sha256:
            continue
        with contextlib.suppress(ValueError):
            if store.decode_text(candidate) == text:
                return candidate
    return f"its text does not match the recorded sha256 {s.sha256}"


def _registry_element(
    registry: Registry, originals: Originals | None
) -> tuple[etree._Element, list[ArchiveProblem]]:
    root = etree.Element(_q("registry"), nsmap={None: NAMESPACE})
    writer = _Writer()
    sources_el = _sub(root, "sources")
    for s in sorted(registry.sources, key=lambda s: s.id):
        data = _source_bytes(registry, s)
        if isinstance(data, str):
            writer.problem(f"source {show(s.id)}", data)
            data = b""
        original = None if s.original is None else _original_bytes(s, originals)
        if isinstance(original, str):
            writer.problem(f"source {show(s.id)}", original)
            original = b""
        writer.source(sources_el, s, data, original)
    versions_el = _sub(root, "versions")
    for v in sorted(registry.versions, key=lambda v: v.id):
        writer.version(versions_el, v)
    problems = writer.problems
    problems += [
        ArchiveProblem(None, str(p)) for p in store.cross_check(registry, _files(registry))
    ]
    return root, problems


def _files(registry: Registry) -> dict[str, str]:
    """Names for :func:`plandiff.store.cross_check`'s messages: the version, not a file."""
    return {f"version:{v.id}": f"version {show(v.id)}" for v in registry.versions}


def export_registry(
    registry: Registry,
    *,
    created: dt.datetime | None = None,
    originals: Originals | None = None,
) -> bytes:
    """The whole registry as one canonical archive document (UTF-8 bytes), validated.

    ``created`` (default: now, to the second) is written in UTC; give it to make an export
    reproducible. ``originals`` gives the bytes of the original captures that sources name
    (a registry holds only their paths): a mapping by source id, or a function of the source
    such as ``original_reader(registry_dir)``; it is needed only when some source names one.
    Raises :class:`ArchiveProblems` listing every problem (a text that does not match its hash,
    an original capture missing or not given, a failed cross-check, a value too long) and
    returns nothing then: an archive never leaves out a file its registry names.
    """
    registry_el, problems = _registry_element(registry, originals)
    if problems:
        raise ArchiveProblems(problems)
    from plandiff import __version__

    when = created or dt.datetime.now(dt.UTC).replace(microsecond=0)
    root = etree.Element(_q("archive"), nsmap={None: NAMESPACE})
    _sub(root, "generator", name=GENERATOR, version=__version__)
    _sub(root, "created").text = xsd_datetime(when)
    digest_el = _sub(root, "digest", algorithm=DIGEST_ALGORITHM, canonicalization=C14N_EXCLUSIVE)
    root.append(registry_el)
    etree.indent(root, space="  ")
    digest_el.text = _c14n_digest(registry_el)
    data = to_bytes(root)
    # What is returned is what was validated: the serialised bytes, parsed back.
    invalid = _validate(etree.fromstring(data, parser=safe_parser()))
    if invalid:
        raise ArchiveProblems(invalid)
    return data


def content_digest(registry: Registry, *, originals: Originals | None = None) -> str:
    """The digest an export of ``registry`` would carry (independent of time and generator)."""
    registry_el, problems = _registry_element(registry, originals)
    if problems:
        raise ArchiveProblems(problems)
    etree.indent(registry_el, space="  ", level=1)
    return _c14n_digest(registry_el)


# --------------------------------------------------------------------------- diff documents


def _diff_evidence(writer: _Writer, parent: etree._Element, refs: Iterable[EvidenceRef]) -> None:
    for i, e in enumerate(refs):
        el = _sub(
            parent,
            "evidence",
            role=e.role,
            published=_date(e.published),
            start=_int(e.start),
            end=_int(e.end),
        )
        where = f"evidence[{i}]"
        writer.opt(el, "point", e.point, f"{where}.point")
        writer.text(el, "source", e.source, f"{where}.source")
        writer.opt(el, "title", e.title, f"{where}.title")
        writer.opt(el, "outlet", e.outlet, f"{where}.outlet")
        writer.opt(el, "url", e.url, f"{where}.url")
        writer.text(el, "quote", e.quote, f"{where}.quote")


def _diff_version(writer: _Writer, parent: etree._Element, tag: str, v: VersionSummary) -> None:
    el = _sub(
        parent,
        tag,
        date=_date(v.date),
        declared_points=_int(v.declared_points),
        known_points=str(v.known_points),
        completeness=v.completeness.value,
    )
    writer.text(el, "id", v.id, f"{tag}.id")
    writer.text(el, "title", v.title, f"{tag}.title")
    writer.texts(el, "issuer", v.issuer, f"{tag}.issuer")
    writer.opt(el, "derived-from", v.derived_from, f"{tag}.derived_from")
    _diff_evidence(writer, el, v.evidence)


def _point_refs(
    writer: _Writer, parent: etree._Element, tag: str, refs: Iterable[PointRef], where: str
) -> None:
    for i, r in enumerate(refs):
        el = _sub(
            parent,
            tag,
            index=str(r.index),
            number=_int(r.number),
            verbatim="true" if r.verbatim else "false",
        )
        writer.text(el, "key", r.key, f"{where}.{tag}[{i}].key")
        writer.text(el, "text", r.text, f"{where}.{tag}[{i}].text")
        writer.texts(el, "heading", r.heading, f"{where}.{tag}[{i}].heading")


def _redline_and_figures(
    writer: _Writer,
    el: etree._Element,
    redline: Redline | None,
    figures: Iterable[Substantive],
    where: str,
) -> None:
    if redline is not None:
        parts = _sub(el, "redline")
        for j, (op, text) in enumerate(redline.ops):
            writer.text(parts, op.value, text, f"{where}.redline[{j}]")
    for j, s in enumerate(figures):
        s_el = _sub(
            el, "substantive", kind=s.kind.value, not_mentioned="true" if s.not_mentioned else None
        )
        writer.opt(s_el, "from", s.old, f"{where}.substantive[{j}].old")
        writer.opt(s_el, "to", s.new, f"{where}.substantive[{j}].new")


def diff_to_xml(result: DiffResult) -> bytes:
    """A diff as an XML document (root ``<diff>``) valid against the archive schema."""
    from plandiff import __version__

    writer = _Writer()
    root = etree.Element(_q("diff"), nsmap={None: NAMESPACE})
    _sub(root, "generator", name=GENERATOR, version=__version__)
    _diff_version(writer, root, "old", result.old)
    _diff_version(writer, root, "new", result.new)
    settings = _sub(
        root,
        "settings",
        match_threshold=xsd_double(result.settings.match_threshold),
        containment_threshold=xsd_double(result.settings.containment_threshold),
    )
    writer.text(settings, "algorithm", result.settings.algorithm, "settings.algorithm")
    writer.text(settings, "redline", result.settings.redline, "settings.redline")
    d = result.declared
    _sub(
        root,
        "declared",
        old=_int(d.old),
        new=_int(d.new),
        old_unaccounted=_int(d.old_unaccounted),
        new_unaccounted=_int(d.new_unaccounted),
    )
    changes = _sub(root, "changes")
    for i, c in enumerate(result.changes):
        where = f"changes[{i}]"
        el = _sub(
            changes,
            "change",
            kind=c.kind.value,
            moved="true" if c.moved else "false",
            renumbered="true" if c.renumbered else "false",
            basis=c.basis.value,
            similarity=None if c.similarity is None else xsd_double(c.similarity),
            heading_moved="true" if c.heading_moved else None,
        )
        _point_refs(writer, el, "old", c.old, where)
        _point_refs(writer, el, "new", c.new, where)
        _redline_and_figures(writer, el, c.redline, c.substantive, where)
        _diff_evidence(writer, el, c.evidence)
        writer.opt(el, "note", c.note, f"{where}.note")
        writer.texts(el, "subitem", c.subitems_changed, f"{where}.subitems_changed")
    if result.parts:
        parts = _sub(root, "parts")
        for i, p in enumerate(result.parts):
            where = f"parts[{i}]"
            el = _sub(
                parts,
                "part",
                part=p.part.value,
                kind=p.kind.value,
                old_before=_int(p.old_before),
                new_before=_int(p.new_before),
            )
            writer.opt(el, "old", p.old, f"{where}.old")
            writer.opt(el, "new", p.new, f"{where}.new")
            _redline_and_figures(writer, el, p.redline, p.substantive, where)
    summary = _sub(root, "summary")
    for kind, n in result.summary().items():
        _sub(summary, "count", kind=kind, n=str(n))
    warnings = _sub(root, "warnings")
    writer.texts(warnings, "warning", result.warnings, "warnings")
    if writer.problems:
        raise ArchiveProblems(writer.problems)
    etree.indent(root, space="  ")
    data = to_bytes(root)
    invalid = _validate(etree.fromstring(data, parser=safe_parser()))
    if invalid:
        raise ArchiveProblems(invalid)
    return data


# --------------------------------------------------------------------------- reading


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse(data: bytes) -> etree._Element:
    """Parse an untrusted document safely; return its root element (not yet schema-checked)."""
    limit = max_archive_bytes()
    if len(data) > limit:
        raise _fail(
            None,
            f"archive has {len(data)} bytes, over the limit of {limit} "
            "(PLANDIFF_MAX_ARCHIVE_BYTES raises it)",
        )
    if not data or data.isspace():
        raise _fail(None, "archive is empty")
    if data.startswith(_NON_UTF8_STARTS):
        raise _fail(1, "archive is not UTF-8 (plandiff archives are always UTF-8)")
    # Refused before the parser sees it: no DOCTYPE means no entity and no DTD, of any kind.
    doctype = data.find(b"<!DOCTYPE")
    if doctype != -1:
        raise _fail(
            _line_of(data, doctype),
            "DOCTYPE declarations are not allowed in an archive (entities and DTDs are never "
            "loaded)",
        )
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise _fail(exc.lineno or None, _syntax_message(exc)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise _fail(None, "DOCTYPE declarations are not allowed in an archive")
    if (tree.docinfo.encoding or "UTF-8").upper() != "UTF-8":
        raise _fail(1, f"archive is {show(tree.docinfo.encoding)}, not UTF-8")
    problems = list(_shape_problems(root))
    if problems:
        raise ArchiveProblems(problems)
    return root


def _syntax_message(exc: etree.XMLSyntaxError) -> str:
    message = exc.msg or str(exc)
    message = re.sub(r",? line \d+, column \d+$", "", message)
    if "Excessive depth" in message or "maximum depth" in message.lower():
        return f"elements nested deeper than the parser allows (plandiff reads {MAX_DEPTH} levels)"
    if "huge" in message.lower():
        return f"a text node over the parser's limit (plandiff reads {MAX_TEXT_CHARS} characters)"
    return "not well-formed XML: " + _one_line(message)


def _shape_problems(root: etree._Element) -> Iterator[ArchiveProblem]:
    """Nesting depth, attribute count and text size, checked before the schema sees the
    document (whose validator would report each of a hundred thousand attributes in turn)."""
    stack: list[tuple[etree._Element, int]] = [(root, 1)]
    while stack:
        el, depth = stack.pop()
        if depth > MAX_DEPTH:
            yield ArchiveProblem(el.sourceline, f"elements nested deeper than {MAX_DEPTH} levels")
            return
        if len(el.attrib) > MAX_ATTRIBUTES:
            yield ArchiveProblem(
                el.sourceline,
                f"element with {len(el.attrib)} attributes, over the limit of {MAX_ATTRIBUTES}",
            )
            return
        for text in (el.text, el.tail, *el.attrib.values()):
            if text is not None and len(text) > MAX_TEXT_CHARS:
                yield ArchiveProblem(
                    el.sourceline,
                    f"text node of {len(text)} characters, over the limit of {MAX_TEXT_CHARS}",
                )
        stack.extend((child, depth + 1) for child in reversed(el))


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
    if root.tag != _q("archive"):
        qname = etree.QName(root)
        if qname.localname == "archive" and (qname.namespace or "").startswith("urn:plandiff:"):
            why = (
                f"unsupported archive format {show(qname.namespace)} "
                f"(this plandiff reads {NAMESPACE})"
            )
        else:
            why = (
                f"not a plandiff archive: the root element is {show(root.tag)}, "
                f"expected {show(_q('archive'))}"
            )
        raise _fail(root.sourceline, why)
    invalid = _validate(root)
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
        if _token(el, "encoding") != _BASE64:
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
        actual = _c14n_digest(registry_el)
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
        self.check_paths(sources_el, sources, captures)
        versions: list[PlanVersion] = []
        lines: dict[str, dict[str, int]] = {}
        for el in versions_el:
            read_version = self.version(el)
            if read_version is not None:
                versions.append(read_version[0])
                lines[read_version[0].id] = read_version[1]
        if self.problems:
            raise ArchiveProblems(self.problems)
        registry = Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)
        names = _files(registry)
        version_of = {name: key.split(":", 1)[1] for key, name in names.items()}
        for p in store.cross_check(registry, names):
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
        try:
            fields["published"] = self.date(el, "published")
            for child in el:
                name = etree.QName(child).localname
                if name == "text":
                    text_el = child
                elif name == "capture":
                    capture_el = child
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

    def capture(
        self, source_el: etree._Element, el: etree._Element | None, source: Source
    ) -> bytes | None:
        """The original capture's bytes, checked against their size limit and hash."""
        where = f"source {show(source.id)}"
        if el is None:
            if source.original is not None:
                # Written before archives kept captures: import what there is, and say so.
                original_el = source_el.find(_q("original"))
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
        if _token(el, "encoding") != _BASE64:
            return "".join(parts).encode("utf-8")
        try:
            return b"".join(base64.b64decode(part, validate=True) for part in parts)
        except binascii.Error as exc:
            name = etree.QName(el).localname
            self.problem(el, f"source {show(source.id)}: {name}: bad base64 content ({exc})")
            return None

    def check_paths(
        self, sources_el: etree._Element, sources: list[Source], captures: Mapping[str, bytes]
    ) -> None:
        """Each text and capture goes to its own path inside the registry, where no other file
        must be. Two sources naming one file with different bytes are reported here, with
        their lines; the store's cross-check then refuses any sharing at all (a recapture of one
        would overwrite the other's text)."""
        lines = {el.get("id"): _path_lines(el) for el in sources_el}
        files: dict[str, _Claim] = {}
        folders: dict[str, _Claim] = {}  # every folder some path needs → the first claim
        claims: list[_Claim] = []
        for s in sources:
            claims.append(_Claim(s, "path", s.path, s.sha256))
            if s.original is not None:
                capture = captures.get(s.id)
                digest = None if capture is None else store.sha256_bytes(capture)
                claims.append(_Claim(s, "original", s.original, digest))
        for c in claims:
            parts = PurePosixPath(c.rel).parts
            why = _path_problem(c.rel)
            if why is None:
                key = "/".join(parts)
                parents = ["/".join(parts[:n]) for n in range(1, len(parts))]
                clash = folders.get(key) or next((files[p] for p in parents if p in files), None)
                same = files.get(key)
                if clash is not None:
                    why = (
                        f"path {show(c.rel)} clashes with the {clash.field} of source "
                        f"{show(clash.source.id)}"
                    )
                elif (
                    same is not None
                    and None not in (same.sha256, c.sha256)
                    and same.sha256 != c.sha256
                ):
                    what = "text" if same.field == c.field == "path" else "bytes"
                    why = (
                        f"path {show(c.rel)} is also the {same.field} of source "
                        f"{show(same.source.id)}, with different {what}"
                    )
                else:
                    if same is None or same.sha256 is None:  # a claim that writes bytes wins
                        files[key] = c
                    for p in parents:
                        folders.setdefault(p, c)
            if why:
                prefix = "original: " if c.field == "original" else ""
                line = lines.get(c.source.id, {}).get(c.field)
                self.problems.append(
                    ArchiveProblem(line, f"source {show(c.source.id)}: {prefix}{why}")
                )

    def anchor(self, el: etree._Element) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "source": el.get("source"),
            "start": self.integer(el, "start"),
            "end": self.integer(el, "end"),
        }
        for child in el:
            fields[etree.QName(child).localname] = self.value(child)
        return fields

    def version(self, el: etree._Element) -> tuple[PlanVersion, dict[str, int]] | None:
        vid = el.get("id", "")
        lines: dict[str, int] = {"": el.sourceline}
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

    def _evidence(self, el: etree._Element, lines: dict[str, int], prefix: str) -> list[Any]:
        out = []
        for child in el.iterchildren(_q("anchor")):
            lines[f"{prefix}.evidence[{len(out)}]"] = child.sourceline
            out.append(self.anchor(child))
        return out

    def statement(self, el: etree._Element, lines: dict[str, int], i: int) -> dict[str, Any]:
        return {
            "text": self.value(el.find(_q("text"))),
            "evidence": self._evidence(el, lines, f"statements[{i}]"),
        }

    def event(self, el: etree._Element, lines: dict[str, int], i: int) -> dict[str, Any]:
        return {
            "date": self.date(el, "date"),
            "what": self.value(el.find(_q("what"))),
            "evidence": self._evidence(el, lines, f"events[{i}]"),
        }

    def point(self, el: etree._Element, lines: dict[str, int], i: int) -> dict[str, Any]:
        fields: dict[str, Any] = {"key": el.get("key"), "number": self.integer(el, "number")}
        for name in ("text", "summary"):
            child = el.find(_q(name))
            if child is not None:
                fields[name] = self.value(child)
        fields["topics"] = [self.value(t) for t in el.iterchildren(_q("topic"))]
        fields["evidence"] = self._evidence(el, lines, f"points[{i}]")
        return fields

    def relation(self, el: etree._Element, lines: dict[str, int], i: int) -> dict[str, Any]:
        note = el.find(_q("note"))
        return {
            "kind": _token(el, "kind"),
            "old": [o.get("point") for o in el.iterchildren(_q("old"))],
            "new": [n.get("point") for n in el.iterchildren(_q("new"))],
            "evidence": self._evidence(el, lines, f"relations[{i}]"),
            "note": None if note is None else self.value(note),
        }


@dataclass(frozen=True, slots=True)
class _Claim:
    """A file an archive's source writes: its text (``path``) or its capture (``original``).

    ``sha256`` is None for an original whose bytes the archive lacks (an older archive): the
    path is recorded, no file is written.
    """

    source: Source
    field: str
    rel: str
    sha256: str | None


def _path_lines(source_el: etree._Element) -> dict[str, int]:
    """Lines to report a source's path problems at: the source's own for its text path (as
    always), the ``<original>`` element's for its capture's path."""
    lines = {"path": source_el.sourceline}
    original = source_el.find(_q("original"))
    lines["original"] = (original if original is not None else source_el).sourceline
    return lines


def _token(el: etree._Element, attr: str) -> str | None:
    """An attribute as the schema reads it: token, number and date types ignore outer spaces."""
    raw = el.get(attr)
    return None if raw is None else raw.strip(" \t\n\r")


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _lookup(lines: Mapping[str, int], path: str) -> int | None:
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


def _path_problem(rel: str) -> str | None:
    """Why a source's text or capture path may not be written into a registry, or None."""
    return store.text_path_problem(rel)


# --------------------------------------------------------------------------- import stamp


def stamp_bytes(archive: Archive) -> bytes:
    """The :data:`STAMP_NAME` file ``plandiff import`` writes beside the restored registry.

    It records the archive's creation time and digest, so that ``plandiff export`` of a registry
    that still has exactly that content reuses the time and reproduces the archive byte for
    byte. Once the registry changes, the digest no longer matches and the stamp is ignored.
    The store never reads files whose names start with a dot.
    """
    import tomli_w

    body = tomli_w.dumps({"created": archive.created, "digest": archive.digest})
    return (
        "# Written by 'plandiff import': the archive this registry was restored from.\n"
        "# 'plandiff export' reuses its creation time while the contents match the digest.\n" + body
    ).encode()


def stamped_created(
    stamp: bytes, registry: Registry, *, originals: Originals | None = None
) -> dt.datetime | None:
    """The creation time in a stamp file when ``registry`` (and its captures) match its digest."""
    try:
        data = tomllib.loads(stamp.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    created, digest = data.get("created"), data.get("digest")
    if (
        not isinstance(created, dt.datetime)
        or created.tzinfo is None
        or not isinstance(digest, str)
    ):
        return None
    try:
        same = content_digest(registry, originals=originals) == digest
    except ArchiveError:
        return None
    return created if same else None


__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_DEPTH",
    "MAX_TEXT_CHARS",
    "NAMESPACE",
    "Archive",
    "ArchiveProblem",
    "ArchiveProblems",
    "Originals",
    "content_digest",
    "diff_to_xml",
    "export_registry",
    "import_archive",
    "max_archive_bytes",
    "original_reader",
    "parse",
    "read_archive",
    "schema_path",
    "stamp_bytes",
    "stamped_created",
]
