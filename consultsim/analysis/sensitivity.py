"""Global sensitivity analysis of a finished Sobol or Morris sweep, with SALib.

Outcomes are the experiment's metrics at the final step (or at a chosen
week, or averaged over a window of weeks: :mod:`consultsim.analysis.outcomes`),
averaged over the replicates of each sample where they are defined (so the indices describe the expected outcome;
replicate noise that does not average out shows up as interaction, i.e.
ST > S1). Indices are computed on the unit hypercube the design was drawn
on, so Morris' mu* is "change of the outcome over the whole range of the
parameter" and comparable across parameters.

- Sobol: first-order S1, total-order ST (and S2 with ``second_order``),
  estimators of Saltelli et al. (2010) and Jansen (1999) as implemented by
  ``SALib.analyze.sobol``; bootstrap 95% confidence intervals.
- Morris: mu* (mean absolute elementary effect, Campolongo et al. 2007),
  sigma and mu; bootstrap 95% interval for mu*.
- With ``[constraints]`` (either method): the inputs are no longer independent, so neither Saltelli's
  estimators (which swap one column between two independent samples) nor Morris' trajectories apply.
  The sweep runs the same number of samples drawn uniformly over the feasible set and the first-order
  index S1 = Var(E[Y | X_i]) / Var(Y), which stays defined for dependent inputs, is estimated from that
  given data with RBD-FAST in Plischke's EASI form (Tarantola, Gatelli & Mara 2006; Plischke 2010,
  Reliab. Eng. Syst. Saf. 95, 354-360; ``SALib.analyze.rbd_fast``), with a bootstrap 95% interval.
  No total-order index is reported: it has no estimator on such data here.

Reference: Herman & Usher (2017), SALib, JOSS 2(9), 97.
"""

from __future__ import annotations

import math
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from consultsim.sweeps.experiments import Experiment, ExperimentError

__all__ = ["analyse", "final_outcomes", "plot_indices", "seed_dependence", "convergence", "MAIN_INDEX", "main_index",
           "RESAMPLES"]

RESAMPLES = 500


def _f(x) -> float:
    """A plain float from a SALib entry (which may be a masked value)."""
    return float(np.ma.filled(np.ma.asarray(x, dtype=float), np.nan))


def final_outcomes(results: pd.DataFrame, metrics, n_samples: int, week: int | None = None,
                   window: tuple[int, int] | None = None) -> pd.DataFrame:
    """One row per sample_id (0..n_samples-1): each metric at the final step (or ``week``, or the mean
    over ``window``), mean over the replicates where it is defined (a share of attendees is undefined
    when nobody attended); NaN only where it is undefined in every replicate."""
    from consultsim.analysis.outcomes import run_outcomes

    per_run = run_outcomes(results, metrics, week, window)
    y = per_run.groupby("sample_id")[list(metrics)].mean()
    missing = n_samples - len(y)
    if missing:
        raise ExperimentError(f"{missing} of {n_samples} samples have no successful run (see runs.parquet); "
                              "Sobol and Morris analyses need every sample")
    return y.reindex(range(n_samples))


def analyse(exp: Experiment, results: pd.DataFrame, week: int | None = None,
            window: tuple[int, int] | None = None) -> pd.DataFrame:
    """Sensitivity indices: a DataFrame (outcome, parameter, index, value, conf, undefined_samples)."""
    from consultsim.sweeps.samplers import make_design

    _check_method(exp)
    design = make_design(exp)
    y = final_outcomes(results, exp.metrics, design.n_samples, week, window)
    return _indices(exp, y, design)


def _check_method(exp: Experiment) -> None:
    if exp.method not in ("sobol", "morris"):
        raise ExperimentError(f"{exp.path}: sensitivity analysis needs [sampler] method = \"sobol\" or "
                              f"\"morris\" (this one is {exp.method!r}); use consultsim plot-sweep for grids")


def _indices(exp: Experiment, y: pd.DataFrame, design, rows_used: int | None = None) -> pd.DataFrame:
    """Indices from per-sample outcomes ``y`` (one row per sample, in design order); with ``rows_used``, from
    the first that many samples only (whole Sobol blocks or Morris trajectories: a smaller base sample)."""
    from consultsim.sweeps.samplers import _design_seed, unit_problem

    problem = unit_problem(exp)
    seed = _design_seed(exp.seed) % (2**32)
    unit = design.unit if rows_used is None else design.unit[:rows_used]
    if rows_used is not None:
        y = y.iloc[:rows_used]
    rows = []
    for outcome in exp.metrics:
        Y = y[outcome].to_numpy(dtype=float)
        undefined = int(np.isnan(Y).sum())
        if undefined:  # SALib needs every sample: report the outcome as not analysable
            names = problem["names"]
            kinds = ("S1",) if exp.given_data else ("S1", "ST") if exp.method == "sobol" else ("mu_star", "sigma", "mu")
            rows += [(outcome, n, k, math.nan, math.nan) for n in names for k in kinds]
            continue
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")  # a constant outcome gives 0/0; reported as NaN
            if exp.given_data:  # dependent inputs (constraints): first-order indices from the given data
                from SALib.analyze import rbd_fast
                r = rbd_fast.analyze(problem, unit, Y, num_resamples=RESAMPLES, conf_level=0.95, seed=seed)
                for j, name in enumerate(problem["names"]):
                    rows.append((outcome, name, "S1", _f(r["S1"][j]), _f(r["S1_conf"][j])))
            elif exp.method == "sobol":
                from SALib.analyze import sobol
                r = sobol.analyze(problem, Y, calc_second_order=exp.sampler["second_order"],
                                  num_resamples=RESAMPLES, conf_level=0.95, seed=seed)
                for j, name in enumerate(problem["names"]):
                    rows.append((outcome, name, "S1", _f(r["S1"][j]), _f(r["S1_conf"][j])))
                    rows.append((outcome, name, "ST", _f(r["ST"][j]), _f(r["ST_conf"][j])))
                if exp.sampler["second_order"]:
                    for i, a in enumerate(problem["names"]):
                        for j in range(i + 1, len(problem["names"])):
                            rows.append((outcome, f"{a}:{problem['names'][j]}", "S2",
                                         _f(r["S2"][i, j]), _f(r["S2_conf"][i, j])))
            else:
                from SALib.analyze import morris
                r = morris.analyze(problem, unit, Y, num_resamples=RESAMPLES, conf_level=0.95,
                                   num_levels=exp.sampler["levels"], seed=seed)
                for j, name in enumerate(problem["names"]):
                    rows.append((outcome, name, "mu_star", _f(r["mu_star"][j]), _f(r["mu_star_conf"][j])))
                    rows.append((outcome, name, "sigma", _f(r["sigma"][j]), math.nan))
                    rows.append((outcome, name, "mu", _f(r["mu"][j]), math.nan))
    df = pd.DataFrame(rows, columns=["outcome", "parameter", "index", "value", "conf"])
    df["value"] = df["value"].astype(float)
    df["conf"] = df["conf"].astype(float)
    df["undefined_samples"] = df["outcome"].map(y.isna().sum()).astype("int64")
    return df


MAIN_INDEX = {"sobol": "ST", "morris": "mu_star"}  # the index that names a parameter's importance


def main_index(exp: Experiment) -> str:
    """The index that ranks parameters: ST (Sobol), mu* (Morris), S1 with constraints (given data)."""
    return "S1" if exp.given_data else MAIN_INDEX[exp.method]


def _compare(a: pd.DataFrame, b: pd.DataFrame, main: str, labels: tuple[str, str]) -> pd.DataFrame:
    """Per outcome: the largest change of the main index between two sets of indices, and whether they
    name the same most important parameter."""
    rows = []
    for outcome, ga in a[a["index"] == main].groupby("outcome", sort=False):
        gb = b[(b["index"] == main) & (b["outcome"] == outcome)].set_index("parameter")["value"]
        va = ga.set_index("parameter")["value"]
        d = (va - gb.reindex(va.index)).abs()
        top_a = va.idxmax() if va.notna().any() else ""
        top_b = gb.idxmax() if gb.notna().any() else ""
        rows.append({"outcome": outcome, "index": main, "max_change": float(d.max()) if d.notna().any() else math.nan,
                     f"top_{labels[0]}": top_a, f"top_{labels[1]}": top_b, "same_top": top_a == top_b,
                     f"top_value_{labels[0]}": float(va.max()) if va.notna().any() else math.nan,
                     f"top_value_{labels[1]}": float(gb.get(top_a, math.nan)) if top_a else math.nan})
    return pd.DataFrame(rows)


def seed_dependence(exp: Experiment, results: pd.DataFrame, week: int | None = None,
                    window: tuple[int, int] | None = None) -> tuple[pd.DataFrame, pd.DataFrame] | None:
    """The indices computed twice, from two independent sets of seeds (the even and the odd replicates of
    every sample), and compared: (indices of both sets, long; per outcome the largest change and whether
    the most important parameter is the same). None with fewer than two replicates (nothing to split:
    then every sample shares one random community and the indices may describe that community)."""
    from consultsim.analysis.outcomes import run_outcomes
    from consultsim.sweeps.samplers import make_design

    _check_method(exp)
    if exp.replicates < 2:
        return None
    design = make_design(exp)
    per_run = run_outcomes(results, exp.metrics, week, window)
    sets = {}
    for k, name in ((0, "a"), (1, "b")):
        part = per_run[per_run["replicate"] % 2 == k]
        y = part.groupby("sample_id")[list(exp.metrics)].mean().reindex(range(design.n_samples))
        sets[name] = _indices(exp, y, design)
    both = sets["a"].merge(sets["b"], on=["outcome", "parameter", "index"], suffixes=("_a", "_b"))
    return both, _compare(sets["a"], sets["b"], main_index(exp), ("a", "b"))


def convergence(exp: Experiment, results: pd.DataFrame, week: int | None = None,
                window: tuple[int, int] | None = None) -> pd.DataFrame:
    """Bootstrap-free convergence check: the indices from the first half of the base sample (whole Sobol
    blocks of k + 2 rows, or whole Morris trajectories of k + 1) against the full sample; per outcome the
    largest change of the main index and whether the most important parameter is the same. Indices that
    still move between N/2 and N have not converged (Sarrazin, Pianosi & Wagener 2016, Environ. Model.
    Softw. 79, 135-152)."""
    from consultsim.sweeps.samplers import make_design

    _check_method(exp)
    design = make_design(exp)
    y = final_outcomes(results, exp.metrics, design.n_samples, week, window)
    k = len(exp.varied_names)
    block = 1 if exp.given_data else \
        (2 * k + 2 if exp.sampler.get("second_order") else k + 2) if exp.method == "sobol" else k + 1
    n_blocks = design.n_samples // block
    full = _indices(exp, y, design)
    half = _indices(exp, y, design, rows_used=(n_blocks // 2) * block)
    out = _compare(half, full, main_index(exp), ("half", "full"))
    out.insert(1, "base_samples", f"{n_blocks // 2} -> {n_blocks}")
    return out


def plot_indices(indices: pd.DataFrame, path: str | Path, title: str = "", lang: str = "en") -> Path:
    """Bar chart of S1/ST (or mu*/sigma) with 95% intervals, one panel per outcome; text in ``lang``."""
    from consultsim.analysis.cjk import use_font

    with use_font(lang):
        return _plot_indices(indices, path, title, lang)


def _plot_indices(indices: pd.DataFrame, path: str | Path, title: str, lang: str) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.core.metric_names import label
    from consultsim.i18n import tr

    if lang == "zh":
        from consultsim.i18n.terms import METRIC_ZH
        label = lambda m: METRIC_ZH.get(m, m)  # noqa: E731

    kinds = set(indices["index"])
    sobol = "ST" in kinds or "mu_star" not in kinds  # variance shares (Sobol, or first-order from given data)
    pair = ("S1", "ST") if "ST" in kinds else ("mu_star", "sigma") if "mu_star" in kinds else ("S1",)
    names = {k: tr(f"fig.sens.{k}", lang) for k in ("S1", "ST", "mu_star", "sigma")}
    outcomes = list(dict.fromkeys(indices["outcome"]))
    params = list(dict.fromkeys(indices.loc[indices["index"] == pair[0], "parameter"]))
    ncol = min(3, len(outcomes))
    nrow = math.ceil(len(outcomes) / ncol)
    height = max(2.2, 0.32 * len(params) + 1.3)
    fig, axes = plt.subplots(nrow, ncol, figsize=(5.2 * ncol + 1.5, height * nrow + 0.6), squeeze=False,
                             sharey=True, layout="constrained")
    ypos = np.arange(len(params))
    bar = 0.38
    colors = ("#4C72B0", "#DD8452")
    for ax, outcome in zip(axes.flat, outcomes):
        sub = indices[indices["outcome"] == outcome].set_index(["index", "parameter"])
        for k, (idx, color) in enumerate(zip(pair, colors)):
            vals = sub.loc[idx].reindex(params)
            err = vals["conf"].to_numpy(dtype=float)
            ax.barh(ypos + (k - (len(pair) - 1) / 2) * bar, vals["value"], height=bar, color=color, label=names[idx],
                    xerr=None if np.all(np.isnan(err)) else np.nan_to_num(err), capsize=2,
                    error_kw={"elinewidth": 0.8, "ecolor": "#333333"})
        empty = bool(sub["value"].isna().all())
        if not empty:
            ax.axvline(0, color="#888888", lw=0.6)
        ax.set_title(label(outcome), fontsize=9.5, loc="left")
        ax.set_yticks(ypos, [p if lang == "zh" else p.replace("_", " ") for p in params], fontsize=8.5)
        if empty:
            ax.text(0.5, 0.5, tr("fig.sens.undefined", lang), transform=ax.transAxes, ha="center", va="center",
                    fontsize=8.5, color="#555555")
            ax.set_xticks([])
        ax.tick_params(axis="x", labelsize=8)
        ax.grid(axis="x", color="#e5e5e5", lw=0.6)
        ax.set_axisbelow(True)
        if sobol and not empty:
            ax.set_xlim(min(-0.05, ax.get_xlim()[0]), max(1.0, ax.get_xlim()[1]))
            ax.set_xlabel(tr("fig.sens.variance", lang), fontsize=8)
        elif not empty:
            ax.set_xlabel(tr("fig.sens.change", lang), fontsize=8)
    axes.flat[0].invert_yaxis()  # once: the y axis is shared; first parameter on top
    for ax in list(axes.flat)[len(outcomes):]:
        ax.set_visible(False)
    handles, labels_ = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels_, loc="outside upper right", ncol=2, fontsize=9, frameon=False)
    what = tr("fig.sens.sobol" if "ST" in kinds else "fig.sens.morris" if not sobol else "fig.sens.given", lang)
    sep = "：" if lang == "zh" else ": "
    fig.suptitle(f"{what}{sep + title if title else ''}  {tr('fig.sens.whiskers', lang)}", x=0.01, ha="left",
                 fontsize=11)
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
