"""The register of projects on the site: a page per project, the list of projects, and each dataset's projects."""

from __future__ import annotations

import shutil
from pathlib import Path

from site_catalogue import load_catalogue
from site_helpers import read, search_records

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site

EXAMPLES = Path(__file__).parents[1] / "fixtures" / "projects" / "register-examples.ttl"


def _site(settings: Settings, tmp_path: Path, with_projects: bool) -> Path:
    if with_projects:
        (settings.catalogue / "projects").mkdir()
        shutil.copy(EXAMPLES, settings.catalogue / "projects" / "register-examples.ttl")
    out = tmp_path / "out"
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=True)
    return out


def test_a_project_has_its_page_with_purpose_team_data_and_decision(settings: Settings, tmp_path: Path) -> None:
    site = _site(settings, tmp_path, with_projects=True)
    html = read(site, "project/example-heart-failure/index.html")
    assert "EXEMPLE – Parcours de soins après une hospitalisation pour insuffisance cardiaque" in html
    assert 'href="/dataset/dcir/"' in html and 'href="/dataset/pmsi-mco/"' in html  # the data it uses
    assert "EXEMPLE-2021-001" in html and "2021-06-10" in html  # the decision that allowed it
    assert search_records(site)["/project/example-heart-failure/"][2] == "Projet"  # in the site's search
    assert "2021-09-01 – 2023-03-31" in html  # its period
    assert "EXEMPLE – Rapport de résultats (publication fictive)" in html and "2023-06-15" in html
    english = read(site, "en/project/example-heart-failure/index.html")
    assert "EXAMPLE – Care pathway after a hospital stay for heart failure" in english
    assert "Decision that allowed it" in english
    ongoing = read(site, "project/example-warehouse-study/index.html")
    assert "2024-01-15 – en cours" in ongoing
    listing = read(site, "project/index.html")
    assert 'href="/project/example-heart-failure/"' in listing and 'href="/project/example-warehouse-study/"' in listing


def test_each_dataset_page_lists_the_projects_that_use_it(settings: Settings, tmp_path: Path) -> None:
    site = _site(settings, tmp_path, with_projects=True)
    dcir = read(site, "dataset/dcir/index.html")
    assert "Projets qui utilisent ces données" in dcir
    assert 'href="/project/example-heart-failure/"' in dcir
    assert 'href="/project/example-warehouse-study/"' not in dcir  # it does not use the DCIR
    pmsi = read(site, "dataset/pmsi-mco/index.html")
    assert 'href="/project/example-heart-failure/"' in pmsi and 'href="/project/example-warehouse-study/"' in pmsi


def test_without_a_register_no_dataset_page_speaks_of_projects(settings: Settings, tmp_path: Path) -> None:
    site = _site(settings, tmp_path, with_projects=False)
    assert "Projets qui utilisent ces données" not in read(site, "dataset/dcir/index.html")
    assert not (site / "project" / "example-heart-failure").exists()
