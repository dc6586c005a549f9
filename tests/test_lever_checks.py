"""Mistakes in scenario files: named warnings for inert or suspicious lever values, and the
`consultsim scenarios` listing with "did you mean"."""

from __future__ import annotations

import warnings

import pytest

from consultsim.cli import main
from consultsim.running import lever_checks as lc
from consultsim.running.scenarios import SCENARIO_DIR, Scenario, load_scenario

BASE = load_scenario(SCENARIO_DIR / "baseline.toml")


def _kinds(steps=None, **values):
    return [type(w) for w in lc.lever_warnings(BASE.with_overrides(**values), steps)]


@pytest.mark.parametrize("values, kind, named", [
    ({"incentive_per_meeting": 10, "incentive_budget": 1.5}, lc.BudgetLooksLikeWan, "incentive_budget = 1.5"),
    ({"incentive_per_meeting": 10, "incentive_budget": 5}, lc.BudgetBelowOnePayment, "incentive_budget = 5"),
    ({"incentive_per_meeting": 0, "incentive_budget": 30000}, lc.BudgetWithoutPoints, "incentive_budget = 30000"),
    ({"training_sessions_per_quarter": 0, "training_seats": 25}, lc.SeatsWithoutTraining, "training_seats = 25"),
    ({"training_sessions_per_quarter": 2, "training_seats": 0}, lc.TrainingWithoutSeats,
     "training_sessions_per_quarter = 2"),
    ({"social_workers": 0, "social_worker_hours": 30}, lc.HoursWithoutSocialWorkers, "social_worker_hours = 30"),
    ({"social_workers": 2, "social_worker_hours": 0}, lc.SocialWorkersWithoutHours, "social_workers = 2"),
])
def test_each_mistake_gets_its_named_warning(values, kind, named):
    found = lc.lever_warnings(BASE.with_overrides(**values))
    assert kind in [type(w) for w in found]
    assert any(named in str(w) for w in found if isinstance(w, kind))


def test_cadence_longer_than_the_run_is_named():
    assert _kinds(10, meeting_cadence_weeks=12) == [lc.CadenceLongerThanRun]
    assert _kinds(104, meeting_cadence_weeks=12) == []


def test_shipped_scenarios_raise_no_warning():
    for p in SCENARIO_DIR.glob("*.toml"):
        assert lc.lever_warnings(load_scenario(p), 104) == [], p.stem


def test_warnings_go_through_the_warnings_module_with_their_own_category():
    sc = BASE.with_overrides(incentive_per_meeting=10, incentive_budget=1.5)
    with pytest.warns(lc.LeverWarning) as record:
        lc.warn_levers(sc)
    assert [w.category for w in record] == [lc.BudgetLooksLikeWan, lc.BudgetBelowOnePayment]
    assert "万元" in str(record[0].message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        lc.warn_levers(BASE)  # nothing to say about the baseline


def test_warning_text_in_chinese():
    (w, *_) = lc.lever_warnings(BASE.with_overrides(incentive_per_meeting=10, incentive_budget=1.5), lang="zh")
    assert "疑似单位错误" in str(w) and "1.5" in str(w)


def test_run_prints_one_line_per_warning(tmp_path, capsys):
    f = tmp_path / "half.toml"
    f.write_text('name = "half"\n[policy]\nincentive_per_meeting = 10\nincentive_budget = 1.5\n', encoding="utf-8")
    code = main(["run", str(f), "--steps", "2", "--seed", "1", "--out", str(tmp_path / "run")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 0
    assert any(line.startswith("consultsim run: warning [BudgetLooksLikeWan]") and "incentive_budget = 1.5" in line
               for line in err)
    assert any("[BudgetBelowOnePayment]" in line for line in err)


def test_compare_warns_in_the_report_language(capsys):
    from consultsim.cli import checks
    sc = Scenario("half", "", BASE.params.replace(incentive_per_meeting=10, incentive_budget=1.5))
    assert checks.print_lever_warnings([sc], 104, "zh") == 2
    err = capsys.readouterr().err
    assert "consultsim compare: 警告 half：incentive_budget = 1.5 元/年" in err and "[Budget" not in err  # no English category name


def test_scenarios_lists_every_shipped_scenario_with_its_chinese_name(capsys):
    assert main(["scenarios"]) == 0
    out = capsys.readouterr().out
    for p in SCENARIO_DIR.glob("*.toml"):
        sc = load_scenario(p)
        line = next(ln for ln in out.splitlines() if ln.split()[:1] == [p.stem])
        assert sc.name_zh in line


def test_scenarios_shows_one_in_full_and_suggests_on_a_misspelling(capsys):
    assert main(["scenarios", "incentives", "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    assert "参与积分制" in out and "incentive_budget = 30000" in out
    assert main(["scenarios", "polcy"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "did you mean policy" in err
