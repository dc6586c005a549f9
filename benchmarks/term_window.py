"""What a researcher following one community over a committee's five-year term would record (issue 17).

The mechanisms of ODD §7.8 that act over years (trust and civic motivation drifting back, trust's long-run anchor,
the committee's experience and its election) leave the 104 weeks ``consultsim validate`` covers within every band
(docs/validation.md, "Issue 17, second round: the slow mechanisms"). This script measures, for the baseline and each named knock-out (the registry's
off-switch, :func:`consultsim.analysis.validation.knockout_scenario`), with the run seeds of ``validate``
(``derive_seeds(seed, replicates)``, common random numbers):

- over 260 weeks (a term: Organic Law of Urban Residents' Committees, 2018 amendment): a household trust panel's
  persistence, corr(trust at the start, at the end), and its reversion, corr(change over weeks 0-104, change over
  104-260) (Devine & Valgarðsson 2023 give the direction of both, no size); the mean trust change; speaking
  time of the top 10% in the half-year before and after the week-130 election and in years 1 and 5 (minutes);
  resolutions per meeting in years 1-2 and 4-5 (ledger);
- over 104 weeks: a panel around trust losses, households whose trust fell by more than 0.02 in a week (they
  learned that an agreed resolution stalled), followed ``--lag`` weeks on: the share of the fall they regained,
  net of the other households' change over the same weeks (a return to equilibrium, Devine & Valgarðsson 2023).

Each value: the mean over runs with a 95% t interval (the recovery: pooled over runs, jackknife interval by run).
Serial, one process; 2,000 households. Prints CPU and wall seconds.

Usage::

    PYTHONPATH=. .venv/bin/python benchmarks/term_window.py                       # the five mechanisms, 20 runs
    PYTHONPATH=. .venv/bin/python benchmarks/term_window.py --mechanisms drift_to_initial --replicates 5
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
import pandas as pd
from scipy import stats

from consultsim.analysis.validation import knockout_scenario
from consultsim.core.model import ConsultationModel
from consultsim.core.rng import derive_seeds
from consultsim.running.network_files import apply_network
from consultsim.running.runner import release_model
from consultsim.running.scenarios import resolve_scenario

SLOW = ("drift_to_initial", "trust_running_tally", "committee_experience", "committee_elections", "civic_from_success")
TERM, MID, ELECTION = 260, 104, 130


def _corr(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.corrcoef(a, b)[0, 1]) if a.std() > 0 and b.std() > 0 else math.nan


def _voice(snaps: dict[int, tuple[float, float]], a: int, b: int) -> float:
    """Mean speaking share of the top 10% over the meetings held between weeks a and b."""
    (va, ma), (vb, mb) = snaps[a], snaps[b]
    return (vb - va) / (mb - ma) if mb > ma else math.nan


def term_run(sc, seed: int, net) -> dict[str, float]:
    """One community over a term: the panel's, the minutes' and the ledger's numbers."""
    m = ConsultationModel(sc, rng=int(seed), network=net.edges if net is not None else None)
    start = m.res.trust_committee.copy()
    snaps = {0: (0.0, 0.0)}
    ledger = {0: (0.0, 0.0)}
    mid = start
    for week in range(1, TERM + 1):
        m.step()
        if week in (52, MID, ELECTION - 26, ELECTION, ELECTION + 26, 156, 208, TERM):
            snaps[week] = (float(m.counts["voice_sum"]), float(m.counts["meetings"]))
            ts = m.timeseries()
            row = ts.loc[ts["step"].idxmax()]
            ledger[week] = (float(row["resolutions"]), float(row["meetings_held"]))
        if week == MID:
            mid = m.res.trust_committee.copy()
    end = m.res.trust_committee.copy()
    release_model(m)

    def per_meeting(a: int, b: int) -> float:
        r, n = ledger[b][0] - ledger[a][0], ledger[b][1] - ledger[a][1]
        return r / n if n > 0 else math.nan

    return {"trust panel persistence, start-end of term": _corr(start, end),
            "trust panel reversion, corr(change 0-104, change 104-260)": _corr(mid - start, end - mid),
            "trust change over the term": float(end.mean() - start.mean()),
            "voice of top 10%, half-year before the election": _voice(snaps, ELECTION - 26, ELECTION),
            "voice of top 10%, half-year after the election": _voice(snaps, ELECTION, ELECTION + 26),
            "voice of top 10%, year 1": _voice(snaps, 0, 52),
            "voice of top 10%, year 5": _voice(snaps, 208, TERM),
            "resolutions per meeting, years 1-2": per_meeting(0, MID),
            "resolutions per meeting, years 4-5": per_meeting(156, TERM)}


def recovery_run(sc, seed: int, net, lag: int) -> tuple[float, float]:
    """(trust regained net of the others' change, trust lost) by households whose trust fell by more than 0.02
    in a week, ``lag`` weeks on, summed over the weeks of a 104-week run."""
    m = ConsultationModel(sc, rng=int(seed), network=net.edges if net is not None else None)
    hist = [m.res.trust_committee.copy()]
    for _ in range(MID):
        m.step()
        hist.append(m.res.trust_committee.copy())
    release_model(m)
    h = np.array(hist)
    regained = lost = 0.0
    for w in range(1, MID + 1 - lag):
        fell = h[w] - h[w - 1] < -0.02
        if fell.any():
            others = float((h[w + lag, ~fell] - h[w, ~fell]).mean())
            lost += float((h[w - 1, fell] - h[w, fell]).sum())
            regained += float((h[w + lag, fell] - h[w, fell]).sum()) - others * int(fell.sum())
    return regained, lost


def _t(values: list[float]) -> str:
    v = np.asarray([x for x in values if math.isfinite(x)], dtype=float)
    if len(v) < 2:
        return "n/a"
    h = float(stats.t.ppf(0.975, len(v) - 1)) * v.std(ddof=1) / math.sqrt(len(v))
    return f"{v.mean():.3f} [{v.mean() - h:.3f}, {v.mean() + h:.3f}]"


def _pooled(rows: list[tuple[float, float]]) -> str:
    a = np.asarray(rows, dtype=float)
    total = a.sum(axis=0)
    loo = np.array([(total - r)[0] / (total - r)[1] for r in a])
    se = math.sqrt((len(a) - 1) / len(a) * float(np.sum((loo - loo.mean()) ** 2)))
    h = float(stats.t.ppf(0.975, len(a) - 1)) * se
    v = total[0] / total[1]
    return f"{v:.3f} [{v - h:.3f}, {v + h:.3f}]"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mechanisms", default=",".join(SLOW), help="comma-separated registry names")
    ap.add_argument("--replicates", type=int, default=20)
    ap.add_argument("--seed", type=int, default=20261127)
    ap.add_argument("--lag", type=int, default=52, help="weeks from a trust loss to the follow-up wave")
    args = ap.parse_args()
    base = resolve_scenario("baseline")
    scs = [base, *(knockout_scenario(base, n) for n in args.mechanisms.split(",") if n)]
    seeds = derive_seeds(args.seed, args.replicates)
    cpu, wall = time.process_time(), time.time()
    table: dict[str, dict[str, str]] = {}
    for sc in scs:
        sc, net = apply_network(sc)
        rows = pd.DataFrame([term_run(sc, s, net) for s in seeds])
        col = {k: _t(rows[k].tolist()) for k in rows.columns}
        col[f"share of a trust loss regained {args.lag} weeks on, net of others"] = _pooled(
            [recovery_run(sc, s, net, args.lag) for s in seeds])
        table[sc.name] = col
    names = list(table)
    print("| observable | " + " | ".join(f"`{n}`" for n in names) + " |")
    print("|---|" + "---|" * len(names))
    for k in next(iter(table.values())):
        print(f"| {k} | " + " | ".join(table[n][k] for n in names) + " |")
    print(f"\n{len(scs)} scenarios x {args.replicates} runs (260 and 104 weeks): "
          f"{time.process_time() - cpu:.1f} CPU s, {time.time() - wall:.1f} s wall")


if __name__ == "__main__":
    main()
