"""Output folders: checked before any work, written atomically, never overwritten silently.

Every command that writes a folder of results (``run``, ``compare``, ``plot-sweep``; ``sweep`` and
``sensitivity`` keep their own resumable layout but share the path checks and the lock) goes
through :func:`writing`::

    out = check_out(args.out, force=args.force)      # before any work: one line if it cannot be used
    ...check every other input...
    with writing(out, force=args.force) as tmp:      # locks OUT, stages into a hidden sibling
        ...compute, write files into tmp...
    # here OUT holds the new results, whole, or (after any error or a kill) is untouched

The rules:

- ``--out ''`` is refused, and so is a file or a folder one cannot write into (checked by
  creating and removing a probe folder, so no finished work is lost to an unwritable place).
- A folder holding anything is never overwritten or mixed: the command refuses with one line,
  unless ``--force`` is given *and* the folder is an earlier consultsim output (it holds
  :data:`MARKER`); a user's own files are never replaced.
- Results are written into a hidden sibling ``.NAME.tmp-PID-XXXX`` and renamed onto ``OUT`` at
  the end (a rename is atomic on POSIX), so after ``kill -9`` the folder is either the earlier
  one or the new one, never a mixture that looks complete and describes another run.
- Two commands writing into one folder at once: the second stops with one line (an advisory
  ``flock`` on the folder itself, which is made empty at the start when missing).
- Default folder names built from scenario or experiment names stay inside ``results/``
  (:func:`safe_name`).
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from consultsim.errors import UsageError

__all__ = ["OutputError", "MARKER", "safe_name", "check_out", "check_writable", "writing", "folder_lock",
           "atomic_write_bytes", "atomic_write_text"]

MARKER = ".consultsim-output.json"
# provenance files that mark a folder written by an earlier consultsim (before the marker existed)
_OURS = (MARKER, "run.json", "comparison.json", "experiment.json")


class OutputError(UsageError):
    """An output folder cannot be used, or writing into it failed (nothing was changed there)."""


def safe_name(name: str) -> str:
    """``name`` as one folder name: no separators, no ``..``, no leading dot (Chinese letters stay)."""
    s = re.sub(r"[^\w.-]+", "_", str(name)).strip("._")
    return s[:80] or "unnamed"


def _nearest_existing(path: Path) -> Path:
    p = path.absolute()
    while not p.exists() and p != p.parent:
        p = p.parent
    return p


def check_writable(out: str | Path, option: str = "--out") -> Path:
    """``out`` as a Path if a folder can be created or written there; else one-line :class:`OutputError`."""
    if out is None or str(out).strip() == "":
        raise OutputError(f"{option} '': give a folder name")
    out = Path(out)
    if "\x00" in str(out):
        raise OutputError(f"{option} {str(out)!r}: a folder name cannot contain NUL")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{option} {out}: exists and is not a folder")
    anc = _nearest_existing(out.parent if not out.exists() else out)
    if not anc.is_dir():
        raise OutputError(f"{option} {out}: cannot create it, {anc} is a file")
    try:  # a real probe: os.access says yes to root on a read-only mount's chmod bits
        probe = tempfile.mkdtemp(prefix=".consultsim-probe-", dir=anc)
        os.rmdir(probe)
    except OSError as e:
        raise OutputError(f"{option} {out}: cannot write in {anc} ({e.strerror or e})") from None
    return out


def _entries(out: Path) -> list[str]:
    try:
        return sorted(p.name for p in out.iterdir())
    except OSError as e:
        raise OutputError(f"--out {out}: cannot list it ({e.strerror or e})") from None


def check_out(out: str | Path, *, force: bool = False, option: str = "--out") -> Path:
    """Check ``out`` before any work: writable, and empty or (with ``force``) an earlier output."""
    out = check_writable(out, option)
    if out.is_dir():
        names = _entries(out)
        if names and not force:
            shown = ", ".join(names[:4]) + (", ..." if len(names) > 4 else "")
            raise OutputError(f"{option} {out}: holds earlier results ({shown}); choose another folder "
                              "or add --force to replace them")
        if names and not any(n in names for n in _OURS):
            raise OutputError(f"{option} {out}: not empty and not a consultsim output folder; it is not "
                              "replaced even with --force (choose another folder)")
    return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _remove_stale(parent: Path, name: str) -> None:
    """Staging folders of commands that died (killed, power cut) are removed."""
    for p in parent.glob(f".{name}.tmp-*"):
        m = re.match(rf"\.{re.escape(name)}\.tmp-(\d+)-", p.name)
        if m and not _pid_alive(int(m.group(1))):
            shutil.rmtree(p, ignore_errors=True)


def _remove_empty(path: Path, stop: Path) -> None:
    """Remove ``path`` and its parents up to (not including) ``stop`` while they are empty."""
    p = path.absolute()
    stop = stop.absolute()
    while p != stop and p != p.parent:
        try:
            p.rmdir()
        except OSError:
            return
        p = p.parent


@contextlib.contextmanager
def folder_lock(out: str | Path, option: str = "--out") -> Iterator[bool]:
    """Hold an exclusive lock on the folder ``out`` (created if missing) while writing into it.

    The lock is an advisory ``flock`` on the folder itself, so no lock file is left behind. A second
    command gets one line. If the block fails and the folder was created here and is still empty,
    it is removed again (with the parents created for it): a refused command leaves nothing.
    Yields whether the folder was created here.
    """
    import fcntl

    out = Path(out)
    anc = _nearest_existing(out)
    created = False
    try:
        out.mkdir(parents=True)
        created = True
    except FileExistsError:
        pass
    except OSError as e:
        raise OutputError(f"{option} {out}: cannot create it ({e.strerror or e})") from None
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as e:
        raise OutputError(f"{option} {out}: cannot open it ({e.strerror or e})") from None
    ok = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{option} {out}: another consultsim command is writing there now; wait for it "
                              "or choose another folder") from None
        yield created
        ok = True
    finally:
        os.close(fd)  # releases the lock
        if created and not ok:
            _remove_empty(out, anc)


def _fsync_dir(path: Path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def writing(out: str | Path, *, force: bool = False, command: list[str] | None = None,
            option: str = "--out") -> Iterator[Path]:
    """Stage results in a hidden sibling of ``out`` and rename it onto ``out`` when the block ends.

    On any error (or Ctrl-C) the staging folder is removed and ``out`` is untouched; an ``OSError``
    while writing (a full disk, a read-only mount) becomes one :class:`OutputError` line.
    """
    out = Path(out)
    check_out(out, force=force, option=option)
    with folder_lock(out, option):
        out = check_out(out, force=force, option=option)  # again, under the lock
        parent = out.absolute().parent
        _remove_stale(parent, out.name)
        tmp = parent / f".{out.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
            yield tmp
            (tmp / MARKER).write_text(json.dumps({"command": command}, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
            _commit(tmp, out)
        except OSError as e:
            shutil.rmtree(tmp, ignore_errors=True)
            if e.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EIO, errno.EFBIG):
                raise OutputError(f"{option} {out}: writing failed ({e.strerror or e}); nothing was changed "
                                  "there") from None
            raise
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _commit(tmp: Path, out: Path) -> None:
    """Put the staged folder in place: old results (checked, replaceable) move aside, then go.

    An empty ``out`` (the locked folder made for this command) is replaced by one atomic rename."""
    old = None
    if any(out.iterdir()):
        old = out.parent / f".{out.name}.old-{uuid.uuid4().hex[:8]}"
        os.rename(out, old)
    os.rename(tmp, out)
    _fsync_dir(out.absolute().parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def atomic_write_bytes(path: str | Path, data: bytes) -> Path:
    """Write a file under a temporary name in its folder, then rename it into place."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    return path


def atomic_write_text(path: str | Path, text: str) -> Path:
    return atomic_write_bytes(path, text.encode("utf-8"))
