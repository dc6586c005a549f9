"""Gradualness of the resource levers and vote collection on 9-point grids (issue 16, "Done when").

For each lever (social workers, supervision, meeting cadence) and for ``vote_return_base``, nine
evenly spaced values x paired seeds (the same seeds at every value: common random numbers). For
each target outcome, pooled and per topic type, the rule of
:func:`consultsim.analysis.robustness.steps_beyond_noise`: no step between neighbouring means
above a quarter of the whole range beyond twice its standard error. Prints a Markdown table
(pasted into docs/validation.md, "Are the levers gradual?").

    python benchmarks/gradualness.py                      # 20 seeds, 1,000 households, 104 weeks
    python benchmarks/gradualness.py --seeds 4 --quick    # a smoke run
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from multiprocessing import Pool

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from consultsim import ConsultationModel  # noqa: E402
from consultsim.analysis.robustness import _friedman_p, steps_beyond_noise  # noqa: E402
from consultsim.core.topics import CATALOG  # noqa: E402

TYPES = tuple(CATALOG)
GRIDS = {
    "social_workers": [int(v) for v in range(9)],
    "supervision": [float(v) for v in np.linspace(0, 1, 9)],
    "meeting_cadence_weeks": [int(v) for v in range(1, 10)],
    "vote_return_base": [float(v) for v in np.linspace(0.3, 0.7, 9)],
}
# pooled targets of each lever (ODD §8), then per topic type the counts it acts on
POOLED = {
    "social_workers": ("voice_concentration", "participation_rate"),
    "supervision": ("implementation_rate", "implemented_of_settled"),
    "meeting_cadence_weeks": ("committee_meeting_hours", "topics_on_agenda", "followup_coverage"),
    "vote_return_base": ("resolutions", "fee_turnout_met"),
}
PER_TYPE = {
    "social_workers": ("approved",),
    "supervision": ("completed",),
    "meeting_cadence_weeks": ("approved", "completed"),
    "vote_return_base": ("approved", "completed"),
}
# where the lever acts through one rule, the per-type outcomes are those the rule decides
TYPES_OF = {"vote_return_base": ("property_fee", "elevator"), "supervision": ("parking", "property_fee")}
FAILED = {"no quorum", "deadlock", "rejected", "no valid vote"}
# owners' votes are rare at the baseline's concern rate: the vote grid runs with more concerns
WORLD = {"vote_return_base": {"concern_rate": 4.0}}


def one(args):
    lever, value, seed, households, steps = args
    m = ConsultationModel(rng=seed, n_residents=households, n_buildings=max(1, households // 100),
                          **WORLD.get(lever, {}), **{lever: value})
    for _ in range(steps):
        m.step()
    last = m.timeseries().iloc[-1]
    out = {k: float(last[k]) for ks in POOLED.values() for k in ks if k in last}
    fee = [t for t in m.topics if t.type.name == "property_fee" and t.voted.any()]
    out["fee_turnout_met"] = float(np.mean([t.voted[m.res.owner[t.scope]].mean() >= 2 / 3 - 1e-9 for t in fee])) \
        if fee else float("nan")
    for tt in TYPES:
        ts = [t for t in m.topics if t.type.name == tt]
        out[f"approved:{tt}"] = float(sum(t.step_decided >= 0 and t.outcome not in FAILED for t in ts))
        out[f"completed:{tt}"] = float(sum(t.outcome == "implemented" for t in ts))
    return lever, value, seed, out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--households", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--levers", nargs="*", default=list(GRIDS))
    a = ap.parse_args(argv)
    jobs = [(lev, v, s, a.households, a.steps) for lev in a.levers for v in GRIDS[lev] for s in range(a.seeds)]
    t0 = time.time()
    with Pool(a.workers) as pool:
        res = pool.map(one, jobs, chunksize=4)
    table = {}
    for lev, v, s, out in res:
        table.setdefault(lev, {}).setdefault(v, {})[s] = out
    print(f"{len(jobs)} runs ({a.seeds} paired seeds, {a.households:,} households, {a.steps} weeks) "
          f"in {time.time() - t0:.0f} s\n")
    print("| lever | outcome | grid | means over the grid | largest step (where) | step nearest failing (where) "
          "| its 2 SE | quarter of range | moves? (Friedman p) | check |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    fails = 0
    for lev in a.levers:
        vals = GRIDS[lev]
        outcomes = list(POOLED[lev]) + [f"{o}:{tt}" for o in PER_TYPE[lev] for tt in TYPES_OF.get(lev, TYPES)]
        for o in outcomes:
            y = np.array([[table[lev][v][s][o] for s in range(a.seeds)] for v in vals])
            c = steps_beyond_noise(y)
            means = np.nanmean(y, axis=1)
            p_flat = _friedman_p(y)
            # as consultsim robustness does: a response whose grid values do not differ beyond noise
            # (Friedman's test, 5%) has no shape to judge, and its "range" is noise
            ok = "flat" if p_flat > 0.05 else "pass" if c.ok else "FAIL"
            fails += ok == "FAIL"
            where = f"{vals[c.at]:g}->{vals[c.at + 1]:g}" if np.isfinite(c.step) else ""
            big = f"{vals[c.largest_at]:g}->{vals[c.largest_at + 1]:g}" if np.isfinite(c.largest) else ""
            curve = " ".join(f"{v:.3g}" for v in means)
            print(f"| {lev} | {o} | {vals[0]:g}..{vals[-1]:g} | {curve} | {c.largest:+.3g} ({big}) | "
                  f"{c.step:+.3g} ({where}) | {2 * c.se:.3g} | {0.25 * c.whole_range:.3g} | "
                  f"{p_flat:.2g} | {ok} |")
    print(f"\n{fails} outcome(s) that move with the lever have a step above a quarter of the range beyond twice "
          "its standard error")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
