"""The concept domains the OMOP CDM names (``fkDomain``), as SKOS concept schemes.

An OMOP ``*_concept_id`` field holds the identifier of a concept of the OMOP standardised vocabularies
(``CONCEPT.concept_id``); the specification says which domain the concepts must belong to (``Gender``,
``Condition``, ``Drug``...). Each domain is a ``skos:ConceptScheme`` that the fields reference with
``qb:codeList``, as SNDS variables reference their code lists. The concepts themselves are distributed by OHDSI
(Athena, under the licences of each vocabulary) and are not copied into the catalogue: each scheme says so
(``skos:editorialNote``) and points to the domain's concepts in Athena (``dct:source``).
"""

from __future__ import annotations

import re
from urllib.parse import quote

from hdh_graph import iris
from hdh_graph.turtle_writer import IRI, Graph, lit
from hdh_graph.vocab import DCT, HDEU_CODING_SYSTEM, RDF, SKOS

ATHENA = "https://athena.ohdsi.org/search-terms/terms"
DOMAINS_FR = {
    "Condition": "Pathologies et diagnostics",
    "Condition Status": "Statut du diagnostic",
    "Device": "Dispositifs médicaux",
    "Drug": "Médicaments",
    "Episode": "Épisodes de soins",
    "Ethnicity": "Origine ethnique",
    "Gender": "Sexe",
    "Measurement": "Mesures",
    "Metadata": "Métadonnées",
    "Procedure": "Actes et procédures",
    "Race": "Race",
    "Regimen": "Protocoles de traitement",
    "Route": "Voie d'administration",
    "Type Concept": "Provenance de l'enregistrement",
    "Unit": "Unités",
    "Visit": "Types de venue",
}


def domain_scheme(domain: str) -> str:
    """``Type Concept`` → ``codelist/omop-domain-type-concept``."""
    return iris.codelist("omop-domain-" + re.sub(r"[^a-z0-9]+", "-", domain.lower()).strip("-"))


def describe_domain(graph: Graph, domain: str) -> None:
    node = graph.node(domain_scheme(domain))
    node.add(RDF.type, IRI(SKOS.ConceptScheme))
    node.add(DCT.identifier, lit(f"OMOP domain {domain}"))
    french = DOMAINS_FR.get(domain, domain)
    node.add(DCT.title, lit(f"Concepts OMOP du domaine {domain} ({french})", "fr"))
    node.add(DCT.title, lit(f"OMOP concepts of the {domain} domain", "en"))
    node.add(
        DCT.description,
        lit(
            f"Concepts des vocabulaires standardisés OMOP dont le domaine est « {domain} » : les valeurs que prennent "
            "les variables *_concept_id qui citent ce domaine (identifiants de CONCEPT.concept_id).",
            "fr",
        ),
        lit(
            f'Concepts of the OMOP standardised vocabularies whose domain is "{domain}": the values of the '
            "*_concept_id fields that name this domain (identifiers of CONCEPT.concept_id).",
            "en",
        ),
    )
    node.add(DCT.conformsTo, IRI(HDEU_CODING_SYSTEM["OHDSI-VOCAB"]))
    node.add(DCT.source, IRI(f"{ATHENA}?domain={quote(domain)}&standardConcept=Standard"))
    node.add(
        SKOS.editorialNote,
        lit(
            "Les concepts sont diffusés par OHDSI (Athena), sous la licence de chaque vocabulaire ; ils ne sont pas "
            "copiés dans ce catalogue.",
            "fr",
        ),
        lit(
            "The concepts are distributed by OHDSI (Athena), under each vocabulary's licence; they are not copied "
            "into this catalogue.",
            "en",
        ),
    )
