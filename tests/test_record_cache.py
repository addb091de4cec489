"""The cache of what validation passed: a shortcut that is never wrong, and never in the way.

Every test gets a cache directory of its own (``cache`` below); the suite's default one is set
by conftest, so no test writes to the real home.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandiff import record_cache, store
from plandiff.cli import Env, cli
from plandiff.errors import RegistryError
from plandiff.records import RegistryRecord, record_of
from tests.helpers import copy_seeds, snapshot

US = "versions/us-28.toml"
SOURCE4 = "sources/004_6478cbe8c4d60a5a.toml"
TEXT4 = "004_6478cbe8c4d60a5a.txt"


@pytest.fixture
def reg(tmp_path: Path) -> Path:
    return copy_seeds(tmp_path)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    place = tmp_path / "cache"
    monkeypatch.setenv(record_cache.ENV_CACHE_DIR, str(place))
    monkeypatch.delenv(record_cache.ENV_NO_CACHE, raising=False)
    return place


@pytest.fixture
def validations(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The registries validated from here on (the cache calls ``store.load_checked``)."""
    seen: list[Path] = []
    real = store.load_checked

    def counted(root: Path, check_originals: bool = False) -> store.Registry:
        seen.append(root)
        return real(root, check_originals)

    monkeypatch.setattr(store, "load_checked", counted)
    return seen


#: Validation itself, uncounted: what the records must equal.
_VALIDATE = store.load_checked


def validated(root: Path) -> RegistryRecord:
    return record_of(_VALIDATE(root), RegistryRecord)


def entries(cache: Path) -> list[Path]:
    return sorted(cache.iterdir()) if cache.exists() else []


def test_a_second_read_gets_the_records_without_validating(
    reg: Path, cache: Path, validations: list[Path]
) -> None:
    first = record_cache.load_records(reg)
    assert len(validations) == 1 and len(entries(cache)) == 1
    second = record_cache.load_records(reg)
    assert len(validations) == 1  # served from the cache
    assert first == second == validated(reg)


def _edit(root: Path, rel: str, old: str, new: str) -> None:
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    "edit",
    [
        lambda r: _edit(r, "plandiff.toml", "format = 1", "# edited\nformat = 1"),
        lambda r: _edit(r, US, 'title = "US 28-point peace plan"', 'title = "US plan, edited"'),
        lambda r: _edit(r, SOURCE4, "title = ", 'note = "edited"\ntitle = '),
        lambda r: (r / "versions" / "us-29.toml").write_text(
            (r / US).read_text(encoding="utf-8").replace('id = "us-28"', 'id = "us-29"'),
            encoding="utf-8",
        ),
        lambda r: (r / US).unlink(),
    ],
    ids=["marker", "version", "source", "new-version-file", "removed-version-file"],
)
def test_any_metadata_edit_validates_again(
    reg: Path, cache: Path, validations: list[Path], edit: Callable[[Path], object]
) -> None:
    record_cache.load_records(reg)
    edit(reg)
    try:
        expected: RegistryRecord | str = validated(reg)
    except RegistryError as exc:  # removing us-28 leaves geneva-19 deriving from nothing
        expected = str(exc)
    try:
        found: RegistryRecord | str = record_cache.load_records(reg)
    except RegistryError as exc:
        found = str(exc)
    assert found == expected
    assert len(validations) == 2


def test_an_edited_text_file_is_validated_again_and_refused(reg: Path, cache: Path) -> None:
    record_cache.load_records(reg)
    with (reg / TEXT4).open("a", encoding="utf-8") as fh:
        fh.write("one more line\n")
    with pytest.raises(RegistryError, match="hash mismatch"):
        record_cache.load_records(reg)


def test_a_text_file_swapped_for_a_symlink_is_judged_by_validation(
    reg: Path, cache: Path, validations: list[Path]
) -> None:
    record_cache.load_records(reg)
    moved = reg / "elsewhere.txt"
    (reg / TEXT4).rename(moved)
    (reg / TEXT4).symlink_to(moved)
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2  # the same bytes, but reached another way: validated


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"",
        lambda data: b"not a cache entry at all",
        lambda data: data[: len(data) // 2],  # torn
        lambda data: data[:-5] + bytes([data[-5] ^ 1]) + data[-4:],  # one bit of the records
        lambda data: data.replace(b"plandiff-records 1", b"plandiff-records 9"),
    ],
    ids=["empty", "foreign", "torn", "flipped-bit", "other-layout"],
)
def test_a_damaged_entry_is_ignored_and_replaced(
    reg: Path,
    cache: Path,
    validations: list[Path],
    damage: Callable[[bytes], bytes],
) -> None:
    record_cache.load_records(reg)
    (entry,) = entries(cache)
    good = entry.read_bytes()
    entry.write_bytes(damage(good))
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2
    assert entry.read_bytes() == good  # rewritten whole


def test_an_entry_of_another_registry_is_ignored(
    reg: Path, tmp_path: Path, cache: Path, validations: list[Path]
) -> None:
    other = copy_seeds(tmp_path / "other")
    _edit(other, US, 'title = "US 28-point peace plan"', 'title = "Another plan"')
    record_cache.load_records(reg)
    record_cache.load_records(other)
    mine, theirs = (record_cache._entry_path(r) for r in (reg, other))
    assert mine is not None and theirs is not None
    mine.write_bytes(theirs.read_bytes())  # their key does not match this registry's files
    found = record_cache.load_records(reg)
    assert found == validated(reg)
    assert found.version("us-28").title == "US 28-point peace plan"  # type: ignore[union-attr]
    assert len(validations) == 3


def test_an_unreadable_entry_is_ignored(reg: Path, cache: Path, validations: list[Path]) -> None:
    record_cache.load_records(reg)
    (entry,) = entries(cache)
    entry.unlink()
    os.mkfifo(entry)  # opened without blocking, and not a regular file: ignored
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX owners and modes")
def test_an_entry_another_user_could_have_written_is_ignored(
    reg: Path, cache: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    record_cache.load_records(reg)
    (entry,) = entries(cache)
    entry.chmod(0o622)  # writable by others: anyone could have put records there
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2
    assert entry.stat().st_mode & 0o777 == 0o600  # replaced by one of this user's own
    real = os.geteuid()
    monkeypatch.setattr(os, "geteuid", lambda: real + 1)  # as if another user owned it
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 3


def test_a_cache_that_cannot_be_written_changes_nothing(
    reg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, validations: list[Path]
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory\n")
    monkeypatch.setenv(record_cache.ENV_CACHE_DIR, str(blocker / "cache"))
    assert record_cache.load_records(reg) == record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2
    assert blocker.read_text() == "not a directory\n"


def test_the_registry_is_never_written(reg: Path, cache: Path) -> None:
    before = snapshot(reg)
    record_cache.load_records(reg)
    record_cache.load_records(reg)
    assert snapshot(reg) == before
    assert len(entries(cache)) == 1


def test_turned_off_it_neither_reads_nor_writes(
    reg: Path, cache: Path, validations: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    record_cache.load_records(reg)
    (entry,) = entries(cache)
    stamp = entry.stat().st_mtime_ns
    monkeypatch.setenv(record_cache.ENV_NO_CACHE, "1")
    assert record_cache.load_records(reg) == validated(reg)
    assert len(validations) == 2
    assert entries(cache) == [entry] and entry.stat().st_mtime_ns == stamp


def test_a_pending_journal_is_refused_even_with_a_warm_cache(reg: Path, cache: Path) -> None:
    record_cache.load_records(reg)
    (reg / store.TXN_DIR).mkdir()
    (reg / store.TXN_DIR / "manifest.json").write_text("[]")
    with pytest.raises(RegistryError) as found:
        record_cache.load_records(reg)
    with pytest.raises(RegistryError) as expected:
        store.load_registry(reg)
    assert str(found.value) == str(expected.value)
    assert "an interrupted write is pending" in str(found.value)


def test_the_cache_directory(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in (record_cache.ENV_CACHE_DIR, record_cache.ENV_NO_CACHE, "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert record_cache.cache_dir() == tmp_path / "home" / ".cache" / "plandiff"
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/ignored")
    assert record_cache.cache_dir() == tmp_path / "home" / ".cache" / "plandiff"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert record_cache.cache_dir() == tmp_path / "xdg" / "plandiff"
    monkeypatch.setenv(record_cache.ENV_CACHE_DIR, str(tmp_path / "mine"))
    assert record_cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv(record_cache.ENV_NO_CACHE, "0")
    assert record_cache.cache_dir() == tmp_path / "mine"
    monkeypatch.setenv(record_cache.ENV_NO_CACHE, "1")
    assert record_cache.cache_dir() is None


def test_plandiff_diff_reports_an_edit_made_after_a_cached_run(reg: Path, cache: Path) -> None:
    def title_line() -> str:
        result = CliRunner().invoke(
            cli,
            ["--registry", str(reg), "diff", "us-28", "geneva-19", "--format", "markdown"],
            obj=Env(width=100, color=False),
        )
        assert result.exit_code == 0, result.output
        return next(line for line in result.output.splitlines() if line.startswith("| Title"))

    assert "US 28-point peace plan" in title_line()
    assert "US 28-point peace plan" in title_line()  # from the cache
    _edit(reg, US, 'title = "US 28-point peace plan"', 'title = "US plan, edited"')
    assert "US plan, edited" in title_line()


def test_the_key_covers_every_module_that_validation_runs() -> None:
    # An entry is trusted only while the code that validated it is unchanged: every module the
    # validating load imports must be part of the key, or a new rule (in graphemes, say) would
    # let an old entry pass what the new code refuses.
    code = (
        "import sys, plandiff.store, plandiff.record_cache\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('plandiff.'))))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert {m.removeprefix("plandiff.") + ".py" for m in loaded} <= set(record_cache._CODE)


def test_an_edited_earlier_capture_is_validated_again_and_refused(
    tmp_path: Path, cache: Path
) -> None:
    """A capture a recapture kept is checked against the quotes citing it, so the cache holds
    its digest too: editing it after a cached read is caught."""
    reg = tmp_path / "reg"
    article = tmp_path / "a.txt"
    runner = CliRunner(env={store.ENV_REGISTRY: None})

    def run(*args: str) -> None:
        result = runner.invoke(cli, ["--registry", str(reg), *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output

    assert runner.invoke(cli, ["init", str(reg)]).exit_code == 0
    article.write_text("First text.\n", encoding="utf-8")
    run("source", "add", str(article))
    article.write_text("Second text.\n", encoding="utf-8")
    run("source", "add", str(article), "--id", "a", "--recapture", "--retrieved", "2031-01-01")
    record_cache.load_records(reg)
    (reg / "sources" / "a.capture-1.txt").write_text("Edited.\n", encoding="utf-8")
    with pytest.raises(RegistryError, match=r"captures\[0\]\.sha256: hash mismatch"):
        record_cache.load_records(reg)
