"""Article files → stored text and metadata (plandiff.extract).

HTML golden files follow a naming convention: ``fixtures/html/X.html`` is extracted and compared
with ``X.expected.txt`` (the text) and ``X.expected.json`` (the metadata). After a deliberate
change, regenerate them with ``pytest tests/test_extract.py --update-goldens`` (the project's
golden-file flag, see conftest.py) and review the diff.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from plandiff.errors import InputError
from plandiff.extract import (
    MAX_HTML_ATTRIBUTES,
    MAX_HTML_ELEMENTS,
    Capture,
    FileFormat,
    _markup_size,
    detect_format,
    extract,
    parse_date,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "html"
PAGES = sorted(p.name.removesuffix(".html") for p in FIXTURES.glob("*.html"))


def metadata(capture: Capture) -> dict[str, str | None]:
    return {
        "title": capture.title,
        "outlet": capture.outlet,
        "url": capture.url,
        "published": capture.published.isoformat() if capture.published else None,
        "author": capture.author,
        "language": capture.language,
    }


@pytest.mark.parametrize("page", PAGES)
def test_html_golden(page: str, request: pytest.FixtureRequest) -> None:
    data = (FIXTURES / f"{page}.html").read_bytes()
    capture = extract(data, f"{page}.html")
    text_file = FIXTURES / f"{page}.expected.txt"
    meta_file = FIXTURES / f"{page}.expected.json"
    meta = json.dumps(metadata(capture), indent=2, ensure_ascii=False) + "\n"
    if request.config.getoption("--update-goldens", default=False):
        text_file.write_bytes(capture.text_bytes)
        meta_file.write_text(meta, encoding="utf-8")
    assert capture.format is FileFormat.HTML
    assert capture.text == text_file.read_text(encoding="utf-8")
    assert meta == meta_file.read_text(encoding="utf-8")
    assert capture.original == data


def test_fixture_pages_exist() -> None:
    assert "valley-ledger" in PAGES and "harbour-post" in PAGES


def test_page_furniture_is_dropped_and_article_kept() -> None:
    capture = extract((FIXTURES / "valley-ledger.html").read_bytes(), "valley-ledger.html")
    for furniture in (
        "cookies",  # cookie banner
        "Sport",  # navigation
        "Advertisement",  # advert
        "Share on",  # share widget
        "dataLayer",  # inline script
        "border:",  # inline style
        "trackPageView",
        "Drought hits",  # related links
        "Subscribe",  # newsletter box
        "All rights reserved",  # footer
        "Privacy",
    ):
        assert furniture not in capture.text, furniture
    lines = capture.text.splitlines()
    assert lines[0] == "Arden delegations agree revised water-sharing plan"
    assert lines[-1].startswith("The plan now goes to both provincial assemblies, which are")
    assert len(lines) == 6  # the headline and five paragraphs, one per line
    assert metadata(capture) == {
        "title": "Arden delegations agree revised water-sharing plan",
        "outlet": "The Valley Ledger",
        "url": "https://ledger.example/news/2031/03/14/arden-water-plan",
        "published": "2031-03-14",
        "author": "Mara Lindqvist",
        "language": "en",
    }


def test_list_items_are_lines_and_comments_are_dropped() -> None:
    capture = extract((FIXTURES / "harbour-post.html").read_bytes(), "harbour-post.html")
    assert "- the exchange of all prisoners within thirty days;\n" in capture.text
    assert "Finally some good news" not in capture.text  # reader comments
    assert "Night ferry" not in capture.text  # advert in a figure
    assert "Tweet" not in capture.text
    assert capture.published == dt.date(2031, 5, 2)  # published, not modified
    assert capture.author == "Tomas Ekberg"


def test_extraction_is_deterministic() -> None:
    data = (FIXTURES / "valley-ledger.html").read_bytes()
    first = extract(data, "a.html")
    # a second, identical page must not lose text to a deduplication cache
    assert extract(data, "a.html") == first
    assert extract(data, "b.html").text == first.text


def test_html_without_article_text_is_refused() -> None:
    with pytest.raises(InputError, match=r"'empty.html': no article text found"):
        extract(b"<html><head><title>x</title></head><body> </body></html>", "empty.html")


def test_html_in_another_charset_is_decoded() -> None:
    page = (
        '<html><head><meta charset="iso-8859-1"><title>Caf\xe9</title></head><body><article>'
        + "<p>Le caf\xe9 du port rouvre ses portes apr\xe8s trois ans de travaux.</p>" * 3
        + "</article></body></html>"
    ).encode("latin-1")
    capture = extract(page, "cafe.html")
    assert "Le café du port rouvre" in capture.text


def test_plain_text_is_kept_with_line_endings_normalised() -> None:
    capture = extract(b"\xef\xbb\xbfLine one\r\nLine two\rLine three\n", "note.txt")
    assert capture.format is FileFormat.TEXT
    assert capture.text == "Line one\nLine two\nLine three\n"
    assert capture.title is None
    assert capture.original.startswith(b"\xef\xbb\xbf")


def test_plain_text_that_is_not_utf8_is_refused() -> None:
    with pytest.raises(InputError, match=r"'latin.txt': not UTF-8 \(byte 3"):
        extract(b"caf\xe9", "latin.txt")
    with pytest.raises(InputError, match="binary content"):
        extract(b"a\x00b", "nul.txt")


def test_markdown_front_matter_gives_metadata_and_is_left_out() -> None:
    data = (
        b'---\ntitle: "Plan: the text"\nauthor: Ana Ruiz\ndate: 2031-04-01T10:00:00Z\n'
        b"site_name: Example Wire\nurl: https://wire.example/plan\nlang: es\nunknown: x\n---\n\n"
        b"# Heading\n\n**1.** First point.\n"
    )
    capture = extract(data, "plan.md")
    assert capture.format is FileFormat.MARKDOWN
    assert capture.text == "# Heading\n\n**1.** First point.\n"
    assert (capture.title, capture.author, capture.outlet) == (
        "Plan: the text",
        "Ana Ruiz",
        "Example Wire",
    )
    assert (capture.published, capture.url, capture.language) == (
        dt.date(2031, 4, 1),
        "https://wire.example/plan",
        "es",
    )


def test_markdown_title_from_first_heading() -> None:
    capture = extract(b"Intro\n\n# The Plan  #\n\nText\n", "plan.markdown")
    assert capture.title == "The Plan"
    assert capture.text == "Intro\n\n# The Plan  #\n\nText\n"


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("a.html", b"plain", FileFormat.HTML),
        ("a.HTM", b"", FileFormat.HTML),
        ("a.md", b"<html>", FileFormat.MARKDOWN),
        ("a.txt", b"<!DOCTYPE html>", FileFormat.TEXT),
        ("saved-page", b"\xef\xbb\xbf  <!DOCTYPE html><html>", FileFormat.HTML),
        ("saved-page", b"<!-- saved --><html lang=en>", FileFormat.HTML),
        ("notes", b"1. <b>bold</b> point", FileFormat.TEXT),
    ],
)
def test_detect_format(name: str, data: bytes, expected: FileFormat) -> None:
    assert detect_format(name, data) is expected


def test_parse_date() -> None:
    assert parse_date("2031-03-14T09:30:00+00:00") == dt.date(2031, 3, 14)
    assert parse_date("2031-02-30") is None
    assert parse_date("March 2031") is None


def test_metadata_control_characters_are_removed() -> None:
    capture = extract(b"---\ntitle: A\x1b[31m red\x07 title\n---\nbody\n", "x.md")
    assert capture.title == "A [31m red title"


# ── "Unicode" text files: UTF-16 and UTF-32 with a byte-order mark ───────────────────────────

ARTICLE = "Kyiv, 1 Dec 2025. The plan has 20 points, officials said: «Ж»\r\n"


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-be", "utf-32", "utf-32-be"])
def test_a_text_article_in_utf16_or_utf32_with_its_mark_is_read(codec: str) -> None:
    data = ("\ufeff" + ARTICLE).encode(codec) if codec.endswith("-be") else ARTICLE.encode(codec)
    capture = extract(data, "art.txt")
    assert capture.text == extract(ARTICLE.encode("utf-8"), "art.txt").text  # as from UTF-8
    assert capture.original == data  # kept beside the UTF-8 text, byte for byte


def test_decode_any_text_refuses_what_is_not_text() -> None:
    from plandiff.store import decode_any_text, decode_text

    assert decode_any_text(b"\xef\xbb\xbfplain") == decode_text(b"plain") == "plain"
    with pytest.raises(ValueError, match=r"not UTF-16-LE \(byte 4: "):
        decode_any_text(b"\xff\xfeA\x00\x00\xd8")  # a lone high surrogate
    with pytest.raises(ValueError, match="NUL characters"):
        decode_any_text("\ufeffA\x00B".encode("utf-16-le"))
    with pytest.raises(ValueError, match="UTF-16 text without a byte-order mark"):
        decode_any_text("Plain English text.".encode("utf-16-le"))
    with pytest.raises(ValueError, match="binary content"):
        decode_any_text(bytes(range(256)) * 4)  # a few NULs among everything else


def _page(body: str) -> bytes:
    return (
        f"<html><head><title>T</title></head><body><article>{body}</article></body></html>".encode()
    )


def test_a_tag_with_too_many_attributes_is_refused_before_parsing() -> None:
    attrs = " ".join(f'data-a{k}="v"' for k in range(MAX_HTML_ATTRIBUTES + 1))
    with pytest.raises(
        InputError, match=r"^'p.html': a tag of the page has more than 1,000 attributes;"
    ):
        extract(_page(f"<p {attrs}>The parties agree.</p>"), "p.html")
    few = " ".join(f'data-a{k}="v"' for k in range(50))
    assert extract(_page(f"<p {few}>The parties agree.</p>"), "p.html").text == (
        "The parties agree.\n"
    )


def test_a_page_with_too_many_elements_is_refused_before_parsing() -> None:
    body = "<p>a " * (MAX_HTML_ELEMENTS + 1)
    with pytest.raises(
        InputError, match=r"^'p.html': the page has more than 30,000 HTML elements,"
    ):
        extract(_page(body), "p.html")


def test_a_page_nested_past_the_parsers_limit_is_refused_not_cut_short() -> None:
    deep = "<div>" * 300 + "The parties agree." + "</div>" * 300
    page = _page(f"<p>The first paragraph, long enough to be kept.</p>{deep}<p>The last one.</p>")
    with pytest.raises(InputError, match=r"^'p.html': the page exceeds the HTML parser's limits"):
        extract(page, "p.html")
    shallow = "<div>" * 100 + "The parties agree." + "</div>" * 100
    text = extract(_page(f"<p>The first paragraph.</p>{shallow}<p>The last one.</p>"), "p.html")
    assert "The last one." in text.text


@pytest.mark.parametrize(
    "hiding",
    [
        "<!-- <p a='  --> {tag} '",  # a quote inside a comment
        "<script>a<b '</script>{tag}'",  # a quote inside a script
        "<p a'b>x</p>{tag}'",  # a quote inside an attribute name
        '<p title="a>b">x</p>{tag}',  # a quoted > in a value
        "<title>x<b a='</title>{tag}'",  # a quote inside a title (text to libxml2 2.14)
        "</p x='<b c='>{tag}'",  # a quote in an end tag
        "<!doctype x <b c='>{tag}'",  # a quote in a bogus comment
    ],
)
def test_attributes_cannot_be_hidden_from_the_count(hiding: str) -> None:
    tag = "<p " + " ".join(f"a{k}" for k in range(MAX_HTML_ATTRIBUTES + 1)) + ">x</p>"
    with pytest.raises(InputError, match="has more than 1,000 attributes"):
        extract(_page(hiding.format(tag=tag)), "p.html")


_PIECES = ["<", ">", "'", '"', "=", "/", " ", "a", "p", "b", "<!--", "-->", "<title>", "</title>"]
_PIECES += ["<script>", "</script>", "<textarea>", "</textarea>", "<style>", "</style>"]
_PIECES += ["<!", "<?", "</p", "\n"]


@given(st.lists(st.sampled_from(_PIECES), max_size=40))
def test_the_markup_count_never_misses_what_lxml_parses(pieces: list[str]) -> None:
    """Tags and attributes lxml finds are never more than the count before parsing says."""
    from lxml import html

    data = ("<p>" + "".join(pieces)).encode()
    elements, attributes = _markup_size(data)
    try:
        root = html.document_fromstring(data)
    except Exception:  # lxml refuses some fragments outright: nothing to compare with
        return
    parsed = [el for el in root.iter() if isinstance(el.tag, str)]
    implied = {"html", "head", "body"}
    assert len([el for el in parsed if el.tag not in implied]) <= elements
    assert max(len(el.attrib) for el in parsed) <= max(attributes, 0)
