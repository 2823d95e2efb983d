"""Scale-out: the API answers "queued", and `GET /api/v1/posts/{channel}/{id}` tells the caller later
what became of each post: stored (with its conversation), or rejected with the ingest worker's reason
when the worker gave up on it (a database trigger refuses one post, a real storage error)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app
from tests.scaleout.conftest import StageThread, wait_until
from tests.web.api.test_ingest_isolation import _PG_FUNCTION


def _post(post_id: str, **extra: Any) -> dict[str, Any]:
    return {
        "id": post_id,
        "channel": "x",
        "text": f"router {post_id} is down",
        "created_at": "2026-01-05T09:00:00Z",
        "author": {"id": f"u{post_id}", "handle": f"cust{post_id}"},
        **extra,
    }


def test_a_dead_lettered_post_is_reported_rejected_with_its_reason(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
) -> None:
    web, stage = scaleout
    with web.uow() as uow:
        ws = ensure_workspace(uow, "acme").id
        admin = check_create_user(uow, ws, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, admin, "t", web.clock.now())
        uow.commit()
    with web.engine.begin() as conn:
        conn.execute(text(_PG_FUNCTION))
        conn.execute(
            text("CREATE TRIGGER poison BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION poison()")
        )
    try:
        _queue_and_ask(web, stage, token)
    finally:
        with web.engine.begin() as conn:
            conn.execute(text("DROP TRIGGER IF EXISTS poison ON messages"))


def _queue_and_ask(web: Runtime, stage: Callable[..., StageThread], token: str) -> None:
    big = _post("big", author={"id": "ubig", "handle": "big", "followers": 2**62})  # over 32 bits
    posts = [_post("1"), _post("poison"), big, _post("2", in_reply_to="1")]
    headers = {"Authorization": f"Bearer {token}"}
    with TestClient(create_app(web), base_url="https://testserver") as client:
        queued = client.post("/api/v1/posts", json={"posts": posts}, headers=headers).json()
        assert (queued["queued"], queued["errors"]) == (4, [])

        def fate(post_id: str) -> dict[str, Any]:
            answer = client.get(f"/api/v1/posts/x/{post_id}", headers=headers)
            assert answer.status_code == 200, answer.text
            return dict(answer.json())

        assert fate("1")["status"] == "unknown"  # queued: no worker yet
        stage()
        wait_until(lambda: fate("poison")["status"] == "rejected", 90, "the poison post dead-lettered")
        rejected = fate("poison")
        assert "the disk refused this row" in str(rejected["reason"])
        assert rejected["conversation_id"] is None
        first, reply, counted = fate("1"), fate("2"), fate("big")
        assert first["status"] == reply["status"] == counted["status"] == "stored"
        assert first["conversation_id"] == reply["conversation_id"] is not None
        assert fate("never-sent")["status"] == "unknown"
