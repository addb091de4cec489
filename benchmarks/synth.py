"""Seeded synthetic plan pairs with known ground truth, for measuring the alignment's accuracy.

An old plan of N points is drawn from a plan-like vocabulary with Zipf word frequencies (a few
very common function words, a middle band of negotiation vocabulary, a long tail of place names,
institutions and technical terms, plus numbers), so that rare and common words exist as they do
in real texts. The new plan deletes, inserts, rewords, moves, merges and splits points at
realistic rates, and everything is renumbered. The truth records every correspondence.

Only the standard library's seeded :class:`random.Random` is used, so a (N, seed) pair gives the
same plans on every machine and Python version that keeps ``random``'s documented algorithms.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Sequence
from typing import Literal

from pydantic import Field

from plandiff.models import FrozenModel
from plandiff.result import ChangeKind

__all__ = ["PlanPair", "Rates", "TruthGroup", "generate", "numbered", "render_text"]

_FUNCTION = (  # noqa: SIM905 (word lists read best as prose)
    "the of and to in shall be by for with on all any within its their that which as or from "
    "at this such a an not no other under upon into after before between each these those will "
    "may must also both until during without including through following provided"
).split()

_DOMAIN = (  # noqa: SIM905 (word lists read best as prose)
    "parties party ceasefire truce hostilities forces troops units withdrawal withdraw line "
    "contact territory territories region regions border borders control zone zones buffer "
    "demilitarised security guarantees guarantee guarantor sovereignty integrity referendum "
    "elections election government governments president parliament constitution amendment "
    "sanctions sanction relief assets frozen fund funds reconstruction investment investments "
    "prisoners prisoner exchange detainees civilians children families return displaced persons "
    "humanitarian aid access corridor corridors convoy monitoring monitors mission observers "
    "commission committee council board chair secretariat implementation mechanism mechanisms "
    "verification violation violations report reports agreement agreements accord treaty "
    "memorandum protocol annex article framework roadmap phase phases stage stages timeline "
    "deadline days months weeks year years period transition transitional interim permanent "
    "negotiations talks dialogue consultations mediation mediator delegation delegations "
    "military armed army navy air defence defense weapons arms missiles drones artillery "
    "nuclear plant power energy electricity grid gas oil pipeline ports port shipping grain "
    "exports trade tariffs economic economy recovery financial bank loans debt budget "
    "language languages minority rights religious church education media freedom amnesty "
    "justice crimes accountability tribunal court courts law laws legal legislation "
    "recognise recognition de facto jure status administrative local authorities police "
    "order public safety infrastructure roads bridges railways water housing hospitals "
    "international community united nations organisation european union alliance membership "
    "accession neutral neutrality non-aligned bloc allies partners states state country "
    "countries national federal joint bilateral multilateral trilateral peace peaceful lasting "
    "comprehensive full partial immediate immediately gradual gradually complete completed "
    "ensure ensures provide provides establish established guarantee guaranteed agree agreed "
    "commit commits committed refrain undertake undertakes respect respected restore restored "
    "lift lifted suspend suspended resume resumed allow allowed permit permitted prohibit "
    "prohibited deploy deployed station stationed reduce reduced limit limited cap ceiling "
    "maximum minimum personnel strength size capacity obligations obligation commitments "
    "commitment terms conditions provisions provision clause signatories signatory "
    "ratification ratify ratified binding enforceable dispute disputes resolution arbitration "
    "compensation damages losses property owners ownership land lands assets holdings "
    "supervision oversight transparency audit audits review reviews renewal extension "
    "expiry termination entry force effect signature"
).split()

_SYNONYMS = {
    "ceasefire": "truce",
    "forces": "troops",
    "withdrawal": "pullback",
    "guarantees": "assurances",
    "guarantee": "assurance",
    "territory": "land",
    "region": "area",
    "regions": "areas",
    "prisoners": "captives",
    "exchange": "swap",
    "elections": "polls",
    "commission": "committee",
    "monitoring": "observation",
    "monitors": "observers",
    "establish": "create",
    "established": "created",
    "ensure": "guarantee",
    "provide": "supply",
    "provides": "supplies",
    "immediately": "promptly",
    "immediate": "prompt",
    "agreement": "accord",
    "agreements": "accords",
    "reconstruction": "rebuilding",
    "sanctions": "restrictions",
    "lifted": "removed",
    "lift": "remove",
    "suspend": "halt",
    "suspended": "halted",
    "permit": "allow",
    "permitted": "allowed",
    "prohibit": "ban",
    "prohibited": "banned",
    "personnel": "staff",
    "obligations": "duties",
    "negotiations": "talks",
    "dialogue": "consultations",
    "compensation": "reparations",
    "review": "assessment",
    "reduce": "cut",
    "reduced": "cut",
    "limit": "cap",
    "maximum": "ceiling",
    "shall": "will",
    "within": "inside",
    "following": "after",
    "including": "notably",
    "government": "authorities",
    "defence": "defense",
    "deploy": "station",
    "deployed": "stationed",
    "violations": "breaches",
    "violation": "breach",
    "mechanism": "procedure",
    "phase": "stage",
    "phases": "stages",
    "deadline": "time-limit",
    "humanitarian": "relief",
    "detainees": "internees",
    "children": "minors",
    "infrastructure": "facilities",
}
_SYNONYMS.update({v: k for k, v in list(_SYNONYMS.items()) if v not in _SYNONYMS})

_ONSETS = "b br ch d dn h k kh kr l m n ob p pr r s sl st t tr v vl z zh".split()  # noqa: SIM905
_NUCLEI = "a e i o u ia yu ei ou".split()  # noqa: SIM905
_CODAS = ["", "n", "sk", "v", "l", "r", "ch", "ts", "m"]
_SUFFIX = ["ivka", "ove", "ske", "horod", "pil", "dar", "ovo", "ino", "ets", "yany", "ava"]
_TECH_HEAD = (  # noqa: SIM905 (word lists read best as prose)
    "border customs energy transit cyber maritime aviation water heritage veterans fiscal "
    "nuclear chemical demining grain cargo railway telecom satellite archive census land "
    "pension banking insurance tariff quota licence visa asylum refugee medical vaccine "
    "schooling textbook broadcast frequency airspace harbour dam reservoir mine forestry"
).split()
_TECH_TAIL = (  # noqa: SIM905 (word lists read best as prose)
    "registry protocol directorate inspectorate tribunal ombudsman fund authority agency "
    "taskforce panel office bureau regime corridor standard ledger quota cadastre zone"
).split()


def _vocabulary() -> tuple[list[str], list[float]]:
    """Words by frequency rank and their cumulative Zipf weights (fixed for all pairs)."""
    rng = random.Random(20240601)
    tail: list[str] = []
    seen: set[str] = set(_FUNCTION) | set(_DOMAIN)
    while len(tail) < 2600:
        name = "".join(
            rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)
            for _ in range(rng.randint(1, 2))
        ) + rng.choice(_SUFFIX)
        name = name.capitalize()
        if name.lower() not in seen:
            seen.add(name.lower())
            tail.append(name)
    for head, end in itertools.product(_TECH_HEAD, _TECH_TAIL):
        term = f"{head}-{end}"
        if rng.random() < 0.6 and term not in seen:
            seen.add(term)
            tail.append(term)
    rng.shuffle(tail)
    domain = list(dict.fromkeys(_DOMAIN))
    rng.shuffle(domain)
    words = list(dict.fromkeys(_FUNCTION)) + domain + tail
    cumulative = list(itertools.accumulate(1.0 / (rank + 2.5) for rank in range(len(words))))
    return words, cumulative


_WORDS, _CUMULATIVE = _vocabulary()
_DOMAIN_SET = frozenset(_DOMAIN)


class Rates(FrozenModel):
    """Share of points affected by each kind of edit (of the old plan's point count)."""

    deleted: float = Field(default=0.05, ge=0, le=1)
    inserted: float = Field(default=0.05, ge=0, le=1)
    reworded: float = Field(default=0.10, ge=0, le=1)
    moved: float = Field(default=0.05, ge=0, le=1)
    merged: float = Field(default=0.02, ge=0, le=1, description="Merge events (two old points).")
    split: float = Field(default=0.02, ge=0, le=1, description="Split events (one old point).")


class TruthGroup(FrozenModel):
    """One known correspondence between the generated plans (indices are 0-based)."""

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    moved: bool = False


class PlanPair(FrozenModel):
    """Two generated plan versions (point texts without numbers) and the truth between them."""

    n: int
    seed: int
    old: tuple[str, ...]
    new: tuple[str, ...]
    truth: tuple[TruthGroup, ...]


Clause = list[str]
Point = list[Clause]


def _word(rng: random.Random) -> str:
    x = rng.random() * _CUMULATIVE[-1]
    return _WORDS[bisect.bisect_left(_CUMULATIVE, x)]


def _number(rng: random.Random) -> str:
    kind = rng.random()
    if kind < 0.35:
        return str(rng.choice([7, 10, 14, 15, 30, 45, 60, 90, 100, 120, 180, 365]))
    if kind < 0.6:
        return f"{rng.randint(1, 999):,}".replace(",", "") + ",000"
    if kind < 0.8:
        return f"{rng.randint(1, 60)}%"
    return str(rng.randint(2025, 2040))


def _clause(rng: random.Random, length: int) -> Clause:
    words = [_word(rng) for _ in range(length)]
    if rng.random() < 0.3:
        words.insert(rng.randrange(len(words) + 1), _number(rng))
    return words


def _point(rng: random.Random) -> Point:
    target = rng.randint(20, 80)
    clauses: Point = []
    total = 0
    while total < target:
        length = min(rng.randint(6, 14), max(4, target - total))
        clauses.append(_clause(rng, length))
        total += len(clauses[-1])
    return clauses


def _text(point: Point) -> str:
    parts = [" ".join(c) for c in point if c]
    body = "; ".join(parts) if len(parts) > 2 else ", ".join(parts)
    return body[:1].upper() + body[1:] + "."


def _is_number(word: str) -> bool:
    return word[:1].isdigit()


def _reword(rng: random.Random, point: Point) -> Point:
    """Synonym swaps, clause reordering, words added and dropped, numbers changed.

    Two strengths: most rewordings are light (a few words), a third are heavy (up to half a
    dozen swaps, insertions and deletions each), as negotiators' redrafts are.
    """
    heavy = rng.random() < 0.35
    edits = 6 if heavy else 3
    clauses = [list(c) for c in point]
    swappable = [(a, b) for a, c in enumerate(clauses) for b, w in enumerate(c) if w in _SYNONYMS]
    rng.shuffle(swappable)
    for a, b in swappable[: rng.randint(1, edits)]:
        clauses[a][b] = _SYNONYMS[clauses[a][b]]
    if len(swappable) < 2:  # nothing to swap: substitute a couple of words instead
        for _ in range(2):
            c = rng.choice(clauses)
            c[rng.randrange(len(c))] = _word(rng)
    if len(clauses) > 1 and rng.random() < 0.5:
        rng.shuffle(clauses)
    for _ in range(rng.randint(0, edits)):
        c = rng.choice(clauses)
        c.insert(rng.randrange(len(c) + 1), _word(rng))
    for _ in range(rng.randint(0, edits)):
        c = rng.choice(clauses)
        if len(c) > 3:
            del c[rng.randrange(len(c))]
    for c in clauses:
        for k, w in enumerate(c):
            if _is_number(w) and rng.random() < 0.8:
                c[k] = _number(rng)
    return clauses


def _light_edit(rng: random.Random, clauses: Point) -> Point:
    clauses = [list(c) for c in clauses]
    for _ in range(rng.randint(0, 2)):
        c = rng.choice(clauses)
        if len(c) > 3:
            del c[rng.randrange(len(c))]
    if rng.random() < 0.5:
        c = rng.choice(clauses)
        k = rng.randrange(len(c))
        c[k] = _SYNONYMS.get(c[k], c[k])
    return clauses


def _merge(rng: random.Random, a: Point, b: Point) -> Point:
    joined = _light_edit(rng, a + b)
    if rng.random() < 0.5:
        joined[len(a) - 1].append("and")
    return joined


def _cuts(point: Point, n_parts: int) -> list[list[int]]:
    """Clause boundaries that cut ``point`` into ``n_parts`` parts of at least 8 words each."""
    sizes = [len(c) for c in point]
    ok = []
    for cuts in itertools.combinations(range(1, len(point)), n_parts - 1):
        bounds = [0, *cuts, len(point)]
        if all(sum(sizes[s:e]) >= 8 for s, e in itertools.pairwise(bounds)):
            ok.append(list(cuts))
    return ok


def _splittable(point: Point) -> bool:
    return bool(_cuts(point, 2))


def _split(rng: random.Random, point: Point) -> list[Point]:
    """Cut at clause boundaries into two (sometimes three) parts of a real point's size."""
    options = _cuts(point, 3) if rng.random() < 0.3 else []
    cuts = rng.choice(options or _cuts(point, 2))
    parts = [point[s:e] for s, e in itertools.pairwise([0, *cuts, len(point)])]
    out = []
    for k, part in enumerate(parts):
        part = _light_edit(rng, part)
        if k and rng.random() < 0.5:
            part[0] = ["the", "parties", "also", "agree", "that", *part[0]]
        out.append(part)
    return out


class _Item:
    """A unit of the new plan while it is built: old points it came from, its new points."""

    __slots__ = ("kind", "moved", "new", "old")

    def __init__(self, kind: ChangeKind, old: tuple[int, ...], new: list[Point]) -> None:
        self.kind, self.old, self.new, self.moved = kind, old, new, False


def generate(n: int, seed: int, rates: Rates | None = None) -> PlanPair:
    """An old plan of ``n`` points, a new plan derived from it, and the truth between them.

    Moves take single unchanged or reworded points at least three places away, with moved
    points kept apart, so the set of moved points is the unique smallest one that explains the
    new order (what any order-based move detector should report).
    """
    rates = rates or Rates()
    rng = random.Random(f"plandiff-synth/{n}/{seed}")
    old_points = [_point(rng) for _ in range(n)]
    old_texts = [_text(p) for p in old_points]

    free = list(range(n))
    rng.shuffle(free)
    role: dict[int, str] = {}
    merge_with: dict[int, int] = {}

    def take(count: int, name: str, ok: Callable[[int], bool] = lambda i: True) -> None:
        picked = 0
        for i in free:
            if picked >= count:
                break
            if i not in role and ok(i):
                role[i] = name
                picked += 1

    # Merges first (they need neighbours), then splits (they need several clauses).
    for i in free:
        if len(merge_with) >= round(rates.merged * n):
            break
        gap = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        j = i + gap
        if j < n and i not in role and j not in role:
            role[i], role[j] = "merge-first", "merge-second"
            merge_with[i] = j
    take(
        round(rates.split * n),
        "split",
        lambda i: _splittable(old_points[i]),
    )
    take(round(rates.deleted * n), "deleted")
    take(round(rates.reworded * n), "reworded")

    items: list[_Item] = []
    for i in range(n):
        r = role.get(i)
        if r == "deleted" or r == "merge-second":
            continue
        if r == "merge-first":
            j = merge_with[i]
            items.append(
                _Item(ChangeKind.MERGED, (i, j), [_merge(rng, old_points[i], old_points[j])])
            )
        elif r == "split":
            items.append(_Item(ChangeKind.SPLIT, (i,), _split(rng, old_points[i])))
        elif r == "reworded":
            items.append(_Item(ChangeKind.REWORDED, (i,), [_reword(rng, old_points[i])]))
        else:
            items.append(_Item(ChangeKind.UNCHANGED, (i,), [old_points[i]]))

    _move(rng, items, round(rates.moved * n))

    for _ in range(round(rates.inserted * n)):
        items.insert(rng.randrange(len(items) + 1), _Item(ChangeKind.ADDED, (), [_point(rng)]))

    new_texts: list[str] = []
    truth: list[TruthGroup] = []
    for item in items:
        idx = tuple(range(len(new_texts), len(new_texts) + len(item.new)))
        new_texts.extend(_text(p) for p in item.new)
        kind = item.kind
        if kind is ChangeKind.REWORDED and new_texts[idx[0]] == old_texts[item.old[0]]:
            kind = ChangeKind.UNCHANGED
        truth.append(TruthGroup(kind=kind, old=item.old, new=idx, moved=item.moved))
    for i in range(n):
        if role.get(i) == "deleted":
            truth.append(TruthGroup(kind=ChangeKind.REMOVED, old=(i,), new=()))
    return PlanPair(n=n, seed=seed, old=tuple(old_texts), new=tuple(new_texts), truth=tuple(truth))


def _move(rng: random.Random, items: list[_Item], count: int) -> None:
    """Move ``count`` one-to-one items to places at least three items away, kept apart."""
    movable = [
        k for k, it in enumerate(items) if it.kind in (ChangeKind.UNCHANGED, ChangeKind.REWORDED)
    ]
    rng.shuffle(movable)
    busy: set[int] = set()  # slots near an origin or a destination already used
    plans: list[tuple[int, int]] = []
    for k in movable:
        if len(plans) >= count:
            break
        if any(abs(k - b) <= 3 for b in busy):
            continue
        for _ in range(20):
            dest = rng.randrange(len(items))
            if abs(dest - k) >= 4 and not any(abs(dest - b) <= 3 for b in busy):
                break
        else:
            continue
        busy.update((k, dest))
        plans.append((k, dest))
    # Apply: the moved item is placed just before the item that stood at ``dest``.
    before: dict[int, list[_Item]] = {}
    for k, dest in plans:
        items[k].moved = True
        before.setdefault(dest, []).append(items[k])
    moving = {k for k, _ in plans}
    rebuilt: list[_Item] = []
    for k, it in enumerate(items):
        rebuilt.extend(before.get(k, ()))
        if k not in moving:
            rebuilt.append(it)
    items[:] = rebuilt


def numbered(points: Sequence[str], start: int = 1) -> list[str]:
    """Point texts with their numbers as a plan prints them ("12. …")."""
    return [f"{k}. {t}" for k, t in enumerate(points, start)]


def render_text(
    points: Sequence[str],
    style: Literal["numbered", "bullets"] = "numbered",
    preamble: str | None = None,
) -> str:
    """A plan as text: an optional preamble paragraph, then one point per line."""
    if style == "numbered":
        lines = numbered(points)
    elif style == "bullets":
        lines = [f"• {t}" for t in points]
    else:
        raise ValueError(f"unknown style {style!r}: expected 'numbered' or 'bullets'")
    head = f"{preamble.strip()}\n\n" if preamble else ""
    return head + "\n".join(lines) + "\n"
