"""Building blocks of an AKN document: qualified names, elements whose text XML can hold, and
links that ``xs:anyURI`` accepts.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse

from lxml import etree

from plandiff.akn.naming import EXTENSION_NAMESPACE, NAMESPACE
from plandiff.links import web_link
from plandiff.xmlcommon import NOT_XML_CHAR, safe_parser


def akn_tag(tag: str) -> str:
    return f"{{{NAMESPACE}}}{tag}"


def ext_tag(name: str) -> str:
    return f"{{{EXTENSION_NAMESPACE}}}{name}"


def xml_safe(text: str) -> tuple[str, bool]:
    """Text XML can hold, and whether anything had to be replaced."""
    cleaned = NOT_XML_CHAR.sub("\ufffd", text)
    return cleaned, cleaned != text


def sub(parent: etree._Element, tag: str, /, **attrs: str | None) -> etree._Element:
    el = etree.SubElement(parent, akn_tag(tag))
    for name, value in attrs.items():
        if value is not None:
            el.set(name, xml_safe(value)[0])
    return el


def set_text(el: etree._Element, text: str) -> etree._Element:
    """Set ``el``'s text; mark it ``status="edited"`` when characters had to be replaced."""
    el.text, edited = xml_safe(text)
    if edited:
        el.set("status", "edited")
    return el


#: Characters a URI may hold as they are (RFC 3986 reserved and unreserved, and "%" of an escape).
_URI_SAFE = ":/?@!$&'()*+,;=%~"
_BARE_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")


def uri_of(url: str) -> str | None:
    """A recorded URL as an absolute URI that ``xs:anyURI`` accepts, or None.

    Spaces, brackets, non-ASCII characters and a ``%`` that starts no escape are
    percent-encoded, and so is a second ``#``. A value that is not an absolute URI even then
    (no scheme, an authority libxml2 cannot parse) gives None, and is kept as text instead; so
    does any URL that may not be a link at all (see :func:`plandiff.links.web_link`: only
    http(s), never ``javascript:`` or ``data:``).
    """
    address = web_link(xml_safe(url)[0])
    if address is None:
        return None
    text = _BARE_PERCENT.sub("%25", address)
    address, hash_, fragment = text.partition("#")
    uri = urllib.parse.quote(address, safe=_URI_SAFE) + hash_
    uri += urllib.parse.quote(fragment, safe=_URI_SAFE)
    if not _SCHEME.match(uri):
        return None
    probe = etree.Element("uri", value=uri)
    return uri if _any_uri().validate(probe) else None


@functools.cache
def _any_uri() -> etree.XMLSchema:
    """The ``xs:anyURI`` datatype as libxml2 checks it (stricter than XSD 1.0 itself)."""
    return etree.XMLSchema(
        etree.fromstring(
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="uri">'
            '<xs:complexType><xs:attribute name="value" type="xs:anyURI"/></xs:complexType>'
            "</xs:element></xs:schema>",
            parser=safe_parser(),
        )
    )


def slug(name: str) -> str:
    slug = re.sub(r"[\W_]+", "-", name.casefold()).strip("-") or "unnamed"
    return urllib.parse.quote(slug, safe="-")


def iso_date(value: dt.date) -> str:
    return value.isoformat()
