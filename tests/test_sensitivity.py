"""Sensitivity analysis through the same sweep runner, checked on functions with known indices."""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd
import pytest

from consultsim.analysis.plot_sweep import mean_ci, plot_sweep
from consultsim.analysis.sensitivity import analyse
from consultsim.cli import main
from consultsim.sweeps import load_results, run_sweep
from consultsim.sweeps.experiments import load_experiment

PI = math.pi
EXPERIMENT_DIR_SMOKE = Path(__file__).resolve().parent.parent / "experiments" / "smoke.toml"


def _exp(tmp_path: Path, name: str, model: str, sampler: str, params: str, replicates: int = 1) -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(f"""
name = "{name}"
model = "consultsim.sweeps.testfunctions:{model}"
seed = 2024
replicates = {replicates}
steps = 1
metrics = ["y"]
runs_per_file = 2000
[sampler]
{sampler}
[parameters]
{params}
""", encoding="utf-8")
    return p


def test_sobol_indices_of_ishigami_match_the_published_values(tmp_path, capsys):
    # Ishigami & Homma (1990), a = 7, b = 0.1; analytical indices from Saltelli et al. (2008), p. 179
    ranges = "\n".join(f"x{i} = {{ low = {-PI!r}, high = {PI!r} }}" for i in (1, 2, 3))
    path = _exp(tmp_path, "ishigami", "ishigami", 'method = "sobol"\nn = 1024', ranges)
    out = tmp_path / "ish"
    code = main(["sensitivity", str(path), "--out", str(out), "--executor", "serial", "--no-progress"])
    assert code == 0, capsys.readouterr().err
    got = pd.read_csv(out / "sensitivity.csv")
    assert list(got.columns) == ["outcome", "parameter", "index", "value", "conf", "undefined_samples"]
    idx = got.set_index(["index", "parameter"])["value"]
    published = {("S1", "x1"): 0.3139, ("S1", "x2"): 0.4424, ("S1", "x3"): 0.0,
                 ("ST", "x1"): 0.5576, ("ST", "x2"): 0.4424, ("ST", "x3"): 0.2437}
    for key, value in published.items():
        assert idx[key] == pytest.approx(value, abs=0.03), key
    assert (got["conf"] > 0).all() and (got["conf"] < 0.15).all()
    assert (out / "sensitivity.png").stat().st_size > 10_000


def test_morris_effects_of_a_linear_function_are_its_coefficients(tmp_path):
    params = "\n".join(f"x{i} = {{ low = 0.0, high = 1.0 }}" for i in (1, 2, 3))
    path = _exp(tmp_path, "lin", "linear", 'method = "morris"\ntrajectories = 10\nlevels = 4', params)
    exp = load_experiment(path)
    run_sweep(exp, tmp_path / "m", executor="serial", progress=False)
    idx = analyse(exp, load_results(tmp_path / "m")).set_index(["index", "parameter"])["value"]
    for name, coef in (("x1", 1.0), ("x2", 2.0), ("x3", 0.0)):
        assert idx[("mu_star", name)] == pytest.approx(coef, abs=1e-9)
        assert idx[("mu", name)] == pytest.approx(coef, abs=1e-9)
        assert idx[("sigma", name)] == pytest.approx(0.0, abs=1e-9)


def test_an_outcome_undefined_in_some_samples_is_reported_not_analysed(tmp_path, capsys):
    params = "\n".join(f"x{i} = {{ low = 0.0, high = 1.0 }}" for i in (1, 2, 3))
    path = _exp(tmp_path, "lin", "linear", 'method = "morris"\ntrajectories = 6\nlevels = 4', params)
    path.write_text(path.read_text().replace('metrics = ["y"]', 'metrics = ["y", "w"]'), encoding="utf-8")
    out = tmp_path / "m"
    assert main(["sensitivity", str(path), "--out", str(out), "--executor", "serial", "--no-progress"]) == 0
    assert "not analysable (undefined in every replicate of some samples): w (12 samples)" in capsys.readouterr().err
    got = pd.read_csv(out / "sensitivity.csv")
    assert got.loc[got["outcome"] == "w", "value"].isna().all()
    assert got.loc[got["outcome"] == "y", "value"].notna().all()
    assert (out / "sensitivity.png").exists()


def test_sensitivity_refuses_a_grid_experiment(tmp_path, capsys):
    path = _exp(tmp_path, "g", "linear", 'method = "grid"', "x1 = [0, 1]\nx2 = [0, 1]\nx3 = 0")
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "o"), "--executor", "serial"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sobol" in err[0] and not (tmp_path / "o").exists()


def test_mean_ci_is_the_t_interval():
    m, lo, hi = mean_ci(pd.Series([1.0, 2.0, 3.0, 4.0]))
    # mean 2.5, sd 1.2910, t(0.975, 3) = 3.1824: half-width 2.0543
    assert (m, lo, hi) == pytest.approx((2.5, 0.4457, 4.5543), abs=1e-3)
    assert math.isnan(mean_ci(pd.Series([1.0]))[1])


def test_plot_sweep_draws_responses_and_the_grid_heat_map(tmp_path, capsys):
    exp = tmp_path / "g.toml"
    exp.write_text("""
name = "g"
model = "consultsim.sweeps.testfunctions:toy"
seed = 3
replicates = 4
steps = 6
metrics = ["y", "z"]
[sampler]
method = "grid"
[parameters]
slope = [0.5, 1.0, 2.0]
noise = [0.1, 1.0]
""", encoding="utf-8")
    run_sweep(exp, tmp_path / "g", executor="serial", progress=False)
    assert main(["plot-sweep", str(tmp_path / "g")]) == 0
    names = sorted(p.name for p in (tmp_path / "g" / "plots").glob("*.png"))
    assert names == ["heatmap.png", "response_y.png", "response_z.png"]
    lhs = tmp_path / "l.toml"
    lhs.write_text(exp.read_text().replace('method = "grid"', 'method = "lhs"\nn = 40')
                   .replace("[0.5, 1.0, 2.0]", "{ low = 0.5, high = 2.0 }")
                   .replace("[0.1, 1.0]", "{ low = 0.1, high = 1.0 }")
                   .replace('"g"', '"l"'), encoding="utf-8")
    run_sweep(lhs, tmp_path / "l", executor="serial", progress=False)
    paths = plot_sweep(tmp_path / "l")
    assert sorted(p.name for p in paths) == ["response_y.png", "response_z.png"]
    assert all(p.stat().st_size > 10_000 for p in paths)


@pytest.mark.slow
def test_one_replicate_warns_and_two_give_a_seed_dependence_check(tmp_path, capsys):
    """toy: y = slope * step + noise. One replicate: a warning. Two: indices from the even and the odd
    replicates (independent seeds) both name slope, the driver, and the tables are written."""
    from consultsim.analysis.sensitivity import convergence, seed_dependence

    params = "slope = { low = 0.0, high = 1.0 }\nnoise = { low = 0.0, high = 0.05 }"
    one = _exp(tmp_path, "one", "toy", 'method = "sobol"\nn = 32', params)
    assert main(["sensitivity", str(one), "--out", str(tmp_path / "o1"), "--executor", "serial", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "warning: replicates = 1" in err and "seed check" not in err
    assert seed_dependence(load_experiment(one), load_results(tmp_path / "o1")) is None
    two = _exp(tmp_path, "two", "toy", 'method = "sobol"\nn = 32', params, replicates=2)
    assert main(["sensitivity", str(two), "--out", str(tmp_path / "o2"), "--executor", "serial", "--no-progress"]) == 0
    err = capsys.readouterr().err
    assert "warning: replicates = 1" not in err and "seed check y: top driver same" in err
    both, summary = seed_dependence(load_experiment(two), load_results(tmp_path / "o2"))
    assert set(summary["top_a"]) == {"slope"} and summary["same_top"].all()
    assert {"value_a", "value_b"} <= set(both.columns)
    conv = convergence(load_experiment(two), load_results(tmp_path / "o2"))
    assert list(conv["base_samples"]) == ["16 -> 32"] * len(conv)
    for f in ("sensitivity_seeds.csv", "sensitivity_convergence.csv"):
        assert (tmp_path / "o2" / f).is_file()


@pytest.mark.slow
def test_plot_sweep_figures_are_paper_ready(tmp_path):
    """Shares stay within 0-1 (bands cut), axes carry units, counts get whole-number ticks and only
    counts, identical lines differ in style, and the caption gives N, the week and the runs left out."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from consultsim.analysis import plot_sweep as ps

    exp = load_experiment(EXPERIMENT_DIR_SMOKE)
    run_sweep(exp, tmp_path / "s", executor="serial", progress=False)
    figs = {}
    real_close = plt.close
    plt.close = lambda fig=None: figs.setdefault(len(figs), fig)  # keep the figures to inspect them
    try:
        ps.plot_sweep(tmp_path / "s")
    finally:
        plt.close = real_close
    fig = next(f for f in figs.values() if f is not None and "took part" in f._suptitle.get_text())
    title = fig._suptitle.get_text()
    assert "week 12; N = 8 runs" in title and "(share of households)" in title
    ax_inc, ax_tr = fig.axes[:2]
    assert ax_inc.get_ylim()[0] >= -0.02 and ax_inc.get_ylim()[1] <= 1.02
    for coll in ax_inc.collections:  # the bands
        for path in coll.get_paths():
            assert path.vertices[:, 1].min() >= 0 and path.vertices[:, 1].max() <= 1
    assert all(float(t).is_integer() for t in ax_tr.get_xticks())  # training sessions: a count
    assert any(not float(t).is_integer() for t in ax_inc.get_xticks())  # points per meeting: continuous
    styles = {line.get_linestyle() for line in ax_inc.get_lines()}
    assert len(styles) == 2  # the two levels stay distinguishable where they coincide
    assert "points (~yuan) per" in ax_inc.get_xlabel().replace("\n", " ")
    for f in figs.values():
        if f is not None:
            real_close(f)
