"""The HTTP face of the catalogue: the SPARQL 1.1 endpoint, the search API and the static site.

``create_app(settings)`` in :mod:`hdh_graph.api.app` builds the FastAPI application.
"""
