"""Run an experiment: every (sample, replicate) once, on any executor, streaming results to disk.

Each run is a pure function of its parameters and its seed
(:func:`execute_run`, executed on the workers). The driver
(:func:`run_sweep`) only generates run specifications lazily, hands them to
:func:`consultsim.running.executors.imap_unordered` (a bounded number in flight), and
commits finished runs to the sweep directory a chunk at a time (see
:mod:`consultsim.sweeps.storage`), so its memory does not grow with the
number of runs. A run that raises is recorded with ``status = "error"`` and
its message; the others go on.
"""

from __future__ import annotations

import functools
import importlib
import math
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

__all__ = ["RunConfig", "execute_run", "run_sweep", "SweepSummary", "default_out", "parse_shard"]


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
    run_id, sample_id, replicate, seed, overrides = spec
    row = {"run_id": run_id, "sample_id": sample_id, "replicate": replicate, "seed": seed, **overrides,
           "status": "ok", "error": None}
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
    return row, kept


@dataclass
class SweepSummary:
    out: Path
    n_runs: int          # runs in the experiment (or this shard)
    ran: int             # runs executed now
    ok: int              # successful runs on disk
    failed: int          # failed runs on disk
    seconds: float

    def line(self) -> str:
        return (f"{self.ran} runs in {self.seconds:.1f} s; {self.out} holds {self.ok} finished and "
                f"{self.failed} failed of {self.n_runs}")


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
    for sample_id, row in enumerate(table[names].itertuples(index=False, name=None)):  # lazily
        params = {k: (v.item() if hasattr(v, "item") else v) for k, v in zip(names, row)}
        for r in range(exp.replicates):
            run_id = sample_id * exp.replicates + r
            if run_id in done or (shard and run_id % shard[1] != shard[0] - 1):
                continue
            seed = common[r] if common else run_seed(exp.seed, run_id)
            yield (run_id, sample_id, r, seed, params)


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
        cols = ["run_id", "sample_id", "replicate", "seed", *self.exp.varied_names, "status", "error", "seconds"]
        runs = pd.DataFrame(self.rows, columns=cols)
        runs = runs.astype({"run_id": "int64", "sample_id": "int64", "replicate": "int64", "seed": "int64",
                            "error": "string", "seconds": "float64"})
        mcols = list(self.exp.metrics)
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


def run_sweep(experiment: Experiment | str | Path, out: str | Path | None = None, *, executor: str = "process",
              workers: int | None = None, scheduler: str | None = None, resume: bool = False,
              shard: str | tuple[int, int] | None = None, chunksize: int | None = None,
              progress: bool = True, command: list[str] | None = None, flush_seconds: float = 30.0,
              pool=None) -> SweepSummary:
    """Run (or continue) an experiment into ``out``; return a summary.

    ``pool`` may be an already open executor (then ``executor``, ``workers``
    and ``scheduler`` only go into the record); otherwise one is made with
    :func:`consultsim.running.executors.make_executor` and shut down at the end.
    Everything is validated, and the directory checked, before anything is
    written.
    """
    from consultsim.running.executors import executor_workers, imap_unordered, make_executor
    from consultsim.running.provenance import stamp

    exp = experiment if isinstance(experiment, Experiment) else load_experiment(experiment)
    out = Path(out) if out is not None else default_out(exp)
    shard = parse_shard(shard) if isinstance(shard, str) or shard is None else shard
    design = make_design(exp)
    n_total = design.n_samples * exp.replicates
    fingerprint = exp.fingerprint()
    store = SweepStore(out)
    store.check(fingerprint, resume)

    def _meta() -> dict:
        history = []
        if (out / "experiment.json").exists():
            from consultsim.sweeps.storage import read_experiment_json
            old = read_experiment_json(out)
            history = old.get("history", [])
        st = stamp(command)
        history.append({"created": st["created"], "command": st["command"], "executor": executor,
                        "workers": workers, "scheduler": scheduler,
                        "shard": f"{shard[0]}/{shard[1]}" if shard else None})
        return {"name": exp.name, "fingerprint": fingerprint, "experiment": exp.to_dict(),
                "n_samples": design.n_samples, "n_runs": n_total,
                "replicate_seeds": replicate_seeds(exp) if exp.seeds == "common" else None,
                **st, "history": history}

    with (_given(pool) if pool is not None else make_executor(executor, workers, scheduler)) as ex:
        store.start(_meta(), design.table)
        done = store.done_run_ids()
        n_mine = sum(1 for i in range(n_total) if not shard or i % shard[1] == shard[0] - 1)
        todo = n_mine - len({i for i in done if not shard or i % shard[1] == shard[0] - 1})
        if chunksize is None:
            w = executor_workers(ex)
            # ConsultSim runs take far longer than a task's overhead: one run per task balances best.
            chunksize = 1 if exp.model == DEFAULT_MODEL else max(1, min(256, math.ceil(todo / (16 * w))))
        config = RunConfig(exp.model, exp.scenario, dict(exp.constants), exp.steps, exp.collect_every,
                           exp.metrics)
        fn = functools.partial(execute_run, config=config)
        buf = _Buffer(store, exp, exp.runs_per_file, flush_seconds)
        t0 = time.perf_counter()
        ran = 0
        try:
            for _, (row, kept) in imap_unordered(ex, fn, _specs(exp, design.table, done, shard),
                                                 chunksize=chunksize, progress=progress, desc=exp.name,
                                                 total=todo):
                buf.add(row, kept)
                ran += 1
        finally:
            buf.flush()  # commit what finished, even on Ctrl-C
    runs = store.finish()
    ok = int((runs["status"] == "ok").sum())
    return SweepSummary(out, n_mine, ran, ok, len(runs) - ok, time.perf_counter() - t0)


class _given:
    """Use an executor the caller owns (and will shut down)."""

    def __init__(self, ex):
        self.ex = ex

    def __enter__(self):
        return self.ex

    def __exit__(self, *exc):
        return False
