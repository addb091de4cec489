"""The real-document corpus (tests/real/): exact segmentation and honest pairing on real texts.

The checks are the benchmark's own (benchmarks/real.py), so the figures the benchmark prints and
what these tests assert cannot drift apart.
"""

from __future__ import annotations

from itertools import pairwise

import pytest

from plandiff.segmentation import segment
from tests.helpers import real_benchmark

real = real_benchmark()

DOCS = real.load_documents()
BY_ID = {d.id: d for d in DOCS}
PAIRS = real.load_pairs()


def test_corpus_is_large_and_varied() -> None:
    families = {d.family for d in DOCS}
    assert len(DOCS) >= 30, len(DOCS)
    assert len(families) >= 8, sorted(families)
    assert len(PAIRS) >= 8, len(PAIRS)


@pytest.mark.parametrize("doc", DOCS, ids=[f"{d.family}:{d.id}" for d in DOCS])
def test_metadata_quotes_occur_in_the_text(doc: real.Document) -> None:
    assert doc.text.count(doc.first) >= 1
    if doc.closing is not None:
        assert doc.text.count(doc.closing) >= 1
    for heading in doc.headings:
        assert heading in doc.text


@pytest.mark.parametrize("doc", DOCS, ids=[f"{d.family}:{d.id}" for d in DOCS])
def test_segmentation_matches_the_truth(doc: real.Document) -> None:
    seg = segment(doc.text)
    result = real.check_document(doc, seg)
    assert result.exact, "; ".join(result.detail)


@pytest.mark.parametrize("doc", DOCS, ids=[f"{d.family}:{d.id}" for d in DOCS])
def test_segmentation_covers_the_whole_real_text(doc: real.Document) -> None:
    seg = segment(doc.text)
    parts = []
    if seg.preamble is not None:
        parts.append((seg.preamble.start, seg.preamble.end))
    parts += [(p.start, p.end) for p in seg.points]
    parts += [(h.start, h.end) for h in getattr(seg, "headings", ())]
    if seg.closing is not None:
        parts.append((seg.closing.start, seg.closing.end))
    parts.sort()
    assert parts[0][0] == 0
    assert parts[-1][1] == len(doc.text)
    for (_, end), (start, _) in pairwise(parts):
        assert end == start


@pytest.mark.parametrize("pair", PAIRS, ids=[p.id for p in PAIRS])
def test_version_pair_links_match_the_gold(pair: real.Pair) -> None:
    result = real.check_pair(pair, BY_ID)
    assert result.f1 >= real.MIN_PAIR_F1, "; ".join(result.detail)
    if pair.unambiguous:
        wrong = [kind for kind, exact in result.kinds_exact.items() if not exact]
        assert not wrong, f"not exact: {wrong}; " + "; ".join(result.detail)
