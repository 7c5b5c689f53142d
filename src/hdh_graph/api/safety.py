"""What the endpoint refuses, and its limits: read-only, no federation, no local files, bounded time and size."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from hdh_graph.errors import HdhError
from hdh_graph.sparql import text as sparql_text

if TYPE_CHECKING:
    from hdh_graph.api.execution import QueryJob

UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"})
# Graph names a client may give (FROM, FROM NAMED, default-graph-uri, named-graph-uri): names of graphs
# in the store. Schemes that point at local files or other machines' file systems are refused outright.
ALLOWED_GRAPH_SCHEMES = ("http://", "https://", "urn:", "tag:")


@dataclass(frozen=True)
class Limits:
    """The endpoint's limits; the time limit comes from ``settings.query_timeout``."""

    query_timeout: float = 30.0
    """Seconds a query may run; the client gets an error within a second of it."""
    max_result_bytes: int = 64 * 1024 * 1024
    """Largest serialised result sent back."""
    max_body_bytes: int = 1024 * 1024
    """Largest request body accepted."""
    read_timeout: float = 10.0
    """Seconds a request body may take to arrive."""


class Refused(HdhError):
    """A request the endpoint will not run; ``status`` is the HTTP status that answers it."""

    def __init__(self, status: int, message: str, hint: str | None = None) -> None:
        super().__init__(message, hint)
        self.status = status


def refuse_update(form: str = "update") -> Refused:
    return Refused(
        403,
        f"this endpoint is read-only: SPARQL {form} operations are refused",
        hint="the catalogue changes through the Turtle files in catalogue/ and `hdh build`",
    )


def check_query(text: str, base_iri: str | None = None) -> list[sparql_text.Token]:
    """Refuse updates, SERVICE and graph names that are not catalogue graphs; return the query's tokens.

    Graph names in FROM and FROM NAMED are checked as the engine reads them: a relative IRI resolves against the
    query's own BASE, else against ``base_iri`` (``FROM <graph/agents.ttl>`` names a catalogue graph).
    """
    toks = sparql_text.tokens(text)
    form = sparql_text.first_keyword(toks)
    if form in UPDATE_KEYWORDS:
        raise refuse_update(form)
    for tok in toks:
        if tok.kind == "word" and tok.upper == "SERVICE":
            raise Refused(
                403,
                "SERVICE (federated query) is refused: this endpoint makes no requests on a client's behalf",
                hint="query the other endpoint yourself and join the results on your side",
            )
    defaults, named = sparql_text.dataset_clauses(toks, sparql_text.base_of(toks, base_iri))
    for iri in defaults + named:
        check_graph_iri(iri, "FROM")
    return toks


def check_job(job: QueryJob) -> None:
    """Every check of :func:`check_query` and :func:`check_graph_iri` on a job (run in the worker, where the time
    it takes counts against the query's time limit)."""
    for iri in job.default_graphs or ():
        check_graph_iri(iri, "default-graph-uri")
    for iri in job.named_graphs or ():
        check_graph_iri(iri, "named-graph-uri")
    check_query(job.query, job.base_iri)


def check_graph_iri(iri: str, where: str) -> None:
    """Refuse a dataset graph name that could read outside the store (``file:`` and other schemes)."""
    if not iri.lower().startswith(ALLOWED_GRAPH_SCHEMES):
        raise Refused(
            403,
            f"{where} <{iri}> is refused: only graphs of the catalogue (http, https, urn or tag IRIs) "
            "can be queried, and nothing is ever read from files or fetched",
            hint="name a graph of the store, e.g. one listed by SELECT DISTINCT ?g { GRAPH ?g {} }",
        )
