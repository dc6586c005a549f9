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

from consultsim import __git_commit__, __version__
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
    "merge": ("consultsim.cli.commands.merge",
              "gather the directories of a sweep split across machines (sweep --shard) into one"),
    "calibrate": ("consultsim.cli.commands.calibrate",
                  "ABC-SMC calibration of the poorly known parameters; writes a posterior worlds file"),
    "plot-sweep": ("consultsim.cli.commands.plot_sweep", "draw the responses of a finished sweep"),
    "discover": ("consultsim.cli.commands.discover",
                 "scenario discovery on a finished sweep: PRIM boxes and feature scores for a target"),
    "district": ("consultsim.cli.commands.district",
                 "a district or street of many communities: run, compare packages, allocate a budget"),
    "app": ("consultsim.cli.commands.app", "serve the interactive classroom app"),
}


_LANG = ["en"]  # the language of this invocation's messages (set by main before parsing)


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2 (argparse prints usage too; keep it short)
        import re

        from consultsim.i18n import tr
        from consultsim.i18n.messages import translate_message

        lang = _LANG[0]
        # a value echoed back is shortened (a 5,000-digit number is not printed whole: one short line)
        message = re.sub(r"'([^']{40})[^']{21,}'", lambda m: f"'{m.group(1)}...' ({len(m.group(0)) - 2:,} "
                         "characters)", message)
        self.exit(2, f"{self.prog}: {tr('msg.error', lang)}: {translate_message(message, lang)}\n")


def _lang_of(argv: list[str]) -> str:
    """--lang from the command line if given (before argparse has parsed it), else CONSULTSIM_LANG."""
    from consultsim.i18n.messages import default_lang

    for i, a in enumerate(argv):
        v = argv[i + 1] if a == "--lang" and i + 1 < len(argv) else a.split("=", 1)[1] if a.startswith("--lang=") else ""
        if v in ("en", "zh"):
            return v
    return default_lang()  # no --lang, or a wrong one (its error then reads in the default language)


def _interrupted(args, lang: str) -> str:
    """What Ctrl-C left behind and how to go on, for the command that was interrupted."""
    from consultsim.i18n import tr

    out = getattr(args, "out", None)
    if hasattr(args, "resume") and out:
        return tr("msg.kept_resume", lang, out=out, cmd=args.command)
    return tr("msg.kept_nothing", lang, out=out or "")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="consultsim", description="Agent-based simulation of urban community consultation.")
    parser.add_argument("--version", action="version",
                        version=f"consultsim {__version__}" + (f" (commit {__git_commit__})" if __git_commit__ else ""))
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
        if not any("--lang" in a.option_strings for a in p._actions):  # one language setting for every command
            p.add_argument("--lang", choices=("en", "zh"), default=None,
                           help="language of messages: en or zh (中文); default: CONSULTSIM_LANG, else en")
        p.set_defaults(_run=mod.run)
    return parser


class Terminated(BaseException):
    """SIGTERM (``kill``, a scheduler's time limit) as an exception, so that a command stopped while
    writing removes its staging folder or leaves its folder marked unfinished, as Ctrl-C does."""


def _on_sigterm(signum, frame):
    raise Terminated()


def _catch_sigterm() -> None:
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _on_sigterm)
        sys.unraisablehook = _unraisable


def _unraisable(u, _default=sys.unraisablehook) -> None:
    """A stop (SIGTERM as :class:`Terminated`, Ctrl-C) raised inside C code that cannot pass exceptions on
    (a Cython ``noexcept`` function such as SciPy's Sobol set-up) is not lost: Python would print
    "Exception ignored in ..." with a traceback and go on working. The signal is sent again, so the
    stop happens at the next point that can take it (the fresh attack of issue 21 saw SIGTERM 0.3 s
    into ``sensitivity`` swallowed this way, and the command then ran to the end)."""
    import os
    import signal

    if isinstance(u.exc_value, Terminated):
        os.kill(os.getpid(), signal.SIGTERM)
    elif isinstance(u.exc_value, KeyboardInterrupt):
        os.kill(os.getpid(), signal.SIGINT)
    else:
        _default(u)


_CONTROLS = {c: c.encode("unicode_escape").decode("ascii") for c in
             [chr(i) for i in range(32) if chr(i) not in "\n\t"] + [chr(i) for i in range(127, 160)]}


class _Escaped:
    """A text stream that writes escape codes and other control characters as ``\\x1b``... (newlines, tabs,
    and a carriage return opening a write, as progress bars redraw, pass): every line a command prints,
    whatever name from a file, folder or option it holds, reaches the terminal as text (issue 21). The
    lines that name files also go through :func:`consultsim.running.outputs.shown`, which escapes
    newlines too."""

    def __init__(self, stream):
        self._stream = stream
        self._table = str.maketrans(_CONTROLS)

    def write(self, text):
        if not isinstance(text, str):
            return self._stream.write(text)
        head = "\r" if text.startswith("\r") else ""  # tqdm: "\r" + the bar, in one write
        return self._stream.write(head + text[len(head):].translate(self._table))

    def __getattr__(self, name):
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    if not isinstance(out, _Escaped):
        sys.stdout, sys.stderr = _Escaped(out), _Escaped(err)
    try:
        return _main(argv)
    finally:
        sys.stdout, sys.stderr = out, err


def _main(argv: list[str] | None = None) -> int:
    from consultsim.i18n import tr
    from consultsim.i18n.messages import default_lang, translate_message
    from consultsim.running.outputs import shown

    _LANG[0] = _lang_of(list(sys.argv[1:] if argv is None else argv))
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:  # --help, --version, or a bad option (one line already printed)
        return e.code if isinstance(e.code, int) else 2
    if getattr(args, "lang", None) is None:
        args.lang = default_lang()  # set once: CONSULTSIM_LANG=zh makes every command Chinese
    lang = args.lang
    if argv is None:  # the command line itself (not a caller in Python, whose signals stay its own)
        _catch_sigterm()
    try:
        return int(args._run(args) or 0)
    except USER_ERRORS as e:  # one line: names from files are shown with their control characters escaped
        print(f"consultsim {args.command}: {tr('msg.error', lang)}: {translate_message(shown(e), lang)}",
              file=sys.stderr)
        return 2
    except BrokenPipeError:  # output piped into e.g. `head`, which closed early: not an error of ours
        import os
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return 0
    except KeyboardInterrupt:
        print(f"consultsim {args.command}: {tr('msg.interrupted', lang, kept=_interrupted(args, lang))}",
              file=sys.stderr)
        return 130
    except Terminated:
        print(f"consultsim {args.command}: terminated", file=sys.stderr)
        return 143


if __name__ == "__main__":
    sys.exit(main())
