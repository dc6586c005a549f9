"""Five-year dynamics (ODD §7.3, §7.8): attendance habit, trust and efficacy anchored to long-run levels
that follow experience, the committee's experience and its elections on the statutory cycle."""

from __future__ import annotations

import numpy as np
import pytest

from consultsim.core.kernels.participation import attendance_utility, update_habit
from consultsim.core.mechanisms import MECHANISMS
from consultsim.core.model import ConsultationModel
from consultsim.core.params import Params


def test_habit_grows_with_attendance_weakens_with_disappointment_and_fades():
    h = np.array([0.0, 0.5, 0.5, 0.5])
    update_habit(h, np.array([0, 1]), np.array([2]), gain=0.3, decay=0.0)
    np.testing.assert_allclose(h, [0.3, 0.65, 0.35, 0.5])
    update_habit(h, np.array([], dtype=int), np.array([], dtype=int), gain=0.3, decay=0.1)
    np.testing.assert_allclose(h, [0.27, 0.585, 0.315, 0.45])


def test_habit_enters_the_attendance_utility_with_its_weight():
    m = ConsultationModel(rng=3, n_residents=200, n_buildings=2)
    scope, stake, inv = m.everyone, np.full(200, 0.3), np.zeros(200, bool)
    base = attendance_utility(scope, stake, inv, res=m.res, incentive=0.0, p=m.params)
    m.res.habit[:] = 0.5
    with_habit = attendance_utility(scope, stake, inv, res=m.res, incentive=0.0, p=m.params)
    np.testing.assert_allclose(with_habit - base, 0.5 * m.params.b_habit)
    m.params = m.params.replace(b_habit=0.0)  # the off-switch
    np.testing.assert_allclose(attendance_utility(scope, stake, inv, res=m.res, incentive=0.0, p=m.params), base)


def test_attendees_build_a_habit_in_a_run():
    m = ConsultationModel(rng=5, n_residents=500, n_buildings=5)
    for _ in range(52):
        m.step()
    came = m.res.meetings_attended > 0
    assert came.any() and m.res.habit[came].mean() > 0.05 and (m.res.habit[~came] == 0).all()


@pytest.mark.parametrize("anchor_rate", [0.0, 0.01, 0.02])
def test_a_trust_shock_persists_in_the_share_the_running_tally_keeps(anchor_rate):
    """Drift toward the long-run level at rate d while that level follows trust at rate a conserves
    a·trust + d·level, so a shock s to trust settles at s·a/(a + d) above the old level: all of it fades
    with a = 0 (the anchor is the initial level), half of it stays with a = d."""
    m = ConsultationModel(rng=2, n_residents=300, n_buildings=3, trust_drift=0.01, trust_anchor_rate=anchor_rate)
    d = m.params.trust_drift
    t0 = m.res.trust_committee.copy()
    m.res.trust_committee[:] = t0 + 0.3
    for _ in range(1500):
        m.learn_and_drift()
    np.testing.assert_allclose(m.res.trust_committee, t0 + 0.3 * anchor_rate / (anchor_rate + d), atol=1e-3)
    np.testing.assert_allclose(m.res.trust_committee_lr, m.res.trust_committee, atol=1e-3)


def test_committee_experience_grows_with_meetings_fades_and_sets_facilitation():
    m = ConsultationModel(rng=1, n_residents=300, n_buildings=3)
    c, p = m.committee, m.params
    assert c.experience == p.committee_experience and c.facilitation_skill() == pytest.approx(c.facilitation)
    c.gain_experience(3)
    e3 = 1 - (1 - p.committee_experience) * (1 - p.experience_gain) ** 3
    assert c.experience == pytest.approx(e3 * (1 - p.experience_loss))
    assert c.facilitation_skill() > c.facilitation
    for _ in range(300):
        c.gain_experience(0)  # no meetings: turnover wears experience away
    assert c.experience < p.committee_experience and c.facilitation_skill() < c.facilitation
    m.params = p.replace(experience_facilitation=0.0)  # the off-switch
    assert c.facilitation_skill() == pytest.approx(c.facilitation)


def test_elections_come_on_the_statutory_cycle_and_take_experience_away():
    m = ConsultationModel(rng=4, n_residents=300, n_buildings=3, committee_term_elapsed=250)
    assert m.params.committee_term_weeks == 260  # five years (Organic Law, 2018 amendment)
    due = [w for w in range(1, 800) if m.committee.election_due(w)]
    assert due == [10, 270, 530, 790]
    for _ in range(9):
        m.step()
    before = m.committee.experience
    m.step()  # week 10: election after this week's learning
    elections = [e for e in m.events if e.kind == "election"]
    assert len(elections) == 1 and elections[0].week == 10
    assert elections[0].fields["lost"] > 0 and m.committee.experience < before
    assert "elected" in elections[0].text


def test_every_registered_off_switch_is_a_valid_parameter_change():
    for mech in MECHANISMS.values():
        Params().replace(**mech.off)
