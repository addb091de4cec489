"""The stamp ``plandiff import`` leaves in a restored registry, so that exporting it again
reproduces the archive byte for byte while its contents have not changed; and the export of a
registry directory, which reads its original captures and its stamp.
"""

from __future__ import annotations

import datetime as dt
import os
import tomllib
from pathlib import Path

from plandiff import bounded
from plandiff.errors import ArchiveError
from plandiff.models import Registry
from plandiff.xmlarchive.reading import Archive
from plandiff.xmlarchive.schema import STAMP_NAME
from plandiff.xmlarchive.writing import (
    Originals,
    content_digest,
    export_registry,
    original_reader,
)

#: The most of a stamp file that is read; a real one has about 250 bytes.
_STAMP_LIMIT = 4096


def stamp_bytes(archive: Archive) -> bytes:
    """The :data:`STAMP_NAME` file ``plandiff import`` writes beside the restored registry.

    It records the archive's creation time and digest, so that ``plandiff export`` of a registry
    that still has exactly that content reuses the time and reproduces the archive byte for
    byte. Once the registry changes, the digest no longer matches and the stamp is ignored.
    The store never reads files whose names start with a dot.
    """
    import tomli_w

    body = tomli_w.dumps({"created": archive.created, "digest": archive.digest})
    return (
        "# Written by 'plandiff import': the archive this registry was restored from.\n"
        "# 'plandiff export' reuses its creation time while the contents match the digest.\n" + body
    ).encode()


def stamped_created(
    stamp: bytes, registry: Registry, *, originals: Originals | None = None
) -> dt.datetime | None:
    """The creation time in a stamp file when ``registry`` (and its captures) match its digest."""
    try:
        data = tomllib.loads(stamp.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None
    created, digest = data.get("created"), data.get("digest")
    if (
        not isinstance(created, dt.datetime)
        or created.tzinfo is None
        or not isinstance(digest, str)
    ):
        return None
    try:
        same = content_digest(registry, originals=originals) == digest
    except ArchiveError:
        return None
    return created if same else None


def stamp_created(
    root: str | os.PathLike[str], registry: Registry, *, originals: Originals | None = None
) -> dt.datetime | None:
    """The creation time of the stamp in registry directory ``root``, when it still applies.

    A stamp that cannot be read (absent, too long, outside the registry) is no stamp.
    """
    try:
        stamp = bounded.read_inside(Path(root), STAMP_NAME, _STAMP_LIMIT)
    except (OSError, ValueError):
        return None
    return stamped_created(stamp, registry, originals=originals)


def export_directory(
    root: str | os.PathLike[str], registry: Registry, *, created: dt.datetime | None = None
) -> bytes:
    """The archive of the registry stored in ``root`` (loaded as ``registry``).

    Original captures are read from the directory under the store's rules (inside it, no
    symlink out, within the size limit); one missing is a problem listed with the others.
    Without ``created``, a registry restored by ``plandiff import`` and unchanged since gets
    its archive's own time (:func:`stamp_created`), so that the archive is reproduced byte for
    byte; any other gets the current time.
    """
    originals = original_reader(root)
    if created is None:
        created = stamp_created(root, registry, originals=originals)
    return export_registry(registry, created=created, originals=originals)
