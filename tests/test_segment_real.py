"""Segmentation of the real-document corpus (tests/real): every family, every document.

The truth in each ``docs/<id>.toml`` was written by reading the text; these tests check that
:func:`plandiff.segment.segment` finds exactly those top-level points, that the first point and
the closing start where the truth says, and that the parts still cover the whole text.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from plandiff.segment import segment
from tests.test_segment import assert_well_formed

DOCS = Path(__file__).parent / "real" / "docs"
CASES = sorted(p.parent / p.stem for p in DOCS.glob("*.toml") if (DOCS / f"{p.stem}.txt").exists())


def _number(text: str) -> str:
    """A number as the corpus writes it: case and trailing punctuation aside."""
    return re.sub(r"[\s.:)\-–—]+$", "", text).strip().lower()


@pytest.mark.skipif(not CASES, reason="the real corpus is not in this checkout")
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_real_document_segments_exactly(case: Path) -> None:
    truth = tomllib.loads(Path(f"{case}.toml").read_text(encoding="utf-8"))["truth"]
    text = Path(f"{case}.txt").read_text(encoding="utf-8")
    result = segment(text)
    assert_well_formed(text, result)
    found = [_number(p.number_text or "•") for p in result.points]
    assert found == [_number(n) for n in truth["numbers"]]
    # Between where a part starts and where the truth says, only decoration (blank lines,
    # rules, heading signs) may stand.
    first_at = text.index(truth["first"])
    assert result.points[0].start <= first_at
    assert not any(ch.isalnum() for ch in text[result.points[0].start : first_at])
    if "closing" in truth:
        closing_at = text.index(truth["closing"])
        assert result.closing is not None and result.closing.start <= closing_at
        assert not any(ch.isalnum() for ch in text[result.closing.start : closing_at])
    else:
        assert result.closing is None
    assert "no-points" not in {w.kind for w in result.warnings}
