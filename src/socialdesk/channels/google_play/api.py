"""The Google Play Developer API over HTTP: Google's OAuth 2.0 (channels/google_oauth.py) and its
error answers (``{"error": {"code", "message", "status", "errors": [{"reason"}]}}``)."""

from __future__ import annotations

from typing import Any

import httpx

from socialdesk.channels.framework import ChannelError
from socialdesk.channels.google_oauth import error_reason
from socialdesk.channels.url_policy import UrlPolicy


class PlayError(ChannelError):
    """An error answer of the API, with its status and reason."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.reason, message = error_reason(response)
        self.headers = response.headers
        super().__init__(f"HTTP {self.status} {self.reason}: {message}"[:500])

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after", "")
        return float(value) if value.isdigit() else None


def check(response: httpx.Response) -> dict[str, Any]:
    """The JSON body of a successful answer; PlayError otherwise."""
    if not response.is_success:
        raise PlayError(response)
    body = response.json()
    return body if isinstance(body, dict) else {}


def play_http(
    auth: httpx.Auth,
    *,
    base_url: str,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP client for the API; every request (the token refresh too) passes ``policy``."""
    return (policy or UrlPolicy()).http_client(
        base_url=base_url,
        auth=auth,
        headers={"User-Agent": "socialdesk", "Accept": "application/json"},
        timeout=httpx.Timeout(15.0),
        transport=transport,
    )
