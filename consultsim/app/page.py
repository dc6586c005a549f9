"""The Solara page of the classroom app: controls on the left, the live model on the right.

Plain Solara components around a :class:`~consultsim.app.session.Session`
(Mesa 3.3's ``SolaraViz`` builds the model from one flat parameter form, which
cannot express scenario files, lesson presets that set several levers at once,
or levers that change a running model).

The charts, the network, the big numbers, the pipeline and the log are one Vue
component (``live.vue``) drawn in the browser from data (:mod:`.live`): a step
sends the new weeks' numbers, not pictures. Only :func:`LiveView` (and the
household inspector) read ``version``, the reactive that moves when the model
moves, so a step re-renders them and nothing else; ``settings`` moves when a
control's value changes and re-renders the controls. The play loop (a thread,
see :mod:`.player`) only moves ``version``.
"""

from __future__ import annotations

import html
import math
import threading
import time
from pathlib import Path

import numpy as np
import solara
import solara.lab

from consultsim.app import live
from consultsim.app.assets import font_css
from consultsim.app.labels import fmt, lever_doc, lever_label
from consultsim.app.lessons import LESSONS, lesson, on_seeds
from consultsim.app.lessons import open_lesson as start_lesson
from consultsim.app.network import COLOUR_MODES, LAYOUTS
from consultsim.app.player import Player
from consultsim.app.session import Session, scenario_choices
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, levers
from consultsim.i18n import tr

__all__ = ["Page", "App", "COMMUNITY_SIZES", "UI_RANGE", "SPREAD_METRICS", "frame_plan"]

#: Community sizes offered (households, buildings). 300/6 is the app's default; 2,000/20 is the model's.
COMMUNITY_SIZES = ((150, 3), (300, 6), (600, 10), (1000, 12), (2000, 20))
#: Slider ranges where the parameter's allowed range is far wider than a classroom needs.
UI_RANGE = {
    "incentive_per_meeting": (0, 50, 1),
    "incentive_budget": (0, 200_000, 5_000),
    "meeting_cadence_weeks": (1, 12, 1),
    "training_sessions_per_quarter": (0, 12, 1),
    "training_seats": (0, 60, 5),
    "social_workers": (0, 6, 1),
    "social_worker_hours": (0, 40, 2),
}
SPREAD_METRICS = ("participation_rate", "implementation_rate", "mean_trust_committee", "mean_civic",
                  "mean_efficacy")
MIN_FRAME = 0.1           # seconds: at most ten frames a second while playing
INTERVALS = (1, 2, 4, 8)  # render interval choices (weeks per frame)
TEXT = {"font-size": "16px"}
SMALL = {"font-size": "15px", "color": "#555", "line-height": "1.25"}
BLOCK = {"display": "block"}

_VUE = str(Path(__file__).with_name("live.vue"))


@solara.component_vue(_VUE)
def LiveVue(spec: dict, series: dict, week: int, monitors: list, markers: list, band: dict | None, net: dict,
            colours: dict, pipeline: list, log: list, household: dict, projector: bool = False,
            focus: str | None = None, event_inspect=None, event_resync=None):
    pass


def frame_plan(speed: float, interval: int) -> tuple[int, float]:
    """(weeks per frame, seconds per frame) for ``speed`` weeks a second, drawing every ``interval`` weeks."""
    period = max(MIN_FRAME, interval / speed)
    return max(int(interval), round(speed * period)), period


def _kind(name: str) -> str:
    t = PARAM_INFO[name].type
    return t if isinstance(t, str) else t.__name__


def ui_range(name: str, value) -> tuple[float, float, float]:
    md = PARAM_INFO[name].metadata
    lo, hi, step = UI_RANGE.get(name, (md["lo"], md["hi"], None))
    if step is None:
        step = 1 if _kind(name) == "int" else round((hi - lo) / 20, 6)
    return lo, max(hi, value), step


@solara.component
def LeverControl(session: Session, name: str, lang: str, settings: int, on_change):
    # a lever change re-renders this control only (its own counter) and the live view, not every control:
    # that keeps a change made while playing quick to show
    changed, set_changed = solara.use_state(0)
    value = session.value(name)

    def set_value(v):
        try:
            live_now = session.set_lever(name, v)
        except Exception as e:  # an out-of-range value: say so on the page, keep the model as it was
            on_change(tr("app.labelled", lang, label=lever_label(name, lang), text=e))
            return
        set_changed(changed + 1)
        on_change(None if live_now else tr("app.reset_note", lang, lever=lever_label(name, lang), value=fmt(v, lang)))

    with solara.Column(gap="0px", style={"margin-bottom": "6px"}):
        if _kind(name) == "bool":
            solara.Switch(label=lever_label(name, lang), value=bool(value), on_value=set_value,
                          classes=[f"lever-{name}"])
        else:
            lo, hi, step = ui_range(name, value)
            solara.Text(tr("app.labelled", lang, label=lever_label(name, lang), text=fmt(value, lang)), style=TEXT)
            integer = _kind(name) == "int"
            # the model changes when the slider is released ("change"), not at every pixel of a drag
            slider = solara.v.Slider(v_model=value, min=lo, max=hi, step=step, thumb_label=True, dense=True,
                                     hide_details=True, class_=f"lever-{name}")
            solara.v.use_event(slider, "change", lambda _w, _e, v: set_value(int(round(v)) if integer else float(v)))
        solara.Text(lever_doc(name, lang), style={"font-size": "13px", "color": "#666", "line-height": "1.2"})


@solara.component
def RunButtons(lang: str, playing, on_step, on_play, on_reset):
    with solara.Row(gap="6px"):
        solara.Button(tr("app.step", lang), color="primary", on_click=on_step,
                      disabled=playing.value, classes=["step-button"])
        solara.Button(tr("app.pause" if playing.value else "app.play", lang),
                      icon_name="mdi-pause" if playing.value else "mdi-play", color="primary", on_click=on_play,
                      classes=["play-button"])
        solara.Button(tr("app.reset", lang), color="primary", outlined=True,
                      on_click=on_reset, classes=["reset-button"])


@solara.component
def RunCard(session: Session, lang: str, playing, speed, interval, on_step, on_play, on_reset):
    with solara.Card(tr("app.run", lang), margin=0):
        RunButtons(lang, playing, on_step, on_play, on_reset)
        solara.Text(tr("app.speed", lang, speed=fmt(speed.value)), style=TEXT)
        solara.v.Slider(v_model=speed.value, on_v_model=lambda v: speed.set(float(v)), min=0.5, max=10, step=0.5,
                        dense=True, hide_details=True, class_="speed")
        solara.Text(tr("app.interval", lang, n=interval.value), style=SMALL)
        solara.ToggleButtonsSingle(value=interval.value, values=list(INTERVALS), on_value=interval.set,
                                   classes=["interval"])


@solara.component
def CommunityCard(session: Session, lang: str, lesson_key: str | None, settings: int, lever_moved, act):
    lever_moved.value  # noqa: B018  (re-render when a lever changed: the card lists changed levers)
    with solara.Card(tr("app.community", lang), margin=0):
        choices = scenario_choices()
        labels = [c.shown(lang) for c in choices]  # in 中文 the scenarios' own Chinese names
        current = next((k for k, c in enumerate(choices) if c.label == session.scenario_label), None)
        solara.Select(tr("app.scenario", lang), values=labels,
                      value=labels[current] if current is not None else None,
                      on_value=act(lambda label: session.set_scenario(choices[labels.index(label)]),
                                   close_lesson=True))
        if lesson_key is not None:
            # a lesson's levers are set: name the lesson, not the scenario's description
            le = lesson(lesson_key)
            solara.Text(le.text("title", lang), classes=["community-lesson"],
                        style={**BLOCK, "font-size": "16px", "font-weight": "bold", "color": "#7b1fa2"})
            set_levers = {**le.base, **le.changes}
            if set_levers:
                solara.Text(tr("app.lesson_levers", lang, levers=tr("app.list_sep", lang).join(
                    f"{lever_label(k, lang)} {fmt(v, lang)}" for k, v in set_levers.items())), style={**BLOCK, **SMALL})
        elif changed := session.changed_levers():
            # the scenario's description no longer holds (the baseline's says no lever is applied)
            solara.Text(tr("app.changed_levers", lang, levers=tr("app.list_sep", lang).join(
                f"{lever_label(k, lang)} {fmt(v, lang)}" for k, v in changed.items())),
                classes=["community-changed"], style={**BLOCK, **SMALL, "color": "#7b1fa2"})
        else:
            sc = session.scenario
            # the scenario's own words in the reader's language (report adds name_zh/description_zh to the files)
            text = (sc.description_zh or "") if lang == "zh" else sc.description
            if not text and session.scenario_label.startswith("baseline"):
                text = tr("app.baseline_note", lang)
            if text:
                solara.Text(text[:300], style={**BLOCK, **SMALL})
        sizes = [tr("app.size_label", lang, n=n, b=b) for n, b in COMMUNITY_SIZES]
        current = (session.community.get("n_residents"), session.community.get("n_buildings"))

        def size(label):
            n, b = COMMUNITY_SIZES[sizes.index(label)]
            session.set_community(n_residents=n, n_buildings=b)

        solara.Select(tr("app.size", lang), values=sizes,
                      value=sizes[COMMUNITY_SIZES.index(current)] if current in COMMUNITY_SIZES else None,
                      on_value=act(size))
        # keyed by the community's epoch: the field's own text would otherwise lag one change behind the session
        solara.InputInt(tr("app.seed", lang), value=session.seed, on_value=act(session.set_seed),
                        continuous_update=False).key(f"seed-{session.epoch}")


@solara.component
def Controls(session: Session, settings, lever_moved, lang: str, lesson_key, act, on_lesson, on_lever):
    CommunityCard(session, lang, lesson_key, settings.value, lever_moved, act)
    with solara.Card(tr("app.lessons", lang), margin=0):
        for le in LESSONS:
            solara.Button(tr("app.front_of", lang, name=le.text("short", lang), front=tr(f"app.front.{le.front}", lang)),
                          text=True,
                          color="secondary", classes=[f"lesson-{le.key}"],
                          style={"justify-content": "flex-start", "text-transform": "none", "font-size": "16px",
                                 "letter-spacing": "0", "white-space": "normal", "height": "auto",
                                 "min-height": "32px", "text-align": "left"},
                          on_click=act(lambda le=le: on_lesson(le.key)))
    groups = levers()
    for section in LEVER_SECTIONS:
        with solara.Card(tr(f"app.section.{section}", lang), margin=0):
            for name in groups[section]:
                LeverControl(session, name, lang, settings.value, on_change=on_lever)


@solara.component
def LiveView(session: Session, version, lang: str, mode, kind, band, on_inspect, selected=None,
             projector: bool = False, lesson_key: str | None = None):
    """The live charts, network, inspector, monitors, pipeline and log: re-rendered on every frame, and nothing
    else. In projector mode the lesson's chart comes first, full width, and the big numbers are the lesson's."""
    version.value  # noqa: B018  (subscribe: the model moved)
    sent = solara.use_ref({"epoch": None, "n": 0})
    resync, set_resync = solara.use_state(0)
    le = lesson(lesson_key) if lesson_key is not None else None
    keys = live.monitor_keys(le.monitors if le is not None else (), projector)
    with session.lock:
        epoch = session.epoch
        n = len(session.model.datacollector.model_vars["participation_rate"])
        start = 0 if sent.current["epoch"] != epoch else max(0, min(sent.current["n"], n) - 1)
        series = {"epoch": epoch, "start": start, "resync": resync,
                  "live": live.rows(session.model, session.age_history, start),
                  "ref": live.rows(session.reference, session.ref_age_history, start)}
        sent.current = {"epoch": epoch, "n": n}
        data = dict(week=session.week, monitors=live.monitors(session, lang, keys), markers=live.markers(session),
                    colours={**live.colour_data(session.model, mode.value, lang),
                             "institutions": live.institutions(session.model, lang)},
                    pipeline=live.pipeline_data(session.model, lang), log=live.log_lines(session, lang),
                    household=live.household(session, selected.value if selected is not None else None, lang))
        net = solara.use_memo(lambda: live.net_data(session.model, kind.value, epoch, lang),
                              [epoch, kind.value, lang])
    spec = solara.use_memo(lambda: live.spec(lang), [lang])

    def on_resync(_):
        sent.current = {"epoch": None, "n": 0}
        set_resync(resync + 1)

    b = band.value
    band_data = None
    if b is not None and b.get("epoch") == epoch:
        band_data = {k: b[k] for k in ("panel", "lo", "hi", "med", "weeks")}
        band_data["label"] = tr("app.spread.label", lang, a=b["seeds"][0], b=b["seeds"][1])
    LiveVue(spec=spec, series=series, band=band_data, net=net, event_inspect=on_inspect, event_resync=on_resync,
            projector=projector, focus=live.FOCUS.get(lesson_key) if lesson_key else None, **data)


@solara.component
def NetworkOptions(lang: str, mode, kind):
    modes = [tr(f"app.mode.{m}", lang) for m in COLOUR_MODES]
    kinds = [tr(f"app.layout.{k}", lang) for k in LAYOUTS]
    with solara.Row(style={"align-items": "center"}):
        solara.Select(tr("app.net.colour_by", lang), values=modes, value=modes[list(COLOUR_MODES).index(mode.value)],
                      on_value=lambda v: mode.set(list(COLOUR_MODES)[modes.index(v)]), classes=["colour-mode"])
        solara.Select(tr("app.net.layout", lang), values=kinds, value=kinds[list(LAYOUTS).index(kind.value)],
                      on_value=lambda v: kind.set(list(LAYOUTS)[kinds.index(v)]))


@solara.component
def SpreadCard(session: Session, lang: str, band, act_quiet):
    metric = solara.use_reactive("implementation_rate")
    weeks = solara.use_reactive(52)
    result = solara.use_reactive("")
    panel = {p: key for key, _, _, series in live.PANELS for p, _ in series}

    def run():
        with session.lock:
            epoch = session.epoch
        runs = session.replicates(metric.value, weeks.value, runs=10)
        seen = np.isfinite(runs).any(axis=0)  # e.g. no implementation rate before anything was agreed
        lo = np.where(seen, np.nanmin(np.where(np.isfinite(runs), runs, np.inf), axis=0), np.nan)
        hi = np.where(seen, np.nanmax(np.where(np.isfinite(runs), runs, -np.inf), axis=0), np.nan)
        with np.errstate(all="ignore"):
            med = np.where(seen, np.nanmedian(np.where(seen, runs, 0.0), axis=0), np.nan)
        band.set({"epoch": epoch, "panel": panel.get(metric.value, "trust"), "weeks": weeks.value,
                  "lo": [live.num(x) for x in lo], "hi": [live.num(x) for x in hi],
                  "med": [live.num(x) for x in med],
                  "seeds": (session.seed + 1, session.seed + 10)})
        last = runs[:, -1][np.isfinite(runs[:, -1])]
        if len(last):
            result.set(tr("app.spread.result", lang, metric=tr(f"app.series.{metric.value}", lang),
                          weeks=weeks.value, med=float(np.median(last)), lo=float(last.min()), hi=float(last.max())))
        else:
            result.set(tr("app.spread.none", lang, metric=tr(f"app.series.{metric.value}", lang), weeks=weeks.value))

    labels = [tr(f"app.series.{m}", lang) for m in SPREAD_METRICS]
    with solara.Card(tr("app.spread", lang), margin=0):
        solara.Select(tr("app.spread.metric", lang), values=labels, value=labels[SPREAD_METRICS.index(metric.value)],
                      on_value=lambda v: metric.set(SPREAD_METRICS[labels.index(v)]))
        solara.InputInt(tr("app.spread.weeks", lang), value=weeks.value,
                        on_value=lambda v: weeks.set(min(max(int(v), 4), 260)), continuous_update=False)
        solara.Button(tr("app.spread.button", lang), icon_name="mdi-chart-bell-curve", color="primary",
                      on_click=act_quiet(run), classes=["spread-button"])
        if result.value:
            solara.Text(result.value, style={**BLOCK, **TEXT}, classes=["spread-result"])


def gap_strip(le, values: list[float], seeds: list[int], lang: str) -> str:
    """The lesson's measure on each seed as an SVG dot strip: the claim's threshold a dashed purple line, dots
    that hold it green, the others grey (hover: the seed and its value), the axis's ends labelled."""
    w, h, ml, mr = 560, 84, 60, 60
    finite = [v for v in values if math.isfinite(v)]
    lo = min([0.0, le.threshold, *finite])
    hi = max([le.threshold, *finite])
    pad = (hi - lo) * 0.05 or 0.05
    lo, hi = lo - pad, hi + pad

    def x(v):
        return ml + (w - ml - mr) * (v - lo) / (hi - lo)

    esc = html.escape
    t = x(le.threshold)
    parts = [f'<svg class="cs-gaps" viewBox="0 0 {w} {h}" width="100%" style="max-width:{w}px" '
             'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif">',
             f'<line x1="{ml}" x2="{w - mr}" y1="48" y2="48" stroke="#999"/>',
             f'<line x1="{t:.1f}" x2="{t:.1f}" y1="24" y2="68" stroke="#7b1fa2" stroke-width="2" '
             'stroke-dasharray="5,3"/>',
             f'<text x="{t:.1f}" y="18" text-anchor="middle" font-size="16" fill="#7b1fa2">'
             f'{esc(tr("app.gaps.threshold", lang, value=gap_text(le, le.threshold, lang)))}</text>',
             f'<text x="{ml - 6}" y="54" text-anchor="end" font-size="16" fill="#333">{esc(gap_text(le, lo, lang))}</text>',
             f'<text x="{w - mr + 6}" y="54" font-size="16" fill="#333">{esc(gap_text(le, hi, lang))}</text>']
    for k, (seed, v) in enumerate(zip(seeds, values)):
        if not math.isfinite(v):
            continue
        ok = le.holds(v)
        parts.append(f'<circle class="cs-gap-dot {"cs-gap-holds" if ok else "cs-gap-fails"}" cx="{x(v):.1f}" '
                     f'cy="{40 + (k % 3) * 8}" r="7" fill="{"#2e7d32" if ok else "#757575"}" fill-opacity="0.75">'
                     f'<title>{esc(tr("app.gaps.dot", lang, seed=seed, value=gap_text(le, v, lang)))}</title></circle>')
    parts.append("</svg>")
    return "".join(parts)


def gap_text(le, v: float, lang: str) -> str:
    """A value of the lesson's measure in its unit (percentage points, a count or a level)."""
    if not math.isfinite(v):
        return "–"
    if le.unit == "points":
        return tr("app.gaps.points", lang, v=f"{v * 100:+.0f}")
    if le.unit == "count":
        return f"{v:.0f}"
    return f"{v:+.2f}"


@solara.component
def LessonSeeds(le, session: Session, lang: str, result, part: str = "result"):
    """"Run this lesson on 10 seeds": the lesson's measure on ten other seeds, and how often its claim holds."""
    r = result.value
    mine = r if r is not None and r.get("key") == le.key else None

    def run():
        seeds = list(range(session.seed + 1, session.seed + 11))
        result.set({"key": le.key, "running": True, "seeds": seeds})

        def work():
            try:
                values = on_seeds(le, seeds)
            except Exception as e:  # shown on the card; the live run is not touched
                result.set({"key": le.key, "error": str(e), "seeds": seeds})
                return
            result.set({"key": le.key, "seeds": seeds, "values": values})
        threading.Thread(target=work, daemon=True).start()

    if part == "button":  # in the card's title row, so the lesson text and the first chart stay on screen
        solara.Button(tr("app.gaps.button", lang), icon_name="mdi-dice-multiple", color="primary", outlined=True,
                      on_click=run, disabled=bool(mine and mine.get("running")), classes=["lesson-seeds-button"],
                      style={"text-transform": "none", "letter-spacing": "0", "font-size": "16px"})
        return
    if mine is None:
        return
    if mine.get("running"):
        solara.Text(tr("app.gaps.running", lang, a=mine["seeds"][0], b=mine["seeds"][-1]), style={**BLOCK, **TEXT},
                    classes=["lesson-seeds-running"])
    elif "error" in mine:
        solara.Text(mine["error"], style={**BLOCK, **TEXT, "color": "#c62828"})
    else:
        values, seeds = mine["values"], mine["seeds"]
        k = sum(le.holds(v) for v in values)
        with solara.Column(gap="0px", classes=["lesson-seeds"]):
            solara.Text(tr("app.gaps.result", lang, k=k, n=len(values), a=seeds[0], b=seeds[-1]),
                        style={**BLOCK, **TEXT, "font-weight": "bold"}, classes=["lesson-seeds-result"])
            solara.Text(tr("app.gaps.what", lang, what=tr(f"app.gap.{le.key}", lang)), style={**BLOCK, **SMALL})
            solara.HTML(tag="div", unsafe_innerHTML=gap_strip(le, values, seeds, lang))


@solara.component
def LessonCard(key: str | None, lang: str, on_close, session: Session | None = None, seeds_result=None,
               projector: bool = False):
    if key is None:
        return
    le = lesson(key)
    text = {**TEXT, "font-size": "24px", "line-height": "1.3"} if projector else TEXT
    with solara.Card(margin=0, classes=["lesson-card"], style={"border-left": "6px solid #7b1fa2",
                                                               "padding": "4px 10px"}):
        # wraps: in projector mode's narrow text column the 10-seeds button goes under the title, not off the edge
        with solara.Row(style={"align-items": "baseline", "justify-content": "space-between", "flex-wrap": "wrap"}):
            solara.Text(le.text("title", lang), style={"font-size": "26px" if projector else "19px",
                                                       "font-weight": "bold", "line-height": "1.2"})
            with solara.Row(gap="4px", style={"align-items": "center"}):
                if session is not None and seeds_result is not None:
                    LessonSeeds(le, session, lang, seeds_result, part="button")
                if not projector:
                    solara.Button(tr("app.close_lesson", lang), text=True, on_click=lambda: on_close(None),
                                  classes=["close-lesson"])
        solara.Text(le.text("question", lang), style={**BLOCK, **text, "font-style": "italic"})
        see = le.text("see", lang) + ("" if lang == "zh" else " ") + tr("app.run_weeks", lang, weeks=le.weeks)
        solara.Text(tr("app.labelled", lang, label=tr("app.see", lang), text=see),
                    style={**BLOCK, **text}, classes=["lesson-see"])
        with solara.Details(f"{tr('app.notice', lang)} · {tr('app.try', lang)}", expand=False):
            solara.Text(tr("app.labelled", lang, label=tr("app.notice", lang), text=le.text("notice", lang)),
                        style={**BLOCK, **text},
                        classes=["lesson-notice"])
            solara.Text(tr("app.labelled", lang, label=tr("app.try", lang), text=le.text("try", lang)),
                        style={**BLOCK, **text},
                        classes=["lesson-try"])
        if session is not None and seeds_result is not None:
            LessonSeeds(le, session, lang, seeds_result)


@solara.component
def InfoTab(lang: str):
    with solara.Column(classes=["info-tab"], style={"max-width": "900px"}):
        for part in ("what", "how", "notice", "try"):
            solara.Text(tr(f"app.info.{part}.title", lang), style={"font-size": "20px", "font-weight": "bold"})
            solara.Text(tr(f"app.info.{part}.body", lang), style={**TEXT, "line-height": "1.4"})


def projector_from_url() -> bool:
    """``?projector=1`` (or ``true``/``yes``/``on``) in the page's address opens it in projector mode."""
    try:
        search = solara.use_router().search or ""
    except Exception:  # rendered outside a router (tests): the normal page
        return False
    from urllib.parse import parse_qs
    return parse_qs(search).get("projector", ["0"])[-1].lower() in ("1", "true", "yes", "on")


@solara.component
def App(session: Session):
    """The whole app around ``session`` (tests render this with a small community)."""
    version = solara.use_reactive(0)    # the model moved
    settings = solara.use_reactive(0)   # a control's value changed
    lever_moved = solara.use_reactive(0)  # a lever changed (re-renders that control and the Community card)
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(2.0)
    interval = solara.use_reactive(1)
    active = solara.use_reactive(None)
    message = solara.use_reactive("")
    lang = solara.use_reactive("en")
    colour = solara.use_reactive("attended")
    kind = solara.use_reactive("network")
    selected = solara.use_reactive(None)
    band = solara.use_reactive(None)
    seeds_result = solara.use_reactive(None)  # "Run this lesson on 10 seeds"
    projector = solara.use_reactive(projector_from_url())
    player = solara.use_memo(Player, [])

    def moved(controls_too: bool = True):
        version.value = version.value + 1
        if controls_too:
            settings.value = settings.value + 1

    def set_playing(on: bool):
        if not on and playing.value:
            player.stop()  # at once, whatever the renders do
            with session.lock:
                pass  # a week in progress finishes; the loop then sees its ticket is gone and stops
            version.value = version.value + 1  # show the week the model stopped at
        playing.set(on)

    def play(cancel: threading.Event):
        ticket = player.ticket()
        while playing.value and player.current(ticket) and not cancel.is_set():
            t0 = time.perf_counter()
            k, period = frame_plan(speed.value, interval.value)
            session.step(k)
            if not player.current(ticket):
                break
            version.value = version.value + 1
            if cancel.wait(max(0.0, period - (time.perf_counter() - t0))):
                break

    # not intrusive: cancelling must never interrupt a step half-way
    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)

    def act(fn, close_lesson: bool = False, stop: bool = True):
        """A control's handler: stop playing, change the session, show any error, redraw."""
        def run(*a):
            if stop:
                set_playing(False)
            try:
                fn(*a)
                message.set("")
                if close_lesson:
                    active.set(None)  # a new scenario replaces the lesson's plan
            except Exception as e:  # a bad value from the UI: say so on the page, keep the model
                message.set(f"{type(e).__name__}: {e}")
            moved()
        return run

    def open_lesson(key):
        le = lesson(key)
        start_lesson(session, le)
        colour.set(le.colour)
        selected.set(None)
        active.set(key)

    def close_lesson(_=None):
        session.leave_plan()  # the levers stay as they are; a rebuild no longer restarts the lesson
        active.set(None)

    def reset():
        # in a lesson the session restarts it on the chosen seed (its changes again at week 0, so the dashed
        # line keeps its base); otherwise the same community and seed with the levers as they are
        session.reset()

    def on_lever(note):
        message.set(note or "")
        lever_moved.value = lever_moved.value + 1
        moved(controls_too=False)

    def on_step():
        session.step(1)
        version.value = version.value + 1  # only the live view and the inspector follow a step

    L = lang.value
    P = projector.value
    solara.Title(tr("app.title", L))
    solara.Style(font_css() + ".v-application { font-size: 16px; font-family: Roboto, 'ConsultSim CJK', sans-serif }"
                 " .controls .v-label { font-size: 16px }"
                 ".projector-bar .v-btn { font-size: 20px !important; height: 44px !important }")

    def header():
        with solara.Row(style={"align-items": "center", "justify-content": "space-between", "flex-wrap": "wrap"},
                        classes=["projector-bar"] if P else []):
            solara.Text(tr("app.title", L), style={"font-size": "24px" if P else "20px", "font-weight": "bold"})
            if P:  # the control column is folded away: the run buttons come up here
                RunButtons(L, playing, on_step, lambda: set_playing(not playing.value), act(reset))
            else:
                solara.Text(tr("app.subtitle", L), style={"font-size": "15px", "color": "#555"})
            with solara.Row(gap="6px"):
                solara.Button(tr("app.projector_off" if P else "app.projector", L), outlined=True, color="primary",
                              icon_name="mdi-projector-screen", classes=["projector-button"],
                              on_click=lambda: projector.set(not P))
                solara.Button(tr("app.language", L), outlined=True, color="primary", classes=["lang-button"],
                              on_click=lambda: lang.set("zh" if L == "en" else "en"))
        if message.value:
            solara.Warning(message.value, dense=True)

    def live_view():
        LiveView(session, version, L, colour, kind, band, on_inspect=selected.set, selected=selected,
                 projector=P, lesson_key=active.value)

    if P:
        # projector: no control column, no tabs; the lesson's text beside the chart it talks about
        with solara.Column(gap="4px", style={"padding": "4px 8px"}, classes=["projector"]):
            header()
            with solara.Row(gap="14px", style={"align-items": "flex-start"}):
                if active.value is not None:
                    with solara.Column(style={"flex": "0 0 36%", "min-width": "0", "position": "sticky",
                                              "top": "4px", "max-height": "calc(100vh - 70px)",
                                              "overflow-y": "auto"}):
                        LessonCard(active.value, L, close_lesson, session, seeds_result, projector=True)
                with solara.Column(style={"flex": "1 1 0", "min-width": "0"}):
                    live_view()
        return

    with solara.Row(gap="10px", style={"align-items": "flex-start", "padding": "6px"}):
        # the controls scroll on their own and stay in view, so the teacher can reach any lever while the
        # charts stay on screen
        with solara.Column(gap="8px", classes=["controls"],
                           style={"position": "sticky", "top": "6px", "max-height": "calc(100vh - 12px)",
                                  "overflow-y": "auto", "padding": "2px 4px 2px 2px", "flex": "0 0 300px"}):
            RunCard(session, L, playing, speed, interval, on_step=on_step,
                    on_play=lambda: set_playing(not playing.value), on_reset=act(reset))
            Controls(session, settings, lever_moved, L, active.value, act, open_lesson, on_lever)
        with solara.Column(gap="6px", style={"flex": "1 1 0", "min-width": "0"}):
            header()
            with solara.lab.Tabs(value=0):
                with solara.lab.Tab(tr("app.tab.live", L)):
                    LessonCard(active.value, L, close_lesson, session, seeds_result)
                    live_view()
                    with solara.Row(gap="10px", style={"align-items": "flex-start", "flex-wrap": "wrap"}):
                        with solara.Column(style={"flex": "1 1 320px"}):
                            NetworkOptions(L, colour, kind)
                        with solara.Column(style={"flex": "1 1 320px"}):
                            SpreadCard(session, L, band, lambda fn: act(fn, stop=False))
                            solara.FileDownload(lambda: session.export_zip(),
                                                filename=f"consultsim-run-{session.scenario.name}-seed{session.seed}.zip",
                                                label=tr("app.download_run", L))
                with solara.lab.Tab(tr("app.tab.info", L)):
                    InfoTab(L)


@solara.component
def Page():
    session = solara.use_memo(Session.from_env, [])
    App(session)
