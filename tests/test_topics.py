"""The topic catalog, the stake functions and the population draw take their numbers from Params
(issue 8 part 3: every behavioural number is a parameter; ODD §2 topic table, ODD §5)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim import ConsultationModel
from consultsim.core.community import ELDERLY, YOUNG, generate_residents
from consultsim.core.params import PARAM_INFO, Params
from consultsim.core.topics import CATALOG, catalog, elevator_stake

COLUMNS = ("complexity", "duration_weeks", "urgency", "rate_per_year", "merit", "pm_stance", "pm_cost_share",
           "fund_cost", "top_down_weight")
TOPIC_PARAMS = {n for n, f in PARAM_INFO.items() if f.metadata["section"] == "topics" and n.startswith(tuple(CATALOG))}


def test_every_catalog_parameter_lands_in_its_topic_type():
    """Each `<type>_<column>` parameter is that type's column, and nothing else in the section is named so."""
    p = Params()
    seen = set()
    for name, tt in catalog(p).items():
        for col in COLUMNS:
            pname = f"{name}_{col}"
            if pname in PARAM_INFO:
                assert getattr(tt, col) == getattr(p, pname)
                seen.add(pname)
            else:  # structure: a column this type does not use
                assert getattr(tt, col) == 0.0, pname
    assert seen == TOPIC_PARAMS


@settings(max_examples=25, deadline=None)
@given(name=st.sampled_from(sorted(TOPIC_PARAMS)), u=st.floats(0, 1))
def test_a_changed_catalog_parameter_changes_only_its_own_column(name, u):
    lo, hi = PARAM_INFO[name].metadata["plausible"]
    value = lo + u * (hi - lo)
    value = int(round(value)) if isinstance(getattr(Params(), name), int) else value
    changed, default = catalog(Params().replace(**{name: value})), catalog(Params())
    topic = next(t for t in sorted(CATALOG, key=len, reverse=True) if name.startswith(t + "_"))
    col = name[len(topic) + 1:]
    assert getattr(changed[topic], col) == value
    for t in CATALOG:
        for c in COLUMNS:
            if (t, c) != (topic, col):
                assert getattr(changed[t], c) == getattr(default[t], c)


def test_the_model_runs_with_its_own_catalog():
    m = ConsultationModel(rng=1, n_residents=300, n_buildings=3, concern_rate=6.0, parking_complexity=0.9,
                          pets_rate_per_year=0.0)
    assert m.catalog["parking"].complexity == 0.9 and CATALOG["parking"].complexity == 0.5
    for _ in range(52):
        m.step()
    tr = m.topic_records()
    assert (tr.loc[tr["type"] == "parking", "complexity"] == 0.9).all() and (tr["type"] == "parking").any()
    assert not (tr["type"] == "pets").any()  # no concerns about pets at rate 0


def test_elevator_stakes_follow_their_parameters():
    """ODD §2: floors 1-2 lose (the ground floor more), the upper floors gain with height, the elderly
    above floor 2 more; renters feel `elevator_renter_factor` of it. (The elevator's value: payments
    and compensation, switched off here, are tested in tests/test_elevator_funding.py.)"""
    p = Params(n_residents=600, n_buildings=1, floors=6, stake_noise=0.0, elevator_upper_base=0.1,
               elevator_upper_gain=0.5, elevator_lower_loss=0.2, elevator_ground_loss=0.25,
               elevator_elderly_gain=0.3, elevator_renter_factor=0.4, elevator_cost_stake=0.0,
               elevator_compensation=0.0)
    res = generate_residents(p, np.random.default_rng(0))
    idx = np.arange(res.n)
    s = elevator_stake(res, idx, np.random.default_rng(1), {"floors": p.floors, "params": p})
    fl, elderly, owner = res.floor, res.age_group == ELDERLY, res.owner
    own = np.where(owner, 1.0, 1 / 0.4)  # undo the renters' factor
    base = s * own
    assert np.allclose(base[fl == 1], -0.45) and np.allclose(base[fl == 2], -0.2)
    top = (fl == 6) & ~elderly
    assert np.allclose(base[top], 0.6)
    assert np.allclose(base[(fl == 3) & elderly], 0.1 + 0.3)
    assert owner.any() and (~owner).any()


@pytest.mark.parametrize("seed", [0, 1])
def test_population_tilts_follow_their_parameters(seed):
    p = Params(n_residents=4000, n_buildings=20, owner_elderly_tilt=0.0, owner_young_tilt=0.0,
               leader_civic_floor=0.9, leader_efficacy_gain=0.0, area_min=60.0, area_max=80.0,
               party_young_factor=0.0)
    res = generate_residents(p, np.random.default_rng(seed))
    # no tilt: the young and the elderly own alike (4 binomial standard errors)
    a, b = res.owner[res.age_group == YOUNG], res.owner[res.age_group == ELDERLY]
    assert abs(a.mean() - b.mean()) < 4 * np.sqrt(0.8 * 0.2 * (1 / len(a) + 1 / len(b)))
    assert (res.civic[res.leader] >= 0.9).all() and res.leader.sum() == 2 * 20
    assert res.area.min() >= 60.0 and res.area.max() <= 80.0
    assert not res.party[res.age_group == YOUNG].any()
