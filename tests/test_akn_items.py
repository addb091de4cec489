"""Akoma Ntoso bodies with the items inside points: hierarchy elements valid against the official
schema, named by the eIds the passive modifications use, rebuilding each point's text exactly.

Validation reads the schema as tests/test_akn.py does, and skips where it is absent.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from plandiff import akn, store
from plandiff.akn.elements import xml_safe
from plandiff.akn.items import point_body
from plandiff.engine import diff
from plandiff.models import Completeness, PlanVersion, Point, Registry, Source
from plandiff.texts import version_from_text
from tests.helpers import FIXTURES
from tests.test_akn import AKN_DIR, NS, _require_schema, load_schema, parse

CREATED = dt.datetime(2026, 1, 2, 12, tzinfo=dt.UTC)
A = f"{{{akn.NAMESPACE}}}"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    _require_schema()
    return load_schema(AKN_DIR)[0]


def valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = parse(data)
    if not schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"not valid Akoma Ntoso 3.0:\n{errors}")
    return root


def registry_of(*names: str) -> Registry:
    """The fixture plans as a registry of dated versions, each derived from the one before."""
    versions: list[PlanVersion] = []
    sources, texts = [], {}
    for k, name in enumerate(names):
        text = (FIXTURES / "plans" / f"{name}.txt").read_text(encoding="utf-8")
        version, *_ = version_from_text(text, name)
        versions.append(
            version.model_copy(
                update={
                    "date": dt.date(2026, 1, 1 + k),
                    "derived_from": versions[-1].id if versions else None,
                }
            )
        )
        texts[name] = text
        sources.append(
            Source(
                id=name,
                title=name,
                language="en",
                path=f"{name}.txt",
                sha256=store.sha256_bytes(text.encode("utf-8")),
            )
        )
    return Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)


def rebuilt(point: etree._Element) -> str:
    """A point's text as a reader rebuilds it: its ``num`` and ``p`` texts below its own
    number, in document order."""
    own = point.find(f"{A}num")
    return "".join(el.text or "" for el in point.iter(f"{A}num", f"{A}p") if el is not own)


def doc(registry: Registry, vid: str) -> etree._Element:
    version = registry.version(vid)
    assert version is not None
    return parse(akn.version_to_akn(version, registry, created=CREATED))


def test_items_are_hierarchy_elements_with_their_labels(schema: etree.XMLSchema) -> None:
    registry = registry_of("contract-v1", "contract-v2")
    for version in registry.versions:
        valid(schema, akn.version_to_akn(version, registry, created=CREATED))
    root = doc(registry, "contract-v1")
    clause = root.xpath("//a:mainBody/a:point[a:num='3']", namespaces=NS)[0]  # not Schedule 1's
    eid = clause.get("eId")
    assert clause.xpath("a:intro/a:p/text()", namespaces=NS) == ["STAFF\n\n"]
    (item,) = clause.xpath(f".//a:point[@eId='{eid}__point_2__point_b']", namespaces=NS)
    assert item.findtext(f"{A}num") == "(b)"
    assert item.xpath("a:intro/a:p/text()", namespaces=NS) == [
        " follow the Customer's security rules, including:\n"
    ]
    assert [p.findtext(f"{A}num") for p in item.findall(f"{A}point")] == ["(i)", "(ii)", "(iii)"]
    (ii,) = item.xpath(f"a:point[@eId='{eid}__point_2__point_b__point_ii']", namespaces=NS)
    assert ii.xpath("a:content/a:p/text()", namespaces=NS) == [
        " wearing a visitor badge at all times; and\n"
    ]
    # A point without items is written whole, as before.
    plain = root.xpath("//a:mainBody/a:point[not(a:point)]", namespaces=NS)
    assert plain and all(p.find(f"{A}content") is not None for p in plain)


@pytest.mark.parametrize(
    "names", [("contract-v1", "contract-v2"), ("supply-v1", "supply-v2"), ("ceasefire-v1",)]
)
def test_the_num_and_p_texts_rebuild_every_point_exactly(names: tuple[str, ...]) -> None:
    registry = registry_of(*names)
    for version in registry.versions:
        points = doc(registry, version.id).xpath("//a:mainBody/a:point", namespaces=NS)
        assert [rebuilt(el) for el in points] == [p.text for p in version.points]


def _hrefs_resolve(root: etree._Element, old_root: etree._Element, old_main: str) -> int:
    """Asserts every href of every modification names an element of its document; returns
    how many named an item inside a point."""
    eids = values(root, "//@eId")
    old_eids = values(old_root, "//@eId")
    assert len(eids) == len(set(eids)) and len(old_eids) == len(set(old_eids))
    inside = 0
    for href in values(root, "//a:textualMod//@href"):
        base, _, fragment = href.partition("#")
        if not fragment:
            continue  # a version as a whole
        assert fragment in (old_eids if base else eids), href
        assert base in ("", old_main), href
        inside += "__" in fragment
    return inside


def values(root: etree._Element, xpath: str) -> list[str]:
    return [str(v) for v in root.xpath(xpath, namespaces=NS)]


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("contract-v1", "contract-v2"),
        ("contract-v2", "contract-v1"),
        ("supply-v1", "supply-v2"),
        ("supply-v2", "supply-v1"),
    ],
)
def test_every_eid_a_modification_names_is_an_element_of_its_document(
    schema: etree.XMLSchema, old: str, new: str
) -> None:
    registry = registry_of(old, new)
    old_version, new_version = registry.versions
    result = diff(old_version, new_version, registry=registry)
    assert any(c.nested for c in result.changes)
    root = valid(schema, akn.diff_to_akn(result, registry, created=CREATED))
    old_main = akn.iris(old_version, registry).expression_main
    assert _hrefs_resolve(root, doc(registry, old), old_main) > 0


def test_a_point_become_an_item_is_named_where_it_now_stands() -> None:
    registry = registry_of("supply-v1", "supply-v2")
    old_version, new_version = registry.versions
    root = parse(
        akn.diff_to_akn(
            diff(old_version, new_version, registry=registry), registry, created=CREATED
        )
    )
    ext = f"{{{akn.EXTENSION_NAMESPACE}}}"
    (moved,) = [
        m
        for m in root.xpath("//a:textualMod", namespaces=NS)
        if m.get(f"{ext}level") and m.get(f"{ext}moved")
    ]
    old_main = akn.iris(old_version, registry).expression_main
    assert values(moved, "a:source/@href") == [f"{old_main}#point_9"]
    assert values(moved, "a:destination/@href") == ["#point_2__point_1__point_c"]
    (item,) = root.xpath("//a:point[@eId='point_2__point_1__point_c']", namespaces=NS)
    assert item.findtext(f"{A}num") == "(c)"
    assert item.findtext(f"{A}content/{A}p") == (
        " each invoice the seller issues for a shipment within five working days."
    )


def _version(*texts: str) -> tuple[PlanVersion, Registry]:
    v = PlanVersion(
        id="hostile",
        title="hostile",
        date=dt.date(2026, 1, 1),
        completeness=Completeness.FULL,
        points=tuple(Point(key=f"p{k}", number=k, text=t) for k, t in enumerate(texts, 1)),
    )
    return v, Registry(versions=(v,))


def test_hostile_item_text_and_deep_nesting_stay_data(schema: etree.XMLSchema) -> None:
    markup = (
        'Terms:\n(a) <b>bold</b> &amp; "quoted" ]]> <!-- x -->;\n'
        "(b) \x00nul \x1b[31mred\x1b[0m \u202eevil;\n(c) &#x41; <?pi x?>"
    )
    deep = "Levels:\n" + "".join(f"{'  ' * k}(a) level {k}\n" for k in range(20))
    v, registry = _version(markup, deep)
    data = akn.version_to_akn(v, registry, created=CREATED)
    root = valid(schema, data)
    first, second = root.xpath("//a:mainBody/a:point", namespaces=NS)
    assert rebuilt(first) == xml_safe(markup)[0]
    assert rebuilt(second) == deep
    (a,) = first.xpath("a:point[a:num='(a)']/a:content/a:p", namespaces=NS)
    assert a.text == ' <b>bold</b> &amp; "quoted" ]]> <!-- x -->;\n'
    (b,) = first.xpath("a:point[a:num='(b)']/a:content/a:p", namespaces=NS)
    assert b.get("status") == "edited"  # what XML cannot hold is replaced, and said so
    # The tree reads at most 16 levels: deeper labels stand as siblings of the deepest.
    depth = max(len(el.get("eId").split("__")) for el in second.iter(f"{A}point"))
    assert depth == 1 + 16
    eids = values(root, "//@eId")
    assert len(eids) == len(set(eids))


def test_a_label_written_twice_under_one_parent_gets_an_eid_of_its_own() -> None:
    body = point_body("Terms:\n(a) one;\n(b) two;\n(a) again.", "4", "point_4")
    assert body is not None
    assert [i.eid for i in body.items] == [
        "point_4__point_a",
        "point_4__point_b",
        "point_4__point_a-2",
    ]


_LABELLY = st.text(alphabet="abhiv12.()-•*:; \t\n<&>AB", max_size=160)


@settings(max_examples=60, deadline=None)
@given(st.lists(_LABELLY, min_size=1, max_size=3))
def test_any_point_text_is_written_losslessly_with_unique_eids(
    schema: etree.XMLSchema, texts: list[str]
) -> None:
    kept = [t for t in texts if t.strip()] or ["x"]
    v, registry = _version(*kept)
    root = valid(schema, akn.version_to_akn(v, registry, created=CREATED))
    points = root.xpath("//a:mainBody/a:point", namespaces=NS)
    assert [rebuilt(el) for el in points] == kept
    eids = values(root, "//@eId")
    assert len(eids) == len(set(eids))


def test_an_item_numbered_apart_from_its_point_is_named_as_its_element_is(
    schema: etree.XMLSchema,
) -> None:
    """``4.1`` inside point 3 has the path ``3 › 4.1``, which does not peel back to ``3``: the
    modification names the element the body wrote, not an eId made up from the path."""
    old = PlanVersion(
        id="a",
        title="a",
        date=dt.date(2026, 1, 1),
        completeness=Completeness.FULL,
        points=(
            Point(key="p1", number=3, text="Terms:\n4.1 The buyer pays.\n4.2 The seller delivers."),
        ),
    )
    new = old.model_copy(
        update={
            "id": "b",
            "derived_from": "a",
            "points": (
                Point(
                    key="p1",
                    number=3,
                    text="Terms:\n4.1 The buyer pays.\n4.2 The seller delivers on time.",
                ),
            ),
        }
    )
    registry = Registry(versions=(old, new))
    result = diff(old, new, registry=registry)
    assert [n.new for c in result.changes for n in c.nested if n.kind.value == "reworded"] == [
        ("3 › 4.2",)
    ]
    root = valid(schema, akn.diff_to_akn(result, registry, created=CREATED))
    old_main = akn.iris(old, registry).expression_main
    assert _hrefs_resolve(root, doc(registry, "a"), old_main) > 0
    assert "#point_3__point_4.2" in values(root, "//a:textualMod/a:destination/@href")
