"""Hostile literals are escaped; missing text and missing parts still give pages that say what is missing."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest
from site_helpers import jsonld_blocks, read

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.pages.jsonld import script_json


@pytest.fixture
def site(store: ox.Store, settings: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build_site(store, settings, out, search=False)
    return out


def test_markup_in_literals_is_escaped(site: Path) -> None:
    for rel in (
        "table/ER_PRS_F/PRS_REM_MNT/index.html",
        "en/table/ER_PRS_F/PRS_REM_MNT/index.html",
        "dataset/dcir/index.html",
        "table/ER_PRS_F/index.html",
    ):
        html = read(site, rel)
        assert "<script>alert" not in html, rel
        assert "&lt;/script&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html, rel
        assert "&lt;b&gt;gras&lt;/b&gt;" in html and "&amp;" in html
    codes = read(site, "codelist/IR_AMA_V/index.html")
    assert "<img src=x" not in codes and "&lt;img src=x onerror=alert(1)&gt;" in codes


def test_script_end_inside_jsonld_cannot_close_the_element(site: Path) -> None:
    html = read(site, "dataset/dcir/index.html")
    (block,) = jsonld_blocks(html)  # the regex stops at the first </script>: one block means none inside
    assert "</" not in block and "<script" not in block.lower()
    data = json.loads(block)
    described = {v["name"]: v["description"] for v in data["variableMeasured"]}
    assert described["PRS_REM_MNT"] == "Montant \"remboursé\" </script><script>alert('x')</script> & <b>gras</b>"


@pytest.mark.parametrize("text", ["</script>", "<!-- <script>", "a & b > c", "\u2028"])
def test_script_json_round_trips(text: str) -> None:
    out = script_json({"t": text})
    assert "<" not in out and ">" not in out and "&" not in out and "\u2028" not in out
    assert json.loads(out) == {"t": text}


def test_dataset_without_description_nor_variables_says_so(site: Path) -> None:
    html = read(site, "dataset/vide/index.html")
    assert "Aucune description n&#39;est encore disponible." in html
    assert "Aucune variable n&#39;est décrite pour le moment." in html
    assert "Aucune table n&#39;est décrite pour cette base." in html
    assert "Aucun contact n&#39;est indiqué pour cette base." in html
    en = read(site, "en/dataset/vide/index.html")
    assert "No description is available yet." in en and "No variable is described yet." in en
    data = json.loads(jsonld_blocks(html)[0])
    assert len(data["description"]) >= 50 and "variableMeasured" not in data


def test_code_list_without_codes_says_why(site: Path) -> None:
    html = read(site, "codelist/IR_NAT_V/index.html")
    assert "La liste des codes n&#39;est pas publiée par la source." in html
    assert "La table de valeurs n&#39;est pas publiée par la source." in html


def test_link_to_an_undescribed_organisation_is_not_a_dead_link(site: Path) -> None:
    html = read(site, "dataset/pmsi-mco/index.html")
    assert "atih" in html and "non décrit dans le catalogue" in html
    assert 'href="/agent/atih/"' not in html
