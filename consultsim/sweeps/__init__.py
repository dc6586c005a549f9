"""Parameter sweeps: experiment files run on any executor, streamed to disk, resumable.

- :func:`run_sweep` runs (or continues) an experiment into a directory;
- :func:`load_results` reads one or several such directories into one tidy table;
- :func:`load_runs` reads the per-run table (status, error, seed, parameters);
- :func:`merge_results` gathers the directories of several machines into one.

See ``docs/scaling.md`` for running the same sweep on a laptop, a
workstation or a SLURM cluster.
"""

from __future__ import annotations

from consultsim.sweeps.runner import run_sweep
from consultsim.sweeps.storage import load_results, load_runs, merge_results

__all__ = ["run_sweep", "load_results", "load_runs", "merge_results"]
