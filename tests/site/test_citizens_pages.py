"""The pages for citizens: a page per database, its topics and statements in order, each with its source; linked
from every dataset page; readable (a French reading-ease score on the catalogue's own statements)."""

from __future__ import annotations

import re
import shutil
from html import unescape
from pathlib import Path

import pyoxigraph as ox
import pytest
import textstat
from site_catalogue import BASE, load_catalogue
from site_helpers import read

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site

CATALOGUE = Path(__file__).parents[2] / "catalogue"
MIN_READING_EASE = 60
"""Kandel–Moles reading ease (Flesch's formula adapted to French: 207 − 1.015 × words per sentence − 73.6 ×
syllables per word), from 0 (very hard) to 100 (very easy): 60 and above reads as plain French."""
MEAN_WORDS = 20
"""Words per statement on average: short sentences (plain-language guides advise 15 to 20)."""
MAX_WORDS = 32
"""Words in the longest statement: one sentence, two lines at most."""


@pytest.fixture
def site(store: ox.Store, settings: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    build_site(store, settings, out, search=False)
    return out


def _statements(html: str) -> list[str]:
    """The texts of the statements of a page (without their sources)."""
    items = re.findall(r'<ul class="statements">(.*?)</ul>', html, flags=re.S)
    found = re.findall(r"<li><span lang=\"[a-z]+\">(.*?)</span>", "".join(items), flags=re.S)
    return [unescape(text) for text in found]


def test_a_database_page_gives_its_topics_and_statements_in_order_with_sources(site: Path) -> None:
    html = read(site, "citizens/snds/index.html")
    assert html.index('id="WhatItContains"') < html.index('id="YourRights"')  # by the topics' positions
    assert _statements(html) == [
        "Le SNDS ne contient ni votre nom, ni votre adresse.",
        "Vous avez le droit d'être informé.",
        "Vous pouvez vous opposer à l'usage de vos données.",
    ]
    assert html.count('href="https://example.org/droits"') == 2 and ">Vos droits (exemple)</span></a>" in html
    assert 'href="/agent/cnam/"' in html  # the body a statement names
    english = read(site, "en/citizens/snds/index.html")
    assert "You may object to the use of your data." in english and ">Your rights (example)</span></a>" in english
    index = read(site, "citizens/index.html")
    assert 'href="/citizens/snds/"' in index
    topic = read(site, "citizens/snds/rights/index.html")
    assert _statements(topic)[0] == "Vous avez le droit d'être informé." and 'href="/citizens/snds/"' in topic


def test_every_dataset_page_links_to_the_page_for_citizens(site: Path) -> None:
    # the SNDS and its products go to the SNDS's page; a database without topics to the index
    for path in ("dataset/snds", "dataset/dcir", "dataset/vide", "en/dataset/pmsi-mco"):
        prefix = "/en" if path.startswith("en/") else ""
        assert f'<a href="{prefix}/citizens/snds/">' in read(site, f"{path}/index.html"), path
    assert '<a href="/citizens/">' in read(site, "dataset/omop-cdm/index.html")


@pytest.fixture
def catalogue_site(tmp_path: Path) -> Path:
    """The catalogue's own pages for citizens, with the databases they are about."""
    folder = tmp_path / "catalogue"
    for rel in ("catalog.ttl", "agents.ttl", "snds/snds.ttl", "omop/omop-cdm.ttl", "citizens"):
        target = folder / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        copy = shutil.copytree if (CATALOGUE / rel).is_dir() else shutil.copy
        copy(CATALOGUE / rel, target)
    settings = Settings(catalogue=folder, store=tmp_path / "store", base_iri=BASE, site=tmp_path / "site")
    out = tmp_path / "out"
    build_site(load_catalogue(folder, settings), settings, out, search=False)
    return out


@pytest.mark.parametrize("database", ["snds", "omop-cdm"])
def test_the_catalogue_pages_for_citizens_read_as_plain_french(catalogue_site: Path, database: str) -> None:
    statements = _statements(read(catalogue_site, f"citizens/{database}/index.html"))
    assert len(statements) >= 10
    textstat.set_lang("fr")
    ease = textstat.flesch_reading_ease(" ".join(statements))
    assert ease >= MIN_READING_EASE, f"reading ease {ease:.0f}"
    words = [len(s.split()) for s in statements]
    assert sum(words) / len(words) <= MEAN_WORDS
    assert [s for s in statements if len(s.split()) > MAX_WORDS] == [], "shorten these statements"
    english = _statements(read(catalogue_site, f"en/citizens/{database}/index.html"))
    assert len(english) == len(statements)  # every statement in both languages
