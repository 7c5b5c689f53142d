"""No command destroys or overwrites what it does not own: an output folder that holds anything but an earlier
output of the same command is refused, never emptied; every name a user or a file supplies stays inside its
folder, whatever ``..``, absolute path or link it holds. Real commands on temporary folders."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.dictionary import import_dictionary
from robustness_support import BASE, SNDS_MINI, hdh, mini_catalogue, snapshot

from hdh_graph.errors import HdhError
from hdh_graph.export import export_to_file
from hdh_graph.settings import Settings

DICTIONARY = Path(__file__).resolve().parents[1] / "interop" / "fixtures" / "dictionaries" / "cohorte-variables.csv"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A catalogue and its store (read only by the tests)."""
    root = tmp_path_factory.mktemp("owned")
    mini_catalogue(root / "cat", "A")
    result = hdh("build", "--catalogue", "cat", "--store", "store", "--allow-violations", cwd=root)
    assert result.returncode == 0, result.stderr
    return root


def _precious(folder: Path) -> dict[str, str]:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "thesis.docx").write_bytes(b"years of work")
    (folder / "photos").mkdir(exist_ok=True)
    (folder / "photos" / "a.jpg").write_bytes(b"\xff\xd8")
    return snapshot(folder)


def test_site_refuses_a_folder_it_did_not_make(built: Path, tmp_path: Path) -> None:
    before = _precious(tmp_path / "Documents")
    site = ["site", "--catalogue", str(built / "cat"), "--store", str(built / "store")]
    for mode in ("--full", "--incremental"):
        result = hdh(*site, "--out", str(tmp_path / "Documents"), mode, cwd=tmp_path)
        assert result.returncode == 1
        assert "is not empty and holds no site state (.hdh-site.sqlite)" in result.stderr
        assert "Hint:" in result.stderr and "Traceback" not in result.stderr
        assert snapshot(tmp_path / "Documents") == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["Documents"]
    # a new folder, then the same folder again, is fine
    for _ in range(2):
        ok = hdh(*site, "--out", str(tmp_path / "site"), "--no-search", cwd=tmp_path)
        assert ok.returncode == 0, ok.stderr


def test_build_refuses_a_store_folder_with_anything_else(built: Path, tmp_path: Path) -> None:
    before = _precious(tmp_path / "Documents")
    build = ["build", "--catalogue", str(built / "cat"), "--allow-violations"]
    result = hdh(*build, "--store", str(tmp_path / "Documents"), cwd=tmp_path)
    assert result.returncode == 1
    assert "holds what a build did not make (photos, thesis.docx)" in result.stderr
    assert snapshot(tmp_path / "Documents") == before
    # a real store with a stranger in snapshots/: refused too, the stranger kept
    store = tmp_path / "store"
    shutil.copytree(built / "store", store, symlinks=True)
    (store / "snapshots" / "my-backup").mkdir()
    (store / "snapshots" / "my-backup" / "data.nq").write_text("keep me", encoding="utf-8")
    result = hdh(*build, "--store", str(store), "--full", cwd=tmp_path)
    assert result.returncode == 1 and "snapshots/my-backup" in result.stderr
    assert (store / "snapshots" / "my-backup" / "data.nq").read_text(encoding="utf-8") == "keep me"


def test_import_snds_refuses_generated_folders_holding_curated_files(tmp_path: Path) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")  # its codelists/ folder is curated by hand
    before = snapshot(cat)
    result = hdh("import", "snds", str(SNDS_MINI), "--catalogue", str(cat), cwd=tmp_path)
    assert result.returncode == 1
    assert "hold files it did not generate (codelists/DEMO/GEO.csv" in result.stderr
    assert snapshot(cat) == before
    shutil.rmtree(cat / "codelists")
    assert hdh("import", "snds", str(SNDS_MINI), "--catalogue", str(cat), cwd=tmp_path).returncode == 0
    (cat / "snds" / "my-notes.ttl").write_text("# mine\n", encoding="utf-8")
    result = hdh("import", "snds", str(SNDS_MINI), "--catalogue", str(cat), cwd=tmp_path)
    assert result.returncode == 1 and "snds/my-notes.ttl" in result.stderr
    assert (cat / "snds" / "my-notes.ttl").is_file()


@pytest.mark.parametrize("name", ["../../escaped", "/tmp/absolute", "..", "sub/../../x"])
def test_names_in_an_snds_source_stay_inside_the_generated_folders(tmp_path: Path, name: str) -> None:
    source = tmp_path / "src"
    shutil.copytree(SNDS_MINI, source)
    code_list = source / "nomenclatures" / "ORAVAL" / "IR_SEX_V.json"
    data = json.loads(code_list.read_text(encoding="utf-8"))
    data["name"] = name
    code_list.write_text(json.dumps(data), encoding="utf-8")
    cat = tmp_path / "deep" / "cat"
    cat.mkdir(parents=True)
    result = hdh("import", "snds", str(source), "--catalogue", str(cat), cwd=tmp_path)
    assert result.returncode == 1, result.stdout
    assert "cannot be a file or folder name (it would leave its folder)" in result.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith("src/") for p in written), written  # nothing written anywhere


def test_a_linked_code_list_file_outside_the_source_is_not_copied(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(SNDS_MINI, source)
    secret = tmp_path / "secret.csv"
    secret.write_text("code;label\nTOP;SECRET\n", encoding="utf-8")
    csv = next(iter(sorted((source / "nomenclatures").rglob("*.csv"))))
    csv.unlink()
    csv.symlink_to(secret)
    result = hdh("import", "snds", str(source), "--catalogue", str(tmp_path / "cat"), cwd=tmp_path)
    assert result.returncode == 1 and "lies outside" in result.stderr
    assert not any("SECRET" in p.read_text(errors="replace") for p in (tmp_path / "cat").rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("dataset", "table", "message"),
    [
        ("dataset/..", None, "dataset slug '..'"),
        ("dataset/.hidden", None, "dataset slug '.hidden'"),
        ("dataset/demo", "../../catalog", "table or file name '../../catalog'"),
        ("dataset/demo", "/etc/x", "table or file name '/etc/x'"),
    ],
)
def test_dictionary_names_stay_inside_the_dictionaries_folder(
    tmp_path: Path, dataset: str, table: str | None, message: str
) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")
    before = snapshot(cat)
    settings = Settings(catalogue=cat, base_iri=BASE)
    with pytest.raises(HdhError, match="cannot be a file or folder name") as caught:
        import_dictionary(DICTIONARY, dataset, settings, table=table)
    assert message in str(caught.value)
    assert snapshot(cat) == before


def test_dictionary_import_never_overwrites_a_curated_file(tmp_path: Path) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")
    settings = Settings(catalogue=cat, base_iri=BASE)
    target = cat / "dictionaries" / "demo" / "COHORTE.ttl"
    target.parent.mkdir(parents=True)
    target.write_text("# written by hand\n", encoding="utf-8")
    with pytest.raises(HdhError, match="was not written by `hdh import dictionary`"):
        import_dictionary(DICTIONARY, "dataset/demo", settings, table="COHORTE")
    assert target.read_text(encoding="utf-8") == "# written by hand\n"
    target.unlink()
    for _ in range(2):  # its own file, written twice
        import_dictionary(DICTIONARY, "dataset/demo", settings, table="COHORTE")
    assert [p.name for p in target.parent.iterdir()] == ["COHORTE.ttl"]


def test_a_data_package_schema_outside_its_folder_is_not_read(tmp_path: Path) -> None:
    cat = mini_catalogue(tmp_path / "cat", "A")
    outside = tmp_path / "outside.json"
    outside.write_text(json.dumps({"fields": [{"name": "SECRET"}]}), encoding="utf-8")
    package = tmp_path / "pkg" / "datapackage.json"
    package.parent.mkdir()
    for schema in ("../outside.json", str(outside)):
        package.write_text(json.dumps({"resources": [{"name": "T", "schema": schema}]}), encoding="utf-8")
        with pytest.raises(HdhError, match="lies outside"):
            import_dictionary(package, "dataset/demo", Settings(catalogue=cat, base_iri=BASE), table="T")


def test_export_replaces_only_an_earlier_export(built: Path, tmp_path: Path) -> None:
    store = ox.Store.read_only(str((built / "store" / "active").resolve() / "oxigraph"))
    notes = tmp_path / "notes.nq"
    notes.write_text("my notes, not an export\n", encoding="utf-8")
    with pytest.raises(HdhError, match="is not an earlier `hdh export`"):
        export_to_file(store, "nquads", notes)
    assert notes.read_text(encoding="utf-8") == "my notes, not an export\n"
    target = tmp_path / "dump.trig"
    export_to_file(store, "trig", target)
    export_to_file(store, "trig", target)  # its own earlier export: replaced
    again = ox.Dataset(ox.parse(path=str(target), format=ox.RdfFormat.TRIG))
    assert len(again) == len(store)
    result = hdh("export", "--store", str(built / "store"), "--output", str(notes), cwd=tmp_path)
    assert result.returncode == 1 and "Hint:" in result.stderr
