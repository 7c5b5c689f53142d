"""Compressed answers: Brotli, gzip (and Zstandard) as the client's ``Accept-Encoding`` asks, through
``starlette-compress``.

It compresses only media types on its list of compressible ones (HTML, CSS, JavaScript, JSON, XML, SVG...), to
which the RDF and SPARQL result types are added here; images, fonts in compressed formats, archives and answers
already encoded are sent as they are. Answers under :data:`MINIMUM_SIZE` bytes are not worth it.
"""

from __future__ import annotations

from starlette.types import ASGIApp
from starlette_compress import CompressMiddleware, add_compress_type

MINIMUM_SIZE = 500
COMPRESSIBLE = (
    "text/turtle",
    "application/n-triples",
    "application/trig",
    "application/n-quads",
    "application/sparql-results+json",
    "application/sparql-results+xml",
    "text/csv",
    "text/tab-separated-values",
    "application/rdf+xml",
    "application/ld+json",
)
for _media in COMPRESSIBLE:
    add_compress_type(_media)


def compressed(app: ASGIApp) -> CompressMiddleware:
    """The app with compression (quality levels chosen for speed: answers are compressed on every request)."""
    return CompressMiddleware(app, minimum_size=MINIMUM_SIZE, brotli_quality=4, gzip_level=6, zstd_level=3)
