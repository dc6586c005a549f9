"""What drives the per-type validation results (issue 18; docs/district.md, "Validation per type").

``python benchmarks/type_checks.py drivers``: the danwei type at its street size, and variants that set
one of its assumed numbers back to the baseline's (an older estate of 2,000 households, ODD §11), with
the same seeds (common random numbers): P2's participation and resident-proposed share.

``python benchmarks/type_checks.py complexity``: each type at its street size with
``complexity_penalty`` 0, 0.6 (shipped) and 1.0, the same seeds: the scored complex-minus-simple gap,
its show-of-hands diagnostic, and per topic type the failure rate and mean final consensus, and which
topic types the run's median split counts as complex.

``python benchmarks/type_checks.py rules``: each type: meetings held and held back with a majority in
favour, and the agreed share of owners'-vote against show-of-hands topics.

20 runs x 104 weeks, seed 20261127 (as ``consultsim district validate``); one JSON line per variant.
"""

from __future__ import annotations

import dataclasses
import json
import sys

import numpy as np
import pandas as pd

from consultsim.analysis.compare import run_comparison, t_interval
from consultsim.analysis.type_validation import type_scenario, type_size
from consultsim.analysis.validation import (
    CRITERIA,
    OWNERS_RULE_TYPES,
    _failed,
    _settled,
    measure,
    topic_complexity,
)
from consultsim.running.districts import resolve_district
from consultsim.running.scenarios import resolve_scenario

REPS, SEED = 20, 20261127
D = resolve_district("street")


def _run(scs):
    return run_comparison(scs, replicates=REPS, steps=104, seed=SEED, workers=1, progress=False)


def _mean(comp, label, names):
    crit = [c for c in CRITERIA if c.name in names]
    per = measure(comp, crit, label)
    out = {}
    for c in crit:
        m, lo, hi, n = t_interval(per[c.name].to_numpy(float))
        out[c.name] = f"{m:+.3f} [{lo:+.3f}, {hi:+.3f}] n={n}"
    return out


def drivers() -> None:
    t = D.types["danwei"]
    hh = type_size(D, "danwei")
    base = type_scenario(t, hh)
    variants = {"danwei": {}, "elevator_rate 0.15": dict(elevator_rate_per_year=0.15),
                "elevator_rate 0": dict(elevator_rate_per_year=0.0),
                "elderly 0.30, young 0.30": dict(elderly_share=0.30, young_share=0.30),
                "100 households a building": dict(n_buildings=round(hh / 100)),
                "party 0.12": dict(party_share=0.12), "trust 0.50": dict(trust_committee_mean=0.50),
                "owners 0.80": dict(owner_share=0.80),
                "baseline topic mix": dict(public_space_rate_per_year=1.2, parking_rate_per_year=1.5,
                                           property_fee_rate_per_year=0.5)}
    scs = [dataclasses.replace(base.with_overrides(**ov), name=name) for name, ov in variants.items()]
    scs.append(dataclasses.replace(resolve_scenario(None), name="baseline (2,000 households)"))
    comp = _run(scs)
    for lab in comp.labels:
        print(json.dumps({"variant": lab, **_mean(comp, lab, ("participation_rate", "resident_proposed_share"))},
                         ensure_ascii=False), flush=True)


def complexity() -> None:
    for tname in sorted(D.types):
        base = type_scenario(D.types[tname], type_size(D, tname))
        scs = [dataclasses.replace(base.with_overrides(complexity_penalty=pen), name=f"{tname} penalty {pen}")
               for pen in (0.0, 0.6, 1.0)]
        comp = _run(scs)
        for lab in comp.labels:
            row = {"variant": lab, **_mean(comp, lab, ("complex_failure_gap", "complex_failure_gap_same_rule"))}
            s = _settled(comp.topics[comp.topics["scenario"] == lab])
            g = pd.DataFrame({"type": s["type"], "cx": s["complexity"], "failed": _failed(s),
                              "cons": s["consensus"]}).groupby(["type", "cx"]).agg(
                fail=("failed", "mean"), n=("failed", "size"), cons=("cons", "mean"))
            row["by_type"] = {f"{k[0]} ({k[1]})": f"{v['fail']:.0%} of {int(v['n'])} failed, consensus {v['cons']:.2f}"
                              for k, v in g.iterrows()}
            hard: dict[str, int] = {}
            for _, sr in s.groupby("replicate"):
                cx = topic_complexity(sr)
                for ty in sorted(set(sr.loc[cx > float(np.median(cx)), "type"])):
                    hard[ty] = hard.get(ty, 0) + 1
            row["complex_in_runs"] = hard
            print(json.dumps(row, ensure_ascii=False), flush=True)


def rules() -> None:
    for tname in sorted(D.types):
        comp = _run([type_scenario(D.types[tname], type_size(D, tname))])
        tp = comp.topics
        s = _settled(tp)
        owners, agreed = s["type"].isin(OWNERS_RULE_TYPES), ~_failed(s)
        print(json.dumps({"type": tname, "meetings": int(tp["meetings"].sum()),
                          "held_back": int(tp["majority_held_back"].sum()),
                          "owners_vote_agreed": f"{agreed[owners].mean():.0%} of {int(owners.sum())}",
                          "show_of_hands_agreed": f"{agreed[~owners].mean():.0%} of {int((~owners).sum())}"}),
              flush=True)


if __name__ == "__main__":
    {"drivers": drivers, "complexity": complexity, "rules": rules}[sys.argv[1] if len(sys.argv) > 1 else "drivers"]()
