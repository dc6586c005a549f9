"""Issue 17: the two-wave panel of civic skills x sign-in sheets and its criterion ``skills_gain_attended``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim.analysis.type_validation import BAND_SOURCES, GENERAL
from consultsim.analysis.validation import CRITERIA, Run, evaluate, measure_run
from consultsim.core.model import ConsultationModel
from consultsim.core.observables import OBSERVABLE_COLUMNS, SKILLS_PANEL, skills_panel
from consultsim.i18n import tr

CRIT = {c.name: c for c in CRITERIA}["skills_gain_attended"]


def test_skills_panel_sums_changes_of_signers_and_of_the_others():
    # five households in scope; the first two signed in. Changes: +0.10, +0.02 | 0.00, -0.01, +0.01
    att = np.array([True, True, False, False, False])
    wave1 = np.array([0.3, 0.5, 0.4, 0.6, 0.2])
    now = wave1 + np.array([0.10, 0.02, 0.0, -0.01, 0.01])
    rec = skills_panel(att, now, wave1)
    assert rec["n_skills_attended"] == 2 and rec["n_skills_others"] == 3
    assert rec["skills_change_attended"] == pytest.approx(0.12)
    assert rec["skills_change_others"] == pytest.approx(0.0)
    assert set(SKILLS_PANEL) <= set(OBSERVABLE_COLUMNS)


def _topics(rows):
    return pd.DataFrame(rows, columns=list(SKILLS_PANEL))


def test_the_criterion_pools_the_panel_over_topics_and_runs():
    # run 1: signers gained 0.6 over 20 (0.03 each), others 0.2 over 100 (0.002 each);
    # run 2: signers 0.1 over 10, others 0.0 over 50. Pooled: 0.7 / 30 - 0.2 / 150 = 0.02200
    runs = [Run(None, _topics([(0.4, 10, 0.1, 50), (0.2, 10, 0.1, 50)])), Run(None, _topics([(0.1, 10, 0.0, 50)]))]
    per_run = pd.DataFrame([{"replicate": i, **measure_run(r, [CRIT])} for i, r in enumerate(runs)])
    assert per_run.loc[0, "skills_gain_attended"] == pytest.approx(0.6 / 20 - 0.2 / 100)
    row = evaluate(per_run, [CRIT]).iloc[0]
    assert row["mean"] == pytest.approx(0.7 / 30 - 0.2 / 150)


def test_no_gain_from_signing_in_fails_the_direction():
    # a world where skills never change (what a community without learning by attending shows): gap 0
    runs = [Run(None, _topics([(0.0, 12, 0.0, 80), (0.0, 5, 0.0, 40)])) for _ in range(4)]
    per_run = pd.DataFrame([{"replicate": i, **measure_run(r, [CRIT])} for i, r in enumerate(runs)])
    row = evaluate(per_run, [CRIT]).iloc[0]
    assert row["mean"] == 0.0 and not row["passed"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-0.2, 0.2), min_size=4, max_size=40), st.floats(-0.1, 0.1), st.integers(0, 2 ** 31))
def test_a_common_shift_of_everyone_does_not_move_the_gap(changes, shift, seed):
    # what moves everyone alike (a survey's drift, a community-wide campaign) is not credited to signing in
    rng = np.random.default_rng(seed)
    d = np.asarray(changes)
    att = rng.random(len(d)) < 0.5
    att[0], att[-1] = True, False
    wave1 = rng.random(len(d)) * 0.5

    def gap(rec):
        return rec["skills_change_attended"] / rec["n_skills_attended"] - rec["skills_change_others"] / rec["n_skills_others"]

    assert gap(skills_panel(att, wave1 + d + shift, wave1)) == pytest.approx(gap(skills_panel(att, wave1 + d, wave1)),
                                                                            abs=1e-9)


def test_the_model_records_the_panel_and_learning_by_attending_shows_in_it():
    with_learning = ConsultationModel(rng=3, n_residents=300)
    without = ConsultationModel(rng=3, n_residents=300, capacity_gain_attend=0.0)
    for m in (with_learning, without):
        for _ in range(40):
            m.step()
    a, b = with_learning.topic_records(), without.topic_records()
    held_a, held_b = a[a["meetings"] > 0], b[b["meetings"] > 0]
    assert len(held_a) and len(held_b)
    # with learning, signers' skills rose; without, nobody's skills moved from the wave-1 survey
    assert held_a["skills_change_attended"].sum() > 0
    assert (held_b[list(SKILLS_PANEL[::2])] == 0).all().all()
    assert (held_a["n_skills_attended"] + held_a["n_skills_others"] == held_a["n_scope"]).all()


def test_the_criterion_is_classified_and_labelled_in_both_languages():
    assert BAND_SOURCES["skills_gain_attended"][0] == GENERAL
    assert BAND_SOURCES["skills_gain_attended"][1] in CRIT.source
    assert CRIT.direction and CRIT.scored and CRIT.lo > 0
    assert tr("crit.skills_gain_attended", "en") == CRIT.text
    zh = tr("crit.skills_gain_attended", "zh")
    assert zh and zh != CRIT.text
