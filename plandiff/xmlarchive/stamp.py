"""The stamp ``plandiff import`` leaves in a restored registry, so that exporting it again
reproduces the archive byte for byte while its contents have not changed.
"""

from __future__ import annotations

import datetime as dt
import tomllib

from plandiff.errors import ArchiveError
from plandiff.models import Registry
from plandiff.xmlarchive.reading import Archive
from plandiff.xmlarchive.writing import Originals, content_digest


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
