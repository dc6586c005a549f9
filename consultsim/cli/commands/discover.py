"""``consultsim discover DIR --target "..."``: PRIM boxes and feature scores on a finished sweep."""

from __future__ import annotations

import sys
from pathlib import Path


def configure(parser) -> None:
    parser.add_argument("dir", help="a sweep results directory (from consultsim sweep)")
    parser.add_argument("--target", required=True,
                        help='the outcome to reach, e.g. "implementation_rate > 0.6 and participation_rate > 0.15"')
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", type=int, help="read outcomes at this (kept) week (default: the last)")
    when.add_argument("--window", metavar="FIRST:LAST", help="average outcomes over these weeks, e.g. 52:104")
    parser.add_argument("--min-density", type=float, default=0.8,
                        help="report the widest box where at least this share of runs reach the target (0.8)")
    parser.add_argument("--max-qp", type=float, default=0.05,
                        help="drop box restrictions whose quasi-p value exceeds this (default 0.05; 1 keeps all)")
    parser.add_argument("--out", help="where to write tables and figures (default DIR/discover)")
    parser.add_argument("--force", action="store_true",
                        help="replace an earlier discover output in --out (never a folder of other files)")


def run(args) -> int:
    from consultsim.analysis.discovery import discover
    from consultsim.analysis.outcomes import parse_when
    from consultsim.errors import UsageError
    from consultsim.running.outputs import check_out
    from consultsim.sweeps.storage import read_experiment_json

    if not args.dir.strip():
        raise UsageError("DIR '': give a sweep results directory")
    week, window = parse_when(args.week, args.window)  # the options first, then the folder
    if not 0 < args.min_density <= 1:
        raise UsageError(f"--min-density {args.min_density}: expected a share in (0, 1]")
    if not 0 < args.max_qp <= 1:
        raise UsageError(f"--max-qp {args.max_qp}: expected a probability in (0, 1]")
    read_experiment_json(args.dir)  # a sweep directory, before any work
    out = check_out(args.out if args.out is not None else Path(args.dir) / "discover", force=args.force)
    d = discover(args.dir, args.target, out, week=week, window=window, min_density=args.min_density,
                 max_qp=args.max_qp, force=args.force, command=["consultsim", *sys.argv[1:]], lang=args.lang)
    from consultsim.i18n import tr
    for line in d.lines(args.lang):
        print(line)
    print(f"consultsim discover: {tr('cmd.discover.wrote', args.lang, files=', '.join(p.name for p in d.files), out=out)}",
          file=sys.stderr)
    return 0
