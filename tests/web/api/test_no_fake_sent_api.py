"""Issue 15, item 4: no fake "sent". A conversation from a channel that cannot send (RSS, a generic
webhook source) cannot take a reply, and a case's first response is set only by a delivery the outbox
confirmed or by an explicit "answered elsewhere"."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.dispatch import do_dispatch_outbox
from socialdesk.channels.simulated.send import SimulatedSender
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app


@dataclass
class Desk:
    client: TestClient
    runtime: Runtime
    token: str

    def h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def conversation_on(self, channel: str, i: int = 1) -> dict[str, Any]:
        post = {
            "id": f"{channel}-{i}", "channel": channel, "text": f"@NimbusCares outage again #{i}",
            "created_at": "2026-01-05T09:00:00Z",
            "author": {"id": f"a{i}", "handle": f"cust{i}", "name": "C"},
        }  # fmt: skip
        out = self.client.post("/api/v1/posts", json={"posts": [post]}, headers=self.h())
        assert out.status_code == 200 and out.json()["added"] == 1, out.text
        page = self.client.get("/api/v1/conversations", params={"channel": channel}, headers=self.h())
        return dict(page.json()["items"][0])

    def detail(self, cid: int) -> dict[str, Any]:
        return dict(self.client.get(f"/api/v1/conversations/{cid}", headers=self.h()).json())

    def dispatch(self, sender: SimulatedSender) -> None:
        do_dispatch_outbox(self.runtime.uow, {}, self.runtime.clock, default=sender)


@pytest.fixture
def desk(runtime: Runtime) -> Iterator[Desk]:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "nimbus")
        check_add_brand_account(uow, ws.id, "x", "NimbusCares")
        ada = check_create_user(uow, ws.id, "ada@nimbus.io", "Ada Byron", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, ada, "t", runtime.clock.now())
        uow.commit()
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        yield Desk(client, runtime, token)


@pytest.mark.parametrize(("channel", "reason"), [("rss", "RSS feed"), ("webhook", "generic webhook source")])
def test_a_post_from_a_channel_that_cannot_send_cannot_take_a_reply(
    desk: Desk, channel: str, reason: str
) -> None:
    conv = desk.conversation_on(channel)
    assert conv["can_reply"] is False
    sender = SimulatedSender()
    refused = desk.client.post(
        f"/api/v1/conversations/{conv['id']}/replies", json={"text": "Sorry, on it"}, headers=desk.h()
    )
    assert refused.status_code == 422
    assert reason in refused.text and "answered elsewhere" in refused.text
    desk.dispatch(sender)
    detail = desk.detail(conv["id"])
    assert sender.send_calls == 0
    assert [m["direction"] for m in detail["messages"]] == ["inbound"]  # no reply shown as sent
    assert detail["conversation"]["case"]["first_response_at"] is None  # SLA and equity: unanswered

    desk.runtime.clock.advance(600)  # type: ignore[attr-defined]
    answered = desk.client.post(
        f"/api/v1/conversations/{conv['id']}/answered-elsewhere",
        json={"via": "channel", "reference": "https://x.com/NimbusCares/status/42"},
        headers=desk.h(),
    )
    assert answered.status_code == 201, answered.text
    assert answered.json()["delivery"] == "answered_elsewhere"
    case = desk.detail(conv["id"])["conversation"]["case"]
    assert case["first_response_seconds"] == 600 and case["status"] == "open"
    assert desk.detail(conv["id"])["conversation"]["waiting_since"] is None


def test_answered_elsewhere_needs_a_way_and_a_link_or_reference(desk: Desk) -> None:
    conv = desk.conversation_on("rss")
    url = f"/api/v1/conversations/{conv['id']}/answered-elsewhere"
    for body, says in [
        ({"via": "channel", "reference": "told them on X"}, "give the link"),
        ({"via": "email", "reference": "javascript:alert(1)://x"}, "http(s) address"),
        ({"via": "fax", "reference": "123"}, "via"),
    ]:
        out = desk.client.post(url, json=body, headers=desk.h())
        assert out.status_code == 422 and says in out.text, out.text
    ok = desk.client.post(url, json={"via": "phone", "reference": "called at 14:05"}, headers=desk.h())
    assert ok.status_code == 201 and "(phone): called at 14:05" in ok.json()["text"]


def test_first_response_waits_for_the_outbox_to_confirm_the_send(desk: Desk) -> None:
    conv = desk.conversation_on("x")
    url = f"/api/v1/conversations/{conv['id']}/replies"
    assert desk.client.post(url, json={"text": "Looking into it"}, headers=desk.h()).status_code == 201
    assert desk.detail(conv["id"])["conversation"]["case"]["first_response_at"] is None  # queued only

    class Down(SimulatedSender):
        def send(self, item: Any) -> Any:
            raise RuntimeError("x is down")

    for _ in range(5):  # given up: never delivered, never a first response
        desk.dispatch(Down())
    detail = desk.detail(conv["id"])
    assert detail["messages"][-1]["delivery"] == "failed"
    assert detail["conversation"]["case"]["first_response_at"] is None

    desk.runtime.clock.advance(120)  # type: ignore[attr-defined]
    assert desk.client.post(url, json={"text": "Fixed now"}, headers=desk.h()).status_code == 201
    desk.dispatch(SimulatedSender())
    case = desk.detail(conv["id"])["conversation"]["case"]
    assert case["first_response_seconds"] == 120  # the delivery's time


def test_a_queued_reply_on_a_channel_that_cannot_send_fails_instead_of_faking_it(desk: Desk) -> None:
    conv = desk.conversation_on("rss")
    with desk.runtime.uow() as uow:  # as queued by an earlier release, before the refusal existed
        msg = uow.messages.list_for_conversation(uow.workspaces.list()[0].id, conv["id"])[0]
        uow.outbox.add(
            msg.workspace_id, msg.id, "rss", "k" * 32, {"text": "hi", "conversation_id": 1}, msg.created_at
        )
        uow.commit()
    sender = SimulatedSender()
    report = do_dispatch_outbox(desk.runtime.uow, {}, desk.runtime.clock, default=sender)
    assert (report.sent, report.failed, sender.send_calls) == (0, 1, 0)
    with desk.runtime.uow() as uow:
        item = uow.outbox.get(1)
    assert item is not None and item.status == "failed" and "RSS feed" in (item.last_error or "")
