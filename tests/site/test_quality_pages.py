"""Dataset pages show their metadata quality: the MQA total and one bar per dimension (the figures of
``hdh_graph.quality.score.assess``), what to add to earn the missing points, the EHDS label, in French and English;
an incremental build refreshes them after an edit."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from site_catalogue import load_catalogue
from site_helpers import read

from hdh_graph.quality.ehds import ELEMENTS, labels
from hdh_graph.quality.indicators import BANDS, INDICATORS, Dimension, dimension_max
from hdh_graph.quality.score import DatasetScore, assess
from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site
from hdh_graph.site.i18n import messages
from hdh_graph.site.pages.quality import digests, group_key, quality_pages
from hdh_graph.site.read.curation import Curation, Note
from hdh_graph.site.read.quality import DQV, may_change_quality, quality_terms, read_quality
from hdh_graph.site.state import STATE, SiteState
from hdh_graph.site.urls import resource_path
from hdh_graph.vocab import CSVW, DCAT, DCT, QB, SKOS

OWL = "http://www.w3.org/2002/07/owl#"

BAR = re.compile(r'<rect class="quality-bar"[^>]* data-points="([0-9.]+)" data-max="([0-9]+)"/>')
TOTAL = re.compile(r'<span class="quality-total">([0-9.,]+)</span> / 405')


def _box(page: str) -> str:
    found = re.search(r'<section aria-labelledby="quality".*?</section>', page, flags=re.S)
    assert found, "no quality section"
    return found.group(0)


def _number(text: str) -> float:
    return float(text.replace(",", "."))


def _pages(site: Path, store: ox.Store, settings: Settings) -> dict[str, tuple[DatasetScore, str, str]]:
    """Each scored dataset: its score, its French page and its English page."""
    out = {}
    for score in assess(store).datasets:
        path = resource_path(score.iri, settings.base_iri)
        out[score.iri] = (score, read(site, f"{path}/index.html"), read(site, f"en/{path}/index.html"))
    return out


@pytest.fixture
def site(store: ox.Store, settings: Settings, tmp_path: Path) -> Path:
    out = tmp_path / "site"
    build_site(store, settings, out, search=False, workers=1)
    return out


def test_each_dataset_page_shows_the_total_and_the_dimensions_of_the_assessment(
    site: Path, store: ox.Store, settings: Settings
) -> None:
    pages = _pages(site, store, settings)
    assert len(pages) >= 4
    totals = set()
    for iri, (score, fr, en) in pages.items():
        for page in (fr, en):
            box = _box(page)
            assert [_number(t) for t in TOTAL.findall(box)] == [score.points], iri
            bars = [(float(p), int(m)) for p, m in BAR.findall(box)]
            assert bars == [(score.dimension_points()[d], dimension_max(d)) for d in Dimension], iri
            assert box.count('class="quality-track"') == len(Dimension)
        totals.add(score.points)
        # the chart is a picture whose description says the same figures in words
        desc = re.search(r'<desc id="quality-chart-desc">(.*?)</desc>', _box(en), flags=re.S)
        assert desc
        en_words, dims = messages("en"), score.dimension_points()
        for d in Dimension:
            said = f"{en_words['mqa_dim_' + d.value]}: {dims[d]:g} points out of {dimension_max(d)}"
            assert said in desc.group(1), (iri, said)
        assert 'role="img" aria-labelledby="quality-chart-title quality-chart-desc"' in fr
    assert len(totals) > 1  # the fixture's datasets do not all score the same


def test_the_bar_lengths_follow_the_points(site: Path, settings: Settings) -> None:
    box = _box(read(site, "dataset/dcir/index.html"))
    widths = re.findall(r'<rect class="quality-bar"[^>]* width="([0-9.]+)"', box)
    bars = [(float(p), int(m)) for p, m in BAR.findall(box)]
    assert [float(w) for w in widths] == [round(200 * p / m, 1) for p, m in bars]
    assert 0 < max(float(w) for w in widths) <= 200


def test_the_missing_points_name_the_property_to_add_in_both_languages(
    site: Path, store: ox.Store, settings: Settings
) -> None:
    score, fr, en = _pages(site, store, settings)[settings.base_iri + "dataset/vide"]
    missing = [r for r in score.missing if r.status != "not checked"]
    assert missing  # a dataset with a title only misses most points
    fr_words, en_words = messages("fr"), messages("en")
    box_fr, box_en = html.unescape(_box(fr)), html.unescape(_box(en))
    first = missing[0].indicator.key
    assert f"{fr_words['mqa_' + first]} : {fr_words['mqa_fix_' + first]}" in box_fr
    assert f"{en_words['mqa_' + first]}: {en_words['mqa_fix_' + first]}" in box_en
    listed = re.findall(r'<li data-indicator="([A-Za-z]+)">', _box(fr))
    assert listed == [r.indicator.key for r in missing]
    assert "ajouter dcat:keyword" in box_fr and "add dcat:keyword" in box_en
    assert "Qualité des métadonnées" in fr and "Metadata quality" in en
    assert "Trouvabilité" in box_fr and "Findability" in box_en
    assert fr_words["mqa_rating_" + score.rating] in box_fr and en_words["mqa_rating_" + score.rating] in box_en
    # the checks that need the network are said to be not made, with the points they stand for
    assert "Not checked here" in box_en and "AccessURL accessibility (+50)" in box_en


def test_the_ehds_label_says_which_elements_are_derived_stated_or_unstated(
    site: Path, store: ox.Store, settings: Settings
) -> None:
    label = next(x for x in labels(store) if x.dataset == settings.base_iri + "dataset/dcir")
    box = html.unescape(_box(read(site, "en/dataset/dcir/index.html")))
    en = messages("en")
    rows = re.findall(r'<th scope="row">([^<]+)</th><td class="ehds-([a-z]+)">', box)
    assert rows == [(en["ehds_" + e.key], label.status[e.key]) for e in ELEMENTS]
    derived = sum(1 for s in label.status.values() if s == "derived")
    assert f"{derived} of {len(ELEMENTS)} elements shown by the catalogue" in box
    assert 'scope="rowgroup"' in box and en["ehds_group_data_documentation"] in box


def test_every_indicator_element_and_band_has_words_in_both_languages() -> None:
    keys = [f"mqa_{i.key}" for i in INDICATORS] + [f"mqa_fix_{i.key}" for i in INDICATORS]
    keys += [f"mqa_dim_{d.value}" for d in Dimension] + [f"mqa_rating_{name}" for name, _ in BANDS]
    keys += [f"ehds_{e.key}" for e in ELEMENTS] + [f"ehds_group_{group_key(e.group)}" for e in ELEMENTS]
    keys += [f"ehds_status_{s}" for s in ("derived", "stated", "unstated")]
    for lang in ("fr", "en"):
        words = messages(lang)
        assert [k for k in keys if not words.get(k)] == [], lang
    assert messages("fr")["mqa_dim_findability"] != messages("en")["mqa_dim_findability"]


def test_a_validation_violation_costs_the_compliance_points(
    store: ox.Store, settings: Settings, tmp_path: Path
) -> None:
    iri = settings.base_iri + "dataset/vide"
    note = Note("violation", iri + "#x", "dct:description", "manque", "missing", "snds/vide.ttl", 5, "r5r:Dataset")
    site_without, site_with = tmp_path / "without", tmp_path / "with"
    build_site(store, settings, site_without, search=False, workers=1, curation=Curation())
    build_site(store, settings, site_with, search=False, workers=1, curation=Curation((note,), checked=True))
    without = _box(read(site_without, "en/dataset/vide/index.html"))
    with_report = _box(read(site_with, "en/dataset/vide/index.html"))
    dcir = _box(read(site_with, "en/dataset/dcir/index.html"))
    assert "DCAT-AP compliance (+30)" in without  # no report: not checked
    assert 'data-indicator="dcatApCompliance"' in with_report  # a violation: the points are missing
    assert "DCAT-AP compliance" not in dcir  # a report without violations on it: the points are earned
    report = {"results": [{"severity": "violation", "resource": iri + "#x"}]}
    scores = {s.iri: s.points for s in assess(store, report).datasets}
    assert [_number(t) for t in TOTAL.findall(dcir)] == [scores[settings.base_iri + "dataset/dcir"]]


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_an_incremental_build_refreshes_the_quality_after_an_edit(settings: Settings, tmp_path: Path) -> None:
    out, reference = tmp_path / "site", tmp_path / "reference"
    before = load_catalogue(settings.catalogue, settings)
    build_site(before, settings, out, search=False, workers=1)
    old = _box(read(out, "dataset/vide/index.html"))
    cat = settings.catalogue
    _replace(
        cat / "snds/vide.ttl",
        'dct:title "Produit sans description"@fr .',
        (
            'dct:title "Produit sans description"@fr ;\n  dcat:keyword "vide"@fr ;\n'
            '  dct:issued "2024-01-01"^^<http://www.w3.org/2001/XMLSchema#date> .'
        ),
    )
    _replace(
        cat / "snds/dcir.ttl",
        "<dataset/dcir#access> a dcat:Distribution ;",
        (
            "<dataset/dcir#access> a dcat:Distribution ;\n"
            '  dcat:byteSize "1000"^^<http://www.w3.org/2001/XMLSchema#decimal> ;'
        ),
    )
    after = load_catalogue(settings.catalogue, settings)
    report = build_site(after, settings, out, search=False, incremental=True, previous=before, workers=1)
    build_site(after, settings, reference, search=False, workers=1)

    assert report.incremental and report.rendered < report.pages / 2
    scores = {s.iri: s.points for s in assess(after).datasets}
    for name, gained in (("vide", 35), ("dcir", 5)):
        page = read(out, f"dataset/{name}/index.html")
        assert page == read(reference, f"dataset/{name}/index.html")
        assert [_number(t) for t in TOTAL.findall(_box(page))] == [scores[settings.base_iri + f"dataset/{name}"]]
        first = {s.iri: s.points for s in assess(before).datasets}[settings.base_iri + f"dataset/{name}"]
        assert scores[settings.base_iri + f"dataset/{name}"] == first + gained
    assert 'data-indicator="keyword"' in old and 'data-indicator="keyword"' not in _box(
        read(out, "dataset/vide/index.html")
    )


def test_dropping_a_mapping_record_refreshes_the_label_of_the_dataset(settings: Settings, tmp_path: Path) -> None:
    """Dropping the mapping record of one of its variables leaves a dataset without links to other datasets (an
    element of the EHDS label): the incremental page says so, as a full build does."""
    out, reference = tmp_path / "site", tmp_path / "reference"
    before = load_catalogue(settings.catalogue, settings)
    build_site(before, settings, out, search=False, workers=1)
    path = settings.catalogue / "mappings/snds-omop.ttl"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("<mapping/snds-omop/diagnosis>")], encoding="utf-8")
    after = load_catalogue(settings.catalogue, settings)
    iri = settings.base_iri + "dataset/pmsi-mco"
    status = (
        {x.dataset: x.status["enrichments"] for x in labels(before)},
        {x.dataset: x.status["enrichments"] for x in labels(after)},
    )
    assert (status[0][iri], status[1][iri]) == ("derived", "unstated")

    build_site(after, settings, out, search=False, incremental=True, previous=before, workers=1)
    build_site(after, settings, reference, search=False, workers=1)
    for rel in ("dataset/pmsi-mco/index.html", "en/dataset/pmsi-mco/index.html"):
        assert read(out, rel) == read(reference, rel)
    en = messages("en")
    assert f'{en["ehds_enrichments"]}</th><td class="ehds-unstated">' in read(out, "en/dataset/pmsi-mco/index.html")


def _stale_sites(settings: Settings, tmp_path: Path, before: ox.Store) -> list[Path]:
    """Two sites built alike; the second one's state holds a wrong quality digest for ``dataset/vide``."""
    sites = [tmp_path / "plain", tmp_path / "stale"]
    for out in sites:
        build_site(before, settings, out, search=False, workers=1)
    state = SiteState(sites[0] / STATE)
    assert state.quality_digests() == digests(quality_pages(read_quality(before)))
    state.close()
    stale = SiteState(sites[1] / STATE)
    stale.db.execute("UPDATE quality SET digest = 'stale' WHERE dataset = ?", (settings.base_iri + "dataset/vide",))
    stale.close()
    return sites


def test_a_dataset_whose_quality_changed_is_built_again_whatever_its_page_read(
    settings: Settings, tmp_path: Path
) -> None:
    """The dataset pages whose quality differs from the one the state recorded are built again (the quality is
    computed on the whole store, not read through the facts that record what a page reads)."""
    before = load_catalogue(settings.catalogue, settings)
    sites = _stale_sites(settings, tmp_path, before)
    _replace(settings.catalogue / "snds/dcir.ttl", 'dcat:keyword "remboursement"@fr', 'dcat:keyword "soins"@fr')
    after = load_catalogue(settings.catalogue, settings)
    plain, again = (
        build_site(after, settings, out, search=False, incremental=True, previous=before, workers=1) for out in sites
    )
    assert again.items == plain.items + 1  # the dataset whose recorded quality differs
    state = SiteState(sites[1] / STATE)
    assert state.quality_digests() == digests(quality_pages(read_quality(after)))
    state.close()


def test_an_edit_no_quality_property_touches_keeps_the_recorded_quality(settings: Settings, tmp_path: Path) -> None:
    """Rewording a variable's description cannot change a score: the quality is not computed again, the pages
    built again take their box from the state, and the site equals a full build."""
    before = load_catalogue(settings.catalogue, settings)
    sites = _stale_sites(settings, tmp_path, before)
    _replace(settings.catalogue / "snds/dcir.ttl", "Âge du bénéficiaire au moment des soins, en années.", "Âge.")
    after = load_catalogue(settings.catalogue, settings)
    plain, again = (
        build_site(after, settings, out, search=False, incremental=True, previous=before, workers=1) for out in sites
    )
    assert again.items == plain.items and plain.rendered > 0
    state = SiteState(sites[1] / STATE)
    assert state.quality_digests()[settings.base_iri + "dataset/vide"] == "stale"  # kept, not recomputed
    state.close()
    reference = tmp_path / "reference"
    build_site(after, settings, reference, search=False, workers=1)
    for rel in ("dataset/dcir/index.html", "en/dataset/dcir/index.html"):
        assert read(sites[0], rel) == read(reference, rel)
        assert 'class="quality-total"' in read(sites[0], rel)


def test_the_properties_the_quality_reads_come_from_its_queries() -> None:
    terms = quality_terms()
    for prop in (DCAT.keyword, DCAT.byteSize, DCT.license, QB.codeList, OWL + "annotatedSource", DQV + "value"):
        assert prop in terms, prop
    assert SKOS.prefLabel not in terms and CSVW.name not in terms
    dataset = "https://catalogue.example.org/dataset/a"

    def never(iri: str, prop: str) -> bool:
        return False

    def always(iri: str, prop: str) -> bool:
        return True

    assert may_change_quality({f"p:{dataset}|{DCAT.keyword}", "n:" + dataset}, never)
    assert not may_change_quality({f"p:{dataset}|{SKOS.prefLabel}", "n:" + dataset, "r:" + dataset}, always)
    # a description counts only when a dataset gains or loses one
    assert not may_change_quality({f"p:{dataset}|{DCT.description}"}, never)
    assert may_change_quality({f"p:{dataset}|{DCT.description}"}, always)
