"""What every result carries so it can be reproduced: seed, parameters, versions, command."""

from __future__ import annotations

import platform
import sys
from datetime import UTC, datetime
from importlib import metadata

__all__ = ["versions", "stamp"]

_PACKAGES = ("consultsim", "mesa", "numpy", "scipy", "networkx", "pandas", "matplotlib",
             "solara", "dask", "distributed", "SALib", "pyarrow")


def versions() -> dict[str, str]:
    """Python, platform and the versions of the packages a result depends on."""
    out = {"python": sys.version.split()[0], "platform": platform.platform()}
    for name in _PACKAGES:
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            pass
    return out


def stamp(command: list[str] | None = None) -> dict:
    """Versions, the time and the command line, for a run.json or experiment.json."""
    return {"created": datetime.now(UTC).isoformat(timespec="seconds"),
            "command": " ".join(command if command is not None else sys.argv),
            "versions": versions()}
