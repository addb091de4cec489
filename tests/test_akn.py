"""Akoma Ntoso export: documents valid against the official OASIS schema, their facts, the CLI.

The schema is not part of plandiff (it is OASIS's, under its own terms): the tests read it from
``<repo>/../shared/external/akomantoso/`` and skip, saying where they looked, when it is absent.
Loading it reads no network: the parser has network access off and a resolver that serves only
the files of that folder (and the W3C addresses of ``xml.xsd`` from the local copy).
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import msgspec
import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from lxml import etree

from plandiff import akn, store
from plandiff.akn.naming import item_eid
from plandiff.cli import cli
from plandiff.engine import diff
from plandiff.errors import NotFoundError, PlandiffError
from plandiff.models import Completeness, PlanVersion, Point, Registry, Source
from plandiff.redline import redline
from plandiff.result import Basis, Change, ChangeKind, NestedChange, PointRef
from plandiff.texts import diff_texts, version_from_text
from tests.helpers import FIXTURES, REPO, SEEDS
from tests.strategies import registries

#: PLANDIFF_AKN_SCHEMA_DIR names another folder (a git worktree has no ../shared beside it).
AKN_DIR = Path(
    os.environ.get("PLANDIFF_AKN_SCHEMA_DIR") or REPO.parent / "shared" / "external" / "akomantoso"
)
W3C_XML_XSD = ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2009/01/xml.xsd")
NS = {"a": akn.NAMESPACE, "x": akn.EXTENSION_NAMESPACE}
CREATED = dt.datetime(2025, 11, 26, 12, tzinfo=dt.UTC)
TERMINAL_UNSAFE = re.compile("[\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
OLD_US28 = "/akn/zz/doc/plan/2025-11-20/us-28/eng@2025-11-20/!main"
CF1 = "/akn/zz/doc/plan/2026-02-20/ceasefire-v1/eng@2026-02-20/!main"
CF2 = "/akn/zz/doc/plan/2026-03-03/ceasefire-v2/eng@2026-03-03/!main"


# --------------------------------------------------------------------------- the schema


class LocalSchemaFiles(etree.Resolver):
    """Serves the schema folder's own files; refuses everything else, the network above all."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder.resolve()
        self.seen: list[str] = []

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        self.seen.append(system_url)
        if system_url in W3C_XML_XSD:
            return self.resolve_filename(str(self.folder / "xml.xsd"), context)
        parsed = urlparse(system_url)
        if parsed.scheme in ("", "file"):
            path = Path(unquote(parsed.path)).resolve()
            if path.parent == self.folder and path.is_file():
                return self.resolve_filename(str(path), context)
        raise ValueError(f"refused to load {system_url!r}: only the local schema files are read")


def load_schema(folder: Path) -> tuple[etree.XMLSchema, LocalSchemaFiles]:
    resolver = LocalSchemaFiles(folder)
    parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    parser.resolvers.add(resolver)
    schema = etree.XMLSchema(etree.parse(str(folder / "akomantoso30.xsd"), parser=parser))
    return schema, resolver


def _require_schema() -> None:
    missing = [n for n in ("akomantoso30.xsd", "xml.xsd") if not (AKN_DIR / n).is_file()]
    if missing:
        pytest.skip(
            f"the official Akoma Ntoso 3.0 schema is not available ({', '.join(missing)} "
            f"missing in {AKN_DIR}): validation against it skipped"
        )


@pytest.fixture(scope="module")
def loaded() -> tuple[etree.XMLSchema, LocalSchemaFiles]:
    _require_schema()
    return load_schema(AKN_DIR)


@pytest.fixture(scope="module")
def schema(loaded: tuple[etree.XMLSchema, LocalSchemaFiles]) -> etree.XMLSchema:
    return loaded[0]


def assert_valid(schema: etree.XMLSchema, data: bytes) -> etree._Element:
    root = parse(data)
    if not schema.validate(root):
        errors = "\n".join(f"line {e.line}: {e.message}" for e in schema.error_log)
        raise AssertionError(f"not valid Akoma Ntoso 3.0:\n{errors}")
    return root


def parse(data: bytes) -> etree._Element:
    return etree.fromstring(
        data, parser=etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
    )


def test_schema_loads_from_the_local_folder_only(
    loaded: tuple[etree.XMLSchema, LocalSchemaFiles], tmp_path: Path
) -> None:
    _, resolver = loaded
    local = [Path(unquote(urlparse(u).path)).name for u in resolver.seen]
    assert "xml.xsd" in local  # the import went through the resolver, to the local copy
    # A schema importing from the network is refused before any connection is tried.
    (tmp_path / "akomantoso30.xsd").write_text(
        '<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema">'
        '<xsd:import namespace="urn:x" schemaLocation="http://example.invalid/x.xsd"/>'
        "</xsd:schema>"
    )
    (tmp_path / "xml.xsd").write_text("")
    with pytest.raises((ValueError, etree.XMLSchemaParseError), match=r"refused|x\.xsd"):
        load_schema(tmp_path)


# --------------------------------------------------------------------------- registries


@pytest.fixture(scope="module")
def seeds() -> Registry:
    return store.load_registry(SEEDS)


def ceasefire_registry() -> Registry:
    """The fixture plan and its revision, dated as their headers say, as a registry."""
    texts, versions, sources = {}, [], []
    for name, date in (
        ("ceasefire-v1", dt.date(2026, 2, 20)),
        ("ceasefire-v2", dt.date(2026, 3, 3)),
    ):
        text = (FIXTURES / "plans" / f"{name}.txt").read_text(encoding="utf-8")
        version, *_ = version_from_text(text, name)
        parent = versions[-1].id if versions else None
        versions.append(
            version.model_copy(
                update={"date": date, "derived_from": parent, "issuer": ("Contact Group",)}
            )
        )
        texts[name] = text
        sources.append(
            Source(
                id=name,
                title=f"Lower Vale ceasefire framework ({name})",
                url=f"https://example.org/plans/{name} (draft).txt",
                language="en",
                path=f"{name}.txt",
                sha256=store.sha256_bytes(text.encode("utf-8")),
            )
        )
    return Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)


@pytest.fixture(scope="module")
def ceasefire() -> Registry:
    return ceasefire_registry()


def version(registry: Registry, vid: str) -> PlanVersion:
    found = registry.version(vid)
    assert found is not None
    return found


def doc_of(registry: Registry, vid: str) -> etree._Element:
    return parse(akn.version_to_akn(version(registry, vid), registry, created=CREATED))


def diff_doc(registry: Registry, old: str, new: str) -> etree._Element:
    result = diff(version(registry, old), version(registry, new), registry=registry)
    return parse(akn.diff_to_akn(result, registry, created=CREATED))


def one(root: etree._Element, xpath: str) -> etree._Element:
    (found,) = root.xpath(xpath, namespaces=NS)
    return found


def values(root: etree._Element, xpath: str) -> list[str]:
    return [str(v) for v in root.xpath(xpath, namespaces=NS)]


# --------------------------------------------------------------------------- validity


@pytest.mark.parametrize("vid", ["us-28", "geneva-19"])
def test_bundled_versions_are_valid(schema: etree.XMLSchema, seeds: Registry, vid: str) -> None:
    assert_valid(schema, akn.version_to_akn(version(seeds, vid), seeds, created=CREATED))


def test_bundled_diff_is_valid(schema: etree.XMLSchema, seeds: Registry) -> None:
    result = diff(version(seeds, "us-28"), version(seeds, "geneva-19"), registry=seeds)
    assert_valid(schema, akn.diff_to_akn(result, seeds, created=CREATED))


def test_full_text_versions_and_diff_are_valid(
    schema: etree.XMLSchema, ceasefire: Registry
) -> None:
    for v in ceasefire.versions:
        assert_valid(schema, akn.version_to_akn(v, ceasefire, created=CREATED))
    old, new = ceasefire.versions
    assert_valid(schema, akn.diff_to_akn(diff(old, new, registry=ceasefire), ceasefire))


def _dated(registry: Registry) -> Iterator[PlanVersion]:
    return (v for v in registry.versions if v.date is not None)


@given(registries(max_versions=3))
def test_any_registry_gives_valid_documents(schema: etree.XMLSchema, registry: Registry) -> None:
    """Hostile metadata and text (markup, escapes, controls, bidi) in every field."""
    for v in registry.versions:
        if v.date is None:
            with pytest.raises(PlandiffError, match="has no date"):
                akn.version_to_akn(v, registry, created=CREATED)
            continue
        data = akn.version_to_akn(v, registry, created=CREATED)
        assert_valid(schema, data)
        assert not TERMINAL_UNSAFE.search(data.decode("utf-8"))  # written as references
        parent = registry.version(v.derived_from) if v.derived_from else None
        if parent is not None and parent.date is not None:
            result = diff(parent, v, registry=registry)
            assert_valid(schema, akn.diff_to_akn(result, registry, created=CREATED))


def test_text_xml_cannot_hold_is_replaced_and_marked(schema: etree.XMLSchema) -> None:
    hostile = "Cease\x00fire \x1b[31mnow\x1b[0m \u202eevil\u202c \x9b2J"
    v = PlanVersion(
        id="hostile",
        title=f"Plan <b>&amp; {hostile}",
        date=dt.date(2026, 1, 1),
        completeness=Completeness.FULL,
        issuer=("Ministry of \x07Bells",),
        points=(Point(key="p1", number=1, text=hostile), Point(key="p2", summary="fine")),
    )
    data = akn.version_to_akn(v, Registry(versions=(v,)), created=CREATED)
    root = assert_valid(schema, data)
    p = one(root, "//a:point[@eId='point_1']/a:content/a:p")
    assert p.get("status") == "edited"
    assert p.text == "Cease\ufffdfire \ufffd[31mnow\ufffd[0m \u202eevil\u202c \x9b2J"
    assert b"&#x202E;" in data and b"&#x9B;" in data  # terminal-unsafe, written as references
    assert one(root, "//a:docTitle").text.startswith("Plan <b>&amp; ")
    assert one(root, "//a:point[@eId='point_2']/a:content/a:p").get("status") is None


# --------------------------------------------------------------------------- version documents


def test_frbr_identity(seeds: Registry) -> None:
    root = doc_of(seeds, "us-28")
    work, expression, manifestation = root.xpath("//a:identification/*", namespaces=NS)
    work_uri = "/akn/zz/doc/plan/2025-11-20/us-28"
    assert values(work, "a:FRBRthis/@value") == [f"{work_uri}/!main"]
    assert values(work, "a:FRBRuri/@value") == [work_uri]
    assert values(work, "a:FRBRdate/@date") == ["2025-11-20"]
    assert values(work, "a:FRBRcountry/@value") == ["zz"]
    assert values(work, "a:FRBRnumber/@value") == ["us-28"]
    assert values(work, "a:FRBRname/@value") == ["US 28-point peace plan"]
    assert values(expression, "a:FRBRthis/@value") == [OLD_US28]
    assert values(expression, "a:FRBRuri/@value") == [f"{work_uri}/eng@2025-11-20"]
    assert values(expression, "a:FRBRlanguage/@language") == ["eng"]
    assert values(manifestation, "a:FRBRuri/@value") == [f"{work_uri}/eng@2025-11-20.akn"]
    assert values(manifestation, "a:FRBRdate/@date") == ["2025-11-26T12:00:00Z"]
    assert values(manifestation, "a:FRBRformat/@value") == ["application/akn+xml"]
    assert values(manifestation, "a:FRBRauthor/@href") == ["#plandiff"]
    for level in (work, expression):
        (author,) = values(level, "a:FRBRauthor/@href")
        issuer = one(root, f"//a:references/a:TLCOrganization[@eId='{author[1:]}']")
        assert issuer.get("showAs") == "United States (President Donald Trump)"
    assert one(root, "/a:akomaNtoso/a:doc").get("name") == "plan"


def test_described_points_are_marked_as_such(seeds: Registry) -> None:
    v = version(seeds, "us-28")
    root = doc_of(seeds, "us-28")
    points = root.xpath("//a:mainBody/a:point", namespaces=NS)
    # Unnumbered points are named by their position.
    assert [p.get("eId") for p in points] == ["point_1", "point_2", "point_3", "point_4"]
    for el, point in zip(points, v.points, strict=True):
        assert el.get("class") == "described"
        assert el.get(f"{{{akn.EXTENSION_NAMESPACE}}}key") == point.key
        assert el.find("a:num", NS) is None
        content = one(el, "a:content")
        assert content.get("status") == "editorial"
        assert one(content, "a:p").text == point.summary
        (topic,) = el.get("refersTo").split()
        assert one(root, f"//a:TLCConcept[@eId='{topic[1:]}']").get("showAs") == point.topics[0]
        anchors = root.xpath(f"//x:anchor[@about='#{el.get('eId')}']", namespaces=NS)
        assert [a.text for a in anchors] == [e.quote for e in point.evidence]
        assert [int(a.get("start")) for a in anchors] == [e.start for e in point.evidence]
    note = one(root, "//a:note[@eId='note_completeness']/a:p").text
    assert note.startswith("The version is said to have 28 points; 4 are recorded here.")


def test_verbatim_points_are_written_as_recorded(ceasefire: Registry) -> None:
    v = version(ceasefire, "ceasefire-v1")
    root = doc_of(ceasefire, "ceasefire-v1")
    points = root.xpath("//a:mainBody/a:point", namespaces=NS)
    assert [p.get("eId") for p in points] == [f"point_{n}" for n in range(1, 17)]
    for el, point in zip(points, v.points, strict=True):
        assert el.get("class") is None
        assert one(el, "a:num").text == str(point.number)
        content = one(el, "a:content")
        assert content.get("status") is None
        assert one(content, "a:p").text == point.text
    assert root.xpath("//a:note[@class='completeness']", namespaces=NS) == []
    (source,) = root.xpath("//a:TLCReference[@name='source']", namespaces=NS)
    assert source.get("showAs") == "Lower Vale ceasefire framework (ceasefire-v1)"
    assert source.get("href") == "https://example.org/plans/ceasefire-v1%20(draft).txt"


@pytest.mark.parametrize(
    ("numbers", "eids"),
    [
        ((3, 17, 0), ("point_3", "point_17", "point_0")),
        ((1, 2, 2), ("point_1", "point_2", "point_3")),  # a repeated number: positions
        ((1, None, 3), ("point_1", "point_2", "point_3")),  # an unnumbered point: positions
        ((), ()),
    ],
)
def test_point_eids(numbers: tuple[int | None, ...], eids: tuple[str, ...]) -> None:
    v = PlanVersion(
        id="v",
        title="v",
        completeness=Completeness.PARTIAL,
        points=tuple(Point(key=f"k{i}", number=n, summary="s") for i, n in enumerate(numbers)),
    )
    assert akn.point_eids(v) == eids


def test_lifecycle_and_references(seeds: Registry) -> None:
    v = version(seeds, "geneva-19")
    root = doc_of(seeds, "geneva-19")
    refs = root.xpath("//a:lifecycle/a:eventRef", namespaces=NS)
    events = sorted(v.events, key=lambda e: e.date)
    assert [r.get("date") for r in refs] == [e.date.isoformat() for e in events]
    for ref, event in zip(refs, events, strict=True):
        target = one(root, f"//a:TLCEvent[@eId='{ref.get('refersTo')[1:]}']")
        assert target.get("showAs") == event.what
        assert ref.get("source") == f"#src_{event.evidence[0].source}"
    cited = {a.source for p in v.points for a in p.evidence}
    cited |= {a.source for e in v.events for a in e.evidence}
    sources = root.xpath("//a:TLCReference[@name='source']", namespaces=NS)
    assert {s.get(f"{{{akn.EXTENSION_NAMESPACE}}}id") for s in sources} == cited
    unn = one(root, "//a:TLCReference[@eId='src_004_6478cbe8c4d60a5a']")
    assert unn.get("showAs").startswith("Zelenskyy, Rubio, and Rutte")
    assert (
        one(
            root, f"//a:TLCPerson[@eId='{unn.get(f'{{{akn.EXTENSION_NAMESPACE}}}author')[1:]}']"
        ).get("showAs")
        == "Antonina Tumanova"
    )
    assert values(root, "//a:TLCOrganization[starts-with(@eId, 'issuer')]/@showAs") == [
        "United States",
        "Ukraine",
    ]
    assert one(root, "//a:TLCReference[@name='derivedFrom']").get("href") == OLD_US28
    statements = values(root, "//a:note[@class='statement']/a:p/text()")
    assert statements == [s.text for s in v.statements]


def test_a_summary_beside_verbatim_text_becomes_a_note() -> None:
    v = PlanVersion(
        id="v",
        title="v",
        date=dt.date(2026, 1, 1),
        completeness=Completeness.FULL,
        points=(Point(key="k", number=4, text="The text.", summary="What it means."),),
    )
    root = parse(akn.version_to_akn(v, Registry(versions=(v,)), created=CREATED))
    note = one(root, "//a:note[@class='summary']")
    assert note.get("placementBase") == "#point_4"
    assert one(note, "a:p").text == "What it means."


def test_a_version_without_a_date_is_refused(seeds: Registry) -> None:
    undated = version(seeds, "us-28").model_copy(update={"date": None})
    with pytest.raises(PlandiffError) as info:
        akn.version_to_akn(undated, seeds)
    assert str(info.value) == (
        "version 'us-28' has no date, and an Akoma Ntoso document is named by its date: record "
        "it ('date = YYYY-MM-DD' in versions/us-28.toml)"
    )


def test_output_is_reproducible(seeds: Registry) -> None:
    v = version(seeds, "geneva-19")
    first = akn.version_to_akn(v, seeds, created=CREATED)
    assert akn.version_to_akn(v, seeds, created=CREATED) == first
    later = akn.version_to_akn(v, seeds, created=CREATED + dt.timedelta(days=1))
    assert first.replace(b"2025-11-26T12", b"2025-11-27T12") == later


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en", "eng"), ("en-GB", "eng"), ("uk", "ukr"), ("deu", "deu"), ("xx", "und"), (None, "und")],
)
def test_language(tag: str | None, expected: str) -> None:
    source = Source(id="s", language=tag, path="s.txt", sha256="0" * 64)
    v = PlanVersion(id="v", title="v", completeness=Completeness.FULL, text_source="s")
    assert akn.language(v, Registry(sources=(source,), versions=(v,))) == expected


# --------------------------------------------------------------------------- diff documents


def _ref(key: str, number: int | None = 1) -> PointRef:
    return PointRef(key=key, number=number, index=1, verbatim=True, text=key)


@pytest.mark.parametrize(
    ("kind", "old", "new", "moved", "expected"),
    [
        (ChangeKind.UNCHANGED, (1,), (1,), False, None),
        (ChangeKind.UNCHANGED, (1,), (1,), True, "renumbering"),
        (ChangeKind.UNCHANGED, (1,), (2,), False, "renumbering"),
        (ChangeKind.UNCHANGED, (None,), (None,), False, None),
        (ChangeKind.REWORDED, (1,), (1,), False, "substitution"),
        (ChangeKind.REWORDED, (1,), (3,), True, "substitution"),
        (ChangeKind.MERGED, (2, 3), (2,), False, "join"),
        (ChangeKind.SPLIT, (6,), (6, 7), False, "split"),
        (ChangeKind.ADDED, (), (15,), False, "insertion"),
        (ChangeKind.REMOVED, (15,), (), False, "repeal"),
        (ChangeKind.UNREPORTED, (2,), (), False, None),
        (ChangeKind.UNREPORTED, (), (2,), False, None),
    ],
)
def test_textual_mod_type(
    kind: ChangeKind,
    old: tuple[int | None, ...],
    new: tuple[int | None, ...],
    moved: bool,
    expected: str | None,
) -> None:
    change = Change(
        kind=kind,
        moved=moved,
        old=tuple(_ref(f"o{i}", n) for i, n in enumerate(old)),
        new=tuple(_ref(f"n{i}", n) for i, n in enumerate(new)),
        basis=Basis.AUTOMATIC,
    )
    assert akn.textual_mod_type(change) == expected


def test_every_change_kind_has_a_mapping() -> None:
    for kind in ChangeKind:
        change = Change(kind=kind, old=(_ref("o"),), new=(_ref("n"),), basis=Basis.CURATED)
        akn.textual_mod_type(change)  # never raises: the match is exhaustive


def test_bundled_diff_claims_only_what_is_recorded(seeds: Registry) -> None:
    root = diff_doc(seeds, "us-28", "geneva-19")
    (mod,) = root.xpath("//a:passiveModifications/a:textualMod", namespaces=NS)
    # Deferred: taken out of the new text (a textual repeal) until the presidents decide; the
    # extension attribute says it is deferred, not dropped.
    assert mod.get("type") == "repeal"
    ext = f"{{{akn.EXTENSION_NAMESPACE}}}"
    assert mod.get(f"{ext}change") == "deferred"
    assert mod.get(f"{ext}basis") == "curated"
    assert mod.get(f"{ext}decidedBy") == "Presidents Zelenskyy and Trump"
    assert mod.get(f"{ext}decideAt") == "a meeting between the two presidents"
    assert values(mod, "a:source/@href") == [f"{OLD_US28}#point_1"]
    assert values(mod, "a:old/x:text/text()") == ["Territorial concessions."]
    assert values(mod, "a:old/x:text/@verbatim") == ["false"]  # described, not the wording
    assert values(mod, "a:new") == []
    roles = values(root, f"//x:anchor[@about='#{mod.get('eId')}']/@role")
    assert sorted(set(roles)) == ["old", "relation"]
    unreported = one(root, "//a:note[@class='unreported']/a:p").text
    assert "3 point(s) of version 'us-28' (armed-forces, us-guarantees, economy)" in unreported
    assert "nothing can be concluded" in unreported
    unrecorded = one(root, "//a:note[@class='unrecorded']/a:p").text
    assert unrecorded.startswith("24 declared point(s) of version 'us-28' and 19 declared")
    # The document is geneva-19's own, with the version it is compared with as a reference.
    assert values(root, "//a:FRBRExpression/a:FRBRthis/@value") == [
        "/akn/zz/doc/plan/2025-11-24/geneva-19/eng@2025-11-24/!main"
    ]
    assert one(root, "//a:TLCReference[@name='comparedWith']").get("href") == OLD_US28


def test_full_text_diff_modifications(ceasefire: Registry) -> None:
    old, new = ceasefire.versions
    result = diff(old, new, registry=ceasefire)
    root = parse(akn.diff_to_akn(result, ceasefire, created=CREATED))
    mods = root.xpath("//a:textualMod", namespaces=NS)
    expected = [t for t in map(akn.textual_mod_type, result.changes) if t]
    assert [m.get("type") for m in mods] == expected
    assert set(expected) == {"substitution", "join", "split", "renumbering", "repeal", "insertion"}

    def mod(kind: str, source: str) -> etree._Element:
        (found,) = [
            m for m in mods if m.get("type") == kind and values(m, "a:source/@href")[0] == source
        ]
        return found

    join = mod("join", f"{CF1}#point_2")
    assert values(join, "a:source/@href") == [f"{CF1}#point_2", f"{CF1}#point_3"]
    assert values(join, "a:destination/@href") == ["#point_2"]
    assert values(join, "a:old/@href") == ["#point_2", "#point_2"]
    assert values(join, "a:new/x:text/text()") == [new.points[1].text]
    split = mod("split", f"{CF1}#point_6")
    assert values(split, "a:destination/@href") == ["#point_6", "#point_7"]
    assert values(split, "a:new/@href") == [f"{CF1}#point_6"] * 2
    moved = mod("renumbering", f"{CF1}#point_11")
    assert values(moved, "a:destination/@href") == ["#point_3"]
    assert values(moved, "a:old/x:num/text()") == ["11"]
    assert values(moved, "a:new/x:num/text()") == ["3"]
    assert moved.get(f"{{{akn.EXTENSION_NAMESPACE}}}moved") == "true"
    repeal = mod("repeal", f"{CF1}#point_15")
    assert values(repeal, "a:destination/@href") == [CF2]  # gone: this version as a whole
    assert values(repeal, "a:old/x:text/text()") == [old.points[14].text]
    (insertion,) = [m for m in mods if m.get("type") == "insertion"]
    assert values(insertion, "a:source/@href") == [CF1]  # new: the old version as a whole
    assert values(insertion, "a:destination/@href") == ["#point_15"]
    assert values(insertion, "a:new/x:text/text()") == [new.points[14].text]
    # Every local reference names an element of this document, every remote one a point of
    # the old version's document.
    eids = set(values(root, "//@eId"))
    old_eids = set(values(doc_of(ceasefire, "ceasefire-v1"), "//a:point/@eId"))
    for href in values(root, "//a:textualMod//@href"):
        if href.startswith("#"):
            assert href[1:] in eids
        elif "#" in href:
            base, fragment = href.split("#")
            assert base == CF1 and fragment in old_eids
        else:
            assert href in (CF1, CF2)
    note = one(root, "//a:note[@class='diff']/a:p").text
    assert "textual modifications: 1 insertion, 1 join, 3 renumbering" in note
    assert root.xpath("//a:note[@class='unreported']", namespaces=NS) == []


# --------------------------------------------------------------------------- nested changes


def _nested(kind: ChangeKind, old: tuple[str, ...], new: tuple[str, ...], level: int, **kw):
    return NestedChange(kind=kind, old=old, new=new, level=level, **kw)


def with_nested(result, by_new_path: dict[str, tuple[NestedChange, ...]]):
    """The result with nested changes put on the changes holding those new points."""
    changes = []
    for c in result.changes:
        key = c.new[0].path if c.new else None
        changes.append(msgspec.structs.replace(c, nested=by_new_path.get(key, ())))
    return msgspec.structs.replace(result, changes=tuple(changes))


NESTED_ITEMS = {
    "1": (
        _nested(
            ChangeKind.REWORDED,
            ("1.1",),
            ("1.1",),
            1,
            similarity=0.91,
            redline=redline("pays within 15 days", "pays within 30 days"),
        ),
        _nested(ChangeKind.UNCHANGED, ("1.1(a)",), ("1.1(b)",), 2, renumbered=True),
        _nested(ChangeKind.ADDED, (), ("1.1(a)",), 2),
        _nested(ChangeKind.REMOVED, ("1.2",), (), 1),
        _nested(ChangeKind.MERGED, ("1.3", "1.4"), ("1.2",), 1, renumbered=True),
        _nested(ChangeKind.SPLIT, ("1.5",), ("1.3", "1.4"), 1),
        _nested(ChangeKind.UNCHANGED, ("1 ¶ 2",), ("1 ¶ 2",), 1),
        _nested(ChangeKind.UNCHANGED, ("1.1 • 2",), ("1.1 • 1",), 2, moved=True),
    ),
    "4": (
        _nested(
            ChangeKind.REWORDED,
            ("12.2",),
            ("4.3",),
            1,
            moved=True,
            renumbered=True,
            redline=redline("within 12 months\x07", "within 24 months\x07"),
        ),
    ),
}


def test_nested_changes_are_passive_modifications_with_item_eids(
    schema: etree.XMLSchema, ceasefire: Registry
) -> None:
    old, new = ceasefire.versions
    result = with_nested(diff(old, new, registry=ceasefire), NESTED_ITEMS)
    root = assert_valid(schema, akn.diff_to_akn(result, ceasefire, created=CREATED))
    ext = f"{{{akn.EXTENSION_NAMESPACE}}}"
    inside = [m for m in root.xpath("//a:textualMod", namespaces=NS) if m.get(f"{ext}level")]
    # One modification per nested change that claims one (the unchanged paragraph gives none).
    assert [m.get("type") for m in inside] == [
        "substitution",
        "renumbering",
        "insertion",
        "repeal",
        "join",
        "split",
        "renumbering",
        "substitution",
    ]
    by_type: dict[str, list[etree._Element]] = {}
    for m in inside:
        by_type.setdefault(m.get("type"), []).append(m)
    reworded, moved = by_type["substitution"]
    assert values(reworded, "a:source/@href") == [f"{CF1}#point_1__point_1"]
    assert values(reworded, "a:destination/@href") == ["#point_1__point_1"]
    assert values(reworded, "a:old/x:path/text()") == ["1.1"]
    assert values(reworded, "a:old/x:text/text()") == ["pays within 15 days"]
    assert values(reworded, "a:new/x:text/text()") == ["pays within 30 days"]
    assert values(reworded, "a:old/@href") == ["#point_1__point_1"]
    assert values(reworded, "a:new/@href") == [f"{CF1}#point_1__point_1"]
    renumbered, bullet = by_type["renumbering"]
    assert values(renumbered, "a:source/@href") == [f"{CF1}#point_1__point_1__point_a"]
    assert values(renumbered, "a:destination/@href") == ["#point_1__point_1__point_b"]
    assert renumbered.get(f"{ext}renumbered") == "true" and renumbered.get(f"{ext}moved") is None
    assert values(renumbered, "a:old/x:text") == []  # its wording did not change
    assert values(bullet, "a:destination/@href") == ["#point_1__point_1__indent_1"]
    assert bullet.get(f"{ext}moved") == "true"
    (added,) = by_type["insertion"]
    assert values(added, "a:source/@href") == [f"{CF1}#point_1"]  # added to old point 1
    assert values(added, "a:destination/@href") == ["#point_1__point_1__point_a"]
    assert values(added, "a:old") == []
    (removed,) = by_type["repeal"]
    assert values(removed, "a:source/@href") == [f"{CF1}#point_1__point_2"]
    assert values(removed, "a:destination/@href") == ["#point_1"]  # removed from new point 1
    (join,) = by_type["join"]
    assert values(join, "a:source/@href") == [f"{CF1}#point_1__point_3", f"{CF1}#point_1__point_4"]
    assert values(join, "a:old/x:path/text()") == ["1.3", "1.4"]
    assert values(join, "a:old/@href") == []  # two old items: no single element replaced
    (split,) = by_type["split"]
    assert values(split, "a:destination/@href") == ["#point_1__point_3", "#point_1__point_4"]
    # An item that moved in from another point: named under its old point (old 12) and its new
    # one (4), its text made XML-safe and marked.
    assert values(moved, "a:source/@href") == [f"{CF1}#point_12__point_2"]
    assert values(moved, "a:destination/@href") == ["#point_4__point_3"]
    assert moved.get(f"{ext}moved") == "true" and moved.get(f"{ext}level") == "1"
    assert values(moved, "a:new/x:text/@edited") == ["true"]
    # Every item's eId extends an eId of the points of its document.
    point_eids = set(values(root, "//a:point/@eId"))
    old_points = set(values(doc_of(ceasefire, "ceasefire-v1"), "//a:point/@eId"))
    for m in inside:
        for href in values(m, "a:source/@href | a:destination/@href"):
            base, _, eid = href.rpartition("#")
            assert eid.split("__")[0] in (old_points if base else point_eids), href
    note = one(root, "//a:note[@class='diff']/a:p").text
    assert (
        "Inside the points (sub-items and paragraphs): 1 insertion, 1 join, 2 renumbering, "
        "1 repeal, 1 split, 2 substitution." in note
    )


def test_a_diff_without_nested_changes_says_nothing_of_them(ceasefire: Registry) -> None:
    root = diff_doc(ceasefire, "ceasefire-v1", "ceasefire-v2")
    ext = f"{{{akn.EXTENSION_NAMESPACE}}}"
    assert not [m for m in root.xpath("//a:textualMod", namespaces=NS) if m.get(f"{ext}level")]
    assert "Inside the points" not in one(root, "//a:note[@class='diff']/a:p").text


@pytest.mark.parametrize(
    ("path", "level", "expected"),
    [
        ("7.1", 1, "point_7__point_1"),
        ("7.1(b)", 2, "point_7__point_1__point_b"),
        ("7.1(b)(ii)", 3, "point_7__point_1__point_b__point_ii"),
        ("7.1.2", 2, "point_7__point_1__point_2"),
        ("7 ¶ 2", 1, "point_7__al_2"),
        ("7.1 • 2", 2, "point_7__point_1__indent_2"),
        ("2 bis(a)", 1, "point_3__point_a"),
        ("Schedule 1 › 3.2", 1, "point_12__point_2"),
        # Points the map does not hold are named from their paths.
        ("Annex A › 2(c)", 1, "annex_A__point_2__point_c"),
        ("¶ 8 ¶ 2", 1, "al_8__al_2"),
        ("• 3(a)", 1, "indent_3__point_a"),
        ("9(a b_c#d)", 1, "point_9__point_a-b-c%23d"),
        ("9(\x1b[31m x)", 1, "point_9__point_%1B%5B31m-x"),
    ],
)
def test_item_eids_follow_the_naming_convention(path: str, level: int, expected: str) -> None:
    points = {"7": "point_7", "2 bis": "point_3", "Schedule 1 › 3": "point_12"}
    assert item_eid(path, points, level) == expected


def test_a_diff_needs_both_versions_in_the_registry(seeds: Registry) -> None:
    result = diff_texts("1. One.\n2. Two.\n", "1. One.\n", old_name="a", new_name="b")
    with pytest.raises(NotFoundError, match="unknown version 'a'"):
        akn.diff_to_akn(result, seeds)


def test_a_diff_that_does_not_match_the_registry_is_refused(seeds: Registry) -> None:
    result = diff(version(seeds, "us-28"), version(seeds, "geneva-19"), registry=seeds)
    us28 = version(seeds, "us-28")
    renamed = us28.model_copy(
        update={"points": (us28.points[0].model_copy(update={"key": "x"}), *us28.points[1:])}
    )
    other = seeds.model_copy(update={"versions": (renamed, version(seeds, "geneva-19"))})
    with pytest.raises(PlandiffError, match="names point 'territory' at position 1"):
        akn.diff_to_akn(result, other)


# --------------------------------------------------------------------------- command line


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def test_cli_writes_the_version_document(seeds: Registry) -> None:
    result = run(
        "--registry",
        str(SEEDS),
        "export",
        "--format",
        "akn",
        "us-28",
        "--created",
        "2025-11-26T12:00:00Z",
    )
    assert result.exit_code == 0, result.stderr
    assert result.stdout_bytes == akn.version_to_akn(
        version(seeds, "us-28"), seeds, created=CREATED
    )
    assert result.stderr == ""


def test_cli_diff_from(seeds: Registry) -> None:
    result = run(
        "--registry",
        str(SEEDS),
        "export",
        "--format",
        "akn",
        "geneva-19",
        "--diff-from",
        "us-28",
        "--created",
        "2025-11-26T12:00:00Z",
    )
    assert result.exit_code == 0, result.stderr
    expected = diff(version(seeds, "us-28"), version(seeds, "geneva-19"), registry=seeds)
    assert result.stdout_bytes == akn.diff_to_akn(expected, seeds, created=CREATED)


def test_cli_output_file_is_replaced_atomically(tmp_path: Path) -> None:
    target = tmp_path / "out" / "geneva-19.akn.xml"
    target.parent.mkdir()
    target.write_bytes(b"old contents")
    before = target.stat().st_ino
    result = run(
        "--registry",
        str(SEEDS),
        "export",
        "--format",
        "akn",
        "geneva-19",
        "--created",
        "2025-11-26T12:00:00Z",
        "-o",
        str(target),
    )
    assert (result.exit_code, result.output) == (0, "")
    stdout = run(
        "--registry",
        str(SEEDS),
        "export",
        "--format",
        "akn",
        "geneva-19",
        "--created",
        "2025-11-26T12:00:00Z",
    ).stdout_bytes
    assert target.read_bytes() == stdout
    assert target.stat().st_ino != before  # a new file renamed into place, not rewritten
    assert sorted(p.name for p in target.parent.iterdir()) == ["geneva-19.akn.xml"]


def test_cli_full_text_registry_on_disk(schema: etree.XMLSchema, tmp_path: Path) -> None:
    registry = ceasefire_registry()
    root = store.init_registry(tmp_path / "r")
    files = {s.path: registry.texts[s.id].encode("utf-8") for s in registry.sources}
    store.save_registry(root, registry, extra_files=files)
    target = tmp_path / "diff.xml"
    result = run(
        "--registry",
        str(root),
        "export",
        "--format",
        "akn",
        "ceasefire-v2",
        "--diff-from",
        "ceasefire-v1",
        "-o",
        str(target),
    )
    assert result.exit_code == 0, result.stderr
    assert target.read_bytes().startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<akomaNtoso')
    doc = assert_valid(schema, target.read_bytes())
    old, new = registry.versions
    expected = [t for t in map(akn.textual_mod_type, diff(old, new).changes) if t]
    assert values(doc, "//a:textualMod/@type") == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--format", "akn", "nope"), "plandiff: unknown version 'nope'"),
        (("--format", "akn", "us-2"), "plandiff: unknown version 'us-2'; did you mean 'us-28'?"),
        (
            ("--format", "akn", "geneva-19", "--diff-from", "gen"),
            "plandiff: unknown version 'gen'; did you mean 'geneva-19'?",
        ),
    ],
)
def test_cli_unknown_version_is_one_line(
    args: tuple[str, ...], message: str, tmp_path: Path
) -> None:
    target = tmp_path / "out.xml"
    result = run("--registry", str(SEEDS), "export", *args, "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == message + "\n"
    assert result.stdout == ""
    assert not target.exists()


def test_cli_undated_version_is_one_line(tmp_path: Path) -> None:
    registry = store.load_registry(SEEDS)
    undated = version(registry, "us-28").model_copy(update={"date": None})
    root = store.init_registry(tmp_path / "r")
    changed = registry.model_copy(update={"versions": (undated, version(registry, "geneva-19"))})
    store.save_registry(
        root, changed, extra_files={s.path: (SEEDS / s.path).read_bytes() for s in registry.sources}
    )
    result = run("--registry", str(root), "export", "--format", "akn", "us-28")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("plandiff: version 'us-28' has no date")


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("--format", "akn"), "--format akn needs the VERSION to export"),
        (("us-28",), "VERSION ('us-28') applies to --format akn"),
        (("--format", "akn", "us-28", "geneva-19"), "unexpected extra argument (geneva-19)"),
        (("--diff-from", "us-28"), "--diff-from applies to --format akn"),
        (("--format", "pdf", "us-28"), "'pdf' is not one of 'archive', 'akn'"),
    ],
)
def test_cli_usage_errors(args: tuple[str, ...], error: str) -> None:
    result = run("--registry", str(SEEDS), "export", *args)
    assert result.exit_code == 2
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("plandiff: ") and error in line
    assert line.endswith("(usage: cli export [OPTIONS] [VERSION]; see 'cli export --help')")


def test_cli_help_names_the_format() -> None:
    result = run("export", "--help")
    assert result.exit_code == 0
    assert "--format [archive|akn]" in result.output
    assert "--diff-from OLD" in result.output
    assert "Akoma Ntoso 3.0" in result.output


def test_the_schema_is_not_part_of_the_project() -> None:
    """Its terms are OASIS's: tests read it from outside the tree, nothing copies it in."""
    names = {"akomantoso30.xsd", "xml.xsd"}
    for folder, _, files in os.walk(REPO):
        if ".git" in Path(folder).parts or "__pycache__" in folder:
            continue
        assert not names & set(files), folder


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(document.domain)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        " JaVa\tScript:alert(1)",
    ],
)
def test_a_script_or_data_source_url_is_never_written_as_a_link(url: str) -> None:
    """The issue's attack: a source whose recorded URL is ``javascript:``/``data:`` became the
    ``href`` of the export's source reference, one click from running."""
    registry = ceasefire_registry()
    registry = registry.model_copy(
        update={
            "sources": tuple(
                s.model_copy(update={"url": url}) if s.id == "ceasefire-v1" else s
                for s in registry.sources
            )
        }
    )
    data = akn.version_to_akn(version(registry, "ceasefire-v1"), registry, created=CREATED)
    root = parse(data)
    (source,) = root.xpath("//a:TLCReference[@name='source']", namespaces=NS)
    assert source.get("href") == "/ontology/reference/plandiff/source/ceasefire-v1"
    assert source.get(f"{{{akn.EXTENSION_NAMESPACE}}}url") == url  # kept, as text
    for href in root.xpath("//@href"):
        assert href.startswith(("#", "/", "https://", "http://")), href
