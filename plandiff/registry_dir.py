"""The registry directory: where it is, which files a load reads, and how a reader enters it.

What the validating loader (:mod:`plandiff.store`) and the cache of what it validated
(:mod:`plandiff.record_cache`) both need, kept apart from the pydantic models so that a command
served from the cache never imports them.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from plandiff.bounded import safe_relpath
from plandiff.errors import Problem, RegistryError, env_limit
from plandiff.text import show

MARKER = "plandiff.toml"
FORMAT = 1
SOURCES_DIR = "sources"
VERSIONS_DIR = "versions"
#: Largest source text accepted, in bytes; PLANDIFF_MAX_SOURCE_BYTES overrides it.
MAX_SOURCE_BYTES = 20 * 1024 * 1024
#: Largest metadata file (a version's TOML) read, in bytes: a version cut from a plan text at
#: the source limit holds the text and its anchors, so it may take a few times that.
MAX_METADATA_BYTES = 256 * 1024 * 1024
ENV_REGISTRY = "PLANDIFF_REGISTRY"


def max_source_bytes() -> int:
    return env_limit("PLANDIFF_MAX_SOURCE_BYTES", MAX_SOURCE_BYTES, "bytes")


def max_metadata_bytes() -> int:
    return max(MAX_METADATA_BYTES, 4 * max_source_bytes())


def bundled_registry_path() -> Path:
    """The registry that ships with plandiff (built from the project's ``seeds/`` folder).

    A wheel carries it as ``plandiff/registry``; a source checkout or editable install finds
    ``seeds/`` beside the package.
    """
    package = Path(__file__).resolve().parent  # importlib.resources would cost a short command
    packaged = package / "registry"  # 8 ms to import, and plandiff is never run from a zip
    if (packaged / MARKER).is_file():
        return packaged
    return package.parent / "seeds"


def resolve_registry_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """``--registry`` first, then ``$PLANDIFF_REGISTRY``, then the bundled registry."""
    if explicit:
        return Path(explicit)
    env = os.environ.get(ENV_REGISTRY)
    if env:
        return Path(env)
    return bundled_registry_path()


def metadata_files(root: Path, folder: str) -> list[str]:
    """The metadata files of one folder (sources or versions) that a load reads, in order."""
    base = root / folder
    if not base.is_dir():
        return []
    return sorted(
        f"{folder}/{p.name}"
        for p in base.iterdir()
        if p.suffix == ".toml" and not p.name.startswith(".")
    )


def registry_root(path: str | os.PathLike[str] | None = None) -> Path:
    """The registry directory to load (see :func:`resolve_registry_path`), refused in one line
    when it is not there or is not a registry."""
    root = resolve_registry_path(path)
    if not root.exists():
        raise RegistryError([Problem(str(root), "", "registry directory does not exist")])
    if not root.is_dir():
        raise RegistryError([Problem(str(root), "", "not a directory")])
    if not (root / MARKER).is_file():
        raise RegistryError(
            [Problem(str(root), "", f"not a plandiff registry (no {MARKER}; see 'plandiff init')")]
        )
    return root


@contextlib.contextmanager
def reading(root: Path) -> Iterator[None]:
    """Read the registry under its readers' lock, so a writer's commit is seen whole or not at
    all; refuse a registry whose interrupted write is pending, which only a writer finishes (a
    command that only reads never writes a file)."""
    from plandiff import journal  # not imported to read a limit: a text diff needs no lock

    with journal.reading(root):
        if journal.pending(root):
            raise RegistryError(
                [
                    Problem(
                        str(root / journal.TXN_DIR),
                        "",
                        "an interrupted write is pending; a command that only reads does not "
                        f"finish it: run 'plandiff --registry {root} verify --fix' to finish "
                        "(or discard) it",
                    )
                ]
            )
        yield


def source_file(source_id: str) -> str:
    """The file a source's record is kept in, relative to the registry."""
    return f"{SOURCES_DIR}/{source_id}.toml"


def version_file(version_id: str) -> str:
    """The file a version's record is kept in, relative to the registry."""
    return f"{VERSIONS_DIR}/{version_id}.toml"


def text_path_problem(rel: str) -> str | None:
    """Why ``rel`` may not be a source's text or capture path, or None.

    Such a file is data the registry keeps byte for byte, so it may not be one of the registry's
    own files (which a recapture would overwrite), nor hidden (the journal, the lock, ``.git``),
    nor leave the registry.
    """
    try:
        safe_relpath(Path("/plandiff-path-check"), rel)
    except ValueError as exc:
        return str(exc)
    if not rel.isprintable():
        return f"path {show(rel)} holds control characters"
    parts = PurePosixPath(rel).parts
    if not parts:
        return f"path {show(rel)} names no file"
    if any(part.startswith(".") for part in parts):
        return f"path {show(rel)} names a hidden file, which a registry never reads"
    if rel in (MARKER, SOURCES_DIR, VERSIONS_DIR) or (
        len(parts) == 2 and parts[0] in (SOURCES_DIR, VERSIONS_DIR) and rel.endswith(".toml")
    ):
        return f"path {show(rel)} is where the registry keeps its own files"
    return None
