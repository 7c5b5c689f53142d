"""Load on the endpoint as `hdh serve` runs it: cheap look-ups beside heavy scans, and slow-drip connections.

It starts ``hdh serve`` on the built store (``.venv/bin/hdh build`` first: the real SNDS catalogue), then:

- ``mix`` (default): N clients for S seconds, each from its own loopback address (127.0.0.x: the server tells
  clients apart by address). ``--heavy`` of them send a keyword scan over every value non-stop
  (``FILTER(CONTAINS(LCASE(STR(?o)), word))``, the word changing so that the cache does not answer); the others
  ask for the columns of a random table (188 tables: some repeats, answered from the cache). A client told 429
  or 503 waits the ``Retry-After`` seconds, then goes on. Prints cheap latency percentiles, heavy throughput,
  statuses, and the server's memory (itself and its workers) before and after.
  ``--generator wrk``: the same mix sent by two wrk processes (C, LuaJIT scripts in ``bench/wrk/``) instead of
  Python clients, which take about a core of the two themselves: one connection per wrk thread, each its own
  client through ``X-Forwarded-For`` (uvicorn takes it from 127.0.0.1, where wrk connects from, by default).
- ``slowloris``: C connections each send a request head a byte at a time; meanwhile a normal client's requests
  are timed, and the connections the server closed are counted.

    .venv/bin/python bench/bench_load.py --clients 50 --heavy 5 --seconds 20
    .venv/bin/python bench/bench_load.py --clients 200 --heavy 20 --seconds 20
    .venv/bin/python bench/bench_load.py --generator wrk --clients 50 --heavy 5 --seconds 20
    .venv/bin/python bench/bench_load.py --scenario slowloris --connections 100
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from hdh_graph.api.server import free_port

ROOT = Path(__file__).resolve().parents[1]
HDH = str(Path(sys.executable).parent / "hdh")
WRK_SCRIPTS = ROOT / "bench" / "wrk"
CHEAP = "SELECT ?column ?name WHERE {{ <{table}> csvw:column ?column . ?column csvw:name ?name }} ORDER BY ?name"
HEAVY = 'SELECT ?s ?o WHERE {{ ?s ?p ?o FILTER(CONTAINS(LCASE(STR(?o)), "{word}")) }} LIMIT 100'
WORDS = ["naissance", "sexe", "deces", "sejour", "diagnostic", "acte", "montant", "prescripteur", "region",
         "commune", "age", "date", "code", "patient", "hopital", "pharmacie", "medicament", "consultation"]  # fmt: skip


def rss_kib(pid: int) -> int:
    """Resident memory of a process and its descendants (KiB), from /proc."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                pending.extend(int(c) for c in children)
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def start_server(port: int, args: argparse.Namespace) -> subprocess.Popen[bytes]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HDH_")}
    env.update({"HDH_WORKERS": str(args.workers), "HDH_CHEAP_WORKERS": str(args.cheap_workers), "HDH_HTTP": args.http})
    if args.no_cache:
        env["HDH_CACHE_BYTES"] = "0"
    process = subprocess.Popen(
        [HDH, "serve", "--port", str(port), "--store", str(args.store)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return process
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    process.terminate()
    raise SystemExit("hdh serve did not start")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def client_loop(
    url: str, address: str, heavy: bool, tables: list[str], until: float, results: dict[str, list], think: float
) -> None:
    transport = httpx.AsyncHTTPTransport(local_address=address)
    rng = random.Random(address)
    async with httpx.AsyncClient(transport=transport, timeout=120) as client:
        while time.monotonic() < until:
            if heavy:
                query = HEAVY.format(word=f"{rng.choice(WORDS)}{rng.randrange(1000)}"[: rng.choice([5, 6, 7, 12])])
            else:
                query = CHEAP.format(table=rng.choice(tables))
            started = time.perf_counter()
            try:
                response = await client.get(url, params={"query": query})
                status = response.status_code
            except httpx.HTTPError as exc:
                status, response = type(exc).__name__, None  # type: ignore[assignment]
            elapsed = time.perf_counter() - started
            kind = "heavy" if heavy else "cheap"
            results[kind].append((elapsed, status, time.monotonic()))
            if response is not None and status in (429, 503):
                await asyncio.sleep(
                    min(float(response.headers.get("retry-after", "1")), max(0, until - time.monotonic()))
                )
            elif not heavy and think:
                await asyncio.sleep(rng.uniform(0, 2 * think))


async def mix(url: str, args: argparse.Namespace, tables: list[str]) -> dict[str, list]:
    results: dict[str, list] = {"cheap": [], "heavy": []}
    until = time.monotonic() + args.seconds
    loops = [
        client_loop(url, f"127.0.{1 + i // 250}.{2 + i % 250}", i < args.heavy, tables, until, results, args.think)
        for i in range(args.clients)
    ]
    await asyncio.gather(*loops)
    return results


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of one process (not its children), from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def report_mix(args: argparse.Namespace, results: dict[str, list], before: int, after: int, took: float) -> None:
    cheap = [e for e, s, _ in results["cheap"] if s == 200]
    heavy_ok = [e for e, s, _ in results["heavy"] if s == 200]
    print(f"- {args.clients} clients ({args.clients - args.heavy} cheap, {args.heavy} heavy) for {args.seconds} s, "
          f"{args.workers} workers ({args.cheap_workers} for cheap queries), cache {'off' if args.no_cache else 'on'}, "
          f"HTTP {args.http}, cheap clients' pause {args.think:g} s; "
          f"load average before/after: {args.load_before} / {os.getloadavg()[0]:.2f}")  # fmt: skip
    print(f"  - cheap look-ups: {len(results['cheap'])} sent, {len(cheap)} answered 200; "
          f"p50 {percentile(cheap, 50) * 1000:.0f} ms, p95 {percentile(cheap, 95) * 1000:.0f} ms, "
          f"p99 {percentile(cheap, 99) * 1000:.0f} ms, max {max(cheap, default=0) * 1000:.0f} ms; "
          f"statuses {dict(Counter(s for _, s, _ in results['cheap']))}")  # fmt: skip
    print(f"  - heavy scans: {len(results['heavy'])} sent, {len(heavy_ok)} answered 200 "
          f"({len(heavy_ok) / took:.2f}/s; median {percentile(heavy_ok, 50):.1f} s); "
          f"statuses {dict(Counter(s for _, s, _ in results['heavy']))}")  # fmt: skip
    print(f"  - server memory (server and workers, RSS): {before / 1024:.0f} MiB before, {after / 1024:.0f} MiB after")


def children_cpu_seconds() -> float:
    """User and system CPU time of the waited-for child processes (the wrk processes; the server still runs)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def self_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def parse_wrk_report(stdout: str) -> dict[str, Any]:
    """The JSON line that ``bench/wrk/common.lua``'s ``report`` prints at the end of a wrk run."""
    for line in reversed(stdout.splitlines()):
        if line.startswith('{"wrk"'):
            report: dict[str, Any] = json.loads(line)
            report["statuses"] = {int(k): v for k, v in report["statuses"].items()}
            report["answered"] = report["answered_2xx"]
            report["errors"] = sum(report["statuses"].values()) + sum(report["socket_errors"].values())
            return report
    raise ValueError(f"no JSON report line in wrk's output:\n{stdout[-2000:]}")


def run_wrk(url: str, args: argparse.Namespace, tables: list[str]) -> dict[str, dict[str, Any]]:
    """The mix sent by two wrk processes at once, one connection (one client) per wrk thread."""
    wrk = shutil.which("wrk")
    if wrk is None:
        raise SystemExit("wrk is not installed: apt-get install -y wrk")
    cheap_clients = args.clients - args.heavy
    with tempfile.NamedTemporaryFile("w", suffix=".txt") as tables_file:
        tables_file.write("\n".join(tables) + "\n")
        tables_file.flush()
        runs = {"heavy": (args.heavy, ["0"]), "cheap": (cheap_clients, [str(args.heavy), tables_file.name])}
        timing = ["-d", f"{args.seconds:g}s", "--timeout", "120s"]
        processes = {
            kind: subprocess.Popen(
                [wrk, "-t", str(n), "-c", str(n), *timing, "-s", str(WRK_SCRIPTS / f"{kind}.lua"), url, "--", *extra],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            for kind, (n, extra) in runs.items()
            if n > 0
        }
        return {kind: parse_wrk_report(process.communicate()[0]) for kind, process in processes.items()}


def report_wrk(args: argparse.Namespace, reports: dict[str, dict[str, Any]], before: int, after: int) -> None:
    print(f"- wrk: {args.clients} clients ({args.clients - args.heavy} cheap, {args.heavy} heavy) for "
          f"{args.seconds:g} s, {args.workers} workers ({args.cheap_workers} for cheap queries), "
          f"cache {'off' if args.no_cache else 'on'}, HTTP {args.http}, no pause; "
          f"load average before/after: {args.load_before} / {os.getloadavg()[0]:.2f}")  # fmt: skip
    for kind, report in reports.items():
        latency, corrected = report["latency_ms"], report["latency_corrected_ms"]
        rate = report["answered_2xx"] / report["seconds"]
        print(f"  - {kind}: {report['requests']} answered ({report['answered_2xx']} 2xx, {rate:.2f}/s), "
              f"non-2xx {report['statuses']}, socket errors {report['socket_errors']}; p50 {latency['p50']:.0f} ms, "
              f"p95 {latency['p95']:.0f} ms, p99 {latency['p99']:.0f} ms, max {latency['max']:.0f} ms "
              f"(2xx as sent; wrk's own, corrected for coordinated omission: p50 {corrected['p50']:.0f} ms, "
              f"p99 {corrected['p99']:.0f} ms)")  # fmt: skip
    print(f"  - server memory (server and workers, RSS): {before / 1024:.0f} MiB before, {after / 1024:.0f} MiB after")


def python_summary(results: list[tuple[float, Any, float]]) -> dict[str, Any]:
    """The Python clients' results in the shape of :func:`parse_wrk_report`'s (latency of the 200 answers)."""
    ok = [elapsed * 1000 for elapsed, status, _ in results if status == 200]
    latency = {f"p{p}": percentile(ok, p) for p in (50, 95, 99)} | {"max": max(ok, default=0.0)}
    return {"requests": len(results), "answered": len(ok), "errors": len(results) - len(ok), "latency_ms": latency}


def table_row(
    args: argparse.Namespace,
    cheap: dict[str, Any],
    heavy: dict[str, Any] | None,
    front_cpu: float,
    generator_cpu: float,
    took: float,
) -> str:
    """One row of bench/RESULTS.md's table: the same columns for both generators."""
    lat = cheap["latency_ms"]
    heavy_cell = "–" if heavy is None else f"{heavy['answered']} ({heavy['errors']}) · {heavy['answered'] / took:.2f}/s"
    answered = cheap["requests"] + (heavy["requests"] if heavy else 0)
    return (
        f"| {args.generator} | {args.clients - args.heavy} + {args.heavy} "
        f"| {args.load_before}–{os.getloadavg()[0]:.2f} "
        f"| {cheap['answered']:,} ({cheap['errors']}) | {lat['p50']:.0f} / {lat['p95']:.0f} / {lat['p99']:.0f} / "
        f"{lat['max']:,.0f} ms | {heavy_cell} | {front_cpu / took * 100:.0f} % "
        f"({front_cpu / max(answered, 1) * 1e6:.0f} µs a request) | {generator_cpu / took * 100:.0f} % |"
    )


async def drip(host: str, port: int, hold: float) -> bool:
    """A slowloris connection: a request head a byte at a time; True when the server closed it."""
    reader, writer = await asyncio.open_connection(host, port)
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 10_000
    try:
        for byte in head:
            writer.write(bytes([byte]))
            await writer.drain()
            try:
                data = await asyncio.wait_for(reader.read(1), 0.5)
                if data == b"":
                    return True
            except TimeoutError:
                pass
            if hold <= 0:
                break
        return False
    except (ConnectionError, OSError):
        return True
    finally:
        writer.close()


async def slowloris(url: str, port: int, args: argparse.Namespace) -> None:
    tasks = [asyncio.create_task(drip("127.0.0.1", port, args.seconds)) for _ in range(args.connections)]
    await asyncio.sleep(1)
    timings = []
    statuses: Counter[int] = Counter()
    async with httpx.AsyncClient(timeout=30) as client:
        until = time.monotonic() + args.seconds
        while time.monotonic() < until:
            started = time.perf_counter()
            response = await client.get(url.replace("/sparql", "/health"))
            timings.append(time.perf_counter() - started)
            statuses[response.status_code] += 1
            await asyncio.sleep(0.2)
    closed = sum(await asyncio.gather(*tasks))
    print(f"- {args.connections} slow-drip connections (one header byte every 0.5 s) for {args.seconds} s; "
          f"load average {args.load_before}")  # fmt: skip
    print(f"  - a normal client meanwhile: {len(timings)} requests, statuses {dict(statuses)}, "
          f"p50 {percentile(timings, 50) * 1000:.0f} ms, max {max(timings) * 1000:.0f} ms")  # fmt: skip
    print(f"  - slow connections closed by the server: {closed} of {args.connections}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scenario", choices=["mix", "slowloris"], default="mix")
    parser.add_argument("--store", type=Path, default=ROOT / "var" / "store")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--heavy", type=int, default=5)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--cheap-workers", type=int, default=1)
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--no-cache", action="store_true", help="Serve with HDH_CACHE_BYTES=0.")
    parser.add_argument("--http", choices=["httptools", "h11"], default="httptools", help="The server's HTTP stack.")
    parser.add_argument("--think", type=float, default=0.0, help="Mean pause of a cheap client between requests.")
    parser.add_argument(
        "--generator", choices=["python", "wrk"], default="python", help="Who sends the mix (wrk: no --think)."
    )
    args = parser.parse_args()
    args.load_before = f"{os.getloadavg()[0]:.2f}"
    socket.setdefaulttimeout(60)
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    server = start_server(port, args)
    try:
        if args.scenario == "slowloris":
            asyncio.run(slowloris(url, port, args))
            return
        rows = httpx.get(url, params={"query": "SELECT ?t WHERE { ?t a csvw:Table }"}, timeout=60).json()
        tables = [r["t"]["value"] for r in rows["results"]["bindings"]]
        before, cpu_before = rss_kib(server.pid), cpu_seconds(server.pid)
        generator_before = children_cpu_seconds() if args.generator == "wrk" else self_cpu_seconds()
        started = time.monotonic()
        if args.generator == "wrk":
            reports = run_wrk(url, args, tables)
            took = time.monotonic() - started
            generator_cpu = children_cpu_seconds() - generator_before
            front_cpu = cpu_seconds(server.pid) - cpu_before
            report_wrk(args, reports, before, rss_kib(server.pid))
            cheap, heavy = reports.get("cheap"), reports.get("heavy")
            answered = sum(r["requests"] for r in reports.values())
        else:
            results = asyncio.run(mix(url, args, tables))
            took = time.monotonic() - started
            generator_cpu = self_cpu_seconds() - generator_before
            front_cpu = cpu_seconds(server.pid) - cpu_before
            report_mix(args, results, before, rss_kib(server.pid), took)
            cheap = python_summary(results["cheap"]) if results["cheap"] else None
            heavy = python_summary(results["heavy"]) if results["heavy"] else None
            answered = sum(len(r) for r in results.values())
            mean = statistics.mean([e for e, s, _ in results["cheap"] if s == 200] or [0])
            print(f"  - mean cheap latency {mean * 1000:.0f} ms")
        print(
            f"  - front process (HTTP, admission, cache; not the query workers): {front_cpu:.1f} CPU s for "
            f"{answered} requests, {front_cpu / max(answered, 1) * 1e6:.0f} µs a request, "
            f"{front_cpu / took * 100:.0f} % of a core"
        )
        print(
            f"  - load generator ({args.generator}): {generator_cpu:.1f} CPU s, "
            f"{generator_cpu / took * 100:.0f} % of a core"
        )
        print(f"  - {len(tables)} tables; wall time {took:.1f} s")
        if cheap is not None:
            print("  - row: " + table_row(args, cheap, heavy, front_cpu, generator_cpu, took))
    finally:
        server.terminate()
        server.wait(30)


if __name__ == "__main__":
    main()
