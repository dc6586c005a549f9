"""One small layer over :mod:`concurrent.futures` for sweeps and scenario comparisons.

Three executors behind one interface (:func:`make_executor`):

- ``"serial"``: runs each task in this process when it is submitted (for
  debugging, tests and tiny jobs);
- ``"process"``: a :class:`~concurrent.futures.ProcessPoolExecutor` whose
  workers live for the whole job. ``import mesa`` (3.3) sets the ``spawn``
  start method for the whole process, so a new worker re-imports numpy,
  pandas, networkx and Mesa (about a second); a pool kept alive pays that
  once per worker, not once per run;
- ``"dask"``: a ``distributed.Client`` connected to ``scheduler`` (an address
  such as ``tcp://10.0.0.5:8786``, or the JSON file that ``dask scheduler
  --scheduler-file`` writes) or, when none is given, to a ``LocalCluster`` on 127.0.0.1 secured with
  Dask's own temporary TLS credentials (:meth:`distributed.security.Security.temporary`: mutual TLS
  with a key that lives only in this process, so no other local process can connect and submit work)
  and with no dashboard (its HTTP server, which Dask always starts, serves only health and metrics
  on a random loopback port, never 8787).
  ``client.get_executor()`` is Dask's own ``concurrent.futures`` adapter
  (https://distributed.dask.org/en/stable/api.html#distributed.Client.get_executor);
  Dask re-runs the tasks of a worker that dies (``distributed.scheduler.allowed-failures``).

:func:`imap_unordered` feeds an iterable of items to any of them in chunks
(one task per ``chunksize`` items, to amortise the per-task overhead),
keeps a bounded number of tasks in flight so the driver's memory does not
grow with the number of items, and yields ``(item, result)`` pairs as
tasks finish, with a ``tqdm`` progress bar on stderr.

Workers never outlive the process that started them: process-pool workers
run a watchdog thread (:func:`_exit_with_parent`) that ends the worker within
half a second of its parent's death, so a ``kill -9`` of ``consultsim sweep``
leaves no worker behind (local Dask workers already exit when they lose
their nanny, which lives in the driver; tests/test_workers_exit.py checks both).

Dask is imported only inside :func:`make_executor`, so nothing below the
top layer depends on it.
"""

from __future__ import annotations

import concurrent.futures as cf
import itertools
import logging
import multiprocessing
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

__all__ = ["EXECUTORS", "CHOICES", "SerialExecutor", "make_executor", "imap_unordered", "executor_workers",
           "probe_scheduler", "wait_for_workers"]

EXECUTORS = ("serial", "process", "dask")
CHOICES = ("auto", *EXECUTORS)  # what the command line offers; "auto" is decided by the sweep runner
_WATCH_SECONDS = 0.5


def _exit_with_parent(parent: int | None = None) -> None:
    """Start a daemon thread that ends this process when its parent dies (worker side).

    A pool worker blocked on its task queue would otherwise wait forever after
    a ``kill -9`` of the driver. Polling ``os.getppid()`` works everywhere and
    is immune to pid reuse: a dead parent's children are re-parented.
    """
    parent = os.getppid() if parent is None else parent

    def watch():
        while os.getppid() == parent:
            time.sleep(_WATCH_SECONDS)
        os._exit(70)

    threading.Thread(target=watch, name="consultsim-exit-with-parent", daemon=True).start()


class SerialExecutor(cf.Executor):
    """An executor that runs each task in the calling process, at submission time.

    The returned future is already done; an exception raised by the task is
    stored in the future (as a real pool would do), not raised by ``submit``.
    """

    def __init__(self):
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError("cannot schedule new futures after shutdown")
        fut: cf.Future = cf.Future()
        fut.set_running_or_notify_cancel()
        try:
            fut.set_result(fn(*args, **kwargs))
        except BaseException as e:  # noqa: BLE001 - a pool would capture it too
            fut.set_exception(e)
        return fut

    def shutdown(self, wait=True, *, cancel_futures=False):
        self._shutdown = True


@contextmanager
def make_executor(kind: str = "process", workers: int | None = None,
                  scheduler: str | None = None) -> Iterator[cf.Executor]:
    """An executor of the given ``kind`` ("serial", "process" or "dask"), shut down on exit.

    ``workers`` defaults to ``os.cpu_count()`` (for "process" and a local
    Dask cluster; ignored for "serial" and an existing Dask ``scheduler``).
    """
    from consultsim.errors import UsageError

    if kind not in EXECUTORS:
        raise UsageError(f"unknown executor {kind!r}; choose one of {', '.join(EXECUTORS)}")
    if workers is not None and int(workers) < 1:
        raise UsageError(f"--workers must be at least 1 (got {workers})")
    n = int(workers) if workers else (os.cpu_count() or 1)
    if kind == "serial":
        ex = SerialExecutor()
        try:
            yield ex
        finally:
            ex.shutdown()
    elif kind == "process":
        # spawn explicitly: the same start method whether or not Mesa was imported first.
        ex = cf.ProcessPoolExecutor(max_workers=n, mp_context=multiprocessing.get_context("spawn"),
                                    initializer=_exit_with_parent, initargs=(os.getpid(),))
        try:
            yield ex
        finally:
            ex.shutdown(wait=True, cancel_futures=True)
    else:
        with _dask_client(n, scheduler) as client:
            # pure=False: two identical submissions are two tasks, as in a process pool.
            ex = client.get_executor(pure=False)
            ex._consultsim_workers = _dask_nthreads(client) or n
            try:
                yield ex
            finally:
                ex.shutdown(wait=False)


@contextmanager
def _dask_client(n: int, scheduler: str | None):
    if scheduler:  # checked before Dask is imported (seconds): a bad address or server costs nothing
        from consultsim.running.inputs import scheduler_address

        address = scheduler_address(scheduler)
        seconds = _env_seconds(CONNECT_ENV, CONNECT_SECONDS)
        probe_scheduler(address, seconds)  # connect and identify, each bounded: never a silent wait
    try:
        from distributed import Client, LocalCluster
    except ImportError:  # pragma: no cover - dask is an optional dependency
        from consultsim.errors import UsageError
        raise UsageError("the dask executor needs dask[distributed] (pip install consultsim[sweep])") from None
    if scheduler:
        from consultsim.errors import UsageError

        # an address (tcp://host:8786) or the JSON file `dask scheduler --scheduler-file` writes
        try:
            client = Client(address=address, timeout=f"{seconds}s")
        except (OSError, TimeoutError, ValueError) as e:
            raise UsageError(f"cannot reach the Dask scheduler at {address}: {e}") from None
        try:
            wait_for_workers(client, address, _env_seconds(WAIT_ENV, WAIT_SECONDS))
            yield client
        finally:
            client.close()
        return
    from distributed.security import Security

    try:
        security = Security.temporary()  # needs the cryptography package (in the sweep extra)
    except ImportError:  # pragma: no cover - cryptography comes with consultsim[sweep]
        from consultsim.errors import UsageError
        raise UsageError("a local Dask cluster needs the cryptography package for its TLS credentials "
                         "(pip install consultsim[sweep])") from None
    # dashboard off; Dask still starts an HTTP server for health checks: a random loopback port, not 8787.
    cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", worker_dashboard_address=None,
                           scheduler_kwargs={"dashboard": False}, security=security,
                           silence_logs=logging.ERROR)
    try:
        client = Client(cluster, security=security)
        try:
            yield client
        finally:
            client.close()
    finally:
        cluster.close()


CONNECT_SECONDS = 10.0  # to connect, then to hear the scheduler's handshake (it speaks first)
WAIT_SECONDS = 60.0     # for a first worker when the scheduler has none
CONNECT_ENV, WAIT_ENV = "CONSULTSIM_DASK_CONNECT_SECONDS", "CONSULTSIM_DASK_WAIT_SECONDS"
_MAX_HANDSHAKE = 1 << 20  # bytes: a Dask handshake is a few hundred


def _env_seconds(name: str, default: float) -> float:
    """Seconds from the environment variable ``name`` (tests use about 1 s), else ``default``."""
    import math

    from consultsim.errors import UsageError
    text = os.environ.get(name)
    if text is None or not text.strip():
        return default
    try:
        v = float(text)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and 0 < v <= 3600):
        raise UsageError(f"{name}={text!r}: expected seconds in (0, 3600]")
    return v


def probe_scheduler(address: str, seconds: float = CONNECT_SECONDS) -> None:
    """Connect to ``address`` and check that a Dask scheduler answers, within ``seconds`` per step.

    A Dask server speaks first: on every new connection it writes its handshake, framed as Dask
    frames everything (distributed.comm.tcp: an 8-byte length, then a count of frames and their
    lengths). Anything else is one :class:`UsageError` line: nothing listening, a port that accepts
    but never answers, a service that sends a banner of its own (whose first bytes Dask would read
    as a length of exabytes). A ``tls://`` server waits for the client's TLS hello, so there only
    the connection is checked here (Dask's own timeout bounds the rest).
    """
    import socket
    import struct

    from consultsim.errors import UsageError
    from consultsim.running.inputs import parse_scheduler_address

    scheme, host, port = parse_scheduler_address(address)
    where = f"the Dask scheduler at {address}"
    try:
        sock = socket.create_connection((host, port), timeout=seconds)
    except TimeoutError:
        raise UsageError(f"cannot reach {where}: no connection within {seconds:g} s") from None
    except OSError as e:
        raise UsageError(f"cannot reach {where}: {e.strerror or e}") from None
    with sock:
        if scheme != "tcp":
            return

        def read(n: int) -> bytes:
            buf = b""
            while len(buf) < n:
                try:
                    chunk = sock.recv(n - len(buf))
                except TimeoutError:
                    raise UsageError(f"{where} accepts connections but did not answer within {seconds:g} s "
                                     "(not a Dask scheduler, or a stalled one)") from None
                except OSError as e:
                    raise UsageError(f"{where}: the connection failed ({e.strerror or e})") from None
                if not chunk:
                    raise UsageError(f"{where} closed the connection without a Dask handshake (not a Dask "
                                     "scheduler?)")
                buf += chunk
            return buf

        sock.settimeout(seconds)
        first = read(8)
        (total,) = struct.unpack("<Q", first)
        wrong = UsageError(f"{where} is not a Dask scheduler: it answered {first!r}..., not Dask's protocol "
                           "(check the port: Dask's default is 8786)")
        if not 16 <= total <= _MAX_HANDSHAKE:
            raise wrong
        body = read(total)
        (n_frames,) = struct.unpack("<Q", body[:8])
        if not 1 <= n_frames <= 64 or 8 + 8 * n_frames > total:
            raise wrong
        lengths = struct.unpack(f"<{n_frames}Q", body[8:8 + 8 * n_frames])
        if 8 + 8 * n_frames + sum(lengths) != total:
            raise wrong


def wait_for_workers(client, address: str, seconds: float = WAIT_SECONDS) -> int:
    """The number of workers the scheduler has; with none, say so and wait up to ``seconds`` for one,
    then one :class:`UsageError` line (never a silent wait)."""
    from consultsim.errors import UsageError

    try:
        n = len(client.scheduler_info().get("workers", {}))
    except Exception:  # noqa: BLE001 - an old scheduler: let the work itself find out
        return 0
    if n:
        return n
    print(f"consultsim: the scheduler at {address} has 0 workers; waiting {seconds:g} s", file=sys.stderr,
          flush=True)
    try:
        client.wait_for_workers(1, timeout=seconds)
    except (TimeoutError, OSError):
        raise UsageError(f"the scheduler at {address} still has 0 workers after {seconds:g} s; start some "
                         f"(dask worker {address}) and try again") from None
    return len(client.scheduler_info().get("workers", {}))


def _dask_nthreads(client) -> int:
    try:
        return int(sum(client.nthreads().values()))
    except Exception:  # noqa: BLE001 - only a sizing hint
        return 0


def executor_workers(executor: cf.Executor) -> int:
    """How many tasks ``executor`` runs at once (a sizing hint for in-flight limits)."""
    if isinstance(executor, SerialExecutor):
        return 1
    n = getattr(executor, "_consultsim_workers", None) or getattr(executor, "_max_workers", None)
    if not n and hasattr(executor, "_client"):
        n = _dask_nthreads(executor._client)
    return int(n or os.cpu_count() or 1)


def _run_chunk(fn: Callable[[Any], Any], chunk: list) -> list:
    """Worker side: apply ``fn`` to each item of a chunk (top level so it pickles)."""
    return [fn(item) for item in chunk]


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def imap_unordered(executor: cf.Executor, fn: Callable[[Any], Any], items: Iterable, *, chunksize: int = 1,
                   progress: bool = True, desc: str | None = None, total: int | None = None,
                   max_in_flight: int | None = None) -> Iterator[tuple[Any, Any]]:
    """Apply ``fn`` to every item on ``executor``; yield ``(item, fn(item))`` as results come in.

    Items are sent ``chunksize`` at a time (one task per chunk). At most
    ``max_in_flight`` chunks (default: four per worker) are submitted and
    not yet collected, so a huge or lazy ``items`` never piles up in the
    driver. ``fn`` must be a picklable top-level function. If it raises, the
    exception propagates here and the chunks not yet started are cancelled;
    callers that need per-item error capture wrap ``fn``.
    """
    from tqdm.auto import tqdm

    chunksize = max(1, int(chunksize))
    if total is None and hasattr(items, "__len__"):
        total = len(items)  # type: ignore[arg-type]
    limit = max_in_flight or max(2, 4 * executor_workers(executor))
    chunks = _chunks(items, chunksize)
    pending: dict[cf.Future, list] = {}
    bar = tqdm(total=total, desc=desc, unit="run", file=sys.stderr, disable=not progress,
               dynamic_ncols=True, smoothing=0.1)
    try:
        exhausted = False
        while True:
            while not exhausted and len(pending) < limit:
                chunk = next(chunks, None)
                if chunk is None:
                    exhausted = True
                    break
                pending[executor.submit(_run_chunk, fn, chunk)] = chunk
            if not pending:
                break
            done, _ = cf.wait(list(pending), return_when=cf.FIRST_COMPLETED)
            for fut in done:
                chunk = pending.pop(fut)
                results = fut.result()  # re-raises the task's exception
                bar.update(len(chunk))
                yield from zip(chunk, results)
    finally:
        for fut in pending:
            fut.cancel()
        bar.close()
