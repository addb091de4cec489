"""The word tokens a redline is made of: words, whitespace runs and single other characters.

Shared by the redline and the changed-figure scan (and open to the alignment), so a text is
cut into tokens once. A word keeps its apostrophes and hyphens ("Ukraine's", "post-war") and
its digit separators ("600,000", "3.5"), so a change from "600,000" to "800,000" is one
replaced word and never "[6→8]00,000".
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

__all__ = ["tokens"]


@cache
def _ascii_token_pattern() -> re.Pattern[str]:
    """:func:`_token_pattern` for an ASCII text, where ASCII matching finds the same tokens a
    quarter faster: the same pattern, with the four control characters that only Unicode
    counts as whitespace (``\\x1c``–``\\x1f``) named among the spaces."""
    pattern = _token_pattern(with_marks=False).pattern.replace(r"|\s++|", r"|[\s\x1c-\x1f]++|")
    return re.compile(pattern, re.DOTALL | re.ASCII)


@cache
def _token_pattern(with_marks: bool = True) -> re.Pattern[str]:
    """Word tokens, whitespace runs, or single other characters.

    A word is a run of word characters and combining marks (so Devanagari vowel signs and
    decomposed accents stay inside their word), with apostrophes and hyphens between letters
    (``Ukraine's``, ``ceasefire-related``) and ``.``/``,`` between digits (``600,000``,
    ``3.5``) kept inside. The repetitions are possessive: what may follow a word or a
    whitespace run can never let a shorter one match, so giving characters back only cost
    time (a tenth of tokenising). Built on first use: listing the marks takes 15–20 milliseconds, so
    texts without marks use the same pattern without them (``with_marks=False``), which finds
    the same tokens in such a text.
    """
    marks = ""
    if with_marks:
        marks = "".join(re.escape(chr(c)) for c in range(0x300, 0x10000) if _is_mark(chr(c)))
    word = rf"[\w{marks}]++"
    return re.compile(
        rf"{word}(?:(?:['’ʼ\-‐‑]|(?<=\d)[.,](?=\d)){word})*+|\s++|.",
        re.DOTALL,
    )


def _is_mark(ch: str) -> bool:
    """Whether ``ch`` is a combining mark that :func:`_token_pattern` keeps inside words."""
    return 0x300 <= ord(ch) < 0x10000 and unicodedata.category(ch)[0] == "M"


def tokens(text: str) -> list[str]:
    """The word tokens, whitespace runs and other characters of ``text``, which they rebuild."""
    if text.isascii():
        return _ascii_token_pattern().findall(text)
    return _token_pattern(any(map(_is_mark, set(text)))).findall(text)
