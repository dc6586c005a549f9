"""What the browser draws, as plain data: chart rows, network colours, pipeline cards and the log.

The page sends these to ``live.vue`` (Solara's ``component_vue``), which draws
the charts as SVG and the network on a canvas in the browser. Rows are sent
incrementally: each frame carries only the weeks the browser has not seen yet
(``start`` is the first of them), and ``epoch`` changes when a new community or
run starts, so the browser drops what it drew. The network's positions and ties
go once per community; each frame sends one palette index per household.
"""

from __future__ import annotations

import math

import numpy as np

from consultsim.app.network import AGE_COLOURS, MISSING, layout
from consultsim.app.pipeline import COLUMNS, pipeline
from consultsim.i18n import tr
from consultsim.i18n.events import event_text

__all__ = ["COLS", "spec", "rows", "net_data", "colour_data", "monitors", "monitor_keys", "household",
           "pipeline_data", "log_lines", "markers", "num", "VIRIDIS", "RDYLBU", "MONITORS", "FOCUS"]

#: Columns of one chart row (index 0 is the week); the age shares come from the session's own record.
COLS = ("step", "participation_rate", "attendance_rate", "implementation_rate", "stalled_share",
        "procedure_completion", "mean_trust_committee", "mean_trust_property", "mean_efficacy", "mean_civic",
        "young", "middle", "elderly")
_AGES = ("young", "middle", "elderly")
_C = {c: i for i, c in enumerate(COLS)}
# (panel key, y-axis top or None for "fit", percent axis, [(column, colour)]). Live lines are all solid and
# thick; the reference run's are thin, pale and dashed (live.vue), so the two never share a style; colours
# within a panel differ in hue (civic awareness is olive, not a second orange beside participation's).
PANELS = (
    ("participation", None, True, [("participation_rate", "#d94701"), ("attendance_rate", "#fdae6b")]),
    ("implementation", 1.0, True, [("implementation_rate", "#2c7fb8"), ("stalled_share", "#c62828"),
                                   ("procedure_completion", "#41ae76")]),
    ("trust", 1.0, False, [("mean_trust_committee", "#c51b7d"), ("mean_trust_property", "#35978f"),
                           ("mean_efficacy", "#542788"), ("mean_civic", "#8c6d31")]),
    ("age", None, True, [("young", AGE_COLOURS[0]), ("middle", AGE_COLOURS[1]), ("elderly", AGE_COLOURS[2])]),
)
#: The chart each lesson talks about (drawn first and full width in projector mode), by lesson key.
FOCUS = {"who": "age", "vicious": "implementation", "follow": "implementation", "idea": "trust", "practice": "age"}
VIRIDIS = ("#440154", "#482878", "#3e4989", "#31688e", "#26828e", "#1f9e89", "#35b779", "#6ece58",
           "#b5de2b", "#fde725")
RDYLBU = ("#a50026", "#d73027", "#f46d43", "#fdae61", "#fee090", "#e0f3f8", "#abd9e9", "#74add1",
          "#4575b4", "#313695")
MAX_CARDS = 4
MAX_LOG = 60
COLUMN_COLOURS = {"proposed": "#757575", "agenda": "#1565c0", "deliberating": "#6a1b9a", "decided": "#00838f",
                  "implementing": "#ef6c00", "implemented": "#2e7d32", "stalled": "#c62828", "failed": "#4e342e"}


def spec(lang: str) -> dict:
    """Titles, legends and labels (change only with the language)."""
    panels = [{"key": key, "title": tr(f"app.panel.{key}", lang), "ymax": top, "percent": pct,
               "series": [{"col": _C[c], "colour": colour, "label": tr(f"app.series.{c}", lang)}
                          for c, colour in series]}
              for key, top, pct, series in PANELS]
    return {"panels": panels, "more": tr("app.more", lang, n="{n}"), **{k: tr(f"app.{k}", lang) for k in (
        "week_label", "week_axis", "ref_label", "net_hint", "log_title", "log_empty", "pipeline_title",
        "download_charts", "download_network", "leave_warning")}}


def num(v) -> float | None:
    """A number for JSON: rounded, None where it is not finite (JSON has no NaN)."""
    v = float(v)
    return round(v, 4) if math.isfinite(v) else None


def rows(model, ages, start: int) -> list[list]:
    """Chart rows of weeks ``start``… of ``model`` (its datacollector) and its age record ``ages``."""
    mv = model.datacollector.model_vars
    n = len(mv["participation_rate"])
    out = []
    for w in range(start, n):
        res = mv["resolutions"][w]
        stalled = mv["stalled"][w] / res if res else float("nan")
        age = ages[w][1:] if w < len(ages) else (float("nan"),) * 3
        row = [w]
        for c in COLS[1:]:
            if c == "stalled_share":
                row.append(num(stalled))
            elif c in _AGES:
                row.append(num(age[_AGES.index(c)]))
            else:
                row.append(num(mv[c][w]))
        out.append(row)
    return out


def net_data(model, kind: str, epoch: int, lang: str) -> dict:
    """Positions, ties and building labels (once per community, layout and language)."""
    res = model.res
    pos = layout(model.graph, res.building, res.floor, kind)
    building = np.asarray(res.building)
    edges = np.array(list(model.graph.edges()), dtype=int).reshape(-1, 2)
    same = building[edges[:, 0]] == building[edges[:, 1]] if len(edges) else np.zeros(0, bool)
    inner = edges[same].ravel().tolist()
    outer = edges[~same].ravel().tolist() if kind == "network" else []
    blds = np.unique(building)
    key = "app.building_n" if len(blds) <= 9 else "app.building_short"  # many clusters: short labels
    labels = [[float(pos[building == b, 0].mean()), float(pos[building == b, 1].max()) + 0.15,
               tr(key, lang, n=int(b) + 1)] for b in blds]
    return {"epoch": f"{epoch}-{kind}-{lang}", "x": np.round(pos[:, 0], 3).tolist(),
            "y": np.round(pos[:, 1], 3).tolist(),
            "xmin": float(pos[:, 0].min()), "xmax": float(pos[:, 0].max()),
            "ymin": float(pos[:, 1].min()), "ymax": float(pos[:, 1].max()) + 0.5,
            "inner": inner, "outer": outer, "labels": labels,
            "leader": np.asarray(res.leader, dtype=int).tolist()}


def _bins(v: np.ndarray, k: int) -> np.ndarray:
    return np.clip((np.nan_to_num(v, nan=0.0) * k).astype(int), 0, k - 1)


def colour_data(model, mode: str, lang: str, recent_weeks: int = 12) -> dict:
    """One palette index per household under ``mode``, with the palette, a title and a legend."""
    res = model.res
    n = len(res.age_group)
    week = int(getattr(model, "steps", 0))
    if mode == "age":
        age = np.asarray(res.age_group, dtype=int)
        legend = [[tr(f"app.age.{g}", lang) + f" ({np.mean(age == g):.0%})", AGE_COLOURS[g]] for g in range(3)]
        return {"values": age.tolist(), "palette": list(AGE_COLOURS), "legend": legend,
                "title": tr("app.net.age", lang)}
    if mode == "attended":
        last = np.asarray(res.last_attended)
        recent = (last >= 0) & (last > week - recent_weeks)
        before = (last >= 0) & ~recent
        values = np.where(recent, 2, np.where(before, 1, 0))
        pal = [MISSING, "#fdbe85", "#d94701"]
        legend = [[tr("app.net.recent", lang, share=recent.mean()), pal[2]],
                  [tr("app.net.earlier", lang, share=before.mean()), pal[1]],
                  [tr("app.net.never", lang, share=(last < 0).mean()), pal[0]]]
        return {"values": values.tolist(), "palette": pal, "legend": legend,
                "title": tr("app.net.attended", lang, weeks=recent_weeks)}
    if mode == "trust":
        v = np.clip(np.asarray(res.trust_committee, dtype=float), 0, 1)
        legend = [[tr("app.net.none", lang), VIRIDIS[0]], [tr("app.net.full", lang), VIRIDIS[-1]]]
        return {"values": _bins(v, len(VIRIDIS)).tolist(), "palette": list(VIRIDIS), "legend": legend,
                "title": tr("app.net.trust", lang, mean=v.mean())}
    if mode == "opinion":
        topic = getattr(model, "current_topic", None)
        op = np.asarray(model.current_opinions(), dtype=float) if topic is not None else np.full(n, np.nan)
        ok = np.isfinite(op)
        values = np.where(ok, _bins(np.clip(op, 0, 1), len(RDYLBU)) + 1, 0)
        legend = [[tr("app.net.oppose", lang), RDYLBU[0]], [tr("app.net.support", lang), RDYLBU[-1]],
                  [tr("app.net.unconcerned", lang), MISSING]]
        if topic is None:
            title = tr("app.net.no_topic", lang)
        else:
            title = tr("app.net.opinion", lang, id=topic.id, topic=tr(f"topic.{topic.type.name}", lang),
                       where=where(topic.building, lang))
        return {"values": values.tolist(), "palette": [MISSING, *RDYLBU], "legend": legend, "title": title}
    raise ValueError(f"unknown colour mode {mode!r}")


def institutions(model, lang: str) -> str:
    """The institutions beside the households (not drawn as dots): committee, property managers, social workers."""
    staff = getattr(getattr(model, "committee", None), "staff", None)
    n_pm = len(getattr(model, "property_managers", []) or [])
    n_sw = len(getattr(model, "social_workers", []) or [])
    return tr("app.net.institutions", lang, staff=staff if staff is not None else "?", pm=n_pm, sw=n_sw)


def where(building, lang: str) -> str:
    return tr("app.building_n", lang, n=building + 1) if building is not None else tr("app.whole", lang)


def _share(v) -> str:
    return "–" if v is None or not math.isfinite(v) else f"{v:.0%}"


#: The big numbers: key -> (label key, colour). Without a lesson the page shows DEFAULT_MONITORS; a lesson
#: puts the ones it asks about first (``Lesson.monitors``), and in projector mode shows only those.
MONITORS = {
    "participation": ("app.mon.participation", "#d94701"),
    "implemented": ("app.mon.implemented", "#2c7fb8"),
    "stalled": ("app.mon.stalled", "#c62828"),
    "trust": ("app.mon.trust", "#c51b7d"),
    "civic": ("app.mon.civic", "#8c6d31"),
    "young": ("app.mon.young", AGE_COLOURS[0]),
    "elderly": ("app.mon.elderly", AGE_COLOURS[2]),
}
DEFAULT_MONITORS = ("participation", "implemented", "stalled", "trust")


def monitor_keys(lesson_monitors=(), projector: bool = False) -> list[str]:
    """Which big numbers to show: the lesson's first (only those in projector mode), then the usual ones."""
    first = list(lesson_monitors)
    if projector and first:
        return first
    return first + [k for k in DEFAULT_MONITORS if k not in first]


def _monitor_values(model, ages) -> dict[str, str]:
    mv = model.datacollector.model_vars
    last = {k: mv[k][-1] for k in ("participation_rate", "resolutions", "implemented", "stalled",
                                    "mean_trust_committee", "mean_civic")}
    age = ages[-1] if ages else (0, float("nan"), float("nan"), float("nan"))
    return {"participation": _share(last["participation_rate"]),
            "implemented": f"{last['implemented']:.0f} / {last['resolutions']:.0f}",
            "stalled": f"{last['stalled']:.0f}", "trust": f"{last['mean_trust_committee']:.2f}",
            "civic": f"{last['mean_civic']:.2f}", "young": _share(age[1]), "elderly": _share(age[3])}


def monitors(session, lang: str, keys=DEFAULT_MONITORS) -> list[dict]:
    """The big numbers ``keys``: live values, with the reference run's beside them once a lever has changed."""
    a = _monitor_values(session.model, session.age_history)
    b = _monitor_values(session.reference, session.ref_age_history) if session.changes else None
    return [{"key": k, "label": tr(MONITORS[k][0], lang), "colour": MONITORS[k][1], "value": a[k],
             "ref": tr("app.mon.ref", lang, value=b[k]) if b else ""} for k in keys]


def household(session, i, lang: str) -> dict:
    """The inspector beside the network: the household ``i`` (or a hint if none is chosen), one fact a line."""
    if i is None or i >= session.model.res.n:
        return {"title": tr("app.inspector", lang), "lines": [tr("app.inspector.none", lang)]}
    h = session.household(i)
    lines = [tr("app.fact.age", lang, age=tr(f"app.age.{h['age_group']}", lang)),
             tr("app.fact.where", lang, where=where(h["building"], lang), floor=h["floor"])]
    if h["leader"]:
        lines.append(tr("app.fact.leader", lang))
    if h["topic"] is not None and h["stake"] == h["stake"]:
        lines.append(tr("app.inspector.stake", lang, id=h["topic"][0], topic=tr(f"topic.{h['topic'][1]}", lang),
                        stake=h["stake"]))
    else:
        lines.append(tr("app.inspector.no_stake", lang))
    lines += [tr("app.fact.trust_committee", lang, v=h["trust_committee"]),
              tr("app.fact.trust_property", lang, v=h["trust_property"]),
              tr("app.fact.efficacy", lang, v=h["efficacy"]), tr("app.fact.capacity", lang, v=h["capacity"])]
    if h["meetings"]:
        lines.append(tr("app.inspector.meetings", lang, n=h["meetings"], last=h["last_attended"]))
        lines.append(tr("app.inspector.topics", lang, topics=tr("app.list_sep", lang).join(
            f"#{tid} {tr(f'topic.{typ}', lang)}" for tid, typ, _ in h["attended"])))
    else:
        lines.append(tr("app.inspector.never", lang))
    return {"title": tr("app.inspector.head", lang, id=h["id"]), "lines": lines}


def _card(c, lang: str) -> list[str]:
    head = f"#{c.id} " + tr(f"topic.{c.type}", lang)
    sup = tr("app.card.support", lang, share=c.support) if c.support is not None else tr("app.card.no_vote", lang)
    note = status_text(c, lang)
    return [head, f"{where(c.building, lang)} · {sup}", tr("app.card.since", lang, week=c.week)
            + " · " + tr(f"app.card.{c.origin}", lang) + (f" · {note}" if note else "")]


def status_text(c, lang: str) -> str:
    if not c.status:
        return ""
    try:
        return tr(f"app.status.{c.status}", lang, meetings=c.meetings, next=c.next_meeting)
    except KeyError:  # an outcome the app has no words for yet: the model's own name
        return c.status.replace("_", " ")


def pipeline_data(model, lang: str) -> list[dict]:
    cols = pipeline(list(model.topics))
    out = []
    for key, _, _ in COLUMNS:
        cards = cols[key]
        out.append({"key": key, "heading": tr(f"app.col.{key}", lang), "colour": COLUMN_COLOURS[key],
                    "count": len(cards), "cards": [_card(c, lang) for c in cards[:MAX_CARDS]],
                    "more": tr("app.more", lang, n=len(cards) - MAX_CARDS) if len(cards) > MAX_CARDS else ""})
    return out


def lever_line(change, number: int, lang: str) -> str:
    from consultsim.app.labels import fmt, lever_label
    return f"[{number}] " + tr("app.log.lever", lang, week=change.week, lever=lever_label(change.name, lang),
                                old=fmt(change.old, lang), new=fmt(change.new, lang), ref=fmt(change.reference, lang))


def log_lines(session, lang: str) -> list[dict]:
    """The model's events and the hand-made lever changes, newest first."""
    events = [(e.week, 0, {"text": event_text(e, lang), "lever": False}) for e in session.model.events[-MAX_LOG:]]
    events += [(c.week, 1, {"text": lever_line(c, k, lang), "lever": True})
               for k, c in enumerate(session.changes, start=1)]
    events.sort(key=lambda x: (x[0], x[1]))
    return [e for _, _, e in events[::-1][:MAX_LOG]]


def markers(session) -> list[dict]:
    """One marker per week with lever changes, numbered as the changes are (1, 2–3, …)."""
    out: list[dict] = []
    for k, c in enumerate(session.changes, start=1):
        if out and out[-1]["week"] == c.week:
            out[-1]["label"] = f"{out[-1]['label'].split('–')[0]}–{k}"
            out[-1]["names"].append(c.name)
        else:
            out.append({"week": c.week, "label": str(k), "names": [c.name]})
    return out
