"""The curated description of each SNDS product (``products.toml``) as DCAT / HealthDCAT-AP datasets."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hdh_graph import iris
from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.turtle_writer import IRI, Graph, Node, lit
from hdh_graph.vocab import (
    DCAT,
    DCATAP,
    DCT,
    EHDS_REGULATION,
    EU_ACCESS_RIGHT,
    EU_COUNTRY,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_LANGUAGE,
    EU_PLANNED_AVAILABILITY,
    FOAF,
    GEODCATAP,
    HDEU_CODING_SYSTEM,
    HDEU_HEALTH_ACTIVITY,
    HDEU_HEALTH_CATEGORY,
    HDEU_HEALTH_THEME,
    HDH,
    HEALTHDCATAP,
    PROV,
    RDF,
    RDFS,
    VCARD,
)

PRODUCTS_FILE = Path(__file__).with_name("products.toml")
HUB = "hdh"
HUB_ACCESS_PAGE = "https://www.health-data-hub.fr/"
SNDS_PAGE = "https://www.snds.gouv.fr/"
ROLE = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/"


@dataclass(frozen=True)
class Product:
    key: str  # the SNDS product name (the schema's "produit")
    slug: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    keywords_fr: tuple[str, ...]
    keywords_en: tuple[str, ...]
    custodians: tuple[str, ...]
    health_categories: tuple[str, ...]
    activity: str
    kind: str


def _product(key: str, slug: str, raw: dict[str, Any]) -> Product:
    return Product(
        key=key,
        slug=slug,
        title_fr=raw["title_fr"],
        title_en=raw["title_en"],
        description_fr=raw["description_fr"],
        description_en=raw["description_en"],
        keywords_fr=tuple(raw["keywords_fr"]),
        keywords_en=tuple(raw["keywords_en"]),
        custodians=tuple(raw["custodians"]),
        health_categories=tuple(raw["health_categories"]),
        activity=raw["activity"],
        kind=raw["kind"],
    )


def load_products(path: Path = PRODUCTS_FILE) -> tuple[Product, dict[str, Product]]:
    """The SNDS as a whole, and each product by its SNDS name."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        snds = _product("SNDS", "snds", data["snds"])
        products = {key: _product(key, raw["slug"], raw) for key, raw in data["products"].items()}
    except (OSError, tomllib.TOMLDecodeError, KeyError, TypeError) as exc:
        raise SourceErrors([SourceProblem(path, f"cannot read the product descriptions: {exc!r}")]) from exc
    return snds, products


def describe_dataset(graph: Graph, product: Product, coding_systems: set[str], part_of: str | None) -> Node:
    """A dataset with what HealthDCAT-AP asks for a NON_PUBLIC dataset; returns its node."""
    ds_iri = iris.dataset(product.slug)
    ds = graph.node(ds_iri)
    ds.add(RDF.type, IRI(DCAT.Dataset))
    ds.add(DCT.title, lit(product.title_fr, "fr"), lit(product.title_en, "en"))
    ds.add(DCT.description, lit(product.description_fr, "fr"), lit(product.description_en, "en"))
    ds.add(DCT.identifier, lit(product.key))
    ds.add(DCT.accessRights, IRI(EU_ACCESS_RIGHT.NON_PUBLIC))
    ds.add(DCATAP.applicableLegislation, IRI(EHDS_REGULATION))
    ds.add(DCAT.theme, IRI(EU_DATA_THEME.HEAL))
    ds.add(HEALTHDCATAP.healthTheme, IRI(HDEU_HEALTH_THEME.HEALTH_SYSTEMS))
    ds.add(HEALTHDCATAP.healthCategory, *(IRI(HDEU_HEALTH_CATEGORY[c]) for c in product.health_categories))
    ds.add(HEALTHDCATAP.hasStructuredData, lit(True))
    ds.add(HEALTHDCATAP.hasCodingSystem, *(IRI(HDEU_CODING_SYSTEM[c]) for c in sorted(coding_systems)))
    ds.add(DCT.publisher, IRI(iris.agent(HUB)))
    ds.add(HEALTHDCATAP.hdab, IRI(iris.agent(HUB)))
    ds.add(GEODCATAP.custodian, *(IRI(iris.agent(a)) for a in product.custodians))
    ds.add(DCAT.keyword, *(lit(k, "fr") for k in product.keywords_fr), *(lit(k, "en") for k in product.keywords_en))
    ds.add(DCT.type, IRI(HDH[product.kind]))
    ds.add(DCT.spatial, IRI(EU_COUNTRY.FRA))
    ds.add(DCT.language, IRI(EU_LANGUAGE.FRA))
    ds.add(FOAF.page, IRI(SNDS_PAGE))
    graph.node(SNDS_PAGE).add(RDF.type, IRI(FOAF.Document)).add(
        DCT.title, lit("Le Système national des données de santé (site officiel)", "fr")
    )
    if part_of:
        ds.add(DCT.isPartOf, IRI(part_of))
        graph.node(part_of).add(DCT.hasPart, IRI(ds_iri))
    graph.node(iris.catalog()).add(DCAT.dataset, IRI(ds_iri))

    contact = f"{ds_iri}#contact"
    ds.add(DCAT.contactPoint, IRI(contact))
    graph.node(contact).add(RDF.type, IRI(VCARD.Kind)).add(
        VCARD.fn, lit("Plateforme des données de santé (Health Data Hub)", "fr"), lit("French Health Data Hub", "en")
    ).add(VCARD.hasURL, IRI(HUB_ACCESS_PAGE))

    _access(graph, ds, ds_iri, product)
    _provenance(graph, ds, ds_iri, product)
    return ds


def _access(graph: Graph, ds: Node, ds_iri: str, product: Product) -> None:
    dist = iris.distribution(product.slug)
    ds.add(DCAT.distribution, IRI(dist))
    rights = f"{ds_iri}#access-conditions"
    graph.node(dist).add(RDF.type, IRI(DCAT.Distribution)).add(
        DCT.title, lit(f"Accès aux données : {product.title_fr}", "fr"), lit(f"Data access: {product.title_en}", "en")
    ).add(
        DCT.description,
        lit(
            "Les données du SNDS ne sont pas en accès libre. Leur accès est soumis à autorisation, selon les "
            "procédures prévues par le code de la santé publique ; la Plateforme des données de santé "
            "accompagne les demandes.",
            "fr",
        ),
        lit(
            "SNDS data are not openly available. Access requires an authorisation under the procedures of the "
            "French public health code; the Health Data Hub supports the requests.",
            "en",
        ),
    ).add(DCAT.accessURL, IRI(HUB_ACCESS_PAGE)).add(DCATAP.applicableLegislation, IRI(EHDS_REGULATION)).add(
        DCT.rights, IRI(rights)
    ).add(DCT.format, IRI(EU_FILE_TYPE.HTML)).add(DCATAP.availability, IRI(EU_PLANNED_AVAILABILITY.AVAILABLE))
    graph.node(rights).add(RDF.type, IRI(DCT.RightsStatement)).add(
        RDFS.label,
        lit("Accès sur autorisation ; aucune donnée de personne n'est publiée dans ce catalogue.", "fr"),
        lit("Access on authorisation; no data about any person is published in this catalogue.", "en"),
    )


def _provenance(graph: Graph, ds: Node, ds_iri: str, product: Product) -> None:
    statement = f"{ds_iri}#provenance"
    ds.add(DCT.provenance, IRI(statement))
    custodians = ", ".join(a.upper() if a != "inserm-cepidc" else "Inserm-CépiDc" for a in product.custodians)
    graph.node(statement).add(RDF.type, IRI(DCT.ProvenanceStatement)).add(
        RDFS.label,
        lit(
            f"Données produites par {custodians} et mises à disposition dans le SNDS. Description des tables et "
            "des variables importée du schéma public du SNDS (schema-snds).",
            "fr",
        ),
        lit(
            f"Data produced by {custodians} and made available in the SNDS. Tables and variables imported from "
            "the public SNDS schema (schema-snds).",
            "en",
        ),
    )
    activity = f"{ds_iri}#activity"
    ds.add(PROV.wasGeneratedBy, IRI(activity))
    graph.node(activity).add(RDF.type, IRI(PROV.Activity)).add(
        DCT.type, IRI(HDEU_HEALTH_ACTIVITY[product.activity])
    ).add(
        RDFS.label,
        lit(f"Production des données : {product.title_fr}", "fr"),
        lit(f"Data production: {product.title_en}", "en"),
    )
    for who in product.custodians:
        _attribution(graph, ds, ds_iri, who, "custodian")
    _attribution(graph, ds, ds_iri, HUB, "distributor")


def _attribution(graph: Graph, ds: Node, ds_iri: str, agent: str, role: str) -> None:
    node = f"{ds_iri}#{role}-{agent}"
    ds.add(PROV.qualifiedAttribution, IRI(node))
    graph.node(node).add(RDF.type, IRI(PROV.Attribution)).add(PROV.agent, IRI(iris.agent(agent))).add(
        DCAT.hadRole, IRI(ROLE + role)
    )
