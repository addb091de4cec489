"""``plandiff compare --format html``: the lineage table as one self-contained page.

Laid out from the same :class:`~plandiff.render.compare.Grid` as the text, Markdown and JSON
views, so the page cannot say anything they do not. Each cell's kind is a class, so a printed
page (or one read without colour) still says it in words.
"""

from __future__ import annotations

from plandiff.render.compare import LEGEND, CellView, Grid
from plandiff.render.html.page import Child, document, el

__all__ = ["page"]


def page(view: Grid) -> str:
    """The table, the folded rows, each step's counts, the legend and any warnings."""
    ids = " → ".join(c.version for c in view.columns)
    body: list[Child] = [el("h1", "plandiff compare ", el("span", ids))]
    if view.warnings:
        body.append(
            el("section", el("h2", "Warnings"), el("ul", [el("li", w) for w in view.warnings]))
        )
    if view.rows:
        head = el(
            "tr",
            [
                el("th", el("span", c.version), el("span", c.counts, cls="muted sub"))
                for c in view.columns
            ],
        )
        rows = [el("tr", [_cell(c) for c in cells]) for cells in view.rows]
        body.append(el("table", el("thead", head), el("tbody", rows), cls="lineage"))
    if view.folded is not None:
        body.append(el("p", f"⋯ {view.folded}", cls="muted"))
    if view.showing is not None:
        body.append(el("p", view.showing, cls="muted"))
    body.append(el("section", el("h2", "Steps"), el("ul", [el("li", s) for s in view.steps])))
    body.append(el("p", LEGEND, " Italics: what happened at that step.", cls="muted"))
    return document(f"compare {ids}", [el("main", body)], head_title=f"plandiff compare: {ids}")


def _cell(cell: CellView) -> Child:
    if not cell.what:
        return el("td", cell.points)
    return el(
        "td",
        el("span", cell.points),
        " ",
        el("em", cell.what),
        cls=f"step kind-{cell.style}",
    )
