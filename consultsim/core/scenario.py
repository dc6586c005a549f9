"""A scenario as the model sees it: a name, a description and resolved parameters.

Reading scenario files is the job of :mod:`consultsim.running.scenarios` (files are
read at the edges); the model takes a :class:`Scenario` or :class:`Params`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from consultsim.core.params import ParamError, Params

__all__ = ["Scenario", "ScenarioError", "as_scenario"]


class ScenarioError(ValueError):
    """A scenario file (or override) is missing, malformed or out of range."""


@dataclass(frozen=True)
class Scenario:
    """A loaded scenario: its name, description, resolved parameters and origin.

    ``name_zh`` and ``description_zh`` are the Chinese name and description (empty when
    the file gives none; readers then show the English text as written).
    """

    name: str = "baseline"
    description: str = "Beijing X area today (built-in defaults)."
    params: Params = field(default_factory=Params)
    path: Path | None = None
    values: Mapping[str, Any] = field(default_factory=dict)  # what the file chain set
    name_zh: str = ""
    description_zh: str = ""

    def with_overrides(self, **overrides: Any) -> Scenario:
        try:
            params = self.params.replace(**overrides)
        except (ParamError, TypeError) as e:
            raise ScenarioError(f"override: {e}") from None
        return dataclasses.replace(self, params=params, values={**self.values, **overrides})


def as_scenario(scenario: Scenario | Params | None) -> Scenario:
    """A Scenario from a Scenario, Params or None (the baseline defaults)."""
    if scenario is None:
        return Scenario()
    if isinstance(scenario, Scenario):
        return scenario
    if isinstance(scenario, Params):
        return Scenario(name="custom", description="", params=scenario)
    raise ScenarioError(f"scenario = {scenario!r}: the model takes a Scenario or Params; "
                        "read a file first with consultsim.load_scenario()")
