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
import errno
import hashlib
import os
import re
import threading
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandiff import anchors, lineage
from plandiff.errors import LockError, PlandiffError, Problem, RegistryError, env_limit, show
from plandiff.models import Anchor, PlanVersion, Registry, Source

# What only writing needs (tomli_w, tempfile, json, shutil) is imported where it is used: every
# command loads a registry, and most only read it.

_M = TypeVar("_M", bound=BaseModel)

MARKER = "plandiff.toml"
FORMAT = 1
SOURCES_DIR = "sources"
VERSIONS_DIR = "versions"
LOCK_NAME = ".plandiff.lock"
TXN_DIR = ".plandiff-txn"
#: Names commit() gives staged files inside the journal directory.
_STAGED_NAME = re.compile(r"[0-9]+\.new")
#: Largest source text accepted, in bytes; PLANDIFF_MAX_SOURCE_BYTES overrides it.
MAX_SOURCE_BYTES = 20 * 1024 * 1024
#: How long a writer waits for another writer to finish before giving up.
LOCK_TIMEOUT_SECONDS = 10.0
ENV_REGISTRY = "PLANDIFF_REGISTRY"


def max_source_bytes() -> int:
    return env_limit("PLANDIFF_MAX_SOURCE_BYTES", MAX_SOURCE_BYTES, "bytes")


# --------------------------------------------------------------------------- locating


def bundled_registry_path() -> Path:
    """The registry that ships with plandiff (built from the project's ``seeds/`` folder).

    A wheel carries it as ``plandiff/registry``; a source checkout or editable install finds
    ``seeds/`` beside the package.
    """
    packaged = Path(str(resources.files("plandiff"))) / "registry"
    if (packaged / MARKER).is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "seeds"


def resolve_registry_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--registry`` first, then ``$PLANDIFF_REGISTRY``, then the bundled registry."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_REGISTRY)
    if env:
        return Path(env)
    return bundled_registry_path()


# --------------------------------------------------------------------------- anchors in versions


def iter_anchors(version: PlanVersion) -> Iterator[tuple[str, Anchor]]:
    """Every anchor of a version with its field path, in file order."""
    for i, a in enumerate(version.evidence):
        yield f"evidence[{i}]", a
    for i, s in enumerate(version.statements):
        for j, a in enumerate(s.evidence):
            yield f"statements[{i}].evidence[{j}]", a
    for i, e in enumerate(version.events):
        for j, a in enumerate(e.evidence):
            yield f"events[{i}].evidence[{j}]", a
    for i, p in enumerate(version.points):
        for j, a in enumerate(p.evidence):
            yield f"points[{i}].evidence[{j}]", a
    for i, r in enumerate(version.relations):
        for j, a in enumerate(r.evidence):
            yield f"relations[{i}].evidence[{j}]", a


def map_anchors(version: PlanVersion, fn: Callable[[str, Anchor], Anchor]) -> PlanVersion:
    """A copy of ``version`` with every anchor replaced by ``fn(field_path, anchor)``."""

    def each(prefix: str, items: tuple[Anchor, ...]) -> tuple[Anchor, ...]:
        return tuple(fn(f"{prefix}[{i}]", a) for i, a in enumerate(items))

    return version.model_copy(
        update={
            "evidence": each("evidence", version.evidence),
            "statements": tuple(
                s.model_copy(update={"evidence": each(f"statements[{i}].evidence", s.evidence)})
                for i, s in enumerate(version.statements)
            ),
            "events": tuple(
                e.model_copy(update={"evidence": each(f"events[{i}].evidence", e.evidence)})
                for i, e in enumerate(version.events)
            ),
            "points": tuple(
                p.model_copy(update={"evidence": each(f"points[{i}].evidence", p.evidence)})
                for i, p in enumerate(version.points)
            ),
            "relations": tuple(
                r.model_copy(update={"evidence": each(f"relations[{i}].evidence", r.evidence)})
                for i, r in enumerate(version.relations)
            ),
        }
    )


# --------------------------------------------------------------------------- serialisation


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


def source_file(source_id: str) -> str:
    return f"{SOURCES_DIR}/{source_id}.toml"


def version_file(version_id: str) -> str:
    return f"{VERSIONS_DIR}/{version_id}.toml"


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


def decode_text(data: bytes) -> str:
    """Decode a source text: UTF-8 (a BOM is accepted and dropped), no NUL bytes."""
    if b"\x00" in data:
        if _looks_like_utf16(data):
            raise ValueError(
                "UTF-16 text without a byte-order mark; save it as UTF-8 (or UTF-16 with a BOM)"
            )
        raise ValueError("binary content (NUL bytes), not a text file")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ValueError(
            f"not UTF-8 (byte {exc.start}: {data[exc.start : exc.start + 1]!r})"
        ) from exc
    return text.removeprefix("\ufeff")


#: Byte-order marks of the encodings Windows editors call "Unicode" (UTF-32's first: its
#: little-endian mark starts with UTF-16's).
_UNICODE_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32-LE"),
    (b"\x00\x00\xfe\xff", "UTF-32-BE"),
    (b"\xff\xfe", "UTF-16-LE"),
    (b"\xfe\xff", "UTF-16-BE"),
)


def decode_any_text(data: bytes) -> str:
    """:func:`decode_text`, and UTF-16 or UTF-32 text that starts with its byte-order mark.

    For text that is read, not kept byte for byte: plan files to diff, and articles whose text
    is extracted (the registry stores a source's text as UTF-8). Notepad's "Unicode" is UTF-16.
    """
    for bom, codec in _UNICODE_BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as exc:
                where = exc.start + len(bom)
                raise ValueError(
                    f"not {codec} (byte {where}: {data[where : where + 1]!r})"
                ) from exc
            if "\x00" in text:
                raise ValueError("binary content (NUL characters), not a text file")
            return text
    return decode_text(data)


def _looks_like_utf16(data: bytes) -> bool:
    """Mostly ASCII text in UTF-16: every other byte is NUL (binary files have a few NULs)."""
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return False
    nuls = max(sample[0::2].count(0), sample[1::2].count(0))
    return nuls >= 0.8 * pairs and sample.count(0) <= 0.6 * len(sample)


def safe_relpath(root: Path, rel: str) -> Path:
    """Resolve ``rel`` inside ``root``, refusing absolute paths, ``..`` and escaping symlinks."""
    if not rel or "\\" in rel or "\x00" in rel:
        raise ValueError(f"path {show(rel)} is not a relative '/'-separated path")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or ".." in pure.parts or (pure.parts and ":" in pure.parts[0]):
        raise ValueError(f"path {show(rel)} escapes the registry")
    target = root / Path(*pure.parts)
    try:
        resolved = target.resolve()
    except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        raise ValueError(f"path {show(rel)} cannot be resolved (a symlink loop?)") from exc
    if not resolved.is_relative_to(root.resolve()):
        raise ValueError(f"path {show(rel)} escapes the registry (it resolves outside it)")
    return target


def read_source_text(root: Path, source: Source, limit: int | None = None) -> tuple[bytes, str]:
    """Bytes and decoded text of a source, checked for place, size, hash and encoding."""
    path = safe_relpath(root, source.path)
    if not path.exists():
        raise FileNotFoundError(f"text file {show(source.path)} is missing")
    if not path.is_file():
        raise ValueError(f"text file {show(source.path)} is not a regular file")
    cap = limit if limit is not None else max_source_bytes()
    with open(path, "rb") as fh:
        data = fh.read(cap + 1)  # never more than the limit, even if the file grows meanwhile
    if len(data) > cap:
        size = max(path.stat().st_size, len(data))
        raise ValueError(f"text file {show(source.path)} has {size} bytes, over the limit of {cap}")
    digest = sha256_bytes(data)
    if digest != source.sha256:
        raise ValueError(
            f"hash mismatch: {show(source.path)} has sha256 {digest}, recorded {source.sha256}"
        )
    text = decode_text(data)
    if not text:
        raise ValueError(f"text file {show(source.path)} is empty")
    return data, text


def read_original(root: Path, source: Source, limit: int | None = None) -> bytes:
    """The exact bytes of a source's original capture (the file its text was extracted from).

    Checked for place (inside the registry, no symlink out of it) and size, like the text; the
    registry records no hash of a capture, so its content is taken as it is. Every failure is a
    :class:`ValueError` whose one-line message names the path.
    """
    rel = source.original
    if rel is None:
        raise ValueError("no original capture is recorded")
    path = safe_relpath(root, rel)
    if not path.exists():  # a dangling symlink too
        raise ValueError(f"file {show(rel)} is missing")
    if not path.is_file():
        raise ValueError(f"file {show(rel)} is not a regular file")
    cap = limit if limit is not None else max_source_bytes()
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)  # never more than the limit, even if the file grows meanwhile
    except OSError as exc:
        raise ValueError(f"file {show(rel)} cannot be read ({exc.strerror or exc})") from exc
    if len(data) > cap:
        size = max(path.stat().st_size, len(data))
        raise ValueError(f"file {show(rel)} has {size} bytes, over the limit of {cap}")
    return data


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
    return problems


# --------------------------------------------------------------------------- parsing files


def _loc(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _validation_problems(file: str, exc: ValidationError) -> list[Problem]:
    problems = []
    for err in exc.errors(include_url=False):
        kind = err["type"]
        if kind == "extra_forbidden":
            message = "unknown field"
        elif kind == "missing":
            message = "required field is missing"
        else:
            message = err["msg"]
            if "input" in err and not isinstance(err["input"], dict | list):
                message += f" (got {show(err['input'], 40)})"
        problems.append(Problem(file, _loc(err["loc"]), message))
    return problems


def _read_toml(root: Path, rel: str, problems: list[Problem]) -> dict[str, Any] | None:
    try:
        data = (root / rel).read_bytes()
        return tomllib.loads(decode_text(data))
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(rel, "", f"TOML syntax error: {exc}"))
    except OSError as exc:  # strerror: the message without the absolute path
        problems.append(Problem(rel, "", f"cannot read: {exc.strerror or exc}"))
    except ValueError as exc:
        problems.append(Problem(rel, "", f"cannot read: {exc}"))
    return None


def _metadata_files(root: Path, folder: str) -> list[str]:
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(
        f"{folder}/{p.name}"
        for p in base.iterdir()
        if p.suffix == ".toml" and not p.name.startswith(".")
    )


# --------------------------------------------------------------------------- cross-checks


@dataclass
class _Index:
    sources: dict[str, Source]
    versions: dict[str, PlanVersion]
    files: dict[str, str]  # id → file it came from (for messages)


def cross_check(
    registry: Registry,
    files: Mapping[str, str] | None = None,
    broken: frozenset[str] = frozenset(),
) -> list[Problem]:
    """Every cross-reference problem of a registry whose files parsed.

    ``files`` maps source and version ids to the file each came from (defaults to the standard
    names), so messages point at the right file.
    """
    files = dict(files or {})
    problems: list[Problem] = []
    sources = {s.id: s for s in registry.sources}
    versions = {v.id: v for v in registry.versions}

    def vfile(vid: str) -> str:
        return files.get(f"version:{vid}", version_file(vid))

    known_versions = versions.keys() | broken  # once: a set per version is quadratic
    known_sources = sources.keys() | broken
    for v in registry.versions:
        f = vfile(v.id)
        if v.derived_from is not None and v.derived_from not in known_versions:
            problems.append(Problem(f, "derived_from", f"unknown version {show(v.derived_from)}"))
        if v.text_source is not None and v.text_source not in known_sources:
            problems.append(Problem(f, "text_source", f"unknown source {show(v.text_source)}"))
        seen: set[str] = set()
        for i, p in enumerate(v.points):
            if p.key in seen:
                problems.append(
                    Problem(f, f"points[{i}].key", f"duplicate point key {show(p.key)}")
                )
            seen.add(p.key)
            if not p.evidence:
                problems.append(
                    Problem(f, f"points[{i}].evidence", "a point needs at least one anchor")
                )
        for i, s in enumerate(v.statements):
            if not s.evidence:
                problems.append(
                    Problem(f, f"statements[{i}].evidence", "a statement needs at least one anchor")
                )
        for i, e in enumerate(v.events):
            if not e.evidence:
                problems.append(
                    Problem(f, f"events[{i}].evidence", "an event needs at least one anchor")
                )
        parent = versions.get(v.derived_from) if v.derived_from else None
        # Key sets, not PlanVersion.point(): a scan per relation is quadratic in the points.
        parent_keys = {p.key for p in parent.points} if parent is not None else set()
        related_old: dict[str, int] = {}
        related_new: dict[str, int] = {}
        for i, r in enumerate(v.relations):
            if v.derived_from is None:
                problems.append(
                    Problem(f, f"relations[{i}]", "relations need 'derived_from' to be set")
                )
                continue
            if parent is not None:
                for key in r.old:
                    if key not in parent_keys:
                        problems.append(
                            Problem(
                                f,
                                f"relations[{i}].old",
                                f"unknown point {show(key)} in version {show(parent.id)}",
                            )
                        )
                    elif key in related_old:
                        problems.append(
                            Problem(
                                f,
                                f"relations[{i}].old",
                                f"point {show(key)} is already in relations[{related_old[key]}]",
                            )
                        )
                    related_old.setdefault(key, i)
            for key in r.new:
                if key not in seen:
                    problems.append(
                        Problem(
                            f, f"relations[{i}].new", f"unknown point {show(key)} in this version"
                        )
                    )
                elif key in related_new:
                    problems.append(
                        Problem(
                            f,
                            f"relations[{i}].new",
                            f"point {show(key)} is already in relations[{related_new[key]}]",
                        )
                    )
                related_new.setdefault(key, i)
        for field, anchor in iter_anchors(v):
            if anchor.source not in sources:
                if anchor.source in broken:
                    continue
                problems.append(
                    Problem(f, f"{field}.source", f"unknown source {show(anchor.source)}")
                )
                continue
            text = registry.texts.get(anchor.source)
            if text is None:
                continue  # the source's own problem is reported already
            why = anchors.check(anchor, text)
            if why:
                problems.append(Problem(f, field, why))

    # derived_from cycles, reported by each member (one pass over the lineage).
    on_cycle = lineage.cycles({vid: v.derived_from for vid, v in versions.items()})
    for v in registry.versions:
        if v.id in on_cycle:
            problems.append(
                Problem(vfile(v.id), "derived_from", "cycle: " + on_cycle[v.id].describe())
            )
    return problems


# --------------------------------------------------------------------------- loading


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
            item = model.model_validate(data)
        except ValidationError as exc:
            problems.extend(_validation_problems(rel, exc))
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


def load_registry(path: str | os.PathLike[str] | None = None) -> Registry:
    """Load and cross-check a registry directory; raise :class:`RegistryError` listing all problems.

    With no path: ``$PLANDIFF_REGISTRY`` or the bundled registry.
    """
    root = resolve_registry_path(path)
    if not root.exists():
        raise RegistryError([Problem(str(root), "", "registry directory does not exist")])
    if not root.is_dir():
        raise RegistryError([Problem(str(root), "", "not a directory")])
    if not (root / MARKER).is_file():
        raise RegistryError(
            [Problem(str(root), "", f"not a plandiff registry (no {MARKER}; see 'plandiff init')")]
        )
    if (root / TXN_DIR).exists():
        # Wait for a writer that may be committing right now: finishing or discarding its
        # journal from under it would lose the write it is about to report as done.
        with locked(root):
            recover(root)
    problems: list[Problem] = []
    marker = _read_toml(root, MARKER, problems)
    if marker is not None and marker.get("format") != FORMAT:
        problems.append(
            Problem(MARKER, "format", f"unsupported registry format {show(marker.get('format'))}")
        )

    files: dict[str, str] = {}
    broken: set[str] = set()
    sources = _parse_folder(root, SOURCES_DIR, Source, "source", problems, files, broken)
    texts: dict[str, str] = {}
    for source in sources:
        rel = files[f"source:{source.id}"]
        try:
            _, texts[source.id] = read_source_text(root, source)
        except FileNotFoundError as exc:
            problems.append(Problem(rel, "path", str(exc)))
        except (ValueError, OSError) as exc:
            field = "sha256" if "hash mismatch" in str(exc) else "path"
            problems.append(Problem(rel, field, str(exc)))
    versions = _parse_folder(root, VERSIONS_DIR, PlanVersion, "version", problems, files, broken)

    registry = Registry(sources=tuple(sources), versions=tuple(versions), texts=texts)
    problems.extend(cross_check(registry, files, frozenset(broken)))
    if problems:
        raise RegistryError(problems)
    return registry


# --------------------------------------------------------------------------- writing


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def atomic_write(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    import tempfile

    if path.is_dir():  # else the rename fails naming the temporary file
        raise IsADirectoryError(errno.EISDIR, "Is a directory", str(path))
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp creates 0600; give the file the mode a plain open() would (0666 less umask).
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


def _journal_moves(root: Path, entries: list[Any]) -> list[tuple[Path, str | None]]:
    """The manifest's entries as (target, staged name), refusing any that :func:`commit` would
    never write: a registry received from elsewhere may carry a crafted journal whose entries
    would move files from outside the registry into it, or write outside it."""
    moves = []
    for n, entry in enumerate(entries):
        rel = entry.get("path") if isinstance(entry, dict) else None
        staged = entry.get("staged") if isinstance(entry, dict) else None
        try:
            if not isinstance(rel, str) or not (staged is None or isinstance(staged, str)):
                raise ValueError("not a {path, staged} entry")
            if staged is not None and not _STAGED_NAME.fullmatch(staged):
                raise ValueError(f"staged file {show(staged)} is not a journal file")
            moves.append((safe_relpath(root, rel), staged))
        except ValueError as exc:
            raise RegistryError(
                [
                    Problem(
                        f"{TXN_DIR}/manifest.json",
                        f"[{n}]",
                        f"refusing to finish an interrupted write: {exc}; remove the {TXN_DIR} "
                        "directory to discard it",
                    )
                ]
            ) from exc
    return moves


def recover(root: Path) -> None:
    """Finish a write whose manifest was committed, or discard one that was not."""
    import json
    import shutil

    txn = root / TXN_DIR
    if txn.is_symlink():
        raise RegistryError(
            [Problem(TXN_DIR, "", "is a symbolic link, not a journal written by plandiff")]
        )
    if not txn.is_dir():
        return
    manifest = txn / "manifest.json"
    if manifest.is_file():
        try:
            entries = json.loads(manifest.read_text("utf-8"))
        except (OSError, ValueError):
            entries = None
        if isinstance(entries, list):
            for target, staged in _journal_moves(root, entries):
                if staged is None:
                    with contextlib.suppress(FileNotFoundError):
                        target.unlink()
                elif (txn / staged).exists():
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(txn / staged, target)
    shutil.rmtree(txn, ignore_errors=True)
    _fsync_dir(root)


def commit(root: Path, changes: Mapping[str, bytes | None]) -> None:
    """Apply file changes (relative path → new bytes, or None to delete) all or nothing."""
    import json

    if not changes:
        return
    recover(root)
    txn = root / TXN_DIR
    txn.mkdir(parents=True, exist_ok=True)
    entries = []
    for n, (rel, data) in enumerate(sorted(changes.items())):
        safe_relpath(root, rel)
        if data is None:
            entries.append({"path": rel, "staged": None})
            continue
        staged = f"{n}.new"
        with open(txn / staged, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        entries.append({"path": rel, "staged": staged})
    _fsync_dir(txn)
    atomic_write(txn / "manifest.json", json.dumps(entries).encode())
    recover(root)


#: Registries (thread, resolved path) whose write lock this process holds. Keyed by thread: the
#: lock is re-entrant for the thread that holds it, while another thread must wait its turn.
_HELD: set[tuple[int, Path]] = set()


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT_SECONDS) -> Iterator[None]:
    """Hold the registry's write lock; a second writer waits, then fails with a clear message."""
    from filelock import FileLock, Timeout

    key = (threading.get_ident(), root.resolve())
    if key in _HELD:  # re-entrant: a second FileLock on the same file would wait for the first
        yield
        return
    lock = FileLock(str(root / LOCK_NAME))
    try:
        lock.acquire(timeout=timeout)
    except Timeout as exc:
        raise LockError(
            f"registry {root} is locked by another plandiff process "
            f"(waited {timeout:g}s for {LOCK_NAME})"
        ) from exc
    _HELD.add(key)
    try:
        yield
    finally:
        _HELD.discard(key)
        lock.release()


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
    if problems:
        raise RegistryError(problems)
    wanted: dict[str, bytes | None] = dict(registry_files(registry))
    wanted.update(extra_files or {})
    changes: dict[str, bytes | None] = {}
    for rel, data in wanted.items():
        target = safe_relpath(root, rel)
        if data is None:
            if target.exists():
                changes[rel] = None
        elif not target.is_file() or target.read_bytes() != data:
            changes[rel] = data
    for rel in _metadata_files(root, SOURCES_DIR) + _metadata_files(root, VERSIONS_DIR):
        if rel not in wanted:
            changes[rel] = None
    commit(root, changes)


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
        registry = load_registry(root)
        filled = 0

        def fill(_field: str, anchor: Anchor) -> Anchor:
            nonlocal filled
            if anchor.located:
                return anchor
            filled += 1
            return anchors.locate(anchor, registry.text(anchor.source))

        versions = tuple(map_anchors(v, fill) for v in registry.versions)
        fixed = registry.model_copy(update={"versions": versions})
        if filled:
            save_registry(root, fixed)
        return fixed, filled
