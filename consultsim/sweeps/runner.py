"""Run an experiment: every (sample, replicate) once, on any executor, streaming results to disk.

Each run is a pure function of its parameters and its seed
(:func:`execute_run`, executed on the workers). The driver
(:func:`run_sweep`) only generates run specifications lazily, hands them to
:func:`consultsim.running.executors.imap_unordered` (a bounded number in flight), and
commits finished runs to the sweep directory a chunk at a time (see
:mod:`consultsim.sweeps.storage`), so its memory does not grow with the
number of runs. A run that raises is recorded with ``status = "error"`` and
its message; the others go on, and ``retry_failed`` runs the failed ones
again later (their new rows take the place of the failed ones).

Every row names the code that computed it (``code_id``, see
:func:`consultsim.running.provenance.code_identity`) and carries its seed
also as text (``seed_text``): seeds are 63-bit integers, which a float
(CSV readers, R, a pandas row of mixed types) silently rounds.

``executor = "auto"`` runs a short pilot in this process and then picks
serial or a process pool from the measured time per run (or Dask when a
scheduler is given): see :func:`choose_executor`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import importlib
import math
import os
import time
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from consultsim.sweeps.experiments import DEFAULT_MODEL, Experiment, ExperimentError, load_experiment
from consultsim.sweeps.samplers import make_design, replicate_seeds, run_seed
from consultsim.sweeps.storage import SweepStore

__all__ = ["RunConfig", "execute_run", "run_sweep", "SweepSummary", "default_out", "parse_shard",
           "choose_executor"]


@dataclass(frozen=True)
class RunConfig:
    """Everything a worker needs besides the run's own parameters and seed (pickled once per task)."""

    model: str
    scenario: Any
    constants: dict
    steps: int
    collect_every: int | None
    metrics: tuple[str, ...]


@functools.lru_cache(maxsize=8)
def _model_fn(ref: str):
    mod, _, name = ref.partition(":")
    return getattr(importlib.import_module(mod), name)


def _error_text(e: BaseException) -> str:
    """``Type: message (file:line)`` of the innermost frame, on one line."""
    tb = traceback.extract_tb(e.__traceback__)
    where = f" ({Path(tb[-1].filename).name}:{tb[-1].lineno})" if tb else ""
    msg = " ".join(str(e).split())
    return f"{type(e).__name__}: {msg}{where}"[:2000]


def execute_run(spec: tuple, config: RunConfig) -> tuple[dict, dict | None]:
    """Run one simulation; return its runs-table row and its kept metrics (or None on error)."""
    from consultsim.running.provenance import code_identity

    run_id, sample_id, replicate, seed, overrides = spec
    row = {"run_id": run_id, "sample_id": sample_id, "replicate": replicate, "seed": seed,
           "seed_text": str(seed), **overrides, "status": "ok", "error": None}
    t0 = time.perf_counter()
    kept = None
    try:
        fn = _model_fn(config.model)
        every = config.collect_every
        out = fn(config.scenario, seed=seed, steps=config.steps, overrides={**config.constants, **overrides},
                 collect_every=every or config.steps)
        ts = getattr(out, "timeseries", out)
        missing = [m for m in ("step", *config.metrics) if m not in ts.columns]
        if missing:
            raise KeyError(f"the model's output has no column {missing[0]!r}")
        steps = ts["step"].to_numpy(dtype=np.int64)
        last = steps.max()
        keep = (steps == last) if every is None else ((steps % every == 0) | (steps == last))
        kept = {"step": steps[keep], "values": ts.loc[keep, list(config.metrics)].to_numpy(dtype=float)}
    except Exception as e:  # noqa: BLE001 - recorded in the results; the sweep goes on
        row["status"] = "error"
        row["error"] = _error_text(e)
    row["seconds"] = time.perf_counter() - t0
    row["code_id"] = code_identity(config.model)["id"]  # of the code on this worker
    return row, kept


@dataclass
class SweepSummary:
    out: Path
    n_runs: int          # runs in the experiment (or this shard)
    ran: int             # runs executed now
    ok: int              # successful runs on disk
    failed: int          # failed runs on disk
    seconds: float
    executor: str = ""   # the executor used (what "auto" chose)
    first_error: str | None = None
    resimulated: int = 0  # finished runs simulated again to record added metrics

    def line(self) -> str:
        how = f" ({self.executor})" if self.executor else ""
        again = (f"{self.resimulated} finished runs re-simulated (identical) to record added metrics; "
                 if self.resimulated else "")
        from consultsim.running.outputs import shown  # a folder name's escape codes reach no terminal
        return (f"{again}{self.ran} runs in {self.seconds:.1f} s{how}; {shown(self.out)} holds {self.ok} finished "
                f"and {self.failed} failed of {self.n_runs}")

    def failure_line(self) -> str | None:
        """One line about failed runs (None when there are none)."""
        if not self.failed:
            return None
        from consultsim.running.outputs import shown
        return (f"{self.failed} of {self.n_runs} runs failed (first: {shown(self.first_error)}); see the error "
                f"column of {shown(self.out / 'runs.parquet')}, fix the cause and rerun them with --retry-failed")


def default_out(exp: Experiment) -> Path:
    return Path("results") / "sweeps" / exp.name


def parse_shard(text: str | None) -> tuple[int, int] | None:
    """``"k/n"`` (1-based) -> (k, n): this process runs the run ids with ``run_id % n == k - 1``."""
    if not text:
        return None
    try:
        k, n = (int(x) for x in text.split("/"))
    except ValueError:
        raise ExperimentError(f"--shard {text!r}: expected K/N, e.g. 2/4") from None
    if not (n >= 1 and 1 <= k <= n):
        raise ExperimentError(f"--shard {text!r}: need 1 <= K <= N")
    return k, n


def _specs(exp: Experiment, table: pd.DataFrame, done: set[int], shard) -> Iterator[tuple]:
    names = exp.varied_names
    common = replicate_seeds(exp) if exp.seeds == "common" else None
    n = len(table)
    first_r = first_id = 0
    for size in exp.blocks:  # block b: replicates first_r .. first_r + size - 1, run ids from first_id
        for sample_id, row in enumerate(table[names].itertuples(index=False, name=None)):  # lazily
            params = {k: (v.item() if hasattr(v, "item") else v) for k, v in zip(names, row)}
            for j in range(size):
                run_id, r = first_id + sample_id * size + j, first_r + j
                if run_id in done or (shard and run_id % shard[1] != shard[0] - 1):
                    continue
                seed = common[r] if common else run_seed(exp.seed, run_id)
                yield (run_id, sample_id, r, seed, params)
        first_r += size
        first_id += n * size


class _Buffer:
    """Finished runs waiting to be committed as one part."""

    def __init__(self, store: SweepStore, exp: Experiment, flush_runs: int, flush_seconds: float):
        self.store, self.exp = store, exp
        self.flush_runs, self.flush_seconds = flush_runs, flush_seconds
        self.rows: list[dict] = []
        self.kept: list[tuple[int, dict]] = []
        self.since = time.monotonic()

    def add(self, row: dict, kept: dict | None) -> None:
        self.rows.append(row)
        if kept is not None:
            self.kept.append((row["run_id"], kept))
        if len(self.rows) >= self.flush_runs or time.monotonic() - self.since >= self.flush_seconds:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        cols = ["run_id", "sample_id", "replicate", "seed", "seed_text", *self.exp.varied_names, "status",
                "error", "seconds", "code_id"]
        runs = pd.DataFrame(self.rows, columns=cols)
        runs = runs.astype({"run_id": "int64", "sample_id": "int64", "replicate": "int64", "seed": "int64",
                            "seed_text": "string", "error": "string", "seconds": "float64",
                            "code_id": "string"})
        mcols = list(self.exp.recorded)
        if self.kept:
            metrics = pd.DataFrame(np.vstack([k["values"] for _, k in self.kept]), columns=mcols)
            metrics.insert(0, "step", np.concatenate([k["step"] for _, k in self.kept]))
            metrics.insert(0, "run_id", np.concatenate([np.full(len(k["step"]), rid, dtype=np.int64)
                                                        for rid, k in self.kept]))
        else:
            metrics = pd.DataFrame({"run_id": pd.Series(dtype="int64"), "step": pd.Series(dtype="int64"),
                                    **{m: pd.Series(dtype="float64") for m in mcols}})
        self.store.write_part(runs, metrics)
        self.rows, self.kept = [], []
        self.since = time.monotonic()


def run_sweep(experiment: Experiment | str | Path, out: str | Path | None = None, *, executor: str = "auto",
              workers: int | None = None, scheduler: str | None = None, resume: bool = False,
              shard: str | tuple[int, int] | None = None, chunksize: int | None = None,
              progress: bool = True, command: list[str] | None = None, flush_seconds: float = 30.0,
              pool=None, retry_failed: bool = False, allow_mixed: bool = False,
              add_replicates: int = 0, add_metrics: bool = False) -> SweepSummary:
    """Run (or continue) an experiment into ``out``; return a summary.

    ``pool`` may be an already open executor (then ``executor``, ``workers``
    and ``scheduler`` only go into the record); otherwise one is made with
    :func:`consultsim.running.executors.make_executor` and shut down at the end
    (``executor = "auto"``: see :func:`choose_executor`).
    ``retry_failed`` (with ``resume``) runs the failed runs again. Resuming a
    directory whose runs came from other code (another model source or other
    package versions: :func:`consultsim.running.provenance.code_identity`)
    is refused unless ``allow_mixed``. ``add_replicates`` (with ``resume``)
    extends a sweep by that many replicates of every sample, running only the
    new runs: replicate r keeps its seed (under common seeds the same as in a
    sweep made with the larger count from the start); the new runs' ids follow
    all earlier ones. Everything is validated, and the directory checked,
    before anything is written.

    The experiment's metrics are not part of its fingerprint: asking a
    finished sweep for metrics it did not record needs ``add_metrics`` (with
    ``resume``), which simulates each finished run again from its stored seed
    and parameters, checks that the metrics it recorded come out identical
    (else refuses: the model changed) and commits only the new columns, in
    added parts (:func:`_add_metrics`); the old parts are not touched. The
    sweep keeps every metric it ever recorded.
    """
    from consultsim.running.executors import CHOICES, executor_workers, imap_unordered, make_executor
    from consultsim.running.provenance import code_identity, stamp

    if executor not in CHOICES:
        raise ExperimentError(f"unknown executor {executor!r}; choose one of {', '.join(CHOICES)}")
    if retry_failed and not resume:
        raise ExperimentError("--retry-failed continues a sweep: add --resume")
    if add_replicates and not resume:
        raise ExperimentError("--add-replicates extends a sweep: add --resume")
    if add_metrics and not resume:
        raise ExperimentError("--add-metrics extends a sweep: add --resume")
    if add_replicates < 0:
        raise ExperimentError(f"--add-replicates {add_replicates}: expected a number >= 1")
    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    out = Path(out) if out is not None else default_out(exp)
    shard = parse_shard(shard) if isinstance(shard, str) or shard is None else shard
    design = make_design(exp)
    fingerprint = exp.fingerprint()
    store = SweepStore(out)
    existing = store.check(fingerprint, resume, legacy=exp.legacy_fingerprint)
    ident = code_identity(exp.model)
    old = None
    if existing and (out / "experiment.json").exists():
        from consultsim.sweeps.storage import read_experiment_json
        old = read_experiment_json(out)
        blocks = old["experiment"].get("replicate_blocks") or [old["experiment"]["replicates"]]
        from consultsim.running.inputs import MAX_REPLICATES
        if sum(blocks) + add_replicates > MAX_REPLICATES:
            raise ExperimentError(f"--add-replicates {add_replicates}: the sweep would have {sum(blocks) + add_replicates:,} "
                                  f"replicates per sample, more than the limit of {MAX_REPLICATES:,}")
        exp = exp.with_added_replicates(tuple(blocks), add_replicates)
    elif add_replicates:
        raise ExperimentError(f"{out}: no sweep to add replicates to")
    n_total = design.n_samples * exp.replicates
    added: list[str] = []
    if old is not None:
        known = set(old.get("identities", {})) or {(old.get("code") or {}).get("id")}
        if ident["id"] not in known and not allow_mixed:
            raise ExperimentError(f"{out}: its runs came from other code ({_describe(old)}) than this "
                                  f"({_describe({'code': ident})}); add --allow-mixed to mix them (the "
                                  "code_id column says which run came from which) or choose another --out")
        recorded = list(old["experiment"]["metrics"])
        added = [m for m in exp.metrics if m not in recorded]
        exp = dataclasses.replace(exp, metrics=tuple(recorded + added))  # a sweep keeps what it recorded
        if added and not add_metrics and _lacking(store, added):
            raise ExperimentError(f"{out}: the experiment asks for metrics its runs did not record "
                                  f"({', '.join(added)}); add --add-metrics to simulate the finished runs "
                                  "again (they must reproduce their recorded values) and record them too")
        if added and shard and _lacking(store, added):
            raise ExperimentError("--add-metrics extends every finished run: run it without --shard")

    def _meta(chosen: str) -> dict:
        st = stamp(command)
        prev = old or {}
        history = [*prev.get("history", []),
                   {"created": st["created"], "command": st["command"], "executor": chosen, "workers": workers,
                    "scheduler": scheduler, "shard": f"{shard[0]}/{shard[1]}" if shard else None,
                    "retry_failed": retry_failed, "code_id": ident["id"], "versions": st["versions"]}]
        identities = {**prev.get("identities", {}), ident["id"]: ident}
        first = {k: prev[k] for k in ("created", "command", "versions", "code") if k in prev}
        return {"name": exp.name, "fingerprint": fingerprint, "experiment": exp.to_dict(),
                "n_samples": design.n_samples, "n_runs": n_total,
                "replicate_seeds": replicate_seeds(exp) if exp.seeds == "common" else None,
                **st, **first, "identities": identities, "history": history}

    mine = (lambda i: True) if not shard else (lambda i: i % shard[1] == shard[0] - 1)
    n_mine = sum(1 for i in range(n_total) if mine(i))
    if workers is not None and int(workers) < 1:
        raise ExperimentError(f"--workers must be at least 1 (got {workers})")
    pilot_first = pool is None and executor == "auto" and not scheduler
    chosen = "dask" if pool is None and executor == "auto" and scheduler else executor
    t0 = time.perf_counter()
    ran = 0
    resimulated = 0
    if added:
        resimulated = _add_metrics(exp, design, store, added, executor=executor, workers=workers,
                                   scheduler=scheduler, pool=pool, progress=progress)
    with contextlib.ExitStack() as stack:
        # an executor that can fail to start (an unreachable Dask scheduler) starts before anything is written
        ex = None if pilot_first else stack.enter_context(
            _given(pool) if pool is not None else make_executor(chosen, workers, scheduler))
        store.start(_meta(chosen), design.table)
        done = store.done_run_ids(ok_only=retry_failed)
        todo = n_mine - sum(1 for i in done if mine(i))
        config = RunConfig(exp.model, exp.scenario, dict(exp.constants), exp.steps, exp.collect_every,
                           exp.recorded)
        fn = functools.partial(execute_run, config=config)
        buf = _Buffer(store, exp, exp.runs_per_file, flush_seconds)
        stack.callback(buf.flush)  # commit what finished, even on Ctrl-C
        specs = _specs(exp, design.table, done, shard)
        if pilot_first:
            chosen, pilot = choose_executor(fn, specs, todo, workers, scheduler)
            for row, kept in pilot:
                buf.add(row, kept)
            ran, todo = len(pilot), todo - len(pilot)
            store.start(_meta(chosen), design.table)
            ex = stack.enter_context(make_executor(chosen, workers, scheduler))
        if chunksize is None:
            w = executor_workers(ex)
            # ConsultSim runs take far longer than a task's overhead: one run per task balances best.
            chunksize = 1 if exp.model == DEFAULT_MODEL else max(1, min(256, math.ceil(todo / (16 * w))))
        for _, (row, kept) in imap_unordered(ex, fn, specs, chunksize=chunksize, progress=progress,
                                             desc=exp.name, total=todo):
            buf.add(row, kept)
            ran += 1
    runs = store.finish()
    runs = runs[runs["run_id"].map(mine)] if shard else runs
    failed = runs[runs["status"] != "ok"]
    return SweepSummary(out, n_mine, ran, len(runs) - len(failed), len(failed), time.perf_counter() - t0,
                        executor=chosen, first_error=None if failed.empty else str(failed["error"].iloc[0]),
                        resimulated=resimulated)


def _lacking(store: SweepStore, metrics: list[str]) -> bool:
    """Whether some finished run did not record one of ``metrics`` (then adding them re-simulates it)."""
    from consultsim.sweeps.storage import load_runs

    have = store.recorded_metrics()
    runs = load_runs(store.out)
    return any(not set(metrics) <= have.get(int(r), set()) for r in runs.loc[runs["status"] == "ok", "run_id"])


def _add_metrics(exp: Experiment, design, store: SweepStore, added: list[str], *, executor: str,
                 workers, scheduler, pool, progress: bool) -> int:
    """Record the metrics ``added`` for every finished run of ``store`` that lacks them; return how many
    runs were simulated again.

    Each such run is simulated again from its stored seed and its sample's parameters with all of
    ``exp.metrics``; runs are deterministic, so the metrics it recorded must come out bit for bit
    identical (NaN equal to NaN) at every kept week. Any difference, or a run that now fails, means
    the model or its inputs changed: this raises :class:`ExperimentError` naming the run, and the
    record (``experiment.json``) keeps the old metric list, so nothing reads the added parts (the
    ones committed before the difference hold verified values). Committed added parts are never
    redone: a run is only re-simulated while it lacks one of the metrics.
    """
    import itertools
    import warnings

    from consultsim.running.executors import imap_unordered, make_executor
    from consultsim.sweeps.storage import FailedRunsWarning, load_results, load_runs

    recorded = [m for m in exp.metrics if m not in added]
    want = set(exp.metrics)
    have = store.recorded_metrics()
    runs = load_runs(store.out)
    runs = runs[runs["status"] == "ok"]
    runs = runs[[not want <= have.get(int(r), set()) for r in runs["run_id"]]]
    if runs.empty:
        return 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FailedRunsWarning)
        stored = load_results(store.out)
    stored = {rid: g for rid, g in stored[stored["run_id"].isin(runs["run_id"])].groupby("run_id")}
    names = exp.varied_names
    table = design.table[names]

    def specs():
        for rid, sid, rep, seed in runs[["run_id", "sample_id", "replicate", "seed"]].itertuples(
                index=False, name=None):
            row = table.iloc[int(sid)]
            params = {k: (v.item() if hasattr(v, "item") else v) for k, v in zip(names, row.tolist())}
            yield (int(rid), int(sid), int(rep), int(seed), params)

    config = RunConfig(exp.model, exp.scenario, dict(exp.constants), exp.steps, exp.collect_every, exp.metrics)
    fn = functools.partial(execute_run, config=config)
    pending: dict[tuple[str, ...], list[pd.DataFrame]] = {}

    def flush():
        for frames in pending.values():
            if frames:
                store.write_added(pd.concat(frames, ignore_index=True))
        pending.clear()

    def check(row: dict, kept: dict | None) -> None:
        rid = row["run_id"]
        if row["status"] != "ok" or kept is None:
            raise ExperimentError(f"{store.out}: run {rid} (seed {row['seed']}) finished before but fails when "
                                  f"simulated again ({row['error']}): the model or its inputs changed; no metric "
                                  "was added. Run the experiment into a new --out instead")
        old = stored[rid].sort_values("step")
        steps = np.asarray(kept["step"])
        vals = pd.DataFrame(kept["values"], columns=list(exp.metrics))
        if not np.array_equal(old["step"].to_numpy(), steps):
            raise ExperimentError(f"{store.out}: run {rid} simulated again keeps other weeks than it recorded; "
                                  "no metric was added. Run the experiment into a new --out instead")
        for m in recorded:
            a, b = old[m].to_numpy(dtype=float), vals[m].to_numpy(dtype=float)
            if not np.array_equal(a, b, equal_nan=True):
                i = int(np.flatnonzero(~((a == b) | (np.isnan(a) & np.isnan(b))))[0])
                raise ExperimentError(
                    f"{store.out}: run {rid} (seed {row['seed']}) simulated again does not reproduce its "
                    f"recorded {m} at step {int(steps[i])} ({a[i]!r} recorded, {b[i]!r} now): the model or "
                    "its inputs changed since it ran; no metric was added. Keep the sweep as it is or run "
                    "the experiment into a new --out")
        need = tuple(m for m in exp.metrics if m not in have.get(rid, set()))
        frame = vals[list(need)]
        frame.insert(0, "step", steps)
        frame.insert(0, "run_id", np.full(len(steps), rid, dtype=np.int64))
        pending.setdefault(need, []).append(frame)
        if sum(len(v) for v in pending.values()) >= exp.runs_per_file:
            flush()

    n = len(runs)
    if pool is not None:
        kind, pilot, ctx = executor, [], _given(pool)
    else:
        kind, pilot = (choose_executor(fn, specs(), n, workers, scheduler) if executor == "auto"
                       else (executor, []))
        ctx = make_executor(kind, workers, scheduler)
    it = specs()
    for _ in pilot:  # the pilot ran the first specs already
        next(it)
    with ctx as ex:
        rest = (res for _, res in imap_unordered(ex, fn, it, chunksize=1 if exp.is_consultsim else 16,
                                                 progress=progress, desc=f"{exp.name} (+metrics)",
                                                 total=n - len(pilot)))
        for row, kept in itertools.chain(pilot, rest):
            check(row, kept)
    flush()
    return n


def _describe(meta: dict) -> str:
    code = meta.get("code") or {}
    v = code.get("versions") or meta.get("versions") or {}
    commit = code.get("git_commit")
    where = f"commit {commit[:10]}{' with uncommitted changes' if code.get('git_dirty') else ''}" if commit \
        else "no git commit"
    return (f"code {code.get('id', 'unrecorded')}: consultsim {v.get('consultsim', '?')}, {where}, "
            f"Python {v.get('python', '?')}, Mesa {v.get('mesa', '?')}, NumPy {v.get('numpy', '?')}")


# Starting a process pool costs about this much wall time on a small machine (each spawned worker
# imports NumPy, pandas, NetworkX and Mesa); measured 1-2 s on two cores (docs/scaling.md).
POOL_START_SECONDS = 1.5
POOL_MARGIN = 0.1  # a pool must be expected to save 10%: below that, measurement noise decides
PILOT_SECONDS = 0.5
PILOT_RUNS = 3


def _cpu_times() -> tuple[float, float] | None:
    """(idle, total) CPU time of the whole machine from /proc/stat (Linux), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as f:
            fields = [float(x) for x in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return fields[3] + (fields[4] if len(fields) > 4 else 0.0), sum(fields)


def free_cores(before: tuple[float, float] | None, cores: int) -> float:
    """Cores other processes left idle since ``before`` (a :func:`_cpu_times` reading taken while this
    process was busy running pilot runs), falling back to the 1-minute load average."""
    after = _cpu_times()
    if before is not None and after is not None and after[1] > before[1]:
        return cores * (after[0] - before[0]) / (after[1] - before[1])
    try:
        return max(0.0, cores - 1.0 - max(0.0, os.getloadavg()[0] - 1.0))  # the load other than this process
    except OSError:  # pragma: no cover - not on every system
        return cores - 1.0


def choose_executor(fn, specs: Iterator[tuple], todo: int, workers: int | None, scheduler: str | None
                    ) -> tuple[str, list]:
    """Decide where the runs of a sweep execute; return (executor, results of the pilot runs).

    With a Dask ``scheduler`` the answer is "dask". Otherwise up to
    ``PILOT_RUNS`` runs (at most ``PILOT_SECONDS``) execute here, in this
    process; their fastest time t estimates the time per run. The remaining
    ``n`` runs take ``n t`` serially, and about ``POOL_START_SECONDS + n t / s``
    on a pool, where ``s`` is the speed-up the machine can give now: this
    process's core plus the cores the rest of the machine left idle during the
    pilot runs (measured from /proc/stat, not from the load average, which lags
    by a minute and counts this very sweep), at most the workers. The pool is
    chosen when it is expected to save at least ``POOL_MARGIN``.
    """
    import itertools

    if scheduler:
        return "dask", []
    pilot, times = [], []
    cpu = _cpu_times()
    start = time.perf_counter()
    for spec in itertools.islice(specs, PILOT_RUNS):
        t = time.perf_counter()
        pilot.append(fn(spec))
        times.append(time.perf_counter() - t)
        if time.perf_counter() - start > PILOT_SECONDS:
            break
    left = todo - len(pilot)
    if left <= 0 or not times:
        return "serial", pilot
    cores = os.cpu_count() or 1
    speedup = max(1.0, min(float(workers or cores), 1.0 + free_cores(cpu, cores)))
    serial = left * min(times)
    pooled = POOL_START_SECONDS + serial / speedup
    return ("process" if pooled < (1.0 - POOL_MARGIN) * serial else "serial"), pilot


class _given:
    """Use an executor the caller owns (and will shut down)."""

    def __init__(self, ex):
        self.ex = ex

    def __enter__(self):
        return self.ex

    def __exit__(self, *exc):
        return False
