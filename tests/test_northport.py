"""The README's Northport walkthrough, diffed in every format: the diff says what the sources
say and nothing more (issue 16).

The registry is built only with the recording commands, read from the README's own sample so
that the walkthrough and this test cannot drift apart, from four invented articles: one point
dropped on a named minister's word, one reworded with two sources disagreeing on how, two
deferred to the prime ministers, a bracketed clause whose brackets are later removed, and the
rest unreported.
"""

from __future__ import annotations

import json
import os
import re
import shlex
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner
from lxml import etree

from plandiff.cli import Env, cli
from tests.helpers import FIXTURES, REPO
from tests.html_pages import audit
from tests.test_readme_samples import README, samples

NS = {"p": "urn:plandiff:archive:1"}


def _walkthrough() -> list[list[str]]:
    """The recording commands of the README's Northport sample, up to (not with) its diff."""
    for sample in samples(README.read_text(encoding="utf-8")):
        commands = [shlex.split(step.command) for step in sample.steps]
        if commands and commands[0] == ["plandiff", "init", "northport"]:
            return [argv[1:] for argv in commands if "diff" not in argv]
    raise AssertionError("README.md has no Northport walkthrough")


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("northport")
    (where / "fixtures").symlink_to(FIXTURES)
    back = Path.cwd()
    os.chdir(where)  # the commands name the fixtures as the README does, from the checkout
    try:
        for argv in _walkthrough():
            done = CliRunner().invoke(cli, argv, obj=Env(width=100, color=False))
            assert done.exit_code == 0, (argv, done.output)
    finally:
        os.chdir(back)
    return where / "northport"


def diff(registry: Path, *args: str) -> str:
    done = CliRunner().invoke(
        cli,
        ["--registry", str(registry), "diff", "np-12", "np-9", *args],
        obj=Env(width=100, color=False),
        env={"NO_COLOR": "1"},
    )
    assert done.exit_code == 0, done.output
    return done.stdout


def test_recorded_only_with_commands_and_every_fact_quoted(registry: Path) -> None:
    done = CliRunner().invoke(cli, ["--registry", str(registry), "verify", "--strict"])
    assert done.exit_code == 0, done.output
    assert done.stdout.startswith("ok: 2 version(s), 4 source(s)")


def test_json_says_exactly_what_the_sources_say(registry: Path) -> None:
    doc = json.loads(diff(registry, "--format", "json"))
    schema = json.loads((REPO / "schemas" / "plandiff-diff.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(doc)
    found = [
        (
            c["kind"],
            [r["key"] for r in c["old"]],
            [r["key"] for r in c["new"]],
            c["basis"],
            c["moved"],
            c["renumbered"],
            c["sources_disagree"],
            c["decided_by"],
            [b["kind"] for b in c["brackets"]],
        )
        for c in doc["changes"]
    ]
    pm = "the two prime ministers"
    assert found == [
        ("unreported", ["ceasefire"], [], "automatic", False, False, False, None, []),
        # Both numbers are recorded, so the renumbering is a claim the evidence supports.
        (
            "reworded",
            ["withdrawal"],
            ["withdrawal"],
            "automatic",
            False,
            True,
            False,
            None,
            ["agreed"],
        ),
        ("removed", ["amnesty"], [], "curated", False, False, False, None, []),
        # No number recorded for the new point: not "renumbered".
        ("reworded", ["coast-guard"], ["coast-guard"], "curated", False, False, True, None, []),
        ("deferred", ["fishing"], [], "curated", False, False, False, pm, []),
        ("deferred", ["port"], [], "curated", False, False, False, pm, []),
    ]
    assert doc["summary"]["moved"] == 0
    assert doc["summary"]["sources_disagree"] == 1
    assert all(c["decide_at"] == "a meeting in January" for c in doc["changes"][4:])
    stances = {(e["source"], e["stance"]) for e in doc["changes"][3]["evidence"]}
    assert {("ledger-official", "support"), ("wire-digest", "contradict")} <= stances
    assert doc["known"]["explained"] == 3 and doc["known"]["deferred"] == 2


def test_text_markdown_and_html_say_the_same(registry: Path) -> None:
    text = diff(registry)
    assert "Changes: 2 reworded, 1 removed, 2 deferred, 1 unreported, sources disagree on 1" in text
    assert "≠ brackets removed: now agreed" in text
    assert "7 → coast-guard  reworded, sources disagree  (curated)" in text
    assert "why, contradicts: “the coast guard cap was scrapped altogether” [4] aggregator" in text
    assert text.count("for the two prime ministers to decide (a meeting in January)") == 2
    assert not re.search(r"\bmoved\b", text) and "new 7" not in text
    markdown = diff(registry, "--format", "markdown")
    assert "sources disagree" in markdown and "deferred" in markdown
    assert "brackets removed: now agreed" in markdown
    page = audit(
        diff(registry, "--format", "html"),
        web_links=(),
    )
    kinds = [a.get("data-kind") for a in page.xpath("//article[contains(@class, 'change')]")]
    assert sorted(kinds) == sorted(
        ["unreported", "reworded", "removed", "reworded", "deferred", "deferred"]
    )
    assert "brackets removed: now agreed" in page.text_content()


def test_xml_diff_document_is_valid_and_says_the_same(registry: Path) -> None:
    root = etree.fromstring(diff(registry, "--format", "xml").encode("utf-8"))
    schema = etree.XMLSchema(etree.parse(str(REPO / "schemas" / "plandiff-archive.xsd")))
    assert schema.validate(root), schema.error_log
    kinds = [c.get("kind") for c in root.xpath("//p:change", namespaces=NS)]
    assert kinds == ["unreported", "reworded", "removed", "reworded", "deferred", "deferred"]
    assert len(root.xpath("//p:change[@sources-disagree='true']", namespaces=NS)) == 1


def test_trace_follows_the_bracketed_clause_to_its_agreed_wording(registry: Path) -> None:
    def trace(*args: str) -> str:
        done = CliRunner().invoke(
            cli,
            ["--registry", str(registry), "trace", "np-12:withdrawal", *args],
            obj=Env(width=100, color=False),
            env={"NO_COLOR": "1"},
        )
        assert done.exit_code == 0, done.output
        return done.stdout

    assert "≠ brackets removed: now agreed" in trace()
    (step,) = json.loads(trace("--format", "json"))["steps"]
    assert [b["kind"] for b in step["changes"][0]["brackets"]] == ["agreed"]
    page = audit(trace("--format", "html"))
    assert "brackets removed: now agreed" in page.text_content()
