"""The SNDS documentation importer: the glossary as SKOS, term uses, documentation pages; bad input; edits."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from hdh_loaders.generated import EditedGeneratedFiles
from hdh_loaders.snds import import_snds
from hdh_loaders.snds_docs import import_snds_docs
from hdh_loaders.snds_docs.markdown import plain

from hdh_graph.errors import SourceErrors
from hdh_graph.vocab import DCT, FOAF, SKOS

FIXTURES = Path(__file__).parent / "fixtures"
SCHEMA = FIXTURES / "schema-snds-mini"
DOCS = FIXTURES / "documentation-snds-mini"
TOPICS = FIXTURES / "documentation-snds-mini-topics.toml"
BASE = "https://example.org/cat/"
SOURCE = "https://github.com/indsante/Documentation-SNDS/blob/a2910d5a0f0914c44514146fd68b01bdeaf50498/"
GLOSSARY = "vocabulary/snds-glossary"


def _digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _values(store: ox.Store, subject: str, predicate: str) -> set[str]:
    return {
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(BASE + subject), ox.NamedNode(predicate), None)
    }


def _texts(store: ox.Store, subject: str, predicate: str) -> dict[str, str]:
    found = store.quads_for_pattern(ox.NamedNode(BASE + subject), ox.NamedNode(predicate), None)
    return {q.object.language: q.object.value for q in found}  # type: ignore[union-attr]


@pytest.fixture
def imported(tmp_path: Path) -> tuple[Path, ox.Store]:
    catalogue = tmp_path / "catalogue"
    import_snds(SCHEMA, catalogue)
    import_snds_docs(DOCS, catalogue, TOPICS)
    store = ox.Store()
    for path in sorted((catalogue / "docs-snds").glob("*.ttl")):
        store.load(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=BASE)
    return catalogue, store


def test_the_glossary_is_a_skos_scheme_of_terms_and_acronyms(imported: tuple[Path, ox.Store]) -> None:
    catalogue, store = imported
    terms = {
        q.subject.value.removeprefix(f"{BASE}{GLOSSARY}/")
        for q in store.quads_for_pattern(None, ox.NamedNode(SKOS.inScheme), ox.NamedNode(BASE + GLOSSARY))
    }
    assert terms == {"ALD", "PS", "SNIIRAM", "beneficiaire", "prestation"}  # README.md is not a term
    sniiram = f"{GLOSSARY}/SNIIRAM"
    assert _texts(store, sniiram, SKOS.prefLabel) == {
        "fr": "Système national d’information inter-régimes de l’Assurance maladie"
    }
    assert _values(store, sniiram, SKOS.altLabel) == {"SNIIRAM"}
    # the first paragraph, links kept as their text, lines joined
    assert _texts(store, sniiram, SKOS.definition) == {
        "fr": "Entrepôt des données de remboursement de l'Assurance maladie, créé en 1998. "
        "Il est aujourd'hui une des bases du SNDS."
    }
    assert _values(store, sniiram, DCT.source) == {SOURCE + "glossaire/SNIIRAM.md"}
    assert _texts(store, f"{GLOSSARY}/beneficiaire", SKOS.prefLabel) == {"fr": "Bénéficiaire"}
    assert _values(store, f"{GLOSSARY}/ALD", SKOS.definition) == set()  # a stub page: no definition
    assert _values(store, GLOSSARY, DCT.license) == {"http://spdx.org/licenses/MPL-2.0"}
    assert "- ALD" in (catalogue / "docs-snds" / "IMPORT-REPORT.md").read_text(encoding="utf-8")


def test_terms_name_the_variables_whose_descriptions_use_them(imported: tuple[Path, ox.Store]) -> None:
    _, store = imported
    assert _values(store, f"{GLOSSARY}/SNIIRAM", DCT.isReferencedBy) == {
        BASE + "table/ER_PRS_F/BEN_NIR_PSA",  # "Identifiant anonyme du patient dans le SNIIRAM"
        BASE + "table/IR_BEN_R/BEN_NIR_PSA",
    }
    # the name, in any case and without its accents ("rang de naissance du bénéficiaire", "Sexe du bénéficiaire")
    assert _values(store, f"{GLOSSARY}/beneficiaire", DCT.isReferencedBy) == {
        BASE + "table/ER_PRS_F/BEN_RNG_GEM",
        BASE + "table/IR_BEN_R/BEN_RNG_GEM",
        BASE + "table/ER_PRS_F/BEN_SEX_COD",
    }
    assert _values(store, f"{GLOSSARY}/prestation", DCT.isReferencedBy) == set()  # kept out by the topics file
    assert _values(store, f"{GLOSSARY}/PS", DCT.isReferencedBy) == set()
    # the generated files describe terms and documents only: tables and variables keep their own files
    subjects = {q.subject.value for q in store.quads_for_pattern(None, None, None)}
    assert not [s for s in subjects if s.startswith(BASE + "table/") or s.startswith(BASE + "dataset/")]


def test_pages_document_tables_products_and_the_snds(imported: tuple[Path, ox.Store]) -> None:
    _, store = imported
    table_page = "documentation/snds/tables/DCIR/ER_PRS_F"
    assert _values(store, table_page, FOAF.topic) == {BASE + "table/ER_PRS_F"}
    assert _texts(store, table_page, DCT.description) == {
        "fr": "La table ER_PRS_F est au centre du modèle DCIR.\n\nElle contient les prestations remboursées.\n\n"
        "Les informations ci-dessus sont tirées du document de Santé publique France."
    }
    assert _values(store, table_page, DCT.source) == {SOURCE + "tables/.sources/DCIR/ER_PRS_F.md"}
    assert _texts(store, table_page, DCT.title)["en"] == "Documentation of the table: ER_PRS_F"
    # a sheet: its tags' products, the tables it names, its introduction only (no code)
    sheet = "documentation/snds/fiches/fiche_beneficiaire"
    assert _values(store, sheet, FOAF.topic) == {
        BASE + "dataset/dcir",
        BASE + "dataset/beneficiaires",
        BASE + "table/IR_BEN_R",
        BASE + "table/ER_PRS_F",
    }
    (text,) = _values(store, sheet, DCT.description)
    assert text.startswith(
        "Le bénéficiaire est repéré par le couple BEN_NIR_PSA et BEN_RNG_GEM dans la table IR_BEN_R."
    )
    assert "select" not in text and "Le reste" not in text
    intro = "documentation/snds/introduction/01-snds"
    assert _values(store, intro, FOAF.topic) == {BASE + "dataset/snds"}
    (text,) = _values(store, intro, DCT.description)
    assert "- les données de l'assurance maladie (base SNIIRAM)\n- les causes médicales de décès" in text
    assert "Les données absentes\n\nPas de résultat d'examen clinique." in text and "logoSNDS" not in text
    # a page of a table the catalogue does not describe documents nothing, so it is left out
    assert _values(store, "documentation/snds/tables/DCIR/ER_XXX_F", FOAF.topic) == set()


def test_markdown_becomes_plain_prose() -> None:
    assert plain("Voir la **table** [ER_PRS_F](../tables/ER_PRS_F.md) ![x](a.png) et `BEN_NIR_PSA`.") == (
        "Voir la table ER_PRS_F et BEN_NIR_PSA."
    )
    assert plain("| a | b |\n|---|---|\n| 1 | 2 |") == "| a | b |\n| 1 | 2 |"
    assert plain("<p>un</p>\n\n\n::: tip\ndeux\n:::") == "un\n\ndeux"


def test_reimport_is_byte_identical_and_refuses_hand_edits(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    import_snds(SCHEMA, catalogue)
    import_snds_docs(DOCS, catalogue, TOPICS)
    first = _digest(catalogue / "docs-snds")
    import_snds_docs(DOCS, catalogue, TOPICS)
    assert _digest(catalogue / "docs-snds") == first
    glossary = catalogue / "docs-snds" / "glossary.ttl"
    glossary.write_text(glossary.read_text(encoding="utf-8").replace("créé en 1998", "créé en 1999"), encoding="utf-8")
    with pytest.raises(EditedGeneratedFiles) as caught:
        import_snds_docs(DOCS, catalogue, TOPICS)
    (problem,) = caught.value.problems
    assert problem.path == glossary and problem.line is not None
    assert "créé en 1999" in glossary.read_text(encoding="utf-8").splitlines()[problem.line - 1]


def test_bad_input_names_the_file_and_writes_nothing(tmp_path: Path) -> None:
    catalogue = tmp_path / "catalogue"
    import_snds(SCHEMA, catalogue)
    with pytest.raises(SourceErrors, match="missing folder"):
        import_snds_docs(tmp_path, catalogue, TOPICS)
    source = tmp_path / "docs"
    shutil.copytree(DOCS, source)
    (source / "glossaire" / "CNIL.md").write_bytes(
        b"# CNIL - Commission nationale de l'informatique et des libert\xe9s\n"
    )
    (source / "fiches" / "empty.md").write_text("Pas de titre ici.\n", encoding="utf-8")
    with pytest.raises(SourceErrors) as caught:
        import_snds_docs(source, catalogue, TOPICS)
    problems = {p.path.name: p for p in caught.value.problems}
    assert "not UTF-8" in problems["CNIL.md"].message
    assert problems["empty.md"].line == 1 and "no title" in problems["empty.md"].message
    assert not (catalogue / "docs-snds").exists()
    # a topics file naming a product the catalogue does not describe
    topics = tmp_path / "topics.toml"
    topics.write_text(TOPICS.read_text(encoding="utf-8").replace('["dcir"]', '["dcir", "nope"]'), encoding="utf-8")
    with pytest.raises(SourceErrors, match="dataset/nope, which the catalogue does not describe"):
        import_snds_docs(DOCS, catalogue, topics)
    assert not (catalogue / "docs-snds").exists()
