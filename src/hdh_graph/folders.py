"""Replacing a folder whole, and one writer per folder: what the commands that write folders share.

``replace_folder(new, current)`` puts a folder written aside in the place of the current one. On Linux both are
swapped by one ``renameat2(RENAME_EXCHANGE)`` call, so that at every instant ``current`` is the old folder or
the new one, even if the process is killed; the old folder then sits where the new one was written, to be
removed. Where that call is missing (another system, a file system without it), two renames are made and
:func:`restore_folder`, called by the next writer, puts back a folder that a kill left only under its
``retired`` name.

``folder_lock(path, what)`` holds an exclusive ``flock`` on ``path`` (a hidden file next to the folder, or a
folder that is never replaced itself, such as ``catalogue/harvested``) and
refuses at once, with a clear message, when another process holds it; a lock dies with its process.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import secrets
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

from hdh_graph.errors import HdhError

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


class BusyError(HdhError):
    """Another process is writing the same folder."""


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically; False when the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        call = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = call(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def replace_folder(new: Path, current: Path, retired: Path) -> None:
    """Put ``new`` in the place of ``current`` (same parent); the previous folder ends up at ``retired`` (or is
    gone when there was none). Remove ``retired`` afterwards with :func:`remove_tree`."""
    if current.exists() or current.is_symlink():
        if retired.exists():
            shutil.rmtree(retired)
        if _exchange(new, current):
            os.rename(new, retired)  # ``new`` now holds the previous folder
        else:
            os.rename(current, retired)
            os.rename(new, current)
    else:
        os.rename(new, current)
    fsync_dir(current.parent)


def restore_folder(current: Path, retired: Path) -> bool:
    """Put back a folder that an interrupted :func:`replace_folder` left only at ``retired``."""
    if not current.exists() and retired.is_dir():
        os.rename(retired, current)
        return True
    return False


def remove_tree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


TRASH = ".trash-"


def discard_tree(path: Path) -> None:
    """Remove a folder without waiting: it is renamed to a ``.trash-…`` name beside it (at once), then removed by a
    process of its own that goes on after the caller exits (removing 100,000s of files takes minutes on some file
    systems). :func:`empty_trash` removes what such a process could not finish."""
    if not path.exists():
        return
    trash = path.with_name(f"{TRASH}{path.name}-{os.getpid()}-{secrets.token_hex(3)}")
    os.rename(path, trash)
    code = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"
    subprocess.Popen(
        [sys.executable, "-c", code, str(trash)],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def empty_trash(folder: Path, name: str) -> None:
    """Remove the leftovers of :func:`discard_tree` for ``name`` in ``folder`` (their remover died)."""
    for leftover in folder.glob(f"{TRASH}{name}-*"):
        try:
            pid = int(leftover.name.rsplit("-", 2)[-2])
        except ValueError:
            continue
        if pid != os.getpid():
            remove_tree(leftover)


_held: dict[str, int] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def folder_lock(path: Path, what: str, hint: str) -> Iterator[None]:
    """Hold the lock file ``path`` for the block; ``BusyError`` (``what`` is being written) when another process
    holds it. Re-entrant within one process."""
    key = str(path.resolve()) if path.parent.exists() else str(path)
    with _held_guard:
        if key in _held:
            _held[key] += 1
            reentered = True
        else:
            reentered = False
    if reentered:
        try:
            yield
        finally:
            with _held_guard:
                _held[key] -= 1
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.is_dir():
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    else:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise BusyError(f"{what} is being written by another process (lock {path})", hint=hint) from exc
            raise
        with _held_guard:
            _held[key] = 1
        try:
            yield
        finally:
            with _held_guard:
                _held.pop(key, None)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def safe_name(name: str, what: str, hint: str) -> str:
    """``name`` when it can be one file or folder name inside a folder: not empty, no ``/`` or ``\\``, not
    ``.`` or ``..``, not hidden (a hidden file would be ignored by the build), no control character."""
    if (
        not name
        or name in (".", "..")
        or name.startswith(".")
        or any(c in name for c in "/\\")
        or any(ord(c) < 32 for c in name)
    ):
        raise HdhError(f"{what} {name!r} cannot be a file or folder name (it would leave its folder)", hint=hint)
    return name


def inside(path: Path, folder: Path, what: str, hint: str) -> Path:
    """``path`` when, every link followed, it lies inside ``folder``; else an ``HdhError``."""
    resolved = path.resolve()
    if not resolved.is_relative_to(folder.resolve()):
        raise HdhError(f"{what} {path} lies outside {folder} (through '..', an absolute path or a link)", hint=hint)
    return resolved
