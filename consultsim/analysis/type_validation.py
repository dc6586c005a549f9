"""Validation per community type (issue 18): each type at its size, against the criteria that apply to it.

The criteria are those of :mod:`consultsim.analysis.validation` (their bands and sources are not
changed here). Which apply to a type is decided by what the type *has*, read from its parameters,
never by how it scores:

- ``pm_presence`` (the property manager attends some meetings) needs a property manager:
  not where ``n_property_managers = 0`` (hutong courtyards have none).
- ``owners_turnout`` (owners returning a written vote) needs owners' votes: a topic type the type
  raises (``<topic>_rate_per_year > 0``) decided by an owners' rule (``rule_<topic>``, Civil Code
  art. 278).
- ``agreement_by_rule`` (show of hands against owners' votes) needs topics of both kinds: an
  owners'-vote topic type of the criterion's own (elevator, property fee) that the type raises.
- ``retrofits_unfunded`` (a diagnostic on agreed elevator retrofits) needs elevator retrofits.

Every other criterion applies to every type. The field patterns P1-P6 were observed in one district
of Beijing's older estates (ODD §1): a type other than the old compound failing a band there is a
question of whether the pattern carries over, which the table reports rather than hides.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from consultsim.analysis.validation import CRITERIA, OWNERS_RULE_TYPES, Criterion, evaluate, measure

__all__ = ["not_applicable", "applicable_criteria", "type_scenario", "type_size", "validate_type", "validate_types",
           "REASONS"]

# why a criterion does not apply (keys of the i18n catalogue: district.val.reason.<key>)
REASONS = ("no_pm", "no_owners_votes", "no_owners_rule_topics", "no_retrofits")


def _raises(p: Any, topic: str) -> bool:
    return float(getattr(p, f"{topic}_rate_per_year", 0.0)) > 0


def _owners_vote_topics(p: Any) -> list[str]:
    from consultsim.core.rules import decision_rule
    from consultsim.core.topics import CATALOG

    return [t for t in CATALOG if _raises(p, t) and str(decision_rule(p, t)).startswith("owners")]


def not_applicable(criterion: Criterion, p: Any) -> str | None:
    """Why ``criterion`` does not apply to a community with parameters ``p`` (a key of :data:`REASONS`), or None."""
    if criterion.name == "pm_presence" and int(p.n_property_managers) == 0:
        return "no_pm"
    if criterion.name == "owners_turnout" and not _owners_vote_topics(p):
        return "no_owners_votes"
    if criterion.name == "agreement_by_rule" and not set(_owners_vote_topics(p)) & set(OWNERS_RULE_TYPES):
        return "no_owners_rule_topics"
    if criterion.name == "retrofits_unfunded" and not _raises(p, "elevator"):
        return "no_retrofits"
    return None


def applicable_criteria(p: Any, criteria: Sequence[Criterion] = CRITERIA) -> list[Criterion]:
    return [c for c in criteria if not_applicable(c, p) is None]


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
    """One type's table: every criterion of :data:`~consultsim.analysis.validation.CRITERIA`, measured on
    ``replicates`` runs where it applies (as :func:`~consultsim.analysis.validation.evaluate` gives it), and
    ``applies = False`` with the reason where it does not."""
    from consultsim.analysis.compare import run_comparison

    sc = type_scenario(ctype, households)
    crit = applicable_criteria(sc.params)
    comp = run_comparison([sc], replicates=replicates, steps=steps, seed=seed, workers=workers, progress=progress)
    table = evaluate(measure(comp, crit, comp.labels[0]), crit).set_index("name")
    rows = []
    for c in CRITERIA:
        reason = not_applicable(c, sc.params)
        base = {"type": ctype.name, "households": int(households), "pattern": c.pattern, "name": c.name,
                "band": c.band(), "scored": c.scored, "percent": c.percent, "applies": reason is None,
                "reason": reason or ""}
        if reason is None:
            r = table.loc[c.name]
            base.update(mean=r["mean"], ci_low=r["ci_low"], ci_high=r["ci_high"], n=r["n"],
                        pass_rate=r["pass_rate"], passed=bool(r["passed"]))
        else:
            base.update(mean=np.nan, ci_low=np.nan, ci_high=np.nan, n=0, pass_rate=np.nan, passed=np.nan)
        rows.append(base)
    return pd.DataFrame(rows)


def validate_types(district: Any, types: Sequence[str] | None = None, **kw: Any) -> pd.DataFrame:
    """:func:`validate_type` for each of ``types`` (default: every type ``district`` uses) at its size."""
    names = list(types) if types else sorted({c.type for c in district.communities})
    return pd.concat([validate_type(district.types[t], type_size(district, t), **kw) for t in names],
                     ignore_index=True)


def result(row: Any) -> str:
    """pass, FAIL, holds / does not hold (diagnostics), or n/a: the key of the cell's text."""
    if not row["applies"]:
        return "na"
    if row["scored"]:
        return "pass" if row["passed"] else "fail"
    return "holds" if row["passed"] else "not_holds"
