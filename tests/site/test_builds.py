"""Builds are deterministic, and an incremental build rewrites only what a changed file touches."""

from __future__ import annotations

from pathlib import Path

from site_catalogue import load_catalogue
from site_helpers import all_files, read

from hdh_graph.settings import Settings
from hdh_graph.site.build import build_site


def test_same_input_gives_same_bytes(settings: Settings, tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    build_site(load_catalogue(settings.catalogue, settings), settings, a, search=False)
    build_site(load_catalogue(settings.catalogue, settings), settings, b, search=False)  # new blank node ids
    files_a, files_b = all_files(a), all_files(b)
    assert files_a.keys() == files_b.keys()
    different = [name for name in files_a if files_a[name] != files_b[name]]
    assert different == []


def test_incremental_build_rerenders_only_what_changed(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)
    assert first.rendered == first.pages
    untouched = out / "codelist/CIM10/index.html"
    untouched_inode = untouched.stat().st_ino

    again = build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False, incremental=True)
    assert again.incremental and again.rendered == 0 and again.unchanged == again.pages

    dcir = settings.catalogue / "snds" / "dcir.ttl"
    text = dcir.read_text(encoding="utf-8")
    text = text.replace("Âge du bénéficiaire au moment des soins, en années.", "Âge en années révolues.")
    text = text.replace(
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA>, <table/IR_BEN_R/BEN_SEX_COD> ;",
        "csvw:column <table/IR_BEN_R/BEN_NIR_PSA> ;",
    )
    dcir.write_text(text, encoding="utf-8")
    third = build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False, incremental=True)
    assert third.incremental
    assert 0 < third.rendered < third.pages / 2
    assert "Âge en années révolues." in read(out, "table/ER_PRS_F/BEN_AMA_COD/index.html")
    assert "Âge en années révolues." in read(out, "dataset/dcir/index.html")
    # the column left its table: its page is now a variable of no table
    assert "BEN_SEX_COD" not in read(out, "table/IR_BEN_R/index.html")
    # a page that depends on nothing that changed was not written again (files are replaced by rename)
    assert untouched.stat().st_ino == untouched_inode
    changed = out / "dataset/dcir/index.html"
    changed_inode = changed.stat().st_ino
    fourth = build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False, incremental=True)
    assert fourth.rendered == 0 and changed.stat().st_ino == changed_inode


def test_incremental_build_removes_pages_of_deleted_resources(settings: Settings, tmp_path: Path) -> None:
    out = tmp_path / "site"
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)
    assert (out / "dataset/vide/index.html").exists()
    (settings.catalogue / "snds" / "vide.ttl").unlink()
    report = build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False, incremental=True)
    assert report.removed == 1
    assert not (out / "dataset/vide").exists() and not (out / "en/dataset/vide").exists()
    assert not (out / "dataset/vide.ttl").exists()


def test_the_previous_site_is_removed_in_the_background_and_leftovers_by_the_next_build(
    settings: Settings, tmp_path: Path
) -> None:
    import time

    out = tmp_path / "site"
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)  # the first one goes
    deadline = time.monotonic() + 30
    while any(p.name.startswith(".trash-") for p in tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(p.name.startswith(".trash-") or p.name.endswith(".old") for p in tmp_path.iterdir())
    leftover = tmp_path / ".trash-.site.old-1-abcdef"  # as if its remover had died
    (leftover / "dataset").mkdir(parents=True)
    build_site(load_catalogue(settings.catalogue, settings), settings, out, search=False)
    assert not leftover.exists() and (out / "index.html").is_file()
