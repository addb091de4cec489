"""``plandiff export`` and ``plandiff import``: exact output, exit codes, nothing half-written.

Hostile archives live under fixtures/xml/; every one must end with exit status 2, one line on
stderr, and no file or directory left behind. The fixtures built from the small registry of
test_xmlarchive.py are regenerated with ``PLANDIFF_REGENERATE=1 pytest tests/test_archive_cli.py``
(a test fails when they drift from what the code writes).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from plandiff import store, xmlarchive
from plandiff.cli import cli
from plandiff.errors import PlandiffError
from tests.helpers import FIXTURES, SEEDS, copy_seeds, snapshot
from tests.test_xmlarchive import (
    CAPTURE_PATHS,
    CREATED,
    NS,
    canonical,
    captured_registry,
    export,
    independent_schema,
    redigest,
    reparse,
    tiny_files,
    tiny_registry,
)

XML_FIXTURES = FIXTURES / "xml"


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def one_error_line(result: Result) -> str:
    assert result.exit_code == 2, (result.exit_code, result.output, result.stderr)
    lines = result.stderr.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("plandiff: ")
    assert result.stdout == ""
    return lines[0]


# --------------------------------------------------------------------------- fixtures


def _valid() -> bytes:
    """The small registry's archive, with a fixed generator version (the digest skips it)."""
    root = reparse(export(tiny_registry(store_safe=True)))
    root.find(f"{{{NS}}}generator").set("version", "fixture")
    return redigest(root)


def _valid_with_captures() -> bytes:
    """The small registry with its sources' original captures (an HTML page, a UTF-16 file)."""
    registry, originals = captured_registry(store_safe=True)
    root = reparse(export(registry, originals))
    root.find(f"{{{NS}}}generator").set("version", "fixture")
    return redigest(root)


def _without_captures(data: bytes) -> bytes:
    """What plandiff wrote before archives kept captures: the <original> paths only."""
    root = reparse(data)
    for capture in list(root.iter(f"{{{NS}}}capture")):
        capture.getparent().remove(capture)
    return redigest(root)


def _with_doctype(doctype: bytes, data: bytes) -> bytes:
    head, rest = data.split(b"\n", 1)
    return head + b"\n" + doctype + b"\n" + rest


def _changed(data: bytes, xpath: str, text: str) -> bytes:
    root = reparse(data)
    (el,) = root.xpath(xpath, namespaces={"p": NS})
    el.text = text
    return redigest(root)


def _billion_laughs() -> bytes:
    entities = ['  <!ENTITY lol0 "lol">']
    for n in range(1, 10):
        entities.append(f'  <!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">')
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE archive [\n'
        + "\n".join(entities)
        + f'\n]>\n<archive xmlns="{NS}">&lol9;</archive>\n'
    ).encode()


def fixture_documents() -> dict[str, bytes]:
    """Every generated file under fixtures/xml/, by name."""
    valid = _valid()
    wire_part = "//p:source[@id='wire']/p:text/p:part"
    wire_text = reparse(valid).xpath(wire_part, namespaces={"p": NS})[0].text
    xxe = _with_doctype(
        b'<!DOCTYPE archive [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        valid.replace(b"<note>   </note>", b"<note>&xxe;</note>"),
    )
    remote = _with_doctype(
        b'<!DOCTYPE archive SYSTEM "http://plandiff.invalid/archive.dtd" [\n'
        b'  <!ENTITY % remote SYSTEM "http://plandiff.invalid/entities.dtd">\n  %remote;\n]>',
        valid,
    )
    depth = 10_000
    captured = _valid_with_captures()
    wire_capture = "//p:source[@id='wire']/p:capture/p:part"
    html = reparse(captured).xpath(wire_capture, namespaces={"p": NS})[0].text
    return {
        "valid.xml": valid,
        "captures.xml": captured,
        "captures-missing.xml": _without_captures(captured),
        # The page's 100 000 troops became 800 000 and the digest was recomputed: the
        # capture's own sha256 still tells.
        "capture-sha256-mismatch.xml": _changed(captured, wire_capture, html.replace("100", "800")),
        "capture-path-escape.xml": _changed(
            captured, "//p:source[@id='wire']/p:original", "../../etc/cron.d/plandiff"
        ),
        "billion-laughs.xml": _billion_laughs(),
        "external-entity.xml": xxe,
        "remote-dtd.xml": remote,
        "deep-nesting.xml": (
            f'<?xml version="1.0" encoding="UTF-8"?>\n<archive xmlns="{NS}">\n'.encode()
            + b"<a>" * depth
            + b"</a>" * depth
            + b"\n</archive>\n"
        ),
        # 100 000 troops became 800 000, and the digest was recomputed: the source's own
        # sha256 still tells.
        "sha256-mismatch.xml": _changed(valid, wire_part, wire_text.replace("100", "800")),
        "truncated.xml": valid[: len(valid) // 2],
        "wrong-namespace.xml": valid.replace(NS.encode(), b"urn:example:not-plandiff"),
        "path-escape.xml": _changed(valid, "//p:source[@id='esc']/p:path", "../../etc/passwd"),
        "path-absolute.xml": _changed(valid, "//p:source[@id='esc']/p:path", "/etc/passwd"),
    }


def test_fixtures_are_what_the_code_writes() -> None:
    documents = fixture_documents()
    if os.environ.get("PLANDIFF_REGENERATE"):
        XML_FIXTURES.mkdir(parents=True, exist_ok=True)
        for name, data in documents.items():
            (XML_FIXTURES / name).write_bytes(data)
    for name, data in documents.items():
        path = XML_FIXTURES / name
        assert path.is_file() and path.read_bytes() == data, (
            f"fixtures/xml/{name} is stale: PLANDIFF_REGENERATE=1 pytest tests/test_archive_cli.py"
        )


def test_valid_fixture_imports(tmp_path: Path) -> None:
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(tmp_path / "r"))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"imported 2 version(s) and 2 source(s) into {tmp_path / 'r'}\n"
    assert store.load_registry(tmp_path / "r") == canonical(tiny_registry(store_safe=True))


def test_captures_fixture_imports_every_file(tmp_path: Path) -> None:
    into = tmp_path / "r"
    result = run("import", str(XML_FIXTURES / "captures.xml"), "--into", str(into))
    assert result.exit_code == 0, result.stderr
    assert result.stderr == ""
    registry, originals = captured_registry(store_safe=True)
    assert store.load_registry(into) == canonical(registry)
    for sid, data in originals.items():
        assert (into / CAPTURE_PATHS[sid]).read_bytes() == data
    for rel, data in tiny_files().items():
        assert (into / rel).read_bytes() == data
    assert run("--registry", str(into), "verify").exit_code == 0
    again = run("--registry", str(into), "export", "--created", "2025-11-26T12:00:00Z")
    assert again.exit_code == 0, again.stderr
    assert again.stdout_bytes == export(registry, originals)


#: fixture → what its one line says after "plandiff: <path>:"
HOSTILE = {
    "billion-laughs.xml": r"2: DOCTYPE declarations are not allowed in an archive \(entities and "
    r"DTDs are never loaded\)",
    "external-entity.xml": r"2: DOCTYPE declarations are not allowed in an archive .*",
    "remote-dtd.xml": r"2: DOCTYPE declarations are not allowed in an archive .*",
    "deep-nesting.xml": r"3: elements nested deeper than the parser allows \(plandiff reads 16 "
    r"levels\)",
    "sha256-mismatch.xml": r"\d+: source 'wire': text has sha256 [0-9a-f]{64}, but the archive "
    r"records [0-9a-f]{64}",
    "truncated.xml": r"\d+: not well-formed XML: .*",
    "wrong-namespace.xml": r"2: not a plandiff archive: the root element is "
    r"'\{urn:example:not-plandiff\}archive', expected '\{urn:plandiff:archive:1\}archive'",
    "path-escape.xml": r"\d+: source 'esc': path '../../etc/passwd' escapes the registry",
    "path-absolute.xml": r"\d+: source 'esc': path '/etc/passwd' escapes the registry",
    "capture-sha256-mismatch.xml": r"\d+: source 'wire': capture has sha256 [0-9a-f]{64}, but "
    r"the archive records [0-9a-f]{64}",
    "capture-path-escape.xml": r"\d+: source 'wire': original: path '../../etc/cron.d/plandiff' "
    r"escapes the registry",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_archive_is_refused_and_nothing_is_written(name: str, tmp_path: Path) -> None:
    fixture = XML_FIXTURES / name
    into = tmp_path / "new" / "registry"
    result = run("import", str(fixture), "--into", str(into))
    line = one_error_line(result)
    assert re.fullmatch(rf"plandiff: {re.escape(str(fixture))}:{HOSTILE[name]}", line), line
    assert "root:" not in result.output + result.stderr  # nothing of /etc/passwd leaked
    assert list(tmp_path.iterdir()) == []
    # Into an existing registry with --force: refused the same way, and it is left untouched.
    registry = copy_seeds(tmp_path)
    before = snapshot(tmp_path)
    forced = run("import", str(fixture), "--into", str(registry), "--force")
    assert one_error_line(forced) == line
    assert snapshot(tmp_path) == before
    assert not (registry / store.LOCK_NAME).exists()


def test_values_with_crlf_survive_the_store(tmp_path: Path) -> None:
    archive = tmp_path / "a.xml"
    archive.write_bytes(export(tiny_registry()))
    result = run("import", str(archive), "--into", str(tmp_path / "r"))
    assert result.exit_code == 0, result.stderr
    assert store.load_registry(tmp_path / "r") == canonical(tiny_registry())


def test_every_problem_is_reported_on_its_own_line(tmp_path: Path) -> None:
    root = reparse(_valid())
    anchors = list(root.iter(f"{{{NS}}}anchor"))
    for anchor in anchors[:3]:
        anchor.set("source", "nowhere")
    archive = tmp_path / "a.xml"
    archive.write_bytes(redigest(root))
    result = run("import", str(archive), "--into", str(tmp_path / "r"))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        f"plandiff: {archive}:{a.sourceline}: anchor names unknown source 'nowhere'"
        for a in anchors[:3]
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]


# --------------------------------------------------------------------------- export


def test_help() -> None:
    for command in ("export", "import"):
        result = run(command, "--help")
        assert result.exit_code == 0
        assert result.output.startswith(f"Usage: cli {command} ")
        assert "Exit status: 0 success" in result.output


def test_export_to_stdout_and_to_a_file(tmp_path: Path) -> None:
    out = run("--registry", str(SEEDS), "export", "--created", "2025-11-26T12:00:00Z")
    assert out.exit_code == 0, out.stderr
    assert out.stdout_bytes == export(store.load_registry(SEEDS))
    target = tmp_path / "a.xml"
    written = run("--registry", str(SEEDS), "export", "--created", "2025-11-26T14:00+02:00",
                  "-o", str(target))  # fmt: skip
    assert written.exit_code == 0 and written.output == ""
    assert target.read_bytes() == out.stdout_bytes
    assert independent_schema().validate(etree.parse(str(target)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.xml"]  # no temporary file left


def test_export_created_without_offset_is_utc() -> None:
    out = run("--registry", str(SEEDS), "export", "--created", "2025-11-26T12:00:00")
    assert out.stdout_bytes == export(store.load_registry(SEEDS))


def test_export_rejects_a_bad_created_time(tmp_path: Path) -> None:
    result = run("--registry", str(SEEDS), "export", "--created", "yesterday", "-o",
                 str(tmp_path / "a.xml"))  # fmt: skip
    assert result.exit_code == 2
    assert "Invalid value for '--created': 'yesterday' is not an ISO 8601 date" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_export_of_a_broken_registry_writes_nothing(tmp_path: Path) -> None:
    registry = copy_seeds(tmp_path)
    (registry / "versions" / "us-28.toml").write_text("id = 'us-28'\n", encoding="utf-8")
    target = tmp_path / "a.xml"
    result = run("--registry", str(registry), "export", "-o", str(target))
    assert result.exit_code == 2
    assert not target.exists()


# --------------------------------------------------------------------------- import


def test_export_import_export_is_byte_identical(tmp_path: Path) -> None:
    # The "done when", without --created: the import leaves a stamp with the archive's
    # time and digest, and an export of the unchanged registry reuses that time.
    first = tmp_path / "a.xml"
    assert run("--registry", str(SEEDS), "export", "-o", str(first)).exit_code == 0
    imported = run("import", str(first), "--into", str(tmp_path / "r"))
    assert imported.exit_code == 0, imported.stderr
    second = run("--registry", str(tmp_path / "r"), "export")
    assert second.exit_code == 0, second.stderr
    assert second.stdout_bytes == first.read_bytes()
    verify = run("--registry", str(tmp_path / "r"), "verify")
    assert verify.exit_code == 0, verify.stderr
    for s in store.load_registry(SEEDS).sources:
        assert (tmp_path / "r" / s.path).read_bytes() == (SEEDS / s.path).read_bytes()


def test_the_stamp_is_ignored_once_the_registry_changes(tmp_path: Path) -> None:
    archive = tmp_path / "a.xml"
    run("--registry", str(SEEDS), "export", "--created", "2001-01-01T00:00:00Z", "-o", str(archive))
    run("import", str(archive), "--into", str(tmp_path / "r"))
    stamp = tomllib.loads((tmp_path / "r" / xmlarchive.STAMP_NAME).read_text(encoding="utf-8"))
    assert stamp["created"] == dt.datetime(2001, 1, 1, tzinfo=dt.UTC)
    version = tmp_path / "r" / "versions" / "us-28.toml"
    version.write_text(
        version.read_text(encoding="utf-8").replace("US 28-point peace plan", "US plan"),
        encoding="utf-8",
    )
    again = run("--registry", str(tmp_path / "r"), "export")
    created = reparse(again.stdout_bytes).findtext(f"{{{NS}}}created")
    assert created != "2001-01-01T00:00:00Z"


def test_import_refuses_a_non_empty_directory(tmp_path: Path) -> None:
    into = tmp_path / "r"
    into.mkdir()
    (into / "notes.txt").write_text("mine", encoding="utf-8")
    before = snapshot(tmp_path)
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(into))
    assert (
        one_error_line(result)
        == f"plandiff: {into}: directory is not empty (--force imports into it)"
    )
    assert snapshot(tmp_path) == before


def test_import_force_replaces_the_registry_files(tmp_path: Path) -> None:
    registry = copy_seeds(tmp_path)
    (registry / "notes.txt").write_text("mine", encoding="utf-8")
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(registry), "--force")
    assert result.exit_code == 0, result.stderr
    assert store.load_registry(registry) == canonical(tiny_registry(store_safe=True))
    assert not (registry / "versions" / "us-28.toml").exists()
    assert (registry / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_import_into_an_existing_empty_directory_keeps_its_mode(tmp_path: Path) -> None:
    into = tmp_path / "r"
    into.mkdir(mode=0o750)
    into.chmod(0o750)
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(into))
    assert result.exit_code == 0, result.stderr
    assert into.stat().st_mode & 0o777 == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r"]  # no staging directory left
    files = {rel: data for rel, data in snapshot(into).items() if rel in tiny_files()}
    assert files == tiny_files()


def test_import_creates_missing_folders_and_removes_them_on_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    into = tmp_path / "a" / "b" / "r"
    assert run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(into)).exit_code == 0
    assert store.load_registry(into) == canonical(tiny_registry(store_safe=True))
    shutil.rmtree(tmp_path / "a")

    def broken_write(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store, "save_registry", broken_write)
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(into))
    assert one_error_line(result) == "plandiff: No space left on device"
    assert list(tmp_path.iterdir()) == []


def test_import_needs_a_readable_archive_and_a_directory(tmp_path: Path) -> None:
    missing = tmp_path / "missing.xml"
    result = run("import", str(missing), "--into", str(tmp_path / "r"))
    assert one_error_line(result) == f"plandiff: '{missing}': no such file"
    result = run("import", str(tmp_path), "--into", str(tmp_path / "r"))
    assert one_error_line(result) == f"plandiff: '{tmp_path}' is a directory, not an archive file"
    (tmp_path / "file").write_text("x", encoding="utf-8")
    result = run("import", str(XML_FIXTURES / "valid.xml"), "--into", str(tmp_path / "file"))
    assert one_error_line(result) == f"plandiff: {tmp_path / 'file'}: exists and is not a directory"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["file"]


def test_import_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLANDIFF_MAX_ARCHIVE_BYTES", "1000")
    fixture = XML_FIXTURES / "valid.xml"
    result = run("import", str(fixture), "--into", str(tmp_path / "r"))
    assert one_error_line(result) == (
        f"plandiff: '{fixture}': {fixture.stat().st_size} bytes, over the limit of 1000 "
        "(PLANDIFF_MAX_ARCHIVE_BYTES raises it)"
    )
    assert list(tmp_path.iterdir()) == []


def test_created_default_is_now_for_a_registry_never_imported(tmp_path: Path) -> None:
    result = run("--registry", str(copy_seeds(tmp_path)), "export")
    created = dt.datetime.fromisoformat(reparse(result.stdout_bytes).findtext(f"{{{NS}}}created"))
    assert abs((dt.datetime.now(dt.UTC) - created).total_seconds()) < 60
    assert CREATED.tzinfo is dt.UTC


# --------------------------------------------------------------------------- original captures

#: A text file as Notepad saves "Unicode": UTF-16 LE with its mark; the store keeps UTF-8 text,
#: and this file as the source's original capture.
UTF16_FILE = b"\xff\xfe" + (
    "Kyiv said the plan has 20 points.\r\nThe second line \u2013 with a dash.\r\n"
).encode("utf-16-le")


def recorded_registry(tmp_path: Path) -> Path:
    """A registry recorded with 'source add': an HTML page and a UTF-16 text file, each kept
    beside its extracted text as the source's original capture."""
    root = tmp_path / "src" / "registry"
    assert run("init", str(root)).exit_code == 0
    utf16 = tmp_path / "src" / "notes.txt"
    utf16.write_bytes(UTF16_FILE)
    for path, sid in ((FIXTURES / "html" / "harbour-post.html", "harbour"), (utf16, "notes")):
        result = run("--registry", str(root), "source", "add", str(path), "--id", sid)
        assert result.exit_code == 0, result.stderr
    registry = store.load_registry(root)
    assert {s.id: s.original for s in registry.sources} == {
        "harbour": "sources/harbour.orig.html",
        "notes": "sources/notes.orig.txt",
    }
    return root


def test_export_import_keeps_original_captures(tmp_path: Path) -> None:
    source = recorded_registry(tmp_path)
    archive = tmp_path / "a.xml"
    exported = run("--registry", str(source), "export", "-o", str(archive))
    assert exported.exit_code == 0, exported.stderr
    assert independent_schema().validate(etree.parse(str(archive)))
    into = tmp_path / "r"
    imported = run("import", str(archive), "--into", str(into))
    assert imported.exit_code == 0, imported.stderr
    assert imported.stderr == ""
    assert (into / "sources" / "harbour.orig.html").read_bytes() == (
        FIXTURES / "html" / "harbour-post.html"
    ).read_bytes()
    assert (into / "sources" / "notes.orig.txt").read_bytes() == UTF16_FILE
    restored = {k: v for k, v in snapshot(into).items() if not k.startswith(".")}
    assert restored == {k: v for k, v in snapshot(source).items() if not k.startswith(".")}
    assert run("--registry", str(into), "verify").exit_code == 0
    again = run("--registry", str(into), "export")  # the stamp's time: the same bytes
    assert again.exit_code == 0, again.stderr
    assert again.stdout_bytes == archive.read_bytes()


def test_export_lists_original_captures_it_cannot_read(tmp_path: Path) -> None:
    source = recorded_registry(tmp_path)
    (source / "sources" / "harbour.orig.html").unlink()
    outside = tmp_path / "src" / "outside.txt"
    outside.write_bytes(b"not the registry's")
    notes = source / "sources" / "notes.orig.txt"
    notes.unlink()
    notes.symlink_to(outside)
    target = tmp_path / "a.xml"
    result = run("--registry", str(source), "export", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "plandiff: source 'harbour': original: file 'sources/harbour.orig.html' is missing",
        "plandiff: source 'notes': original: path 'sources/notes.orig.txt' escapes the registry "
        "(it resolves outside it)",
    ]
    assert not target.exists()


def test_export_refuses_an_original_capture_over_the_size_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = recorded_registry(tmp_path)
    size = (source / "sources" / "harbour.orig.html").stat().st_size
    text = (source / "sources" / "harbour.txt").stat().st_size
    assert text < size
    monkeypatch.setenv("PLANDIFF_MAX_SOURCE_BYTES", str(size - 1))
    result = run("--registry", str(source), "export")
    assert one_error_line(result) == (
        f"plandiff: source 'harbour': original: file 'sources/harbour.orig.html' has {size} "
        f"bytes, over the limit of {size - 1}"
    )


def test_verify_reports_a_missing_original_capture(tmp_path: Path) -> None:
    source = recorded_registry(tmp_path)
    assert run("--registry", str(source), "verify").exit_code == 0
    (source / "sources" / "notes.orig.txt").unlink()
    result = run("--registry", str(source), "verify")
    assert one_error_line(result) == (
        "plandiff: sources/notes.toml: original: file 'sources/notes.orig.txt' is missing"
    )


def test_an_archive_from_before_captures_imports_with_warnings(tmp_path: Path) -> None:
    fixture = XML_FIXTURES / "captures-missing.xml"
    into = tmp_path / "r"
    result = run("import", str(fixture), "--into", str(into))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"imported 2 version(s) and 2 source(s) into {into}\n"
    lines = {
        s.get("id"): s.find(f"{{{NS}}}original").sourceline
        for s in reparse(fixture.read_bytes()).iter(f"{{{NS}}}source")
    }
    assert result.stderr.splitlines() == [
        f"plandiff: warning: {fixture}:{lines[sid]}: source '{sid}': original capture "
        f"'{CAPTURE_PATHS[sid]}' is not in the archive (written by an older plandiff); its path "
        "is kept, and 'plandiff verify' reports it missing until the file is put there"
        for sid in ("esc", "wire")
    ]
    registry, originals = captured_registry(store_safe=True)
    assert store.load_registry(into) == canonical(registry)  # the paths are kept
    verify = run("--registry", str(into), "verify")
    assert verify.exit_code == 2
    assert verify.stderr.splitlines() == [
        f"plandiff: sources/{sid}.toml: original: file '{CAPTURE_PATHS[sid]}' is missing"
        for sid in ("esc", "wire")
    ]
    # Put back from the registry that was exported, the files make the registry whole again.
    for sid, data in originals.items():
        (into / CAPTURE_PATHS[sid]).write_bytes(data)
    assert run("--registry", str(into), "verify").exit_code == 0
    again = run("--registry", str(into), "export", "--created", "2025-11-26T12:00:00Z")
    assert again.stdout_bytes == export(registry, originals)


# --------------------------------------------------------------------------- the library side


def test_restore_archive_is_the_library_of_import(tmp_path: Path) -> None:
    """What ``import`` does after reading the archive is one library call: the target's
    checks, the files, the stamp, and the choice between a fresh and a forced restore."""
    from plandiff import restore

    archive = xmlarchive.read_archive(_valid())
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(PlandiffError, match=r"file: exists and is not a directory$"):
        restore.restore_archive(blocker, archive)
    into = tmp_path / "r"
    restore.restore_archive(into, archive)
    assert store.load_registry(into) == archive.registry
    stamp = (into / xmlarchive.STAMP_NAME).read_bytes()
    assert stamp == xmlarchive.stamp_bytes(archive)
    before = snapshot(into)
    with pytest.raises(PlandiffError, match=r"r: directory is not empty \(--force imports"):
        restore.restore_archive(into, archive)
    assert snapshot(into) == before
    (into / "notes.txt").write_text("kept")
    restore.restore_archive(into, archive, force=True)
    assert (into / "notes.txt").read_text() == "kept"
    assert store.load_registry(into) == archive.registry


def test_export_directory_reuses_the_stamp_of_an_unchanged_import(tmp_path: Path) -> None:
    from plandiff import restore

    data = export(tiny_registry(store_safe=True))  # this plandiff's generator version
    archive = xmlarchive.read_archive(data)
    into = tmp_path / "r"
    restore.restore_archive(into, archive)
    registry = store.load_registry(into)
    assert xmlarchive.stamp_created(into, registry) == archive.created
    assert xmlarchive.export_directory(into, registry) == data
    later = dt.datetime(2030, 1, 1, tzinfo=dt.UTC)
    assert xmlarchive.export_directory(into, registry, created=later) != data
    (into / xmlarchive.STAMP_NAME).write_bytes(b"\xff not toml")
    assert xmlarchive.stamp_created(into, registry) is None
