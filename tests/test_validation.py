"""Pattern criteria (P1-P6) on constructed series; `consultsim validate` and its knock-outs on the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.validation import (
    CRITERIA,
    KNOCKOUTS,
    SHANGHAI_YOUNG_OLD_RATIO,
    Run,
    criteria_markdown,
    evaluate,
    failed_criteria,
    format_table,
    validate,
    validate_knockouts,
)
from consultsim.cli import main
from consultsim.core.metric_names import METRICS
from consultsim.core.params import Params
from consultsim.running.scenarios import resolve_scenario

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs"
BY_NAME = {c.name: c for c in CRITERIA}
PARAMS = {"elderly_share": 0.3, "young_share": 0.3}


def _run(ts=None, topics=None, twin_topics=None):
    twin = Run(None, twin_topics, PARAMS) if twin_topics is not None else None
    return Run(ts, topics, PARAMS, twin)


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
    assert c.fn(_run(ts)) == pytest.approx(0.1)
    assert c.passes(0.1) and not c.passes(1.0) and not c.passes(0.05)
    assert BY_NAME["elderly_overrepresentation"].fn(_run(ts)) == pytest.approx(2.0)


def test_participation_uses_the_highest_quarter_of_year_two():
    part = np.where(np.arange(105) == 30, 0.9, 0.1)  # a spike in year 1 only
    part[80] = 0.25                                    # one quarter of year 2 above the bound
    c = BY_NAME["participation_rate"]
    assert c.fn(_run(_series(participation_rate=part))) == pytest.approx(0.25)
    assert not c.passes(0.25) and c.passes(0.15)


def test_trust_change_and_stalled_share():
    trust = np.linspace(0.5, 0.45, 105)
    assert BY_NAME["trust_change"].fn(_run(_series(mean_trust_committee=trust))) == pytest.approx(-0.05)
    assert BY_NAME["trust_change"].passes(-0.05) and BY_NAME["trust_change"].passes(0.015)
    assert not BY_NAME["trust_change"].passes(0.05)
    ts = _series(resolutions=np.linspace(0, 20, 105), stalled=np.linspace(0, 5, 105))
    assert BY_NAME["stalled_share"].fn(_run(ts)) == pytest.approx(0.25)


def test_complex_topics_fail_more_often_measure():
    topics = pd.DataFrame({"type": ["elevator"] * 4 + ["pets"] * 4,
                           "outcome": ["deadlock", "no quorum", "rejected", "implemented",
                                       "implemented", "deadlock", "implementing", "stalled"]})
    gap = BY_NAME["complex_failure_gap"].fn(_run(topics=topics))
    assert gap == pytest.approx(0.75 - 0.25)
    # among majority-rule topics only (parking 0.5 vs pets 0.3), elevators are left out
    same_rule = pd.DataFrame({"type": ["parking"] * 2 + ["pets"] * 2,
                              "outcome": ["deadlock", "implemented", "no quorum", "no quorum"]})
    elevators = topics[topics["type"] == "elevator"]
    assert BY_NAME["complex_failure_gap_same_rule"].fn(_run(topics=pd.concat([elevators, same_rule]))) == \
        pytest.approx(0.5 - 1.0)


def test_table_marks_failures():
    per_run = pd.DataFrame({c.name: [np.nan] * 3 for c in CRITERIA})
    per_run["procedure_completion"] = [0.95, 0.97, 0.99]
    table = evaluate(per_run)
    assert table.set_index("name").loc["procedure_completion", "passed"]
    assert not table.set_index("name").loc["trust_change", "passed"]  # undefined never passes
    text = format_table(table)
    assert "FAIL" in text and "pass" in text and "P6" in text


def test_bands_are_two_sided_where_a_source_gives_one_and_every_band_has_a_source():
    for c in CRITERIA:
        assert len(c.source) > 20, c.name
    one_sided = {c.name for c in CRITERIA if c.scored and (np.isinf(c.lo) or np.isinf(c.hi))}
    # Direction-only patterns: "complex topics fail more" and "trust falls when failures become known".
    assert one_sided == {"complex_failure_gap", "complexity_effect", "trust_after_stalls"}
    stagnant, collapsed, risen = -0.01, -0.3, 0.05
    assert BY_NAME["trust_change"].passes(stagnant)
    assert not BY_NAME["trust_change"].passes(collapsed) and not BY_NAME["trust_change"].passes(risen)
    assert not BY_NAME["implementation_rate"].passes(0.0) and not BY_NAME["implementation_rate"].passes(0.9)
    assert not BY_NAME["participation_rate"].passes(0.0)


def test_agreed_share_and_controlled_complexity_effect():
    topics = pd.DataFrame({"type": ["parking", "parking", "pets", "pets", "elevator"],
                           "complexity": [0.5, 0.5, 0.3, 0.3, 0.8],
                           "outcome": ["deadlock", "implemented", "stalled", "no quorum", "proposed"]})
    assert BY_NAME["agreed_share"].fn(_run(topics=topics)) == pytest.approx(0.5)  # the proposed one is unsettled
    twin = topics.assign(outcome=["implemented", "implemented", "stalled", "no quorum", "proposed"])
    # complex topics (>= 0.5): half fail here, none in the twin without the complexity penalty
    assert BY_NAME["complexity_effect"].fn(_run(topics=topics, twin_topics=twin)) == pytest.approx(0.5)
    assert np.isnan(BY_NAME["complexity_effect"].fn(_run(topics=topics)))  # no twin, no measure


def test_trust_after_stalls_compares_weeks_with_a_stall_to_quiet_weeks():
    stalled = np.cumsum(np.isin(np.arange(105), [20, 60]))
    failed = np.cumsum(np.arange(105) == 40)       # a failed vote: neither a stall nor a quiet week
    trust = 0.5 + 0.0001 * np.arange(105)          # a slow upward drift in quiet weeks
    trust[20:] -= 0.01
    trust[60:] -= 0.01                              # a drop of 0.01 in each week a resolution stalls
    trust[40:] += 0.05                              # and a jump in the week of the failed vote (ignored)
    c = BY_NAME["trust_after_stalls"]
    assert c.fn(_run(_series(stalled=stalled, failed=failed, mean_trust_committee=trust))) == pytest.approx(-0.01)
    frozen = _series(stalled=stalled, mean_trust_committee=np.full(105, 0.5))
    assert c.fn(_run(frozen)) == 0.0 and not c.passes(0.0)
    assert np.isnan(c.fn(_run(_series(mean_trust_committee=trust))))  # no stall, no measure


def test_knockouts_are_parameter_overrides_with_a_description():
    assert {"nobody_attends", "everyone_attends", "trust_frozen", "nothing_implemented", "no_deliberation",
            "no_complexity", "equal_voice"} <= set(KNOCKOUTS)
    for k in KNOCKOUTS.values():
        Params().replace(**k.overrides)  # names and values exist and are allowed
        assert k.description and "\n" not in k.description


def test_docs_show_the_criteria_as_defined_in_the_code():
    text = (DOCS / "validation.md").read_text(encoding="utf-8")
    assert criteria_markdown() in text
    for name in KNOCKOUTS:
        assert f"`{name}`" in text


# ---- the real model ---------------------------------------------------------------------------

def test_baseline_passes_every_scored_criterion():
    # The documented check: the baseline's own size (2,000 households), 20 runs, the default seed. The
    # bands are calibrated at this size (at 1,000 households P6's upper bounds fail with the default
    # seed; docs/validation.md, "Size of the test").
    table, _ = validate("baseline", replicates=20, workers=1, progress=False)
    assert failed_criteria(table) == [], format_table(table)


def test_every_knockout_fails_a_criterion_the_baseline_passes():
    # Knock-outs switch a mechanism off, so their failures do not depend on the community's size:
    # 1,000 households and 10 runs, and each knock-out must fail a criterion that the baseline of the
    # same size passes. At this size, with master seeds 20261127 and 1-5, every knock-out did, with a
    # criterion it also fails at 2,000 households and 20 runs (docs/validation.md, "Size of the test").
    base = resolve_scenario("baseline").with_overrides(n_residents=1000)
    tables, _ = validate_knockouts(base, replicates=10, workers=1, progress=False)
    baseline_fails = set(failed_criteria(tables["baseline"]))
    for name in KNOCKOUTS:
        assert set(failed_criteria(tables[name])) - baseline_fails, f"knock-out {name} is not rejected"


def test_validate_knockout_exits_1_and_unknown_name_exits_2(capsys):
    code = main(["validate", "--knockout", "trust_frozen", "--households", "300", "--replicates", "3",
                 "--steps", "60", "--workers", "1", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1 and "trust_frozen" in out
    assert main(["validate", "--knockout", "trust_freeze"]) == 2
    assert "did you mean 'trust_frozen'" in capsys.readouterr().err


def test_validate_fails_when_everyone_attends(capsys):
    code = main(["validate", "--scenario", str(DATA / "everyone_attends.toml"), "--replicates", "3",
                 "--steps", "60", "--workers", "1", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1
    failed = [line for line in out.splitlines() if line.rstrip().endswith("FAIL")]
    assert any(line.startswith("P2") for line in failed) and any(line.startswith("P3") for line in failed)


def _table(failing=()):
    per_run = pd.DataFrame({c.name: [0.0, 0.0] for c in CRITERIA})
    table = evaluate(per_run)
    table["passed"] = ~table["name"].isin(failing)
    return table


@pytest.mark.parametrize("tables, code", [
    ({"baseline": (), "nobody_attends": ("participation_rate",), "trust_frozen": ("trust_after_stalls",)}, 0),
    ({"baseline": (), "nobody_attends": ("participation_rate",), "trust_frozen": ()}, 1),   # one accepted
    ({"baseline": ("agreed_share",), "nobody_attends": ("participation_rate",)}, 1),          # baseline fails
])
def test_knockouts_command_exits_0_only_when_validation_discriminates(monkeypatch, capsys, tables, code):
    import consultsim.analysis.validation as v

    class _Comp:
        master_seed = 1

    full = {n: _table(tables.get(n, ("participation_rate",))) for n in ["baseline", *KNOCKOUTS]}
    monkeypatch.setattr(v, "validate_knockouts", lambda *a, **k: (full, _Comp()))
    assert main(["validate", "--knockouts", "--markdown", "--quiet"]) == code
    out = capsys.readouterr().out
    accepted = any(not f for n, f in tables.items() if n != "baseline")
    assert ("ACCEPTED" in out) == accepted
    assert "| `nobody_attends` |" in out and "`participation_rate`" in out
    assert ("**none**" in out) == accepted
