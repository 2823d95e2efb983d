"""The URL policy: the one gate every outbound fetch of the channel framework goes through.

A channel URL comes from an admin (an instance, a feed, an API base) or from the network itself (a
``did:web`` document, a redirect), so the server must not be steered to itself or its neighbours.
:class:`UrlPolicy` decides twice:

- on the URL (:meth:`UrlPolicy.refusal`, also used to validate an account's settings): http(s) only
  (ws/wss for streams), no ``user:password@``, no odd numeric hosts (``2130706433``, ``0x7f.1``), and
  an address literal or a ``localhost`` name must be public;
- at connect time (:meth:`UrlPolicy.connect`): the host is resolved, every address it resolves to must
  be public, and the socket connects to the very address that was checked (no second lookup a DNS
  rebinding could answer differently). HTTP clients from :meth:`UrlPolicy.http_client` connect through
  it on every request, every redirect and every new connection; TLS still verifies the name (SNI and
  the certificate are the URL's host) and the ``Host`` header stays the URL's.

Refused ("non-public"): loopback, private (RFC 1918), shared CGNAT (100.64.0.0/10), link-local
(169.254.0.0/16, fe80::/10), unique-local (fc00::/7), site-local, multicast, unspecified, reserved and
documentation ranges, and IPv6 forms that carry such an IPv4 address (IPv4-mapped ``::ffff:a.b.c.d``,
NAT64 ``64:ff9b::/96``, 6to4 ``2002::/16``). ``SOCIALDESK_ALLOW_PRIVATE_URLS`` (``allow_private``)
allows them all but link-local, where cloud metadata services answer.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpcore
import httpx
from httpcore._backends.sync import SyncStream  # httpcore's own stream over a connected socket
from websockets.sync.client import ClientConnection
from websockets.sync.client import connect as ws_connect

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], Sequence[str]]
"""``(host, port)`` -> the addresses the host resolves to (tests inject a fake one)."""
Allowed = Callable[[Address, int], bool]
"""Tests only: an extra ``(address, port)`` let through although it is not public."""

HTTP_SCHEMES = ("http", "https")
STREAM_SCHEMES = ("ws", "wss")
DEFAULT_PORTS = {"http": 80, "https": 443, "ws": 80, "wss": 443}
ALLOW_HINT = "set SOCIALDESK_ALLOW_PRIVATE_URLS=true to allow it"
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")


class AddressNotAllowed(httpx.TransportError):
    """The URL policy refused a URL or the address its host resolves to; nothing was sent."""


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _embedded_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form carries (mapped, NAT64, 6to4), which is where traffic ends up."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return address.sixtofour


def address_kind(address: Address) -> str | None:
    """What makes ``address`` non-public ("a loopback address", ...), or None when it is public."""
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            kind = address_kind(inner)
            return f"{kind} (as IPv6 {address})" if kind else None
        if address in _NAT64_LOCAL or address.is_site_local:
            return "a private address"
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address in ipaddress.IPv4Network("100.64.0.0/10"), "a shared (CGNAT) address"),
        (address.is_private, "a private address"),
        (address.is_reserved, "a reserved address"),
        (not address.is_global, "a non-public address"),
    )
    return next((kind for found, kind in checks if found), None)


def _is_link_local(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address):
        inner = _embedded_ipv4(address)
        if inner is not None:
            return inner.is_link_local
    return address.is_link_local


def _odd_numeric(host: str) -> bool:
    """A host the C resolver reads as an IPv4 address though it is no dotted quad (``2130706433``)."""
    try:
        ipaddress.ip_address(host)
        return False
    except ValueError:
        pass
    try:
        socket.inet_aton(host)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class UrlPolicy:
    """Which URLs and addresses outbound fetches may reach. The default refuses non-public ones."""

    allow_private: bool = False
    resolver: Resolver = field(default=system_resolver, compare=False)
    allowed: Allowed | None = field(default=None, compare=False)

    # -- decisions -----------------------------------------------------------------------------------

    def address_refusal(self, address: Address, port: int, shown: str | None = None) -> str | None:
        """Why connecting to ``address`` is refused, or None when it is allowed."""
        if self.allowed is not None and self.allowed(address, port):
            return None
        kind = address_kind(address)
        if kind is None:
            return None
        what = shown or str(address)
        if _is_link_local(address):
            return f"{what} is {kind}, never allowed (cloud metadata services answer there)"
        if self.allow_private:
            return None
        return f"{what} is {kind}; {ALLOW_HINT}"

    def refusal(self, url: str, *, schemes: Sequence[str] = HTTP_SCHEMES) -> str | None:
        """Why ``url`` may not be fetched, judged on the URL alone (no DNS lookup), or None.

        A host name is judged at connect time, on the addresses it resolves to then.
        """
        try:
            parsed = httpx.URL(url)
        except httpx.InvalidURL as exc:
            return f"{url[:200]!r} is not a valid URL: {exc}"
        if parsed.scheme not in schemes:
            return f"{url[:200]!r} must be a {'/'.join(schemes)} URL"
        if parsed.userinfo:
            return (
                "a user name or password in the URL (user:password@host) is not allowed; "
                "give credentials separately"
            )
        host = parsed.host.rstrip(".").lower()
        if not host:
            return f"{url[:200]!r} has no host"
        if _odd_numeric(host):
            return f"{url[:200]!r}: the host {host!r} is not a plain address or name"
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        shown = f"{parsed.scheme}://{parsed.netloc.decode('ascii', 'replace')}"
        try:
            address = ipaddress.ip_address(host)
        except ValueError:
            if host != "localhost" and not host.endswith(".localhost"):
                return None  # a name: judged on what it resolves to, at connect time
            address = ipaddress.IPv4Address("127.0.0.1")  # RFC 6761: always loopback
        return self.address_refusal(address, port, shown)

    def check(self, url: str, *, schemes: Sequence[str] = HTTP_SCHEMES) -> None:
        """Raise AddressNotAllowed when :meth:`refusal` refuses ``url``."""
        reason = self.refusal(url, schemes=schemes)
        if reason is not None:
            raise AddressNotAllowed(reason)

    def addresses(self, host: str, port: int) -> list[Address]:
        """``host``'s addresses, every one of them checked; raises AddressNotAllowed if any is refused."""
        host = host.strip("[]")
        try:
            found: Iterable[str] = [str(ipaddress.ip_address(host))]
        except ValueError:
            if _odd_numeric(host):
                raise AddressNotAllowed(f"the host {host!r} is not a plain address or name") from None
            found = self.resolver(host, port)
        checked: list[Address] = []
        for text in found:
            address = ipaddress.ip_address(text.split("%")[0])
            reason = self.address_refusal(
                address, port, f"{host} ({address})" if str(address) != host else None
            )
            if reason is not None:
                raise AddressNotAllowed(reason)
            checked.append(address)
        if not checked:
            raise AddressNotAllowed(f"{host} resolves to no address")
        return checked

    # -- connections ---------------------------------------------------------------------------------

    def connect(self, host: str, port: int, timeout: float | None = None) -> socket.socket:
        """A TCP socket to one of ``host``'s checked addresses: the address checked is the one used."""
        last: OSError | None = None
        for address in self.addresses(host, port):
            family = socket.AF_INET6 if address.version == 6 else socket.AF_INET
            sock = socket.socket(family, socket.SOCK_STREAM)
            try:
                sock.settimeout(timeout)
                sock.connect((str(address), port))
            except OSError as exc:
                sock.close()
                last = exc
                continue
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            return sock
        assert last is not None
        raise last

    def http_client(self, *, transport: httpx.BaseTransport | None = None, **options: Any) -> httpx.Client:
        """An httpx client whose every request passes the policy. ``transport`` (tests) replaces the
        network; the URL checks still apply to it. Proxy and netrc settings from the environment are
        not used (they would bypass the checks or add credentials)."""
        return httpx.Client(transport=GuardedTransport(self, transport), trust_env=False, **options)

    def websocket(self, url: str, **options: Any) -> ClientConnection:
        """A websocket (``ws``/``wss``) connection through a checked socket; TLS verifies the URL's name."""
        self.check(url, schemes=STREAM_SCHEMES)
        parsed = httpx.URL(url)
        port = parsed.port or DEFAULT_PORTS[parsed.scheme]
        sock = self.connect(parsed.host, port, options.get("open_timeout", 10.0))
        if parsed.scheme == "wss":
            options.setdefault("server_hostname", parsed.host)
        try:
            connection: ClientConnection = ws_connect(url, sock=sock, **options)
        except BaseException:
            sock.close()
            raise
        return connection


class _CheckedBackend(httpcore.NetworkBackend):
    """httpcore's network backend, connecting only through :meth:`UrlPolicy.connect`."""

    def __init__(self, policy: UrlPolicy) -> None:
        self.policy = policy

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        try:
            sock = self.policy.connect(host, port, timeout)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(str(exc)) from exc
        except AddressNotAllowed:
            raise
        except OSError as exc:
            raise httpcore.ConnectError(str(exc)) from exc
        for option in socket_options or ():
            sock.setsockopt(*option)
        return SyncStream(sock)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise AddressNotAllowed("unix sockets are not allowed")

    def sleep(self, seconds: float) -> None:
        httpcore.SyncBackend().sleep(seconds)


class GuardedTransport(httpx.BaseTransport):
    """Checks each request's URL, then sends it through ``inner`` or a pool that connects only to
    checked addresses. httpx calls it once per request and per redirect."""

    def __init__(self, policy: UrlPolicy, inner: httpx.BaseTransport | None = None) -> None:
        self.policy = policy
        if inner is None:
            tls = httpx.create_ssl_context()
            inner = httpx.HTTPTransport(verify=tls)
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=5.0)
            # httpx's own transport, with a pool whose every new connection goes through the policy.
            inner._pool = httpcore.ConnectionPool(  # noqa: SLF001 (httpx has no public way to give a pool)
                ssl_context=tls,
                max_connections=limits.max_connections,
                max_keepalive_connections=limits.max_keepalive_connections,
                keepalive_expiry=limits.keepalive_expiry,
                network_backend=_CheckedBackend(policy),
            )
        self.inner = inner

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        reason = self.policy.refusal(str(request.url))
        if reason is not None:
            raise AddressNotAllowed(reason, request=request)
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()
