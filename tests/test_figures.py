"""What a changed point's report says about its figures and about letter case."""

from __future__ import annotations

from plandiff.engine import diff
from plandiff.models import Point
from plandiff.render import markdown, plain
from plandiff.texts import diff_texts, version_from_text


def _described(version, summary: str):
    """``version`` with its first point known only from a summary."""
    first = Point(key=version.points[0].key, number=1, summary=summary)
    return version.model_copy(update={"points": (first, *version.points[1:])})


def test_a_figure_a_described_point_does_not_mention_is_not_mentioned() -> None:
    old = version_from_text(
        "1. Both sides withdraw heavy weapons within 14 days of signature.\n", "old.txt"
    ).version
    new = version_from_text("1. x\n", "new.txt").version
    new = _described(new, "Both sides withdraw heavy weapons after signature.")
    result = diff(old, new)
    (change,) = result.changes
    assert [(s.kind.value, s.old, s.new, s.not_mentioned) for s in change.substantive] == [
        ("duration", "within 14 days", None, True)
    ]
    text = plain.render(result)
    assert "≠ duration: within 14 days → (not mentioned)" in text
    assert "(none)" not in text
    assert "- duration: within 14 days → (not mentioned)" in markdown.render(result)


def test_a_figure_dropped_from_verbatim_text_is_none() -> None:
    result = diff_texts(
        "1. Both sides withdraw within 14 days of signature.\n",
        "1. Both sides withdraw after signature.\n",
    )
    (figure,) = result.changes[0].substantive
    assert (figure.old, figure.new, figure.not_mentioned) == ("within 14 days", None, False)
    assert "≠ duration: within 14 days → (none)" in plain.render(result)


def test_a_change_of_letter_case_alone_is_shown_as_such() -> None:
    result = diff_texts(
        "1. The Parties agree.\n\n2. Troops withdraw.\n",
        "1. The parties agree.\n\n2. Troops withdraw.\n",
    )
    text = plain.render(result)
    block = text[text.index("1 → 1  reworded") :].split("\n")
    assert block[1:3] == ["    letter case only", "    The [-Parties-]{+parties+} agree."]
    assert "*letter case only*" in markdown.render(result)


def test_a_sub_clause_label_is_structure_not_a_figure() -> None:
    """4.2 inserted renumbers 4.2 → 4.3: the nested changes say so; no 'number' changed."""
    old = "1. Intro.\n\n4. PAYMENT\n4.1 Pay within 30 days.\n4.2 Interest is 4 per cent.\n"
    new = (
        "1. Intro.\n\n4. PAYMENT\n4.1 Pay within 30 days.\n4.2 Invoices go by email.\n"
        "4.3 Interest is 5 per cent.\n"
    )
    change = diff_texts(old, new).changes[1]
    assert [(s.kind.value, s.old, s.new) for s in change.substantive] == [
        ("percentage", "4 per cent", "5 per cent")
    ]
    assert [(n.old, n.new, n.renumbered) for n in change.nested if n.renumbered] == [
        (("4.2",), ("4.3",), True)
    ]


def test_a_figure_opening_a_line_is_still_a_figure() -> None:
    old = "1. The fund:\n2.5 million euros are set aside.\n"
    new = "1. The fund:\n3.5 million euros are set aside.\n"
    (change,) = diff_texts(old, new).changes
    assert [(s.old, s.new) for s in change.substantive] == [
        ("2.5 million euros", "3.5 million euros")
    ]


def test_a_figure_carried_to_another_place_did_not_change() -> None:
    """Clause 9 folded into 7.1 before 7.2: the merge's redline carries 7.2 and its "4 per
    cent" past clause 9's words, as a deletion here and an insertion there; the figure is
    the same."""
    old = (
        "7. PAYMENT\n7.1 The buyer pays:\n(a) by bank transfer;\n(b) within 30 days.\n"
        "7.2 Late payment bears interest at 4 per cent.\n\n8. DELIVERY\nThe seller delivers.\n\n"
        "9. RECORDS\nThe seller keeps a record of every delivery for six years.\n\n"
        "10. NOTICES\nNotices go by post.\n"
    )
    new = (
        "7. PAYMENT\n7.1 The buyer pays:\n(a) by bank transfer;\n(b) within 30 days; and\n"
        "(c) the seller keeps a record of every delivery for six years.\n"
        "7.2 Late payment bears interest at 4 per cent.\n\n8. DELIVERY\nThe seller delivers.\n\n"
        "9. NOTICES\nNotices go by post.\n"
    )
    merged = next(c for c in diff_texts(old, new).changes if c.kind.value == "merged")
    assert merged.redline is not None
    assert "4 per cent" in "".join(t for op, t in merged.redline.ops if op.value == "delete")
    assert not [s for s in merged.substantive if s.kind.value == "percentage"]


def test_a_figure_dropped_beside_another_added_is_still_reported() -> None:
    old = "1. Interest is 4 per cent.\n\n2. A fee of 2 per cent applies.\n"
    new = "1. Interest is 4 per cent.\n\n2. A fee of 3 per cent applies.\n"
    (change,) = [c for c in diff_texts(old, new).changes if c.kind.value != "unchanged"]
    assert [(s.old, s.new) for s in change.substantive] == [("2 per cent", "3 per cent")]
