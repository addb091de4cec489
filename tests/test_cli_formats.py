"""Output formats as name → renderer tables: the ``--format`` choices come from the table."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from plandiff.cli import Env, cli
from plandiff.cli.archive_cmds import EXPORT_FORMATS
from plandiff.cli.formats import Formats
from plandiff.cli.history_cmds import LOG_FORMATS, TRACE_FORMATS
from plandiff.cli.output import emit
from plandiff.cli.registry_cmds import (
    QUOTES_FORMATS,
    SOURCE_FORMATS,
    SOURCES_FORMATS,
    VERSION_FORMATS,
    VERSIONS_FORMATS,
)
from tests.helpers import SEEDS

TABLES = {
    "versions": VERSIONS_FORMATS,
    "sources": SOURCES_FORMATS,
    "show": VERSION_FORMATS,
    "log": LOG_FORMATS,
    "trace": TRACE_FORMATS,
    "export": EXPORT_FORMATS,
}


def run(*args: str) -> click.testing.Result:
    return CliRunner().invoke(
        cli, ["--registry", str(SEEDS), *args], prog_name="plandiff", obj=Env(width=100)
    )


@pytest.mark.parametrize("name", sorted(TABLES))
def test_format_choices_and_default_are_the_tables(name: str) -> None:
    table = TABLES[name]
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    (option,) = [p for p in command.params if p.name == "fmt"]
    assert isinstance(option.type, click.Choice)
    assert list(option.type.choices) == table.names
    assert option.default == table.default == table.names[0]


def test_show_shares_one_format_option_between_its_three_tables() -> None:
    assert VERSION_FORMATS.names == SOURCE_FORMATS.names == QUOTES_FORMATS.names


def test_a_format_not_in_the_table_is_a_usage_error_naming_the_table() -> None:
    result = run("versions", "--format", "xml")
    assert result.exit_code == 2
    assert result.stderr == (
        "plandiff: Invalid value for '--format': 'xml' is not one of 'text', 'json'. "
        "(usage: plandiff versions [OPTIONS]; see 'plandiff versions --help')\n"
    )


def test_a_table_is_the_whole_dispatch() -> None:
    """Any table, with any renderers: the command offers exactly its names and writes what
    the chosen renderer returns, text whole, bytes as they are, parts one after another."""
    table: Formats[str] = Formats(
        {
            "shout": lambda _env, s: s.upper() + "\n",
            "raw": lambda _env, s: s.encode("utf-16-le"),
            "parts": lambda _env, s: iter([s, "|", s, "\n"]),
        },
        "How to say it.",
    )

    @click.command()
    @click.argument("word")
    @table.option()
    def say(word: str, fmt: str) -> None:
        emit(table.render(fmt, Env(), word), pager=False)

    runner = CliRunner()
    assert runner.invoke(say, ["hi"]).stdout == "HI\n"
    assert runner.invoke(say, ["hi", "--format", "raw"]).stdout_bytes == "hi".encode("utf-16-le")
    assert runner.invoke(say, ["hi", "--format", "parts"]).stdout == "hi|hi\n"
    refused = runner.invoke(say, ["hi", "--format", "json"])
    assert refused.exit_code == 2
    assert "'json' is not one of 'shout', 'raw', 'parts'" in refused.stderr
    help_text = runner.invoke(say, ["--help"]).stdout
    assert "--format [shout|raw|parts]" in help_text
    assert "How to say it.  [default: shout]" in help_text


def test_versions_json_is_the_views_data() -> None:
    from plandiff import store
    from plandiff.render import views
    from plandiff.render.json import dumps

    result = run("versions", "--format", "json")
    assert result.exit_code == 0
    assert result.stdout == dumps(views.versions_data(store.load_registry(SEEDS))) + "\n"
