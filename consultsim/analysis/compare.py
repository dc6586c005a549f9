"""Compare scenarios over replicated runs: common random numbers, intervals, paired effects.

Every scenario is run with the same replicate seeds (derived from one master
seed with :func:`consultsim.core.rng.derive_seeds`), so replicate *r* of every
scenario starts from the same population, network and concern stream: the
paired difference between two scenarios removes most of the run-to-run noise
(common random numbers; Law 2015, *Simulation Modeling and Analysis*, 5th
ed., section 11.2). Intervals are two-sided 95% Student-t intervals over
replicates, the standard for independent replications (Law 2015, section
9.4.1); effects are t intervals of the per-replicate paired differences
(Law 2015, section 10.2.1, the paired-t confidence interval).

The runs go through :mod:`consultsim.running.executors` (process pool, progress bar);
the worker function :func:`run_task` is top level so that it pickles.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from consultsim.core.metric_names import METRICS, SHARES
from consultsim.core.rng import derive_seeds, fresh_seed
from consultsim.i18n import tr
from consultsim.running.scenarios import Scenario, resolve_scenario

__all__ = ["RunTask", "Comparison", "run_task", "run_comparison", "t_interval", "end_values",
           "summarize", "paired_effects", "prediction_interval", "bands", "metric_range", "unique_labels", "FINAL_WINDOW", "LEVEL"]

LEVEL = 0.95

# Metrics of a single week (0 or undefined in weeks without a meeting) and those of the
# last 12 weeks (participants: who they are and how many) swing with whether meetings
# happened to fall in the final weeks, so they are summarised by their mean over the final
# 52 weeks (ignoring weeks where they are undefined). Every other metric is taken in the
# last week: cumulative counts, running ratios and slowly moving resident means.
FINAL_WINDOW: dict[str, int] = {m: 52 for m in (
    "attendance_rate", "mean_consensus", "voice_concentration", "participation_rate", "participation_gini",
    "elderly_share_attendees", "young_share_attendees", "representation_gap")}


@dataclass(frozen=True)
class RunTask:
    """One run of a comparison: which scenario (by position and label), which replicate and seed."""

    index: int
    label: str
    scenario: Scenario
    replicate: int
    seed: int
    steps: int
    world: tuple = ()  # (parameter, value) pairs of the replicate's world (compare --worlds), else none


def run_task(task: RunTask) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Worker: simulate one run; return its time series and topics tagged with scenario and replicate."""
    from consultsim.running.runner import simulate

    res = simulate(task.scenario, seed=task.seed, steps=task.steps, overrides=dict(task.world) or None)
    ts = res.timeseries.copy()
    ts.insert(0, "scenario", task.label)
    ts.insert(1, "replicate", task.replicate)
    ts.insert(2, "seed", task.seed)
    topics = res.topics.copy()
    topics.insert(0, "scenario", task.label)
    topics.insert(1, "replicate", task.replicate)
    return ts, topics


def unique_labels(names: Iterable[str]) -> list[str]:
    """Scenario names made unique ("baseline", "baseline (2)") so tables can key on them."""
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def t_interval(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> tuple[float, float, float, int]:
    """Mean and two-sided Student-t interval of ``values`` (NaN ignored): (mean, low, high, n).

    With fewer than two values the interval is undefined (NaN); with zero spread it
    collapses to the mean.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n == 0:
        return float("nan"), float("nan"), float("nan"), 0
    m = float(x.mean())
    if n < 2:
        return m, float("nan"), float("nan"), n
    se = float(x.std(ddof=1)) / np.sqrt(n)
    h = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se
    return m, m - h, m + h, n


def prediction_interval(values: Sequence[float] | np.ndarray, level: float = LEVEL) -> tuple[float, float]:
    """Two-sided prediction interval for one more run (one single community), NaN ignored: (low, high).

    The interval of the mean (:func:`t_interval`) says where the average over many communities lies;
    a single community scatters around it by the run-to-run spread as well:
    mean +- t(n-1) * sd * sqrt(1 + 1/n) (Hahn & Meeker 1991, *Statistical Intervals*, section 4.4).
    Undefined (NaN) with fewer than two values.
    """
    x = np.asarray(values, dtype=float)
    x = x[~np.isnan(x)]
    n = int(x.size)
    if n < 2:
        return float("nan"), float("nan")
    h = float(stats.t.ppf(0.5 + level / 2, n - 1)) * float(x.std(ddof=1)) * np.sqrt(1 + 1 / n)
    m = float(x.mean())
    return m - h, m + h


def end_values(timeseries: pd.DataFrame, metrics: Sequence[str] = METRICS,
               window: dict[str, int] | None = None) -> pd.DataFrame:
    """One row per run (scenario, replicate): each metric's end-of-horizon value (see FINAL_WINDOW)."""
    window = FINAL_WINDOW if window is None else window
    last_step = timeseries.groupby(["scenario", "replicate"], sort=False)["step"].transform("max")
    rows = timeseries[timeseries["step"] == last_step].set_index(["scenario", "replicate"])
    out = rows[[m for m in metrics if m in rows.columns]].copy()
    for m, w in window.items():
        if m not in out.columns:
            continue
        recent = timeseries[(timeseries["step"] > last_step - w) & (timeseries["step"] > 0)]  # week 0: initial state
        out[m] = recent.groupby(["scenario", "replicate"], sort=False)[m].mean()  # pandas mean skips NaN
    return out.reset_index()


def metric_range(metric: str) -> tuple[float, float]:
    """The values a metric can take: shares and 0-1 scales in [0, 1], counts from 0 up."""
    return (0.0, 1.0) if metric in SHARES else (0.0, np.inf)


def summarize(final: pd.DataFrame, metrics: Sequence[str] = METRICS, level: float = LEVEL) -> pd.DataFrame:
    """Long table: scenario, metric, mean, ci_low, ci_high, n, pi_low, pi_high.

    ``ci_*`` is the t interval of the mean over replicates; ``pi_*`` the prediction interval of a
    single community (:func:`prediction_interval`). Both are cut to the metric's possible range
    (:func:`metric_range`): a share's interval never reaches below 0% or above 100%, which loses
    no coverage.
    """
    rows = []
    for sc, g in final.groupby("scenario", sort=False):
        for m in metrics:
            if m in g.columns:
                x = g[m].to_numpy(float)
                mean, lo, hi, n = t_interval(x, level)
                plo, phi = prediction_interval(x, level)
                a, b = metric_range(m)
                rows.append((sc, m, mean, max(lo, a) if n > 1 else lo, min(hi, b) if n > 1 else hi, n,
                             max(plo, a) if n > 1 else plo, min(phi, b) if n > 1 else phi))
    return pd.DataFrame(rows, columns=["scenario", "metric", "mean", "ci_low", "ci_high", "n", "pi_low", "pi_high"])


def paired_effects(final: pd.DataFrame, reference: str, metrics: Sequence[str] = METRICS,
                   level: float = LEVEL) -> pd.DataFrame:
    """Each other scenario minus ``reference``, paired by replicate (common random numbers).

    Long table: scenario, metric, diff (mean paired difference), ci_low, ci_high (interval of the
    mean difference), n, reference_mean, scenario_mean (over the pairs where both are defined),
    pi_low, pi_high (prediction interval: the difference a single community can expect). The
    intervals of a difference of shares are cut to [-1, 1] (what it can be), as :func:`summarize`
    cuts levels.
    """
    ref = final[final["scenario"] == reference].set_index("replicate")
    rows = []
    for sc, g in final.groupby("scenario", sort=False):
        if sc == reference:
            continue
        g = g.set_index("replicate")
        common = g.index.intersection(ref.index)
        for m in metrics:
            if m not in g.columns:
                continue
            a = g.loc[common, m].to_numpy(float)
            b = ref.loc[common, m].to_numpy(float)
            ok = ~(np.isnan(a) | np.isnan(b))
            d, lo, hi, n = t_interval(a[ok] - b[ok], level)
            plo, phi = prediction_interval(a[ok] - b[ok], level)
            if m in SHARES and n > 1:  # a difference of two shares lies in [-1, 1]
                lo, hi, plo, phi = max(lo, -1.0), min(hi, 1.0), max(plo, -1.0), min(phi, 1.0)
            rows.append((sc, m, d, lo, hi, n, float(np.mean(b[ok])) if n else np.nan,
                         float(np.mean(a[ok])) if n else np.nan, plo, phi))
    return pd.DataFrame(rows, columns=["scenario", "metric", "diff", "ci_low", "ci_high", "n",
                                       "reference_mean", "scenario_mean", "pi_low", "pi_high"])


def bands(timeseries: pd.DataFrame, metrics: Sequence[str], level: float = LEVEL) -> pd.DataFrame:
    """Per scenario and step: mean and t interval over replicates (cut to the metric's range),
    for plotting 95% bands."""
    g = timeseries.groupby(["scenario", "step"], sort=False)[list(metrics)]
    mean, sd, n = g.mean(), g.std(ddof=1), g.count()
    tq = stats.t.ppf(0.5 + level / 2, np.maximum(n - 1, 1))
    half = pd.DataFrame(tq * (sd / np.sqrt(n)).to_numpy(), index=sd.index, columns=sd.columns)
    half = half.where(n >= 2)
    lo_b = pd.Series({m: metric_range(m)[0] for m in metrics})
    hi_b = pd.Series({m: metric_range(m)[1] for m in metrics})
    out = pd.concat({"mean": mean, "ci_low": (mean - half).clip(lower=lo_b, axis=1),
                     "ci_high": (mean + half).clip(upper=hi_b, axis=1)}, axis=1)
    return out.reset_index()


@dataclass
class Comparison:
    """Outputs of :func:`run_comparison` (all runs kept, in long form)."""

    scenarios: list[Scenario]
    labels: list[str]
    master_seed: int
    seeds: list[int]
    steps: int
    timeseries: pd.DataFrame  # scenario, replicate, seed, step, METRICS...
    topics: pd.DataFrame      # scenario, replicate, then the model's per-topic columns
    seconds: float = 0.0
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def reference(self) -> str:
        return self.labels[0]

    def final(self) -> pd.DataFrame:
        return end_values(self.timeseries)

    def summary(self) -> pd.DataFrame:
        return summarize(self.final())

    def effects(self) -> pd.DataFrame:
        return paired_effects(self.final(), self.reference)


def run_comparison(scenarios: Sequence[Any], *, replicates: int = 30, steps: int = 104,
                   seed: int | None = None, workers: int | None = None, executor: str | None = None,
                   progress: bool = True, lang: str = "en", worlds: pd.DataFrame | None = None) -> Comparison:
    """Run every scenario ``replicates`` times with common random numbers and collect the results.

    ``scenarios`` are anything :func:`resolve_scenario` accepts. ``executor`` is a
    :mod:`consultsim.running.executors` kind; by default "serial" for one worker, else "process".
    ``worlds`` (a calibration's posterior, :func:`consultsim.analysis.calibration.read_worlds`): each
    replicate draws one world from it by weight (seeded by the master seed), and every scenario runs in
    that world with that replicate's seed (common random numbers and common worlds); the draws are in
    ``meta["worlds"]``.
    """
    import os
    import time

    from consultsim.running.executors import imap_unordered, make_executor

    scs = [resolve_scenario(s) for s in scenarios]
    if not scs:
        from consultsim.errors import UsageError
        raise UsageError("no scenarios to compare")
    master = fresh_seed() if seed is None else int(seed)
    seeds = derive_seeds(master, replicates)
    labels = unique_labels(s.name for s in scs)
    draws: list[dict] = [{}] * len(seeds)
    if worlds is not None:
        from consultsim.analysis.calibration import draw_worlds
        draws = draw_worlds(worlds, len(seeds), master)
    tasks = [RunTask(i, lab, sc, r, s, int(steps), tuple(sorted(draws[r].items())))
             for r, s in enumerate(seeds) for i, (lab, sc) in enumerate(zip(labels, scs))]
    kind = executor or ("serial" if workers == 1 else "process")
    t0 = time.perf_counter()
    results: dict[tuple[int, int], tuple[pd.DataFrame, pd.DataFrame]] = {}
    # One run takes well under a second, so send a few per task to amortise the pickling (about
    # eight tasks per worker keep the load balanced and the progress bar moving).
    n_workers = 1 if kind == "serial" else (workers or os.cpu_count() or 1)
    chunksize = max(1, len(tasks) // (8 * n_workers))
    with make_executor(kind, workers=workers) as ex:
        for task, out in imap_unordered(ex, run_task, tasks, chunksize=chunksize, progress=progress,
                                        desc=tr("cli.progress", lang, n=len(scs), runs=replicates)):
            results[(task.index, task.replicate)] = out
    keys = sorted(results)  # scenario order, then replicate: deterministic tables
    ts = pd.concat([results[k][0] for k in keys], ignore_index=True)
    frames = [results[k][1] for k in keys if len(results[k][1])]  # runs without topics add nothing
    topics = pd.concat(frames, ignore_index=True) if frames else results[keys[0]][1]
    meta = {"worlds": draws} if worlds is not None else {}
    return Comparison(scs, labels, master, seeds, int(steps), ts, topics, time.perf_counter() - t0, meta)
