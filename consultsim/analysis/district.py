"""District outcomes: totals, the spread across communities, and who is left behind.

The input is the final week of every (package, community) run
(:func:`consultsim.running.district_runs.read_results`). A district's outcome is not only its mean:
the tables here give totals, household-weighted means, the distribution across communities
(minimum, 10th percentile, median, 90th percentile, maximum), the worst-off communities and types,
and, for packages, the paired change on each community (same community, same seed: common random
numbers) with a 95% interval across communities.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["OUTCOMES", "final_rows", "community_table", "district_summary", "spread", "by_type", "left_behind",
           "paired_effects", "yearly"]

# The district outcomes: (column, better direction, kind). "rate" columns are household-weighted means,
# "count" columns are summed over communities; complaints are also given per 1,000 households.
OUTCOMES = {
    "participation_year": (+1, "rate"),
    "implemented": (+1, "count"),
    "implementation_rate": (+1, "rate"),
    "mean_trust_committee": (+1, "rate"),
    "complaints_per_1000": (-1, "rate"),
    "representation_gap": (-1, "rate"),
    "topics_proposed": (+1, "count"),
    "complaints": (-1, "count"),
}
KEY = ("participation_year", "implementation_rate", "mean_trust_committee", "complaints_per_1000")


def final_rows(df: pd.DataFrame) -> pd.DataFrame:
    """The last recorded week of each (package, community), with complaints per 1,000 households a year."""
    keys = ["package", "community"] + (["replicate"] if "replicate" in df.columns else [])
    last = df.loc[df.groupby(keys)["step"].idxmax()].copy()
    years = last["step"].clip(lower=1) / 52.0
    last["complaints_per_1000"] = last["complaints"] / last["households"] * 1000 / years
    return last.reset_index(drop=True)


def community_table(final: pd.DataFrame, package: str) -> pd.DataFrame:
    """One row per community of ``package``: type, households and the outcomes."""
    cols = ["community", "type", "households", *OUTCOMES]
    return final[final["package"] == package][cols].sort_values("community").reset_index(drop=True)


def _wmean(x: pd.Series, w: pd.Series) -> float:
    ok = np.isfinite(x.to_numpy(dtype=float))
    return float(np.average(x[ok], weights=w[ok])) if ok.any() else float("nan")


def district_summary(final: pd.DataFrame) -> pd.DataFrame:
    """Per package: communities, households, totals of counts and household-weighted means of rates."""
    rows = []
    for p, g in final.groupby("package", sort=False):
        row = {"package": p, "communities": len(g), "households": int(g["households"].sum())}
        for c, (_, kind) in OUTCOMES.items():
            row[c] = float(g[c].sum()) if kind == "count" else _wmean(g[c], g["households"])
        rows.append(row)
    return pd.DataFrame(rows)


def spread(final: pd.DataFrame, package: str) -> pd.DataFrame:
    """The distribution across the communities of ``package``: min, p10, median, p90, max of each outcome."""
    g = final[final["package"] == package]
    rows = []
    for c in OUTCOMES:
        x = g[c].to_numpy(dtype=float)
        x = x[np.isfinite(x)]
        q = np.quantile(x, [0, 0.1, 0.5, 0.9, 1]) if len(x) else [np.nan] * 5
        rows.append({"outcome": c, "min": q[0], "p10": q[1], "median": q[2], "p90": q[3], "max": q[4]})
    return pd.DataFrame(rows)


def by_type(final: pd.DataFrame, package: str) -> pd.DataFrame:
    """Per community type: communities, households, the household-weighted mean and the worst community."""
    g = final[final["package"] == package]
    rows = []
    for t, h in g.groupby("type", sort=True):
        row = {"type": t, "communities": len(h), "households": int(h["households"].sum())}
        for c in KEY:
            sign = OUTCOMES[c][0]
            row[c] = _wmean(h[c], h["households"])
            row[f"worst_{c}"] = float(h[c].min() if sign > 0 else h[c].max())
        rows.append(row)
    return pd.DataFrame(rows)


def badness(final: pd.DataFrame) -> pd.Series:
    """A community's distance behind the others: the mean of its ranks (0 best .. 1 worst) on the key outcomes."""
    ranks = []
    for c in KEY:
        sign = OUTCOMES[c][0]
        ranks.append((-sign * final[c]).rank(pct=True, na_option="bottom"))
    return pd.concat(ranks, axis=1).mean(axis=1)


def left_behind(final: pd.DataFrame, package: str, k: int = 5) -> pd.DataFrame:
    """The ``k`` worst-off communities of ``package`` by mean rank on participation, implementation rate,
    trust and complaints (each community also shows its worst outcome's rank)."""
    g = final[final["package"] == package].reset_index(drop=True)
    g = g.assign(behind=badness(g))
    cols = ["community", "type", "households", "behind", *KEY]
    return g.sort_values("behind", ascending=False)[cols].head(k).reset_index(drop=True)


def paired_effects(final: pd.DataFrame, reference: str) -> pd.DataFrame:
    """Per package and outcome: the mean paired change over communities against ``reference`` (same
    community, same seed), its 95% interval (t over communities), the share of communities made worse,
    and the change in the worst-off tenth (the 10th percentile of the better-is-higher outcome)."""
    from scipy import stats

    ref = final[final["package"] == reference].set_index("community")
    rows = []
    for p, g in final.groupby("package", sort=False):
        if p == reference:
            continue
        g = g.set_index("community").reindex(ref.index)
        for c in KEY:
            sign = OUTCOMES[c][0]
            d = (g[c] - ref[c]).to_numpy(dtype=float)
            d = d[np.isfinite(d)]
            n = len(d)
            m = float(d.mean()) if n else np.nan
            half = float(stats.t.ppf(0.975, n - 1) * d.std(ddof=1) / np.sqrt(n)) if n > 1 else np.nan
            q = 0.1 if sign > 0 else 0.9
            tail = float(np.nanquantile(g[c], q) - np.nanquantile(ref[c], q))
            rows.append({"package": p, "outcome": c, "change": m, "low": m - half, "high": m + half,
                         "worse_share": float(np.mean(sign * d < -1e-12)) if n else np.nan,
                         "worst_tenth_change": tail})
    return pd.DataFrame(rows)


def yearly(df: pd.DataFrame, package: str) -> pd.DataFrame:
    """District totals per recorded week of ``package`` (the cumulative counts and weighted rates)."""
    g = df[df["package"] == package]
    rows = []
    for s, h in g.groupby("step"):
        row = {"step": int(s), "implemented": float(h["implemented"].sum()),
               "complaints": float(h["complaints"].sum())}
        for c in ("participation_year", "mean_trust_committee"):
            row[c] = _wmean(h[c], h["households"])
        rows.append(row)
    return pd.DataFrame(rows)
