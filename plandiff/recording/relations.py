"""Curated relations between a version's points and those of the version it derives from."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plandiff.errors import NotFoundError, PlandiffError, show
from plandiff.models import Anchor, PlanVersion, Registry, Relation, RelationKind
from plandiff.recording.quotes import QuoteRef, anchor_quote
from plandiff.recording.records import check_ident, updated, validated, version_of, with_version
from plandiff.recording.transaction import Edit
from plandiff.registry_dir import version_file


@dataclass(frozen=True, slots=True)
class RelationArgs:
    """``OLD_VERSION:POINT... NEW_VERSION[:POINT]...`` parsed (see :func:`parse_relation_args`)."""

    old_version: str
    old: tuple[str, ...]
    new_version: str
    new: tuple[str, ...]


def describe_relation(version: PlanVersion, relation: Relation) -> str:
    """``merged us-28:a,b → geneva-19:c`` for a relation recorded on ``version``."""
    old = f"{version.derived_from}:{','.join(relation.old)}"
    new = f"{version.id}:{','.join(relation.new)}" if relation.new else version.id
    return f"{relation.kind.value} {old} → {new}"


def relate_command(version: PlanVersion, relation: Relation) -> str:
    old = f"{version.derived_from}:{','.join(relation.old)}"
    new = f"{version.id}:{','.join(relation.new)}" if relation.new else version.id
    return f"plandiff relate {old} {new} --remove"


def parse_relation_args(args: Sequence[str]) -> RelationArgs:
    """``us-28:a us-28:b geneva-19:c`` or ``us-28:a,b geneva-19:c`` → old and new points.

    The arguments name points as ``VERSION:KEY`` (several keys of one version as
    ``VERSION:KEY,KEY``); the old version's points come first, then the new version's. A bare
    ``VERSION`` names the new version of a ``dropped`` or ``deferred`` relation, which has no
    new point.
    """
    groups: list[tuple[str, list[str]]] = []
    for arg in args:
        version, _, keys = arg.partition(":")
        version = version.strip()
        if not version:
            raise PlandiffError(f"{show(arg)}: expected VERSION:POINT (e.g. us-28:territory)")
        names = [k.strip() for k in keys.split(",") if k.strip()] if keys else []
        if groups and groups[-1][0] == version:
            groups[-1][1].extend(names)
        elif any(g[0] == version for g in groups):
            raise PlandiffError(
                f"points of version {show(version)} are given apart; list the old version's "
                "points first, then the new version's"
            )
        else:
            groups.append((version, names))
    if len(groups) != 2:
        raise PlandiffError(
            "a relation links points of two versions: give OLD_VERSION:POINT... then "
            "NEW_VERSION:POINT... (a bare NEW_VERSION for 'dropped' or 'deferred'), "
            f"not {len(groups)} version(s)"
        )
    (old_version, old), (new_version, new) = groups
    if not old:
        raise PlandiffError(
            f"name the old point(s) of version {show(old_version)}, e.g. {old_version}:KEY"
        )
    for version, named in groups:
        for k in named:
            check_ident(k, f"point key (in version {show(version)})")
    return RelationArgs(old_version, tuple(old), new_version, tuple(new))


_ARITY = {
    RelationKind.REWORDED: "one old point and one new point, e.g. us-28:a geneva-19:b",
    RelationKind.MERGED: "two or more old points and one new point, e.g. us-28:a,b geneva-19:c",
    RelationKind.SPLIT: "one old point and two or more new points, e.g. us-28:a geneva-19:b,c",
    RelationKind.DROPPED: "old points and the new version without a point, e.g. us-28:a geneva-19",
    RelationKind.DEFERRED: "old points and the new version without a point, e.g. us-28:a geneva-19",
}


def _versions_of(registry: Registry, args: RelationArgs) -> tuple[PlanVersion, PlanVersion]:
    old = version_of(registry, args.old_version)
    new = version_of(registry, args.new_version)
    if new.derived_from != old.id:
        if old.derived_from == new.id:
            raise PlandiffError(
                f"version {show(old.id)} derives from {show(new.id)}: give the older "
                f"version's points first ({new.id}:… {old.id}:…)"
            )
        parent = f"from {show(new.derived_from)}" if new.derived_from else "from no version"
        raise PlandiffError(
            f"version {show(new.id)} does not derive from {show(old.id)} (it derives {parent}); "
            "a relation links a version to the one it was derived from "
            "(see 'plandiff version add --derived-from')"
        )
    return old, new


def relate(
    registry: Registry,
    args: RelationArgs,
    kind: RelationKind,
    *,
    quotes: Sequence[QuoteRef],
    note: str | None = None,
    decided_by: str | None = None,
    decide_at: str | None = None,
) -> Edit[Relation]:
    """A curated relation between points of a version and of the version it derives from.

    ``decided_by`` and ``decide_at`` say, for a ``deferred`` relation, who is to settle the
    matter and where or when, as the sources report it."""
    if kind is not RelationKind.DEFERRED and (decided_by or decide_at):
        option = "--decided-by" if decided_by else "--decide-at"
        raise PlandiffError(f"{option} is only for a 'deferred' relation, not '{kind.value}'")
    old_version, new_version = _versions_of(registry, args)
    n_old, n_new = len(args.old), len(args.new)
    fits = {
        RelationKind.REWORDED: n_old == 1 and n_new == 1,
        RelationKind.MERGED: n_old >= 2 and n_new == 1,
        RelationKind.SPLIT: n_old == 1 and n_new >= 2,
        RelationKind.DROPPED: n_old >= 1 and n_new == 0,
        RelationKind.DEFERRED: n_old >= 1 and n_new == 0,
    }[kind]
    if not fits:
        raise PlandiffError(f"'{kind.value}' takes {_ARITY[kind]}; got {n_old} old → {n_new} new")
    for version, keys in ((old_version, args.old), (new_version, args.new)):
        for key in keys:
            if version.point(key) is None:
                raise NotFoundError(
                    "point",
                    f"{version.id}:{key}",
                    [f"{version.id}:{p.key}" for p in version.points],
                )
        if len(set(keys)) != len(keys):
            raise PlandiffError(f"a point of version {show(version.id)} is named twice")
    same: int | None = None
    for i, r in enumerate(new_version.relations):
        if (r.kind, r.old, r.new) == (kind, args.old, args.new):
            same = i
            continue
        clash = [f"{old_version.id}:{k}" for k in args.old if k in r.old]
        clash += [f"{new_version.id}:{k}" for k in args.new if k in r.new]
        if clash:
            raise PlandiffError(
                f"{', '.join(clash)} already in the relation {describe_relation(new_version, r)} "
                f"({version_file(new_version.id)} relations[{i}]); when sources disagree on "
                "what happened, keep the claim best supported and add the other quotes to it "
                f"with --stance contradict, or remove it first with "
                f"'{relate_command(new_version, r)}'"
            )
    if not quotes:
        raise PlandiffError(
            "a relation needs evidence: give at least one --quote with its --source"
        )
    evidence = tuple(anchor_quote(registry, q) for q in quotes)
    if same is not None:
        return _more_evidence(registry, new_version, same, evidence)
    relation = validated(
        Relation,
        "relation",
        kind=kind,
        old=args.old,
        new=args.new,
        evidence=evidence,
        note=note or None,
        decided_by=decided_by or None,
        decide_at=decide_at or None,
    )
    new_version = updated(
        new_version, f"version {show(new_version.id)}", relations=(*new_version.relations, relation)
    )
    line = f"related {describe_relation(new_version, relation)}"
    return Edit(with_version(registry, new_version), relation, {}, (line,))


def _more_evidence(
    registry: Registry, version: PlanVersion, index: int, evidence: tuple[Anchor, ...]
) -> Edit[Relation]:
    """The same relation recorded again: its new quotes join the evidence it has (a source
    that contradicts or qualifies it included), so one claim holds every source's word on it."""
    relation = version.relations[index]
    held = {(a.source, a.start, a.end) for a in relation.evidence}
    added = tuple(a for a in evidence if (a.source, a.start, a.end) not in held)
    if not added:
        line = f"unchanged: relation {describe_relation(version, relation)} has these quotes"
        return Edit(registry, relation, {}, (line,), changed=False)
    relation = updated(relation, "relation", evidence=(*relation.evidence, *added))
    relations = tuple(relation if j == index else r for j, r in enumerate(version.relations))
    version = updated(version, f"version {show(version.id)}", relations=relations)
    line = f"added {len(added)} quote(s) to relation {describe_relation(version, relation)}"
    return Edit(with_version(registry, version), relation, {}, (line,))


def unrelate(
    registry: Registry, args: RelationArgs, kind: RelationKind | None = None
) -> Edit[Relation]:
    """Remove the one relation that involves all the given points (and is of ``kind``)."""
    _, new_version = _versions_of(registry, args)
    matches = [
        (i, r)
        for i, r in enumerate(new_version.relations)
        if set(args.old) <= set(r.old)
        and set(args.new) <= set(r.new)
        and (kind is None or r.kind is kind)
    ]
    if not matches:
        known = "; ".join(describe_relation(new_version, r) for r in new_version.relations)
        raise PlandiffError(
            f"no relation of version {show(new_version.id)} links these points"
            + (f" (it has: {known})" if known else " (it has none)")
        )
    if len(matches) > 1:
        listed = "; ".join(describe_relation(new_version, r) for _, r in matches)
        raise PlandiffError(f"several relations match ({listed}); name more of their points")
    i, relation = matches[0]
    relations = tuple(r for j, r in enumerate(new_version.relations) if j != i)
    new_version = updated(new_version, f"version {show(new_version.id)}", relations=relations)
    line = f"removed relation {describe_relation(new_version, relation)}"
    return Edit(with_version(registry, new_version), relation, {}, (line,))
