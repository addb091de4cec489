"""The alignment's settings and its answer, as plain immutable records (msgspec Structs).

A 30,000-point diff builds 30,000 correspondences: a Struct costs a tenth of a validated
model, so nothing here skips a check to be fast. The settings check their ranges when built,
because a user builds them; a correspondence checks its arity, because a wrong one would put a
point in two places.
"""

from __future__ import annotations

import msgspec

from plandiff.result import ChangeKind

__all__ = ["DEFAULT_SETTINGS", "AlignSettings", "Correspondence", "Group"]

_ALGORITHM = (
    "plandiff-align/1: exact anchors, rare-stem prefix candidates, two-round sparse "
    "assignment, containment merges/splits, positional gap fill"
)

#: Settings that are shares or scores, in [0, 1].
_UNIT = (
    "match_threshold",
    "positional_threshold",
    "containment_threshold",
    "far_containment_threshold",
    "min_part_gain",
    "stopword_weight",
)
#: Settings that are counts, with their least value.
_COUNTS = {
    "part_window": 1,
    "candidates_per_point": 1,
    "prefix_stems": 1,
    "candidate_budget": 1,
    "dense_gap_limit": 1,
    "idf_sample": 0,
    "stem_length": 3,
}


class AlignSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Every threshold the alignment uses, so that a reported result can be reproduced.

    Change one with ``msgspec.structs.replace(DEFAULT_SETTINGS, match_threshold=0.6)``;
    a value out of range raises ValueError naming the setting.
    """

    #: Name and version of the alignment algorithm.
    algorithm: str = _ALGORITHM
    #: Minimum similarity (IDF-weighted Dice over stems) to pair two points anywhere in the
    #: versions, i.e. also as a move.
    match_threshold: float = 0.5
    #: Minimum similarity to pair two leftover points in order between the same two matched
    #: neighbours (the positional prior). A lone point on each side between two reworded
    #: neighbours needs none.
    positional_threshold: float = 0.2
    #: Minimum share of a merge or split part (IDF-weighted) found in the whole.
    containment_threshold: float = 0.6
    #: Containment a merge or split part needs when it is further than part_window points
    #: from the other parts.
    far_containment_threshold: float = 0.85
    #: How far apart (in points) merge or split parts may be at the lower containment
    #: threshold.
    part_window: int = 4
    #: Coverage of the whole that each merge or split part must add.
    min_part_gain: float = 0.05
    #: Score added in the assignment to a pair in the same gap between anchors.
    gap_bonus: float = 0.1
    #: Candidate partners kept per point from the rare-stem index.
    candidates_per_point: int = 8
    #: How many of its rarest stems each point offers to the rare-stem index.
    prefix_stems: int = 5
    #: Posting-list entries the rare-stem index may visit per unmatched point.
    candidate_budget: int = 300
    #: Gaps between anchors with at most this many point pairs are compared in full.
    dense_gap_limit: int = 4096
    #: Exactly matched points sampled (evenly) to estimate stem frequencies.
    idf_sample: int = 1000
    #: Stems are cut to this many letters.
    stem_length: int = 6
    #: Factor applied to English function words.
    stopword_weight: float = 0.2

    def __post_init__(self) -> None:
        for name in _UNIT:
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"alignment setting {name}={value!r} is outside 0..1")
        if not self.gap_bonus >= 0.0:
            raise ValueError(f"alignment setting gap_bonus={self.gap_bonus!r} is below 0")
        for name, least in _COUNTS.items():
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise ValueError(
                    f"alignment setting {name}={value!r} is not a whole number >= {least}"
                )


DEFAULT_SETTINGS = AlignSettings()

#: How many points each side of a correspondence kind may have.
_ARITY = {
    ChangeKind.UNCHANGED: (lambda o, n: o == 1 and n == 1),
    ChangeKind.REWORDED: (lambda o, n: o == 1 and n == 1),
    ChangeKind.REPLACED: (lambda o, n: o == 1 and n == 1),
    ChangeKind.MERGED: (lambda o, n: o >= 2 and n == 1),
    ChangeKind.SPLIT: (lambda o, n: o == 1 and n >= 2),
    ChangeKind.ADDED: (lambda o, n: o == 0 and n >= 1),
    ChangeKind.REMOVED: (lambda o, n: o >= 1 and n == 0),
}
#: The kinds of one point a side, by far the most common: checked without a call.
_ONE_TO_ONE = frozenset((ChangeKind.UNCHANGED, ChangeKind.REWORDED, ChangeKind.REPLACED))


class Correspondence(msgspec.Struct, frozen=True, kw_only=True, gc=False):
    """A group of old points and the group of new points they became (either may be empty).

    ``kind``: unchanged, reworded, replaced, merged, split, added or removed; never
    unreported. ``old``/``new``: 0-based indices into the old/new points, ascending.
    ``similarity``: score in [0, 1]; None for added and removed. ``moved``: order relative to
    the other matched points changed (not merely renumbered).
    """

    kind: ChangeKind
    old: tuple[int, ...]
    new: tuple[int, ...]
    similarity: float | None = None
    moved: bool = False

    def __post_init__(self) -> None:
        if self.kind in _ONE_TO_ONE and len(self.old) == 1 == len(self.new):
            return
        ok = _ARITY.get(self.kind)
        if ok is None or not ok(len(self.old), len(self.new)):
            raise ValueError(
                f"a '{self.kind}' correspondence cannot have "
                f"{len(self.old)} → {len(self.new)} points"
            )


#: (kind, old indices, new indices, similarity): plain tuples while the alignment works.
Group = tuple[ChangeKind, tuple[int, ...], tuple[int, ...], float | None]
