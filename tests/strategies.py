"""Every hypothesis strategy the property tests use, in one place.

Text comes in four kinds, mixed by :func:`any_text`:

* :func:`unicode_text`: arbitrary code points (no lone surrogates: they cannot be stored as UTF-8,
  so no file plandiff reads can hold one);
* :func:`markup_text`: words interleaved with fragments that mean something to a renderer or a
  terminal: rich markup, ANSI and OSC-8 escapes, C1 controls, bidi overrides, Markdown and XML
  specials, combining marks and emoji sequences (:data:`HOSTILE_FRAGMENTS`);
* :func:`control_text`: mostly control and format characters;
* :func:`plan_texts`: documents shaped like plans (a preamble, numbered or bulleted points in one
  of the styles :mod:`plandiff.segmentation` knows, a closing), in any line-ending convention, with
  hostile fragments mixed in.

:func:`point_lists` gives an old and a new list of point texts related by the edits a negotiation
makes (reword, drop, add, merge, split, move), so alignment has real correspondences to find.
:func:`registries` gives valid registries (sources with texts, versions whose anchors hold, a
lineage with curated relations) whose metadata is hostile text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from functools import cache

from hypothesis import strategies as st

from plandiff.anchors import make_anchor, occurrences, splits_character
from plandiff.models import (
    Anchor,
    Completeness,
    Event,
    PlanVersion,
    Point,
    PointStatus,
    Registry,
    Relation,
    RelationKind,
    Source,
    SourceAttribution,
    SourceCapture,
    Stance,
    Statement,
    text_key,
)

#: Fragments that a careless renderer would act on, or that break naive text handling.
HOSTILE_FRAGMENTS = (
    "\x1b[31m",  # ANSI colour
    "\x1b[0m",
    "\x1b[2J",  # clear screen
    "\x1b]8;;https://evil.example/\x1b\\",  # OSC-8 hyperlink start (ST-terminated)
    "\x1b]8;;\x07",  # OSC-8 end (BEL-terminated)
    "\x1b]0;pwned\x07",  # set window title
    "\x9b31m",  # C1 CSI
    "\x9d8;;x\x9c",  # C1 OSC … ST
    "\x07",
    "\x08",
    "\x7f",
    "\r",
    "\r\n",
    "\n",
    "\t",
    "\u202e",  # right-to-left override
    "\u2066",  # left-to-right isolate
    "\u200f",  # right-to-left mark
    "\u200b",  # zero-width space
    "\u200d",  # zero-width joiner
    "\ufeff",  # byte-order mark / zero-width no-break space
    "\u00a0",  # no-break space
    "\u2028",  # line separator
    "[bold]",
    "[/bold]",
    "[/]",
    "[link=https://evil.example]",
    ":smile:",
    "<script>alert(1)</script>",
    "</p>",
    "&amp;",
    "&lt;",
    "]]>",
    "<!--",
    "**",
    "_",
    "`",
    "|",
    "# ",
    "\\",
    "[x](javascript:alert(1))",
    "e\u0301",  # decomposed é
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",  # family: man, woman, girl (ZWJ sequence)
    "\U0001f44d\U0001f3fd",  # thumbs up with a skin tone
    "\U0001f1fa\U0001f1e6",  # flag (regional indicators)
    "مرحبا",
    "שלום",
    "Україна",
    "日本語",
)

#: Strategy factories are cached: building a strategy is far slower than drawing from it, and
#: the composite strategies below ask for the same ones many times per example.

#: Words of the domain, numbers and quantities, so redlines and substantive changes have work.
WORDS = (
    "Ukraine",
    "Russia",
    "United",
    "States",
    "ceasefire",
    "territory",
    "forces",
    "guarantees",
    "sanctions",
    "NATO",
    "Donbas",
    "Crimea",
    "referendum",
    "elections",
    "within",
    "days",
    "of",
    "the",
    "and",
    "shall",
    "will",
    "not",
    "be",
    "600,000",
    "800,000",
    "100",
    "3.5",
    "2025",
    "30%",
    "$100 billion",
    "20 November 2025",
    "60 days",
    "Ukraine's",
    "post-war",
    "zone",
    "demilitarised",
    "amnesty",
    "prisoners",
    "exchange",
    "nuclear",
    "plant",
    "Zaporizhzhia",
)


@cache
def words() -> st.SearchStrategy[str]:
    return st.sampled_from(WORDS)


@cache
def sentences(min_words: int = 1, max_words: int = 12) -> st.SearchStrategy[str]:
    """Plain sentences of domain words (no markers, no line breaks)."""
    return st.lists(words(), min_size=min_words, max_size=max_words).map(
        lambda ws: " ".join(ws) + "."
    )


@cache
def unicode_text(min_size: int = 0, max_size: int = 200) -> st.SearchStrategy[str]:
    """Arbitrary code points, lone surrogates excepted."""
    return st.text(st.characters(exclude_categories=("Cs",)), min_size=min_size, max_size=max_size)


@cache
def markup_text(max_parts: int = 20) -> st.SearchStrategy[str]:
    """Words and spaces interleaved with :data:`HOSTILE_FRAGMENTS`."""
    part = st.one_of(st.sampled_from(HOSTILE_FRAGMENTS), words(), st.just(" "))
    return st.lists(part, max_size=max_parts).map("".join)


@cache
def control_text(max_size: int = 60) -> st.SearchStrategy[str]:
    """Mostly control, format and separator characters, with a few letters between."""
    return st.text(
        st.one_of(
            st.characters(categories=("Cc", "Cf", "Zl", "Zp", "Zs", "Mn")),
            st.sampled_from("ab1. "),
        ),
        max_size=max_size,
    )


@cache
def any_text(max_size: int = 200) -> st.SearchStrategy[str]:
    """One of every kind of text above, plan-shaped documents included."""
    return st.one_of(
        unicode_text(max_size=max_size), markup_text(), control_text(), plan_texts(max_points=8)
    )


def without(chars: str, strategy: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """The strings of ``strategy`` with every character of ``chars`` removed."""
    table = str.maketrans("", "", chars)
    return strategy.map(lambda s: s.translate(table))


# --------------------------------------------------------------------------- plan texts

#: Point-marker styles, as format strings of the number ('{n}'); bullets have none.
MARKER_STYLES = (
    "{n}.",
    "{n})",
    "({n})",
    "Article {n}",
    "Article {n} –",
    "Point {n}:",
    "Section {n}.",
    "§ {n}",
    "**{n}.**",
    "## Article {n}",
    "-",
    "*",
    "•",
    "–",
)
CLOSINGS = ("Signed, for the parties.", "---", "Done at Geneva.", "Sources: Axios, Reuters.")


@st.composite
def plan_texts(draw: st.DrawFn, max_points: int = 12, hostile: bool = True) -> str:
    """A plan-shaped document in one marker style, line-ending convention and indentation."""
    style = draw(st.sampled_from(MARKER_STYLES))
    newline = draw(st.sampled_from(("\n", "\r\n", "\r", "\n\n")))
    indent = draw(st.sampled_from(("", "  ", "\t", "\u00a0", "\u200b", "\ufeff")))
    count = draw(st.integers(0, max_points))
    start = draw(st.sampled_from((1, 1, 1, 0, 2)))
    numbers = list(range(start, start + count))
    if count > 2 and draw(st.booleans()):  # a gap, a repeat or a swap
        i = draw(st.integers(1, count - 1))
        numbers[i] = draw(st.sampled_from((numbers[i] + 1, numbers[i - 1], 1)))
    body = st.one_of(sentences(), markup_text(8)) if hostile else sentences()
    lines = []
    if draw(st.booleans()):
        lines.append(draw(sentences(3, 20)))
    for n in numbers:
        marker = style.format(n=n)
        lines.append(f"{indent}{marker} {draw(body)}")
        if draw(st.integers(0, 5)) == 0:  # a sub-item or a continuation line
            lines.append(
                indent + draw(st.sampled_from(("  a) ", "    - ", "", "  (i) "))) + draw(body)
            )
    if draw(st.booleans()):
        lines.append(draw(st.one_of(st.sampled_from(CLOSINGS), sentences(3, 20))))
    text = newline.join(lines)
    if hostile and draw(st.integers(0, 3)) == 0:  # a few fragments anywhere, even mid-marker
        for _ in range(draw(st.integers(1, 3))):
            at = draw(st.integers(0, len(text)))
            text = text[:at] + draw(st.sampled_from(HOSTILE_FRAGMENTS)) + text[at:]
    return text


# --------------------------------------------------------------------------- point lists


@st.composite
def point_lists(draw: st.DrawFn, max_points: int = 14) -> tuple[list[str], list[str]]:
    """An old and a new list of point texts related by a negotiation's edits."""
    texts = st.one_of(sentences(2, 14), sentences(2, 14), markup_text(6), unicode_text(0, 30))
    old = draw(st.lists(texts, max_size=max_points))
    new: list[str] = []
    i = 0
    while i < len(old):
        op = draw(st.sampled_from(("keep", "keep", "reword", "drop", "add", "merge", "split")))
        if op == "keep":
            new.append(old[i])
        elif op == "reword":
            ws = old[i].split(" ")
            k = draw(st.integers(0, max(0, len(ws) - 1)))
            ws[k : k + 1] = [draw(words())]
            new.append(" ".join(ws))
        elif op == "add":
            new += [draw(texts), old[i]]
        elif op == "merge" and i + 1 < len(old):
            new.append(old[i] + " " + old[i + 1])
            i += 1
        elif op == "split" and len(old[i]) > 4:
            cut = len(old[i]) // 2
            new += [old[i][:cut], old[i][cut:]]
        i += 1
    if len(new) > 1 and draw(st.booleans()):  # a move
        a, b = draw(st.integers(0, len(new) - 1)), draw(st.integers(0, len(new) - 1))
        new.insert(b, new.pop(a))
    if draw(st.integers(0, 5)) == 0:  # repeated texts ("Repealed.") make ties
        old += ["Repealed."] * draw(st.integers(1, 3))
        new += ["Repealed."] * draw(st.integers(1, 3))
    return old, new


# --------------------------------------------------------------------------- quotes in texts


def whole_characters(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen ``start..end`` so that neither end cuts a character (combining mark, emoji)."""
    while splits_character(text, start):
        start -= 1
    while splits_character(text, end):
        end += 1
    return start, end


@st.composite
def quoted_texts(draw: st.DrawFn) -> tuple[str, int, int]:
    """A text and the span of a quote in it that occurs there exactly once, whole characters."""
    text = draw(
        st.one_of(unicode_text(1, 300), markup_text(30), plan_texts(max_points=6)).filter(bool)
    )
    start = draw(st.integers(0, len(text) - 1))
    end = draw(st.integers(start + 1, min(len(text), start + 60)))
    start, end = whole_characters(text, start, end)
    # Grow the quote until it is unique (at most to the whole text, which is unique).
    while occurrences(text, text[start:end]) != [start]:
        if end < len(text):
            end += 1
        elif start > 0:
            start -= 1
        start, end = whole_characters(text, start, end)
    return text, start, end


# --------------------------------------------------------------------------- registries

IDENTS = st.from_regex(r"\A[A-Za-z0-9][A-Za-z0-9._-]{0,20}\Z", fullmatch=True)
DATES = st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))


@cache
def metadata(required: bool = False) -> st.SearchStrategy[str | None]:
    """A free-text field: hostile text, never empty (the files leave empty values out)."""
    text = st.one_of(markup_text(10), unicode_text(1, 40), sentences()).filter(bool)
    return text if required else st.one_of(st.none(), text)


@cache
def _source_text() -> st.SearchStrategy[str]:
    # What a loaded source can hold: NUL marks a binary file and is refused, a leading BOM is
    # dropped on reading and an empty file is refused; everything else is a valid source text.
    texts = without("\x00", st.one_of(markup_text(40), unicode_text(1, 400), plan_texts()))
    return texts.map(lambda t: t.lstrip("\ufeff")).filter(bool)


@st.composite
def anchors_in(draw: st.DrawFn, texts: dict[str, str], max_size: int = 2) -> tuple[Anchor, ...]:
    out = []
    for _ in range(draw(st.integers(1, max_size))):
        key = sorted(texts)[draw(st.integers(0, len(texts) - 1))]
        text = texts[key]
        start = draw(st.integers(0, len(text) - 1))
        end = draw(st.integers(start + 1, min(len(text), start + 40)))
        start, end = whole_characters(text, start, end)
        # "<id>@<n>" is earlier capture n of source <id> (plandiff.models.text_key)
        source, _, number = key.partition("@")
        anchor = make_anchor(source, text, start, end)
        if number:
            anchor = anchor.model_copy(update={"capture": int(number)})
        stance = draw(st.sampled_from(Stance))
        out.append(
            anchor if stance is Stance.SUPPORT else anchor.model_copy(update={"stance": stance})
        )
    return tuple(out)


@st.composite
def registries(draw: st.DrawFn, max_sources: int = 3, max_versions: int = 4) -> Registry:
    """A valid registry: every anchor holds, lineage is acyclic, relations name real points."""
    source_ids = draw(st.lists(IDENTS, min_size=1, max_size=max_sources, unique_by=str.casefold))
    texts = {sid: draw(_source_text()) for sid in source_ids}
    # Earlier captures (kept by recaptures), oldest first, each with its text under text_key.
    earlier: dict[str, tuple[SourceCapture, ...]] = {}
    for sid in source_ids:
        kept = []
        for n in range(1, draw(st.integers(0, 2)) + 1):
            texts[text_key(sid, n)] = draw(_source_text())
            kept.append(
                SourceCapture(
                    retrieved=draw(st.one_of(st.none(), DATES)),
                    path=f"sources/{sid}.capture-{n}.txt",
                    sha256=hashlib.sha256(texts[text_key(sid, n)].encode("utf-8")).hexdigest(),
                )
            )
        earlier[sid] = tuple(kept)
    sources = tuple(
        Source(
            id=sid,
            title=draw(metadata()),
            outlet=draw(metadata()),
            url=draw(
                st.one_of(st.none(), st.just("https://example.org/a?b=1&c=<d>"), metadata(True))
            ),
            published=draw(st.one_of(st.none(), DATES)),
            author=draw(metadata()),
            language=draw(st.sampled_from((None, "en", "uk", "ar"))),
            path=f"sources/{sid}.txt",
            sha256=hashlib.sha256(texts[sid].encode("utf-8")).hexdigest(),
            note=draw(metadata()),
            attribution=draw(st.one_of(st.none(), st.sampled_from(SourceAttribution))),
            reliability=draw(metadata()),
            retrieved=draw(st.one_of(st.none(), DATES)) if earlier[sid] else None,
            captures=earlier[sid],
        )
        for sid in source_ids
    )
    version_ids = draw(st.lists(IDENTS, min_size=0, max_size=max_versions, unique_by=str.casefold))
    versions: list[PlanVersion] = []
    for n, vid in enumerate(version_ids):
        points = tuple(
            Point(
                key=f"p{i}",
                number=draw(st.one_of(st.none(), st.integers(0, 40))),
                text=text,
                summary=draw(metadata(required=text is None)),
                topics=tuple(
                    draw(st.lists(st.sampled_from(("territory", "army", "[red]")), max_size=2))
                ),
                evidence=draw(anchors_in(texts)),
                status=draw(st.sampled_from((None, PointStatus.BRACKETED))),
            )
            for i, text in enumerate(draw(st.lists(metadata(), max_size=5)))
        )
        parent = versions[n - 1] if n and draw(st.booleans()) else None
        relations: tuple[Relation, ...] = ()
        if parent is not None and parent.points and not points and draw(st.booleans()):
            # A deferred point: an old side only, with who decides and where, when reported.
            relations = (
                Relation(
                    kind=RelationKind.DEFERRED,
                    old=(draw(st.sampled_from(parent.points)).key,),
                    evidence=draw(anchors_in(texts, 1)),
                    decided_by=draw(metadata()),
                    decide_at=draw(metadata()),
                ),
            )
        elif parent is not None and parent.points and points and draw(st.booleans()):
            old, new = draw(st.sampled_from(parent.points)), draw(st.sampled_from(points))
            relations = (
                Relation(
                    kind=RelationKind.REWORDED,
                    old=(old.key,),
                    new=(new.key,),
                    evidence=draw(anchors_in(texts, 1)),
                    note=draw(metadata()),
                ),
            )
        versions.append(
            PlanVersion(
                id=vid,
                title=draw(metadata(required=True)),
                declared_points=draw(st.one_of(st.none(), st.integers(0, 100))),
                date=draw(st.one_of(st.none(), DATES)),
                issuer=tuple(draw(st.lists(metadata(True), max_size=2))),
                parties=tuple(draw(st.lists(metadata(True), max_size=2))),
                derived_from=parent.id if parent else None,
                completeness=draw(st.sampled_from(Completeness)),
                evidence=draw(st.one_of(st.just(()), anchors_in(texts))),
                statements=tuple(
                    Statement(text=t, evidence=draw(anchors_in(texts, 1)))
                    for t in draw(st.lists(metadata(True), max_size=2))
                ),
                events=tuple(
                    Event(
                        date=draw(DATES),
                        what=w,
                        evidence=draw(anchors_in(texts, 1)),
                    )
                    for w in draw(st.lists(metadata(True), max_size=2))
                ),
                points=points,
                relations=relations,
                note=draw(metadata()),
            )
        )
    return Registry(sources=sources, versions=tuple(versions), texts=texts)


# --------------------------------------------------------------------------- nested documents

#: The label styles of a generated sub-item level: decimal (``7.1``; ``7.1.2`` one level
#: further), bracketed letters, roman numerals and digits, ``a)`` letters, and dash bullets.
NESTED_STYLES = ("(a)", "(i)", "(1)", "a)", "-")
_ROMANS = ("i", "ii", "iii", "iv")
_BODY_WORDS = (
    "supplier", "customer", "shall", "pay", "fees", "within", "days", "of", "receipt",
    "notice", "3.5", "million", "section", "4.2", "the", "act", "premises", "kept", "clean",
)  # fmt: skip

#: A generated item: its body (one line, capitalised) and its children.
NestedNode = tuple[str, list["NestedNode"]]


@st.composite
def nested_nodes(draw: st.DrawFn, depth: int, max_items: int = 4) -> list[NestedNode]:
    """Items of ``depth`` more levels: at most 4 a level (letters stay before ``(h)``, where
    ``(i)`` would continue them, and a roman list has two items or more)."""
    if depth == 0:
        return []
    count = draw(st.integers(1, max_items))
    nodes: list[NestedNode] = []
    for _ in range(count):
        words = draw(st.lists(st.sampled_from(_BODY_WORDS), min_size=2, max_size=8))
        # A capital first (a decimal label is told from "3.5 million" by what follows it).
        body = "The " + " ".join(words) + draw(st.sampled_from((";", ".", "")))
        nodes.append(
            (body, draw(nested_nodes(depth - 1, max_items)) if draw(st.booleans()) else [])
        )
    return nodes


@st.composite
def nested_points(
    draw: st.DrawFn, numbers: tuple[str, ...] = ("7", "12", "Schedule 1 › 3")
) -> tuple[str, str, list[tuple[str, int, str]]]:
    """A point's text with nested sub-items, its path (one of ``numbers``), and each item's
    (label as written, level, path) in document order: what :func:`plandiff.tree.items` must
    read back."""
    number = draw(st.sampled_from(numbers))
    last = number.rpartition(" › ")[2]
    depth = draw(st.integers(1, 3))
    decimal = draw(st.integers(0, min(depth, 2)))  # how many levels are decimal, from the top
    others = draw(st.permutations(NESTED_STYLES))[: depth - decimal]
    styles = ["dec"] * decimal + list(others)
    indented = draw(st.booleans())
    nodes = draw(nested_nodes(depth))
    if "(i)" in styles:  # a roman list has two items or more
        nodes = _romans_of_two(nodes, styles.index("(i)"))
    lines = [draw(st.sampled_from(("PAYMENT", "The parties agree:", "")))]
    expected: list[tuple[str, int, str]] = []

    def render(items: list[NestedNode], level: int, parent: str, number_path: str) -> None:
        style = styles[level - 1]
        for k, (body, children) in enumerate(items):
            path_label = number_path
            if style == "dec":
                label = path_label = f"{number_path}.{k + 1}"
                path = number.rpartition(" › ")[0] + (" › " if " › " in number else "") + label
            elif style == "-":
                label, path = "•", f"{parent} • {k + 1}"
            else:
                core = {"(a)": "abcdefg"[k], "(i)": _ROMANS[k], "(1)": str(k + 1)}.get(
                    style, "abcdefg"[k]
                )
                label = f"({core})" if style != "a)" else f"{core})"
                path = f"{parent}({core})"
            indent = "  " * (level - 1) if indented else ""
            written = "- " if style == "-" else label + " "
            lines.append(f"{indent}{written}{body}")
            expected.append((label, level, path))
            if children and level < len(styles):
                render(children, level + 1, path, path_label)

    render(nodes, 1, number, last)
    return "\n".join(lines), number, expected


def _romans_of_two(nodes: list[NestedNode], level: int) -> list[NestedNode]:
    """``nodes`` with every non-empty list at ``level`` (0-based) given a second item."""
    if level == 0:
        return nodes if len(nodes) >= 2 else [*nodes, ("Second item", [])]
    return [
        (body, _romans_of_two(children, level - 1) if children else []) for body, children in nodes
    ]


@st.composite
def nested_document_pairs(draw: st.DrawFn, max_clauses: int = 4) -> tuple[str, str]:
    """An old and a new contract of numbered clauses with nested sub-items, the new one made
    by editing the old one's lines: rewording, dropping, inserting, and moving a line to
    another clause."""
    count = draw(st.integers(1, max_clauses))
    clauses = [draw(nested_points((str(k),)))[0].split("\n") for k in range(1, count + 1)]
    edited = [list(lines) for lines in clauses]
    for _ in range(draw(st.integers(0, 6))):
        k = draw(st.integers(0, count - 1))
        lines = edited[k]
        at = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(("reword", "drop", "insert", "move")))
        if edit == "reword":
            lines[at] += " " + draw(st.sampled_from(_BODY_WORDS))
        elif edit == "drop" and len(lines) > 1:
            del lines[at]
        elif edit == "insert":
            lines.insert(at + 1, lines[at] + " and more")
        elif edit == "move" and len(lines) > 1:
            edited[draw(st.integers(0, count - 1))].append(lines.pop(at))

    def document(bodies: list[list[str]]) -> str:
        return "\n\n".join(f"{k}. " + "\n".join(lines) for k, lines in enumerate(bodies, start=1))

    return document(clauses), document(edited)
