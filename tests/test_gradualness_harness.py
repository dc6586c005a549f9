"""The lever grids of benchmarks/gradualness.py (issue 16): every numeric lever is on a grid over its
plausible range, with target outcomes the model reports, and the step limit on a grid of n values is
twice its even step (a quarter of the range on nine values)."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from consultsim.analysis.robustness import steps_beyond_noise
from consultsim.core.params import PARAM_INFO, levers
from consultsim.core.topics import CATALOG

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("gradualness", ROOT / "benchmarks" / "gradualness.py")
G = importlib.util.module_from_spec(spec)
spec.loader.exec_module(G)


def _is_switch(name: str) -> bool:
    t = PARAM_INFO[name].type
    return (t if isinstance(t, str) else t.__name__) == "bool"


def test_every_numeric_lever_has_a_grid_and_targets_and_no_switch_does():
    numeric = {n for ns in levers().values() for n in ns if not _is_switch(n)}
    g = G.grids()
    assert numeric <= set(g), f"levers without a grid: {numeric - set(g)}"
    assert not {n for ns in levers().values() for n in ns if _is_switch(n)} & set(g)
    assert set(g) <= set(G.POOLED), "a grid without target outcomes"


@pytest.mark.parametrize("name", [n for ns in levers().values() for n in ns if not _is_switch(n)])
def test_grids_span_the_plausible_range(name):
    lo, hi = PARAM_INFO[name].metadata["plausible"]
    vals = G.grid(name)
    assert vals[0] == lo and vals[-1] == hi and vals == sorted(set(vals))
    integer = isinstance(vals[0], int)
    # nine values, or every integer of a range holding fewer
    assert len(vals) == 9 or (integer and vals == list(range(int(lo), int(hi) + 1)))


def test_the_step_limit_is_twice_the_even_step():
    assert G.step_limit(9) == pytest.approx(0.25)
    assert G.step_limit(5) == pytest.approx(0.5)
    assert G.step_limit(7) == pytest.approx(1 / 3)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.05, 1.0), min_size=4, max_size=4).filter(lambda d: max(d) >= 1.2 * min(d)),
       st.integers(0, 2**31))
def test_on_five_values_the_quarter_fails_every_bent_response_and_the_scaled_limit_does_not(steps, seed):
    """Why the limit scales: with four steps the largest is at least their mean, a quarter of the range,
    so measured precisely any response that is not a straight line fails the literal quarter; twice the
    even step fails only a step more than twice the mean step."""
    assume(abs(max(steps) - 0.5 * sum(steps)) > 0.01)  # not on the limit itself, where noise decides
    rng = np.random.default_rng(seed)
    y = np.cumsum([0.0, *steps])[:, None] + rng.normal(0, 1e-4, (5, 20))  # paired seeds, tiny noise
    assert not steps_beyond_noise(y, limit=0.25).ok
    assert steps_beyond_noise(y, limit=G.step_limit(5)).ok == (max(steps) < 0.5 * sum(steps))


def test_a_run_reports_every_target_outcome():
    _, _, _, out = G.one(("public_subsidy", 0.3, 1, 200, 30))
    for lever in G.POOLED:
        for o in (*G.outcomes(lever), *G.COSTS.get(lever, ())):
            assert o in out, f"{lever}: {o} is not reported"
    assert all(f"completed:{t}" in out and f"funded:{t}" in out for t in CATALOG)
    assert out["completed:elevator"] <= out["funded:elevator"] <= out["approved:elevator"]
    # per-type counts are always defined (rates may be undefined, NaN, in a short run with nothing settled)
    assert all(math.isfinite(v) and v >= 0 and v == int(v) for k, v in out.items() if ":" in k)


def test_an_unknown_lever_is_one_clear_line_and_exit_2(capsys):
    assert G.main(["--levers", "no_such_lever"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no_such_lever" in err[0]


def test_a_cost_is_reported_and_not_judged_as_a_target():
    """Issue 16: committee hours are what the cadence costs (and points paid what the budget costs); a
    cost is not among the outcomes the step rule judges."""
    assert "committee_meeting_hours" in G.COSTS["meeting_cadence_weeks"]
    for lever, cs in G.COSTS.items():
        assert not set(cs) & set(G.outcomes(lever)), lever


def test_a_grid_option_replaces_the_plausible_grid_and_bad_grids_are_one_line_and_exit_2(capsys):
    assert G.parse_grid("social_workers=0:8") == ("social_workers", list(range(9)))
    assert G.parse_grid("supervision=0,0.5,1") == ("supervision", [0.0, 0.5, 1.0])
    for bad in ("social_workers=0:100000", "no_such=0:1", "supervision=1,0", "social_workers"):
        assert G.main(["--grid", bad, "--levers", "social_workers"]) == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and bad in err[0]
