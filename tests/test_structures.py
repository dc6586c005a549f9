"""Structural alternatives (issue 17, part 4): the meeting kernels, complaint curves and trust judgements
as scenario switches, and the robustness check that compares lever rankings across them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.robustness import STRUCTURES, structure_overrides, summarize_structures
from consultsim.core.kernels.deliberation import DEFFUANT_MU, meeting
from consultsim.core.params import ParamError, Params

KW = dict(rounds=1, epsilon=0.3, voice_exponent=1.0, facilitation=0.0, anchoring=0.0, informed_pull=0.0,
          informed_position=0.5)


def test_friedkin_johnsen_kernel_averages_every_view_by_voice():
    x = np.array([0.0, 0.2, 0.9, 1.0])
    cap = np.array([0.2, 0.4, 0.6, 0.8])
    r = meeting(x, x, cap, kernel="friedkin_johnsen", **KW)
    voice = cap / cap.sum()
    assert np.allclose(r.opinions, voice @ x)  # no confidence bound: the far views count too
    hk = meeting(x, x, cap, **KW)  # bounded confidence keeps the two camps apart
    assert hk.opinions[0] < 0.2 and hk.opinions[3] > 0.9


def test_friedkin_johnsen_kernel_keeps_anchoring():
    x = np.array([0.0, 1.0])
    r = meeting(x, x, np.array([0.5, 0.5]), kernel="friedkin_johnsen", **{**KW, "anchoring": 0.4})
    assert np.allclose(r.opinions, [0.4 * 0.0 + 0.6 * 0.5, 0.4 * 1.0 + 0.6 * 0.5])


def test_deffuant_kernel_meets_halfway_within_the_bound_and_keeps_the_mean():
    rng = np.random.default_rng(1)
    x = np.array([0.40, 0.50, 0.0, 1.0])
    r = meeting(x, x, np.full(4, 0.5), kernel="deffuant", rng=rng, **KW)
    assert r.opinions.mean() == pytest.approx(x.mean())
    moved = ~np.isclose(r.opinions, x)
    # only the close pair (0.40, 0.50) can move, and then to the same point at mu = 1/2
    assert not moved[2:].any()
    if moved.any():
        assert DEFFUANT_MU == 0.5 and np.allclose(r.opinions[:2], 0.45)
    with pytest.raises(ValueError, match="rng"):
        meeting(x, x, np.full(4, 0.5), kernel="deffuant", **KW)
    with pytest.raises(ValueError, match="kernel"):
        meeting(x, x, np.full(4, 0.5), kernel="nope", **KW)


def test_structural_switches_take_only_their_choices():
    with pytest.raises(ParamError, match="one of 'bounded_confidence'"):
        Params(meeting_kernel="degroot")
    with pytest.raises(ParamError, match="one of 'linear'"):
        Params(complaint_curve="quadratic")
    assert Params(trust_judges="outcomes_only").trust_judges == "outcomes_only"


def test_structures_are_sourced_valid_and_each_changes_a_run():
    from consultsim.running.runner import simulate

    names = [s.name for s in STRUCTURES]
    assert names[0] == "default" and not STRUCTURES[0].overrides and len(set(names)) == len(names)
    # published outcomes (a wide audience) and an early saturation, so that a short run has enough calls
    ctx = {"n_residents": 300, "feedback_transparency": 1.0, "complaint_saturation": 2.0}
    base = simulate("baseline", seed=4, steps=40, overrides=ctx).timeseries
    for st in STRUCTURES[1:]:
        assert st.source and st.overrides == structure_overrides(st.name)
        Params(**st.overrides)
        ts = simulate("baseline", seed=4, steps=40, overrides={**ctx, **st.overrides}).timeseries
        assert not ts.equals(base), st.name
    with pytest.raises(KeyError):
        structure_overrides("nope")


def _results(effects: dict[str, dict[str, list[float]]]) -> pd.DataFrame:
    """Tidy sweep results: per structure, replicate: baseline:m = 0 and lever:m = the given effects."""
    rows, run = [], 0
    for st, levs in effects.items():
        n = len(next(iter(levs.values())))
        for r in range(n):
            row = {"run_id": run, "step": 10, "_structure": st, "replicate": r, "baseline:m": 1.0}
            row.update({f"{lev}:m": 1.0 + v[r] for lev, v in levs.items()})
            rows.append(row)
            run += 1
    return pd.DataFrame(rows)


def test_summary_measures_ranking_agreement_and_sign_flips():
    same = {"a": [0.30, 0.32, 0.31], "b": [0.20, 0.21, 0.19], "c": [0.10, 0.11, 0.09]}
    rev = {"a": [-0.10, -0.11, -0.09], "b": [0.20, 0.21, 0.19], "c": [0.30, 0.32, 0.31]}
    res = _results({"default": same, "alt": rev, "copy": same})
    eff, ranks = summarize_structures(res, ["a", "b", "c"], ["default", "alt", "copy"], outcomes=["m"])
    tau = ranks.set_index("structure")["kendall_tau"]
    assert tau["default"] == pytest.approx(1) and tau["copy"] == pytest.approx(1)
    assert tau["alt"] == pytest.approx(-1)
    assert ranks.set_index("structure").loc["alt", "first"] == "c"
    flips = eff[eff["sign_flips"]]
    assert list(zip(flips["structure"], flips["lever"])) == [("alt", "a")]
