"""The recording commands end to end: output, exit status, and that a refusal changes nothing.

Every refusal is run against a copy of one registry whose directory (every file name and byte)
is snapshot before and compared after.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import Result

from plandiff import store
from plandiff.cli.record_cmds import read_all
from plandiff.recording import QuoteRef, add_point, transact
from tests.helpers import invoke, record

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "recording"
LEDGER = "ledger-2031-03-14"
ARTICLE = str(FIXTURES / f"{LEDGER}.html")
UPDATED = str(FIXTURES / f"{LEDGER}-updated.html")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root``: name → bytes (None for a folder)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("template") / "reg"
    steps = [
        ["init", str(root)],
        [
            "version",
            "add",
            "draft-10",
            "--title",
            "Ten-point draft",
            "--from-text",
            str(FIXTURES / "draft-10.txt"),
        ],
        [
            "version",
            "add",
            "revised-8",
            "--title",
            "Eight-point revision",
            "--derived-from",
            "draft-10",
            "--from-text",
            str(FIXTURES / "revised-8.txt"),
        ],
        ["source", "add", ARTICLE],
        ["version", "add", "reported-8", "--title", "As reported", "--derived-from", "draft-10"],
        [
            "relate",
            "draft-10:p4,p5",
            "revised-8:p4",
            "--as",
            "merged",
            "--quote",
            "merges the two points on flood warnings into one",
            "--source",
            LEDGER,
        ],
        [
            "point",
            "add",
            "reported-8",
            "--summary",
            "The dam is inspected jointly.",
            "--quote",
            "the dam will be inspected jointly",
            "--source",
            LEDGER,
        ],
    ]
    return record(root, steps)


@pytest.fixture
def reg(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    shutil.copytree(template, root)
    return root


def run(reg: Path, *args: str) -> Result:
    result = invoke("--registry", str(reg), *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def refused(reg: Path, *args: str) -> str:
    """Run a command that must fail; return its stderr after checking nothing changed."""
    before = snapshot(reg)
    result = invoke("--registry", str(reg), *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert snapshot(reg) == before
    return result.stderr


def usage_error(err: str, command: str) -> None:
    """click's usage error for ``command``: one ``plandiff: …`` line naming its usage and help."""
    assert err.count("\n") == 1 and err.startswith("plandiff: "), err
    assert f" (usage: plandiff {command} " in err, err
    assert err.endswith(f"; see 'plandiff {command} --help')\n"), err


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize(
    "command",
    [
        ["source"],
        ["source", "add"],
        ["version"],
        ["version", "add"],
        ["point"],
        ["point", "add"],
        ["point", "edit"],
        ["point", "remove"],
        ["relate"],
        ["event"],
        ["event", "add"],
    ],
)
def test_help(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: plandiff {' '.join(command)} ")
    assert "Exit status: 0 success" in result.stdout


# --------------------------------------------------------------------------- source add


def test_source_add_html(reg: Path) -> None:
    result = run(
        reg,
        "source",
        "add",
        str(FIXTURES / "draft-10.txt"),
        "--id",
        "draft-copy",
        "--outlet",
        "Upper Arden Province",
        "--published",
        "2031-02-02",
        "--language",
        "en",
    )
    assert result.stdout == "added source 'draft-copy' (sources/draft-copy.txt)\n"
    toml = (reg / "sources" / "draft-copy.toml").read_text()
    assert 'outlet = "Upper Arden Province"\npublished = 2031-02-02\nlanguage = "en"\n' in toml
    assert "original" not in toml  # the text file is kept as is: no second copy


def test_source_add_stores_text_and_original(template: Path) -> None:
    text = (template / "sources" / f"{LEDGER}.txt").read_text()
    assert text.startswith("Arden delegations agree revised water-sharing plan\nNegotiators ")
    assert (template / "sources" / f"{LEDGER}.orig.html").read_bytes() == Path(ARTICLE).read_bytes()
    toml = (template / "sources" / f"{LEDGER}.toml").read_text()
    assert 'outlet = "The Valley Ledger"' in toml
    assert f'original = "sources/{LEDGER}.orig.html"' in toml


def test_source_add_same_content_is_unchanged(reg: Path) -> None:
    before = snapshot(reg)
    result = run(reg, "source", "add", ARTICLE)
    assert result.stdout == f"unchanged: source '{LEDGER}' (sources/{LEDGER}.txt)\n"
    assert snapshot(reg) == before


def test_source_add_several_files(reg: Path, tmp_path: Path) -> None:
    files = []
    for name in ("one.txt", "two.md"):
        (tmp_path / name).write_text(f"# {name}\n\nText of {name}.\n")
        files.append(str(tmp_path / name))
    result = run(reg, "source", "add", *files, "--outlet", "Wire")
    assert result.stdout == (
        "added source 'one' (sources/one.txt)\nadded source 'two' (sources/two.txt, 'two.md')\n"
    )
    assert 'outlet = "Wire"' in (reg / "sources" / "one.toml").read_text()


def test_source_recapture_reanchors_and_reports(reg: Path) -> None:
    run(
        reg,
        "relate",
        "draft-10:p9",
        "revised-8",
        "--as",
        "dropped",
        "--quote",
        "drops the proposal for a joint fishing authority",
        "--source",
        LEDGER,
    )
    err = refused(reg, "source", "add", UPDATED, "--id", LEDGER, "--recapture")
    lines = err.splitlines()
    assert lines[0] == (
        f"plandiff: recapture of source '{LEDGER}' refused: 1 quote(s) cannot be found again in "
        "the new capture (1 broken); points that would lose their evidence: none; other "
        "evidence that would be lost: revised-8 relation dropped draft-10:p9 → revised-8; add "
        "--force to record it anyway (the lost quotes then cite the previous text, kept as "
        "capture 1 of the source)"
    )
    assert lines[1:] == [
        "plandiff:   moved     reported-8:dam-inspected-jointly: "
        "'the dam will be inspected jointly' (438..471 → 480..513)",
        "plandiff:   moved     revised-8 relation merged draft-10:p4,p5 → revised-8:p4: "
        "'merges the two points on flood warnings into one' (215..263 → 273..321)",
        "plandiff:   broken    revised-8 relation dropped draft-10:p9 → revised-8: "
        "'drops the proposal for a joint fishing authority' (was at 268..316; not found in the "
        "new capture)",
    ]
    result = run(
        reg, "source", "add", UPDATED, "--id", LEDGER, "--recapture", "--force",
        "--retrieved", "2031-03-20",
    )  # fmt: skip
    assert result.stdout.splitlines()[0] == (
        f"recaptured source '{LEDGER}' (sources/{LEDGER}.txt): 3 quote(s) re-anchored: "
        "2 moved, 1 broken"
    )
    assert result.stdout.splitlines()[-2:] == [
        f"kept the previous text as capture 1 (sources/{LEDGER}.capture-1.txt)",
        "1 quote(s) not found in the new text stay anchored in capture 1 (points no longer "
        "quoted from the current text: none; other evidence: revised-8 relation dropped "
        "draft-10:p9 → revised-8)",
    ]
    assert (reg / "sources" / f"{LEDGER}.capture-1.orig.html").read_bytes() == Path(
        ARTICLE
    ).read_bytes()
    assert (reg / "sources" / f"{LEDGER}.orig.html").read_bytes() == Path(UPDATED).read_bytes()
    # The first capture is kept, and the quote anchored in it still verifies.
    assert run(reg, "verify").stdout.startswith("ok: 3 version(s), 3 source(s)")
    dropped = store.load_registry(reg).version("revised-8").relations[1]  # type: ignore[union-attr]
    assert (dropped.evidence[0].source, dropped.evidence[0].capture) == (LEDGER, 1)


def test_source_recapture_without_losses_needs_no_force(reg: Path) -> None:
    result = run(reg, "source", "add", UPDATED, "--id", LEDGER, "--recapture")
    assert result.stdout.splitlines() == [
        f"recaptured source '{LEDGER}' (sources/{LEDGER}.txt): 2 quote(s) re-anchored: 2 moved",
        "  moved     reported-8:dam-inspected-jointly: 'the dam will be inspected jointly' "
        "(438..471 → 480..513)",
        "  moved     revised-8 relation merged draft-10:p4,p5 → revised-8:p4: "
        "'merges the two points on flood warnings into one' (215..263 → 273..321)",
        f"kept the previous text as capture 1 (sources/{LEDGER}.capture-1.txt)",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["source", "add", "no-such-file.html"], "plandiff: 'no-such-file.html': no such file\n"),
        (
            ["source", "add", str(FIXTURES)],
            f"plandiff: '{FIXTURES}' is a directory, not an article file\n",
        ),
        (
            ["source", "add", UPDATED, "--id", LEDGER],
            f"plandiff: source '{LEDGER}' already exists with different text (sha256 "
            "49ed91091e99…, this capture 0d21d6e3e334…); to replace it with this capture and "
            "re-anchor the 2 quote(s) citing it, add --recapture, or record it under another "
            "--id\n",
        ),
        (
            ["source", "add", ARTICLE, "--title", "Other"],
            f"plandiff: source '{LEDGER}' already exists with different metadata (title 'Arden "
            "delegations agree revised water-sharing plan' → 'Other'); to replace it with this "
            "capture and re-anchor the 2 quote(s) citing it, add --recapture, or record it under "
            "another --id\n",
        ),
        (
            ["source", "add", ARTICLE, "--id", "../x"],
            "plandiff: invalid source id '../x': use letters, digits, '.', '_' and '-', starting "
            "with a letter or digit, at most 128 characters\n",
        ),
        (["source", "add", ARTICLE, "--force"], None),
        (["source", "add", ARTICLE, ARTICLE, "--id", "x"], None),
        (["source", "add", ARTICLE, "--published", "14/03/2031"], None),
    ],
)
def test_source_add_refusals(reg: Path, args: list[str], message: str | None) -> None:
    err = refused(reg, *args)
    if message is not None:
        assert err == message
    else:  # usage errors: click's own message
        usage_error(err, "source add")


def test_source_add_refuses_text_it_cannot_read(reg: Path, tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes(b"caf\xe9\n")
    (tmp_path / "empty.html").write_bytes(b"<html><body> </body></html>")
    assert refused(reg, "source", "add", str(tmp_path / "latin.txt")) == (
        "plandiff: 'latin.txt': not UTF-8 (byte 3: b'\\xe9')\n"
    )
    assert refused(reg, "source", "add", str(tmp_path / "empty.html")) == (
        "plandiff: 'empty.html': no article text found in this HTML page\n"
    )
    # one bad file among several: none is added
    assert refused(reg, "source", "add", ARTICLE, str(tmp_path / "latin.txt")).startswith(
        "plandiff: 'latin.txt'"
    )


def test_source_add_refuses_another_sources_file(reg: Path, tmp_path: Path) -> None:
    (tmp_path / "crlf.txt").write_bytes(b"Windows text\r\n")
    run(reg, "source", "add", str(tmp_path / "crlf.txt"))
    (tmp_path / "other.txt").write_bytes(b"Other\n")
    assert refused(reg, "source", "add", str(tmp_path / "other.txt"), "--id", "crlf.orig") == (
        "plandiff: source 'crlf.orig' would write 'sources/crlf.orig.txt', which belongs to "
        "source 'crlf'; choose another --id\n"
    )


def test_source_add_too_big(reg: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDIFF_MAX_SOURCE_BYTES", "100")
    err = refused(reg, "source", "add", ARTICLE)
    assert err.startswith(f"plandiff: '{ARTICLE}': ")
    assert "bytes, over the limit of 100 (PLANDIFF_MAX_SOURCE_BYTES raises it)" in err


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal_and_for_several_files() -> None:
    files = [ARTICLE, str(FIXTURES / "draft-10.txt")]
    terminal = _Terminal()
    captures = read_all(files, "auto", stream=terminal)
    assert [c.name for c in captures] == [f"{LEDGER}.html", "draft-10.txt"]
    assert "2/2" in terminal.getvalue()
    quiet = _Terminal()
    read_all(files[:1], "auto", stream=quiet)
    assert quiet.getvalue() == ""
    piped = io.StringIO()
    read_all(files, "auto", stream=piped)
    assert piped.getvalue() == ""


# --------------------------------------------------------------------------- version add


def test_version_add_outputs(reg: Path) -> None:
    result = run(
        reg,
        "version",
        "add",
        "assembly-8",
        "--title",
        "As voted",
        "--declared-points",
        "8",
        "--date",
        "2031-04-10",
        "--derived-from",
        "revised-8",
        "--issuer",
        "Assembly",
        "--issuer",
        "Council",
        "--party",
        "Upper",
        "--note",
        "Vote pending.",
    )
    assert result.stdout == "added version 'assembly-8' (partial, no points yet)\n"
    toml = (reg / "versions" / "assembly-8.toml").read_text()
    assert 'issuer = [\n    "Assembly",\n    "Council",\n]' in toml
    assert 'completeness = "partial"' in toml
    assert "declared_points = 8\ndate = 2031-04-10\n" in toml


def test_version_add_from_text(template: Path) -> None:
    toml = (template / "versions" / "draft-10.toml").read_text()
    assert 'completeness = "full"\ntext_source = "draft-10"' in toml
    assert toml.count("[[points]]") == 10


def test_version_add_from_text_warns_on_stderr(reg: Path, tmp_path: Path) -> None:
    (tmp_path / "gap.txt").write_text("1. One.\n3. Three.\n")
    result = invoke(
        "--registry",
        str(reg),
        "version",
        "add",
        "gap",
        "--title",
        "Gap",
        "--from-text",
        str(tmp_path / "gap.txt"),
    )
    assert result.exit_code == 0
    assert result.stdout == (
        "added source 'gap' (sources/gap.txt, 'Gap')\nadded version 'gap' (full, 2 point(s))\n"
    )
    assert result.stderr.startswith("plandiff: warning: 'gap.txt': ")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["version", "add", "draft-10", "--title", "T"],
            "plandiff: version 'draft-10' already exists (versions/draft-10.toml)\n",
        ),
        (
            ["version", "add", "v", "--title", "T", "--derived-from", "draft-1"],
            "plandiff: unknown version 'draft-1'; did you mean 'draft-10'?\n",
        ),
        (
            ["version", "add", "v w", "--title", "T"],
            "plandiff: invalid version id 'v w': use letters, digits, '.', '_' and '-', starting "
            "with a letter or digit, at most 128 characters\n",
        ),
        (
            ["version", "add", "v", "--title", "T", "--from-text", ARTICLE],
            f"plandiff: no numbered or bulleted points found in '{LEDGER}.html'; record a partial "
            "version without --from-text and add its points with 'plandiff point add'\n",
        ),
        (
            [
                "version",
                "add",
                "v",
                "--title",
                "T",
                "--from-text",
                str(FIXTURES / "revised-8.txt"),
                "--source-id",
                "draft-10",
            ],
            "plandiff: source 'draft-10' already exists with a different text; give this plan "
            "text its own id with --source-id, or replace that source first with 'plandiff "
            "source add FILE --id draft-10 --recapture'\n",
        ),
        (
            ["version", "add", "v", "--title", "T", "--from-text", "missing.txt"],
            "plandiff: 'missing.txt': no such file\n",
        ),
        (["version", "add", "v"], None),
        (["version", "add", "v", "--title", "T", "--source-id", "x"], None),
    ],
)
def test_version_add_refusals(reg: Path, args: list[str], message: str | None) -> None:
    err = refused(reg, *args)
    if message is not None:
        assert err == message
    else:
        usage_error(err, "version add")


# --------------------------------------------------------------------------- point


def test_point_add_edit_remove(reg: Path) -> None:
    result = run(
        reg,
        "point",
        "add",
        "reported-8",
        "--summary",
        "Releases rise to 45 m³/s.",
        "--number",
        "2",
        "--topic",
        "water",
        "--topic",
        "dams",
        "--quote",
        "rise from 40 to 45 cubic metres per second",
        "--source",
        LEDGER,
        "--occurrence",
        "0",
        "--quote",
        "Province",
        "--occurrence",
        "2",
        "--source",
        LEDGER,
    )
    assert result.stdout == "added point reported-8:releases-rise-45-m3 with 2 quote(s)\n"
    result = run(
        reg,
        "point",
        "edit",
        "reported-8",
        "releases-rise-45-m3",
        "--key",
        "releases",
        "--drop-quote",
        "2",
        "--no-number",
        "--topic",
        "",
    )
    assert result.stdout == "edited point reported-8:releases (key, number, topics, evidence)\n"
    result = run(reg, "point", "remove", "reported-8", "releases")
    assert result.stdout == "removed point reported-8:releases\n"
    assert "releases" not in (reg / "versions" / "reported-8.toml").read_text()


def test_point_add_with_occurrence_zero_for_unique_quotes(reg: Path) -> None:
    result = run(
        reg,
        "point",
        "add",
        "reported-8",
        "--summary",
        "S",
        "--key",
        "s",
        "--quote",
        "Summer releases",
        "--occurrence",
        "0",
        "--quote",
        "Province",
        "--occurrence",
        "1",
        "--source",
        LEDGER,
    )
    assert result.stdout == "added point reported-8:s with 2 quote(s)\n"


def test_point_add_ambiguous_quote_shows_candidates(reg: Path) -> None:
    err = refused(
        reg,
        "point",
        "add",
        "reported-8",
        "--summary",
        "S",
        "--quote",
        "Province",
        "--source",
        LEDGER,
    )
    assert err == (
        f"plandiff: quote 'Province' occurs 2 times in source '{LEDGER}'; pick one with "
        "--occurrence N, or quote more words so that it occurs once\n"
        "plandiff:   --occurrence 1: at 496..504: …intly instead of by the Upper [Province] "
        'alone.⏎"We kept everything th…\n'
        "plandiff:   --occurrence 2: at 602..610: …Ilse Varga, who led the Lower [Province] "
        "delegation.⏎The plan now goes…\n"
    )


def test_point_add_absent_quote_shows_the_closest(reg: Path) -> None:
    err = refused(
        reg,
        "point",
        "add",
        "reported-8",
        "--summary",
        "S",
        "--quote",
        "the dam would be inspected jointly",
        "--source",
        LEDGER,
    )
    assert err == (
        "plandiff: quote 'the dam would be inspected jointly' not found in source "
        f"'{LEDGER}'; copy the quote exactly as the stored text has it (spacing, quotation "
        f"marks, dashes); 'plandiff show {LEDGER}' prints that text\n"
        "plandiff:   closest: at 438..471 (91% similar): … cubic metres per second, and "
        "[the dam will be inspected jointly] instead of by the Upper Provi…\n"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["point", "add", "reported", "--summary", "S", "--quote", "Summer", "--source", LEDGER],
            "plandiff: unknown version 'reported'; did you mean 'reported-8'?\n",
        ),
        (
            [
                "point",
                "add",
                "reported-8",
                "--summary",
                "S",
                "--quote",
                "Summer",
                "--source",
                "ledger",
            ],
            f"plandiff: unknown source 'ledger'; did you mean '{LEDGER}'?\n",
        ),
        (
            ["point", "add", "reported-8", "--quote", "Summer", "--source", LEDGER],
            "plandiff: a point needs --summary (what reporting says it contains) or --text (its "
            "verbatim wording)\n",
        ),
        (
            ["point", "add", "reported-8", "--summary", "S", "--quote", "Summer"],
            "plandiff: each --quote needs the --source (a source id) it is taken from\n",
        ),
        (
            [
                "point",
                "add",
                "reported-8",
                "--summary",
                "S",
                "--key",
                "dam-inspected-jointly",
                "--quote",
                "Summer",
                "--source",
                LEDGER,
            ],
            "plandiff: point 'reported-8:dam-inspected-jointly' already exists; choose another "
            "--key, or change it with 'plandiff point edit'\n",
        ),
        (
            [
                "point",
                "add",
                "reported-8",
                "--summary",
                "S",
                "--quote",
                "Summer",
                "--quote",
                "x",
                "--quote",
                "y",
                "--source",
                LEDGER,
                "--source",
                LEDGER,
            ],
            "plandiff: 3 --quote but 2 --source: give one --source for all quotes, or one per "
            "quote in the same order\n",
        ),
        (
            [
                "point",
                "add",
                "reported-8",
                "--summary",
                "S",
                "--quote",
                "Province",
                "--occurrence",
                "3",
                "--source",
                LEDGER,
            ],
            None,
        ),
        (["point", "add", "reported-8", "--summary", "S"], None),
        (
            ["point", "edit", "reported-8", "dam-inspected-jointly"],
            None,
        ),
        (
            ["point", "edit", "reported-8", "dam-inspected-jointly", "--drop-quote", "1"],
            "plandiff: point 'reported-8:dam-inspected-jointly' would have no evidence left; add "
            "a --quote with its --source, or remove the point\n",
        ),
        (
            ["point", "edit", "draft-10", "p1", "--key", "p2"],
            "plandiff: point 'draft-10:p2' already exists\n",
        ),
        (
            ["point", "edit", "draft-10", "p11", "--summary", "x"],
            "plandiff: unknown point in version 'draft-10': 'p11'; did you mean 'p1', 'p10'?\n",
        ),
        (
            ["point", "remove", "draft-10", "p5"],
            "plandiff: point 'draft-10:p5' is used by the relation merged draft-10:p4,p5 → "
            "revised-8:p4 (versions/revised-8.toml relations[0]); remove that first with "
            "'plandiff relate draft-10:p4,p5 revised-8:p4 --remove'\n",
        ),
        (
            ["point", "remove", "revised-8", "p4"],
            "plandiff: point 'revised-8:p4' is used by the relation merged draft-10:p4,p5 → "
            "revised-8:p4 (versions/revised-8.toml relations[0]); remove that first with "
            "'plandiff relate draft-10:p4,p5 revised-8:p4 --remove'\n",
        ),
    ],
)
def test_point_refusals(reg: Path, args: list[str], message: str | None) -> None:
    err = refused(reg, *args)
    if message is not None:
        assert err == message
    elif "--occurrence" in args:
        assert err.startswith("plandiff: quote 'Province' occurs 2 time(s) in source ")
        assert "--occurrence 3 does not exist" in err.splitlines()[0]
    else:
        usage_error(err, f"point {args[1]}")


# --------------------------------------------------------------------------- relate and event


def test_relate_and_remove(reg: Path) -> None:
    result = run(
        reg,
        "relate",
        "draft-10:p6",
        "revised-8:p5",
        "--as",
        "reworded",
        "--quote",
        "the dam will be inspected jointly",
        "--source",
        LEDGER,
        "--note",
        "Inspection becomes joint.",
    )
    assert result.stdout == "related reworded draft-10:p6 → revised-8:p5\n"
    result = run(
        reg,
        "relate",
        "draft-10:p9",
        "revised-8",
        "--as",
        "dropped",
        "--quote",
        "drops the proposal for a joint fishing authority",
        "--source",
        LEDGER,
    )
    assert result.stdout == "related dropped draft-10:p9 → revised-8\n"
    result = run(reg, "relate", "draft-10:p6", "revised-8:p5", "--remove")
    assert result.stdout == "removed relation reworded draft-10:p6 → revised-8:p5\n"
    toml = (reg / "versions" / "revised-8.toml").read_text()
    assert toml.count("[[relations]]") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["relate", "revised-8:p1", "draft-10:p1", "--as", "reworded"],
            "plandiff: version 'revised-8' derives from 'draft-10': give the older version's "
            "points first (draft-10:… revised-8:…)\n",
        ),
        (
            ["relate", "revised-8:p1", "reported-8:dam-inspected-jointly", "--as", "reworded"],
            "plandiff: version 'reported-8' does not derive from 'revised-8' (it derives from "
            "'draft-10'); a relation links a version to the one it was derived from (see "
            "'plandiff version add --derived-from')\n",
        ),
        (
            ["relate", "draft-10:p9", "revised-8:p1", "--as", "dropped"],
            "plandiff: 'dropped' takes old points and the new version without a point, e.g. "
            "us-28:a geneva-19; got 1 old → 1 new\n",
        ),
        (
            ["relate", "draft-10:p9", "revised-8:p1", "--as", "merged"],
            "plandiff: 'merged' takes two or more old points and one new point, e.g. us-28:a,b "
            "geneva-19:c; got 1 old → 1 new\n",
        ),
        (
            ["relate", "draft-10:p99", "revised-8:p1", "--as", "reworded"],
            "plandiff: unknown point 'draft-10:p99'; did you mean 'draft-10:p9', 'draft-10:p8', "
            "'draft-10:p7'?\n",
        ),
        (
            ["relate", "draft-10:p5", "revised-8:p1", "--as", "reworded"],
            "plandiff: draft-10:p5 already in the relation merged draft-10:p4,p5 → revised-8:p4 "
            "(versions/revised-8.toml relations[0]); when sources disagree on what happened, "
            "keep the claim best supported and add the other quotes to it with --stance "
            "contradict, or remove it first with 'plandiff relate draft-10:p4,p5 revised-8:p4 "
            "--remove'\n",
        ),
        (
            ["relate", "draft-10:p1"],
            "plandiff: a relation links points of two versions: give OLD_VERSION:POINT... then "
            "NEW_VERSION:POINT... (a bare NEW_VERSION for 'dropped' or 'deferred'), not 1 "
            "version(s)\n",
        ),
        (
            ["relate", "draft-10:p1", "revised-8:p1", "--remove"],
            "plandiff: no relation of version 'revised-8' links these points (it has: merged "
            "draft-10:p4,p5 → revised-8:p4)\n",
        ),
        (["relate", "draft-10:p1", "revised-8:p1"], None),
        (["relate", "draft-10:p1", "revised-8:p1", "--as", "reworded"], None),
        (["relate", "draft-10:p1", "revised-8:p1", "--as", "renamed"], None),
    ],
)
def test_relate_refusals(reg: Path, args: list[str], message: str | None) -> None:
    evidence = ["--quote", "Summer releases", "--source", LEDGER]
    needs_evidence = "--as" in args and message is not None
    err = refused(reg, *args, *(evidence if needs_evidence else []))
    if message is not None:
        assert err == message
    else:
        usage_error(err, "relate")


def test_event_add(reg: Path) -> None:
    result = run(
        reg,
        "event",
        "add",
        "revised-8",
        "--date",
        "2031-03-13",
        "--what",
        "The delegations agree the revised plan.",
        "--quote",
        "agreed on Thursday to a revised water-sharing plan",
        "--source",
        LEDGER,
    )
    assert result.stdout == "added event 2031-03-13 to version revised-8\n"
    toml = (reg / "versions" / "revised-8.toml").read_text()
    assert '[[events]]\ndate = 2031-03-13\nwhat = "The delegations agree the revised plan."' in toml


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            [
                "event",
                "add",
                "revised-8",
                "--date",
                "2031-03-13",
                "--what",
                "x",
                "--quote",
                "agreed on Friday",
                "--source",
                LEDGER,
            ],
            f"plandiff: quote 'agreed on Friday' not found in source '{LEDGER}'; copy the quote "
            "exactly as the stored text has it (spacing, quotation marks, dashes); 'plandiff "
            f"show {LEDGER}' prints that text\n"
            "plandiff:   closest: at 92..110 (75% similar): … from the two Arden provinces "
            "[agreed on Thursday] to a revised water-sharing pl…\n",
        ),
        (["event", "add", "revised-8", "--date", "2031-03-13", "--what", "x"], None),
        (
            [
                "event",
                "add",
                "revised-8",
                "--date",
                "13 March",
                "--what",
                "x",
                "--quote",
                "a",
                "--source",
                LEDGER,
            ],
            None,
        ),
    ],
)
def test_event_refusals(reg: Path, args: list[str], message: str | None) -> None:
    err = refused(reg, *args)
    if message is not None:
        assert err == message
    else:
        usage_error(err, "event add")


# --------------------------------------------------------------------------- where writes go


WRITES = [
    ["source", "add", ARTICLE],
    ["version", "add", "v", "--title", "T"],
    ["point", "add", "us-28", "--summary", "S", "--quote", "Rubio", "--source", "x"],
    ["point", "edit", "us-28", "territory", "--summary", "S"],
    ["point", "remove", "us-28", "territory"],
    [
        "relate",
        "us-28:territory",
        "geneva-19:territory",
        "--as",
        "reworded",
        "--quote",
        "q",
        "--source",
        "x",
    ],
    [
        "event",
        "add",
        "us-28",
        "--date",
        "2025-11-20",
        "--what",
        "w",
        "--quote",
        "q",
        "--source",
        "x",
    ],
]


@pytest.mark.parametrize("args", WRITES, ids=lambda a: " ".join(a[:2]))
def test_bundled_registry_is_not_changed_by_default(args: list[str]) -> None:
    bundled = store.bundled_registry_path()
    before = snapshot(bundled)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr == (
        f"plandiff: refusing to change the bundled registry ({bundled}), which ships with "
        "plandiff; create your own with 'plandiff init DIR' and select it with '--registry "
        f"DIR' (or PLANDIFF_REGISTRY=DIR), or pass '--registry {bundled}' to change it on "
        "purpose\n"
    )
    assert snapshot(bundled) == before


def test_a_directory_that_is_no_registry_gets_no_lock_file(tmp_path: Path) -> None:
    result = invoke("--registry", str(tmp_path), "version", "add", "v", "--title", "T")
    assert result.exit_code == 2
    assert result.stderr == (
        f"plandiff: {tmp_path}: not a plandiff registry (no plandiff.toml; see 'plandiff init')\n"
    )
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- concurrent writers


def test_two_processes_adding_points_both_land(reg: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    env.pop(store.ENV_REGISTRY, None)
    quotes = {"one": "Summer releases at the Orsk dam", "two": "said Ilse Varga"}
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "plandiff",
                "--registry",
                str(reg),
                "point",
                "add",
                "reported-8",
                "--key",
                key,
                "--summary",
                key,
                "--quote",
                quote,
                "--source",
                LEDGER,
            ],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for key, quote in quotes.items()
    ]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    version = store.load_registry(reg).version("reported-8")
    assert version is not None
    assert {"one", "two"} <= {p.key for p in version.points}


def test_threads_adding_points_all_land(reg: Path) -> None:
    errors: list[BaseException] = []

    def add(n: int) -> None:
        try:
            transact(
                reg,
                lambda r: add_point(
                    r,
                    "reported-8",
                    key=f"t{n}",
                    summary=f"Point {n}",
                    quotes=(QuoteRef(LEDGER, "Summer releases"),),
                ),
            )
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    version = store.load_registry(reg).version("reported-8")
    assert version is not None
    assert {f"t{n}" for n in range(8)} <= {p.key for p in version.points}
    assert not (reg / store.TXN_DIR).exists()
