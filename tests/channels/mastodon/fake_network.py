"""A fake Mastodon instance on 127.0.0.1 that records every status posted and IGNORES the
``Idempotency-Key`` (the worst case for never-twice), speaks the documented endpoints the sender uses
(verify_credentials, a status by id, POST /api/v1/statuses, an account's statuses newest first with
``limit`` at most 40 and ``max_id``), and can be made slow: a posted status is stored at once and the
answer comes ``delay`` seconds later, so a killed client leaves a status it never heard of."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BRAND_ID = "108000000000000001"
FIRST_ID = 110_000_000_000_000_000
MAX_LIMIT = 40


@dataclass
class FakeMastodonNetwork:
    url: str = ""
    delay: float = 0.0
    statuses: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    idempotency_keys: list[str] = field(default_factory=list)  # seen, never honoured
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def post(self, body: dict[str, Any], key: str) -> dict[str, Any]:
        with self.lock:
            status = {
                "id": str(FIRST_ID + len(self.statuses)),
                "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "in_reply_to_id": body.get("in_reply_to_id"),
                "visibility": body.get("visibility", "public"),
                "content": f"<p>{escape(str(body.get('status', '')))}</p>",
                "text": str(body.get("status", "")),
                "mentions": [],
                "account": {"id": BRAND_ID, "acct": "acme", "username": "acme"},
                "reblog": None,
            }
            self.statuses.append(status)
            self.idempotency_keys.append(key)
            self.changed.notify_all()
            return status

    def timeline(self, limit: int, max_id: str | None) -> list[dict[str, Any]]:
        with self.lock:
            newest_first = reversed(self.statuses)
            older = [s for s in newest_first if max_id is None or int(s["id"]) < int(max_id)]
        return older[: max(1, min(limit, MAX_LIMIT))]

    def wait_for(self, count: int, timeout: float) -> bool:
        """Wait until at least ``count`` statuses were posted."""
        with self.changed:
            return self.changed.wait_for(lambda: len(self.statuses) >= count, timeout)

    def texts(self) -> list[str]:
        with self.lock:
            return [str(s["text"]) for s in self.statuses]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    network: FakeMastodonNetwork


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _answer(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        network = self.server.network
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == "/api/v1/accounts/verify_credentials":
            return self._answer(200, {"id": BRAND_ID, "acct": "acme", "username": "acme"})
        if url.path == f"/api/v1/accounts/{BRAND_ID}/statuses":
            return self._answer(200, network.timeline(int(query.get("limit", 20)), query.get("max_id")))
        if url.path.startswith("/api/v1/statuses/"):  # a customer's status being answered
            sid = url.path.rsplit("/", 1)[1]
            customer = {"id": "7", "acct": f"customer{sid}@example.social", "username": f"customer{sid}"}
            return self._answer(200, {"id": sid, "visibility": "public", "account": customer})
        return self._answer(404, {"error": "Record not found"})

    def do_POST(self) -> None:
        network = self.server.network
        if urlsplit(self.path).path != "/api/v1/statuses":
            return self._answer(404, {"error": "Record not found"})
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        status = network.post(body, self.headers.get("Idempotency-Key", ""))
        if network.delay:
            time.sleep(network.delay)  # not a wait: stored already, a client killed now never learns its id
        return self._answer(200, status)

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def fake_mastodon(delay: float = 0.0) -> Iterator[FakeMastodonNetwork]:
    server = _Server(("127.0.0.1", 0), _Handler)
    network = FakeMastodonNetwork(url=f"http://127.0.0.1:{server.server_address[1]}", delay=delay)
    server.network = network
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield network
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
