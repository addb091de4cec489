"""Segmentation and alignment measured on real documents with hand-written truth.

Usage::

    python benchmarks/real.py [--check] [--only ID ...] [--verbose] [--out PATH]

The corpus lives in ``tests/real/`` (see its README): each document has a text and a TOML file
whose ``[truth]`` a person wrote by reading the text; each version pair names two documents and
its gold correspondences. For every document this prints the points found against the truth
(the top-level numbering in order, where the first point starts, where the closing starts); for
every pair, link precision, recall and F1 (a correspondence counts only when its old and its new
point sets are both exactly right) and whether added, removed, merged, split and moved points are
exactly the gold ones. ``--check`` exits 1 when a document is not segmented exactly, a pair's F1
is below :data:`MIN_PAIR_F1`, or an unambiguous pair's kinds are not exact.

Everything runs in this process on the library API, so the figures say nothing about speed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

from plandiff import outside  # noqa: E402
from plandiff.evidence import point_path  # noqa: E402
from plandiff.result import DiffResult  # noqa: E402
from plandiff.segmentation import Segmentation, segment  # noqa: E402
from plandiff.texts import diff_texts  # noqa: E402

CORPUS = _ROOT / "tests" / "real"
MIN_PAIR_F1 = 0.98
#: Change kinds that are not a correspondence even when both sides are filled.
_NOT_LINKS = frozenset({"added", "removed", "unreported", "replaced"})
_KEYWORD = re.compile(
    r"^(?i:article|art\.|section|sec\.|point|paragraph|item|clause|rule|§+|стаття|статья|пункт"
    r"|artikel|artículo|articolo|artigo)\s*"
)
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")


def norm_number(value: str) -> str:
    """The comparable form of a number as written: no decoration, one case, single spaces."""
    return " ".join(_EDGE.sub("", value).split()).casefold()


def found_number(point: object) -> str:
    """The number a segment carries as written, from ``number_text`` or, failing that, its label."""
    text = getattr(point, "number_text", None)
    if text is None:
        label = getattr(point, "label", "") or ""
        text = _KEYWORD.sub("", label.strip("*# \t"))
    return norm_number(text) or "•"


@dataclass(frozen=True)
class Document:
    id: str
    family: str
    text: str
    numbers: tuple[str, ...]
    first: str
    closing: str | None
    headings: tuple[str, ...]
    #: The points' paths as a reader names them ("7", "Schedule 1 › 3", "¶ 8"), where the
    #: truth gives them: checked against plandiff.evidence.point_path.
    paths: tuple[str, ...] = ()

    @property
    def bulleted(self) -> bool:
        """Points without numbers (bullets "•", paragraphs "¶"): only their count is compared."""
        return bool(self.numbers) and all(n in ("•", "¶") for n in self.numbers)

    def index_of(self, number: str) -> int:
        """The 1-based position of a number in the truth (``@K`` names the K-th point)."""
        if number.startswith("@"):
            return int(number[1:])
        wanted = norm_number(number)
        hits = [i for i, n in enumerate(self.numbers, 1) if norm_number(n) == wanted]
        if len(hits) != 1:
            raise ValueError(f"{self.id}: number {number!r} occurs {len(hits)} times in the truth")
        return hits[0]


@dataclass(frozen=True)
class Pair:
    id: str
    old: str
    new: str
    unambiguous: bool
    gold: dict[str, object]
    #: Other complete golds that a careful reader could equally write (ambiguous pairs only).
    alternatives: tuple[dict[str, object], ...] = ()

    @property
    def golds(self) -> tuple[dict[str, object], ...]:
        return (self.gold, *self.alternatives)


def load_documents(root: Path = CORPUS) -> list[Document]:
    docs = []
    for meta_path in sorted((root / "docs").glob("*.toml")):
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        truth = meta["truth"]
        docs.append(
            Document(
                id=meta_path.stem,
                family=meta["family"],
                text=meta_path.with_suffix(".txt").read_text(encoding="utf-8"),
                numbers=tuple(truth["numbers"]),
                first=truth["first"],
                closing=truth.get("closing"),
                headings=tuple(truth.get("headings", ())),
                paths=tuple(truth.get("paths", ())),
            )
        )
    return docs


def load_pairs(root: Path = CORPUS) -> list[Pair]:
    pairs = []
    for path in sorted((root / "pairs").glob("*.toml")):
        meta = tomllib.loads(path.read_text(encoding="utf-8"))
        pairs.append(
            Pair(
                id=path.stem,
                old=meta["old"],
                new=meta["new"],
                unambiguous=bool(meta.get("unambiguous", True)),
                gold=meta.get("gold", {}),
                alternatives=tuple(meta.get("alternatives", ())),
            )
        )
    return pairs


@dataclass
class DocResult:
    id: str
    family: str
    expected: int
    found: int
    numbers_exact: bool
    first_ok: bool
    closing_ok: bool
    headings_found: int | None
    headings_expected: int
    detail: list[str] = field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.numbers_exact and self.first_ok and self.closing_ok


def _only_decoration(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


def check_document(doc: Document, seg: Segmentation | None = None) -> DocResult:
    """Compare one document's segmentation with its truth."""
    seg = seg if seg is not None else segment(doc.text)
    found = [found_number(p) for p in seg.points]
    if doc.bulleted:
        numbers_exact = len(found) == len(doc.numbers)
    else:
        numbers_exact = found == [norm_number(n) for n in doc.numbers]
    detail: list[str] = []
    if not numbers_exact:
        want = [norm_number(n) for n in doc.numbers]
        at = next((i for i, (a, b) in enumerate(zip(want, found, strict=False)) if a != b), None)
        at = min(len(want), len(found)) if at is None else at
        shown = slice(at, at + 4)
        detail.append(f"numbers differ at point {at + 1}: truth {want[shown]} found {found[shown]}")

    if doc.paths and numbers_exact:
        outline = outside.outline_of(seg)
        paths = [point_path(outline, k, p.number) for k, p in enumerate(seg.points)]
        if paths != list(doc.paths):
            numbers_exact = False
            at = next(
                (i for i, (a, b) in enumerate(zip(doc.paths, paths, strict=False)) if a != b), 0
            )
            detail.append(
                f"paths differ at point {at + 1}: truth {list(doc.paths[at : at + 3])} "
                f"found {paths[at : at + 3]}"
            )

    first_at = doc.text.find(doc.first)
    if first_at < 0:
        raise ValueError(f"{doc.id}: truth.first {doc.first!r} is not in the text")
    first_ok = bool(seg.points) and (
        seg.points[0].start <= first_at
        and _only_decoration(doc.text[seg.points[0].start : first_at])
    )
    if not first_ok:
        start = seg.points[0].start if seg.points else None
        detail.append(f"first point starts at {start}, truth at {first_at}")

    closing = seg.closing
    if doc.closing is None:
        closing_ok = closing is None or _only_decoration(closing.text)
    else:
        closing_at = doc.text.find(doc.closing)
        if closing_at < 0:
            raise ValueError(f"{doc.id}: truth.closing {doc.closing!r} is not in the text")
        closing_ok = closing is not None and (
            closing.start <= closing_at and _only_decoration(doc.text[closing.start : closing_at])
        )
    if not closing_ok:
        where = None if closing is None else closing.start
        detail.append(f"closing starts at {where}, truth: {doc.closing!r}")

    spans = getattr(seg, "headings", None)
    headings_found = None
    if spans is not None and doc.headings:
        starts = [h.start for h in spans]
        headings_found = 0
        for quote in doc.headings:
            at = doc.text.find(quote)
            if any(s <= at and _only_decoration(doc.text[s:at]) for s in starts if s <= at):
                headings_found += 1
    return DocResult(
        id=doc.id,
        family=doc.family,
        expected=len(doc.numbers),
        found=len(found),
        numbers_exact=numbers_exact,
        first_ok=first_ok,
        closing_ok=closing_ok,
        headings_found=headings_found,
        headings_expected=len(doc.headings),
        detail=detail,
    )


Link = tuple[frozenset[int], frozenset[int]]


def gold_links(gold: dict[str, object], old: Document, new: Document) -> set[Link]:
    links: set[Link] = set()
    for o, n in gold.get("links", ()):  # type: ignore[attr-defined]
        links.add((frozenset({old.index_of(o)}), frozenset({new.index_of(n)})))
    for m in gold.get("merged", ()):  # type: ignore[attr-defined]
        olds = frozenset(old.index_of(o) for o in m["old"])
        links.add((olds, frozenset({new.index_of(m["new"])})))
    for s in gold.get("split", ()):  # type: ignore[attr-defined]
        news = frozenset(new.index_of(n) for n in s["new"])
        links.add((frozenset({old.index_of(s["old"])}), news))
    return links


@dataclass
class PairResult:
    id: str
    precision: float
    recall: float
    f1: float
    unambiguous: bool
    kinds_exact: dict[str, bool]
    detail: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.f1 >= MIN_PAIR_F1 and (not self.unambiguous or all(self.kinds_exact.values()))


def _rate(hits: int, total: int) -> float:
    return hits / total if total else 1.0


def check_pair(pair: Pair, docs: dict[str, Document]) -> PairResult:
    """Diff a pair in-process and score it against its gold, or against the alternative gold
    that fits it best where the pair lists readings that careful readers could each defend."""
    old, new = docs[pair.old], docs[pair.new]
    result = diff_texts(old.text, new.text, old_name=f"{old.id}.txt", new_name=f"{new.id}.txt")
    scored = [_score(pair.id, gold, pair.unambiguous, result, old, new) for gold in pair.golds]
    return max(scored, key=lambda r: (r.f1, sum(r.kinds_exact.values())))


def _score(
    pair_id: str,
    g: dict[str, object],
    unambiguous: bool,
    result: DiffResult,
    old: Document,
    new: Document,
) -> PairResult:
    predicted: set[Link] = set()
    added: set[int] = set()
    removed: set[int] = set()
    merged: set[Link] = set()
    split: set[Link] = set()
    moved: set[tuple[int, int]] = set()
    for change in result.changes:
        kind = str(change.kind)
        olds = frozenset(r.index for r in change.old)
        news = frozenset(r.index for r in change.new)
        if kind in _NOT_LINKS or not olds or not news:
            added |= news if kind in ("added", "replaced") else set()
            removed |= olds if kind in ("removed", "replaced") else set()
            continue
        predicted.add((olds, news))
        if kind == "merged":
            merged.add((olds, news))
        elif kind == "split":
            split.add((olds, news))
        if change.moved and len(olds) == 1 and len(news) == 1:
            moved.add((next(iter(olds)), next(iter(news))))

    gold = gold_links(g, old, new)
    hits = len(predicted & gold)
    precision, recall = _rate(hits, len(predicted)), _rate(hits, len(gold))
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    gold_merged = {link for link in gold if len(link[0]) > 1}
    gold_split = {link for link in gold if len(link[1]) > 1}
    gold_moved = {(old.index_of(o), new.index_of(n)) for o, n in g.get("moved", ())}  # type: ignore[attr-defined]
    kinds_exact = {
        "added": added == {new.index_of(n) for n in g.get("added", ())},  # type: ignore[attr-defined]
        "removed": removed == {old.index_of(o) for o in g.get("removed", ())},  # type: ignore[attr-defined]
        "merged": merged == gold_merged,
        "split": split == gold_split,
        "moved": moved == gold_moved,
    }
    detail = []
    missing = sorted(gold - predicted, key=_link_key)[:4]
    extra = sorted(predicted - gold, key=_link_key)[:4]
    if missing:
        detail.append("missed " + ", ".join(_show(link, old, new) for link in missing))
    if extra:
        detail.append("wrong " + ", ".join(_show(link, old, new) for link in extra))
    return PairResult(pair_id, precision, recall, f1, unambiguous, kinds_exact, detail)


def _link_key(link: Link) -> tuple[int, int]:
    return (min(link[0]), min(link[1]))


def _show(link: Link, old: Document, new: Document) -> str:
    def side(indices: Iterable[int], doc: Document) -> str:
        return "+".join(
            doc.numbers[i - 1] if i <= len(doc.numbers) else f"@{i}" for i in sorted(indices)
        )

    return f"{side(link[0], old)}→{side(link[1], new)}"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    parser.add_argument("--only", nargs="+", metavar="ID", help="only these documents/pairs")
    parser.add_argument("--verbose", "-v", action="store_true", help="say what differs")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="corpus folder")
    parser.add_argument("--out", type=Path, help="also write the figures as JSON here")
    args = parser.parse_args(argv)

    docs = load_documents(args.corpus)
    by_id = {d.id: d for d in docs}
    pairs = load_pairs(args.corpus)
    if args.only:
        wanted = set(args.only)
        docs = [d for d in docs if d.id in wanted]
        pairs = [p for p in pairs if p.id in wanted]

    doc_results = [check_document(d) for d in docs]
    width = max((len(d.id) for d in docs), default=10)
    print(f"{'document':<{width}}  family         truth  found  numbers first closing")
    for r in doc_results:
        mark = lambda ok: "ok" if ok else "NO"  # noqa: E731
        print(
            f"{r.id:<{width}}  {r.family:<13} {r.expected:>6} {r.found:>6}  "
            f"{mark(r.numbers_exact):>7} {mark(r.first_ok):>5} {mark(r.closing_ok):>7}"
        )
        if args.verbose:
            for line in r.detail:
                print(f"{'':<{width}}    {line}")

    pair_results = [check_pair(p, by_id) for p in pairs]
    if pair_results:
        width = max(len(p.id) for p in pairs)
        print()
        print(f"{'pair':<{width}}  prec.  recall    F1  added removed merged split moved")
        for p in pair_results:
            k = {name: ("ok" if ok else "NO") for name, ok in p.kinds_exact.items()}
            note = "" if p.unambiguous else "  (ambiguous: kinds not checked)"
            print(
                f"{p.id:<{width}}  {p.precision:5.3f} {p.recall:6.3f} {p.f1:5.3f}  "
                f"{k['added']:>5} {k['removed']:>7} {k['merged']:>6} {k['split']:>5} "
                f"{k['moved']:>5}{note}"
            )
            if args.verbose:
                for line in p.detail:
                    print(f"{'':<{width}}    {line}")

    exact = sum(r.exact for r in doc_results)
    families = sorted({r.family for r in doc_results})
    passing = sum(p.ok for p in pair_results)
    print()
    print(
        f"documents: {exact}/{len(doc_results)} segmented exactly "
        f"({len(families)} families: {', '.join(families)})"
    )
    if pair_results:
        mean_f1 = sum(p.f1 for p in pair_results) / len(pair_results)
        print(
            f"pairs: {passing}/{len(pair_results)} meet F1 ≥ {MIN_PAIR_F1} and exact kinds; "
            f"mean F1 {mean_f1:.3f}, lowest {min(p.f1 for p in pair_results):.3f}"
        )
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        payload = {
            "documents": [vars(r) | {"exact": r.exact} for r in doc_results],
            "pairs": [vars(p) | {"ok": p.ok} for p in pair_results],
        }
        args.out.write_text(json.dumps(payload, indent=2, ensure_ascii=False), encoding="utf-8")
    failed = exact < len(doc_results) or passing < len(pair_results)
    return 1 if args.check and failed else 0


if __name__ == "__main__":
    sys.exit(main())
