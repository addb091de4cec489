"""The structure inside one point's text: its sub-items (``7.1``, ``(b)``, ``(ii)``, ``a)``,
``1.``, ``(A)``, ``(I)``, ``(aa)``, ``Section 7.01``, indented bullets) as a tree, or its
paragraphs when it has no labelled sub-items.

Each item knows its label as written, its path as a reader names it (``7.1(b)(ii)``,
``Schedule 1 › 3.2``, ``7 ¶ 2``), its level below the point, its span in the point's text and
the text it is compared by (its body without its label, its children included).

Nesting is read the way a reader reads it: a decimal label's depth says its level (``7.1.2``
sits under ``7.1``; ``7.01`` … ``7.10`` are siblings); where the labels are indented
differently, the indentation says it; otherwise the order in which label styles first appear
does (a new style opens a level below, a style already open closes the levels below it), so
the United States Code's subsection ``(a)``, paragraph ``(1)``, subparagraph ``(A)``, clause
``(i)``, subclause ``(I)``, item ``(aa)`` and subitem ``(AA)`` nest as written. A letter that
is also a roman numeral is read by what it continues, in its own case: ``(i)`` right after
``(h)`` continues the letters, as ``(v)`` after ``(u)`` and ``(I)`` after ``(H)`` do, unless
``(ii)`` (``(II)``) follows it; ``(ii)`` after ``(hh)`` continues the doubled letters.

Labels are tried only at line starts (after any indent, bullet, Markdown heading mark ``#``
or bold ``**``), after a colon or semicolon (where legal texts run their sub-items into one
paragraph: "as follows: (a) …; (b) …") and right after a heading's dash ("(a) In General.—(1)
The …"). At a line's start a chain ``(a)(1)(A)`` or ``2.03(a)(iv)`` is a label per level, and a
keyword label ``Section 7.01``, ``§ 7.1``, ``Clause 4.2``, ``Art. 3``, ``Article IV`` is one
level, nesting as its number does. Numbers inside sentences are never labels: not mid-line
("under subsection (a)(1)(A)"), nor a citation that a wrapped line happens to open
("(a)(1) of such Act", "Section 4.2 of the Act"; a keyword is written capitalised).

Paths (issue 17's format, extended to keyword labels): a bracketed label is appended
(``7.1(b)``); ``b)``, ``b.`` and a list's ``1.`` take the bracketed form (``(b)``, ``(1)``); a
decimal or keyword label whose number extends the parent's last number replaces it (``7.1``
and ``Section 7.01`` under ``7`` → ``7.1``, ``7.01``; ``Clause 3.2`` under ``Schedule 1 › 3``
→ ``Schedule 1 › 3.2``), the keyword itself being left out as a division's is not; one whose
number does not extend it starts a numbering of its own after `` › `` (``Section 7.01`` under
``VII`` → ``VII › 7.01``, ``Article 3`` under ``2`` → ``2 › 3``). A label's own number is the
last component of its path (``01`` of ``VII › 7.01``, ``(b)`` of ``7.1(b)``).

Pure and linear: one match per line start and one scan for the run-in labels; a chain is
bounded by the deepest level read.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import NamedTuple

import msgspec

__all__ = ["MAX_DEPTH", "Item", "Label", "items", "labels", "path_of", "plain"]

#: The inside of a bracketed label: a letter, a roman numeral or a number in either case, or
#: a doubled letter (``(aa)``, ``(AA)``: the United States Code's items and subitems).
_CORE = r"(?:[a-zA-Z]|[ivxlc]{2,7}|[IVXLC]{2,7}|\d{1,3}[a-z]?|(?P<dbl>[a-zA-Z])(?P=dbl){1,2})"
#: The keywords that head a contract's sub-sections inside an article (``Section 7.01``,
#: ``§ 7.1``, ``Clause 4.2``, ``Art. 3``), written capitalised: "section 4.2 of the Act" on
#: a wrapped line is a citation.
_KEYWORD = r"(?:Section|SECTION|Sec\.|SEC\.|Clause|CLAUSE|Article|ARTICLE|Art\.|ART\.|§)"

#: A label at the start of a line (after any indent, bullet, Markdown heading mark or bold);
#: tried only at line starts. A bullet with no label after it is an unlabelled item.
_LINE_LABEL = re.compile(
    rf"""
    (?P<indent>[ \t]*)(?:(?P<bullet>[-*•])[ \t]+)?(?:\#{{1,6}}[ \t]+|\*\*|__)?
    (?:
      (?P<keyword>{_KEYWORD}[ \t]?(?:\d{{1,4}}(?:\.\d{{1,4}})*[A-Za-z]?|[IVXLC]{{1,7}}))
      \.?(?=(?:\*\*|__)?(?:[ \t]*(?:\r?\n|$)|[ \t]+[-–—:A-Z"'“(\[]|[.:][ \t]))  # not "of the Act"
    | (?P<label>
        \({_CORE}\)(?=[ \t]|\*\*|__|\(|\r?\n|$)  # (b) (ii) (A) (aa)
        (?![ \t]+(?:and|or|through|to)[ \t]+\()                # not "(A) and (B) of …"
      | (?:[a-z]|[ivxlc]{{1,6}})\)(?=[ \t])                         # b)  ii)
      | [a-zA-Z]\.(?=[ \t])                                         # b.  B.
      | \d{{1,3}}(?:\.\d{{1,3}})+\.(?=[ \t])                        # 4.3.
      | \d{{1,3}}(?:\.\d{{1,3}})+(?=[ \t]+["'“(A-Z]|\()             # 4.3 The  2.03(a) (not 3.5 m)
      | \d{{1,3}}\.(?=[ \t])                                        # 1.  (a numbered list inside)
      )
    )?
    (?:\*\*|__)?
    """,
    re.VERBOSE,
)
#: One more bracketed label of a chain opening a line: ``(a)(1)(A) The …``, ``2.03(a)(iv)``.
_CHAIN = re.compile(
    rf"\({_CORE}\)(?=[ \t]|\*\*|__|\(|\r?\n|$)(?![ \t]+(?:of|through|and|or)\b|\s*[,;.)])"
)
#: A bracketed label run into a paragraph after a colon or semicolon ("as follows: (a) …;"),
#: or right after a heading's dash ("(a) In General.—(1) The …"). It opens with the
#: punctuation, so re scans for that character before trying the rest.
_INLINE_LABEL = re.compile(rf"(?:[:;][ \t]|\.(?:—|--|–)[ \t]?)(\({_CORE}\))(?=[ \t])")
#: The same after "; and" or "; or" ("…; and (c) …"), unless it is cited there ("…; and (c)
#: of section 5").
_INLINE_AFTER_CONJUNCTION = re.compile(
    rf";[ \t](?:and|or)[ \t](\({_CORE}\))(?=[ \t])(?![ \t]+(?:of|through|and|or)\b)"
)

#: The deepest level read: a text indented a step further on each of thousands of lines is
#: hostile, not a contract, and its tree must not exhaust the stack of the code that walks it.
MAX_DEPTH = 16

_KEYWORD_NUMBER = re.compile(r"(?:\d{1,4}(?:\.\d{1,4})*[A-Za-z]?|[IVXLC]{1,7})$")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}


class Label(NamedTuple):
    """A label found in a text: as written (``(b)``, ``4.3``; ``•`` for a bare bullet), where
    it starts, where its item's body starts, and its indentation (None when run inline)."""

    text: str
    start: int
    body: int
    indent: int | None


class Item(msgspec.Struct, frozen=True, gc=False):
    """A sub-item or paragraph of a point, with its own sub-items."""

    label: str  # as written: "7.1", "(b)", "a)", "•"; "¶ 2" for a paragraph
    path: str  # "7.1(b)", "Schedule 1 › 3.2", "7 • 2", "7 ¶ 2"
    level: int  # 1 for an item directly inside the point (0: a whole point standing as one)
    start: int  # span in the point's text: from the label to the next item at its level
    end: int
    text: str  # what it is compared by: its body without the label, children included
    children: tuple[Item, ...] = ()


def plain(text: str) -> bool:
    """Whether ``text`` certainly has no items: one line, no bracket, no label at its start.
    Most points of a long document are such, and this costs one match."""
    if "\n" in text or "(" in text:
        return False
    m = _LINE_LABEL.match(text)
    return m is None or not (m["label"] or m["bullet"] or m["keyword"])


def _after_conjunction(text: str, inline: list[Label]) -> list[Label]:
    """The labels run in after "; and" / "; or" that close a run-in list: another run-in
    label stands before each on its line ("…: (a) …; (b) …; and (c) …"). Alone after a
    conjunction, "(B)" is more likely quoted or cited text than an item."""
    if not inline:
        return []
    starts = [lab.start for lab in inline]
    found = []
    for m in _INLINE_AFTER_CONJUNCTION.finditer(text):
        k = bisect_left(starts, m.start(1)) - 1
        if k >= 0 and "\n" not in text[starts[k] : m.start(1)]:
            found.append(Label(m[1], m.start(1), m.end(1), None))
    return found


def _line_labels(text: str, m: re.Match[str]) -> list[Label]:
    """The labels of one line-start match: a bare bullet, a keyword label, or a label and the
    rest of its chain (``(a)(1)(A)``: each a level below the one before it)."""
    indent = len(m["indent"])
    if m["keyword"]:
        return [Label(m["keyword"], m.start("keyword"), m.end(), indent)]
    if m["label"] is None:
        return [Label("•", m.start("bullet"), m.end(), indent)]
    first = m["label"]
    at = m.end("label")
    if at >= len(text) or text[at] != "(":
        return [Label(first, m.start("label"), m.end(), indent)]
    chain = [(first, m.start("label"), at)]
    while at < len(text) and text[at] == "(" and len(chain) < MAX_DEPTH:
        c = _CHAIN.match(text, at)
        if c is None:
            break
        chain.append((c[0], at, c.end()))
        at = c.end()
    if len(chain) == 1 or text.startswith("(", at):
        return []  # "(a)(1) of such Act" on a wrapped line: a citation, not labels
    body = at + 2 if text.startswith(("**", "__"), at) else at
    # A chain's later labels have no indentation of their own: their level is their style's.
    return [
        Label(label, start, body if k + 1 == len(chain) else end, indent if not k else None)
        for k, (label, start, end) in enumerate(chain)
    ]


def labels(text: str) -> list[Label]:
    """Every label of ``text`` in order: at line starts, and run in after ``:`` or ``;`` (or
    a heading's ``.—``)."""
    found: list[Label] = []
    start = 0
    while True:
        m = _LINE_LABEL.match(text, start)
        if m is not None and (m["label"] or m["bullet"] or m["keyword"]):
            found += _line_labels(text, m)
        at = text.find("\n", start)
        if at < 0:
            break
        start = at + 1
    if "(" in text:
        inline = [Label(m[1], m.start(1), m.end(1), None) for m in _INLINE_LABEL.finditer(text)]
        inline += _after_conjunction(text, inline)
        if inline:
            # A line label holds no colon and an inline one never starts a line: no overlap.
            seen = {lab.start for lab in found}
            inline = [lab for lab in inline if lab.start not in seen]
            found = sorted(found + inline, key=lambda lab: lab.start)
    return found


def _style(label: str) -> tuple[str, str]:
    """(form, kind) of a label, before letters and roman numerals are told apart.

    form: ``(``, ``)``, ``.``, ``dec`` (decimals and keyword labels) or ``•``; kind:
    ``digit``, a decimal depth, or for letters ``letter``, ``roman``,
    ``double`` (``aa``), ``either`` (a single letter that is also a roman numeral: ``i``,
    ``v``) or ``both`` (a doubled letter that is also one: ``ii``, ``xx``), capitalised for
    capitals (``Letter``, ``Roman`` …)."""
    if label == "•":
        return "•", ""
    if _keyword(label):  # "Section 7.01" nests as 7.01 does, "Article IV" as 4
        found = _KEYWORD_NUMBER.search(label)
        return "dec", str(found[0].count(".") + 1 if found else 1)
    if label[0].isdigit():
        if label.endswith(".") and label.count(".") == 1:
            return ".", "digit"  # "1." inside a point: a list, not a sub-clause number
        return "dec", str(label.rstrip(".").count(".") + 1)
    if label[0] == "(":
        form, core = "(", label[1:-1]
    else:
        form, core = label[-1], label[:-1]
    if core[0].isdigit():
        return form, "digit"
    roman = all(ch in _ROMAN for ch in core.lower())
    if len(core) == 1:
        kind = "either" if roman else "letter"
    elif len(set(core)) == 1:
        kind = "both" if roman else "double"
    else:
        kind = "roman"
    return form, kind.capitalize() if core.isupper() else kind


def _keyword(label: str) -> bool:
    """Whether a label is a keyword and a number (``Section 7.01``, ``§ 7.1``)."""
    return label[0] == "§" or (label[0].isalpha() and label[-1] not in ").")


def _core(label: str) -> str:
    return label.strip("().")


def _roman_value(core: str) -> int:
    total = 0
    core = core.lower()
    for k, ch in enumerate(core):
        v = _ROMAN.get(ch, 0)
        total += -v if k + 1 < len(core) and _ROMAN.get(core[k + 1], 0) > v else v
    return total


class _Open(NamedTuple):
    """An open level while labels are read: its style, indentation and last label's core."""

    style: tuple[str, str]
    indent: int | None
    last: str


def _next_letter(core: str) -> str:
    """The letter label after ``core`` in its own scheme: ``b`` after ``a``, ``bb`` after
    ``aa``."""
    return chr(ord(core[0]) + 1) * len(core)


def _resolve(found: list[Label], k: int, stack: list[_Open]) -> tuple[str, str]:
    """The style of label ``k`` when its core is both a letter and a roman numeral, read as
    the letters or numerals it continues, in its own case: ``(i)`` after ``(h)`` is a letter
    unless ``(ii)`` follows, after ``(iv)`` ``(v)`` is a numeral; ``(I)`` after ``(H)`` is a
    capital letter unless ``(II)`` follows; ``(ii)`` after ``(hh)`` a doubled letter."""
    form, kind = _style(found[k].text)
    if kind.lower() not in ("either", "both"):
        return form, kind
    upper = kind[0].isupper()
    letter = "letter" if kind.lower() == "either" else "double"
    letter, roman = (letter.capitalize(), "Roman") if upper else (letter, "roman")
    core = _core(found[k].text)
    continues_letter = any(
        o.style == (form, letter) and len(o.last) == len(core) and _next_letter(o.last) == core
        for o in stack
    )
    continues_roman = any(
        o.style == (form, roman) and _roman_value(o.last) + 1 == _roman_value(core) for o in stack
    )
    if continues_roman and not continues_letter:
        return form, roman
    first = "I" if upper else "i"
    if continues_letter:
        if core == first:
            # (not a slice of the rest: that would copy it for every such label)
            following = next(
                (
                    found[j]
                    for j in range(k + 1, len(found))
                    if _style(found[j].text)[0] == form and _core(found[j].text).isupper() == upper
                ),
                None,
            )
            if following is not None and _core(following.text) == first * 2:
                return form, roman
        return form, letter
    return form, roman if core == first or letter.lower() == "double" else letter


def _levels(found: list[Label]) -> list[int]:
    """The 0-based nesting level of each label."""
    # Decimal and keyword labels say their level themselves; the others' indentation counts
    # when it varies.
    indents = {
        lab.indent
        for lab in found
        if lab.indent is not None and not lab.text[0].isdigit() and not _keyword(lab.text)
    }
    by_indent = len(indents) > 1
    stack: list[_Open] = []
    out: list[int] = []
    for k, lab in enumerate(found):
        style = _resolve(found, k, stack)
        core = _core(lab.text)
        if style[0] == "dec":
            depth = int(style[1])
            keep = 0
            for pos, o in enumerate(stack):
                if o.style[0] == "dec" and int(o.style[1]) < depth:
                    keep = pos + 1
            del stack[keep:]
        elif by_indent and lab.indent is not None:
            # Indentation decides: pop deeper levels; an equal indent is a sibling.
            while stack and stack[-1].indent is not None and stack[-1].indent > lab.indent:
                stack.pop()
            if stack and stack[-1].indent == lab.indent and stack[-1].style[0] != "dec":
                stack.pop()
            else:
                # A level opened by a chain's later label (no indent of its own) is closed by
                # the next label of its style: "(a)(1) …" then "(2) …".
                at = next(
                    (p for p, o in enumerate(stack) if o.style == style and o.indent is None),
                    None,
                )
                if at is not None:
                    del stack[at:]
        else:
            at = next((pos for pos, o in enumerate(stack) if o.style == style), None)
            if at is not None:
                del stack[at:]
        del stack[MAX_DEPTH - 1 :]  # deeper still reads as a sibling of the deepest
        out.append(len(stack))
        stack.append(_Open(style, lab.indent, core))
    return out


def path_of(parent: str, label: str, bullet_ordinal: int = 0) -> str:
    """The path of an item labelled ``label`` under ``parent`` (see the module's path rules):
    a decimal or keyword label whose number extends the parent's last number replaces it, one
    that does not starts a numbering of its own after `` › ``; a bracketed label is appended,
    ``b)`` and ``b.`` become ``(b)``, a bare bullet is `` • n``."""
    if label == "•":
        return f"{parent} • {bullet_ordinal}"
    if label[0].isdigit() and label.count(".") == 1 and label.endswith("."):
        return f"{parent}({label[:-1]})"
    keyword = _keyword(label)
    if label[0].isdigit() or keyword:
        number = label.rstrip(".")
        if keyword:
            found = _KEYWORD_NUMBER.search(label)
            number = found[0] if found else number
        head, sep, last = parent.rpartition(" › ")
        if number.startswith(last + "."):
            return head + sep + number
        return f"{parent} › {number}"
    if label[0] == "(":
        return parent + label
    return f"{parent}({label[:-1]})"


def items(text: str, parent_path: str) -> tuple[Item, ...]:
    """The sub-items of a point's text as a tree; its paragraphs when it has no labels and
    more than one; empty otherwise. The text before the first label is the point's own."""
    found = labels(text)
    last = parent_path.rpartition(" › ")[2]
    if "." in last and any(_keyword(lab.text) for lab in found):
        found = [lab for lab in found if not _keyword(lab.text) or _below(lab.text, last)]
    if not found:
        return _paragraphs(text, parent_path)
    levels = _levels(found)
    # Each item runs to the next label at its level or above (children included).
    ends = [len(text)] * len(found)
    open_at: list[int] = []
    for k, level in enumerate(levels):
        while open_at and levels[open_at[-1]] >= level:
            ends[open_at.pop()] = found[k].start
        open_at.append(k)
    return _build(text, found, levels, ends, 0, len(found), 0, parent_path)


def _below(label: str, number: str) -> bool:
    """Whether a keyword label can stand inside a point numbered with the decimal ``number``:
    its number extends it or is deeper (a heading ``ARTICLE 2`` that a point ``1.02`` ran
    into, the layout leaving no blank line, is not its sub-item)."""
    found = _KEYWORD_NUMBER.search(label)
    own = found[0] if found else ""
    return own.startswith(number + ".") or own.count(".") > number.count(".")


def _build(
    text: str,
    found: list[Label],
    levels: list[int],
    ends: list[int],
    lo: int,
    hi: int,
    level: int,
    parent: str,
) -> tuple[Item, ...]:
    """The items at ``level`` among labels lo..hi, each with its children."""
    out: list[Item] = []
    bullets = 0
    k = lo
    while k < hi:
        child_end = k + 1
        while child_end < hi and levels[child_end] > level:
            child_end += 1
        lab = found[k]
        if lab.text == "•":
            bullets += 1
        path = path_of(parent, lab.text, bullets)
        out.append(
            Item(
                label=lab.text,
                path=path,
                level=level + 1,
                start=lab.start,
                end=ends[k],
                text=text[lab.body : ends[k]].strip(),
                children=_build(text, found, levels, ends, k + 1, child_end, level + 1, path),
            )
        )
        k = child_end
    return tuple(out)


def _paragraphs(text: str, parent: str) -> tuple[Item, ...]:
    """The blank-line-separated paragraphs of a text with no labels, when there are two or
    more."""
    if "\n" not in text:
        return ()
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(text):
        if text[start : m.start()].strip():
            spans.append((start, m.start()))
        start = m.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    if len(spans) < 2:
        return ()
    return tuple(
        Item(
            label=f"¶ {n}",
            path=f"{parent} ¶ {n}",
            level=1,
            start=s,
            end=e,
            text=text[s:e].strip(),
        )
        for n, (s, e) in enumerate(spans, start=1)
    )
