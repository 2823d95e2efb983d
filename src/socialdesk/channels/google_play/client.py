"""The poller of an app's reviews: ``reviews.list`` (the API returns the reviews created or changed in
the last week, newest first, 100 a page, one read of the hourly 200 a page).

Each poll reads back to the newest change already seen, at most ``max_pages`` pages, and hands the
posts not seen before (reviews and the developer's replies) to ``on_posts``, oldest first; the cursor
(the newest change and the ids seen) is stored after ``on_posts`` returns. A 429 waits as long as its
``Retry-After`` says; a refused grant, a 403 (no access to the app) or a 404 (no such app) need a
person.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any

import httpx

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
from socialdesk.channels.google_play import parse
from socialdesk.channels.google_play.api import PlayError, check
from socialdesk.channels.google_play.quota import reviews_path
from socialdesk.ports.services import Clock

PAGE_SIZE = 100
MAX_PAGES = 5
REMEMBERED_IDS = 2000


def when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value))


def list_params(page_token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"maxResults": PAGE_SIZE}
    if page_token:
        params["token"] = page_token
    return params


def next_token(body: dict[str, Any]) -> str | None:
    token = (body.get("tokenPagination") or {}).get("nextPageToken")
    return str(token) if token else None


class PlayPoller:
    def __init__(
        self,
        http: httpx.Client,
        package_name: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 600.0,
        max_pages: int = MAX_PAGES,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.http, self.package_name, self.on_posts = http, package_name, on_posts
        self.health, self.cursors, self.interval, self.max_pages = health, cursors, interval, max_pages
        self._sleep = sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(30.0, cap=3600.0)
        self.cursor_key = f"{parse.NAME}:reviews:{package_name}"

    def poll_once(self) -> list[PostDict]:
        state: dict[str, Any] = json.loads(self.cursors.get(self.cursor_key) or "{}")
        newest = when(state["newest"]) if state.get("newest") else None
        seen: list[str] = state.get("seen", [])
        known = set(seen)
        posts: list[PostDict] = []
        token: str | None = None
        for _ in range(self.max_pages):
            body = check(self.http.get(reviews_path(self.package_name), params=list_params(token)))
            posts.extend(parse.reviews_page(body, self.package_name))
            token = next_token(body)
            if not token or (newest is not None and any(when(p["created_at"]) < newest for p in posts)):
                break
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
            except (httpx.TransportError, PlayError) as exc:
                delay = self._delay(exc)
                if delay is None:
                    return
                reason = str(exc) if isinstance(exc, PlayError) else f"network error: {type(exc).__name__}"
                self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
                sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            sleep(self.interval)

    def _delay(self, exc: Exception) -> float | None:
        """Seconds to wait before the next try, or None when a person must fix the account."""
        scheduled = self.backoff.next_delay()
        if not isinstance(exc, PlayError):
            return scheduled
        if exc.status in (401, 403, 404):
            self.health.broken(str(exc), at=self.clock.now())
            return None
        return exc.retry_after if exc.retry_after is not None else scheduled
