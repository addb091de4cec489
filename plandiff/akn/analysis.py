"""A diff in AKN: ``<analysis><passiveModifications>``, one ``<textualMod>`` per change, and the
notes on what the document leaves out.
"""

from __future__ import annotations

from collections.abc import Sequence

from lxml import etree

from plandiff.akn.document import Document
from plandiff.akn.elements import akn_tag, ext_tag, sub, xml_safe
from plandiff.akn.items import item_eids
from plandiff.akn.naming import RECORDER, iris, item_eid, point_eids, textual_mod_type
from plandiff.errors import PlandiffError, show
from plandiff.models import PlanVersion
from plandiff.records import Completeness
from plandiff.result import Change, ChangeKind, DiffResult, NestedChange, PointRef
from plandiff.xmlcommon import xsd_double


class Analysis:
    """``<analysis><passiveModifications>`` for a diff, and the notes on what it leaves out."""

    def __init__(self, document: Document, result: DiffResult, old: PlanVersion) -> None:
        self.document = document
        self.result = result
        self.old = old
        self.old_iris = iris(old, document.registry)
        self.old_eids = point_eids(old)
        self._paths: tuple[dict[str, str], dict[str, str]] | None = None
        self._items: tuple[dict[str, str], dict[str, str]] | None = None

    def eid(self, version: PlanVersion, eids: Sequence[str], ref: PointRef) -> str:
        at = ref.index - 1
        if not 0 <= at < len(version.points) or version.points[at].key != ref.key:
            raise PlandiffError(
                f"the diff names point {show(ref.key)} at position {ref.index} of version "
                f"{show(version.id)}, which the registry does not have there"
            )
        return eids[at]

    def build(self) -> None:
        doc, result, old = self.document, self.result, self.old
        doc.reference(
            "TLCReference",
            "oldVersion",
            self.old_iris.expression_main,
            old.title,
            name="comparedWith",
            **{ext_tag("id"): old.id},
        )
        passive = etree.Element(akn_tag("passiveModifications"))
        counts: dict[str, int] = {}
        inside: dict[str, int] = {}
        unreported: tuple[list[str], list[str]] = ([], [])  # old keys, new keys
        quiet = 0
        for change in result.changes:
            kind = textual_mod_type(change)
            if kind is None:
                if change.kind is ChangeKind.UNREPORTED:
                    unreported[0].extend(r.key for r in change.old)
                    unreported[1].extend(r.key for r in change.new)
                else:
                    quiet += 1
            else:
                counts[kind] = counts.get(kind, 0) + 1
                self.mod(passive, change, kind, f"pmod_{len(passive) + 1}")
            for nested in change.nested:
                nested_kind = textual_mod_type(nested)
                if nested_kind is not None:
                    inside[nested_kind] = inside.get(nested_kind, 0) + 1
                    self.nested_mod(
                        passive, change, nested, nested_kind, f"pmod_{len(passive) + 1}"
                    )
        if len(passive):
            analysis = etree.Element(akn_tag("analysis"))
            analysis.set("source", f"#{RECORDER}")
            analysis.append(passive)
            doc.analysis = analysis
        self.notes(counts, quiet, unreported, inside)

    def mod(self, parent: etree._Element, change: Change, kind: str, eid: str) -> None:
        doc = self.document
        new_eids = [self.eid(doc.version, doc.eids, r) for r in change.new]
        old_eids = [self.eid(self.old, self.old_eids, r) for r in change.old]
        el = sub(parent, "textualMod", eId=eid, type=kind)
        el.set(ext_tag("change"), change.kind.value)
        el.set(ext_tag("basis"), change.basis.value)
        if change.similarity is not None:
            el.set(ext_tag("similarity"), xsd_double(round(change.similarity, 4)))
        if change.moved:
            el.set(ext_tag("moved"), "true")
        if change.renumbered:
            el.set(ext_tag("renumbered"), "true")
        if change.note:
            el.set(ext_tag("note"), xml_safe(change.note)[0])
        if change.decided_by:
            el.set(ext_tag("decidedBy"), xml_safe(change.decided_by)[0])
        if change.decide_at:
            el.set(ext_tag("decideAt"), xml_safe(change.decide_at)[0])
        olds: Sequence[str | None] = old_eids or [None]  # None: the old version as a whole
        news: Sequence[str | None] = new_eids or [None]
        for old_eid in olds:
            href = self.old_iris.point(old_eid) if old_eid else self.old_iris.expression_main
            sub(el, "source", href=href)
        for new_eid in news:
            sub(el, "destination", href=f"#{new_eid}" if new_eid else doc.iris.expression_main)
        if kind == "renumbering":
            self.numbers(el, change)
        else:
            # The schema's old/@href names the element the old text is replaced by, and
            # new/@href the element it replaces: given only where there is exactly one.
            for ref in change.old:
                old_el = sub(el, "old", href=f"#{new_eids[0]}" if len(new_eids) == 1 else None)
                self.text(old_el, ref)
            for ref in change.new:
                target = self.old_iris.point(old_eids[0]) if len(old_eids) == 1 else None
                self.text(sub(el, "new", href=target), ref)
        for e in change.evidence:
            side = {"role": e.role} if e.point is None else {"role": e.role, "key": e.point}
            if e.dissents:
                side["stance"] = e.stance.value
            doc.anchor(f"#{eid}", e.source, e.quote, e.start, e.end, **side)

    def points_by_path(self) -> tuple[dict[str, str], dict[str, str]]:
        """Path → eId of each version's points, as the result names them (built once)."""
        if self._paths is None:
            old: dict[str, str] = {}
            new: dict[str, str] = {}
            doc = self.document
            for change in self.result.changes:
                for refs, version, eids, into in (
                    (change.old, self.old, self.old_eids, old),
                    (change.new, doc.version, doc.eids, new),
                ):
                    for r in refs:
                        if r.path is not None:
                            into.setdefault(r.path, self.eid(version, eids, r))
            self._paths = (old, new)
        return self._paths

    def items_by_path(self) -> tuple[dict[str, str], dict[str, str]]:
        """Path → eId of each version's points and of the items inside them, as the bodies of
        their documents write them (see :mod:`plandiff.akn.items`); built once."""
        if self._items is None:
            doc = self.document
            sides: tuple[dict[str, tuple[str, str]], dict[str, tuple[str, str]]] = ({}, {})
            for change in self.result.changes:
                for refs, version, eids, into in (
                    (change.old, self.old, self.old_eids, sides[0]),
                    (change.new, doc.version, doc.eids, sides[1]),
                ):
                    for r in refs:
                        text = version.points[r.index - 1].text if r.index >= 1 else None
                        path = r.path or r.key
                        if text and path not in into:
                            into[path] = (text, self.eid(version, eids, r))
            self._items = (item_eids(sides[0]), item_eids(sides[1]))
        return self._items

    def nested_mod(
        self, parent: etree._Element, change: Change, n: NestedChange, kind: str, eid: str
    ) -> None:
        """A change inside the points: its items named by eIds built from their paths (see
        :func:`~plandiff.akn.naming.item_eid`). An item added has the old points it was added
        to as its source, an item removed the new points it was removed from as its
        destination; ``<old>``/``<new>`` give the paths and, where the item's wording changed,
        its text."""
        doc = self.document
        old_points, new_points = self.points_by_path()
        old_items, new_items = self.items_by_path()
        # An item of the documents is named by the eId its element has; a path neither body
        # writes (a change made by hand) by the naming convention alone.
        old_eids = [old_items.get(p) or item_eid(p, old_points, n.level) for p in n.old]
        new_eids = [new_items.get(p) or item_eid(p, new_points, n.level) for p in n.new]
        el = sub(parent, "textualMod", eId=eid, type=kind)
        el.set(ext_tag("change"), n.kind.value)
        el.set(ext_tag("level"), str(n.level))
        if n.similarity is not None:
            el.set(ext_tag("similarity"), xsd_double(round(n.similarity, 4)))
        if n.moved:
            el.set(ext_tag("moved"), "true")
        if n.renumbered:
            el.set(ext_tag("renumbered"), "true")
        sources = [self.old_iris.point(e) for e in old_eids] or [
            self.old_iris.point(self.eid(self.old, self.old_eids, r)) for r in change.old
        ]
        for href in sources or [self.old_iris.expression_main]:
            sub(el, "source", href=href)
        destinations = [f"#{e}" for e in new_eids] or [
            f"#{self.eid(doc.version, doc.eids, r)}" for r in change.new
        ]
        for href in destinations or [doc.iris.expression_main]:
            sub(el, "destination", href=href)
        # As for points: old/@href names the element the old text is replaced by, new/@href
        # the one it replaces, given only where there is exactly one of each.
        one = len(old_eids) == 1 and len(new_eids) == 1
        changed = n.redline is not None and n.redline.changed
        if n.old:
            old_el = sub(el, "old", href=f"#{new_eids[0]}" if one else None)
            old_text = n.redline.old_text if changed and n.redline is not None else None
            self.paths(old_el, n.old, old_text)
        if n.new:
            target = self.old_iris.point(old_eids[0]) if one else None
            new_text = n.redline.new_text if changed and n.redline is not None else None
            self.paths(sub(el, "new", href=target), n.new, new_text)

    @staticmethod
    def paths(parent: etree._Element, paths: Sequence[str], text: str | None) -> None:
        """``plandiff:path`` per item of one side, then its text when its wording changed."""
        for path in paths:
            el = etree.SubElement(parent, ext_tag("path"))
            el.text, edited = xml_safe(path)
            if edited:
                el.set("edited", "true")
        if text is not None:
            el = etree.SubElement(parent, ext_tag("text"))
            el.set("verbatim", "true")
            el.text, edited = xml_safe(text)
            if edited:
                el.set("edited", "true")

    @staticmethod
    def text(parent: etree._Element, ref: PointRef) -> None:
        el = etree.SubElement(parent, ext_tag("text"))
        el.set("verbatim", "true" if ref.verbatim else "false")
        el.text, edited = xml_safe(ref.text)
        if edited:
            el.set("edited", "true")

    @staticmethod
    def numbers(parent: etree._Element, change: Change) -> None:
        olds = [r.number for r in change.old]
        news = [r.number for r in change.new]
        if None in olds or None in news or olds == news:
            return
        for tag, numbers in (("old", olds), ("new", news)):
            side = sub(parent, tag)
            for n in numbers:
                etree.SubElement(side, ext_tag("num")).text = str(n)

    def notes(
        self,
        counts: dict[str, int],
        quiet: int,
        unreported: tuple[list[str], list[str]],
        inside: dict[str, int],
    ) -> None:
        doc, result = self.document, self.result
        made = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items()))
        text = f"Compared with version {show(result.old.id)}: " + (
            f"textual modifications: {made}." if made else "no textual modification."
        )
        if inside:
            made = ", ".join(f"{n} {kind}" for kind, n in sorted(inside.items()))
            text += f" Inside the points (sub-items and paragraphs): {made}."
        if quiet:
            text += f" {quiet} point(s) unchanged and in place give none."
        doc.note("note_diff", "diff", text)
        sides = ((result.old, result.new), (result.new, result.old))
        for n, (keys, (own, other)) in enumerate(zip(unreported, sides, strict=True), 1):
            if keys:
                why = (
                    "which is only partly known"
                    if other.completeness is Completeness.PARTIAL
                    else "and are only described, so they may be there in other words"
                )
                doc.note(
                    f"note_unreported_{n}",
                    "unreported",
                    f"{len(keys)} point(s) of version {show(own.id)} ({', '.join(keys)}) have no "
                    f"reported counterpart in version {show(other.id)}, {why}: "
                    "no modification is recorded for them, as nothing can be concluded either "
                    "way.",
                )
        gaps = [
            f"{n} declared point(s) of version {show(vid)}"
            for n, vid in (
                (result.declared.old_unaccounted, result.old.id),
                (result.declared.new_unaccounted, result.new.id),
            )
            if n
        ]
        if gaps:
            doc.note(
                "note_unrecorded",
                "unrecorded",
                f"{' and '.join(gaps)} are not recorded: no modification is claimed for them.",
            )
        for i, warning in enumerate(result.warnings, 1):
            doc.note(f"note_warning_{i}", "warning", warning)
