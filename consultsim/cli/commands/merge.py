"""``consultsim merge OUT DIR [DIR ...]``: gather the directories of a sweep split across machines."""

from __future__ import annotations


def configure(parser) -> None:
    parser.add_argument("out", metavar="OUT", help="the merged sweep directory (created, or completed)")
    parser.add_argument("dirs", nargs="+", metavar="DIR", help="sweep directories of the same experiment")


def run(args) -> int:
    from consultsim.i18n import tr
    from consultsim.sweeps.merge import merge_sweeps

    out, runs = merge_sweeps(args.dirs, args.out)
    ok = int((runs["status"] == "ok").sum())
    print(tr("cmd.merge.done", args.lang, out=out, runs=len(runs), ok=ok, failed=len(runs) - ok, dirs=len(args.dirs)))
    return 0
