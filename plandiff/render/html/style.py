"""The one style sheet of the HTML pages, inline in each page (no file or font is fetched).

Deletions are struck through and insertions underlined as well as coloured, so a page printed
in black and white, or read by someone who does not tell red from green, says the same.

Filtering by kind works without script: the nav's links target an empty marker element at the
top of the body (``#only-removed``), and a ``:target`` rule hides every change, part and map
row not of that kind. Printing shows everything, whatever was targeted.
"""

from __future__ import annotations

from plandiff.result import ChangeKind

__all__ = ["CSS", "FILTERS"]

#: The filters the nav offers: every kind, then the changes flagged moved.
FILTERS: tuple[str, ...] = (*(k.value for k in ChangeKind), "moved")

_BASE = """\
:root { color-scheme: light; }
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: #1a1a1a; background: #fff;
  max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: 0.5rem 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid #bbb; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 0 0 0.25rem; }
code, .mono { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.9em; }
table { border-collapse: collapse; margin: 0.5rem 0; }
th, td { border: 1px solid #ccc; padding: 0.2rem 0.5rem; vertical-align: top; text-align: left; }
th { background: #f3f3f3; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.text { white-space: pre-wrap; overflow-wrap: anywhere; }
.muted, .basis, .fold > summary { color: #555; }
.declared { font-weight: bold; }
.declared p { margin: 0.2em 0; }
del { color: #8b0000; background: #fde8e8; text-decoration: line-through; }
ins { color: #0b5d1e; background: #e6f4ea; text-decoration: underline; }
.described { font-style: italic; }
.label { font-weight: bold; }
.change, .part { border-left: 4px solid #999; padding: 0.25rem 0 0.25rem 0.75rem; margin: 1rem 0; }
.kind-reworded, .kind-replaced { border-left-color: #b8860b; }
.kind-merged, .kind-split { border-left-color: #4b0082; }
.kind-added { border-left-color: #0b5d1e; }
.kind-removed { border-left-color: #8b0000; }
.kind-deferred { border-left-color: #b8860b; border-left-style: double; }
.kind-unreported { border-left-color: #bbb; border-left-style: dashed; }
.kind-name { font-variant: small-caps; letter-spacing: 0.03em; }
table.sbs { width: 100%; table-layout: fixed; }
table.sbs td { width: 50%; }
blockquote { margin: 0.4rem 0 0.4rem 1rem; padding-left: 0.75rem; border-left: 2px solid #ccc; }
blockquote p { margin: 0; }
a.fn { text-decoration: none; }
nav.filter a { margin-right: 0.6rem; }
.filter-target { display: block; height: 0; }
.fold { margin: 0.75rem 0; }
.fold > summary { cursor: pointer; }
ol.sources li { margin-bottom: 0.3rem; overflow-wrap: anywhere; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0 1rem; margin: 0.25rem 0; }
dl.facts dt { color: #555; }
dl.facts dd { margin: 0; }
.event, .version, .step { margin: 0.75rem 0; }
.amended.point { display: grid; grid-template-columns: 4rem 1fr; margin: 0.6rem 0; }
.amended.point > .label { grid-row: span 2; }
.amended.point > p { margin: 0; grid-column: 2; }
.amended.gone { color: #555; }
table.lineage th .sub { display: block; font-weight: normal; }
table.lineage td { white-space: nowrap; }
table.lineage td.step { border-left: 4px solid #999; }
table.lineage td.kind-reworded, table.lineage td.kind-replaced { border-left-color: #b8860b; }
table.lineage td.kind-merged, table.lineage td.kind-split { border-left-color: #4b0082; }
table.lineage td.kind-added { border-left-color: #0b5d1e; }
table.lineage td.kind-removed { border-left-color: #8b0000; }
table.lineage td.kind-unreported { border-left-style: dashed; }
@media print {
  body { max-width: none; font-size: 11pt; padding: 0; }
  nav.filter, .filter-target { display: none; }
  .change, .part, tr { break-inside: avoid; }
  a { color: inherit; }
  del, ins { background: none; }
}
"""


def _filter_rules() -> str:
    """``:target`` rules: with ``#only-K`` targeted, everything not of kind K is hidden, and
    the nav's link to it is marked as the one in force."""
    rules = []
    for name in FILTERS:
        cls = "moved" if name == "moved" else f"kind-{name}"
        hidden = ", ".join(
            f"#only-{name}:target ~ main .{what}:not(.{cls})"
            for what in ("change", "part", "fold", "map-row")
        )
        rules.append(f"{hidden} {{ display: none; }}")
        rules.append(f'#only-{name}:target ~ nav a[href="#only-{name}"] {{ font-weight: bold; }}')
    return "\n".join(rules) + "\n"


#: The whole style sheet.
CSS = _BASE + _filter_rules()
