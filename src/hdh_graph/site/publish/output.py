"""Writing the site: a full build is written aside and swapped in; an incremental one replaces files one by one.

A full build renders into ``.<name>.building`` next to the output folder, then renames the old site away and
the new one into place, so an interrupted build leaves the previous site whole. An incremental build writes
each changed file to a temporary name and renames it over the old one, so every file is always whole.
The state (``.hdh-site.sqlite``, :mod:`state`) records what each page was made from, for the next
incremental build.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from hdh_graph.site.state import STATE


class Output:
    def __init__(self, final: Path, incremental: bool) -> None:
        self.final = final
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

    def copy_tree(self, source: Path, rel: str) -> None:
        for file in sorted(p for p in source.rglob("*") if p.is_file()):
            self.write(f"{rel}/{file.relative_to(source).as_posix()}", file.read_bytes())

    def commit(self) -> None:
        """Full builds: swap the new site into place (the state was written last)."""
        if self.incremental:
            return
        old = self._old()
        if old.exists():
            shutil.rmtree(old)
        if self.final.exists():
            self.final.rename(old)
        self.root.rename(self.final)

    def _old(self) -> Path:
        return self.final.parent / f".{self.final.name}.old"

    def cleanup(self) -> None:
        """Remove the previous site, once the new one is in place (slow on big sites: timed on its own)."""
        if self._old().exists():
            shutil.rmtree(self._old())

    def abort(self) -> None:
        if not self.incremental and self.root.exists():
            shutil.rmtree(self.root)
