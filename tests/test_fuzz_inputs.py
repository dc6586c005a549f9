"""Every command against bad input (issue 12): a table of named cases and generated ones (hypothesis).

Each attack must end with exit code 2, exactly one line on stderr that names the field, option
or file at fault, no traceback, nothing written anywhere under the working folder, and earlier
results byte for byte intact. Commands run in-process (``consultsim.cli.main``) with the working
folder set to a fresh temporary one, so a default output folder would show up in the snapshot.
Faults that need a real process (kill -9, full disk, two writers) are in tests/test_faults.py.
"""

from __future__ import annotations

import hashlib
import json
import math
import shutil
import string
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from consultsim.cli import COMMANDS, main
from consultsim.core.params import PARAM_INFO

SMALL = 'name = "small"\n[community]\nn_residents = 100\nn_buildings = 4\n'
TOY = """name = "toy"
model = "toy"
seed = 3
replicates = 2
steps = 4
metrics = ["y"]
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0]
"""
SOBOL = """name = "sob"
model = "ishigami"
seed = 3
metrics = ["y"]
[sampler]
method = "sobol"
n = 8
[parameters]
x1 = { low = -3.14, high = 3.14 }
x2 = { low = -3.14, high = 3.14 }
x3 = { low = -3.14, high = 3.14 }
"""

# name -> text of a bad scenario file, and what its one line must say
BAD_SCENARIOS = {
    "empty": ("", "empty scenario file"),
    "comments": ("# nothing here\n\n", "empty scenario file"),
    "string_number": ('[policy]\nsupervision = "0.5"\n', "supervision = '0.5': expected a number"),
    "string_int": ('[community]\nn_residents = "150"\n', "n_residents = '150': expected an integer"),
    "string_bool": ('[practice]\nonline_channel = "yes"\n', "online_channel = 'yes': expected true or false"),
    "int_bool": ("[practice]\nonline_channel = 1\n", "online_channel = 1: expected true or false"),
    "bool_number": ("[policy]\nsupervision = true\n", "supervision = True: expected a number"),
    "nan": ("[policy]\nsupervision = nan\n", "supervision = nan"),
    "inf": ("[community]\nn_residents = inf\n", "n_residents = inf"),
    "range": ("[policy]\nsupervision = 1.5\n", "supervision = 1.5: expected a number in [0, 1]"),
    "fraction_int": ("[community]\nn_residents = 150.5\n", "n_residents = 150.5"),
    "huge_int": ("[community]\nn_residents = 1000000000\n", "n_residents = 1000000000"),
    "sum": ('base = "baseline"\n[population]\nelderly_share = 0.8\nyoung_share = 0.3\n',
            "elderly_share + young_share = 0.8 + 0.3 = 1.1"),
    "unknown_key": ("[policy]\nsupervison = 0.5\n", "did you mean 'supervision'"),
    "wrong_section": ("[community]\nsupervision = 0.5\n", "supervision: belongs in [policy]"),
    "top_level_param": ("supervision = 0.5\n", "unknown top-level key 'supervision'"),
    "unknown_section": ("[levers]\nx = 1\n", "unknown section [levers]"),
    "bad_toml": ("[policy\nsupervision = 0.5\n", "not valid TOML"),
    "missing_base": ('base = "nosuch"\n', "base 'nosuch': no such file next to it"),
    "base_not_string": ("base = 3\n", "key 'base' must be a file name string"),
    "empty_base": ('base = ""\n', "key 'base' is empty"),
    "empty_name": ('name = ""\n[policy]\nsupervision = 0.5\n', "key 'name' is empty"),
    "name_not_string": ("name = 5\n", "key 'name' must be a string"),
    "long_description": ('description = "' + "x" * 10_001 + '"\n', "at most 10000"),
    "nul": ("name = \"a\"\x00\n", "NUL"),
    "network_text": ('[network]\nnetwork_file = "prose.txt"\n', "line 1: expected two household ids"),
    "network_missing": ('[network]\nnetwork_file = "gone.csv"\n', "gone.csv': no such file"),
    "network_format": ('[network]\nnetwork_file = "net.json"\n', "unknown format '.json'"),
    "network_names": ('[network]\nnetwork_file = "names.csv"\n', "'alice' is not a whole-number household id"),
    "network_small": ('[network]\nnetwork_file = "five.csv"\n', "5 households; a community has 10"),
    "network_buildings": ('[network]\nnetwork_file = "twelve.csv"\n', "cannot fill n_buildings = 20"),
    "network_loops": ('[network]\nnetwork_file = "loops.csv"\n', "holds no ties between two different"),
    "network_graphml": ('[network]\nnetwork_file = "broken.graphml"\n', "not a readable GraphML file"),
    "network_binary": ('[network]\nnetwork_file = "bin.edges"\n', "not a UTF-8 text file"),
    "network_type": ("[network]\nnetwork_file = 3\n", "network_file = 3: expected a string"),
}
BAD_EXPERIMENTS = {
    "exp_empty": ("", "empty experiment file"),
    "exp_os_model": (TOY.replace('model = "toy"', 'model = "os:getcwd"'), "'os:getcwd': not a registered model"),
    "exp_model_type": (TOY.replace('model = "toy"', "model = 3"), "key 'model' must be a string"),
    "exp_name_escape": (TOY.replace('name = "toy"', 'name = "../../outside"'), "it names the results folder"),
    "exp_steps": (TOY.replace("steps = 4", "steps = 1000000000"), "steps' = 1000000000: more than the limit"),
    "exp_replicates": (TOY.replace("replicates = 2", "replicates = 1000000000"), "replicates' = 1000000000"),
    "exp_seed": (TOY.replace("seed = 3", "seed = -1"), "key 'seed': expected an integer >= 0"),
    "exp_seed_string": (TOY.replace("seed = 3", 'seed = "3"'), "key 'seed': expected an integer >= 0"),
    "exp_huge_design": (SOBOL.replace("n = 8", "n = 1048576"), "more than the limit of"),
    "exp_grid_product": (TOY.replace("slope = [1.0, 2.0]", "\n".join(
        f"p{i} = [{', '.join(str(j) for j in range(10))}]" for i in range(8))), "more than the limit of"),
    "exp_bad_toml": (TOY.replace("[sampler]", "[sampler"), "not valid TOML"),
    "exp_string_value": ('name = "c"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\nmethod = "grid"\n'
                         '[parameters]\nsupervision = ["0.5", 0.6]\n', "supervision = '0.5': expected a number"),
    "exp_network": ('name = "c"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\nmethod = "grid"\n'
                    '[parameters]\nsupervision = [0.5, 0.6]\nnetwork_file = "prose.txt"\n',
                    "network_file 'prose.txt': line 1: expected two household ids"),
    "exp_bool_int": ('name = "c"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\nmethod = "grid"\n'
                     '[parameters]\nsupervision = [0.5, 0.6]\nn_residents = true\n',
                     "n_residents = True: expected an integer"),
}


def _write_world(root: Path) -> None:
    (root / "small.toml").write_text(SMALL, encoding="utf-8")
    for name, (text, _) in BAD_SCENARIOS.items():
        (root / f"{name}.toml").write_text(text, encoding="utf-8")
    for name, (text, _) in BAD_EXPERIMENTS.items():
        (root / f"{name}.toml").write_text(text, encoding="utf-8")
    (root / "exp.toml").write_text(TOY, encoding="utf-8")
    (root / "sob.toml").write_text(SOBOL, encoding="utf-8")
    (root / "prose.txt").write_text("Minutes of the residents' meeting\nwere read aloud.\n", encoding="utf-8")
    (root / "net.json").write_text('{"edges": []}', encoding="utf-8")
    (root / "names.csv").write_text("1,2\nalice,bob\n", encoding="utf-8")
    (root / "five.csv").write_text("0,1\n1,2\n2,3\n3,4\n", encoding="utf-8")
    (root / "twelve.csv").write_text("".join(f"{i},{(i + 1) % 12}\n" for i in range(12)), encoding="utf-8")
    (root / "loops.csv").write_text("1,1\n2,2\n", encoding="utf-8")
    (root / "broken.graphml").write_text("<graphml><broken", encoding="utf-8")
    (root / "bin.edges").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
    (root / "binary.toml").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x01")
    (root / "afile").write_text("not a folder\n", encoding="utf-8")
    (root / "folder.toml").mkdir()
    (root / "userdir").mkdir()
    (root / "userdir" / "timeseries.csv").write_text("my own data\n", encoding="utf-8")
    (root / "notes.json").write_text('{"address": 5}', encoding="utf-8")


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A world of inputs, earlier results (a run, a finished sweep, a damaged sweep), built once."""
    root = tmp_path_factory.mktemp("world")
    _write_world(root)
    assert main(["run", str(root / "small.toml"), "--steps", "2", "--seed", "1", "--out", str(root / "prev")]) == 0
    assert main(["sweep", str(root / "exp.toml"), "--out", str(root / "sweep"), "--executor", "serial",
                 "--no-progress"]) == 0
    shutil.copytree(root / "sweep", root / "damaged_json")
    (root / "damaged_json" / "experiment.json").write_bytes(b"\xff\xfe{garbage")
    shutil.copytree(root / "sweep", root / "wrong_json")
    (root / "wrong_json" / "experiment.json").write_text('{"name": "x"}', encoding="utf-8")
    shutil.copytree(root / "sweep", root / "damaged_part")
    part = sorted((root / "damaged_part" / "parts").glob("part-*"))[0]
    (part / "runs.parquet").write_bytes((part / "runs.parquet").read_bytes()[:40])
    shutil.copytree(root / "sweep", root / "other_sweep")
    meta = json.loads((root / "other_sweep" / "experiment.json").read_text(encoding="utf-8"))
    meta["fingerprint"] = "0123456789abcdef"
    (root / "other_sweep" / "experiment.json").write_text(json.dumps(meta), encoding="utf-8")
    return root


@pytest.fixture
def world(template, monkeypatch):
    """The shared world, as the working folder: attacks must leave it unchanged (each one checks)."""
    monkeypatch.chdir(template)
    return template


@pytest.fixture
def fresh_world(template, tmp_path, monkeypatch):
    """A copy of the world for commands that are meant to succeed and write."""
    root = tmp_path / "w"
    shutil.copytree(template, root, symlinks=True)
    monkeypatch.chdir(root)
    return root


def snapshot(root: Path) -> dict[str, str]:
    out = {}
    for p in sorted(root.rglob("*")):
        rel = str(p.relative_to(root))
        if p.is_dir():
            out[rel] = "dir"
        else:
            with open(p, "rb") as fh:
                out[rel] = hashlib.sha256(fh.read()).hexdigest()
    return out


def attack(argv: list[str], root: Path, capsys, fragment: str, entry=main) -> str:
    """Run one bad command line; check exit 2, one line naming ``fragment``, nothing written."""
    before = snapshot(root)
    capsys.readouterr()
    code = entry(argv)
    err = capsys.readouterr().err
    lines = [x for x in err.splitlines() if x.strip()]
    assert code == 2, (argv, code, err)
    assert "Traceback" not in err, err
    assert len(lines) == 1, (argv, err)
    assert fragment in lines[0], (argv, lines[0])
    assert snapshot(root) == before, f"{argv}: something was written or changed"
    return lines[0]


# ---------------------------------------------------------------- the table of named cases
def _cases():
    cases = []
    for name, (_, frag) in BAD_SCENARIOS.items():
        cases.append((f"run-{name}", ["run", f"{name}.toml", "--steps", "2"], frag))
        cases.append((f"compare-{name}", ["compare", "small.toml", f"{name}.toml", "--replicates", "2",
                                          "--steps", "2", "--out", "cmp"], frag))
        cases.append((f"validate-{name}", ["validate", "--scenario", f"{name}.toml", "--replicates", "2",
                                           "--steps", "2"], frag))
    for name, (_, frag) in BAD_EXPERIMENTS.items():
        cases.append((f"sweep-{name}", ["sweep", f"{name}.toml", "--executor", "serial", "--out", "sw"], frag))
        cases.append((f"sensitivity-{name}", ["sensitivity", f"{name}.toml", "--executor", "serial",
                                              "--out", "sw"], frag))
    cases += [
        # run: files, options, --set, output folders
        ("run-nosuch", ["run", "nosuch.toml"], "nosuch.toml: no such scenario file"),
        ("run-misspelt-shipped", ["run", "baselin"], "did you mean 'baseline'"),
        ("run-binary", ["run", "binary.toml"], "not a UTF-8 text file"),
        ("run-folder", ["run", "folder.toml"], "is a folder, not a scenario file"),
        ("run-empty-name", ["run", ""], "empty scenario name"),
        ("run-steps-0", ["run", "small.toml", "--steps", "0"], "--steps: 0: must be at least 1"),
        ("run-steps-text", ["run", "small.toml", "--steps", "ten"], "--steps: 'ten': expected a whole number"),
        ("run-steps-float", ["run", "small.toml", "--steps", "1e3"], "--steps: '1e3': expected a whole number"),
        ("run-steps-huge", ["run", "small.toml", "--steps", str(10**9)], "--steps: 1000000000: more than the limit"),
        ("run-seed-neg", ["run", "small.toml", "--seed", "-1"], "--seed: -1: the seed must be a non-negative"),
        ("run-seed-huge", ["run", "small.toml", "--seed", str(2**64)], "--seed"),
        ("run-seed-text", ["run", "small.toml", "--seed", "abc"], "--seed: 'abc'"),
        ("run-set-noeq", ["run", "small.toml", "--set", "supervision"], "--set 'supervision': expected NAME=VALUE"),
        ("run-set-noname", ["run", "small.toml", "--set", "=3"], "--set '=3': expected NAME=VALUE"),
        ("run-set-unknown", ["run", "small.toml", "--set", "supervison=1"], "did you mean 'supervision'"),
        ("run-set-range", ["run", "small.toml", "--set", "supervision=3"], "supervision = 3: expected a number"),
        ("run-set-yes", ["run", "small.toml", "--set", "online_channel=yes"], "online_channel = 'yes'"),
        ("run-set-1bool", ["run", "small.toml", "--set", "online_channel=1"], "online_channel = '1'"),
        ("run-set-nan", ["run", "small.toml", "--set", "supervision=nan"], "supervision = nan"),
        ("run-set-int", ["run", "small.toml", "--set", "n_residents=150.5"], "n_residents = 150.5"),
        ("run-set-sum", ["run", "small.toml", "--set", "elderly_share=0.9"], "elderly_share + young_share"),
        ("run-set-network", ["run", "small.toml", "--set", "network_file=missing.edges"],
         "network_file 'missing.edges': no such file"),
        ("run-out-empty", ["run", "small.toml", "--out", ""], "--out '': give a folder name"),
        ("run-out-file", ["run", "small.toml", "--out", "afile"], "--out afile: exists and is not a folder"),
        ("run-out-under-file", ["run", "small.toml", "--out", "afile/sub"], "is a file"),
        ("run-out-earlier", ["run", "small.toml", "--out", "prev"], "--out prev: holds earlier results"),
        ("run-out-user", ["run", "small.toml", "--out", "userdir"], "--out userdir: not a consultsim output folder"),
        ("run-out-user-force", ["run", "small.toml", "--out", "userdir", "--force"],
         "not a consultsim output folder"),
        ("run-no-scenario", ["run"], "give a scenario (e.g. baseline) or --replay EXPORT"),
        # compare
        ("compare-none", ["compare"], "no scenarios given"),
        ("compare-too-many", ["compare", *["small.toml"] * 51], "51 scenarios: more than the limit of 50"),
        ("compare-reps-1", ["compare", "small.toml", "--replicates", "1"], "--replicates: 1: must be at least 2"),
        ("compare-reps-huge", ["compare", "small.toml", "--replicates", str(10**9)], "more than the limit of 10,000"),
        ("compare-steps-huge", ["compare", "small.toml", "--steps", str(10**9)], "--steps: 1000000000"),
        ("compare-seed-neg", ["compare", "small.toml", "--seed", "-1"], "--seed: -1"),
        ("compare-workers-0", ["compare", "small.toml", "--workers", "0"], "--workers: 0: must be at least 1"),
        ("compare-nosuch", ["compare", "small.toml", "nosuch"], "no such scenario file"),
        ("compare-out-empty", ["compare", "small.toml", "--out", ""], "--out '': give a folder name"),
        ("compare-out-file", ["compare", "small.toml", "--out", "afile"], "exists and is not a folder"),
        ("compare-out-earlier", ["compare", "small.toml", "--out", "prev"], "holds earlier results"),
        ("compare-out-user-force", ["compare", "small.toml", "--out", "userdir", "--force"],
         "not a consultsim output folder"),
        # validate
        ("validate-reps-1", ["validate", "--replicates", "1"], "--replicates: 1: must be at least 2"),
        ("validate-steps-1", ["validate", "--steps", "1"], "--steps: 1: must be at least 2"),
        ("validate-seed-neg", ["validate", "--seed", "-1"], "--seed: -1"),
        ("validate-knockout-unknown", ["validate", "--knockout", "unequal_voices"], "did you mean 'unequal_voice'"),
        ("validate-households-small", ["validate", "--households", "3"], "--households: 3: must be at least 10"),
        ("validate-knockout-and-all", ["validate", "--knockout", "unequal_voice", "--knockouts"], "not allowed with"),
        ("validate-workers-0", ["validate", "--workers", "0"], "--workers: 0"),
        ("validate-nosuch", ["validate", "--scenario", "nosuch"], "no such scenario file"),
        # sweep
        ("sweep-nosuch", ["sweep", "nosuch.toml"], "no such experiment file"),
        ("sweep-binary", ["sweep", "binary.toml"], "not a UTF-8 text file"),
        ("sweep-folder", ["sweep", "folder.toml"], "is a folder, not an experiment file"),
        ("sweep-out-empty", ["sweep", "exp.toml", "--out", ""], "--out '': give a folder name"),
        ("sweep-out-file", ["sweep", "exp.toml", "--out", "afile"], "exists and is not a folder"),
        ("sweep-out-user", ["sweep", "exp.toml", "--out", "userdir", "--executor", "serial"],
         "not empty and not a sweep directory"),
        ("sweep-out-earlier", ["sweep", "exp.toml", "--out", "sweep", "--executor", "serial"],
         "already holds this experiment; add --resume"),
        ("sweep-other", ["sweep", "exp.toml", "--out", "other_sweep", "--resume", "--executor", "serial"],
         "holds a different experiment"),
        ("sweep-damaged-json", ["sweep", "exp.toml", "--out", "damaged_json", "--resume", "--executor", "serial"],
         "experiment.json: damaged or unreadable"),
        ("sweep-wrong-json", ["sweep", "exp.toml", "--out", "wrong_json", "--resume", "--executor", "serial"],
         "experiment.json: damaged"),
        ("sweep-damaged-part", ["sweep", "exp.toml", "--out", "damaged_part", "--resume", "--executor", "serial"],
         "runs.parquet: damaged part file"),
        ("sweep-scheduler-no-dask", ["sweep", "exp.toml", "--executor", "serial", "--scheduler", "x.json"],
         "--scheduler needs --executor dask"),
        ("sweep-scheduler-missing", ["sweep", "exp.toml", "--executor", "dask", "--scheduler", "nosuch.json"],
         "--scheduler nosuch.json: no such scheduler file"),
        ("sweep-scheduler-notjson", ["sweep", "exp.toml", "--executor", "dask", "--scheduler", "notes.json"],
         "not a scheduler file"),
        ("sweep-scheduler-word", ["sweep", "exp.toml", "--executor", "dask", "--scheduler", "somewhere"],
         "expected an address"),
        ("sweep-shard", ["sweep", "exp.toml", "--shard", "3/2"], "--shard '3/2': need 1 <= K <= N"),
        ("sweep-shard-text", ["sweep", "exp.toml", "--shard", "x"], "--shard 'x': expected K/N"),
        ("sweep-chunksize", ["sweep", "exp.toml", "--chunksize", "0"], "--chunksize: 0: must be at least 1"),
        ("sweep-workers", ["sweep", "exp.toml", "--workers", "0"], "--workers: 0"),
        ("sweep-executor", ["sweep", "exp.toml", "--executor", "ray"], "argument --executor: invalid choice"),
        # sensitivity
        ("sensitivity-grid", ["sensitivity", "exp.toml", "--executor", "serial"], "needs [sampler] method"),
        ("sensitivity-nosuch", ["sensitivity", "nosuch.toml"], "no such experiment file"),
        ("sensitivity-workers", ["sensitivity", "sob.toml", "--workers", "0"], "--workers: 0"),
        ("sensitivity-out-user", ["sensitivity", "sob.toml", "--out", "userdir", "--executor", "serial"],
         "not empty and not a sweep directory"),
        ("sensitivity-scheduler", ["sensitivity", "sob.toml", "--executor", "dask", "--scheduler", "nosuch.json"],
         "no such scheduler file"),
        # plot-sweep
        ("plot-nosuch", ["plot-sweep", "nosuch"], "nosuch: no such sweep directory"),
        ("plot-empty", ["plot-sweep", ""], "DIR '': give a sweep results directory"),
        ("plot-not-sweep", ["plot-sweep", "prev"], "not a sweep directory (no experiment.json)"),
        ("plot-damaged-json", ["plot-sweep", "damaged_json"], "experiment.json: damaged or unreadable"),
        ("plot-wrong-json", ["plot-sweep", "wrong_json"], "experiment.json: damaged"),
        ("plot-damaged-part", ["plot-sweep", "damaged_part", "--plots", "p"], "runs.parquet: damaged part file"),
        ("plot-plots-file", ["plot-sweep", "sweep", "--plots", "afile"], "--plots afile: exists and is not a folder"),
        ("plot-plots-user", ["plot-sweep", "sweep", "--plots", "userdir"], "--plots userdir: not a consultsim output folder"),
        ("plot-plots-empty", ["plot-sweep", "sweep", "--plots", ""], "--plots '': give a folder name"),
        # app: only what is checked before a server starts
        ("app-port", ["app", "--port", "0"], "--port 0: expected a port number"),
        ("app-scenario", ["app", "--scenario", "nosuch.toml"], "no such scenario file"),
        ("app-bad-scenario", ["app", "--scenario", "string_number.toml"], "supervision = '0.5'"),
        # top level
        ("top-unknown-command", ["frobnicate"], "invalid choice: 'frobnicate'"),
        # discover: a finished sweep directory and a target it can read
        ("discover-no-dir", ["discover", "nosuchdir", "--target", "implementation_rate > 0.6"],
         "not a sweep directory"),
    ]
    required = {"discover": ["--target", "implementation_rate > 0.6"], "merge": ["y"]}  # what a command needs
    action = {"district": ["run"]}  # commands with actions (district run|compare|allocate)
    for cmd in COMMANDS:  # every command, including ones added later, refuses an unknown option
        cases.append((f"{cmd}-unknown-option",
                      [cmd, *action.get(cmd, []), "x", *required.get(cmd, []), "--no-such-option"],
                      "unrecognized arguments"))
    return cases


CASES = _cases()


@pytest.mark.parametrize("argv, fragment", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_exit_2_one_line_nothing_written(world, capsys, argv, fragment):
    line = attack(argv, world, capsys, fragment)
    assert line.startswith("consultsim"), line


MERGE_CASES = [
    ("merge-out-empty", ["merge", "", "sweep"], "OUT '': give a folder name"),
    ("merge-missing", ["merge", "m", "nosuch"], "nosuch: no such sweep directory"),
    ("merge-damaged", ["merge", "m", "sweep", "damaged_part"], "runs.parquet: damaged part file"),
    ("merge-damaged-json", ["merge", "m", "damaged_json"], "experiment.json: damaged"),
    ("merge-different", ["merge", "m", "sweep", "other_sweep"], "they hold different experiments"),
    ("merge-into-user", ["merge", "userdir", "sweep"], "not empty and not a sweep directory"),
]


@pytest.mark.parametrize("argv, fragment", [c[1:] for c in MERGE_CASES], ids=[c[0] for c in MERGE_CASES])
def test_merge_bad_input(world, capsys, argv, fragment):
    from consultsim.sweeps.__main__ import main as merge_main

    attack(argv, world, capsys, fragment, entry=merge_main)


def test_unreadable_files_are_one_line(fresh_world, capsys, monkeypatch):
    """PermissionError (root reads anything, so the denial is simulated at the one place files are read)."""
    import os

    real = os.open

    def denied(path, *a, **k):
        if Path(path).name in ("small.toml", "exp.toml"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path, *a, **k)

    monkeypatch.setattr(os, "open", denied)  # the reader opens files with os.open (running/inputs.py)
    attack(["run", "small.toml"], fresh_world, capsys, "small.toml: permission denied")
    attack(["compare", "small.toml"], fresh_world, capsys, "small.toml: permission denied")
    attack(["sweep", "exp.toml"], fresh_world, capsys, "exp.toml: permission denied")


# ---------------------------------------------------------------- valid but unusual: accepted
def test_byte_order_mark_and_valid_share_pairs_are_accepted(fresh_world, capsys):
    (fresh_world / "bom.toml").write_bytes("\ufeff".encode() + SMALL.encode() +
                                     b"[population]\nelderly_share = 0.75\nyoung_share = 0.2\n")
    assert main(["run", "bom.toml", "--steps", "2", "--seed", "1", "--out", "b"]) == 0
    meta = json.loads((fresh_world / "b" / "run.json").read_text(encoding="utf-8"))
    assert meta["params"]["elderly_share"] == 0.75 and meta["params"]["young_share"] == 0.2


def test_default_output_name_stays_in_results(fresh_world, capsys):
    (fresh_world / "esc.toml").write_text('name = "../../escape"\n' + SMALL.split("\n", 1)[1], encoding="utf-8")
    assert main(["run", "esc.toml", "--steps", "1", "--seed", "1"]) == 0
    made = [p for p in (fresh_world / "results").iterdir() if not p.name.startswith(".")]
    assert [p.name for p in made] == ["run-escape"]
    assert not (fresh_world.parent / "escape").exists() and not (fresh_world.parent.parent / "escape").exists()


def test_force_replaces_an_earlier_output_whole(fresh_world, capsys):
    before = set(p.name for p in (fresh_world / "prev").iterdir())
    # a file the user added to the earlier output: --force refuses, names it, deletes nothing (issue 21)
    (fresh_world / "prev" / "stale.csv").write_text("notes of mine\n", encoding="utf-8")
    assert main(["run", "small.toml", "--steps", "3", "--seed", "2", "--out", "prev", "--force"]) == 2
    err = capsys.readouterr().err
    assert "stale.csv" in err and "--force" not in err.split("error:", 1)[1]
    assert (fresh_world / "prev" / "stale.csv").read_text(encoding="utf-8") == "notes of mine\n"
    (fresh_world / "prev" / "stale.csv").unlink()
    assert main(["run", "small.toml", "--steps", "3", "--seed", "2", "--out", "prev", "--force"]) == 0
    after = set(p.name for p in (fresh_world / "prev").iterdir())
    assert after == before  # replaced as a whole: no file of the earlier run is mixed in
    assert json.loads((fresh_world / "prev" / "run.json").read_text(encoding="utf-8"))["seed"] == 2
    assert not [p for p in fresh_world.iterdir() if ".tmp-" in p.name or ".old-" in p.name]


# ---------------------------------------------------------------- generated attacks (hypothesis)
def _bad_value(kind: str, lo, hi):
    texts = st.text(alphabet=string.ascii_letters + string.digits + " .-", max_size=8)
    if kind == "bool":
        return st.one_of(st.integers(-5, 5), st.floats(allow_nan=False), texts)
    if kind == "str":
        return st.one_of(st.integers(), st.booleans(), st.floats(allow_nan=False))
    out = [st.booleans(), texts, st.sampled_from([math.nan, math.inf, -math.inf])]
    if lo is not None:
        out += [st.floats(max_value=lo, exclude_max=True, allow_nan=False, allow_infinity=False),
                st.floats(min_value=hi, exclude_min=True, allow_nan=False, allow_infinity=False)]
    if kind == "int":
        out.append(st.floats(allow_nan=False, allow_infinity=False).filter(lambda x: not float(x).is_integer()))
    return st.one_of(*out)


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return json.dumps(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v == math.inf else "-inf" if v == -math.inf else repr(v))
    return str(v)


@st.composite
def bad_assignment(draw):
    name = draw(st.sampled_from(sorted(PARAM_INFO)))
    f = PARAM_INFO[name]
    kind = f.type if isinstance(f.type, str) else f.type.__name__
    value = draw(_bad_value(kind, f.metadata["lo"], f.metadata["hi"]))
    return name, f.metadata["section"], value


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=bad_assignment(), cmd=st.sampled_from(["run", "compare", "validate", "sweep"]))
def test_any_wrong_value_anywhere_names_the_field(world, capsys, bad, cmd):
    name, section, value = bad
    if cmd == "sweep":
        path = world / "gen_exp.toml"
        path.write_text(f'name = "g"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\nmethod = "grid"\n'
                        f'[parameters]\n{name} = {_toml(value)}\n'
                        + ("" if name == "supervision" else "supervision = [0.1, 0.2]\n"), encoding="utf-8")
        argv = ["sweep", str(path), "--executor", "serial", "--out", "gen"]
    else:
        path = world / "gen.toml"
        path.write_text(f"[{section}]\n{name} = {_toml(value)}\n", encoding="utf-8")
        argv = {"run": ["run", str(path), "--steps", "1"],
                "compare": ["compare", "small.toml", str(path), "--steps", "1", "--replicates", "2"],
                "validate": ["validate", "--scenario", str(path), "--steps", "2", "--replicates", "2"]}[cmd]
    attack(argv, world, capsys, name)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(option=st.sampled_from(["--steps", "--replicates", "--seed", "--workers"]),
       value=st.one_of(st.integers(max_value=0), st.integers(min_value=10**4 + 1),
                       st.text(alphabet=string.ascii_letters + ".-+ ", min_size=1, max_size=6),
                       st.floats(allow_nan=True).map(repr)))
def test_any_bad_option_value_names_the_option(world, capsys, option, value):
    value = str(value)
    ok = value.strip().lstrip("+").isdigit() and (
        option == "--seed" or (int(value) >= 2 if option == "--replicates" else int(value) >= 1))
    if option in ("--steps", "--replicates", "--workers") and ok:
        ok = int(value) <= {"--steps": 5200, "--replicates": 10_000, "--workers": 1024}[option]
    argv = ["compare", "nosuch.toml", option, value]
    if option == "--seed" and value.strip().lstrip("+").isdigit():
        ok = int(value) < 2**63
    attack(argv, world, capsys, "no such scenario file" if ok else option)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=200) | st.text(max_size=200).map(lambda t: t.encode("utf-8")))
def test_any_bytes_as_a_scenario_or_experiment_file(fresh_world, capsys, data):
    """Whatever the bytes, never a traceback; anything not a valid file is one line naming the file."""
    (fresh_world / "fz.toml").write_bytes(data)
    for argv in (["run", "fz.toml", "--steps", "1", "--out", "fzout"],
                 ["sweep", "fz.toml", "--executor", "serial", "--out", "fzsweep"]):
        before = snapshot(fresh_world)
        capsys.readouterr()
        code = main(argv)
        err = capsys.readouterr().err
        assert "Traceback" not in err
        if code == 2:
            assert len(err.strip().splitlines()) == 1 and "fz.toml" in err, err
            assert snapshot(fresh_world) == before
        else:  # a valid file by chance (e.g. only a name): it must have run and written its results
            assert code == 0 and argv[0] == "run", (argv, code, err)
            shutil.rmtree(fresh_world / "fzout")


@pytest.mark.parametrize("name, toml, text", [("supervision", '"0.5"', "0.5"), ("n_residents", '"150"', "150"),
                                              ("online_channel", '"yes"', "yes")])
def test_one_mistake_one_message_everywhere(world, capsys, name, toml, text):
    """A value written as text gets the same words from a scenario file, an experiment file and --set."""
    from consultsim.core.params import PARAM_INFO, allowed

    section = PARAM_INFO[name].metadata["section"]
    (world / "one.toml").write_text(f"[{section}]\n{name} = {toml}\n", encoding="utf-8")
    (world / "one_exp.toml").write_text(f'name = "o"\nseed = 1\nmetrics = ["implemented"]\n[sampler]\n'
                                        f'method = "grid"\n[parameters]\n{name} = [{toml}]\n', encoding="utf-8")
    words = f"{name} = '{text}': expected {allowed(PARAM_INFO[name])}"
    for argv in (["run", "one.toml"], ["compare", "one.toml"], ["validate", "--scenario", "one.toml"],
                 ["sweep", "one_exp.toml", "--out", "o"], ["run", "small.toml", "--set", f"{name}={text}"]):
        if argv[-1] == f"{name}={text}" and text.replace(".", "").isdigit():
            continue  # on the command line every value is text: "0.5" there is the number 0.5
        attack(argv, world, capsys, words)


def test_a_sweep_whose_every_run_fails_is_not_a_success(fresh_world, capsys):
    (fresh_world / "fail.toml").write_text(TOY + "fail_above = 0.1\n", encoding="utf-8")
    code = main(["sweep", "fail.toml", "--out", "f", "--executor", "serial", "--no-progress"])
    err = capsys.readouterr().err
    assert code == 1 and "4 of 4 runs failed (first: ValueError: slope 1 is above 0.1" in err


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(record=st.binary(max_size=120) | st.dictionaries(st.text(max_size=5), st.integers(), max_size=3).map(
           lambda d: json.dumps(d).encode()),
       which=st.sampled_from(["runs.parquet", "metrics.parquet"]), cut=st.floats(0, 0.99))
def test_damaged_sweep_records_for_every_reader(world, capsys, record, which, cut):
    """A damaged experiment.json or a truncated part: sweep --resume, sensitivity --resume, plot-sweep and
    merge each say so in one line, exit 2 and change nothing."""
    from consultsim.sweeps.__main__ import main as merge_main

    rec, part = world / "gen_record", world / "gen_part"
    for d in (rec, part):
        if not d.exists():
            shutil.copytree(world / "sweep", d)
    (rec / "experiment.json").write_bytes(record)
    good = (world / "sweep" / "parts")
    first = sorted(good.glob("part-*"))[0]
    data = (first / which).read_bytes()
    target = sorted((part / "parts").glob("part-*"))[0]
    shutil.copy(first / "runs.parquet", target / "runs.parquet")
    shutil.copy(first / "metrics.parquet", target / "metrics.parquet")
    (target / which).write_bytes(data[:int(cut * len(data))])
    for d, words in ((rec, "experiment.json: damaged"), (part, f"{which}: damaged part file")):
        attack(["sweep", "exp.toml", "--out", str(d), "--resume", "--executor", "serial"], world, capsys, words)
        attack(["plot-sweep", str(d), "--plots", "gp"], world, capsys, words)
        attack(["merge", "gm", str(d)], world, capsys, words, entry=merge_main)
    attack(["sensitivity", "sob.toml", "--out", str(rec), "--resume", "--executor", "serial"], world, capsys,
           "experiment.json: damaged")
