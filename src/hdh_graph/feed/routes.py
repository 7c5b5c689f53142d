"""The live feed: ``/catalog.ttl``, ``/catalog.jsonld`` and ``/catalog.rdf``, paged, with ``modified_since``;
and per dataset, ``/dataset/{slug}/croissant.json``, ``/dataset/{slug}/dictionary.csv`` and ``.xlsx``.

Include with ``app.include_router(hdh_graph.feed.routes.router)``; the app must hold the opened store in
``app.state.store`` and the settings in ``app.state.settings``. The live feed is always paged (Hydra
``PartialCollectionView``, 100 datasets a page unless ``page_size`` says otherwise; page links carry the page in
the query string). The static site writes the same pages as files, ``catalog.ttl`` then ``catalog/page/2.ttl``…
(:mod:`hdh_graph.site.publish.feed`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from hdh_graph import iris
from hdh_graph.errors import HdhError
from hdh_graph.feed.build import MAX_PAGE_SIZE, FeedError, build_feed
from hdh_graph.feed.hydra import DEFAULT_PAGE_SIZE
from hdh_graph.feed.serialize import EXTENSIONS, MEDIA_TYPES

router = APIRouter(tags=["feed"])


def _answer(request: Request, ext: str, page: int, page_size: int, modified_since: datetime | None) -> Response:
    store = getattr(request.app.state, "store", None)
    settings = request.app.state.settings
    if store is None:
        return JSONResponse(
            {"error": "the live feed needs the embedded store", "hint": "serve without --sparql-endpoint"},
            status_code=503,
        )
    fmt = EXTENSIONS[ext]
    feed_url = str(request.base_url).rstrip("/") + request.url.path
    try:
        result = build_feed(
            store, settings, page=page, page_size=page_size, modified_since=modified_since, feed_url=feed_url
        )
    except FeedError as exc:
        return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=404)
    return Response(
        result.serialize(fmt),
        media_type=MEDIA_TYPES[fmt],
        headers={"X-Total-Count": str(result.total), "Cache-Control": "no-cache"},
    )


PageQuery = Annotated[int, Query(ge=1, description="Page number, from 1.")]
SizeQuery = Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE, description="Datasets per page.")]
SinceQuery = Annotated[
    datetime | None,
    Query(description="Only datasets whose catalogue record changed at or after this date (ISO 8601)."),
]


@router.get("/catalog.ttl", summary="The catalogue as DCAT-AP Turtle")
def catalog_turtle(
    request: Request, page: PageQuery = 1, page_size: SizeQuery = DEFAULT_PAGE_SIZE, modified_since: SinceQuery = None
) -> Response:
    return _answer(request, "ttl", page, page_size, modified_since)


@router.get("/catalog.jsonld", summary="The catalogue as DCAT-AP JSON-LD")
def catalog_jsonld(
    request: Request, page: PageQuery = 1, page_size: SizeQuery = DEFAULT_PAGE_SIZE, modified_since: SinceQuery = None
) -> Response:
    return _answer(request, "jsonld", page, page_size, modified_since)


@router.get("/catalog.rdf", summary="The catalogue as DCAT-AP RDF/XML")
def catalog_rdfxml(
    request: Request, page: PageQuery = 1, page_size: SizeQuery = DEFAULT_PAGE_SIZE, modified_since: SinceQuery = None
) -> Response:
    return _answer(request, "rdf", page, page_size, modified_since)


EXPORTS = {
    "croissant.json": ("application/ld+json", "croissant"),
    "dictionary.csv": ("text/csv; charset=utf-8", "csv"),
    "dictionary.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}


@router.get("/dataset/{slug}/{name}", summary="A dataset as Croissant JSON-LD, or its data dictionary (CSV, Excel)")
def dataset_export(request: Request, slug: str, name: str, lang: str | None = None) -> Response:
    if name not in EXPORTS:
        return JSONResponse({"error": f"no {name} for datasets", "hint": "use " + ", ".join(EXPORTS)}, 404)
    store = getattr(request.app.state, "store", None)
    if store is None:
        return JSONResponse(
            {"error": "exports need the embedded store", "hint": "serve without --sparql-endpoint"}, 503
        )
    from hdh_graph.feed.croissant import croissant
    from hdh_graph.feed.dictionary_export import dictionary_csv, dictionary_xlsx

    media, kind = EXPORTS[name]
    iri = request.app.state.settings.base_iri + iris.dataset(slug)
    try:
        if kind == "croissant":
            body = croissant(store, iri, lang or "en")
        elif kind == "csv":
            body = dictionary_csv(store, iri, lang or "fr")
        else:
            body = dictionary_xlsx(store, iri, lang or "fr")
    except HdhError as exc:
        return JSONResponse({"error": exc.message, "hint": exc.hint}, status_code=404)
    disposition = "inline" if kind == "croissant" else f'attachment; filename="{slug}-{name}"'
    return Response(body, media_type=media, headers={"Content-Disposition": disposition})
