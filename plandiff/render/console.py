"""The one rich console setup every report is printed with.

Reports are data first: no markup, highlighting or emoji codes are read from the text, and
colour is either the 16 standard colours or none at all, so that a report is the same on every
terminal and in every test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import IO

from rich.console import Console

__all__ = ["report_console"]


def report_console(
    file: IO[str], width: int, color: bool, environ: Mapping[str, str] | None = None
) -> Console:
    """A console that prints to ``file`` at ``width`` columns, in colour or not.

    ``environ`` replaces the process environment for rich's own look-ups (``{}`` makes the
    output independent of the caller's terminal settings, as exports and tests need).
    """
    return Console(
        file=file,
        width=width,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        markup=False,
        emoji=False,
        legacy_windows=False,
        soft_wrap=False,
        _environ=None if environ is None else dict(environ),
    )
