"""``plandiff diff OLD NEW``: two registry versions, or two plan text files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from plandiff.cli import EXIT_STATUS_HELP, Env, ExitStatus, pass_env

if TYPE_CHECKING:
    from plandiff.models import PlanVersion, Registry, Source
    from plandiff.result import DiffResult

FORMATS = ["text", "json"]
_PATH_LIKE_SUFFIXES = {".txt", ".md", ".markdown", ".text"}


def read_plan_file(arg: str) -> str:
    """Read a plan text given on the command line; a missing path is an error, never text."""
    from plandiff.errors import InputError, show
    from plandiff.store import decode_text, max_source_bytes

    path = Path(arg)
    if path.is_dir():
        raise InputError(f"{show(arg)} is a directory, not a plan text file")
    try:
        size = path.stat().st_size
        if size > max_source_bytes():
            raise InputError(f"{show(arg)}: {size} bytes, over the limit of {max_source_bytes()}")
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{show(arg)}: cannot read ({exc.strerror or exc})") from exc
    try:
        return decode_text(data)
    except ValueError as exc:
        raise InputError(f"{show(arg)}: {exc}") from exc


def _looks_like_path(arg: str) -> bool:
    return "/" in arg or "\\" in arg or Path(arg).suffix.lower() in _PATH_LIKE_SUFFIXES


def resolve_side(
    env: Env, arg: str
) -> tuple[PlanVersion, Registry | None, dict[str, Source], list[str]]:
    """A version from the registry, or one segmented from a file that exists."""
    from plandiff.engine import version_from_text
    from plandiff.errors import InputError, NotFoundError, show
    from plandiff.models import Source

    if Path(arg).exists():
        text = read_plan_file(arg)
        version, warnings = version_from_text(text, arg)
        source = Source.model_construct(id=version.id, title=arg, path=Path(arg).name)
        return version, None, {version.id: source}, warnings
    if _looks_like_path(arg):
        raise InputError(f"{show(arg)}: no such file")
    registry = env.load()
    version = registry.version(arg)
    if version is None:
        raise NotFoundError("version", arg, [v.id for v in registry.versions])
    return version, registry, {}, []


def compute(env: Env, old_arg: str, new_arg: str) -> DiffResult:
    from plandiff.engine import diff

    old, old_reg, old_src, old_warn = resolve_side(env, old_arg)
    new, new_reg, new_src, new_warn = resolve_side(env, new_arg)
    if old.id == new.id and old_reg is None and new_reg is None:
        new = new.model_copy(update={"id": new.id + "-new"})
        new_src = {new.id: next(iter(new_src.values())).model_copy(update={"id": new.id})}
        new = new.model_copy(
            update={
                "points": tuple(
                    p.model_copy(
                        update={"evidence": tuple(a.model_copy(update={"source": new.id}) for a in p.evidence)}
                    )
                    for p in new.points
                )
            }
        )
    registry = old_reg or new_reg
    return diff(
        old, new, registry=registry, sources={**old_src, **new_src}, warnings=old_warn + new_warn
    )


@click.command(epilog=EXIT_STATUS_HELP)
@click.argument("old", metavar="OLD")
@click.argument("new", metavar="NEW")
@click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="Output format.",
)
@click.option("--exit-code", is_flag=True, help="Exit with 1 when there are differences (like git).")
@pass_env
def diff(env: Env, old: str, new: str, fmt: str, exit_code: bool) -> None:
    """Show what changed from OLD to NEW, and who says so.

    OLD and NEW are version ids of the registry, or paths to two plan text files (plain text
    or Markdown), diffed directly like 'git diff --no-index'.
    """
    result = compute(env, old, new)
    if fmt == "json":
        from plandiff.render import json as json_render

        click.echo(json_render.render(result), nl=False)
    else:
        from plandiff.render import plain

        click.echo(plain.render(result), nl=False)
    if exit_code and result.has_differences:
        click.get_current_context().exit(ExitStatus.DIFFERENCES)
