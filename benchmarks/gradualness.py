"""Gradualness of every numeric lever and of vote collection on 9-point grids (issue 16, "Done when").

Every numeric lever of :func:`consultsim.core.params.levers` (and ``vote_return_base``) is put on a
grid over its *plausible* range: nine evenly spaced values, or every integer where the plausible
range holds fewer than nine (``social_workers`` 0-4, ``meeting_cadence_weeks`` 2-8 weeks), with
paired seeds (the same seeds at every value: common random numbers). Boolean levers
(``pm_performance_contract``, ``pm_inclusion``, ``online_channel``,
``committee_facilitation_training``) take two values, so a "step between neighbours" is their whole
effect: they are out of scope here.

For each lever's target outcomes, pooled (the outcomes its mechanism acts on, ODD §8 and
:data:`consultsim.analysis.robustness.TARGETS`) and per topic type (counts per run of resolutions
agreed, ``approved:``, funded, ``funded:``, carried out, ``completed:``, and abandoned under way,
``stalled:``), the rule of
:func:`consultsim.analysis.robustness.steps_beyond_noise`: no step between neighbouring means above
a quarter of the whole range beyond twice its paired standard error (on a grid of n values, twice
the even step, 2/(n-1) of the range: :func:`step_limit`). A response whose grid values
do not differ beyond noise (Friedman's test, 5%) is *flat* and not judged. What a lever *spends*
(:data:`COSTS`: committee hours for the cadence, points paid for the incentive budget) is reported
beside its targets, with a line against the resources bought, and not judged: a cost follows its unit
(hours are linear in the agenda cycles held, so on a grid of weeks between cycles they are 1/x). Prints
Markdown tables (pasted into docs/validation.md, "Are the levers gradual?").

    python benchmarks/gradualness.py                      # 20 seeds, 1,000 households, 104 weeks
    python benchmarks/gradualness.py --seeds 4 --levers supervision   # a smoke run
    python benchmarks/gradualness.py --levers social_workers --grid social_workers=0:8   # every integer 0-8
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
from consultsim.core.params import PARAM_INFO, levers  # noqa: E402
from consultsim.core.topics import CATALOG  # noqa: E402
from consultsim.running.runner import release_model  # noqa: E402

TYPES = tuple(CATALOG)
FAILED = {"no quorum", "deadlock", "rejected", "no valid vote"}
# Counts of topics are read from the 议事 ledger for the cohort proposed before the horizon's last half year.
# Counted up to the horizon instead, a topic proposed in the last weeks is on the agenda or not by the
# phase of the cycle at the horizon, not by the lever: cycles every 2, 3, ..., 8 weeks hold their last
# cycle 0, 2, 0, 4, 2, 6, 0 weeks before week 104, and topics put on the agenda dipped at exactly the
# cadences with the longest gap (5 and 7 weeks; docs/validation.md). Half a year leaves every cadence
# at least three cycles, a notice week and a meeting after the cohort's last proposal (ODD §7.2-7.5).
COHORT_MARGIN = 26


def _kind(name: str) -> str:
    t = PARAM_INFO[name].type
    return t if isinstance(t, str) else t.__name__


def numeric_levers() -> list[str]:
    """Every lever that is not a switch, in declaration order."""
    return [n for ns in levers().values() for n in ns if _kind(n) in ("int", "float")]


def grid(name: str, points: int = 9) -> list:
    """``points`` evenly spaced values over the plausible range; an integer lever whose plausible range
    holds fewer integers takes each of them (a fractional worker or week does not exist)."""
    lo, hi = PARAM_INFO[name].metadata["plausible"]
    if _kind(name) == "int":
        if hi - lo + 1 <= points:
            return list(range(int(lo), int(hi) + 1))
        return sorted({int(round(v)) for v in np.linspace(lo, hi, points)})
    return [float(v) for v in np.linspace(lo, hi, points)]


# the outcomes each lever's mechanism acts on (ODD §8; robustness.TARGETS by scenario); the per-type
# counts it acts on; and the topic types through which it acts where that is one implementer or rule
POOLED = {
    "incentive_per_meeting": ("participation_rate", "young_share_attendees"),
    "incentive_budget": ("participation_rate",),
    "supervision": ("implementation_rate", "implemented_of_settled", "mean_trust_committee"),
    # what a more frequent cycle buys: topics taken up and settled sooner (ODD §7.2, §7.3)
    # (counted over the ledger's cohort, topics proposed before the last COHORT_MARGIN weeks: see one())
    "meeting_cadence_weeks": ("cohort_on_agenda", "cohort_agreed", "weeks_to_decision", "followup_coverage",
                              "implementation_rate"),
    "public_subsidy": ("implemented", "implementation_rate"),
    "awareness_campaign": ("mean_civic", "participation_rate"),
    "feedback_transparency": ("mean_trust_committee",),
    "training_sessions_per_quarter": ("mean_capacity", "mean_efficacy", "voice_concentration"),
    "training_seats": ("mean_capacity", "mean_efficacy", "voice_concentration"),
    "social_workers": ("voice_concentration", "participation_rate"),
    "social_worker_hours": ("voice_concentration", "participation_rate"),
    "vote_return_base": ("resolutions", "fee_turnout_met"),
}
# what a lever spends, reported beside its targets with its shape explained, not judged by the step rule:
# a cost follows the resources bought (committee hours are linear in the agenda cycles held, points paid in
# the budget until it stops binding), and its shape is the lever's unit, not a mechanism's gradualness
COSTS = {
    "meeting_cadence_weeks": ("committee_meeting_hours",),
    "incentive_budget": ("incentive_spent",),
}
PER_TYPE = {
    "supervision": ("completed",),
    "meeting_cadence_weeks": ("approved", "completed"),
    "public_subsidy": ("approved", "funded", "completed", "stalled"),
    "vote_return_base": ("approved", "completed"),
}  # the others act on who attends and how they deliberate: resolutions agreed per type
TYPES_OF = {
    "vote_return_base": ("property_fee", "elevator"),   # the owners' vote rules (Civil Code art. 278)
    "supervision": ("parking", "property_fee"),         # the property manager's works
    "public_subsidy": ("elevator",),                    # the subsidy pays part of a retrofit
}
# a lever that acts only when another lever is on runs with that lever at its shipped scenario's value
# (or, for the budget, at the top of the per-meeting range, so that the budget can bind)
CONTEXT = {
    "incentive_budget": {"incentive_per_meeting": 40.0},
    "training_seats": {"training_sessions_per_quarter": 2},
    "social_worker_hours": {"social_workers": 2},
}
# rare topic types are made common where the lever acts only through them: owners' votes at the
# baseline concern rate, elevator retrofits (0.15 a building a year) for the subsidy
WORLD = {"vote_return_base": {"concern_rate": 4.0}, "public_subsidy": {"elevator_rate_per_year": 1.0}}
EXTRA_GRIDS = {"vote_return_base": [float(v) for v in np.linspace(0.3, 0.7, 9)]}


def grids() -> dict[str, list]:
    g = {n: grid(n) for n in numeric_levers()}
    g.update(EXTRA_GRIDS)
    return g


def outcomes(lever: str) -> list[str]:
    return list(POOLED[lever]) + [f"{o}:{tt}" for o in PER_TYPE.get(lever, ("approved",))
                                  for tt in TYPES_OF.get(lever, TYPES)]


def one(args):
    lever, value, seed, households, steps = args
    c0 = time.process_time()
    m = ConsultationModel(rng=seed, n_residents=households, n_buildings=max(1, households // 100),
                          **WORLD.get(lever, {}), **CONTEXT.get(lever, {}), **{lever: value})
    for _ in range(steps):
        m.step()
    last = m.timeseries().iloc[-1]
    out = {k: float(last[k]) for ks in (*POOLED.values(), *COSTS.values()) for k in ks if k in last}
    cohort = [t for t in m.topics if t.step_proposed < steps - COHORT_MARGIN]
    out["cohort_on_agenda"] = float(sum(t.step_agenda >= 0 for t in cohort))
    out["cohort_agreed"] = float(sum(t.step_decided >= 0 and t.outcome not in FAILED for t in cohort))
    decided = [t.step_decided - t.step_proposed for t in cohort if t.step_decided >= 0]
    out["weeks_to_decision"] = float(np.mean(decided)) if decided else float("nan")  # the 议事 ledger's dates
    fee = [t for t in m.topics if t.type.name == "property_fee" and t.voted.any()]
    out["fee_turnout_met"] = float(np.mean([t.voted[m.res.owner[t.scope]].mean() >= 2 / 3 - 1e-9 for t in fee])) \
        if fee else float("nan")
    for tt in TYPES:
        ts = [t for t in cohort if t.type.name == tt]
        agreed = [t for t in ts if t.step_decided >= 0 and t.outcome not in FAILED]
        out[f"approved:{tt}"] = float(len(agreed))
        out[f"funded:{tt}"] = float(sum(t.outcome != "unfunded" and t.ready for t in agreed))
        out[f"completed:{tt}"] = float(sum(t.outcome == "implemented" for t in ts))
        out[f"stalled:{tt}"] = float(sum(t.outcome == "stalled" for t in ts))  # abandoned under way
    out["_cpu"] = time.process_time() - c0
    release_model(m)  # a worker builds about a thousand models: Mesa 3.3 would keep each alive (runner.release_model)
    return lever, value, seed, out


def step_limit(n: int) -> float:
    """The largest step allowed between neighbours, as a share of the range, on a grid of ``n`` values:
    twice the step of a straight line, which is issue 16's quarter on nine values. On fewer values the
    quarter would fail every monotone response measured precisely (on five values the largest of four
    steps is at least their mean, a quarter of the range), so the limit keeps its meaning, not its number."""
    return 2.0 / (n - 1)


def check(y: np.ndarray) -> tuple:
    c = steps_beyond_noise(y, limit=step_limit(len(y)))
    p_flat = _friedman_p(y)
    # as consultsim robustness does: a response whose grid values do not differ beyond noise
    # (Friedman's test, 5%) has no shape to judge, and its "range" is noise
    if p_flat > 0.05:
        return c, p_flat, "flat"
    # on nine values the two limits are one; on fewer, also say what the literal quarter gives
    quarter = "" if len(y) == 9 else " (quarter: " + ("pass" if steps_beyond_noise(y).ok else "fail") + ")"
    return c, p_flat, ("pass" if c.ok else "FAIL") + quarter


def parse_grid(text: str) -> tuple[str, list]:
    """``NAME=LO:HI`` (every integer, or nine evenly spaced values for a float lever) or ``NAME=V1,V2,...``:
    a grid other than the plausible range's, e.g. ``social_workers=0:8`` (issue 16's "the first of 8
    workers"). Values outside the lever's allowed range raise ValueError."""
    name, sep, spec = text.partition("=")
    if not sep or name not in PARAM_INFO:
        raise ValueError(text)
    integer = _kind(name) == "int"
    conv = int if integer else float
    if ":" in spec:
        lo, hi = (conv(v) for v in spec.split(":", 1))
        vals = list(range(lo, hi + 1)) if integer else [float(v) for v in np.linspace(lo, hi, 9)]
    else:
        vals = [conv(v) for v in spec.split(",")]
    meta = PARAM_INFO[name].metadata
    if len(vals) < 2 or vals != sorted(set(vals)) or any(
            (meta["lo"] is not None and v < meta["lo"]) or (meta["hi"] is not None and v > meta["hi"]) for v in vals):
        raise ValueError(text)
    return name, vals


def main(argv=None) -> int:
    g = grids()
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--households", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=104)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--levers", nargs="*", default=list(g))
    ap.add_argument("--grid", action="append", default=[], metavar="NAME=LO:HI|NAME=V1,V2,...",
                    help="grid a lever over these values instead of its plausible range (repeatable)")
    ap.add_argument("--png", help="also draw the pooled responses, one panel per lever and outcome, to this file")
    a = ap.parse_args(argv)
    zh = os.environ.get("CONSULTSIM_LANG", "").startswith("zh")
    for text in a.grid:
        try:
            name, vals = parse_grid(text)
            if name not in g:
                raise ValueError(text)
        except (ValueError, TypeError):
            print(f"网格无效：{text}（应为 参数=下限:上限 或 参数=值1,值2,…，值在参数允许范围内，至少两个且递增）" if zh else
                  f"not a valid grid: {text} (NAME=LO:HI or NAME=V1,V2,... within the parameter's allowed range, "
                  "at least two increasing values)", file=sys.stderr)
            return 2
        g[name] = vals
    bad = [x for x in a.levers if x not in g]
    if bad:
        print(f"不是数值型政策杠杆：{'、'.join(bad)}；可选：{'、'.join(g)}" if zh else
              f"not a numeric lever: {', '.join(bad)}; choose from {', '.join(g)}", file=sys.stderr)
        return 2
    jobs = [(lev, v, s, a.households, a.steps) for lev in a.levers for v in g[lev] for s in range(a.seeds)]
    t0, c0 = time.time(), time.process_time()
    with Pool(a.workers) as pool:
        res = pool.map(one, jobs, chunksize=4)
    table = {}
    for lev, v, s, out in res:
        table.setdefault(lev, {}).setdefault(v, {})[s] = out
    wall = time.time() - t0
    cpu = sum(out["_cpu"] for *_, out in res)
    print(f"{len(jobs)} runs ({a.seeds} paired seeds, {a.households:,} households, {a.steps} weeks) "
          f"in {wall:.0f} s wall on {a.workers} workers; {cpu:.0f} CPU s in the runs\n")
    print("| lever | outcome | grid | means over the grid | largest step (where) | step nearest failing (where) "
          "| its 2 SE | limit (share of range) | moves? (Friedman p) | check |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    fails, judged = [], 0
    for lev in a.levers:
        vals = g[lev]
        for o in outcomes(lev):
            y = np.array([[table[lev][v][s].get(o, np.nan) for s in range(a.seeds)] for v in vals])
            c, p_flat, ok = check(y)
            judged += ok != "flat"
            if ok.startswith("FAIL"):
                fails.append(f"{lev} on {o}")
            means = np.nanmean(y, axis=1)
            where = f"{vals[c.at]:g}->{vals[c.at + 1]:g}" if np.isfinite(c.step) else ""
            big = f"{vals[c.largest_at]:g}->{vals[c.largest_at + 1]:g}" if np.isfinite(c.largest) else ""
            curve = " ".join(f"{v:.3g}" for v in means)
            ctx = ", ".join(f"{k}={v:g}" for k, v in {**WORLD.get(lev, {}), **CONTEXT.get(lev, {})}.items())
            label = f"{lev} ({ctx})" if ctx else lev
            print(f"| {label} | {o} | {vals[0]:g}..{vals[-1]:g} | {curve} | {c.largest:+.3g} ({big}) | "
                  f"{c.step:+.3g} ({where}) | {2 * c.se:.3g} | {step_limit(len(vals)) * c.whole_range:.3g} "
                  f"({step_limit(len(vals)):.2g}) | "
                  f"{p_flat:.2g} | {ok} |")
    costs(table, g, a.levers, a.seeds, a.steps)
    print(f"\n{len(fails)} of {judged} responses that move with their lever have a step above the limit (a quarter "
          f"of the range on nine values) beyond twice its standard error{': ' + '; '.join(fails) if fails else ''}")
    print(f"(CPU: {cpu:.0f} s in the runs' worker processes, {time.process_time() - c0:.0f} s in this one)")
    if a.png:
        plot(table, g, a.levers, a.seeds, a.png)
    return 0


def costs(table: dict, g: dict, chosen: list[str], seeds: int, steps: int) -> None:
    """What each lever spends over its grid, not judged by the step rule: the means and a least-squares
    line against the resources bought (agenda cycles held, steps / cadence, for the cadence; the
    lever's own value otherwise), with R² and the largest residual: a cost is gradual in its unit."""
    rows = [(lev, o) for lev in chosen for o in COSTS.get(lev, ())]
    if not rows:
        return
    print("\nCosts (what the lever spends; its shape is the unit's, not judged):\n")
    print("| lever | cost | grid | means over the grid | unit | slope per unit | intercept | R² | largest residual |")
    print("|---|---|---|---|---|---|---|---|---|")
    for lev, o in rows:
        vals = g[lev]
        means = np.array([np.nanmean([table[lev][v][s].get(o, np.nan) for s in range(seeds)]) for v in vals])
        unit, x = ("cycles held", np.array([steps / v for v in vals])) if lev == "meeting_cadence_weeks" \
            else (lev, np.array(vals, dtype=float))
        slope, icpt = np.polyfit(x, means, 1)
        resid = means - (slope * x + icpt)
        ss = float(np.sum((means - means.mean()) ** 2))
        r2 = 1 - float(np.sum(resid ** 2)) / ss if ss > 0 else float("nan")
        print(f"| {lev} | {o} | {vals[0]:g}..{vals[-1]:g} | {' '.join(f'{v:.3g}' for v in means)} | {unit} | "
              f"{slope:.3g} | {icpt:.3g} | {r2:.3f} | {np.max(np.abs(resid)):.3g} |")


def plot(table: dict, g: dict, chosen: list[str], seeds: int, path: str) -> None:
    """Small multiples of the pooled responses: mean over paired seeds with +-2 SE of the mean."""
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.core.metric_names import label
    from consultsim.running.outputs import atomic_write_bytes

    panels = [(lev, o) for lev in chosen for o in (*POOLED[lev], *COSTS.get(lev, ()))]
    cols = 5
    rows = -(-len(panels) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(3.2 * cols, 2.5 * rows), squeeze=False)
    for ax, (lev, o) in zip(axes.flat, panels):
        vals = g[lev]
        y = np.array([[table[lev][v][s].get(o, np.nan) for s in range(seeds)] for v in vals])
        m = np.nanmean(y, axis=1)
        se = np.nanstd(y, axis=1, ddof=1) / np.sqrt(np.sum(~np.isnan(y), axis=1))
        ax.errorbar(vals, m, yerr=2 * se, marker="o", ms=3, lw=1.2, capsize=2)
        title = {"fee_turnout_met": "fee votes meeting the 2/3 turnout rule",
                 "weeks_to_decision": "weeks from proposal to decision",
                 "cohort_on_agenda": "topics put on the agenda (cohort)",
                 "cohort_agreed": "resolutions agreed (cohort)"}.get(o) or label(o)
        ax.set_title(title + (" (cost)" if o in COSTS.get(lev, ()) else ""), fontsize=7)
        ax.set_xlabel(lev, fontsize=7)
        ax.tick_params(labelsize=6)
    for ax in list(axes.flat)[len(panels):]:
        ax.axis("off")
    fig.suptitle(f"Lever grids over each plausible range: mean of {seeds} paired runs +-2 SE", fontsize=10)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=90)
    atomic_write_bytes(path, buf.getvalue())


if __name__ == "__main__":
    raise SystemExit(main())
