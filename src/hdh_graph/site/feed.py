"""The catalogue feed written at the site's root (``catalog.ttl``, ``catalog.jsonld``, ``catalog.rdf``).

The DCAT-AP / HealthDCAT-AP feed proper (catalogue records, Hydra paging) belongs to
:mod:`hdh_graph.feed`; this module only writes it. Where that package is absent it falls back to a plain
CONSTRUCT of the catalogue, its datasets, their distributions and their agents.
"""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox

from hdh_graph.settings import Settings
from hdh_graph.site.twins import FORMATS
from hdh_graph.vocab import PREFIXES, sparql_prefixes

FALLBACK_QUERY = """
CONSTRUCT {
  ?cat ?cp ?co .
  ?d ?p ?o .
  ?b ?bp ?bo .
  ?dist ?distp ?disto .
  ?agent ?ap ?ao .
} WHERE {
  { ?cat a dcat:Catalog ; ?cp ?co . }
  UNION { ?d a dcat:Dataset ; ?p ?o . }
  UNION { ?d a dcat:Dataset ; ?link ?b . FILTER(isBlank(?b)) ?b ?bp ?bo . }
  UNION { ?d a dcat:Dataset ; dcat:distribution ?dist . ?dist ?distp ?disto . }
  UNION { ?d a dcat:Dataset ; dct:publisher|geodcatap:custodian|healthdcatap:hdab ?agent . ?agent ?ap ?ao . }
}
"""


def feed_documents(store: ox.Store, settings: Settings) -> dict[str, bytes]:
    """The feed in each twin format, keyed by file extension."""
    try:
        from hdh_graph.feed import build_feed
    except ImportError:
        return _fallback(store)
    page: Any = build_feed(store, settings)
    names = {"ttl": "turtle", "jsonld": "jsonld", "rdf": "rdfxml"}
    return {ext: page.serialize(fmt) for ext, fmt in names.items()}


def _fallback(store: ox.Store) -> dict[str, bytes]:
    result = store.query(sparql_prefixes() + FALLBACK_QUERY, use_default_graph_as_union=True)
    triples = sorted(result, key=lambda t: (str(t.subject), t.predicate.value, str(t.object)))  # type: ignore[arg-type]
    return {ext: ox.serialize(triples, format=fmt, prefixes=PREFIXES) for ext, fmt in FORMATS.items()}
