"""Pattern criteria (P1-P6) on constructed series; `consultsim validate` and its knock-outs on the real model."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
)
from consultsim.cli import main
from consultsim.core.metric_names import METRICS
from consultsim.core.params import Params

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).parent.parent / "docs"
BY_NAME = {c.name: c for c in CRITERIA}


def _run(ts=None, topics=None):
    return Run(ts, topics)


def _series(steps=104, **cols):
    ts = pd.DataFrame({"step": np.arange(steps + 1)})
    for m in METRICS:
        ts[m] = cols.get(m, 0.0)
    return ts


def test_every_pattern_has_a_criterion():
    assert {c.pattern for c in CRITERIA} == {"P1", "P2", "P3", "P4", "P5", "P6"}
    assert SHANGHAI_YOUNG_OLD_RATIO == pytest.approx(0.178, abs=0.001)


def test_young_old_ratio_is_per_capita_from_sign_in_sheets_and_the_register():
    # two topics, 100 households each: 30 young and 30 elderly in scope; 2 + 1 young and 20 + 10 elderly
    # of 50 attendees in all. Per capita the young attend (3/60) / (30/60) = 0.1 as often as the elderly.
    topics = pd.DataFrame({"n_scope": [100, 100], "n_young": [30, 30], "n_elderly": [30, 30],
                           "att_young": [2, 1], "att_elderly": [20, 10], "attendees": [30, 20]})
    c = BY_NAME["young_old_ratio"]
    assert c.fn(_run(topics=topics)) == pytest.approx(0.1)
    assert c.passes(0.1) and not c.passes(1.0) and not c.passes(0.05)
    # elderly: 30 of 50 attendees (60%) vs 60 of 200 households (30%)
    assert BY_NAME["elderly_overrepresentation"].fn(_run(topics=topics)) == pytest.approx(2.0)


def test_attendance_odds_ratio_is_mantel_haenszel_within_age_groups():
    from consultsim.core.observables import mantel_haenszel

    # two age groups; within each the concerned attend at higher odds than the unconcerned
    att = np.array([1, 0, 0, 1, 0, 0, 0, 0, 0, 0] + [1, 1, 1, 1, 0, 1, 1, 0, 0, 0], bool)
    high = np.array([1, 1, 1, 0, 0, 0, 0, 0, 0, 0] + [1, 1, 1, 1, 1, 1, 0, 0, 0, 0], bool)
    age = np.repeat([0, 2], 10)
    num, den = mantel_haenszel(att, high, ~high, age)
    # young: a=1 b=2 c=1 d=6 (n=10) -> ad/n 0.6, bc/n 0.2; old: a=5 b=1 c=1 d=3 -> 1.5, 0.1
    assert (num, den) == pytest.approx((0.6 + 1.5, 0.2 + 0.1))
    topics = pd.DataFrame({"or_concern_num": [num], "or_concern_den": [den]})
    assert BY_NAME["attendance_by_concern"].fn(_run(topics=topics)) == pytest.approx(2.1 / 0.3)


def test_building_dispersion_is_one_for_independent_attendance_and_larger_when_clustered():
    from consultsim.core.observables import building_dispersion

    rng = np.random.default_rng(1)
    building = np.repeat(np.arange(40), 50)
    independent = [building_dispersion(rng.random(2000) < 0.1, building) for _ in range(200)]
    assert np.mean(independent) == pytest.approx(1.0, abs=0.05)
    clustered = rng.random(2000) < np.repeat(rng.uniform(0.0, 0.3, 40), 50)
    assert building_dispersion(clustered, building) > 2
    assert np.isnan(building_dispersion(np.ones(10, bool), np.zeros(10, int)))


def test_panel_and_hotline_measures():
    topics = pd.DataFrame({
        "outcome": ["stalled", "implemented", "stalled"],
        "trust_change_heard": [-0.02, 0.05, np.nan], "trust_change_unheard": [-0.04, 0.01, -0.01],
        "n_heard_learners": [10, 30, 0], "n_unheard_learners": [30, 70, 10],
        "informed": [40, 100, 10], "informed_attendees": [10, 30, 0], "complaints": [4, 2, 1],
        "complaints_attendees": [0, 1, 0]})
    # stalled topics: (10 x -0.02 + 30 x -0.04 + 10 x -0.01) / 50
    assert BY_NAME["trust_after_stalls"].fn(_run(topics=topics)) == pytest.approx(-1.5 / 50)
    # heard minus unheard, weighted by the heard: (10 x 0.02 + 30 x 0.04) / 40
    assert BY_NAME["trust_heard_vs_unheard"].fn(_run(topics=topics)) == pytest.approx(1.4 / 40)
    # attendees 1 call / 40 informed; others 6 / 110
    assert BY_NAME["complaints_heard_ratio"].fn(_run(topics=topics)) == pytest.approx((1 / 40) / (6 / 110))


def test_civic_after_success_is_the_panel_gap_between_implemented_and_stalled_outcomes():
    # issue 17: panel members are the heard and unheard learners; topics without a panel, or still open, are
    # left out
    topics = pd.DataFrame({
        "outcome": ["implemented", "implemented", "stalled", "stalled", "rejected"],
        "civic_change": [0.02, 0.01, -0.005, np.nan, 0.3],
        "n_heard_learners": [10, 20, 5, 4, 10], "n_unheard_learners": [30, 40, 15, 6, 10]})
    c = BY_NAME["civic_after_success"]
    # implemented: (40 x 0.02 + 60 x 0.01) / 100; stalled: 20 x -0.005 / 20 (the NaN row has no panel answer)
    assert c.fn(_run(topics=topics)) == pytest.approx(1.4 / 100 + 0.005)
    assert c.direction and c.passes(0.019) and not c.passes(0.0) and not c.passes(-0.01)
    # no stalled outcome announced: the gap is not defined, so it never passes
    assert np.isnan(c.fn(_run(topics=topics[topics["outcome"] != "stalled"])))


@pytest.mark.parametrize("gain", [0.02, 0.0])
def test_the_model_records_the_civic_panel_around_announcements(gain):
    # issue 17: over an announcement only a success moves commitment (ODD §7.8: civic_gain_success); stalls leave
    # it where it was, and without the gain no announcement moves it
    from consultsim.core.model import ConsultationModel

    model = ConsultationModel(Params(n_residents=300, civic_gain_success=gain), rng=2)
    for _ in range(104):
        model.step()
    t = model.topic_records()
    done, stalled = t[t["outcome"] == "implemented"], t[t["outcome"] == "stalled"]
    assert len(done) and len(stalled)
    assert (stalled["civic_change"].dropna() == 0).all()
    assert ((done["civic_change"].dropna() > 0) if gain else (done["civic_change"].dropna() == 0)).all()
    assert done["civic_change"].notna().any()


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
    # Direction-only pattern: "complex topics fail more" (no source bounds the gap).
    assert one_sided == {"complex_failure_gap"}
    for c in CRITERIA:
        assert c.data, f"{c.name}: say which field records it is measured from"
    stagnant, collapsed, risen = -0.01, -0.3, 0.05
    assert BY_NAME["trust_change"].passes(stagnant)
    assert not BY_NAME["trust_change"].passes(collapsed) and not BY_NAME["trust_change"].passes(risen)
    assert not BY_NAME["implementation_rate"].passes(0.0) and not BY_NAME["implementation_rate"].passes(0.9)
    assert not BY_NAME["participation_rate"].passes(0.0)


def test_agreed_share_and_agreement_by_rule():
    topics = pd.DataFrame({"type": ["parking", "parking", "pets", "elevator", "elevator", "pets"],
                           "outcome": ["deadlock", "implemented", "stalled", "no quorum", "unfunded", "proposed"]})
    assert BY_NAME["agreed_share"].fn(_run(topics=topics)) == pytest.approx(3 / 5)  # the proposed one is unsettled
    # show of hands: 2 of 3 agreed; owners' votes: 1 of 2
    assert BY_NAME["agreement_by_rule"].fn(_run(topics=topics)) == pytest.approx(2 / 3 - 1 / 2)
    assert BY_NAME["retrofits_unfunded"].fn(_run(topics=topics)) == pytest.approx(1.0)


def test_no_criterion_reads_a_parameter_or_runs_a_twin():
    import dataclasses
    import inspect

    import consultsim.analysis.validation as v

    assert [f.name for f in dataclasses.fields(Run)] == ["ts", "topics"]
    criteria_code = inspect.getsource(v).split("class Run")[1].split("@dataclass(frozen=True)\nclass Knockout")[0]
    assert "params" not in criteria_code and "twin" not in criteria_code
    assert "run_comparison(scs," in inspect.getsource(v._compare)  # the scenarios only, no twins


def test_knockouts_are_the_registry_off_switches_with_a_description():
    assert {"learning_from_outcomes", "implementation_effort", "unequal_voice"} <= set(KNOCKOUTS)
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


def test_validate_knockout_exits_1_and_unknown_name_exits_2(capsys):
    code = main(["validate", "--knockout", "learning_from_outcomes", "--households", "300", "--replicates", "3",
                 "--steps", "60", "--workers", "1", "--quiet"])
    out = capsys.readouterr().out
    assert code == 1 and "learning_from_outcomes" in out
    assert main(["validate", "--knockout", "learning_from_outcome"]) == 2
    assert "did you mean 'learning_from_outcomes'" in capsys.readouterr().err


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
    ({"baseline": (), "resident_proposing": ("resident_proposed_share",),
      "learning_from_outcomes": ("trust_after_stalls",)}, 0),
    ({"baseline": (), "resident_proposing": ("resident_proposed_share",), "learning_from_outcomes": ()}, 1),
    ({"baseline": ("agreed_share",), "resident_proposing": ("resident_proposed_share",)}, 1),  # baseline fails
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
    assert "| `resident_proposing` |" in out and "`participation_rate`" in out
    assert ("**none**" in out) == accepted


# ---- issue 17: observables that see the mechanisms (encouragement, vote return, complaints, postponements) ----

def test_a_direction_counts_only_when_the_whole_interval_lies_in_its_band():
    c = BY_NAME["attendance_by_invitation"]  # a direction (odds ratio above 1) with an assumed upper end
    assert c.direction and not BY_NAME["participation_rate"].direction
    assert c.judge(1.5, 1.2, 1.8)
    assert not c.judge(1.05, 0.9, 1.2)   # the mean is above 1 but the records do not support the direction
    assert not c.judge(0.95, 0.9, 1.0)
    assert c.judge(1.05, np.nan, np.nan)  # a single run has no interval: its value decides
    # a band that is not a direction judges the mean alone, as before
    assert BY_NAME["participation_rate"].judge(0.1, 0.0, 0.3)
    below = BY_NAME["complaints_heard_odds"]  # a direction below 1
    assert below.judge(0.6, 0.45, 0.8) and not below.judge(0.9, 0.7, 1.1)
    assert "(95% interval)" in c.band()


def test_evaluate_uses_the_interval_for_directions():
    per_run = pd.DataFrame({c.name: [np.nan] * 4 for c in CRITERIA})
    per_run["attendance_by_invitation"] = [0.8, 1.3, 0.9, 1.2]   # mean 1.05, interval spans 1
    per_run["attendance_by_concern"] = [1.3, 1.4, 1.35, 1.45]
    t = evaluate(per_run).set_index("name")
    assert not t.loc["attendance_by_invitation", "passed"] and t.loc["attendance_by_concern", "passed"]
    assert t.loc["attendance_by_invitation", "pass_rate"] == pytest.approx(0.5)  # single runs: value in band


@given(mean=st.floats(-5, 5), half=st.floats(0, 5), lo=st.floats(-3, 3), width=st.floats(0.01, 5),
       direction=st.booleans())
def test_judge_never_passes_a_mean_outside_its_band(mean, half, lo, width, direction):
    import dataclasses

    c = dataclasses.replace(BY_NAME["attendance_by_concern"], lo=lo, hi=lo + width, direction=direction)
    verdict = c.judge(mean, mean - half, mean + half)
    assert verdict <= c.passes(mean)
    if not direction:
        assert verdict == c.passes(mean)
    elif c.passes(mean - half) and c.passes(mean + half):
        assert verdict


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.integers(0, 2)), min_size=4, max_size=60))
def test_mantel_haenszel_swapping_the_groups_inverts_the_odds_ratio(rows):
    from consultsim.core.observables import mantel_haenszel

    att, high, strata = (np.array(x) for x in zip(*rows))
    num, den = mantel_haenszel(att, high, ~high, strata)
    assert (num, den) == pytest.approx(mantel_haenszel(att, ~high, high, strata)[::-1])
    assert num >= 0 and den >= 0


def test_invitation_records_compare_households_on_a_leaders_list_within_strata():
    from types import SimpleNamespace

    from consultsim.core.observables import record_invitations

    # stratum "listed by one leader": 10 invited (6 attend), 10 not (2 attend); a leader and two unlisted
    # households who all attend must not count
    invited = np.array([1] * 10 + [0] * 10 + [1, 0, 0], bool)
    att = np.array([1] * 6 + [0] * 4 + [1] * 2 + [0] * 8 + [1, 1, 1], bool)
    covered = np.array([1] * 20 + [0, 0, 0])
    leader = np.array([0] * 20 + [1, 0, 0], bool)
    before = np.array([1, 0] * 10 + [1, 1, 1], bool)
    t = SimpleNamespace(observed={})
    record_invitations(t, att, invited, covered, leader, before)
    # a=6 b=4 c=2 d=8, n=20: ad/n = 2.4, bc/n = 0.4 (odds ratio 6)
    assert (t.observed["or_invited_num"], t.observed["or_invited_den"]) == pytest.approx((2.4, 0.4))
    # invited before, within (listed once, invited now) and (listed once, not invited now):
    # invited now: before at positions 0,2,4,6,8 -> attend 1,1,1,0,0; not before 1,3,5,7,9 -> 1,1,1,0,0
    # a=3 b=2 c=3 d=2 n=10: 0.6 / 0.6; not invited now: before 10,12,..,18 -> 1,0,0,0,0; others 1,0,0,0,0
    # a=1 b=4 c=1 d=4 n=10: 0.4 / 0.4
    assert (t.observed["or_invited_before_num"], t.observed["or_invited_before_den"]) == pytest.approx((1.0, 1.0))
    record_invitations(t, att, invited, covered, leader, None)  # records add up over a topic's meetings
    assert t.observed["or_invited_num"] == pytest.approx(4.8)


def test_complaint_records_compare_heard_and_unheard_losers_only():
    from types import SimpleNamespace

    from consultsim.core.observables import record_complaints

    losers = np.array([1] * 8 + [0] * 4, bool)
    heard = np.array([1, 1, 1, 1, 0, 0, 0, 0] + [1] * 4, bool)
    called = np.array([1, 0, 0, 0, 1, 1, 0, 0] + [1] * 4, bool)  # winners who call do not count
    t = SimpleNamespace(observed={})
    record_complaints(t, losers, heard, called, np.zeros(12, int))
    # heard 1 of 4 call, unheard 2 of 4: a=1 b=3 c=2 d=2 n=8 -> 2/8 over 6/8: odds ratio 1/3
    assert t.observed["or_complaint_heard_num"] / t.observed["or_complaint_heard_den"] == pytest.approx(1 / 3)
    topics = pd.DataFrame({"or_complaint_heard_num": [0.25, 0.5], "or_complaint_heard_den": [0.75, 0.5]})
    assert BY_NAME["complaints_heard_odds"].fn(_run(topics=topics)) == pytest.approx(0.75 / 1.25)


def test_unheard_loser_records_count_calls_by_age_group():
    """The publicity board x 12345 log: only unheard losers who care a lot are counted, by age group."""
    from types import SimpleNamespace

    from consultsim.core.observables import record_unheard_losers

    sel = np.array([1, 1, 1, 1, 1, 0, 0], bool)
    called = np.array([1, 0, 1, 0, 0, 1, 1], bool)  # the last two are not selected: their calls do not count
    age = np.array([0, 0, 2, 2, 2, 0, 1])
    t = SimpleNamespace(observed={})
    record_unheard_losers(t, sel, called, age)
    assert [t.observed[f"unheard_losers_{a}"] for a in range(3)] == [2, 0, 3]
    assert [t.observed[f"unheard_callers_{a}"] for a in range(3)] == [1, 0, 1]


def _board_topics(rows):
    """Topic records with the publicity board's flag and the unheard losers of age group 0 only."""
    cols = {"outcome": [], "published": [], **{f"unheard_{k}_{a}": [] for k in ("losers", "callers") for a in range(3)}}
    for outcome, published, losers, callers in rows:
        cols["outcome"].append(outcome)
        cols["published"].append(published)
        for a in range(3):
            cols[f"unheard_losers_{a}"].append(losers if a == 0 else 0)
            cols[f"unheard_callers_{a}"].append(callers if a == 0 else 0)
    return pd.DataFrame(cols)


def test_complaints_published_odds_is_mantel_haenszel_within_outcome_classes():
    """The publicity board x 12345 log: the cells of a stratum (outcome class x age group) add up over the run's topics; a topic is
    posted or not as a whole. Hand-computed: implemented stratum, posted 2 of 10 call, unposted 4 of 10
    (a=2 b=8 c=4 d=6 n=20: ad/n = 0.6, bc/n = 1.6); stalled and unfunded are one class: posted 1 of 4, unposted 1
    of 2 (a=1 b=3 c=1 d=1 n=6: 1/6, 3/6); a failed topic with no unposted counterpart adds nothing."""
    topics = _board_topics([("implemented", True, 6, 1), ("implemented", True, 4, 1),
                            ("implemented", False, 10, 4), ("stalled", True, 4, 1), ("unfunded", False, 2, 1),
                            ("rejected", True, 5, 5), ("decided", False, np.nan, np.nan)])
    topics = topics[topics["unheard_losers_0"].notna() | (topics["outcome"] == "decided")]
    fn = BY_NAME["complaints_published_odds"].fn
    num, den = fn.counts(_run(topics=topics))
    assert num == pytest.approx(0.6 + 1 / 6)
    assert den == pytest.approx(1.6 + 3 / 6)
    assert fn(_run(topics=topics)) == pytest.approx((0.6 + 1 / 6) / 2.1)
    # posting makes no difference: the odds ratio is 1
    same = _board_topics([("implemented", True, 10, 2), ("implemented", False, 20, 4)])
    assert fn(_run(topics=same)) == pytest.approx(1.0)


@settings(max_examples=20, deadline=None)  # each example builds three small frames: keep the fast suite fast
@given(st.lists(st.tuples(st.sampled_from(["implemented", "stalled", "rejected"]), st.booleans(),
                          st.integers(0, 30), st.integers(0, 30)), min_size=2, max_size=12))
def test_complaints_published_odds_inverts_when_posting_is_swapped(rows):
    """The publicity board x 12345 log: swapping posted and unposted outcomes swaps the Mantel-Haenszel sums (the odds ratio inverts),
    and scaling every count by the same factor leaves the odds ratio unchanged."""
    rows = [(o, p, n, min(c, n)) for o, p, n, c in rows]
    fn = BY_NAME["complaints_published_odds"].fn
    num, den = fn.counts(_run(topics=_board_topics(rows)))
    snum, sden = fn.counts(_run(topics=_board_topics([(o, not p, n, c) for o, p, n, c in rows])))
    assert snum == pytest.approx(den) and sden == pytest.approx(num)
    knum, kden = fn.counts(_run(topics=_board_topics([(o, p, 3 * n, 3 * c) for o, p, n, c in rows])))
    assert knum == pytest.approx(3 * num) and kden == pytest.approx(3 * den)


def test_unheard_losers_in_a_model_run_are_informed_losers_who_were_not_heard():
    """The publicity board x 12345 log: a model run's records add up: unheard callers are at most the topic's callers, and topics
    never evaluated have no record."""
    from consultsim.core.model import ConsultationModel

    m = ConsultationModel(rng=3, n_residents=300, n_buildings=6, feedback_transparency=0.5)
    for _ in range(80):
        m.step()
    t = m.topic_records()
    ev = t[t["unheard_losers_0"].notna()]
    assert len(ev) and (t.loc[t["unheard_losers_0"].isna(), "stage"] != "evaluated").all()
    callers = sum(ev[f"unheard_callers_{a}"] for a in range(3))
    losers = sum(ev[f"unheard_losers_{a}"] for a in range(3))
    assert (callers <= losers).all() and (callers <= ev["complaints"] - ev["complaints_attendees"]).all()
    assert (losers <= ev["informed"] - ev["informed_attendees"]).all()


def test_vote_return_is_compared_among_owners_the_collectors_had_to_reach():
    from types import SimpleNamespace

    from consultsim.core.observables import topic_observables

    n = 12
    stake = np.array([0.8] * 4 + [0.1] * 4 + [0.8] * 2 + [0.1, 0.3])  # 0.3: neither much nor hardly
    voted = np.array([1, 1, 1, 0] + [1, 0, 0, 0] + [1, 1, 0, 0], bool)
    attended = np.array([0] * 8 + [1, 1, 0, 0], bool)  # attendees vote at the meeting: left out
    owner = np.array([1] * 10 + [0, 1], bool)          # a renter cannot vote
    res = SimpleNamespace(age_group=np.zeros(n, int), owner=owner, building=np.zeros(n, int),
                          floor=np.full(n, 3))
    t = SimpleNamespace(scope=np.arange(n), attended=attended, stake=stake, type=SimpleNamespace(scope="building"),
                        meetings=0, voted=voted, deferrals=0, observed={}, opinion=np.full(n, 0.6))
    obs = topic_observables(t, res)
    # concerned non-attending owners 3 of 4 voted, unconcerned 1 of 4: a=3 b=1 c=1 d=3 n=8 -> 9/8 over 1/8
    assert obs["or_vote_concern_num"] / obs["or_vote_concern_den"] == pytest.approx(9.0)


# ---- issue 17: owners' vote records by floor ----

def test_vote_records_count_owners_votes_and_approvals_on_floors_1_2_and_3_up():
    from types import SimpleNamespace

    from consultsim.core.observables import topic_observables

    floor = np.array([1, 1, 2, 2, 3, 3, 4, 5, 6, 6])
    owner = np.array([1, 1, 1, 0, 1, 1, 1, 1, 1, 0], bool)     # renters (places 3, 9) cannot vote
    voted = np.array([1, 0, 1, 0, 1, 1, 0, 1, 1, 0], bool)
    opinion = np.array([0.9, 0.9, 0.2, 0.9, 0.8, 0.4, 0.9, 0.7, 0.6, 0.9])  # in favour: above 0.5
    res = SimpleNamespace(age_group=np.zeros(10, int), owner=owner, building=np.zeros(10, int), floor=floor)
    t = SimpleNamespace(scope=np.arange(10), attended=np.zeros(10, bool), stake=np.full(10, 0.5), meetings=0,
                        type=SimpleNamespace(scope="building"), voted=voted, deferrals=0, observed={}, opinion=opinion)
    obs = topic_observables(t, res)
    # floors 1-2: owners at places 0, 1, 2; votes 0 (yes) and 2 (no)
    assert (obs["owners_low"], obs["voted_low"], obs["yes_low"]) == (3, 2, 1)
    # floors 3 up: owners at 4-8; votes 4 (yes), 5 (no), 7 (yes), 8 (yes)
    assert (obs["owners_up"], obs["voted_up"], obs["yes_up"]) == (5, 4, 3)


def test_elevator_approval_by_floor_pools_the_retrofits_votes_only():
    c = BY_NAME["elevator_approval_by_floor"]
    assert not c.scored and c.direction
    topics = pd.DataFrame({
        "type": ["elevator", "elevator", "property_fee", "elevator"],
        "owners_voted": [10, 6, 40, 0],  # the last retrofit never reached its vote: left out
        "yes_up": [6, 3, 20, 5], "voted_up": [7, 4, 25, 5], "yes_low": [1, 0, 10, 5], "voted_low": [3, 2, 15, 5]})
    # floors 3 up: 9 of 11 in favour; floors 1-2: 1 of 5 -> 9/11 - 1/5
    assert c.fn(_run(topics=topics)) == pytest.approx(9 / 11 - 1 / 5)
    assert c.judge(9 / 11 - 1 / 5, 0.3, 0.8) and not c.judge(-0.1, -0.2, 0.0)
    # records written before the floors were recorded: no value, not a fake zero
    assert np.isnan(c.fn(_run(topics=topics.drop(columns=["yes_up"]))))


def test_postponed_meetings_are_counted_against_all_convened_ones():
    topics = pd.DataFrame({"deferrals": [0, 2, 1], "meetings": [3, 0, 2]})
    assert BY_NAME["meetings_postponed"].fn(_run(topics=topics)) == pytest.approx(3 / 8)
    assert not BY_NAME["meetings_postponed"].judge(0.0, 0.0, 0.0)  # none postponed: the rule never binds


# ---- issue 17: records pooled over runs (Mantel-Haenszel with the runs as strata; pooled counts) ----

def _households(a, b, c, d):
    """Household arrays of one 2x2 table: a attend of the high group, b do not; c attend of the low, d do not."""
    att = np.array([1] * a + [0] * b + [1] * c + [0] * d, bool)
    high = np.array([1] * (a + b) + [0] * (c + d), bool)
    return att, high


def test_mantel_haenszel_pooled_over_runs_matches_the_hand_computed_common_odds_ratio():
    from consultsim.analysis.validation import measure_run, pooled_interval
    from consultsim.core.observables import mantel_haenszel

    # three runs, one 2x2 table each (a, b, c, d); Mantel-Haenszel over the 3 strata:
    # sum ad/n = 400/75 + 18/20 + 450/70 = 12.6619, sum bc/n = 100/75 + 8/20 + 150/70 = 3.8762,
    # odds ratio 3.26658 (statsmodels' StratifiedTable(tables).oddsratio_pooled gives 3.2665847665847663).
    # The per-run odds ratios are 4, 2.25 and 3: their average, 3.0833, is not the pooled estimate.
    tables = [(10, 20, 5, 40), (2, 8, 1, 9), (30, 10, 15, 15)]
    rows = []
    for rep, cells in enumerate(tables):
        att, high = _households(*cells)
        num, den = mantel_haenszel(att, high, ~high, np.zeros(len(att), int))
        run = _run(topics=pd.DataFrame({"or_concern_num": [num], "or_concern_den": [den]}))
        rows.append({"replicate": rep, **measure_run(run, [BY_NAME["attendance_by_concern"]])})
    per_run = pd.DataFrame(rows)
    assert per_run["attendance_by_concern"].to_list() == pytest.approx([4.0, 2.25, 3.0])
    row = evaluate(per_run, [BY_NAME["attendance_by_concern"]]).iloc[0]
    assert row["mean"] == pytest.approx(3.2665847665847663)
    assert row["run_mean"] == pytest.approx(37 / 12) and row["pooled"] and row["n"] == 3
    assert row["ci_low"] < row["mean"] < row["ci_high"] and row["ci_low"] > 0  # on the log scale
    # the same value from the function itself
    counts = per_run[["attendance_by_concern#0", "attendance_by_concern#1"]].to_numpy()
    assert pooled_interval(counts, lambda v: v[0] / v[1], log=True)[0] == pytest.approx(3.2665847665847663)


def test_pooled_share_has_a_jackknife_interval_clustered_by_run():
    from consultsim.analysis.validation import pooled_interval

    # runs with 1, 2, 3 events in 10 meetings each: pooled 6/30 = 0.2; leaving out one run gives
    # 5/20, 4/20, 3/20 (mean 0.2); var = (3-1)/3 * (0.05^2 + 0 + 0.05^2) = 0.003333, sd 0.057735;
    # t(0.975, 2) = 4.302653, half-width 0.248414
    counts = np.array([[1, 10], [2, 10], [3, 10]], float)
    share = lambda v: v[0] / v[1]  # noqa: E731
    value, lo, hi, k = pooled_interval(counts, share)
    assert (value, lo, hi, k) == pytest.approx((0.2, 0.2 - 0.248414, 0.2 + 0.248414, 3), abs=1e-6)
    # on the log scale the interval stays above zero: exp(ln 0.2 -+ 4.302653 * 0.295709)
    _, lo, hi, _ = pooled_interval(counts, share, log=True)
    assert (lo, hi) == pytest.approx((0.05603, 0.71381), abs=1e-4)
    # all events in a single run: without it none is left, so the log scale cannot be used
    _, lo, _, _ = pooled_interval(np.array([[0, 10], [0, 10], [3, 10]], float), share, log=True)
    assert lo < 0
    # a run with an undefined total is left out; one run has no interval
    assert pooled_interval(np.array([[1, 10], [np.nan, np.nan]]), share)[3] == 1
    assert np.isnan(pooled_interval(np.array([[1, 10]]), share)[1])


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(1, 50)), min_size=2, max_size=12))
def test_a_pooled_share_lies_between_the_runs_own_shares(rows):
    from consultsim.analysis.validation import pooled_interval

    # sum n / sum d is the mean of the runs' shares n_i / d_i weighted by d_i
    counts = np.array([(min(n, d), d) for n, d in rows], float)
    value, lo, hi, k = pooled_interval(counts, lambda v: v[0] / v[1], log=True)
    own = counts[:, 0] / counts[:, 1]
    assert own.min() - 1e-12 <= value <= own.max() + 1e-12 and k == len(rows)
    if np.isfinite(lo):
        assert lo <= value + 1e-12 <= hi + 2e-12


def test_every_criterion_on_topic_records_is_pooled():
    from consultsim.analysis.validation import Pooled

    on_series = {c.name for c in CRITERIA if not isinstance(c.fn, Pooled)}
    # what a community's weekly series gives once per community: no records to pool
    assert on_series == {"procedure_completion", "participation_rate", "resident_proposed_share",
                         "implementation_rate", "voice_concentration", "trust_change", "efficacy_change"}


def test_invitation_among_the_informed_leaves_out_those_who_did_not_know_of_the_meeting():
    from types import SimpleNamespace

    from consultsim.core.observables import record_invitations

    # listed once each: 10 invited (6 attend; an invitation informs), 10 not invited of whom 5 knew of the
    # meeting (2 attend) and 5 did not (none can attend)
    invited = np.array([1] * 10 + [0] * 10, bool)
    informed = np.array([1] * 15 + [0] * 5, bool)
    att = np.array([1] * 6 + [0] * 4 + [1] * 2 + [0] * 8, bool)
    t = SimpleNamespace(observed={})
    record_invitations(t, att, invited, np.ones(20, int), np.zeros(20, bool), None, informed)
    # all listed: a=6 b=4 c=2 d=8, n=20 -> odds ratio 6; among the informed: a=6 b=4 c=2 d=3, n=15 ->
    # (18/15) / (8/15) = 2.25
    assert t.observed["or_invited_num"] / t.observed["or_invited_den"] == pytest.approx(6.0)
    assert (t.observed["or_invited_informed_num"], t.observed["or_invited_informed_den"]) == \
        pytest.approx((18 / 15, 8 / 15))


def test_informed_shift_is_the_mean_opinion_moving_toward_the_informed_position():
    from types import SimpleNamespace

    from consultsim.core.observables import record_meeting

    t = SimpleNamespace(observed={})
    # mean 0.3 before, 0.45 after; informed position 0.7: distance 0.4 -> 0.25, a shift of +0.15
    record_meeting(t, np.array([0.1, 0.5]), np.array([0.4, 0.5]), 0.7)
    assert t.observed["informed_shift"] == pytest.approx(0.15)
    record_meeting(t, np.array([0.9, 0.9]), np.array([0.0, 0.0]), 0.7)  # only the first meeting is recorded
    assert t.observed["informed_shift"] == pytest.approx(0.15)
    t2 = SimpleNamespace(observed={})
    record_meeting(t2, np.array([0.6, 0.8]), np.array([0.2, 0.2]), 0.7)  # moved away: 0 -> 0.5
    assert t2.observed["informed_shift"] == pytest.approx(-0.5)
    topics = pd.DataFrame({"informed_shift": [0.15, -0.05, np.nan]})
    assert BY_NAME["informed_shift"].fn(_run(topics=topics)) == pytest.approx(0.05)
    assert not BY_NAME["informed_shift"].passes(0.0) and BY_NAME["informed_shift"].passes(0.05)


def test_a_structure_bound_mechanism_is_validated_in_its_structure():
    from consultsim.analysis.validation import structure_scenario
    from consultsim.core.mechanisms import MECHANISMS, expected_visible, structure_bound
    from consultsim.running.scenarios import resolve_scenario

    base = resolve_scenario("baseline")
    assert {"owners_committee_votes", "owners_committee_negotiation", "hotline_pressure"} <= set(structure_bound())
    assert not set(structure_bound()) & set(expected_visible()) and not set(structure_bound()) & set(KNOCKOUTS)
    sc = structure_scenario(base, "owners_committee_votes")
    assert sc.params.owners_committee is True and not base.params.owners_committee
    assert sc.params.oc_member_hours == base.params.oc_member_hours  # the structure, not the off-switch
    assert dict(MECHANISMS["owners_committee_votes"].structure) == {"owners_committee": True}
    assert structure_scenario(base, "quorum") is base  # no structure: the baseline itself


def test_implementation_by_support_compares_broadly_and_narrowly_adopted_resolutions():
    topics = pd.DataFrame({
        "outcome": ["implemented", "implemented", "stalled", "implemented", "stalled", "stalled", "deadlock"],
        "support": [0.9, 0.7, 0.8, 0.55, 0.6, 0.5, 0.9]})  # a failed topic is no resolution
    # broad (>= 2/3): 2 of 3 implemented; narrow: 1 of 3
    c = BY_NAME["implementation_by_support"]
    assert c.fn(_run(topics=topics)) == pytest.approx(2 / 3 - 1 / 3)
    assert c.passes(1 / 3) and not c.passes(0.0) and not c.passes(-0.1)


def test_knockouts_command_runs_every_acting_mechanism_and_each_structure_with_its_own(monkeypatch, capsys):
    """``--knockouts`` covers the whole registry a community can show: every mechanism acting in the scenario
    (the unseen ones too) and each structure-bound one in the scenario with its structure, where it acts."""
    import consultsim.analysis.validation as v
    from consultsim.core.mechanisms import MECHANISMS, UNSEEN, in_baseline, structure_bound

    calls = []

    class _Comp:
        master_seed = 1

    def fake(base, names, **kw):
        calls.append((base, list(names)))
        # every knock-out the registry lists as unseen passes; the others fail one criterion
        return ({base.name: _table(), **{n: _table(() if n in UNSEEN else ("participation_rate",)) for n in names}},
                _Comp())

    monkeypatch.setattr(v, "validate_knockouts", fake)
    code = main(["validate", "--knockouts", "--quiet"])
    out = capsys.readouterr().out
    acting = [n for n, m in MECHANISMS.items() if in_baseline(m)]
    assert calls[0][1] == acting
    bound = [n for base, names in calls[1:] for n in names]
    assert sorted(bound) == sorted(structure_bound())
    for base, names in calls[1:]:
        for n in names:  # validated where its structure exists
            assert all(getattr(base.params, k) == val for k, val in MECHANISMS[n].structure.items())
    unseen = [n for n in [*acting, *bound] if n in UNSEEN]
    assert (code == 1) == bool(unseen)
    if unseen:
        assert f"{len(unseen)} of {len(acting) + len(bound)} knock-outs pass every criterion" in out
        assert all(n in out.splitlines()[-1] for n in unseen)


def test_knockouts_verdict_reads_chinese(monkeypatch, capsys):
    from test_i18n_complete import english_words

    import consultsim.analysis.validation as v
    from consultsim.core.mechanisms import UNSEEN

    class _Comp:
        master_seed = 1

    monkeypatch.setattr(v, "validate_knockouts", lambda base, names, **kw: (
        {base.name: _table(), **{n: _table(() if n in UNSEEN else ("participation_rate",)) for n in names}}, _Comp()))
    monkeypatch.setenv("CONSULTSIM_LANG", "zh")
    main(["validate", "--knockouts", "--quiet"])
    lines = [ln for ln in capsys.readouterr().out.splitlines() if ln.startswith(("去除机制的变体", "检验未能区分"))]
    assert len(lines) >= 2
    for ln in lines:  # names of scenarios, mechanisms and the registry's list stay as identifiers
        assert not english_words(ln, identifiers=["baseline", "UNSEEN", "owners_committee", "street_pressure",
                                                  "True", *UNSEEN]), ln


def test_one_structure_bound_knockout_is_validated_in_its_structure(monkeypatch, capsys):
    import consultsim.analysis.validation as v
    from consultsim.core.mechanisms import MECHANISMS, structure_bound

    name = structure_bound()[0]
    seen = []

    class _Comp:
        master_seed = 1

    def fake(scenario, **kw):
        seen.append(scenario)
        return _table(), _Comp()

    monkeypatch.setattr(v, "validate", fake)
    main(["validate", "--knockout", name, "--quiet"])
    capsys.readouterr()
    params = seen[0].params
    assert all(getattr(params, k) == val for k, val in MECHANISMS[name].structure.items())
    assert all(getattr(params, k) == val for k, val in MECHANISMS[name].off.items())


# ---- issue 18: a verdict needs enough records (validation.MIN_EVENTS), for every type and the baseline alike ----

def _per_run_with(name: str, rows) -> pd.DataFrame:
    """An evaluate() input where criterion ``name`` has the record totals ``rows`` (one row per run) and every
    other criterion is undefined."""
    per_run = pd.DataFrame({c.name: [np.nan] * len(rows) for c in CRITERIA})
    c = BY_NAME[name]
    for i in range(len(rows[0])):
        per_run[f"{name}#{i}"] = [float(r[i]) for r in rows]
    per_run[name] = [float(c.fn.stat(np.asarray(r, float))) for r in rows]
    return per_run


def test_one_event_in_189_meetings_is_too_few_records_to_judge_not_a_failure():
    from consultsim.analysis.validation import too_few_criteria

    # the hutong's records of issue 18: one meeting held back, in one of 20 runs, 189 meetings in all
    rows = [(1, 10)] + [(0, 10)] * 8 + [(0, 9)] * 11
    assert sum(r[1] for r in rows) == 189
    t = evaluate(_per_run_with("majority_held_back", rows))
    row = t.set_index("name").loc["majority_held_back"]
    assert not row["judged"] and not row["passed"]
    assert "majority_held_back" not in failed_criteria(t)
    assert too_few_criteria(t) == ["majority_held_back"]
    assert "too few records to judge" in format_table(t)
    assert "记录太少" in format_table(t, "zh")


def test_five_events_and_five_non_events_are_enough_to_judge():
    from consultsim.analysis.validation import MIN_EVENTS

    assert MIN_EVENTS == 5
    # five meetings held back in five runs of 20: judged, and the direction holds (its interval is above 0)
    rows = [(1, 12)] * 5 + [(0, 12)] * 15
    row = evaluate(_per_run_with("majority_held_back", rows)).set_index("name").loc["majority_held_back"]
    assert row["judged"] and row["passed"] and row["ci_low"] > 0
    # four are too few; so are shares with fewer than five non-events (hard topics that nearly all failed)
    row = evaluate(_per_run_with("majority_held_back", rows[1:] + [(0, 12)])).set_index("name").loc[
        "majority_held_back"]
    assert not row["judged"]
    gap = [(9, 10, 1, 20), (9, 11, 2, 20), (9, 11, 3, 20)]  # 27 of 32 hard topics failed: 5 did not
    assert evaluate(_per_run_with("complex_failure_gap", gap)).set_index("name").loc["complex_failure_gap",
                                                                                     "judged"]
    gap[0] = (10, 10, 1, 20)  # 28 of 32: four that did not fail
    assert not evaluate(_per_run_with("complex_failure_gap", gap)).set_index("name").loc["complex_failure_gap",
                                                                                         "judged"]


def test_a_band_judged_on_its_mean_is_judged_however_few_its_events():
    """Only a direction rests on its interval; a band with ends away from the null is judged on its mean: the
    property manager at none of 275 meetings is outside 'at least 5%' (the knock-out of
    property_manager_in_meetings), and nearly every owner returning a vote is judged against 50-95%."""
    row = evaluate(_per_run_with("pm_presence", [(0, 14)] * 15 + [(0, 13)] * 5)).set_index("name").loc[
        "pm_presence"]
    assert row["judged"] and not row["passed"] and row["fewest_events"] == 0
    t = evaluate(_per_run_with("pm_presence", [(0, 14)] * 15 + [(0, 13)] * 5))
    assert "pm_presence" in failed_criteria(t)
    row = evaluate(_per_run_with("owners_turnout", [(30, 32), (29, 30)])).set_index("name").loc["owners_turnout"]
    assert row["judged"] and not row["passed"]  # 59 of 62 is above 95%


def test_no_records_at_all_is_too_few_records_to_judge():
    row = evaluate(_per_run_with("majority_held_back", [(0, 0)] * 5)).set_index("name").loc["majority_held_back"]
    assert not row["judged"]


def test_the_minimum_applies_to_each_share_of_a_gap_and_to_a_count_of_calls():
    from consultsim.analysis.validation import too_few_records

    gap = BY_NAME["complex_failure_gap"].fn  # (failed hard, hard, failed easy, easy)
    assert not too_few_records(gap, [10, 30, 6, 40])
    assert too_few_records(gap, [10, 30, 4, 40])      # four failures among the simpler topics
    assert too_few_records(gap, [10, 12, 6, 40])      # two hard topics that did not fail
    calls = BY_NAME["complaints_per_1000"].fn          # (calls, household-years): a count of events
    assert too_few_records(calls, [4, 80_000]) and not too_few_records(calls, [5, 80_000])
    # measures whose totals are no event counts (Mantel-Haenszel sums) are judged on their interval alone
    assert not too_few_records(BY_NAME["attendance_by_concern"].fn, [0.1, 0.1])


@given(e=st.integers(0, 40), f=st.integers(0, 40), more_e=st.integers(0, 20), more_f=st.integers(0, 20))
def test_more_records_never_take_a_verdict_away(e, f, more_e, more_f):
    """Adding events or non-events to a share's records never makes it too few to judge; and it is judged
    exactly when both counts reach the minimum."""
    from consultsim.analysis.validation import MIN_EVENTS, too_few_records

    share = BY_NAME["majority_held_back"].fn
    before = too_few_records(share, [e, e + f])
    after = too_few_records(share, [e + more_e, e + more_e + f + more_f])
    assert before or not after
    assert before == (min(e, f) < MIN_EVENTS)


def test_every_pooled_criterion_says_whether_its_totals_count_events():
    """A pooled criterion on counts of records (a share, a gap or ratio of shares, a rate of calls) declares its
    events, so the minimum applies to it; the others pool Mantel-Haenszel sums or sums of a continuous measure.
    A new pooled criterion must be put on one side or the other."""
    from consultsim.analysis.validation import Pooled

    not_counts = {"attendance_by_concern", "attendance_by_civic_duty", "attendance_by_skills", "attendance_by_trust",
                  "attendance_by_invitation", "attendance_after_invitation", "attendance_by_invitation_informed",
                  "vote_return_by_concern", "complaints_heard_odds", "complaints_published_odds",  # Mantel-Haenszel
                  "civic_after_success", "skills_gain_attended",  # sums of a continuous change
                  "building_clustering", "opinion_spread_ratio", "informed_shift",  # sums of a continuous measure
                  "trust_after_stalls", "trust_heard_vs_unheard"}
    pooled = {c.name: c.fn for c in CRITERIA if isinstance(c.fn, Pooled)}
    assert not_counts <= set(pooled)
    for name, fn in pooled.items():
        assert bool(fn.records) == (name not in not_counts), name


def test_the_too_few_line_of_validate_is_in_chinese_under_zh():
    from consultsim.i18n import tr
    from consultsim.i18n.messages import translate_message

    line = "1 of 31 scored criteria have too few records to judge (meetings_postponed): neither pass nor fail"
    assert translate_message(line, "zh") == "31 项计分检验标准中有 1 项记录太少，无法判断（meetings_postponed）：既不算通过也不算未通过"
    assert tr("district.val.too_few_line", "zh", n=1, listing="平房区：majority_held_back").startswith("1 项适用的计分判据")
