"""ConsultSim: agent-based simulation of urban community consultation (社区协商)."""

from __future__ import annotations


def _identity() -> tuple[str, str]:
    """Version and git commit: baked into a wheel at build time (_version.py by setuptools-scm,
    _build_info.py by setup.py); in a checkout, the installed metadata and ``git rev-parse HEAD``."""
    try:
        from consultsim._version import version
    except ImportError:
        try:
            from importlib.metadata import version as _v
            version = _v("consultsim")
        except Exception:  # not installed: a bare checkout on the path
            version = "0.1.0"
    try:
        from consultsim._build_info import GIT_COMMIT
    except ImportError:
        GIT_COMMIT = ""
    return version, GIT_COMMIT


__version__, __git_commit__ = _identity()

from consultsim.core.model import ConsultationModel  # noqa: E402
from consultsim.core.params import ParamError, Params  # noqa: E402
from consultsim.running.evaluate import evaluate  # noqa: E402
from consultsim.running.scenarios import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["ConsultationModel", "evaluate", "load_scenario", "Scenario", "ScenarioError", "Params", "ParamError",
           "__version__", "__git_commit__"]
