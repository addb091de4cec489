"""The diff as an XML document (``--format xml``): root ``<diff>`` in the archive's namespace.

It is written with the archive's element builders and value rules (:mod:`plandiff.xmlarchive`),
so it is valid against the same XSD; the tests validate its output against that schema rather
than every run paying for a parse and a validation of what was just built.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from plandiff.kinds import KindFilter
from plandiff.records import Stance
from plandiff.result import (
    DiffResult,
    EvidenceRef,
    NestedChange,
    PointRef,
    Redline,
    Substantive,
    VersionSummary,
)
from plandiff.xmlarchive.problems import ArchiveProblems
from plandiff.xmlarchive.schema import GENERATOR, NAMESPACE, opt_date, opt_int, q, sub
from plandiff.xmlarchive.writing import ValueWriter
from plandiff.xmlcommon import to_bytes, xsd_double


def _diff_evidence(
    writer: ValueWriter, parent: etree._Element, refs: Iterable[EvidenceRef]
) -> None:
    for i, e in enumerate(refs):
        el = sub(
            parent,
            "evidence",
            role=e.role,
            published=opt_date(e.published),
            start=opt_int(e.start),
            end=opt_int(e.end),
            stance=None if e.stance is Stance.SUPPORT else e.stance.value,
            attribution=e.attribution.value if e.attribution is not None else None,
            capture=opt_int(e.capture),
            retrieved=opt_date(e.retrieved),
        )
        where = f"evidence[{i}]"
        writer.opt(el, "point", e.point, f"{where}.point")
        writer.text(el, "source", e.source, f"{where}.source")
        writer.opt(el, "title", e.title, f"{where}.title")
        writer.opt(el, "outlet", e.outlet, f"{where}.outlet")
        writer.opt(el, "url", e.url, f"{where}.url")
        writer.text(el, "quote", e.quote, f"{where}.quote")
        writer.opt(el, "reliability", e.reliability, f"{where}.reliability")


def _diff_version(writer: ValueWriter, parent: etree._Element, tag: str, v: VersionSummary) -> None:
    el = sub(
        parent,
        tag,
        date=opt_date(v.date),
        declared_points=opt_int(v.declared_points),
        known_points=str(v.known_points),
        completeness=v.completeness.value,
    )
    writer.text(el, "id", v.id, f"{tag}.id")
    writer.text(el, "title", v.title, f"{tag}.title")
    writer.texts(el, "issuer", v.issuer, f"{tag}.issuer")
    writer.opt(el, "derived-from", v.derived_from, f"{tag}.derived_from")
    _diff_evidence(writer, el, v.evidence)


def _point_refs(
    writer: ValueWriter, parent: etree._Element, tag: str, refs: Iterable[PointRef], where: str
) -> None:
    for i, r in enumerate(refs):
        el = sub(
            parent,
            tag,
            index=str(r.index),
            number=opt_int(r.number),
            verbatim="true" if r.verbatim else "false",
        )
        writer.text(el, "key", r.key, f"{where}.{tag}[{i}].key")
        # An element, not an attribute: a path is plan text, and only an element can carry a
        # value XML cannot hold (as base64, by the archive's value rules).
        writer.opt(el, "path", r.path, f"{where}.{tag}[{i}].path")
        writer.text(el, "text", r.text, f"{where}.{tag}[{i}].text")
        writer.texts(el, "heading", r.heading, f"{where}.{tag}[{i}].heading")


def _redline_and_figures(
    writer: ValueWriter,
    el: etree._Element,
    redline: Redline | None,
    figures: Iterable[Substantive],
    where: str,
) -> None:
    if redline is not None:
        parts = sub(el, "redline")
        for j, (op, text) in enumerate(redline.ops):
            writer.text(parts, op.value, text, f"{where}.redline[{j}]")
    for j, s in enumerate(figures):
        s_el = sub(
            el, "substantive", kind=s.kind.value, not_mentioned="true" if s.not_mentioned else None
        )
        writer.opt(s_el, "from", s.old, f"{where}.substantive[{j}].old")
        writer.opt(s_el, "to", s.new, f"{where}.substantive[{j}].new")


def _nested(
    writer: ValueWriter, parent: etree._Element, nested: Iterable[NestedChange], where: str
) -> None:
    """``<nested>`` per correspondence of sub-items inside the change's points, by path."""
    for i, n in enumerate(nested):
        at = f"{where}.nested[{i}]"
        el = sub(
            parent,
            "nested",
            kind=n.kind.value,
            level=str(n.level),
            moved="true" if n.moved else "false",
            renumbered="true" if n.renumbered else "false",
            similarity=None if n.similarity is None else xsd_double(n.similarity),
        )
        writer.texts(el, "old", n.old, f"{at}.old")
        writer.texts(el, "new", n.new, f"{at}.new")
        _redline_and_figures(writer, el, n.redline, n.substantive, at)


def diff_to_xml(result: DiffResult, kinds: KindFilter | None = None) -> bytes:
    """A diff as an XML document (root ``<diff>``) valid against the archive schema; with
    ``kinds``, ``<changes>`` and ``<parts>`` hold only those of these kinds (``<summary>``
    counts every change).

    Raises :class:`~plandiff.xmlarchive.ArchiveProblems` for values no reader could take back
    (a lone surrogate, a value over the archive's size limit per text node).
    """
    from plandiff import __version__

    writer = ValueWriter()
    root = etree.Element(q("diff"), nsmap={None: NAMESPACE})
    sub(root, "generator", name=GENERATOR, version=__version__)
    _diff_version(writer, root, "old", result.old)
    _diff_version(writer, root, "new", result.new)
    settings = sub(
        root,
        "settings",
        match_threshold=xsd_double(result.settings.match_threshold),
        containment_threshold=xsd_double(result.settings.containment_threshold),
    )
    writer.text(settings, "algorithm", result.settings.algorithm, "settings.algorithm")
    writer.text(settings, "redline", result.settings.redline, "settings.redline")
    d = result.declared
    sub(
        root,
        "declared",
        old=opt_int(d.old),
        new=opt_int(d.new),
        old_unaccounted=opt_int(d.old_unaccounted),
        new_unaccounted=opt_int(d.new_unaccounted),
    )
    changes = sub(root, "changes")
    for i, c in enumerate(result.changes if kinds is None else kinds.select(result.changes)):
        where = f"changes[{i}]"
        el = sub(
            changes,
            "change",
            kind=c.kind.value,
            moved="true" if c.moved else "false",
            renumbered="true" if c.renumbered else "false",
            basis=c.basis.value,
            similarity=None if c.similarity is None else xsd_double(c.similarity),
            heading_moved="true" if c.heading_moved else None,
            sources_disagree="true" if c.sources_disagree else None,
        )
        _point_refs(writer, el, "old", c.old, where)
        _point_refs(writer, el, "new", c.new, where)
        _redline_and_figures(writer, el, c.redline, c.substantive, where)
        _diff_evidence(writer, el, c.evidence)
        writer.opt(el, "note", c.note, f"{where}.note")
        writer.texts(el, "subitem", c.subitems_changed, f"{where}.subitems_changed")
        _nested(writer, el, c.nested, where)
        writer.opt(el, "decidedBy", c.decided_by, f"{where}.decided_by")
        writer.opt(el, "decideAt", c.decide_at, f"{where}.decide_at")
        for j, b in enumerate(c.brackets):
            b_el = sub(el, "bracket", kind=b.kind.value)
            writer.text(b_el, "text", b.text, f"{where}.brackets[{j}].text")
            writer.texts(b_el, "other", b.others, f"{where}.brackets[{j}].others")
    shown_parts = result.parts if kinds is None else kinds.select_parts(result.parts)
    if shown_parts:
        parts = sub(root, "parts")
        for i, p in enumerate(shown_parts):
            where = f"parts[{i}]"
            el = sub(
                parts,
                "part",
                part=p.part.value,
                kind=p.kind.value,
                old_before=opt_int(p.old_before),
                new_before=opt_int(p.new_before),
            )
            writer.opt(el, "old", p.old, f"{where}.old")
            writer.opt(el, "new", p.new, f"{where}.new")
            _redline_and_figures(writer, el, p.redline, p.substantive, where)
    summary = sub(root, "summary")
    for kind, n in result.summary().items():
        sub(summary, "count", kind=kind, n=str(n))
    warnings = sub(root, "warnings")
    writer.texts(warnings, "warning", result.warnings, "warnings")
    if writer.problems:
        raise ArchiveProblems(writer.problems)
    etree.indent(root, space="  ")
    return to_bytes(root)
