"""`POST /api/v1/posts` in the embedded mode goes through the ingest queue, with triage ahead in a
child process: concurrent callers each get their own report, and the stored triage is what the web
process would have computed itself."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.actions.inbox.annotate import triage_request
from socialdesk.config import Settings
from socialdesk.domain.people import Role
from socialdesk.ingest.validate import post_from_dict
from socialdesk.runtime import build_runtime
from socialdesk.triage import Triager
from socialdesk.web.app import create_app


def _post(i: int, text: str) -> dict[str, Any]:
    return {
        "id": str(i),
        "channel": "x",
        "text": text,
        "created_at": f"2026-01-05T09:{i % 60:02d}:00Z",
        "author": {"id": f"u{i}", "handle": f"cust{i}", "name": f"Customer {i}"},
    }


TEXTS = ["wifi down since 9am!!", "how do I change my plan?", "love the new app", "bill is wrong again"]


def test_api_posts_are_stored_through_the_queue_with_triage_ahead(tmp_path: Path) -> None:
    runtime = build_runtime(Settings(database_url=f"sqlite:///{tmp_path / 'q.db'}", triage_processes=1))
    with runtime.uow() as uow:
        ws = ensure_workspace(uow, "acme")
        ada = check_create_user(uow, ws.id, "ada@acme.io", "Ada", "correct-horse-1", Role.ADMIN)
        token = do_create_api_token(uow, ada, "t", runtime.clock.now())
        uow.commit()
    bodies = [[_post(10 * b + i, TEXTS[(b + i) % 4]) for i in range(5)] for b in range(8)]
    with TestClient(create_app(runtime), base_url="https://testserver") as client:
        queue = runtime.ingest_queue()
        assert queue.triage is not None  # the default path: a child process triages ahead

        def send(body: list[dict[str, Any]]) -> Any:
            reply = client.post(
                "/api/v1/posts", json={"posts": body}, headers={"Authorization": f"Bearer {token}"}
            )
            return reply.json()

        with ThreadPoolExecutor(4) as pool:
            outs = list(pool.map(send, bodies))
        again = send(bodies[0])
    assert [(o["received"], o["added"], o["duplicates"]) for o in outs] == [(5, 5, 0)] * 8
    assert (again["added"], again["duplicates"]) == (0, 5)
    triager = Triager()
    with runtime.uow() as uow:
        for data in [p for body in bodies for p in body]:
            parsed = post_from_dict(data)
            ref = uow.messages.find_by_keys(ws.id, [("x", data["id"])])[("x", data["id"])]
            stored = uow.messages.get(ws.id, ref.id)
            assert stored is not None
            assert stored.triage == triager.triage_many([triage_request(parsed)])[0].to_dict()  # type: ignore[arg-type]
    runtime.close()
