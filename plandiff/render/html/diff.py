"""The HTML diff report: one page with the header, the summary, the point map, then each change
with its redline inline and side by side, its figures, sub-items and quotes, and the sources.

It says what the text and Markdown reports say, in their words (:mod:`~plandiff.render.wording`;
the point map's rows are :func:`plandiff.render.stat.point_map`'s), laid out for a browser and
for print. Changes that the text report folds stay folded, in ``<details>`` that open without
script: runs of unchanged points, and the unreported points in one line per side after the
changes. The nav filters the page by kind without script (see :mod:`~plandiff.render.html.style`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import assert_never

from lxml import etree

from plandiff.kinds import KindFilter
from plandiff.render import citing, known_words, reflow, stat, wording
from plandiff.render.html.page import Child, cite, document, el, quote_block, sources_section
from plandiff.render.html.style import FILTERS
from plandiff.result import (
    SOURCES_DISAGREE,
    Change,
    ChangeKind,
    DiffResult,
    EvidenceRef,
    NestedChange,
    PartChange,
    PointRef,
    RedlineOp,
    Substantive,
    VersionSummary,
)

__all__ = ["brackets_list", "figures_list", "inline_redline", "marked", "render"]


def render(
    result: DiffResult,
    *,
    show_unchanged: bool = False,
    kinds: KindFilter | None = None,
    show_unreported: bool = False,
    locations: bool = False,
    full: bool = False,
) -> str:
    """The report as one HTML document. Folded points are shown closed, or open with
    ``show_unchanged`` / ``show_unreported``; ``kinds`` shows only the changes of those kinds
    (the header, the counts, the map's rows of those kinds and the sources stay).
    ``locations`` shows where each point of a plan file stands in it, as the text report
    does. ``full`` shows the whole new text as amended (:mod:`~plandiff.render.html.full`)
    instead of the point map and the changes."""
    notes = citing.Footnotes()
    moves = wording.points_as_items(result)
    title = f"{result.old.id} → {result.new.id}"
    body: list[Child] = []
    if not full:  # the filters act on the list of changes, which --full does not print
        body += [el("span", cls="filter-target", id=f"only-{f}") for f in FILTERS]
        body.append(el("span", cls="filter-target", id="all"))
    body.append(_header(result, notes))
    if not full:
        body.append(_nav(result))
    main: list[Child] = []
    if result.warnings:
        warnings = [el("li", w) for w in result.warnings]
        main.append(el("section", el("h2", "Warnings"), el("ul", warnings), id="warnings"))
    main.append(_summary(result, moves, kinds))
    if full:
        from plandiff.render.html.full import amended

        main.append(amended(result, kinds=kinds, show_unreported=show_unreported))
    else:
        main.append(_point_map(result, kinds))
        shown = (show_unchanged, show_unreported, locations)
        main.append(_changes(result, notes, moves, kinds, shown))
    method = wording.settings_phrase(result)
    if method:
        main.append(el("p", method, cls="muted"))
    main.append(sources_section(notes))
    body.append(el("main", main))
    return document(title, body, head_title=f"plandiff: {title}")


# --------------------------------------------------------------------------- header, summary


def _header(result: DiffResult, notes: citing.Footnotes) -> etree._Element:
    old, new = result.old, result.new
    rows: list[tuple[str, str, str]] = [
        ("Version", old.id, new.id),
        ("Title", old.title, new.title),
        ("Date", _date(old), _date(new)),
        ("Issuer", ", ".join(old.issuer) or "—", ", ".join(new.issuer) or "—"),
        ("Points", wording.known_phrase(old), wording.known_phrase(new)),
        ("Text", old.completeness.value, new.completeness.value),
        ("Derived from", old.derived_from or "—", new.derived_from or "—"),
    ]
    if old.segmentation is not None or new.segmentation is not None:
        rows.append(("Cut", _cut(old), _cut(new)))
    table = el(
        "table",
        el("thead", el("tr", el("th", ""), el("th", "Old"), el("th", "New"))),
        el("tbody", [el("tr", el("th", name), el("td", a), el("td", b)) for name, a, b in rows]),
        cls="versions",
    )
    said: list[Child] = []
    for label, version in (("Old", old), ("New", new)):
        if version.evidence:
            said.append(el("p", f"{label} version, as reported:"))
            said += [_quote(e, notes, ()) for e in version.evidence]
    return el(
        "header",
        el("h1", "plandiff ", el("span", result.old.id), " → ", el("span", result.new.id)),
        table,
        el("div", [el("p", line) for line in known_words.known_lines(result)], cls="declared"),
        said,
    )


def _date(v: VersionSummary) -> str:
    return v.date.isoformat() if v.date else "unknown"


def _cut(v: VersionSummary) -> str:
    return v.segmentation.description if v.segmentation is not None else "—"


def _nav(result: DiffResult) -> etree._Element:
    """Links that filter the page by kind (``:target``), each with its count."""
    counts = result.summary()
    links: list[Child] = ["Show: ", el("a", "all", href="#all")]
    for name in FILTERS:
        if counts[name]:
            links += [" ", el("a", f"{name} ({counts[name]})", href=f"#only-{name}")]
    return el("nav", el("p", links), cls="filter", aria_label="Filter by kind of change")


def _summary(
    result: DiffResult, moves: wording.PointsAsItems, kinds: KindFilter | None
) -> etree._Element:
    counts = result.summary()
    rows = [(kind.value, counts[kind.value]) for kind in ChangeKind]
    rows.append(("moved", counts["moved"]))
    if counts[SOURCES_DISAGREE]:
        rows.append((wording.DISAGREE, counts[SOURCES_DISAGREE]))
    went, came = wording.points_as_items_counts(result, moves)
    if went:
        rows.append(("removed points now sub-items", went))
    if came:
        rows.append(("added points that were sub-items", came))
    inside = wording.nested_count(result)
    if inside:
        rows.append(("sub-item changes", inside))
    table = el(
        "table",
        el("thead", el("tr", el("th", "Change"), el("th", "Count"))),
        el(
            "tbody",
            [el("tr", el("td", name), el("td", str(n), cls="num")) for name, n in rows],
        ),
        cls="counts",
    )
    shown = el("p", kinds.phrase(result), cls="muted") if kinds is not None else None
    return el(
        "section",
        el("h2", "Summary"),
        el("p", wording.summary_phrase(result, moves)),
        table,
        shown,
        id="summary",
    )


def _point_map(result: DiffResult, kinds: KindFilter | None) -> etree._Element:
    """The point map as a table, a row per change (:func:`plandiff.render.stat.point_map`)."""
    rows = []
    for r in stat.point_map(result, kinds):
        if r.collapsed:
            cell = el("td", "⋯ ", r.collapsed, colspan="3", cls="muted")
            rows.append(el("tr", cell, cls="map-row kind-unchanged"))
            continue
        change = result.changes[r.index] if r.index is not None else None
        classes = f"map-row kind-{r.kind}" + (" moved" if change and change.moved else "")
        target = f"#change-{r.index + 1}" if r.index is not None else None
        rows.append(
            el(
                "tr",
                el("td", el("a", r.old, href=target), cls="num"),
                el("td", r.new),
                el("td", stat.map_what(r)),
                cls=classes,
            )
        )
    head = el("tr", el("th", "Old"), el("th", "New"), el("th", "Change"))
    table = el("table", el("thead", head), el("tbody", rows), cls="map") if rows else None
    return el("section", el("h2", "Point map"), table, id="map")


# --------------------------------------------------------------------------- changes


def _changes(
    result: DiffResult,
    notes: citing.Footnotes,
    moves: wording.PointsAsItems,
    kinds: KindFilter | None,
    shown: tuple[bool, bool, bool],
) -> etree._Element:
    """``shown``: whether unchanged points, unreported points and plan-file locations show."""
    show_unchanged, show_unreported, locations = shown
    out: list[Child] = [el("h2", "Changes")]
    if kinds is not None:
        out.append(el("p", kinds.phrase(result), cls="muted"))
    before, after = wording.place_parts(result)
    run: list[etree._Element] = []
    run_changes: list[Change] = []
    folded: list[tuple[Change, etree._Element]] = []

    def close_run() -> None:
        if run_changes:
            phrase = wording.collapsed_phrase(run_changes)
            if show_unchanged:
                out.append(_fold(phrase, "unchanged", run, shown=True))
            else:  # as the text report counts them: a long text's page stays small
                out.append(el("p", f"⋯ {phrase}", cls="fold kind-unchanged muted"))
            run.clear()
            run_changes.clear()

    for i, change in enumerate(result.changes):
        for part in before.get(i, ()):
            if kinds is None or kinds.shows_part(part):
                close_run()
                out.append(_part(part))
        if kinds is not None:
            if kinds.matches(change):
                out.append(_change(i, change, result, notes, moves, locations))
            continue
        quiet = change.kind is ChangeKind.UNCHANGED and not change.moved
        if quiet and not change.heading_moved:
            if show_unchanged:
                run.append(_change(i, change, result, notes, moves, locations))
            run_changes.append(change)
            continue
        block = _change(i, change, result, notes, moves, locations)
        if change.kind is ChangeKind.UNREPORTED:
            folded.append((change, block))
            continue
        close_run()
        out.append(block)
    close_run()
    for side in ("old", "new"):
        mine = [(c, b) for c, b in folded if getattr(c, side)]
        for phrase in wording.unreported_phrases(result, [c for c, _ in mine]):
            out.append(_fold(phrase, "unreported", [b for _, b in mine], show_unreported))
    for part in after:
        if kinds is None or kinds.shows_part(part):
            out.append(_part(part))
    return el("section", out, id="changes")


def _fold(phrase: str, kind: str, blocks: Sequence[etree._Element], shown: bool) -> etree._Element:
    """Points the text report folds into one line: that line, opening onto their blocks."""
    return el(
        "details",
        el("summary", phrase),
        list(blocks),
        cls=f"fold kind-{kind}",
        open="open" if shown else None,
    )


def _change(
    i: int,
    change: Change,
    result: DiffResult,
    notes: citing.Footnotes,
    moves: wording.PointsAsItems,
    locations: bool,
) -> etree._Element:
    kind = change.kind.value
    flags = wording.change_flags(change)
    where = wording.point_as_item_phrase(change, moves)
    heading = el(
        "h3",
        wording.change_label(change),
        " · ",
        el("span", kind, cls="kind-name"),
        "".join(f", {f}" for f in flags),
        f" {where}" if where else None,
        " ",
        el("span", f"({wording.basis_phrase(change)})", cls="basis"),
    )
    lines: list[Child] = [heading]
    context = wording.heading_context(change)
    if context:
        lines.append(el("p", context, cls="muted"))
    touched = wording.subitems_phrase(change)
    if touched:
        lines.append(el("p", touched, cls="muted"))
    if wording.case_only(change):
        lines.append(el("p", "letter case only", cls="muted"))
    lines += _body(change, result)
    lines.append(figures_list(change.substantive))
    lines.append(brackets_list(change))
    lines.append(_nested(change))
    if change.note:
        lines.append(el("p", el("span", "Note: ", cls="label"), change.note))
    lines += [
        _quote(e, notes, citing.quoted_side(e, change))
        for e in change.evidence
        if locations or not citing.file_location(e, change, result)
    ]
    classes = f"change kind-{kind}" + (" moved" if change.moved else "")
    return el("article", lines, cls=classes, id=f"change-{i + 1}", data_kind=kind)


def _body(change: Change, result: DiffResult) -> list[Child]:
    """What happened, one case per kind: the redline inline and side by side where there is
    one, else the points of each side (struck through, underlined, or as they are)."""
    match change.kind:
        case ChangeKind.UNCHANGED:
            return [_points(change.new, None)]
        case ChangeKind.REWORDED | ChangeKind.MERGED | ChangeKind.SPLIT:
            lines: list[Child] = []
            if change.kind is ChangeKind.MERGED:
                lines.append(el("p", f"{len(change.old)} old points folded into one", cls="muted"))
            elif change.kind is ChangeKind.SPLIT:
                lines.append(el("p", f"one old point spread over {len(change.new)}", cls="muted"))
            verbatim = all(r.verbatim for r in change.old + change.new)
            if change.redline is not None and verbatim:
                parts = ([r.text for r in change.old], [r.text for r in change.new])
                ops = reflow.reflow_ops(change.redline.ops, *parts)
                return [
                    *lines,
                    inline_redline(ops),
                    _side_by_side(_side(ops, "old"), _side(ops, "new")),
                ]
            return [*lines, _side_by_side(_points(change.old, "del"), _points(change.new, "ins"))]
        case ChangeKind.REPLACED:
            return [
                el(
                    "p",
                    "Same position, little wording in common: the old text gave way to the "
                    "new one.",
                    cls="muted",
                ),
                _side_by_side(_points(change.old, "del"), _points(change.new, "ins")),
            ]
        case ChangeKind.ADDED:
            return [_points(change.new, "ins")]
        case ChangeKind.REMOVED:
            return [_points(change.old, "del")]
        case ChangeKind.DEFERRED:
            # Not struck through: nobody says it was dropped, only that it was left for later.
            why = wording.deferral_sentence(change)
            return [el("p", why, cls="muted"), _points(change.old, None)]
        case ChangeKind.UNREPORTED:
            other = result.new if change.old else result.old
            why = (
                f"No counterpart among the known points of {other.id}, which is only partly "
                "known: it may be among the points not reported."
            )
            return [el("p", why, cls="muted"), _points(change.old or change.new, None)]
        case _:
            assert_never(change.kind)


def _op(op: RedlineOp, text: str) -> Child:
    match op:
        case RedlineOp.EQUAL:
            return text
        case RedlineOp.DELETE:
            return el("del", text)
        case RedlineOp.INSERT:
            return el("ins", text)
        case _:
            assert_never(op)


def brackets_list(change: Change) -> etree._Element | None:
    """What happened to bracketed (unagreed) text, a line each; None when nothing did."""
    if not change.brackets:
        return None
    items = [el("li", wording.bracket_phrase(b)) for b in change.brackets]
    return el(
        "div",
        el("p", "Bracketed (unagreed) text:", cls="muted"),
        el("ul", items),
        cls="figures brackets",
    )


def marked(ops: Sequence[tuple[RedlineOp, str]]) -> list[Child]:
    """Redline parts as markup: deleted text in ``<del>``, inserted in ``<ins>``."""
    return [_op(op, text) for op, text in ops]


def inline_redline(ops: Sequence[tuple[RedlineOp, str]]) -> etree._Element:
    """The redline in one paragraph: deletions and insertions where they happen."""
    return el("p", marked(ops), cls="text redline")


def _side(ops: Sequence[tuple[RedlineOp, str]], side: str) -> etree._Element:
    """One side of the redline: the old text with its deletions, or the new with insertions."""
    skip = RedlineOp.INSERT if side == "old" else RedlineOp.DELETE
    return el("div", [_op(op, text) for op, text in ops if op is not skip], cls="text")


def _side_by_side(old: Child, new: Child) -> etree._Element:
    return el(
        "table",
        el("thead", el("tr", el("th", "Old"), el("th", "New"))),
        el("tbody", el("tr", el("td", old), el("td", new))),
        cls="sbs",
    )


def _points(refs: Sequence[PointRef], mark: str | None) -> etree._Element:
    """Each point as ``3. text`` (``described`` when not verbatim), marked as a whole."""
    out = []
    for r in refs:
        label = wording.point_label(r) + ("." if r.number is not None else ":")
        text: Child = reflow.reflow(r.text)
        if mark is not None:
            text = el(mark, text)
        out.append(
            el(
                "p",
                el("span", label, cls="label"),
                el("em", " (described)") if not r.verbatim else None,
                el("em", " (unagreed)") if r.bracketed else None,
                " ",
                el("span", text, cls="text" + ("" if r.verbatim else " described")),
                cls="point",
            )
        )
    return el("div", out, cls="points")


def figures_list(figures: Sequence[Substantive], exclude: Sequence[Substantive] = ()) -> Child:
    items = [
        el(
            "li",
            f"{s.kind.value}: ",
            el("span", wording.figure_side(s, "old"), cls="mono"),
            " → ",
            el("span", wording.figure_side(s, "new"), cls="mono"),
        )
        for s in figures
        if s not in exclude
    ]
    if not items:
        return None
    return el("div", el("p", "Changed figures:", cls="muted"), el("ul", items), cls="figures")


def _nested(change: Change) -> Child:
    items = [_nested_item(n, change) for n in wording.shown_nested(change)]
    if not items:
        return None
    return el("div", el("p", "Sub-items:", cls="muted"), el("ul", items), cls="nested")


def _nested_item(n: NestedChange, change: Change) -> etree._Element:
    words = ", ".join(wording.nested_words(n))
    parts: list[Child] = [el("span", wording.nested_label(n), cls="label"), f" · {words}"]
    if n.redline is not None and wording.nested_redline_shown(n):
        parts.append(inline_redline(reflow.reflow_ops(n.redline.ops)))
    parts.append(figures_list(n.substantive, change.substantive))
    return el("li", parts)


def _part(part: PartChange) -> etree._Element:
    """A stretch of text outside the points, with its redline or its text."""
    body: list[Child] = [
        el("h3", wording.part_label(part), " · ", el("span", part.kind.value, cls="kind-name"))
    ]
    if part.redline is not None:
        ops = reflow.reflow_ops(part.redline.ops)
        body += [inline_redline(ops), _side_by_side(_side(ops, "old"), _side(ops, "new"))]
    elif part.new is None:
        body.append(el("p", el("del", reflow.reflow(part.old or "")), cls="text"))
    else:
        body.append(el("p", el("ins", reflow.reflow(part.new)), cls="text"))
    body.append(figures_list(part.substantive))
    return el("article", body, cls=f"part kind-{part.kind.value}")


def _quote(e: EvidenceRef, notes: citing.Footnotes, refs: Sequence[PointRef]) -> etree._Element:
    """A quote behind a change, with who it supports and a footnote mark to its source; only
    where it stands when it is the point's own text (a plan diffed from a file)."""
    n = notes.cite_evidence(e)
    who = citing.with_stance(citing.who_quoted(e, refs), e)
    where = (
        f"characters {e.start}–{e.end}{citing.capture_words(e)}" if e.start is not None else None
    )
    said_by = citing.attribution_words(e.attribution)
    if citing.is_own_text(e, refs):
        return el("p", f"{who}: ", cite(n), f", {where}" if where else None, cls="muted source")
    return quote_block(e.quote, n, who, [said_by, where])
