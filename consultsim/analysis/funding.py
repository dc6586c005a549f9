"""What to fund: packages ranked by effect per yuan on the objectives the reader picks, within a budget.

A street office compares packages to decide which one to pay for. Counting how many outcomes
improve (and breaking ties by cost) ranks an expensive package first when a cheap one does about
as well; so the ranking here is cost-effectiveness (Drummond et al. 2015, *Methods for the
Economic Evaluation of Health Care Programmes*, 4th ed., ch. 4): the effect bought per 10,000
yuan of extra yearly cost over the reference.

Several objectives are put on one scale by standardising each paired effect by how much single
communities differ under the reference (the run-to-run standard deviation: a standardised mean
difference, Cohen 1988, *Statistical Power Analysis*, section 2.2) and averaging them with equal
weights. Equal weights are a choice, not a finding; the report says so and names the objectives.

A package is *dominated* when another package (or the reference) costs no more and does at
least as well on every chosen objective, better on one (Drummond et al. 2015, ch. 4). A package
over the budget is listed, never recommended. The recommendation is the package with the most
effect per yuan among those within the budget that are not dominated and gain something; if
another within the budget gains more in total, the report adds what its extra yuan buy (the
incremental ratio).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from consultsim.core.params import PARAM_INFO
from consultsim.running.lever_checks import LEVER_PRICE

__all__ = ["Objective", "OBJECTIVES", "DEFAULT_OBJECTIVES", "LEVER_EFFECT_PARAMS", "LEVER_PRICE",
           "OBJECTIVE_PARAMS", "Funding", "parse_objectives", "rank_packages", "deciding_assumptions",
           "extra_cost_spread", "yearly_table"]


@dataclass(frozen=True)
class Objective:
    """One thing a reader may want more (or less) of, measured by a metric."""

    key: str
    metric: str
    better: int  # +1: higher is better; -1: lower is better
    kind: str  # "count" (cumulative, reported over the horizon and a year), "households" (a share of
    #           households, reported as households), "scale" (0-1 scale), "share" (percentage points)


OBJECTIVES: dict[str, Objective] = {o.key: o for o in (
    Objective("works", "implemented", +1, "count"),
    Objective("participation", "participation_rate", +1, "households"),
    Objective("trust", "mean_trust_committee", +1, "scale"),
    Objective("complaints", "complaints", -1, "count"),
    Objective("capacity", "mean_capacity", +1, "scale"),
    Objective("voice", "voice_concentration", -1, "share"),
    Objective("equality", "participation_gini", -1, "scale"),
    Objective("representation", "representation_gap", -1, "scale"),
    Objective("efficacy", "mean_efficacy", +1, "scale"),
)}
DEFAULT_OBJECTIVES = ("works", "participation", "trust")

# The parameters that set the size of each lever's effect (where the model turns the lever into
# behaviour: core/model.py, core/agents.py, core/kernels). Those whose source is an assumption are
# what decides a ranking between packages that differ in the lever.
LEVER_EFFECT_PARAMS: dict[str, tuple[str, ...]] = {
    "incentive_per_meeting": ("b_incentive", "crowding_out"),
    "incentive_budget": ("b_incentive",),
    "pm_performance_contract": ("contract_effect", "pm_cost_aversion"),
    "supervision": ("supervision_effect", "sanction_effect"),
    "meeting_cadence_weeks": ("interest_decay",),
    "pm_inclusion": ("commitment_effect", "pm_attendance"),
    "public_subsidy": ("contribution_required",),
    "awareness_campaign": ("campaign_reach", "campaign_gain"),
    "feedback_transparency": ("publication_voice", "network_learning", "complaint_propensity"),
    "training_sessions_per_quarter": ("capacity_gain_training", "training_base_weight"),
    "training_seats": ("capacity_gain_training",),
    "committee_facilitation_training": ("facilitation_training_gain",),
    "social_workers": ("sw_invites_per_hour", "sw_outreach_share", "b_invited"),
    "social_worker_hours": ("sw_invites_per_hour",),
    "online_channel": ("online_reach", "online_time_cost", "online_elderly"),
    "leader_reach": ("b_invited",),
}
# Parameters that set how an objective responds whatever the lever (ODD §7.7: complaints).
OBJECTIVE_PARAMS: dict[str, tuple[str, ...]] = {
    "complaints": ("complaint_propensity", "aggrieved_stake", "heard_acceptance"),
    "trust": ("learning_rate", "procedural_weight"),
}


def parse_objectives(text: str | Sequence[str] | None) -> tuple[str, ...]:
    """Objective keys from "works,participation" (or a list); unknown keys raise ValueError naming them."""
    if text is None:
        return DEFAULT_OBJECTIVES
    items = [t.strip() for t in (text.split(",") if isinstance(text, str) else text) if t.strip()]
    bad = [t for t in items if t not in OBJECTIVES]
    if bad or not items:
        raise ValueError(bad[0] if bad else "")
    return tuple(dict.fromkeys(items))


def extra_cost_spread(costs: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Per scenario: mean, min and max over runs of the extra yearly cost over ``reference`` (paired by
    replicate) and of the total yearly cost."""
    ref = costs[costs["scenario"] == reference].set_index("replicate")["total"]
    rows = []
    for sc, g in costs.groupby("scenario", sort=False):
        tot = g.set_index("replicate")["total"]
        extra = (tot - ref.reindex(tot.index)).dropna()
        rows.append((sc, float(extra.mean()), float(extra.min()), float(extra.max()),
                     float(tot.mean()), float(tot.min()), float(tot.max())))
    return pd.DataFrame(rows, columns=["scenario", "extra", "extra_min", "extra_max", "total", "total_min",
                                       "total_max"])


def _scale(final: pd.DataFrame, metric: str, reference: str) -> float:
    """How much single communities differ in ``metric`` under the reference (sd over runs); the sd over
    every run if the reference does not vary, else 1."""
    for d in (final.loc[final["scenario"] == reference, metric], final[metric]):
        sd = float(pd.to_numeric(d, errors="coerce").std(ddof=1))
        if math.isfinite(sd) and sd > 0:
            return sd
    return 1.0


@dataclass
class Funding:
    """The ranking (one row per package besides the reference) and what it rests on."""

    table: pd.DataFrame  # see rank_packages
    objectives: tuple[str, ...]
    budget: float | None
    reference: str
    scales: dict[str, float] = field(default_factory=dict)

    @property
    def recommended(self) -> str | None:
        t = self.table[self.table["status"] == "fund"]
        return None if t.empty else str(t["scenario"].iloc[0])

    @property
    def biggest(self) -> str | None:
        """Within the budget and not dominated: the package with the largest total gain, if it is not the
        recommended one."""
        t = self.table[self.table["status"] == "alternative"]
        return None if t.empty else str(t["scenario"].iloc[0])


def rank_packages(effects: pd.DataFrame, final: pd.DataFrame, costs: pd.DataFrame, reference: str, *,
                  objectives: Sequence[str] = DEFAULT_OBJECTIVES, budget: float | None = None) -> Funding:
    """Rank the packages of a comparison by effect per yuan on ``objectives`` within ``budget`` (yuan a year).

    ``effects`` is :func:`consultsim.analysis.compare.paired_effects` output, ``final`` its per-run end
    values, ``costs`` :func:`consultsim.analysis.costs.run_costs` output. The table has one row per
    package: scenario, extra (mean extra yuan a year), extra_min, extra_max, for each objective k the
    mean paired effect ``d_k``, the standardised score (mean over objectives of better x effect / sd),
    per10k (score per 10,000 yuan; inf for a gain at no extra cost), dominated_by, within_budget,
    status ("fund", "alternative", "ranked", "no_gain", "dominated", "over_budget") and rank (1 = fund).
    """
    objectives = tuple(objectives)
    spread = extra_cost_spread(costs, reference).set_index("scenario")
    scales = {k: _scale(final, OBJECTIVES[k].metric, reference) for k in objectives}
    rows = []
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        row: dict[str, Any] = {"scenario": sc}
        for c in ("extra", "extra_min", "extra_max"):
            row[c] = float(spread.loc[sc, c]) if sc in spread.index else float("nan")
        zs = []
        for k in objectives:
            o = OBJECTIVES[k]
            d = float(g.loc[o.metric, "diff"]) if o.metric in g.index else float("nan")
            row[f"d_{k}"] = d
            zs.append(o.better * d / scales[k])
        row["score"] = float(np.mean(zs)) if zs and all(math.isfinite(z) for z in zs) else float("nan")
        rows.append(row)
    t = pd.DataFrame(rows)
    if t.empty:
        return Funding(t, objectives, budget, reference, scales)
    cost = t["extra"].fillna(0.0).clip(lower=0.0)
    t["per10k"] = np.where(cost > 0, t["score"] / cost.where(cost > 0) * 1e4,
                           np.where(t["score"] > 0, np.inf, np.nan))
    t["within_budget"] = True if budget is None else t["extra"] <= budget
    # dominance on the mean effects of every chosen objective, against the other packages and the reference
    pts = [(reference, 0.0, np.zeros(len(objectives)))] + [
        (r.scenario, max(float(r.extra), 0.0), np.array([OBJECTIVES[k].better * getattr(r, f"d_{k}")
                                                           for k in objectives]))
        for r in t.itertuples(index=False)]
    dom_by = {}
    for s, c, e in pts[1:]:
        for s2, c2, e2 in pts:
            if s2 != s and np.all(np.isfinite(e)) and c2 <= c and np.all(e2 >= e) and (c2 < c or np.any(e2 > e)):
                dom_by[s] = s2
                break
    t["dominated_by"] = t["scenario"].map(dom_by).fillna("")
    status = []
    for r in t.itertuples(index=False):
        if not r.within_budget:
            status.append("over_budget")
        elif r.dominated_by:
            status.append("dominated")
        elif not (math.isfinite(r.score) and r.score > 0):
            status.append("no_gain")
        else:
            status.append("ranked")
    t["status"] = status
    ok = t["status"] == "ranked"
    order = t[ok].sort_values(["per10k", "score"], ascending=[False, False]).index.tolist()
    if order:
        t.loc[order[0], "status"] = "fund"
        big = t.loc[order].sort_values("score", ascending=False).index[0]
        if big != order[0]:
            t.loc[big, "status"] = "alternative"
    rest = t.index.difference(order)
    rank_of = {"over_budget": 3, "dominated": 2, "no_gain": 1}
    rest = sorted(rest, key=lambda i: (rank_of[t.loc[i, "status"]], -np.nan_to_num(t.loc[i, "per10k"], nan=-1e18)))
    t = t.loc[order + list(rest)].reset_index(drop=True)
    t.insert(0, "rank", range(1, len(t) + 1))
    return Funding(t, objectives, budget, reference, scales)


def deciding_assumptions(scenarios: Sequence[Any], labels: Sequence[str], packages: Sequence[str],
                         objectives: Sequence[str], limit: int = 10) -> list[dict[str, Any]]:
    """The parameters whose values are assumptions and set the size of the effects and costs that rank
    ``packages``: the effect-size parameters and prices of every lever they change from the reference
    (the first scenario), and those of the chosen objectives. Each: name, value, plausible range, source."""
    ref = scenarios[0].params
    by_label = dict(zip(labels, scenarios))
    names: list[str] = []
    for lab in packages:
        sc = by_label.get(lab)
        if sc is None:
            continue
        for k in PARAM_INFO:
            if PARAM_INFO[k].metadata["descriptive"] or getattr(sc.params, k) == getattr(ref, k):
                continue
            if k in LEVER_PRICE:
                names.append(LEVER_PRICE[k])
            names.extend(LEVER_EFFECT_PARAMS.get(k, ()))
    for o in objectives:
        names.extend(OBJECTIVE_PARAMS.get(o, ()))
    out = []
    for k in dict.fromkeys(names):
        m = PARAM_INFO[k].metadata
        if "assumption" not in (m["source"] or "").lower():
            continue
        out.append({"name": k, "value": getattr(ref, k), "plausible": m["plausible"], "source": m["source"],
                    "doc": m["doc"]})
    return out[:limit]


def yearly_table(timeseries: pd.DataFrame, topics: pd.DataFrame | None, params: Mapping[str, Any],
                 reference: str, steps: int) -> pd.DataFrame:
    """For horizons over a year: per package and year, the paired effect on works implemented (by the end
    of that year), households taking part (mean participation over that year) and trust (at the end of the
    year), with the extra cost of that year and the cumulative extra cost (mean over runs, yuan).

    Long table: scenario, year, works, households, trust, extra_cost, cumulative_cost."""
    from consultsim.analysis.compare import end_values
    from consultsim.analysis.costs import run_costs

    years = int(steps // 52)
    rows = []
    prev_cum: dict[str, float] = {}
    for y in range(1, years + 1):
        ts = timeseries[timeseries["step"] <= 52 * y]
        fin = end_values(ts)
        tp = None
        if topics is not None and len(topics) and "step_decided" in topics.columns:
            tp = topics[topics["step_decided"].between(0, 52 * y)]
        cum = run_costs(fin, params, 52 * y, tp)  # yuan a year, averaged over the first y years
        cum = cum.assign(total=cum["total"] * y)  # yuan over the first y years
        ref_f = fin[fin["scenario"] == reference].set_index("replicate")
        ref_c = cum[cum["scenario"] == reference].set_index("replicate")["total"]
        for sc, g in fin.groupby("scenario", sort=False):
            if sc == reference:
                continue
            g = g.set_index("replicate")
            n = float(params[sc].n_residents)
            c = cum[cum["scenario"] == sc].set_index("replicate")["total"]
            cum_extra = float((c - ref_c).mean())
            rows.append({"scenario": sc, "year": y,
                         "works": float((g["implemented"] - ref_f["implemented"]).mean()),
                         "households": float((g["participation_rate"] - ref_f["participation_rate"]).mean()) * n,
                         "trust": float((g["mean_trust_committee"] - ref_f["mean_trust_committee"]).mean()),
                         "extra_cost": cum_extra - prev_cum.get(sc, 0.0), "cumulative_cost": cum_extra})
            prev_cum[sc] = cum_extra
    return pd.DataFrame(rows, columns=["scenario", "year", "works", "households", "trust", "extra_cost",
                                       "cumulative_cost"])
