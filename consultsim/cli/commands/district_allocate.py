"""``consultsim district allocate FILE --budget YUAN``: screen, optimise, select, verify (consultsim.analysis.allocation).

Against the optimizer's curse (Smith & Winkler 2006: the allocation chosen because its screened gain is
highest is, on average, the one whose gain noise flattered most), three independent sets of seeds:

1. ``screen/``: representatives of each type (two sizes where its communities' sizes differ:
   :func:`~consultsim.analysis.allocation.representatives`) under every bundle, ``--replicates`` seeds;
   the gains with their standard errors, shrunk toward each bundle's pooled gain in proportion to their
   noise (:func:`~consultsim.analysis.allocation.shrink`); one optimised allocation per shrinkage level
   (raw, empirical Bayes, fully pooled).
2. ``baseline/`` and ``select/``: every community under no bundle, the optimised allocations and the
   simple rules (equal split, worst-first, cheapest-first), ``--select-replicates`` seeds (the district's
   own); the best optimised allocation and the best rule on these seeds go on.
3. ``verify/``: the hold-out, ``--verify-replicates`` seeds of another stream: nothing extra, every
   allocation. The best optimised allocation is recommended only if its paired difference from the best
   rule lies wholly on its better side; else the rule is, and the first line says so.

Each folder is resumable with ``--resume``. Results: ``allocation.csv`` (which community gets what
under the recommendation, why, what it buys), ``gains.csv`` (raw and shrunk), ``selection.csv`` (the
selection seeds' means: what chose the finalists, not a verified effect), ``verification.csv`` and
``paired.csv`` (the hold-out), ``allocations.csv`` (every allocation compared), ``pareto.png`` / ``pareto.csv`` and ``report.html``.

With ``--worlds-file`` (a calibration's posterior, ``consultsim calibrate``) every replicate runs in a
world drawn from it by weight, the same world for that replicate in every community and under every
bundle and allocation (common worlds, as the seeds are common); screening, selection and hold-out
draw their own worlds. The allocation maximises the expected gain over the worlds, or with
``--robust SHARE`` the mean of the worst SHARE of them (CVaR), and the tables give the spread over
worlds; ``worlds.csv`` lists the worlds each replicate ran in.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

import numpy as np
import pandas as pd

OBJ_COLS = ("implemented_per_year", "participation_year", "mean_trust_committee", "complaints_per_year")


def _rule_totals(final: pd.DataFrame) -> pd.DataFrame:
    """Per (package, replicate): the district's totals a year and household-weighted rates."""
    from consultsim.analysis.allocation import yearly_outcomes

    f = yearly_outcomes(final)
    rows = []
    for (p, r), g in f.groupby(["package", "replicate"], sort=False):
        w = g["households"].to_numpy(dtype=float)
        rows.append({"package": p, "replicate": r,
                     "implemented_per_year": float(g["implemented_per_year"].sum()),
                     "participation_year": float(np.average(g["participation_year"], weights=w)),
                     "mean_trust_committee": float(np.average(g["mean_trust_committee"], weights=w)),
                     "complaints_per_year": float(g["complaints_per_year"].sum()),
                     "worst_participation": float(g["participation_year"].min())})
    return pd.DataFrame(rows)


def allocate(args, d, out: Path) -> int:
    from consultsim.analysis import allocation as al
    from consultsim.analysis import district as da
    from consultsim.analysis.district_report import write_district_report
    from consultsim.core.params import Params
    from consultsim.i18n import tr
    from consultsim.running.district_runs import Package, check_complete, run_district
    from consultsim.running.districts import Community, District, _err, check_budget
    from consultsim.running.outputs import atomic_write_bytes, atomic_write_text

    lang = args.lang
    budget = args.budget if args.budget is not None else d.budget
    if not budget:
        raise _err(None, "district.err.budget_needed")
    budget = check_budget(budget, len(d.communities), "--budget")
    if not 0.0 <= args.equity_floor <= 1.0:
        from consultsim.errors import UsageError
        raise UsageError(f"--equity-floor {args.equity_floor}: a share from 0 to 1")
    staff_opt = getattr(args, "station_staff", None)
    if staff_opt is not None and not (np.isfinite(staff_opt) and staff_opt >= 0):
        from consultsim.errors import UsageError
        raise UsageError(f"--station-staff {staff_opt}: a non-negative number of full-time social workers")
    robust = getattr(args, "robust", None)
    worlds_file = getattr(args, "worlds_file", None)
    if robust is not None and not (np.isfinite(robust) and 0.0 < robust <= 1.0):
        raise _err(None, "district.err.robust", value=robust)
    if robust is not None and not worlds_file:
        raise _err(None, "district.err.robust_needs_worlds")
    posterior = None
    if worlds_file:
        from consultsim.analysis.calibration import read_worlds
        from consultsim.errors import UsageError
        try:
            posterior = read_worlds(worlds_file)
        except UsageError as e:
            raise _err(None, "district.err.worlds", path=worlds_file, detail=str(e)) from None
    from consultsim.cli.commands.district import district_output
    output = district_output(args, out, "district-allocate", ["consultsim", *sys.argv[1:]])
    steps = args.steps or d.steps
    quick = bool(getattr(args, "quick", False))
    R = args.replicates or (QUICK if quick else DEFAULT)["replicates"]
    S = getattr(args, "select_replicates", None) or (QUICK if quick else DEFAULT)["select_replicates"]
    V = args.verify_replicates or (QUICK if quick else DEFAULT)["verify_replicates"]
    common = dict(steps=steps, collect_every=args.collect_every, executor=args.executor, workers=args.workers,
                  scheduler=args.scheduler, resume=args.resume, force=args.force, progress=not args.no_progress,
                  command=["consultsim", *sys.argv[1:]], locked=True, checked=True)
    bundles = list(al.BUNDLES)
    screen_worlds = select_worlds = verify_worlds = None
    if posterior is not None:
        from consultsim.analysis.calibration import draw_worlds
        # three draws from the posterior by weight, from streams of the district's seed: the screening's
        # worlds estimate the gains, the selection's choose among the allocations, the hold-out's verify the
        # choice (worlds none of the earlier steps saw)
        screen_worlds = draw_worlds(posterior, R, _stream(d.seed, 1))
        select_worlds = draw_worlds(posterior, S, _stream(d.seed, 2))
        verify_worlds = draw_worlds(posterior, V, _stream(d.seed, 3))
    # three independent sets of seeds: screening, selection (the district's own seeds) and hold-out
    d_hold = dataclasses.replace(d, seed=_stream(d.seed, 4))
    with output:
        # 1. screening: representatives of each type (two sizes where its communities' sizes differ), every
        #    bundle, R seeds shared by all bundles
        reps = al.representatives(d.communities)
        weights = al.rep_weights(d.communities, reps)
        rc = []
        for i, r in enumerate(reps):
            hh = r["households"]
            nb = int(min(hh, max(1, round(hh / d.types[r["type"]].households_per_building))))
            rc.append(Community(r["name"], r["type"], hh, nb, {}, i, owners_committee=r["owners_committee"]))
        screen = District(f"{d.name}-screen", tuple(rc), d.types, _stream(d.seed, 0), 0.0, steps)
        pk = [Package(b.name, dict(b.levers)) for b in bundles]
        run_district(screen, out / "screen", packages=pk, replicates=R, worlds=screen_worlds, **common)
        sf = da.final_rows(check_complete(out / "screen", screen, pk, R))
        g = al.gains(sf)
        gs = al.shrink(g, 1.0)  # the empirical-Bayes gains: the "why" column, the trade-off figure

        # 2. costs and the optimised candidates, one per shrinkage level
        funded = g.drop_duplicates(["type", "bundle"]).set_index(["type", "bundle"])["funded_per_year"]
        params = [Params(**c.values(d.types)) for c in d.communities]
        cost = np.array([[al.bundle_cost(params[i], b, sum(f * float(funded.get((r, b.name), 0.0))
                                                           for r, f in weights[c.name].items()))
                          for b in bundles] for i, c in enumerate(d.communities)])
        cost = np.maximum(cost, 0.0)
        values = {o: al._value(gs, d.communities, bundles, o, d.households, weights) for o in al.OBJECTIVES}
        staff = np.array([[al.staff_fte(b) for b in bundles] for _ in d.communities])
        limit = float(staff_opt) if staff_opt is not None else np.inf
        sk = {"staff": staff, "staff_limit": limit}
        try:
            opts, same = al.candidates(g, d.communities, bundles, args.objective, d.households, cost, budget,
                                       args.equity_floor, weights=weights,
                                       per_replicate=al.replicate_gains(sf) if robust is not None else None,
                                       robust=robust, **sk)
        except ValueError:
            raise _err(None, "district.err.infeasible", budget=budget, floor=args.equity_floor) from None

        # 3. the simple rules (worst-first from the no-bundle runs on the selection seeds)
        none = [Package("none", {})]
        run_district(d, out / "baseline", packages=none, replicates=S, worlds=select_worlds, **common)
        bf = da.final_rows(check_complete(out / "baseline", d, none, S))
        b0 = bf.groupby("community")[list(da.KEY) + ["implemented"]].mean().reindex([c.name for c in d.communities])
        behind = da.badness(b0.assign(complaints_per_1000=b0["complaints_per_1000"])).to_numpy()
        order = list(np.argsort(cost.mean(axis=0), kind="stable"))
        best = [b.name for b in bundles].index("full")
        rule_alloc = {"equal_split": al.equal_split(cost, budget, order, **sk),
                      "worst_first": al.worst_first(cost, budget, behind, best, **sk),
                      "cheapest_first": al.cheapest_first(cost, budget, **sk)}
        allocs = {**opts, **rule_alloc}

        def packages_of(names):
            return [Package(n, {}, by_community={c.name: al.levers_for(params[i], bundles[allocs[n][i]])
                                                 for i, c in enumerate(d.communities)}) for n in names]

        def wide_of(tot):
            return {c: tot.set_index(["package", "replicate"])[c].unstack(0) for c in OBJ_COLS}

        # 4. selection: every candidate and rule on the selection seeds; the best optimised allocation and the
        #    best rule go on to the hold-out
        names = [*opts, *rule_alloc]
        sel_pk = packages_of(names)
        run_district(d, out / "select", packages=sel_pk, replicates=S, worlds=select_worlds, **common)
        sel_tot = _rule_totals(da.final_rows(check_complete(out / "select", d, sel_pk, S)))
        col = OBJ_COL[args.objective]
        best_opt, best_rule = al.choose(wide_of(sel_tot)[col], list(opts), list(rule_alloc), args.objective)

        # 5. hold-out: nothing extra, every candidate and rule on seeds (and worlds) the choice never saw
        packages = [Package("none", {})] + packages_of(names)
        run_district(d_hold, out / "verify", packages=packages, replicates=V, worlds=verify_worlds, **common)
        vf_all = check_complete(out / "verify", d_hold, packages, V)
        vf = da.final_rows(vf_all)
        tot = _rule_totals(vf)
        wide = wide_of(tot)
        # the one place the paired intervals are computed: paired.csv, the decision and the verdict read them
        pn = pd.concat([al.paired_intervals(wide, ["none", *names], best_rule),
                        al.paired_intervals(wide, names, "none")], ignore_index=True)
        rec_name, rec_diff = al.decide(pn, best_opt, best_rule, args.objective)
        rec = allocs[rec_name]

        # tables
        # what each rule spent in the verification runs (a subsidy costs what the works it funded cost there)
        fv = al.yearly_outcomes(vf).groupby(["package", "community"])["funded_per_year"].mean()

        def spent_in_runs(name: str) -> float:
            return float(sum(max(0.0, al.bundle_cost(params[i], bundles[a], float(fv.get((name, c.name), 0.0))))
                             for i, (c, a) in enumerate(zip(d.communities, allocs[name]))))

        def role(name: str) -> str:
            return "reference" if name == "none" else "optimised" if name in opts else "rule"

        rows = []
        for name in ["none", *names]:
            t = tot[tot["package"] == name]
            a = allocs.get(name)
            row = {"rule": name, "role": role(name), "recommended": name == rec_name,
                   "same_as": ", ".join(k for k, v in same.items() if v == name),
                   "planned": float(sum(cost[i, j] for i, j in enumerate(a))) if a is not None else 0.0,
                   "spent": spent_in_runs(name) if a is not None else 0.0,
                   "social_workers_fte": float(sum(staff[i, j] for i, j in enumerate(a))) if a is not None else 0.0}
            for c in (*OBJ_COLS, "worst_participation"):
                m, lo, hi = al.interval(t[c].to_numpy())
                row[c] = f"{m:.3f} ({lo:.3f}, {hi:.3f})"
            if posterior is not None:  # the objective's spread over the verification's worlds
                x = t[col].to_numpy(dtype=float)
                row["worlds_p10_p90"] = f"{np.quantile(x, 0.1):.3f} – {np.quantile(x, 0.9):.3f}"
                row["worst_decile"] = f"{_worst(x, args.objective):.3f}"
            rows.append(row)
        verify = pd.DataFrame(rows)
        # the selection runs' means: what chose the two finalists (not a verified effect)
        selection = pd.DataFrame([{"rule": n, "role": role(n), "finalist": n in (best_opt, best_rule),
                                   **{c: float(sel_tot[sel_tot["package"] == n][c].mean()) for c in OBJ_COLS}}
                                  for n in names])
        prow = []
        for (n, ag), part in pn.groupby(["allocation", "against"], sort=False):
            row = {"rule": n, "against": ag}
            for _, r in part.iterrows():
                row[r["metric"]] = f"{r['mean']:+.3f} ({r['low']:+.3f}, {r['high']:+.3f})"
            if posterior is not None:  # in how many of the verification's worlds it did better
                diff = al.OBJECTIVES[args.objective][1] * (wide[col][n] - wide[col][ag]).to_numpy()
                row["better_in_worlds"] = f"{int((diff > 0).sum())}/{len(diff)}"
                row["worst_decile_gain"] = f"{al.worst_share_mean(diff, 0.1):+.3f}"
            prow.append(row)
        paired = pd.DataFrame(prow)
        verdict = _verdict(rec_diff, args.objective, lang, rec_name, best_opt, best_rule)
        gi = gs[gs["objective"] == args.objective].set_index(["type", "bundle"])
        alloc_rows = []
        for i, c in enumerate(d.communities):
            b = bundles[rec[i]]
            wr = weights[c.name]
            have = all((r, b.name) in gi.index for r in wr)
            gain = sum(f * float(gi.loc[(r, b.name), "gain"]) for r, f in wr.items()) if have else None
            se = np.sqrt(sum((f * float(gi.loc[(r, b.name), "se"])) ** 2 for r, f in wr.items())) if have else None
            why = ("—" if b.name == "none" or gain is None or cost[i, rec[i]] <= 0 else
                   f"{gain * 1e4 / cost[i, rec[i]]:+.3g} ± {se * 1e4 / cost[i, rec[i]]:.2g} "
                   + ("/ 万元" if lang == "zh" else "/ 10k"))
            buys = al.describe(b, lang)
            if set(b.levers) - set(al.levers_for(params[i], b)):  # the PM levers are not bought where there is no PM
                buys += "（没有物业：不含物业绩效合同）" if lang == "zh" else " (no property manager: no contract)"
            row = {"community": c.name, "type": d.types[c.type].label(lang), "households": c.households,
                   "bundle": b.name, "cost": round(float(cost[i, rec[i]])), "why": why, "buys": buys}
            if posterior is not None:  # the type's gain per 10k yuan in the screening's worlds: 10th-90th percentile
                q = {k: sum(f * float(gi.loc[(r, b.name), k]) for r, f in wr.items()) if have else np.nan
                     for k in ("q10", "q90")}
                row["worlds"] = ("—" if why == "—" else
                                 f"{q['q10'] * 1e4 / cost[i, rec[i]]:+.3g} – {q['q90'] * 1e4 / cost[i, rec[i]]:+.3g}")
            alloc_rows.append(row)
        alloc = pd.DataFrame(alloc_rows)
        atomic_write_text(out / "allocation.csv", alloc.to_csv(index=False))
        atomic_write_text(out / "gains.csv", gs.to_csv(index=False))
        atomic_write_text(out / "verification.csv", verify.to_csv(index=False))
        atomic_write_text(out / "selection.csv", selection.to_csv(index=False))
        # every allocation compared (the recommendation is one of them): which bundle each gives each community
        every = pd.DataFrame({"community": [c.name for c in d.communities],
                              **{n: [bundles[j].name for j in a] for n, a in allocs.items()}})
        atomic_write_text(out / "allocations.csv", every.to_csv(index=False))
        atomic_write_text(out / "paired.csv", paired.to_csv(index=False))
        atomic_write_text(out / "rule_runs.csv", tot.to_csv(index=False))
        worlds_note = None
        if posterior is not None:
            wt = pd.DataFrame([{"phase": ph, "replicate": r, **w} for ph, ws in (("screen", screen_worlds),
                                                                                  ("select", select_worlds),
                                                                                  ("verify", verify_worlds))
                               for r, w in enumerate(ws)])
            atomic_write_text(out / "worlds.csv", wt.to_csv(index=False))
            worlds_note = _worlds_note(posterior, worlds_file, d, R, V, robust, lang)

        # the trade-off between works implemented and participation within the budget (shrunk gains)
        front = al.pareto(values, cost, budget, args.equity_floor, "implemented", "participation", **sk)
        pred = {n: (values["implemented"][np.arange(len(a)), a].sum(), values["participation"][np.arange(len(a)), a].sum())
                for n, a in allocs.items()}
        atomic_write_text(out / "pareto.csv", front.to_csv(index=False))
        base = tot[tot["package"] == "none"].set_index("replicate")
        verified = {}
        for n in allocs:  # the paired change each rule made in the hold-out runs (same seeds as "none")
            t = tot[tot["package"] == n].set_index("replicate")
            verified[n] = (float((t["implemented_per_year"] - base["implemented_per_year"]).mean()),
                           float((t["participation_year"] - base["participation_year"]).mean()))
        png = _pareto_png(front, pred, lang, verified)
        atomic_write_bytes(out / "pareto.png", png)

        mean = vf_all.groupby(["package", "community", "type", "households", "step"], sort=False).mean(
            numeric_only=True).reset_index()
        # the report names the rules in the reader's language (the CSV files keep the keys)
        rule_name = (lambda r: RULES_ZH.get(r, r)) if lang == "zh" else (lambda r: RULES_EN.get(r, r))
        mean["package"] = mean["package"].map(rule_name)
        write_district_report(mean, out, d, reference=rule_name("none"), lang=lang,
                              allocation={"objective": args.objective, "budget": budget, "floor": args.equity_floor,
                                          "table": _alloc_cells(alloc, d, lang).rename(columns=lambda k: _col(k, lang)),
                                          "verify": _verify_labels(verify, lang),
                                          "paired": _verify_labels(paired, lang), "pareto_png": png,
                                          "worlds_note": worlds_note, "names": RULES_ZH if lang == "zh" else {},
                                          "verdict": verdict,
                                          "design": tr("district.alloc.design", lang, R=R, S=S, V=V,
                                                       reps=len(reps), best_opt=rule_name(best_opt),
                                                       best_rule=rule_name(best_rule))})
    spent = float(sum(cost[i, a] for i, a in enumerate(rec)))
    from consultsim.i18n import tr as tr_
    na = tr_("cli.na", lang)
    print(verdict)
    print(_alloc_cells(alloc, d, lang).rename(columns=lambda k: _col(k, lang)).to_string(index=False, na_rep=na))
    print(_verify_labels(verify, lang).to_string(index=False, na_rep=na))
    print(_verify_labels(paired, lang).to_string(index=False, na_rep=na))
    print(f"consultsim district allocate: {tr_('cmd.allocate.done', lang, spent=spent, budget=budget, out=out)}",
          file=sys.stderr)
    del tr
    return 0


# replicates: screening seeds per representative and bundle, selection and hold-out seeds per community
DEFAULT = {"replicates": 30, "select_replicates": 8, "verify_replicates": 8}
QUICK = {"replicates": 6, "select_replicates": 3, "verify_replicates": 3}

OBJ_COL = {"implemented": "implemented_per_year", "participation": "participation_year",
           "trust": "mean_trust_committee", "complaints": "complaints_per_year"}  # allocation.OBJECTIVES' columns


def _verdict(diff: tuple[float, float, float], objective: str, lang: str, recommended: str, best_opt: str,
             best_rule: str) -> str:
    """The one line that heads the output and the report: what is recommended and why, from the hold-out's
    optimised-minus-rule difference on the objective (``diff``: mean, low, high, as
    :func:`consultsim.analysis.allocation.decide` read it from the rows paired.csv is written from). The best
    optimised allocation and the best simple rule were chosen on the selection seeds; the hold-out's interval
    decides (Smith & Winkler 2006: the chosen estimate is biased upward on the data it was chosen on, not on
    fresh data)."""
    from consultsim.analysis.allocation import OBJECTIVES
    from consultsim.i18n import tr

    _, sign, _ = OBJECTIVES[objective]
    names = RULES_ZH if lang == "zh" else RULES_EN
    m, lo, hi = diff
    f = dict(objective=tr(f"dr.objective.{objective}", lang), opt=names.get(best_opt, best_opt),
             rule=names.get(best_rule, best_rule), diff=f"{m:+.3g} ({lo:+.3g}, {hi:+.3g})")
    if recommended == best_opt:
        return tr("district.alloc.rec_optimised", lang, **f)
    worse = (hi < 0) if sign > 0 else (lo > 0)  # the optimised allocation did clearly worse than the rule
    return tr("district.alloc.rec_rule_worse" if worse else "district.alloc.rec_rule", lang, **f)


def _stream(seed: int, k: int) -> int:
    """Seed of the k-th stream of worlds drawn for a district with ``seed`` (not a community's stream)."""
    return int(np.random.SeedSequence([int(seed), 18, k]).generate_state(1)[0])


def _worst(x: np.ndarray, objective: str) -> float:
    """The mean of the worst tenth of worlds on ``objective`` (the highest complaints, else the lowest)."""
    from consultsim.analysis.allocation import OBJECTIVES, worst_share_mean

    sign = OBJECTIVES[objective][1]
    return sign * worst_share_mean(sign * np.asarray(x, dtype=float), 0.1)


def _worlds_note(posterior: pd.DataFrame, path, d, R: int, V: int, robust, lang: str) -> str:
    """What the report says of the worlds: how many, from where, what was optimised, and which calibrated
    parameters a type sets itself (the type's value is kept, as it is over the baseline defaults)."""
    from consultsim.i18n import tr

    names = [c for c in posterior.columns if c not in ("weight", "particle")]
    kept = []
    for t in sorted({c.type for c in d.communities}):
        own = [n for n in names if n in d.types[t].overrides]
        if own:
            kept.append(f"{d.types[t].label(lang)}: {', '.join(own)}")
    w = posterior["weight"].to_numpy(dtype=float)
    ess = float(w.sum() ** 2 / (w ** 2).sum())
    how = (tr("dr.worlds.robust", lang, share=robust) if robust is not None else tr("dr.worlds.expected", lang))
    return tr("dr.worlds_note", lang, path=Path(path).name, particles=len(posterior), ess=ess,
              params=", ".join(names), R=R, V=V, how=how,
              kept="; ".join(kept) if kept else tr("dr.worlds.none_kept", lang))


RULES_EN = {"none": "nothing extra", "optimised_raw": "optimised (raw gains)",
            "optimised_shrunk": "optimised (shrunk gains)", "optimised_pooled": "optimised (pooled gains)",
            "equal_split": "equal split", "worst_first": "worst first", "cheapest_first": "cheapest first"}
RULES_ZH = {"none": "不增加投入", "optimised_raw": "优化（原始增益）", "optimised_shrunk": "优化（收缩增益）",
            "optimised_pooled": "优化（合并增益）", "equal_split": "平均分配", "worst_first": "最差优先",
            "cheapest_first": "最便宜优先"}
VERIFY_COLS = {"rule": ("allocation", "分配方案"), "role": ("kind", "类别"), "recommended": ("recommended", "推荐"),
               "same_as": ("same allocation as", "与之相同的方案"), "against": ("minus", "减去"), "planned": ("planned (yuan/yr)", "计划支出（元/年）"),
               "spent": ("spent in the runs (yuan/yr)", "模拟中实际支出（元/年）"),
               "social_workers_fte": ("social workers (full-time)", "社工（全职当量）"),
               "implemented_per_year": ("works implemented a year", "每年落实事项"),
               "participation_year": ("participation (last 52 weeks)", "参与率（近一年）"), "mean_trust_committee": ("trust", "信任"),
               "complaints_per_year": ("complaints a year", "每年投诉"),
               "worst_participation": ("worst community's participation", "最差社区的参与率"),
               "worlds_p10_p90": ("objective over worlds (10th-90th pct)", "目标在各世界间（第 10–90 百分位）"),
               "worst_decile": ("objective in the worst tenth of worlds", "目标在最差 10% 世界中"),
               "better_in_worlds": ("worlds where it did better", "该方案更好的世界数"),
               "worst_decile_gain": ("difference in the worst tenth of worlds", "最差 10% 世界中的差值")}


def _verify_labels(verify: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The verification table with the reader's column names and rule names (the CSV keeps the keys)."""
    v = verify.copy()
    names = RULES_ZH if lang == "zh" else RULES_EN
    for c in ("rule", "against"):
        if c in v:
            v[c] = v[c].map(lambda r: names.get(r, r))
    if "same_as" in v:
        v["same_as"] = v["same_as"].map(lambda x: "、".join(names.get(k, k) for k in x.split(", ")) if
                                        isinstance(x, str) and x else "")
    if "role" in v:
        v["role"] = v["role"].map(lambda r: ROLES[r][1 if lang == "zh" else 0] if r in ROLES else r)
    if "recommended" in v:
        v["recommended"] = v["recommended"].map(lambda b: ("✔" if b else ""))
    return v.rename(columns={k: c[1] if lang == "zh" else c[0] for k, c in VERIFY_COLS.items()})


ROLES = {"reference": ("reference", "参照"), "optimised": ("optimised", "优化"), "rule": ("simple rule", "简单规则")}


def _alloc_cells(alloc: pd.DataFrame, d, lang: str) -> pd.DataFrame:
    """The allocation table's cells in the reader's language: the community type and the bundle."""
    if lang != "zh":
        return alloc
    from consultsim.i18n import tr
    a = alloc.copy()
    if "type" in a:
        a["type"] = [(d.types[t].name_zh if t in d.types and getattr(d.types[t], "name_zh", "") else t)
                     for t in a["type"]]
    if "bundle" in a:
        a["bundle"] = [tr("cli.na", lang) if b == "none" else b for b in a["bundle"]]  # 无: no bundle
    return a


def _col(k: str, lang: str) -> str:
    zh = {"community": "社区", "type": "类型", "households": "户数", "bundle": "措施组合", "cost": "年成本（元）",
          "why": "理由（每万元增益）", "buys": "购买内容", "worlds": "各世界间每万元增益（第 10–90 百分位）"}
    return zh.get(k, k) if lang == "zh" else {"cost": "cost (yuan/yr)", "why": "why (gain per 10k yuan)",
                                             "worlds": "gain per 10k yuan over worlds (10th-90th pct)"}.get(k, k)


def _pareto_png(front: pd.DataFrame, pred: dict, lang: str, verified: dict | None = None) -> bytes:
    import io

    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt

    from consultsim.analysis.cjk import use_font

    zh = lang == "zh"
    with use_font(lang):
        fig, ax = plt.subplots(figsize=(6.5, 4.5))
        if len(front):
            f = front.sort_values("implemented")
            ax.plot(f["implemented"], 100 * f["participation"], "o-", color="#1f77b4",
                    label="最优前沿（预测）" if zh else "best trade-offs (predicted)")
        names = RULES_ZH if zh else RULES_EN
        for k, (n, (x, y)) in enumerate(pred.items()):
            color = f"C{k + 1}"
            ax.scatter([x], [100 * y], marker="s", color=color, zorder=3)
            ax.annotate(names.get(n, n), (x, 100 * y), textcoords="offset points",
                        xytext=(5, 5), fontsize=8)
            if verified and n in verified:  # where the same rule landed when simulated on every community
                vx, vy = verified[n]
                ax.scatter([vx], [100 * vy], marker="o", facecolors="none", edgecolors=color, s=60, zorder=3)
                ax.plot([x, vx], [100 * y, 100 * vy], ":", color=color, lw=1)
        if verified:
            ax.scatter([], [], marker="o", facecolors="none", edgecolors="grey",
                       label="模拟验证结果" if zh else "verified by simulation")
        ax.set_xlabel("每年多落实的事项" if zh else "extra works implemented a year")
        ax.set_ylabel("参与率提高（百分点）" if zh else "participation gain (percentage points)")
        ax.legend(fontsize=8, loc="best")  # not over a rule's verified point
        ax.grid(alpha=0.3)
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=110)
        plt.close(fig)
    return buf.getvalue()
