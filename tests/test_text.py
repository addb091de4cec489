"""plandiff.text: the one definition of what untrusted text may not carry where."""

from __future__ import annotations

import re
import unicodedata

from hypothesis import given
from hypothesis import strategies as st

from plandiff import text
from plandiff.models import IDENT_PATTERN

ALL_BMP = [chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000]


def members(pattern: re.Pattern[str]) -> set[str]:
    return {ch for ch in ALL_BMP if pattern.fullmatch(ch)}


def test_control_is_unicode_cc_but_tab_and_newline() -> None:
    cc = {ch for ch in ALL_BMP if unicodedata.category(ch) == "Cc"}
    assert members(text.CONTROL_CHARS) == cc - {"\t", "\n"}


def test_terminal_unsafe_is_what_json_and_xml_carry_raw() -> None:
    # C0 is escaped by JSON and not allowed raw by XML, so it is not in this set on purpose.
    expected = {chr(c) for c in range(0x7F, 0xA0)} | set(
        "\u061c\u200e\u200f\u2028\u2029\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    )
    assert members(text.TERMINAL_UNSAFE) == expected


def test_shown_escaped_covers_the_other_sets_and_hidden_characters() -> None:
    shown = members(text.SHOWN_ESCAPED)
    assert members(text.TERMINAL_UNSAFE) <= shown
    assert members(text.CONTROL_CHARS) <= shown
    assert {"\u200b", "\u200c", "\u200d", "\ufeff"} <= shown
    assert not {"\t", "\n", " ", "a", "\u05d0", "\u00a0"} & shown


@given(st.text())
def test_visible_leaves_nothing_hidden_and_keeps_the_rest(value: str) -> None:
    out = text.visible(value)
    assert not text.SHOWN_ESCAPED.search(out)
    if not text.SHOWN_ESCAPED.search(value):
        assert out == value


def test_visible_escapes_by_code_point() -> None:
    assert text.visible("a\x1b[2J\u202eb\ufeff") == "a\\x1b[2J\\u202eb\\ufeff"
    assert text.visible(None) == ""


@given(st.text())
def test_printable_and_one_line_never_carry_a_control_character(value: str) -> None:
    assert text.printable(value).isprintable()
    line = text.one_line(value, limit=40)
    assert line.isprintable() and len(line) <= 40


def test_one_line_cuts_and_shows_line_breaks() -> None:
    assert text.one_line("  bad\r\nvalue\x1b  ") == "bad\\r\\nvalue\\x1b"
    assert text.one_line("x" * 10, limit=5) == "xxxx…"


def test_show_quotes_and_elides() -> None:
    assert text.show("plan") == "'plan'"
    assert text.show("it's\x1b") == '"it\'s\\x1b"'
    assert text.show("a" * 50 + "b" * 50, limit=11) == "'aaaaa…bbbbb'"


def test_clean_line_drops_controls_and_keeps_bidi_marks() -> None:
    assert text.clean_line(" Title\x00 with\n\ttabs \u200f") == "Title with tabs \u200f"


@given(st.text())
def test_ident_from_gives_identifier_characters_only(name: str) -> None:
    ident = text.ident_from(name)
    assert re.fullmatch(r"[A-Za-z0-9._-]*", ident)
    assert not ident.startswith(("-", ".", "_")) and not ident.endswith(("-", ".", "_"))
    if ident:
        assert re.fullmatch(IDENT_PATTERN, ident[:128].rstrip("-._"))


def test_ident_from_joins_runs() -> None:
    assert text.ident_from("--old plan (v2).txt") == "old-plan-v2-.txt"
    assert text.ident_from("…") == ""


def test_no_module_keeps_its_own_control_character_set() -> None:
    """The sets live in plandiff.text only; a copy elsewhere drifts (three did, before)."""
    from tests.helpers import REPO

    copies = [
        path.relative_to(REPO).as_posix()
        for path in (REPO / "plandiff").rglob("*.py")
        if path.name != "text.py"
        and re.search(r"\\x7f-\\x9f|\\x0b-\\x1f|\\u202a-\\u202e", path.read_text(encoding="utf-8"))
    ]
    assert copies == []
