"""The Markdown report: structure, redlines, links, and untrusted text kept as text.

Rendered HTML is checked with markdown-it-py (CommonMark, with GitHub's tables and
strikethrough, and raw HTML allowed as GitHub allows it), which rich already depends on.
"""

from __future__ import annotations

import re

import pytest
from markdown_it import MarkdownIt

from plandiff.render import markdown
from plandiff.result import ChangeKind, Redline, RedlineOp
from tests.sample_results import every_kind, hostile, seed_like

MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def html(text: str) -> str:
    return MD.render(text)


def test_summary_table_and_header() -> None:
    text = markdown.render(seed_like())
    assert text.startswith("# us-28 → geneva-19\n")
    assert "| Points | 4 of 28 declared points known | 1 of 19 declared points known |" in text
    assert (
        "\n**28 → 19 points: 9 were cut, and reporting identifies none of them.**\n\n"
        "- Known: 4 of the 28 old points (described) and 1 of the 19 new points (described).\n"
    ) in text
    page = html(text)
    assert page.count("<table>") == 2
    assert '<td>reworded</td>\n<td style="text-align:right">1</td>' in page


def test_every_kind_has_a_section() -> None:
    text = markdown.render(every_kind(), show_unchanged=True, show_unreported=True)
    for kind in ChangeKind:
        assert f" · {kind.value}" in text, kind
    assert "### 3 → 7 · unchanged, moved" in text
    assert "### 6 → 5 \\+ 6 · split, renumbered" not in text  # "+" is not escaped: no need
    assert "### 6 → 5 + 6 · split, renumbered" in text


def test_text_outside_the_points_has_sections_in_place() -> None:
    text = markdown.render(every_kind())
    assert (
        "### preamble · reworded\n\nThe parties have ~~agreed as follows~~**NOT agreed to" in text
    )
    assert text.index("### heading before 4 · added") < text.index("### 4 + 5 → 4 · merged")
    assert "### heading before 4 · added\n\n**Part B. Monitoring**\n" in text
    assert "### closing · removed\n\n~~Done at Geneva on 1 March 2025.~~\n" in text


def test_heading_move_subitems_and_replaced_in_markdown() -> None:
    text = markdown.render(every_kind())
    assert "· merged, moved between headings\n\n*automatic, 90% similar*\n\n" in text
    assert "*from Part A to Part B. Monitoring*\n\n*changed in (b)*\n" in text
    assert "### 10 → 11 · replaced, renumbered\n\n*automatic, same position, 3% similar*" in text
    assert "~~Talks resume in Geneva.~~" in text and "**A reconstruction fund is set up.**" in text


def test_redline_renders_as_strikethrough_and_bold() -> None:
    text = markdown.render(every_kind())
    assert "withdrawn ~~15~~**30** km from the line of contact **within 14 days**." in text
    page = html(text)
    assert "<s>15</s><strong>30</strong>" in page
    assert "~~" not in page and "**" not in page


def test_delimiters_that_would_not_bind_fall_back_to_html() -> None:
    r = Redline(
        ops=(
            (RedlineOp.EQUAL, "line of contact"),
            (RedlineOp.INSERT, ", within 14 days"),
            (RedlineOp.EQUAL, "."),
        )
    )
    text = markdown.redline(r)
    assert text == "line of contact<ins>, within 14 days</ins>."
    assert "<ins>, within 14 days</ins>" in html(text)


def test_evidence_is_quoted_with_source_links() -> None:
    text = markdown.render(every_kind())
    assert (
        "> the election clause was split in two\n>\n> — why: \\[3\\] characters 40–76\n" in text
    )  # the footnote names the source; its link is in the list at the end
    assert '<a href="https://news.example/a?b=1&amp;c=%282%29">Talks end</a>' in html(text)
    assert "## Sources\n\n1. plan\\-v1.txt" not in text
    assert "3. [Talks end](<https://news.example/a?b=1&c=%282%29>) — Wire, 2025-03-02" in text


def test_quote_of_a_points_own_text_is_not_repeated() -> None:
    text = markdown.render(every_kind())
    assert "*old 2:* \\[1\\] characters 120–183" in text


def test_unchanged_points_are_counted() -> None:
    assert "*1 unchanged point (1) not shown*" in markdown.render(every_kind())
    assert "not shown" not in markdown.render(every_kind(), show_unchanged=True)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.example/x", "[t](<https://a.example/x>)"),
        ("https://a.example/x)y<z>", "[t](<https://a.example/x%29y%3Cz%3E>)"),
        ("javascript:alert(1)", "t (javascript:alert(1))"),
        ("data:text/html,<b>", "t (data:text/html,\\<b\\>)"),
        ("//no-scheme.example", "t (//no-scheme.example)"),
        (None, "t"),
    ],
)
def test_links_only_for_web_addresses(url, expected) -> None:
    assert markdown.link("t", url) == expected


def test_escape_makes_markup_literal() -> None:
    assert markdown.escape("[a](b) **c** <d> `e` | f ~~g~~ & $x$") == (
        "\\[a\\](b) \\*\\*c\\*\\* \\<d\\> \\`e\\` \\| f \\~\\~g\\~\\~ \\& \\$x\\$"
    )
    assert markdown.escape("see http://x.example or www.y.example") == (
        "see http\\://x.example or www\\.y.example"
    )
    assert markdown.escape("a\nb") == "a<br>b"
    assert markdown.line_start(markdown.escape("1. item")) == "1\\. item"
    assert markdown.line_start(markdown.escape("- item")) == "\\- item"
    assert markdown.line_start("    code") == "code"


def test_hostile_text_cannot_inject_links_html_or_markup() -> None:
    text = markdown.render(hostile(), show_unchanged=True)
    assert "\x1b" not in text and "\x07" not in text and "\x9b" not in text
    assert "\u202e" not in text
    page = html(text)
    hrefs = re.findall(r'<a href="([^"]*)"', page)
    assert set(hrefs) == {"https://news.example/a?b=1&amp;c=%282%29"}
    assert "<script" not in page and "<!--" not in page and "javascript:" not in hrefs
    # Every piece of the hostile text is shown as written, as text.
    assert "[bold red]x[/]" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "[a](javascript:x)" in page
    assert "**b** _i_ `c` &lt;!-- x --&gt; &amp;amp; | # h" in page
    assert "\\x1b]8;;http://evil.example\\x1b\\link" in page
    # No heading, list or table comes from the hostile text.
    assert page.count("<h1>") == 1
    assert page.count("<table>") == 2
