"""Network files are read outside the model core, detected, validated, and what was assumed is said."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest

from consultsim.core.model import ConsultationModel
from consultsim.running.network_files import read_network_file
from consultsim.running.runner import simulate
from consultsim.running.scenarios import Scenario, ScenarioError


@pytest.fixture
def ring():
    return nx.connected_watts_strogatz_graph(150, 6, 0.1, seed=3)


def test_edge_list_and_graphml_give_the_same_community(tmp_path, ring):
    el = tmp_path / "net.edges"
    nx.write_edgelist(ring, el, data=False)
    gm = tmp_path / "net.graphml"
    nx.write_graphml(ring, gm)
    for path in (el, gm):
        net = read_network_file(path, n_buildings=5, n_residents=2000)
        assert net.n == 150 and len(net.edges) == ring.number_of_edges()
        assert nx.is_isomorphic(nx.Graph(net.edges.tolist()), ring)
        assert "150 households" in net.note and "n_residents 2000 of the scenario replaced by the file's 150" \
            in net.note and "5 buildings" in net.note
        sc = Scenario().with_overrides(network_file=str(path), n_buildings=5)
        res = simulate(sc, seed=2, steps=10)
        assert res.params["n_residents"] == 150
        direct = ConsultationModel(sc.with_overrides(n_residents=150, network_file=""), rng=2, network=ring)
        for _ in range(10):
            direct.step()
        # the file and the same ties given directly are one model (the file is only read elsewhere)
        assert direct.timeseries()["participation_rate"].tolist() == res.timeseries["participation_rate"].tolist()


def test_csv_header_self_loops_repeats_and_ids_from_one_are_stated(tmp_path):
    p = tmp_path / "net.csv"
    rows = ["source,target", "1,2", "2,3", "3,3", "3,2", *[f"{i},{i % 12 + 1}" for i in range(1, 13)]]
    p.write_text("\n".join(rows) + "\n", encoding="utf-8")
    net = read_network_file(p, n_buildings=3, n_residents=12)
    assert net.n == 12 and net.edges.min() == 0 and net.edges.max() == 11
    assert (net.edges[:, 0] < net.edges[:, 1]).all() and len(np.unique(net.edges, axis=0)) == len(net.edges)
    for words in ("header row 'source', 'target' skipped", "ids 1..N shifted to 0..N-1", "1 self loop dropped",
                  "repeated ties merged"):
        assert words in net.note
    assert "replaced" not in net.note  # 12 = n_residents: nothing replaced


def test_gaps_in_ids_are_relabelled_and_said(tmp_path):
    p = tmp_path / "gaps.txt"
    p.write_text("# a comment\n10 20\n20 30\n30 40 0.5\n" + "".join(f"{i} {i + 10}\n" for i in range(40, 200, 10)))
    net = read_network_file(p, n_buildings=2)
    assert net.n == 20 and "relabelled 0..N-1" in net.note and "third column (weights) ignored" in net.note


@pytest.mark.parametrize("name, text, words", [
    ("prose.txt", "We met on Tuesday and agreed\non the elevator.\n", "line 1: expected two household ids"),
    ("two_words.txt", "hello world\n", "holds no ties, only one line of two words (header row 'hello'"),
    ("words.txt", "hello world\nhow are\n", "line 2: 'how' is not a whole-number household id"),
    ("late_header.csv", "1,2\nsource,target\n", "line 2: 'source' is not a whole-number household id"),
    ("float.csv", "1.5,2\n", "'1.5' is not a whole-number household id"),
    ("net.json", '{"a": 1}', "unknown format '.json'"),
    ("noext", "1 2\n", "unknown format '(no extension)'"),
    ("empty.csv", "", "holds no ties"),
    ("loops.csv", "1,1\n", "holds no ties between two different households"),
    ("tiny.csv", "1,2\n2,3\n", "3 households; a community has 10"),
    ("bad.graphml", "<graphml><broken", "not a readable GraphML file"),
    ("text.graphml", "1 2\n", "not a GraphML file"),
])
def test_files_that_are_not_networks_are_one_line(tmp_path, name, text, words):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as e:
        read_network_file(p, n_buildings=1)
    assert words in str(e.value) and name in str(e.value) and "\n" not in str(e.value)


def test_fewer_households_than_buildings_is_refused(tmp_path):
    p = tmp_path / "twelve.csv"
    p.write_text("".join(f"{i},{(i + 1) % 12}\n" for i in range(12)), encoding="utf-8")
    with pytest.raises(ScenarioError, match="12 households cannot fill n_buildings = 20 buildings"):
        read_network_file(p, n_buildings=20)


def test_the_app_reads_a_scenarios_network_file_through_running(tmp_path):
    from consultsim.app.session import Session

    (tmp_path / "n.csv").write_text("".join(f"{i},{i % 60 + 1}\n" for i in range(1, 61)), encoding="utf-8")
    (tmp_path / "ns.toml").write_text('[community]\nn_buildings = 3\n[network]\nnetwork_file = "n.csv"\n',
                                      encoding="utf-8")
    s = Session(str(tmp_path / "ns.toml"))
    s.build()
    assert s.model.res.n == 60 and len(s.model.edges) == 60
