"""Numbers written in words after a keyword: ``Article One``, ``Section Twenty-first`` (pure).

Constitutions and treaties of the eighteenth and nineteenth centuries number their articles in
words (``Article One`` … ``Article Seven``, ``Article the First``), and translations do the same
with ordinals (``Article premier``, ``Artikel erster``, ``Artículo primero``). A marker is only
ever a keyword followed by one of these, so the table stays small: English cardinals and
ordinals to ninety-nine, French, German, Spanish and Italian ordinals to twenty (ten for the
Romance languages past the first few, where official texts switch to digits).
"""

from __future__ import annotations

__all__ = ["NUMBER_WORDS", "WORDS_PATTERN"]

_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
          "eighteen", "nineteen")  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINAL_UNITS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth")  # fmt: skip
_ORDINAL_TEENS = ("tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                  "sixteenth", "seventeenth", "eighteenth", "nineteenth")  # fmt: skip
_ORDINAL_TENS = ("twentieth", "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth",
                 "eightieth", "ninetieth")  # fmt: skip

#: Ordinals of other languages, from 1: each tuple lists the forms of one number.
_OTHER_ORDINALS = (
    # French
    ("premier", "première", "premiere", "1er", "1re"), ("deuxième", "deuxieme", "second",
    "seconde"), ("troisième", "troisieme"), ("quatrième", "quatrieme"), ("cinquième",
    "cinquieme"), ("sixième", "sixieme"), ("septième", "septieme"), ("huitième", "huitieme"),
    ("neuvième", "neuvieme"), ("dixième", "dixieme"),
)  # fmt: skip
_GERMAN = ("erster", "zweiter", "dritter", "vierter", "fünfter", "sechster", "siebter",
           "achter", "neunter", "zehnter", "elfter", "zwölfter", "dreizehnter", "vierzehnter",
           "fünfzehnter", "sechzehnter", "siebzehnter", "achtzehnter", "neunzehnter",
           "zwanzigster")  # fmt: skip
_SPANISH = ("primero", "segundo", "tercero", "cuarto", "quinto", "sexto", "séptimo", "octavo",
            "noveno", "décimo")  # fmt: skip
_ITALIAN = ("primo", "secondo", "terzo", "quarto", "quinto", "sesto", "settimo", "ottavo",
            "nono", "decimo")  # fmt: skip


def _table() -> dict[str, int]:
    words: dict[str, int] = {"1st": 1}
    for value, (cardinal, ordinal) in enumerate(zip(_UNITS, _ORDINAL_UNITS, strict=True), 1):
        words[cardinal], words[ordinal] = value, value
    for value, (cardinal, ordinal) in enumerate(zip(_TEENS, _ORDINAL_TEENS, strict=True), 10):
        words[cardinal], words[ordinal] = value, value
    for tens, (cardinal, ordinal) in enumerate(zip(_TENS, _ORDINAL_TENS, strict=True), 2):
        words[cardinal], words[ordinal] = 10 * tens, 10 * tens
        for unit, (unit_cardinal, unit_ordinal) in enumerate(
            zip(_UNITS, _ORDINAL_UNITS, strict=True), 1
        ):
            for joint in ("-", " "):
                words[cardinal + joint + unit_cardinal] = 10 * tens + unit
                words[cardinal + joint + unit_ordinal] = 10 * tens + unit
    for value, forms in enumerate(_OTHER_ORDINALS, 1):
        for form in forms:
            words.setdefault(form, value)
    for series in (_GERMAN, _SPANISH, _ITALIAN):
        for value, form in enumerate(series, 1):
            words.setdefault(form, value)
    return words


#: Each number word (lower case) and its value.
NUMBER_WORDS = _table()


def _alternation(words: list[str]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


def _pattern() -> str:
    """The words as one alternation that tries the longest first, compounds factored out.

    Listing all 288 compounds ("twenty-one", "twenty one", "twenty-first" …) one by one
    made the marker pattern that embeds this take 5 ms to compile at every start. Factored,
    it matches the same strings in the same order of preference: a compound is longer than
    any other word that can match where it does (no other word holds a joint), its tens
    exclude each other, and its units are tried longest first.
    """
    compound_units = _alternation([*_UNITS, *_ORDINAL_UNITS])
    compounds = f"(?:{'|'.join(_TENS)})[-\t ](?:{compound_units})"
    simple = [w for w in NUMBER_WORDS if "-" not in w and " " not in w]
    return f"{compounds}|{_alternation(simple)}"


#: The words as a regular-expression alternation, longest first so "twenty-one" beats "twenty";
#: a caller matches it case-insensitively and ends it at a word boundary.
WORDS_PATTERN = _pattern()
