"""One version's AKN document: identification, references, lifecycle, notes, points and the
evidence in ``<proprietary>``, assembled in the schema's order once every part is known.
"""

from __future__ import annotations

import datetime as dt
import urllib.parse
from collections.abc import Iterable

from lxml import etree

from plandiff.akn.elements import akn_tag, ext_tag, iso_date, set_text, slug, sub, uri_of, xml_safe
from plandiff.akn.items import ItemElement, point_body
from plandiff.akn.naming import (
    DOC_NAME,
    JURISDICTION,
    MEDIA_TYPE,
    NSMAP,
    RECORDER,
    iris,
    point_eids,
    point_parent_path,
)
from plandiff.errors import show
from plandiff.models import Anchor, PlanVersion, Point, Registry
from plandiff.records import Completeness
from plandiff.xmlcommon import safe_parser, to_bytes, xsd_datetime


class Document:
    """One version's AKN document, assembled in the schema's order once every part is known."""

    def __init__(self, version: PlanVersion, registry: Registry, created: dt.datetime) -> None:
        self.version = version
        self.registry = registry
        self.created = created
        self.iris = iris(version, registry)
        self.eids = point_eids(version)
        self.references: list[etree._Element] = []
        self.notes: list[etree._Element] = []
        self.anchors: list[etree._Element] = []
        self.analysis: etree._Element | None = None
        self._sources: dict[str, str] = {}  # source id → eId
        self._people: dict[str, str] = {}  # byline → eId
        self._organizations: dict[str, str] = {}  # outlet or issuer name → eId
        self._topics: dict[str, str] = {}  # topic → eId
        self._ids: set[str] = {RECORDER, *self.eids}
        self.reference("TLCOrganization", RECORDER, "/ontology/organization/plandiff", "plandiff")

    # references ------------------------------------------------------------------------

    def reference(self, tag: str, eid: str, href: str, show_as: str, **attrs: str) -> str:
        el = etree.Element(akn_tag(tag))
        el.set("eId", eid)
        el.set("href", href)
        el.set("showAs", xml_safe(show_as)[0])
        for name, value in attrs.items():
            el.set(name, xml_safe(value)[0])
        self.references.append(el)
        return eid

    def _unique(self, stem: str) -> str:
        """A fresh eId ``stem_N`` (stems never clash with point eIds)."""
        n = 1
        while f"{stem}_{n}" in self._ids:
            n += 1
        self._ids.add(f"{stem}_{n}")
        return f"{stem}_{n}"

    def organization(self, name: str, stem: str) -> str:
        if name not in self._organizations:
            eid = self._unique(stem)
            self.reference("TLCOrganization", eid, f"/ontology/organization/{slug(name)}", name)
            self._organizations[name] = eid
        return self._organizations[name]

    def person(self, name: str) -> str:
        if name not in self._people:
            eid = self._unique("author")
            self.reference("TLCPerson", eid, f"/ontology/person/{slug(name)}", name)
            self._people[name] = eid
        return self._people[name]

    def topic(self, name: str) -> str:
        if name not in self._topics:
            eid = self._unique("topic")
            self.reference(
                "TLCConcept", eid, f"/ontology/concept/plandiff/topic/{slug(name)}", name
            )
            self._topics[name] = eid
        return self._topics[name]

    def cite(self, source_id: str) -> str:
        """``#eId`` of the TLCReference for a source article (added on first citation)."""
        if source_id not in self._sources:
            eid = f"src_{source_id}"
            source = self.registry.source(source_id)
            attrs = {ext_tag("id"): source_id}
            href = f"/ontology/reference/plandiff/source/{slug(source_id)}"
            show_as = source_id
            if source is not None:
                if source.url:
                    usable = uri_of(source.url)
                    if usable is None:
                        attrs[ext_tag("url")] = source.url
                    href = usable or href
                show_as = source.title or source_id
                if source.published is not None:
                    attrs[ext_tag("published")] = iso_date(source.published)
                if source.outlet:
                    attrs[ext_tag("outlet")] = "#" + self.organization(source.outlet, "outlet")
                if source.author:
                    attrs[ext_tag("author")] = "#" + self.person(source.author)
            self.reference("TLCReference", eid, href, show_as, name="source", **attrs)
            self._sources[source_id] = eid
        return "#" + self._sources[source_id]

    # notes and evidence ----------------------------------------------------------------

    def note(self, eid: str, kind: str, text: str, placement_base: str | None = None) -> None:
        el = etree.Element(akn_tag("note"))
        el.set("eId", eid)
        el.set("class", kind)
        if placement_base is not None:
            el.set("placementBase", placement_base)
        set_text(sub(el, "p"), text)
        self.notes.append(el)

    def anchor(
        self,
        about: str | None,
        source: str,
        quote: str,
        start: int | None,
        end: int | None,
        **attrs: str,
    ) -> None:
        el = etree.Element(ext_tag("anchor"))
        if about is not None:
            el.set("about", about)
        el.set("source", self.cite(source))
        if start is not None and end is not None:
            el.set("start", str(start))
            el.set("end", str(end))
        for name, value in attrs.items():
            el.set(name, xml_safe(value)[0])
        el.text, edited = xml_safe(quote)
        if edited:
            el.set("edited", "true")
        self.anchors.append(el)

    def anchors_of(self, about: str | None, anchors: Iterable[Anchor]) -> None:
        for a in anchors:
            # a quote that does not support what it is attached to says so
            stance = {} if a.stance.value == "support" else {"stance": a.stance.value}
            self.anchor(about, a.source, a.quote, a.start, a.end, **stance)

    # body ------------------------------------------------------------------------------

    def point(self, parent: etree._Element, point: Point, eid: str) -> None:
        el = sub(parent, "point", eId=eid)
        if not point.verbatim:
            el.set("class", "described")
        if point.topics:
            el.set("refersTo", " ".join("#" + self.topic(t) for t in point.topics))
        el.set(ext_tag("key"), point.key)
        if point.number is not None:
            sub(el, "num").text = str(point.number)
        body = point_body(point.text, point_parent_path(point), eid) if point.text else None
        if body is None:
            content = sub(el, "content")
            if not point.verbatim:
                content.set("status", "editorial")
            set_text(sub(content, "p"), point.content)
        else:
            if body.intro:
                set_text(sub(sub(el, "intro"), "p"), body.intro)
            self.items(el, body.items)
        if point.verbatim and point.summary:
            self.note(f"note_{eid}", "summary", point.summary, placement_base=f"#{eid}")
        self.anchors_of(f"#{eid}", point.evidence)

    def items(self, parent: etree._Element, items: Iterable[ItemElement]) -> None:
        """The items inside a point, each with its label and its own text (see
        :mod:`plandiff.akn.items`)."""
        for item in items:
            el = sub(parent, item.tag, eId=item.eid)
            if item.num is not None:
                set_text(sub(el, "num"), item.num)
            if item.children:
                if item.text:
                    set_text(sub(sub(el, "intro"), "p"), item.text)
                self.items(el, item.children)
            else:
                set_text(sub(sub(el, "content"), "p"), item.text)

    def body(self) -> tuple[etree._Element, etree._Element]:
        v = self.version
        preface = etree.Element(akn_tag("preface"))
        title = sub(preface, "p", **{"class": "title"})
        set_text(sub(title, "docTitle"), v.title)
        main = etree.Element(akn_tag("mainBody"))
        for point, eid in zip(v.points, self.eids, strict=True):
            self.point(main, point, eid)
        if not v.points:
            sub(main, "p", status="editorial").text = "No point of this version is recorded."
        return preface, main

    # metadata --------------------------------------------------------------------------

    def version_notes(self) -> None:
        v = self.version
        for i, s in enumerate(v.statements, 1):
            self.note(f"statement_{i}", "statement", s.text)
            self.anchors_of(f"#statement_{i}", s.evidence)
        known, declared = v.known_points, v.declared_points
        partial = v.completeness is Completeness.PARTIAL
        if partial or (declared is not None and declared != known):
            recorded = f"{known} {'is' if known == 1 else 'are'} recorded here."
            text = f"The version is said to have {declared} points; {recorded}"
            if declared is None:
                text = f"The number of points is not known; {recorded}"
            if partial:
                text += (
                    " Its text is only partly known: a described point gives what reporting"
                    " says it contains, not its wording."
                )
            self.note("note_completeness", "completeness", text)
        if v.note:
            self.note("note_recorder", "recorder", v.note)

    def lifecycle(self) -> etree._Element | None:
        events = sorted(self.version.events, key=lambda e: e.date)
        if not events:
            return None
        lifecycle = etree.Element(akn_tag("lifecycle"))
        lifecycle.set("source", f"#{RECORDER}")
        for i, e in enumerate(events, 1):
            event = self.reference(
                "TLCEvent",
                f"event_{i}",
                f"/ontology/event/plandiff/{urllib.parse.quote(self.version.id, safe='')}/{i}",
                e.what,
            )
            source = self.cite(e.evidence[0].source) if e.evidence else f"#{RECORDER}"
            sub(
                lifecycle,
                "eventRef",
                eId=f"eventRef_{i}",
                date=iso_date(e.date),
                source=source,
                refersTo=f"#{event}",
            )
            self.anchors_of(f"#eventRef_{i}", e.evidence)
        return lifecycle

    def identification(self) -> etree._Element:
        v, names = self.version, self.iris
        ident = etree.Element(akn_tag("identification"))
        ident.set("source", f"#{RECORDER}")
        issuers = [self.organization(name, "issuer") for name in v.issuer]
        if not issuers:
            issuers = [self.organization("issuer not recorded", "issuer")]
        day = iso_date(names.date)

        work = sub(ident, "FRBRWork")
        sub(work, "FRBRthis", value=f"{names.work}/!main")
        sub(work, "FRBRuri", value=names.work)
        sub(work, "FRBRdate", date=day, name="version")
        for eid in issuers:
            sub(work, "FRBRauthor", href=f"#{eid}")
        sub(work, "FRBRcountry", value=JURISDICTION)
        sub(work, "FRBRnumber", value=v.id)
        sub(work, "FRBRname", value=v.title)

        expression = sub(ident, "FRBRExpression")
        sub(expression, "FRBRthis", value=names.expression_main)
        sub(expression, "FRBRuri", value=names.expression)
        sub(expression, "FRBRdate", date=day, name="version")
        for eid in issuers:
            sub(expression, "FRBRauthor", href=f"#{eid}")
        sub(expression, "FRBRlanguage", language=names.language)

        manifestation = sub(ident, "FRBRManifestation")
        sub(manifestation, "FRBRthis", value=f"{names.expression_main}.akn")
        sub(manifestation, "FRBRuri", value=names.manifestation)
        sub(manifestation, "FRBRdate", date=xsd_datetime(self.created), name="generation")
        sub(manifestation, "FRBRauthor", href=f"#{RECORDER}")
        sub(manifestation, "FRBRformat", value=MEDIA_TYPE)
        return ident

    def lineage(self) -> None:
        """A reference to the version this one derives from, when it can be named."""
        parent_id = self.version.derived_from
        parent = self.registry.version(parent_id) if parent_id else None
        if parent is None or parent.date is None:
            if parent_id:
                self.note(
                    "note_derived_from",
                    "lineage",
                    f"Derived from version {show(parent_id)}, which has no Akoma Ntoso name "
                    "(it is not in the registry or has no date).",
                )
            return
        self.reference(
            "TLCReference",
            "derivedFrom",
            iris(parent, self.registry).expression_main,
            parent.title,
            name="derivedFrom",
            **{ext_tag("id"): parent.id},
        )

    def assemble(self) -> bytes:
        from plandiff import __version__

        ident = self.identification()
        preface, main = self.body()
        lifecycle = self.lifecycle()
        self.lineage()
        self.version_notes()
        self.anchors_of(None, self.version.evidence)

        root = etree.Element(akn_tag("akomaNtoso"), nsmap=NSMAP)
        doc = sub(root, "doc", name=DOC_NAME)
        meta = sub(doc, "meta")
        meta.append(ident)
        if lifecycle is not None:
            meta.append(lifecycle)
        if self.analysis is not None:
            meta.append(self.analysis)
        references = sub(meta, "references", source=f"#{RECORDER}")
        references.extend(self.references)
        if self.notes:
            notes = sub(meta, "notes", source=f"#{RECORDER}")
            notes.extend(self.notes)
        proprietary = sub(meta, "proprietary", source=f"#{RECORDER}")
        generator = etree.SubElement(proprietary, ext_tag("generator"))
        generator.set("name", "plandiff")
        generator.set("version", __version__)
        recorded = etree.SubElement(proprietary, ext_tag("version"))
        recorded.set("id", self.version.id)
        recorded.set("completeness", self.version.completeness.value)
        if self.version.declared_points is not None:
            recorded.set("declared-points", str(self.version.declared_points))
        proprietary.extend(self.anchors)
        doc.append(preface)
        doc.append(main)
        etree.indent(root, space="  ")
        for mixed in preface.iter(akn_tag("p")):  # mixed content: indenting would add to its text
            mixed.text = None
            for child in mixed:
                child.tail = None
        data = to_bytes(root)
        etree.fromstring(data, parser=safe_parser())  # what is returned parses back
        return data
