"""The HTML report in a real browser: headless Chromium (Debian's ``chromium`` package) driven
by Playwright.

Each page (the bundled diff, the fixture pairs, a lineage table, a whole text as amended, and
a hostile registry's diff, log and trace)
is opened from a file, and the test checks what a reader gets: as many changes of each kind
as the diff counts, the filter links that show one kind at a time without script, footnote
links that land on an element, no request beyond the page itself, and no script from the
data: the hostile pages are opened with the Content-Security-Policy bypassed, so it is the
escaping that is tested, not the policy (which is tested on its own). A screenshot of each
page is saved in the test's temporary folder. A second test prints a page to PDF.

The tests skip, saying why, only when no Chromium binary is found (``PLANDIFF_CHROMIUM``, else
``chromium``, ``chromium-browser``, ``google-chrome`` on the PATH); ``.ci/run`` installs it.
One browser serves the whole module.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import FIXTURES, SEEDS
from tests.html_pages import BUNDLED, PAIRS, SCRIPT, hostile_registry, run

#: Flags for a quiet headless browser on a build machine: no sandbox (containers run as
#: root), no GPU, and nothing that phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def find_chromium() -> str | None:
    """The Chromium to drive: ``$PLANDIFF_CHROMIUM``, else the first one on the PATH."""
    given = os.environ.get("PLANDIFF_CHROMIUM")
    if given:
        return given if Path(given).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = find_chromium()
    if executable is None:
        pytest.skip(
            "no Chromium found (PLANDIFF_CHROMIUM, or chromium / chromium-browser / "
            "google-chrome on the PATH): install Debian's chromium package to run the browser tests"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, dict[str, int]]]:
    """Each page to open, with the counts of its diff (empty for log and trace)."""
    out: dict[str, tuple[str, dict[str, int]]] = {}
    cwd = Path.cwd()
    os.chdir(FIXTURES.parent)
    try:
        for name, args in {"bundled": BUNDLED, **PAIRS}.items():
            out[name] = _diff_page(SEEDS, *args)
        root, _ = hostile_registry(tmp_path_factory.mktemp("hostile"))
        out["hostile-diff"] = _diff_page(root, "v1", "v2")
        out["hostile-partial"] = _diff_page(root, "v2", "v3")
        charter = [f"fixtures/plans/charter-v{n}.txt" for n in (1, 2, 3)]
        compare = run("compare", *charter, "--format", "html", registry=SEEDS)
        assert compare.exit_code == 0, compare.output
        out["compare"] = (compare.stdout, {})
        full = run("diff", *PAIRS["ceasefire"], "--full", "--format", "html", registry=SEEDS)
        assert full.exit_code == 0, full.output
        out["full"] = (full.stdout, {})
        for name, args in {"hostile-log": ("log",), "hostile-trace": ("trace", "v2:p2")}.items():
            page = run(*args, "--format", "html", registry=root)
            assert page.exit_code == 0, page.output
            out[name] = (page.stdout, {})
    finally:
        os.chdir(cwd)
    return out


def _diff_page(registry: Path, *args: str) -> tuple[str, dict[str, int]]:
    page = run("diff", *args, "--format", "html", "--show-unchanged", registry=registry)
    data = run("diff", *args, "--format", "json", registry=registry)
    assert page.exit_code == data.exit_code == 0, (page.output, data.output)
    return page.stdout, json.loads(data.stdout)["summary"]


class Visit:
    """A page opened from a file, recording every request and dialog."""

    def __init__(self, browser: Any, path: Path, *, bypass_csp: bool = False) -> None:
        self.url = path.as_uri()
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(bypass_csp=bypass_csp)
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", self._dialog)
        self.page.goto(self.url)

    def _route(self, route: Any) -> None:
        if route.request.url == self.url:
            route.continue_()
        else:
            route.abort()

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def visible_changes(self) -> list[tuple[str, bool]]:
        """Kind and moved flag of each change a reader sees now."""
        return [
            (a.get_attribute("data-kind"), " moved" in (a.get_attribute("class") or ""))
            for a in self.page.locator("article.change").all()
            if a.is_visible()
        ]

    def close(self) -> None:
        self.context.close()


NAMES = [
    "bundled",
    *PAIRS,
    "compare",
    "full",
    "hostile-diff",
    "hostile-partial",
    "hostile-log",
    "hostile-trace",
]


@pytest.mark.parametrize("name", NAMES)
def test_page_in_chromium(browser: Any, pages: dict, tmp_path: Path, name: str) -> None:
    html, counts = pages[name]
    path = tmp_path / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    visit = Visit(browser, path, bypass_csp=name.startswith("hostile"))
    try:
        page = visit.page
        # No script from the data ran, no dialog opened, nothing was fetched.
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert visit.dialogs == []
        assert page.locator("script, img, iframe, object, embed, svg").count() == 0
        # Every fragment link lands on an element of the page.
        dangling = page.evaluate(
            "[...document.querySelectorAll('a[href^=\"#\"]')]"
            ".map(a => a.getAttribute('href').slice(1))"
            ".filter(id => !document.getElementById(id))"
        )
        assert dangling == []
        assert page.locator("a.fn").count() == 0 or page.locator("ol.sources li").count() > 0
        if counts:
            _check_counts_and_filters(visit, counts)
        shot = tmp_path / f"{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 5000
        assert visit.requests == [visit.url], visit.requests
    finally:
        visit.close()


def _check_counts_and_filters(visit: Visit, counts: dict[str, int]) -> None:
    page = visit.page
    # Unreported points are folded (one line per side) as the text report folds them (the
    # unchanged ones are open: the pages are made with --show-unchanged): their changes are on
    # the page but shown only once their line is opened.
    before = visit.visible_changes()
    assert len(before) == sum(n for k, n in counts.items() if k != "moved") - counts["unreported"]
    assert all(k != "unreported" for k, _ in before)
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    shown = visit.visible_changes()
    for kind, n in counts.items():
        if kind == "moved":
            assert sum(moved for _, moved in shown) == n
        else:
            assert sum(k == kind for k, _ in shown) == n, kind
    # Each filter link shows that kind alone, without script (the page's own has none).
    for kind, n in counts.items():
        if not n:
            continue
        page.click(f'nav a[href="#only-{kind}"]')
        now = visit.visible_changes()
        assert len(now) == n, (kind, now)
        assert all((moved if kind == "moved" else k == kind) for k, moved in now), (kind, now)
    page.click('nav a[href="#all"]')
    assert len(visit.visible_changes()) == len(shown)


def test_the_content_security_policy_stops_script_that_got_in(
    browser: Any, pages: dict, tmp_path: Path
) -> None:
    """The second wall: were a script element ever to reach a page, the page's policy keeps
    it from running (spliced in here by hand, where the escaping would never put it)."""
    html, _ = pages["bundled"]
    path = tmp_path / "spliced.html"
    path.write_text(html.replace("<main>", f"<main>{SCRIPT}", 1), encoding="utf-8")
    visit = Visit(browser, path)
    try:
        assert visit.page.locator("script").count() == 1
        assert visit.page.evaluate("typeof window.__pwned") == "undefined"
    finally:
        visit.close()
    visit = Visit(browser, path, bypass_csp=True)  # and the test itself can see a script run
    try:
        assert visit.page.evaluate("window.__pwned") == 1
    finally:
        visit.close()


def test_page_prints_to_pdf(browser: Any, pages: dict, tmp_path: Path) -> None:
    html, _ = pages["ceasefire"]
    path = tmp_path / "ceasefire.html"
    path.write_text(html, encoding="utf-8")
    visit = Visit(browser, path)
    try:
        visit.page.emulate_media(media="print")
        assert not visit.page.locator("nav.filter").is_visible()  # print shows everything
        pdf = tmp_path / "ceasefire.pdf"
        visit.page.pdf(path=str(pdf), format="A4")
        assert visit.requests == [visit.url]
    finally:
        visit.close()
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages_in_pdf = len(re.findall(rb"/Type\s*/Page\b(?!s)", data))
    assert pages_in_pdf >= 2, pages_in_pdf  # the report runs over more than one A4 page
    assert len(data) > 20_000
