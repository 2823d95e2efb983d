"""The URL policy performs the attacks of issue #14 item 2 with private URLs refused (the default).

Only loopback is ever connected to: decisions about 10.x, 169.254.169.254, 100.64.x, fd00:: ... are
made with an injected resolver under `no_outside_connections`, which fails any other connection.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from socialdesk.channels.framework import ChannelHealth, MemoryCursorStore
from socialdesk.channels.rss.client import RssPoller
from socialdesk.channels.url_policy import Address, AddressNotAllowed, UrlPolicy
from tests.channels.recording_server import no_outside_connections, recording_server

__all__ = ["no_outside_connections"]  # the fixture, used by name
pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)
STRICT = UrlPolicy()


def resolver(table: dict[str, list[str]]) -> Any:
    def resolve(host: str, port: int) -> list[str]:
        return table[host]

    return resolve


def test_a_loopback_url_is_refused_and_the_server_hears_nothing() -> None:
    with recording_server() as server, STRICT.http_client() as http:
        with pytest.raises(AddressNotAllowed, match="is a loopback address; set SOCIALDESK_ALLOW_PRIVATE"):
            http.get(f"{server.url}/feed.xml")
        with pytest.raises(AddressNotAllowed):  # the poller's own path, redirects followed
            RssPoller(
                http, f"{server.url}/feed.xml", lambda p: None, ChannelHealth("rss"), MemoryCursorStore()
            ).poll_once()
    assert server.connections == 0 and server.requests == []


def test_localhost_names_resolve_to_loopback_and_are_refused() -> None:
    with recording_server() as server, STRICT.http_client() as http:
        for url in (f"http://localhost:{server.port}/", f"http://LOCALHOST.:{server.port}/"):
            with pytest.raises(AddressNotAllowed, match="loopback"):
                http.get(url)
        # A name the URL check cannot judge is judged on what it resolves to, at connect time.
        policy = UrlPolicy(resolver=lambda host, port: socket.gethostbyname_ex("localhost")[2])
        with policy.http_client() as named, pytest.raises(AddressNotAllowed, match=r"feed\.example\.com"):
            named.get(f"http://feed.example.com:{server.port}/")
    assert server.connections == 0


def test_the_allowed_policy_reaches_loopback() -> None:
    with recording_server() as server, UrlPolicy(allow_private=True).http_client() as http:
        assert http.get(f"{server.url}/ok").status_code == 200
    assert [path for _, path, _ in server.requests] == ["/ok"]


def test_a_redirect_to_loopback_is_refused_at_the_redirect() -> None:
    with recording_server() as target, recording_server() as first:
        first.redirect_to = f"{target.url}/latest/meta-data/"
        # Only the first hop's exact address and port pass: the check applies to the redirect target.
        policy = UrlPolicy(allowed=lambda address, port: address.is_loopback and port == first.port)
        with policy.http_client() as http:
            with pytest.raises(AddressNotAllowed, match=f"127.0.0.1:{target.port} is a loopback"):
                http.get(f"{first.url}/feed.xml", follow_redirects=True)
            poller = RssPoller(
                http, f"{first.url}/feed.xml", lambda p: None, ChannelHealth("rss"), MemoryCursorStore()
            )
            with pytest.raises(AddressNotAllowed):
                poller.poll_once()
    assert len(first.requests) == 2
    assert target.connections == 0 and target.requests == []


def test_a_name_is_resolved_once_per_connection_and_connected_to_as_checked(
    no_outside_connections: list[Any],
) -> None:
    """DNS rebinding: the answer checked is the address connected to; a later answer is checked again."""
    with recording_server() as server:
        answers = [["127.0.0.1"], ["127.0.0.2"]]
        calls: list[str] = []

        def rebinding(host: str, port: int) -> list[str]:
            calls.append(host)
            return answers[min(len(calls), 2) - 1]

        allowed = ipaddress.ip_address("127.0.0.1")
        policy = UrlPolicy(resolver=rebinding, allowed=lambda a, p: a == allowed and p == server.port)
        with policy.http_client() as http:
            assert http.get(f"http://rebind.example:{server.port}/").status_code == 200
        with policy.http_client() as http, pytest.raises(AddressNotAllowed, match=r"\(127\.0\.0\.2\)"):
            http.get(f"http://rebind.example:{server.port}/")
    assert calls == ["rebind.example", "rebind.example"]
    assert no_outside_connections == [("127.0.0.1", server.port)]
    # The name went in the Host header (and would in TLS SNI), not the address.
    assert server.requests[0][2]["Host"] == f"rebind.example:{server.port}"


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",  # noqa: S104 (an address to refuse, never bound)
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "fd00::1",
        "fe80::1",
        "::1",
        "64:ff9b::a00:1",
        "2002:a00:1::",
        "fec0::1",
    ],
)
def test_non_public_addresses_are_refused_without_connecting(
    address: str, no_outside_connections: list[Any]
) -> None:
    policy = UrlPolicy(resolver=resolver({"svc.example.com": [address]}))
    literal = f"[{address}]" if ":" in address else address
    assert policy.refusal(f"https://{literal}/x") is not None
    with policy.http_client() as http:
        for url in ("https://svc.example.com/x", f"https://{literal}/x"):
            with pytest.raises(AddressNotAllowed):
                http.get(url)
    with pytest.raises(AddressNotAllowed):
        policy.websocket("wss://svc.example.com/xrpc/com.atproto.sync.subscribeRepos")
    assert no_outside_connections == []


def test_one_private_answer_among_public_ones_refuses_the_name(no_outside_connections: list[Any]) -> None:
    policy = UrlPolicy(resolver=resolver({"mixed.example.com": ["93.184.215.14", "10.1.2.3"]}))
    with pytest.raises(AddressNotAllowed, match=r"mixed\.example\.com \(10\.1\.2\.3\) is a private"):
        policy.addresses("mixed.example.com", 443)
    assert no_outside_connections == []


def test_allowing_private_urls_still_refuses_link_local(no_outside_connections: list[Any]) -> None:
    policy = UrlPolicy(allow_private=True, resolver=resolver({"meta.example": ["169.254.169.254"]}))
    assert policy.refusal("http://10.0.0.1/") is None
    assert [str(a) for a in policy.addresses("10.0.0.1", 80)] == ["10.0.0.1"]
    for url in ("http://169.254.169.254/latest/", "http://[fe80::1]/", "http://[::ffff:169.254.169.254]/"):
        assert "never allowed" in (policy.refusal(url) or "")
    with pytest.raises(AddressNotAllowed, match="link-local"):
        policy.addresses("meta.example", 80)
    assert no_outside_connections == []


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://user:pass@example.com/feed", "user:password@host"),
        ("https://token@example.com/", "user:password@host"),
        ("http://2130706433/", "not a plain address or name"),
        ("http://0x7f.1/", "not a plain address or name"),
        ("http://127.1/", "not a plain address or name"),
        ("http://0177.0.0.1/", "not a valid URL"),
        ("ftp://example.com/", "must be a http/https URL"),
        ("file:///etc/passwd", "must be a http/https URL"),
        ("http://10.0.0.1", "http://10.0.0.1 is a private address; set SOCIALDESK_ALLOW_PRIVATE_URLS=true"),
    ],
)
def test_odd_urls_are_refused_before_any_lookup(
    url: str, reason: str, no_outside_connections: list[Any]
) -> None:
    assert reason in (STRICT.refusal(url) or "")
    sent: list[httpx.Request] = []
    fake = httpx.MockTransport(lambda request: sent.append(request) or httpx.Response(200))
    with UrlPolicy(allow_private=True).http_client(transport=fake) as http:
        if "private" not in reason:  # allowing private addresses allows no odd URL
            with pytest.raises((AddressNotAllowed, httpx.UnsupportedProtocol, httpx.InvalidURL)):
                http.get(url)
    assert sent == [] and no_outside_connections == []


def test_a_websocket_to_loopback_is_refused() -> None:
    with recording_server() as server, pytest.raises(AddressNotAllowed, match="loopback"):
        STRICT.websocket(f"ws://127.0.0.1:{server.port}/xrpc/com.atproto.sync.subscribeRepos")
    assert server.connections == 0


# -- the decision over every address ----------------------------------------------------------------

_NOT_PUBLIC_TOO = [  # is_global (Python 3.11) calls these global; the policy must not
    ipaddress.ip_network(n) for n in ("224.0.0.0/4", "240.0.0.0/4", "64:ff9b:1::/48")
]


def _carried_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return address.ipv4_mapped
        if address in ipaddress.ip_network("64:ff9b::/96"):
            return ipaddress.IPv4Address(address.packed[-4:])
        return address.sixtofour
    return None


def reference_refused(address: Address) -> bool:
    carried = _carried_ipv4(address)
    if carried is not None:
        return reference_refused(carried)
    if address.version == 6 and address not in ipaddress.ip_network("2000::/3"):
        return True  # IANA's global unicast space; all the rest is reserved or special
    return not address.is_global or any(address in n for n in _NOT_PUBLIC_TOO if n.version == address.version)


def reference_link_local(address: Address) -> bool:
    carried = _carried_ipv4(address) or address
    return carried in ipaddress.ip_network("169.254.0.0/16" if carried.version == 4 else "fe80::/10")


v4 = st.ip_addresses(v=4)
addresses = st.one_of(
    st.ip_addresses(),
    v4,
    *(st.ip_addresses(network=n) for n in ("10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "fc00::/7")),
    *(st.ip_addresses(network=n) for n in ("fe80::/10", "64:ff9b::/96", "2002::/16", "::ffff:0:0/96")),
    v4.map(lambda a: ipaddress.IPv6Address(f"::ffff:{a}")),
)


@given(addresses)
def test_the_policy_refuses_exactly_the_non_public_addresses(address: Address) -> None:
    assert (STRICT.address_refusal(address, 443) is not None) == reference_refused(address)
    literal = f"[{address}]" if address.version == 6 else str(address)
    assert (STRICT.refusal(f"https://{literal}/") is not None) == reference_refused(address)


@given(addresses)
def test_allowing_private_urls_refuses_exactly_link_local(address: Address) -> None:
    refused = UrlPolicy(allow_private=True).address_refusal(address, 443) is not None
    assert refused == reference_link_local(address)


def _self_signed(tmp_path: Any, name: str) -> tuple[str, str]:
    from datetime import UTC, datetime, timedelta

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(days=1))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    cert_path, key_path = tmp_path / "cert.pem", tmp_path / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    return str(cert_path), str(key_path)


def test_tls_names_the_host_and_verifies_it_while_connecting_to_the_checked_address(tmp_path: Any) -> None:
    import ssl
    import threading

    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*_self_signed(tmp_path, "feed.example"))
    names: list[str | None] = []

    def record_sni(sock: ssl.SSLObject, name: str | None, ctx: ssl.SSLContext) -> None:
        names.append(name)

    context.sni_callback = record_sni  # type: ignore[assignment]
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]

    def serve() -> None:
        conn, _ = listener.accept()
        try:
            context.wrap_socket(conn, server_side=True)
        except (ssl.SSLError, OSError):
            pass  # the client refuses the self-signed certificate
        finally:
            conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    policy = UrlPolicy(resolver=resolver({"feed.example": ["127.0.0.1"]}), allowed=lambda a, p: p == port)
    try:
        with (
            policy.http_client() as http,
            pytest.raises(httpx.ConnectError, match="CERTIFICATE_VERIFY_FAILED"),
        ):
            http.get(f"https://feed.example:{port}/feed.xml")
    finally:
        thread.join(5)
        listener.close()
    assert names == ["feed.example"]  # SNI is the URL's name, not the address connected to
