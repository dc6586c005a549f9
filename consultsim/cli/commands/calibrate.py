"""``consultsim calibrate``: ABC-SMC over the poorly known parameters against calibration targets (issue 17).

Reads the settings (``--settings``, default experiments/calibration.toml: parameters, targets with values
and sources, held-out patterns), runs pyABC into ``--out``/calibration.db (SQLite, one row set per
generation; ``--resume`` continues a killed or finished run up to the settings' generations), and
writes into ``--out``: posterior_worlds.parquet (one row per particle with its weight: the worlds file
of ``consultsim robustness --worlds-file`` and ``consultsim compare --worlds``), generations.csv
(epsilon, simulations, acceptance, effective sample size), posterior.csv (posterior vs prior per
parameter), posterior.png, calibration.md and calibration.json (provenance). ``--quick`` uses the
settings' [quick] section (a small community, few particles).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from consultsim.cli import checks
from consultsim.errors import UsageError

__all__ = ["configure", "run"]


def configure(parser) -> None:
    parser.add_argument("--settings", default=None,
                        help="calibration settings TOML (default experiments/calibration.toml)")
    parser.add_argument("--out", default="results/calibration", help="output folder (default results/calibration)")
    parser.add_argument("--workers", type=checks.workers, default=2, help="worker processes (default 2)")
    parser.add_argument("--quick", action="store_true", help="the settings' [quick] run: minutes, not tens")
    parser.add_argument("--resume", action="store_true", help="continue the run stored in --out/calibration.db")
    parser.add_argument("--dask", action="store_true",
                        help="sample on a Dask LocalCluster on 127.0.0.1 with --workers processes")
    parser.add_argument("--check-runs", type=checks.check_runs, default=None,
                        help="posterior predictive runs for the report (default: 4 x workers with --quick, "
                             "else 40; 0 for none)")


def run(args) -> int:
    from consultsim.analysis.calibration import (
        DB_NAME,
        WORLDS_NAME,
        calibrate,
        export_worlds,
        generations_table,
        load_settings,
        parameter_table,
        plot_posterior,
        posterior_check,
        report_markdown,
    )
    from consultsim.i18n import tr
    from consultsim.running.outputs import (
        INCOMPLETE,
        MARKER,
        atomic_write_text,
        check_resumable,
        check_unlocked,
        check_writable,
        resumable,
    )
    from consultsim.running.provenance import stamp

    settings = load_settings(args.settings)
    if args.quick:
        settings = settings.quickened()
    if args.check_runs is not None and args.check_runs < 0:
        raise UsageError(f"--check-runs must be at least 0 (got {args.check_runs})")
    out = check_writable(args.out)
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    # a folder holding files the tool did not write is refused with their list, resumed or not (issue 21);
    # a folder from before manifests, holding calibration.db and its tables, is continued as it was
    if out.is_dir():  # another command writing there: one line now, not after importing pyABC
        check_unlocked(out)
    if out.is_dir() and any(out.iterdir()) and (not args.resume or (out / MARKER).exists()
                                                or (out / INCOMPLETE).exists()):
        if not args.resume and (out / DB_NAME).exists() and not (out / MARKER).exists() \
                and not (out / INCOMPLETE).exists():
            raise UsageError(f"--out {out}: already holds {DB_NAME}; add --resume to continue it, or choose "
                             "another --out")
        check_resumable(out, "calibration", resume=args.resume, first=DB_NAME)
    if args.resume and not (out / DB_NAME).exists():
        if not (out / INCOMPLETE).exists():
            raise UsageError(f"--out {out}: no {DB_NAME} to resume")
        args.resume = False  # stopped before pyABC made its database: start afresh in the marked folder
    if args.resume:  # pyABC would open anything (a pipe: a hang; a text file: an SQLAlchemy traceback)
        from consultsim.running.inputs import check_regular_file
        check_regular_file(out / DB_NAME, UsageError, "calibration database", 1 << 40)
        with open(out / DB_NAME, "rb") as fh:
            if fh.read(16) != b"SQLite format 3\x00":
                raise UsageError(f"--out {out}: {DB_NAME} is not an SQLite database (not a calibration's)")
    try:  # after the cheap checks: importing pyABC takes a second or two
        import pyabc  # noqa: F401
    except ImportError:
        raise UsageError("calibrate needs pyabc: pip install 'consultsim[calibrate]'") from None
    log = lambda m: print(f"consultsim calibrate: {m}", file=sys.stderr)  # noqa: E731
    # locked, marked unfinished until every table is written, then a manifest (issue 21): a kill leaves
    # the folder marked, and --resume continues the run stored in calibration.db
    with resumable(out, command=["consultsim", *sys.argv[1:]], kind="calibration"):
        log(tr("cal.start", args.lang, params=len(settings.parameters), targets=len(settings.targets),
               households=settings.households, steps=settings.steps, population=settings.population,
               generations=settings.generations, workers=args.workers,
               dask=tr("cal.dask", args.lang) if args.dask else ""))
        r = _calibrate(calibrate, settings, out, args, log)
        h = r["history"]
        if h.max_t < 0:
            raise UsageError(f"no generation finished within {settings.max_minutes} minutes; rerun with --resume")
        gens = generations_table(h)
        worlds = export_worlds(h, settings, out / WORLDS_NAME)
        params = parameter_table(worlds, settings)
        png = plot_posterior(worlds, settings, out / "posterior.png")
        n_check = args.check_runs if args.check_runs is not None else (4 * args.workers if args.quick else 40)
        check = (posterior_check(worlds, settings, n=n_check, seed=settings.seed or 1) if n_check else None)
        atomic_write_text(out / "generations.csv", gens.to_csv(index=False))
        atomic_write_text(out / "posterior.csv", params.to_csv(index=False))
        if check is not None:
            atomic_write_text(out / "posterior_check.csv", check.to_csv(index=False))
        md = report_markdown(settings, gens, params, seconds=r["seconds"], workers=args.workers, quick=args.quick,
                             check=check, figure=png.name, resumed_from=r["resumed_from"],
                             stopped=r.get("stopped", ""), lang=args.lang)
        atomic_write_text(out / "calibration.md", md)
        cmd = ["consultsim", *sys.argv[1:]] if sys.argv[1:2] == ["calibrate"] else None
        meta = {**stamp(cmd), "settings": settings.path, "quick": bool(args.quick), "workers": args.workers,
                "dask": bool(args.dask), "households": settings.households, "steps": settings.steps,
                "population": settings.population, "generations_asked": settings.generations,
                "replicates": settings.replicates, "min_epsilon": settings.min_epsilon,
                "min_acceptance": settings.min_acceptance, "max_runs": settings.max_runs,
                "initial_epsilon": settings.initial_epsilon, "stopped": r.get("stopped", ""),
                "generations_done": int(h.max_t + 1), "resumed_from": r["resumed_from"],
                "seconds_this_call": round(r["seconds"], 1),
                "simulations": int(gens["simulations"].sum()),
                "model_runs": int(gens["simulations"].sum()) * settings.replicates,
                "parameters": list(settings.parameters),
                "targets": [t.name for t in settings.targets], "held_out": list(settings.held_out)}
        atomic_write_text(out / "calibration.json", json.dumps(meta, indent=2, ensure_ascii=False, default=str))
    print(md)
    log(tr("cal.done", args.lang, generations=meta["generations_done"], simulations=meta["simulations"],
           seconds=r["seconds"], files=f"{Path(out) / WORLDS_NAME}, {png}, {out / 'calibration.md'}"))
    return 0


def _calibrate(calibrate, settings, out, args, log):
    """pyABC's run; its database errors (a full disk or a file-size limit while it writes calibration.db, a
    damaged database) are one line, not an SQLAlchemy traceback. The folder stays marked unfinished."""
    try:
        return calibrate(settings, out, workers=args.workers, resume=args.resume, dask=args.dask, log=log,
                         lang=args.lang)
    except Exception as e:  # noqa: BLE001 - only SQLAlchemy's and sqlite3's errors are turned into one line
        import sqlite3

        kind = type(e).__module__.split(".")[0]
        if kind != "sqlalchemy" and not isinstance(e, sqlite3.Error):
            raise
        cause = getattr(e, "orig", None) or e
        from consultsim.running.outputs import OutputError, shown
        raise OutputError(f"--out {shown(out)}: {type(cause).__name__} in calibration.db "
                          f"({shown(str(cause).splitlines()[0][:200])}); the finished generations are kept, "
                          "continue with --resume") from None
