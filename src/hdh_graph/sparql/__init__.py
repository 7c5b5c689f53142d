"""SPARQL on the catalogue: one query path for the command line and the endpoint.

- :mod:`text`: a lexer for SPARQL text (keywords, IRIs and prefixed names outside strings and comments);
- :mod:`keywords`: the keyword index and the ``hdh:search`` / ``hdh:matches`` extensions;
- :mod:`run`: how a query is evaluated (prefixes, base IRI, dataset, keyword rewrite) and what its errors say;
- :mod:`results`: writing results for people (aligned text) and in the W3C formats.
"""
