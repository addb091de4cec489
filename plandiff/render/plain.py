"""The plain-text report: the terminal report as a console without colour prints it.

Deletions and insertions are marked ``[-…-]`` and ``{+…+}`` (as ``git diff --word-diff``), so
nothing is carried by colour, and the text holds no escape sequences: control characters from
plan or article text are shown as ``\\x1b`` and the like.
"""

from __future__ import annotations

from plandiff.render import terminal
from plandiff.result import DiffResult

__all__ = ["render"]


def render(
    result: DiffResult,
    *,
    width: int = 100,
    show_unchanged: bool = False,
    side_by_side: bool = False,
    context: int | None = None,
    show_unreported: bool = False,
) -> str:
    """The report as plain text, laid out for ``width`` columns."""
    report = terminal.render(
        result,
        show_unchanged=show_unchanged,
        side_by_side=side_by_side,
        context=context,
        show_unreported=show_unreported,
    )
    return terminal.export(report, width=width, color=False)
