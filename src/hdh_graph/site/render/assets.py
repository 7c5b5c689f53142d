"""The site's own static files under names that carry their content's hash (``site.3f9a1c2b04.css``).

Pages link the hashed names, which the server and any cache may keep for a year (``immutable``): a new version of
a file has a new name, so no reader is left with a stale style sheet or script. The plain names are written too,
for links from outside the pages.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HASH_LENGTH = 10


def hashed_name(name: str, data: bytes) -> str:
    """``name`` with the hash of ``data`` (its content) before the suffix."""
    digest = hashlib.sha256(data).hexdigest()[:HASH_LENGTH]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def static_files(static: Path) -> dict[str, bytes]:
    """Every file of ``static`` (relative path → bytes), read once, under its plain name."""
    return {
        file.relative_to(static).as_posix(): file.read_bytes()
        for file in sorted(p for p in static.rglob("*") if p.is_file())
    }


def hashed_names(files: dict[str, bytes]) -> dict[str, str]:
    """Each plain name of ``files`` → its hashed name."""
    return {name: hashed_name(name, data) for name, data in files.items()}
