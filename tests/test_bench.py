"""The benchmark command still runs, and the fast paths it measures give the reference output.

``benchmarks/run.py`` is run at N = 30 so that it cannot rot; the speed-ups it measures (the
JSON writer, models built without validation, the plain-Python paths that spare small diffs
numpy and scipy) are checked against the straightforward code they replace.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from pathlib import Path

import msgspec
import pytest

from plandiff import align, engine, load_registry, texts
from plandiff.align import assignment, order, scores, stem_rows
from plandiff.models import Point
from plandiff.render import UNSAFE_IN_TERMINAL
from plandiff.render import json as json_render
from plandiff.result import Change
from tests.sample_results import every_kind, hostile

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "benchmarks") not in sys.path:  # its scripts are not a package
    sys.path.insert(0, str(ROOT / "benchmarks"))

from synth import generate, render_text  # noqa: E402


def test_benchmark_runs_at_a_tiny_size(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    options = ["--sizes", "30", "--repeat", "1", "--startup-repeat", "1", "--no-warmup"]
    if shutil.which("git") is None:
        options.append("--no-git")
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), *options, "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text())
    (row,) = report["sizes"]
    assert row["n"] == 30
    assert row["segmented"] == row["points"]  # every generated point was found
    assert row["plandiff"]["wall_s"] > 0 and row["plandiff"]["peak_mb"] > 0
    assert row["accuracy"]["correspondence_f1"] >= 0.9  # JSON indices read back right
    assert row["accuracy"]["renumbered_flagged"] == 0
    assert row["text"]["wall_s"] > 0 and row["text_ratio"] > 0  # the largest size's text report
    assert report["startup"]["ratio"] > 0
    assert "startup_ratio" in report["targets"]
    assert proc.stdout.splitlines()[0].split()[:2] == ["N", "plandiff"]  # the table


def _step(script: str) -> str:
    """What an in-process step benchmark prints for a 30-point pair, one timed run."""
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / script), "--sizes", "30", "--repeat", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_json_step_runs_at_a_tiny_size() -> None:
    """The JSON-writing benchmark imports the library as users do; run it so it cannot rot."""
    assert _step("json_step.py").startswith("N=30: ")


def test_changes_step_runs_at_a_tiny_size() -> None:
    """The change-building benchmark repeats the engine's steps; run it so it cannot rot."""
    out = _step("changes_step.py")
    assert out.startswith("N=30: ")
    assert int(out.split()[1]) >= 30  # every point is in some change


def test_redline_step_runs_at_a_tiny_size() -> None:
    """The redline benchmark collects the pairs the engine redlines; run it so it cannot rot."""
    assert _step("redline_step.py").startswith("N=30: ")


def test_run_py_help_documents_its_options() -> None:
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0
    for option in (
        "--sizes",
        "--repeat",
        "--quick",
        "--seed",
        "--check",
        "--out",
        "--no-git",
        "--no-text",
    ):
        assert option in proc.stdout


def _results() -> list:
    registry = load_registry()
    pair = generate(30, 3)
    return [
        every_kind(),
        hostile(),
        engine.diff(registry.version("us-28"), registry.version("geneva-19"), registry=registry),
        engine.diff(registry.version("geneva-19"), registry.version("us-28"), registry=registry),
        texts.diff_texts(render_text(pair.old), render_text(pair.new)),
        texts.diff_texts("", ""),
    ]


@pytest.mark.parametrize("index", range(6))
def test_json_report_is_laid_out_as_json_dumps_does(index: int) -> None:
    result = _results()[index]
    data = msgspec.to_builtins(json_render.document(result))
    expected = json.dumps(data, ensure_ascii=False, indent=2)
    expected = UNSAFE_IN_TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", expected)
    assert json_render.render(result) == expected + "\n"


def test_models_built_without_validation_are_valid() -> None:
    pair = generate(30, 4)
    old, *_ = texts.version_from_text(render_text(pair.old), "old.txt")
    for point in old.points:
        assert Point.model_validate(point.model_dump()) == point
    result = texts.diff_texts(render_text(pair.old), render_text(pair.new))
    for change in result.changes:  # plain records: msgspec checks their types on the way back
        assert msgspec.convert(msgspec.to_builtins(change), Change) == change


def test_plain_python_move_detection_matches_numpy() -> None:
    import numpy as np

    rng = random.Random(7)
    for n in (0, 1, 2, 5, 40, 300):
        for _ in range(20):
            new_keys = rng.sample(range(3 * n + 1), n)
            old_keys = rng.sample(range(3 * n + 1), n)
            weights = [float(rng.randint(1, 4)) for _ in range(n)]
            expected = order.stable_items(
                np.array(new_keys, dtype=np.int64),
                np.array(old_keys, dtype=np.int64),
                np.array(weights),
            ).tolist()
            assert order.stable_flags(new_keys, old_keys, weights) == expected


def test_plain_python_similarity_matches_the_matrix_computation() -> None:
    import numpy as np

    def reference(a: str, b: str) -> float:  # what similarity() computed before
        a, b = align.normalise(a), align.normalise(b)
        if a == b:
            return 1.0
        bags = scores._bags([a, b], align.DEFAULT_SETTINGS.stem_length)
        empty = np.zeros(0, dtype=np.int64)
        w = scores._weights(bags, np.array([0]), np.array([1]), empty, 0.0, 1, 0.2)
        m = bags.matrix
        pair = (np.array([0]), np.array([1]))
        inter = stem_rows.intersection_weight(m, m, stem_rows.membership(m), w, *pair)[0]
        sizes = m.dot(w)
        total = sizes[0] + sizes[1]
        return float(min(1.0, 2.0 * inter / total)) if total > 0 else 0.0

    pair = generate(300, 5)
    texts = [*pair.old[:60], *pair.new[:60], "", "the of and", "Ceasefire — “now”.", "a\x00b"]
    rng = random.Random(3)
    for _ in range(300):
        a, b = rng.choice(texts), rng.choice(texts)
        assert align.similarity(a, b) == reference(a, b)


def test_enumerated_assignment_matches_scipys_solver() -> None:
    import numpy as np
    from scipy import sparse
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    def solver(ii: np.ndarray, jj: np.ndarray, score: np.ndarray) -> list[tuple[int, int]]:
        u_old, col = np.unique(ii, return_inverse=True)
        u_new, row = np.unique(jj, return_inverse=True)
        n_rows, n_cols = len(u_new), len(u_old)
        data = np.concatenate((score + 2e-9, np.full(n_rows, 1e-9)))
        rows = np.concatenate((row, np.arange(n_rows)))
        cols = np.concatenate((col, n_cols + np.arange(n_rows)))
        graph = sparse.csr_matrix((data, (rows, cols)), shape=(n_rows, n_cols + n_rows))
        r, c = min_weight_full_bipartite_matching(graph, maximize=True)
        real = c < n_cols
        return sorted(zip(u_old[c[real]].tolist(), u_new[r[real]].tolist(), strict=True))

    rng = random.Random(11)
    enumerated = 0
    for _ in range(800):
        keys = sorted({(rng.randrange(6), rng.randrange(6)) for _ in range(rng.randint(1, 14))})
        ii = np.array([i for i, _ in keys])
        jj = np.array([j for _, j in keys])
        score = np.array([rng.choice([0.5, 0.6, 0.75, rng.random()]) for _ in keys])
        score += np.where(np.array([rng.random() < 0.3 for _ in keys]), 0.1, 0.0)
        found = assignment.assign_by_enumeration(ii.tolist(), jj.tolist(), score.tolist())
        if found is not None:  # None: a tie or a large group, left to the solver
            enumerated += 1
            assert sorted(found) == solver(ii, jj, score), keys
    assert enumerated > 400


def test_adversarial_inputs_are_under_a_megabyte_and_grow_with_the_scale() -> None:
    import adversarial

    for name, make in adversarial.CASES.items():
        full, tiny = make(1.0), make(0.001)
        assert full.name == name
        assert 0 < tiny.size < full.size < 1_000_000, name


def test_adversarial_benchmark_runs_the_cli_on_tiny_inputs(tmp_path: Path) -> None:
    """Three inputs through the real CLI: an import, a page accepted and a page refused."""
    out = tmp_path / "rows.json"
    options = ["--only", "lineage-archive", "--only", "html-attributes", "--scale", "0.001"]
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "adversarial.py"), *options, "--json", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    rows = {row["input"]: row for row in json.loads(out.read_text())}
    assert rows["lineage-archive"]["status"] == 0
    assert rows["html-attributes"]["status"] == 0  # 40 attributes: extracted
    assert all(row["peak_mb"] > 0 and row["cpu_s"] > 0 for row in rows.values())
    assert proc.stdout.splitlines()[0].split()[:3] == ["input", "size", "KB"]
    refusal = ["--only", "html-attributes", "--scale", "0.03", "--json", str(out)]
    refused = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "adversarial.py"), *refusal],
        capture_output=True,
        text=True,
        timeout=120,
    )
    (row,) = json.loads(out.read_text())
    assert row["status"] == 2  # a one-line refusal, not a failure of the benchmark
    assert "refusal is not one line" not in row["problems"]
    assert "a tag of the page has more than 1,000 attributes" in refused.stdout


def test_stages_names_every_stage_of_the_engine() -> None:
    """The per-stage benchmark wraps the functions the engine calls; a renamed stage would make
    it fail or leave its time in "the rest", so run it and read what it printed."""
    lines = _step("stages.py").splitlines()
    assert lines[0] == "N=30: CPU seconds per stage, median of 1 runs"
    rows = [line.split(maxsplit=3) for line in lines[1:]]
    labels = [row[3] for row in rows]
    assert labels[0] == "read both texts as versions (segmentation)"
    assert labels[1].startswith("align") and "redlines and changed figures" in labels
    assert labels[-2:] == ["JSON report", "total"]
    seconds = [float(row[0]) for row in rows]
    assert all(s >= 0 for s in seconds)
    assert abs(sum(seconds[:-1]) - seconds[-1]) < 0.01
