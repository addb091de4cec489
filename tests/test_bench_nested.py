"""The nested benchmark's generator tells the truth about its own texts, and its scorer can fail.

``benchmarks/nested.py`` is what says whether the nested alignment is done, so its truth is
checked against the generated texts by a small reader written here (independent of the
generator's own renderer), and its scorer is fed results built from the truth itself: perfect
figures for a perfect result, strictly lower ones when one link, one move flag, one renumber
or one merge is wrong.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff.records import Completeness
from plandiff.result import (
    Basis,
    Change,
    ChangeKind,
    DeclaredCount,
    DiffResult,
    NestedChange,
    PointRef,
    Settings,
    VersionSummary,
)

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "benchmarks") not in sys.path:  # its scripts are not a package
    sys.path.insert(0, str(ROOT / "benchmarks"))

import nested  # noqa: E402
from nested_synth import KINDS, NestedPair, generate  # noqa: E402

CASES = [(kind, seed, index) for kind in KINDS for seed in (0, 1) for index in range(4)]


def _pairs() -> Iterator[NestedPair]:
    for kind, seed, index in CASES:
        yield generate(kind, seed, index)


# ---------------------------------------------------------------------------------------------
# The generator


def test_generator_is_deterministic_per_seed() -> None:
    for kind in KINDS:
        assert generate(kind, 5, 2) == generate(kind, 5, 2)
        assert generate(kind, 5, 2).old_text != generate(kind, 6, 2).old_text
        assert generate(kind, 5, 2).new_text != generate(kind, 5, 3).new_text


def test_unknown_kind_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'poems'"):
        generate("poems", 0)


_DIVISION = re.compile(r"^(SCHEDULE|ANNEX) (\w+)\b")
_TOP = re.compile(r"^(\d+)\. ")
_DECIMAL = re.compile(r"^\s*(\d+(?:\.\d+)+) ")
_LETTER = re.compile(r"^\s*\(?([a-h])\) ")
_ROMAN = re.compile(r"^\s*\(?(i|ii|iii|iv|v|vi|vii|viii)\) ")


def read_paths(text: str) -> list[str]:
    """Every item's path, read off the text's labels, blank lines and headings alone."""
    blocks = text.strip("\n").split("\n\n")
    if not any(_TOP.match(line) for block in blocks for line in block.split("\n")):
        return [f"¶ {k}" for k in range(1, len(blocks) + 1)]
    paths: list[str] = []
    prefix = ""
    top = decimal = letter = None
    # For the current top item: whether it has labelled sub-items, then one entry per block.
    top_blocks: list[int] = []

    def close_top() -> None:
        count = len(top_blocks) - 1
        if top is not None and count > 1 and not top_blocks[0]:
            paths.extend(f"{top} ¶ {k}" for k in range(1, count + 1))

    for block in blocks:
        lines = block.split("\n")
        if m := _DIVISION.match(lines[0]):
            close_top()
            top, top_blocks = None, []
            prefix = f"{m.group(1).title()} {m.group(2)} › "
            continue
        for line in lines:
            if m := _TOP.match(line):
                close_top()
                top = decimal = prefix + m.group(1)
                letter = None
                top_blocks = [0]
                paths.append(top)
            elif m := _DECIMAL.match(line):
                decimal, letter = prefix + m.group(1), None
                paths.append(decimal)
                top_blocks[0] = 1
            elif m := _LETTER.match(line):
                letter = f"{decimal}({m.group(1)})"
                paths.append(letter)
                top_blocks[0] = 1
            elif m := _ROMAN.match(line):
                paths.append(f"{letter}({m.group(1)})")
                top_blocks[0] = 1
        top_blocks.append(1)
    close_top()
    return paths


_SECTION = re.compile(r"^(?:SECTION |SEC\. )(\d+)\. |^Section (\d+\.\d\d) ")
_BRACKET = re.compile(r"^\s*\(([a-zA-Z0-9]+)\) ")
#: The US Code's forms from the top: (a), (1), (A), (i), (I); lettered lists stop at (h).
_RANK = {"lower": 1, "digit": 2, "upper": 3, "roman": 4, "Roman": 5}


def _form(core: str) -> str:
    if core.isdigit():
        return "digit"
    if core.islower():
        return "lower" if core in "abcdefgh" else "roman"
    return "upper" if core in "ABCDEFGH" else "Roman"


def read_legal_paths(text: str) -> list[str]:
    """Every item's path in a bill or an agreement of articles: a section's number opens a
    path, and a bracketed label stands under the last open label of a higher form."""
    paths: list[str] = []
    open_: list[tuple[int, str]] = []
    for line in text.split("\n"):
        if m := _SECTION.match(line):
            top = m.group(1) or m.group(2)
            paths.append(top)
            open_ = [(0, top)]
        elif (m := _BRACKET.match(line)) and open_:
            rank = _RANK[_form(m.group(1))]
            while open_[-1][0] >= rank:
                open_.pop()
            path = f"{open_[-1][1]}({m.group(1)})"
            paths.append(path)
            open_.append((rank, path))
    return paths


def test_every_path_of_the_truth_is_read_off_the_text() -> None:
    for pair in _pairs():
        assert_paths_read_back(pair)


def assert_paths_read_back(pair: NestedPair) -> None:
    read = read_legal_paths if pair.kind in ("bills", "articles") else read_paths
    assert sorted(read(pair.old_text)) == sorted(i.path for i in pair.old_items)
    assert sorted(read(pair.new_text)) == sorted(i.path for i in pair.new_items)


def _own(path: str) -> str:
    tail = path.split(" › ")[-1]
    if "¶" in tail:
        return ""
    if m := re.search(r"\(([a-zA-Z0-9]+)\)$", tail):
        return m.group(1)
    return tail.split(".")[-1]


def _parent(path: str) -> str:
    """The path of an item's parent (a division's prefix for a top-level point)."""
    if path.endswith(")"):
        return path[: path.rindex("(")]
    if " ¶ " in path:
        return path.rsplit(" ¶ ", 1)[0]
    head, _, tail = path.rpartition(" › ")
    if "." in tail:
        return f"{head} › {tail.rsplit('.', 1)[0]}" if head else tail.rsplit(".", 1)[0]
    return head


def test_truth_is_consistent_with_itself() -> None:
    for pair in _pairs():
        assert_consistent(pair)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(KINDS), st.integers(0, 10**6), st.integers(0, 99))
def test_any_seed_gives_a_truth_its_texts_bear_out(kind: str, seed: int, index: int) -> None:
    pair = generate(kind, seed, index)
    assert_paths_read_back(pair)
    assert_consistent(pair)


def assert_consistent(pair: NestedPair) -> None:
    old = {i.path for i in pair.old_items}
    new = {i.path for i in pair.new_items}
    assert all(o in old and n in new for o, n in pair.links)
    assert pair.moved <= pair.links and pair.renumbered <= pair.links
    # The moves are the ones the generator made, and no others: the truth has one reading.
    assert pair.moved == pair.intended_moves, pair.edits
    for o, n in pair.renumbered:
        assert _own(o) and _own(n) and _own(o) != _own(n)
    for olds, n in pair.merges:
        assert len(olds) == 2 and all((o, n) in pair.links for o in olds)
    for o, news in pair.splits:
        assert len(news) >= 2 and all((o, n) in pair.links for n in news)
        # The parts stand side by side, as a split leaves them.
        siblings = [i.path for i in pair.new_items if _parent(i.path) == _parent(news[0])]
        at = siblings.index(news[0])
        assert tuple(siblings[at : at + len(news)]) == news, (news, siblings)
    one_to_one = {
        (o, n)
        for o, n in pair.links
        if sum(1 for link in pair.links if link[0] == o) == 1
        and sum(1 for link in pair.links if link[1] == n) == 1
    }
    for o, n in one_to_one - pair.renumbered:  # own label kept, or an ordinal
        assert _own(o) == _own(n) or not _own(o) or not _own(n)


def test_generated_pairs_cover_every_level_and_edit() -> None:
    levels_moved: set[int] = set()
    levels_merged: set[int] = set()
    levels_split: set[int] = set()
    levels_renumbered: set[int] = set()
    across = schedules = paragraphs = heavy = figures = 0
    for pair in _pairs():
        level = {i.path: i.level for i in pair.old_items}
        levels_moved |= {level[o] for o, _ in pair.moved}
        levels_merged |= {level[o[0]] for o, _ in pair.merges}
        levels_split |= {level[o] for o, _ in pair.splits}
        levels_renumbered |= {level[o] for o, _ in pair.renumbered}
        across += sum(1 for e in pair.edits if e.startswith("move across"))
        schedules += sum(1 for o, n in pair.links if " › " in n and "." in n)
        paragraphs += sum(1 for o, _ in pair.links if o.startswith("¶"))
        heavy += sum(1 for e in pair.edits if e.startswith("reword (heavy)"))
        figures += sum(1 for e in pair.edits if e.startswith("figures"))
    assert {0, 1, 2} <= levels_moved
    assert {0, 1, 2} <= levels_merged and {0, 1, 2} <= levels_split
    assert {0, 1, 2} <= levels_renumbered
    assert across and schedules and paragraphs and heavy and figures


# ---------------------------------------------------------------------------------------------
# The scorer, fed results built from the truth


def _ref(path: str, index: int, text: str) -> PointRef:
    own = _own(path)
    return PointRef(
        key=path,
        number=int(own) if own.isdigit() else None,
        index=index,
        verbatim=True,
        text=text,
        path=path,
    )


def _result(changes: list[Change]) -> DiffResult:
    summary = VersionSummary(id="v", title="v", known_points=1, completeness=Completeness.FULL)
    return DiffResult(
        old=summary,
        new=summary,
        settings=Settings(
            algorithm="truth", match_threshold=0.5, containment_threshold=0.5, redline="none"
        ),
        declared=DeclaredCount(old=None, new=None, old_unaccounted=None, new_unaccounted=None),
        changes=tuple(changes),
    )


def result_from_truth(pair: NestedPair, implied: bool = False) -> DiffResult:
    """The result a perfect diff would give, as the brief's LINKS rules lay it out. With
    ``implied``, top-level pairs whose sub-items all keep their place get identical texts and
    no nested changes (their sub-links are then implied)."""
    old_level = {i.path: i.level for i in pair.old_items}
    new_item = {i.path: i for i in pair.new_items}
    old_top = {i.path: i.top for i in pair.old_items}

    def groups(level0: bool) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
        # A clause folded into a list, or an item promoted to a clause, is a nested change.
        out = []
        links = {
            link
            for link in pair.links
            if (old_level[link[0]] == 0 == new_item[link[1]].level) == level0
        }
        merged = {(o, n) for olds, n in pair.merges for o in olds}
        split = {(o, n) for o, news in pair.splits for n in news}
        for olds, n in pair.merges:
            if (olds[0], n) in links:
                out.append((olds, (n,)))
        for o, news in pair.splits:
            if (o, news[0]) in links:
                out.append(((o,), news))
        out += [((o,), (n,)) for o, n in sorted(links - merged - split)]
        return out

    def kind(old: tuple[str, ...], new: tuple[str, ...]) -> ChangeKind:
        if len(old) > 1:
            return ChangeKind.MERGED
        return ChangeKind.SPLIT if len(new) > 1 else ChangeKind.REWORDED

    nested: dict[str, list[NestedChange]] = {}
    for old, new in groups(level0=False):
        top = new_item[new[0]].top
        nested.setdefault(top, []).append(
            NestedChange(
                kind=kind(old, new),
                old=old,
                new=new,
                level=new_item[new[0]].level,
                moved=(old[0], new[0]) in pair.moved and len(old) == len(new) == 1,
                renumbered=(old[0], new[0]) in pair.renumbered,
            )
        )
    changes = []
    for k, (old, new) in enumerate(groups(level0=True), 1):
        subs = nested.get(new[0], [])
        text_old, text_new = f"old {old}", f"new {new}"
        if implied and len(old) == len(new) == 1:
            o, n = old[0], new[0]
            under = [s for s, top in old_top.items() if top == o and s != o]
            if (
                under
                and all(
                    (s, n + s[len(o) :]) in pair.links
                    and (s, n + s[len(o) :]) not in pair.moved
                    and (s, n + s[len(o) :]) not in pair.renumbered
                    and sum(1 for link in pair.links if link[0] == s) == 1
                    for s in under
                )
                and len(subs) == len(under)
            ):
                subs, text_old = [], text_new
        changes.append(
            Change(
                kind=kind(old, new),
                moved=(old[0], new[0]) in pair.moved and len(old) == len(new) == 1,
                old=tuple(_ref(p, k, text_old) for p in old),
                new=tuple(_ref(p, k, text_new) for p in new),
                basis=Basis.AUTOMATIC,
                nested=tuple(subs),
            )
        )
    placed = {c.new[0].path for c in changes}
    for k, top in enumerate(sorted(set(nested) - placed), len(changes) + 1):
        # an added point that holds a promoted item lists it
        changes.append(
            Change(
                kind=ChangeKind.ADDED,
                new=(_ref(top, k, f"new {top}"),),
                basis=Basis.AUTOMATIC,
                nested=tuple(nested[top]),
            )
        )
    return _result(changes)


def _score(pair: NestedPair, result: DiffResult) -> dict[str, float | int]:
    gold = nested.gold_of(pair)
    tally = nested.Tally()
    misses = tally.add(gold, nested.predict(result, gold))
    figures = tally.figures()
    figures["misses"] = len(misses)
    return figures


PERFECT = ("link_f1", "move_recall", "move_precision", "renumber_recall", "renumber_precision")
PERFECT += ("merge_recall", "merge_precision", "split_recall", "split_precision")


@pytest.mark.parametrize("implied", [False, True], ids=["nested", "implied"])
def test_a_result_built_from_the_truth_scores_perfectly(implied: bool) -> None:
    used_implied = 0
    for pair in _pairs():
        result = result_from_truth(pair, implied)
        used_implied += sum(1 for c in result.changes if c.old and c.old[0].text == c.new[0].text)
        figures = _score(pair, result)
        assert all(figures[name] == 1.0 for name in PERFECT), figures
        assert figures["misses"] == 0
    assert used_implied > 0 if implied else used_implied == 0


def _first_nested(result: DiffResult, want) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    for i, change in enumerate(result.changes):
        for j, n in enumerate(change.nested):
            if want(n):
                return i, j
    raise AssertionError("no such nested change")


def _replace_nested(
    result: DiffResult, at: tuple[int, int], new: NestedChange | None
) -> DiffResult:
    i, j = at
    change = result.changes[i]
    kept = list(change.nested)
    if new is None:
        del kept[j]
    else:
        kept[j] = new
    changes = list(result.changes)
    changes[i] = msgspec.structs.replace(change, nested=tuple(kept))
    return msgspec.structs.replace(result, changes=tuple(changes))


def test_one_wrong_fact_lowers_the_figures() -> None:
    pair = next(p for p in _pairs() if p.kind == "clauses" and p.merges and p.renumbered)
    perfect = result_from_truth(pair)

    at = _first_nested(perfect, lambda n: n.kind is ChangeKind.REWORDED and not n.moved)
    dropped = _score(pair, _replace_nested(perfect, at, None))
    assert dropped["link_recall"] < 1.0 and dropped["link_f1"] < 1.0
    assert dropped["link_precision"] == 1.0

    nc = perfect.changes[at[0]].nested[at[1]]
    false_move = _score(pair, _replace_nested(perfect, at, msgspec.structs.replace(nc, moved=True)))
    assert false_move["move_precision"] < 1.0 and false_move["move_recall"] == 1.0

    at = _first_nested(perfect, lambda n: n.renumbered)
    nc = perfect.changes[at[0]].nested[at[1]]
    renumber = _score(
        pair, _replace_nested(perfect, at, msgspec.structs.replace(nc, renumbered=False))
    )
    assert renumber["renumber_recall"] < 1.0 and renumber["link_f1"] == 1.0

    at = _first_nested(perfect, lambda n: n.kind is ChangeKind.MERGED)
    nc = perfect.changes[at[0]].nested[at[1]]
    merge = _score(
        pair, _replace_nested(perfect, at, msgspec.structs.replace(nc, kind=ChangeKind.REWORDED))
    )
    assert merge["merge_recall"] < 1.0

    wrong_link = msgspec.structs.replace(nc, new=("99.9",))
    wrong = _score(pair, _replace_nested(perfect, at, wrong_link))
    assert wrong["link_precision"] < 1.0 and wrong["link_recall"] < 1.0


def test_identical_texts_imply_links_only_when_nested_is_empty() -> None:
    pair = next(p for p in _pairs() if p.kind == "clauses")
    implied = result_from_truth(pair, implied=True)
    i = next(k for k, c in enumerate(implied.changes) if c.old[0].text == c.new[0].text)
    change = implied.changes[i]
    other_text = msgspec.structs.replace(change.new[0], text="something else")
    changes = list(implied.changes)
    changes[i] = msgspec.structs.replace(change, new=(other_text,))
    broken = _score(pair, msgspec.structs.replace(implied, changes=tuple(changes)))
    assert broken["link_recall"] < 1.0


# ---------------------------------------------------------------------------------------------
# The command


def test_command_reports_and_writes_json(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    out = tmp_path / "nested.json"
    code = nested.main(["--seeds", "1", "--docs", "1", "--check", "--out", str(out)])
    printed = capsys.readouterr().out
    report = json.loads(out.read_text(encoding="utf-8"))
    assert set(report["kinds"]) == set(KINDS)
    assert report["all"]["pairs"] == len(KINDS)
    # --check fails exactly when a target is missed, and says which.
    assert code == (1 if report["missed"] else 0)
    assert ("all targets met" in printed) == (not report["missed"])
    for line in report["missed"]:
        assert line in printed


def test_targets_are_the_issue_s() -> None:
    assert nested.TARGETS == {
        "link_f1": 0.98,
        "move_recall": 0.95,
        "move_precision": 0.98,
        "renumber_recall": 0.99,
        "merge_recall": 0.95,
        "split_recall": 0.95,
    }
    perfect = nested.Tally()
    assert nested.missed(perfect) == []


# ---------------------------------------------------------------------------------------------
# The real pairs' nested gold


def test_real_nested_gold_is_well_formed() -> None:
    cases = nested.load_real()
    assert len(cases) >= 3
    for case in cases:
        gold = case.gold
        assert gold.scope and gold.links
        assert {o for o, _ in gold.renumbered} <= {o for o, _ in gold.links}
        assert all(link in gold.links for link in gold.renumbered)
        for top, subs in gold.subitems.items():
            assert top in gold.scope and gold.levels[top] == 0
            for sub in subs:
                assert sub.startswith(top + "(") and gold.levels[sub] == sub.count("(")
        for o, n in gold.links:
            for path, text in ((o, case.old_text), (n, case.new_text)):
                own = _own(path)
                if "(" in path:  # the item's own label opens one of the text's lines
                    label = rf"^\s*(\({re.escape(own)}\)|{re.escape(own)}[.)])\s"
                    assert re.search(label, text, re.MULTILINE), (case.id, path)


def test_the_legal_kinds_write_the_hierarchies_they_promise() -> None:
    bills = [generate("bills", seed, index) for seed in (0, 1) for index in range(6)]
    text = "\n".join(p.old_text for p in bills)
    assert "\nSECTION 1. " in "\n" + text and "\nSEC. 2. " in text
    assert re.search(r"^ *\(a\) [A-Z][\w ]*\.(—|--)", text, re.MULTILINE)
    # (a)(1)(A)(i)(I): five levels below a section, each of its own form.
    deepest = max((i for p in bills for i in p.old_items), key=lambda i: i.level)
    assert deepest.level == 5
    assert re.fullmatch(r"\d+\([a-h]\)\(\d+\)\([A-H]\)\([ivx]+\)\([IVX]+\)", deepest.path)
    articles = [generate("articles", seed, index) for seed in (0, 1) for index in range(6)]
    text = "\n".join(p.old_text for p in articles)
    assert re.search(r"^ARTICLE (\d|I)", text, re.MULTILINE)
    assert re.search(r"^Section \d\.0\d [A-Z]", text, re.MULTILINE)
    tops = {i.path for p in articles for i in p.old_items if i.level == 0}
    assert all(re.fullmatch(r"\d\.\d\d", top) for top in tops)


def test_regrouped_pairs_fold_clauses_into_lists_and_promote_items_with_their_truth() -> None:
    folds = promotions = adjacent = 0
    for seed in range(3):
        for index in range(6):
            pair = generate("regrouped", seed, index)
            level_old = {i.path: i.level for i in pair.old_items}
            level_new = {i.path: i.level for i in pair.new_items}
            for edit in pair.edits:
                verb, _, rest = edit.partition(" ")
                if verb not in ("fold", "promote"):
                    continue
                old, new = rest.split(" → ")
                # a move to another level, which a merge or split reading may also tell
                assert (frozenset([old]), frozenset([new])) in nested.gold_of(pair).moved
                assert (old, new) in pair.links
                if verb == "fold":
                    folds += 1
                    assert level_old[old] == 0 < level_new[new]
                    host = new.split(".")[0].split("(")[0]
                    assert (old, host) in pair.accepted_links
                else:
                    promotions += 1
                    assert level_old[old] > 0 == level_new[new]
                    assert (old.split(".")[0].split("(")[0], new) in pair.accepted_links
                groups = pair.accepted_groups
                adjacent += any(old in g[0] and new.split(".")[0] in g[1] for g in groups)
    assert folds >= 5 and promotions >= 5 and adjacent
    # the kinds that predate them are untouched
    assert not any(
        e.startswith(("fold", "promote"))
        for p in _pairs()
        if p.kind != "regrouped"
        for e in p.edits
    )
