"""Which parameters can the calibration targets inform? (docs/calibration.md, issue 17 part 2)

Each named parameter is set to each end of its plausible range (the calibration prior), the others at their
defaults, and the baseline community (1,000 households, 104 weeks) runs ``--reps`` times per end with the
same seeds at both ends; ``--defaults`` runs at the defaults give the run-to-run noise. The table gives, per
calibration target, the change from the low to the high end in units of the target's scale (the half-band
of experiments/calibration.toml) and its t statistic. A parameter that moves no target by a sizeable part of
its band cannot be constrained by the targets, whatever the ABC settings.

    PYTHONPATH=$PWD nice -n 10 python benchmarks/calibration_screen.py b0,b_time,pm_responsiveness \
        --reps 16 --defaults 100 --out screen.csv
    python benchmarks/calibration_screen.py --table screen.csv     # the table again, from the file
"""

from __future__ import annotations

import argparse
import time
from multiprocessing import Pool

import numpy as np
import pandas as pd

from consultsim.analysis import calibration as cal
from consultsim.core.params import uncertainties


def _one(job):
    name, end, val, seed = job
    ov = {name: val} if name else {}
    r = cal.simulate_statistics(ov, households=1000, steps=104, seed=seed, names=list(cal.STATISTICS))
    return {"param": name or "default", "end": end, "value": val, "seed": seed, **r}


def run(names: list[str], reps: int, defaults: int, workers: int) -> pd.DataFrame:
    u = uncertainties()
    jobs = [("", "default", 0.0, 10_000 + i) for i in range(defaults)]
    for k, n in enumerate(names):
        lo, hi = u[n]
        for i in range(reps):
            jobs += [(n, "lo", lo, 20_000 + 100 * k + i), (n, "hi", hi, 20_000 + 100 * k + i)]
    with Pool(workers) as p:
        return pd.DataFrame(p.map(_one, jobs, chunksize=4))


def table(df: pd.DataFrame, settings: cal.Settings) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(noise at the defaults per statistic, effects per parameter in units of each target's scale)."""
    tg = {t.name: t for t in settings.targets}
    obs, sc = {k: t.value for k, t in tg.items()}, {k: t.scale for k, t in tg.items()}
    d = df[df["param"] == "default"]
    noise = pd.DataFrame([{"statistic": k, "mean": d[k].mean(), "sd": d[k].std(),
                           "sd_over_scale": d[k].std() / sc[k] if k in sc else np.nan} for k in cal.STATISTICS])
    if len(d):
        dist = [cal.distance(r, obs, sc) for r in d.to_dict("records")]
        noise.attrs["distance_quantiles"] = dict(zip((10, 25, 50, 75), np.quantile(dist, [.1, .25, .5, .75])))
    rows = []
    for p, g in df[df["param"] != "default"].groupby("param"):
        lo, hi = g[g["end"] == "lo"], g[g["end"] == "hi"]
        row = {"param": p}
        for k in tg:
            a, b = lo[k].dropna(), hi[k].dropna()
            sd = np.sqrt((a.var() + b.var()) / 2)
            row[k] = (b.mean() - a.mean()) / sc[k]
            row[k + "_t"] = (b.mean() - a.mean()) / (sd * np.sqrt(2 / len(a))) if sd > 0 else np.nan
        row["largest"] = max(abs(row[k]) for k in tg)
        rows.append(row)
    return noise, pd.DataFrame(rows).sort_values("largest", ascending=False)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("names", nargs="?", default="", help="comma-separated parameters with a plausible range")
    ap.add_argument("--reps", type=int, default=16)
    ap.add_argument("--defaults", type=int, default=100)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", default="calibration_screen.csv")
    ap.add_argument("--table", default="", help="only print the table of earlier screens (comma-separated CSVs)")
    ap.add_argument("--settings", default=None, help="calibration settings (targets and scales)")
    a = ap.parse_args()
    if a.table:
        df = pd.concat([pd.read_csv(f) for f in a.table.split(",")])
    else:
        t = time.perf_counter()
        df = run([n for n in a.names.split(",") if n], a.reps, a.defaults, a.workers)
        df.to_csv(a.out, index=False)
        print(f"{len(df)} runs in {time.perf_counter() - t:.0f} s; wrote {a.out}")
    noise, eff = table(df, cal.load_settings(a.settings))
    pd.set_option("display.width", 250)
    pd.set_option("display.max_columns", 30)
    if "distance_quantiles" in noise.attrs:
        print("distance at the defaults, quantiles:", {k: round(v, 2) for k, v in noise.attrs["distance_quantiles"].items()})
        print(noise.round(3).to_string(index=False))
    print("low-to-high change in units of the target's scale (t statistic beside):")
    print(eff.round(2).to_string(index=False))


if __name__ == "__main__":
    main()
