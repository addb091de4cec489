"""Deferred points: a matter the new version leaves to be decided later is neither kept nor
dropped, and every report, the recording command and the archives say so."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from click.testing import Result
from pydantic import ValidationError

from plandiff import diff, store, xmlarchive
from plandiff.models import Anchor, Relation, RelationKind
from plandiff.result import ChangeKind
from tests.helpers import SEEDS, invoke, record

REPO = Path(__file__).resolve().parent.parent
LEDGER_DIR = REPO / "fixtures" / "recording"
LEDGER = "ledger-2031-03-14"
CREATED = dt.datetime(2025, 11, 26, 12, 0, tzinfo=dt.UTC)


def seeds(*args: str) -> Result:
    return invoke("--registry", str(SEEDS), *args)


# --------------------------------------------------------------------------- the model


def _anchor() -> Anchor:
    return Anchor(source="s", quote="q")


def test_deferred_relation_takes_old_points_and_no_new_point() -> None:
    r = Relation(
        kind=RelationKind.DEFERRED,
        old=("a", "b"),
        evidence=(_anchor(),),
        decided_by="the presidents",
        decide_at="a summit",
    )
    assert (r.decided_by, r.decide_at) == ("the presidents", "a summit")
    with pytest.raises(ValidationError, match="'deferred' relation takes old points and no new"):
        Relation(kind=RelationKind.DEFERRED, old=("a",), new=("b",), evidence=(_anchor(),))


def test_who_decides_is_only_for_a_deferred_relation() -> None:
    with pytest.raises(ValidationError, match="decided_by is only for a 'deferred' relation"):
        Relation(
            kind=RelationKind.DROPPED, old=("a",), evidence=(_anchor(),), decided_by="the king"
        )


# --------------------------------------------------------------------------- the bundled registry


def test_seed_territory_point_is_deferred_to_the_presidents() -> None:
    registry = store.load_registry(SEEDS)
    result = diff(registry.version("us-28"), registry.version("geneva-19"), registry=registry)
    (change,) = [c for c in result.changes if c.kind is ChangeKind.DEFERRED]
    assert [r.key for r in change.old] == ["territory"] and change.new == ()
    assert change.decided_by == "Presidents Zelenskyy and Trump"
    assert change.decide_at == "a meeting between the two presidents"
    quotes = [e.quote for e in change.evidence if e.role == "relation"]
    assert quotes == [
        "any discussions of territorial issues would likely take place at a meeting between "
        "Ukrainian President Volodymyr Zelenskyy and US President Donald Trump",
        "final decisions will be made by Presidents Volodymyr Zelensky and Donald Trump",
    ]
    assert result.summary()["deferred"] == 1


def test_backwards_a_deferred_point_is_added() -> None:
    registry = store.load_registry(SEEDS)
    result = diff(registry.version("geneva-19"), registry.version("us-28"), registry=registry)
    kinds = {c.new[0].key: c.kind for c in result.changes if c.new}
    assert kinds["territory"] is ChangeKind.ADDED
    assert all(c.decided_by is None for c in result.changes)


def test_text_report_says_who_decides() -> None:
    out = seeds("diff", "us-28", "geneva-19").stdout
    assert "territory → —  deferred  (curated) ─" in out
    assert (
        "    Left undecided in the new version, for Presidents Zelenskyy and Trump to decide (a "
        "meeting\n    between the two presidents).\n"
    ) in out
    assert "28 → 19 points: 9 were cut, and reporting identifies 1 of them (1 deferred).\n" in out
    assert "Changes: 1 deferred, 3 unreported\n" in out


def test_stat_row_says_who_decides() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--stat").stdout
    assert "territory → —  deferred (curated) to Presidents Zelenskyy and Trump (a meeting" in out


def test_kind_filter_takes_deferred() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--kind", "deferred").stdout
    assert "Showing deferred: 1 of 4 changes.\n" in out


def test_markdown_report_says_who_decides() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--format", "markdown").stdout
    assert "### territory → — · deferred\n" in out
    assert (
        "*Left undecided in the new version, for Presidents Zelenskyy and Trump to decide (a "
        "meeting between the two presidents).*"
    ) in out
    assert "~~Territorial concessions.~~" not in out  # nobody says it was dropped


def test_json_report_carries_the_deferral() -> None:
    doc = json.loads(seeds("diff", "us-28", "geneva-19", "--format", "json").stdout)
    (change,) = [c for c in doc["changes"] if c["kind"] == "deferred"]
    assert change["decided_by"] == "Presidents Zelenskyy and Trump"
    assert change["decide_at"] == "a meeting between the two presidents"
    assert doc["known"]["deferred"] == 1
    assert doc["summary"]["deferred"] == 1


def test_xml_diff_document_carries_the_deferral() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--format", "xml").stdout
    assert "<decidedBy>Presidents Zelenskyy and Trump</decidedBy>" in out
    assert "<decideAt>a meeting between the two presidents</decideAt>" in out
    assert 'kind="deferred"' in out


def test_html_report_says_who_decides() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--format", "html").stdout
    assert "Left undecided in the new version, for Presidents Zelenskyy and Trump to decide" in out
    assert "kind-deferred" in out


def test_trace_and_log_say_deferred() -> None:
    out = seeds("trace", "us-28:territory").stdout
    assert out.splitlines()[1].startswith(
        "first recorded in us-28; deferred in geneva-19, to Presidents Zelenskyy and Trump"
    )


def test_full_view_strikes_and_notes_a_deferred_point() -> None:
    out = seeds("diff", "us-28", "geneva-19", "--full").stdout
    assert "deferred: was territory, to Presidents Zelenskyy and Trump" in out


# --------------------------------------------------------------------------- the archive


def test_archive_round_trip_keeps_the_deferral() -> None:
    registry = store.load_registry(SEEDS)
    data = xmlarchive.export_registry(registry, created=CREATED)
    assert b"<decidedBy>Presidents Zelenskyy and Trump</decidedBy>" in data
    restored, _ = xmlarchive.import_archive(data)
    (relation,) = restored.version("geneva-19").relations
    assert relation.kind is RelationKind.DEFERRED
    assert relation.decide_at == "a meeting between the two presidents"
    assert xmlarchive.export_registry(restored, created=CREATED) == data


# --------------------------------------------------------------------------- recording


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    steps = [
        ["init", str(root)],
        [
            "version",
            "add",
            "draft-10",
            "--title",
            "D",
            "--from-text",
            str(LEDGER_DIR / "draft-10.txt"),
        ],
        [
            "version",
            "add",
            "revised-8",
            "--title",
            "R",
            "--derived-from",
            "draft-10",
            "--from-text",
            str(LEDGER_DIR / "revised-8.txt"),
        ],
        ["source", "add", str(LEDGER_DIR / f"{LEDGER}.html")],
    ]
    return record(root, steps)


QUOTE = ["--quote", "The plan now goes to both provincial assemblies", "--source", LEDGER]


def test_relate_records_a_deferred_point(reg: Path) -> None:
    result = invoke(
        "--registry",
        str(reg),
        "relate",
        "draft-10:p10",
        "revised-8",
        "--as",
        "deferred",
        *QUOTE,
        "--decided-by",
        "both provincial assemblies",
        "--decide-at",
        "next month",
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == "related deferred draft-10:p10 → revised-8\n"
    toml = (reg / "versions" / "revised-8.toml").read_text()
    assert 'kind = "deferred"' in toml
    assert 'decided_by = "both provincial assemblies"' in toml
    assert 'decide_at = "next month"' in toml
    out = invoke("--registry", str(reg), "diff", "draft-10", "revised-8", "--stat").stdout
    assert "deferred (curated) to both provincial assemblies (next month)" in out


def _snapshot(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["draft-10:p10", "revised-8:p8", "--as", "deferred", *QUOTE],
            "plandiff: 'deferred' takes old points and the new version without a point, e.g. "
            "us-28:a geneva-19; got 1 old → 1 new\n",
        ),
        (
            ["draft-10:p10", "revised-8", "--as", "dropped", "--decided-by", "x", *QUOTE],
            "plandiff: --decided-by is only for a 'deferred' relation, not 'dropped'\n",
        ),
    ],
)
def test_relate_refusals(reg: Path, args: list[str], message: str) -> None:
    before = _snapshot(reg)
    result = invoke("--registry", str(reg), "relate", *args)
    assert result.exit_code == 2
    assert result.stderr == message
    assert _snapshot(reg) == before


def test_registry_file_with_who_decides_on_a_rewording_is_one_line(tmp_path: Path) -> None:
    root = tmp_path / "seeds"
    shutil.copytree(SEEDS, root)
    path = root / "versions" / "geneva-19.toml"
    text = path.read_text().replace('kind = "deferred"', 'kind = "deferrd"')
    path.write_text(text)
    result = invoke("--registry", str(root), "verify")
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "geneva-19.toml" in result.stderr and "relations" in result.stderr


def test_point_add_records_a_bracketed_point(reg: Path) -> None:
    result = invoke(
        "--registry",
        str(reg),
        "point",
        "add",
        "revised-8",
        "--summary",
        "Both assemblies vote on the plan.",
        "--bracketed",
        *QUOTE,
    )
    assert result.exit_code == 0, result.output
    toml = (reg / "versions" / "revised-8.toml").read_text()
    assert 'status = "bracketed"' in toml
    shown = invoke("--registry", str(reg), "show", "revised-8").stdout
    assert "Both assemblies vote on the plan.  (described)  (unagreed)" in shown
    originals = xmlarchive.original_reader(reg)
    data = xmlarchive.export_registry(
        store.load_registry(reg), created=CREATED, originals=originals
    )
    assert b'status="bracketed"' in data
    restored, files = xmlarchive.import_archive(data)
    again = xmlarchive.export_registry(
        restored, created=CREATED, originals=lambda s: files[s.original]
    )
    assert again == data
