"""The served app carries the live DCAT feed under /api: paged, in three formats, with downloads."""

from __future__ import annotations

import httpx
import pyoxigraph as ox

HYDRA = "http://www.w3.org/ns/hydra/core#"
DCAT = "http://www.w3.org/ns/dcat#"


def test_live_feed_is_paged_and_parses(client: httpx.Client) -> None:
    response = client.get("/api/catalog.ttl", params={"page_size": 1})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    total = int(response.headers["X-Total-Count"])
    assert total >= 1
    graph = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    datasets = {q.object for q in graph if q.predicate.value == DCAT + "dataset"}
    assert len(datasets) == 1
    if total > 1:
        nexts = [q.object.value for q in graph if q.predicate.value == HYDRA + "next"]
        assert nexts and "page=2" in nexts[0]


def test_live_feed_other_formats(client: httpx.Client) -> None:
    jsonld = client.get("/api/catalog.jsonld")
    assert jsonld.status_code == 200
    assert list(ox.parse(jsonld.content, format=ox.RdfFormat.JSON_LD))
    rdfxml = client.get("/api/catalog.rdf")
    assert rdfxml.status_code == 200
    assert list(ox.parse(rdfxml.content, format=ox.RdfFormat.RDF_XML))


def test_bad_page_is_a_client_error(client: httpx.Client) -> None:
    assert client.get("/api/catalog.ttl", params={"page": 0}).status_code == 422


def test_feed_pages_are_kept_and_revalidate_with_304(client: httpx.Client) -> None:
    first = client.get("/api/catalog.ttl", params={"page_size": 2})
    second = client.get("/api/catalog.ttl", params={"page_size": 2})
    assert first.status_code == second.status_code == 200 and first.content == second.content
    etag = first.headers["etag"]
    assert etag == second.headers["etag"]
    assert client.get("/api/catalog.ttl", params={"page_size": 3}).headers["etag"] != etag  # another page
    again = client.get("/api/catalog.ttl", params={"page_size": 2}, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    head = client.head("/api/catalog.ttl", params={"page_size": 2})
    assert head.status_code == 200 and head.content == b"" and head.headers["etag"] == etag
