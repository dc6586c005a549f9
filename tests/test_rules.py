"""Institutions as declared rules (issue 16 part 5; ODD §7.5): the procedure's gates and decision rules
live in one table (consultsim.core.rules) that a scenario's [rules] section changes."""

from __future__ import annotations

import numpy as np
import pytest

from consultsim import ConsultationModel
from consultsim.core import rules
from consultsim.core.params import PARAM_INFO, Params
from consultsim.running.scenarios import ScenarioError, load_scenario


def test_every_rule_is_a_full_adico_statement_with_existing_parameters():
    for name, s in rules.RULES.items():
        assert s.name == name and s.attribute and s.deontic in ("must", "may", "must not")
        assert s.aim and s.condition and s.or_else and s.source
        assert set(s.params) <= set(PARAM_INFO)
    assert len(rules.describe()) == len(rules.RULES)
    # every topic type's decision rule is declared, and only the declared rules are allowed
    for p in rules.RULES["decision_rule"].params:
        assert PARAM_INFO[p].metadata["choices"] == rules.DECISION_RULES


def test_civil_code_owners_thresholds():
    p = Params()
    owners = np.ones(12, bool)
    area = np.full(12, 80.0)
    votes = np.zeros(12, bool)
    votes[:7] = True  # 7 of 12 < 2/3: no valid vote
    assert rules.decide_owners(p, "owners_major", owners, votes, votes, area) == "too few owners voted"
    votes[:8] = True  # 8 of 12 = 2/3 takes part
    yes = np.zeros(12, bool)
    yes[:6] = True  # 6 of 8 = 3/4: enough for a major matter (以上 includes the bound)
    assert rules.decide_owners(p, "owners_major", owners, votes, yes, area) == "approved"
    yes[5] = False  # 5 of 8: more than half but below 3/4
    assert rules.decide_owners(p, "owners_major", owners, votes, yes, area) == "rejected"
    assert rules.decide_owners(p, "owners_ordinary", owners, votes, yes, area) == "approved"
    yes[4] = False  # 4 of 8: exactly half is not "more than half" (过半数)
    assert rules.decide_owners(p, "owners_ordinary", owners, votes, yes, area) == "rejected"
    # area counts too: the same heads with little area fail
    small = np.array([40.0] * 5 + [120.0] * 3 + [40.0] * 4)  # the 5 in favour live in small flats
    yes[4] = True  # 5 of 8 heads, but 200 of 560 m² voting
    assert rules.decide_owners(p, "owners_ordinary", owners, votes, yes, small) == "rejected"


def _fails(**kw):
    m = ConsultationModel(rng=5, n_residents=600, n_buildings=6, concern_rate=3.0, **kw)
    for _ in range(60):
        m.step()
    tr = m.topic_records()
    return m, tr


def test_switching_the_consensus_gate_off_from_a_scenario_file_ends_deadlocks(tmp_path):
    f = tmp_path / "no_gate.toml"
    f.write_text('base = "baseline"\n[community]\nn_residents = 600\nn_buildings = 6\n[topics]\nconcern_rate = 4.0\n'
                 "[rules]\nconsensus_gate = false\n", encoding="utf-8")
    sc = load_scenario(f)
    assert sc.params.consensus_gate is False
    gated = ConsultationModel(sc.with_overrides(consensus_gate=True), rng=5)
    free = ConsultationModel(sc, rng=5)
    for m in (gated, free):
        for _ in range(80):
            m.step()

    def no_consensus(m):
        return sum(e.kind == "no_agreement" and e.fields.get("verdict") == "no consensus" for e in m.events) \
            + sum(t.outcome == "deadlock" for t in m.topics)

    assert no_consensus(gated) > 0
    assert no_consensus(free) == 0  # without the gate no meeting ends for want of agreement


def test_a_topic_types_decision_rule_comes_from_the_table(tmp_path):
    f = tmp_path / "parking_owners.toml"
    f.write_text('base = "baseline"\n[rules]\nrule_parking = "owners_major"\n', encoding="utf-8")
    sc = load_scenario(f)
    m = ConsultationModel(sc.with_overrides(n_residents=600, n_buildings=6, concern_rate=3.0), rng=5)
    for _ in range(60):
        m.step()
    parking = [t for t in m.topics if t.type.name == "parking" and t.meetings]
    assert parking and all(t.type.rule.value == "owners_major" for t in parking)
    # decided by owners' written votes: someone voted on every decided parking topic that passed the gate
    assert any(t.voted.any() for t in parking)
    base = ConsultationModel(rng=5, n_residents=600, n_buildings=6, concern_rate=3.0)
    for _ in range(60):
        base.step()
    assert not any(t.voted.any() for t in base.topics if t.type.name == "parking")


def test_unknown_or_undeclared_rule_gives_one_line(tmp_path):
    f = tmp_path / "bad.toml"
    f.write_text("[rules]\nconsensus_gat = false\n", encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        load_scenario(f)
    msg = str(e.value)
    assert "[rules] consensus_gat: unknown rule parameter (did you mean 'consensus_gate'?)" in msg
    assert "\n" not in msg
    g = tmp_path / "bad2.toml"
    g.write_text('[rules]\nrule_pets = "unanimity"\n', encoding="utf-8")
    with pytest.raises(ScenarioError, match="rule_pets = 'unanimity': expected one of 'majority', "
                                            "'owners_ordinary', 'owners_major'") as e:
        load_scenario(g)
    assert "\n" not in str(e.value)


def test_old_files_with_the_thresholds_under_deliberation_still_load(tmp_path):
    f = tmp_path / "old.toml"
    f.write_text("[deliberation]\nowners_turnout = 0.5\n", encoding="utf-8")
    assert load_scenario(f).params.owners_turnout == 0.5
