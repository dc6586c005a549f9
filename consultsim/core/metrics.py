"""The metrics of ODD §7.9, one named pure function each.

Each takes the model and returns a float; none changes state. They are the
model reporters of its DataCollector (collected every week) and the names
are a contract (:data:`consultsim.core.metric_names.METRICS`). "Recent" means the
last 12 weeks (a quarter), the participation window of ODD §7.9.
"""

from __future__ import annotations

import math

import numpy as np

from consultsim.core.community import ELDERLY, YOUNG
from consultsim.core.metric_names import METRICS

__all__ = ["REPORTERS", "WINDOW", *METRICS]

WINDOW = 12  # weeks


def _recent(m) -> np.ndarray:
    """Households that attended in the last 12 weeks."""
    return m.res.last_attended > max(m.week - WINDOW, -1)


def _recent_by_age(m) -> np.ndarray:
    """Recent participants per age group; memoized per week (several metrics share it)."""
    key = (m.week, m.counts["attendances"])
    cache = m.__dict__.setdefault("_metric_cache", {})
    if cache.get("recent_key") != key:
        cache["recent_key"] = key
        # the recent participants looked up by their places (cheaper than selecting by a scattered mask)
        cache["recent_by_age"] = np.bincount(m.res.age_group[np.flatnonzero(_recent(m))], minlength=3)
    return cache["recent_by_age"]


def _mean(x: np.ndarray) -> float:
    """``float(x.mean())`` of a 1-D float array: the same sum (numpy's pairwise add.reduce) divided by the size,
    without ndarray.mean's Python-level wrapper (a third of its time on a weekly reporter)."""
    return float(np.add.reduce(x) / x.size)


def _ratio(a: float, b: float) -> float:
    return a / b if b else math.nan


def attendance_rate(m) -> float:
    """Share of households attending a meeting this week."""
    # k / n, as the mean of the mask is (both are the correctly rounded quotient), without summing floats
    return np.count_nonzero(m.attending_now) / m.attending_now.size


def participation_rate(m) -> float:
    """Share of households that attended any meeting in the last 12 weeks."""
    return float(_recent_by_age(m).sum() / m.res.n)


def participation_year(m) -> float:
    """Share of households that attended any meeting in the last 52 weeks (a register's yearly count).

    The 12-week rate is 0 in a quarter without a meeting, which small communities with few topics often
    have; comparisons across communities (district reports, who is left behind) read this one."""
    return float(np.count_nonzero(m.res.last_attended > max(m.week - 52, -1)) / m.res.n)


def participation_gini(m) -> float:
    """Gini coefficient of meetings attended so far across all households (0 before any meeting).

    Memoized until someone attends again: meetings attended change only when households attend (the
    model counts every attendance), and most weeks hold no meeting."""
    key = (m.counts["attendances"], id(m.res.meetings_attended))
    cache = m.__dict__.setdefault("_metric_cache", {})
    if cache.get("gini_key") != key:
        cache["gini_key"], cache["gini"] = key, _gini(m)
    return cache["gini"]


def _gini(m) -> float:
    counts = np.bincount(m.res.meetings_attended)
    total = float(np.dot(np.arange(len(counts)), counts))
    if total == 0:
        return 0.0
    n = m.res.n
    cum_n = np.cumsum(counts)  # households with <= k meetings
    cum_x = np.cumsum(np.arange(len(counts)) * counts)  # meetings held by them
    # area under the Lorenz curve, by trapezoids over the value classes
    prev_n = np.concatenate([[0], cum_n[:-1]]) / n
    prev_x = np.concatenate([[0], cum_x[:-1]]) / total
    area = np.sum((cum_n / n - prev_n) * (cum_x / total + prev_x) / 2)
    return float(1 - 2 * area)


def _age_share(m, group: int) -> float:
    by_age = _recent_by_age(m)
    return _ratio(float(by_age[group]), float(by_age.sum()))


def elderly_share_attendees(m) -> float:
    """Elderly (60+) share of the households that took part in the last 12 weeks."""
    return _age_share(m, ELDERLY)


def young_share_attendees(m) -> float:
    """Young (18-39) share of the households that took part in the last 12 weeks."""
    return _age_share(m, YOUNG)


def representation_gap(m) -> float:
    """Dissimilarity index between the age mix of recent participants and of all residents."""
    by_age = _recent_by_age(m)
    if not by_age.any():
        return math.nan
    att = by_age / by_age.sum()
    pop = m.age_mix
    return float(0.5 * np.abs(att - pop).sum())


def topics_proposed(m) -> float:
    """Topics proposed so far (by residents or the committee)."""
    return float(m.counts["proposed"])


def resident_proposed_share(m) -> float:
    """Share of proposed topics that residents themselves proposed."""
    return _ratio(m.counts["resident_proposed"], m.counts["proposed"])


def topics_on_agenda(m) -> float:
    """Topics put on the agenda so far."""
    return float(m.counts["on_agenda"])


def meetings_held(m) -> float:
    """Quorate consultation meetings held so far."""
    return float(m.counts["meetings"])


def resolutions(m) -> float:
    """Topics agreed so far."""
    return float(m.counts["resolutions"])


def failed(m) -> float:
    """Topics failed so far (quorum never reached, deadlock or rejection)."""
    return float(m.counts["failed"])


def implemented(m) -> float:
    """Resolutions implemented so far."""
    return float(m.counts["implemented"])


def stalled(m) -> float:
    """Resolutions stalled past their deadline so far."""
    return float(m.counts["stalled"])


def procedure_completion(m) -> float:
    """Share of topics on the agenda at least 12 weeks ago that reached a decision within 12 weeks.

    A decision is a resolution or a failure after deliberation (deadlock or
    rejection); topics that never reached quorum did not complete the procedure.
    """
    due = on_time = 0
    for t in m.topics:
        if 0 <= t.step_agenda <= m.week - WINDOW:
            due += 1
            on_time += 0 <= t.step_decided <= t.step_agenda + WINDOW
    return _ratio(on_time, due)


def implementation_rate(m) -> float:
    """Share of resolutions agreed so far that have been implemented."""
    return _ratio(m.counts["implemented"], m.counts["resolutions"])


def implemented_of_settled(m) -> float:
    """Share of settled resolutions that were implemented: implemented / (implemented + stalled),
    where stalled includes agreed works never funded. Unlike ``implementation_rate`` it does not
    count works still under way at the horizon as not implemented (no censoring; issue 16)."""
    return _ratio(m.counts["implemented"], m.counts["implemented"] + m.counts["stalled"])


def weeks_to_completion(m) -> float:
    """Mean weeks from the decision to completion, over resolutions implemented so far."""
    return _ratio(m.counts["completion_weeks"], m.counts["implemented"])


def committee_meeting_hours(m) -> float:
    """Committee staff hours spent on agenda cycles and meetings so far (ODD §7.2: the cadence costs time)."""
    return float(m.counts["committee_meeting_hours"])


def followup_coverage(m) -> float:
    """Share of the follow-up hours the committee's own works needed that its staff could give, so far
    (what meetings and vote collection leave; ODD §7.2)."""
    return _ratio(m.counts["followup_given"], m.counts["followup_needed"])


def mean_consensus(m) -> float:
    """Mean consensus (1 - 2 sd of final opinions) over the meetings held so far."""
    return _ratio(m.counts["consensus_sum"], m.counts["meetings"])


def voice_concentration(m) -> float:
    """Mean share of speaking weight held by the top 10% of attendees, over meetings held so far."""
    return _ratio(m.counts["voice_sum"], m.counts["meetings"])


def mean_trust_committee(m) -> float:
    """Mean trust in the residents' committee."""
    return _mean(m.res.trust_committee)


def mean_trust_property(m) -> float:
    """Mean trust in the property manager."""
    return _mean(m.res.trust_property)


def mean_efficacy(m) -> float:
    """Mean political efficacy."""
    return _mean(m.res.efficacy)


def mean_capacity(m) -> float:
    """Mean deliberative capacity."""
    return _mean(m.res.capacity)


def mean_civic(m) -> float:
    """Mean civic motivation."""
    return _mean(m.res.civic)


def incentive_spent(m) -> float:
    """Incentive points paid out so far (yuan)."""
    return float(m.counts["incentive_spent"])


def complaints(m) -> float:
    """Complaints to the 12345 hotline so far."""
    return float(m.counts["complaints"])


#: name -> function, in the contract's order (the DataCollector's model reporters).
REPORTERS = {name: globals()[name] for name in METRICS}
