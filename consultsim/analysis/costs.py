"""What each scenario costs a year, and which packages are dominated (cost more, achieve less).

Prices are the ``costs`` parameters of :class:`consultsim.core.params.Params` (descriptive: they
do not act in the model; each has its source or says "assumption"; docs/costs.md). Two items
are costed from what the runs actually did, not from what was allowed: the incentive points
paid out (``incentive_spent``, not the unused budget) and the meetings held (``meetings_held``,
which the cadence lever changes). Everything is in yuan a year for the simulated community.

Cost-effectiveness is the paired effect per 10,000 yuan of extra cost against the reference
(Drummond et al. 2015, *Methods for the Economic Evaluation of Health Care Programmes*, 4th ed.,
ch. 4: incremental cost-effectiveness; a package is *dominated* when another costs no more and
achieves at least as much, better in one of the two).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["COST_ITEMS", "lever_costs", "run_costs", "cost_table", "per_10k", "dominated"]

# Cost items in the order the report lists them (the lever each one prices).
COST_ITEMS = ("incentive_points", "incentive_admin", "pm_contract", "supervision", "meetings", "pm_inclusion",
              "subsidy", "campaign", "publication", "training", "facilitation_training", "social_workers", "online")
# Outcomes of resident-funded works whose funding was secured (they started; "unfunded" never did).
FUNDED_OUTCOMES = frozenset({"implementing", "implemented", "stalled"})


def lever_costs(p: Any, meetings_per_year: float = 0.0, incentive_per_year: float = 0.0,
                funded_works_per_year: float = 0.0) -> dict[str, float]:
    """Yearly cost of each item for parameters ``p`` (yuan), given what a run held, paid and funded a year."""
    scheme = p.incentive_per_meeting > 0 and p.incentive_budget >= p.incentive_per_meeting
    return {
        "incentive_points": float(incentive_per_year),
        "incentive_admin": p.cost_incentive_admin if scheme else 0.0,
        "pm_contract": p.cost_pm_contract if p.pm_performance_contract else 0.0,
        "supervision": p.supervision * p.oversight_cases * p.cost_oversight_case,
        "meetings": meetings_per_year * p.cost_per_meeting,
        "pm_inclusion": meetings_per_year * p.cost_pm_at_meeting if p.pm_inclusion else 0.0,
        "subsidy": p.public_subsidy * funded_works_per_year * p.cost_resident_works,
        "campaign": p.awareness_campaign * p.cost_campaign,
        "publication": p.feedback_transparency * p.cost_publication,
        "training": 4 * p.training_sessions_per_quarter * p.cost_training_session,
        "facilitation_training": p.cost_facilitation_training if p.committee_facilitation_training else 0.0,
        "social_workers": p.social_workers * p.social_worker_hours / 40.0 * p.cost_social_worker,
        "online": p.cost_online_platform if p.online_channel else 0.0,
    }


def funded_works(topics: pd.DataFrame | None) -> dict[tuple[str, int], int]:
    """Resident-funded works whose funding was secured, per (scenario, replicate)."""
    from consultsim.core.topics import CATALOG

    if topics is None or not len(topics):
        return {}
    resident = [k for k, tt in CATALOG.items() if tt.implementer == "residents"]
    t = topics[topics["type"].isin(resident) & topics["outcome"].isin(FUNDED_OUTCOMES)]
    return {(s, int(r)): int(n) for (s, r), n in t.groupby(["scenario", "replicate"]).size().items()}


def run_costs(final: pd.DataFrame, params: Mapping[str, Any], steps: int,
              topics: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per run (scenario, replicate): each item's yearly cost and ``total``.

    ``final`` is :func:`consultsim.analysis.compare.end_values` output (cumulative
    ``meetings_held`` and ``incentive_spent`` at the end); ``params`` maps scenario label to Params;
    ``topics`` (the runs' topic records) prices the public subsidy per retrofit actually funded.
    """
    years = max(steps, 1) / 52.0
    works = funded_works(topics)
    rows = []
    for r in final.itertuples(index=False):
        c = lever_costs(params[r.scenario], getattr(r, "meetings_held", 0.0) / years,
                        getattr(r, "incentive_spent", 0.0) / years,
                        works.get((r.scenario, int(r.replicate)), 0) / years)
        rows.append({"scenario": r.scenario, "replicate": r.replicate, **c, "total": sum(c.values())})
    return pd.DataFrame(rows, columns=["scenario", "replicate", *COST_ITEMS, "total"])


def cost_table(costs: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Per scenario: mean yearly cost of each item and in total, and the extra cost over ``reference``
    (mean of the paired per-run differences), with the lowest and highest run of each (total_min,
    total_max, extra_min, extra_max)."""
    mean = costs.groupby("scenario", sort=False)[[*COST_ITEMS, "total"]].mean()
    ref = costs[costs["scenario"] == reference].set_index("replicate")["total"]
    diffs = {sc: (g.set_index("replicate")["total"] - ref).dropna() for sc, g in costs.groupby("scenario", sort=False)}
    mean["extra"] = pd.Series({sc: float(d.mean()) for sc, d in diffs.items()})
    # the spread over runs: what the runs did (meetings held, points paid, retrofits funded) varies the cost
    mean["total_min"] = costs.groupby("scenario", sort=False)["total"].min()
    mean["total_max"] = costs.groupby("scenario", sort=False)["total"].max()
    mean["extra_min"] = pd.Series({sc: float(d.min()) if len(d) else np.nan for sc, d in diffs.items()})
    mean["extra_max"] = pd.Series({sc: float(d.max()) if len(d) else np.nan for sc, d in diffs.items()})
    return mean.reset_index()


def per_10k(effects: pd.DataFrame, table: pd.DataFrame, steps: int = 52) -> pd.DataFrame:
    """Effects per 10,000 yuan of extra yearly cost: ``effects`` gains extra_cost, per10k,
    per10k_low, per10k_high (the effect's interval divided by the mean extra cost; NaN where the
    package costs no more than the reference).

    Units are kept per year on both sides: a cumulative count over ``steps`` weeks (complaints,
    works) is first turned into a count a year, so "per 10,000 yuan" divides a yearly count by a
    yearly cost; levels (shares, 0-1 scales) are divided as they are."""
    from consultsim.core.metric_names import CUMULATIVE

    extra = table.set_index("scenario")["extra"]
    out = effects.copy()
    out["extra_cost"] = out["scenario"].map(extra)
    years = max(int(steps), 1) / 52.0
    per_year = np.where(out["metric"].isin(CUMULATIVE), 1.0 / years, 1.0)
    scale = per_year * np.where(out["extra_cost"] > 0, 1e4 / out["extra_cost"].where(out["extra_cost"] > 0), np.nan)
    for a, b in (("diff", "per10k"), ("ci_low", "per10k_low"), ("ci_high", "per10k_high")):
        out[b] = out[a] * scale
    return out


def dominated(points: pd.DataFrame, better: int = +1) -> set[str]:
    """Scenarios dominated on one outcome: another costs no more and achieves at least as much, and is
    strictly better in one of the two. ``points`` has columns scenario, cost, effect (the reference
    included, with effect 0); ``better`` is +1 if a higher effect is better, -1 if lower is."""
    pts = [(r.scenario, float(r.cost), better * float(r.effect)) for r in points.itertuples(index=False)
           if np.isfinite(r.cost) and np.isfinite(r.effect)]
    out = set()
    for s, c, e in pts:
        for s2, c2, e2 in pts:
            if s2 != s and c2 <= c and e2 >= e and (c2 < c or e2 > e):
                out.add(s)
                break
    return out
