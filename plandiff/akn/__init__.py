"""Akoma Ntoso 3.0 export: one plan version, or a diff, as an OASIS LegalDocML document.

Akoma Ntoso (AKN) is the OASIS standard XML vocabulary for legal and parliamentary documents.
The documents written here are valid against the official schema (``akomantoso30.xsd``, OASIS
Standard of 29 August 2018); plandiff does not ship that schema, so the tests validate against a
copy kept outside the project. How plandiff's facts map onto AKN, and why:

* **Document type: ``<doc name="plan">``.** ``bill`` and ``act`` model the documents of a
  legislature (a ``bill``'s lifecycle is its readings, its ``body`` holds provisions to be
  enacted); a plan negotiated between states is neither. ``doc`` is AKN's type for "any other
  document", and its ``name`` says which kind.
* **FRBR identity.** Each plan version is its own work, named after the AKN naming convention:
  work ``/akn/zz/doc/plan/<date>/<version-id>``, expression ``<work>/<lang>@<date>``,
  manifestation ``<expression>.akn``; the ``FRBRthis`` of each level is its ``/!main``
  component, and a point of another version is cited as ``<expression>/!main#point_N``.
  ``zz``: FRBRcountry holds an ISO 3166-1 code of a jurisdiction, and a plan between states has
  none; ``zz`` is the code ISO leaves for "unknown or unspecified" (``un`` would claim the
  United Nations). ``<date>`` is the version's date: a version without one cannot be named and
  is refused rather than given an invented date. ``<lang>`` is the ISO 639-2 code of the text
  source's language, else of the one language all cited sources share, else ``und``
  (undetermined). The authors of work and expression are the version's issuers; the author of
  the manifestation is plandiff, dated by ``created``.
* **Points: ``<point eId="point_N">``** with ``<num>`` and ``<content><p>`` (or its items, see
  below). ``N`` is the number as written when every point has a distinct one, else the point's
  1-based position. Verbatim
  text is written as recorded. A described point (reporting says what it contains; its wording
  is unknown) has ``class="described"`` and ``<content status="editorial">``: AKN's status for
  content "inserted as an editorial process", which is what a recorder's summary is. Topics are
  ``TLCConcept`` references in the point's ``refersTo``.
* **Lifecycle.** One ``<eventRef>`` per recorded event, in date order, each ``refersTo`` a
  ``TLCEvent`` whose ``showAs`` is what happened, and whose ``source`` is the first article
  reporting it (``#plandiff``, the recorder, when none is cited).
* **References.** ``TLCOrganization`` for each issuer (the registry does not record whether an
  issuer is a person; issuers of plans are states and governments) and for each outlet,
  ``TLCPerson`` for each byline, and a ``TLCReference name="source"`` for each cited source
  article, with its title as ``showAs`` and its URL as ``href``.
* **Notes** (``<meta><notes>``) carry what reporting says of the version as a whole, the
  recorder's remarks, how many of the declared points are recorded, and a verbatim point's
  summary (``placementBase`` names the point).
* **Evidence** (the exact quotes at offsets behind every fact) has no AKN element: it goes in
  ``<proprietary>`` as ``plandiff:anchor`` elements of :data:`EXTENSION_NAMESPACE`, each saying
  which element it supports (``about``), its source and its code-point offsets.
* **Diffs** are the new version's document with ``<analysis><passiveModifications>``: one
  ``<textualMod>`` per change (:func:`textual_mod_type`). ``source`` is the old side (the old
  points, or the old version as a whole when a point is new), ``destination`` the new side (this
  document's points, or this version as a whole when a point is gone). ``<old>``/``<new>`` hold
  the old and new text "in some non-managed form", as the schema puts it: a ``plandiff:text``
  element saying whether the text is verbatim. Unchanged points in place, and points whose
  counterpart is ``unreported`` (the other version is only partly known), give no
  modification; a note says how many, so the document never claims more than the evidence.
* **Changes inside points** (sub-items and paragraphs, named by paths such as ``7.1(b)``) are
  passive modifications too, typed as a point's would be (a renumbered or moved item
  ``renumbering``, a merge ``join``, a split ``split``, a rewording ``substitution``, an
  addition ``insertion``, a removal ``repeal``; AKN has no type for a move, so
  ``plandiff:moved`` says it), with ``plandiff:level``. Their items are named by eIds in the
  naming convention's form, the point's eId and one part per level (``point_7__point_1__point_b``;
  a bullet ``indent_N``, a paragraph ``al_N``), and ``<old>``/``<new>`` hold their paths
  (``plandiff:path``) and, when their wording changed, their text. Each eId is that of an
  element of the document it points into (:mod:`.items`).
* **Items inside a point** are hierarchy elements of the body, as AKN nests provisions: a
  labelled sub-item (``7.1``, ``(b)``, ``ii)``) a ``point``, an unlabelled bullet an ``indent``,
  a paragraph an ``alinea``, each with its label as written in ``<num>``; the text before a
  point's (or item's) first item is its ``<intro>``, an item without items of its own has its
  text in ``<content>``. Every character of a point's text is in exactly one ``<num>`` or
  ``<p>`` below the point's own ``<num>``, in order: those texts joined are the point's text,
  line breaks and indentation included (the whitespace the writer indents elements with is
  not text, as XML Schema has it for element-only content). A point without items is one
  ``<content><p>``, as is a described point's summary.

Text that XML cannot hold (NUL, ESC, lone surrogates …) becomes U+FFFD, and an element whose
text was so changed is marked ``status="edited"``; characters a terminal may act on are written
as character references, as in the XML archive.

The package is split by job: :mod:`.naming` (FRBR identifiers, languages, eIds, modification
types), :mod:`.elements` (building blocks), :mod:`.items` (the items inside a point),
:mod:`.document` (a version's document) and
:mod:`.analysis` (a diff's passive modifications).
"""

from __future__ import annotations

import datetime as dt

from plandiff.akn.analysis import Analysis
from plandiff.akn.document import Document
from plandiff.akn.naming import (
    EXTENSION_NAMESPACE,
    JURISDICTION,
    NAMESPACE,
    Iris,
    iris,
    language,
    point_eids,
    textual_mod_type,
)
from plandiff.errors import NotFoundError
from plandiff.models import PlanVersion, Registry
from plandiff.result import DiffResult


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def version_to_akn(
    version: PlanVersion, registry: Registry, *, created: dt.datetime | None = None
) -> bytes:
    """One plan version as an Akoma Ntoso 3.0 document (UTF-8 bytes).

    ``registry`` supplies the cited sources and the version's lineage. ``created`` (default:
    now) dates the manifestation; give it to make the output reproducible. Raises
    :class:`~plandiff.errors.PlandiffError` for a version without a date.
    """
    return Document(version, registry, created or now()).assemble()


def diff_to_akn(
    result: DiffResult, registry: Registry, *, created: dt.datetime | None = None
) -> bytes:
    """A diff as the new version's AKN document, its changes as passive modifications.

    Both versions must be in ``registry`` as the diff saw them (points at the positions the
    result names). See :func:`textual_mod_type` for which changes become modifications.
    """
    old = _registry_version(registry, result.old.id)
    new = _registry_version(registry, result.new.id)
    document = Document(new, registry, created or now())
    Analysis(document, result, old).build()
    return document.assemble()


def _registry_version(registry: Registry, version_id: str) -> PlanVersion:
    version = registry.version(version_id)
    if version is None:
        raise NotFoundError("version", version_id, [v.id for v in registry.versions])
    return version


__all__ = [
    "EXTENSION_NAMESPACE",
    "JURISDICTION",
    "NAMESPACE",
    "Iris",
    "diff_to_akn",
    "iris",
    "language",
    "point_eids",
    "textual_mod_type",
    "version_to_akn",
]
