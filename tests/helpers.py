"""Small helpers shared by tests: copies of the bundled registry and directory snapshots."""

from __future__ import annotations

import shutil
from pathlib import Path

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
