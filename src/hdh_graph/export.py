"""Dump the whole store, every named graph kept, as N-Quads or TriG.

``export_store`` streams into a binary file object; ``export_to_file`` writes a temporary file next to the
target and renames it when complete, so a reader never sees half an export. Its first line is a comment,
``# hdh export ...``: an existing target is replaced only when it starts so (a previous export), never when it is
some other file.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

import pyoxigraph as ox

from hdh_graph.errors import HdhError
from hdh_graph.graph_store import GraphStore
from hdh_graph.vocab import PREFIXES

EXPORT_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}


def _format(fmt: str) -> ox.RdfFormat:
    try:
        return EXPORT_FORMATS[fmt]
    except KeyError:
        raise HdhError(f"unknown export format {fmt!r}", hint=f"use one of: {', '.join(EXPORT_FORMATS)}") from None


def export_store(store: GraphStore, fmt: str, out: BinaryIO) -> None:
    """Write every quad of the store to ``out`` (TriG uses the project's prefixes)."""
    rdf_format = _format(fmt)
    prefixes = dict(PREFIXES) if rdf_format == ox.RdfFormat.TRIG else None
    store.dump(out, rdf_format, prefixes=prefixes)


MARK = b"# hdh export"


def export_to_file(store: GraphStore, fmt: str, target: Path) -> None:
    """Write the export to ``target`` through a temporary file renamed at the end."""
    _format(fmt)
    if target.is_symlink() or (target.exists() and not target.is_file()):
        raise HdhError(f"{target} is not a file an export wrote (a link or a folder)", hint="choose another --output")
    if target.exists():
        with target.open("rb") as existing:
            if existing.read(len(MARK)) != MARK:
                raise HdhError(
                    f"{target} exists and is not an earlier `hdh export`; it is left as it is",
                    hint="choose another --output, or remove that file first",
                )
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(MARK + f" ({fmt}): every named graph of the store\n".encode())
            export_store(store, fmt, out)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
