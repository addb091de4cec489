"""Building the changes has a short way for the common case; it must give what the long way does.

:meth:`plandiff.changes.Builder.build_all` builds an automatic pairing of one unchanged point
with one in its own loop and hands every other entry to :meth:`Builder.build`; and
:func:`plandiff.changes.in_report_order` ranks the changes by one integer each. Here both are
checked against the plain way on registries (curated relations, described points, dissenting
quotes, partial versions) and on plan texts (moves, merges, splits, headings, sub-items).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import align, engine, nested, outside
from plandiff.changes import Builder, Entry, Pair, entries, in_report_order, moved_pairs
from plandiff.curated import curated
from plandiff.evidence import citations
from plandiff.models import Registry
from plandiff.records import RegistryRecord, VersionRecord, record_of
from plandiff.result import Change, ChangeKind
from plandiff.store import load_registry
from plandiff.texts import documents_from_texts, text_citation
from tests.helpers import SEEDS
from tests.strategies import nested_document_pairs, point_lists, registries


def _reference_order(
    old: VersionRecord, groups: list[Pair], built: list[tuple[Pair, Change]]
) -> tuple[Change, ...]:
    """The report order as first written: by ``(where it lands, old-only, first old index)``,
    an old-only point landing half a place after its nearest matched predecessor."""
    new_pos_of_old: dict[int, int] = {}
    for o, n in groups:
        for i in o:
            new_pos_of_old[i] = min(n)
    landed_before: list[int] = []
    last = -1
    for i in range(len(old.points)):
        landed_before.append(last)
        last = new_pos_of_old.get(i, last)

    def key(pair: tuple[Pair, Change]) -> tuple[float, int, int]:
        (o, n), _ = pair
        if n:
            return (float(min(n)), 0, 0)
        return (landed_before[min(o)] + 0.5, 1, min(o))

    return tuple(change for _, change in sorted(built, key=key))


def _both_ways(
    old: VersionRecord,
    new: VersionRecord,
    cited: dict,  # type: ignore[type-arg]
    outlines: tuple[outside.Outline, outside.Outline] = (outside.EMPTY, outside.EMPTY),
) -> list[Entry]:
    """Build the diff's changes the short way and the long way, and assert they agree; the
    entries, for the callers' own checks."""
    settings_ = align.DEFAULT_SETTINGS
    relations = curated(old, new)
    automatic = engine.aligned(old, new, relations, outlines, settings_)
    found = entries(old, new, relations, automatic)
    marked = engine.redlines(old, new, found)
    inside = nested.nested_changes(old, new, found, outlines, settings_)
    groups, moved = moved_pairs(relations, automatic, old, new)
    heading_pairs = outside.compare(*outlines)[1]

    def builder() -> Builder:
        return Builder(old, new, cited, outlines, heading_pairs, dict(marked), moved, inside)

    short = builder().build_all(found)
    long = builder()
    plain = [long.build(e) for e in found]
    assert short == plain
    built = [((e.old, e.new), c) for e, c in zip(found, plain, strict=True)]
    assert in_report_order(old, groups, found, short) == _reference_order(old, groups, built)
    return found


@settings(max_examples=40, deadline=None)
@given(registries(max_versions=3), st.data())
def test_registry_versions_build_the_same_both_ways(
    registry: Registry, data: st.DataObject
) -> None:
    if not registry.versions:
        return
    records = record_of(registry, RegistryRecord)
    old = data.draw(st.sampled_from(records.versions))
    new = data.draw(st.sampled_from(records.versions))
    _both_ways(old, new, citations(records, None))


def test_the_bundled_versions_build_the_same_both_ways() -> None:
    records = record_of(load_registry(SEEDS), RegistryRecord)
    cited = citations(records, None)
    for old, new in (("us-28", "geneva-19"), ("geneva-19", "us-28")):
        found = _both_ways(records.version(old), records.version(new), cited)
        assert any(e.basis == "curated" for e in found)  # the long way was taken too


def _texts_both_ways(old_text: str, new_text: str) -> list[Entry]:
    ((old, _, _), old_outline), ((new, _, _), new_outline) = documents_from_texts(
        [(old_text, "old.txt", "old"), (new_text, "new.txt", "new")], None, context=False
    )
    cited = citations(None, {"old": text_citation("old.txt"), "new": text_citation("new.txt")})
    return _both_ways(old, new, cited, (old_outline, new_outline))


@settings(max_examples=60, deadline=None)
@given(point_lists(), st.booleans())
def test_plan_texts_build_the_same_both_ways(
    lists: tuple[list[str], list[str]], headed: bool
) -> None:
    old, new = (
        "".join(
            (f"PART {n // 3 + 1}\n" if headed and n % 3 == 1 else "") + f"{n}. {t}\n"
            for n, t in enumerate(side, 1)
        )
        for side in lists
    )
    _texts_both_ways(old, new)


@settings(max_examples=30, deadline=None)
@given(nested_document_pairs())
def test_texts_with_sub_items_build_the_same_both_ways(pair: tuple[str, str]) -> None:
    _texts_both_ways(*pair)


def test_a_long_text_takes_the_short_way_and_keeps_moves_and_removals_in_place() -> None:
    old = "".join(f"{n}. Point {n} says {n * 7} things.\n" for n in range(1, 41))
    lines = old.splitlines(keepends=True)
    lines.insert(30, lines.pop(3))  # a move
    del lines[10]  # a removal, ranked after its predecessor
    new = "".join(lines)
    found = _texts_both_ways(old, new)
    kinds = {e.kind for e in found}
    assert ChangeKind.UNCHANGED in kinds and ChangeKind.REMOVED in kinds
