"""``consultsim sensitivity EXPERIMENT.toml``: Sobol or Morris analysis, sweep included."""

from __future__ import annotations

import sys
from concurrent.futures.process import BrokenProcessPool

from consultsim.cli import checks
from consultsim.running.executors import CHOICES


def configure(parser) -> None:
    parser.add_argument("experiment", help="experiment file with [sampler] method = \"sobol\" or \"morris\"")
    parser.add_argument("--out", help="results directory (default results/sweeps/<experiment name>)")
    parser.add_argument("--resume", action="store_true",
                        help="reuse (and finish) the sweep already in --out instead of refusing")
    parser.add_argument("--retry-failed", action="store_true", help="with --resume: run the failed runs again")
    parser.add_argument("--allow-mixed", action="store_true",
                        help="with --resume: accept runs on disk from other code or versions")
    parser.add_argument("--executor", choices=CHOICES, default="auto",
                        help="where runs execute (default: auto, see consultsim sweep --help)")
    parser.add_argument("--workers", type=checks.workers, help="worker processes (default: one per CPU core)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (with --executor dask)")
    parser.add_argument("--no-progress", "--quiet", dest="no_progress", action="store_true", help="no progress bar")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", type=int, help="analyse outcomes at this (kept) week (default: the last)")
    when.add_argument("--window", metavar="FIRST:LAST", help="analyse outcomes averaged over these weeks")


def run(args) -> int:
    import io

    from consultsim.analysis.outcomes import parse_when
    from consultsim.analysis.sensitivity import analyse, plot_indices
    from consultsim.cli.commands.sweep import prepare
    from consultsim.i18n import tr
    from consultsim.i18n.messages import translate_message
    from consultsim.running.outputs import atomic_write_bytes, atomic_write_text, resumable
    from consultsim.sweeps import load_results
    from consultsim.sweeps.experiments import ExperimentError
    from consultsim.sweeps.runner import run_sweep

    lang = args.lang
    exp, out, _ = prepare(args)
    week, window = parse_when(args.week, args.window)
    last = week if week is not None else window[1] if window is not None else None
    if last is not None and last > exp.steps:  # before any run, not after the sweep (issue 21)
        what = f"--week {week}" if week is not None else f"--window {window[0]}:{window[1]}"
        raise ExperimentError(f"{what}: the runs end at week {exp.steps}; choose a week within 0:{exp.steps}")
    if exp.method not in ("sobol", "morris"):
        raise ExperimentError(f"{exp.path}: sensitivity analysis needs [sampler] method = \"sobol\" or "
                              f"\"morris\", not {exp.method!r} (use consultsim sweep and plot-sweep)")
    try:
        with resumable(out, command=["consultsim", *sys.argv[1:]], kind="sweep"):
            summary = run_sweep(exp, out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                                resume=args.resume, progress=not args.no_progress, retry_failed=args.retry_failed,
                                allow_mixed=args.allow_mixed, command=["consultsim", *sys.argv[1:]])
            print(f"consultsim sensitivity: {translate_message(summary.line(), lang)}", file=sys.stderr)
            if summary.failed:
                print(f"consultsim sensitivity: {translate_message(summary.failure_line(), lang)}", file=sys.stderr)
                if not summary.ok:
                    return 1
            indices = analyse(exp, load_results(out), week, window)
            buf = io.StringIO()
            indices.to_csv(buf, index=False)
            atomic_write_text(out / "sensitivity.csv", buf.getvalue())
            undefined = indices.loc[indices["undefined_samples"] > 0].drop_duplicates("outcome")
            if len(undefined):
                what = ", ".join(tr("cmd.sens.undefined_item", lang, name=r.outcome, n=r.undefined_samples)
                                 for r in undefined.itertuples())
                print(f"consultsim sensitivity: {tr('cmd.sens.undefined', lang, what=what)}", file=sys.stderr)
            _seed_checks(exp, load_results(out), week, window, out, lang)
            tmp = out / ".sensitivity.png.tmp.png"
            from consultsim.analysis.outcomes import describe_when
            from consultsim.sweeps.samplers import make_design
            when = describe_when(week, window, exp.steps)
            if lang == "zh":
                from consultsim.i18n.messages import translate_when
                when = translate_when(when)
            png = plot_indices(indices, tmp, lang=lang, title=tr("fig.sens.title", lang, name=exp.name,
                                                                 n=make_design(exp).n_samples, reps=exp.replicates,
                                                                 when=when))
            atomic_write_bytes(out / "sensitivity.png", png.read_bytes())
            tmp.unlink()
    except BrokenProcessPool:  # the finished parts stay; the folder stays marked unfinished
        print(f"consultsim sensitivity: {tr('cmd.dead_worker', lang)}", file=sys.stderr)
        return 1
    print(f"consultsim sensitivity: {tr('cmd.sens.wrote', lang, csv=out / 'sensitivity.csv', png=out / 'sensitivity.png')}",
          file=sys.stderr)
    return 1 if summary.failed else 0


def _seed_checks(exp, results, week, window, out, lang: str = "en") -> None:
    """Warn when one replicate makes every sample share one random community; otherwise compute the indices
    from two independent seed sets and from half the base sample, write both tables and say in one line per
    outcome whether the ranking of parameters depends on the seeds or has not converged."""
    import io

    from consultsim.analysis.sensitivity import convergence, seed_dependence
    from consultsim.i18n import tr
    from consultsim.running.outputs import atomic_write_text

    def write(df, name):
        buf = io.StringIO()
        df.to_csv(buf, index=False)
        atomic_write_text(out / name, buf.getvalue())

    if exp.replicates < 2:
        print(f"consultsim sensitivity: {tr('cmd.sens.one_replicate', lang)}", file=sys.stderr)
    else:
        both, summary = seed_dependence(exp, results, week, window)
        write(both, "sensitivity_seeds.csv")
        for r in summary.itertuples(index=False):
            verdict = tr("cmd.sens.same" if r.same_top else "cmd.sens.different", lang)
            print("consultsim sensitivity: " + tr("cmd.sens.seed_check", lang, outcome=r.outcome, verdict=verdict,
                                                  top_a=r.top_a or "-", value=r.top_value_a, top_b=r.top_b or "-",
                                                  index=tr(f"cmd.sens.index.{r.index}", lang),
                                                  change=r.max_change).replace("nan", tr("cli.na", lang)),
                  file=sys.stderr)
    conv = convergence(exp, results, week, window)
    write(conv, "sensitivity_convergence.csv")
    moving = conv[(~conv["same_top"]) | (conv["max_change"] > 0.1)]
    if len(moving):
        print(f"consultsim sensitivity: {tr('cmd.sens.not_converged', lang, outcomes=', '.join(moving['outcome']))}",
              file=sys.stderr)
