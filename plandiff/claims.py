"""What a registry claims beyond its evidence: verbatim text that no source holds whole, and
facts recorded without a quote.

A verbatim point is shown and redlined as the plan's own wording, so every word of it must be
in a source; anything less is the recorder's summary. A fact with no quote (a declared count,
a date, an event) may be right, but nothing in the registry shows it: ``verify`` lists each,
and ``verify --strict`` fails on them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from plandiff.errors import Problem, show
from plandiff.models import PlanVersion, Registry, text_key
from plandiff.registry_dir import version_file

__all__ = ["unanchored_text", "unanchored_texts", "unquoted_facts"]

_SPACE = re.compile(r"\s+")
#: Stripped from a word's ends when words are compared.
_PUNCTUATION = ".,;:!?\"'()[]«»“”‘’—–-"
#: Characters of the closest match shown in a message.
_SHOWN = 120


def _flat(text: str) -> str:
    """Text with each run of white space as one space: a verbatim text copied from a source
    may break its lines elsewhere."""
    return _SPACE.sub(" ", text).strip()


def unanchored_text(text: str, sources: Sequence[tuple[str, str]]) -> str | None:
    """None when ``text`` stands whole (white space aside) in one of ``sources`` (id, text);
    else the problem in words, with the closest stretch of a source and the words that
    differ."""
    wanted = _flat(text)
    if not wanted:
        return None
    flat = [(sid, _flat(body)) for sid, body in sources]
    if any(wanted in body for _, body in flat):
        return None
    named = ", ".join(show(sid) for sid, _ in sources) or "none"
    closest = _closest(wanted, flat)
    if closest is None:
        return f"is not found in its quoted source(s) ({named}), nor anything close to it"
    sid, match = closest
    return (
        f"is not found whole in its quoted source(s) ({named}); closest, in {show(sid)}: "
        f"{show(_cut(match))}; {_differences(wanted, match)}"
    )


def _closest(wanted: str, sources: Iterable[tuple[str, str]]) -> tuple[str, str] | None:
    from rapidfuzz import fuzz

    best: tuple[float, str, str] | None = None
    for sid, body in sources:
        if not body:
            continue
        found = fuzz.partial_ratio_alignment(wanted, body)
        if found is None or (best is not None and found.score <= best[0]):
            continue
        start, end = _whole_words(body, found.dest_start, found.dest_end)
        best = (found.score, sid, body[start:end].strip())
    return None if best is None or not best[2] else (best[1], best[2])


def _whole_words(text: str, start: int, end: int) -> tuple[int, int]:
    while 0 < start < len(text) and text[start - 1].isalnum() and text[start].isalnum():
        start -= 1
    while 0 < end < len(text) and text[end - 1].isalnum() and text[end].isalnum():
        end += 1
    return start, end


def _cut(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _differences(wanted: str, found: str) -> str:
    """The words of ``wanted`` that the closest stretch of the source does not have."""

    def bare(word: str) -> str:
        return word.strip(_PUNCTUATION).casefold()

    there = {bare(w) for w in found.split()}
    missing = list(
        dict.fromkeys(w.strip(_PUNCTUATION) for w in wanted.split() if bare(w) not in there)
    )
    missing = [w for w in missing if w]
    if not missing:
        return "the same words, in another order or with other punctuation"
    shown = ", ".join(show(w) for w in missing[:12]) + (" …" if len(missing) > 12 else "")
    return f"words not in it: {shown}"


def point_sources(registry: Registry, version: PlanVersion, key: str) -> list[tuple[str, str]]:
    """(id, text) of the sources a point's text may stand in: those its quotes cite, and the
    version's own text."""
    point = version.point(key)
    # A quote from an earlier capture stands in that capture's text ("<id>@<n>", text_key).
    ids = [text_key(a.source, a.capture) for a in point.evidence] if point is not None else []
    if version.text_source is not None:
        ids.append(version.text_source)
    seen = dict.fromkeys(i for i in ids if i in registry.texts)
    return [(sid, registry.texts[sid]) for sid in seen]


def unanchored_texts(registry: Registry) -> list[Problem]:
    """Each verbatim point text that no source of the point holds whole."""
    problems = []
    for version in registry.versions:
        for i, point in enumerate(version.points):
            if not point.text:
                continue
            problem = unanchored_text(point.text, point_sources(registry, version, point.key))
            if problem is not None:
                problems.append(
                    Problem(
                        version_file(version.id),
                        f"points[{i}].text",
                        f"({point.key}) {problem}; record it as a summary, or quote the text "
                        "exactly",
                    )
                )
    return problems


def unquoted_facts(registry: Registry) -> list[Problem]:
    """Each fact recorded without a quote: a version's count, date, issuers and parties (which
    share its own quotes), its statements, events and points."""
    found = []
    for v in registry.versions:
        where = version_file(v.id)
        if not v.evidence:
            facts = []
            if v.declared_points is not None:
                facts.append(("declared_points", str(v.declared_points)))
            if v.date is not None:
                facts.append(("date", v.date.isoformat()))
            if v.issuer:
                facts.append(("issuer", "; ".join(v.issuer)))
            if v.parties:
                facts.append(("parties", "; ".join(v.parties)))
            found += [
                Problem(where, name, f"{show(value)} carries no quote") for name, value in facts
            ]
        found += [
            Problem(where, f"statements[{i}]", f"{show(s.text)} carries no quote")
            for i, s in enumerate(v.statements)
            if not s.evidence
        ]
        found += [
            Problem(where, f"events[{i}]", f"{e.date.isoformat()} {show(e.what)} carries no quote")
            for i, e in enumerate(v.events)
            if not e.evidence
        ]
        found += [
            Problem(where, f"points[{i}]", f"({p.key}) carries no quote")
            for i, p in enumerate(v.points)
            if not p.evidence
        ]
    return found
