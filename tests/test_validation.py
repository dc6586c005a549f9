"""Pattern criteria (P1-P6) on constructed series, and `consultsim validate` on the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.validation import CRITERIA, SHANGHAI_YOUNG_OLD_RATIO, evaluate, format_table
from consultsim.cli import main
from consultsim.core.metric_names import METRICS

DATA = Path(__file__).parent / "data"
BY_NAME = {c.name: c for c in CRITERIA}
PARAMS = {"elderly_share": 0.3, "young_share": 0.3}


def _series(steps=104, **cols):
    ts = pd.DataFrame({"step": np.arange(steps + 1)})
    for m in METRICS:
        ts[m] = cols.get(m, 0.0)
    return ts


def test_every_pattern_has_a_criterion():
    assert {c.pattern for c in CRITERIA} == {"P1", "P2", "P3", "P4", "P5", "P6"}
    assert SHANGHAI_YOUNG_OLD_RATIO == pytest.approx(0.178, abs=0.001)


def test_young_old_ratio_is_per_capita():
    # 6% young and 60% elderly among participants, 30% each among residents:
    # per capita, the young attend (0.06/0.3) / (0.6/0.3) = 0.1 as often as the elderly.
    ts = _series(young_share_attendees=0.06, elderly_share_attendees=0.6)
    c = BY_NAME["young_old_ratio"]
    assert c.fn(ts, None, PARAMS) == pytest.approx(0.1)
    assert c.passes(0.1) and not c.passes(1.0) and not c.passes(0.05)
    assert BY_NAME["elderly_overrepresentation"].fn(ts, None, PARAMS) == pytest.approx(2.0)


def test_participation_uses_the_highest_quarter_of_year_two():
    part = np.where(np.arange(105) == 30, 0.9, 0.1)  # a spike in year 1 only
    part[80] = 0.25                                    # one quarter of year 2 above the bound
    c = BY_NAME["participation_rate"]
    assert c.fn(_series(participation_rate=part), None, PARAMS) == pytest.approx(0.25)
    assert not c.passes(0.25) and c.passes(0.15)


def test_trust_change_and_stalled_share():
    trust = np.linspace(0.5, 0.45, 105)
    assert BY_NAME["trust_change"].fn(_series(mean_trust_committee=trust), None, PARAMS) == pytest.approx(-0.05)
    assert BY_NAME["trust_change"].passes(-0.05) and BY_NAME["trust_change"].passes(0.015)
    assert not BY_NAME["trust_change"].passes(0.05)
    ts = _series(resolutions=np.linspace(0, 20, 105), stalled=np.linspace(0, 5, 105))
    assert BY_NAME["stalled_share"].fn(ts, None, PARAMS) == pytest.approx(0.25)


def test_complex_topics_fail_more_often_measure():
    topics = pd.DataFrame({"type": ["elevator"] * 4 + ["pets"] * 4,
                           "outcome": ["deadlock", "no quorum", "rejected", "implemented",
                                       "implemented", "deadlock", "implementing", "stalled"]})
    gap = BY_NAME["complex_failure_gap"].fn(None, topics, PARAMS)
    assert gap == pytest.approx(0.75 - 0.25)
    # among majority-rule topics only (parking 0.5 vs pets 0.3), elevators are left out
    same_rule = pd.DataFrame({"type": ["parking"] * 2 + ["pets"] * 2,
                              "outcome": ["deadlock", "implemented", "no quorum", "no quorum"]})
    elevators = topics[topics["type"] == "elevator"]
    assert BY_NAME["complex_failure_gap_same_rule"].fn(None, pd.concat([elevators, same_rule]), PARAMS) == \
        pytest.approx(0.5 - 1.0)


def test_table_marks_failures():
    per_run = pd.DataFrame({c.name: [np.nan] * 3 for c in CRITERIA})
    per_run["procedure_completion"] = [0.95, 0.97, 0.99]
    table = evaluate(per_run)
    assert table.set_index("name").loc["procedure_completion", "passed"]
    assert not table.set_index("name").loc["trust_change", "passed"]  # undefined never passes
    text = format_table(table)
    assert "FAIL" in text and "pass" in text and "P6" in text


# ---- the real model ---------------------------------------------------------------------------

def test_validate_passes_on_the_baseline(capsys):
    code = main(["validate", "--workers", "1", "--quiet"])  # the defaults: 20 runs x 104 weeks
    out = capsys.readouterr().out
    assert code == 0, out
    assert "FAIL" not in out
    assert sum(line.rstrip().endswith("pass") for line in out.splitlines()) == sum(c.scored for c in CRITERIA)


def test_validate_fails_when_everyone_attends(capsys):
    code = main(["validate", "--scenario", str(DATA / "everyone_attends.toml"), "--replicates", "3",
                 "--steps", "60", "--workers", "1", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    failed = [line for line in out.splitlines() if line.rstrip().endswith("FAIL")]
    assert any(line.startswith("P2") for line in failed) and any(line.startswith("P3") for line in failed)
