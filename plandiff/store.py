"""The registry on disk: loading with cross-checks, and atomic, locked writes.

Layout of a registry directory (TOML, because it is strict about types where YAML guesses, e.g.
``no`` or ``1.10``; reads with the standard library; allows comments and multi-line strings, so
a person can review and edit the files by hand; and keeps keys in the order we write them, so
diffs of the files stay small)::

    plandiff.toml           marker: ``format = 1``
    sources/<id>.toml       one Source each; ``path`` names its text file
    versions/<id>.toml      one PlanVersion each
    <text files>            byte-exact source texts where ``path`` says (default sources/<id>.txt)

Loading reports every problem at once, each naming the file and field. Writes go through
:func:`commit`, a small journal: all new files are staged in a hidden directory, a manifest is
written atomically (the commit point), then the files are renamed into place. A process killed at
any moment leaves either the old or the new registry, and the next reader finishes or discards
the interrupted write. Files whose name starts with a dot are never read as registry data.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tomllib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandiff import anchors, journal, registry_dir
from plandiff.bounded import read_inside, safe_relpath
from plandiff.crosscheck import cross_check

# Re-exported: decoding a text file is the store's too, but needs none of its imports.
from plandiff.decoding import decode_any_text as decode_any_text
from plandiff.decoding import decode_text as decode_text
from plandiff.errors import LockError, PlandiffError, Problem, RegistryError, env_limit, show  # noqa: F401

# Re-exported: the journal and the locks are part of the store's interface.
from plandiff.journal import (  # noqa: F401
    LOCK_NAME,
    LOCK_TIMEOUT_SECONDS,
    TXN_DIR,
    Entry,
    atomic_write,
    locked,
    reading,
)
from plandiff.models import (
    IDENT_PATTERN,
    Anchor,
    PlanVersion,
    Registry,
    Source,
    map_anchors,
    text_key,
)
from plandiff.registry_dir import source_file, text_path_problem, version_file
from plandiff.validation import DateAsText, field_path, validate, validation_problems

# Re-exported: where the registry's files are, and the limits on reading them.
ENV_REGISTRY = registry_dir.ENV_REGISTRY
FORMAT = registry_dir.FORMAT
MARKER = registry_dir.MARKER
MAX_METADATA_BYTES = registry_dir.MAX_METADATA_BYTES
MAX_SOURCE_BYTES = registry_dir.MAX_SOURCE_BYTES
SOURCES_DIR = registry_dir.SOURCES_DIR
VERSIONS_DIR = registry_dir.VERSIONS_DIR
bundled_registry_path = registry_dir.bundled_registry_path
max_metadata_bytes = registry_dir.max_metadata_bytes
max_source_bytes = registry_dir.max_source_bytes
registry_root = registry_dir.registry_root
resolve_registry_path = registry_dir.resolve_registry_path
_metadata_files = registry_dir.metadata_files

# What only writing needs (tomli_w, tempfile, json, shutil) is imported where it is used: every
# command loads a registry, and most only read it.

_M = TypeVar("_M", bound=BaseModel)

#: The file ``plandiff import`` writes beside a restored registry (see plandiff.xmlarchive).
STAMP_NAME = ".plandiff-archive.toml"


# --------------------------------------------------------------------------- anchors in versions


def _plain(value: Any) -> Any:
    """Model dump (defaults already left out) → TOML-ready values: tuples as lists, no nulls.

    Only defaults are left out, so an empty title (``""``) stays distinct from an absent one.
    """
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _dump(data: dict[str, Any]) -> bytes:
    """TOML text, with multi-line strings where they read better, unless that changes a value.

    tomli-w writes a CR LF inside a multi-line string as a bare line break, so a quote with
    Windows line endings would read back without its CRs (and no longer match its source); such
    a file is written with escaped single-line strings instead.
    """
    import tomli_w

    text = tomli_w.dumps(data, multiline_strings=True)
    if tomllib.loads(text) != data:
        text = tomli_w.dumps(data)
    return text.encode()


def dump_source(source: Source) -> bytes:
    return _dump(_plain(source.model_dump(exclude_defaults=True)))


def dump_version(version: PlanVersion) -> bytes:
    return _dump(_plain(version.model_dump(exclude_defaults=True)))


def marker_bytes() -> bytes:
    import tomli_w

    return tomli_w.dumps({"format": FORMAT}).encode()


def registry_files(registry: Registry) -> dict[str, bytes]:
    """The metadata files (not the texts) that represent ``registry`` on disk."""
    files = {MARKER: marker_bytes()}
    for s in registry.sources:
        files[source_file(s.id)] = dump_source(s)
    for v in registry.versions:
        files[version_file(v.id)] = dump_version(v)
    return files


# --------------------------------------------------------------------------- text files


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_source_text(root: Path, source: Source, limit: int | None = None) -> tuple[bytes, str]:
    """Bytes and decoded text of a source, checked for place, size, hash and encoding."""
    cap = limit if limit is not None else max_source_bytes()
    _check_real_path(root, source.path, "text file")
    data = read_inside(root, source.path, cap, "text file")
    digest = sha256_bytes(data)
    if digest != source.sha256:
        raise ValueError(
            f"hash mismatch: {show(source.path)} has sha256 {digest}, recorded {source.sha256}"
        )
    text = decode_text(data)
    if not text:
        raise ValueError(f"text file {show(source.path)} is empty")
    return data, text


def read_capture_texts(
    root: Path, source: Source, rel: str
) -> tuple[dict[str, str], list[Problem]]:
    """The texts of a source's earlier captures by :func:`text_key`, each checked like the
    current text, and a problem (field ``captures[i].path`` or ``.sha256`` of the source's file
    ``rel``) for each that fails: a quote citing an earlier capture is as good as its file."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for i, capture in enumerate(source.captures):
        if text_path_problem(capture.path) is not None:
            continue  # cross_check reports it; such a file is never read as a text
        as_source = source.model_copy(update={"path": capture.path, "sha256": capture.sha256})
        try:
            _, texts[text_key(source.id, i + 1)] = read_source_text(root, as_source)
        except (ValueError, OSError) as exc:
            field = "sha256" if "hash mismatch" in str(exc) else "path"
            problems.append(Problem(rel, f"captures[{i}].{field}", str(exc)))
    return texts, problems


def read_original(root: Path, source: Source, limit: int | None = None) -> bytes:
    """The exact bytes of a source's original capture (the file its text was extracted from).

    Checked for place (inside the registry, no symlink out of it) and size, like the text; the
    registry records no hash of a capture, so its content is taken as it is. Every failure is a
    :class:`ValueError` whose one-line message names the path.
    """
    rel = source.original
    if rel is None:
        raise ValueError("no original capture is recorded")
    cap = limit if limit is not None else max_source_bytes()
    _check_real_path(root, rel, "capture")
    try:
        return read_inside(root, rel, cap)
    except FileNotFoundError as exc:
        raise ValueError(str(exc)) from exc


def _check_real_path(root: Path, rel: str, what: str) -> None:
    """A symlink inside the registry may not lead a source to a file its own path could not
    name: the registry's own files or a hidden one (``.git/config``, the journal)."""
    real_root = os.path.realpath(root)
    real = os.path.realpath(root / rel)
    if real == os.path.normpath(Path(real_root) / rel):
        return  # no symlink on the way: text_path_problem has judged this path already
    inside = os.path.relpath(real, real_root).replace(os.sep, "/")
    if inside.startswith("../") or inside == "..":
        return  # read_inside refuses it with its own message
    why = text_path_problem(inside)
    if why is not None:
        raise ValueError(f"{what} {show(rel)} is a symlink to {show(inside)}: {why}")


def original_problems(root: Path, registry: Registry) -> list[Problem]:
    """A problem for each source whose original capture is missing or unreadable.

    ``load_registry`` does not look at captures (nothing reads them but ``export``, and a diff
    must not fail for want of an HTML page); ``verify`` does, so a dangling ``original`` is
    caught before an export refuses it.
    """
    problems = []
    for s in registry.sources:
        if s.original is not None:
            try:
                read_original(root, s)
            except ValueError as exc:
                problems.append(Problem(source_file(s.id), "original", str(exc)))
        for i, c in enumerate(s.captures):
            if c.original is not None:
                try:
                    read_original(root, s.model_copy(update={"original": c.original}))
                except ValueError as exc:
                    problems.append(Problem(source_file(s.id), f"captures[{i}].original", str(exc)))
    return problems


# --------------------------------------------------------------------------- parsing files


def _read_toml(root: Path, rel: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = read_inside(root, rel, max_metadata_bytes())
        return tomllib.loads(decode_text(data))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(rel, "", f"TOML syntax error: {exc}"))
    except RecursionError:
        problems.append(Problem(rel, "", "TOML syntax error: values nested too deeply"))
    except OSError as exc:  # strerror: the message without the absolute path
        problems.append(Problem(rel, "", f"cannot read: {exc.strerror or exc}"))
    except ValueError as exc:
        problems.append(Problem(rel, "", f"cannot read: {exc}"))
    return None


# --------------------------------------------------------------------------- cross-checks


def _parse_folder(
    root: Path,
    folder: str,
    model: type[_M],
    kind: str,
    problems: list[Problem],
    files: dict[str, str],
    broken: set[str],
) -> list[_M]:
    """Parse and validate every metadata file of one folder (sources or versions).

    Problems are appended to ``problems``; each good one's file is recorded in ``files`` under
    ``"<kind>:<id>"``; the ids of files that failed go to ``broken``, so that references to them
    are not reported a second time as unknown.
    """
    parsed: list[_M] = []
    for rel in _metadata_files(root, folder):
        stem = Path(rel).stem
        data = _read_toml(root, rel, problems)
        if data is None:
            broken.add(stem)
            continue
        try:
            item = validate(model, data)
        except ValidationError as exc:
            problems.extend(validation_problems(rel, exc))
            broken.update({stem, str(data.get("id", stem))})
            continue
        except DateAsText as exc:
            problems.append(Problem(rel, field_path(exc.loc), str(exc)))
            broken.update({stem, str(data.get("id", stem))})
            continue
        except ValueError as exc:
            problems.append(Problem(rel, "", f"cannot read: {exc}"))
            broken.update({stem, str(data.get("id", stem))})
            continue
        ident: str = item.id  # type: ignore[attr-defined]
        key = f"{kind}:{ident}"
        if key in files:
            problems.append(
                Problem(rel, "id", f"duplicate id {show(ident)} (also in {files[key]})")
            )
            continue
        files[key] = rel
        parsed.append(item)
    return parsed


def load_registry(
    path: str | os.PathLike[str] | None = None,
    *,
    recover: bool = False,
    check_originals: bool = False,
) -> Registry:
    """Load and cross-check a registry directory; raise :class:`RegistryError` listing all problems.

    With no path: ``$PLANDIFF_REGISTRY`` or the bundled registry. The files are read under the
    registry's shared lock, so a writer's commit is seen whole or not at all. An interrupted
    write (a journal left by a killed writer) is finished only with ``recover``, which a writing
    command passes holding the write lock: a command that only reads never writes a file, and
    refuses a registry with a pending journal. ``check_originals`` also reads every original
    capture (``verify`` does; a diff must not fail for want of an HTML page).
    """
    root = registry_root(path)
    if recover:
        with locked(root):
            recover_journal(root)
            return load_checked(root, check_originals)
    with registry_dir.reading(root):
        return load_checked(root, check_originals)


def load_checked(root: Path, check_originals: bool = False) -> Registry:
    """The registry at ``root``, validated and cross-checked (hold its readers' lock)."""
    problems: list[Problem] = []
    marker = _read_toml(root, MARKER, problems)
    if marker is not None and (type(marker.get("format")) is not int or marker["format"] != FORMAT):
        problems.append(
            Problem(MARKER, "format", f"unsupported registry format {show(marker.get('format'))}")
        )

    for folder in (SOURCES_DIR, VERSIONS_DIR):  # a file there would hide every record
        if os.path.lexists(root / folder) and not (root / folder).is_dir():
            problems.append(Problem(folder, "", "not a directory"))
    files: dict[str, str] = {}
    broken: set[str] = set()
    sources = _parse_folder(root, SOURCES_DIR, Source, "source", problems, files, broken)
    texts: dict[str, str] = {}
    for source in sources:
        rel = files[f"source:{source.id}"]
        if text_path_problem(source.path) is not None:
            continue  # cross_check reports it; such a file is never read as a text
        try:
            _, texts[source.id] = read_source_text(root, source)
        except FileNotFoundError as exc:
            problems.append(Problem(rel, "path", str(exc)))
        except (ValueError, OSError) as exc:
            field = "sha256" if "hash mismatch" in str(exc) else "path"
            problems.append(Problem(rel, field, str(exc)))
        kept, bad = read_capture_texts(root, source, rel)
        texts.update(kept)
        problems.extend(bad)
    versions = _parse_folder(root, VERSIONS_DIR, PlanVersion, "version", problems, files, broken)

    registry = Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)
    problems.extend(cross_check(registry, files, frozenset(broken)))
    if check_originals and not problems:
        problems.extend(original_problems(root, registry))
    if problems:
        raise RegistryError(problems)
    return registry


# --------------------------------------------------------------------------- writing


def save_registry(
    root: Path,
    registry: Registry,
    *,
    extra_files: Mapping[str, bytes | None] | None = None,
) -> None:
    """Write ``registry`` to ``root`` after checking it, touching only files that change.

    ``extra_files`` are new or replaced text files (source texts, original captures) to write in
    the same commit, or ``None`` for such a file to delete (an original replaced by one of
    another format). Version and source files no longer in the registry are removed. Nothing is
    written when any check fails.
    """
    problems = cross_check(registry)
    for s in registry.sources:
        if s.id not in registry.texts:
            problems.append(Problem(source_file(s.id), "path", "text was not loaded"))
        elif not registry.texts[s.id]:  # what load_registry refuses is never written
            empty = f"text file {show(s.path)} is empty"
            problems.append(Problem(source_file(s.id), "path", empty))
        for i in range(len(s.captures)):
            if text_key(s.id, i + 1) not in registry.texts:
                problems.append(Problem(source_file(s.id), f"captures[{i}].path", "not loaded"))
    if problems:
        raise RegistryError(problems)
    wanted: dict[str, bytes | None] = dict(registry_files(registry))
    wanted.update(extra_files or {})
    changes: dict[str, bytes | None] = {}
    for rel, data in wanted.items():
        try:
            target = safe_relpath(root, rel)
        except ValueError as exc:
            raise RegistryError([Problem(rel, "", f"cannot write: {exc}")]) from exc
        if data is None:
            if os.path.lexists(target):
                changes[rel] = None
        elif _current(root, rel, len(data)) != data:
            changes[rel] = data
    for rel in _metadata_files(root, SOURCES_DIR) + _metadata_files(root, VERSIONS_DIR):
        if rel not in wanted:
            changes[rel] = None
    journal.commit(root, changes, journal_problems, max_metadata_bytes(), last=is_metadata_path)


def _current(root: Path, rel: str, size: int) -> bytes | None:
    """The bytes now at ``rel``, when it is a regular file of the registry of about ``size``
    bytes (enough to tell whether it changes; anything else is replaced)."""
    try:
        return read_inside(root, rel, size)
    except (OSError, ValueError):
        return None


def recover_journal(root: Path) -> None:
    """Finish or discard an interrupted write (hold the write lock): see :mod:`plandiff.journal`."""
    journal.recover(root, journal_problems, max_metadata_bytes())


def commit(root: Path, changes: Mapping[str, bytes | None]) -> None:
    """Apply file changes to the registry all or nothing (hold the write lock)."""
    journal.commit(root, changes, journal_problems, max_metadata_bytes(), last=is_metadata_path)


# --------------------------------------------------------------------------- what may be written

_METADATA_NAME = re.compile(
    rf"(?:{SOURCES_DIR}|{VERSIONS_DIR})/{IDENT_PATTERN.strip('^$')}\.toml", re.ASCII
)


def is_metadata_path(rel: str) -> bool:
    """``rel`` is a metadata file of the registry: the marker, or a source's or version's TOML."""
    return rel == MARKER or _METADATA_NAME.fullmatch(rel) is not None


def journal_problems(root: Path, entries: Sequence[Entry]) -> list[str]:
    """The naming rule for replaying a journal: every path is one the store itself writes.

    That is the marker, the import stamp, a source's or version's TOML, or a text or capture
    file that a source record names (in this journal or on disk) and that passes
    :func:`text_path_problem`; a staged text must have the digest its record gives it.
    """
    named: dict[str, set[str | None]] = {}  # path → digests recorded for it (None: a capture)

    def note(source: Source) -> None:
        named.setdefault(source.path, set()).add(source.sha256)
        if source.original is not None:
            named.setdefault(source.original, set()).add(None)
        for capture in source.captures:
            named.setdefault(capture.path, set()).add(capture.sha256)
            if capture.original is not None:
                named.setdefault(capture.original, set()).add(None)

    for entry in entries:
        if entry.data is not None and entry.path.startswith(f"{SOURCES_DIR}/"):
            found = _parse_source(entry.data)
            if found is not None:
                note(found)
    for rel in _metadata_files(root, SOURCES_DIR):
        with contextlib.suppress(OSError, ValueError):
            found = _parse_source(read_inside(root, rel, max_metadata_bytes()))
            if found is not None:
                note(found)
    problems = []
    for entry in entries:
        rel = entry.path
        if is_metadata_path(rel) or rel == STAMP_NAME:
            continue
        if entry.deletes and _gone(root, rel):
            continue  # deleting what is not there changes nothing (a replay done in part)
        why = text_path_problem(rel)
        if why is None and rel not in named:
            why = f"path {show(rel)} is not a file of the registry (no source names it)"
        text = entry.data is not None and None not in named.get(rel, {None})
        if why is None and text and sha256_bytes(entry.data or b"") not in named[rel]:
            why = f"staged text for {show(rel)} does not match its source's sha256"
        if why is not None:
            problems.append(why)
    return problems


def _gone(root: Path, rel: str) -> bool:
    try:
        return not os.path.lexists(safe_relpath(root, rel))
    except ValueError:
        return False


def _parse_source(data: bytes) -> Source | None:
    try:
        return Source.model_validate(tomllib.loads(decode_text(data)))
    except (ValueError, RecursionError):  # ValidationError and TOMLDecodeError are ValueErrors
        return None


def init_registry(path: str | os.PathLike[str]) -> Path:
    """Create an empty registry; refuse a directory that already has files in it."""
    root = Path(path)
    if root.exists() and not root.is_dir():
        raise PlandiffError(f"{root}: exists and is not a directory")
    if root.is_dir() and any(root.iterdir()):
        raise PlandiffError(f"{root}: directory is not empty")
    root.mkdir(parents=True, exist_ok=True)
    (root / SOURCES_DIR).mkdir(exist_ok=True)
    (root / VERSIONS_DIR).mkdir(exist_ok=True)
    atomic_write(root / MARKER, marker_bytes())
    return root


def fix_registry(path: str | os.PathLike[str] | None = None) -> tuple[Registry, int]:
    """Fill missing offsets and context of hand-written anchors; return the registry and count.

    The registry is loaded (so every other problem is reported first), each anchor without
    offsets is located by its unique quote, and the result is saved atomically.
    """
    root = resolve_registry_path(path)
    with locked(root):
        registry = load_registry(root, recover=True)
        filled = 0

        def fill(_field: str, anchor: Anchor) -> Anchor:
            nonlocal filled
            if anchor.located:
                return anchor
            filled += 1
            return anchors.locate(anchor, registry.texts[text_key(anchor.source, anchor.capture)])

        versions = tuple(map_anchors(v, fill) for v in registry.versions)
        fixed = registry.model_copy(update={"versions": versions})
        if filled:
            save_registry(root, fixed)
        return fixed, filled
