"""A Markdown report of a :class:`~plandiff.result.DiffResult` that reads well on GitHub.

A summary table, then one section per change with the redline as ``~~deleted~~`` and
``**inserted**`` text, then the evidence as block quotes with links to the sources.

Plan and article text is data: every Markdown-special character in it is backslash-escaped, so
an article containing ``[text](javascript:…)``, ``<script>``, ``**`` or ``# heading`` is shown as
written and cannot add links, HTML or formatting. Control characters are made visible first. A
source address becomes a link only when it is an ``http``/``https`` URL.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Sequence
from typing import assert_never
from urllib.parse import quote

from plandiff.kinds import KindFilter
from plandiff.links import web_link
from plandiff.records import Completeness
from plandiff.render import citing, known_words, reflow, wording
from plandiff.result import (
    SOURCES_DISAGREE,
    Change,
    ChangeKind,
    DiffResult,
    EvidenceRef,
    NestedChange,
    PartChange,
    PointRef,
    Redline,
    RedlineOp,
    Substantive,
    VersionSummary,
)
from plandiff.text import visible

__all__ = ["escape", "known_box", "line_start", "link", "marked", "redline", "render"]

#: ASCII punctuation that can open or close Markdown or HTML syntax anywhere in a line, in
#: CommonMark or in GitHub's extensions (tables, strikethrough, math). Escaping ``[`` and ``]``
#: is enough to stop links and images; ``<`` stops HTML and ``<…>`` autolinks, ``&`` entities.
_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~&$])")
#: Bare addresses that GitHub would turn into links: ``http://…``, ``www.…``.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z0-9])(:)(?=//)|(?<=\bwww)(\.)")
#: What starts a block when it begins a line: a list item, a setext underline, an ordered item.
_BLOCK_START = re.compile(r"^([-+=])|^(\d{1,9})([.)])")


def escape(value: object) -> str:
    """Untrusted text as literal Markdown: controls visible, specials escaped, one line.

    Line breaks become ``<br>`` (our own markup) so a line of the text cannot start a heading,
    a list or a quote, and the text fits a table cell or a block quote.
    """
    text = visible("" if value is None else str(value).replace("\r\n", "\n"))
    return "<br>".join(_escape_inline(line) for line in text.split("\n"))


def _escape_inline(text: str) -> str:
    text = _SPECIAL.sub(r"\\\1", text)
    return _AUTOLINK.sub(lambda m: "\\" + m.group(), text)


def line_start(markdown: str) -> str:
    """Escaped text made safe to begin a line: no leading indent, no list or heading marker."""
    stripped = markdown.lstrip(" \t")
    return _BLOCK_START.sub(
        lambda m: "\\" + m.group(1) if m.group(1) else f"{m.group(2)}\\{m.group(3)}", stripped
    )


def escape_line(value: object) -> str:
    """A single-line field (id, title): whitespace runs as one space, then :func:`escape`."""
    return escape(" ".join(str(value).split()))


def link(label: str, url: str | None) -> str:
    """``[label](<url>)`` for a URL that :func:`plandiff.links.web_link` accepts; otherwise the
    escaped label (and the URL as text).

    ``label`` is already escaped. The URL is percent-encoded where Markdown would read it as
    syntax, so it cannot close the link early.
    """
    if not url:
        return label
    address = web_link(url)
    if address is None:
        return f"{label} ({escape_line(url)})"
    safe = quote(address, safe="/:?#[]@!$&'*+,;=%-._~")
    safe = safe.replace("(", "%28").replace(")", "%29").replace("<", "%3C").replace(">", "%3E")
    return f"[{label}](<{safe}>)"


#: What the marks of a redline mean, once per report: bold is inserted text and nothing else
#: (a point's number is plain, a changed figure is listed in words under its change).
LEGEND = (
    "*Key:* ~~struck through~~ (or <del>struck</del>) is deleted text, **bold** (or "
    "<ins>underlined</ins>) is inserted text; changed figures are listed under each change."
)


def render(
    result: DiffResult,
    *,
    show_unchanged: bool = False,
    kinds: KindFilter | None = None,
    show_unreported: bool = False,
    full: bool = False,
    locations: bool = False,
) -> str:
    """The report as Markdown text; unchanged points are counted, or listed with
    ``show_unchanged``. ``kinds`` shows only the changes of those kinds (the header, the
    counts and the sources stay whole). Unreported points are listed in one line per side
    after the changes, or shown each with ``show_unreported`` (or when ``kinds`` asks).
    ``full`` shows the whole new text as amended instead of the changes
    (:mod:`~plandiff.render.full`). ``locations`` shows where each point of a plan file stands
    in it."""
    notes = citing.Footnotes()
    moves = wording.points_as_items(result)
    lines = list(_header(result, notes, moves))
    # Warnings come first: a numbering slip is read before thousands of lines, not after.
    if result.warnings:
        lines += ["## Warnings", ""]
        lines += [f"- {line_start(escape(w))}" for w in result.warnings]
        lines.append("")
    if full:
        from plandiff.render import full as full_view

        if kinds is not None:
            lines += [f"*{escape_line(kinds.phrase(result))}*", ""]
        lines += full_view.markdown_lines(result, kinds=kinds, show_unreported=show_unreported)
        return "\n".join([*lines, *_sources(notes)]).rstrip("\n") + "\n"
    lines.append("## Changes")
    lines.append("")
    if kinds is not None:
        lines += [f"*{escape_line(kinds.phrase(result))}*", ""]
    before, after = wording.place_parts(result)
    hidden: list[Change] = []
    folded: list[Change] = []
    for i, change in enumerate(result.changes):
        for part in before.get(i, ()):
            if kinds is None or kinds.shows_part(part):
                lines += _part(part, show_unchanged)
        if kinds is not None:  # only the kinds asked for; the counts above cover the rest
            if kinds.matches(change):
                lines += _change(change, result, notes, moves, locations)
            continue
        if change.kind is ChangeKind.UNREPORTED and not show_unreported:
            folded.append(change)
            continue
        quiet = change.kind is ChangeKind.UNCHANGED and not change.moved
        if quiet and not change.heading_moved and not show_unchanged:
            hidden.append(change)
            continue
        if hidden:
            lines += [f"*{escape_line(wording.collapsed_phrase(hidden))} not shown*", ""]
            hidden = []
        lines += _change(change, result, notes, moves, locations)
    if hidden:
        lines += [f"*{escape_line(wording.collapsed_phrase(hidden))} not shown*", ""]
    for line in wording.unreported_phrases(result, folded):
        lines += [f"*{escape_line(line)}*", ""]
    for part in after:
        if kinds is None or kinds.shows_part(part):
            lines += _part(part, show_unchanged)
    method = wording.settings_phrase(result)
    if method:
        lines += [f"*{escape_line(method)}*", ""]
    lines += _sources(notes)
    return "\n".join(lines).rstrip("\n") + "\n"


def _cut(version: VersionSummary) -> str:
    """How a text side was cut into points, or a dash for a registry version."""
    cut = version.segmentation
    return escape_line(cut.description) if cut is not None else "—"


def _header(
    result: DiffResult, notes: citing.Footnotes, moves: wording.PointsAsItems
) -> Iterator[str]:
    old, new = result.old, result.new
    yield f"# {escape_line(old.id)} → {escape_line(new.id)}"
    yield ""
    yield "| | Old | New |"
    yield "|---|---|---|"
    rows: list[tuple[str, str, str]] = [
        ("Version", escape_line(old.id), escape_line(new.id)),
        ("Title", escape_line(old.title), escape_line(new.title)),
        ("Date", _date(old), _date(new)),
        (
            "Issuer",
            escape_line(", ".join(old.issuer)) or "—",
            escape_line(", ".join(new.issuer)) or "—",
        ),
        ("Points", escape_line(wording.known_phrase(old)), escape_line(wording.known_phrase(new))),
        ("Text", old.completeness.value, new.completeness.value),
        ("Derived from", _derived(old), _derived(new)),
    ]
    if old.segmentation is not None or new.segmentation is not None:
        rows.append(("Cut", _cut(old), _cut(new)))
    for name, a, b in rows:
        yield f"| {name} | {a} | {b} |"
    yield ""
    yield from known_box(result)
    counts = result.summary()
    yield "| Change | Count |"
    yield "|---|---:|"
    for kind in ChangeKind:
        yield f"| {kind.value} | {counts[kind.value]} |"
    yield f"| moved | {counts['moved']} |"
    if counts[SOURCES_DISAGREE]:
        yield f"| {wording.DISAGREE} | {counts[SOURCES_DISAGREE]} |"
    went, came = wording.points_as_items_counts(result, moves)
    if went:
        yield f"| removed points now sub-items | {went} |"
    if came:
        yield f"| added points that were sub-items | {came} |"
    inside = wording.nested_count(result)
    if inside:
        yield f"| sub-item changes | {inside} |"
    yield ""
    if result.has_differences:
        yield LEGEND
        yield ""
    for label, version in (("Old", old), ("New", new)):
        if version.evidence:
            yield f"{label} version, as reported:"
            yield ""
            for e in version.evidence:
                yield from _quote(e, notes, ())


def known_box(result: DiffResult) -> Iterator[str]:
    """What is known, in plain words: the count line in bold, then the rest as a list."""
    first, *rest = known_words.known_lines(result)
    yield f"**{escape_line(first)}**"
    yield ""
    if rest:
        yield from (f"- {escape_line(line)}" for line in rest)
        yield ""


def _date(v: VersionSummary) -> str:
    return v.date.isoformat() if v.date else "unknown"


def _derived(v: VersionSummary) -> str:
    return escape_line(v.derived_from) if v.derived_from else "—"


def _change(
    change: Change,
    result: DiffResult,
    notes: citing.Footnotes,
    moves: wording.PointsAsItems,
    locations: bool = False,
) -> list[str]:
    flags = "".join(f", {f}" for f in wording.change_flags(change))
    where = wording.point_as_item_phrase(change, moves)
    if where:
        flags += " " + escape_line(where)
    head = f"### {escape_line(wording.change_label(change))} · {change.kind.value}{flags}"
    lines = [head, "", f"*{escape(wording.basis_phrase(change))}*", ""]
    context = wording.heading_context(change)
    if context:
        lines += [f"*{escape_line(context)}*", ""]
    touched = wording.subitems_phrase(change)
    if touched:
        lines += [f"*{escape_line(touched)}*", ""]
    if wording.case_only(change):
        lines += ["*letter case only*", ""]
    lines += _body(change, result)
    lines += _figures(change.substantive)
    lines += [f"- {escape_line(wording.bracket_phrase(b))}" for b in change.brackets]
    lines += [""] if change.brackets else []
    lines += _nested(change)
    if change.note:
        lines += [f"*Note:* {escape(change.note)}", ""]
    for e in change.evidence:
        if locations or not citing.file_location(e, change, result):
            lines += _quote(e, notes, citing.quoted_side(e, change))
    return lines


def _body(change: Change, result: DiffResult) -> list[str]:
    match change.kind:
        case ChangeKind.UNCHANGED:
            return [_points(change.new, None), ""]
        case ChangeKind.REWORDED | ChangeKind.MERGED | ChangeKind.SPLIT:
            lines = []
            if change.kind is not ChangeKind.REWORDED:
                many = change.old if change.kind is ChangeKind.MERGED else change.new
                what = "Merged from" if change.kind is ChangeKind.MERGED else "Split into"
                lines += [f"{what} points {escape_line(wording.side_label(many))}.", ""]
            if change.redline is not None and all(r.verbatim for r in change.old + change.new):
                parts = ([r.text for r in change.old], [r.text for r in change.new])
                return [*lines, line_start(redline(change.redline, *parts)), ""]
            return [*lines, _points(change.old, "~~"), "", _points(change.new, "**"), ""]
        case ChangeKind.REPLACED:
            return [
                "*Same position, little wording in common: the old text gave way to the new one.*",
                "",
                _points(change.old, "~~"),
                "",
                _points(change.new, "**"),
                "",
            ]
        case ChangeKind.ADDED:
            return [_points(change.new, "**"), ""]
        case ChangeKind.REMOVED:
            return [_points(change.old, "~~"), ""]
        case ChangeKind.DEFERRED:
            # Not struck through: nobody says it was dropped, only that it was left for later.
            why = escape_line(wording.deferral_sentence(change))
            return [f"*{why}*", "", _points(change.old, None), ""]
        case ChangeKind.UNREPORTED:
            other = result.new if change.old else result.old
            why = (
                f"No counterpart among the known points of {escape_line(other.id)}, which is only "
                "partly known: it may be among the points not reported."
                if other.completeness is Completeness.PARTIAL
                else f"No counterpart found: described only, so it may be in "
                f"{escape_line(other.id)} in other words."
            )
            return [f"*{why}*", "", _points(change.old or change.new, None), ""]
        case _:
            assert_never(change.kind)


def _nested(change: Change) -> list[str]:
    """The point's nested changes that are differences, one list item each:
    ``- 7.1 → Schedule 1 › 3 · moved, reworded``, a moved item's redline after a line break,
    then the figures changed in it that the point's own list does not give.

    A line of its own opens the list: right after the list of figures, a blank line alone
    would make the two lists one.
    """
    lines = [_nested_item(n, change) for n in wording.shown_nested(change)]
    return ["*Sub-items:*", "", *lines, ""] if lines else []


def _nested_item(n: NestedChange, change: Change) -> str:
    words = ", ".join(wording.nested_words(n))
    item = f"- {line_start(escape_line(wording.nested_label(n)))} · {words}"
    if n.redline is not None and wording.nested_redline_shown(n):
        item += "<br>" + redline(n.redline)
    for s in n.substantive:
        if s not in change.substantive:
            old = escape_line(wording.figure_side(s, "old"))
            new = escape_line(wording.figure_side(s, "new"))
            item += f"<br>{s.kind.value}: {old} → {new}"
    return item


def _figures(figures: Sequence[Substantive]) -> list[str]:
    lines = []
    for s in figures:
        old = escape_line(wording.figure_side(s, "old"))
        new = escape_line(wording.figure_side(s, "new"))
        lines.append(f"- {s.kind.value}: {old} → {new}")
    return [*lines, ""] if lines else []


def _part(part: PartChange, show_unchanged: bool) -> list[str]:
    """A stretch of text outside the points: its own section when it changed."""
    label = escape_line(wording.part_label(part))
    if part.kind is ChangeKind.UNCHANGED:
        return [f"*{label} unchanged*", ""] if show_unchanged else []
    lines = [f"### {label} · {part.kind.value}", ""]
    if part.redline is not None:
        lines += [line_start(redline(part.redline)), ""]
    elif part.new is None:
        lines += [line_start(_marked(reflow.reflow(part.old or ""), "~~")), ""]
    else:
        lines += [line_start(_marked(reflow.reflow(part.new), "**")), ""]
    return lines + _figures(part.substantive)


def _points(refs: Sequence[PointRef], mark: str | None) -> str:
    """Each point as ``3. text`` (``*(described)*`` when not verbatim), marked as a whole."""
    out = []
    for r in refs:
        # Plain, not bold: bold is inserted text (see LEGEND).
        label = f"{escape_line(wording.point_label(r))}{'.' if r.number is not None else ':'}"
        if not r.verbatim:
            label += " *(described)*"
        if r.bracketed:
            label += " *(unagreed)*"
        out.append(f"{label} {_marked(reflow.reflow(r.text), mark)}")
    return line_start("<br>".join(out))


def _marked(text: str, mark: str | None) -> str:
    if mark is None:
        return escape(text)
    return _wrap(text, mark)


def _wrap(text: str, mark: str, before: str = " ", after: str = " ") -> str:
    """``mark``-delimited text; surrounding whitespace stays outside so the delimiters bind.

    CommonMark ignores a ``**`` or ``~~`` that stands between a letter outside and punctuation
    inside (``contact**, creating**``); there the run is wrapped in ``<ins>``/``<del>``, which
    GitHub renders the same way (underlined, struck through).
    """
    core = text.strip()
    if not core:
        return escape(text) if mark == "**" else ""
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    pieces = []
    lines = [line.strip() for line in core.split("\n") if line.strip()]
    for n, line in enumerate(lines):
        inner = escape(line)
        left = (lead[-1:] or before[-1:] or " ") if n == 0 else ">"
        right = (trail[:1] or after[:1] or " ") if n == len(lines) - 1 else "<"
        if _binds(left, inner[0], inner[-1], right):
            pieces.append(f"{mark}{inner}{mark}")
        else:
            tag = "ins" if mark == "**" else "del"
            pieces.append(f"<{tag}>{inner}</{tag}>")
    return f"{escape(lead)}{'<br>'.join(pieces)}{escape(trail)}"


def _kind(ch: str) -> str:
    if not ch or ch.isspace():
        return "space"
    return "punct" if unicodedata.category(ch)[0] in "PS" else "word"


def _binds(left: str, first: str, last: str, right: str) -> bool:
    """Whether delimiters around a run open and close (CommonMark's flanking rules)."""
    opens = _kind(first) != "punct" or _kind(left) != "word"
    closes = _kind(last) != "punct" or _kind(right) != "word"
    return opens and closes


def redline(value: Redline, old_parts: Sequence[str] = (), new_parts: Sequence[str] = ()) -> str:
    """The redline inline: ``~~deleted~~`` and ``**inserted**``, everything else escaped.

    Hard-wrapped lines are joined; the boundaries between the parts of a merged or split change
    (their texts given as ``old_parts``/``new_parts``) stay line breaks.
    """
    return marked(reflow.reflow_ops(value.ops, old_parts, new_parts))


def marked(ops: Sequence[tuple[RedlineOp, str]]) -> str:
    """Redline parts already reflowed, inline: ``~~deleted~~``, ``**inserted**``, the rest
    escaped."""
    out = []
    for i, (op, text) in enumerate(ops):
        before = ops[i - 1][1][-1:] if i else " "
        after = ops[i + 1][1][:1] if i + 1 < len(ops) else " "
        match op:
            case RedlineOp.EQUAL:
                out.append(escape(text))
            case RedlineOp.DELETE:
                out.append(_wrap(text, "~~", before, after))
            case RedlineOp.INSERT:
                out.append(_wrap(text, "**", before, after))
            case _:
                assert_never(op)
    return "".join(out)


def _quote(e: EvidenceRef, notes: citing.Footnotes, refs: Sequence[PointRef]) -> list[str]:
    n = notes.cite_evidence(e)
    who = citing.with_stance(citing.who_quoted(e, refs), e)
    # The footnote names the source; the list at the end gives its title, outlet and link.
    cite = f"\\[{n}\\]"
    said_by = citing.attribution_words(e.attribution)
    if said_by:
        cite += f" {said_by}"
    cite += f" characters {e.start}–{e.end}" if e.start is not None else ""
    capture = citing.capture_words(e)
    cite += f" {escape_line(capture.strip())}" if capture else ""
    if citing.is_own_text(e, refs):
        # The quote is the point's own text (a plan diffed from a file): say only where it stands.
        return [f"*{escape_line(who)}:* {cite}", ""]
    quoted = line_start(escape_line(e.quote))
    return [f"> {quoted}", ">", f"> — {escape_line(who)}: {cite}", ""]


def _sources(notes: citing.Footnotes) -> list[str]:
    entries = notes.entries()
    if not entries:
        return []
    lines = ["## Sources", ""]
    for n, note in entries:
        facts = [
            escape_line(note.outlet) if note.outlet else None,
            note.published.isoformat() if note.published else "date unknown",
            f"source {escape_line(note.id)}",
        ]
        judged = citing.judgement(note)
        if judged:
            facts.append(escape_line(judged))
        title = link(escape_line(citing.source_name(note)), note.url)
        lines.append(f"{n}. {title} — " + ", ".join(f for f in facts if f))
    lines.append("")
    return lines
