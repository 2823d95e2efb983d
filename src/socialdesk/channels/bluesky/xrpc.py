"""XRPC over HTTP with an account session: log in with an app password, refresh, call methods.

Every AT Protocol call is ``GET /xrpc/<nsid>`` (a query) or ``POST /xrpc/<nsid>`` (a procedure) on the
account's PDS; errors come back as ``{"error": "Name", "message": "..."}``. The session's access token
expires after minutes; :class:`XrpcSession` refreshes it once on ``ExpiredToken`` and logs in again when
the refresh token is gone too.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

import httpx

from socialdesk.channels.framework import ChannelAuthError, ChannelError
from socialdesk.channels.url_policy import UrlPolicy

DEFAULT_TIMEOUT = 15.0


class XrpcError(ChannelError):
    def __init__(self, status: int, error: str, message: str, nsid: str) -> None:
        super().__init__(f"{nsid}: HTTP {status} {error}: {message}".rstrip(": "))
        self.status = status
        self.error = error
        self.message = message


def _raise_for(response: httpx.Response, nsid: str) -> None:
    if response.is_success:
        return
    try:
        body = response.json()
    except ValueError:
        body = {}
    error = str(body.get("error") or response.reason_phrase) if isinstance(body, dict) else ""
    message = str(body.get("message") or "") if isinstance(body, dict) else ""
    if response.status_code in (401, 403) and error not in ("ExpiredToken", "InvalidToken"):
        raise ChannelAuthError(f"{nsid}: HTTP {response.status_code} {error}: {message}")
    raise XrpcError(response.status_code, error, message, nsid)


class Xrpc:
    """Unauthenticated XRPC calls to one service (a PDS or an AppView)."""

    def __init__(self, service: str, *, http: httpx.Client | None = None) -> None:
        self.service = service.rstrip("/")
        self.http = http or UrlPolicy().http_client(timeout=DEFAULT_TIMEOUT)

    def query(self, nsid: str, params: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.http.get(f"{self.service}/xrpc/{nsid}", params=params, **kwargs)
        _raise_for(response, nsid)
        result: dict[str, Any] = response.json()
        return result

    def procedure(self, nsid: str, body: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        response = self.http.post(f"{self.service}/xrpc/{nsid}", json=body, **kwargs)
        _raise_for(response, nsid)
        result: dict[str, Any] = response.json() if response.content else {}
        return result


@dataclass(frozen=True, slots=True)
class Credentials:
    identifier: str  # the handle (e.g. ``acme.bsky.social``) or the DID
    password: str  # an app password (Settings -> Privacy and security -> App passwords)


class XrpcSession(Xrpc):
    """Calls as one account. Logs in lazily on first use; thread-safe token refresh."""

    def __init__(self, service: str, credentials: Credentials, *, http: httpx.Client | None = None) -> None:
        super().__init__(service, http=http)
        self._credentials = credentials
        self._lock = threading.Lock()
        self._access: str | None = None
        self._refresh: str | None = None
        self.did = ""
        self.handle = ""

    def login(self) -> None:
        body = Xrpc.procedure(
            self,
            "com.atproto.server.createSession",
            {"identifier": self._credentials.identifier, "password": self._credentials.password},
        )
        self._store(body)

    def _store(self, body: dict[str, Any]) -> None:
        self._access = body["accessJwt"]
        self._refresh = body["refreshJwt"]
        self.did = body["did"]
        self.handle = body.get("handle", self.handle)

    def _renew(self, stale: str | None) -> None:
        with self._lock:
            if self._access != stale:  # another thread already renewed it
                return
            if self._refresh:
                try:
                    body = Xrpc.procedure(
                        self,
                        "com.atproto.server.refreshSession",
                        headers={"Authorization": f"Bearer {self._refresh}"},
                    )
                except XrpcError:
                    self._refresh = None
                else:
                    self._store(body)
                    return
            self.login()

    def ensure(self) -> str:
        if self._access is None:
            self._renew(None)
        assert self._access is not None
        return self._access

    def _call(
        self, method: str, nsid: str, payload: dict[str, Any] | None, extra: dict[str, str] | None = None
    ) -> dict[str, Any]:
        for attempt in (1, 2):
            token = self.ensure()
            headers = {**(extra or {}), "Authorization": f"Bearer {token}"}
            try:
                if method == "GET":
                    return Xrpc.query(self, nsid, payload, headers=headers)
                return Xrpc.procedure(self, nsid, payload, headers=headers)
            except XrpcError as exc:
                if attempt == 1 and exc.error in ("ExpiredToken", "InvalidToken"):
                    self._renew(token)
                    continue
                raise
        raise AssertionError("unreachable")

    def query(self, nsid: str, params: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        """``headers`` (e.g. ``atproto-proxy`` for the chat service) go along with the session's."""
        return self._call("GET", nsid, params, kwargs.get("headers"))

    def procedure(self, nsid: str, body: dict[str, Any] | None = None, **kwargs: Any) -> dict[str, Any]:
        return self._call("POST", nsid, body, kwargs.get("headers"))
