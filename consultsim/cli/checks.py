"""Argument types shared by every command, so one mistake gets one message (see
:mod:`consultsim.running.inputs` for the limits)."""

from __future__ import annotations

import argparse

from consultsim.errors import UsageError
from consultsim.running.inputs import (
    MAX_HOUSEHOLDS,
    MAX_REPLICATES,
    MAX_STEPS,
    MAX_WORKERS,
    MAX_WORLDS,
    check_count,
    check_seed,
)
from consultsim.running.outputs import shown

__all__ = ["steps", "steps2", "replicates", "replicates1", "seed", "workers", "worlds", "households", "yuan", "chunksize", "add_force", "check_run_options",
           "load_scenarios", "print_lever_warnings"]


def _typed(fn):
    """An argparse type from a check: its UsageError becomes argparse's one-line error."""
    def parse(text: str):
        try:
            return fn(text)
        except UsageError as e:
            # argparse prefixes "argument --x:"; drop the option name the message repeats
            raise argparse.ArgumentTypeError(str(e).split(" ", 1)[1]) from None
    parse.__name__ = fn.__name__
    return parse


steps = _typed(lambda t: check_count("--steps", t, 1, MAX_STEPS, "weeks (100 years)"))
steps2 = _typed(lambda t: check_count("--steps", t, 2, MAX_STEPS, "weeks (100 years)"))
replicates = _typed(lambda t: check_count("--replicates", t, 2, MAX_REPLICATES, "runs per scenario"))
seed = _typed(lambda t: check_seed("--seed", t))
workers = _typed(lambda t: check_count("--workers", t, 1, MAX_WORKERS, "processes"))
worlds = _typed(lambda t: check_count("--worlds", t, 2, MAX_WORLDS, "worlds"))
replicates1 = _typed(lambda t: check_count("--replicates", t, 1, MAX_REPLICATES, "runs per sample"))
add_replicates = _typed(lambda t: check_count("--add-replicates", t, 0, MAX_REPLICATES, "replicates per sample"))
households = _typed(lambda t: check_count("--households", t, 10, MAX_HOUSEHOLDS, "households"))
check_runs = _typed(lambda t: check_count("--check-runs", t, 0, MAX_REPLICATES, "runs"))


def yuan(text: str) -> float:
    """A yearly amount in yuan (--budget): a finite number >= 0."""
    import math
    try:
        v = float(str(text).replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of yuan (e.g. 100000)") from None
    if not math.isfinite(v) or v < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: a budget is a number of yuan, 0 or more")
    return v


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace an earlier consultsim output in --out (never a folder of other files)")


chunksize = _typed(lambda t: check_count("--chunksize", t, 1, 1_000_000, "runs per task"))


def check_run_options(args, min_steps: int = 1) -> None:
    """--replicates, --steps and --workers, shared by compare and validate (one-line errors).

    The argument types check them on the command line already; this repeats the checks for
    callers that build ``args`` themselves."""
    check_count("--replicates", args.replicates, 2, MAX_REPLICATES, "runs per scenario")
    check_count("--steps", args.steps, min_steps, MAX_STEPS, "weeks (100 years)")
    if args.workers is not None:
        check_count("--workers", args.workers, 1, MAX_WORKERS, "processes")


def load_scenarios(names: list[str], command: str, lang: str = "en") -> list:
    """Each scenario loaded, its network file checked (one line on stderr on what it held)."""
    import sys

    from consultsim.running.network_files import apply_network
    from consultsim.running.scenarios import resolve_scenario

    out = []
    for name in names:
        sc, net = apply_network(resolve_scenario(name))
        if net is not None:
            print(f"consultsim {command}: {shown(net.note)}", file=sys.stderr)
        out.append(sc)
    return out


def print_lever_warnings(scenarios, steps: int | None, lang: str = "en", command: str = "compare") -> int:
    """One line on stderr per inert or suspicious lever value (named); returns how many."""
    import sys

    from consultsim.i18n import tr
    from consultsim.running.lever_checks import lever_warnings

    n = 0
    for sc in scenarios:
        for w in lever_warnings(sc, steps, lang):
            kind = f" [{type(w).__name__}]" if lang == "en" else ""  # the category's name is English
            print(f"consultsim {command}: {tr('cli.warning', lang)}{kind} {shown(w)}", file=sys.stderr)
            n += 1
    return n
