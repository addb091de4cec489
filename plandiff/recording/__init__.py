"""Recording what the news says: sources, versions, points, relations and events.

Each operation is a pure function from a :class:`~plandiff.models.Registry` to an :class:`Edit`:
the new registry, the text files to write with it, and what was done. Only :func:`transact`
touches the disk (see :mod:`plandiff.recording.transaction`). The modules, one job each:

- ``transaction``: :class:`Edit` and :func:`transact`, the edit applied to a registry on disk;
- ``records``: validated models, identifiers and keys, lookups that refuse with candidates;
- ``quotes``: quotes anchored when recorded, refused with candidates when absent or ambiguous;
- ``sources``, ``outcomes``, ``recapture``: captures recorded as sources, and their quotes
  re-anchored when a source is recaptured;
- ``versions``, ``points``, ``relations``: versions and their events, points, curated relations.
- ``edits``: a version's facts corrected; versions, sources, events, statements and the
  version's own quotes removed, refused while something depends on them.
"""

from plandiff.errors import DetailedError, QuoteChoiceError, RecaptureError
from plandiff.recording.outcomes import AnchorReport, SourceResult, SourceStatus
from plandiff.recording.points import KEEP, add_point, edit_point, remove_point
from plandiff.recording.quotes import QuoteRef, anchor_quote, pair_quotes
from plandiff.recording.records import check_ident, default_source_id, slug, unique_key
from plandiff.recording.relations import (
    RelationArgs,
    describe_relation,
    parse_relation_args,
    relate,
    unrelate,
)
from plandiff.recording.sources import SourceMeta, add_source, add_sources
from plandiff.recording.transaction import Edit, file_reader, transact, writable_root
from plandiff.recording.versions import add_event, add_version, how_cut

__all__ = [
    "KEEP",
    "AnchorReport",
    "DetailedError",
    "Edit",
    "QuoteChoiceError",
    "QuoteRef",
    "RecaptureError",
    "RelationArgs",
    "SourceMeta",
    "SourceResult",
    "SourceStatus",
    "add_event",
    "add_point",
    "add_source",
    "add_sources",
    "add_version",
    "anchor_quote",
    "check_ident",
    "default_source_id",
    "describe_relation",
    "edit_point",
    "file_reader",
    "how_cut",
    "pair_quotes",
    "parse_relation_args",
    "relate",
    "remove_point",
    "slug",
    "transact",
    "unique_key",
    "unrelate",
    "writable_root",
]
