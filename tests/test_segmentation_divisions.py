"""Divisions that restart numbering, paragraphs of unnumbered texts, and the paths they get."""

from __future__ import annotations

import json
import string
from pathlib import Path
from typing import Any

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import outside
from plandiff.cli import Env, cli
from plandiff.evidence import point_path, point_paths
from plandiff.pairing import number_keys
from plandiff.segmentation import Segmentation, segment
from plandiff.texts import diff_texts
from tests.test_segmentation import assert_well_formed


def check(text: str) -> Segmentation:
    result = segment(text)
    assert_well_formed(text, result)
    return result


def paths(result: Segmentation) -> list[str | None]:
    """Each point's path, the same one by one as all at once (as a diff's points take them)."""
    outline = outside.outline_of(result)
    each = [point_path(outline, k, p.number) for k, p in enumerate(result.points)]
    assert list(point_paths(outline, [p.number for p in result.points])) == each
    return each


def test_paths_all_at_once_where_the_outline_says_less() -> None:
    numbered = outside.Outline(numbers=("1", "2 bis", "3"))
    assert point_paths(numbered, [1, 2, 3]) == ("1", "2 bis", "3")
    gap = outside.Outline(numbers=("1", None, "3"))
    assert point_paths(gap, [1, 2, None]) == ["1", "2", "3"]
    divided = outside.Outline(numbers=("1", "1"), divisions=(None, "Schedule 1"))
    assert point_paths(divided, [1, 1]) == ["1", "Schedule 1 › 1"]
    assert point_paths(outside.EMPTY, [4, None]) == ["4", None]
    assert point_paths(outside.Outline(ordinal_sign="¶"), [None, None]) == ["¶ 1", "¶ 2"]
    assert point_paths(numbered, [1, 2, 3, 4]) == ["1", "2 bis", "3", "4"]


def clauses(count: int) -> str:
    """A contract's clauses, each with two decimal sub-clauses (the lead's example)."""
    return "SERVICES AGREEMENT\n\n" + "".join(
        f"{n}. CLAUSE {n}\n{n}.1 The party shall do thing {n} within {3 * n} days.\n"
        f"{n}.2 The other party may object in writing.\n\n"
        for n in range(1, count + 1)
    )


SCHEDULE_AND_ANNEX = (
    clauses(10)
    + "SCHEDULE 1\nSERVICES\n1. Hosting of the platform.\n2. Support during business hours.\n"
    "3. Backups daily.\n\nANNEX A\n1. Monthly fee of 5,000 euros.\n2. Setup fee of 1,000 euros.\n"
)


# --------------------------------------------------------------------------- divisions


def test_a_schedule_and_an_annex_that_restart_numbering_are_divisions() -> None:
    result = check(SCHEDULE_AND_ANNEX)
    assert paths(result) == [
        *map(str, range(1, 11)),
        "Schedule 1 › 1",
        "Schedule 1 › 2",
        "Schedule 1 › 3",
        "Annex A › 1",
        "Annex A › 2",
    ]
    assert [p.division for p in result.points] == [None] * 10 + ["Schedule 1"] * 3 + ["Annex A"] * 2
    assert [p.text for p in result.points[10:]] == [
        "Hosting of the platform.",
        "Support during business hours.",
        "Backups daily.",
        "Monthly fee of 5,000 euros.",
        "Setup fee of 1,000 euros.",
    ]
    # Clause 10 ends where the schedule's heading starts; no restart, nothing kept as text.
    assert result.points[9].text.endswith("10.2 The other party may object in writing.")
    assert result.warnings == () and result.closing is None
    assert [h.text for h in result.headings] == [
        "SERVICES AGREEMENT\n\n",
        "SCHEDULE 1\nSERVICES\n",
        "ANNEX A\n",
    ]
    assert result.points[10].heading == "SCHEDULE 1 › SERVICES"
    assert result.series is not None
    assert result.series.describe() == (
        "cut at `N.` markers, column 0: 15 points, 1–10 and 2 divisions (Schedule 1, Annex A); "
        "3 headings"
    )
    assert result.series.divisions == ("Schedule 1", "Annex A")


def test_division_headings_as_they_are_written() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    for heading, label in [
        ("SCHEDULE 1 - SERVICES", "Schedule 1"),
        ("## Annex II: Fees", "Annex II"),
        ("**ANNEXE 3**", "Annexe 3"),
        ("Anlage 2", "Anlage 2"),
        ("APPENDIX", "Appendix"),
        ("Exhibit B — Prices", "Exhibit B"),
        ("Schedule 2a", "Schedule 2a"),
        ("THE SECOND SCHEDULE", "Second Schedule"),
        ("THE SCHEDULE", "Schedule"),
        ("First Annex", "First Annex"),
    ]:
        result = check(f"{body}{heading}\n\n1. First item.\n\n2. Second item.\n")
        assert paths(result)[3:] == [f"{label} › 1", f"{label} › 2"], heading
        assert heading in result.headings[-1].text


def test_divisions_whatever_the_line_breaks() -> None:
    for brk in ("\r\n", "\r", "\u2028"):
        text = SCHEDULE_AND_ANNEX.replace("\n", brk)
        result = check(text)
        assert paths(result)[10:] == [
            "Schedule 1 › 1",
            "Schedule 1 › 2",
            "Schedule 1 › 3",
            "Annex A › 1",
            "Annex A › 2",
        ], repr(brk)


def test_a_division_whose_title_is_not_heading_shaped_is_still_its_heading() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    result = check(body + "Schedule 1\n\nThe Services\n\n1. Hosting.\n\n2. Support.\n")
    assert paths(result) == ["1", "2", "3", "Schedule 1 › 1", "Schedule 1 › 2"]
    assert result.points[2].text == "Clause 3 binds the parties."
    assert [h.text for h in result.headings] == ["Schedule 1\n\nThe Services\n\n"]
    assert result.points[3].heading == "Schedule 1 – The Services"


def test_a_heading_over_the_schedules_stays_a_heading() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    text = body + "SCHEDULES\n\nSCHEDULE 1 – SERVICES\n\n1. Hosting.\n\nSCHEDULE 2\n\n1. Fees.\n"
    result = check(text)
    assert paths(result) == ["1", "2", "3", "Schedule 1 › 1", "Schedule 2 › 1"]
    assert result.headings[0].text == "SCHEDULES\n\nSCHEDULE 1 – SERVICES\n\n"


def test_a_division_in_another_style_than_the_articles() -> None:
    text = "Article 1\nScope.\n\nArticle 2\nDefinitions.\n\nANNEX I\n\n1. Fees.\n\n2. Costs.\n"
    result = check(text)
    assert paths(result) == ["1", "2", "Annex I › 1", "Annex I › 2"]
    assert result.warnings == ()


def test_a_division_that_continues_the_numbering_is_only_a_heading() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 11))
    result = check(body + "APPENDIX A\n\n11. More clauses.\n\n12. And more.\n")
    assert paths(result) == [str(n) for n in range(1, 13)]
    assert all(p.division is None for p in result.points)
    assert result.points[10].heading == "APPENDIX A"
    assert result.series is not None and result.series.divisions == ()


def test_a_part_that_continues_the_numbering_stays_a_heading_path() -> None:
    text = "PART I\n\n1. One.\n\n2. Two.\n\nPART II\n\n3. Three.\n\n4. Four.\n"
    result = check(text)
    assert paths(result) == ["1", "2", "3", "4"]
    assert [p.heading for p in result.points] == ["PART I", "PART I", "PART II", "PART II"]


def test_an_indented_sub_list_inside_a_point_stays_a_sub_level() -> None:
    text = "1. First point.\n\n2. Second point:\n   1. sub one\n   2. sub two\n\n3. Third point.\n"
    result = check(text)
    assert paths(result) == ["1", "2", "3"]
    assert result.points[1].text == "Second point:\n   1. sub one\n   2. sub two"
    assert result.warnings == ()


def test_a_schedule_named_in_a_sentence_is_no_division() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    text = body + "Schedule 1 sets out the services.\n1. one\n2. two\n"
    result = check(text)
    assert all(p.division is None for p in result.points)
    assert paths(result)[:3] == ["1", "2", "3"]


def test_a_heading_inside_a_paragraph_is_no_division() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    text = body.rstrip("\n") + "\nSCHEDULE 1\n1. one\n2. two\n"  # no blank line above it
    result = check(text)
    assert all(p.division is None for p in result.points)


def test_an_annex_quoted_inside_a_clause_is_no_division() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 7))
    text = (
        body + "7. The annex reads:\n\nAnnex A\n\n1. First item.\n\n2. Second item.\n\n"
        "8. Clause 8 binds the parties.\n\n9. Clause 9 binds the parties.\n"
    )
    result = check(text)
    assert all(p.division is None for p in result.points)
    assert paths(result)[-2:] == ["8", "9"]


def test_an_annex_after_the_signatures_is_a_division_and_the_signatures_no_clause() -> None:
    text = (
        "Article 1\nScope.\n\nArticle 2\nDefinitions.\n\nDone at Brussels, 6 May 2025.\n\n"
        "For the Council\nThe President\n\nANNEX I\n\n1. Fees.\n\n2. Costs.\n"
    )
    result = check(text)
    assert paths(result) == ["1", "2", "Annex I › 1", "Annex I › 2"]
    assert result.points[1].text == "Definitions."  # the signatures are not Article 2's
    assert [h.text for h in result.headings] == [
        "Done at Brussels, 6 May 2025.\n\nFor the Council\nThe President\n\nANNEX I\n\n"
    ]
    assert result.points[2].heading == "ANNEX I"  # the signatures are on no path
    assert result.closing is None and result.warnings == ()


def test_a_contract_signed_before_its_schedules() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    signatures = (
        "IN WITNESS WHEREOF the parties have signed this Agreement.\n\n"
        "For the Supplier: J. Smith\n\nFor the Client: A. Jones\n\n"
    )
    result = check(body + signatures + "SCHEDULE 1\nSERVICES\n\n1. Hosting.\n\n2. Support.\n")
    assert paths(result) == ["1", "2", "3", "Schedule 1 › 1", "Schedule 1 › 2"]
    assert result.points[2].text == "Clause 3 binds the parties."
    assert result.headings[0].text == signatures + "SCHEDULE 1\nSERVICES\n\n"
    assert result.points[3].heading == "SCHEDULE 1 › SERVICES"


def test_a_closing_after_the_last_division() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    text = body + "SCHEDULE\n\n1. Item.\n\n2. Item two.\n\nIN WITNESS WHEREOF the parties signed.\n"
    result = check(text)
    assert paths(result) == ["1", "2", "3", "Schedule › 1", "Schedule › 2"]
    assert result.closing is not None
    assert result.closing.text == "IN WITNESS WHEREOF the parties signed.\n"


def test_numbering_findings_inside_a_division_still_fire() -> None:
    body = "".join(f"{n}. Clause {n} binds the parties.\n\n" for n in range(1, 4))
    # (A jump onto 4, the number after the main series' last, would be the main series
    # going on: see test_an_annex_quoted_inside_a_clause_is_no_division.)
    result = check(body + "SCHEDULE 1\n\n1. One.\n\n2. Two.\n\n5. Five.\n")
    assert paths(result)[3:] == ["Schedule 1 › 1", "Schedule 1 › 2", "Schedule 1 › 5"]
    assert [(w.kind, w.message) for w in result.warnings] == [
        ("gap", "point 5 follows point 2; 3–4 missing")
    ]


def test_number_keys_are_qualified_by_division() -> None:
    keys = number_keys([None] * 4, ["1", "1", "1", "2 bis"], [None, "Schedule 1", "Annex A", None])
    assert keys == ["1", "schedule 1 › 1", "annex a › 1", "2 bis"]
    assert len(set(keys)) == 4
    assert number_keys([None] * 2, ["1", "2"]) == ["1", "2"]


def test_a_schedule_item_never_pairs_by_number_with_a_clause() -> None:
    new = SCHEDULE_AND_ANNEX.replace("Hosting of the platform.", "Hosting, on premises only.")
    result = diff_texts(SCHEDULE_AND_ANNEX, new)
    links = {
        (c.old[0].path, c.new[0].path)
        for c in result.changes
        if c.old and c.new and c.kind != "replaced"
    }
    for old_path, new_path in links:
        assert old_path == new_path
    changed = [c for c in result.changes if c.kind != "unchanged"]
    assert [(c.old[0].path, c.new[0].path) for c in changed] == [
        ("Schedule 1 › 1", "Schedule 1 › 1")
    ]


def test_a_bill_s_short_section_marker_continues_the_series() -> None:
    text = (
        "A BILL\n\nSECTION 1. SHORT TITLE.\n\nThis Act may be cited as the Test Act.\n\n"
        "SEC. 2. DEFINITIONS.\n\nIn this Act the term x means y.\n\nSEC. 3. FUNDING.\n\n"
        "There are authorized $5.\n"
    )
    result = check(text)
    assert paths(result) == ["1", "2", "3"]
    assert [p.label for p in result.points] == ["SECTION 1.", "SEC. 2.", "SEC. 3."]
    assert result.warnings == ()


_WORDS = st.text(string.ascii_lowercase, min_size=2, max_size=8)
_ITEM = st.lists(_WORDS, min_size=1, max_size=6).map(lambda ws: " ".join(ws).capitalize() + ".")
_DIVISION = st.sampled_from(["SCHEDULE", "Schedule", "ANNEX", "Annex", "Appendix", "EXHIBIT"])


@settings(max_examples=60, deadline=None)
@given(
    main=st.lists(_ITEM, min_size=1, max_size=8),
    divisions=st.lists(
        st.tuples(_DIVISION, st.lists(_ITEM, min_size=1, max_size=5)), min_size=1, max_size=4
    ),
    sub_clauses=st.booleans(),
)
def test_property_clauses_and_schedules(
    main: list[str], divisions: list[tuple[str, list[str]]], sub_clauses: bool
) -> None:
    text = "AGREEMENT\n\n"
    for n, item in enumerate(main, 1):
        text += f"{n}. {item}\n" + (f"{n}.1 The party agrees.\n" if sub_clauses else "") + "\n"
    expected = [str(n) for n in range(1, len(main) + 1)]
    for k, (word, items) in enumerate(divisions, 1):
        # Items told apart (lines repeated word for word in order are a table of contents).
        text += f"{word} {k}\n\n" + "".join(
            f"{n}. {item} Ref {k}/{n}.\n" for n, item in enumerate(items, 1)
        )
        text += "\n"
        label = f"{word.capitalize() if word.isupper() else word} {k}"
        expected += [f"{label} › {n}" for n in range(1, len(items) + 1)]
    result = check(text)
    assert paths(result) == expected
    assert not [w for w in result.warnings if w.kind in ("restart", "ignored-marker")]
    assert result.closing is None


# --------------------------------------------------------------------------- paragraphs


LETTER = (
    "Dear colleagues,\n\n"
    "We met in Geneva on Monday and agreed\nto continue the talks next month.\n\n"
    "The fund will hold five thousand euros.\n\n\n"
    "Kind regards,\nThe secretariat\n"
)


def test_an_unnumbered_text_is_cut_at_its_paragraphs() -> None:
    result = check(LETTER)
    assert [p.text for p in result.points] == [
        "Dear colleagues,",
        "We met in Geneva on Monday and agreed\nto continue the talks next month.",
        "The fund will hold five thousand euros.",
        "Kind regards,\nThe secretariat",
    ]
    assert [p.number for p in result.points] == [None] * 4
    assert [p.number_text for p in result.points] == [None] * 4
    assert paths(result) == ["¶ 1", "¶ 2", "¶ 3", "¶ 4"]
    assert result.points[0].start == 0 and result.points[-1].end == len(LETTER)
    assert result.warnings == () and result.preamble is None and result.closing is None
    assert result.series is not None
    assert result.series.style == "paragraph" and result.series.describe() == (
        "cut at paragraphs: 4 paragraphs"
    )


def test_a_text_without_blank_lines_writes_a_paragraph_a_line() -> None:
    # A web page's text: one long line a paragraph, far wider than any wrapping width.
    text = (
        "The parties met in Geneva on Monday to discuss the plan in detail, and they went "
        "through every one of its chapters with the mediators over two full days of talks.\n"
        "They agreed on a ceasefire that starts within three days of signature.\n"
        "Observers from both sides and from the mediating states will report every week to "
        "both governments, and their reports will be published within a month of each visit.\n"
    )
    result = check(text)
    assert [p.text for p in result.points] == text.strip().split("\n")


def test_a_hard_wrapped_paragraph_ends_where_the_next_word_would_have_fitted() -> None:
    # Filled to 68 columns (enough lines to tell a width): a break where the next word would
    # have fitted, after a sentence's end or a short line, is the writer's.
    first = [
        "The parties met in Geneva on Monday and agreed to keep talking about",
        "the plan, which the mediators presented to both delegations in full",
        "and which they will discuss again in the spring.",
    ]
    second = [
        "A second paragraph starts here without a blank line and runs on for",
        "a while, as paragraphs of a text that lost its blank lines often do",
        "when a program copies them.",
    ]
    heading = "Next steps"
    third = [
        "Observers will report every week to both governments and to the UN,",
        "and their reports will be published.",
    ]
    text = "\n".join([*first, *second, heading, *third]) + "\n"
    result = check(text)
    assert [p.text for p in result.points] == [
        "\n".join(first),
        "\n".join(second),
        heading,
        "\n".join(third),
    ]


def test_a_hard_wrapped_text_without_blank_lines_is_one_paragraph() -> None:
    words = ("the parties agreed to meet again in Geneva. " * 30).split()
    lines, line = [], ""
    for w in words:
        if len(line) + len(w) + 1 > 72:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    text = "\n".join([*lines, line]) + "\n"
    result = check(text)
    assert len(result.points) == 1 and result.points[0].text == text.strip()


def test_a_paragraph_reworded_in_an_unnumbered_pair() -> None:
    paragraphs = [
        f"The parties restate at length what they agreed about topic {k} here."
        for k in range(1, 11)
    ]
    old, new = list(paragraphs), list(paragraphs)
    old[7] = "The fund will hold five thousand euros for the schools."
    new[7] = "The fund will hold seven thousand euros for the schools."
    result = diff_texts("\n\n".join(old), "\n\n".join(new))
    changed = [c for c in result.changes if c.kind != "unchanged"]
    assert [(c.kind, c.old[0].path, c.new[0].path) for c in changed] == [("reworded", "¶ 8", "¶ 8")]
    assert [(s.old, s.new) for s in changed[0].substantive] == [
        ("five thousand euros", "seven thousand euros")
    ]


def test_a_paragraph_inserted_early_renumbers_nothing() -> None:
    paragraphs = [
        f"The parties restate at length what they agreed about topic {k} here." for k in range(1, 8)
    ]
    new = [paragraphs[0], "A new paragraph on an unrelated matter entirely.", *paragraphs[1:]]
    result = diff_texts("\n\n".join(paragraphs), "\n\n".join(new))
    assert [c.kind for c in result.changes].count("unchanged") == 7
    assert [c.new[0].path for c in result.changes if c.kind == "added"] == ["¶ 2"]
    assert not any(c.renumbered or c.moved for c in result.changes)
    shifted = [(c.old[0].path, c.new[0].path) for c in result.changes if c.kind == "unchanged"]
    assert shifted[1] == ("¶ 2", "¶ 3")


def test_recording_still_wants_a_list() -> None:
    result = segment("Just prose.\n", paragraphs=False)
    assert result.points == () and [w.kind for w in result.warnings] == ["no-points"]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(_ITEM, min_size=1, max_size=4), min_size=1, max_size=8))
def test_property_paragraphs_are_the_blank_separated_blocks(blocks: list[list[str]]) -> None:
    # Each block's sentences run on one line: a paragraph per block.
    text = "\n\n".join(" ".join(block) for block in blocks) + "\n"
    result = check(text)
    assert [p.text for p in result.points] == [" ".join(block) for block in blocks]
    assert paths(result) == [f"¶ {k}" for k in range(1, len(blocks) + 1)]


# --------------------------------------------------------------------------- through the CLI


def _diff_json(tmp_path: Path, old: str, new: str) -> dict[str, Any]:
    (tmp_path / "old.txt").write_text(old, encoding="utf-8")
    (tmp_path / "new.txt").write_text(new, encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        ["diff", str(tmp_path / "old.txt"), str(tmp_path / "new.txt"), "--format", "json"],
        obj=Env(width=100, color=False),
        env={"NO_COLOR": None, "PAGER": "false-pager-should-never-run"},
    )
    assert result.exit_code == 0, result.output
    doc: dict[str, Any] = json.loads(result.stdout)
    return doc


def test_the_json_report_names_schedule_points_by_their_paths(tmp_path: Path) -> None:
    new = SCHEDULE_AND_ANNEX.replace("Setup fee of 1,000 euros.", "Setup fee of 1,500 euros.")
    doc = _diff_json(tmp_path, SCHEDULE_AND_ANNEX, new)
    assert doc["new"]["segmentation"]["description"] == (
        "cut at `N.` markers, column 0: 15 points, 1–10 and 2 divisions (Schedule 1, Annex A); "
        "3 headings"
    )
    assert doc["warnings"] == []
    changed = [c for c in doc["changes"] if c["kind"] != "unchanged"]
    assert [(c["kind"], c["old"][0]["path"], c["new"][0]["path"]) for c in changed] == [
        ("reworded", "Annex A › 2", "Annex A › 2")
    ]
    assert [c["new"][0]["path"] for c in doc["changes"]][10:] == [
        "Schedule 1 › 1",
        "Schedule 1 › 2",
        "Schedule 1 › 3",
        "Annex A › 1",
        "Annex A › 2",
    ]


def test_the_json_report_names_paragraphs(tmp_path: Path) -> None:
    new = LETTER.replace("five thousand", "seven thousand")
    doc = _diff_json(tmp_path, LETTER, new)
    assert doc["new"]["segmentation"]["description"] == "cut at paragraphs: 4 paragraphs"
    assert doc["new"]["segmentation"]["style"] == "paragraph"
    changed = [c for c in doc["changes"] if c["kind"] != "unchanged"]
    assert [(c["kind"], c["new"][0]["path"], c["renumbered"]) for c in changed] == [
        ("reworded", "¶ 3", False)
    ]
