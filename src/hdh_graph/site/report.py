"""What a site build did: how many pages and files, and where the time went."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class SiteReport:
    """What a build did; timings in seconds by step."""

    pages: int = 0
    rendered: int = 0
    unchanged: int = 0
    removed: int = 0
    files: int = 0
    bytes: int = 0
    searched: int = 0
    incremental: bool = False
    items: int = 0
    """Incremental builds: resources and parts built again (their pages are written only if they changed)."""
    rounds: int = 0
    """Incremental builds: partial reads of the store until every item had what it reads."""
    seconds: dict[str, float] = field(default_factory=dict)
