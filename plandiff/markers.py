"""Candidate point markers: one compiled-regex pass over a text (pure, no I/O).

Every line that *could* start a point is recorded with what :mod:`plandiff.series` needs to
choose among them: its style (``number-dot``, ``article``, a bullet …), its indentation, its
number as an ordering key (``34-1`` sorts between 34 and 35) and as written, and a few facts
about its place in the text (alone on its line, after a blank line, in the middle of a wrapped
sentence). Nothing here decides what is a point; a candidate is only a line that looks like one.

The candidates are found by one ``finditer`` over the whole text from each line break, so a
line of prose costs a single failed look-ahead in C rather than a step of Python; the common
``12. text`` is read by that same match, and only the rarer candidates (decorated, keyword,
numeral, bullet) go through the general patterns. Decorations are looked through: a box border
(``*  6. Disclaimer  *``), a table or quote bar (``| 3. …``), Markdown heading signs and bold.
The patterns are anchored at a line's start and cannot backtrack more than linearly, so a
megabyte-long line of ``1.1.1.1…`` costs what its length costs.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable
from itertools import chain
from operator import lt, sub

import msgspec

from plandiff.lines import HSPACE, INDENT, STRIP, Lines, columns
from plandiff.numberwords import NUMBER_WORDS, WORDS_PATTERN

__all__ = [
    "RULE",
    "STYLE_NAMES",
    "SUBITEM",
    "Marker",
    "find_markers",
]

#: Keywords that number a point, by the style they give (longest first inside each group).
_KEYWORD_STYLES = {
    "article": ("article", "artikel", "artículo", "articulo", "articolo", "стаття", "статья",
                "art.", "art"),
    "section": ("section", "sec.", "abschnitt", "розділ", "раздел"),
    "point": ("point", "punkt", "punto", "пункт"),
    "paragraph": ("paragraphe", "paragraph", "para."),
}  # fmt: skip
_KEYWORD_OF = {word: style for style, words in _KEYWORD_STYLES.items() for word in words}
_KEYWORDS = "|".join(re.escape(w) for w in sorted(_KEYWORD_OF, key=len, reverse=True))

#: Human names of the styles, as ``--points`` takes them and reports show them.
STYLE_NAMES = {
    "n.": "number-dot",
    "n)": "number-paren",
    "(n)": "paren-number",
    "n.glued": "number-dot",
    "n-": "number-dash",
    "n ": "number",
    "n#": "number",
    "R.": "roman-dot",
    "R)": "roman-paren",
    "article": "article",
    "section": "section",
    "point": "point",
    "paragraph": "paragraph",
    "§": "paragraph-sign",
}
#: How each style's marker looks, for "cut at `N.` markers".
STYLE_SHAPES = {
    "n.": "N.", "n)": "N)", "(n)": "(N)", "n.glued": "N.", "n-": "N –", "n ": "N", "n#": "# N",
    "R.": "I.", "R)": "I)", "article": "Article N", "section": "Section N", "point": "Point N",
    "paragraph": "Paragraph N", "§": "§ N",
}  # fmt: skip

#: An upper-case Roman numeral from I to XXXIX. C, D, L and M are left out: alone they are
#: letters of an A, B, C list. Never empty: where a word boundary must follow ("Art.IVFoo"),
#: backtracking could otherwise leave nothing of it, and nothing has no value.
_ROMAN = r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})(?<=[IVX])"
_SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
#: Latin ordinals of inserted provisions, in their order: 2 bis, 2 ter, 2 quater …
_LATIN = ("bis", "ter", "quater", "quinquies", "sexies", "septies", "octies", "novies", "nonies")
_LATIN_RE = "|".join(sorted(_LATIN, key=len, reverse=True))
#: Numbers in words after a keyword: "Article premier", "Article 1er", "Article the First",
#: "Article Seven", "Section Twenty-one" (see :mod:`plandiff.numberwords`).
_FIRST = rf"(?:the[{HSPACE}]+)?(?P<first>{WORDS_PATTERN})"

#: An inserted number after the main one: 34-1, 34.1 (keywords only), 2 bis, 2a, 67¹.
_INSERT = rf"""
    (?:-(?P<dash>\d{{1,3}})(?!\d)
      | (?P<dot>\.\d{{1,3}})(?![\d])
      | [{HSPACE}]?(?P<latin>{_LATIN_RE})\b
      | (?P<letter>[a-z])(?![^\W\d_])
      | (?P<sup>[{_SUPERSCRIPTS}]+)
    )?
"""

_NUMBERED = re.compile(
    rf"""
    (?P<label>
        (?P<word>{_KEYWORDS})(?:(?<=\.)[{HSPACE}]*|[{HSPACE}]+)
        (?:(?P<word_num>\d{{1,6}}){_INSERT}|{_FIRST}\b|(?-i:(?P<word_roman>{_ROMAN}))\b)
        [.:)]?
      | (?P<sect>§§?)[{HSPACE}]*(?P<sect_num>\d{{1,6}}){_INSERT.replace("?P<", "?P<s_")}[.:)]?
      | \((?P<paren_num>\d{{1,6}})\)
      | (?P<num>\d{{1,6}})(?P<num_ins>[a-z]|[{_SUPERSCRIPTS}]+|[{HSPACE}](?:{_LATIN_RE}))?
        (?P<num_sep>\\?[.)])               # "3\." as Markdown converters escape it
      | (?-i:(?P<roman>{_ROMAN}))(?P<roman_sep>[.)])
    )
    (?:\*\*|__)?
    (?:[{HSPACE}]*[-–—](?=[{HSPACE}]|$))?    # a dash before the title: "Article 1 – Scope"
    (?P<after>[{HSPACE}]|$|(?-i:(?<=\.)[A-Z]))  # whitespace after; or glued "1.Definitions"
    """,
    re.IGNORECASE | re.VERBOSE,
)

#: Loose markers of news copies: "2 – text", "8- text", "3 text". Only ever a point when they
#: continue a sequence (see :mod:`plandiff.series`).

_LOOSE = re.compile(rf"(?P<label>(?P<num>\d{{1,3}})(?P<dash>[{HSPACE}]*[-–—])?)[{HSPACE}]+(?=\w)")

#: A Markdown heading's content that is only a number, with an inserted letter maybe: "12A".
_HEADING_NUMBER = re.compile(
    rf"(?P<label>(?P<num>\d{{1,6}})(?P<ins>[A-Za-z])?)(?:\*\*|__)?[{HSPACE}]*$"
)

_BULLET_CHARS = "-*+•–—·▪◦●‣○■►→"
_BULLET = re.compile(f"[{re.escape(_BULLET_CHARS)}](?=[{HSPACE}])")
#: A thematic break (``---``, ``* * *``, ``___``) or a rule of dashes or equals signs.
RULE = re.compile(f"(?:[-*_=~–—][{HSPACE}]*){{3,}}$")
#: Sub-item markers that never start a point: ``a)``, ``(b)``, ``c.``, ``iv.``, ``(ii)``, decimal
#: outline numbers ``1.1`` and bullets or arrows; they tell a sub-item from a new paragraph.
SUBITEM = re.compile(
    rf"""
    (?:\(?[a-z]\)|[a-z][.)]|\(?[ivxlcdm]{{1,7}}[.)]|\([ivxlcdm]{{1,7}}\)|\d{{1,6}}(?:\.\d{{1,3}})+\.?
      |[{re.escape(_BULLET_CHARS)}])
    (?=[{HSPACE}]|$)
    """,
    re.IGNORECASE | re.VERBOSE,
)
_HEADING_SIGNS = re.compile(rf"(?P<hashes>#{{1,6}})[{HSPACE}]*")
_BOLD = re.compile(r"\*\*|__")
_BAR = re.compile(rf"[|>][{HSPACE}]*")
_BOX = re.compile(rf"\*[{HSPACE}]+")


#: Words that head a division of a text, by rank: Part > Title > Chapter > Section > Annex.
_HEADING_WORDS = {
    1: ("part", "partie", "teil", "book", "livre", "buch", "parte", "частина", "часть"),
    2: ("title", "titre", "titel", "título", "titolo", "розділ", "раздел"),
    3: ("chapter", "chapitre", "kapitel", "capítulo", "capitolo", "глава"),
    4: ("subtitle", "sub-title", "subpart", "division", "section", "abschnitt", "sous-titre"),
    5: (
        "appendix",
        "annex",
        "annexe",
        "anhang",
        "exhibit",
        "schedule",
        "attachment",
        "anlage",
        "anexo",
        "allegato",
        "bijlage",
        "додаток",
        "приложение",
    ),
}
LEVEL_OF = {w: level for level, words in _HEADING_WORDS.items() for w in words}
HEADING_KEYWORD = re.compile(
    rf"(?:\#{{1,6}}[{HSPACE}]+)?(?:\*\*|__)?"
    rf"(?P<word>{'|'.join(sorted(map(re.escape, LEVEL_OF), key=len, reverse=True))})"
    rf"[{HSPACE}]+(?:[0-9]+|[IVXLC]+|[A-Z]\b|premier|première|first|one|unique|preliminary|"
    rf"préliminaire)\b",
    re.IGNORECASE,
)


class Marker(msgspec.Struct, frozen=True, order=True, gc=False):
    """A line that starts like a point marker: a candidate, until a series is chosen.

    Built for every candidate line, often once per line of a text, so a Struct: positional,
    immutable, ordered field by field as a tuple would be, and about half a tuple's cost.
    """

    line: int
    style: str  # a key of STYLE_NAMES, or a bullet character
    indent: int
    number: int | None  # the integer value, None for bullets and unnumbered keywords
    key: tuple[int, int]  # the ordering key: (number, insert rank); 34-1 → (34, 1)
    number_text: str | None  # as written: "34-1", "premier", "IV"
    label_start: int
    label_end: int
    marker_end: int
    alone: bool  # nothing but whitespace after the marker on its line
    heading_level: int  # Markdown heading level, 0 when none


_BREAKS = "\r\n\u2028\u2029\x85"

#: A candidate: a line whose content (after its indentation) starts as a marker can, found from
#: the line break before it (a literal to scan for is what makes one pass over the text cheap,
#: whatever the share of prose lines). The common "12. text" (or "12. 500 …") is read here
#: whole (groups 1-2), as :func:`_marker_at` would read it but for the space after the marker,
#: which the point's body loses anyway; any other candidate (a decoration, a keyword, a Roman
#: numeral, a bullet …) is read by :func:`_marker_at`.
_KEYWORD_FIRST = "".join(sorted({w[0] for w in _KEYWORD_OF}))
_CANDIDATE_BODY = rf"""[{INDENT}]*+
(?=[\d{re.escape("#*_(§|>" + _BULLET_CHARS)}IVX]|(?i:[{_KEYWORD_FIRST}]))  # most lines fail here
(?:
    (\d{{1,6}})([.)])(?=[{HSPACE}]+[^\W_])
  | ([IVX]+[.)] | (?i:{_KEYWORDS}))
  | [\d{re.escape("#*_(§|>" + _BULLET_CHARS)}]
)"""
_CANDIDATE = re.compile(r"\n" + _CANDIDATE_BODY, re.VERBOSE)
_FIRST_CANDIDATE = re.compile(_CANDIDATE_BODY, re.VERBOSE)


def find_markers(lines: Lines) -> list[Marker]:
    """Every line that starts like a marker, numbered or bulleted, in text order."""
    text, starts, content = lines.text, lines.start, lines.content
    contents = _contents_lines(lines)
    found: list[Marker] = []
    append = found.append
    decorated: set[int] = set()  # markers not read by the candidate pattern alone
    scan = text
    for brk in "\r\u2028\u2029\x85":
        if brk in scan:
            scan = scan.replace(brk, "\n")  # one character for one: the offsets stay
    line = -1
    candidates: Iterable[re.Match[str]] = _CANDIDATE.finditer(scan)
    if first := _FIRST_CANDIDATE.match(text):
        candidates = chain((first,), candidates)
    for candidate in candidates:
        # A line's start: after the line break the pattern starts with (but for the first line).
        at, end = candidate.span()
        at += candidate is not first  # past the line break
        line += 1
        if starts[line] != at:  # a line (or more) that is no candidate came before
            line = bisect_left(starts, at, line)
        if contents and (line in contents or line + 1 in contents):
            continue
        cs = content[line]
        digits, sep, word = candidate.groups()
        if digits is not None:
            # The common case, "12. text": no decoration, no general pattern with its many groups.
            number = int(digits)
            indent = 0 if cs == at else columns(text, at, cs)
            append(Marker(line, _PLAIN_STYLE[sep], indent, number, (number, 0), digits, cs, end,
                          end, False, 0))  # fmt: skip
            continue
        if word is not None:
            # A keyword or a Roman numeral at the very start: no decoration to look through.
            le = lines.end[line]
            if numbered := _NUMBERED.match(text, cs, le):
                decorated.add(len(found))
                append(_numbered(line, columns(text, at, cs), 0, numbered, le))
        elif (marker := _marker_at(text, line, cs, lines.end[line], lines)) is not None:
            decorated.add(len(found))
            append(marker)
    return _without_contents(lines, found, decorated)


_PLAIN_STYLE = {".": "n.", ")": "n)"}


def _without_contents(lines: Lines, found: list[Marker], decorated: set[int]) -> list[Marker]:
    """The markers less the entries of a table of contents without page numbers: a run of
    titled numbered lines ("1.  Introduction", "2.  Terminology" …) that the text repeats
    word for word further on names the points there; it is not the points."""
    # A title comes again only with its number: numbers rising all along, compared in C, are
    # a list numbered once through, with no title to read (2 of the 3 ms of the steps below at
    # 30,000 markers).
    numbering = [m.number for m in found if m.number is not None]
    if len(numbering) == len(found) and all(map(lt, numbering, numbering[1:])):
        return found
    return _without_listed_contents(lines, found, decorated)


def _without_listed_contents(
    lines: Lines, found: list[Marker], decorated: set[int]
) -> list[Marker]:
    """:func:`_without_contents` step by step."""
    # Runs of marker lines, one after the other (or after a wrapped entry's second line).
    at = [m.line for m in found]
    cuts = [
        k
        for k, gap in enumerate(map(sub, at[1:], at), 1)
        if gap != 1 and (gap != 2 or lines.blank(at[k] - 1))
    ]
    runs: list[range] = []
    start = 0
    for k in [*cuts, len(found)]:
        if k - start >= 3:
            runs.append(range(start, k))
        start = k
    if not runs:
        return found  # no run of three: the common case, without building any key
    # A title comes again only with its number (the same label, read alike): without a number
    # that comes twice, nothing does (a long list numbered once through), and no word is read.
    numbers = [m.number for m in found if m.number is not None and not m.alone]
    if len(set(numbers)) == len(numbers):
        return found
    # Nor without its first word: that is cheap to read, and only the titles whose first word
    # another one shares need to be read whole.
    text, end = lines.text, lines.end
    titled = [k for k, m in enumerate(found) if m.number is not None and not m.alone]
    # "12." then a space, where the candidate pattern read the marker alone
    words = [
        _first_word(text, found[k].label_start, end[found[k].line])
        if k in decorated
        else f"{found[k].number_text}{found[k].style[1]}"
        for k in titled
    ]
    if len(set(words)) == len(words):
        return found  # every title is different: none comes again
    shared = {word for word, count in Counter(words).items() if count > 1}
    last: dict[str | int, int] = {}
    keys: list[str | int | None] = [None] * len(found)
    for k, word in zip(titled, words, strict=True):
        m = found[k]
        key = _title(text[m.label_start : end[m.line]]) if word in shared else k
        keys[k] = key
        last[key] = k
    # A run of different titles, at least half of them (and three) coming again later (the
    # rest may be cut off), is a table of contents.
    dropped: set[int] = set()
    for run in runs:
        titles = {keys[j] for j in run}
        again = sum(1 for j in run if _again(keys[j], j, last))
        if again >= 3 and again * 2 >= len(run) and len(titles) == len(run):
            dropped.update(run)
    return [m for k, m in enumerate(found) if k not in dropped]


def _again(key: str | int | None, k: int, last: dict[str | int, int]) -> bool:
    """Whether the title of marker ``k`` comes again after it."""
    return key is not None and last[key] != k


def _first_word(text: str, start: int, end: int) -> str:
    """The first word of ``text[start:end]`` (which starts with one), as :func:`_title` has it."""
    word = _WORD.match(text, start, end)
    return word[0].casefold() if word else ""


_WORD = re.compile(r"\S+")


def _title(line: str) -> str:
    """A line as a title to compare: whitespace runs as one space, case folded."""
    if line.isprintable() and "  " not in line:
        return line.strip(" ").casefold()  # only single spaces: what split and join would give
    return " ".join(line.split()).casefold()


#: Leader dots and a page number at the end of a line: "1.  Introduction . . . . .   2".
_LEADERS = re.compile(rf"(?:\.[{HSPACE}]?){{3,}}[{HSPACE}]*(?:\d+|[ivxlc]+)$")
#: Lines that may end so, found in one pass over the text; :func:`_contents_entry` decides.
_LEADERS_ANYWHERE = re.compile(
    rf"\.[{HSPACE}]?\.[{HSPACE}]?\.[{HSPACE}]*(?:\d+|[ivxlc]+)[{HSPACE}]*(?=[{_BREAKS}]|\Z)"
)


def _contents_lines(lines: Lines) -> set[int]:
    """The lines of a table of contents that end in leader dots and a page number."""
    found: set[int] = set()
    starts = lines.start
    for candidate in _LEADERS_ANYWHERE.finditer(lines.text):
        line = bisect_right(starts, candidate.start()) - 1
        if _contents_entry(lines, line):
            found.add(line)
    return found


def _contents_entry(lines: Lines, k: int) -> bool:
    """A line of a table of contents: it names a point and its page, it is not the point (the
    entry may wrap, so the line above it is an entry too)."""
    text = lines.text
    end, start = lines.end[k], lines.content[k]
    while end > start and text[end - 1] in " \t":
        end -= 1
    if end == start or not (text[end - 1].isdigit() or text[end - 1] in "ivxlc"):
        return False
    return _LEADERS.search(text, max(start, lines.end[k] - 40), lines.end[k]) is not None


def _marker_at(text: str, line: int, cs: int, le: int, lines: Lines) -> Marker | None:
    pos = cs
    if RULE.match(text, cs, le):
        return None
    # Decorations: a box border "*  6. …  *", a table or quote bar "| 3. …".
    if (
        text[pos] == "*"
        and text[le - 1] == "*"
        and le - pos > 2
        and (box := _BOX.match(text, pos, le))
    ):
        pos = box.end()
    elif bar := _BAR.match(text, pos, le):
        pos = bar.end()
    level = 0
    if heading := _HEADING_SIGNS.match(text, pos, le):
        level, pos = len(heading["hashes"]), heading.end()
    if bold := _BOLD.match(text, pos, le):
        pos = bold.end()
    indent = lines.indent(line)
    if found := _NUMBERED.match(text, pos, le):
        return _numbered(line, indent, level, found, le)
    if level and (found := _HEADING_NUMBER.match(text, pos, le)):
        # A Markdown heading that is a number and nothing else ("##### 12", "### 4A"): how
        # legislation converted to Markdown numbers its sections and schedule paragraphs.
        number = int(found["num"])
        rank = ord(found["ins"].lower()) - ord("a") + 1 if found["ins"] else 0
        start, end = found.span("label")
        return Marker(line, "n#", indent, number, (number, rank), found["label"], start, end,
                      end, True, level)  # fmt: skip
    if found := _LOOSE.match(text, pos, le):
        style = "n-" if found["dash"] else "n "
        number = int(found["num"])
        start, end = found.span("label")
        return Marker(line, style, indent, number, (number, 0), found["num"], start, end,
                      found.end(), False, level)  # fmt: skip
    if pos == cs and (found := _BULLET.match(text, pos, le)):
        alone = not text[pos + 1 : le].strip(STRIP)
        return Marker(line, found[0], indent, None, (0, 0), None, pos, pos + 1, pos + 1, alone, 0)
    return None


_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10}


def roman_value(numeral: str) -> int:
    """The value of a numeral that :data:`_ROMAN` matched (so subtractive pairs are valid)."""
    values = [_ROMAN_DIGITS[ch] for ch in numeral.upper()]
    return sum(-v if v < after else v for v, after in zip(values, [*values[1:], 0], strict=True))


_INSERT_GROUPS = {
    prefix: tuple(prefix + g for g in ("dash", "dot", "latin", "letter", "sup"))
    for prefix in ("", "s_")
}


def _insert_rank(found: re.Match[str], prefix: str = "") -> int:
    """Where an inserted number sorts after its main number: 2 < 2-1 < 2 bis < 2 ter."""
    dash, dot, latin, letter, sup = found.group(*_INSERT_GROUPS[prefix])
    if dash:
        return int(dash)
    if dot:
        return int(dot[1:])
    if latin:
        return _LATIN.index(latin.lower()) + 2
    if letter:
        return ord(letter.lower()) - ord("a") + 1
    if sup:
        return int(sup.translate(str.maketrans(_SUPERSCRIPTS, "0123456789")))
    return 0


def _numbered(line: int, indent: int, level: int, found: re.Match[str], le: int) -> Marker:
    rank = 0
    if word := found["word"]:
        style = _KEYWORD_OF[word.lower()]
        if found["first"]:
            written = found["first"]
            number = NUMBER_WORDS[" ".join(written.lower().split())]
        elif found["word_num"]:
            number, rank = int(found["word_num"]), _insert_rank(found)
            written = found.group("label")[found.start("word_num") - found.start("label") :]
        else:
            number, written = roman_value(found["word_roman"]), found["word_roman"]
    elif found["sect"]:
        style = "§"
        number, rank = int(found["sect_num"]), _insert_rank(found, "s_")
        written = found.group("label")[found.start("sect_num") - found.start("label") :]
    elif found["paren_num"]:
        style, number, written = "(n)", int(found["paren_num"]), found["paren_num"]
    elif found["num"]:
        glued = found["after"] not in ("", " ") and not found["after"].isspace()
        style = "n.glued" if glued else "n" + found["num_sep"][-1]
        number, written = int(found["num"]), found["num"] + (found["num_ins"] or "")
        if ins := found["num_ins"]:
            ins = ins.strip(STRIP).lower()
            if ins in _LATIN:
                rank = _LATIN.index(ins) + 2
            elif ins.isalpha():
                rank = ord(ins) - ord("a") + 1
            else:
                rank = int(ins.translate(str.maketrans(_SUPERSCRIPTS, "0123456789")))
    else:
        style = "R" + found["roman_sep"]
        number, written = roman_value(found["roman"]), found["roman"]
    written = written.rstrip(".:)" + STRIP)
    label_start, label_end = found.span("label")
    end = found.end() if found["after"].isspace() or not found["after"] else found.end() - 1
    alone = not found.string[end:le].strip(STRIP + "*_")
    return Marker(line, style, indent, number, (number, rank), written, label_start, label_end,
                  end, alone, level)  # fmt: skip
