"""What users install: a wheel carries the bundled registry and the schemas, and works alone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.helpers import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    pytest.importorskip("hatchling", reason="hatchling (in the 'test' extra) builds the wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("plandiff-*.whl")
    return found


def test_wheel_ships_registry_and_schemas_from_their_one_place(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in (REPO / "seeds").rglob("*"):
        if seed.is_file() and not seed.name.startswith("."):
            rel = seed.relative_to(REPO / "seeds").as_posix()
            assert f"plandiff/registry/{rel}" in names
    for schema in (REPO / "schemas").glob("*"):
        assert f"plandiff/schemas/{schema.name}" in names
    assert not any(n.startswith("seeds/") or "/.plandiff" in n for n in names)


def test_non_editable_install_verifies_bundled_registry(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "-q",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
        capture_output=True,
    )
    env = {k: v for k, v in os.environ.items() if k not in ("PLANDIFF_REGISTRY", "PYTHONPATH")}
    env["PYTHONPATH"] = str(target)
    run = subprocess.run(
        [sys.executable, "-m", "plandiff", "verify"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("ok: 2 version(s), 2 source(s), 22 anchor(s) verified in ")
    assert str(target / "plandiff" / "registry") in run.stdout
