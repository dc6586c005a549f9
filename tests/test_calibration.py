"""Calibration by ABC-SMC (consultsim.analysis.calibration, consultsim calibrate) and its worlds file,
read by robustness and compare (issue 17, parts 2 and 5)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis import calibration as cal
from consultsim.core.params import PARAM_INFO, uncertainties
from consultsim.errors import UsageError
from tests.fault_snippets import CALIBRATION_TWO

ROOT = Path(__file__).resolve().parents[1]

TINY = CALIBRATION_TWO  # tests/fault_snippets.py


def _settings(tmp_path, **kw):
    o = {"households": 150, "steps": 40, "population": 12, "generations": 2, **kw}
    p = tmp_path / "cal.toml"
    p.write_text(TINY.format(**o), encoding="utf-8")
    return cal.load_settings(p)


def test_shipped_settings_calibrate_assumptions_and_hold_patterns_out():
    s = cal.load_settings(cal.DEFAULT_SETTINGS)
    assert s.parameters and s.targets and s.held_out
    for n in s.parameters:  # poorly known: an assumption (or a calibrated value) with a plausible range
        src = PARAM_INFO[n].metadata["source"].lower()
        assert n in uncertainties() and ("assumption" in src or "calibrated" in src)
    targets = {t.name for t in s.targets}
    assert not targets & set(s.held_out)
    assert all(t.source and t.scale > 0 for t in s.targets)
    q = s.quickened()
    assert q.population < s.population and q.generations <= s.generations


@pytest.mark.parametrize("edit, message", [
    (lambda t: t.replace('"b0"', '"no_such"'), "unknown parameter"),
    (lambda t: t.replace('"b0"', '"supervision"'), "no plausible range"),
    (lambda t: t.replace('"b0"', '"households_per_worker"'), "not an assumption"),
    (lambda t: t.replace('source = "synthetic"\n[[targets]]', '[[targets]]'), "no source"),
    (lambda t: t.replace('"participation_share"', '"nope"'), "unknown statistic"),
    (lambda t: t.replace('names = ["voice_concentration"]', 'names = ["implemented_share"]'), "both a target"),
    (lambda t: t.replace("scale = 0.02", "scale = 0"), "positive scale"),
    (lambda t: t + "\n[quick]\nwhatever = 1\n", "unknown setting"),
    (lambda t: t + "\n[[[", "not valid TOML"),
    (lambda t: t.replace("seed = 7", "seed = 7\nreplicates = 0"), "replicates a whole number"),
    (lambda t: t.replace("seed = 7", "seed = 7\nreplicates = 2.5"), "replicates a whole number"),
    (lambda t: t.replace("seed = 7", "seed = 7\nmax_runs = -1"), "max_runs a whole number"),
    (lambda t: t.replace("seed = 7", "seed = 7\nmin_acceptance = 1.0"), "min_acceptance < 1"),
    (lambda t: t.replace("seed = 7", "seed = 7\nmin_epsilon = -0.5"), "min_epsilon"),
    (lambda t: t + "\n[quick]\ninitial_epsilon = -1\n", "initial_epsilon"),
    (lambda t: t.replace("seed = 7", 'seed = 7\nreplicates = "four"'), "must be a number"),
    (lambda t: t.replace("seed = 7", "seed = 7\nmax_runs = true"), "must be a number"),
])
def test_bad_settings_get_one_line(tmp_path, edit, message):
    p = tmp_path / "bad.toml"
    p.write_text(edit(TINY.format(households=100, steps=20, population=4, generations=1)), encoding="utf-8")
    with pytest.raises(UsageError, match=message):
        cal.load_settings(p)


def test_distance_scales_and_penalises_undefined():
    sc = {"a": 0.1, "b": 2.0}
    assert cal.distance({"a": 0.2, "b": 4.0}, {"a": 0.1, "b": 0.0}, sc) == pytest.approx(math.sqrt(1 + 4))
    assert cal.distance({"a": math.nan, "b": 0.0}, {"a": 0.1, "b": 0.0}, sc) == cal.MISSING_DISTANCE


def test_statistics_of_a_run_are_field_observables():
    from consultsim.running.runner import simulate

    r = simulate("baseline", seed=3, steps=30, overrides={"n_residents": 200})
    st = cal.statistics(r.timeseries, r.topics, r.params)
    assert set(st) == set(cal.STATISTICS)
    assert 0 <= st["participation_share"] <= 1
    comp = r.timeseries["complaints"].iloc[-1] / 200 * 1000 / (30 / 52)
    assert st["complaints_per_1000"] == pytest.approx(comp)


def test_finished_runs_are_freed(monkeypatch):
    """A calibration worker runs thousands of models; each must be freed when its run is done (Mesa 3.3's
    ``Agent._ids`` kept every model alive: 0.75 MB a 1,000-household run, 3 GB by generation 4)."""
    import gc
    import weakref

    from consultsim.core.model import ConsultationModel

    built = []
    init = ConsultationModel.__init__

    def recording(self, *a, **kw):
        built.append(weakref.ref(self))
        init(self, *a, **kw)

    monkeypatch.setattr(ConsultationModel, "__init__", recording)
    for seed in range(3):
        cal.simulate_statistics({"b0": -2.5}, households=60, steps=3, seed=seed, names=["decided_share"])
    gc.collect()
    assert len(built) == 3 and all(r() is None for r in built)


def test_mean_statistics_skip_undefined_runs():
    runs = [{"a": 0.2, "b": math.nan}, {"a": 0.4, "b": math.nan}, {"a": math.nan, "b": math.nan}]
    m = cal.mean_statistics(runs, ["a", "b"])
    assert m["a"] == pytest.approx(0.3) and math.isnan(m["b"])


def test_a_particle_is_the_mean_of_its_replicates(tmp_path):
    """With replicates = k, pyABC's model returns each statistic's mean over k runs with fresh seeds drawn
    from the generator pyABC seeds (so the runs differ and the mean is of k distinct runs)."""
    s = _settings(tmp_path, households=60, steps=8)
    s3 = cal.replace(s, replicates=3)
    names = [t.name for t in s.targets]
    model = cal._Model(s3)
    np.random.seed(11)  # noqa: NPY002 (pyABC seeds the global generator in each worker)
    got = model({"b0": -2.4, "pm_responsiveness": 0.3})
    np.random.seed(11)  # noqa: NPY002
    seeds = np.random.randint(0, 2**31 - 1, size=3)  # noqa: NPY002
    assert len(set(seeds.tolist())) == 3
    runs = [cal.simulate_statistics({"b0": -2.4, "pm_responsiveness": 0.3}, households=60, steps=8,
                                    seed=int(x), names=names) for x in seeds]
    for n in names:
        x = [r[n] for r in runs if math.isfinite(r[n])]
        assert (got[n] == pytest.approx(sum(x) / len(x))) if x else math.isnan(got[n])
    one = cal._Model(s)
    np.random.seed(11)  # noqa: NPY002
    np.testing.assert_equal(one({"b0": -2.4, "pm_responsiveness": 0.3}), runs[0])  # NaN equals NaN here


class _FakeHistory:
    """What stop_reason reads of pyABC's History: the populations, each generation's weights, the runs."""

    def __init__(self, eps, samples):
        self.max_t = len(eps) - 1
        self.total_nr_simulations = int(sum(samples))
        self._pops = pd.DataFrame({"t": range(len(eps)), "epsilon": eps, "samples": samples})

    def get_all_populations(self):
        return self._pops

    def get_distribution(self, m=0, t=0):
        return pd.DataFrame({"x": np.zeros(10)}), np.ones(10) / 10


@pytest.mark.parametrize("eps, samples, kw, reason", [
    ([2.2, 1.7, 1.4], [15, 25, 40], {"generations": 3}, "generations"),
    ([2.2, 1.7, 0.9], [15, 25, 40], {"min_epsilon": 1.0}, "min_epsilon"),
    ([2.2, 1.7], [15, 200], {"min_acceptance": 0.1}, "min_acceptance"),   # 10 of 200 accepted: 5%
    ([2.2, 1.7], [15, 25], {"max_runs": 150, "replicates": 4}, "max_runs"),  # 40 tries x 4 runs >= 150
    ([2.2, 1.7], [15, 25], {"max_runs": 170, "replicates": 4}, "max_minutes"),
])
def test_stop_reason_names_the_criterion_that_ended_the_run(tmp_path, eps, samples, kw, reason):
    s = cal.replace(_settings(tmp_path, generations=8), **kw)
    assert cal.stop_reason(_FakeHistory(eps, samples), s) == reason


def test_ess_and_verdicts():
    assert cal.ess(np.ones(40)) == pytest.approx(40)
    assert cal.ess([1, 0, 0, 0]) == pytest.approx(1)
    assert cal.verdict(0.3, 40) == "constrained"
    assert cal.verdict(0.9, 40) == "stays at its prior"
    assert cal.verdict(0.3, 5).startswith("undetermined")


def _worlds_file(tmp_path, rows, name="w.parquet"):
    p = tmp_path / name
    pd.DataFrame(rows).to_parquet(p, index=False)
    return p


def test_read_worlds_refuses_what_is_not_a_worlds_file(tmp_path):
    (tmp_path / "x.parquet").write_text("no", encoding="utf-8")
    cases = [
        (tmp_path / "missing.parquet", "not found"),
        (tmp_path / "x.parquet", "not a Parquet"),
        (_worlds_file(tmp_path, {"b0": [-2.5]}, "a.parquet"), "weight"),
        (_worlds_file(tmp_path, {"nope": [1.0], "weight": [1.0]}, "b.parquet"), "not a parameter"),
        (_worlds_file(tmp_path, {"supervision": [1.0], "weight": [1.0]}, "c.parquet"), "lever"),
        (_worlds_file(tmp_path, {"b0": [-2.5], "weight": [-1.0]}, "d.parquet"), "weights"),
        (_worlds_file(tmp_path, {"pm_responsiveness": [7.0], "weight": [1.0]}, "e.parquet"), "allowed range"),
    ]
    for path, msg in cases:
        with pytest.raises(UsageError, match=msg):
            cal.read_worlds(path)


def test_draw_worlds_follows_the_weights(tmp_path):
    w = cal.read_worlds(_worlds_file(tmp_path, {"b0": [-2.8, -2.3], "pm_responsiveness": [0.25, 0.35],
                                                "weight": [0.1, 0.9]}))
    draws = cal.draw_worlds(w, 2000, seed=1)
    share = np.mean([d["b0"] == -2.3 for d in draws])
    assert 0.87 < share < 0.93
    assert all(d["pm_responsiveness"] == (0.35 if d["b0"] == -2.3 else 0.25) for d in draws)  # particles whole
    assert cal.draw_worlds(w, 5, seed=4) == cal.draw_worlds(w, 5, seed=4)


def test_robustness_worlds_come_from_the_posterior(tmp_path):
    from consultsim.analysis.robustness import worlds_experiment, worlds_model
    from consultsim.sweeps.samplers import make_design

    w = cal.read_worlds(_worlds_file(tmp_path, {"b0": [-2.8, -2.3], "weight": [0.5, 0.5]}))
    exp = worlds_experiment(["supervision"], worlds=6, replicates=1, steps=2, households=50, seed=3, posterior=w)
    names = [v.name for v in exp.varied]
    assert "b0" not in names and "_world" in names and "supervision_effect" in names  # lever sizes: priors
    design = make_design(exp).table
    used = [json.loads(x)["b0"] for x in design["_world"]]
    assert len(set(design["_world"])) == 6 and set(used) <= {-2.8, -2.3}  # each draw once
    # the model applies the world: the run equals a run with the same overrides
    row = design.iloc[0].to_dict()
    ov = {k: v for k, v in row.items() if k != "sample_id"}
    ov.update({"n_residents": 50, "_arms": json.dumps({"baseline": {}})})
    a = worlds_model(exp.scenario, seed=11, steps=3, overrides=ov)
    plain = {k: v for k, v in ov.items() if not k.startswith("_")}
    plain["b0"] = used[0]
    b = worlds_model(exp.scenario, seed=11, steps=3, overrides={**plain, "_arms": ov["_arms"]})
    pd.testing.assert_frame_equal(a, b)


def test_compare_draws_a_world_per_replicate(tmp_path):
    from consultsim.analysis.compare import run_comparison
    from consultsim.running.runner import simulate

    w = cal.read_worlds(_worlds_file(tmp_path, {"b0": [-2.3], "pm_responsiveness": [0.25], "weight": [1.0]}))
    comp = run_comparison(["baseline"], replicates=2, steps=3, seed=5, workers=1, progress=False, worlds=w)
    assert comp.meta["worlds"] == [{"b0": -2.3, "pm_responsiveness": 0.25}] * 2
    one = simulate("baseline", seed=comp.seeds[0], steps=3, overrides={"b0": -2.3, "pm_responsiveness": 0.25})
    got = comp.timeseries[comp.timeseries["replicate"] == 0].drop(columns=["scenario", "replicate", "seed"])
    pd.testing.assert_frame_equal(got.reset_index(drop=True), one.timeseries.reset_index(drop=True),
                                  check_dtype=False)


def test_cli_refuses_bad_worlds_file_in_one_line(tmp_path, capsys):
    from consultsim.cli import main

    bad = tmp_path / "bad.parquet"
    bad.write_text("x", encoding="utf-8")
    assert main(["compare", "baseline", "--worlds", str(bad), "--out", str(tmp_path / "o")]) == 2
    assert main(["robustness", "--worlds-file", str(bad), "--out", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and all("not a Parquet" in e for e in err)


RECOVERY = """
[run]
households = 300
steps = 60
population = {population}
generations = {generations}
max_minutes = 10
seed = 7
initial_epsilon = 3.0
[parameters]
names = ["voice_exponent", "pm_responsiveness"]
[[targets]]
name = "voice_concentration"
value = 0.45
scale = 0.02
source = "synthetic"
[[targets]]
name = "implemented_share"
value = 0.4
scale = 1.5
source = "synthetic"
"""


@pytest.mark.slow
def test_calibration_recovers_a_known_direction_and_resumes(tmp_path):
    """Synthetic data made by the model at voice_exponent at the top of its range: the posterior moves up from
    the prior's centre; a run stopped after one generation continues to the second. (voice_exponent sets voice
    concentration by 0.13 across its prior with a run-to-run spread of 0.03-0.07 at 300 households; b0's effect
    on participation is buried in its noise at this size. The implemented share, far noisier, has a wide scale
    so that its noise does not decide acceptance. Generation 0 runs at the fixed initial_epsilon.)"""
    def settings(generations):
        p = tmp_path / f"rec{generations}.toml"
        p.write_text(RECOVERY.format(population=24, generations=generations), encoding="utf-8")
        return cal.load_settings(p)

    s = settings(1)
    truth = {"voice_exponent": 3.6, "pm_responsiveness": 0.3}
    rng = np.random.default_rng(0)
    runs = [cal.simulate_statistics(truth, households=s.households, steps=s.steps, seed=int(rng.integers(1e9)),
                                    names=["voice_concentration", "implemented_share"]) for _ in range(8)]
    obs = {k: float(np.nanmean([r[k] for r in runs])) for k in runs[0]}
    r1 = cal.calibrate(s, tmp_path / "out", workers=2, observed=obs)
    assert r1["history"].max_t == 0
    first = r1["history"].get_distribution(m=0, t=0)[0]
    s2 = settings(2)
    r2 = cal.calibrate(s2, tmp_path / "out", workers=2, resume=True)
    h = r2["history"]
    assert r2["resumed_from"] == 1 and h.max_t == 1
    pd.testing.assert_frame_equal(h.get_distribution(m=0, t=0)[0], first)  # generation 0 kept, not redone
    worlds = cal.export_worlds(h, s2, tmp_path / "w.parquet")
    back = cal.read_worlds(tmp_path / "w.parquet")
    assert back["weight"].sum() == pytest.approx(1)
    assert list(back.columns[1:3]) == ["voice_exponent", "pm_responsiveness"]
    lo, hi = s2.priors()["voice_exponent"]
    mean = float((worlds["voice_exponent"] * worlds["weight"]).sum())
    assert mean > (lo + hi) / 2, mean
    gens = cal.generations_table(h)
    # the resumed generation goes on from generation 0's median distance, not from initial_epsilon again
    assert list(gens["generation"]) == [0, 1] and gens["epsilon"].iloc[0] == 3.0
    assert gens["epsilon"].iloc[1] < 3.0


def test_calibrate_cli_bad_input_one_line_nothing_written(tmp_path, capsys):
    from consultsim.cli import main

    (tmp_path / "afile").write_text("x", encoding="utf-8")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "mine.txt").write_text("x", encoding="utf-8")
    cases = [
        (["--settings", str(tmp_path / "nope.toml")], "no such calibration settings file"),
        (["--out", str(tmp_path / "afile")], "not a folder"),
        (["--out", str(tmp_path / "fresh"), "--resume"], "no calibration.db to resume"),
        (["--out", str(tmp_path / "full")], "mine.txt"),
        (["--out", str(tmp_path / "fresh"), "--workers", "0"], "--workers"),
        (["--out", str(tmp_path / "fresh"), "--check-runs", "-1"], "--check-runs"),
    ]
    for argv, msg in cases:
        assert main(["calibrate", *argv]) == 2, argv
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and msg in err[0], (argv, err)
    assert not (tmp_path / "fresh").exists() and sorted(p.name for p in tmp_path.iterdir()) == ["afile", "full"]


@pytest.mark.slow
@pytest.mark.dask
def test_calibration_runs_on_a_local_dask_cluster(tmp_path):
    s = _settings(tmp_path, generations=1, population=4, households=80, steps=20)
    r = cal.calibrate(s, tmp_path / "out", workers=2, dask=True)
    assert r["history"].max_t == 0 and (tmp_path / "out" / cal.DB_NAME).is_file()


def test_compare_worlds_error_in_chinese(tmp_path, capsys):
    from consultsim.cli import main

    assert main(["compare", "baseline", "--worlds", str(tmp_path / "none.parquet"), "--lang", "zh",
                 "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "不是可用的世界文件" in err[0]


def test_a_run_that_raises_is_freed_too(monkeypatch):
    """``simulate`` frees its model when a run raises as well (a sweep worker goes on to its next run)."""
    import gc
    import weakref

    from consultsim.core.model import ConsultationModel
    from consultsim.running.runner import simulate

    built = []
    init, step = ConsultationModel.__init__, ConsultationModel.step

    def recording(self, *a, **kw):
        built.append(weakref.ref(self))
        init(self, *a, **kw)

    def failing(self):
        if self.steps >= 2:
            raise RuntimeError("injected")
        step(self)

    monkeypatch.setattr(ConsultationModel, "__init__", recording)
    monkeypatch.setattr(ConsultationModel, "step", failing)
    for seed in range(2):
        with pytest.raises(RuntimeError, match="injected"):
            simulate(None, seed=seed, steps=5, overrides={"n_residents": 60})
    gc.collect()
    assert len(built) == 2 and all(r() is None for r in built)
