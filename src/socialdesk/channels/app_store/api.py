"""The App Store Connect API over HTTP: a JSON Web Token signed ES256 with the team's private key
(the ``.p8`` file; issuer id and key id), renewed before its 20 minutes run out, and the API's error
answers (``{"errors": [{"status", "code", "title", "detail"}]}``)."""

from __future__ import annotations

import base64
import json
import threading
from collections.abc import Callable, Generator
from datetime import datetime, timedelta
from typing import Any

import httpx
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from socialdesk.channels.crypto import Secret
from socialdesk.channels.framework import ChannelAuthError, ChannelError
from socialdesk.channels.url_policy import UrlPolicy

AUDIENCE = "appstoreconnect-v1"
LIFETIME = timedelta(minutes=20)  # the longest Apple accepts
RENEW_BEFORE = timedelta(minutes=2)


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def private_key(pem: Secret) -> ec.EllipticCurvePrivateKey:
    """The team's key from the text of its ``.p8`` file (PKCS #8, P-256); ChannelAuthError otherwise."""
    try:
        key = load_pem_private_key(pem.reveal().encode("utf-8"), password=None)
    except (ValueError, TypeError):
        raise ChannelAuthError("private_key is not the text of an App Store Connect .p8 key") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or key.curve.name != "secp256r1":
        raise ChannelAuthError("private_key is not an ES256 (P-256) key, as App Store Connect keys are")
    return key


def signed_token(key: ec.EllipticCurvePrivateKey, key_id: str, issuer_id: str, now: datetime) -> str:
    header = {"alg": "ES256", "kid": key_id, "typ": "JWT"}
    issued = int(now.timestamp())
    claims = {"iss": issuer_id, "iat": issued, "exp": issued + int(LIFETIME.total_seconds()), "aud": AUDIENCE}
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    r, s = decode_dss_signature(key.sign(signing_input.encode("ascii"), ec.ECDSA(hashes.SHA256())))
    return f"{signing_input}.{_b64(r.to_bytes(32, 'big') + s.to_bytes(32, 'big'))}"


class AppStoreJwt(httpx.Auth):
    """``Authorization: Bearer <JWT>``, a new token when the last is within 2 minutes of expiring."""

    def __init__(self, key: Secret, key_id: str, issuer_id: str, now: Callable[[], datetime]) -> None:
        self._key = private_key(key)
        self.key_id, self.issuer_id, self._now = key_id, issuer_id, now
        self._lock = threading.Lock()
        self._token: tuple[str, datetime] | None = None

    def token(self) -> str:
        now = self._now()
        with self._lock:
            if self._token is None or self._token[1] - RENEW_BEFORE <= now:
                self._token = (signed_token(self._key, self.key_id, self.issuer_id, now), now + LIFETIME)
            return self._token[0]

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self.token()}"
        yield request


class AppStoreError(ChannelError):
    """An error answer of the API, with its status and the first error's ``code``."""

    def __init__(self, response: httpx.Response) -> None:
        self.status = response.status_code
        self.headers = response.headers
        try:
            errors = response.json().get("errors") or [{}]
            first = errors[0] if isinstance(errors[0], dict) else {}
        except (ValueError, AttributeError, IndexError):
            first = {}
        self.code = str(first.get("code") or "error")
        detail = str(first.get("detail") or first.get("title") or response.reason_phrase)
        super().__init__(f"HTTP {self.status} {self.code}: {detail}"[:500])

    @property
    def retry_after(self) -> float | None:
        value = self.headers.get("retry-after", "")
        return float(value) if value.isdigit() else None


def check(response: httpx.Response) -> dict[str, Any]:
    if response.status_code == 401:
        raise ChannelAuthError(f"App Store Connect refused the key: {AppStoreError(response)}")
    if not response.is_success:
        raise AppStoreError(response)
    body = response.json()
    return body if isinstance(body, dict) else {}


def app_store_http(
    auth: httpx.Auth,
    *,
    base_url: str,
    policy: UrlPolicy | None = None,
    transport: httpx.BaseTransport | None = None,
) -> httpx.Client:
    return (policy or UrlPolicy()).http_client(
        base_url=base_url,
        auth=auth,
        headers={"User-Agent": "socialdesk", "Accept": "application/json"},
        timeout=httpx.Timeout(15.0),
        transport=transport,
    )
