"""The site's own static files under names that carry their content's hash (``site.3f9a1c2b04.css``).

Pages link the hashed names, which the server and any cache may keep for a year (``immutable``): a new version of
a file has a new name, so no reader is left with a stale style sheet or script. The plain names are written too,
for links from outside the pages.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path

HASH_LENGTH = 10


@cache
def hashed_name(static: Path, name: str) -> str:
    """``name`` (a path under ``static``) with its content's hash before the suffix; ``name`` itself when there
    is no such file."""
    path = static / name
    if not path.is_file():
        return name
    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def static_files(static: Path) -> dict[str, bytes]:
    """Every file of ``static`` (relative path → bytes), under its plain and its hashed name."""
    out: dict[str, bytes] = {}
    for file in sorted(p for p in static.rglob("*") if p.is_file()):
        name = file.relative_to(static).as_posix()
        data = file.read_bytes()
        out[name] = data
        out[hashed_name(static, name)] = data
    return out
