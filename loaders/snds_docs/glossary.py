"""The glossary of the SNDS documentation (``glossaire/*.md``) as a SKOS concept scheme, and where it is used.

A page titled ``# ACR - Expansion`` is a term with the preferred label ``Expansion`` and the acronym ``ACR`` as
alternative label; a page titled with a name only has that name as preferred label (and its file name as
alternative label when that is an acronym, e.g. ``EGB.md``). The definition is the page's first paragraph; pages
that have none yet (stubs of the documentation) are terms without ``skos:definition``.

A table or variable whose description uses a term (its acronym as a word, in capitals; or its name, in any case
and with or without accents) is linked to it by ``dct:isReferencedBy`` stated on the term: the generated file then
only describes terms, and each table and variable keeps its own file as its first description.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import quote

from hdh_graph import iris
from hdh_graph.turtle_writer import IRI, Graph, lit
from hdh_graph.vocab import DCT, RDF, SKOS

from .markdown import Page

SCHEME = "vocabulary/snds-glossary"
_ACRONYM = re.compile(r"[A-Z][A-Za-z0-9-]*[A-Z0-9][A-Za-z0-9-]*")


@dataclass
class Term:
    slug: str
    pref_label: str
    alt_labels: tuple[str, ...]
    definition: str
    page: Page
    used_by: set[str] = field(default_factory=set)

    @property
    def iri(self) -> str:
        return f"{SCHEME}/{iris.encode_segment(self.slug)}"


def term_of(page: Page) -> Term:
    slug = page.path.stem
    title = re.sub(r"\s+", " ", page.title).strip()
    left, sep, right = (part.strip() for part in title.partition(" - "))
    alts: list[str] = []
    if sep and " " not in left:
        pref = right[:1].upper() + right[1:]
        alts.append(left)
    else:
        pref = title
        if sep:
            alts.append(left)
    if _ACRONYM.fullmatch(slug) and slug not in alts and slug != pref:
        alts.append(slug)
    return Term(slug, pref, tuple(alts), page.first_paragraph, page)


def _fold(text: str) -> str:
    """Lower case, no accents: "Sévérité" and "severite" compare equal."""
    return "".join(c for c in unicodedata.normalize("NFD", text.casefold()) if not unicodedata.combining(c))


def _patterns(term: Term) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
    acronyms = sorted({a for a in term.alt_labels if _ACRONYM.fullmatch(a)} | {a.upper() for a in term.alt_labels})
    acronym = (
        re.compile(r"(?<![A-Za-z0-9_])(" + "|".join(map(re.escape, acronyms)) + r")(?![A-Za-z0-9_])")
        if acronyms
        else None
    )
    name = _fold(term.pref_label)
    words = re.findall(r"\w+", name)
    named = (
        re.compile(r"(?<!\w)" + r"\W+".join(map(re.escape, words)) + r"(?!\w)")
        if words and (len(words) > 1 or len(name) >= 6)
        else None
    )
    return acronym, named


def link_uses(terms: Iterable[Term], texts: dict[str, str], skip: set[str]) -> None:
    """Fill each term's ``used_by`` with the tables and variables whose texts use it (terms in ``skip`` aside)."""
    folded = {iri: _fold(text) for iri, text in texts.items()}
    for term in terms:
        if term.slug in skip:
            continue
        acronym, named = _patterns(term)
        for iri, text in texts.items():
            if (acronym and acronym.search(text)) or (named and named.search(folded[iri])):
                term.used_by.add(iri)


def describe_glossary(graph: Graph, terms: list[Term], source_url: str, licence: str) -> None:
    scheme = graph.node(SCHEME)
    scheme.add(RDF.type, IRI(SKOS.ConceptScheme))
    scheme.add(DCT.identifier, lit("snds-glossary"))
    scheme.add(DCT.title, lit("Glossaire du SNDS", "fr"), lit("Glossary of the SNDS", "en"))
    scheme.add(
        DCT.description,
        lit(
            "Les termes et sigles de la documentation collaborative du SNDS, avec leur définition quand la "
            "documentation en donne une ; chaque terme est relié aux tables et aux variables dont la description "
            "l'emploie.",
            "fr",
        ),
        lit(
            "The terms and acronyms of the collaborative documentation of the SNDS, with their definition where the "
            "documentation gives one; each term is linked to the tables and variables whose description uses it.",
            "en",
        ),
    )
    scheme.add(DCT.source, IRI(source_url + "glossaire/"))
    scheme.add(DCT.license, IRI(licence))
    scheme.add(DCT.language, IRI("http://publications.europa.eu/resource/authority/language/FRA"))
    for term in sorted(terms, key=lambda t: t.slug):
        node = graph.node(term.iri)
        node.add(RDF.type, IRI(SKOS.Concept))
        node.add(SKOS.inScheme, IRI(SCHEME))
        node.add(SKOS.topConceptOf, IRI(SCHEME))
        node.add(SKOS.notation, lit(term.slug))
        node.add(SKOS.prefLabel, lit(term.pref_label, "fr"))
        node.add(SKOS.altLabel, *(lit(a, "fr") for a in term.alt_labels))
        node.add(SKOS.definition, lit(term.definition, "fr"))
        node.add(DCT.source, IRI(source_url + quote(term.page.relative)))
        node.add(DCT.isReferencedBy, *(IRI(i) for i in sorted(term.used_by)))
        scheme.add(SKOS.hasTopConcept, IRI(term.iri))
