"""An incremental build from the previous store gives the same site as a full build, rendering only a few pages."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from site_catalogue import load_catalogue
from site_helpers import all_files

from hdh_graph.settings import Settings
from hdh_graph.site.build import SiteReport, build_site
from hdh_graph.site.state import key_hash

IGNORED = (".hdh-site.sqlite", ".hdh-search-delta.json")


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _describe_differently(cat: Path) -> None:
    _replace(cat / "snds/dcir.ttl", "Âge du bénéficiaire au moment des soins, en années.", "Âge en années révolues.")


def _describe_pmsi(cat: Path) -> None:
    """A dataset of the second page of a paged feed (the first page states the catalogue's dates)."""
    _replace(cat / "snds/pmsi-mco.ttl", "avec les diagnostics.", "avec les diagnostics et les actes.")


def _drop_column(cat: Path) -> None:
    _replace(
        cat / "snds/dcir.ttl",
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA>, <table/IR_BEN_R/BEN_SEX_COD> ;",
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA> ;",
    )


def _rename_column(cat: Path) -> None:
    _replace(cat / "snds/dcir.ttl", 'csvw:name "BEN_SEX_COD"', 'csvw:name "BEN_AMA_COD"')


def _move_column(cat: Path) -> None:
    """A column that shares its name with others moves from one table to another (of another file)."""
    _replace(
        cat / "snds/pmsi-mco.ttl",
        "<table/T_MCOaaB/DGN_PAL>, <table/T_MCOaaB/BEN_NIR_PSA> .",
        "<table/T_MCOaaB/DGN_PAL> .",
    )
    _replace(
        cat / "snds/dcir.ttl",
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA>, <table/IR_BEN_R/BEN_SEX_COD> ;",
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA>, <table/IR_BEN_R/BEN_SEX_COD>, <table/T_MCOaaB/BEN_NIR_PSA> ;",
    )


def _retitle_table(cat: Path) -> None:
    _replace(cat / "snds/dcir.ttl", '"Prestations"@fr', '"Prestations remboursées"@fr')


def _delete_dataset(cat: Path) -> None:
    (cat / "snds/vide.ttl").unlink()


def _add_dataset(cat: Path) -> None:
    text = (cat / "snds/vide.ttl").read_text(encoding="utf-8").replace("dataset/vide", "dataset/nouveau")
    (cat / "snds/nouveau.ttl").write_text(text.replace("vide", "nouveau"), encoding="utf-8")


def _relabel_code(cat: Path) -> None:
    _replace(cat / "codelists/nomenclatures.ttl", '"Un an"@fr', '"Un an révolu"@fr, "One year"@en')


def _rename_agent(cat: Path) -> None:
    text = (cat / "agents.ttl").read_text(encoding="utf-8")
    first = text.index('"@fr') if '"@fr' in text else -1
    assert first > 0
    (cat / "agents.ttl").write_text(text[:first] + " (nouveau nom)" + text[first:], encoding="utf-8")


def _remap(cat: Path) -> None:
    _replace(cat / "mappings/snds-omop.ttl", "skos:broadMatch", "skos:closeMatch")


def _add_mapping(cat: Path) -> None:
    text = (cat / "mappings/snds-omop.ttl").read_text(encoding="utf-8")
    record = text[text.index("<mapping/snds-omop/person>") :].split("\n\n", 1)[0]
    extra = record.replace("snds-omop/person>", "snds-omop/person-prs>").replace("IR_BEN_R/", "ER_PRS_F/")
    (cat / "mappings/snds-omop.ttl").write_text(text + "\n" + extra + "\n", encoding="utf-8")


def _edit_documentation(cat: Path) -> None:
    _replace(cat / "docs/pages.ttl", "décrit un soin remboursé", "décrit une prestation remboursée")
    _replace(cat / "docs/pages.ttl", "<dataset/dcir>, <table/ER_PRS_F>", "<table/ER_PRS_F>, <table/IR_BEN_R>")


def _define_term(cat: Path) -> None:
    _replace(cat / "docs/glossary.ttl", "en années révolues", "en années")
    _replace(
        cat / "docs/glossary.ttl",
        'skos:prefLabel "Professionnel de santé"@fr .',
        'skos:prefLabel "Professionnel de santé"@fr ;\n  dct:isReferencedBy <table/IR_BEN_R/BEN_SEX_COD> .',
    )


def _reword_citizens(cat: Path) -> None:
    _replace(
        cat / "citizens/snds.ttl", "schema:position 2 ;\n  dct:description", "schema:position 3 ;\n  dct:description"
    )
    _replace(cat / "citizens/snds.ttl", "ni votre adresse.", "ni votre adresse, ni votre numéro.")
    _replace(
        cat / "citizens/snds.ttl",
        "<dataset/snds> ;\n  dct:type hdh:WhatItContains",
        "<dataset/dcir> ;\n  dct:type hdh:WhatItContains",
    )


EDITS: dict[str, Callable[[Path], None]] = {
    "reword-citizens": _reword_citizens,
    "define-term": _define_term,
    "remap": _remap,
    "add-mapping": _add_mapping,
    "edit-documentation": _edit_documentation,
    "description": _describe_differently,
    "describe-pmsi": _describe_pmsi,
    "drop-column": _drop_column,
    "rename-column": _rename_column,
    "retitle-table": _retitle_table,
    "move-column": _move_column,
    "delete-dataset": _delete_dataset,
    "add-dataset": _add_dataset,
    "relabel-code": _relabel_code,
    "rename-agent": _rename_agent,
}


@pytest.mark.parametrize("edit", sorted(EDITS))
def test_incremental_build_equals_full_build(edit: str, settings: Settings, tmp_path: Path) -> None:
    out, reference = tmp_path / "site", tmp_path / "reference"
    before = load_catalogue(settings.catalogue, settings)
    first = build_site(before, settings, out, search=False)
    EDITS[edit](settings.catalogue)
    after = load_catalogue(settings.catalogue, settings)

    report = build_site(after, settings, out, search=False, incremental=True, previous=before)
    build_site(after, settings, reference, search=False)

    assert report.incremental and "diff" in report.seconds  # the previous store was compared, not all re-read
    # renaming the publisher of every dataset changes the search filters of most pages; other edits are local
    assert 0 < report.rendered + report.removed < first.pages / (1 if edit == "rename-agent" else 2)
    got = {k: v for k, v in all_files(out).items() if not k.endswith(IGNORED)}
    want = {k: v for k, v in all_files(reference).items() if not k.endswith(IGNORED)}
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


def test_two_incremental_builds_in_a_row_stay_equal_to_a_full_build(settings: Settings, tmp_path: Path) -> None:
    out, reference = tmp_path / "site", tmp_path / "reference"
    stores = [load_catalogue(settings.catalogue, settings)]
    build_site(stores[0], settings, out, search=False)
    for edit in (_rename_column, _add_dataset):
        edit(settings.catalogue)
        stores.append(load_catalogue(settings.catalogue, settings))
        build_site(stores[-1], settings, out, search=False, incremental=True, previous=stores[-2])
    build_site(stores[-1], settings, reference, search=False)
    got = {k: v for k, v in all_files(out).items() if not k.endswith(IGNORED)}
    want = {k: v for k, v in all_files(reference).items() if not k.endswith(IGNORED)}
    assert got == want


def test_an_unchanged_store_renders_nothing(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "site"
    store = load_catalogue(settings.catalogue, settings)
    build_site(store, settings, out, search=False)
    again = build_site(
        load_catalogue(settings.catalogue, settings), settings, out, search=False, incremental=True, previous=store
    )
    assert again.incremental and again.rendered == 0 and again.removed == 0


def test_key_hash_is_stable_and_64_bit() -> None:
    assert key_hash("n:https://example.org/a") == key_hash("n:https://example.org/a")
    assert key_hash("n:https://example.org/a") != key_hash("n:https://example.org/b")
    assert -(2**63) <= key_hash("x" * 1000) < 2**63


def _site_of_store(settings: Settings, out: Path, incremental: bool = False) -> SiteReport:
    from hdh_graph.site.read.curation import load_curation
    from hdh_graph.store import open_store, store_version

    store = open_store(settings, read_only=True)
    return build_site(
        store,
        settings,
        out,
        search=False,
        incremental=incremental,
        store_version=store_version(settings),
        curation=load_curation(settings),
    )


def test_builds_of_the_store_drive_incremental_sites_and_their_curator_notes(
    settings: Settings, tmp_path: Path
) -> None:
    from hdh_graph.publishing import validated_build

    out, reference = tmp_path / "site", tmp_path / "reference"
    validated_build(settings, allow_violations=True)
    _site_of_store(settings, out)
    page = (out / "agent/cnam/index.html").read_text(encoding="utf-8")
    assert 'class="curation' in page and "dct:type : au moins 1 valeur" in page
    assert 'class="curation' in (out / "index.html").read_text(encoding="utf-8")  # the catalogue's own notes

    _replace(
        settings.catalogue / "agents.ttl",
        "<agent/cnam> a foaf:Agent, foaf:Organization ;",
        "<agent/cnam> a foaf:Agent, foaf:Organization ;\n"
        "  dct:type <http://purl.org/adms/publishertype/NationalAuthority> ;",
    )
    validated_build(settings, allow_violations=True)  # the snapshot the site was built from is kept
    report = _site_of_store(settings, out, incremental=True)
    assert "diff" in report.seconds and report.rendered < report.pages / 2
    page = (out / "agent/cnam/index.html").read_text(encoding="utf-8")
    assert "dct:type : au moins 1 valeur" not in page and "NationalAuthority" in page  # a new note replaced it

    _site_of_store(settings, reference)
    got = {k: v for k, v in all_files(out).items() if not k.endswith(IGNORED)}
    want = {k: v for k, v in all_files(reference).items() if not k.endswith(IGNORED)}
    assert got == want


@pytest.mark.parametrize(
    "edit", ["description", "describe-pmsi", "move-column", "add-dataset", "delete-dataset", "rename-agent"]
)
def test_incremental_build_keeps_a_paged_feed_equal_to_a_full_build(
    edit: str, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hdh_graph.site.publish import feed as site_feed

    monkeypatch.setattr(site_feed, "FEED_PAGE_SIZE", 1)  # one dataset a page: several pages
    out, reference = tmp_path / "site", tmp_path / "reference"
    before = load_catalogue(settings.catalogue, settings)
    build_site(before, settings, out, search=False)
    assert (out / "catalog/page/2.ttl").is_file()
    EDITS[edit](settings.catalogue)
    after = load_catalogue(settings.catalogue, settings)
    build_site(after, settings, out, search=False, incremental=True, previous=before)
    build_site(after, settings, reference, search=False)
    got = {k: v for k, v in all_files(out).items() if k.startswith("catalog")}
    want = {k: v for k, v in all_files(reference).items() if k.startswith("catalog")}
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []


def test_a_build_in_batches_gives_the_bytes_of_a_build_in_one_go(settings: Settings, tmp_path: Path) -> None:
    from hdh_graph.site.rebuild import plan

    store = load_catalogue(settings.catalogue, settings)
    one, several = tmp_path / "one", tmp_path / "several"
    whole = build_site(store, settings, one, search=False, batches=False)
    original = plan.CHUNK
    try:
        plan.CHUNK = 3  # many small chunks: each reads from the store only what its pages need
        parts = build_site(store, settings, several, search=False, batches=True)
    finally:
        plan.CHUNK = original
    assert parts.pages == whole.pages and parts.rendered == whole.rendered
    got = {k: v for k, v in all_files(several).items() if not k.endswith(IGNORED)}
    want = {k: v for k, v in all_files(one).items() if not k.endswith(IGNORED)}
    assert sorted(got) == sorted(want)
    assert [name for name in want if got[name] != want[name]] == []
    # and an incremental build works from the state a build in batches leaves
    _describe_differently(settings.catalogue)
    after = load_catalogue(settings.catalogue, settings)
    again = build_site(after, settings, several, search=False, incremental=True, previous=store)
    assert "diff" in again.seconds and 0 < again.rendered < again.pages / 2
