"""The plain records the pipeline reads carry exactly the validated models' fields."""

from __future__ import annotations

import msgspec
import pytest

from plandiff import models
from plandiff.records import (
    AnchorRecord,
    EventRecord,
    PointRecord,
    RegistryRecord,
    RelationRecord,
    SourceCaptureRecord,
    SourceRecord,
    StatementRecord,
    VersionRecord,
    contents,
    record_of,
)
from plandiff.store import load_registry

PAIRS = [
    (models.Anchor, AnchorRecord),
    (models.Source, SourceRecord),
    (models.SourceCapture, SourceCaptureRecord),
    (models.Point, PointRecord),
    (models.Relation, RelationRecord),
    (models.Event, EventRecord),
    (models.Statement, StatementRecord),
    (models.PlanVersion, VersionRecord),
]


@pytest.mark.parametrize(("model", "record"), PAIRS, ids=lambda c: c.__name__)
def test_a_record_has_its_model_s_fields_and_defaults(model, record):
    fields = {f.name: f for f in msgspec.structs.fields(record)}
    assert set(fields) == set(model.model_fields)
    for name, info in model.model_fields.items():
        if info.is_required():
            assert fields[name].required, name
        else:
            assert fields[name].default == info.default, name


def test_records_of_the_bundled_registry_read_like_its_models():
    registry = load_registry()
    for version in registry.versions:
        rec = record_of(version, VersionRecord)
        assert msgspec.to_builtins(rec) == msgspec.to_builtins(version.model_dump(mode="python"))
        assert rec.known_points == version.known_points
        for p, q in zip(rec.points, version.points, strict=True):
            assert (p.content, p.verbatim) == (q.content, q.verbatim)
    whole = RegistryRecord(
        sources=tuple(record_of(s, SourceRecord) for s in registry.sources),
        versions=tuple(record_of(v, VersionRecord) for v in registry.versions),
    )
    assert whole.version("us-28").id == "us-28"
    assert whole.version("nope") is None
    assert whole.source(registry.sources[0].id).sha256 == registry.sources[0].sha256


def test_records_are_immutable():
    anchor = AnchorRecord(source="s", quote="q", start=0, end=1)
    with pytest.raises(AttributeError):
        anchor.quote = "other"  # type: ignore[misc]


def test_contents_are_the_points_texts_else_their_summaries() -> None:
    points = [
        PointRecord(key="a", text="Troops withdraw.", summary="withdrawal"),
        PointRecord(key="b", text="", summary="Elections are held."),
        PointRecord(key="c", summary="Prisoners are exchanged."),
        PointRecord(key="d"),
    ]
    expected = ["Troops withdraw.", "Elections are held.", "Prisoners are exchanged.", ""]
    assert contents(points) == [p.content for p in points] == expected
