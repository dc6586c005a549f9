"""The optimizer's curse in district allocate (issue 18; Smith & Winkler 2006): screening that does not
reward luck (shrinkage, size representatives) and honest selection (choose on selection seeds, decide on
hold-out seeds). The synthetic problems below know the true gains, so every claim is checked against them,
never against the code's own output."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim.analysis import allocation as al

COL = "implemented_per_year"


def _problem(truth_type: np.ndarray, types: list[int], cost_row: list[float]):
    n, k = len(types), truth_type.shape[1]
    communities = [SimpleNamespace(name=f"c{i}", type=f"t{types[i]}", households=100) for i in range(n)]
    bundles = [al.Bundle("none")] + [al.Bundle(f"b{j}") for j in range(1, k)]
    truth = truth_type[types]
    cost = np.tile(np.asarray(cost_row, dtype=float), (n, 1))
    return communities, bundles, truth, cost


def _screen(truth_type: np.ndarray, R: int, sd: float, rng) -> pd.DataFrame:
    """A screening's gain table: per type and bundle the mean of R paired replicate gains (truth + noise)."""
    rows = []
    for t in range(truth_type.shape[0]):
        for j in range(truth_type.shape[1]):
            d = truth_type[t, j] + (rng.normal(0, sd, R) if j else np.zeros(R))
            rows.append({"type": f"t{t}", "bundle": "none" if j == 0 else f"b{j}", "objective": "implemented",
                         "gain": d.mean(), "se": d.std(ddof=1) / np.sqrt(R)})
    return pd.DataFrame(rows)


def _simulate(allocs: dict, truth: np.ndarray, reps: int, sd: float, rng) -> pd.DataFrame:
    """District totals per replicate (rows) and allocation (columns), common random numbers: every
    allocation shares the seeds' community-level part; each (community, bundle) adds its own noise."""
    n, k = truth.shape
    base = rng.normal(10, 2, (reps, n))
    eps = rng.normal(0, sd, (reps, n, k))
    y = base[:, :, None] + truth[None] + eps
    return pd.DataFrame({name: y[:, np.arange(n), a].sum(axis=1) for name, a in allocs.items()})


def _pipeline(truth_type, types, cost_row, budget, rng, R=10, S=8, V=8, sd=1.0):
    """The command's steps on a synthetic response: screen, candidates, rules, choose, hold-out, decide."""
    communities, bundles, truth, cost = _problem(truth_type, types, cost_row)
    g = _screen(truth_type, R, sd, rng)
    opts, _ = al.candidates(g, communities, bundles, "implemented", 100 * len(types), cost, budget)
    order = list(np.argsort(cost.mean(axis=0), kind="stable"))
    rules = {"equal_split": al.equal_split(cost, budget, order),
             "worst_first": al.worst_first(cost, budget, rng.random(len(types)), 2),
             "cheapest_first": al.cheapest_first(cost, budget)}
    allocs = {**opts, **rules}
    sel = _simulate(allocs, truth, S, sd, rng)
    best_opt, best_rule = al.choose(sel, list(opts), list(rules), "implemented")
    hold = _simulate(allocs, truth, V, sd, rng)
    pn = al.paired_intervals({COL: hold}, list(allocs), best_rule)
    rec, diff = al.decide(pn, best_opt, best_rule, "implemented")
    true = {n: float(truth[np.arange(len(a)), a].sum()) for n, a in allocs.items()}
    return rec, diff, true, opts, rules, g, communities, bundles


@pytest.mark.slow  # 3.3 s at a load of 2 (30 synthetic streets, 3 milp each)
def test_equal_bundles_plus_noise_the_selection_does_not_claim_a_gain_on_the_hold_out():
    """Every bundle gains the same (0.3 a year) and costs differ: no allocation that funds as many
    communities beats cheapest-first, so a recommended optimised allocation would be a claim noise made.
    Over 30 synthetic streets the hold-out lets at most a few (a 95% interval's error rate) through,
    and never one whose true gain is below the rule's."""
    rng = np.random.default_rng(18)
    truth_type = np.array([[0.0, 0.3, 0.3, 0.3]] * 3)
    types = [0, 0, 0, 1, 1, 1, 2, 2]
    claims = 0
    for _ in range(30):
        rec, (m, lo, hi), true, opts, rules, *_ = _pipeline(truth_type, types, [0, 1, 2, 3], 8.0, rng)
        if rec in opts:
            claims += 1
            assert true[rec] >= max(true[r] for r in rules) - 1e-9
    assert claims <= 3


@pytest.mark.slow  # 1.9 s at a load of 2, more on a crowded machine
def test_a_real_gain_the_rules_miss_is_found_and_recommended():
    """Type 0's communities gain 3 works a year from the dearest bundle, which none of the simple rules
    buys them (equal split's share does not reach it, worst-first gives bundle 2, cheapest-first runs out
    first); the optimised allocation buys it and the hold-out confirms it in nearly every street."""
    rng = np.random.default_rng(7)
    truth_type = np.array([[0.0, 0.2, 0.2, 3.0], [0.0, 0.2, 0.2, 0.2], [0.0, 0.2, 0.2, 0.2]])
    types = [0, 0, 0, 1, 1, 1, 2, 2]
    found = 0
    for _ in range(20):
        rec, (m, lo, hi), true, opts, rules, *_ = _pipeline(truth_type, types, [0, 1, 2, 3], 10.0, rng)
        if rec in opts:
            found += 1
            assert lo > 0 and true[rec] > max(true[r] for r in rules)
    assert found >= 18


def test_shrinkage_takes_the_luck_out_of_the_chosen_allocation():
    """The optimizer's curse: the allocation chosen on raw screened gains predicts more than it truly
    gains (on average over streets); chosen on the empirical-Bayes gains the excess is smaller."""
    rng = np.random.default_rng(3)
    truth_type = np.array([[0.0, 0.3, 0.5, 0.4], [0.0, 0.3, 0.4, 0.5], [0.0, 0.5, 0.3, 0.4]])
    types = [0, 0, 0, 1, 1, 1, 2, 2]
    excess = {0.0: [], 1.0: []}
    for _ in range(25):
        communities, bundles, truth, cost = _problem(truth_type, types, [0, 1, 1, 1])
        g = _screen(truth_type, 10, 1.0, rng)
        for s in excess:
            v = al._value(al.shrink(g, s), communities, bundles, "implemented", 800)
            a = al.optimise(v, cost, 8.0)
            excess[s].append(v[np.arange(8), a].sum() - truth[np.arange(8), a].sum())
    assert np.mean(excess[0.0]) > 0.5  # the curse is there: the raw pick over-promises
    assert np.mean(excess[1.0]) < 0.5 * np.mean(excess[0.0])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(-3, 3), st.floats(0.01, 2)), min_size=6, max_size=6),
       st.floats(0.0, 5.0))
def test_shrunk_gains_lie_between_the_raw_gain_and_its_bundle_mean(gs, strength):
    """A shrunk gain lies between the raw gain and its prior (the bundle's precision-weighted mean), its
    factor B is in [0, 1] and grows with its noise within a bundle, and strength 0 changes nothing."""
    rows = [{"type": f"t{i % 3}", "bundle": f"b{i // 3}", "objective": "implemented", "gain": x, "se": se}
            for i, (x, se) in enumerate(gs)]
    g = pd.DataFrame(rows)
    s = al.shrink(g, strength)
    lo = np.minimum(s["gain_raw"], s["prior"]) - 1e-9
    hi = np.maximum(s["gain_raw"], s["prior"]) + 1e-9
    assert ((s["gain"] >= lo) & (s["gain"] <= hi)).all()
    assert ((s["shrinkage"] >= 0) & (s["shrinkage"] <= 1)).all()
    for _, part in s.groupby("bundle"):
        p = part.sort_values("se")
        assert (np.diff(p["shrinkage"].to_numpy()) >= -1e-12).all()
    assert np.allclose(al.shrink(g, 0.0)["gain"], g["gain"])


def test_equal_gains_within_noise_shrink_fully_and_real_differences_survive():
    """Gains that differ no more than their standard errors move (nearly) to their bundle's mean; gains
    that differ by many standard errors keep most of their difference."""
    noise = pd.DataFrame({"type": ["a", "b", "c", "d"], "bundle": "x", "objective": "implemented",
                          "gain": [0.1, -0.1, 0.05, -0.05], "se": 0.3})
    s = al.shrink(noise, 1.0)
    assert (s["shrinkage"] == 1.0).all() and np.allclose(s["gain"], s["gain"].iloc[0])
    real = noise.assign(gain=[2.0, -2.0, 1.0, -1.0], se=0.05)
    s = al.shrink(real, 1.0)
    assert (s["shrinkage"] < 0.01).all() and np.allclose(s["gain"], real["gain"], atol=0.02)


def test_representatives_follow_the_sizes_and_weights_interpolate():
    """A type whose sizes span more than 1.5x gets a small and a large representative; each community's
    weights sum to one, sit on its type's representatives, and interpolate in households."""
    cs = [SimpleNamespace(name=n, type=t, households=h, owners_committee=o) for n, t, h, o in
          [("a", "x", 1000, False), ("b", "x", 2000, True), ("c", "x", 3000, True), ("d", "x", 4000, True),
           ("e", "y", 1000, False), ("f", "y", 1200, False)]]
    reps = al.representatives(cs)
    xs = sorted(r["households"] for r in reps if r["type"] == "x")
    assert xs == [1750, 3250] and [r["households"] for r in reps if r["type"] == "y"] == [1100]
    assert all(r["owners_committee"] for r in reps if r["type"] == "x")
    assert not any(r["owners_committee"] for r in reps if r["type"] == "y")
    w = al.rep_weights(cs, reps)
    for c in cs:
        assert abs(sum(w[c.name].values()) - 1) < 1e-12
        assert all(r.startswith(c.type) for r in w[c.name])
    assert w["a"] == {"x@1750": 1.0} and w["d"] == {"x@3250": 1.0}
    assert w["b"] == pytest.approx({"x@1750": 0.8333333, "x@3250": 0.1666667})
    # the community's gain read through the weights: linear in households between the representatives
    gt = pd.DataFrame({"type": ["x@1750", "x@3250", "y"], "bundle": "b1", "objective": "implemented",
                       "gain": [1.0, 4.0, 0.5]})
    v = al._value(gt, cs, [al.Bundle("none"), al.Bundle("b1")], "implemented", 12200, w)
    assert v[:, 1] == pytest.approx([1.0, 1.5, 3.5, 4.0, 0.5, 0.5])


def test_full_pooling_pools_the_types_not_the_bundles():
    """The pooled candidate gives every type its bundle's pooled gain; bundles that differ clearly keep
    their difference (a street office buys bundles, so erasing their differences would buy the cheapest)."""
    g = pd.DataFrame({"type": ["a", "b", "c"] * 2, "bundle": ["cheap"] * 3 + ["dear"] * 3, "objective": "implemented",
                      "gain": [0.0, 0.05, -0.05, 1.0, 1.1, 0.9], "se": 0.1})
    s = al.shrink(g, np.inf)
    assert (s["shrinkage"] == 1.0).all()
    cheap, dear = s[s["bundle"] == "cheap"]["gain"], s[s["bundle"] == "dear"]["gain"]
    assert np.ptp(cheap) < 1e-12 and np.ptp(dear) < 1e-12
    assert dear.iloc[0] - cheap.iloc[0] > 0.9
