"""Choosing the serialisation of a SPARQL result from the ``format`` parameter and the ``Accept`` header."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from pyoxigraph import QueryBoolean, QueryResultsFormat, QuerySolutions, QueryTriples, RdfFormat

ResultKind = Literal["solutions", "boolean", "graph"]


def kind_of(result: QuerySolutions | QueryBoolean | QueryTriples) -> ResultKind:
    """What a query gives: solutions (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE)."""
    if isinstance(result, QueryBoolean):
        return "boolean"
    return "solutions" if isinstance(result, QuerySolutions) else "graph"


@dataclass(frozen=True)
class ResultFormat:
    """One serialisation: its media type and the pyoxigraph format that writes it."""

    media_type: str
    oxigraph: QueryResultsFormat | RdfFormat
    names: tuple[str, ...]


TABULAR: tuple[ResultFormat, ...] = (
    ResultFormat("application/sparql-results+json", QueryResultsFormat.JSON, ("json", "srj")),
    ResultFormat("application/sparql-results+xml", QueryResultsFormat.XML, ("xml", "srx")),
    ResultFormat("text/csv", QueryResultsFormat.CSV, ("csv",)),
    ResultFormat("text/tab-separated-values", QueryResultsFormat.TSV, ("tsv",)),
)
GRAPH: tuple[ResultFormat, ...] = (
    ResultFormat("text/turtle", RdfFormat.TURTLE, ("turtle", "ttl")),
    ResultFormat("application/n-triples", RdfFormat.N_TRIPLES, ("ntriples", "n-triples", "nt")),
    ResultFormat("application/ld+json", RdfFormat.JSON_LD, ("jsonld", "json-ld", "json")),
    ResultFormat("application/rdf+xml", RdfFormat.RDF_XML, ("rdfxml", "rdf", "xml", "owl")),
    ResultFormat("application/trig", RdfFormat.TRIG, ("trig",)),
    ResultFormat("application/n-quads", RdfFormat.N_QUADS, ("nquads", "n-quads", "nq")),
)
# Media types clients send that mean one of ours.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "application/x-trig": "application/trig",
    "text/x-nquads": "application/n-quads",
}
GRAPH_ALIASES: dict[str, str] = {
    "application/json": "application/ld+json",
    "application/xml": "application/rdf+xml",
    "text/xml": "application/rdf+xml",
}


class NotAcceptable(Exception):
    """No serialisation we write matches what the client asked for."""


def formats_for(kind: ResultKind) -> tuple[ResultFormat, ...]:
    # The CSV and TSV formats have no boolean form: ASK answers in JSON or XML only.
    if kind == "boolean":
        return TABULAR[:2]
    return TABULAR if kind == "solutions" else GRAPH


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header, best first (stable for equal weights)."""
    if not header:
        return []
    ranges: list[tuple[str, float, int]] = []
    for position, part in enumerate(header.split(",")):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        weight = 1.0
        for param in pieces[1:]:
            if param.lower().startswith("q="):
                try:
                    weight = float(param[2:])
                except ValueError:
                    weight = 0.0
        ranges.append((media, weight, position))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, w) for m, w, _ in ranges if w > 0]


def choose(kind: ResultKind, accept: str | None, format_param: str | None = None) -> ResultFormat:
    """The serialisation for a result of this kind; the ``format`` parameter wins over ``Accept``."""
    candidates = formats_for(kind)
    aliases = {**ALIASES, **GRAPH_ALIASES} if kind == "graph" else ALIASES
    if format_param:
        wanted = format_param.strip().lower()
        wanted = aliases.get(wanted, wanted)
        for fmt in candidates:
            if wanted == fmt.media_type or wanted in fmt.names:
                return fmt
        raise NotAcceptable(
            f"format={format_param!r} is not available for this query; use one of "
            + ", ".join(f.names[0] for f in candidates)
        )
    ranges = parse_accept(accept)
    if not ranges:
        return candidates[0]
    for media, _weight in ranges:
        media = aliases.get(media, media)
        if media == "*/*":
            return candidates[0]
        for fmt in candidates:
            if media == fmt.media_type or (media.endswith("/*") and fmt.media_type.startswith(media[:-1])):
                return fmt
    raise NotAcceptable(
        f"none of the media types in Accept: {accept} is available for this query; use one of "
        + ", ".join(f.media_type for f in candidates)
    )


def prefers_html(accept: str | None) -> bool:
    """Whether a browser is asking (text/html ranked above every RDF and result type)."""
    for media, _weight in parse_accept(accept):
        if media in ("text/html", "application/xhtml+xml"):
            return True
        if media == "*/*":
            return False
        if media in ALIASES or any(media == f.media_type for f in TABULAR + GRAPH):
            return False
    return False


def rdf_format_for(accept: str | None, format_param: str | None = None) -> ResultFormat:
    """The RDF serialisation for a graph document such as the service description."""
    return choose("graph", accept, format_param)
