"""The partial diff of issue 15 built with the engine: a 28-point plan of which points 1–10 are
known verbatim and 21 and 26 are described, against a 19-point framework of which three
findings are known (the army cap reworded, the amnesty dropped, territory left to the
presidents). Nine old points have no known counterpart, so they are unreported."""

from __future__ import annotations

from plandiff import diff
from plandiff.models import Anchor, Completeness, PlanVersion, Point, Relation, RelationKind
from plandiff.result import DiffResult

_SOURCE = "report-1"

_OLD_TEXTS = {
    1: "The sovereignty of Ukraine will be confirmed.",
    2: "A comprehensive non-aggression agreement will be concluded between the parties.",
    3: "Russia will not invade its neighbours and NATO will not expand further.",
    4: "A dialogue between Russia and NATO will be held with the United States as mediator.",
    5: "Ukraine will receive reliable security guarantees.",
    6: "The size of the Armed Forces of Ukraine will be limited to 600,000 personnel.",
    7: "Ukraine agrees to enshrine in its constitution that it will not join NATO.",
    8: "NATO agrees not to station troops in Ukraine.",
    9: "European fighter jets will be stationed in Poland.",
    10: "The guarantee given by the United States comes with compensation.",
}


def _anchor(quote: str) -> Anchor:
    return Anchor(source=_SOURCE, quote=quote)


def _point(key: str, number: int | None, text: str, verbatim: bool, quoted: bool = True) -> Point:
    content = {"text": text} if verbatim else {"summary": text}
    evidence = (_anchor(text),) if quoted else ()
    return Point(key=key, number=number, evidence=evidence, **content)


def versions() -> tuple[PlanVersion, PlanVersion]:
    """The old (partial, 28 declared) and new (partial, 19 declared) versions."""
    old_points = [_point(f"p{n}", n, t, True) for n, t in _OLD_TEXTS.items()]
    old_points += [
        _point("territory", 21, "Territorial concessions by Ukraine.", False),
        _point("amnesty", 26, "A full amnesty for all parties to the conflict.", False),
    ]
    old = PlanVersion(
        id="plan-28",
        title="28-point plan",
        declared_points=28,
        completeness=Completeness.PARTIAL,
        points=tuple(old_points),
    )
    # The framework's text is not published: its points are known through the reports that
    # the curated relations quote, so they carry no quotes of their own.
    army = _point(
        "army",
        4,
        "The size of the Armed Forces of Ukraine will be limited to 800,000 personnel.",
        True,
        quoted=False,
    )
    territory = _point("territory", 13, "Territory is left to the presidents.", False, False)
    why = (_anchor("the framework was agreed in Geneva"),)
    new = PlanVersion(
        id="frame-19",
        title="19-point framework",
        declared_points=19,
        completeness=Completeness.PARTIAL,
        derived_from="plan-28",
        points=(army, territory),
        relations=(
            Relation(kind=RelationKind.REWORDED, old=("p6",), new=("army",), evidence=why),
            Relation(
                kind=RelationKind.REWORDED, old=("territory",), new=("territory",), evidence=why
            ),
            Relation(kind=RelationKind.DROPPED, old=("amnesty",), evidence=why),
        ),
    )
    return old, new


def result() -> DiffResult:
    """What the engine says for the scenario."""
    return diff(*versions())
