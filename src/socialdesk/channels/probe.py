"""`socialdesk channels test` and `POST /api/v1/channels/{id}/test`: check an account's credentials and
connectivity with one or two cheap reads, and say what is wrong in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from socialdesk.channels.bluesky.xrpc import XrpcError
from socialdesk.channels.connect import DEFAULT_BLUESKY_SERVICE, Connector
from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.framework import ChannelAuthError
from socialdesk.channels.rss.parse import feed_posts
from socialdesk.channels.url_policy import AddressNotAllowed
from socialdesk.domain.clock import SystemClock
from socialdesk.ports_channels import ChannelAccount


@dataclass(frozen=True, slots=True)
class ProbeResult:
    ok: bool
    message: str


class _Problem(Exception):
    pass


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def unreachable(url: str, exc: httpx.TransportError) -> str:
    """One message whatever the failure (refused, timed out, reset, no such host): the answer must not
    tell a closed port from a filtered one, or the probe becomes a port scanner. A URL the policy
    refuses says so, and nothing was sent."""
    if isinstance(exc, AddressNotAllowed):
        return f"not allowed: {exc}"
    return f"unreachable: no answer from {_host(url)}; check the address and that the server can reach it"


def _explain(status: int, what: str, *, scopes: str = "", not_found: str = "") -> str:
    if status == 401:
        return (
            f"{what} refused the credentials (HTTP 401): the token is wrong or was revoked; create a new one"
        )
    if status == 403:
        need = f" (needs {scopes})" if scopes else ""
        return f"{what} refused access (HTTP 403): the token is missing a scope{need} or the app lacks access"
    if status == 404:
        return f"not found (HTTP 404): {not_found or 'check the address'}"
    if status == 429:
        return f"{what} is rate limiting this account (HTTP 429): try again later"
    return f"{what} answered HTTP {status}"


def _get(http: httpx.Client, url: str, what: str, **explain: str) -> httpx.Response:
    try:
        resp = http.get(url)
    except httpx.TransportError as exc:
        raise _Problem(unreachable(str(http.base_url.join(url)), exc)) from None
    if resp.status_code != 200:
        raise _Problem(_explain(resp.status_code, what, **explain))
    return resp


def _x(connector: Connector, account: ChannelAccount) -> str:
    user_id = str(account.settings["user_id"])
    with connector.http(account) as http:
        me = _get(http, "/2/users/me", "X", scopes="tweet.read users.read").json().get("data") or {}
        if me.get("id") and str(me["id"]) != user_id:
            raise _Problem(
                f"wrong user id: the token belongs to @{me.get('username')} (id {me['id']}), "
                f"not user id {user_id}"
            )
        _get(
            http,
            f"/2/users/{user_id}/mentions?max_results=5",
            "X",
            scopes="tweet.read users.read",
            not_found=f"no X user with id {user_id}; check the user id",
        )
    return f"connected as @{me.get('username', account.handle)} (id {user_id}); mentions readable"


def _mastodon(connector: Connector, account: ChannelAccount) -> str:
    with connector.http(account) as http:
        me = _get(
            http,
            "/api/v1/accounts/verify_credentials",
            "the instance",
            scopes="read:accounts",
            not_found="no Mastodon API at this instance URL",
        ).json()
        _get(http, "/api/v1/notifications?limit=1", "the instance", scopes="read:notifications")
    return f"connected as @{me.get('acct', account.handle)} on {account.settings['instance_url']}"


def _rss(connector: Connector, account: ChannelAccount) -> str:
    url = str(account.settings["feed_url"])
    with connector.http(account) as http:
        resp = _get(http, url, "the feed", not_found="no feed at this URL")
    posts = feed_posts(resp.content, url, SystemClock().now())
    if not posts and b"<" not in resp.content[:200]:
        raise _Problem("the URL answers, but not with an RSS or Atom feed")
    return f"feed reachable: {len(posts)} entries"


def _bluesky(connector: Connector, account: ChannelAccount) -> str:
    service = str(account.settings.get("service") or DEFAULT_BLUESKY_SERVICE)
    with connector.http(account) as http:
        session = connector.bluesky_session(account, http)
        try:
            session.login()
        except httpx.TransportError as exc:
            raise _Problem(unreachable(service, exc)) from None
        except (ChannelAuthError, XrpcError) as exc:
            if isinstance(exc, ChannelAuthError) or exc.status == 401:
                raise _Problem(
                    "Bluesky refused the handle or app password (HTTP 401): check the handle, "
                    "or create a new app password"
                ) from None
            raise _Problem(f"Bluesky answered: {exc}") from None
    return f"connected as @{session.handle} ({session.did}) on {service}"


def probe(connector: Connector, account: ChannelAccount) -> ProbeResult:
    """Never raises for network trouble: the result says what is wrong. Never shows a secret."""
    checks = {"x": _x, "mastodon": _mastodon, "rss": _rss, "bluesky": _bluesky}
    check = checks.get(account.network)
    if check is None:
        return ProbeResult(
            True,
            f"nothing to call: webhook sources receive signed POSTs at /api/v1/webhooks/generic/{account.id}",
        )
    try:
        return ProbeResult(True, check(connector, account))
    except _Problem as exc:
        return ProbeResult(False, str(exc))
    except CredentialError as exc:
        return ProbeResult(False, f"stored credentials unusable: {exc}")
