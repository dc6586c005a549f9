"""[constraints] in experiment files: infeasible combinations are re-drawn (LHS), dropped (grid), or (Sobol,
Morris) the design becomes a uniform sample of the feasible set analysed with a given-data estimator, so a
sweep never produces runs that --retry-failed cannot fix."""

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


def test_bad_constraints_are_refused_with_one_line(tmp_path):
    for bad, msg in (('x = "elderly_sharе + 1 <= 2"', "unknown parameter"), ('x = "__import__(1) < 2"', "only"),
                     ('x = "elderly_share + 1"', "comparison"), ("x = 3", "expected a string")):
        with pytest.raises(ExperimentError, match=msg):
            load_experiment(_exp(tmp_path, 'method = "lhs"\nn = 10', constraints=bad))


@pytest.mark.parametrize("sampler,size", [('method = "sobol"\nn = 8', 8 * 4), ('method = "morris"\ntrajectories = 5', 15)])
def test_sobol_and_morris_with_constraints_sample_the_feasible_set(tmp_path, sampler, size):
    exp = load_experiment(_exp(tmp_path, sampler))
    assert exp.given_data
    d = make_design(exp)
    assert d.n_samples == size  # the run budget the structured design would have had
    assert (d.table["elderly_share"] + d.table["young_share"] <= 1 + 1e-12).all()
    assert d.table["elderly_share"].between(0.1, 0.8).all()
    assert make_design(exp).table.equals(d.table)
    assert d.unit.shape == (size, 2)


_LIN = """name = "tri"
model = "consultsim.sweeps.testfunctions:linear"
seed = 11
replicates = {r}
steps = 1
metrics = ["y"]
runs_per_file = 5000
[sampler]
{sampler}
[parameters]
x1 = {{ low = 0.0, high = 1.0 }}
x2 = {{ low = 0.0, high = 1.0 }}
x3 = {{ low = 0.0, high = 1.0 }}
[constraints]
triangle = "x1 + x2 <= 1"
"""


@pytest.mark.slow
@pytest.mark.parametrize("sampler", ['method = "sobol"\nn = 128', 'method = "morris"\ntrajectories = 160'])
def test_first_order_indices_on_a_triangle_match_the_analytic_values(tmp_path, sampler):
    """y = x1 + 2 x2 with (x1, x2) uniform on the triangle x1 + x2 <= 1, x3 independent. Analytically
    E[y | x1] = x1 + (1 - x1) = 1, so S1(x1) = 0; E[y | x2] = 1/2 + 3/2 x2 and Var(x2) = 1/18, so
    Var(E[y | x2]) = 1/8; Var(y) = 1/18 + 4/18 + 4 Cov(x1, x2) = 5/18 - 4/36 = 1/6, so S1(x2) = 3/4;
    S1(x3) = 0. (An independent-input method would give S1(x1) = 1/5, S1(x2) = 4/5.)"""
    from consultsim.analysis.sensitivity import analyse, main_index
    from consultsim.sweeps import load_results
    from consultsim.sweeps.runner import run_sweep

    p = tmp_path / "tri.toml"
    p.write_text(_LIN.format(r=1, sampler=sampler), encoding="utf-8")
    exp = load_experiment(p)
    assert main_index(exp) == "S1"
    run_sweep(exp, tmp_path / "s", executor="serial", progress=False)
    indices = analyse(exp, load_results(tmp_path / "s"))
    got = indices.set_index("parameter")
    assert set(got["index"]) == {"S1"}
    assert got.loc["x1", "value"] == pytest.approx(0.0, abs=0.06)
    assert got.loc["x2", "value"] == pytest.approx(0.75, abs=0.06)
    assert got.loc["x3", "value"] == pytest.approx(0.0, abs=0.06)
    assert (got["conf"] > 0).all()
    from consultsim.analysis.sensitivity import plot_indices
    assert plot_indices(indices, tmp_path / "s.png").stat().st_size > 5_000


def test_experiments_without_constraints_keep_their_fingerprint():
    exp = load_experiment(EXPERIMENT_DIR / "smoke.toml")
    assert exp.constraints == () and "constraints" not in exp.to_dict()
