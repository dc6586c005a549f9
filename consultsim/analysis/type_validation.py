"""Validation per community type (issue 18): each type at its size, against the criteria that apply to it.

The criteria are those of :mod:`consultsim.analysis.validation`. Which apply to a type is decided by
two rules, both from data and never from how the type scores:

1. **Who the band's source observed** (:data:`BAND_SOURCES`). A band read from the field study of
   "Beijing X area" (ODD §1, §10) describes the communities that study observed; its abstract names
   no kind of community, and the model reads them as older estates (老旧小区: the baseline's 6-floor
   walk-ups, mostly owner-occupied reformed work-unit housing, mostly without an owners' committee;
   scenarios/baseline.toml). Such a band validates a type whose ``[type] housing`` is one of
   :data:`POPULATIONS`'s kinds for the field study (the danwei type); for any other type it is measured
   and shown but not scored (``not_observed``). A band from general literature (Riker & Ordeshook,
   Verba et al., Tyler, Esaiasson et al., deliberative polls), a city-wide survey (Shanghai), a national
   or Beijing-wide rule (Civil Code art. 278, the 2015 opinion, 接诉即办) or an assumption about people in
   general applies to every type.
2. **What the type has**, read from its parameters:

   - ``pm_presence`` (the property manager attends some meetings) needs a property manager:
     not where ``n_property_managers = 0`` (hutong courtyards have none).
   - ``owners_turnout`` and ``vote_return_by_concern`` (owners returning a written vote) need owners'
     votes: a topic type the type raises (``<topic>_rate_per_year > 0``) decided by an owners' rule
     (``rule_<topic>``, Civil Code art. 278).
   - ``agreement_by_rule`` (show of hands against owners' votes) needs topics of both kinds: an
     owners'-vote topic type of the criterion's own (elevator, property fee) that the type raises.
     Its direction ("stricter rules agree less often") follows from its source, Civil Code art. 278,
     only for a matter whose approval needs more than a show of hands: three quarters of those taking
     part (``owners_major``: retrofits, raising the maintenance fund, changing the use of common
     parts). For ordinary matters (``owners_ordinary``: fees, hiring the manager) art. 278 asks "more
     than half of those taking part", the show of hands' own threshold; what differs is that two thirds
     of the owners must take part, and a written vote of two thirds of the owners polls other people
     than a meeting does (those who do not come), who may favour the matter more or less than those
     who came. So the source gives no direction where every owners' vote a type holds is an ordinary
     matter: there the criterion is measured and shown, not scored (``ordinary_owners_votes``;
     docs/district.md, "Validation per type"). The two-thirds turnout itself is ``owners_turnout``'s.
   - ``retrofits_unfunded`` (a diagnostic on agreed elevator retrofits) and ``elevator_approval_by_floor``
     (a diagnostic on the retrofits' owners' votes by floor) need elevator retrofits.

Where a band's own source text derives a bound from the baseline's composition, the bound is derived
again from the type's composition by the same reasoning (:data:`COMPOSITION_BANDS`):
``elderly_overrepresentation``'s upper end is "90% of participants at the baseline's 30% elderly
household heads", i.e. 0.9 / elderly share (:func:`elderly_band`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from consultsim.analysis.validation import (
    CRITERIA,
    FIELD,
    OWNERS_RULE_TYPES,
    Criterion,
    evaluate,
    judged,
    measure,
)

__all__ = ["not_applicable", "applicable_criteria", "type_criteria", "type_scenario", "type_size", "validate_type",
           "validate_types", "REASONS", "STRUCTURAL", "SHOWN", "POPULATIONS", "BAND_SOURCES", "FIELD_STUDY", "GENERAL",
           "COMPOSITION_BANDS", "ELDERLY_CEILING", "elderly_band", "observed", "result"]

# why a criterion does not apply (keys of the i18n catalogue: district.val.reason.<key>); the structural
# reasons leave the cell empty (the type lacks what is measured); the others (SHOWN) show the measured
# value, not scored: ``not_observed`` (the band's source did not observe the type) and
# ``ordinary_owners_votes`` (the source gives no direction for the type's owners' votes)
STRUCTURAL = ("no_pm", "no_owners_votes", "no_owners_rule_topics", "no_retrofits")
SHOWN = ("ordinary_owners_votes", "not_observed")
REASONS = (*STRUCTURAL, *SHOWN)


# ---------------------------------------------------------------- who each band's source observed
FIELD_STUDY, GENERAL = "field_study", "general"


@dataclass(frozen=True)
class Population:
    """The communities a kind of source observed: ``housing`` kinds (``[type] housing``), None for every type."""

    key: str
    text: str
    housing: frozenset[str] | None


POPULATIONS: dict[str, Population] = {
    FIELD_STUDY: Population(
        FIELD_STUDY, "the communities of one Beijing district (the field study of 'Beijing X area', ODD §1, §10). "
        "Its abstract names no kind of community; the model reads them as older estates (老旧小区), as its "
        "baseline does (6-floor walk-ups of reformed work-unit housing, scenarios/baseline.toml)",
        frozenset({"older_estate"})),
    GENERAL: Population(
        GENERAL, "general literature, a city-wide survey, a national or Beijing-wide rule, or an assumption about "
        "residents in general: every type", None),
}

#: Each criterion's band: the population its source observed, and a phrase of its source text in
#: :data:`consultsim.analysis.validation.CRITERIA` that names that source (tests check the phrase is there,
#: so a band whose source changes must be classified again).
BAND_SOURCES: dict[str, tuple[str, str]] = {
    "procedure_completion": (FIELD_STUDY, FIELD),
    "agreed_share": (FIELD_STUDY, FIELD),
    "majority_held_back": (GENERAL, "2015 opinion on community consultation"),
    "meetings_postponed": (FIELD_STUDY, FIELD),
    "participation_rate": (FIELD_STUDY, FIELD),
    "resident_proposed_share": (FIELD_STUDY, FIELD),
    "attendance_by_concern": (GENERAL, "Riker & Ordeshook 1968"),
    "attendance_by_civic_duty": (GENERAL, "Verba, Schlozman & Brady 1995"),
    "attendance_by_skills": (GENERAL, "Brady, Verba & Schlozman 1995"),
    "attendance_by_trust": (GENERAL, "Assumption (direction)"),
    "attendance_by_invitation": (GENERAL, "Verba, Schlozman & Brady 1995"),
    "attendance_after_invitation": (GENERAL, "Gerber, Green & Shachar 2003"),
    "attendance_by_invitation_informed": (GENERAL, "Verba, Schlozman & Brady 1995"),
    "informed_shift": (GENERAL, "Luskin, Fishkin & Jowell 2002"),
    "implementation_by_support": (GENERAL, "Chen, Pan & Xu 2016"),
    "building_clustering": (GENERAL, "Granovetter 1978"),
    "pm_presence": (FIELD_STUDY, FIELD),
    "elderly_overrepresentation": (FIELD_STUDY, FIELD),
    "young_old_ratio": (GENERAL, "Shanghai survey"),
    "implementation_rate": (FIELD_STUDY, FIELD),
    "stalled_share": (FIELD_STUDY, FIELD),
    "retrofits_unfunded": (GENERAL, "Fischbacher, Gächter & Fehr 2001"),
    "voice_concentration": (FIELD_STUDY, FIELD),
    "opinion_spread_ratio": (GENERAL, "Deliberative polls"),
    "agreement_by_rule": (GENERAL, "Civil Code art. 278"),
    "owners_turnout": (GENERAL, "Civil Code art. 278"),
    "vote_return_by_concern": (GENERAL, "Riker & Ordeshook 1968"),
    "complex_failure_gap": (FIELD_STUDY, FIELD),
    # the diagnostic of complex_failure_gap: the field study's direction among shows of hands
    "complex_failure_gap_same_rule": (FIELD_STUDY, "cross-type comparison"),
    "trust_change": (FIELD_STUDY, FIELD),
    "efficacy_change": (FIELD_STUDY, FIELD),
    # the direction (trust falls where agreed works stall) is Ansell & Gash's, a review of 137 cases of
    # collaborative governance in many countries, which the field study's 'results not implemented' echoes
    "trust_after_stalls": (GENERAL, "Ansell & Gash 2008"),
    "trust_heard_vs_unheard": (GENERAL, "Tyler 1990"),
    "complaints_per_1000": (GENERAL, "接诉即办"),
    "complaints_heard_odds": (GENERAL, "Esaiasson, Gilljam & Persson 2012"),
    "complaints_heard_ratio": (GENERAL, "Esaiasson et al. 2012"),
    # issue 17: Ansell & Gash's synthesis of 137 cases of collaborative governance in many countries
    "civic_after_success": (GENERAL, "Ansell & Gash 2008"),
    # issue 17
    "complaints_published_odds": (GENERAL, "de Fine Licht, Naurin, Esaiasson & Gilljam 2014"),
    # issue 17: retrofit programmes' reports from Guangzhou, Beijing and Shanghai walk-ups (not the field study);
    # applies where a type raises retrofits (structural: no_retrofits)
    "elevator_approval_by_floor": (GENERAL, "Xinhua, 26 March 2018"),
    # --- issue 17: panels of participants of deliberative forums in Australia, Oregon and Edmonton (general)
    "skills_gain_attended": (GENERAL, "Knobloch & Gastil 2015"),
}


def observed(criterion: Criterion, housing: str) -> bool:
    """Whether the source of ``criterion``'s band observed communities of kind ``housing`` ("" if unknown)."""
    try:
        pop = POPULATIONS[BAND_SOURCES[criterion.name][0]]
    except KeyError:
        raise KeyError(f"criterion {criterion.name!r} has no entry in type_validation.BAND_SOURCES: say which "
                       "communities its band's source observed") from None
    return pop.housing is None or housing in pop.housing


# ---------------------------------------------------------------- bands derived from the composition
#: elderly_overrepresentation's source text (consultsim.analysis.validation): "at most 3.0, i.e. 90% of
#: participants at the baseline's 30% elderly household heads" (not retirees alone: the Shanghai survey's
#: youngest group still turned out at 13.8%). The ceiling is the share of participants, not the ratio.
ELDERLY_CEILING = 0.9


def elderly_band(elderly_share: float, lo: float = 1.5) -> tuple[float, float]:
    """``elderly_overrepresentation``'s band for a community whose household heads are ``elderly_share``
    elderly: the upper end is the ratio at which the elderly make up :data:`ELDERLY_CEILING` of participants,
    0.9 / elderly_share (3.0 at the baseline's 0.30, 6.0 at 0.15, 2.25 at 0.40); the lower end ("at least
    1.5 times as present") is a ratio in the source and stays, unless 90% of participants is less than 1.5
    times the elderly share (above 60% elderly heads), where the band closes at the upper end."""
    if not elderly_share > 0:
        return lo, math.inf
    hi = ELDERLY_CEILING / float(elderly_share)
    return min(lo, hi), hi


#: criterion name -> its band (lo, hi) for a community with parameters p, where the band's source derived a
#: bound from the baseline's composition
COMPOSITION_BANDS: Mapping[str, Callable[[Criterion, Any], tuple[float, float]]] = {
    "elderly_overrepresentation": lambda c, p: elderly_band(float(p.elderly_share), c.lo),
}


def type_criteria(p: Any, criteria: Sequence[Criterion] = CRITERIA) -> list[Criterion]:
    """``criteria`` with the bands of :data:`COMPOSITION_BANDS` derived from parameters ``p``."""
    out = []
    for c in criteria:
        if c.name in COMPOSITION_BANDS:
            lo, hi = COMPOSITION_BANDS[c.name](c, p)
            c = dataclasses.replace(c, lo=lo, hi=hi)
        out.append(c)
    return out


# ---------------------------------------------------------------- what a type has
def _raises(p: Any, topic: str) -> bool:
    return float(getattr(p, f"{topic}_rate_per_year", 0.0)) > 0


def _owners_vote_topics(p: Any) -> list[str]:
    from consultsim.core.rules import decision_rule
    from consultsim.core.topics import CATALOG

    return [t for t in CATALOG if _raises(p, t) and str(decision_rule(p, t)).startswith("owners")]


def _supermajority(p: Any, topics: set[str]) -> bool:
    """Whether any of ``topics`` is decided by art. 278's three-quarters rule (``owners_major``), the one
    owners' rule whose approval threshold is above a show of hands' more than half."""
    from consultsim.core.rules import decision_rule

    return any(str(decision_rule(p, t)) == "owners_major" for t in topics)


def _structural(criterion: Criterion, p: Any) -> str | None:
    if criterion.name == "pm_presence" and int(p.n_property_managers) == 0:
        return "no_pm"
    if criterion.name in ("owners_turnout", "vote_return_by_concern") and not _owners_vote_topics(p):
        return "no_owners_votes"
    if criterion.name == "agreement_by_rule":
        voted = set(_owners_vote_topics(p)) & set(OWNERS_RULE_TYPES)
        if not voted:
            return "no_owners_rule_topics"
        if not _supermajority(p, voted):
            return "ordinary_owners_votes"
    if criterion.name in ("retrofits_unfunded", "elevator_approval_by_floor") and not _raises(p, "elevator"):
        return "no_retrofits"
    return None


def not_applicable(criterion: Criterion, p: Any, housing: str = "") -> str | None:
    """Why ``criterion`` does not apply to a community with parameters ``p`` and housing kind ``housing``
    (a key of :data:`REASONS`; what it lacks before whom the source observed), or None if it applies."""
    return _structural(criterion, p) or (None if observed(criterion, housing) else "not_observed")


def applicable_criteria(p: Any, housing: str = "", criteria: Sequence[Criterion] = CRITERIA) -> list[Criterion]:
    return [c for c in criteria if not_applicable(c, p, housing) is None]


def type_size(district: Any, type_name: str) -> int:
    """A type's size: the median households of its communities in ``district``, else the middle of its range."""
    sizes = [c.households for c in district.communities if c.type == type_name]
    if sizes:
        return int(np.median(sizes))
    lo, hi = district.types[type_name].households
    return int(round((lo + hi) / 2))


def type_scenario(ctype: Any, households: int):
    """The baseline scenario with the type's parameters at ``households`` (buildings from the type's layout),
    as a district run builds a community of that type (consultsim.running.districts)."""
    from consultsim.running.districts import _buildings
    from consultsim.running.scenarios import resolve_scenario

    sc = resolve_scenario(None)
    return sc.with_overrides(**ctype.overrides, n_residents=int(households),
                             n_buildings=_buildings(int(households), ctype.households_per_building))


def validate_type(ctype: Any, households: int, *, replicates: int = 20, steps: int = 104, seed: int | None = 20261127,
                  workers: int | None = None, progress: bool = True) -> pd.DataFrame:
    """One type's table: every criterion of :data:`~consultsim.analysis.validation.CRITERIA` with the type's
    band (:func:`type_criteria`), measured on ``replicates`` runs (as
    :func:`~consultsim.analysis.validation.evaluate` gives it); ``applies = False`` with the reason where it
    does not apply, the measured value kept where only the source's population excludes the type."""
    from consultsim.analysis.compare import run_comparison

    sc = type_scenario(ctype, households)
    housing = str(getattr(ctype, "housing", "") or "")
    crit = type_criteria(sc.params)
    comp = run_comparison([sc], replicates=replicates, steps=steps, seed=seed, workers=workers, progress=progress)
    table = evaluate(measure(comp, crit, comp.labels[0]), crit).set_index("name")
    rows = []
    for c in crit:
        reason = not_applicable(c, sc.params, housing)
        base = {"type": ctype.name, "households": int(households), "housing": housing, "pattern": c.pattern,
                "name": c.name, "band": c.band(), "scored": c.scored, "percent": c.percent,
                "source_population": BAND_SOURCES[c.name][0], "applies": reason is None, "reason": reason or ""}
        if reason in STRUCTURAL:
            base.update(mean=np.nan, ci_low=np.nan, ci_high=np.nan, n=0, pass_rate=np.nan, passed=np.nan,
                        judged=np.nan, fewest_events=np.nan)
        else:
            r = table.loc[c.name]
            base.update(mean=r["mean"], ci_low=r["ci_low"], ci_high=r["ci_high"], n=r["n"],
                        pass_rate=r["pass_rate"], passed=bool(r["passed"]), judged=bool(r["judged"]),
                        fewest_events=r["fewest_events"])
        rows.append(base)
    return pd.DataFrame(rows)


def validate_types(district: Any, types: Sequence[str] | None = None, **kw: Any) -> pd.DataFrame:
    """:func:`validate_type` for each of ``types`` (default: every type ``district`` uses) at its size."""
    names = list(types) if types else sorted({c.type for c in district.communities})
    return pd.concat([validate_type(district.types[t], type_size(district, t), **kw) for t in names],
                     ignore_index=True)


def result(row: Any) -> str:
    """The key of a cell's text: pass, fail, holds / not_holds (diagnostics), na (the type lacks what the
    criterion measures), unscored (measured, not scored: its band's source did not observe the type, or
    gives no direction for it; the row's ``reason`` says which) or too_few (it applies, but its pooled records
    hold fewer events or non-events than a verdict needs, :data:`~consultsim.analysis.validation.MIN_EVENTS`:
    neither pass nor fail, for every type and the baseline alike)."""
    if not row["applies"]:
        return "unscored" if row["reason"] in SHOWN else "na"
    if not judged(row):
        return "too_few"
    if row["scored"]:
        return "pass" if row["passed"] else "fail"
    return "holds" if row["passed"] else "not_holds"
