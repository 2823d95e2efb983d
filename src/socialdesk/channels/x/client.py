"""X API v2 clients: the filtered stream, its rules, and the mentions timeline poller.

Each client takes an ``httpx.Client`` from :func:`x_http` (base URL + bearer token), a
:class:`~socialdesk.channels.health.ChannelHealth`, an ``on_posts`` callback, and ``sleep``/``clock``
so tests drive time. ``run(stop)`` loops until ``stop.stop()``; reconnects follow :mod:`.policy`.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

import httpx

from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import (
    ChannelAuthError,
    ChannelError,
    ChannelHealth,
    CursorStore,
    PostDict,
    PostsCallback,
    Sleep,
    StopFlag,
    SystemUtcClock,
)
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.channels.x import parse
from socialdesk.channels.x.dm_poll import DmPageError, XDirectMessages
from socialdesk.channels.x.policy import ReconnectPolicy, error_detail
from socialdesk.channels.x.rules import XRule
from socialdesk.ports.services import Clock

log = logging.getLogger(__name__)

API = "https://api.x.com"
STREAM_READ_TIMEOUT = 20.0  # X sends a keep-alive newline every ~20 s
TWEET_FIELDS = "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,lang,note_tweet"
USER_FIELDS = "username,name,public_metrics,verified"
_EXPAND = {"expansions": "author_id", "tweet.fields": TWEET_FIELDS, "user.fields": USER_FIELDS}


def x_http(
    token: str | Secret,
    *,
    base_url: str = API,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP client for X: app bearer token for the stream and rules, user token for posting.
    Every request passes ``policy`` (default: public addresses only)."""
    raw = token.reveal() if isinstance(token, Secret) else token
    return (policy or UrlPolicy()).http_client(
        base_url=base_url,
        headers={"Authorization": f"Bearer {raw}", "User-Agent": "socialdesk"},
        timeout=httpx.Timeout(10.0),
        transport=transport,
    )


class _Retrying:
    def __init__(self, health: ChannelHealth, sleep: Sleep | None, clock: Clock | None) -> None:
        self.health = health
        self.clock: Clock = clock or SystemUtcClock()
        self._sleep = sleep
        self.policy = ReconnectPolicy()

    def wait(self, delay: float, reason: str, stop: StopFlag) -> None:
        until = self.clock.now() + timedelta(seconds=delay)
        self.health.degraded(reason, until, at=self.clock.now())
        log.info("x: %s; retrying in %.2f s", reason, delay)
        (self._sleep or stop.sleep)(delay)

    def delay_for(self, response: httpx.Response) -> float | None:
        """The wait before retrying ``response``'s error; marks the channel broken when none."""
        delay = self.policy.after_status(response.status_code, response.headers, self.clock.now().timestamp())
        if delay is None:
            self.health.broken(error_detail(response), at=self.clock.now())
        return delay


class XStream(_Retrying):
    """``GET /2/tweets/search/stream``: each tweet goes to ``on_posts`` as a batch of one."""

    def __init__(
        self,
        http: httpx.Client,
        on_posts: PostsCallback,
        health: ChannelHealth,
        *,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
        read_timeout: float = STREAM_READ_TIMEOUT,
    ) -> None:
        super().__init__(health, sleep, clock)
        self.http = http
        self.on_posts = on_posts
        self.read_timeout = read_timeout

    def run(self, stop: StopFlag) -> None:
        """Stream until ``stop``, or until the channel is broken (401/403). Callback errors propagate."""
        while not stop.is_set():
            try:
                result = self._connect(stop)
            except httpx.TransportError as exc:
                result = self.policy.after_network_error(), f"network error: {type(exc).__name__}"
            if result is None or stop.is_set():
                return
            self.wait(*result, stop=stop)

    def _connect(self, stop: StopFlag) -> tuple[float, str] | None:
        timeout = httpx.Timeout(10.0, read=self.read_timeout)
        with self.http.stream("GET", "/2/tweets/search/stream", params=_EXPAND, timeout=timeout) as resp:
            if resp.status_code != 200:
                resp.read()
                delay = self.delay_for(resp)
                return None if delay is None else (delay, error_detail(resp))
            self.policy.reset()
            self.health.connected(at=self.clock.now())
            for line in resp.iter_lines():
                if stop.is_set():
                    return None
                if line.strip():
                    self._line(line)
        return self.policy.after_network_error(), "stream closed by the server"

    def _line(self, line: str) -> None:
        try:
            payload = json.loads(line)
        except ValueError:
            log.warning("x stream: skipped a line that is not JSON (%d bytes)", len(line))
            return
        if isinstance(payload, dict) and "data" in payload:
            self.on_posts(parse.stream_line(payload))
        elif isinstance(payload, dict) and "errors" in payload:
            # e.g. operational-disconnect: X closes the connection right after this line.
            log.warning("x stream: %s", json.dumps(payload["errors"])[:300])


class XMentionsPoller(_Retrying):
    """``GET /2/users/:id/mentions``: every page since the saved ``since_id``, then one callback."""

    def __init__(
        self,
        http: httpx.Client,
        user_id: str,
        on_posts: PostsCallback,
        health: ChannelHealth,
        cursors: CursorStore,
        *,
        interval: float = 60.0,
        sleep: Sleep | None = None,
        clock: Clock | None = None,
        direct_messages: bool = False,
    ) -> None:
        super().__init__(health, sleep, clock)
        self.http = http
        self.user_id = user_id
        self.on_posts = on_posts
        self.cursors = cursors
        self.interval = interval
        self.cursor_key = f"x:mentions:{user_id}"
        # With ``direct_messages``, each poll also reads the brand's DMs (``GET /2/dm_events``).
        self.dms = XDirectMessages(http, user_id, cursors) if direct_messages else None

    def poll_once(self) -> list[PostDict]:
        """Fetch, hand over (oldest first) and only then save the new ``since_id``; then the DMs."""
        posts = self._poll_mentions()
        if self.dms is not None:
            try:
                dms, cursor = self.dms.fetch()
            except DmPageError as exc:
                raise _HttpError(exc.response) from None
            if dms:
                self.on_posts(dms)
            self.dms.save(cursor)
            posts.extend(dms)
        return posts

    def _poll_mentions(self) -> list[PostDict]:
        since = self.cursors.get(self.cursor_key)
        params: dict[str, Any] = {**_EXPAND, "max_results": 100}
        if since:
            params["since_id"] = since
        posts: list[PostDict] = []
        newest: str | None = None
        while True:
            resp = self.http.get(f"/2/users/{self.user_id}/mentions", params=params)
            if resp.status_code != 200:
                raise _HttpError(resp)
            body = resp.json()
            meta = body.get("meta") or {}
            newest = newest or meta.get("newest_id")
            posts.extend(parse.tweets_page(body))
            if not meta.get("next_token"):
                break
            params["pagination_token"] = meta["next_token"]
        posts.reverse()
        if posts:
            self.on_posts(posts)
        if newest:
            self.cursors.set(self.cursor_key, newest)
        return posts

    def run(self, stop: StopFlag) -> None:
        while not stop.is_set():
            try:
                self.poll_once()
            except httpx.TransportError as exc:
                self.wait(self.policy.after_network_error(), f"network error: {type(exc).__name__}", stop)
                continue
            except _HttpError as exc:
                delay = self.delay_for(exc.response)
                if delay is None:
                    return
                self.wait(delay, error_detail(exc.response), stop)
                continue
            self.policy.reset()
            self.health.connected(at=self.clock.now())
            (self._sleep or stop.sleep)(self.interval)


class _HttpError(Exception):
    def __init__(self, response: httpx.Response) -> None:
        super().__init__(error_detail(response))
        self.response = response


class XRulesClient:
    """``GET/POST /2/tweets/search/stream/rules``: make the stream's rules equal a plan's rules."""

    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def list(self) -> list[dict[str, str]]:
        resp = self.http.get("/2/tweets/search/stream/rules")
        _raise_for(resp)
        return list(resp.json().get("data") or [])

    def sync(self, wanted: Sequence[XRule]) -> dict[str, Any]:
        """Delete rules not wanted, add wanted ones missing; returns ids deleted, rules added, errors."""
        current = self.list()
        want = {(rule.value, rule.tag) for rule in wanted}
        have = {(rule["value"], rule.get("tag", "")): rule["id"] for rule in current}
        stale = [rule_id for key, rule_id in have.items() if key not in want]
        missing = [rule for rule in wanted if (rule.value, rule.tag) not in have]
        report: dict[str, Any] = {"deleted": stale, "added": [], "errors": []}
        if stale:
            resp = self.http.post("/2/tweets/search/stream/rules", json={"delete": {"ids": stale}})
            _raise_for(resp)
        if missing:
            body = {"add": [{"value": rule.value, "tag": rule.tag} for rule in missing]}
            resp = self.http.post("/2/tweets/search/stream/rules", json=body)
            _raise_for(resp)
            answer = resp.json()
            report["added"] = answer.get("data") or []
            report["errors"] = answer.get("errors") or []
        return report


def _raise_for(resp: httpx.Response) -> None:
    if resp.status_code in (401, 403):
        raise ChannelAuthError(error_detail(resp))
    if resp.status_code >= 400:
        raise ChannelError(error_detail(resp))
