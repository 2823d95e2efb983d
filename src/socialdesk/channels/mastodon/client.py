"""Mastodon clients: the streaming API (server-sent events) and the notifications poller.

The stream (``/api/v1/streaming/user`` or ``/hashtag?tag=``) hands each status to ``on_posts``.
Before each (re)connection of the user stream it runs ``gap_filler`` (normally
``MastodonPoller.poll_once``), so mentions sent while disconnected are fetched, not lost. Mastodon
documents no reconnect schedule: this waits 1 s doubling up to 60 s after errors, and on 429 until
``X-RateLimit-Reset`` (an ISO 8601 time). 401/403 mark the channel broken.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

from socialdesk.channels.backoff import Backoff
from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import (
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
    newer_id,
)
from socialdesk.channels.mastodon import parse
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.ports.services import Clock

log = logging.getLogger(__name__)
STREAM_READ_TIMEOUT = 60.0  # the server writes a ":thump" comment every ~15 s


def mastodon_http(
    instance: str,
    token: str | Secret,
    *,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """``instance`` like ``https://mastodon.social``; ``token`` with scopes ``read write``. Every
    request (the stream too) passes ``policy`` (default: public addresses only)."""
    raw = token.reveal() if isinstance(token, Secret) else token
    return (policy or UrlPolicy()).http_client(
        base_url=instance.rstrip("/"),
        headers={"Authorization": f"Bearer {raw}", "User-Agent": "socialdesk"},
        timeout=httpx.Timeout(10.0),
        transport=transport,
    )


class MastodonHttpError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(f"HTTP {response.status_code}")
        self.response = response


def error_detail(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        body = None
    detail = body.get("error") if isinstance(body, dict) else None
    return f"HTTP {response.status_code}: {str(detail)[:300]}" if detail else f"HTTP {response.status_code}"


class _Retrying:
    def __init__(self, health: ChannelHealth, sleep: Sleep | None, clock: Clock | None) -> None:
        self.health = health
        self.clock: Clock = clock or SystemUtcClock()
        self._sleep = sleep
        self.backoff = Backoff.exponential(1.0, cap=60.0)

    def pause(self, seconds: float, stop: StopFlag) -> None:
        (self._sleep or stop.sleep)(seconds)

    def wait(self, delay: float, reason: str, stop: StopFlag) -> None:
        self.health.degraded(reason, self.clock.now() + timedelta(seconds=delay), at=self.clock.now())
        log.info("mastodon: %s; retrying in %.2f s", reason, delay)
        self.pause(delay, stop)

    def delay_for(self, response: httpx.Response) -> float | None:
        if response.status_code in (401, 403):
            self.health.broken(error_detail(response), at=self.clock.now())
            return None
        scheduled = self.backoff.next_delay()
        reset = response.headers.get("x-ratelimit-reset")
        if response.status_code == 429 and reset:
            try:
                until = datetime.fromisoformat(reset.replace("Z", "+00:00"))
                return max((until - self.clock.now()).total_seconds(), 0.0)
            except ValueError:
                pass
        return scheduled

    def retry(self, exc: Exception, stop: StopFlag) -> bool:
        """Wait after ``exc``; ``False`` when the channel is broken and retrying is pointless."""
        if isinstance(exc, MastodonHttpError):
            delay = self.delay_for(exc.response)
            if delay is None:
                return False
            self.wait(delay, error_detail(exc.response), stop)
        else:
            self.wait(self.backoff.next_delay(), f"network error: {type(exc).__name__}", stop)
        return True


class MastodonPoller(_Retrying):
    """``GET /api/v1/notifications?types[]=mention&since_id=``, every page, one callback per poll."""

    def __init__(
        self,
        http: httpx.Client,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        cursor_key: str = "mastodon:notifications",
        interval: float = 60.0,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(health, sleep, clock)
        self.http, self.on_posts, self.cursors = http, on_posts, cursors
        self.cursor_key, self.interval = cursor_key, interval

    def poll_once(self) -> list[PostDict]:
        since = self.cursors.get(self.cursor_key)
        params: dict[str, Any] = {"types[]": ["mention"], "limit": 40}
        if since:
            params["since_id"] = since
        posts: list[PostDict] = []
        newest = since
        while True:
            resp = self.http.get("/api/v1/notifications", params=params)
            if resp.status_code != 200:
                raise MastodonHttpError(resp)
            page = resp.json()
            for entity in page:
                newest = newer_id(newest, str(entity["id"]))
                post = parse.notification(entity)
                if post is not None:
                    posts.append(post)
            next_link = resp.links.get("next", {}).get("url")
            max_id = parse_qs(urlsplit(next_link).query).get("max_id") if next_link else None
            if not page or not max_id:
                break
            params["max_id"] = max_id[0]
        posts.reverse()  # oldest first
        if posts:
            self.on_posts(posts)
        if newest and newest != since:
            self.cursors.set(self.cursor_key, newest)
        return posts

    def run(self, stop: StopFlag) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except (httpx.TransportError, MastodonHttpError) as exc:
                if not self.retry(exc, stop):
                    return
                continue
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            self.pause(self.interval, stop)


class MastodonStream(_Retrying):
    def __init__(
        self,
        http: httpx.Client,
        on_posts: PostsCallback,
        health: ChannelHealth,
        *,
        hashtag: str | None = None,
        gap_filler: Callable[[], object] | None = None,
        cursors: CursorStore | None = None,
        cursor_key: str = "mastodon:notifications",
        sleep: Sleep | None = None,
        clock: Clock | None = None,
        read_timeout: float = STREAM_READ_TIMEOUT,
    ) -> None:
        super().__init__(health, sleep, clock)
        self.http, self.on_posts = http, on_posts
        self.hashtag, self.gap_filler = hashtag, gap_filler
        # Notifications seen on the stream move the poller's cursor, so a gap fill repeats nothing.
        self.cursors, self.cursor_key = cursors, cursor_key
        self.read_timeout = read_timeout

    @property
    def path(self) -> str:
        return "/api/v1/streaming/hashtag" if self.hashtag else "/api/v1/streaming/user"

    def run(self, stop: StopFlag) -> None:
        """Stream until ``stop`` or a 401/403. Callback errors propagate."""
        while not stop.is_set():
            try:
                if self.gap_filler is not None:
                    self.gap_filler()
                self._connect(stop)
                reason: Exception = ConnectionResetError("stream closed by the server")
            except (httpx.TransportError, MastodonHttpError) as exc:
                reason = exc
            if stop.is_set() or not self.retry(reason, stop):
                return

    def _connect(self, stop: StopFlag) -> None:
        params = {"tag": self.hashtag} if self.hashtag else {}
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        with self.http.stream("GET", self.path, params=params, timeout=timeout) as resp:
            if resp.status_code != 200:
                resp.read()
                raise MastodonHttpError(resp)
            self.backoff.reset()
            self.health.connected(at=self.clock.now())
            event, data = "message", list[str]()
            for line in resp.iter_lines():
                if stop.is_set():
                    return
                if not line:
                    if data:
                        self._dispatch(event, "\n".join(data))
                    event, data = "message", []
                elif line.startswith(":"):
                    continue  # heartbeat comment
                else:
                    name, _, value = line.partition(":")
                    value = value[1:] if value.startswith(" ") else value
                    if name == "event":
                        event = value
                    elif name == "data":
                        data.append(value)

    def _dispatch(self, event: str, data: str) -> None:
        try:
            decoded = json.loads(data)
        except ValueError:
            decoded = data  # `delete` carries a bare id
        post = parse.stream_event(event, decoded)
        if post is not None:
            self.on_posts([post])
        if event == "notification" and isinstance(decoded, dict) and self.cursors is not None:
            current = self.cursors.get(self.cursor_key)
            newest = newer_id(current, str(decoded["id"]))
            if newest and newest != current:
                self.cursors.set(self.cursor_key, newest)
