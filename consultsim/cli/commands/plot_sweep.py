"""``consultsim plot-sweep DIR``: response of each outcome to each varied parameter."""

from __future__ import annotations

import sys


def configure(parser) -> None:
    parser.add_argument("dir", help="a sweep results directory (from consultsim sweep)")
    parser.add_argument("--plots", help="where to write the PNGs (default DIR/plots)")


def run(args) -> int:
    from consultsim.analysis.plot_sweep import plot_sweep

    for path in plot_sweep(args.dir, args.plots):
        print(path)
    print(f"consultsim plot-sweep: figures in {args.plots or args.dir + '/plots'}", file=sys.stderr)
    from consultsim.sweeps import load_runs

    runs = load_runs(args.dir)
    failed = int((runs["status"] != "ok").sum())
    if failed:
        print(f"consultsim plot-sweep: {failed} of {len(runs)} runs failed and are left out of the figures "
              "(see load_runs)", file=sys.stderr)
    return 0
