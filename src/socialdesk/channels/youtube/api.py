"""The YouTube Data API v3 over HTTP: OAuth 2.0 with a refresh token, quota units, and error answers.

Every call is authorised with a short-lived access token that :class:`GoogleOAuth` gets (and renews on
a 401) from the account's refresh token at Google's token endpoint. Each API request spends quota
units from the project's daily quota (10,000 by default): a list costs 1, a comment insert, update,
moderation or delete 50 (developers.google.com/youtube/v3/determine_quota_cost); `quota_cost` says
how much (quota.py), so the read budget can count units instead of requests.
"""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.framework import ChannelError
from socialdesk.channels.google_oauth import GoogleOAuth as GoogleOAuth  # (re-exported)
from socialdesk.channels.google_oauth import error_reason
from socialdesk.channels.url_policy import UrlPolicy
from socialdesk.channels.youtube.quota import API


class YouTubeError(ChannelError):
    """An error answer of the API, with its status and ``reason`` (``quotaExceeded``, ``forbidden``...)."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.reason, message = error_reason(response)
        self.headers = response.headers
        super().__init__(f"HTTP {self.status} {self.reason}: {message}"[:500])

    @property
    def quota_spent(self) -> bool:
        return self.status == 403 and self.reason in ("quotaExceeded", "dailyLimitExceeded")


def check(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of a successful answer; YouTubeError otherwise."""
    if not response.is_success:
        raise YouTubeError(response)
    body = response.json()
    return body if isinstance(body, dict) else {}


def youtube_http(
    auth: httpx.Auth,
    *,
    base_url: str = API,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP client for the Data API; every request (the token refresh too) passes ``policy``."""
    return (policy or UrlPolicy()).http_client(
        base_url=base_url,
        auth=auth,
        headers={"User-Agent": "socialdesk", "Accept": "application/json"},
        timeout=httpx.Timeout(15.0),
        transport=transport,
    )
