"""Pages across databases: the variables of other databases that hold the same notion (curated mapping records),
and the prose of a database's documentation on dataset and table pages."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from site_helpers import read, search_records

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site


@pytest.fixture
def site(store: ox.Store, settings: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build_site(store, settings, out, search=True)
    return out


def _section(html: str, start: str) -> str:
    return html.split(start, 1)[1].split("</section>", 1)[0]


def test_a_variable_page_shows_the_matching_variable_of_the_other_database(site: Path) -> None:
    matches = _section(read(site, "table/IR_BEN_R/BEN_NIR_PSA/index.html"), 'id="matches"')
    assert 'href="/table/person/person_source_value/"' in matches
    assert 'href="/dataset/omop-cdm/"' in matches
    assert "proche" in matches and "Identifiant pseudonymisé de la personne" in matches
    assert 'href="https://ohdsi.github.io/CommonDataModel/cdm54.html#person"' in matches
    # the target's page shows the record from its side, the inverse property for a broader match
    back = _section(read(site, "en/table/condition_occurrence/condition_source_value/index.html"), 'id="matches"')
    assert 'href="/en/table/T_MCOaaB/DGN_PAL/"' in back and "narrower" in back
    forward = _section(read(site, "en/table/T_MCOaaB/DGN_PAL/index.html"), 'id="matches"')
    assert "broader" in forward and 'href="/en/codelist/CIM10/"' in forward  # through the shared code list


def test_a_variable_without_mapping_has_no_such_section(site: Path) -> None:
    assert 'id="matches"' not in read(site, "table/ER_PRS_F/BEN_AMA_COD/index.html")


def test_the_crossing_page_lists_each_mapping_once_across_databases(site: Path) -> None:
    html = read(site, "crossing/index.html")
    across = html.split('id="across"', 1)[1].split("<h2", 1)[0]
    assert across.count("<tr>") == 2 + 1  # the header row and one row per record
    assert 'href="/table/IR_BEN_R/BEN_NIR_PSA/"' in across and 'href="/table/person/person_source_value/"' in across
    assert 'href="/table/T_MCOaaB/DGN_PAL/"' in across


def test_dataset_and_table_pages_carry_the_documentation_with_source_and_licence(site: Path) -> None:
    for path in ("dataset/dcir/index.html", "table/ER_PRS_F/index.html", "en/table/ER_PRS_F/index.html"):
        docs = _section(read(site, path), 'id="docs"')
        assert "Chaque ligne de la table des prestations décrit un soin remboursé." in docs
        assert 'href="https://github.com/indsante/Documentation-SNDS/blob/main/fiches/prestations.md"' in docs
        assert 'href="http://spdx.org/licenses/MPL-2.0">MPL-2.0</a>' in docs
    assert 'id="docs"' not in read(site, "table/IR_BEN_R/index.html")


def test_the_glossary_page_lists_its_terms_with_definitions_and_the_variables_that_use_them(site: Path) -> None:
    terms = _section(read(site, "vocabulary/glossaire/index.html"), 'id="terms"')
    assert 'id="term-AMA"' in terms and "en années révolues, au jour des soins" in terms
    assert 'href="/table/ER_PRS_F/BEN_AMA_COD/"' in terms and "âge" in terms
    assert 'id="term-PS"' not in terms  # neither defined nor used: a plain code
    term = search_records(site)["/vocabulary/glossaire/#term-AMA"]  # searchable, found at its place on the page
    assert term[2] == "Terme du glossaire" and "révolues" in term[4]


def test_variable_and_table_pages_link_the_glossary_terms_they_use(site: Path) -> None:
    for path in ("table/ER_PRS_F/BEN_AMA_COD/index.html", "table/ER_PRS_F/index.html"):
        links = _section(read(site, path), 'id="glossary"')
        assert 'href="/vocabulary/glossaire/#term-AMA"' in links and "Âge du malade" in links
    assert 'id="glossary"' not in read(site, "table/IR_BEN_R/index.html")
