"""Lighthouse 12 in Debian's chromium: the command (installed with npm the first time), one run, its scores and
the audits that lost points. Used by ``tests/site/test_lighthouse.py`` and ``bench/bench_lighthouse.py``."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"


class LighthouseUnavailable(RuntimeError):
    """Lighthouse is not on the PATH and npm, needed to install it, is missing."""


def chromium() -> Path:
    return Path(os.environ.get("CHROME_PATH", CHROMIUM))


def lighthouse_command() -> Path:
    """Lighthouse on the PATH, else the one in the cache folder, installed with npm the first time."""
    found = shutil.which("lighthouse")
    if found:
        return Path(found)
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "hdh-graph" / "lighthouse-12"
    command = cache / "node_modules" / ".bin" / "lighthouse"
    if not command.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise LighthouseUnavailable(
                "lighthouse is not on the PATH and npm is missing to install it (apt-get install npm)"
            )
        cache.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), "lighthouse@12"],
            check=True, stdout=subprocess.DEVNULL,
        )  # fmt: skip
    return command


def lighthouse_version(command: Path) -> str:
    return subprocess.run([str(command), "--version"], capture_output=True, text=True, check=True).stdout.strip()


def run_lighthouse(command: Path, url: str, preset: str = "mobile") -> dict[str, Any]:
    """One Lighthouse run on ``url``: its JSON report (lhr)."""
    with tempfile.TemporaryDirectory(prefix="lighthouse-") as scratch:
        report = Path(scratch) / "report.json"
        args = [str(command), url, "--quiet", "--output=json", f"--output-path={report}",
                f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]  # fmt: skip
        if preset == "desktop":
            args.append("--preset=desktop")
        env = {**os.environ, "CHROME_PATH": str(chromium()), "TMPDIR": scratch}
        subprocess.run(args, check=True, env=env, timeout=180, stdout=subprocess.DEVNULL)
        result: dict[str, Any] = json.loads(report.read_text(encoding="utf-8"))
        return result


def scores(lhr: dict[str, Any]) -> dict[str, float]:
    return {c: float(lhr["categories"][c]["score"] or 0.0) for c in CATEGORIES}


def lost_points(lhr: dict[str, Any]) -> list[str]:
    """The weighted audits below a full score, as ``category audit score (value)``."""
    lost = []
    for category in CATEGORIES:
        for ref in lhr["categories"][category]["auditRefs"]:
            audit = lhr["audits"][ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                value = f" ({audit['displayValue']})" if audit.get("displayValue") else ""
                lost.append(f"{category} {ref['id']} {audit['score']}{value}")
    return lost
