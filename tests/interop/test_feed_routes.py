"""The live feed routes, served by a real uvicorn server on loopback and read by the harvester."""

from __future__ import annotations

import socket
import threading
import time

import httpx
import pyoxigraph as ox
import pytest
import uvicorn
from fastapi import FastAPI

from hdh_graph.feed.routes import router
from hdh_graph.harvest import harvest
from hdh_graph.vocab import DCAT, HYDRA


@pytest.fixture
def live(store, settings):
    app = FastAPI()
    app.include_router(router)
    app.state.store = store
    app.state.settings = settings
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        if server.started:
            break
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=5)


@pytest.mark.server
@pytest.mark.parametrize(
    ("path", "media", "fmt"),
    [
        ("/catalog.ttl", "text/turtle", ox.RdfFormat.TURTLE),
        ("/catalog.jsonld", "application/ld+json", ox.RdfFormat.JSON_LD),
        ("/catalog.rdf", "application/rdf+xml", ox.RdfFormat.RDF_XML),
    ],
)
def test_live_feed_pages_in_each_format(live, path, media, fmt):
    answer = httpx.get(live + path, params={"page": 2, "page_size": 1})
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith(media)
    assert answer.headers["x-total-count"] == "3"
    g = ox.Store()
    g.load(answer.content, format=fmt)
    datasets = [q.object.value for q in g.quads_for_pattern(None, ox.NamedNode(DCAT.dataset), None, None)]
    assert datasets == ["https://catalogue.example.org/dataset/pmsi-mco"]
    nexts = [q.object.value for q in g.quads_for_pattern(None, ox.NamedNode(HYDRA.next), None, None)]
    assert nexts == [f"{live}{path}?page=3&page_size=1"]


@pytest.mark.server
def test_live_feed_filters_by_modified_since_and_refuses_bad_pages(live):
    answer = httpx.get(live + "/catalog.ttl", params={"modified_since": "2025-01-01T00:00:00Z"})
    assert answer.headers["x-total-count"] == "1"
    assert httpx.get(live + "/catalog.ttl", params={"page": 9}).status_code == 404
    assert httpx.get(live + "/catalog.ttl", params={"page": 0}).status_code == 422
    assert httpx.get(live + "/catalog.ttl", params={"modified_since": "yesterday"}).status_code == 422


@pytest.mark.server
def test_our_harvester_reads_our_live_feed_page_by_page(live, settings, tmp_path):
    # another catalogue (its own base IRI) harvests ours: a catalogue never takes records under its own base
    target = settings.with_(catalogue=tmp_path / "other-catalogue", base_iri="https://partner.example.org/")
    report = harvest(live + "/catalog.ttl?page=1&page_size=1", target, name="hdh")
    assert len(report.pages) == 3
    assert report.kept == 3 and report.skipped == []


@pytest.mark.server
def test_dataset_exports_are_served(live):
    croissant = httpx.get(live + "/dataset/dcir/croissant.json")
    assert croissant.status_code == 200 and croissant.json()["recordSet"][0]["name"] == "ER_PRS_F"
    csv_answer = httpx.get(live + "/dataset/dcir/dictionary.csv")
    assert csv_answer.headers["content-type"].startswith("text/csv")
    assert "dcir-dictionary.csv" in csv_answer.headers["content-disposition"]
    assert csv_answer.content.decode("utf-8-sig").splitlines()[1].startswith("ER_PRS_F,BEN_AMA_COD,")
    assert httpx.get(live + "/dataset/nope/dictionary.csv").status_code == 404
    assert httpx.get(live + "/dataset/dcir/other.txt").status_code == 404
