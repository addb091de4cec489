"""The recording operations as pure functions: Registry → Edit (plandiff.recording).

Every successful change is checked with the store's cross-check, so what a command would save
is a registry that loads again.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import store
from plandiff.anchors import AnchorStatus
from plandiff.crosscheck import cross_check
from plandiff.errors import NotFoundError, PlandiffError, QuoteError
from plandiff.extract import Capture, FileFormat, extract
from plandiff.models import IDENT_PATTERN, Completeness, Registry, RelationKind
from plandiff.recording import (
    KEEP,
    Edit,
    QuoteChoiceError,
    QuoteRef,
    RecaptureError,
    SourceMeta,
    SourceStatus,
    add_event,
    add_point,
    add_source,
    add_sources,
    add_version,
    anchor_quote,
    default_source_id,
    edit_point,
    pair_quotes,
    parse_relation_args,
    relate,
    remove_point,
    slug,
    unique_key,
    unrelate,
    writable_root,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "recording"
LEDGER = "ledger-2031-03-14"


def capture(name: str) -> Capture:
    return extract((FIXTURES / name).read_bytes(), name)


def text_capture(text: str, name: str = "note.txt") -> Capture:
    return Capture(name=name, format=FileFormat.TEXT, text=text, original=text.encode())


def ok(change: Edit) -> Registry:
    """The registry after a change, which must pass the store's whole-registry cross-check."""
    assert cross_check(change.registry) == []
    return change.registry


def q(quote: str, source: str = LEDGER, occurrence: int | None = None) -> tuple[QuoteRef, ...]:
    return (QuoteRef(source=source, quote=quote, occurrence=occurrence),)


@pytest.fixture(scope="module")
def base() -> Registry:
    """Two full versions from plan texts, the Ledger article and a partial version."""
    reg = Registry()
    reg = ok(add_version(reg, "draft-10", title="Ten-point draft", text=capture("draft-10.txt")))
    reg = ok(
        add_version(
            reg,
            "revised-8",
            title="Eight-point revision",
            derived_from="draft-10",
            text=capture("revised-8.txt"),
        )
    )
    reg = ok(add_source(reg, capture(f"{LEDGER}.html")))
    return ok(add_version(reg, "reported-8", title="As reported", derived_from="draft-10"))


@pytest.fixture(scope="module")
def related(base: Registry) -> Registry:
    """``base`` with a merge, a drop, a point and an event citing the Ledger article."""
    reg = ok(
        relate(
            base,
            parse_relation_args(["draft-10:p4,p5", "revised-8:p4"]),
            RelationKind.MERGED,
            quotes=q("merges the two points on flood warnings into one"),
        )
    )
    reg = ok(
        relate(
            reg,
            parse_relation_args(["draft-10:p9", "revised-8"]),
            RelationKind.DROPPED,
            quotes=q("drops the proposal for a joint fishing authority"),
        )
    )
    reg = ok(
        add_point(
            reg,
            "reported-8",
            summary="Farmers downstream are protected.",
            quotes=q("We kept everything that protects farmers downstream"),
        )
    )
    reg = ok(
        add_point(
            reg,
            "reported-8",
            summary="The dam is inspected jointly.",
            quotes=q("the dam will be inspected jointly"),
        )
    )
    reg = ok(
        add_point(
            reg,
            "reported-8",
            summary="Headline",
            key="headline",
            quotes=q("Arden delegations agree revised water-sharing plan"),
        )
    )
    return ok(
        add_event(
            reg,
            "revised-8",
            date=dt.date(2031, 3, 13),
            what="The delegations agree the revised plan.",
            quotes=q("agreed on Thursday to a revised water-sharing plan"),
        )
    )


# --------------------------------------------------------------------------- ids and keys


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ledger-2031-03-14.html", "ledger-2031-03-14"),
        ("dir/Été à Genève.txt", "Ete-a-Geneve"),
        ("Report (final) v2.md", "Report-final-v2"),
        (".hidden", "hidden"),
        ("###.txt", "source"),
        ("a.b.c.html", "a.b.c"),
    ],
)
def test_default_source_id(name: str, expected: str) -> None:
    assert default_source_id(name) == expected


@given(st.text(max_size=300))
def test_default_source_id_is_always_a_valid_id(name: str) -> None:
    import re

    assert re.match(IDENT_PATTERN, default_source_id(name))


@given(st.text(max_size=200))
def test_slug_is_always_a_valid_key(text: str) -> None:
    import re

    assert re.match(IDENT_PATTERN, slug(text))


def test_slug_and_unique_key() -> None:
    assert slug("The dam at Orsk stays under joint inspection.") == "dam-orsk-stays-under"
    assert slug("Territorial concessions.") == "territorial-concessions"
    assert slug("«»") == "point"
    assert unique_key("a", ["a", "a-2"]) == "a-3"
    assert unique_key("b", ["a"]) == "b"


# --------------------------------------------------------------------------- quote options


def test_pair_quotes() -> None:
    assert pair_quotes(["a", "b"], ["s"]) == (QuoteRef("s", "a"), QuoteRef("s", "b"))
    assert pair_quotes(["a", "b"], ["s", "t"], [0, 2]) == (
        QuoteRef("s", "a"),
        QuoteRef("t", "b", 2),
    )
    assert pair_quotes([], []) == ()


@pytest.mark.parametrize(
    ("quotes", "sources", "occurrences", "message"),
    [
        (["a"], [], [], "each --quote needs the --source"),
        (["a", "b", "c"], ["s", "t"], [], "3 --quote but 2 --source"),
        (["a", "b"], ["s"], [1], "2 --quote but 1 --occurrence"),
        ([], ["s"], [], "need a --quote"),
    ],
)
def test_pair_quotes_refusals(
    quotes: list[str], sources: list[str], occurrences: list[int], message: str
) -> None:
    with pytest.raises(PlandiffError, match=message):
        pair_quotes(quotes, sources, occurrences)


# --------------------------------------------------------------------------- anchoring quotes


def test_anchor_quote_absent_shows_the_closest_match(base: Registry) -> None:
    with pytest.raises(QuoteChoiceError) as info:
        anchor_quote(base, QuoteRef(LEDGER, "protects the farmers downstream"))
    message = str(info.value)
    assert message.startswith(
        f"quote 'protects the farmers downstream' not found in source '{LEDGER}'"
    )
    assert f"'plandiff show {LEDGER}' prints that text" in message
    (detail,) = info.value.details
    assert detail.startswith("closest: at ")
    assert '"We kept everything [that protects farmers downstream]," said' in detail


def test_anchor_quote_ambiguous_lists_candidates(base: Registry) -> None:
    text = base.text(LEDGER)
    with pytest.raises(QuoteChoiceError) as info:
        anchor_quote(base, QuoteRef(LEDGER, "Province"))
    starts = [i for i in range(len(text)) if text.startswith("Province", i)]
    assert info.value.candidates == tuple(starts)
    assert "occurs 2 times" in str(info.value)
    assert "pick one with --occurrence N, or quote more words" in str(info.value)
    assert info.value.details[0].startswith(f"--occurrence 1: at {starts[0]}..{starts[0] + 8}: ")
    assert "by the Upper [Province] alone" in info.value.details[0]
    assert "led the Lower [Province] delegation" in info.value.details[1]
    assert isinstance(info.value, QuoteError)


def test_anchor_quote_occurrence_picks_and_checks(base: Registry) -> None:
    text = base.text(LEDGER)
    anchor = anchor_quote(base, QuoteRef(LEDGER, "Province", occurrence=2))
    assert text[anchor.start : anchor.end] == "Province"
    assert text[anchor.start - 6 : anchor.start] == "Lower "
    with pytest.raises(QuoteChoiceError, match="--occurrence 3 does not exist"):
        anchor_quote(base, QuoteRef(LEDGER, "Province", occurrence=3))


def test_anchor_quote_unknown_source(base: Registry) -> None:
    with pytest.raises(NotFoundError, match="unknown source 'ledger'; did you mean"):
        anchor_quote(base, QuoteRef("ledger", "x"))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_anchor_quote_is_exact_or_refused(data: st.DataObject) -> None:
    text = data.draw(st.text(alphabet="ab \n", min_size=1, max_size=40))
    quote = data.draw(st.text(alphabet="ab \n", min_size=1, max_size=5))
    source = store.sha256_bytes(text.encode())
    reg = Registry(
        sources=(
            {"id": "s", "path": "s.txt", "sha256": source},  # type: ignore[arg-type]
        ),
        texts={"s": text},
    )
    count = sum(1 for i in range(len(text)) if text.startswith(quote, i))
    if not quote.strip():
        with pytest.raises(QuoteError):
            anchor_quote(reg, QuoteRef("s", quote))
        return
    try:
        anchor = anchor_quote(reg, QuoteRef("s", quote))
    except QuoteChoiceError as exc:
        assert count != 1
        assert len(exc.candidates) == count
    else:
        assert count == 1
        assert text[anchor.start : anchor.end] == quote


# --------------------------------------------------------------------------- sources


def test_add_source_html_keeps_text_original_and_metadata(base: Registry) -> None:
    source = base.source(LEDGER)
    assert source is not None
    assert source.path == f"sources/{LEDGER}.txt"
    assert source.original == f"sources/{LEDGER}.orig.html"
    assert (source.title, source.outlet, source.author) == (
        "Arden delegations agree revised water-sharing plan",
        "The Valley Ledger",
        "Mara Lindqvist",
    )
    assert source.published == dt.date(2031, 3, 14)
    change = add_source(Registry(), capture(f"{LEDGER}.html"))
    text = change.registry.text(LEDGER)
    assert change.files == {
        f"sources/{LEDGER}.txt": text.encode(),
        f"sources/{LEDGER}.orig.html": (FIXTURES / f"{LEDGER}.html").read_bytes(),
    }
    assert change.lines == (
        f"added source '{LEDGER}' (sources/{LEDGER}.txt, "
        "'Arden delegations agree revised water-sharing plan')",
    )


def test_add_source_options_override_the_page() -> None:
    meta = SourceMeta(
        title="Own title", outlet="Wire", published=dt.date(2031, 1, 2), language="de"
    )
    change = add_source(Registry(), capture(f"{LEDGER}.html"), source_id="mine", meta=meta)
    source = change.result.source
    assert (source.id, source.title, source.outlet, source.published, source.language) == (
        "mine",
        "Own title",
        "Wire",
        dt.date(2031, 1, 2),
        "de",
    )
    assert source.author == "Mara Lindqvist"  # not overridden: from the page


def test_add_source_plain_text_keeps_no_duplicate_original() -> None:
    change = add_source(Registry(), text_capture("Some article.\n", "a.txt"))
    assert change.result.source.original is None
    assert set(change.files) == {"sources/a.txt"}
    crlf = Capture("b.txt", FileFormat.TEXT, "x\n", b"x\r\n")
    change = add_source(Registry(), crlf)
    assert change.files["sources/b.orig.txt"] == b"x\r\n"


def test_add_source_same_content_is_unchanged(base: Registry) -> None:
    change = add_source(base, capture(f"{LEDGER}.html"))
    assert change.changed is False
    assert change.registry is base
    assert change.result.status is SourceStatus.UNCHANGED
    assert change.lines == (f"unchanged: source '{LEDGER}' (sources/{LEDGER}.txt)",)


def test_add_source_different_text_needs_recapture(related: Registry) -> None:
    with pytest.raises(PlandiffError) as info:
        add_source(related, capture(f"{LEDGER}-updated.html"), source_id=LEDGER)
    assert str(info.value).startswith(f"source '{LEDGER}' already exists with different text")
    assert "re-anchor the 6 quote(s) citing it, add --recapture" in str(info.value)


def test_add_source_different_metadata_needs_recapture(base: Registry) -> None:
    meta = SourceMeta(title="Corrected")
    with pytest.raises(
        PlandiffError, match=r"different metadata \(title 'Arden .*' → 'Corrected'\)"
    ):
        add_source(base, capture(f"{LEDGER}.html"), meta=meta)
    change = add_source(base, capture(f"{LEDGER}.html"), meta=meta, recapture=True)
    assert change.result.source.title == "Corrected"
    assert change.result.status is SourceStatus.RECAPTURED


def test_add_source_refuses_another_sources_file() -> None:
    reg = ok(add_source(Registry(), Capture("a.txt", FileFormat.TEXT, "x\n", b"x\r\n")))
    with pytest.raises(
        PlandiffError, match=r"would write 'sources/a\.orig\.txt', which belongs to source 'a'"
    ):
        add_source(reg, text_capture("y\n"), source_id="a.orig")
    with pytest.raises(
        PlandiffError, match=r"would write 'sources/A\.txt', which belongs to source 'a'"
    ):
        add_source(reg, text_capture("y\n"), source_id="A")


def test_add_source_invalid_id() -> None:
    with pytest.raises(PlandiffError, match=r"invalid source id '\.\./x': use letters"):
        add_source(Registry(), text_capture("y\n"), source_id="../x")


def test_add_sources_is_all_or_nothing() -> None:
    change = add_sources(
        Registry(), [(text_capture("one\n", "a.txt"), None), (text_capture("two\n", "b.txt"), None)]
    )
    assert [s.id for s in change.registry.sources] == ["a", "b"]
    with pytest.raises(PlandiffError, match="source 'a' already exists"):
        add_sources(
            Registry(),
            [(text_capture("one\n", "a.txt"), None), (text_capture("two\n", "a.txt"), None)],
        )


# --------------------------------------------------------------------------- recapture


def test_recapture_reanchors_and_reports_each_quote(related: Registry) -> None:
    with pytest.raises(RecaptureError) as info:
        add_source(related, capture(f"{LEDGER}-updated.html"), source_id=LEDGER, recapture=True)
    message = str(info.value)
    assert message.startswith(
        f"recapture of source '{LEDGER}' refused: 1 quote(s) cannot be found again in the new "
        "capture (1 broken); points that would lose their evidence: none; other evidence that "
        "would be lost: revised-8 relation dropped draft-10:p9 → revised-8; add --force"
    )
    statuses = [line.split()[0] for line in info.value.details]
    assert sorted(statuses) == ["broken", "exact", "fuzzy", "moved", "moved", "moved"]
    lines = "\n".join(info.value.details)
    assert "fuzzy     reported-8:farmers-downstream-protected: 'We kept everything that " in lines
    assert "protects the farmers downstream' (513..564 → " in lines  # the new wording
    assert (
        "exact     reported-8:headline: 'Arden delegations agree revised water-sharing "
        "plan' (0..50)" in lines
    )


def test_forced_recapture_keeps_previous_capture_for_lost_quotes(related: Registry) -> None:
    old_original = (FIXTURES / f"{LEDGER}.html").read_bytes()
    files = {f"sources/{LEDGER}.orig.html": old_original}
    change = add_source(
        related,
        capture(f"{LEDGER}-updated.html"),
        source_id=LEDGER,
        recapture=True,
        force=True,
        read=files.get,
        retrieved=dt.date(2026, 3, 2),
    )
    reg = ok(change)
    assert change.result.kept == 1
    source = reg.source(LEDGER)
    assert source is not None and source.retrieved == dt.date(2026, 3, 2)
    (kept,) = source.captures
    assert kept.path == f"sources/{LEDGER}.capture-1.txt"
    assert kept.original == f"sources/{LEDGER}.capture-1.orig.html"
    assert kept.retrieved is None  # the first capture was recorded without a date
    assert reg.texts[f"{LEDGER}@1"] == related.text(LEDGER)
    assert [s.id for s in reg.sources] == [s.id for s in related.sources]  # no archive source
    assert reg.text(LEDGER) == capture(f"{LEDGER}-updated.html").text
    dropped = reg.version("revised-8").relations[1]  # type: ignore[union-attr]
    assert (dropped.evidence[0].source, dropped.evidence[0].capture) == (LEDGER, 1)
    assert reg.anchor_text(dropped.evidence[0]) == related.text(LEDGER)
    merged = reg.version("revised-8").relations[0]  # type: ignore[union-attr]
    assert (merged.evidence[0].source, merged.evidence[0].capture) == (LEDGER, None)
    assert change.files[kept.original] == old_original
    assert store.sha256_bytes(change.files[kept.path]) == kept.sha256
    assert change.lines[0] == (
        f"recaptured source '{LEDGER}' (sources/{LEDGER}.txt): 6 quote(s) re-anchored: "
        "1 exact, 3 moved, 1 fuzzy, 1 broken"
    )
    assert change.lines[-2] == f"kept the previous text as capture 1 ({kept.path})"
    assert change.lines[-1].startswith("1 quote(s) not found in the new text stay anchored in ")


def test_recapture_reports_ambiguous_quotes() -> None:
    reg = ok(add_source(Registry(), text_capture("x beta y\n", "s.txt")))
    reg = ok(add_version(reg, "v", title="V"))
    reg = ok(add_point(reg, "v", summary="Beta.", quotes=q("beta", "s")))
    with pytest.raises(RecaptureError) as info:
        add_source(reg, text_capture("zz x beta y\nx beta y\n", "s.txt"), recapture=True)
    assert "(1 ambiguous); points that would lose their evidence: v:beta; add" in str(info.value)
    assert info.value.details == (
        "ambiguous v:beta: 'beta' (was at 2..6; now found at several places)",
    )


def test_recapture_of_unchanged_quotes_is_exact() -> None:
    reg = ok(add_source(Registry(), text_capture("alpha beta\n", "s.txt")))
    reg = ok(add_version(reg, "v", title="V"))
    reg = ok(add_point(reg, "v", summary="Alpha.", quotes=q("alpha", "s")))
    change = add_source(reg, text_capture("alpha beta gamma\n", "s.txt"), recapture=True)
    ok(change)
    assert [r.status for r in change.result.anchors] == [AnchorStatus.EXACT]
    assert change.result.kept == 1 and not change.result.lost_kept


# --------------------------------------------------------------------------- versions


def test_version_from_text_is_full_and_anchored(base: Registry) -> None:
    draft = base.version("draft-10")
    assert draft is not None
    assert draft.completeness is Completeness.FULL
    assert draft.text_source == "draft-10"
    assert [p.key for p in draft.points] == [f"p{i}" for i in range(1, 11)]
    assert [p.number for p in draft.points] == list(range(1, 11))
    text = base.text("draft-10")
    for p in draft.points:
        (anchor,) = p.evidence
        assert text[anchor.start : anchor.end] == p.text
    assert (
        draft.points[8].text
        == "A joint fishing authority manages fish stocks along the whole river."
    )
    assert base.source("draft-10").title == "Ten-point draft"  # type: ignore[union-attr]


def test_add_partial_version(base: Registry) -> None:
    change = add_version(
        base,
        "v2",
        title="T",
        declared_points=7,
        date=dt.date(2031, 1, 1),
        issuer=["A", "B"],
        parties=["C"],
        derived_from="draft-10",
    )
    version = ok(change).version("v2")
    assert version is not None
    assert version.completeness is Completeness.PARTIAL
    assert (version.declared_points, version.issuer, version.points) == (7, ("A", "B"), ())
    assert change.lines == ("added version 'v2' (partial, no points yet)",)


def test_add_version_refusals(base: Registry) -> None:
    with pytest.raises(
        PlandiffError, match=r"version 'draft-10' already exists \(versions/draft-10.toml\)"
    ):
        add_version(base, "draft-10", title="T")
    with pytest.raises(NotFoundError, match="unknown version 'draft-1'; did you mean 'draft-10'"):
        add_version(base, "v", title="T", derived_from="draft-1")
    with pytest.raises(PlandiffError, match="invalid version id 'a b'"):
        add_version(base, "a b", title="T")
    with pytest.raises(
        PlandiffError, match=r"no numbered or bulleted points found in 'prose\.txt'"
    ):
        add_version(base, "v", title="T", text=text_capture("Just prose.\n", "prose.txt"))
    with pytest.raises(
        PlandiffError, match="source 'draft-10' already exists with a different text"
    ):
        add_version(base, "v", title="T", text=text_capture("1. One\n2. Two\n", "draft-10.txt"))
    with pytest.raises(PlandiffError, match="title: String should have at least 1 character"):
        add_version(base, "v", title="")


def test_add_version_reuses_a_source_with_the_same_text(base: Registry) -> None:
    change = add_version(base, "again", title="Again", text=capture("draft-10.txt"))
    assert ok(change).version("again").text_source == "draft-10"  # type: ignore[union-attr]
    assert change.files == {}
    assert change.lines[0] == "using source 'draft-10', which has this text already"


def test_add_version_reports_segmentation_warnings() -> None:
    change = add_version(
        Registry(), "v", title="T", text=text_capture("1. One\n3. Three\n", "gap.txt")
    )
    assert any(line.startswith("warning: 'gap.txt': ") for line in change.lines)


# --------------------------------------------------------------------------- points


def test_add_point_key_number_order_and_topics(base: Registry) -> None:
    reg = ok(
        add_point(
            base,
            "reported-8",
            summary="Quotas reviewed every five years.",
            number=3,
            topics=["water", ""],
            quotes=q("cuts the February draft from ten points to eight"),
        )
    )
    reg = ok(
        add_point(
            reg,
            "reported-8",
            summary="Releases rise.",
            number=2,
            quotes=q("rise from 40 to 45 cubic metres per second"),
        )
    )
    reg = ok(add_point(reg, "reported-8", summary="Releases rise.", quotes=q("Summer releases")))
    points = reg.version("reported-8").points  # type: ignore[union-attr]
    assert [p.key for p in points] == [
        "releases-rise",
        "quotas-reviewed-every-five",
        "releases-rise-2",
    ]
    assert points[1].topics == ("water",)


def test_add_point_refusals(base: Registry) -> None:
    with pytest.raises(PlandiffError, match="a point needs --summary"):
        add_point(base, "reported-8", quotes=q("Summer releases"))
    with pytest.raises(PlandiffError, match="a point needs evidence"):
        add_point(base, "reported-8", summary="S", quotes=())
    with pytest.raises(NotFoundError, match="unknown version 'reported'"):
        add_point(base, "reported", summary="S", quotes=q("Summer releases"))
    with pytest.raises(
        PlandiffError, match=r"point 'draft-10:p1' already exists; choose another --key"
    ):
        add_point(base, "draft-10", summary="S", key="p1", quotes=q("Summer releases"))
    with pytest.raises(PlandiffError, match="invalid point key '-x'"):
        add_point(base, "draft-10", summary="S", key="-x", quotes=q("Summer releases"))


def test_edit_point_fields_and_evidence(related: Registry) -> None:
    change = edit_point(
        related,
        "reported-8",
        "dam-inspected-jointly",
        summary="Joint inspection of the Orsk dam.",
        number=5,
        topics=["dams"],
        add_quotes=q("instead of by the Upper Province alone"),
    )
    point = ok(change).version("reported-8").point("dam-inspected-jointly")  # type: ignore[union-attr]
    assert point is not None
    assert (point.summary, point.number, point.topics, len(point.evidence)) == (
        "Joint inspection of the Orsk dam.",
        5,
        ("dams",),
        2,
    )
    assert change.lines == (
        "edited point reported-8:dam-inspected-jointly (number, summary, topics, evidence)",
    )
    dropped = edit_point(change.registry, "reported-8", "dam-inspected-jointly", drop_evidence=[1])
    kept = ok(dropped).version("reported-8").point("dam-inspected-jointly")  # type: ignore[union-attr]
    assert [a.quote for a in kept.evidence] == ["instead of by the Upper Province alone"]  # type: ignore[union-attr]


def test_edit_point_unchanged(related: Registry) -> None:
    change = edit_point(related, "reported-8", "headline", summary="Headline")
    assert change.changed is False
    assert change.lines == ("unchanged: point reported-8:headline",)


def test_edit_point_rename_follows_relations(related: Registry) -> None:
    reg = ok(edit_point(related, "draft-10", "p9", new_key="fishing"))
    assert reg.version("revised-8").relations[1].old == ("fishing",)  # type: ignore[union-attr]
    reg = ok(edit_point(reg, "revised-8", "p4", new_key="hotline"))
    assert reg.version("revised-8").relations[0].new == ("hotline",)  # type: ignore[union-attr]


def test_edit_point_refusals(related: Registry) -> None:
    with pytest.raises(PlandiffError, match="would have no evidence left"):
        edit_point(related, "reported-8", "headline", drop_evidence=[1])
    with pytest.raises(PlandiffError, match="has 1 quote\\(s\\); there is no quote 2 to drop"):
        edit_point(related, "reported-8", "headline", drop_evidence=[2])
    with pytest.raises(PlandiffError, match="point 'draft-10:p2' already exists"):
        edit_point(related, "draft-10", "p1", new_key="p2")
    with pytest.raises(PlandiffError, match="needs its text or a summary"):
        edit_point(related, "reported-8", "headline", summary="")
    with pytest.raises(
        NotFoundError, match="unknown point in version 'draft-10': 'p11'; did you mean"
    ):
        edit_point(related, "draft-10", "p11", summary="x")
    assert edit_point(related, "reported-8", "headline", summary=KEEP).changed is False


def test_remove_point(related: Registry) -> None:
    change = remove_point(related, "reported-8", "headline")
    assert ok(change).version("reported-8").point("headline") is None  # type: ignore[union-attr]
    assert change.lines == ("removed point reported-8:headline",)


def test_remove_point_used_by_a_relation_is_refused(related: Registry) -> None:
    with pytest.raises(PlandiffError) as info:
        remove_point(related, "draft-10", "p5")
    assert str(info.value) == (
        "point 'draft-10:p5' is used by the relation merged draft-10:p4,p5 → revised-8:p4 "
        "(versions/revised-8.toml relations[0]); remove that first with "
        "'plandiff relate draft-10:p4,p5 revised-8:p4 --remove'"
    )
    with pytest.raises(PlandiffError, match="used by the relation merged"):
        remove_point(related, "revised-8", "p4")


# --------------------------------------------------------------------------- relations


def test_parse_relation_args() -> None:
    assert parse_relation_args(["us-28:a", "us-28:b", "geneva-19:c"]) == parse_relation_args(
        ["us-28:a,b", "geneva-19:c"]
    )
    args = parse_relation_args(["us-28:a", "geneva-19"])
    assert (args.old_version, args.old, args.new_version, args.new) == (
        "us-28",
        ("a",),
        "geneva-19",
        (),
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["us-28:a"], "a relation links points of two versions"),
        (["us-28:a", "g:b", "us-28:c"], "points of version 'us-28' are given apart"),
        (["us-28", "g:b"], "name the old point\\(s\\) of version 'us-28'"),
        ([":a", "g:b"], "expected VERSION:POINT"),
        (["us-28:a b", "g:c"], "invalid point key \\(in version 'us-28'\\) 'a b'"),
        (["a:x", "b:y", "c:z"], "not 3 version\\(s\\)"),
    ],
)
def test_parse_relation_args_refusals(args: list[str], message: str) -> None:
    with pytest.raises(PlandiffError, match=message):
        parse_relation_args(args)


def test_relations_of_each_kind(related: Registry) -> None:
    version = related.version("revised-8")
    assert version is not None
    assert [(r.kind, r.old, r.new) for r in version.relations] == [
        (RelationKind.MERGED, ("p4", "p5"), ("p4",)),
        (RelationKind.DROPPED, ("p9",), ()),
    ]
    reg = ok(
        relate(
            related,
            parse_relation_args(["draft-10:p6", "revised-8:p5"]),
            RelationKind.REWORDED,
            quotes=q("the dam will be inspected jointly"),
            note="Inspection becomes joint.",
        )
    )
    assert reg.version("revised-8").relations[2].note == "Inspection becomes joint."  # type: ignore[union-attr]
    reg = ok(
        relate(
            reg,
            parse_relation_args(["draft-10:p3", "revised-8:p3,p7"]),
            RelationKind.SPLIT,
            quotes=q("cuts the February draft"),
        )
    )
    assert reg.version("revised-8").relations[3].new == ("p3", "p7")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "kind", "message"),
    [
        (
            ["revised-8:p1", "draft-10:p1"],
            "reworded",
            "version 'revised-8' derives from 'draft-10': give the older version's points first",
        ),
        (["revised-8:p1", "reported-8:p1"], "reworded", "it derives from 'draft-10'"),
        (
            ["draft-10:p1", "revised-8:p1"],
            "dropped",
            "'dropped' takes old points and the new version without a point",
        ),
        (
            ["draft-10:p1", "revised-8:p1"],
            "merged",
            "'merged' takes two or more old points and one new point",
        ),
        (["draft-10:p1", "revised-8:p1"], "split", "got 1 old → 1 new"),
        (
            ["draft-10:p1,p2", "revised-8:p1"],
            "reworded",
            "'reworded' takes one old point and one new point",
        ),
        (["draft-10:p99", "revised-8:p1"], "reworded", "unknown point 'draft-10:p99'"),
        (["draft-10:p1", "revised-8:p9"], "reworded", "unknown point 'revised-8:p9'"),
        (
            ["draft-10:p4", "revised-8:p1"],
            "reworded",
            "draft-10:p4 already in the relation merged draft-10:p4,p5 → revised-8:p4 "
            "\\(versions/revised-8.toml relations\\[0\\]\\); when sources disagree on what "
            "happened, keep the claim best supported and add the other quotes to it with "
            "--stance contradict, or remove it first with "
            "'plandiff relate draft-10:p4,p5 revised-8:p4 --remove'",
        ),
        (["draft-10:p1,p1", "revised-8:p1"], "merged", "named twice"),
    ],
)
def test_relate_refusals(related: Registry, args: list[str], kind: str, message: str) -> None:
    with pytest.raises(PlandiffError, match=message):
        relate(related, parse_relation_args(args), RelationKind(kind), quotes=q("Summer releases"))


def test_relate_needs_evidence(related: Registry) -> None:
    with pytest.raises(PlandiffError, match="a relation needs evidence"):
        relate(
            related,
            parse_relation_args(["draft-10:p1", "revised-8:p1"]),
            RelationKind.REWORDED,
            quotes=(),
        )


def test_unrelate(related: Registry) -> None:
    change = unrelate(related, parse_relation_args(["draft-10:p5", "revised-8:p4"]))
    assert [r.kind for r in ok(change).version("revised-8").relations] == [RelationKind.DROPPED]  # type: ignore[union-attr]
    assert change.lines == ("removed relation merged draft-10:p4,p5 → revised-8:p4",)
    with pytest.raises(
        PlandiffError,
        match="no relation of version 'revised-8' links these points \\(it has: merged",
    ):
        unrelate(related, parse_relation_args(["draft-10:p1", "revised-8:p1"]))
    with pytest.raises(PlandiffError, match="no relation"):
        unrelate(related, parse_relation_args(["draft-10:p9", "revised-8"]), RelationKind.MERGED)


# --------------------------------------------------------------------------- events


def test_events_are_kept_in_date_order(related: Registry) -> None:
    reg = ok(
        add_event(
            related,
            "revised-8",
            date=dt.date(2031, 3, 1),
            what="Talks resume.",
            quotes=q("Negotiators from the two Arden provinces"),
        )
    )
    assert [e.what for e in reg.version("revised-8").events] == [  # type: ignore[union-attr]
        "Talks resume.",
        "The delegations agree the revised plan.",
    ]
    with pytest.raises(PlandiffError, match="an event needs evidence"):
        add_event(related, "revised-8", date=dt.date(2031, 3, 1), what="x", quotes=())
    with pytest.raises(PlandiffError, match="--what: say what happened"):
        add_event(related, "revised-8", date=dt.date(2031, 3, 1), what=" ", quotes=q("x"))


# --------------------------------------------------------------------------- the bundled registry


def test_writable_root_refuses_the_bundled_registry_by_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(store.ENV_REGISTRY, raising=False)
    with pytest.raises(PlandiffError) as info:
        writable_root(None)
    message = str(info.value)
    assert message.startswith("refusing to change the bundled registry (")
    assert "'plandiff init DIR'" in message and "'--registry DIR'" in message
    bundled = store.bundled_registry_path()
    assert writable_root(str(bundled)) == bundled
    monkeypatch.setenv(store.ENV_REGISTRY, "/some/where")
    assert writable_root(None) == Path("/some/where")


def test_recapture_of_a_plan_text_names_lost_points_and_warns(base: Registry) -> None:
    text = base.text("draft-10").replace(
        "9. A joint fishing authority manages fish stocks along the whole river.\n", ""
    )
    edited = text_capture(text, "draft-10.txt")
    with pytest.raises(RecaptureError) as info:
        add_source(base, edited, recapture=True)
    assert "points that would lose their evidence: draft-10:p9; add --force" in str(info.value)
    change = add_source(base, edited, recapture=True, force=True)
    ok(change)
    assert change.lines[-2] == (
        "1 quote(s) not found in the new text stay anchored in capture 1 "
        "(points no longer quoted from the current text: draft-10:p9)"
    )
    assert change.lines[-1].startswith(
        "warning: source 'draft-10' is the full text of version 'draft-10', whose points keep"
    )
