"""Installable anywhere (issue 11): the wheel carries the shipped scenarios and experiments, so an install
outside any checkout runs ``consultsim run baseline``, ``compare`` and ``sweep smoke``.

The wheel is built (without build isolation, so offline) from a copy of the source, installed with
``--no-deps`` into a fresh virtual environment in a temporary folder; its dependencies come from the
environment running the tests through a ``.pth`` file (not the project's editable install: a ``.pth``
line only adds a folder, whose own ``.pth`` files are not run). About 25 s on two busy cores, most of it
the compare report.
"""

from __future__ import annotations

import json
import os
import shutil
import site
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _run(args, **kw):
    kw.setdefault("env", _env())
    r = subprocess.run(args, capture_output=True, text=True, timeout=300, **kw)
    assert r.returncode == 0, f"{args}\n{r.stdout}\n{r.stderr}"
    return r


@pytest.fixture(scope="module")
def venv(tmp_path_factory):
    pytest.importorskip("setuptools", minversion="77")  # PEP 639 license string; in the dev extra
    t0 = time.perf_counter()
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "_shipped", "*.egg-info")
    for name in ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "LICENSE"):
        shutil.copy(REPO / name, src / name if src.exists() else (src.mkdir() or src / name))
    for name in ("consultsim", "scenarios", "experiments", "districts"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    # the copy shares the checkout's git history (a .git file, as a worktree has), so the build bakes in the
    # version setuptools-scm derives and the commit; no .git at all falls back to 0.1.0 and no commit
    git_dir = subprocess.run(["git", "rev-parse", "--absolute-git-dir"], cwd=REPO, capture_output=True,
                             text=True).stdout.strip()
    if git_dir:
        (src / ".git").write_text(f"gitdir: {git_dir}\n", encoding="utf-8")
    for stale in ("_version.py", "_build_info.py"):
        (src / "consultsim" / stale).unlink(missing_ok=True)
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp / "dist"),
          str(src)])
    wheel = next((tmp / "dist").glob("consultsim-*.whl"))
    env_dir = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)])
    py = env_dir / "bin" / "python"
    purelib = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"]).stdout.strip())
    # install first: once the .pth is there, pip would see the test environment's consultsim as installed
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "--no-index", "-q", str(wheel)])
    deps = [p for p in {sysconfig.get_path("purelib"), *site.getsitepackages()} if Path(p).is_dir()]
    (purelib / "shared-dependencies.pth").write_text("\n".join(deps) + "\n", encoding="utf-8")
    print(f"built and installed the wheel in {time.perf_counter() - t0:.1f} s")
    return env_dir, tmp


def _env():
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    return {**env, "MPLBACKEND": "Agg"}


def test_installed_wheel_runs_shipped_scenarios_and_experiments(venv):
    env_dir, tmp = venv
    work = tmp / "elsewhere"
    work.mkdir()
    cs = str(env_dir / "bin" / "consultsim")
    where = Path(_run([str(env_dir / "bin" / "python"), "-c", "import importlib.util as u; "
                       "print(u.find_spec('consultsim').origin)"], cwd=work).stdout.strip())
    assert where.is_relative_to(env_dir), where  # the wheel, not the checkout
    assert (where.parent / "_shipped" / "scenarios" / "baseline.toml").is_file()
    _run([cs, "run", "baseline", "--steps", "6", "--set", "n_residents=120", "--out", "run"], cwd=work)
    assert json.loads((work / "run" / "run.json").read_text())["scenario"] == "baseline"
    _run([cs, "compare", "baseline", "incentives", "--replicates", "2", "--steps", "4", "--workers", "1",
          "--quiet", "--out", "cmp"], cwd=work)
    assert (work / "cmp" / "summary.csv").is_file()
    _run([cs, "sweep", "smoke", "--out", "sw", "--executor", "serial", "--no-progress"], cwd=work)
    assert (work / "sw" / "runs.parquet").is_file()
    assert (where.parent / "_shipped" / "districts" / "types" / "hutong.toml").is_file()
    _run([cs, "district", "run", "street", "--steps", "2", "--out", "dst", "--executor", "serial", "--no-progress"],
         cwd=work)
    assert (work / "dst" / "communities.csv").is_file()


def test_wheel_reports_its_version_and_commit_and_loads_shipped_scenarios_by_name(venv):
    env_dir, tmp = venv
    work = tmp / "elsewhere2"
    work.mkdir()
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True).stdout.strip()
    if not head:
        pytest.skip("not a git checkout")
    out = " ".join(_run([str(env_dir / "bin" / "consultsim"), "--version"], cwd=work).stdout.split())
    assert f"(commit {head}" in out and ".dev" in out and "+g" in out, out  # setuptools-scm, not a fixed 0.1.0
    code = ("import consultsim; from consultsim import load_scenario; "
            "print(consultsim.__version__, consultsim.__git_commit__, load_scenario('policy').name)")
    version, commit, name = _run([str(env_dir / "bin" / "python"), "-c", code], cwd=work).stdout.split()
    assert version == out.split()[1] and commit.startswith(head) and name == "policy"
    run = _run([str(env_dir / "bin" / "consultsim"), "run", "baseline", "--steps", "2", "--set", "n_residents=60",
                "--out", "r"], cwd=work)
    assert run.returncode == 0
    code_id = json.loads((work / "r" / "run.json").read_text())["code"]
    assert code_id["git_commit"] == head
