"""The whole text is compared: preamble, headings and closing as well as the points.

"No differences" must mean that two texts differ in nothing but whitespace: a changed preamble
or closing is a difference, reported with its redline and counted by ``--exit-code``.
"""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from click.testing import CliRunner

from plandiff import outside
from plandiff.cli import Env, ExitStatus, cli
from plandiff.engine import diff
from plandiff.outside import Heading, Outline
from plandiff.render.xml import diff_to_xml
from plandiff.result import ChangeKind, TextPart
from plandiff.texts import diff_texts, version_from_text
from tests.helpers import FIXTURES

REPO = FIXTURES.parent
V1, V2 = "fixtures/plans/accord-v1.txt", "fixtures/plans/accord-v2.txt"


def run(*args: str) -> object:
    return CliRunner().invoke(
        cli, list(args), obj=Env(width=100, color=False), env={"NO_COLOR": "1", "PAGER": "cat"}
    )


@pytest.fixture(autouse=True)
def in_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


EXPECTED = """\
plandiff  fixtures-plans-accord-v1.txt → fixtures-plans-accord-v2.txt

old  fixtures-plans-accord-v1.txt  fixtures/plans/accord-v1.txt
     undated · 3 points known (count not declared) · full text
     cut at `N.` markers, column 0: 3 points, 1–3; preamble 63 chars, closing 34 chars
new  fixtures-plans-accord-v2.txt  fixtures/plans/accord-v2.txt
     undated · 3 points known (count not declared) · full text
     cut at `N.` markers, column 0: 3 points, 1–3; preamble 68 chars, closing 34 chars

Points: 3 → 3: same number, all known.
Changes: 3 unchanged, preamble reworded, closing reworded

preamble  reworded ─────────────────────────────────────────────────────────────────────────────────
    ACCORD ON THE LOWER VALE

    The Parties have [-agreed as follows-]{+NOT agreed to anything+}:

  ⋯ 3 unchanged points (1–3) not shown

closing  reworded ──────────────────────────────────────────────────────────────────────────────────
    Done at [-Geneva-]{+Vienna+}, 23 November 2025.

Automatic matches (plandiff-align/1) need 50% similarity, less for points in the same place between
matched neighbours (where a pair with almost no wording in common is 'replaced'), 60% containment
for the parts of a merge or split; curated ones are recorded in the registry with their evidence.
"""


def test_changed_preamble_and_closing_are_differences() -> None:
    result = run("diff", V1, V2, "--exit-code")
    assert result.exit_code == ExitStatus.DIFFERENCES
    assert result.output == EXPECTED


def test_same_text_has_no_differences() -> None:
    result = run("diff", V1, V1, "--exit-code")
    assert result.exit_code == ExitStatus.OK
    assert "No differences: 3 points unchanged." in result.output


def test_whitespace_alone_is_no_difference() -> None:
    old = "Preamble  of the\naccord:\n\n1. One.\n\n2. Two.\n\nDone at Geneva.\n"
    new = "Preamble of the accord:\n\n1. One.\n\n2.   Two.\n\nDone   at\nGeneva.\n"
    result = diff_texts(old, new)
    assert not result.has_differences
    assert [(p.part, p.kind) for p in result.parts] == [
        (TextPart.PREAMBLE, ChangeKind.UNCHANGED),
        (TextPart.CLOSING, ChangeKind.UNCHANGED),
    ]


def test_preamble_added_and_closing_removed() -> None:
    result = diff_texts(
        "1. One.\n\n2. Two.\n\nDone at Geneva.\n", "Foreword.\n\n1. One.\n\n2. Two.\n"
    )
    kinds = [(p.part.value, p.kind.value, p.old, p.new) for p in result.parts]
    assert kinds == [
        ("preamble", "added", None, "Foreword."),
        ("closing", "removed", "Done at Geneva.", None),
    ]
    assert result.has_differences


def test_json_and_xml_carry_the_parts() -> None:
    result = run("diff", V1, V2, "--format", "json")
    doc = json.loads(result.output)
    assert [(p["part"], p["kind"]) for p in doc["parts"]] == [
        ("preamble", "reworded"),
        ("closing", "reworded"),
    ]
    closing = doc["parts"][1]
    assert closing["redline"] == [
        ["equal", "Done at "],
        ["delete", "Geneva"],
        ["insert", "Vienna"],
        ["equal", ", 23 November 2025."],
    ]
    xml = run("diff", V1, V2, "--format", "xml").output
    assert '<part part="closing" kind="reworded">' in xml
    assert "<delete>Geneva</delete>" in xml


def test_registry_versions_have_no_parts() -> None:
    version = version_from_text("1. One.\n", "a.txt").version
    assert diff(version, version).parts == ()


# --------------------------------------------------------------------------- headings


def _version(n: int, prefix: str = "Point") -> object:
    text = "".join(f"{k}. {prefix} {k} text here.\n\n" for k in range(1, n + 1))
    version = version_from_text(text, "plan.txt").version
    return version


def test_heading_paths_ride_on_the_points_and_moves_between_headings_are_flagged() -> None:
    old, new = _version(4), _version(4)
    # Old: A = points 1-2, B = 3-4. New: B renamed and starting one point earlier: point 2
    # now stands under B.
    old_outline = Outline(
        headings=(Heading("Part A", 0), Heading("Part B. Economy", 2)),
        paths=((0,), (0,), (1,), (1,)),
    )
    new_outline = Outline(
        headings=(Heading("Part A", 0), Heading("Part B. Economy and trade", 1)),
        paths=((0,), (1,), (1,), (1,)),
    )
    result = diff(old, new, outlines=(old_outline, new_outline))
    assert [c.heading_moved for c in result.changes] == [False, True, False, False]
    assert result.changes[1].new[0].heading == ("Part B. Economy and trade",)
    assert result.changes[1].old[0].heading == ("Part A",)
    assert result.has_differences
    headings = [p for p in result.parts if p.part is TextPart.HEADING]
    assert [(h.kind, h.old_before, h.new_before) for h in headings] == [
        (ChangeKind.UNCHANGED, 1, 1),
        (ChangeKind.REWORDED, 3, 2),
    ]
    assert headings[1].redline is not None
    assert headings[1].redline.new_text == "Part B. Economy and trade"


def test_renamed_heading_alone_moves_no_point() -> None:
    old, new = _version(2), _version(2)
    old_outline = Outline(headings=(Heading("Part A. Security", 0),), paths=((0,), (0,)))
    new_outline = Outline(headings=(Heading("Part A. Security guarantees", 0),), paths=((0,), (0,)))
    result = diff(old, new, outlines=(old_outline, new_outline))
    assert not any(c.heading_moved for c in result.changes)
    assert [p.kind for p in result.parts] == [ChangeKind.REWORDED]


def test_removed_heading_stands_after_the_one_before_it() -> None:
    old_h = (Heading("A", 0), Heading("B", 1), Heading("C", 2))
    new_h = (Heading("A", 0), Heading("C", 1))
    parts, pairs = outside.compare(Outline(headings=old_h), Outline(headings=new_h))
    assert pairs == {0: 0, 2: 1}
    assert [(p.kind.value, p.old or p.new) for p in parts] == [
        ("unchanged", "A"),
        ("removed", "B"),
        ("unchanged", "C"),
    ]


def test_outline_of_reads_the_segmenters_headings() -> None:
    def span(start: int, end: int, text: str) -> SimpleNamespace:
        return SimpleNamespace(start=start, end=end, text=text)

    points = [
        SimpleNamespace(start=10, heading=("Part A",)),
        SimpleNamespace(start=30, heading="Part A › Chapter 1"),
        SimpleNamespace(start=60),
    ]
    seg = SimpleNamespace(
        preamble=span(0, 5, "Title\n\n"),
        closing=None,
        points=points,
        headings=[span(5, 10, "Part A\n"), span(20, 30, "Chapter  1\n"), span(50, 60, "Part B")],
    )
    found = outside.outline_of(seg)
    assert found.preamble == "Title" and found.closing is None
    assert found.headings == (Heading("Part A", 0), Heading("Chapter 1", 1), Heading("Part B", 2))
    assert found.paths == ((0,), (0, 1), (2,))
    assert found.heading_texts(1) == ("Part A", "Chapter 1")


def test_xml_diff_with_headings_and_parts_is_valid() -> None:
    old, new = _version(2), _version(2)
    result = diff(
        old,
        new,
        outlines=(
            Outline("Old preamble", None, (Heading("Part A", 0),), ((0,), (0,))),
            Outline("New preamble", None, (Heading("Part B", 1),), ((), (0,))),
        ),
    )
    data = diff_to_xml(result).decode()  # validated against the XSD before it is returned
    assert '<part part="preamble" kind="reworded">' in data
    assert "<heading>Part B</heading>" in data


FRAMEWORK = """\
plandiff  fixtures-plans-framework-v1.txt → fixtures-plans-framework-v2.txt

old  fixtures-plans-framework-v1.txt  fixtures/plans/framework-v1.txt
     undated · 5 points known (count not declared) · full text
     cut at `N.` markers, column 0: 5 points, 1–5; 2 headings
new  fixtures-plans-framework-v2.txt  fixtures/plans/framework-v2.txt
     undated · 5 points known (count not declared) · full text
     cut at `N.` markers, column 0: 5 points, 1–5; 2 headings

Points: 5 → 5: same number, all known.
Changes: 5 unchanged, 1 moved, 1 moved between headings, 1 heading reworded

  ⋯ 2 unchanged points (1–2) not shown

5 → 3  unchanged, moved, moved between headings  (automatic, 100% similar) ─────────────────────────
    from Part B. Economy to Part A. Security
    Trade across the line resumes within a month.

heading before 4  reworded ─────────────────────────────────────────────────────────────────────────
    Part B. Economy {+and trade+}

  ⋯ 2 unchanged points (4–5) not shown
"""


def test_a_point_that_changes_heading_is_moved_between_headings() -> None:
    result = run(
        "diff", "fixtures/plans/framework-v1.txt", "fixtures/plans/framework-v2.txt", "--exit-code"
    )
    assert result.exit_code == ExitStatus.DIFFERENCES
    assert result.output.startswith(FRAMEWORK)
    doc = json.loads(
        run(
            "diff",
            "fixtures/plans/framework-v1.txt",
            "fixtures/plans/framework-v2.txt",
            "--format",
            "json",
        ).output
    )
    moved = [c for c in doc["changes"] if c["heading_moved"]]
    assert [(c["old"][0]["heading"], c["new"][0]["heading"]) for c in moved] == [
        (["Part B. Economy"], ["Part A. Security"])
    ]
    assert [c["new"][0]["heading"] for c in doc["changes"]] == [
        ["Part A. Security"],
        ["Part A. Security"],
        ["Part A. Security"],
        ["Part B. Economy and trade"],
        ["Part B. Economy and trade"],
    ]
