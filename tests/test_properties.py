"""Property tests: the invariants of the pure core hold for arbitrary and hostile input.

The normal run uses the ``default`` hypothesis profile (tests/conftest.py) and stays well under
30 seconds; the fuzz run tries many more examples per property:

    PLANDIFF_FUZZ=1 python -m pytest tests/test_properties.py      # 3,000 examples each
    PLANDIFF_FUZZ=20000 python -m pytest tests/test_properties.py  # or any number
"""

from __future__ import annotations

import itertools
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from plandiff import anchors, store
from plandiff.align import align
from plandiff.anchors import AnchorStatus
from plandiff.crosscheck import cross_check
from plandiff.models import Anchor, Registry, text_key
from plandiff.segmentation import segment
from plandiff.texts import diff_texts
from plandiff.worddiff import redline, substantive_changes
from tests import strategies as s
from tests.helpers import REPO

#: Fewer examples for the properties that write files or render whole reports (a third of the
#: profile's: 20 in the normal run, 1,000 in the fuzz run).
heavy = settings(max_examples=max(20, settings().max_examples // 3))

# --------------------------------------------------------------------------- segmentation


@given(s.any_text(max_size=400))
@example("")
@example("1.")
@example("1. \r\n2.\r")
@example("\u200b1.\u00a0a\n\ufeff2. b")
@example("- a\n- b\n\n---\nSigned")
@example("AA\n0.")  # a heading before the first point, no preamble
def test_segmentation_never_fails_and_covers_the_text_in_order(text: str) -> None:
    seg = segment(text)
    spans = []
    if seg.preamble is not None:
        spans.append((seg.preamble.start, seg.preamble.end))
        assert seg.preamble.text == text[seg.preamble.start : seg.preamble.end]
    for i, p in enumerate(seg.points, start=1):
        assert p.index == i
        assert p.start <= p.body_start <= p.body_end <= p.end
        assert p.text == text[p.body_start : p.body_end]
        spans.append((p.start, p.end))
    if seg.closing is not None:
        spans.append((seg.closing.start, seg.closing.end))
        assert seg.closing.text == text[seg.closing.start :]
    for h in seg.headings:  # a heading stands between points, or before the first one
        assert h.text == text[h.start : h.end]
        spans.append((h.start, h.end))
    spans.sort()
    if text:
        assert spans, "a non-empty text is covered by something"
        assert spans[0][0] == 0 and spans[-1][1] == len(text)
        for (_, end), (start, _) in itertools.pairwise(spans):
            assert end == start, spans
    else:
        assert spans == []
    for w in seg.warnings:
        assert 0 <= w.offset <= len(text)
    assert segment(text) == seg  # pure: same input, same output


@given(s.plan_texts(hostile=False))
def test_segmentation_of_clean_plans_finds_points_without_line_breaks_at_their_ends(
    text: str,
) -> None:
    for p in segment(text).points:
        assert p.text == p.text.strip() or p.text.strip(" \t\r\n") == p.text.strip()
        assert not p.text.endswith(("\r", "\n"))


# --------------------------------------------------------------------------- redlines


def _check_redline(old: str, new: str) -> None:
    r = redline(old, new)
    assert r.old_text == old
    assert r.new_text == new
    for (op_a, text_a), (op_b, _) in zip(r.ops, r.ops[1:], strict=False):
        assert text_a, r.ops
        assert op_a is not op_b, r.ops
    assert all(text for _, text in r.ops)
    if old == new:
        assert not r.changed
    else:
        assert r.changed
    substantive_changes(r)  # never fails on what redline returns


@given(s.any_text(), s.any_text())
@example("600,000", "800,000")
@example("a\r\nb", "a\nb")
@example("e\u0301", "e")
@example("\x1b[31m", "\x1b[32m")
def test_redline_rebuilds_old_and_new_for_arbitrary_pairs(old: str, new: str) -> None:
    _check_redline(old, new)


@given(s.any_text(), st.data())
def test_redline_rebuilds_old_and_new_for_small_edits(old: str, data: st.DataObject) -> None:
    new = old
    for _ in range(data.draw(st.integers(1, 4))):
        at = data.draw(st.integers(0, len(new)))
        cut = data.draw(st.integers(0, min(5, len(new) - at)))
        new = (
            new[:at]
            + data.draw(st.one_of(s.words(), st.sampled_from(s.HOSTILE_FRAGMENTS), st.just("")))
            + new[at + cut :]
        )
    _check_redline(old, new)


# --------------------------------------------------------------------------- alignment


def _check_partition(old: list[str], new: list[str], result) -> None:  # type: ignore[no-untyped-def]
    seen_old = [i for c in result for i in c.old]
    seen_new = [j for c in result for j in c.new]
    assert sorted(seen_old) == list(range(len(old))), result
    assert sorted(seen_new) == list(range(len(new))), result
    for c in result:
        assert list(c.old) == sorted(c.old) and list(c.new) == sorted(c.new)


@given(s.point_lists())
@example((["Repealed."] * 3, ["Repealed."] * 2))
@example(([], ["a"]))
@example((["a", "b", "a b"], ["a b", "a", "b"]))
def test_alignment_partitions_both_point_lists_and_is_deterministic(
    lists: tuple[list[str], list[str]],
) -> None:
    old, new = lists
    result = align(old, new)
    _check_partition(old, new, result)
    assert align(list(old), list(new)) == result


@given(s.point_lists(), st.data())
def test_alignment_with_curated_groups_partitions_the_rest_in_any_order(
    lists: tuple[list[str], list[str]], data: st.DataObject
) -> None:
    old, new = lists
    assume(old and new)
    # A few disjoint 1:1 "curated" pairs, given in a shuffled order.
    k = data.draw(st.integers(1, min(3, len(old), len(new))))
    olds = data.draw(st.lists(st.integers(0, len(old) - 1), min_size=k, max_size=k, unique=True))
    news = data.draw(st.lists(st.integers(0, len(new) - 1), min_size=k, max_size=k, unique=True))
    fixed = [((o,), (n,)) for o, n in zip(olds, news, strict=True)]
    shuffled = data.draw(st.permutations(fixed))
    result = align(old, new, fixed=fixed)
    assert align(old, new, fixed=shuffled) == result
    covered_old = {i for c in result for i in c.old} | set(olds)
    covered_new = {j for c in result for j in c.new} | set(news)
    assert covered_old == set(range(len(old))) and covered_new == set(range(len(new)))
    assert not {i for c in result for i in c.old} & set(olds)
    assert not {j for c in result for j in c.new} & set(news)


@heavy
@given(s.plan_texts(max_points=10), s.plan_texts(max_points=10))
def test_diff_of_two_plan_texts_accounts_for_every_point_once(old: str, new: str) -> None:
    result = diff_texts(old, new, old_name="old.txt", new_name="new.txt")
    n_old, n_new = len(segment(old).points), len(segment(new).points)
    assert sorted(r.index for c in result.changes for r in c.old) == list(range(1, n_old + 1))
    assert sorted(r.index for c in result.changes for r in c.new) == list(range(1, n_new + 1))
    for c in result.changes:
        if c.redline is not None:
            assert c.redline.old_text == "\n".join(r.text for r in c.old)
            assert c.redline.new_text == "\n".join(r.text for r in c.new)


_HASHSEED_SCRIPT = """
import json, sys
import msgspec
from plandiff.align import align
from plandiff.texts import diff_texts
from plandiff.render import json as json_render
old, new = json.loads(sys.stdin.read())
result = align(old, new)
doc = msgspec.to_builtins(json_render.document(diff_texts(
    "\\n".join(f"{i}. {t}" for i, t in enumerate(old, 1)),
    "\\n".join(f"{i}. {t}" for i, t in enumerate(new, 1)),
)))
print(json.dumps([msgspec.to_builtins(result), doc], sort_keys=True))
"""

#: Ties everywhere: repeated texts, equal similarities, a merge and a split, unicode.
_HASHSEED_EXAMPLE = (
    [
        "Repealed.",
        "Ukraine shall not join NATO.",
        "Repealed.",
        "Elections within 100 days.",
        "Sanctions will be lifted in stages.",
        "Україна отримає гарантії безпеки.",
        "The army is capped at 600,000.",
        "Repealed.",
        "Amnesty for all parties.",
        "Prisoners exchange all for all.",
        "Zaporizhzhia nuclear plant restarted.",
    ],
    [
        "Repealed.",
        "Elections within 100 days.",
        "Ukraine shall not join NATO.",
        "Repealed.",
        "Sanctions will be lifted in stages, and frozen assets used.",
        "Україна отримає надійні гарантії безпеки.",
        "The army is capped at 800,000.",
        "Amnesty for all parties. Prisoners exchange all for all.",
        "Repealed.",
        "Repealed.",
        "Zaporizhzhia nuclear plant",
        "restarted under IAEA supervision.",
    ],
)


def test_alignment_and_diff_do_not_depend_on_the_hash_seed() -> None:
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", _HASHSEED_SCRIPT],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(REPO)},
        )
        for seed in ("0", "1", "12345", "random")
    ]
    outputs = [run.communicate(json.dumps(_HASHSEED_EXAMPLE), timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0]
    assert len(set(outputs)) == 1


# --------------------------------------------------------------------------- anchors


@given(s.quoted_texts())
def test_anchor_from_a_unique_quote_verifies(quoted: tuple[str, int, int]) -> None:
    text, start, end = quoted
    anchor = anchors.create_anchor("src", text, text[start:end])
    assert (anchor.start, anchor.end) == (start, end)
    assert anchors.check(anchor, text) is None
    assert anchors.reanchor(anchor, text).status is AnchorStatus.EXACT


@given(s.quoted_texts(), st.data())
def test_anchor_survives_a_recapture_that_only_inserts_text_elsewhere(
    quoted: tuple[str, int, int], data: st.DataObject
) -> None:
    text, start, end = quoted
    quote = text[start:end]
    anchor = anchors.create_anchor("src", text, quote)
    inserted = data.draw(
        st.one_of(s.sentences(), s.unicode_text(1, 40), s.markup_text(6)).filter(bool)
    )
    at = data.draw(st.one_of(st.integers(0, start), st.integers(end, len(text))))
    new_text = text[:at] + inserted + text[at:]
    new_start = start + len(inserted) if at <= start else start
    # Only insertions that leave the quote alone: still once in the text, still whole characters.
    assume(anchors.occurrences(new_text, quote) == [new_start])
    assume(not anchors.splits_character(new_text, new_start))
    assume(not anchors.splits_character(new_text, new_start + len(quote)))
    result = anchors.reanchor(anchor, new_text)
    assert result.status in (AnchorStatus.EXACT, AnchorStatus.MOVED), result
    assert result.anchor is not None and result.anchor.quote == quote
    assert (result.anchor.start, result.anchor.end) == (new_start, new_start + len(quote))
    assert anchors.check(result.anchor, new_text) is None


@given(s.any_text(), st.integers(0, 500), st.integers(0, 60), s.any_text())
@example("01", 0, 2, "1")  # a quote longer than the new text (found by the fuzz run)
def test_checking_and_reanchoring_never_fail_on_arbitrary_offsets_and_texts(
    text: str, start: int, length: int, new_text: str
) -> None:
    quote = (text[start : start + length] if start < len(text) else "") or "x"
    anchor = Anchor(source="src", quote=quote, start=start, end=start + len(quote))
    why = anchors.check(anchor, text)
    assert why is None or "\n" not in why
    result = anchors.reanchor(anchor, new_text)
    if result.anchor is not None:
        assert anchors.check(result.anchor, new_text) is None
        assert result.status is not AnchorStatus.BROKEN
    else:
        assert result.status in (AnchorStatus.AMBIGUOUS, AnchorStatus.BROKEN)


# --------------------------------------------------------------------------- registries


def _by_id(registry: Registry) -> dict[str, list[dict]]:
    """The registry as data, sources and versions in id order (files load in file-name order)."""
    return {
        "sources": [
            x.model_dump(mode="json") for x in sorted(registry.sources, key=lambda x: x.id)
        ],
        "versions": [
            x.model_dump(mode="json") for x in sorted(registry.versions, key=lambda x: x.id)
        ],
    }


def _same(a: Registry, b: Registry) -> None:
    assert _by_id(a) == _by_id(b)
    assert a.texts == b.texts


def _text_files(registry: Registry) -> dict[str, bytes]:
    """Every text file of the registry: each source's current text and its earlier captures."""
    files = {s_.path: registry.texts[s_.id].encode("utf-8") for s_ in registry.sources}
    for s_ in registry.sources:
        for n, kept in enumerate(s_.captures, start=1):
            files[kept.path] = registry.texts[text_key(s_.id, n)].encode("utf-8")
    return files


def _save(root: Path, registry: Registry) -> None:
    files = _text_files(registry)
    # Durability is not what this test is about (tests/test_crash_safety.py is), speed is.
    with mock.patch("os.fsync"):
        store.save_registry(root, registry, extra_files=files)


@heavy
@given(s.registries(max_sources=2, max_versions=3))
def test_registry_is_valid_and_survives_save_and_load(registry: Registry) -> None:
    assert cross_check(registry) == []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "registry"
        root.mkdir()
        _save(root, registry)
        loaded = store.load_registry(root)
        _same(loaded, registry)
        before = {p: p.read_bytes() for p in root.rglob("*") if p.is_file()}
        _save(root, loaded)  # saving what was loaded changes nothing
        assert {p: p.read_bytes() for p in root.rglob("*") if p.is_file()} == before


@heavy
@given(s.registries(max_sources=2, max_versions=3))
def test_registry_to_xml_to_registry_is_the_identity(registry: Registry) -> None:
    xmlarchive = pytest.importorskip("plandiff.xmlarchive", reason="XML archives not landed yet")
    import datetime as dt

    when = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    data = xmlarchive.export_registry(registry, created=when)
    back, files = xmlarchive.import_archive(data)
    _same(back, registry)
    assert {p: b for p, b in files.items() if p.endswith(".txt")} == _text_files(registry)
    assert xmlarchive.export_registry(back, created=when) == data


# --------------------------------------------------------------------------- untrusted output

#: What must never reach a terminal raw: C0 controls but tab and newline, DEL, C1 (CSI, OSC),
#: bidi overrides, embeddings and isolates.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
SGR = re.compile("\x1b\\[[0-9;]*m")  # the colour codes rich itself writes


def renderers():  # type: ignore[no-untyped-def]
    """Every report renderer that exists: name → function from a DiffResult to text."""
    from plandiff.render import json as json_render
    from plandiff.render import plain

    found = {"plain": plain.render, "json": json_render.render}
    try:
        from plandiff.render import terminal
    except ImportError:
        pass
    else:
        found["terminal"] = lambda r: terminal.export(terminal.render(r, show_unchanged=True))
        found["terminal-color"] = lambda r: SGR.sub(
            "", terminal.export(terminal.render(r, show_unchanged=True), color=True)
        )
        found["terminal-side-by-side"] = lambda r: terminal.export(
            terminal.render(r, show_unchanged=True, side_by_side=True)
        )
    try:
        from plandiff.render import markdown
    except ImportError:
        pass
    else:
        found["markdown"] = lambda r: markdown.render(r, show_unchanged=True)
    try:
        from plandiff.render.xml import diff_to_xml
    except ImportError:
        pass
    else:
        found["xml"] = lambda r: diff_to_xml(r).decode("utf-8")
    return found


@heavy
@given(s.plan_texts(max_points=5), s.plan_texts(max_points=5), s.markup_text(6))
def test_no_renderer_lets_control_characters_through(old: str, new: str, name: str) -> None:
    result = diff_texts(old, new, old_name=name or "old", new_name=name + "\x1b[2J" or "new")
    for kind, render in renderers().items():
        out = render(result)
        assert not RAW_CONTROL.search(out), (kind, RAW_CONTROL.search(out))
        if kind == "json":
            assert json.loads(out)["changes"] is not None
