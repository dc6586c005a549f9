"""Fault injection, Dask surface (issue 21, parts 3 and 4): every bad scheduler address and every bad
scheduler gives one line and exit 2 within a bounded time; never a hang, a traceback or a silent wait.

Test servers listen on 127.0.0.1 only, in threads with bounded loops; the timeouts are shortened
through the environment (``CONSULTSIM_DASK_CONNECT_SECONDS``, ``CONSULTSIM_DASK_WAIT_SECONDS``).
:data:`ADDRESSES` and :data:`SERVERS` are this suite's case lists.
"""

from __future__ import annotations

import contextlib
import io
import socket
import threading
import time

import pytest

from consultsim.cli import main

TOY = """name = "toy"
model = "consultsim.sweeps.testfunctions:toy"
seed = 5
replicates = 1
steps = 2
metrics = ["y"]
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0]
"""

ADDRESSES = {  # malformed: refused before anything is read or run
    "[::1": "Invalid IPv6 URL",
    "foo://": "unknown protocol",
    "foo://h:1": "unknown protocol",
    "host:notaport": "Port could not be cast",
    "tcp://h:99999": "Port out of range",
    "tcp://h:0": "not in 1-65535",
    "tcp://h": "no port",
    "tcp://a b:1": "expected an address",
    "tcp://h:1/path": "expected an address",
}


@contextlib.contextmanager
def server(kind: str):
    """A TCP server on 127.0.0.1 that accepts and then stays silent, or sends a banner; yields its address."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(0.2)
    stop = threading.Event()
    held = []

    def serve():
        for _ in range(200):  # bounded: at most ~40 s even if never stopped
            if stop.is_set():
                break
            try:
                conn, _ = srv.accept()
            except OSError:
                continue
            held.append(conn)
            if kind == "banner":
                conn.sendall(b"SSH-2.0-OpenSSH_9.6\r\n")

    t = threading.Thread(target=serve, daemon=True)
    t.start()
    try:
        yield f"tcp://127.0.0.1:{srv.getsockname()[1]}"
    finally:
        stop.set()
        t.join(5)
        for c in held:
            c.close()
        srv.close()


def _closed_port() -> str:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return f"tcp://127.0.0.1:{port}"


def _one_line(argv, budget: float) -> str:
    err = io.StringIO()
    t0 = time.monotonic()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    took = time.monotonic() - t0
    lines = [x for x in err.getvalue().splitlines() if x.strip()]
    assert code == 2, (argv, code, err.getvalue()[-2000:])
    assert "Traceback" not in err.getvalue() and len(lines) == 1, err.getvalue()[-2000:]
    assert took < budget, (argv, took)
    return lines[0]


@pytest.fixture
def world(tmp_path, monkeypatch):
    (tmp_path / "toy.toml").write_text(TOY, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONSULTSIM_DASK_CONNECT_SECONDS", "1")
    monkeypatch.setenv("CONSULTSIM_DASK_WAIT_SECONDS", "1")
    return tmp_path


def _sweep(address: str) -> list[str]:
    return ["sweep", "toy.toml", "--executor", "dask", "--scheduler", address, "--out", "o", "--no-progress"]


@pytest.mark.parametrize("address", list(ADDRESSES))
def test_a_malformed_address_is_one_line(world, address):
    line = _one_line(_sweep(address), 10)
    assert ADDRESSES[address] in line and not (world / "o").exists()


def test_nothing_listening_is_one_line(world):
    address = _closed_port()
    line = _one_line(_sweep(address), 10)
    assert f"cannot reach the Dask scheduler at {address}" in line


def test_a_port_that_accepts_but_never_answers_is_one_line_within_the_timeout(world, monkeypatch):
    monkeypatch.setenv("CONSULTSIM_DASK_CONNECT_SECONDS", "0.3")
    with server("silent") as address:
        line = _one_line(_sweep(address), 10)
    assert "accepts connections but did not answer within 0.3 s" in line


def test_a_service_that_sends_a_banner_is_one_line(world):
    with server("banner") as address:
        line = _one_line(_sweep(address), 10)
    assert "is not a Dask scheduler" in line and "SSH-2.0" in line


def test_the_address_in_a_scheduler_file_is_checked(world):
    (world / "s.json").write_text('{"address": "host:notaport"}', encoding="utf-8")
    assert "address" in _one_line(_sweep("s.json"), 10)


def test_a_bad_timeout_setting_is_one_line(world, monkeypatch):
    monkeypatch.setenv("CONSULTSIM_DASK_CONNECT_SECONDS", "forever")
    with server("silent") as address:
        assert "CONSULTSIM_DASK_CONNECT_SECONDS" in _one_line(_sweep(address), 10)


@pytest.mark.slow
def test_a_scheduler_with_no_workers_says_so_and_stops(world):
    """A real Dask scheduler (on 127.0.0.1, no workers): one line saying so, the wait, then exit 2."""
    pytest.importorskip("distributed")
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, host="127.0.0.1", protocol="tcp://", dashboard_address=None,
                      processes=False) as cluster:
        err = io.StringIO()
        t0 = time.monotonic()
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            code = main(_sweep(cluster.scheduler_address))
        took = time.monotonic() - t0
    lines = [x for x in err.getvalue().splitlines() if x.strip()]
    assert code == 2 and took < 30, (code, took, err.getvalue())
    assert lines[0] == f"consultsim: the scheduler at {cluster.scheduler_address} has 0 workers; waiting 1 s"
    assert "still has 0 workers after 1 s" in lines[-1] and len(lines) == 2
    assert "Traceback" not in err.getvalue()
