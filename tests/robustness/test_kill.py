"""Nothing is lost when a process dies: ``hdh build``, ``hdh site``, ``hdh harvest`` and ``hdh import snds`` run as
real processes and are killed with SIGKILL at many points (random delays spread over a whole run, black box),
each time from a previous state in one version towards the other. After each kill the previous state, or the
new one, is whole and usable; never a mix, never nothing; and the next run succeeds.

Select with ``-m kill``; ``KILL_POINTS`` (default 11) sets the kill points per command, ``KILL_SEED`` the seed.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from robustness_support import (
    BASE,
    SNDS_MINI,
    extra_dataset,
    hdh,
    hidden,
    mini_catalogue,
    run_and_kill,
    snapshot,
    timed,
    title_in_store,
)

pytestmark = pytest.mark.kill

POINTS = int(os.environ.get("KILL_POINTS", "11"))
SEED = int(os.environ.get("KILL_SEED", "20261203"))


def _delays(duration: float, name: str) -> list[float]:
    """One delay in each of POINTS equal slices of the run (plus 10%), at a random place in the slice."""
    rng = random.Random(f"{SEED}-{name}")
    span = duration * 1.1
    return [span * (i + rng.random()) / POINTS for i in range(POINTS)]


class Tally:
    def __init__(self, name: str) -> None:
        self.name, self.points, self.killed, self.checks = name, 0, 0, 0
        self.states: dict[str, int] = {"previous": 0, "new": 0}

    def check(self, condition: bool, what: str) -> None:
        self.checks += 1
        assert condition, f"{self.name}: {what}"

    def report(self) -> None:
        print(
            f"\nkill[{self.name}]: {self.points} kill points ({self.killed} killed mid-run), "
            f"states after the kill: {self.states['previous']} previous, {self.states['new']} new; "
            f"{self.checks} checks; 0 losses"
        )


# ---------------------------------------------------------------------------------------------------- hdh build


def test_build_killed_at_any_point_keeps_a_whole_store(tmp_path: Path) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")
    extra = cat / "products" / "extra.ttl"
    args = ["build", "--catalogue", "cat", "--store", "store", "--allow-violations"]
    assert hdh(*args, cwd=tmp_path).returncode == 0
    quads = {"A": title_in_store(tmp_path / "store")[1]}
    extra.write_text(extra_dataset("B"), encoding="utf-8")
    duration = timed(args, tmp_path)
    quads["B"] = title_in_store(tmp_path / "store")[1]
    assert quads["A"] != quads["B"]
    tally = Tally("build")
    for delay in _delays(duration, "build"):
        before = title_in_store(tmp_path / "store")[0].removeprefix("Version ")
        after = "A" if before == "B" else "B"
        extra.write_text(extra_dataset(after), encoding="utf-8")
        tally.points += 1
        tally.killed += run_and_kill(args, tmp_path, delay)
        title, count = title_in_store(tmp_path / "store")  # opens, answers
        version = title.removeprefix("Version ")
        tally.check(version in (before, after), f"the store answers {title!r}")
        tally.check(count == quads[version], f"the store of version {version} has {count} quads")
        info = json.loads(((tmp_path / "store" / "active").resolve() / "build.json").read_text(encoding="utf-8"))
        tally.check(info["base_iri"] == BASE, "build.json is whole")
        tally.states["previous" if version == before else "new"] += 1
        result = hdh(*args, cwd=tmp_path)
        tally.check(result.returncode == 0, f"the next build fails: {result.stderr[-500:]}")
        tally.check(title_in_store(tmp_path / "store") == (f"Version {after}", quads[after]), "next build's store")
    tally.report()


# ----------------------------------------------------------------------------------------------------- hdh site


def _site_snapshot(folder: Path) -> dict[str, str]:
    """Every file but the state (SQLite), whose bytes differ from one run to the next: it is checked by opening
    it."""
    return snapshot(folder, skip=lambda rel: rel.startswith(".hdh-site.sqlite"))


def _search_index_opens(folder: Path) -> bool:
    meta = json.loads((folder / "search-index" / "fr" / "meta.json").read_text(encoding="utf-8"))
    return bool(meta.get("records")) and (folder / "search-index" / "en" / "meta.json").is_file()


def _state_pages(folder: Path) -> int:
    with sqlite3.connect(f"file:{folder / '.hdh-site.sqlite'}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT count(*) FROM pages").fetchone()[0])


def test_site_killed_at_any_point_keeps_the_previous_pages(tmp_path: Path) -> None:
    for version in ("A", "B"):
        mini_catalogue(tmp_path / f"cat{version}", version)
        build = ["build", "--catalogue", f"cat{version}", "--store", f"store{version}", "--allow-violations"]
        assert hdh(*build, cwd=tmp_path).returncode == 0
    refs = {}
    duration = 0.0
    for version in ("A", "B"):
        site = ["site", "--catalogue", f"cat{version}", "--store", f"store{version}", "--out", f"ref{version}"]
        duration = max(duration, timed(site, tmp_path))
        refs[version] = _site_snapshot(tmp_path / f"ref{version}")
    assert refs["A"] != refs["B"]
    shutil.copytree(tmp_path / "refA", tmp_path / "site", symlinks=True)
    current = "A"
    tally = Tally("site")
    for n, delay in enumerate(_delays(duration, "site")):
        after = "B" if current == "A" else "A"
        mode = "--incremental" if n % 3 == 2 else "--full"
        args = ["site", "--catalogue", f"cat{after}", "--store", f"store{after}", "--out", "site", mode]
        tally.points += 1
        tally.killed += run_and_kill(args, tmp_path, delay)
        now = _site_snapshot(tmp_path / "site")
        if mode == "--full":
            tally.check(now in (refs[current], refs[after]), f"point {n}: the site is neither the previous nor the new")
            tally.states["previous" if now == refs[current] else "new"] += 1
        else:  # an interrupted incremental update: each file whole, old or new; the shared pages all there
            for rel, digest in now.items():
                tally.check(digest in (refs[current].get(rel), refs[after].get(rel)), f"point {n}: {rel} is torn")
            shared = set(refs[current]) & set(refs[after])
            tally.check(shared <= set(now), f"point {n}: pages went missing: {sorted(shared - set(now))[:5]}")
            tally.states["previous" if now == refs[current] else "new"] += 1
        tally.check(_state_pages(tmp_path / "site") > 0, f"point {n}: the site state does not open")
        tally.check(_search_index_opens(tmp_path / "site"), f"point {n}: the search index does not open")
        result = hdh(*args, cwd=tmp_path)
        tally.check(result.returncode == 0, f"point {n}: the next run fails: {result.stderr[-800:]}")
        tally.check(_site_snapshot(tmp_path / "site") == refs[after], f"point {n}: the next run's site differs")
        current = after
    tally.report()


# -------------------------------------------------------------------------------------------------- hdh harvest


def _feed(version: str, count: int = 150) -> bytes:
    lines = ["@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> ."]
    for i in range(count + (version == "B") * 20):
        title = f"Dataset {i} ({version})" if i % 2 or version == "A" else f"Dataset {i}"
        lines.append(
            f'<http://partner.test/ds/{i}> a dcat:Dataset ; dct:title "{title}" ; dct:description "D{i}" ; '
            f"dcat:distribution <http://partner.test/ds/{i}/d> .\n"
            f"<http://partner.test/ds/{i}/d> dcat:accessURL <http://partner.test/files/{i}> ."
        )
    return "\n".join(lines).encode()


def _records(folder: Path) -> dict[str, str]:
    return snapshot(folder, skip=lambda rel: rel == "_harvest.ttl" or hidden(rel))


def test_harvest_killed_at_any_point_keeps_the_previous_harvest(tmp_path: Path) -> None:
    from hostile_server import HostileServer, fixed

    with HostileServer() as server:
        refs = {}
        duration = 0.0
        for version in ("A", "B"):
            server.answers["/feed.ttl"] = fixed(_feed(version))
            args = ["harvest", server.base + "/feed.ttl", "--name", "partner", "--catalogue", f"ref{version}"]
            duration = max(duration, timed(args, tmp_path))
            refs[version] = _records(tmp_path / f"ref{version}" / "harvested" / "partner")
        assert refs["A"] != refs["B"]
        shutil.copytree(tmp_path / "refA", tmp_path / "cat")
        folder = tmp_path / "cat" / "harvested" / "partner"
        args = ["harvest", server.base + "/feed.ttl", "--name", "partner", "--catalogue", "cat"]
        current = "A"
        tally = Tally("harvest")
        for n, delay in enumerate(_delays(duration, "harvest")):
            after = "B" if current == "A" else "A"
            server.answers["/feed.ttl"] = fixed(_feed(after))
            tally.points += 1
            tally.killed += run_and_kill(args, tmp_path, delay)
            now = _records(folder)
            tally.check(now in (refs[current], refs[after]), f"point {n}: the harvest is neither previous nor new")
            manifest = ox.Store()
            manifest.load(path=str(folder / "_harvest.ttl"), format=ox.RdfFormat.TURTLE)
            topic = ox.NamedNode("http://xmlns.com/foaf/0.1/primaryTopic")
            topics = list(manifest.quads_for_pattern(None, topic, None))
            tally.check(len(topics) == len(now), f"point {n}: _harvest.ttl does not match the records")
            visible = [p.name for p in folder.parent.iterdir() if not p.name.startswith(".")]
            tally.check(visible == ["partner"], f"point {n}: harvested/ holds {visible}")
            tally.states["previous" if now == refs[current] else "new"] += 1
            result = hdh(*args, cwd=tmp_path)
            tally.check(result.returncode == 0, f"point {n}: the next run fails: {result.stderr[-800:]}")
            tally.check(_records(folder) == refs[after], f"point {n}: the next harvest differs")
            current = after
        tally.report()


# ---------------------------------------------------------------------------------------------- hdh import snds


def _snds_source(folder: Path, version: str) -> Path:
    shutil.copytree(SNDS_MINI, folder)
    if version == "B":
        schema = next(iter(sorted((folder / "schemas").rglob("*.json"))))
        data = json.loads(schema.read_text(encoding="utf-8"))
        data["fields"][0]["description"] += " (revised)"
        schema.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return folder


def test_import_killed_at_any_point_keeps_whole_generated_folders(tmp_path: Path) -> None:
    refs: dict[str, dict[str, dict[str, str]]] = {}
    duration = 0.0
    for version in ("A", "B"):
        _snds_source(tmp_path / f"src{version}", version)
        shutil.rmtree(mini_catalogue(tmp_path / f"ref{version}", "A") / "codelists")  # curated: not the import's
        duration = max(duration, timed(["import", "snds", f"src{version}", "--catalogue", f"ref{version}"], tmp_path))
        refs[version] = {f: snapshot(tmp_path / f"ref{version}" / f) for f in ("snds", "codelists")}
    assert refs["A"]["snds"] != refs["B"]["snds"]
    shutil.copytree(tmp_path / "refA", tmp_path / "cat")
    curated = snapshot(tmp_path / "cat", skip=lambda rel: rel.startswith(("snds/", "codelists/")) or hidden(rel))
    current = "A"
    tally = Tally("import snds")
    for n, delay in enumerate(_delays(duration, "import")):
        after = "B" if current == "A" else "A"
        args = ["import", "snds", f"src{after}", "--catalogue", "cat"]
        tally.points += 1
        tally.killed += run_and_kill(args, tmp_path, delay)
        states = set()
        for folder in ("snds", "codelists"):
            now = snapshot(tmp_path / "cat" / folder)
            tally.check(now in (refs[current][folder], refs[after][folder]), f"point {n}: {folder}/ is torn or gone")
            states.add("previous" if now == refs[current][folder] else "new")
            for path in (tmp_path / "cat" / folder).rglob("*.ttl"):
                ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)  # every file parses
        keep = snapshot(tmp_path / "cat", skip=lambda rel: rel.startswith(("snds/", "codelists/")) or hidden(rel))
        tally.check(keep == curated, f"point {n}: curated files changed")
        tally.states["previous" if states == {"previous"} else "new"] += 1
        result = hdh(*args, cwd=tmp_path)
        tally.check(result.returncode == 0, f"point {n}: the next run fails: {result.stderr[-800:]}")
        for folder in ("snds", "codelists"):
            tally.check(snapshot(tmp_path / "cat" / folder) == refs[after][folder], f"point {n}: next run's {folder}")
        tally.check(not list((tmp_path / "cat").glob(".import-*")), f"point {n}: the next run left its staging")
        current = after
    tally.report()
