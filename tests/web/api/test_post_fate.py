"""`GET /api/v1/posts/{channel}/{id}` in the embedded mode: stored (with its conversation) or unknown;
the same data stored alike on SQLite and PostgreSQL (64-bit follower counts, NUL refused alike)."""

from __future__ import annotations

from socialdesk.runtime import Runtime
from tests.web.api.test_api import Api, _post
from tests.web.api.test_api import api as api


def test_a_caller_learns_what_became_of_its_posts(api: Api) -> None:
    big = _post(1)
    big["author"] = {"id": "u1", "handle": "cust1", "followers": 2**63 - 1}  # PostgreSQL's INTEGER: 2^31-1
    posts = [
        big,
        _post(2, "wifi \x00 down"),
        _post(3, in_reply_to="1", author={"id": "u1", "handle": "cust1"}),
    ]
    out = api.client.post("/api/v1/posts", json={"posts": posts}, headers=api.h()).json()
    assert (out["added"], [e["index"] for e in out["errors"]]) == (2, [1])

    def fate(channel: str, post_id: str, token: str | None = None) -> dict[str, object]:
        answer = api.client.get(f"/api/v1/posts/{channel}/{post_id}", headers=api.h(token))
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    first, reply = fate("x", "1"), fate("x", "3")
    assert first["status"] == reply["status"] == "stored"
    assert first["conversation_id"] == reply["conversation_id"] is not None
    detail = api.client.get(f"/api/v1/conversations/{first['conversation_id']}", headers=api.h()).json()
    assert detail["conversation"]["author_followers"] == 2**63 - 1
    unknown = {"status": "unknown", "message_id": None, "conversation_id": None, "reason": None}
    assert fate("x", "2") == {"channel": "x", "id": "2", **unknown}
    assert fate("x", "1", api.other_token)["status"] == "unknown"  # another workspace's post
    assert fate("mastodon", "1")["status"] == "unknown"


def test_only_admins_may_ask(api: Api, runtime: Runtime) -> None:
    from socialdesk.actions.accounts.credentials import do_create_api_token
    from socialdesk.actions.accounts.users import check_create_user
    from socialdesk.domain.people import Role

    with runtime.uow() as uow:
        agent = check_create_user(uow, 1, "agent@acme.io", "Agent", "correct-horse-3", Role.AGENT)
        token = do_create_api_token(uow, agent, "t", runtime.clock.now())
        uow.commit()
    answer = api.client.get("/api/v1/posts/x/1", headers=api.h(token))
    assert answer.status_code == 403
