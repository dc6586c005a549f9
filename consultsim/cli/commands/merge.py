"""``consultsim merge OUT DIR [DIR ...]``: gather the directories of a sweep split across machines."""

from __future__ import annotations


def configure(parser) -> None:
    parser.add_argument("out", metavar="OUT", help="the merged sweep directory (created, or completed)")
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="sweep directories of the same experiment")


def run(args) -> int:
    from consultsim.sweeps.merge import merge_sweeps

    out, runs = merge_sweeps(args.dirs, args.out)
    ok = int((runs["status"] == "ok").sum())
    print(f"{out}: {len(runs)} runs ({ok} finished, {len(runs) - ok} failed) from {len(args.dirs)} directories")
    return 0
