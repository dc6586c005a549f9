"""``consultsim compare SCENARIO...``: replicated runs with common random numbers, figures and a report.

Writes into ``--out``: summary.csv, effects.csv, costs.csv, timeseries.csv.gz
(every run, every week), topics.csv.gz, the figures (PNG), report.html
(self-contained, in ``--lang`` en or zh) and comparison.json (provenance). Every
input is checked before anything is written or run; lever values that do nothing
or look like a unit mistake are named in one warning line each
(:mod:`consultsim.running.lever_checks`).
"""

from __future__ import annotations

import json
from pathlib import Path

from consultsim.cli import checks
from consultsim.errors import UsageError

__all__ = ["configure", "run", "check_inputs", "write_comparison", "MAX_SCENARIOS"]

MAX_SCENARIOS = 50  # a report and its figures stay readable well below this


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                        help="scenario files or names in scenarios/ (the first is the reference)")
    parser.add_argument("--replicates", type=checks.replicates, default=30, help="runs per scenario (default 30)")
    parser.add_argument("--steps", type=checks.steps, default=104, help="weeks to simulate (default 104)")
    parser.add_argument("--seed", type=checks.seed, default=None, help="master seed (default: a fresh one, recorded)")
    parser.add_argument("--out", default="results/compare", help="output folder (default results/compare)")
    parser.add_argument("--workers", type=checks.workers, default=None,
                        help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", "--no-progress", dest="quiet", action="store_true", help="no progress bar")
    parser.add_argument("--objectives", default=None, metavar="LIST",
                        help="what the report ranks packages on, comma-separated, by effect per yuan: "
                             "works, participation, trust (default), complaints, capacity, voice, equality, "
                             "representation, efficacy")
    parser.add_argument("--budget", type=checks.yuan, default=None, metavar="YUAN",
                        help="extra yuan a year the reader can spend: packages above it are listed, not recommended")
    parser.add_argument("--allow-different-sizes", action="store_true",
                        help="compare communities of different sizes (n_residents); the report flags it")
    parser.add_argument("--worlds", default=None, metavar="FILE",
                        help="a calibration's posterior worlds file (consultsim calibrate): each replicate "
                             "draws a world from it by weight")
    parser.add_argument("--lang", choices=("en", "zh"), default=None,
                        help="language of the report, its figures and these messages: en (default) or zh (中文)")
    checks.add_force(parser)


def check_inputs(args):
    """Validate options, the output folder and every scenario; raise a one-line user error before any work."""
    from consultsim.i18n import tr
    from consultsim.running.outputs import check_out

    lang = getattr(args, "lang", "en") or "en"
    if not args.scenarios:
        raise UsageError(tr("cli.no_scenarios", lang))
    if len(args.scenarios) > MAX_SCENARIOS:
        raise UsageError(tr("cli.too_many_scenarios", lang, n=len(args.scenarios), max=MAX_SCENARIOS))
    checks.check_run_options(args)
    objectives_of(args)
    out = check_out(args.out, force=getattr(args, "force", False))
    if getattr(args, "worlds", None):
        from consultsim.analysis.calibration import read_worlds
        try:
            args.worlds_table = read_worlds(args.worlds)
        except UsageError as e:
            if lang != "zh":
                raise
            raise UsageError(f"--worlds {args.worlds}：不是可用的世界文件（由 consultsim calibrate 生成的 "
                             f"posterior_worlds.parquet）：{e}") from None
    scenarios = checks.load_scenarios(args.scenarios, "compare", lang)
    sizes = {int(s.params.n_residents) for s in scenarios}
    if len(sizes) > 1 and not getattr(args, "allow_different_sizes", False):
        listing = ", ".join(f"{s.name} {int(s.params.n_residents):,}" for s in scenarios)
        raise UsageError(tr("cli.sizes_differ", lang, listing=listing))
    return scenarios, out


def objectives_of(args) -> tuple[str, ...]:
    """--objectives as objective keys (one-line error naming an unknown one)."""
    from consultsim.analysis.funding import OBJECTIVES, parse_objectives
    from consultsim.i18n import tr

    try:
        return parse_objectives(getattr(args, "objectives", None))
    except ValueError as e:
        raise UsageError(tr("cli.bad_objective", getattr(args, "lang", "en"), name=str(e),
                            allowed=", ".join(OBJECTIVES))) from None


def write_comparison(comp, out: str | Path, command: list[str] | None = None, lang: str = "en",
                     objectives=None, budget: float | None = None) -> dict[str, Path]:
    """Write tables, figures, report and provenance of a :class:`~consultsim.analysis.compare.Comparison`."""
    import pandas as pd

    from consultsim.analysis import plotting
    from consultsim.analysis.compare import bands
    from consultsim.analysis.costs import cost_table, dominated, run_costs
    from consultsim.analysis.report import display_names, write_report
    from consultsim.i18n import tr
    from consultsim.running.provenance import stamp

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    final = comp.final()
    summary, effects = comp.summary(), comp.effects()
    params = dict(zip(comp.labels, (s.params for s in comp.scenarios)))
    costs = run_costs(final, params, comp.steps, comp.topics)
    summary.to_csv(out / "summary.csv", index=False)
    effects.to_csv(out / "effects.csv", index=False)
    costs.to_csv(out / "costs.csv", index=False)
    comp.timeseries.to_csv(out / "timeseries.csv.gz", index=False)
    comp.topics.to_csv(out / "topics.csv.gz", index=False)

    names = display_names(comp.scenarios, comp.labels, lang)
    colors = plotting.scenario_colors(comp.labels)
    figs: dict[str, Path] = {}
    ref, steps = comp.reference, comp.steps
    band = bands(comp.timeseries, [m for m in plotting.TIMESERIES_METRICS if m in comp.timeseries.columns])
    figs[tr("fig.caption.timeseries", lang)] = plotting.plot_timeseries(
        band, out / "timeseries.png", colors=colors, lang=lang, names=names, runs=len(comp.seeds))
    doms: dict[str, set[str]] = {}
    if not effects.empty:
        figs[tr("fig.caption.effects", lang, ref=names[ref], steps=steps)] = plotting.plot_effects(
            effects, ref, out / "effects.png", colors=colors, horizon_weeks=steps, lang=lang, names=names)
        extra = cost_table(costs, ref).set_index("scenario")["extra"]
        pts = []
        for m in plotting.COST_EFFECT_METRICS:
            e = effects[effects["metric"] == m]
            if e.empty:
                continue
            rows = pd.DataFrame({"scenario": [ref, *e["scenario"]], "metric": m,
                                 "cost": [0.0, *e["scenario"].map(extra)], "effect": [0.0, *e["diff"]],
                                 "ci_low": [float("nan"), *e["ci_low"]], "ci_high": [float("nan"), *e["ci_high"]],
                                 "n": [0, *e["n"]]})
            doms[m] = dominated(rows, plotting.BETTER[m])
            rows["dominated"] = rows["scenario"].isin(doms[m])
            pts.append(rows)
        if pts:
            figs[tr("fig.caption.cost_effect", lang)] = plotting.plot_cost_effect(
                pd.concat(pts, ignore_index=True), ref, out / "cost_effect.png", colors=colors, lang=lang,
                names=names)
    figs[tr("fig.caption.overview", lang, steps=steps)] = plotting.plot_overview(
        summary, out / "overview.png", colors=colors, horizon_weeks=steps, lang=lang, names=names)

    prov = {**stamp(command), "master_seed": comp.master_seed, "seeds": comp.seeds,
            "replicates": len(comp.seeds), "steps": comp.steps, "seconds": round(comp.seconds, 1), "lang": lang,
            **({"worlds": comp.meta["worlds"]} if comp.meta.get("worlds") else {}),
            "scenarios": [{"label": lab, "name": s.name, "path": str(s.path) if s.path else None,
                           "values": dict(s.values)} for lab, s in zip(comp.labels, comp.scenarios)]}
    (out / "comparison.json").write_text(json.dumps(prov, indent=2, ensure_ascii=False, default=str),
                                         encoding="utf-8")
    funding = yearly = None
    if not effects.empty:
        from consultsim.analysis.funding import DEFAULT_OBJECTIVES, rank_packages, yearly_table
        funding = rank_packages(effects, final, costs, ref, objectives=objectives or DEFAULT_OBJECTIVES,
                                budget=budget)
        funding.table.to_csv(out / "funding.csv", index=False)
        if comp.steps > 52:
            yearly = yearly_table(comp.timeseries, comp.topics, params, ref, comp.steps)
            yearly.to_csv(out / "yearly.csv", index=False)
    report = write_report(out / "report.html", scenarios=comp.scenarios, labels=comp.labels, summary=summary,
                          effects=effects, figures=figs, provenance=prov, replicates=len(comp.seeds),
                          steps=comp.steps, lang=lang, costs=costs, topics=comp.topics, final=final,
                          dominated=doms, funding=funding, yearly=yearly)
    return {"report": report, "summary": out / "summary.csv", "effects": out / "effects.csv",
            "costs": out / "costs.csv", **{f"figure_{p.stem}": p for p in figs.values()}}


def run(args) -> int:
    from consultsim.analysis.compare import run_comparison
    from consultsim.i18n import tr
    from consultsim.running.outputs import shown, writing

    lang = getattr(args, "lang", "en") or "en"
    scenarios, out = check_inputs(args)
    with writing(out, force=args.force, command=["consultsim", "compare", *args.scenarios]) as tmp:
        checks.print_lever_warnings(scenarios, args.steps, lang)  # once the folder is ours: errors come first
        comp = run_comparison(scenarios, replicates=args.replicates, steps=args.steps, seed=args.seed,
                              workers=args.workers, progress=not args.quiet, lang=lang,
                              worlds=getattr(args, "worlds_table", None))
        # The command that reproduces this result exactly (with the master seed actually used).
        command = ["consultsim", "compare", *args.scenarios, "--replicates", str(args.replicates),
                   "--steps", str(args.steps), "--seed", str(comp.master_seed), "--out", str(out), "--lang", lang,
                   *(["--worlds", str(args.worlds)] if getattr(args, "worlds", None) else [])]
        if args.objectives:
            command += ["--objectives", ",".join(objectives_of(args))]
        if args.budget is not None:
            command += ["--budget", f"{args.budget:g}"]
        paths = write_comparison(comp, tmp, command, lang, objectives=objectives_of(args), budget=args.budget)
    names = ", ".join(getattr(s, "name_zh", "") or lab if lang == "zh" else lab
                      for s, lab in zip(comp.scenarios, comp.labels))
    print(tr("cli.compared", lang, labels=shown(names), runs=len(comp.seeds), steps=comp.steps, seed=comp.master_seed,
             secs=f"{comp.seconds:.0f}"))
    print(tr("cli.report", lang, path=shown(out / paths["report"].name)))
    return 0
