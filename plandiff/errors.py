"""One exception class per kind of failure.

Every message is a single line that names the file, the field or the value at fault, because the
CLI prints it as is (``plandiff: <message>``) and a user must be able to act on it without a
traceback. Untrusted values (quotes, ids from files) are shown with
:func:`plandiff.text.show`, which makes
control characters visible so that an error message can never carry terminal escapes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

# Messages quote values with show(), defined with the other sanitising rules in plandiff.text;
# named here too because every module that raises one of these errors needs it.
from plandiff.text import show as show


class PlandiffError(Exception):
    """Base class: anything plandiff reports to a user as a one-line error (exit status 2)."""


def env_limit(name: str, default: int, unit: str) -> int:
    """A size limit that the environment variable ``name`` may override (at least 1).

    A value that is not a whole number is an error naming the variable, never ignored: a user
    who set a limit must not silently get the default.
    """
    import os

    raw = os.environ.get(name)
    if raw is None:
        return default
    try:
        return max(1, int(raw))
    except ValueError as exc:
        raise PlandiffError(f"{name}: {show(raw)} is not a whole number of {unit}") from exc


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with a registry, located by file and field."""

    file: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.field}" if self.field else self.file
        return f"{where}: {self.message}"


class RegistryError(PlandiffError):
    """A registry failed to load or a change to it failed its checks; lists every problem."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = tuple(problems)
        count = len(self.problems)
        head = str(self.problems[0]) if self.problems else "registry is invalid"
        more = f" (and {count - 1} more problem{'s' if count > 2 else ''})" if count > 1 else ""
        super().__init__(head + more)

    def lines(self) -> list[str]:
        return [str(p) for p in self.problems]


class NotFoundError(PlandiffError):
    """An id (version, point, source) that the registry does not have."""

    def __init__(self, what: str, value: str, known: Iterable[str] = ()) -> None:
        import difflib

        close = difflib.get_close_matches(value, list(known), n=3, cutoff=0.5)
        hint = f"; did you mean {', '.join(show(c) for c in close)}?" if close else ""
        super().__init__(f"unknown {what} {show(value)}{hint}")
        self.what = what
        self.value = value
        self.suggestions = tuple(close)


class QuoteError(PlandiffError):
    """A quote that cannot be anchored in its source: absent, or present more than once."""

    def __init__(self, message: str, candidates: Sequence[int] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


class SplitCharacterError(QuoteError):
    """A quote that would start or end inside a character: before a combining mark or inside an
    emoji sequence, so it would show a different character than its source does."""


class InputError(PlandiffError):
    """A file given on the command line that cannot be used (missing, a directory, not text)."""


class ArchiveError(PlandiffError):
    """An XML archive that is malformed, hostile, invalid against the schema or inconsistent."""


class LockError(PlandiffError):
    """Another plandiff process is writing to the same registry."""


class DetailedError(PlandiffError):
    """A refusal whose one-line message is followed by detail lines (candidates, a report)."""

    def __init__(self, message: str, details: Iterable[str] = ()) -> None:
        super().__init__(message)
        self.details = tuple(details)

    def lines(self) -> list[str]:
        return [str(self), *(f"  {d}" for d in self.details)]


class QuoteChoiceError(DetailedError, QuoteError):
    """A quote that is absent or ambiguous, with the places that could be meant."""

    def __init__(self, message: str, details: Iterable[str], candidates: Sequence[int]) -> None:
        DetailedError.__init__(self, message, details)
        self.candidates = tuple(candidates)


class RecaptureError(DetailedError):
    """A recapture that would lose evidence, refused without ``force``; details are the report."""
