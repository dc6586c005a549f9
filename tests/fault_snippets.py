"""The small input files the fault suites share (tests/test_faults_*.py, benchmarks/attack_*.py): one copy,
so a change of format reaches every suite (issue 21, part 4).

Not a test module (no ``test_`` prefix): imported by name, as pytest puts tests/ on ``sys.path``."""

from __future__ import annotations

#: a scenario's body: a community small enough that a run of a few weeks takes a fraction of a second
SMALL_BODY = "[community]\nn_residents = 100\nn_buildings = 4\n"
#: a scenario file named "small"
SMALL = 'name = "small"\n' + SMALL_BODY
#: an experiment on the toy model (a noisy line, no simulation): 4 samples x 2 replicates
TOY = """name = "toy"
model = "consultsim.sweeps.testfunctions:toy"
seed = 5
replicates = 2
steps = 4
metrics = ["y", "z"]
[sampler]
method = "grid"
[parameters]
slope = [1.0, 2.0, 3.0, 4.0]
"""
#: a Sobol experiment on the toy model (for sensitivity)
SOBOL = """name = "sob"
model = "consultsim.sweeps.testfunctions:toy"
seed = 5
replicates = 1
steps = 2
metrics = ["y"]
[sampler]
method = "sobol"
n = 4
[parameters]
slope = {low = 0.5, high = 2.0}
noise = {low = 0.05, high = 0.2}
"""


def toy_slow(delay: float, slopes: int = 4) -> str:
    """:data:`TOY` with each run sleeping ``delay`` seconds and stored in its own part file (so that a
    signal can land between parts), over ``slopes`` samples."""
    values = ", ".join(f"{1 + i:.1f}" if slopes == 4 else f"{1 + i / 10:g}" for i in range(slopes))
    return (TOY.replace('metrics = ["y", "z"]', 'metrics = ["y", "z"]\nruns_per_file = 1')
            .replace("slope = [1.0, 2.0, 3.0, 4.0]", f"slope = [{values}]\ndelay = {delay}"))
