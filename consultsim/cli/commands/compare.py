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
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--worlds", default=None, metavar="FILE",
                        help="a calibration's posterior worlds file (consultsim calibrate): each replicate "
                             "draws a world from it by weight")
    parser.add_argument("--lang", choices=("en", "zh"), default="en",
                        help="language of the report, its figures and these messages: en (default) or zh (中文)")
    checks.add_force(parser)


def check_inputs(args):
    """Validate options, the output folder and every scenario; raise a one-line user error before any work."""
    from consultsim.i18n import tr
    from consultsim.running.outputs import check_out

    lang = getattr(args, "lang", "en")
    if not args.scenarios:
        raise UsageError(tr("cli.no_scenarios", lang))
    if len(args.scenarios) > MAX_SCENARIOS:
        raise UsageError(f"{len(args.scenarios)} scenarios: more than the limit of {MAX_SCENARIOS} in one "
                         "comparison (split them into several)")
    checks.check_run_options(args)
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
    return checks.load_scenarios(args.scenarios, "compare"), out


def write_comparison(comp, out: str | Path, command: list[str] | None = None, lang: str = "en") -> dict[str, Path]:
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
    costs = run_costs(final, dict(zip(comp.labels, (s.params for s in comp.scenarios))), comp.steps,
                      comp.topics)
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
    report = write_report(out / "report.html", scenarios=comp.scenarios, labels=comp.labels, summary=summary,
                          effects=effects, figures=figs, provenance=prov, replicates=len(comp.seeds),
                          steps=comp.steps, lang=lang, costs=costs, topics=comp.topics, final=final,
                          dominated=doms)
    return {"report": report, "summary": out / "summary.csv", "effects": out / "effects.csv",
            "costs": out / "costs.csv", **{f"figure_{p.stem}": p for p in figs.values()}}


def run(args) -> int:
    from consultsim.analysis.compare import run_comparison
    from consultsim.i18n import tr
    from consultsim.running.outputs import writing

    lang = getattr(args, "lang", "en")
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
        paths = write_comparison(comp, tmp, command, lang)
    names = ", ".join(getattr(s, "name_zh", "") or lab if lang == "zh" else lab
                      for s, lab in zip(comp.scenarios, comp.labels))
    print(tr("cli.compared", lang, labels=names, runs=len(comp.seeds), steps=comp.steps, seed=comp.master_seed,
             secs=f"{comp.seconds:.0f}"))
    print(tr("cli.report", lang, path=out / paths["report"].name))
    return 0
