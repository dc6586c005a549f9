"""Errors that the command line turns into one clean line and exit code 2."""

from __future__ import annotations

from consultsim.core.params import ParamError
from consultsim.running.scenarios import ScenarioError

__all__ = ["UsageError", "USER_ERRORS"]


class UsageError(ValueError):
    """Bad input from the user: a missing file, a bad option value, an empty list..."""


# Everything a command may raise for bad input; the CLI prints it on one line.
USER_ERRORS: tuple[type[BaseException], ...] = (UsageError, ScenarioError, ParamError)
