"""Hostile feeds: how long ``harvest`` takes to stop each attack, and which bound stops it.

    .venv/bin/python bench/bench_hostile.py

Serves each attack from a real HTTP server on 127.0.0.1 (the one the tests use, ``tests/interop/hostile_server.py``)
and harvests it with the library, timing from the call to the error. Prints one Markdown table for
bench/RESULTS.md, with the load average.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "interop"))

from hostile_server import Answer, HostileServer, drip, endless, fixed, gzip_of_zeros, redirect, sized  # noqa: E402

from hdh_graph.harvest import HarvestError, HarvestLimits, harvest  # noqa: E402
from hdh_graph.settings import Settings  # noqa: E402

GOOD = (ROOT / "tests" / "interop" / "fixtures" / "dcat-samples" / "dataset_health.ttl").read_bytes()
XML = """<?xml version="1.0"?>
{}
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/">
<rdf:Description rdf:about="http://partner.test/d"><dct:title>&e;</dct:title></rdf:Description></rdf:RDF>"""
LAUGHS = (
    '<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">'
    + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    + '<!ENTITY e "&l9;">]>'
)


def _next(base: str, n: int, to: int) -> bytes:
    return (
        f'<http://partner.test/d{n}> a <http://www.w3.org/ns/dcat#Dataset> ; <http://purl.org/dc/terms/title> "t" ;'
        f' <http://purl.org/dc/terms/description> "d" .\n<http://partner.test/v{n}> a '
        f"<http://www.w3.org/ns/hydra/core#PartialCollectionView> ; <http://www.w3.org/ns/hydra/core#next> "
        f"<{base}/page{to}> .\n"
    ).encode()


def cases(server: HostileServer) -> list[tuple[str, str, HarvestLimits, str]]:
    base = server.base
    a = server.answers
    xxe_file = XML.format('<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "file:///etc/passwd">]>').encode()
    a["/xxe-file"] = fixed(xxe_file, "application/rdf+xml")
    xxe_http = XML.format(f'<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{base}/stolen">]>').encode()
    a["/xxe-http"] = fixed(xxe_http, "application/rdf+xml")
    a["/laughs"] = fixed(XML.format(LAUGHS).encode(), "application/rdf+xml")
    ctx = {"@context": "https://elsewhere.test/ctx.jsonld", "@id": "http://partner.test/d"}
    a["/context"] = fixed(json.dumps(ctx).encode(), "application/ld+json")
    a["/to-file"] = redirect("file:///etc/passwd")
    a["/to-metadata"] = redirect("http://169.254.169.254/latest/meta-data/")
    a["/to-ipv6-loopback"] = redirect(f"http://[::1]:{server.port}/x")
    a["/page1"] = fixed(_next(base, 1, 1))
    for n in (2, 3, 4):
        a[f"/page{n}"] = fixed(_next(base, n, 2 + (n - 1) % 3))
    a["/gzip"] = fixed(gzip_of_zeros(1 << 30), headers={"Content-Encoding": "gzip"})
    a["/endless"] = Answer(endless)
    a["/two-gb"] = Answer(lambda: sized(2 << 30), length=2 << 30)
    a["/two-gb-chunked"] = Answer(lambda: sized(2 << 30))
    a["/drip"] = Answer(lambda: drip(GOOD), pause=0.05, length=len(GOOD))
    default = HarvestLimits()
    private = HarvestLimits(allow_hosts=("169.254.169.254",))
    v6 = HarvestLimits(allow_hosts=("::1",))
    return [
        ("RDF/XML external entity `file:///etc/passwd`", "/xxe-file", default, "entities refused"),
        ("RDF/XML external entity to a URL", "/xxe-http", default, "entities refused"),
        ("RDF/XML billion laughs (10^9 bytes expanded)", "/laughs", default, "entities refused"),
        ("JSON-LD remote `@context`", "/context", default, "remote contexts refused"),
        ("redirect to `file:`", "/to-file", default, "http(s) only"),
        ("redirect to 169.254.169.254 (host allowed)", "/to-metadata", private, "public addresses only"),
        ("redirect to [::1] (host allowed)", "/to-ipv6-loopback", v6, "public addresses only"),
        ("`hydra:next` to itself", "/page1", default, "paging loop"),
        ("cycle of 3 pages", "/page2", default, "paging loop"),
        ("gzip bomb (1 GiB of spaces in 1 MB)", "/gzip", default, "max_bytes 200 MiB, inflated"),
        ("endless chunked answer", "/endless", default, "max_bytes 200 MiB"),
        ("2 GB page, length declared", "/two-gb", default, "max_bytes, declared length"),
        ("2 GB page, chunked", "/two-gb-chunked", default, "max_bytes 200 MiB"),
        ("slow drip (1 byte / 50 ms)", "/drip", HarvestLimits(timeout=5.0), "timeout 5 s"),
    ]


def main() -> None:
    rows = []
    with HostileServer() as server, tempfile.TemporaryDirectory() as tmp:
        settings = Settings(catalogue=Path(tmp) / "cat", base_iri="https://catalogue.example.org/")
        for label, path, limits, bound in cases(server):
            start = time.perf_counter()
            try:
                harvest(server.base + path, settings, name="partner", limits=limits)
                outcome = "NOT STOPPED"
            except HarvestError as exc:
                first = str(exc).splitlines()[0].split(": ", 1)[-1].replace(server.base, "")
                outcome = first[:90]
            rows.append((label, bound, time.perf_counter() - start, outcome))
        stolen = "/stolen" in server.requests
    print(f"load average {os.getloadavg()[0]:.1f}; /stolen fetched: {stolen}\n")
    print("| attack | stopped by | time to stop | error (start) |")
    print("|---|---|---:|---|")
    for label, bound, seconds, outcome in rows:
        print(f"| {label} | {bound} | {seconds:.2f} s | {outcome} |")


if __name__ == "__main__":
    main()
