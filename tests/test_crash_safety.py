"""Crash safety: a writer killed at any moment leaves the old registry or the new one, never a mix.

Each writer runs in a child process (forked from the test, so it starts in milliseconds) and is
stopped in two ways:

* **at every step**: the child dies (``os._exit``, no cleanup) just before its N-th file-system
  operation (open for writing, write-through fsync, rename, unlink, mkdir, rmdir), for every N
  from the first to past the last, so every intermediate state on disk is visited;
* **at random moments**: SIGKILL after a random delay within the writer's measured run time,
  which also lands inside ``write()`` calls of large files (seeded: ``PLANDIFF_CRASH_SEED``).

After each kill the registry must load, equal byte for byte either the state before the write or
the state after a completed one, and hold no temporary file where the loader reads
(``sources/``, ``versions/``, the text files); the hidden journal is finished or discarded by that
first load. The writers: ``store.save_registry`` rewriting a registry of 12 versions and 4 large
sources (every version file changes, two are removed, two added, one source added), and the
commands ``source add``, ``source add --recapture`` (a new text, the replaced one kept as an
earlier capture, the quotes re-anchored), ``version add --from-text``, ``source remove`` (a text
and its record), ``import --force`` and a fresh ``import``.

``fsync`` is counted as a step but not performed: a killed process loses nothing the kernel
already has, so durability against power loss is not what this test can show.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import hashlib
import importlib
import os
import random
import shutil
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from plandiff import anchors, journal, store
from plandiff.models import (
    Completeness,
    PlanVersion,
    Point,
    Registry,
    Relation,
    RelationKind,
    Source,
)
from tests.helpers import FIXTURES

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork (POSIX)")

SEED = int(os.environ.get("PLANDIFF_CRASH_SEED", "20251126"))
FUZZ = bool(os.environ.get("PLANDIFF_FUZZ"))
#: Random SIGKILLs per writer.
RANDOM_KILLS = 60 if FUZZ else 5
#: Steps to die at per writer in the normal run: the first and last few and a seeded sample of
#: the rest; the fuzz run (PLANDIFF_FUZZ=1) dies at every step.
STEP_SAMPLE = 16

# --------------------------------------------------------------------------- the registry

WORDS = (
    "ceasefire", "territory", "guarantees", "sanctions", "elections", "forces", "prisoners",
    "exchange", "amnesty", "zone", "Ukraine", "Russia", "Europe", "NATO", "within", "days",
    "shall", "will", "not", "be", "agreed", "parties",
)  # fmt: skip


def article(seed: int, size: int) -> str:
    rng = random.Random(seed)
    words = [rng.choice(WORDS) for _ in range(size // 7)]
    lines = [" ".join(words[i : i + 12]) + f" ({seed}-{i})." for i in range(0, len(words), 12)]
    return "\n".join(lines) + "\n"


#: The source of the template that no quote cites.
SPARE = "src-spare"


def big_registry() -> Registry:
    """4 sources of ~40 KB and 12 versions of 12 points, every point anchored, a lineage."""
    texts = {f"src-{i}": article(i, 40_000) for i in range(4)}
    sources = tuple(
        Source(
            id=sid,
            title=f"Article {sid}",
            outlet="Wire",
            path=f"sources/{sid}.txt",
            sha256=hashlib.sha256(t.encode()).hexdigest(),
        )
        for sid, t in texts.items()
    )
    # A source nothing quotes: what 'source remove' removes (its text sorts after its record).
    texts[SPARE] = article(5, 20_000)
    sources += (
        Source(
            id=SPARE,
            path=f"sources/{SPARE}.txt",
            sha256=hashlib.sha256(texts[SPARE].encode()).hexdigest(),
        ),
    )
    rng = random.Random(7)
    versions = []
    for v in range(12):
        points = []
        for p in range(12):
            sid = f"src-{rng.randrange(4)}"
            start = rng.randrange(0, len(texts[sid]) - 200)
            anchor = anchors.make_anchor(sid, texts[sid], start, start + rng.randrange(20, 120))
            points.append(Point(key=f"p{p}", number=p + 1, text=anchor.quote, evidence=(anchor,)))
        parent = f"v{v - 1:02d}" if v % 4 else None
        relations = ()
        if parent:
            relations = (
                Relation(
                    kind=RelationKind.REWORDED,
                    old=("p0",),
                    new=("p0",),
                    evidence=points[0].evidence,
                ),
            )
        versions.append(
            PlanVersion(
                id=f"v{v:02d}",
                title=f"Version {v}",
                completeness=Completeness.FULL,
                derived_from=parent,
                declared_points=12,
                points=tuple(points),
                relations=relations,
            )
        )
    return Registry(sources=sources, versions=tuple(versions), texts=texts)


def text_files(registry: Registry) -> dict[str, bytes]:
    return {s.path: registry.texts[s.id].encode() for s in registry.sources}


def changed(registry: Registry) -> tuple[Registry, dict[str, bytes]]:
    """Every version retitled, two leaves removed (v03, v07), two versions and a source added."""
    assert {"v03", "v07"} <= {v.id for v in registry.versions}
    extra = article(99, 60_000)
    new_source = Source(
        id="src-new",
        title="New",
        path="sources/src-new.txt",
        sha256=hashlib.sha256(extra.encode()).hexdigest(),
    )
    kept = [
        v.model_copy(update={"title": v.title + " (revised)", "note": "Revised after talks."})
        for v in registry.versions
        if v.id not in ("v03", "v07")
    ]
    anchor = anchors.make_anchor("src-new", extra, 100, 180)
    added = [
        PlanVersion(
            id=f"w{i}",
            title=f"Added {i}",
            completeness=Completeness.PARTIAL,
            points=(Point(key="p0", summary="New.", evidence=(anchor,)),),
        )
        for i in range(2)
    ]
    new = Registry(
        sources=(*registry.sources, new_source),
        versions=(*kept, *added),
        texts={**registry.texts, "src-new": extra},
    )
    return new, {"sources/src-new.txt": extra.encode()}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("crash") / "template"
    store.init_registry(root)
    registry = big_registry()
    store.save_registry(root, registry, extra_files=text_files(registry))
    return root


# --------------------------------------------------------------------------- states


def state(root: Path) -> dict[str, bytes]:
    """Every file below ``root`` but the lock file; the empty-folder structure does not count."""
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != store.LOCK_NAME
    }


def check_after_kill(root: Path, old: dict[str, bytes], new: dict[str, bytes], what: str) -> str:
    """The registry loads and is the old or the new state; returns which."""
    if not root.exists() and not old:  # a fresh import that never got to its rename
        return "old"
    known = old.keys() | new.keys()
    for path in root.rglob("*"):
        rel = path.relative_to(root)
        if path.is_file() and not any(part.startswith(".") for part in rel.parts):
            assert str(rel) in known, f"{what}: stray file {rel} where the loader reads"
    store.load_registry(root, recover=True)  # finishes or discards the journal
    assert not (root / store.TXN_DIR).exists(), what
    now = state(root)
    if now == old:
        return "old"
    if now == new:
        return "new"
    mixed = sorted(
        k
        for k in known
        if now.get(k) not in (old.get(k), new.get(k))
        or (
            now.get(k) == old.get(k) != new.get(k)
            and any(now.get(j) == new.get(j) != old.get(j) for j in known)
        )
    )
    raise AssertionError(f"{what}: a mix of old and new: {mixed[:10]}")


# --------------------------------------------------------------------------- dying children

_STEPS = ("replace", "rename", "unlink", "fsync", "mkdir", "rmdir")


def _arm(die_at: int | None, counter: list[int]) -> None:
    """In the child: count file-system steps, and die just before step ``die_at``."""

    def step() -> None:
        counter[0] += 1
        if die_at is not None and counter[0] >= die_at:
            os._exit(137)

    def wrap(fn: Callable[..., object]) -> Callable[..., object]:
        def wrapped(*args: object, **kwargs: object) -> object:
            step()
            return fn(*args, **kwargs)

        return wrapped

    for name in _STEPS:
        original = getattr(os, name)
        setattr(os, name, wrap(original if name != "fsync" else (lambda fd: None)))
    real_open = builtins.open

    def opening(file: object, mode: str = "r", *args: object, **kwargs: object) -> object:
        if any(c in mode for c in "wax+"):
            step()
        return real_open(file, mode, *args, **kwargs)

    builtins.open = opening  # type: ignore[assignment]
    real_mkstemp = __import__("tempfile").mkstemp

    def mkstemp(*args: object, **kwargs: object) -> object:
        step()
        return real_mkstemp(*args, **kwargs)

    __import__("tempfile").mkstemp = mkstemp


def in_child(
    writer: Callable[[], None],
    *,
    die_at: int | None = None,
    go: bool = False,
    report: Path | None = None,
) -> tuple[int, int | None]:
    """Fork; the child runs ``writer`` (dying at step ``die_at``); returns (pid, pipe to say go).

    With ``go`` the child waits for a byte on the pipe before it starts, so the parent can time
    its kill from the moment the write begins. With ``report`` a child that completes writes
    there how many steps it took.
    """
    read_go, write_go = os.pipe() if go else (None, None)
    pid = os.fork()
    if pid == 0:  # the child: never return into pytest
        code = 70
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            if read_go is not None:
                os.read(read_go, 1)
            _arm(die_at, counter := [0])
            try:
                writer()
                code = 0
            except SystemExit as exc:
                code = exc.code if isinstance(exc.code, int) else 1
            if report is not None and code == 0:
                report.write_text(str(counter[0]))
        finally:
            os._exit(code)
    if read_go is not None:
        os.close(read_go)
    return pid, write_go


def wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def count_steps(writer: Callable[[], None], report: Path) -> int:
    pid, _ = in_child(writer, report=report)
    assert wait(pid) == 0, "the writer failed"
    return int(report.read_text())


# --------------------------------------------------------------------------- writers


def cli(*args: str) -> Callable[[], None]:
    def run() -> None:
        from plandiff.cli import main

        sys.argv = ["plandiff", *args]
        main()

    return run


Writer = tuple[Callable[[Path], Callable[[], None]], Callable[[Path], None] | None]


_PREPARED: dict[Path, tuple[Registry, dict[str, bytes]]] = {}


def _save_writer(root: Path) -> Callable[[], None]:
    if root not in _PREPARED:  # every run writes the same change to a fresh copy at root
        _PREPARED[root] = changed(store.load_registry(root))
    new, extra = _PREPARED[root]
    return lambda: store.save_registry(root, new, extra_files=extra)


def _archive(tmp: Path) -> Path:
    xmlarchive = pytest.importorskip("plandiff.xmlarchive", reason="XML archives not landed yet")
    path = tmp / "archive.xml"
    if not path.exists():
        new, _ = changed(big_registry())
        path.write_bytes(
            xmlarchive.export_registry(new, created=dt.datetime(2025, 11, 26, tzinfo=dt.UTC))
        )
    return path


def writers(tmp: Path) -> dict[str, Callable[[Path], Callable[[], None]]]:
    html = FIXTURES / "html" / "harbour-post.html"
    plan = FIXTURES / "plans" / "ceasefire-v1.txt"
    return {
        "save_registry": _save_writer,
        "source add": lambda root: cli("--registry", str(root), "source", "add", str(html)),
        "version add": lambda root: cli(
            "--registry",
            str(root),
            "version",
            "add",
            "full-1",
            "--title",
            "Full text",
            "--from-text",
            str(plan),
        ),
        "import --force": lambda root: cli(
            "import", str(_archive(tmp)), "--into", str(root), "--force"
        ),
        "import (fresh)": lambda root: cli("import", str(_archive(tmp)), "--into", str(root)),
        "source remove": lambda root: cli("--registry", str(root), "source", "remove", SPARE),
        "source recapture": lambda root: cli(
            "--registry",
            str(root),
            "source",
            "add",
            str(_recaptured(tmp)),
            "--id",
            "src-0",
            "--recapture",
            "--retrieved",
            "2025-11-27",
        ),
    }


def _recaptured(tmp: Path) -> Path:
    """A new capture of src-0: its text with a paragraph added, so every quote is found again
    and the text it replaces is kept as capture 1 (a file more in the same commit)."""
    path = tmp / "src-0.txt"
    if not path.exists():
        path.write_text(article(0, 40_000) + "Added later (an update).\n", encoding="utf-8")
    return path


NEEDS = {
    "source remove": "plandiff.recording.edits",
    "source recapture": "plandiff.recording.recapture",
    "source add": "plandiff.recording",
    "version add": "plandiff.recording",
    "import --force": "plandiff.xmlarchive",
    "import (fresh)": "plandiff.xmlarchive",
}


def _import_before_forking() -> None:
    """Import what the commands use once, here, rather than again in every child."""
    for module in (
        "plandiff.cli.record_cmds",
        "plandiff.cli.edit_cmds",
        "plandiff.cli.archive_cmds",
        "plandiff.recording",
        "plandiff.extract",
        "plandiff.xmlarchive",
        "plandiff.segmentation",
        "trafilatura",
    ):
        with contextlib.suppress(ImportError):
            importlib.import_module(module)
    with contextlib.suppress(ImportError):  # first use builds caches (the extractor's)
        from plandiff.extract import extract

        html = FIXTURES / "html" / "harbour-post.html"
        extract(html.read_bytes(), html.name)


def fresh(template: Path, where: Path, name: str) -> Path:
    root = where / "registry"
    if root.exists():
        shutil.rmtree(root)
    for leftover in where.glob(".registry.plandiff-import-*"):
        shutil.rmtree(leftover)
    if name != "import (fresh)":
        shutil.copytree(template, root)
    return root


@pytest.mark.parametrize("name", [*NEEDS, "save_registry"])
def test_killed_writer_leaves_old_or_new_never_a_mix(
    template: Path, tmp_path: Path, name: str
) -> None:
    if name in NEEDS:
        pytest.importorskip(NEEDS[name], reason=f"'{name}' has not landed yet")
    make = writers(tmp_path)[name]
    _import_before_forking()
    work = tmp_path / "work"
    work.mkdir()

    # The two legitimate states: before, and after a complete run.
    root = fresh(template, work, name)
    old = state(root) if root.exists() else {}
    steps = count_steps(make(root), tmp_path / "steps")
    new = state(root)
    assert new != old and new, "the writer changed nothing"

    seen = {"old": 0, "new": 0}
    # 1. Dying just before each step (or a sample of them), and once past the last.
    every = range(1, steps + 2)
    rng = random.Random(f"{SEED}-{name}")
    if FUZZ or len(every) <= STEP_SAMPLE:
        chosen = list(every)
    else:
        ends = [*every[:4], *every[-4:]]
        chosen = sorted({*ends, *rng.sample(every[4:-4], STEP_SAMPLE - len(ends))})
    for die_at in chosen:
        root = fresh(template, work, name)
        pid, _ = in_child(make(root), die_at=die_at)
        wait(pid)
        seen[check_after_kill(root, old, new, f"{name}, died at step {die_at}/{steps}")] += 1
    assert seen["old"] and seen["new"], seen

    # 2. SIGKILL at random moments of a run (timed from when the child starts writing).
    root = fresh(template, work, name)
    pid, go = in_child(make(root), go=True)
    started = time.perf_counter()
    assert go is not None
    os.write(go, b"x")
    wait(pid)
    duration = time.perf_counter() - started
    for i in range(RANDOM_KILLS):
        root = fresh(template, work, name)
        pid, go = in_child(make(root), go=True)
        delay = rng.uniform(0, duration * 1.1)
        assert go is not None
        os.write(go, b"x")
        time.sleep(delay)
        os.kill(pid, signal.SIGKILL)
        wait(pid)
        os.close(go)
        seen[
            check_after_kill(
                root, old, new, f"{name}, SIGKILL {i} after {delay:.4f}s (seed {SEED})"
            )
        ] += 1


def test_reader_never_discards_a_write_in_progress(template: Path, tmp_path: Path) -> None:
    """A reader that finds a journal waits for the writer's lock before it touches it."""
    root = tmp_path / "registry"
    shutil.copytree(template, root)
    new, extra = changed(store.load_registry(root))
    with store.locked(root):
        txn = root / store.TXN_DIR
        txn.mkdir()
        (txn / "0.new").write_bytes(b"staged by a writer that holds the lock")
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), 2)
                journal._HELD.clear()  # the lock is the parent's, not this process's
                store.locked.__wrapped__.__defaults__ = (0.5,)  # give up after half a second
                journal.LOCK_TIMEOUT_SECONDS = 0.5  # readers too
                try:
                    store.load_registry(root)
                except store.LockError:
                    code = 0  # waited for the writer, then gave up clearly
            finally:
                os._exit(code)
        assert wait(pid) == 0
        assert (txn / "0.new").exists(), "the reader discarded the writer's journal"
        shutil.rmtree(txn)
        store.save_registry(root, new, extra_files=extra)
    assert state(root)["versions/w0.toml"]


# --------------------------------------------------------------------------- readers and writers


def test_readers_during_a_loop_of_writes_never_see_half_a_write(
    template: Path, tmp_path: Path
) -> None:
    """Issue 18, item 3: a reader that loads ``sources/`` before a commit and ``versions/``
    after it reported a registry that is not corrupt as corrupt ("unknown source"). Readers
    now hold a shared lock: each sees the state before a commit or after it."""
    import threading

    from tests.helpers import copy_seeds

    root = copy_seeds(tmp_path)  # small, so that a few hundred loads take seconds
    old = store.load_registry(root)
    extra = article(7, 4_000)
    source = Source(
        id="src-new", path="sources/src-new.txt", sha256=hashlib.sha256(extra.encode()).hexdigest()
    )
    version = PlanVersion(
        id="w0",
        title="Cites the new source",
        completeness=Completeness.PARTIAL,
        points=(
            Point(
                key="p0", summary="New.", evidence=(anchors.make_anchor("src-new", extra, 10, 60),)
            ),
        ),
    )
    # One commit adds a source and a version citing it, the next removes both: a reader that
    # saw versions/ after a commit and sources/ before it would report "unknown source".
    new = Registry(
        sources=(*old.sources, source),
        versions=(*old.versions, version),
        texts={**old.texts, "src-new": extra},
    )
    extra_files = {"sources/src-new.txt": extra.encode()}
    states = {len(old.versions), len(new.versions)}
    stop = threading.Event()
    failures: list[str] = []
    seen: list[int] = []

    def write() -> None:
        try:
            while not stop.is_set():
                for registry, files in ((new, extra_files), (old, {})):
                    with store.locked(root):
                        store.save_registry(root, registry, extra_files=files)
        except Exception as exc:  # a failed writer fails the test, below
            failures.append(f"writer: {exc}")
            stop.set()

    def read(count: int) -> None:
        for _ in range(count):
            if stop.is_set():
                return
            try:
                seen.append(len(store.load_registry(root).versions))
            except Exception as exc:
                failures.append(f"reader: {exc}")

    writer = threading.Thread(target=write)
    readers = [threading.Thread(target=read, args=(100,)) for _ in range(3)]
    writer.start()
    for r in readers:
        r.start()
    for r in readers:
        r.join()
    stop.set()
    writer.join()
    assert failures == []
    assert len(seen) == 300 and set(seen) <= states


def test_reader_refuses_a_pending_journal_but_waits_for_a_live_writer(
    template: Path, tmp_path: Path
) -> None:
    """A journal found after the writers' lock is free is an interrupted write: a reader
    refuses it (it never replays), naming the writing command that finishes it."""
    root = tmp_path / "registry"
    shutil.copytree(template, root)
    (root / store.TXN_DIR).mkdir()
    with pytest.raises(store.RegistryError, match=r"an interrupted write is pending.*verify --fix"):
        store.load_registry(root)
    assert (root / store.TXN_DIR).is_dir()
    store.load_registry(root, recover=True)
    assert not (root / store.TXN_DIR).exists()


# --------------------------------------------------------------------------- import staging

_SLOW_IMPORT = """
import sys, time
from plandiff import store
save = store.save_registry

def save_then_hang(*args, **kwargs):
    save(*args, **kwargs)
    print("staged", flush=True)
    time.sleep(120)

store.save_registry = save_then_hang
from plandiff.cli import main
sys.argv = ["plandiff", "import", sys.argv[1], "--into", sys.argv[2]]
main()
"""


def test_import_killed_mid_way_leaves_staging_that_the_next_import_removes(
    tmp_path: Path,
) -> None:
    """Issue 18, item 8: kill -9 during 'import --into NEW' left a hidden staging copy beside
    NEW that nothing removed. The next import into NEW removes it (and leaves alone one that a
    live import holds)."""
    import subprocess

    from click.testing import CliRunner

    from plandiff.cli import cli as plandiff_cli

    archive = _archive(tmp_path)
    work = tmp_path / "work"
    work.mkdir()
    into = work / "new"
    child = subprocess.Popen(
        [sys.executable, "-c", _SLOW_IMPORT, str(archive), str(into)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert child.stdout is not None
        assert child.stdout.readline() == b"staged\n"
        live = sorted(work.glob(".new.plandiff-import-*"))
        assert len(live) == 1 and (live[0] / store.MARKER).is_file()
        # While the importer lives, its staging is not a leftover.
        from plandiff import restore

        assert restore.leftover_stagings(into) == []
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert not into.exists()
    assert [p.name for p in work.iterdir()] == [live[0].name]  # what kill -9 leaves
    result = CliRunner().invoke(plandiff_cli, ["import", str(archive), "--into", str(into)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in work.iterdir()) == ["new"]
    store.load_registry(into)
