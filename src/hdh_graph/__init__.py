"""hdh-graph: the metadata catalogue of a health data hub, as a linked-data knowledge graph."""

__version__ = "0.1.0"
