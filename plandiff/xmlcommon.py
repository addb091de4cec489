"""XML reading and writing shared by the archive (:mod:`plandiff.xmlarchive`) and the Akoma Ntoso
export (:mod:`plandiff.akn`).

Both read documents that may come from anyone and write documents that may be printed to a
terminal, so both use the one hardened parser and the one serialiser defined here, and spell
XSD values the same way.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from lxml import etree

from plandiff.text import TERMINAL_UNSAFE

#: Characters outside XML 1.0's Char production: text holding one cannot be written as XML text
#: (the archive writes such values in base64; Akoma Ntoso replaces them).
NOT_XML_CHAR = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

_XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def safe_parser() -> etree.XMLParser:
    """A parser that loads nothing from anywhere and expands nothing (one per parse)."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        strip_cdata=True,
    )


def to_bytes(root: etree._Element) -> bytes:
    """The document's bytes with an XML declaration, safe to show on a terminal."""
    text = etree.tostring(root, encoding="unicode")
    text = TERMINAL_UNSAFE.sub(lambda m: f"&#x{ord(m.group()):X};", text)
    return _XML_DECLARATION + text.encode("utf-8") + b"\n"


def xsd_double(value: float) -> str:
    """``value`` as an ``xs:double`` lexical form (``NaN``, ``INF`` and ``-INF`` included)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "INF" if value > 0 else "-INF"
    return repr(float(value))


def xsd_datetime(value: dt.datetime) -> str:
    """UTC, ``Z``; a naive time is taken to be UTC already."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
