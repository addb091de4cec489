"""What is wrong with an archive: problems located by line, all reported together.

A hostile or damaged archive usually has many problems; a user fixing one at a time would run
the import once per problem, so every stage collects them and raises them as one error.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from plandiff.errors import ArchiveError


@dataclass(frozen=True, slots=True)
class ArchiveProblem:
    """One thing wrong with an archive, at a line of the document when there is one."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message

    def located(self, name: str) -> str:
        """The problem as ``name:line: message``, the way compilers report."""
        return f"{name}:{self.line}: {self.message}" if self.line else f"{name}: {self.message}"


#: How many of an archive's problems are listed one per line before the rest are counted.
MAX_LISTED = 50


class ArchiveProblems(ArchiveError):
    """An archive (or a registry being exported) with one or more problems, all listed."""

    def __init__(self, problems: Iterable[ArchiveProblem]) -> None:
        self.problems = tuple(sorted(problems, key=lambda p: p.line or 0))
        count = len(self.problems)
        head = str(self.problems[0]) if self.problems else "archive is invalid"
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(head + more)

    def lines(self, name: str | None = None) -> list[str]:
        """One line per problem, the first :data:`MAX_LISTED` of them: a hostile archive can
        have a problem per attribute, and a million lines help nobody."""
        shown = [p.located(name) if name else str(p) for p in self.problems[:MAX_LISTED]]
        hidden = len(self.problems) - len(shown)
        if hidden:
            where = f"{name}: " if name else ""
            shown.append(f"{where}… and {hidden} more problem{'s' if hidden > 1 else ''}")
        return shown


def fail(line: int | None, message: str) -> ArchiveProblems:
    return ArchiveProblems([ArchiveProblem(line, message)])
