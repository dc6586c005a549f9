"""Experiment files: every shipped file validates; bad files fail with one clean line and write nothing."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest

from consultsim.cli import main
from consultsim.core.metric_names import METRICS
from consultsim.core.params import PARAM_INFO, levers
from consultsim.core.rng import derive_seeds
from consultsim.sweeps.experiments import EXPERIMENT_DIR, ExperimentError, ParamSpec, load_experiment
from consultsim.sweeps.samplers import make_design, run_seed

# calibration.toml holds calibrate's settings, not a sweep (tests/test_calibration.py reads it)
SHIPPED = sorted(p for p in EXPERIMENT_DIR.glob("*.toml") if p.stem != "calibration")


def test_the_four_required_experiments_ship():
    assert {p.stem for p in SHIPPED} >= {"smoke", "lever_grid", "sobol_levers", "morris_screening"}


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_shipped_experiment_loads_and_validates(path):
    exp = load_experiment(path)
    assert set(exp.metrics) <= set(METRICS)
    design = make_design(exp)
    assert design.n_samples >= 2
    # every sample is a valid parameter set for the model (ranges respected, types coerced)
    for row in design.table.head(200).to_dict("records"):
        row.pop("sample_id")
        exp.scenario.with_overrides(**exp.constants, **row)


def test_global_experiments_cover_every_lever_and_behavioural_parameters():
    wanted_behaviour = {"b0", "b_time", "b_civic", "b_invited", "epsilon", "anchoring", "pm_cost_aversion",
                        "learning_rate"}
    all_levers = set(itertools.chain.from_iterable(levers().values()))
    for name in ("sobol_levers", "morris_screening"):
        exp = load_experiment(EXPERIMENT_DIR / f"{name}.toml")
        assert all_levers | wanted_behaviour <= set(exp.varied_names), name


def test_lever_grid_is_incentive_by_training():
    exp = load_experiment("lever_grid")  # a bare name resolves in experiments/
    assert exp.method == "grid"
    assert exp.varied_names == ["incentive_per_meeting", "training_sessions_per_quarter"]
    design = make_design(exp)
    assert design.n_samples == len(exp.varied[0].values) * len(exp.varied[1].values)


def test_range_mappings():
    integer = ParamSpec("k", "range", low=0, high=3, integer=True)
    u = (np.arange(4000) + 0.5) / 4000  # uniform on (0, 1)
    vals = integer.from_unit(u)
    assert sorted(set(vals)) == [0, 1, 2, 3]
    assert all(abs(vals.count(k) - 1000) <= 1 for k in range(4))  # each integer equally likely
    assert integer.from_unit(np.array([1.0])) == [3]
    log = ParamSpec("x", "range", low=1.0, high=100.0, log=True)
    assert log.from_unit(np.array([0.0, 0.5, 1.0])) == pytest.approx([1.0, 10.0, 100.0])
    disc = ParamSpec("b", "values", values=(False, True))
    assert disc.from_unit(np.array([0.1, 0.49, 0.51, 1.0])) == [False, False, True, True]
    assert ParamSpec("x", "range", low=0, high=1).grid_values(3) == [0.0, 0.5, 1.0]


def test_independent_run_seeds_equal_derive_seeds():
    seeds = derive_seeds(99, 50)
    assert [run_seed(99, i) for i in range(50)] == seeds


def _write(tmp_path: Path, text: str, name="bad.toml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


GOOD = """
seed = 1
steps = 4
metrics = ["participation_rate"]
[sampler]
method = "grid"
[parameters]
n_residents = 100
incentive_per_meeting = [0, 10]
"""

BAD = [
    # (how to break GOOD, words the message must contain)
    (("seed = 1\n", ""), "missing key 'seed'"),
    (("steps = 4", "steps = 0"), "'steps'"),
    (("steps = 4", "stepz = 4"), "unknown key 'stepz'"),
    (('"participation_rate"', '"participation_rat"'), "did you mean 'participation_rate'"),
    (('method = "grid"', 'method = "random"'), "method = 'random'"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meetng = [0, 10]"), "incentive_per_meetng"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meeting = [0, -10]"), "incentive_per_meeting = -10"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meeting = { low = 5, high = 1 }"), "must be below"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meeting = { low = 0, high = 5000 }"), "outside"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meeting = { low = 0, high = 5 }"), "needs [sampler] levels"),
    (("incentive_per_meeting = [0, 10]", "online_channel = { low = 0, high = 1 }"), "cannot take a range"),
    (("incentive_per_meeting = [0, 10]", "incentive_per_meeting = []"), "empty"),
    (("n_residents = 100", "n_residents = 1.5"), "n_residents"),
    (('method = "grid"', 'method = "sobol"\nn = 100'), "power of 2"),
    (("seed = 1", "seed = 1\nscenario = \"no_such_scenario\""), "no scenario 'no_such_scenario'"),
    (("[parameters]", "[parameters\n"), "not valid TOML"),
]


@pytest.mark.parametrize("edit,words", BAD, ids=[w for _, w in BAD])
def test_bad_experiment_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, edit, words):
    old, new = edit
    assert old in GOOD
    path = _write(tmp_path, GOOD.replace(old, new, 1))
    out = tmp_path / "out"
    code = main(["sweep", str(path), "--out", str(out), "--executor", "serial", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 2
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert str(path) in lines[0] and words in lines[0]
    assert not out.exists()


def test_good_experiment_text_is_good(tmp_path):
    exp = load_experiment(_write(tmp_path, GOOD, "good.toml"))
    assert exp.varied_names == ["incentive_per_meeting"] and exp.constants == {"n_residents": 100}


def test_custom_model_needs_named_metrics_and_importable_function(tmp_path):
    text = 'model = "consultsim.sweeps.testfunctions:nope"\nseed = 1\nmetrics = ["y"]\n' \
           '[sampler]\nmethod = "grid"\n[parameters]\nslope = [1, 2]\n'
    with pytest.raises(ExperimentError, match="not a registered model"):
        load_experiment(_write(tmp_path, text))
    with pytest.raises(ExperimentError, match="list the outputs"):
        load_experiment(_write(tmp_path, text.replace(":nope", ":toy").replace('metrics = ["y"]\n', "")))


def test_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "nope.toml"), "--executor", "serial"]) == 2
    assert "no such experiment file" in capsys.readouterr().err


def test_param_ranges_come_from_param_metadata():
    # the Sobol experiment stays inside every parameter's allowed range (PARAM_INFO lo/hi)
    exp = load_experiment("sobol_levers")
    for p in exp.varied:
        if p.kind == "range":
            meta = PARAM_INFO[p.name].metadata
            assert meta["lo"] <= p.low < p.high <= meta["hi"]
            assert not (p.log and p.low <= 0) and not math.isnan(p.low)
