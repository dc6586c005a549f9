"""Output folders: checked before any work, written atomically, never overwritten silently.

Every command that writes a folder of results goes through this module. Commands that write a
folder once (``run``, ``compare``, ``plot-sweep``, ``discover``, ``district``, :func:`write_run`) use
:func:`writing`::

    out = check_out(args.out, force=args.force)      # before any work: one line if it cannot be used
    ...check every other input...
    with writing(out, force=args.force) as tmp:      # locks OUT, stages into a hidden sibling
        ...compute, write files into tmp...
    # here OUT holds the new results, whole, or (after any error or a kill) is untouched

Commands that fill a folder over time and can be continued (``sweep``, ``sensitivity``,
``robustness``, ``merge``) use :func:`resumable`: the folder is locked, holds the
:data:`INCOMPLETE` marker while the command works in it, and gets its manifest when it finishes.

The rules:

- ``--out ''`` is refused, and so is a file, a symbolic link, a name longer than the file system
  allows (255 bytes) or a folder one cannot write into (checked by creating and removing a probe
  folder, so no finished work is lost to an unwritable place).
- Every finished output folder holds a manifest, :data:`MARKER`: the name and SHA-256 of every
  file the tool wrote there, subfolders included. A folder holding anything is never overwritten
  or mixed: the command refuses with one line, unless ``--force`` is given *and* every file in
  the folder (recursively) is one the manifest lists with the same content. A folder holding any
  other file (a user's notes, a later run in a subfolder, a link) is refused with the list of
  those files, with or without ``--force``; nothing in it is deleted.
- Results are written into a hidden sibling ``.NAME.tmp-PID-XXXX`` (shortened with a hash when
  NAME is long, so the name fits 255 bytes) that holds :data:`INCOMPLETE` until it is finished,
  then renamed onto ``OUT`` (a rename is atomic on POSIX): after a kill the folder is either the
  earlier one or the new one, never a mixture that looks complete.
- Two commands writing into one folder at once: the second stops with one line (an advisory
  ``flock`` on the folder itself, which is made empty at the start when missing).
- Any ``OSError`` while writing (a full disk, a file-size limit, a read-only mount) is one
  :class:`OutputError` line; nothing was changed in ``OUT``.
- Default folder names built from scenario or experiment names stay inside ``results/``
  (:func:`safe_name`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path

from consultsim.errors import UsageError

__all__ = ["OutputError", "MARKER", "INCOMPLETE", "safe_name", "check_out", "check_writable", "writing",
           "folder_lock", "resumable", "check_resumable", "check_unlocked", "foreign_files", "write_manifest", "shown",
           "atomic_write_bytes", "atomic_write_text"]

MARKER = ".consultsim-output.json"      # the manifest: what the tool wrote here (name -> SHA-256)
INCOMPLETE = ".consultsim-incomplete"   # present while a command is still writing the folder
_OURS = {MARKER, INCOMPLETE}
NAME_MAX = 255                          # bytes in one file name (ext4, XFS, APFS, NTFS)
_SHOW = 6                               # foreign files named in a refusal


class OutputError(UsageError):
    """An output folder cannot be used, or writing into it failed (nothing was changed there)."""


def shown(text: object) -> str:
    """``text`` safe to print on one terminal line: control characters (escape codes, newlines)
    shown as ``\\x1b``, ``\\n``..., so a name in a file cannot clear the screen or forge a line."""
    s = str(text)
    if not any(ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" for c in s):
        return s
    return "".join(c.encode("unicode_escape").decode("ascii")
                   if ord(c) < 32 or 127 <= ord(c) < 160 or c in "\u2028\u2029" else c for c in s)


def safe_name(name: str) -> str:
    """``name`` as one folder name: no separators, no ``..``, no leading dot (Chinese letters stay)."""
    s = re.sub(r"[^\w.-]+", "_", str(name)).strip("._")
    return s[:80] or "unnamed"


def _nearest_existing(path: Path) -> Path:
    p = path.absolute()
    while not os.path.lexists(p) and p != p.parent:
        p = p.parent
    return p


def check_writable(out: str | Path, option: str = "--out") -> Path:
    """``out`` as a Path if a folder can be created or written there; else one-line :class:`OutputError`."""
    if out is None or str(out).strip() == "":
        raise OutputError(f"{option} '': give a folder name")
    if "\x00" in str(out):
        raise OutputError(f"{option} {shown(repr(str(out)))}: a folder name cannot contain NUL")
    out = Path(out)
    long = [part for part in out.parts if len(os.fsencode(part)) > NAME_MAX]
    if long:
        raise OutputError(f"{option} {shown(out)}: a folder name of {len(os.fsencode(long[0]))} bytes is longer "
                          f"than the {NAME_MAX} bytes a file system allows")
    if out.is_symlink():
        raise OutputError(f"{option} {shown(out)}: is a symbolic link (to {shown(os.readlink(out))}); give the "
                          "folder itself or another name")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{option} {shown(out)}: exists and is not a folder")
    anc = _nearest_existing(out.parent if not out.exists() else out)
    if not anc.is_dir():
        raise OutputError(f"{option} {shown(out)}: cannot create it, {shown(anc)} is a file")
    try:  # a real probe: os.access says yes to root on a read-only mount's chmod bits
        probe = tempfile.mkdtemp(prefix=".consultsim-probe-", dir=anc)
        os.rmdir(probe)
    except OSError as e:
        raise OutputError(f"{option} {shown(out)}: cannot write in {shown(anc)} ({e.strerror or e})") from None
    return out


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _walk(root: Path) -> tuple[list[str], list[str], list[str]]:
    """(files, folders, other entries: links, pipes...) under ``root`` as relative POSIX paths; links
    are never followed."""
    files, dirs, other = [], [], []
    stack = [root]
    while stack:
        d = stack.pop()
        try:
            entries = list(os.scandir(d))
        except OSError as e:
            raise OutputError(f"{shown(d)}: cannot list it ({e.strerror or e})") from None
        for e in entries:
            rel = Path(e.path).relative_to(root).as_posix()
            if e.is_symlink():
                other.append(rel)
            elif e.is_dir(follow_symlinks=False):
                dirs.append(rel)
                stack.append(Path(e.path))
            elif e.is_file(follow_symlinks=False):
                files.append(rel)
            else:
                other.append(rel)
    return sorted(files), sorted(dirs), sorted(other)


def _read_manifest(out: Path) -> dict | None:
    p = out / MARKER
    try:
        if p.is_symlink() or not p.is_file() or p.stat().st_size > 64 << 20:
            return None
        m = json.loads(p.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError, RecursionError):  # a user's file of that name: not ours
        return None
    return m if isinstance(m, dict) and isinstance(m.get("files"), dict) else None


def write_manifest(folder: str | Path, command: list[str] | None = None, kind: str | None = None) -> Path:
    """Record every file under ``folder`` (name and SHA-256, subfolders included) in :data:`MARKER`."""
    folder = Path(folder)
    files, dirs, _ = _walk(folder)
    record = {"command": command, "kind": kind,
              "files": {f: _sha256(folder / f) for f in files if f not in _OURS},
              "folders": dirs}
    atomic_write_text(folder / MARKER, json.dumps(record, ensure_ascii=False, indent=1) + "\n")
    return folder / MARKER


def foreign_files(out: str | Path, content: bool = True, nested: bool = False) -> list[str]:
    """Files and folders under ``out`` that the manifest does not list with the same content (all of
    them when there is no manifest); links, pipes and devices are always foreign. ``content=False``
    checks names only. ``nested=True`` (for resuming, which deletes nothing): a subfolder holding an
    output of its own (its manifest, every file in it the tool's: ``plot-sweep`` and ``discover`` write
    into the sweep's folder by default) is not foreign; for replacing (``--force``) it always is."""
    out = Path(out)
    files, dirs, other = _walk(out)
    if nested:
        inner = [d for d in dirs if (out / d / MARKER).is_file() and not foreign_files(out / d, content, True)]
        if inner:
            under = lambda p: any(p == d or p.startswith(d + "/") for d in inner)  # noqa: E731
            files, dirs, other = ([p for p in x if not under(p)] for x in (files, dirs, other))
    m = _read_manifest(out)
    known = m["files"] if m else {}
    known_dirs = set(m.get("folders") or []) if m else set()
    for f in known:
        parts = f.split("/")
        known_dirs.update("/".join(parts[:i]) for i in range(1, len(parts)))
    bad = [f for f in files if f not in _OURS and (f not in known or (content and _sha256(out / f) != known[f]))]
    bad += [d for d in dirs if d not in known_dirs]
    if m is None and (out / MARKER).exists():
        bad.append(MARKER)
    return sorted(bad + other)


def _list(names: list[str]) -> str:
    return ", ".join(shown(n) for n in names[:_SHOW]) + (f" and {len(names) - _SHOW} more" if len(names) > _SHOW
                                                         else "")


def check_unlocked(out: str | Path, option: str = "--out") -> None:
    """One line if another command holds the lock on the folder ``out`` now (checked before any work)."""
    import fcntl

    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return  # missing (or not openable: the writer's own checks say why)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        raise OutputError(f"{option} {shown(out)}: another consultsim command is writing there now; wait for it "
                          "or choose another folder") from None
    finally:
        os.close(fd)


def check_out(out: str | Path, *, force: bool = False, option: str = "--out", _locked: bool = False) -> Path:
    """Check ``out`` before any work: writable, not being written by another command, and empty or
    (with ``force``) an earlier output whose every file is one consultsim wrote (checked against its
    manifest by name and hash)."""
    out = check_writable(out, option)
    if out.is_dir() and not _locked:
        check_unlocked(out, option)
    if out.is_dir():
        try:
            names = sorted(p.name for p in out.iterdir())
        except OSError as e:
            raise OutputError(f"{option} {shown(out)}: cannot list it ({e.strerror or e})") from None
        if not names:
            return out
        foreign = foreign_files(out)
        if foreign:
            raise OutputError(f"{option} {shown(out)}: not a consultsim output folder: it holds "
                              f"{len(foreign)} file{'s' if len(foreign) > 1 else ''} consultsim did not write "
                              f"({_list(foreign)}); nothing there is replaced, choose another folder")
        if (out / INCOMPLETE).exists() and not force:
            raise OutputError(f"{option} {shown(out)}: holds an unfinished output (a command was stopped while "
                              "writing it); choose another folder or add --force to replace it")
        if not force:
            shown_names = ", ".join(shown(n) for n in names[:4]) + (", ..." if len(names) > 4 else "")
            raise OutputError(f"{option} {shown(out)}: holds earlier results ({shown_names}); choose another folder "
                              "or add --force to replace them")
    return out


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stage_prefix(name: str) -> str:
    """``.NAME.tmp-`` or, when that would not fit a 255-byte file name with the pid and a random tail,
    NAME shortened and a hash of the whole name added (two long names never share a prefix)."""
    prefix = f".{name}.tmp-"
    if len(os.fsencode(prefix)) + 32 <= NAME_MAX:
        return prefix
    h = hashlib.sha256(os.fsencode(name)).hexdigest()[:12]
    short = os.fsencode(name)[:NAME_MAX - 64].decode("utf-8", "ignore")
    return f".{short}~{h}.tmp-"


def _remove_stale(parent: Path, name: str) -> None:
    """Staging folders of commands that died (killed, power cut) are removed."""
    prefix = _stage_prefix(name)
    try:
        entries = list(os.scandir(parent))
    except OSError:
        return
    for e in entries:
        if e.name.startswith(prefix):
            m = re.match(r"(\d+)-", e.name[len(prefix):])
            if m and not _pid_alive(int(m.group(1))):
                shutil.rmtree(e.path, ignore_errors=True)


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
    if out.is_symlink():
        raise OutputError(f"{option} {shown(out)}: is a symbolic link; give the folder itself or another name")
    anc = _nearest_existing(out)
    created = False
    try:
        out.mkdir(parents=True)
        created = True
    except FileExistsError:
        pass
    except OSError as e:
        raise OutputError(f"{option} {shown(out)}: cannot create it ({e.strerror or e})") from None
    try:
        fd = os.open(out, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError as e:
        if created:
            _remove_empty(out, anc)
        raise OutputError(f"{option} {shown(out)}: cannot open it ({e.strerror or e})") from None
    ok = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise OutputError(f"{option} {shown(out)}: another consultsim command is writing there now; wait for "
                              "it or choose another folder") from None
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


def _os_error(option: str, out: Path, e: OSError) -> OutputError:
    return OutputError(f"{option} {shown(out)}: writing failed ({shown(e.strerror or e)}); nothing was changed "
                       "there")


@contextlib.contextmanager
def writing(out: str | Path, *, force: bool = False, command: list[str] | None = None,
            option: str = "--out", kind: str | None = None) -> Iterator[Path]:
    """Stage results in a hidden sibling of ``out`` and rename it onto ``out`` when the block ends.

    The staging folder holds :data:`INCOMPLETE` until the block has ended; then the manifest
    (:func:`write_manifest`) replaces it and the folder is renamed into place. On any error (or
    Ctrl-C, or SIGTERM: the command line turns it into an exception) the staging folder is removed
    and ``out`` is untouched; an ``OSError`` while writing (a full disk, a read-only mount, a
    file-size limit) becomes one :class:`OutputError` line.
    """
    out = Path(out)
    check_out(out, force=force, option=option)
    with folder_lock(out, option):
        out = check_out(out, force=force, option=option, _locked=True)  # again, under the lock
        parent = out.absolute().parent
        _remove_stale(parent, out.name)
        tmp = parent / f"{_stage_prefix(out.name)}{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            tmp.mkdir()
            (tmp / INCOMPLETE).write_text(json.dumps({"command": command, "pid": os.getpid()},
                                                     ensure_ascii=False) + "\n", encoding="utf-8")
            yield tmp
            (tmp / INCOMPLETE).unlink()
            write_manifest(tmp, command, kind)
            if any(out.iterdir()):  # the user may have added a file while this command ran
                check_out(out, force=force, option=option, _locked=True)
            _commit(tmp, out)
        except OSError as e:  # errno None too: pyarrow's write errors carry none
            shutil.rmtree(tmp, ignore_errors=True)
            raise _os_error(option, out, e) from None
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise


def _commit(tmp: Path, out: Path) -> None:
    """Put the staged folder in place: old results (checked, replaceable) move aside, then go.

    An empty ``out`` (the locked folder made for this command) is replaced by one atomic rename."""
    old = None
    if any(out.iterdir()):
        old = out.parent / f"{_stage_prefix(out.name)[:-4]}old-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        os.rename(out, old)
    try:
        os.rename(tmp, out)
    except OSError:
        if old is not None:
            os.rename(old, out)  # the earlier results go back
        raise
    _fsync_dir(out.absolute().parent)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def check_resumable(out: str | Path, kind: str, *, resume: bool, option: str = "--out",
                    first: str | None = None) -> Path:
    """Check a folder a resumable command (``kind``: robustness...) will fill in place.

    Empty or missing: fine. Holding an earlier output of the same kind (its manifest lists every
    file there) or an unfinished one (:data:`INCOMPLETE` of the same kind): fine with ``resume``,
    else one line suggesting ``--resume``. Anything else (a user's files, another kind of output):
    refused with the list of those files."""
    out = check_writable(out, option)
    if out.is_dir():
        check_unlocked(out, option)
    if not out.is_dir() or not any(out.iterdir()):
        return out
    state = _incomplete_kind(out)
    m = _read_manifest(out)
    if state == kind or (state is None and m is not None and m.get("kind") == kind):
        if state is None:
            foreign = foreign_files(out, nested=True)
            if foreign:
                raise OutputError(f"{option} {shown(out)}: holds {len(foreign)} file"
                                  f"{'s' if len(foreign) > 1 else ''} consultsim did not write "
                                  f"({_list(foreign)}); nothing there is changed, choose another folder")
        if not resume:
            what = "an unfinished" if state else "an earlier"
            raise OutputError(f"{option} {shown(out)}: holds {what} {kind} output"
                              f"{f' ({first})' if first and (out / first).exists() else ''}; add --resume to "
                              "continue it and rewrite its tables, or choose another folder")
        return out
    files, dirs, other = _walk(out)
    foreign = sorted(set(files + other) - _OURS) or dirs
    raise OutputError(f"{option} {shown(out)}: not a consultsim {kind} folder: it holds {len(foreign)} file"
                      f"{'s' if len(foreign) > 1 else ''} consultsim did not write there ({_list(foreign)}); "
                      "nothing there is changed, choose another folder")


def _incomplete_kind(out: Path) -> str | None:
    p = out / INCOMPLETE
    if not p.is_file() or p.is_symlink() or p.stat().st_size > 1 << 20:
        return None
    try:
        return str(json.loads(p.read_text(encoding="utf-8")).get("kind") or "")
    except (OSError, UnicodeDecodeError, ValueError, AttributeError, RecursionError):
        return ""


@contextlib.contextmanager
def resumable(out: str | Path, *, command: list[str] | None = None, kind: str | None = None,
              option: str = "--out", replace: bool = False) -> Iterator[Path]:
    """Lock ``out`` (created if missing) and mark it :data:`INCOMPLETE` while the block fills it in place.

    When the block ends normally the marker goes and the manifest records every file; after an
    error, Ctrl-C, SIGTERM or ``kill -9`` the marker stays, so the folder never looks finished
    (the command's ``--resume`` continues it). An ``OSError`` becomes one :class:`OutputError` line.

    ``replace`` (a command's ``--force``): an earlier output in ``out`` is emptied first, under the lock,
    and only if every file in it is one the manifest lists with the same content (:func:`check_out`);
    anything else is refused with the list of those files and nothing is deleted.
    """
    out = Path(out)
    with folder_lock(out, option):
        # a finished output continued (--resume): every file in it must still be one the manifest lists,
        # else the manifest written at the end would adopt the user's files as the tool's (issue 21)
        if (out / MARKER).exists() and not (out / INCOMPLETE).exists():
            foreign = foreign_files(out, nested=True)  # a table the user edited is no longer the tool's
            if foreign:
                raise OutputError(f"{option} {shown(out)}: holds {len(foreign)} file"
                                  f"{'s' if len(foreign) > 1 else ''} consultsim did not write "
                                  f"({_list(foreign)}); nothing there is changed, choose another folder")
        if replace and any(out.iterdir()):
            check_out(out, force=True, option=option, _locked=True)  # every file ours, by name and hash
            for e in list(os.scandir(out)):
                if e.name == MARKER:
                    continue
                try:
                    shutil.rmtree(e.path) if e.is_dir(follow_symlinks=False) else os.unlink(e.path)
                except OSError as err:
                    raise OutputError(f"{option} {shown(out)}: cannot replace the earlier output "
                                      f"({shown(err.strerror or err)})") from None
            os.unlink(out / MARKER)  # last: until here the folder still says what is the tool's
        was_incomplete = (out / INCOMPLETE).exists()
        before = _stats(out)
        try:
            atomic_write_text(out / INCOMPLETE, json.dumps({"kind": kind, "command": command, "pid": os.getpid()},
                                                           ensure_ascii=False) + "\n")
            yield out
            write_manifest(out, command, kind)
            (out / INCOMPLETE).unlink()
        except BaseException as e:
            # refused before changing anything (a check inside the block): the folder stays as it was
            if not was_incomplete and _stats(out) == before:
                with contextlib.suppress(OSError):
                    (out / INCOMPLETE).unlink()
            if isinstance(e, OSError):  # errno None too: pyarrow's write errors (a file-size limit) carry none
                raise OutputError(f"{option} {shown(out)}: writing failed ({shown(e.strerror or e)}); the "
                                  "finished part is kept, marked unfinished") from None
            raise


def _stats(out: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every file under ``out`` but the unfinished marker (and its folders)."""
    out_stats = {}
    for root, dirs, files in os.walk(out):
        for d in dirs:  # a folder made counts as a change too
            out_stats[os.path.relpath(os.path.join(root, d), out) + "/"] = (0, 0)
        for f in files:
            p = os.path.join(root, f)
            rel = os.path.relpath(p, out)
            if rel == INCOMPLETE:
                continue
            with contextlib.suppress(OSError):
                st = os.lstat(p)
                out_stats[rel] = (st.st_size, st.st_mtime_ns)
    return out_stats


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
