"""Under Dask, a worker process killed in the middle of a sweep loses no run."""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path

import pytest

from consultsim.running.executors import make_executor
from consultsim.sweeps import load_results, load_runs, run_sweep
from consultsim.sweeps.testfunctions import toy


@pytest.mark.dask
def test_killed_dask_worker_loses_no_run(tmp_path: Path):
    exp = tmp_path / "slow.toml"
    exp.write_text("""
name = "slow"
model = "consultsim.sweeps.testfunctions:toy"
seed = 5
replicates = 4
steps = 5
metrics = ["y"]
runs_per_file = 2
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]
delay = 0.1
""", encoding="utf-8")
    out = tmp_path / "d"
    killed: list[int] = []
    with make_executor("dask", workers=2) as ex:
        client = ex._client
        pids = sorted(client.run(os.getpid).values())
        assert len(pids) == 2

        def kill_one_when_under_way():
            deadline = time.monotonic() + 30
            while len(list((out / "parts").glob("part-*"))) < 2 and time.monotonic() < deadline:
                time.sleep(0.02)
            os.kill(pids[0], signal.SIGKILL)  # the worker process, mid-task
            killed.append(pids[0])

        t = threading.Thread(target=kill_one_when_under_way)
        t.start()
        summary = run_sweep(exp, out, executor="dask", chunksize=1, progress=False, pool=ex)
        t.join()
        after = set(client.run(os.getpid).values())
    assert killed and killed[0] not in after  # it really died (the nanny started a new one)
    assert summary.ok == 24 and summary.failed == 0
    runs = load_runs(out)
    assert runs["run_id"].tolist() == list(range(24)) and (runs["status"] == "ok").all()
    # every run's numbers are those of the model called directly with its seed
    res = load_results(out)
    for row in runs.itertuples():
        direct = toy(seed=row.seed, steps=5, overrides={"slope": row.slope})
        got = res.loc[res["run_id"] == row.run_id, "y"].to_numpy()
        assert got.tolist() == direct["y"].iloc[[-1]].tolist()


@pytest.mark.dask
def test_sweep_connects_to_a_running_scheduler_by_address_or_file(tmp_path: Path):
    import logging

    from distributed import Client, LocalCluster

    exp = tmp_path / "t.toml"
    exp.write_text("""
name = "t"
model = "consultsim.sweeps.testfunctions:toy"
seed = 9
replicates = 2
steps = 3
metrics = ["y", "z"]
collect_every = 1
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0, 3.0]
""", encoding="utf-8")
    ref = tmp_path / "serial"
    run_sweep(exp, ref, executor="serial", progress=False)
    with LocalCluster(n_workers=1, threads_per_worker=1, host="127.0.0.1", dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.write_scheduler_file(str(tmp_path / "scheduler.json"))
        for name, target in (("addr", cluster.scheduler_address), ("file", str(tmp_path / "scheduler.json"))):
            s = run_sweep(exp, tmp_path / name, executor="dask", scheduler=target, progress=False)
            assert s.ok == 6
            assert load_results(tmp_path / name).equals(load_results(ref))
