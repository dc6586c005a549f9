"""A self-contained HTML report of a scenario comparison, for a policymaker.

One file, no external resources: the figures are embedded as base64 PNG
(``data:`` URIs, RFC 2397), so the report opens offline and can be mailed.
It says what was compared, gives the headline effects in plain sentences with
their 95% intervals, shows the figures, lists how the scenarios differ and
records how the result was produced (seeds, versions, command).
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from consultsim.core.metric_names import LABELS, UNITS
from consultsim.core.params import PARAM_INFO

__all__ = ["HEADLINE_METRICS", "BETTER", "fmt_level", "fmt_diff", "headline_sentences", "scenario_differences",
           "render_report", "write_report"]

HEADLINE_METRICS = ("participation_rate", "representation_gap", "resident_proposed_share",
                    "implementation_rate", "mean_trust_committee", "mean_efficacy")


# Which direction a policymaker would call better (the field study's aims: broad, equal
# participation; resolutions carried out; trust and efficacy growing).
BETTER = {"participation_rate": +1, "attendance_rate": +1, "young_share_attendees": +1,
          "representation_gap": -1, "participation_gini": -1, "resident_proposed_share": +1,
          "procedure_completion": +1, "implementation_rate": +1, "implemented": +1, "stalled": -1,
          "voice_concentration": -1, "mean_consensus": +1, "mean_trust_committee": +1,
          "mean_trust_property": +1, "mean_efficacy": +1, "mean_capacity": +1, "mean_civic": +1,
          "complaints": -1}


def _share(metric: str) -> bool:
    return "share" in UNITS.get(metric, "")


def _num(v: float, digits: int) -> str:
    return f"{v:,.{digits}f}"


def fmt_level(metric: str, v: float) -> str:
    """A metric's value in words' units: shares in percent, scales with two decimals, counts whole."""
    if v is None or not math.isfinite(v):
        return "n/a"
    if _share(metric):
        return f"{100 * v:.1f}%"
    if "cumulative" in UNITS.get(metric, ""):
        return _num(v, 0 if abs(v) >= 100 else 1)
    return f"{v:.2f}"


def fmt_diff(metric: str, d: float) -> str:
    """A signed difference: percentage points for shares, points on the scale otherwise."""
    if d is None or not math.isfinite(d):
        return "n/a"
    if _share(metric):
        return f"{100 * d:+.1f} percentage points"
    if "cumulative" in UNITS.get(metric, ""):
        unit = UNITS[metric].split(",")[0]
        return f"{d:+,.{0 if abs(d) >= 100 else 1}f} {unit}"
    return f"{d:+.3f}"


def _interval(metric: str, lo: float, hi: float) -> str:
    f = (lambda x: fmt_diff(metric, x).replace(" percentage points", "")) if _share(metric) else \
        (lambda x: fmt_diff(metric, x).split(" ")[0])
    return f"95% interval {f(lo)} to {f(hi)}"


def headline_sentences(effects: pd.DataFrame, reference: str,
                       metrics: Sequence[str] = HEADLINE_METRICS) -> dict[str, list[str]]:
    """For each scenario, one plain sentence per headline metric: levels, change and interval."""
    out: dict[str, list[str]] = {}
    for sc, g in effects.groupby("scenario", sort=False):
        g = g.set_index("metric")
        lines = []
        for m in metrics:
            if m not in g.index:
                continue
            r = g.loc[m]
            if not (math.isfinite(r["diff"]) and math.isfinite(r["ci_low"]) and math.isfinite(r["ci_high"])):
                lines.append(f"{LABELS[m]}: not enough runs to tell ({int(r['n'])} paired runs).")
                continue
            sign = 1 if r["ci_low"] > 0 else -1 if r["ci_high"] < 0 else 0
            verdict = {1: "clearly higher", -1: "clearly lower", 0: "no clear difference"}[sign]
            if sign and m in BETTER:
                verdict += " (better)" if sign == BETTER[m] else " (worse)"
            lines.append(
                f"{LABELS[m]}: {fmt_level(m, r['reference_mean'])} under {reference}, "
                f"{fmt_level(m, r['scenario_mean'])} under {sc}: {verdict} "
                f"({fmt_diff(m, r['diff'])}; {_interval(m, r['ci_low'], r['ci_high'])}).")
        out[sc] = lines
    return out


def scenario_differences(scenarios: Sequence[Any], labels: Sequence[str]) -> pd.DataFrame:
    """Parameters whose value differs from the first scenario: scenario, parameter, meaning, from, to."""
    ref = scenarios[0].params.to_dict()
    rows = []
    for sc, lab in zip(scenarios[1:], labels[1:]):
        p = sc.params.to_dict()
        changed = [k for k in p if p[k] != ref[k]]
        if not changed:
            rows.append((lab, "(none)", "identical parameters", "", ""))
        for k in changed:
            rows.append((lab, k, PARAM_INFO[k].metadata["doc"], ref[k], p[k]))
    return pd.DataFrame(rows, columns=["scenario", "parameter", "meaning", labels[0], "value"])


def _img(path: Path, alt: str) -> str:
    data = base64.b64encode(Path(path).read_bytes()).decode("ascii")
    return f'<figure><img alt="{html.escape(alt)}" src="data:image/png;base64,{data}"><figcaption>' \
           f'{html.escape(alt)}</figcaption></figure>'


def _table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                   for row in df.itertuples(index=False))
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _levels_table(summary: pd.DataFrame, metrics: Sequence[str]) -> pd.DataFrame:
    rows = []
    for m in metrics:
        d = summary[summary["metric"] == m]
        row = {"measure": f"{LABELS[m]} ({'%' if _share(m) else UNITS[m]})"}
        for r in d.itertuples():
            row[r.scenario] = (f"{fmt_level(m, r.mean)} [{fmt_level(m, r.ci_low)}, {fmt_level(m, r.ci_high)}]"
                               if math.isfinite(r.ci_low) else fmt_level(m, r.mean))
        rows.append(row)
    return pd.DataFrame(rows)


_WINDOW_NOTE = ("Values are taken in the last week, except measures of who took part and of single "
                "meetings (participation, age mix of participants, voice, consensus), which are "
                "averaged over the last 52 weeks because they depend on when meetings happened to fall.")

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;max-width:1100px;margin:2em auto;
padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:1.8em}
table{border-collapse:collapse;font-size:.88em;margin:.6em 0}th,td{border:1px solid #ccc;padding:.25em .5em;
text-align:left;vertical-align:top}th{background:#f3f3f3}figure{margin:1em 0}img{max-width:100%}
figcaption{font-size:.85em;color:#555}.small{font-size:.85em;color:#444}code{background:#f5f5f5;padding:0 .2em}
"""


def render_report(*, scenarios: Sequence[Any], labels: Sequence[str], summary: pd.DataFrame,
                  effects: pd.DataFrame, figures: Mapping[str, Path], provenance: Mapping[str, Any],
                  replicates: int, steps: int) -> str:
    """The report as one HTML string (see the module docstring)."""
    ref = labels[0]
    esc = html.escape
    parts = [f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
             f"<title>ConsultSim: {esc(', '.join(labels))}</title><style>{_CSS}</style></head><body>",
             "<h1>Community consultation: comparing remedies</h1>",
             f"<p>ConsultSim simulates consultation (社区协商) in a Beijing community of "
             f"{scenarios[0].params.n_residents:,} households, week by week for {steps} weeks "
             f"({steps / 52:.1f} years). Each scenario was run {replicates} times; every scenario's run "
             f"<i>r</i> used the same random seed, so differences between scenarios come from the "
             f"scenarios, not from luck. Intervals are 95% intervals over the runs: they show how sure the "
             f"simulation is, given its assumptions.</p>",
             "<h2>What was compared</h2><ul>"]
    for sc, lab in zip(scenarios, labels):
        parts.append(f"<li><b>{esc(lab)}</b>: {esc(sc.description or '(no description)')}</li>")
    parts.append("</ul>")

    parts.append(f"<h2>Headline effects against {esc(ref)}</h2>")
    if effects.empty:
        parts.append("<p>Only one scenario was run, so there is nothing to compare it with.</p>")
    for sc, lines in headline_sentences(effects, ref).items():
        parts.append(f"<h3>{esc(sc)}</h3><ul>" + "".join(f"<li>{esc(s)}</li>" for s in lines) + "</ul>")
    parts.append("<p class='small'>" + _WINDOW_NOTE + "</p>")
    parts.append("<p class='small'>\"Clearly higher/lower\" means the 95% interval of the paired "
                 "difference excludes zero. Shares are percentages of households (or of topics); "
                 "trust, efficacy and capacity are on a 0-1 scale.</p>")

    # Issue 8 part 4: how robust the effects are over plausible worlds, if `consultsim robustness` has
    # been run (results/robustness); analysis/robustness.py owns this section's content.
    from consultsim.analysis.robustness import robustness_section
    parts.append(robustness_section(labels[1:]))

    parts.append("<h2>Figures</h2>")
    for alt, path in figures.items():
        parts.append(_img(path, alt))

    parts.append(f"<h2>Levels after {steps} weeks</h2>"
                 "<p class='small'>Mean of runs [95% interval]. " + _WINDOW_NOTE + "</p>")
    parts.append(_table(_levels_table(summary, [m for m in LABELS if m in set(summary["metric"])])))

    parts.append(f"<h2>How the scenarios differ from {esc(ref)}</h2>")
    parts.append(_table(scenario_differences(scenarios, labels)))

    parts.append("<h2>How this was produced</h2><ul class='small'>")
    seeds = provenance.get("seeds", [])
    items = [("command", provenance.get("command", "")), ("created", provenance.get("created", "")),
             ("master seed", provenance.get("master_seed", "")),
             ("replicate seeds (same for every scenario)", ", ".join(map(str, seeds))),
             ("replicates", replicates), ("weeks simulated", steps),
             ("scenario files", "; ".join(str(s.path) for s in scenarios if s.path)),
             ("run time", f"{provenance.get('seconds', 0):.0f} s")]
    items += [(f"version of {k}", v) for k, v in provenance.get("versions", {}).items()]
    parts += [f"<li><b>{esc(k)}</b>: <code>{esc(str(v))}</code></li>" for k, v in items]
    parts.append("</ul><p class='small'>The tables behind this report are in the same folder: summary.csv "
                 "(levels), effects.csv (paired differences), timeseries.csv.gz (every run, every week) and "
                 "topics.csv.gz (every topic of every run).</p></body></html>")
    return "\n".join(parts)


def write_report(path: str | Path, **kwargs: Any) -> Path:
    """Render :func:`render_report` and write it to ``path`` (UTF-8)."""
    path = Path(path)
    path.write_text(render_report(**kwargs), encoding="utf-8")
    return path
