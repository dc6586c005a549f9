"""The mechanism registry (consultsim/core/mechanisms.py) against the model and against validation.

Every case is derived from the registry, so a mechanism added later is checked without editing
this file: its off-switch must be valid parameters of an ODD §7 section; a mechanism active in the
baseline must change a baseline run when switched off (it is live) and must be rejected by
``validate`` on field observables unless it is listed, with its reason, in ``UNSEEN``; a mechanism
that acts only through a lever off in the baseline must leave the baseline unchanged bit for bit
and change a run once its lever is on; a mechanism that acts only in a structure the baseline
community lacks (an owners' committee, a street office's ranking) must leave the baseline unchanged
bit for bit, change a run in its structure, and be rejected by ``validate`` of the baseline in that
structure unless ``UNSEEN`` names it with the reason.

The fast checks are structural, plus one small run (200 households, 80 weeks) per lever-bound
mechanism (about 3 s in all); whether each off-switch acts (300 households, 104 weeks, up to three
seeds); and the rejection by
``validate`` at the shipped settings (2,000 households, 20 runs, 104 weeks) are marked slow.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.analysis.validation import KNOCKOUTS, failed_criteria, validate_knockouts
from consultsim.core.mechanisms import MECHANISMS, UNSEEN, expected_visible, in_baseline, structure_bound
from consultsim.core.model import ConsultationModel
from consultsim.core.params import Params, levers
from consultsim.running.scenarios import resolve_scenario

ODD = (Path(__file__).parent.parent / "docs" / "ODD.md").read_text(encoding="utf-8")
ACTIVE = [n for n, m in MECHANISMS.items() if in_baseline(m)]
LEVER_BOUND = [n for n, m in MECHANISMS.items() if m.lever is not None]
STRUCTURE_BOUND = structure_bound()
# A setting that switches each lever on (a lever the registry names must be listed here).
LEVER_ON = {"supervision": 0.5, "pm_inclusion": True, "pm_performance_contract": True, "social_workers": 2,
            "training_sessions_per_quarter": 6, "committee_facilitation_training": True,
            "awareness_campaign": 0.8, "incentive_per_meeting": 10.0, "online_channel": True}
SMALL = dict(n_residents=200, n_buildings=5)  # the fast checks
WEEKS = 80
LARGER = dict(n_residents=300, n_buildings=6, weeks=104)  # where every active mechanism acts in one of SEEDS
SEEDS = (7, 8, 9)


def _outputs(seed: int = 7, weeks: int = WEEKS, **overrides) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A small run's weekly series and topic records."""
    m = ConsultationModel(rng=seed, **{**SMALL, **overrides})
    for _ in range(weeks):
        m.step()
    return m.timeseries(), m.topic_records()


def _same(a, b) -> bool:
    try:
        pd.testing.assert_frame_equal(a[0], b[0])
        pd.testing.assert_frame_equal(a[1], b[1])
    except AssertionError:
        return False
    return True


@functools.cache
def _run(seed: int, larger: bool = False, **overrides):
    return _outputs(seed, **(LARGER if larger else {}), **overrides)


@pytest.mark.parametrize("name", list(MECHANISMS))
def test_each_entry_names_an_odd_section_and_valid_overrides(name):
    m = MECHANISMS[name]
    Params().replace(**m.off)  # names and values exist and are allowed
    for sec in re.findall(r"§(\d+\.\d+)", m.odd):
        assert re.search(rf"^### {re.escape(sec)} ", ODD, re.M), f"{name}: ODD has no section §{sec}"
    assert m.description and "\n" not in m.description
    if m.lever is not None:
        assert m.lever in sum(levers().values(), []), f"{name}: {m.lever} is not a lever"
        assert m.lever in LEVER_ON, f"{name}: say in LEVER_ON how to switch {m.lever} on"


def test_unseen_list_names_active_mechanisms_with_a_reason():
    for name, why in UNSEEN.items():
        assert name in ACTIVE + STRUCTURE_BOUND, \
            f"UNSEEN names {name}, which acts neither in the baseline nor in a structure of the registry"
        assert len(why) > 30, name
    assert list(KNOCKOUTS) == expected_visible()


@pytest.mark.slow
@pytest.mark.parametrize("name", ACTIVE)
def test_switching_off_an_active_mechanism_changes_the_baseline(name):
    m = MECHANISMS[name]
    ctx = dict(m.context or {})  # circumstances the small baseline rarely meets, where it acts
    assert any(not _same(_run(seed, True, **ctx, **m.off), _run(seed, True, **ctx)) for seed in SEEDS), \
        f"{name}: its off-switch changes nothing; register it with the lever (or context) it acts through"


@pytest.mark.parametrize("name", LEVER_BOUND + STRUCTURE_BOUND)
def test_a_lever_or_structure_bound_mechanism_is_inert_in_the_baseline(name):
    m = MECHANISMS[name]
    assert _same(_run(SEEDS[0], **m.off), _run(SEEDS[0])), f"{name}: its off-switch changes the baseline"


@pytest.mark.slow
@pytest.mark.parametrize("name", STRUCTURE_BOUND)
def test_a_structure_bound_mechanism_acts_in_its_structure(name):
    m = MECHANISMS[name]
    on = {**(m.context or {}), **m.structure}
    assert any(not _same(_run(s, True, **on, **m.off), _run(s, True, **on)) for s in SEEDS), \
        f"{name}: in its structure {dict(m.structure)}, its off-switch still changes nothing"


@pytest.mark.slow
@pytest.mark.parametrize("name", LEVER_BOUND)
def test_a_lever_bound_mechanism_acts_once_its_lever_is_on(name):
    m = MECHANISMS[name]
    on = {**(m.context or {}), m.lever: LEVER_ON[m.lever]}  # with its lever on, where it acts
    assert any(not _same(_run(s, **on, **m.off), _run(s, **on)) for s in SEEDS), \
        f"{name}: with {m.lever} on, its off-switch still changes nothing"


@pytest.mark.slow
def test_validate_rejects_every_visible_mechanism_and_no_unseen_one():
    # The shipped settings of `consultsim validate` (2,000 households, 20 runs, 104 weeks, its seed).
    tables, _ = validate_knockouts(resolve_scenario("baseline"), ACTIVE, replicates=20, progress=False)
    assert failed_criteria(tables["baseline"]) == []
    rejected = {n for n in ACTIVE if failed_criteria(tables[n])}
    assert sorted(set(expected_visible()) - rejected) == [], "registered off-switches validation accepts"
    assert sorted(rejected & set(UNSEEN)) == [], "now rejected: remove them from UNSEEN"
    assert np.isfinite(tables["baseline"]["pass_rate"]).all()


@pytest.mark.slow
@pytest.mark.parametrize("name", STRUCTURE_BOUND)
def test_validate_in_its_structure_rejects_a_structure_bound_mechanism_unless_unseen(name):
    # The baseline with the structure's settings (e.g. an owners' committee), at validate's shipped settings.
    from consultsim.analysis.validation import structure_scenario

    tables, _ = validate_knockouts(structure_scenario(resolve_scenario("baseline"), name), [name], replicates=20,
                                   progress=False)
    base, = [label for label in tables if label != name]
    assert failed_criteria(tables[base]) == [], f"the baseline with {dict(MECHANISMS[name].structure)} fails"
    assert bool(failed_criteria(tables[name])) == (name not in UNSEEN), \
        f"{name}: {'rejected: remove it from UNSEEN' if name in UNSEEN else 'accepted in its structure'}"
