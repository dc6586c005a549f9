"""The actors a district has (issue 18 part 2; ODD §7.10): the owners' committee (业委会), the street
office's yearly 接诉即办 step and the social-work station (社工站) whose staff the communities share."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from consultsim.cli import main
from consultsim.core.agents import NeighbourhoodCommittee, OwnersCommittee
from consultsim.core.model import ConsultationModel
from consultsim.core.params import Params
from consultsim.running.district_runs import (
    rank_pressure,
    read_results,
    run_district,
    split_station,
    with_station,
)
from consultsim.running.districts import (
    Community,
    District,
    DistrictError,
    Station,
    StreetOffice,
    load_district,
    load_types,
    owners_committee_draw,
)
from consultsim.running.runner import simulate

TYPES = load_types()


# --- the owners' committee in the core --------------------------------------------------------------------
def test_an_owners_committee_exists_only_where_the_community_has_one():
    assert ConsultationModel(rng=1, n_residents=200, n_buildings=4).owners_committee is None
    m = ConsultationModel(rng=1, n_residents=200, n_buildings=4, owners_committee=True, oc_members=7,
                          oc_member_hours=3.0)
    assert isinstance(m.owners_committee, OwnersCommittee)
    assert m.owners_committee.canvass_hours() == pytest.approx(21.0)
    # rule vote_convener: where the residents' committee convenes, the owners' committee collects nothing
    m.amend(vote_convener="residents_committee")
    assert m.owners_committee.canvass_hours() == 0.0


def _owners_votes(**kw):
    """A community where owners' votes are frequent and the residents' committee has few hours."""
    m = ConsultationModel(rng=4, n_residents=400, n_buildings=8, concern_rate=8.0, rule_parking="owners_ordinary",
                          rule_pets="owners_ordinary", committee_admin_share=0.98, **kw)
    for _ in range(60):
        m.step()
    return m


def test_owners_committee_members_collect_votes_and_more_owners_vote():
    without, with_oc = _owners_votes(), _owners_votes(owners_committee=True, oc_member_hours=4.0)
    assert without.counts["oc_vote_hours"] == 0
    assert with_oc.counts["oc_vote_hours"] > 0
    voted = [sum(int(t.voted.sum()) for t in m.topics) for m in (without, with_oc)]
    assert voted[1] > voted[0]  # the vote records (owners_voted) see the extra collectors


def test_owners_committee_presses_the_property_manager_on_works_it_owes():
    m = ConsultationModel(rng=2, n_residents=200, n_buildings=4, owners_committee=True, oc_negotiation_effect=0.3)
    m.step()
    pm_work = next(tt for tt in m.catalog.values() if tt.implementer == "property_manager")
    own_work = next(tt for tt in m.catalog.values() if tt.implementer == "committee")

    class T:  # the fields _base_effort reads
        def __init__(self, tt):
            self.type, self.building = tt, 0

    base = m.property_managers[0].effort(T(pm_work))
    assert m._base_effort(T(pm_work)) == pytest.approx(base * 1.3)
    m.amend(oc_negotiation_effect=0.0)
    assert m._base_effort(T(pm_work)) == pytest.approx(base)
    # the committee's own works are not the property manager's: no owners' committee factor
    m.amend(oc_negotiation_effect=0.3)
    assert m._base_effort(T(own_work)) == pytest.approx(m.committee.effort(T(own_work)) * m._followup_share)


@given(pressure=st.floats(0, 1), size=st.floats(0, 2))
@settings(max_examples=25, deadline=None)
def test_hotline_pressure_raises_the_committees_effort_by_the_declared_factor(pressure, size):
    m = ConsultationModel(rng=1, n_residents=150, n_buildings=3)
    tt = next(tt for tt in m.catalog.values() if tt.implementer == "committee")
    before = NeighbourhoodCommittee.effort(m.committee, type("T", (), {"type": tt})())
    m.amend(street_pressure=pressure, pressure_responsiveness=size)
    after = m.committee.effort(type("T", (), {"type": tt})())
    assert after == pytest.approx(before * (1 + size * pressure))
    assert after >= before


def test_a_schedule_changes_nothing_before_its_week():
    kw = dict(seed=11, overrides={"n_residents": 300, "n_buildings": 6, "n_property_managers": 0,
                                  "concern_rate": 6.0})
    plain = simulate(None, steps=60, **kw).timeseries
    changed = simulate(None, steps=60, schedule={52: {"street_pressure": 1.0, "social_workers": 2}}, **kw).timeseries
    pd.testing.assert_frame_equal(plain[plain.step <= 52], changed[changed.step <= 52])
    assert not plain[plain.step > 52].equals(changed[changed.step > 52])


# --- district files -----------------------------------------------------------------------------------------
def test_type_shares_decide_which_communities_have_an_owners_committee():
    assert TYPES["hutong"].owners_committee == 0.0
    assert 0 < TYPES["danwei"].owners_committee < TYPES["commercial"].owners_committee <= 1
    draws = [owners_committee_draw(7, i, 0.3) for i in range(4000)]
    assert abs(np.mean(draws) - 0.3) < 0.03
    assert draws == [owners_committee_draw(7, i, 0.3) for i in range(4000)]  # from the seed
    assert not any(owners_committee_draw(7, i, 0.0) for i in range(50))
    assert all(owners_committee_draw(7, i, 1.0) for i in range(50))
    d = load_district("districts/district.toml")
    has = pd.Series({c.type: 0 for c in d.communities}) + pd.Series(
        [c.owners_committee for c in d.communities], index=[c.type for c in d.communities]).groupby(level=0).sum()
    assert has["hutong"] == 0 and has["commercial"] > has["danwei"]
    assert all(c.values(d.types)["owners_committee"] == c.owners_committee for c in d.communities)


def _write(tmp_path, extra: str, type_oc: str | None = None):
    tdir = tmp_path / "types"
    tdir.mkdir(exist_ok=True)
    for name, t in TYPES.items():
        text = t.path.read_text(encoding="utf-8")
        if type_oc is not None and name == "commercial":
            import re
            text = re.sub(r"^owners_committee = .*$", f"owners_committee = {type_oc}", text, flags=re.M)
        (tdir / f"{name}.toml").write_text(text, encoding="utf-8")
    f = tmp_path / "d.toml"
    f.write_text(f'name = "d"\nseed = 1\ntypes = "types"\n[[community]]\nname = "a"\ntype = "commercial"\n'
                 f'households = 300\n[[community]]\nname = "b"\ntype = "danwei"\nhouseholds = 200\n{extra}',
                 encoding="utf-8")
    return f


@pytest.mark.parametrize("extra, type_oc, words", [
    ('[station]\nstaff = 2\nsplit = "by_need"\n', None, ("split", "equal or households or need")),
    ('[station]\nstaff = -1\n', None, ("staff",)),
    ('[station]\nstaff = 2\nhours = 90\n', None, ("hours",)),
    ('[station]\nstaff = 2\nstreets = 5\n', None, ("streets",)),
    ('[station]\nstaf = 2\n', None, ("did you mean 'staff'",)),
    ('[street_office]\npressure = "yes"\n', None, ("pressure", "true or false")),
    ('[street_office]\npresure = true\n', None, ("did you mean 'pressure'",)),
    ("", "1.5", ("owners_committee", "a share from 0 to 1")),
])
def test_bad_actor_fields_give_one_line_in_english_and_chinese(tmp_path, extra, type_oc, words):
    f = _write(tmp_path, extra, type_oc)
    with pytest.raises(DistrictError) as e:
        load_district(f)
    for w in words:
        assert w in str(e.value)
    assert "\n" not in str(e.value) and "\n" not in e.value.zh
    assert any("\u4e00" <= ch <= "\u9fff" for ch in e.value.zh)


def test_bad_station_through_the_command_one_line_in_chinese_nothing_written(tmp_path, capsys):
    f = _write(tmp_path, '[station]\nstaff = 2\nsplit = "by_need"\n')
    out = tmp_path / "out"
    assert main(["district", "run", str(f), "--out", str(out), "--lang", "zh", "--no-progress"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "split" in err and "之一" in err
    assert not out.exists()


# --- the station's split and the street office's ranking ---------------------------------------------------
@given(hh=st.lists(st.integers(50, 9000), min_size=1, max_size=30), staff=st.floats(0, 20),
       streets=st.integers(1, 5), split=st.sampled_from(["equal", "households", "need"]),
       need=st.lists(st.integers(0, 50), min_size=30, max_size=30))
@settings(max_examples=60, deadline=None)
def test_a_station_gives_out_exactly_its_staff_hours_in_each_street(hh, staff, streets, split, need):
    streets = min(streets, len(hh))
    s = Station(staff, 40.0, split, streets)
    need = np.array(need[: len(hh)], dtype=float)
    got = split_station(s, hh, need)
    assert (got >= 0).all()
    for idx in np.array_split(np.arange(len(hh)), streets):
        assert got[idx].sum() == pytest.approx(staff * 40.0)
        w = {"equal": np.ones(len(idx)), "households": np.array(hh, float)[idx],
             "need": need[idx] if need[idx].sum() > 0 else np.array(hh, float)[idx]}[split]
        assert got[idx] == pytest.approx(staff * 40.0 * w / w.sum())
    # the first year has no 12345 log yet: by need means by households
    if split == "need":
        assert split_station(s, hh, None) == pytest.approx(split_station(dataclasses.replace(s, split="households"), hh))


@given(own=st.integers(0, 5), own_hours=st.floats(0, 60), station=st.floats(0, 400))
@settings(max_examples=60, deadline=None)
def test_station_hours_add_to_a_communitys_own_social_workers(own, own_hours, station):
    got = with_station({"social_workers": own, "social_worker_hours": own_hours}, station)
    total = got["social_workers"] * got.get("social_worker_hours", 0.0)
    assert total == pytest.approx(own * own_hours + station)
    assert got.get("social_worker_hours", 0.0) <= 40.0 + 1e-9
    Params(**got)  # valid parameters


@given(st.lists(st.floats(0, 100), min_size=2, max_size=40))
def test_pressure_follows_the_rank_of_complaints_per_household(x):
    p = rank_pressure(x)
    x = np.array(x)
    assert ((p >= 0) & (p <= 1)).all()
    assert (p[x == x.min()] == 0).all()
    for i in range(len(x)):  # more complaints per household never means less pressure
        assert (p[x > x[i]] >= p[i]).all()
    if (x == x.max()).sum() == 1:
        assert p[x.argmax()] == 1


def _tiny(steps=60, split="need", pressure=True) -> District:
    cs = tuple(Community(f"c-{t}", t, 200, max(1, round(200 / TYPES[t].households_per_building)), {}, i,
                         t == "commercial") for i, t in enumerate(sorted(TYPES)))
    return District("tiny", cs, TYPES, 5, 0.0, steps, street_office=StreetOffice(pressure),
                    station=Station(2.0, split=split))


def test_the_street_office_ranks_last_years_12345_log_and_the_final_runs_agree_with_it(tmp_path):
    d = _tiny()
    run_district(d, tmp_path / "o", executor="serial", collect_every=4, progress=False)
    office = pd.read_parquet(tmp_path / "o" / "street_office.parquet")
    rows = read_results(tmp_path / "o")
    assert len(office) == 4 and set(office["year"]) == {0}
    # the assessment replays the first year: the final runs' own 12345 log shows the same complaints
    for _, r in office.iterrows():
        c = rows[rows.community == r["community"]].set_index("step")["complaints"]
        assert c.loc[52] - c.loc[0] == r["complaints"]
    # next year's pressure is the community's rank among the others by complaints per household
    per = office.set_index("community")["complaints"] / office.set_index("community")["households"]
    p = office.set_index("community")["pressure_next_year"]
    for a in per.index:
        assert p[a] == pytest.approx((per < per[a]).sum() / (len(per) - 1))
    # and the final runs carry it from week 53, with the station's hours split by need
    year2 = rows[rows.step > 52].groupby("community")[["street_pressure", "station_hours"]].first()
    assert year2["street_pressure"].to_dict() == pytest.approx(p.to_dict())
    need = office.set_index("community")["complaints"]
    if need.sum() > 0:
        assert year2["station_hours"].to_dict() == pytest.approx((80.0 * need / need.sum()).to_dict())
    year1 = rows[(rows.step > 0) & (rows.step <= 52)]
    assert (year1["street_pressure"] == 0).all()
    assert year1.groupby("community")["station_hours"].first().sum() == pytest.approx(80.0)
    assert rows.groupby("community")["owners_committee"].first().to_dict() == {
        c.name: c.owners_committee for c in d.communities}


def test_resume_reuses_the_street_offices_assessments(tmp_path):
    d = _tiny()
    run_district(d, tmp_path / "o", executor="serial", collect_every=4, progress=False)
    before = read_results(tmp_path / "o").drop(columns="seconds").sort_values(["community", "step"])
    office = (tmp_path / "o" / "street_office.parquet").stat().st_mtime_ns
    for part in (tmp_path / "o" / "parts").glob("part-*.parquet"):
        part.unlink()  # as if killed after the street office's assessment, before the final runs
    run_district(d, tmp_path / "o", executor="serial", collect_every=4, progress=False, resume=True)
    after = read_results(tmp_path / "o").drop(columns="seconds").sort_values(["community", "step"])
    pd.testing.assert_frame_equal(before.reset_index(drop=True), after.reset_index(drop=True))
    assert (tmp_path / "o" / "street_office.parquet").stat().st_mtime_ns == office  # not recomputed


def test_without_a_yearly_step_no_assessment_runs_and_the_station_split_stays(tmp_path):
    d = _tiny(split="households", pressure=False)
    assert not d.yearly
    run_district(d, tmp_path / "o", executor="serial", collect_every=4, progress=False)
    assert not (tmp_path / "o" / "street_office.parquet").exists()
    rows = read_results(tmp_path / "o")
    assert (rows["street_pressure"] == 0).all()
    assert rows.groupby("community")["station_hours"].nunique().max() == 1


# --- the street office funds an allocation ------------------------------------------------------------------
def _street(tmp_path, budget=400_000):
    f = tmp_path / "s.toml"
    rows = "".join(f'[[community]]\nname="c{i}"\ntype="{t}"\nhouseholds={150 + 50 * i}\n'
                   for i, t in enumerate(["danwei", "commercial", "hutong"]))
    f.write_text(f'name="s"\nseed=3\nbudget={budget}\nsteps=6\n{rows}', encoding="utf-8")
    return f


@pytest.mark.slow
def test_district_run_funds_the_allocated_bundles(tmp_path):
    f = _street(tmp_path)
    alloc = tmp_path / "allocation.csv"
    alloc.write_text("community,type,households,bundle,cost\nc0,x,150,social_worker,60000\nc1,x,200,none,0\n"
                     "c2,x,250,supervision,90000\n", encoding="utf-8")
    from consultsim.cli.commands.district import _funded  # what `district run --allocation` runs

    d = load_district(f)
    run_district(d, tmp_path / "plain", collect_every=1, executor="serial", progress=False)
    run_district(d, tmp_path / "funded", packages=[_funded(str(alloc), d)], collect_every=1, executor="serial",
                 progress=False)
    plain = read_results(tmp_path / "plain").drop(columns=["seconds", "package"]).set_index(["community", "step"])
    funded = read_results(tmp_path / "funded")
    assert set(funded["package"]) == {"allocation"}
    funded = funded.drop(columns=["seconds", "package"]).set_index(["community", "step"])
    # the same seeds: a community given nothing runs exactly as without the allocation; one given social
    # workers does not (communities are independent here: no street office or station in this file)
    pd.testing.assert_frame_equal(plain.loc["c1"], funded.loc["c1"])
    assert not plain.loc["c0"].equals(funded.loc["c0"])


@pytest.mark.parametrize("csv, words", [
    ("community,bundle,cost\nc0,none,0\nc1,none,0\nc2,full,500000\n", ("more than the street office's budget",)),
    ("community,bundle,cost\nc0,none,0\nc1,none,0\n", ("have no row", "'c2'")),
    ("community,bundle,cost\nc0,none,0\nc1,none,0\nc2,none,0\nc9,none,0\n", ("'c9' is not in",)),
    ("community,bundle,cost\nc0,none,0\nc1,none,0\nc2,gold,0\n", ("unknown bundle 'gold'",)),
    ("community,bundle\nc0,none\n", ("no column cost",)),
    ("community,bundle,cost\nc0,none,-5\nc1,none,0\nc2,none,0\n", ("not a non-negative number",)),
])
def test_a_bad_allocation_is_one_line_in_english_and_chinese(tmp_path, capsys, csv, words):
    f = _street(tmp_path)
    alloc = tmp_path / "a.csv"
    alloc.write_text(csv, encoding="utf-8")
    for lang in ("en", "zh"):
        out = tmp_path / f"out-{lang}"
        assert main(["district", "run", str(f), "--out", str(out), "--allocation", str(alloc), "--lang", lang,
                     "--no-progress", "--executor", "serial"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "--allocation" in err
        if lang == "en":
            assert all(w in err for w in words), err
        else:
            assert any("\u4e00" <= ch <= "\u9fff" for ch in err.split("：", 1)[-1])
        assert not (out / "parts").exists()
