"""The limits and checks every command applies to its inputs, so a mistake gets one message everywhere.

Options (``--steps``, ``--replicates``, ``--seed``, ``--workers``) and the same keys in experiment
files are checked by the functions here; scenario values by :func:`consultsim.core.params.coerce`
(exact types, ranges) and :func:`consultsim.core.params.check_sums` (shares stated as sums);
files by :func:`consultsim.running.scenarios.read_text` (missing, unreadable, binary; a UTF-8
byte-order mark is accepted); output folders by :mod:`consultsim.running.outputs`. Every
check raises a :class:`~consultsim.errors.UsageError` of one line naming the option or key.

The upper limits stop a typo (``--steps 1000000000``) from running for days or exhausting
memory; each is stated in the message.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from consultsim.errors import UsageError

__all__ = ["MAX_STEPS", "MAX_REPLICATES", "MAX_WORKERS", "MAX_SEED", "MAX_RUNS", "check_count", "check_seed",
           "check_scheduler"]

MAX_STEPS = 5200          # weeks: 100 years
MAX_REPLICATES = 10_000   # runs per scenario or per sample
MAX_WORKERS = 1024
MAX_SEED = 2**63 - 1      # SeedSequence takes any non-negative integer; runs record it in int64 columns
MAX_RUNS = 10_000_000     # runs in one sweep

def check_count(what: str, value: Any, lo: int, hi: int, unit: str = "") -> int:
    """A whole number in [lo, hi]; ``what`` names the option or key (e.g. ``--steps``)."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise UsageError(f"{what} {value!r}: expected a whole number") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{what} {value!r}: expected a whole number")
    if value < lo:
        raise UsageError(f"{what} {value}: must be at least {lo}")
    if value > hi:
        raise UsageError(f"{what} {value}: more than the limit of {hi:,} {unit}".rstrip())
    return value


def check_seed(what: str, value: Any) -> int:
    """A non-negative integer seed below 2**63."""
    if isinstance(value, str):
        try:
            value = int(value.strip())
        except ValueError:
            raise UsageError(f"{what} {value!r}: the seed must be a non-negative whole number") from None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise UsageError(f"{what} {value!r}: the seed must be a non-negative whole number below 2**63")
    return value


def check_scheduler(scheduler: str | None, executor: str) -> None:
    """A Dask scheduler address, or a scheduler file that exists and names an address (never a hang)."""
    if scheduler is None:
        return
    if executor not in ("dask", "auto"):  # auto takes the cluster it is given
        raise UsageError("--scheduler needs --executor dask (or auto)")
    if not scheduler.strip():
        raise UsageError("--scheduler '': give an address (tcp://host:8786) or a scheduler file")
    if scheduler.endswith(".json"):
        p = Path(scheduler)
        try:
            info = json.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"--scheduler {scheduler}: no such scheduler file (the JSON file "
                             "`dask scheduler --scheduler-file` writes)") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise UsageError(f"--scheduler {scheduler}: not a readable scheduler file ({e})") from None
        if not isinstance(info, dict) or not isinstance(info.get("address"), str):
            raise UsageError(f"--scheduler {scheduler}: not a scheduler file (no 'address' in it)")
    elif "://" not in scheduler and ":" not in scheduler:
        raise UsageError(f"--scheduler {scheduler!r}: expected an address such as tcp://host:8786 or a "
                         "scheduler file ending in .json")
