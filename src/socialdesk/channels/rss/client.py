"""Polling one RSS/Atom feed with conditional GET (``ETag``/``If-None-Match``, ``Last-Modified``/
``If-Modified-Since``). Its cursor (a JSON object: etag, modified, ids already handed over) is saved
only after ``on_posts`` returns, so a restart neither loses nor repeats entries. Inbound only."""

from __future__ import annotations

import json
import logging
from datetime import timedelta
from typing import Any

import httpx

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.framework import (
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
)
from socialdesk.channels.rss.parse import feed_posts
from socialdesk.ports.services import Clock

log = logging.getLogger(__name__)
REMEMBERED_IDS = 1000  # more than any feed keeps at once
BROKEN_STATUSES = {401, 403, 404, 410}


class FeedError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


class RssPoller:
    def __init__(
        self,
        http: httpx.Client,
        feed_url: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 900.0,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.http, self.feed_url, self.on_posts = http, feed_url, on_posts
        self.health, self.cursors, self.interval = health, cursors, interval
        self._sleep = sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(60.0, cap=3600.0)
        self.cursor_key = f"rss:{feed_url}"

    def poll_once(self) -> list[PostDict]:
        state: dict[str, Any] = json.loads(self.cursors.get(self.cursor_key) or "{}")
        headers = {"Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.5"}
        if state.get("etag"):
            headers["If-None-Match"] = state["etag"]
        if state.get("modified"):
            headers["If-Modified-Since"] = state["modified"]
        resp = self.http.get(self.feed_url, headers=headers, follow_redirects=True)
        if resp.status_code == 304:
            return []
        if resp.status_code != 200:
            raise FeedError(resp)
        seen: list[str] = state.get("seen", [])
        known = set(seen)
        posts = [p for p in feed_posts(resp.content, self.feed_url, self.clock.now()) if p["id"] not in known]
        posts.sort(key=lambda post: post["created_at"])
        if posts:
            self.on_posts(posts)
        state = {
            "etag": resp.headers.get("etag"),
            "modified": resp.headers.get("last-modified"),
            "seen": ([p["id"] for p in reversed(posts)] + seen)[:REMEMBERED_IDS],
        }
        self.cursors.set(self.cursor_key, json.dumps(state))
        return posts

    def run(self, stop: StopFlag) -> None:
        sleep = self._sleep or stop.sleep
        while not stop.is_set():
            try:
                self.poll_once()
            except (httpx.TransportError, FeedError) as exc:
                delay = self._delay(exc)
                if delay is None:
                    return
                reason = str(exc) if isinstance(exc, FeedError) else f"network error: {type(exc).__name__}"
                self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
                sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            sleep(self.interval)

    def _delay(self, exc: Exception) -> float | None:
        scheduled = self.backoff.next_delay()
        if not isinstance(exc, FeedError):
            return scheduled
        status = exc.response.status_code
        if status in BROKEN_STATUSES:
            self.health.broken(f"HTTP {status} for {self.feed_url}", at=self.clock.now())
            return None
        retry_after = exc.response.headers.get("retry-after", "")
        return float(retry_after) if retry_after.isdigit() else scheduled
