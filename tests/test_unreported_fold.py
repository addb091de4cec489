"""Unreported points are listed in one line per side, so a partial diff shows its findings
first; ``show_unreported`` brings back a block per point (issue 15, item 3)."""

from __future__ import annotations

import json

from msgspec.structs import replace
from partial_scenario import result as scenario

from plandiff.kinds import KindFilter
from plandiff.render import json as json_render
from plandiff.render import markdown, plain, terminal
from plandiff.render.xml import diff_to_xml

FOLDED = "  ⋯ 9 old points unreported (1–5, 7–10): frame-19 is only partly known"
FINDINGS = (
    "6 → 4  reworded, renumbered  (curated) ─",
    "21 → 13  reworded, renumbered  (curated) ─",
    "26 → —  removed  (curated) ─",
)


def _starts(lines: list[str], prefix: str) -> int:
    return sum(1 for line in lines if line.startswith(prefix))


def test_the_first_screen_of_the_partial_scenario_shows_the_three_findings() -> None:
    lines = plain.render(scenario()).split("\n")
    first_screen = lines[:24]
    for finding in FINDINGS:
        assert _starts(first_screen, finding) == 1, finding
    assert "Changes: 2 reworded, 1 removed, 9 unreported" in first_screen
    assert FOLDED in lines
    assert not any("unreported  (automatic)" in line for line in lines)


def test_show_unreported_gives_each_unreported_point_its_block() -> None:
    lines = plain.render(scenario(), show_unreported=True).split("\n")
    for n in (1, 2, 3, 4, 5, 7, 8, 9, 10):
        assert _starts(lines, f"{n} → —  unreported  (automatic) ─") == 1, n
    assert FOLDED not in lines
    # Today's order: the findings come after the blocks of the points before them.
    assert lines.index(next(x for x in lines if x.startswith(FINDINGS[0]))) > 24


def test_the_folded_line_keeps_side_by_side_and_context_quiet() -> None:
    side = terminal.export(terminal.render(scenario(), side_by_side=True), width=100)
    assert FOLDED in side.split("\n")
    # Unreported points bring no unchanged neighbours into view, and none are shown here.
    around = terminal.export(terminal.render(scenario(), context=2), width=100)
    assert around == plain.render(scenario())


def test_markdown_lists_unreported_points_in_one_line() -> None:
    text = markdown.render(scenario())
    assert "*9 old points unreported (1–5, 7–10): frame-19 is only partly known*" in text
    assert "· unreported" not in text
    full = markdown.render(scenario(), show_unreported=True)
    assert full.count("· unreported\n") == 9
    assert "old points unreported" not in full


def test_both_sides_get_a_line_of_their_own() -> None:
    """Unreported new points (the old version partly known) get their own line, after the old
    side's, and a point named by a path is listed by it."""
    base = scenario()
    extra = tuple(
        replace(c, old=(), new=(replace(c.old[0], key=f"n{c.old[0].number}", path=path),))
        for c, path in zip(base.changes[:2], ("Annex A › 1", "2"), strict=True)
    )
    result = replace(base, changes=base.changes + extra)
    lines = plain.render(result).split("\n")
    assert [line for line in lines if " unreported (" in line] == [
        "  ⋯ 9 old points unreported (1–5, 7–10): frame-19 is only partly known",
        "  ⋯ 2 new points unreported (2, Annex A › 1): plan-28 is only partly known",
    ]


def test_asking_for_unreported_by_kind_shows_their_blocks() -> None:
    kinds = KindFilter.parse(("unreported",))
    lines = plain.render(scenario()).split("\n")
    shown = terminal.export(terminal.render(scenario(), kinds=kinds), width=100).split("\n")
    assert FOLDED in lines and FOLDED not in shown
    assert _starts(shown, "1 → —  unreported  (automatic) ─") == 1


def test_json_and_xml_still_list_every_unreported_point() -> None:
    doc = json.loads(json_render.render(scenario()))
    kinds = [c["kind"] for c in doc["changes"]]
    assert kinds.count("unreported") == 9
    assert diff_to_xml(scenario()).count(b'<change kind="unreported"') == 9
