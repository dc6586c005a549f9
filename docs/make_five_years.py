"""Re-make docs/five_years.png and docs/five_years.md: every shipped scenario over five years (260 weeks).

Usage: ``.venv/bin/python docs/make_five_years.py [--replicates 10] [--households 1000] [--workers 2]``.
Each scenario runs with common random numbers (the same seeds for every package), so the curves
differ by the packages, not by luck. The figure shows the weekly mean over runs of trust in the
committee, efficacy, 12-week participation and the share of agreed resolutions implemented; the
Markdown file gives the same at the end of each year, with the run-to-run standard error.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from consultsim.analysis.compare import run_comparison  # noqa: E402
from consultsim.core.metric_names import label  # noqa: E402
from consultsim.core.params import Params  # noqa: E402
from consultsim.running.scenarios import resolve_scenario  # noqa: E402
from consultsim.running.shipped import shipped_dir  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PANELS = ("mean_trust_committee", "mean_efficacy", "participation_rate", "implementation_rate")
STEPS = 260


def scenarios(households: int) -> list:
    """Every shipped scenario, baseline first, at ``households`` households."""
    files = sorted(shipped_dir("scenarios").glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem))
    return [resolve_scenario(f).with_overrides(n_residents=households) for f in files]


def main(replicates: int = 10, households: int = 1000, workers: int | None = None, seed: int = 20261203) -> None:
    comp = run_comparison(scenarios(households), replicates=replicates, steps=STEPS, seed=seed, workers=workers,
                          progress=False)
    ts = comp.timeseries
    mean = ts.groupby(["scenario", "step"])[list(PANELS)].mean()
    fig, axes = plt.subplots(2, 2, figsize=(13, 8.5), sharex=True)
    colours = plt.get_cmap("tab20")
    election = Params().committee_term_weeks - Params().committee_term_elapsed
    for ax, metric in zip(axes.flat, PANELS):
        for i, lab in enumerate(comp.labels):
            y = mean.loc[lab, metric]
            style = dict(color="black", lw=2.4, zorder=5) if lab == "baseline" else (
                dict(color="tab:red", lw=2.4, zorder=4) if lab == "combined" else dict(color=colours(i % 20), lw=1))
            ax.plot(y.index, y.values, label=lab, **style)
        ax.axvline(election, color="grey", ls=":", lw=1)
        for yr in range(52, STEPS, 52):
            ax.axvline(yr, color="0.9", lw=0.6, zorder=0)
        ax.set_title(label(metric, unit=True), fontsize=10)
        ax.set_xlabel("week")
    axes.flat[0].annotate("committee election", (election, axes.flat[0].get_ylim()[1]), fontsize=8, color="grey",
                          ha="center", va="top")
    axes.flat[1].legend(fontsize=7, ncol=2, loc="upper left", bbox_to_anchor=(1.01, 1.0))
    fig.suptitle(f"Five years of every shipped package: mean of {replicates} runs with the same seeds, "
                 f"{households:,} households", fontsize=11)
    fig.tight_layout()
    fig.savefig(ROOT / "docs" / "five_years.png", dpi=110)
    write_table(comp, replicates, households, seed)


def write_table(comp, replicates: int, households: int, seed: int) -> None:
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
    (ROOT / "docs" / "five_years.md").write_text("\n".join(lines), encoding="utf-8")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--households", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=None)
    a = ap.parse_args()
    main(a.replicates, a.households, a.workers)
