"""``consultsim plot-sweep DIR``: response of each outcome to each varied parameter."""

from __future__ import annotations

import sys
from pathlib import Path

from consultsim.cli import checks


def configure(parser) -> None:
    parser.add_argument("dir", help="a sweep results directory (from consultsim sweep)")
    parser.add_argument("--plots", help="where to write the PNGs (default DIR/plots)")
    checks.add_force(parser)


def run(args) -> int:
    from consultsim.analysis.plot_sweep import plot_sweep
    from consultsim.errors import UsageError
    from consultsim.running.outputs import check_out, writing
    from consultsim.sweeps.storage import read_experiment_json

    if not args.dir.strip():
        raise UsageError("DIR '': give a sweep results directory")
    src = Path(args.dir)
    if not src.is_dir():
        raise UsageError(f"{src}: no such sweep directory")
    read_experiment_json(src)  # a damaged record: one line before anything is drawn
    plots = check_out(args.plots if args.plots is not None else src / "plots", force=args.force,
                      option="--plots")
    with writing(plots, force=args.force, command=["consultsim", *sys.argv[1:]], option="--plots") as tmp:
        written = plot_sweep(src, tmp, lang=args.lang)
    for path in written:
        print(plots / path.name)
    from consultsim.i18n import tr
    print(f"consultsim plot-sweep: {tr('cmd.plot.figures', args.lang, plots=plots)}", file=sys.stderr)
    from consultsim.sweeps import load_runs

    runs = load_runs(src)
    failed = int((runs["status"] != "ok").sum())
    if failed:
        print(f"consultsim plot-sweep: {tr('cmd.plot.failed', args.lang, failed=failed, runs=len(runs))}",
              file=sys.stderr)
    return 0
