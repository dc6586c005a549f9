"""Property-based invariants of the whole model over random parameter sets (hypothesis)."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultsim import ConsultationModel
from consultsim.core.topics import TRANSITIONS

UNIT = ("time", "civic", "capacity", "trust_committee", "trust_property", "efficacy")
SHARE_METRICS = ("attendance_rate", "participation_rate", "participation_gini", "elderly_share_attendees",
                 "young_share_attendees", "representation_gap", "resident_proposed_share",
                 "procedure_completion", "implementation_rate", "mean_consensus", "voice_concentration",
                 "mean_trust_committee", "mean_trust_property", "mean_efficacy", "mean_capacity", "mean_civic")
CUMULATIVE = ("topics_proposed", "topics_on_agenda", "meetings_held", "resolutions", "failed", "implemented",
              "stalled", "incentive_spent", "complaints")

params = st.fixed_dictionaries({
    "n_residents": st.integers(30, 400),
    "n_buildings": st.integers(1, 12),
    "floors": st.integers(1, 12),
    "incentive_per_meeting": st.sampled_from([0.0, 5.0, 50.0]),
    "incentive_budget": st.sampled_from([0.0, 500.0, 1e6]),
    "pm_performance_contract": st.booleans(),
    "supervision": st.floats(0, 1),
    "meeting_cadence_weeks": st.integers(1, 13),
    "pm_inclusion": st.booleans(),
    "awareness_campaign": st.floats(0, 1),
    "feedback_transparency": st.floats(0, 1),
    "training_sessions_per_quarter": st.integers(0, 13),
    "training_seats": st.integers(0, 500),
    "committee_facilitation_training": st.booleans(),
    "social_workers": st.integers(0, 4),
    "online_channel": st.booleans(),
    "b0": st.floats(-6, 2),
    "epsilon": st.floats(0, 1),
    "anchoring": st.floats(0, 1),
    "concern_rate": st.floats(0, 8),
    "learning_rate": st.floats(0, 1),
    "crowding_out": st.floats(0, 1),
    "quorum_min": st.integers(1, 30),
})


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kw=params, seed=st.integers(0, 2**32))
def test_invariants_hold_for_any_parameters(kw, seed):
    m = ConsultationModel(rng=seed, **kw)
    for _ in range(40):
        m.step()
        for name in UNIT:
            a = getattr(m.res, name)
            assert np.all((a >= 0) & (a <= 1)), name
        for t in m.topics:
            assert np.all((t.opinion >= 0) & (t.opinion <= 1))
    ts = m.timeseries()
    for name in SHARE_METRICS:
        v = ts[name].dropna()
        assert ((v >= 0) & (v <= 1 + 1e-12)).all(), name
    for name in CUMULATIVE:
        v = ts[name]
        assert (v >= 0).all() and (v.diff().dropna() >= 0).all(), name
    last = ts.iloc[-1]
    assert last.implemented + last.stalled <= last.resolutions
    assert last.resolutions <= last.topics_on_agenda <= last.topics_proposed
    assert last.implemented <= last.resolutions
    assert last.incentive_spent <= kw["incentive_budget"] * 2  # at most one budget per year begun
    assert (m.res.meetings_attended >= 0).all()
    for t in m.topics:
        stages = [s for _, s in t.history]
        assert all(b in TRANSITIONS[a] for a, b in zip(stages, stages[1:]))
