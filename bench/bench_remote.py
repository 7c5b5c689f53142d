"""Remote stores: a synthetic catalogue loaded into Virtuoso and Oxigraph server, queried through `hdh serve`.

Input: a catalogue folder written by gen_catalogue.py --split (see bench/RESULTS.md for the commands), e.g.

    python3 ../shared/bench/gen_catalogue.py --datasets 10000 --variables 50 --split build/remote-bench/cat-10k
    .venv/bin/python bench/bench_remote.py build/remote-bench/cat-10k --embedded --virtuoso --virtuoso-gsp --oxigraph

For each store asked for: the embedded store is built first (`hdh build`, reused when it is there); Virtuoso is a
fresh private instance (hdh_graph.virtuoso.LocalVirtuoso) filled by `hdh publish`'s code, with its bulk loader
(`--virtuoso`) or its Graph Store endpoint (`--virtuoso-gsp`); Oxigraph server is filled by its own bulk loader
(`oxigraph load` of an N-Quads dump, `--oxigraph`) or by `hdh publish` over its Graph Store endpoint
(`--oxigraph-gsp`). Then `hdh serve` is started on it (the keyword index is built from the store), and the
editor's example queries and keyword searches are timed over HTTP through it. Time, disk and peak memory of each
load are printed; everything is removed at the end unless --keep. Prints a Markdown section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import builtins
import functools
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import httpx
import pyoxigraph as ox
from bench_sparql import SYNTHETIC, bench_queries, keyword_search, over_http, summary

from hdh_graph.api.app import create_app
from hdh_graph.api.server import BackgroundServer, free_port
from hdh_graph.build import build_store
from hdh_graph.graph_store import GraphStore
from hdh_graph.remote_load import publish
from hdh_graph.remote_store import SparqlStore
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.store import database_path, open_store, store_version
from hdh_graph.virtuoso import LocalVirtuoso, bulk_load, hide_other_graphs
from hdh_graph.vocab import PREFIXES

WORDS = ["diagnostic", "date", "établissement", "cim", "beneficiaire age", "zzznomatch"]


@dataclass
class Run:
    name: str
    load: str = ""
    load_seconds: float = 0.0
    disk: int = 0
    peak_rss: int = 0
    index_seconds: float = 0.0
    times: dict[str, list[float]] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)
    searched: dict[str, list[float]] = field(default_factory=dict)
    triples: int = 0


def du(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def peak_rss(pid: int) -> int:
    """VmHWM of a process, in bytes."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return 0


def measure(run: Run, settings: Settings, queries: dict[str, str], runs: int) -> None:
    """Start `hdh serve` on the settings (building the keyword index), time the queries and searches."""
    (settings.store / "remote-search.sqlite").unlink(missing_ok=True)
    if settings.sparql_endpoint is None:
        search.index_path(database_path(settings).parent).unlink(missing_ok=True)
    started = time.perf_counter()
    search.ensure_store_index(settings)  # what `hdh serve` does when it starts
    run.index_seconds = time.perf_counter() - started
    app = create_app(settings.with_(query_timeout=600.0), workers=2)
    with BackgroundServer(app) as server:
        run.times, run.rows = over_http(server.url + "/sparql", queries, runs, timeout=600.0)
        run.searched = keyword_search(server.url + "/api/search", WORDS, runs)


DIRECT = False
"""--direct: queries through the store port (GraphStore.query: what the site, feed and stats read), no `hdh serve`
and no keyword index; the query that uses `hdh:search` is left out."""


def measure_direct(run: Run, settings: Settings, queries: dict[str, str], runs: int, index: bool) -> None:
    store: GraphStore | ox.Store
    if settings.sparql_endpoint:
        store = SparqlStore(settings.sparql_endpoint, graphs=settings.graph_iri(""), timeout=7200.0)
    else:
        store = open_store(settings)
    union = not settings.sparql_endpoint
    for name, query in queries.items():
        if "hdh:search" in query:
            continue
        rows = len(
            list(store.query(query, base_iri=settings.base_iri, prefixes=PREFIXES, use_default_graph_as_union=union))
        )
        run.rows[name], run.times[name] = rows, []
        for _ in range(runs):
            started = time.perf_counter()
            list(store.query(query, base_iri=settings.base_iri, prefixes=PREFIXES, use_default_graph_as_union=union))
            run.times[name].append(time.perf_counter() - started)
    if index:
        (settings.store / "remote-search.sqlite").unlink(missing_ok=True)
        started = time.perf_counter()
        path = search.ensure_store_index(settings)
        run.index_seconds = time.perf_counter() - started
        found = search.SearchIndex(path)
        for word in WORDS:
            run.searched[word] = []
            for _ in range(max(runs, 5)):
                started = time.perf_counter()
                found.search(word, 20)
                run.searched[word].append(time.perf_counter() - started)


INDEX = False


def embedded(settings: Settings, queries: dict[str, str], runs: int) -> Run:
    run = Run("embedded (pyoxigraph)", load="hdh build")
    if store_version(settings) is None:
        started = time.perf_counter()
        build_store(settings)
        run.load_seconds = time.perf_counter() - started
    run.disk = du(settings.store)
    if DIRECT:
        measure_direct(run, settings, queries, runs, index=INDEX)
    else:
        measure(run, settings, queries, runs)
    return run


def virtuoso(settings: Settings, work: Path, queries: dict[str, str], runs: int, *, bulk: bool, buffers: int) -> Run:
    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    run = Run("Virtuoso 7.2", load="bulk loader (ld_dir, rdf_loader_run)" if bulk else "Graph Store PUT per graph")
    server = LocalVirtuoso(folder, sql_port=free_port(), http_port=free_port(), buffers=buffers)
    server.start()
    try:
        remote = settings.with_(
            sparql_endpoint=server.sparql_endpoint,
            graph_store_endpoint=server.graph_store_endpoint,
            remote_user=server.LOADER if not bulk else "dba",
            remote_password=server.loader_password if not bulk else server.password,
            virtuoso_isql=server.isql.address if bulk else None,
            virtuoso_load_dir=server.load_folder if bulk else None,
            bulk_load_triples=0,
            remote_timeout=7200.0,
            store=work / "virtuoso-cache",
        )
        store = open_store(settings)
        report = publish(remote, store)
        del store
        run.load_seconds = report.seconds
        hide_other_graphs(server.isql, settings.graph_iri(""))
        server.isql.run("checkpoint")
        run.disk = du(folder)
        if DIRECT:
            measure_direct(run, remote, queries, runs, index=INDEX)
        else:
            measure(run, remote, queries, runs)
        assert server.process is not None
        run.peak_rss = peak_rss(server.process.pid)
    finally:
        server.stop()
        if not KEEP:
            shutil.rmtree(folder, ignore_errors=True)
    return run


def virtuoso_from_turtle(
    settings: Settings, work: Path, queries: dict[str, str], runs: int, *, buffers: int, loaders: int
) -> Run:
    """Virtuoso filled straight from the catalogue's Turtle files (no embedded store): each file parsed and written
    as N-Quads into its graph, then the bulk loader, as `hdh publish` runs it."""
    folder = work / "virtuoso"
    shutil.rmtree(folder, ignore_errors=True)
    run = Run("Virtuoso 7.2", load=f"Turtle -> N-Quads, then the bulk loader ({loaders} loaders)")
    server = LocalVirtuoso(folder, sql_port=free_port(), http_port=free_port(), buffers=buffers)
    server.start()
    try:
        load = server.load_folder / "catalogue"
        load.mkdir()
        started = time.perf_counter()
        files: dict[str, tuple[str, ...]] = {}
        held: list[str] = []
        number, size = 0, 0
        out = (load / f"{number:06d}.nq").open("wb")
        for path in sorted(settings.catalogue.rglob("*.ttl")):
            graph = settings.graph_iri(path.relative_to(settings.catalogue).as_posix())
            triples = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=settings.base_iri)
            data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b""
            out.write(data.replace(b" .\n", b" <" + graph.encode() + b"> .\n"))
            held.append(graph)
            size += data.count(b"\n")
            if size >= 500_000:
                out.close()
                files[f"{number:06d}.nq"] = tuple(held)
                number, size, held = number + 1, 0, []
                out = (load / f"{number:06d}.nq").open("wb")
        out.close()
        if held:
            files[f"{number:06d}.nq"] = tuple(held)
        converted = time.perf_counter() - started
        print(f"converted to N-Quads in {converted:.1f} s ({len(files)} files)", file=sys.stderr, flush=True)
        started = time.perf_counter()
        failures = bulk_load(server.isql, str(load), files, loaders=loaders)
        run.load_seconds = time.perf_counter() - started
        assert not failures, failures[:3]
        run.load += f"; conversion {converted:.0f} s not counted"
        shutil.rmtree(load)
        hide_other_graphs(server.isql, settings.graph_iri(""))
        server.isql.run("checkpoint")
        run.disk = du(folder)
        remote = settings.with_(sparql_endpoint=server.sparql_endpoint, store=work / "virtuoso-cache")
        run.triples = len(SparqlStore(server.sparql_endpoint, graphs=settings.graph_iri(""), timeout=7200.0))
        measure_direct(run, remote, queries, runs, index=INDEX)
        assert server.process is not None
        run.peak_rss = peak_rss(server.process.pid)
    finally:
        server.stop()
        if not KEEP:
            shutil.rmtree(folder, ignore_errors=True)
    return run


@contextmanager
def oxigraph_server(location: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
    process = subprocess.Popen(
        [program, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}", "--union-default-graph"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                httpx.get(url + "/query", params={"query": "ASK {}"}, timeout=5)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        yield url, process
    finally:
        process.terminate()
        process.wait(60)


def oxigraph(settings: Settings, work: Path, queries: dict[str, str], runs: int, *, bulk: bool) -> Run:
    location = work / "oxigraph"
    shutil.rmtree(location, ignore_errors=True)
    run = Run("Oxigraph server 0.5", load="oxigraph load (N-Quads dump)" if bulk else "Graph Store PUT per graph")
    started = time.perf_counter()
    if bulk:
        dump = work / "dump.nq"
        open_store(settings).dump(str(dump), ox.RdfFormat.N_QUADS)
        program = shutil.which("oxigraph", path=str(Path(sys.executable).parent)) or "oxigraph"
        subprocess.run([program, "load", "--location", str(location), "--file", str(dump)], check=True)
        dump.unlink()
        run.load_seconds = time.perf_counter() - started
    try:
        with oxigraph_server(location) as (url, process):
            remote = settings.with_(
                sparql_endpoint=url + "/query",
                graph_store_endpoint=url + "/store",
                remote_timeout=7200.0,
                store=work / "oxigraph-cache",
            )
            if not bulk:
                run.load_seconds = publish(remote, open_store(settings)).seconds
            run.disk = du(location)
            if DIRECT:
                measure_direct(run, remote, queries, runs, index=INDEX)
            else:
                measure(run, remote, queries, runs)
            run.peak_rss = peak_rss(process.pid)
    finally:
        if not KEEP:
            shutil.rmtree(location, ignore_errors=True)
    return run


KEEP = False


def main() -> None:
    global KEEP, DIRECT, INDEX
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("catalogue", type=Path, help="a catalogue folder written by gen_catalogue.py --split")
    parser.add_argument("--work", type=Path, default=None, help="working folder [build/remote-bench/work-<name>]")
    parser.add_argument("--runs", type=int, default=3, help="timed runs per query")
    parser.add_argument("--embedded", action="store_true", help="time the embedded store too")
    parser.add_argument("--virtuoso", action="store_true", help="Virtuoso, filled by its bulk loader")
    parser.add_argument("--virtuoso-gsp", action="store_true", help="Virtuoso, filled by Graph Store PUTs")
    parser.add_argument("--oxigraph", action="store_true", help="Oxigraph server, filled by `oxigraph load`")
    parser.add_argument("--oxigraph-gsp", action="store_true", help="Oxigraph server, filled by Graph Store PUTs")
    parser.add_argument("--buffers", type=int, default=680_000, help="Virtuoso's NumberOfBuffers (8 KiB pages)")
    parser.add_argument(
        "--virtuoso-turtle", action="store_true", help="Virtuoso only, from the Turtle files (no embedded store)"
    )
    parser.add_argument("--loaders", type=int, default=1, help="bulk loader threads of --virtuoso-turtle")
    parser.add_argument("--keep", action="store_true", help="keep the embedded store and the servers' files")
    parser.add_argument("--direct", action="store_true", help="queries through the store port, no `hdh serve`")
    parser.add_argument("--index", action="store_true", help="with --direct: build the keyword index from the store")
    args = parser.parse_args()
    KEEP, DIRECT, INDEX = args.keep, args.direct, args.index

    name = args.catalogue.resolve().name
    work = (args.work or Path("build") / "remote-bench" / f"work-{name}").resolve()
    if work == args.catalogue.resolve() or args.catalogue.resolve().is_relative_to(work):
        parser.error("the working folder must not hold the catalogue (it is removed at the end)")
    work.mkdir(parents=True, exist_ok=True)
    settings = Settings(catalogue=args.catalogue.resolve(), store=work / "store", site=work / "no-site")
    settings = settings.with_(base_iri=SYNTHETIC)
    queries = bench_queries(synthetic=True)
    if args.virtuoso_turtle:
        DIRECT = True
        turtle = virtuoso_from_turtle(settings, work, queries, args.runs, buffers=args.buffers, loaders=args.loaders)
        files = sum(1 for _ in settings.catalogue.rglob("*.ttl"))
        report(name, turtle.triples, files, args.runs, [turtle])
        if not KEEP:
            shutil.rmtree(work, ignore_errors=True)
        return
    if store_version(settings) is None:
        started = time.perf_counter()
        build_store(settings)
        print(f"built the embedded store in {time.perf_counter() - started:.1f} s", flush=True)
    triples = len(open_store(settings))
    graphs = sum(1 for _ in open_store(settings).named_graphs())
    steps: list[tuple[bool, Callable[[], Run]]] = [
        (args.embedded, lambda: embedded(settings, queries, args.runs)),
        (args.virtuoso, lambda: virtuoso(settings, work, queries, args.runs, bulk=True, buffers=args.buffers)),
        (args.virtuoso_gsp, lambda: virtuoso(settings, work, queries, args.runs, bulk=False, buffers=args.buffers)),
        (args.oxigraph, lambda: oxigraph(settings, work, queries, args.runs, bulk=True)),
        (args.oxigraph_gsp, lambda: oxigraph(settings, work, queries, args.runs, bulk=False)),
    ]
    done: list[Run] = []
    for wanted, step in steps:
        if wanted:
            done.append(step())
            print(f"(done: {done[-1].name}, {done[-1].load})", file=sys.stderr, flush=True)
            report(name, triples, graphs, args.runs, done[-1:], out=sys.stderr)  # in case a later one fails
    report(name, triples, graphs, args.runs, done)
    if not KEEP:
        shutil.rmtree(work, ignore_errors=True)


def report(name: str, triples: int, graphs: int, runs: int, done: list[Run], out: TextIO = sys.stdout) -> None:
    print = functools.partial(builtins.print, file=out, flush=True)
    load = os.getloadavg()
    print(f"\n### {name}: {triples:,} triples in {graphs:,} named graphs; {runs} runs per query")
    print(f"\nLoad average at the end: {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (2 cores, shared)\n")
    print("| store | filled by | load (s) | triples/s | disk (MiB) | peak memory (MiB) | keyword index (s) |")
    print("|---|---|---|---|---|---|---|")
    for run in done:
        rate = f"{triples / run.load_seconds:,.0f}" if run.load_seconds else "(reused)"
        rss = f"{run.peak_rss / 2**20:,.0f}" if run.peak_rss else "(in process)"
        print(
            f"| {run.name} | {run.load} | {run.load_seconds:.1f} | {rate} | {run.disk / 2**20:,.0f} | {rss} "
            f"| {run.index_seconds:.1f} |"
        )
    header = "| query | rows | " + " | ".join(f"{r.name}, {r.load.split(' (')[0]}: median (ms)" for r in done) + " |"
    print("\n" + header)
    print("|---" * (header.count("|") - 1) + "|")
    for query in queries_of(done):
        cells = []
        for run in done:
            values = run.times.get(query, [])
            cells.append("timed out" if values == [float("inf")] else f"{summary(values)[0]:.1f}" if values else "")
        counts = sorted({r.rows[query] for r in done if r.rows.get(query, -1) >= 0})
        rows = " / ".join(str(c) for c in counts) or "-"  # several numbers: the stores disagree
        print(f"| {query} | {rows} | " + " | ".join(cells) + " |")
    print(
        "\n| keyword search "
        + ("(SearchIndex.search)" if DIRECT else "`/api/search`")
        + " | "
        + " | ".join(f"{r.name}: median (ms)" for r in done)
        + " |"
    )
    print("|---" * (len(done) + 1) + "|")
    for word in WORDS:
        cells = [f"{summary(r.searched[word])[0]:.2f}" if r.searched.get(word) else "" for r in done]
        print(f"| {word} | " + " | ".join(cells) + " |")


def queries_of(done: list[Run]) -> list[str]:
    return list(done[0].times) if done else []


if __name__ == "__main__":
    main()
