"""Field observables of one topic: what a researcher could record in a real community (ODD §7.9).

Validation (``consultsim.analysis.validation``) may only use what the field can measure: sign-in
sheets matched to a household survey (how much the topic concerns the household, age, address),
the 议事 ledger (topics, decisions, outcomes), owners' vote records, 12345 hotline logs and panel
surveys (trust before and after an outcome became known; opinions before and after a meeting, as in
deliberative polls). This module turns a topic's state into those records: counts a researcher
could tally, never a parameter and never a latent quantity the field cannot survey.

``topic_observables`` is read by :meth:`ConsultationModel.topic_records`; the model fills the
few quantities that exist only at one moment (opinion spread before and after the first meeting,
trust before and after the outcome) through :func:`record_meeting` and :func:`record_trust`.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["CONCERNED", "UNCONCERNED", "WAVE1", "SKILLS_PANEL", "OBSERVABLE_COLUMNS", "mantel_haenszel", "topic_observables", "record_meeting",
           "record_trust", "record_civic", "record_decision", "building_dispersion", "record_invitations", "record_complaints",
           "covering_leaders", "record_unheard_losers", "AGE_GROUPS",
           "skills_panel"]

AGE_GROUPS = 3  # young (18-39), middle-aged, elderly (60+): the household register's groups

# Survey answer "this matter concerns my household a lot" (|stake| >= 0.4) or "hardly" (< 0.2),
# on the 0-1 scale of how much a household gains or loses (ODD §2). The same cut as a concern that
# is "felt acutely" (``concern_stake`` defaults to 0.4); fixed here because it is the survey's
# category, not a behavioural number.
CONCERNED = 0.4
UNCONCERNED = 0.2

#: issue 17: civic skills surveyed at the start (wave 1) and at the end of the study, among the households in a
#: topic's scope who signed in to its meetings and who did not: the sums of their changes and their numbers.
SKILLS_PANEL = ("skills_change_attended", "n_skills_attended", "skills_change_others", "n_skills_others")

#: Household traits measured by a survey at the start of the study period (wave 1), before anyone's
#: participation in it could change them: civic duty, civic skills and trust in the committee.
WAVE1 = {"civic": "civic0", "skills": "capacity0", "trust": "trust_committee0"}

OBSERVABLE_COLUMNS = (
    "n_scope", "n_concerned", "att_concerned", "n_unconcerned", "att_unconcerned",
    *(f"or_{k}_{part}" for k in ("concern", *WAVE1) for part in ("num", "den")),
    "pm_meetings", "majority_held_back", "deferrals", "slim_majority",
    *(f"or_{k}_{part}" for k in ("vote_concern", "invited", "invited_informed", "invited_before", "complaint_heard")
      for part in ("num", "den")),
    "n_young", "att_young", "n_elderly", "att_elderly",
    "building_dispersion", "owners", "owners_voted",
    # issue 17: owners' vote records by floor (a flat's number gives its floor): floors 1-2 and 3 up
    "owners_low", "voted_low", "yes_low", "owners_up", "voted_up", "yes_up",
    "spread_before", "spread_after", "informed_shift",
    "trust_change_heard", "trust_change_unheard", "n_heard_learners", "n_unheard_learners",
    "civic_change",  # issue 17: the panel's commitment to taking part, around the announcement
    # issue 17: unheard losers who care a lot, and those of them who called 12345, by age group (0 young, 1
    # middle, 2 elderly): with the publicity board's record of which outcomes were posted (record_unheard_losers)
    *(f"unheard_losers_{a}" for a in range(3)), *(f"unheard_callers_{a}" for a in range(3)),
    # issue 17: a panel of civic skills (wave-1 survey and a survey at the end of the study) x sign-in sheets
    *SKILLS_PANEL,
)


def building_dispersion(attended: np.ndarray, building: np.ndarray) -> float:
    """Clustering of attendance within buildings: the dispersion index of buildings' attendance counts,
    sum_b (a_b - n_b p)^2 / (n_b p (1 - p)) / (B - 1), with p the overall attendance share. About 1 if
    households attend independently of their building, above 1 if neighbours attend together.
    NaN with fewer than two buildings or no variation."""
    blds, inv = np.unique(building, return_inverse=True)
    if len(blds) < 2:
        return math.nan
    n_b = np.bincount(inv).astype(float)
    a_b = np.bincount(inv, weights=attended.astype(float))
    p = a_b.sum() / n_b.sum()
    if not 0 < p < 1:
        return math.nan
    return float(np.sum((a_b - n_b * p) ** 2 / (n_b * p * (1 - p))) / (len(blds) - 1))


def mantel_haenszel(att: np.ndarray, high: np.ndarray, low: np.ndarray, strata: np.ndarray) -> tuple[float, float]:
    """Numerator and denominator of the Mantel-Haenszel odds ratio of attending, ``high`` vs ``low``
    households, within ``strata`` (age groups): sum a d / n and sum b c / n. Summed over topics, their
    ratio is the pooled odds ratio a researcher estimates from sign-in sheets and a survey."""
    # The four cells of every stratum's table in one counting pass (it runs at every meeting and every
    # outcome, over thousands of households; arithmetic on the masks, not selection by them): strata as codes
    # 0..S-1 in ascending order of their values, so the sums below add the same terms in the same order as a
    # loop over np.unique(strata) would.
    strata = np.asarray(strata)
    top = int(strata.max()) if strata.dtype.kind in "biu" and strata.size else -1
    if 0 <= top < 4096 and strata.min() >= 0:
        codes, size = strata.astype(np.intp, copy=False), top + 1
    else:
        values, codes = np.unique(strata, return_inverse=True)
        codes, size = codes.reshape(-1), len(values)
    att, high, low = (np.asarray(x, dtype=bool) for x in (att, high, low))
    table = np.bincount(((codes * 2 + att) * 2 + high) * 2 + low, minlength=8 * size).reshape(size, 2, 2, 2)
    hi = table[:, :, 1, :].sum(axis=2).tolist()  # [stratum][attended] among the high group
    lo = table[:, :, :, 1].sum(axis=2).tolist()  # among the low group
    num = den = 0.0
    for (b, a), (d, c) in zip(hi, lo):  # cells [not attended, attended] of the high and the low group
        a, b, c, d = float(a), float(b), float(c), float(d)
        n = a + b + c + d
        if n:
            num, den = num + a * d / n, den + b * c / n
    return num, den


def _thirds(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Top and bottom third of a survey measure among the households in scope."""
    lo, hi = np.quantile(x, [1 / 3, 2 / 3])
    return x > hi, x < lo


def topic_observables(t, res) -> dict[str, float]:
    """The field records of topic ``t`` given the households' arrays ``res`` (see OBSERVABLE_COLUMNS)."""
    scope, att = t.scope, t.attended
    conc = np.abs(t.stake)
    hi, lo = conc >= CONCERNED, conc < UNCONCERNED
    age = res.age_group[scope]
    young, old = age == 0, age == 2
    owners = res.owner[scope]
    out = {
        "n_scope": len(scope), "n_concerned": int(hi.sum()), "att_concerned": int((att & hi).sum()),
        "n_unconcerned": int(lo.sum()), "att_unconcerned": int((att & lo).sum()),
        "n_young": int(young.sum()), "att_young": int((att & young).sum()),
        "n_elderly": int(old.sum()), "att_elderly": int((att & old).sum()),
        "building_dispersion": (building_dispersion(att, res.building[scope]) if t.type.scope == "community"
                                and t.meetings > 0 else math.nan),
        "owners": int(owners.sum()), "owners_voted": int((t.voted & owners).sum()),
        "deferrals": t.deferrals, "pm_meetings": t.observed.get("pm_meetings", 0),
        "majority_held_back": t.observed.get("majority_held_back", 0),
    }
    if t.meetings > 0:  # attendance by survey measures, within age groups (sign-in sheets x survey)
        groups = {"concern": (hi, lo)}
        groups.update({k: _thirds(getattr(res, a)[scope]) for k, a in WAVE1.items()})
        for k, (h, lw) in groups.items():
            out[f"or_{k}_num"], out[f"or_{k}_den"] = mantel_haenszel(att, h, lw, age)
        out.update(skills_panel(att, res.capacity[scope], res.capacity0[scope]))
    if (t.voted & owners).any():  # an owners' vote was held: who returned a written vote (vote records x survey)
        # issue 17: the vote records by floor (flat numbers): owners, returned votes and votes in favour on
        # floors 1-2 and on floors 3 and up (an elevator's payers, ODD §7.6)
        low = owners & (res.floor[scope] <= 2)
        up = owners & ~low
        yes = t.voted & (t.opinion > 0.5)
        for key, m in (("low", low), ("up", up)):
            out[f"owners_{key}"] = int(m.sum())
            out[f"voted_{key}"] = int((t.voted & m).sum())
            out[f"yes_{key}"] = int((yes & m).sum())
        away = owners & ~att  # owners who did not attend: reached only by the door-to-door campaign
        out["or_vote_concern_num"], out["or_vote_concern_den"] = mantel_haenszel(
            t.voted[away], hi[away], lo[away], age[away])
    out.update({k: t.observed.get(k, math.nan) for k in OBSERVABLE_COLUMNS if k not in out})
    return out


def skills_panel(att: np.ndarray, skills_now: np.ndarray, skills_wave1: np.ndarray) -> dict[str, float]:
    """A two-wave panel of civic skills: the survey at the start of the study (wave 1, as in
    :data:`WAVE1`) and again at its end, matched to a topic's sign-in sheets. Sums of the change and numbers of
    the households in scope who signed in to the topic's meetings (``att``, a mask over the scope) and of those
    who did not. Taking part is practice: the educative effect of participation (Pateman 1970) that panels of
    deliberative forums report as gains in participants' efficacy and engagement (Knobloch & Gastil 2015;
    Boulianne, Chen & Kahane 2020)."""
    d = np.asarray(skills_now, dtype=float) - np.asarray(skills_wave1, dtype=float)
    att = np.asarray(att, dtype=bool)
    n_att = int(np.count_nonzero(att))
    return {"skills_change_attended": float(d[att].sum()), "n_skills_attended": n_att,
            "skills_change_others": float(d[~att].sum()), "n_skills_others": len(d) - n_att}


def covering_leaders(scope: np.ndarray, leader: np.ndarray, adj) -> np.ndarray:
    """How many building leaders in scope count each household in scope among their neighbours (a
    leader's list of the households it looks after)."""
    lead = np.zeros(adj.shape[0])
    lead[scope[leader[scope]]] = 1.0
    return np.asarray(adj @ lead)[scope]


def _add(t, key: str, num: float, den: float) -> None:
    o = t.observed
    o[f"or_{key}_num"] = o.get(f"or_{key}_num", 0.0) + num
    o[f"or_{key}_den"] = o.get(f"or_{key}_den", 0.0) + den


def record_invitations(t, att: np.ndarray, invited: np.ndarray, covered_by: np.ndarray, leader: np.ndarray,
                       invited_before: np.ndarray | None, informed: np.ndarray | None = None) -> None:
    """Encouragement records of one meeting (sign-in sheet x building leaders' invitation lists), among the
    households in scope on at least one leader's list who are not leaders themselves, within strata of
    how many leaders list them (1, 2, 3 or more), where a leader's invitation is a chance event:

    - ``or_invited``: Mantel-Haenszel odds ratio of attending, invited to this meeting vs not (being
      asked, Verba, Schlozman & Brady 1995);
    - ``or_invited_informed``: the same among those who knew of the meeting (a survey question: "did you
      know of it?"; ``informed``, a mask over the scope). An invitation also informs, and an uninformed
      household cannot come, so the first ratio mixes hearing of the meeting with being asked; among the
      informed only being asked is left;
    - ``or_invited_before``: odds ratio of attending, invited to the *previous* community-wide meeting vs
      not, within strata of the lists and of this meeting's invitation: the encouragement design of
      Gerber, Green & Shachar 2003 (an invitation that brought someone once brings them again only if
      taking part is habit-forming). ``invited_before`` is a mask over the scope, or None.
    """
    eligible = np.flatnonzero((covered_by > 0) & ~leader)  # places in scope: cheaper lookups than by the mask
    if not len(eligible):
        return
    a, inv, kk = att[eligible], invited[eligible], np.minimum(covered_by[eligible], 3).astype(int)
    _add(t, "invited", *mantel_haenszel(a, inv, ~inv, kk))
    if informed is not None:
        knew = informed[eligible]
        _add(t, "invited_informed", *mantel_haenszel(a[knew], inv[knew], ~inv[knew], kk[knew]))
    if invited_before is not None:
        before = invited_before[eligible]
        _add(t, "invited_before", *mantel_haenszel(a, before, ~before, kk * 2 + inv))


def record_complaints(t, losers: np.ndarray, heard: np.ndarray, called: np.ndarray, age: np.ndarray) -> None:
    """12345 calls among the households in scope who learned an outcome their side lost on a matter that
    concerns them a lot (survey: |stake| >= CONCERNED): Mantel-Haenszel odds ratio of calling, heard
    (attended a meeting or voted) vs not, within age groups (12345 log x sign-in sheets x vote records x
    survey). ``losers`` selects them; ``heard``, ``called`` and ``age`` are aligned arrays."""
    if losers.any():
        _add(t, "complaint_heard", *mantel_haenszel(called[losers], heard[losers], ~heard[losers], age[losers]))


def record_unheard_losers(t, unheard_losers: np.ndarray, called: np.ndarray, age: np.ndarray) -> None:
    """12345 calls of the households in scope who learned an outcome their side lost on a matter that
    concerns them a lot (survey: |stake| >= CONCERNED) and who were not heard on it (neither attended nor
    voted), by age group: ``unheard_losers_<a>`` of them, ``unheard_callers_<a>`` called (12345 log x
    sign-in sheets x vote records x survey). Joined to the publicity board's record of which outcomes were
    posted with their reasons (``published``), they compare calls after posted and unposted outcomes among
    those whom a posted decision's reasons alone could reach (de Fine Licht et al. 2014). ``unheard_losers``
    selects them; ``called`` and ``age`` are aligned arrays."""
    sel_age, sel_call = age[unheard_losers], called[unheard_losers]
    for a in range(AGE_GROUPS):
        in_a = sel_age == a
        t.observed[f"unheard_losers_{a}"] = int(in_a.sum())
        t.observed[f"unheard_callers_{a}"] = int((in_a & sel_call).sum())


def record_meeting(t, before: np.ndarray, after: np.ndarray, informed_position: float | None = None) -> None:
    """Opinions of the attendees before and after the topic's first meeting (a pre/post questionnaire): their
    spread, and how far their mean moved toward the well-informed position (``informed_shift``: the distance
    of the mean from it before minus after; positive when the meeting brought attendees closer to it). The
    informed position is what a researcher takes from the experts' briefing materials, as deliberative
    polls do (Fishkin & Luskin 2005)."""
    if "spread_before" not in t.observed and before.size >= 2:
        t.observed["spread_before"] = float(np.std(before))
        t.observed["spread_after"] = float(np.std(after))
        if informed_position is not None and math.isfinite(informed_position):
            t.observed["informed_shift"] = float(abs(np.mean(before) - informed_position)
                                                 - abs(np.mean(after) - informed_position))


def record_decision(t, pm_present: bool, verdict: str) -> None:
    """A quorate meeting in the ledger: whether the property manager signed in; whether it ended without
    a decision although most attendees favoured the proposal (consultation continued for want of
    agreement); for a resolution adopted by a show of hands, whether it passed narrowly (less than two
    thirds of attendees in favour)."""
    o = t.observed
    o["pm_meetings"] = o.get("pm_meetings", 0) + int(pm_present)
    o["majority_held_back"] = o.get("majority_held_back", 0) + int(verdict == "no consensus" and t.support > 0.5)
    if verdict == "approved" and t.type.rule.name == "MAJORITY_QUORUM":
        o["slim_majority"] = float(t.support < 2 / 3)


def record_trust(t, heard: np.ndarray, unheard: np.ndarray, before: np.ndarray, after: np.ndarray) -> None:
    """Mean change of trust in the committee, over the outcome's announcement, among households in the
    topic's scope who learned the outcome and were heard (attended or voted) and who were not (a panel
    survey). ``heard``/``unheard`` are masks over the arrays ``before``/``after``."""
    d = after - before
    heard, unheard = np.flatnonzero(heard), np.flatnonzero(unheard)  # places: cheaper lookups than by the masks
    t.observed["trust_change_heard"] = float(d[heard].mean()) if len(heard) else math.nan
    t.observed["trust_change_unheard"] = float(d[unheard].mean()) if len(unheard) else math.nan
    t.observed["n_heard_learners"] = len(heard)
    t.observed["n_unheard_learners"] = len(unheard)


def record_civic(t, before: np.ndarray, after: np.ndarray) -> None:
    """Mean change of civic motivation (the survey's item on one's commitment to taking part in the
    community's consultation, asked in wave 1 as civic duty) over the outcome's announcement, among the
    households in the topic's scope who learned the outcome: the same panel as :func:`record_trust`, whose
    number it shares (``n_heard_learners + n_unheard_learners``)."""
    t.observed["civic_change"] = float((after - before).mean()) if len(before) else math.nan
