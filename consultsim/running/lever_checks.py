"""Named warnings for scenario values that make a lever inert or look like a unit mistake.

A scenario that passes every range check can still say nothing: a points budget below one payment
pays nobody (every difference is then exactly 0, and a reader concludes "incentives do nothing");
``incentive_budget = 1.5`` was probably meant as 1.5 万元; training seats with no sessions train
nobody. :func:`lever_warnings` names each such value; ``consultsim compare`` and ``run`` print
them, one line each, and :func:`warn_levers` issues them through Python's :mod:`warnings` (each
kind is its own category, so a user can filter one).
"""

from __future__ import annotations

import warnings
from typing import Any

from consultsim.core.params import Params
from consultsim.i18n import register, tr

__all__ = ["LeverWarning", "BudgetBelowOnePayment", "BudgetLooksLikeWan", "BudgetWithoutPoints",
           "SeatsWithoutTraining", "TrainingWithoutSeats", "HoursWithoutSocialWorkers",
           "SocialWorkersWithoutHours", "CadenceLongerThanRun", "PriceLooksLikeWan", "PriceZeroForLeverOn",
           "ChangeWithoutPrice", "LEVER_PRICE", "lever_warnings", "warn_levers"]


class LeverWarning(UserWarning):
    """A scenario value that makes a lever do nothing or looks like a unit mistake."""

    key = ""

    def __init__(self, scenario: str, lang: str = "en", **fields: Any):
        self.scenario, self.fields = scenario, fields
        super().__init__(tr(f"warn.{self.key}", lang, scenario=scenario, **fields))


class BudgetBelowOnePayment(LeverWarning):
    key = "budget_below_payment"


class BudgetLooksLikeWan(LeverWarning):
    key = "budget_wan"


class BudgetWithoutPoints(LeverWarning):
    key = "budget_without_points"


class SeatsWithoutTraining(LeverWarning):
    key = "seats_without_training"


class TrainingWithoutSeats(LeverWarning):
    key = "training_without_seats"


class HoursWithoutSocialWorkers(LeverWarning):
    key = "hours_without_workers"


class SocialWorkersWithoutHours(LeverWarning):
    key = "workers_without_hours"


class CadenceLongerThanRun(LeverWarning):
    key = "cadence_longer_than_run"


class PriceLooksLikeWan(LeverWarning):
    key = "price_wan"


class PriceZeroForLeverOn(LeverWarning):
    key = "price_zero"


class ChangeWithoutPrice(LeverWarning):
    key = "change_unpriced"


# A yearly budget this small (in yuan) is not a points scheme: it is almost surely 万元 (10,000 yuan).
WAN_SUSPECT = 100.0

# The price of each lever (consultsim.analysis.costs.lever_costs prices it with this parameter).
LEVER_PRICE: dict[str, str] = {
    "incentive_per_meeting": "cost_incentive_admin", "pm_performance_contract": "cost_pm_contract",
    "supervision": "cost_oversight_case", "meeting_cadence_weeks": "cost_per_meeting",
    "pm_inclusion": "cost_pm_at_meeting", "public_subsidy": "cost_resident_works",
    "awareness_campaign": "cost_campaign", "feedback_transparency": "cost_publication",
    "training_sessions_per_quarter": "cost_training_session",
    "committee_facilitation_training": "cost_facilitation_training", "social_workers": "cost_social_worker",
    "online_channel": "cost_online_platform",
}
# Sections of behavioural parameters: changing one may stand for an intervention the cost model does not
# price (raising leader_reach is paying building leaders to reach out). Population, community, network,
# topic and stake parameters describe the place, not an action.
_ACTION_SECTIONS = ("participation", "committee", "social_worker", "property_manager", "implementation",
                    "feedback", "deliberation", "learning")
# Levers that only scale or cap another lever (they have no price of their own).
_MODIFIERS = ("incentive_budget", "training_seats", "social_worker_hours")

register({f"warn.{k}": {"en": en, "zh": zh} for k, (en, zh) in {
    "budget_below_payment": (
        "{scenario}: incentive_budget = {budget:g} yuan a year is below one payment of incentive_per_meeting = "
        "{per:g}: no household is ever paid, so the points scheme does nothing",
        "{scenario}：incentive_budget = {budget:g} 元/年，低于一次积分 incentive_per_meeting = {per:g}："
        "没有任何一户能得到积分，积分制不起作用"),
    "budget_wan": (
        "{scenario}: incentive_budget = {budget:g} yuan a year looks like a unit mistake: the budget is in yuan, "
        "not 万元 (1.5 万元 is 15000)",
        "{scenario}：incentive_budget = {budget:g} 元/年，疑似单位错误：预算以元为单位，而非万元（1.5 万元应写 15000）"),
    "budget_without_points": (
        "{scenario}: incentive_budget = {budget:g} is set but incentive_per_meeting = 0, so no points are paid "
        "and the budget is unused",
        "{scenario}：设置了 incentive_budget = {budget:g}，但 incentive_per_meeting = 0，不发积分，预算未被使用"),
    "seats_without_training": (
        "{scenario}: training_seats = {seats} is set but training_sessions_per_quarter = 0: nobody is trained",
        "{scenario}：设置了 training_seats = {seats}，但 training_sessions_per_quarter = 0：没有人接受培训"),
    "training_without_seats": (
        "{scenario}: training_sessions_per_quarter = {sessions} with training_seats = 0: the sessions train nobody",
        "{scenario}：training_sessions_per_quarter = {sessions}，但 training_seats = 0：培训没有学员"),
    "hours_without_workers": (
        "{scenario}: social_worker_hours = {hours:g} is set but social_workers = 0: no social worker serves",
        "{scenario}：设置了 social_worker_hours = {hours:g}，但 social_workers = 0：没有社工提供服务"),
    "workers_without_hours": (
        "{scenario}: social_workers = {workers} with social_worker_hours = 0: they give the community no time",
        "{scenario}：social_workers = {workers}，但 social_worker_hours = 0：社工没有为社区投入任何时间"),
    "price_wan": (
        "{scenario}: {name} = {value:g} yuan looks like a unit mistake: prices are in yuan, not 万元 "
        "({value:g} 万元 is {wan:,.0f} yuan; the plausible price is {lo:,.0f}-{hi:,.0f} yuan)",
        "{scenario}：{name} = {value:g} 元，疑似单位错误：价格以元为单位，而非万元（{value:g} 万元为 {wan:,.0f} 元；"
        "合理价格为 {lo:,.0f}–{hi:,.0f} 元）"),
    "price_zero": (
        "{scenario}: {lever} is on but its price {name} = 0: the report counts the lever as free",
        "{scenario}：{lever} 已开启，但其价格 {name} = 0：报告会把这项措施算作免费"),
    "change_unpriced": (
        "{scenario}: {name} = {value} differs from the default ({default}) but no cost item prices it: the "
        "report counts the change as free (if it stands for an intervention, its cost is missing)",
        "{scenario}：{name} = {value} 与默认值（{default}）不同，但没有任何成本项为它定价：报告会把这一改变算作免费"
        "（如果它代表一项措施，其成本没有计入）"),
    "cadence_longer_than_run": (
        "{scenario}: meeting_cadence_weeks = {cadence} is longer than the run ({steps} weeks): at most one "
        "agenda cycle happens",
        "{scenario}：meeting_cadence_weeks = {cadence} 长于模拟时长（{steps} 周）：最多只有一个议程周期"),
}.items()})


def lever_warnings(scenario: Any, steps: int | None = None, lang: str = "en") -> list[LeverWarning]:
    """Every inert or suspicious lever value of ``scenario`` (a Scenario), as named warnings.

    A value at its default is never flagged (the baseline's unused budget is a default, not a
    mistake); ``steps`` (the run's length) enables the cadence check."""
    p, name = scenario.params, scenario.name
    d = Params()
    out: list[LeverWarning] = []
    per, budget = p.incentive_per_meeting, p.incentive_budget
    if per > 0 and 0 < budget < WAN_SUSPECT:
        out.append(BudgetLooksLikeWan(name, lang, budget=budget))
    if per > 0 and budget < per:
        out.append(BudgetBelowOnePayment(name, lang, budget=budget, per=per))
    if per <= 0 and budget != d.incentive_budget and budget > 0:
        out.append(BudgetWithoutPoints(name, lang, budget=budget))
    if p.training_sessions_per_quarter == 0 and p.training_seats != d.training_seats:
        out.append(SeatsWithoutTraining(name, lang, seats=p.training_seats))
    if p.training_sessions_per_quarter > 0 and p.training_seats == 0:
        out.append(TrainingWithoutSeats(name, lang, sessions=p.training_sessions_per_quarter))
    if p.social_workers == 0 and p.social_worker_hours != d.social_worker_hours:
        out.append(HoursWithoutSocialWorkers(name, lang, hours=p.social_worker_hours))
    if p.social_workers > 0 and p.social_worker_hours == 0:
        out.append(SocialWorkersWithoutHours(name, lang, workers=p.social_workers))
    if steps is not None and p.meeting_cadence_weeks > steps:
        out.append(CadenceLongerThanRun(name, lang, cadence=p.meeting_cadence_weeks, steps=steps))
    out += price_warnings(scenario, lang)
    return out


def _lever_on(p: Params, lever: str) -> bool:
    v = getattr(p, lever)
    if lever == "incentive_per_meeting":
        return v > 0 and p.incentive_budget >= v
    if lever == "meeting_cadence_weeks":
        return True  # meetings are always held
    if lever == "feedback_transparency":
        return v > 0
    return bool(v)


def price_warnings(scenario: Any, lang: str = "en") -> list[LeverWarning]:
    """Prices that look like 万元 (a price whose value in 万元 would be plausible: below a hundredth of the
    plausible lowest price), a price of 0 for a lever that is on, and behavioural parameters changed from
    their default that no cost item prices (counted as free)."""
    from consultsim.core.params import PARAM_INFO

    p, name = scenario.params, scenario.name
    d = Params()
    out: list[LeverWarning] = []
    on = {lev for lev in LEVER_PRICE if _lever_on(p, lev)}
    for lev, price in LEVER_PRICE.items():
        v = getattr(p, price)
        lo, hi = PARAM_INFO[price].metadata["plausible"]
        if lev in on and v == 0:
            out.append(PriceZeroForLeverOn(name, lang, lever=lev, name=price))
        elif 0 < v < lo / 100 and (lev in on or v != getattr(d, price)):
            out.append(PriceLooksLikeWan(name, lang, name=price, value=v, wan=v * 1e4, lo=lo, hi=hi))
    for k, f in PARAM_INFO.items():
        m = f.metadata
        if m["section"] in _ACTION_SECTIONS and not m["descriptive"] and getattr(p, k) != getattr(d, k):
            out.append(ChangeWithoutPrice(name, lang, name=k, value=getattr(p, k), default=getattr(d, k)))
    return out


def warn_levers(scenario: Any, steps: int | None = None) -> list[LeverWarning]:
    """Issue :func:`lever_warnings` through :mod:`warnings` (each its own category) and return them."""
    found = lever_warnings(scenario, steps)
    for w in found:
        warnings.warn(w, stacklevel=2)
    return found
