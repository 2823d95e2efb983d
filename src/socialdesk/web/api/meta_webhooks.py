"""Meta's webhook receivers (Facebook Pages, Instagram): the subscription check and signed events.

``GET /webhooks/{facebook|instagram}/{id}?hub.mode=subscribe&hub.verify_token=...&hub.challenge=...``
answers the challenge, as plain text, only when the verify token is the source's own (compared in
constant time) and the challenge has the shape Meta sends; every refusal is the same 403, whether the
id exists or not. The GET signs nothing, so it is no signing oracle (channels/meta/webhook.py).

``POST`` bodies must carry ``X-Hub-Signature-256``: ``sha256=`` + hex HMAC-SHA256 of the raw body with
the source's app secret. As in web/api/webhooks.py, the header is checked for presence and shape
before the source is looked up, and the body is read (bounded) and its signature checked before
anything parses it; every refusal from the lookup on is the same 401 :data:`REFUSED`. Both are
rate-limited per address (and the GET per source too).
"""

from __future__ import annotations

import threading
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, status
from fastapi.responses import PlainTextResponse
from starlette.concurrency import run_in_threadpool

from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.facebook.network import PRODUCT as PAGE
from socialdesk.channels.instagram.network import PRODUCT as INSTAGRAM
from socialdesk.channels.json_body import BodyNotJson, load_json_body
from socialdesk.channels.meta.mentions import fetch_mentions
from socialdesk.channels.meta.parse import MalformedWebhook, MentionRef, MetaBatch, read_webhook
from socialdesk.channels.meta.product import MetaProduct
from socialdesk.channels.meta.webhook import (
    CHALLENGE_MAX,
    SIGNATURE_HEADER,
    SignatureError,
    VerificationRefused,
    verification_answer,
    verify_signature,
)
from socialdesk.ingest.validate import PostError
from socialdesk.ports.channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.web.api.webhooks import (
    REFUSED,
    WEBHOOK_LIMIT,
    _answer,
    _find_source,
    _ingest,
    _refused,
    _source,
)
from socialdesk.web.body_limit import body_limit
from socialdesk.web.client_address import client_address
from socialdesk.web.inputs import Id
from socialdesk.web.ratelimit import Rate, RateLimiter, retry_after

meta_webhooks = APIRouter(tags=["webhooks"])
NOT_VERIFIED = "refused: no such source, or the verify token does not match"
VERIFY_PER_ID = Rate(capacity=10, per_seconds=600.0)
VERIFY_PER_ADDRESS = Rate(capacity=60, per_seconds=600.0)
EVENTS_PER_ADDRESS = Rate(capacity=600, per_seconds=60.0)  # Meta batches; ten a second sustained
_SIGNATURE_SHAPE = "sha256="

__all__ = ["NOT_VERIFIED", "REFUSED", "MetaGuard", "meta_webhooks"]


class MetaGuard:
    """The receivers' rate limits, one set per app."""

    def __init__(self) -> None:
        self.verify_per_id = RateLimiter(VERIFY_PER_ID)
        self.verify_per_address = RateLimiter(VERIFY_PER_ADDRESS)
        self.events_per_address = RateLimiter(EVENTS_PER_ADDRESS)


_LOCK = threading.Lock()


def meta_guard(app: FastAPI) -> MetaGuard:
    """The app's MetaGuard, made on first use (tests may set ``app.state.meta_guard`` beforehand)."""
    with _LOCK:
        guard = getattr(app.state, "meta_guard", None)
        if not isinstance(guard, MetaGuard):
            guard = app.state.meta_guard = MetaGuard()
    return guard


def _too_many(wait: float) -> HTTPException:
    return HTTPException(
        status.HTTP_429_TOO_MANY_REQUESTS,
        "too many requests; try again later",
        headers={"Retry-After": retry_after(wait)},
    )


def _verify(
    request: Request,
    network: str,
    account_id: int,
    mode: str | None,
    token: str | None,
    challenge: str | None,
) -> PlainTextResponse:
    runtime: Runtime = request.app.state.runtime
    address = client_address(request, runtime.settings.trusted_proxies)
    guard = meta_guard(request.app)
    wait = guard.verify_per_address.acquire(address) or guard.verify_per_id.acquire(account_id)
    if wait:
        raise _too_many(wait)
    found = _find_source(runtime, account_id, network, "verify_token")
    if found is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_VERIFIED)
    try:
        return PlainTextResponse(verification_answer(mode, token, challenge, found[1]))
    except VerificationRefused:
        raise HTTPException(status.HTTP_403_FORBIDDEN, NOT_VERIFIED) from None


async def _receive(request: Request, network: str, product: MetaProduct, account_id: int) -> dict[str, Any]:
    runtime: Runtime = request.app.state.runtime
    wait = meta_guard(request.app).events_per_address.acquire(
        client_address(request, runtime.settings.trusted_proxies)
    )
    if wait:
        raise _too_many(wait)
    header = request.headers.get(SIGNATURE_HEADER)
    if not header or not header.startswith(_SIGNATURE_SHAPE):
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            f"missing or malformed {SIGNATURE_HEADER} header",
            headers={"Connection": "close"},
        )
    account, secret = await run_in_threadpool(_source, runtime, account_id, network, "app_secret")
    body = await request.body()
    try:
        verify_signature(body, header, secret)
    except SignatureError:
        raise _refused() from None
    try:
        batch: MetaBatch = read_webhook(
            load_json_body(body),
            object_name=product.object_name,
            channel=network,
            received_at=runtime.clock.now(),
        )
    except (BodyNotJson, MalformedWebhook) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None
    errors = list(batch.errors)
    received = len(batch.posts) + len(batch.errors) + len(batch.mentions)
    if batch.mentions:  # ids only: each is read back from the Graph API as the account
        found, unread = await run_in_threadpool(_read_mentions, runtime, account, batch.mentions, network)
        batch.posts.extend(found)
        errors.extend(unread)
    result = await run_in_threadpool(_ingest, runtime, account, batch.posts)
    answer = _answer(received, result, errors)
    answer["ignored"] = batch.ignored
    answer["mentions"] = len(batch.mentions)
    return answer


def _read_mentions(
    runtime: Runtime, account: ChannelAccount, refs: list[MentionRef], network: str
) -> tuple[list[dict[str, Any]], list[PostError]]:
    try:
        http = runtime.channel_connector().http(account)
    except CredentialError as exc:
        return [], [
            PostError(i, "mentions", f"could not read the mention back: {exc}")
            for i in range(1, len(refs) + 1)
        ]
    with http:
        return fetch_mentions(http, refs, network)


_MODE = Query(alias="hub.mode", max_length=20)
_TOKEN = Query(alias="hub.verify_token", max_length=200)
_CHALLENGE = Query(alias="hub.challenge", max_length=CHALLENGE_MAX)


@meta_webhooks.get("/webhooks/facebook/{account_id}", response_class=PlainTextResponse)
def facebook_verify(
    account_id: Id,
    request: Request,
    mode: Annotated[str | None, _MODE] = None,
    token: Annotated[str | None, _TOKEN] = None,
    challenge: Annotated[str | None, _CHALLENGE] = None,
) -> PlainTextResponse:
    """Meta's subscription check for a Page webhook: echoes ``hub.challenge`` if the verify token matches."""
    return _verify(request, "facebook", account_id, mode, token, challenge)


@meta_webhooks.post("/webhooks/facebook/{account_id}")
@body_limit(WEBHOOK_LIMIT)
async def facebook_events(account_id: Id, request: Request) -> dict[str, Any]:
    """Page webhook events (feed comments, Messenger), checked against ``X-Hub-Signature-256``."""
    return await _receive(request, "facebook", PAGE, account_id)


@meta_webhooks.get("/webhooks/instagram/{account_id}", response_class=PlainTextResponse)
def instagram_verify(
    account_id: Id,
    request: Request,
    mode: Annotated[str | None, _MODE] = None,
    token: Annotated[str | None, _TOKEN] = None,
    challenge: Annotated[str | None, _CHALLENGE] = None,
) -> PlainTextResponse:
    """Meta's subscription check for an Instagram webhook: echoes ``hub.challenge`` when the token matches."""
    return _verify(request, "instagram", account_id, mode, token, challenge)


@meta_webhooks.post("/webhooks/instagram/{account_id}")
@body_limit(WEBHOOK_LIMIT)
async def instagram_events(account_id: Id, request: Request) -> dict[str, Any]:
    """Instagram webhook events (comments, mentions, DMs), checked against ``X-Hub-Signature-256``."""
    return await _receive(request, "instagram", INSTAGRAM, account_id)
