"""Writing a whole registry into a directory at once, as ``plandiff import`` does
(:func:`restore_archive`).

Into a new (or empty) directory, the registry is built in a hidden sibling, loaded back, and
renamed into place in one step, so a failure at any point leaves nothing at the target. The
sibling is named ``.<target>.plandiff-import-<random>`` and locked while it is built; a process
killed meanwhile (``kill -9``) leaves it behind, and the next import beside it removes every
such sibling that no live import holds. Into a non-empty directory (``--force``), the change is
one journalled commit under the registry's write lock.
"""

from __future__ import annotations

import contextlib
import secrets
import shutil
import stat
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

from plandiff import journal, store
from plandiff.errors import PlandiffError
from plandiff.models import Registry
from plandiff.xmlarchive import Archive, stamp_bytes

_STAGING_MARK = ".plandiff-import-"
#: A staging folder with no lock file yet is being set up (or was killed while it was); after
#: this long it is taken as abandoned.
_UNLOCKED_GRACE_SECONDS = 60.0


def staging_prefix(target: Path) -> str:
    return f".{target.name}{_STAGING_MARK}"


def leftover_stagings(target: Path) -> list[Path]:
    """Staging folders of earlier imports into ``target`` that were killed before finishing."""
    parent = target.parent
    if not parent.is_dir():
        return []
    prefix = staging_prefix(target)
    found = []
    for path in sorted(parent.iterdir()):
        if not path.name.startswith(prefix) or path.is_symlink() or not path.is_dir():
            continue
        if _abandoned(path):
            found.append(path)
    return found


def _abandoned(staging: Path) -> bool:
    from filelock import FileLock, Timeout

    lock_path = staging / journal.LOCK_NAME
    if not lock_path.exists():
        with contextlib.suppress(OSError):
            age = time.time() - staging.stat().st_mtime
            return age > _UNLOCKED_GRACE_SECONDS
        return False
    lock = FileLock(str(lock_path))
    try:
        lock.acquire(timeout=0)
    except (Timeout, OSError):
        return False  # a live import holds it
    lock.release()
    return True


def remove_leftovers(target: Path) -> None:
    for path in leftover_stagings(target):
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _staging(parent: Path, target: Path) -> Iterator[Path]:
    staging = parent / f"{staging_prefix(target)}{secrets.token_hex(4)}"
    staging.mkdir()
    try:
        with journal.locked(staging):
            yield staging
    finally:
        shutil.rmtree(staging, ignore_errors=True)  # gone already when it was renamed


def restore_fresh(into: Path, registry: Registry, files: Mapping[str, bytes]) -> None:
    """Build the registry beside ``into``, check it loads, then rename it into place.

    ``into`` is absent or an empty directory, which a rename replaces in one step. Folders
    created on the way are removed again when anything fails.
    """
    target = into.resolve()
    parent = target.parent
    created = [p for p in (parent, *parent.parents) if not p.exists()]
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_leftovers(target)
        with _staging(parent, target) as staging:
            (staging / store.SOURCES_DIR).mkdir()
            (staging / store.VERSIONS_DIR).mkdir()
            journal.atomic_write(staging / store.MARKER, store.marker_bytes())
            store.save_registry(staging, registry, extra_files=files)
            store.load_registry(staging)  # what was written reads back, hashes and quotes too
            if target.is_dir():
                staging.chmod(stat.S_IMODE(target.stat().st_mode))
            staging.replace(target)
    except BaseException:
        if created:
            shutil.rmtree(created[-1], ignore_errors=True)
        raise


def restore_in_place(into: Path, registry: Registry, files: Mapping[str, bytes]) -> None:
    """--force: one journalled commit into the existing directory, under its write lock."""
    lock = into / journal.LOCK_NAME
    had_lock = lock.exists()
    try:
        with journal.locked(into):
            store.recover_journal(into)
            store.save_registry(into, registry, extra_files=files)
    except BaseException:
        if not had_lock:
            lock.unlink(missing_ok=True)
        raise


def check_target(into: Path, *, force: bool = False) -> bool:
    """Refuse a target that is not a directory, or not empty without ``force``; True when it
    holds something. Callers check before reading an archive, which can take a while."""
    if into.exists() and not into.is_dir():
        raise PlandiffError(f"{into}: exists and is not a directory")
    nonempty = into.is_dir() and any(into.iterdir())
    if nonempty and not force:
        raise PlandiffError(f"{into}: directory is not empty (--force imports into it)")
    return nonempty


def restore_archive(into: Path, archive: Archive, *, force: bool = False) -> None:
    """Write a read archive's registry, its files and the import stamp into ``into``.

    ``into`` must be absent or an empty directory, unless ``force``: then the archive's
    registry replaces the one there in one journalled commit (other files are kept). The stamp
    (:func:`plandiff.xmlarchive.stamp_bytes`) lets an unchanged registry export the same bytes.
    """
    nonempty = check_target(into, force=force)
    files = dict(archive.files)  # the texts and the original captures
    files[store.STAMP_NAME] = stamp_bytes(archive)
    if nonempty:
        restore_in_place(into, archive.registry, files)
    else:
        restore_fresh(into, archive.registry, files)


__all__ = [
    "check_target",
    "leftover_stagings",
    "remove_leftovers",
    "restore_archive",
    "restore_fresh",
    "restore_in_place",
]
