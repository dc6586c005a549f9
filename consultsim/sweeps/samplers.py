"""Designs: which parameter samples an experiment runs, as a pure function of the experiment.

Samplers draw points on the unit hypercube, one column per varied
parameter; :meth:`ParamSpec.from_unit` maps them to values. Sobol and Morris
designs come from SALib (Herman & Usher 2017, https://salib.readthedocs.io),
so the same SALib ``analyze`` functions can read the results:

- ``sobol``: Saltelli's extension of a scrambled Sobol sequence, N (k + 2)
  rows (N (2k + 2) with second-order indices) (Saltelli et al. 2010);
- ``morris``: ``trajectories`` one-at-a-time trajectories on a ``levels``
  grid, (k + 1) rows each (Morris 1991; Campolongo et al. 2007);
- with ``[constraints]``, ``sobol`` and ``morris`` run as many samples as their design would, drawn
  uniformly over the feasible set (rejection), and are analysed with a given-data estimator
  (:func:`consultsim.analysis.sensitivity.analyse`);
- ``lhs``: Latin hypercube, one stratum per sample and parameter (McKay et al. 1979);
- ``grid``: the full factorial of the listed values (ranges at ``levels``
  evenly spaced points), in the order the parameters are declared.

Random designs draw from a generator seeded from the master seed through
``SeedSequence`` with a spawn key no run seed uses, so the design never
depends on anything but the experiment.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from consultsim.sweeps.experiments import Experiment

__all__ = ["Design", "make_design", "design_size", "unit_problem", "run_seed", "replicate_seeds", "DESIGN_SPAWN_KEY"]

# Run seeds are spawn keys (i,) of the master SeedSequence (see consultsim.core.rng.derive_seeds);
# the design uses a key far beyond any run index.
DESIGN_SPAWN_KEY = 2**48


@dataclass
class Design:
    """The samples of an experiment: ``table`` (sample_id + one column per varied parameter)
    and, for random designs, ``unit`` (the same points on [0, 1]^k, as SALib sees them)."""

    table: pd.DataFrame
    unit: np.ndarray | None

    @property
    def n_samples(self) -> int:
        return len(self.table)


def unit_problem(exp: Experiment) -> dict:
    """The SALib problem on the unit hypercube (values are mapped afterwards)."""
    k = len(exp.varied)
    return {"num_vars": k, "names": exp.varied_names, "bounds": [[0.0, 1.0]] * k}


def _design_seed(master: int) -> int:
    ss = np.random.SeedSequence(int(master), spawn_key=(DESIGN_SPAWN_KEY,))
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def make_design(exp: Experiment) -> Design:
    """The experiment's samples, identical every time for the same experiment."""
    names = exp.varied_names
    if exp.method == "grid":
        levels = exp.sampler.get("levels")
        rows = list(itertools.product(*(p.grid_values(levels) for p in exp.varied)))
        table = pd.DataFrame(rows, columns=names)
        unit = None
    elif exp.given_data:
        table, unit = _feasible_uniform(exp, design_size(exp))
    else:
        seed = _design_seed(exp.seed)
        problem = unit_problem(exp)
        if exp.method == "lhs":
            from scipy.stats import qmc
            unit = qmc.LatinHypercube(d=len(names), seed=np.random.default_rng(seed)).random(exp.sampler["n"])
        elif exp.method == "sobol":
            from SALib.sample import sobol
            unit = sobol.sample(problem, exp.sampler["n"], calc_second_order=exp.sampler["second_order"],
                                scramble=True, seed=seed)
        else:
            from SALib.sample import morris
            unit = morris.sample(problem, exp.sampler["trajectories"], num_levels=exp.sampler["levels"],
                                 seed=seed)
        table = pd.DataFrame({p.name: p.from_unit(unit[:, j]) for j, p in enumerate(exp.varied)})
    if exp.constraints and not exp.given_data:
        table, unit = _meet_constraints(exp, table, unit)
    table.insert(0, "sample_id", np.arange(len(table), dtype=np.int64))
    return Design(table, unit)


def design_size(exp: Experiment) -> int:
    """Samples of a Sobol (N (k + 2), or N (2k + 2) with second order) or Morris (trajectories (k + 1)) design."""
    k = len(exp.varied)
    if exp.method == "sobol":
        return exp.sampler["n"] * (2 * k + 2 if exp.sampler.get("second_order") else k + 2)
    return exp.sampler["trajectories"] * (k + 1)


def _feasible_uniform(exp: Experiment, n: int):
    """``n`` points drawn uniformly over the feasible part of the unit hypercube (rejection: each draw is
    kept if it meets every constraint), seeded from the master seed, so the design is reproducible."""
    from consultsim.sweeps.constraints import feasible
    from consultsim.sweeps.experiments import ExperimentError

    fixed = {**(exp.scenario.params.to_dict() if exp.is_consultsim else {}), **exp.constants}
    rng = np.random.default_rng(_design_seed(exp.seed) + 2)
    kept, total, drawn = [], 0, 0
    while total < n:
        if drawn >= 1000 * n:
            raise ExperimentError(f"{exp.path}: [constraints] leave almost no feasible samples ({total} of "
                                  f"{drawn:,} random draws); check them")
        u = rng.random((max(n, 256), len(exp.varied)))
        drawn += len(u)
        t = pd.DataFrame({p.name: p.from_unit(u[:, j]) for j, p in enumerate(exp.varied)})
        ok = feasible(exp.constraints, t, fixed)
        kept.append(u[ok])
        total += int(ok.sum())
    unit = np.concatenate(kept)[:n]
    return pd.DataFrame({p.name: p.from_unit(unit[:, j]) for j, p in enumerate(exp.varied)}), unit


def _meet_constraints(exp: Experiment, table: pd.DataFrame, unit):
    """Grid: drop the infeasible cells. LHS: re-draw each infeasible sample uniformly until it is feasible
    (seeded, so the design stays reproducible). See consultsim.sweeps.constraints."""
    from consultsim.sweeps.constraints import feasible
    from consultsim.sweeps.experiments import ExperimentError

    fixed = {**(exp.scenario.params.to_dict() if exp.is_consultsim else {}), **exp.constants}
    ok = feasible(exp.constraints, table, fixed)
    if exp.method == "grid":
        if not ok.any():
            raise ExperimentError(f"{exp.path}: [constraints] exclude every cell of the grid")
        return table[ok].reset_index(drop=True), None
    rng = np.random.default_rng(_design_seed(exp.seed) + 1)
    unit = unit.copy()
    for _ in range(1000):
        bad = np.flatnonzero(~ok)
        if not len(bad):
            return table, unit
        unit[bad] = rng.random((len(bad), unit.shape[1]))
        for j, p in enumerate(exp.varied):
            table.loc[bad, p.name] = p.from_unit(unit[bad, j])
        ok = feasible(exp.constraints, table, fixed)
    raise ExperimentError(f"{exp.path}: [constraints] leave almost no feasible samples ({int(ok.sum())} of "
                          f"{len(ok)} after 1,000 re-draws); check them")


def run_seed(master: int, run_id: int) -> int:
    """Seed of run ``run_id`` under ``seeds = "independent"``: ``derive_seeds(master, n)[run_id]``
    for any n > run_id, computed without spawning the n - 1 others."""
    ss = np.random.SeedSequence(int(master), spawn_key=(int(run_id),))
    return int(ss.generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))


def replicate_seeds(exp: Experiment) -> list[int]:
    """Under ``seeds = "common"``: replicate r of every sample uses seed ``derive_seeds(master, R)[r]``
    (common random numbers: samples differ only by their parameters, which sharpens comparisons)."""
    from consultsim.core.rng import derive_seeds
    return derive_seeds(exp.seed, exp.replicates)
