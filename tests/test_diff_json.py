"""The JSON contract of `plandiff diff --format json`, checked on real output."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from plandiff.cli import cli
from tests.helpers import FIXTURES, REPO

SCHEMA = json.loads((REPO / "schemas" / "plandiff-diff.schema.json").read_text(encoding="utf-8"))
KINDS = {"unchanged", "reworded", "merged", "split", "added", "removed", "unreported"}


def diff_json(*args: str) -> dict:
    result = CliRunner().invoke(cli, ["diff", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def check_partition(doc: dict) -> None:
    """Every old point in exactly one change, and every new point."""
    olds = Counter(r["index"] for c in doc["changes"] for r in c["old"])
    news = Counter(r["index"] for c in doc["changes"] for r in c["new"])
    assert set(olds.values()) <= {1} and set(news.values()) <= {1}
    assert sorted(olds) == list(range(1, doc["old"]["known_points"] + 1))
    assert sorted(news) == list(range(1, doc["new"]["known_points"] + 1))


def test_bundled_registry_diff_meets_the_contract() -> None:
    doc = diff_json("us-28", "geneva-19")
    jsonschema.validate(doc, SCHEMA)
    check_partition(doc)
    assert doc["declared"] == {"old": 28, "new": 19, "old_unaccounted": 24, "new_unaccounted": 19}
    assert doc["summary"]["removed"] == 0  # nobody reported a removal
    territory = [c for c in doc["changes"] if [r["key"] for r in c["old"]] == ["territory"]]
    assert len(territory) == 1
    change = territory[0]
    assert change["kind"] == "deferred" and change["basis"] == "curated"
    assert change["new"] == [] and change["decided_by"] == "Presidents Zelenskyy and Trump"
    sources = {e["source"] for e in change["evidence"]}
    assert sources == {"000_01fd698e422cb727", "004_6478cbe8c4d60a5a"}
    for other in doc["changes"]:
        if other is not change:
            assert other["kind"] == "unreported" and other["new"] == []


def test_text_files_diff_meets_the_contract() -> None:
    doc = diff_json(
        str(FIXTURES / "plans" / "ceasefire-v1.txt"), str(FIXTURES / "plans" / "ceasefire-v2.txt")
    )
    jsonschema.validate(doc, SCHEMA)
    check_partition(doc)
    assert {c["kind"] for c in doc["changes"]} <= KINDS
    summary = doc["summary"]
    assert summary["merged"] == 1 and summary["split"] == 1 and summary["moved"] >= 2
    for change in doc["changes"]:
        if change["kind"] in ("reworded", "merged", "split"):
            old = "".join(t for op, t in change["redline"] if op != "insert")
            new = "".join(t for op, t in change["redline"] if op != "delete")
            assert old == "\n".join(r["text"] for r in change["old"])
            assert new == "\n".join(r["text"] for r in change["new"])


@pytest.mark.parametrize("missing", ["nope.txt", "dir/none.md"])
def test_missing_path_is_an_error_not_text(missing: str, tmp_path: Path) -> None:
    existing = FIXTURES / "plans" / "ceasefire-v1.txt"
    result = CliRunner().invoke(cli, ["diff", str(existing), str(tmp_path / missing)])
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and "no such file" in result.stderr


def test_unreported_points_are_not_marked_as_deleted_in_the_report() -> None:
    args = ["--no-color", "diff", "us-28", "geneva-19", "--show-unreported"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0
    assert (
        "old armed-forces (described): Restrictions on the Ukrainian armed forces." in result.stdout
    )
    assert "[-Restrictions" not in result.stdout


def _resolve(node: dict) -> dict:
    while "$ref" in node:
        node = SCHEMA["$defs"][node["$ref"].removeprefix("#/$defs/")]
    return node


def _branch(node: dict, value: object) -> dict:
    """The branch of an ``anyOf`` that describes ``value``'s shape (objects and arrays)."""
    node = _resolve(node)
    for option in node.get("anyOf", ()):
        option = _resolve(option)
        if isinstance(value, dict) and option.get("type") == "object":
            return option
        if isinstance(value, list) and option.get("type") == "array":
            return option
    return node


def _check_described(value: object, node: dict, path: str, seen: set[str]) -> None:
    """Every key of every object in ``value`` is a property of its schema, with a description."""
    node = _branch(node, value)
    if isinstance(value, dict):
        if "properties" in node:
            seen.add(node["title"])
            properties = node["properties"]
            assert set(value) == set(properties) == set(node["required"]), path
            for key, item in value.items():
                assert properties[key].get("description", "").strip(), f"{path}.{key}"
                _check_described(item, properties[key], f"{path}.{key}", seen)
        else:
            for key, item in value.items():
                _check_described(item, node["additionalProperties"], f"{path}.{key}", seen)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            items = node.get("prefixItems", [node.get("items")] * len(value))
            if items[i] is not None:
                _check_described(item, items[i], f"{path}[{i}]", seen)


def test_every_field_of_real_output_is_described_in_the_schema() -> None:
    plans = FIXTURES / "plans"
    docs = [
        diff_json("us-28", "geneva-19"),
        *(
            diff_json(str(plans / f"{name}-v1.txt"), str(plans / f"{name}-v2.txt"))
            for name in ("accord", "ceasefire", "framework", "contract", "crossings")
        ),
    ]
    seen: set[str] = set()
    for doc in docs:
        jsonschema.validate(doc, SCHEMA)
        _check_described(doc, SCHEMA, "$", seen)
    objects = {d["title"] for d in SCHEMA["$defs"].values() if "properties" in d}
    assert seen == objects | {SCHEMA["title"]}  # the fixtures show every kind of object


def test_the_schema_refuses_what_the_contract_never_writes() -> None:
    doc = diff_json("us-28", "geneva-19")
    for broken in (
        {**doc, "extra": 1},
        {**doc, "changes": [{**doc["changes"][0], "similarity": "NaN"}]},
        {**doc, "changes": [{**doc["changes"][0], "similarity": 1.5}]},
        {k: v for k, v in doc.items() if k != "parts"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(broken, SCHEMA)
