"""``python -m consultsim.sweeps merge OUT DIR [DIR ...]`` (also ``consultsim merge``): gather sweep directories into one.

For sweeps split across machines with ``consultsim sweep --shard K/N`` (see
docs/scaling.md). The directories must hold the same experiment; each run
is kept once. Then ``consultsim sweep EXPERIMENT --resume --out OUT`` runs
whatever no machine finished, and ``plot-sweep`` / ``sensitivity --resume``
read OUT like any other sweep.
"""

from __future__ import annotations

import argparse
import sys

from consultsim.errors import USER_ERRORS


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m consultsim.sweeps", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge", help="merge sweep directories of the same experiment into OUT")
    m.add_argument("out")
    m.add_argument("dirs", nargs="+")
    args = ap.parse_args(argv)
    try:
        from consultsim.sweeps.merge import merge_sweeps

        out, runs = merge_sweeps(args.dirs, args.out,
                                 command=["python", "-m", "consultsim.sweeps", *(argv or sys.argv[1:])])
    except USER_ERRORS as e:
        print(f"consultsim.sweeps merge: error: {e}", file=sys.stderr)
        return 2
    ok = int((runs["status"] == "ok").sum())
    print(f"{out}: {len(runs)} runs ({ok} finished, {len(runs) - ok} failed) from {len(args.dirs)} directories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
