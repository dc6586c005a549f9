"""``consultsim compare SCENARIO...``: replicated runs with common random numbers, figures and a report.

Writes into ``--out``: summary.csv, effects.csv, timeseries.csv.gz (every run,
every week), topics.csv.gz, the figures (PNG), report.html (self-contained)
and comparison.json (provenance). Every input is checked before anything is
written or run.
"""

from __future__ import annotations

import json
from pathlib import Path

from consultsim.errors import UsageError

__all__ = ["configure", "run", "check_inputs", "write_comparison"]


def configure(parser) -> None:
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                        help="scenario files or names in scenarios/ (the first is the reference)")
    parser.add_argument("--replicates", type=int, default=30, help="runs per scenario (default 30)")
    parser.add_argument("--steps", type=int, default=104, help="weeks to simulate (default 104)")
    parser.add_argument("--seed", type=int, default=None, help="master seed (default: a fresh one, recorded)")
    parser.add_argument("--out", default="results/compare", help="output folder (default results/compare)")
    parser.add_argument("--workers", type=int, default=None, help="parallel processes (default: all cores)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def check_run_options(args, min_steps: int = 1) -> None:
    """--replicates, --steps and --workers, shared by compare and validate (one-line errors)."""
    if args.replicates < 2:
        raise UsageError(f"--replicates must be at least 2 for an interval (got {args.replicates})")
    if args.steps < min_steps:
        raise UsageError(f"--steps must be at least {min_steps} (got {args.steps})")
    if args.workers is not None and args.workers < 1:
        raise UsageError(f"--workers must be at least 1 (got {args.workers})")


def check_inputs(args):
    """Validate options and load every scenario; raise a one-line user error before any work."""
    from consultsim.running.scenarios import resolve_scenario

    if not args.scenarios:
        raise UsageError("no scenarios given: name at least one scenario file (e.g. baseline policy)")
    check_run_options(args)
    out = Path(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    return [resolve_scenario(s) for s in args.scenarios], out


def write_comparison(comp, out: str | Path, command: list[str] | None = None) -> dict[str, Path]:
    """Write tables, figures, report and provenance of a :class:`~consultsim.analysis.compare.Comparison`."""
    from consultsim.analysis import plotting
    from consultsim.analysis.compare import bands
    from consultsim.analysis.report import write_report
    from consultsim.running.provenance import stamp

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    summary, effects = comp.summary(), comp.effects()
    summary.to_csv(out / "summary.csv", index=False)
    effects.to_csv(out / "effects.csv", index=False)
    comp.timeseries.to_csv(out / "timeseries.csv.gz", index=False)
    comp.topics.to_csv(out / "topics.csv.gz", index=False)

    colors = plotting.scenario_colors(comp.labels)
    figs: dict[str, Path] = {}
    band = bands(comp.timeseries, [m for m in plotting.TIMESERIES_METRICS if m in comp.timeseries.columns])
    figs["Key measures over time, mean of runs with 95% band"] = plotting.plot_timeseries(
        band, out / "timeseries.png", colors=colors)
    if not effects.empty:
        figs[f"Effects against {comp.reference} after {comp.steps} weeks, with 95% intervals"] = \
            plotting.plot_effects(effects, comp.reference, out / "effects.png", colors=colors,
                                  horizon_weeks=comp.steps)
    figs[f"Overview: levels after {comp.steps} weeks"] = plotting.plot_overview(
        summary, out / "overview.png", colors=colors, horizon_weeks=comp.steps)

    prov = {**stamp(command), "master_seed": comp.master_seed, "seeds": comp.seeds,
            "replicates": len(comp.seeds), "steps": comp.steps, "seconds": round(comp.seconds, 1),
            "scenarios": [{"label": lab, "name": s.name, "path": str(s.path) if s.path else None,
                           "values": dict(s.values)} for lab, s in zip(comp.labels, comp.scenarios)]}
    (out / "comparison.json").write_text(json.dumps(prov, indent=2, ensure_ascii=False, default=str),
                                         encoding="utf-8")
    report = write_report(out / "report.html", scenarios=comp.scenarios, labels=comp.labels, summary=summary,
                          effects=effects, figures=figs, provenance=prov, replicates=len(comp.seeds),
                          steps=comp.steps)
    return {"report": report, "summary": out / "summary.csv", "effects": out / "effects.csv", **{
        f"figure_{p.stem}": p for p in figs.values()}}


def run(args) -> int:
    from consultsim.analysis.compare import run_comparison

    scenarios, out = check_inputs(args)
    comp = run_comparison(scenarios, replicates=args.replicates, steps=args.steps, seed=args.seed,
                          workers=args.workers, progress=not args.quiet)
    # The command that reproduces this result exactly (with the master seed actually used).
    command = ["consultsim", "compare", *args.scenarios, "--replicates", str(args.replicates),
               "--steps", str(args.steps), "--seed", str(comp.master_seed), "--out", str(out)]
    paths = write_comparison(comp, out, command)
    print(f"compared {', '.join(comp.labels)}: {len(comp.seeds)} runs each, {comp.steps} weeks, "
          f"master seed {comp.master_seed}, {comp.seconds:.0f} s")
    print(f"report: {paths['report']}")
    return 0
