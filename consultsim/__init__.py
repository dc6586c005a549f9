"""ConsultSim: agent-based simulation of urban community consultation (社区协商)."""

from __future__ import annotations

__version__ = "0.1.0"

from .params import Params, ParamError  # noqa: E402
from .scenarios import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["ConsultationModel", "load_scenario", "Scenario", "ScenarioError", "Params", "ParamError",
           "__version__"]


def __getattr__(name):  # the model imports Mesa; load it on first use
    if name == "ConsultationModel":
        from .model import ConsultationModel
        return ConsultationModel
    raise AttributeError(name)
