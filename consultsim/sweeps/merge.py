"""Gather the directories of a sweep split across machines (``consultsim sweep --shard K/N``) into one.

Used by ``consultsim merge OUT DIR...`` and ``python -m consultsim.sweeps merge``. The directories must
hold the same experiment; each run is kept once. Then ``consultsim sweep EXPERIMENT --resume --out OUT``
runs whatever no machine finished (docs/scaling.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from consultsim.errors import UsageError

__all__ = ["merge_sweeps"]


def merge_sweeps(dirs: Sequence[str | Path], out: str | Path,
                 command: list[str] | None = None) -> tuple[Path, pd.DataFrame]:
    """Check every directory and OUT, merge under OUT's lock (marked unfinished until done); return OUT and
    its runs table."""
    from consultsim.running.outputs import check_writable, resumable
    from consultsim.sweeps.storage import (
        SweepStore,
        check_parts,
        load_runs,
        merge_results,
        read_experiment_json,
    )

    for d in dirs:
        if not Path(d).is_dir():
            raise UsageError(f"{d}: no such sweep directory")
        read_experiment_json(d)
        check_parts(d)
    target = check_writable(out, "OUT")
    fps = {read_experiment_json(d).get("fingerprint") for d in dirs}
    if len(fps) == 1 and SweepStore(target).check(fps.pop(), resume=True):
        check_parts(target)
    with resumable(target, command=command or ["consultsim", "merge", str(out), *map(str, dirs)], kind="sweep",
                   option="OUT"):
        merged = merge_results(list(dirs), out)
    return Path(merged), load_runs(merged)
