"""Fault injection in the middle of writing (issue 21, part 4), each command in a subprocess: SIGTERM
and SIGINT while it works, a file-size limit (``ulimit -f``: the disk is "full" for that process),
two writers at once. All marked slow (each starts Python, several run a model).

The invariant after any of them: the output folder is the earlier output, untouched, or absent,
or (for commands that fill a folder over time: sweep, robustness) marked unfinished with
``.consultsim-incomplete``; never a folder that looks complete and is not. :data:`SIGNAL_CASES` and
:data:`FSIZE_CASES` are this file's case lists.
"""

from __future__ import annotations

import hashlib
import os
import resource
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from fault_snippets import DISTRICT, SMALL, toy_slow

from consultsim.running.outputs import INCOMPLETE, MARKER, foreign_files

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parent.parent


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]),
            "MPLBACKEND": "Agg"}


def _spawn(args, cwd: Path, fsize: int | None = None) -> subprocess.Popen:
    def limit():
        # a command started from a background job of a non-interactive shell inherits SIGINT ignored (POSIX),
        # and Python then installs no KeyboardInterrupt handler: the SIGINT cases would test the shell, not us
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        if fsize is not None:
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
    return subprocess.Popen([sys.executable, "-m", "consultsim.cli", *args], cwd=cwd, env=_env(),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
                            preexec_fn=limit)


def _wait_for(cond, timeout: float = 120.0) -> bool:
    t0 = time.monotonic()
    while not cond():
        if time.monotonic() - t0 > timeout:
            return False
        time.sleep(0.01)
    return True


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture
def world(tmp_path):
    (tmp_path / "small.toml").write_text(SMALL, encoding="utf-8")
    (tmp_path / "slow.toml").write_text(toy_slow(0.3), encoding="utf-8")
    (tmp_path / "toy.toml").write_text(toy_slow(0), encoding="utf-8")
    (tmp_path / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    # long enough (about 10 s) that a second command surely starts while it runs, on a fast or a loaded machine
    (tmp_path / "busy.toml").write_text(SMALL.replace('"small"', '"busy"').replace("n_residents = 100", "n_residents = 2000"),
                                        encoding="utf-8")
    return tmp_path


def _staged(world: Path, name: str):
    return lambda: any(p.name.startswith(f".{name}.tmp-") for p in world.iterdir())


# (command, argv, the folder, when to send the signal, staged (True) or filled in place (False))
SIGNAL_CASES = {
    "run": (["run", "small.toml", "--steps", "5000", "--seed", "1", "--out", "out"], "out", "staged", True),
    "compare": (["compare", "small.toml", "--replicates", "4", "--steps", "3000", "--workers", "1", "--quiet",
                 "--out", "out"], "out", "staged", True),
    "sweep": (["sweep", "slow.toml", "--out", "out", "--executor", "serial", "--no-progress"], "out", "parts",
              False),
    "robustness": (["robustness", "--levers", "online", "--worlds", "2", "--replicates", "2", "--steps", "60",
                    "--households", "200", "--executor", "serial", "--no-progress", "--out", "out"], "out",
                   "worlds", False),
    # the fresh attack (issue 21): district wrote its tables in place with no unfinished marker
    "district": (["district", "run", "tiny.toml", "--steps", "400", "--executor", "serial", "--no-progress",
                  "--out", "out"], "out", "district.json", False),
}


# SIGINT (KeyboardInterrupt) takes the same path as SIGTERM: tried on run and sweep only, to keep it shorter
@pytest.mark.parametrize("command,sig", [
    pytest.param(c, s, id=f"{c}-{s.name}") for c in SIGNAL_CASES for s in (signal.SIGTERM, signal.SIGINT)
    if s == signal.SIGTERM or c in ("run", "sweep")])
def test_a_signal_mid_write_leaves_the_earlier_output_or_a_folder_marked_unfinished(world, command, sig):
    argv, folder, when, staged = SIGNAL_CASES[command]
    out = world / folder
    p = _spawn(argv, world)
    ready = _staged(world, folder) if when == "staged" else (lambda: (out / when).exists())
    assert _wait_for(ready), p.stderr.read().decode()[-2000:] if p.poll() is not None else "never started"
    os.killpg(p.pid, sig)
    err = p.communicate(timeout=120)[1].decode()
    assert p.returncode in (130, 143), (p.returncode, err[-2000:])
    assert "Traceback" not in err, err[-2000:]
    assert not [x for x in world.iterdir() if ".tmp-" in x.name or ".old-" in x.name]
    if staged:
        assert not out.exists()  # nothing of the new output, not even the locked empty folder
    else:
        assert (out / INCOMPLETE).is_file() and not (out / MARKER).exists()
        # and it can be continued: the marker goes, the manifest comes
        if command == "sweep":
            done = subprocess.run([sys.executable, "-m", "consultsim.cli", "sweep", "slow.toml", "--out", "out",
                                   "--executor", "serial", "--no-progress", "--resume"], cwd=world, env=_env(),
                                  capture_output=True, timeout=300)
            assert done.returncode == 0, done.stderr.decode()[-2000:]
            assert not (out / INCOMPLETE).exists() and foreign_files(out) == []


def test_sigterm_while_replacing_an_earlier_output_keeps_it(world):
    assert subprocess.run([sys.executable, "-m", "consultsim.cli", "run", "small.toml", "--steps", "2", "--seed",
                           "1", "--out", "out"], cwd=world, env=_env(), capture_output=True).returncode == 0
    earlier = _tree(world / "out")
    p = _spawn(["run", "small.toml", "--steps", "5000", "--seed", "2", "--out", "out", "--force"], world)
    assert _wait_for(_staged(world, "out"))
    os.killpg(p.pid, signal.SIGTERM)
    p.communicate(timeout=120)
    assert p.returncode == 143 and _tree(world / "out") == earlier


def test_sigterm_at_any_moment_of_discover_leaves_all_or_nothing(world):
    """The staging folder lives for a fraction of a second: whichever comes first, the folder is whole or absent."""
    assert subprocess.run([sys.executable, "-m", "consultsim.cli", "sweep", "toy.toml", "--out", "sw", "--executor",
                           "serial", "--no-progress"], cwd=world, env=_env(), capture_output=True).returncode == 0
    p = _spawn(["discover", "sw", "--target", "y > 10"], world)
    _wait_for(lambda: any(x.name.startswith(".discover.tmp-") for x in (world / "sw").iterdir())
              or p.poll() is not None)
    with __import__("contextlib").suppress(ProcessLookupError):
        os.killpg(p.pid, signal.SIGTERM)
    err = p.communicate(timeout=120)[1].decode()
    assert "Traceback" not in err
    out = world / "sw" / "discover"
    if p.returncode == 0:
        assert foreign_files(out) == [] and (out / "box.csv").is_file()
    else:
        assert p.returncode == 143 and not out.exists()
    assert not [x for x in (world / "sw").iterdir() if ".tmp-" in x.name]


FSIZE_CASES = {  # a file-size limit the command's output passes (a "full disk" for this process)
    "run": (["run", "small.toml", "--steps", "300", "--seed", "1", "--out", "out"], 20_000),
    "compare": (["compare", "small.toml", "--replicates", "2", "--steps", "100", "--workers", "1", "--quiet",
                 "--out", "out"], 20_000),
    "sweep": (["sweep", "toy.toml", "--out", "out", "--executor", "serial", "--no-progress"], 3_000),
    "district": (["district", "run", "tiny.toml", "--steps", "30", "--executor", "serial", "--no-progress",
                  "--out", "out"], 8_000),  # pyarrow's write error (no errno) was a traceback
}


@pytest.mark.parametrize("command", list(FSIZE_CASES))
def test_a_file_size_limit_is_one_line_and_nothing_looks_complete(world, command):
    argv, limit = FSIZE_CASES[command]
    p = _spawn(argv, world, fsize=limit)
    err = p.communicate(timeout=300)[1].decode()
    lines = [x for x in err.splitlines() if x.strip() and "warning" not in x]
    assert p.returncode == 2, (p.returncode, err[-2000:])
    assert "Traceback" not in err and len(lines) == 1 and "File too large" in lines[0], err[-2000:]
    out = world / "out"
    assert not [x for x in world.iterdir() if ".tmp-" in x.name]
    assert not out.exists() or (out / INCOMPLETE).is_file()


def test_two_runs_into_one_folder_at_once(world):
    a = _spawn(["run", "busy.toml", "--steps", "3000", "--seed", "1", "--out", "out"], world)
    assert _wait_for(_staged(world, "out"))
    b = subprocess.run([sys.executable, "-m", "consultsim.cli", "run", "small.toml", "--steps", "2", "--out", "out"],
                       cwd=world, env=_env(), capture_output=True, timeout=120)
    assert b.returncode == 2 and "another consultsim command is writing there" in b.stderr.decode(), \
        (a.poll(), b.stderr.decode())  # a.poll() not None: the first run ended before the second started
    assert a.wait(timeout=300) == 0 and foreign_files(world / "out") == []


def test_robustness_on_a_tiny_community_and_short_run_finishes(world):
    """Issue 21: 10 households, 5 weeks ended in ZeroDivisionError after writing half the tables."""
    done = subprocess.run([sys.executable, "-m", "consultsim.cli", "robustness", "--levers", "online,combined",
                           "--worlds", "2", "--replicates", "1", "--steps", "5", "--households", "10", "--executor",
                           "serial", "--no-progress", "--out", "rb"], cwd=world, env=_env(), capture_output=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr.decode()[-2000:]
    assert "n/a" in done.stdout.decode() and foreign_files(world / "rb") == []
    assert not (world / "rb" / INCOMPLETE).exists()
    again = subprocess.run([sys.executable, "-m", "consultsim.cli", "robustness", "--out", "rb"], cwd=world,
                           env=_env(), capture_output=True, timeout=300)
    assert again.returncode == 2 and "add --resume" in again.stderr.decode()


def test_a_stop_swallowed_by_c_code_is_sent_again():
    """SIGTERM 0.3 s into `sensitivity` landed in SciPy's Sobol set-up (a Cython noexcept function): Python
    printed "Exception ignored" with a traceback and the command ran on to exit 0. The unraisable hook
    of the command line sends the signal again instead, and prints nothing."""
    import contextlib
    import io
    import types

    from consultsim.cli import Terminated, _unraisable

    got = []
    for sig, exc in ((signal.SIGTERM, Terminated()), (signal.SIGINT, KeyboardInterrupt())):
        old = signal.signal(sig, lambda *a, s=sig: got.append(s))
        try:
            err = io.StringIO()
            with contextlib.redirect_stderr(err):
                _unraisable(types.SimpleNamespace(exc_value=exc, exc_type=type(exc), exc_traceback=None,
                                                  err_msg=None, object=None))
                time.sleep(0.05)
        finally:
            signal.signal(sig, old)
        assert err.getvalue() == ""
    assert got == [signal.SIGTERM, signal.SIGINT]
