"""Google's OAuth 2.0 for its APIs (YouTube Data API, Google Play Developer API, Business Profile):
short-lived access tokens from an account's refresh token, renewed on a 401; Google's error answers
(``{"error": {"code", "message", "status", "errors": [{"reason"}]}}``) and an HTTP client for them."""

from __future__ import annotations

import threading
from collections.abc import Generator
from typing import Any

import httpx

from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import ChannelAuthError, ChannelError
from socialdesk.channels.url_policy import UrlPolicy

TOKEN_URL = "https://oauth2.googleapis.com/token"  # noqa: S105 (an address, not a secret)


def error_reason(response: httpx.Response) -> tuple[str, str]:
    """The first ``errors[].reason`` and the message of Google's error body (or the status line)."""
    try:
        error = response.json().get("error") or {}
    except ValueError:
        return "error", response.reason_phrase or "no error body"
    if not isinstance(error, dict):
        return "error", str(error)[:200]
    errors = error.get("errors") or [{}]
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    return str(first.get("reason") or error.get("status") or "error"), str(error.get("message") or "")[:300]


class GoogleOAuth(httpx.Auth):
    """Bearer access tokens from a refresh token (RFC 6749 section 6), renewed once on a 401.

    A refused refresh (``invalid_grant``: the user revoked access, or the token expired unused) is a
    ChannelAuthError: the account needs to be authorised again."""

    requires_response_body = True

    def __init__(
        self, token_url: str, client_id: Secret, client_secret: Secret, refresh_token: Secret
    ) -> None:
        self.token_url = token_url
        self._form = {
            "grant_type": "refresh_token",
            "client_id": client_id.reveal(),
            "client_secret": client_secret.reveal(),
            "refresh_token": refresh_token.reveal(),
        }
        self._lock = threading.Lock()
        self._access: str | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        if request.url.path == httpx.URL(self.token_url).path and request.method == "POST":
            yield request  # the refresh itself goes out unauthorised
            return
        token = self._access
        if token is None:
            token = self._renewed((yield self._refresh_request()))
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            token = self._renewed((yield self._refresh_request()))
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def _refresh_request(self) -> httpx.Request:
        return httpx.Request("POST", self.token_url, data=self._form, headers={"Accept": "application/json"})

    def _renewed(self, response: httpx.Response) -> str:
        try:
            body = response.json()
        except ValueError:
            body = {}
        token = body.get("access_token") if isinstance(body, dict) else None
        if response.status_code in (400, 401) or (response.is_success and not token):
            detail = body.get("error_description") or body.get("error") if isinstance(body, dict) else None
            raise ChannelAuthError(
                f"Google refused the refresh token ({detail or response.status_code}): "
                "authorise the account again"
            )
        if not response.is_success or not isinstance(token, str):
            raise ChannelError(f"Google's token endpoint answered HTTP {response.status_code}")
        with self._lock:
            self._access = token
        return token


class GoogleApiError(ChannelError):
    """An error answer of a Google API, with its status and reason."""

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
    """The JSON body of a successful answer; GoogleApiError otherwise."""
    if not response.is_success:
        raise GoogleApiError(response)
    body = response.json()
    return body if isinstance(body, dict) else {}


def google_http(
    auth: httpx.Auth,
    *,
    base_url: str,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    """An HTTP client for a Google API; every request (the token refresh too) passes ``policy``."""
    return (policy or UrlPolicy()).http_client(
        base_url=base_url,
        auth=auth,
        headers={"User-Agent": "socialdesk", "Accept": "application/json"},
        timeout=httpx.Timeout(15.0),
        transport=transport,
    )
