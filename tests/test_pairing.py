"""Honest pairing: weak positional pairs are 'replaced', and kept numbers are evidence."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from plandiff import pairing
from plandiff.align import DEFAULT_SETTINGS, Correspondence
from plandiff.cli import Env, cli
from plandiff.result import ChangeKind
from plandiff.texts import diff_texts

U, R, P = ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED
ADD, REM = ChangeKind.ADDED, ChangeKind.REMOVED

OLD = """\
1. The ceasefire starts at dawn along the whole front line.
2. Prisoners of war are exchanged all for all within a month.
3. Elections are held within one hundred days of signature.
"""
NEW = """\
1. The ceasefire begins at dawn along the entire front line.
2. A reconstruction fund receives frozen assets from abroad.
3. Elections take place within one hundred days of the signature.
"""


def kinds(result) -> list[tuple[str, list[int], list[int]]]:
    return [
        (c.kind.value, [r.index for r in c.old], [r.index for r in c.new]) for c in result.changes
    ]


def test_a_lone_rewrite_with_nothing_in_common_is_replaced_not_reworded(tmp_path) -> None:
    assert kinds(diff_texts(OLD, NEW)) == [
        ("reworded", [1], [1]),
        ("replaced", [2], [2]),
        ("reworded", [3], [3]),
    ]
    (tmp_path / "a.txt").write_text(OLD)
    (tmp_path / "b.txt").write_text(NEW)
    out = CliRunner().invoke(
        cli,
        ["diff", str(tmp_path / "a.txt"), str(tmp_path / "b.txt")],
        obj=Env(width=100, color=False),
        env={"NO_COLOR": "1"},
    )
    block = out.output[out.output.index("2 → 2") :].split("\n")[:4]
    assert block[0].startswith("2 → 2  replaced  (automatic, same position, 4% similar) ───")
    assert block[1:] == [
        "    little wording in common: the old text gave way to the new one",
        "    old 2: [-Prisoners of war are exchanged all for all within a month.-]",
        "    new 2: {+A reconstruction fund receives frozen assets from abroad.+}",
    ]


def c(kind: ChangeKind, old: tuple[int, ...], new: tuple[int, ...], sim: float | None = None):
    return Correspondence(kind=kind, old=old, new=new, similarity=sim)


TEXTS = [
    f"{w} stands for {w}{k} alone"
    for k, w in enumerate(["alpha", "bravo", "charlie", "delta", "echo"])
]
TEXTS += [f"{w} means {w}{k} only" for k, w in enumerate(["foxtrot", "golf", "hotel", "india"])]


def test_same_numbered_leftovers_pair_when_numbering_is_kept() -> None:
    # 0-1 and 4-5 unchanged; old 2 and new 2 left over, same number: point 2 in both.
    found = [
        c(U, (0,), (0,), 1.0),
        c(U, (1,), (1,), 1.0),
        c(REM, (2,), ()),
        c(ADD, (), (2,)),
        c(U, (3,), (3,), 1.0),
    ]
    numbers = [1, 2, 3, 4]
    out = pairing.honest(found, numbers, numbers, TEXTS, TEXTS[4:], DEFAULT_SETTINGS)
    assert sorted((x.kind, x.old, x.new) for x in out) == sorted(
        [(U, (0,), (0,)), (U, (1,), (1,)), (P, (2,), (2,)), (U, (3,), (3,))]
    )


def test_weak_pairs_across_numbers_give_way_to_same_numbers() -> None:
    found = [
        c(U, (0,), (0,), 1.0),
        c(R, (1,), (2,), 0.3),  # wording alone, weakly: old 2 → new 3
        c(REM, (2,), ()),
        c(ADD, (), (1,)),
        c(U, (3,), (3,), 1.0),
        c(U, (4,), (4,), 1.0),
    ]
    numbers = [1, 2, 3, 4, 5]
    old_texts = ["a", "Troops withdraw from the river.", "Mines are cleared.", "b", "c"]
    new_texts = [
        "a",
        "Troops withdraw from the river bank.",
        "Mines are cleared by teams.",
        "b",
        "c",
    ]
    out = pairing.honest(found, numbers, numbers, old_texts, new_texts, DEFAULT_SETTINGS)
    pairs = {(x.old, x.new): x.kind for x in out}
    assert pairs[(1,), (1,)] is R and pairs[(2,), (2,)] is R
    assert not any(x.moved for x in out)


def test_renumbered_versions_are_left_alone() -> None:
    found = [c(U, (0,), (1,), 1.0), c(U, (1,), (2,), 1.0), c(U, (2,), (3,), 1.0), c(ADD, (), (0,))]
    found.append(c(REM, (3,), ()))
    out = pairing.honest(found, [1, 2, 3, 4], [1, 2, 3, 4], TEXTS, TEXTS, DEFAULT_SETTINGS)
    assert list(out) == found


def test_a_strong_pair_is_never_undone_by_numbers() -> None:
    found = [
        c(U, (0,), (0,), 1.0),
        c(U, (1,), (1,), 1.0),
        c(U, (2,), (2,), 1.0),
        c(R, (3,), (4,), 0.9),
        c(ADD, (), (3,)),
        c(U, (4,), (5,), 1.0),
    ]
    out = pairing.honest(found, [1, 2, 3, 4, 5], [1, 2, 3, 4, 5, 6], TEXTS, TEXTS, DEFAULT_SETTINGS)
    assert list(out) == found


@given(st.lists(st.integers(0, 3), min_size=1, max_size=12), st.data())
def test_property_every_point_stays_in_exactly_one_correspondence(layout, data) -> None:
    # Random in-order layouts: 0 unchanged, 1 weak pair, 2 removed, 3 added.
    found, i, j = [], 0, 0
    for step in layout:
        if step in (0, 1):
            found.append(c(U if step == 0 else R, (i,), (j,), 1.0 if step == 0 else 0.1))
            i, j = i + 1, j + 1
        elif step == 2:
            found.append(c(REM, (i,), ()))
            i += 1
        else:
            found.append(c(ADD, (), (j,)))
            j += 1
    olds = data.draw(st.lists(st.integers(1, 4), min_size=i, max_size=i))
    news = data.draw(st.lists(st.integers(1, 4), min_size=j, max_size=j))
    texts_o = [f"old{k} first{k} second{k}" for k in range(i)]
    texts_n = [f"new{k} third{k} fourth{k}" for k in range(j)]
    out = pairing.honest(found, olds, news, texts_o, texts_n, DEFAULT_SETTINGS)
    assert sorted(k for x in out for k in x.old) == list(range(i))
    assert sorted(k for x in out for k in x.new) == list(range(j))
    assert not any(x.kind is R and (x.similarity or 0) < 0.2 for x in out)


def test_a_repeal_note_under_the_same_number_is_that_point() -> None:
    # "(weggefallen)" for "-": both say the article is repealed; the number says which.
    same = "1. Scope of the law and who it binds.\n{}\n3. Terms used in the law.\n"
    same += "4. Authorities that apply it.\n5. Final provisions of the law.\n"
    old, new = same.format("2. -"), same.format("2. (weggefallen)")
    assert kinds(diff_texts(old, new)) == [
        ("unchanged", [1], [1]),
        ("reworded", [2], [2]),
        ("unchanged", [3], [3]),
        ("unchanged", [4], [4]),
        ("unchanged", [5], [5]),
    ]


def test_a_weak_pair_between_verbatim_neighbours_is_replaced() -> None:
    # Editions of one text: everything around is unchanged word for word, so a point that
    # keeps a third of its words under its number is another provision, not a rewording.
    found = [
        c(U, (0,), (0,), 1.0),
        c(R, (1,), (1,), 0.3),
        c(U, (2,), (2,), 1.0),
    ]
    out = pairing.honest(found, [1, 2, 3], [1, 2, 3], TEXTS, TEXTS[5:], DEFAULT_SETTINGS)
    assert [x.kind for x in out] == [U, P, U]
    # Between paraphrased neighbours the same pair is a rewording (the positional prior).
    found[0] = c(R, (0,), (0,), 0.7)
    out = pairing.honest(found, [1, 2, 3], [1, 2, 3], TEXTS, TEXTS[5:], DEFAULT_SETTINGS)
    assert [x.kind for x in out] == [R, R, U]


def test_a_rewritten_point_under_its_number_between_rewritten_neighbours_is_reworded() -> None:
    found = [
        c(U, (0,), (0,), 1.0),
        c(R, (1,), (1,), 0.6),
        c(R, (2,), (2,), 0.1),  # few words kept, but the same number, in place
        c(R, (3,), (3,), 0.7),
        c(U, (4,), (4,), 1.0),
    ]
    numbers = [1, 2, 3, 4, 5]
    out = pairing.honest(found, numbers, numbers, TEXTS, TEXTS[4:], DEFAULT_SETTINGS)
    assert [x.kind for x in out] == [U, R, R, R, U]
    # Under another number the pair has only its place to go on: a replacement.
    out = pairing.honest(found, numbers, [1, 2, 9, 4, 5], TEXTS, TEXTS[4:], DEFAULT_SETTINGS)
    assert [x.kind for x in out] == [U, R, P, R, U]


def test_number_keys_prefer_the_number_as_written() -> None:
    points = [SimpleNamespace(number=142), SimpleNamespace(number=142)]
    assert pairing.number_keys(points, ["142", "142a"]) == ["142", "142a"]
    assert pairing.number_keys(points, ["2  BIS", None]) == ["2 bis", None]
    assert pairing.number_keys(points, []) == [142, 142]


@pytest.mark.parametrize(
    ("layout", "olds", "news"),
    [
        # numbers that recur in one gap: no evidence of which point is which
        ([0, 0, 0, 1, 1, 2, 2, 0], [1, 1, 1, 2, 1, 1, 1, 1], [1, 1, 1, 1, 2, 1]),
        # a pair by number across a weak positional pair: the guess gives way
        ([0, 0, 0, 1, 1, 2, 0], [1, 1, 1, 1, 1, 2, 1], [1, 1, 1, 2, 1, 1]),
    ],
)
def test_pairs_by_number_never_cross_or_claim_a_move(layout, olds, news) -> None:
    found, i, j = [], 0, 0
    for step in layout:
        if step in (0, 1):
            found.append(c(U if step == 0 else R, (i,), (j,), 1.0 if step == 0 else 0.1))
            i, j = i + 1, j + 1
        else:
            found.append(c(REM, (i,), ()))
            i += 1
    texts_o = [f"old{k} first{k} second{k}" for k in range(i)]
    texts_n = [f"new{k} third{k} fourth{k}" for k in range(j)]
    out = pairing.honest(found, olds, news, texts_o, texts_n, DEFAULT_SETTINGS)
    assert sorted(k for x in out for k in x.old) == list(range(i))
    assert sorted(k for x in out for k in x.new) == list(range(j))
    assert not any(x.moved for x in out)
    assert not any(x.kind is R and (x.similarity or 0) < 0.2 for x in out)
