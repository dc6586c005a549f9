"""Classroom lessons as presets: a community, the levers to set, what students should see, and a check.

Each lesson opens the baseline community ("Beijing X area today") with a fixed
seed and ``base`` levers. Lessons with ``changes`` then change those levers at
week 0 as an instructor would by hand, so the reference run (dashed lines) keeps
``base`` and the gap between the two lines is the change's effect.

``promise`` is what the lesson says students will see, as a function of a
session that has run ``weeks`` weeks; tests/test_app.py checks it on the
lesson's own seed and on most of ten other seeds, so a lesson does not rest on
one lucky run. Texts (title, question, what you should see, things to notice,
things to try) are in :mod:`consultsim.i18n.app` in English and Chinese.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from consultsim.i18n import tr
from consultsim.running.scenarios import SCENARIO_DIR

__all__ = ["Lesson", "LESSONS", "lesson", "open_lesson", "baseline_scenario", "TEXT_FIELDS"]

TEXT_FIELDS = ("title", "short", "question", "see", "notice", "try")
NO_FOLLOW_THROUGH = {"supervision": 0.0, "pm_performance_contract": False, "pm_inclusion": False,
                     "feedback_transparency": 0.1}


def _mean_after(history, week: int, col: int) -> float:
    return float(np.nanmean(np.asarray(history, dtype=float)[week:, col]))


def _elderly_above_young(s) -> bool:
    """Over weeks 13 onward, the elderly's 12-week participation is above the young's (pattern P3)."""
    return _mean_after(s.age_history, 13, 3) > _mean_after(s.age_history, 13, 1)


def _agreements_stall(s) -> bool:
    """At least one agreed resolution passes its deadline and stalls."""
    return s.model.timeseries()["stalled"].iloc[-1] >= 1


def _follow_through_gap(s) -> bool:
    """The share of agreed resolutions implemented ends at or above the reference's: the oversight board
    and the contract act on the property manager's works (ODD §7.6), so the lines coincide in a run
    where none were agreed (issue 16: the board no longer oversees the committee's own works)."""
    a, b = s.model.timeseries(), s.reference.timeseries()
    return a["implementation_rate"].iloc[-1] >= b["implementation_rate"].iloc[-1]


def _civic_gap(s) -> bool:
    """Civic awareness ends clearly (0.05) above the reference's."""
    return s.model.timeseries()["mean_civic"].iloc[-1] > s.reference.timeseries()["mean_civic"].iloc[-1] + 0.05


def _young_gap(s) -> bool:
    """From week 13 on, more of the young take part than in the reference (by 5 points on average)."""
    return _mean_after(s.age_history, 13, 1) > _mean_after(s.ref_age_history, 13, 1) + 0.05


@dataclass(frozen=True)
class Lesson:
    key: str
    front: str                        # "policy", "idea" or "practice"
    base: dict[str, Any] = field(default_factory=dict)     # levers of both runs
    changes: dict[str, Any] = field(default_factory=dict)  # levers changed at week 0 (live run only)
    promise: Callable[[Any], bool] | None = None
    colour: str = "attended"          # network colour mode to show
    community: tuple[int, int] = (300, 6)  # households, buildings
    seed: int = 42                    # lessons 2 and 3 share the community, so they can be compared
    weeks: int = 52                   # how long to run (the promise is checked then)

    def text(self, part: str, lang: str = "en") -> str:
        return tr(f"app.lesson.{self.key}.{part}", lang)

    @property
    def title(self) -> str:
        return self.text("title")


def baseline_scenario():
    """``scenarios/baseline.toml`` if present, else None (the built-in defaults, which are the baseline)."""
    path = SCENARIO_DIR / "baseline.toml"
    return path if path.is_file() else None


LESSONS: tuple[Lesson, ...] = (
    Lesson("who", "practice", promise=_elderly_above_young, colour="age"),
    # lessons 2 and 3: the model's 2,000 households over two years, so that enough resolutions are agreed
    # for implementation to be a share rather than the luck of three or four works (ODD §7.6)
    Lesson("vicious", "policy", base=NO_FOLLOW_THROUGH, promise=_agreements_stall, colour="trust", weeks=104,
           community=(2000, 20)),
    Lesson("follow", "policy", base=NO_FOLLOW_THROUGH,
           changes={"supervision": 1.0, "pm_performance_contract": True}, promise=_follow_through_gap,
           colour="trust", weeks=104, community=(2000, 20)),
    Lesson("idea", "idea", changes={"awareness_campaign": 1.0}, promise=_civic_gap, colour="attended"),
    Lesson("practice", "practice", changes={"social_workers": 2, "online_channel": True}, promise=_young_gap,
           colour="age"),
)


def open_lesson(session, le: Lesson) -> None:
    """Open ``le`` in ``session``: its community, seed and base levers, then its changes as if made by hand."""
    session.apply(baseline_scenario(), le.base, seed=le.seed,
                  community={"n_residents": le.community[0], "n_buildings": le.community[1]})
    for name, value in le.changes.items():
        session.set_lever(name, value)


def lesson(key: str) -> Lesson:
    for le in LESSONS:
        if le.key == key:
            return le
    raise KeyError(f"no lesson {key!r}; choose from {', '.join(le.key for le in LESSONS)}")
