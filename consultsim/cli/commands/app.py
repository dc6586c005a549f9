"""``consultsim app``: serve the interactive classroom app with Solara.

The page is :func:`consultsim.app.page.Page`. Solara reads its settings from
the environment when it is first imported, so everything below is set before
the import: the CDN proxy cache (filled offline by ``make install``, see
:mod:`consultsim.app.assets`), no telemetry and no version check (both would
reach the internet).
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import socket
import sys
import warnings

from consultsim.errors import UsageError

# environment variable through which the server process tells the page which scenario to open
SCENARIO_ENV = "CONSULTSIM_APP_SCENARIO"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--scenario", default=None, metavar="FILE",
                        help="scenario to open (a TOML file or a name in scenarios/; default: baseline)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765)")
    parser.add_argument("--allow-cdn", action="store_true",
                        help="serve even if the offline assets are missing (the browser then needs the internet)")


def prepare_environment(scenario: str | None, allow_cdn: bool = False) -> None:
    """Set the environment Solara and the page read; raise UsageError on a bad scenario or missing assets."""
    from consultsim.app import assets
    from consultsim.running.scenarios import resolve_scenario

    if scenario:
        sc = resolve_scenario(scenario)  # ScenarioError -> exit 2 before any server starts
        os.environ[SCENARIO_ENV] = str(sc.path) if sc.path else scenario
    else:
        os.environ.pop(SCENARIO_ENV, None)
    os.environ.setdefault(assets.ENV, str(assets.default_cache_dir()))
    os.environ.setdefault("SOLARA_TELEMETRY_MIXPANEL_ENABLE", "False")
    if assets.font_file() is not None:  # the shipped CJK font, served by the app itself (no PC font needed)
        os.environ.setdefault(assets.FONT_ENV, str(assets.FONT_DIR))
    os.environ.setdefault("SOLARA_THEME_VARIANT", "light")
    gone = assets.missing()
    if gone and not allow_cdn:
        raise UsageError(f"offline assets missing in {assets.cache_dir()} ({', '.join(gone)}); "
                         "run `make install` or `python -m consultsim.app.assets` (or pass --allow-cdn)")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_port(host: str, port: int) -> None:
    """Raise UsageError if ``host:port`` cannot be bound (in use, or not an address of this machine)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise UsageError(f"--host {host}: not an address of this machine ({e.strerror})") from None
    family, _, _, _, addr = infos[0]
    with socket.socket(family, socket.SOCK_STREAM) as s:
        if os.name != "nt":
            # as uvicorn does: a port left in TIME_WAIT by a server just stopped is free; one listening is not
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(addr)
        except OSError as e:
            if e.errno in (98, 48, 10048):  # EADDRINUSE on Linux, macOS, Windows
                raise UsageError(f"port {port} on {host} is already in use; stop the other server or "
                                 "pass another --port") from None
            raise UsageError(f"cannot listen on {host}:{port} ({e.strerror})") from None


class OneLineErrors:
    """A filter for uvicorn's error logger: an exception escaping the app while it handles one connection
    (a garbage websocket frame makes Solara's message loop raise ``JSONDecodeError``, issue 21 item 11)
    is logged as one line naming the exception, not as a traceback. Uvicorn closes that connection and
    keeps serving the others either way; a full traceback is still printed with CONSULTSIM_APP_DEBUG=1.

    Uvicorn logs these as ``logger.error("Exception in ASGI application\\n", exc_info=exc)`` on the
    ``uvicorn.error`` logger (uvicorn/protocols/http/*_impl.py and websockets/*_impl.py)."""

    def __init__(self, lang: str = "en"):
        self.lang = lang

    def filter(self, record) -> bool:
        import logging

        from consultsim.i18n import tr
        from consultsim.running.outputs import shown

        if not record.exc_info or "Exception in ASGI application" not in str(record.msg):
            return True
        exc = record.exc_info[1]
        while isinstance(exc, BaseExceptionGroup) and exc.exceptions:  # anyio's task group wraps it
            exc = exc.exceptions[0]
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
        kind = "websocket" if "websocket" in record.pathname else "HTTP"
        record.msg = tr("msg.app_dropped", self.lang, kind=kind,
                        error=shown(f"{type(exc).__name__}: {text}" if text else type(exc).__name__))
        record.args = ()
        record.exc_info = None
        record.exc_text = None
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


def quiet_connection_errors(lang: str = "en") -> None:
    """One line instead of a traceback for a connection's error (see :class:`OneLineErrors`)."""
    import logging

    if os.environ.get("CONSULTSIM_APP_DEBUG", "").strip() not in ("", "0"):
        return
    log = logging.getLogger("uvicorn.error")
    if not any(isinstance(f, OneLineErrors) for f in log.filters):
        log.addFilter(OneLineErrors(lang))


def run(args: argparse.Namespace) -> int:
    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: expected a port number in 1-65535")
    prepare_environment(args.scenario, args.allow_cdn)
    check_port(args.host, args.port)
    if not is_loopback(args.host):
        print(f"consultsim app: warning: listening on {args.host}, not only this computer: the app has no "
              "login, so anyone who can reach this address can open it and change its model", file=sys.stderr)
    try:
        from solara.__main__ import run as solara_run
    except ImportError as e:  # the optional [app] dependencies
        raise UsageError(f"the app needs Solara ({e}); install with `pip install -e '.[app]'`") from None
    # Solara warns once per page that samesite=none cookies need https; on 127.0.0.1 that is expected
    warnings.filterwarnings("ignore", message="Cookies with samesite=none require https")
    quiet_connection_errors(getattr(args, "lang", None) or "en")
    print(f"consultsim app: serving on http://{args.host}:{args.port} (Ctrl-C stops it)", flush=True)
    import click

    try:
        solara_run.main(["consultsim.app.page", "--host", args.host, "--port", str(args.port),
                         "--production", "--no-open", "--no-check-version", "--log-level", "warning",
                         "--theme-loader", "plain"],  # the default loader pins a banner over the page's corner
                        standalone_mode=False)
    except (click.exceptions.Abort, KeyboardInterrupt):  # Ctrl-C: click raised Abort with a traceback
        from consultsim.i18n import tr
        print(tr("msg.app_stopped", getattr(args, "lang", None) or "en"), file=sys.stderr)
    return 0
