"""The same pipeline in both modes: embedded (SQLite + in-process bus) and scale-out (PostgreSQL + NATS)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.brand_accounts import check_add_brand_account
from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.config import Settings
from socialdesk.demo.traffic import BRANDS, generate_posts
from socialdesk.domain.events import Event
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime, build_runtime
from socialdesk.web.app import create_app
from tests.scaleout.conftest import StageThread, wait_until

POSTS = list(generate_posts(600, seed=21))


def _prepare(runtime: Runtime) -> tuple[int, str]:
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        for brand in BRANDS:
            for channel, handle in brand.handles.items():
                check_add_brand_account(uow, ws.id, channel, handle)
        user = check_create_user(uow, ws.id, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, user, "t", runtime.clock.now())
        uow.commit()
    return ws.id, token


def _submit(runtime: Runtime, token: str, posts: list[dict[str, Any]]) -> None:
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        for start in range(0, len(posts), 200):
            r = client.post(
                "/api/v1/posts",
                json={"posts": posts[start : start + 200]},
                headers={"Authorization": f"Bearer {token}"},
            )
            assert r.status_code == 200, r.text
            assert r.json()["errors"] == []


def _shape(runtime: Runtime, ws: int) -> tuple[int, int, list[list[str]]]:
    """Counts, and each conversation as its sorted post ids: equal shapes mean equal threading."""
    with runtime.uow() as uow:
        messages = uow.messages.recent(ws, 100_000)
        groups: dict[int, list[str]] = {}
        for m in messages:
            if m.conversation_id is not None and m.external_id is not None:
                groups.setdefault(m.conversation_id, []).append(m.external_id)
        return uow.messages.count(ws), uow.conversations.count(ws), sorted(sorted(g) for g in groups.values())


def test_both_modes_store_and_thread_the_same_way(
    tmp_path: Any, scaleout: tuple[Runtime, Callable[..., StageThread]]
) -> None:
    embedded = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 'e.db'}", triage=False))
    ws_e, token_e = _prepare(embedded)
    _submit(embedded, token_e, POSTS)
    _submit(embedded, token_e, POSTS)  # again: nothing new

    web, stage = scaleout
    ws_s, token_s = _prepare(web)
    seen: list[Event] = []
    web.bus.subscribe(seen.append)
    stage()
    _submit(web, token_s, POSTS)
    _submit(web, token_s, POSTS)  # again: JetStream drops the duplicates, the database would too
    wait_until(lambda: _shape(web, ws_s)[0] == len(POSTS), 60, "the ingest stage to store every post")

    assert _shape(web, ws_s) == _shape(embedded, ws_e)
    # Live updates crossed NATS from the worker to this (web) process.
    wait_until(lambda: any(e.kind == "conversation.updated" for e in seen), 10, "a live event over NATS")
    embedded.close()


def test_events_reach_every_web_process(scaleout: tuple[Runtime, Callable[..., StageThread]]) -> None:
    web, stage = scaleout
    second_web = build_runtime(web.settings, migrate=False)
    try:
        ws, token = _prepare(web)
        got_a: list[Event] = []
        got_b: list[Event] = []
        web.bus.subscribe(got_a.append)
        second_web.bus.subscribe(got_b.append)
        stage()
        _submit(web, token, POSTS[:50])
        wait_until(lambda: bool(got_a) and bool(got_b), 30, "events in both web processes")
        assert {e.workspace_id for e in got_a + got_b} == {ws}
    finally:
        second_web.close()
