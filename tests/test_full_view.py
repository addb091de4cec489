"""``plandiff diff --full``: the whole new text as amended, with the changes marked inline.

The view is built as data (:func:`plandiff.render.document.document`) and drawn in the terminal
and as Markdown (:mod:`plandiff.render.full`). Goldens show it for the fixture pair of full plan
texts (text and Markdown) and for a pair with sub-items, headings and a schedule; the property
tests hold it to the texts it comes from: drop the struck text and the new version's points
remain, word for word and in order; drop the inserted text and the old version's remain.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import example, given
from markdown_it import MarkdownIt

from plandiff.cli import Env, cli
from plandiff.kinds import KindFilter
from plandiff.render import markdown, terminal
from plandiff.render.document import EntryKind, document
from plandiff.result import ChangeKind, RedlineOp
from plandiff.texts import diff_texts
from tests import strategies as s
from tests.helpers import FIXTURES, SEEDS
from tests.sample_results import hostile

REPO = FIXTURES.parent
V1, V2 = "fixtures/plans/ceasefire-v1.txt", "fixtures/plans/ceasefire-v2.txt"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def run(*args: str, width: int = 100, color: bool = False) -> click.testing.Result:
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(
        cli,
        ["--registry", str(SEEDS), *args],
        obj=Env(width=width, color=color),
        env=environ,
        prog_name="plandiff",
    )


@pytest.fixture
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


# --------------------------------------------------------------------------- goldens


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("diff-ceasefire.full.txt", (V1, V2)),
        ("diff-ceasefire.full.md", (V1, V2, "--format", "markdown")),
        ("diff-ceasefire.full.html", (V1, V2, "--format", "html")),
        (
            "diff-clauses.full.txt",
            ("fixtures/plans/clauses-v1.txt", "fixtures/plans/clauses-v2.txt"),
        ),
        (
            "diff-contract.full.side-by-side.txt",
            ("fixtures/plans/contract-v1.txt", "fixtures/plans/contract-v2.txt", "--side-by-side"),
        ),
    ],
)
def test_golden_full(golden, in_repo, name: str, args: tuple[str, ...]) -> None:
    result = run("diff", *args, "--full")
    assert result.exit_code == 0, result.output
    golden(name, result.stdout)


def test_full_html_is_a_whole_page_with_every_mark_of_the_document(in_repo) -> None:
    from tests.html_pages import audit

    result = run("diff", V1, V2, "--full", "--format", "html")
    assert result.exit_code == 0, result.output
    page = audit(result.stdout)
    entries = document(diff_texts(*((REPO / v).read_text("utf-8") for v in (V1, V2))))
    ops = Counter(op for e in entries for op, text in e.ops if text.strip())
    (section,) = page.xpath("//section[@id='changes']")
    assert len(section.xpath(".//del")) == ops[RedlineOp.DELETE]
    assert len(section.xpath(".//ins")) == ops[RedlineOp.INSERT]
    points = [e.label for e in entries if e.kind is EntryKind.POINT]
    assert section.xpath(".//div[contains(@class, 'point')]/span[@class='label']/text()") == points
    assert not page.xpath("//nav")  # the filters act on a list of changes, not printed here


# --------------------------------------------------------------------------- the whole output


def test_full_prints_the_new_text_with_the_amendments_marked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    old, new = Path("old.txt"), Path("new.txt")
    old.write_text(
        "AGREEMENT\n\n1. The parties stop firing.\n2. Prisoners are exchanged.\n"
        "3. Observers are sent.\n\nSigned.\n"
    )
    new.write_text(
        "AGREEMENT, REVISED\n\n1. Observers are sent.\n2. The parties stop firing at once.\n"
        "3. Elections are held.\n\nSigned.\n"
    )
    result = run("diff", str(old), str(new), "--full")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "plandiff  old.txt → new.txt\n"
        "\n"
        "old  old.txt  old.txt\n"
        "     undated · 3 points known (count not declared) · full text\n"
        "     cut at `N.` markers, column 0: 3 points, 1–3; closing 8 chars, 1 heading\n"
        "new  new.txt  new.txt\n"
        "     undated · 3 points known (count not declared) · full text\n"
        "     cut at `N.` markers, column 0: 3 points, 1–3; closing 8 chars, 1 heading\n"
        "\n"
        "Points: 3 → 3: same number, all known.\n"
        "Changes: 1 unchanged, 1 reworded, 1 replaced, 1 moved, 1 heading reworded\n"
        "\n"
        "The new text as amended: [-removed-], {+inserted+}, ⟨…⟩ what happened to a point.\n"
        "\n"
        "  AGREEMENT{+, REVISED+}\n"
        "\n"
        "  1  ⟨moved from 3⟩\n"
        "     Observers are sent.\n"
        "\n"
        "  2  ⟨was 1⟩\n"
        "     The parties stop firing {+at once+}.\n"
        "\n"
        "  3  ⟨replaced: little wording in common; was 2⟩\n"
        "     [-Prisoners are exchanged.-]\n"
        "     {+Elections are held.+}\n"
        "\n"
        "  Signed.\n"
    )


def test_full_of_a_partly_known_version_lists_unreported_points_in_one_line() -> None:
    """us-28 → geneva-19: the described points are marked as such, and the old points that
    geneva-19 says nothing about are listed in one line, or shown where they stood (unmarked:
    nobody reported them removed) with --show-unreported."""
    text = run("diff", "us-28", "geneva-19", "--full").stdout
    body = text[text.index("The new text as amended") :].split("\nSources\n")[0]
    assert body == (
        "The new text as amended: [-removed-], {+inserted+}, ⟨…⟩ what happened to a point.\n"
        "\n"
        "  —  ⟨deferred: was territory, to Presidents Zelenskyy and Trump (a meeting between the "
        "two\n"
        "     presidents); described⟩\n"
        "     [-Territorial concessions.-]\n"
        "\n"
        "  ⋯ 3 old points unreported (armed-forces, us-guarantees, economy): geneva-19 is only "
        "partly known\n"
    )
    shown = run("diff", "us-28", "geneva-19", "--full", "--show-unreported").stdout
    assert "⋯ 3 old points unreported" not in shown
    assert shown.count("⟨unreported: was ") == 3
    assert "—  ⟨unreported: was armed-forces; geneva-19 is only partly known; " in shown
    assert "[-" not in shown.split("⟨unreported: was armed-forces")[1].split("\n\n")[0]


def test_full_with_kind_folds_the_other_points(in_repo) -> None:
    result = run("diff", V1, V2, "--full", "--kind", "removed,added")
    assert result.exit_code == 0, result.output
    body = result.stdout[result.stdout.index("Showing") :]
    assert body.split("\n\n")[2:6] == [
        "  ⋯ 14 points of other kinds not shown (1, 2, 3, 4, 5, 6 + 7, 8, 9, 10, 11, 12, 13, 14)",
        "  —   ⟨removed: was 15⟩\n      [-Sanctions imposed in connection with the conflict "
        "shall be reviewed after the implementation\n      of points 1 to 6.-]",
        "  15  ⟨added⟩\n      {+The Parties shall not take any action aimed at the forced "
        "transfer of population.+}",
        "  ⋯ 1 point of other kinds not shown (16)\n",
    ]
    assert body.startswith("Showing removed, added: 2 of 16 changes.\n")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "json"), "--full applies to text, markdown and html, not json"),
        (("--format", "xml"), "--full applies to text, markdown and html, not xml"),
        (("--stat",), "--stat shows only the point map: choose it or --full"),
        (("--show-unchanged",), "--show-unchanged is not needed: --full shows every point"),
        (("-U", "2"), "--context is not needed: --full shows every point"),
        (
            ("--side-by-side", "--format", "markdown"),
            "--side-by-side applies to --format text, not markdown",
        ),
    ],
)
def test_full_refuses_options_that_make_no_sense_with_it(
    in_repo, args: tuple[str, ...], message: str
) -> None:
    result = run("diff", V1, V2, "--full", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    usage = "(usage: plandiff diff [OPTIONS] OLD NEW; see 'plandiff diff --help')"
    assert result.stderr == f"plandiff: {message} {usage}\n"


def test_full_in_colour_marks_without_words(in_repo) -> None:
    text = run("diff", V1, V2, "--full", color=True).stdout
    assert "[-" not in text and "{+" not in text
    assert "\x1b[" in text and "moved from 11" in text


def test_full_keeps_hostile_text_as_data() -> None:
    result = hostile()
    text = terminal.export(terminal.render(result, full=True), width=100)
    assert not RAW_CONTROL.search(text.replace("\n", ""))
    assert "\\x1b[31m" in text  # shown, not obeyed
    text = markdown.render(result, full=True)
    assert "\x1b" not in text and "\u202e" not in text
    page = MarkdownIt("commonmark", {"html": True}).enable(["strikethrough"]).render(text)
    assert "<script" not in page and "<!--" not in page and "<a href" not in page
    assert "[bold red]x[/]" in page
    assert page.count("<h1>") == 1


# --------------------------------------------------------------------------- the invariants


def _words(text: str) -> list[str]:
    return text.split()


def _numbered(points: list[str]) -> str:
    return "\n".join(f"{i}. {t}" for i, t in enumerate(points, 1))


@given(s.point_lists())
@example((["Repealed."] * 3, ["Repealed."] * 2))
@example((["a b c", "d e f"], ["d e f", "g", "a b c"]))
@example(
    (
        ["", "Ukraine Ukraine.", "Ukraine Ukraine.", "00:01"],
        ["Ukraine Ukraine."] * 2 + ["00", "", ":01"],
    )
)
def test_dropping_the_struck_text_leaves_the_new_points_and_the_inserted_the_old(
    lists: tuple[list[str], list[str]],
) -> None:
    old_points, new_points = lists
    result = diff_texts(_numbered(old_points), _numbered(new_points))
    new_refs = sorted((r for c in result.changes for r in c.new), key=lambda r: r.index)
    points = [e for e in document(result) if e.kind is EntryKind.POINT]
    new_side = ["".join(t for op, t in e.ops if op is not RedlineOp.DELETE) for e in points]
    # Every new point, word for word, in the new version's order.
    assert _words(" ".join(new_side)) == _words(" ".join(r.text for r in new_refs))
    # Every old point's text (an unchanged one is shown as the new text has it: the same but
    # for numbers and typography; a split may cut a word in two, so characters are counted).
    changed = [e for e in points if e.change is not ChangeKind.UNCHANGED]
    old_side = "".join(t for e in changed for op, t in e.ops if op is not RedlineOp.INSERT)
    old_texts = "".join(
        r.text for c in result.changes if c.kind is not ChangeKind.UNCHANGED for r in c.old
    )
    assert Counter("".join(old_side.split())) == Counter("".join(old_texts.split()))


@given(s.plan_texts(max_points=8, hostile=False), s.plan_texts(max_points=8, hostile=False))
def test_the_document_holds_every_part_and_point_of_the_new_text(old: str, new: str) -> None:
    """Preamble, headings, points and closing of the new text all stand in the document,
    in its order, once each."""
    result = diff_texts(old, new)
    entries = document(result)
    shown = [e for e in entries if e.kind is not EntryKind.FOLDED]
    assert not [e for e in entries if e.kind is EntryKind.FOLDED]  # two full texts
    points = sum(1 for e in shown if e.kind is EntryKind.POINT)
    parts = sum(1 for e in shown if e.kind is EntryKind.PART)
    assert points == sum(max(1, len(c.new)) for c in result.changes)  # a split: each part
    assert parts == len(result.parts)
    new_side = _words(
        " ".join("".join(t for op, t in e.ops if op is not RedlineOp.DELETE) for e in shown)
    )
    starts = _words(" ".join([p.new or "" for p in result.parts if p.part.value == "preamble"]))
    ends = _words(" ".join([p.new or "" for p in result.parts if p.part.value == "closing"]))
    assert new_side[: len(starts)] == starts
    assert new_side[len(new_side) - len(ends) :] == ends


def test_kinds_fold_runs_of_other_points_into_one_line_each() -> None:
    result = diff_texts(_numbered(["a b", "c d", "e f"]), _numbered(["a b", "c d x", "e f"]))
    entries = document(result, kinds=KindFilter.parse(("reworded",)))
    assert [(e.kind, e.label, e.notes) for e in entries] == [
        (EntryKind.FOLDED, "", ("1 point of other kinds not shown (1)",)),
        (EntryKind.POINT, "2", ()),
        (EntryKind.FOLDED, "", ("1 point of other kinds not shown (3)",)),
    ]


def test_an_item_that_moved_to_another_point_is_noted_where_it_now_stands() -> None:
    """In the redlines it is a deletion in one point and an insertion in another; the note
    says it is one item. A point that was an item says so once, not twice."""
    plans = FIXTURES / "plans"
    result = diff_texts(
        (plans / "contract-v1.txt").read_text(), (plans / "contract-v2.txt").read_text()
    )
    notes = {e.label: e.notes for e in document(result) if e.notes}
    assert notes == {"4": ("item 2.2(e) → 4.5 moved, reworded",)}
    result = diff_texts(
        (plans / "clauses-v1.txt").read_text(), (plans / "clauses-v2.txt").read_text()
    )
    notes = {e.label: e.notes for e in document(result) if e.notes}
    assert notes == {"2": ("added as a point: was 2.2 (moved, reworded)",)}
