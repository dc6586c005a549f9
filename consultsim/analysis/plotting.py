"""Figures for scenario comparisons (PNG, plain-language labels, one colour per scenario).

Three figures, each readable on its own:

- :func:`plot_timeseries`: key metrics over the weeks, mean of the replicates with
  a 95% band, one small panel per metric;
- :func:`plot_effects`: end-of-horizon effect of each scenario against the first,
  dot and 95% whisker, one panel per metric;
- :func:`plot_overview`: one page with the three fronts and the combined package
  next to the baseline, as levels with 95% whiskers.

Shares are shown in percent and their differences in percentage points;
0-1 scales and counts as they are. matplotlib is used with the Agg backend
(no display needed).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.core.metric_names import LABELS, UNITS

__all__ = ["TIMESERIES_METRICS", "EFFECT_METRICS", "OVERVIEW_METRICS", "FRONTS", "scenario_colors", "LEVER_FRONT",
           "is_share", "axis_unit", "plot_timeseries", "plot_effects", "plot_overview"]

TIMESERIES_METRICS = ("participation_rate", "representation_gap", "resident_proposed_share",
                      "resolutions", "implementation_rate", "stalled",
                      "mean_trust_committee", "mean_efficacy", "mean_capacity")
EFFECT_METRICS = ("participation_rate", "young_share_attendees", "representation_gap",
                  "resident_proposed_share", "resolutions", "implementation_rate",
                  "stalled", "voice_concentration", "mean_trust_committee",
                  "mean_trust_property", "mean_efficacy", "complaints")
OVERVIEW_METRICS = ("participation_rate", "representation_gap", "implementation_rate",
                    "voice_concentration", "mean_trust_committee", "mean_efficacy")
FRONTS = ("baseline", "policy", "idea", "practice", "combined")

# Fixed colours for the named packages (colour-blind-safe Okabe-Ito palette), so that a
# scenario keeps its colour across figures and reports. Single-lever scenarios take lighter
# shades of their front's colour (blues: policy, oranges: idea, greens: practice), so that a
# figure with many scenarios still reads by front. Anything else takes the remaining colours.
_FIXED = {"baseline": "#555555", "policy": "#0072B2", "idea": "#E69F00", "practice": "#009E73",
          "combined": "#CC79A7"}
LEVER_FRONT = {"incentives": "policy", "pm_contract": "policy", "supervision": "policy", "cadence": "policy",
               "pm_inclusion": "policy", "awareness": "idea", "feedback": "idea", "training": "practice",
               "facilitation": "practice", "social_workers": "practice", "online": "practice"}
_SHADES = {"policy": ("#6BAED6", "#2B8CBE", "#9ECAE1", "#4292C6", "#08519C"),
           "idea": ("#FD8D3C", "#D94801"),
           "practice": ("#74C476", "#238B45", "#A1D99B", "#00441B")}
_OTHERS = ("#D55E00", "#56B4E9", "#000000", "#8C564B", "#9467BD", "#17BECF", "#BCBD22",
           "#7F7F7F", "#E377C2", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728")


# End-of-horizon values of participation, age mix and voice are averages over the final year
# (consultsim.analysis.compare.FINAL_WINDOW); the figures say so.
_WINDOW_NOTE = "participation, age mix and voice: average over the last 52 weeks"


def scenario_colors(labels: Sequence[str]) -> dict[str, str]:
    """One colour per scenario label: fixed for the packages, by front for single levers."""
    out: dict[str, str] = {}
    rest = []
    for lab in labels:
        base = lab.split(" (")[0]
        if base in _FIXED and _FIXED[base] not in out.values():
            out[lab] = _FIXED[base]
        elif base in LEVER_FRONT and base == lab:  # a lever keeps its shade whatever else is compared
            front = LEVER_FRONT[base]
            siblings = [k for k, f in LEVER_FRONT.items() if f == front]
            out[lab] = _SHADES[front][siblings.index(base) % len(_SHADES[front])]
        else:
            rest.append(lab)
    free = [c for c in _OTHERS if c not in out.values()] or list(_OTHERS)
    for k, lab in enumerate(rest):
        out[lab] = free[k % len(free)]
    return out


def _line_styles(labels: Sequence[str]) -> dict[str, str]:
    """Solid lines, except that single levers of the same front cycle through dashes."""
    seen: dict[str, int] = {}
    out = {}
    for lab in labels:
        front = LEVER_FRONT.get(lab.split(" (")[0])
        if front is None:
            out[lab] = "-"
            continue
        out[lab] = ("-", "--", ":", "-.")[seen.get(front, 0) % 4]
        seen[front] = seen.get(front, 0) + 1
    return out


def is_share(metric: str) -> bool:
    return "share" in UNITS.get(metric, "")


def axis_unit(metric: str, diff: bool = False) -> str:
    """The unit as shown on an axis (percent for shares)."""
    if is_share(metric):
        return "percentage points" if diff else "%"
    unit = UNITS.get(metric, "")
    return unit.replace(", cumulative", " (total so far)") if not diff else unit.replace(", cumulative", "")


def _factor(metric: str) -> float:
    return 100.0 if is_share(metric) else 1.0


def _wrap(text: str, width: int = 34) -> str:
    import textwrap
    return "\n".join(textwrap.wrap(text, width))


def _fmt_bar(v: float, factor: float) -> str:
    if factor == 1 and abs(v) < 10:
        return f"{v:.2f}"
    return f"{v:.1f}" if abs(v) < 10 else f"{v:,.0f}"


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    return plt


def _grid(n: int, ncols: int = 3):
    return int(np.ceil(n / ncols)), min(n, ncols)


def plot_timeseries(band: pd.DataFrame, path: str | Path, metrics: Sequence[str] = TIMESERIES_METRICS,
                    colors: dict[str, str] | None = None, title: str | None = None) -> Path:
    """Small multiples of the metrics over time: replicate mean line and 95% band per scenario.

    ``band`` is :func:`consultsim.analysis.compare.bands` output (columns scenario, step and a
    (stat, metric) MultiIndex for mean / ci_low / ci_high).
    """
    plt = _plt()
    labels = list(dict.fromkeys(band["scenario"]))
    colors = colors or scenario_colors(labels)
    metrics = [m for m in metrics if ("mean", m) in band.columns]
    nrows, ncols = _grid(len(metrics))
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols, 3.0 * nrows + 0.9), squeeze=False,
                             sharex=True, layout="constrained")
    # Many scenarios: shades of one front get different dashes, and only the first scenario (the
    # reference) keeps its band, so that the lines stay distinguishable.
    crowded = len(labels) > 6
    styles = _line_styles(labels)
    for ax, m in zip(axes.flat, metrics):
        f = _factor(m)
        for k, lab in enumerate(labels):
            d = band[band["scenario"] == lab]
            x = d["step"].to_numpy()
            ax.plot(x, d[("mean", m)] * f, color=colors[lab], lw=1.4 if crowded else 1.8, ls=styles[lab],
                    label=lab)
            if not crowded or k == 0:
                ax.fill_between(x, d[("ci_low", m)] * f, d[("ci_high", m)] * f, color=colors[lab],
                                alpha=0.2, lw=0)
        ax.set_title(_wrap(LABELS.get(m, m)), fontsize=10.5)
        ax.set_ylabel(axis_unit(m), fontsize=9)
        ax.grid(alpha=0.3)
        ax.tick_params(labelsize=8.5)
    for ax in axes[-1]:
        ax.set_xlabel("week", fontsize=9)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    handles, names = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, names, loc="outside lower center", ncol=min(len(labels), 6), frameon=False,
               fontsize=10)
    default = "Key measures over time (line: mean of runs; band: 95% interval"
    default += f", shown for {labels[0]} only)" if crowded else ")"
    fig.suptitle(title or default, fontsize=12.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_effects(effects: pd.DataFrame, reference: str, path: str | Path,
                 metrics: Sequence[str] = EFFECT_METRICS, colors: dict[str, str] | None = None,
                 horizon_weeks: int | None = None) -> Path:
    """Dot-and-whisker plots: each scenario's paired difference from ``reference`` with its 95% interval."""
    plt = _plt()
    scen = list(dict.fromkeys(effects["scenario"]))
    colors = colors or scenario_colors([reference, *scen])
    metrics = [m for m in metrics if m in set(effects["metric"])]
    nrows, ncols = _grid(len(metrics))
    height = max(2.4, 0.32 * len(scen) + 1.3)
    fig, axes = plt.subplots(nrows, ncols, figsize=(4.4 * ncols, height * nrows + 0.6), squeeze=False,
                             sharey=True, layout="constrained")
    y = np.arange(len(scen))[::-1]
    for ax, m in zip(axes.flat, metrics):
        f = _factor(m)
        d = effects[effects["metric"] == m].set_index("scenario").reindex(scen)
        for yi, lab in zip(y, scen):
            row = d.loc[lab]
            lo, hi, mid = row["ci_low"] * f, row["ci_high"] * f, row["diff"] * f
            if np.isfinite(lo) and np.isfinite(hi):
                ax.plot([lo, hi], [yi, yi], color=colors[lab], lw=2.2)
            ax.plot([mid], [yi], "o", color=colors[lab], ms=6.5)
        ax.axvline(0, color="black", lw=0.9)
        ax.set_yticks(y)
        ax.set_yticklabels(scen, fontsize=9)
        ax.set_title(_wrap(LABELS.get(m, m)), fontsize=10.5)
        ax.set_xlabel(f"change vs {reference} ({axis_unit(m, diff=True)})", fontsize=8.5)
        ax.grid(axis="x", alpha=0.3)
        ax.tick_params(axis="x", labelsize=8.5)
        ax.set_ylim(-0.7, len(scen) - 0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    when = f"after {horizon_weeks} weeks" if horizon_weeks else "at the end of the horizon"
    fig.suptitle(f"Effects against {reference} {when} (dot: mean paired difference; line: 95% interval)\n"
                 f"{_WINDOW_NOTE}", fontsize=12.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def plot_overview(summary: pd.DataFrame, path: str | Path, metrics: Sequence[str] = OVERVIEW_METRICS,
                  scenarios: Sequence[str] | None = None, colors: dict[str, str] | None = None,
                  horizon_weeks: int | None = None) -> Path:
    """One page: the level of each key measure per scenario (bar: mean; whisker: 95% interval).

    By default shows the study's three fronts and the combined package next to the
    baseline (those of them that were compared), or every scenario if none of them was.
    """
    plt = _plt()
    present = list(dict.fromkeys(summary["scenario"]))
    if scenarios is None:
        scenarios = [s for s in FRONTS if s in present]
        if len(scenarios) < 2:
            scenarios = present
    colors = colors or scenario_colors(present)
    metrics = [m for m in metrics if m in set(summary["metric"])]
    nrows, ncols = _grid(len(metrics), 3)
    fig, axes = plt.subplots(nrows, ncols, figsize=(13.5, 3.5 * nrows + 0.9), squeeze=False,
                             layout="constrained")
    x = np.arange(len(scenarios))
    for ax, m in zip(axes.flat, metrics):
        f = _factor(m)
        d = summary[summary["metric"] == m].set_index("scenario").reindex(scenarios)
        mean = d["mean"].to_numpy(float) * f
        err = np.vstack([mean - d["ci_low"].to_numpy(float) * f, d["ci_high"].to_numpy(float) * f - mean])
        ax.bar(x, mean, color=[colors[s] for s in scenarios], alpha=0.85, width=0.7)
        ax.errorbar(x, mean, yerr=np.nan_to_num(err), fmt="none", ecolor="black", capsize=4, lw=1.2)
        if len(mean) and np.isfinite(mean[0]):
            ax.axhline(mean[0], color=colors[scenarios[0]], ls="--", lw=1)
        tops = np.where(np.isfinite(d["ci_high"].to_numpy(float)), d["ci_high"].to_numpy(float) * f, mean)
        for xi, v, top in zip(x, mean, tops):
            if np.isfinite(v):  # the value just above the whisker, so the two never overlap
                ax.annotate(_fmt_bar(v, f), (xi, top),
                            xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=8.5)
        ax.margins(y=0.12)
        ax.set_xticks(x)
        ax.set_xticklabels(scenarios, fontsize=9.5)
        ax.set_title(_wrap(LABELS.get(m, m), 40), fontsize=11)
        ax.set_ylabel(axis_unit(m), fontsize=9)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    when = f"after {horizon_weeks} weeks" if horizon_weeks else "at the end of the horizon"
    fig.suptitle(f"The three fronts and the combined package {when}\n"
                 f"(bar: mean of runs; whisker: 95% interval; dashed line: {scenarios[0]}; {_WINDOW_NOTE})",
                 fontsize=12.5)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
