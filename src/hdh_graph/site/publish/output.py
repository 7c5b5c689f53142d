"""Writing the site: a full build is written aside and swapped in; an incremental one replaces files one by one.

A full build renders into ``.<name>.building`` next to the output folder, then renames the old site away and
the new one into place, so an interrupted build leaves the previous site whole. An incremental build writes
each changed file to a temporary name and renames it over the old one, so every file is always whole.
The state (``.hdh-site.sqlite``, :mod:`state`) records what each page was made from, for the next
incremental build.

The swap is one atomic exchange (:func:`hdh_graph.folders.replace_folder`), so a build killed at any instant
leaves the previous site or the new one in place. A folder that is not empty and holds no site state is not a
site and is refused, never emptied. One build at a time writes a site: ``.<name>.lock`` next to it is held from
the moment the output is opened until it is committed or abandoned.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

from hdh_graph.errors import HdhError
from hdh_graph.folders import discard_tree, empty_trash, folder_lock, replace_folder, restore_folder
from hdh_graph.site.state import STATE


def _check_ours(final: Path) -> None:
    if final.is_symlink() or (final.exists() and not final.is_dir()):
        raise HdhError(
            f"{final} is not a site folder (a link or a file); nothing was written",
            hint="give --out (env HDH_SITE) the path of a folder, new or made by `hdh site`",
        )
    if final.is_dir() and not (final / STATE).is_file() and any(final.iterdir()):
        raise HdhError(
            f"{final} is not empty and holds no site state ({STATE}): it was not made by `hdh site`, so it is "
            "neither emptied nor written to",
            hint="give --out (env HDH_SITE) a new or empty folder, or one made by `hdh site`",
        )


class Output:
    def __init__(self, final: Path, incremental: bool) -> None:
        self.final = final
        self._lock = contextlib.ExitStack()
        self._lock.enter_context(
            folder_lock(
                final.parent / f".{final.name}.lock",
                f"the site {final}",
                hint="wait for the other `hdh site` to finish, or render into another folder with --out",
            )
        )
        try:
            restore_folder(final, self._old())
            _check_ours(final)
            empty_trash(final.parent, f".{final.name}.old")
        except BaseException:
            self._lock.close()
            raise
        self.incremental = incremental and (final / STATE).is_file()
        self.bytes = 0
        self.files = 0
        if self.incremental:
            self.root = final
        else:
            self.root = final.parent / f".{final.name}.building"
            if self.root.exists():
                shutil.rmtree(self.root)
            self.root.mkdir(parents=True)
        self._dirs: set[Path] = set()

    def write(self, rel: str, data: bytes) -> None:
        path = self.root / rel
        parent = path.parent
        if parent not in self._dirs:
            parent.mkdir(parents=True, exist_ok=True)
            self._dirs.add(parent)
        if self.incremental:
            tmp = parent / f".{path.name}.tmp"
            tmp.write_bytes(data)
            os.replace(tmp, path)
        else:
            path.write_bytes(data)
        self.bytes += len(data)
        self.files += 1

    def remove(self, rel: str) -> None:
        path = self.root / rel
        if path.is_file():
            path.unlink()
            for parent in path.parents:
                if parent == self.root or any(parent.iterdir()):
                    break
                parent.rmdir()

    def commit(self) -> None:
        """Full builds: swap the new site into place (the state was written last)."""
        if self.incremental:
            return
        replace_folder(self.root, self.final, self._old())

    def _old(self) -> Path:
        return self.final.parent / f".{self.final.name}.old"

    def cleanup(self) -> None:
        """Remove the previous site, once the new one is in place: in the background (on big sites it takes
        minutes; the next build removes what is left)."""
        discard_tree(self._old())
        self._lock.close()

    def abort(self) -> None:
        if not self.incremental and self.root.exists():
            shutil.rmtree(self.root)
        self._lock.close()

    def __del__(self) -> None:  # an incremental build ends without commit(): the lock goes with the object
        self._lock.close()
