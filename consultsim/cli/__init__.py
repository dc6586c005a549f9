"""The ``consultsim`` command line.

Each subcommand lives in its own module under :mod:`consultsim.cli.commands`
with two functions: ``configure(parser)`` adds its arguments and
``run(args) -> int`` does the work. Bad input of any kind ends with exit
code 2 and one line naming what is wrong (no traceback).
"""

from __future__ import annotations

import argparse
import importlib
import sys

from consultsim import __version__
from consultsim.errors import USER_ERRORS

__all__ = ["main", "COMMANDS"]

# name -> (module, one-line help). Modules are imported only when used.
COMMANDS = {
    "run": ("consultsim.cli.commands.run", "run one scenario and write its time series, topics and provenance"),
    "compare": ("consultsim.cli.commands.compare", "compare scenarios over replicates, with figures and a report"),
    "scenarios": ("consultsim.cli.commands.scenarios", "list the shipped scenarios (name, 中文名, one line each)"),
    "validate": ("consultsim.cli.commands.validate", "check the baseline against the field study's patterns"),
    "sweep": ("consultsim.cli.commands.sweep", "run an experiment file (grid, LHS, Sobol, Morris) on any executor"),
    "sensitivity": ("consultsim.cli.commands.sensitivity", "Sobol or Morris sensitivity analysis of an experiment"),
    "robustness": ("consultsim.cli.commands.robustness",
                   "do the lever effects hold across plausible worlds? (also --grid, --oat)"),
    "calibrate": ("consultsim.cli.commands.calibrate",
                  "ABC-SMC calibration of the poorly known parameters; writes a posterior worlds file"),
    "plot-sweep": ("consultsim.cli.commands.plot_sweep", "draw the responses of a finished sweep"),
    "discover": ("consultsim.cli.commands.discover",
                 "scenario discovery on a finished sweep: PRIM boxes and feature scores for a target"),
    "app": ("consultsim.cli.commands.app", "serve the interactive classroom app"),
}


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too; keep it short)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="consultsim", description="Agent-based simulation of urban community consultation.")
    parser.add_argument("--version", action="version", version=f"consultsim {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    for name, (modname, help_) in COMMANDS.items():
        try:
            mod = importlib.import_module(modname)
        except ModuleNotFoundError as e:
            if e.name != modname:
                raise
            continue
        p = sub.add_parser(name, help=help_, description=help_)
        mod.configure(p)
        p.set_defaults(_run=mod.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, or a bad option (one line already printed)
        return e.code if isinstance(e.code, int) else 2
    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as e:
        print(f"consultsim {args.command}: error: {e}", file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early: not an error of ours
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except KeyboardInterrupt:
        print(f"consultsim {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
