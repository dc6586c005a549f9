"""Classroom lessons as presets: a community, the levers to set, what students should see, and a check.

Each lesson opens the baseline community ("Beijing X area today") with a fixed
seed and ``base`` levers. Lessons with ``changes`` then change those levers at
week 0 as an instructor would by hand, so the reference run (dashed lines) keeps
``base`` and the gap between the two lines is the change's effect.

``measure`` is the number the lesson's claim is about (a gap between the live
and the reference run, or between two lines of one run) on a session that has
run ``weeks`` weeks, and the claim (``promise``) is that it exceeds
``threshold``; tests/test_app.py checks it on the lesson's own seed and on most
of ten other seeds, so a lesson does not rest on one lucky run, and the page's
"Run this lesson on 10 seeds" (:func:`on_seeds`) shows the class the same. Texts (title, question, what you should see, things to notice,
things to try) are in :mod:`consultsim.i18n.app` in English and Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consultsim.i18n import tr
from consultsim.running.scenarios import SCENARIO_DIR

__all__ = ["Lesson", "LESSONS", "lesson", "open_lesson", "on_seeds", "baseline_scenario", "TEXT_FIELDS"]

TEXT_FIELDS = ("title", "short", "question", "see", "notice", "try")
NO_FOLLOW_THROUGH = {"supervision": 0.0, "pm_performance_contract": False, "pm_inclusion": False,
                     "feedback_transparency": 0.1}


def _mean_after(history, week: int, col: int) -> float:
    return float(np.nanmean(np.asarray(history, dtype=float)[week:, col]))


def _elderly_minus_young(s) -> float:
    """Over weeks 13 onward, the elderly's 12-week participation minus the young's (pattern P3)."""
    return _mean_after(s.age_history, 13, 3) - _mean_after(s.age_history, 13, 1)


def _stalled(s) -> float:
    """Agreed resolutions that passed their deadline and stalled."""
    return float(s.model.timeseries()["stalled"].iloc[-1])


def _follow_through_gap(s) -> float:
    """The share of agreed resolutions implemented at the end, minus the reference's: the oversight board
    and the contract act on the property manager's works (ODD §7.6), so the lines coincide in a run
    where none were agreed (issue 16: the board no longer oversees the committee's own works)."""
    a, b = s.model.timeseries(), s.reference.timeseries()
    return float(a["implementation_rate"].iloc[-1] - b["implementation_rate"].iloc[-1])


def _civic_gap(s) -> float:
    """Civic awareness at the end, minus the reference's."""
    return float(s.model.timeseries()["mean_civic"].iloc[-1] - s.reference.timeseries()["mean_civic"].iloc[-1])


def _young_gap(s) -> float:
    """From week 13 on, the young's 12-week participation minus the reference's (on average)."""
    return _mean_after(s.age_history, 13, 1) - _mean_after(s.ref_age_history, 13, 1)


@dataclass(frozen=True)
class Lesson:
    key: str
    front: str                        # "policy", "idea" or "practice"
    base: dict[str, Any] = field(default_factory=dict)     # levers of both runs
    changes: dict[str, Any] = field(default_factory=dict)  # levers changed at week 0 (live run only)
    measure: Callable[[Any], float] | None = None  # the number the lesson's claim is about (text: app.gap.<key>)
    threshold: float = 0.0            # the claim holds when measure > threshold
    unit: str = "points"              # how the measure reads: "points" (a share, in percentage points), "count", "level"
    colour: str = "attended"          # network colour mode to show
    community: tuple[int, int] = (300, 6)  # households, buildings
    seed: int = 42                    # lessons 2 and 3 share the community, so they can be compared
    weeks: int = 52                   # how long to run (the promise is checked then)
    monitors: tuple[str, ...] = ()    # big numbers the lesson asks about, first (keys of live.MONITORS)

    def text(self, part: str, lang: str = "en") -> str:
        return tr(f"app.lesson.{self.key}.{part}", lang)

    @property
    def title(self) -> str:
        return self.text("title")

    def holds(self, value: float) -> bool:
        """The claim holds for a measured ``value`` (a missing value, NaN, does not hold)."""
        return bool(value > self.threshold)

    def promise(self, session) -> bool:
        """What the lesson says students will see, checked on a session that has run ``weeks`` weeks."""
        return self.holds(self.measure(session))


def baseline_scenario():
    """``scenarios/baseline.toml`` if present, else None (the built-in defaults, which are the baseline)."""
    path = SCENARIO_DIR / "baseline.toml"
    return path if path.is_file() else None


LESSONS: tuple[Lesson, ...] = (
    Lesson("who", "practice", measure=_elderly_minus_young, colour="age", monitors=("elderly", "young")),
    # lessons 2 and 3: the model's 2,000 households over two years, so that enough resolutions are agreed
    # for implementation to be a share rather than the luck of three or four works (ODD §7.6)
    Lesson("vicious", "policy", base=NO_FOLLOW_THROUGH, measure=_stalled, unit="count", colour="trust", weeks=104,
           community=(2000, 20), monitors=("stalled", "implemented", "trust")),
    Lesson("follow", "policy", base=NO_FOLLOW_THROUGH,
           changes={"supervision": 1.0, "pm_performance_contract": True}, measure=_follow_through_gap,
           threshold=-1e-9,  # "ends at or above the reference": equal where no PM works were agreed
           colour="trust", weeks=104, community=(2000, 20), monitors=("implemented", "stalled", "trust")),
    Lesson("idea", "idea", changes={"awareness_campaign": 1.0}, measure=_civic_gap, threshold=0.05, unit="level",
           colour="attended", monitors=("civic", "participation")),
    Lesson("practice", "practice", changes={"social_workers": 2, "online_channel": True}, measure=_young_gap,
           # 3 points since issue 16: the online channel mostly adds the already engaged and half the social
           # workers' outreach hours knock on doors for votes (0.03-0.10 on the lesson's seed and ten others)
           threshold=0.03, colour="age", monitors=("young", "participation")),
)


def open_lesson(session, le: Lesson, seed: int | None = None) -> None:
    """Open ``le`` in ``session`` on its seed (or ``seed``): its community and base levers for both runs, then
    its changes at week 0 of the live run, as if made by hand (the session keeps them as its plan, so a new
    seed or Reset keeps the comparison)."""
    session.apply(baseline_scenario(), le.base, seed=le.seed if seed is None else seed,
                  community={"n_residents": le.community[0], "n_buildings": le.community[1]}, plan=le.changes)


def on_seeds(le: Lesson, seeds, session_class=None) -> list[float]:
    """The lesson's measure after ``le.weeks`` weeks on each of ``seeds`` (what "Run this lesson on 10 seeds"
    draws): how often the claim holds, beyond the one run on the screen."""
    if session_class is None:
        from consultsim.app.session import Session as session_class
    out = []
    for seed in seeds:
        s = session_class(baseline_scenario(), seed=int(seed),
                          community={"n_residents": le.community[0], "n_buildings": le.community[1]})
        open_lesson(s, le, seed=int(seed))
        s.step(le.weeks)
        out.append(float(le.measure(s)))
    return out


def lesson(key: str) -> Lesson:
    for le in LESSONS:
        if le.key == key:
            return le
    raise KeyError(f"no lesson {key!r}; choose from {', '.join(le.key for le in LESSONS)}")
