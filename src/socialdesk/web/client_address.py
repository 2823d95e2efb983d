"""Which address a request comes from, for throttling.

The connection's peer, unless that peer is one of the `trusted_proxies` setting's addresses: then the
X-Forwarded-For header is read from the right (the entry the proxy itself appended) leftwards, skipping
further trusted proxies, and the first address that is not one is the client. Anything a client wrote
itself further left is never believed. IPv6 clients count by their /64, which one host usually holds
whole.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from fastapi import Request

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=16)
def trusted_networks(setting: str) -> tuple[Network, ...]:
    """The networks of a `trusted_proxies` value; a wrong entry raises ValueError naming it."""
    out: list[Network] = []
    for part in (p.strip() for p in setting.split(",")):
        if not part:
            continue
        try:
            out.append(ipaddress.ip_network(part, strict=False))
        except ValueError as exc:
            raise ValueError(f"SOCIALDESK_TRUSTED_PROXIES: {part!r} is not an address or network") from exc
    return tuple(out)


def _parse(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [v6]:port
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # v4:port
        text = text.split(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _trusted(address: ipaddress.IPv4Address | ipaddress.IPv6Address, networks: tuple[Network, ...]) -> bool:
    return any(address in network for network in networks)


def _key(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> str:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


def client_address(request: Request, trusted_proxies: str) -> str:
    """The throttling key of the request's client (an IPv4 address or an IPv6 /64)."""
    peer_text = request.client.host if request.client else ""
    peer = _parse(peer_text)
    if peer is None:
        return peer_text or "unknown"
    networks = trusted_networks(trusted_proxies)
    if not networks or not _trusted(peer, networks):
        return _key(peer)
    hops = [h for header in request.headers.getlist("x-forwarded-for") for h in header.split(",")]
    for hop in reversed(hops):
        address = _parse(hop)
        if address is None:
            break  # a garbled entry: stop believing the header here, the last proxy is the client
        if not _trusted(address, networks):
            return _key(address)
        peer = address
    return _key(peer)
