"""The comparison engine: interval coverage, paired effects, common random numbers, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from consultsim.analysis.compare import end_values, paired_effects, summarize, t_interval, unique_labels
from consultsim.cli import main

DATA = __import__("pathlib").Path(__file__).parent / "data"


# ---- intervals: synthetic data with known mean and variance ----------------------------------

def test_t_interval_matches_textbook_formula():
    x = np.array([1.0, 2.0, 4.0, 7.0])
    m, lo, hi, n = t_interval(x)
    # mean 3.5, sd = sqrt(7), t_{0.975, 3} = 3.182446 (tables)
    half = 3.182446 * np.sqrt(7.0) / 2.0
    assert (m, n) == (3.5, 4)
    assert lo == pytest.approx(3.5 - half, rel=1e-6) and hi == pytest.approx(3.5 + half, rel=1e-6)


def test_t_interval_ignores_nan_and_handles_tiny_samples():
    assert t_interval([np.nan, 2.0, 4.0])[3] == 2
    m, lo, hi, n = t_interval([5.0])
    assert m == 5.0 and n == 1 and np.isnan(lo) and np.isnan(hi)
    m, lo, hi, n = t_interval([2.0, 2.0, 2.0])
    assert lo == hi == m == 2.0


def _synthetic_final(rng, n_runs, scen_means, sd_common, sd_own):
    """End-of-horizon values: a replicate effect shared by every scenario (as common random numbers
    induce) plus independent noise."""
    common = rng.normal(0, sd_common, n_runs)
    rows = []
    for sc, mu in scen_means.items():
        vals = mu + common + rng.normal(0, sd_own, n_runs)
        rows += [{"scenario": sc, "replicate": r, "participation_rate": v} for r, v in enumerate(vals)]
    return pd.DataFrame(rows)


def test_summary_intervals_cover_the_true_mean_at_the_nominal_rate():
    rng = np.random.default_rng(12345)
    trials, hits = 600, 0
    for _ in range(trials):
        final = _synthetic_final(rng, 8, {"a": 0.3}, 0.05, 0.05)
        s = summarize(final, ["participation_rate"]).iloc[0]
        hits += s["ci_low"] <= 0.3 <= s["ci_high"]
    # 95% nominal; a binomial(600, 0.95) count lies in [557, 583] with probability > 0.999
    assert 557 <= hits <= 583, hits


def test_paired_effect_intervals_cover_the_true_difference_and_are_narrower_than_unpaired():
    rng = np.random.default_rng(777)
    trials, hits, widths_paired, widths_unpaired = 600, 0, [], []
    for _ in range(trials):
        final = _synthetic_final(rng, 10, {"base": 0.3, "lever": 0.34}, 0.10, 0.02)
        e = paired_effects(final, "base", ["participation_rate"]).iloc[0]
        hits += e["ci_low"] <= 0.04 <= e["ci_high"]
        widths_paired.append(e["ci_high"] - e["ci_low"])
        a = final.loc[final.scenario == "lever", "participation_rate"].to_numpy()
        b = final.loc[final.scenario == "base", "participation_rate"].to_numpy()
        se = np.sqrt(a.var(ddof=1) / 10 + b.var(ddof=1) / 10)
        widths_unpaired.append(2 * stats.t.ppf(0.975, 18) * se)
    assert 557 <= hits <= 583, hits
    # the shared replicate effect (sd 0.10) cancels in paired differences (noise sd 0.02 * sqrt 2)
    assert np.median(widths_paired) < 0.4 * np.median(widths_unpaired)


def test_paired_effects_of_identical_values_are_exactly_zero():
    rng = np.random.default_rng(3)
    vals = rng.normal(0.2, 0.05, 6)
    final = pd.DataFrame({"scenario": ["x"] * 6 + ["y"] * 6, "replicate": list(range(6)) * 2,
                          "participation_rate": np.r_[vals, vals]})
    e = paired_effects(final, "x", ["participation_rate"]).iloc[0]
    assert (e["diff"], e["ci_low"], e["ci_high"], e["n"]) == (0.0, 0.0, 0.0, 6)


def test_end_values_average_weekly_metrics_over_the_final_window():
    steps = np.arange(0, 11)
    ts = pd.DataFrame({"scenario": "a", "replicate": 0, "step": steps,
                       "attendance_rate": np.where(steps % 2 == 0, 0.0, 0.1),
                       "participation_rate": steps / 100})
    out = end_values(ts, ["attendance_rate", "participation_rate"], window={"attendance_rate": 4})
    # steps 7..10: 0.1, 0, 0.1, 0 -> mean 0.05; participation at the last step 10 -> 0.10
    assert out.loc[0, "attendance_rate"] == pytest.approx(0.05)
    assert out.loc[0, "participation_rate"] == pytest.approx(0.10)


def test_unique_labels():
    assert unique_labels(["baseline", "policy", "baseline"]) == ["baseline", "policy", "baseline (2)"]


# ---- bad input: exit 2, one line naming file and key, nothing written ------------------------

@pytest.mark.parametrize("args, needle", [
    ([], "no scenarios"),
    ([str(DATA / "does_not_exist.toml")], "does_not_exist.toml"),
    ([str(DATA / "loop_a.toml")], "inheritance loop"),
    ([str(DATA / "bad_unknown_key.toml")], "incentive_per_meting"),
    ([str(DATA / "bad_type.toml")], "supervision"),
    ([str(DATA / "bad_range.toml")], "social_workers"),
])
def test_bad_input_exits_2_with_one_line_and_writes_nothing(tmp_path, capsys, args, needle):
    out = tmp_path / "out"
    code = main(["compare", *args, "--out", str(out), "--replicates", "2", "--steps", "2", "--quiet"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and needle in err
    if args:
        assert args[0].split("/")[-1] in err  # names the file
    assert not out.exists()


def test_bad_option_values_exit_2(tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["compare", str(DATA / "bad_type.toml"), "--replicates", "1", "--out", str(out)]) == 2
    assert main(["validate", "--replicates", "1"]) == 2
    assert not out.exists()


# ---- common random numbers with the real model ------------------------------------------------

def test_identical_scenarios_have_exactly_zero_paired_differences():
    from consultsim.analysis.compare import run_comparison
    from consultsim.core.metric_names import METRICS

    comp = run_comparison([DATA / "small_baseline.toml", DATA / "small_baseline.toml"], replicates=3, steps=40,
                          seed=11, workers=1, progress=False)
    assert comp.labels == ["small_baseline", "small_baseline (2)"]
    eff = comp.effects()
    assert set(eff["metric"]) == set(METRICS)
    defined = eff.dropna(subset=["diff"])
    core = {"participation_rate", "meetings_held", "mean_trust_committee", "mean_efficacy", "topics_proposed"}
    assert core <= set(defined["metric"])
    # a metric undefined in some runs (weeks_to_completion before any completion) pairs fewer of them
    assert (defined.loc[defined["metric"].isin(core), "n"] == 3).all() and (defined["n"] >= 1).all()
    assert (defined["diff"] == 0).all() and (defined["ci_low"] == 0).all() and (defined["ci_high"] == 0).all()
    # replicate r of each scenario ran with the same seed, and the seeds differ across replicates
    seeds = comp.timeseries.groupby(["scenario", "replicate"])["seed"].first().unstack(0)
    assert (seeds.iloc[:, 0] == seeds.iloc[:, 1]).all() and seeds.iloc[:, 0].nunique() == 3


def test_process_pool_gives_the_same_tables_as_serial_runs():
    from consultsim.analysis.compare import run_comparison

    args = ([DATA / "small_baseline.toml", DATA / "small_policy.toml"],)
    kw = dict(replicates=2, steps=20, seed=4, progress=False)
    serial = run_comparison(*args, workers=1, **kw)
    pooled = run_comparison(*args, workers=2, **kw)
    pd.testing.assert_frame_equal(serial.timeseries, pooled.timeseries)
    pd.testing.assert_frame_equal(serial.effects(), pooled.effects())
