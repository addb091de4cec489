"""Building records the registry accepts: validated models, identifiers, keys and lookups.

Every operation builds its sources, versions, points, relations and events through
:func:`validated`, so pydantic's complaint reaches the user as one line naming the field.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from plandiff.errors import NotFoundError, PlandiffError, show
from plandiff.models import IDENT_PATTERN, PlanVersion, Point, Registry, Source
from plandiff.registry_dir import source_file
from plandiff.text import ident_from

M = TypeVar("M", bound=BaseModel)


_IDENT = re.compile(IDENT_PATTERN)


#: Left out of keys made from a summary: "The dam at Orsk ..." → "dam-orsk-...".
_STOP_WORDS = frozenset(
    "a an and are as at be by for from in into is it its of on or that the this to with".split()  # noqa: SIM905 — a word list reads best as one line
)


def validated(cls: type[M], label: str, /, **fields: Any) -> M:
    """``cls(**fields)`` with pydantic's complaint turned into a one-line error."""
    try:
        return cls.model_validate(fields)
    except ValidationError as exc:
        raise PlandiffError(f"{label}: {first_error(exc)}") from exc


def updated(model: M, label: str, /, **changes: Any) -> M:
    """A validated copy (``model_copy`` would skip validation of the changed fields)."""
    return validated(type(model), label, **{**dict(model), **changes})


def first_error(exc: ValidationError) -> str:
    err = exc.errors(include_url=False)[0]
    loc = ".".join(str(p) for p in err["loc"])
    message = err["msg"].removeprefix("Value error, ")
    value = err.get("input")
    got = (
        f" (got {show(value, 40)})"
        if isinstance(value, str | int) and err["type"] != "missing"
        else ""
    )
    return f"{loc}: {message}{got}" if loc else f"{message}{got}"


def check_ident(value: str, what: str) -> str:
    if not _IDENT.match(value):
        raise PlandiffError(
            f"invalid {what} {show(value)}: use letters, digits, '.', '_' and '-', "
            "starting with a letter or digit, at most 128 characters"
        )
    return value


def default_source_id(name: str) -> str:
    """A source id from a file name: its stem, sanitised to ``[A-Za-z0-9._-]``, ≤ 128 chars."""
    stem = Path(name).stem
    ascii_stem = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    ident = ident_from(ascii_stem)[:128].rstrip("-._")
    return ident or "source"


def slug(text: str, *, max_words: int = 4, max_len: int = 48) -> str:
    """A short key from a summary or quote: lower-case words joined by '-', stop words left out."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.findall(r"[a-z0-9]+", ascii_text)
    kept = [w for w in words if w not in _STOP_WORDS] or words
    out = ""
    for word in kept[:max_words]:
        candidate = f"{out}-{word}" if out else word
        if len(candidate) > max_len:
            break
        out = candidate
    return out or "point"


def unique_key(base: str, taken: Iterable[str]) -> str:
    used = set(taken)
    if base not in used:
        return base
    n = 2
    while f"{base}-{n}" in used:
        n += 1
    return f"{base}-{n}"


def version_of(registry: Registry, version_id: str) -> PlanVersion:
    version = registry.version(version_id)
    if version is None:
        raise NotFoundError("version", version_id, [v.id for v in registry.versions])
    return version


def point_of(version: PlanVersion, key: str) -> Point:
    point = version.point(key)
    if point is None:
        raise NotFoundError(
            f"point in version {show(version.id)}:", key, [p.key for p in version.points]
        )
    return point


def with_version(registry: Registry, version: PlanVersion) -> Registry:
    versions = list(registry.versions)
    for i, v in enumerate(versions):
        if v.id == version.id:
            versions[i] = version
            break
    else:
        versions.append(version)
    return registry.model_copy(update={"versions": tuple(versions)})


def _source_paths(source: Source) -> set[str]:
    paths = {source.path.casefold(), source_file(source.id).casefold()}
    if source.original:
        paths.add(source.original.casefold())
    for capture in source.captures:
        paths.add(capture.path.casefold())
        if capture.original:
            paths.add(capture.original.casefold())
    return paths


def claim_paths(registry: Registry, source_id: str, paths: Iterable[str]) -> None:
    """Refuse file names another source uses (case-insensitively, for macOS and Windows)."""
    for other in registry.sources:
        if other.id == source_id:
            continue
        taken = _source_paths(other)
        for rel in paths:
            if rel.casefold() in taken:
                raise PlandiffError(
                    f"source {show(source_id)} would write {show(rel)}, which belongs to source "
                    f"{show(other.id)}; choose another --id"
                )
