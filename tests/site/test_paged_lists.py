"""Long code lists are cut into pages, and the pager links a few pages around the current one at any size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from site_catalogue import load_catalogue
from site_helpers import read

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.pages import overview

CODES = 40


@pytest.fixture
def site(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    lines = [
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .",
        "@base <https://catalogue.example.org/> .",
        '<codelist/LONG> a skos:ConceptScheme ; skos:prefLabel "Liste longue"@fr .',
    ]
    lines += [
        f'<codelist/LONG/{i:02d}> a skos:Concept ; skos:inScheme <codelist/LONG> ; skos:notation "{i:02d}" ;'
        f' skos:prefLabel "Code {i}"@fr .'
        for i in range(CODES)
    ]
    (settings.catalogue / "codelists" / "long.ttl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(overview, "CODES_PER_PAGE", 3)  # 40 codes: 14 pages; IR_AMA_V's 3 codes: 1 page
    store = load_catalogue(settings.catalogue, settings)
    out = tmp_path / "out"
    build_site(store, settings, out, search=False)
    return out


def pager(html: str) -> list[str]:
    """The pager's items in order: link texts, the current page as ``[n]``, gaps as ``…``."""
    nav = re.search(r'<nav class="pager".*?</nav>', html, flags=re.S)
    assert nav, "no pager"
    items = re.findall(r"<li[^>]*>(.*?)</li>", nav.group(0), flags=re.S)
    return [
        re.sub(r'<span aria-current="page">(\d+)</span>', r"[\1]", re.sub(r"<a [^>]*>(.*?)</a>", r"\1", i))
        for i in items
    ]


def test_every_code_is_on_exactly_one_page_in_order(site: Path) -> None:
    seen: list[str] = []
    for n in range(1, 15):
        page = "codelist/LONG/index.html" if n == 1 else f"codelist/LONG/page-{n}/index.html"
        seen += re.findall(r'<th scope="row"><code>(\d+)</code>', read(site, page))
    assert seen == [f"{i:02d}" for i in range(CODES)]
    assert not (site / "codelist/LONG/page-15").exists()


def test_the_pager_shows_the_ends_and_two_pages_either_side(site: Path) -> None:
    assert pager(read(site, "codelist/LONG/index.html")) == ["[1]", "2", "3", "…", "14", "Suivante »"]
    middle = pager(read(site, "codelist/LONG/page-7/index.html"))
    assert middle == ["« Précédente", "1", "…", "5", "6", "[7]", "8", "9", "…", "14", "Suivante »"]
    assert pager(read(site, "en/codelist/LONG/page-14/index.html")) == ["« Previous", "1", "…", "12", "13", "[14]"]


def test_pager_links_go_to_the_pages_they_name(site: Path) -> None:
    html = read(site, "codelist/LONG/page-7/index.html")
    assert 'rel="prev" href="/codelist/LONG/page-6/"' in html
    assert 'rel="next" href="/codelist/LONG/page-8/"' in html
    assert 'href="/codelist/LONG/">1</a>' in html
    assert '<li class="gap" aria-hidden="true">' in html


def test_a_single_page_list_has_no_pager_and_the_users_are_on_the_first_page(site: Path) -> None:
    first = read(site, "codelist/IR_AMA_V/index.html")
    assert '<nav class="pager"' not in first
    assert "BEN_AMA_COD" in first  # the variable that uses it
    later = read(site, "codelist/LONG/page-2/index.html")
    assert "sur sa première page" in later and 'href="/codelist/LONG/"' in later


def rows(html: str) -> list[str]:
    return re.findall(r"<tr><th scope=\"row\"><code>.*?</tr>", html)


def test_rows_of_a_one_language_list_are_the_same_on_both_language_versions(site: Path) -> None:
    fr, en = read(site, "codelist/LONG/page-2/index.html"), read(site, "en/codelist/LONG/page-2/index.html")
    assert rows(fr) == rows(en) and len(rows(fr)) == 3
    assert '<span lang="fr">Code 3</span>' in rows(en)[0]


def test_a_bilingual_list_shows_each_language_its_labels(settings: Settings, tmp_path: Path) -> None:
    (settings.catalogue / "codelists" / "sexe.ttl").write_text(
        "@prefix skos: <http://www.w3.org/2004/02/skos/core#> .\n@base <https://catalogue.example.org/> .\n"
        '<codelist/SEXE> a skos:ConceptScheme ; skos:prefLabel "Sexe"@fr .\n'
        '<codelist/SEXE/1> skos:inScheme <codelist/SEXE> ; skos:notation "1" ;'
        ' skos:prefLabel "Masculin"@fr, "Male"@en .\n'
        '<codelist/SEXE/2> skos:inScheme <codelist/SEXE> ; skos:notation "2" ; skos:prefLabel "Féminin"@fr .\n',
        encoding="utf-8",
    )
    out = tmp_path / "bilingual"
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)
    fr, en = rows(read(out, "codelist/SEXE/index.html")), rows(read(out, "en/codelist/SEXE/index.html"))
    assert '<span lang="fr">Masculin</span>' in fr[0] and '<span lang="en">Male</span>' in en[0]
    assert '<span lang="fr">Féminin</span>' in fr[1] and '<span lang="fr">Féminin</span>' in en[1]
