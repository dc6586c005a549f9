"""``consultsim run``: one scenario, one seed; writes timeseries.csv, topics.csv and run.json.

``consultsim run --replay EXPORT`` makes a run exported from the classroom app again (its zip, the unpacked
folder, or its run.json): the same parameters, seed and lever changes at the same weeks
(:mod:`consultsim.app.replay`), and says whether the time series and topics match the export's byte for byte.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from consultsim.cli import checks
from consultsim.core.rng import fresh_seed
from consultsim.errors import UsageError
from consultsim.running.scenarios import resolve_scenario

KEY_METRICS = ("participation_rate", "elderly_share_attendees", "resolutions", "implemented", "stalled",
               "implementation_rate", "mean_trust_committee", "mean_efficacy", "complaints")


def parse_value(name: str, text: str):
    """A ``--set`` value read as the parameter's own type (true/false, a whole number, a number or
    text), so that ``--set`` and a scenario file give one message for one mistake."""
    from consultsim.core.params import ParamError, allowed, param_info

    f = param_info(name)
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    value: object = text
    if kind == "bool" and text.lower() in ("true", "false"):
        value = text.lower() == "true"
    elif kind in ("int", "float"):
        for cast in (int, float):
            try:
                value = cast(text)
                break
            except ValueError:
                pass
    if isinstance(value, str) and kind != "str":
        raise ParamError(f"{name} = {text!r}: expected {allowed(f)}")
    return value


def parse_sets(items: list[str] | None) -> dict:
    out = {}
    for item in items or []:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"--set {item!r}: expected NAME=VALUE")
        if name.strip() in out:  # the last would silently win: say so instead
            raise UsageError(f"--set {name.strip()}: given twice; give each parameter once")
        out[name.strip()] = parse_value(name.strip(), value.strip())
    return out


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", nargs="?", default=None,
                   help="scenario file, or a name in scenarios/ (e.g. baseline)")
    p.add_argument("--replay", default=None, metavar="EXPORT",
                   help="replay a run downloaded from the app (its zip, folder or run.json): the same settings, "
                        "seed and lever changes; writes the live run, and the reference run in reference/")
    p.add_argument("--steps", type=checks.steps, default=None, help="weeks to simulate (default 104)")
    p.add_argument("--seed", type=checks.seed, default=None, help="random seed (default: a fresh one, recorded)")
    p.add_argument("--out", default=None, help="output folder (default results/run-<scenario>)")
    p.add_argument("--set", dest="sets", action="append", metavar="NAME=VALUE",
                   help="override a parameter; repeatable, e.g. --set supervision=0.5")
    checks.add_force(p)


def replay_run(args) -> int:
    from consultsim.app.replay import ReplayError, read_export, replay
    from consultsim.running.outputs import check_out, writing
    from consultsim.running.runner import write_run_files

    if args.scenario is not None or args.sets or args.seed is not None or args.steps is not None:
        raise UsageError("--replay takes its scenario, seed, weeks and settings from the export; "
                         "give only --out (and --force)")
    try:
        meta, files = read_export(args.replay)
        live, ref = replay(meta)
    except ReplayError as e:
        raise UsageError(f"--replay {e}") from None
    app = meta["app"]
    out = check_out(args.out if args.out is not None else Path("results") / "replay", force=args.force)
    command = ["consultsim", *sys.argv[1:]]
    with writing(out, force=args.force, command=command) as tmp:
        write_run_files(live, tmp, command=command)
        write_run_files(ref, Path(tmp) / "reference", command=command)
    print(f"replayed {args.replay}: {app['scenario']}, {live.params['n_residents']} households, {app['weeks']} "
          f"weeks, seed {app['seed']}, {len(app['lever_changes'])} lever change(s)")
    same = True
    for name in ("timeseries.csv", "topics.csv", "reference/timeseries.csv", "reference/topics.csv"):
        if name in files:
            ok = (out / name).read_bytes() == files[name]
            same &= ok
            print(f"  {name:26s} {'identical to the export' if ok else 'DIFFERS from the export'}")
    print(f"wrote {out}/timeseries.csv, topics.csv, run.json and reference/")
    return 0 if same else 1


def run(args) -> int:
    if args.replay is not None:
        return replay_run(args)
    if args.scenario is None:
        raise UsageError("give a scenario (e.g. baseline) or --replay EXPORT")
    if args.steps is None:
        args.steps = 104
    from consultsim.core.params import ParamError
    from consultsim.running.network_files import apply_network
    from consultsim.running.outputs import check_out, safe_name, shown, writing
    from consultsim.running.runner import simulate, write_run_files
    from consultsim.running.scenarios import ScenarioError

    scenario = resolve_scenario(args.scenario)
    try:
        scenario = scenario.with_overrides(**parse_sets(args.sets))
    except (ScenarioError, ParamError) as e:
        raise UsageError(f"--set {str(e).removeprefix('override: ')}") from None
    scenario, net = apply_network(scenario)
    if net is not None:  # one line on what the file held and what was assumed
        print(f"consultsim run: {shown(net.note)}", file=sys.stderr)
    seed = fresh_seed() if args.seed is None else args.seed
    out = check_out(args.out if args.out is not None else Path("results") / f"run-{safe_name(scenario.name)}",
                    force=args.force)
    from consultsim.cli.checks import print_lever_warnings
    from consultsim.i18n import tr

    lang = getattr(args, "lang", None) or "en"
    command = ["consultsim", *sys.argv[1:]]
    with writing(out, force=args.force, command=command) as tmp:
        print_lever_warnings([scenario], args.steps, lang, command="run")  # once the folder is ours
        result = simulate(scenario, seed=seed, steps=args.steps, network=net.edges if net is not None else None)
        write_run_files(result, tmp, command=command)
    last = result.timeseries.iloc[-1]
    name_shown = (scenario.name_zh or scenario.name) if lang == "zh" else scenario.name
    print(tr("cli.run_header", lang, name=shown(name_shown), n=f"{scenario.params.n_residents:,}", steps=args.steps,
             seed=seed, secs=f"{result.seconds:.2f}"))
    for name in KEY_METRICS:
        v = last[name]
        value = tr("cli.na", lang) if isinstance(v, float) and math.isnan(v) else f"{v:.3g}"
        label = name if lang == "en" else tr(f"metric.{name}", lang)
        print(f"  {label:26s} {value}")
    print(tr("cli.run_wrote", lang, out=shown(out)))
    return 0
