"""Calibration of the poorly known parameters by ABC-SMC, kept apart from validation (issue 17, part 2).

Approximate Bayesian computation with sequential Monte Carlo (Toni, Welch, Strelkowa, Ipsen & Stumpf
2009) as pyABC implements it (Klinger, Rickert & Hasenauer 2018): particles are drawn from a uniform
prior over each parameter's plausible range, one model run per particle, and a particle is accepted when
its summary statistics lie within epsilon of the calibration targets; epsilon falls generation by
generation (the median of the previous generation's distances). The posterior's particles, with their
importance weights, are the *worlds* that ``consultsim robustness --worlds-file`` and ``consultsim
compare --worlds`` run in (van der Vaart, Beaumont, Johnston & Sibly 2015 on ABC for individual-based
models).

The settings (which parameters, which targets with values and sources, which patterns are held out for
validation) live in a TOML file, shipped as ``experiments/calibration.toml``. The summary statistics are
field observables, one number per run (:data:`STATISTICS`): what a researcher could read off sign-in
sheets, the ledger of topics and decisions, and the age column of attendance lists.

pyABC keeps every generation in an SQLite database in the output folder, so a killed run continues
with ``resume=True`` (:meth:`pyabc.ABCSMC.load`).
"""

from __future__ import annotations

import math
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from consultsim.core.params import PARAM_INFO, Params, uncertainties
from consultsim.errors import UsageError

__all__ = ["STATISTICS", "Target", "Settings", "load_settings", "statistics", "simulate_statistics",
           "distance", "ess", "verdict", "make_abc", "calibrate", "generations_table", "parameter_table", "export_worlds",
           "read_worlds", "draw_worlds", "plot_posterior", "report_markdown", "DB_NAME", "WORLDS_NAME",
           "DEFAULT_SETTINGS"]

DB_NAME = "calibration.db"
WORLDS_NAME = "posterior_worlds.parquet"
DEFAULT_SETTINGS = Path(__file__).resolve().parents[2] / "experiments" / "calibration.toml"
MISSING_DISTANCE = 1e3  # a run whose statistic is undefined (e.g. no resolution agreed) is far from every target


# --------------------------------------------------------------------------- statistics of one run

def _year2(ts: pd.DataFrame) -> pd.DataFrame:
    last = ts["step"].max()
    return ts[ts["step"] > last / 2]


def _end(ts: pd.DataFrame, m: str) -> float:
    return float(ts.loc[ts["step"].idxmax(), m])


def _settled(topics: pd.DataFrame) -> pd.DataFrame:
    return topics[topics["outcome"].astype(str) != ""] if "outcome" in topics else topics.iloc[:0]


_AGREED = frozenset({"decided", "implementing", "implemented", "stalled", "unfunded"})
_FAILED = frozenset({"no quorum", "deadlock", "rejected", "failed"})


def _agreed_share(ts, topics, p) -> float:
    """Settled topics (agreed or failed) that ended in an agreed resolution (the decisions ledger)."""
    out = topics["outcome"].astype(str)
    agreed, failed = int(out.isin(_AGREED).sum()), int(out.isin(_FAILED).sum())
    return agreed / (agreed + failed) if agreed + failed else math.nan


def _stalled_share(ts, topics, p) -> float:
    """Agreed resolutions stalled past their deadline at the end (the ledger's open items)."""
    r = _end(ts, "resolutions")
    return _end(ts, "stalled") / r if r > 0 else math.nan


def _young_old_ratio(ts, topics, p) -> float:
    """Attendance per resident of the young (18-39) over that of the elderly (60+), year 2 (sign-in
    sheets with ages, against the population register)."""
    h = _year2(ts)
    young, old = h["young_share_attendees"].mean(), h["elderly_share_attendees"].mean()
    if not (p["young_share"] > 0 and p["elderly_share"] > 0 and old > 0) or math.isnan(young):
        return math.nan
    return float((young / p["young_share"]) / (old / p["elderly_share"]))


def _complaints_per_1000(ts, topics, p) -> float:
    """12345 hotline calls about the community's topics per 1,000 households a year (the hotline's log)."""
    weeks = float(ts["step"].max())
    return _end(ts, "complaints") / p["n_residents"] * 1000 / (weeks / 52) if weeks > 0 else math.nan


# name -> (function of (timeseries, topics, parameters), what it is)
STATISTICS: dict[str, tuple[Callable[[pd.DataFrame, pd.DataFrame, Mapping[str, Any]], float], str]] = {
    "participation_share": (lambda ts, t, p: float(_year2(ts)["participation_rate"].max()),
                            "highest share of households that took part in a 12-week window, year 2"),
    "decided_share": (lambda ts, t, p: _end(ts, "procedure_completion"),
                      "agenda topics decided on schedule, end of the horizon"),
    "agreed_share": (_agreed_share, "settled topics that ended in an agreed resolution"),
    "implemented_share": (lambda ts, t, p: _end(ts, "implementation_rate"),
                          "agreed resolutions implemented, end of the horizon"),
    "young_old_ratio": (_young_old_ratio, "attendance per resident, young (18-39) over elderly (60+), year 2"),
    "voice_concentration": (lambda ts, t, p: float(_year2(ts)["voice_concentration"].mean()),
                            "speaking weight of the top 10% of attendees, year 2 meetings"),
    "resident_proposed_share": (lambda ts, t, p: _end(ts, "resident_proposed_share"),
                                "topics proposed by residents themselves"),
    "stalled_share": (_stalled_share, "agreed resolutions stalled past their deadline"),
    "trust_change": (lambda ts, t, p: _end(ts, "mean_trust_committee") - float(ts["mean_trust_committee"].iloc[0]),
                     "change of trust in the committee over the horizon (survey, 0-1 scale)"),
    "complaints_per_1000": (_complaints_per_1000, "12345 calls per 1,000 households a year"),
}


def statistics(ts: pd.DataFrame, topics: pd.DataFrame, params: Mapping[str, Any],
               names: Sequence[str] | None = None) -> dict[str, float]:
    """The summary statistics ``names`` (default: all) of one run."""
    return {n: float(STATISTICS[n][0](ts, topics, params)) for n in (names or STATISTICS)}


def simulate_statistics(values: Mapping[str, Any], *, households: int, steps: int, seed: int,
                        names: Sequence[str] | None = None, scenario: Any = "baseline") -> dict[str, float]:
    """One run of ``scenario`` with ``values`` (calibrated parameters) and its summary statistics."""
    from consultsim.running.runner import simulate

    ov = {k: _coerce(k, v) for k, v in values.items()}
    res = simulate(scenario, seed=int(seed), steps=int(steps), overrides={**ov, "n_residents": int(households)})
    return statistics(res.timeseries, res.topics, res.params, names)


def _coerce(name: str, v: Any) -> Any:
    t = PARAM_INFO[name].type
    kind = t if isinstance(t, str) else t.__name__
    return int(round(float(v))) if kind == "int" else float(v)


# --------------------------------------------------------------------------- settings

@dataclass(frozen=True)
class Target:
    name: str
    value: float
    scale: float
    source: str


@dataclass(frozen=True)
class Settings:
    parameters: tuple[str, ...]
    targets: tuple[Target, ...]
    held_out: tuple[str, ...]
    households: int = 1000
    steps: int = 104
    population: int = 120
    generations: int = 5
    max_minutes: float = 28.0
    seed: int = 0
    replicates: int = 1          # model runs per particle; the statistics are their mean
    min_epsilon: float = 0.0     # stop once a generation ran at this epsilon or below
    min_acceptance: float = 0.0  # stop after a generation whose acceptance rate fell below this
    max_runs: int = 0            # stop once this many model runs are done (0: no budget)
    initial_epsilon: float = 0.0  # generation 0's epsilon (0: the median of a prior sample, pyABC's default)
    quick: Mapping[str, Any] = field(default_factory=dict)
    path: str = ""

    def priors(self) -> dict[str, tuple[float, float]]:
        """Each calibrated parameter's uniform prior (its plausible range)."""
        u = uncertainties()
        return {n: (float(u[n][0]), float(u[n][1])) for n in self.parameters}

    def quickened(self) -> Settings:
        return replace(self, **{k: v for k, v in self.quick.items()})


def load_settings(path: str | Path | None = None) -> Settings:
    """Read and check a calibration settings file; one-line :class:`UsageError` on any problem."""
    p = Path(path) if path else DEFAULT_SETTINGS
    from consultsim.running.scenarios import read_toml

    # the input layer: a regular file of at most 10 MB, TOML within the depth and digit caps (issue 21)
    raw = read_toml(p, UsageError, "calibration settings file")
    run, quick = raw.get("run", {}), raw.get("quick", {})
    names = tuple(raw.get("parameters", {}).get("names", ()))
    plausible = uncertainties()
    if not names:
        raise UsageError(f"calibration settings {p}: [parameters] names is empty")
    for n in names:
        if n not in PARAM_INFO:
            raise UsageError(f"calibration settings {p}: unknown parameter {n!r}")
        if n not in plausible:
            raise UsageError(f"calibration settings {p}: {n} has no plausible range (a lever, a fixed fact, "
                             "or descriptive), so it has no prior to calibrate")
        src = (PARAM_INFO[n].metadata["source"] or "").lower()
        if "assumption" not in src and "calibrated" not in src:
            raise UsageError(f"calibration settings {p}: {n} has a source ({src[:40]}...), not an assumption; "
                             "calibrate only poorly known parameters")
    targets = []
    for t in raw.get("targets", ()):
        try:
            tg = Target(str(t["name"]), float(t["value"]), float(t["scale"]), str(t.get("source", "")))
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"calibration settings {p}: each [[targets]] needs name, value and scale") from None
        if tg.name not in STATISTICS:
            raise UsageError(f"calibration settings {p}: unknown statistic {tg.name!r}; choose from "
                             f"{', '.join(STATISTICS)}")
        if not tg.scale > 0:
            raise UsageError(f"calibration settings {p}: target {tg.name} needs a positive scale")
        if not tg.source:
            raise UsageError(f"calibration settings {p}: target {tg.name} has no source")
        targets.append(tg)
    if not targets:
        raise UsageError(f"calibration settings {p}: no [[targets]]")
    held = tuple(raw.get("held_out", {}).get("names", ()))
    for h in held:
        if h not in STATISTICS:
            raise UsageError(f"calibration settings {p}: unknown held-out statistic {h!r}")
        if h in {t.name for t in targets}:
            raise UsageError(f"calibration settings {p}: {h} is both a target and held out")
    keys = ("households", "steps", "population", "generations", "max_minutes", "seed", "replicates", "min_epsilon",
            "min_acceptance", "max_runs", "initial_epsilon")
    bad = [k for k in {**run, **quick} if k not in keys]
    if bad:
        raise UsageError(f"calibration settings {p}: unknown setting {bad[0]!r}")
    for k, v in {**run, **quick}.items():
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
            raise UsageError(f"calibration settings {p}: {k} must be a number (got {v!r})")
    s = Settings(names, tuple(targets), held, **{k: run[k] for k in keys if k in run},
                 quick={k: quick[k] for k in keys if k in quick}, path=str(p))
    for x in (s, s.quickened()):
        if x.households < 10 or x.steps < 2 or x.population < 2 or x.generations < 1 or x.max_minutes <= 0:
            raise UsageError(f"calibration settings {p}: households >= 10, steps >= 2, population >= 2, "
                             "generations >= 1 and max_minutes > 0 are needed")
        if int(x.replicates) != x.replicates or x.replicates < 1 or int(x.max_runs) != x.max_runs \
                or x.max_runs < 0 or x.min_epsilon < 0 or x.initial_epsilon < 0 or not 0 <= x.min_acceptance < 1:
            raise UsageError(f"calibration settings {p}: replicates a whole number >= 1, max_runs a whole number "
                             ">= 0, min_epsilon and initial_epsilon >= 0, and 0 <= min_acceptance < 1 are needed")
    return s


# --------------------------------------------------------------------------- ABC-SMC

def distance(x: Mapping[str, float], x0: Mapping[str, float], scales: Mapping[str, float]) -> float:
    """Euclidean distance of the scaled differences; an undefined statistic counts as far away."""
    total = 0.0
    for k, s in scales.items():
        a, b = float(x[k]), float(x0[k])
        if not (math.isfinite(a) and math.isfinite(b)):
            return MISSING_DISTANCE
        total += ((a - b) / s) ** 2
    return math.sqrt(total)


def mean_statistics(runs: Sequence[Mapping[str, float]], names: Sequence[str]) -> dict[str, float]:
    """Each statistic's mean over the runs that define it (NaN where none does)."""
    out = {}
    for n in names:
        x = np.array([r[n] for r in runs], float)
        x = x[np.isfinite(x)]
        out[n] = float(x.mean()) if x.size else math.nan
    return out


class _Model:
    """pyABC's model: a picklable callable from a parameter particle to the target statistics, the mean over
    ``settings.replicates`` runs with fresh seeds.

    Why a mean: the targets are bands for the typical community of the field study (docs/validation.md), as
    ``consultsim validate`` judges a pattern by its mean over runs; one 1,000-household run is too noisy for
    the bands (its decided share alone scatters by 1.6 half-bands at the defaults, docs/calibration.md)."""

    def __init__(self, settings: Settings, scenario: str = "baseline"):
        from consultsim.running.scenarios import resolve_scenario

        self.households, self.steps = settings.households, settings.steps
        self.replicates = int(settings.replicates)
        self.names = [t.name for t in settings.targets]
        # read once, here: a bad scenario fails before any worker starts, and the workers never read files
        self.scenario = resolve_scenario(scenario)

    def __call__(self, par) -> dict[str, float]:
        # fresh seeds per run: the model's noise is part of what ABC must accept (pyABC reseeds each worker)
        seeds = np.random.randint(0, 2**31 - 1, size=self.replicates)  # noqa: NPY002 (pyABC seeds it)
        runs = [simulate_statistics(dict(par), households=self.households, steps=self.steps, seed=int(s),
                                    names=self.names, scenario=self.scenario) for s in seeds]
        return runs[0] if len(runs) == 1 else mean_statistics(runs, self.names)


class _Distance:
    def __init__(self, scales: Mapping[str, float]):
        self.scales = dict(scales)

    def __call__(self, x, x0) -> float:
        return distance(x, x0, self.scales)


def make_sampler(workers: int, dask: bool = False):
    """A sampler on ``workers`` processes: pyABC's multicore evaluation sampler, or Dask on a local cluster
    bound to 127.0.0.1 (returned with the cluster and client to close)."""
    import pyabc

    if not dask:
        return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=int(workers)), None
    from dask.distributed import Client, LocalCluster

    cluster = LocalCluster(n_workers=int(workers), threads_per_worker=1, host="127.0.0.1",
                           dashboard_address=None, processes=True)
    client = Client(cluster)
    return pyabc.sampler.DaskDistributedSampler(dask_client=client), (client, cluster)


def make_abc(settings: Settings, sampler, observed: Mapping[str, float] | None = None, scenario: str = "baseline"):
    """The pyABC ABCSMC object for ``settings`` (uniform priors over the plausible ranges)."""
    import pyabc

    prior = pyabc.Distribution(**{n: pyabc.RV("uniform", lo, hi - lo) for n, (lo, hi) in settings.priors().items()})
    scales = {t.name: t.scale for t in settings.targets}
    eps = pyabc.MedianEpsilon(initial_epsilon=float(settings.initial_epsilon) if settings.initial_epsilon
                              else "from_sample")
    return pyabc.ABCSMC(_Model(settings, scenario), prior, _Distance(scales), population_size=settings.population,
                        sampler=sampler, eps=eps)


def observed_values(settings: Settings) -> dict[str, float]:
    return {t.name: t.value for t in settings.targets}


def calibrate(settings: Settings, out: str | Path, *, workers: int = 2, resume: bool = False, dask: bool = False,
              observed: Mapping[str, float] | None = None, scenario: str = "baseline",
              log: Callable[[str], None] | None = None, lang: str = "en") -> dict:
    """Run (or continue) ABC-SMC into ``out``/calibration.db; return the history and the run's facts.

    ``observed`` replaces the targets' values (synthetic checks); ``resume`` continues the run stored in
    the database (its observed values are the stored ones) up to ``settings.generations`` generations."""
    import logging
    from datetime import timedelta

    for name in ("ABC", "Sampler", "Epsilon", "Distance", "Acceptor", "pyabc"):
        logging.getLogger(f"ABC.{name}" if name != "pyabc" else name).setLevel(logging.WARNING)
    logging.getLogger("ABC").setLevel(logging.WARNING)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    db = out / DB_NAME
    if settings.seed:
        np.random.seed(int(settings.seed) % 2**32)  # noqa: NPY002 (pyABC and scipy priors draw from it)
    sampler, dask_handles = make_sampler(workers, dask)
    t0 = time.perf_counter()
    try:
        abc = make_abc(settings, sampler, observed, scenario)
        if resume and db.exists():
            h = abc.load(f"sqlite:///{db}", abc_id=1)
            done = h.max_t + 1
            if done:  # go on from the stored generation's median distance, as an unbroken run would (pyABC
                # takes it from the history when the epsilon is "from_sample"; a fixed initial_epsilon would
                # restart the schedule at generation 0's value)
                import pyabc

                abc.eps = pyabc.MedianEpsilon()
        else:
            if db.exists():
                os.remove(db)
            obs = dict(observed) if observed is not None else observed_values(settings)
            abc.new(f"sqlite:///{db}", obs)
            done = 0
        remaining = settings.generations - done
        if remaining > 0:
            if log:
                from consultsim.i18n import tr

                log(tr("cal.continuing" if done else "cal.starting", lang, done=done, remaining=remaining))
            # pyABC counts evaluations (particles tried); a budget of model runs is that many / replicates.
            # Every stop is checked after a generation: the last generation runs whole.
            budget = settings.max_runs // settings.replicates if settings.max_runs else np.inf
            h = abc.run(max_nr_populations=remaining, max_walltime=timedelta(minutes=settings.max_minutes),
                        minimum_epsilon=float(settings.min_epsilon), min_acceptance_rate=float(settings.min_acceptance),
                        max_total_nr_simulations=budget)
        else:
            h = abc.history
    finally:
        if dask_handles:
            for x in dask_handles:
                x.close()
    return {"history": h, "seconds": time.perf_counter() - t0, "resumed_from": done,
            "stopped": stop_reason(h, settings)}


def stop_reason(history, settings: Settings) -> str:
    """Why the run stopped, after its last generation: "generations", "min_epsilon", "min_acceptance",
    "max_runs" or "max_minutes" (pyABC's criteria, in the order it checks them)."""
    gens = generations_table(history)
    if history.max_t < 0 or not len(gens):
        return "max_minutes"
    last = gens.iloc[-1]
    if len(gens) >= settings.generations:
        return "generations"
    if last["epsilon"] <= settings.min_epsilon:
        return "min_epsilon"
    if last["acceptance_rate"] < settings.min_acceptance:
        return "min_acceptance"
    if settings.max_runs and int(history.total_nr_simulations) * settings.replicates >= settings.max_runs:
        return "max_runs"
    return "max_minutes"


def generations_table(history) -> pd.DataFrame:
    """One row per generation: epsilon, particles, simulations, acceptance rate, effective sample size."""
    pops = history.get_all_populations()
    pops = pops[pops["t"] >= 0]
    rows = []
    for r in pops.itertuples():
        _, w = history.get_distribution(m=0, t=int(r.t))
        n = int(len(w))
        rows.append({"generation": int(r.t), "epsilon": float(r.epsilon), "particles": n,
                     "simulations": int(r.samples), "acceptance_rate": n / r.samples if r.samples else math.nan,
                     "ess": ess(w)})
    return pd.DataFrame(rows)


def _wstats(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    w = w / w.sum()
    m = float((w * x).sum())
    return m, float(math.sqrt(max(0.0, (w * (x - m) ** 2).sum())))


def _wquantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    o = np.argsort(x)
    c = np.cumsum(w[o]) / w.sum()
    return float(x[o][min(np.searchsorted(c, q), len(x) - 1)])


CONSTRAINED = 0.7  # posterior sd below 70% of the prior's: the patterns constrain the parameter
MIN_ESS = 20       # fewer effective particles: the posterior's width is not measured well enough to judge


def ess(weights) -> float:
    """Kish's effective sample size of importance weights: (sum w)^2 / sum w^2."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / (w ** 2).sum()) if (w > 0).any() else 0.0


def verdict(width_ratio: float, n_eff: float) -> str:
    """"constrained", "stays at its prior", or "undetermined" when the effective sample is too small."""
    if n_eff < MIN_ESS:
        return "undetermined (ESS too low)"
    return "constrained" if width_ratio < CONSTRAINED else "stays at its prior"


def parameter_table(worlds: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """Per calibrated parameter: prior range, posterior mean and 90% interval, width (sd) ratio to the prior,
    and the verdict (:func:`verdict`): the patterns constrain it (ratio below :data:`CONSTRAINED`), it
    stays at its prior, or the posterior's effective sample (below :data:`MIN_ESS`) is too small to say."""
    w = worlds["weight"].to_numpy(float)
    n_eff = ess(w)
    rows = []
    for n, (lo, hi) in settings.priors().items():
        x = worlds[n].to_numpy(float)
        m, sd = _wstats(x, w)
        prior_sd = (hi - lo) / math.sqrt(12)
        ratio = sd / prior_sd if prior_sd > 0 else math.nan
        rows.append({"parameter": n, "default": float(getattr(Params(), n)), "prior_low": lo, "prior_high": hi,
                     "posterior_mean": m, "q05": _wquantile(x, w, 0.05), "q95": _wquantile(x, w, 0.95),
                     "prior_sd": prior_sd, "posterior_sd": sd, "width_ratio": ratio,
                     "constrained": bool(ratio < CONSTRAINED), "ess": n_eff, "verdict": verdict(ratio, n_eff),
                     "source": PARAM_INFO[n].metadata["source"] or ""})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the worlds file

def export_worlds(history, settings: Settings, path: str | Path) -> pd.DataFrame:
    """The last generation's particles as a worlds file: one row per particle, a column per calibrated
    parameter, ``weight`` (normalised importance weight) and ``particle`` (its index)."""
    from consultsim.running.outputs import atomic_write_bytes

    df, w = history.get_distribution(m=0, t=history.max_t)
    df = df.reset_index(drop=True)[list(settings.parameters)].astype(float)
    w = np.asarray(w, float)
    df["weight"] = w / w.sum()
    df.insert(0, "particle", np.arange(len(df), dtype=np.int64))
    import io
    buf = io.BytesIO()
    df.to_parquet(buf, index=False)
    atomic_write_bytes(path, buf.getvalue())
    return df


def read_worlds(path: str | Path) -> pd.DataFrame:
    """Read a worlds file; one-line :class:`UsageError` if it is missing, unreadable or not a worlds file
    (its parameter columns must be parameters of the model, without levers; weights positive)."""
    from consultsim.running.inputs import check_regular_file

    p = Path(path)
    if not os.path.lexists(p):
        raise UsageError(f"worlds file {p}: not found")
    check_regular_file(p, UsageError, "worlds file", 1 << 30)  # a pipe would block pyarrow, a device fill memory
    try:
        df = pd.read_parquet(p)
    except Exception as e:  # pyarrow raises several kinds for a file that is not Parquet
        raise UsageError(f"worlds file {p}: not a Parquet file ({type(e).__name__})") from None
    if "weight" not in df.columns or len(df) == 0:
        raise UsageError(f"worlds file {p}: needs a 'weight' column and at least one row")
    names = [c for c in df.columns if c not in ("weight", "particle")]
    bad = [c for c in names if c not in PARAM_INFO]
    if bad or not names:
        raise UsageError(f"worlds file {p}: {bad[0] if bad else 'no parameter columns'!r} is not a parameter")
    from consultsim.core.params import LEVER_SECTIONS
    lev = [c for c in names if PARAM_INFO[c].metadata["section"] in LEVER_SECTIONS]
    if lev:
        raise UsageError(f"worlds file {p}: {lev[0]} is a lever, not a world's parameter")
    w = df["weight"].to_numpy(float)
    if not (np.isfinite(w).all() and (w >= 0).all() and w.sum() > 0):
        raise UsageError(f"worlds file {p}: weights must be non-negative numbers, not all zero")
    for c in names:
        m, x = PARAM_INFO[c].metadata, df[c].to_numpy(float)
        if not np.isfinite(x).all() or (m["lo"] is not None and (x.min() < m["lo"] or x.max() > m["hi"])):
            raise UsageError(f"worlds file {p}: {c} has values outside its allowed range {m['lo']} to {m['hi']}")
    return df


def draw_worlds(worlds: pd.DataFrame, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` worlds drawn from the posterior by weight (with replacement), as parameter overrides."""
    names = [c for c in worlds.columns if c not in ("weight", "particle")]
    w = worlds["weight"].to_numpy(float)
    idx = np.random.default_rng(int(seed)).choice(len(worlds), size=int(n), replace=True, p=w / w.sum())
    return [{c: _coerce(c, worlds[c].iloc[i]) for c in names} for i in idx]


# --------------------------------------------------------------------------- figure and report

def plot_posterior(worlds: pd.DataFrame, settings: Settings, path: str | Path) -> Path:
    """One panel per calibrated parameter: the uniform prior (grey) and the weighted posterior histogram
    (blue) with its mean; the title gives the width ratio (posterior sd / prior sd)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    table = parameter_table(worlds, settings).set_index("parameter")
    names = list(settings.parameters)
    ncol = min(3, len(names))
    nrow = math.ceil(len(names) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.6 * ncol, 2.6 * nrow + 0.6), squeeze=False,
                             layout="constrained")
    w = worlds["weight"].to_numpy(float)
    for ax, n in zip(axes.flat, names):
        lo, hi = settings.priors()[n]
        ax.hist(worlds[n].to_numpy(float), bins=np.linspace(lo, hi, 13), weights=w, density=True,
                color="#6baed6", edgecolor="#2b5d84", label="posterior")
        ax.plot([lo, lo, hi, hi], [0, 1 / (hi - lo), 1 / (hi - lo), 0], color="#666666", lw=1.4, ls="--",
                label="prior")
        r = table.loc[n]
        ax.axvline(r["default"], color="#b03a2e", lw=1, ls=":", label="default")
        ax.axvline(r["posterior_mean"], color="#08306b", lw=1.2)
        ax.set_title(f"{n}\nwidth {r['width_ratio']:.2f} of prior: {r['verdict']}", fontsize=8.5, loc="left")
        ax.tick_params(labelsize=7)
        ax.set_yticks([])
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=6.5, loc="upper right")
    fig.suptitle(f"Posterior (blue, {len(worlds)} particles, effective sample {ess(w):.1f}, weighted) vs uniform "
                 "prior (dashed) per parameter; red dotted: the default",
                 x=0.01, ha="left", fontsize=9.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def posterior_check(worlds: pd.DataFrame, settings: Settings, *, n: int, seed: int, households: int | None = None,
                    steps: int | None = None) -> pd.DataFrame:
    """Targets and held-out patterns in ``n`` runs of worlds drawn from the posterior (posterior
    predictive): mean and 5-95% of each statistic, the target where there is one."""
    draws = draw_worlds(worlds, n, seed)
    rng = np.random.default_rng(int(seed) + 1)
    names = [t.name for t in settings.targets] + list(settings.held_out)
    runs = [simulate_statistics(d, households=households or settings.households, steps=steps or settings.steps,
                                seed=int(rng.integers(2**31 - 1)), names=names) for d in draws]
    df = pd.DataFrame(runs)
    tv = {t.name: t for t in settings.targets}
    rows = []
    for c in names:
        x = df[c].to_numpy(float)
        x = x[np.isfinite(x)]
        rows.append({"statistic": c, "role": "target" if c in tv else "held out",
                     "target": tv[c].value if c in tv else math.nan,
                     "band_low": tv[c].value - tv[c].scale if c in tv else math.nan,
                     "band_high": tv[c].value + tv[c].scale if c in tv else math.nan,
                     "mean": float(x.mean()) if x.size else math.nan,
                     "p05": float(np.quantile(x, 0.05)) if x.size else math.nan,
                     "p95": float(np.quantile(x, 0.95)) if x.size else math.nan, "runs": int(x.size)})
    return pd.DataFrame(rows)


def statistic_text(name: str, lang: str = "en") -> str:
    """What the statistic ``name`` of :data:`STATISTICS` is, in ``lang``."""
    from consultsim.i18n import tr

    return STATISTICS[name][1] if lang == "en" else tr(f"cal.stat.{name}", lang)


def report_markdown(settings: Settings, gens: pd.DataFrame, params: pd.DataFrame, *, seconds: float,
                    workers: int, quick: bool, check: pd.DataFrame | None = None, figure: str = "",
                    resumed_from: int = 0, stopped: str = "", lang: str = "en") -> str:
    """calibration.md: settings, targets, held-out patterns, epsilon schedule and ESS, posterior vs prior
    (in ``lang``; the tables' values and the identifiers stay as they are)."""
    from consultsim.i18n import tr

    def t_(key: str, **kw: Any) -> str:
        return tr(f"cal.{key}", lang, **kw)

    def v_(verdict_en: str) -> str:  # the verdicts and roles are data (posterior.csv); translated for reading
        return tr(f"cal.verdict.{verdict_en}", lang)

    to = t_("to")
    s = settings
    sims = int(gens["simulations"].sum()) if len(gens) else 0
    lines = [t_("title", quick=t_("quick") if quick else ""), "",
             t_("intro", params=len(s.parameters), targets=len(s.targets), households=s.households, steps=s.steps,
                population=s.population, gens=len(gens), sims=sims)
             + (t_("replicates", k=s.replicates, runs=sims * s.replicates) if s.replicates > 1 else "")
             + (t_("intro_time", seconds=seconds, workers=workers,
                   per=seconds * workers / max(sims * s.replicates, 1))
                if not resumed_from else t_("intro_resumed", last=resumed_from - 1, seconds=seconds, workers=workers))
             + t_("settings", path=s.path)
             + (" " + t_(f"stopped.{stopped}", min_epsilon=s.min_epsilon, min_acceptance=s.min_acceptance,
                         max_runs=s.max_runs, generations=s.generations, max_minutes=s.max_minutes)
                if stopped else ""), "",
             t_("targets"), "", t_("targets_head"), "|---|---|---|---|---|"]
    for t in s.targets:
        lines.append(f"| {t.name} | {statistic_text(t.name, lang)} | {t.value:g} | {t.scale:g} | {t.source} |")
    lines += ["", t_("held_out"), "",
              *[f"- {h}: {statistic_text(h, lang)}" for h in s.held_out], "",
              t_("schedule"), "",
              t_("schedule_head"), "|---|---|---|---|---|---|"]
    for g in gens.itertuples():
        lines.append(f"| {g.generation} | {g.epsilon:.3f} | {g.particles} | {g.simulations} | "
                     f"{g.acceptance_rate:.1%} | {g.ess:.1f} |")
    lines += ["", t_("posterior"), "",
              t_("width_note", constrained=CONSTRAINED, min_ess=MIN_ESS,
                 ess=params['ess'].iloc[0] if len(params) else 0), "",
              t_("params_head"),
              "|---|---|---|---|---|---|---|"]
    for r in params.itertuples():
        lines.append(f"| {r.parameter} | {r.prior_low:g} {to} {r.prior_high:g} | {r.default:g} | "
                     f"{r.posterior_mean:.4g} | {r.q05:.4g} {to} {r.q95:.4g} | {r.width_ratio:.2f} | "
                     f"{v_(r.verdict)} |")
    if figure:
        lines += ["", f"![{t_('figure')}]({figure})"]
    if check is not None and len(check):
        lines += ["", t_("check"), "",
                  t_("check_note"), "",
                  t_("check_head"), "|---|---|---|---|---|"]
        for r in check.itertuples():
            tgt = (f"{r.target:.3g} ({r.band_low:.3g} {to} {r.band_high:.3g})" if math.isfinite(r.target) else "")
            lines.append(f"| {r.statistic} | {tr(f'cal.role.{r.role}', lang)} | {tgt} | {r.mean:.3g} | "
                         f"{r.p05:.3g} {to} {r.p95:.3g} |")
    return "\n".join(lines) + "\n"
