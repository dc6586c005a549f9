"""Workers never outlive the sweep that started them (issue 11): kill -9 of the main process leaves no
process-pool or local Dask worker alive after 10 s. And the local Dask cluster is closed to other local
processes (issue 12): mutual TLS with temporary credentials, nothing listening on the dashboard's 8787."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent


def _toy(tmp_path: Path) -> Path:
    p = tmp_path / "slow.toml"
    p.write_text("""
name = "slow"
model = "consultsim.sweeps.testfunctions:toy"
seed = 5
replicates = 4
steps = 3
metrics = ["y"]
runs_per_file = 1
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.0]
delay = 0.4
""", encoding="utf-8")
    return p


def _kill_main_and_watch_workers(tmp_path: Path, executor: str) -> None:
    out = tmp_path / "o"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")])}
    proc = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "sweep", str(_toy(tmp_path)), "--out",
                             str(out), "--executor", executor, "--workers", "2", "--no-progress"],
                            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while not list((out / "parts").glob("part-*")) and time.monotonic() < deadline:
            time.sleep(0.05)  # runs are being committed: the workers are up and busy
        assert list((out / "parts").glob("part-*")), "the sweep never got going"
        workers = [p for p in psutil.Process(proc.pid).children(recursive=True)]
        assert len(workers) >= 2, workers
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        gone, alive = psutil.wait_procs(workers, timeout=10)
        alive = [p for p in alive if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"still running 10 s after kill -9 of the main process: {alive}"
    finally:
        if proc.poll() is None:
            proc.kill()
        for p in psutil.Process().children(recursive=True):  # never leave our own strays behind
            if p.pid != os.getpid() and "consultsim" in " ".join(p.cmdline() or []):
                p.kill()


def test_kill_9_leaves_no_process_pool_worker(tmp_path):
    _kill_main_and_watch_workers(tmp_path, "process")


@pytest.mark.dask
def test_kill_9_leaves_no_dask_worker(tmp_path):
    _kill_main_and_watch_workers(tmp_path, "dask")


@pytest.mark.dask
def test_local_dask_cluster_refuses_other_processes_and_serves_no_dashboard():
    from distributed import Client
    from distributed.security import Security

    from consultsim.running.executors import make_executor

    with make_executor("dask", workers=1) as ex:
        assert ex.submit(pow, 2, 5).result() == 32
        address = ex._client.scheduler.address
        assert address.startswith("tls://127.0.0.1:")
        # a stranger with its own (valid, but not ours) TLS credentials, or with none, cannot connect
        for kw in ({"security": Security.temporary()}, {}):
            target = address if kw else address.replace("tls://", "tcp://")
            with pytest.raises(Exception):  # noqa: B017 - Dask raises OSError, TypeError or a comm error
                with Client(target, timeout="3s", **kw) as c:
                    c.submit(pow, 2, 2).result(timeout=3)
        with socket.socket() as s:
            assert s.connect_ex(("127.0.0.1", 8787)) != 0, "something answers on the dashboard port 8787"
        mine = {os.getpid(), *(p.pid for p in psutil.Process().children(recursive=True))}
        ports = {c.laddr.port for c in psutil.net_connections("tcp") if c.status == "LISTEN" and c.pid in mine}
        assert 8787 not in ports
