"""Dead letters in the API and the admin page: each workspace sees its own, escaped; agents see none."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import nats
from fastapi.testclient import TestClient

from socialdesk.actions.accounts.credentials import do_create_api_token
from socialdesk.actions.accounts.users import check_create_user, ensure_workspace
from socialdesk.bus.streams import DEAD_SUBJECT, posts_subject
from socialdesk.domain.people import Role
from socialdesk.runtime import Runtime
from socialdesk.web.app import create_app
from tests.scaleout.conftest import StageThread, wait_until
from tests.web.ui.conftest import PASSWORD, login_client

HOSTILE = '<img src=x onerror="window.__pwned=1">'


def _park(url: str, workspace_id: int, text: str, error: str) -> None:
    """What the ingest stage does with a post that failed every attempt."""

    async def send() -> None:
        client = await nats.connect(url)
        body = json.dumps({"id": "p", "channel": "x", "text": text}).encode()
        headers = {"Sd-Error": error, "Sd-Attempts": "5", "Sd-Subject": posts_subject(workspace_id)}
        await client.jetstream().publish(f"{DEAD_SUBJECT}.ingest", body, headers=headers)
        await client.close()

    asyncio.run(send())


def test_each_workspace_sees_its_own_dead_letters(
    scaleout: tuple[Runtime, Callable[..., StageThread]],
) -> None:
    web, _ = scaleout
    tokens = {}
    with web.uow() as uow:
        workspaces = {slug: ensure_workspace(uow, slug).id for slug in ("acme", "beta")}
        for slug, ws in workspaces.items():
            admin = check_create_user(uow, ws, f"admin@{slug}.io", "Admin", PASSWORD, Role.ADMIN)
            tokens[slug] = do_create_api_token(uow, admin, "t", web.clock.now())
        agent = check_create_user(uow, workspaces["acme"], "agent@acme.io", "Agent", PASSWORD, Role.AGENT)
        agent_token = do_create_api_token(uow, agent, "t", web.clock.now())
        uow.commit()
    url = web.settings.nats_url
    assert url is not None
    _park(url, workspaces["acme"], f"acme post {HOSTILE}", f"DataError: bad byte {HOSTILE}")
    _park(url, workspaces["beta"], "beta secret post", "IntegrityError: beta")
    wait_until(lambda: len(web.nats.dead_letters()) >= 2 if web.nats else False, 15, "both dead letters")

    app = create_app(web)
    with TestClient(app, base_url="https://testserver") as client:

        def listed(token: str) -> list[str]:
            answer = client.get("/api/v1/admin/dead-letters", headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code == 200, answer.text
            return [item["error"] for item in answer.json()["items"]]

        assert listed(tokens["acme"]) == [f"DataError: bad byte {HOSTILE}"]
        assert listed(tokens["beta"]) == ["IntegrityError: beta"]
        forbidden = client.get(
            "/api/v1/admin/dead-letters", headers={"Authorization": f"Bearer {agent_token}"}
        )
        assert forbidden.status_code == 403

    browser, _ = login_client(app, "admin@acme.io")
    page = browser.get("/admin/dead-letters").text
    assert "DataError: bad byte &lt;img src=x" in page and "<img src=x" not in page
    assert "beta secret post" not in page
    assert 'href="/admin/dead-letters"' in page
    agent_browser, _ = login_client(app, "agent@acme.io")
    refused = agent_browser.get("/admin/dead-letters")
    assert refused.status_code == 403
    assert 'href="/admin/dead-letters"' not in refused.text
