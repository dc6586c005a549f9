"""The model's public interface: agents, reporters, topic table, external networks, batch_run."""

from __future__ import annotations

import math

import mesa
import networkx as nx
import numpy as np
import pytest

from consultsim import ConsultationModel, ScenarioError
from consultsim.core.agents import NeighbourhoodCommittee, PropertyManager, Resident, SocialWorker
from consultsim.core.metric_names import METRICS
from consultsim.core.topics import TRANSITIONS, IllegalTransition, Stage


def run(steps=30, **kw):
    kw.setdefault("n_residents", 300)
    kw.setdefault("n_buildings", 5)
    m = ConsultationModel(rng=kw.pop("rng", 1), **kw)
    for _ in range(steps):
        m.step()
    return m


def test_agents_of_four_types_and_read_through():
    m = run(steps=0, social_workers=2, n_property_managers=1)
    types = m.agents_by_type
    assert len(types[Resident]) == 300
    assert len(types[NeighbourhoodCommittee]) == 1
    assert len(types[PropertyManager]) == 1
    assert len(types[SocialWorker]) == 2
    # a Resident is a view: writing through the agent changes the array and back
    r = next(iter(types[Resident]))
    r.civic = 0.91
    assert m.res.civic[r.index] == pytest.approx(0.91)
    m.res.trust_committee[r.index] = 0.12
    assert r.trust_committee == pytest.approx(0.12)
    # Mesa tools see them
    mean_civic = np.mean(types[Resident].get("civic"))
    assert mean_civic == pytest.approx(m.res.civic.mean())


def test_social_workers_follow_the_lever_mid_run():
    m = run(steps=3)
    m.params = m.params.replace(social_workers=3)
    m.step()
    assert len(m.social_workers) == len(m.agents_by_type[SocialWorker]) == 3
    m.params = m.params.replace(social_workers=1, social_worker_hours=10)
    m.step()
    assert len(m.agents_by_type[SocialWorker]) == 1 and m.social_workers[0].hours == 10


def test_one_reporter_column_per_spec_metric_each_step():
    m = run(steps=12)
    df = m.datacollector.get_model_vars_dataframe()
    assert list(df.columns) == list(METRICS)
    assert len(df) == 13  # initial state + 12 weeks
    ts = m.timeseries()
    assert list(ts.columns) == ["step", *METRICS] and ts["step"].tolist() == list(range(13))


def test_topic_records_one_row_per_topic_with_legal_histories():
    m = run(steps=104)
    tr = m.topic_records()
    assert len(tr) == len(m.topics) > 0
    for col in ("id", "type", "scope", "origin", "step_proposed", "step_agenda", "step_decided",
                "step_implemented", "outcome", "attendees", "support", "consensus"):
        assert col in tr.columns
    for t in m.topics:
        stages = [s for _, s in t.history]
        assert stages[0] is Stage.PROPOSED
        for a, b in zip(stages, stages[1:]):
            assert b in TRANSITIONS[a], f"{a} -> {b}"
        steps = [w for w, _ in t.history]
        assert steps == sorted(steps)


def test_illegal_transitions_are_impossible():
    m = run(steps=0)
    from consultsim.core.topics import CATALOG, Topic
    t = Topic(0, CATALOG["parking"], "resident", m.everyone, np.zeros(m.res.n), 0)
    with pytest.raises(IllegalTransition):
        t.advance(Stage.DECIDED, 1)
    with pytest.raises(AttributeError):
        t.stage = Stage.DECIDED  # no way round advance()
    t.advance(Stage.ON_AGENDA, 1)
    with pytest.raises(IllegalTransition):
        t.advance(Stage.PROPOSED, 2)


def test_events_are_plain_language():
    m = run(steps=104)
    assert m.events
    for e in m.events:
        assert e.text.startswith(f"Week {e.week}: ") and e.text.endswith(".") and "{" not in e.text


def test_current_topic_opinions():
    m = run(steps=104)
    assert m.current_topic is not None
    ops = m.current_opinions()
    assert np.isfinite(ops[m.current_topic.scope]).all()
    assert ((ops[np.isfinite(ops)] >= 0) & (ops[np.isfinite(ops)] <= 1)).all()
    r = m.agents_by_type[Resident].select(lambda a: a.index == int(m.current_topic.scope[0]))
    assert not math.isnan(next(iter(r)).opinion)


def test_seed_keyword_is_an_alias_for_rng():
    a, b = ConsultationModel(rng=4, n_residents=100), ConsultationModel(seed=4, n_residents=100)
    assert a.seed == b.seed == 4 and np.array_equal(a.edges, b.edges)
    with pytest.raises(ScenarioError, match="not both"):
        ConsultationModel(rng=1, seed=2)
    with pytest.raises(ScenarioError, match="rng = -3"):
        ConsultationModel(rng=-3)


def test_overrides_and_unknown_names():
    m = ConsultationModel(rng=1, n_residents=120, supervision=0.4, online_channel=True)
    assert m.params.n_residents == 120 and m.params.supervision == 0.4 and m.params.online_channel
    with pytest.raises(ScenarioError, match="supervison"):
        ConsultationModel(rng=1, supervison=0.4)


def test_given_network_replaces_the_generated_one():
    """The model takes ties (a Graph or an edge array); it reads no files (running/network_files.py does)."""
    g = nx.connected_watts_strogatz_graph(150, 6, 0.1, seed=3)
    for net in (g, np.array(g.edges())):
        m = ConsultationModel(rng=2, n_residents=150, n_buildings=5, network=net)
        assert m.res.n == 150 and m.graph.number_of_edges() == g.number_of_edges()
        assert nx.is_isomorphic(m.graph, g)
        for _ in range(20):
            m.step()
    with pytest.raises(ScenarioError, match="households 0..99"):
        ConsultationModel(rng=2, n_residents=100, network=g)
    with pytest.raises(ScenarioError, match="does not read files"):
        ConsultationModel(rng=2, network_file="net.edges")


def test_generated_network_structure():
    """Dense ties within buildings, age homophily, a few long-range ties."""
    m = ConsultationModel(rng=5, n_residents=2000, n_buildings=20)
    e = m.edges
    same_building = (m.res.building[e[:, 0]] == m.res.building[e[:, 1]]).mean()
    same_age = (m.res.age_group[e[:, 0]] == m.res.age_group[e[:, 1]]).mean()
    shares = np.bincount(m.res.age_group) / m.res.n
    assert same_building > 0.8
    assert 0 < 1 - same_building
    assert same_age > (shares ** 2).sum() + 0.2  # well above random mixing
    assert 5 < 2 * len(e) / m.res.n < 20


def test_mesa_batch_run():
    rows = mesa.batch_run(ConsultationModel, parameters={"n_residents": 150, "n_buildings": 3,
                                                          "supervision": [0.0, 1.0], "rng": [1, 2]},
                          max_steps=8, number_processes=1, display_progress=False)
    assert len(rows) == 4
    assert {r["supervision"] for r in rows} == {0.0, 1.0}
    assert all(r["Step"] == 8 for r in rows)
    assert all(set(METRICS) <= set(r) for r in rows)


def test_tiny_community_runs():
    m = run(steps=52, n_residents=10, n_buildings=20)  # more buildings than households
    assert m.res.n == 10
