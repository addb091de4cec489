"""The archive's vocabulary: namespace, limits, element builders and validation against the XSD.

Writing and reading share these, so that both sides spell an element, a limit and a digest the
same way.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
from importlib import resources
from pathlib import Path

from lxml import etree

from plandiff import store
from plandiff.errors import ArchiveError, env_limit, show
from plandiff.text import one_line
from plandiff.xmlarchive.problems import ArchiveProblem
from plandiff.xmlcommon import safe_parser

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

#: Marks a value or file written as base64 of its bytes.
BASE64 = "base64"
#: Raw bytes per base64 part: a multiple of 3 (so each part decodes on its own) whose base64
#: is exactly MAX_TEXT_CHARS characters.
PART_BYTES = MAX_TEXT_CHARS // 4 * 3


def max_archive_bytes() -> int:
    return env_limit("PLANDIFF_MAX_ARCHIVE_BYTES", MAX_ARCHIVE_BYTES, "bytes")


def schema_path() -> Path:
    """The archive XSD: ``plandiff/schemas/`` in a wheel, ``<repo>/schemas/`` in a checkout."""
    packaged = Path(str(resources.files("plandiff"))) / "schemas" / SCHEMA_NAME
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[2] / "schemas" / SCHEMA_NAME


@functools.cache
def _schema() -> etree.XMLSchema:
    path = schema_path()
    try:
        return etree.XMLSchema(etree.parse(str(path), parser=safe_parser()))
    except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as exc:
        raise ArchiveError(f"cannot load the archive schema {path}: {one_line(str(exc))}") from exc


def validate(tree: etree._Element) -> list[ArchiveProblem]:
    """Every way ``tree`` breaks the XSD, worded for a user (key and keyref errors by name)."""
    schema = _schema()
    if schema.validate(tree):
        return []
    return [ArchiveProblem(e.line or None, schema_message(e.message)) for e in schema.error_log]


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


def schema_message(message: str) -> str:
    text = message.replace("{" + NAMESPACE + "}", "")
    if m := _KEYREF.search(text):
        template = _KEYREF_MESSAGES.get(m.group(2))
        if template:
            return template.format(show(m.group(1)))
    if m := _DUPLICATE.search(text):
        template = _KEY_MESSAGES.get(m.group(2))
        if template:
            return template.format(show(m.group(1)))
    return "not valid against the archive schema: " + one_line(text)


def q(tag: str) -> str:
    """``tag`` in the archive's namespace, as lxml spells a qualified name."""
    return f"{{{NAMESPACE}}}{tag}"


def sub(parent: etree._Element, tag: str, **attrs: str | None) -> etree._Element:
    """A child element; ``declared_points=`` becomes ``declared-points``, None is left out."""
    el = etree.SubElement(parent, q(tag))
    for name, value in attrs.items():
        if value is not None:
            el.set(name.rstrip("_").replace("_", "-"), value)
    return el


def opt_int(value: int | None) -> str | None:
    return None if value is None else str(value)


def opt_date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def c14n_digest(registry_el: etree._Element) -> str:
    """The archive's digest: SHA-256 of the exclusive canonical form, without comments."""
    canonical = etree.tostring(registry_el, method="c14n", exclusive=True, with_comments=False)
    return hashlib.sha256(canonical).hexdigest()
