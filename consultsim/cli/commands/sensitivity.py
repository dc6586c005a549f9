"""``consultsim sensitivity EXPERIMENT.toml``: Sobol or Morris analysis, sweep included."""

from __future__ import annotations

import sys
from concurrent.futures.process import BrokenProcessPool

from consultsim.cli import checks
from consultsim.cli.commands.sweep import DEAD_WORKER
from consultsim.running.executors import EXECUTORS


def configure(parser) -> None:
    parser.add_argument("experiment", help="experiment file with [sampler] method = \"sobol\" or \"morris\"")
    parser.add_argument("--out", help="results directory (default results/sweeps/<experiment name>)")
    parser.add_argument("--resume", action="store_true",
                        help="reuse (and finish) the sweep already in --out instead of refusing")
    parser.add_argument("--executor", choices=EXECUTORS, default="process", help="where runs execute")
    parser.add_argument("--workers", type=checks.workers, help="worker processes (default: one per CPU core)")
    parser.add_argument("--scheduler", help="address of a running Dask scheduler (with --executor dask)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar")


def run(args) -> int:
    import io

    from consultsim.analysis.sensitivity import analyse, plot_indices
    from consultsim.cli.commands.sweep import failed_line, prepare
    from consultsim.running.outputs import atomic_write_bytes, atomic_write_text, folder_lock
    from consultsim.sweeps import load_results
    from consultsim.sweeps.experiments import ExperimentError
    from consultsim.sweeps.runner import run_sweep

    exp, out, _ = prepare(args)
    if exp.method not in ("sobol", "morris"):
        raise ExperimentError(f"{exp.path}: sensitivity analysis needs [sampler] method = \"sobol\" or "
                              f"\"morris\", not {exp.method!r} (use consultsim sweep and plot-sweep)")
    with folder_lock(out):
        try:
            summary = run_sweep(exp, out, executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                                resume=args.resume, progress=not args.no_progress,
                                command=["consultsim", *sys.argv[1:]])
        except BrokenProcessPool:
            print(f"consultsim sensitivity: {DEAD_WORKER}", file=sys.stderr)
            return 1
        print(f"consultsim sensitivity: {summary.line()}", file=sys.stderr)
        bad = failed_line(out)
        if bad:
            print(f"consultsim sensitivity: {bad}", file=sys.stderr)
            return 1
        indices = analyse(exp, load_results(out))
        buf = io.StringIO()
        indices.to_csv(buf, index=False)
        atomic_write_text(out / "sensitivity.csv", buf.getvalue())
        undefined = sorted(set(indices.loc[indices["value"].isna(), "outcome"]))
        if undefined:
            print(f"consultsim sensitivity: not analysable (undefined in some samples): {', '.join(undefined)}",
                  file=sys.stderr)
        tmp = out / ".sensitivity.png.tmp.png"
        png = plot_indices(indices, tmp, title=exp.name)
        atomic_write_bytes(out / "sensitivity.png", png.read_bytes())
        tmp.unlink()
    print(f"consultsim sensitivity: wrote {out / 'sensitivity.csv'} and {out / 'sensitivity.png'}", file=sys.stderr)
    return 0
