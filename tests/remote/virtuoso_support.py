"""Private Virtuoso servers for the tests, and settings that publish to and read from one."""

from __future__ import annotations

from pathlib import Path

import pytest

from hdh_graph.api.server import free_port
from hdh_graph.settings import Settings
from hdh_graph.virtuoso import ISQL_PROGRAMS, SERVER_PROGRAMS, LocalVirtuoso, find_program

NOT_INSTALLED = (
    "Virtuoso is not installed: `scripts/setup --test` installs Debian's virtuoso-opensource with apt "
    "(it could not here)"
)


def start_virtuoso(folder: Path, **limits: int) -> LocalVirtuoso:
    if find_program(SERVER_PROGRAMS) is None or find_program(ISQL_PROGRAMS) is None:
        pytest.skip(NOT_INSTALLED)
    server = LocalVirtuoso(folder, sql_port=free_port(), http_port=free_port(), **limits)
    server.start()
    return server


def virtuoso_settings(settings: Settings, server: LocalVirtuoso, cache: Path) -> Settings:
    """Settings that publish to ``server`` (Graph Store endpoint, its loader user) and read it."""
    return settings.with_(
        sparql_endpoint=server.sparql_endpoint,
        graph_store_endpoint=server.graph_store_endpoint,
        remote_user=server.LOADER,
        remote_password=server.loader_password,
        store=cache,
    )
