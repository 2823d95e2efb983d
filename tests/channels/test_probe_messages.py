"""`channels test` answers must not tell a closed port from a filtered one (or the probe is a port
scanner), and must say when the URL policy refused the address."""

from __future__ import annotations

import socket

import httpx
import pytest

from socialdesk.channels.connect import Connector
from socialdesk.channels.probe import probe
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.channels import ChannelAccount
from tests.channels.support import LOOPBACK, T0

pytestmark = pytest.mark.timeout(180)  # a hang guard, beyond any one wait (tests/support/waiting.py)


def feed_account(url: str) -> ChannelAccount:
    return ChannelAccount(1, 1, "rss", "status", {"feed_url": url}, None, True, T0)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens there now: connecting is refused


def failing(exc: Exception) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        raise exc

    return httpx.MockTransport(handler)


def test_closed_and_filtered_ports_give_the_same_answer() -> None:
    url = f"http://127.0.0.1:{closed_port()}/feed.xml"
    closed = probe(Connector(None, url_policy=LOOPBACK), feed_account(url))  # a real refused connection
    faults = [
        httpx.ConnectError("[Errno 111] Connection refused"),
        httpx.ConnectTimeout("timed out"),  # a filtered port: the SYN is dropped
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
    ]
    answers = {closed.message} | {
        probe(Connector(None, url_policy=LOOPBACK, transport=failing(f)), feed_account(url)).message
        for f in faults
    }
    assert not closed.ok
    host = url.split("/")[2]
    assert answers == {
        f"unreachable: no answer from {host}; check the address and that the server can reach it"
    }


def test_a_refused_address_is_named_as_not_allowed() -> None:
    url = f"http://127.0.0.1:{closed_port()}/feed.xml"
    result = probe(Connector(None, url_policy=UrlPolicy()), feed_account(url))
    assert not result.ok
    assert result.message.startswith("not allowed: http://127.0.0.1:")
    assert "is a loopback address; set SOCIALDESK_ALLOW_PRIVATE_URLS=true to allow it" in result.message
