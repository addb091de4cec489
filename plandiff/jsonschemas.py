"""JSON Schemas generated from the models, committed under ``schemas/``.

One source of truth: the registry file schemas come from the pydantic models
:class:`~plandiff.models.Source` and :class:`~plandiff.models.PlanVersion` that read those files,
the diff and compare output schemas from the msgspec Structs their JSON renderers write the
documents from (:class:`plandiff.render.json.DiffDocument`,
:class:`plandiff.render.compare.CompareDocument`). ``python -m plandiff.jsonschemas --write``
regenerates them; a test fails when the committed files drift from the definitions.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

BASE_ID = "https://plandiff.invalid/schemas/"


def _model_schema(model_path: str, title: str) -> Callable[[], dict[str, Any]]:
    def build() -> dict[str, Any]:
        import importlib

        module, name = model_path.rsplit(".", 1)
        model = getattr(importlib.import_module(module), name)
        schema: dict[str, Any] = model.model_json_schema()
        schema["title"] = title
        return schema

    return build


def _struct_schema(document: type) -> dict[str, Any]:
    """The schema of a document written from msgspec Structs (``document`` the root).

    The writer never leaves a field out (no ``omit_defaults``), so every property of every
    object is required: a reader may rely on each key being there. The document's own
    definition is the root, the others stay under ``$defs``.
    """
    import msgspec

    defs = msgspec.json.schema(document)["$defs"]
    for definition in defs.values():
        if "properties" in definition:
            definition["required"] = list(definition["properties"])
    root: dict[str, Any] = defs.pop(document.__name__)
    return {**root, "$defs": defs}


def _diff_schema() -> dict[str, Any]:
    """The schema of ``plandiff diff --format json``."""
    from plandiff.render import json as json_render

    return _struct_schema(json_render.DiffDocument)


def _compare_schema() -> dict[str, Any]:
    """The schema of ``plandiff compare --format json``."""
    from plandiff.render import compare

    return _struct_schema(compare.CompareDocument)


GENERATORS: dict[str, Callable[[], dict[str, Any]]] = {
    "plandiff-source.schema.json": _model_schema(
        "plandiff.models.Source", "plandiff registry source file (sources/<id>.toml)"
    ),
    "plandiff-version.schema.json": _model_schema(
        "plandiff.models.PlanVersion", "plandiff registry version file (versions/<id>.toml)"
    ),
    "plandiff-diff.schema.json": _diff_schema,
    "plandiff-compare.schema.json": _compare_schema,
}


def generate(name: str) -> dict[str, Any]:
    body = GENERATORS[name]()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE_ID + name,
        **body,
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"


def schemas_dir() -> Path:
    """``schemas/`` in a source checkout, else the copy shipped inside the package."""
    repo = Path(__file__).resolve().parent.parent / "schemas"
    if repo.is_dir():
        return repo
    return Path(__file__).resolve().parent / "schemas"


def main(argv: list[str]) -> int:
    target = schemas_dir()
    stale = []
    for name in GENERATORS:
        text = dumps(generate(name))
        path = target / name
        if "--write" in argv:
            path.write_text(text, encoding="utf-8")
        elif not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(name)
    for name in stale:
        print(f"stale: schemas/{name} (run python -m plandiff.jsonschemas --write)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
