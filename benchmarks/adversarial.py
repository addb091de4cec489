"""Hostile inputs under 1 MB, each run through the real CLI in a fresh process, against a budget.

Usage::

    python benchmarks/adversarial.py                 # every input at full size
    python benchmarks/adversarial.py --check         # exit 1 when an input is over budget
    python benchmarks/adversarial.py --only lineage-archive --only html-attributes
    python benchmarks/adversarial.py --scale 0.01    # tiny inputs (what the unit test runs)

Each input is a small file (or registry) built to hit a path that is super-linear in a naive
implementation: thousands of near-identical points, a lineage of thousands of versions, an
HTML tag with tens of thousands of attributes, long runs of point markers, one very long line,
a quote repeated all over its source, reports of very many tiny points. Each is generated,
written to a scratch directory, set up (``plandiff init`` and the like, untimed) and then run
once as ``python -m plandiff …`` in a fresh process. Per input the table gives its size, the
wall time, the CPU time and the peak resident memory of that process (``ru_maxrss`` from
``os.wait4``, taken in a small launcher process so that this script's memory is not charged to
the child), its exit status, and the budget.

The budget: at most :data:`SECONDS_PER_MB` of CPU time per MB of input, plus
:data:`FLOOR_SECONDS` for the interpreter's start, never more than :data:`LIMIT_SECONDS`; at
most :data:`LIMIT_MB` of memory. CPU time (of the process and anything it waited for) is
checked rather than wall time, which moves with a shared machine's load; wall time may be
:data:`WALL_FACTOR` times the budget, to catch a process that waits instead of working. A
refusal (exit 2 with a one-line error)
counts as handled, as long as it is within budget and says so on one line; a traceback or any
other exit status is a failure. A child still running at ``--timeout`` seconds is killed (its
process group) and reported over budget.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

#: Hard limits for an input under 1 MB (issue 18).
LIMIT_SECONDS = 10.0
LIMIT_MB = 1024.0
#: Wall time allowed per MB of input, above the start-up floor.
SECONDS_PER_MB = 10.0
FLOOR_SECONDS = 2.0
#: Wall time may exceed the budget by this factor (a shared machine's load), CPU time not.
WALL_FACTOR = 3.0


@dataclass(frozen=True)
class Case:
    """One hostile input: files to write, untimed set-up commands and the timed command."""

    name: str
    what: str
    files: dict[str, bytes]
    command: list[str]
    setup: list[list[str]] = field(default_factory=list)
    #: Exit statuses that mean "handled": 0 (and 1 for a diff) or 2 for a one-line refusal.
    ok_status: tuple[int, ...] = (0, 1, 2)
    #: Whether a refusal must be one line (``verify`` lists one line per problem found).
    one_line: bool = True

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.files.values())


# --------------------------------------------------------------------------- generators


def _count(full: int, scale: float) -> int:
    return max(2, int(full * scale))


def near_identical_points(scale: float) -> Case:
    """Two 400 KB plans whose points all read alike: one huge gap for the alignment."""
    n = _count(16000, scale)
    old = "".join(f"{k}. the same text here\n" for k in range(1, n + 1))
    new = "".join(f"{k}. the same text there\n" for k in range(1, n + 1))
    return Case(
        "near-identical-points",
        f"diff of {n} points 'the same text here' / '… there'",
        {"old.txt": old.encode(), "new.txt": new.encode()},
        ["diff", "old.txt", "new.txt", "--format", "json"],
    )


def _archive(versions: str, sources: str = "    <sources/>\n") -> bytes:
    """An archive document around a ``<versions>`` body, with its digest computed."""
    from lxml import etree

    doc = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<archive xmlns="urn:plandiff:archive:1">\n'
        '  <generator name="plandiff" version="0.1.0"/>\n'
        "  <created>2026-01-01T00:00:00Z</created>\n"
        '  <digest algorithm="sha256" '
        'canonicalization="http://www.w3.org/2001/10/xml-exc-c14n#">DIGEST</digest>\n'
        f"  <registry>\n{sources}    <versions>\n{versions}    </versions>\n  </registry>\n"
        "</archive>\n"
    )
    registry = etree.fromstring(doc.encode())[3]
    canonical = etree.tostring(registry, method="c14n", exclusive=True, with_comments=False)
    return doc.replace("DIGEST", hashlib.sha256(canonical).hexdigest()).encode()


def lineage_archive(scale: float) -> Case:
    """An archive of versions each derived from the previous one (a long lineage)."""
    n = _count(2500, scale)
    body = "".join(
        f'      <version id="v{k}"'
        + (f' derived-from="v{k - 1}"' if k else "")
        + f' completeness="partial">\n        <title>Version {k}</title>\n      </version>\n'
        for k in range(n)
    )
    return Case(
        "lineage-archive",
        f"import of an archive of {n} versions, each derived from the one before",
        {"chain.xml": _archive(body)},
        ["import", "chain.xml", "--into", "imported"],
    )


def _version_files(n: int, cycle: bool) -> dict[str, bytes]:
    files = {"reg/plandiff.toml": b"format = 1\n"}
    for k in range(n):
        parent = f"v{k - 1}" if k else (f"v{n - 1}" if cycle else None)
        line = f'derived_from = "{parent}"\n' if parent else ""
        toml = f'id = "v{k}"\ntitle = "Version {k}"\n{line}completeness = "partial"\n'
        files[f"reg/versions/v{k}.toml"] = toml.encode()
    return files


def lineage_registry(scale: float) -> Case:
    """A registry of version files, each derived from the previous one: ``verify`` walks it."""
    n = _count(2500, scale)
    return Case(
        "lineage-registry",
        f"verify of a registry of {n} version files in one lineage",
        _version_files(n, cycle=False),
        ["--registry", "reg", "verify"],
    )


def lineage_log(scale: float) -> Case:
    """``log`` of the same lineage: each version's depth in it orders the timeline."""
    n = _count(2500, scale)
    return Case(
        "lineage-log",
        f"log of a registry of {n} version files in one lineage",
        _version_files(n, cycle=False),
        ["--registry", "reg", "log"],
    )


def lineage_cycle(scale: float) -> Case:
    """The same lineage closed into one cycle: every member reports it."""
    n = _count(2500, scale)
    return Case(
        "lineage-cycle",
        f"verify of {n} version files forming one derived_from cycle",
        _version_files(n, cycle=True),
        ["--registry", "reg", "verify"],
        one_line=False,
    )


def _html_case(name: str, what: str, page: str) -> Case:
    return Case(
        name,
        what,
        {"page.html": page.encode()},
        ["--registry", "reg", "source", "add", "page.html", "--id", "page"],
        setup=[["init", "reg"]],
    )


def html_attributes(scale: float) -> Case:
    """A paragraph tag with tens of thousands of attributes."""
    n = _count(40000, scale)
    attrs = " ".join(f'data-a{k}="v{k}"' for k in range(n))
    page = (
        "<!doctype html><html><head><title>Page</title></head><body><article>"
        f"<p {attrs}>The parties agree to a ceasefire along the line of contact.</p>"
        "</article></body></html>"
    )
    return _html_case("html-attributes", f"source add of a <p> with {n} attributes", page)


def html_unclosed(scale: float) -> Case:
    """Thousands of ``<p>`` never closed: a naive tree would nest them all."""
    n = _count(150000, scale)
    body = "<p>a " * n
    page = f"<!doctype html><html><head><title>Page</title></head><body><article>{body}"
    return _html_case("html-unclosed-p", f"source add of {n} unclosed <p>", page)


def html_nested(scale: float) -> Case:
    """Divs nested tens of thousands deep (lxml's own limit is 255 unless told otherwise)."""
    n = _count(25000, scale)
    page = (
        "<!doctype html><html><head><title>Page</title></head><body><article>"
        + "<div>" * n
        + "The parties agree to a ceasefire."
        + "</div>" * n
        + "</article></body></html>"
    )
    return _html_case("html-nested-div", f"source add of {n} nested <div>", page)


def _diff_texts(name: str, what: str, old: str, new: str, fmt: str = "json") -> Case:
    return Case(
        name,
        what,
        {"old.txt": old.encode(), "new.txt": new.encode()},
        ["diff", "old.txt", "new.txt", "--format", fmt],
    )


def dotted_markers(scale: float) -> Case:
    """One long run of ``1.1.1.1…``: a marker that never ends."""
    n = _count(200000, scale)
    run = ".".join(["1"] * n)
    return _diff_texts(
        "dotted-markers",
        f"diff of a line of {n} dotted numbers",
        f"1. First point.\n{run} The end.\n",
        f"1. First point, changed.\n{run}. The end.\n",
    )


def letter_markers(scale: float) -> Case:
    """``a) b) c) …`` a hundred thousand times on one line and on separate lines."""
    n = _count(80000, scale)
    letters = "abcdefghijklmnopqrstuvwxyz"
    line = " ".join(f"{letters[k % 26]})" for k in range(n))
    lines = "\n".join(f"{letters[k % 26]}) x" for k in range(n // 2))
    return _diff_texts(
        "letter-markers",
        f"diff of {n} 'a)' markers on one line, {n // 2} on their own lines",
        f"1. {line}\n{lines}\n",
        f"1. {line} end\n{lines} y\n",
    )


def long_line(scale: float) -> Case:
    """One point of 400 KB, every tenth word changed: the word diff sees one huge pair."""
    n = _count(60000, scale)
    old_words = [f"w{k % 997}" for k in range(n)]
    new_words = [w if k % 10 else f"x{k}" for k, w in enumerate(old_words)]
    return _diff_texts(
        "long-line",
        f"diff of one point of {n} words, every tenth changed",
        "1. " + " ".join(old_words) + "\n",
        "1. " + " ".join(new_words) + "\n",
    )


def repeated_quote(scale: float) -> Case:
    """A plan text whose points are all the same sentence: each must be anchored in place."""
    n = _count(12000, scale)
    text = "".join(f"{k}. The parties agree to the same thing.\n" for k in range(1, n + 1))
    return Case(
        "repeated-quote",
        f"version add --from-text of {n} identical points",
        {"plan.txt": text.encode()},
        [*_ADD_V1, "--from-text", "plan.txt"],
        setup=[["init", "reg"]],
    )


_ADD_V1 = ["--registry", "reg", "version", "add", "v1", "--title", "V1"]


def recapture_fuzzy(scale: float) -> Case:
    """Every quote of a version re-anchored after its source changed a word in each line."""
    n = _count(4000, scale)
    old = "".join(
        f"{k}. The parties agree to the same thing number {k}.\n" for k in range(1, n + 1)
    )
    new = old.replace("the same", "the very same")
    return Case(
        "recapture-fuzzy",
        f"source add --recapture of a text whose {n} quoted lines all changed a little",
        {"plan.txt": old.encode(), "plan2.txt": new.encode()},
        [
            "--registry",
            "reg",
            "source",
            "add",
            "plan2.txt",
            "--id",
            "plan",
            "--recapture",
            "--force",
        ],
        setup=[["init", "reg"], [*_ADD_V1, "--from-text", "plan.txt", "--source-id", "plan"]],
    )


_WORDS = [
    *("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"),
    *("iota", "kappa", "lambda", "mu", "nu", "xi", "pi", "rho"),
]
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def _clauses(clauses: Sequence[Sequence[str]]) -> str:
    lines = []
    for k, items in enumerate(clauses, 1):
        lines.append(f"{k}. Clause {k} provides:")
        lines += [f"({_LETTERS[i % 26]}) {text};" for i, text in enumerate(items)]
    return "\n".join(lines) + "\n"


def rotated_items(scale: float) -> Case:
    """Half the sub-items of every clause handed on to the next clause, in near-identical
    words: every leftover item is offered to every other across the document."""
    n = _count(480, scale)
    clauses = [
        [
            " ".join(_WORDS[(k * 7 + i * 3 + w * w) % len(_WORDS)] for w in range(8))
            for i in range(20)
        ]
        for k in range(n)
    ]
    moved = [clauses[(k + 1) % n][:10] + clauses[k][10:] for k in range(n)]
    return _diff_texts(
        "nested-rotated-items",
        f"diff of {n} clauses of 20 sub-items, half of each moved to the next clause",
        _clauses(clauses),
        _clauses(moved),
    )


def deep_items(scale: float) -> Case:
    """Sub-items indented one column deeper each line, for hundreds of columns: a nesting
    that must stop at a bounded depth, not recurse as deep as the text goes."""
    n = _count(5400, scale)
    lines = ["1. Deep:", *(" " * (k % 150) + f"({_LETTERS[k % 26]}) item {k}" for k in range(n))]
    old = "\n".join(lines) + "\n"
    return _diff_texts(
        "nested-deep-items",
        f"diff of one point of {n} sub-items indented up to 150 columns deep",
        old,
        old.replace(f"item {n // 2}\n", "item changed\n"),
    )


def _tiny_points(n: int, suffix: str) -> str:
    return "".join(f"{k}. p{k}{suffix}\n" for k in range(1, n + 1))


def tiny_points(fmt: str) -> Callable[[float], Case]:
    def make(scale: float) -> Case:
        n = _count(30000, scale)
        return _diff_texts(
            f"tiny-points-{fmt}",
            f"{fmt} report of {n} tiny points, every one reworded",
            _tiny_points(n, " a"),
            _tiny_points(n, " b"),
            fmt,
        )

    make.__doc__ = f"A {fmt} report of very many tiny changes."
    return make


CASES: dict[str, Callable[[float], Case]] = {
    "near-identical-points": near_identical_points,
    "lineage-archive": lineage_archive,
    "lineage-registry": lineage_registry,
    "lineage-log": lineage_log,
    "lineage-cycle": lineage_cycle,
    "html-attributes": html_attributes,
    "html-unclosed-p": html_unclosed,
    "html-nested-div": html_nested,
    "dotted-markers": dotted_markers,
    "letter-markers": letter_markers,
    "long-line": long_line,
    "repeated-quote": repeated_quote,
    "recapture-fuzzy": recapture_fuzzy,
    "nested-rotated-items": rotated_items,
    "nested-deep-items": deep_items,
    "tiny-points-json": tiny_points("json"),
    "tiny-points-markdown": tiny_points("markdown"),
    "tiny-points-text": tiny_points("text"),
}


# --------------------------------------------------------------------------- running

#: Runs one command in its own process group, kills the group at the timeout, and reports wall
#: time, CPU time, peak memory and exit status as JSON (-9 when killed).
_LAUNCHER = """
import json, os, signal, sys, time
timeout = float(sys.argv[1])
sink = os.open(sys.argv[2], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
start = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.setpgid(0, 0)
    os.dup2(sink, 1)
    os.execvp(sys.argv[3], sys.argv[3:])
killed = False
while True:
    done, status, usage = os.wait4(pid, os.WNOHANG)
    if done:
        break
    if not killed and time.perf_counter() - start > timeout:
        os.killpg(pid, signal.SIGKILL)
        killed = True
    time.sleep(0.01)
wall = time.perf_counter() - start
print(json.dumps([wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss,
                  -9 if killed else os.waitstatus_to_exitcode(status)]))
"""


@dataclass(frozen=True)
class Result:
    name: str
    size: int
    wall: float
    cpu: float
    peak_mb: float
    status: int
    message: str

    def budget(self) -> float:
        return min(LIMIT_SECONDS, FLOOR_SECONDS + SECONDS_PER_MB * self.size / 1e6)

    def problems(self, case: Case) -> list[str]:
        found = []
        if self.status == -9:
            found.append("killed at the timeout")
        elif self.status not in case.ok_status:
            found.append(f"exit status {self.status}")
        if self.status == 2 and case.one_line and len(self.message.strip().splitlines()) != 1:
            found.append("refusal is not one line")
        if "Traceback" in self.message or "internal error" in self.message:
            found.append("crashed")
        if self.cpu > self.budget():
            found.append(f"over {self.budget():.1f} s of CPU")
        if self.wall > WALL_FACTOR * self.budget():
            found.append(f"over {WALL_FACTOR * self.budget():.1f} s of wall time")
        if self.peak_mb > LIMIT_MB:
            found.append(f"over {LIMIT_MB:.0f} MB")
        return found


def child_env(repo: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(repo), env.get("PYTHONPATH")]))
    env.pop("PLANDIFF_REGISTRY", None)
    env["NO_COLOR"] = "1"
    env["COLUMNS"] = "100"
    return env


def run_case(case: Case, here: Path, args: argparse.Namespace) -> Result:
    """Write the case's files, run its set-up, then time its command once."""
    here.mkdir(parents=True, exist_ok=True)
    for rel, data in case.files.items():
        path = here / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    env = child_env(args.repo)
    plandiff = [args.python, "-m", "plandiff"]
    for argv in case.setup:
        subprocess.run([*plandiff, *argv], cwd=here, env=env, check=True, capture_output=True)
    launch = [args.python, "-c", _LAUNCHER, str(args.timeout), str(here / "stdout")]
    with tempfile.TemporaryFile(dir=here) as err:
        report = subprocess.run(
            [*launch, *plandiff, *case.command],
            stdout=subprocess.PIPE,
            stderr=err,
            cwd=here,
            env=env,
            check=True,
        )
        err.seek(0)
        message = err.read(20000).decode(errors="replace")
    wall, cpu, maxrss, status = json.loads(report.stdout)
    scale = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: B or KiB
    return Result(case.name, case.size, wall, cpu, maxrss / scale, status, message)


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=sorted(CASES), help="Run this input.")
    parser.add_argument(
        "--scale", type=float, default=1.0, help="Input size factor (default 1: full size)."
    )
    parser.add_argument(
        "--timeout", type=float, default=60.0, help="Kill a run after this many seconds."
    )
    parser.add_argument("--check", action="store_true", help="Exit 1 when over budget.")
    parser.add_argument("--json", type=Path, help="Also write the results as JSON here.")
    parser.add_argument("--workdir", type=Path, help="Keep the inputs and outputs here.")
    parser.add_argument(
        "--repo", type=Path, default=_ROOT, help="Checkout whose plandiff to run (default: this)."
    )
    parser.add_argument("--python", default=sys.executable, help="Interpreter for the CLI.")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    names = args.only or list(CASES)
    rows: list[dict[str, object]] = []
    failed = False
    print(
        f"{'input':<22} {'size KB':>8} {'wall s':>7} {'cpu s':>7} {'peak MB':>8} "
        f"{'exit':>4} {'budget s':>8}  verdict"
    )
    with tempfile.TemporaryDirectory(prefix="plandiff-adv-") as scratch:
        base = args.workdir or Path(scratch)
        for name in names:
            case = CASES[name](args.scale)
            result = run_case(case, base / name, args)
            problems = result.problems(case)
            failed |= bool(problems)
            first = result.message.strip().splitlines()[-1:] if result.status == 2 else []
            verdict = "; ".join(problems) or ("refused: " + first[0] if first else "ok")
            print(
                f"{name:<22} {case.size / 1000:>8.0f} {result.wall:>7.2f} {result.cpu:>7.2f} "
                f"{result.peak_mb:>8.0f} {result.status:>4} {result.budget():>8.1f}  "
                f"{verdict[:100]}",
                flush=True,
            )
            rows.append(
                {
                    "input": name,
                    "what": case.what,
                    "bytes": case.size,
                    "wall_s": round(result.wall, 3),
                    "cpu_s": round(result.cpu, 3),
                    "peak_mb": round(result.peak_mb, 1),
                    "status": result.status,
                    "budget_s": result.budget(),
                    "problems": problems,
                }
            )
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    return 1 if failed and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
