"""The one place recording touches the disk: an :class:`Edit` applied to a registry.

Every operation is a pure function from a registry to an :class:`Edit`; :func:`transact` takes the
registry's write lock, loads it fresh, applies one operation and lets
:func:`plandiff.store.save_registry` cross-check the whole result before one atomic commit. An
operation that refuses raises before anything is written, so a failing command leaves the
registry byte for byte as it was, and two writers never lose each other's edit because each
applies its edit to what the other committed.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from plandiff import store
from plandiff.bounded import read_inside
from plandiff.errors import PlandiffError
from plandiff.journal import locked
from plandiff.models import Registry

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Edit(Generic[T]):
    """What an operation did: the registry after it, files to write with it, and a result."""

    registry: Registry
    result: T
    files: Mapping[str, bytes] = field(default_factory=dict)
    lines: tuple[str, ...] = ()
    """What was done, one line each, for the user."""
    changed: bool = True
    """False when the operation found nothing to do (nothing is written)."""
    deletes: tuple[str, ...] = ()
    """Files of the registry to delete in the same commit (a removed source's text)."""


def writable_root(explicit: str | os.PathLike[str] | None) -> Path:
    """The registry a writing command may change: given explicitly, never the bundled one by
    default, because a site-packages install must not be modified by accident."""
    chosen = explicit or os.environ.get(store.ENV_REGISTRY)
    if chosen:
        return Path(chosen)
    bundled = store.bundled_registry_path()
    raise PlandiffError(
        f"refusing to change the bundled registry ({bundled}), which ships with plandiff; "
        "create your own with 'plandiff init DIR' and select it with '--registry DIR' "
        f"(or PLANDIFF_REGISTRY=DIR), or pass '--registry {bundled}' to change it on purpose"
    )


def transact(root: Path, operation: Callable[[Registry], Edit[T]]) -> Edit[T]:
    """Load ``root`` under its write lock, apply ``operation`` and save the result atomically.

    The lock is taken only for a directory that is a registry, so a mistyped ``--registry``
    leaves no lock file behind.
    """
    if not (root / store.MARKER).is_file():
        store.load_registry(root)  # raises the registry's own, precise error
    with locked(root):
        registry = store.load_registry(root, recover=True)
        edit = operation(registry)
        if edit.changed:
            files: dict[str, bytes | None] = {**edit.files, **dict.fromkeys(edit.deletes)}
            store.save_registry(root, edit.registry, extra_files=files)
    return edit


def file_reader(root: Path) -> Callable[[str], bytes | None]:
    """Reads a file of the registry by its relative path; None when it is not there."""

    def read(rel: str) -> bytes | None:
        try:
            return read_inside(root, rel, store.max_source_bytes())
        except (OSError, ValueError):
            return None

    return read
