"""Earlier captures of a source: a recapture keeps the text it replaces, with its retrieval
date, and quotes anchored in it still verify (issue 16, item 4)."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from pathlib import Path

import jsonschema
import pytest
from click.testing import Result

from plandiff import store
from plandiff.models import iter_anchors
from tests.helpers import invoke

FIRST = "Talks in Arden.\nThe dam will be inspected jointly by both sides.\nA fishing authority is proposed.\n"  # noqa: E501
SECOND = "Talks in Arden resumed.\nThe dam will be inspected jointly by both sides.\n"
THIRD = "Talks in Arden ended.\nThe dam will be inspected jointly by both sides, they said.\n"


def run(reg: Path, *args: str, code: int = 0) -> Result:
    result = invoke("--registry", str(reg), *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def short(text: str) -> str:
    """The digest ``--history`` shows: the first 12 hex digits of the file's SHA-256."""
    return store.sha256_bytes(text.encode())[:12]


def capture(tmp: Path, text: str) -> str:
    path = tmp / "arden.txt"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    """One source, a version with two points quoting it."""
    root = tmp_path / "reg"
    assert invoke("init", str(root)).exit_code == 0
    run(root, "source", "add", capture(tmp_path, FIRST), "--retrieved", "2031-03-14")
    run(root, "version", "add", "v1", "--title", "V one")
    for summary, quote in (
        ("Dam inspected jointly.", "dam will be inspected jointly"),
        ("Fishing authority.", "fishing authority is proposed"),
    ):
        run(root, "point", "add", "v1", "--summary", summary, "--quote", quote, "--source", "arden")
    return root


def recaptured(reg: Path, tmp: Path) -> Result:
    return run(
        reg, "source", "add", capture(tmp, SECOND), "--id", "arden", "--recapture", "--force",
        "--retrieved", "2031-03-20",
    )  # fmt: skip


def test_recapture_keeps_the_first_capture_and_its_quotes_verify(reg: Path, tmp_path: Path) -> None:
    before = (reg / "sources" / "arden.txt").read_bytes()
    result = recaptured(reg, tmp_path)
    assert result.stdout.splitlines() == [
        "recaptured source 'arden' (sources/arden.txt): 2 quote(s) re-anchored: 1 moved, 1 broken",
        "  moved     v1:dam-inspected-jointly: 'dam will be inspected jointly' (20..49 → 28..57)",
        "  broken    v1:fishing-authority: 'fishing authority is proposed' (was at 67..96; not "
        "found in the new capture)",
        "kept the previous text as capture 1 (sources/arden.capture-1.txt, retrieved 2031-03-14)",
        "1 quote(s) not found in the new text stay anchored in capture 1 (points no longer "
        "quoted from the current text: v1:fishing-authority)",
    ]
    # The first capture is kept byte for byte, and the quote anchored in it still verifies.
    assert (reg / "sources" / "arden.capture-1.txt").read_bytes() == before
    assert (reg / "sources" / "arden.txt").read_text(encoding="utf-8") == SECOND
    assert run(reg, "verify").stdout.startswith("ok: 1 version(s), 1 source(s), 2 anchor(s)")
    registry = store.load_registry(reg)
    source = registry.source("arden")
    assert source is not None
    assert [(c.retrieved.isoformat() if c.retrieved else None) for c in source.captures] == [
        "2031-03-14"
    ]
    dam, fishing = registry.version("v1").points  # type: ignore[union-attr]
    assert (dam.evidence[0].capture, dam.evidence[0].start) == (None, 28)  # re-anchored
    assert (fishing.evidence[0].capture, fishing.evidence[0].start) == (1, 67)  # kept
    assert registry.anchor_text(fishing.evidence[0]) == FIRST


def test_every_recapture_keeps_its_predecessor(reg: Path, tmp_path: Path) -> None:
    recaptured(reg, tmp_path)
    third = capture(tmp_path, THIRD)
    result = run(reg, "source", "add", third, "--id", "arden", "--recapture", "--retrieved",
                 "2031-04-01")  # fmt: skip
    assert result.stdout.splitlines()[-1] == (
        "kept the previous text as capture 2 (sources/arden.capture-2.txt, retrieved 2031-03-20)"
    )
    history = run(reg, "show", "arden", "--history").stdout
    assert (len(THIRD), len(SECOND), len(FIRST)) == (82, 73, 98)
    assert history == (
        "Captures of arden, newest first\n"
        " capture  retrieved   sha256        characters  quotes  file\n"
        f" current  2031-04-01  {short(THIRD)}          82       1  sources/arden.txt\n"
        f" 2        2031-03-20  {short(SECOND)}          73       0  sources/arden.capture-2.txt\n"
        f" 1        2031-03-14  {short(FIRST)}          98       1  sources/arden.capture-1.txt\n"
    )
    data = json.loads(run(reg, "show", "arden", "--history", "--format", "json").stdout)
    assert data["source"] == "arden"
    assert [(c["capture"], c["retrieved"], c["quotes"]) for c in data["captures"]] == [
        (None, "2031-04-01", 1),
        (2, "2031-03-20", 0),
        (1, "2031-03-14", 1),
    ]
    assert [c["sha256"] for c in data["captures"]] == [
        store.sha256_bytes(t.encode()) for t in (THIRD, SECOND, FIRST)
    ]
    assert run(reg, "verify").stdout.startswith("ok: 1 version(s), 1 source(s), 2 anchor(s)")


def test_history_of_a_source_never_recaptured(reg: Path) -> None:
    assert run(reg, "show", "arden", "--history").stdout == (
        "Captures of arden, newest first\n"
        " capture  retrieved   sha256        characters  quotes  file\n"
        f" current  2031-03-14  {short(FIRST)}          98       2  sources/arden.txt\n"
    )
    err = run(reg, "show", "v1", "--history", code=2).stderr
    assert err == (
        "plandiff: --history shows a source with its captures; 'v1' is a version "
        "(try 'plandiff show v1')\n"
    )


def test_same_text_again_keeps_no_capture(reg: Path, tmp_path: Path) -> None:
    result = run(reg, "source", "add", capture(tmp_path, FIRST), "--id", "arden", "--recapture")
    assert result.stdout == "unchanged: source 'arden' (sources/arden.txt)\n"
    assert not (reg / "sources" / "arden.capture-1.txt").exists()


def test_source_remove_removes_every_capture(reg: Path, tmp_path: Path) -> None:
    recaptured(reg, tmp_path)
    run(reg, "version", "remove", "v1")
    result = run(reg, "source", "remove", "arden")
    assert result.stdout == "removed source arden (2 file(s))\n"
    assert sorted(p.name for p in (reg / "sources").iterdir()) == []


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda reg: (reg / "sources" / "arden.capture-1.txt").unlink(),
            "plandiff: sources/arden.toml: captures[0].path: ",
        ),
        (
            lambda reg: (reg / "sources" / "arden.capture-1.txt").write_text("edited\n"),
            "plandiff: sources/arden.toml: captures[0].sha256: hash mismatch: "
            "'sources/arden.capture-1.txt' has sha256 ",
        ),
        (
            lambda reg: (reg / "versions" / "v1.toml").write_text(
                (reg / "versions" / "v1.toml").read_text().replace("capture = 1", "capture = 3")
            ),
            "plandiff: versions/v1.toml: points[1].evidence[0].capture: source 'arden' has no "
            "capture 3 (it keeps 1 earlier capture(s))\n",
        ),
        (
            lambda reg: (reg / "sources" / "arden.toml").write_text(
                (reg / "sources" / "arden.toml")
                .read_text()
                .replace('"sources/arden.capture-1.txt"', '"versions/v1.toml"')
            ),
            "plandiff: sources/arden.toml: captures[0].path: path 'versions/v1.toml' is where "
            "the registry keeps its own files\n",
        ),
        (
            lambda reg: (reg / "versions" / "v1.toml").write_text(
                (reg / "versions" / "v1.toml").read_text().replace("capture = 1", "capture = 0")
            ),
            "plandiff: versions/v1.toml: points[1].evidence[0].capture: ",
        ),
    ],
)
def test_a_bad_capture_is_one_line_exit_2_nothing_written(
    reg: Path, tmp_path: Path, damage, message: str
) -> None:
    recaptured(reg, tmp_path)
    damage(reg)
    files = {p: p.read_bytes() for p in reg.rglob("*") if p.is_file()}
    for args in (["verify"], ["source", "add", capture(tmp_path, THIRD), "--id", "arden",
                              "--recapture"]):  # fmt: skip
        err = run(reg, *args, code=2).stderr
        assert err.startswith(message) and err.count("\n") == 1, err
    assert {p: p.read_bytes() for p in reg.rglob("*") if p.is_file()} == files


def test_registry_files_with_captures_validate_against_their_schemas(
    reg: Path, tmp_path: Path
) -> None:
    recaptured(reg, tmp_path)
    schemas = Path(__file__).resolve().parent.parent / "schemas"
    source_toml = tomllib.loads((reg / "sources" / "arden.toml").read_text(encoding="utf-8"))
    version_toml = tomllib.loads((reg / "versions" / "v1.toml").read_text(encoding="utf-8"))
    assert source_toml["captures"][0]["retrieved"] == dt.date(2031, 3, 14)
    assert version_toml["points"][1]["evidence"][0]["capture"] == 1
    for data, name in ((source_toml, "source"), (version_toml, "version")):
        schema = json.loads((schemas / f"plandiff-{name}.schema.json").read_text(encoding="utf-8"))
        plain = json.loads(json.dumps(data, default=str))
        jsonschema.validate(plain, schema)
        if name == "version":
            plain["points"][1]["evidence"][0]["capture"] = 0  # captures count from 1
            with pytest.raises(jsonschema.ValidationError):
                jsonschema.validate(plain, schema)


RECORDING = Path(__file__).resolve().parent.parent / "fixtures" / "recording"


def test_archive_round_trip_keeps_every_capture(tmp_path: Path) -> None:
    """An HTML source recaptured twice: both earlier texts and pages, their dates and a quote
    citing the first survive export → import, and a second export is byte-identical."""
    reg = tmp_path / "reg"
    assert invoke("init", str(reg)).exit_code == 0
    ledger = "ledger-2031-03-14"
    first, updated = RECORDING / f"{ledger}.html", RECORDING / f"{ledger}-updated.html"
    run(reg, "source", "add", str(first), "--retrieved", "2031-03-14")
    run(reg, "version", "add", "v1", "--title", "V one")
    quote = "drops the proposal for a joint fishing authority"
    run(reg, "point", "add", "v1", "--summary", "No fishing authority.", "--quote", quote,
        "--source", ledger)  # fmt: skip
    for page, day in ((updated, "2031-03-20"), (first, "2031-04-02")):
        run(reg, "source", "add", str(page), "--id", ledger, "--recapture", "--force",
            "--retrieved", day)  # fmt: skip
    source = store.load_registry(reg).source(ledger)
    assert source is not None
    assert [(c.path, c.original) for c in source.captures] == [
        (f"sources/{ledger}.capture-1.txt", f"sources/{ledger}.capture-1.orig.html"),
        (f"sources/{ledger}.capture-2.txt", f"sources/{ledger}.capture-2.orig.html"),
    ]
    # The quote was lost by the first recapture (kept in capture 1); the third capture has the
    # first page's text again, but the quote stays where it was taken.
    assert store.load_registry(reg).version("v1").points[0].evidence[0].capture == 1  # type: ignore[union-attr]
    assert (reg / "sources" / f"{ledger}.capture-2.orig.html").read_bytes() == updated.read_bytes()

    archive = tmp_path / "a.xml"
    created = "2031-05-01T00:00:00Z"
    run(reg, "export", "-o", str(archive), "--created", created)
    text = archive.read_text(encoding="utf-8")
    assert text.count("<earlier-capture ") == 2 and 'capture="1"' in text
    assert 'retrieved="2031-04-02"' in text
    back = tmp_path / "back"
    assert invoke("import", str(archive), "--into", str(back)).exit_code == 0
    files = lambda root: {  # noqa: E731
        p.relative_to(root).as_posix(): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    assert files(back) == files(reg)
    assert run(back, "verify").stdout.startswith("ok: 1 version(s), 1 source(s), 1 anchor(s)")
    again = tmp_path / "b.xml"
    run(back, "export", "-o", str(again), "--created", created)
    assert again.read_bytes() == archive.read_bytes()


def test_an_archive_without_captures_imports_as_before() -> None:
    """Archives written before captures were kept hold no <earlier-capture>: they import with
    no captures, and every anchor cites its source's current text."""
    from plandiff import xmlarchive

    old = Path(__file__).resolve().parent.parent / "fixtures" / "xml" / "valid.xml"
    registry, _ = xmlarchive.import_archive(old.read_bytes())
    assert registry.sources and all(not s.captures for s in registry.sources)
    assert all(a.capture is None for v in registry.versions for _, a in iter_anchors(v))


def test_a_verbatim_point_quoted_from_an_earlier_capture_still_stands_in_it(
    tmp_path: Path,
) -> None:
    """A plan text recaptured without one of its points: that point's verbatim text is still
    found whole in the capture its quote now cites, so verify --strict stays clean."""
    reg = tmp_path / "reg"
    assert invoke("init", str(reg)).exit_code == 0
    plan = tmp_path / "draft-10.txt"
    plan.write_bytes((RECORDING / "draft-10.txt").read_bytes())
    run(reg, "version", "add", "draft-10", "--title", "Draft", "--from-text", str(plan))
    lines = plan.read_text(encoding="utf-8").splitlines(keepends=True)
    plan.write_text("".join(x for x in lines if not x.startswith("9. ")), encoding="utf-8")
    result = run(reg, "source", "add", str(plan), "--recapture", "--force", "--retrieved",
                 "2031-01-02")  # fmt: skip
    assert result.stdout.splitlines()[-1] == (
        "1 quote(s) not found in the new text stay anchored in capture 1 (points no longer "
        "quoted from the current text: draft-10:p9)"
    )
    p9 = store.load_registry(reg).version("draft-10").point("p9")  # type: ignore[union-attr]
    assert p9 is not None and p9.text and p9.evidence[0].capture == 1
    assert run(reg, "verify", "--strict").stdout.startswith("ok: 1 version(s), 1 source(s)")


def test_verify_names_a_missing_original_of_an_earlier_capture(tmp_path: Path) -> None:
    reg = tmp_path / "reg"
    assert invoke("init", str(reg)).exit_code == 0
    ledger = "ledger-2031-03-14"
    run(reg, "source", "add", str(RECORDING / f"{ledger}.html"))
    run(reg, "source", "add", str(RECORDING / f"{ledger}-updated.html"), "--id", ledger,
        "--recapture", "--retrieved", "2031-03-20")  # fmt: skip
    (reg / "sources" / f"{ledger}.capture-1.orig.html").unlink()
    err = run(reg, "verify", code=2).stderr
    assert (
        err.startswith(f"plandiff: sources/{ledger}.toml: captures[0].original: ")
        and err.count("\n") == 1
    ), err
    assert f"sources/{ledger}.capture-1.orig.html" in err


def test_an_archive_whose_earlier_capture_was_altered_is_refused(reg: Path, tmp_path: Path) -> None:
    from tests.test_xmlarchive import problems_of, redigest, reparse

    recaptured(reg, tmp_path)
    archive = tmp_path / "a.xml"
    run(reg, "export", "-o", str(archive), "--created", "2031-05-01T00:00:00Z")
    root = reparse(archive.read_bytes())
    ns = {"p": root.nsmap[None]}
    (part,) = root.xpath("//p:earlier-capture/p:text/p:part", namespaces=ns)
    part.text = part.text.replace("fishing", "FISHING")
    line = part.getparent().sourceline
    assert problems_of(redigest(root)) == [
        f"line {line}: source 'arden': earlier capture 1: text has sha256 "
        f"{store.sha256_bytes(FIRST.replace('fishing', 'FISHING').encode())}, but the archive "
        f"records {store.sha256_bytes(FIRST.encode())}"
    ]


def test_show_source_names_its_retrieval_and_earlier_captures(reg: Path, tmp_path: Path) -> None:
    recaptured(reg, tmp_path)
    out = run(reg, "show", "arden").stdout.splitlines()
    assert out[-2:] == [
        "retrieved: 2031-03-20",
        "earlier captures: 1 (plandiff show arden --history)",
    ]
    data = json.loads(run(reg, "show", "arden", "--format", "json").stdout)
    assert data["source"]["retrieved"] == "2031-03-20"
    assert data["source"]["captures"] == [
        {
            "retrieved": "2031-03-14",
            "path": "sources/arden.capture-1.txt",
            "sha256": store.sha256_bytes(FIRST.encode()),
            "original": None,
        }
    ]


def test_a_diff_says_which_capture_a_quote_comes_from(reg: Path, tmp_path: Path) -> None:
    """The offsets of a quote kept in an earlier capture are into that text: every report says
    so, with the day it was retrieved."""
    recaptured(reg, tmp_path)
    run(reg, "version", "add", "v2", "--title", "V two", "--derived-from", "v1")
    run(reg, "point", "add", "v2", "--summary", "Dam inspected.", "--quote", "dam will be",
        "--source", "arden")  # fmt: skip
    text = " ".join(run(reg, "diff", "v1", "v2", "--show-unreported").stdout.split())
    assert "@67–96 in capture 1 (retrieved 2031-03-14)" in text
    assert "in capture" not in text.split("@67–96")[0]  # the current text's quotes: no word
    doc = json.loads(run(reg, "diff", "v1", "v2", "--format", "json").stdout)
    kept = [e for c in doc["changes"] for e in c["evidence"] if e["capture"] is not None]
    assert [(e["capture"], e["retrieved"], e["start"]) for e in kept] == [(1, "2031-03-14", 67)]
    markdown = run(reg, "diff", "v1", "v2", "--format", "markdown", "--show-unreported").stdout
    markdown = " ".join(markdown.split())
    assert "characters 67–96 in capture 1 (retrieved 2031-03-14)" in markdown
    page = run(reg, "diff", "v1", "v2", "--format", "html").stdout
    assert "characters 67–96 in capture 1 (retrieved 2031-03-14)" in page
    from lxml import etree

    xml = run(reg, "diff", "v1", "v2", "--format", "xml").stdout_bytes
    schema = etree.XMLSchema(
        etree.parse(str(Path(__file__).parent.parent / "schemas" / "plandiff-archive.xsd"))
    )
    root = etree.fromstring(xml)
    assert schema.validate(root), schema.error_log
    assert root.xpath(
        "//p:evidence[@capture='1']/@retrieved", namespaces={"p": "urn:plandiff:archive:1"}
    ) == ["2031-03-14"]
