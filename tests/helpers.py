"""Small helpers shared by tests: copies of the bundled registry, directory snapshots, the CLI
as the recording tests drive it, and the real-document benchmark module."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from pathlib import Path
from types import ModuleType

from click.testing import CliRunner, Result

from plandiff import store
from plandiff.cli import cli

REPO = Path(__file__).resolve().parent.parent
SEEDS = REPO / "seeds"
FIXTURES = REPO / "fixtures"


def copy_seeds(dest: Path) -> Path:
    """A writable copy of the bundled registry."""
    target = dest / "registry"
    shutil.copytree(SEEDS, target, ignore=shutil.ignore_patterns(".plandiff*"))
    for path in target.rglob("*"):
        if path.is_file():
            path.chmod(0o644)
    return target


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` (hidden lock files aside) with its bytes."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".plandiff.lock"
    }


def invoke(*args: str) -> Result:
    """The command run in-process with no registry from the environment, 100 columns wide and
    without colour, so that its output is the same on every machine."""
    runner = CliRunner(env={store.ENV_REGISTRY: None, "COLUMNS": "100", "NO_COLOR": "1"})
    return runner.invoke(cli, list(args), prog_name="plandiff", catch_exceptions=False)


def record(root: Path, steps: list[list[str]]) -> Path:
    """``root`` made by running each step (``init`` as given, the others on ``root``), each of
    which must succeed."""
    for step in steps:
        args = step if step[0] == "init" else ["--registry", str(root), *step]
        result = invoke(*args)
        assert result.exit_code == 0, (step, result.output)
    return root


def real_benchmark() -> ModuleType:
    """``benchmarks/real.py`` as a module (its corpus loaders), loaded once per test session."""
    if (loaded := sys.modules.get("real_benchmark")) is not None:
        return loaded
    spec = importlib.util.spec_from_file_location("real_benchmark", REPO / "benchmarks" / "real.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["real_benchmark"] = module
    spec.loader.exec_module(module)
    return module
