"""The HTML report (``--format html``) without a browser: whole documents with no network
reference, what each page shows, goldens, and registry text that stays text in every field.

Pages are parsed with lxml.html and audited (:func:`tests.html_pages.audit`): only the
renderer's own elements and attributes, links that are fragments resolving to an element or
the sources' http(s) addresses. The same pages are opened in Chromium by
``tests/test_html_browser.py``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import msgspec
import pytest

from plandiff.render import stat
from plandiff.render.html import diff as html_diff
from plandiff.render.html.page import document, el
from plandiff.render.html.style import CSS
from plandiff.result import ChangeKind, DiffResult
from tests.helpers import FIXTURES, SEEDS
from tests.html_pages import (
    BUNDLED,
    JS_URL,
    PAIRS,
    PAYLOAD,
    audit,
    hostile_registry,
    pair_result,
    run,
    web_links_of,
)
from tests.sample_results import every_kind, nested_kinds, seed_like


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)


def _page_and_summary(
    *args: str, shown: tuple[str, ...] = ()
) -> tuple[str, dict[str, int], set[str]]:
    """The CLI's HTML page for a diff (with the options ``shown``), the counts its JSON report
    gives, its source links."""
    page = run("diff", *args, "--format", "html", *shown, registry=SEEDS)
    assert page.exit_code == 0, page.output
    data = json.loads(run("diff", *args, "--format", "json", registry=SEEDS).stdout)
    urls = {e["url"] for c in data["changes"] for e in c["evidence"] if e["url"]}
    return page.stdout, data["summary"], urls


def _html(*args: str) -> str:
    page = run("diff", *args, "--format", "html", registry=SEEDS)
    assert page.exit_code == 0, page.output
    return page.stdout


def test_plan_file_locations_show_only_when_asked(in_repo) -> None:
    """As in the text report: where a plan file's point stands repeats its number."""
    quiet, loud = _html(*PAIRS["ceasefire"]), _html(*PAIRS["ceasefire"], "--locations")
    assert "characters 340–490" not in quiet
    assert "characters 340–490" in loud


SUBJECTS = {"bundled": BUNDLED, **PAIRS}


@pytest.mark.parametrize("name", SUBJECTS)
def test_page_is_a_whole_document_without_network_references(in_repo, name: str) -> None:
    page, counts, urls = _page_and_summary(*SUBJECTS[name], shown=("--show-unchanged",))
    doc = audit(page, urls)
    assert doc.findtext("head/title").startswith("plandiff: ")
    # Each change is one article of its kind; the folded ones are in <details>.
    for kind in ChangeKind:
        shown = doc.xpath(f"//article[contains(@class, 'change')][@data-kind='{kind.value}']")
        assert len(shown) == counts[kind.value], kind
    assert len(doc.xpath("//article[contains(@class, ' moved')]")) == counts["moved"]
    # The nav offers a filter for every kind present, each with its count.
    nav = [a.text_content() for a in doc.xpath("//nav//a")]
    present = [f"{k} ({n})" for k, n in counts.items() if n]
    assert nav == ["all", *sorted(present, key=lambda s: _order(s.split()[0]))]


def _order(name: str) -> int:
    return [*(k.value for k in ChangeKind), "moved"].index(name)


def test_every_footnote_mark_resolves_to_its_source(in_repo) -> None:
    doc = audit(_html(*PAIRS["ceasefire"], "--locations"))
    marks = doc.xpath("//a[@class='fn']")
    assert marks, "with --locations the ceasefire diff cites its two plan files"
    for a in marks:
        n = a.text_content().strip("[]")
        assert a.get("href") == f"#source-{n}"
        (entry,) = doc.xpath(f"//ol[@class='sources']/li[@id='source-{n}']")
        assert entry.get("value") == n


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("diff-us-28-geneva-19.html", BUNDLED),
        ("diff-ceasefire.html", PAIRS["ceasefire"]),
    ],
)
def test_golden_html(golden: Callable[[str, str], None], in_repo, name: str, args) -> None:
    page, _, _ = _page_and_summary(*args)
    golden(name, page)


def test_golden_style_sheet(golden: Callable[[str, str], None]) -> None:
    """The one style sheet every page carries (the pages' goldens leave it out)."""
    golden("style.css", CSS)


def test_golden_log_and_trace_html(golden: Callable[[str, str], None]) -> None:
    log = run("log", "--format", "html", registry=SEEDS)
    trace = run("trace", "us-28:territory", "--format", "html", registry=SEEDS)
    assert log.exit_code == trace.exit_code == 0
    for page in (log.stdout, trace.stdout):
        audit(page)
    golden("log.html", log.stdout)
    golden("trace-us-28-territory.html", trace.stdout)


def test_point_map_rows_are_the_stat_rows_and_link_to_their_changes() -> None:
    result = pair_result("ceasefire")
    doc = audit(html_diff.render(result), web_links_of(result))
    rows = doc.xpath("//table[@class='map']/tbody/tr")
    expected = stat.point_map(result)
    assert len(rows) == len(expected) > 5
    for row, want in zip(rows, expected, strict=True):
        cells = [" ".join(td.text_content().split()) for td in row]
        if want.collapsed:
            assert cells == [f"⋯ {want.collapsed}"]
            continue
        assert cells == [want.old, want.new, stat.map_what(want)]
        (a,) = row.xpath(".//a")
        assert a.get("href") == f"#change-{want.index + 1}"
        (target,) = doc.xpath(f"//article[@id='change-{want.index + 1}']")
        assert target.get("data-kind") == want.kind


def test_redline_is_inline_and_side_by_side() -> None:
    result = every_kind()
    doc = audit(html_diff.render(result), web_links_of(result))
    (article,) = doc.xpath("//article[@data-kind='reworded']")
    inline = article.xpath(".//p[contains(@class, 'redline')]")[0]
    assert [d.text for d in inline.iter("del")] == ["15"]
    assert [i.text for i in inline.iter("ins")] == ["30", " within 14 days"]
    old, new = article.xpath(".//table[@class='sbs']/tbody/tr/td")
    assert old.text_content() == "All heavy weapons are withdrawn 15 km from the line of contact."
    assert not old.xpath(".//ins") and not new.xpath(".//del")
    assert new.text_content().startswith("All heavy weapons are withdrawn 30 km")
    figures = [li.text_content() for li in article.xpath(".//div[@class='figures']//li")]
    assert figures == ["number: 15 → 30", "duration: (none) → 14 days"]


def test_folded_points_open_on_request() -> None:
    result = every_kind()
    closed = audit(html_diff.render(result), web_links_of(result))
    folds = closed.xpath("//details")
    assert [(f.get("class"), f.findtext("summary")) for f in folds] == [
        (
            "fold kind-unreported",
            "1 new point unreported (described): described only, so it may be in plan-v1 in "
            "other words",
        ),
    ]
    assert all(f.get("open") is None for f in folds)
    # Unchanged points are counted, as in the text report: a long text's page stays small.
    counted = closed.xpath("//p[contains(@class, 'kind-unchanged')]/text()")
    assert counted == ["⋯ 1 unchanged point (1)", "⋯ 2 unchanged points (8–9)"]
    loud = [c for c in result.changes if c.kind.value == "unchanged" and c.moved]
    assert len(closed.xpath("//article[@data-kind='unchanged']")) == len(loud) == 1  # moved
    opened = audit(
        html_diff.render(result, show_unchanged=True, show_unreported=True), web_links_of(result)
    )
    assert [f.findtext("summary") for f in opened.xpath("//details")][:2] == [
        "1 unchanged point (1)",
        "2 unchanged points (8–9)",
    ]
    assert all(f.get("open") == "open" for f in opened.xpath("//details"))
    assert len(opened.xpath("//article[@data-kind='unchanged']")) == 4


def test_kind_filter_shows_only_those_kinds(in_repo) -> None:
    page = run("diff", *PAIRS["ceasefire"], "--format", "html", "--kind", "removed,merged")
    assert page.exit_code == 0
    doc = audit(page.stdout)
    kinds = [a.get("data-kind") for a in doc.xpath("//article[contains(@class, 'change')]")]
    assert sorted(kinds) == ["merged", "removed"]
    assert "Showing removed, merged: 2 of " in doc.text_content()
    assert not doc.xpath("//details")


def test_nested_changes_are_listed_under_their_point() -> None:
    doc = audit(html_diff.render(nested_kinds()))
    items = [
        " ".join(li.text_content().split()) for li in doc.xpath("//div[@class='nested']/ul/li")
    ]
    assert "— → 7.1(b) · added" in items
    assert "7.1(c) → — · removed" in items
    assert any(i.startswith("7.6 → Schedule 1 › 2.1 · moved, reworded") for i in items), items


def test_skeleton_is_reusable_and_escapes_its_title() -> None:
    page = document("a <b> title", [el("p", "body & <i>text</i>")])
    doc = audit(page)
    assert doc.findtext("head/title") == "a <b> title"
    assert doc.xpath("//body/p")[0].text == "body & <i>text</i>"


def test_output_is_deterministic() -> None:
    assert html_diff.render(seed_like()) == html_diff.render(seed_like())


# --------------------------------------------------------------------------- hostile text


def _strings(value: Any, path: str = "") -> dict[str, str]:
    if isinstance(value, str) and not isinstance(value, ChangeKind):
        return {path: value}
    out: dict[str, str] = {}
    if isinstance(value, tuple):
        for v in value:
            out.update(_strings(v, path))
    elif isinstance(value, msgspec.Struct):
        for field in msgspec.structs.fields(value):
            out.update(_strings(getattr(value, field.name), f"{path}.{field.name}"))
    return out


@pytest.mark.parametrize("url", [JS_URL, 'https://news.example/"><script>x</script>'])
@pytest.mark.parametrize("make", [every_kind, nested_kinds, seed_like])
def test_every_text_field_of_a_result_stays_text(make: Callable[[], DiffResult], url: str) -> None:
    clean = make()
    result = _poison(clean, url)
    page = html_diff.render(result, show_unchanged=True, show_unreported=True)
    doc = audit(page, {url} if url.startswith("https") else ())
    assert doc.xpath("//article[contains(@class, 'change')]")
    text = doc.text_content()
    # Every field the report shows reached the page as the literal characters of its value.
    shown = {
        path
        for path, value in _strings(result).items()
        if value.endswith(f"[{path}]") and f"{PAYLOAD}[{path}]" in text
    }
    expected = {".old.id", ".new.id", ".old.title", ".new.title", ".changes.new.text"}
    if make is not nested_kinds:
        expected |= {".changes.old.text", ".changes.evidence.quote", ".changes.evidence.title"}
    if make is every_kind:
        expected |= {".old.issuer", ".changes.note", ".changes.evidence.outlet", ".warnings"}
        expected |= {".parts.new", ".parts.old", ".changes.redline.ops"}
    if make is nested_kinds:
        expected |= {".changes.nested.old", ".changes.nested.new"}
    assert expected <= shown, expected - shown
    if make is nested_kinds:
        pass  # no evidence, so no source and no address
    elif url.startswith("https"):
        assert url in doc.xpath("//ol[@class='sources']//a/@href")
    else:
        assert not doc.xpath("//a[starts-with(@href, 'javascript')]")
        assert JS_URL in text  # shown, as text


def _poison(result: DiffResult, url: str) -> DiffResult:
    """``result`` with every string in it, at any depth, carrying :data:`PAYLOAD` followed by
    the field's path, and every source address set to ``url``. The closed vocabularies (kinds,
    roles, the settings' names) stay: they are the renderer's own words, not data."""

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, str) and type(value) is not str:
            return value  # an enum member
        if path.endswith((".role", ".algorithm", ".redline")) and isinstance(value, str):
            return value
        if isinstance(value, str):
            return url if path.endswith(".url") else f"{value}{PAYLOAD}[{path}]"
        if isinstance(value, tuple):
            return tuple(walk(v, path) for v in value)
        if isinstance(value, msgspec.Struct):
            changes = {}
            for field in msgspec.structs.fields(value):
                current = getattr(value, field.name)
                if field.name == "url" and current is None:
                    current = "x"
                changes[field.name] = walk(current, f"{path}.{field.name}")
            return msgspec.structs.replace(value, **changes)
        return value

    return walk(result, "")


#: Every point on the page, so that every field of the hostile registry is rendered.
ALL = ("--show-unchanged", "--show-unreported")


def test_a_hostile_registry_shows_as_text_in_every_page(tmp_path: Path) -> None:
    root, (old_file, new_file) = hostile_registry(tmp_path / "hostile")
    pages = {
        "diff v1 v2": run("diff", "v1", "v2", "--format", "html", *ALL, registry=root),
        "diff v2 v3": run("diff", "v2", "v3", "--format", "html", *ALL, registry=root),
        "diff files": run("diff", str(old_file), str(new_file), "--format", "html", *ALL),
        "log": run("log", "--format", "html", registry=root),
        "trace": run("trace", "v2:p2", "--format", "html", registry=root),
    }
    expected = {
        "diff v1 v2": ["T ", "T2 ", "I ", "RN ", "said ", "S ", "O ", "A fund is set up. "],
        "diff v2 v3": ["T3 ", "I3 ", "A fund ", "is described "],
        "diff files": ["The ceasefire starts at dawn. ", "Plan ", "A fund is set up. "],
        "log": ["T ", "T2 ", "T3 ", "I ", "I3 ", "E ", "S ", "O "],
        "trace": ["RN ", "said ", "S ", "T ", "T2 "],
    }
    for name, result in pages.items():
        assert result.exit_code == 0, (name, result.output)
        doc = audit(result.stdout)  # no source address is http(s): no outside link at all
        text = doc.text_content()
        for before in expected[name]:
            assert f"{before}{PAYLOAD}" in text, (name, before)
        assert PAYLOAD in text, name
        assert not doc.xpath("//script | //img | //svg | //@onerror | //@onload"), name
    # The javascript: address of the article is shown, never linked.
    log = audit(pages["log"].stdout)
    assert JS_URL in log.text_content()
    assert not log.xpath("//a[not(starts-with(@href, '#'))]")


# --------------------------------------------------------------------------- CLI


def test_html_is_offered_by_diff_log_and_trace() -> None:
    for command in ("diff", "log", "trace"):
        help_text = run(command, "--help").stdout
        assert "html" in help_text.split("--format", 1)[1].split("\n", 1)[0], command


def test_layout_options_of_the_text_report_are_refused_with_html() -> None:
    for flag in (("--side-by-side",), ("--context", "2"), ("--stat",)):
        result = run("diff", *BUNDLED, "--format", "html", *flag, registry=SEEDS)
        assert result.exit_code == 2, flag
        assert "not html" in result.stderr, (flag, result.stderr)


@pytest.mark.parametrize(
    "injected",
    [
        "<script>window.__pwned=1</script>",
        '<img src=x onerror="window.__pwned=2">',
        '<a href="javascript:alert(1)">x</a>',
        '<span onclick="alert(1)">x</span>',
        '<a href="#nowhere">x</a>',
        "<!-- x -->",
    ],
)
def test_the_audit_finds_markup_that_came_from_data(injected: str) -> None:
    """The audit is no formality: each of these, spliced raw into a page where data goes,
    is found."""
    page = html_diff.render(seed_like())
    assert page.count("Territorial concessions.") == 1
    spliced = page.replace("Territorial concessions.", injected)
    audit(page)
    with pytest.raises(AssertionError):
        audit(spliced)


def test_the_readme_commands_write_pages() -> None:
    readme = (FIXTURES.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A report to share: HTML", 1)[1].split("\n\n", 2)[1]
    lines = [line.strip() for line in section.splitlines()]
    assert len(lines) == 4 and all(line.startswith("plandiff ") for line in lines)
    for line in lines:
        command, _, target = line.partition(" > ")
        assert target.endswith(".html")
        result = run(*command.split()[1:], registry=SEEDS)
        assert result.exit_code == 0, (line, result.output)
        audit(result.stdout)


def test_hidden_characters_are_shown_and_line_ends_kept() -> None:
    page = document("t", [el("p", "a\r\nb \x1b[31m \u202e \ud800 \ufffe")])
    assert audit(page).xpath("//body/p")[0].text == "a\nb \\x1b[31m \\u202e \\ud800 \\ufffe"
