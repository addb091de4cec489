"""CLI commands over the registry: versions, show, sources (text and JSON)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from plandiff.cli import Env, cli
from tests.helpers import SEEDS, copy_seeds


def run(*args: str, registry: Path = SEEDS, width: int = 100) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--registry", str(registry), *args], obj=Env(width=width))
    return result.exit_code, result.stdout, result.stderr


def test_versions_json_is_stable() -> None:
    code, out, _ = run("versions", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "versions": [
            {
                "id": "us-28",
                "title": "US 28-point peace plan",
                "date": "2025-11-20",
                "declared_points": 28,
                "known_points": 4,
                "completeness": "partial",
                "derived_from": None,
                "sources": ["004_6478cbe8c4d60a5a"],
            },
            {
                "id": "geneva-19",
                "title": "19-point plan after the Geneva talks",
                "date": "2025-11-24",
                "declared_points": 19,
                "known_points": 0,
                "completeness": "partial",
                "derived_from": "us-28",
                "sources": ["004_6478cbe8c4d60a5a", "000_01fd698e422cb727"],
            },
        ]
    }


def test_versions_table_lists_both() -> None:
    code, out, _ = run("versions")
    assert code == 0
    assert "us-28" in out and "geneva-19" in out
    assert "4 known / 28 declared" in out
    assert "\x1b" not in out


def test_show_version_lists_points_with_quotes_and_sources() -> None:
    code, out, _ = run("show", "us-28")
    assert code == 0
    assert "Territorial concessions." in out
    assert "“which provides for territorial concessions”" in out
    assert "“which provides for territorial concessions” [1] @1294–1336\n" in out
    assert out.count("UNN") == 1  # named once, in the source list
    assert out.endswith(
        "Sources\n[1] Zelenskyy, Rubio, and Rutte joined a virtual meeting of the coalition of "
        "the willing — UNN, date\nunknown  004_6478cbe8c4d60a5a\n"
    )


def test_show_version_json_round_trips_the_model() -> None:
    from plandiff.models import PlanVersion
    from plandiff.store import load_registry

    code, out, _ = run("show", "geneva-19", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert PlanVersion.model_validate(data["version"]) == load_registry(SEEDS).version("geneva-19")
    assert {s["id"] for s in data["sources"]} == {"000_01fd698e422cb727", "004_6478cbe8c4d60a5a"}


def test_show_source() -> None:
    code, out, _ = run("show", "004_6478cbe8c4d60a5a")
    assert code == 0
    assert "outlet: UNN" in out and "author: Antonina Tumanova" in out


def test_show_unknown_suggests() -> None:
    code, out, err = run("show", "us-82")
    assert code == 2
    assert out == ""
    assert err == "plandiff: unknown version or source 'us-82'; did you mean 'us-28'?\n"


def test_sources_json() -> None:
    code, out, _ = run("sources", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert [s["id"] for s in data["sources"]] == ["000_01fd698e422cb727", "004_6478cbe8c4d60a5a"]
    assert data["sources"][1]["outlet"] == "UNN"
    assert data["sources"][0]["outlet"] is None  # unknown metadata stays empty


def test_markup_in_registry_text_is_printed_literally(tmp_path: Path) -> None:
    reg = copy_seeds(tmp_path)
    path = reg / "versions/us-28.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace('"US 28-point peace plan"', '"[bold red]US[/] \\u001b[31mplan"'),
        encoding="utf-8",
    )
    for command in (["versions"], ["show", "us-28"]):
        code, out, _ = run(*command, registry=reg, width=250)
        assert code == 0
        assert "[bold red]US[/]" in out
        assert "\x1b" not in out
        assert "\\x1b[31m" in out


def test_registry_from_environment(tmp_path: Path) -> None:
    reg = copy_seeds(tmp_path)
    result = CliRunner().invoke(cli, ["verify"], env={"PLANDIFF_REGISTRY": str(reg)})
    assert result.exit_code == 0
    assert str(reg) in result.stdout
