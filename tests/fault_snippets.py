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
#: a district of two small communities (``consultsim district``)
DISTRICT = """name = "tiny"
seed = 1
budget = 100000
steps = 2
[[community]]
name = "a"
type = "danwei"
households = 60
[[community]]
name = "b"
type = "commercial"
households = 60
"""
#: calibration settings with two parameters, two targets and a held-out pattern; fill in the run's size
#: (``CALIBRATION_TWO.format(households=..., steps=..., population=..., generations=...)``)
CALIBRATION_TWO = """
[run]
households = {households}
steps = {steps}
population = {population}
generations = {generations}
max_minutes = 10
seed = 7
[parameters]
names = ["b0", "pm_responsiveness"]
[[targets]]
name = "participation_share"
value = 0.1
scale = 0.02
source = "synthetic"
[[targets]]
name = "implemented_share"
value = 0.4
scale = 1.5
source = "synthetic"
[held_out]
names = ["voice_concentration"]
"""
#: calibration settings for a run of seconds (``consultsim calibrate``)
CALIBRATION = """[run]
households = 40
steps = 6
population = 4
generations = 1
max_minutes = 1
seed = 7
[parameters]
names = ["voice_exponent"]
[[targets]]
name = "voice_concentration"
value = 0.45
scale = 0.2
source = "synthetic"
"""


# ---------------------------------------------------------------- the command line, read from its parser
#: options and positional arguments that name a file or folder the command reads
FILE_OPTIONS = ("--settings", "--worlds", "--worlds-file", "--replay", "--scenario", "--scheduler")
POSITIONAL_FILES = ("scenario", "scenarios", "experiment", "district", "packages", "dir", "dirs")
OUTPUT_OPTIONS = ("--out", "--plots")


def parser_commands() -> dict:
    """Every command of ``consultsim`` (district's subcommands as ``"district run"``...) -> its parser, so
    that the fault suites can check that a new command has joined their case lists."""
    import argparse

    from consultsim.cli import build_parser

    out = {}

    def walk(p, path):
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and path:
            out[" ".join(path)] = p
        for a in subs:
            for name, sp in a.choices.items():
                walk(sp, [*path, name])
    walk(build_parser(), [])
    return out


def output_option(p) -> str | None:
    """The option naming the folder a command writes (``OUT`` for merge's positional one), or None."""
    for a in p._actions:
        if set(a.option_strings) & set(OUTPUT_OPTIONS):
            return a.option_strings[-1]
        if not a.option_strings and a.dest == "out":
            return "OUT"
    return None


def number_options(p) -> list[tuple[str, str]]:
    """(option, 'int' or 'float') for every option whose value is a number (its argparse type is ``int``,
    ``float`` or one of consultsim.cli.checks' number types)."""
    from consultsim.cli import checks

    typed = {getattr(checks, n) for n in dir(checks) if callable(getattr(checks, n))}
    res = []
    for a in p._actions:
        if not a.option_strings or a.type is None:
            continue
        if a.type is float or getattr(a.type, "__name__", "") == "yuan":
            res.append((a.option_strings[-1], "float"))
        elif a.type is int or a.type in typed or getattr(a.type, "__name__", "") == "<lambda>":
            res.append((a.option_strings[-1], "int"))
    return res


def file_inputs(p) -> list[str]:
    """The options and positional arguments of ``p`` that name a file or folder it reads."""
    return [a.option_strings[-1] if a.option_strings else a.dest for a in p._actions
            if (set(a.option_strings) & set(FILE_OPTIONS) and a.type is None)
            or (not a.option_strings and a.dest in POSITIONAL_FILES)]
