"""Host name -> addresses. The one DNS lookup of core.egress: tests replace `resolve` (like a
hosts file) to point a vendor's name at their local fake, or to count lookups."""

from __future__ import annotations

import socket


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (IPv4 and IPv6), in the resolver's order."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    seen: list[str] = []
    for *_rest, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in seen:
            seen.append(address)
    return seen
