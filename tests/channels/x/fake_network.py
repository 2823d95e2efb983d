"""A fake X API v2 on 127.0.0.1 for the outbox's crash tests: ``POST /2/tweets`` stores every tweet
(no idempotency at all, and unlike X no "duplicate content" refusal: the worst case), and
``GET /2/users/:id/tweets`` pages newest first with ``max_results`` (at most 100), ``start_time`` and
``pagination_token`` / ``meta.next_token`` as documented. ``delay``: the answer to a post comes that
many seconds after the tweet is stored, so a killed client leaves a tweet it never heard of."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

BRAND_ID = "783214"
FIRST_ID = 1_800_000_000_000_000_000
MAX_RESULTS = 100


@dataclass
class FakeXNetwork:
    url: str = ""
    delay: float = 0.0
    statuses: list[dict[str, Any]] = field(default_factory=list)  # oldest first
    lock: threading.Lock = field(default_factory=threading.Lock)
    changed: threading.Condition = field(init=False)

    def __post_init__(self) -> None:
        self.changed = threading.Condition(self.lock)

    def post(self, body: dict[str, Any]) -> dict[str, Any]:
        with self.lock:
            tweet = {
                "id": str(FIRST_ID + len(self.statuses)),
                "text": str(body.get("text", "")),
                "created_at": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                "in_reply_to_id": (body.get("reply") or {}).get("in_reply_to_tweet_id"),
            }
            self.statuses.append(tweet)
            self.changed.notify_all()
            return tweet

    def page(self, size: int, start_time: str | None, token: str | None) -> dict[str, Any]:
        since = datetime.fromisoformat(start_time.replace("Z", "+00:00")) if start_time else None
        with self.lock:
            newest_first = [
                t
                for t in reversed(self.statuses)
                if since is None or datetime.fromisoformat(t["created_at"].replace("Z", "+00:00")) >= since
            ]
        start = int(token or 0)
        size = max(5, min(size, MAX_RESULTS))
        shown = newest_first[start : start + size]
        data = [
            {
                "id": t["id"],
                "text": t["text"],
                "created_at": t["created_at"],
                **({"referenced_tweets": [{"type": "replied_to", "id": t["in_reply_to_id"]}]}
                   if t["in_reply_to_id"] else {}),
            }
            for t in shown
        ]  # fmt: skip
        meta: dict[str, Any] = {"result_count": len(data)}
        if start + size < len(newest_first):
            meta["next_token"] = str(start + size)
        return {"data": data, "meta": meta} if data else {"meta": meta}

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.changed:
            return self.changed.wait_for(lambda: len(self.statuses) >= count, timeout)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    network: FakeXNetwork


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
        url = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(url.query).items()}
        if url.path == f"/2/users/{BRAND_ID}/tweets":
            size = int(query.get("max_results", 10))
            page = self.server.network.page(size, query.get("start_time"), query.get("pagination_token"))
            return self._answer(200, page)
        return self._answer(404, {"title": "Not Found Error", "detail": url.path})

    def do_POST(self) -> None:
        if urlsplit(self.path).path != "/2/tweets":
            return self._answer(404, {"title": "Not Found Error"})
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        tweet = self.server.network.post(body)
        if self.server.network.delay:
            time.sleep(self.server.network.delay)  # not a wait: stored, the answer still on its way
        return self._answer(201, {"data": {"id": tweet["id"], "text": tweet["text"]}})

    def log_message(self, format: str, *args: Any) -> None:
        return None


@contextmanager
def fake_x(delay: float = 0.0) -> Iterator[FakeXNetwork]:
    server = _Server(("127.0.0.1", 0), _Handler)
    network = FakeXNetwork(url=f"http://127.0.0.1:{server.server_address[1]}", delay=delay)
    server.network = network
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield network
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
