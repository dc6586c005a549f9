"""Districts: community types, district files, runs (resumable, same table on every executor), allocation."""

from __future__ import annotations

import itertools
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from consultsim.cli import main
from consultsim.core.model import ConsultationModel
from consultsim.core.network import _unique_pairs
from consultsim.core.params import PARAM_INFO, ParamError, Params
from consultsim.running.district_runs import Package, read_results, run_district
from consultsim.running.districts import (
    DISTRICT_DIR,
    Community,
    District,
    DistrictError,
    load_district,
    load_types,
    resolve_district,
)

TYPES = load_types()


def tiny(types=TYPES, households=120, seed=5) -> District:
    """One small community of every shipped type."""
    cs = tuple(Community(f"c-{t}", t, households, max(1, round(households / TYPES[t].households_per_building)), {}, i)
               for i, t in enumerate(sorted(types)))
    return District("tiny", cs, TYPES, seed, 0.0, 3)


def test_four_shipped_types_with_a_source_for_every_value():
    assert {"danwei", "commercial", "resettlement", "hutong"} <= set(TYPES)
    for t in TYPES.values():
        assert t.name_zh and t.description and t.description_zh
        Params(**t.overrides)  # valid together
        # every parameter line carries a comment naming its source or "assumption"
        section = None
        for line in t.path.read_text(encoding="utf-8").splitlines():
            if line.startswith("["):
                section = line.strip("[] ")
            elif section and section != "type" and re.match(r"^\w+\s*=", line):
                assert "#" in line, f"{t.path.name}: {line}"
    hutong = TYPES["hutong"].overrides
    assert hutong["n_property_managers"] == 0 and hutong["floors"] == 1
    assert hutong["elevator_rate_per_year"] == 0 and hutong["property_fee_rate_per_year"] == 0
    assert TYPES["commercial"].overrides["floors"] > TYPES["danwei"].overrides["floors"]


def test_shipped_districts_load_deterministically():
    street = resolve_district("street")
    assert 15 <= len(street.communities) <= 30 and street.budget > 0
    district = resolve_district("district")
    assert len(district.communities) == 200
    assert 0.95e6 <= district.households <= 1.05e6
    again = load_district(DISTRICT_DIR / "district.toml")
    assert again.communities == district.communities
    assert {c.type for c in district.communities} == set(TYPES)


@pytest.mark.parametrize("body, needle_en, needle_zh", [
    ('[[community]]\nname="a"\ntype="danwie"\nhouseholds=500\n', "unknown type 'danwie'", "未知的社区类型"),
    ('[[community]]\nname="a"\ntype="danwei"\nhouseholds=20\n', "out of range", "超出范围"),
    ('[[community]]\nname="a"\ntype="danwei"\nhouseholds=500\n[[community]]\nname="a"\ntype="hutong"\n'
     'households=500\n', "used twice", "重复"),
    ('budget = 300\n[[community]]\nname="a"\ntype="danwei"\nhouseholds=500\n', "万元", "万元"),
    ('bugdet = 3\n[[community]]\nname="a"\ntype="danwei"\nhouseholds=500\n', "unknown key", "未知的键"),
    ('[[community]]\nname="a"\ntype="danwei"\nhouseholds=500\noverrides={n_residents=9}\n', "set by the district",
     "由区域文件"),
    ('[generate]\ncount=3\nmix={danwei=1, nope=2}\n', "unknown type 'nope'", "未知"),
])
def test_bad_district_files_get_one_line_in_en_and_zh_and_write_nothing(tmp_path, capsys, body, needle_en,
                                                                         needle_zh):
    f = tmp_path / "bad.toml"
    f.write_text('name = "bad"\n' + body, encoding="utf-8")
    for lang, needle in (("en", needle_en), ("zh", needle_zh)):
        out = tmp_path / f"out-{lang}"
        assert main(["district", "run", str(f), "--out", str(out), "--lang", lang, "--executor", "serial"]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and needle in err, err
        assert "Traceback" not in err and not out.exists()
    with pytest.raises(DistrictError):
        load_district(f)


def test_every_type_runs_and_a_killed_run_resumes(tmp_path):
    d = tiny()
    a = run_district(d, tmp_path / "a", steps=3, collect_every=1, executor="serial", progress=False)
    assert a.ran == a.runs == len(TYPES)
    full = read_results(tmp_path / "a").sort_values(["community", "step"]).reset_index(drop=True)
    assert set(full["type"]) == set(TYPES) and set(full["step"]) == {0, 1, 2, 3}
    # a kill after two communities: only their rows are on disk; --resume runs the rest, same table
    part = next((tmp_path / "a" / "parts").glob("part-*.parquet"))
    pd.read_parquet(part).query("community in ['c-commercial', 'c-danwei']").to_parquet(part, index=False)
    b = run_district(d, tmp_path / "a", steps=3, collect_every=1, executor="serial", progress=False, resume=True)
    assert b.ran == len(TYPES) - 2
    again = read_results(tmp_path / "a").sort_values(["community", "step"]).reset_index(drop=True)
    cols = [c for c in full.columns if c != "seconds"]
    pd.testing.assert_frame_equal(full[cols], again[cols], check_like=True)
    # other options into the same folder: one line, not a mixture
    with pytest.raises(DistrictError, match="another district"):
        run_district(d, tmp_path / "a", steps=4, executor="serial", progress=False, resume=True)


def test_packages_share_seeds_with_the_reference(tmp_path):
    d = tiny()
    pk = [Package("baseline", {}), Package("sw", {"social_workers": 2})]
    run_district(d, tmp_path / "c", packages=pk, steps=2, collect_every=2, executor="serial", progress=False)
    df = read_results(tmp_path / "c")
    seeds = df.groupby("community")["seed"].nunique()
    assert (seeds == 1).all()  # the same community runs with the same seed under every package


def test_no_property_manager_means_the_committee_does_its_works():
    m = ConsultationModel(rng=3, n_residents=200, n_buildings=5, n_property_managers=0, pm_inclusion=True)
    assert m.property_managers == []
    t = next(tt for tt in m.catalog.values() if tt.implementer == "property_manager")

    class T:  # the two attributes _base_effort reads
        type = t
        building = 0
    assert m._base_effort(T()) == pytest.approx(m.committee.effort(T()))
    for _ in range(30):
        m.step()
    with pytest.raises(ParamError):
        Params(n_property_managers=-1)
    assert PARAM_INFO["n_property_managers"].metadata["lo"] == 0


def test_resident_agents_are_made_on_first_access():
    m = ConsultationModel(rng=1, n_residents=150, n_buildings=3)
    assert not m._residents_built
    m.step()
    assert not m._residents_built  # the weekly schedule never needs them
    assert len(m.residents) == 150 and m._residents_built
    r = next(iter(m.residents))
    r.civic = 0.77
    assert m.res.civic[r.index] == pytest.approx(0.77)
    assert len(m.agents) == 150 + 2 + len(m.property_managers) + len(m.social_workers)  # + committee, oversight board


def test_edge_deduplication_matches_numpy_unique_rows():
    rng = np.random.default_rng(0)
    for n in (1, 2, 7, 300):
        e = rng.integers(0, n, (500, 2))
        s = np.sort(e, axis=1)
        s = s[s[:, 0] != s[:, 1]]
        want = np.unique(s, axis=0) if len(s) else s
        got = _unique_pairs(e, n)
        assert got.shape == want.shape and (got == want).all()


def test_milp_allocation_is_the_best_assignment_within_budget_and_floor():
    from consultsim.analysis.allocation import cheapest_first, equal_split, optimise, worst_first

    rng = np.random.default_rng(4)
    n, k = 4, 3
    value = np.c_[np.zeros(n), rng.uniform(0, 1, (n, k - 1))]
    cost = np.c_[np.zeros(n), rng.uniform(10, 50, (n, k - 1))]
    for budget, floor in ((60.0, 0.0), (100.0, 0.2), (150.0, 0.5), (40.0, 0.5), (1000.0, 0.0)):
        feasible = [value[np.arange(n), list(p)].sum() for p in itertools.product(range(k), repeat=n)
                    if cost[np.arange(n), list(p)].sum() <= budget
                    and (cost[np.arange(n), list(p)] >= floor * budget / n - 1e-9).all()]
        if not feasible:
            with pytest.raises(ValueError):
                optimise(value, cost, budget, floor)
            continue
        a = optimise(value, cost, budget, floor)
        spent = cost[np.arange(n), a]
        assert spent.sum() <= budget + 1e-6 and (spent >= floor * budget / n - 1e-6).all()
        assert value[np.arange(n), a].sum() == pytest.approx(max(feasible))
        for rule in (equal_split(cost, budget, [0, 1, 2]), worst_first(cost, budget, np.arange(n), 2),
                     cheapest_first(cost, budget)):
            assert cost[np.arange(n), rule].sum() <= budget + 1e-6
        assert (cost[np.arange(n), equal_split(cost, budget, [0, 1, 2])] <= budget / n + 1e-9).all()
    # the social-work station's staff caps what every rule and the optimum place
    staff = np.tile([0.0, 0.5, 1.0], (n, 1))
    kw = {"staff": staff, "staff_limit": 1.0}
    for a in (optimise(value, cost, 1000.0, **kw), equal_split(cost, 1000.0, [0, 1, 2], **kw),
              worst_first(cost, 1000.0, np.arange(n), 2, **kw), cheapest_first(cost, 1000.0, **kw)):
        assert staff[np.arange(n), a].sum() <= 1.0 + 1e-9


def test_no_property_manager_levers_are_neither_bought_nor_costed_where_there_is_none():
    from consultsim.analysis.allocation import BUNDLES, bundle_cost, levers_for

    sup = next(b for b in BUNDLES if b.name == "supervision")
    hutong, danwei = Params(**TYPES["hutong"].overrides), Params(**TYPES["danwei"].overrides)
    assert "pm_performance_contract" not in levers_for(hutong, sup)
    assert levers_for(danwei, sup)["pm_performance_contract"] is True
    assert bundle_cost(danwei, sup) - bundle_cost(hutong, sup) == pytest.approx(danwei.cost_pm_contract)


@pytest.mark.slow
def test_serial_process_and_dask_give_the_same_table(tmp_path):
    # with the district's actors (ODD §7.10): an owners' committee, the street office's yearly 接诉即办
    # step and a station splitting by need, over more than a year so the street office acts
    import dataclasses

    from consultsim.running.districts import Station, StreetOffice

    d = tiny(households=200)
    d = dataclasses.replace(d, communities=tuple(dataclasses.replace(c, owners_committee=c.type == "commercial")
                                                 for c in d.communities),
                            street_office=StreetOffice(), station=Station(2.0, split="need"))
    tables, offices = [], []
    for kind in ("serial", "process", "dask"):
        run_district(d, tmp_path / kind, steps=60, collect_every=4, executor=kind, workers=2, progress=False)
        df = read_results(tmp_path / kind).drop(columns=["seconds"])
        tables.append(df.sort_values(["community", "step"]).reset_index(drop=True))
        offices.append(pd.read_parquet(tmp_path / kind / "street_office.parquet")
                       .sort_values("community").reset_index(drop=True))
    pd.testing.assert_frame_equal(tables[0], tables[1])
    pd.testing.assert_frame_equal(tables[0], tables[2])
    pd.testing.assert_frame_equal(offices[0], offices[1])
    pd.testing.assert_frame_equal(offices[0], offices[2])


@pytest.mark.slow
def test_every_shipped_district_runs_through_the_command(tmp_path):
    for name in sorted(p.stem for p in DISTRICT_DIR.glob("*.toml")):
        out = tmp_path / name
        assert main(["district", "run", name, "--steps", "2", "--out", str(out), "--no-progress",
                     "--executor", "process", "--workers", "2"]) == 0
        for f in ("communities.csv", "summary.csv", "by_type.csv", "left_behind.csv", "report.html"):
            assert (out / f).is_file()
        assert len(pd.read_csv(out / "communities.csv")) == len(resolve_district(name).communities)


@pytest.mark.slow
def test_compare_and_allocate_on_a_small_street(tmp_path):
    f = tmp_path / "s.toml"
    rows = "".join(f'[[community]]\nname="c{i}"\ntype="{t}"\nhouseholds={300 + 50 * i}\n'
                   for i, t in enumerate(["danwei", "commercial", "resettlement", "hutong"] * 2))
    f.write_text(f'name="s"\nseed=3\nbudget=400000\n{rows}', encoding="utf-8")
    assert main(["district", "compare", str(f), "social_workers", "--steps", "8", "--out", str(tmp_path / "cmp"),
                 "--executor", "serial", "--no-progress"]) == 0
    eff = pd.read_csv(tmp_path / "cmp" / "effects.csv")
    assert set(eff["package"]) == {"social_workers"}
    out = tmp_path / "alloc"
    assert main(["district", "allocate", str(f), "--steps", "8", "--out", str(out), "--executor", "serial",
                 "--replicates", "2", "--verify-replicates", "2", "--no-progress", "--lang", "zh",
                 "--station-staff", "1.5"]) == 0
    alloc = pd.read_csv(out / "allocation.csv")
    assert len(alloc) == 8 and alloc.iloc[:, 4].sum() <= 400000
    ver = pd.read_csv(out / "verification.csv")
    assert {"none", "optimised_raw", "equal_split", "worst_first", "cheapest_first"} <= set(ver["rule"])
    assert ver["recommended"].sum() == 1  # one recommendation, on the hold-out
    assert (ver["social_workers_fte"] <= 1.5 + 1e-9).all() and (ver["planned"] <= 400000 + 1e-6).all()
    every = pd.read_csv(out / "allocations.csv")
    assert list(every["community"]) == [f"c{i}" for i in range(8)] and set(ver["rule"]) - {"none"} <= set(every)
    sel = pd.read_csv(out / "selection.csv")
    assert sel["finalist"].sum() == 2 and "none" not in set(sel["rule"])
    # the three seed sets are apart: screening, selection and hold-out
    seeds = {k: set(pd.concat([pd.read_parquet(p) for p in (out / k / "parts").glob("*.parquet")])["seed"])
             for k in ("screen", "select", "verify")}
    assert not (seeds["screen"] & seeds["select"]) and not (seeds["select"] & seeds["verify"])
    assert not (seeds["screen"] & seeds["verify"])
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "预算分配" in html and "data:image/png;base64" in html
    # the recommendation's line comes first, above the allocation table
    assert html.index("id='verdict'") < html.index("<table") and "推荐：" in html


def test_shipped_dir_knows_districts():
    assert (DISTRICT_DIR / "types").is_dir() and Path(DISTRICT_DIR / "street.toml").is_file()


def test_allocation_verdict_heads_with_the_recommendation_read_from_the_paired_intervals():
    """The first line names what is recommended, from the hold-out's paired intervals (the rows paired.csv is
    written from, not a second computation): the optimised allocation when it beat the best rule clearly,
    else the rule, saying plainly when the optimised one did worse (do not act on it); for complaints fewer
    is better. The decision and the verdict read the same row."""
    from consultsim.analysis.allocation import decide, paired_intervals
    from consultsim.cli.commands.district_allocate import _verdict

    rng = np.random.default_rng(0)
    base = 20 + rng.normal(0, 3, 8)  # the seeds' common part (common random numbers)
    noise = rng.normal(0, 0.1, (8, 3))

    def pn(opt, rule, other, col="implemented_per_year"):
        w = pd.DataFrame({"optimised_shrunk": base + opt + noise[:, 0], "equal_split": base + rule + noise[:, 1],
                          "cheapest_first": base + other + noise[:, 2]})
        return paired_intervals({col: w}, list(w), "equal_split")

    def verdict(p, objective, lang="en"):
        rec, diff = decide(p, "optimised_shrunk", "equal_split", objective)
        return rec, _verdict(diff, objective, lang, rec, "optimised_shrunk", "equal_split")

    rec, v = verdict(pn(2.0, 0.0, 0.0), "implemented")
    assert rec == "optimised_shrunk" and v.startswith("Recommended: optimised (shrunk gains)") and "+2" in v
    rec, v = verdict(pn(0.0, 0.05, 0.0), "implemented")
    assert rec == "equal_split" and v.startswith("Recommended: equal split, a simple rule") and "not to act" in v
    rec, v = verdict(pn(-2.5, 0.0, 0.0), "implemented")
    assert rec == "equal_split" and "did worse" in v and "do not act" in v
    assert verdict(pn(-2.5, 0.0, 0.0), "implemented", "zh")[1].startswith("推荐：平均分配")
    # complaints: fewer is better, so 2 more calls than the rule is worse and 2 fewer is better
    assert verdict(pn(2.0, 0.0, 0.0, "complaints_per_year"), "complaints")[0] == "equal_split"
    assert verdict(pn(-2.0, 0.0, 0.0, "complaints_per_year"), "complaints")[0] == "optimised_shrunk"
