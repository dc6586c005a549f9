"""ConsultSim: agent-based simulation of urban community consultation (社区协商)."""

from __future__ import annotations

__version__ = "0.1.0"

from consultsim.core.model import ConsultationModel  # noqa: E402
from consultsim.core.params import ParamError, Params  # noqa: E402
from consultsim.running.evaluate import evaluate  # noqa: E402
from consultsim.running.scenarios import Scenario, ScenarioError, load_scenario  # noqa: E402

__all__ = ["ConsultationModel", "evaluate", "load_scenario", "Scenario", "ScenarioError", "Params", "ParamError",
           "__version__"]
