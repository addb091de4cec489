"""XML archive of a whole registry, valid against one XSD.

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

The package is split by job: :mod:`.schema` (namespace, limits, element builders, the XSD),
:mod:`.problems`, :mod:`.writing` (export), :mod:`.parsing` (the hardened parse),
:mod:`.reading` and :mod:`.paths` (import), :mod:`.stamp` (the import stamp). The diff as an
XML document, in the same namespace and schema, is :mod:`plandiff.render.xml`.
"""

from __future__ import annotations

from plandiff.xmlarchive.parsing import parse
from plandiff.xmlarchive.problems import MAX_LISTED, ArchiveProblem, ArchiveProblems
from plandiff.xmlarchive.reading import Archive, import_archive, read_archive
from plandiff.xmlarchive.schema import (
    MAX_ARCHIVE_BYTES,
    MAX_ATTRIBUTES,
    MAX_DEPTH,
    MAX_TEXT_CHARS,
    NAMESPACE,
    SCHEMA_NAME,
    STAMP_NAME,
    max_archive_bytes,
    schema_path,
)
from plandiff.xmlarchive.stamp import (
    export_directory,
    stamp_bytes,
    stamp_created,
    stamped_created,
)
from plandiff.xmlarchive.writing import (
    Originals,
    content_digest,
    export_registry,
    original_reader,
)

__all__ = [
    "MAX_ARCHIVE_BYTES",
    "MAX_ATTRIBUTES",
    "MAX_DEPTH",
    "MAX_LISTED",
    "MAX_TEXT_CHARS",
    "NAMESPACE",
    "SCHEMA_NAME",
    "STAMP_NAME",
    "Archive",
    "ArchiveProblem",
    "ArchiveProblems",
    "Originals",
    "content_digest",
    "export_directory",
    "export_registry",
    "import_archive",
    "max_archive_bytes",
    "original_reader",
    "parse",
    "read_archive",
    "schema_path",
    "stamp_bytes",
    "stamp_created",
    "stamped_created",
]


def __getattr__(name: str) -> object:
    # cli/diff_cmd.py imports diff_to_xml from here until it names plandiff.render.xml; resolved
    # on use because render.xml itself imports this package's modules.
    if name == "diff_to_xml":
        from plandiff.render.xml import diff_to_xml

        return diff_to_xml
    raise AttributeError(f"module 'plandiff.xmlarchive' has no attribute {name!r}")
