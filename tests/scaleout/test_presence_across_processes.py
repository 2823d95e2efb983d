"""Presence in scale-out mode: agents on different web processes see each other viewing and typing."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.ingest import do_ingest_posts
from socialdesk.domain.events import Event
from socialdesk.domain.people import Role
from socialdesk.domain.post import Post
from socialdesk.ingest.validate import post_from_dict
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.web.app import create_app
from socialdesk.web.presence import SEEN, SharedPresenceHub
from tests.scaleout.conftest import StageThread, wait_until


def _conversation_and_agents(runtime: Runtime) -> tuple[int, int, list[tuple[int, str]]]:
    post = post_from_dict(
        {
            "id": "p1",
            "channel": "x",
            "text": "@acme my wifi is down",
            "created_at": "2026-01-05T09:00:00Z",
            "author": {"id": "u1", "handle": "cust1"},
        }
    )
    assert isinstance(post, Post)
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        do_ingest_posts(uow, ws.id, [post], runtime.clock.now())
        agents = []
        for email in ("carl@acme.io", "dana@acme.io"):
            user = check_create_user(uow, ws.id, email, email[:4], "correct-horse-9", Role.AGENT)
            agents.append((user.id, do_create_api_token(uow, user, "t", runtime.clock.now())))
        uow.commit()
        [message] = uow.messages.recent(ws.id, 10)
    assert message.conversation_id is not None
    return ws.id, message.conversation_id, agents


def test_presence_crosses_web_processes(scaleout: tuple[Runtime, Callable[..., StageThread]]) -> None:
    web, _ = scaleout
    other_web = build_runtime(web.settings, migrate=False)
    try:
        ws_id, conv_id, [(carl, carl_token), (dana, dana_token)] = _conversation_and_agents(web)
        url = f"/api/v1/conversations/{conv_id}/presence"
        browser_events: list[Event] = []
        first_app, second_app = create_app(web), create_app(other_web)
        with (
            TestClient(first_app, base_url="https://testserver") as first,
            TestClient(second_app, base_url="https://testserver") as second,
        ):
            assert isinstance(first_app.state.presence, SharedPresenceHub)
            # A browser of the workspace is connected to the second process; what it gets is recorded.
            second_app.state.hub._clients[ws_id] = {asyncio.Queue()}
            second_app.state.hub._deliver = browser_events.append
            posted = first.post(
                url, json={"state": "typing"}, headers={"Authorization": f"Bearer {carl_token}"}
            )
            assert posted.status_code == 200, posted.text

            def seen_by_dana() -> list[tuple[int, str]]:
                r = second.get(url, headers={"Authorization": f"Bearer {dana_token}"})
                assert r.status_code == 200, r.text
                return [(p["user_id"], p["state"]) for p in r.json()]

            wait_until(lambda: seen_by_dana() == [(carl, "typing")], 15, "Carl's typing on the other process")
            second.post(url, json={"state": "viewing"}, headers={"Authorization": f"Bearer {dana_token}"})
            wait_until(
                lambda: len(first.get(url, headers={"Authorization": f"Bearer {carl_token}"}).json()) == 2,
                15,
                "Dana's viewing on the first process",
            )
            first.post(url, json={"state": "left"}, headers={"Authorization": f"Bearer {carl_token}"})
            wait_until(lambda: seen_by_dana() == [(dana, "viewing")], 15, "Carl leaving on the other process")
        kinds = {e.kind for e in browser_events}
        assert "presence.changed" in kinds
        assert SEEN not in kinds  # internal: never streamed to browsers
    finally:
        other_web.close()


def test_remote_announcements_expire_like_local_ones(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
) -> None:
    web, _ = scaleout
    first, second = SharedPresenceHub(web.bus), SharedPresenceHub(web.bus)
    first.start()
    second.start()
    try:
        t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
        first.set(1, 7, 42, "viewing", t0)
        wait_until(lambda: bool(second.who(1, 7, t0)), 15, "the announcement on the other hub")
        assert [(p.user_id, p.state) for p in second.who(1, 7, t0 + timedelta(seconds=20))] == [
            (42, "viewing")
        ]
        assert second.who(1, 7, t0 + timedelta(seconds=31)) == []  # no refresh within the TTL
        assert second.who(2, 7, t0) == []  # another workspace sees nothing
        # A malformed event is ignored, not fatal.
        web.bus.publish([Event(1, SEEN, {"origin": "elsewhere", "user_id": "x"})])
        first.set(1, 8, 43, "typing", t0)
        wait_until(lambda: bool(second.who(1, 8, t0)), 15, "the next good announcement")
    finally:
        first.stop()
        second.stop()
