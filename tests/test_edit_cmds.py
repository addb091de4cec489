"""The commands that correct and remove records: ``version edit|remove|say|unsay|quote|unquote``,
``source remove`` and ``event remove``.

Each is checked for what it writes (the exact lines of the files it changes, and a registry that
still verifies), for each refusal (one exact line, exit 2, the registry byte for byte as it was),
and for a write that fails or is cut short (nothing half done).
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from click.testing import Result
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from plandiff import journal, store
from plandiff.recording import QuoteRef, add_event, transact
from plandiff.recording.edits import (
    add_statement,
    add_version_quotes,
    remove_event,
    remove_source,
    remove_statement,
    remove_version_quote,
)
from tests.helpers import invoke, record

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "fixtures" / "recording"
LEDGER = "ledger-2031-03-14"
ARTICLE = str(FIXTURES / f"{LEDGER}.html")
UPDATED = str(FIXTURES / f"{LEDGER}-updated.html")


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file and folder under ``root`` but the lock: name → bytes (None for a folder)."""
    return {
        p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
        for p in sorted(root.rglob("*"))
        if p.name != store.LOCK_NAME
    }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """draft-10 (full) ← revised-8 (full, one merge) and ← reported-8 (partial, one point, one
    event, one statement, one quote of its own), all citing the Ledger article."""
    root = tmp_path_factory.mktemp("edits") / "reg"
    quote = ["--source", LEDGER, "--quote"]
    steps = [
        ["init", str(root)],
        ["version", "add", "draft-10", "--title", "Ten-point draft", "--from-text",
         str(FIXTURES / "draft-10.txt")],
        ["version", "add", "revised-8", "--title", "Eight-point revision", "--derived-from",
         "draft-10", "--from-text", str(FIXTURES / "revised-8.txt")],
        ["source", "add", ARTICLE],
        ["version", "add", "reported-8", "--title", "As reported", "--derived-from", "draft-10",
         "--date", "2031-03-14", "--issuer", "Ledger"],
        ["relate", "draft-10:p4,p5", "revised-8:p4", "--as", "merged",
         *quote, "merges the two points on flood warnings into one"],
        ["point", "add", "reported-8", "--summary", "The dam is inspected jointly.",
         *quote, "the dam will be inspected jointly"],
        ["event", "add", "reported-8", "--date", "2031-03-13", "--what", "Delegations agree.",
         *quote, "agreed on Thursday"],
        ["version", "say", "reported-8", "The assemblies vote next month.",
         *quote, "expected to vote on it next month"],
        ["version", "quote", "reported-8", *quote, "a revised water-sharing plan"],
    ]  # fmt: skip
    return record(root, steps)


@pytest.fixture
def reg(template: Path, tmp_path: Path) -> Path:
    root = tmp_path / "reg"
    shutil.copytree(template, root)
    return root


def run(reg: Path, *args: str) -> Result:
    result = invoke("--registry", str(reg), *args)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    return result


def verified(reg: Path) -> None:
    result = run(reg, "verify")
    assert result.stdout.startswith("ok: "), result.stdout


def refused(reg: Path, *args: str) -> str:
    """Run a command that must fail; return its stderr after checking nothing changed."""
    before = snapshot(reg)
    result = invoke("--registry", str(reg), *args)
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    assert snapshot(reg) == before
    return result.stderr


def toml(reg: Path, version: str) -> str:
    return (reg / "versions" / f"{version}.toml").read_text()


def changed_files(before: dict[str, bytes | None], after: dict[str, bytes | None]) -> set[str]:
    return {k for k in before.keys() | after.keys() if before.get(k, b"") != after.get(k, b"")}


# --------------------------------------------------------------------------- help


@pytest.mark.parametrize(
    "command",
    [
        ["version", "edit"],
        ["version", "remove"],
        ["version", "say"],
        ["version", "unsay"],
        ["version", "quote"],
        ["version", "unquote"],
        ["source", "remove"],
        ["event", "remove"],
    ],
)
def test_help_has_an_example(command: list[str]) -> None:
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"Usage: plandiff {' '.join(command)} ")
    assert f"Example:\n    plandiff {' '.join(command)} " in result.stdout
    assert "Exit status: 0 success" in result.stdout


# --------------------------------------------------------------------------- version edit


def test_version_edit_sets_every_field_and_anchors_its_quote(reg: Path) -> None:
    before = snapshot(reg)
    result = run(
        reg, "version", "edit", "reported-8", "--title", "Eight points, as reported",
        "--date", "2031-03-13", "--declared-points", "8", "--issuer", "Upper", "--issuer",
        "Lower", "--party", "Arden", "--derived-from", "revised-8", "--note", "From the Ledger.",
        "--quote", "cuts the February draft from ten points to eight", "--source", LEDGER,
    )  # fmt: skip
    assert result.stdout == (
        "edited version reported-8 (title, declared_points, date, issuer, parties, "
        "derived_from, evidence, note)\n"
    )
    assert changed_files(before, snapshot(reg)) == {"versions/reported-8.toml"}
    text = toml(reg, "reported-8")
    assert 'title = "Eight points, as reported"\ndeclared_points = 8\ndate = 2031-03-13\n' in text
    assert 'issuer = [\n    "Upper",\n    "Lower",\n]\nparties = [\n    "Arden",\n]\n' in text
    assert 'derived_from = "revised-8"\n' in text
    assert 'note = "From the Ledger."' in text
    assert 'quote = "cuts the February draft from ten points to eight"' in text
    verified(reg)


def test_version_edit_clears_every_clearable_field(reg: Path) -> None:
    run(reg, "version", "edit", "reported-8", "--declared-points", "8", "--note", "n")
    result = run(
        reg, "version", "edit", "reported-8", "--no-date", "--no-declared-points", "--issuer",
        "", "--derived-from", "", "--note", "",
    )  # fmt: skip
    assert result.stdout == (
        "edited version reported-8 (declared_points, date, issuer, derived_from, note)\n"
    )
    text = toml(reg, "reported-8").partition("\n[[")[0]  # the version's own fields
    for name in ("declared_points", "date", "issuer", "derived_from", "note"):
        assert f"\n{name} = " not in text, name
    verified(reg)


def test_version_edit_completeness_of_a_full_version(reg: Path) -> None:
    run(reg, "version", "edit", "revised-8", "--completeness", "partial")
    assert 'completeness = "partial"' in toml(reg, "revised-8")
    run(reg, "version", "edit", "revised-8", "--completeness", "full")
    assert 'completeness = "full"' in toml(reg, "revised-8")
    verified(reg)


def test_version_edit_with_the_same_values_writes_nothing(reg: Path) -> None:
    before = snapshot(reg)
    result = run(reg, "version", "edit", "reported-8", "--title", "As reported", "--issuer",
                 "Ledger")  # fmt: skip
    assert result.stdout == "unchanged: version reported-8\n"
    assert snapshot(reg) == before


# --------------------------------------------------------------------------- refusals

Q = ["--source", LEDGER, "--quote"]

REFUSALS = [
    (
        ["version", "edit", "reported-9", "--title", "T"],
        "plandiff: unknown version 'reported-9'; did you mean 'reported-8', 'revised-8'?\n",
    ),
    (
        ["version", "edit", "revised-8", "--derived-from", "reported-8"],
        "plandiff: version 'revised-8' has 1 relation(s) to points of 'draft-10' "
        "(versions/revised-8.toml relations); remove them with 'plandiff relate ... --remove' "
        "before changing --derived-from\n",
    ),
    (
        ["version", "edit", "draft-10", "--derived-from", "reported-8"],
        "plandiff: version 'reported-8' derives from 'draft-10' already; deriving 'draft-10' "
        "from it would make a cycle\n",
    ),
    (
        ["version", "edit", "draft-10", "--derived-from", "draft-10"],
        "plandiff: version 'draft-10' cannot derive from itself\n",
    ),
    (
        ["version", "edit", "reported-8", "--derived-from", "nowhere"],
        "plandiff: unknown version 'nowhere'\n",
    ),
    (
        ["version", "edit", "reported-8", "--completeness", "full"],
        "plandiff: version 'reported-8' has no text source, so it cannot be 'full'; record the "
        "full text with 'plandiff version add ID --from-text FILE'\n",
    ),
    (
        ["version", "edit", "reported-8", "--title", ""],
        "plandiff: version 'reported-8': title: String should have at least 1 character (got '')\n",
    ),
    (
        ["version", "edit", "reported-8", "--declared-points", "8", *Q, "ten points to nine"],
        "plandiff: quote 'ten points to nine' not found in source 'ledger-2031-03-14'; copy the "
        "quote exactly as the stored text has it (spacing, quotation marks, dashes); 'plandiff "
        "show ledger-2031-03-14' prints that text\n"
        "plandiff:   closest: at 172..196 (83% similar): … that cuts the February draft [from "
        "ten points to eight].⏎The revised text merges the …\n",
    ),
    (
        ["version", "remove", "draft-10"],
        "plandiff: version 'draft-10' is the origin of 'reported-8' (versions/reported-8.toml), "
        "'revised-8' (versions/revised-8.toml), with 1 relation(s) into its points; remove "
        "those first, or change their origin with 'plandiff version edit VERSION --derived-from "
        "OTHER'\n",
    ),
    (
        ["version", "remove", "draft"],
        "plandiff: unknown version 'draft'; did you mean 'draft-10'?\n",
    ),
    (
        ["source", "remove", LEDGER],
        "plandiff: source 'ledger-2031-03-14' is cited by 5 quote(s): versions/reported-8.toml "
        "evidence[0], versions/reported-8.toml statements[0].evidence[0], "
        "versions/reported-8.toml events[0].evidence[0] (and 2 more); remove or re-source "
        "those first\n",
    ),
    (
        ["source", "remove", "draft-10"],
        "plandiff: source 'draft-10' is cited by 10 quote(s) and the text of 1 version(s): "
        "versions/draft-10.toml text_source, versions/draft-10.toml points[0].evidence[0], "
        "versions/draft-10.toml points[1].evidence[0] (and 8 more); remove or re-source those "
        "first\n",
    ),
    (
        ["source", "remove", "ledger"],
        "plandiff: unknown source 'ledger'; did you mean 'ledger-2031-03-14'?\n",
    ),
    (
        ["event", "remove", "reported-8", "2031-03-12"],
        "plandiff: version 'reported-8' has no event on 2031-03-12; its events: 2031-03-13 "
        "'Delegations agree.'\n",
    ),
    (
        ["event", "remove", "reported-8", "2031-03-13", "--what", "Delegations agree"],
        "plandiff: version 'reported-8' has no event on 2031-03-13 saying 'Delegations agree'; "
        "its events: 2031-03-13 'Delegations agree.'\n",
    ),
    (
        ["event", "remove", "revised-8", "2031-03-13"],
        "plandiff: version 'revised-8' has no event on 2031-03-13; it has no events\n",
    ),
    (
        ["event", "remove", "reported-8", "13 March"],
        "plandiff: event '13 March': give the event's date as YYYY-MM-DD\n",
    ),
    (
        ["version", "unsay", "reported-8", "2"],
        "plandiff: version 'reported-8' has 1 statement(s); there is no statement 2\n",
    ),
    (
        ["version", "unquote", "revised-8", "1"],
        "plandiff: version 'revised-8' has 0 quote(s) of its own; there is no quote 1 to remove\n",
    ),
    (
        ["version", "say", "reported-8", " ", *Q, "agreed on Thursday"],
        "plandiff: TEXT: say what reporting says of the version\n",
    ),
    (
        ["version", "quote", "reported-8", "--quote", "agreed on Thursday"],
        "plandiff: each --quote needs the --source (a source id) it is taken from\n",
    ),
]


@pytest.mark.parametrize(("args", "message"), REFUSALS, ids=lambda a: " ".join(a[:2]))
def test_refusals_are_one_line_and_change_nothing(reg: Path, args: list[str], message: str) -> None:
    assert refused(reg, *args) == message


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["version", "edit", "reported-8"], "nothing to change: give --title"),
        (
            ["version", "edit", "reported-8", "--date", "2031-01-01", "--no-date"],
            "--date and --no-date exclude each other",
        ),
        (
            ["version", "edit", "reported-8", "--declared-points", "1", "--no-declared-points"],
            "--declared-points and --no-declared-points exclude each other",
        ),
        (["version", "edit", "reported-8", "--completeness", "most"], "'most' is not one of"),
        (["version", "say", "reported-8", "Words."], "Missing option '--quote'"),
        (["version", "unsay", "reported-8", "0"], "0 is not in the range x>=1"),
        (["event", "remove", "reported-8"], "Missing argument 'DATE'"),
    ],
)
def test_usage_errors_change_nothing(reg: Path, args: list[str], words: str) -> None:
    err = refused(reg, *args)
    assert err.count("\n") == 1 and err.startswith("plandiff: "), err
    assert words in err, err
    assert f"see 'plandiff {args[0]} {args[1]} --help')" in err, err


def test_two_events_on_one_day_are_told_apart_by_their_words(reg: Path) -> None:
    run(reg, "event", "add", "reported-8", "--date", "2031-03-13", "--what", "Ledger reports.",
        *Q, "according to a copy seen by the Ledger")  # fmt: skip
    assert refused(reg, "event", "remove", "reported-8", "2031-03-13") == (
        "plandiff: version 'reported-8' has 2 events on 2031-03-13 ('Delegations agree.', "
        "'Ledger reports.'); pick one with --what and its exact words\n"
    )
    result = run(reg, "event", "remove", "reported-8", "2031-03-13", "--what", "Ledger reports.")
    assert result.stdout == "removed event 2031-03-13 from version reported-8\n"
    assert "Ledger reports." not in toml(reg, "reported-8")
    assert "Delegations agree." in toml(reg, "reported-8")
    verified(reg)


# --------------------------------------------------------------------------- removals


def test_version_remove_deletes_its_file_and_keeps_its_sources(reg: Path) -> None:
    run(reg, "version", "remove", "reported-8")
    result = run(reg, "version", "remove", "revised-8")
    assert result.stdout == (
        "removed version revised-8 (8 point(s))\n"
        "kept source revised-8 (its text); remove it with 'plandiff source remove revised-8'\n"
    )
    assert sorted(p.name for p in (reg / "versions").iterdir()) == ["draft-10.toml"]
    assert (reg / "sources" / "revised-8.txt").is_file()
    verified(reg)


def test_source_remove_deletes_its_record_text_and_original(reg: Path) -> None:
    run(reg, "version", "remove", "reported-8")
    run(reg, "version", "remove", "revised-8")
    before = {p.name for p in (reg / "sources").iterdir()}
    assert {f"{LEDGER}.toml", f"{LEDGER}.txt", f"{LEDGER}.orig.html"} <= before
    result = run(reg, "source", "remove", LEDGER)
    assert result.stdout == f"removed source {LEDGER} (2 file(s))\n"
    after = {p.name for p in (reg / "sources").iterdir()}
    assert before - after == {f"{LEDGER}.toml", f"{LEDGER}.txt", f"{LEDGER}.orig.html"}
    assert not (reg / journal.TXN_DIR).exists()
    verified(reg)


def test_adding_then_removing_a_source_leaves_the_registry_byte_identical(reg: Path) -> None:
    before = snapshot(reg)
    run(reg, "source", "add", UPDATED, "--id", "ledger-updated")
    assert snapshot(reg) != before
    run(reg, "source", "remove", "ledger-updated")
    assert snapshot(reg) == before


@pytest.mark.parametrize(
    ("add", "remove"),
    [
        (
            ["version", "say", "revised-8", "Agreed on Thursday.", *Q, "agreed on Thursday"],
            ["version", "unsay", "revised-8", "1"],
        ),
        (
            ["version", "quote", "revised-8", *Q, "ten points to eight"],
            ["version", "unquote", "revised-8", "1"],
        ),
        (
            [
                "event",
                "add",
                "revised-8",
                "--date",
                "2031-03-13",
                "--what",
                "Agreed.",
                *Q,
                "agreed on Thursday",
            ],
            ["event", "remove", "revised-8", "2031-03-13"],
        ),
        (
            ["version", "add", "assembly-8", "--title", "As voted", "--derived-from", "revised-8"],
            ["version", "remove", "assembly-8"],
        ),
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_add_then_remove_is_byte_identical(reg: Path, add: list[str], remove: list[str]) -> None:
    before = snapshot(reg)
    run(reg, *add)
    assert snapshot(reg) != before
    verified(reg)
    run(reg, *remove)
    assert snapshot(reg) == before


def test_statements_and_version_quotes(reg: Path) -> None:
    result = run(reg, "version", "say", "reported-8", "The assemblies vote next month.",
                 *Q, "which are expected to vote")  # fmt: skip
    assert result.stdout == "added 1 quote(s) to statement 1 of version reported-8\n"
    result = run(reg, "version", "say", "reported-8", "The assemblies vote next month.",
                 *Q, "which are expected to vote")  # fmt: skip
    assert result.stdout == "unchanged: statement 1 of version reported-8\n"
    result = run(reg, "version", "quote", "reported-8", *Q, "ten points to eight", *Q,
                 "Negotiators from the two Arden provinces")  # fmt: skip
    assert result.stdout == "added 2 quote(s) to version reported-8\n"
    text = toml(reg, "reported-8")
    assert text.count("[[evidence]]") == 3
    assert text.count("[[statements.evidence]]") == 2
    result = run(reg, "version", "unquote", "reported-8", "1")
    assert result.stdout == "removed quote 1 from version reported-8\n"
    assert 'quote = "a revised water-sharing plan"' not in toml(reg, "reported-8")
    result = run(reg, "version", "unsay", "reported-8", "1")
    assert result.stdout == "removed statement 1 from version reported-8\n"
    assert "statements" not in toml(reg, "reported-8")
    verified(reg)


# --------------------------------------------------------------------------- failed writes


def test_a_write_that_fails_before_its_commit_point_changes_nothing(
    reg: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full_disk(path: Path, data: bytes) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(journal, "atomic_write", full_disk)
    for args in (
        ["version", "edit", "reported-8", "--title", "New"],
        ["version", "remove", "reported-8"],
        ["event", "remove", "reported-8", "2031-03-13"],
        ["version", "unsay", "reported-8", "1"],
    ):
        err = refused(reg, *args)
        assert (
            err == f"plandiff: {reg}: cannot write: No space left on device; nothing was changed\n"
        )
        assert not (reg / journal.TXN_DIR).exists()


class Killed(BaseException):
    """Stands for the process dying in the middle of a replay."""


@pytest.mark.parametrize("survive", [0, 1, 2])
def test_a_source_removal_cut_short_is_finished_by_the_next_writer(
    reg: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, survive: int
) -> None:
    """The journal deletes the text and original before the record naming them, so however far
    a replay got, the next one may finish it (a file already gone is no longer checked)."""
    run(reg, "version", "remove", "reported-8")
    run(reg, "version", "remove", "revised-8")
    done = tmp_path / "done"
    shutil.copytree(reg, done)
    run(done, "source", "remove", LEDGER)

    real_unlink = Path.unlink
    calls = 0

    def dying_unlink(self: Path, missing_ok: bool = False) -> None:
        nonlocal calls
        if journal.TXN_DIR not in self.parts and self.parent.name == "sources":
            if calls == survive:
                raise Killed
            calls += 1
        real_unlink(self, missing_ok=missing_ok)

    monkeypatch.setattr(Path, "unlink", dying_unlink)
    with pytest.raises(Killed):
        transact(reg, lambda r: remove_source(r, LEDGER))
    monkeypatch.setattr(Path, "unlink", real_unlink)
    assert (reg / journal.TXN_DIR).exists()
    store.load_registry(reg, recover=True)
    assert snapshot(reg) == snapshot(done)


# --------------------------------------------------------------------------- invariants


@pytest.fixture(scope="module")
def loaded(template: Path) -> store.Registry:
    return store.load_registry(template)


QUOTES = [
    "agreed on Thursday",
    "ten points to eight",
    "the dam will be inspected jointly",
    "said Ilse Varga",
    "provincial assemblies",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1),
    picks=st.lists(st.sampled_from(QUOTES), min_size=1, max_size=3),
    day=st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)),
    version=st.sampled_from(["draft-10", "revised-8", "reported-8"]),
)
def test_adding_then_removing_leaves_every_file_as_it_was(
    loaded: store.Registry, text: str, picks: list[str], day: dt.date, version: str
) -> None:
    """say/unsay, quote/unquote and event add/remove undo each other exactly, whatever the
    words, quotes, date and version."""
    assume(text.strip())
    before = store.registry_files(loaded)
    refs = [QuoteRef(LEDGER, q) for q in picks]
    v = loaded.version(version)
    assert v is not None
    assume(all(s.text != text for s in v.statements))
    said = add_statement(loaded, version, text=text, quotes=refs).registry
    undone = remove_statement(said, version, len(v.statements) + 1).registry
    assert store.registry_files(undone) == before
    quoted = add_version_quotes(loaded, version, refs).registry
    for _ in refs:
        quoted = remove_version_quote(quoted, version, len(v.evidence) + 1).registry
    assert store.registry_files(quoted) == before
    assume(all(e.date != day or e.what != text for e in v.events))
    happened = add_event(loaded, version, date=day, what=text, quotes=refs).registry
    undone = remove_event(happened, version, day.isoformat(), what=text).registry
    assert store.registry_files(undone) == before


@pytest.mark.parametrize(
    "args",
    [
        ["version", "edit", "us-28", "--title", "T"],
        ["version", "remove", "geneva-19"],
        ["version", "say", "us-28", "S", "--quote", "q", "--source", "x"],
        ["version", "unsay", "us-28", "1"],
        ["version", "quote", "us-28", "--quote", "q", "--source", "x"],
        ["version", "unquote", "us-28", "1"],
        ["source", "remove", "x"],
        ["event", "remove", "us-28", "2025-11-20"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_the_bundled_registry_is_not_changed_by_default(args: list[str]) -> None:
    bundled = store.bundled_registry_path()
    before = snapshot(bundled)
    result = invoke(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"plandiff: refusing to change the bundled registry ({bundled}), which ships with "
    )
    assert snapshot(bundled) == before
