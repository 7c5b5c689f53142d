"""Harvesting feeds that attack the harvester: entities, remote contexts, redirects off the host or to private
addresses, paging loops, gzip bombs, endless, huge and dripping answers. Each is stopped with a clear error
naming the page, nothing is fetched that the feed did not name, no local file is read, and the previous
harvest stays as it was. Real server on loopback (``hostile_server``)."""

from __future__ import annotations

import ipaddress
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hostile_server import Answer, HostileServer, drip, endless, fixed, gzip_of_zeros, redirect, sized
from interop_support import BASE, FIXTURES

from hdh_graph.folders import BusyError
from hdh_graph.harvest import HarvestError, HarvestLimits, harvest
from hdh_graph.harvest.guard import is_public
from hdh_graph.settings import Settings

SAMPLES = FIXTURES / "dcat-samples"
GOOD = (SAMPLES / "dataset_health.ttl").read_bytes()
DCAT_AP_CONTEXT = "https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld"

RDF_XML = """<?xml version="1.0"?>
{doctype}
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dct="http://purl.org/dc/terms/"
         xmlns:dcat="http://www.w3.org/ns/dcat#">
  <dcat:Dataset rdf:about="http://partner.test/dataset/1">
    <dct:title>{title}</dct:title>
    <dct:description>A dataset</dct:description>
  </dcat:Dataset>
</rdf:RDF>
"""


def _xml(doctype: str, title: str = "Title") -> bytes:
    return RDF_XML.format(doctype=doctype, title=title).encode()


def _turtle(next_link: str | None = None, n: int = 1) -> bytes:
    paging = ""
    if next_link:
        paging = (
            f"<http://partner.test/catalog?p={n}> a <http://www.w3.org/ns/hydra/core#PartialCollectionView> ;\n"
            f"  <http://www.w3.org/ns/hydra/core#next> <{next_link}> .\n"
        )
    return (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        f'<http://partner.test/dataset/{n}> a dcat:Dataset ; dct:title "Dataset {n}" ; dct:description "D" .\n' + paging
    ).encode()


@pytest.fixture
def server():
    with HostileServer() as running:
        yield running


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(catalogue=tmp_path / "catalogue", base_iri=BASE)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


@pytest.fixture
def previous(server: HostileServer, settings: Settings) -> dict[str, bytes]:
    """A good harvest of 'partner' made first, which every failed harvest must leave as it was."""
    server.answers["/good"] = fixed(GOOD)
    harvest(server.base + "/good", settings, name="partner")
    return _snapshot(settings.catalogue / "harvested" / "partner")


def _refused(server: HostileServer, settings: Settings, path: str, limits: HarvestLimits | None = None) -> str:
    with pytest.raises(HarvestError) as caught:
        harvest(server.base + path, settings, name="partner", limits=limits)
    folder = settings.catalogue / "harvested" / "partner"
    assert sorted(p.name for p in folder.parent.iterdir()) == ["partner"], "a staging folder was left"
    assert caught.value.hint
    return str(caught.value)


# ------------------------------------------------------------------------------------------------- XML entities


def test_external_entity_to_a_local_file_is_refused_unread(server, settings, previous, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE", encoding="utf-8")
    for target in (secret.as_uri(), "file:///etc/passwd"):
        doc = _xml(f'<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{target}">]>', "&e;")
        server.answers["/xxe.rdf"] = fixed(doc, "application/rdf+xml")
        message = _refused(server, settings, "/xxe.rdf")
        assert f"xxe.rdf:2: the document declares the entity 'e' pointing at '{target}'" in message
        assert message.startswith("page 1: ")
        assert _snapshot(settings.catalogue / "harvested" / "partner") == previous
        assert "TOP-SECRET" not in message


def test_external_entity_to_a_url_is_refused_and_never_fetched(server, settings, previous):
    doc = _xml(f'<!DOCTYPE rdf:RDF [<!ENTITY e SYSTEM "{server.base}/stolen">]>', "&e;")
    server.answers["/xxe.rdf"] = fixed(doc, "application/rdf+xml")
    server.answers["/stolen"] = fixed(b"should never be asked for")
    assert "declares the entity 'e'" in _refused(server, settings, "/xxe.rdf")
    assert "/stolen" not in server.requests


@pytest.mark.parametrize(
    ("doctype", "message"),
    [
        (
            '<!DOCTYPE rdf:RDF [<!ENTITY l0 "lol">'
            + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
            + '<!ENTITY e "&l9;">]>',
            "declares the entity 'l0'",
        ),
        ('<!DOCTYPE rdf:RDF [<!ENTITY e "harmless-looking">]>', "declares the entity 'e'"),
        ('<!DOCTYPE rdf:RDF [<!ENTITY % p SYSTEM "file:///etc/passwd"> %p;]>', "parameter entity 'p'"),
        ('<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/x.dtd">', "external DTD"),
    ],
    ids=["billion-laughs", "internal", "parameter", "external-dtd"],
)
def test_entity_declarations_are_refused_before_parsing(server, settings, previous, doctype, message):
    server.answers["/bomb.rdf"] = fixed(_xml(doctype, "&e;" if "ENTITY e" in doctype else "t"), "application/rdf+xml")
    assert message in _refused(server, settings, "/bomb.rdf")
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_a_doctype_without_entities_is_harvested(server, settings):
    server.answers["/plain.rdf"] = fixed(_xml("<!DOCTYPE rdf:RDF>"), "application/rdf+xml")
    report = harvest(server.base + "/plain.rdf", settings, name="plain")
    assert report.added == ["http://partner.test/dataset/1"]


# --------------------------------------------------------------------------------------------- JSON-LD contexts


def test_an_unknown_remote_context_is_refused_and_never_fetched(server, settings, previous):
    doc = {"@context": f"{server.base}/context.jsonld", "@id": "http://partner.test/dataset/1", "@type": "Dataset"}
    server.answers["/feed.jsonld"] = fixed(json.dumps(doc).encode(), "application/ld+json")
    server.answers["/context.jsonld"] = fixed(b'{"@context": {}}', "application/ld+json")
    message = _refused(server, settings, "/feed.jsonld")
    assert f"the JSON-LD @context '{server.base}/context.jsonld' is remote" in message
    assert DCAT_AP_CONTEXT in message  # the hint lists the contexts shipped
    assert "/context.jsonld" not in server.requests
    nested = {"@context": [{"dct": "http://purl.org/dc/terms/"}, {"@import": "https://elsewhere.test/c.jsonld"}]}
    server.answers["/feed.jsonld"] = fixed(json.dumps(nested).encode(), "application/ld+json")
    message = _refused(server, settings, "/feed.jsonld")
    assert "the JSON-LD @import 'https://elsewhere.test/c.jsonld' is remote" in message


def test_the_dcat_ap_context_is_used_from_the_copy_shipped(server, settings):
    doc = {
        "@context": DCAT_AP_CONTEXT,
        "@graph": [
            {
                "@id": "http://partner.test/dataset/7",
                "@type": "Dataset",
                "title": ["Seven"],
                "description": ["The seventh dataset"],
            }
        ],
    }
    server.answers["/feed.jsonld"] = fixed(json.dumps(doc).encode(), "application/ld+json")
    report = harvest(server.base + "/feed.jsonld", settings, name="ap")
    assert report.added == ["http://partner.test/dataset/7"]
    [record] = [p for p in report.folder.glob("7-*.ttl")]
    assert '"Seven"' in record.read_text(encoding="utf-8")


# ---------------------------------------------------------------------------------------- redirects and hosts


def test_redirects_to_files_and_other_schemes_are_refused(server, settings, previous):
    for location in ("file:///etc/passwd", "ftp://127.0.0.1/feed.ttl", "gopher://127.0.0.1:70/x"):
        server.answers["/moved"] = redirect(location)
        message = _refused(server, settings, "/moved")
        assert f"leads to {location!r}: only http and https addresses are followed" in message
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_redirects_to_another_host_are_refused_unless_allowed(server, settings, previous):
    server.answers["/moved"] = redirect(f"http://localhost:{server.port}/good")
    message = _refused(server, settings, "/moved")
    assert "leads to another host, localhost (the source is on 127.0.0.1)" in message
    assert "HDH_HARVEST_ALLOW_HOSTS=localhost" in message
    assert server.requests.count("/good") == 1  # only the first, good harvest
    report = harvest(server.base + "/moved", settings, name="partner", limits=HarvestLimits(allow_hosts=("localhost",)))
    assert report.kept == 1 and server.requests.count("/good") == 2


@pytest.mark.parametrize(
    "host",
    ["127.0.0.2", "169.254.169.254", "[::1]", "[fe80::1]", "[::ffff:127.0.0.2]", "[::ffff:169.254.169.254]"],
)
def test_redirects_to_other_private_addresses_are_refused_before_connecting(server, settings, previous, host):
    # The source (127.0.0.1) is trusted because it was named; any other non-public address is not, even on a
    # host the operator allows: the redirect is refused before a packet is sent.
    server.answers["/moved"] = redirect(f"http://{host}:{server.port}/good")
    limits = HarvestLimits(allow_hosts=(host.strip("[]").lower(),))
    message = _refused(server, settings, "/moved", limits)
    assert f"{host.strip('[]')} is a private, loopback or link-local address" in message
    assert "HDH_HARVEST_ALLOW_PRIVATE" in message
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_a_private_network_the_operator_lists_is_connected_to(server, settings):
    # 127.0.0.2 is allowed: the harvester connects, and finds nothing listening there.
    server.answers["/moved"] = redirect(f"http://127.0.0.2:{server.port}/good")
    limits = HarvestLimits(allow_hosts=("127.0.0.2",), allow_private="127.0.0.2/32")
    with pytest.raises(HarvestError) as caught:
        harvest(server.base + "/moved", settings, name="partner", limits=limits)
    assert "private" not in str(caught.value) and "127.0.0.2" in str(caught.value)


def test_an_environment_proxy_is_not_used(server, settings, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    server.answers["/good"] = fixed(GOOD)
    assert harvest(server.base + "/good", settings, name="p").kept == 1


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.1.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("::", False),
        ("fe80::1", False),
        ("fc00::1", False),
        ("fd12:3456::1", False),
        ("::ffff:127.0.0.1", False),
        ("::ffff:169.254.169.254", False),
        ("64:ff9b::a9fe:a9fe", False),  # NAT64 of 169.254.169.254
        ("2002:a9fe:a9fe::1", False),  # 6to4 of 169.254.169.254
        ("ff02::1", False),
    ],
)
def test_which_addresses_count_as_public(address, public):
    assert is_public(ipaddress.ip_address(address)) is public


# -------------------------------------------------------------------------------------------------- paging


def test_a_page_that_names_itself_next_is_a_paging_loop(server, settings, previous):
    server.answers["/feed?p=1"] = fixed(_turtle(f"{server.base}/feed?p=1"))
    message = _refused(server, settings, "/feed?p=1")
    assert message.startswith("page 2: ") and "paging loop" in message
    assert server.requests.count("/feed?p=1") == 1


def test_a_cycle_of_pages_is_a_paging_loop(server, settings, previous):
    for n in (1, 2, 3):
        server.answers[f"/feed?p={n}"] = fixed(_turtle(f"{server.base}/feed?p={n % 3 + 1}", n))
    message = _refused(server, settings, "/feed?p=1")
    assert message.startswith("page 4: ") and "paging loop" in message
    assert server.requests[-3:] == ["/feed?p=1", "/feed?p=2", "/feed?p=3"]
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_endless_distinct_pages_stop_at_max_pages(server, settings, previous):
    for n in range(1, 8):
        server.answers[f"/feed?p={n}"] = fixed(_turtle(f"{server.base}/feed?p={n + 1}", n))
    message = _refused(server, settings, "/feed?p=1", HarvestLimits(max_pages=5))
    assert message.startswith("page 6: ") and "more than 5 pages" in message
    assert "/feed?p=6" not in server.requests


@pytest.mark.parametrize(
    ("link", "message"),
    [
        ("file:///etc/passwd", "only http and https addresses are followed"),
        ("http://elsewhere.test/feed?p=2", "leads to another host, elsewhere.test"),
        ("http://169.254.169.254/latest/meta-data/", "leads to another host, 169.254.169.254"),
    ],
)
def test_paging_links_off_the_host_are_refused(server, settings, previous, link, message):
    server.answers["/feed?p=1"] = fixed(_turtle(link))
    text = _refused(server, settings, "/feed?p=1")
    assert text.startswith("page 2: ") and "its hydra:next link" in text and message in text


def test_a_file_source_pages_only_to_files_beside_it(settings, tmp_path):
    outside = tmp_path / "outside.ttl"
    outside.write_bytes(_turtle(n=9))
    folder = tmp_path / "feed"
    folder.mkdir()
    (folder / "p1.ttl").write_bytes(_turtle(outside.as_uri()))
    with pytest.raises(HarvestError, match="the pages of a file source must be files in its folder"):
        harvest(str(folder / "p1.ttl"), settings, name="local")
    (folder / "p1.ttl").write_bytes(_turtle((folder / "p2.ttl").as_uri()))
    (folder / "p2.ttl").write_bytes(_turtle(n=2))
    assert harvest(str(folder / "p1.ttl"), settings, name="local").kept == 2


# ------------------------------------------------------------------------------------------ size and time bounds


def test_a_gzip_bomb_stops_at_max_bytes_inflated(server, settings, previous):
    bomb = gzip_of_zeros(64 << 20)  # 64 MiB of spaces in about 64 kB
    server.answers["/bomb.ttl"] = fixed(bomb, headers={"Content-Encoding": "gzip"})
    message = _refused(server, settings, "/bomb.ttl", HarvestLimits(max_bytes=4 << 20))
    assert f"document inflates to more than {4 << 20} bytes" in message
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_a_gzip_answer_within_bounds_is_inflated(server, settings):
    import gzip

    server.answers["/feed.ttl"] = fixed(gzip.compress(GOOD), headers={"Content-Encoding": "gzip"})
    assert harvest(server.base + "/feed.ttl", settings, name="gz").kept == 1


def test_an_unknown_content_encoding_is_refused(server, settings, previous):
    server.answers["/feed.ttl"] = fixed(b"\x00\x01", headers={"Content-Encoding": "br"})
    assert "content encoded as 'br', which is not read" in _refused(server, settings, "/feed.ttl")


def test_an_endless_chunked_answer_stops_at_max_bytes(server, settings, previous):
    server.answers["/endless.ttl"] = Answer(endless)
    assert "larger than 2000000 bytes" in _refused(server, settings, "/endless.ttl", HarvestLimits(max_bytes=2_000_000))


def test_a_2_gb_page_is_refused(server, settings, previous):
    two_gb = 2 << 30
    server.answers["/huge.ttl"] = Answer(lambda: sized(two_gb), length=two_gb)  # declared: refused unread
    assert "larger than" in _refused(server, settings, "/huge.ttl")
    server.answers["/huge-chunked.ttl"] = Answer(lambda: sized(two_gb))  # undeclared: stopped while reading
    limits = HarvestLimits(max_bytes=8 << 20)
    assert f"larger than {8 << 20} bytes" in _refused(server, settings, "/huge-chunked.ttl", limits)
    assert _snapshot(settings.catalogue / "harvested" / "partner") == previous


def test_a_slow_drip_stops_at_the_document_timeout(server, settings, previous):
    server.answers["/drip.ttl"] = Answer(lambda: drip(GOOD), pause=0.05, length=len(GOOD))
    message = _refused(server, settings, "/drip.ttl", HarvestLimits(timeout=1.0))
    assert "no complete answer within 1 s" in message and "--timeout" in message


def test_headers_that_never_come_stop_at_the_document_timeout(server, settings, previous):
    server.answers["/silent.ttl"] = fixed(GOOD, wait=3.0)
    assert "no complete answer within 0.5 s" in _refused(server, settings, "/silent.ttl", HarvestLimits(timeout=0.5))


def test_the_whole_harvest_has_a_time_bound(server, settings, previous):
    for n in range(1, 20):
        server.answers[f"/feed?p={n}"] = Answer(
            lambda n=n: drip(_turtle(f"{server.base}/feed?p={n + 1}", n)), pause=0.002
        )
    message = _refused(server, settings, "/feed?p=1", HarvestLimits(max_seconds=1.0))
    assert "the harvest has taken more than 1 s in all" in message


# --------------------------------------------------------------------------------------- what a record may say


def test_records_never_describe_the_catalogues_own_resources(server, settings):
    feed = f"""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
<{BASE}dataset/snds> a dcat:Dataset ; dct:title "Hijacked" ; dct:description "Rewritten by a partner" .
<http://partner.test/dataset/1> a dcat:Dataset ; dct:title "Ours" ; dct:description "D" ;
    dct:isPartOf <{BASE}dataset/snds> ; dct:publisher <{BASE}agent/hdh> .
<{BASE}agent/hdh> <http://xmlns.com/foaf/0.1/name> "A new name for the hub" .
""".encode()
    server.answers["/feed.ttl"] = fixed(feed)
    report = harvest(server.base + "/feed.ttl", settings, name="p")
    assert report.skipped == [
        f"{BASE}dataset/snds: the dataset IRI is under this catalogue's own base IRI {BASE}: a harvested record "
        "may not describe the catalogue's resources (refused)"
    ]
    assert report.notes == [
        f"http://partner.test/dataset/1: 1 triple(s) about <{BASE}agent/hdh>, a resource of this "
        "catalogue, dropped (a harvest may only link to it)"
    ]
    text = "".join(p.read_text(encoding="utf-8") for p in report.folder.glob("*.ttl"))
    assert "Hijacked" not in text and "A new name" not in text
    assert f"<{BASE}dataset/snds>" in text  # the link itself is kept


def test_only_web_links_are_kept(server, settings):
    feed = b"""@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix foaf: <http://xmlns.com/foaf/0.1/> .
<http://partner.test/dataset/1> a dcat:Dataset ; dct:title "T" ; dct:description "D" ;
    dcat:landingPage <javascript:alert(1)>, <https://partner.test/page> ;
    foaf:page <file:///etc/passwd>, <data:text/html,hi> ;
    dcat:contactPoint [ vcard:hasEmail <mailto:data@partner.test> ] ;
    dcat:distribution <http://partner.test/dataset/1/ftp> .
<http://partner.test/dataset/1/ftp> dcat:accessURL <ftp://partner.test/file.csv> .
<urn:uuid:1234> a dcat:Dataset ; dct:title "T" ; dct:description "D" .
"""
    server.answers["/feed.ttl"] = fixed(feed)
    report = harvest(server.base + "/feed.ttl", settings, name="p")
    assert report.skipped == [
        "http://partner.test/dataset/1: distribution <http://partner.test/dataset/1/ftp> has no dcat:accessURL "
        "(mandatory in DCAT-AP)",
        "urn:uuid:1234: the dataset IRI is not an http(s) IRI (scheme urn:; refused)",
    ]
    feed = feed.replace(b"dcat:distribution <http://partner.test/dataset/1/ftp> .", b".")
    server.answers["/feed.ttl"] = fixed(feed)
    report = harvest(server.base + "/feed.ttl", settings, name="p")
    assert report.notes == [
        "http://partner.test/dataset/1: 1 triple(s) with a data: IRI dropped (only http and https links are kept)",
        "http://partner.test/dataset/1: 1 triple(s) with a file: IRI dropped (only http and https links are kept)",
        "http://partner.test/dataset/1: 1 triple(s) with a javascript: IRI dropped (only http and https links are "
        "kept)",
    ]
    [text] = [p.read_text(encoding="utf-8") for p in report.folder.glob("1-*.ttl")]
    assert "javascript:" not in text and "file:" not in text and "data:" not in text
    assert "<https://partner.test/page>" in text and "<mailto:data@partner.test>" in text


# ------------------------------------------------------------------------------------- ownership and the lock


def test_a_folder_with_files_a_harvest_did_not_write_is_never_replaced(server, settings):
    folder = settings.catalogue / "harvested" / "partner"
    folder.mkdir(parents=True)
    (folder / "notes.ttl").write_text("# my own notes\n", encoding="utf-8")
    server.answers["/good"] = fixed(GOOD)
    with pytest.raises(HarvestError, match=r"holds files that `hdh harvest` did not write \(notes.ttl\)"):
        harvest(server.base + "/good", settings, name="partner")
    assert sorted(p.name for p in folder.iterdir()) == ["notes.ttl"]
    assert server.requests == []  # refused before anything is fetched
    elsewhere = settings.catalogue / "mine"
    elsewhere.mkdir()
    (settings.catalogue / "harvested" / "linked").symlink_to(elsewhere)
    with pytest.raises(HarvestError, match="not a folder written by `hdh harvest`"):
        harvest(server.base + "/good", settings, name="linked")
    assert list(elsewhere.iterdir()) == []


def test_two_harvests_at_once_are_serialised_by_a_lock(server, settings):
    root = settings.catalogue / "harvested"
    root.mkdir(parents=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDONLY); fcntl.flock(fd, fcntl.LOCK_EX); "
            "print('held', flush=True); time.sleep(30)",
            str(root),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        server.answers["/good"] = fixed(GOOD)
        with pytest.raises(BusyError, match="is being written by another process") as caught:
            harvest(server.base + "/good", settings, name="partner")
        assert "wait for the other harvest" in str(caught.value)
    finally:
        holder.kill()
        holder.wait()
        assert holder.stdout is not None
        holder.stdout.close()
    assert harvest(server.base + "/good", settings, name="partner").kept == 1


def test_settings_give_the_bounds(tmp_path):
    env = {
        "HDH_HARVEST_MAX_BYTES": "1000",
        "HDH_HARVEST_TIMEOUT": "2.5",
        "HDH_HARVEST_MAX_PAGES": "3",
        "HDH_HARVEST_MAX_REDIRECTS": "1",
        "HDH_HARVEST_MAX_SECONDS": "9",
        "HDH_HARVEST_ALLOW_HOSTS": "a.test, B.test",
        "HDH_HARVEST_ALLOW_PRIVATE": "10.0.0.0/8",
    }
    limits = HarvestLimits.from_settings(Settings.from_env(env, catalogue=tmp_path))
    assert limits == HarvestLimits(1000, 2.5, 1, 3, 9.0, ("a.test", "b.test"), "10.0.0.0/8")
    assert os.environ.get("HDH_HARVEST_MAX_BYTES") is None
