"""Argument types shared by every command, so one mistake gets one message (see
:mod:`consultsim.running.inputs` for the limits)."""

from __future__ import annotations

import argparse

from consultsim.errors import UsageError
from consultsim.running.inputs import MAX_REPLICATES, MAX_STEPS, MAX_WORKERS, check_count, check_seed

__all__ = ["steps", "steps2", "replicates", "seed", "workers", "chunksize", "add_force"]


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


def add_force(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--force", action="store_true",
                        help="replace an earlier consultsim output in --out (never a folder of other files)")


chunksize = _typed(lambda t: check_count("--chunksize", t, 1, 1_000_000, "runs per task"))
