"""Channel accounts in the REST API. Secrets never appear in any answer.

The webhook receivers networks and other systems POST to (authenticated by signature, not by a
user token) live in web/api/webhooks.py; ``webhooks`` is their router, re-exported here.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, HTTPException, Response, status
from pydantic import BaseModel, Field

from socialdesk.actions.channels.accounts import (
    access_channel_account,
    check_add_channel_account,
    check_test_channel_account,
    list_channel_accounts,
)
from socialdesk.actions.channels.config import (
    KEEP,
    ChannelChanges,
    check_remove_channel_account,
    check_update_channel_account,
)
from socialdesk.actions.channels.spend import month_spend
from socialdesk.channels.crypto import CredentialError
from socialdesk.channels.probe import probe
from socialdesk.channels.registry import REGISTRY, NetworkDescriptor
from socialdesk.domain.api_spend import monthly_cap
from socialdesk.ports.channels import ChannelAccount, MonthSpend
from socialdesk.web.api.meta_webhooks import meta_webhooks
from socialdesk.web.api.webhooks import webhooks
from socialdesk.web.deps import ApiUserDep, RuntimeDep
from socialdesk.web.inputs import MAX_SECONDS, Id, InputModel

__all__ = ["router", "webhooks"]
router = APIRouter(tags=["channels"])
webhooks.include_router(meta_webhooks)  # Meta's receivers (web/api/meta_webhooks.py) join the signed ones


class ChannelIn(InputModel):
    network: str = Field(
        min_length=1,
        max_length=40,
        description="A registered network (x, mastodon, bluesky, rss, webhook...): "
        "`GET /api/v1/networks` lists them with their settings.",
    )
    handle: str = Field(min_length=1, max_length=300, description="The brand's handle, or a name for feeds.")
    settings: dict[str, Any] = Field(
        default_factory=dict,
        description="The network's settings (x: user_id, mode; mastodon: instance_url, mode, hashtag; "
        "bluesky: service, mode; rss: feed_url; all: `GET /api/v1/networks`).",
    )
    credentials: dict[str, str] = Field(
        default_factory=dict,
        description="The network's secrets (x: token, bearer, consumer_secret; mastodon: token; "
        "bluesky: app_password; webhook: secret). Stored encrypted; never returned.",
    )
    budget_reads: int | None = Field(
        default=None, ge=1, le=1_000_000_000, description="Reads allowed per window (none: unlimited)."
    )
    budget_window_seconds: int = Field(default=900, ge=1, le=MAX_SECONDS)


class HealthOut(BaseModel):
    state: str
    reason: str
    until: datetime | None
    last_error: str
    changed_at: datetime | None
    last_post_at: datetime | None


class BudgetOut(BaseModel):
    reads: int | None
    window_seconds: int
    spent: int
    remaining: int | None
    window_started_at: datetime | None


class SpendOut(BaseModel):
    """The month's spend on a pay-per-use API (domain/api_spend.py); null on networks not billed per use."""

    month: str
    reads: int
    writes: int
    usd: Decimal
    cap_usd: Decimal | None


class ChannelOut(BaseModel):
    id: int
    network: str
    handle: str
    settings: dict[str, Any]
    has_credentials: bool
    is_active: bool
    created_at: datetime
    health: HealthOut
    budget: BudgetOut
    spend: SpendOut | None = None
    webhook_path: str | None

    @classmethod
    def of(cls, a: ChannelAccount, spent: MonthSpend | None = None) -> ChannelOut:
        descriptor = REGISTRY.find(a.network)
        priced = descriptor is not None and descriptor.pricing is not None
        return cls(
            id=a.id,
            network=a.network,
            handle=a.handle,
            settings=a.settings,
            has_credentials=a.sealed_credentials is not None,
            is_active=a.is_active,
            created_at=a.created_at,
            health=_health(a),
            budget=BudgetOut(
                reads=a.budget.reads,
                window_seconds=a.budget.window_seconds,
                spent=a.budget.spent,
                remaining=a.budget.remaining,
                window_started_at=a.budget.window_started_at,
            ),
            spend=(
                SpendOut(
                    month=spent.month,
                    reads=spent.reads,
                    writes=spent.writes,
                    usd=spent.usd,
                    cap_usd=monthly_cap(a.settings),
                )
                if priced and spent is not None
                else None
            ),
            webhook_path=descriptor.webhook_url_path(a.id) if descriptor is not None else None,
        )


def _health(a: ChannelAccount) -> HealthOut:
    h = a.health
    return HealthOut(
        state=h.state,
        reason=h.reason,
        until=h.until,
        last_error=h.last_error,
        changed_at=h.changed_at,
        last_post_at=a.last_post_at,
    )


class NetworkOut(BaseModel):
    """A network accounts can be connected on, from its descriptor: what ``POST /channels`` takes."""

    network: str
    label: str
    summary: str
    inbound: list[str]
    modes: list[str]
    settings: dict[str, str] = Field(description="Each setting with what it means.")
    required_settings: list[str]
    secrets: dict[str, str] = Field(description="Each credential with what it is (stored encrypted).")
    required_secrets: list[str]
    sends: bool = Field(description="Replies leave through the account.")
    private_messages: str | None = Field(description="How private messages come in and go out, if any.")
    webhook_path: str | None = Field(description="Where the network pushes, with {id} the account id.")

    @classmethod
    def of(cls, d: NetworkDescriptor) -> NetworkOut:
        schema = d.schema
        return cls(
            network=d.name,
            label=d.label,
            summary=d.summary,
            inbound=list(d.inbound),
            modes=list(schema.modes),
            settings={name: schema.docs.get(name, "") for name in schema.settings},
            required_settings=list(schema.required_settings),
            secrets={name: schema.docs.get(name, "") for name in schema.secrets},
            required_secrets=list(schema.required_secrets),
            sends=d.sender is not None,
            private_messages=d.private_messages,
            webhook_path=d.webhook_path,
        )


class ProbeOut(BaseModel):
    ok: bool
    message: str


@router.get("/networks")
def networks(user: ApiUserDep) -> list[NetworkOut]:
    """The networks channel accounts can be connected on, with their settings and credentials."""
    return [NetworkOut.of(d) for d in REGISTRY]


@router.get("/channels")
def channels(user: ApiUserDep, runtime: RuntimeDep) -> list[ChannelOut]:
    """The workspace's channel accounts with their health, read spend against the budget, and the
    month's API spend on pay-per-use networks."""
    with runtime.read_uow() as uow:
        accounts = list_channel_accounts(uow, user)
        spent = month_spend(uow, accounts, runtime.clock.now())
        return [ChannelOut.of(a, spent.get(a.id)) for a in accounts]


@router.post("/channels", status_code=201)
def add_channel(body: ChannelIn, user: ApiUserDep, runtime: RuntimeDep) -> ChannelOut:
    """Connect a channel account (admins). The runner starts its client within a check interval."""
    try:
        sealer = runtime.channel_connector().sealer()
    except CredentialError as exc:
        raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"server misconfigured: {exc}") from None
    with runtime.uow() as uow:
        account = check_add_channel_account(
            uow,
            user,
            body.network,
            body.handle,
            body.settings,
            body.credentials,
            sealer,
            runtime.clock.now(),
            urls=runtime.channel_connector().url_policy,
            networks=REGISTRY,
            budget_reads=body.budget_reads,
            budget_window_seconds=body.budget_window_seconds,
        )
    return ChannelOut.of(account)


class ChannelPatch(InputModel):
    """Only the fields sent change. The handle and network cannot change: remove and add instead."""

    settings: dict[str, Any] | None = Field(
        default=None, description="Merged into the current settings; a null or empty value removes one."
    )
    credentials: dict[str, str] | None = Field(
        default=None, description="Replace the stored credentials as a whole (stored encrypted)."
    )
    is_active: bool | None = Field(default=None, description="false pauses the account's client.")
    budget_reads: int | None = Field(
        default=None, ge=1, le=1_000_000_000, description="null: no read budget."
    )
    budget_window_seconds: int | None = Field(default=None, ge=1, le=MAX_SECONDS)


@router.patch("/channels/{account_id}")
def update_channel(account_id: Id, body: ChannelPatch, user: ApiUserDep, runtime: RuntimeDep) -> ChannelOut:
    """Change settings, credentials, the read budget, or pause/resume (admins). A change of settings or
    credentials restarts the account's client on the runner's next pass."""
    sealer = None
    if body.credentials:
        try:
            sealer = runtime.channel_connector().sealer()
        except CredentialError as exc:
            raise HTTPException(status.HTTP_503_SERVICE_UNAVAILABLE, f"server misconfigured: {exc}") from None
    changes = ChannelChanges(
        settings=body.settings,
        credentials=body.credentials,
        is_active=body.is_active,
        budget_reads=body.budget_reads if "budget_reads" in body.model_fields_set else KEEP,
        budget_window_seconds=body.budget_window_seconds,
    )
    with runtime.uow() as uow:
        urls = runtime.channel_connector().url_policy
        account = check_update_channel_account(
            uow, user, account_id, changes, sealer, runtime.clock.now(), urls=urls, networks=REGISTRY
        )
    return ChannelOut.of(account)


@router.delete("/channels/{account_id}", status_code=204)
def remove_channel(account_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> Response:
    """Remove an account (admins) with its cursors and traffic; the posts it brought in stay."""
    with runtime.uow() as uow:
        check_remove_channel_account(uow, user, account_id, runtime.clock.now())
    return Response(status_code=204)


@router.get("/channels/{account_id}/health")
def channel_health(account_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> HealthOut:
    with runtime.read_uow() as uow:
        return _health(access_channel_account(uow, user, account_id))


@router.post("/channels/{account_id}/test")
def test_channel(account_id: Id, user: ApiUserDep, runtime: RuntimeDep) -> ProbeOut:
    """Check credentials and connectivity with a cheap read (admins); says what is wrong in plain words."""
    with runtime.uow() as uow:
        account = check_test_channel_account(uow, user, account_id)
    result = probe(runtime.channel_connector(), account)
    return ProbeOut(ok=result.ok, message=result.message)
