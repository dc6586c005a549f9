"""Fault injection, input surface (issue 21, parts 2 and 4): every file a command reads x every bad file,
every number option x every bad number, and the issue's other bad inputs.

The case lists are the suite's own: :data:`FILE_SURFACES` (where a command reads a file) x
:data:`BAD_FILES`; :data:`NUMBER_OPTIONS` (command, option) x :data:`BAD_NUMBERS`; :data:`OTHER`.
A new command joins by adding its rows. Every case ends with exit 2 and one line naming the file
or option, no traceback, no hang (each runs under an alarm), nothing written.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest
from fault_snippets import DISTRICT, SMALL, SMALL_BODY, TOY

from consultsim.cli import main


def _deep(n: int) -> str:
    return "[community]\nx = " + "[" * n + "]" * n + "\n"


# name -> (how to make it in a folder: returns the path to give, fragment of the one line)
def _fifo(d: Path) -> Path:
    os.mkfifo(d / "bad")
    return d / "bad"


def _loop(d: Path) -> Path:
    (d / "l1").symlink_to(d / "l2")
    (d / "l2").symlink_to(d / "l1")
    return d / "l1"


def _text(text: str):
    def make(d: Path) -> Path:
        (d / "bad").write_text(text, encoding="utf-8")
        return d / "bad"
    return make


def _huge(d: Path) -> Path:  # sparse: 600 MB on paper, nothing on disk
    with open(d / "bad", "wb") as fh:
        fh.truncate(600_000_000)
    return d / "bad"


def _chain(d: Path) -> Path:  # 1,501 files, each the base of the one before
    for i in range(1501):
        (d / f"c{i}.toml").write_text(f'base = "c{i + 1}.toml"\n' if i < 1500 else SMALL_BODY, encoding="utf-8")
    return d / "c0.toml"


def _folder(d: Path) -> Path:
    (d / "bad").mkdir()
    return d / "bad"


BAD_FILES = {
    "fifo": (_fifo, "a named pipe"),
    "dev-zero": (lambda d: Path("/dev/zero"), "a device"),
    "symlink-loop": (_loop, "loop of symbolic links"),
    "folder": (_folder, "is a folder"),
    "oversized": (_huge, "bytes;"),
    "binary": (lambda d: (d / "bad").write_bytes(b"\xff\xfe\x00garbage") and d / "bad", "not a UTF-8 text file"),
    "toml-3000-deep": (_text(_deep(3000)), "nested more than"),
    "toml-500-deep": (_text(_deep(500)), "nested more than"),
    "toml-5000-digits": (_text("[community]\nn_residents = " + "9" * 5000 + "\n"), "digits"),
    "toml-4000-digits": (_text("[community]\nn_residents = " + "9" * 4000 + "\n"), "digits"),
    "toml-inf": (_text("[policy]\nincentive_per_meeting = inf\n"), "finite"),
    "base-chain-1501": (_chain, "a chain of more than"),
}
TOML_ONLY = {"toml-3000-deep", "toml-500-deep", "toml-5000-digits", "toml-4000-digits", "toml-inf", "base-chain-1501"}


def _scenario_argv(d: Path, bad: Path) -> list[str]:
    return ["run", str(bad), "--steps", "1", "--out", str(d / "o")]


def _base_argv(d: Path, bad: Path) -> list[str]:
    (d / "child.toml").write_text(f'base = "{bad}"\n' + SMALL_BODY, encoding="utf-8")
    return ["run", str(d / "child.toml"), "--steps", "1", "--out", str(d / "o")]


def _network_argv(d: Path, bad: Path) -> list[str]:
    edges = d / "net.csv"
    if bad.name == "bad" and bad.parent == d:  # a network file needs an edge-list suffix
        edges = d / "bad.csv"
        os.rename(bad, edges)
    elif str(bad).startswith("/dev/") or bad.name == "l1":
        edges = d / "link.csv"
        edges.symlink_to(bad)
    (d / "net.toml").write_text(f'[community]\nn_buildings = 2\n[network]\nnetwork_file = "{edges}"\n',
                                encoding="utf-8")
    return ["run", str(d / "net.toml"), "--steps", "1", "--out", str(d / "o")]


def _experiment_argv(d: Path, bad: Path) -> list[str]:
    return ["sweep", str(bad), "--executor", "serial", "--out", str(d / "o")]


def _app_argv(d: Path, bad: Path) -> list[str]:
    return ["app", "--scenario", str(bad)]


def _scheduler_argv(d: Path, bad: Path) -> list[str]:
    (d / "exp.toml").write_text(TOY, encoding="utf-8")
    link = d / "sched.json"
    link.symlink_to(bad)
    return ["sweep", str(d / "exp.toml"), "--executor", "dask", "--scheduler", str(link), "--out", str(d / "o")]


def _settings_argv(d: Path, bad: Path) -> list[str]:
    return ["calibrate", "--settings", str(bad), "--out", str(d / "o")]


def _worlds_file_argv(d: Path, bad: Path) -> list[str]:
    return ["robustness", "--worlds-file", str(bad), "--out", str(d / "o")]


def _compare_worlds_argv(d: Path, bad: Path) -> list[str]:
    (d / "small.toml").write_text(SMALL, encoding="utf-8")
    return ["compare", str(d / "small.toml"), "--worlds", str(bad), "--out", str(d / "o")]


def _replay_argv(d: Path, bad: Path) -> list[str]:
    return ["run", "--replay", str(bad), "--out", str(d / "o")]


def _district_argv(d: Path, bad: Path) -> list[str]:
    return ["district", "run", str(bad), "--out", str(d / "o")]


def _district_validate_argv(d: Path, bad: Path) -> list[str]:
    return ["district", "validate", str(bad), "--out", str(d / "o")]


def _district_worlds_argv(d: Path, bad: Path) -> list[str]:
    (d / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    return ["district", "allocate", str(d / "tiny.toml"), "--worlds-file", str(bad), "--out", str(d / "o")]


def _package_argv(d: Path, bad: Path) -> list[str]:
    (d / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    return ["district", "compare", str(d / "tiny.toml"), str(bad), "--out", str(d / "o")]


_UNREADABLE = {"fifo", "dev-zero", "symlink-loop", "folder", "oversized", "binary"}
FILE_SURFACES = {
    "scenario": (_scenario_argv, set(BAD_FILES)),
    "base": (_base_argv, set(BAD_FILES) - {"base-chain-1501"}),
    "network-file": (_network_argv, {"fifo", "dev-zero", "symlink-loop", "folder", "oversized", "binary"}),
    "experiment-file": (_experiment_argv, set(BAD_FILES) - {"base-chain-1501"}),
    "app-scenario": (_app_argv, set(BAD_FILES)),
    "scheduler-file": (_scheduler_argv, {"fifo", "dev-zero", "symlink-loop", "folder", "oversized", "binary"}),
    # the fresh attack (issue 21): readers that bypassed the input layer
    "calibration-settings": (_settings_argv, set(BAD_FILES) - {"base-chain-1501"}),
    "worlds-file": (_worlds_file_argv, _UNREADABLE - {"oversized"}),
    "compare-worlds": (_compare_worlds_argv, _UNREADABLE - {"oversized"}),
    "replay": (_replay_argv, _UNREADABLE - {"folder"}),
    "district-file": (_district_argv, set(BAD_FILES) - {"base-chain-1501"}),
    "district-package": (_package_argv, set(BAD_FILES)),
    "district-validate-file": (_district_validate_argv, set(BAD_FILES) - {"base-chain-1501"}),
    "district-worlds": (_district_worlds_argv, _UNREADABLE - {"oversized"}),
}
# where a surface words it otherwise: (surface, bad) -> fragment
FRAGMENTS = {("network-file", "dev-zero"): "unknown format", ("scheduler-file", "binary"): "not a readable scheduler file",
             ("worlds-file", "binary"): "not a Parquet file", ("compare-worlds", "binary"): "not a Parquet file",
             ("district-worlds", "binary"): "not a Parquet file",
             ("replay", "binary"): "run.json is not valid JSON", ("replay", "oversized"): "bytes;"}
FILE_CASES = [(s, b) for s, (_, bads) in FILE_SURFACES.items() for b in BAD_FILES if b in bads]
FAST_FILES = ({("scenario", b) for b in BAD_FILES} - {("scenario", "base-chain-1501")}) | \
    {(s, "fifo") for s in FILE_SURFACES} | {(s, "dev-zero") for s in FILE_SURFACES}


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang()


def attack(argv: list[str], root: Path, fragment: str, seconds: int = 30) -> str:
    """One command line: exit 2, one line holding ``fragment``, no traceback, within ``seconds``."""
    err, out = io.StringIO(), io.StringIO()
    old = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(seconds)
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            code = main(argv)
    except Hang:
        raise AssertionError(f"hang: {argv}") from None
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)
    text = err.getvalue()
    lines = [x for x in text.splitlines() if x.strip()]
    assert code == 2, (argv, code, text[-2000:])
    assert "Traceback" not in text and len(lines) == 1, (argv, text[-2000:])
    assert fragment in lines[0], (argv, lines[0])
    assert len(lines[0]) < 2000, lines[0][:300]
    assert not (root / "o").exists(), argv  # nothing written
    return lines[0]


@pytest.mark.parametrize("surface,bad", [pytest.param(s, b, id=f"{s}-{b}", marks=() if (s, b) in FAST_FILES
                                                      else pytest.mark.slow) for s, b in FILE_CASES])
def test_bad_file_refused_in_one_line(tmp_path, monkeypatch, surface, bad):
    monkeypatch.chdir(tmp_path)
    make, fragment = BAD_FILES[bad]
    # a network file's name is resolved (links followed) and its format checked first: /dev/zero has none
    fragment = FRAGMENTS.get((surface, bad), fragment)
    path = make(tmp_path)
    argv = FILE_SURFACES[surface][0](tmp_path, path)
    attack(argv, tmp_path, fragment)


# ---------------------------------------------------------------- bad numbers
NUMBER_OPTIONS = [
    ("run", "--steps"), ("run", "--seed"),
    ("compare", "--steps"), ("compare", "--replicates"), ("compare", "--workers"), ("compare", "--seed"),
    ("validate", "--steps"), ("validate", "--replicates"), ("validate", "--workers"),
    ("sweep", "--workers"), ("sweep", "--add-replicates"),
    ("robustness", "--steps"), ("robustness", "--worlds"), ("robustness", "--replicates"),
    ("robustness", "--households"), ("robustness", "--workers"), ("robustness", "--seed"),
    # the fresh attack (issue 21): every number option of the newer commands
    ("compare", "--budget"), ("validate", "--seed"), ("validate", "--households"), ("sweep", "--chunksize"),
    ("sensitivity", "--workers"), ("sensitivity", "--week"), ("calibrate", "--workers"),
    ("calibrate", "--check-runs"), ("discover", "--week"), ("discover", "--min-density"), ("discover", "--max-qp"),
    ("district run", "--steps"), ("district run", "--collect-every"), ("district run", "--workers"),
    ("district compare", "--steps"), ("district compare", "--collect-every"), ("district compare", "--workers"),
    ("district allocate", "--steps"), ("district allocate", "--collect-every"), ("district allocate", "--workers"),
    ("district allocate", "--budget"), ("district allocate", "--equity-floor"),
    ("district allocate", "--station-staff"), ("district allocate", "--replicates"),
    ("district allocate", "--verify-replicates"), ("district allocate", "--select-replicates"),
    ("district allocate", "--robust"), ("app", "--port"),
    ("district validate", "--replicates"), ("district validate", "--steps"), ("district validate", "--seed"),
    ("district validate", "--workers"),
]
BAD_NUMBERS = {"1e9": "1e9", "huge": "1000000000", "negative": "-1", "fraction": "2.5", "nan": "nan",
               "text": "many", "empty": "", "10^5000": "9" * 5000}
_BASE = {"run": ["run", "small.toml"], "compare": ["compare", "small.toml", "--quiet"],
         "validate": ["validate", "--scenario", "small.toml", "--quiet"],
         "sweep": ["sweep", "toy.toml", "--executor", "serial", "--resume"], "robustness": ["robustness"],
         "sensitivity": ["sensitivity", "toy.toml", "--executor", "serial"], "calibrate": ["calibrate"],
         "discover": ["discover", "sweep", "--target", "y > 1"],
         "district run": ["district", "run", "tiny.toml"], "district compare": ["district", "compare", "tiny.toml",
                                                                                 "online"],
         "district allocate": ["district", "allocate", "tiny.toml"],
         "district validate": ["district", "validate", "tiny.toml"], "app": ["app"]}
# values that are good for that option (a seed of 10**9, a budget of 2.5 yuan...)
GOOD = {("--seed", "huge"), ("--add-replicates", "huge"), ("--budget", "huge"), ("--budget", "fraction"),
        ("--budget", "1e9"), ("--station-staff", "fraction"), ("--station-staff", "huge"),
        ("--station-staff", "1e9")}
NUMBER_CASES = [(c, o, n) for c, o in NUMBER_OPTIONS for n in BAD_NUMBERS if (o, n) not in GOOD
                and (c, o, n) != ("discover", "--week", "huge")]  # a week past the sweep's: test_issue_inputs...
FAST_NUMBERS = {"huge", "negative", "fraction"}


@pytest.mark.slow  # builds the whole parser (imports every command)
def test_every_number_option_of_the_parser_is_in_the_case_list():
    """Read from the parser: a new command's number option (int, float or a checks type) joins NUMBER_OPTIONS;
    every file it reads is checked by a surface of FILE_SURFACES (listed here by command and argument)."""
    from fault_snippets import file_inputs, number_options, parser_commands

    have = {(c, o) for c, p in parser_commands().items() for o, _ in number_options(p)}
    assert have == set(NUMBER_OPTIONS), (sorted(have - set(NUMBER_OPTIONS)), sorted(set(NUMBER_OPTIONS) - have))
    assert set(_BASE) >= {c for c, _ in NUMBER_OPTIONS}
    files = {(c, f) for c, p in parser_commands().items() for f in file_inputs(p)}
    assert files == set(FILE_INPUTS), (sorted(files - set(FILE_INPUTS)), sorted(set(FILE_INPUTS) - files))


# every argument naming a file or folder a command reads -> the surface (or test) that attacks it
FILE_INPUTS = {
    ("run", "scenario"): "scenario", ("run", "--replay"): "replay", ("compare", "scenarios"): "scenario",
    ("compare", "--worlds"): "compare-worlds", ("validate", "--scenario"): "scenario",
    ("sweep", "experiment"): "experiment-file", ("sweep", "--scheduler"): "scheduler-file",
    ("sensitivity", "experiment"): "experiment-file", ("sensitivity", "--scheduler"): "scheduler-file",
    ("robustness", "--worlds-file"): "worlds-file", ("merge", "dirs"): "test_a_damaged_sweep_folder",
    ("calibrate", "--settings"): "calibration-settings", ("plot-sweep", "dir"): "test_a_damaged_sweep_folder",
    ("discover", "dir"): "test_a_damaged_sweep_folder", ("district run", "district"): "district-file",
    ("district run", "--scheduler"): "scheduler-file", ("district compare", "district"): "district-file",
    ("district compare", "packages"): "district-package", ("district compare", "--scheduler"): "scheduler-file",
    ("district allocate", "district"): "district-file", ("district allocate", "--scheduler"): "scheduler-file",
    ("district allocate", "--worlds-file"): "district-worlds", ("district validate", "district"): "district-validate-file",
    ("app", "--scenario"): "app-scenario",
}


@pytest.fixture
def world(tmp_path, monkeypatch):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "toy.toml").write_text(TOY, encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    (tmp_path / "sweep").mkdir()  # discover: a bad number is refused before the folder is read
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("command,option,bad", [
    pytest.param(c, o, n, id=f"{c}{o}={n}", marks=() if n in FAST_NUMBERS else pytest.mark.slow)
    for c, o, n in NUMBER_CASES])
def test_bad_number_refused_in_one_line(world, command, option, bad):
    attack([*_BASE[command], option, BAD_NUMBERS[bad], *(["--out", "o"] if command != "app" else [])], world,
           option)


def test_workers_100000_and_worlds_1e9_are_over_the_limits(world):
    attack(["robustness", "--workers", "100000", "--out", "o"], world, "more than the limit of 1,024")
    attack(["robustness", "--worlds", "1000000000", "--out", "o"], world, "more than the limit of 10,000")
    attack(["robustness", "--seed", "-1", "--out", "o"], world, "non-negative")


# ---------------------------------------------------------------- the issue's other inputs
@pytest.fixture(scope="module")
def sweep_world(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults-in")
    (root / "toy.toml").write_text(TOY, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stderr(io.StringIO()):
            assert main(["sweep", "toy.toml", "--out", "sweep", "--executor", "serial", "--no-progress"]) == 0
    finally:
        os.chdir(cwd)
    return root


def test_issue_inputs_refused_in_one_line(sweep_world, monkeypatch):
    root = sweep_world
    monkeypatch.chdir(root)
    (root / "small.toml").write_text(SMALL, encoding="utf-8")
    (root / "inf.toml").write_text(TOY.replace("slope = [1.0, 2.0, 3.0, 4.0]", "slope = {low = 0, high = inf}")
                                   .replace('method = "grid"', 'method = "lhs"\nn = 4'), encoding="utf-8")
    d = ["discover", "sweep"]
    cases = [
        (["run", "small.toml", "--set", "supervision=0.2", "--set", "supervision=0.3"], "given twice"),
        (["sweep", "inf.toml", "--executor", "serial"], "finite"),
        (["sweep", "toy.toml", "--executor", "serial", "--resume", "--add-replicates", "9999", "--out", "sweep"],
         "more than the limit of 10,000"),
        ([*d, "--target", "y > -1000"], "every one of the 8 runs reaches it"),
        ([*d, "--target", "not " * 5000 + "y > 1"], "nested more than"),
        ([*d, "--target", "(" * 5000 + "y > 1" + ")" * 5000], "nested more than"),
        ([*d, "--target", "y > 10", "--window", "0:99999"], "the runs end at week 4"),
        ([*d, "--target", "y > 10", "--week", "1000000000"], "1000000000"),
        ([*d, "--target", "y > 10", "--out", ""], "--out ''"),
        (["robustness", "--out", ""], "--out ''"),
        (["sweep", "toy.toml", "--executor", "dask", "--scheduler", "[::1"], "--scheduler"),
    ]
    before = sorted(p.name for p in (root / "sweep").iterdir())
    for argv, fragment in cases:
        attack(argv, root, fragment, seconds=60)
    assert sorted(p.name for p in (root / "sweep").iterdir()) == before


def test_control_characters_in_names_are_escaped_on_output(world, capsys):
    (world / "esc.toml").write_text('name = "a\\u001b[2J\\rb\\nconsultsim: forged"\n' + SMALL_BODY, encoding="utf-8")
    assert main(["run", "esc.toml", "--steps", "1", "--seed", "1", "--out", "o"]) == 0
    cap = capsys.readouterr()
    for text in (cap.out, cap.err):
        assert "\x1b" not in text and "\r" not in text
        assert "\nconsultsim: forged" not in text
    assert "a\\x1b[2J\\rb\\nconsultsim: forged" in cap.out


def test_a_name_cannot_steer_the_default_output_folder(world):
    (world / "esc.toml").write_text('name = "../../x"\n' + SMALL_BODY, encoding="utf-8")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["run", "esc.toml", "--steps", "1", "--seed", "1"]) == 0
    assert [p.name for p in (world / "results").iterdir()] == ["run-x"]
    assert not (world.parent / "x").exists() and not (world.parent.parent / "x").exists()


# ---------------------------------------------------------------- evaluate()
def test_evaluate_has_the_command_lines_limits_and_strict_types():
    from consultsim import evaluate
    from consultsim.core.params import ParamError

    bad = [dict(steps=10**9), dict(steps=-5), dict(steps=0), dict(steps=2.7), dict(steps="3"), dict(steps=True),
           dict(outcomes=[]), dict(outcomes="participation_rate"), dict(outcomes=[3]), dict(seed=-1),
           dict(seed=2**64), dict(seed="1"), dict(week=None, window=(0, float("nan"))), dict(window="0:3"),
           dict(window=(0, 99)), dict(week="2"), dict(week=99), dict(week=1.5), dict(params={"supervision": math_nan()}),
           dict(params={"supervision": float("inf")}), dict(params=["supervision"]), dict(params={"nosuch": 1}),
           # the fresh attack (issue 21): values the model refuses, and bad scenarios, were other exceptions
           dict(params={"n_residents": 10**9}), dict(params={"n_residents": "100"}),
           dict(params={"supervision": "0.5"}), dict(scenario="no-such-scenario"), dict(scenario=3),
           dict(scenario=""), dict(outcomes={"participation_rate": 1})]
    for kw in bad:
        args = {"params": {}, "seed": 1, "steps": 3, **kw}
        with pytest.raises(ParamError):
            evaluate(args.pop("params"), args.pop("seed"), **args)
    small = {"n_residents": 100, "n_buildings": 4}
    out = evaluate(small, np.int64(3), np.int64(2), ("participation_rate",), window=(np.int64(0), 2))
    assert list(out) == ["participation_rate"]


def math_nan() -> float:
    return float("nan")


def test_one_bad_sample_does_not_stop_a_batch():
    from consultsim.running.evaluate import evaluate, evaluate_batch

    small = {"n_residents": 100, "n_buildings": 4}
    rows = evaluate_batch([small, {**small, "supervision": 7.0}, {**small, "supervision": float("nan")}, small],
                          [1, 2, 3, 4], 2, ["participation_rate", "mean_trust_committee"])
    assert [r["ok"] for r in rows] == [True, False, False, True]
    assert "supervision" in rows[1]["error"] and np.isnan(rows[1]["participation_rate"])
    assert rows[3]["mean_trust_committee"] == evaluate(small, 4, 2, ["mean_trust_committee"])["mean_trust_committee"]


def test_a_scheduler_file_of_deep_json_is_one_line(world):
    (world / "s.json").write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    attack(["sweep", "toy.toml", "--executor", "dask", "--scheduler", "s.json", "--out", "o"], world,
           "not a readable scheduler file")
    (world / "a.json").write_text(json.dumps({"address": 3}), encoding="utf-8")
    attack(["sweep", "toy.toml", "--executor", "dask", "--scheduler", "a.json", "--out", "o"], world,
           "not a scheduler file")


@pytest.mark.slow  # a comparison with its report and figures: seconds
def test_every_line_a_command_prints_has_its_escape_codes_escaped(world, capsys):
    """The command line's streams (cli._Escaped): a name in a warning, a summary or a figure's font warning
    cannot clear the screen or overwrite a line; a progress bar's leading carriage return still redraws."""
    import io

    from consultsim.cli import _Escaped

    buf = io.StringIO()
    e = _Escaped(buf)
    e.write("a\x1b[2J\rb\x07\x9b\tc\n")
    e.write("\rbar 50%")
    assert buf.getvalue() == "a\\x1b[2J\\rb\\x07\\x9b\tc\n\rbar 50%"
    (world / "esc.toml").write_text('name = "x\\u001b]0;title\\u0007\\ry"\n' + SMALL_BODY, encoding="utf-8")
    assert main(["compare", "esc.toml", "--replicates", "2", "--steps", "1", "--workers", "1", "--quiet",
                 "--out", "o"]) == 0
    cap = capsys.readouterr()
    for text in (cap.out, cap.err):
        assert "\x1b" not in text and "\r" not in text and "\x07" not in text
