"""What the HTML tests share: the pages they render, a hostile registry, and the audit that a
page is whole, self-contained and holds no markup from its data.

The audit parses a page with lxml.html, as a browser would read it, and checks every element
and attribute against the small vocabulary the renderer uses: a ``<script>`` or ``onerror``
that came from registry text would be an element or attribute outside it. Links may only be
fragments that resolve to an element of the page, or http(s) addresses of the sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path

import click
import lxml.html
from click.testing import CliRunner
from lxml import etree

from plandiff.cli import Env, cli
from plandiff.links import web_link
from plandiff.render.html.style import CSS
from plandiff.result import DiffResult
from plandiff.texts import diff_texts
from tests.helpers import FIXTURES

#: The fixture pairs every HTML test renders (issue 15: "both fixture pairs"), from the repo root.
PAIRS = {
    "ceasefire": ("fixtures/plans/ceasefire-v1.txt", "fixtures/plans/ceasefire-v2.txt"),
    "supply": ("fixtures/plans/supply-v1.txt", "fixtures/plans/supply-v2.txt"),
}
BUNDLED = ("us-28", "geneva-19")

#: Markup that would run script if any field carrying it reached a page as HTML.
SCRIPT = "<script>window.__pwned=1</script>"
BREAKOUT = '"><img src=x onerror="window.__pwned=2">'
PAYLOAD = f"{SCRIPT}{BREAKOUT}<svg onload=alert(3)>"
JS_URL = "javascript:window.__pwned=3"

#: Every tag and attribute the renderer writes; anything else came from data.
TAGS = frozenset(
    (
        *("html", "head", "meta", "title", "style", "body", "header", "nav", "main", "section"),
        *("article", "details", "summary", "h1", "h2", "h3", "p", "span", "em", "strong"),
        *("cite", "del", "ins", "a", "table", "thead", "tbody", "tr", "th", "td", "ul", "ol"),
        *("li", "dl", "dt", "dd", "div", "blockquote"),
    )
)
ATTRIBUTES = frozenset(
    (
        *("lang", "charset", "http-equiv", "content", "name", "class", "id", "href", "rel"),
        *("colspan", "open", "value", "data-kind", "aria-label"),
    )
)
_OWN_ID = re.compile(
    r"(only-[a-z]+|all|summary|map|changes|sources|warnings|(change|source|version)-\d+)"
)
_OWN_CLASS = re.compile(r"[a-z][a-z-]*")


def audit(page: str, web_links: Iterable[str] = ()) -> lxml.html.HtmlElement:
    """Check that ``page`` is a whole, self-contained document made of our markup only, and
    return it parsed. ``web_links`` are the http(s) addresses the page may link to."""
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">'), page[:80]
    doc = lxml.html.document_fromstring(page)
    assert doc.tag == "html" and [c.tag for c in doc] == ["head", "body"]
    head = doc[0]
    assert head.xpath("meta[@charset='utf-8']"), "no charset"
    assert len(head.xpath("title")) == 1 and head.findtext("title").strip()
    csp = head.xpath("meta[@http-equiv='Content-Security-Policy']/@content")
    assert csp and "default-src 'none'" in csp[0] and "script-src 'none'" in csp[0]
    styles = doc.xpath("//style")
    assert len(styles) == 1 and styles[0].getparent() is head
    css = styles[0].text or ""
    assert css == CSS, "every page carries the one style sheet, whole"
    assert "@import" not in css and "url(" not in css
    ids = set(doc.xpath("//@id"))
    allowed = set(web_links)
    for node in doc.iter():
        if not isinstance(node.tag, str):  # a comment or processing instruction: never ours
            raise AssertionError(f"non-element node {etree.tostring(node)!r}")
        assert node.tag in TAGS, f"element <{node.tag}> did not come from the renderer"
        for name, value in node.attrib.items():
            assert name in ATTRIBUTES, f"attribute {name}={value!r} on <{node.tag}>"
        if "id" in node.attrib:
            assert _OWN_ID.fullmatch(node.get("id")), node.get("id")
        for cls in (node.get("class") or "").split():
            assert _OWN_CLASS.fullmatch(cls), cls
    for a in doc.iter("a"):
        href = a.get("href")
        assert href is not None, "a link without an address"
        if href.startswith("#"):
            assert href[1:] in ids, f"link {href} resolves to no element"
        else:
            assert web_link(href) == href and href in allowed, f"link {href!r}"
    assert not doc.xpath("//@src | //@srcset | //@action | //@formaction | //@style")
    return doc


def web_links_of(result: DiffResult) -> set[str]:
    """The http(s) addresses of the sources a diff cites: the only ones its page may link to."""
    urls = [e.url for c in result.changes for e in c.evidence]
    urls += [e.url for v in (result.old, result.new) for e in v.evidence]
    return {u for u in urls if u and web_link(u) == u}


def pair_result(name: str) -> DiffResult:
    old, new = (FIXTURES.parent / p for p in PAIRS[name])
    return diff_texts(old.read_text(encoding="utf-8"), new.read_text(encoding="utf-8"))


def run(*args: str, registry: Path | None = None) -> click.testing.Result:
    head = ["--registry", str(registry)] if registry is not None else []
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(
        cli, [*head, *args], obj=Env(width=100, color=False), env=environ, catch_exceptions=False
    )


def _ok(result: click.testing.Result) -> str:
    assert result.exit_code == 0, (result.exit_code, result.output)
    return result.stdout


def hostile_registry(where: Path) -> tuple[Path, Sequence[Path]]:
    """A registry whose every text field holds :data:`PAYLOAD` (titles, issuers, notes, point
    texts and summaries, quotes, relation notes, events, source title and outlet; the source
    URL a ``javascript:`` address), recorded through the CLI as a user would, with the two plan
    files it was made from (one of them with markup in its file name). Versions: ``v1`` (full),
    ``v2`` derived from it (full, point 2 reworded with a curated relation), ``v3`` derived from
    ``v2`` (partly known, one described point)."""
    where.mkdir(parents=True, exist_ok=True)
    p = PAYLOAD
    old = where / "old <img src=x onerror=alert(1)>.txt"
    old.write_text(
        f"Plan {p}\n\n1. The ceasefire starts at dawn. {p}\n2. Troops withdraw 15 km. {p}\n"
        "3. Talks resume in Geneva.\n\nDone at Geneva.\n",
        encoding="utf-8",
    )
    new = where / "new.txt"
    new.write_text(
        f"Plan {p}\n\n1. The ceasefire starts at dawn. {p}\n"
        f"2. Troops withdraw 30 km within 14 days. {p}\n3. A fund is set up. {p}\n\nDone.\n",
        encoding="utf-8",
    )
    article = where / "article.txt"
    article.write_text(
        f"Report. The negotiators said {p} the second point was changed. A reconstruction fund "
        f"is described {p} here.\n",
        encoding="utf-8",
    )
    root = where / "registry"
    _ok(run("init", str(root)))
    p2, fund = f"said {p} the second", f"is described {p} here"
    steps = [
        ("version", "add", "v1", "--title", f"T {p}", "--issuer", f"I {p}", "--note", f"N {p}",
         "--declared-points", "3", "--date", "2025-01-01", "--from-text", str(old)),
        ("version", "add", "v2", "--title", f"T2 {p}", "--derived-from", "v1",
         "--from-text", str(new), "--date", "2025-01-02"),
        ("source", "add", str(article), "--title", f"S {p}", "--outlet", f"O {p}",
         "--url", JS_URL, "--published", "2025-01-02"),
        ("relate", "v1:p2", "v2:p2", "--as", "reworded", "--quote", p2,
         "--source", "article", "--note", f"RN {p}"),
        ("event", "add", "v2", "--date", "2025-01-02", "--what", f"E {p}",
         "--quote", "The negotiators said", "--source", "article"),
        ("version", "add", "v3", "--title", f"T3 {p}", "--derived-from", "v2",
         "--declared-points", "4", "--issuer", f"I3 {p}"),
        ("point", "add", "v3", "--summary", f"A fund {p}", "--quote", fund,
         "--source", "article", "--key", "fund"),
    ]  # fmt: skip
    for args in steps:
        _ok(run(*args, registry=root))
    return root, (old, new)
