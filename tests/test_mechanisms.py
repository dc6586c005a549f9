"""The mechanisms of ODD §7.5-7.7 in controlled settings: effort toward completion with a soft
deadline, owners' votes collected door to door, paying for works, and trust judged against one's own
preference and the procedure."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim import ConsultationModel
from consultsim.core.kernels.implementation import abandon_chance, collect_contributions, weekly_effort
from consultsim.core.topics import CATALOG, Stage, Topic

unit = st.floats(0, 1)


@settings(max_examples=200, deadline=None)
@given(base=unit, s1=unit, s2=unit, pressure=unit, overdue=st.floats(0, 3))
def test_effort_rises_continuously_with_supervision_and_never_exceeds_a_week(base, s1, s2, pressure, overdue):
    kw = dict(supervision_effect=1.5, pressure=pressure, pressure_effect=0.5, committed=False,
              commitment_effect=0.5, overdue=overdue, escalation_effect=0.5)
    lo, hi = sorted((s1, s2))
    a, b = weekly_effort(base, supervision=lo, **kw), weekly_effort(base, supervision=hi, **kw)
    assert 0 <= a <= b <= 1
    assert b - a <= base * 1.5 * (hi - lo) + 1e-12  # Lipschitz: no jump anywhere


@given(o1=st.floats(0, 5), o2=st.floats(0, 5), hazard=unit, base=st.floats(0, 0.2))
def test_abandonment_grows_gradually_past_the_soft_deadline(o1, o2, hazard, base):
    assert abandon_chance(0.0, hazard, base) == base  # before the deadline: only the background chance
    lo, hi = sorted((o1, o2))
    assert abandon_chance(lo, hazard, base) <= abandon_chance(hi, hazard, base)
    assert abandon_chance(hi, hazard, base) - abandon_chance(lo, hazard, base) <= hazard * (hi - lo) + 1e-12


def test_more_collection_rounds_and_persuasion_collect_more():
    rng = np.random.default_rng(0)
    n = 500
    coop, thr = rng.choice(3, n, p=[0.33, 0.5, 0.17]), rng.random(n)
    trust, sup = np.full(n, 0.5), rng.random(n) < 0.8

    def share(**kw):
        return collect_contributions(coop, thr, trust, sup, sanction=0.0, rng=np.random.default_rng(1), **kw)

    assert share(rounds=1, persuasion=0.1) < share(rounds=4, persuasion=0.1)
    assert share(rounds=3, persuasion=0.0) < share(rounds=3, persuasion=0.2)


def _owner_topic(m, kind="property_fee"):
    stake = np.full(m.res.n, 0.3)
    return Topic(0, CATALOG[kind], "committee", m.everyone, stake, 0)


def test_door_to_door_votes_continue_while_the_gap_and_hours_remain():
    """Issue 16 part 2: the campaign goes on while the turnout gap remains and collectors have hours;
    it stops once the rule is met; fewer rounds, fewer collectors or less time collect fewer votes."""
    m = ConsultationModel(rng=1, n_residents=2000)
    t = _owner_topic(m)
    owners = m.res.owner
    none = np.zeros(m.res.n, bool)

    def turnout(hours=1e6, **kw):
        m.params = m.params.replace(**kw)
        m._contract_social_workers()
        m.committee.hours_left = hours
        return m.committee.collect_votes(t, none, np.random.default_rng(0))[owners].mean()

    base = turnout(vote_climate_sd=0.0)
    assert 2 / 3 <= base < 0.85  # enough collectors: two thirds are reached
    assert turnout(vote_rounds=20) == base  # ... and the campaign stops there, rounds to spare
    assert turnout(vote_rounds=1) < 2 / 3  # one round is not enough
    # no volunteers, little time: the committee's hours bind, and social workers' hours add votes
    short = dict(vote_leader_reach=0.0, vote_rounds=20)
    few = turnout(hours=40.0, **short)
    assert few < turnout(hours=200.0, **short) and few < 2 / 3
    assert few < turnout(hours=40.0, social_workers=3, **short)
    assert turnout(hours=0.0, social_workers=0, **short) == 0.0  # nobody collects: only attendees vote
    m.params = m.params.replace(social_workers=0)
    m._contract_social_workers()
    m.committee.hours_left = 1e6
    everyone = m.committee.collect_votes(t, np.ones(m.res.n, bool), np.random.default_rng(0))
    assert np.array_equal(everyone, owners)  # attendees who own vote; renters never do


def test_collection_spends_committee_hours():
    m = ConsultationModel(rng=1, n_residents=2000, vote_leader_reach=0.0, vote_climate_sd=0.0)
    t = _owner_topic(m)
    m.committee.hours_left = 30.0
    m.committee.collect_votes(t, np.zeros(m.res.n, bool), np.random.default_rng(0))
    assert m.committee.hours_left < 1.0 and m.counts["vote_hours"] > 29.0


def test_owners_legal_thresholds_are_parameters():
    m = ConsultationModel(rng=2, n_residents=1000)
    t = _owner_topic(m)
    t.opinion[:] = 1.0
    t.consensus = 1.0
    att = np.zeros(m.res.n, bool)
    m.params = m.params.replace(owners_turnout=0.99)
    assert m._decide(t, att) == "too few owners voted"
    m.params = m.params.replace(owners_turnout=0.1)
    assert m._decide(t, att) == "approved"
    t.opinion[: m.res.n // 3] = 0.0  # a third of households against: fails 3/4, passes a majority
    t2 = _owner_topic(m, "elevator")
    t2.opinion[:], t2.consensus = t.opinion, 1.0
    assert m._decide(t, att) == "approved"
    m.params = m.params.replace(owners_supermajority=0.75)
    assert m._decide(t2, att) == "rejected"
    m.params = m.params.replace(owners_supermajority=0.5)
    assert m._decide(t2, att) == "approved"


def _elevator_runs(seeds=range(6), **kw):
    out = []
    for s in seeds:
        m = ConsultationModel(rng=s, concern_rate=4.0, **kw)
        for _ in range(104):
            m.step()
        out.append(m)
    return out


def test_a_public_subsidy_funds_more_retrofits_and_unfunded_ones_come_back():
    def agreed(models):  # retrofits that passed the owners' vote (funded or not)
        return sum(t.type.name == "elevator" and t.step_decided >= 0
                   and t.outcome not in ("deadlock", "rejected", "no quorum") for m in models for t in m.topics)

    # the subsidy lowers each owner's payment, so support rises and more retrofits are agreed (ODD §7.6)
    assert agreed(_elevator_runs(public_subsidy=0.5)) > agreed(_elevator_runs())
    short = dict(collection_persuasion=0.0, contribution_required=0.95)  # pledges often fall short
    # comebacks: with a weekly chance 1 the supporters raise it again the next week, and with
    # committee_pickup 1 it is back on the list even if no resident proposes it
    unfunded = 0
    for m in _elevator_runs(seeds=range(4), repropose_rate=1.0, committee_pickup=1.0, **short):
        for t in m.topics:
            if t.outcome == "unfunded" and t.step_ended < 103:
                unfunded += 1
                assert any(u.type is t.type and u.building == t.building and u.step_proposed == t.step_ended + 1
                           for u in m.topics)
    assert unfunded
    assert not any(m._comebacks for m in _elevator_runs(seeds=range(2), repropose_rate=0.0))


def _judged(outcome, **kw):
    """Trust after everyone hears (published) the outcome of a topic half support and half oppose;
    every fourth household attended."""
    m = ConsultationModel(rng=1, n_residents=400, feedback_transparency=1.0, network_learning=0.0, trust_drift=0.0,
                          **kw)
    n = m.res.n
    stake = np.where(np.arange(n) < n // 2, 0.8, -0.8)
    t = Topic(0, CATALOG["garbage"], "committee", m.everyone, stake, 0)
    t.attended[::4] = True
    for s in (Stage.ON_AGENDA, Stage.NOTIFIED, Stage.DELIBERATING, Stage.DECIDED, Stage.IMPLEMENTING):
        t.advance(s, 0)
    t.advance(Stage.IMPLEMENTED if outcome == "implemented" else Stage.STALLED, 1)
    t.outcome = outcome
    m.topics.append(t)
    m._open.append(t)
    m.res.trust_committee[:] = 0.5
    m.res.efficacy[:] = 0.5
    m.evaluate_outcomes()
    supporters = np.arange(n) < n // 2
    return m, supporters, t.attended


def test_trust_follows_the_households_own_preference_and_being_heard():
    m, sup, heard = _judged("implemented")
    trust = m.res.trust_committee
    assert trust[sup].mean() > 0.5 > trust[~sup].mean()  # winners gain, losers lose
    assert trust[~sup & heard].mean() > trust[~sup & ~heard].mean()  # a fair hearing softens a loss
    stalled, *_ = _judged("stalled")
    assert stalled.res.trust_committee[sup].mean() < trust[sup].mean()  # an agreed resolution ignored
    assert m.res.efficacy[heard].mean() > m.res.efficacy[~heard].mean()


def test_complaints_come_from_those_whose_preference_lost_and_were_not_heard():
    m, sup, heard = _judged("implemented", complaint_propensity=1.0, heard_acceptance=1.0, publication_voice=0.0)
    assert m.counts["complaints"] == (~sup & ~heard).sum()
    m, sup, heard = _judged("stalled", complaint_propensity=1.0, heard_acceptance=0.0)
    assert m.counts["complaints"] == sup.sum()


def _facilitated(m, workers: int, attendees: int, **params) -> float:
    """The share of a meeting's facilitation social workers give (ODD §7.4), for ``workers`` workers
    and one meeting in the agenda cycle, which gets the cycle's facilitation hours."""
    m.params = m.params.replace(social_workers=workers, **params)
    m._contract_social_workers()
    m._facilitation_pool = sum(sw.facilitation_hours(m.params.meeting_cadence_weeks) for sw in m.social_workers)
    m.current_topic = None  # no topic: the meeting gets the cycle's hours
    return m._assign_facilitators(attendees)


def test_facilitation_is_bought_by_the_hour_one_group_per_worker():
    """Issue 16 part 1: a worker leads one of the meeting's small groups (they sit at once), and a
    led group is facilitated as well as the cycle's hours per member prepare it; a meeting's
    facilitation then combines the committee's skill with that share."""
    m = ConsultationModel(rng=1, n_residents=300, n_buildings=3, social_workers=2)
    p = m.params
    hours = sum(sw.facilitation_hours(p.meeting_cadence_weeks) for sw in m.social_workers)
    assert hours == 2 * p.social_worker_hours * p.sw_facilitation_share * p.meeting_cadence_weeks
    groups = 7
    share = _facilitated(m, 2, groups * p.sw_group_size)
    full = 2 * p.sw_hours_per_group  # the two led groups at full preparation
    assert share == pytest.approx(min(1.0, hours / full) * 2 / groups)
    assert m._facilitation_pool == pytest.approx(hours - min(hours, full))
    # twice the hours, twice the preparation, until it is full; never more than one group a worker
    more = _facilitated(m, 2, groups * p.sw_group_size, social_worker_hours=2 * p.social_worker_hours)
    assert more == pytest.approx(min(1.0, 2 * hours / full) * 2 / groups)
    assert _facilitated(m, 2, groups * p.sw_group_size, social_worker_hours=60.0, sw_hours_per_group=1.0) \
        == pytest.approx(2 / groups)
    # two rounds of groups: a worker may lead two
    assert _facilitated(m, 2, groups * p.sw_group_size, sw_groups_per_worker=2, sw_hours_per_group=1.0) \
        == pytest.approx(4 / groups)
    assert _facilitated(m, 0, 50) == 0.0
    # a meeting gets its households' share of the cycle's hours: one concerning a third of the community,
    # alone in its cycle, a third of them (preparation is planned per household)
    m.params = m.params.replace(social_workers=2, social_worker_hours=20.0)
    m._contract_social_workers()
    third = np.arange(m.res.n // 3)
    t = Topic(0, CATALOG["parking"], "committee", third, np.ones(len(third)), 0)
    t.advance(Stage.ON_AGENDA, 0)
    t.advance(Stage.NOTIFIED, 0)  # noticed in an earlier cycle, its meeting still to come
    m._open = [t]
    assert m.week == 0  # a fresh model: week 0 is on the cadence
    m.set_agenda()
    assert m._facilitation_pool == pytest.approx(hours)
    assert m._facilitation_per_household * len(third) == pytest.approx(hours * len(third) / m.res.n)
    m._sw_cover = 1.0
    assert m.facilitation == pytest.approx(1 - (1 - m.committee.facilitation) * (1 - p.sw_facilitation_weight))


def test_the_first_social_worker_does_not_take_most_of_the_facilitation():
    """Issue 16's step rule for social workers, from the mechanism's arithmetic: at a meeting of seven
    small groups, workers 1-8 add equal shares until each group is led (the first worker's share is
    an eighth of the whole, well under a quarter); under the old pooled hours (two groups a worker at
    8 hours a group) the first worker took 2/7 and four workers led every group."""
    m = ConsultationModel(rng=1, n_residents=300, n_buildings=3)
    n = 7 * m.params.sw_group_size
    s = [_facilitated(m, k, n) for k in range(9)]
    steps = np.diff(s)
    assert steps[:7] == pytest.approx([steps[0]] * 7)  # linear while groups remain unled
    assert steps[0] > 0 and steps[0] <= 0.25 * (s[-1] - s[0])


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 200), st.floats(1.0, 60.0), st.integers(5, 20), st.floats(1.0, 60.0), st.integers(1, 2))
def test_no_worker_adds_more_facilitation_than_the_first_does_on_average(attendees, hours, size, per_group, per_worker):
    """Property: while k workers leave some group unled, the share is at least k times the first
    worker's (each worker leads its own groups; more workers bring more hours per member, never fewer),
    so the response to workers is never front-loaded at a meeting."""
    m = _SMALL.setdefault("m", ConsultationModel(rng=1, n_residents=60, n_buildings=1))
    kw = dict(social_worker_hours=hours, sw_group_size=size, sw_hours_per_group=per_group,
              sw_groups_per_worker=per_worker)
    first = _facilitated(m, 1, attendees, **kw)
    groups = -(-attendees // size)
    for k in range(2, groups // per_worker + 1):  # while k workers leave some group unled
        assert _facilitated(m, k, attendees, **kw) >= k * first - 1e-9


_SMALL: dict = {}  # one small model for the property's examples (only its parameters change)


def test_voice_concentration_falls_with_each_facilitating_social_worker():
    """Facilitation alone (no outreach, training or mediation hours moved elsewhere): more workers,
    less speaking weight held by the top 10% (ODD §7.4), over common seeds."""
    def voice(k):
        out = []
        for seed in range(4):
            m = ConsultationModel(rng=seed, n_residents=1000, n_buildings=10, social_workers=k,
                                  social_worker_hours=20.0, sw_outreach_share=0.0, sw_training_share=0.0)
            for _ in range(78):
                m.step()
            out.append(float(np.nanmean(m.timeseries()["voice_concentration"])))  # weeks with meetings
        return float(np.mean(out))

    v = [voice(k) for k in (0, 1, 2, 4)]
    assert v[0] > v[1] > v[2] > v[3]
