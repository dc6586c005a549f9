"""Scenario discovery (issue 11): PRIM finds a known box, targets are parsed safely, roles are read from
experiment files, and ``consultsim discover`` finds a box on the shipped lever grid and draws it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.discovery import Target, prim_box
from consultsim.analysis.outcomes import run_outcomes
from consultsim.cli import main
from consultsim.errors import UsageError
from consultsim.sweeps import load_results, run_sweep
from consultsim.sweeps.experiments import EXPERIMENT_DIR, load_experiment

pytest.importorskip("ema_workbench", reason="scenario discovery uses EMA Workbench (consultsim[ema])")


def test_prim_recovers_a_known_box():
    # y is true exactly on x1 > 0.6 and x2 < 0.3; x3 is irrelevant: the box is known in advance
    rng = np.random.default_rng(3)
    x = pd.DataFrame({"x1": rng.uniform(0, 1, 1000), "x2": rng.uniform(0, 1, 1000), "x3": rng.uniform(0, 1, 1000)})
    y = ((x["x1"] > 0.6) & (x["x2"] < 0.3)).to_numpy()
    box, i, traj = prim_box(x, y, min_density=0.9)
    lims = box.box_lims[i]
    assert lims.loc[0, "x1"] == pytest.approx(0.6, abs=0.03)
    assert lims.loc[1, "x2"] == pytest.approx(0.3, abs=0.03)
    assert lims.loc[0, "x3"] == pytest.approx(x["x3"].min()) and lims.loc[1, "x3"] == pytest.approx(x["x3"].max())
    assert traj.loc[i, "density"] >= 0.9 and traj.loc[i, "coverage"] >= 0.85


def test_targets_are_conditions_on_kept_metrics_and_nothing_else():
    df = pd.DataFrame({"a": [0.1, 0.7, 0.9], "b": [0.5, 0.1, 0.3]})
    t = Target("a > 0.6 and not (b < 0.2)", ["a", "b"])
    assert t.evaluate(df).tolist() == [False, False, True] and t.names == ["a", "b"]
    assert Target("0.2 < b <= 0.5 or a == 0.7", ["a", "b"]).evaluate(df).tolist() == [True, True, True]
    for bad in ("__import__('os').system('true')", "a > b.c", "a +", "a > 'x'", "c > 1", "a"):
        with pytest.raises(UsageError):
            Target(bad, ["a", "b"])


def test_levers_and_uncertainties_tables_label_parameters_without_changing_the_fingerprint(tmp_path):
    plain = tmp_path / "plain.toml"
    plain.write_text("""seed = 1
[sampler]
method = "grid"
[parameters]
n_residents = 150
incentive_per_meeting = [0, 20]
b0 = [-3.0, -2.0]
""", encoding="utf-8")
    roled = tmp_path / "roled.toml"
    roled.write_text("""seed = 1
[sampler]
method = "grid"
[parameters]
n_residents = 150
[levers]
incentive_per_meeting = [0, 20]
[uncertainties]
b0 = [-3.0, -2.0]
""", encoding="utf-8")
    a, b = load_experiment(plain), load_experiment(roled)
    assert a.roles == b.roles == {"incentive_per_meeting": "lever", "b0": "uncertainty"}
    assert a.fingerprint() == b.fingerprint()
    dup = tmp_path / "dup.toml"
    dup.write_text(roled.read_text().replace("b0 = [-3.0, -2.0]", "incentive_per_meeting = [5, 10]"),
                   encoding="utf-8")
    with pytest.raises(UsageError, match="already given"):
        load_experiment(dup)


def test_outcomes_at_a_week_or_over_a_window_with_undefined_values_per_run():
    res = pd.DataFrame({"run_id": [0, 0, 0, 1, 1, 1], "p": [1.0, 1.0, 1.0, 2.0, 2.0, 2.0],
                        "step": [0, 4, 8, 0, 4, 8], "m": [1.0, np.nan, 3.0, np.nan, np.nan, np.nan]})
    assert run_outcomes(res, ["m"])["m"].tolist()[0] == 3.0
    assert np.isnan(run_outcomes(res, ["m"])["m"].tolist()[1])
    assert run_outcomes(res, ["m"], week=0)["m"].tolist()[0] == 1.0
    w = run_outcomes(res, ["m"], window=(0, 8))
    assert w.loc[0, "m"] == 2.0 and np.isnan(w.loc[1, "m"]) and w.loc[1, "p"] == 2.0
    with pytest.raises(UsageError, match="week 5 was not kept"):
        run_outcomes(res, ["m"], week=5)


def test_discover_on_the_shipped_lever_grid_finds_a_box_and_draws_it(tmp_path, capsys):
    # the shipped grid (both levers, all 30 cells), made quick: one replicate, 500 households
    text = (EXPERIMENT_DIR / "lever_grid.toml").read_text(encoding="utf-8")
    quick = text.replace("replicates = 10", "replicates = 1").replace("collect_every = 4", "collect_every = 13")
    quick = quick.replace("incentive_budget = 30000", "incentive_budget = 30000\nn_residents = 500\nn_buildings = 5")
    assert quick.count("\n") == text.count("\n") + 2 and "replicates = 1\n" in quick
    exp = tmp_path / "lever_grid.toml"
    exp.write_text(quick, encoding="utf-8")
    assert load_experiment(exp).roles == {"incentive_per_meeting": "lever", "training_sessions_per_quarter": "lever"}
    run_sweep(exp, tmp_path / "sweep", executor="serial", progress=False)
    target = "participation_rate > 0.15 and mean_capacity > 0.39"
    args = ["discover", str(tmp_path / "sweep"), "--target", target, "--window", "0:104"]
    assert main(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"target: {target} (mean of weeks 0-104); reached by")
    out = tmp_path / "sweep" / "discover"
    box = pd.read_csv(out / "box.csv").set_index("parameter")
    assert box.loc["incentive_per_meeting", "restricted"]  # incentives matter for participation
    assert box.loc["incentive_per_meeting", "role"] == "lever"
    # every run in the box reaches the target (density 1 is the box's own definition here)
    per_run = run_outcomes(load_results(tmp_path / "sweep"), ["participation_rate", "mean_capacity"],
                           window=(0, 104))
    inside = np.ones(len(per_run), dtype=bool)
    for p, r in box[box["restricted"]].iterrows():
        inside &= (per_run[p] >= float(r["lower"])) & (per_run[p] <= float(r["upper"]))
    hits = Target(target, per_run.columns).evaluate(per_run)
    traj = pd.read_csv(out / "tradeoff.csv")
    chosen = [ln for ln in lines if ln.startswith("box coverage")][0]
    assert f"density {hits[inside].mean():.2f}" in chosen and f"coverage {hits[inside].sum() / hits.sum():.2f}" in chosen
    assert len(traj) >= 2 and (out / "prim_box.png").stat().st_size > 5000
    assert (out / "prim_tradeoff.png").stat().st_size > 5000
    assert main(args) == 2  # an earlier discover run is not overwritten without --force
    assert "add --force" in capsys.readouterr().err


@pytest.mark.slow
def test_restrictions_chance_alone_would_make_are_dropped_by_their_quasi_p_value():
    """y depends on x1 only; with a noisy y PRIM may also restrict the irrelevant x2, x3. After dropping
    restrictions with qp > 0.05 only x1 is left, with a tiny qp; the dropped ones are named."""
    from consultsim.analysis.discovery import drop_insignificant, quasi_p

    rng = np.random.default_rng(2)
    n = 300
    x = pd.DataFrame({"x1": rng.uniform(0, 1, n), "x2": rng.uniform(0, 1, n), "x3": rng.uniform(0, 1, n)})
    y = ((x["x1"] > 0.5) & (rng.uniform(0, 1, n) < 0.8)) | (rng.uniform(0, 1, n) < 0.05)
    box, i, traj = prim_box(x, y.to_numpy(), min_density=0.9)  # chasing density, PRIM restricts noise too
    before = {k for k, v in quasi_p(box, i).items() if not np.isnan(v)}
    j, dropped = drop_insignificant(box, i, 0.05)
    after = {k: v for k, v in quasi_p(box, j).items() if not np.isnan(v)}
    assert set(after) == {"x1"} and after["x1"] < 1e-3
    assert before == {"x1", "x2", "x3"} and {d for d, _ in dropped} == {"x2", "x3"}
    assert all(q > 0.05 for _, q in dropped)
    _, kept = drop_insignificant(box, j, 1.0)
    assert kept == []  # max_qp = 1 keeps every restriction
