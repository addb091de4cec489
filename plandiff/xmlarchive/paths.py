"""Where an archive's files go: each text and capture to its own path inside the registry.

Two sources naming one file with different bytes, or a file where another needs a folder, are
reported with their lines here; the store's cross-check then refuses any sharing at all (a
recapture of one would overwrite the other's text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath

from lxml import etree

from plandiff import store
from plandiff.errors import show
from plandiff.models import Source
from plandiff.registry_dir import text_path_problem
from plandiff.xmlarchive.problems import ArchiveProblem
from plandiff.xmlarchive.schema import q


def path_problems(
    sources_el: etree._Element, sources: list[Source], captures: Mapping[str, bytes]
) -> list[ArchiveProblem]:
    """Every path of ``sources`` that cannot be written, at the line of its element."""
    problems: list[ArchiveProblem] = []
    lines = {el.get("id"): _path_lines(el) for el in sources_el}
    files: dict[str, _Claim] = {}
    folders: dict[str, _Claim] = {}  # every folder some path needs → the first claim
    claims: list[_Claim] = []
    for s in sources:
        claims.append(_Claim(s, "path", s.path, s.sha256))
        if s.original is not None:
            capture = captures.get(s.id)
            digest = None if capture is None else store.sha256_bytes(capture)
            claims.append(_Claim(s, "original", s.original, digest))
        for i, kept in enumerate(s.captures):  # an earlier capture's files are the source's too
            claims.append(_Claim(s, f"captures[{i}].path", kept.path, kept.sha256))
            if kept.original is not None:
                claims.append(_Claim(s, f"captures[{i}].original", kept.original, None))
    for c in claims:
        parts = PurePosixPath(c.rel).parts
        why = text_path_problem(c.rel)
        if why is None:
            key = "/".join(parts)
            parents = ["/".join(parts[:n]) for n in range(1, len(parts))]
            clash = folders.get(key) or next((files[p] for p in parents if p in files), None)
            same = files.get(key)
            if clash is not None:
                why = (
                    f"path {show(c.rel)} clashes with the {clash.field} of source "
                    f"{show(clash.source.id)}"
                )
            elif (
                same is not None and None not in (same.sha256, c.sha256) and same.sha256 != c.sha256
            ):
                what = "text" if same.field == c.field == "path" else "bytes"
                why = (
                    f"path {show(c.rel)} is also the {same.field} of source "
                    f"{show(same.source.id)}, with different {what}"
                )
            else:
                if same is None or same.sha256 is None:  # a claim that writes bytes wins
                    files[key] = c
                for p in parents:
                    folders.setdefault(p, c)
        if why:
            prefix = "" if c.field == "path" else f"{c.field}: "
            line = lines.get(c.source.id, {}).get(c.field)
            problems.append(ArchiveProblem(line, f"source {show(c.source.id)}: {prefix}{why}"))
    return problems


@dataclass(frozen=True, slots=True)
class _Claim:
    """A file an archive's source writes: its text (``path``) or its capture (``original``).

    ``sha256`` is None for an original whose bytes the archive lacks (an older archive): the
    path is recorded, no file is written.
    """

    source: Source
    field: str
    rel: str
    sha256: str | None


def _path_lines(source_el: etree._Element) -> dict[str, int | None]:
    """Lines to report a source's path problems at: the source's own for its text path (as
    always), the ``<original>`` element's for its capture's path."""
    lines = {"path": source_el.sourceline}
    original = source_el.find(q("original"))
    lines["original"] = (original if original is not None else source_el).sourceline
    return lines
