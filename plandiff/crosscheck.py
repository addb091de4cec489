"""Cross-references of a registry whose files parsed: every id a version, point, relation or
anchor names exists, every quote stands where its anchor says, and no two sources share a file.

Kept apart from loading (:mod:`plandiff.store`) because the archive reader and the recorder
check registries that never touched a disk.
"""

from __future__ import annotations

from collections.abc import Mapping

from plandiff import anchors, lineage
from plandiff.errors import Problem
from plandiff.models import Registry, iter_anchors
from plandiff.registry_dir import source_file, text_path_problem, version_file
from plandiff.text import show


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

    problems.extend(_source_file_problems(registry, files))
    problems.extend(_case_clashes(registry, files))

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
            if (
                anchor.capture is not None
                and sources[anchor.source].capture(anchor.capture) is None
            ):
                n = len(sources[anchor.source].captures)
                problems.append(
                    Problem(
                        f,
                        f"{field}.capture",
                        f"source {show(anchor.source)} has no capture {anchor.capture} "
                        f"(it keeps {n} earlier capture(s))",
                    )
                )
                continue
            text = registry.anchor_text(anchor)
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


def _case_clashes(registry: Registry, files: Mapping[str, str]) -> list[Problem]:
    """Ids that differ only in case name one file on macOS and Windows, where saving one
    would overwrite the other (a registry shared through git meets both kinds of system)."""
    problems = []
    for kind, items, name in (
        ("source", registry.sources, source_file),
        ("version", registry.versions, version_file),
    ):
        seen: dict[str, str] = {}
        for item in items:
            other = seen.setdefault(item.id.casefold(), item.id)
            if other != item.id:
                f = files.get(f"{kind}:{item.id}", name(item.id))
                problems.append(
                    Problem(
                        f,
                        "id",
                        f"{kind} id {show(item.id)} differs from {show(other)} only in case; "
                        "their files would be one file on macOS and Windows",
                    )
                )
    return problems


def _source_file_problems(registry: Registry, files: Mapping[str, str]) -> list[Problem]:
    """Each source's text and capture is a file of its own, and never one of the registry's.

    Two sources citing one file would make a recapture of one overwrite the other's text, so
    sharing is refused even when the bytes match (case-insensitively, as macOS and Windows
    name files). A source may keep its text as its own capture.
    """
    problems = []
    owners: dict[str, tuple[str, str]] = {}
    for s in registry.sources:
        f = files.get(f"source:{s.id}", source_file(s.id))
        paths = [("path", s.path), ("original", s.original)]
        for i, c in enumerate(s.captures):
            paths += [(f"captures[{i}].path", c.path), (f"captures[{i}].original", c.original)]
        for field, rel in paths:
            if rel is None:
                continue
            why = text_path_problem(rel)
            if why is not None:
                problems.append(Problem(f, field, why))
                continue
            key = rel.casefold()
            if key in owners and owners[key][0] != s.id:  # its text may be its own capture
                other, other_field = owners[key]
                problems.append(
                    Problem(
                        f,
                        field,
                        f"file {show(rel)} is also the {other_field} of source {show(other)}; "
                        "each source keeps its own files",
                    )
                )
                continue
            owners[key] = (s.id, field)
    return problems


# --------------------------------------------------------------------------- loading
