"""The records of a registry that passed validation, kept so that the next read skips it.

Validating a registry builds pydantic's schema machinery, which costs a short command more
than everything else it does. What validation passed is kept as plain records in one file per
registry, under the user's cache directory (never inside the registry, which may be read-only
or shared through git), together with a key: the digests of every file a load reads (the
marker, each source's and version's metadata, each source's text), the read limits, and the
code that validates. A read whose files all have the recorded digests gets the records; any
change at all, a text file's included, validates again and replaces the entry.

A cache is only ever a shortcut: an entry that is missing, corrupt, foreign or unreadable is
ignored, and one that cannot be written is not written; the registry is then validated as if
there were no cache. ``PLANDIFF_NO_CACHE=1`` turns it off; ``PLANDIFF_CACHE_DIR`` moves it
(else ``$XDG_CACHE_HOME/plandiff``, else ``~/.cache/plandiff``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import sys
from pathlib import Path

import msgspec

from plandiff import registry_dir
from plandiff.bounded import read_inside
from plandiff.errors import PlandiffError
from plandiff.records import RegistryRecord, record_of

ENV_CACHE_DIR = "PLANDIFF_CACHE_DIR"
ENV_NO_CACHE = "PLANDIFF_NO_CACHE"

#: The first bytes of a cache entry; a new layout of the entry takes a new number.
_MAGIC = b"plandiff-records 1\n"
_DIGEST_CHARS = 64
#: The modules whose code decides what validation passes and what a record holds: an entry
#: written by other code is never read (an editable install changes without a new version).
_CODE = (
    "anchors.py",
    "bounded.py",
    "crosscheck.py",
    "decoding.py",
    "errors.py",
    "graphemes.py",
    "journal.py",
    "lineage.py",
    "models.py",
    "quote_index.py",
    "record_cache.py",
    "records.py",
    "registry_dir.py",
    "store.py",
    "text.py",
    "validation.py",
)
#: Errors that mean "this entry or file cannot serve": the registry is validated instead.
_UNUSABLE = (OSError, ValueError, PlandiffError, msgspec.MsgspecError)


def load_records(path: str | os.PathLike[str] | None = None) -> RegistryRecord:
    """The registry's records, as :func:`plandiff.store.load_registry` would validate them.

    Read under the registry's shared lock, and refused while an interrupted write is pending,
    exactly as a validating load is.
    """
    root = registry_dir.registry_root(path)
    with registry_dir.reading(root):
        return _records(root)


def cache_dir() -> Path | None:
    """Where entries are kept, or None when the cache is turned off."""
    if os.environ.get(ENV_NO_CACHE, "") not in ("", "0"):
        return None
    explicit = os.environ.get(ENV_CACHE_DIR)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    if xdg and Path(xdg).is_absolute():  # the XDG spec: a relative path is to be ignored
        return Path(xdg) / "plandiff"
    home = Path("~").expanduser()
    if not home.is_absolute():  # no home directory to speak of
        return None
    return home / ".cache" / "plandiff"


def _records(root: Path) -> RegistryRecord:
    place = _entry_path(root)
    key = None
    if place is not None:
        with contextlib.suppress(*_UNUSABLE):
            key = _metadata_key(root)
    if place is not None and key is not None:
        found = _read(place, key)
        if found is not None and _texts_unchanged(root, found):
            return found
    from plandiff import store  # validation: the pydantic models, built once

    records = record_of(store.load_checked(root), RegistryRecord)
    if place is not None and key is not None:
        _write(place, key, records)
    return records


def _entry_path(root: Path) -> Path | None:
    """The entry of the registry at ``root``: one per directory, named by its real path."""
    base = cache_dir()
    if base is None:
        return None
    name = hashlib.sha256(os.fsencode(os.path.realpath(root))).hexdigest()[:32]
    return base / f"registry-{name}.msgpack"


def _metadata_key(root: Path) -> str:
    """The digest of what decides a load's outcome apart from the text files: the code and
    limits, which folders exist, and every metadata file's name and bytes, read as a load
    reads them. A file a load could not read raises (the load then reports it)."""
    limit = registry_dir.max_metadata_bytes()
    key = hashlib.sha256(_code_digest().encode())
    key.update(f"{registry_dir.max_source_bytes()} {limit}\n".encode())
    for folder in (registry_dir.SOURCES_DIR, registry_dir.VERSIONS_DIR):
        path = root / folder
        kind = "dir" if path.is_dir() else "other" if os.path.lexists(path) else "none"
        key.update(f"{folder} {kind}\n".encode())
    files = [registry_dir.MARKER]
    files += registry_dir.metadata_files(root, registry_dir.SOURCES_DIR)
    files += registry_dir.metadata_files(root, registry_dir.VERSIONS_DIR)
    for rel in files:
        digest = hashlib.sha256(read_inside(root, rel, limit)).hexdigest()
        key.update(f"{len(rel)} {rel} {digest}\n".encode())
    return key.hexdigest()


_code_digests: list[str] = []


def _code_digest() -> str:
    """A digest of the validating code, of pydantic's and msgspec's versions and of Python's."""
    if not _code_digests:
        import importlib.util

        here = Path(__file__).parent
        code = hashlib.sha256(sys.version.encode() + msgspec.__version__.encode())
        for name in _CODE:
            code.update((here / name).read_bytes())
        spec = importlib.util.find_spec("pydantic")  # found, not imported
        if spec is None or spec.origin is None:
            raise OSError("pydantic is not installed")
        code.update((Path(spec.origin).parent / "version.py").read_bytes())
        _code_digests.append(code.hexdigest())
    return _code_digests[0]


def _texts_unchanged(root: Path, records: RegistryRecord) -> bool:
    """Every source's text (and earlier capture) still has the digest validation checked it
    against.

    Validation compared each text's bytes with its source's ``sha256`` and checked the text
    against every anchor; the same bytes pass again. A text reached through a symlink is
    left to validation, which judges where the link leads.
    """
    real_root = os.path.realpath(root)
    try:
        limit = registry_dir.max_source_bytes()
        for s in records.sources:
            # An earlier capture's text was checked against the quotes citing it, too.
            for rel, digest in ((s.path, s.sha256), *((c.path, c.sha256) for c in s.captures)):
                if os.path.realpath(root / rel) != os.path.normpath(Path(real_root) / rel):
                    return False
                data = read_inside(root, rel, limit, "text file")
                if hashlib.sha256(data).hexdigest() != digest:
                    return False
    except _UNUSABLE:
        return False
    return True


def _read(place: Path, key: str) -> RegistryRecord | None:
    """The entry's records when it is whole and was written for ``key``, else None."""
    try:
        fd = os.open(
            place, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        )
    except OSError:
        return None
    try:
        with open(fd, "rb") as fh:
            if not _own_file(os.fstat(fh.fileno())):
                return None
            data = fh.read()
    except OSError:
        return None
    head = len(_MAGIC) + 2 * _DIGEST_CHARS
    if (
        not data.startswith(_MAGIC)
        or data[len(_MAGIC) : len(_MAGIC) + _DIGEST_CHARS] != key.encode()
    ):
        return None
    payload = data[head:]
    if hashlib.sha256(payload).hexdigest().encode() != data[head - _DIGEST_CHARS : head]:
        return None  # torn or altered
    try:
        return msgspec.msgpack.decode(payload, type=RegistryRecord)
    except (msgspec.MsgspecError, ValueError):
        return None


def _own_file(found: os.stat_result) -> bool:
    """A regular file that only this user could have written. Anyone who can read a registry
    can compute its key, so an entry someone else could write (in a shared cache directory)
    could hand this user records that no validation passed."""
    if not stat.S_ISREG(found.st_mode):
        return False
    uid = getattr(os, "geteuid", None)
    if uid is None:  # pragma: no cover - Windows: no owner to compare; the profile is private
        return True
    return found.st_uid == uid() and not found.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def _write(place: Path, key: str, records: RegistryRecord) -> None:
    """Replace the entry atomically (a reader sees the old entry or the new one); a cache that
    cannot be written is left as it is."""
    import tempfile

    payload = msgspec.msgpack.encode(records)
    data = _MAGIC + key.encode() + hashlib.sha256(payload).hexdigest().encode() + payload
    tmp = None
    try:
        place.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{place.name}.", suffix=".tmp", dir=place.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, place)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
