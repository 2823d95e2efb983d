"""The Graph API over HTTP: the authenticated client and what its error bodies mean.

Graph answers an error as ``{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}``.
The codes that change what socialdesk does:

* 190 (access token expired, revoked or invalid) and 102 (session invalid): the Page token no longer
  works; :class:`TokenInvalid` (a ``ChannelAuthError``): the account needs re-authorisation, and
  retrying will not help until someone pastes a new token.
* 4, 17, 32, 613 (application, user, Page and custom rate limits): :class:`GraphRateLimited`, retried
  later.
* 10 with subcode 2018278 or 2534022, and 551: the message is outside the window Meta allows, or the
  person cannot be reached; :class:`SendRefused` with Meta's words.
"""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import ChannelAuthError, ChannelError, SendRefused
from socialdesk.channels.url_policy import UrlPolicy

API = "https://graph.facebook.com"
VERSION = "v19.0"
TOKEN_CODES = frozenset({102, 190})
RATE_LIMIT_CODES = frozenset({4, 17, 32, 613})
REFUSED_CODES = frozenset({551})
REFUSED_SUBCODES = frozenset({2018278, 2534022, 2018108, 2018001})
NEEDS_REAUTHORISATION = "needs re-authorisation"


class TokenInvalid(ChannelAuthError):
    """Graph error 190 or 102: the token expired or was revoked. A new token is needed."""


class GraphRateLimited(ChannelError):
    """Graph error 4, 17, 32 or 613: too many calls; try again later."""


def graph_http(
    token: str | Secret,
    *,
    base_url: str = API,
    version: str = VERSION,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """A Graph client sending the Page token as a bearer header (never in a URL, so never in a log).
    Every request passes ``policy`` (default: public addresses only)."""
    raw = token.reveal() if isinstance(token, Secret) else token
    return (policy or UrlPolicy()).http_client(
        base_url=f"{base_url.rstrip('/')}/{version}",
        headers={"Authorization": f"Bearer {raw}", "User-Agent": "socialdesk"},
        timeout=httpx.Timeout(10.0),
        transport=transport,
    )


def _error(resp: httpx.Response) -> dict[str, Any]:
    try:
        body = resp.json()
    except ValueError:
        return {}
    error = body.get("error") if isinstance(body, dict) else None
    return error if isinstance(error, dict) else {}


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def check(resp: httpx.Response) -> dict[str, Any]:
    """The JSON body of a successful Graph answer, else the exception its error code means."""
    if resp.status_code < 400:
        body = resp.json()
        if not isinstance(body, dict):
            raise ChannelError(f"Graph answered HTTP {resp.status_code} with no JSON object")
        return body
    error = _error(resp)
    code, subcode = _int(error.get("code")), _int(error.get("error_subcode"))
    message = str(error.get("message") or resp.reason_phrase or "no message")[:300]
    detail = f"Graph error {code if code is not None else resp.status_code}"
    detail += f"/{subcode}" if subcode is not None else ""
    detail += f": {message}"
    if code in TOKEN_CODES:
        raise TokenInvalid(
            f"{NEEDS_REAUTHORISATION}: the Page token no longer works ({detail}); add a new token"
        )
    if code in RATE_LIMIT_CODES:
        raise GraphRateLimited(f"rate limited by Meta ({detail}); tried again later")
    if code in REFUSED_CODES or subcode in REFUSED_SUBCODES:
        raise SendRefused(f"Meta refused it ({detail})")
    if resp.status_code in (401, 403):
        raise ChannelAuthError(detail)
    raise ChannelError(detail)
