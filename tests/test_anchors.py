"""Anchors: creation refuses absent/ambiguous quotes; re-anchoring reports what happened."""

from __future__ import annotations

import pytest

from plandiff import anchors, store
from plandiff.anchors import AnchorStatus
from plandiff.errors import QuoteError
from plandiff.models import Anchor, iter_anchors
from tests.helpers import SEEDS

ARTICLE_000 = (SEEDS / "000_01fd698e422cb727.txt").read_text(encoding="utf-8")
ARTICLE_004 = (SEEDS / "004_6478cbe8c4d60a5a.txt").read_text(encoding="utf-8")


def test_bundled_anchors_hold_independently_of_the_anchoring_code() -> None:
    """Each anchor's offsets select its quote in the seed text, read here with plain Python."""
    texts = {p.stem: p.read_bytes().decode("utf-8") for p in SEEDS.glob("*.txt")}
    registry = store.load_registry(SEEDS)
    count = 0
    for version in registry.versions:
        for _, anchor in iter_anchors(version):
            text = texts[anchor.source]
            assert anchor.start is not None and anchor.end is not None
            assert text[anchor.start : anchor.end] == anchor.quote
            assert text[: anchor.start].endswith(anchor.prefix)
            assert text[anchor.end :].startswith(anchor.suffix)
            count += 1
    assert count == 22


def test_offsets_count_code_points_across_dashes_and_bullets() -> None:
    quote = "stated Yermak"
    anchor = anchors.create_anchor("s", ARTICLE_000, quote)
    # The text before it holds an en dash, one code point (three UTF-8 bytes).
    assert "–" in ARTICLE_000[: anchor.start]
    assert anchor.start == ARTICLE_000.index(quote)
    assert ARTICLE_000.encode("utf-8").index(quote.encode()) > anchor.start
    # The dateline uses non-breaking spaces around the bullet: they are part of the quote.
    bullet = anchors.create_anchor("s", ARTICLE_004, "Kyiv\u00a0•\u00a0UNN")
    assert ARTICLE_004[bullet.start : bullet.end] == "Kyiv\u00a0•\u00a0UNN"
    assert bullet.end - bullet.start == 10
    with pytest.raises(QuoteError):
        anchors.create_anchor("s", ARTICLE_004, "Kyiv • UNN")


def test_curly_quotes_are_exact() -> None:
    text = "He said “point by point” — and left."
    anchor = anchors.create_anchor("s", text, "“point by point” —")
    assert (anchor.start, anchor.end) == (8, 26)
    with pytest.raises(QuoteError, match="not found"):
        anchors.create_anchor("s", text, '"point by point"')


def test_absent_quote_refused() -> None:
    with pytest.raises(QuoteError) as info:
        anchors.create_anchor("004", ARTICLE_004, "ceasefire in May")
    assert str(info.value) == "quote 'ceasefire in May' not found in source '004'"


def test_ambiguous_quote_refused_with_candidates() -> None:
    with pytest.raises(QuoteError) as info:
        anchors.create_anchor("004", ARTICLE_004, "Marco Rubio")
    assert info.value.candidates == (178, 602, 818, 2072, 2561)
    assert "use a longer quote or pick one with --occurrence N" in str(info.value)


def test_ambiguous_quote_resolved_by_occurrence_or_context() -> None:
    second = anchors.create_anchor("004", ARTICLE_004, "Marco Rubio", occurrence=2)
    assert second.start == 602
    by_context = anchors.create_anchor(
        "004", ARTICLE_004, "Marco Rubio", suffix=" called this deadline"
    )
    assert by_context.start == 2072
    with pytest.raises(QuoteError, match="occurrence 9 does not exist"):
        anchors.create_anchor("004", ARTICLE_004, "Marco Rubio", occurrence=9)


def test_check_reports_mismatch_and_range() -> None:
    good = anchors.create_anchor("000", ARTICLE_000, "point by point")
    assert anchors.check(good, ARTICLE_000) is None
    moved = good.model_copy(update={"start": good.start + 1, "end": good.end + 1})
    assert "not the quote 'point by point'" in (anchors.check(moved, ARTICLE_000) or "")
    far = good.model_copy(update={"start": 10_000, "end": 10_014})
    assert "out of range" in (anchors.check(far, ARTICLE_000) or "")


# --------------------------------------------------------------------------- re-anchoring

QUOTES = [
    "we were able to address some of these issues now, point by point",
    "final decisions will be made by Presidents Volodymyr Zelensky and Donald Trump",
    "The specific content of the peace plan has not yet been disclosed by either side.",
    "the document is in the final stage of coordination",
]


def _anchors() -> list[Anchor]:
    return [anchors.create_anchor("000", ARTICLE_000, q) for q in QUOTES]


def test_reanchor_unchanged_text_is_exact() -> None:
    for a in _anchors():
        result = anchors.reanchor(a, ARTICLE_000)
        assert result.status is AnchorStatus.EXACT
        assert result.anchor == a


def test_reanchor_after_inserted_text_is_moved() -> None:
    recaptured = "UPDATE 14:05 — adds Umierov comment.\n\n" + ARTICLE_000
    for a in _anchors():
        result = anchors.reanchor(a, recaptured)
        assert result.status is AnchorStatus.MOVED
        assert result.anchor is not None
        assert result.anchor.start == a.start + 38
        assert recaptured[result.anchor.start : result.anchor.end] == a.quote


def test_reanchor_after_changed_punctuation_is_fuzzy_and_snapped_to_words() -> None:
    recaptured = ARTICLE_000.replace(
        "some of these issues now, point by point", "some of these issues now – point-by-point"
    )
    a = _anchors()[0]
    result = anchors.reanchor(a, recaptured)
    assert result.status is AnchorStatus.FUZZY
    assert result.anchor is not None
    assert (
        result.anchor.quote == "we were able to address some of these issues now – point-by-point"
    )
    assert recaptured[result.anchor.start : result.anchor.end] == result.anchor.quote
    assert 0.8 <= result.score < 1.0
    # The other quotes are untouched by the edit but moved by the shorter text before them.
    for other in _anchors()[1:]:
        assert anchors.reanchor(other, recaptured).status in (
            AnchorStatus.EXACT,
            AnchorStatus.MOVED,
        )


def test_reanchor_after_removed_sentence_is_broken() -> None:
    sentence = "The specific content of the peace plan has not yet been disclosed by either side. "
    assert sentence in ARTICLE_000
    recaptured = ARTICLE_000.replace(sentence, "")
    a = _anchors()[2]
    result = anchors.reanchor(a, recaptured)
    assert result.status is AnchorStatus.BROKEN
    assert result.anchor is None


def test_reanchor_refuses_to_guess_between_equal_candidates() -> None:
    text = "Clause: the parties agree to a ceasefire. Later: the parties agree to a ceasefire."
    a = Anchor(source="s", quote="the parties agree to a ceasefire", start=8, end=40)
    shifted = "Intro. " + text  # position no longer matches; two exact candidates, no context
    result = anchors.reanchor(a, shifted)
    assert result.status is AnchorStatus.AMBIGUOUS
    assert result.candidates == (15, 56)


def test_reanchor_uses_context_to_pick_among_exact_candidates() -> None:
    text = "Clause: the parties agree to a ceasefire. Later: the parties agree to a ceasefire."
    a = anchors.create_anchor("s", text, "the parties agree to a ceasefire", occurrence=2)
    shifted = "Intro. " + text
    result = anchors.reanchor(a, shifted)
    assert result.status is AnchorStatus.MOVED
    assert result.anchor is not None and result.anchor.start == 56


def test_reanchor_fuzzy_ambiguity_is_reported() -> None:
    a = Anchor(source="s", quote="troops withdraw within 30 days", start=0, end=30)
    text = "Soldiers: troops withdrew within 30 days. Police: troops withdrew within 30 days."
    result = anchors.reanchor(a, text)
    assert result.status is AnchorStatus.AMBIGUOUS


def test_reanchor_fuzzy_keeps_the_whole_grown_wording() -> None:
    before = "Intro. We kept what protects the farmers downstream. End."
    a = anchors.create_anchor("s", before, "We kept what protects the farmers downstream")
    after = "Intro text here. We kept everything that protects the farmers downstream. End."
    result = anchors.reanchor(a, after)
    assert result.status is AnchorStatus.FUZZY
    assert result.anchor is not None
    assert result.anchor.quote == "We kept everything that protects the farmers downstream"
