"""An article file as saved by an analyst → the text quotes anchor into, plus its metadata.

Three kinds of file are read:

* **Plain text** is kept as written; only line endings become ``\\n`` and a byte-order mark is
  dropped, so that a quote typed on the command line finds the same characters.
* **Markdown** is kept as written too (a plan text in Markdown is segmented with its ``**1.**``
  markers); a leading front-matter block (``---`` … ``---``) is read for metadata and left out of
  the text, and a first ``# Heading`` gives the title when the front matter does not.
* **HTML** goes through trafilatura, an extractor made for news pages: it keeps the article's
  main text and drops scripts, styles, navigation, headers, footers, share widgets and related
  links; paragraphs and list items come out one per line. Its metadata extraction (with htmldate
  for the date) gives title, site name, author, publication date and canonical URL.

Extraction is a pure function of the bytes: trafilatura is given the page, never a URL, so it
fetches nothing; its date search is limited to the page's metadata and markup (no guessing from
dates in the prose) with a fixed latest date instead of "today", its extraction timeout is off
and no deduplication cache carries over from one call to the next. The same file gives the same
text on every machine and every day.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from plandiff.errors import InputError, show
from plandiff.store import decode_any_text
from plandiff.text import clean_line

if TYPE_CHECKING:
    from configparser import ConfigParser

__all__ = ["Capture", "FileFormat", "detect_format", "extract", "parse_date"]

# trafilatura and htmldate log "discarding data" and the like as warnings; with no handler
# configured, Python would print them on stderr in the middle of the command's output. A
# NullHandler silences them unless the application configures logging itself.
for _name in ("trafilatura", "htmldate", "courlan", "justext", "readability"):
    logging.getLogger(_name).addHandler(logging.NullHandler())

#: htmldate drops dates after its ``max_date``, which defaults to today: a page dated "in the
#: future" of a machine's clock would lose its date. A fixed bound keeps extraction reproducible.
LATEST_DATE = "2099-12-31"

_HTML_SUFFIXES = {".html", ".htm", ".xhtml", ".shtml"}
_MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}
_TEXT_SUFFIXES = {".txt", ".text"}
_HTML_SNIFF = re.compile(
    rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S
)
_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")
_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<body>.*?\n)---[ \t]*(?:\n|\Z)", re.S)
_FRONT_KEY = re.compile(r"^(?P<key>[A-Za-z_][A-Za-z0-9_-]*)[ \t]*:[ \t]*(?P<value>.*?)[ \t]*$")
_HEADING = re.compile(r"^#[ \t]+(?P<title>\S.*?)[ \t#]*$", re.M)

#: Front-matter keys → the Source field they fill (the usual names of static site generators).
_FRONT_FIELDS = {
    "title": "title",
    "headline": "title",
    "author": "author",
    "byline": "author",
    "date": "published",
    "published": "published",
    "url": "url",
    "canonical": "url",
    "canonical_url": "url",
    "outlet": "outlet",
    "site": "outlet",
    "site_name": "outlet",
    "sitename": "outlet",
    "publisher": "outlet",
    "lang": "language",
    "language": "language",
}


class FileFormat(StrEnum):
    """The kinds of article file :func:`extract` reads."""

    TEXT = "text"
    """Plain text, kept as written."""
    MARKDOWN = "markdown"
    """Markdown, kept as written less its front matter."""
    HTML = "html"
    """An HTML page; its main text is extracted."""

    @property
    def suffix(self) -> str:
        """The file-name extension of a kept original in this format."""
        return {"text": "txt", "markdown": "md", "html": "html"}[self.value]


@dataclass(frozen=True, slots=True)
class Capture:
    """One article file read and extracted: the text to store, its metadata and the original."""

    name: str
    """The file's name as given (for messages and the default source id)."""
    format: FileFormat
    text: str
    """What quotes anchor into; stored as UTF-8."""
    original: bytes
    """The file's bytes, kept beside the text when they differ from it."""
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    published: dt.date | None = None
    author: str | None = None
    language: str | None = None

    @property
    def text_bytes(self) -> bytes:
        return self.text.encode("utf-8")


def detect_format(name: str, data: bytes) -> FileFormat:
    """The format by extension, else by a look at the first bytes (an HTML page says so)."""
    suffix = PurePath(name).suffix.lower()
    if suffix in _HTML_SUFFIXES:
        return FileFormat.HTML
    if suffix in _MARKDOWN_SUFFIXES:
        return FileFormat.MARKDOWN
    if suffix in _TEXT_SUFFIXES:
        return FileFormat.TEXT
    head = data[:2048].removeprefix(b"\xef\xbb\xbf")
    return FileFormat.HTML if _HTML_SNIFF.match(head) else FileFormat.TEXT


def parse_date(value: str) -> dt.date | None:
    """A calendar date from ``YYYY-MM-DD`` or the start of an ISO timestamp; None otherwise."""
    match = re.match(r"\s*(\d{4}-\d{2}-\d{2})", value)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match[1])
    except ValueError:
        return None


def extract(data: bytes, name: str, fmt: FileFormat | None = None) -> Capture:
    """Read one article file's bytes; ``fmt`` overrides the detected format."""
    fmt = fmt or detect_format(name, data)
    if fmt is FileFormat.HTML:
        return _extract_html(data, name)
    try:
        text = _normalise(decode_any_text(data))
    except ValueError as exc:
        raise InputError(f"{show(name)}: {exc}") from exc
    if fmt is FileFormat.MARKDOWN:
        return _extract_markdown(data, name, text)
    return Capture(name=name, format=fmt, text=text, original=data)


# --------------------------------------------------------------------------- helpers


def _normalise(text: str) -> str:
    """Line endings as ``\\n``, no byte-order mark: the text a quote is matched against."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _clean(value: object) -> str | None:
    """A metadata value on one line, without control characters; None when empty."""
    if value is None:
        return None
    return clean_line(value) or None


def _language(value: object) -> str | None:
    text = _clean(value)
    return text if text and _LANGUAGE.match(text) else None


# --------------------------------------------------------------------------- Markdown


def _extract_markdown(data: bytes, name: str, text: str) -> Capture:
    meta: dict[str, str] = {}
    front = _FRONT_MATTER.match(text)
    if front:
        for line in front["body"].splitlines():
            found = _FRONT_KEY.match(line)
            if not found:
                continue
            field = _FRONT_FIELDS.get(found["key"].lower())
            value = found["value"].strip()
            if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
                value = value[1:-1]
            if field and value and field not in meta:
                meta[field] = value
        text = text[front.end() :].lstrip("\n")
    if "title" not in meta:
        heading = _HEADING.search(text)
        if heading:
            meta["title"] = heading["title"]
    return Capture(
        name=name,
        format=FileFormat.MARKDOWN,
        text=text,
        original=data,
        title=_clean(meta.get("title")),
        outlet=_clean(meta.get("outlet")),
        url=_clean(meta.get("url")),
        published=parse_date(meta.get("published", "")),
        author=_clean(meta.get("author")),
        language=_language(meta.get("language")),
    )


# --------------------------------------------------------------------------- HTML


@lru_cache(maxsize=1)
def _config() -> ConfigParser:
    from trafilatura.settings import use_config

    config = use_config()
    # The timeout uses SIGALRM (main thread only) and makes results depend on machine speed.
    config.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")
    config.set("DEFAULT", "EXTENSIVE_DATE_SEARCH", "off")
    return config


#: A page with more elements, or a tag with more attributes, is refused before it is parsed.
#: News pages have a few thousand elements and tags a handful of attributes; extraction costs
#: about a fifth of a millisecond an element, and libxml2 checks each attribute of a tag
#: against the ones before it (40,000 attributes in one ``<p>`` took 45 s).
MAX_HTML_ELEMENTS = 30_000
MAX_HTML_ATTRIBUTES = 1_000
#: What may follow "<" in markup: a start tag (its name), an end tag, a comment, or a bogus
#: comment ("<!DOCTYPE …>", "<?…>", "</1…>") that runs to the next ">".
_MARKUP_OPEN = re.compile(rb"<(?:([A-Za-z][^\s/>]*)|(/[A-Za-z][^\s/>]*)|(!--)|[!?/])")
_COMMENT_END = re.compile(rb"--!?>")
_ABRUPT_COMMENT_END = re.compile(rb"-?>")  # "<!-->" and "<!--->" are whole comments
#: Elements whose content an HTML parser reads as text up to their end tag. Scripts and styles
#: are skipped (their code is full of ``<`` and quotes); the others, text in libxml2 2.14 but
#: markup in some older versions, are counted both ways, their own end tag bounding the count.
_SKIPPED = frozenset({b"script", b"style"})
_TEXT_ONLY = frozenset({b"title", b"textarea", b"xmp", b"iframe", b"noembed", b"noframes"})


# States of an HTML tokenizer inside a tag (WHATWG HTML, "before attribute name" and after).
_BEFORE_NAME, _NAME, _AFTER_NAME, _BEFORE_VALUE, _UNQUOTED, _AFTER_QUOTED = range(6)
_TAG_TOKEN = re.compile(rb"""\s+|/+|=+|[^\s/="'>]+|["']+|>""")
#: Next state on whitespace, "/", "=" and anything else; None where a new attribute starts.
_ON_SPACE = {_NAME: _AFTER_NAME, _UNQUOTED: _BEFORE_NAME, _AFTER_QUOTED: _BEFORE_NAME}
_ON_SLASH = {_BEFORE_VALUE: _UNQUOTED, _UNQUOTED: _UNQUOTED}
_ON_EQUALS = {_NAME: _BEFORE_VALUE, _AFTER_NAME: _BEFORE_VALUE}
_ON_EQUALS |= {_BEFORE_VALUE: _UNQUOTED, _UNQUOTED: _UNQUOTED}
_ON_OTHER = {_NAME: _NAME, _BEFORE_VALUE: _UNQUOTED, _UNQUOTED: _UNQUOTED}


def _tag_end(data: bytes, pos: int, size: int) -> tuple[int, int]:
    """(where the tag whose name ends at ``pos`` ends, how many attributes it has).

    Read as an HTML tokenizer reads it: only a quote where a value starts opens a quoted value
    (which runs to its closing quote, ``>`` included); elsewhere a quote is part of a name or
    of an unquoted value, and ``=`` may itself start a name.
    """
    attributes, state = 0, _BEFORE_NAME
    while pos < size:
        found = _TAG_TOKEN.match(data, pos, size)
        assert found is not None  # the pattern matches any byte
        token = found.group()
        pos = found.end()
        first = token[:1]
        if first == b">":
            return pos, attributes
        if first.isspace():
            state = _ON_SPACE.get(state, state)
        elif first == b"/":
            state = _ON_SLASH.get(state, _BEFORE_NAME)
            if len(token) > 1:  # a run: the states settle after two
                state = _ON_SLASH.get(state, _BEFORE_NAME)
        elif first in b"\"'" and state == _BEFORE_VALUE:  # a quoted value
            close = data.find(first, found.start() + 1, size)
            pos, state = (size if close < 0 else close + 1), _AFTER_QUOTED
        else:  # runs of "=", of quotes outside a value, or of other characters
            table = _ON_EQUALS if first == b"=" else _ON_OTHER
            for _ in range(min(len(token), 3) if first == b"=" else 1):  # "=" settles after 3
                if state in table:
                    state = table[state]
                else:  # before a name, after one, or after a quoted value: a new attribute
                    attributes += 1
                    state = _NAME
            if attributes > MAX_HTML_ATTRIBUTES:
                return size, attributes  # refused whatever follows: stop reading
    return size, attributes


def _markup_size(data: bytes, pos: int = 0, size: int | None = None) -> tuple[int, int]:
    """(start tags, most attributes in one tag) of a page, over-counted rather than under.

    One linear pass that reads tags, end tags, comments and scripts as an HTML tokenizer does,
    so that no tag the parser will see is hidden from the count inside what looks like a
    comment or a quoted value. ``pos`` and ``size`` bound the part read (the content of a
    text-only element).
    """
    nested = size is None
    size = len(data) if size is None else size
    elements = most = 0
    while pos < size:
        found = _MARKUP_OPEN.search(data, pos, size)
        if found is None:
            break
        name, end_tag, comment = found.groups()
        if comment:
            close = _ABRUPT_COMMENT_END.match(data, found.end(), size) or _COMMENT_END.search(
                data, found.end(), size
            )
            pos = size if close is None else close.end()
            continue
        if name is None and end_tag is None:  # a bogus comment
            gt = data.find(b">", found.end(), size)
            pos = size if gt < 0 else gt + 1
            continue
        pos, attributes = _tag_end(data, found.end(), size)
        if name is None:
            continue  # an end tag: read for its quotes, its attributes are dropped
        elements += 1
        most = max(most, attributes)
        if elements > MAX_HTML_ELEMENTS or most > MAX_HTML_ATTRIBUTES:
            break  # refused whatever follows: stop counting
        name = name.lower()
        if nested and (name in _SKIPPED or name in _TEXT_ONLY):
            close = re.compile(rb"</" + name, re.I).search(data, pos, size)
            end = size if close is None else close.start()
            if name in _TEXT_ONLY:
                inner, inner_most = _markup_size(data, pos, end)
                elements, most = elements + inner, max(most, inner_most)
            pos = end
    return elements, most


def _check_markup(data: bytes, name: str) -> None:
    """Refuse, in one line, a page too big in elements or attributes to extract in seconds."""
    elements, attributes = _markup_size(data)
    if elements > MAX_HTML_ELEMENTS:
        raise InputError(
            f"{show(name)}: the page has more than {MAX_HTML_ELEMENTS:,} HTML elements, too many "
            "for an article page; save the article's own text and add that instead"
        )
    if attributes > MAX_HTML_ATTRIBUTES:
        raise InputError(
            f"{show(name)}: a tag of the page has more than {MAX_HTML_ATTRIBUTES:,} attributes; "
            "save the article's own text and add that instead"
        )
    # libxml2 drops what lies deeper than its nesting limit (256), and the text after it, so
    # the extractor would silently return part of the article, or report none at all.
    from lxml import html

    parser = html.HTMLParser()
    html.document_fromstring(data, parser=parser)
    for error in parser.error_log:
        if error.type_name == "ERR_RESOURCE_LIMIT":
            raise InputError(
                f"{show(name)}: the page exceeds the HTML parser's limits "
                f"({error.message.split(',')[0]}); save the article's own text and add that"
            )


def _extract_html(data: bytes, name: str) -> Capture:
    _check_markup(data, name)
    import trafilatura
    from trafilatura.utils import load_html

    document = trafilatura.bare_extraction(
        data,
        url=None,  # never fetch; the canonical URL comes from the page itself
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
        include_links=False,
        include_formatting=False,
        deduplicate=False,  # the default cache is global: a second capture would lose text
        date_extraction_params={
            "extensive_search": False,
            "original_date": True,
            "max_date": LATEST_DATE,
        },
        config=_config(),
    )

    def field(key: str) -> Any:
        # trafilatura returns a Document (a dict in older releases, or None for no text)
        if isinstance(document, dict):
            return document.get(key)
        return getattr(document, key, None)

    body = field("text")
    # Whitespace is not significant in HTML: none is kept at the ends of lines, where a quote
    # copied from a browser would not have it.
    lines = _normalise(body or "").replace("\x00", "").split("\n")
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    if not text.strip():
        raise InputError(f"{show(name)}: no article text found in this HTML page")
    tree = load_html(data)
    language = None
    if tree is not None:
        language = _language(
            tree.get("lang") or tree.get("{http://www.w3.org/XML/1998/namespace}lang")
        )
    return Capture(
        name=name,
        format=FileFormat.HTML,
        text=text + "\n",
        original=data,
        title=_clean(field("title")),
        outlet=_clean(field("sitename")),
        url=_clean(field("url")),
        published=parse_date(field("date") or ""),
        author=_clean(field("author")),
        language=language,
    )
