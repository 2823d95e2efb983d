"""The poller of an app's customer reviews: ``GET /v1/apps/{id}/customerReviews?sort=-createdDate``
with their responses included, 200 a page (``links.next``), back to the newest review already seen
(at most ``max_pages`` pages). New posts go to ``on_posts`` oldest first; the cursor is stored after.
A 429 waits its ``Retry-After`` (else the backoff); a refused key, a 403 or a 404 need a person.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx

from socialdesk.channels.app_store import parse
from socialdesk.channels.app_store.api import AppStoreError, check
from socialdesk.channels.app_store.quota import reviews_path
from socialdesk.channels.backoff import Backoff
from socialdesk.channels.framework import (
    ChannelAuthError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
)
from socialdesk.ports.services import Clock

PAGE_SIZE = 200
MAX_PAGES = 5
REMEMBERED_IDS = 2000
LIST_PARAMS: dict[str, str | int] = {"sort": "-createdDate", "limit": PAGE_SIZE, "include": "response"}


def when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


def next_link(body: dict[str, Any]) -> str | None:
    link = (body.get("links") or {}).get("next")
    return str(link) if link else None


class AppStorePoller:
    def __init__(
        self,
        http: httpx.Client,
        app_id: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 600.0,
        max_pages: int = MAX_PAGES,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.http, self.app_id, self.on_posts = http, app_id, on_posts
        self.health, self.cursors, self.interval, self.max_pages = health, cursors, interval, max_pages
        self._sleep = sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(30.0, cap=3600.0)
        self.cursor_key = f"{parse.NAME}:reviews:{app_id}"

    def poll_once(self) -> list[PostDict]:
        state: dict[str, Any] = json.loads(self.cursors.get(self.cursor_key) or "{}")
        newest = when(state["newest"]) if state.get("newest") else None
        seen: list[str] = state.get("seen", [])
        known = set(seen)
        posts: list[PostDict] = []
        response = self.http.get(reviews_path(self.app_id), params=LIST_PARAMS)
        for _ in range(self.max_pages):
            body = check(response)
            posts.extend(parse.reviews_page(body, self.app_id))
            link = next_link(body)
            if not link or (newest is not None and any(when(p["created_at"]) < newest for p in posts)):
                break
            response = self.http.get(link)
        fresh = {p["id"]: p for p in posts if p["id"] not in known}
        ordered = sorted(fresh.values(), key=lambda p: when(p["created_at"]))
        if ordered:
            self.on_posts(ordered)
        latest = max((when(p["created_at"]) for p in posts), default=newest)
        state = {
            "newest": latest.isoformat() if latest else None,
            "seen": ([p["id"] for p in reversed(ordered)] + seen)[:REMEMBERED_IDS],
        }
        self.cursors.set(self.cursor_key, json.dumps(state))
        return ordered

    def run(self, stop: StopFlag) -> None:
        sleep = self._sleep or stop.sleep
        while not stop.is_set():
            try:
                self.poll_once()
            except ChannelAuthError as exc:
                self.health.broken(str(exc), at=self.clock.now())
                return
            except (httpx.TransportError, AppStoreError) as exc:
                delay = self._delay(exc)
                if delay is None:
                    return
                reason = (
                    str(exc) if isinstance(exc, AppStoreError) else f"network error: {type(exc).__name__}"
                )
                self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
                sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            sleep(self.interval)

    def _delay(self, exc: Exception) -> float | None:
        scheduled = self.backoff.next_delay()
        if not isinstance(exc, AppStoreError):
            return scheduled
        if exc.status in (403, 404):
            self.health.broken(str(exc), at=self.clock.now())
            return None
        return exc.retry_after if exc.retry_after is not None else scheduled
