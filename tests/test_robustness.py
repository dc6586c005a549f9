"""The robustness checks of issue 8 part 4: Wilson and median intervals, the gradualness and
one-at-a-time arithmetic, and `consultsim robustness` end to end on a tiny configuration."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim.analysis.robustness import (
    GRID,
    TARGETS,
    gradualness,
    lever_overrides,
    median_interval,
    oat_elasticity,
    oat_value,
    robustness_brief,
    robustness_section,
    wilson,
    world_ranges,
)
from consultsim.cli import main
from consultsim.core.metric_names import METRICS
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO
from consultsim.running.scenarios import SCENARIO_DIR

# --- intervals against published values ---

@pytest.mark.parametrize("k,n,lo,hi", [
    # Newcombe (1998), Statistics in Medicine 17:857-872, Table II, method 3 (Wilson score, no correction)
    (81, 263, 0.2553, 0.3662), (15, 148, 0.0624, 0.1605), (0, 20, 0.0000, 0.1611), (1, 29, 0.0061, 0.1718)])
def test_wilson_interval_matches_newcombe_1998(k, n, lo, hi):
    a, b = wilson(k, n)
    assert a == pytest.approx(lo, abs=6e-5) and b == pytest.approx(hi, abs=6e-5)


@given(st.integers(1, 500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_wilson_interval_contains_the_estimate_and_stays_in_0_1(kn):
    k, n = kn
    lo, hi = wilson(k, n)
    assert 0 <= lo <= k / n <= hi <= 1


def test_median_interval_uses_the_order_statistics_of_conover():
    # n = 20 at 95%: ranks 6 and 15 (Conover 1999, Table A3: P(B(20, 1/2) <= 5) = 0.0207)
    med, lo, hi = median_interval(np.arange(1, 21)[::-1])
    assert (med, lo, hi) == (10.5, 6, 15)
    assert math.isnan(median_interval([1, 2, 3, 4, 5])[1])  # too few for 95%


# --- the gradualness check ---

GRID9 = np.linspace(0, 1, 9)


def _noisy(curve, reps=20, sd=0.01, seed=0):
    rng = np.random.default_rng(seed)
    # common random numbers: the replicate's noise is shared across grid values, plus a little of its own
    shared = rng.normal(0, sd, reps)
    return curve[:, None] + shared[None, :] + rng.normal(0, sd / 3, (curve.size, reps))


def test_gradualness_flags_a_step_function():
    step = np.where(GRID9 >= 0.5, 0.6, 0.3)  # a knife edge at 0.5
    g = gradualness(_noisy(step))
    assert g.status == "fail" and g.ratio > 0.9 and g.at == 3 and g.clear


@pytest.mark.parametrize("curve", [0.3 + 0.3 * GRID9, 0.2 + 0.4 / (1 + np.exp(-4 * (GRID9 - 0.5))),
                                   0.5 - 0.2 * np.sqrt(GRID9 + 0.1)])
def test_gradualness_passes_smooth_responses(curve):
    g = gradualness(_noisy(curve))
    assert g.status == "pass" and g.ratio <= 0.25


def test_gradualness_calls_a_response_within_noise_flat():
    g = gradualness(_noisy(np.full(9, 0.4), sd=0.05))
    assert g.status == "flat"


@settings(max_examples=30, deadline=None)
@given(st.floats(0.05, 5), st.floats(-1, 1), st.integers(0, 10_000))
def test_any_linear_response_passes(slope, intercept, seed):
    g = gradualness(_noisy(intercept + slope * GRID9, sd=0.002 * slope, seed=seed))
    assert g.status == "pass" and g.ratio == pytest.approx(0.125, abs=0.05)


# --- the one-at-a-time arithmetic ---

def test_oat_elasticity_arithmetic():
    # the example: deadline_factor -20% halves implementation (32% -> 15%)
    e = oat_elasticity(2.0, 1.6, 0.32, 0.15)
    assert e["rel_param"] == pytest.approx(-0.2) and e["rel_outcome"] == pytest.approx(-0.53125)
    assert e["elasticity"] == pytest.approx(2.65625) and e["flagged"]
    e = oat_elasticity(2.0, 2.4, 0.32, 0.40)  # +25% outcome for +20% parameter: within twice
    assert e["elasticity"] == pytest.approx(1.25) and not e["flagged"]
    e = oat_elasticity(-2.7, -3.24, 0.06, 0.03)  # a negative default: changes relative to its size
    assert e["rel_param"] == pytest.approx(-0.2) and e["rel_outcome"] == pytest.approx(-0.5) and e["flagged"]


def test_oat_value_stays_in_the_allowed_range_and_rounds_integers():
    assert oat_value("deadline_factor", 1.1, 0.8) == 1.0  # lo = 1
    assert oat_value("majority", 0.9, 1.2) == 1.0          # hi = 1
    assert oat_value("rounds", 4, 1.2) == 5 and isinstance(oat_value("rounds", 4, 1.2), int)


def test_world_ranges_cover_uncertain_parameters_only():
    ranges, fallback = world_ranges()
    for name, (lo, hi, _integer) in ranges.items():
        m = PARAM_INFO[name].metadata
        assert m["section"] not in (*LEVER_SECTIONS, "community") and not m["descriptive"]
        assert lo < hi and (m["lo"] is None or m["lo"] <= lo and hi <= m["hi"])
    assert set(fallback) <= set(ranges)


# --- declarations ---

def test_every_shipped_lever_scenario_declares_its_targets():
    shipped = {p.stem for p in SCENARIO_DIR.glob("*.toml")} - {"baseline"}
    assert shipped == set(TARGETS)
    for targets in TARGETS.values():
        assert targets and set(targets) <= set(METRICS) and set(targets.values()) <= {-1, 1}


@pytest.mark.parametrize("lever", sorted(GRID))
def test_each_grid_is_the_lever_its_scenario_changes(lever):
    param, values = GRID[lever]
    assert param in lever_overrides(lever)
    assert PARAM_INFO[param].metadata["section"] in LEVER_SECTIONS
    if len(values) > 2:
        assert len(values) == 9 and np.allclose(np.diff(values), np.diff(values)[0])


# --- end to end ---

TINY = ["--households", "60", "--steps", "12", "--executor", "serial", "--no-progress"]


def test_robustness_command_end_to_end(tmp_path, capsys):
    out = tmp_path / "rb"
    args = ["robustness", "--levers", "supervision,online", "--worlds", "3", "--replicates", "2",
            "--out", str(out), *TINY]
    assert main(args) == 0
    s = pd.read_csv(out / "robustness.csv")
    assert list(s["lever"]) == ["supervision", "supervision", "online", "online"]
    assert (s["n_worlds"] <= 3).all() and s["share"].between(0, 1).all()
    assert (s["share_low"] <= s["share"]).all() and (s["share"] <= s["share_high"]).all()
    assert (s["holds"] + s["no_change"] <= s["n_worlds"]).all()
    w = pd.read_csv(out / "robustness_worlds.csv")
    assert len(w) == int(s["n_worlds"].sum())
    # holds = worlds whose mean effect has the predicted sign
    for r in s.itertuples():
        e = w[(w["lever"] == r.lever) & (w["target"] == r.target)]["effect"]
        assert r.holds == int((np.sign(e) == (1 if r.predicted == "+" else -1)).sum())
    meta = json.loads((out / "robustness.json").read_text())
    assert meta["worlds"] == 3 and meta["seconds"] > 0
    assert (out / "robustness.png").stat().st_size > 10_000
    assert "holds in" in (out / "robustness.md").read_text()
    # the report's short form
    rows = robustness_brief(out, ["online"])
    assert [r["lever"] for r in rows] == ["online", "online"]
    html_en, html_zh = robustness_section(["online"], out), robustness_section(["online"], out, "zh")
    assert "of worlds" in html_en and "世界" in html_zh
    assert robustness_section(["feedback"], out) == "" and robustness_brief(tmp_path / "none") == []
    # a result made by other code is not quoted as this model's
    made = (out / "robustness.json").read_bytes()
    meta["code"]["id"] = "0" * 16
    (out / "robustness.json").write_text(json.dumps(meta), encoding="utf-8")
    stale = robustness_section(["online"], out)
    assert "made by other code" in stale and "of worlds" not in stale
    # a file edited since the tool wrote it is no longer the tool's: --resume refuses to rewrite it (issue 21)
    assert main([*args, "--resume"]) == 2
    assert "did not write (robustness.json)" in capsys.readouterr().err
    (out / "robustness.json").write_bytes(made)
    capsys.readouterr()
    # nothing is overwritten silently; --resume continues (nothing left to run) and rewrites the tables
    assert main(args) == 2
    assert "already holds robustness.csv" in capsys.readouterr().err
    assert main([*args, "--resume"]) == 0
    pd.testing.assert_frame_equal(pd.read_csv(out / "robustness.csv"), s)


def test_grid_and_oat_end_to_end(tmp_path):
    out = tmp_path / "rb"
    assert main(["robustness", "--grid", "--oat", "--levers", "supervision,pm_contract", "--replicates", "2",
                 "--out", str(out), *TINY]) == 0
    g = pd.read_csv(out / "gradualness.csv")
    assert set(g["lever"]) == {"supervision", "pm_contract"}
    assert set(g.loc[g["lever"] == "pm_contract", "status"]) == {"switch"}
    assert set(g["status"]) <= {"pass", "fail", "flat", "undefined", "switch"}
    curve = pd.read_csv(out / "gradualness_curve.csv")
    assert len(curve[(curve["lever"] == "supervision")]) == 9 * len(TARGETS["supervision"])
    o = pd.read_csv(out / "oat.csv")
    ranges, _ = world_ranges()
    assert set(o["parameter"]) == set(ranges) and set(o["change"]) == {"-20%", "+20%"}
    assert (out / "gradualness.png").exists() and (out / "oat.md").exists()


@pytest.mark.parametrize("bad,msg", [(["--levers", "nope"], "unknown lever"), (["--worlds", "1"], "--worlds"),
                                     (["--grid", "--replicates", "1"], "at least 2")])
def test_bad_input_is_one_line_and_exit_2(tmp_path, capsys, bad, msg):
    assert main(["robustness", "--out", str(tmp_path / "x"), *bad, *TINY]) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_run_end_values_agree_with_the_comparison(tmp_path):
    from consultsim.analysis.compare import end_values
    from consultsim.analysis.robustness import run_end_values
    from consultsim.running.runner import simulate

    ts = simulate("baseline", seed=3, steps=70, overrides={"n_residents": 150}).timeseries
    ours = run_end_values(ts)
    theirs = end_values(ts.assign(scenario="s", replicate=0)).iloc[0]
    for m in METRICS:
        assert ours[m] == pytest.approx(float(theirs[m]), nan_ok=True), m


def test_oat_table_marks_only_changes_whose_whole_interval_is_beyond_the_limit():
    from consultsim.analysis.robustness import HEADLINE, summarize_oat

    rows = []
    for r in range(10):  # implementation moves -50% for deadline_factor -20%, participation by noise only
        base = {"participation_rate": 0.1 + 0.01 * (r % 3), "implementation_rate": 0.3,
                "mean_trust_committee": 0.5, "mean_efficacy": 0.3}
        rows.append({"run_id": 3 * r, "replicate": r, "step": 10, "_vary": "", "_factor": 0.8, "value": np.nan,
                     **base})
        rows.append({"run_id": 3 * r + 1, "replicate": r, "step": 10, "_vary": "deadline_factor", "_factor": 0.8,
                     "value": 1.6, **{**base, "implementation_rate": 0.15 + 0.001 * r,
                                      "participation_rate": base["participation_rate"] * (1.5 if r % 2 else 0.6)}})
    t = summarize_oat(pd.DataFrame(rows)).set_index("outcome")
    assert list(t.index) == list(HEADLINE)
    impl, part = t.loc["implementation_rate"], t.loc["participation_rate"]
    assert impl["flagged"] and impl["clear"] and impl["rel_param"] == pytest.approx(-0.2)
    assert impl["rel_outcome"] == pytest.approx((0.1545 - 0.3) / 0.3)
    assert not t.loc["mean_trust_committee", "flagged"]
    assert not part["clear"]  # +-50% noise around zero: not a clear move


def test_world_effects_are_paired_within_runs():
    from consultsim.analysis.robustness import summarize_worlds

    # world 0: seed 0 undefined in the lever arm only; the effect must use seed 1 alone (+0.1), not
    # the lever's seed 1 against the mean of both baseline seeds
    rows = [{"run_id": 0, "sample_id": 0, "replicate": 0, "step": 5, "baseline:implementation_rate": 0.0,
             "pm_contract:implementation_rate": np.nan},
            {"run_id": 1, "sample_id": 0, "replicate": 1, "step": 5, "baseline:implementation_rate": 0.4,
             "pm_contract:implementation_rate": 0.5}]
    s, e = summarize_worlds(pd.DataFrame(rows), ["pm_contract"])
    assert e["effect"].tolist() == pytest.approx([0.1]) and e["baseline"].tolist() == pytest.approx([0.4])
    assert s.loc[0, "holds"] == 1 and s.loc[0, "n_worlds"] == 1


# --- a user's own package (issue 19) ---

def test_a_packages_targets_come_from_the_levers_it_moves_with_their_direction():
    from consultsim.analysis.robustness import package_targets

    # the baseline has supervision 0 (shipped lever 0.6), feedback_transparency 0.2 (shipped 0.9),
    # meeting_cadence_weeks 4 (shipped 2: a faster cycle)
    assert package_targets({"supervision": 0.9}) == TARGETS["supervision"]
    assert package_targets({"feedback_transparency": 0.0}) == {"mean_trust_committee": -1}  # less: flipped
    assert package_targets({"meeting_cadence_weeks": 3}) == TARGETS["cadence"]  # fewer weeks, as shipped
    assert package_targets({"meeting_cadence_weeks": 6}) == {t: -s for t, s in TARGETS["cadence"].items()}
    # two levers agreeing on a target: kept once
    both = package_targets({"training_sessions_per_quarter": 6, "committee_facilitation_training": True})
    assert both["voice_concentration"] == -1 and both["mean_consensus"] == +1 and both["mean_capacity"] == +1
    # a lever no single-lever scenario moves predicts nothing
    assert package_targets({"leader_reach": 0.7}) == {}


def test_conflicting_predictions_are_left_out():
    from consultsim.analysis.robustness import package_targets

    # more supervision raises trust, less published feedback lowers it: no prediction for trust
    got = package_targets({"supervision": 0.8, "feedback_transparency": 0.0})
    assert got == {"implementation_rate": +1}


@pytest.mark.slow
def test_robustness_accepts_a_users_own_package_and_the_report_quotes_it(tmp_path, capsys):
    from consultsim.analysis.robustness import package_overrides, robustness_section
    from consultsim.running.scenarios import load_scenario

    mine = tmp_path / "mine.toml"
    mine.write_text('name = "mine"\nbase = "baseline"\n[community]\nn_residents = 800\n'
                    '[policy]\nsupervision = 0.8\n[practice]\nonline_channel = true\n', encoding="utf-8")
    out = tmp_path / "rb"
    assert main(["robustness", "--levers", f"{mine},supervision", "--worlds", "2", "--replicates", "1",
                 "--out", str(out), *TINY]) == 0
    err = capsys.readouterr().err
    assert "mine: your package" in err and "n_residents" in err  # what the check leaves out is said
    s = pd.read_csv(out / "robustness.csv")
    got = s[s["lever"] == "mine"].set_index("target")["predicted"].to_dict()
    assert got == {"implementation_rate": "+", "mean_trust_committee": "+", "participation_rate": "+",
                   "young_share_attendees": "+"}
    meta = json.loads((out / "robustness.json").read_text())
    assert meta["packages"]["mine"]["overrides"] == {"supervision": 0.8, "online_channel": True}
    # the report quotes it for the same package, and not for another package of the same name
    same, _ = package_overrides(load_scenario(mine))
    html_ = robustness_section(["mine"], out, packages={"mine": same})
    assert "mine: " in html_ and "your package" in html_ and "of worlds" in html_
    other = robustness_section(["mine"], out, packages={"mine": {"supervision": 0.2}})
    assert "another package of this name" in other and "of worlds" not in other
    zh = robustness_section(["mine"], out, lang="zh", packages={"mine": same})
    assert "自定方案" in zh


@pytest.mark.parametrize("text,msg", [("[community]\nn_residents = 800\n", "nothing to check"),
                                      ('name = "supervision"\n[policy]\nsupervision = 0.3\n', "shipped lever")])
def test_a_package_that_cannot_be_checked_is_one_line(tmp_path, capsys, text, msg):
    f = tmp_path / "p.toml"
    f.write_text(text, encoding="utf-8")
    assert main(["robustness", "--levers", str(f), "--out", str(tmp_path / "x"), *TINY]) == 2
    err = capsys.readouterr().err
    assert msg in err and err.count("\n") == 1
