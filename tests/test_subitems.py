"""Sub-items inside a point, and the ones a rewording touched ("changed in (b), (d)")."""

from __future__ import annotations

import itertools
import json
import re

from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from plandiff.cli import Env, cli
from plandiff.subitems import changed_subitems, subitems
from plandiff.texts import diff_texts
from plandiff.worddiff import redline

ARTICLE = """\
The Parties shall:
(a) withdraw heavy weapons;
(b) exchange prisoners within 30 days;
(c) open corridors;
(d) report monthly."""


def labels(text: str) -> list[str]:
    return [s.label for s in subitems(text)]


def test_labels_of_every_usual_style() -> None:
    assert labels(ARTICLE) == ["(a)", "(b)", "(c)", "(d)"]
    assert labels("Intro\n  a) one\n  b) two\n     (i) deep\n     (ii) deeper") == [
        "a)",
        "b)",
        "(i)",
        "(ii)",
    ]
    assert labels("4.1 The scope.\n4.2 The terms.\n4.3. The end.") == ["4.1", "4.2", "4.3."]
    assert labels("The rules are as follows: (a) one thing; (b) another.") == ["(a)", "(b)"]


def test_figures_and_prose_are_not_labels() -> None:
    assert labels("3.5 million people\nand (a reference) here\nab) no") == []


def test_items_run_to_the_next_label() -> None:
    items = subitems(ARTICLE)
    assert [ARTICLE[s.start : s.end].split()[0] for s in items] == ["(a)", "(b)", "(c)", "(d)"]
    assert items[-1].end == len(ARTICLE)


def test_the_changed_subitems_are_named() -> None:
    new = ARTICLE.replace("within 30 days", "within 60 days").replace("monthly", "weekly")
    assert changed_subitems(redline(ARTICLE, new)) == ("(b)", "(d)")


def test_the_texts_given_beside_the_redline_name_the_same_subitems() -> None:
    new = ARTICLE.replace("(c) open corridors;\n", "").replace("monthly", "weekly")
    given = changed_subitems(redline(ARTICLE, new), (ARTICLE, new))
    assert given == changed_subitems(redline(ARTICLE, new)) == ("(d)", "(c)")


def test_added_and_removed_subitems_are_named() -> None:
    new = ARTICLE.replace("(c) open corridors;\n", "").replace(
        "(d) report monthly.", "(c) report monthly;\n(d) hold elections."
    )
    assert changed_subitems(redline(ARTICLE, new)) == ("(c)", "(d)")


def test_a_change_of_wrapping_touches_no_subitem() -> None:
    new = ARTICLE.replace("exchange prisoners within", "exchange prisoners\n    within")
    assert changed_subitems(redline(ARTICLE, new)) == ()


def test_no_labels_no_names() -> None:
    assert changed_subitems(redline("Troops withdraw.", "Troops stay.")) == ()


def test_reports_name_the_changed_subitems(tmp_path) -> None:
    body = ARTICLE.replace("\n", "\n   ")
    old = f"1. Troops withdraw.\n\n2. {body}\n\n3. Elections follow.\n"
    new = old.replace("report monthly", "report weekly")
    result = diff_texts(old, new)
    assert [c.subitems_changed for c in result.changes] == [(), ("(d)",), ()]
    (tmp_path / "a.txt").write_text(old)
    (tmp_path / "b.txt").write_text(new)

    def run(*more: str) -> str:
        args = ["diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), *more]
        return CliRunner().invoke(cli, args, obj=Env(width=100, color=False)).output

    # The reports name the item by its path, once, under its point: its words are in the
    # point's redline above, so they are not repeated.
    text = run("--no-color")
    assert "\n      2(d)  reworded\n" in text
    assert text.count("report [-monthly-]{+weekly+}.") == 1
    assert "changed in" not in text
    assert "\n- 2(d) · reworded\n" in run("--format", "markdown")
    doc = json.loads(run("--format", "json"))
    assert [c["subitems_changed"] for c in doc["changes"]] == [[], ["(d)"], []]
    assert "<subitem>(d)</subitem>" in run("--format", "xml")


@given(st.lists(st.sampled_from(["(a) x", "(b) y", "b) z", "4.2 The", "\n", " ", "w", ";"])))
def test_property_items_are_in_order_and_inside_the_text(parts: list[str]) -> None:
    text = "".join(parts)
    items = subitems(text)
    assert all(0 <= s.start < s.end <= len(text) for s in items)
    assert all(a.end == b.start for a, b in itertools.pairwise(items))
    assert all(text[s.start : s.end].lstrip(" \t-*•").startswith(s.label) for s in items)


#: The single scan subitems() once made: every character tried as a line start or as an inline
#: label. The two cheaper passes must find exactly what it found.
_ONE_SCAN = re.compile(
    r"""
    ^[ \t]*(?:[-*•][ \t]+)?(?P<line>
        \((?:[a-z]|[ivxlc]{1,6}|\d{1,3}[a-z]?)\)(?=[ \t])
      | (?:[a-z]|[ivxlc]{1,6})\)(?=[ \t])
      | [a-z]\.(?=[ \t])
      | \d{1,3}(?:\.\d{1,3})+\.(?=[ \t])
      | \d{1,3}(?:\.\d{1,3})+(?=[ \t]+["'“(A-Z])
    )
    | (?<=[:;][ \t])(?P<inline>\((?:[a-z]|[ivxlc]{1,6}|\d{1,3})\))(?=[ \t])
    """,
    re.MULTILINE | re.VERBOSE,
)


#: Pieces of text that make labels, near-labels and the places they may stand.
_PIECES = [
    "(a)", "(iv)", "(3a)", "b)", "c.", "4.3", "4.3.", "The", "x", "-", "•", "*", ":", ";", "(",
    ")", " ", "\t", "\n", "\r\n", "5", ".", "“", ": (b) ", "; (ii)\t", "\n(c) ", "\n  - d. ",
    "\n4.1. ",
]  # fmt: skip


@given(st.lists(st.sampled_from(_PIECES), max_size=30))
def test_property_two_passes_find_what_one_scan_found(parts: list[str]) -> None:
    text = "".join(parts)
    expected = [(m["line"] or m["inline"], m.start()) for m in _ONE_SCAN.finditer(text)]
    assert [(s.label, s.start) for s in subitems(text)] == expected
