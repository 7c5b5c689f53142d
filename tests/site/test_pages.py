"""The rendered pages exist where the URL scheme says and carry the catalogue's content."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest
from fastapi import FastAPI, Request, Response
from site_helpers import jsonld_blocks, read

from hdh_graph.api import site_files
from hdh_graph.api.server import BackgroundServer
from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.urls import TWINS


@pytest.fixture
def site(store: ox.Store, settings: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build_site(store, settings, out, search=False)
    return out


@pytest.mark.parametrize(
    "path",
    [
        "dataset/dcir",
        "dataset/snds",
        "dataset/vide",
        "series/T_MCOaaB",
        "table/ER_PRS_F",
        "table/ER_PRS_F/BEN_AMA_COD",
        "codelist/IR_AMA_V",
        "agent/cnam",
    ],
)
def test_every_resource_has_two_pages_and_its_triples_in_the_three_twins_they_link(site: Path, path: str) -> None:
    html = (site / path / "index.html").read_text(encoding="utf-8")
    assert (site / "en" / path / "index.html").is_file()
    # a variable's triples are in its table's twin; every other resource has twins of its own
    twin = path.rsplit("/", 1)[0] if path.count("/") == 2 else path
    for ext, fmt in (("ttl", ox.RdfFormat.TURTLE), ("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)):
        assert f'rel="alternate" type="{TWINS[ext]}" href="/{twin}.{ext}"' in html
        triples = list(ox.parse(path=str(site / f"{twin}.{ext}"), format=fmt))
        assert any(t.subject == ox.NamedNode("https://catalogue.example.org/" + path) for t in triples), ext
    assert path.count("/") < 2 or not (site / f"{path}.ttl").exists()


def test_site_wide_files(site: Path) -> None:
    for rel in (
        "index.html",
        "en/index.html",
        "crossing/index.html",
        "about/index.html",
        "search/index.html",
        "codelist/index.html",
        "agent/index.html",
        "robots.txt",
        "sitemap.xml",
        "static/site.css",
    ):
        assert (site / rel).is_file(), rel
    feed = list(ox.parse(path=str(site / "catalog.ttl"), format=ox.RdfFormat.TURTLE))
    datasets = {t.subject.value for t in feed if t.object == ox.NamedNode("http://www.w3.org/ns/dcat#Dataset")}
    assert "https://catalogue.example.org/dataset/dcir" in datasets
    for ext, fmt in (("jsonld", ox.RdfFormat.JSON_LD), ("rdf", ox.RdfFormat.RDF_XML)):
        assert list(ox.parse(path=str(site / f"catalog.{ext}"), format=fmt))
    sitemap = read(site, "sitemap.xml")
    assert "<loc>https://catalogue.example.org/dataset/dcir/</loc>" in sitemap
    assert "<loc>https://catalogue.example.org/en/table/ER_PRS_F/BEN_AMA_COD/</loc>" in sitemap
    assert "Sitemap: https://catalogue.example.org/sitemap.xml" in read(site, "robots.txt")


def test_dataset_page_content(site: Path) -> None:
    html = read(site, "dataset/dcir/index.html")
    assert '<html lang="fr">' in html
    assert "Datamart de consommation inter-régimes (DCIR)" in html
    assert "Non public : accès sur autorisation" in html  # access conditions
    assert "Caisse nationale de l&#39;Assurance Maladie" in html  # custodian
    assert 'href="https://www.health-data-hub.fr/depot"' in html  # who to ask
    assert "2006 – aujourd&#39;hui" in html  # years
    assert 'href="/table/ER_PRS_F/"' in html and 'href="/table/ER_PRS_F/BEN_AMA_COD/"' in html
    assert "Extrait chaque mois" in html  # provenance
    assert '<svg xmlns="http://www.w3.org/2000/svg" role="img"' in html  # join diagram
    assert 'href="/en/dataset/dcir/" hreflang="en"' in html  # language switch
    for media in ("text/turtle", "application/ld+json", "application/rdf+xml"):
        assert f'<link rel="alternate" type="{media}"' in html
    data = json.loads(jsonld_blocks(html)[0])
    assert data["@type"] == "Dataset"
    assert data["url"] == "https://catalogue.example.org/dataset/dcir/"
    names = {v["name"] for v in data["variableMeasured"]}
    assert {"BEN_AMA_COD", "BEN_NIR_PSA", "BEN_SEX_COD"} <= names
    assert len(data["description"]) >= 50
    assert data["isAccessibleForFree"] is False  # NON_PUBLIC
    assert data["temporalCoverage"] == "2006/.."
    assert data["distribution"] == [
        {
            "@type": "DataDownload",
            "name": "Accès sur la plateforme du Health Data Hub",
            "url": "https://www.health-data-hub.fr/depot",
        }
    ]
    assert "license" not in data  # the fixture states none: none is invented


def test_english_page_falls_back_to_french_and_says_so(site: Path) -> None:
    html = read(site, "en/dataset/pmsi-mco/index.html")
    assert '<html lang="en">' in html
    assert '<span lang="fr">PMSI médecine, chirurgie, obstétrique</span>' in html
    assert "not translated" in html
    assert "This text exists in French only." in html
    translated = read(site, "en/dataset/dcir/index.html")
    assert '<span lang="en">Inter-scheme consumption datamart (DCIR)</span>' in translated
    assert 'href="/dataset/dcir/" hreflang="fr"' in translated


def test_variable_page(site: Path) -> None:
    html = read(site, "table/ER_PRS_F/BEN_AMA_COD/index.html")
    assert "integer" in html and "NUMBER" in html
    assert 'href="/codelist/IR_AMA_V/"' in html
    assert "Calculé à partir de la date de naissance" in html  # business rule
    assert "2006 – aujourd&#39;hui" in html
    shared = read(site, "table/ER_PRS_F/BEN_NIR_PSA/index.html")
    # tables that share a variable of the same name, and the key it refers to
    assert 'href="/table/IR_BEN_R/"' in shared and 'href="/table/T_MCOaaB/"' in shared
    assert 'href="/table/IR_BEN_R/BEN_NIR_PSA/"' in shared


def test_table_page_shows_keys_and_neighbours(site: Path) -> None:
    html = read(site, "table/IR_BEN_R/index.html")
    assert "Tables qui référencent cette table" in html
    assert 'href="/table/ER_PRS_F/"' in html and 'href="/table/T_MCOaaB/"' in html
    assert "<title id=" in html and "<desc id=" in html  # text alternative of the diagram


def test_codelist_and_crossing_pages(site: Path) -> None:
    html = read(site, "codelist/IR_AMA_V/index.html")
    assert "Moins d&#39;un an" in html and "<code>99</code>" in html
    assert 'href="/table/ER_PRS_F/BEN_AMA_COD/"' in html  # used by
    crossing = read(site, "crossing/index.html")
    assert "BEN_NIR_PSA" in crossing and 'href="/table/IR_BEN_R/"' in crossing


def test_large_code_list_is_paged(store: ox.Store, settings: Settings, tmp_path: Path) -> None:
    scheme = ox.NamedNode("https://catalogue.example.org/codelist/BIG")
    skos = "http://www.w3.org/2004/02/skos/core#"
    graph = ox.NamedNode(settings.graph_iri("codelists/big.ttl"))
    store.add(
        ox.Quad(
            scheme, ox.NamedNode("http://purl.org/dc/terms/title"), ox.Literal("Grande liste", language="fr"), graph
        )
    )
    store.add(
        ox.Quad(
            scheme,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(skos + "ConceptScheme"),
            graph,
        )
    )
    for i in range(1203):
        c = ox.NamedNode(f"{scheme.value}/{i:05d}")
        store.add(ox.Quad(c, ox.NamedNode(skos + "inScheme"), scheme, graph))
        store.add(ox.Quad(c, ox.NamedNode(skos + "notation"), ox.Literal(f"{i:05d}"), graph))
    out = tmp_path / "big"
    build_site(store, settings, out, search=False)
    first = read(out, "codelist/BIG/index.html")
    assert "<code>00000</code>" in first and "<code>00500</code>" not in first
    assert 'href="/codelist/BIG/page-3/"' in first
    assert "<code>01202</code>" in read(out, "codelist/BIG/page-3/index.html")
    assert len(list(ox.parse(path=str(out / "codelist/BIG.ttl"), format=ox.RdfFormat.TURTLE))) > 3 * 1203


def test_big_sitemap_is_split_into_an_index(
    store: ox.Store, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hdh_graph.site.publish import sitemap as sitemap

    monkeypatch.setattr(sitemap, "SITEMAP_LIMIT", 10)
    out = tmp_path / "split"
    build_site(store, settings, out, search=False)
    index = read(out, "sitemap.xml")
    assert "<sitemapindex" in index and "<loc>https://catalogue.example.org/sitemap-1.xml</loc>" in index
    parts = sorted(out.glob("sitemap-*.xml"))
    assert len(parts) > 1 and all(read(out, p.name).count("<url>") <= 10 for p in parts)


def test_an_rdf_client_asking_for_a_variable_gets_the_twin_that_describes_it(site: Path) -> None:
    app = FastAPI()

    @app.get("/{rel:path}")
    def page(request: Request, rel: str) -> Response:
        return site_files.serve(request, site, rel)

    column = ox.NamedNode("https://catalogue.example.org/table/ER_PRS_F/BEN_AMA_COD")
    with BackgroundServer(app) as server:
        for accept, fmt in (("text/turtle", ox.RdfFormat.TURTLE), ("application/ld+json", ox.RdfFormat.JSON_LD)):
            for prefix in ("", "/en"):
                response = httpx.get(f"{server.url}{prefix}/table/ER_PRS_F/BEN_AMA_COD", headers={"Accept": accept})
                assert response.status_code == 200
                assert response.headers["content-location"].startswith("/table/ER_PRS_F.")
                assert any(t.subject == column for t in ox.parse(response.content, format=fmt))
        html = httpx.get(server.url + "/table/ER_PRS_F/BEN_AMA_COD", headers={"Accept": "text/html"})
        assert html.headers["content-type"].startswith("text/html")
        missing = httpx.get(server.url + "/table/ER_PRS_F/NO_SUCH_COLUMN", headers={"Accept": "text/turtle"})
        assert missing.status_code == 404  # no page: no twin of the table either


def test_every_page_has_a_description_and_its_language_versions(site: Path) -> None:
    pages = sorted(p for p in site.rglob("*.html") if "static" not in p.parts)
    assert len(pages) > 20
    for page in pages:
        html = page.read_text(encoding="utf-8")
        found = re.search(r'<meta name="description" content="([^"]+)">', html)
        assert found and len(found.group(1).strip()) >= 20, page
        assert '<link rel="alternate" hreflang="fr" href="https://' in html, page
        assert '<link rel="alternate" hreflang="en" href="https://' in html, page
    undescribed = read(site, "en/dataset/vide/index.html")  # a dataset with no description: the site's own words
    assert "catalogue of health databases" in undescribed


def test_pages_link_the_static_files_by_hashed_names_cached_for_a_year(site: Path) -> None:
    """Every page links the site's style sheet, icon and scripts under names that carry their content's hash; the
    files are there under both names, with the same bytes, and the server lets caches keep the hashed ones."""
    html = read(site, "index.html") + read(site, "codelist/IR_AMA_V/index.html") + read(site, "search/index.html")
    linked = set(re.findall(r'(?:href|src)="/static/([^"]+)"', html))
    assert {name.split(".")[0] for name in linked} >= {"site", "favicon", "codes", "search"}
    for name in linked:
        stem, digest, suffix = name.rsplit(".", 2)
        assert re.fullmatch(r"[0-9a-f]{10}", digest), name
        assert (site / "static" / name).read_bytes() == (site / "static" / f"{stem}.{suffix}").read_bytes()
        assert site_files.cache_control(name) == site_files.IMMUTABLE
    assert site_files.cache_control("site.css") != site_files.IMMUTABLE
