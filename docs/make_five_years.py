"""Re-make docs/five_years.png and docs/five_years.md: every shipped scenario over five years (260 weeks).

Usage: ``.venv/bin/python docs/make_five_years.py [--replicates 10] [--households 1000] [--workers 2]``.
Each scenario runs with common random numbers (the same seeds for every package), so the curves
differ by the packages, not by luck. The figure shows, as small multiples (rows: trust in the
committee, efficacy, 12-week participation, the share of agreed resolutions implemented; columns:
policy levers, idea and practice levers, packages; the baseline in every panel), the weekly mean
over runs; the Markdown file gives the same at the end of each year, with the run-to-run standard
error, and checks on baseline runs that trust does not drift back to each household's initial value.
"""

from __future__ import annotations

import argparse
import io
import textwrap
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from consultsim.analysis.compare import run_comparison  # noqa: E402
from consultsim.core.metric_names import label  # noqa: E402
from consultsim.core.params import Params  # noqa: E402
from consultsim.running.outputs import atomic_write_bytes, atomic_write_text  # noqa: E402
from consultsim.running.scenarios import resolve_scenario  # noqa: E402
from consultsim.running.shipped import shipped_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PANELS = ("mean_trust_committee", "mean_efficacy", "participation_rate", "implementation_rate")
STEPS = 260
# small multiples: one column per group of packages, each panel with the baseline and at most six lines
# (17 lines in one panel could not be told apart)
GROUPS = {
    "policy levers": ("incentives", "supervision", "cadence", "pm_contract", "pm_inclusion", "subsidy"),
    "idea and practice levers": ("awareness", "feedback", "training", "facilitation", "social_workers", "online"),
    "packages": ("policy", "idea", "practice", "combined"),
}


def scenarios(households: int) -> list:
    """Every shipped scenario, baseline first, at ``households`` households."""
    files = sorted(shipped_dir("scenarios").glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem))
    return [resolve_scenario(f).with_overrides(n_residents=households) for f in files]


def trust_drift_back(households: int, replicates: int, seed: int) -> list[tuple[int, float, float, float]]:
    """Does trust return to each household's *initial* value? For baseline runs, at the end of each
    year: the mean |trust - initial trust| over households, the mean |long-run anchor - initial trust|,
    and the correlation of trust with its initial value. A drift back to the initial value by
    construction would shrink the first two toward 0 and raise the correlation toward 1."""
    from consultsim import ConsultationModel

    sc = resolve_scenario(shipped_dir("scenarios") / "baseline.toml").with_overrides(n_residents=households)
    rows: dict[int, list] = {}
    for r in range(replicates):
        m = ConsultationModel(sc, rng=seed + r)
        res = m.res
        for w in range(1, STEPS + 1):
            m.step()
            if w % 52 == 0:
                t0 = res.trust_committee0
                rows.setdefault(w, []).append((np.abs(res.trust_committee - t0).mean(),
                                               np.abs(res.trust_committee_lr - t0).mean(),
                                               np.corrcoef(res.trust_committee, t0)[0, 1]))
    return [(w, *np.mean(v, axis=0)) for w, v in sorted(rows.items())]


def main(replicates: int = 10, households: int = 1000, workers: int | None = None, seed: int = 20261203) -> None:
    comp = run_comparison(scenarios(households), replicates=replicates, steps=STEPS, seed=seed, workers=workers,
                          progress=False)
    ts = comp.timeseries
    mean = ts.groupby(["scenario", "step"])[list(PANELS)].mean()
    fig, axes = plt.subplots(len(PANELS), len(GROUPS), figsize=(15, 14), sharex=True, sharey="row")
    colours = plt.get_cmap("tab10")
    election = Params().committee_term_weeks - Params().committee_term_elapsed
    initial = mean.loc["baseline"].iloc[0]
    for row, metric in enumerate(PANELS):
        for col, (group, members) in enumerate(GROUPS.items()):
            ax = axes[row, col]
            base = mean.loc["baseline", metric]
            ax.plot(base.index, base.values, color="black", lw=2.2, label="baseline", zorder=5)
            for i, lab in enumerate(m for m in members if m in comp.labels):
                y = mean.loc[lab, metric]
                ax.plot(y.index, y.values, color=colours(i), lw=1.3, label=lab)
            if metric.startswith("mean_"):  # the baseline's starting level: does it come back to it?
                ax.axhline(initial[metric], color="0.5", ls="--", lw=0.8)
            ax.axvline(election, color="grey", ls=":", lw=1)
            for yr in range(52, STEPS, 52):
                ax.axvline(yr, color="0.9", lw=0.6, zorder=0)
            if row == 0:
                ax.set_title(group, fontsize=11)
            if col == 0:
                ax.set_ylabel(textwrap.fill(label(metric, unit=True), 30), fontsize=9)
            if row == len(PANELS) - 1:  # the legend under its column, clear of the curves
                ax.set_xlabel("week")
                ax.legend(fontsize=8, ncol=4, loc="upper center", bbox_to_anchor=(0.5, -0.2))
    axes[0, 0].annotate("committee election", (election, axes[0, 0].get_ylim()[1]), fontsize=8, color="grey",
                        ha="center", va="top")
    fig.suptitle(f"Five years of every shipped package (rows: outcomes; columns: groups of packages; black: baseline;"
                 f" dashed: the baseline's week-0 level): mean of {replicates} runs with the same seeds, "
                 f"{households:,} households", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=100)
    atomic_write_bytes(ROOT / "docs" / "five_years.png", buf.getvalue())
    write_table(comp, replicates, households, seed, trust_drift_back(households, min(replicates, 5), seed))


def write_table(comp, replicates: int, households: int, seed: int, drift=()) -> None:
    """docs/five_years.md: each metric at the end of each year, mean ± standard error over runs."""
    ts = comp.timeseries
    years = [52 * y for y in range(1, STEPS // 52 + 1)]
    lines = ["# Five years of every shipped package", "",
             f"Made by `docs/make_five_years.py` ({replicates} runs per scenario with common seeds from master seed "
             f"{seed}, {households:,} households, {STEPS} weeks). Mean over runs at the end of each year, with the "
             "standard error of the mean; the committee election falls in week "
             f"{Params().committee_term_weeks - Params().committee_term_elapsed} (ODD §7.8).", "",
             "![five years](five_years.png)", ""]
    for metric in PANELS:
        lines += [f"## {label(metric, unit=True)}", "", "| scenario | " + " | ".join(f"year {w // 52}" for w in years)
                  + " |", "|---|" + "---|" * len(years)]
        for lab in comp.labels:
            d = ts[(ts["scenario"] == lab) & ts["step"].isin(years)]
            cells = []
            for w in years:
                v = d.loc[d["step"] == w, metric].dropna().to_numpy()
                cells.append(f"{v.mean():.3f} ± {v.std(ddof=1) / np.sqrt(len(v)):.3f}" if len(v) > 1 else "–")
            lines.append(f"| {lab} | " + " | ".join(cells) + " |")
        lines.append("")
    if drift:
        lines += ["## Does trust drift back to each household's initial value?", "",
                  f"Baseline, {min(replicates, 5)} runs: at the end of each year the mean over households of "
                  "|trust − its initial value|, of |long-run anchor − initial value| (ODD §7.7, "
                  "`trust_anchor_rate`), and the correlation of trust with its initial value. A drift back to "
                  "the initial value would bring the first two toward 0 and the correlation toward 1.", "",
                  "| week | mean abs(trust − initial) | mean abs(anchor − initial) | corr(trust, initial) |",
                  "|---|---|---|---|"]
        lines += [f"| {w} | {a:.3f} | {b:.3f} | {c:.3f} |" for w, a, b, c in drift]
        lines.append("")
    atomic_write_text(ROOT / "docs" / "five_years.md", "\n".join(lines))


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--households", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    main(a.replicates, a.households, a.workers)
