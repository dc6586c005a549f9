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


def _commit() -> str:
    """The git commit being built (CONSULTSIM_GIT_COMMIT if set, e.g. by a build from an exported copy)."""
    import os
    import subprocess

    if os.environ.get("CONSULTSIM_GIT_COMMIT"):
        return os.environ["CONSULTSIM_GIT_COMMIT"]
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=HERE, capture_output=True, text=True, timeout=30)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=HERE,
                               capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return ""
    if out.returncode:
        return ""
    return out.stdout.strip() + ("+dirty" if dirty.returncode == 0 and dirty.stdout.strip() else "")


class BuildWithShippedFiles(build_py):
    def run(self):
        super().run()
        # the commit this wheel was built from, read by consultsim.__git_commit__ and run provenance
        info = Path(self.build_lib) / "consultsim" / "_build_info.py"
        info.parent.mkdir(parents=True, exist_ok=True)  # an editable install's build_lib starts empty
        info.write_text(f'"""Written at build time by setup.py."""\n\nGIT_COMMIT = {_commit()!r}\n', encoding="utf-8")
        for kind in SHIPPED:
            target = Path(self.build_lib) / "consultsim" / "_shipped" / kind
            target.mkdir(parents=True, exist_ok=True)
            for f in sorted((HERE / kind).rglob("*.toml")):  # districts/ holds types/ too
                dest = target / f.relative_to(HERE / kind)
                dest.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(f, dest)


setup(cmdclass={"build_py": BuildWithShippedFiles})
