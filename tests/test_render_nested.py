"""Nested changes (sub-items and paragraphs inside points) in the reports, from a hand-built
result (:func:`tests.sample_results.nested_kinds`): nothing fills them on the engine side yet.
"""

from __future__ import annotations

import re

import msgspec
import pytest
from markdown_it import MarkdownIt

from plandiff.render import json as json_render
from plandiff.render import markdown, plain, reflow, terminal, wording
from plandiff.result import ChangeKind, NestedChange
from tests.sample_results import HOSTILE, every_kind, nested_kinds

RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
MD = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def block_of(text: str, heading: str) -> list[str]:
    """The lines of one change's block: from its heading to the next blank line."""
    start = text.index(heading)
    return text[start:].split("\n\n", 1)[0].split("\n")


# --------------------------------------------------------------------------- terminal


@pytest.mark.parametrize(
    ("name", "options"),
    [
        ("nested.plain.txt", {}),
        ("nested.color.txt", {"color": True}),
        ("nested.side-by-side.txt", {"side_by_side": True}),
    ],
)
def test_golden_nested_terminal(golden, name: str, options: dict[str, bool]) -> None:
    color = options.pop("color", False)
    report = terminal.render(nested_kinds(), **options)
    golden(name, terminal.export(report, width=100, color=color))


def test_nested_changes_are_listed_under_their_point_one_line_each() -> None:
    text = plain.render(nested_kinds())
    lines = block_of(text, "7 → 7  reworded")
    nested = [line for line in lines if re.match(r" {6}\S", line)]
    assert nested == [
        "      7.1  reworded",
        "      — → 7.1(b)  added",
        "      7.1(b) → 7.1(c)  renumbered",
        "      7.1(c) → —  removed",
        "      7.2(ii) → 7.2(i)  moved",
        "      7.2(i) → 7.2(ii)  renumbered",
        "      7.3 + 7.4 → 7.3  merged",
        "      7.5 → 7.4 + 7.5  renumbered, split",
    ]
    # An item changed in place is redlined in its point's redline only; beneath an item that
    # moved, its own redline, indented under it.
    assert lines.count("    7.1 The buyer pays within [-15-]{+30+} days of the invoice:") == 1
    at = lines.index("      7.1  reworded")
    assert lines[at + 1] == "      — → 7.1(b)  added"
    moved = block_of(text, "Schedule 1 › 2 → Schedule 1 › 2  reworded")
    at = moved.index("      7.6 → Schedule 1 › 2.1  moved, reworded")
    assert moved[at + 1] == "        Prices are fixed for [-12-]{+24+} months."


def test_unchanged_items_in_place_are_not_shown() -> None:
    result = nested_kinds()
    text = plain.render(result)
    for change in result.changes:
        for n in change.nested:
            label = (
                n.old[0]
                if n.old == n.new and len(n.old) == 1
                else f"{' + '.join(n.old) or '—'} → {' + '.join(n.new) or '—'}"
            )
            quiet = n.kind is ChangeKind.UNCHANGED and not n.moved and not n.renumbered
            assert (f"      {label}  " in text) is not quiet, label
    # Clause 9's items are all unchanged: its block is the heading and the point's redline.
    assert block_of(text, "9 → 9  reworded")[1:] == [
        "    9. NOTICES",
        "    9.1 Notices are written.",
        "    9.2 Notices go by post. {+Email is not notice.+}",
    ]


def test_lines_starting_decimal_sub_clauses_are_not_joined_as_hard_wraps() -> None:
    assert reflow.reflow("7. PAYMENT\n7.1 The buyer pays\nwithin 15 days.\n7.1.2. Late") == (
        "7. PAYMENT\n7.1 The buyer pays within 15 days.\n7.1.2. Late"
    )
    # A figure that merely starts a wrapped line is still joined.
    assert reflow.reflow("The fund holds\n5.000 euros.") == "The fund holds 5.000 euros."


def test_an_item_moved_from_another_point_shows_under_its_new_place_with_its_figure() -> None:
    text = plain.render(nested_kinds())
    lines = block_of(text, "Schedule 1 › 2 → Schedule 1 › 2  reworded")
    at = lines.index("      7.6 → Schedule 1 › 2.1  moved, reworded")
    assert lines[at + 1 :] == [
        "        Prices are fixed for [-12-]{+24+} months.",
        "        ≠ duration: 12 months → 24 months",
    ]
    # A figure the point's own lines already give is not repeated under the item.
    assert block_of(text, "7 → 7  reworded").count("    ≠ duration: 15 days → 30 days") == 1
    assert "        ≠ duration: 15 days → 30 days" not in text


def test_subitem_labels_are_not_repeated_when_nested_changes_say_it() -> None:
    result = nested_kinds()
    assert result.changes[0].subitems_changed
    assert "changed in" not in plain.render(result)
    assert "changed in" not in markdown.render(result)
    # Without nested changes worth showing, the labels are still given.
    quiet = msgspec.structs.replace(
        result.changes[0],
        nested=tuple(n for n in result.changes[0].nested if not wording.nested_says_something(n)),
    )
    assert wording.subitems_phrase(quiet) == "changed in " + ", ".join(quiet.subitems_changed)
    assert "changed in (b)" in plain.render(every_kind())


def test_point_headers_show_paths_that_are_not_just_numbers() -> None:
    text = plain.render(nested_kinds())
    assert "\nSchedule 1 › 2 → Schedule 1 › 2  reworded  (automatic, 60% similar) ─" in text
    assert "\n¶ 8 → ¶ 7  reworded  (automatic, 80% similar) ─" in text
    assert "\n7 → 7  reworded" in text  # a path that is the number reads as before
    md = markdown.render(nested_kinds())
    assert "### Schedule 1 › 2 → Schedule 1 › 2 · reworded" in md
    assert "### ¶ 8 → ¶ 7 · reworded" in md


def test_summary_counts_nested_changes_apart() -> None:
    result = nested_kinds()
    assert wording.nested_count(result) == 9
    assert "Changes: 1 unchanged, 4 reworded, 9 sub-item changes\n" in plain.render(result)
    assert "| sub-item changes | 9 |" in markdown.render(result)
    # Nothing is said of sub-items when there are none to show.
    assert "sub-item" not in plain.render(every_kind())
    assert "sub-item" not in markdown.render(every_kind())


def test_nested_paths_and_redlines_are_shown_literally() -> None:
    for side_by_side in (False, True):
        for color in (False, True):
            report = terminal.render(nested_kinds(HOSTILE), side_by_side=side_by_side)
            text = terminal.export(report, width=100, color=color)
            bare = re.sub(r"\x1b\[[0-9;]*m", "", text)
            assert not RAW_CONTROL.search(bare)
            assert "\x1b]8" not in text
            if not color:
                assert "— → 7.1(b)[bold red]x[/] \\x1b[31mred" in text


# --------------------------------------------------------------------------- Markdown


def test_golden_nested_markdown(golden) -> None:
    golden("nested.md", markdown.render(nested_kinds()))


def test_nested_changes_are_a_list_of_their_own_in_markdown() -> None:
    page = MD.render(markdown.render(nested_kinds()))
    section = page[page.index("<h3>7 → 7 · reworded</h3>") : page.index("<h3>9 → 9")]
    # The figures and the sub-items are two lists, not one.
    assert section.count("<ul>") == 2
    items = re.findall(r"<li>(.*?)</li>", section.split("<p><em>Sub-items:</em></p>")[1], re.S)
    assert items[0] == "7.1 · reworded"  # its words are in the point's redline above
    assert items[2] == "7.1(b) → 7.1(c) · renumbered"
    assert len(items) == 8


def test_hostile_nested_text_cannot_inject_markup_in_markdown() -> None:
    text = markdown.render(nested_kinds(HOSTILE))
    assert "\x1b" not in text and "\u202e" not in text
    page = MD.render(text)
    assert "<script" not in page and "<!--" not in page and "<a href" not in page
    assert "[bold red]x[/]" in page
    assert page.count("<h1>") == 1


# --------------------------------------------------------------------------- JSON


def test_golden_nested_json(golden) -> None:
    golden("nested.json", json_render.render(nested_kinds()))


def test_json_nested_reads_back_as_the_result_holds_it() -> None:
    result = nested_kinds()
    doc = msgspec.json.decode(json_render.render(nested_kinds()))
    for change, written in zip(result.changes, doc["changes"], strict=True):
        assert len(written["nested"]) == len(change.nested)
        for n, w in zip(change.nested, written["nested"], strict=True):
            back = NestedChange(
                kind=ChangeKind(w["kind"]),
                old=tuple(w["old"]),
                new=tuple(w["new"]),
                level=w["level"],
                moved=w["moved"],
                renumbered=w["renumbered"],
                similarity=w["similarity"],
                redline=n.redline,
                substantive=n.substantive,
            )
            assert back == n
        assert [r["path"] for r in written["new"]] == [r.path for r in change.new]


def test_items_of_a_point_shown_as_unchanged_are_neither_shown_nor_counted() -> None:
    result = nested_kinds()
    renumbered = result.changes[0].nested[3]
    assert renumbered.renumbered
    quiet = msgspec.structs.replace(result.changes[4], nested=(renumbered,))
    changed = msgspec.structs.replace(result, changes=(*result.changes[:4], quiet))
    assert wording.nested_count(changed) == wording.nested_count(result) == 9
    assert plain.render(changed) == plain.render(result)
    moved = msgspec.structs.replace(quiet, moved=True)
    assert wording.shown_nested(moved) == (renumbered,)


def test_collapsed_points_are_named_by_their_paths_where_those_say_more() -> None:
    result = nested_kinds()
    paragraph, unchanged = result.changes[3], result.changes[4]
    as_unchanged = msgspec.structs.replace(paragraph, kind=ChangeKind.UNCHANGED)
    assert wording.collapsed_phrase([as_unchanged, unchanged]) == "2 unchanged points (10, ¶ 7)"
    assert wording.collapsed_phrase([unchanged]) == "1 unchanged point (10)"
