"""Issue 16's gradualness rule (benchmarks/gradualness.py): no step between neighbouring grid means
above a quarter of the whole range beyond twice the step's paired standard error."""

from __future__ import annotations

import numpy as np

from consultsim.analysis.robustness import steps_beyond_noise

GRID9 = np.linspace(0, 1, 9)


def _paired(curve, sd=0.01, seeds=20, seed=0):
    rng = np.random.default_rng(seed)
    seed_effect = rng.normal(0, 0.05, seeds)  # common random numbers: shared by every grid value
    return np.asarray(curve)[:, None] + seed_effect[None, :] + rng.normal(0, sd, (len(curve), seeds))


def test_a_step_function_fails_and_names_where():
    c = steps_beyond_noise(_paired(np.where(GRID9 > 0.5, 1.0, 0.0)))
    assert not c.ok and c.at == 4 and c.step > 0.9 and c.whole_range > 0.9


def test_smooth_and_saturating_curves_pass():
    assert steps_beyond_noise(_paired(GRID9)).ok
    assert steps_beyond_noise(_paired(1 - np.exp(-1.5 * GRID9))).ok  # concave: first step 22% of the range


def test_a_steep_step_within_noise_passes_but_not_when_the_noise_is_small():
    curve = np.r_[0.0, 0.4, np.linspace(0.45, 1.0, 7)]  # the first step is 40% of the range
    assert steps_beyond_noise(_paired(curve, sd=0.5)).ok       # twice its SE covers the excess
    assert not steps_beyond_noise(_paired(curve, sd=0.01)).ok  # measured precisely, it fails


def test_undefined_outcomes_pass_and_missing_seeds_are_skipped():
    assert steps_beyond_noise(np.full((9, 5), np.nan)).ok
    y = _paired(GRID9)
    y[3, :4] = np.nan
    assert steps_beyond_noise(y).ok
