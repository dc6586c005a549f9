"""Figures for scenario comparisons (PNG, plain-language labels, one colour per scenario).

Four figures, each readable on its own, in English or Chinese (``lang``; the shipped CJK font,
:mod:`consultsim.analysis.cjk`, is registered at plot time):

- :func:`plot_timeseries`: key metrics over the weeks, mean of the replicates with
  a 95% band, one small panel per metric;
- :func:`plot_effects`: end-of-horizon effect of each scenario against the first,
  dot and 95% whisker, one panel per metric;
- :func:`plot_overview`: one page with every compared scenario's level of the key
  measures, with 95% whiskers (2 to 16 scenarios stay readable);
- :func:`plot_cost_effect`: extra cost a year against effect, dominated packages hollow.

Shares are shown in percent and their differences in percentage points;
0-1 scales and counts as they are. matplotlib is used with the Agg backend
(no display needed).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.analysis.cjk import use_font
from consultsim.core.metric_names import LABELS, UNITS
from consultsim.i18n import tr

# The window over which participation measures are averaged (consultsim.analysis.compare.FINAL_WINDOW);
# shorter runs average over all their weeks, and the figures say which.
FINAL_WINDOW_WEEKS = 52

# Which direction a policymaker would call better (the field study's aims: broad, equal
# participation; resolutions carried out; trust and efficacy growing).
BETTER = {"participation_rate": +1, "attendance_rate": +1, "young_share_attendees": +1,
          "representation_gap": -1, "participation_gini": -1, "resident_proposed_share": +1,
          "procedure_completion": +1, "implementation_rate": +1, "implemented": +1, "stalled": -1,
          "voice_concentration": -1, "mean_consensus": +1, "mean_trust_committee": +1,
          "mean_trust_property": +1, "mean_efficacy": +1, "mean_capacity": +1, "mean_civic": +1,
          "complaints": -1, "resolutions": +1}

__all__ = ["TIMESERIES_METRICS", "EFFECT_METRICS", "OVERVIEW_METRICS", "COST_EFFECT_METRICS", "FRONTS", "BETTER",
           "scenario_colors", "LEVER_FRONT", "is_share", "axis_unit", "metric_label", "window_note",
           "plot_timeseries", "plot_effects", "plot_overview", "plot_cost_effect"]

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
# scenario keeps its colour across figures and reports. In a figure of up to len(_HUES) scenarios
# every scenario gets its own hue family (no two blues, no two oranges): the packages keep theirs,
# a single lever takes its front's hue if it is free, anything else the next free hue. With more
# scenarios than hues, single levers take shades of their front's colour (blues: policy, oranges:
# idea, greens: practice) and dashes tell siblings apart (_line_styles).
_FIXED = {"baseline": "#555555", "policy": "#0072B2", "idea": "#E69F00", "practice": "#009E73",
          "combined": "#CC79A7"}
LEVER_FRONT = {"incentives": "policy", "pm_contract": "policy", "supervision": "policy", "cadence": "policy",
               "pm_inclusion": "policy", "subsidy": "policy", "awareness": "idea", "feedback": "idea", "training": "practice",
               "facilitation": "practice", "social_workers": "practice", "online": "practice"}
_SHADES = {"policy": ("#6BAED6", "#2B8CBE", "#9ECAE1", "#4292C6", "#08519C", "#C6DBEF"),
           "idea": ("#FD8D3C", "#D94801"),
           "practice": ("#74C476", "#238B45", "#A1D99B", "#00441B")}
_OTHERS = ("#D55E00", "#56B4E9", "#000000", "#8C564B", "#9467BD", "#17BECF", "#BCBD22",
           "#7F7F7F", "#E377C2", "#1F77B4", "#FF7F0E", "#2CA02C", "#D62728")
# One colour per hue family, in the order they are handed out (grey, blue, orange, green, pink are the
# packages' own; then red, black, olive, violet, cyan).
_HUES = ("#555555", "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#C0392B", "#000000", "#BCBD22",
         "#6A3D9A", "#17BECF")
_FRONT_HUE = {"policy": "#0072B2", "idea": "#E69F00", "practice": "#009E73"}


def scenario_colors(labels: Sequence[str]) -> dict[str, str]:
    """One colour per scenario label: a distinct hue family each for up to len(_HUES) scenarios (the packages'
    fixed colours kept); beyond that fixed for the packages and by front for single levers."""
    labels = list(labels)
    out: dict[str, str] = {}
    if len(labels) <= len(_HUES):
        rest = []
        for lab in labels:
            base = lab.split(" (")[0]
            if base in _FIXED and _FIXED[base] not in out.values():
                out[lab] = _FIXED[base]
            else:
                rest.append(lab)
        later = []
        for lab in rest:  # a single lever takes its front's hue when no package of that front is shown
            hue = _FRONT_HUE.get(LEVER_FRONT.get(lab.split(" (")[0], ""))
            if hue and hue not in out.values():
                out[lab] = hue
            else:
                later.append(lab)
        free = [c for c in _HUES if c not in out.values()]
        for lab, c in zip(later, free):
            out[lab] = c
        return {lab: out[lab] for lab in labels}
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


def axis_unit(metric: str, diff: bool = False, lang: str = "en") -> str:
    """The unit as shown on an axis (percent for shares)."""
    if is_share(metric):
        return tr("unit.pp", lang) if diff else "%"
    unit = UNITS.get(metric, "")
    if "cumulative" not in unit:
        return tr(f"unit.{unit}", lang) if unit else ""
    first = unit.split(",")[0]
    shown = tr(f"unit.{first}", lang) if first in ("topics", "calls", "meetings", "yuan") else first
    total = tr("unit.total_so_far", lang)
    return shown if diff else (f"{shown}（{total}）" if lang == "zh" else f"{shown} ({total})")


def metric_label(metric: str, lang: str = "en") -> str:
    return tr(f"metric.{metric}", lang) if metric in LABELS else metric


def window_note(steps: int | None, lang: str = "en") -> str:
    """How the participation measures were measured: averaged over the last N weeks (N as run)."""
    w = FINAL_WINDOW_WEEKS if steps is None else min(FINAL_WINDOW_WEEKS, int(steps))
    return tr("fig.window", lang, w=w)


def _factor(metric: str) -> float:
    return 100.0 if is_share(metric) else 1.0


def _wrap(text: str, width: int = 34) -> str:
    import textwrap
    if any(ord(c) > 0x2E80 for c in text):  # Chinese has no spaces: wrap by characters (two columns each)
        width = max(8, width // 2)
        return "\n".join(text[i:i + width] for i in range(0, len(text), width))
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


def _names(labels: Sequence[str], names: Mapping[str, str] | None) -> dict[str, str]:
    return {lab: (names or {}).get(lab, lab) for lab in labels}


def _save(fig, path: str | Path) -> Path:
    path = Path(path)
    fig.savefig(path, dpi=110)
    _plt().close(fig)
    return path


def plot_timeseries(band: pd.DataFrame, path: str | Path, metrics: Sequence[str] = TIMESERIES_METRICS,
                    colors: dict[str, str] | None = None, title: str | None = None, *, lang: str = "en",
                    names: Mapping[str, str] | None = None, runs: int | None = None) -> Path:
    """Small multiples of the metrics over time: replicate mean line and 95% band per scenario.

    ``band`` is :func:`consultsim.analysis.compare.bands` output (columns scenario, step and a
    (stat, metric) MultiIndex for mean / ci_low / ci_high). ``names`` maps labels to the names shown.
    """
    plt = _plt()
    labels = list(dict.fromkeys(band["scenario"]))
    shown = _names(labels, names)
    colors = colors or scenario_colors(labels)
    metrics = [m for m in metrics if ("mean", m) in band.columns]
    nrows, ncols = _grid(len(metrics))
    with use_font(lang):
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.3 * ncols, 3.0 * nrows + 0.6 + 0.25 * (len(labels) // 6)),
                                 squeeze=False, sharex=True, layout="constrained")
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
                        label=shown[lab])
                if not crowded or k == 0:
                    ax.fill_between(x, d[("ci_low", m)] * f, d[("ci_high", m)] * f, color=colors[lab],
                                    alpha=0.2, lw=0)
            ax.set_title(_wrap(metric_label(m, lang)), fontsize=10.5)
            ax.set_ylabel(axis_unit(m, lang=lang), fontsize=9)
            ax.grid(alpha=0.3)
            ax.tick_params(labelsize=8.5)
        for ax in axes[-1]:
            ax.set_xlabel(tr("fig.week", lang), fontsize=9)
        for ax in list(axes.flat)[len(metrics):]:
            ax.set_visible(False)
        handles, leg = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, leg, loc="outside lower center", ncol=min(len(labels), 6), frameon=False,
                   fontsize=10)
        default = (tr("fig.timeseries_crowded", lang, ref=shown[labels[0]]) if crowded
                   else tr("fig.timeseries", lang))
        if runs:
            default += "  " + tr("report.runs_n", lang, n=runs)
        fig.suptitle(title or default, fontsize=12.5)
        return _save(fig, path)


def plot_effects(effects: pd.DataFrame, reference: str, path: str | Path,
                 metrics: Sequence[str] = EFFECT_METRICS, colors: dict[str, str] | None = None,
                 horizon_weeks: int | None = None, *, lang: str = "en",
                 names: Mapping[str, str] | None = None) -> Path:
    """Dot-and-whisker plots: each scenario's paired difference from ``reference`` with its 95% interval."""
    plt = _plt()
    scen = list(dict.fromkeys(effects["scenario"]))
    shown = _names([reference, *scen], names)
    colors = colors or scenario_colors([reference, *scen])
    metrics = [m for m in metrics if m in set(effects["metric"])]
    runs = int(effects["n"].max()) if len(effects) else 0
    nrows, ncols = _grid(len(metrics))
    height = max(2.4, 0.32 * len(scen) + 1.3)
    with use_font(lang):
        fig, axes = plt.subplots(nrows, ncols, figsize=(4.6 * ncols, height * nrows + 0.8), squeeze=False,
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
            ax.set_yticklabels([shown[s] for s in scen], fontsize=9)
            ax.set_title(_wrap(metric_label(m, lang)), fontsize=10.5)
            ax.set_xlabel(tr("fig.change_vs", lang, ref=shown[reference], unit=axis_unit(m, True, lang)),
                          fontsize=8.5)
            ax.grid(axis="x", alpha=0.3)
            ax.tick_params(axis="x", labelsize=8.5)
            ax.set_ylim(-0.7, len(scen) - 0.3)
        for ax in list(axes.flat)[len(metrics):]:
            ax.set_visible(False)
        fig.suptitle(tr("fig.effects", lang, ref=shown[reference], steps=horizon_weeks or "?", n=runs) + "\n"
                     + window_note(horizon_weeks, lang), fontsize=12)
        return _save(fig, path)


def plot_overview(summary: pd.DataFrame, path: str | Path, metrics: Sequence[str] = OVERVIEW_METRICS,
                  scenarios: Sequence[str] | None = None, colors: dict[str, str] | None = None,
                  horizon_weeks: int | None = None, *, lang: str = "en",
                  names: Mapping[str, str] | None = None) -> Path:
    """One page: the level of each key measure for every compared scenario (bar: mean; whisker: 95%
    interval, already cut to what the measure can take), the first scenario as a dashed line.

    Bars are horizontal, one row per scenario, so that 2 to 16 names stay readable.
    """
    plt = _plt()
    present = list(dict.fromkeys(summary["scenario"]))
    scenarios = list(scenarios or present)
    shown = _names(scenarios, names)
    colors = colors or scenario_colors(present)
    metrics = [m for m in metrics if m in set(summary["metric"])]
    runs = int(summary["n"].max()) if len(summary) else 0
    nrows, ncols = _grid(len(metrics), 3)
    row_h = max(2.6, 0.3 * len(scenarios) + 1.2)
    with use_font(lang):
        fig, axes = plt.subplots(nrows, ncols, figsize=(14.0, row_h * nrows + 1.0), squeeze=False,
                                 sharey=True, layout="constrained")
        y = np.arange(len(scenarios))[::-1]
        for ax, m in zip(axes.flat, metrics):
            f = _factor(m)
            d = summary[summary["metric"] == m].set_index("scenario").reindex(scenarios)
            mean = d["mean"].to_numpy(float) * f
            lo, hi = d["ci_low"].to_numpy(float) * f, d["ci_high"].to_numpy(float) * f
            err = np.nan_to_num(np.vstack([mean - lo, hi - mean]))
            ax.barh(y, mean, color=[colors[s] for s in scenarios], alpha=0.85, height=0.7)
            ax.errorbar(mean, y, xerr=err, fmt="none", ecolor="black", capsize=3, lw=1.1)
            if len(mean) and np.isfinite(mean[0]):
                ax.axvline(mean[0], color=colors[scenarios[0]], ls="--", lw=1)
            ends = np.where(np.isfinite(hi), hi, mean)
            for yi, v, end in zip(y, mean, ends):
                if np.isfinite(v):  # the value just beyond the whisker, so the two never overlap
                    ax.annotate(_fmt_bar(v, f), (end, yi), xytext=(3, 0), textcoords="offset points",
                                ha="left", va="center", fontsize=8)
            ax.margins(x=0.18)
            if np.nanmax(np.append(ends, 0.0)) > 0:  # all zero (e.g. nothing implemented yet): keep the default
                ax.set_xlim(left=0)
            ax.set_yticks(y)
            ax.set_yticklabels([shown[s] for s in scenarios], fontsize=9)
            ax.set_title(_wrap(metric_label(m, lang), 40), fontsize=10.5)
            ax.set_xlabel(axis_unit(m, lang=lang), fontsize=9)
            ax.grid(axis="x", alpha=0.3)
            ax.set_ylim(-0.7, len(scenarios) - 0.3)
        for ax in list(axes.flat)[len(metrics):]:
            ax.set_visible(False)
        fig.suptitle(tr("fig.overview", lang, n=len(scenarios), steps=horizon_weeks or "?") + "\n"
                     + tr("fig.overview_sub", lang, runs=runs, ref=shown[scenarios[0]]) + "; "
                     + window_note(horizon_weeks, lang), fontsize=12)
        return _save(fig, path)


# Where a point's label may go, in points from the point (tried in this order).
_LABEL_OFFSETS = ((6, 4), (6, -12), (-6, 4), (-6, -12), (6, 16), (6, -24), (-6, 16), (-6, -24), (6, 28),
                  (6, -36), (-6, 28), (-6, -36), (6, 40), (6, -48))


def place_labels(fig, ax, items: Sequence[tuple[float, float, str, str]], fontsize: float = 8.5) -> list:
    """Annotate each (x, y, text, colour) beside its point where it overlaps no label placed before and no
    point: the first free offset of _LABEL_OFFSETS (greedy placement); if none is free, the least crowded.
    Returns the annotations."""
    from matplotlib.transforms import Bbox

    fig.canvas.draw()  # fixes the layout, so that sizes on screen are final
    renderer = fig.canvas.get_renderer()
    pts = [ax.transData.transform((x, y)) for x, y, _, _ in items]
    marks = [Bbox.from_extents(px - 5, py - 5, px + 5, py + 5) for px, py in pts]
    placed: list = []
    out = []
    for i, (x, y, text, color) in enumerate(items):
        others = marks[:i] + marks[i + 1:]
        best, best_hits = None, None
        for dx, dy in _LABEL_OFFSETS:
            a = ax.annotate(text, (x, y), xytext=(dx, dy), textcoords="offset points", fontsize=fontsize,
                            color=color, ha="left" if dx >= 0 else "right")
            bb = a.get_window_extent(renderer).expanded(1.02, 1.1)
            hits = sum(bb.overlaps(o) for o in placed) + sum(bb.overlaps(m) for m in others)
            if best is None or hits < best_hits:
                if best is not None:
                    best.remove()
                best, best_hits, best_bb = a, hits, bb
            else:
                a.remove()
            if hits == 0:
                break
        placed.append(best_bb)
        out.append(best)
    return out


COST_EFFECT_METRICS = ("participation_rate", "implementation_rate", "mean_trust_committee", "complaints")


def plot_cost_effect(points: pd.DataFrame, reference: str, path: str | Path,
                     metrics: Sequence[str] = COST_EFFECT_METRICS, colors: dict[str, str] | None = None,
                     *, lang: str = "en", names: Mapping[str, str] | None = None) -> Path:
    """Extra cost a year (x) against effect (y, dot and 95% whisker), one panel per outcome.

    ``points``: scenario, metric, cost (extra yuan a year), effect, ci_low, ci_high, n, dominated
    (bool). The reference sits at (0, 0). Dominated packages are drawn hollow and grey, and named
    so, so they stand out at a glance.
    """
    plt = _plt()
    scen = list(dict.fromkeys(points["scenario"]))
    shown = _names(scen, names)
    colors = colors or scenario_colors(scen)
    metrics = [m for m in metrics if m in set(points["metric"])]
    runs = int(points["n"].max()) if len(points) else 0
    crowded = len(scen) > 6
    nrows, ncols = _grid(len(metrics), 2)
    with use_font(lang):
        fig, axes = plt.subplots(nrows, ncols, figsize=(13.0, 4.6 * nrows + 0.8), squeeze=False,
                                 layout="constrained")
        pending = []
        for ax, m in zip(axes.flat, metrics):
            f = _factor(m)
            d = points[points["metric"] == m]
            labels_here: list[tuple[float, float, str, str]] = []
            for r in d.itertuples(index=False):
                x, yv = r.cost / 1e4, r.effect * f
                dom = bool(r.dominated)
                c = "#999999" if dom else colors[r.scenario]
                if np.isfinite(r.ci_low) and np.isfinite(r.ci_high):
                    ax.plot([x, x], [r.ci_low * f, r.ci_high * f], color=c, lw=1.6, alpha=0.35 if dom else 0.8)
                marker = "*" if r.scenario == reference else "o"
                ax.plot([x], [yv], marker, ms=11 if marker == "*" else 8, mfc="white" if dom else c, mec=c,
                        mew=1.8, zorder=3)
                if dom and crowded:
                    continue  # many packages: only those worth their cost are named (the report lists the rest)
                text = shown[r.scenario] + (f" ({tr('fig.dominated', lang)})" if dom else "")
                labels_here.append((x, yv, text, "#666666" if dom else "black"))
            ax.axhline(0, color="black", lw=0.8)
            ax.set_title(_wrap(metric_label(m, lang), 44) + " — "
                         + tr("fig.better_up" if BETTER.get(m, 1) > 0 else "fig.better_down", lang), fontsize=10.5)
            ax.set_xlabel(tr("fig.extra_cost", lang), fontsize=9)
            ax.set_ylabel(tr("fig.change_vs", lang, ref=shown[reference], unit=axis_unit(m, True, lang)),
                          fontsize=9)
            ax.margins(x=0.25, y=0.15)
            ax.grid(alpha=0.3)
            pending.append((ax, labels_here))
        for ax in list(axes.flat)[len(metrics):]:
            ax.set_visible(False)
        fig.suptitle(_wrap(tr("fig.cost_effect", lang, ref=shown[reference], n=runs), 130), fontsize=12)
        for ax, items in pending:
            place_labels(fig, ax, items)
        return _save(fig, path)
