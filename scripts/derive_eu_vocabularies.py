"""Derive shapes/vocabularies/eu-filetype-mediatype-frequency.ttl from the EU Publications Office NALs.

    python scripts/derive_eu_vocabularies.py DIR > shapes/vocabularies/eu-filetype-mediatype-frequency.ttl

DIR holds ``filetypes-skos-ap-act.rdf`` and ``frequencies-skos-ap-act.rdf`` (github.com/SEMICeu/dcat-ap_shacl
``resources/`` at commit 07a19dde14ca162a8396172538dc7dbc00aab07e; © European Union, reuse under Commission
Decision 2011/833/EU). Kept: each concept's scheme, notation and English/French labels, typed with the class
DCAT-AP 3's range.ttl asks for (file type: dct:MediaTypeOrExtent; frequency: dct:Frequency); and, from the file
types' IANA media type notations (``euvoc:xlNotation`` of type IANA_MT), the IANA media types as
dct:MediaType, under both the http and https forms of ``www.iana.org/assignments/media-types/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

EUVOC = rdflib.Namespace("http://publications.europa.eu/ontology/euvoc#")
IANA_MT = rdflib.URIRef("http://publications.europa.eu/resource/authority/notation-type/IANA_MT")
IANA = ("http://www.iana.org/assignments/media-types/", "https://www.iana.org/assignments/media-types/")


def concepts(source: rdflib.Graph, out: rdflib.Graph, cls: rdflib.URIRef) -> None:
    for concept in sorted(source.subjects(RDF.type, SKOS.Concept)):
        out.add((concept, RDF.type, SKOS.Concept))
        out.add((concept, RDF.type, cls))
        for scheme in source.objects(concept, SKOS.inScheme):
            out.add((concept, SKOS.inScheme, scheme))
            out.add((scheme, RDF.type, SKOS.ConceptScheme))
        code = source.value(concept, rdflib.URIRef("http://publications.europa.eu/ontology/authority/authority-code"))
        if code is not None:
            out.add((concept, SKOS.notation, rdflib.Literal(str(code))))
        for label in source.objects(concept, SKOS.prefLabel):
            if isinstance(label, rdflib.Literal) and label.language in ("en", "fr"):
                out.add((concept, SKOS.prefLabel, label))


def media_types(source: rdflib.Graph, out: rdflib.Graph) -> None:
    for note in source.subjects(RDF.type, EUVOC.XlNotation):
        if (note, None, IANA_MT) not in source:  # dct:type of the notation
            continue
        for code in source.objects(note, EUVOC.xlCodification):
            text = str(code).strip()
            if "/" not in text or " " in text:
                continue
            for base in IANA:
                iri = rdflib.URIRef(base + text)
                out.add((iri, RDF.type, DCTERMS.MediaType))
                out.add((iri, RDF.type, DCTERMS.MediaTypeOrExtent))
                out.add((iri, RDFS.label, rdflib.Literal(text)))


def main() -> None:
    folder = Path(sys.argv[1])
    filetypes = rdflib.Graph().parse(folder / "filetypes-skos-ap-act.rdf")
    frequencies = rdflib.Graph().parse(folder / "frequencies-skos-ap-act.rdf")
    out = rdflib.Graph()
    for prefix, ns in (("skos", SKOS), ("dct", DCTERMS), ("rdfs", RDFS)):
        out.bind(prefix, ns)
    out.bind("filetype", "http://publications.europa.eu/resource/authority/file-type/")
    out.bind("freq", "http://publications.europa.eu/resource/authority/frequency/")
    concepts(filetypes, out, DCTERMS.MediaTypeOrExtent)
    concepts(frequencies, out, DCTERMS.Frequency)
    media_types(filetypes, out)
    header = (__doc__ or "").strip().replace("\n", "\n# ")
    sys.stdout.write("# DERIVED DATA (not an official file): " + header + "\n\n")
    sys.stdout.write(out.serialize(format="turtle"))


if __name__ == "__main__":
    main()
