"""``python -m consultsim.sweeps merge OUT DIR [DIR ...]``: gather sweep directories into one.

For sweeps split across machines with ``consultsim sweep --shard K/N`` (see
docs/scaling.md). The directories must hold the same experiment; each run
is kept once. Then ``consultsim sweep EXPERIMENT --resume --out OUT`` runs
whatever no machine finished, and ``plot-sweep`` / ``sensitivity --resume``
read OUT like any other sweep.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from consultsim.errors import USER_ERRORS, UsageError
from consultsim.sweeps.storage import load_runs, merge_results


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m consultsim.sweeps", description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    m = sub.add_parser("merge", help="merge sweep directories of the same experiment into OUT")
    m.add_argument("out")
    m.add_argument("dirs", nargs="+")
    args = ap.parse_args(argv)
    try:
        from consultsim.running.outputs import check_writable, resumable
        from consultsim.sweeps.storage import SweepStore, check_parts, read_experiment_json

        for d in args.dirs:
            if not Path(d).is_dir():
                raise UsageError(f"{d}: no such sweep directory")
            read_experiment_json(d)
            check_parts(d)
        out = check_writable(args.out, "OUT")
        fps = {read_experiment_json(d).get("fingerprint") for d in args.dirs}
        if len(fps) == 1 and SweepStore(out).check(fps.pop(), resume=True):
            check_parts(out)
        with resumable(out, command=["python", "-m", "consultsim.sweeps", *(argv or sys.argv[1:])], kind="sweep",
                       option="OUT"):
            out = merge_results(args.dirs, args.out)
        runs = load_runs(out)
    except USER_ERRORS as e:
        print(f"consultsim.sweeps merge: error: {e}", file=sys.stderr)
        return 2
    ok = int((runs["status"] == "ok").sum())
    print(f"{out}: {len(runs)} runs ({ok} finished, {len(runs) - ok} failed) from {len(args.dirs)} directories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
