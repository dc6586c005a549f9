"""``consultsim district run|compare|allocate|validate FILE``: every community of a district or street (docs/district.md).

``run`` simulates every community of the file; ``compare`` runs each lever package (a scenario
name or file; only its levers are used) on every community with common random numbers;
``allocate`` recommends how the street office's yearly budget is split across communities and
verifies it by simulation against simple rules; ``validate`` runs each community type at its size
against the validation criteria that apply to it. Runs stream to Parquet in ``--out`` and
``--resume`` continues after a kill. Bad input gives one line (in Chinese with ``--lang zh``)
before anything is written.
"""

from __future__ import annotations

import sys
from pathlib import Path

from consultsim.cli import checks
from consultsim.running.executors import CHOICES


def _common(p, out_help: str) -> None:
    p.add_argument("district", help="district file (or a shipped name: street, district)")
    p.add_argument("--out", help=out_help)
    p.add_argument("--steps", type=checks.steps, help="weeks per community (default: the file's, else 104)")
    p.add_argument("--collect-every", type=checks.steps, default=52, metavar="WEEKS",
                   help="keep every n-th week of each community (default 52: yearly, and the last)")
    p.add_argument("--executor", choices=CHOICES, default="auto",
                   help="where runs execute: serial, process (a pool on this machine) or dask (default auto)")
    p.add_argument("--workers", type=checks.workers, help="worker processes (default: one per CPU core)")
    p.add_argument("--scheduler", help="Dask scheduler address or scheduler file (with --executor dask)")
    p.add_argument("--resume", action="store_true", help="continue an interrupted run in --out")
    p.add_argument("--lang", choices=("en", "zh"), default=None,
                   help="language of messages and the report (default: CONSULTSIM_LANG, else en)")
    p.add_argument("--no-progress", "--quiet", dest="no_progress", action="store_true", help="no progress bar")
    checks.add_force(p)


def configure(parser) -> None:
    sub = parser.add_subparsers(dest="district_command", metavar="ACTION", parser_class=type(parser))
    sub.required = True
    r = sub.add_parser("run", help="run every community of a district file")
    _common(r, "results folder (default results/districts/<name>)")
    r.add_argument("--allocation", metavar="CSV",
                   help="the street office funds each community's lever bundle from an allocation.csv of "
                        "`district allocate` (within the file's budget)")
    c = sub.add_parser("compare", help="run lever packages on every community (common random numbers)")
    _common(c, "results folder (default results/districts/<name>-compare)")
    c.add_argument("packages", nargs="+", help="scenario names or files whose levers form each package")
    a = sub.add_parser("allocate", help="split a yearly budget across communities; verify it by simulation")
    _common(a, "results folder (default results/districts/<name>-allocate)")
    a.add_argument("--budget", type=float, help="yearly budget in yuan (default: the file's budget)")
    a.add_argument("--objective", choices=("implemented", "participation", "trust", "complaints"),
                   default="implemented", help="what the allocation maximises (complaints: minimises)")
    a.add_argument("--equity-floor", type=float, default=0.0, metavar="SHARE",
                   help="every community gets at least this share of an equal split of the budget (0-1)")
    a.add_argument("--station-staff", type=float, metavar="FTE",
                   help="full-time social workers the social-work station (社工站) can place across the "
                        "communities (default: as many as the budget pays for)")
    a.add_argument("--worlds-file", metavar="FILE",
                   help="a calibration's posterior worlds (consultsim calibrate: posterior_worlds.parquet): "
                        "screening and verification replicates each run in a world drawn from it by weight")
    a.add_argument("--robust", type=float, metavar="SHARE",
                   help="with --worlds-file: maximise the mean of the worst SHARE of worlds (0.1: the worst "
                        "decile) instead of the expected gain over worlds")
    a.add_argument("--replicates", type=checks.replicates, default=None,
                   help="seeds per representative community and bundle in the screening (default 30; "
                        "--quick 6)")
    a.add_argument("--select-replicates", type=checks.replicates, default=None,
                   help="seeds per community on which the allocations are compared and the finalists "
                        "chosen (default 8; --quick 3)")
    a.add_argument("--verify-replicates", type=checks.replicates, default=None,
                   help="hold-out seeds per community, apart from the selection's, that verify the choice "
                        "(default 8; --quick 3)")
    a.add_argument("--quick", action="store_true",
                   help="few seeds (6 / 3 / 3): a look in minutes, too noisy to act on")
    v = sub.add_parser("validate", help="each community type at its size against the validation criteria "
                                        "that apply to it")
    v.add_argument("district", nargs="?", default="street",
                   help="district file whose types and sizes to use (default street): a type runs at the median "
                        "size of its communities there")
    v.add_argument("--type", action="append", dest="types", metavar="TYPE",
                   help="validate only this type (repeat for several; default every type of the district)")
    v.add_argument("--replicates", type=checks.replicates, default=20, help="runs per type (default 20)")
    v.add_argument("--steps", type=checks.steps2, default=104, help="weeks to simulate (default 104)")
    v.add_argument("--seed", type=checks.seed, default=20261127, help="master seed (default 20261127)")
    v.add_argument("--workers", type=checks.workers, help="parallel processes (default: all cores)")
    v.add_argument("--out", help="results folder (default results/districts/<name>-validate)")
    v.add_argument("--lang", choices=("en", "zh"), default=None,
                   help="language of messages and the table (default: CONSULTSIM_LANG, else en)")
    v.add_argument("--no-progress", "--quiet", dest="no_progress", action="store_true", help="no progress bar")
    checks.add_force(v)
    for p in (r, c, a, v):
        p.set_defaults(_run=run)


def _fail(args, e) -> int:
    from consultsim.i18n import tr
    from consultsim.running.districts import DistrictError

    lang = getattr(args, "lang", "en")
    text = e.text(lang) if isinstance(e, DistrictError) else str(e)
    print(f"consultsim district {args.district_command}: {tr('district.cli.error', lang)}: {text}", file=sys.stderr)
    return 2


def run(args) -> int:
    from consultsim.errors import USER_ERRORS

    try:
        return _run(args)
    except USER_ERRORS as e:
        return _fail(args, e)


def _run(args) -> int:
    from consultsim.running.districts import resolve_district
    from consultsim.running.inputs import check_scheduler
    from consultsim.running.outputs import check_writable, safe_name

    action = args.district_command
    if action == "validate":
        from consultsim.cli.commands.district_validate import validate_types_command
        return validate_types_command(args)
    check_scheduler(args.scheduler, args.executor)
    d = resolve_district(args.district)
    suffix = {"run": "", "compare": "-compare", "allocate": "-allocate"}[action]
    out = check_writable(args.out if args.out is not None else Path("results") / "districts" / (safe_name(d.name) + suffix))
    if action == "allocate":
        from consultsim.cli.commands.district_allocate import allocate
        return allocate(args, d, out)
    from consultsim.running.district_runs import BASELINE_PACKAGE, Package, package_from_scenario

    packages = [Package(BASELINE_PACKAGE, {})]
    if action == "run" and getattr(args, "allocation", None):
        packages = [_funded(args.allocation, d)]
    if action == "compare":
        names = [p for p in args.packages if p != BASELINE_PACKAGE]
        packages += [package_from_scenario(n) for n in names]
        seen = set()
        for p in packages:
            if p.name in seen:
                from consultsim.running.districts import _err
                raise _err(None, "district.err.duplicate", name=p.name)
            seen.add(p.name)
    return _simulate_and_write(args, d, out, packages)


def _funded(path: str, d):
    """The street office's act (ODD §7.10): the levers of each community's allocated bundle, as one package."""
    from consultsim.analysis.allocation import BUNDLES, levers_for
    from consultsim.core.params import Params
    from consultsim.running.district_runs import Package, read_allocation
    from consultsim.running.districts import _err

    alloc = read_allocation(path, d)
    known = {b.name: b for b in BUNDLES}
    by_community = {}
    for c in d.communities:
        name = alloc[c.name][0]
        if name not in known:
            raise _err(None, "district.err.allocation", path=path,
                       detail=f"community {c.name!r}: unknown bundle {name!r}; known: {', '.join(known)}",
                       detail_zh=f"社区 {c.name!r}：未知的投入组合 {name!r}；已有：{', '.join(known)}")
        by_community[c.name] = levers_for(Params(**c.values(d.types)), known[name])
    return Package("allocation", {}, "分配方案", by_community=by_community)


def district_output(args, out: Path, kind: str, command: list[str]):
    """The output layer for the district commands (:mod:`consultsim.running.outputs`), checked before any
    work: ``--resume`` continues an unfinished (or finished) output of the same kind whose every file is
    the tool's; ``--force`` replaces an earlier output only if every file in it is one the tool wrote
    (by name and hash); else the folder must be empty. The returned context locks the folder and marks
    it unfinished until the block ends (a kill leaves it marked; ``--resume`` goes on)."""
    from consultsim.running.outputs import check_out, check_resumable, resumable

    if args.resume and out.is_dir() and any(out.iterdir()):
        check_resumable(out, kind, resume=True)
    else:
        check_out(out, force=args.force)
    return resumable(out, command=command, kind=kind, replace=bool(args.force and not args.resume))


def _simulate_and_write(args, d, out: Path, packages) -> int:
    from consultsim.analysis import district as da
    from consultsim.i18n import tr
    from consultsim.i18n.messages import executor_name
    from consultsim.running.district_runs import check_complete, run_district
    command = ["consultsim", *sys.argv[1:]]
    # locked, marked unfinished until the tables are written, then a manifest of every file (issue 21)
    with district_output(args, out, "district", command):
        res = run_district(d, out, packages=packages, steps=args.steps, collect_every=args.collect_every,
                           executor=args.executor, workers=args.workers, scheduler=args.scheduler,
                           resume=args.resume, force=args.force, progress=not args.no_progress, command=command,
                           locked=True, checked=True)
        df = check_complete(out, d, packages)
        write_tables(df, out, packages[0].name, lang=args.lang, district=d)
    lang = args.lang
    print(tr("district.cli.done", lang, n=len(d.communities), households=d.households, packages=len(packages),
             seconds=res.seconds, executor=executor_name(res.executor, lang), out=out), file=sys.stderr)
    from consultsim.analysis.district_report import summary_table
    final = da.final_rows(df)
    print(summary_table(final, packages[0].name, lang).round(3).to_string(index=False, na_rep=tr("cli.na", lang)))
    return 0


def write_tables(df, out: Path, reference: str, lang: str = "en", district=None) -> None:
    """The district's tables as CSV files next to the parts, and the report (each file written whole)."""
    from consultsim.analysis import district as da
    from consultsim.running.outputs import atomic_write_text

    final = da.final_rows(df)
    tables = {
        "communities.csv": final.drop(columns=["seconds"], errors="ignore"),
        "summary.csv": da.district_summary(final),
        "spread.csv": da.spread(final, reference),
        "by_type.csv": da.by_type(final, reference),
        "left_behind.csv": da.left_behind(final, reference, k=10),
    }
    if final["package"].nunique() > 1:
        tables["effects.csv"] = da.paired_effects(final, reference)
    for name, t in tables.items():
        atomic_write_text(out / name, t.to_csv(index=False))
    if district is not None:
        from consultsim.analysis.district_report import write_district_report
        write_district_report(df, out, district, reference=reference, lang=lang)
