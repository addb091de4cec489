"""Parsing an untrusted archive: size, encoding and DOCTYPE refused first, then a parser that
loads and expands nothing, then limits on nesting, attributes and text before the schema runs.

The order matters: every check here is cheap and bounds the work of the next one, so a hostile
document is turned away before it costs memory or time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from lxml import etree

from plandiff.errors import show
from plandiff.text import one_line
from plandiff.xmlarchive.problems import ArchiveProblem, ArchiveProblems, fail
from plandiff.xmlarchive.schema import (
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_TEXT_CHARS,
    max_archive_bytes,
)
from plandiff.xmlcommon import safe_parser

_NON_UTF8_STARTS = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff", b"\x00<", b"<\x00")


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def parse(data: bytes) -> etree._Element:
    """Parse an untrusted document safely; return its root element (not yet schema-checked)."""
    limit = max_archive_bytes()
    if len(data) > limit:
        raise fail(
            None,
            f"archive has {len(data)} bytes, over the limit of {limit} "
            "(PLANDIFF_MAX_ARCHIVE_BYTES raises it)",
        )
    if not data or data.isspace():
        raise fail(None, "archive is empty")
    if data.startswith(_NON_UTF8_STARTS):
        raise fail(1, "archive is not UTF-8 (plandiff archives are always UTF-8)")
    # Refused before the parser sees it: no DOCTYPE means no entity and no DTD, of any kind.
    doctype = data.find(b"<!DOCTYPE")
    if doctype != -1:
        raise fail(
            _line_of(data, doctype),
            "DOCTYPE declarations are not allowed in an archive (entities and DTDs are never "
            "loaded)",
        )
    try:
        root = etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        raise fail(exc.lineno or None, _syntax_message(exc)) from None
    tree = root.getroottree()
    if tree.docinfo.doctype or tree.docinfo.internalDTD is not None:
        raise fail(None, "DOCTYPE declarations are not allowed in an archive")
    if (tree.docinfo.encoding or "UTF-8").upper() != "UTF-8":
        raise fail(1, f"archive is {show(tree.docinfo.encoding)}, not UTF-8")
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
    return "not well-formed XML: " + one_line(message)


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
