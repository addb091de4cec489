"""The structure inside one point's text: its sub-items (``7.1``, ``(b)``, ``(ii)``, ``a)``,
``1.``, indented bullets) as a tree, or its paragraphs when it has no labelled sub-items.

Each item knows its label as written, its path as a reader names it (``7.1(b)(ii)``,
``Schedule 1 › 3.2``, ``7 ¶ 2``), its level below the point, its span in the point's text and
the text it is compared by (its body without its label, its children included).

Nesting is read the way a reader reads it: a decimal label's depth says its level (``7.1.2``
sits under ``7.1``); where the labels are indented differently, the indentation says it;
otherwise the order in which label styles first appear does (a new style opens a level below,
a style already open closes the levels below it). ``(i)`` right after ``(h)`` continues the
letters, as ``(v)`` after ``(u)`` and ``(x)`` after ``(w)`` do, unless ``(ii)`` follows it.

Pure and linear: labels are tried only at line starts, and after a colon or semicolon (where
legal texts run their sub-items into one paragraph: "as follows: (a) …; (b) …").
"""

from __future__ import annotations

import re
from typing import NamedTuple

import msgspec

__all__ = ["MAX_DEPTH", "Item", "Label", "items", "labels", "path_of", "plain"]

#: A label at the start of a line (after any indent and bullet); tried only at line starts.
#: A bullet with no label after it is an unlabelled item of its own.
_LINE_LABEL = re.compile(
    r"""
    (?P<indent>[ \t]*)(?:(?P<bullet>[-*•])[ \t]+)?(?P<label>
        \((?:[a-z]|[ivxlc]{1,6}|\d{1,3}[a-z]?)\)(?=[ \t])     # (b)  (ii)  (3)  (3a)
      | (?:[a-z]|[ivxlc]{1,6})\)(?=[ \t])                     # b)  ii)
      | [a-zA-Z]\.(?=[ \t])                                   # b.  B.
      | \d{1,3}(?:\.\d{1,3})+\.(?=[ \t])                      # 4.3.
      | \d{1,3}(?:\.\d{1,3})+(?=[ \t]+["'“(A-Z])              # 4.3 The (not 3.5 million)
      | \d{1,3}\.(?=[ \t])                                   # 1.  (a numbered list inside)
    )?
    """,
    re.VERBOSE,
)
#: A bracketed label run into a paragraph after a colon or semicolon: "as follows: (a) …".
#: It opens with the punctuation, so re scans for that character before trying the rest.
_INLINE_LABEL = re.compile(r"[:;][ \t](\((?:[a-z]|[ivxlc]{1,6}|\d{1,3})\))(?=[ \t])")

#: The deepest level read: a text indented a step further on each of thousands of lines is
#: hostile, not a contract, and its tree must not exhaust the stack of the code that walks it.
MAX_DEPTH = 16

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
    return m is None or not (m["label"] or m["bullet"])


def labels(text: str) -> list[Label]:
    """Every label of ``text`` in order: at line starts, and run in after ``:`` or ``;``."""
    found: list[Label] = []
    start = 0
    while True:
        m = _LINE_LABEL.match(text, start)
        if m is not None and (m["label"] or m["bullet"]):
            body = m.end()
            if m["label"] is None:
                found.append(Label("•", m.start("bullet"), body, len(m["indent"])))
            else:
                found.append(Label(m["label"], m.start("label"), body, len(m["indent"])))
        at = text.find("\n", start)
        if at < 0:
            break
        start = at + 1
    if "(" in text:
        inline = [Label(m[1], m.start(1), m.end(1), None) for m in _INLINE_LABEL.finditer(text)]
        if inline:
            # A line label holds no colon and an inline one never starts a line: no overlap.
            found = sorted(found + inline, key=lambda lab: lab.start)
    return found


def _style(label: str) -> tuple[str, str]:
    """(form, kind) of a label, before letters and roman numerals are told apart:
    form ``(``, ``)``, ``.``, ``dec`` or ``•``; kind ``digit``, ``letter``, ``upper``,
    ``roman``, ``either`` (a single letter that is also a roman numeral) or a decimal depth."""
    if label == "•":
        return "•", ""
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
    if core.isupper():
        return form, "upper"
    if len(core) == 1:
        return form, "either" if core in _ROMAN else "letter"
    return form, "roman"


def _core(label: str) -> str:
    return label.strip("().")


def _roman_value(core: str) -> int:
    total = 0
    for k, ch in enumerate(core):
        v = _ROMAN.get(ch, 0)
        total += -v if k + 1 < len(core) and _ROMAN.get(core[k + 1], 0) > v else v
    return total


class _Open(NamedTuple):
    """An open level while labels are read: its style, indentation and last label's core."""

    style: tuple[str, str]
    indent: int | None
    last: str


def _resolve(found: list[Label], k: int, stack: list[_Open]) -> tuple[str, str]:
    """The style of label ``k``, a single letter that is also a roman numeral read as the
    letters or numerals it continues (``(i)`` after ``(h)`` is a letter unless ``(ii)``
    follows; after ``(iv)`` it is ``(v)``)."""
    form, kind = _style(found[k].text)
    if kind != "either":
        return form, kind
    core = _core(found[k].text)
    continues_letter = any(
        o.style == (form, "letter") and len(o.last) == 1 and ord(o.last) + 1 == ord(core)
        for o in stack
    )
    continues_roman = any(
        o.style == (form, "roman") and _roman_value(o.last) + 1 == _roman_value(core) for o in stack
    )
    if continues_roman and not continues_letter:
        return form, "roman"
    if continues_letter:
        if core == "i":
            following = next((lab for lab in found[k + 1 :] if _style(lab.text)[0] == form), None)
            if following is not None and _core(following.text) == "ii":
                return form, "roman"
        return form, "letter"
    return form, "roman" if core == "i" else "letter"


def _levels(found: list[Label]) -> list[int]:
    """The 0-based nesting level of each label."""
    # Decimal labels say their level themselves; the others' indentation counts when it varies.
    indents = {lab.indent for lab in found if lab.indent is not None and not lab.text[0].isdigit()}
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
            at = next((pos for pos, o in enumerate(stack) if o.style == style), None)
            if at is not None:
                del stack[at:]
        del stack[MAX_DEPTH - 1 :]  # deeper still reads as a sibling of the deepest
        out.append(len(stack))
        stack.append(_Open(style, lab.indent, core))
    return out


def path_of(parent: str, label: str, bullet_ordinal: int = 0) -> str:
    """The path of an item labelled ``label`` under ``parent`` (see the path format): a
    decimal label extending the parent's last number replaces it, a bracketed one is
    appended, ``b)`` and ``b.`` become ``(b)``, a bare bullet is `` • n``."""
    if label == "•":
        return f"{parent} • {bullet_ordinal}"
    if label[0].isdigit() and label.count(".") == 1 and label.endswith("."):
        return f"{parent}({label[:-1]})"
    if label[0].isdigit():
        number = label.rstrip(".")
        head, sep, last = parent.rpartition(" › ")
        if number.startswith(last + "."):
            return head + sep + number
        return f"{parent} {number}"
    if label[0] == "(":
        return parent + label
    return f"{parent}({label[:-1]})"


def items(text: str, parent_path: str) -> tuple[Item, ...]:
    """The sub-items of a point's text as a tree; its paragraphs when it has no labels and
    more than one; empty otherwise. The text before the first label is the point's own."""
    found = labels(text)
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
