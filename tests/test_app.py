"""The classroom app without a browser: session, drawing helpers, lessons, and the page via solara.render."""

from __future__ import annotations

import dataclasses
import types

import numpy as np
import pytest

pytest.importorskip("solara", reason="the app needs the [app] extra (solara)")

import ipyvuetify as v  # noqa: E402
import solara  # noqa: E402

from consultsim.app import live  # noqa: E402
from consultsim.app import network as netmod  # noqa: E402
from consultsim.app.lessons import LESSONS, TEXT_FIELDS, baseline_scenario, lesson, open_lesson  # noqa: E402
from consultsim.app.page import COMMUNITY_SIZES, App, frame_plan, ui_range  # noqa: E402
from consultsim.app.pipeline import COLUMNS, column_of, pipeline  # noqa: E402
from consultsim.app.session import APP_COMMUNITY, Session, lever_names, scenario_choices  # noqa: E402
from consultsim.core.params import PARAM_INFO, levers  # noqa: E402
from consultsim.core.topics import Stage  # noqa: E402
from consultsim.running.scenarios import SCENARIO_DIR  # noqa: E402

SMALL = {"n_residents": 120, "n_buildings": 3}


def small_session(**kw) -> Session:
    return Session(baseline_scenario(), seed=kw.pop("seed", 5), community=kw.pop("community", dict(SMALL)), **kw)


def state(model):
    """Everything that must be equal between two models that should be identical."""
    res = model.res
    return ([getattr(res, k).copy() for k in ("age_group", "building", "floor", "trust_committee", "efficacy",
                                                "last_attended")],
            sorted(model.graph.edges()), model.timeseries().to_numpy(copy=True))


def assert_same(a, b):
    for x, y in zip(a[0], b[0]):
        np.testing.assert_array_equal(x, y)
    assert a[1] == b[1]
    np.testing.assert_array_equal(a[2], b[2])


# ---------------------------------------------------------------- session
def test_app_community_is_smaller_than_the_model_default():
    assert APP_COMMUNITY["n_residents"] < PARAM_INFO["n_residents"].default
    s = Session(baseline_scenario(), seed=1)
    assert s.model.res.n == APP_COMMUNITY["n_residents"]
    assert len(np.unique(s.model.res.building)) == APP_COMMUNITY["n_buildings"]


def test_step_and_reset_restore_the_same_community():
    s = small_session()
    fresh = state(s.model)
    s.step(6)
    assert s.week == 6 and len(s.age_history) == 7
    stepped = state(s.model)
    assert not np.array_equal(stepped[2], fresh[2])  # the run moved on
    s.reset()
    assert s.week == 0 and len(s.age_history) == 1
    assert_same(state(s.model), fresh)


def test_a_reset_lets_the_models_it_replaces_be_freed():
    """A classroom resets dozens of times a lesson; the live and reference models a reset replaces are freed
    (Mesa 3.3's ``Agent._ids`` would keep every one alive: runner.release_model)."""
    import gc
    import weakref

    s = small_session()
    s.step(2)
    old = [weakref.ref(s.model), weakref.ref(s.reference)]
    for _ in range(3):
        s.reset()
    gc.collect()
    assert all(r() is None for r in old)
    assert s.model is not None and s.reference is not None


def test_lever_changes_the_running_model_and_survives_reset():
    s = small_session()
    s.step(2)
    assert s.model.params.supervision == 0.0
    assert s.set_lever("supervision", 0.7) is True
    assert s.model.params.supervision == 0.7 and s.week == 2  # live: no rebuild
    s.reset()
    assert s.model.params.supervision == 0.7


def test_social_workers_are_contracted_live_and_community_size_waits_for_reset():
    s = small_session()
    assert s.set_lever("social_workers", 2) is True
    s.step()
    assert len(s.model.social_workers) == 2 and s.pending == {}
    assert s.set_lever("social_workers", 1) is True
    s.step()
    assert len(s.model.social_workers) == 1
    assert s.set_lever("n_residents", 200) is False  # a new community needs a reset
    assert s.model.res.n != 200 and s.value("n_residents") == 200
    s.reset()
    assert s.model.res.n == 200 and s.pending == {}


def test_out_of_range_lever_is_refused_and_model_kept():
    s = small_session()
    before = s.model
    with pytest.raises(ValueError):
        s.set_lever("supervision", 3.0)
    assert s.model is before and s.model.params.supervision == 0.0


def test_scenario_choices_list_every_file():
    files = sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))
    labels = [c.label for c in scenario_choices()]
    assert sorted(labels) == files
    assert labels[0] == "baseline"


def test_set_scenario_replaces_changes_with_the_file_values():
    s = small_session()
    s.set_lever("supervision", 0.9)
    choice = next(c for c in scenario_choices() if c.label == "incentives")
    s.set_scenario(choice)
    assert s.scenario_label == "incentives" and s.week == 0
    assert s.model.params.incentive_per_meeting > 0  # what incentives.toml is about
    assert s.model.params.supervision == 0.0         # the earlier change is gone
    assert s.model.res.n == SMALL["n_residents"]     # the app's community size is kept


def test_age_history_counts_recent_attendance_by_age_group():
    s = small_session(seed=2)
    s.step(40)
    week, *shares = s.age_history[-1]
    res = s.model.res
    recent = (res.last_attended >= 0) & (res.last_attended > week - 12)
    for g in range(3):
        assert shares[g] == pytest.approx(recent[res.age_group == g].mean())


# ---------------------------------------------------------------- drawing helpers
def test_layout_is_cached_per_community_not_recomputed(monkeypatch):
    s = small_session(seed=11)
    calls = []
    import networkx as nx
    real = nx.spring_layout
    monkeypatch.setattr(nx, "spring_layout", lambda *a, **k: calls.append(1) or real(*a, **k))
    netmod._CACHE.clear()
    p1 = netmod.layout(s.model.graph, s.model.res.building, s.model.res.floor)
    n_calls = len(calls)
    assert n_calls == SMALL["n_buildings"]  # one force layout per building
    s.step(3)
    s.reset()  # same seed: same community, so the cached layout is reused
    p2 = netmod.layout(s.model.graph, s.model.res.building, s.model.res.floor)
    assert p2 is p1 and len(calls) == n_calls
    # households sit nearer their own building's centre than any other building's
    b = s.model.res.building
    centres = np.array([p1[b == k].mean(axis=0) for k in range(SMALL["n_buildings"])])
    nearest = np.argmin(((p1[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    assert (nearest == b).mean() > 0.95


def test_colour_data_follows_the_households():
    s = small_session(seed=3)
    s.step(30)
    m = s.model
    age = live.colour_data(m, "age", "en")
    assert age["values"] == m.res.age_group.tolist()
    att = live.colour_data(m, "attended", "en")
    never = m.res.last_attended < 0
    assert all(att["palette"][x] == netmod.MISSING for x in np.asarray(att["values"])[never])
    trust = live.colour_data(m, "trust", "en")
    hi, lo = np.argmax(m.res.trust_committee), np.argmin(m.res.trust_committee)
    assert trust["values"][hi] > trust["values"][lo]
    op = live.colour_data(m, "opinion", "zh")
    out = ~np.isfinite(m.current_opinions())
    assert all(op["palette"][x] == netmod.MISSING for x in np.asarray(op["values"])[out])
    for mode in netmod.COLOUR_MODES:
        d = live.colour_data(m, mode, "zh")
        assert len(d["values"]) == m.res.n and max(d["values"]) < len(d["palette"])
    with pytest.raises(ValueError):
        live.colour_data(m, "shoe size", "en")


def test_chart_rows_are_sent_incrementally_and_match_the_model():
    s = small_session(seed=4)
    s.step(20)
    full = live.rows(s.model, s.age_history, 0)
    assert len(full) == 21 and [r[0] for r in full] == list(range(21))
    assert live.rows(s.model, s.age_history, 15) == full[15:]  # the tail is the same rows
    ts = s.model.timeseries()
    col = live.COLS.index("participation_rate")
    assert [r[col] for r in full] == pytest.approx(ts["participation_rate"].tolist(), abs=1e-4)
    stalled = live.COLS.index("stalled_share")
    for r, (_, row) in zip(full, ts.iterrows()):
        if row["resolutions"]:
            assert r[stalled] == pytest.approx(row["stalled"] / row["resolutions"], abs=1e-4)
        else:
            assert r[stalled] is None  # no line where nothing was agreed yet
    young = live.COLS.index("young")
    assert [r[young] for r in full] == pytest.approx([a[1] for a in s.age_history], abs=1e-4)
    every = {ser["col"] for p in live.spec("en")["panels"] for ser in p["series"]}
    assert every == set(range(1, len(live.COLS)))  # every column is drawn in some panel


def test_network_data_is_sent_once_per_community():
    s = small_session(seed=4)
    d = live.net_data(s.model, "network", s.epoch, "en")
    assert len(d["x"]) == len(d["y"]) == s.model.res.n
    ties = len(d["inner"]) // 2 + len(d["outer"]) // 2
    assert ties == s.model.graph.number_of_edges()
    assert [lab[2] for lab in d["labels"]] == ["building 1", "building 2", "building 3"]
    assert [lab[2] for lab in live.net_data(s.model, "floors", s.epoch, "zh")["labels"]] == ["1 号楼", "2 号楼",
                                                                                               "3 号楼"]


def test_frame_plan_draws_every_interval_weeks_at_the_requested_speed():
    for speed in (0.5, 2, 10):
        for interval in (1, 2, 4, 8):
            k, period = frame_plan(speed, interval)
            assert k >= interval and period >= 0.1
            assert k / period == pytest.approx(speed, rel=0.35)  # weeks per second as asked


def test_page_opens_the_scenario_given_on_the_command_line(monkeypatch):
    from consultsim.app.session import SCENARIO_ENV
    monkeypatch.setenv(SCENARIO_ENV, str(SCENARIO_DIR / "supervision.toml"))
    s = Session.from_env()
    assert s.scenario_label == "supervision" and s.model.params.supervision > 0
    monkeypatch.delenv(SCENARIO_ENV)
    assert Session.from_env().scenario_label == "baseline"


def test_pipeline_puts_every_topic_in_one_column():
    s = small_session(seed=6, community={"n_residents": 300, "n_buildings": 6})
    s.step(104)
    topics = s.model.topics
    assert topics
    cols = pipeline(topics)
    assert sum(len(c) for c in cols.values()) == len(topics)
    ts = s.model.timeseries().iloc[-1]
    assert len(cols["implemented"]) == ts["implemented"]
    assert len(cols["stalled"]) == ts["stalled"]


def test_column_of_evaluated_topic_is_where_it_ended():
    t = types.SimpleNamespace(stage=Stage.EVALUATED,
                              history=[(1, Stage.PROPOSED), (9, Stage.IMPLEMENTING), (20, Stage.STALLED),
                                       (20, Stage.EVALUATED)])
    assert column_of(t) == "stalled"
    t.stage, t.history = Stage.DEFERRED, []
    assert column_of(t) == "agenda"
    keys = [k for k, _, _ in COLUMNS]
    assert keys == ["proposed", "agenda", "deliberating", "decided", "implementing", "implemented", "stalled",
                    "failed"]
    covered = set().union(*(st for _, _, st in COLUMNS))
    assert covered == set(Stage) - {Stage.EVALUATED}


def test_every_lever_has_a_usable_control_range():
    names = lever_names()
    assert names == [n for s in ("policy", "idea", "practice") for n in levers()[s]]
    for name in names:
        f = PARAM_INFO[name]
        kind = f.type if isinstance(f.type, str) else f.type.__name__
        if kind == "bool":
            continue
        lo, hi, step = ui_range(name, f.default)
        assert lo <= f.default <= hi and 0 < step <= (hi - lo) / 5
        assert f.metadata["lo"] <= lo and hi <= f.metadata["hi"]


# ---------------------------------------------------------------- reference run, inspector, export
def test_reference_run_matches_until_a_lever_changes():
    s = small_session(seed=8)
    s.step(10)
    np.testing.assert_array_equal(s.model.timeseries().to_numpy(), s.reference.timeseries().to_numpy())
    s.set_lever("supervision", 0.9)
    s.set_lever("supervision", 0.9)  # the same value again is no change
    s.set_lever("supervision", 0.7)
    assert [(c.week, c.name, c.old, c.new, c.reference) for c in s.changes] == [(10, "supervision", 0.0, 0.9, 0.0),
                                                                               (10, "supervision", 0.9, 0.7, 0.0)]
    assert s.reference.params.supervision == 0.0  # the reference keeps the settings before the change
    s.step(5)
    assert s.reference.steps == s.model.steps == 15
    text = live.log_lines(s, "zh")
    assert [e["text"] for e in text if e["lever"]][0] == "[2] 第 10 周：你把落实监督从 0.90 调到 0.70（虚线保持 0）"
    s.reset()
    assert s.changes == [] and s.reference.params.supervision == 0.7  # a reset starts both from the new setting


def test_supervision_opens_a_visible_gap_between_the_twin_runs_within_the_lesson():
    """The issue's check of the twin view: lesson 2's community (2,000 households), supervision raised at
    week 0. The live implementation line must leave the reference's by at least 0.1 (a tenth of the chart's
    height) within the lesson's 104 weeks, on most seeds (ODD §7.6: the oversight board raises the property
    manager's effort; since issue 16 it oversees only the property manager's works, not the committee's
    own, so within 52 weeks the gap shows on 3 of these 10 seeds, within 104 on 8)."""
    gaps = []
    le = lesson("vicious")
    for seed in range(1, 11):
        s = Session(baseline_scenario(), seed=seed, overrides=le.base,
                    community={"n_residents": le.community[0], "n_buildings": le.community[1]})
        s.set_lever("supervision", 1.0)
        s.step(104)
        a = s.model.timeseries()["implementation_rate"].to_numpy(float)
        b = s.reference.timeseries()["implementation_rate"].to_numpy(float)
        gaps.append(np.nanmax(np.abs(a - b), initial=0.0))
    assert sum(g >= 0.1 for g in gaps) >= 8, gaps


def test_household_inspector_reports_the_households_state():
    s = small_session(seed=6, community={"n_residents": 300, "n_buildings": 6})
    s.step(60)
    res = s.model.res
    i = int(np.argmax(res.meetings_attended))
    h = s.household(i)
    assert h["age_group"] == res.age_group[i] and h["building"] == res.building[i]
    assert h["trust_committee"] == pytest.approx(res.trust_committee[i]) and h["meetings"] == res.meetings_attended[i]
    assert h["attended"], "the most frequent attender attended some topic"
    for tid, _, _ in h["attended"]:
        t = next(t for t in s.model.topics if t.id == tid)
        assert t.attended[list(t.scope).index(i)]


def test_export_is_the_same_files_as_consultsim_run(tmp_path):
    import io
    import json
    import zipfile

    import pandas as pd

    s = small_session(seed=9)
    s.set_lever("supervision", 0.5)
    s.step(12)
    with zipfile.ZipFile(io.BytesIO(s.export_zip())) as z:
        assert sorted(z.namelist()) == ["reference/run.json", "reference/timeseries.csv", "reference/topics.csv",
                                        "run.json", "timeseries.csv", "topics.csv"]
        ts = pd.read_csv(z.open("timeseries.csv"))
        ref = pd.read_csv(z.open("reference/timeseries.csv"))
        meta = json.loads(z.read("run.json"))
    pd.testing.assert_frame_equal(ts, s.model.timeseries(), check_dtype=False)
    pd.testing.assert_frame_equal(ref, s.reference.timeseries(), check_dtype=False)
    assert meta["seed"] == 9 and meta["steps"] == 12 and meta["params"]["supervision"] == 0.5
    app = meta["app"]
    assert app["seed"] == 9 and app["weeks"] == 12 and app["community"] == SMALL and app["scenario"] == "baseline"
    assert app["lever_changes"] == [{"week": 0, "lever": "supervision", "from": 0.0, "to": 0.5}]
    assert app["start_params"]["supervision"] == 0.0 and app["reference"]["params"]["supervision"] == 0.0


def _replayed(tmp_path, export: bytes, name: str):
    from consultsim.cli import main
    z = tmp_path / f"{name}.zip"
    z.write_bytes(export)
    out = tmp_path / f"{name}-out"
    assert main(["run", "--replay", str(z), "--out", str(out)]) == 0
    return out


@pytest.mark.slow  # about 3 s (the command line and two models); the lesson replay below stays in the fast suite
def test_an_exported_run_replays_bit_identically(tmp_path, capsys):
    """Issue 20, part 3: levers changed at several weeks (and twice in one week), the live run and the reference
    made again by ``consultsim run --replay`` with the same bytes in timeseries.csv and topics.csv."""
    import io
    import zipfile

    s = small_session(seed=13)
    s.step(4)
    s.set_lever("supervision", 0.8)
    s.set_lever("online_channel", True)
    s.step(5)
    s.set_lever("incentive_per_meeting", 15)
    s.set_lever("supervision", 0.35)
    s.step(11)
    s.set_lever("awareness_campaign", 0.6)  # after the last step: in the final parameters only
    export = s.export_zip()
    out = _replayed(tmp_path, export, "free")
    said = capsys.readouterr().out
    assert said.count("identical to the export") == 4 and "DIFFERS" not in said, said
    with zipfile.ZipFile(io.BytesIO(export)) as z:
        for name in ("timeseries.csv", "topics.csv", "reference/timeseries.csv", "reference/topics.csv"):
            assert (out / name).read_bytes() == z.read(name), name
    # not a replay of the final settings from week 0 (what the old export allowed): that run differs
    from consultsim.running.runner import simulate
    flat = simulate(baseline_scenario(), seed=13, steps=20, overrides={**SMALL, **s.changed_levers()})
    assert not flat.timeseries.equals(s.model.timeseries())


def test_a_lesson_on_another_seed_replays_bit_identically(tmp_path, capsys):
    s = small_session()
    open_lesson(s, lesson("practice"), seed=3)
    s.step(8)
    s.set_lever("online_channel", False)
    s.step(4)
    out = _replayed(tmp_path, s.export_zip(), "lesson")
    assert "DIFFERS" not in capsys.readouterr().out
    import pandas as pd
    pd.testing.assert_frame_equal(pd.read_csv(out / "timeseries.csv"), s.model.timeseries(), check_dtype=False)


def test_replay_refuses_what_it_cannot_replay_in_one_line(tmp_path, capsys):
    from consultsim.cli import main
    plain = tmp_path / "plain"
    assert main(["run", "baseline", "--steps", "2", "--seed", "1", "--set", "n_residents=100", "--set",
                 "n_buildings=2", "--out", str(plain)]) == 0
    capsys.readouterr()
    for bad, words in ((tmp_path / "nothing.zip", "no such file"), (plain, "no replay record"),
                       (plain / "timeseries.csv", "not valid JSON")):
        assert main(["run", "--replay", str(bad), "--out", str(tmp_path / "o")]) == 2
        err = capsys.readouterr().err
        assert words in err and err.count("\n") == 1 and "Traceback" not in err, err
    assert main(["run", "baseline", "--replay", str(plain)]) == 2
    assert "only --out" in capsys.readouterr().err


def test_ten_runs_use_the_live_levers_and_differ_by_seed():
    s = small_session(seed=2)
    s.set_lever("incentive_per_meeting", 20)
    runs = s.replicates("participation_rate", 20, runs=10)
    assert runs.shape == (10, 21)
    assert len({tuple(r) for r in runs}) > 1  # different seeds, different runs
    from consultsim.running.runner import simulate
    one = simulate(baseline_scenario(), seed=3, steps=20, overrides={**SMALL, "incentive_per_meeting": 20})
    np.testing.assert_allclose(runs[0], one.timeseries["participation_rate"].to_numpy(float))


# ---------------------------------------------------------------- lessons
def test_lessons_cover_the_three_fronts_in_both_languages():
    from consultsim.i18n import tr
    assert len(LESSONS) >= 5 and {le.front for le in LESSONS} == {"policy", "idea", "practice"}
    for le in LESSONS:
        assert set(le.base) | set(le.changes) <= set(lever_names())
        assert le.colour in netmod.COLOUR_MODES and le.measure is not None
        for part in TEXT_FIELDS:
            en, zh = le.text(part, "en"), le.text(part, "zh")
            assert en and zh and en != zh, (le.key, part)
        assert tr(f"app.lesson.{le.key}.see", "zh")


@pytest.mark.parametrize("key", [le.key for le in LESSONS])
def test_each_lesson_shows_what_it_promises(key):
    """A lesson's "what you should see" holds on its own seed and on at least 8 of 10 other seeds."""
    le = lesson(key)

    def holds(seed):
        s = Session(baseline_scenario(), seed=seed)
        open_lesson(s, dataclasses.replace(le, seed=seed))
        assert s.model.res.n == le.community[0]
        s.step(le.weeks)
        return bool(le.promise(s))

    assert holds(le.seed)
    others = [holds(seed) for seed in range(1, 11)]
    assert sum(others) >= 8, others


# ---------------------------------------------------------------- the page, rendered without a browser
def button(rc, label):
    found = [w for w in rc.find(v.Btn).widgets if label in w.children]
    assert len(found) == 1, f"button {label!r}: {len(found)} found"
    return found[0]


def texts(rc):
    return [c for w in rc.find(v.Html).widgets for c in w.children if isinstance(c, str)]


@pytest.fixture
def rendered():
    s = small_session()
    box, rc = solara.render(App(s), handle_error=False)
    yield s, rc
    rc.close()


def live_widget(rc):
    found = [w for w in rc.find(v.VuetifyTemplate).widgets if hasattr(w, "monitors")]
    assert len(found) == 1
    return found[0]


def test_page_renders_every_part(rendered):
    s, rc = rendered
    lv = live_widget(rc)
    assert lv.week == 0 and lv.log == [] and [c["key"] for c in lv.pipeline] == [k for k, _, _ in COLUMNS]
    assert len(lv.net["x"]) == s.model.res.n and len(lv.colours["values"]) == s.model.res.n
    assert lv.series["start"] == 0 and len(lv.series["live"]) == 1
    for name in lever_names():
        assert rc.find(v.Slider, class_=f"lever-{name}").widgets or rc.find(v.Switch, class_=f"lever-{name}").widgets
    scen = rc.find(v.Select, label="Scenario").widget
    assert scen.items == [c.label for c in scenario_choices()]
    assert len(rc.find(v.Select, label="Community size").widget.items) == len(COMMUNITY_SIZES)


def test_step_sends_only_the_new_week(rendered):
    s, rc = rendered
    fresh = state(s.model)
    for w in range(1, 4):
        button(rc, "Step").click()
        lv = live_widget(rc)
        assert lv.week == w == s.week
        assert lv.series["start"] == w - 1 and [r[0] for r in lv.series["live"]] == [w - 1, w]
    s.step(39)
    button(rc, "Step").click()
    lv = live_widget(rc)
    assert lv.week == 43 and [r[0] for r in lv.series["live"]][-1] == 43
    assert lv.series["start"] == 3  # everything the browser has not seen, from the last row it has
    assert s.model.events and s.model.events[-1].text in [e["text"] for e in lv.log]
    cols = pipeline(s.model.topics)
    assert [c["count"] for c in lv.pipeline] == [len(cols[k]) for k, _, _ in COLUMNS]
    button(rc, "Reset").click()
    lv = live_widget(rc)
    assert s.week == 0 and lv.week == 0 and lv.series["start"] == 0 and len(lv.series["live"]) == 1
    assert_same(state(s.model), fresh)


def test_play_runs_the_model_and_pause_stops_it_where_the_page_says(rendered):
    import time
    s, rc = rendered
    rc.find(v.Slider, class_="speed").widget.v_model = 10
    button(rc, "Play").click()
    deadline = time.monotonic() + 20
    while s.week < 5 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert s.week >= 5
    button(rc, "Pause").click()
    stopped = s.week
    deadline = time.monotonic() + 10  # renders from the play thread may arrive a moment later
    while live_widget(rc).week != stopped and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    assert s.week == stopped and live_widget(rc).week == stopped
    assert button(rc, "Play")  # the button is back to Play


def test_lever_controls_change_the_model_and_mark_the_chart(rendered):
    s, rc = rendered
    button(rc, "Step").click()
    rc.find(v.Slider, class_="lever-supervision").widget.fire_event("change", 0.65)
    assert s.model.params.supervision == pytest.approx(0.65) and s.week == 1
    rc.find(v.Slider, class_="lever-meeting_cadence_weeks").widget.fire_event("change", 8)
    assert s.model.params.meeting_cadence_weeks == 8
    rc.find(v.Switch, class_="lever-pm_performance_contract").widget.v_model = True
    assert s.model.params.pm_performance_contract is True
    assert "supervision: 0.65" in texts(rc)
    lv = live_widget(rc)
    assert lv.markers == [{"week": 1, "label": "1–3", "names": ["supervision", "meeting_cadence_weeks",
                                                               "pm_performance_contract"]}]
    assert sum(e["lever"] for e in lv.log) == 3
    assert all("dashed run" in m["ref"] for m in lv.monitors)


def test_run_10_times_sends_the_spread_to_the_chart(rendered):
    s, rc = rendered
    button(rc, "Run 10 times").click()
    lv = live_widget(rc)
    band = lv.band
    assert band["panel"] == "implementation" and band["weeks"] == 52
    assert len(band["lo"]) == len(band["hi"]) == len(band["med"]) == 53
    runs = s.replicates("implementation_rate", 52, runs=10)
    last = runs[:, -1][np.isfinite(runs[:, -1])]
    assert band["lo"][-1] == pytest.approx(last.min(), abs=1e-4) and band["hi"][-1] == pytest.approx(last.max(),
                                                                                                        abs=1e-4)
    assert all(x is None or lo <= x <= hi for lo, x, hi in zip(band["lo"], band["med"], band["hi"]) if lo is not None)
    assert "median" in " ".join(texts(rc))


def test_community_card_says_which_levers_differ_from_the_scenario(rendered):
    s, rc = rendered
    assert any("No policy levers are applied" in t for t in texts(rc))
    rc.find(v.Slider, class_="lever-supervision").widget.fire_event("change", 0.5)
    shown = texts(rc)
    assert "Levers changed from the scenario: supervision 0.50" in shown
    assert not any("No policy levers are applied" in t for t in shown)
    assert s.changed_levers() == {"supervision": 0.5}


def test_language_switch_translates_the_page(rendered):
    s, rc = rendered
    button(rc, "Step").click()
    button(rc, "中文").click()
    shown = " ".join(texts(rc))
    from consultsim.running.scenarios import resolve_scenario
    # lever names in Chinese, and the scenario described by its own Chinese description
    assert "落实监督" in shown and resolve_scenario("baseline").description_zh[:12] in shown
    lv = live_widget(rc)
    assert lv.spec["panels"][0]["title"] == "参与" and lv.pipeline[0]["heading"] == "已提出"
    assert button(rc, "English")


def test_scenario_seed_and_size_controls_rebuild(rendered):
    s, rc = rendered
    rc.find(v.Select, label="Scenario").widget.v_model = "incentives"
    assert s.scenario_label == "incentives" and s.model.params.incentive_per_meeting > 0
    rc.find(v.Select, label="Community size").widget.v_model = "150 households, 3 buildings"
    assert s.model.res.n == 150
    seed = rc.find(v.TextField, label="Seed").widget
    seed.v_model = "77"
    seed.fire_event("keyup.enter", None)  # InputInt commits on Enter or when it loses focus
    assert s.seed == 77 and s.model.seed == 77


def test_lesson_button_opens_the_lesson_and_names_it(rendered):
    s, rc = rendered
    le = lesson("follow")
    button(rc, le.text("short") + " (policy)").click()
    assert s.seed == le.seed
    for k, val in {**le.base, **le.changes}.items():
        assert getattr(s.model.params, k) == val
    for k, val in le.base.items():
        assert getattr(s.reference.params, k) == val
    assert s.reference.params.supervision == 0.0  # the reference keeps lesson 2's settings
    assert [w for w in rc.find(v.Card).widgets if "lesson-card" in w.class_]
    shown = texts(rc)
    assert le.text("title") in shown and "baseline" not in " ".join(t for t in shown if "No policy" in t)
    assert not [t for t in shown if "No policy levers are applied" in t]
    colour = rc.find(v.Select, label="Colour households by").widget
    assert colour.v_model == "Trust in the committee"
    # Reset restarts the lesson: its changes again at week 0 against the dashed lesson-2 settings
    s.step(5)
    button(rc, "Reset").click()
    assert s.week == 0 and s.reference.params.supervision == 0.0 and s.model.params.supervision == 1.0
    assert [(c.week, c.name) for c in s.changes] == [(0, "supervision"), (0, "pm_performance_contract")]


def test_topics_between_meetings_show_as_deliberating():
    from consultsim import ConsultationModel
    from consultsim.app.pipeline import column_of
    from consultsim.core.topics import Stage

    seen = 0
    m = ConsultationModel(rng=3)
    for _ in range(104):
        m.step()
        for t in m.topics:
            if t.stage is Stage.NOTIFIED and t.meetings > 0:
                assert column_of(t) == "deliberating"
                seen += 1
            elif t.stage is Stage.NOTIFIED:
                assert column_of(t) == "agenda"
    assert seen > 0


# ---------------------------------------------------------------- lessons on other seeds (issue 20, part 1)
def test_a_new_seed_keeps_the_lessons_comparison():
    """Both runs on the new seed, the reference with the lesson's starting levers, the changes at week 0."""
    le = lesson("follow")
    s = Session(baseline_scenario(), seed=1, community=dict(SMALL))
    open_lesson(s, le)
    for rebuild in (lambda: s.set_seed(7), lambda: (s.step(3), s.reset()), lambda: s.set_community(**SMALL)):
        s.set_lever("feedback_transparency", 0.9)  # by hand: dropped when the lesson restarts
        rebuild()
        assert s.seed == 7 and s.model.seed == s.reference.seed == 7 and s.week == 0
        assert s.reference.params.supervision == 0.0 and s.reference.params.pm_performance_contract is False
        assert s.model.params.supervision == 1.0 and s.model.params.pm_performance_contract is True
        assert s.model.params.feedback_transparency == s.reference.params.feedback_transparency == 0.1
        assert [(c.week, c.name) for c in s.changes] == [(0, "supervision"), (0, "pm_performance_contract")]
        assert live.markers(s) == [{"week": 0, "label": "1–2", "names": ["supervision", "pm_performance_contract"]}]
    # closing the lesson: free play from the levers as they are; a new seed starts both runs from them
    s.leave_plan()
    s.set_seed(8)
    assert s.changes == [] and s.reference.params.supervision == s.model.params.supervision == 1.0


@pytest.mark.slow  # twenty runs of a lesson (about 6 s)
def test_run_this_lesson_on_10_seeds_draws_the_ten_gaps(rendered):
    import time

    from consultsim.app.lessons import on_seeds
    s, rc = rendered
    le = lesson("idea")
    button(rc, le.text("short") + " (idea)").click()
    seed = rc.find(v.TextField, label="Seed").widget
    seed.v_model = "7"
    seed.fire_event("keyup.enter", None)
    assert s.seed == 7 and s.reference.params.awareness_campaign == 0.0 and s.model.params.awareness_campaign == 1.0
    assert live_widget(rc).markers[0]["week"] == 0
    button(rc, "Reset").click()
    assert s.seed == 7 and [c.name for c in s.changes] == ["awareness_campaign"]
    button(rc, "Run this lesson on 10 seeds").click()
    t0 = time.monotonic()
    while not any(t.startswith("The claim holds on") for t in texts(rc)) and time.monotonic() < t0 + 60:
        time.sleep(0.1)
    values = on_seeds(le, range(8, 18))
    k = sum(le.holds(x) for x in values)
    assert f"The claim holds on {k} of 10 seeds (8-17)" in texts(rc)
    text = " ".join(w.unsafe_innerHTML for w in rc.find(solara.widgets.HTML).widgets if "cs-gaps" in w.unsafe_innerHTML)
    assert text.count("cs-gap-dot") == 10 and text.count("cs-gap-holds") == k


def test_gap_strip_marks_which_seeds_hold_the_claim():
    from consultsim.app.page import gap_strip, gap_text
    le = lesson("idea")  # holds above +0.05
    svg = gap_strip(le, [0.1, 0.02, float("nan"), 0.07], [1, 2, 3, 4], "en")
    assert svg.count("cs-gap-holds") == 2 and svg.count("cs-gap-fails") == 1 and "claim: above +0.05" in svg
    assert gap_text(lesson("practice"), 0.064, "zh") == "+6 个百分点" and gap_text(lesson("vicious"), 3.0, "en") == "3"


# ---------------------------------------------------------------- projector, big numbers, inspector (issue 20)
@pytest.mark.slow  # a lesson rendered twice (about 5 s); the browser test measures the projector page itself
def test_projector_button_folds_the_controls_and_shows_the_lessons_numbers(rendered):
    s, rc = rendered
    le = lesson("idea")
    button(rc, le.text("short") + " (idea)").click()
    assert [m["key"] for m in live_widget(rc).monitors] == ["civic", "participation", "implemented", "stalled",
                                                            "trust"]
    button(rc, "Projector").click()
    lv = live_widget(rc)
    assert lv.projector is True and lv.focus == "trust"  # civic awareness is drawn on the trust panel
    assert [m["key"] for m in lv.monitors] == ["civic", "participation"]
    assert not rc.find(v.Slider, class_="lever-supervision").widgets  # the control column is folded away
    assert le.text("title") in texts(rc)  # the lesson text beside the chart
    button(rc, "Step").click()
    assert s.week == 1 and live_widget(rc).week == 1
    button(rc, "Controls").click()
    assert live_widget(rc).projector is False and rc.find(v.Slider, class_="lever-supervision").widgets


def test_big_numbers_follow_what_the_lesson_asks_about():
    s = small_session(seed=4)
    open_lesson(s, lesson("practice"), seed=4)
    s.step(20)
    mons = {m["key"]: m for m in live.monitors(s, "en", live.monitor_keys(lesson("practice").monitors, True))}
    assert list(mons) == ["young", "participation"]
    assert mons["young"]["value"] == f"{s.age_history[-1][1]:.0%}"
    assert mons["young"]["ref"] == f"dashed run: {s.ref_age_history[-1][1]:.0%}"
    civic = live.monitors(s, "zh", ["civic"])[0]
    assert civic["label"] == "公民意识" and civic["value"] == f"{s.model.timeseries()['mean_civic'].iloc[-1]:.2f}"


def test_inspector_gives_one_fact_a_line():
    s = small_session(seed=6, community={"n_residents": 300, "n_buildings": 6})
    s.step(40)
    i = int(np.argmax(s.model.res.meetings_attended))
    h = live.household(s, i, "en")
    assert h["title"] == f"Household {i}"
    assert h["lines"][0].startswith("age group: ") and h["lines"][1].startswith("building ")
    assert sum(line.startswith("trust in the") for line in h["lines"]) == 2
    assert all("\n" not in line and len(line) < 120 for line in h["lines"])
    assert live.household(s, None, "zh")["lines"] == ["在网络图中点击一户。"]


def test_chinese_texts_use_chinese_punctuation_and_name_the_scenarios():
    """Issue 20, part 5: the app's, the events' and the topics' Chinese texts carry no ASCII punctuation
    (ranges with ～), and the scenario picker shows each file's own Chinese name."""
    import re

    from consultsim.i18n import _CATALOG, _load
    _load()
    bad = {}
    for key, text in _CATALOG["zh"].items():
        if key.startswith(("app.", "event.", "word.", "topic.")):
            plain = re.sub(r"\{[^}]*\}", "", text)
            found = re.findall(r"[,;:()!?]|(?<=\d)-(?=\d)|(?<=\d)\. ", plain) + re.findall(r"\}-\{", text)
            if found:
                bad[key] = (text, found)
    assert bad == {}, bad
    shown = {c.label: c.shown("zh") for c in scenario_choices()}
    assert shown["baseline"] == "现状基线" and all(re.search(r"[\u4e00-\u9fff]", v) for v in shown.values()), shown


def test_chinese_page_has_no_english_left(rendered):
    """Every text the page's Python side shows in 中文 after a run with events and a lever change: no Latin word
    (numbers, units and the product name aside)."""
    import re
    s, rc = rendered
    s.step(30)
    rc.find(v.Slider, class_="lever-supervision").widget.fire_event("change", 0.5)
    button(rc, "Step").click()
    button(rc, "中文").click()
    lv = live_widget(rc)
    shown = texts(rc) + [x for w in rc.find(v.Select).widgets for x in [w.label, *w.items]]
    spec = lv.spec
    shown += [v for k, v in spec.items() if isinstance(v, str)]
    shown += [p["title"] for p in spec["panels"]] + [x["label"] for p in spec["panels"] for x in p["series"]]
    shown += [m[k] for m in lv.monitors for k in ("label", "value", "ref")]
    shown += [c["heading"] for c in lv.pipeline] + [line for c in lv.pipeline for card in c["cards"] for line in card]
    shown += [e["text"] for e in lv.log] + [x[0] for x in lv.colours["legend"]]
    shown += [lv.colours["title"], lv.colours["institutions"], lv.household["title"], *lv.household["lines"]]
    assert len(lv.log) > 3 and any(c["cards"] for c in lv.pipeline)
    latin = {w for t in shown for w in re.findall(r"[A-Za-z][A-Za-z.]+", t)}
    latin -= {"ConsultSim", "SVG", "PNG", "CSV", "run.json", "px"}
    assert latin == set(), sorted(latin)
    ascii_punct = [t for t in shown if re.search(r"[,;:!?]\s|[,;:!?]$|[()]", t)]
    assert ascii_punct == [], ascii_punct[:10]
