"""District allocation across calibrated worlds (issue 18, part 4): worlds in the runs, the robust optimum."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim.analysis.allocation import optimise, worst_share_mean
from consultsim.cli import main
from consultsim.running.district_runs import Package, _fingerprint, specs
from consultsim.running.districts import Community, District, load_types

TYPES = load_types()


def two(seed=7) -> District:
    cs = (Community("a", "danwei", 120, 2, {}, 0), Community("b", "hutong", 120, 4, {"b0": -2.7}, 1))
    return District("two", cs, TYPES, seed, 0.0, 3)


# ---------------------------------------------------------------- worlds in the runs
def test_each_replicate_runs_in_its_world_under_the_type_and_the_community():
    d = two()
    worlds = [{"b0": -2.8, "pm_responsiveness": 0.25}, {"b0": -2.3, "pm_responsiveness": 0.35}]
    pk = [Package("none", {}), Package("sup", {"supervision": 1.0})]
    got = specs(d, pk, 3, 1, replicates=3, worlds=worlds)
    assert len(got) == 2 * 2 * 3
    for package, community, _, _, _seed, ov, _, _, r in got:
        world = worlds[r % 2]
        # the world replaces the baseline defaults; the type's own value and the community's own override win
        if community == "a":
            assert ov["b0"] == world["b0"]
            assert ov["pm_responsiveness"] == TYPES["danwei"].overrides["pm_responsiveness"] != world["pm_responsiveness"]
        else:
            assert ov["b0"] == -2.7
            assert ov["pm_responsiveness"] == world["pm_responsiveness"]  # hutong sets none (it has no PM)
        assert (package == "sup") == ("supervision" in ov)
    # the same seed and world for a replicate under every package (common random numbers, common worlds)
    by = {(s[0], s[1], s[8]): (s[4], s[5].get("b0")) for s in got}
    for c, r in itertools.product("ab", range(3)):
        assert by[("none", c, r)] == by[("sup", c, r)]
    # without worlds nothing changes: the same specs and the same fingerprint as before worlds existed
    assert specs(d, pk, 3, 1, replicates=3) == specs(d, pk, 3, 1, replicates=3, worlds=None)
    assert _fingerprint(d, pk, 3, 1, 3) == _fingerprint(d, pk, 3, 1, 3, None)
    assert _fingerprint(d, pk, 3, 1, 3) != _fingerprint(d, pk, 3, 1, 3, worlds)


# ---------------------------------------------------------------- the robust optimum
def test_worst_share_mean_by_hand():
    assert worst_share_mean(np.arange(1.0, 11.0), 0.1) == pytest.approx(1.0)
    assert worst_share_mean([4.0, 1.0, 3.0, 2.0], 0.25) == pytest.approx(1.0)
    assert worst_share_mean(np.arange(1.0, 11.0), 0.15) == pytest.approx((1 + 0.5 * 2) / 1.5)
    assert worst_share_mean([5.0, -1.0], 1.0) == pytest.approx(2.0)  # the whole share: the mean


def test_robust_and_expected_choose_differently_where_they_should():
    # one community, bundles: none, A (+10 in world 1, -5 in world 2: mean 2.5), B (+2 in both: mean 2)
    value = np.array([[[0.0, 10.0, 2.0]], [[0.0, -5.0, 2.0]]])
    cost = np.array([[0.0, 1.0, 1.0]])
    assert optimise(value, cost, 10.0)[0] == 1              # the expected gain: A
    assert optimise(value, cost, 10.0, robust=0.5)[0] == 2  # the worse of the two worlds: B
    assert optimise(value, cost, 10.0, robust=1.0)[0] == 1  # all the worlds: the mean again
    with pytest.raises(ValueError):
        optimise(value, cost, 10.0, robust=0.0)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 2**31 - 1), st.sampled_from([0.1, 0.25, 0.5]), st.floats(0.0, 0.6))
def test_robust_optimum_is_the_best_worst_share_within_budget_floor_and_staff(seed, alpha, floor):
    rng = np.random.default_rng(seed)
    W, n, k = 6, 3, 3
    value = np.concatenate([np.zeros((W, n, 1)), rng.normal(0.5, 1.0, (W, n, k - 1))], axis=2)
    cost = np.c_[np.zeros(n), rng.uniform(10, 50, (n, k - 1))]
    budget = float(rng.uniform(30, 120))
    staff = np.tile([0.0, 0.5, 1.0], (n, 1))
    kw = {"staff": staff, "staff_limit": 1.5}

    def ok(a):
        spent = cost[np.arange(n), a]
        return (spent.sum() <= budget + 1e-6 and (spent >= floor * budget / n - 1e-6).all()
                and staff[np.arange(n), a].sum() <= 1.5 + 1e-9)

    def totals(a):
        return value[:, np.arange(n), a].sum(axis=1)  # one total per world

    feasible = [np.array(p) for p in itertools.product(range(k), repeat=n) if ok(np.array(p))]
    if not feasible:
        with pytest.raises(ValueError):
            optimise(value, cost, budget, floor, robust=alpha, **kw)
        return
    robust = optimise(value, cost, budget, floor, robust=alpha, **kw)
    expected = optimise(value, cost, budget, floor, **kw)
    assert ok(robust) and ok(expected)
    best_worst = max(worst_share_mean(totals(a), alpha) for a in feasible)
    best_mean = max(totals(a).mean() for a in feasible)
    assert worst_share_mean(totals(robust), alpha) == pytest.approx(best_worst, abs=1e-6)
    assert totals(expected).mean() == pytest.approx(best_mean, abs=1e-6)
    # each is at least as good as the other on its own criterion
    assert worst_share_mean(totals(robust), alpha) >= worst_share_mean(totals(expected), alpha) - 1e-6
    assert totals(expected).mean() >= totals(robust).mean() - 1e-6


# ---------------------------------------------------------------- the command
def _street(tmp_path):
    f = tmp_path / "s.toml"
    rows = "".join(f'[[community]]\nname="c{i}"\ntype="{t}"\nhouseholds={300 + 50 * i}\n'
                   for i, t in enumerate(["danwei", "commercial", "hutong"]))
    f.write_text(f'name="s"\nseed=3\nbudget=400000\n{rows}', encoding="utf-8")
    return f


def _worlds_file(path, **extra):
    df = pd.DataFrame({"particle": [0, 1, 2], "b0": [-2.85, -2.55, -2.25], "pm_responsiveness": [0.24, 0.30, 0.36],
                       "abandon_hazard": [0.03, 0.05, 0.07], "weight": [0.5, 0.3, 0.2], **extra})
    df.to_parquet(path, index=False)
    return path


@pytest.mark.parametrize("extra,opts,needle_en,needle_zh", [
    ({}, ["--robust", "0.1"], "--robust needs --worlds-file", "--robust 需要同时给出 --worlds-file"),
    ({}, ["--worlds-file", "W", "--robust", "0"], "--robust 0.0: the worst share", "最差世界所占比例"),
    ({"supervision": [0.0, 1.0, 1.0]}, ["--worlds-file", "W"], "is a lever", "不是可用的世界文件"),
    ({}, ["--worlds-file", "missing.parquet"], "not found", "不是可用的世界文件"),
])
def test_bad_worlds_options_get_one_line_in_en_and_zh_and_write_nothing(tmp_path, capsys, extra, opts, needle_en,
                                                                        needle_zh):
    f = _street(tmp_path)
    w = _worlds_file(tmp_path / "w.parquet", **extra)
    opts = [str(w) if o == "W" else str(tmp_path / o) if o.endswith(".parquet") else o for o in opts]
    for lang, needle in (("en", needle_en), ("zh", needle_zh)):
        out = tmp_path / f"out-{lang}"
        assert main(["district", "allocate", str(f), "--out", str(out), "--no-progress", "--lang", lang,
                     *opts]) == 2
        err = capsys.readouterr().err.strip()
        assert needle in err and len(err.splitlines()) == 1, err
        assert not out.exists()


@pytest.mark.slow  # about 30 s: screening, selection and hold-out runs of 26 weeks
def test_allocate_across_worlds_reports_the_spread_over_worlds(tmp_path):
    f = _street(tmp_path)
    w = _worlds_file(tmp_path / "w.parquet")
    out = tmp_path / "alloc"
    assert main(["district", "allocate", str(f), "--steps", "26", "--out", str(out), "--executor", "serial",
                 "--replicates", "3", "--select-replicates", "2", "--verify-replicates", "2", "--no-progress",
                 "--lang", "zh", "--worlds-file", str(w), "--robust", "0.34"]) == 0
    worlds = pd.read_csv(out / "worlds.csv")
    assert list(worlds["phase"]) == ["screen"] * 3 + ["select"] * 2 + ["verify"] * 2
    particles = {tuple(r) for r in pd.read_parquet(w)[["b0", "pm_responsiveness", "abandon_hazard"]].to_numpy()}
    assert {tuple(r) for r in worlds[["b0", "pm_responsiveness", "abandon_hazard"]].to_numpy()} <= particles
    alloc = pd.read_csv(out / "allocation.csv")
    assert "worlds" in alloc.columns and alloc["cost"].sum() <= 400000
    ver = pd.read_csv(out / "verification.csv")
    assert {"worlds_p10_p90", "worst_decile"} <= set(ver.columns)
    paired = pd.read_csv(out / "paired.csv")
    assert paired["better_in_worlds"].str.fullmatch(r"[0-2]/2").all()
    gains = pd.read_csv(out / "gains.csv")
    # the spread over worlds is of the raw paired gains; "gain" is the shrunk estimate (allocation.shrink)
    assert (gains["q10"] <= gains["gain_raw"] + 1e-9).all() and (gains["gain_raw"] <= gains["q90"] + 1e-9).all()
    assert ((gains["shrinkage"] >= 0) & (gains["shrinkage"] <= 1)).all()
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "跨校准世界" in html and "w.parquet" in html and "最差 34% 世界" in html

