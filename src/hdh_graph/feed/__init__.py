"""The catalogue as a DCAT-AP 3 / HealthDCAT-AP feed, and other exports for data users.

``build_feed(store, settings, page=None, page_size=None, modified_since=None)`` gives a :class:`FeedPage`;
``FeedPage.serialize("turtle" | "jsonld" | "rdfxml" | "ntriples")`` writes it. The site writes the feed in static
pages (:mod:`hdh_graph.site.publish.feed`); the server answers ``/catalog.ttl|.jsonld|.rdf`` pages live
(:mod:`hdh_graph.feed.routes`).
"""

from hdh_graph.feed.build import FeedError, FeedPage, build_feed
from hdh_graph.feed.hydra import DEFAULT_PAGE_SIZE
from hdh_graph.feed.serialize import EXTENSIONS, MEDIA_TYPES, serialize

__all__ = ["DEFAULT_PAGE_SIZE", "EXTENSIONS", "MEDIA_TYPES", "FeedError", "FeedPage", "build_feed", "serialize"]
