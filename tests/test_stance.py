"""Evidence with a stance, disagreeing sources and who says so (issue 16, item 2).

A small registry is built only with the recording commands: a six-point draft known in full,
and a partly known revision whose army cap two fictional outlets report differently. The
Coastal Courier quotes a named minister on the record ("raised to 800,000 in peacetime"); the
River Wire an anonymous official ("dropped altogether"). The registry records the reworded
relation with both quotes, the second one contradicting it, and every report says that the
sources disagree and shows each side with its source.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner, Result
from lxml import etree

from plandiff import akn, anchors, store
from plandiff.cli import cli
from plandiff.errors import PlandiffError
from plandiff.models import SourceAttribution, Stance
from plandiff.recording import QuoteRef, pair_quotes

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "stance"
XSD = REPO / "schemas" / "plandiff-archive.xsd"
DIFF_SCHEMA = json.loads((REPO / "schemas" / "plandiff-diff.schema.json").read_text("utf-8"))
NS = "urn:plandiff:archive:1"

RAISED = "the cap on the army was not removed but\nraised"
DROPPED = "the strict\ncap on the army was dropped from the text altogether"


def run(*args: str, cache: Path | None = None) -> Result:
    env = {store.ENV_REGISTRY: None, "COLUMNS": "100", "NO_COLOR": "1"}
    env |= {"PLANDIFF_CACHE_DIR": str(cache)} if cache else {"PLANDIFF_NO_CACHE": "1"}
    runner = CliRunner(env=env)
    return runner.invoke(cli, list(args), prog_name="plandiff", catch_exceptions=False)


def ok(*args: str, cache: Path | None = None) -> Result:
    result = run(*args, cache=cache)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result


def build(root: Path) -> None:
    """The registry of this module, recorded command by command."""
    reg = ("--registry", str(root))
    ok("init", str(root))
    ok(
        *reg,
        "version",
        "add",
        "accord-6",
        "--title",
        "Harbour Accord, six-point draft",
        "--date",
        "2031-04-01",
        "--from-text",
        str(FIXTURES / "accord-6.txt"),
    )
    ok(
        *reg,
        "source",
        "add",
        str(FIXTURES / "coastal-courier.txt"),
        "--title",
        "Talks in Lindau trim the Harbour Accord",
        "--outlet",
        "Coastal Courier",
        "--published",
        "2031-05-06",
        "--attribution",
        "on-record",
    )
    ok(
        *reg,
        "source",
        "add",
        str(FIXTURES / "river-wire.txt"),
        "--title",
        "Army cap gone from Harbour Accord, official says",
        "--outlet",
        "River Wire",
        "--published",
        "2031-05-07",
        "--attribution",
        "anonymous",
        "--reliability",
        "one unnamed official",
    )
    lindau = ("lindau", "--title", "Lindau text", "--date", "2031-05-05")
    ok(*reg, "version", "add", *lindau, "--derived-from", "accord-6")
    ok(
        *reg,
        "point",
        "add",
        "lindau",
        "--key",
        "army",
        "--number",
        "2",
        "--summary",
        "The army is capped at 800,000 in peacetime.",
        "--quote",
        "the limit will now be 800,000 in peacetime",
        "--source",
        "coastal-courier",
    )
    ok(
        *reg,
        "relate",
        "accord-6:p2",
        "lindau:army",
        "--as",
        "reworded",
        "--quote",
        RAISED,
        "--source",
        "coastal-courier",
        "--stance",
        "support",
        "--quote",
        DROPPED,
        "--source",
        "river-wire",
        "--stance",
        "contradict",
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("stance") / "reg"
    build(root)
    return root


@pytest.fixture
def registry(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    shutil.copytree(template, root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


# --------------------------------------------------------------------------- recording


def test_recorded_stances_and_attribution(template: Path) -> None:
    loaded = store.load_registry(template)
    lindau = loaded.version("lindau")
    assert lindau is not None
    (relation,) = lindau.relations
    assert [(a.source, a.stance) for a in relation.evidence] == [
        ("coastal-courier", Stance.SUPPORT),
        ("river-wire", Stance.CONTRADICT),
    ]
    # support is the default, so it is not written: files of supporting quotes stay as they were
    text = (template / "versions" / "lindau.toml").read_text("utf-8")
    assert text.count("stance") == 1 and 'stance = "contradict"' in text
    wire = loaded.source("river-wire")
    courier = loaded.source("coastal-courier")
    assert wire is not None and courier is not None
    assert (wire.attribution, wire.reliability) == (
        SourceAttribution.ANONYMOUS,
        "one unnamed official",
    )
    assert (courier.attribution, courier.reliability) == (SourceAttribution.ON_RECORD, None)
    assert ok("--registry", str(template), "verify").stdout.startswith("ok: ")


def test_one_stance_serves_every_quote(registry: Path) -> None:
    ok(
        "--registry",
        str(registry),
        "point",
        "add",
        "lindau",
        "--key",
        "troops",
        "--summary",
        "Foreign troops stay.",
        "--quote",
        "no figure for the armed",
        "--quote",
        "speaking on condition of anonymity",
        "--source",
        "river-wire",
        "--stance",
        "qualify",
    )
    point = store.load_registry(registry).version("lindau").point("troops")  # type: ignore[union-attr]
    assert point is not None
    assert [a.stance for a in point.evidence] == [Stance.QUALIFY, Stance.QUALIFY]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            ["--stance", "support", "--stance", "contradict", "--stance", "qualify"],
            "plandiff: 2 --quote but 3 --stance: give one --stance for all quotes, or one per "
            "quote in the same order\n",
        ),
        (
            ["--stance", "denies"],
            None,  # click refuses the choice
        ),
    ],
)
def test_stances_that_do_not_pair_are_refused(
    registry: Path, extra: list[str], message: str | None
) -> None:
    before = snapshot(registry)
    result = run(
        "--registry",
        str(registry),
        "relate",
        "accord-6:p3",
        "lindau",
        "--as",
        "dropped",
        "--quote",
        "no figure for the armed",
        "--quote",
        "speaking on condition of anonymity",
        "--source",
        "river-wire",
        *extra,
    )
    assert result.exit_code == 2
    if message is not None:
        assert result.stderr == message
    else:
        assert "'denies' is not one of 'support', 'contradict', 'qualify'" in result.stderr
    assert snapshot(registry) == before


def test_point_edit_adds_a_qualifying_quote(registry: Path) -> None:
    quote = ("--quote", "She added that the other points", "--source", "coastal-courier")
    ok(
        "--registry",
        str(registry),
        "point",
        "edit",
        "lindau",
        "army",
        *quote,
        "--stance",
        "qualify",
    )
    point = store.load_registry(registry).version("lindau").point("army")  # type: ignore[union-attr]
    assert point is not None
    assert [a.stance for a in point.evidence] == [Stance.SUPPORT, Stance.QUALIFY]


def test_pair_quotes_refuses_a_stance_without_a_quote() -> None:
    with pytest.raises(PlandiffError, match="need a --quote"):
        pair_quotes((), (), (), (Stance.CONTRADICT,))
    assert pair_quotes(("a", "b"), ("s",), (), (Stance.QUALIFY, Stance.SUPPORT)) == (
        QuoteRef(source="s", quote="a", stance=Stance.QUALIFY),
        QuoteRef(source="s", quote="b", stance=Stance.SUPPORT),
    )


def test_finding_a_quote_again_keeps_its_stance() -> None:
    text = "One two three. The cap was dropped. Four five."
    anchor = anchors.make_anchor("s", text, 15, 34).model_copy(update={"stance": Stance.CONTRADICT})
    found = anchors.reanchor(anchor, "Zero. " + text)
    assert found.anchor is not None
    assert (found.anchor.start, found.anchor.stance) == (21, Stance.CONTRADICT)
    bare = anchor.model_copy(update={"start": None, "end": None})
    assert anchors.locate(bare, text).stance is Stance.CONTRADICT


# --------------------------------------------------------------------------- reports


def test_diff_text(template: Path, golden) -> None:
    golden("stance/diff.txt", ok("--registry", str(template), "diff", "accord-6", "lindau").stdout)


def test_diff_markdown(template: Path, golden) -> None:
    result = ok("--registry", str(template), "diff", "accord-6", "lindau", "--format", "markdown")
    golden("stance/diff.md", result.stdout)


def test_diff_stat(template: Path, golden) -> None:
    result = ok("--registry", str(template), "diff", "accord-6", "lindau", "--stat")
    golden("stance/diff-stat.txt", result.stdout)


def test_diff_html(template: Path) -> None:
    result = ok("--registry", str(template), "diff", "accord-6", "lindau", "--format", "html")
    lines = result.stdout.splitlines()
    for wanted in (
        "<p>Changes: 1 reworded, 5 unreported, sources disagree on 1</p>",
        '<tr><td>sources disagree</td><td class="num">1</td></tr>',
        '<p class="muted">— why, contradicts <a class="fn" href="#source-3">[3]</a>, anonymous '
        "official, characters 135–198</p>",
        '<li id="source-3" value="3"><span><cite>Army cap gone from Harbour Accord, official '
        "says</cite></span> — River Wire, 2031-05-07, source river-wire, anonymous official; "
        "reliability: one unnamed official</li>",
    ):
        assert wanted in lines
    (row,) = [line for line in lines if line.startswith('<tr class="map-row kind-reworded">')]
    assert row.endswith("<td>reworded, sources disagree (curated)</td></tr>")


def test_diff_json(template: Path) -> None:
    result = ok("--registry", str(template), "diff", "accord-6", "lindau", "--format", "json")
    doc = json.loads(result.stdout)
    jsonschema.validate(doc, DIFF_SCHEMA)
    assert doc["summary"]["sources_disagree"] == 1
    (change,) = [c for c in doc["changes"] if c["kind"] == "reworded"]
    assert change["sources_disagree"] is True
    assert [
        (e["role"], e["source"], e["stance"], e["attribution"], e["reliability"])
        for e in change["evidence"]
    ] == [
        ("old", "accord-6", "support", None, None),
        ("new", "coastal-courier", "support", "on-record", None),
        ("relation", "coastal-courier", "support", "on-record", None),
        ("relation", "river-wire", "contradict", "anonymous", "one unnamed official"),
    ]
    others = [c for c in doc["changes"] if c is not change]
    assert others and not any(c["sources_disagree"] for c in others)


def test_diff_xml(template: Path) -> None:
    result = ok("--registry", str(template), "diff", "accord-6", "lindau", "--format", "xml")
    root = etree.fromstring(result.stdout_bytes)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
    ns = {"p": NS}
    (change,) = root.xpath("//p:change[@sources-disagree='true']", namespaces=ns)
    assert change.get("kind") == "reworded"
    wire = change.xpath("p:evidence[p:source='river-wire']", namespaces=ns)[0]
    assert (wire.get("stance"), wire.get("attribution")) == ("contradict", "anonymous")
    assert wire.findtext(f"{{{NS}}}reliability") == "one unnamed official"
    courier = change.xpath(
        "p:evidence[@role='relation'][p:source='coastal-courier']", namespaces=ns
    )
    assert courier[0].get("stance") is None  # support is not written
    (count,) = root.xpath("//p:summary/p:count[@kind='sources_disagree']", namespaces=ns)
    assert count.get("n") == "1"


def test_trace(template: Path, golden) -> None:
    golden("stance/trace.txt", ok("--registry", str(template), "trace", "lindau:army").stdout)


def test_log_shows_the_stance_of_an_event_quote(registry: Path) -> None:
    reg = ("--registry", str(registry))
    event = ("event", "add", "lindau", "--date", "2031-05-06", "--what", "Cap dropped")
    ok(*reg, *event, "--quote", "no figure for the armed", "--source", "river-wire",
       "--stance", "qualify")  # fmt: skip
    lines = ok(*reg, "log").stdout.splitlines()
    assert lines[6:8] == [
        "    2031-05-06 Cap dropped",
        "               qualifies: “no figure for the armed” [1] anonymous official @218–241",
    ]
    page = ok(*reg, "log", "--format", "html").stdout
    assert '— qualifies <a class="fn" href="#source-1">[1]</a>, anonymous official' in page


def test_compare_cell(template: Path) -> None:
    out = ok("--registry", str(template), "compare", "accord-6", "lindau").stdout
    assert "reworded, sources disagree (curated)" in " ".join(out.split())
    doc = json.loads(
        ok("--registry", str(template), "compare", "accord-6", "lindau", "--format", "json").stdout
    )
    assert doc["steps"][0]["summary"]["sources_disagree"] == 1
    schema = json.loads((REPO / "schemas" / "plandiff-compare.schema.json").read_text("utf-8"))
    jsonschema.validate(doc, schema)
    steps = [step for row in doc["rows"] for cell in row["cells"] for step in cell["changes"]]
    assert [s["sources_disagree"] for s in steps if s["kind"] == "reworded"] == [True]


def test_show_source_and_sources(template: Path, golden) -> None:
    shown = ok("--registry", str(template), "show", "river-wire").stdout
    assert shown.splitlines()[-2:] == [
        "attribution: anonymous official",
        "reliability: one unnamed official",
    ]
    golden("stance/sources.txt", ok("--registry", str(template), "sources").stdout)
    listed = json.loads(ok("--registry", str(template), "sources", "--format", "json").stdout)
    assert [(r["id"], r["attribution"], r["reliability"]) for r in listed["sources"]] == [
        ("accord-6", None, None),
        ("coastal-courier", "on-record", None),
        ("river-wire", "anonymous", "one unnamed official"),
    ]
    quotes = ok("--registry", str(template), "show", "river-wire", "--quotes").stdout
    assert "river-wire" in quotes


def test_a_diff_without_dissent_is_unchanged(registry: Path) -> None:
    """Remove the contradicting quote (by hand): no flag, no count, no stance word."""
    path = registry / "versions" / "lindau.toml"
    text = path.read_text("utf-8")
    path.write_text(text.replace('stance = "contradict"', ""), "utf-8")
    out = ok("--registry", str(registry), "diff", "accord-6", "lindau").stdout
    assert "disagree" not in out and "contradicts" not in out


# --------------------------------------------------------------------------- the cache


def test_a_change_of_stance_is_seen_through_the_cache(registry: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    args = ("--registry", str(registry), "diff", "accord-6", "lindau", "--stat")
    assert "sources disagree" in ok(*args, cache=cache).stdout
    assert any(cache.rglob("*"))  # the validated records were kept
    path = registry / "versions" / "lindau.toml"
    path.write_text(path.read_text("utf-8").replace('"contradict"', '"support"'), "utf-8")
    assert "sources disagree" not in ok(*args, cache=cache).stdout
    path.write_text(path.read_text("utf-8").replace('"support"', '"qualify"'), "utf-8")
    assert "sources disagree" in ok(*args, cache=cache).stdout


# --------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("rel", "old", "new", "field"),
    [
        ("versions/lindau.toml", '"contradict"', '"denies"', "relations[0].evidence[1].stance"),
        ("sources/river-wire.toml", '"anonymous"', '"rumour"', "attribution"),
    ],
)
def test_an_unknown_stance_or_attribution_is_one_line(
    registry: Path, rel: str, old: str, new: str, field: str
) -> None:
    path = registry / rel
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    before = snapshot(registry)
    record = ("point", "add", "lindau", "--summary", "Prisoners are exchanged.", "--quote",
              "She added that the other points", "--source", "coastal-courier")  # fmt: skip
    for args in (("diff", "accord-6", "lindau"), ("verify",), record):
        result = run("--registry", str(registry), *args)
        assert result.exit_code == 2, result.stdout
        lines = result.stderr.splitlines()
        assert len(lines) == 1, lines
        assert rel in lines[0] and field in lines[0] and new.strip('"') in lines[0]
    assert snapshot(registry) == before


# --------------------------------------------------------------------------- the archive


def test_archive_round_trip_keeps_stance_and_attribution(template: Path, tmp_path: Path) -> None:
    created = ("--created", "2031-05-08T12:00:00Z")
    first = ok("--registry", str(template), "export", *created).stdout_bytes
    root = etree.fromstring(first)
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    assert schema.validate(root), schema.error_log
    ns = {"p": NS}
    assert root.xpath("//p:anchor[@stance='contradict']/p:quote/text()", namespaces=ns)
    (wire,) = root.xpath("//p:source[@id='river-wire']", namespaces=ns)
    assert wire.get("attribution") == "anonymous"
    assert wire.findtext(f"{{{NS}}}reliability") == "one unnamed official"
    archive = tmp_path / "a.xml"
    archive.write_bytes(first)
    into = tmp_path / "imported"
    ok("import", str(archive), "--into", str(into))
    assert store.load_registry(into) == store.load_registry(template)
    again = ok("--registry", str(into), "export", *created).stdout_bytes
    assert again == first


# --------------------------------------------------------------------------- competing claims


def test_relating_again_adds_a_dissenting_quote(registry: Path) -> None:
    """A source read later that says otherwise joins the relation it disputes."""
    reg = ("--registry", str(registry))
    relate = ("relate", "accord-6:p2", "lindau:army", "--as", "reworded")
    ok(*reg, "relate", "accord-6:p2", "lindau:army", "--remove")
    assert "disagree" not in ok(*reg, "diff", "accord-6", "lindau", "--stat").stdout
    first = ok(*reg, *relate, "--quote", RAISED, "--source", "coastal-courier")
    assert first.stdout == "related reworded accord-6:p2 → lindau:army\n"
    later = ok(
        *reg, *relate, "--quote", DROPPED, "--source", "river-wire", "--stance", "contradict"
    )
    assert later.stdout == "added 1 quote(s) to relation reworded accord-6:p2 → lindau:army\n"
    before = snapshot(registry)
    again = ok(
        *reg, *relate, "--quote", DROPPED, "--source", "river-wire", "--stance", "contradict"
    )
    assert again.stdout == (
        "unchanged: relation reworded accord-6:p2 → lindau:army has these quotes\n"
    )
    assert snapshot(registry) == before
    (relation,) = store.load_registry(registry).version("lindau").relations  # type: ignore[union-attr]
    assert [a.stance for a in relation.evidence] == [Stance.SUPPORT, Stance.CONTRADICT]
    assert "reworded, sources disagree" in ok(*reg, "diff", "accord-6", "lindau").stdout


def test_a_competing_relation_is_refused_with_the_way_to_record_it(registry: Path) -> None:
    before = snapshot(registry)
    result = run(
        "--registry", str(registry), "relate", "accord-6:p2", "lindau", "--as", "dropped",
        "--quote", DROPPED, "--source", "river-wire",
    )  # fmt: skip
    assert result.exit_code == 2
    assert result.stderr == (
        "plandiff: accord-6:p2 already in the relation reworded accord-6:p2 → lindau:army "
        "(versions/lindau.toml relations[0]); when sources disagree on what happened, keep the "
        "claim best supported and add the other quotes to it with --stance contradict, or "
        "remove it first with 'plandiff relate accord-6:p2 lindau:army --remove'\n"
    )
    assert snapshot(registry) == before


def test_remove_takes_no_stance(registry: Path) -> None:
    result = run(
        "--registry", str(registry), "relate", "accord-6:p2", "lindau:army", "--remove",
        "--stance", "contradict",
    )  # fmt: skip
    assert result.exit_code == 2
    assert "--remove takes no --quote, --source, --stance, --note" in result.stderr


# --------------------------------------------------------------------------- Akoma Ntoso


def test_akoma_ntoso_marks_a_dissenting_quote(template: Path) -> None:
    args = ("export", "--format", "akn", "lindau", "--diff-from", "accord-6")
    root = etree.fromstring(ok("--registry", str(template), *args).stdout_bytes)
    ns = {"x": akn.EXTENSION_NAMESPACE}
    marked = root.xpath("//x:anchor[@stance]", namespaces=ns)
    assert [(a.get("stance"), a.get("role"), a.text) for a in marked] == [
        ("contradict", "relation", DROPPED)
    ]


def test_akoma_ntoso_with_a_stance_is_valid(template: Path) -> None:
    from tests.test_akn import AKN_DIR, _require_schema, load_schema

    args = ("export", "--format", "akn", "lindau", "--diff-from", "accord-6")
    root = etree.fromstring(ok("--registry", str(template), *args).stdout_bytes)

    _require_schema()
    schema, _ = load_schema(AKN_DIR)
    assert schema.validate(root), schema.error_log


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ('stance="contradict"', 'stance="denies"', "attribute 'stance'"),
        ('attribution="anonymous"', 'attribution="rumour"', "attribute 'attribution'"),
    ],
)
def test_an_archive_with_an_unknown_stance_or_attribution_is_refused(
    template: Path, tmp_path: Path, old: str, new: str, field: str
) -> None:
    data = ok("--registry", str(template), "export").stdout_bytes
    archive = tmp_path / "bad.xml"
    archive.write_bytes(data.replace(old.encode(), new.encode(), 1))
    result = run("import", str(archive), "--into", str(tmp_path / "into"))
    assert result.exit_code == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"plandiff: {archive}:") and field in line
    assert not (tmp_path / "into").exists()


def test_a_new_attribution_is_recorded_by_recapture_and_keeps_the_stances(registry: Path) -> None:
    reg = ("--registry", str(registry))
    add = ("source", "add", str(FIXTURES / "river-wire.txt"), "--attribution", "relayed")
    refused = run(*reg, *add)
    assert refused.exit_code == 2
    assert "different metadata (attribution 'anonymous' → 'relayed')" in refused.stderr
    ok(*reg, *add, "--recapture")
    loaded = store.load_registry(registry)
    wire = loaded.source("river-wire")
    assert wire is not None
    assert (wire.attribution, wire.reliability) == (
        SourceAttribution.RELAYED,
        "one unnamed official",  # kept: not given again
    )
    (relation,) = loaded.version("lindau").relations  # type: ignore[union-attr]
    assert relation.evidence[1].stance is Stance.CONTRADICT
    out = " ".join(ok(*reg, "diff", "accord-6", "lindau").stdout.split())
    assert "why, contradicts: “the strict cap on the army was dropped from the text" in out
    assert "[3] relayed from another outlet @135–198" in out
