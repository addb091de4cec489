"""Output formats as a table: a name → renderer mapping that the ``--format`` choices come from.

A command builds one :class:`Formats` for what it shows (a version, the lineage, a diff); its
``--format`` option is made from the table, so a format is added in one place and the choices,
the default and the dispatch can never disagree. A renderer takes the command's
:class:`~plandiff.cli.Env` and the subject and returns a :data:`Report`; it imports what it
needs when called, so a command pays only for the format it writes. The CLI writes what a
renderer returns (:func:`plandiff.cli.output.emit`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import click

if TYPE_CHECKING:
    from plandiff.cli import Env

S = TypeVar("S")

#: What a renderer returns: text (paged when long, on a terminal), a document's bytes (written
#: as they are), or text in parts (written as they come, never held whole: a large JSON diff).
Report = str | bytes | Iterable[str] | Iterable[bytes | memoryview]

#: A report of a subject: from the command's environment and the subject to its output.
Renderer = Callable[["Env", S], Report]


@dataclass(frozen=True)
class Formats(Generic[S]):
    """The formats of one kind of report, by name, the first being the default."""

    renderers: Mapping[str, Renderer[S]]
    help: str = "Output format."

    @property
    def names(self) -> list[str]:
        return list(self.renderers)

    @property
    def default(self) -> str:
        return next(iter(self.renderers))

    def option(self, *, default: str | None = None) -> Callable[[Any], Any]:
        """The ``--format`` option offering these names (stored as ``fmt``)."""
        return click.option(
            "--format",
            "fmt",
            type=click.Choice(self.names),
            default=default or self.default,
            show_default=True,
            help=self.help,
        )

    def render(self, fmt: str, env: Env, subject: S) -> Report:
        """The report of ``subject`` in format ``fmt`` (one of :attr:`names`)."""
        return self.renderers[fmt](env, subject)


def json_text(data: Any) -> str:
    """Data as the JSON report's text: the one JSON writer, then a final newline."""
    from plandiff.render.json import dumps

    return dumps(data) + "\n"


__all__ = ["Formats", "Renderer", "Report", "json_text"]
