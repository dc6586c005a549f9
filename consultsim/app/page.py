"""The Solara page of the classroom app: controls on the left, the live model on the right.

Plain Solara components around a :class:`~consultsim.app.session.Session`
(Mesa 3.3's ``SolaraViz`` builds the model from one flat parameter form, which
cannot express scenario files, lesson presets that set several levers at once,
or levers that change a running model). Figures are matplotlib, rendered to PNG
on the server, so the page needs no chart library from a CDN.

Two counters drive the renders: ``version`` moves when the model moves (a
step, a reset, a rebuild) and redraws the figures, pipeline and log;
``settings`` moves when a control's value changes and redraws the controls.
The play loop (a thread, see :mod:`.player`) only moves ``version``.
"""

from __future__ import annotations

import threading
import time

import solara
import solara.lab  # noqa: F401  (registers solara.lab for Solara's own components)

from consultsim.app.lessons import LESSONS, baseline_scenario, lesson
from consultsim.app.network import COLOUR_MODES, LAYOUTS
from consultsim.app.pipeline import COLUMNS, pipeline
from consultsim.app.player import Frames, Player
from consultsim.app.session import Session, scenario_choices
from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, levers

__all__ = ["Page", "App", "COMMUNITY_SIZES", "UI_RANGE"]

#: Community sizes offered (households, buildings). 300/6 is the app's default; 2,000/20 is the model's.
COMMUNITY_SIZES = {
    "150 households, 3 buildings": (150, 3),
    "300 households, 6 buildings": (300, 6),
    "600 households, 10 buildings": (600, 10),
    "1000 households, 12 buildings": (1000, 12),
    "2000 households, 20 buildings (slow)": (2000, 20),
}
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
SECTION_TITLES = {"policy": "Policy levers", "idea": "Idea (civic awareness) levers", "practice": "Practice levers"}
COLUMN_COLOURS = {"proposed": "#757575", "agenda": "#1565c0", "deliberating": "#6a1b9a", "decided": "#00838f",
                  "implementing": "#ef6c00", "implemented": "#2e7d32", "stalled": "#c62828", "failed": "#4e342e"}
MAX_CARDS = 5
MIN_PAUSE = 0.3           # seconds between frames while playing
MAX_WEEKS_PER_FRAME = 8
MAX_EVENTS = 60


def label_of(name: str) -> str:
    return name.replace("_", " ")


def fmt(value) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, int) or float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:.2f}"


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
def LeverControl(session: Session, name: str, settings: int, on_change):
    value = session.value(name)
    doc = PARAM_INFO[name].metadata["doc"]

    def set_value(v):
        try:
            live = session.set_lever(name, v)
        except Exception as e:  # an out-of-range value: say so on the page, keep the model as it was
            on_change(f"{label_of(name)}: {e}")
            return
        on_change(None if live else f"{label_of(name)} = {fmt(v)}: takes effect when you press Reset")

    with solara.Column(gap="0px", style={"margin-bottom": "6px"}):
        if _kind(name) == "bool":
            solara.Switch(label=label_of(name), value=bool(value), on_value=set_value)
        else:
            lo, hi, step = ui_range(name, value)
            solara.Text(f"{label_of(name)}: {fmt(value)}", style={"font-size": "14px"})
            integer = _kind(name) == "int"
            # the value is in the text above (readable from the back of a classroom); the model changes
            # when the slider is released ("change"), not at every pixel of a drag
            slider = solara.v.Slider(v_model=value, min=lo, max=hi, step=step, thumb_label=True, dense=True,
                                     hide_details=True, class_=f"lever-{name}")
            solara.v.use_event(slider, "change", lambda _w, _e, v: set_value(int(round(v)) if integer else float(v)))
        solara.Text(doc, style={"font-size": "11px", "color": "#666", "line-height": "1.2"})


@solara.component
def RunCard(session: Session, version: int, playing: bool, speed, on_step, on_play, on_reset):
    with solara.Card("Run", margin=0):
        with solara.Row(style={"align-items": "baseline"}):
            solara.Text(f"Week {session.week}", classes=["week"], style={"font-size": "20px", "font-weight": "bold"})
            solara.Text(f"{session.scenario_label} · seed {session.seed}", style={"color": "#555"})
        with solara.Row(gap="6px"):
            solara.Button("Step", icon_name="mdi-step-forward", color="primary", on_click=on_step,
                          disabled=playing)
            solara.Button("Pause" if playing else "Play", icon_name="mdi-pause" if playing else "mdi-play",
                          color="primary", on_click=on_play)
            solara.Button("Reset", icon_name="mdi-restore", color="primary", outlined=True, on_click=on_reset)
        solara.Text(f"speed: {fmt(speed.value)} weeks per second", style={"font-size": "14px"})
        solara.v.Slider(v_model=speed.value, on_v_model=lambda v: speed.set(float(v)), min=0.5, max=10, step=0.5,
                        dense=True, hide_details=True, class_="speed")


@solara.component
def Controls(session: Session, settings: int, act, on_lesson, on_lever):
    with solara.Card("Community", margin=0):
        choices = scenario_choices()
        labels = [c.label for c in choices]
        solara.Select("Scenario", values=labels, value=session.scenario_label if session.scenario_label in labels
                      else None, on_value=act(lambda label: session.set_scenario(
                          next(c for c in choices if c.label == label)), close_lesson=True))
        if session.scenario.description:
            solara.Text(session.scenario.description[:300],
                        style={"font-size": "11px", "color": "#666", "line-height": "1.2"})
        sizes = {v: k for k, v in COMMUNITY_SIZES.items()}
        current = (session.community.get("n_residents"), session.community.get("n_buildings"))

        def size(label):
            n, b = COMMUNITY_SIZES[label]
            session.set_community(n_residents=n, n_buildings=b)

        solara.Select("Community size", values=list(COMMUNITY_SIZES), value=sizes.get(current), on_value=act(size))
        solara.InputInt("Seed", value=session.seed, on_value=act(session.set_seed), continuous_update=False)

    with solara.Card("Lessons", margin=0):
        for le in LESSONS:
            solara.Button(le.short, text=True, color="secondary", classes=[f"lesson-{le.key}"],
                          style={"justify-content": "flex-start", "text-transform": "none", "font-size": "15px"},
                          on_click=act(lambda le=le: on_lesson(le.key)))

    groups = levers()
    for section in LEVER_SECTIONS:
        with solara.Card(SECTION_TITLES[section], margin=0):
            for name in groups[section]:
                LeverControl(session, name, settings, on_change=on_lever)


@solara.component
def NetworkPanel(frames: Frames, version: int, mode, layout):
    """The network view; ``mode`` and ``layout`` are reactive (lessons set the colour mode)."""
    modes = {v: k for k, v in COLOUR_MODES.items()}
    kinds = {v: k for k, v in LAYOUTS.items()}
    with solara.Card("Residents' network", margin=0):
        with solara.Row():
            solara.Select("Colour households by", values=list(modes), value=COLOUR_MODES[mode.value],
                          on_value=lambda v: mode.set(modes[v]))
            solara.Select("Layout", values=list(kinds), value=LAYOUTS[layout.value],
                          on_value=lambda v: layout.set(kinds[v]))
        solara.Image(frames.network(version, mode.value, layout.value), width="100%")


@solara.component
def ChartsView(frames: Frames, version: int):
    with solara.Card("Live charts", margin=0):
        solara.Image(frames.charts(version), width="100%")


@solara.component
def PipelineView(session: Session, version: int):
    with session.lock:
        cols = pipeline(list(session.model.topics))
    with solara.Card("Topic pipeline: where each topic is in the procedure", margin=0):
        with solara.Row(gap="6px", classes=["pipeline"], style={"align-items": "flex-start", "overflow-x": "auto"}):
            for key, heading, _ in COLUMNS:
                cards = cols[key]
                colour = COLUMN_COLOURS[key]
                with solara.Column(gap="4px", style={"flex": "1 1 0", "min-width": "118px"}):
                    solara.Text(f"{heading} ({len(cards)})", classes=[f"pipeline-{key}"],
                                style={"font-weight": "bold", "color": "white", "background": colour,
                                       "padding": "2px 6px", "border-radius": "4px", "font-size": "12px"})
                    for c in cards[:MAX_CARDS]:
                        with solara.Column(gap="0px", classes=["topic-card"],
                                           style={"border-left": f"4px solid {colour}", "background": "#f6f6f6",
                                                  "padding": "3px 6px", "border-radius": "3px",
                                                  "font-size": "12px", "line-height": "1.25"}):
                            solara.Text(f"#{c.id} {c.title}", style={"font-weight": "bold"})
                            solara.Text(f"{c.where} · {c.support}")
                            solara.Text(f"week {c.week} · {c.detail}", style={"color": "#666"})
                    if len(cards) > MAX_CARDS:
                        solara.Text(f"+ {len(cards) - MAX_CARDS} more", style={"font-size": "11px", "color": "#666"})


@solara.component
def EventLog(session: Session, version: int):
    with session.lock:
        events = list(session.model.events)[-MAX_EVENTS:][::-1]
    with solara.Card("What happened (newest first)", margin=0):
        with solara.Column(gap="1px", classes=["event-log"],
                           style={"max-height": "230px", "overflow-y": "auto", "font-size": "13px"}):
            if not events:
                solara.Text("Nothing yet: press Step or Play.", style={"color": "#666"})
            for e in events:
                solara.Text(e.text)


@solara.component
def LessonCard(key: str | None, on_close):
    if key is None:
        return
    le = lesson(key)
    with solara.Card(le.title, subtitle=le.question, margin=0, classes=["lesson-card"],
                     style={"border-left": "6px solid #7b1fa2"}):
        solara.Markdown(le.explanation)
        solara.Markdown(f"**Try next:** {le.try_next}  \n*Run about {le.weeks} weeks (Play, or Step).*")
        solara.Button("Close lesson", text=True, on_click=lambda: on_close(None))


@solara.component
def App(session: Session):
    """The whole app around ``session`` (tests render this with a small community)."""
    version = solara.use_reactive(0)    # the model moved
    settings = solara.use_reactive(0)   # a control's value changed
    playing = solara.use_reactive(False)
    speed = solara.use_reactive(2.0)
    active = solara.use_reactive(None)
    message = solara.use_reactive("")
    colour = solara.use_reactive("attended")
    layout = solara.use_reactive("network")
    frames = solara.use_memo(lambda: Frames(session), [])
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
        # `speed` weeks per second, at most one frame per MIN_PAUSE (so renders and clicks get through);
        # at high speed several weeks are stepped per frame
        ticket = player.ticket()
        k = 1
        while playing.value and player.current(ticket) and not cancel.is_set():
            t0 = time.perf_counter()
            session.step(k)
            nxt = version.value + 1
            frames.network(nxt, colour.value, layout.value)  # drawn here, not in the render
            frames.charts(nxt)
            if not player.current(ticket):
                break
            version.value = nxt
            elapsed = time.perf_counter() - t0
            pause = max(MIN_PAUSE, k / speed.value - elapsed)
            k = max(1, min(MAX_WEEKS_PER_FRAME, round(speed.value * (elapsed + pause))))
            if cancel.wait(pause):
                break

    # not intrusive: cancelling must never interrupt a step half-way
    solara.use_thread(play, dependencies=[playing.value], intrusive_cancel=False)

    def act(fn, close_lesson: bool = False):
        """A control's handler: stop playing, change the session, show any error, redraw."""
        def run(*a):
            set_playing(False)
            try:
                fn(*a)
                message.set("")
                if close_lesson:
                    active.set(None)
            except Exception as e:  # a bad value from the UI: say so on the page, keep the model
                message.set(f"{type(e).__name__}: {e}")
            moved()
        return run

    def open_lesson(key):
        le = lesson(key)
        session.apply(baseline_scenario(), le.overrides, seed=le.seed)
        colour.set(le.colour)
        active.set(key)

    def on_lever(note):
        message.set(note or "")
        moved()

    solara.Title("ConsultSim classroom")
    with solara.Column(style={"padding": "8px"}):
        with solara.Row(style={"align-items": "baseline"}):
            solara.Text("ConsultSim", style={"font-size": "22px", "font-weight": "bold"})
            solara.Text("community consultation (社区协商) in a Beijing neighbourhood, week by week",
                        style={"font-size": "14px", "color": "#555"})
        if message.value:
            solara.Warning(message.value, dense=True)
        with solara.Row(gap="10px", style={"align-items": "flex-start"}):
            # the controls scroll on their own and stay in view, so the teacher can reach any lever while
            # the network and charts stay on screen (a plain Row: Columns' cells would scroll instead)
            with solara.Column(gap="8px", classes=["controls"],
                               style={"position": "sticky", "top": "8px", "max-height": "calc(100vh - 16px)",
                                      "overflow-y": "auto", "padding": "2px 4px 2px 2px", "flex": "0 0 330px"}):
                RunCard(session, version.value, playing.value, speed,
                        on_step=act(lambda: session.step(1)),
                        on_play=lambda: set_playing(not playing.value),
                        on_reset=act(session.reset))
                Controls(session, settings.value, act, open_lesson, on_lever)
            with solara.Column(gap="8px", style={"flex": "1 1 0", "min-width": "0"}):
                LessonCard(active.value, active.set)
                with solara.Columns([1, 1], gutters_dense=True):
                    NetworkPanel(frames, version.value, colour, layout)
                    ChartsView(frames, version.value)
                PipelineView(session, version.value)
                EventLog(session, version.value)


@solara.component
def Page():
    session = solara.use_memo(Session.from_env, [])
    App(session)
