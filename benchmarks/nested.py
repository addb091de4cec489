"""Links, moves, renumbers, merges and splits at every level of nested documents, scored.

Usage::

    python benchmarks/nested.py [--seeds 3] [--docs 20] [--check] [--verbose] [--out PATH] [--real]

For each document kind (``clauses``, ``schedules``, ``unnumbered``, ``bills``, ``articles``,
``regrouped``; see :mod:`nested_synth`) and each seed it generates ``--docs`` pairs with exact
truth, diffs each pair in this process with :func:`plandiff.diff_texts`, and scores what the
result says against the truth, every item named by its path (``7.1(b)``, ``Schedule 1 › 3``,
``¶ 8``):

- links: each change and each nested change with both sides links every old path to every new
  path; a top-level pair whose texts are identical (so its ``nested`` is empty) links every
  sub-item of the old point to the one at the same place under the new point;
- moves (``moved`` of changes and nested changes), renumbers (``renumbered``, one-to-one, only
  items with a written label: a paragraph's ordinal is not a label), merges and splits.

It prints precision, recall and F1 of links, recall and precision of the rest, per document
kind and per level (an item's level: 0 for a top-level point, 1 for its sub-items …).
``--check`` exits 1 when a target of :data:`TARGETS` is missed over all synthetic pairs.
``--real`` also scores the hand-written nested gold of real version pairs
(``benchmarks/nested_real/``, by the pairs of ``tests/real/``), reported apart, never checked.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import tomllib
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # last, so that PYTHONPATH can point at another checkout
    sys.path.append(str(_ROOT))
if str(_ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(_ROOT / "benchmarks"))

from nested_synth import KINDS, NestedPair, generate, own_label  # noqa: E402

import plandiff  # noqa: E402
from plandiff.result import ChangeKind, DiffResult  # noqa: E402
from plandiff.texts import diff_texts  # noqa: E402

#: issue 17's "done when", over all levels of all synthetic pairs.
TARGETS = {
    "link_f1": 0.98,
    "move_recall": 0.95,
    "move_precision": 0.98,
    "renumber_recall": 0.99,
    "merge_recall": 0.95,
    "split_recall": 0.95,
}
REAL_GOLD = _ROOT / "benchmarks" / "nested_real"

Link = tuple[str, str]
Group = tuple[frozenset[str], frozenset[str]]  # (old paths, new paths) of a move, merge, split
_NOT_LINKS = frozenset({ChangeKind.ADDED, ChangeKind.REMOVED, ChangeKind.UNREPORTED})


def _group(old: Iterable[str], new: Iterable[str]) -> Group:
    return frozenset(old), frozenset(new)


@dataclass(frozen=True)
class Gold:
    """What a correct result says about one pair, by path."""

    links: frozenset[Link]
    moved: frozenset[Group]
    renumbered: frozenset[Link]
    merges: frozenset[Group]
    splits: frozenset[Group]
    levels: Mapping[str, int]  # old path → level
    subitems: Mapping[str, tuple[str, ...]]  # old top-level path → its sub-items' paths
    #: The old top-level points scored (a real pair's gold covers only some); None: all.
    scope: frozenset[str] | None = None
    #: Links and groups (merges, splits, moves) a fair reading may add: not counted.
    accepted_links: frozenset[Link] = frozenset()
    accepted_groups: frozenset[Group] = frozenset()


def gold_of(pair: NestedPair) -> Gold:
    subitems: dict[str, list[str]] = {}
    for item in pair.old_items:
        if item.level:
            subitems.setdefault(item.top, []).append(item.path)
    return Gold(
        links=pair.links,
        moved=frozenset(_group([o], [n]) for o, n in pair.moved),
        renumbered=pair.renumbered,
        merges=frozenset(_group(o, [n]) for o, n in pair.merges),
        splits=frozenset(_group([o], n) for o, n in pair.splits),
        levels={item.path: item.level for item in pair.old_items},
        subitems={top: tuple(paths) for top, paths in subitems.items()},
        accepted_links=pair.accepted_links,
        accepted_groups=pair.accepted_groups,
    )


@dataclass
class Prediction:
    """What a result says, in the gold's terms."""

    links: set[Link] = field(default_factory=set)
    moved: set[Group] = field(default_factory=set)
    renumbered: set[Link] = field(default_factory=set)
    merges: set[Group] = field(default_factory=set)
    splits: set[Group] = field(default_factory=set)
    levels: dict[str, int] = field(default_factory=dict)  # old path → level as the result says
    excused: set[Link] = field(default_factory=set)  # renumbers a fair reading cannot say


def predict(result: DiffResult, gold: Gold) -> Prediction:
    """Read links, moves, renumbers, merges and splits off a result, at every level (only the
    changes of the gold's points where it has a scope)."""
    p = Prediction()

    def record(
        kind: ChangeKind,
        old: Sequence[str],
        new: Sequence[str],
        level: int,
        moved: bool,
        renumbered: bool,
    ) -> None:
        if kind in _NOT_LINKS or not old or not new:
            return
        for o in old:
            p.levels.setdefault(o, level)
            p.links.update((o, n) for n in new)
        if moved:
            p.moved.add(_group(old, new))
        if renumbered and len(old) == len(new) == 1 and own_label(old[0]):
            p.renumbered.add((old[0], new[0]))
        if kind is ChangeKind.MERGED:
            p.merges.add(_group(old, new))
        elif kind is ChangeKind.SPLIT:
            p.splits.add(_group(old, new))

    for change in result.changes:
        old = [r.path for r in change.old if r.path is not None]
        new = [r.path for r in change.new if r.path is not None]
        if gold.scope is not None and not (old and set(old) <= gold.scope):
            continue
        record(change.kind, old, new, 0, change.moved, change.renumbered)
        for nested in change.nested:
            record(
                nested.kind, nested.old, nested.new, nested.level, nested.moved, nested.renumbered
            )
        if (
            len(old) == len(new) == 1
            and not change.nested
            and change.old[0].text == change.new[0].text
        ):
            top, to = old[0], new[0]
            for sub in gold.subitems.get(top, ()):
                p.links.add((sub, to + sub[len(top) :]))
    # A merge or split read where the truth has a fold or promotion: its extra links and the
    # group are not wrong; a move inside it is found when the group is flagged moved; a
    # renumber inside it cannot be said, so it is not asked for.
    for old_paths, new_paths in gold.accepted_groups & (p.merges | p.splits):
        inside = [(o, n) for o, n in gold.renumbered if o in old_paths and n in new_paths]
        p.excused.update(inside)
        if (old_paths, new_paths) in p.moved:
            p.moved.update(g for g in gold.moved if g[0] <= old_paths and g[1] <= new_paths)
    p.links -= gold.accepted_links - gold.links
    for said, truth in ((p.moved, gold.moved), (p.merges, gold.merges), (p.splits, gold.splits)):
        said -= gold.accepted_groups - truth
    return p


class Tally:
    """Counts over several pairs, overall and per level, turned into rates at the end."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.pairs = 0

    def add(self, gold: Gold, pred: Prediction) -> list[str]:
        """Count one pair; return its misses, one line each."""
        self.pairs += 1
        misses: list[str] = []

        def level(old: Iterable[str]) -> int:
            first = min(old)
            return gold.levels.get(first, pred.levels.get(first, 0))

        def count(name: str, truth: set | frozenset, got: set | frozenset, key) -> None:  # type: ignore[no-untyped-def]
            for item in truth:
                lv = level(key(item))
                self.c[f"{name}:truth"] += 1
                self.c[f"{name}:truth:{lv}"] += 1
                if item in got:
                    self.c[f"{name}:tp"] += 1
                    self.c[f"{name}:tp:{lv}"] += 1
            for item in got:
                lv = level(key(item))
                self.c[f"{name}:pred"] += 1
                self.c[f"{name}:pred:{lv}"] += 1

        count("link", gold.links, pred.links, lambda link: [link[0]])
        count("move", gold.moved, pred.moved, lambda g: g[0])
        renumbered = gold.renumbered - pred.excused
        count("renumber", renumbered, pred.renumbered, lambda link: [link[0]])
        count("merge", gold.merges, pred.merges, lambda g: g[0])
        count("split", gold.splits, pred.splits, lambda g: g[0])

        linked: dict[str, set[str]] = {}
        for o, n in pred.links:
            linked.setdefault(o, set()).add(n)
        truth_of: dict[str, set[str]] = {}
        for o, n in gold.links:
            truth_of.setdefault(o, set()).add(n)

        def got(o: str) -> str:
            return ", ".join(sorted(linked.get(o, ()))) or "nothing"

        for o, n in sorted(gold.links - pred.links):
            misses.append(f"link     {o} → {n}: missed; got {o} → {got(o)}")
        for o, n in sorted(pred.links - gold.links):
            truth = ", ".join(sorted(truth_of.get(o, ()))) or "nothing (removed or no such path)"
            misses.append(f"link     {o} → {n}: wrong; truth {o} → {truth}")
        for g in sorted(gold.moved - pred.moved, key=_show):
            linked_too = all(n in linked.get(o, ()) for o in g[0] for n in g[1])
            why = (
                "linked, not flagged moved" if linked_too else f"not linked (got {got(min(g[0]))})"
            )
            misses.append(f"move     {_show(g)}: missed, {why}")
        for g in sorted(pred.moved - gold.moved, key=_show):
            misses.append(f"move     {_show(g)}: flagged moved, truth is not a move")
        for o, n in sorted(renumbered - pred.renumbered):
            misses.append(f"renumber {o} → {n}: missed; got {o} → {got(o)}")
        for o, n in sorted(pred.renumbered - renumbered):
            misses.append(f"renumber {o} → {n}: flagged renumbered, truth is not")
        for name, truth, found in (
            ("merge", gold.merges, pred.merges),
            ("split", gold.splits, pred.splits),
        ):
            for g in sorted(truth - found, key=_show):
                olds = sorted(g[0])
                misses.append(
                    f"{name:<8} {_show(g)}: missed; got "
                    + "; ".join(f"{o} → {got(o)}" for o in olds)
                )
            for g in sorted(found - truth, key=_show):
                misses.append(f"{name:<8} {_show(g)}: reported, truth is not")
        return misses

    def rate(self, num: str, den: str) -> float:
        return self.c[num] / self.c[den] if self.c[den] else 1.0

    def figures(self, suffix: str = "") -> dict[str, float | int]:
        """Rates over all levels, or over one level with ``suffix`` ``":2"``."""
        s = suffix
        p = self.rate(f"link:tp{s}", f"link:pred{s}")
        r = self.rate(f"link:tp{s}", f"link:truth{s}")
        out: dict[str, float | int] = {
            "links": self.c[f"link:truth{s}"],
            "link_precision": p,
            "link_recall": r,
            "link_f1": 2 * p * r / (p + r) if p + r else 0.0,
        }
        for name in ("move", "renumber", "merge", "split"):
            out[f"{name}s"] = self.c[f"{name}:truth{s}"]
            out[f"{name}s_reported"] = self.c[f"{name}:pred{s}"]
            out[f"{name}_recall"] = self.rate(f"{name}:tp{s}", f"{name}:truth{s}")
            out[f"{name}_precision"] = self.rate(f"{name}:tp{s}", f"{name}:pred{s}")
        return out

    def levels(self) -> list[int]:
        return sorted(
            {int(k.rsplit(":", 1)[1]) for k in self.c if k.count(":") == 2 and k[-1].isdigit()}
        )

    def merge(self, other: Tally) -> None:
        self.c.update(other.c)
        self.pairs += other.pairs


def _show(g: Group) -> str:
    return f"{' + '.join(sorted(g[0]))} → {' + '.join(sorted(g[1]))}"


# ---------------------------------------------------------------------------------------------
# Real version pairs with nested gold


@dataclass(frozen=True)
class RealCase:
    id: str  # the pair's id in tests/real/pairs
    old_text: str
    new_text: str
    old_name: str
    new_name: str
    gold: Gold


def load_real(folder: Path = REAL_GOLD, corpus: Path = _ROOT / "tests" / "real") -> list[RealCase]:
    """The real pairs with nested gold: each ``<pair id>.toml`` lists, per top-level pair, the
    top-level link and its sub-items' links, and the moved, renumbered, merged and split items
    (see benchmarks/README.md)."""
    cases = []
    for path in sorted(folder.glob("*.toml")):
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
        pair = tomllib.loads((corpus / "pairs" / f"{path.stem}.toml").read_text(encoding="utf-8"))
        links: set[Link] = set()
        levels: dict[str, int] = {}
        subitems: dict[str, tuple[str, ...]] = {}
        for point in meta.get("point", ()):
            top_old, top_new = point.get("old"), point.get("new")
            if top_old is not None:
                levels[top_old] = 0
            if top_old is not None and top_new is not None:
                links.add((top_old, top_new))
            subs = []
            for entry in point.get("items", ()):
                o, n, lv = entry["old"], entry.get("new"), entry["level"]
                levels[o] = lv
                subs.append(o)
                for new in [n] if isinstance(n, str) else n or []:
                    links.add((o, new))
            if top_old is not None:
                subitems[top_old] = tuple(subs)
        for m in meta.get("merged", ()):
            links.update((o, m["new"]) for o in m["old"])
        for m in meta.get("split", ()):
            links.update((m["old"], n) for n in m["new"])
        gold = Gold(
            links=frozenset(links),
            moved=frozenset(_group([o], [n]) for o, n in meta.get("moved", ())),
            renumbered=frozenset((o, n) for o, n in meta.get("renumbered", ())),
            merges=frozenset(_group(m["old"], [m["new"]]) for m in meta.get("merged", ())),
            splits=frozenset(_group([s["old"]], s["new"]) for s in meta.get("split", ())),
            levels=levels,
            subitems=subitems,
            scope=frozenset(subitems),
        )
        docs = corpus / "docs"
        cases.append(
            RealCase(
                id=path.stem,
                old_text=(docs / f"{pair['old']}.txt").read_text(encoding="utf-8"),
                new_text=(docs / f"{pair['new']}.txt").read_text(encoding="utf-8"),
                old_name=f"{pair['old']}.txt",
                new_name=f"{pair['new']}.txt",
                gold=gold,
            )
        )
    return cases


# ---------------------------------------------------------------------------------------------
# Running and reporting


@dataclass
class Run:
    tallies: dict[str, Tally]
    misses: list[tuple[str, list[str]]]
    cpu_seconds: float


def run(seeds: int, docs: int, kinds: Sequence[str] = KINDS, real: Sequence[RealCase] = ()) -> Run:
    tallies = {kind: Tally() for kind in kinds}
    misses: list[tuple[str, list[str]]] = []
    cpu = 0.0
    for kind in kinds:
        for seed in range(seeds):
            for index in range(docs):
                pair = generate(kind, seed, index)
                gold = gold_of(pair)
                start = time.process_time()
                result = diff_texts(pair.old_text, pair.new_text)
                cpu += time.process_time() - start
                found = tallies[kind].add(gold, predict(result, gold))
                misses.append((f"{kind} seed {seed} #{index}", found))
    if real:
        tallies["real"] = Tally()
        for case in real:
            result = diff_texts(
                case.old_text, case.new_text, old_name=case.old_name, new_name=case.new_name
            )
            found = tallies["real"].add(case.gold, predict(result, case.gold))
            misses.append((f"real {case.id}", found))
    return Run(tallies, misses, cpu)


def overall(r: Run) -> Tally:
    total = Tally()
    for kind, tally in r.tallies.items():
        if kind != "real":
            total.merge(tally)
    return total


_HEADER = (
    f"{'':<12} {'pairs':>5} {'links':>6} {'P':>6} {'R':>6} {'F1':>6} │ "
    f"{'moves':>5} {'R':>6} {'P':>6} │ {'renum':>5} {'R':>6} {'P':>6} │ "
    f"{'merge':>5} {'R':>6} │ {'split':>5} {'R':>6}"
)


def _row(name: str, pairs: int | str, f: Mapping[str, float | int]) -> str:
    return (
        f"{name:<12} {pairs!s:>5} {f['links']:>6} {f['link_precision']:>6.4f} "
        f"{f['link_recall']:>6.4f} {f['link_f1']:>6.4f} │ {f['moves']:>5} "
        f"{f['move_recall']:>6.4f} {f['move_precision']:>6.4f} │ {f['renumbers']:>5} "
        f"{f['renumber_recall']:>6.4f} {f['renumber_precision']:>6.4f} │ {f['merges']:>5} "
        f"{f['merge_recall']:>6.4f} │ {f['splits']:>5} {f['split_recall']:>6.4f}"
    )


def report(r: Run, total: Tally) -> str:
    lines = [_HEADER]
    for kind, tally in r.tallies.items():
        if kind != "real":
            lines.append(_row(kind, tally.pairs, tally.figures()))
    lines.append(_row("all", total.pairs, total.figures()))
    for lv in total.levels():
        lines.append(_row(f"  level {lv}", "", total.figures(f":{lv}")))
    if "real" in r.tallies:
        real = r.tallies["real"]
        lines.append(_row("real", real.pairs, real.figures()))
        for lv in real.levels():
            lines.append(_row(f"  level {lv}", "", real.figures(f":{lv}")))
    lines.append(
        f"plandiff from {Path(plandiff.__file__).parent}; "
        f"diff_texts: {r.cpu_seconds:.1f} s CPU for {total.pairs} synthetic pairs "
        f"({r.cpu_seconds / max(total.pairs, 1) * 1000:.0f} ms each)"
    )
    return "\n".join(lines)


def missed(total: Tally) -> list[str]:
    fig = total.figures()
    return [f"{k} {fig[k]:.4f} < {v}" for k, v in TARGETS.items() if fig[k] < v]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=3, help="seeds 0..k-1 (default 3)")
    parser.add_argument(
        "--docs", type=int, default=20, help="pairs per document kind and seed (default 20)"
    )
    parser.add_argument(
        "--kinds", nargs="+", choices=KINDS, default=list(KINDS), help="document kinds"
    )
    parser.add_argument("--real", action="store_true", help="also score the real nested gold")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--verbose", "-v", action="store_true", help="print every miss")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    if args.seeds < 1 or args.docs < 1:
        parser.error("--seeds and --docs must be at least 1")

    r = run(args.seeds, args.docs, args.kinds, load_real() if args.real else ())
    total = overall(r)
    if args.verbose:
        for name, found in r.misses:
            if found:
                print(f"{name}: {len(found)} misses")
                for line in found:
                    print(f"  {line}")
        print()
    print(report(r, total))
    failures = missed(total)
    print("targets missed:\n  " + "\n  ".join(failures) if failures else "all targets met")
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "seeds": args.seeds,
            "docs": args.docs,
            "targets": TARGETS,
            "all": total.figures() | {"pairs": total.pairs},
            "levels": {lv: total.figures(f":{lv}") for lv in total.levels()},
            "kinds": {k: t.figures() | {"pairs": t.pairs} for k, t in r.tallies.items()},
            "diff_cpu_seconds": r.cpu_seconds,
            "missed": failures,
        }
        args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
