"""Hostile input found by a red-team pass after the second hardening round (issue 18).

Each test reproduces one attack as found (a hand-edited registry, a crafted archive, a careless
command) and checks the outcome the README promises: one line naming the file, the field and
the value, exit status 2, nothing written, and no super-linear work on small input.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from plandiff import xmlarchive
from plandiff.cli import Env, cli
from plandiff.xmlarchive.schema import c14n_digest
from tests.helpers import copy_seeds, snapshot

GENEVA = "versions/geneva-19.toml"
US = "versions/us-28.toml"
SRC4 = "sources/004_6478cbe8c4d60a5a.toml"
ARCHIVE_NS = "{urn:plandiff:archive:1}"


def run(*args: str, registry: Path | None = None) -> Result:
    head = ["--registry", str(registry)] if registry is not None else []
    env = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run"}
    return CliRunner().invoke(cli, [*head, *args], obj=Env(width=100, color=False), env=env)


def refused(result: Result, *lines: str) -> None:
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stderr.splitlines() == list(lines), result.stderr
    assert result.stdout == ""


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path)


def readers_refuse(root: Path, *lines: str) -> None:
    before = snapshot(root)
    for args in (["verify"], ["versions"], ["diff", "us-28", "geneva-19"]):
        refused(run(*args, registry=root), *(f"plandiff: {line}" for line in lines))
        assert snapshot(root) == before, args


# --------------------------------------------------------------------------- ids and case


def test_recording_a_version_whose_id_differs_only_in_case_is_refused(reg: Path) -> None:
    # Found: 'version add Geneva-19' beside geneva-19 wrote versions/Geneva-19.toml, which on
    # macOS and Windows (a registry shared through git) is the file of geneva-19, overwritten.
    before = snapshot(reg)
    refused(
        run("version", "add", "Geneva-19", "--title", "X", registry=reg),
        "plandiff: versions/Geneva-19.toml: id: version id 'Geneva-19' differs from "
        "'geneva-19' only in case; their files would be one file on macOS and Windows",
    )
    assert snapshot(reg) == before


def test_a_registry_with_ids_that_differ_only_in_case_is_refused(reg: Path) -> None:
    text = (reg / US).read_text(encoding="utf-8").replace('id = "us-28"', 'id = "US-28"')
    (reg / "versions/US-28.toml").write_text(text, encoding="utf-8")
    readers_refuse(
        reg,
        "versions/us-28.toml: id: version id 'us-28' differs from 'US-28' only in case; "
        "their files would be one file on macOS and Windows",
    )


def test_an_archive_with_ids_that_differ_only_in_case_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "a.xml"
    assert run("export", "--created", "2025-11-26T12:00:00Z", "-o", str(archive)).exit_code == 0
    root = etree.fromstring(archive.read_bytes())
    versions = root.find(f"{ARCHIVE_NS}registry/{ARCHIVE_NS}versions")
    assert versions is not None
    twin = etree.fromstring(etree.tostring(versions[0]))
    twin.set("id", twin.get("id", "").upper())
    versions.append(twin)
    registry_el = root.find(f"{ARCHIVE_NS}registry")
    root.find(f"{ARCHIVE_NS}digest").text = c14n_digest(registry_el)  # type: ignore[union-attr]
    archive.write_bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))
    result = run("import", str(archive), "--into", str(tmp_path / "r"))
    assert result.exit_code == 2
    original, upper = versions[0].get("id"), twin.get("id")
    [line] = result.stderr.splitlines()
    assert re.fullmatch(
        rf"plandiff: {re.escape(str(archive))}:\d+: version '{upper}': id: version id "
        rf"'{upper}' differs from '{original}' only in case; their files would be one file on "
        "macOS and Windows",
        line,
    ), line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


# --------------------------------------------------------------------------- strict types


@pytest.mark.parametrize(
    ("rel", "old", "new", "line"),
    [
        (GENEVA, "date = 2025-11-24", 'date = "2025-11-24"',
         "versions/geneva-19.toml: date: text where a date belongs (got '2025-11-24'); "
         "write the date unquoted"),
        (SRC4, 'outlet = "UNN"', 'outlet = "UNN"\npublished = "2025-11-25"',
         "sources/004_6478cbe8c4d60a5a.toml: published: text where a date belongs "
         "(got '2025-11-25'); write the date unquoted"),
        (GENEVA, "date = 2025-11-23", 'date = "2025-11-23"',
         "versions/geneva-19.toml: events[0].date: text where a date belongs "
         "(got '2025-11-23'); write the date unquoted"),
    ],
    ids=["version date", "source published", "event date"],
)  # fmt: skip
def test_text_where_a_date_belongs_is_refused_not_converted(
    reg: Path, rel: str, old: str, new: str, line: str
) -> None:
    # Found: the README promises strict types, and the reverse (a date where text belongs) was
    # refused, but a quoted date was silently read as a date.
    edit(reg, rel, old, new)
    readers_refuse(reg, line)


@pytest.mark.parametrize("value", ["1.0", "true", '"1"'])
def test_registry_format_must_be_the_integer_1(reg: Path, value: str) -> None:
    # Found: 'format = 1.0' and 'format = true' passed, as 1.0 == True == 1 in Python.
    (reg / "plandiff.toml").write_text(f"format = {value}\n", encoding="utf-8")
    shown = {"1.0": "'1.0'", "true": "'True'", '"1"': "'1'"}[value]
    readers_refuse(reg, f"plandiff.toml: format: unsupported registry format {shown}")


@pytest.mark.parametrize("folder", ["versions", "sources"])
def test_a_record_folder_that_is_a_file_is_refused(reg: Path, folder: str) -> None:
    # Found: a file named 'versions' made verify print 'ok: 0 version(s)'.
    shutil.rmtree(reg / folder)
    (reg / folder).write_text("not a folder\n", encoding="utf-8")
    result = run("verify", registry=reg)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"plandiff: {folder}: not a directory"


# --------------------------------------------------------------------------- archives


def test_an_archive_element_with_many_attributes_is_one_line(tmp_path: Path) -> None:
    # Found: 100,000 attributes (1.1 MB) printed 100,000 schema errors (14 MB) after 4-6 s.
    archive = tmp_path / "a.xml"
    assert run("export", "--created", "2025-11-26T12:00:00Z", "-o", str(archive)).exit_code == 0
    attributes = b" ".join(b'a%d="1"' % i for i in range(100_000))
    data = archive.read_bytes().replace(b"<archive xmlns", b"<archive " + attributes + b" xmlns")
    archive.write_bytes(data)
    refused(
        run("import", str(archive), "--into", str(tmp_path / "r")),
        f"plandiff: {archive}:2: element with 100000 attributes, over the limit of 32",
    )


def test_an_archive_with_many_problems_lists_the_first_and_counts_the_rest() -> None:
    problems = xmlarchive.ArchiveProblems(
        xmlarchive.ArchiveProblem(n, f"problem {n}") for n in range(1, 1001)
    )
    lines = problems.lines("a.xml")
    assert len(lines) == xmlarchive.MAX_LISTED + 1
    assert lines[0] == "a.xml:1: problem 1"
    assert lines[-1] == "a.xml: … and 950 more problems"


# --------------------------------------------------------------------------- failed writes


@pytest.mark.parametrize("at_call", [1, 3], ids=["staging a file", "writing the manifest"])
def test_a_full_disk_leaves_no_journal_and_readers_go_on(
    reg: Path, monkeypatch: pytest.MonkeyPatch, at_call: int
) -> None:
    # Found: a write that hit 'No space left on device' while staging left .plandiff-txn/
    # behind, and every command that only reads then refused the registry ("an interrupted
    # write is pending") until someone ran a writing command.
    before = snapshot(reg)
    real_fsync = os.fsync
    calls = 0

    def full_disk(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == at_call:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    result = run("version", "add", "new-1", "--title", "New", registry=reg)
    monkeypatch.setattr(os, "fsync", real_fsync)
    refused(result, f"plandiff: {reg}: cannot write: No space left on device; nothing was changed")
    assert snapshot(reg) == before
    assert not (reg / ".plandiff-txn").exists()
    assert run("versions", registry=reg).exit_code == 0


# --------------------------------------------------------------------------- 64-bit integers


def test_a_declared_count_beyond_64_bits_is_refused_not_written(reg: Path) -> None:
    # Found: --declared-points 99999999999999999999999999 was written to the version's TOML,
    # which other TOML readers must refuse (TOML integers are 64-bit), and verify passed.
    before = snapshot(reg)
    refused(
        run(
            "version", "add", "v2", "--title", "V",
            "--declared-points", "99999999999999999999999999", registry=reg,
        ),
        "plandiff: version 'v2': declared_points: Input should be less than or equal to "
        "9223372036854775807 (got '99999999999999999999999999')",
    )  # fmt: skip
    assert snapshot(reg) == before


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("declared_points = 19", "declared_points = 9223372036854775808", "declared_points"),
        ("[[points]]\n", "[[points]]\nnumber = 99999999999999999999\n", "points[0].number"),
    ],
    ids=["declared_points", "a point's number"],
)
def test_a_hand_edited_integer_beyond_64_bits_is_refused(
    reg: Path, old: str, new: str, field: str
) -> None:
    rel = GENEVA if "declared" in old else US
    edit(reg, rel, old, new)
    value = new.split(" = ")[-1].strip()
    readers_refuse(
        reg,
        f"{rel}: {field}: Input should be less than or equal to 9223372036854775807 "
        f"(got '{value}')",
    )


# --------------------------------------------------------------------------- terminal escapes


def test_a_registry_path_with_escape_sequences_is_shown_inert(tmp_path: Path) -> None:
    # Found: errors showed such a path escaped, but 'init', 'import' and 'verify' echoed it raw,
    # so a directory name could clear the screen or retitle the terminal.
    name = "r\x1b]0;owned\x07\x1b[2J"
    target = tmp_path / name
    shown = str(tmp_path) + "/r\\x1b]0;owned\\x07\\x1b[2J"
    result = run("init", str(target))
    assert (result.exit_code, result.stdout) == (
        0,
        f"initialised empty plandiff registry in {shown}\n",
    )
    result = run("verify", registry=target)
    assert result.stdout == f"ok: 0 version(s), 0 source(s), 0 anchor(s) verified in {shown}\n"
    archive = tmp_path / "a.xml"
    assert run("export", "-o", str(archive)).exit_code == 0
    result = run("import", str(archive), "--into", str(target), "--force")
    assert result.stdout == f"imported 2 version(s) and 2 source(s) into {shown}\n"
    assert "\x1b" not in result.output


# --------------------------------------------------------------------------- symlinks inside


@pytest.mark.parametrize(
    ("target", "why"),
    [
        (US, f"path '{US}' is where the registry keeps its own files"),
        (".git/config", "path '.git/config' names a hidden file, which a registry never reads"),
    ],
    ids=["a version file", "a hidden file"],
)
def test_a_source_text_symlinked_to_a_file_its_path_could_not_name_is_refused(
    reg: Path, target: str, why: str
) -> None:
    # Found: a source whose path is a symlink (inside the registry) to versions/us-28.toml or to
    # .git/config verified, with the digest of that file: the rule on a source's path was
    # checked on the link's name only, and 'export' would put .git/config in the archive.
    (reg / ".git").mkdir()
    (reg / ".git/config").write_text("[remote]\n\turl = https://user:secret@example.org/x\n")
    (reg / "link.txt").symlink_to(target)
    digest = hashlib.sha256((reg / target).read_bytes()).hexdigest()
    (reg / "sources/linked.toml").write_text(
        f'id = "linked"\npath = "link.txt"\nsha256 = "{digest}"\n', encoding="utf-8"
    )
    readers_refuse(
        reg,
        f"sources/linked.toml: path: text file 'link.txt' is a symlink to '{target}': {why}",
    )


# --------------------------------------------------------------------------- anchors


def test_checking_unlocated_anchors_of_a_very_common_quote_is_bounded(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from plandiff import anchors
    from plandiff.models import Anchor

    text = "the same words again " * 20_000
    scored = 0
    real = anchors._context_score

    def counting(*args: object) -> int:
        nonlocal scored
        scored += 1
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(anchors, "_context_score", counting)
    anchor = Anchor(source="s", quote="the same words again the same", prefix="again ")
    for _ in range(10):
        assert anchors.check(anchor, text) is not None  # ambiguous: 19,999 occurrences
    # Work per anchor bounded by a constant, not by how often the quote occurs.
    assert scored <= 10 * 1_000, scored


def test_a_quote_repeated_past_the_limit_is_placed_by_its_whole_context_or_refused() -> None:
    """Thousands of copies of one quote: the copy with the whole recorded context around it is
    found by searching for that context; without one, the quote is refused in one line."""
    from plandiff import anchors
    from plandiff.errors import QuoteError
    from plandiff.models import Anchor

    copies = anchors.MAX_CANDIDATES * 3
    text = "".join(
        f"the same words again {'(marked) ' if i == 2_345 else ''}" for i in range(copies)
    )
    quote = "the same words again"
    marked = text.index("(marked) ") + len("(marked) ")
    placed = anchors.create_anchor("s", text, quote, prefix="(marked) ", suffix=" the same")
    assert (placed.start, placed.end) == (marked, marked + len(quote))
    assert anchors.check(Anchor(source="s", quote=quote, prefix="(marked) "), text) is None
    assert anchors.check(Anchor(source="s", quote=quote, prefix="(unmarked) "), text) == (
        f"quote {quote!r} is ambiguous in source 's': more than 1,000 occurrences; add offsets "
        "or a longer quote"
    )
    with pytest.raises(QuoteError, match="occurs more than 1,000 times"):
        anchors.create_anchor("s", text, quote, prefix="(unmarked) ")
    # --occurrence still reaches any copy (copy 2,000 stands before the marked one)
    assert anchors.create_anchor("s", text, quote, occurrence=2_000).start == 21 * 1_999
