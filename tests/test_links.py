"""plandiff.links: one rule for which recorded URLs may become links, held by every output."""

from __future__ import annotations

import pytest

from plandiff.akn.elements import uri_of
from plandiff.links import web_link
from plandiff.render import markdown

#: Addresses that must never become a link: script, forged pages, local files, and tricks a
#: browser would still read as script (case, tabs, line breaks and spaces in or around the
#: scheme), or no host at all.
NEVER_LINKS = [
    "javascript:alert(document.domain)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "\x00javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "http:javascript:alert(1)",
    "https:///no-host",
    "//evil.example/no-scheme",
    "http://[::1",
    "",
]

WEB = [
    ("https://example.org/plans/a.txt", "https://example.org/plans/a.txt"),
    ("  HTTP://Example.org/x?q=1#f  ", "HTTP://Example.org/x?q=1#f"),
    ("http://user@host.example:8080/p", "http://user@host.example:8080/p"),
]


@pytest.mark.parametrize("url", NEVER_LINKS)
def test_only_web_addresses_may_be_links(url: str) -> None:
    assert web_link(url) is None


@pytest.mark.parametrize(("url", "address"), WEB)
def test_web_addresses_are_links_without_surrounding_space(url: str, address: str) -> None:
    assert web_link(url) == address


@pytest.mark.parametrize("url", [u for u in NEVER_LINKS if u])
def test_neither_markdown_nor_akoma_ntoso_links_what_the_rule_refuses(url: str) -> None:
    assert "](" not in markdown.link("title", url)
    assert uri_of(url) is None  # the export's references keep it as text


@pytest.mark.parametrize(("url", "address"), WEB)
def test_markdown_and_akoma_ntoso_link_web_addresses(url: str, address: str) -> None:
    assert markdown.link("title", url).startswith("[title](<")
    assert uri_of(url) == address
