"""The harvest's error type."""

from __future__ import annotations

from hdh_graph.errors import HdhError


class HarvestError(HdhError):
    """The harvest cannot go on; nothing was written."""
