"""Which community gets what: a street office's yearly budget split across communities (docs/district.md).

Three steps, as the issue proposes:

1. **Screen** (run by the command): every community type x lever bundle is simulated on a
   representative community of that type (its median size in the district), with ``R`` replicate
   seeds shared by all bundles (common random numbers). :func:`gains` turns the runs into each
   bundle's mean gain over no bundle, per type and objective, with a standard error.
2. **Optimise**: :func:`optimise` chooses one bundle per community (a 0/1 assignment) maximising
   the district's total gain within the budget, by mixed-integer linear programming
   (:func:`scipy.optimize.milp`, HiGHS), under an equity floor: every community receives at least
   ``floor`` x (budget / communities) of spending. Gains on rates (participation, trust) are weighted
   by households, so the objective is the district's household-weighted change; counts (works
   implemented) and complaints per year are added as they are.
3. **Verify** (run by the command): the recommendation and simple rules (:func:`equal_split`,
   :func:`worst_first`, :func:`cheapest_first`) are simulated on every community with the same seeds.

A bundle's yearly cost is priced by :func:`consultsim.analysis.costs.lever_costs` (the ``cost_*``
parameters, each with its source or "assumption"), less what the community already spends without
it; a subsidy is costed from the resident-funded works the screening runs secured.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Bundle", "BUNDLES", "OBJECTIVES", "bundle_cost", "gains", "optimise", "equal_split", "worst_first",
           "cheapest_first", "pareto", "describe", "staff_fte", "levers_for", "replicate_gains",
           "worst_share_mean", "representatives", "rep_weights", "shrink", "interval", "choose", "decide",
           "candidates", "paired_intervals", "SHRINK_LEVELS"]


@dataclass(frozen=True)
class Bundle:
    """A lever bundle the street office can fund in one community for a year."""

    name: str
    levers: Mapping[str, Any] = field(default_factory=dict)
    en: str = ""
    zh: str = ""


# The bundles screened (the levers of ODD §8 at the strengths the shipped scenarios use). "none" is
# the reference: no extra money.
BUNDLES: tuple[Bundle, ...] = (
    Bundle("none", {}, "nothing extra", "不增加投入"),
    Bundle("publication", {"feedback_transparency": 1.0}, "publish every outcome", "公开每项结果"),
    Bundle("training", {"training_sessions_per_quarter": 2, "committee_facilitation_training": True},
           "resident training (2 a quarter) and facilitation training for staff", "居民培训（每季 2 次）与工作人员主持培训"),
    Bundle("social_worker", {"social_workers": 1, "social_worker_hours": 20.0},
           "a half-time social worker", "半职社工 1 名"),
    Bundle("supervision", {"supervision": 1.0, "pm_performance_contract": True},
           "an oversight board and a performance contract with the property manager", "监督小组与物业绩效合同"),
    Bundle("subsidy", {"public_subsidy": 0.3}, "30% public subsidy of resident-funded works", "居民自筹工程 30% 公共补贴"),
    Bundle("sw_supervision", {"social_workers": 1, "social_worker_hours": 20.0, "supervision": 1.0,
                              "pm_performance_contract": True},
           "a half-time social worker, oversight board and performance contract", "半职社工、监督小组与物业绩效合同"),
    Bundle("full", {"social_workers": 1, "social_worker_hours": 40.0, "supervision": 1.0,
                    "pm_performance_contract": True, "training_sessions_per_quarter": 2,
                    "committee_facilitation_training": True, "feedback_transparency": 1.0},
           "a full-time social worker, oversight, training and publication", "全职社工、监督、培训与结果公开"),
)

# objective -> (metric column, sign: +1 more is better, household-weighted?)
OBJECTIVES = {
    "implemented": ("implemented_per_year", +1, False),
    "participation": ("participation_year", +1, True),
    "trust": ("mean_trust_committee", +1, True),
    "complaints": ("complaints_per_year", -1, False),
}


# levers that act on (and are paid to) a property manager: nothing to buy where there is none
PM_LEVERS = ("pm_performance_contract", "pm_inclusion")


def levers_for(params: Any, bundle: Bundle) -> dict[str, Any]:
    """The bundle's levers as bought for a community with ``params``: without the property-manager levers
    where the community has no property manager (n_property_managers = 0, e.g. hutongs)."""
    lv = dict(bundle.levers)
    if params.n_property_managers == 0:
        for k in PM_LEVERS:
            lv.pop(k, None)
    return lv


def bundle_cost(params: Any, bundle: Bundle, funded_per_year: float = 0.0) -> float:
    """Extra yearly cost (yuan) of ``bundle`` on a community with parameters ``params`` (its levers at the
    community's own values otherwise): the bundle's lever costs less the community's own."""
    from consultsim.analysis.costs import lever_costs

    base = lever_costs(params, funded_works_per_year=funded_per_year)
    with_b = lever_costs(params.replace(**levers_for(params, bundle)), funded_works_per_year=funded_per_year)
    return float(sum(with_b.values()) - sum(base.values()))


def yearly_outcomes(final: pd.DataFrame) -> pd.DataFrame:
    """Add per-year counts to final rows: works implemented and complaints per year of the run."""
    years = final["step"].clip(lower=1) / 52.0
    return final.assign(implemented_per_year=final["implemented"] / years,
                        complaints_per_year=final["complaints"] / years,
                        funded_per_year=final.get("funded_works", 0) / years)


def replicate_gains(final: pd.DataFrame) -> pd.DataFrame:
    """Per (type, bundle, objective, replicate): the paired gain over ``none`` on that replicate's seed (and
    world, when the screening ran in a calibration's worlds: replicate r is world r in every bundle)."""
    f = yearly_outcomes(final)
    ref = f[f["package"] == "none"].set_index(["community", "replicate"])
    parts = []
    for (b, t), g in f.groupby(["package", "community"], sort=False):
        g = g.set_index(["community", "replicate"])
        for obj, (col, sign, _) in OBJECTIVES.items():
            d = sign * (g[col] - ref[col].reindex(g.index)).to_numpy(dtype=float)
            parts.append(pd.DataFrame({"type": t, "bundle": b, "objective": obj,
                                       "replicate": g.index.get_level_values("replicate").to_numpy(), "gain": d}))
    return pd.concat(parts, ignore_index=True)


def gains(final: pd.DataFrame) -> pd.DataFrame:
    """Per (type, bundle, objective): the mean paired gain over ``none`` (same seeds), its standard error, and
    the 10th and 90th percentiles of the paired gain over the replicates (``q10``, ``q90``: the spread over
    the calibrated worlds when each replicate ran in its own world, else over seeds).

    ``final`` holds the screening runs' final rows: package = bundle name, community = type name."""
    f = yearly_outcomes(final)
    funded = f.groupby(["package", "community"], sort=False)["funded_per_year"].mean()
    rows = []
    for (t, b, obj), g in replicate_gains(final).groupby(["type", "bundle", "objective"], sort=False):
        d = g["gain"].to_numpy(dtype=float)
        d = d[np.isfinite(d)]
        se = float(d.std(ddof=1) / np.sqrt(len(d))) if len(d) > 1 else np.nan
        rows.append({"type": t, "bundle": b, "objective": obj, "gain": float(d.mean()) if len(d) else 0.0,
                     "se": se, "q10": float(np.quantile(d, 0.1)) if len(d) else np.nan,
                     "q90": float(np.quantile(d, 0.9)) if len(d) else np.nan,
                     "funded_per_year": float(funded.get((b, t), 0.0))})
    return pd.DataFrame(rows)


def _value(gain_tab: pd.DataFrame, communities: Sequence[Any], bundles: Sequence[Bundle], objective: str,
           total_households: float, weights: Mapping[str, Mapping[str, float]] | None = None) -> np.ndarray:
    """Matrix (community, bundle) of the district-level gain of giving that bundle to that community.

    ``gain_tab`` is :func:`gains` (the mean gain) or :func:`replicate_gains`; from the latter the result is
    (replicate, community, bundle): the gain in each replicate's world. Its ``type`` column names the
    screening's representatives; ``weights`` (:func:`rep_weights`) reads a community's gain from them
    (default: the representative named as its type)."""
    _, _, weighted = OBJECTIVES[objective]
    t = gain_tab[gain_tab["objective"] == objective]
    if "replicate" in t.columns:
        reps = sorted(t["replicate"].unique())
        return np.stack([_value(t[t["replicate"] == r].drop(columns="replicate"), communities, bundles, objective,
                                total_households, weights) for r in reps])
    g = t.set_index(["type", "bundle"])["gain"]
    v = np.zeros((len(communities), len(bundles)))
    for i, c in enumerate(communities):
        w = c.households / total_households if weighted else 1.0
        wr = weights[c.name] if weights is not None else {c.type: 1.0}
        for j, b in enumerate(bundles):
            if b.name != "none":
                v[i, j] = w * sum(f * float(g.get((r, b.name), 0.0)) for r, f in wr.items())
    return v


def worst_share_mean(totals: np.ndarray, alpha: float = 0.1) -> float:
    """The mean of the worst ``alpha`` share of ``totals`` (one per world; CVaR at level ``alpha``): with 10
    worlds and alpha 0.1 the worst world, with 20 the mean of the worst two. A fractional world counts
    with its fraction, as in the linear programme of :func:`optimise`."""
    x = np.sort(np.asarray(totals, dtype=float))
    m = alpha * len(x)
    whole = int(np.floor(m + 1e-12))
    s = x[:whole].sum() + (m - whole) * (x[whole] if whole < len(x) else 0.0)
    return float(s / m)


def optimise(value: np.ndarray, cost: np.ndarray, budget: float, floor: float = 0.0,
             extra: list[tuple[np.ndarray, float]] | None = None, staff: np.ndarray | None = None,
             staff_limit: float = np.inf, robust: float | None = None) -> np.ndarray:
    """The 0/1 assignment (community, bundle) maximising ``value`` with one bundle per community,
    total ``cost`` within ``budget``, and each community's cost at least ``floor * budget / n`` (the
    equity floor). ``extra`` adds constraints sum(a * x) >= b (the Pareto frontier's); ``staff``
    (community, bundle: social workers' full-time equivalents) with ``staff_limit`` caps the social
    workers the social-work station (社工站) can place across its communities. Of allocations
    with the same value the cheaper is taken. Returns, per community, the chosen bundle's index.

    ``value`` of shape (worlds, community, bundle) holds the gains in each calibrated world: the
    expected gain (mean over worlds) is maximised, or with ``robust = alpha`` the mean of the worst
    ``alpha`` share of worlds (the worst decile for 0.1; CVaR, Rockafellar & Uryasev 2000, linear:
    maximise eta - sum(u_w) / (alpha W) with u_w >= eta - V_w(x), u_w >= 0)."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    worlds = value if value.ndim == 3 else None
    if worlds is not None:
        value = worlds.mean(axis=0)
    n, k = value.shape
    # among allocations of equal value, the cheapest (a tie-break far below any simulated gain)
    big = float(np.abs(worlds).max()) if worlds is not None else float(np.abs(value).max())
    scale = max(big, 1e-12) * 1e-6 / max(float(cost.max()), 1.0)
    nk = n * k
    W = len(worlds) if (worlds is not None and robust is not None) else 0
    if W:
        if not 0.0 < robust <= 1.0:
            raise ValueError(f"robust share {robust}: from 0 (exclusive) to 1")
        # variables: x (n*k), eta, u (W)
        c = np.r_[scale * cost.ravel(), -1.0, np.full(W, 1.0 / (robust * W))]
    else:
        c = -value.ravel() + scale * cost.ravel()
    nv = len(c)

    def pad(a: np.ndarray) -> np.ndarray:  # a constraint row on x only, padded for eta and u
        a = np.atleast_2d(a)
        return np.c_[a, np.zeros((a.shape[0], nv - nk))]

    one = np.zeros((n, nk))
    for i in range(n):
        one[i, i * k:(i + 1) * k] = 1
    cons = [LinearConstraint(pad(one), 1, 1), LinearConstraint(pad(cost.ravel()), -np.inf, budget)]
    if floor > 0:
        cons.append(LinearConstraint(pad(one * cost.ravel()[None, :]), floor * budget / n, np.inf))
    for a, b in extra or []:
        cons.append(LinearConstraint(pad(a.ravel()), b, np.inf))
    if staff is not None and np.isfinite(staff_limit):
        cons.append(LinearConstraint(pad(staff.ravel()), -np.inf, staff_limit))
    lo, hi = np.zeros(nv), np.ones(nv)
    integrality = np.r_[np.ones(nk), np.zeros(nv - nk)]
    if W:
        # u_w - eta + V_w . x >= 0
        rows = np.c_[worlds.reshape(W, nk), -np.ones((W, 1)), np.eye(W)]
        cons.append(LinearConstraint(rows, 0, np.inf))
        lo[nk], hi[nk] = -np.inf, np.inf
        hi[nk + 1:] = np.inf
    res = milp(c, constraints=cons, integrality=integrality, bounds=Bounds(lo, hi),
               options={"time_limit": 60})
    if res.x is None:
        raise ValueError(res.message)
    return res.x[:nk].reshape(n, k).argmax(axis=1)


def staff_fte(bundle: Bundle) -> float:
    """Full-time social workers a bundle places in a community (the station's staff it uses)."""
    lv = bundle.levers
    return float(lv.get("social_workers", 0)) * float(lv.get("social_worker_hours", 20.0)) / 40.0


def _fits(staff: np.ndarray | None, used: float, i: int, j: int, old: int, limit: float) -> bool:
    return staff is None or used + staff[i, j] - staff[i, old] <= limit + 1e-9


def equal_split(cost: np.ndarray, budget: float, order: Sequence[int], staff: np.ndarray | None = None,
                staff_limit: float = np.inf) -> np.ndarray:
    """Every community gets ``budget / n`` and buys the dearest bundle (in ``order`` of preference, last
    best) that fits in it (and in the station's remaining staff): the same money everywhere."""
    n = cost.shape[0]
    share = budget / n
    out = np.zeros(n, dtype=int)
    used = 0.0
    for i in range(n):
        for j in order:
            if cost[i, j] <= share + 1e-9 and _fits(staff, used, i, j, 0, staff_limit):
                out[i] = j
        used += staff[i, out[i]] if staff is not None else 0.0
    return out


def worst_first(cost: np.ndarray, budget: float, behind: np.ndarray, best: int, staff: np.ndarray | None = None,
                staff_limit: float = np.inf) -> np.ndarray:
    """The communities furthest behind (``behind``, higher = worse) get the ``best`` bundle first, until
    the budget (or the station's staff) runs out (then the next community that still fits)."""
    out = np.zeros(cost.shape[0], dtype=int)
    left, used = budget, 0.0
    for i in np.argsort(-behind, kind="stable"):
        if cost[i, best] <= left and _fits(staff, used, i, best, 0, staff_limit):
            out[i] = best
            left -= cost[i, best]
            used += staff[i, best] if staff is not None else 0.0
    return out


def cheapest_first(cost: np.ndarray, budget: float, staff: np.ndarray | None = None,
                   staff_limit: float = np.inf) -> np.ndarray:
    """Fund the cheapest bundle in every community first, then upgrade everywhere to the next cheapest,
    and so on while the budget (and the station's staff) lasts (communities in file order)."""
    n, k = cost.shape
    out = np.zeros(n, dtype=int)
    left, used = budget, 0.0
    for j in np.argsort(cost.mean(axis=0), kind="stable"):
        for i in range(n):
            step = cost[i, j] - cost[i, out[i]]
            if cost[i, j] > cost[i, out[i]] and step <= left and _fits(staff, used, i, j, out[i], staff_limit):
                left -= step
                used += staff[i, j] - staff[i, out[i]] if staff is not None else 0.0
                out[i] = j
    return out


def pareto(values: Mapping[str, np.ndarray], cost: np.ndarray, budget: float, floor: float, x_obj: str,
           y_obj: str, points: int = 8, staff: np.ndarray | None = None, staff_limit: float = np.inf) -> pd.DataFrame:
    """The trade-off between two objectives within the budget: maximise ``y_obj`` subject to ``x_obj`` at
    least each of ``points`` levels between its value at the ``y_obj`` optimum and its own maximum
    (the epsilon-constraint method). Returns the predicted (x, y) of each solution."""
    vx, vy = values[x_obj], values[y_obj]
    n, k = vx.shape
    pick = lambda a: (vx[np.arange(n), a].sum(), vy[np.arange(n), a].sum())  # noqa: E731
    kw = {"staff": staff, "staff_limit": staff_limit}
    lo = pick(optimise(vy, cost, budget, floor, **kw))[0]
    hi = pick(optimise(vx, cost, budget, floor, **kw))[0]
    rows = []
    for level in np.linspace(lo, hi, points):
        try:
            a = optimise(vy, cost, budget, floor, extra=[(vx, level - 1e-9)], **kw)
        except ValueError:
            continue
        x, y = pick(a)
        rows.append({x_obj: x, y_obj: y})
    return pd.DataFrame(rows).drop_duplicates().reset_index(drop=True)


def describe(bundle: Bundle, lang: str = "en") -> str:
    return bundle.zh if lang == "zh" else bundle.en


# --- the optimizer's curse (Smith & Winkler 2006): screening that does not reward luck, honest selection ---

def representatives(communities: Sequence[Any], split_ratio: float = 1.5) -> list[dict[str, Any]]:
    """The screening's representative communities of each type, and how each community's gain is read
    from them.

    A type whose communities' sizes span more than ``split_ratio`` (largest / smallest) gets two
    representatives, at the 25th and 75th percentile of its communities' sizes, and a community's gain
    is interpolated linearly in households between them (held at the nearer one outside): the
    response of counts (works implemented, complaints a year) grows with a community's size, so one
    median-sized representative over- or under-states the largest and smallest. Otherwise one, at
    the median. A representative has an owners' committee when most of its type's communities do.

    Returns one dict per representative: ``name`` (``type`` or ``type@households``), ``type``,
    ``households``, ``owners_committee``."""
    reps = []
    for t in sorted({c.type for c in communities}):
        cs = [c for c in communities if c.type == t]
        sizes = np.array([c.households for c in cs], dtype=float)
        oc = bool(np.mean([bool(getattr(c, "owners_committee", False)) for c in cs]) > 0.5)
        if len(cs) >= 2 and sizes.max() > split_ratio * sizes.min():
            at = sorted({int(round(np.quantile(sizes, q), -1)) for q in (0.25, 0.75)})
        else:
            at = [int(np.median(sizes))]
        for h in at:
            reps.append({"name": t if len(at) == 1 else f"{t}@{h}", "type": t, "households": h,
                         "owners_committee": oc})
    return reps


def rep_weights(communities: Sequence[Any], reps: Sequence[Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    """Per community: the weight of each representative of its type in its predicted gain (linear in
    households between the two nearest representatives; the nearest one outside their range)."""
    out = {}
    for c in communities:
        mine = sorted((r for r in reps if r["type"] == c.type), key=lambda r: r["households"])
        if not mine:
            raise ValueError(f"community {c.name!r}: no representative of type {c.type!r}")
        h = float(c.households)
        if len(mine) == 1 or h <= mine[0]["households"]:
            out[c.name] = {mine[0]["name"]: 1.0}
            continue
        if h >= mine[-1]["households"]:
            out[c.name] = {mine[-1]["name"]: 1.0}
            continue
        for lo, hi in zip(mine, mine[1:]):
            if lo["households"] <= h <= hi["households"]:
                f = (h - lo["households"]) / (hi["households"] - lo["households"])
                out[c.name] = {lo["name"]: 1.0 - f, hi["name"]: f}
                break
    return out


def shrink(gain_tab: pd.DataFrame, strength: float = 1.0) -> pd.DataFrame:
    """The screening's gains shrunk toward a pooled estimate in proportion to their noise (empirical
    Bayes; the remedy Smith & Winkler 2006, "The optimizer's curse", Management Science 52(3): 311-322,
    propose: treat each estimate as a noisy measurement and use its posterior mean).

    For each objective and bundle the prior mean is the precision-weighted mean gain of that bundle
    over the representatives (types and sizes), itself moved toward the mean over bundles in the same
    way (a two-level hierarchy: the bundles' means are estimates too, and the optimiser picks the
    best of them); the prior variance ``tau2`` of the true gains about it is estimated once per
    objective by the method of moments, mean((x - prior)^2 - se^2) floored at 0 (James & Stein's
    estimator in its empirical-Bayes reading, Efron & Morris 1973). A gain moves toward its prior by
    B = se^2 / (se^2 + tau2): all the way when the gains differ no more than their noise, not at all
    when it has no noise. ``strength`` scales B (0: the raw
    gains; 1: the empirical-Bayes estimate; large: every type gets its bundle's pooled mean, the bundles'
    means themselves shrunk no more than at 1).
    Adds ``gain_raw``, ``prior`` and ``shrinkage`` (B) columns; ``gain`` holds the shrunk value."""
    g = gain_tab.copy()
    g["gain_raw"] = g["gain"]
    g["prior"] = g["gain"]
    g["shrinkage"] = 0.0
    if strength <= 0:
        return g
    for _obj, part in g[g["bundle"] != "none"].groupby("objective", sort=False):
        x = part["gain"].to_numpy(dtype=float)
        s2 = np.nan_to_num(part["se"].to_numpy(dtype=float), nan=0.0) ** 2
        prior = np.empty_like(x)
        ub = list(part["bundle"].unique())
        mb, vb = np.empty(len(ub)), np.empty(len(ub))  # each bundle's pooled mean and its sampling variance
        for q, b in enumerate(ub):
            m = (part["bundle"] == b).to_numpy()
            w = 1.0 / np.maximum(s2[m], 1e-12) if (s2[m] > 0).any() else np.ones(m.sum())
            mb[q] = float(np.sum(w * x[m]) / np.sum(w))
            vb[q] = float(np.sum(w ** 2 * s2[m]) / np.sum(w) ** 2)
        # the bundles' means are themselves estimates, and the best of them is picked: they move toward the
        # mean over bundles in the same way (a second level; none where the bundles differ clearly)
        grand = float(np.mean(mb))
        tb2 = max(0.0, float(np.mean((mb - grand) ** 2 - vb))) if len(ub) > 1 else np.inf
        Bb = np.where(vb > 0, vb / (vb + tb2 + 1e-300), 0.0)
        # (at most the empirical-Bayes amount: a stronger level pools the types, never the bundles, whose
        # differences are what the street office buys)
        Bb = np.where(Bb > 0, np.minimum(1.0, Bb * min(float(strength), 1.0)), 0.0)
        for q, b in enumerate(ub):
            prior[(part["bundle"] == b).to_numpy()] = mb[q] - Bb[q] * (mb[q] - grand)
        tau2 = max(0.0, float(np.mean((x - prior) ** 2 - s2)))
        B = np.where(s2 > 0, s2 / (s2 + tau2 + 1e-300), 0.0)
        B = np.where(B > 0, np.minimum(1.0, B * min(float(strength), 1e12)), 0.0)
        g.loc[part.index, "prior"] = prior
        g.loc[part.index, "shrinkage"] = B
        g.loc[part.index, "gain"] = x - B * (x - prior)
    return g


def interval(x: np.ndarray) -> tuple[float, float, float]:
    """Mean and 95% t-interval of ``x`` (NaN bounds with fewer than two values)."""
    from scipy import stats

    x = np.asarray(x, dtype=float)
    m = float(np.mean(x))
    if len(x) < 2:
        return m, np.nan, np.nan
    h = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x)))
    return m, m - h, m + h


# the optimised candidates: the screening's gains as they are, shrunk (empirical Bayes), and fully pooled
SHRINK_LEVELS: tuple[tuple[str, float], ...] = (("optimised_raw", 0.0), ("optimised_shrunk", 1.0),
                                               ("optimised_pooled", np.inf))


def candidates(gain_tab: pd.DataFrame, communities: Sequence[Any], bundles: Sequence[Bundle], objective: str,
               total_households: float, cost: np.ndarray, budget: float, floor: float = 0.0,
               weights: Mapping[str, Mapping[str, float]] | None = None,
               levels: Sequence[tuple[str, float]] = SHRINK_LEVELS, per_replicate: pd.DataFrame | None = None,
               robust: float | None = None, **sk: Any) -> tuple[dict[str, np.ndarray], dict[str, str]]:
    """The optimised allocations, one per shrinkage level of :func:`shrink` (``levels``: name, strength).

    With ``robust`` and ``per_replicate`` (:func:`replicate_gains`: each replicate's world) the worst
    ``robust`` share of worlds is optimised; a level shifts every world's gain by its shrinkage of the
    mean gain. Returns ({name: allocation} without repeats, {name of a repeat: the first name with the
    same allocation})."""
    out: dict[str, np.ndarray] = {}
    same: dict[str, str] = {}
    for name, strength in levels:
        g = shrink(gain_tab, strength)
        if robust is not None and per_replicate is not None:
            shift = (g["gain"] - g["gain_raw"]).to_numpy()
            key = pd.MultiIndex.from_frame(g[["type", "bundle", "objective"]])
            sh = pd.Series(shift, index=key)
            pr = per_replicate.copy()
            pr["gain"] = pr["gain"].to_numpy() + sh.reindex(
                pd.MultiIndex.from_frame(pr[["type", "bundle", "objective"]])).fillna(0.0).to_numpy()
            value = _value(pr, communities, bundles, objective, total_households, weights)
            a = optimise(value, cost, budget, floor, robust=robust, **sk)
        else:
            a = optimise(_value(g, communities, bundles, objective, total_households, weights), cost, budget,
                         floor, **sk)
        for k, b in out.items():
            if np.array_equal(a, b):
                same[name] = k
                break
        else:
            out[name] = a
    return out, same


def choose(runs: pd.DataFrame, optimised: Sequence[str], rules: Sequence[str], objective: str) -> tuple[str, str]:
    """On the selection runs (``runs``: the objective's district total per replicate (rows) and
    allocation (columns)), the optimised allocation and the simple rule with the best mean: the two
    that go to the hold-out. Ties go to the first named."""
    sign = OBJECTIVES[objective][1]
    m = sign * runs.mean(axis=0)
    best_opt = max(optimised, key=lambda n: (m[n], -list(optimised).index(n)))
    best_rule = max(rules, key=lambda n: (m[n], -list(rules).index(n)))
    return best_opt, best_rule


def paired_intervals(runs: Mapping[str, pd.DataFrame], names: Sequence[str], against: str) -> pd.DataFrame:
    """Each of ``names`` minus ``against`` paired on the same replicate (common random numbers): per
    metric of ``runs`` (metric -> replicate x allocation), the mean and 95% interval over replicates.
    Rows: allocation, against, metric, mean, low, high."""
    rows = []
    for n in names:
        if n == against:
            continue
        for col, w in runs.items():
            m, lo, hi = interval((w[n] - w[against]).to_numpy(dtype=float))
            rows.append({"allocation": n, "against": against, "metric": col, "mean": m, "low": lo, "high": hi})
    return pd.DataFrame(rows)


def decide(paired: pd.DataFrame, best_opt: str, best_rule: str, objective: str) -> tuple[str, tuple[float, float, float]]:
    """The recommendation from the hold-out's paired intervals (:func:`paired_intervals` against
    ``best_rule``): the optimised allocation if its difference from the best simple rule lies wholly on
    its better side (95% interval; fewer complaints is better), else the rule. Returns (name, (mean,
    low, high) of optimised minus rule on the objective)."""
    col, sign, _ = OBJECTIVES[objective]
    r = paired[(paired["allocation"] == best_opt) & (paired["against"] == best_rule) & (paired["metric"] == col)]
    if len(r) != 1:
        raise ValueError(f"no paired interval of {best_opt} against {best_rule} on {col}")
    m, lo, hi = (float(r.iloc[0][k]) for k in ("mean", "low", "high"))
    better = (lo > 0) if sign > 0 else (hi < 0)
    return (best_opt if better else best_rule), (m, lo, hi)
