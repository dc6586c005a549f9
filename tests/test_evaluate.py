"""``consultsim.evaluate``: ConsultSim as a plain function, fed what samplers produce (issue 11), and the
documented recipes for SALib, EMA Workbench and mesa.batch_run (docs/scaling.md)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import consultsim
from consultsim import ConsultationModel, ParamError
from consultsim.running.evaluate import sampler_value
from consultsim.running.scenarios import resolve_scenario

SMALL = {"n_residents": 150, "n_buildings": 3}
OUT = ["participation_rate", "implemented", "young_share_attendees"]


def test_same_numbers_as_the_model_run_by_hand():
    m = ConsultationModel(resolve_scenario("baseline"), rng=7, **SMALL, incentive_per_meeting=20)
    for _ in range(10):
        m.step()
    ts = m.timeseries()
    got = consultsim.evaluate({**SMALL, "incentive_per_meeting": 20}, seed=7, steps=10, outcomes=OUT)
    assert got["participation_rate"] == ts["participation_rate"].iloc[-1]
    assert got["implemented"] == ts["implemented"].iloc[-1]
    at = consultsim.evaluate({**SMALL, "incentive_per_meeting": 20}, seed=7, steps=10, outcomes=OUT, week=4)
    assert at["participation_rate"] == ts.loc[ts["step"] == 4, "participation_rate"].item()
    mean = consultsim.evaluate({**SMALL, "incentive_per_meeting": 20}, seed=7, steps=10, outcomes=OUT,
                               window=(2, 10))
    window = ts[(ts["step"] >= 2) & (ts["step"] <= 10)]
    assert math.isclose(mean["participation_rate"], window["participation_rate"].mean())
    y = window["young_share_attendees"].dropna()  # undefined weeks are left out of the mean
    assert (math.isnan(mean["young_share_attendees"]) if y.empty
            else math.isclose(mean["young_share_attendees"], y.mean()))


def test_what_samplers_produce_is_accepted_by_the_documented_rules():
    assert sampler_value("social_workers", 2.37) == 2 and sampler_value("social_workers", 2.5) == 3
    assert sampler_value("social_workers", np.float64(0.49)) == 0
    assert sampler_value("social_workers", 0.49999999999999994) == 0  # where floor(x + 0.5) would give 1
    assert sampler_value("online_channel", np.bool_(True)) is True
    assert sampler_value("online_channel", 0.7) is True and sampler_value("online_channel", 0.2) is False
    assert type(sampler_value("incentive_per_meeting", np.float32(2.5))) is float
    a = consultsim.evaluate({**SMALL, "social_workers": np.float64(1.6), "online_channel": np.bool_(True),
                             "n_residents": np.int64(150)}, seed=np.int64(3), steps=6, outcomes=OUT)
    b = consultsim.evaluate({**SMALL, "social_workers": 2, "online_channel": True}, seed=3, steps=6, outcomes=OUT)
    assert a == pytest.approx(b, nan_ok=True)
    for bad in ({"social_workers": -1.0}, {"online_channel": 3.0}, {"no_such_lever": 1}):
        with pytest.raises((ParamError, consultsim.ScenarioError)):
            consultsim.evaluate({**SMALL, **bad}, seed=1, steps=2)
    with pytest.raises(ParamError, match="seed"):
        consultsim.evaluate(SMALL, seed=1.5, steps=2)
    with pytest.raises(ParamError, match="unknown outcome"):
        consultsim.evaluate(SMALL, seed=1, steps=2, outcomes=["participaton_rate"])


@given(st.floats(min_value=0.0, max_value=1000.0), st.floats(min_value=0.0, max_value=1.0))
def test_sampler_rounding_rule_holds_for_any_value(x, u):
    n = sampler_value("social_workers", x)
    assert type(n) is int and abs(n - x) <= 0.5
    assert n - x < 0.5 or n - x == 0.5 and (x * 2).is_integer()  # halves go up, nothing else rounds up by 0.5
    assert sampler_value("social_workers", np.float64(x)) == n
    assert sampler_value("online_channel", u) is (u >= 0.5)


def test_salib_recipe():
    from SALib.analyze import sobol
    from SALib.sample import sobol as sobol_sample

    problem = {"num_vars": 2, "names": ["social_workers", "awareness_campaign"], "bounds": [[0, 4], [0, 1]]}
    X = sobol_sample.sample(problem, 4, calc_second_order=False, seed=1)  # floats, also for social_workers
    Y = np.array([consultsim.evaluate({**SMALL, **dict(zip(problem["names"], x))}, seed=1, steps=20,
                                      outcomes=["participation_rate"])["participation_rate"] for x in X])
    assert Y.shape == (len(X),) and np.isfinite(Y).all() and Y.std() > 0
    Si = sobol.analyze(problem, Y, calc_second_order=False, seed=1)
    assert np.isfinite(Si["ST"]).all() and len(Si["ST"]) == 2


def test_ema_workbench_recipe():
    ema = pytest.importorskip("ema_workbench", reason="EMA Workbench is the optional extra consultsim[ema]")
    from ema_workbench import (
        BooleanParameter,
        IntegerParameter,
        Model,
        RealParameter,
        ScalarOutcome,
        SequentialEvaluator,
    )


    def consult(seed=1, **params):
        return consultsim.evaluate({**SMALL, **params}, seed=seed, steps=8,
                                   outcomes=["participation_rate", "implemented"])

    model = Model("consultsim", function=consult)
    model.levers = [IntegerParameter("social_workers", 0, 4), BooleanParameter("online_channel")]
    model.uncertainties = [RealParameter("b0", -4.0, -1.5), IntegerParameter("seed", 0, 1000)]
    model.outcomes = [ScalarOutcome("participation_rate"), ScalarOutcome("implemented")]
    with SequentialEvaluator(model) as evaluator:
        experiments, outcomes = evaluator.perform_experiments(scenarios=3, policies=2)
    assert len(experiments) == 6 and outcomes["participation_rate"].shape == (6,)
    assert np.isfinite(outcomes["participation_rate"]).all()
    assert ema.__version__


def test_mesa_batch_run_recipe():
    import mesa

    rows = mesa.batch_run(ConsultationModel, parameters={**SMALL, "rng": [1, 2], "incentive_per_meeting": [0, 20]},
                          max_steps=6, number_processes=1, data_collection_period=-1,
                          display_progress=False)
    assert len(rows) == 4 and {r["incentive_per_meeting"] for r in rows} == {0, 20}
    one = next(r for r in rows if r["rng"] == 2 and r["incentive_per_meeting"] == 20)
    same = consultsim.evaluate({**SMALL, "incentive_per_meeting": 20}, seed=2, steps=6, outcomes=OUT,
                               scenario=None)
    assert one["participation_rate"] == same["participation_rate"]
