"""Figures of a finished sweep: how each outcome responds to each varied parameter.

Outcomes are the kept metrics at the last kept step of each run. For each
outcome one figure (``plots/response_<outcome>.png``) has one panel per
varied parameter showing the mean and its 95% confidence band
(t-interval across runs):

- in a grid over two parameters, one line per value of the other
  parameter, so the band is across replicates only;
- otherwise the mean over everything else at each value (grids) or in
  each of up to ten quantile bins of the parameter (sampled designs), over
  the faint cloud of per-sample means.

A grid over exactly two parameters also gets ``plots/heatmap.png``: the mean
outcome on the grid, one panel per outcome. Every title says how many
failed runs were left out, if any.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.core.metric_names import CUMULATIVE, SHARES

__all__ = ["plot_sweep", "final_step", "mean_ci"]


def final_step(results: pd.DataFrame) -> pd.DataFrame:
    """The last kept row of every run."""
    return results[results["step"] == results.groupby("run_id")["step"].transform("max")]


def mean_ci(values: pd.Series) -> tuple[float, float, float]:
    """Mean and 95% t-interval of the mean (NaN bounds for a single value)."""
    from scipy import stats

    x = values.dropna().to_numpy(dtype=float)
    n = len(x)
    if n == 0:
        return math.nan, math.nan, math.nan
    m = float(x.mean())
    if n < 2:
        return m, math.nan, math.nan
    half = float(stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / math.sqrt(n))
    return m, m - half, m + half


def _plain(name: str) -> str:
    return name.replace("_", " ")


def _xvalues(series: pd.Series) -> tuple[np.ndarray, list | None]:
    """Numeric x positions and tick labels for categorical (bool/str) parameters."""
    if series.dtype == bool or series.dtype == object or isinstance(series.dtype, pd.StringDtype):
        cats = list(dict.fromkeys(sorted(series.unique(), key=str)))
        return series.map({c: i for i, c in enumerate(cats)}).to_numpy(dtype=float), [str(c) for c in cats]
    return series.to_numpy(dtype=float), None


def _summary(x: np.ndarray, y: pd.Series, binned: bool) -> pd.DataFrame:
    df = pd.DataFrame({"x": x, "y": y.to_numpy(dtype=float)})
    if binned and df["x"].nunique() > 10:
        df["bin"] = pd.qcut(df["x"], 10, duplicates="drop")
        key, xs = "bin", df.groupby("bin", observed=True)["x"].mean()
    else:
        key, xs = "x", None
    rows = []
    for k, g in df.groupby(key, observed=True):
        m, lo, hi = mean_ci(g["y"])
        rows.append((float(xs[k]) if xs is not None else float(k), m, lo, hi))
    return pd.DataFrame(rows, columns=["x", "mean", "lo", "hi"]).sort_values("x")


_STYLES = (("-", "o"), ("--", "s"), (":", "^"), ("-.", "D"), ((0, (5, 1, 1, 1)), "v"), ((0, (1, 1)), "P"))


def _band(ax, s: pd.DataFrame, color, label=None, k: int = 0, bounds: tuple[float, float] = (-np.inf, np.inf)):
    """Mean line (the k-th line style and marker, so equal lines stay distinguishable) and its 95% band,
    cut to what the outcome can be (a share stays within 0-1)."""
    ls, marker = _STYLES[k % len(_STYLES)]
    ax.plot(s["x"], s["mean"], ls=ls, marker=marker, color=color, ms=4, lw=1.6, label=label, alpha=0.9)
    ok = s["lo"].notna()
    if ok.any():
        ax.fill_between(s.loc[ok, "x"], s.loc[ok, "lo"].clip(*bounds), s.loc[ok, "hi"].clip(*bounds), color=color,
                        alpha=0.13, lw=0)


def _metric_label(metric: str, lang: str, unit: bool = False) -> str:
    """A metric's plain name (with its unit) in ``lang``."""
    from consultsim.core.metric_names import UNITS, label

    if lang != "zh":
        return label(metric, unit=unit)
    from consultsim.i18n import tr
    from consultsim.i18n.terms import METRIC_ZH
    name = METRIC_ZH.get(metric, metric)
    return f"{name}（{tr(f'unit.{UNITS[metric]}', lang)}）" if unit and metric in UNITS else name


def plot_sweep(out: str | Path, plots: str | Path | None = None, lang: str = "en") -> list[Path]:
    """Draw the response figures (and the heat map of a two-parameter grid) with their text in ``lang``;
    return their paths."""
    from consultsim.analysis.cjk import use_font

    with use_font(lang):
        return _plot_sweep(out, plots, lang)


def _plot_sweep(out: str | Path, plots: str | Path | None, lang: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import warnings

    import matplotlib.pyplot as plt

    from consultsim.i18n import tr
    from consultsim.sweeps import load_results

    def label(metric: str, unit: bool = False) -> str:
        return _metric_label(metric, lang, unit)
    from consultsim.sweeps.storage import FailedRunsWarning

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FailedRunsWarning)  # said in every figure's title instead
        results = load_results(out)
    failed = results.attrs.get("failed", 0)
    left_out = tr("cmd.plot.failed_left", lang, n=failed) if failed else ""
    meta = results.attrs["experiment"]["experiment"]
    varied, metrics, method = meta["varied"], meta["metrics"], meta["sampler"]["method"]
    if results.empty:
        from consultsim.sweeps.experiments import ExperimentError
        raise ExperimentError(f"{out}: no finished runs to plot")
    final = final_step(results)
    plots = Path(plots) if plots else Path(out) / "plots"
    plots.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    two_grid = method == "grid" and len(varied) == 2
    cmap = plt.get_cmap("viridis")
    steps = int(final["step"].max())
    reps = meta["replicates"]

    for metric in metrics:
        share = metric in SHARES
        bounds = (0.0, 1.0) if share else (0.0, np.inf) if metric in CUMULATIVE else (-np.inf, np.inf)
        ylab = _wrap(label(metric, unit=True), 22 if lang == "zh" else 38)
        undefined = int(final[metric].isna().sum())
        ncol = min(3, len(varied))
        nrow = math.ceil(len(varied) / ncol)
        fig, axes = plt.subplots(nrow, ncol, figsize=(4.6 * ncol, 3.5 * nrow + 0.5), squeeze=False,
                                 layout="constrained")
        for ax, p in zip(axes.flat, varied):
            x, ticks = _xvalues(final[p])
            if two_grid:
                other = varied[1 - varied.index(p)]
                levels = sorted(final[other].unique(), key=lambda v: (isinstance(v, str), v))
                for i, lv in enumerate(levels):
                    sel = (final[other] == lv).to_numpy()
                    color = cmap(i / max(1, len(levels) - 1) * 0.9)
                    name = other if lang == "zh" else _plain(other)  # zh: the identifier, not English words
                    _band(ax, _summary(x[sel], final.loc[sel, metric], False), color,
                          f"{name} = {lv:g}" if isinstance(lv, (int, float)) else f"{name} = {lv}",
                          k=i, bounds=bounds)
                ax.legend(fontsize=7.5, frameon=False)
            else:
                if method != "grid":
                    per_sample = final.groupby("sample_id").agg(y=(metric, "mean"), x=(p, "first"))
                    xs, _ = _xvalues(per_sample["x"])
                    ax.scatter(xs, per_sample["y"], s=10, color="#8a8a8a", alpha=0.55, lw=0)
                _band(ax, _summary(x, final[metric], binned=method != "grid"), "#1f5fa8", bounds=bounds)
            if ticks:
                ax.set_xticks(range(len(ticks)), ticks)
            elif _is_integer(p):  # whole numbers only where the parameter is a count
                from matplotlib.ticker import MaxNLocator
                ax.xaxis.set_major_locator(MaxNLocator(integer=True))
            ax.set_xlabel(_axis_label(p, lang), fontsize=8.5)
            ax.set_ylabel(ylab, fontsize=8.5)
            if share:
                lo_, hi_ = ax.get_ylim()
                ax.set_ylim(max(lo_, -0.02), min(hi_, 1.02))
            ax.grid(color="#e8e8e8", lw=0.6)
            ax.tick_params(labelsize=8)
        for ax in list(axes.flat)[len(varied):]:
            ax.set_visible(False)
        how = tr("cmd.plot.how_two" if two_grid else "cmd.plot.how_grid" if method == "grid" else "cmd.plot.how_bins",
                 lang)
        dropped = (tr("cmd.plot.dropped", lang, n=undefined, total=len(final),
                      what=label(metric).lower() if lang == "en" else label(metric)) if undefined else "")
        fig.suptitle(tr("cmd.plot.title", lang, metric=label(metric, unit=True), steps=steps,
                        n=len(final) - undefined, reps=reps) + f"\n{how}{left_out}{dropped}",
                     fontsize=10, x=0.01, ha="left")
        path = plots / f"response_{_slug(metric)}.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

    if two_grid:
        written.append(_heatmap(final, varied, metrics, plots / "heatmap.png", steps, left_out, lang))
    return written


def _heatmap(final: pd.DataFrame, varied: list[str], metrics: list[str], path: Path, steps: int,
             left_out: str = "", lang: str = "en") -> Path:
    import matplotlib.pyplot as plt

    from consultsim.i18n import tr

    def label(metric: str) -> str:
        return _metric_label(metric, lang)

    px, py = varied
    ncol = min(3, len(metrics))
    nrow = math.ceil(len(metrics) / ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(4.8 * ncol, 3.9 * nrow + 0.4), squeeze=False,
                             layout="constrained")
    for ax, metric in zip(axes.flat, metrics):
        grid = final.groupby([py, px])[metric].mean().unstack(px)
        im = ax.imshow(grid.to_numpy(dtype=float), origin="lower", aspect="auto", cmap="viridis")
        ax.set_xticks(range(grid.shape[1]), [_fmt(v) for v in grid.columns], fontsize=8)
        ax.set_yticks(range(grid.shape[0]), [_fmt(v) for v in grid.index], fontsize=8)
        ax.set_xlabel(px if lang == "zh" else _plain(px), fontsize=9)  # zh: the identifiers, not English words
        ax.set_ylabel(py if lang == "zh" else _plain(py), fontsize=9)
        ax.set_title(label(metric), fontsize=9.5, loc="left")
        if grid.size <= 64:
            vals = grid.to_numpy(dtype=float)
            mid = np.nanmean(vals)
            for (i, j), v in np.ndenumerate(vals):
                ax.text(j, i, _fmt(v), ha="center", va="center", fontsize=7.5,
                        color="black" if v > mid else "white")
        fig.colorbar(im, ax=ax, shrink=0.85)
    for ax in list(axes.flat)[len(metrics):]:
        ax.set_visible(False)
    if lang == "zh":
        ax_names = (px, py)
    else:
        ax_names = (_plain(px), _plain(py))
    fig.suptitle(tr("cmd.plot.heat_title", lang, steps=steps, px=ax_names[0], py=ax_names[1], left=left_out),
                 fontsize=10.5, x=0.01, ha="left")
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path


def _is_integer(name: str) -> bool:
    from consultsim.core.params import PARAM_INFO

    f = PARAM_INFO.get(name)
    return f is not None and (f.type in ("int", int))


def _axis_label(name: str, lang: str = "en") -> str:
    """A parameter's name and what it means (its doc carries the unit: weeks, yuan, points, a share)."""
    from consultsim.core.params import PARAM_INFO

    f = PARAM_INFO.get(name)
    if f is None:
        return _plain(name)
    if lang == "zh":
        from consultsim.i18n.params import param_doc
        return name + "\n" + _wrap(param_doc(name, "zh"), 26)  # the identifier whole, then its meaning
    doc = re.sub(r"\s*\([^()]*[\u3000-\u9fff][^()]*\)", "", f.metadata["doc"])  # 积分制 etc.: no CJK font here
    return _wrap(f"{_plain(name)}: {doc}", 44)


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _fmt(v) -> str:
    if isinstance(v, (bool, np.bool_)) or isinstance(v, str):
        return str(v)
    v = float(v)
    if math.isnan(v):
        return ""
    return f"{v:.0f}" if abs(v) >= 1000 else f"{v:.3g}"


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]+", "_", name)
