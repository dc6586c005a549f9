"""``consultsim district allocate FILE --budget YUAN``: screen, optimise, verify (consultsim.analysis.allocation).

The folder ``--out`` holds ``screen/`` (type x bundle runs), ``baseline/`` and ``verify/`` (every
community under no bundle and under each rule's allocation, ``--verify-replicates`` seeds, the same
seeds under every rule), each resumable with ``--resume``, and the results: ``allocation.csv``
(which community gets what, why, what it buys), ``gains.csv``, ``verification.csv``,
``pareto.png`` / ``pareto.csv`` and ``report.html``.

With ``--worlds-file`` (a calibration's posterior, ``consultsim calibrate``) every screening and
verification replicate runs in a world drawn from it by weight, the same world for that replicate in
every community and under every bundle and rule (common worlds, as the seeds are common); the
verification draws its own worlds, apart from the screening's. The allocation maximises the expected
gain over the worlds, or with ``--robust SHARE`` the mean of the worst SHARE of them (CVaR), and the
tables give the spread over worlds; ``worlds.csv`` lists the worlds each replicate ran in.
"""

from __future__ import annotations

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


def _interval(x: np.ndarray) -> tuple[float, float, float]:
    from scipy import stats

    m = float(np.mean(x))
    if len(x) < 2:
        return m, np.nan, np.nan
    h = float(stats.t.ppf(0.975, len(x) - 1) * np.std(x, ddof=1) / np.sqrt(len(x)))
    return m, m - h, m + h


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
    R, V = args.replicates, args.verify_replicates
    common = dict(steps=steps, collect_every=args.collect_every, executor=args.executor, workers=args.workers,
                  scheduler=args.scheduler, resume=args.resume, force=args.force, progress=not args.no_progress,
                  command=["consultsim", *sys.argv[1:]], locked=True, checked=True)
    bundles = list(al.BUNDLES)
    screen_worlds = verify_worlds = None
    if posterior is not None:
        from consultsim.analysis.calibration import draw_worlds
        # two draws from the posterior by weight, from streams of the district's seed: the screening's worlds
        # choose the allocation, the verification's own worlds test it (not the worlds it was chosen on)
        screen_worlds = draw_worlds(posterior, R, _stream(d.seed, 1))
        verify_worlds = draw_worlds(posterior, V, _stream(d.seed, 2))
    with output:
        # 1. screening: one representative community per type (its median size here), every bundle, R seeds
        reps = []
        for i, t in enumerate(sorted({c.type for c in d.communities})):
            sizes = [c.households for c in d.communities if c.type == t]
            hh = int(np.median(sizes))
            nb = int(min(hh, max(1, round(hh / d.types[t].households_per_building))))
            reps.append(Community(t, t, hh, nb, {}, i))
        screen = District(f"{d.name}-screen", tuple(reps), d.types, d.seed, 0.0, steps)
        pk = [Package(b.name, dict(b.levers)) for b in bundles]
        run_district(screen, out / "screen", packages=pk, replicates=R, worlds=screen_worlds, **common)
        sf = da.final_rows(check_complete(out / "screen", screen, pk, R))
        g = al.gains(sf)

        # 2. costs and the optimisation
        funded = g.drop_duplicates(["type", "bundle"]).set_index(["type", "bundle"])["funded_per_year"]
        params = [Params(**c.values(d.types)) for c in d.communities]
        cost = np.array([[al.bundle_cost(params[i], b, float(funded.get((c.type, b.name), 0.0)))
                          for b in bundles] for i, c in enumerate(d.communities)])
        cost = np.maximum(cost, 0.0)
        values = {o: al._value(g, d.communities, bundles, o, d.households) for o in al.OBJECTIVES}
        staff = np.array([[al.staff_fte(b) for b in bundles] for _ in d.communities])
        limit = float(staff_opt) if staff_opt is not None else np.inf
        sk = {"staff": staff, "staff_limit": limit}
        try:
            if robust is not None:  # the worst share of the screening's worlds (one world per replicate)
                per_world = al._value(al.replicate_gains(sf), d.communities, bundles, args.objective, d.households)
                rec = al.optimise(per_world, cost, budget, args.equity_floor, robust=robust, **sk)
            else:
                rec = al.optimise(values[args.objective], cost, budget, args.equity_floor, **sk)
        except ValueError:
            raise _err(None, "district.err.infeasible", budget=budget, floor=args.equity_floor) from None

        # 3. baseline on every community, then the rules, verified with the same V seeds
        none = [Package("none", {})]
        run_district(d, out / "baseline", packages=none, replicates=V, worlds=verify_worlds, **common)
        bf = da.final_rows(check_complete(out / "baseline", d, none, V))
        b0 = bf.groupby("community")[list(da.KEY) + ["implemented"]].mean().reindex([c.name for c in d.communities])
        behind = da.badness(b0.assign(complaints_per_1000=b0["complaints_per_1000"])).to_numpy()
        order = list(np.argsort(cost.mean(axis=0), kind="stable"))
        best = [b.name for b in bundles].index("full")
        rules = {"recommended": rec, "equal_split": al.equal_split(cost, budget, order, **sk),
                 "worst_first": al.worst_first(cost, budget, behind, best, **sk),
                 "cheapest_first": al.cheapest_first(cost, budget, **sk)}
        packages = [Package("none", {})] + [
            Package(name, {}, by_community={c.name: al.levers_for(params[i], bundles[a[i]])
                                            for i, c in enumerate(d.communities)})
            for name, a in rules.items()]
        run_district(d, out / "verify", packages=packages, replicates=V, worlds=verify_worlds, **common)
        vf_all = check_complete(out / "verify", d, packages, V)
        vf = da.final_rows(vf_all)

        # tables
        tot = _rule_totals(vf)
        # what each rule spent in the verification runs (a subsidy costs what the works it funded cost there)
        fv = al.yearly_outcomes(vf).groupby(["package", "community"])["funded_per_year"].mean()

        def spent_in_runs(name: str) -> float:
            return float(sum(max(0.0, al.bundle_cost(params[i], bundles[a], float(fv.get((name, c.name), 0.0))))
                             for i, (c, a) in enumerate(zip(d.communities, rules[name]))))

        rows = []
        for name in ["none", *rules]:
            t = tot[tot["package"] == name]
            spent = spent_in_runs(name) if name in rules else 0.0
            row = {"rule": name, "planned": float(sum(cost[i, a] for i, a in enumerate(rules[name])))
                   if name in rules else 0.0, "spent": spent,
                   "social_workers_fte": float(sum(staff[i, a] for i, a in enumerate(rules[name])))
                   if name in rules else 0.0}
            for col in ("implemented_per_year", "participation_year", "mean_trust_committee", "complaints_per_year",
                        "worst_participation"):
                m, lo, hi = _interval(t[col].to_numpy())
                row[col] = f"{m:.3f} ({lo:.3f}, {hi:.3f})"
            if posterior is not None:  # the objective's spread over the verification's worlds
                x = t[OBJ_COL[args.objective]].to_numpy(dtype=float)
                row["worlds_p10_p90"] = f"{np.quantile(x, 0.1):.3f} – {np.quantile(x, 0.9):.3f}"
                row["worst_decile"] = f"{_worst(x, args.objective):.3f}"
            rows.append(row)
        verify = pd.DataFrame(rows)
        # the recommendation against each rule, paired on the same seeds (common random numbers)
        wide = {c: tot.set_index(["package", "replicate"])[c].unstack(0) for c in OBJ_COLS}
        prow = []
        for name in ["none", "equal_split", "worst_first", "cheapest_first"]:
            row = {"rule": name}
            for c in OBJ_COLS:
                m, lo, hi = _interval((wide[c]["recommended"] - wide[c][name]).to_numpy())
                row[c] = f"{m:+.3f} ({lo:+.3f}, {hi:+.3f})"
            if posterior is not None:  # in how many of the verification's worlds the recommendation did better
                c = OBJ_COL[args.objective]
                diff = al.OBJECTIVES[args.objective][1] * (wide[c]["recommended"] - wide[c][name]).to_numpy()
                row["better_in_worlds"] = f"{int((diff > 0).sum())}/{len(diff)}"
                row["worst_decile_gain"] = f"{al.worst_share_mean(diff, 0.1):+.3f}"
            prow.append(row)
        paired = pd.DataFrame(prow)
        verdict = _verdict(wide[OBJ_COL[args.objective]], args.objective, lang)
        gi = g[g["objective"] == args.objective].set_index(["type", "bundle"])
        alloc_rows = []
        for i, c in enumerate(d.communities):
            b = bundles[rec[i]]
            gain = gi.loc[(c.type, b.name)] if (c.type, b.name) in gi.index else None
            why = ("—" if b.name == "none" or gain is None or cost[i, rec[i]] <= 0 else
                   f"{gain['gain'] * 1e4 / cost[i, rec[i]]:+.3g} ± {gain['se'] * 1e4 / cost[i, rec[i]]:.2g} "
                   + ("/ 万元" if lang == "zh" else "/ 10k"))
            buys = al.describe(b, lang)
            if set(b.levers) - set(al.levers_for(params[i], b)):  # the PM levers are not bought where there is no PM
                buys += "（没有物业：不含物业绩效合同）" if lang == "zh" else " (no property manager: no contract)"
            row = {"community": c.name, "type": d.types[c.type].label(lang), "households": c.households,
                   "bundle": b.name, "cost": round(float(cost[i, rec[i]])), "why": why, "buys": buys}
            if posterior is not None:  # the type's gain per 10k yuan in the screening's worlds: 10th-90th percentile
                row["worlds"] = ("—" if why == "—" else
                                 f"{gain['q10'] * 1e4 / cost[i, rec[i]]:+.3g} – {gain['q90'] * 1e4 / cost[i, rec[i]]:+.3g}")
            alloc_rows.append(row)
        alloc = pd.DataFrame(alloc_rows)
        atomic_write_text(out / "allocation.csv", alloc.to_csv(index=False))
        atomic_write_text(out / "gains.csv", g.to_csv(index=False))
        atomic_write_text(out / "verification.csv", verify.to_csv(index=False))
        atomic_write_text(out / "paired.csv", paired.to_csv(index=False))
        atomic_write_text(out / "rule_runs.csv", tot.to_csv(index=False))
        worlds_note = None
        if posterior is not None:
            wt = pd.DataFrame([{"phase": ph, "replicate": r, **w} for ph, ws in (("screen", screen_worlds),
                                                                                  ("verify", verify_worlds))
                               for r, w in enumerate(ws)])
            atomic_write_text(out / "worlds.csv", wt.to_csv(index=False))
            worlds_note = _worlds_note(posterior, worlds_file, d, R, V, robust, lang)

        # the trade-off between works implemented and participation within the budget
        front = al.pareto(values, cost, budget, args.equity_floor, "implemented", "participation", **sk)
        pred = {n: (values["implemented"][np.arange(len(a)), a].sum(), values["participation"][np.arange(len(a)), a].sum())
                for n, a in rules.items()}
        atomic_write_text(out / "pareto.csv", front.to_csv(index=False))
        base = tot[tot["package"] == "none"].set_index("replicate")
        verified = {}
        for n in rules:  # the paired change each rule made in the verification runs (same seeds as "none")
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
                                          "verdict": verdict})
    spent = float(sum(cost[i, a] for i, a in enumerate(rec)))
    from consultsim.i18n import tr as tr_
    na = tr_("cli.na", lang)
    print(_alloc_cells(alloc, d, lang).rename(columns=lambda k: _col(k, lang)).to_string(index=False, na_rep=na))
    print(_verify_labels(verify, lang).to_string(index=False, na_rep=na))
    print(_verify_labels(paired, lang).to_string(index=False, na_rep=na))
    print(verdict)
    print(f"consultsim district allocate: {tr_('cmd.allocate.done', lang, spent=spent, budget=budget, out=out)}",
          file=sys.stderr)
    del tr
    return 0


OBJ_COL = {"implemented": "implemented_per_year", "participation": "participation_year",
           "trust": "mean_trust_committee", "complaints": "complaints_per_year"}  # allocation.OBJECTIVES' columns


def _verdict(runs: pd.DataFrame, objective: str, lang: str) -> str:
    """What the verification says of the recommendation on the objective: ``runs`` holds the objective per
    verification replicate (rows) and rule (columns). A rule whose paired difference from the recommendation
    lies wholly on the better side beats it (the screening's prediction failed: the optimiser picks what noise
    in the screening flattered, Smith & Winkler 2006's optimizer's curse); none clearly better or worse leaves
    it unclear; the recommendation better than every rule beats them."""
    import consultsim.analysis.district_report  # noqa: F401  (registers the objectives' names, dr.objective.*)
    from consultsim.analysis.allocation import OBJECTIVES
    from consultsim.i18n import tr as dtr

    sign = OBJECTIVES[objective][1]
    names = RULES_ZH if lang == "zh" else RULES_EN
    sep = "、" if lang == "zh" else ", "
    obj = dtr(f"dr.objective.{objective}", lang)
    beaten, unclear = [], []
    for rule in ("equal_split", "worst_first", "cheapest_first"):
        m, lo, hi = _interval((sign * (runs["recommended"] - runs[rule])).to_numpy(dtype=float))
        if hi < 0:
            beaten.append((rule, sign * m, sign * lo, sign * hi))
        elif not lo > 0:
            unclear.append(rule)
    if beaten:
        diffs = sep.join(f"{names[r]} {m:+.3g} ({min(lo, hi):+.3g}, {max(lo, hi):+.3g})" for r, m, lo, hi in beaten)
        return dtr("district.alloc.beaten", lang, rules=sep.join(names[r] for r, *_ in beaten), objective=obj,
                   diffs=diffs)
    if unclear:
        return dtr("district.alloc.unclear", lang, rules=sep.join(names[r] for r in unclear), objective=obj)
    return dtr("district.alloc.beats", lang, objective=obj)


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


RULES_EN = {"none": "nothing extra", "recommended": "recommended", "equal_split": "equal split",
            "worst_first": "worst first", "cheapest_first": "cheapest first"}
RULES_ZH = {"none": "不增加投入", "recommended": "推荐分配", "equal_split": "平均分配", "worst_first": "最差优先",
            "cheapest_first": "最便宜优先"}
VERIFY_COLS = {"rule": ("rule", "分配规则"), "planned": ("planned (yuan/yr)", "计划支出（元/年）"),
               "spent": ("spent in the runs (yuan/yr)", "模拟中实际支出（元/年）"),
               "social_workers_fte": ("social workers (full-time)", "社工（全职当量）"),
               "implemented_per_year": ("works implemented a year", "每年落实事项"),
               "participation_year": ("participation (last 52 weeks)", "参与率（近一年）"), "mean_trust_committee": ("trust", "信任"),
               "complaints_per_year": ("complaints a year", "每年投诉"),
               "worst_participation": ("worst community's participation", "最差社区的参与率"),
               "worlds_p10_p90": ("objective over worlds (10th-90th pct)", "目标在各世界间（第 10–90 百分位）"),
               "worst_decile": ("objective in the worst tenth of worlds", "目标在最差 10% 世界中"),
               "better_in_worlds": ("worlds where the recommendation did better", "推荐分配更好的世界数"),
               "worst_decile_gain": ("difference in the worst tenth of worlds", "最差 10% 世界中的差值")}


def _verify_labels(verify: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The verification table with the reader's column names and rule names (the CSV keeps the keys)."""
    v = verify.copy()
    if lang == "zh":
        v["rule"] = v["rule"].map(lambda r: RULES_ZH.get(r, r))
    else:
        v["rule"] = v["rule"].str.replace("_", " ")
    return v.rename(columns={k: c[1] if lang == "zh" else c[0] for k, c in VERIFY_COLS.items()})


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
        names = {"recommended": "推荐", "equal_split": "平均分配", "worst_first": "最差优先", "cheapest_first": "最便宜优先"}
        for k, (n, (x, y)) in enumerate(pred.items()):
            color = f"C{k + 1}"
            ax.scatter([x], [100 * y], marker="s", color=color, zorder=3)
            ax.annotate(names[n] if zh else n.replace("_", " "), (x, 100 * y), textcoords="offset points",
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
