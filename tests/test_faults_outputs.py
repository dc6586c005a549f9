"""Fault injection, output surface (issue 21, part 4): every command that writes a folder x every fault.

The suite keeps its own case list: :data:`WRITERS` names each command that writes an output folder
and how to call it cheaply; :data:`FAULTS` names each fault. ``CASES`` is their product, so a new
command (``district``...) joins every fault by adding one row to :data:`WRITERS`. Every case must
end with exit 2, one line on stderr, no traceback, and the folder (and everything around it) as it
was: nothing deleted that is not ours. A refusal caused by files the tool did not write never
suggests ``--force``.

The cases here refuse before any work, so they are fast; faults in the middle of writing (SIGTERM,
SIGINT, a file-size limit, two processes) are in tests/test_faults_signals.py (marked slow).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import subprocess
from pathlib import Path

import pytest
from fault_snippets import CALIBRATION, DISTRICT, SMALL, SOBOL, TOY, output_option, parser_commands

from consultsim.cli import main
from consultsim.running.outputs import MARKER, folder_lock, foreign_files, writing

# command -> (argv before --out, the option naming the folder, the flag that lets it reuse a folder of its own)
WRITERS: dict[str, tuple[list[str], str, str | None]] = {
    "run": (["run", "small.toml", "--steps", "1", "--seed", "1"], "--out", "--force"),
    "compare": (["compare", "small.toml", "--replicates", "2", "--steps", "1", "--workers", "1", "--quiet"],
                "--out", "--force"),
    "plot-sweep": (["plot-sweep", "sweep"], "--plots", "--force"),
    "discover": (["discover", "sweep", "--target", "y > 10"], "--out", "--force"),
    "sweep": (["sweep", "toy.toml", "--executor", "serial", "--no-progress"], "--out", None),
    "sensitivity": (["sensitivity", "sob.toml", "--executor", "serial", "--no-progress"], "--out", None),
    "robustness": (["robustness", "--levers", "online", "--worlds", "2", "--replicates", "1", "--steps", "2",
                    "--households", "10", "--executor", "serial", "--no-progress"], "--out", "--resume"),
    "district run": (["district", "run", "tiny.toml", "--steps", "1", "--executor", "serial", "--no-progress"],
                     "--out", "--force"),
    "district compare": (["district", "compare", "tiny.toml", "online", "--steps", "1", "--executor", "serial",
                          "--no-progress"], "--out", "--force"),
    "district allocate": (["district", "allocate", "tiny.toml", "--steps", "1", "--replicates", "2",
                           "--verify-replicates", "2", "--executor", "serial", "--no-progress"], "--out", "--force"),
    "district validate": (["district", "validate", "tiny.toml", "--replicates", "2", "--steps", "2", "--workers",
                           "1", "--no-progress"], "--out", "--force"),
    "calibrate": (["calibrate", "--settings", "cal.toml", "--workers", "1", "--check-runs", "0"], "--out", None),
    "merge": (["merge", "OUT", "sweep"], "OUT", None),  # OUT: merge's positional output folder
}

FAULTS = ("foreign-file", "foreign-subfolder", "user-project", "changed-file", "empty-name", "a-file",
          "symlink", "name-too-long", "under-a-file", "locked", "read-only", "nul")
CASES = [(c, f) for c in WRITERS for f in FAULTS]
# in `make test` (the ~8 s this suite may add): every fault on `run`, the issue's --force faults on every
# command; the rest of the table runs in `make test-slow`
FAST = {("run", f) for f in FAULTS} | {(c, f) for c in WRITERS for f in ("foreign-file", "foreign-subfolder")}
PARAMS = [pytest.param(c, f, id=f"{c}-{f}", marks=() if (c, f) in FAST else pytest.mark.slow) for c, f in CASES]


def tree(root: Path) -> dict[str, str]:
    """Every entry under ``root`` (links as their target, folders as 'dir'), for before/after checks."""
    out = {}
    for p in sorted(root.rglob("*")):
        key = str(p.relative_to(root))
        if p.is_symlink():
            out[key] = "link:" + os.readlink(p)
        elif p.is_dir():
            out[key] = "dir"
        else:
            out[key] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("faults-out")
    (root / "small.toml").write_text(SMALL, encoding="utf-8")
    (root / "toy.toml").write_text(TOY, encoding="utf-8")
    (root / "sob.toml").write_text(SOBOL, encoding="utf-8")
    (root / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    (root / "cal.toml").write_text(CALIBRATION, encoding="utf-8")
    cwd = os.getcwd()
    os.chdir(root)
    try:
        with contextlib.redirect_stderr(open(os.devnull, "w")):
            assert main(["sweep", "toy.toml", "--out", "sweep", "--executor", "serial", "--no-progress"]) == 0
    finally:
        os.chdir(cwd)
    return root


@contextlib.contextmanager
def _read_only(path: Path):
    """``path`` on a read-only file system (a tmpfs remounted read-only), or chmod 555 when not root."""
    path.mkdir()
    if os.geteuid() != 0:
        path.chmod(0o555)
        try:
            yield path
        finally:
            path.chmod(0o755)
        return
    ok = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(path)], capture_output=True)
    if ok.returncode != 0:
        pytest.skip("cannot mount a read-only file system here (root without mount rights)")
    try:
        subprocess.run(["mount", "-o", "remount,ro", str(path)], check=True, capture_output=True)
        yield path
    finally:
        subprocess.run(["umount", str(path)], capture_output=True)


def _earlier(folder: Path, files: dict[str, str]) -> None:
    """An earlier output of the tool: written through the output layer (so it has its manifest)."""
    with writing(folder, command=["test"]) as tmp:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")


def _argv(command: str, out: str, reuse: bool) -> list[str]:
    spec = WRITERS[command]
    if spec is None:
        pytest.skip(f"{command}: its cheap invocation is not in WRITERS yet")
    argv, option, flag = spec
    if option == "OUT":
        return [out if a == "OUT" else a for a in argv]
    return [*argv, option, out, *([flag] if reuse and flag else [])]


@pytest.mark.slow  # builds the whole parser (imports every command): seconds under load
def test_every_command_that_writes_a_folder_is_in_the_case_list():
    """Read from the parser: a new command with --out (or --plots, or merge's OUT) joins WRITERS."""
    writers = {name for name, p in parser_commands().items() if output_option(p)}
    assert writers == set(WRITERS), (sorted(writers - set(WRITERS)), sorted(set(WRITERS) - writers))
    for name, p in parser_commands().items():
        if name in WRITERS:
            assert WRITERS[name][1] == output_option(p), name


@pytest.mark.parametrize("command,fault", PARAMS)
def test_fault_refused_in_one_line_and_nothing_changes(world, tmp_path, monkeypatch, capsys, command, fault):
    monkeypatch.chdir(world)
    case = tmp_path / "case"
    case.mkdir()
    target = case / "out"
    reuse = True
    expect = None
    with contextlib.ExitStack() as stack:
        if fault == "foreign-file":  # issue 21: --force deleted a notes.txt added to an earlier output
            _earlier(target, {"result.csv": "a,b\n"})
            (target / "notes.txt").write_text("mine\n", encoding="utf-8")
            expect = "notes.txt"
        elif fault == "foreign-subfolder":  # ...and a later run stored in a subfolder
            _earlier(target, {"result.csv": "a,b\n", "sub/part.csv": "c\n"})
            (target / "later").mkdir()
            (target / "later" / "run.json").write_text("{}", encoding="utf-8")
            (target / "sub" / "extra.csv").write_text("x\n", encoding="utf-8")
            expect = "later"
        elif fault == "user-project":  # a web project holding one of the names the tool writes
            target.mkdir()
            for name in ("app.js", "README.md", "run.json", "experiment.json", "comparison.json"):
                (target / name).write_text("// mine\n", encoding="utf-8")
            # a sweep folder is recognised by its experiment.json: this one is not JSON, so "damaged"
            expect = "experiment.json" if command in ("sweep", "sensitivity", "merge") else "README.md"
        elif fault == "changed-file":  # an earlier output whose file the user edited: no longer the tool's
            _earlier(target, {"result.csv": "a,b\n"})
            (target / "result.csv").write_text("a,b\n1,2  <- my correction\n", encoding="utf-8")
            expect = "result.csv"
        elif fault == "empty-name":
            target = ""
            expect = "''"
        elif fault == "a-file":
            target.write_text("not a folder\n", encoding="utf-8")
            expect = "not a folder"
        elif fault == "symlink":
            (case / "real").mkdir()
            target.symlink_to(case / "real")
            expect = "symbolic link"
        elif fault == "name-too-long":
            target = case / ("x" * 256)
            expect = "256 bytes"
        elif fault == "under-a-file":
            (case / "f").write_text("x", encoding="utf-8")
            target = case / "f" / "out"
            expect = "is a file"
        elif fault == "locked":  # another command writing there now (the lock is per open file: same process)
            reuse = False
            stack.enter_context(folder_lock(target))
            expect = "another consultsim command is writing there"
        elif fault == "read-only":
            reuse = False
            target = stack.enter_context(_read_only(case / "ro")) / "out"
            expect = "cannot write"
        elif fault == "nul":
            target = Path("a\x00b")
            expect = "NUL"
        before = tree(case)
        before_world = tree(world)
        capsys.readouterr()
        code = main(_argv(command, str(target), reuse))
        err = capsys.readouterr().err
        lines = [x for x in err.splitlines() if x.strip()]
        assert code == 2, (command, fault, code, err)
        assert "Traceback" not in err and len(lines) == 1, (command, fault, err)
        assert expect in lines[0], (command, fault, lines[0])
        if fault in ("foreign-file", "foreign-subfolder", "user-project", "changed-file"):
            assert "--force" not in lines[0].split("error:", 1)[1], lines[0]  # never suggested for others' files
        assert tree(case) == before, (command, fault)
        assert tree(world) == before_world, (command, fault)


# ---------------------------------------------------------------- the layer itself
def test_force_replaces_an_output_whose_every_file_is_ours(tmp_path):
    out = tmp_path / "o"
    _earlier(out, {"a.csv": "1\n", "sub/b.csv": "2\n"})
    assert foreign_files(out) == []
    man = json.loads((out / MARKER).read_text(encoding="utf-8"))
    assert sorted(man["files"]) == ["a.csv", "sub/b.csv"]
    with writing(out, force=True) as tmp:
        (tmp / "c.csv").write_text("3\n", encoding="utf-8")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "c.csv"]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_an_error_or_interrupt_mid_write_leaves_the_earlier_output(tmp_path):
    out = tmp_path / "o"
    _earlier(out, {"a.csv": "1\n"})
    before = tree(tmp_path)
    for exc in (RuntimeError("boom"), KeyboardInterrupt(), SystemExit(143)):
        with pytest.raises(type(exc)), writing(out, force=True) as tmp:
            (tmp / "a.csv").write_text("half", encoding="utf-8")
            raise exc
        assert tree(tmp_path) == before, exc
    # a new folder: nothing is left at all, not even the empty folder made for the lock
    with pytest.raises(RuntimeError), writing(tmp_path / "new" / "deeper") as tmp:
        (tmp / "x").write_text("half", encoding="utf-8")
        raise RuntimeError
    assert tree(tmp_path) == before


def test_staging_holds_the_incomplete_marker_until_done(tmp_path):
    from consultsim.running.outputs import INCOMPLETE
    with writing(tmp_path / "o") as tmp:
        assert (tmp / INCOMPLETE).is_file() and tmp.name.startswith(".o.tmp-")
    assert not (tmp_path / "o" / INCOMPLETE).exists() and (tmp_path / "o" / MARKER).is_file()


def test_a_240_character_name_is_written(world, tmp_path, monkeypatch, capsys):
    """The staging name (a dot, the name, .tmp-PID-XXXX) would pass 255 bytes: it is shortened with a hash."""
    monkeypatch.chdir(world)
    out = tmp_path / ("r" * 240)
    assert main(["run", "small.toml", "--steps", "1", "--seed", "1", "--out", str(out)]) == 0
    assert (out / "run.json").is_file() and sorted(p.name for p in tmp_path.iterdir()) == [out.name]
    zh = tmp_path / ("社" * 80)  # 240 bytes in UTF-8
    assert main(["run", "small.toml", "--steps", "1", "--seed", "1", "--out", str(zh)]) == 0
    assert (zh / "run.json").is_file()


def test_any_os_error_while_writing_is_one_line(tmp_path):
    import errno

    from consultsim.running.outputs import OutputError
    for code in (errno.ENOSPC, errno.EFBIG, errno.EROFS, errno.EIO, errno.ENAMETOOLONG, errno.EMLINK):
        with pytest.raises(OutputError, match="writing failed.*nothing was changed"), writing(tmp_path / "o"):
            raise OSError(code, os.strerror(code))
        assert list(tmp_path.iterdir()) == []


def test_a_symlink_inside_an_earlier_output_is_foreign(tmp_path):
    out = tmp_path / "o"
    _earlier(out, {"a.csv": "1\n"})
    (tmp_path / "precious").mkdir()
    (out / "link").symlink_to(tmp_path / "precious")
    assert foreign_files(out) == ["link"]


def test_control_characters_in_a_refusal_are_escaped(world, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(world)
    out = tmp_path / "o"
    out.mkdir()
    (out / "evil\x1b[2J\nconsultsim: all good").write_text("x", encoding="utf-8")
    assert main(["run", "small.toml", "--steps", "1", "--out", str(out), "--force"]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and err.count("\n") == 1 and "\\x1b[2J\\n" in err


def test_resumable_replace_empties_only_an_output_whose_every_file_is_ours(tmp_path):
    """--force for the commands that fill a folder over time (district, issue 21): resumable(replace=True)."""
    from consultsim.running.outputs import INCOMPLETE, OutputError, resumable

    out = tmp_path / "o"
    with resumable(out, kind="district") as o:
        (o / "parts").mkdir()
        (o / "parts" / "p1.parquet").write_text("1", encoding="utf-8")
        (o / "summary.csv").write_text("a\n", encoding="utf-8")
    with resumable(out, kind="district", replace=True) as o:
        assert sorted(p.name for p in o.iterdir()) == [INCOMPLETE]  # the earlier output is gone, all of it
        (o / "summary.csv").write_text("b\n", encoding="utf-8")
    assert foreign_files(out) == []
    (out / "notes.txt").write_text("mine\n", encoding="utf-8")
    before = tree(tmp_path)
    with pytest.raises(OutputError, match=r"notes\.txt"), resumable(out, kind="district", replace=True):
        raise AssertionError("not reached")
    with pytest.raises(OutputError, match=r"notes\.txt"), resumable(out, kind="district"):  # --resume too
        raise AssertionError("not reached")
    assert tree(tmp_path) == before


def test_resume_accepts_outputs_nested_in_its_folder_but_not_edited_files(tmp_path):
    """plot-sweep and discover write into the sweep's folder by default: a later --resume goes on; a table the
    user edited since is no longer the tool's, and is refused rather than rewritten."""
    from consultsim.running.outputs import OutputError, resumable

    out = tmp_path / "sw"
    with resumable(out, kind="sweep") as o:
        (o / "runs.parquet").write_text("1", encoding="utf-8")
    with writing(out / "plots") as p:
        (p / "y.png").write_text("png", encoding="utf-8")
    with resumable(out, kind="sweep"):
        pass
    (out / "runs.parquet").write_text("1, edited", encoding="utf-8")
    with pytest.raises(OutputError, match=r"runs\.parquet"), resumable(out, kind="sweep"):
        raise AssertionError("not reached")
