"""Training and the online channel act through real paths (ODD §7.3, §7.4, §7.8): training raises
capacity and nothing else directly; online attendance saves time mostly for the already engaged and
carries less weight in the room."""

from __future__ import annotations

import numpy as np
import pytest

from consultsim.core.kernels.participation import online_time_cost
from consultsim.core.model import ConsultationModel
from consultsim.core.topics import CATALOG, Topic


def test_online_saving_goes_mostly_to_the_engaged():
    m = ConsultationModel(rng=1, n_residents=400, n_buildings=4, online_channel=True)
    res, p, scope = m.res, m.params, m.everyone
    res.civic[:] = np.linspace(0, 1, res.n)
    full = online_time_cost(scope, res=res, p=p.replace(online_selectivity=0.0))
    np.testing.assert_allclose(full[res.online], p.online_time_cost)  # everyone in the groups saves alike
    assert (full[~res.online] == 1.0).all()
    sel = online_time_cost(scope, res=res, p=p.replace(online_selectivity=1.0))
    saving = 1.0 - sel[res.online]
    np.testing.assert_allclose(saving, (1.0 - p.online_time_cost) * res.civic[res.online])
    res.habit[:] = 1.0  # a firm habit counts as engagement
    np.testing.assert_allclose(online_time_cost(scope, res=res, p=p.replace(online_selectivity=1.0))[res.online],
                               p.online_time_cost)
    assert (online_time_cost(scope, res=res, p=p.replace(online_channel=False)) == 1.0).all()


def test_training_raises_capacity_and_leaves_efficacy_alone():
    m = ConsultationModel(rng=2, n_residents=300, n_buildings=3, training_sessions_per_quarter=13,
                          training_seats=100)
    cap, eff = m.res.capacity.copy(), m.res.efficacy.copy()
    m.learn_and_drift()  # week 0: a session; long-run levels equal the starting values, so no drift
    gained = m.res.capacity - cap
    assert (gained > 0).sum() == 100
    np.testing.assert_array_equal(m.res.efficacy, eff)


@pytest.mark.parametrize("presence", [1.0, 0.3])
def test_online_attendees_carry_less_weight_in_the_meeting(presence):
    def deliberate(**kw):
        m = ConsultationModel(rng=3, n_residents=200, n_buildings=2, informed_pull=0.0, **kw)
        stake = np.where(m.res.online, 0.2, -0.1)  # the online members lean one way, within reach
        t = Topic(0, CATALOG["pets"], "committee", m.everyone, stake, 0)
        att = np.zeros(m.res.n, bool)
        att[:80] = True
        m._deliberate(t, att, pm_present=False)
        in_room = att & ~m.res.online
        return float(np.mean(t.opinion[in_room]))

    offline = deliberate(online_channel=False)
    online = deliberate(online_channel=True, online_presence=presence)
    if presence == 1.0:
        assert online == pytest.approx(offline)  # the off-switch: as in the room
    else:
        assert online < offline  # the online side, heard less, pulls those in the room less
