"""A plain, readable text report of a diff (no colour, no terminal features)."""

from __future__ import annotations

from plandiff.render.views import elide, visible
from plandiff.result import Change, DiffResult, RedlineOp


def _side(refs: tuple, sep: str = "+") -> str:
    return sep.join(str(r.number) if r.number is not None else f"[{r.key}]" for r in refs) or "—"


def _redline(change: Change) -> str:
    if change.redline is None:
        return ""
    out = []
    for op, text in change.redline.ops:
        text = visible(text)
        if op is RedlineOp.DELETE:
            out.append(f"[-{text}-]")
        elif op is RedlineOp.INSERT:
            out.append(f"{{+{text}+}}")
        else:
            out.append(text)
    return "".join(out)


def render(result: DiffResult) -> str:
    lines = []
    for label, v in (("old", result.old), ("new", result.new)):
        declared = "?" if v.declared_points is None else v.declared_points
        lines.append(
            f"{label}: {visible(v.id)} — {visible(v.title)} ({v.date or 'undated'}; "
            f"{v.known_points} of {declared} points known; {v.completeness.value})"
        )
    d = result.declared
    if d.old is not None and d.new is not None:
        lines.append(f"declared points: {d.old} → {d.new} ({d.new - d.old:+d})")
    counts = result.summary()
    lines.append("summary: " + ", ".join(f"{k} {n}" for k, n in counts.items() if n))
    lines.append("")
    for c in result.changes:
        head = f"{_side(c.old)} → {_side(c.new)}  {c.kind.value}"
        if c.moved:
            head += ", moved"
        head += f"  ({c.basis.value}"
        head += f", similarity {c.similarity:.2f})" if c.similarity is not None else ")"
        lines.append(head)
        if c.redline is not None:
            lines.append("  " + _redline(c))
        else:
            for r in c.old or c.new:
                lines.append("  " + visible(elide(r.text, 200)))
        for s in c.substantive:
            lines.append(f"  ! {s.kind.value}: {visible(s.old or '—')} → {visible(s.new or '—')}")
        if c.note:
            lines.append("  note: " + visible(c.note))
        for e in c.evidence:
            where = ", ".join(visible(x) for x in (e.title or e.source, e.outlet) if x)
            lines.append(f"  [{e.role}] “{visible(elide(e.quote))}” — {where} @{e.start}–{e.end}")
        lines.append("")
    for w in result.warnings:
        lines.append("warning: " + visible(w))
    return "\n".join(lines) + "\n"
