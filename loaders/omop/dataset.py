"""The curated description of the OMOP CDM (``model.toml``) as a DCAT / HealthDCAT-AP dataset.

The dataset is the data model of a hospital health-data warehouse: its data (those of any warehouse that follows
the model) are personal health data, so it is ``NON_PUBLIC`` and validated with the HealthDCAT-AP non-public shapes,
as the SNDS products are. The hub publishes the record and is the health data access body; OHDSI is the model's
author (``prov:qualifiedAttribution``); no custodian is named, as no particular warehouse is described.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from hdh_graph import iris
from hdh_graph.errors import SourceErrors, SourceProblem
from hdh_graph.turtle_writer import IRI, Graph, Node, lit
from hdh_graph.vocab import (
    DCAT,
    DCATAP,
    DCT,
    EHDS_REGULATION,
    EU_ACCESS_RIGHT,
    EU_DATA_THEME,
    EU_FILE_TYPE,
    EU_LANGUAGE,
    EU_PLANNED_AVAILABILITY,
    FOAF,
    HDEU,
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

MODEL_FILE = Path(__file__).with_name("model.toml")
HUB = "hdh"
HUB_PAGE = "https://www.health-data-hub.fr/"
ROLE = "http://inspire.ec.europa.eu/metadata-codelist/ResponsiblePartyRole/"
OMOP_STANDARD = HDEU + "standard/OMOP-CDM"


@dataclass(frozen=True)
class Model:
    slug: str
    identifier: str
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    keywords_fr: tuple[str, ...]
    keywords_en: tuple[str, ...]
    health_categories: tuple[str, ...]
    activity: str
    kind: str
    author: str
    documentation: str
    documentation_title_en: str
    access_fr: str
    access_en: str
    source_codes: dict[str, tuple[str, ...]]  # "table.field" -> terminology names (terminology/<name>)


def load_model(path: Path = MODEL_FILE) -> Model:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        values = {name: raw[name] for name in Model.__dataclass_fields__}
    except (OSError, tomllib.TOMLDecodeError, KeyError) as exc:
        raise SourceErrors([SourceProblem(path, f"cannot read the model's description: {exc!r}")]) from exc
    for name in ("keywords_fr", "keywords_en", "health_categories"):
        values[name] = tuple(values[name])
    values["source_codes"] = {key: tuple(names) for key, names in values["source_codes"].items()}
    return Model(**values)


def unknown_source_codes(model: Model, fields: set[str]) -> list[str]:
    """The fields ``[source_codes]`` names that the specification does not define (reported, not linked)."""
    return sorted(set(model.source_codes) - fields)


def describe_model_dataset(graph: Graph, model: Model) -> Node:
    """The dataset with what HealthDCAT-AP asks of a NON_PUBLIC dataset; returns its node."""
    ds_iri = iris.dataset(model.slug)
    ds = graph.node(ds_iri)
    ds.add(RDF.type, IRI(DCAT.Dataset))
    ds.add(DCT.title, lit(model.title_fr, "fr"), lit(model.title_en, "en"))
    ds.add(DCT.description, lit(model.description_fr, "fr"), lit(model.description_en, "en"))
    ds.add(DCT.identifier, lit(model.identifier))
    ds.add(DCT.accessRights, IRI(EU_ACCESS_RIGHT.NON_PUBLIC))
    ds.add(DCT.conformsTo, IRI(OMOP_STANDARD))
    ds.add(DCATAP.applicableLegislation, IRI(EHDS_REGULATION))
    ds.add(DCAT.theme, IRI(EU_DATA_THEME.HEAL))
    ds.add(HEALTHDCATAP.healthTheme, IRI(HDEU_HEALTH_THEME.HEALTH_SYSTEMS))
    ds.add(HEALTHDCATAP.healthCategory, *(IRI(HDEU_HEALTH_CATEGORY[c]) for c in model.health_categories))
    ds.add(HEALTHDCATAP.hasStructuredData, lit(True))
    ds.add(HEALTHDCATAP.hasCodingSystem, IRI(HDEU_CODING_SYSTEM["OHDSI-VOCAB"]))
    ds.add(DCT.publisher, IRI(iris.agent(HUB)))
    ds.add(HEALTHDCATAP.hdab, IRI(iris.agent(HUB)))
    ds.add(DCAT.keyword, *(lit(k, "fr") for k in model.keywords_fr), *(lit(k, "en") for k in model.keywords_en))
    ds.add(DCT.type, IRI(HDH[model.kind]))
    ds.add(DCT.language, IRI(EU_LANGUAGE.ENG))
    ds.add(FOAF.page, IRI(model.documentation))
    graph.node(model.documentation).add(RDF.type, IRI(FOAF.Document)).add(
        DCT.title, lit(model.documentation_title_en, "en")
    )
    graph.node(iris.catalog()).add(DCAT.dataset, IRI(ds_iri))

    contact = f"{ds_iri}#contact"
    ds.add(DCAT.contactPoint, IRI(contact))
    graph.node(contact).add(RDF.type, IRI(VCARD.Kind)).add(
        VCARD.fn, lit("Plateforme des données de santé (Health Data Hub)", "fr"), lit("French Health Data Hub", "en")
    ).add(VCARD.hasURL, IRI(HUB_PAGE))
    _access(graph, ds, ds_iri, model)
    _provenance(graph, ds, ds_iri, model)
    return ds


def _access(graph: Graph, ds: Node, ds_iri: str, model: Model) -> None:
    dist = iris.distribution(model.slug)
    ds.add(DCAT.distribution, IRI(dist))
    rights = f"{ds_iri}#access-conditions"
    graph.node(dist).add(RDF.type, IRI(DCAT.Distribution)).add(
        DCT.title, lit("Documentation du modèle OMOP CDM 5.4", "fr"), lit("Documentation of the OMOP CDM 5.4", "en")
    ).add(DCT.description, lit(model.access_fr, "fr"), lit(model.access_en, "en")).add(
        DCAT.accessURL, IRI(model.documentation)
    ).add(DCATAP.applicableLegislation, IRI(EHDS_REGULATION)).add(DCT.rights, IRI(rights)).add(
        DCT.format, IRI(EU_FILE_TYPE.HTML)
    ).add(DCATAP.availability, IRI(EU_PLANNED_AVAILABILITY.AVAILABLE))
    graph.node(rights).add(RDF.type, IRI(DCT.RightsStatement)).add(
        RDFS.label,
        lit(
            "Modèle public ; données des entrepôts sur autorisation ; aucune donnée de personne dans ce catalogue.",
            "fr",
        ),
        lit("Public model; warehouse data on authorisation; no data about any person in this catalogue.", "en"),
    )


def _provenance(graph: Graph, ds: Node, ds_iri: str, model: Model) -> None:
    statement = f"{ds_iri}#provenance"
    ds.add(DCT.provenance, IRI(statement))
    graph.node(statement).add(RDF.type, IRI(DCT.ProvenanceStatement)).add(
        RDFS.label,
        lit(
            "Modèle conçu et maintenu par la communauté OHDSI. Tables, variables, clés et domaines importés de la "
            "spécification OMOP CDM 5.4 (fichiers CSV du dépôt OHDSI/CommonDataModel, licence Apache 2.0).",
            "fr",
        ),
        lit(
            "Model designed and maintained by the OHDSI community. Tables, fields, keys and domains imported from "
            "the OMOP CDM 5.4 specification (CSV files of the OHDSI/CommonDataModel repository, Apache 2.0 licence).",
            "en",
        ),
    )
    activity = f"{ds_iri}#activity"
    ds.add(PROV.wasGeneratedBy, IRI(activity))
    graph.node(activity).add(RDF.type, IRI(PROV.Activity)).add(DCT.type, IRI(HDEU_HEALTH_ACTIVITY[model.activity])).add(
        RDFS.label,
        lit("Soins à l'hôpital, dont les données sont rangées dans un entrepôt au format OMOP", "fr"),
        lit("Hospital care, whose data are stored in a warehouse in the OMOP format", "en"),
    )
    for agent, role in ((model.author, "author"), (HUB, "distributor")):
        node = f"{ds_iri}#{role}-{agent}"
        ds.add(PROV.qualifiedAttribution, IRI(node))
        graph.node(node).add(RDF.type, IRI(PROV.Attribution)).add(PROV.agent, IRI(iris.agent(agent))).add(
            DCAT.hadRole, IRI(ROLE + role)
        )
