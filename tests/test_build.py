"""Building the store: a named graph per file, relative IRIs resolved, atomic swaps, every problem reported."""

from __future__ import annotations

import gc
import os
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from hdh_graph.build import build_store
from hdh_graph.errors import SourceErrors, StoreError
from hdh_graph.settings import Settings
from hdh_graph.store import (
    ACTIVE,
    SNAPSHOTS,
    build_info,
    build_lock,
    open_store,
    store_is_stale,
    store_version,
)
from hdh_graph.vocab import CSVW, DCAT, RDF

FIXTURES = Path(__file__).parent / "fixtures"
BASE = "https://data.example.org/hub/"


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    folder = tmp_path / "catalogue"
    shutil.copytree(FIXTURES / "mini-catalogue", folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, catalogue: Path) -> Settings:
    return Settings(catalogue=catalogue, store=tmp_path / "store", base_iri=BASE)


def sorted_dump(settings: Settings) -> list[str]:
    """The store's quads as sorted N-Quads lines, blank node labels blanked (they are random)."""
    store = open_store(settings)
    lines = store.dump(format=ox.RdfFormat.N_QUADS).decode("utf-8").splitlines()
    import re

    return sorted(re.sub(r"_:[0-9a-f]+", "_:b", line) for line in lines)


def test_report_counts(settings: Settings) -> None:
    messages: list[str] = []
    report = build_store(settings, progress=messages.append)
    assert (report.turtle_files, report.code_lists, report.files) == (4, 2, 6)
    assert (report.graphs, report.codes, report.concepts) == (6, 7, 7)
    assert report.triples == len(open_store(settings)) > 100
    assert report.seconds > 0
    assert any("Store ready" in m for m in messages)


def test_one_named_graph_per_file_and_nothing_in_the_default_graph(settings: Settings) -> None:
    build_store(settings)
    store = open_store(settings)
    graphs = {g.value for g in store.named_graphs()}
    expected = ["agents.ttl", "catalog.ttl", "codelists/DEMO.ttl", "products/demo.ttl"]
    expected += ["codelists/DEMO/GEO.csv", "codelists/DEMO/SEX.csv"]
    assert graphs == {BASE + "graph/" + rel for rel in expected}
    assert not list(store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    dataset = ox.Quad(
        ox.NamedNode(BASE + "dataset/demo"),
        ox.NamedNode(RDF.type),
        ox.NamedNode(DCAT.Dataset),
        ox.NamedNode(BASE + "graph/products/demo.ttl"),
    )
    assert dataset in store


def test_relative_iris_and_relative_prefixes_resolve_against_the_base(settings: Settings) -> None:
    build_store(settings)
    store = open_store(settings)
    column = ox.NamedNode(BASE + "table/PATIENT/PAT_ID")  # written tbl:PATIENT\/PAT_ID with tbl: <table/>
    assert list(store.quads_for_pattern(column, ox.NamedNode(RDF.type), ox.NamedNode(CSVW.Column), None))
    subjects = {q.subject.value for q in store if isinstance(q.subject, ox.NamedNode)}
    assert all(s.startswith(BASE) for s in subjects)


def test_hidden_and_non_rdf_files_are_not_read(settings: Settings) -> None:
    report = build_store(settings)  # .hidden.ttl and .drafts/ are broken on purpose; notes.txt is not RDF
    assert report.turtle_files == 4


def test_broken_build_keeps_the_previous_store_byte_for_byte(settings: Settings, catalogue: Path) -> None:
    first = build_store(settings)
    before_dump = sorted_dump(settings)
    before_version = store_version(settings)
    database = settings.store / ACTIVE / "oxigraph"
    before_files = {p.name: p.read_bytes() for p in database.iterdir() if p.is_file() and p.name != "LOCK"}

    for path in (FIXTURES / "broken").rglob("*.ttl"):
        target = catalogue / "broken" / path.relative_to(FIXTURES / "broken")
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    with pytest.raises(SourceErrors) as caught:
        build_store(settings)

    problems = {p.path.name: p for p in caught.value.problems}
    assert set(problems) == {"latin1.ttl", "missing-object.ttl", "unterminated-string.ttl", "lists.ttl"}
    assert (problems["unterminated-string.ttl"].line, problems["unterminated-string.ttl"].column) == (4, 29)
    assert (problems["missing-object.ttl"].line, problems["missing-object.ttl"].column) == (4, 20)
    assert (problems["latin1.ttl"].line, problems["latin1.ttl"].column) == (3, 28)
    assert "UTF-8" in problems["latin1.ttl"].message
    assert problems["lists.ttl"].line == 5
    assert "previous store is unchanged" in str(caught.value)

    assert store_version(settings) == before_version
    assert sorted_dump(settings) == before_dump
    assert len(open_store(settings)) == first.triples
    after_files = {p.name: p.read_bytes() for p in database.iterdir() if p.is_file() and p.name != "LOCK"}
    assert after_files == before_files
    assert [p.name for p in (settings.store / SNAPSHOTS).iterdir()] == [before_version]


def test_rebuild_swaps_snapshots_and_cleans_leftovers(settings: Settings) -> None:
    build_store(settings)
    first = store_version(settings)
    interrupted = settings.store / SNAPSHOTS / "20000101T000000Z-1.partial"
    (interrupted / "oxigraph").mkdir(parents=True)
    build_store(settings)
    second = store_version(settings)
    assert second != first
    assert not interrupted.exists()
    kept = sorted(p.name for p in (settings.store / SNAPSHOTS).iterdir())
    assert kept == sorted([first, second])  # the previous one stays until the next build
    build_store(settings)
    assert first not in {p.name for p in (settings.store / SNAPSHOTS).iterdir()}


def test_staleness(settings: Settings, catalogue: Path) -> None:
    assert store_is_stale(settings)
    build_store(settings)
    assert not store_is_stale(settings)
    info = build_info(settings)
    assert info is not None and info["base_iri"] == BASE and info["counts"]["codes"] == 7
    assert store_is_stale(settings.with_(base_iri="https://other.example.org/"))
    csv = catalogue / "codelists" / "DEMO" / "SEX.csv"
    later = csv.stat().st_mtime_ns + 2 * 10**9
    os.utime(csv, ns=(later, later))
    assert store_is_stale(settings)
    build_store(settings)
    assert not store_is_stale(settings)
    (catalogue / "new.ttl").write_text("<a> <b> <c> .\n", encoding="utf-8")
    assert store_is_stale(settings)


def test_open_store_without_a_build_says_how_to_fix(settings: Settings) -> None:
    with pytest.raises(StoreError) as caught:
        open_store(settings)
    assert "hdh build" in str(caught.value)


def test_one_build_at_a_time(settings: Settings) -> None:
    with build_lock(settings), pytest.raises(StoreError) as caught:
        build_store(settings)
    assert "another build" in str(caught.value)


def test_refuses_to_build_into_a_folder_that_is_not_a_store(settings: Settings) -> None:
    settings.store.mkdir(parents=True)
    (settings.store / "precious.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(StoreError):
        build_store(settings)
    assert (settings.store / "precious.txt").read_text(encoding="utf-8") == "keep me"


def test_empty_catalogue_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    settings = Settings(catalogue=tmp_path / "empty", store=tmp_path / "store", base_iri=BASE)
    with pytest.raises(SourceErrors) as caught:
        build_store(settings)
    assert "no Turtle file" in str(caught.value)
    assert store_version(settings) is None


REAL_CATALOGUE = Path(__file__).parents[1] / "catalogue"


@pytest.mark.slow
@pytest.mark.skipif(not (REAL_CATALOGUE / "codelists").is_dir(), reason="the SNDS catalogue has not been imported")
def test_every_code_row_of_the_snds_catalogue_is_a_concept(tmp_path: Path) -> None:
    import csv

    rows = 0
    for path in (REAL_CATALOGUE / "codelists").rglob("*.csv"):
        with path.open(encoding="utf-8", newline="") as text:
            delimiter = ";" if ";" in text.readline() else ","
            text.seek(0)
            rows += sum(1 for row in csv.reader(text, delimiter=delimiter) if row) - 1
    settings = Settings(catalogue=REAL_CATALOGUE, store=tmp_path / "store")
    report = build_store(settings)
    assert report.codes == rows
    # the concepts the code-list CSV files make (the glossary's terms, in Turtle, are concepts too)
    [count] = open_store(settings).query(
        f"SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ GRAPH ?g {{ ?c a skos:Concept }} "
        f'FILTER(STRSTARTS(STR(?g), "{settings.graph_iri("codelists/")}") && STRENDS(STR(?g), ".csv")) }}',
        prefixes={"skos": "http://www.w3.org/2004/02/skos/core#"},
    )
    assert int(count["n"].value) == report.concepts == rows  # every row is its own concept (composite keys)


def test_loading_in_chunks_gives_the_same_store(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    whole = build_store(settings)
    dump = sorted_dump(settings)
    import hdh_graph.build

    monkeypatch.setattr(hdh_graph.build, "CHUNK_QUADS", 7)  # many bulk loads of Turtle quads and of codes
    chunked = build_store(settings, full=True)
    assert chunked.triples == whole.triples
    assert sorted_dump(settings) == dump


# -- incremental builds: a few Turtle files reloaded on top of the active snapshot -------------------------------


def canonical(settings: Settings, snapshot: Path | None = None) -> ox.Dataset:
    """Every quad of a store, blank nodes canonicalised (RDFC-1.0): two stores compare equal as graphs."""
    path = (snapshot or settings.store / ACTIVE) / "oxigraph"
    dataset = ox.Dataset(ox.Store.read_only(str(path)))
    dataset.canonicalize(ox.CanonicalizationAlgorithm.RDFC_1_0)
    return dataset


def full_build_of(settings: Settings, tmp_path: Path) -> ox.Dataset:
    """The store a full build makes from the catalogue as it is now (in a folder of its own)."""
    other = settings.with_(store=tmp_path / "full-store")
    shutil.rmtree(other.store, ignore_errors=True)
    build_store(other, full=True)
    return canonical(other)


def write(path: Path, text: str) -> None:
    """Save a file as a curator does, some seconds before the build (not in the clock tick the build lists files)."""
    path.write_text(text, encoding="utf-8")
    earlier = time.time_ns() - 10 * 10**9
    os.utime(path, ns=(earlier, earlier))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    write(path, text.replace(old, new))


@pytest.fixture
def built(settings: Settings, catalogue: Path) -> Settings:
    """The mini catalogue built once, its files dated an hour back (edits made by the tests are then newer)."""
    hour_ago = time.time_ns() - 3600 * 10**9
    for path in catalogue.rglob("*"):
        os.utime(path, ns=(hour_ago, hour_ago))
    build_store(settings)
    return settings


def test_a_changed_file_is_reloaded_alone_into_a_copy_of_the_active_store(
    built: Settings, catalogue: Path, tmp_path: Path
) -> None:
    before = store_version(built)
    edit(catalogue / "agents.ttl", '"Health Data Hub"@en', '"Health Data Hub (France)"@en')
    messages: list[str] = []
    report = build_store(built, progress=messages.append)
    info = build_info(built)
    assert info is not None and info["incremental"] == {"from": before, "files": ["agents.ttl"], "deleted": []}
    assert any("Updating the store: 1 file(s) changed" in m for m in messages)
    assert (report.turtle_files, report.code_lists, report.files, report.codes, report.concepts) == (4, 2, 6, 7, 7)
    assert canonical(built) == full_build_of(built, tmp_path)
    assert report.triples == len(open_store(built)) and report.graphs == 6
    assert not store_is_stale(built)
    # the copy shares the previous database's files (hard links), and that one is kept, unchanged, until the next build
    previous = built.store / SNAPSHOTS / before
    shared = [p for p in (previous / "oxigraph").glob("*.sst") if p.stat().st_nlink > 1]
    assert shared
    assert any(q.object.value == "Health Data Hub" for q in ox.Store.read_only(str(previous / "oxigraph")))


def test_added_and_deleted_files(built: Settings, catalogue: Path, tmp_path: Path) -> None:
    more = '<dataset/more> <http://purl.org/dc/terms/title> "Plus"@fr ; <http://purl.org/dc/terms/relation> [] .\n'
    write(catalogue / "products" / "more.ttl", more)
    build_store(built)
    info = build_info(built)
    assert info is not None and info["incremental"]["files"] == ["products/more.ttl"]
    assert canonical(built) == full_build_of(built, tmp_path)
    assert ox.NamedNode(BASE + "dataset/more") in {q.subject for q in open_store(built)}

    (catalogue / "agents.ttl").unlink()
    report = build_store(built)
    info = build_info(built)
    assert info is not None and info["incremental"]["deleted"] == ["agents.ttl"]
    assert canonical(built) == full_build_of(built, tmp_path)
    assert report.turtle_files == 4 and report.graphs == 6
    assert BASE + "graph/agents.ttl" not in {g.value for g in open_store(built).named_graphs()}


def test_nothing_changed_copies_the_store(built: Settings, tmp_path: Path) -> None:
    before = canonical(built)
    build_store(built)
    info = build_info(built)
    assert info is not None and info["incremental"]["files"] == [] and info["incremental"]["deleted"] == []
    assert canonical(built) == before


def test_a_broken_changed_file_is_reported_and_the_store_kept(built: Settings, catalogue: Path) -> None:
    version, dump = store_version(built), sorted_dump(built)
    edit(catalogue / "agents.ttl", "cv:email", "cv:email cv:email")
    with pytest.raises(SourceErrors) as caught:
        build_store(built)
    [problem] = caught.value.problems
    assert problem.path.name == "agents.ttl" and (problem.line, problem.column) == (6, 61)
    assert "previous store is unchanged" in str(caught.value)
    assert store_version(built) == version and sorted_dump(built) == dump
    assert [p.name for p in (built.store / SNAPSHOTS).iterdir()] == [version]


def _full(settings: Settings) -> bool:
    info = build_info(settings)
    assert info is not None
    return "incremental" not in info


def test_full_builds_when_a_code_list_may_be_involved(built: Settings, catalogue: Path, tmp_path: Path) -> None:
    edit(catalogue / "codelists" / "DEMO" / "GEO.csv", "004", "005")
    build_store(built)
    assert _full(built)
    edit(catalogue / "codelists" / "DEMO.ttl", '"Sexe"@fr', '"Sexes"@fr')  # describes the CSV lists
    build_store(built)
    assert _full(built)
    # a file that did not describe a CSV code list, and now does: found once it is read, then built in full
    edit(
        catalogue / "products" / "demo.ttl",
        "tbl:PATIENT a csvw:Table ;",
        '<codelist/SEX2> csvw:url "../codelists/DEMO/SEX.csv" ; csvw:dialect [ csvw:delimiter ";" ] ;\n'
        '    csvw:tableSchema [ csvw:column [ csvw:name "TEC_COL" ] , [ csvw:name "SEX_LIB" ] ,\n'
        '        [ csvw:name "SEX_COD" ; csvw:propertyUrl "skos:notation" ] ] .\n'
        "tbl:PATIENT a csvw:Table ;",
    )
    messages: list[str] = []
    report = build_store(built, progress=messages.append)
    assert _full(built) and report.code_lists == 3
    assert any("products/demo.ttl describes code lists" in m for m in messages)
    assert canonical(built) == full_build_of(built, tmp_path)
    info = build_info(built)
    assert info is not None and info["tabular"] == ["codelists/DEMO.ttl", "products/demo.ttl"]


def test_full_builds_when_many_files_changed_or_when_asked(built: Settings, catalogue: Path) -> None:
    edit(catalogue / "agents.ttl", '"Health Data Hub"@en', '"HDH"@en')
    edit(catalogue / "catalog.ttl", '"Demo catalogue"@en', '"Demo"@en')  # 2 files of 6: above the 20 % limit
    messages: list[str] = []
    build_store(built, progress=messages.append)
    assert _full(built) and any("2 of 6 files changed" in m for m in messages)
    edit(catalogue / "agents.ttl", '"HDH"@en', '"The HDH"@en')
    build_store(built, full=True)
    assert _full(built)
    build_store(built.with_(base_iri="https://other.example.org/"))
    assert _full(built)


def test_a_file_dated_as_the_previous_build_listed_the_files_is_read_again(built: Settings, catalogue: Path) -> None:
    info = build_info(built)
    assert info is not None
    agents = catalogue / "agents.ttl"
    os.utime(agents, ns=(info["listed_ns"], info["listed_ns"]))  # edited in the same clock tick as the listing
    build_store(built)
    info = build_info(built)
    assert info is not None and info["incremental"]["files"] == ["agents.ttl"]  # the others are an hour old


def test_full_build_when_the_store_was_written_to(built: Settings, catalogue: Path, tmp_path: Path) -> None:
    stray = ox.Quad(ox.NamedNode(BASE + "x"), ox.NamedNode(BASE + "p"), ox.Literal("written by hand"))
    store = open_store(built, read_only=False)
    store.add(stray)
    del store
    gc.collect()
    edit(catalogue / "agents.ttl", '"Health Data Hub"@en', '"HDH"@en')
    messages: list[str] = []
    build_store(built, progress=messages.append)
    assert _full(built) and any("opened for writing" in m for m in messages)
    assert stray not in open_store(built)
    assert canonical(built) == full_build_of(built, tmp_path)
