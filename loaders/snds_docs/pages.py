"""The prose of the SNDS documentation as documentation resources of the datasets, products and tables.

Each page becomes a ``foaf:Document`` (``documentation/snds/{path}``) with its title, its prose as
``dct:description`` (in French: a table page and an introduction page whole; a topic sheet, its introduction
only, the rest being SQL and examples best read on the page itself), its source page (``dct:source``), its licence
and, by ``foaf:topic`` (the inverse of ``foaf:page``), what it documents:
- a table page (``tables/.sources/{product}/{TABLE}.md``) documents its table;
- a page of ``introduction/`` documents the SNDS as a whole, and the products ``topics.toml`` names;
- a topic sheet (``fiches/``) documents the products its tags name (``topics.toml``) and the tables it names.
Links go from the document, so that each dataset and table keeps its own file as its first description.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

from hdh_graph.turtle_writer import IRI, Graph, lit
from hdh_graph.vocab import DCT, EU_LANGUAGE, FOAF, RDF

from .catalogue_index import CatalogueIndex
from .markdown import Page

ROOT = "documentation/snds"
_WORD = re.compile(r"[A-Za-z0-9_]+")


@dataclass
class Document:
    page: Page
    kind: str  # "table", "introduction", "sheet"
    topics: set[str] = field(default_factory=set)

    @property
    def iri(self) -> str:
        stem = self.page.relative.removesuffix(".md").replace("tables/.sources/", "tables/")
        return f"{ROOT}/" + "/".join(re.sub(r"[^A-Za-z0-9._~-]+", "-", part) for part in stem.split("/"))

    @property
    def text(self) -> str:
        return self.page.introduction if self.kind == "sheet" else self.page.text


def documents(
    pages: list[Page], index: CatalogueIndex, tags: dict[str, list[str]], extra: dict[str, list[str]]
) -> list[Document]:
    """The pages that document something of the catalogue, with what they document."""
    found: list[Document] = []
    for page in pages:
        if page.relative.startswith("tables/.sources/"):
            table = index.tables.get(page.path.stem)
            doc = Document(page, "table", {table} if table else set())
        elif page.relative.startswith("introduction/"):
            doc = Document(page, "introduction", {"dataset/snds"})
        elif page.relative.startswith("fiches/"):
            doc = Document(page, "sheet")
            for tag in page.tags:
                doc.topics |= {f"dataset/{slug}" for slug in tags.get(tag, [])}
            words = set(_WORD.findall(page.path.read_text(encoding="utf-8")))
            doc.topics |= {iri for name, iri in index.tables.items() if name in words and "_" in name}
        else:
            continue
        doc.topics |= {f"dataset/{slug}" for slug in extra.get(page.relative, [])}
        doc.topics &= index.datasets | set(index.tables.values())
        if doc.topics and doc.text:
            found.append(doc)
    return found


def describe_documents(graph: Graph, docs: list[Document], source_url: str, licence: str) -> None:
    kinds = {
        "table": ("Documentation de la table", "Documentation of the table"),
        "introduction": ("Introduction au SNDS", "Introduction to the SNDS"),
        "sheet": ("Fiche thématique", "Topic sheet"),
    }
    for doc in sorted(docs, key=lambda d: d.iri):
        fr, en = kinds[doc.kind]
        node = graph.node(doc.iri)
        node.add(RDF.type, IRI(FOAF.Document))
        node.add(DCT.title, lit(f"{fr} : {doc.page.title}", "fr"), lit(f"{en}: {doc.page.title}", "en"))
        node.add(DCT.description, lit(doc.text, "fr"))
        node.add(DCT.language, IRI(EU_LANGUAGE.FRA))
        node.add(DCT.source, IRI(source_url + quote(doc.page.relative)))
        node.add(DCT.license, IRI(licence))
        node.add(FOAF.topic, *(IRI(t) for t in sorted(doc.topics)))
