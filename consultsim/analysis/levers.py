"""Which numbers set each lever's effect, and whether a source gives them (docs/levers.md).

A lever (ODD §8) acts through mechanisms whose strength is a parameter: supervision through
``supervision_effect`` and ``sanction_effect``, incentives through ``b_incentive`` and ``crowding_out``,
and so on. When the lever is off in the baseline, no pattern of the baseline can constrain those
parameters (the mechanism registry marks such mechanisms with their lever), so the size of the lever's
effect is whatever the parameter says: it needs a source. :data:`LEVER_EFFECTS` names the effect-size
parameters of every lever; :func:`package_evidence` says, for a package (a set of lever changes), which
of them its effect depends on and whether each is sourced (``params.is_sourced``: a source that is not,
in whole or in part, an assumption). The comparison report marks each package accordingly.

The report's "what the model cannot tell you" section (issue 17, part 5) names every conclusion whose
size rests on a parameter without a source, from two places and no hand list: the lever's effect-size
parameters above together with the parameters' metadata (:func:`package_evidence`), and, over the
robustness worlds, every unsourced parameter the effect's size goes with (:func:`sizes_in_worlds`) --
which also finds unsourced parameters whose prior excludes the null (e.g. the attendance weights a
lever works through), whose direction the worlds never question because every world assumes it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from consultsim.core.params import PARAM_INFO, Params, is_sourced, levers

__all__ = ["LEVER_EFFECTS", "NULL", "RESOURCE_RATES", "EffectSize", "PackageEvidence", "package_evidence", "lever_names",
           "prior_of", "sizes_in_worlds", "SIZE_RHO", "SIZE_ALPHA"]

#: lever -> the parameters that set the size of its effect (docs/levers.md gives their sources).
LEVER_EFFECTS: dict[str, tuple[str, ...]] = {
    "incentive_per_meeting": ("b_incentive", "crowding_out"),
    "incentive_budget": ("b_incentive", "crowding_out"),
    "pm_performance_contract": ("contract_effect",),
    "supervision": ("supervision_effect", "sanction_effect", "oversight_cases"),
    "meeting_cadence_weeks": ("interest_decay",),
    "pm_inclusion": ("commitment_effect", "pm_capacity"),
    # the subsidy lowers the owners' share arithmetically (ODD §7.6): no behavioural size of its own,
    # its effect follows from the contribution mechanism that validation sees (retrofits_unfunded)
    "public_subsidy": (),
    "awareness_campaign": ("campaign_reach", "campaign_gain"),
    "feedback_transparency": ("publication_voice", "complaint_propensity"),
    "training_sessions_per_quarter": ("capacity_gain_training",),
    "training_seats": ("capacity_gain_training",),
    "committee_facilitation_training": ("facilitation_training_gain",),
    "social_workers": ("sw_invites_per_hour", "sw_facilitation_weight", "sw_seats_per_hour", "sw_cases_per_hour",
                       "mediation_effect"),
    "social_worker_hours": ("sw_invites_per_hour", "sw_facilitation_weight", "sw_seats_per_hour",
                            "sw_cases_per_hour", "mediation_effect"),
    "online_channel": ("online_reach", "online_time_cost", "online_selectivity", "online_presence"),
}

#: The value of an effect-size parameter at which its lever does nothing through it (0 unless listed).
NULL: dict[str, float] = {"online_time_cost": 1.0, "online_presence": 1.0}

#: Parameters of a lever-bound mechanism's off-switch that price the resources a lever buys (hours per
#: unit of service) rather than size its effect: the effect's size is the listed parameter (e.g.
#: ``sw_facilitation_weight``), whose prior includes the null.
RESOURCE_RATES: dict[str, tuple[str, ...]] = {"social_workers": ("sw_hours_per_group", "sw_groups_per_worker"),
                                              "social_worker_hours": ("sw_hours_per_group", "sw_groups_per_worker")}


def lever_names() -> list[str]:
    """Every lever (ODD §8), in declaration order."""
    return [n for names in levers().values() for n in names]


def prior_of(name: str) -> tuple[tuple[float, float] | None, float, bool | None]:
    """A parameter's prior (its plausible range, None if it has none), its null (the value at which it
    does nothing, :data:`NULL`, else 0) and whether the prior includes the null (None without a range)."""
    rng = PARAM_INFO[name].metadata.get("plausible")
    null = NULL.get(name, 0.0)
    if rng is None:
        return None, null, None
    lo, hi = float(rng[0]), float(rng[1])
    return (lo, hi), null, lo <= null <= hi


@dataclass(frozen=True)
class EffectSize:
    """One effect-size parameter a package depends on."""

    parameter: str
    levers: tuple[str, ...]  # the package's levers that act through it
    sourced: bool
    source: str
    prior: tuple[float, float] | None = None  # its plausible range (what robustness varies)
    null: float = 0.0  # the value at which the lever does nothing through it

    @property
    def includes_null(self) -> bool | None:
        """Whether the prior allows no effect at all (None if the parameter has no plausible range)."""
        return None if self.prior is None else self.prior[0] <= self.null <= self.prior[1]


@dataclass(frozen=True)
class PackageEvidence:
    """What a package's effect rests on."""

    sizes: tuple[EffectSize, ...]

    @property
    def sourced(self) -> bool:
        """True if every effect-size parameter of the package's levers has a source."""
        return all(s.sourced for s in self.sizes)

    @property
    def assumed(self) -> tuple[str, ...]:
        """The effect-size parameters without a source."""
        return tuple(s.parameter for s in self.sizes if not s.sourced)


def package_evidence(changes: Mapping[str, Any] | Params, reference: Params | None = None) -> PackageEvidence:
    """The effect-size parameters a package depends on, and whether they are sourced.

    ``changes`` is a mapping of lever settings, or a :class:`Params` compared with ``reference`` (the
    baseline defaults if None): the levers whose value differs are the package's. Non-lever entries are
    ignored (they change the world, not the package)."""
    if isinstance(changes, Params):
        ref = reference or Params()
        changes = {n: getattr(changes, n) for n in lever_names() if getattr(changes, n) != getattr(ref, n)}
    by_param: dict[str, list[str]] = {}
    for lever in changes:
        for p in LEVER_EFFECTS.get(lever, ()):
            by_param.setdefault(p, []).append(lever)
    sizes = tuple(EffectSize(p, tuple(ls), is_sourced(p), PARAM_INFO[p].metadata["source"], *prior_of(p)[:2])
                  for p, ls in by_param.items())
    return PackageEvidence(sizes)


#: |Spearman rho| across worlds from which an effect's size is said to go with a parameter ...
SIZE_RHO = 0.2
#: ... when the association is also significant at this level after Bonferroni's correction over the
#: unsourced parameters tested (with about 250 of them and 200 worlds, |rho| of about 0.27): chance
#: associations between an effect and one of many varied parameters are not named.
SIZE_ALPHA = 0.05


def sizes_in_worlds(results_dir: str | Path, packages: Sequence[str] | None = None) -> list[dict]:
    """Every conclusion of the robustness worlds (a lever or package's effect on a target outcome,
    robustness_worlds.csv) with the unsourced parameters its size goes with across the worlds
    (robustness_world_params.csv): Spearman's |rho| at least :data:`SIZE_RHO` and Bonferroni-corrected
    p below :data:`SIZE_ALPHA`. A parameter counts as unsourced by its metadata (``params.is_sourced``),
    whether or not its prior includes the null; a prior that excludes it means that every world assumes
    the mechanism works, so the worlds cannot question the direction it gives.

    One dict per conclusion with at least one such parameter: ``lever``, ``target``, ``worlds``, ``majority``
    (sign of most worlds' effect), ``share`` (of worlds with that sign) and ``parameters``: a list of dicts
    (``parameter``, ``rho``, ``prior``, ``null``, ``includes_null``), strongest first. Empty if the files
    are missing."""
    import pandas as pd
    from scipy import stats

    d = Path(results_dir)
    pe, pp = d / "robustness_worlds.csv", d / "robustness_world_params.csv"
    if not (pe.is_file() and pp.is_file()):
        return []
    eff = pd.read_csv(pe)
    par = pd.read_csv(pp).set_index("world")
    cols = [c for c in par.columns if c in PARAM_INFO and not is_sourced(c)
            and pd.api.types.is_numeric_dtype(par[c]) and par[c].nunique() > 1]
    out: list[dict] = []
    for (lev, tgt), g in eff.groupby(["lever", "target"], sort=False):
        if packages is not None and lev not in packages:
            continue
        e = g.set_index("world")["effect"].dropna()
        n = len(e)
        if n < 4 or not cols or e.nunique() < 2:
            continue
        x = par.reindex(e.index)
        found = []
        for c in cols:
            res = stats.spearmanr(x[c], e)
            rho, p = float(res.statistic), float(res.pvalue)
            if math.isfinite(rho) and abs(rho) >= SIZE_RHO and p * len(cols) < SIZE_ALPHA:
                prior, null, inc = prior_of(c)
                found.append({"parameter": c, "rho": rho, "prior": prior, "null": null, "includes_null": inc})
        if not found:
            continue
        found.sort(key=lambda r: -abs(r["rho"]))
        pos, neg = int((e > 0).sum()), int((e < 0).sum())
        out.append({"lever": lev, "target": tgt, "worlds": n, "majority": "+" if pos >= neg else "-",
                    "share": max(pos, neg) / n, "parameters": found})
    return out
