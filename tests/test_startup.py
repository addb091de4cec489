"""What a command imports: start-up time is most of a short command's run.

Each case runs the CLI in a fresh interpreter and lists the modules it loaded, so a module-level
import added to the wrong place (a heavy parser for the registry commands, the segmenter for a
diff of registry versions) fails here rather than showing up as a slower ``plandiff diff``.
Timings are left to ``benchmarks/run.py``: they depend on the machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Runs ``python -m plandiff`` with the given arguments, then prints the loaded module names.
_RUN_AND_LIST = """
import runpy, sys
sys.argv = ["plandiff", *sys.argv[1:]]
try:
    runpy.run_module("plandiff", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
print("\\0" + " ".join(sorted(sys.modules)))
"""

#: Needed only by commands that capture, extract or archive (or not at all).
NEVER = {"numpy", "scipy", "lxml", "trafilatura", "plandiff.xmlarchive", "plandiff.recording"}


def loaded(*args: str) -> set[str]:
    proc = subprocess.run(
        [sys.executable, "-c", _RUN_AND_LIST, *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "NO_COLOR": "1", **_CACHE},
        check=True,
    )
    return set(proc.stdout.rpartition("\0")[2].split())


#: The registry cache of this test run (see conftest), never the real home's.
_CACHE = {"PLANDIFF_CACHE_DIR": os.environ["PLANDIFF_CACHE_DIR"]}


def test_diff_of_registry_versions_loads_no_parser_or_segmenter() -> None:
    modules = loaded("diff", "us-28", "geneva-19")
    assert "plandiff.engine" in modules  # the case really ran
    unexpected = modules & (NEVER | {"plandiff.segmentation", "tomli_w", "rich.table"})
    assert not unexpected


def test_diff_of_two_plan_files_loads_no_registry_store_or_models() -> None:
    modules = loaded(
        "diff", "fixtures/plans/accord-v1.txt", "fixtures/plans/accord-v2.txt", "--format", "json"
    )
    assert "plandiff.segmentation" in modules  # the case really ran
    assert not modules & {"plandiff.store", "plandiff.models", "pydantic", "plandiff.journal"}


@pytest.mark.parametrize("command", [["versions"], ["verify"], ["show", "us-28"]])
def test_registry_commands_load_neither_fuzzy_matching_nor_writers(command: list[str]) -> None:
    modules = loaded(*command)
    assert "plandiff.store" in modules
    assert not modules & (
        NEVER | {"rapidfuzz", "tomli_w", "plandiff.engine", "plandiff.segmentation"}
    )


def test_segment_is_the_function_and_segmentation_its_module() -> None:
    # Different names, so the import system's binding of a submodule to its package never
    # hides the function, and the package stays a plain module.
    code = (
        "import importlib, sys, types, plandiff\n"
        "importlib.import_module('plandiff.texts').version_from_text('1. One.\\n', 'a.txt')\n"
        "module = sys.modules['plandiff.segmentation']\n"
        "assert plandiff.segment is module.segment and plandiff.segmentation is module\n"
        "assert type(plandiff) is types.ModuleType\n"
    )
    subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env={"PYTHONPATH": str(ROOT)}, check=True
    )


def test_cli_leaves_an_explicit_pydantic_plugin_setting_alone() -> None:
    code = (
        "import os, sys\n"
        "from plandiff.cli import main\n"
        "sys.argv = ['plandiff', '--help']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('\\0' + os.environ['PYDANTIC_DISABLE_PLUGINS'])\n"
    )
    env = {"PYTHONPATH": str(ROOT), "PYDANTIC_DISABLE_PLUGINS": "some-plugin"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    assert proc.stdout.rpartition("\0")[2].strip() == "some-plugin"


_BLAS_SETTING = (
    "import os, sys\n"
    "import plandiff\n"
    "plandiff.diff_texts('1. One.\\n', '1. Two.\\n')\n"
    "print('\\0' + os.environ.get('OPENBLAS_NUM_THREADS', '-') + '\\0', end='')\n"
    "from plandiff.cli import main\n"
    "sys.argv = ['plandiff', '--help']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print('\\0' + os.environ.get('OPENBLAS_NUM_THREADS', '-'))\n"
)


@pytest.mark.parametrize(("given", "library", "command"), [(None, "-", "1"), ("4", "4", "4")])
def test_the_command_keeps_numpy_blas_to_one_thread(
    given: str | None, library: str, command: str
) -> None:
    """The command runs on one CPU, so OpenBLAS's threads (which spin after numpy's import)
    are not started; a user's explicit setting stands, and the library never changes it."""
    env = {"PYTHONPATH": str(ROOT)}
    if given is not None:
        env["OPENBLAS_NUM_THREADS"] = given
    proc = subprocess.run(
        [sys.executable, "-c", _BLAS_SETTING],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    parts = proc.stdout.split("\0")  # the library's setting, the help, the command's
    assert (parts[1], parts[-1]) == (library, command + "\n")


#: Runs ``plandiff diff us-28 geneva-19``, then prints the registry models pydantic has built
#: (a model's validator is built on first use: see models.FrozenModel) and whether the
#: validating loader was imported.
_DIFF_AND_LIST_BUILT = """
import runpy, sys
sys.argv = ["plandiff", "diff", "us-28", "geneva-19"]
try:
    runpy.run_module("plandiff", run_name="__main__", alter_sys=True)
except SystemExit as exc:
    if exc.code not in (0, None):
        raise
from pydantic import BaseModel
import plandiff.models as models
built = [
    name for name, cls in vars(models).items()
    if isinstance(cls, type) and issubclass(cls, BaseModel) and cls.__pydantic_complete__
]
print("\\0" + " ".join(sorted(built)), "plandiff.store" in sys.modules)
"""


def test_the_bundled_diff_builds_no_registry_model_once_its_records_are_cached(
    tmp_path: Path,
) -> None:
    def run() -> str:
        proc = subprocess.run(
            [sys.executable, "-c", _DIFF_AND_LIST_BUILT],
            capture_output=True,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env={"PYTHONPATH": str(ROOT), "NO_COLOR": "1", "PLANDIFF_CACHE_DIR": str(tmp_path)},
            check=True,
        )
        assert "Geneva" in proc.stdout  # the report was written
        return proc.stdout.rpartition("\0")[2].strip()

    # The first run validates the registry (building its models) and caches the records; the
    # second reads the records and never loads the validating code at all.
    assert run() == "PlanVersion Registry Source True"
    assert run() == "False"
