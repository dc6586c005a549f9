"""Does a district of about a million households run within 90 s on two cores, in at most 4 GB?

Three measurements, through the real code paths:

1. Setup of one community of 1,000,000 households (``ConsultationModel.__init__``; target <= 3 s):
   the best of ``--setups`` builds (the machine is shared, so the best is the least disturbed).
2. ``consultsim district run districts/district.toml --steps 104`` on the process executor with
   ``--workers`` (default 2) workers, as the command runs it (``run_district``: seeds, pool, Parquet
   parts), timed from the call to the last part on disk. Besides the wall time it records the CPU
   seconds of this process and its workers (``getrusage``), so that on a busy machine the time on two
   idle cores can be estimated honestly: CPU seconds / workers + the pool's start-up (measured
   separately by starting and stopping an empty pool). Peak memory: the resident memory of this
   process and its workers together, sampled every 0.2 s (psutil).
3. The per-community cost (CPU seconds per community, and per 1,000 households).

Usage::

    .venv/bin/python benchmarks/bench_district.py                 # the full measurement (1-3 minutes)
    .venv/bin/python benchmarks/bench_district.py --steps 12      # a quick one

Prints a table and writes ``--json`` (default ``results/bench_district.json``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from consultsim.core.model import ConsultationModel  # noqa: E402
from consultsim.running.district_runs import run_district  # noqa: E402
from consultsim.running.districts import resolve_district  # noqa: E402
from consultsim.running.executors import make_executor  # noqa: E402
from consultsim.running.provenance import versions  # noqa: E402


def _cpu() -> float:
    s, c = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return s.ru_utime + s.ru_stime + c.ru_utime + c.ru_stime


def setup_seconds(households: int, repeats: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each build (CPU time is what the code costs when others share the cores)."""
    wall, cpu = [], []
    for i in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        m = ConsultationModel(n_residents=households, n_buildings=households // 500, rng=i)
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        del m
    return wall, cpu


class PeakRSS:
    """Samples the summed resident memory of this process and its descendants every 0.2 s (psutil)."""

    def __enter__(self):
        import threading

        import psutil

        self.peak, self._stop = 0.0, threading.Event()
        me = psutil.Process()

        def watch():
            while not self._stop.is_set():
                total = 0
                for p in [me, *me.children(recursive=True)]:
                    try:
                        total += p.memory_info().rss
                    except psutil.Error:
                        pass
                self.peak = max(self.peak, total / 2**20)
                self._stop.wait(0.2)

        self._t = threading.Thread(target=watch, daemon=True)
        self._t.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()


def pool_startup(workers: int) -> float:
    """Seconds to start ``workers`` spawned workers and run a trivial task on each, then stop them."""
    t = time.perf_counter()
    with make_executor("process", workers) as ex:
        list(ex.map(abs, range(workers)))
    return time.perf_counter() - t


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--district", default="district")
    ap.add_argument("--steps", type=int, default=104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--setups", type=int, default=3)
    ap.add_argument("--json", default=str(ROOT / "results" / "bench_district.json"))
    args = ap.parse_args(argv)

    # the district first, while this process is small (a million-household model would inflate it)
    d = resolve_district(args.district)
    startup = pool_startup(args.workers)
    with tempfile.TemporaryDirectory() as tmp, PeakRSS() as mem:
        cpu0, t0 = _cpu(), time.perf_counter()
        res = run_district(d, Path(tmp) / "out", steps=args.steps, executor="process", workers=args.workers,
                           progress=False)
        wall, cpu = time.perf_counter() - t0, _cpu() - cpu0
    setups, setup_cpu = setup_seconds(1_000_000, args.setups)
    n = len(d.communities)
    idle_estimate = cpu / args.workers + startup
    result = {
        "district": d.name, "communities": n, "households": d.households, "steps": args.steps,
        "workers": args.workers, "setup_1m_seconds": setups, "setup_1m_best": min(setups),
        "setup_1m_cpu_seconds": setup_cpu,
        "wall_seconds": wall, "cpu_seconds": cpu, "pool_startup_seconds": startup,
        "two_idle_cores_estimate_seconds": idle_estimate,
        "cpu_seconds_per_community": cpu / n, "cpu_seconds_per_1000_households": cpu / d.households * 1000,
        "peak_memory_mb": mem.peak, "load_average": os.getloadavg(), "runs": res.runs, "versions": versions(),
    }
    print(f"setup of 1,000,000 households: best {min(setups):.2f} s wall of {', '.join(f'{s:.2f}' for s in setups)}; "
          f"CPU {min(setup_cpu):.2f} s (target <= 3 s; CPU time is the cost on an idle core)")
    print(f"{d.name}: {n} communities, {d.households:,} households, {args.steps} weeks, {args.workers} workers")
    print(f"  wall {wall:.1f} s at load average {os.getloadavg()[0]:.1f}; CPU {cpu:.1f} s "
          f"({cpu / n:.2f} s per community); pool start-up {startup:.1f} s")
    print(f"  on {args.workers} idle cores: about {idle_estimate:.1f} s (CPU / workers + start-up; target <= 90 s)")
    print(f"  peak memory {mem.peak:.0f} MB (this process and its workers together, sampled every 0.2 s; "
          "target <= 4,096 MB)")
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
