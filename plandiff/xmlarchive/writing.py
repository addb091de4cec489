"""Writing a registry as an archive: canonical, lossless, validated before it is returned.

Problems are collected, not raised at the first (:class:`ValueWriter`), so that an export that
cannot be written lists everything that stands in its way.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path

from lxml import etree

from plandiff import store
from plandiff.crosscheck import cross_check
from plandiff.errors import show
from plandiff.models import Anchor, PlanVersion, Registry, Source, Stance, text_key
from plandiff.registry_dir import text_path_problem
from plandiff.xmlarchive.problems import ArchiveProblem, ArchiveProblems
from plandiff.xmlarchive.schema import (
    BASE64,
    C14N_EXCLUSIVE,
    DIGEST_ALGORITHM,
    GENERATOR,
    MAX_TEXT_CHARS,
    NAMESPACE,
    PART_BYTES,
    c14n_digest,
    opt_date,
    opt_int,
    q,
    sub,
    validate,
)
from plandiff.xmlcommon import NOT_XML_CHAR, safe_parser, to_bytes, xsd_datetime

#: Where :func:`export_registry` gets the bytes of original captures, which a :class:`Registry`
#: does not hold: by source id, or a function of the source (such as :func:`original_reader`)
#: that raises :class:`ValueError` or :class:`OSError` with a one-line reason when it cannot.
Originals = Mapping[str, bytes] | Callable[[Source], bytes]


class ValueWriter:
    """Builds elements of values, collecting every problem instead of stopping at the first.

    A value XML 1.0 cannot carry is written as base64 of its UTF-8 bytes; one too long for a
    reader's limit is a problem. The diff document (:mod:`plandiff.render.xml`) writes its
    values the same way.
    """

    def __init__(self) -> None:
        self.problems: list[ArchiveProblem] = []

    def problem(self, where: str, message: str) -> None:
        self.problems.append(ArchiveProblem(None, f"{where}: {message}"))

    def text(self, parent: etree._Element, tag: str, value: str, where: str) -> None:
        el = sub(parent, tag)
        if NOT_XML_CHAR.search(value):
            try:
                raw = value.encode("utf-8")
            except UnicodeEncodeError as exc:
                self.problem(where, f"a lone surrogate at character {exc.start} is not text")
                return
            el.set("encoding", BASE64)
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
            el = sub(
                parent,
                "anchor",
                source=a.source,
                start=opt_int(a.start),
                end=opt_int(a.end),
                # written only when it says something: archives of supporting quotes stay as
                # they were
                stance=None if a.stance is Stance.SUPPORT else a.stance.value,
                capture=opt_int(a.capture),
            )
            self.text(el, "quote", a.quote, f"{where}[{i}].quote")
            if a.prefix:
                self.text(el, "prefix", a.prefix, f"{where}[{i}].prefix")
            if a.suffix:
                self.text(el, "suffix", a.suffix, f"{where}[{i}].suffix")

    def source(
        self,
        parent: etree._Element,
        s: Source,
        data: bytes,
        original: bytes | None,
        earlier: Sequence[tuple[bytes, bytes | None]] = (),
    ) -> None:
        """``earlier``: the text and original bytes of each of ``s.captures``, in order."""
        el = sub(
            parent,
            "source",
            id=s.id,
            published=opt_date(s.published),
            sha256=s.sha256,
            attribution=s.attribution.value if s.attribution is not None else None,
            retrieved=opt_date(s.retrieved),
        )
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
        self.opt(el, "reliability", s.reliability, f"{where}: reliability")
        for i, (c, (c_data, c_original)) in enumerate(zip(s.captures, earlier, strict=True)):
            c_el = sub(el, "earlier-capture", retrieved=opt_date(c.retrieved), sha256=c.sha256)
            self.text(c_el, "path", c.path, f"{where}: captures[{i}].path")
            self.opt(c_el, "original", c.original, f"{where}: captures[{i}].original")
            _file_content(c_el, "text", c_data)
            if c_original is not None:
                _file_content(c_el, "capture", c_original, sha256=store.sha256_bytes(c_original))

    def version(self, parent: etree._Element, v: PlanVersion) -> None:
        el = sub(
            parent,
            "version",
            id=v.id,
            declared_points=opt_int(v.declared_points),
            date=opt_date(v.date),
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
            s_el = sub(el, "statement")
            self.text(s_el, "text", s.text, f"{where}statements[{i}].text")
            self.anchors(s_el, s.evidence, f"{where}statements[{i}].evidence")
        for i, e in enumerate(v.events):
            e_el = sub(el, "event", date=opt_date(e.date))
            self.text(e_el, "what", e.what, f"{where}events[{i}].what")
            self.anchors(e_el, e.evidence, f"{where}events[{i}].evidence")
        for i, p in enumerate(v.points):
            status = p.status.value if p.status is not None else None
            p_el = sub(el, "point", key=p.key, number=opt_int(p.number), status=status)
            self.opt(p_el, "text", p.text, f"{where}points[{i}].text")
            self.opt(p_el, "summary", p.summary, f"{where}points[{i}].summary")
            self.texts(p_el, "topic", p.topics, f"{where}points[{i}].topics")
            self.anchors(p_el, p.evidence, f"{where}points[{i}].evidence")
        for i, r in enumerate(v.relations):
            r_el = sub(el, "relation", kind=r.kind.value)
            for key in r.old:
                sub(r_el, "old", point=key)
            for key in r.new:
                sub(r_el, "new", point=key)
            self.anchors(r_el, r.evidence, f"{where}relations[{i}].evidence")
            self.opt(r_el, "note", r.note, f"{where}relations[{i}].note")
            self.opt(r_el, "decidedBy", r.decided_by, f"{where}relations[{i}].decided_by")
            self.opt(r_el, "decideAt", r.decide_at, f"{where}relations[{i}].decide_at")
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
        el = sub(parent, tag, **attrs)
        for at in range(0, len(chars), MAX_TEXT_CHARS):
            sub(el, "part").text = chars[at : at + MAX_TEXT_CHARS]
    else:
        el = sub(parent, tag, encoding=BASE64, **attrs)
        for at in range(0, len(data), PART_BYTES):
            sub(el, "part").text = base64.b64encode(data[at : at + PART_BYTES]).decode("ascii")


def _original_bytes(s: Source, originals: Originals | None, key: str | None = None) -> bytes | str:
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
    why = text_path_problem(s.original)  # what import would refuse is neither read nor written
    if why is not None:
        return f"original: {why}"
    try:
        # A mapping gives a source's original by its id, an earlier capture's by its path (key).
        data = originals(s) if callable(originals) else originals.get(key or s.id)
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
        key = source.original or ""  # by path: an earlier capture has an original of its own
        if key not in read:
            read[key] = store.read_original(base, source)
        return read[key]

    return original


def _earlier_bytes(
    registry: Registry, s: Source, originals: Originals | None
) -> tuple[list[tuple[bytes, bytes | None]], list[str]]:
    """The text and original bytes of each earlier capture of ``s``, and why any cannot be had."""
    found: list[tuple[bytes, bytes | None]] = []
    problems: list[str] = []
    for i, c in enumerate(s.captures):
        as_source = s.model_copy(update={"sha256": c.sha256, "original": c.original})
        data = _source_bytes(registry, as_source, text_key(s.id, i + 1))
        if isinstance(data, str):
            problems.append(f"captures[{i}]: {data}")
            data = b""
        original = None if c.original is None else _original_bytes(as_source, originals, c.original)
        if isinstance(original, str):
            problems.append(f"captures[{i}].{original}")
            original = b""
        found.append((data, original))
    return found, problems


def _source_bytes(registry: Registry, s: Source, key: str | None = None) -> bytes | str:
    """The text file's exact bytes (of the text at ``key`` of the registry's texts, by default
    the source's current one), or why they cannot be had.

    A registry keeps each text decoded, with a leading byte-order mark dropped
    (:func:`plandiff.store.decode_text`); the recorded SHA-256 tells whether the file had one.
    """
    text = registry.texts.get(key or s.id)
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
    root = etree.Element(q("registry"), nsmap={None: NAMESPACE})
    writer = ValueWriter()
    sources_el = sub(root, "sources")
    for s in sorted(registry.sources, key=lambda s: s.id):
        data = _source_bytes(registry, s)
        if isinstance(data, str):
            writer.problem(f"source {show(s.id)}", data)
            data = b""
        original = None if s.original is None else _original_bytes(s, originals)
        if isinstance(original, str):
            writer.problem(f"source {show(s.id)}", original)
            original = b""
        earlier, missing = _earlier_bytes(registry, s, originals)
        for why in missing:
            writer.problem(f"source {show(s.id)}", why)
        writer.source(sources_el, s, data, original, earlier)
    versions_el = sub(root, "versions")
    for v in sorted(registry.versions, key=lambda v: v.id):
        writer.version(versions_el, v)
    problems = writer.problems
    problems += [
        ArchiveProblem(None, str(p)) for p in cross_check(registry, cross_check_names(registry))
    ]
    return root, problems


def cross_check_names(registry: Registry) -> dict[str, str]:
    """Names for :func:`plandiff.cross_check`'s messages: the version, not a file."""
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
    root = etree.Element(q("archive"), nsmap={None: NAMESPACE})
    sub(root, "generator", name=GENERATOR, version=__version__)
    sub(root, "created").text = xsd_datetime(when)
    digest_el = sub(root, "digest", algorithm=DIGEST_ALGORITHM, canonicalization=C14N_EXCLUSIVE)
    root.append(registry_el)
    etree.indent(root, space="  ")
    digest_el.text = c14n_digest(registry_el)
    data = to_bytes(root)
    # What is returned is what was validated: the serialised bytes, parsed back.
    invalid = validate(etree.fromstring(data, parser=safe_parser()))
    if invalid:
        raise ArchiveProblems(invalid)
    return data


def content_digest(registry: Registry, *, originals: Originals | None = None) -> str:
    """The digest an export of ``registry`` would carry (independent of time and generator)."""
    registry_el, problems = _registry_element(registry, originals)
    if problems:
        raise ArchiveProblems(problems)
    etree.indent(registry_el, space="  ", level=1)
    return c14n_digest(registry_el)
