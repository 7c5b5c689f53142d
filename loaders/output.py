"""Writing generated catalogue folders all at once: staged aside, then swapped in.

Given the ``command`` that generates them, the folders are guarded: each gets a ``GENERATED.sha256`` manifest, and
a folder whose files were changed by hand since is never replaced (see :mod:`hdh_loaders.generated`).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from types import TracebackType

from hdh_loaders.generated import MANIFEST, hand_changes, manifest_text, refuse_hand_changes


class CatalogueOutput:
    """Stage files for some folders of the catalogue; on success replace those folders, on error keep them.

    Only the named folders are replaced: curated files elsewhere in the catalogue are never touched. With a
    ``command``, a folder edited by hand since that command wrote it is not replaced either: the import fails with
    :class:`~hdh_loaders.generated.EditedGeneratedFiles` and writes nothing.
    """

    def __init__(self, catalogue: Path, folders: tuple[str, ...], command: str | None = None) -> None:
        self.catalogue = catalogue
        self.folders = folders
        self.command = command
        self.written: list[str] = []
        self._stage: Path | None = None

    def __enter__(self) -> CatalogueOutput:
        self.catalogue.mkdir(parents=True, exist_ok=True)
        self._stage = Path(tempfile.mkdtemp(prefix=".import-", dir=self.catalogue))
        return self

    def _target(self, relative: str) -> Path:
        assert self._stage is not None
        if relative.split("/", 1)[0] not in self.folders:
            raise ValueError(f"{relative} is outside the generated folders {self.folders}")
        path = self._stage / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        self.written.append(relative)
        return path

    def write_text(self, relative: str, text: str) -> None:
        self._target(relative).write_text(text, encoding="utf-8", newline="\n")

    def copy_file(self, source: Path, relative: str) -> None:
        shutil.copyfile(source, self._target(relative))

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        assert self._stage is not None
        try:
            if exc_type is None:
                if self.command is not None:
                    self._guard(self.command)
                self._swap()
        finally:
            shutil.rmtree(self._stage, ignore_errors=True)

    def _guard(self, command: str) -> None:
        assert self._stage is not None
        problems = []
        for folder in self.folders:
            problems += hand_changes(self.catalogue / folder, self._stage / folder, command)
        refuse_hand_changes(problems, command)
        for folder in self.folders:
            staged = self._stage / folder
            if staged.is_dir():
                files = {p.relative_to(staged).as_posix(): p.read_bytes() for p in staged.rglob("*") if p.is_file()}
                (staged / MANIFEST).write_text(manifest_text(files), encoding="utf-8", newline="\n")
                self.written.append(f"{folder}/{MANIFEST}")

    def _swap(self) -> None:
        assert self._stage is not None
        old = self._stage / ".previous"
        old.mkdir()
        moved: list[str] = []
        try:
            for folder in self.folders:
                current = self.catalogue / folder
                if current.exists():
                    os.replace(current, old / folder)
                    moved.append(folder)
                if (self._stage / folder).exists():
                    os.replace(self._stage / folder, current)
        except OSError:
            for folder in moved:  # put the previous folders back
                if (self.catalogue / folder).exists():
                    shutil.rmtree(self.catalogue / folder)
                os.replace(old / folder, self.catalogue / folder)
            raise
        self.written.sort()
