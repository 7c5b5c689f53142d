"""Two commands writing the same store, site, harvest or catalogue at once: the second is refused with a clear
message (the lock held by another real process). A full disk during a build: a clear error, the previous store
whole (RLIMIT_FSIZE in the child stands for a full disk: no privilege needed)."""

from __future__ import annotations

import resource
import secrets
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from hostile_server import HostileServer, fixed
from robustness_support import SNDS_MINI, hdh, mini_catalogue, snapshot, title_in_store

SAMPLES = Path(__file__).resolve().parents[1] / "interop" / "fixtures" / "dcat-samples"
GOOD = (SAMPLES / "dataset_health.ttl").read_bytes()


@contextmanager
def held(path: Path) -> Iterator[None]:
    """Another process holds ``path`` (a lock file, or a folder) locked, as a running command would."""
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time\n"
            "p = sys.argv[1]\n"
            "fd = os.open(p, os.O_RDONLY) if os.path.isdir(p) else os.open(p, os.O_WRONLY | os.O_CREAT, 0o644)\n"
            "fcntl.flock(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(60)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        yield
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("locks")
    mini_catalogue(root / "cat", "A")
    assert hdh("build", "--catalogue", "cat", "--store", "store", "--allow-violations", cwd=root).returncode == 0
    site = hdh("site", "--catalogue", "cat", "--store", "store", "--out", "site", "--no-search", cwd=root)
    assert site.returncode == 0
    return root


def test_a_second_build_of_the_same_store_is_refused(built: Path) -> None:
    before = title_in_store(built / "store")
    with held(built / "store" / ".lock"):
        result = hdh("build", "--catalogue", "cat", "--store", "store", "--allow-violations", "--full", cwd=built)
    assert result.returncode == 1
    assert "another build of store is running" in result.stderr and "Hint: wait for it" in result.stderr
    assert title_in_store(built / "store") == before


def test_a_second_site_into_the_same_folder_is_refused(built: Path) -> None:
    before = snapshot(built / "site")
    with held(built / ".site.lock"):
        result = hdh("site", "--catalogue", "cat", "--store", "store", "--out", "site", "--no-search", cwd=built)
    assert result.returncode == 1
    assert "the site site is being written by another process" in result.stderr
    assert "wait for the other `hdh site` to finish" in result.stderr
    assert snapshot(built / "site") == before
    assert not (built / ".site.building").exists()


def test_a_second_harvest_into_the_same_catalogue_is_refused(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.answers["/feed.ttl"] = fixed(GOOD)
        args = ["harvest", server.base + "/feed.ttl", "--name", "partner", "--catalogue", "cat"]
        assert hdh(*args, cwd=tmp_path).returncode == 0
        before = snapshot(tmp_path / "cat")
        with held(tmp_path / "cat" / "harvested"):
            result = hdh(*args, cwd=tmp_path)
    assert result.returncode == 1 and "is being written by another process" in result.stderr
    assert snapshot(tmp_path / "cat") == before


def test_a_second_import_into_the_same_catalogue_is_refused(tmp_path: Path) -> None:
    (tmp_path / "cat").mkdir()
    with held(tmp_path / "cat"):
        result = hdh("import", "snds", str(SNDS_MINI), "--catalogue", "cat", cwd=tmp_path)
    assert result.returncode == 1 and "(an import) is being written by another process" in result.stderr
    assert list((tmp_path / "cat").iterdir()) == []


def _file_size_limit(limit: int) -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the write then fails with EFBIG instead of killing
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


def test_a_full_disk_during_a_build_is_a_clear_error_and_keeps_the_store(tmp_path: Path) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")
    args = ["build", "--catalogue", "cat", "--store", "store", "--allow-violations"]
    assert hdh(*args, cwd=tmp_path).returncode == 0
    before = title_in_store(tmp_path / "store")
    snapshots = sorted(p.name for p in (tmp_path / "store" / "snapshots").iterdir())
    # 3 MB of text that does not compress, to make the database larger than the 1 MB limit
    title = "<http://purl.org/dc/terms/title>"
    rows = "".join(f'<dataset/big{i}> {title} "{secrets.token_hex(500)}" .\n' for i in range(3000))
    (cat / "big.ttl").write_text(rows, encoding="utf-8")
    assert hdh("validate", "--catalogue", "cat", "--store", "store", cwd=tmp_path).returncode in (0, 1)  # its cache
    result = hdh(*args, cwd=tmp_path, preexec=lambda: _file_size_limit(1_000_000))
    assert result.returncode == 1, result.stderr
    assert "Error: the disk is full, or a file size limit was reached, while writing" in result.stderr
    assert "Traceback" not in result.stderr and "Hint: free some space" in result.stderr
    assert title_in_store(tmp_path / "store") == before
    assert sorted(p.name for p in (tmp_path / "store" / "snapshots").iterdir()) == snapshots
    ok = hdh(*args, cwd=tmp_path)  # with room again, the next build succeeds
    assert ok.returncode == 0, ok.stderr
    assert title_in_store(tmp_path / "store")[1] > before[1]


def test_a_full_disk_during_a_site_build_is_a_clear_error_and_keeps_the_site(built: Path) -> None:
    args = ["site", "--catalogue", "cat", "--store", "store", "--out", "site", "--no-search"]
    before = snapshot(built / "site")
    result = hdh(*args, cwd=built, preexec=lambda: _file_size_limit(20_000))
    assert result.returncode == 1, result.stderr
    assert "Error: the disk is full, or a file size limit was reached" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(built / "site") == before
    assert hdh(*args, cwd=built).returncode == 0
