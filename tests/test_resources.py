"""Levers spend resources (issue 16 parts 1 and 6; ODD §7.2, §7.4, §7.6): the committee's weekly hours,
the oversight board's capacity, the property manager's commitment and the censoring-free measures."""

from __future__ import annotations

import numpy as np
import pytest

from consultsim import ConsultationModel
from consultsim.core.topics import CATALOG, Stage, Topic


def _final(steps=52, seeds=range(2), **kw):
    out = []
    for s in seeds:
        m = ConsultationModel(rng=s, n_residents=600, n_buildings=6, **kw)
        for _ in range(steps):
            m.step()
        out.append(m.timeseries().iloc[-1])
    return out


def test_doubling_the_meeting_cadence_costs_committee_time():
    monthly = _final(meeting_cadence_weeks=4)
    fortnightly = _final(meeting_cadence_weeks=2)
    for a, b in zip(monthly, fortnightly):  # paired seeds
        assert b["committee_meeting_hours"] > 1.4 * a["committee_meeting_hours"]


def test_the_committee_week_gives_way_in_order():
    m = ConsultationModel(rng=0, n_residents=600, n_buildings=6)
    c, p = m.committee, m.params
    assert c.weekly_hours() == pytest.approx(c.staff * p.staff_week_hours * (1 - p.committee_admin_share))
    c.hours_left = 10.0
    c.convene()  # a meeting is held even when it overdraws the week
    assert c.hours_left == pytest.approx(10.0 - p.meeting_staff_hours)
    c.hours_left = 6.0
    assert c.follow_up(3) == pytest.approx(6.0 / (3 * p.followup_hours))  # follow-up gets what is left
    assert c.follow_up(1) == 0.0 and c.follow_up(0) == 1.0
    c.hours_left = -5.0  # overdrawn: next week starts short
    c.start_week()
    assert c.hours_left == pytest.approx(c.weekly_hours() - 5.0)


def _works(m, kind, n, first=0):
    out = []
    for i in range(n):
        t = Topic(first + i, CATALOG[kind], "committee", m.everyone, np.zeros(m.res.n), 0)
        for s in (Stage.ON_AGENDA, Stage.NOTIFIED, Stage.DELIBERATING, Stage.DECIDED, Stage.IMPLEMENTING):
            t.advance(s, 0)
        t.deadline = 10.0 + i
        out.append(t)
    return out


def test_the_oversight_board_spreads_its_capacity_over_the_property_managers_works():
    m = ConsultationModel(rng=0, n_residents=300, n_buildings=3, supervision=0.5, oversight_cases=3.0)
    pm, own = _works(m, "parking", 4), _works(m, "garbage", 2, first=10)
    followed = m.oversight.follow(own + pm, week=1)
    assert not any(t.id in followed for t in own)  # the committee's own works: never by this board
    assert followed == {t.id: pytest.approx(1.5 / 4) for t in pm}  # capacity 0.5 x 3 over four works
    assert m.oversight.follow(pm[:1], week=1) == {pm[0].id: 1.0}  # one work: followed fully
    m.params = m.params.replace(supervision=0.2)
    assert m.oversight.follow(pm[:1], week=1) == {pm[0].id: pytest.approx(0.6)}  # gradual in the lever
    m.params = m.params.replace(supervision=0.0)
    assert m.oversight.follow(pm, week=1) == {}


def test_the_property_manager_commits_only_to_what_it_supports():
    m = ConsultationModel(rng=0, n_residents=300, n_buildings=3)
    pm = m.property_managers[0]
    assert pm.supports(_works(m, "property_fee", 1)[0]) and not pm.supports(_works(m, "parking", 1)[0])


def test_censoring_free_implementation_measures():
    m = ConsultationModel(rng=0, n_residents=300, n_buildings=3)
    assert np.isnan(m.timeseries().iloc[-1]["implemented_of_settled"])
    m.counts.update(implemented=3.0, stalled=1.0, resolutions=8.0, completion_weeks=30.0)
    m.datacollector.collect(m)
    last = m.timeseries().iloc[-1]
    assert last["implemented_of_settled"] == 0.75 and last["implementation_rate"] == 3 / 8
    assert last["weeks_to_completion"] == 10.0
