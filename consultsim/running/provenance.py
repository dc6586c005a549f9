"""What every result carries so it can be reproduced: seed, parameters, versions, command, code identity.

:func:`code_identity` names the code that produced a result: the package
version, the git commit and whether the checkout had uncommitted changes
(when running from a git checkout), and a hash of the source files that
decide the numbers (``consultsim/core`` and ``consultsim/running``, plus the
module of a custom model), which identifies the model even in an installed
wheel or a dirty checkout. Its ``id`` (16 hex digits) hashes that source hash
together with the versions of Python and of the numerical packages: two
results with the same ``id`` come from the same model on the same stack.
"""

from __future__ import annotations

import functools
import hashlib
import json
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

__all__ = ["versions", "stamp", "code_identity", "IDENTITY_PACKAGES"]

_PACKAGES = ("consultsim", "mesa", "numpy", "scipy", "networkx", "pandas", "matplotlib",
             "solara", "dask", "distributed", "SALib", "pyarrow")
# The packages whose versions can change a simulated number (the others only draw or store it).
IDENTITY_PACKAGES = ("python", "consultsim", "mesa", "numpy", "scipy", "networkx", "pandas")
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_MODEL_SOURCES = ("core", "running")


def versions() -> dict[str, str]:
    """Python, platform and the versions of the packages a result depends on."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def _git(*args: str) -> str | None:
    try:
        r = subprocess.run(["git", "-C", str(_PACKAGE_DIR.parent), *args], capture_output=True, text=True,
                           timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return r.stdout.strip() if r.returncode == 0 else None


def _sources_hash(extra: tuple[Path, ...] = ()) -> str:
    h = hashlib.sha256()
    files = sorted(f for d in _MODEL_SOURCES for f in (_PACKAGE_DIR / d).rglob("*.py"))
    for f in (*files, *extra):
        h.update((f.relative_to(_PACKAGE_DIR).as_posix() if f.is_relative_to(_PACKAGE_DIR) else f.name).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


@functools.lru_cache(maxsize=8)
def code_identity(model: str | None = None) -> dict:
    """The identity of the code that produces results (see the module docstring).

    ``model`` (``"package.module:function"``) adds that module's source file
    to the hash when it is not part of ConsultSim.
    """
    extra: tuple[Path, ...] = ()
    if model and not model.startswith("consultsim."):
        import importlib.util
        spec = importlib.util.find_spec(model.partition(":")[0])
        if spec and spec.origin and spec.origin.endswith(".py"):
            extra = (Path(spec.origin),)
    commit = None
    dirty = None
    if (_PACKAGE_DIR.parent / ".git").exists():  # a checkout (a worktree has a .git file)
        commit = _git("rev-parse", "HEAD")
        if commit:
            status = _git("status", "--porcelain", "--untracked-files=no")
            dirty = bool(status) if status is not None else None
    else:  # an installed wheel: the commit it was built from, baked in at build time (setup.py)
        try:
            from consultsim._build_info import GIT_COMMIT
        except ImportError:
            GIT_COMMIT = ""
        if GIT_COMMIT:
            commit, dirty = GIT_COMMIT.removesuffix("+dirty"), GIT_COMMIT.endswith("+dirty")
    v = versions()
    ident = {"consultsim": v.get("consultsim", "unknown"), "git_commit": commit, "git_dirty": dirty,
             "source_hash": _sources_hash(extra),
             "versions": {k: v[k] for k in IDENTITY_PACKAGES if k in v}}
    blob = json.dumps({"source_hash": ident["source_hash"], "versions": ident["versions"]}, sort_keys=True)
    ident["id"] = hashlib.sha256(blob.encode()).hexdigest()[:16]
    return ident


def stamp(command: list[str] | None = None) -> dict:
    """Versions, code identity, the time and the command line, for a run.json or experiment.json."""
    return {"created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(command if command is not None else sys.argv),
            "versions": versions(), "code": code_identity()}
