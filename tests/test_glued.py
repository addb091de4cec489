"""The closing glued to the last points is not evidence of which points correspond."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import glued
from plandiff.align import DEFAULT_SETTINGS, align
from plandiff.texts import diff_texts

HEAD = "The parties to the Harbour Accord agree as follows.\n\n"
CLOSING = (
    " Annex: how to cite this accord in your own papers. Put the following notice after the"
    " title page: Copyright (c) YEAR YOUR NAME. Permission is granted to copy this text under"
    " the terms of the Harbour Accord, Version 2 or any later version. If your paper has"
    " annexes, list their titles in the notice and keep that list current.\n"
)
#: The next edition of the closing: a version number changed inside it.
CLOSING_NEXT = CLOSING.replace("Version 2", "Version 3")
QUOTAS = "1. Fishing quotas are shared in equal parts between the two coastal states every season."
BOARDING = "2. Inspectors from either state may board any vessel inside the joint zone unannounced."
REVISIONS = (
    "3. FUTURE REVISIONS. The commission may publish revised versions of this accord from time"
    " to time. Each version is given a distinguishing number, and a state may follow any later"
    " version published by the commission."
)
PROXY = " A delegate named by a state may accept a later version on its behalf."
TRANSITION = (
    "TRANSITION. A cooperative registry set up before the accord means any register of vessels"
    " that several ports keep together. Such a registry may move its records under this accord"
    " until the first of August, provided no port objects to the transfer in writing."
)


def _changes(old: str, new: str) -> list[tuple[str, list[int], list[int]]]:
    result = diff_texts(old, new)
    return [
        (str(c.kind), [r.index for r in c.old], [r.index for r in c.new]) for c in result.changes
    ]


def _doc(*points: str, closing: str = CLOSING) -> str:
    return HEAD + "\n".join(points) + closing


def test_an_appended_point_does_not_take_the_last_points_place_by_its_glued_closing() -> None:
    # The closing (no blank line before it) travels to whichever point is last: the new
    # section 4 carries it, the old section 3 loses it. Section 3 is still section 3.
    old = _doc(QUOTAS, BOARDING, REVISIONS)
    new = _doc(QUOTAS, BOARDING, REVISIONS + PROXY, "4. " + TRANSITION, closing=CLOSING_NEXT)
    assert _changes(old, new) == [
        ("unchanged", [1], [1]),
        ("unchanged", [2], [2]),
        ("reworded", [3], [3]),
        ("added", [], [4]),
    ]


def test_a_last_clause_dropped_is_not_merged_into_the_new_last_point_by_its_closing() -> None:
    # Old clause 4 is dropped; the disclaimer glued to it now follows clause 3.
    clause3 = "3. Products built on this work may not use the harbour's name without written leave."
    clause4 = (
        "4. Every copy in any form must keep this acknowledgment: this product includes work"
        " done by the harbour board for the pilot service."
    )
    assert _changes(_doc(QUOTAS, BOARDING, clause3, clause4), _doc(QUOTAS, BOARDING, clause3)) == [
        ("unchanged", [1], [1]),
        ("unchanged", [2], [2]),
        ("reworded", [3], [3]),
        ("removed", [4], []),
    ]


def test_a_real_split_of_the_last_point_stays_a_split() -> None:
    # Without the shared closing the two new points still hold the old one: the split stands.
    second = (
        " The commission keeps a register of every version it has published and sends each"
        " state a copy of the register within a month of any change to it."
    )
    old = _doc(QUOTAS, BOARDING, REVISIONS + second)
    new = _doc(QUOTAS, BOARDING, REVISIONS, "4." + second)
    assert _changes(old, new)[2:] == [("split", [3], [3, 4])]


def test_a_reworded_last_point_ending_like_its_old_self_keeps_its_pair() -> None:
    # The last points share their ending because they are the same point: too little is left
    # of each without it to judge by, so nothing is set aside.
    old = _doc(
        QUOTAS,
        BOARDING,
        "3. In May the troops withdraw from the valley and talks resume in Geneva.",
    )
    new = _doc(
        QUOTAS,
        BOARDING,
        "3. A joint patrol guards the northern channel through the winter months.",
        "4. By July, the troops withdraw from the valley and talks resume in Geneva.",
        closing="\n",
    )
    assert ("reworded", [3], [4]) in _changes(old, new)


def test_shared_ending_allows_small_edits_inside_the_closing() -> None:
    old = "Section text of the old edition, a full sentence of its own here." + CLOSING
    new = "A wholly new section: the registry moves by August under this accord." + CLOSING_NEXT
    assert glued.shared_ending(old, new) == (
        "Section text of the old edition, a full sentence of its own here.",
        "A wholly new section: the registry moves by August under this accord.",
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("Fishing quotas are shared every season.", "Inspectors may board any vessel."),
        (
            "In May the troops withdraw from the valley and talks resume in Geneva.",
            "By July, the troops withdraw from the valley and talks resume in Geneva.",
        ),
    ],
)
def test_shared_ending_needs_a_block_and_text_of_each_points_own(old: str, new: str) -> None:
    assert glued.shared_ending(old, new) is None


_WORDS = st.sampled_from(
    ["harbour", "quota", "vessel", "port", "board", "season", "state", "zone", "patrol", "treaty"]
)
_POINT = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)


@settings(max_examples=60, deadline=None)
@given(
    old=st.lists(_POINT, min_size=1, max_size=5),
    new=st.lists(_POINT, min_size=1, max_size=5),
    closing=st.lists(_WORDS, min_size=0, max_size=20).map(" ".join),
)
def test_every_point_stays_in_exactly_one_correspondence(
    old: list[str], new: list[str], closing: str
) -> None:
    old[-1] += " " + closing
    new[-1] += " " + closing
    found = align(old, new)
    judged = glued.judge_without_closing(found, old, new, DEFAULT_SETTINGS)
    assert sorted(i for c in judged for i in c.old) == list(range(len(old)))
    assert sorted(j for c in judged for j in c.new) == list(range(len(new)))
