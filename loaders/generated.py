"""Generated folders remember what they were written with, so that an import never silently replaces an edit.

An import that is given a ``command`` writes, in each folder it generates, a ``GENERATED.sha256`` manifest in the
format of ``sha256sum`` (``<digest>  <file>``, one line per file, sorted): what the import wrote. Before the next
import replaces the folder, every file is checked against it:

- a file whose content no longer has the recorded digest was edited by hand: the import refuses and names the file
  and the first line where it differs from what the import would write now;
- a file the manifest does not list was added by hand: the import refuses (replacing the folder would delete it);
- a listed file that was deleted is simply written again (nothing of a curator's is lost);
- a folder that exists without a manifest was not written by this import: the import refuses.

``cd catalogue/omop && sha256sum -c GENERATED.sha256`` checks the same by hand.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from hdh_graph.errors import SourceErrors, SourceProblem

MANIFEST = "GENERATED.sha256"


class EditedGeneratedFiles(SourceErrors):
    """Files of a generated folder were changed by hand since the last import: importing would lose them."""


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(files: dict[str, bytes]) -> str:
    """The manifest of a folder's files (relative POSIX names → content)."""
    return "".join(f"{digest(files[name])}  {name}\n" for name in sorted(files))


def read_manifest(path: Path) -> dict[str, str]:
    """File name → recorded digest; lines that are not ``<64 hex>  <name>`` are ignored."""
    recorded: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        value, sep, name = line.partition("  ")
        if sep and len(value) == 64 and name:
            recorded[name] = value
    return recorded


def _files_of(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in sorted(folder.rglob("*")) if p.is_file()}


def _first_difference(old: bytes, new: bytes | None) -> int | None:
    """The first line where the file on disk differs from what the import writes now (1-based)."""
    if new is None:
        return None
    old_lines, new_lines = old.splitlines(), new.splitlines()
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return number
    if len(old_lines) != len(new_lines):
        return min(len(old_lines), len(new_lines)) + 1
    return None


def hand_changes(folder: Path, staged: Path, command: str) -> list[SourceProblem]:
    """What was changed by hand in ``folder`` since ``command`` wrote it (``staged`` holds the new version)."""
    if not folder.is_dir():
        return []
    present = _files_of(folder)
    manifest = folder / MANIFEST
    if not manifest.is_file():
        if not present:
            return []
        return [SourceProblem(folder, f"this folder has no {MANIFEST}: `{command}` did not write it")]
    recorded = read_manifest(manifest)
    problems: list[SourceProblem] = []
    for name, path in present.items():
        if name == MANIFEST:
            continue
        data = path.read_bytes()
        if name not in recorded:
            problems.append(SourceProblem(path, f"added by hand: `{command}` did not write this file"))
        elif digest(data) != recorded[name]:
            new = staged / name
            line = _first_difference(data, new.read_bytes() if new.is_file() else None)
            problems.append(
                SourceProblem(
                    path, f"edited by hand since `{command}` wrote it (its SHA-256 differs from {MANIFEST})", line
                )
            )
    return problems


def refuse_hand_changes(problems: list[SourceProblem], command: str) -> None:
    if problems:
        raise EditedGeneratedFiles(
            problems,
            hint=(
                f"`{command}` replaces this folder, so it would lose these changes. Move them to a curated file "
                "(e.g. catalogue/mappings/) or to the importer's source and description, then restore the "
                "generated files (`git checkout` them, or delete them) and import again"
            ),
        )
