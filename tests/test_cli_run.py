"""``consultsim run``: outputs, provenance, and one clean line for every kind of bad input."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from consultsim.cli import main
from consultsim.core.metric_names import METRICS


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "consultsim.cli", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_run_writes_timeseries_topics_and_provenance(tmp_path, capsys):
    out = tmp_path / "r"
    assert main(["run", "baseline", "--steps", "30", "--seed", "5", "--out", str(out),
                 "--set", "n_residents=400", "--set", "supervision=0.5"]) == 0
    ts = pd.read_csv(out / "timeseries.csv")
    assert list(ts.columns) == ["step", *METRICS] and len(ts) == 31
    topics = pd.read_csv(out / "topics.csv")
    assert "outcome" in topics.columns
    meta = json.loads((out / "run.json").read_text())
    assert meta["seed"] == 5 and meta["params"]["supervision"] == 0.5 and meta["params"]["n_residents"] == 400
    assert meta["versions"]["mesa"] and meta["versions"]["numpy"] and meta["command"].startswith("consultsim")
    printed = capsys.readouterr().out
    assert "seed 5" in printed and "implementation_rate" in printed


def test_same_seed_same_files(tmp_path):
    for name in ("a", "b"):
        assert main(["run", "baseline", "--steps", "20", "--seed", "9", "--out", str(tmp_path / name)]) == 0
    assert (tmp_path / "a" / "timeseries.csv").read_bytes() == (tmp_path / "b" / "timeseries.csv").read_bytes()


@pytest.mark.parametrize("args, fragment", [
    (["run", "nosuch.toml"], "nosuch.toml: no such scenario file"),
    (["run", "baseline", "--set", "supervison=1"], "unknown parameter 'supervison' (did you mean 'supervision'?)"),
    (["run", "baseline", "--set", "supervision=3"], "supervision = 3: expected a number in [0, 1]"),
    (["run", "baseline", "--set", "online_channel=perhaps"], "online_channel = 'perhaps': expected true or false"),
    (["run", "baseline", "--set", "supervision"], "--set 'supervision': expected NAME=VALUE"),
    (["run", "baseline", "--steps", "0"], "--steps: 0: must be at least 1"),
    (["run", "baseline", "--steps", "ten"], "--steps: 'ten': expected a whole number"),
    (["run", "baseline", "--seed", "-1"], "--seed: -1: the seed must be a non-negative whole number"),
    (["run", "baseline", "--set", "network_file=missing.edges"], "network_file 'missing.edges': no such file"),
])
def test_bad_input_exits_2_with_one_line(args, fragment, tmp_path):
    r = cli(*args, "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and fragment in lines[0], r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()  # nothing written before the inputs are checked


def test_bad_scenario_file_is_named(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('base = "baseline.toml"\n[policy]\nsupervision = "lots"\n')
    # no baseline.toml beside it: base names the shipped scenario (issue 9 part 4)
    r = cli("run", str(bad), cwd=tmp_path)
    assert r.returncode == 2 and "bad.toml: [policy] supervision = 'lots'" in r.stderr


def test_write_run_from_python_never_replaces_a_users_files(tmp_path):
    """The library function follows the commands' output rules (consultsim.running.outputs): a folder
    of other files is refused and left as it was; an earlier output is replaced only with force."""
    from consultsim.running.outputs import OutputError
    from consultsim.running.runner import simulate, write_run

    result = simulate("baseline", seed=1, steps=3, overrides={"n_residents": 100, "n_buildings": 2})
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(OutputError):
        write_run(result, mine)
    assert [p.name for p in mine.iterdir()] == ["notes.txt"]

    out = write_run(result, tmp_path / "run")
    assert {p.name for p in out.iterdir()} >= {"timeseries.csv", "topics.csv", "run.json"}
    with pytest.raises(OutputError):
        write_run(result, out)  # an earlier output: not without force
    before = json.loads((out / "run.json").read_text())["seed"]
    again = simulate("baseline", seed=2, steps=3, overrides={"n_residents": 100, "n_buildings": 2})
    write_run(again, out, force=True)
    assert (before, json.loads((out / "run.json").read_text())["seed"]) == (1, 2)


def test_every_command_with_a_progress_bar_takes_both_quiet_and_no_progress():
    """One spelling should not fail where the other works: a user who typed ``validate --quiet`` types
    ``district validate --quiet`` next (argparse would stop them with 'unrecognized arguments')."""
    import argparse

    from consultsim.cli import build_parser

    def parsers(p, path=()):
        yield path, p
        for a in p._actions:
            if isinstance(a, argparse._SubParsersAction):
                for name, sp in a.choices.items():
                    yield from parsers(sp, (*path, name))

    found = 0
    for path, p in parsers(build_parser()):
        for a in p._actions:
            if a.help == "no progress bar":
                found += 1
                assert {"--quiet", "--no-progress"} <= set(a.option_strings), " ".join(path)
    assert found >= 7
