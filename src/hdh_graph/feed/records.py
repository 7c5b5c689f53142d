"""When each catalogue description was first published and last changed, from the catalogue's git history.

A description is one catalogue file. Its catalogue record says ``dct:issued`` (date of the first commit that
added the file) and ``dct:modified`` (date of the last commit that touched it). A file with changes not yet
committed, a file git does not track, or a catalogue outside any git work tree falls back to the file's
modification time (``source`` says which one was used).
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


@dataclass(frozen=True)
class RecordDates:
    """Issued and modified dates of one description, and where they come from (``git`` or ``mtime``)."""

    issued: datetime
    modified: datetime
    source: str


def _git(args: list[str], cwd: Path) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def _parse_log(text: str, prefix: str) -> dict[str, tuple[datetime, datetime]]:
    """``git log --format=@%cI --name-only`` output → {path relative to the catalogue: (first, last)}."""
    dates: dict[str, tuple[datetime, datetime]] = {}
    current: datetime | None = None
    for line in text.splitlines():
        if line.startswith("@"):
            current = datetime.fromisoformat(line[1:]).astimezone(UTC)
            continue
        if not line or current is None or not line.startswith(prefix):
            continue
        rel = line[len(prefix) :]
        first, last = dates.get(rel, (current, current))
        dates[rel] = (min(first, current), max(last, current))
    return dates


def _mtime(path: Path) -> datetime:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(microsecond=0)


def catalogue_dates(catalogue: Path) -> dict[str, RecordDates]:
    """Dates of every file under ``catalogue``, keyed by its path relative to that folder."""
    catalogue = catalogue.resolve()
    files = sorted(p for p in catalogue.rglob("*") if p.is_file())
    top = _git(["rev-parse", "--show-toplevel"], catalogue) if catalogue.is_dir() else None
    history: dict[str, tuple[datetime, datetime]] = {}
    dirty: set[str] = set()
    if top is not None:
        root = Path(top.strip())
        prefix = catalogue.relative_to(root).as_posix().rstrip("/") + "/"
        if prefix == "./":
            prefix = ""
        log = _git(["log", "--format=@%cI", "--name-only", "--no-renames", "--", "."], catalogue) or ""
        history = _parse_log(log, prefix)
        status = _git(["status", "--porcelain", "--no-renames", "--untracked-files=all", "--", "."], catalogue) or ""
        for line in status.splitlines():
            changed = line[3:].strip().strip('"')
            if changed.startswith(prefix):
                dirty.add(changed[len(prefix) :])
    result: dict[str, RecordDates] = {}
    for path in files:
        rel = path.relative_to(catalogue).as_posix()
        if rel in history and rel not in dirty:
            first, last = history[rel]
            result[rel] = RecordDates(first, last, "git")
        elif rel in history:
            first, _ = history[rel]
            result[rel] = RecordDates(first, max(first, _mtime(path)), "mtime")
        else:
            stamp = _mtime(path)
            result[rel] = RecordDates(stamp, stamp, "mtime")
    return result
