"""The model on the screen and everything the app's controls do to it (no Solara here).

A :class:`Session` holds one :class:`~consultsim.core.model.ConsultationModel` and
the settings it was built from (scenario, community size, seed, changed
parameters). Steps, resets and lever changes go through it under one lock, so
that the play loop (a thread) and button clicks never interleave inside a step.

Levers change the running model at once (the model reads ``model.params``
every week), so a class can watch what a change does mid-run; community size,
scenario and seed rebuild the model, since they define a different community.
Reset rebuilds it from the same settings and seed, which reproduces the same
community and the same week-0 state.

Beside the live model runs a *reference* model: the same scenario, community and
seed with the settings as they were at the last reset (or lesson). Lever changes
reach only the live model and are recorded as :class:`LeverChange` markers, so a
change shows as a gap between the live line and the reference line drawn under it.

A lesson is a *plan*: both runs start from the lesson's levers and the plan's
changes reach the live run at week 0. While a plan is set, every rebuild (Reset,
a new seed, a new community size) starts both runs again from the lesson's levers
and makes the plan's changes again, so the comparison survives a new seed; changes
made by hand are then dropped. Without a plan (free play), a rebuild starts both
runs from the levers as they are, so a change made by hand becomes the new normal.

Everything needed to replay the live run is kept: the parameters both runs were
built from (:attr:`Session.start_params`), the seed and the change log
(:attr:`Session.changes`); :func:`replay` runs it again (``consultsim run --replay``).
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from consultsim.core.params import LEVER_SECTIONS, PARAM_INFO, ParamError, levers
from consultsim.running.runner import release_model
from consultsim.running.scenarios import SCENARIO_DIR, Scenario, ScenarioError, resolve_scenario

__all__ = ["Session", "ScenarioChoice", "LeverChange", "scenario_choices", "APP_COMMUNITY", "RECENT_WEEKS", "AGE_LABELS",
           "lever_names", "SCENARIO_ENV"]

#: A smaller community than the model's default (2,000 households), so the network stays readable
#: on a projector and a week takes a fraction of a second.
APP_COMMUNITY = {"n_residents": 300, "n_buildings": 6}
#: "Took part recently" uses the same window as the participation_rate metric (ODD §7.9).
RECENT_WEEKS = 12
AGE_LABELS = ("young (18-39)", "middle (40-59)", "elderly (60+)")
SCENARIO_ENV = "CONSULTSIM_APP_SCENARIO"  # set by ``consultsim app --scenario``
BUILTIN = "baseline (built-in defaults)"

# Levers that the model reads once, when it builds its agents, take effect on Reset. None do now:
# the model reads every lever from model.params each week (social workers are contracted weekly).
_AT_BUILD: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LeverChange:
    """A lever changed by hand at ``week`` (live model only; the reference run keeps ``reference``)."""
    week: int
    name: str
    old: Any
    new: Any
    reference: Any


@dataclass(frozen=True)
class ScenarioChoice:
    label: str          # what the picker shows in English (the file's name)
    path: Path | None   # None: the built-in defaults
    name_zh: str = ""   # the file's own Chinese name (name_zh), shown in 中文

    def shown(self, lang: str = "en") -> str:
        if self.path is None:
            from consultsim.i18n import tr
            return tr("app.builtin", lang)
        return self.name_zh if lang == "zh" and self.name_zh else self.label


def _name_zh(path: Path) -> str:
    """A scenario file's ``name_zh`` (read through the scenarios' one reader; empty if it has none)."""
    from consultsim.running.scenarios import read_toml
    try:
        return str(read_toml(path, ScenarioError, "scenario").get("name_zh", ""))
    except ScenarioError:
        return ""


def scenario_choices(directory: Path = SCENARIO_DIR) -> list[ScenarioChoice]:
    """Every scenario file in ``scenarios/`` (baseline first), or the built-in defaults if there is none."""
    files = sorted(Path(directory).glob("*.toml"), key=lambda p: (p.stem != "baseline", p.stem))
    choices = [ScenarioChoice(p.stem, p, _name_zh(p)) for p in files]
    if not any(c.label == "baseline" for c in choices):
        choices.insert(0, ScenarioChoice(BUILTIN, None))
    return choices


def lever_names() -> list[str]:
    return [n for s in LEVER_SECTIONS for n in levers()[s]]


def age_participation(model) -> tuple[int, float, float, float]:
    """(week, share of each age group that attended a meeting in the last RECENT_WEEKS weeks)."""
    res = model.res
    week = int(getattr(model, "steps", 0))
    last = np.asarray(res.last_attended)
    recent = (last >= 0) & (last > week - RECENT_WEEKS)
    age = np.asarray(res.age_group)
    shares = [float(recent[age == g].mean()) if np.any(age == g) else float("nan") for g in range(3)]
    return (week, *shares)


class Session:
    """One live model plus the settings it was built from. All mutators are thread-safe."""

    def __init__(self, scenario: Any = None, *, seed: int = 1, community: dict | None = None,
                 overrides: dict | None = None, model_class: type | None = None):
        self.lock = threading.RLock()
        self._model_class = model_class
        self.scenario: Scenario = resolve_scenario(scenario)
        self.community: dict[str, int] = dict(APP_COMMUNITY if community is None else community)
        self.overrides: dict[str, Any] = dict(overrides or {})
        self.seed = int(seed)
        self.pending: dict[str, Any] = {}  # lever changes that apply at the next reset
        self.model = None
        self.reference = None
        self.age_history: list[tuple[int, float, float, float]] = []
        self.ref_age_history: list[tuple[int, float, float, float]] = []
        self.changes: list[LeverChange] = []
        self.plan: dict[str, Any] | None = None  # a lesson's week-0 changes of the live run; None: free play
        self.start_params: dict[str, Any] = {}  # the parameters both runs were built from (for the export)
        self.epoch = 0  # moves whenever a new community/run starts (the browser then drops what it drew)
        self.build()

    @classmethod
    def from_env(cls) -> Session:
        """The session a fresh page opens: ``$CONSULTSIM_APP_SCENARIO`` or the baseline."""
        name = os.environ.get(SCENARIO_ENV) or None
        if name is None and (SCENARIO_DIR / "baseline.toml").is_file():
            name = str(SCENARIO_DIR / "baseline.toml")
        return cls(name)

    # ---- building -------------------------------------------------------------------------------
    def _cls(self):
        if self._model_class is None:
            from consultsim.core.model import ConsultationModel
            self._model_class = ConsultationModel
        return self._model_class

    def params_kwargs(self) -> dict[str, Any]:
        return {**self.community, **self.overrides}

    def build(self) -> None:
        """(Re)build the model from the current settings and seed."""
        with self.lock:
            kw = self.params_kwargs()
            try:
                self.scenario.params.replace(**kw)
            except (ParamError, TypeError) as e:
                raise ScenarioError(f"app settings: {e}") from None
            # a classroom resets dozens of times in a lesson: let the models it leaves be freed (Mesa 3.3 keeps
            # every model alive otherwise; runner.release_model)
            for old in (self.model, self.reference):
                if old is not None:
                    release_model(old)
            if {**self.scenario.params.to_dict(), **kw}.get("network_file"):
                # the model reads no files: the network file is read (and checked) in running/
                from consultsim.running.network_files import apply_network
                sc, net = apply_network(self.scenario.with_overrides(**kw))
                self.model = self._cls()(sc, rng=self.seed, network=net.edges)
                self.reference = self._cls()(sc, rng=self.seed, network=net.edges)
            else:
                self.model = self._cls()(self.scenario, rng=self.seed, **kw)
                self.reference = self._cls()(self.scenario, rng=self.seed, **kw)
            self.pending = {}
            self.changes = []
            self.start_params = self.reference.params.to_dict()
            self.age_history = [age_participation(self.model)]
            self.ref_age_history = [age_participation(self.reference)]
            self.epoch += 1
            for name, value in (self.plan or {}).items():  # a lesson's changes, at week 0 of the live run
                self._change(name, value)

    reset = build

    # ---- running --------------------------------------------------------------------------------
    @property
    def week(self) -> int:
        return int(getattr(self.model, "steps", 0))

    def step(self, n: int = 1) -> None:
        """``n`` weeks of the live model and of the reference beside it."""
        with self.lock:
            for _ in range(int(n)):
                self.model.step()
                self.age_history.append(age_participation(self.model))
                self.reference.step()
                self.ref_age_history.append(age_participation(self.reference))

    # ---- settings -------------------------------------------------------------------------------
    def value(self, name: str) -> Any:
        """A parameter's value as the controls show it (a pending lever change shows its new value)."""
        if name in self.pending:
            return self.pending[name]
        return getattr(self.model.params, name)

    def set_lever(self, name: str, value: Any) -> bool:
        """Change a parameter; return True if the running model uses it now, False if at the next reset."""
        if name not in PARAM_INFO:
            raise ParamError(f"unknown parameter {name!r}")
        with self.lock:
            if name in _AT_BUILD or PARAM_INFO[name].metadata["section"] not in LEVER_SECTIONS:
                value = getattr(self.model.params.replace(**{name: value}), name)  # validates
                self.overrides[name] = value
                self.pending[name] = value
                return False
            value = self._change(name, value)
            if self.plan is None:  # free play: a rebuild keeps the change (in a lesson it restarts the lesson)
                self.overrides[name] = value
            return True

    def _change(self, name: str, value: Any) -> Any:
        """Set a lever of the live model now and log it; return the value as the parameter holds it."""
        new = self.model.params.replace(**{name: value})  # validates
        value, old = getattr(new, name), getattr(self.model.params, name)
        self.model.params = new
        if value != old:
            self.changes.append(LeverChange(self.week, name, old, value, getattr(self.reference.params, name)))
        return value

    def set_scenario(self, choice: ScenarioChoice | str | Path | None) -> None:
        """Open another scenario: its parameters replace every change made so far."""
        with self.lock:
            path = choice.path if isinstance(choice, ScenarioChoice) else choice
            self.scenario = resolve_scenario(path)
            self.overrides = {}
            self.plan = None
            self.build()

    def set_seed(self, seed: int) -> None:
        with self.lock:
            self.seed = int(seed)
            self.build()

    def set_community(self, **sizes: int) -> None:
        """Change n_residents / n_buildings (a new community, so the model is rebuilt)."""
        with self.lock:
            self.community.update({k: int(v) for k, v in sizes.items()})
            self.build()

    def apply(self, scenario: Any, overrides: dict[str, Any], seed: int | None = None,
              community: dict[str, int] | None = None, plan: dict[str, Any] | None = None) -> None:
        """Open ``scenario`` with ``overrides`` for both runs and ``plan``'s changes at week 0 of the live run
        (a lesson; ``plan=None``: free play), optionally with a new seed and community."""
        with self.lock:
            self.scenario = resolve_scenario(scenario)
            self.overrides = dict(overrides)
            self.plan = None if plan is None else dict(plan)
            if seed is not None:
                self.seed = int(seed)
            if community is not None:
                self.community = {k: int(v) for k, v in community.items()}
            self.build()

    def leave_plan(self) -> None:
        """Back to free play (a lesson closed): the live run's levers become the settings a rebuild starts from."""
        with self.lock:
            if self.plan is None:
                return
            names = set(self.plan) | {c.name for c in self.changes}
            self.overrides.update({n: getattr(self.model.params, n) for n in names})
            self.plan = None

    def changed_levers(self) -> dict[str, Any]:
        """Levers whose value differs from the scenario's (set by hand or by a lesson)."""
        with self.lock:
            return {n: getattr(self.model.params, n) for n in lever_names()
                    if getattr(self.model.params, n) != getattr(self.scenario.params, n)}

    # ---- what the page shows and exports ---------------------------------------------------------
    def household(self, i: int) -> dict[str, Any]:
        """One household as the inspector shows it: who it is and which topics it attended."""
        with self.lock:
            m = self.model
            res = m.res
            i = int(i)
            topic = getattr(m, "current_topic", None)
            stake = float("nan")
            if topic is not None:
                pos = np.flatnonzero(np.asarray(topic.scope) == i)
                if len(pos):
                    stake = float(topic.stake[pos[0]])
            attended = []
            for t in m.topics:
                pos = np.flatnonzero(np.asarray(t.scope) == i)
                if len(pos) and bool(t.attended[pos[0]]):
                    attended.append((int(t.id), t.type.name, t.building))
            return {"id": i, "age_group": int(res.age_group[i]), "building": int(res.building[i]),
                    "floor": int(res.floor[i]), "leader": bool(res.leader[i]), "stake": stake,
                    "topic": (int(topic.id), topic.type.name) if topic is not None else None,
                    "trust_committee": float(res.trust_committee[i]),
                    "trust_property": float(res.trust_property[i]), "efficacy": float(res.efficacy[i]),
                    "capacity": float(res.capacity[i]), "meetings": int(res.meetings_attended[i]),
                    "last_attended": int(res.last_attended[i]), "attended": attended}

    def replay_record(self) -> dict[str, Any]:
        """What ``consultsim run --replay`` needs to make the live run again (``run.json``'s ``"app"``)."""
        from consultsim.app.replay import FORMAT
        with self.lock:
            return {"format": FORMAT, "scenario": self.scenario_label,
                    "scenario_file": str(self.scenario.path) if self.scenario.path else None,
                    "seed": self.seed, "community": dict(self.community), "weeks": self.week,
                    "start_params": dict(self.start_params),
                    "lesson_plan": None if self.plan is None else dict(self.plan),
                    "lever_changes": [{"week": c.week, "lever": c.name, "from": c.old, "to": c.new}
                                      for c in self.changes],
                    "reference": {"params": self.reference.params.to_dict(), "files": "reference/"}}

    def run_result(self):
        """The live run as :class:`~consultsim.running.runner.RunResult` (what ``consultsim run`` writes), with
        the replay record."""
        from consultsim.running.runner import RunResult
        with self.lock:
            m = self.model
            return RunResult(m.timeseries(), m.topic_records(), m.params.to_dict(), self.seed,
                             self.scenario.name, extra={"app": self.replay_record()})

    def reference_result(self):
        """The reference run beside it (the same community without the changes)."""
        from consultsim.running.runner import RunResult
        with self.lock:
            r = self.reference
            return RunResult(r.timeseries(), r.topic_records(), r.params.to_dict(), self.seed, self.scenario.name)

    def export_zip(self) -> bytes:
        """The live run's ``timeseries.csv``, ``topics.csv`` and ``run.json`` (with the replay record) and the
        reference run's in ``reference/``, zipped, written by the runner's writer."""
        import io
        import tempfile
        import zipfile

        from consultsim.running.runner import write_run_files
        with self.lock:
            runs = {"": self.run_result(), "reference/": self.reference_result()}
        with tempfile.TemporaryDirectory(prefix="consultsim-app-") as tmp:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                for prefix, result in runs.items():
                    out = write_run_files(result, Path(tmp) / (prefix or "run"), command=["consultsim", "app"])
                    for f in sorted(out.iterdir()):
                        z.write(f, prefix + f.name)
        return buf.getvalue()

    def replicates(self, metric: str, weeks: int, runs: int = 10) -> np.ndarray:
        """``metric`` over ``weeks`` weeks in ``runs`` runs of the current settings with seeds seed+1…seed+runs.

        The levers are the live model's (changes made by hand included), from week 0.
        """
        from consultsim.running.runner import simulate
        with self.lock:
            scenario, kw, seed = self.scenario, {**self.params_kwargs(), **self.pending}, self.seed
            kw.update({n: getattr(self.model.params, n) for n in lever_names()})
        out = np.empty((runs, int(weeks) + 1))
        for r in range(runs):
            ts = simulate(scenario, seed=seed + 1 + r, steps=int(weeks), overrides=kw)
            out[r] = ts.timeseries[metric].to_numpy(dtype=float)
        return out

    @property
    def scenario_label(self) -> str:
        if self.scenario.path is None:
            return BUILTIN
        return Path(self.scenario.path).stem
