"""The SNDS importer: quirks of the source, unresolved references, atomic and byte-identical output."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.snds import import_snds

from hdh_graph.errors import SourceErrors
from hdh_graph.vocab import CSVW, DCAT, DCT, HDH, QB, SKOS, XSD

MINI = Path(__file__).parent / "fixtures" / "schema-snds-mini"
BASE = "https://example.org/cat/"


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _graph(catalogue: Path) -> ox.Store:
    store = ox.Store()
    for path in sorted(catalogue.rglob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return store


def _values(store: ox.Store, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(BASE + subject), ox.NamedNode(predicate), None)
    }


def _one(store: ox.Store, subject: str, predicate: str) -> ox.Literal:
    (quad,) = list(store.quads_for_pattern(ox.NamedNode(BASE + subject), ox.NamedNode(predicate), None))
    return quad.object


@pytest.fixture
def mini(tmp_path: Path) -> tuple[Path, ox.Store]:
    catalogue = tmp_path / "catalogue"
    import_snds(MINI, catalogue)
    return catalogue, _graph(catalogue)


def test_writes_one_file_per_product_and_per_code_list_source(mini: tuple[Path, ox.Store]) -> None:
    catalogue, _ = mini
    files = sorted(p.relative_to(catalogue).as_posix() for p in catalogue.rglob("*") if p.is_file())
    assert files == [
        "codelists/ORAVAL.ttl",
        "codelists/ORAVAL/IR_BER_V.csv",
        "codelists/ORAVAL/IR_SEX_V.csv",
        "snds/IMPORT-REPORT.md",
        "snds/beneficiaires.ttl",
        "snds/dcir.ttl",
        "snds/snds.ttl",
    ]
    # CSV files are copied byte for byte.
    assert (catalogue / "codelists/ORAVAL/IR_SEX_V.csv").read_bytes() == (
        MINI / "nomenclatures/ORAVAL/IR_SEX_V.csv"
    ).read_bytes()


def test_source_quirks_are_kept(mini: tuple[Path, ox.Store]) -> None:
    _, store = mini
    amount = "table/ER_PRS_F/PRS_PAI_MNT"
    assert _values(store, amount, HDH.oracleLength) == {"11,2"}
    assert _values(store, amount, CSVW.datatype) == {"number"}
    assert _one(store, amount, CSVW.minimum) == ox.Literal("0", datatype=ox.NamedNode(XSD.integer))
    rank = "table/ER_PRS_F/BEN_RNG_GEM"
    assert _values(store, rank, QB.codeList) == {BASE + "codelist/IR_BER_V"}
    assert _values(store, rank, HDH.codeListKey) == {"BEN_RNG_GEM"}
    sex = "table/ER_PRS_F/BEN_SEX_COD"
    assert _values(store, sex, HDH.yearMissing) == {"2010", "2012"}
    assert _values(store, sex, HDH.yearDeleted) == {"2019"}
    assert _values(store, sex, SKOS.note) == {"Table de l’ensemble"}  # \x92 repaired
    assert _values(store, sex, HDH.businessRule) == {"Valeur 9 si inconnu"}
    month = "table/ER_PRS_F/EXE_SOI_AMD"
    assert _values(store, month, CSVW.datatype) == {"gYearMonth"}
    assert _values(store, month, CSVW.format) == {"%m"}
    assert _values(store, month, HDH.oracleLength) == set()
    assert _values(store, "table/ER_PRS_F/BEN_NIR_PSA", QB.codeList) == set()


def test_keys_and_joins(mini: tuple[Path, ox.Store]) -> None:
    _, store = mini
    assert _values(store, "table/ER_PRS_F", CSVW.primaryKey) == {
        BASE + "table/ER_PRS_F/BEN_NIR_PSA",
        BASE + "table/ER_PRS_F/PRS_PAI_MNT",
    }
    fk = "table/ER_PRS_F#fk-IR_BEN_R"
    assert _values(store, fk + "-ref", CSVW.resource) == {BASE + "table/IR_BEN_R"}
    assert _values(store, "table/ER_PRS_F/BEN_RNG_GEM", HDH.references) == {BASE + "table/IR_BEN_R/BEN_RNG_GEM"}
    assert _values(store, fk, HDH.unresolved) == set()


def test_unresolved_references_are_kept_and_reported(mini: tuple[Path, ox.Store]) -> None:
    catalogue, store = mini
    fk = "table/ER_PRS_F#fk-DA_PRA_R"
    assert _values(store, fk, HDH.unresolved) == {"true"}
    assert _values(store, fk + "-ref", CSVW.resource) == {BASE + "table/DA_PRA_R"}
    # No join is claimed towards a column that does not exist.
    assert _values(store, "table/ER_PRS_F/PFS_EXE_NUM", HDH.references) == set()
    assert _values(store, "table/ER_PRS_F/PFS_EXE_NUM", QB.codeList) == {BASE + "codelist/IR_NOPE_V"}
    report = (catalogue / "snds/IMPORT-REPORT.md").read_text()
    assert "foreign-key target table DA_PRA_R is not defined" in report
    assert "code list of column PFS_EXE_NUM IR_NOPE_V is not defined" in report


def test_code_lists(mini: tuple[Path, ox.Store]) -> None:
    _, store = mini
    assert _values(store, "codelist/IR_PHA_R", HDH.codesMissing) == {"true"}
    assert _values(store, "codelist/IR_PHA_R", CSVW.url) == set()
    assert _values(store, "codelist/IR_SEX_V", CSVW.url) == {"ORAVAL/IR_SEX_V.csv"}
    schema = next(
        iter(store.quads_for_pattern(ox.NamedNode(BASE + "codelist/IR_BER_V"), ox.NamedNode(CSVW.tableSchema), None))
    ).object
    (about,) = [q.object.value for q in store.quads_for_pattern(schema, ox.NamedNode(CSVW.aboutUrl), None)]
    assert about == "codelist/IR_BER_V/{BEN_RNG_GEM}/{DTE_DEB}"  # "A__B" key split into its columns


def test_datasets_carry_what_healthdcat_ap_asks(mini: tuple[Path, ox.Store]) -> None:
    _, store = mini
    for prop in (DCT.title, DCT.description, DCT.accessRights, DCT.identifier, DCAT.theme, DCAT.distribution):
        assert _values(store, "dataset/dcir", prop), prop
    assert {
        lit.language
        for lit in (
            q.object
            for q in store.quads_for_pattern(ox.NamedNode(BASE + "dataset/dcir"), ox.NamedNode(DCT.title), None)
        )
    } == {"fr", "en"}
    assert _values(store, "catalog", DCAT.dataset) == {
        BASE + "dataset/snds",
        BASE + "dataset/dcir",
        BASE + "dataset/beneficiaires",
    }
    assert _values(store, "dataset/snds", DCT.hasPart) == {BASE + "dataset/dcir", BASE + "dataset/beneficiaires"}


def test_reimport_is_byte_identical(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    import_snds(MINI, first)
    import_snds(MINI, second)
    import_snds(MINI, second)
    assert _digest(first) == _digest(second)


def test_broken_json_names_file_and_line_and_writes_nothing(tmp_path: Path) -> None:
    source = tmp_path / "source"
    shutil.copytree(MINI, source)
    broken = source / "schemas/DCIR/ER_PRS_F.json"
    broken.write_text('{\n  "fields": [\n    {"name": "X",\n  ]\n}\n', encoding="utf-8")
    (source / "nomenclatures/ORAVAL/IR_SEX_V.json").write_bytes(b'{"name": "caf\xe9"}')
    catalogue = tmp_path / "catalogue"
    import_snds(MINI, catalogue)
    before = _digest(catalogue)
    with pytest.raises(SourceErrors) as caught:
        import_snds(source, catalogue)
    problems = {p.path.name: p for p in caught.value.problems}
    assert problems["ER_PRS_F.json"].line == 4
    assert "broken JSON" in problems["ER_PRS_F.json"].message
    assert "not UTF-8" in problems["IR_SEX_V.json"].message
    assert _digest(catalogue) == before
    assert not [p for p in catalogue.iterdir() if p.name.startswith(".import-")]


def test_missing_folder_and_unknown_product(tmp_path: Path) -> None:
    with pytest.raises(SourceErrors, match="missing folder"):
        import_snds(tmp_path, tmp_path / "catalogue")
    source = tmp_path / "source"
    shutil.copytree(MINI, source)
    path = source / "schemas/BENEFICIAIRE/IR_BEN_R.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["produit"] = "NOUVEAU"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        import_snds(source, tmp_path / "catalogue")
    assert "products.toml" in str(caught.value)
    assert not (tmp_path / "catalogue" / "snds").exists()


def test_coverage_years_come_from_the_tables_and_variables(mini: tuple[Path, ox.Store]) -> None:
    _, store = mini
    assert _values(store, "dataset/dcir", DCT.temporal) == {BASE + "dataset/dcir#coverage"}
    assert _values(store, "dataset/dcir#coverage", "http://www.w3.org/ns/dcat#startDate") == {"2006"}
    assert _values(store, "dataset/dcir#coverage", "http://www.w3.org/ns/dcat#endDate") == set()  # still filled
    assert _values(store, "dataset/beneficiaires#coverage", "http://www.w3.org/ns/dcat#startDate") == {"2013"}
