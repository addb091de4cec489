"""Bad input: every case gets one clear line, exit status 2, and leaves the registry as it was.

Users feed plandiff what they saved from the web, files edited by hand and archives from
strangers. For each kind of bad input this suite checks the exact message (one line,
``plandiff: …``; a click usage error adds the command's usage and where to find help), the exit
status, and that nothing was written (a byte snapshot of the registry before and after).

Sections: registry files (what tests/test_store.py does not cover already), source texts,
anchors, plan texts for ad-hoc diffs (fixtures/bad/plans/), the command line, recording
commands, XML archives, and untrusted text in every output (item 4 of the hardening issue).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from plandiff import anchors, store
from plandiff.cli import Env, cli
from plandiff.models import (
    Anchor,
    Completeness,
    Event,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
    Statement,
)
from tests.helpers import FIXTURES, copy_seeds, snapshot

US = "versions/us-28.toml"
GENEVA = "versions/geneva-19.toml"
SRC4 = "sources/004_6478cbe8c4d60a5a.toml"
TEXT4 = "004_6478cbe8c4d60a5a.txt"
PLANS = FIXTURES / "bad" / "plans"

#: Never raw in any output: C0 controls but tab and newline, DEL, C1 (CSI, OSC), bidi overrides,
#: embeddings and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # the colour codes rich itself writes


def run(
    *args: str,
    registry: Path | None = None,
    env: dict[str, str | None] | None = None,
    color: bool = False,
) -> Result:
    """The CLI as a user runs it, at a fixed width, no pager, colour as asked."""
    head = ["--registry", str(registry)] if registry is not None else []
    environ = {"NO_COLOR": None, "PAGER": "false-pager-should-never-run", **(env or {})}
    return CliRunner().invoke(
        cli, [*head, *args], obj=Env(width=100, color=color), env=environ, color=color
    )


def refused(result: Result, *lines: str) -> None:
    """Exit status 2, exactly these ``plandiff: …`` lines on stderr, nothing on stdout."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stderr.splitlines() == list(lines), result.stderr
    assert result.stdout == ""


#: A click usage error as plandiff prints it: message, then the command's usage and help hint.
USAGE_ERROR = re.compile(r"plandiff: (?P<message>.*) \(usage: (?P<path>cli(?: \w+)*) .*; "
                         r"see '(?P=path) --help'\)")  # fmt: skip


def usage_error(result: Result, message: str) -> None:
    """A click usage error: exit 2 and exactly one line, ``plandiff: message (usage: …)``."""
    assert result.exit_code == 2, (result.exit_code, result.output)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    match = USAGE_ERROR.fullmatch(lines[0])
    assert match and match["message"] == message, lines
    assert result.stdout == ""


def edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def rehash(root: Path, data: bytes) -> None:
    """Replace source 004's text by ``data`` and record its new hash, so only ``data`` is wrong."""
    (root / TEXT4).write_bytes(data)
    path = root / SRC4
    text = re.sub(
        r'sha256 = "[0-9a-f]+"',
        f'sha256 = "{hashlib.sha256(data).hexdigest()}"',
        path.read_text(encoding="utf-8"),
    )
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path)


def every_reader_refuses(root: Path, *lines: str, env: dict[str, str | None] | None = None) -> None:
    """verify, verify --fix, versions and diff all refuse with the same lines and write nothing."""
    before = snapshot(root)
    for args in (["verify"], ["verify", "--fix"], ["versions"], ["diff", "us-28", "geneva-19"]):
        refused(run(*args, registry=root, env=env), *lines)
        assert snapshot(root) == before, args


# --------------------------------------------------------------------------- registry files
# tests/test_store.py covers: a TOML value error, unknown field (top level and in a point),
# missing completeness, declared_points as a word, a version file duplicated, duplicate point
# keys, unknown source and version ids, a two-version cycle, a relation to an unknown old point,
# quotes not found or ambiguous, offsets out of range or off the quote, a missing text file, a
# hash mismatch, '../../etc/passwd', all problems at once, a directory that is not a registry.

Mutation = Callable[[Path], None]


def _edit(rel: str, old: str, new: str) -> Mutation:
    return lambda root: edit(root, rel, old, new)


def _write(rel: str, data: bytes | Callable[[Path], bytes]) -> Mutation:
    return lambda root: (root / rel).write_bytes(data(root) if callable(data) else data)


def _replace_with_directory(rel: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).unlink()
        (root / rel).mkdir()

    return mutate


def _third_version_cycle(root: Path) -> None:
    text = (root / GENEVA).read_text(encoding="utf-8").partition("[[relations]]")[0]
    text = text.replace('id = "geneva-19"', 'id = "third"').replace(
        'derived_from = "us-28"', 'derived_from = "geneva-19"'
    )
    (root / "versions/third.toml").write_text(text, encoding="utf-8")
    edit(root, US, 'completeness = "partial"', 'derived_from = "third"\ncompleteness = "partial"')


REGISTRY_CASES: dict[str, tuple[Mutation, list[str]]] = {
    "unterminated string": (
        _edit(US, 'title = "US 28-point peace plan"', 'title = "US 28-point peace plan'),
        ["versions/us-28.toml: TOML syntax error: Illegal character '\\n' (at line 2, column 32)"],
    ),
    "key given twice": (
        _edit(US, 'title = "US', 'title = "again"\ntitle = "US'),
        ["versions/us-28.toml: TOML syntax error: Cannot overwrite a value (at line 3, column 33)"],
    ),
    "quote with half a surrogate pair": (
        _edit(US, 'quote = "certain US guarantees"', 'quote = "certain \\ud83d guarantees"'),
        [
            "versions/us-28.toml: TOML syntax error: Escaped character is not a Unicode scalar "
            "value (at line 84, column 24)"
        ],
    ),
    "metadata file not UTF-8": (
        _write(US, lambda root: (root / US).read_bytes().replace(b"US 28", b"US \xff28")),
        ["versions/us-28.toml: cannot read: not UTF-8 (byte 25: b'\\xff')"],
    ),
    "metadata file with a NUL byte": (
        _write(US, lambda root: (root / US).read_bytes().replace(b"US 28", b"US \x0028")),
        ["versions/us-28.toml: cannot read: binary content (NUL bytes), not a text file"],
    ),
    "metadata file empty": (
        _write(US, b""),
        [
            "versions/us-28.toml: id: required field is missing",
            "versions/us-28.toml: title: required field is missing",
            "versions/us-28.toml: completeness: required field is missing",
        ],
    ),
    "metadata file is a directory": (
        _replace_with_directory(US),
        ["versions/us-28.toml: cannot read: file 'versions/us-28.toml' is not a regular file"],
    ),
    "registry format from the future": (
        _write("plandiff.toml", b"format = 2\n"),
        ["plandiff.toml: format: unsupported registry format '2'"],
    ),
    "registry marker not TOML": (
        _write("plandiff.toml", b"format = \n"),
        ["plandiff.toml: TOML syntax error: Invalid value (at line 1, column 10)"],
    ),
    "title is a number": (
        _edit(US, 'title = "US 28-point peace plan"', "title = 28"),
        ["versions/us-28.toml: title: Input should be a valid string (got '28')"],
    ),
    "date is a word": (
        _edit(US, "date = 2025-11-20", 'date = "yesterday"'),
        [
            "versions/us-28.toml: date: Input should be a valid date in the format YYYY-MM-DD, "
            "input is too short (got 'yesterday')"
        ],
    ),
    "completeness not one of the values": (
        _edit(US, 'completeness = "partial"', 'completeness = "mostly"'),
        ["versions/us-28.toml: completeness: Input should be 'full' or 'partial' (got 'mostly')"],
    ),
    "list given as a string": (
        _edit(US, 'parties = [\n    "Ukraine",\n    "Russia",\n]', 'parties = "Ukraine, Russia"'),
        ["versions/us-28.toml: parties: Input should be a valid array (got 'Ukraine, Russia')"],
    ),
    "offset with a fraction": (
        _edit(US, "start = 1382", "start = 1382.5"),
        [
            "versions/us-28.toml: points[2].evidence[0].start: Input should be a valid integer "
            "(got '1382.5')"
        ],
    ),
    "id that is a path": (
        _edit(US, 'id = "us-28"', 'id = "../evil"'),
        [
            "versions/us-28.toml: id: String should match pattern "
            "'^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$' (got '../evil')"
        ],
    ),
    "hash in upper case": (
        _edit(SRC4, 'sha256 = "9cd87fe70a9e', 'sha256 = "9CD87FE70A9E'),
        [
            "sources/004_6478cbe8c4d60a5a.toml: sha256: String should match pattern "
            "'^[0-9a-f]{64}$' (got '9CD87FE70A9E57fe76b…d4eb5007e0c504624a2')"
        ],
    ),
    "unknown field in a source": (
        _edit(SRC4, 'outlet = "UNN"', 'outlet = "UNN"\nrating = 5'),
        ["sources/004_6478cbe8c4d60a5a.toml: rating: unknown field"],
    ),
    "unknown field in an anchor": (
        _edit(US, 'quote = "certain US guarantees"', 'quote = "certain US guarantees"\npage = 3'),
        ["versions/us-28.toml: points[2].evidence[0].page: unknown field"],
    ),
    "unknown field in a relation": (
        _edit(GENEVA, 'kind = "deferred"', 'kind = "deferred"\nconfidence = "high"'),
        ["versions/geneva-19.toml: relations[0].confidence: unknown field"],
    ),
    "source without its path": (
        _edit(SRC4, 'path = "004_6478cbe8c4d60a5a.txt"\n', ""),
        ["sources/004_6478cbe8c4d60a5a.toml: path: required field is missing"],
    ),
    "anchor without its quote": (
        _edit(US, 'quote = "certain US guarantees"\n', ""),
        ["versions/us-28.toml: points[2].evidence[0].quote: required field is missing"],
    ),
    "point with neither text nor summary": (
        _edit(US, 'summary = "Territorial concessions."\n', ""),
        ["versions/us-28.toml: points[0]: Value error, a point needs its text or a summary"],
    ),
    "source id given twice": (
        lambda root: shutil.copy(root / SRC4, root / "sources/copy.toml"),
        [
            "sources/copy.toml: id: duplicate id '004_6478cbe8c4d60a5a' "
            "(also in sources/004_6478cbe8c4d60a5a.toml)"
        ],
    ),
    "version derived from itself": (
        _edit(US, 'completeness = "partial"', 'derived_from = "us-28"\ncompleteness = "partial"'),
        ["versions/us-28.toml: derived_from: cycle: us-28 → us-28"],
    ),
    "three-version cycle": (
        _third_version_cycle,
        [
            "versions/geneva-19.toml: derived_from: cycle: geneva-19 → us-28 → third → geneva-19",
            "versions/third.toml: derived_from: cycle: third → geneva-19 → us-28 → third",
            "versions/us-28.toml: derived_from: cycle: us-28 → third → geneva-19 → us-28",
        ],
    ),
    "relation to an unknown old point": (
        _edit(GENEVA, 'old = [\n    "territory",', 'old = [\n    "borders",'),
        ["versions/geneva-19.toml: relations[0].old: unknown point 'borders' in version 'us-28'"],
    ),
    "relation of an unknown kind": (
        _edit(GENEVA, 'kind = "deferred"', 'kind = "postponed"'),
        [
            "versions/geneva-19.toml: relations[0].kind: Input should be 'reworded', 'merged', "
            "'split', 'dropped' or 'deferred' (got 'postponed')"
        ],
    ),
    "who decides on a relation that is not deferred": (
        _edit(GENEVA, 'kind = "deferred"', 'kind = "dropped"'),
        [
            "versions/geneva-19.toml: relations[0]: Value error, decided_by is only for a "
            "'deferred' relation, not 'dropped'"
        ],
    ),
    "relation without a parent version": (
        _edit(GENEVA, 'derived_from = "us-28"\n', ""),
        ["versions/geneva-19.toml: relations[0]: relations need 'derived_from' to be set"],
    ),
    "relation of the wrong arity": (
        _edit(GENEVA, 'kind = "deferred"', 'kind = "merged"'),
        [
            "versions/geneva-19.toml: relations[0]: Value error, a 'merged' relation takes two or "
            "more old points and one new point, not 1 → 0"
        ],
    ),
    "text source that does not exist": (
        _edit(US, 'completeness = "partial"', 'text_source = "nowhere"\ncompleteness = "partial"'),
        ["versions/us-28.toml: text_source: unknown source 'nowhere'"],
    ),
    "statement without evidence": (
        _edit(
            US,
            'completeness = "partial"',
            'completeness = "partial"\nstatements = [{ text = "Said without a source." }]',
        ),
        ["versions/us-28.toml: statements[0].evidence: a statement needs at least one anchor"],
    ),
}


@pytest.mark.parametrize("case", sorted(REGISTRY_CASES))
def test_bad_registry_file(reg: Path, case: str) -> None:
    mutate, lines = REGISTRY_CASES[case]
    mutate(reg)
    every_reader_refuses(reg, *(f"plandiff: {line}" for line in lines))


def test_utf8_bom_in_a_metadata_file_is_accepted(reg: Path) -> None:
    (reg / US).write_bytes(b"\xef\xbb\xbf" + (reg / US).read_bytes())
    assert run("verify", registry=reg).exit_code == 0


def test_a_quoted_number_is_refused_not_converted(reg: Path) -> None:
    # Strict types, as the README promises: TOML has typed numbers, so "1382" is a string.
    edit(reg, US, "start = 1382", 'start = "1382"')
    refused(
        run("verify", registry=reg),
        "plandiff: versions/us-28.toml: points[2].evidence[0].start: Input should be a valid "
        "integer (got '1382')",
    )


def test_a_date_where_a_string_belongs_is_refused_not_converted(reg: Path) -> None:
    edit(reg, US, 'title = "US 28-point peace plan"', "title = 2025-11-20")
    refused(
        run("verify", registry=reg),
        "plandiff: versions/us-28.toml: title: a date where text belongs (got 2025-11-20); "
        "quote it to make it text",
    )


def test_a_number_where_a_string_belongs_is_refused_not_converted(reg: Path) -> None:
    edit(reg, US, 'id = "us-28"', "id = 28")
    refused(
        run("verify", registry=reg),
        "plandiff: versions/us-28.toml: id: Input should be a valid string (got '28')",
    )


def test_registry_path_is_a_file_or_missing(tmp_path: Path) -> None:
    file = tmp_path / "plandiff.toml"
    file.write_text("format = 1\n")
    refused(run("versions", registry=file), f"plandiff: {file}: not a directory")
    refused(
        run("versions", registry=tmp_path / "nope"),
        f"plandiff: {tmp_path / 'nope'}: registry directory does not exist",
    )
    refused(
        run("versions", env={"PLANDIFF_REGISTRY": str(tmp_path / "nope")}),
        f"plandiff: {tmp_path / 'nope'}: registry directory does not exist",
    )


# --------------------------------------------------------------------------- hostile journals
# A registry received from someone else may carry a .plandiff-txn journal made by hand.


def _journal(root: Path, entries: object, staged: dict[str, bytes] | None = None) -> Path:
    txn = root / store.TXN_DIR
    txn.mkdir()
    for name, data in (staged or {}).items():
        (txn / name).write_bytes(data)
    (txn / "manifest.json").write_text(json.dumps(entries))
    return txn


@pytest.mark.parametrize(
    ("entries", "why"),
    [
        (
            [{"path": "../outside.txt", "staged": "0.new"}],
            "path '../outside.txt' escapes the registry",
        ),
        (
            [{"path": "/tmp/plandiff-evil.txt", "staged": "0.new"}],
            "path '/tmp/plandiff-evil.txt' escapes the registry",
        ),
        (
            [{"path": "versions/us-28.toml", "staged": "../../secret"}],
            "staged file '../../secret' is not a journal file",
        ),
        ([{"path": "versions/us-28.toml", "staged": 7}], "not a {path, staged} entry"),
        (["versions/us-28.toml"], "not a {path, staged} entry"),
    ],
)
def test_hostile_journal_is_refused_not_followed(
    reg: Path, tmp_path: Path, entries: list[object], why: str
) -> None:
    secret = tmp_path / "secret"
    secret.write_text("not for the registry")
    _journal(reg, entries, {"0.new": b"x"})
    before = snapshot(reg)
    refused(
        run("verify", "--fix", registry=reg),
        f"plandiff: .plandiff-txn/manifest.json: [0]: refusing to finish an interrupted write: "
        f"{why}; remove the .plandiff-txn directory to discard it",
    )
    assert snapshot(reg) == before
    assert secret.read_text() == "not for the registry"
    assert not (tmp_path / "outside.txt").exists()
    assert not Path("/tmp/plandiff-evil.txt").exists()


def test_journal_that_is_a_symlink_is_refused(reg: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (reg / store.TXN_DIR).symlink_to(elsewhere)
    refused(
        run("verify", "--fix", registry=reg),
        "plandiff: .plandiff-txn: is a symbolic link, not a journal written by plandiff",
    )
    assert elsewhere.is_dir()


def test_journal_that_is_a_file_is_refused_by_readers_and_writers(reg: Path) -> None:
    (reg / store.TXN_DIR).write_bytes(b"not a journal")
    before = snapshot(reg)
    assert run("versions", registry=reg).exit_code == 2
    refused(
        run("verify", "--fix", registry=reg),
        "plandiff: .plandiff-txn: is not a directory written by plandiff",
    )
    assert snapshot(reg) == before


def test_unreadable_manifest_is_an_uncommitted_write_and_is_discarded(reg: Path) -> None:
    before = snapshot(reg)
    txn = _journal(reg, [], {"0.new": b"garbage"})
    (txn / "manifest.json").write_text('[{"path": "versions/us-28.toml", "sta')  # cut short
    assert run("verify", "--fix", registry=reg).exit_code == 0
    assert not txn.exists()
    assert snapshot(reg) == before


def _staged(data: bytes, path: str) -> dict[str, object]:
    return {"path": path, "staged": "0.new", "sha256": hashlib.sha256(data).hexdigest()}


HOOK = b"#!/bin/sh\necho pwned\n"


@pytest.mark.parametrize(
    "args",
    [["versions"], ["verify"], ["show", "us-28"], ["sources"], ["diff", "us-28", "geneva-19"]],
)
def test_read_only_command_never_replays_a_journal(reg: Path, args: list[str]) -> None:
    """Issue 18, item 1: a crafted journal in a shared registry made 'plandiff versions' write
    .git/hooks/pre-commit. A command that only reads refuses, naming the journal and the fix."""
    (reg / ".git" / "hooks").mkdir(parents=True)
    _journal(reg, [_staged(HOOK, ".git/hooks/pre-commit")], {"0.new": HOOK})
    before = snapshot(reg)
    refused(
        run(*args, registry=reg),
        f"plandiff: {reg / store.TXN_DIR}: an interrupted write is pending; a command that only "
        f"reads does not finish it: run 'plandiff --registry {reg} verify --fix' to finish (or "
        "discard) it",
    )
    assert snapshot(reg) == before
    assert not (reg / ".git" / "hooks" / "pre-commit").exists()


@pytest.mark.parametrize(
    ("path", "why"),
    [
        (".git/hooks/pre-commit", "path '.git/hooks/pre-commit' names a hidden file, which a "
         "registry never reads"),
        ("hooks/pre-commit", "path 'hooks/pre-commit' is not a file of the registry (no source "
         "names it)"),
        ("sources/new.txt", "path 'sources/new.txt' is not a file of the registry (no source "
         "names it)"),
        (f"{TEXT4}", f"staged text for '{TEXT4}' does not match its source's sha256"),
    ],
)  # fmt: skip
def test_writer_replays_only_files_the_store_would_write(reg: Path, path: str, why: str) -> None:
    """Even a writing command, which does finish journals, refuses one that writes a file the
    store never writes (by its naming rule), or a text that is not its source's."""
    (reg / ".git" / "hooks").mkdir(parents=True)
    _journal(reg, [_staged(HOOK, path)], {"0.new": HOOK})
    before = snapshot(reg)
    refused(
        run("verify", "--fix", registry=reg),
        f"plandiff: .plandiff-txn/manifest.json: refusing to finish an interrupted write: {why}; "
        "remove the .plandiff-txn directory to discard it",
    )
    assert snapshot(reg) == before


def test_writer_refuses_a_staged_file_that_does_not_match_its_digest(reg: Path) -> None:
    edited = (reg / US).read_bytes().replace(b"US 28-point peace plan", b"Recovered")
    _journal(reg, [_staged(b"something else", US)], {"0.new": edited})
    before = snapshot(reg)
    refused(
        run("verify", "--fix", registry=reg),
        "plandiff: .plandiff-txn/manifest.json: [0]: refusing to finish an interrupted write: "
        "staged file '0.new' does not match its digest; remove the .plandiff-txn directory to "
        "discard it",
    )
    assert snapshot(reg) == before


def test_writer_finishes_a_journal_of_registry_files(reg: Path) -> None:
    edited = (reg / US).read_bytes().replace(b"US 28-point peace plan", b"Recovered")
    txn = _journal(reg, [_staged(edited, US)], {"0.new": edited})
    assert run("versions", registry=reg).exit_code == 2  # a reader leaves it alone
    assert run("verify", "--fix", registry=reg).exit_code == 0
    assert not txn.exists()
    assert (reg / US).read_bytes() == edited


# --------------------------------------------------------------------------- source texts


def _symlink_outside(root: Path) -> None:
    outside = root.parent / "outside.txt"
    outside.write_bytes((root / TEXT4).read_bytes())
    (root / TEXT4).unlink()
    (root / TEXT4).symlink_to(outside)


def _symlinked_folder_outside(root: Path) -> None:
    _symlink_outside(root)
    (root / TEXT4).unlink()
    (root / "ext").symlink_to(root.parent)
    edit(root, SRC4, f'path = "{TEXT4}"', 'path = "ext/outside.txt"')


def _symlink_loop(root: Path) -> None:
    (root / TEXT4).unlink()
    (root / TEXT4).symlink_to(TEXT4)


def _fifo(root: Path) -> None:
    (root / TEXT4).unlink()
    os.mkfifo(root / TEXT4)


def _path(new: str) -> Mutation:
    return _edit(SRC4, f'path = "{TEXT4}"', f"path = {json.dumps(new)}")


SOURCE_CASES: dict[str, tuple[Mutation, str]] = {
    "not UTF-8": (
        lambda root: rehash(root, (root / TEXT4).read_bytes().replace(b"Kyiv", b"Ky\xefv")),
        "path: not UTF-8 (byte 88: b'\\xef')",
    ),
    "binary content": (
        lambda root: rehash(root, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"),
        "path: binary content (NUL bytes), not a text file",
    ),
    "empty file": (lambda root: rehash(root, b""), f"path: text file '{TEXT4}' is empty"),
    "only a byte-order mark": (
        lambda root: rehash(root, b"\xef\xbb\xbf"),
        f"path: text file '{TEXT4}' is empty",
    ),
    "absolute path": (_path("/etc/passwd"), "path: path '/etc/passwd' escapes the registry"),
    "parent directory": (
        _path("sources/../../x.txt"),
        "path: path 'sources/../../x.txt' escapes the registry",
    ),
    "backslashes": (
        _path("..\\..\\x.txt"),
        "path: path '..\\..\\x.txt' is not a relative '/'-separated path",
    ),
    "drive letter": (_path("C:/x.txt"), "path: path 'C:/x.txt' escapes the registry"),
    "empty path": (_path(""), "path: path '' is not a relative '/'-separated path"),
    "a directory": (
        _path("sources"),
        "path: path 'sources' is where the registry keeps its own files",
    ),
    "the registry itself": (_path("."), "path: path '.' names no file"),
    "symlink pointing outside": (
        _symlink_outside,
        f"path: path '{TEXT4}' escapes the registry (it resolves outside it)",
    ),
    "symlinked folder pointing outside": (
        _symlinked_folder_outside,
        "path: path 'ext/outside.txt' escapes the registry (it resolves outside it)",
    ),
    "symlink loop": (_symlink_loop, f"path: path '{TEXT4}' cannot be resolved (a symlink loop?)"),
    "a named pipe (reading would block)": (
        _fifo,
        f"path: text file '{TEXT4}' is not a regular file",
    ),
}


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_bad_source_text(reg: Path, case: str) -> None:
    mutate, line = SOURCE_CASES[case]
    mutate(reg)
    every_reader_refuses(reg, f"plandiff: {SRC4}: {line}")


def test_utf8_bom_in_a_source_is_accepted_and_offsets_count_after_it(reg: Path) -> None:
    rehash(reg, b"\xef\xbb\xbf" + (reg / TEXT4).read_bytes())
    assert run("verify", registry=reg).exit_code == 0  # every anchor still holds


def test_symlink_inside_the_registry_is_accepted(reg: Path) -> None:
    (reg / "texts").mkdir()
    (reg / TEXT4).rename(reg / "texts" / TEXT4)
    (reg / TEXT4).symlink_to(Path("texts") / TEXT4)
    assert run("verify", registry=reg).exit_code == 0


def test_size_limit(reg: Path) -> None:
    # 004 has 2650 bytes, 000 has 2086: only 004 is over a limit of 2100.
    every_reader_refuses(
        reg,
        f"plandiff: {SRC4}: path: text file '{TEXT4}' has 2650 bytes, over the limit of 2100",
        env={"PLANDIFF_MAX_SOURCE_BYTES": "2100"},
    )
    refused(
        run("verify", registry=reg, env={"PLANDIFF_MAX_SOURCE_BYTES": "20MB"}),
        "plandiff: PLANDIFF_MAX_SOURCE_BYTES: '20MB' is not a whole number of bytes",
    )
    assert run("verify", registry=reg, env={"PLANDIFF_MAX_SOURCE_BYTES": "2650"}).exit_code == 0


def test_default_size_limit_is_20_mib() -> None:
    assert store.MAX_SOURCE_BYTES == 20 * 1024 * 1024


# --------------------------------------------------------------------------- anchors


def mini_registry(root: Path, text: str, anchor: str) -> Path:
    """A registry of one source holding ``text`` and one version whose point cites ``anchor``."""
    store.init_registry(root)
    data = text.encode("utf-8")
    (root / "sources" / "s.txt").write_bytes(data)
    (root / "sources" / "s.toml").write_text(
        f'id = "s"\npath = "sources/s.txt"\nsha256 = "{hashlib.sha256(data).hexdigest()}"\n'
    )
    (root / "versions" / "v.toml").write_text(
        'id = "v"\ntitle = "V"\ncompleteness = "partial"\n\n[[points]]\nkey = "p"\n'
        f'summary = "S"\n\n[[points.evidence]]\nsource = "s"\n{anchor}\n',
        encoding="utf-8",
    )
    return root


def quote_at(text: str, start: int, end: int) -> str:
    return (
        f"quote = {json.dumps(text[start:end], ensure_ascii=False)}\nstart = {start}\nend = {end}"
    )


CAFE = "Cafe\u0301 au lait, said the minister."  # é as e + combining acute accent
FAMILY = (
    "Family: \U0001f468\u200d\U0001f469\u200d\U0001f467 arrived."  # one emoji, five code points
)
THUMBS = "Agreed \U0001f44d\U0001f3fd by all."  # thumbs up with a skin tone

FLAGS = "Talks: \U0001f1fa\U0001f1e6\U0001f1fa\U0001f1f8 met."  # two flags, four indicators
HANGUL = "Seoul \u1112\u1161\u11ab\u1100\u116e\u11a8 talks."  # 한국 as six conjoining jamo

SPLIT = (
    "; a quote must hold whole characters, with their combining marks, emoji and flag "
    "sequences and Hangul syllables"
)

ANCHOR_CASES: dict[str, tuple[str, str, str]] = {
    "negative start": (
        CAFE,
        'quote = "Cafe"\nstart = -1\nend = 3',
        "points[0].evidence[0].start: Input should be greater than or equal to 0 (got '-1')",
    ),
    "end before start": (
        CAFE,
        'quote = "Cafe"\nstart = 4\nend = 0',
        "points[0].evidence[0]: Value error, end 0 is before start 4",
    ),
    "start without end": (
        CAFE,
        'quote = "Cafe"\nstart = 0',
        "points[0].evidence[0]: Value error, start and end must be given together",
    ),
    "offsets past the end": (
        CAFE,
        'quote = "Cafe"\nstart = 100\nend = 104',
        "points[0].evidence[0]: offsets 100..104 out of range: source 's' has 33 characters",
    ),
    "quote cut before a combining accent": (
        CAFE,
        quote_at(CAFE, 0, 4),
        "points[0].evidence[0]: offsets 0..4 cut a character apart at 4 (U+0065 U+0301)" + SPLIT,
    ),
    "quote starting with a combining accent": (
        CAFE,
        quote_at(CAFE, 4, 8),
        "points[0].evidence[0]: offsets 4..8 cut a character apart at 4 (U+0065 U+0301)" + SPLIT,
    ),
    "quote taking one emoji of a ZWJ sequence": (
        FAMILY,
        quote_at(FAMILY, 8, 9),
        "points[0].evidence[0]: offsets 8..9 cut a character apart at 9 (U+1F468 U+200D)" + SPLIT,
    ),
    "quote starting after a zero-width joiner": (
        FAMILY,
        quote_at(FAMILY, 10, 13),
        "points[0].evidence[0]: offsets 10..13 cut a character apart at 10 (U+200D U+1F469)"
        + SPLIT,
    ),
    "quote without its skin-tone modifier": (
        THUMBS,
        quote_at(THUMBS, 7, 8),
        "points[0].evidence[0]: offsets 7..8 cut a character apart at 8 (U+1F44D U+1F3FD)" + SPLIT,
    ),
    "quote ending between the two indicators of a flag": (
        FLAGS,
        quote_at(FLAGS, 7, 10),  # the first flag and half of the second
        "points[0].evidence[0]: offsets 7..10 cut a character apart at 10 (U+1F1FA U+1F1F8)"
        + SPLIT,
    ),
    "quote starting in the middle of a flag": (
        FLAGS,
        quote_at(FLAGS, 8, 11),
        "points[0].evidence[0]: offsets 8..11 cut a character apart at 8 (U+1F1FA U+1F1E6)" + SPLIT,
    ),
    "quote cutting a Hangul syllable after its vowel": (
        HANGUL,
        quote_at(HANGUL, 6, 8),  # leading consonant and vowel, without the final consonant
        "points[0].evidence[0]: offsets 6..8 cut a character apart at 8 (U+1161 U+11AB)" + SPLIT,
    ),
    "quote starting at a Hangul vowel": (
        HANGUL,
        quote_at(HANGUL, 10, 18),
        "points[0].evidence[0]: offsets 10..18 cut a character apart at 10 (U+1100 U+116E)" + SPLIT,
    ),
    "hand-written quote (no offsets) that cuts a flag": (
        "Flag \U0001f1fa\U0001f1e6\U0001f1fa here.",  # the quote's first pair is a flag, its
        'quote = "\U0001f1e6\U0001f1fa here"',  # second indicator starts a new one
        "points[0].evidence[0]: offsets 6..13 cut a character apart at 6 (U+1F1FA U+1F1E6)" + SPLIT,
    ),
    "hand-written quote (no offsets) that cuts an accent": (
        CAFE,
        'quote = "Cafe"',
        "points[0].evidence[0]: offsets 0..4 cut a character apart at 4 (U+0065 U+0301)" + SPLIT,
    ),
}


@pytest.mark.parametrize("case", sorted(ANCHOR_CASES))
def test_bad_anchor(tmp_path: Path, case: str) -> None:
    text, anchor, line = ANCHOR_CASES[case]
    root = mini_registry(tmp_path / "r", text, anchor)
    before = snapshot(root)
    for args in (["verify"], ["verify", "--fix"], ["show", "v"]):
        refused(run(*args, registry=root), f"plandiff: versions/v.toml: {line}")
    assert snapshot(root) == before


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        (CAFE, 0, 5),
        (FAMILY, 8, 13),
        (THUMBS, 7, 9),
        (FAMILY, 0, len(FAMILY)),
        (FLAGS, 9, 11),
        (HANGUL, 9, 12),
    ],
    ids=[
        "whole accented letter",
        "whole ZWJ sequence",
        "emoji with its modifier",
        "everything",
        "second flag",
        "second Hangul syllable",
    ],
)
def test_anchor_on_whole_characters_is_accepted(
    tmp_path: Path, text: str, start: int, end: int
) -> None:
    root = mini_registry(tmp_path / "r", text, quote_at(text, start, end))
    result = run("verify", registry=root)
    assert result.exit_code == 0, result.stderr


def test_offsets_count_code_points_so_no_surrogate_pair_can_be_split() -> None:
    # A Python str indexes code points: an astral emoji is one index, never two halves.
    text = "a\U0001f600b"
    assert len(text) == 3
    assert anchors.check(Anchor(source="s", quote="\U0001f600", start=1, end=2), text) is None
    assert anchors.make_anchor("s", text, 1, 2).quote == "\U0001f600"


def test_creating_an_anchor_refuses_to_cut_a_character() -> None:
    with pytest.raises(anchors.QuoteError) as info:
        anchors.create_anchor("s", CAFE, "Cafe")
    assert str(info.value) == (
        "quote 'Cafe' in source 's': offsets 0..4 cut a character apart at 4 (U+0065 U+0301)"
        + SPLIT
    )
    # An occurrence that does not cut is chosen over one that does.
    assert anchors.create_anchor("s", "Cafe\u0301 or Cafe?", "Cafe").start == 9


def test_reanchoring_never_returns_an_anchor_that_cuts_a_character() -> None:
    old = anchors.create_anchor("s", "The Cafe opened.", "Cafe")
    recaptured = "Now: The Cafe\u0301 opened, and the Cafe closed."
    moved = anchors.reanchor(old, recaptured)
    assert moved.status is anchors.AnchorStatus.MOVED
    assert moved.anchor is not None and moved.anchor.start == recaptured.rindex("Cafe")
    fuzzy = anchors.reanchor(old, "The Cafe\u0301 opened.")
    assert fuzzy.anchor is None or anchors.check(fuzzy.anchor, "The Cafe\u0301 opened.") is None


# --------------------------------------------------------------------------- plan texts
# Decision: a text without numbered or bulleted points is not an error. It is cut at its
# paragraphs (issue 17), each a point named "¶ N", so prose is compared paragraph by paragraph.
# Only a text with nothing but whitespace segments to zero points, with a warning ("no numbered
# or bulleted points found", in the report and the JSON): the other side's points are all
# added (or removed).

NO_DIFFERENCES = "no differences"
NO_POINTS = "no points"
PARAGRAPHS = "paragraphs"

#: fixtures/bad/plans/<file> → what diffing it against lf.txt gives.
PLAN_FIXTURES: dict[str, str] = {
    "lf.txt": NO_DIFFERENCES,
    "crlf.txt": NO_DIFFERENCES,
    "cr.txt": NO_DIFFERENCES,
    "mixed-endings.txt": NO_DIFFERENCES,
    "tabs.txt": NO_DIFFERENCES,
    "zero-width-nbsp.txt": NO_DIFFERENCES,
    "bom.txt": NO_DIFFERENCES,
    "utf16le-bom.txt": NO_DIFFERENCES,
    "utf16be-bom.txt": NO_DIFFERENCES,
    "no-points.txt": PARAGRAPHS,
    "only-preamble.txt": PARAGRAPHS,
    "empty.txt": NO_POINTS,
    "rtl.txt": "rtl",
    "rtl-edited.txt": "rtl",
    "binary.txt": "plandiff: '{path}': binary content (NUL bytes), not a text file",
    "latin1.txt": "plandiff: '{path}': not UTF-8 (byte 9: b'\\xfc')",
    "utf16-no-bom.txt": "plandiff: '{path}': UTF-16 text without a byte-order mark; save it as "
    "UTF-8 (or UTF-16 with a BOM)",
}


def test_every_plan_fixture_has_an_expected_outcome() -> None:
    assert sorted(p.name for p in PLANS.glob("*.txt")) == sorted(PLAN_FIXTURES)


def diff_json(old: Path | str, new: Path | str, *more: str) -> tuple[Result, dict]:
    result = run("diff", str(old), str(new), "--format", "json", *more)
    return result, (json.loads(result.stdout) if result.exit_code in (0, 1) else {})


@pytest.mark.parametrize("name", sorted(PLAN_FIXTURES))
def test_plan_text_fixture(name: str) -> None:
    path, reference = PLANS / name, PLANS / "lf.txt"
    expected = PLAN_FIXTURES[name]
    result, doc = diff_json(reference, path, "--exit-code")
    if expected == NO_DIFFERENCES:
        assert result.exit_code == 0, result.output
        assert doc["summary"]["unchanged"] == 3 and len(doc["changes"]) == 3
        texts = [c["new"][0]["text"] for c in doc["changes"]]
        assert texts == [
            "Both sides stop firing within 72 hours.",
            "Prisoners are exchanged all for all.",
            "Elections are held within 100 days.",
        ]
        assert doc["warnings"] == []
    elif expected == NO_POINTS:
        assert result.exit_code == 1
        assert doc["new"]["known_points"] == 0
        assert doc["summary"]["removed"] == 3
        assert doc["warnings"] == [f"{path}: no numbered or bulleted points found"]
        # Both sides without points: no points to compare, two warnings; the texts themselves
        # are compared as preambles, so they differ exactly when their words do.
        same, doc = diff_json(path, path, "--exit-code")
        assert doc["changes"] == [] and len(doc["warnings"]) == 2
        assert same.exit_code == 0 and doc["parts"] == []
    elif expected == PARAGRAPHS:
        # Prose: its paragraphs (blank-line separated) are the points, with no warning.
        paragraphs = [p for p in path.read_text().split("\n\n") if p.strip()]
        assert result.exit_code == 1 and doc["warnings"] == []
        assert doc["new"]["segmentation"]["description"] == (
            f"cut at paragraphs: {len(paragraphs)} paragraph{'s' if len(paragraphs) > 1 else ''}"
        )
        assert doc["summary"]["removed"] == 3 and doc["summary"]["added"] == len(paragraphs)
        added = [c["new"][0] for c in doc["changes"] if c["kind"] == "added"]
        assert [a["path"] for a in added] == [f"¶ {k}" for k in range(1, len(paragraphs) + 1)]
        assert [a["text"] for a in added] == [p.strip() for p in paragraphs]
        same, doc = diff_json(path, path, "--exit-code")
        assert same.exit_code == 0 and doc["warnings"] == []
        assert {c["kind"] for c in doc["changes"]} == {"unchanged"}
    elif expected == "rtl":
        old, new = PLANS / "rtl.txt", PLANS / "rtl-edited.txt"
        result, doc = diff_json(old, new)
        assert [c["kind"] for c in doc["changes"]] == ["reworded", "unchanged", "unchanged"]
        assert doc["changes"][0]["substantive"] == [
            {"kind": "duration", "old": "72 ساعة", "new": "48 ساعة"}
        ] or doc["changes"][0]["substantive"][0]["old"].startswith("72")
        text = run("diff", str(old), str(new), "--show-unchanged")
        assert text.exit_code == 0
        assert "\u202e" not in text.stdout and "\\u202e" in text.stdout
        assert "يتم تبادل الأسرى" in text.stdout
    else:
        for args in ((reference, path), (path, reference)):
            refused(run("diff", *map(str, args)), expected.format(path=path))


def test_ten_thousand_points_diff_quickly(tmp_path: Path) -> None:
    old = "".join(
        f"{i}. The parties agree on measure number {i} of {i * 7 % 101} kinds.\n"
        for i in range(1, 10_001)
    )
    new = old.replace("measure number 5", "step number 5").replace("of 3 kinds", "of three kinds")
    (tmp_path / "old.txt").write_text(old)
    (tmp_path / "new.txt").write_text(new)
    started = time.perf_counter()
    result, doc = diff_json(tmp_path / "old.txt", tmp_path / "new.txt")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0
    assert len(doc["changes"]) == 10_000
    assert doc["summary"]["unchanged"] + doc["summary"]["reworded"] == 10_000
    assert elapsed < 30, f"10,000 points took {elapsed:.1f}s"


def test_a_huge_rewritten_point_does_not_hang(tmp_path: Path) -> None:
    # One marker and 20,000 words: the whole text is one point. Rewritten throughout, the two
    # points still align (same vocabulary), and their redline must not take minutes.
    rng = random.Random(5)
    vocabulary = [f"{w}{n}" for w in ("troops", "zone", "border", "vote", "aid") for n in range(40)]
    for name in ("old", "new"):
        words = " ".join(rng.choice(vocabulary) for _ in range(20_000))
        (tmp_path / f"{name}.txt").write_text(f"1. {words}\n")
    started = time.perf_counter()
    result, doc = diff_json(tmp_path / "old.txt", tmp_path / "new.txt")
    elapsed = time.perf_counter() - started
    assert result.exit_code == 0 and [c["kind"] for c in doc["changes"]] == ["reworded"]
    redline = doc["changes"][0]["redline"]
    assert "".join(t for op, t in redline if op != "insert") == doc["changes"][0]["old"][0]["text"]
    assert elapsed < 20, f"took {elapsed:.1f}s"


def test_plan_file_over_the_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("1. x\n" * 100)
    refused(
        run("diff", str(big), str(PLANS / "lf.txt"), env={"PLANDIFF_MAX_SOURCE_BYTES": "100"}),
        f"plandiff: '{big}': 500 bytes, over the limit of 100 "
        "(PLANDIFF_MAX_SOURCE_BYTES raises it)",
    )


# --------------------------------------------------------------------------- command line


def test_unknown_version() -> None:
    refused(run("diff", "us-28", "nope"), "plandiff: unknown version 'nope'")
    refused(
        run("diff", "us-28", "geneva-18"),
        "plandiff: unknown version 'geneva-18'; did you mean 'geneva-19'?",
    )
    refused(run("show", "nope"), "plandiff: unknown version or source 'nope'")
    refused(run("log", "nope"), "plandiff: unknown version 'nope'")


def test_unknown_point() -> None:
    refused(run("trace", "us-28:ghost"), "plandiff: unknown point in version 'us-28': 'ghost'")
    refused(
        run("trace", "ghost"),
        "plandiff: 'ghost' is not VERSION:POINT (a point key or number, e.g. us-28:territory)",
    )


def test_unknown_format() -> None:
    usage_error(
        run("diff", "us-28", "geneva-19", "--format", "pdf"),
        "Invalid value for '--format': 'pdf' is not one of 'text', 'json', 'markdown', 'xml', "
        "'html'.",
    )
    usage_error(
        run("versions", "--format", "xml"),
        "Invalid value for '--format': 'xml' is not one of 'text', 'json'.",
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["diff", "us-28", "geneva-19", "--format", "json", "--side-by-side"],
         "--side-by-side applies to --format text, not json"),
        (["diff", "us-28", "geneva-19", "--format", "markdown", "-U", "2"],
         "--context applies to --format text, not markdown"),
        (["diff", "us-28", "geneva-19", "--format", "json", "--show-unchanged"],
         "--show-unchanged applies to text, markdown and html, not json"),
        (["diff", "us-28", "geneva-19", "-U", "-1"],
         "Invalid value for '-U' / '--context': -1 is not in the range x>=0."),
    ],
)  # fmt: skip
def test_conflicting_options(args: list[str], message: str) -> None:
    usage_error(run(*args), message)


def test_show_quotes_of_a_version_says_what_it_is() -> None:
    refused(
        run("show", "us-28", "--quotes"),
        "plandiff: --quotes shows a source with its quotes marked; 'us-28' is a version "
        "(try 'plandiff show us-28')",
    )


def test_a_directory_where_a_file_is_expected(tmp_path: Path) -> None:
    plan = str(PLANS / "lf.txt")
    refused(
        run("diff", str(tmp_path), plan),
        f"plandiff: '{tmp_path}' is a directory, not a plan text file",
    )
    refused(
        run("diff", plan, str(tmp_path)),
        f"plandiff: '{tmp_path}' is a directory, not a plan text file",
    )
    refused(run("export", "-o", str(tmp_path)), f"plandiff: {tmp_path}: Is a directory")
    refused(
        run("import", str(tmp_path), "--into", str(tmp_path / "r")),
        f"plandiff: '{tmp_path}' is a directory, not an archive file",
    )
    usage_error(
        run("init", plan),
        f"Invalid value for 'DIRECTORY': Directory '{plan}' is a file.",
    )


def test_a_path_that_does_not_exist_is_an_error_never_text(tmp_path: Path) -> None:
    plan = str(PLANS / "lf.txt")
    missing = str(tmp_path / "missing.txt")
    refused(run("diff", missing, plan), f"plandiff: '{missing}': no such file")
    refused(run("diff", plan, "./missing"), "plandiff: './missing': no such file")
    refused(run("diff", plan, "missing.md"), "plandiff: 'missing.md': no such file")
    # A bare word is looked up as a version id.
    refused(run("diff", plan, "missing"), "plandiff: unknown version 'missing'")


def test_hostile_arguments_are_quoted_safely_in_errors() -> None:
    refused(run("show", "\x1b[31mred"), "plandiff: unknown version or source '\\x1b[31mred'")
    refused(
        run("diff", "us-28", "\x1b]8;;https://evil.example\x07x.txt"),
        "plandiff: '\\x1b]8;;https://evil.example\\x07x.txt': no such file",
    )
    refused(run("show", "\u202eevil"), "plandiff: unknown version or source '\\u202eevil'")
    # click's own usage errors, printed with colour allowed, are made safe too.
    usage_error(
        run("show", "us-28", "\x1b[2Jextra", color=True),
        "Got unexpected extra argument (\\x1b[2Jextra)",
    )
    result = run("\x1b[2Jcmd", color=True)
    assert result.exit_code == 2 and "\x1b" not in result.stderr


def test_an_unexpected_error_is_one_line_without_a_traceback(
    reg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(store, "cross_check", boom)
    refused(
        run("verify", registry=reg),
        "plandiff: internal error (RuntimeError: simulated bug); please report it, with the "
        "traceback that --debug shows",
    )
    with pytest.raises(RuntimeError):
        CliRunner().invoke(
            cli, ["--debug", "--registry", str(reg), "verify"], catch_exceptions=False
        )


# --------------------------------------------------------------------------- recording commands


@pytest.fixture
def files(tmp_path: Path) -> Path:
    folder = tmp_path / "files"
    folder.mkdir()
    (folder / "latin1.txt").write_bytes("Caf\xe9 au lait.\n".encode("latin-1"))
    (folder / "binary.txt").write_bytes(b"a\x00b")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "bom.txt").write_bytes(b"\xef\xbb\xbfA plain article about Kyiv.\n")
    (folder / "ok.txt").write_text("A plain article about Kyiv.\n")
    (folder / "adir").mkdir()
    return folder


def test_bad_article_files_are_refused(reg: Path, files: Path) -> None:
    pytest.importorskip("plandiff.recording", reason="recording commands not landed yet")
    before = snapshot(reg)
    for name, line in [
        ("missing.txt", f"plandiff: '{files}/missing.txt': no such file"),
        ("adir", f"plandiff: '{files}/adir' is a directory, not an article file"),
        ("binary.txt", "plandiff: 'binary.txt': binary content (NUL bytes), not a text file"),
        ("latin1.txt", "plandiff: 'latin1.txt': not UTF-8 (byte 3: b'\\xe9')"),
        ("empty.txt", "plandiff: sources/empty.toml: path: text file 'sources/empty.txt' is empty"),
    ]:
        refused(run("source", "add", str(files / name), registry=reg), line)
        assert snapshot(reg) == before, name
    refused(
        run(
            "source",
            "add",
            str(files / "ok.txt"),
            registry=reg,
            env={"PLANDIFF_MAX_SOURCE_BYTES": "10"},
        ),
        f"plandiff: '{files}/ok.txt': 28 bytes, over the limit of 10 "
        "(PLANDIFF_MAX_SOURCE_BYTES raises it)",
    )
    refused(
        run("source", "add", str(files / "ok.txt"), "--id", "../evil", registry=reg),
        "plandiff: invalid source id '../evil': use letters, digits, '.', '_' and '-', starting "
        "with a letter or digit, at most 128 characters",
    )
    assert snapshot(reg) == before
    # A UTF-8 byte-order mark is accepted (and the registry still loads).
    result = run("source", "add", str(files / "bom.txt"), registry=reg)
    assert result.exit_code == 0, result.stderr
    assert run("verify", registry=reg).exit_code == 0


def test_bad_recording_arguments_are_refused(reg: Path, files: Path) -> None:
    pytest.importorskip("plandiff.recording", reason="recording commands not landed yet")
    before = snapshot(reg)
    refused(
        run("point", "edit", "us-28", "ghost", "--text", "x", registry=reg),
        "plandiff: unknown point in version 'us-28': 'ghost'",
    )
    refused(
        run("point", "remove", "ghost", "territory", registry=reg),
        "plandiff: unknown version 'ghost'",
    )
    refused(
        run("version", "add", "us-28", "--title", "Again", registry=reg),
        "plandiff: version 'us-28' already exists (versions/us-28.toml)",
    )
    refused(
        run("version", "add", "x", "--title", "X", "--derived-from", "ghost", registry=reg),
        "plandiff: unknown version 'ghost'",
    )
    refused(
        run(
            "version",
            "add",
            "x",
            "--title",
            "X",
            "--from-text",
            str(files / "binary.txt"),
            registry=reg,
        ),
        "plandiff: 'binary.txt': binary content (NUL bytes), not a text file",
    )
    usage_error(
        run("source", "add", str(files / "ok.txt"), "--force", registry=reg),
        "--force only goes with --recapture",
    )
    usage_error(
        run("point", "edit", "us-28", "territory", "--number", "3", "--no-number", registry=reg),
        "--number and --no-number exclude each other",
    )
    usage_error(
        run("version", "add", "x", "--title", "X", "--source-id", "s", registry=reg),
        "--source-id only goes with --from-text",
    )
    assert snapshot(reg) == before


def test_recording_a_quote_that_cuts_a_character_is_refused(tmp_path: Path) -> None:
    pytest.importorskip("plandiff.recording", reason="recording commands not landed yet")
    root = mini_registry(tmp_path / "r", CAFE, quote_at(CAFE, 0, 5))
    before = snapshot(root)
    result = run(
        "point", "add", "v", "--summary", "x", "--quote", "Cafe", "--source", "s", registry=root
    )
    refused(
        result,
        "plandiff: quote 'Cafe' in source 's': offsets 0..4 cut a character apart at "
        "4 (U+0065 U+0301)" + SPLIT,
    )
    assert snapshot(root) == before


# --------------------------------------------------------------------------- XML archives
# tests/test_archive_cli.py and tests/test_xmlarchive.py cover DOCTYPE, entities, remote DTDs,
# deep nesting, a changed text, path escapes, one truncated file, one foreign namespace, size.


def _valid_archive() -> bytes:
    xmlarchive = pytest.importorskip("plandiff.xmlarchive", reason="XML archives not landed yet")
    import datetime as dt

    registry = store.load_registry(store.bundled_registry_path())
    return xmlarchive.export_registry(registry, created=dt.datetime(2025, 11, 26, tzinfo=dt.UTC))


def test_archive_truncated_anywhere_is_refused_cleanly(tmp_path: Path) -> None:
    data = _valid_archive()
    end = data.rindex(b"</archive>") + len(b"</archive>") - 1  # cut at or after: still whole
    cuts = sorted(
        {1, 2, 10, 38, 39, 40, end - 1, end - 10} | set(range(0, end, max(1, end // 40))) - {0}
    )
    # …including inside a multi-byte UTF-8 character, when the archive has one.
    multibyte = next((i for i, b in enumerate(data) if b >= 0xC0), None)
    if multibyte is not None:
        cuts.append(multibyte + 1)
    into = tmp_path / "r"
    for cut in cuts:
        archive = tmp_path / "cut.xml"
        archive.write_bytes(data[:cut])
        result = run("import", str(archive), "--into", str(into))
        assert result.exit_code == 2, (cut, result.output)
        lines = result.stderr.splitlines()
        assert lines and all(line.startswith(f"plandiff: {archive}:") for line in lines), (
            cut,
            lines,
        )
        assert "Traceback" not in result.output
        assert not into.exists(), cut
        assert sorted(p.name for p in tmp_path.iterdir()) == ["cut.xml"], cut


@pytest.mark.parametrize(
    ("namespace", "why"),
    [
        (None, "not a plandiff archive: the root element is 'archive', expected "
               "'{urn:plandiff:archive:1}archive'"),
        ("urn:plandiff:archive:2", "unsupported archive format 'urn:plandiff:archive:2' "
                                   "(this plandiff reads urn:plandiff:archive:1)"),
        ("http://www.w3.org/1999/xhtml", "not a plandiff archive: the root element is "
         "'{http://www.w3.org/1999/xhtml}archive', expected '{urn:plandiff:archive:1}archive'"),
    ],
    ids=["no namespace", "a later format", "XHTML"],
)  # fmt: skip
def test_archive_in_a_wrong_namespace(tmp_path: Path, namespace: str | None, why: str) -> None:
    data = _valid_archive()
    new = b"" if namespace is None else f' xmlns="{namespace}"'.encode()
    changed = data.replace(b' xmlns="urn:plandiff:archive:1"', new, 1)
    assert changed != data
    archive = tmp_path / "a.xml"
    archive.write_bytes(changed)
    refused(
        run("import", str(archive), "--into", str(tmp_path / "r")), f"plandiff: {archive}:2: {why}"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


@pytest.mark.parametrize(
    ("data", "line"),
    [
        (b"\x00" * 64, ":1: not well-formed XML: "),
        (b"<html><body>Not an archive</body></html>",
         ":1: not a plandiff archive: the root element is 'html'"),
        ('<?xml version="1.0" encoding="ISO-8859-1"?>\n<archive/>'.encode("latin-1"),
         ":1: archive is 'ISO-8859-1', not UTF-8"),
    ],
    ids=["zeros", "an HTML page", "declared Latin-1"],
)  # fmt: skip
def test_archive_that_is_not_one(tmp_path: Path, data: bytes, line: str) -> None:
    _valid_archive()
    archive = tmp_path / "a.xml"
    archive.write_bytes(data)
    result = run("import", str(archive), "--into", str(tmp_path / "r"))
    assert result.exit_code == 2
    first = result.stderr.splitlines()[0]
    assert first.startswith(f"plandiff: {archive}{line}"), first
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


# --------------------------------------------------------------------------- untrusted output
# Rich markup, ANSI escapes, OSC-8 hyperlinks, C1 controls and bidi overrides inside article
# text, plan text and metadata are shown literally or made visible, in every output.

EVIL = (
    "[bold red]markup[/] \x1b[31mred\x1b[0m \x1b]8;;https://evil.example/\x1b\\link\x1b]8;;\x1b\\ "
    "\x9b2J \u202eevil\u202c <b>&amp;</b> **bold** `code` | # \x07"
)
#: What must show in a text report, made visible or printed as written.
EVIL_SHOWN = ("[bold red]markup[/]", "\\x1b[31mred", "\\x1b]8;;https://evil.example/", "\\u202e")


def hostile_registry(root: Path) -> Path:
    """A valid registry whose every free-text field, quote and article holds :data:`EVIL`."""
    store.init_registry(root)
    text = f"Preamble {EVIL}\n1. Troops are capped at 600,000 {EVIL}.\n2. Elections {EVIL}.\n"
    new_text = text.replace("600,000", "800,000")

    def source(sid: str, body: str) -> Source:
        return Source(
            id=sid,
            title=f"Title {EVIL}",
            outlet=f"Outlet {EVIL}",
            url=f"https://x.example/{EVIL}",
            author=f"Author {EVIL}",
            note=f"Note {EVIL}",
            path=f"sources/{sid}.txt",
            sha256=hashlib.sha256(body.encode()).hexdigest(),
        )

    def cite(sid: str, body: str, needle: str) -> Anchor:
        start = body.index(needle)
        return anchors.make_anchor(sid, body, start, start + len(needle))

    old_quote, new_quote = f"600,000 {EVIL}", f"800,000 {EVIL}"
    v1 = PlanVersion(
        id="v1",
        date="2025-11-20",
        title=f"V1 {EVIL}",
        issuer=(f"Issuer {EVIL}",),
        parties=(f"Party {EVIL}",),
        completeness=Completeness.FULL,
        note=f"Note {EVIL}",
        evidence=(cite("a", text, EVIL),),
        statements=(Statement(text=f"Statement {EVIL}", evidence=(cite("a", text, EVIL),)),),
        points=(
            Point(
                key="p1",
                number=1,
                text=f"Troops are capped at {old_quote}.",
                topics=(f"topic{EVIL}",),
                evidence=(cite("a", text, old_quote),),
            ),
            Point(
                key="p2",
                number=2,
                summary=f"Summary {EVIL}",
                evidence=(cite("a", text, f"Elections {EVIL}"),),
            ),
        ),
    )
    v2 = PlanVersion(
        id="v2",
        date="2025-11-24",
        title=f"V2 {EVIL}",
        derived_from="v1",
        completeness=Completeness.FULL,
        events=(
            Event(date="2025-11-20", what=f"Event {EVIL}", evidence=(cite("b", new_text, EVIL),)),
        ),
        points=(
            Point(
                key="q1",
                number=1,
                text=f"Troops are capped at {new_quote}.",
                evidence=(cite("b", new_text, new_quote),),
            ),
        ),
        relations=(
            Relation(
                kind=RelationKind.REWORDED,
                old=("p1",),
                new=("q1",),
                note=f"Note {EVIL}",
                evidence=(cite("b", new_text, new_quote),),
            ),
            Relation(kind=RelationKind.DROPPED, old=("p2",), evidence=(cite("b", new_text, EVIL),)),
        ),
    )
    registry = Registry(
        sources=(source("a", text), source("b", new_text)),
        versions=(v1, v2),
        texts={"a": text, "b": new_text},
    )
    store.save_registry(
        root,
        registry,
        extra_files={"sources/a.txt": text.encode(), "sources/b.txt": new_text.encode()},
    )
    return root


def strings(data: object) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def _commands() -> list[list[str]]:
    commands = [
        ["versions"],
        ["versions", "--format", "json"],
        ["sources"],
        ["sources", "--format", "json"],
        ["show", "v1"],
        ["show", "v2"],
        ["show", "v1", "--format", "json"],
        ["show", "a"],
        ["show", "a", "--format", "json"],
        ["diff", "v1", "v2"],
        ["diff", "v1", "v2", "--show-unchanged", "--side-by-side"],
        ["diff", "v1", "v2", "--format", "json"],
        ["diff", "v1", "v2", "--format", "markdown"],
        ["diff", "v1", "v2", "--format", "xml"],
        ["show", "a", "--quotes"],
        ["show", "a", "--quotes", "--format", "json"],
        ["log", "v2"],
        ["trace", "v2:q1"],
        ["export"],
        ["export", "--format", "akn", "v1"],
        ["export", "--format", "akn", "v2", "--diff-from", "v1"],
    ]
    from plandiff.cli import COMMANDS

    return [c for c in commands if c[0] in COMMANDS]


@pytest.mark.parametrize("color", [False, True], ids=["plain", "color"])
def test_untrusted_text_is_never_acted_on_in_any_output(tmp_path: Path, color: bool) -> None:
    root = hostile_registry(tmp_path / "r")
    assert store.load_registry(root).version("v1") is not None
    for args in _commands():
        result = run(*args, registry=root, color=color)
        assert result.exit_code in (0, 1), (args, result.output)
        out = SGR.sub("", result.stdout) if color else result.stdout
        assert not RAW_CONTROL.search(out), (args, RAW_CONTROL.search(out))
        assert not RAW_CONTROL.search(result.stderr), args
        if "json" in args:
            assert any(EVIL in value for value in strings(json.loads(result.stdout))), args
        elif (
            args[0] in ("diff", "show", "log", "trace")
            and "xml" not in args
            and ("markdown" not in args)
        ):
            shown = out.replace("\n", "")
            assert any(piece in shown for piece in EVIL_SHOWN), (args, out[:500])


def test_markdown_output_cannot_inject_markup(tmp_path: Path) -> None:
    root = hostile_registry(tmp_path / "r")
    result = run("diff", "v1", "v2", "--format", "markdown", registry=root)
    assert result.exit_code == 0
    assert "<b>" not in result.stdout and "[bold red]markup[/]" not in result.stdout
    assert "\\*\\*bold\\*\\*" in result.stdout or "\\*\\*bold" in result.stdout


def test_xml_output_keeps_untrusted_text_exactly(tmp_path: Path) -> None:
    xmlarchive = pytest.importorskip("plandiff.xmlarchive", reason="XML archives not landed yet")
    root = hostile_registry(tmp_path / "r")
    result = run("export", registry=root)
    assert result.exit_code == 0
    assert not RAW_CONTROL.search(result.stdout)
    back, _ = xmlarchive.import_archive(result.stdout_bytes)
    assert back.version("v1").title == f"V1 {EVIL}"
    assert back.texts["a"] == store.load_registry(root).texts["a"]


# --------------------------------------------------------------------------- $COLUMNS

_PLAN_V1 = str(FIXTURES / "plans" / "ceasefire-v1.txt")
_PLAN_V2 = str(FIXTURES / "plans" / "ceasefire-v2.txt")


def _report(columns: str | None, *extra: str) -> Result:
    return CliRunner().invoke(
        cli,
        ["diff", _PLAN_V1, _PLAN_V2, *extra],
        obj=Env(color=False),  # width unset: the report's width comes from $COLUMNS
        env={"COLUMNS": columns, "NO_COLOR": "1"},
    )


@pytest.mark.parametrize("columns", ["abc", "", "0", "-5", "８０", "1e3"])
def test_columns_that_is_not_a_positive_number_falls_back_to_100(columns: str) -> None:
    """`COLUMNS=abc plandiff diff …` was an internal error (int('abc'))."""
    result = _report(columns)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == _report("100").stdout


def test_a_huge_columns_is_clamped_and_quick() -> None:
    """`COLUMNS=10000000 … --side-by-side` padded every line to ten million columns (minutes)."""
    start = time.perf_counter()
    result = _report("10000000", "--side-by-side")
    assert time.perf_counter() - start < 20
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout == _report("1000", "--side-by-side").stdout
    assert max(len(line) for line in result.stdout.splitlines()) <= 1000
    assert result.stdout != _report("999", "--side-by-side").stdout  # 1000 is really used


# ------------------------------------------------------------------- issue 18: unbounded reads
# Every read is bounded by bytes actually read; only regular files inside the registry are opened.


def _to_dev_zero(rel: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).unlink()
        (root / rel).symlink_to("/dev/zero")

    return mutate


def _to_fifo(rel: str) -> Mutation:
    def mutate(root: Path) -> None:
        (root / rel).unlink()
        os.mkfifo(root / rel)

    return mutate


@pytest.mark.parametrize(
    ("mutate", "line"),
    [
        (
            _to_dev_zero(TEXT4),
            f"plandiff: {SRC4}: path: path '{TEXT4}' escapes the registry (it resolves outside it)",
        ),
        (
            _to_dev_zero(US),
            f"plandiff: {US}: cannot read: path '{US}' escapes the registry (it resolves outside "
            "it)",
        ),
        (_to_fifo(US), f"plandiff: {US}: cannot read: file '{US}' is not a regular file"),
        (_to_fifo(TEXT4), f"plandiff: {SRC4}: path: text file '{TEXT4}' is not a regular file"),
    ],
    ids=["text to /dev/zero", "version to /dev/zero", "version is a FIFO", "text is a FIFO"],
)
def test_a_registry_file_that_is_a_device_or_fifo_is_refused_without_hanging(
    reg: Path, mutate: Mutation, line: str
) -> None:
    mutate(reg)
    started = time.monotonic()
    every_reader_refuses(reg, line)
    assert time.monotonic() - started < 20


def test_metadata_symlinked_outside_the_registry_is_refused(reg: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.toml"
    outside.write_bytes((reg / US).read_bytes())
    (reg / US).unlink()
    (reg / US).symlink_to(outside)
    every_reader_refuses(
        reg,
        f"plandiff: {US}: cannot read: path '{US}' escapes the registry (it resolves outside it)",
    )


def test_a_versions_folder_symlinked_outside_is_refused_and_never_written(
    reg: Path, tmp_path: Path
) -> None:
    """A write through a symlinked versions/ ended as 'internal error'; reading through it
    passed verify."""
    outside = tmp_path / "elsewhere"
    shutil.move(reg / "versions", outside)
    (reg / "versions").symlink_to(outside)
    before = {p.name: p.read_bytes() for p in outside.iterdir()}
    result = run("verify", registry=reg)
    assert result.exit_code == 2
    assert all("escapes the registry" in line for line in result.stderr.splitlines())
    refused(
        run("version", "add", "new-one", "--title", "New", registry=reg),
        *result.stderr.splitlines(),
    )
    assert {p.name: p.read_bytes() for p in outside.iterdir()} == before


def test_a_write_whose_target_folder_leads_outside_is_one_line(reg: Path, tmp_path: Path) -> None:
    registry = store.load_registry(reg)
    (tmp_path / "elsewhere").mkdir()
    (reg / "versions").rename(tmp_path / "kept")
    (reg / "versions").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(store.RegistryError) as caught:
        store.save_registry(reg, registry)
    assert str(caught.value).startswith("versions/") and "cannot write: path 'versions/" in str(
        caught.value
    )
    assert list((tmp_path / "elsewhere").iterdir()) == []


@pytest.mark.parametrize(
    "args",
    [
        ["diff", "/dev/zero", str(PLANS / "lf.txt")],
        ["source", "add", "/dev/zero", "--id", "zero"],
        ["version", "add", "zero", "--title", "Zero", "--from-text", "/dev/zero"],
    ],
    ids=["diff", "source add", "version add --from-text"],
)
def test_dev_zero_on_the_command_line_is_read_up_to_the_limit(reg: Path, args: list[str]) -> None:
    """st_size of /dev/zero is 0: the limit counts bytes read, and refuses past it."""
    before = snapshot(reg)
    refused(
        run(*args, registry=reg, env={"PLANDIFF_MAX_SOURCE_BYTES": "4096"}),
        "plandiff: '/dev/zero': more than 4096 bytes, over the limit of 4096 "
        "(PLANDIFF_MAX_SOURCE_BYTES raises it)",
    )
    assert snapshot(reg) == before


def test_standard_input_is_read_up_to_the_limit(reg: Path) -> None:
    plan = (PLANS / "lf.txt").read_bytes()
    env = {"PLANDIFF_MAX_SOURCE_BYTES": str(len(plan))}
    over = CliRunner().invoke(cli, ["diff", "-", str(PLANS / "lf.txt")], input=plan + b"x", env=env)
    assert over.exit_code == 2
    assert over.stderr == (
        f"plandiff: '-': more than {len(plan)} bytes, over the limit of {len(plan)} "
        "(PLANDIFF_MAX_SOURCE_BYTES raises it)\n"
    )
    same = CliRunner().invoke(
        cli, ["diff", "-", str(PLANS / "lf.txt"), "--format", "json"], input=plan, env=env
    )
    assert same.exit_code == 0, same.stderr
    assert json.loads(same.stdout)["summary"]["unchanged"] > 0
    refused(
        CliRunner().invoke(
            cli, ["--registry", str(reg), "source", "add", "-", "--id", "piped"],
            input=b"y\n" * 3000, env={"PLANDIFF_MAX_SOURCE_BYTES": "5000"},
        ),
        "plandiff: '-': more than 5000 bytes, over the limit of 5000 "
        "(PLANDIFF_MAX_SOURCE_BYTES raises it)",
    )  # fmt: skip


@pytest.mark.parametrize("expected", [0, 1, 699, 700, 701, 5000])
@pytest.mark.parametrize("limit", [10, 699, 700, 2000])
def test_what_stat_says_only_sizes_the_reads(tmp_path: Path, expected: int, limit: int) -> None:
    """A file that holds more or less than its stat said (it grew or shrank) is read as it is,
    and the limit counts the bytes read."""
    from plandiff.bounded import read_at_most

    data = bytes(range(256)) * 2 + b"x" * 188  # 700 bytes
    (tmp_path / "f").write_bytes(data)
    with open(tmp_path / "f", "rb") as fh:
        assert read_at_most(fh, limit, expected) == data[: limit + 1]
    fd = os.open(tmp_path / "f", os.O_RDONLY)
    try:
        assert read_at_most(fd, limit, expected) == data[: limit + 1]
    finally:
        os.close(fd)


def test_standard_input_is_only_one_side(reg: Path) -> None:
    refused(
        CliRunner().invoke(cli, ["diff", "-", "-"], input=b"1. a\n"),
        "plandiff: '-' (standard input) can be only one side of the diff",
    )


# --------------------------------------------------------------------------- issue 18: hand edits


@pytest.mark.parametrize(
    ("depth", "line"),
    [
        (5000, f"plandiff: {US}: TOML syntax error: values nested too deeply"),
        (300, f"plandiff: {US}: cannot read: values nested too deeply"),
    ],
)
def test_deeply_nested_toml_is_one_line(reg: Path, depth: int, line: str) -> None:
    (reg / US).write_text("x = " + "[" * depth + "]" * depth + "\n")
    refused(run("verify", registry=reg), line)


def test_a_source_path_naming_a_registry_file_fails_verify_and_is_never_overwritten(
    reg: Path, tmp_path: Path
) -> None:
    """A source whose path was versions/x.toml verified, and its recapture overwrote that
    version."""
    geneva = (reg / "versions" / "geneva-19.toml").read_bytes()
    edit(reg, SRC4, f'path = "{TEXT4}"', 'path = "versions/geneva-19.toml"')
    line = (
        f"plandiff: {SRC4}: path: path 'versions/geneva-19.toml' is where the registry keeps its "
        "own files"
    )
    result = run("verify", registry=reg)
    assert result.exit_code == 2 and line in result.stderr.splitlines()
    article = tmp_path / "article.txt"
    article.write_text("Something else entirely.\n")
    sid = SRC4.removeprefix("sources/").removesuffix(".toml")
    again = run("source", "add", str(article), "--id", sid, "--recapture", "--force", registry=reg)
    assert again.exit_code == 2 and line in again.stderr.splitlines()
    assert (reg / "versions" / "geneva-19.toml").read_bytes() == geneva


# --------------------------------------------------------------------------- issue 18: shared texts


def test_sources_sharing_a_text_file_fail_verify_and_recapture_overwrites_nothing(
    reg: Path, tmp_path: Path
) -> None:
    """Two sources citing one text file (same bytes) verified; a recapture of one overwrote the
    other's text. Sharing is refused, so nothing can be overwritten."""
    twin = reg / "sources" / "twin.toml"
    twin.write_bytes((reg / SRC4).read_bytes().replace(b'id = "004_', b'id = "twin-004_'))
    text = (reg / TEXT4).read_bytes()
    line = (
        f"plandiff: sources/twin.toml: path: file '{TEXT4}' is also the path of source "
        f"'{SRC4.removeprefix('sources/').removesuffix('.toml')}'; each source keeps its own files"
    )
    result = run("verify", registry=reg)
    assert result.exit_code == 2 and result.stderr.splitlines() == [line]
    article = tmp_path / "article.txt"
    article.write_text("A different capture.\n")
    twin_id = "twin-" + SRC4.removeprefix("sources/").removesuffix(".toml")
    refused(
        run("source", "add", str(article), "--id", twin_id, "--recapture", "--force", registry=reg),
        line,
    )
    assert (reg / TEXT4).read_bytes() == text


def test_recapture_writes_only_the_source_s_own_file(reg: Path, tmp_path: Path) -> None:
    before = snapshot(reg)
    article = tmp_path / "article.txt"
    article.write_text("A different capture.\n")
    result = run("source", "add", str(article), "--id", "fresh", registry=reg)
    assert result.exit_code == 0, result.stderr
    again = tmp_path / "again.txt"
    again.write_text("A second capture.\n")
    result = run("source", "add", str(again), "--id", "fresh", "--recapture", registry=reg)
    assert result.exit_code == 0, result.stderr
    after = snapshot(reg)
    assert {k: v for k, v in after.items() if k in before} == before
    assert after["sources/fresh.txt"] == b"A second capture.\n"
