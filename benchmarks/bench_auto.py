"""Does ``--executor auto`` pick well? serial vs process vs auto at several run lengths.

For each case (a community size and a number of weeks; ``--runs`` runs of
the 5 x 4 incentive x training grid) the whole sweep runs through
``consultsim.sweeps.run_sweep`` end to end (pool start, runs, Parquet parts)
on each executor, in interleaved rounds (serial, process, auto, then the
reverse order, ...) so all three see the same machine load. Reported: the
median wall time of each, what auto chose, and auto's time relative to the
better of serial and process (the target: at most 1.10).

Usage::

    .venv/bin/python benchmarks/bench_auto.py                # about 3 minutes on two cores
    .venv/bin/python benchmarks/bench_auto.py --rounds 1     # a quick look

Writes ``--json`` (default ``results/bench_auto.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_sweep import _experiment, machine_capacity  # noqa: E402

from consultsim.running.provenance import versions  # noqa: E402
from consultsim.sweeps import run_sweep  # noqa: E402

CASES = (  # (label, households, weeks)
    ("short: 150 households x 12 weeks", 150, 12),
    ("medium: 500 households x 52 weeks", 500, 52),
    ("long: 1,000 households x 104 weeks", 1000, 104),
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=200)
    ap.add_argument("--rounds", type=int, default=2, help="interleaved rounds per case (default 2)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default="results/bench_auto.json")
    args = ap.parse_args(argv)
    report = {"versions": versions(), "runs": args.runs, "workers": args.workers, "cases": [],
              "load_before": os.getloadavg()[0], "capacity_before": machine_capacity(args.workers)}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k, (label, households, weeks) in enumerate(CASES):
            exp = _experiment(tmp, f"case{k}", args.runs, households, weeks, seed=100 + k)
            times: dict[str, list[float]] = {"serial": [], "process": [], "auto": []}
            chosen = []
            for r in range(args.rounds):
                order = ("serial", "process", "auto") if r % 2 == 0 else ("auto", "process", "serial")
                for ex in order:
                    t0 = time.perf_counter()
                    s = run_sweep(exp, tmp / f"{k}-{r}-{ex}", executor=ex, workers=args.workers, progress=False)
                    times[ex].append(time.perf_counter() - t0)
                    if ex == "auto":
                        chosen.append(s.executor)
            med = {ex: statistics.median(v) for ex, v in times.items()}
            best = min(med["serial"], med["process"])
            case = {"case": label, "households": households, "weeks": weeks, "times": times, "median": med,
                    "auto_chose": chosen, "auto_vs_best": med["auto"] / best,
                    "process_speedup": med["serial"] / med["process"], "load": os.getloadavg()[0]}
            report["cases"].append(case)
            print(f"{label}: serial {med['serial']:.1f} s, process {med['process']:.1f} s "
                  f"({case['process_speedup']:.2f}x), auto {med['auto']:.1f} s ({'/'.join(chosen)}; "
                  f"{case['auto_vs_best']:.2f} of the better), load {case['load']:.1f}", flush=True)
    report["capacity_after"] = machine_capacity(args.workers)
    print(f"machine capacity (CPUs delivered to {args.workers} busy processes): "
          f"{report['capacity_before']:.2f} before, {report['capacity_after']:.2f} after")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
