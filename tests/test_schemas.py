"""The committed JSON Schemas are generated from the models and describe real files."""

from __future__ import annotations

import json
import tomllib

import jsonschema
import pytest

from plandiff import jsonschemas
from tests.helpers import REPO, SEEDS


@pytest.mark.parametrize("name", sorted(jsonschemas.GENERATORS))
def test_committed_schema_matches_models(name: str) -> None:
    committed = (REPO / "schemas" / name).read_text(encoding="utf-8")
    assert committed == jsonschemas.dumps(jsonschemas.generate(name)), (
        f"schemas/{name} is stale: run python -m plandiff.jsonschemas --write"
    )


def _jsonable(value: object) -> object:
    return json.loads(json.dumps(value, default=str))


def test_registry_files_validate_against_their_schemas() -> None:
    source_schema = json.loads((REPO / "schemas/plandiff-source.schema.json").read_text())
    version_schema = json.loads((REPO / "schemas/plandiff-version.schema.json").read_text())
    for path in (SEEDS / "sources").glob("*.toml"):
        jsonschema.validate(_jsonable(tomllib.loads(path.read_text())), source_schema)
    for path in (SEEDS / "versions").glob("*.toml"):
        jsonschema.validate(_jsonable(tomllib.loads(path.read_text())), version_schema)


def test_version_schema_rejects_unknown_field() -> None:
    version_schema = json.loads((REPO / "schemas/plandiff-version.schema.json").read_text())
    data = _jsonable(tomllib.loads((SEEDS / "versions/us-28.toml").read_text()))
    assert isinstance(data, dict)
    data["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, version_schema)
