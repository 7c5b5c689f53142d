"""One settings object for the library, the CLI, the server and the site.

Each setting has a default, an environment variable ``HDH_<NAME>`` and, in the CLI, a flag.
Flags win over the environment, which wins over the defaults. Documented in docs/settings.md.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from hdh_graph.errors import SettingsError

# Characters kept as they are in a graph name: unreserved, sub-delimiters, ':', '@' and '/'.
_GRAPH_SAFE = "/-._~!$&'()*+,;=:@"

DEFAULT_BASE_IRI = "https://catalogue.health-data-hub.fr/"

# HDH_* variables that are not settings of the library (test and tooling switches).
NOT_SETTINGS = frozenset({"HDH_REGEN_GOLDEN", "HDH_DEBUG"})
HTTP_STACKS = ("httptools", "h11")
"""The values of the ``http`` setting (see :mod:`hdh_graph.api.server`)."""


def _project_root() -> Path:
    """The folder the commands run from: the current directory."""
    return Path.cwd()


@dataclass(frozen=True)
class Settings:
    """Where the catalogue and the store are, and how resources are named."""

    catalogue: Path = field(default_factory=lambda: _project_root() / "catalogue")
    """Folder of Turtle files (and tabular code lists) that make the catalogue."""
    store: Path = field(default_factory=lambda: _project_root() / "var" / "store")
    """Folder of the embedded pyoxigraph store built from the catalogue."""
    base_iri: str = DEFAULT_BASE_IRI
    """Base against which the catalogue's relative IRIs resolve; every resource IRI starts with it."""
    site: Path = field(default_factory=lambda: _project_root() / "var" / "site")
    """Folder where the static site is rendered."""
    host: str = "127.0.0.1"
    """Address the server listens on."""
    port: int = 8000
    """Port the server listens on."""
    query_timeout: float = 30.0
    """Seconds a SPARQL query may run before it is stopped."""
    sparql_endpoint: str | None = None
    """URL of a remote SPARQL 1.1 query endpoint to use instead of the embedded store."""
    graph_store_endpoint: str | None = None
    """URL of the remote server's Graph Store Protocol endpoint, used by ``hdh publish``."""
    remote_user: str | None = None
    """User ``hdh publish`` writes to the remote server as (Graph Store endpoint: HTTP digest or basic
    authentication; Virtuoso's isql for its bulk loader)."""
    remote_password: str | None = field(default=None, repr=False)
    """That user's password (never printed)."""
    remote_timeout: float = 600.0
    """Seconds ``hdh publish`` waits for the remote server to answer one request."""
    virtuoso_isql: str | None = None
    """``host:port`` of a Virtuoso server's SQL port: ``hdh publish`` then uses its bulk loader for big stores."""
    virtuoso_load_dir: Path | None = None
    """A folder the Virtuoso server reads at the same path (listed in its ``DirsAllowed``), for the bulk loader."""
    bulk_load_triples: int = 1_000_000
    """From this many triples on, ``hdh publish`` uses Virtuoso's bulk loader (when ``virtuoso_isql`` is set)."""
    workers: int = 3
    """SPARQL worker processes of ``hdh serve`` (queries to a remote endpoint at once, in remote mode)."""
    cheap_workers: int = 1
    """Of the workers, how many only cheap queries (bounded look-ups, ASK, one resource) may use (at most
    ``workers`` - 1: with one worker, every query shares it)."""
    cheap_timeout: float = 1.0
    """Seconds a query may run on a cheap worker before it is moved to the others (and counted heavy)."""
    client_concurrency: int = 2
    """Queries one client (one address) may have running at once."""
    client_queue: int = 8
    """Queries one client may have waiting for a worker; past that it gets 429 with Retry-After."""
    queue_timeout: float = 10.0
    """Seconds a query may wait for a worker; past that it gets 503 with Retry-After."""
    cache_bytes: int = 64 * 1024 * 1024
    """Bytes of query results kept to answer identical queries on the same store (0: no cache)."""
    max_body_bytes: int = 1024 * 1024
    """Largest request body accepted (a query sent by POST)."""
    max_header_bytes: int = 64 * 1024
    """Largest request line and headers accepted (a query sent by GET is in the request line)."""
    read_timeout: float = 10.0
    """Seconds a client may take to send a request's line and headers, and then its body."""
    max_connections: int = 1000
    """Open connections past which the server answers 503 at once."""
    http: str = "httptools"
    """The server's HTTP/1.1 parser and event loop: ``httptools`` (C parser, uvloop where installed) or ``h11``
    (pure Python, asyncio's loop); the same limits and answers either way."""
    harvest_max_bytes: int = 200 * 1024 * 1024
    """Largest document ``hdh harvest`` accepts (each page alone), as sent and once inflated."""
    harvest_timeout: float = 60.0
    """Seconds one harvested document may take, from the request to its last byte, redirects included."""
    harvest_max_pages: int = 10_000
    """Most pages one harvest follows."""
    harvest_max_redirects: int = 10
    """Most redirects followed for one harvested document."""
    harvest_max_seconds: float = 3600.0
    """Seconds a whole harvest may take, every page included."""
    harvest_allow_hosts: str = ""
    """Hosts (comma-separated) besides the source's own that harvest redirects and paging links may lead to."""
    harvest_allow_private: str = ""
    """Non-public addresses or CIDR blocks (comma-separated) a harvest may connect to besides the source's own."""

    def __post_init__(self) -> None:
        if not self.base_iri.startswith(("http://", "https://")) or not self.base_iri.endswith(("/", "#")):
            raise SettingsError(
                f"base IRI {self.base_iri!r} is not an http(s) IRI ending with '/' or '#'",
                hint="set HDH_BASE_IRI or --base-iri to something like https://catalogue.example.org/",
            )
        if self.remote_timeout <= 0:
            raise SettingsError(
                f"remote timeout {self.remote_timeout} is not positive",
                hint="set HDH_REMOTE_TIMEOUT to a number of seconds, e.g. 600",
            )
        for name in ("harvest_max_bytes", "harvest_timeout", "harvest_max_pages", "harvest_max_seconds"):
            if getattr(self, name) <= 0:
                raise SettingsError(
                    f"{name} {getattr(self, name)} is not positive",
                    hint=f"set HDH_{name.upper()} to a positive number (docs/settings.md)",
                )
        if self.harvest_max_redirects < 0:
            raise SettingsError(
                f"harvest_max_redirects {self.harvest_max_redirects} is negative",
                hint="set HDH_HARVEST_MAX_REDIRECTS to 0 or more",
            )
        if self.query_timeout <= 0:
            raise SettingsError(
                f"query timeout {self.query_timeout} is not positive",
                hint="set HDH_QUERY_TIMEOUT to a number of seconds, e.g. 30",
            )
        self._check_serving()

    def _check_serving(self) -> None:
        """The server's limits are positive numbers (``cheap_workers``, ``client_queue``, ``cache_bytes`` may be 0)."""
        problems = [
            f"HDH_{name.upper()}={getattr(self, name)!r} is not positive"
            for name in (
                "workers",
                "client_concurrency",
                "queue_timeout",
                "cheap_timeout",
                "max_body_bytes",
                "max_header_bytes",
                "read_timeout",
                "max_connections",
            )
            if getattr(self, name) <= 0
        ]
        problems += [
            f"HDH_{name.upper()}={getattr(self, name)!r} is negative"
            for name in ("cheap_workers", "client_queue", "cache_bytes")
            if getattr(self, name) < 0
        ]
        if self.http not in HTTP_STACKS:
            problems.append(f"HDH_HTTP={self.http!r} is not one of {', '.join(HTTP_STACKS)}")
        if problems:
            raise SettingsError(
                "; ".join(problems),
                hint="see docs/settings.md for what each setting means and its default",
            )

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then ``HDH_*`` variables, then the given overrides (``None`` overrides are ignored)."""
        env = os.environ if environ is None else environ
        known = {"HDH_" + f.name.upper() for f in fields(cls)}
        for name in sorted(env):
            if name.startswith("HDH_") and name not in known and name not in NOT_SETTINGS:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                raise SettingsError(
                    f"unknown setting {name}",
                    hint=(f"did you mean {close[0]}? " if close else "")
                    + "the settings are "
                    + ", ".join(sorted(known))
                    + " (see docs/settings.md)",
                )
        values: dict[str, Any] = {}
        for f in fields(cls):
            raw = env.get("HDH_" + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f.name, f.type, raw)
        for name, value in overrides.items():
            if value is not None:
                values[name] = value
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})

    def graph_iri(self, relative_path: str) -> str:
        """The named graph that holds the triples of one catalogue file (characters not allowed in an IRI,
        such as spaces, percent-encoded)."""
        return f"{self.base_iri}graph/{quote(relative_path, safe=_GRAPH_SAFE)}"


def _coerce(name: str, annotation: Any, raw: str) -> Any:
    kind = str(annotation)
    try:
        if "Path" in kind:
            return Path(raw)
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
    except ValueError as exc:
        raise SettingsError(
            f"HDH_{name.upper()}={raw!r} is not a valid {kind}", hint=f"give HDH_{name.upper()} a {kind} value"
        ) from exc
    return raw
