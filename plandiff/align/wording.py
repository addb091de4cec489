"""The comparison form of a point and the words it is compared by: normalising, crude stems,
tokens, and the similarity of two texts on their own.

Pure Python (no numpy): the bundled registry's diff and small text diffs use only this.
"""

from __future__ import annotations

import functools
import math
import re
import string
import unicodedata
from collections.abc import Sequence

from plandiff.align.records import DEFAULT_SETTINGS, AlignSettings

__all__ = [
    "STOPWORDS",
    "TOKEN_CHUNK",
    "idf",
    "normalise",
    "normalise_all",
    "similarity",
    "stem",
    "words",
]

# ── normalisation ────────────────────────────────────────────────────────────────────────────

_FOLD = str.maketrans(
    {
        **dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e"), None),
        **dict.fromkeys(map(ord, "‘’‚‛′‵`´ʼʹʻ"), "'"),
        **dict.fromkeys(map(ord, "“”„‟″‶«»〝〞＂"), '"'),
        **dict.fromkeys(map(ord, "‐‑‒–—―⁃−⸺⸻﹘﹣－"), "-"),
    }
)

_NUMBER = r"(?:\d+[a-z]?(?:\.\d+)*|[ivxlcdm]{1,6}|[a-z])"
#: What may follow a marker that is not followed by punctuation: a capital, a quote or a
#: bracket, matched case-sensitively ("Article 3 The parties…", but not "Article 5 of NATO").
_STARTS = r"""\s+(?=(?-i:[A-Z"'(Ѐ-Я]))"""
_MARKER = re.compile(
    r"""^(?:[•‣◦⁃∙·▪▫●○■□*+\-]+\s+)*                              # bullets
    (?:
        (?:article|art\.|point|section|sec\.|clause|paragraph|para\.|item|§+
        |стаття|статья|пункт|розділ|раздел)\s*"""
    + _NUMBER
    + r"""(?:\s*[.:)\-]\s*|"""
    + _STARTS
    + r""")                                                      # Article 3. / Point 1 The
      | \(\s*(?:\d+[a-z]?|[a-z]|[ivxlcdm]{1,6})\s*\)\s*           # (3) (a) (iv)
      | \d+(?:\.\d+)*[.)](?=\s|$)\s*                              # 14.  14)  1.2.
      | \d+(?:\.\d+)+"""
    + _STARTS
    + r"""                                                       # 1.2 The (not 14.5 million)
      | (?:[a-z]|[ivxlcdm]{1,6})[.)]\s+                           # a)  iv.
    )?""",
    re.IGNORECASE | re.VERBOSE,
)


#: The first two letters (casefolded) of an ASCII text that :data:`_MARKER` may match when the
#: text begins with a letter: a keyword's ("Article", "Art.", "Point", "Section", "Sec.",
#: "Clause", "Paragraph", "Para.", "Item"), a letter's or Roman numeral's before "." or ")"
#: ("a)", "iv."), or two Roman numerals' ("xii."). Any other text that begins with a letter
#: ("The parties ...", most points) has no marker, and is not matched at all (a third of the
#: time of normalising it).
_MARKER_STARTS = frozenset(
    [
        *("ar", "po", "se", "cl", "pa", "it"),
        *(a + b for a in string.ascii_lowercase for b in ".)"),
        *(a + b for a in "ivxlcdm" for b in "ivxlcdm"),
    ]
)

#: Printable ASCII, space to tilde: deleting these from an ASCII text leaves its control
#: characters (a C loop over bytes, a third of the time of ``str.isprintable``).
_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))


def normalise(text: str) -> str:
    """The comparison form of a point: marker stripped, typography folded, case and words kept.

    Two renderings of the same point differ in numbering ("14." against "(3)"), quotes, dashes,
    non-breaking and zero-width spaces; none of that is a change of wording, so it is folded
    here, once, and both the exact matching and the similarity work on the result.
    """
    if text.isascii():
        if "`" in text:
            text = text.replace("`", "'")
        # Printable ASCII has no whitespace but the space: skip the split when nothing to fold
        # (it is a third of the time of normalising a 30,000-point code).
        if not text.encode().translate(None, _PRINTABLE_ASCII) and "  " not in text:
            text = text.strip(" ")
        else:
            text = " ".join(text.split())
        if text[:1].isalpha() and text[:2].lower() not in _MARKER_STARTS:
            return text
    else:
        text = " ".join(unicodedata.normalize("NFKC", text).translate(_FOLD).split())
    end = _MARKER.match(text).end()  # type: ignore[union-attr]  # every part is optional
    return text[end:].lstrip() if end else text


#: The first one or two characters of a printable ASCII text that :func:`normalise` returns
#: as it is, when the text has no backtick, no double space and no space at either end: a
#: letter, then anything but what :data:`_MARKER_STARTS` names.
_PLAIN_STARTS = frozenset(
    start
    for first in string.ascii_letters
    for start in (first, *(first + chr(c) for c in range(0x20, 0x7F)))
    if start.lower() not in _MARKER_STARTS
)

#: Texts :func:`normalise_all` checks at once: one odd text sends only its batch down the
#: general path.
NORMALISE_BATCH = 256
#: Between two texts of a batch: a space at the end of a text shows as a double space.
_BATCH_SEP = " \x00 "


def normalise_all(texts: Sequence[str], *, batch: int = NORMALISE_BATCH) -> list[str]:
    """:func:`normalise` of each text.

    Most points are already in comparison form: printable ASCII with single spaces, no
    backtick, no space at either end, beginning with a word that is no marker. A few C-level
    passes over a batch's concatenation check all but the beginning for every text of it; each
    text then costs a set lookup of its first two characters (which a leading space fails).
    About a tenth less than normalising each text (5 ms for a 30,000-point code).
    """
    out: list[str] = []
    for start in range(0, len(texts), batch):
        part = texts[start : start + batch]
        joined = _BATCH_SEP.join(part)
        if (
            joined.isascii()
            # No control character but the separators': no newline or tab inside a text.
            and joined.encode().translate(None, _PRINTABLE_ASCII) == b"\x00" * (len(part) - 1)
            and "`" not in joined
            and "  " not in joined
            and joined[-1:] != " "
        ):
            out += [t if t[:2] in _PLAIN_STARTS else normalise(t) for t in part]
        else:
            out += map(normalise, part)
    return out


# ── tokens, stems and weights ────────────────────────────────────────────────────────────────

#: Suffixes stripped by :func:`stem`, longest first, keyed by their last letter for speed.
_SUFFIXES: dict[str, tuple[tuple[str, str], ...]] = {
    "s": (
        ("ations", ""),
        ("ments", ""),
        ("ings", ""),
        ("ness", ""),
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
    ),
    "n": (("ation", ""),),
    "t": (("ment", ""),),
    "g": (("ing", ""),),
    "d": (("ied", "y"), ("ed", "")),
    "y": (("edly", ""), ("ly", "")),
    "e": (("e", ""),),
}
STOPWORDS = frozenset(
    """a about above after against all also an and any are as at be been before being between
    both but by can could did do does during each either for from had has have he her his how if
    in into is it its may might more most must no nor not of on once only or other our out over
    own same shall she should so some such than that the their them then there these they this
    those through to under until up upon very was we were what when where whether which while who
    whom why will with within without would""".split()  # noqa: SIM905 (a word list reads as prose)
)
_PUNCT = str.maketrans(dict.fromkeys(map(ord, string.punctuation), " "))
_WORD = re.compile(r"[^\W_]+|\x00")
_SEP = " \x00 "


@functools.lru_cache(maxsize=1 << 17)
def stem(word: str, length: int) -> str:
    """A crude, language-light stem: strip up to two English suffixes, then truncate.

    Truncation also conflates most inflections in other languages; all we need is that the
    same word in two renderings ("guarantees", "guaranteed") lands on the same stem.
    """
    if word.isdigit():
        return word
    for _ in range(2):
        for suffix, replacement in _SUFFIXES.get(word[-1:], ()):
            if word.endswith(suffix) and len(word) - len(suffix) >= 3:
                word = word[: -len(suffix)] + replacement
                break
        else:
            break
    return word[:length]


#: Texts tokenised per pass: one pass over a long concatenation is twice as fast as a pass
#: per text, and a bounded one keeps the list of word strings small (a 30,000-point code
#: has three million words).
TOKEN_CHUNK = 4096


def words(texts: Sequence[str]) -> list[str]:
    """The casefolded words of the texts, in order, with ``"\x00"`` between two texts."""
    joined = _SEP.join(texts).casefold()
    if joined.count("\x00") != len(texts) - 1:  # a text holds the separator: drop it there
        joined = _SEP.join(t.replace("\x00", " ") for t in texts).casefold()
    return joined.translate(_PUNCT).split() if joined.isascii() else _WORD.findall(joined)


def idf(n_docs: int, df: float) -> float:
    """A stem's inverse document frequency, never below 0.01 (so a stem in every point still
    counts a little). ``math.log``, not numpy's, in both alignment paths: numpy's vectorised
    log may differ in the last bit, and the two paths must agree to the bit."""
    return max(math.log((n_docs + 1.0) / (df + 0.5)), 0.01)


def similarity(
    old_text: str, new_text: str, *, settings: AlignSettings = DEFAULT_SETTINGS
) -> float:
    """Similarity of two texts on their own (no collection statistics): weighted stem Dice.

    For reporting a score on a curated pair; :func:`align` uses collection-wide IDF instead.
    With the pair as the collection every stem has the same IDF, lowered for function words,
    so this needs no matrices: it is the alignment's weights and pair intersection for two rows,
    summed in the same (stem id) order, to the same bits, without importing numpy.
    """
    a, b = normalise(old_text), normalise(new_text)
    if a == b:
        return 1.0
    stem_id: dict[str, int] = {}
    rows: list[set[int]] = [set()]
    for word in words([a, b]):
        if word == "\x00":
            rows.append(set())
        else:
            rows[-1].add(stem_id.setdefault(stem(word, settings.stem_length), len(stem_id)))
    # Document frequency 1 in a collection of n_docs = 1.
    weight = [idf(1, 1.0)] * len(stem_id)
    if settings.stopword_weight != 1.0:
        for text, sid in stem_id.items():
            if text in STOPWORDS:
                weight[sid] = weight[sid] * settings.stopword_weight
    sizes = []
    for row in rows:
        size = 0.0  # a sparse row times a vector: sequential sums in column order
        for sid in sorted(row):
            size += weight[sid]
        sizes.append(size)
    inter = 0.0
    for sid in sorted(rows[0] & rows[1]):
        inter += weight[sid]
    total = sizes[0] + sizes[1]
    return float(min(1.0, 2.0 * inter / total)) if total > 0 else 0.0
