"""A self-contained HTML report of a scenario comparison, for a policymaker, in English or 中文.

One file, no external resources: the figures are embedded as base64 PNG and the Chinese font
as a WOFF subset of the characters used (``data:`` URIs, RFC 2397), so the report opens offline,
shows Chinese on a machine without a Chinese font, and can be mailed. It opens with a summary
for decision makers (a ranked table of the packages on who takes part, what gets implemented,
trust, complaints and cost, with "how sure" in words, and one sentence on the mechanism of each
unexpected effect, built from the runs' topic records), then the costs and cost-effectiveness,
the effects, the figures, the levels, how the scenarios differ and how the result was produced.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from consultsim.analysis.costs import COST_ITEMS, cost_table, per_10k
from consultsim.analysis.plotting import BETTER, FINAL_WINDOW_WEEKS, metric_label
from consultsim.core.metric_names import CUMULATIVE, LABELS, UNITS
from consultsim.core.params import PARAM_INFO
from consultsim.i18n import tr

__all__ = ["HEADLINE_METRICS", "SUMMARY_METRICS", "BETTER", "fmt_level", "fmt_diff", "certainty",
           "display_names", "headline_sentences", "scenario_differences", "executive_table", "evidence_words",
           "mechanism_sentences", "render_report", "write_report"]

HEADLINE_METRICS = ("participation_rate", "representation_gap", "resident_proposed_share",
                    "implementation_rate", "mean_trust_committee", "mean_efficacy")
# The outcomes a superior asks about, in the executive summary's column order (plus cost).
SUMMARY_METRICS = {"participation": "participation_rate", "implementation": "implementation_rate",
                   "trust": "mean_trust_committee", "complaints": "complaints", "capacity": "mean_capacity",
                   "voice": "voice_concentration"}
CLEAR_RUNS = 20  # replicates from which an interval that excludes zero is called "clear"
_BAD_OUTCOMES = ("stalled", "no quorum", "deadlock", "rejected", "no valid vote")


def _share(metric: str) -> bool:
    return "share" in UNITS.get(metric, "")


def fmt_level(metric: str, v: float) -> str:
    """A metric's value in words' units: shares in percent, scales with two decimals, counts whole."""
    if v is None or not math.isfinite(v):
        return "n/a"
    if _share(metric):
        return f"{100 * v:.1f}%"
    if "cumulative" in UNITS.get(metric, ""):
        return f"{v:,.{0 if abs(v) >= 100 else 1}f}"
    return f"{v:.2f}"


def _count_unit(metric: str, lang: str) -> str:
    first = UNITS[metric].split(",")[0]
    return tr(f"unit.{first}", lang) if first in ("topics", "calls", "meetings", "yuan") else first


def fmt_diff(metric: str, d: float, lang: str = "en", unit: bool = True) -> str:
    """A signed difference: percentage points for shares, points on the scale otherwise."""
    if d is None or not math.isfinite(d):
        return "n/a"
    if _share(metric):
        return f"{100 * d:+.1f}" + (f" {tr('report.pp', lang)}" if unit else "")
    if "cumulative" in UNITS.get(metric, ""):
        return f"{d:+,.{0 if abs(d) >= 100 else 1}f}" + (f" {_count_unit(metric, lang)}" if unit else "")
    return f"{d:+.3f}"


def certainty(row: Mapping[str, Any], lang: str = "en") -> tuple[str, int]:
    """How sure, in words, from the interval against zero and the number of runs; and the sign of a
    clear or probable change (0 when the interval includes zero)."""
    lo, hi, n = row["ci_low"], row["ci_high"], int(row["n"])
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return tr("report.sure.none", lang), 0
    sign = 1 if lo > 0 else -1 if hi < 0 else 0
    if sign == 0:
        return tr("report.sure.unclear", lang), 0
    return (tr("report.sure.clear", lang) if n >= CLEAR_RUNS else tr("report.sure.probable", lang, n=n)), sign


def display_names(scenarios: Sequence[Any], labels: Sequence[str], lang: str = "en") -> dict[str, str]:
    """Label -> name shown: the Chinese name (name_zh) in Chinese when the scenario has one, with the
    label's " (2)" suffix kept so that repeated scenarios stay apart."""
    out = {}
    for sc, lab in zip(scenarios, labels):
        zh = getattr(sc, "name_zh", "") if lang == "zh" else ""
        suffix = lab[len(sc.name):] if lab.startswith(sc.name) else ""
        out[lab] = f"{zh}{suffix}" if zh else lab
    return out


def _description(sc: Any, lang: str) -> str:
    text = (getattr(sc, "description_zh", "") if lang == "zh" else "") or sc.description
    return " ".join(text.split()) or tr("report.no_description", lang)


def headline_sentences(effects: pd.DataFrame, reference: str, metrics: Sequence[str] = HEADLINE_METRICS,
                       lang: str = "en", names: Mapping[str, str] | None = None) -> dict[str, list[str]]:
    """For each scenario, one plain sentence per headline metric: levels, change and interval."""
    names = names or {}
    out: dict[str, list[str]] = {}
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        lines = []
        for m in metrics:
            if m not in g.index:
                continue
            r = g.loc[m]
            label = metric_label(m, lang)
            if not (math.isfinite(r["diff"]) and math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])):
                lines.append(tr("report.not_enough", lang, label=label, n=int(r["n"])))
                continue
            sign = 1 if r["ci_low"] > 0 else -1 if r["ci_high"] < 0 else 0
            verdict = tr({1: "report.v.higher", -1: "report.v.lower", 0: "report.v.none"}[sign], lang)
            if sign and m in BETTER:
                verdict += f" ({tr('report.better' if sign == BETTER[m] else 'report.worse', lang)})"
            lines.append(tr("report.sentence", lang, label=label, ref=names.get(reference, reference),
                            sc=names.get(sc, sc), ref_level=fmt_level(m, r["reference_mean"]),
                            level=fmt_level(m, r["scenario_mean"]), verdict=verdict, diff=fmt_diff(m, r["diff"], lang),
                            lo=fmt_diff(m, r["ci_low"], lang, unit=False), hi=fmt_diff(m, r["ci_high"], lang, unit=False)))
        out[sc] = lines
    return out


# A value that does nothing while another lever is off: shown as "unused", never as a level.
_INERT = {"incentive_budget": lambda p: p.incentive_per_meeting <= 0,
          "training_seats": lambda p: p.training_sessions_per_quarter == 0,
          "social_worker_hours": lambda p: p.social_workers == 0}


def _shown_value(params: Any, key: str, lang: str) -> str:
    if key in _INERT and _INERT[key](params):
        return tr("report.unused", lang, why=tr(f"report.unused.{key}", lang))
    v = getattr(params, key)
    if isinstance(v, bool):
        return tr(f"report.{str(v).lower()}", lang)
    return f"{v:,g}" if isinstance(v, float) else str(v)


def _param_doc(key: str, lang: str) -> str:
    from consultsim.i18n.params import param_doc

    return param_doc(key, lang)


def scenario_differences(scenarios: Sequence[Any], labels: Sequence[str], lang: str = "en",
                         names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Parameters whose value differs from the first scenario: scenario, parameter, meaning, from, to.

    Cost prices (descriptive) are left out; a value that does nothing while its lever is off (a
    budget with no points scheme) shows as "unused", so an unused budget never reads as a cut."""
    names = names or {}
    ref = scenarios[0].params
    rows = []
    for sc, lab in zip(scenarios[1:], labels[1:]):
        p = sc.params
        changed = []
        for k in PARAM_INFO:
            if PARAM_INFO[k].metadata["descriptive"] or getattr(p, k) == getattr(ref, k):
                continue
            a, b = _shown_value(ref, k, lang), _shown_value(p, k, lang)
            if a != b:
                changed.append((k, a, b))
        if not changed:
            rows.append((names.get(lab, lab), "", tr("report.identical", lang), "", ""))
        for k, a, b in changed:
            rows.append((names.get(lab, lab), k, _param_doc(k, lang), a, b))
    return pd.DataFrame(rows, columns=[tr("report.package", lang), tr("report.parameter", lang),
                                       tr("report.meaning", lang), names.get(labels[0], labels[0]),
                                       tr("report.value", lang)])


def _yuan(v: float, lang: str) -> str:
    if not math.isfinite(v):
        return "n/a"
    return tr("cost.yuan", lang, v=f"{v:,.0f}")


def evidence_words(sc: Any, reference: Any, lang: str = "en") -> str:
    """What package ``sc``'s effect rests on, in words: "follows from the mechanisms and sourced sizes" or
    "depends on an assumed size (parameters, no source)" (analysis.levers.package_evidence)."""
    from consultsim.analysis.levers import package_evidence

    ev = package_evidence(sc.params, reference.params)
    if not ev.sizes and not any(getattr(sc.params, n) != getattr(reference.params, n)
                                for n in _lever_names()):
        return tr("report.evidence.none", lang)
    if ev.sourced:
        return tr("report.evidence.sourced", lang)
    return tr("report.evidence.assumed", lang, params=", ".join(ev.assumed))


def _lever_names() -> list[str]:
    from consultsim.analysis.levers import lever_names

    return lever_names()


def executive_table(effects: pd.DataFrame, costs: pd.DataFrame | None, reference: str, lang: str = "en",
                    names: Mapping[str, str] | None = None, steps: int = 52,
                    households: float | None = None, order: Sequence[str] | None = None,
                    evidence: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The ranked summary: one row per package, the change in each outcome with "how sure" in words,
    the extra cost a year and, with ``evidence`` ({package: words}, :func:`evidence_words`), what its
    effect rests on. In ``order`` (the funding ranking) if given; else ranked by outcomes clearly
    improved, then fewest clearly worsened, then cheapest."""
    names = names or {}
    years = max(steps, 1) / 52.0
    extra = (cost_table(costs, reference).set_index("scenario")["extra"] if costs is not None and len(costs)
             else pd.Series(dtype=float))
    rows = []
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        cells, good, bad = {}, 0, 0
        for q, m in SUMMARY_METRICS.items():
            if m not in g.index:
                cells[q] = "n/a"
                continue
            r = g.loc[m]
            words, sign = certainty(r, lang)
            if sign:
                better = sign == BETTER[m]
                good, bad = good + better, bad + (not better)
                words += ("，" if lang == "zh" else ", ") + tr("report.better" if better else "report.worse", lang)
            if "cumulative" in UNITS[m]:  # counts (complaints) per year, as a superior asks about them
                diff = tr("report.per_year", lang, v=fmt_diff(m, r["diff"] / years, lang))
            else:
                diff = fmt_diff(m, r["diff"], lang)
            if q == "participation" and households:  # a change in share, and the households it means
                diff += " = " + tr("report.hh", lang, v=f"{r['diff'] * households:+,.0f}")
            cells[q] = tr("report.cell", lang, diff=diff, words=words)
        c = float(extra.get(sc, float("nan")))
        cells["cost"] = (tr("cost.none", lang) if math.isfinite(c) and c <= 0 else _yuan(c, lang))
        if evidence is not None:
            cells["evidence"] = evidence.get(sc, "")
        rows.append((-good, bad, c if math.isfinite(c) else 0.0, names.get(sc, sc), cells))
    if order is not None:  # the order of the funding ranking (analysis/funding.py)
        pos = {names.get(sc, sc): i for i, sc in enumerate(order)}
        rows.sort(key=lambda t: pos.get(t[3], len(pos)))
    else:
        rows.sort(key=lambda t: t[:3])
    keys = (*SUMMARY_METRICS, "cost", *(("evidence",) if evidence is not None else ()))
    cols = [tr("report.rank", lang), tr("report.package", lang), *(tr(f"report.q.{q}", lang) for q in keys)]
    return pd.DataFrame([(i + 1, name, *(cells[q] for q in keys))
                         for i, (_, _, _, name, cells) in enumerate(rows)], columns=cols)


def _per_run_year(topics: pd.DataFrame, sc: str, years: float, runs: int, mask: pd.Series | None = None,
                  col: str | None = None) -> float:
    d = topics[topics["scenario"] == sc]
    if mask is not None:
        d = d[mask.loc[d.index]]
    total = float(d[col].sum()) if col else float(len(d))
    return total / max(runs, 1) / years


def mechanism_sentences(effects: pd.DataFrame, topics: pd.DataFrame, final: pd.DataFrame, reference: str,
                        steps: int, lang: str = "en", names: Mapping[str, str] | None = None) -> list[str]:
    """One plain sentence per unexpected effect (a clear change in the direction a policymaker would not
    expect: complaints up, trust, implementation or participation down), built from the runs' own
    records: who complained (supporters of failed topics or opponents of works done; attendees or
    those who learned second-hand), which outcomes residents heard of, which resolutions stalled, how
    many meetings were held and how many came."""
    names = names or {}
    years = max(steps, 1) / 52.0
    runs = int(final["replicate"].nunique()) if len(final) else 1
    have = {"complaints", "complaints_attendees", "informed", "published", "outcome"} <= set(topics.columns)
    out = []
    rn = names.get(reference, reference)
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        sn = names.get(sc, sc)
        for m in _AGAINST_AIM:
            if m not in g.index:
                continue
            r = g.loc[m]
            _, sign = certainty(r, lang)
            if not sign or sign == BETTER.get(m, -1 if m == "failed" else sign):
                continue
            if not have:
                continue
            t = topics[topics["scenario"] == sc]
            tref = topics[topics["scenario"] == reference]
            bad = topics["outcome"].isin(_BAD_OUTCOMES)
            good = topics["outcome"] == "implemented"
            if m == "complaints":
                calls = float(t["complaints"].sum())
                if calls <= 0:
                    continue
                sup = float(t.loc[t["outcome"] != "implemented", "complaints"].sum()) / calls
                nonatt = 1.0 - float(t["complaints_attendees"].sum()) / calls
                known = t[t["informed"] > 0]
                known_ref = tref[tref["informed"] > 0]
                out.append(tr("report.mech.complaints", lang, sc=sn, ref=rn, d=f"{r['diff'] / years:,.0f}",
                              sup=sup, nonatt=nonatt, pub=float(known["published"].mean()) if len(known) else 0.0,
                              pub_ref=float(known_ref["published"].mean()) if len(known_ref) else 0.0))
            elif m == "mean_trust_committee":
                vals = {k: _per_run_year(topics, s, years, runs, mask, "informed")
                        for k, s, mask in (("bad", sc, bad), ("bad_ref", reference, bad), ("good", sc, good),
                                           ("good_ref", reference, good))}
                key = "report.mech.trust_bad" if vals["bad"] > vals["bad_ref"] else "report.mech.trust_good"
                out.append(tr(key, lang, sc=sn, ref=rn, **{k: f"{v:,.0f}" for k, v in vals.items()}))
            elif m == "implementation_rate":
                st = topics["outcome"] == "stalled"
                out.append(tr("report.mech.implementation", lang, sc=sn, ref=rn,
                              stalled=f"{_per_run_year(topics, sc, years, runs, st):.1f}",
                              stalled_ref=f"{_per_run_year(topics, reference, years, runs, st):.1f}",
                              impl=f"{_per_run_year(topics, sc, years, runs, good):.1f}",
                              impl_ref=f"{_per_run_year(topics, reference, years, runs, good):.1f}"))
            elif m == "participation_rate":
                def meet(s):
                    return float(final.loc[final["scenario"] == s, "meetings_held"].mean()) / years

                def per(d):
                    d = d[d["meetings"] > 0]
                    return float(d["attendees"].sum() / d["meetings"].sum()) if len(d) else 0.0
                out.append(tr("report.mech.participation", lang, sc=sn, ref=rn, meetings=f"{meet(sc):.0f}",
                              per=f"{per(t):.0f}", meetings_ref=f"{meet(reference):.0f}", per_ref=f"{per(tref):.0f}"))
            elif m in ("mean_efficacy", "mean_trust_property", "mean_civic"):
                vals = {k: _per_run_year(topics, s, years, runs, mask, "informed")
                        for k, s, mask in (("bad", sc, bad), ("bad_ref", reference, bad), ("good", sc, good),
                                           ("good_ref", reference, good))}
                pub = float(t["published"].mean()) if len(t) else 0.0
                pub_ref = float(tref["published"].mean()) if len(tref) else 0.0
                key = "report.mech.heard_pub" if pub > pub_ref and vals["bad"] > vals["bad_ref"] else \
                    "report.mech.heard_bad" if vals["bad"] > vals["bad_ref"] else "report.mech.who"
                fields = {k: f"{v:,.0f}" for k, v in vals.items()}
                if key == "report.mech.who":
                    fields = _who_fields(topics, final, sc, reference, years)
                out.append(tr(key, lang, sc=sn, ref=rn, label=metric_label(m, lang), diff=fmt_diff(m, r["diff"], lang),
                              pub=pub, pub_ref=pub_ref, **fields))
            elif m in ("stalled", "implemented", "failed", "resolutions"):
                st, res = topics["outcome"] == "stalled", topics["step_decided"] >= 0
                out.append(tr("report.mech.stalled", lang, sc=sn, ref=rn, diff=fmt_diff(m, r["diff"], lang),
                              res=f"{_per_run_year(topics, sc, years, runs, res & ~topics['outcome'].isin(_FAILED)):.1f}",
                              res_ref=f"{_per_run_year(topics, reference, years, runs, res & ~topics['outcome'].isin(_FAILED)):.1f}",
                              impl=f"{_per_run_year(topics, sc, years, runs, good):.1f}",
                              impl_ref=f"{_per_run_year(topics, reference, years, runs, good):.1f}",
                              stalled=f"{_per_run_year(topics, sc, years, runs, st):.1f}",
                              stalled_ref=f"{_per_run_year(topics, reference, years, runs, st):.1f}"))
            else:  # who takes part and how: voice, age mix, inequality, capacity, proposals, attendance
                out.append(tr("report.mech.who", lang, sc=sn, ref=rn, label=metric_label(m, lang),
                              diff=fmt_diff(m, r["diff"], lang), **_who_fields(topics, final, sc, reference, years)))
    return out


# Every measure with a direction of improvement (BETTER), so that each effect against its aim gets a "why".
_AGAINST_AIM = ("complaints", "mean_trust_committee", "implementation_rate", "participation_rate", "mean_efficacy",
                "mean_trust_property", "mean_civic", "stalled", "implemented", "failed", "mean_capacity",
                "voice_concentration", "participation_gini", "representation_gap", "resident_proposed_share",
                "attendance_rate", "young_share_attendees", "procedure_completion", "mean_consensus", "resolutions")
_FAILED = ("no quorum", "deadlock", "rejected")


def _who_fields(topics: pd.DataFrame, final: pd.DataFrame, sc: str, reference: str, years: float) -> dict[str, Any]:
    def meet(s):
        return float(final.loc[final["scenario"] == s, "meetings_held"].mean()) / years

    def per(s):
        d = topics[(topics["scenario"] == s) & (topics["meetings"] > 0)]
        return float(d["attendees"].sum() / d["meetings"].sum()) if len(d) else 0.0

    def old(s):
        v = final.loc[final["scenario"] == s, "elderly_share_attendees"] if "elderly_share_attendees" in final else []
        v = pd.to_numeric(pd.Series(v), errors="coerce").mean()
        return float(v) if math.isfinite(v) else 0.0

    return {"meetings": f"{meet(sc):.0f}", "per": f"{per(sc):.0f}", "meetings_ref": f"{meet(reference):.0f}",
            "per_ref": f"{per(reference):.0f}", "old": old(sc), "old_ref": old(reference)}


# ---- what to fund (the first screen; the ranking itself is analysis/funding.py)

def _gain(k: str, r: Mapping[str, Any], households: float, years: float, lang: str, intervals: bool = False,
          short: bool = False) -> str:
    """One objective's paired effect in absolute terms ("+4 works carried out over 2 years (+2 a year)"),
    optionally with the interval of the mean and the prediction interval of a single community."""
    from consultsim.analysis.funding import OBJECTIVES

    o = OBJECTIVES[k]

    def f(v: float) -> str:
        if not math.isfinite(v):
            return "n/a"
        if o.kind == "households":
            return f"{v * households:+,.0f}"
        if o.kind == "count":
            v = v if k == "works" else v / years
            return f"{v:+,.1f}"
        if o.kind == "share":
            return f"{100 * v:+.1f}"
        return f"{v:+.3f}"

    d = f(r["diff"])
    if intervals and math.isfinite(r.get("ci_low", float("nan"))):
        d = tr("fund.ci", lang, d=d, lo=f(r["ci_low"]), hi=f(r["ci_high"]), plo=f(r.get("pi_low", float("nan"))),
               phi=f(r.get("pi_high", float("nan"))))
    if short and o.kind == "count" and k != "works":  # already a yearly count
        return tr("report.per_year", lang, v=d)
    if short:  # a table cell: the number and its unit only (the column names the objective)
        return tr(f"fund.s.{o.kind}", lang, d=d, y=f"{r['diff'] / years:+,.1f}" if math.isfinite(r["diff"]) else "n/a")
    if k == "works":
        y = r["diff"] / years if math.isfinite(r["diff"]) else float("nan")
        return tr("fund.g.works", lang, d=d, years=f"{years:g}", y=f"{y:+,.1f}")
    return tr(f"fund.g.{k}", lang, d=d)


def _gains(effects: pd.DataFrame, sc: str, objectives: Sequence[str], households: float, years: float, lang: str,
           intervals: bool = False) -> str:
    from consultsim.analysis.funding import OBJECTIVES

    g = effects[effects["scenario"] == sc].set_index("metric")
    parts = [_gain(k, g.loc[OBJECTIVES[k].metric], households, years, lang, intervals)
             for k in objectives if OBJECTIVES[k].metric in g.index]
    return tr("fund.gains_sep", lang).join(parts)


def _objectives_text(objectives: Sequence[str], lang: str) -> str:
    return tr("fund.and", lang).join(tr(f"fund.obj.{k}", lang) for k in objectives)


def _levers_changed(scenarios: Sequence[Any], labels: Sequence[str], sc: str, lang: str) -> str:
    ref = scenarios[0].params
    p = dict(zip(labels, scenarios))[sc].params
    items = [f"{_param_doc(k, lang)} ({_shown_value(ref, k, lang)} → {_shown_value(p, k, lang)})"
             for k in PARAM_INFO if not PARAM_INFO[k].metadata["descriptive"] and getattr(p, k) != getattr(ref, k)]
    return tr("fund.and", lang).join(items) if items else tr("report.identical", lang)


def funding_section(*, funding: Any, effects: pd.DataFrame, scenarios: Sequence[Any], labels: Sequence[str],
                    names: Mapping[str, str], steps: int, lang: str, mechanisms: Sequence[str] = (),
                    yearly: pd.DataFrame | None = None) -> list[str]:
    """The report's first screen: what to fund and why, the ranking by effect per yuan, one sentence per
    package in absolute numbers (both intervals named), the assumptions that decide the ranking and, for
    horizons over a year, a year-by-year table with the cumulative cost."""
    from consultsim.analysis.funding import deciding_assumptions

    esc = html.escape
    ref = labels[0]
    rn = names.get(ref, ref)
    years = max(steps, 1) / 52.0
    hh = float(scenarios[0].params.n_residents)
    t = funding.table
    objs = funding.objectives
    otext = _objectives_text(objs, lang)
    budget = (tr("fund.budget", lang, v=_yuan(funding.budget, lang)) if funding.budget is not None
              else tr("fund.no_budget", lang))
    out = [f"<h2>{esc(tr('fund.title', lang))}</h2>"]
    best, big = funding.recommended, funding.biggest
    by = t.set_index("scenario")
    if best is None:
        lead = [tr("fund.none", lang, budget=budget, objectives=otext)]
    else:
        r = by.loc[best]
        gains = _gains(effects, best, objs, hh, years, lang)
        lead = [tr("fund.lead_free", lang, sc=names.get(best, best), gains=gains) if r["extra"] <= 0 else
                tr("fund.lead", lang, sc=names.get(best, best), cost=_yuan(r["extra"], lang), gains=gains,
                   budget=budget, objectives=otext)]
        if big is not None:
            b = by.loc[big]
            e = effects.set_index(["scenario", "metric"])
            inc = effects[effects["scenario"] == big].copy()
            inc["diff"] = [v - e.loc[(best, m), "diff"] if (best, m) in e.index else float("nan")
                           for m, v in zip(inc["metric"], inc["diff"])]
            lead.append(tr("fund.alternative", lang, sc=names.get(big, big), cost=_yuan(b["extra"], lang),
                           gains=_gains(effects, big, objs, hh, years, lang), best=names.get(best, best),
                           inc=_yuan(b["extra"] - r["extra"], lang),
                           inc_gains=_gains(inc, big, objs, hh, years, lang)))
        why = tr("fund.why_levers", lang, sc=names.get(best, best), levers=_levers_changed(scenarios, labels, best, lang))
        lead.append(tr("fund.why", lang, why=why))
    out.append("<div class='lead'>" + "".join(f"<p>{esc(x)}</p>" for x in lead) + "</div>")
    mine = [m for m in mechanisms if best is not None and m.startswith(names.get(best, best) + ("：" if lang == "zh" else ":"))]
    if mine:
        out.append("<ul>" + "".join(f"<li>{esc(m)}</li>" for m in mine) + "</ul>")

    # the ranking
    rows = []
    for r in t.itertuples(index=False):
        cost = (tr("fund.free", lang) if r.extra <= 0 else
                f"{_yuan(r.extra, lang)} ({r.extra_min:,.0f}–{r.extra_max:,.0f})")
        score = ("–" if not math.isfinite(r.per10k) else "∞" if r.per10k == float("inf") else f"{r.per10k:+.2f}")
        verdict = (tr("fund.st.dominated", lang, by=names.get(r.dominated_by, r.dominated_by))
                   if r.status == "dominated" else tr(f"fund.st.{r.status}", lang))
        row = {tr("report.rank", lang): r.rank, tr("report.package", lang): names.get(r.scenario, r.scenario),
               tr("fund.col.cost", lang): cost}
        g = effects[effects["scenario"] == r.scenario].set_index("metric")
        from consultsim.analysis.funding import OBJECTIVES
        for k in objs:
            m = OBJECTIVES[k].metric
            row[tr(f"fund.obj.{k}", lang)] = (_gain(k, g.loc[m], hh, years, lang, short=True)
                                             if m in g.index else "n/a")
        row[tr("fund.col.score", lang)] = score
        row[tr("fund.col.verdict", lang)] = verdict
        rows.append(row)
    out.append("<p class='small'>" + esc(tr("fund.table_intro", lang, objectives=otext, ref=rn, steps=steps)) + "</p>")
    out.append(_table(pd.DataFrame(rows), "wide"))
    doms = [f"{names.get(r.scenario, r.scenario)} ({names.get(r.dominated_by, r.dominated_by)})"
            for r in t.itertuples(index=False) if r.dominated_by]
    out.append("<p>" + esc(tr("fund.dominated", lang, ref=rn, items=tr("fund.and", lang).join(doms)) if doms
                           else tr("fund.none_dominated", lang)) + "</p>")

    # the assumptions that decide it
    ranked = [s for s in (best, big) if s] or list(t["scenario"][:2])
    ass = deciding_assumptions(scenarios, labels, ranked, objs)
    if ass:
        out.append(f"<h3>{esc(tr('fund.assumptions', lang))}</h3>")
        out.append("<p class='small'>" + esc(tr("fund.assumptions_intro", lang)) + "</p><ul class='small'>")
        for a in ass:
            lo, hi = a["plausible"] or ("?", "?")
            out.append("<li>" + esc(tr("fund.assumption", lang, name=a["name"], value=f"{a['value']:,g}",
                                       doc=_param_doc(a["name"], lang), lo=f"{lo:,g}", hi=f"{hi:,g}",
                                       source=_source(a["source"], lang))) + "</li>")
        out.append("</ul>")

    # each package in absolute numbers, both intervals named
    out.append(f"<h3>{esc(tr('fund.effects_title', lang))}</h3><ul>")
    for r in t.itertuples(index=False):
        gains = _gains(effects, r.scenario, objs, hh, years, lang, intervals=True)
        out.append("<li>" + esc(tr("fund.sentence_free", lang, sc=names.get(r.scenario, r.scenario), gains=gains)
                                if r.extra <= 0 else
                                tr("fund.sentence", lang, sc=names.get(r.scenario, r.scenario),
                                   cost=_yuan(r.extra, lang), lo=f"{r.extra_min:,.0f}", hi=f"{r.extra_max:,.0f}",
                                   gains=gains)) + "</li>")
    out.append("</ul><p class='small'>" + esc(tr("fund.intervals", lang)) + "</p>")

    if yearly is not None and len(yearly) and steps > 52:
        out.append(f"<h3>{esc(tr('fund.years_title', lang))}</h3>")
        out.append("<p class='small'>" + esc(tr("fund.years_intro", lang, ref=rn)) + "</p>")
        yt = pd.DataFrame({
            tr("report.package", lang): [names.get(s, s) for s in yearly["scenario"]],
            tr("fund.col.year", lang): yearly["year"],
            tr("fund.col.works", lang): [f"{v:+,.1f}" for v in yearly["works"]],
            tr("fund.col.households", lang): [f"{v:+,.0f}" for v in yearly["households"]],
            tr("fund.col.trust", lang): [f"{v:+.3f}" for v in yearly["trust"]],
            tr("fund.col.year_cost", lang): [_yuan(v, lang) for v in yearly["extra_cost"]],
            tr("fund.col.cum_cost", lang): [_yuan(v, lang) for v in yearly["cumulative_cost"]],
        })
        rank = {s: k for k, s in enumerate(t["scenario"])}  # the ranking's order, then year
        yt = yt.iloc[sorted(range(len(yearly)), key=lambda j: (rank.get(yearly["scenario"].iloc[j], len(rank)),
                                                                int(yearly["year"].iloc[j])))]
        out.append(_table(yt, "wide"))
    return out


def _source(text: str, lang: str) -> str:
    """A parameter's source as shown. Under zh an assumption reads 假设 and only citations (authors, years)
    stay as written; the English reasoning after "assumption:" is left to the English report."""
    if lang != "zh":
        return text
    parts = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        if part.lower().startswith(("assumption", "size an assumption", "lever")):
            word = tr("report.assumption_word", lang) if "assumption" in part.lower() else tr("report.lever_word", lang)
            if word not in parts:
                parts.append(word)
        elif any(ch.isdigit() for ch in part) and not part.lower().startswith("beijing"):
            parts.append(tr("report.cited_word", lang))  # a citation (authors, year): in the English report
        else:
            parts.append(tr("report.source_word", lang))
    return "；".join(dict.fromkeys(parts))


def _shown_path(path: Any) -> str:
    """A scenario file as the report shows it: shipped ones as scenarios/NAME.toml, others by file name only
    (a report is mailed: it must not reveal the author's folders)."""
    from consultsim.running.scenarios import SCENARIO_DIR

    p = Path(str(path))
    try:
        return f"scenarios/{p.resolve().relative_to(SCENARIO_DIR.resolve())}"
    except ValueError:
        return p.name


def _no_paths(command: Any) -> str:
    """The command line with every absolute path cut to its last part."""
    words = command if isinstance(command, (list, tuple)) else str(command).split(" ")
    return " ".join(_shown_path(w) if (str(w).startswith(("/", "~")) or (len(str(w)) > 2 and str(w)[1:3] in (":\\", ":/")))
                    else str(w) for w in words)


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"><figcaption>' \
           f'{html.escape(alt)}</figcaption></figure>'


def _table(df: pd.DataFrame, cls: str = "") -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table class='{cls}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _levels_table(summary: pd.DataFrame, metrics: Sequence[str], lang: str,
                  names: Mapping[str, str]) -> pd.DataFrame:
    rows = []
    for m in metrics:
        d = summary[summary["metric"] == m]
        unit = "%" if _share(m) else tr(f"unit.{UNITS[m]}", lang)
        row = {tr("report.measure", lang): f"{metric_label(m, lang)} ({unit})"}
        for r in d.itertuples():
            row[names.get(r.scenario, r.scenario)] = (
                f"{fmt_level(m, r.mean)} [{fmt_level(m, r.ci_low)}, {fmt_level(m, r.ci_high)}]"
                if math.isfinite(r.ci_low) else fmt_level(m, r.mean))
        rows.append(row)
    return pd.DataFrame(rows)


def _effects_table(effects: pd.DataFrame, metrics: Sequence[str], lang: str,
                   names: Mapping[str, str]) -> pd.DataFrame:
    """Compact table (one row per package) used instead of sentences when many packages are compared."""
    rows = []
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        row = {tr("report.package", lang): names.get(sc, sc)}
        for m in metrics:
            if m in g.index:
                r = g.loc[m]
                row[metric_label(m, lang)] = (f"{fmt_diff(m, r['diff'], lang)} [{fmt_diff(m, r['ci_low'], lang, False)}, "
                                              f"{fmt_diff(m, r['ci_high'], lang, False)}]")
        rows.append(row)
    return pd.DataFrame(rows)


def _cost_tables(costs: pd.DataFrame, effects: pd.DataFrame, reference: str, lang: str,
                 names: Mapping[str, str], steps: int = 52) -> tuple[pd.DataFrame, pd.DataFrame]:
    tab = cost_table(costs, reference)
    items = [c for c in COST_ITEMS if (tab[c] > 0).any()]
    ref_name = names.get(reference, reference)
    rows = []
    for r in tab.itertuples(index=False):
        row = {tr("report.package", lang): names.get(r.scenario, r.scenario)}
        for c in items:
            v = getattr(r, c)
            row[tr(f"cost.{c}", lang)] = f"{v:,.0f}" if v else "–"
        row[tr("report.total", lang)] = (f"{r.total:,.0f} ({r.total_min:,.0f}–{r.total_max:,.0f})"
                                         if r.total_max > r.total_min else f"{r.total:,.0f}")
        row[tr("report.extra", lang, ref=ref_name)] = (f"{r.extra:+,.0f} ({r.extra_min:+,.0f} – {r.extra_max:+,.0f})"
                                                       if r.extra_max > r.extra_min else f"{r.extra:+,.0f}")
        rows.append(row)
    eff = per_10k(effects[effects["metric"].isin(SUMMARY_METRICS.values())], tab, steps)
    prow = []
    for sc, g in eff.groupby("scenario", sort=False):
        g = g.set_index("metric")
        row = {tr("report.package", lang): names.get(sc, sc),
               tr("report.q.cost", lang): _yuan(float(g["extra_cost"].iloc[0]), lang)}
        for q, m in SUMMARY_METRICS.items():
            if m not in g.index:
                continue
            r = g.loc[m]
            cell = (f"{fmt_diff(m, r['per10k'], lang)} [{fmt_diff(m, r['per10k_low'], lang, False)}, "
                    f"{fmt_diff(m, r['per10k_high'], lang, False)}]")
            if m in CUMULATIVE:  # a yearly count per 10,000 yuan a year
                cell = tr("report.per_year", lang, v=cell)
            row[tr(f"report.q.{q}", lang)] = "–" if not math.isfinite(r["per10k"]) else cell
        prow.append(row)
    return pd.DataFrame(rows), pd.DataFrame(prow)


_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;font-size:.88em;margin:.6em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%}
figcaption{font-size:.85em;color:#555}.lead{font-size:1.08em;background:#f4f8fb;border-left:4px solid #0072B2;
padding:.3em .9em}.warn{background:#fff4e0;border-left:4px solid #D55E00;padding:.4em .8em}.small{font-size:.85em;color:#444}code{background:#f5f5f5;padding:0 .2em}
.wide{display:block;overflow-x:auto}code{font-family:ui-monospace,"DejaVu Sans Mono",monospace,'ConsultSim Sans SC'}
"""


def render_report(*, scenarios: Sequence[Any], labels: Sequence[str], summary: pd.DataFrame,
                  effects: pd.DataFrame, figures: Mapping[str, Path], provenance: Mapping[str, Any],
                  replicates: int, steps: int, lang: str = "en", costs: pd.DataFrame | None = None,
                  topics: pd.DataFrame | None = None, final: pd.DataFrame | None = None,
                  dominated: Mapping[str, set[str]] | None = None, funding: Any = None,
                  yearly: pd.DataFrame | None = None, objectives: Sequence[str] | None = None,
                  budget: float | None = None) -> str:
    """The report as one HTML string (see the module docstring).

    ``funding`` is :func:`consultsim.analysis.funding.rank_packages` output (computed here from
    ``effects``, ``final`` and ``costs`` on ``objectives`` within ``budget`` when not given);
    ``yearly`` its :func:`~consultsim.analysis.funding.yearly_table` for horizons over a year."""
    from consultsim.analysis.cjk import FONT_FAMILY, font_face_css

    ref = labels[0]
    names = display_names(scenarios, labels, lang)
    rn = names[ref]
    esc = html.escape
    window = min(FINAL_WINDOW_WEEKS, steps)
    body = [f"<h1>{esc(tr('report.title', lang))}</h1>",
            "<p>" + esc(tr("report.intro", lang, households=f"{scenarios[0].params.n_residents:,}", steps=steps,
                           years=f"{steps / 52:.1f}", runs=replicates)) + "</p>"]

    from consultsim.running.lever_checks import lever_warnings
    warned = [str(w) for sc in scenarios for w in lever_warnings(sc, steps, lang)]
    if warned:  # prices that look like 万元 or 0, changes no cost item prices, inert levers: beside the result
        body.append("<div class='warn'><b>" + esc(tr("report.warnings", lang)) + "</b><ul>"
                    + "".join(f"<li>{esc(w)}</li>" for w in warned) + "</ul></div>")
    sizes = sorted({int(sc.params.n_residents) for sc in scenarios})
    if len(sizes) > 1:  # counts of differently sized communities are not comparable (compare refuses unless asked)
        body.append("<p class='warn'>" + esc(tr("fund.size_flag", lang, sizes=", ".join(f"{n:,}" for n in sizes)))
                    + "</p>")
    if not effects.empty:
        mech = (mechanism_sentences(effects, topics, final, ref, steps, lang, names)
                if topics is not None and final is not None else [])
        if funding is None and costs is not None and len(costs) and final is not None:
            from consultsim.analysis.funding import DEFAULT_OBJECTIVES, rank_packages
            funding = rank_packages(effects, final, costs, ref, objectives=objectives or DEFAULT_OBJECTIVES,
                                    budget=budget)
        order = None
        if funding is not None and len(funding.table):
            body += funding_section(funding=funding, effects=effects, scenarios=scenarios, labels=labels,
                                    names=names, steps=steps, lang=lang, mechanisms=mech, yearly=yearly)
            order = list(funding.table["scenario"])
        body.append(f"<h2>{esc(tr('report.summary', lang))}</h2>")
        body.append("<p class='small'>" + esc(tr("report.summary_intro" if order is None else "report.summary_intro2",
                                                 lang, ref=rn, steps=steps)) + "</p>")
        evidence = {lab: evidence_words(sc, scenarios[0], lang) for sc, lab in zip(scenarios, labels) if lab != ref}
        body.append(_table(executive_table(effects, costs, ref, lang, names, steps,
                                           households=float(scenarios[0].params.n_residents), order=order,
                                           evidence=evidence), "wide"))
        body.append("<p class='small'>" + esc(tr("report.sure_note", lang)) + " "
                    + esc(tr("report.evidence_note", lang)) + "</p>")
        body.append(f"<h3>{esc(tr('report.surprises', lang))}</h3>")
        body.append("<ul>" + "".join(f"<li>{esc(s)}</li>" for s in mech) + "</ul>" if mech else
                    f"<p>{esc(tr('report.no_surprises', lang))}</p>")

    body.append(f"<h2>{esc(tr('report.compared', lang))}</h2><ul>")
    for sc, lab in zip(scenarios, labels):
        tag = f" ({esc(tr('report.reference_tag', lang))})" if lab == ref else ""
        body.append(f"<li><b>{esc(names[lab])}</b>{tag}: {esc(_description(sc, lang))}</li>")
    body.append("</ul>")

    if costs is not None and len(costs) and not effects.empty:
        cost_tab, p10k = _cost_tables(costs, effects, ref, lang, names, steps)
        body.append(f"<h2>{esc(tr('report.costs', lang))}</h2>")
        body.append("<p class='small'>" + esc(tr("report.costs_intro", lang)) + "</p>")
        body.append(_table(cost_tab, "wide"))
        body.append(f"<h3>{esc(tr('report.per10k', lang))}</h3>")
        body.append("<p class='small'>" + esc(tr("report.per10k_intro", lang, ref=rn)) + "</p>")
        body.append(_table(p10k, "wide"))
        if dominated is not None:
            items = [f"{metric_label(m, lang)}: {', '.join(names.get(s, s) for s in sorted(d))}"
                     for m, d in dominated.items() if d]
            body.append("<p>" + esc(tr("report.dominated_note", lang, ref=rn, items="; ".join(items)) if items
                                    else tr("report.none_dominated", lang)) + "</p>")

    body.append(f"<h2>{esc(tr('report.headline', lang, ref=rn))}</h2>")
    if effects.empty:
        body.append(f"<p>{esc(tr('report.only_one', lang))}</p>")
    elif len(labels) <= 5:
        for sc, lines in headline_sentences(effects, ref, lang=lang, names=names).items():
            body.append(f"<h3>{esc(names[sc])}</h3><ul>" + "".join(f"<li>{esc(s)}</li>" for s in lines) + "</ul>")
    else:  # many packages: one compact table instead of a page of bullets each
        body.append(_table(_effects_table(effects, HEADLINE_METRICS, lang, names), "wide"))
    body.append("<p class='small'>" + esc(tr("report.window_note", lang, w=window)) + "</p>")
    body.append("<p class='small'>" + esc(tr("report.clear_note", lang)) + "</p>")
    body.append(f"<h3>{esc(tr('report.jargon', lang))}</h3><ul class='small'>"
                + "".join(f"<li>{esc(tr(f'plain.{k}', lang))}</li>" for k in ("representation_gap", "participation_gini"))
                + "</ul>")

    # how robust the effects are over plausible worlds, if `consultsim robustness` has been run
    # (results/robustness; analysis/robustness.py owns this section's content)
    from consultsim.analysis.robustness import package_overrides, robustness_section
    own = {lab: package_overrides(sc)[0] for lab, sc in zip(labels, scenarios)}  # matched to a user's package
    body.append(robustness_section(labels[1:], lang=lang, packages=own))
    body.append(cannot_tell_section(labels[1:], lang=lang,
                                    packages={lab: (sc.params, scenarios[0].params)
                                              for sc, lab in zip(scenarios, labels) if lab != ref}))

    body.append(f"<h2>{esc(tr('report.figures', lang))}</h2>")
    for alt, path in figures.items():
        body.append(_img(path, alt))

    body.append(f"<h2>{esc(tr('report.levels', lang, steps=steps))}</h2>"
                "<p class='small'>" + esc(tr("report.levels_note", lang) + " "
                                          + tr("report.window_note", lang, w=window)) + "</p>")
    body.append(_table(_levels_table(summary, [m for m in LABELS if m in set(summary["metric"])], lang, names),
                       "wide"))

    body.append(f"<h2>{esc(tr('report.differ', lang, ref=rn))}</h2>")
    body.append(_table(scenario_differences(scenarios, labels, lang, names), "wide"))

    body.append(f"<h2>{esc(tr('report.produced', lang))}</h2><ul class='small'>")
    seeds = provenance.get("seeds", [])
    items = [("command", _no_paths(provenance.get("command", ""))), ("created", provenance.get("created", "")),
             ("master_seed", provenance.get("master_seed", "")), ("seeds", ", ".join(map(str, seeds))),
             ("replicates", replicates), ("steps", steps),
             ("files", "; ".join(_shown_path(s.path) for s in scenarios if s.path)),
             ("time", f"{provenance.get('seconds', 0):.0f} s")]
    rows = [(tr(f"report.prov.{k}", lang), v) for k, v in items]
    rows += [(tr("report.prov.version", lang, k=k), v) for k, v in provenance.get("versions", {}).items()]
    body += [f"<li><b>{esc(k)}</b>: <code>{esc(str(v))}</code></li>" for k, v in rows]
    body.append("</ul><p class='small'>" + esc(tr("report.tables_note", lang)) + "</p>")

    text = "\n".join(body)
    title = f"ConsultSim: {', '.join(names[lab] for lab in labels)}"
    # The Chinese font, cut to the characters this page uses, so chromium needs no Chinese font installed.
    css = _CSS.replace('font-family:system-ui', f"font-family:'{FONT_FAMILY}',system-ui") \
        if lang == "zh" else _CSS.replace('Roboto,sans-serif', f"Roboto,'{FONT_FAMILY}',sans-serif")
    face = font_face_css(html.unescape(text) + title)
    return (f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{face}\n{css}</style></head><body>\n{text}\n</body></html>")


def _prior_words(r: Mapping[str, Any], t: Any, rho: float | None = None) -> str:
    """One unsourced parameter as the cannot-tell section names it: its prior and whether that prior
    allows no effect at all (and its association with the effect across worlds, if given)."""
    if r["prior"] is None:
        return t("no_range", param=r["parameter"])
    lo, hi = r["prior"]
    null = t("null_in" if r["includes_null"] else "null_out")
    if rho is None:
        return t("param", param=r["parameter"], lo=f"{lo:g}", hi=f"{hi:g}", null=null)
    return t("param_rho", param=r["parameter"], rho=rho, lo=f"{lo:g}", hi=f"{hi:g}", null=null)


def _listed(items: Sequence[str], t: Any, most: int = 6) -> str:
    """Up to ``most`` items (all if only one more), joined as the language joins a list."""
    sep = t("sep")
    if len(items) <= most + 1:
        return sep.join(items)
    return sep.join(items[:most]) + sep + t("more", n=len(items) - most)


def cannot_tell_section(labels: Sequence[str], results_dir: str | Path = "results/robustness",
                        lang: str = "en", packages: Mapping[str, tuple[Any, Any]] | None = None) -> str:
    """The "what the model cannot tell you" section (issue 17, parts 3 and 5), said plainly:

    - *sizes nobody has measured*: for each compared package (``packages``: label -> (its Params, the
      reference's Params)), the effect-size parameters of the levers it changes that have no source
      (:func:`consultsim.analysis.levers.package_evidence`: docs/levers.md's table and the parameters'
      metadata), with their priors; and, over the robustness worlds in ``results_dir``, every conclusion
      whose size goes with an unsourced parameter (:func:`consultsim.analysis.levers.sizes_in_worlds`),
      including parameters whose prior excludes the null (every world assumes the mechanism works);
    - *directions the model cannot settle*: every conclusion about the compared packages (``labels``)
      whose sign depends on an unsourced size or on one structure
      (:func:`consultsim.analysis.robustness.cannot_tell`).

    Empty when there is nothing to say and no robustness result exists."""
    import html
    import json

    from consultsim.analysis.levers import package_evidence, sizes_in_worlds
    from consultsim.analysis.robustness import cannot_tell
    from consultsim.running.provenance import code_identity

    d = Path(results_dir)
    made = [f for f in ("robustness.json", "structures.json") if (d / f).is_file()]
    lang = lang if lang in ("en", "zh") else "en"

    def t(key: str, **fields: Any) -> str:
        return tr(f"report.cannot.{key}", lang, **fields)

    esc = html.escape
    if lang == "zh":
        from consultsim.i18n.terms import METRIC_ZH
        name = lambda m: METRIC_ZH.get(m, m)  # noqa: E731
    else:
        from consultsim.core.metric_names import label as name

    # sizes: from the levers' effect-size parameters and their metadata (no results needed)
    sizes: list[str] = []
    for lab in labels:
        if packages is None or lab not in packages:
            continue
        params, reference = packages[lab]
        assumed = [s for s in package_evidence(params, reference).sizes if not s.sourced]
        if assumed:
            levs = list(dict.fromkeys(lv for s in assumed for lv in s.levers))
            words = [_prior_words({"parameter": s.parameter, "prior": s.prior, "includes_null": s.includes_null}, t)
                     for s in assumed]
            sizes.append(t("package", package=lab, levers=", ".join(levs), params=_listed(words, t, len(words))))
    if not made and not sizes:
        return ""
    head = f"<h2>{esc(t('title'))}</h2>"
    src = esc(str(d))
    intro = esc(t("intro", src="@@")).replace("@@", f"<code>{src}</code>")
    out = [head, f"<p class='small'>{intro}</p>"]
    stale = False
    for f in made:
        try:
            who = json.loads((d / f).read_text(encoding="utf-8"))["code"]["id"]
        except (OSError, ValueError, KeyError, TypeError):
            who = None
        stale = stale or who != code_identity()["id"]
    signs: list[str] = []
    if made and not stale:
        for r in sizes_in_worlds(d, list(labels)):
            ps = r["parameters"]
            words = [_prior_words(p, t, p["rho"]) for p in ps]
            sizes.append(t("size", lever=r["lever"], target=name(r["target"]),
                           dir=t("up") if r["majority"] == "+" else t("down"), share=r["share"], n=r["worlds"],
                           params=_listed(words, t)))
        for r in cannot_tell(d, list(labels)):
            sign = r["majority"] if r["kind"] == "assumption" else r["default_sign"]
            direction = t("up") if sign == "+" else t("down")
            if r["kind"] == "assumption":
                why = t("why", param=r["parameter"], rho=r["rho"]) if r["parameter"] else ""
                text = t("assumption", lever=r["lever"], target=name(r["target"]), dir=direction,
                         share=r["against"], n=r["worlds"], why=why)
            else:
                text = t("structure", lever=r["lever"], target=name(r["target"]), dir=direction,
                         change=t(r["change"]), structure=r["structure"])
            signs.append(text)
    if sizes:
        out.append(f"<h3>{esc(t('sizes_title'))}</h3><ul>" + "".join(f"<li>{esc(x)}</li>" for x in sizes) + "</ul>")
    if not made:
        out.append("<p class='small'>" + esc(t("no_worlds")) + "</p>")
    elif stale:
        out.append("<p class='small'>" + esc(t("stale", src=str(d))) + "</p>")
    else:
        out.append(f"<h3>{esc(t('signs_title'))}</h3>")
        out.append("<ul>" + "".join(f"<li>{esc(x)}</li>" for x in signs) + "</ul>" if signs else
                   "<p class='small'>" + esc(t("none", src=str(d))) + "</p>")
    return "".join(out)


def write_report(path: str | Path, **kwargs: Any) -> Path:
    """Render :func:`render_report` and write it to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(render_report(**kwargs), encoding="utf-8")
    return path
