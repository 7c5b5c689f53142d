"""Where a harvest may connect, and for how long: the network side of harvesting a feed nobody vouches for.

Every connection goes through :class:`GuardedBackend`, an ``httpcore`` network backend that resolves the host
itself, checks each address against the :class:`AddressPolicy` and connects to a checked address (so a name
that resolves to a public address when checked and to a private one when used, "DNS rebinding", cannot
slip through), and that cuts every socket operation at the document's deadline (so a server that drips one
byte a second cannot keep a harvest waiting past ``timeout``).

The policy: an address is allowed when it is public (``ipaddress`` ``is_global``, not multicast; for IPv6,
the IPv4 address it embeds, if any, must be public too), or when it is one the source's own host resolved to
when the harvest started (the operator named that host: an intranet partner, a test server on loopback), or
when it is in a network the operator lists (``harvest_allow_private``). Anything else (loopback, private
ranges, link-local ``169.254.0.0/16`` and ``fe80::/10``, unique-local ``fc00::/7``, the IPv4-mapped forms of
those…) is refused before any packet is sent.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import httpcore

from hdh_graph.errors import HdhError
from hdh_graph.harvest.errors import HarvestError

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
NAT64 = ipaddress.ip_network("64:ff9b::/96")


class RefusedAddress(HarvestError):
    """A connection the policy does not allow; raised before connecting."""


def is_public(address: Address) -> bool:
    """True for an address on the public internet (and, for IPv6, whatever IPv4 address it carries)."""
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address):
        embedded = [address.ipv4_mapped, address.sixtofour, address.teredo[1] if address.teredo else None]
        if address in NAT64:
            embedded.append(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        return all(v4 is None or is_public(v4) for v4 in embedded)
    return True


def parse_networks(text: str) -> tuple[Network, ...]:
    """Networks from a comma-separated list of addresses or CIDR blocks (``127.0.0.1, 10.0.0.0/8``)."""
    out = []
    for item in (part.strip() for part in text.split(",")):
        if not item:
            continue
        try:
            out.append(ipaddress.ip_network(item, strict=False))
        except ValueError as exc:
            raise HdhError(
                f"{item!r} is not an IP address or network",
                hint="list addresses or CIDR blocks separated by commas, e.g. HDH_HARVEST_ALLOW_PRIVATE=10.1.2.0/24",
            ) from exc
    return tuple(out)


def resolve(host: str, port: int) -> list[Address]:
    """The addresses a host name (or literal address) stands for, in the resolver's order."""
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {exc}") from exc
    seen: dict[Address, None] = {}
    for info in infos:
        seen.setdefault(ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]), None)
    return list(seen)


@dataclass
class AddressPolicy:
    """Which addresses a harvest may connect to (see the module's docstring)."""

    trusted: set[Address] = field(default_factory=set)
    """Addresses allowed although not public: those of the source's own host."""
    allowed_networks: tuple[Network, ...] = ()

    def trust_host(self, host: str, port: int) -> None:
        """Trust the addresses ``host`` resolves to now (the source the operator named)."""
        with contextlib.suppress(httpcore.ConnectError):  # the first request reports it
            self.trusted.update(resolve(host, port))

    def allows(self, address: Address) -> bool:
        if address in self.trusted or any(address in net for net in self.allowed_networks):
            return True
        return is_public(address)

    def checked(self, host: str, port: int) -> list[Address]:
        """The addresses of ``host`` that may be used; ``RefusedAddress`` when there is none."""
        addresses = resolve(host, port)
        allowed = [a for a in addresses if self.allows(a)]
        if not allowed:
            shown = ", ".join(str(a) for a in addresses)
            raise RefusedAddress(
                f"{host} is a private, loopback or link-local address ({shown}): not harvested from",
                hint="a feed may only lead to public addresses; if this host is really a partner's, list it "
                "in HDH_HARVEST_ALLOW_PRIVATE (docs/settings.md)",
            )
        return allowed


@dataclass
class Deadline:
    """The instant the document being read must be complete by (``time.monotonic`` seconds)."""

    at: float = float("inf")

    def remaining(self) -> float:
        return self.at - time.monotonic()


class _DeadlineStream(httpcore.NetworkStream):
    """A connection whose reads and writes never wait past the deadline."""

    def __init__(self, inner: httpcore.NetworkStream, deadline: Deadline) -> None:
        self._inner = inner
        self._deadline = deadline

    def _timeout(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline.remaining()
        if left <= 0:
            raise error("the document's time is up")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._inner.read(max_bytes, self._timeout(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._inner.write(buffer, self._timeout(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._inner.close()

    def start_tls(self, ssl_context: Any, server_hostname: str | None = None, timeout: float | None = None) -> Any:
        tls = self._inner.start_tls(ssl_context, server_hostname, self._timeout(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(tls, self._deadline)

    def get_extra_info(self, info: str) -> Any:
        return self._inner.get_extra_info(info)


class GuardedBackend(httpcore.SyncBackend):
    """Connects only to addresses the policy allows, and only until the deadline."""

    def __init__(self, policy: AddressPolicy, deadline: Deadline) -> None:
        self.policy = policy
        self.deadline = deadline

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        addresses = self.policy.checked(host, port)
        error: Exception | None = None
        for address in addresses:
            left = self.deadline.remaining()
            if left <= 0:
                raise httpcore.ConnectTimeout("the document's time is up")
            wait = left if timeout is None else min(timeout, left)
            try:
                stream = super().connect_tcp(str(address), port, wait, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream, self.deadline)
        assert error is not None
        raise error

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:  # pragma: no cover
        raise RefusedAddress("harvests do not use Unix sockets", hint="give an http(s) URL")
