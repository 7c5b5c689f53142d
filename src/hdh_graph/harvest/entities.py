"""Refuse RDF/XML that declares entities, before any RDF/XML parser sees it.

pyoxigraph's RDF/XML parser expands the entities a document declares in its DOCTYPE, nested ones included
(a 1 kB "billion laughs" document becomes a gigabyte literal after a minute), and rdflib's does no better. A
harvested document may therefore declare none: the prolog (everything before the root element) is read by the
standard library's expat, which reports each ``<!ENTITY`` declaration, external DTD and parameter entity
without loading any of them, and reading stops at the root element, so the check costs nothing on a large
feed. A plain ``<!DOCTYPE rdf:RDF>`` stays accepted.
"""

from __future__ import annotations

from xml.parsers import expat

from hdh_graph.harvest.errors import HarvestError

PIECE = 64 * 1024
HINT = "harvested RDF/XML may not declare entities (<!ENTITY ...>) or a DTD; ask the publisher for a plain document"


class _RootReached(Exception):
    pass


def refuse_entities(data: bytes, url: str) -> None:
    """A ``HarvestError`` naming the line when the XML prolog declares an entity or points at a DTD."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def refuse(what: str) -> None:
        raise HarvestError(f"{url}:{parser.CurrentLineNumber}: {what}, which is not read", hint=HINT)

    def entity(
        name: str, is_parameter: int, value: str | None, base: str | None, system: str | None, *_: object
    ) -> None:
        kind = "parameter entity" if is_parameter else "entity"
        where = f" pointing at {system!r}" if system else ""
        refuse(f"the document declares the {kind} {name!r}{where}")

    def doctype(name: str, system: str | None, public: str | None, internal: int) -> None:
        if system or public:
            refuse(f"the document points at an external DTD {system or public!r}")

    def root(*_: object) -> None:
        raise _RootReached

    parser.EntityDeclHandler = entity
    parser.StartDoctypeDeclHandler = doctype
    parser.StartElementHandler = root

    def external(*_: object) -> int:
        refuse("the document refers to an external entity")
        return 0

    parser.ExternalEntityRefHandler = external
    try:
        for start in range(0, len(data), PIECE):
            parser.Parse(data[start : start + PIECE], False)
        parser.Parse(b"", True)
    except _RootReached:
        return
    except expat.ExpatError:
        return  # not well-formed XML: the RDF/XML parser reports it with its position
