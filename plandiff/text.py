"""Untrusted text made safe to show: what is unsafe where, defined once.

Articles, plan texts, file names and XML come from anyone, and a terminal acts on some of the
characters they may hold (ESC starts a control sequence, U+009B is CSI, a bidi override reorders
what follows). Each output has its own way to neutralise them, but they all start from these
sets:

* :data:`CONTROL` — Unicode's control characters (category Cc) except tab and line feed. No
  person writes them in prose; extracted metadata drops them (:func:`clean_line`).
* :data:`BIDI` — the marks, embeddings, overrides and isolates that reorder text on display
  (Trojan Source). Legitimate in right-to-left text, so they are kept in data and shown
  escaped, never dropped.
* :data:`INVISIBLE` — zero-width characters and the byte-order mark: harmless to a terminal
  but invisible, so a view that must show what is there escapes them.
* :data:`SEPARATORS` — U+2028/U+2029, line breaks to some terminals and editors.

From them, three patterns for three jobs:

* :data:`TERMINAL_UNSAFE` — what JSON and XML may carry raw but a terminal may act on; those
  formats escape C0 themselves, so this is DEL, C1, BIDI and SEPARATORS, written as an escape
  meaning the same (``\\uXXXX``, ``&#xXX;``) so the document's value is unchanged.
* :data:`SHOWN_ESCAPED` — what a terminal or Markdown view writes as a visible ``\\xNN`` /
  ``\\uNNNN`` escape (:func:`visible`): everything above, so a reader sees every hidden character.
* :data:`CONTROL_CHARS` — :data:`CONTROL` alone, for cleaning metadata where bidi marks are
  part of a right-to-left title.

Identifiers made from names (a file stem becoming a source or version id) follow one rule too:
:func:`ident_from`.
"""

from __future__ import annotations

import re

CONTROL = "\x00-\x08\x0b-\x1f\x7f-\x9f"
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
INVISIBLE = "\u200b-\u200d\ufeff"
SEPARATORS = "\u2028\u2029"

TERMINAL_UNSAFE = re.compile(f"[\x7f-\x9f{BIDI}{SEPARATORS}]")
SHOWN_ESCAPED = re.compile(f"[{CONTROL}{BIDI}{INVISIBLE}{SEPARATORS}]")
CONTROL_CHARS = re.compile(f"[{CONTROL}]")

#: Characters an identifier may not hold (``models.IDENT_PATTERN`` allows letters, digits,
#: ``.``, ``_`` and ``-``); a run of them becomes one ``-``.
_IDENT_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")

_MAX_SHOWN = 80


def show(value: object, limit: int = _MAX_SHOWN) -> str:
    """A quoted, single-line, escape-free rendering of an untrusted value for messages.

    Long values are cut in the middle: both ends of a file name or quote tell more than one.
    """
    text = str(value)
    if len(text) > limit:
        half = (limit - 1) // 2
        text = text[:half] + "…" + text[-half:]
    return repr(text) if not text.isprintable() or "'" in text else f"'{text}'"


def printable(text: str) -> str:
    """``text`` with every character Python does not print shown as its escape (``\\x1b``).

    For messages that already quote their untrusted values with :func:`show`: a stray control
    character (from an exception's text, say) still never reaches the terminal raw.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in text)


def one_line(message: str, limit: int = 300) -> str:
    """Someone else's message (a parser's, a library's) as one escape-free line of at most
    ``limit`` characters: the values in it come from the document."""
    text = printable(message.strip())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def visible(value: object) -> str:
    """Untrusted text with the characters of :data:`SHOWN_ESCAPED` made visible as escapes."""
    text = "" if value is None else str(value)
    return SHOWN_ESCAPED.sub(_escape, text)


def _escape(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def clean_line(value: object) -> str:
    """A metadata value (a title, a byline) on one line: control characters and whitespace
    runs become single spaces, the ends are trimmed."""
    return " ".join(CONTROL_CHARS.sub(" ", str(value)).split())


def ident_from(name: str) -> str:
    """``name`` as identifier material: each run of characters outside ``[A-Za-z0-9._-]``
    made one ``-``, and no ``-``, ``.`` or ``_`` at either end. May be empty; the caller picks
    the fallback and the length, which differ by what is named."""
    return _IDENT_UNSAFE.sub("-", name).strip("-._")


#: How many characters of a source's text name it when it has no title.
OPENING_LIMIT = 60


def first_words(text: str, limit: int = OPENING_LIMIT) -> str | None:
    """The first words of a captured text, to name a source that has no title, outlet or
    date by what it says (``The delegations of Ukraine and the United…``): whitespace runs
    as one space, cut at a word boundary with an ellipsis. None for a text with no words.

    Not escaped: it is data, shown by each renderer its own way."""
    return clip(text.lstrip()[: limit * 4], limit) or None  # a long text is never split whole


def clip(text: str, limit: int) -> str:
    """At most ``limit`` characters, blanks run together, cut at a word boundary with an
    ellipsis."""
    flat = " ".join(text.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    if " " in cut[limit // 2 :]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:") + "…"
