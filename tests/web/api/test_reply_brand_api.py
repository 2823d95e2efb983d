"""Issue 15, item 1: a reply goes out from the brand the customer addressed, never from the workspace's
first account on the network (an airline complaint answered by an internet provider)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.channels.accounts import list_active_channel_accounts
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.channels.connect import Connector
from socialdesk.channels.senders import AccountSender
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.people import Role
from socialdesk.ports.channels import ChannelAccount, NewChannelAccount
from socialdesk.ports.services import ChannelSender
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app

# The internet provider's account was added first: the old code sent every X reply through it.
NET, AIR = "NetLinkHelp", "SkyWaysAir"


@dataclass
class AccountSenders:
    """Stands for the connector: one recording sender per channel account (by handle)."""

    by_handle: dict[str, SimulatedSender] = field(default_factory=dict)

    def sender(self, account: ChannelAccount) -> ChannelSender:
        return self.by_handle.setdefault(account.handle, SimulatedSender())


@dataclass
class Desk:
    client: TestClient
    runtime: Runtime
    token: str
    ws_id: int
    brand_ids: dict[str, int]
    accounts: AccountSenders

    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def ingest(self, *posts: dict[str, Any]) -> None:
        out = self.client.post("/api/v1/posts", json={"posts": list(posts)}, headers=self.h())
        assert out.status_code == 200 and out.json()["errors"] == [], out.text

    def conversations(self, **params: str) -> list[dict[str, Any]]:
        page = self.client.get("/api/v1/conversations", params=params, headers=self.h())
        assert page.status_code == 200, page.text
        return cast(list[dict[str, Any]], page.json()["items"])

    def dispatch(self) -> None:
        do_dispatch_outbox(self.runtime.uow, self.runtime.senders, self.runtime.clock)


def _post(i: int, text: str, **extra: object) -> dict[str, object]:
    return {
        "id": f"p{i}",
        "channel": "x",
        "text": text,
        "created_at": f"2026-01-05T09:{i:02d}:00Z",
        "author": {"id": f"u{i}", "handle": f"cust{i}", "name": f"Customer {i}"},
        **extra,
    }


@pytest.fixture
def desk(runtime: Runtime) -> Iterator[Desk]:
    now = runtime.clock.now()
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "holding")
        brand_ids = {handle: check_add_brand_account(uow, ws.id, "x", handle).id for handle in (NET, AIR)}
        for handle in (NET, AIR):
            uow.channels.add(ws.id, NewChannelAccount("x", handle, {"user_id": handle}, None), now)
        ada = check_create_user(uow, ws.id, "ada@holding.io", "Ada", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, ada, "t", now)
        uow.commit()

    def load() -> list[ChannelAccount]:
        with runtime.uow() as uow:
            return list_active_channel_accounts(uow)

    accounts = AccountSenders()
    connector = cast(Connector, accounts)
    runtime.senders = {"x": AccountSender("x", load, connector, SimulatedSender(), refresh_seconds=0)}
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield Desk(client, runtime, token, ws.id, brand_ids, accounts)


def test_an_airline_complaint_is_answered_by_the_airline(desk: Desk) -> None:
    desk.ingest(_post(1, f"@{AIR} my flight to Lisbon was cancelled and nobody answers"))
    desk.ingest(_post(2, f"@{NET} my fibre is down again"))
    [complaint] = desk.conversations(brand=AIR)
    assert complaint["brand_handle"] == AIR and complaint["brand_account_id"] == desk.brand_ids[AIR]
    assert [c["author_handle"] for c in desk.conversations(brand=f"@{NET.lower()}")] == ["cust2"]
    assert {c["brand_handle"] for c in desk.conversations()} == {AIR, NET}

    sent = desk.client.post(
        f"/api/v1/conversations/{complaint['id']}/replies",
        json={"text": "So sorry, we are rebooking you now"},
        headers=desk.h(),
    )
    assert sent.status_code == 201, sent.text
    assert sent.json()["author_handle"] == AIR
    desk.dispatch()
    assert set(desk.accounts.by_handle) == {AIR}  # the provider's account sent nothing
    [item] = desk.accounts.by_handle[AIR].sent.values()
    assert item.payload["account"] == AIR and item.payload["text"].startswith("So sorry")


def test_an_unknown_brand_among_several_must_be_chosen(desk: Desk) -> None:
    desk.ingest(_post(3, "is anyone there? been waiting an hour"))
    [conv] = desk.conversations()
    assert conv["brand_account_id"] is None
    url = f"/api/v1/conversations/{conv['id']}/replies"
    refused = desk.client.post(url, json={"text": "Hello!"}, headers=desk.h())
    assert refused.status_code == 422
    assert "choose one to send as" in refused.text and f"@{AIR}" in refused.text and f"@{NET}" in refused.text

    chosen = {"text": "Hello!", "brand_account_id": desk.brand_ids[AIR]}
    assert desk.client.post(url, json=chosen, headers=desk.h()).status_code == 201
    # The choice sticks: the conversation is the airline's, in the filter and for the next reply.
    assert [c["id"] for c in desk.conversations(brand=AIR)] == [conv["id"]]
    again = desk.client.post(url, json={"text": "Still there?"}, headers=desk.h())
    assert again.status_code == 201 and again.json()["author_handle"] == AIR
    desk.dispatch()
    assert set(desk.accounts.by_handle) == {AIR}


def test_a_pick_from_another_network_or_workspace_is_refused(desk: Desk) -> None:
    desk.ingest(_post(4, f"@{AIR} lost my bag"))
    [conv] = desk.conversations()
    with desk.runtime.uow() as uow:
        other = ensure_workspace(uow, "other")
        stranger = check_add_brand_account(uow, other.id, "x", "Stranger").id
        masto = check_add_brand_account(uow, desk.ws_id, "mastodon", AIR).id
        uow.commit()
    for bad in (stranger, masto):
        out = desk.client.post(
            f"/api/v1/conversations/{conv['id']}/replies",
            json={"text": "Hi", "brand_account_id": bad},
            headers=desk.h(),
        )
        assert out.status_code == 422 and f"brand_account_id {bad} is not one of" in out.text
    unknown = desk.client.get("/api/v1/conversations", params={"brand": "Nobody"}, headers=desk.h())
    assert unknown.status_code == 422 and "Nobody" in unknown.text and AIR in unknown.text


def test_a_brand_without_a_channel_account_fails_the_send_instead_of_borrowing_one(desk: Desk) -> None:
    with desk.runtime.uow() as uow:
        check_add_brand_account(uow, desk.ws_id, "x", "SkyWaysCargo")
        uow.commit()
    desk.ingest(_post(5, "@SkyWaysCargo where is my pallet"))
    [conv] = desk.conversations(brand="SkyWaysCargo")
    url = f"/api/v1/conversations/{conv['id']}/replies"
    assert desk.client.post(url, json={"text": "Checking"}, headers=desk.h()).status_code == 201
    desk.dispatch()
    assert desk.accounts.by_handle == {}  # neither the airline's nor the provider's account sent it
    with desk.runtime.uow() as uow:
        [item] = [uow.outbox.get(i) for i in (1,)]
    assert item is not None and "no x channel account for the brand @SkyWaysCargo" in (item.last_error or "")
