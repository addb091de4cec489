"""The skeleton every HTML page shares: the element builder, the document, quotes and sources.

:func:`el` is the only way this package makes markup. Its string children become text nodes
(made visible first: controls and bidi overrides as ``\\xNN`` escapes, as in the other
reports), and lxml escapes them when the tree is serialised, so a point reading
``<script>…</script>`` is shown as those characters. Attribute values are ours (classes, ids,
fragment links) except a source's address, which becomes an ``href`` only through
:func:`~plandiff.links.web_link` (absolute http/https with a host).

:func:`document` wraps body elements in a whole HTML5 page: UTF-8, a strict
Content-Security-Policy (no script, no fetch of any kind, inline style only), no referrer, and
the style sheet of :mod:`~plandiff.render.html.style`. The output is deterministic: the same
input gives the same bytes (no dates, no random ids).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TypeAlias

from lxml import etree

from plandiff.links import web_link
from plandiff.render import citing
from plandiff.render.html.style import CSS
from plandiff.text import visible

__all__ = [
    "CSP",
    "Child",
    "cite",
    "document",
    "el",
    "quote_block",
    "safe_text",
    "sources_section",
]

#: No script, no frame, no image, font or connection; only the page's own inline style.
CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'none'; font-src 'none'; "
    "script-src 'none'; connect-src 'none'; frame-src 'none'; base-uri 'none'; "
    "form-action 'none'"
)

#: What an element's content may hold: text, elements, nothing, or a sequence of those.
Child: TypeAlias = "str | etree._Element | Sequence[Child] | None"

#: Characters XML cannot hold at all that :func:`visible` leaves alone: lone surrogates (from a
#: file decoded with ``surrogateescape``) and the two noncharacters lxml refuses.
_NOT_XML = re.compile("[\ud800-\udfff\ufffe\uffff]")


def safe_text(value: object) -> str:
    """Untrusted text as a text node may hold it: hidden characters made visible escapes
    (a Windows line end is a line end, as in the Markdown report)."""
    text = visible("" if value is None else str(value).replace("\r\n", "\n"))
    return _NOT_XML.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def el(tag: str, *children: Child, cls: str | None = None, **attrs: str | None) -> etree._Element:
    """``<tag class=cls attrs…>children</tag>``: strings become escaped text, None is skipped.

    Attribute names are given with ``_`` for ``-`` (``http_equiv``); an attribute whose value
    is None is left out. Attribute values must be our own words or checked addresses: never
    pass registry text here except through :func:`link`.
    """
    node = etree.Element(tag)
    if cls:
        node.set("class", cls)
    for name, value in attrs.items():
        if value is not None:
            node.set(name.rstrip("_").replace("_", "-"), value)
    _append(node, children)
    return node


def _append(node: etree._Element, children: Iterable[Child]) -> None:
    for child in children:
        if child is None:
            continue
        if isinstance(child, str):
            if not child:
                continue
            text = safe_text(child)
            if len(node):
                last = node[-1]
                last.tail = (last.tail or "") + text
            else:
                node.text = (node.text or "") + text
        elif isinstance(child, etree._Element):
            node.append(child)
        else:
            _append(node, child)


def link(label: Child, url: str | None) -> etree._Element:
    """``<a href=url>label</a>`` for a web address, else the label and the address as text."""
    address = web_link(url)
    if address is None:
        if url:
            return el("span", label, " ", el("span", url, cls="mono"))
        return el("span", label)
    return el("a", label, href=address, rel="noreferrer noopener")


def document(title: str, body: Iterable[Child], *, head_title: str | None = None) -> str:
    """A whole HTML5 page: ``title`` as its ``<title>``, ``body`` as the content of ``<body>``."""
    root = el("html", lang="en")
    head = el(
        "head",
        el("meta", charset="utf-8"),
        el("meta", http_equiv="Content-Security-Policy", content=CSP),
        el("meta", name="referrer", content="no-referrer"),
        el("meta", name="viewport", content="width=device-width, initial-scale=1"),
        el("meta", name="generator", content="plandiff"),
        el("title", head_title or title),
    )
    style = etree.SubElement(head, "style")
    style.text = CSS  # our own sheet: the one place raw text goes into a page
    root.append(head)
    root.append(el("body", list(body)))
    _line_breaks(root)
    out = etree.tostring(root, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
    return out + "\n"


#: Elements whose whitespace between children is not shown (no text of their own, not
#: pre-wrapped): each child of one starts a line of the file, so a page and its diffs read well.
_CONTAINERS = frozenset(
    (
        *("html", "head", "body", "header", "main", "nav", "section", "article", "details"),
        *("table", "thead", "tbody", "ul", "ol", "dl", "blockquote", "div"),
    )
)


def _line_breaks(node: etree._Element) -> None:
    """A line break before each child of a container that holds no text of its own."""
    for child in node:
        _line_breaks(child)
    if node.tag not in _CONTAINERS or "text" in (node.get("class") or "").split():
        return
    if (node.text or "").strip() or any((c.tail or "").strip() for c in node) or not len(node):
        return
    node.text = "\n"
    for child in node:
        child.tail = "\n"


# --------------------------------------------------------------------------- quotes, sources


def cite(n: int) -> etree._Element:
    """A footnote mark ``[n]`` that links to the source list's entry."""
    return el("a", f"[{n}]", cls="fn", href=f"#source-{n}")


def quote_block(
    quote: str, n: int, who: str | None = None, where: Sequence[str | None] = ()
) -> etree._Element:
    """A quote with its footnote mark: ``“quote” — who [n], where``."""
    facts = ", ".join(w for w in where if w)
    return el(
        "blockquote",
        el("p", "“", el("span", quote, cls="text"), "”"),
        el(
            "p",
            "— ",
            f"{who} " if who else None,
            cite(n),
            f", {facts}" if facts else None,
            cls="muted",
        ),
    )


def sources_section(notes: citing.Footnotes) -> etree._Element | None:
    """The numbered list of the sources cited, each entry the target of its footnote marks."""
    entries = notes.entries()
    if not entries:
        return None
    items = []
    for n, note in entries:
        facts = [
            note.outlet,
            note.published.isoformat() if note.published else "date unknown",
            f"source {note.id}",
            citing.judgement(note),
        ]
        title = el("cite", citing.source_name(note))
        body: list[Child] = [link(title, note.url), " — ", ", ".join(f for f in facts if f)]
        if note.url and web_link(note.url):
            body += [" ", el("span", note.url, cls="mono muted")]
        items.append(el("li", body, id=f"source-{n}", value=str(n)))
    return el("section", el("h2", "Sources"), el("ol", items, cls="sources"), id="sources")
