"""The phrases every diff report uses, so the terminal, plain and Markdown reports say the same.

Everything here returns plain strings built from result fields. Strings that come from the
registry or from a plan text are passed through :func:`~plandiff.text.visible` by the
caller that puts them on screen, not here, because Markdown escapes them differently.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import assert_never

from plandiff.records import Completeness
from plandiff.result import (
    SOURCES_DISAGREE,
    BracketChange,
    BracketChangeKind,
    Change,
    ChangeKind,
    DiffResult,
    NestedChange,
    PartChange,
    PointRef,
    Substantive,
    TextPart,
    VersionSummary,
)

#: The flag of a change whose quotes do not all support it.
DISAGREE = "sources disagree"


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


def point_label(ref: PointRef) -> str:
    """A point as a reader knows it: its path where that says more than its number
    (``Schedule 1 › 3``, ``¶ 8``, ``2 bis``), else its number, else its key."""
    if ref.path is not None and (ref.number is None or ref.path != str(ref.number)):
        return ref.path
    return str(ref.number) if ref.number is not None else ref.key


def side_label(refs: Sequence[PointRef]) -> str:
    """The points of one side of a change: ``3``, ``3 + 4``, or ``—`` for none."""
    return " + ".join(point_label(r) for r in refs) or "—"


def change_label(change: Change) -> str:
    """``3 → 5``, ``3 + 4 → 5``, ``— → 7``."""
    return f"{side_label(change.old)} → {side_label(change.new)}"


def change_flags(change: Change) -> list[str]:
    """The qualifiers after the kind: moved, renumbered, moved between headings."""
    flags = []
    if change.moved:
        flags.append("moved")
    elif change.renumbered:
        flags.append("renumbered")
    if change.heading_moved:
        flags.append("moved between headings")
    if change.sources_disagree:
        flags.append(DISAGREE)
    return flags


def deferral_phrase(change: Change) -> str:
    """To whom and where a deferred point was left, as recorded: ``to the presidents (a
    meeting of the two presidents)``; ``to be settled later`` when the sources do not say."""
    who = f"to {change.decided_by}" if change.decided_by else "to be settled later"
    return f"{who} ({change.decide_at})" if change.decide_at else who


def no_counterpart(changes: Sequence[Change]) -> str:
    """What a version says of traced points it has no counterpart for: left undecided when a
    relation deferred them, else that none was recorded (which is not "removed")."""
    deferred = next((c for c in changes if c.kind is ChangeKind.DEFERRED), None)
    if deferred is not None:
        return deferral_sentence(deferred, "in this version")
    return "(no counterpart recorded)"


def deferral_sentence(change: Change, version: str = "in the new version") -> str:
    """The body line of a deferred point: the new version leaves it open, neither kept nor
    dropped."""
    who = f"for {change.decided_by} to decide" if change.decided_by else "to be settled later"
    where = f" ({change.decide_at})" if change.decide_at else ""
    return f"Left undecided {version}, {who}{where}."


def bracket_phrase(b: BracketChange) -> str:
    """``brackets removed: now agreed: “shall”``, ``alternative chosen: “60” (not “30”)``."""
    others = ", ".join(f"“{o}”" for o in b.others)
    match b.kind:
        case BracketChangeKind.AGREED:
            return f"brackets removed: now agreed: “{b.text}”"
        case BracketChangeKind.UNAGREED:
            offered = f" (alternatives offered: {others})" if others else ""
            return f"brackets added: now unagreed: “{b.text}”{offered}"
        case BracketChangeKind.CHOSEN:
            return f"alternative chosen: “{b.text}” (not {others})"
        case _:
            assert_never(b.kind)


def basis_phrase(change: Change) -> str:
    """Why we believe it: a curated relation, or the alignment with its score."""
    if change.basis.value == "curated":
        return "curated"
    place = "same position, " if change.kind is ChangeKind.REPLACED else ""
    if change.similarity is None:
        return f"automatic, {place}".rstrip(", ")
    return f"automatic, {place}{round(change.similarity * 100)}% similar"


#: How a heading path is written: outermost first.
HEADING_SEPARATOR = " › "


def heading_path(ref: PointRef) -> str:
    """``Part A › Chapter 2``: the headings a point stands under ("" for none)."""
    return HEADING_SEPARATOR.join(ref.heading)


def heading_context(change: Change) -> str | None:
    """Where the point stands: ``under Part A``, or ``from Part B to Part A`` when it moved
    between headings; None when the text has no headings."""
    old = heading_path(change.old[0]) if change.old else ""
    new = heading_path(change.new[0]) if change.new else ""
    if change.heading_moved:
        return f"from {old or '(no heading)'} to {new or '(no heading)'}"
    where = new or old
    return f"under {where}" if where else None


def subitems_phrase(change: Change) -> str | None:
    """``changed in (b), (d)``: the sub-items a rewording touched, when there are any.

    None when the change lists nested changes worth showing: each of those names its item by
    its full path and says what happened to it, so the bare labels would say it twice, less
    exactly (``(b)`` of which sub-clause?).
    """
    if not change.subitems_changed or shown_nested(change):
        return None
    return "changed in " + ", ".join(change.subitems_changed)


def nested_says_something(n: NestedChange) -> bool:
    """Whether a nested change is a difference: not unchanged, or moved, or renumbered."""
    return n.kind is not ChangeKind.UNCHANGED or n.moved or n.renumbered


def shown_nested(change: Change) -> tuple[NestedChange, ...]:
    """The nested changes a report shows under their point: those that are differences, in
    the result's order (the new version's); an unchanged item in place is not news.

    None for a point the report does not show as a change (unchanged, in place, under the
    same headings): its items renumbered along with its numbers are no more news than it is.
    """
    if not change.nested or (
        change.kind is ChangeKind.UNCHANGED and not change.moved and not change.heading_moved
    ):
        return ()
    return tuple(n for n in change.nested if nested_says_something(n))


def nested_label(n: NestedChange) -> str:
    """``7.1(b) → 7.2(b)``, ``7.1 + 7.2 → 7.1``, ``— → 7.3``: the item's old and new paths;
    one path when the item kept it (``2(d)``, reworded in place)."""
    if n.old == n.new and len(n.old) == 1:
        return n.old[0]
    return f"{' + '.join(n.old) or '—'} → {' + '.join(n.new) or '—'}"


def nested_redline_shown(n: NestedChange) -> bool:
    """Whether an item's own redline is shown beneath it: only for an item that moved. One
    reworded in place is already redlined, word for word, in its point's redline; one that
    moved shows there only as a deletion here and an insertion there."""
    return n.moved and n.redline is not None and n.redline.changed


def nested_words(n: NestedChange) -> list[str]:
    """What happened to the item, as the point's heading says it: ``moved`` (else
    ``renumbered``), then its kind unless unchanged (``moved, reworded``)."""
    words = []
    if n.moved:
        words.append("moved")
    elif n.renumbered:
        words.append("renumbered")
    if n.kind is not ChangeKind.UNCHANGED:
        words.append(n.kind.value)
    return words


@dataclass(frozen=True)
class PointsAsItems:
    """Where the text of removed points went and that of added points came from, when it
    is an item of another point: a removed point that became a sub-item is listed (by
    :mod:`plandiff.nested`) as a moved item under the change holding its new place, with the
    point's path as its old path; an added point that was a sub-item, with the point's path
    as its new path. By the point's path, the nested changes that say so."""

    went: Mapping[str, tuple[NestedChange, ...]]
    came: Mapping[str, tuple[NestedChange, ...]]


NO_POINTS_AS_ITEMS = PointsAsItems({}, {})


def _own_path(ref: PointRef) -> str:
    """The path nested changes name a whole point by: its path, else its key."""
    return ref.path or ref.key


def points_as_items(result: DiffResult) -> PointsAsItems:
    """The removed and added points of ``result`` whose text stands as an item elsewhere
    (a renderer-side lookup of the nested changes). A path two points of one side share
    says nothing certain, so it is left out."""
    changes = result.changes
    gone = {_own_path(r) for c in changes if c.kind is ChangeKind.REMOVED for r in c.old}
    new = {_own_path(r) for c in changes if c.kind is ChangeKind.ADDED for r in c.new}
    if not (gone or new) or not any(c.nested for c in changes):
        return NO_POINTS_AS_ITEMS
    old_paths = Counter(_own_path(r) for c in changes for r in c.old)
    new_paths = Counter(_own_path(r) for c in changes for r in c.new)
    went: dict[str, list[NestedChange]] = {}
    came: dict[str, list[NestedChange]] = {}
    for c in changes:
        for n in c.nested:
            if n.new:
                for path in n.old:
                    if path in gone and old_paths[path] == 1:
                        went.setdefault(path, []).append(n)
            if n.old:
                for path in n.new:
                    if path in new and new_paths[path] == 1:
                        came.setdefault(path, []).append(n)
    return PointsAsItems(
        {k: tuple(v) for k, v in went.items()}, {k: tuple(v) for k, v in came.items()}
    )


def point_as_item_phrase(change: Change, moves: PointsAsItems) -> str | None:
    """What follows ``removed`` or ``added`` for a point whose text is an item elsewhere:
    ``as a point: now 7.1(c) (moved, reworded)``, ``as a point: was 3.2(b) (moved)``; None
    for any other change. A change of several points names each one that has such an item
    (``as points: 9 now 7.1(c) (moved); 10 now 7.1(d) (moved)``)."""
    if change.kind is ChangeKind.REMOVED:
        refs, table, word = change.old, moves.went, "now"
    elif change.kind is ChangeKind.ADDED:
        refs, table, word = change.new, moves.came, "was"
    else:
        return None
    found = [(r, n) for r in refs for n in table.get(_own_path(r), ())]
    if not found:
        return None

    def where(n: NestedChange) -> str:
        other = n.new if change.kind is ChangeKind.REMOVED else n.old
        return f"{' + '.join(other)} ({', '.join(nested_words(n))})"

    if len(refs) == 1:
        return f"as a point: {word} " + "; ".join(where(n) for _, n in found)
    return "as points: " + "; ".join(f"{point_label(r)} {word} {where(n)}" for r, n in found)


def nested_count(result: DiffResult) -> int:
    """How many nested changes the report shows, over all its changes."""
    return sum(len(shown_nested(c)) for c in result.changes)


def case_only(change: Change) -> bool:
    """A rewording that changed nothing but letter case (and whitespace)."""
    if change.kind is not ChangeKind.REWORDED or not change.old or not change.new:
        return False
    old = " ".join(" ".join(r.text for r in change.old).split())
    new = " ".join(" ".join(r.text for r in change.new).split())
    return old != new and old.casefold() == new.casefold()


def figure_side(s: Substantive, side: str) -> str:
    """One side of a changed figure as shown: the expression, or why there is none."""
    value = s.old if side == "old" else s.new
    if value is not None:
        return value
    return "(not mentioned)" if s.not_mentioned else "(none)"


def part_label(part: PartChange) -> str:
    """``preamble``, ``closing``, ``heading before 4`` (the new point it stands before)."""
    if part.part is not TextPart.HEADING:
        return part.part.value
    at = part.new_before if part.new_before is not None else part.old_before
    return f"heading before {'old ' if part.new_before is None else ''}{at}"


def parts_phrase(parts: Sequence[PartChange]) -> str:
    """``preamble reworded, 2 headings added``: the text outside the points that changed."""
    counts: dict[tuple[str, str], int] = {}
    for p in parts:
        if p.kind is not ChangeKind.UNCHANGED:
            key = (p.part.value, p.kind.value)
            counts[key] = counts.get(key, 0) + 1
    return ", ".join(
        f"{part if n == 1 and part != 'heading' else plural(n, part)} {kind}"
        for (part, kind), n in counts.items()
    )


def version_facts(v: VersionSummary) -> list[str]:
    """Date, issuer, counts and completeness of a version, as short phrases."""
    facts = [v.date.isoformat() if v.date else "undated"]
    if v.issuer:
        facts.append("issued by " + ", ".join(v.issuer))
    facts.append(known_phrase(v))
    facts.append(f"{v.completeness.value} text")
    if v.derived_from:
        facts.append(f"derived from {v.derived_from}")
    return facts


def known_phrase(v: VersionSummary) -> str:
    if v.declared_points is None:
        return f"{plural(v.known_points, 'point')} known (count not declared)"
    return f"{v.known_points} of {plural(v.declared_points, 'declared point')} known"


def count_change(old: int, new: int) -> str:
    if new == old:
        return f"{old} → {new}: same number"
    diff = new - old
    return f"{old} → {new}: {abs(diff)} {'fewer' if diff < 0 else 'more'}"


def points_as_items_counts(result: DiffResult, moves: PointsAsItems) -> tuple[int, int]:
    """How many removed points became items elsewhere, and how many added ones were items."""
    went = came = 0
    for c in result.changes:
        if c.kind is ChangeKind.REMOVED and any(_own_path(r) in moves.went for r in c.old):
            went += 1
        elif c.kind is ChangeKind.ADDED and any(_own_path(r) in moves.came for r in c.new):
            came += 1
    return went, came


def summary_phrase(result: DiffResult, moves: PointsAsItems | None = None) -> str:
    """One line: counts per kind (those present) and how many moved.

    A removed point whose text became a sub-item is still counted as removed, as every
    point is counted once by what happened to it as a point (the JSON summary's counts);
    the count says how many of them did (``1 removed (1 became a sub-item)``), and the
    move itself is among the sub-item changes.
    """
    counts = result.summary()
    moved = counts.pop("moved")
    disputed = counts.pop(SOURCES_DISAGREE)
    went, came = points_as_items_counts(result, moves or points_as_items(result))
    notes = {"removed": f" ({went} became a sub-item)" if went else "", "added": ""}
    if came:
        notes["added"] = f" ({came} {'was a sub-item' if came == 1 else 'were sub-items'})"
    if went > 1:
        notes["removed"] = f" ({went} became sub-items)"
    # What is known comes first; the points nobody reported on are counted last.
    unreported = counts.pop(ChangeKind.UNREPORTED.value)
    items = [f"{n} {kind}{notes.get(kind, '')}" for kind, n in counts.items() if n]
    if moved:
        items.append(f"{moved} moved")
    regrouped = sum(1 for c in result.changes if c.heading_moved)
    if regrouped:
        items.append(f"{regrouped} moved between headings")
    outside = parts_phrase(result.parts)
    if outside:
        items.append(outside)
    inside = nested_count(result)
    if inside:
        items.append(plural(inside, "sub-item change"))
    if unreported:
        items.append(f"{unreported} {ChangeKind.UNREPORTED.value}")
    if disputed:
        items.append(f"sources disagree on {disputed}")
    if not result.has_differences:
        return f"No differences: {plural(counts['unchanged'], 'point')} unchanged."
    return "Changes: " + ", ".join(items)


def number_ranges(numbers: Iterable[int]) -> str:
    """``3–7, 9, 11–12`` from the numbers given."""
    ordered = sorted(set(numbers))
    out: list[str] = []
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        out.append(str(ordered[i]) if i == j else f"{ordered[i]}–{ordered[j]}")
        i = j + 1
    return ", ".join(out)


def collapsed_phrase(changes: Sequence[Change]) -> str:
    """``4 unchanged points (3–5, 8)``, naming the new numbers of the points (or their paths
    where those say more, ``¶ 4``, ``Schedule 1 › 2``, else their keys)."""
    where = _where([r for c in changes for r in c.new])
    count = plural(len(changes), "unchanged point")
    return f"{count} ({where})" if where else count


def _where(refs: Sequence[PointRef]) -> str:
    """``3–5, 8, Schedule 1 › 2``: numbers as ranges, then the labels that say more."""
    numbered = [r.number is not None and point_label(r) == str(r.number) for r in refs]
    numbers = [r.number for r, n in zip(refs, numbered, strict=True) if n and r.number is not None]
    keys = [point_label(r) for r, n in zip(refs, numbered, strict=True) if not n]
    return ", ".join(filter(None, [number_ranges(numbers), ", ".join(keys)]))


def why_unreported(other: VersionSummary) -> str:
    """Why nothing can be concluded of a point with no counterpart in ``other``: ``other`` is
    only partly known, or (when it is known in full) the point is only described, and
    reporting's words need not be the plan's."""
    if other.completeness is Completeness.PARTIAL:
        return f"{other.id} is only partly known"
    return f"described only, so it may be in {other.id} in other words"


def unreported_phrases(result: DiffResult, changes: Sequence[Change]) -> list[str]:
    """One line per side for the unreported points among ``changes``, old side first:
    ``9 old points unreported (11–20, 22–25): geneva-19 is only partly known``. A partial
    diff has many of them and they say only that nothing is known, so a report lists them in
    one line each instead of a block per point."""
    lines = []
    for side, other in (("old", result.new), ("new", result.old)):
        refs = [r for c in changes if c.kind is ChangeKind.UNREPORTED for r in getattr(c, side)]
        if not refs:
            continue
        count = plural(len(refs), f"{side} point")
        where = _where(refs)
        listed = f" ({where})" if where else ""
        lines.append(f"{count} unreported{listed}: {why_unreported(other)}")
    return lines


def elide_middle(text: str, limit: int) -> str:
    """One line of at most about ``limit`` characters, cut in the middle at word boundaries.

    Both ends of a quote stay readable (``the initial … to 19 points``); whitespace runs,
    line breaks included, become single spaces.
    """
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    half = max(1, (limit - 3) // 2)
    head, tail = flat[:half], flat[-half:]
    if " " in head[half // 2 :]:
        head = head[: head.rindex(" ")]
    if " " in tail[: half // 2]:
        tail = tail[tail.index(" ") + 1 :]
    return f"{head.rstrip()} … {tail.lstrip()}"


#: A line that starts a list item or sub-item (``-``, ``(b)``, ``ii)``, ``3.``, ``7.1``,
#: ``7.1.2.``): its line break is meant, not a hard wrap. A sub-clause's parts have at most two
#: digits, so a wrapped line that starts with an amount (``5.000 euros``) is still joined.
def settings_phrase(result: DiffResult) -> str | None:
    """How automatic matches were made, when the report has any (None otherwise), and only
    when something differs: after "No differences" the thresholds explain nothing. A point
    left unreported was matched with nothing, so it needs no word on thresholds either."""
    matched = [c for c in result.changes if c.kind is not ChangeKind.UNREPORTED]
    if not result.has_differences or all(c.basis.value == "curated" for c in matched):
        return None
    s = result.settings
    name = s.algorithm.split(":", 1)[0]
    return (
        f"Automatic matches ({name}) need {round(s.match_threshold * 100)}% similarity, less "
        "for points in the same place between matched neighbours (where a pair with almost no "
        f"wording in common is 'replaced'), {round(s.containment_threshold * 100)}% containment "
        "for the parts of a merge or split; curated ones are recorded in the registry with their "
        "evidence."
    )


def place_parts(result: DiffResult) -> tuple[dict[int, list[PartChange]], list[PartChange]]:
    """Where each part outside the points is shown among the changes (shared by the reports):
    parts by the index of the change they precede, and those shown after the last change."""
    first_new: dict[int, int] = {}
    first_old: dict[int, int] = {}
    for k, c in enumerate(result.changes):
        for r in c.new:
            first_new.setdefault(r.index, k)
        for r in c.old:
            first_old.setdefault(r.index, k)
    before: dict[int, list[PartChange]] = {}
    after: list[PartChange] = []
    for part in result.parts:
        at: int | None = None
        if part.part is TextPart.PREAMBLE:
            at = 0
        elif part.part is TextPart.HEADING:
            if part.new_before is not None:
                at = first_new.get(part.new_before)
            elif part.old_before is not None:
                at = first_old.get(part.old_before)
        if at is None or not result.changes:
            after.append(part)
        else:
            before.setdefault(at, []).append(part)
    return before, after
