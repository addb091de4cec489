"""``plandiff export`` and ``plandiff import``: the whole registry as one XML archive, and back.

``plandiff export --format akn VERSION`` writes one version (``--diff-from OLD``: with its
changes since OLD) as an Akoma Ntoso document instead; see :mod:`plandiff.akn`.

Both are all-or-nothing: ``export`` validates the document against the archive schema before a
byte is written, and ``import`` reads, validates and cross-checks the whole archive, writes the
registry into a hidden sibling directory, loads it back, and only then renames it into place, so
a failure at any step leaves nothing behind (see :mod:`plandiff.restore`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, NoReturn

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env, printable
from plandiff.cli.formats import Formats

if TYPE_CHECKING:
    from plandiff.xmlarchive import ArchiveProblems


def _created(_ctx: click.Context, _param: click.Parameter, value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO 8601 date and time, e.g. 2025-11-26T12:00:00Z"
        ) from None
    if when.tzinfo is None:
        return when.replace(tzinfo=dt.UTC)
    try:
        when.astimezone(dt.UTC)  # what the export records; years 1 to 9999 only
    except OverflowError:
        raise click.BadParameter(
            f"{value!r} is out of range: in UTC it falls outside the years 1 to 9999"
        ) from None
    return when


def _report_problems(env: Env, exc: ArchiveProblems, name: str | None = None) -> NoReturn:
    """Every problem on its own line (like ``verify``), then exit status 2."""
    from plandiff.cli import report_errors

    if env.debug:
        raise exc
    report_errors(exc.lines(name))
    raise click.exceptions.Exit(ExitStatus.ERROR)


class ExportRequest(NamedTuple):
    """What ``export`` was asked for, beyond the format."""

    version_id: str | None
    diff_from: str | None
    created: dt.datetime | None


def _archive(env: Env, request: ExportRequest) -> bytes:
    """The whole registry as plandiff's archive."""
    from plandiff import xmlarchive

    if request.version_id is not None:
        raise click.UsageError(
            f"VERSION ({request.version_id!r}) applies to --format akn; the archive holds the "
            "whole registry"
        )
    if request.diff_from is not None:
        raise click.UsageError("--diff-from applies to --format akn")
    registry = env.load()
    try:
        return xmlarchive.export_directory(env.registry_root(), registry, created=request.created)
    except xmlarchive.ArchiveProblems as exc:
        _report_problems(env, exc)


def _akn(env: Env, request: ExportRequest) -> bytes:
    """One version (or its changes since another) as an Akoma Ntoso 3.0 document."""
    from plandiff import akn
    from plandiff.engine import diff
    from plandiff.errors import NotFoundError

    if request.version_id is None:
        raise click.UsageError("--format akn needs the VERSION to export")
    registry = env.load()
    known = [v.id for v in registry.versions]
    version = registry.version(request.version_id)
    if version is None:
        raise NotFoundError("version", request.version_id, known)
    if request.diff_from is None:
        return akn.version_to_akn(version, registry, created=request.created)
    old = registry.version(request.diff_from)
    if old is None:
        raise NotFoundError("version", request.diff_from, known)
    result = diff(old, version, registry=registry)
    return akn.diff_to_akn(result, registry, created=request.created)


#: ``export --format``: the whole registry as plandiff's archive (the default), or one version
#: (or a diff) as an Akoma Ntoso 3.0 document.
EXPORT_FORMATS: Formats[ExportRequest] = Formats(
    {"archive": _archive, "akn": _akn},
    "archive: the whole registry, valid against plandiff-archive.xsd; akn: one VERSION as "
    "an Akoma Ntoso 3.0 document.",
)


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("version_id", metavar="[VERSION]", required=False)
@EXPORT_FORMATS.option()
@click.option(
    "--diff-from",
    metavar="OLD",
    help="With --format akn: write VERSION's document with its changes since version OLD as "
    "passive modifications.",
)
@click.option(
    "-o",
    "--output",
    metavar="FILE",
    type=click.Path(path_type=Path),
    help="Write to FILE (atomically) instead of standard output.",
)
@click.option(
    "--created",
    metavar="ISO-DATETIME",
    callback=_created,
    help="Creation time to record (UTC when no offset is given), for a reproducible export. "
    "Default: now; or, for an archive of a registry restored by 'plandiff import' and "
    "unchanged since, the archive's own time, so that it is reproduced byte for byte.",
)
@pass_env
def export(
    env: Env,
    version_id: str | None,
    fmt: str,
    diff_from: str | None,
    output: Path | None,
    created: dt.datetime | None,
) -> None:
    """Write the whole registry as one XML archive, or one version as Akoma Ntoso.

    The archive (the default) holds every source with its exact text and original capture
    (the HTML page it was extracted from), every version with its points, events, statements,
    relations and evidence, and a digest of it all, valid against plandiff-archive.xsd. It is
    validated before anything is written; an invalid document, or one that would leave out a
    missing original capture, is never written.

    With --format akn, VERSION is written as an Akoma Ntoso 3.0 document (OASIS LegalDocML):
    FRBR identity, points with eIds, lifecycle events, the source articles as references and
    the evidence quotes; with --diff-from OLD, the changes since OLD as passive modifications.
    """
    from plandiff import journal

    data = EXPORT_FORMATS.render(fmt, env, ExportRequest(version_id, diff_from, created))
    assert isinstance(data, bytes)  # both formats are documents
    if output is None:
        from plandiff.cli.output import write_out

        write_out(data)
    else:
        journal.atomic_write(output, data)


@click.command("import", epilog=EXIT_STATUS_HELP)
@click.argument("file", metavar="FILE")
@click.option(
    "--into",
    "into",
    required=True,
    metavar="DIR",
    type=click.Path(path_type=Path),
    help="Directory to restore the registry into; created when absent, else it must be empty.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Import into a non-empty directory: its registry files are replaced by the archive's "
    "(version and source files not in the archive are removed); other files are kept.",
)
@pass_env
def import_(env: Env, file: str, into: Path, force: bool) -> None:
    """Restore a registry from an XML archive written by 'plandiff export'.

    The archive is checked completely first (well-formed, no DOCTYPE or entities, within the
    size limits, valid against the schema, digest, text and capture hashes, paths, every quote
    where its anchor says) and every problem is reported with its line. Nothing is written
    unless all checks pass, and a failed write leaves nothing behind. The texts and the
    original captures are written with the registry, in the same commit.

    An archive from before original captures were kept names their paths without their bytes:
    it imports with a warning per capture, and 'plandiff verify' reports each such file
    missing until it is copied in (from the registry that was exported).
    """
    from plandiff import restore, xmlarchive

    data = _read_archive_file(file)
    restore.check_target(into, force=force)  # before the archive is read, which takes a while
    try:
        archive = xmlarchive.read_archive(data)
    except xmlarchive.ArchiveProblems as exc:
        _report_problems(env, exc, file)
    restore.restore_archive(into, archive, force=force)
    registry = archive.registry
    click.echo(
        f"imported {len(registry.versions)} version(s) and {len(registry.sources)} source(s) "
        f"into {printable(str(into))}"
    )
    _report_warnings([w.located(file) for w in archive.warnings])


def _report_warnings(lines: list[str]) -> None:
    """Each line as ``plandiff: warning: …`` on stderr, after the import succeeded."""
    from plandiff.cli import report_errors

    report_errors([f"warning: {line}" for line in lines])


def _read_archive_file(file: str) -> bytes:
    """The archive's bytes, never more than the size limit (a missing path is an error)."""
    from plandiff.bounded import read_input
    from plandiff.xmlarchive import max_archive_bytes

    return read_input(file, max_archive_bytes(), "an archive file", "PLANDIFF_MAX_ARCHIVE_BYTES")


__all__ = ["export", "import_"]
