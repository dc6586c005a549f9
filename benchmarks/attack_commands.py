"""A fresh attack over every command of the parser, each case in a forked child with a timeout (issue 21).

The command list comes from :func:`consultsim.cli.build_parser` (district's subcommands included), so a
new command is attacked without editing this file: its output option (``--out``, ``--plots`` or
merge's ``OUT``), its file inputs (positional arguments and ``--settings``, ``--worlds``,
``--worlds-file``, ``--replay``, ``--scenario``, ``--scheduler``) and its number options (every option
whose argparse type is a number check, ``int`` or ``float``) are read from the parser. A cheap valid
invocation per command is in :data:`BASE` (a command missing there is reported, not skipped silently).

Classes (the issue's items 1-11): foreign files and --force, user projects, symlinked / long / empty /
NUL / file / read-only --out, a lock held by another writer, control characters in --out, SIGTERM and
SIGINT at several moments, a file-size limit (``RLIMIT_FSIZE``, a full disk for this process), FIFOs,
/dev/zero, symlink loops, folders, binary and oversized files, deep TOML and JSON, 5,000-digit
numbers, base chains, bad numbers for every number option, bad Dask addresses (malformed, silent
port, banner service), duplicate --set, infinite ranges, names with escape codes, and evaluate()'s
bad arguments.

Each case runs in a forked child (the package imported once; ``sys.argv`` set so SIGTERM is caught as
on the command line), with a timeout and a 6 GiB address-space limit. Outcomes:

- OK: a bad input refused with exit 2 and one line, no traceback; a valid input done (exit 0); a signal
  leaves the earlier output or nothing or a folder marked unfinished;
- traceback (or a crash: killed by a signal, MemoryError), hang (timeout), silent acceptance (exit 0 on
  a bad input), loss (a file the tool did not write changed or deleted, or a half-written folder that
  looks complete).

Usage: ``PYTHONPATH=. python benchmarks/attack_commands.py [--only WORD] [--verbose]``.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import io
import json
import os
import resource
import select
import shutil
import signal
import socket
import stat as st
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))  # the fault suites' shared snippets and parser readers
from fault_snippets import (  # noqa: E402
    CALIBRATION,
    DISTRICT,
    SMALL,
    SOBOL,
    TOY,
    file_inputs,
    number_options,
    parser_commands,
)

# command path -> (argv with {W} for the world folder, the output option or None, the reuse flag or None)
BASE: dict[str, tuple[list[str], str | None, str | None]] = {
    "run": (["run", "{W}/small.toml", "--steps", "2", "--seed", "1"], "--out", "--force"),
    "compare": (["compare", "{W}/small.toml", "--replicates", "2", "--steps", "2", "--workers", "1", "--quiet"],
                "--out", "--force"),
    "scenarios": (["scenarios"], None, None),
    "validate": (["validate", "--scenario", "{W}/small.toml", "--replicates", "2", "--steps", "2", "--workers",
                  "1", "--quiet"], None, None),
    "sweep": (["sweep", "{W}/toy.toml", "--executor", "serial", "--no-progress"], "--out", "--resume"),
    "sensitivity": (["sensitivity", "{W}/sob.toml", "--executor", "serial", "--no-progress"], "--out", "--resume"),
    "robustness": (["robustness", "--levers", "online", "--worlds", "2", "--replicates", "1", "--steps", "2",
                    "--households", "10", "--executor", "serial", "--no-progress"], "--out", "--resume"),
    "merge": (["merge", "{OUT}", "{W}/sweep"], "OUT", None),
    "calibrate": (["calibrate", "--settings", "{W}/cal.toml", "--workers", "1", "--check-runs", "0"], "--out",
                  "--resume"),
    "plot-sweep": (["plot-sweep", "{W}/sweep"], "--plots", "--force"),
    "discover": (["discover", "{W}/sweep", "--target", "y > 10"], "--out", "--force"),
    "district run": (["district", "run", "{W}/tiny.toml", "--steps", "1", "--executor", "serial", "--no-progress"],
                     "--out", "--force"),
    "district compare": (["district", "compare", "{W}/tiny.toml", "online", "--steps", "1", "--executor", "serial",
                          "--no-progress"], "--out", "--force"),
    "district allocate": (["district", "allocate", "{W}/tiny.toml", "--steps", "1", "--replicates", "2",
                           "--verify-replicates", "2", "--executor", "serial", "--no-progress"], "--out", "--force"),
    "app": (["app", "--scenario", "{W}/small.toml", "--port", "{PORT}"], None, None),
}
# longer runs of the writers, so that a signal lands mid-work
LONG = {
    "run": ["run", "{W}/small.toml", "--steps", "3000", "--seed", "1"],
    "compare": ["compare", "{W}/small.toml", "--replicates", "3", "--steps", "1500", "--workers", "1", "--quiet"],
    "sweep": ["sweep", "{W}/slow.toml", "--executor", "serial", "--no-progress"],
    "sensitivity": ["sensitivity", "{W}/slowsob.toml", "--executor", "serial", "--no-progress"],
    "robustness": ["robustness", "--levers", "online", "--worlds", "2", "--replicates", "2", "--steps", "80",
                   "--households", "200", "--executor", "serial", "--no-progress"],
    "merge": ["merge", "{OUT}", "{W}/sweep", "{W}/sweep2"],
    "calibrate": ["calibrate", "--settings", "{W}/cal.toml", "--workers", "1", "--check-runs", "2"],
    "plot-sweep": ["plot-sweep", "{W}/sweep"],
    "discover": ["discover", "{W}/sweep", "--target", "y > 10"],
    "district run": ["district", "run", "{W}/tiny.toml", "--steps", "300", "--executor", "serial",
                     "--no-progress"],
    "district compare": ["district", "compare", "{W}/tiny.toml", "online", "--steps", "150", "--executor",
                         "serial", "--no-progress"],
    "district allocate": ["district", "allocate", "{W}/tiny.toml", "--steps", "30", "--replicates", "2",
                          "--verify-replicates", "2", "--executor", "serial", "--no-progress"],
}
DIR_INPUTS = {"dir", "dirs"}  # take a sweep folder


# ---------------------------------------------------------------- one case in a forked child
def _snapshot(root: Path) -> dict[str, str]:
    out = {}
    for dirpath, dirs, files in os.walk(root):
        for n in dirs + files:
            p = os.path.join(dirpath, n)
            m = os.lstat(p).st_mode
            rel = os.path.relpath(p, root)
            if st.S_ISREG(m):
                with open(p, "rb") as fh:
                    out[rel] = hashlib.sha256(fh.read()).hexdigest()
            elif st.S_ISLNK(m):
                out[rel] = "link:" + os.readlink(p)
            else:
                out[rel] = "dir" if st.S_ISDIR(m) else f"mode {m:o}"
    return out


def forked(argv: list[str], cwd: Path, timeout: float, *, fsize: int | None = None, signal_at=None,
           env: dict | None = None, target=None) -> tuple[object, str, str]:
    """(exit code | 'hang' | 'signal N', stdout, stderr) of ``consultsim ARGV`` (or ``target()``) in a child."""
    rout, wout = os.pipe()
    rerr, werr = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child
        code = 70
        try:
            os.setpgid(0, 0)
            os.dup2(wout, 1)
            os.dup2(werr, 2)
            for fd in (rout, rerr, wout, werr):
                os.close(fd)
            sys.stdout = io.TextIOWrapper(os.fdopen(1, "wb", closefd=False), encoding="utf-8",
                                          line_buffering=True)
            sys.stderr = io.TextIOWrapper(os.fdopen(2, "wb", closefd=False), encoding="utf-8",
                                          line_buffering=True)
            os.chdir(cwd)
            resource.setrlimit(resource.RLIMIT_AS, (6 << 30, 6 << 30))
            if fsize is not None:
                resource.setrlimit(resource.RLIMIT_FSIZE, (fsize, fsize))
            os.environ.update(env or {})
            signal.signal(signal.SIGTERM, signal.SIG_DFL)
            signal.signal(signal.SIGINT, signal.default_int_handler)
            if target is not None:
                code = target()
            else:
                from consultsim.cli import main
                sys.argv = ["consultsim", *argv]
                code = main()
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 2
        except BaseException:  # noqa: BLE001 - an escaped exception is what we count
            import traceback
            traceback.print_exc()
            code = 99
        finally:
            with contextlib.suppress(Exception):
                sys.stdout.flush()
                sys.stderr.flush()
            os._exit(code if isinstance(code, int) else 99)
    os.close(wout)
    os.close(werr)
    bufs = {rout: b"", rerr: b""}
    t0 = time.monotonic()
    sent = set()
    status = None
    plan = sorted(signal_at or [], key=lambda x: x[0] if isinstance(x[0], (int, float)) else 0)
    open_fds = [rout, rerr]
    while True:
        for i, (when, sig) in enumerate(plan):
            if i in sent:
                continue
            fire = (time.monotonic() - t0 >= when) if isinstance(when, (int, float)) else when()
            if fire:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(pid, sig)
                sent.add(i)
        if open_fds:
            ready, _, _ = select.select(open_fds, [], [], 0.02)
            for fd in ready:
                chunk = os.read(fd, 65536)
                if chunk:
                    bufs[fd] += chunk[:200_000 - len(bufs[fd])] if len(bufs[fd]) < 200_000 else b""
                else:
                    open_fds.remove(fd)
        else:
            time.sleep(0.02)
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() - t0 > timeout:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            for fd in (rout, rerr):
                os.close(fd)
            return "hang", "", ""
    with contextlib.suppress(ProcessLookupError):  # workers the child left behind
        os.killpg(pid, signal.SIGKILL)
    for fd in list(open_fds):
        while True:
            r, _, _ = select.select([fd], [], [], 0.5)
            if not r:
                break
            chunk = os.read(fd, 65536)
            if not chunk:
                break
            bufs[fd] += chunk[:max(0, 200_000 - len(bufs[fd]))]
    for fd in (rout, rerr):
        os.close(fd)
    out, err = (bufs[x].decode("utf-8", "replace") for x in (rout, rerr))
    code = os.waitstatus_to_exitcode(status)
    return (code if code >= 0 else f"signal {-code}"), out, err


# ---------------------------------------------------------------- the world
def make_world(root: Path) -> None:
    from consultsim.cli import main

    (root / "small.toml").write_text(SMALL, encoding="utf-8")
    (root / "toy.toml").write_text(TOY, encoding="utf-8")
    (root / "toy2.toml").write_text(TOY.replace("seed = 5", "seed = 6"), encoding="utf-8")
    (root / "slow.toml").write_text(TOY.replace("steps = 4", "steps = 4\nruns_per_file = 1")
                                    .replace("slope = [1.0, 2.0, 3.0, 4.0]",
                                             "slope = [" + ", ".join(str(1 + i / 10) for i in range(40)) + "]"
                                             + "\ndelay = 0.1"), encoding="utf-8")
    (root / "slowsob.toml").write_text(SOBOL.replace("n = 4", "n = 16").replace("replicates = 1", "replicates = 1\n"
                                       "runs_per_file = 1") + "delay = 0.1\n", encoding="utf-8")
    (root / "sob.toml").write_text(SOBOL, encoding="utf-8")
    (root / "tiny.toml").write_text(DISTRICT, encoding="utf-8")
    (root / "cal.toml").write_text(CALIBRATION, encoding="utf-8")
    import numpy as np
    import pandas as pd
    pd.DataFrame({"particle": [0, 1], "voice_exponent": [2.0, 2.5], "weight": [0.5, 0.5]}).to_parquet(
        root / "worlds.parquet")
    with contextlib.redirect_stderr(io.StringIO()), contextlib.redirect_stdout(io.StringIO()):
        cwd = os.getcwd()
        os.chdir(root)
        try:
            assert main(["sweep", "toy.toml", "--out", "sweep", "--executor", "serial", "--no-progress"]) == 0
            assert main(["sweep", "toy.toml", "--out", "sweepA", "--executor", "serial", "--no-progress",
                         "--shard", "1/2"]) == 0
            assert main(["sweep", "toy.toml", "--out", "sweep2", "--executor", "serial", "--no-progress",
                         "--shard", "2/2"]) == 0
        finally:
            os.chdir(cwd)
    del np


def fill(argv, world: Path, out: str | None = None, port: int = 0) -> list[str]:
    return [a.replace("{W}", str(world)).replace("{OUT}", "merged" if out is None else out).replace("{PORT}", str(port))
            for a in argv]


def with_out(cmd: str, argv: list[str], out: str) -> list[str]:
    _, option, _ = BASE[cmd]
    if option == "OUT":
        return [out if a == "{OUT}" else a for a in argv]
    return [*argv, option, out]


# ---------------------------------------------------------------- the bad files
def _fifo(d):
    os.mkfifo(d / "bad")
    return d / "bad"


def _loop(d):
    (d / "l1").symlink_to(d / "l2")
    (d / "l2").symlink_to(d / "l1")
    return d / "l1"


def _write(text, name="bad"):
    def make(d):
        p = d / name
        p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
        return p
    return make


def _huge(d):
    with open(d / "bad", "wb") as fh:
        fh.truncate(3_000_000_000)
    return d / "bad"


def _chain(d):
    for i in range(1501):
        (d / f"c{i}.toml").write_text(f'base = "c{i + 1}.toml"\n' if i < 1500 else SMALL, encoding="utf-8")
    return d / "c0.toml"


def _folder(d):
    (d / "bad").mkdir()
    return d / "bad"


def _devzero_link(d):
    (d / "bad").symlink_to("/dev/zero")
    return d / "bad"


def _sweep_with(member: str, make):
    """A copy of the world's sweep folder whose ``member`` is replaced by a bad file."""
    def build(d, world):
        s = d / "sw"
        shutil.copytree(world / "sweep", s, symlinks=True)
        target = s / member
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        made = make(d)
        os.rename(made, target)
        return s
    return build


BAD_FILES = {
    "fifo": _fifo, "dev-zero": lambda d: Path("/dev/zero"), "dev-zero-link": _devzero_link,
    "symlink-loop": _loop, "folder": _folder, "oversized": _huge,
    "binary": _write(b"\xff\xfe\x00garbage"), "empty": _write(b""),
    "toml-3000-deep": _write("[community]\nx = " + "[" * 3000 + "]" * 3000 + "\n"),
    "toml-5000-digits": _write("[community]\nn_residents = " + "9" * 5000 + "\n"),
    "json-deep": _write("[" * 100_000 + "]" * 100_000),
    "base-chain": _chain,
}
BAD_SWEEP_DIRS = {  # for commands reading a sweep folder
    "experiment.json-fifo": _sweep_with("experiment.json", _fifo),
    "experiment.json-devzero": _sweep_with("experiment.json", _devzero_link),
    "experiment.json-deep": _sweep_with("experiment.json", _write("[" * 100_000 + "]" * 100_000)),
    "experiment.json-loop": _sweep_with("experiment.json", _loop),
    "runs-part-fifo": None,  # filled below (its path depends on the part's name)
}


def _part_fifo(d, world):
    s = d / "sw"
    shutil.copytree(world / "sweep", s, symlinks=True)
    part = sorted((s / "parts").glob("part-*"))[0]
    (part / "runs.parquet").unlink()
    os.mkfifo(part / "runs.parquet")
    return s


BAD_SWEEP_DIRS["runs-part-fifo"] = _part_fifo


# ---------------------------------------------------------------- cases
class Case:
    def __init__(self, cmd, cls, name, argv, expect="refuse", *, fsize=None, signal_at=None, env=None,
                 setup=None, timeout=60, check=None, target=None):
        self.cmd, self.cls, self.name, self.argv, self.expect = cmd, cls, name, argv, expect
        self.fsize, self.signal_at, self.env, self.setup, self.timeout = fsize, signal_at, env, setup, timeout
        self.check, self.target = check, target


def _silent_port():
    """A port that accepts connections and never answers (a listening socket nobody reads)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(50)
    return s


def _banner_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    s.listen(50)

    def serve():
        while True:
            try:
                c, _ = s.accept()
            except OSError:
                return
            with contextlib.suppress(OSError):
                c.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")
                time.sleep(0.2)
                c.close()
    threading.Thread(target=serve, daemon=True).start()
    return s


def build_cases(world: Path, only: str | None) -> list[Case]:
    cmds = parser_commands()
    cases: list[Case] = []
    missing = [c for c in cmds if c not in BASE]
    for c in missing:
        cases.append(Case(c, "coverage", "no cheap invocation in BASE", None, "missing"))
    silent, banner = _silent_port(), _banner_port()
    build_cases.sockets = (silent, banner)
    bad_numbers = {"int": {"1e9": "1e9", "huge": "1000000000", "negative": "-1", "fraction": "2.5", "nan": "nan",
                           "inf": "inf", "empty": "", "text": "many", "digits-5000": "9" * 5000},
                   "float": {"negative": "-1", "nan": "nan", "inf": "inf", "empty": "", "text": "many",
                             "1e400": "1e400", "huge": "1e300"}}
    for cmd, parser in cmds.items():
        if cmd not in BASE:
            continue
        base, option, reuse = BASE[cmd]
        # ---- numbers (every number option of the parser)
        for opt, kind in number_options(parser):
            for bname, val in bad_numbers[kind].items():
                if (opt, bname) in {("--budget", "huge"), ("--seed", "huge")}:
                    continue  # a large budget is a budget, a seed of 10**9 a seed
                argv = [*base, opt, val]
                if option:
                    argv = with_out(cmd, argv, "o")
                cases.append(Case(cmd, "number", f"{opt} {bname}", argv))
        # ---- files (every file input of the parser)
        for inp in file_inputs(parser):
            bads = dict(BAD_FILES)
            if inp in DIR_INPUTS:
                bads = {k: v for k, v in bads.items() if k in ("fifo", "dev-zero", "symlink-loop", "oversized",
                                                               "binary")}
                for k, v in BAD_SWEEP_DIRS.items():
                    cases.append(Case(cmd, "file", f"{inp} {k}", ("DIR", cmd, inp, v)))
            for k, make in bads.items():
                if k == "base-chain" and inp not in ("scenario", "scenarios", "--scenario", "packages"):
                    continue
                cases.append(Case(cmd, "file", f"{inp} {k}", ("FILE", cmd, inp, make)))
        # ---- outputs
        if option:
            for fault in ("foreign-file", "foreign-subfolder", "user-project", "changed-file", "symlink-empty",
                          "name-256", "empty-name", "a-file", "under-a-file", "nul", "read-only", "locked",
                          "dotdot-default", "control-chars-name", "name-240"):
                cases.append(Case(cmd, "output", fault, ("OUT", cmd, fault), timeout=120))
            if cmd in LONG:
                for when in (0.3, 1.0, 2.0, 4.0, "staged"):
                    cases.append(Case(cmd, "signal", f"SIGTERM at {when}", ("SIG", cmd, when, signal.SIGTERM),
                                      timeout=180))
                cases.append(Case(cmd, "signal", "SIGINT at 1.5", ("SIG", cmd, 1.5, signal.SIGINT), timeout=180))
                cases.append(Case(cmd, "signal", "SIGTERM replacing earlier (or resuming)", ("SIGFORCE", cmd), timeout=240))
                cases.append(Case(cmd, "disk", "RLIMIT_FSIZE 8 kB", ("FSIZE", cmd, 8_000), timeout=240))
        # ---- Dask addresses
        if any(a.option_strings == ["--scheduler"] for a in parser._actions):
            for name, addr in {"bracket": "[::1", "foo-scheme": "foo://x:1", "notaport": "host:notaport",
                               "no-port": "tcp://127.0.0.1", "port-0": "tcp://127.0.0.1:0",
                               "control": "tcp://a\x1b[2J:1", "silent": f"tcp://127.0.0.1:{silent.getsockname()[1]}",
                               "banner": f"tcp://127.0.0.1:{banner.getsockname()[1]}"}.items():
                argv = [*[a for a in base if a != "serial"], "--scheduler", addr]
                argv = [("dask" if a == "--executor" else a) for a in argv]
                argv = [a for a in argv]
                # --executor serial -> --executor dask
                argv = [*base[:], "--scheduler", addr]
                i = argv.index("--executor")
                argv[i + 1] = "dask"
                argv = with_out(cmd, argv, "o")
                cases.append(Case(cmd, "dask", name, argv, env={"CONSULTSIM_DASK_CONNECT_SECONDS": "2",
                                                                 "CONSULTSIM_DASK_WAIT_SECONDS": "2"}, timeout=60))
    # ---- the other inputs
    cases += [
        Case("run", "other", "duplicate --set", [*BASE["run"][0], "--set", "supervision=0.2", "--set",
                                                 "supervision=0.3", "--out", "o"]),
        Case("run", "other", "control chars in name", ("NAME", "run")),
        Case("compare", "other", "control chars in name", ("NAME", "compare")),
        Case("district run", "other", "control chars in district name", ("NAME", "district run")),
        Case("sweep", "other", "inf range", ("INF", "sweep")),
        Case("sensitivity", "other", "inf range", ("INF", "sensitivity")),
        Case("sweep", "other", "--add-replicates 100000 on resume", ["sweep", "{W}/toy.toml", "--executor", "serial",
                                                                     "--resume", "--add-replicates", "100000",
                                                                     "--out", "{W}/sweep"]),
        Case("discover", "other", "every run reaches the target", ["discover", "{W}/sweep", "--target", "y > -1e9",
                                                                   "--out", "o"]),
        Case("discover", "other", "5000 nots", ["discover", "{W}/sweep", "--target", "not " * 5000 + "y > 1",
                                                "--out", "o"]),
        Case("discover", "other", "window past the runs", ["discover", "{W}/sweep", "--target", "y > 10",
                                                           "--window", "0:99999", "--out", "o"]),
        Case("discover", "other", "week past the runs", ["discover", "{W}/sweep", "--target", "y > 10", "--week",
                                                         "99999", "--out", "o"]),
        Case("sensitivity", "other", "week past the runs", ["sensitivity", "{W}/sob.toml", "--executor", "serial",
                                                            "--week", "99999", "--out", "o"]),
        Case("robustness", "other", "tiny community, 5 weeks", ["robustness", "--levers", "online,combined",
                                                                "--worlds", "2", "--replicates", "1", "--steps",
                                                                "5", "--households", "10", "--executor", "serial",
                                                                "--no-progress", "--out", "o"], "succeed",
             timeout=200),
        Case("robustness", "other", "--structures tiny", ["robustness", "--structures", "--levers", "online",
                                                          "--replicates", "2", "--steps", "3", "--households",
                                                          "10", "--executor", "serial", "--no-progress", "--out",
                                                          "o"], "succeed", timeout=300),
        Case("robustness", "other", "--worlds-file", ["robustness", "--worlds-file", "{W}/worlds.parquet", "--levers",
                                                      "online", "--worlds", "2", "--replicates", "1", "--steps", "2",
                                                      "--households", "10", "--executor", "serial", "--no-progress",
                                                      "--out", "o"], "succeed", timeout=200),
        Case("app", "other", "--port 0", ["app", "--scenario", "{W}/small.toml", "--port", "0"]),
        Case("app", "other", "--host garbage", ["app", "--host", "\x1b[2Jnot a host", "--port", "8799"]),
    ]
    cases += [Case("evaluate()", "evaluate", repr(kw)[:60], ("EVAL", kw)) for kw in EVAL_BAD]
    if only:
        cases = [c for c in cases if only in f"{c.cmd} {c.cls} {c.name}"]
    return cases


EVAL_BAD = [dict(steps=10**9), dict(steps=-5), dict(steps=0), dict(steps=2.7), dict(steps="3"), dict(steps=True),
            dict(steps=None), dict(steps=float("nan")), dict(outcomes=[]), dict(outcomes="participation_rate"),
            dict(outcomes=[3]), dict(outcomes={"participation_rate": 1}), dict(seed=-1),
            dict(seed=2**64), dict(seed="1"), dict(seed=1.5), dict(seed=None), dict(window=(0, float("nan"))),
            dict(window="0:3"), dict(window=(0, 99)), dict(window=(3, 1)), dict(window=(0,)), dict(week="2"),
            dict(week=99), dict(week=1.5), dict(week=-1), dict(params={"supervision": float("nan")}),
            dict(params={"supervision": float("inf")}), dict(params=["supervision"]), dict(params={"nosuch": 1}),
            dict(params={"n_residents": 10**9}), dict(params={"n_residents": "100"}), dict(params=None),
            dict(params={"supervision": "0.5"}), dict(params={3: 1}), dict(scenario="no-such-scenario"),
            dict(scenario=3)]


# ---------------------------------------------------------------- running a case
def _earlier(cmd: str, folder: Path, world: Path, files: dict[str, str]) -> None:
    from consultsim.running.outputs import writing
    with writing(folder, command=["test"]) as tmp:
        for name, text in files.items():
            (tmp / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp / name).write_text(text, encoding="utf-8")


_EARLIER: dict[str, Path] = {}


def _real_earlier(cmd: str, world: Path, case_dir: Path, out: Path, argv_long=False) -> tuple[object, str]:
    """An earlier output of ``cmd`` in ``out``: made once per command, then copied (the manifest holds
    relative names and hashes, so a copy is as much the tool's as the original)."""
    if cmd not in _EARLIER:
        keep = world.parent / "earlier" / cmd.replace(" ", "-")
        keep.parent.mkdir(exist_ok=True)
        argv = with_out(cmd, fill(BASE[cmd][0], world, str(keep)), str(keep))
        code, _, err = forked(argv, keep.parent, 240)
        if code != 0:
            return code, err
        _EARLIER[cmd] = keep
    shutil.copytree(_EARLIER[cmd], out, symlinks=True)
    return 0, ""


def _one_line(err: str) -> list[str]:
    return [x for x in err.splitlines() if x.strip() and "warning" not in x.lower()]


def run_case(c: Case, world: Path, verbose=False) -> tuple[str, str]:
    from consultsim.running.outputs import INCOMPLETE, MARKER, folder_lock

    d = Path(tempfile.mkdtemp(prefix="atk-", dir=world.parent))
    port = _free_port()
    try:
        spec = c.argv
        expect = c.expect
        watch_out = None        # the output folder (for signal and disk cases)
        earlier = None          # its tree before (when an earlier output was there)
        user = None             # files of the user's that must survive
        env = dict(c.env or {})
        signal_at = None
        fsize = None
        timeout = c.timeout
        if spec is None:
            return "missing", "no cheap invocation"
        if isinstance(spec, tuple) and spec[0] == "EVAL":
            kw = spec[1]

            def target():
                from consultsim import evaluate
                from consultsim.core.params import ParamError
                args = {"params": {"n_residents": 100, "n_buildings": 4}, "seed": 1, "steps": 3, **kw}
                try:
                    evaluate(args.pop("params"), args.pop("seed"), **args)
                except ParamError as e:
                    print(f"ParamError: {e}", file=sys.stderr)
                    return 2
                return 0
            code, out, err = forked([], d, 60, target=target)
            return _classify_refusal(code, err, d, {}, None)
        if isinstance(spec, tuple) and spec[0] in ("FILE", "DIR"):
            _, cmd, inp, make = spec
            bad = make(d) if spec[0] == "FILE" else make(d, world)
            argv = _argv_with_input(cmd, inp, bad, world, d, port)
        elif isinstance(spec, tuple) and spec[0] == "OUT":
            _, cmd, fault = spec
            argv, watch_out, expect, user, hold = _output_case(cmd, fault, world, d, port)
            if hold is not None:
                lock_cm = folder_lock(hold)
                lock_cm.__enter__()
            else:
                lock_cm = None
            before = _snapshot(d)
            try:
                code, out, err = forked(argv, d, timeout, env=env)
            finally:
                if lock_cm is not None:
                    lock_cm.__exit__(None, None, None)
            return _classify_output(code, out, err, d, before, watch_out, expect, user, fault)
        elif isinstance(spec, tuple) and spec[0] in ("SIG", "SIGFORCE", "FSIZE"):
            cmd = spec[1]
            out_dir = d / "out"
            argv = with_out(cmd, fill(LONG[cmd], world, str(out_dir), port), str(out_dir))
            reuse = BASE[cmd][2]
            if spec[0] == "SIGFORCE" and reuse == "--resume":  # interrupted, then interrupted again resuming
                forked(argv, d, timeout, signal_at=[(1.5, signal.SIGTERM)], env=env)
            elif spec[0] == "SIGFORCE":
                code0, err0 = _real_earlier(cmd, world, d, out_dir)
                if code0 != 0:
                    return "setup failed", f"earlier {cmd}: {code0} {err0[-300:]}"
                earlier = _snapshot(out_dir)
            if spec[0] == "SIGFORCE" and reuse:
                argv.append(reuse)
            if spec[0] == "FSIZE":
                fsize = spec[2]
            else:
                when = 1.5 if spec[0] == "SIGFORCE" else spec[2]
                sig = signal.SIGTERM if spec[0] == "SIGFORCE" else spec[3]
                if when == "staged":
                    when = _staged_probe(d, out_dir)
                signal_at = [(when, sig)]
            before = _snapshot(d)
            code, out, err = forked(argv, d, timeout, fsize=fsize, signal_at=signal_at, env=env)
            return _classify_fault(code, err, d, before, out_dir, earlier, spec[0], INCOMPLETE, MARKER)
        elif isinstance(spec, tuple) and spec[0] == "NAME":
            cmd = spec[1]
            evil = "a\\u001b[2J\\rb\\nconsultsim: forged"
            if cmd == "district run":
                (d / "evil.toml").write_text(DISTRICT.replace('name = "tiny"', f'name = "{evil}"'), encoding="utf-8")
                argv = ["district", "run", str(d / "evil.toml"), "--steps", "1", "--executor", "serial",
                        "--no-progress"]
            else:
                (d / "evil.toml").write_text(SMALL.replace('name = "small"', f'name = "{evil}"'), encoding="utf-8")
                argv = [a.replace("{W}/small.toml", str(d / "evil.toml")) for a in BASE[cmd][0]]
            code, out, err = forked(argv, d, 120)
            raw = out + err
            if code == "hang":
                return "hang", ""
            if "Traceback" in err or not isinstance(code, int):
                return "traceback", err[-800:]
            if "\x1b" in raw or "\r" in raw or "\nconsultsim: forged" in raw:
                return "unescaped", raw[-400:]
            return ("OK" if code == 0 else "unclear"), err[-300:]
        elif isinstance(spec, tuple) and spec[0] == "INF":
            cmd = spec[1]
            text = (SOBOL if cmd == "sensitivity" else TOY.replace('method = "grid"', 'method = "lhs"\nn = 4')
                    .replace("slope = [1.0, 2.0, 3.0, 4.0]", "slope = {low = 0.5, high = 2.0}"))
            text = text.replace("high = 2.0", "high = inf")
            (d / "inf.toml").write_text(text, encoding="utf-8")
            argv = [cmd, str(d / "inf.toml"), "--executor", "serial", "--out", "o"]
        else:
            argv = fill(spec, world, "o", port)
        before = _snapshot(d)
        wbefore = _snapshot(world)
        code, out, err = forked(argv, d, timeout, env=env)
        if expect == "succeed":
            if code == "hang":
                return "hang", ""
            if "Traceback" in err or not isinstance(code, int):
                return "traceback", err[-800:]
            return ("OK" if code == 0 else "failed"), err[-400:]
        res = _classify_refusal(code, err, d, before, None)
        if res[0] == "OK" and _snapshot(world) != wbefore:
            return "loss", "the world folder changed"
        return res
    finally:
        with contextlib.suppress(Exception):
            _chmod_all(d)
        shutil.rmtree(d, ignore_errors=True)


def _chmod_all(d: Path):
    for dirpath, dirs, _ in os.walk(d):
        for n in dirs:
            with contextlib.suppress(OSError):
                os.chmod(os.path.join(dirpath, n), 0o755)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _staged_probe(d: Path, out: Path):
    """True once the command has made its staging folder, the out folder or its first part."""
    def ready():
        try:
            names = os.listdir(d)
        except OSError:
            return False
        return (any(".tmp-" in n for n in names) or (out / "parts").exists() or (out / "worlds").exists()
                or (out / "calibration.db").exists() or any(n.startswith(".") for n in
                                                              (os.listdir(out) if out.is_dir() else [])))
    return ready


def _argv_with_input(cmd: str, inp: str, bad: Path, world: Path, d: Path, port: int) -> list[str]:
    base, option, _ = BASE[cmd]
    argv = fill(base, world, "o", port)
    bad = str(bad)
    if inp == "--replay":  # the export names the scenario, seed and weeks
        return ["run", "--replay", bad, "--out", "o"]
    if inp.startswith("--"):
        if inp in argv:
            argv[argv.index(inp) + 1] = bad
        else:
            argv += [inp, bad]
            if inp == "--scheduler":
                i = argv.index("--executor")
                argv[i + 1] = "dask"
                if bad.endswith("bad") or not bad.endswith(".json"):
                    link = d / "sched.json"
                    if not link.exists():
                        link.symlink_to(bad)
                    argv[-1] = str(link)
    else:  # positional: replace the world file it names
        pos = {"scenario": 1, "scenarios": 1, "experiment": 1, "dir": 1, "dirs": 2, "district": 2, "packages": 3}[inp]
        if cmd == "merge" and inp == "dirs":
            pos = 2
        argv[pos] = bad
    if option and option != "OUT":
        argv = [*argv, option, "o"]
    return argv


def _output_case(cmd: str, fault: str, world: Path, d: Path, port: int):
    base, option, reuse = BASE[cmd]
    target = d / "out"
    expect = "refuse"
    user = None
    hold = None
    use_reuse = True
    if fault == "foreign-file":  # an earlier output of this very command, then a user's notes.txt in it
        code, err = _real_earlier(cmd, world, d, target)
        if code != 0:
            raise RuntimeError(f"earlier {cmd} failed: {err[-500:]}")
        (target / "notes.txt").write_text("mine\n", encoding="utf-8")
        user = {"out/notes.txt"}
    elif fault == "foreign-subfolder":
        code, err = _real_earlier(cmd, world, d, target)
        if code != 0:
            raise RuntimeError(f"earlier {cmd} failed: {err[-500:]}")
        (target / "later").mkdir()
        (target / "later" / "run.json").write_text("{}", encoding="utf-8")
        user = {"out/later/run.json"}
    elif fault == "user-project":
        target.mkdir()
        for name in ("app.js", "README.md", "run.json", "experiment.json", "comparison.json", "calibration.db",
                     "robustness.csv", "district.json"):
            (target / name).write_text("// mine\n", encoding="utf-8")
        user = {f"out/{n}" for n in ("app.js", "README.md")}
    elif fault == "changed-file":
        code, err = _real_earlier(cmd, world, d, target)
        if code != 0:
            raise RuntimeError(f"earlier {cmd} failed: {err[-500:]}")
        f = sorted(p for p in target.rglob("*") if p.is_file() and not p.name.startswith("."))[0]
        f.write_bytes(f.read_bytes() + b"\nmy correction\n")
        user = {str(f.relative_to(d))}
    elif fault == "symlink-empty":
        (d / "real").mkdir()
        target.symlink_to(d / "real")
    elif fault == "name-256":
        target = d / ("x" * 256)
    elif fault == "name-240":
        target = d / ("r" * 240)
        expect = "succeed"
        use_reuse = False
    elif fault == "control-chars-name":
        target = d / "o\x1b[2J\nx"
        expect = "succeed"
        use_reuse = False
    elif fault == "empty-name":
        target = ""
    elif fault == "a-file":
        target.write_text("not a folder\n", encoding="utf-8")
        user = {"out"}
    elif fault == "under-a-file":
        (d / "f").write_text("x", encoding="utf-8")
        target = d / "f" / "out"
    elif fault == "nul":
        target = "a\x00b"
    elif fault == "read-only":
        ro = d / "ro"
        ro.mkdir()
        ro.chmod(0o555)
        if os.geteuid() == 0:  # root writes through chmod: a read-only bind mount instead
            os.system(f"mount --bind {ro} {ro} && mount -o remount,bind,ro {ro}")
            _MOUNTS.append(ro)
        target = ro / "out"
        use_reuse = False
    elif fault == "locked":
        target.mkdir()
        hold = target
        use_reuse = False
    elif fault == "dotdot-default":  # the default output folder is steered by no name
        (d / "esc.toml").write_text('name = "../../../x"\n' + SMALL.split("\n", 1)[1], encoding="utf-8")
        (d / "esc_exp.toml").write_text(TOY.replace('name = "toy"', 'name = "../../../x"'), encoding="utf-8")
        (d / "esc_district.toml").write_text(DISTRICT.replace('name = "tiny"', 'name = "../../../x"'),
                                             encoding="utf-8")
        argv = fill(base, world, "merged", port)
        argv = [a.replace(f"{world}/small.toml", str(d / "esc.toml")).replace(f"{world}/toy.toml",
                                                                                str(d / "esc_exp.toml"))
                .replace(f"{world}/tiny.toml", str(d / "esc_district.toml")) for a in argv]
        return argv, None, "default-out", None, None
    argv = with_out(cmd, fill(base, world, str(target), port), str(target))
    if use_reuse and reuse:
        argv.append(reuse)
    return argv, target, expect, user, hold


_MOUNTS: list[Path] = []


def _classify_refusal(code, err, d, before, _):
    lines = _one_line(err)
    if code == "hang":
        return "hang", ""
    if "Traceback" in err or not isinstance(code, int) or code == 99:
        return "traceback", err[-1200:]
    if code == 0:
        return "silent acceptance", err[-300:]
    if before and _snapshot(d) != before:
        return "written", err[-300:]
    if code != 2 or len(lines) != 1:
        return "unclear", f"exit {code}: {err[-600:]}"
    if "\x1b" in err or "\r" in err:
        return "unescaped", err[-300:]
    return "OK", lines[0][:300]


def _classify_output(code, out, err, d, before, target, expect, user, fault):
    from consultsim.running.outputs import INCOMPLETE, foreign_files
    after = _snapshot(d)
    if code == "hang":
        return "hang", ""
    if "Traceback" in err or not isinstance(code, int) or code == 99:
        return "traceback", err[-1200:]
    for f in user or ():
        if before.get(f) != after.get(f):
            return "loss", f"{f} changed or deleted; exit {code}: {err[-300:]}"
    if fault in ("foreign-file", "foreign-subfolder", "user-project", "changed-file"):
        removed = [k for k in before if k not in after]
        if removed:
            return "loss", f"removed {removed[:5]}; exit {code}"
    if expect == "default-out":
        escaped = [p for p in (d.parent, d.parent.parent) if (p / "x").exists()]
        if escaped:
            return "loss", f"wrote outside: {escaped}"
        lines = _one_line(err)
        return ("OK" if code == 0 or (code == 2 and len(lines) == 1) else "failed"), err[-300:]
    if expect == "succeed":
        if code != 0:
            return "failed", f"exit {code}: {err[-600:]}"
        if "\x1b" in out + err or "\nx" in (out + err).replace("\\nx", ""):
            pass
        t = Path(target)
        if not t.is_dir() or (t / INCOMPLETE).exists() or foreign_files(t):
            return "loss", f"{t} not a finished output"
        if any(".tmp-" in n or ".old-" in n for n in os.listdir(d)):
            return "litter", str(os.listdir(d))
        if "\x1b" in out + err:
            return "unescaped", (out + err)[-300:]
        return "OK", ""
    lines = _one_line(err)
    if code == 0:
        return "silent acceptance", err[-300:]
    if after != before:
        return "written", str(sorted(set(after.items()) ^ set(before.items()))[:5])
    if code != 2 or len(lines) != 1:
        return "unclear", f"exit {code}: {err[-600:]}"
    if fault in ("foreign-file", "foreign-subfolder", "user-project", "changed-file") and \
            "--force" in lines[0].split(":", 2)[-1]:
        return "suggests --force", lines[0]
    return "OK", lines[0][:300]


def _classify_fault(code, err, d, before, out_dir, earlier, kind, INCOMPLETE, MARKER):
    from consultsim.running.outputs import foreign_files
    if code == "hang":
        return "hang", ""
    if "Traceback" in err or (not isinstance(code, int)) or code == 99:
        return "traceback", err[-1200:]
    litter = [n for n in os.listdir(d) if ".tmp-" in n or ".old-" in n]
    if code == 0:
        state = "finished"
        if not out_dir.is_dir() or (out_dir / INCOMPLETE).exists() or foreign_files(out_dir):
            return "loss", "exit 0 but the folder is not a finished output"
        return ("OK" if not litter else "litter"), f"finished before the fault ({state})"
    if earlier is not None:
        now = _snapshot(out_dir) if out_dir.exists() else None
        if now != earlier and not (out_dir / INCOMPLETE).exists():
            return "loss", f"earlier output changed; exit {code}: {err[-400:]}"
    elif out_dir.exists():
        names = os.listdir(out_dir)
        if names and INCOMPLETE not in names:
            return "loss", f"half-written folder without the unfinished marker: {sorted(names)[:8]}; exit {code}"
    if litter:
        return "litter", str(litter)
    lines = _one_line(err)
    # SIGFORCE on a resumable command: a --resume refused in one line (nothing started yet) is fine too
    want = {"FSIZE": (2,), "SIG": (130, 143, 1), "SIGFORCE": (130, 143, 1, 2)}[kind]
    if code not in want or len(lines) > 2:
        return "unclear", f"exit {code}: {err[-600:]}"
    return "OK", f"exit {code}: {lines[-1][:200] if lines else ''}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="cases whose 'command class name' holds this text")
    ap.add_argument("--commands", help="comma-separated commands to attack (e.g. 'run,district run,evaluate()')")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    os.environ.setdefault("MPLBACKEND", "Agg")
    tmp = Path(tempfile.mkdtemp(prefix="consultsim-attack-cmds-"))
    world = tmp / "world"
    world.mkdir()
    make_world(world)
    cases = build_cases(world, a.only)
    if a.commands:
        keep = {c.strip() for c in a.commands.split(",")}
        cases = [c for c in cases if c.cmd in keep]
    table: dict[str, Counter] = defaultdict(Counter)
    bad = []
    t0 = time.monotonic()
    for i, c in enumerate(cases):
        try:
            outcome, detail = run_case(c, world, a.verbose)
        except Exception as e:  # noqa: BLE001 - the harness's own failure, reported
            outcome, detail = "harness error", f"{type(e).__name__}: {e}"
        finally:
            while _MOUNTS:
                os.system(f"umount {_MOUNTS.pop()} 2>/dev/null")
        kind = "OK" if outcome == "OK" else outcome
        table[c.cmd][kind] += 1
        if outcome != "OK":
            bad.append((c.cmd, c.cls, c.name, outcome, detail))
        if a.verbose:
            print(f"[{i + 1}/{len(cases)} {time.monotonic() - t0:.0f}s] {c.cmd} | {c.cls} | {c.name!r}: {outcome}"
                  f" {detail[:200]!r}", flush=True)
    kinds = ["OK", "traceback", "hang", "silent acceptance", "loss", "unclear", "written", "failed", "litter",
             "unescaped", "suggests --force", "missing", "setup failed", "harness error"]
    kinds = [k for k in kinds if any(t[k] for t in table.values())] + \
        sorted({k for t in table.values() for k in t} - set(kinds))
    print(f"| command | cases | {' | '.join(kinds)} |")
    print(f"|---|---|{'---|' * len(kinds)}")
    total = Counter()
    for cmd in sorted(table):
        t = table[cmd]
        total.update(t)
        print(f"| {cmd} | {sum(t.values())} | {' | '.join(str(t[k]) for k in kinds)} |")
    print(f"| **all** | {sum(total.values())} | {' | '.join(str(total[k]) for k in kinds)} |")
    for cmd, cls, name, outcome, detail in bad:
        print(f"- {cmd} | {cls} | {name!r}: {outcome}: {detail.strip()[-500:]!r}")
    if a.json:
        Path(a.json).write_text(json.dumps({"table": {k: dict(v) for k, v in table.items()},
                                            "bad": bad}, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"{len(cases)} cases in {time.monotonic() - t0:.0f} s", file=sys.stderr)
    for s in getattr(build_cases, "sockets", ()):
        s.close()
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if not bad else 1


if __name__ == "__main__":
    sys.exit(main())
