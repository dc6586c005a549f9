"""The limits and checks every command applies to its inputs, so a mistake gets one message everywhere.

Options (``--steps``, ``--replicates``, ``--seed``, ``--workers``) and the same keys in experiment
files are checked by the functions here; scenario values by :func:`consultsim.core.params.coerce`
(exact types, ranges) and :func:`consultsim.core.params.check_sums` (shares stated as sums);
files by :func:`consultsim.running.scenarios.read_text` (missing, unreadable, binary; a UTF-8
byte-order mark is accepted); output folders by :mod:`consultsim.running.outputs`. Every
check raises a :class:`~consultsim.errors.UsageError` of one line naming the option or key.

The upper limits stop a typo (``--steps 1000000000``) from running for days or exhausting
memory; each is stated in the message.
"""

from __future__ import annotations

import errno
import json
import math
import os
import stat
from pathlib import Path
from typing import Any

from consultsim.errors import UsageError

__all__ = ["MAX_STEPS", "MAX_REPLICATES", "MAX_WORKERS", "MAX_SEED", "MAX_RUNS", "MAX_WORLDS", "MAX_HOUSEHOLDS",
           "MAX_FILE_BYTES", "MAX_TOML_DEPTH", "MAX_INT_DIGITS", "check_count", "check_seed", "check_scheduler",
           "read_bytes", "read_json", "check_regular_file", "check_values", "parse_scheduler_address",
           "scheduler_address"]


def _a(what: str) -> str:
    return f"{'an' if what[:1] in 'aeiou' else 'a'} {what}"


def read_bytes(path: str | Path, error: type[Exception], what: str = "file", max_bytes: int | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``max_bytes``; anything else is one ``error`` line.

    Opened without blocking and checked with ``fstat`` before reading, so a named pipe, ``/dev/zero``,
    a device or a socket is refused at once (never a hang, never memory exhausted), as are a folder,
    a symbolic-link loop and a file over the size limit (default :data:`MAX_FILE_BYTES`)."""
    path = Path(path)
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not {_a(what)}") from None
    except PermissionError:
        raise error(f"{path}: permission denied (cannot read the {what})") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise error(f"{path}: a loop of symbolic links, not {_a(what)}") from None
        raise error(f"{path}: cannot read the {what} ({e.strerror or e})") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise error(f"{path}: is a folder, not {_a(what)}")
        if not stat.S_ISREG(st.st_mode):
            kind = ("a named pipe" if stat.S_ISFIFO(st.st_mode) else "a device" if
                    stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise error(f"{path}: {kind}, not {_a(what)} (give a regular file)")
        if st.st_size > max_bytes:
            raise error(f"{path}: {st.st_size:,} bytes; {_a(what)} may have at most {max_bytes:,}")
        os.set_blocking(fd, True)
        chunks, n = [], 0
        while n <= max_bytes:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - n))
            if not chunk:
                break
            chunks.append(chunk)
            n += len(chunk)
        if n > max_bytes:  # it grew while being read
            raise error(f"{path}: more than {max_bytes:,} bytes; {_a(what)} may have at most {max_bytes:,}")
        return b"".join(chunks)
    except OSError as e:
        raise error(f"{path}: cannot read the {what} ({e.strerror or e})") from None
    finally:
        os.close(fd)


def read_json(path: str | Path, error: type[Exception], what: str = "file", max_bytes: int | None = None) -> Any:
    """The parsed JSON of the regular file ``path`` (:func:`read_bytes`: no pipe, device or oversized file);
    text that is not UTF-8 or not JSON, or nested past Python's recursion limit (``[[[...`` 100,000
    deep), is one ``error`` line naming the file."""
    data = read_bytes(path, error, what, max_bytes)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        raise error(f"{path}: not a readable {what} ({type(e).__name__})") from None


def check_regular_file(path: str | Path, error: type[Exception], what: str = "file",
                       max_bytes: int | None = None) -> Path:
    """``path`` if it is a regular file (links followed) of at most ``max_bytes``: for files read by a
    library that opens them itself (Parquet, SQLite, zip), so that a named pipe never blocks it and
    ``/dev/zero`` never fills memory. Anything else is one ``error`` line naming the file."""
    path = Path(path)
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise error(f"{path}: no such {what}") from None
    except OSError as e:
        if e.errno == errno.ELOOP:
            raise error(f"{path}: a loop of symbolic links, not {_a(what)}") from None
        raise error(f"{path}: cannot read the {what} ({e.strerror or e})") from None
    if stat.S_ISDIR(info.st_mode):
        raise error(f"{path}: is a folder, not {_a(what)}")
    if not stat.S_ISREG(info.st_mode):
        kind = ("a named pipe" if stat.S_ISFIFO(info.st_mode) else "a device" if
                stat.S_ISCHR(info.st_mode) or stat.S_ISBLK(info.st_mode) else
                "a socket" if stat.S_ISSOCK(info.st_mode) else "not a regular file")
        raise error(f"{path}: {kind}, not {_a(what)} (give a regular file)")
    if info.st_size > max_bytes:
        raise error(f"{path}: {info.st_size:,} bytes; {_a(what)} may have at most {max_bytes:,}")
    return path


def check_values(data: Any, where: str, error: type[Exception]) -> None:
    """A parsed file's values within the caps: nesting depth, digits of whole numbers, finite numbers
    (``inf`` and ``nan`` are valid TOML but no parameter, range or option here takes them)."""
    stack = [(data, "", 0)]
    while stack:
        v, key, depth = stack.pop()
        if depth > MAX_TOML_DEPTH:
            raise error(f"{where}: nested more than {MAX_TOML_DEPTH} levels deep")
        if isinstance(v, dict):
            stack.extend((x, f"{key}.{k}" if key else str(k), depth + 1) for k, x in v.items())
        elif isinstance(v, list):
            stack.extend((x, key, depth + 1) for x in v)
        elif isinstance(v, bool):
            continue
        elif isinstance(v, int) and abs(v) >= 10 ** MAX_INT_DIGITS:
            raise error(f"{where}: {key}: a whole number of {len(str(abs(v)))} digits; at most {MAX_INT_DIGITS}")
        elif isinstance(v, float) and not math.isfinite(v):
            raise error(f"{where}: {key} = {v}: expected a finite number")


MAX_STEPS = 5200          # weeks: 100 years
MAX_REPLICATES = 10_000   # runs per scenario or per sample
MAX_WORKERS = 1024
MAX_SEED = 2**63 - 1      # SeedSequence takes any non-negative integer; runs record it in int64 columns
MAX_RUNS = 10_000_000     # runs in one sweep
MAX_WORLDS = 10_000       # plausible worlds in one robustness check (a Latin hypercube row each)
MAX_HOUSEHOLDS = 1_000_000  # n_residents' own upper limit (consultsim.core.params)
MAX_FILE_BYTES = 10_000_000  # a scenario, experiment or scheduler file (the shipped ones are < 100 kB)
MAX_TOML_DEPTH = 16       # nested tables and lists in a TOML file (the formats here need 3)
MAX_INT_DIGITS = 18       # digits of a whole number in a file (below 2**63; more is a typo or an attack)

def _brief(value: Any) -> str:
    """``repr(value)``, shortened for a one-line message (a 5,000-digit number is not echoed whole)."""
    r = repr(value)
    return r if len(r) <= 60 else f"{r[:40]}... ({len(str(value)):,} characters)"


def check_count(what: str, value: Any, lo: int, hi: int, unit: str = "") -> int:
    """A whole number in [lo, hi]; ``what`` names the option or key (e.g. ``--steps``)."""
    if isinstance(value, str):
        if len(value.strip()) > 30:  # far past any limit here (and int() stops at 4,300 digits)
            raise UsageError(f"{what} {_brief(value)}: expected a whole number of at most {len(str(hi))} digits")
        try:
            value = int(value.strip())
        except ValueError:
            raise UsageError(f"{what} {_brief(value)}: expected a whole number") from None
    if isinstance(value, bool) or not isinstance(value, int):
        raise UsageError(f"{what} {value!r}: expected a whole number")
    if value < lo:
        raise UsageError(f"{what} {value}: must be at least {lo}")
    if value > hi:
        raise UsageError(f"{what} {value}: more than the limit of {hi:,} {unit}".rstrip())
    return value


def check_seed(what: str, value: Any) -> int:
    """A non-negative integer seed below 2**63."""
    if isinstance(value, str):
        if len(value.strip()) > 30:
            raise UsageError(f"{what} {_brief(value)}: the seed must be a non-negative whole number below 2**63")
        try:
            value = int(value.strip())
        except ValueError:
            raise UsageError(f"{what} {_brief(value)}: the seed must be a non-negative whole number") from None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEED:
        raise UsageError(f"{what} {_brief(value)}: the seed must be a non-negative whole number below 2**63")
    return value


SCHEDULER_SCHEMES = ("tcp", "tls")


def parse_scheduler_address(address: str, what: str = "--scheduler") -> tuple[str, str, int]:
    """``tcp://host:port``, ``tls://host:port`` or ``host:port`` (IPv6 in brackets: ``tcp://[::1]:8786``)
    as (scheme, host, port); anything else is one :class:`UsageError` line naming it."""
    from urllib.parse import urlsplit

    text = str(address).strip()
    example = "expected an address such as tcp://host:8786 or a scheduler file ending in .json"
    if not text or any(ord(c) < 33 for c in text):
        raise UsageError(f"{what} {address!r}: {example}")
    scheme, sep, rest = text.partition("://")
    if not sep:
        scheme, rest = "tcp", text
    if scheme not in SCHEDULER_SCHEMES:
        raise UsageError(f"{what} {address!r}: unknown protocol {scheme + '://'!r}; use tcp:// or tls://")
    try:
        parts = urlsplit(f"{scheme}://{rest}")
        host, port = parts.hostname, parts.port
    except ValueError as e:
        raise UsageError(f"{what} {address!r}: {example} ({e})") from None
    if not host or parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise UsageError(f"{what} {address!r}: {example}")
    if port is None:
        raise UsageError(f"{what} {address!r}: no port; {example}")
    if not 0 < port < 65536:
        raise UsageError(f"{what} {address!r}: port {port} is not in 1-65535")
    return scheme, host, port


def scheduler_address(scheduler: str) -> str:
    """The address in ``scheduler`` (an address, or the JSON file ``dask scheduler --scheduler-file``
    writes), checked: one :class:`UsageError` line for a bad file or address (never a hang)."""
    if not scheduler.strip():
        raise UsageError("--scheduler '': give an address (tcp://host:8786) or a scheduler file")
    if not scheduler.endswith(".json"):
        parse_scheduler_address(scheduler)
        return scheduler.strip()
    p = Path(scheduler)
    if not os.path.lexists(p):
        raise UsageError(f"--scheduler {scheduler}: no such scheduler file (the JSON file "
                         "`dask scheduler --scheduler-file` writes)")
    data = read_bytes(p, UsageError, "scheduler file", 1_000_000)
    try:
        info = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, RecursionError, ValueError) as e:
        raise UsageError(f"--scheduler {scheduler}: not a readable scheduler file ({type(e).__name__})") from None
    if not isinstance(info, dict) or not isinstance(info.get("address"), str):
        raise UsageError(f"--scheduler {scheduler}: not a scheduler file (no 'address' in it)")
    parse_scheduler_address(info["address"], f"--scheduler {scheduler}: address")
    return info["address"]


def check_scheduler(scheduler: str | None, executor: str) -> None:
    """A Dask scheduler address, or a scheduler file that exists and names an address (never a hang)."""
    if scheduler is None:
        return
    if executor not in ("dask", "auto"):  # auto takes the cluster it is given
        raise UsageError("--scheduler needs --executor dask (or auto)")
    scheduler_address(scheduler)
