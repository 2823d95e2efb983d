"""A loopback HTTP server that records every connection and request it gets (for the URL policy's
attack tests: "the server heard nothing"), and a guard that fails any connection beyond loopback."""

from __future__ import annotations

import ipaddress
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@dataclass
class Recorded:
    connections: int = 0
    requests: list[tuple[str, str, dict[str, str]]] = field(default_factory=list)  # method, path, headers
    redirect_to: str | None = None
    body: bytes = b"<rss version='2.0'><channel><title>t</title></channel></rss>"

    @property
    def port(self) -> int:
        return self._port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._port}"

    _port: int = 0


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    recorded: Recorded

    def verify_request(self, request: Any, client_address: Any) -> bool:
        self.recorded.connections += 1
        return True


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:
        recorded = self.server.recorded
        recorded.requests.append(("GET", self.path, dict(self.headers.items())))
        if recorded.redirect_to:
            self.send_response(302)
            self.send_header("Location", recorded.redirect_to)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(len(recorded.body)))
        self.end_headers()
        self.wfile.write(recorded.body)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def recording_server() -> Iterator[Recorded]:
    """A server on 127.0.0.1 (a free port) that records what reaches it; answers 200 or a redirect."""
    server = _Server(("127.0.0.1", 0), _Handler)
    recorded = Recorded(_port=server.server_address[1])
    server.recorded = recorded
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield recorded
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture
def no_outside_connections(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Fail the test on any connection beyond loopback and on any DNS lookup of a name other than
    localhost: a decision about 10.x or 169.254.169.254 must be made without trying to connect."""
    attempts: list[Any] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        attempts.append(address)
        host = address[0] if isinstance(address, tuple) else address
        if not ipaddress.ip_address(str(host).split("%")[0]).is_loopback:
            raise AssertionError(f"a connection to {address} was attempted")
        real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if str(host) not in ("localhost", "127.0.0.1", "::1"):
            raise AssertionError(f"a DNS lookup of {host!r} was attempted")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return attempts
