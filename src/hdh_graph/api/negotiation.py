"""Choosing the serialisation of a SPARQL result from the ``format`` parameter and the ``Accept`` header.

Every step is linear in the size of the header and the parameters (bounded by the server's header limit)."""

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
    ResultFormat("text/turtle", RdfFormat.TURTLE, ("turtle", "ttl", "n3")),
    ResultFormat("application/n-triples", RdfFormat.N_TRIPLES, ("ntriples", "n-triples", "nt")),
    ResultFormat("application/ld+json", RdfFormat.JSON_LD, ("jsonld", "json-ld", "json", "json+ld")),
    ResultFormat("application/rdf+xml", RdfFormat.RDF_XML, ("rdfxml", "rdf", "xml", "owl", "rdf+xml")),
    ResultFormat("application/trig", RdfFormat.TRIG, ("trig",)),
    ResultFormat("application/n-quads", RdfFormat.N_QUADS, ("nquads", "n-quads", "nq")),
)
# Media types and format names clients send that mean one of ours (SPARQLWrapper, rdflib, YASGUI, Jena and
# Virtuoso clients): N3 is answered with Turtle, which is N3.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "text/javascript": "application/sparql-results+json",
    "application/javascript": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "application/turtle": "text/turtle",
    "text/n3": "text/turtle",
    "text/rdf+n3": "text/turtle",
    "application/n3": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "application/x-json+ld": "application/ld+json",
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
    # A boolean in CSV or TSV is the word true or false, as Oxigraph writes it.
    return TABULAR if kind in ("solutions", "boolean") else GRAPH


def accept_ranges(header: str | None) -> list[tuple[str, float]]:
    """Every media range of an Accept header with its weight, in the header's order (``q=0`` ones too)."""
    if not header:
        return []
    ranges: list[tuple[str, float]] = []
    for part in header.split(","):
        pieces = part.split(";")
        media = pieces[0].strip().lower()
        if not media:
            continue
        weight = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = min(max(float(value.strip()), 0.0), 1.0)
                except ValueError:
                    weight = 0.0
        ranges.append((media, weight))
    return ranges


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """Media ranges of an Accept header that a client will take, best first (stable for equal weights)."""
    ranges = [(m, w, i) for i, (m, w) in enumerate(accept_ranges(header))]
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, w) for m, w, _ in ranges if w > 0]


def _from_format(candidates: tuple[ResultFormat, ...], aliases: dict[str, str], value: str) -> ResultFormat | None:
    wanted = value.strip().lower()
    wanted = aliases.get(wanted, wanted)
    for fmt in candidates:
        if wanted == fmt.media_type or wanted in fmt.names:
            return fmt
    return None


def _from_accept(candidates: tuple[ResultFormat, ...], aliases: dict[str, str], header: str) -> ResultFormat | None:
    """The format with the highest weight; for equal weights, the one whose range comes first, then ours.

    A format's weight is that of the most specific range that matches it (``text/turtle`` over ``text/*`` over
    ``*/*``), so ``*/*, text/csv;q=0`` refuses CSV and takes anything else.
    """
    ranges = accept_ranges(header)
    best: tuple[float, int, int] | None = None
    chosen: ResultFormat | None = None
    for order, fmt in enumerate(candidates):
        match: tuple[int, float, int] | None = None  # (specificity, weight, position)
        for position, (media, weight) in enumerate(ranges):
            media = aliases.get(media, media)
            if media == fmt.media_type:
                specificity = 3
            elif media.endswith("/*") and fmt.media_type.startswith(media[:-1]):
                specificity = 2
            elif media == "*/*" or media == "*":
                specificity = 1
            else:
                continue
            if match is None or specificity > match[0]:
                match = (specificity, weight, position)
        if match is None or match[1] <= 0:
            continue
        rank = (match[1], -match[2], -order)
        if best is None or rank > best:
            best, chosen = rank, fmt
    return chosen


def choose(kind: ResultKind, accept: str | None, formats: tuple[str, ...] | str | None = None) -> ResultFormat:
    """The serialisation for a result of this kind.

    A ``format`` (or ``output``) parameter we know wins over ``Accept``; several may be given (SPARQLWrapper sends
    a name and a media type), the first we know is used. Values we do not know, or that do not fit this kind of
    result, give way to ``Accept`` when it names something; otherwise they are refused. Without either, the first
    format of the kind (JSON results, Turtle) is sent. An ``Accept`` that every format fails is refused.
    """
    candidates = formats_for(kind)
    aliases = {**ALIASES, **GRAPH_ALIASES} if kind == "graph" else ALIASES
    values = (formats,) if isinstance(formats, str) else tuple(formats or ())
    for value in values:
        fmt = _from_format(candidates, aliases, value)
        if fmt is not None:
            return fmt
    specific = any(aliases.get(m, m) not in ("*/*", "*") for m, w in accept_ranges(accept) if w > 0)
    if values and not specific:
        raise NotAcceptable(
            f"format={values[0]!r} is not available for this query; use one of "
            + ", ".join(f.names[0] for f in candidates)
        )
    if not accept or not accept.strip():
        return candidates[0]
    fmt = _from_accept(candidates, aliases, accept)
    if fmt is None:
        raise NotAcceptable(
            f"none of the media types in Accept: {accept[:200]} is available for this query; use one of "
            + ", ".join(f.media_type for f in candidates)
        )
    return fmt


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


def rdf_format_for(accept: str | None, formats: tuple[str, ...] | str | None = None) -> ResultFormat:
    """The RDF serialisation for a graph document such as the service description."""
    return choose("graph", accept, formats)
