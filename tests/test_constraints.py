"""[constraints] in experiment files: infeasible combinations are re-drawn (LHS), dropped (grid) or refused
(Sobol, Morris), so a sweep never produces runs that --retry-failed cannot fix."""

from __future__ import annotations

import pytest

from consultsim.sweeps.experiments import EXPERIMENT_DIR, ExperimentError, load_experiment
from consultsim.sweeps.samplers import make_design


def _exp(tmp_path, sampler: str, constraints: str = 'shares = "elderly_share + young_share <= 1"',
         params: str = "elderly_share = { low = 0.1, high = 0.8 }\nyoung_share = { low = 0.1, high = 0.8 }"):
    p = tmp_path / "c.toml"
    p.write_text(f"""name = "c"
seed = 7
steps = 4
metrics = ["participation_rate"]
[sampler]
{sampler}
[parameters]
n_residents = 100
{params}
[constraints]
{constraints}
""", encoding="utf-8")
    return p


def test_lhs_redraws_infeasible_samples_reproducibly(tmp_path):
    exp = load_experiment(_exp(tmp_path, 'method = "lhs"\nn = 200'))
    d = make_design(exp)
    assert d.n_samples == 200
    assert (d.table["elderly_share"] + d.table["young_share"] <= 1 + 1e-12).all()
    assert d.table["elderly_share"].between(0.1, 0.8).all() and d.table["young_share"].between(0.1, 0.8).all()
    assert make_design(exp).table.equals(d.table)  # the same design every time
    # the unit points still map to the table (SALib-style analyses see the same samples)
    assert d.unit.shape == (200, 2)


def test_grid_drops_infeasible_cells(tmp_path):
    exp = load_experiment(_exp(tmp_path, 'method = "grid"', params="elderly_share = [0.2, 0.5, 0.8]\n"
                                                                   "young_share = [0.2, 0.5, 0.8]"))
    t = make_design(exp).table
    assert len(t) == 6 and (t["elderly_share"] + t["young_share"] <= 1).all()


def test_sobol_and_bad_constraints_are_refused_with_one_line(tmp_path):
    with pytest.raises(ExperimentError, match="reparametrise"):
        load_experiment(_exp(tmp_path, 'method = "sobol"\nn = 8'))
    for bad, msg in (('x = "elderly_sharе + 1 <= 2"', "unknown parameter"), ('x = "__import__(1) < 2"', "only"),
                     ('x = "elderly_share + 1"', "comparison"), ("x = 3", "expected a string")):
        with pytest.raises(ExperimentError, match=msg):
            load_experiment(_exp(tmp_path, 'method = "lhs"\nn = 10', constraints=bad))


def test_experiments_without_constraints_keep_their_fingerprint():
    exp = load_experiment(EXPERIMENT_DIR / "smoke.toml")
    assert exp.constraints == () and "constraints" not in exp.to_dict()
