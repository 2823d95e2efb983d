"""The webhook receivers networks and other systems POST to, authenticated by signature, not token.

Each receiver checks what it can without the source first (the signature headers are there, the
generic webhook's timestamp is fresh), then looks the source up, and only then reads the body
(bounded by ``SOCIALDESK_WEBHOOK_MAX_BODY_BYTES``, see web/body_limit.py) and checks its signature.

Every refusal from the lookup on answers the same 401 with the same body, :data:`REFUSED`, whether
the id does not exist, belongs to another network or is paused, has no secret, the server cannot
open the secret, or the signature is wrong: the answers tell nobody which ids exist or what they
are. The reason is logged for the operator. The X CRC GET answers unknown ids with a decoy
(``decoy_crc_response``) for the same reason, and is rate-limited per address and per id.
Secrets never appear in any answer.
"""

from __future__ import annotations

import logging
import secrets
import threading
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, HTTPException, Query, Request, status
from starlette.concurrency import run_in_threadpool

from socialdesk.actions.channels.accounts import ChannelAcceptance, accept_channel_posts, find_webhook_account
from socialdesk.channels.crypto import CredentialError, Secret
from socialdesk.channels.json_body import BodyNotJson, load_json_body
from socialdesk.channels.webhook.verify import WebhookRejected, check_headers, check_signature, parse_body
from socialdesk.channels.x.activity import MalformedActivity, read_account_activity
from socialdesk.channels.x.webhook import (
    CRC_TOKEN_MAX,
    CrcTokenRefused,
    SignatureError,
    crc_response,
    decoy_crc_response,
    verify_signature,
)
from socialdesk.ports.channels import ChannelAccount
from socialdesk.runtime import Runtime
from socialdesk.web.body_limit import body_limit
from socialdesk.web.client_address import client_address
from socialdesk.web.inputs import Id
from socialdesk.web.ratelimit import Rate, RateLimiter, retry_after

log = logging.getLogger(__name__)
webhooks = APIRouter(tags=["webhooks"])
X_SIGNATURE = "x-twitter-webhooks-signature"
REFUSED = "refused: no such source, or the signature does not match the body"
WEBHOOK_LIMIT = "webhook_max_body_bytes"
# X sends a CRC when a webhook is registered, about hourly after that, and when asked to (PUT).
CRC_PER_ID = Rate(capacity=10, per_seconds=600.0)  # 10 at once, then one a minute per source id
CRC_PER_ADDRESS = Rate(capacity=60, per_seconds=600.0)  # 60 at once, then one every 10 s per address
_CRC_TOKEN_PATTERN = rf"^[A-Za-z0-9_=+/-]{{1,{CRC_TOKEN_MAX}}}$"


class CrcGuard:
    """The CRC endpoint's per-app state: its rate limits and the decoy key without a server key."""

    def __init__(self) -> None:
        self.per_id = RateLimiter(CRC_PER_ID)
        self.per_address = RateLimiter(CRC_PER_ADDRESS)
        self.fallback_key = secrets.token_bytes(32)

    def wait(self, address: str, account_id: int) -> float:
        """0.0 when this CRC may be answered, else the seconds to wait."""
        return self.per_address.acquire(address) or self.per_id.acquire(account_id)


_GUARD_LOCK = threading.Lock()


def crc_guard(app: FastAPI) -> CrcGuard:
    """The app's CrcGuard, made on first use (tests may set ``app.state.crc_guard`` beforehand)."""
    with _GUARD_LOCK:
        guard = getattr(app.state, "crc_guard", None)
        if not isinstance(guard, CrcGuard):
            guard = app.state.crc_guard = CrcGuard()
    return guard


# A refusal closes the connection: the server then drops a body it never read instead of draining it.
_CLOSE = {"Connection": "close"}


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail, headers=_CLOSE)


def _refused() -> HTTPException:
    return _unauthorized(REFUSED)


def _source(
    runtime: Runtime, account_id: int, network: str, secret_name: str
) -> tuple[ChannelAccount, Secret]:
    """The active account of ``network`` with id ``account_id`` and its secret, else 401 :data:`REFUSED`."""
    found = _find_source(runtime, account_id, network, secret_name)
    if found is None:
        raise _refused()
    return found


def _find_source(
    runtime: Runtime, account_id: int, network: str, secret_name: str
) -> tuple[ChannelAccount, Secret] | None:
    with runtime.read_uow() as uow:
        account = find_webhook_account(uow, account_id, network)
    if account is None:
        log.info("webhook: no active %s source %s", network, account_id)
        return None
    try:
        secret = runtime.channel_connector().credentials(account).get(secret_name)
    except CredentialError as exc:
        log.error("webhook: %s: the server cannot open its %s: %s", account.label, secret_name, exc)
        return None
    if secret is None:
        log.warning("webhook: %s has no %s configured; its requests are refused", account.label, secret_name)
        return None
    return account, secret


def _ingest(runtime: Runtime, account: ChannelAccount, posts: list[dict[str, Any]]) -> ChannelAcceptance:
    """The posts go to the runtime's sink; the answer leaves once they are durably accepted."""
    return accept_channel_posts(runtime.post_sink(), runtime.uow, account, posts, runtime.clock.now())


def _answer(received: int, result: ChannelAcceptance, errors: list[Any]) -> dict[str, Any]:
    accepted = result.acceptance
    answer: dict[str, Any] = {
        "received": received,
        "added": accepted.added,
        "duplicates": accepted.duplicates,
        "errors": [{"index": e.line, "field": e.field, "message": e.message} for e in errors + result.errors],
    }
    answer["errors"] += [
        {"index": r.index + 1, "field": "id", "message": f"{r.key[1]!r} not stored: {r.reason}"}
        for r in accepted.refused
    ]
    if not accepted.stored:  # scale-out: in the posts stream, stored by the ingest workers
        answer["queued"] = accepted.queued
    return answer


@webhooks.post("/webhooks/generic/{source_id}")
@body_limit(WEBHOOK_LIMIT)
async def generic_webhook(source_id: Id, request: Request) -> dict[str, Any]:
    """Signed POSTs of ``{"posts": [...]}`` (see docs/channels.md): 401 unsigned, stale timestamp, or
    refused (unknown source or bad signature, one answer for both); 400 a body that is not
    ``{"posts": [...]}``; invalid posts are reported by position."""
    runtime: Runtime = request.app.state.runtime
    try:
        signed = check_headers(request.headers, runtime.clock.now())
    except WebhookRejected as exc:
        raise _unauthorized(str(exc)) from None
    account, secret = await run_in_threadpool(_source, runtime, source_id, "webhook", "secret")
    body = await request.body()
    try:
        check_signature(signed, body, secret)
    except WebhookRejected:
        raise _refused() from None
    try:
        batch = parse_body(body)
    except WebhookRejected as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None
    result = await run_in_threadpool(_ingest, runtime, account, batch.posts)
    return _answer(len(batch.posts) + len(batch.errors), result, list(batch.errors))


@webhooks.get("/webhooks/x/{account_id}")
def x_crc(
    account_id: Id,
    request: Request,
    crc_token: Annotated[
        str,
        Query(
            pattern=_CRC_TOKEN_PATTERN,
            description=f"X's challenge: 1 to {CRC_TOKEN_MAX} characters of A-Z a-z 0-9 _ - + / =.",
        ),
    ],
) -> dict[str, str]:
    """X's challenge-response check (CRC): ``sha256=`` + base64 HMAC of the token with the consumer
    secret. Only tokens of X's shape are answered, and no POST body of that shape is accepted, so
    this signs nothing an event could carry. An id that is no X source with a consumer secret gets
    an answer of the same shape that X would not accept."""
    runtime: Runtime = request.app.state.runtime
    address = client_address(request, runtime.settings.trusted_proxies)
    wait = crc_guard(request.app).wait(address, account_id)
    if wait:
        raise HTTPException(
            status.HTTP_429_TOO_MANY_REQUESTS,
            "too many CRC requests; try again later",
            headers={"Retry-After": retry_after(wait)},
        )
    try:
        found = _find_source(runtime, account_id, "x", "consumer_secret")
        if found is not None:
            return crc_response(crc_token, found[1])
        key = runtime.settings.secret_key
        server_key = key.get_secret_value().encode() if key else crc_guard(request.app).fallback_key
        return decoy_crc_response(crc_token, server_key, account_id)
    except CrcTokenRefused as exc:  # the query pattern already refuses these (422); kept for safety
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None


@webhooks.post("/webhooks/x/{account_id}")
@body_limit(WEBHOOK_LIMIT)
async def x_activity(account_id: Id, request: Request) -> dict[str, Any]:
    """X Account Activity events, checked against ``x-twitter-webhooks-signature``. Malformed events
    are skipped and reported by position and field; a body whose top level is wrong answers 400."""
    runtime: Runtime = request.app.state.runtime
    header = request.headers.get(X_SIGNATURE)
    if not header:
        raise _unauthorized(f"missing {X_SIGNATURE} header")
    account, secret = await run_in_threadpool(_source, runtime, account_id, "x", "consumer_secret")
    body = await request.body()
    try:
        verify_signature(body, header, secret)
    except SignatureError:
        raise _refused() from None
    try:
        batch = read_account_activity(load_json_body(body))
    except (BodyNotJson, MalformedActivity) as exc:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, str(exc)) from None
    result = await run_in_threadpool(_ingest, runtime, account, batch.posts)
    return _answer(len(batch.posts) + len(batch.errors), result, batch.errors)
