"""``consultsim sweep EXPERIMENT.toml``: run an experiment file on any executor, resumably."""

from __future__ import annotations

import sys
from concurrent.futures.process import BrokenProcessPool

from consultsim.cli import checks
from consultsim.running.executors import CHOICES

DEAD_WORKER = ("a worker process died abruptly (out of memory?); the finished runs are saved: continue with "
               "--resume (or use --executor dask, which re-runs a dead worker's runs)")


def configure(parser) -> None:
    parser.add_argument("experiment", help="experiment file (or a name in experiments/)")
    parser.add_argument("--out", help="results directory (default results/sweeps/<experiment name>)")
    parser.add_argument("--executor", choices=CHOICES, default="auto",
                        help="where runs execute (default: auto, which times a few runs here and picks serial "
                             "or a process pool; dask when --scheduler is given)")
    parser.add_argument("--workers", type=checks.workers, help="worker processes (default: one per CPU core)")
    parser.add_argument("--scheduler", help="Dask scheduler address or scheduler file (with --executor dask)")
    parser.add_argument("--resume", action="store_true",
                        help="continue an interrupted sweep in --out, running only unfinished runs")
    parser.add_argument("--retry-failed", action="store_true",
                        help="with --resume: run the failed runs again (their new results replace the failures)")
    parser.add_argument("--allow-mixed", action="store_true",
                        help="with --resume: accept that the runs on disk came from other code or versions "
                             "(the code_id column says which run came from which)")
    parser.add_argument("--add-replicates", type=checks.add_replicates, default=0, metavar="K",
                        help="with --resume: add K replicates of every sample to a finished sweep (runs only those)")
    parser.add_argument("--add-metrics", action="store_true",
                        help="with --resume: record the experiment's metrics that a finished sweep lacks, by "
                             "simulating its finished runs again (they must reproduce their recorded values)")
    parser.add_argument("--shard", metavar="K/N",
                        help="run only the K-th of N interleaved slices of the runs (to split across machines)")
    parser.add_argument("--chunksize", type=checks.chunksize, help="runs per task (default: 1 for ConsultSim)")
    parser.add_argument("--no-progress", "--quiet", dest="no_progress", action="store_true", help="no progress bar")


def prepare(args):
    """Every input checked before any work: options, the experiment file, the output folder."""
    from consultsim.running.inputs import check_scheduler
    from consultsim.running.outputs import check_writable
    from consultsim.sweeps.experiments import load_experiment
    from consultsim.sweeps.runner import default_out, parse_shard
    from consultsim.sweeps.storage import SweepStore, check_parts

    check_scheduler(args.scheduler, args.executor)
    shard = parse_shard(getattr(args, "shard", None))
    exp = load_experiment(args.experiment)
    out = check_writable(args.out if args.out is not None else default_out(exp))
    if SweepStore(out).check(exp.fingerprint(), args.resume, legacy=exp.legacy_fingerprint):  # read only: is this folder ours?
        check_parts(out)  # a damaged part: one line before anything is written
    return exp, out, shard


def run(args) -> int:
    from consultsim.running.outputs import resumable
    from consultsim.sweeps.runner import run_sweep

    exp, out, shard = prepare(args)
    # locked (a second sweep into the same folder stops with one line) and marked unfinished until done
    try:
        with resumable(out, command=["consultsim", *sys.argv[1:]], kind="sweep"):
            summary = run_sweep(exp, out, executor=args.executor, workers=args.workers,
                                scheduler=args.scheduler, resume=args.resume, shard=shard,
                                chunksize=args.chunksize, progress=not args.no_progress,
                                command=["consultsim", *sys.argv[1:]], retry_failed=args.retry_failed,
                                allow_mixed=args.allow_mixed, add_replicates=args.add_replicates,
                                add_metrics=args.add_metrics)
    except BrokenProcessPool:  # the parts already committed stay on disk; the folder stays marked unfinished
        print(f"consultsim sweep: {DEAD_WORKER}", file=sys.stderr)
        return 1
    from consultsim.i18n.messages import translate_message

    lang = getattr(args, "lang", None) or "en"
    print(f"consultsim sweep: {translate_message(summary.line(), lang)}", file=sys.stderr)
    if summary.failed:
        print(f"consultsim sweep: {translate_message(summary.failure_line(), lang)}", file=sys.stderr)
        return 1
    return 0
