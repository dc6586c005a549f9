"""How robust are the lever conclusions? Three checks, all run through the sweep machinery.

1. **Plausible worlds** (:func:`run_worlds`). The uncertain parameters
   (:func:`consultsim.core.params.uncertainties`) are drawn over their plausible ranges by a Latin
   hypercube (McKay, Beckman & Conover 1979); in each world, and with the same seeds, the baseline and
   every shipped lever scenario or package are run (common random numbers: the paired difference is the
   lever's effect in that world). For each lever and each of its target outcomes (declared once, in
   :data:`TARGETS`, with the sign the cited mechanism predicts; for a user's own package, derived from
   the levers it moves, :func:`package_targets`) the result is the share of worlds in
   which the effect has the predicted sign, with a Wilson score interval (Wilson 1927; Newcombe 1998),
   and the median effect over worlds with a distribution-free interval from order statistics
   (Conover 1999, section 3.2). A parameter with neither a plausible range nor a source is varied by
   :data:`FALLBACK_SPREAD` around its default (within its allowed range), and the output says which.
2. **Gradualness on a lever grid** (:func:`run_grid`): each numeric lever on an evenly spaced grid of
   nine values (:data:`GRID`), its target outcomes at each value, and the check "no step between
   neighbours exceeds a quarter of the response's whole range" (:func:`gradualness`).
3. **One at a time** (:func:`run_oat`): each uncertain parameter at -20% and +20% of its default
   (within its allowed range); how much each headline outcome moves relative to its baseline value,
   flagged when it moves by more than twice the parameter's relative change (:func:`oat_elasticity`).

Runs go through :func:`consultsim.sweeps.runner.run_sweep` (samplers, executors, storage, resume);
the model functions below (:func:`end_model`, :func:`worlds_model`, :func:`oat_model`) are the
sweeps' ``model`` and return one row of end values (``consultsim.analysis.compare.end_values``:
final-year means for the per-week metrics, the last week otherwise).
"""

from __future__ import annotations

import hashlib
import json
import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from consultsim.analysis.compare import FINAL_WINDOW, metric_range, t_interval
from consultsim.core.metric_names import METRICS, SHARES
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, Params, uncertainties

__all__ = ["TARGETS", "GRID", "STRUCTURES", "Structure", "structure_overrides", "STRUCTURE_OUTCOMES",
           "structures_experiment", "summarize_structures", "cannot_tell", "world_parameters", "run_structures", "plot_structures", "HEADLINE", "FALLBACK_SPREAD", "world_ranges", "lever_overrides",
           "wilson", "median_interval", "gradualness", "steps_beyond_noise", "StepCheck", "oat_elasticity", "oat_value",
           "end_model", "run_end_values", "worlds_model", "oat_model", "run_worlds", "run_grid", "run_oat",
           "summarize_worlds", "robustness_brief", "package_overrides", "package_targets", "robustness_section", "DEFAULTS"]

# Each shipped lever scenario or package -> the outcomes its mechanism acts on, with the predicted
# sign (+1 up, -1 down). The mechanisms are those of docs/ODD.md §8 (levers) and the sections cited.
TARGETS: dict[str, dict[str, int]] = {
    # points per meeting raise the attendance utility (ODD §7.3), most where time is short (the young)
    "incentives": {"participation_rate": +1, "young_share_attendees": +1},
    # the contract removes part of the manager's cost aversion (ODD §7.6)
    "pm_contract": {"implementation_rate": +1},
    # oversight raises progress and brings free riders to pay (ODD §7.6); success feeds trust (§7.7)
    "supervision": {"implementation_rate": +1, "mean_trust_committee": +1},
    # a faster cycle puts topics on the agenda sooner, before waiting erodes their salience, and settles more
    # of them within the horizon (ODD §7.2, §7.3); its committee hours are its cost, not a target (issue 16)
    "cadence": {"topics_on_agenda": +1, "resolutions": +1, "implementation_rate": +1},
    # the implementer at the table commits to the works (ODD §7.6)
    "pm_inclusion": {"implementation_rate": +1},
    # a public share of the cost means fewer payers' quotas to collect (ODD §7.6)
    "subsidy": {"implemented": +1, "implementation_rate": +1},
    # the campaign raises civic motivation and so attendance (ODD §7.3)
    "awareness": {"mean_civic": +1, "participation_rate": +1},
    # published outcomes reach those who did not attend (ODD §7.7)
    "feedback": {"mean_trust_committee": +1},
    # training raises capacity and efficacy and spreads voice (ODD §7.4, §7.8)
    "training": {"mean_capacity": +1, "mean_efficacy": +1, "voice_concentration": -1},
    # facilitation widens the confidence bound and flattens voice (ODD §7.4)
    "facilitation": {"voice_concentration": -1, "mean_consensus": +1},
    # social workers invite rare attenders and facilitate (ODD §7.3, §7.4)
    "social_workers": {"participation_rate": +1, "voice_concentration": -1},
    # the online channel cuts the time cost of the working-age (ODD §7.3)
    "online": {"participation_rate": +1, "young_share_attendees": +1},
    # packages: the fronts' aims (broad participation, resolutions carried out, trust)
    "policy": {"participation_rate": +1, "implementation_rate": +1, "mean_trust_committee": +1},
    "idea": {"participation_rate": +1, "mean_trust_committee": +1},
    "practice": {"participation_rate": +1, "voice_concentration": -1},
    "combined": {"participation_rate": +1, "implementation_rate": +1, "mean_trust_committee": +1},
}

# Single-lever scenario -> (the lever parameter, nine evenly spaced values). Booleans have two values.
GRID: dict[str, tuple[str, tuple]] = {
    "incentives": ("incentive_per_meeting", tuple(float(v) for v in np.linspace(0, 40, 9))),
    "pm_contract": ("pm_performance_contract", (False, True)),
    "supervision": ("supervision", tuple(float(v) for v in np.linspace(0, 1, 9))),
    "cadence": ("meeting_cadence_weeks", tuple(range(1, 10))),
    "pm_inclusion": ("pm_inclusion", (False, True)),
    "subsidy": ("public_subsidy", tuple(float(v) for v in np.linspace(0, 1, 9))),
    "awareness": ("awareness_campaign", tuple(float(v) for v in np.linspace(0, 1, 9))),
    "feedback": ("feedback_transparency", tuple(float(v) for v in np.linspace(0, 1, 9))),
    "training": ("training_sessions_per_quarter", tuple(range(0, 9))),
    "facilitation": ("committee_facilitation_training", (False, True)),
    "social_workers": ("social_workers", tuple(range(0, 9))),
    "online": ("online_channel", (False, True)),
}

@dataclass(frozen=True)
class Structure:
    """An alternative submodel as a scenario switch: a name, the parameter overrides that select it, and
    where it comes from (the model's own default first)."""

    name: str
    overrides: Mapping[str, Any]
    source: str


# The structures a reviewer would name; ``consultsim robustness --structures`` runs the packages under each.
STRUCTURES: list[Structure] = [
    Structure("default", {}, "the model as built (docs/ODD.md): bounded-confidence meetings (Hegselmann & Krause "
              "2002), linear complaints, trust judging preference and procedure (Tyler 1990)"),
    Structure("friedkin_johnsen", {"meeting_kernel": "friedkin_johnsen"},
              "meetings without a confidence bound: voice-weighted averaging with anchoring (DeGroot 1974; "
              "Friedkin & Johnsen 1990, 1999)"),
    Structure("deffuant", {"meeting_kernel": "deffuant"},
              "meetings in random pairs within the bound (Deffuant, Neau, Amblard & Weisbuch 2000)"),
    Structure("saturating_complaints", {"complaint_curve": "saturating"},
              "hotline calls about one outcome level off with the audience (repeat callers); assumption"),
    Structure("outcomes_only_trust", {"trust_judges": "outcomes_only"},
              "trust learns only whether one's preference won, not whether one was heard (the instrumental "
              "alternative to Tyler 1990)"),
]


def structure_overrides(name: str) -> dict[str, Any]:
    """The overrides that select the structure ``name`` (KeyError for an unknown one)."""
    for st in STRUCTURES:
        if st.name == name:
            return dict(st.overrides)
    raise KeyError(name)


# Headline baseline outcomes of the one-at-a-time check.
HEADLINE = ("participation_rate", "implementation_rate", "mean_trust_committee", "mean_efficacy")

# A parameter without a plausible range is varied by this share around its default (within lo/hi).
FALLBACK_SPREAD = 0.2
OAT_CHANGE = 0.2
GRID_STEP_LIMIT = 0.25   # largest neighbour step, as a share of the response's whole range
OAT_LIMIT = 2.0          # largest |relative change of outcome| / |relative change of parameter|
LEVEL = 0.95

# Defaults chosen so that each check fits its time budget on two cores at 1,000 households
# (measured: docs/validation.md, "Robustness of the lever conclusions").
DEFAULTS = {
    "worlds": {"worlds": 200, "replicates": 3, "steps": 104, "households": 1000, "seed": 20260801},
    "grid": {"replicates": 60, "steps": 104, "households": 1000, "seed": 20260802},
    "oat": {"replicates": 20, "steps": 104, "households": 1000, "seed": 20260803},
}


# --------------------------------------------------------------------------- arithmetic

def wilson(k: int, n: int, level: float = LEVEL) -> tuple[float, float]:
    """Wilson score interval for a proportion k/n (Wilson 1927; Newcombe 1998, method 3)."""
    if n <= 0:
        return math.nan, math.nan
    z = float(stats.norm.ppf(0.5 + level / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    # at k = 0 and k = n the bounds are exactly 0 and 1 (rounding would put them a hair inside)
    return (0.0 if k == 0 else centre - half), (1.0 if k == n else centre + half)


def median_interval(x: Iterable[float], level: float = LEVEL) -> tuple[float, float, float]:
    """Median and a distribution-free interval from order statistics (Conover 1999, section 3.2):
    the ranks r and n + 1 - r with r the largest rank such that P(Binomial(n, 1/2) < r) <= (1 - level)/2.
    NaN bounds when n is too small for the level (n < 6 at 95%)."""
    v = np.sort(np.asarray([a for a in x if not math.isnan(a)], dtype=float))
    n = v.size
    if n == 0:
        return math.nan, math.nan, math.nan
    med = float(np.median(v))
    alpha = (1 - level) / 2
    r = int(stats.binom.ppf(alpha, n, 0.5))  # P(B <= r) >= alpha; step back until P(B < r) <= alpha
    while r > 0 and stats.binom.cdf(r - 1, n, 0.5) > alpha:
        r -= 1
    if r < 1:
        return med, math.nan, math.nan
    return med, float(v[r - 1]), float(v[n - r])


@dataclass(frozen=True)
class Gradualness:
    max_step: float        # largest |difference| between neighbouring grid means
    at: int                # index of the grid value where that step starts
    whole_range: float     # max - min of the grid means
    ratio: float           # max_step / whole_range
    status: str            # "pass", "fail", "flat" (no difference beyond run-to-run noise) or "undefined"
    clear: bool = False    # a fail whose step exceeds the limit even at the near end of its 95% interval


def gradualness(y: np.ndarray, limit: float = GRID_STEP_LIMIT, level: float = LEVEL) -> Gradualness:
    """Check a response on a grid: ``y`` has one row per grid value and one column per replicate
    (replicate r with the same seed at every value). ``fail`` when a neighbour step exceeds
    ``limit`` times the whole range of the means; ``flat`` when Friedman's test (replicates as blocks)
    finds no difference among the grid values at the 5% level (no effect whose shape could be judged).
    A fail is ``clear`` when the step's paired 95% interval lies beyond the limit, not only its mean."""
    y = np.asarray(y, dtype=float)
    if np.isnan(y).all(axis=1).sum() > y.shape[0] - 2:  # the outcome is undefined (e.g. no resolutions)
        return Gradualness(math.nan, 0, math.nan, math.nan, "undefined")
    with np.errstate(all="ignore"):
        means = np.nanmean(y, axis=1)
    steps = np.abs(np.diff(means))
    whole = float(np.nanmax(means) - np.nanmin(means))
    k = int(np.nanargmax(steps))
    ratio = float(steps[k] / whole) if whole > 0 else math.nan
    if whole == 0 or _friedman_p(y) > 1 - level:
        status = "flat"
    else:
        status = "fail" if ratio > limit else "pass"
    clear = False
    if status == "fail":  # the step paired by seed: is even its near bound beyond the limit?
        m, lo, hi, _ = t_interval(y[k + 1] - y[k], level)
        clear = bool((lo if m > 0 else -hi) > limit * whole)
    return Gradualness(float(steps[k]), k, whole, ratio, status, clear)


@dataclass(frozen=True)
class StepCheck:
    max_excess: float      # largest (|step| - 2 SE - limit x range) over neighbours; > 0 fails
    at: int                # index of the grid value where the worst step starts
    step: float            # that step's size (difference of means)
    se: float              # its paired standard error
    whole_range: float     # max - min of the grid means
    ok: bool
    largest: float = math.nan     # the largest |step| between neighbours (whatever its noise)
    largest_at: int = 0


def steps_beyond_noise(y: np.ndarray, limit: float = GRID_STEP_LIMIT) -> StepCheck:
    """Issue 16's gradualness rule on a grid: ``y`` has one row per grid value and one column per
    paired seed. It fails when some step between neighbouring means exceeds ``limit`` times the whole
    range of the means by more than twice the step's standard error (the sd of the per-seed differences
    over sqrt(seeds); seeds missing at either value are left out of that step)."""
    import warnings

    y = np.asarray(y, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a grid value with no defined run: NaN
        means = np.nanmean(y, axis=1)
    if np.isnan(means).sum() > len(means) - 2:
        return StepCheck(math.nan, 0, math.nan, math.nan, math.nan, True)
    whole = float(np.nanmax(means) - np.nanmin(means))
    worst = (-math.inf, 0, math.nan, math.nan)
    big = (math.nan, 0)
    for k in range(len(means) - 1):
        d = y[k + 1] - y[k]
        d = d[~np.isnan(d)]
        if d.size < 2:
            continue
        step, se = float(d.mean()), float(d.std(ddof=1) / math.sqrt(d.size))
        if not abs(step) <= abs(big[0]):
            big = (step, k)
        excess = abs(step) - 2 * se - limit * whole
        if excess > worst[0]:
            worst = (excess, k, step, se)
    excess, k, step, se = worst
    return StepCheck(float(excess), k, step, se, whole, bool(not excess > 0), big[0], big[1])


def _friedman_p(y: np.ndarray) -> float:
    """p-value of Friedman's test that the grid values do not differ (replicates as blocks, so the
    common seeds pair the runs; Friedman 1937); 1 when it cannot be computed (e.g. all values tied)."""
    y = y[:, ~np.isnan(y).any(axis=0)]
    if y.shape[1] < 2:
        return 1.0
    with np.errstate(all="ignore"):
        try:
            p = float(stats.friedmanchisquare(*y).pvalue)
        except ValueError:
            return 1.0
    return 1.0 if math.isnan(p) else p


def oat_value(name: str, default: float, factor: float) -> float | int:
    """``default * factor`` kept within the parameter's allowed range (rounded for an integer)."""
    f = PARAM_INFO[name]
    lo, hi = f.metadata["lo"], f.metadata["hi"]
    x = default * factor
    if lo is not None:
        x = min(max(x, lo), hi)
    return int(round(x)) if _kind(name) == "int" else float(x)


def oat_elasticity(x0: float, x1: float, y0: float, y1: float, limit: float = OAT_LIMIT) -> dict:
    """Relative changes of a parameter (x0 -> x1) and an outcome (y0 -> y1), their ratio, and the flag
    "the outcome moved by more than ``limit`` times the parameter's relative change"."""
    rel_x = (x1 - x0) / abs(x0) if x0 else math.nan
    rel_y = (y1 - y0) / abs(y0) if y0 else math.nan
    ratio = rel_y / rel_x if rel_x and not math.isnan(rel_x) else math.nan
    return {"rel_param": rel_x, "rel_outcome": rel_y, "elasticity": ratio,
            "flagged": bool(abs(rel_y) > limit * abs(rel_x)) if not (math.isnan(rel_x) or math.isnan(rel_y))
            else False}


# --------------------------------------------------------------------------- the worlds

def _mean(x) -> float:
    """Mean of the defined values; NaN (without a warning) when there are none."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    return float(x.mean()) if x.size else math.nan


def _kind(name: str) -> str:
    t = PARAM_INFO[name].type
    return t if isinstance(t, str) else t.__name__


def world_ranges() -> tuple[dict[str, tuple[float, float, bool]], list[str]]:
    """The uncertain parameters with the range the worlds draw from (low, high, integer), and the names
    of those varied by the :data:`FALLBACK_SPREAD` fallback because they have no plausible range yet.

    Uncertain = not a lever, not the community's size or layout, not descriptive, numeric. A parameter
    without a plausible range but with a ``source`` is fixed by that source (e.g. the Civil Code's
    voting thresholds) and is not varied; one with neither gets the fallback. A fallback integer
    range that rounds to a single value is left out (it cannot vary by 20%)."""
    plausible = uncertainties()
    default = Params()
    out: dict[str, tuple[float, float, bool]] = {}
    fallback = []
    for name, f in PARAM_INFO.items():
        m = f.metadata
        if m["section"] in LEVER_SECTIONS or m["section"] == "community" or m["descriptive"]:
            continue
        kind = _kind(name)
        if kind not in ("int", "float"):
            continue
        if name in plausible:
            lo, hi = plausible[name]
        elif m["source"]:
            continue
        else:
            x = getattr(default, name)
            lo, hi = sorted((x * (1 - FALLBACK_SPREAD), x * (1 + FALLBACK_SPREAD)))
            if m["lo"] is not None:
                lo, hi = max(lo, m["lo"]), min(hi, m["hi"])
        if kind == "int":
            lo, hi = math.ceil(lo - 1e-9), math.floor(hi + 1e-9)
        if not lo < hi:
            continue
        out[name] = (float(lo), float(hi), kind == "int")
        if name not in plausible:
            fallback.append(name)
    return out, fallback


def _scenario(name: str):
    from consultsim.running.scenarios import resolve_scenario
    return resolve_scenario(name)


def lever_overrides(name: str, reference: str = "baseline") -> dict[str, Any]:
    """What the scenario ``name`` changes relative to ``reference``: {parameter: value}."""
    a, b = _scenario(name).params.to_dict(), _scenario(reference).params.to_dict()
    return {k: v for k, v in a.items() if v != b[k]}


def package_overrides(scenario) -> tuple[dict[str, Any], list[str]]:
    """A user's own package (a scenario file, a Scenario): the lever parameters (sections
    :data:`~consultsim.core.params.LEVER_SECTIONS`) it sets differently from the baseline, and the names of
    the other parameters it changes (its community, costs...), which the worlds check does not take: every
    arm runs in the check's own community, so that the effect is the package's and not a size's."""
    from consultsim.running.scenarios import resolve_scenario

    a, b = resolve_scenario(scenario).params.to_dict(), _scenario("baseline").params.to_dict()
    changed = {k: v for k, v in a.items() if v != b[k]}
    levers = {k: v for k, v in changed.items() if PARAM_INFO[k].metadata["section"] in LEVER_SECTIONS}
    return levers, sorted(set(changed) - set(levers))


def _direction(value: Any, reference: Any) -> int:
    d = float(value) - float(reference)
    return (d > 0) - (d < 0)


def package_targets(overrides: Mapping[str, Any]) -> dict[str, int]:
    """The outcomes a package that sets ``overrides`` is predicted to move, and the sign: for each lever
    parameter it changes, the targets of the shipped single lever that moves that parameter (:data:`GRID`,
    :data:`TARGETS`: the cited mechanism), times +1 if the package moves it the same way as the shipped
    lever does and -1 if the other way (less supervision predicts lower implementation). A target that two of
    its levers predict in opposite directions has no prediction and is left out; a parameter no single
    lever moves (e.g. leader_reach) adds no target."""
    base = _scenario("baseline").params.to_dict()
    votes: dict[str, set[int]] = {}
    for lev, (param, _) in GRID.items():
        if param not in overrides:
            continue
        mine = _direction(overrides[param], base[param])
        shipped = _direction(lever_overrides(lev).get(param, base[param]), base[param])
        if not mine or not shipped:
            continue
        for target, sign in TARGETS[lev].items():
            votes.setdefault(target, set()).add(sign * mine * shipped)
    return {t: next(iter(v)) for t, v in votes.items() if len(v) == 1}


def _arm(lev: str, packages: Mapping[str, Mapping] | None) -> dict[str, Any]:
    return dict(packages[lev]["overrides"]) if packages and lev in packages else lever_overrides(lev)


def _targets(lev: str, packages: Mapping[str, Mapping] | None) -> dict[str, int]:
    return dict(packages[lev]["targets"]) if packages and lev in packages else TARGETS[lev]


def _params_hash(*objs: Any) -> str:
    blob = json.dumps(objs, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:12]


def end_model(scenario, *, seed: int, steps: int = 104, overrides: Mapping[str, Any] | None = None,
              collect_every: int | None = None) -> pd.DataFrame:
    """A sweep model: one run, one row of end values of every metric (``step`` = the last week).
    Keys of ``overrides`` starting with "_" label the run and are not parameters."""
    from consultsim.running.runner import simulate

    ov = {k: v for k, v in dict(overrides or {}).items() if not k.startswith("_")}
    res = simulate(scenario, seed=seed, steps=steps, overrides=ov)
    return pd.DataFrame([run_end_values(res.timeseries)])


def run_end_values(ts: pd.DataFrame) -> dict[str, float]:
    """The end values of one run's weekly time series, as :func:`consultsim.analysis.compare.end_values`
    defines them (the mean over the last ``FINAL_WINDOW`` weeks where so declared, else the last week),
    computed directly in numpy (pandas' groupby costs more than the run itself at 1,000 households)."""
    step = ts["step"].to_numpy()
    last = int(step.max())
    at = int(np.argmax(step == last))
    out: dict[str, float] = {"step": last}
    for m in METRICS:
        col = ts[m].to_numpy(dtype=float)
        w = FINAL_WINDOW.get(m)
        if w:
            recent = col[step > last - w]
            ok = recent[~np.isnan(recent)]
            out[m] = float(ok.mean()) if ok.size else math.nan
        else:
            out[m] = float(col[at])
    return out


def worlds_model(scenario, *, seed: int, steps: int = 104, overrides: Mapping[str, Any] | None = None,
                 collect_every: int | None = None) -> pd.DataFrame:
    """A sweep model: in one world (the uncertain parameters in ``overrides``) run the reference and each
    arm of ``overrides["_arms"]`` (JSON: {arm: {parameter: value}}) with the same seed; one row with a
    column ``"arm:metric"`` per arm and metric."""
    ov = dict(overrides or {})
    arms = json.loads(ov.pop("_arms"))
    world = {k: v for k, v in ov.items() if not k.startswith("_")}
    # a world drawn from a calibration's posterior (worlds file): its calibrated parameters
    world.update({k: v for k, v in json.loads(ov.get("_world") or "{}").items() if not k.startswith("_")})
    if ov.get("_structure"):  # an alternative submodel (STRUCTURES)
        world.update(structure_overrides(ov["_structure"]))
    row: dict[str, Any] = {}
    for arm, lever in arms.items():
        one = end_model(scenario, seed=seed, steps=steps, overrides={**world, **lever}).iloc[0]
        row["step"] = int(one["step"])
        row.update({f"{arm}:{m}": float(one[m]) for m in METRICS})
    return pd.DataFrame([row])


def oat_model(scenario, *, seed: int, steps: int = 104, overrides: Mapping[str, Any] | None = None,
              collect_every: int | None = None) -> pd.DataFrame:
    """A sweep model: the scenario with ``overrides["_vary"]`` (a parameter, or "" for none) set to
    ``_factor`` times its value (:func:`oat_value`); the end values and the value used (``value``)."""
    ov = dict(overrides or {})
    vary, factor = ov.pop("_vary"), float(ov.pop("_factor"))
    value = math.nan
    if vary:
        value = oat_value(vary, getattr(scenario.params, vary), factor)
        ov[vary] = value
    out = end_model(scenario, seed=seed, steps=steps, overrides=ov)
    out["value"] = float(value)
    return out


# --------------------------------------------------------------------------- running the sweeps

def _experiment(name: str, model: str, scenario, *, seed: int, replicates: int, steps: int, metrics,
                method: str, sampler: dict, varied, constants: dict):
    from consultsim.sweeps.experiments import Experiment

    # The scenario's values are not in a custom model's fingerprint: add their hash, so that resuming
    # after a scenario file changed is refused instead of mixing two models' runs.
    constants = {**constants, "_scenario": _params_hash(scenario.params.to_dict())}
    return Experiment(name=name, description="", path=None, model=model, scenario=scenario, seed=int(seed),
                      replicates=int(replicates), steps=int(steps), metrics=tuple(metrics),
                      collect_every=None, method=method, sampler=sampler, varied=tuple(varied),
                      constants=constants, seeds="common", runs_per_file=200)


def worlds_experiment(levers: Sequence[str], *, worlds: int, replicates: int, steps: int, households: int,
                      seed: int, posterior: pd.DataFrame | None = None, structures: Sequence[str] | None = None,
                      packages: Mapping[str, Mapping] | None = None):
    """The plausible-worlds experiment: LHS over :func:`world_ranges`, each row runs every arm.

    With ``posterior`` (a calibration's worlds file, :func:`consultsim.analysis.calibration.read_worlds`)
    the calibrated parameters are not drawn from their plausible ranges: ``worlds`` draws from the
    posterior by weight, each used by one world (the LHS stratifies over them), while every other
    uncertain parameter (the lever effect sizes among them) is drawn from its prior as before. With
    ``structures`` (names in :data:`STRUCTURES`) each world also runs under one structure, the LHS
    spreading the worlds evenly over them. ``packages``: a user's own packages by label,
    {"overrides": {...}, "targets": {...}} (:func:`package_overrides`, :func:`package_targets`)."""
    from consultsim.sweeps.experiments import ParamSpec

    ranges, _ = world_ranges()
    varied = [ParamSpec(n, "range", low=lo, high=hi, integer=integer) for n, (lo, hi, integer) in ranges.items()]
    if posterior is not None:
        from consultsim.analysis.calibration import draw_worlds

        draws = draw_worlds(posterior, worlds, seed)
        fitted = set(draws[0])
        varied = [v for v in varied if v.name not in fitted]
        varied.append(ParamSpec("_world", "values", values=tuple(
            json.dumps({"_draw": i, **d}, sort_keys=True) for i, d in enumerate(draws))))
    if structures:
        varied.append(ParamSpec("_structure", "values", values=tuple(structures)))
    arms = {"baseline": {}, **{lev: _arm(lev, packages) for lev in levers}}
    metrics = [f"{arm}:{m}" for arm in arms for m in sorted({t for lev in levers for t in _targets(lev, packages)})]
    return _experiment("robustness_worlds", "consultsim.analysis.robustness:worlds_model", _scenario("baseline"),
                       seed=seed, replicates=replicates, steps=steps, metrics=metrics, method="lhs",
                       sampler={"n": int(worlds)}, varied=varied,
                       constants={"n_residents": int(households), "_arms": json.dumps(arms, sort_keys=True)})


def summarize_worlds(results: pd.DataFrame, levers: Sequence[str], level: float = LEVEL,
                     packages: Mapping[str, Mapping] | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """From the worlds sweep's tidy results: (summary, effects).

    ``effects``: one row per lever, target and world: the effect (lever minus baseline, mean over the
    world's replicates) and the baseline's value. ``summary``: one row per lever and target: worlds
    where the effect has the predicted sign (``holds``) of ``n_worlds`` (worlds where the outcome is
    defined in both arms), the share with its Wilson interval, worlds where the lever changes nothing
    (``no_change``: an exact zero counts as not holding), the median effect with its interval."""
    last = results[results["step"] == results.groupby("run_id")["step"].transform("max")]
    world = last["sample_id"]
    eff_rows, rows = [], []
    for lev in levers:
        for target, sign in _targets(lev, packages).items():
            # paired within each run (same world, same seed), then averaged over the world's seeds
            paired = last[f"{lev}:{target}"] - last[f"baseline:{target}"]
            d = paired.groupby(world).mean()
            base = last[f"baseline:{target}"].where(paired.notna()).groupby(world).mean()
            ok = d.notna()
            for w in d.index[ok]:
                eff_rows.append((lev, target, int(w), float(d[w]), float(base[w])))
            dv = d[ok].to_numpy(float)
            n = int(dv.size)
            holds = int((np.sign(dv) == sign).sum())
            zero = int((dv == 0).sum())
            lo, hi = wilson(holds, n, level)
            med, mlo, mhi = median_interval(dv, level)
            bmed = float(np.nanmedian(base[ok])) if n else math.nan
            rows.append({"lever": lev, "target": target, "predicted": "+" if sign > 0 else "-",
                         "holds": holds, "n_worlds": n, "share": holds / n if n else math.nan,
                         "no_change": zero,
                         "share_low": lo, "share_high": hi, "median_effect": med, "median_low": mlo,
                         "median_high": mhi, "baseline_median": bmed})
    return pd.DataFrame(rows), pd.DataFrame(eff_rows, columns=["lever", "target", "world", "effect", "baseline"])


def grid_experiment(lever: str, *, replicates: int, steps: int, households: int, seed: int):
    from consultsim.sweeps.experiments import ParamSpec

    param, values = GRID[lever]
    return _experiment(f"robustness_grid_{lever}", "consultsim.analysis.robustness:end_model", _scenario(lever),
                       seed=seed, replicates=replicates, steps=steps, metrics=list(TARGETS[lever]),
                       method="grid", sampler={}, varied=[ParamSpec(param, "values", values=values)],
                       constants={"n_residents": int(households)})


def summarize_grid(results: pd.DataFrame, lever: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(check, curve): per target the gradualness check; per target and grid value the mean and 95% band."""
    param, values = GRID[lever]
    last = results[results["step"] == results.groupby("run_id")["step"].transform("max")]
    rows, curve = [], []
    for target, sign in TARGETS[lever].items():
        y = last.pivot_table(index="sample_id", columns="replicate", values=target, dropna=False)
        y = y.reindex(range(len(values))).to_numpy(float)
        a, b = metric_range(target)
        for i, v in enumerate(values):
            m, lo, hi, n = t_interval(y[i])
            lo, hi = max(lo, a), min(hi, b)
            curve.append({"lever": lever, "parameter": param, "target": target, "value": float(v),
                          "mean": m, "ci_low": lo, "ci_high": hi, "n": n})
        if len(values) < 3:
            d = y[1] - y[0]
            m, lo, hi, n = t_interval(d)
            rows.append({"lever": lever, "parameter": param, "target": target, "predicted": "+" if sign > 0 else "-",
                         "grid": "off/on", "effect": m, "whole_range": abs(m), "max_step": abs(m),
                         "step_at": f"{values[0]}->{values[1]}", "ratio": math.nan,
                         "status": "switch", "clear": False})
            continue
        g = gradualness(y)
        rows.append({"lever": lever, "parameter": param, "target": target, "predicted": "+" if sign > 0 else "-",
                     "grid": f"{values[0]:g}..{values[-1]:g}",
                     "effect": _mean(y[-1]) - _mean(y[0]), "whole_range": g.whole_range,
                     "max_step": g.max_step, "step_at": f"{values[g.at]:g}->{values[g.at + 1]:g}",
                     "ratio": g.ratio, "status": g.status, "clear": g.clear})
    return pd.DataFrame(rows), pd.DataFrame(curve)


def oat_experiment(*, replicates: int, steps: int, households: int, seed: int):
    from consultsim.sweeps.experiments import ParamSpec

    ranges, _ = world_ranges()
    names = ("", *ranges)
    return _experiment("robustness_oat", "consultsim.analysis.robustness:oat_model", _scenario("baseline"),
                       seed=seed, replicates=replicates, steps=steps, metrics=[*HEADLINE, "value"],
                       method="grid", sampler={},
                       varied=[ParamSpec("_vary", "values", values=names),
                               ParamSpec("_factor", "values", values=(1 - OAT_CHANGE, 1 + OAT_CHANGE))],
                       constants={"n_residents": int(households)})


def summarize_oat(results: pd.DataFrame, level: float = LEVEL) -> pd.DataFrame:
    """One row per parameter, direction and headline outcome: relative changes, elasticity, the flag
    (point estimate beyond the limit), the 95% interval of the outcome's relative change (paired by
    replicate) and ``clear`` (the whole interval beyond the limit)."""
    base = Params()
    last = results[results["step"] == results.groupby("run_id")["step"].transform("max")]
    ref = last[last["_vary"] == ""].groupby("replicate")[list(HEADLINE)].mean()
    rows = []
    for (name, factor), g in last[last["_vary"] != ""].groupby(["_vary", "_factor"], sort=False):
        g = g.set_index("replicate").sort_index()
        x0, x1 = float(getattr(base, name)), float(g["value"].iloc[0])
        for m in HEADLINE:
            common = g.index.intersection(ref.index)
            a, b = g.loc[common, m].to_numpy(float), ref.loc[common, m].to_numpy(float)
            ok = ~(np.isnan(a) | np.isnan(b))
            y0, y1 = _mean(b[ok]), _mean(a[ok])
            e = oat_elasticity(x0, x1, y0, y1)
            _, lo, hi, _ = t_interval(a[ok] - b[ok], level)
            rlo, rhi = (lo / abs(y0), hi / abs(y0)) if y0 else (math.nan, math.nan)
            bound = OAT_LIMIT * abs(e["rel_param"])
            # "clear": even the near end of the 95% interval moves by more than the limit
            clear = bool(e["flagged"] and (rlo > bound or rhi < -bound))
            rows.append({"parameter": name, "change": f"{factor - 1:+.0%}", "default": x0, "value": x1,
                         "outcome": m, "baseline": y0, "changed": y1, **e, "clear": clear,
                         "rel_outcome_low": rlo, "rel_outcome_high": rhi})
    return pd.DataFrame(rows)


def _sweep(exp, out: Path, *, workers, executor, resume, progress, pool=None):
    from consultsim.sweeps import load_results
    from consultsim.sweeps.runner import run_sweep

    # one run per task: each of these runs takes long next to a task's overhead (and the bar moves)
    summary = run_sweep(exp, out, executor=executor, workers=workers, resume=resume, progress=progress,
                        pool=pool, chunksize=1)
    return summary, load_results(out)


def run_worlds(out: str | Path, levers: Sequence[str] | None = None, *, worlds: int, replicates: int,
               steps: int, households: int, seed: int, workers: int | None = None, executor: str = "process",
               resume: bool = False, progress: bool = True, posterior: pd.DataFrame | None = None,
               structures: Sequence[str] | None = None, packages: Mapping[str, Mapping] | None = None) -> dict:
    """Run the plausible-worlds check into ``out``/worlds; return the tables and the run's facts
    (``posterior``, ``structures``: see :func:`worlds_experiment`)."""
    import time

    levers = list(levers or TARGETS)
    t0 = time.perf_counter()
    exp = worlds_experiment(levers, worlds=worlds, replicates=replicates, steps=steps, households=households,
                            seed=seed, posterior=posterior, structures=structures, packages=packages)
    sweep, results = _sweep(exp, Path(out) / "worlds", workers=workers, executor=executor, resume=resume,
                            progress=progress)
    summary, effects = summarize_worlds(results, levers, packages=packages)
    _, fallback = world_ranges()
    if posterior is not None:
        fallback = [f for f in fallback if f not in posterior.columns]
    return {"summary": summary, "effects": effects, "fallback": fallback, "failed": sweep.failed,
            "world_params": world_parameters(results),
            "n_uncertain": len([v for v in exp.varied if not v.name.startswith("_")])
            + (len([c for c in posterior.columns if c not in ("weight", "particle")]) if posterior is not None
               else 0),
            "seconds": time.perf_counter() - t0, "sweep": sweep, "results": results}


def run_grid(out: str | Path, levers: Sequence[str] | None = None, *, replicates: int, steps: int,
             households: int, seed: int, workers: int | None = None, executor: str = "process",
             resume: bool = False, progress: bool = True) -> dict:
    """Run the lever grids into ``out``/grid/<lever> (one pool for all); return the check and the curves."""
    import time

    from consultsim.running.executors import make_executor

    levers = [lev for lev in (levers or GRID) if lev in GRID]
    t0 = time.perf_counter()
    checks, curves, failed = [], [], 0
    with make_executor(executor, workers) as pool:
        for lev in levers:
            exp = grid_experiment(lev, replicates=replicates, steps=steps, households=households, seed=seed)
            sweep, results = _sweep(exp, Path(out) / "grid" / lev, workers=workers, executor=executor,
                                    resume=resume, progress=progress, pool=pool)
            failed += sweep.failed
            c, k = summarize_grid(results, lev)
            checks.append(c)
            curves.append(k)
    return {"check": pd.concat(checks, ignore_index=True), "curve": pd.concat(curves, ignore_index=True),
            "failed": failed, "seconds": time.perf_counter() - t0}


def run_oat(out: str | Path, *, replicates: int, steps: int, households: int, seed: int,
            workers: int | None = None, executor: str = "process", resume: bool = False,
            progress: bool = True) -> dict:
    """Run the one-at-a-time check into ``out``/oat; return its table."""
    import time

    t0 = time.perf_counter()
    exp = oat_experiment(replicates=replicates, steps=steps, households=households, seed=seed)
    sweep, results = _sweep(exp, Path(out) / "oat", workers=workers, executor=executor, resume=resume,
                            progress=progress)
    _, fallback = world_ranges()
    return {"table": summarize_oat(results), "failed": sweep.failed, "fallback": fallback,
            "seconds": time.perf_counter() - t0}


# --------------------------------------------------------------------------- figures

def _fmt_effect(metric: str, v: float) -> str:
    if v is None or not math.isfinite(v):
        return "n/a"
    return f"{100 * v:+.1f} pts" if metric in SHARES and "mean_" not in metric else f"{v:+.3g}"


def plot_worlds(summary: pd.DataFrame, effects: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """One row per lever and target: left, the share of worlds where the effect has the predicted sign
    (Wilson 95% interval); right, the distribution of the effect over worlds, relative to the baseline's
    value in that world (box: quartiles; whiskers: 5-95%)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.core.metric_names import label

    n = len(summary)
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11.5, 0.34 * n + 1.6), sharey=True,
                                   gridspec_kw={"width_ratios": [1, 1.4]}, layout="constrained")
    y = np.arange(n)
    levers = list(dict.fromkeys(summary["lever"]))
    shade = {lev: i % 2 for i, lev in enumerate(levers)}
    names = [f"{r.lever}: {label(r.target)} ({r.predicted})" for r in summary.itertuples()]
    for ax in (ax1, ax2):
        for i, r in enumerate(summary.itertuples()):
            if shade[r.lever]:
                ax.axhspan(i - 0.5, i + 0.5, color="#f2f2f2", zorder=0)
    share = summary["share"].to_numpy(float)
    err = np.vstack([share - summary["share_low"].to_numpy(float), summary["share_high"].to_numpy(float) - share])
    colors = ["#2a7f3f" if s >= 0.9 else "#c58b00" if s >= 0.5 else "#b03a2e" for s in share]
    ax1.barh(y, share, color=colors, height=0.6, zorder=2)
    ax1.errorbar(share, y, xerr=np.nan_to_num(err), fmt="none", ecolor="#333333", elinewidth=0.9, capsize=2,
                 zorder=3)
    for i, r in enumerate(summary.itertuples()):
        ax1.text(1.02, i, f"{r.share:.0%}", va="center", fontsize=7.5)
    ax1.set_xlim(0, 1.12)
    ax1.axvline(0.5, color="#888888", lw=0.6, ls=":")
    ax1.set_xlabel("worlds where the effect has the predicted sign (share, 95% Wilson interval)", fontsize=7.5)
    data = []
    for r in summary.itertuples():
        e = effects[(effects["lever"] == r.lever) & (effects["target"] == r.target)]
        rel = (e["effect"] / e["baseline"].abs().replace(0, np.nan)).dropna().to_numpy(float)
        data.append(100 * rel if rel.size else np.array([np.nan]))
    ax2.boxplot(data, positions=y, orientation="horizontal", widths=0.55, whis=(5, 95), showfliers=False,
                medianprops={"color": "#222222"}, patch_artist=True,
                boxprops={"facecolor": "#9ecae1", "edgecolor": "#3b6e8f"})
    ax2.axvline(0, color="#888888", lw=0.8)
    ax1.set_yticks(y, names, fontsize=7.8)  # after the boxplot, which sets the shared axis' ticks
    ax1.set_ylim(n - 0.5, -0.5)  # first row on top
    ax2.set_xscale("symlog", linthresh=10)
    ax2.set_xlabel("effect, % of the baseline in the same world (symlog scale)", fontsize=7.5)
    for ax in (ax1, ax2):
        ax.tick_params(axis="x", labelsize=7.5)
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
    fig.suptitle(title or "Lever effects over plausible worlds", x=0.01, ha="left", fontsize=10.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_grid(check: pd.DataFrame, curve: pd.DataFrame, path: str | Path) -> Path:
    """Small multiples: each numeric lever's target outcomes over its grid (mean and 95% band); the
    largest step of a failing response is drawn in red; the panel title says pass, fail or flat."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.core.metric_names import label

    panels = check[check["status"] != "switch"].reset_index(drop=True)
    ncol = 4
    nrow = max(1, math.ceil(len(panels) / ncol))
    fig, axes = plt.subplots(nrow, ncol, figsize=(3.1 * ncol, 2.45 * nrow + 0.5), squeeze=False,
                             layout="constrained")
    for ax, r in zip(axes.flat, panels.itertuples()):
        c = curve[(curve["lever"] == r.lever) & (curve["target"] == r.target)]
        x, m = c["value"].to_numpy(float), c["mean"].to_numpy(float)
        scale = 100.0 if r.target in SHARES and not r.target.startswith("mean_") else 1.0
        ax.fill_between(x, scale * c["ci_low"], scale * c["ci_high"], color="#9ecae1", alpha=0.6, lw=0)
        ax.plot(x, scale * m, "o-", color="#2b5d84", ms=3, lw=1.2)
        if r.status == "fail":
            k = int(np.nanargmax(np.abs(np.diff(m))))
            ax.plot(x[k:k + 2], scale * m[k:k + 2], "-", color="#b03a2e", lw=2.2)
        ratio = f", step {r.ratio:.0%}" if isinstance(r.ratio, float) and math.isfinite(r.ratio) else ""
        status = "fail (clear)" if r.status == "fail" and r.clear else r.status
        ax.set_title(f"{r.lever}: {status}{ratio}", fontsize=8.5, loc="left",
                     color="#b03a2e" if r.status == "fail" else "#222222")
        unit = " (%)" if scale == 100 else ""
        ax.set_ylabel(textwrap.fill(label(r.target) + unit, 30), fontsize=6.8)
        ax.set_xlabel(r.parameter.replace("_", " "), fontsize=7)
        ax.tick_params(labelsize=7)
        ax.grid(color="#eeeeee", lw=0.5)
    for ax in list(axes.flat)[len(panels):]:
        ax.set_visible(False)
    fig.suptitle("Lever grids: mean of runs with 95% band; step: the largest step between neighbours as a share of "
                 f"the whole range (red: above {GRID_STEP_LIMIT:.0%}, a fail)", x=0.01, ha="left", fontsize=9.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- the report's short form

def robustness_brief(results_dir: str | Path = "results/robustness",
                     scenarios: Sequence[str] | None = None) -> list[dict]:
    """The robustness result in short: one row per lever (of ``scenarios``, if given) and target, with
    "holds in N% of worlds" and its interval, from ``results_dir``/robustness.csv; [] if there is none."""
    p = Path(results_dir) / "robustness.csv"
    if not p.is_file():
        return []
    df = pd.read_csv(p)
    if scenarios is not None:
        df = df[df["lever"].isin(list(scenarios))]
    return [{"lever": r.lever, "target": r.target, "predicted": r.predicted, "holds": int(r.holds),
             "n_worlds": int(r.n_worlds), "share": float(r.share), "share_low": float(r.share_low),
             "share_high": float(r.share_high), "median_effect": float(r.median_effect)}
            for r in df.itertuples()]


_SECTION = {
    "title": {"en": "How robust are these effects?", "zh": "这些效果是否稳健？"},
    "intro": {"en": "Share of {n} plausible worlds (the model's uncertain assumptions varied over their "
                    "ranges; each world run with and without the lever, same seeds) in which the lever moves "
                    "its target outcome in the predicted direction, with a 95% interval. Source: {src} "
                    "(run {when}; rerun consultsim robustness after the model changes).",
              "zh": "在 {n} 个合理世界中（模型中不确定的假设在其合理范围内变化；每个世界在相同随机种子下分别"
                    "运行有无该措施），该措施使目标结果朝预期方向变化的比例，附 95% 区间。来源：{src}"
                    "（运行于 {when}；模型改动后请重新运行 consultsim robustness）。"},
    "row": {"en": "{lever}: {target} {dir} in {share:.0%} of worlds (95% interval {lo:.0%} to {hi:.0%})",
            "zh": "{lever}：{target}{dir}，在 {share:.0%} 的世界中成立（95% 区间 {lo:.0%} 至 {hi:.0%}）"},
    "stale": {"en": "The robustness result in {src} was made by other code (or does not say by which); it is "
                    "not quoted here. Rerun consultsim robustness for this model.",
              "zh": "{src} 中的稳健性结果由其他版本的代码生成（或未记录版本），此处不引用。请针对当前模型重新运行 "
                    "consultsim robustness。"},
    "other_package": {"en": "{lever}: the robustness result in {src} is for another package of this name "
                            "(other lever settings); not quoted. Rerun consultsim robustness --levers with this "
                            "package's file.",
                      "zh": "{lever}：{src} 中的稳健性结果属于同名的另一个方案（措施设置不同），此处不引用。请用本方案的"
                            "文件重新运行 consultsim robustness --levers。"},
    "own": {"en": " (your package: targets predicted from the levers it moves)",
            "zh": "（自定方案：目标由其调整的措施推出）"},
    "up": {"en": "up", "zh": "上升"},
    "down": {"en": "down", "zh": "下降"},
}


def _canon(overrides: Mapping[str, Any]) -> str:
    """Lever settings in a form that survives a JSON round trip (1 and 1.0 alike)."""
    return json.dumps({k: (float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else v)
                       for k, v in overrides.items()}, sort_keys=True, default=str)


def robustness_section(labels: Sequence[str], results_dir: str | Path = "results/robustness",
                       lang: str = "en", packages: Mapping[str, Mapping[str, Any]] | None = None) -> str:
    """An HTML section for the comparison report (empty when no robustness result covers ``labels``).

    A user's own package (checked with ``consultsim robustness --levers FILE``; robustness.json records its
    lever settings) is quoted only when ``packages`` (label -> its lever settings, :func:`package_overrides`)
    shows the report's package has the same settings; a package of the same name with other settings is
    named as not covered."""
    import html

    from consultsim.running.provenance import code_identity

    rows = robustness_brief(results_dir, labels)
    if not rows:
        return ""
    try:
        own = json.loads((Path(results_dir) / "robustness.json").read_text(encoding="utf-8")).get("packages") or {}
    except (OSError, ValueError, AttributeError):
        own = {}
    other = sorted({r["lever"] for r in rows if r["lever"] in own and (
        packages is None or r["lever"] not in packages
        or _canon(packages[r["lever"]]) != _canon(own[r["lever"]].get("overrides", {})))})
    rows = [r for r in rows if r["lever"] not in other]
    lang = lang if lang in ("en", "zh") else "en"
    t = {k: v[lang] for k, v in _SECTION.items()}
    try:
        made_by = json.loads((Path(results_dir) / "robustness.json").read_text(encoding="utf-8"))["code"]["id"]
    except (OSError, ValueError, KeyError, TypeError):
        made_by = None
    if made_by != code_identity()["id"]:  # a result of other code must not be quoted as this model's
        return (f"<h2>{html.escape(t['title'])}</h2><p class='small'>"
                + html.escape(t["stale"].format(src=str(Path(results_dir) / "robustness.csv"))) + "</p>")
    if lang == "zh":
        from consultsim.i18n.terms import METRIC_ZH
        name = lambda m: METRIC_ZH.get(m, m)  # noqa: E731
    else:
        from consultsim.core.metric_names import label as name
    n = max((r["n_worlds"] for r in rows), default=0)
    items = "".join("<li>" + html.escape(t["row"].format(
        lever=r["lever"], target=name(r["target"]), dir=t["up"] if r["predicted"] == "+" else t["down"],
        share=r["share"], lo=r["share_low"], hi=r["share_high"]) + (t["own"] if r["lever"] in own else ""))
        + "</li>" for r in rows)
    items += "".join("<li>" + html.escape(t["other_package"].format(
        lever=lev, src=str(Path(results_dir) / "robustness.csv"))) + "</li>" for lev in other)
    src = html.escape(str(Path(results_dir) / "robustness.csv"))
    when = "?"
    try:
        when = json.loads((Path(results_dir) / "robustness.json").read_text(encoding="utf-8"))["created"]
    except (OSError, ValueError, KeyError):
        pass
    intro = html.escape(t["intro"].format(n=n, src="@@", when=when)).replace("@@", f"<code>{src}</code>")
    return f"<h2>{html.escape(t['title'])}</h2><p class='small'>{intro}</p><ul>{items}</ul>"


# --------------------------------------------------------------------------- structural uncertainty

STRUCTURE_OUTCOMES = ("participation_rate", "implementation_rate", "mean_trust_committee", "mean_efficacy",
                      "complaints")
STRUCTURE_DEFAULTS = {"replicates": 10, "steps": 104, "households": 1000, "seed": 20260804}


def structures_experiment(levers: Sequence[str], structures: Sequence[str], *, replicates: int, steps: int,
                          households: int, seed: int, packages: Mapping[str, Mapping] | None = None):
    """Every lever or package and the baseline under each structure, same seeds (a grid over structures)."""
    from consultsim.sweeps.experiments import ParamSpec

    arms = {"baseline": {}, **{lev: _arm(lev, packages) for lev in levers}}
    outcomes = sorted(set(STRUCTURE_OUTCOMES) | {t for lev in levers for t in _targets(lev, packages)})
    metrics = [f"{arm}:{m}" for arm in arms for m in outcomes]
    return _experiment("robustness_structures", "consultsim.analysis.robustness:worlds_model",
                       _scenario("baseline"), seed=seed, replicates=replicates, steps=steps, metrics=metrics,
                       method="grid", sampler={}, varied=[ParamSpec("_structure", "values", values=tuple(structures))],
                       constants={"n_residents": int(households), "_arms": json.dumps(arms, sort_keys=True)})


def summarize_structures(results: pd.DataFrame, levers: Sequence[str], structures: Sequence[str],
                         outcomes: Sequence[str] = STRUCTURE_OUTCOMES,
                         level: float = LEVEL) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(effects, ranks). ``effects``: per structure, lever and outcome the mean paired effect (lever minus
    baseline, same seed) with its t interval, and whether its sign is clear (interval excludes zero) and
    differs from the default structure's clear sign. ``ranks``: per structure and outcome, Kendall's tau
    (Kendall 1938; tau-b for ties) between the levers' effects under that structure and under the first
    (default) structure, and the lever ranked first under each."""
    last = results[results["step"] == results.groupby("run_id")["step"].transform("max")]
    rows = []
    for st in structures:
        g = last[last["_structure"] == st]
        for lev in levers:
            for m in outcomes:
                if f"{lev}:{m}" not in g.columns:
                    continue
                d = (g[f"{lev}:{m}"] - g[f"baseline:{m}"]).to_numpy(float)
                mean, lo, hi, n = t_interval(d[~np.isnan(d)], level) if (~np.isnan(d)).sum() >= 2 else \
                    (_mean(d), math.nan, math.nan, int((~np.isnan(d)).sum()))
                clear = int(np.sign(mean)) if (math.isfinite(lo) and (lo > 0 or hi < 0)) else 0
                rows.append({"structure": st, "lever": lev, "outcome": m, "effect": mean, "ci_low": lo,
                             "ci_high": hi, "n": n, "clear_sign": clear})
    eff = pd.DataFrame(rows)
    ref = structures[0]
    base = eff[eff["structure"] == ref].set_index(["lever", "outcome"])
    eff["default_sign"] = [int(base.loc[(r.lever, r.outcome), "clear_sign"]) for r in eff.itertuples()]
    eff["sign_flips"] = (eff["clear_sign"] * eff["default_sign"]) < 0
    eff["sign_lost"] = (eff["default_sign"] != 0) & (eff["clear_sign"] == 0)
    ranks = []
    for st in structures:
        for m in outcomes:
            a = eff[(eff["structure"] == ref) & (eff["outcome"] == m)].set_index("lever")["effect"]
            b = eff[(eff["structure"] == st) & (eff["outcome"] == m)].set_index("lever")["effect"]
            common = a.index.intersection(b.index)
            ok = [k for k in common if math.isfinite(a[k]) and math.isfinite(b[k])]
            tau = float(stats.kendalltau(a[ok], b[ok]).statistic) if len(ok) >= 3 else math.nan
            better = -1 if m in ("complaints", "voice_concentration") else 1
            top = (b[ok] * better).idxmax() if ok else ""
            ranks.append({"structure": st, "outcome": m, "kendall_tau": tau, "levers": len(ok), "first": top})
    return eff, pd.DataFrame(ranks)


def run_structures(out: str | Path, levers: Sequence[str] | None = None, structures: Sequence[str] | None = None,
                   *, replicates: int, steps: int, households: int, seed: int, workers: int | None = None,
                   executor: str = "process", resume: bool = False, progress: bool = True,
                   packages: Mapping[str, Mapping] | None = None) -> dict:
    """Run the structures check into ``out``/structures; return (effects, ranks) and the run's facts."""
    import time

    levers = list(levers or TARGETS)
    structures = list(structures or [s.name for s in STRUCTURES])
    t0 = time.perf_counter()
    exp = structures_experiment(levers, structures, replicates=replicates, steps=steps, households=households,
                                seed=seed, packages=packages)
    sweep, results = _sweep(exp, Path(out) / "structures", workers=workers, executor=executor, resume=resume,
                            progress=progress)
    eff, ranks = summarize_structures(results, levers, structures)
    return {"effects": eff, "ranks": ranks, "failed": sweep.failed, "seconds": time.perf_counter() - t0,
            "sweep": sweep}


def plot_structures(eff: pd.DataFrame, ranks: pd.DataFrame, path: str | Path, title: str = "") -> Path:
    """Left: each lever's effect on each outcome under each structure, relative to the largest |effect| of
    that outcome (dots; a cross where the clear sign flips against the default structure). Right: Kendall's
    tau of the levers' ranking against the default structure, per outcome."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.core.metric_names import label

    structures = list(dict.fromkeys(eff["structure"]))
    outcomes = list(dict.fromkeys(eff["outcome"]))
    levers = list(dict.fromkeys(eff["lever"]))
    colors = plt.get_cmap("tab10")
    fig, axes = plt.subplots(1, len(outcomes) + 1, figsize=(2.5 * len(outcomes) + 3.2, 0.3 * len(levers) + 2.2),
                             layout="constrained", gridspec_kw={"width_ratios": [1] * len(outcomes) + [1.3]})
    y = np.arange(len(levers))
    for ax, m in zip(axes, outcomes):
        e = eff[eff["outcome"] == m]
        scale = float(np.nanmax(np.abs(e["effect"]))) or 1.0
        for k, st in enumerate(structures):
            s = e[e["structure"] == st].set_index("lever").reindex(levers)
            off = (k - (len(structures) - 1) / 2) * 0.13
            ax.scatter(s["effect"] / scale, y + off, s=14, color=colors(k), label=st, zorder=3,
                       marker="o")
            flip = s["sign_flips"].fillna(False).to_numpy(bool)
            ax.scatter((s["effect"] / scale)[flip], (y + off)[flip], s=60, marker="x", color="#b03a2e", zorder=4)
        ax.axvline(0, color="#888888", lw=0.8)
        ax.set_title(textwrap.fill(label(m), 24), fontsize=8)
        ax.set_xlim(-1.1, 1.1)
        ax.set_yticks(y, levers if ax is axes[0] else [""] * len(levers), fontsize=7.5)
        ax.set_ylim(len(levers) - 0.5, -0.5)
        ax.tick_params(axis="x", labelsize=7)
        ax.grid(axis="x", color="#eeeeee", lw=0.5)
        ax.set_xlabel("effect / largest |effect|", fontsize=7)
    handles, names = axes[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=len(structures), fontsize=7.5, title="structure",
               title_fontsize=7.5, frameon=False)
    ax = axes[-1]
    others = [s for s in structures if s != structures[0]]
    for k, st in enumerate(others):
        r = ranks[ranks["structure"] == st].set_index("outcome").reindex(outcomes)
        ax.barh(np.arange(len(outcomes)) + (k - (len(others) - 1) / 2) * 0.8 / max(len(others), 1),
                r["kendall_tau"], height=0.8 / max(len(others), 1), color=colors(structures.index(st)), label=st)
    ax.set_yticks(np.arange(len(outcomes)), [textwrap.fill(label(m), 22) for m in outcomes], fontsize=7)
    ax.set_ylim(len(outcomes) - 0.5, -0.5)
    ax.set_xlim(-1, 1)
    ax.axvline(0, color="#888888", lw=0.8)
    ax.set_title("ranking vs default: Kendall's tau", fontsize=8)
    ax.tick_params(axis="x", labelsize=7)
    fig.suptitle(title or "Lever effects under alternative submodels (x: clear sign flips against the default)",
                 x=0.01, ha="left", fontsize=9.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


# --------------------------------------------------------------------------- what the model cannot tell

SIGN_FAILS = 0.05   # a conclusion whose sign goes the other way in at least 5% of worlds is not settled
RELATED = 0.2       # |Spearman rho| from which an assumed size is named as related to the sign


def world_parameters(results: pd.DataFrame) -> pd.DataFrame:
    """One row per world (``world`` = sample_id) with the values of its uncertain parameters, the
    posterior draw's parameters expanded (``_world``) and its structure (``_structure``) if any."""
    skip = {"run_id", "sample_id", "replicate", "seed", "seed_text", "step", "status", "error", "_arms",
            "_scenario", "n_residents"}
    first = results.groupby("sample_id").first()
    cols = [c for c in first.columns if c in PARAM_INFO and c not in skip or c == "_structure"]
    out = first[cols].copy()
    if "_world" in first.columns:
        drawn = pd.DataFrame([{k: v for k, v in json.loads(x).items() if not k.startswith("_")}
                              for x in first["_world"]], index=first.index)
        out = pd.concat([out.drop(columns=[c for c in drawn.columns if c in out.columns]), drawn], axis=1)
    out.index.name = "world"
    return out.reset_index()


def _assumed(name: str) -> bool:
    src = (PARAM_INFO[name].metadata["source"] or "").lower() if name in PARAM_INFO else ""
    return "assumption" in src


def cannot_tell(results_dir: str | Path = "results/robustness", levers: Sequence[str] | None = None) -> list[dict]:
    """The conclusions the model cannot settle, from the robustness results in ``results_dir``:

    - ``kind = "assumption"``: over the plausible (or posterior) worlds, the effect of a lever on a target
      goes against its majority sign in at least :data:`SIGN_FAILS` of the worlds; the assumed size
      (parameter whose source says "assumption") most associated with the effect across worlds is named
      when its |Spearman rho| reaches :data:`RELATED` (robustness_worlds.csv, robustness_world_params.csv);
    - ``kind = "structure"``: a sign that is clear under the default structure flips or is no longer clear
      under an alternative submodel (structures.csv)."""
    d = Path(results_dir)
    rows: list[dict] = []
    pe, pp = d / "robustness_worlds.csv", d / "robustness_world_params.csv"
    if pe.is_file() and pp.is_file():
        eff = pd.read_csv(pe)
        par = pd.read_csv(pp).set_index("world")
        assumed = [c for c in par.columns if _assumed(c) and par[c].nunique() > 1]
        for (lev, tgt), g in eff.groupby(["lever", "target"], sort=False):
            if levers is not None and lev not in levers:
                continue
            e = g.set_index("world")["effect"]
            pos, neg = int((e > 0).sum()), int((e < 0).sum())
            n = len(e)
            if not n or min(pos, neg) < SIGN_FAILS * n:
                continue
            x = par.reindex(e.index)
            best, rho = "", 0.0
            for c in assumed:
                r = stats.spearmanr(x[c], e).statistic
                if math.isfinite(r) and abs(r) > abs(rho):
                    best, rho = c, float(r)
            rows.append({"kind": "assumption", "lever": lev, "target": tgt, "worlds": n,
                         "majority": "+" if pos >= neg else "-", "against": min(pos, neg) / n,
                         "parameter": best if abs(rho) >= RELATED else "", "rho": rho if abs(rho) >= RELATED else 0.0})
    ps = d / "structures.csv"
    if ps.is_file():
        st = pd.read_csv(ps)
        for r in st[st["sign_flips"].astype(bool) | st["sign_lost"].astype(bool)].itertuples():
            if levers is not None and r.lever not in levers:
                continue
            rows.append({"kind": "structure", "lever": r.lever, "target": r.outcome, "structure": r.structure,
                         "default_sign": "+" if r.default_sign > 0 else "-",
                         "change": "flips" if r.sign_flips else "unclear", "effect": float(r.effect)})
    return rows
