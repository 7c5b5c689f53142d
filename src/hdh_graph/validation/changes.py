"""Which catalogue files git sees as changed (working tree and index, or since a given commit)."""

from __future__ import annotations

import subprocess
from pathlib import Path

from hdh_graph.errors import HdhError


class GitError(HdhError):
    """git could not tell which files changed."""

    exit_code = 2


def changed_files(catalogue: Path, since: str | None = None) -> list[Path]:
    """Turtle files under ``catalogue`` changed in the working tree (or since commit ``since``); a deleted
    file is listed too (it no longer exists: the files that cited it are what needs checking)."""
    root = _git(catalogue, "rev-parse", "--show-toplevel").strip()
    names: set[str] = set()
    if since:
        names |= set(_git(catalogue, "diff", "--name-only", since, "--", ".").splitlines())
    names |= set(_git(catalogue, "diff", "--name-only", "HEAD", "--", ".").splitlines())
    names |= set(_git(catalogue, "ls-files", "--others", "--exclude-standard", "--full-name", "--", ".").splitlines())
    return sorted(Path(root) / n for n in names if n.endswith(".ttl"))


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise GitError(f"cannot run git: {exc}", hint="install git or validate without --changed") from exc
    if done.returncode != 0:
        raise GitError(
            f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}",
            hint="run inside a git work tree, or validate without --changed",
        )
    return done.stdout
