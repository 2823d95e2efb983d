"""The poller of a location's reviews: ``reviews.list`` (``orderBy=updateTime desc``, 50 a page,
``nextPageToken``) back to the newest change already seen, at most ``max_pages`` pages; new posts go
to ``on_posts`` oldest first, the cursor is stored after. A 429 waits its ``Retry-After``; a refused
grant, a 403 or a 404 need a person."""

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
from socialdesk.channels.google_business import parse
from socialdesk.channels.google_business.quota import reviews_path
from socialdesk.channels.google_oauth import GoogleApiError, check
from socialdesk.ports.services import Clock

PAGE_SIZE = 50
MAX_PAGES = 5
REMEMBERED_IDS = 2000


def list_params(page_token: str | None = None) -> dict[str, Any]:
    params: dict[str, Any] = {"pageSize": PAGE_SIZE, "orderBy": "updateTime desc"}
    if page_token:
        params["pageToken"] = page_token
    return params


def when(value: Any) -> datetime:
    return datetime.fromisoformat(str(value).replace("Z", "+00:00"))


class BusinessPoller:
    def __init__(
        self,
        http: httpx.Client,
        account_id: str,
        location_id: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 600.0,
        max_pages: int = MAX_PAGES,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.http, self.path, self.location_id = http, reviews_path(account_id, location_id), location_id
        self.on_posts, self.health, self.cursors = on_posts, health, cursors
        self.interval, self.max_pages, self._sleep = interval, max_pages, sleep
        self.clock: Clock = clock or SystemUtcClock()
        self.backoff = Backoff.exponential(30.0, cap=3600.0)
        self.cursor_key = f"{parse.NAME}:reviews:{account_id}:{location_id}"

    def poll_once(self) -> list[PostDict]:
        state: dict[str, Any] = json.loads(self.cursors.get(self.cursor_key) or "{}")
        newest = when(state["newest"]) if state.get("newest") else None
        seen: list[str] = state.get("seen", [])
        known = set(seen)
        posts: list[PostDict] = []
        token: str | None = None
        for _ in range(self.max_pages):
            body = check(self.http.get(self.path, params=list_params(token)))
            posts.extend(parse.reviews_page(body, self.location_id))
            token = str(body.get("nextPageToken") or "") or None
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
            except (httpx.TransportError, GoogleApiError) as exc:
                scheduled = self.backoff.next_delay()
                if isinstance(exc, GoogleApiError) and exc.status in (401, 403, 404):
                    self.health.broken(str(exc), at=self.clock.now())
                    return
                api = isinstance(exc, GoogleApiError)
                delay = exc.retry_after if isinstance(exc, GoogleApiError) and exc.retry_after else scheduled
                reason = str(exc) if api else f"network error: {type(exc).__name__}"
                self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
                sleep(delay)
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            sleep(self.interval)
