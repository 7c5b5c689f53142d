"""What the endpoint refuses, and its limits: read-only, no federation, no local files, bounded time and size."""

from __future__ import annotations

from dataclasses import dataclass

from hdh_graph.errors import HdhError
from hdh_graph.sparql import text as sparql_text

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


def check_query(text: str) -> list[sparql_text.Token]:
    """Refuse updates, SERVICE and graph names that are not catalogue graphs; return the query's tokens."""
    toks = sparql_text.tokens(text)
    form = sparql_text.first_keyword(toks)
    if form in UPDATE_KEYWORDS:
        raise refuse_update(form)
    declared = sparql_text.prefixes(toks)
    for i, tok in enumerate(toks):
        if tok.kind != "word":
            continue
        word = tok.upper
        if word == "SERVICE":
            raise Refused(
                403,
                "SERVICE (federated query) is refused: this endpoint makes no requests on a client's behalf",
                hint="query the other endpoint yourself and join the results on your side",
            )
        if word == "FROM":
            j = i + 1
            if j < len(toks) and toks[j].kind == "word" and toks[j].upper == "NAMED":
                j += 1
            if j < len(toks):
                iri = sparql_text.expand(toks[j], declared)
                if iri is not None:
                    check_graph_iri(iri, "FROM")
    return toks


def check_graph_iri(iri: str, where: str) -> None:
    """Refuse a dataset graph name that could read outside the store (``file:`` and other schemes)."""
    if not iri.lower().startswith(ALLOWED_GRAPH_SCHEMES):
        raise Refused(
            403,
            f"{where} <{iri}> is refused: only graphs of the catalogue (http, https, urn or tag IRIs) "
            "can be queried, and nothing is ever read from files or fetched",
            hint="name a graph of the store, e.g. one listed by SELECT DISTINCT ?g { GRAPH ?g {} }",
        )
