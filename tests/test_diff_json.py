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
    assert doc["declared"] == {"old": 28, "new": 19, "old_unaccounted": 24, "new_unaccounted": 18}
    assert doc["summary"]["removed"] == 0  # nobody reported a removal
    territory = [c for c in doc["changes"] if [r["key"] for r in c["new"]] == ["territory"]]
    assert len(territory) == 1
    change = territory[0]
    assert change["kind"] == "reworded" and change["basis"] == "curated"
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
    result = CliRunner().invoke(cli, ["--no-color", "diff", "us-28", "geneva-19"])
    assert result.exit_code == 0
    assert (
        "old armed-forces (described): Restrictions on the Ukrainian armed forces." in result.stdout
    )
    assert "[-Restrictions" not in result.stdout
