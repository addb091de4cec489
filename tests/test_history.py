"""History views: ``log``, ``trace`` and ``show SOURCE --quotes``, as functions and as commands.

Besides the bundled registry, a three-version registry is built from the fixture plans: two full
texts (``lv-draft`` → ``lv-revised``, with a merge, a split, moves, a drop and an addition) and
a partly known ``lv-final`` reported in a news article, with a curated relation.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from plandiff import history, store
from plandiff.anchors import create_anchor
from plandiff.cli import Env, ExitStatus, cli
from plandiff.errors import NotFoundError, PlandiffError
from plandiff.models import (
    Completeness,
    Event,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
    Statement,
)
from plandiff.render import history as history_views
from plandiff.render import quotes, terminal
from plandiff.texts import version_from_text
from tests.helpers import FIXTURES, SEEDS
from tests.sample_results import HOSTILE

PLANS = FIXTURES / "plans"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _source(sid: str, path: Path, title: str, **kw) -> tuple[Source, str, bytes]:
    data = path.read_bytes()
    rel = f"sources/{sid}.txt"
    source = Source(id=sid, title=title, path=rel, sha256=store.sha256_bytes(data), **kw)
    return source, data.decode("utf-8"), data


def build_plan_registry(root: Path) -> Path:
    """lv-draft → lv-revised (full texts) → lv-final (partial, from a news report)."""
    store.init_registry(root)
    draft_src, draft_text, draft_data = _source(
        "lv-draft-text", PLANS / "ceasefire-v1.txt", "Draft"
    )
    rev_src, rev_text, rev_data = _source("lv-revised-text", PLANS / "ceasefire-v2.txt", "Revision")
    news_src, news_text, news_data = _source(
        "lv-news",
        PLANS / "lower-vale-news.txt",
        "Lower Vale talks end with a shorter text",
        outlet="Vale Wire",
        published=dt.date(2026, 3, 10),
        url="https://wire.example/lower-vale",
    )

    def full(vid, source, text, title, date, parent):
        version, *_ = version_from_text(text, vid, version_id=source.id)
        return version.model_copy(
            update={"id": vid, "title": title, "date": date, "derived_from": parent}
        )

    def quote(q: str):
        return create_anchor("lv-news", news_text, q)

    final = PlanVersion(
        id="lv-final",
        title="Final 14-point text",
        declared_points=14,
        date=dt.date(2026, 3, 10),
        derived_from="lv-revised",
        completeness=Completeness.PARTIAL,
        evidence=(quote("agreed a final\n14-point text on Tuesday"),),
        statements=(
            Statement(
                text="Not published.", evidence=(quote("The text itself has not been published."),)
            ),
        ),
        events=(
            Event(
                date=dt.date(2026, 3, 10),
                what="Final text agreed.",
                evidence=(quote("Negotiators for Estmark"),),
            ),
        ),
        points=(
            Point(
                key="elections",
                summary="Local elections within 90 days.",
                evidence=(quote("the election clause now sets a deadline of 90 days"),),
            ),
        ),
        relations=(
            Relation(
                kind=RelationKind.REWORDED,
                old=("p11",),
                new=("elections",),
                evidence=(quote("down from 120 days in\nthe revised draft"),),
                note="The deadline was shortened to 90 days.",
            ),
        ),
    )
    registry = Registry(
        sources=(draft_src, rev_src, news_src),
        versions=(
            full("lv-draft", draft_src, draft_text, "Mediators' draft", dt.date(2026, 2, 20), None),
            full("lv-revised", rev_src, rev_text, "Revised text", dt.date(2026, 3, 3), "lv-draft"),
            final,
        ),
        texts={"lv-draft-text": draft_text, "lv-revised-text": rev_text, "lv-news": news_text},
    )
    store.save_registry(
        root,
        registry,
        extra_files={
            s.path: d
            for s, d in ((draft_src, draft_data), (rev_src, rev_data), (news_src, news_data))
        },
    )
    return root


@pytest.fixture(scope="module")
def plan_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_plan_registry(tmp_path_factory.mktemp("lv") / "registry")


@pytest.fixture(scope="module")
def plans(plan_root: Path) -> Registry:
    return store.load_registry(plan_root)


@pytest.fixture(scope="module")
def seeds() -> Registry:
    return store.load_registry(SEEDS)


def text_of(renderable, width: int = 100, color: bool = False) -> str:
    return terminal.export(renderable, width=width, color=color)


def strings(data: object) -> list[str]:
    """Every string in a JSON document."""
    if isinstance(data, str):
        return [data]
    if isinstance(data, dict):
        return [s for v in data.values() for s in strings(v)]
    if isinstance(data, list):
        return [s for v in data for s in strings(v)]
    return []


def flat(text: str) -> str:
    return " ".join(text.split())


def run(*args: str, registry: Path = SEEDS, color: bool = False) -> object:
    return CliRunner().invoke(
        cli, ["--registry", str(registry), *args], obj=Env(width=100, color=color)
    )


# --------------------------------------------------------------------------- log


def test_lineage_is_newest_first(plans: Registry, seeds: Registry) -> None:
    assert [v.id for v in history.lineage(plans)] == ["lv-final", "lv-revised", "lv-draft"]
    assert [v.id for v in history.lineage(plans, "lv-revised")] == ["lv-revised", "lv-draft"]
    assert [v.id for v in history.lineage(seeds)] == ["geneva-19", "us-28"]


def test_a_derived_version_comes_first_on_the_same_day(seeds: Registry) -> None:
    same_day = seeds.model_copy(
        update={"versions": tuple(v.model_copy(update={"date": None}) for v in seeds.versions)}
    )
    assert [v.id for v in history.lineage(same_day)] == ["geneva-19", "us-28"]


def test_declared_change_compares_a_version_with_its_parent(seeds: Registry) -> None:
    us, geneva = seeds.version("us-28"), seeds.version("geneva-19")
    assert us is not None and geneva is not None
    assert geneva.derived_from == "us-28"
    assert us.declared_points is not None and geneva.declared_points is not None
    change = history.declared_change(seeds, geneva)
    assert change == history.DeclaredChange("us-28", us.declared_points, geneva.declared_points)
    assert change.difference == geneva.declared_points - us.declared_points
    assert history.declared_change(seeds, us) is None  # no parent
    uncounted = geneva.model_copy(update={"declared_points": None})
    assert history.declared_change(seeds, uncounted) is None


def test_history_queries_import_no_rendering_and_no_cli() -> None:
    code = (
        "import sys, plandiff.history\n"
        "print(' '.join(m for m in sys.modules if m.split('.')[0] in ('rich', 'click')"
        " or m.startswith(('plandiff.render', 'plandiff.cli'))))\n"
    )
    root = Path(__file__).resolve().parent.parent
    proc = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=root,
        env={"PYTHONPATH": str(root)},
        check=True,
    )
    assert proc.stdout.split() == []


def test_log_view_lists_dates_counts_lineage_and_events(seeds: Registry) -> None:
    text = text_of(history_views.log_view(seeds, history.lineage(seeds)))
    assert text.startswith("version geneva-19\n")
    assert "Points:  19 declared (us-28 had 28: 9 fewer), 0 known, partial text" in text
    assert "Derived: from us-28" in text
    # Events newest first, each with its quotes and footnoted sources.
    events = text[text.index("    2025-11-25") :]
    assert (
        events.index("2025-11-25") < events.index("    2025-11-24") < events.index("    2025-11-23")
    )
    assert "“NATO Secretary General Mark Rutte also took part in the virtual meeting” [1]" in text
    assert "\nSources\n  [1] Zelenskyy, Rubio, and Rutte joined" in text


def test_log_golden(golden) -> None:
    result = run("log")
    assert result.exit_code == 0, result.output
    golden("log.plain.txt", result.stdout)


def test_log_data(plans: Registry) -> None:
    data = history_views.log_data(plans, history.lineage(plans))
    assert [v["id"] for v in data["versions"]] == ["lv-final", "lv-revised", "lv-draft"]
    final = data["versions"][0]
    assert final["declared_change"] is None  # lv-revised declares no count
    assert final["events"] == [
        {
            "date": "2026-03-10",
            "what": "Final text agreed.",
            "evidence": [
                {
                    "source": "lv-news",
                    "quote": "Negotiators for Estmark",
                    "start": 123,
                    "end": 146,
                    "stance": "support",
                }
            ],
        }
    ]
    assert data["sources"][0]["url"] == "https://wire.example/lower-vale"


def test_log_command(plan_root: Path) -> None:
    result = run("log", "lv-revised", registry=plan_root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("version lv-revised\n")
    assert "lv-final" not in result.stdout
    data = json.loads(run("log", "--format", "json").stdout)
    assert data["versions"][0]["declared_change"] == {"from": 28, "to": 19, "difference": -9}


def test_log_unknown_version_suggests() -> None:
    result = run("log", "geneva-91")
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr == "plandiff: unknown version 'geneva-91'; did you mean 'geneva-19'?\n"


# --------------------------------------------------------------------------- trace


def test_find_point_by_key_or_number(plans: Registry) -> None:
    assert history.find_point(plans, "lv-revised:p11")[1].key == "p11"
    assert history.find_point(plans, "lv-revised:11")[1].key == "p11"
    with pytest.raises(PlandiffError, match="is not VERSION:POINT"):
        history.find_point(plans, "lv-revised")
    with pytest.raises(
        NotFoundError, match="unknown version 'lv-revise'; did you mean 'lv-revised'"
    ):
        history.find_point(plans, "lv-revise:1")
    with pytest.raises(NotFoundError, match="unknown point in version 'lv-revised': '17'"):
        history.find_point(plans, "lv-revised:17")


def kinds(t: history.Trace) -> list[tuple[str, str, list[str]]]:
    return [(s.old.id, s.new.id, [c.kind.value for c in s.changes]) for s in t.steps]


def test_trace_a_merge_back_and_what_follows(plans: Registry) -> None:
    t = history.trace(plans, "lv-revised:2")
    assert kinds(t) == [
        ("lv-draft", "lv-revised", ["merged"]),
        ("lv-revised", "lv-final", ["unreported"]),
    ]
    assert [r.number for r in t.steps[0].changes[0].old] == [2, 3]
    text = flat(text_of(history_views.trace_view(t, plans)))
    assert "recorded since lv-draft; not among the known points of lv-final" in text
    assert "lv-draft → lv-revised: 2 + 3 → 2 merged: 2 + 3 became one point (automatic" in text
    assert "Within [-14-]{+21+} days" in text


def test_trace_a_split(plans: Registry) -> None:
    t = history.trace(plans, "lv-revised:7")
    assert kinds(t)[0] == ("lv-draft", "lv-revised", ["split"])
    text = text_of(history_views.trace_view(t, plans))
    assert "6 → 6 + 7" in text and "split into 2 points" in text


def test_trace_a_drop_and_an_addition(plans: Registry) -> None:
    dropped = history.trace(plans, "lv-draft:15")
    assert kinds(dropped) == [("lv-draft", "lv-revised", ["removed"])]
    assert "dropped in lv-revised" in history_views.trace_data(dropped, plans)["summary"]
    added = history.trace(plans, "lv-revised:15")
    assert kinds(added)[0] == ("lv-draft", "lv-revised", ["added"])
    assert history_views.trace_data(added, plans)["summary"].startswith(
        "first appears in lv-revised"
    )


def test_trace_through_a_move_and_a_curated_relation(plans: Registry) -> None:
    t = history.trace(plans, "lv-final:elections")
    assert kinds(t) == [
        ("lv-draft", "lv-revised", ["reworded"]),
        ("lv-revised", "lv-final", ["reworded"]),
    ]
    assert t.steps[1].changes[0].basis.value == "curated"
    text = flat(text_of(history_views.trace_view(t, plans)))
    assert "9 → 11 reworded, renumbered (automatic" in text
    assert "within [-180-]{+120+} days" in text
    assert "note: The deadline was shortened to 90 days." in text
    assert "why: “down from 120 days in the revised draft” [3] @" in text
    assert "elections (described): Local elections within 90 days." in text
    assert "◀ traced" in text


def test_trace_bundled_registry(seeds: Registry, golden) -> None:
    result = run("trace", "us-28:territory")
    assert result.exit_code == 0, result.output
    golden("trace-us-28-territory.plain.txt", result.stdout)
    forward = history.trace(seeds, "us-28:economy")
    assert kinds(forward) == [("us-28", "geneva-19", ["unreported"])]


def test_trace_data(plans: Registry) -> None:
    data = history_views.trace_data(history.trace(plans, "lv-revised:p2"), plans)
    assert data["trace"] == {"version": "lv-revised", "point": "p2", "number": 2}
    assert [v["id"] for v in data["versions"]] == ["lv-draft", "lv-revised", "lv-final"]
    assert [p["key"] for p in data["versions"][0]["points"]] == ["p2", "p3"]
    step = data["steps"][0]
    assert step["from"] == "lv-draft" and step["direction"] == "back"
    assert step["changes"][0]["kind"] == "merged"
    assert data["steps"][1]["direction"] == "forward"


def test_trace_command(plan_root: Path) -> None:
    result = run("trace", "lv-revised:7", registry=plan_root)
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("trace lv-revised:p7\n")
    data = json.loads(run("trace", "lv-revised:7", "--format", "json", registry=plan_root).stdout)
    assert data["steps"][0]["changes"][0]["kind"] == "split"
    coloured = run("trace", "lv-revised:7", registry=plan_root, color=True).stdout
    assert "\x1b[" in coloured and "[-" not in coloured


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("geneva-19", "plandiff: 'geneva-19' is not VERSION:POINT"),
        ("geneva-91:territory", "plandiff: unknown version 'geneva-91'; did you mean 'geneva-19'?"),
        (
            "us-28:teritory",
            "plandiff: unknown point in version 'us-28': 'teritory'; did you mean 'territory'?",
        ),
    ],
)
def test_trace_errors_are_one_line(spec: str, message: str) -> None:
    result = run("trace", spec)
    assert result.exit_code == ExitStatus.ERROR
    assert result.stderr.startswith(message)
    assert len(result.stderr.splitlines()) == 1


# --------------------------------------------------------------------------- show --quotes


def test_quotes_are_marked_and_labelled(seeds: Registry) -> None:
    source = seeds.source("004_6478cbe8c4d60a5a")
    text = flat(text_of(quotes.source_quotes(source, seeds)))
    assert "⟦5 which provides for territorial concessions⟧5 ‹us-28:territory›" in text
    # Overlapping quotes interleave as the spans do.
    assert (
        "⟦10 ⟦11 The negotiations lasted on November 23 and 24.⟧11 ‹geneva-19 (version facts)› "
        "As a result, ⟦12 the initial 28-point US peace plan was reduced to 19 points⟧12"
    ) in text
    assert "Donald Trump⟧14 ‹geneva-19 deferred territory → —›" in text
    # Nested quotes close innermost first.
    assert "⟦3 ⟦4 On November 20, Axios published a 28-point peace plan⟧4" in text
    assert "[12] @1565–1624 the initial 28-point US peace plan was reduced to 19 points" in text


def test_quotes_data(seeds: Registry) -> None:
    source = seeds.source("004_6478cbe8c4d60a5a")
    data = quotes.source_quotes_data(source, seeds)
    assert data["text"] == seeds.text(source.id)
    spans = [(q["start"], q["end"]) for q in data["quotes"]]
    assert spans == sorted(spans, key=lambda s: (s[0], -s[1]))
    territory = next(q for q in data["quotes"] if q["start"] == 1294)
    assert territory["cited_by"] == [
        {
            "version": "us-28",
            "point": "territory",
            "field": "points[0].evidence[0]",
            "label": "us-28:territory",
        }
    ]
    assert data["unlocated"] == []


def test_show_quotes_command() -> None:
    result = run("show", "004_6478cbe8c4d60a5a", "--quotes")
    assert result.exit_code == 0, result.output
    assert "⟦5 which provides for territorial concessions⟧5 ‹us-28:territory›" in flat(
        result.stdout
    )
    data = json.loads(run("show", "000_01fd698e422cb727", "--quotes", "--format", "json").stdout)
    assert data["quotes"][0]["cited_by"][0]["label"] == "geneva-19 event 2025-11-23"


# --------------------------------------------------------------------------- untrusted text


@pytest.fixture(scope="module")
def hostile_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A registry whose article, titles, events and points carry markup and escapes."""
    root = tmp_path_factory.mktemp("hostile") / "registry"
    store.init_registry(root)
    text = f"Intro {HOSTILE} and more text. The plan has 12 points. {HOSTILE} end.\n"
    data = text.encode("utf-8")
    source = Source(
        id="evil",
        title="Title " + HOSTILE,
        outlet="Outlet [red]x[/]",
        path="sources/evil.txt",
        sha256=store.sha256_bytes(data),
    )
    first = create_anchor("evil", text, "The plan has 12 points.")
    markup = create_anchor("evil", text, "[bold red]x[/] \x1b[31mred", occurrence=1)
    overlapping = create_anchor(
        "evil", text, "red\x1b[0m \x1b]8;;http://evil.example", occurrence=1
    )
    old = PlanVersion(
        id="old",
        title="Old " + HOSTILE,
        date=dt.date(2026, 1, 1),
        completeness=Completeness.PARTIAL,
        issuer=("Issuer " + HOSTILE,),
        events=(Event(date=dt.date(2026, 1, 1), what="Event " + HOSTILE, evidence=(markup,)),),
        points=(Point(key="a", summary="Point " + HOSTILE, evidence=(first,)),),
    )
    new = PlanVersion(
        id="new",
        title="New",
        derived_from="old",
        completeness=Completeness.PARTIAL,
        points=(Point(key="a", summary="Other " + HOSTILE, evidence=(overlapping,)),),
        relations=(
            Relation(
                kind=RelationKind.REWORDED, old=("a",), new=("a",), evidence=(first,), note=HOSTILE
            ),
        ),
    )
    registry = Registry(sources=(source,), versions=(old, new), texts={"evil": text})
    store.save_registry(root, registry, extra_files={source.path: data})
    return root


@pytest.mark.parametrize(
    "args",
    [
        ("log",),
        ("log", "--format", "json"),
        ("trace", "new:a"),
        ("trace", "old:a", "--format", "json"),
        ("show", "evil", "--quotes"),
        ("show", "evil", "--quotes", "--format", "json"),
        ("diff", "old", "new"),
        ("diff", "old", "new", "--format", "markdown"),
    ],
)
@pytest.mark.parametrize("color", [False, True])
def test_hostile_registry_text_stays_text(hostile_root: Path, args, color: bool) -> None:
    result = run(*args, registry=hostile_root, color=color)
    assert result.exit_code == 0, result.output
    text = re.sub(r"\x1b\[[0-9;]*m", "", result.stdout) if color else result.stdout
    assert not RAW_CONTROL.search(text), RAW_CONTROL.search(text)
    if "json" in args:
        assert any(
            "[bold red]x[/] \x1b[31mred\x1b[0m \x1b]8;;" in s
            for s in strings(json.loads(result.stdout))
        )
    else:
        if "markdown" in args:
            from markdown_it import MarkdownIt

            text = MarkdownIt("commonmark", {"html": True}).enable(["table"]).render(text)
            assert "<script" not in text and "<a " not in text
        assert "[bold red]x[/]" in text
        assert "\\x1b]8;;http://evil.example\\x1b\\" in text
