"""``consultsim robustness``: do the lever conclusions hold across plausible worlds? (issue 8, part 4)

Without options: every shipped lever scenario and package against the baseline in a Latin-hypercube
sample of plausible worlds; writes robustness.csv (one row per lever and target), robustness_worlds.csv
(every world's effect), robustness.png, robustness.md and robustness.json into ``--out``.
``--grid``: the gradualness check on each lever's grid of nine values (gradualness.csv,
gradualness_curve.csv, gradualness.png, gradualness.md). ``--oat``: each uncertain parameter at -20%
and +20% one at a time (oat.csv, oat.md). The sweeps themselves go to ``--out``/worlds, grid/<lever>
and oat, and can be continued with ``--resume``. Existing results are never overwritten without
``--resume``.
"""

from __future__ import annotations

import json
import math
import os
import sys
import time
import uuid
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from consultsim.cli import checks
from consultsim.errors import UsageError
from consultsim.running.executors import EXECUTORS

__all__ = ["configure", "run"]


def configure(parser) -> None:
    from consultsim.analysis.robustness import DEFAULTS

    w, g = DEFAULTS["worlds"], DEFAULTS["grid"]
    parser.add_argument("--grid", action="store_true", help="the gradualness check on each lever's 9-value grid")
    parser.add_argument("--oat", action="store_true", help="each uncertain parameter at -20%% and +20%%, one at a time")
    parser.add_argument("--structures", action="store_true",
                        help="every lever and package against the baseline under each alternative submodel "
                             "(STRUCTURES in consultsim/analysis/robustness.py): effects, sign flips and "
                             "Kendall's tau of the ranking against the default structure")
    parser.add_argument("--with-structures", action="store_true",
                        help="plausible worlds: each world also runs under one of the STRUCTURES (spread evenly "
                             "by the Latin hypercube), so the shares hold over assumed sizes and structures")
    parser.add_argument("--worlds-file", default=None, metavar="FILE",
                        help="a calibration's posterior (consultsim calibrate: posterior_worlds.parquet): the "
                             "calibrated parameters are drawn from it by weight, the other uncertain ones "
                             "(lever effect sizes among them) from their priors")
    parser.add_argument("--levers", help="comma-separated lever scenarios: shipped names or your own package "
                                         "files (.toml); default: every shipped one")
    parser.add_argument("--worlds", type=checks.worlds, default=None,
                        help=f"plausible worlds, Latin hypercube (default {w['worlds']})")
    parser.add_argument("--replicates", type=checks.replicates1, default=None,
                        help=f"seeds per world (default {w['replicates']}), per grid value (default "
                             f"{g['replicates']}) or per one-at-a-time change (default "
                             f"{DEFAULTS['oat']['replicates']})")
    parser.add_argument("--steps", type=checks.steps, default=None, help=f"weeks per run (default {w['steps']})")
    parser.add_argument("--households", type=checks.households, default=None,
                        help=f"households per community (default {w['households']})")
    parser.add_argument("--seed", type=checks.seed, default=None, help="master seed (default: fixed per check, recorded)")
    parser.add_argument("--out", default="results/robustness", help="output folder (default results/robustness)")
    parser.add_argument("--executor", choices=EXECUTORS, default="process", help="where runs execute")
    parser.add_argument("--workers", type=checks.workers, default=None, help="worker processes (default: all cores)")
    parser.add_argument("--resume", action="store_true",
                        help="continue the sweeps in --out and rewrite its tables instead of refusing")
    parser.add_argument("--no-progress", "--quiet", dest="no_progress", action="store_true", help="no progress bar")


def _write(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _csv(df, path: Path) -> None:
    _write(df.to_csv(index=False), path)


def _check(args, modes: list[str]) -> tuple[list[str], Path]:
    """Every option and the output folder, before any work (the same limits as the other commands)."""
    from consultsim.analysis.robustness import GRID, TARGETS
    from consultsim.running.inputs import (
        MAX_HOUSEHOLDS,
        MAX_REPLICATES,
        MAX_STEPS,
        MAX_WORKERS,
        MAX_WORLDS,
        check_count,
        check_seed,
    )
    from consultsim.running.outputs import check_resumable

    limits = {"worlds": (2, MAX_WORLDS), "replicates": (1, MAX_REPLICATES), "steps": (1, MAX_STEPS),
              "households": (10, MAX_HOUSEHOLDS), "workers": (1, MAX_WORKERS)}
    for name, (least, most) in limits.items():  # again for callers that build args themselves
        v = getattr(args, name)
        if v is not None:
            check_count(f"--{name}", v, least, most)
    if args.seed is not None:
        check_seed("--seed", args.seed)
    if args.replicates is not None and args.replicates < 2 and modes != ["worlds"]:
        raise UsageError("--replicates must be at least 2 for the grid and one-at-a-time intervals")
    levers = list(TARGETS)
    args.packages = {}
    if args.levers is not None:
        levers = [s.strip() for s in args.levers.split(",") if s.strip()]
        if not levers:
            raise UsageError(f"--levers: unknown lever '(none)'; choose from {', '.join(TARGETS)} or give a "
                             "package file (.toml)")
        levers = [lev if lev in TARGETS else _own_package(lev, args.packages, modes) for lev in levers]
        if len(set(levers)) < len(levers):
            raise UsageError(f"--levers: {', '.join(sorted({x for x in levers if levers.count(x) > 1}))} given twice")
        if modes == ["grid"] and not any(s in GRID for s in levers):
            raise UsageError(f"--levers: none has a grid; choose from {', '.join(GRID)}")
    if (getattr(args, "worlds_file", None) or getattr(args, "with_structures", False)) and modes != ["worlds"]:
        raise UsageError("--worlds-file and --with-structures apply to the plausible-worlds check, not to "
                         "--grid, --oat or --structures")
    # empty, or an earlier (or unfinished) robustness output whose every file is ours
    out = check_resumable(args.out, "robustness", resume=True)
    first = {"worlds": "robustness.csv", "grid": "gradualness.csv", "oat": "oat.csv", "structures": "structures.csv"}
    for m in modes:
        if (out / first[m]).exists() and not args.resume:
            raise UsageError(f"--out {out}: already holds {first[m]}; add --resume to continue and rewrite it, "
                             "or choose another --out")
    return levers, out


def _own_package(name: str, packages: dict, modes: list[str]) -> str:
    """A user's package file (or a shipped scenario that is no lever, e.g. one of one's own in
    scenarios/): its label, with its lever settings and predicted targets added to ``packages``."""
    import re

    from consultsim.analysis.robustness import TARGETS, package_overrides, package_targets
    from consultsim.running.scenarios import ScenarioError, resolve_scenario

    try:
        sc = resolve_scenario(name)
    except ScenarioError as e:
        if not name.endswith(".toml") and "no such scenario file" in str(e):
            raise UsageError(f"--levers: unknown lever {name!r}; choose from {', '.join(TARGETS)} or give a "
                             "package file (.toml)") from None
        raise
    label = re.sub(r"[^\w-]", "_", sc.name) or "package"
    if label in TARGETS or label == "baseline":
        raise UsageError(f"--levers {name}: its name {label!r} is a shipped lever's; give the package another "
                         "name (name = \"...\" in the file)")
    overrides, ignored = package_overrides(sc)
    targets = package_targets(overrides)
    if not targets:
        raise UsageError(f"--levers {name}: changes no lever that a mechanism predicts an outcome for "
                         f"({', '.join(overrides) or 'no lever at all'}); nothing to check")
    if label in packages:
        raise UsageError(f"--levers: {label} given twice")
    packages[label] = {"path": str(sc.path) if sc.path else name, "overrides": overrides, "targets": targets,
                       "ignored": ignored}
    return label


def _opt(args, mode: str, name: str):
    from consultsim.analysis.robustness import DEFAULTS, STRUCTURE_DEFAULTS
    v = getattr(args, name)
    return ({**DEFAULTS, "structures": STRUCTURE_DEFAULTS}[mode][name]) if v is None else v


_LANG = ["en"]  # the reader's language of this invocation (set by run)


def _tr(key: str, **kw) -> str:
    from consultsim.i18n import tr
    return tr(key, _LANG[0], **kw)


def _label(metric: str) -> str:
    """A metric's plain name in the reader's language."""
    if _LANG[0] == "zh":
        from consultsim.i18n.terms import METRIC_ZH
        return METRIC_ZH.get(metric, metric)
    from consultsim.core.metric_names import label
    return label(metric)


def _pct(x: float) -> str:
    return _tr("cli.na") if x is None or not math.isfinite(x) else f"{100 * x:.0f}%"


def _eff(metric: str, v: float) -> str:
    from consultsim.core.metric_names import SHARES
    if v is None or not math.isfinite(v):
        return _tr("cli.na")
    if metric in SHARES and not metric.startswith("mean_"):
        return _tr("cmd.rob.pts", v=100 * v)
    return f"{v:+.3f}" if abs(v) < 10 else f"{v:+.0f}"


def _worlds(args, levers, out: Path, progress: bool) -> int:
    from consultsim.analysis.robustness import plot_worlds, run_worlds
    from consultsim.running.provenance import stamp

    label = _label

    o = {k: _opt(args, "worlds", k) for k in ("worlds", "replicates", "steps", "households", "seed")}
    posterior = None
    if getattr(args, "worlds_file", None):
        from consultsim.analysis.calibration import read_worlds
        posterior = read_worlds(args.worlds_file)
        print(f"consultsim robustness: {_tr('cmd.rob.posterior', file=args.worlds_file, n=len(posterior))}",
              file=sys.stderr)
    print("consultsim robustness: " + _tr("cmd.rob.plan", levers=len(levers), worlds=o["worlds"], seeds=o["replicates"],
                                          households=o["households"], steps=o["steps"],
                                          runs=(len(levers) + 1) * o["worlds"] * o["replicates"]), file=sys.stderr)
    structures = None
    if getattr(args, "with_structures", False):
        from consultsim.analysis.robustness import STRUCTURES
        structures = [st.name for st in STRUCTURES]
    _note_packages(args)
    r = run_worlds(out, levers, **o, workers=args.workers, executor=args.executor, resume=args.resume,
                   progress=progress, posterior=posterior, structures=structures, packages=args.packages)
    s, eff = r["summary"], r["effects"]
    _csv(s, out / "robustness.csv")
    _csv(eff, out / "robustness_worlds.csv")
    _csv(r["world_params"], out / "robustness_world_params.csv")  # what the report's "cannot tell" reads
    png = plot_worlds(s, eff, out / "robustness.png",
                      title=_tr("cmd.rob.png_title", worlds=o["worlds"], seeds=o["replicates"],
                                kind=_tr("cmd.rob.posterior_kind" if posterior is not None else "cmd.rob.plausible_kind"),
                                households=o["households"], steps=o["steps"]))
    fb = r["fallback"]
    note = (_tr("cmd.rob.fallback", n=len(fb), total=r["n_uncertain"], names=", ".join(fb)) if fb else
            _tr("cmd.rob.all_plausible", total=r["n_uncertain"]))
    lines = [_tr("cmd.rob.worlds_head"), "|---|---|---|---|---|---|"]
    for x in s.itertuples():
        lines.append(f"| {x.lever} | {label(x.target)} ({x.predicted}) | "
                     f"{_tr('cmd.rob.of', share=_pct(x.share), n=x.n_worlds)} | "
                     f"{_tr('cmd.rob.to', a=_pct(x.share_low), b=_pct(x.share_high))} | "
                     f"{_pct(x.no_change / x.n_worlds if x.n_worlds else math.nan)} | "
                     f"{_eff(x.target, x.median_effect)} "
                     f"({_tr('cmd.rob.to', a=_eff(x.target, x.median_low), b=_eff(x.target, x.median_high))}) |")
    cmd = ["consultsim", "robustness", *sys.argv[2:]] if sys.argv[1:2] == ["robustness"] else None
    _write("\n".join(lines) + "\n", out / "robustness.md")
    meta = {**stamp(cmd), **o, "levers": levers, "seconds": round(r["seconds"], 1), "failed_runs": r["failed"],
            "fallback_parameters": fb, "n_uncertain": r["n_uncertain"], "workers": args.workers,
            "worlds_file": str(args.worlds_file) if getattr(args, "worlds_file", None) else None,
            "structures": structures, "packages": args.packages,
            "executor": args.executor}
    _write(json.dumps(meta, indent=2, ensure_ascii=False, default=str), out / "robustness.json")
    print("\n".join(lines))
    print(f"consultsim robustness: {note}", file=sys.stderr)
    if r["failed"]:
        print(f"consultsim robustness: {_tr('cmd.rob.failed', n=r['failed'], file=out / 'worlds' / 'runs.parquet')}",
              file=sys.stderr)
    print("consultsim robustness: " + _tr("cmd.rob.worlds_done", ran=r["sweep"].ran, s=r["seconds"],
                                          csv=out / "robustness.csv", png=png), file=sys.stderr)
    return 0


def _note_packages(args) -> None:
    """Say, for each of the user's packages, what it is checked on and what of it the check leaves out."""
    for label, p in args.packages.items():
        print("consultsim robustness: " + _tr(
            "cmd.rob.package", label=label, path=p["path"],
            targets=", ".join(f"{t} {_tr('cmd.up' if s > 0 else 'cmd.down')}" for t, s in p["targets"].items()),
            ignored=_tr("cmd.rob.package_ignored", names=", ".join(p["ignored"])) if p["ignored"] else ""),
            file=sys.stderr)


def _grid(args, levers, out: Path, progress: bool) -> int:
    from consultsim.analysis.robustness import GRID, plot_grid, run_grid

    label = _label

    o = {k: _opt(args, "grid", k) for k in ("replicates", "steps", "households", "seed")}
    levers = [lev for lev in levers if lev in GRID]
    r = run_grid(out, levers, **o, workers=args.workers, executor=args.executor, resume=args.resume,
                 progress=progress)
    c, k = r["check"], r["curve"]
    _csv(c, out / "gradualness.csv")
    _csv(k, out / "gradualness_curve.csv")
    png = plot_grid(c, k, out / "gradualness.png")
    lines = [_tr("cmd.rob.grid_head"), "|---|---|---|---|---|---|---|"]
    for x in c.itertuples():
        ratio = "" if not math.isfinite(x.ratio) else f"{100 * x.ratio:.0f}%"
        lines.append(f"| {x.lever} | {label(x.target)} ({x.predicted}) | {x.parameter} {x.grid} | "
                     f"{_eff(x.target, x.effect)} | {_eff(x.target, x.max_step).lstrip('+')} ({x.step_at}) | "
                     f"{ratio} | {_tr('cmd.rob.status.' + x.status)}"
                     f"{_tr('cmd.rob.clear') if x.status == 'fail' and x.clear else ''} |")
    _write("\n".join(lines) + "\n", out / "gradualness.md")
    print("\n".join(lines))
    print("consultsim robustness --grid: " + _tr("cmd.rob.grid_done", levers=len(levers), seeds=o["replicates"],
                                                 households=o["households"], steps=o["steps"], s=r["seconds"],
                                                 csv=out / "gradualness.csv", png=png), file=sys.stderr)
    return 0


def _oat(args, out: Path, progress: bool) -> int:
    from consultsim.analysis.robustness import OAT_LIMIT, run_oat

    label = _label

    o = {k: _opt(args, "oat", k) for k in ("replicates", "steps", "households", "seed")}
    r = run_oat(out, **o, workers=args.workers, executor=args.executor, resume=args.resume, progress=progress)
    t = r["table"]
    _csv(t, out / "oat.csv")
    flagged = t[t["flagged"]].sort_values(["clear", "parameter"], ascending=[False, True])
    lines = [_tr("cmd.rob.oat_head"), "|---|---|---|---|---|---|---|---|"]
    for x in flagged.itertuples():
        lines.append(f"| {x.parameter} | {x.default:g} -> {x.value:g} | {label(x.outcome)} | {x.baseline:.3f} | "
                     f"{x.changed:.3f} | {100 * x.rel_outcome:+.0f}% ("
                     f"{_tr('cmd.rob.to', a=f'{100 * x.rel_outcome_low:+.0f}%', b=f'{100 * x.rel_outcome_high:+.0f}%')})"
                     f" | {x.elasticity:+.1f} | {_tr('cmd.yes' if x.clear else 'cmd.no')} |")
    if flagged.empty:
        lines.append(f"| {_tr('cmd.none_row')} | | | | | | | |")
    n_par = t["parameter"].nunique()
    head = _tr("cmd.rob.oat_summary", flagged=len(flagged), total=len(t), n_par=n_par, limit=OAT_LIMIT,
               clear=int(flagged["clear"].sum()))
    _write(head + "\n\n" + "\n".join(lines) + "\n", out / "oat.md")
    print(head)
    print("\n".join(lines))
    if r["fallback"]:
        print(f"consultsim robustness --oat: {_tr('cmd.rob.oat_fallback', n=len(r['fallback']))}", file=sys.stderr)
    print("consultsim robustness --oat: " + _tr("cmd.rob.oat_done", n_par=n_par, seeds=o["replicates"], s=r["seconds"],
                                                csv=out / "oat.csv"), file=sys.stderr)
    return 0


def _structures(args, levers, out: Path, progress: bool) -> int:
    from consultsim.analysis.robustness import STRUCTURES, plot_structures, run_structures

    label = _label

    o = {k: _opt(args, "structures", k) for k in ("replicates", "steps", "households", "seed")}
    names = [st.name for st in STRUCTURES]
    print("consultsim robustness --structures: " + _tr(
        "cmd.rob.st_plan", levers=len(levers), structures=len(names), seeds=o["replicates"],
        households=o["households"], steps=o["steps"], runs=(len(levers) + 1) * len(names) * o["replicates"]),
        file=sys.stderr)
    _note_packages(args)
    r = run_structures(out, levers, names, **o, workers=args.workers, executor=args.executor, resume=args.resume,
                       progress=progress, packages=args.packages)
    eff, ranks = r["effects"], r["ranks"]
    _csv(eff, out / "structures.csv")
    _csv(ranks, out / "structures_rank.csv")
    png = plot_structures(eff, ranks, out / "structures.png",
                          title=_tr("cmd.rob.st_title", structures=len(names), seeds=o["replicates"],
                                    households=o["households"], steps=o["steps"]))
    outcomes = list(dict.fromkeys(eff["outcome"]))
    lines = [_tr("cmd.rob.st_head", cols=" | ".join(_tr("cmd.rob.st_col", metric=label(m)) for m in outcomes)),
             "|---|---|" + "---|" * len(outcomes)]
    src = {st.name: _tr(f"struct.{st.name}") for st in STRUCTURES}
    for st in names:
        cells = []
        for m in outcomes:
            x = ranks[(ranks["structure"] == st) & (ranks["outcome"] == m)].iloc[0]
            cells.append(f"{x.kendall_tau:+.2f} ({x['first']})" if math.isfinite(x.kendall_tau) else _tr("cli.na"))
        lines.append(f"| {st} | {src[st]} | " + " | ".join(cells) + " |")
    flips = eff[eff["sign_flips"] | eff["sign_lost"]]
    lines += ["", _tr("cmd.rob.st_flips_intro"), "", _tr("cmd.rob.st_flips_head"), "|---|---|---|---|---|---|"]
    base = eff[eff["structure"] == names[0]].set_index(["lever", "outcome"])["effect"]
    for x in flips.itertuples():
        lines.append(f"| {x.lever} | {label(x.outcome)} | {x.structure} | {_eff(x.outcome, base[(x.lever, x.outcome)])}"
                     f" | {_eff(x.outcome, x.effect)} ("
                     f"{_tr('cmd.rob.to', a=_eff(x.outcome, x.ci_low), b=_eff(x.outcome, x.ci_high))})"
                     f" | {_tr('cmd.rob.flips' if x.sign_flips else 'cmd.rob.no_longer')} |")
    if flips.empty:
        lines.append(f"| {_tr('cmd.none_row')} | | | | | |")
    _write("\n".join(lines) + "\n", out / "structures.md")
    from consultsim.running.provenance import stamp
    cmd = ["consultsim", "robustness", *sys.argv[2:]] if sys.argv[1:2] == ["robustness"] else None
    _write(json.dumps({**stamp(cmd), **o, "levers": levers, "structures": names, "seconds": round(r["seconds"], 1),
                       "failed_runs": r["failed"]}, indent=2, ensure_ascii=False, default=str), out / "structures.json")
    print("\n".join(lines))
    print("consultsim robustness --structures: " + _tr("cmd.rob.st_done", ran=r["sweep"].ran, s=r["seconds"],
                                                       csv=out / "structures.csv", png=png), file=sys.stderr)
    return 0


def _cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the worker pools, once shut down)."""
    import resource
    a, b = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return a.ru_utime + a.ru_stime + b.ru_utime + b.ru_stime


def run(args) -> int:

    _LANG[0] = getattr(args, "lang", None) or "en"
    modes = [m for m in ("grid", "oat", "structures") if getattr(args, m)] or ["worlds"]
    from consultsim.running.outputs import resumable
    levers, out = _check(args, modes)
    progress = not args.no_progress
    t0, cpu0 = time.perf_counter(), _cpu_seconds()
    try:
        # locked, marked unfinished until every table is written (a kill leaves it marked; --resume goes on)
        with resumable(out, command=["consultsim", *sys.argv[1:]], kind="robustness"):
            for m in modes:
                if m == "worlds":
                    _worlds(args, levers, out, progress)
                elif m == "grid":
                    _grid(args, levers, out, progress)
                elif m == "structures":
                    _structures(args, levers, out, progress)
                else:
                    _oat(args, out, progress)
    except BrokenProcessPool:
        print(f"consultsim robustness: {_tr('cmd.dead_worker')}", file=sys.stderr)
        return 1
    cpu = _cpu_seconds() - cpu0
    n = args.workers or os.cpu_count() or 1
    print("consultsim robustness: " + _tr("cmd.rob.done", s=time.perf_counter() - t0, n=n, cpu=cpu, per=cpu / n),
          file=sys.stderr)
    return 0
