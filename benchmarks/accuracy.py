"""Accuracy and speed of :func:`plandiff.align.align` on synthetic plan pairs with known truth.

Usage::

    python benchmarks/accuracy.py [--n 300 3000] [--seeds 5] [--check]

For each N it generates ``--seeds`` pairs (:mod:`synth`), aligns the numbered point texts and
prints precision, recall and F1 per kind, the F1 of whole correspondences (a correspondence is
right only when its old set and its new set are both exactly right), merge and split recall,
moved recall, how many merely renumbered points were flagged as moved (must be 0) and the time
``align`` took. ``--check`` exits 1 when a target is missed, so CI can run it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))
if str(_ROOT / "benchmarks") not in sys.path:
    sys.path.insert(0, str(_ROOT / "benchmarks"))

from synth import PlanPair, generate, numbered  # noqa: E402

from plandiff.align import DEFAULT_SETTINGS, AlignSettings, Correspondence, align  # noqa: E402
from plandiff.result import ChangeKind  # noqa: E402

KINDS = (
    ChangeKind.UNCHANGED,
    ChangeKind.REWORDED,
    ChangeKind.MERGED,
    ChangeKind.SPLIT,
    ChangeKind.ADDED,
    ChangeKind.REMOVED,
)

#: The targets the alignment must meet, at every size.
TARGETS = {
    "correspondence_f1": 0.98,
    "merge_recall": 0.9,
    "split_recall": 0.9,
    "moved_recall": 0.95,
}


class Tally:
    """Counts accumulated over several pairs, turned into rates at the end."""

    def __init__(self) -> None:
        self.c: Counter[str] = Counter()
        self.seconds = 0.0
        self.cpu_seconds = 0.0
        self.pairs = 0

    def add(
        self, pair: PlanPair, predicted: Sequence[Correspondence], seconds: float, cpu: float
    ) -> None:
        self.seconds += seconds
        self.cpu_seconds += cpu
        self.pairs += 1
        truth = {(t.old, t.new): t for t in pair.truth}
        pred = {(p.old, p.new): p for p in predicted}
        c = self.c
        c["truth"] += len(truth)
        c["pred"] += len(pred)
        c["tp"] += sum(1 for key in pred if key in truth)
        for key, t in truth.items():
            c[f"truth:{t.kind}"] += 1
            p = pred.get(key)
            if p is not None and p.kind == t.kind:
                c[f"tp:{t.kind}"] += 1
            if t.moved:
                c["truth:moved"] += 1
                c["tp:moved"] += p is not None and p.moved
        for p in pred.values():
            c[f"pred:{p.kind}"] += 1
            c["pred:moved"] += p.moved
        # Points whose truth is "renumbered only" (matched, order kept) but flagged as moved.
        kept = {i for t in pair.truth if t.old and t.new and not t.moved for i in t.old}
        c["renumbered_flagged"] += sum(1 for p in predicted if p.moved for i in p.old if i in kept)

    def rate(self, num: str, den: str) -> float:
        return self.c[num] / self.c[den] if self.c[den] else 1.0

    def f1(self, tp: str, truth: str, pred: str) -> tuple[float, float, float]:
        p, r = self.rate(tp, pred), self.rate(tp, truth)
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)

    def figures(self) -> dict[str, float]:
        return {
            "correspondence_f1": self.f1("tp", "truth", "pred")[2],
            "merge_recall": self.rate(f"tp:{ChangeKind.MERGED}", f"truth:{ChangeKind.MERGED}"),
            "split_recall": self.rate(f"tp:{ChangeKind.SPLIT}", f"truth:{ChangeKind.SPLIT}"),
            "moved_recall": self.rate("tp:moved", "truth:moved"),
            "moved_precision": self.rate("tp:moved", "pred:moved"),
            "renumbered_flagged": float(self.c["renumbered_flagged"]),
            "seconds_per_pair": self.seconds / max(self.pairs, 1),
            "cpu_seconds_per_pair": self.cpu_seconds / max(self.pairs, 1),
        }


def run(n: int, seeds: int, settings: AlignSettings = DEFAULT_SETTINGS) -> Tally:
    """Generate ``seeds`` pairs of ``n`` points, align each, and tally the results."""
    tally = Tally()
    for seed in range(seeds):
        pair = generate(n, seed)
        old, new = numbered(pair.old), numbered(pair.new)
        start, cpu = time.perf_counter(), time.process_time()
        predicted = align(old, new, settings=settings)
        tally.add(pair, predicted, time.perf_counter() - start, time.process_time() - cpu)
    return tally


def peak_rss_mb() -> float | None:
    """The process's resident-memory high-water mark in MB, where the platform tells it."""
    try:
        import resource
    except ImportError:  # not on Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024 if sys.platform == "darwin" else 1024)


def report(n: int, tally: Tally) -> str:
    lines = [f"N={n}  pairs={tally.pairs}"]
    lines.append(f"  {'kind':<10} {'truth':>6} {'pred':>6} {'P':>7} {'R':>7} {'F1':>7}")
    for kind in KINDS:
        p, r, f = tally.f1(f"tp:{kind}", f"truth:{kind}", f"pred:{kind}")
        lines.append(
            f"  {kind.value:<10} {tally.c[f'truth:{kind}']:>6} {tally.c[f'pred:{kind}']:>6} "
            f"{p:>7.4f} {r:>7.4f} {f:>7.4f}"
        )
    fig = tally.figures()
    p, r, f = tally.f1("tp", "truth", "pred")
    lines += [
        f"  correspondence P/R/F1  {p:.4f} / {r:.4f} / {f:.4f}",
        f"  merge recall           {fig['merge_recall']:.4f}",
        f"  split recall           {fig['split_recall']:.4f}",
        f"  moved recall           {fig['moved_recall']:.4f}  (precision "
        f"{fig['moved_precision']:.4f}, {tally.c['truth:moved']} moved)",
        f"  renumbered but flagged {int(fig['renumbered_flagged'])}",
        f"  align time             {fig['seconds_per_pair'] * 1000:.1f} ms per pair "
        f"({fig['cpu_seconds_per_pair'] * 1000:.1f} ms CPU; wall time suffers on a busy machine)",
    ]
    peak = peak_rss_mb()
    if peak is not None:
        lines.append(f"  peak RSS so far        {peak:.0f} MB (whole process, generator included)")
    return "\n".join(lines)


def missed(tally: Tally) -> list[str]:
    fig = tally.figures()
    out = [f"{k} {fig[k]:.4f} < {v}" for k, v in TARGETS.items() if fig[k] < v]
    if fig["renumbered_flagged"]:
        out.append(f"renumbered_flagged {int(fig['renumbered_flagged'])} > 0")
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, nargs="+", default=[300, 3000], help="plan sizes")
    parser.add_argument("--seeds", type=int, default=5, help="pairs per size (seeds 0..k-1)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args(argv)
    failures: list[str] = []
    for n in args.n:
        tally = run(n, args.seeds)
        print(report(n, tally), flush=True)
        failures += [f"N={n}: {m}" for m in missed(tally)]
    if failures:
        print("targets missed:\n  " + "\n  ".join(failures))
    else:
        print("all targets met")
    return 1 if failures and args.check else 0


if __name__ == "__main__":
    sys.exit(main())
