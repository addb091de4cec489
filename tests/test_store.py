"""Registry loading: every problem is reported, one line each, and nothing is written."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandiff import store
from plandiff.cli import cli
from plandiff.errors import RegistryError
from plandiff.models import iter_anchors
from tests.helpers import copy_seeds, snapshot

US = "versions/us-28.toml"
GENEVA = "versions/geneva-19.toml"
SRC4 = "sources/004_6478cbe8c4d60a5a.toml"


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path)


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def verify(root: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(cli, ["--registry", str(root), "verify"])
    return result.exit_code, result.stderr.splitlines()


def check_problem(root: Path, expected: str) -> None:
    """The CLI prints exactly the expected line (among others) and writes nothing."""
    before = snapshot(root)
    code, lines = verify(root)
    assert code == 2
    assert expected in lines, lines
    for line in lines:
        assert line.startswith("plandiff: ")
        assert "\n" not in line
    assert snapshot(root) == before
    # --fix refuses too and writes nothing.
    result = CliRunner().invoke(cli, ["--registry", str(root), "verify", "--fix"])
    assert result.exit_code == 2
    assert snapshot(root) == before


def test_bundled_registry_verifies() -> None:
    result = CliRunner().invoke(cli, ["--registry", str(store.bundled_registry_path()), "verify"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("ok: 2 version(s), 2 source(s), 22 anchor(s) verified")


def test_malformed_file(reg: Path) -> None:
    edit(reg, US, 'title = "US', 'title = = "US')
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: TOML syntax error: Invalid value (at line 2, column 9)",
    )


def test_unknown_field(reg: Path) -> None:
    edit(reg, US, 'title = "US', 'colour = "red"\ntitle = "US')
    check_problem(reg, "plandiff: versions/us-28.toml: colour: unknown field")


def test_unknown_field_nested(reg: Path) -> None:
    edit(reg, US, 'key = "armed-forces"', 'key = "armed-forces"\nweight = 3')
    check_problem(reg, "plandiff: versions/us-28.toml: points[1].weight: unknown field")


def test_missing_required_field(reg: Path) -> None:
    edit(reg, US, 'completeness = "partial"\n', "")
    check_problem(reg, "plandiff: versions/us-28.toml: completeness: required field is missing")


def test_wrong_type(reg: Path) -> None:
    edit(reg, US, "declared_points = 28", 'declared_points = "many"')
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: declared_points: Input should be a valid integer "
        "(got 'many')",
    )


def test_duplicate_id(reg: Path) -> None:
    text = (reg / US).read_text(encoding="utf-8")
    (reg / "versions/copy.toml").write_text(text, encoding="utf-8")
    check_problem(
        reg, "plandiff: versions/us-28.toml: id: duplicate id 'us-28' (also in versions/copy.toml)"
    )


def test_duplicate_point_key(reg: Path) -> None:
    edit(reg, US, 'key = "armed-forces"', 'key = "territory"')
    check_problem(
        reg, "plandiff: versions/us-28.toml: points[1].key: duplicate point key 'territory'"
    )


def test_unknown_source_id(reg: Path) -> None:
    edit(reg, US, 'source = "004_6478cbe8c4d60a5a"', 'source = "nowhere"')
    check_problem(
        reg, "plandiff: versions/us-28.toml: evidence[0].source: unknown source 'nowhere'"
    )


def test_unknown_version_id(reg: Path) -> None:
    edit(reg, GENEVA, 'derived_from = "us-28"', 'derived_from = "us-27"')
    check_problem(reg, "plandiff: versions/geneva-19.toml: derived_from: unknown version 'us-27'")


def test_derived_from_cycle(reg: Path) -> None:
    edit(
        reg, US, 'completeness = "partial"', 'derived_from = "geneva-19"\ncompleteness = "partial"'
    )
    check_problem(
        reg, "plandiff: versions/us-28.toml: derived_from: cycle: us-28 → geneva-19 → us-28"
    )


def test_relation_to_unknown_point(reg: Path) -> None:
    edit(reg, GENEVA, 'old = [\n    "territory",', 'old = [\n    "borders",')
    check_problem(
        reg,
        "plandiff: versions/geneva-19.toml: relations[0].old: unknown point 'borders' "
        "in version 'us-28'",
    )


def _drop_offsets(root: Path, rel: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    text = re.sub(r"^(start|end) = \d+\n", "", text, flags=re.M)
    path.write_text(text, encoding="utf-8")


def test_quote_not_found(reg: Path) -> None:
    _drop_offsets(reg, US)
    edit(reg, US, 'quote = "certain US guarantees"', 'quote = "certain EU guarantees"')
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: points[2].evidence[0]: quote 'certain EU guarantees' "
        "not found in source '004_6478cbe8c4d60a5a'",
    )


def test_quote_ambiguous(reg: Path) -> None:
    _drop_offsets(reg, US)
    text = (reg / US).read_text(encoding="utf-8")
    text = re.sub(r'^(prefix|suffix) = (""".*?"""|".*?")\n', "", text, flags=re.M | re.S)
    (reg / US).write_text(text, encoding="utf-8")
    edit(reg, US, 'quote = "certain US guarantees"', 'quote = "Marco Rubio"')
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: points[2].evidence[0]: quote 'Marco Rubio' is ambiguous "
        "in source '004_6478cbe8c4d60a5a': 5 occurrences (at 178, 602, 818, 2072, 2561); "
        "add offsets or a prefix/suffix",
    )


def test_offsets_out_of_range(reg: Path) -> None:
    edit(reg, US, "start = 1382\nend = 1403", "start = 9382\nend = 9403")
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: points[2].evidence[0]: offsets 9382..9403 out of range: "
        "source '004_6478cbe8c4d60a5a' has 2639 characters",
    )


def test_offsets_not_matching_quote(reg: Path) -> None:
    edit(reg, US, "start = 1382\nend = 1403", "start = 1383\nend = 1404")
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: points[2].evidence[0]: offsets 1383..1404 hold "
        "'ertain US guarantees,', not the quote 'certain US guarantees'",
    )


def test_offsets_not_spanning_quote(reg: Path) -> None:
    edit(reg, US, "start = 1382\nend = 1403", "start = 1382\nend = 1400")
    check_problem(
        reg,
        "plandiff: versions/us-28.toml: points[2].evidence[0]: Value error, offsets 1382..1400 "
        "span 18 characters but the quote has 21",
    )


def test_source_file_missing(reg: Path) -> None:
    (reg / "004_6478cbe8c4d60a5a.txt").unlink()
    check_problem(reg, f"plandiff: {SRC4}: path: text file '004_6478cbe8c4d60a5a.txt' is missing")


def test_source_hash_mismatch(reg: Path) -> None:
    path = reg / "004_6478cbe8c4d60a5a.txt"
    path.write_bytes(path.read_bytes().replace(b"Kyiv", b"Kiev"))
    code, lines = verify(reg)
    assert code == 2
    assert any(
        line.startswith(
            f"plandiff: {SRC4}: sha256: hash mismatch: '004_6478cbe8c4d60a5a.txt' has sha256 "
        )
        for line in lines
    ), lines


def test_source_path_escaping_registry(reg: Path) -> None:
    edit(reg, SRC4, 'path = "004_6478cbe8c4d60a5a.txt"', 'path = "../../etc/passwd"')
    check_problem(reg, f"plandiff: {SRC4}: path: path '../../etc/passwd' escapes the registry")


def test_every_problem_reported_at_once(reg: Path) -> None:
    edit(reg, US, 'title = "US', 'colour = "red"\ntitle = "US')
    edit(reg, GENEVA, 'derived_from = "us-28"', 'derived_from = "us-27"')
    (reg / "000_01fd698e422cb727.txt").unlink()
    code, lines = verify(reg)
    assert code == 2
    assert len(lines) >= 3
    with pytest.raises(RegistryError) as info:
        store.load_registry(reg)
    assert len(info.value.problems) == len(lines)


def test_not_a_registry(tmp_path: Path) -> None:
    code, lines = verify(tmp_path)
    assert code == 2
    assert lines == [
        f"plandiff: {tmp_path}: not a plandiff registry (no plandiff.toml; see 'plandiff init')"
    ]


def test_fix_fills_offsets_and_context(reg: Path) -> None:
    _drop_offsets(reg, US)
    before = store.load_registry(reg)  # hand-written anchors without offsets load fine
    assert any(not a.located for v in before.versions for _, a in iter_anchors(v))
    result = CliRunner().invoke(cli, ["--registry", str(reg), "verify", "--fix"])
    assert result.exit_code == 0, result.output
    assert "filled offsets of 6 anchor(s)" in result.output
    after = store.load_registry(reg)
    assert all(a.located for v in after.versions for _, a in iter_anchors(v))
    # What --fix writes is exactly what the bundled registry holds.
    assert (reg / US).read_bytes() == (store.bundled_registry_path() / US).read_bytes()


def test_save_is_atomic_and_leaves_no_temporary_files(reg: Path) -> None:
    registry = store.load_registry(reg)
    version = registry.version("us-28")
    assert version is not None
    changed = version.model_copy(update={"title": "Renamed"})
    new = registry.model_copy(
        update={"versions": tuple(changed if v.id == "us-28" else v for v in registry.versions)}
    )
    store.save_registry(reg, new)
    assert store.load_registry(reg).version("us-28").title == "Renamed"
    leftovers = [
        p.name for p in reg.rglob("*") if p.name.startswith(".") and p.name != ".plandiff.lock"
    ]
    assert leftovers == []


def test_save_refuses_invalid_registry_and_writes_nothing(reg: Path) -> None:
    registry = store.load_registry(reg)
    version = registry.version("geneva-19")
    assert version is not None
    broken = version.model_copy(update={"derived_from": "missing"})
    new = registry.model_copy(
        update={"versions": tuple(broken if v.id == "geneva-19" else v for v in registry.versions)}
    )
    before = snapshot(reg)
    with pytest.raises(RegistryError, match="unknown version 'missing'"):
        store.save_registry(reg, new)
    assert snapshot(reg) == before


def test_interrupted_commit_before_manifest_is_discarded(reg: Path) -> None:
    before = snapshot(reg)
    txn = reg / store.TXN_DIR
    txn.mkdir()
    (txn / "0.new").write_bytes(b"garbage")
    store.load_registry(reg, recover=True)
    assert not txn.exists()
    assert snapshot(reg) == before


def test_interrupted_commit_after_manifest_is_finished(reg: Path) -> None:
    txn = reg / store.TXN_DIR
    txn.mkdir()
    new_bytes = (reg / US).read_bytes().replace(b"US 28-point peace plan", b"Recovered title")
    (txn / "0.new").write_bytes(new_bytes)
    digest = hashlib.sha256(new_bytes).hexdigest()
    entry = {"path": "versions/us-28.toml", "staged": "0.new", "sha256": digest}
    (txn / "manifest.json").write_text(json.dumps([entry]))
    assert store.load_registry(reg, recover=True).version("us-28").title == "Recovered title"
    assert not txn.exists()


def test_init_creates_empty_registry_and_refuses_non_empty(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "new"
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 0
    assert store.load_registry(target).versions == ()
    result = runner.invoke(cli, ["init", str(target)])
    assert result.exit_code == 2
    assert result.stderr == f"plandiff: {target}: directory is not empty\n"
