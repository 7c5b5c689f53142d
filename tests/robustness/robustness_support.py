"""Helpers of the robustness tests: run ``hdh`` as a real process (and kill it), small catalogues in two versions,
and snapshots of folders to compare before and after."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini-catalogue"
SNDS_MINI = ROOT / "tests" / "loaders" / "fixtures" / "schema-snds-mini"
BASE = "https://example.org/mini/"
HDH = Path(sys.executable).with_name("hdh")


def env() -> dict[str, str]:
    """The environment of the commands: this one without any HDH_* setting, with the test base IRI."""
    out = {k: v for k, v in os.environ.items() if not k.startswith("HDH_")}
    out["HDH_BASE_IRI"] = BASE
    return out


def hdh(*args: str, cwd: Path, preexec: Callable[[], None] | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``hdh ARGS`` to the end."""
    return subprocess.run(
        [str(HDH), *args], cwd=cwd, env=env(), capture_output=True, text=True, timeout=300, preexec_fn=preexec
    )


def run_and_kill(args: Sequence[str], cwd: Path, delay: float) -> bool:
    """Start ``hdh ARGS``, SIGKILL it (and any process it started) after ``delay`` seconds; True when it was still
    running then, False when it had already finished."""
    process = subprocess.Popen(
        [str(HDH), *args],
        cwd=cwd,
        env=env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: the kill reaches its workers too
    )
    try:
        process.wait(timeout=delay)
        return False
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return True
    finally:
        _reap_group(process.pid)


def _reap_group(pgid: int) -> None:
    """Kill what is left of the killed command's process group (a search indexer it had started)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)
    time.sleep(0.02)


def timed(args: Sequence[str], cwd: Path) -> float:
    start = time.monotonic()
    result = hdh(*args, cwd=cwd)
    assert result.returncode == 0, result.stderr
    return time.monotonic() - start


def snapshot(folder: Path, skip: Callable[[str], bool] = lambda rel: False) -> dict[str, str]:
    """Relative path → SHA-256 of every file under ``folder`` (links are not followed)."""
    out = {}
    if not folder.exists():
        return out
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_file() and not path.is_symlink() and not skip(rel):
            out[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def hidden(rel: str) -> bool:
    return any(part.startswith(".") for part in rel.split("/"))


def extra_dataset(version: str) -> str:
    """A catalogue file whose content differs between versions 'A' and 'B' (B has one more dataset and 400
    triples more, so that a build has something to write)."""
    lines = [
        "@prefix dcat: <http://www.w3.org/ns/dcat#> .",
        "@prefix dct: <http://purl.org/dc/terms/> .",
        f'<dataset/extra> a dcat:Dataset ; dct:title "Version {version}"@en ; dct:description "Extra"@en ;',
        "    dct:publisher <agent/hdh> .",
    ]
    if version == "B":
        lines.append('<dataset/extra2> a dcat:Dataset ; dct:title "Second"@en ; dct:description "Only in B"@en .')
        lines += [f'<dataset/extra> dct:subject "keyword {i}"@en .' for i in range(400)]
    return "\n".join(lines) + "\n"


def mini_catalogue(folder: Path, version: str) -> Path:
    shutil.copytree(MINI, folder)
    (folder / "products" / "extra.ttl").write_text(extra_dataset(version), encoding="utf-8")
    return folder


def title_in_store(store: Path) -> tuple[str, int]:
    """The extra dataset's title and the number of quads of the store's active snapshot, opened read-only."""
    database = (store / "active").resolve() / "oxigraph"
    opened = ox.Store.read_only(str(database))
    try:
        rows = list(
            opened.query(  # type: ignore[union-attr]
                f"SELECT ?t WHERE {{ GRAPH ?g {{ <{BASE}dataset/extra> <http://purl.org/dc/terms/title> ?t }} }}"
            )
        )
        return rows[0]["t"].value, len(opened)
    finally:
        del opened
