"""Writing the site: a full build is written aside and swapped in; an incremental one replaces files one by one.

A full build renders into ``.<name>.building`` next to the output folder, then renames the old site away and
the new one into place, so an interrupted build leaves the previous site whole. An incremental build writes
each changed file to a temporary name and renames it over the old one, so every file is always whole.
The manifest (``.hdh-site.json``) records what each page was made from, for the next incremental build.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

MANIFEST = ".hdh-site.json"
MANIFEST_VERSION = 1


class Output:
    def __init__(self, final: Path, incremental: bool) -> None:
        self.final = final
        self.incremental = incremental and (final / MANIFEST).is_file()
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

    def previous_manifest(self) -> dict[str, Any]:
        path = self.final / MANIFEST
        if not path.is_file():
            return {}
        try:
            data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if data.get("version") == MANIFEST_VERSION else {}

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

    def commit(self, manifest: dict[str, Any]) -> None:
        """Write the manifest last, then (full builds) swap the new site into place."""
        manifest = {"version": MANIFEST_VERSION, **manifest}
        self.write(MANIFEST, json.dumps(manifest, sort_keys=True, indent=0).encode())
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
