"""Three classroom lessons as presets: a community, the levers to set, what to look at, and why.

Each lesson opens the baseline community ("Beijing X area today") with a fixed
seed, so a class sees the same run the instructor prepared, and lessons 2 and 3
differ only in the follow-through levers, so their charts can be compared
side by side. The explanations summarise ODD §1 and §3 and the
sources cited there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from consultsim.running.scenarios import SCENARIO_DIR

__all__ = ["Lesson", "LESSONS", "lesson", "baseline_scenario"]


@dataclass(frozen=True)
class Lesson:
    key: str
    title: str
    short: str                       # the button's label
    question: str
    explanation: str                 # Markdown, a few sentences
    try_next: str                    # what to change next, in class
    overrides: dict[str, Any] = field(default_factory=dict)
    colour: str = "attended"         # network colour mode to show
    seed: int = 2024
    weeks: int = 52                  # suggested length of the run


def baseline_scenario():
    """``scenarios/baseline.toml`` if present, else None (the built-in defaults, which are the baseline)."""
    path = SCENARIO_DIR / "baseline.toml"
    return path if path.is_file() else None


LESSONS: tuple[Lesson, ...] = (
    Lesson(
        key="who",
        title="1. Who shows up, and why",
        short="1. Who shows up, and why",
        question="Why are consultation meetings full of retirees?",
        explanation=(
            "Taking part costs time. Retirees have it; working-age residents mostly do not, and most were "
            "never personally asked, which is one of the main reasons people give for staying away "
            "(Brady, Verba & Schlozman 1995). Residents also come when their neighbours come "
            "(Granovetter 1978), so attendance clusters in a few buildings and networks. Watch the network "
            "(orange = attended in the last 12 weeks) and the *Who takes part, by age group* chart: the "
            "elderly line rises far above the young one, as in the Shanghai survey (13.8% turnout at "
            "18-29 vs 77.7% at 70-79)."
        ),
        try_next=("Switch on the **online channel** and add two **social workers** (practice), press Reset, "
                  "and run again: does the gap between the age lines close?"),
        overrides={},
        colour="attended",
    ),
    Lesson(
        key="vicious",
        title="2. The vicious circle of unimplemented agreements",
        short="2. The vicious circle",
        question="Why does an agreed elevator retrofit never get built, and what does that do to the next meeting?",
        explanation=(
            "Meetings reach agreements, but implementation depends on a property manager that bears part of "
            "the cost and has little reason to hurry, and on neighbours who must chip in (a third are free "
            "riders: Fischbacher, Gächter & Fehr 2001). With no oversight and outcomes rarely published, "
            "resolutions pass their deadline and stall. Residents who hear of it lower their trust in the "
            "committee and their sense that taking part matters, so fewer come next time (Ansell & Gash "
            "2008). Watch the *Stalled* column of the pipeline, the implementation chart, and the trust "
            "colours fading in the network."
        ),
        try_next="Note the implementation rate and trust at week 52, then open lesson 3: same community, same seed.",
        overrides={"supervision": 0.0, "pm_performance_contract": False, "pm_inclusion": False,
                   "feedback_transparency": 0.1},
        colour="trust",
    ),
    Lesson(
        key="follow",
        title="3. What follow-through changes",
        short="3. What follow-through changes",
        question="If agreements were carried out, would residents come back?",
        explanation=(
            "The same community and seed as lesson 2, with follow-through: an implementation oversight "
            "board (supervision), a property-management contract that ties the fee to carrying out "
            "resolutions, the property manager at the table, and outcomes published to all residents. "
            "More resolutions are implemented; those who hear of a success trust the committee more and "
            "feel taking part matters, which slowly brings more of them to the next meeting: the small "
            "wins of a virtuous cycle (Ansell & Gash 2008)."
        ),
        try_next=("Compare the implementation and trust charts with lesson 2. Then turn supervision back to 0 "
                  "mid-run and watch what happens to the next resolutions."),
        overrides={"supervision": 0.8, "pm_performance_contract": True, "pm_inclusion": True,
                   "feedback_transparency": 0.8},
        colour="trust",
    ),
)


def lesson(key: str) -> Lesson:
    for le in LESSONS:
        if le.key == key:
            return le
    raise KeyError(f"no lesson {key!r}; choose from {', '.join(le.key for le in LESSONS)}")
