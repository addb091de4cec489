"""The pipeline reads records; a user hands it models. Both must give the same result.

``plandiff.diff`` turns the pydantic models a user builds into records at the door, and the
CLI hands it the records of the registry cache and of the plan texts it cut: the one result
must not depend on which way the versions came in.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from plandiff import diff
from plandiff.engine import as_record
from plandiff.models import Registry
from plandiff.records import RegistryRecord, VersionRecord, record_of
from plandiff.store import load_registry
from plandiff.texts import diff_texts, documents_from_texts, text_citation, version_from_text
from tests.helpers import FIXTURES, SEEDS
from tests.strategies import registries


def test_the_bundled_diff_is_the_same_from_models_and_from_records() -> None:
    models = load_registry(SEEDS)
    records = record_of(models, RegistryRecord)
    for old, new in (("us-28", "geneva-19"), ("geneva-19", "us-28")):  # relations both ways
        from_models = diff(models.version(old), models.version(new), registry=models)  # type: ignore[arg-type]
        from_records = diff(records.version(old), records.version(new), registry=records)  # type: ignore[arg-type]
        assert from_models == from_records
        assert any(c.basis == "curated" for c in from_records.changes)  # relations applied


@settings(max_examples=25)
@given(registries(max_versions=3), st.data())
def test_any_registry_diffs_the_same_from_models_and_from_records(
    registry: Registry, data: st.DataObject
) -> None:
    if not registry.versions:
        return
    old = data.draw(st.sampled_from(registry.versions))
    new = data.draw(st.sampled_from(registry.versions))
    records = record_of(registry, RegistryRecord)
    assert diff(old, new, registry=registry) == diff(
        as_record(old), as_record(new), registry=records
    )
    assert diff(old, new, registry=registry) == diff(old, as_record(new), registry=records)


def test_a_record_goes_through_the_door_untouched() -> None:
    record = record_of(load_registry(SEEDS).version("us-28"), VersionRecord)
    assert as_record(record) is record


def test_a_text_version_is_the_same_as_a_model_and_as_records() -> None:
    texts = [
        (FIXTURES / "plans" / f"ceasefire-v{n}.txt").read_text(encoding="utf-8") for n in (1, 2)
    ]
    names = ["ceasefire-v1.txt", "ceasefire-v2.txt"]
    (old, _), (new, _) = documents_from_texts(
        [(texts[0], names[0], None), (texts[1], names[1], None)]
    )
    models = [
        version_from_text(text, name).version for text, name in zip(texts, names, strict=True)
    ]
    assert [record_of(m, VersionRecord) for m in models] == [old.version, new.version]
    cited = {v.id: text_citation(name) for v, name in zip(models, names, strict=True)}
    from_models = diff(models[0], models[1], sources=cited)
    from_records = diff(old.version, new.version, sources=cited)
    assert from_models == from_records
    # diff_texts adds the segmentation and what stands outside the points to the same changes
    assert diff_texts(texts[0], texts[1], old_name=names[0], new_name=names[1]).changes == (
        from_records.changes
    )


def test_a_text_version_s_anchors_are_those_make_anchor_builds() -> None:
    from plandiff.anchors import make_anchor
    from plandiff.records import AnchorRecord

    text = (FIXTURES / "plans" / "ceasefire-v1.txt").read_text(encoding="utf-8")
    (((found, _, _), _),) = documents_from_texts([(text, "ceasefire-v1.txt", None)])
    anchors = [a for p in found.points for a in p.evidence]
    assert len(anchors) > 3
    for a in anchors:
        assert a.start is not None and a.end is not None
        made = make_anchor(a.source, text, a.start, a.end)
        assert record_of(made, AnchorRecord) == a


def test_a_version_read_for_a_diff_leaves_out_the_anchors_context_and_diffs_the_same() -> None:
    import msgspec

    texts = [(FIXTURES / "plans" / f"accord-v{n}.txt").read_text(encoding="utf-8") for n in (1, 2)]
    specs = [(texts[0], "accord-v1.txt", None), (texts[1], "accord-v2.txt", None)]
    full = [found.version for found, _ in documents_from_texts(specs)]
    lean = [found.version for found, _ in documents_from_texts(specs, context=False)]
    anchors = [a for v in lean for p in v.points for a in p.evidence]
    assert len(anchors) > 3 and all(a.prefix == a.suffix == "" for a in anchors)
    assert any(a.prefix for v in full for p in v.points for a in p.evidence)
    # the same anchors but for their context
    assert [
        msgspec.structs.replace(a, prefix="", suffix="")
        for v in full
        for p in v.points
        for a in p.evidence
    ] == anchors
    cited = {v.id: text_citation(v.title) for v in full}
    assert diff(*lean, sources=cited) == diff(*full, sources=cited)
