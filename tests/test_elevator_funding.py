"""Elevator retrofits (ODD §7.6): floor-weighted cost shares, compensation for floors 1-2, the public
subsidy entering owners' stakes, and renegotiated shares when some owners do not pledge."""

from __future__ import annotations

import numpy as np
import pytest

from consultsim.core.community import generate_residents
from consultsim.core.kernels.implementation import negotiated_funding
from consultsim.core.params import Params
from consultsim.core.topics import elevator_terms


def _building(**kw):
    p = Params(n_residents=600, n_buildings=6, **kw)
    res = generate_residents(p, np.random.default_rng(0))
    return p, res, np.flatnonzero(res.building == 0)


def test_higher_floors_pay_more_and_only_upper_owners_pay():
    p, res, idx = _building()
    _, pay, comp = elevator_terms(res, idx, p)
    fl, owner = res.floor[idx], res.owner[idx]
    payer = owner & (fl > 2)
    assert (pay[~payer] == 0).all() and (pay[payer] > 0).all()
    by_floor = [pay[payer & (fl == f)].mean() for f in range(3, p.floors + 1)]
    assert np.all(np.diff(by_floor) > 0)
    assert (comp[owner & (fl <= 2)] > 0).all() and (comp[~(owner & (fl <= 2))] == 0).all()


def test_compensation_never_exceeds_the_loss_and_is_paid_by_the_upper_floors():
    p, res, idx = _building(elevator_compensation=1.0, elevator_cost_stake=0.0)
    value, pay, comp = elevator_terms(res, idx, p)
    lower = res.owner[idx] & (res.floor[idx] <= 2)
    assert (comp[lower] <= -value[lower] + 1e-12).all()
    assert pay.sum() == pytest.approx(comp.sum())  # with a free elevator, payments are the compensation
    p0, res0, idx0 = _building(elevator_compensation=0.0)
    assert (elevator_terms(res0, idx0, p0)[2] == 0).all()  # the off-switch: no compensation


def test_a_subsidy_lowers_payments_and_raises_every_owners_stake():
    stakes = []
    for s in np.linspace(0, 1, 5):
        p, res, idx = _building(public_subsidy=float(s))
        value, pay, comp = elevator_terms(res, idx, p)
        stakes.append(np.where(res.owner[idx], value - pay + comp, value))
    stakes = np.array(stakes)
    owner_upper = res.owner[idx] & (res.floor[idx] > 2)
    owner_lower = res.owner[idx] & (res.floor[idx] <= 2)
    assert np.all(np.diff(stakes[:, owner_upper], axis=0) > 0)  # they pay less
    assert np.all(np.diff(stakes[:, owner_lower], axis=0) >= 0)  # and can offer more compensation
    assert np.all(np.diff(stakes[:, ~res.owner[idx]], axis=0) == 0)  # renters neither pay nor are paid


def test_pledgers_cover_the_refusers_shares_up_to_their_willingness_to_pay():
    pay = np.array([1.0, 1.0, 2.0, 2.0])
    wtp = np.array([3.0, 1.0, 2.5, 0.0])
    assert negotiated_funding(pay, wtp, np.ones(4, bool)) == 1.0
    assert negotiated_funding(pay, wtp, np.zeros(4, bool)) == 0.0
    # the last owner refuses its 2.0: headroom 2.0 (first) + 0.5 (third) covers it
    assert negotiated_funding(pay, wtp, np.array([True, True, True, False])) == 1.0
    # the first refuses too (shortfall 3.0, headroom 0.5): (1 + 2 + 0.5) / 6
    assert negotiated_funding(pay, wtp, np.array([False, True, True, False])) == pytest.approx(3.5 / 6)
    assert negotiated_funding(np.zeros(3), np.zeros(3), np.zeros(3, bool)) == 1.0


def test_funding_moves_continuously_with_the_payments():
    """Scaling every payment down (a rising subsidy) never lowers the share covered, and a small change
    in payments moves it by a small amount (no threshold on heads)."""
    rng = np.random.default_rng(3)
    pay, wtp, pledged = rng.random(40), rng.random(40) * 2, rng.random(40) < 0.6
    shares = [negotiated_funding(pay * k, wtp, pledged) for k in np.linspace(1.0, 0.2, 81)]
    assert np.all(np.diff(shares) >= -1e-12)
    assert np.max(np.diff(shares)) < 0.05
