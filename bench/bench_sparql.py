"""SPARQL endpoint benchmarks: HTTP vs in-process latency, rdflib-endpoint, keyword search, concurrent load.

Input: a synthetic catalogue written by gen_catalogue.py (see bench/RESULTS.md for the commands), e.g.

    python3 ../shared/bench/gen_catalogue.py --datasets 1000 --variables 50 --out build/cat-1k.ttl
    .venv/bin/python bench/bench_sparql.py build/cat-1k.ttl --load-seconds 60
    .venv/bin/python bench/bench_sparql.py build/cat-200.ttl --rdflib

The store (and its search index) is built once under build/bench-<name>/ and reused. Prints a Markdown
section for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import httpx

from hdh_graph.api.app import create_app
from hdh_graph.api.examples import load_examples
from hdh_graph.api.execution import QueryJob, run_query
from hdh_graph.api.server import BackgroundServer, free_port
from hdh_graph.build import build_store
from hdh_graph.settings import Settings
from hdh_graph.sparql import keywords as search
from hdh_graph.store import database_path, open_store, store_version

SYNTHETIC = "https://catalogue.example.org/"
# The example queries name SNDS resources; on the synthetic catalogue they name its first tables and lists.
REPLACEMENTS = {
    "<table/ER_PRS_F>": f"<{SYNTHETIC}table/d000000>",
    "<table/IR_BEN_R>": f"<{SYNTHETIC}table/d000001>",
    '"IR_SEX_V"': '"CL00000"',
}
KEYWORD_SCAN = """PREFIX csvw: <http://www.w3.org/ns/csvw#>
SELECT ?variable ?title WHERE {
  ?variable a csvw:Column ; csvw:title ?title .
  FILTER(CONTAINS(LCASE(STR(?title)), "diagnostic"))
} LIMIT 100"""


def bench_queries(synthetic: bool = True) -> dict[str, str]:
    queries = {}
    for example in load_examples():
        text = example.query
        for old, new in REPLACEMENTS.items() if synthetic else ():
            text = text.replace(old, new)
        queries[example.name] = text
    queries["keyword-contains-scan"] = KEYWORD_SCAN
    return queries


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values) * 1000, percentile(values, 99) * 1000


def prepare(source: Path, work: Path) -> Settings:
    """Settings for a store of ``source``: a generated Turtle file, or a catalogue folder such as catalogue/."""
    if source.is_dir():
        settings = Settings(catalogue=source.resolve(), store=work / "store", site=work / "no-site")
    else:
        catalogue = work / "catalogue"
        if not (catalogue / source.name).exists():
            catalogue.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, catalogue / source.name)
        settings = Settings(catalogue=catalogue, store=work / "store", site=work / "no-site", base_iri=SYNTHETIC)
    if store_version(settings) is None:
        started = time.perf_counter()
        build_store(settings)
        print(f"built the store in {time.perf_counter() - started:.1f} s")
    return settings


def in_process(settings: Settings, queries: dict[str, str], runs: int) -> dict[str, list[float]]:
    store = open_store(settings)
    path = search.index_path(database_path(settings).parent)
    started = time.perf_counter()
    search.ensure_index(path, f"{search.INDEX_VERSION}:{store_version(settings)}", lambda: search.store_rows(store))
    print(f"search index ready in {time.perf_counter() - started:.1f} s")
    index = search.SearchIndex(path)
    functions = search.matches_function(index)
    times: dict[str, list[float]] = {}
    for name, query in queries.items():
        job = QueryJob(query, base_iri=settings.base_iri, accept="application/sparql-results+json")
        run_query(store, job, index, functions)  # warm-up
        times[name] = []
        for _ in range(runs):
            started = time.perf_counter()
            outcome = run_query(store, job, index, functions)
            times[name].append(time.perf_counter() - started)
            assert outcome.status == 200, outcome.body[:300]
    return times


def over_http(
    url: str, queries: dict[str, str], runs: int, timeout: float = 120.0
) -> tuple[dict[str, list[float]], dict[str, int]]:
    """Latencies per query; a query that times out is recorded as ``[inf]`` and not repeated."""
    times: dict[str, list[float]] = {}
    rows: dict[str, int] = {}
    with httpx.Client(timeout=timeout) as client:
        for name, query in queries.items():
            headers = {"Accept": "application/sparql-results+json"}
            try:
                first = client.get(url, params={"query": query}, headers=headers)
            except httpx.ReadTimeout:
                times[name], rows[name] = [float("inf")], -1
                continue
            assert first.status_code == 200, first.text[:300]
            rows[name] = len(first.json()["results"]["bindings"])
            times[name] = []
            for _ in range(runs):
                started = time.perf_counter()
                response = client.get(url, params={"query": query}, headers=headers)
                times[name].append(time.perf_counter() - started)
                assert response.status_code == 200
    return times, rows


def keyword_search(url: str, words: list[str], runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {}
    with httpx.Client(timeout=60) as client:
        for word in words:
            client.get(url, params={"q": word})
            times[word] = []
            for _ in range(runs):
                started = time.perf_counter()
                assert client.get(url, params={"q": word, "limit": 20}).status_code == 200
                times[word].append(time.perf_counter() - started)
    return times


async def load(url: str, queries: list[str], clients: int, seconds: float) -> tuple[list[float], Counter[int]]:
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    deadline = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async with httpx.AsyncClient(timeout=120, limits=limits) as client:

        async def worker(offset: int) -> None:
            i = offset
            while time.monotonic() < deadline:
                query = queries[i % len(queries)]
                i += 1
                started = time.perf_counter()
                try:
                    response = await client.get(url, params={"query": query})
                    statuses[response.status_code] += 1
                except httpx.HTTPError:
                    statuses[0] += 1
                latencies.append(time.perf_counter() - started)

        await asyncio.gather(*(worker(n) for n in range(clients)))
    return latencies, statuses


def serve_rdflib(catalogue_file: Path, port: int) -> None:
    """Serve the file with rdflib-endpoint (run in its own process, so that a stuck query can be killed)."""
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    graph = Dataset(default_union=True)
    graph.parse(catalogue_file, format="turtle")
    uvicorn.run(SparqlEndpoint(graph=graph, path="/sparql"), host="127.0.0.1", port=port, log_level="warning")


def rdflib_endpoint_times(catalogue_file: Path, queries: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Each query against a fresh rdflib-endpoint process; one past 60 s is recorded as timed out."""
    # rdflib has no full-text index: the hdh:search query would only look for a triple with that predicate.
    comparable = {name: query for name, query in queries.items() if "hdh:search" not in query}
    times: dict[str, list[float]] = {}
    for name, query in comparable.items():
        port = free_port()
        process = subprocess.Popen([sys.executable, __file__, "--serve-rdflib", str(catalogue_file), str(port)])
        url = f"http://127.0.0.1:{port}/sparql"
        try:
            deadline = time.monotonic() + 300
            while True:
                try:
                    httpx.get(url, params={"query": "ASK {}"}, timeout=5)
                    break
                except httpx.TransportError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError("rdflib-endpoint did not start") from None
                    time.sleep(0.5)
            measured, _rows = over_http(url, {name: query}, runs, timeout=60.0)
            times.update(measured)
        finally:
            process.kill()
            process.wait()
    return times


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--serve-rdflib":
        serve_rdflib(Path(sys.argv[2]), int(sys.argv[3]))
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "catalogue", type=Path, help="a Turtle file written by gen_catalogue.py, or a catalogue folder (catalogue/)"
    )
    parser.add_argument("--runs", type=int, default=30, help="timed runs per query")
    parser.add_argument("--workers", type=int, default=2, help="query worker processes of the server")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--load-seconds", type=float, default=20.0, help="0 to skip the load run")
    parser.add_argument("--rdflib", action="store_true", help="also time rdflib-endpoint on the same data")
    parser.add_argument(
        "--load-mix",
        choices=["examples", "lookups"],
        default="examples",
        help="queries of the load run: every example, or only those under 20 ms in-process (typical lookups)",
    )
    args = parser.parse_args()

    name = args.catalogue.resolve().name.removesuffix(".ttl")
    settings = prepare(args.catalogue, Path("build") / f"bench-{name}")
    queries = bench_queries(synthetic=not args.catalogue.is_dir())
    local = in_process(settings, queries, args.runs)
    app = create_app(settings.with_(query_timeout=120.0), workers=args.workers)
    with BackgroundServer(app) as server:
        remote, rows = over_http(server.url + "/sparql", queries, args.runs)
        words = ["diagnostic", "date", "établissement", "cim", "beneficiaire age", "zzznomatch"]
        searched = keyword_search(server.url + "/api/search", words, args.runs)
        if args.load_seconds > 0:
            mix = [q for n, q in queries.items() if n != "keyword-contains-scan"]
            if args.load_mix == "lookups":
                mix = [queries[n] for n in queries if statistics.median(local[n]) < 0.020]
            started = time.perf_counter()
            latencies, statuses = asyncio.run(load(server.url + "/sparql", mix, args.clients, args.load_seconds))
            elapsed = time.perf_counter() - started
    rdflib_times = {}
    if args.rdflib:
        rdflib_times = rdflib_endpoint_times(args.catalogue, queries, max(3, args.runs // 10))

    print(f"\n### {name}: {args.runs} runs per query, {args.workers} workers\n")
    header = "| query | rows | in-process median / p99 (ms) | HTTP median / p99 (ms) | HTTP overhead |"
    if rdflib_times:
        header += " rdflib-endpoint median (ms) | speed-up |"
    print(header)
    print("|---" * (header.count("|") - 1) + "|")
    for query in queries:
        lm, lp = summary(local[query])
        hm, hp = summary(remote[query])
        line = f"| {query} | {rows[query]} | {lm:.2f} / {lp:.2f} | {hm:.2f} / {hp:.2f} | {100 * (hm - lm) / lm:+.0f}% |"
        if rdflib_times:
            if query not in rdflib_times:
                line += " n/a (no full-text index) | |"
            elif rdflib_times[query] == [float("inf")]:
                line += " > 60,000 (timed out) | > " + f"{60000 / hm:.0f}× |"
            else:
                rm, _ = summary(rdflib_times[query])
                line += f" {rm:.1f} | {rm / hm:.0f}× |"
        print(line)
    print("\n| keyword search `/api/search` | median (ms) | p99 (ms) |\n|---|---|---|")
    for word, values in searched.items():
        m, p = summary(values)
        print(f"| {word} | {m:.2f} | {p:.2f} |")
    if args.load_seconds > 0:
        m, p = summary(latencies)
        print(
            f"\nLoad: {args.clients} concurrent clients for {args.load_seconds:.0f} s, {args.load_mix} mix "
            f"({len(mix)} queries): "
            f"{len(latencies)} requests, {len(latencies) / elapsed:.0f} req/s, p50 {m:.1f} ms, p99 {p:.1f} ms, "
            f"statuses {dict(sorted(statuses.items()))}"
        )


if __name__ == "__main__":
    main()
