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

``python benchmarks/type_checks.py fees``: the types with property-fee votes (Civil Code art. 278's
ordinary matters): how their fee votes end (approved, rejected, no valid vote), the owners' turnout and
the owners' support, the share of owners whose fee stake (before noise) is positive, and the same
types on the same seeds with fee topics decided by a show of hands instead (``rule_property_fee =
"majority"``): what the owners' rule itself changes. A diagnostic of the rule, not a validation
criterion (no criterion compares twin runs). Beside each, ``agreement_by_rule`` and
``majority_held_back`` pooled over the runs (sums of counts, with the delete-one-run jackknife
interval, as the pooled statistics of docs/validation.md's next change compute them).

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
                # the upper end of the sourced range (Beijing's 2017-2020 old-estate renovation, about 95 a
                # building; danwei.toml): shown, not adopted (issue 18: no tuning to a band)
                "95 households a building": dict(n_buildings=round(hh / 95)),
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


def pooled_share(num: np.ndarray, den: np.ndarray) -> tuple[float, float, float]:
    """sum(num) / sum(den) over runs with the delete-one-run jackknife 95% interval (runs as clusters)."""
    from scipy import stats

    k = len(num)
    value = num.sum() / den.sum()
    loo = np.array([(num.sum() - num[i]) / (den.sum() - den[i]) for i in range(k)])
    se = float(np.sqrt((k - 1) / k * np.sum((loo - loo.mean()) ** 2)))
    h = float(stats.t.ppf(0.975, k - 1)) * se
    return float(value), float(value - h), float(value + h)


def pooled_gap(a_num, a_den, b_num, b_den) -> tuple[float, float, float]:
    """sum(a_num)/sum(a_den) - sum(b_num)/sum(b_den) over runs, delete-one-run jackknife 95% interval."""
    from scipy import stats

    def g(i=None):
        m = np.ones(len(a_num), bool)
        if i is not None:
            m[i] = False
        return a_num[m].sum() / a_den[m].sum() - b_num[m].sum() / b_den[m].sum()

    k = len(a_num)
    loo = np.array([g(i) for i in range(k)])
    se = float(np.sqrt((k - 1) / k * np.sum((loo - loo.mean()) ** 2)))
    h = float(stats.t.ppf(0.975, k - 1)) * se
    return float(g()), float(g() - h), float(g() + h)


def _per_run(s: pd.DataFrame, mask: pd.Series, val: pd.Series, reps) -> np.ndarray:
    """Per replicate, the sum of ``val`` over the rows of ``s`` in ``mask``."""
    return np.array([float(val[mask & (s["replicate"] == r)].sum()) for r in reps])


def _fee_stake_positive(sc) -> float:
    """Share of owners whose property-fee stake before noise is positive, in a community of the scenario
    as built at week 0 (topics.property_fee_stake without its noise term)."""
    from consultsim.core.model import ConsultationModel

    m = ConsultationModel(sc, seed=SEED)
    res, p = m.res, m.params
    own = np.flatnonzero(res.owner)
    s = (p.property_fee_service_gain - p.property_fee_pensioner_loss * (res.age_group[own] == 2)
         - p.property_fee_distrust_loss * (1 - res.trust_property[own]))
    return float((s > 0).mean())


def fees() -> None:
    for tname in ("commercial", "resettlement", "danwei"):
        base = type_scenario(D.types[tname], type_size(D, tname))
        scs = [dataclasses.replace(base, name=f"{tname}"),
               dataclasses.replace(base.with_overrides(rule_property_fee="majority"),
                                   name=f"{tname}, fees by show of hands")]
        comp = _run(scs)
        for lab in comp.labels:
            tp = comp.topics[comp.topics["scenario"] == lab]
            s = _settled(tp)
            fee = s[s["type"] == "property_fee"]
            owners = s["type"].isin(OWNERS_RULE_TYPES) if lab == tname else s["type"].isin(
                [t for t in OWNERS_RULE_TYPES if t != "property_fee"])
            agreed = ~_failed(s)
            reps = sorted(tp["replicate"].unique())
            one = pd.Series(1.0, index=s.index)
            row = {"variant": lab,
                   "fee_votes": int(len(fee)),
                   "fee_outcomes": fee["outcome"].value_counts().to_dict(),
                   "fee_agreed": f"{(~_failed(fee)).mean():.0%}" if len(fee) else "n/a",
                   "fee_support_mean": round(float(fee["support"].mean()), 3) if len(fee) else None,
                   "fee_owners_turnout": (f"{fee['owners_voted'].sum() / fee['owners'].sum():.1%}"
                                          if fee["owners_voted"].sum() else "no owners' vote"),
                   "show_of_hands_agreed": f"{agreed[~owners].mean():.0%} of {int((~owners).sum())}"}
            if owners.any():
                g = pooled_gap(_per_run(s, ~owners, agreed, reps), _per_run(s, ~owners, one, reps),
                               _per_run(s, owners, agreed, reps), _per_run(s, owners, one, reps))
                row["agreement_by_rule_pooled"] = f"{g[0]:+.1%} [{g[1]:+.1%}, {g[2]:+.1%}]"
            hb = np.array([float(tp.loc[tp["replicate"] == r, "majority_held_back"].sum()) for r in reps])
            mt = np.array([float(tp.loc[tp["replicate"] == r, "meetings"].sum()) for r in reps])
            h = pooled_share(hb, mt)
            row["majority_held_back_pooled"] = (f"{int(hb.sum())} of {int(mt.sum())} meetings: "
                                                f"{h[0]:.1%} [{h[1]:+.1%}, {h[2]:+.1%}]")
            if lab == tname:
                row["owners_with_positive_fee_stake"] = f"{_fee_stake_positive(base):.0%}"
            print(json.dumps(row, ensure_ascii=False), flush=True)
    for tname in ("hutong",):
        comp = _run([type_scenario(D.types[tname], type_size(D, tname))])
        tp = comp.topics
        reps = sorted(tp["replicate"].unique())
        hb = np.array([float(tp.loc[tp["replicate"] == r, "majority_held_back"].sum()) for r in reps])
        mt = np.array([float(tp.loc[tp["replicate"] == r, "meetings"].sum()) for r in reps])
        h = pooled_share(hb, mt)
        print(json.dumps({"variant": tname, "majority_held_back_pooled": f"{int(hb.sum())} of {int(mt.sum())} "
                          f"meetings: {h[0]:.1%} [{h[1]:+.1%}, {h[2]:+.1%}]"}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    {"drivers": drivers, "complexity": complexity, "rules": rules, "fees": fees}[sys.argv[1] if len(sys.argv) > 1 else "drivers"]()
