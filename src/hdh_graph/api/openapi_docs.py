"""What the OpenAPI description says beyond what FastAPI reads from the routes' signatures.

``/sparql`` reads its parameters itself (the Protocol allows them in the URL, a form body or a direct body), so
its parameters, bodies and answers are declared here; :func:`declare_errors` adds to every operation the error
answers the server may give (plain-text or JSON messages, 429/503 with ``Retry-After``), so that a client, or a
fuzzer, knows every status and media type to expect.
"""

from __future__ import annotations

from typing import Any

RESULT_TYPES = (
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "text/turtle",
    "application/n-triples",
    "application/ld+json",
    "application/rdf+xml",
    "application/trig",
    "application/n-quads",
)
_STRING = {"type": "string"}
_IRI_LIST = {"type": "array", "items": {"type": "string"}}

SPARQL_GET: dict[str, Any] = {
    "description": (
        "A SPARQL 1.1 query, by GET (`query=` in the URL), by POST form (`application/x-www-form-urlencoded`) or "
        "by POST of the query itself (`application/sparql-query`). Without a query, GET answers the editor to a "
        "browser and the service description (RDF) to others. The catalogue's prefixes are predeclared; "
        "read-only (updates, SERVICE and graphs outside the store are refused with 403)."
    ),
    "parameters": [
        {
            "name": "query",
            "in": "query",
            "required": False,
            "schema": {"type": "string", "minLength": 1},
            "example": "ASK { ?s ?p ?o }",
            "description": "The query (without it: the editor, or the service description).",
        },
        {
            "name": "default-graph-uri",
            "in": "query",
            "required": False,
            "schema": _IRI_LIST,
            "style": "form",
            "explode": True,
            "description": "Graphs that make the default graph (instead of the union of all graphs).",
        },
        {
            "name": "named-graph-uri",
            "in": "query",
            "required": False,
            "schema": _IRI_LIST,
            "style": "form",
            "explode": True,
            "description": "The named graphs the query may use.",
        },
        {
            "name": "format",
            "in": "query",
            "required": False,
            "schema": _STRING,
            "description": "A result format name (json, xml, csv, tsv, turtle, jsonld, rdfxml...) or media type; "
            "wins over Accept when it fits the query.",
        },
        {"name": "Accept", "in": "header", "required": False, "schema": _STRING},
    ],
}
SPARQL_POST: dict[str, Any] = {
    "description": SPARQL_GET["description"],
    "parameters": [p for p in SPARQL_GET["parameters"] if p["name"] != "query"],
    "requestBody": {
        "required": True,
        "content": {
            "application/x-www-form-urlencoded": {
                "schema": {
                    "type": "object",
                    "required": ["query"],
                    "properties": {
                        "query": {"type": "string", "minLength": 1, "example": "ASK { ?s ?p ?o }"},
                        "default-graph-uri": _IRI_LIST,
                        "named-graph-uri": _IRI_LIST,
                        "format": _STRING,
                    },
                }
            },
            "application/sparql-query": {"schema": {"type": "string", "minLength": 1, "example": "ASK {}"}},
        },
    },
    "responses": {
        "200": {
            "description": "The result (SELECT and ASK: SPARQL results; CONSTRUCT and DESCRIBE: RDF).",
            "content": {media: {"schema": {}} for media in RESULT_TYPES},
        },
    },
}
SPARQL_GET["responses"] = {
    "200": {
        "description": "The result (SELECT and ASK: SPARQL results; CONSTRUCT and DESCRIBE: RDF); without a query, "
        "the editor page (HTML) or the service description (RDF).",
        "content": {media: {"schema": {}} for media in (*RESULT_TYPES, "text/html")},
    },
    "304": {"description": "Not modified: the store has not changed since the ETag sent in If-None-Match."},
}

ERRORS: dict[str, str] = {
    "400": "The request or the query is malformed, or the query failed (the message says where and why).",
    "403": "Refused: updates, SERVICE, graphs outside the store.",
    "404": "Not found.",
    "405": "Method not allowed.",
    "406": "None of the requested formats is available.",
    "408": "The request body did not arrive in time.",
    "413": "The request body is too large.",
    "414": "The URL is too long (send the query by POST).",
    "415": "Unsupported media type or charset.",
    "422": "A parameter is invalid, or the result is larger than the endpoint's limit.",
    "431": "The request's headers are too large.",
    "429": "Too many queries from this client at once (see Retry-After).",
    "502": "The remote SPARQL server failed.",
    "503": "Busy or past the time limit (see Retry-After), or the service is not available.",
}
SUCCESS_TYPES: dict[str, tuple[str, ...]] = {
    "/api/catalog.ttl": ("text/turtle",),
    "/api/catalog.jsonld": ("application/ld+json",),
    "/api/catalog.rdf": ("application/rdf+xml",),
    "/api/dataset/{slug}/{name}": (
        "application/ld+json",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
}
"""What the routes that do not answer JSON send on success (FastAPI would say JSON)."""
_ERROR_CONTENT: dict[str, Any] = {"text/plain": {"schema": {}}, "application/json": {"schema": {"type": "object"}}}


def declare_errors(schema: dict[str, Any]) -> dict[str, Any]:
    """Add the error answers (:data:`ERRORS`) to every operation that does not declare them itself."""
    for path, path_item in schema.get("paths", {}).items():
        for operation in path_item.values():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            if path in SUCCESS_TYPES and "200" in responses:
                responses["200"]["content"] = {media: {"schema": {}} for media in SUCCESS_TYPES[path]}
            for parameter in operation.get("parameters", []):
                alternatives = parameter.get("schema", {}).get("anyOf", [])
                if any(a.get("format") == "date-time" for a in alternatives):
                    # The server also reads a number as a Unix time in seconds or milliseconds, as pydantic does,
                    # from the year 1 to 9999.
                    alternatives.append(
                        {"type": "integer", "minimum": -62_135_596_800_000, "maximum": 253_402_300_799_999}
                    )
            for status, description in ERRORS.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": _ERROR_CONTENT,
                        **(
                            {"headers": {"Retry-After": {"schema": {"type": "integer"}}}}
                            if status in ("429", "503")
                            else {}
                        ),
                    },
                )
            if "422" in responses and "content" in responses["422"]:
                responses["422"]["content"] = {**_ERROR_CONTENT, **responses["422"]["content"]}
    return schema
