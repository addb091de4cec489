"""Command-line values checked where they are parsed, so that a bad one is a usage error naming
the option (exit status 2), never an "internal error" deep in a save or an export."""

from __future__ import annotations

from typing import Any

import click

__all__ = ["TEXT", "Utf8Text"]


class Utf8Text(click.ParamType):  # type: ignore[type-arg]  # generic only in newer click
    """Text that will be stored or written out, so it must be valid Unicode.

    Python hands over command-line bytes that are not UTF-8 as lone surrogates
    ("surrogateescape"); such a value cannot be written to a UTF-8 file and would fail only
    when the registry is saved. It is refused here, with the bytes shown as ``\\xff``.
    """

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            from plandiff.errors import show

            shown = value.encode("utf-8", "surrogateescape" if _escaped(value) else "replace")
            bad = ord(value[exc.start])
            what = f"byte 0x{bad - 0xDC00:02X}" if 0xDC80 <= bad <= 0xDCFF else f"U+{bad:04X}"
            self.fail(
                f"{show(shown.decode('utf-8', 'backslashreplace'))} is not UTF-8 text "
                f"({what} at character {exc.start + 1})",
                param,
                ctx,
            )
        return value


def _escaped(value: str) -> bool:
    """Whether every surrogate in ``value`` stands for a byte (surrogateescape's range)."""
    return all(0xDC80 <= ord(ch) <= 0xDCFF for ch in value if 0xD800 <= ord(ch) <= 0xDFFF)


TEXT = Utf8Text()
