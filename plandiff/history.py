"""Questions about the versions over time: their lineage, and one point's path through it.

:func:`lineage` orders the versions as ``git log`` does: newest first, a derived version before
its parent. :func:`trace` is ``git blame`` for a point: from the version where the point was
first recorded to the last one that has it, each step as :func:`plandiff.diff` finds it between
a version and the one it derives from, curated relations first.

Pure: the answers are records that :mod:`plandiff.render.history` turns into text or JSON.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol, TypeVar

from plandiff.errors import NotFoundError, PlandiffError, show
from plandiff.models import PlanVersion, Point, Registry
from plandiff.result import Change, DiffResult

__all__ = [
    "DeclaredChange",
    "Derived",
    "Differ",
    "Frame",
    "Trace",
    "TraceStep",
    "ancestry",
    "declared_change",
    "find_point",
    "find_version",
    "lineage",
    "trace",
]

Differ = Callable[[PlanVersion, PlanVersion, Registry], DiffResult]
"""Diffs an old version against a new one; :func:`trace` uses :func:`plandiff.diff` by default."""


# --------------------------------------------------------------------------- lineage


def find_version(registry: Registry, version_id: str) -> PlanVersion:
    """The version ``version_id``, or an error that lists the known ids."""
    version = registry.version(version_id)
    if version is None:
        raise NotFoundError("version", version_id, [v.id for v in registry.versions])
    return version


def _depths(versions: Sequence[PlanVersion]) -> dict[str, int]:
    """How many ancestors each version has, found in one pass over the lineage: a walk per
    version would be quadratic in a registry of thousands of derived versions. A cycle (which
    ``verify`` reports) or an unknown parent ends a walk."""
    by_id = {v.id: v for v in versions}
    depth: dict[str, int] = {}
    for v in versions:
        chain: list[str] = []
        on_chain: set[str] = set()
        cur: str | None = v.id
        while cur is not None and cur in by_id and cur not in depth and cur not in on_chain:
            chain.append(cur)
            on_chain.add(cur)
            cur = by_id[cur].derived_from
        base = depth[cur] if cur is not None and cur in depth else -1
        for n, ident in enumerate(reversed(chain), 1):
            depth[ident] = base + n
    return depth


class Derived(Protocol):
    """What a lineage needs of a version: a registry's model or the record a diff reads."""

    @property
    def id(self) -> str: ...
    @property
    def derived_from(self) -> str | None: ...


V = TypeVar("V", bound=Derived)


def ancestry(versions: Iterable[V], version: V) -> list[V]:
    """The version and what it derives from, newest first, back to the first (cycles stop
    the walk)."""
    by_id = {v.id: v for v in versions}
    chain, seen = [version], {version.id}
    cur = version.derived_from
    while cur is not None and cur not in seen and (parent := by_id.get(cur)) is not None:
        chain.append(parent)
        seen.add(cur)
        cur = parent.derived_from
    return chain


def lineage(registry: Registry, version_id: str | None = None) -> list[PlanVersion]:
    """Newest first: every version, or ``version_id`` and the versions it derives from.

    Versions are ordered by date, and a derived version comes before its parent on the same
    day (or when undated), as ``git log`` shows a commit before its parents.
    """
    if version_id is not None:
        return ancestry(registry.versions, find_version(registry, version_id))

    depths = _depths(registry.versions)

    def key(v: PlanVersion) -> tuple[dt.date, int, str]:
        return (v.date or dt.date.min, depths[v.id], v.id)

    return sorted(registry.versions, key=key, reverse=True)


@dataclass(frozen=True, slots=True)
class DeclaredChange:
    """How a version's declared point count compares with its parent's."""

    parent: str
    before: int
    after: int

    @property
    def difference(self) -> int:
        return self.after - self.before


def declared_change(registry: Registry, version: PlanVersion) -> DeclaredChange | None:
    """The change in declared points since the parent; None when either count is unknown."""
    parent = registry.version(version.derived_from) if version.derived_from else None
    if parent is None or parent.declared_points is None or version.declared_points is None:
        return None
    return DeclaredChange(parent.id, parent.declared_points, version.declared_points)


# --------------------------------------------------------------------------- trace

_SPEC = re.compile(r"^(?P<version>[^:]+):(?P<point>[^:]+)$")


def find_point(registry: Registry, spec: str) -> tuple[PlanVersion, Point]:
    """``VERSION:KEY`` or ``VERSION:NUMBER`` → the version and the point (a key wins)."""
    m = _SPEC.match(spec)
    if m is None:
        raise PlandiffError(
            f"{show(spec)} is not VERSION:POINT (a point key or number, e.g. us-28:territory)"
        )
    version = find_version(registry, m["version"])
    wanted = m["point"]
    point = version.point(wanted)
    if point is None and wanted.isdigit():
        point = next((p for p in version.points if p.number == int(wanted)), None)
    if point is None:
        known = [p.key for p in version.points] + [
            str(p.number) for p in version.points if p.number
        ]
        raise NotFoundError(f"point in version {show(version.id)}:", wanted, known)
    return version, point


@dataclass(frozen=True)
class TraceStep:
    """What became of the traced points between a version and one derived from it."""

    old: PlanVersion
    new: PlanVersion
    changes: tuple[Change, ...]
    direction: Literal["back", "forward"]
    """'back' (how the traced point came to be) or 'forward' (what became of it)."""


Frame = tuple[PlanVersion, tuple[str, ...]]
"""A version the trace passes through, with the keys of its traced points."""


@dataclass(frozen=True)
class Trace:
    """The history of one point: steps in time order, oldest first."""

    version: PlanVersion
    point: Point
    steps: tuple[TraceStep, ...]

    @property
    def origin(self) -> PlanVersion:
        """The earliest version the trace reaches."""
        return self.steps[0].old if self.steps else self.version

    def frames(self) -> tuple[Frame, ...]:
        """The versions in the trace's order, each with the keys of its traced points."""
        frames: list[tuple[PlanVersion, list[str]]] = []
        index: dict[str, int] = {}

        def add(version: PlanVersion, keys: Iterable[str]) -> None:
            if version.id not in index:
                index[version.id] = len(frames)
                frames.append((version, []))
            have = frames[index[version.id]][1]
            have.extend(k for k in keys if k not in have)

        if not self.steps:
            add(self.version, [self.point.key])
        for step in self.steps:
            add(step.old, [r.key for c in step.changes for r in c.old])
            add(step.new, [r.key for c in step.changes for r in c.new])
        if self.version.id not in index:
            add(self.version, [self.point.key])
        return tuple((version, tuple(keys)) for version, keys in frames)


def _default_differ(old: PlanVersion, new: PlanVersion, registry: Registry) -> DiffResult:
    from plandiff.engine import diff  # 'plandiff log' never diffs: keep its start-up light

    return diff(old, new, registry=registry)


def trace(registry: Registry, spec: str, *, differ: Differ | None = None) -> Trace:
    """Follow ``VERSION:POINT`` back to where it was first recorded and forward to its end.

    Each step diffs a version against the one it derives from, so curated relations decide where
    they exist and the alignment fills in the rest, exactly as ``plandiff diff`` would report.
    """
    differ = differ or _default_differ
    version, point = find_point(registry, spec)
    back: list[TraceStep] = []
    keys = {point.key}
    chain = ancestry(registry.versions, version)
    for child, parent in itertools.pairwise(chain):
        result = differ(parent, child, registry)
        changes = tuple(c for c in result.changes if keys & {r.key for r in c.new})
        back.append(TraceStep(parent, child, changes, "back"))
        keys = {r.key for c in changes for r in c.old}
        if not keys:
            break
    forward: list[TraceStep] = []
    children: dict[str, list[PlanVersion]] = {}
    for v in registry.versions:
        if v.derived_from:
            children.setdefault(v.derived_from, []).append(v)
    seen = {v.id for v in chain}
    stack = [(version, {point.key})]
    while stack:
        parent, keys = stack.pop(0)
        kids = sorted(children.get(parent.id, []), key=lambda v: (v.date or dt.date.min, v.id))
        for child in kids:
            if child.id in seen:
                continue
            seen.add(child.id)
            result = differ(parent, child, registry)
            changes = tuple(c for c in result.changes if keys & {r.key for r in c.old})
            forward.append(TraceStep(parent, child, changes, "forward"))
            following = {r.key for c in changes for r in c.new}
            if following:
                stack.append((child, following))
    return Trace(version, point, tuple(reversed(back)) + tuple(forward))
