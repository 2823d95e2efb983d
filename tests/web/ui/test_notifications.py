"""Notifications: who is told what, credited to whom; the header's summary; mark read; preferences;
never another person's, another workspace's, or about a conversation the reader may not open."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from typing import Any, cast

from starlette.requests import Request

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.actions.care.approvals import check_approve
from socialdesk.actions.care.notifications import header_counts
from socialdesk.actions.care.routing import check_assign_case
from socialdesk.actions.inbox.replies import check_reply
from socialdesk.bus.inprocess import InProcessBus
from socialdesk.domain.events import Event, EventKind
from socialdesk.domain.people import Role, User
from socialdesk.domain.post import Visibility
from socialdesk.web.live import LiveHub
from socialdesk.web.ui.events import event_stream
from tests.support.waiting import PATIENCE
from tests.web.ui.conftest import PASSWORD, UiWorld, login_client, ui_post


def _conversation(ui_world: UiWorld, workspace_id: int, ident: str) -> int:
    return min(ui_world.ingest(workspace_id, ui_post(ident, "router dead", minutes_ago=5)).conversation_ids)


def _users(ui_world: UiWorld) -> tuple[User, User]:
    """A trainee and a team lead in Ada's workspace."""
    ws = ui_world.ada.workspace_id
    with ui_world.runtime.uow() as uow:
        tara = check_create_user(uow, ws, "t@x.io", "Tara Trainee", PASSWORD, Role.AGENT)
        tara = replace(tara, in_training=True)
        uow.agents.save(tara)
        lee = check_create_user(uow, ws, "l@x.io", "Lee Lead", PASSWORD, Role.LEAD)
    return tara, lee


def _held_reply(ui_world: UiWorld, tara: User, conversation: int) -> int:
    with ui_world.runtime.uow() as uow:
        result = check_reply(uow, tara, conversation, "Could you restart it?", Visibility.PUBLIC,
                             ui_world.runtime.clock.now(), confirm_stale=True)  # fmt: skip
        assert result.approval is not None
        return result.approval.id


def test_a_held_reply_tells_admins_only_and_its_approval_tells_the_agent_credited(ui_world: UiWorld) -> None:
    tara, _lead = _users(ui_world)
    acme = ui_world.ada.workspace_id
    conversation = _conversation(ui_world, acme, "h1")
    ui_world.ingest(ui_world.bob.workspace_id, ui_post("h2", "router dead", minutes_ago=5))
    approval = _held_reply(ui_world, tara, conversation)

    ada, _ = login_client(ui_world.app, "a@x.io")
    summary = ada.get("/notifications/summary").json()
    assert (summary["unread"], summary["approvals"]) == (1, 1)
    assert summary["latest"]["text"] == "Tara Trainee holds a reply for approval"
    assert summary["latest"]["url"] == "/approvals"
    for email in ("c@x.io", "l@x.io", "t@x.io"):  # agents, team leads and the trainee are not told
        client, _ = login_client(ui_world.app, email)
        told = client.get("/notifications/summary").json()
        assert (told["unread"], told["approvals"]) == (0, None), email
    bob, _ = login_client(ui_world.app, "b@y.io", "correct-horse-2")
    assert bob.get("/notifications/summary").json()["unread"] == 0  # another workspace

    with ui_world.runtime.uow() as uow:
        check_approve(uow, ui_world.ada, approval, None, ui_world.runtime.clock.now())
    trainee, _ = login_client(ui_world.app, "t@x.io")
    summary = trainee.get("/notifications/summary").json()
    assert summary["latest"]["text"] == "Ada Byron approved your reply"
    assert summary["latest"]["url"] == f"/conversations/{conversation}"
    page = trainee.get("/notifications").text
    assert "Ada Byron approved your reply" in page
    assert ada.get("/notifications/summary").json()["approvals"] == 0


def test_an_assignment_tells_the_assignee_unless_they_took_it_themselves(ui_world: UiWorld) -> None:
    acme = ui_world.ada.workspace_id
    first, second = _conversation(ui_world, acme, "a1"), _conversation(ui_world, acme, "a2")
    now = ui_world.runtime.clock.now()
    with ui_world.runtime.uow() as uow:
        cases = uow.cases.current_for(acme, [first, second])
        check_assign_case(uow, ui_world.ada, cases[first].id, ui_world.carl.id, now)
        check_assign_case(uow, ui_world.carl, cases[second].id, ui_world.carl.id, now)
    carl, token = login_client(ui_world.app, "c@x.io")
    summary = carl.get("/notifications/summary").json()
    assert summary["unread"] == 1
    assert summary["latest"]["text"] == "Ada Byron assigned a case to you"
    assert summary["latest"]["url"] == f"/conversations/{first}"

    # Mark read: one by id; ids of someone else's notifications change nothing.
    with ui_world.runtime.uow() as uow:
        ada_note = uow.notifications.list(acme, ui_world.ada.id)
        [mine] = uow.notifications.list(acme, ui_world.carl.id)
    theirs = [n.id for n in ada_note]
    carl.post("/notifications/read", data={"csrf_token": token, "ids": [*theirs, 999_999]})
    assert carl.get("/notifications/summary").json()["unread"] == 1
    carl.post("/notifications/read", data={"csrf_token": token, "ids": [mine.id]})
    assert carl.get("/notifications/summary").json()["unread"] == 0


def test_a_notification_about_a_conversation_the_reader_may_not_open_is_never_shown(
    ui_world: UiWorld,
) -> None:
    """A stored notification that points at another workspace's conversation (a bug, a merge, a forged
    row) is neither listed, nor counted, nor offered to the desktop."""
    elsewhere = _conversation(ui_world, ui_world.bob.workspace_id, "x1")
    acme = ui_world.ada.workspace_id
    with ui_world.runtime.uow() as uow:
        data = {"by": ui_world.ada.id, "conversation_id": elsewhere, "text": "their customer's secret"}
        uow.notifications.add(acme, ui_world.carl.id, "mention", data, ui_world.runtime.clock.now())
        assert header_counts(uow, ui_world.carl).unread == 0
    carl, _ = login_client(ui_world.app, "c@x.io")
    assert carl.get("/notifications/summary").json() == {
        "unread": 0, "approvals": None, "latest": None, "sound": False, "desktop": False,
    }  # fmt: skip
    assert "their customer&#39;s secret" not in carl.get("/notifications").text
    assert "secret" not in carl.get("/api/v1/notifications").text


def test_preferences_are_each_users_own_and_need_the_csrf_token(ui_world: UiWorld) -> None:
    carl, token = login_client(ui_world.app, "c@x.io")
    assert carl.post("/notifications/preferences", data={"sound": "on"}).status_code == 403
    carl.post("/notifications/preferences", data={"csrf_token": token, "sound": "on", "desktop": "on"})
    summary = carl.get("/notifications/summary").json()
    assert (summary["sound"], summary["desktop"]) == (True, True)
    assert 'id="notify-desktop" checked' in carl.get("/notifications").text
    ada, _ = login_client(ui_world.app, "a@x.io")
    assert ada.get("/notifications/summary").json()["sound"] is False
    carl.post("/notifications/preferences", data={"csrf_token": token})  # both boxes unticked: off
    assert carl.get("/notifications/summary").json()["desktop"] is False


class _Connected:
    async def is_disconnected(self) -> bool:
        return False


def test_the_live_stream_carries_a_notification_to_its_recipient_only() -> None:
    """Carl's stream never hears that Ada (same workspace) got a notification; his own comes through."""
    carl = User(id=3, workspace_id=1, email="c@x.io", name="Carl", role=Role.AGENT)

    async def scenario() -> list[str]:
        bus, hub = InProcessBus(), LiveHub()
        hub.start(bus, asyncio.get_running_loop())
        stream = event_stream(cast(Request, _Connected()), hub, cast(Any, None), carl, "token")
        got = [await asyncio.wait_for(anext(stream), PATIENCE)]  # the "connected" preamble
        bus.publish([Event(1, EventKind.NOTIFICATION_CREATED, {"user_id": 1})])
        bus.publish([Event(1, EventKind.NOTIFICATION_CREATED, {"user_id": carl.id})])
        got.append(await asyncio.wait_for(anext(stream), PATIENCE))
        await stream.aclose()
        hub.stop()
        return got

    with ThreadPoolExecutor(1) as pool:
        got = pool.submit(asyncio.run, scenario()).result(PATIENCE)
    assert got[1] == 'data: {"kind":"notification.created","user_id":3}\n\n'
