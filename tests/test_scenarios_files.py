"""The scenario files in scenarios/: load, validate, change only their levers, and run."""

from __future__ import annotations

import re
import tomllib

import pytest

from consultsim.core.params import PARAM_INFO, levers
from consultsim.running.scenarios import SCENARIO_DIR, load_scenario

LEVER_FILES = {
    "policy": ["incentives", "pm_contract", "supervision", "cadence", "pm_inclusion", "subsidy"],
    "idea": ["awareness", "feedback"],
    "practice": ["training", "facilitation", "social_workers", "online"],
}
ALL = ["baseline", *sum(LEVER_FILES.values(), []), "policy", "idea", "practice", "combined"]
LEVERS = {name for names in levers().values() for name in names}


def _own_values(stem: str) -> dict:
    """What the file itself sets, on top of its base."""
    data = tomllib.loads((SCENARIO_DIR / f"{stem}.toml").read_text(encoding="utf-8"))
    return {k: v for sec in data.values() if isinstance(sec, dict) for k, v in sec.items()}


@pytest.mark.parametrize("stem", ALL)
def test_file_loads_with_name_and_description(stem):
    sc = load_scenario(SCENARIO_DIR / f"{stem}.toml")
    assert sc.name == stem
    assert len(sc.description.split()) >= 15  # a paragraph, not a label


@pytest.mark.parametrize("stem", [s for s in ALL if s != "baseline"])
def test_inherits_baseline_and_changes_only_levers(stem):
    data = tomllib.loads((SCENARIO_DIR / f"{stem}.toml").read_text(encoding="utf-8"))
    assert data["base"] == "baseline.toml"
    own = _own_values(stem)
    assert own and set(own) <= LEVERS
    sc, base = load_scenario(SCENARIO_DIR / f"{stem}.toml"), load_scenario(SCENARIO_DIR / "baseline.toml")
    changed = {k for k, v in sc.params.to_dict().items() if v != base.params.to_dict()[k]}
    assert changed and changed <= set(own)


@pytest.mark.parametrize("front, files", LEVER_FILES.items())
def test_lever_files_stay_on_their_front_and_every_value_has_its_reasoning(front, files):
    for stem in files:
        own = _own_values(stem)
        assert {PARAM_INFO[k].metadata["section"] for k in own} == {front}, stem
        lines = (SCENARIO_DIR / f"{stem}.toml").read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines):
            if re.match(r"^\w+\s*=", line) and line.split("=")[0].strip() in own:
                assert lines[i - 1].lstrip().startswith("#"), f"{stem}: no reasoning comment above {line}"


@pytest.mark.parametrize("front", ["policy", "idea", "practice"])
def test_front_package_is_exactly_its_levers(front):
    expected = {}
    for stem in LEVER_FILES[front]:
        expected.update(_own_values(stem))
    assert _own_values(front) == expected


def test_combined_is_exactly_the_three_packages():
    expected = {}
    for front in LEVER_FILES:
        expected.update(_own_values(front))
    assert _own_values("combined") == expected


@pytest.mark.parametrize("stem", ALL)
def test_every_scenario_runs_a_few_weeks(stem):
    from consultsim.core.metric_names import METRICS
    from consultsim.running.runner import simulate

    sc = load_scenario(SCENARIO_DIR / f"{stem}.toml").with_overrides(n_residents=200, n_buildings=4)
    res = simulate(sc, seed=1, steps=6)
    assert list(res.timeseries["step"]) == list(range(7))
    assert set(METRICS) <= set(res.timeseries.columns)
