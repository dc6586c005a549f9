"""Build step: ship the top-level scenarios/, experiments/ and districts/ inside the wheel.

The folders at the top of the repository stay the source of truth; this copies
their TOML files into ``consultsim/_shipped/`` of the built package, where
:func:`consultsim.running.shipped.shipped_dir` finds them (through
``importlib.resources``) when ConsultSim is installed rather than checked out.
Everything else about the package is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
SHIPPED = ("scenarios", "experiments", "districts")


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        for kind in SHIPPED:
            target = Path(self.build_lib) / "consultsim" / "_shipped" / kind
            target.mkdir(parents=True, exist_ok=True)
            for f in sorted((HERE / kind).rglob("*.toml")):  # districts/ holds types/ too
                dest = target / f.relative_to(HERE / kind)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)


setup(cmdclass={"build_py": BuildWithShippedFiles})
