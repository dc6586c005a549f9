"""Prices that look like 万元, a price of 0 for a lever that is on, and changes no cost item prices all
warn by name, in English and Chinese, on the command line and in the report (issue 19, costs)."""

from __future__ import annotations

import pytest

from consultsim.core.params import PARAM_INFO, Params
from consultsim.running.lever_checks import (
    LEVER_PRICE,
    ChangeWithoutPrice,
    PriceLooksLikeWan,
    PriceZeroForLeverOn,
    lever_warnings,
)
from consultsim.running.scenarios import SCENARIO_DIR, Scenario, load_scenario


def _kinds(p: Params, lang: str = "en"):
    return [(type(w), str(w)) for w in lever_warnings(Scenario("mine", "", p), 104, lang)]


@pytest.mark.parametrize("lever,price", sorted(LEVER_PRICE.items()))
def test_every_price_in_wan_and_every_zero_price_of_a_lever_on_warns(lever, price):
    f = PARAM_INFO[lever]
    on = {lever: True if f.type in ("bool", bool) else (2 if f.type in ("int", int) and lever != "meeting_cadence_weeks"
                                                         else 4 if lever == "meeting_cadence_weeks" else 0.5)}
    if lever == "incentive_per_meeting":
        on["incentive_per_meeting"] = 10
    lo = PARAM_INFO[price].metadata["plausible"][0]
    wan = lo / 1e4 * 2  # twice the lowest plausible price, written in 万元
    kinds = _kinds(Params(**on, **{price: wan}))
    assert any(k is PriceLooksLikeWan and price in t for k, t in kinds), kinds
    kinds = _kinds(Params(**on, **{price: 0.0}))
    assert any(k is PriceZeroForLeverOn and price in t for k, t in kinds), kinds
    zh = _kinds(Params(**on, **{price: 0.0}), "zh")
    assert any("算作免费" in t for _, t in zh)


def test_the_issue_examples_warn():
    kinds = _kinds(Params(social_workers=2, cost_social_worker=12, leader_reach=0.7))
    assert any(k is PriceLooksLikeWan and "cost_social_worker = 12" in t and "120,000" in t for k, t in kinds)
    assert any(k is ChangeWithoutPrice and "leader_reach = 0.7" in t for k, t in kinds)


def test_plausible_prices_and_shipped_scenarios_do_not_warn():
    for path in SCENARIO_DIR.glob("*.toml"):
        sc = load_scenario(path)
        assert not [w for w in lever_warnings(sc, 104) if isinstance(w, (PriceLooksLikeWan, PriceZeroForLeverOn,
                                                                         ChangeWithoutPrice))], path.stem
    # a price at the bottom of its plausible range is fine; so is a lever that is off with price 0
    assert not _kinds(Params(social_workers=1, cost_social_worker=90_000.0))
    assert not _kinds(Params(cost_online_platform=0.0))
