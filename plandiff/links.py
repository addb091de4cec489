"""Which recorded addresses may become links, in every output that can hold one.

A source's URL is untrusted text: read from a page's metadata or typed by hand. Written as a
link, a ``javascript:`` address runs script when clicked and a ``data:`` address shows a page
of the attacker's making under a trusted title. So only an absolute ``http``/``https`` URL with
a host ever becomes a link (the Markdown report's links, the Akoma Ntoso export's references);
any other value stays text. One rule, here, so that no output can drift from it.
"""

from __future__ import annotations

from urllib.parse import urlsplit

__all__ = ["WEB_SCHEMES", "web_link"]

#: The schemes a link may have.
WEB_SCHEMES = frozenset({"http", "https"})


def web_link(url: str | None) -> str | None:
    """``url`` without surrounding whitespace when it may be a link, else None.

    The scheme is read as a browser would read it: ``urlsplit`` drops the tabs and line breaks
    that browsers ignore inside a scheme (``java\\tscript:``) before looking at it.
    """
    if not url:
        return None
    text = url.strip()
    try:
        parts = urlsplit(text)
    except ValueError:  # e.g. an unbalanced bracket in the host
        return None
    if parts.scheme.lower() not in WEB_SCHEMES or not parts.hostname:
        return None
    return text
