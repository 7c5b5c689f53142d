"""One place that maps resource IRIs to site paths and URLs, shared by the site and the API.

A resource's *path* is its IRI minus the base IRI (``dataset/dcir``, ``table/ER_PRS_F/BEN_AMA_COD``).
On disk, the site holds for each resource::

    <out>/<path>/index.html       French page (the default)
    <out>/en/<path>/index.html    English page
    <out>/<path>.ttl .jsonld .rdf machine-readable twins

and the catalogue feed at the root (``catalog.ttl``, ``catalog.jsonld``, ``catalog.rdf``).
"""

from __future__ import annotations

from urllib.parse import quote, unquote

LANGUAGES: tuple[str, ...] = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

# Twin file extension -> media type, in the order pages announce them.
TWINS: dict[str, str] = {
    "ttl": "text/turtle",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
}

FEED_NAME = "catalog"


def resource_path(iri: str, base_iri: str) -> str | None:
    """The path of a resource inside the site, or ``None`` when the IRI is not under the base.

    Fragments (``table/X#fk-...``) belong to the page of the IRI before ``#``. Characters that are not
    safe in a URL path segment are percent-encoded; ``%`` already present is kept.
    """
    if not iri.startswith(base_iri):
        return None
    rel = iri[len(base_iri) :].split("#", 1)[0].strip("/")
    if not rel:
        return None
    return quote(rel, safe="/%:@!$&'()*+,;=-._~")


def page_url(path: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """The site-absolute URL of a page (``/dataset/dcir/`` or ``/en/dataset/dcir/``); ``""`` is home."""
    prefix = "" if lang == DEFAULT_LANGUAGE else f"/{lang}"
    return f"{prefix}/{path}/" if path else f"{prefix}/"


def iri_url(iri: str, base_iri: str, lang: str = DEFAULT_LANGUAGE) -> str | None:
    """The page URL of a resource IRI, or ``None`` when the site has no page for it."""
    path = resource_path(iri, base_iri)
    return None if path is None else page_url(path, lang)


def twin_url(path: str, ext: str) -> str:
    """The URL of a machine-readable twin (``/dataset/dcir.ttl``)."""
    return f"/{path}.{ext}"


def html_file(path: str, lang: str) -> str:
    """The file, relative to the output folder, that holds a page. Paths are URL paths (percent-encoded);
    files are named as a web server decodes the URL (``codelist/A%20B`` is in the folder ``codelist/A B``)."""
    prefix = "" if lang == DEFAULT_LANGUAGE else f"{lang}/"
    return f"{prefix}{unquote(path)}/index.html" if path else f"{prefix}index.html"


def twin_file(path: str, ext: str) -> str:
    """The file, relative to the output folder, that holds a twin (named decoded, as :func:`html_file`)."""
    return f"{unquote(path)}.{ext}"


def split_request_path(url_path: str) -> tuple[str, str, str | None]:
    """Split a request path into (language, resource path, twin extension or None).

    ``/en/dataset/dcir/`` → ``("en", "dataset/dcir", None)``; ``/dataset/dcir.ttl`` → ``("fr", "dataset/dcir", "ttl")``.
    """
    parts = url_path.strip("/")
    lang = DEFAULT_LANGUAGE
    for candidate in LANGUAGES:
        if candidate != DEFAULT_LANGUAGE and (parts == candidate or parts.startswith(candidate + "/")):
            lang, parts = candidate, parts[len(candidate) :].strip("/")
    ext = None
    for candidate in TWINS:
        if parts.endswith("." + candidate):
            ext, parts = candidate, parts[: -len(candidate) - 1]
    return lang, parts, ext
