"""Fault injection, the app's server (issue 21, item 11): a garbage websocket frame gives one log line, no
traceback, and the server keeps serving.

Starts ``consultsim app`` on 127.0.0.1 (a free port) in a subprocess: slow (Solara takes seconds to start).
"""

from __future__ import annotations

import base64
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
REPO = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as r:
        return r.status


def _ws(port: int, path: str) -> socket.socket:
    """A websocket opened by hand (the handshake only), so any bytes can follow."""
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode())
    head = s.recv(4096)
    assert head.startswith(b"HTTP/1.1 101"), head[:200]
    return s


def _frame(payload: bytes, opcode: int = 1) -> bytes:
    """One masked client frame (RFC 6455 5.2) holding ``payload``."""
    mask = os.urandom(4)
    n = len(payload)
    head = bytes([0x80 | opcode]) + (bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + n.to_bytes(2, "big"))
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


@pytest.mark.parametrize("lang,word,stop", [("en", "malformed message", signal.SIGTERM),
                                            ("zh", "格式错误", signal.SIGINT)])
def test_a_garbage_websocket_frame_is_one_line_and_the_app_keeps_serving(tmp_path, lang, word, stop):
    """...and stopping it (SIGTERM, or Ctrl-C: click's Abort escaped as a traceback) is quiet too."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "MPLBACKEND": "Agg"}
    env.pop("CONSULTSIM_APP_DEBUG", None)
    p = subprocess.Popen([sys.executable, "-m", "consultsim.cli", "app", "--host", "127.0.0.1", "--port", str(port),
                          "--allow-cdn", "--lang", lang], cwd=tmp_path, env=env, stdout=subprocess.DEVNULL,
                         stderr=subprocess.PIPE, start_new_session=True)
    try:
        t0 = time.monotonic()
        while True:
            try:
                assert _get(port) == 200
                break
            except OSError:
                assert p.poll() is None, p.stderr.read().decode()[-2000:]
                assert time.monotonic() - t0 < 120, "the app did not start"
                time.sleep(0.3)
        path = "/jupyter/api/kernels/k1/channels?session_id=s1"
        s = _ws(port, path)  # text that is not JSON: Solara's message loop raised JSONDecodeError here
        s.sendall(_frame(b"\x00garbage{{{ not json"))
        s.settimeout(10)
        with contextlib.suppress(OSError):  # the server closes this connection (or not): either is fine
            s.recv(4096)
        s.close()
        s = _ws(port, path.replace("k1", "k2"))  # bytes that are not a websocket frame at all
        s.sendall(os.urandom(64) + b"\x8f\x00\xff\xff")
        time.sleep(1)
        s.close()
        assert _get(port) == 200  # still serving
        time.sleep(1)
    finally:
        os.killpg(p.pid, stop)
        try:
            err = p.communicate(timeout=30)[1].decode()
        except subprocess.TimeoutExpired:
            os.killpg(p.pid, signal.SIGKILL)
            err = p.communicate()[1].decode()
    assert "Traceback" not in err, err[-3000:]
    dropped = [x for x in err.splitlines() if word in x]
    assert len(dropped) == 1 and "JSONDecodeError" in dropped[0], err[-3000:]

