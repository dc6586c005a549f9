"""The weekly bookkeeping's shortcuts (docs/scaling.md, per-step overhead) compute what the plain definitions do.

Each shortcut is checked against the definition written out the slow way, and each cache against a model
whose cached inputs change mid-run (a leader appointed, the network replaced, a parameter amended).
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim import ConsultationModel
from consultsim.core.observables import covering_leaders, mantel_haenszel


def _mh_by_definition(att, high, low, strata):
    """Mantel-Haenszel numerator and denominator, one stratum at a time: sum a d / n, sum b c / n."""
    num = den = 0.0
    for s in sorted(set(strata.tolist())):
        k = strata == s
        a, b = np.sum(att & high & k), np.sum(~att & high & k)
        c, d = np.sum(att & low & k), np.sum(~att & low & k)
        n = a + b + c + d
        if n:
            num += a * d / n
            den += b * c / n
    return num, den


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.booleans(), st.booleans(), st.booleans(), st.integers(-3, 9)), max_size=80),
       as_float=st.booleans())
def test_mantel_haenszel_equals_its_definition_for_any_strata(rows, as_float):
    att, high, low, strata = (np.array(x) for x in zip(*rows)) if rows else (np.zeros(0, bool),) * 3 + (
        np.zeros(0, int),)
    if as_float:
        strata = strata / 2.0
    num, den = mantel_haenszel(att.astype(bool), high.astype(bool), low.astype(bool), strata)
    want = _mh_by_definition(att.astype(bool), high.astype(bool), low.astype(bool), strata)
    assert np.isclose(num, want[0], rtol=1e-12, atol=0) and np.isclose(den, want[1], rtol=1e-12, atol=0)


def _fresh(m, scope):
    return covering_leaders(scope, m.res.leader, m.adj)


def test_leaders_listing_each_household_follow_a_new_leader_and_a_new_network():
    """The count of leaders listing each household is kept for the community and every building at once;
    appointing a building leader mid-run (through the Mesa agent) or replacing the network must show in the
    next meeting's records."""
    m = ConsultationModel(rng=4, n_residents=400, n_buildings=4)
    scopes = [(m.everyone, None), *((s, b) for b, s in enumerate(m.building_members))]
    for week in range(30):
        m.step()
        if week == 10:  # a household with neighbours but no leader among them becomes one
            k = covering_leaders(m.everyone, m.res.leader, m.adj)
            i = int(np.flatnonzero((k == 0) & ~m.res.leader & (m.degree > 0))[0])
            m.residents.select(lambda a, i=i: a.index == i)[0].building_leader = True
            assert m.res.leader[i]
        if week == 20:  # another network on the same households
            from consultsim.core.network import adjacency
            rng = np.random.default_rng(1)
            m.adj = adjacency(m.res.n, rng.integers(0, m.res.n, size=(800, 2)))
        for scope, building in scopes:
            assert np.array_equal(m._covered_by(scope, building), _fresh(m, scope))
    assert m.counts["meetings"] > 0


def test_records_with_the_kept_counts_equal_records_counted_afresh_when_leaders_change(monkeypatch):
    """A run whose leaders change twice gives the same topic records (invitation odds ratios included) as the
    same run counting the leaders' lists afresh at every meeting."""
    def run():
        m = ConsultationModel(rng=2, n_residents=300, n_buildings=3)
        rng = np.random.default_rng(3)
        for week in range(70):
            if week in (15, 40):  # new building leaders (楼门长) appointed
                m.res.leader[rng.choice(m.res.n, 30, replace=False)] = True
            m.step()
        return m.topic_records()

    kept = run()
    monkeypatch.setattr(ConsultationModel, "_covered_by", lambda self, scope, building: _fresh(self, scope))
    fresh = run()
    assert kept["or_invited_num"].notna().sum() > 3
    assert kept.equals(fresh)


def test_the_data_collector_stores_numbers_as_they_are_and_copies_anything_mutable():
    """The model's DataCollector skips Mesa's deep copy only for plain numbers: an array a user's reporter
    returns is still copied (later weeks do not rewrite earlier rows), and other kinds of reporter (an
    attribute's name) still work as in Mesa."""
    m = ConsultationModel(rng=5, n_residents=200, n_buildings=2)
    dc = m.datacollector
    dc._new_model_reporter("capacity_now", lambda model: model.res.capacity)  # the live array, not a copy
    for _ in range(20):
        m.step()
    rows = dc.model_vars["capacity_now"]
    assert len(rows) == 20 and not any(r is m.res.capacity for r in rows)
    assert not np.array_equal(rows[0], rows[-1])  # capacity moved between weeks; each row kept its week's values
    assert np.array_equal(rows[-1], m.res.capacity)
    assert len(dc.model_vars["meetings_held"]) == 21 and dc.model_vars["meetings_held"][-1] == m.counts["meetings"]
    assert all(type(v) is float for v in dc.model_vars["mean_capacity"])

    m = ConsultationModel(rng=5, n_residents=200, n_buildings=2)
    m.datacollector._new_model_reporter("week_attr", "week")
    for _ in range(5):
        m.step()
    assert m.datacollector.model_vars["week_attr"] == [1, 2, 3, 4, 5]


def test_concern_rates_follow_parameters_changed_mid_run():
    """The weekly rates of new concerns are kept between weeks; a run whose parameters change (amend, as a
    district's street office does between years, or a new Params set directly, as the app does) uses the new
    rates from the next week: with no concerns and no committee tasks left, nothing new is proposed."""
    m = ConsultationModel(rng=6, n_residents=400, n_buildings=4, repropose_rate=0.0, concern_rate=3.0)
    before = np.array(m._weekly_rates)
    for _ in range(20):
        m.step()
    assert len(m.topics) > 0
    m.amend(concern_rate=1.5)
    after = np.array(m._weekly_rates)
    assert np.allclose(after[:-1], before[:-1] / 2) and after[-1] == before[-1]
    m.params = m.params.replace(concern_rate=0.0, committee_topics_per_year=0.0)
    n = len(m.topics)
    for _ in range(30):
        m.step()
    assert len(m.topics) == n and not any(m._weekly_rates)


@settings(max_examples=50, deadline=None)
@given(rates=st.lists(st.floats(0, 30), min_size=1, max_size=8), seed=st.integers(0, 2**32))
def test_poisson_draws_one_rate_at_a_time_equal_the_array_draw(rates, seed):
    """raise_issues draws each rate's new concerns in turn; numpy draws an array of rates element by element,
    so the counts and the generator's state afterwards are the same (what keeps a seed's results)."""
    a, b = np.random.default_rng(seed), np.random.default_rng(seed)
    assert a.poisson(np.array(rates)).tolist() == [b.poisson(r) for r in rates]
    assert a.random() == b.random()


def test_kept_gini_equals_a_fresh_one_every_week():
    """participation_gini is kept until someone attends again; at every week it equals the Gini counted afresh
    from the households' meetings attended (and the shares and means are numpy's own mean, the recent
    participants per age group a count of the selected households)."""
    from consultsim.core import metrics

    m = ConsultationModel(rng=8, n_residents=500, n_buildings=5)
    changed = 0
    for _ in range(80):
        before = metrics.participation_gini(m)
        m.step()
        assert metrics.participation_gini(m) == metrics._gini(m)
        changed += metrics.participation_gini(m) != before
        assert metrics.attendance_rate(m) == float(m.attending_now.mean())
        assert metrics.mean_trust_committee(m) == float(m.res.trust_committee.mean())
        want = np.bincount(m.res.age_group[metrics._recent(m)], minlength=3)
        assert np.array_equal(metrics._recent_by_age(m), want)
    assert changed > 3


@settings(max_examples=100, deadline=None)
@given(xs=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=3000))
def test_metric_mean_is_numpys_mean(xs):
    from consultsim.core.metrics import _mean

    x = np.array(xs)
    assert _mean(x) == float(x.mean())


def test_positions_in_a_community_wide_scope_are_the_households_indices():
    """Scope positions of a community-wide topic are taken as the households' own indices; they equal a
    search of the scope (every household, in order), for any households."""
    m = ConsultationModel(rng=9, n_residents=300, n_buildings=3)
    while not any(t.scope is m.everyone for t in m.topics):
        m.step()
    t = next(t for t in m.topics if t.scope is m.everyone)
    idx = np.sort(np.random.default_rng(0).choice(m.res.n, 120, replace=False))
    pos, inscope = m._positions(t, idx)
    want = np.minimum(np.searchsorted(t.scope, idx), len(t.scope) - 1)
    assert np.array_equal(pos, want) and np.array_equal(inscope, t.scope[want] == idx) and inscope.all()
