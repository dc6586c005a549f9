"""``consultsim run``: one scenario, one seed; writes timeseries.csv, topics.csv and run.json."""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from consultsim.core.rng import fresh_seed
from consultsim.errors import UsageError
from consultsim.running.scenarios import resolve_scenario

KEY_METRICS = ("participation_rate", "elderly_share_attendees", "resolutions", "implemented", "stalled",
               "implementation_rate", "mean_trust_committee", "mean_efficacy", "complaints")


def parse_value(text: str):
    """A ``--set`` value: true/false, an integer, a number, else the string itself."""
    low = text.strip().lower()
    if low in ("true", "false"):
        return low == "true"
    for cast in (int, float):
        try:
            return cast(text)
        except ValueError:
            pass
    return text


def parse_sets(items: list[str] | None) -> dict:
    out = {}
    for item in items or []:
        name, eq, value = item.partition("=")
        if not eq or not name.strip():
            raise UsageError(f"--set {item!r}: expected NAME=VALUE")
        out[name.strip()] = parse_value(value.strip())
    return out


def positive_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if v < 1:
        raise argparse.ArgumentTypeError(f"{v} must be at least 1")
    return v


def seed_int(text: str) -> int:
    try:
        v = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if v < 0:
        raise argparse.ArgumentTypeError("the seed must be a non-negative integer")
    return v


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("scenario", help="scenario file, or a name in scenarios/ (e.g. baseline)")
    p.add_argument("--steps", type=positive_int, default=104, help="weeks to simulate (default 104)")
    p.add_argument("--seed", type=seed_int, default=None, help="random seed (default: a fresh one, recorded)")
    p.add_argument("--out", type=Path, default=None, help="output folder (default results/run-<scenario>)")
    p.add_argument("--set", dest="sets", action="append", metavar="NAME=VALUE",
                   help="override a parameter; repeatable, e.g. --set supervision=0.5")


def run(args) -> int:
    from consultsim.running.runner import simulate, write_run

    scenario = resolve_scenario(args.scenario).with_overrides(**parse_sets(args.sets))
    seed = fresh_seed() if args.seed is None else args.seed
    out = args.out or Path("results") / f"run-{scenario.name}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out}: exists and is not a folder")
    from consultsim.cli.commands.compare import print_lever_warnings
    print_lever_warnings([scenario], args.steps, command="run")
    result = simulate(scenario, seed=seed, steps=args.steps)
    write_run(result, out, command=["consultsim", *sys.argv[1:]])
    last = result.timeseries.iloc[-1]
    print(f"{scenario.name}: {scenario.params.n_residents} households, {args.steps} weeks, seed {seed} "
          f"({result.seconds:.2f} s)")
    for name in KEY_METRICS:
        v = last[name]
        print(f"  {name:26s} {'n/a' if isinstance(v, float) and math.isnan(v) else f'{v:.3g}'}")
    print(f"wrote {out}/timeseries.csv, topics.csv, run.json")
    return 0
