"""The embedded pyoxigraph store on disk: where it lives, how it is opened, and when it is out of date.

Layout of the store folder (``Settings.store``, default ``./var/store``)::

    var/store/
      active -> snapshots/20261129T181500Z-1234-a1b2c3      symlink to the snapshot in use
      snapshots/20261129T181500Z-1234-a1b2c3/
        oxigraph/                                           the pyoxigraph (RocksDB) database
        build.json                                          when, from which files, counts
        validation.json                                     what validation found (hdh build; see publishing)
      snapshots/20261129T190000Z-5678-d4e5f6.partial/       a build in progress (or interrupted)
      .lock                                                 held by a running build

A build writes a new snapshot next to the active one and, only once everything has loaded, renames it and
points ``active`` at it (an atomic ``rename`` of a new symlink over the old one). A reader therefore sees the
old store or the new one, never half of one, and a build that fails or dies leaves the previous store
untouched. The snapshot that was active before a build is kept until the next build starts, so that a
process that opened it keeps working; leftovers of interrupted builds are removed then too. A build that only
has a few files to reload starts from a copy of the active database (:func:`copy_database`, hard links) rather
than from an empty one; see :mod:`hdh_graph.build_plan`.

To use the store with other oxigraph tools, point them at ``var/store/active/oxigraph``.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from hdh_graph.catalogue_files import fingerprint
from hdh_graph.errors import SettingsError, StoreError
from hdh_graph.settings import Settings

ACTIVE = "active"
SNAPSHOTS = "snapshots"
DATABASE = "oxigraph"
BUILD_INFO = "build.json"
VALIDATION_REPORT = "validation.json"
"""The validation results saved with a snapshot by :func:`hdh_graph.publishing.validated_build`; a store built
without validation has none. The site shows them to curators (:mod:`hdh_graph.site.read.curation`)."""
VALIDATION_REPORT_VERSION = 1
LOCK = ".lock"
PARTIAL_SUFFIX = ".partial"

_BUILD_HINT = "run `hdh build` (with the same --catalogue/--store/--base-iri) to build the store"


def active_snapshot(settings: Settings) -> Path | None:
    """The folder of the snapshot in use, or ``None`` when nothing has been built."""
    link = settings.store / ACTIVE
    if not link.is_symlink():
        return None
    target = (settings.store / os.readlink(link)).resolve()
    return target if (target / DATABASE).is_dir() else None


def store_version(settings: Settings) -> str | None:
    """A name for the snapshot in use; it changes with every successful build (to notice a rebuild)."""
    snapshot = active_snapshot(settings)
    return snapshot.name if snapshot is not None else None


def database_path(settings: Settings) -> Path:
    """The pyoxigraph database folder of the snapshot in use; a ``StoreError`` when there is none."""
    snapshot = active_snapshot(settings)
    if snapshot is None:
        raise StoreError(f"no store has been built in {settings.store}", hint=_BUILD_HINT)
    return snapshot / DATABASE


def open_store(settings: Settings, read_only: bool = True) -> ox.Store:
    """Open the store that the last successful build made.

    Read-only stores can be opened by many processes at once. Opening read-write takes a lock that only
    one process may hold, and changes made that way are lost at the next build (which then reads the whole
    catalogue: see :mod:`hdh_graph.build_plan`).
    """
    path = database_path(settings)
    try:
        return ox.Store.read_only(str(path)) if read_only else ox.Store(str(path))
    except OSError as exc:
        raise StoreError(
            f"cannot open the store {path}: {exc}",
            hint="another process may hold it open read-write; otherwise " + _BUILD_HINT,
        ) from exc


def build_info(settings: Settings) -> dict[str, Any] | None:
    """What the last successful build recorded (time, base IRI, catalogue, files, counts), if any."""
    return read_snapshot_json(settings, BUILD_INFO)


def read_snapshot_json(settings: Settings, name: str) -> dict[str, Any] | None:
    """A JSON document saved in the active snapshot (``build.json``, ``validation.json``); ``None`` when there is
    no store, no such file, or it cannot be read as a JSON object."""
    snapshot = active_snapshot(settings)
    return read_json(snapshot / name) if snapshot is not None else None


def read_json(path: Path) -> dict[str, Any] | None:
    """A JSON object saved in a snapshot; ``None`` when the file is missing or is not a JSON object."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def store_is_stale(settings: Settings) -> bool:
    """True when the store is missing or does not reflect the catalogue as it is now.

    That is: no store, or it was built with another base IRI or catalogue folder, or a catalogue file
    (Turtle or CSV) was added, removed or modified since the build started reading.
    """
    info = build_info(settings)
    if info is None:
        return True
    if info.get("base_iri") != settings.base_iri:
        return True
    if info.get("catalogue") != str(settings.catalogue.resolve()):
        return True
    try:
        current = fingerprint(settings)
    except SettingsError:  # no catalogue to rebuild from: the store is the best there is
        return False
    return bool(current != info.get("files"))


# -- for the build ---------------------------------------------------------------------------------------


SNAPSHOT_NAME = re.compile(r"\d{8}T\d{6}Z-\d+(-[0-9a-f]+)?(\.partial)?")
"""How :func:`new_partial_snapshot` names snapshots; nothing else in ``snapshots/`` is ever removed."""
_OTHER_ENTRIES = re.compile(r"active\.\d+|remote-search\.sqlite(-wal|-shm|-journal)?")
"""Besides ``active``, ``snapshots`` and ``.lock``: a link left by a build killed while swapping, the search
index of a remote endpoint (:mod:`hdh_graph.api.app`)."""


def _check_ours(settings: Settings) -> None:
    """Refuse a store folder that holds anything a build did not make: a build removes old snapshots, so a
    folder chosen by mistake (``--store ~/Documents``) must never be taken for a store."""
    root = settings.store
    if not root.exists():
        return
    if not root.is_dir():
        raise StoreError(f"the store path {root} is a file", hint="pass --store DIR with a folder path")
    foreign = sorted(
        p.name
        for p in root.iterdir()
        if p.name not in (ACTIVE, SNAPSHOTS, LOCK) and not _OTHER_ENTRIES.fullmatch(p.name)
    )
    snapshots = root / SNAPSHOTS
    if snapshots.is_symlink() or (snapshots.exists() and not snapshots.is_dir()):
        foreign.append(SNAPSHOTS)
    elif snapshots.is_dir():
        foreign += sorted(
            f"{SNAPSHOTS}/{p.name}"
            for p in snapshots.iterdir()
            if not SNAPSHOT_NAME.fullmatch(p.name) or p.is_symlink() or not p.is_dir()
        )
    if foreign:
        shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
        raise StoreError(
            f"{root} holds what a build did not make ({shown}): it is not an hdh store, or not only one; "
            "nothing was changed",
            hint="choose another folder with --store (env HDH_STORE), or move those entries away",
        )


@contextlib.contextmanager
def build_lock(settings: Settings) -> Iterator[None]:
    """Hold the store's build lock: one build at a time per store folder."""
    _check_ours(settings)
    (settings.store / SNAPSHOTS).mkdir(parents=True, exist_ok=True)
    with (settings.store / LOCK).open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES):
                raise StoreError(
                    f"another build of {settings.store} is running",
                    hint="wait for it to finish, or build into another folder with --store",
                ) from exc
            raise
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def remove_leftovers(settings: Settings) -> list[Path]:
    """Delete interrupted builds and every snapshot but the active one (call with the build lock held)."""
    keep = active_snapshot(settings)
    removed: list[Path] = []
    folder = settings.store / SNAPSHOTS
    if not folder.is_dir():
        return removed
    for entry in sorted(folder.iterdir()):
        if keep is not None and entry.resolve() == keep:
            continue
        if not SNAPSHOT_NAME.fullmatch(entry.name) or entry.is_symlink():
            continue
        shutil.rmtree(entry, ignore_errors=True)
        removed.append(entry)
    for entry in settings.store.iterdir():  # a symlink left by a build that died while swapping
        if entry.name.startswith(ACTIVE + ".") and entry.is_symlink():
            entry.unlink()
            removed.append(entry)
    return removed


def new_partial_snapshot(settings: Settings) -> Path:
    """A fresh folder for a build in progress (call with the build lock held)."""
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    name = f"{stamp}-{os.getpid()}-{secrets.token_hex(3)}"
    folder = settings.store / SNAPSHOTS / (name + PARTIAL_SUFFIX)
    folder.mkdir(parents=True)
    return folder


def database_state(snapshot: Path) -> str | None:
    """What the database's ``CURRENT`` file names (its RocksDB manifest): it changes whenever the database is opened
    for writing, never when it is read. ``None`` when it cannot be read."""
    try:
        return (snapshot / DATABASE / "CURRENT").read_text(encoding="utf-8").strip()
    except OSError:
        return None


def copy_database(snapshot: Path, partial: Path) -> None:
    """Copy a snapshot's database into a build in progress, to update it there: a RocksDB checkpoint, made of
    hard links to the immutable table files (near instant, little disk). The source is opened read-only, as the
    server may hold it open too, and is never written to."""
    source = ox.Store.read_only(str(snapshot / DATABASE))
    try:
        source.backup(str(partial / DATABASE))
    finally:
        del source


def read_graphs(snapshot: Path, graphs: dict[str, str]) -> dict[str, list[ox.Triple]]:
    """The triples of some named graphs of a snapshot (key -> graph IRI); a graph the snapshot does not have is
    left out. The database is opened read-only."""
    store = ox.Store.read_only(str(snapshot / DATABASE))
    found: dict[str, list[ox.Triple]] = {}
    try:
        for key, iri in graphs.items():
            name = ox.NamedNode(iri)
            if store.contains_named_graph(name):
                found[key] = [q.triple for q in store.quads_for_pattern(None, None, None, name)]
    finally:
        del store
    return found


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_build_info(snapshot: Path, info: dict[str, Any]) -> None:
    write_snapshot_json(snapshot, BUILD_INFO, info, indent=1)


def write_snapshot_json(snapshot: Path, name: str, data: dict[str, Any], indent: int | None = None) -> None:
    """Save a JSON document in a snapshot being built (before :func:`publish`), synced to disk. Without
    ``indent`` it is written on one line, by the fast encoder (a validation report can hold 100,000 results)."""
    with (snapshot / name).open("w", encoding="utf-8") as out:
        out.write(json.dumps(data, indent=indent, sort_keys=True, ensure_ascii=False))
        out.flush()
        os.fsync(out.fileno())


def publish(settings: Settings, partial: Path) -> Path:
    """Make a finished build the active store: rename it, then swap the ``active`` link atomically."""
    final = partial.with_name(partial.name.removesuffix(PARTIAL_SUFFIX))
    os.rename(partial, final)
    _fsync_dir(final.parent)
    link = settings.store / ACTIVE
    temporary = settings.store / f"{ACTIVE}.{os.getpid()}"
    if temporary.is_symlink():
        temporary.unlink()
    os.symlink(Path(SNAPSHOTS) / final.name, temporary)
    os.replace(temporary, link)
    _fsync_dir(settings.store)
    return final
