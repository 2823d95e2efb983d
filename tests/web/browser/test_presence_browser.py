"""In Chromium: an agent who works only in the browser is online from login, switches to away and back
in the header, is told exactly why Pull next brought nothing, takes a case, and is away after logout."""

from __future__ import annotations

from dataclasses import replace
from types import SimpleNamespace
from typing import Any

from playwright.sync_api import expect

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.domain.assignment import AgentStatus
from socialdesk.domain.people import Role
from tests.web.browser.conftest import PASSWORD, Served
from tests.web.browser.test_inbox_flow import _ingest, _login
from tests.web.ui.care_world import team_with_rule


def _status(served: Served, email: str) -> AgentStatus:
    with served.runtime.uow() as uow:
        [user] = [u for u in uow.users.list(served.workspace_id) if u.email == email]
        return user.status


def _post(i: int) -> dict[str, Any]:
    return {
        "id": f"p{i}", "channel": "x", "text": f"@NimbusCares my bill doubled this month ({i})",
        "created_at": f"2026-01-05T07:{i:02d}:00+00:00",
        "author": {"id": f"c{i}", "handle": f"cust{i}", "name": f"Customer {i}", "followers": 3},
    }  # fmt: skip


def test_an_agent_works_the_queue_from_the_browser(browser: Any, served: Served) -> None:
    with served.runtime.uow() as uow:
        carl = check_create_user(
            uow, served.workspace_id, "carl@demo.test", "Carl Agent", PASSWORD, Role.AGENT
        )
        uow.commit()
    world = replace(served, email="carl@demo.test")
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    _login(page, world)
    status = page.locator("#agent-status")
    expect(status).to_contain_text("Online")
    assert _status(served, "carl@demo.test") is AgentStatus.ONLINE
    flash = page.locator("#flash")
    page.get_by_role("button", name="Pull next").click()
    expect(flash).to_contain_text("Nothing pulled: you are not in a team")

    with served.runtime.uow() as uow:
        ada = next(u for u in uow.users.list(served.workspace_id) if u.role is Role.ADMIN)
    team_with_rule(SimpleNamespace(runtime=served.runtime, ada=ada), "Billing", carl)  # type: ignore[arg-type]
    page.get_by_role("button", name="Set away").click()
    expect(status).to_contain_text("Away")
    assert _status(served, "carl@demo.test") is AgentStatus.AWAY
    page.get_by_role("button", name="Pull next").click()
    expect(flash).to_contain_text("you are away: switch yourself online")
    page.get_by_role("button", name="Go online").click()
    expect(status).to_contain_text("Online")
    page.get_by_role("button", name="Pull next").click()
    expect(flash).to_contain_text("the queues are empty (the queue of Billing)")

    # Six customers write while Carl is away: they wait in the queue; he pulls them until he is full.
    page.get_by_role("button", name="Set away").click()
    expect(status).to_contain_text("Away")
    _ingest(served, [_post(i) for i in range(6)])
    page.get_by_role("button", name="Go online").click()
    expect(status).to_contain_text("Online")
    for _ in range(5):
        page.goto(served.url + "/")
        page.get_by_role("button", name="Pull next").click()
        page.wait_for_url(served.url + "/conversations/*")
    page.goto(served.url + "/")
    page.get_by_role("button", name="Pull next").click()
    expect(flash).to_contain_text("you are at capacity (5 of 5 open cases)")

    page.get_by_role("button", name="Log out").click()
    page.wait_for_url(served.url + "/login")
    assert _status(served, "carl@demo.test") is AgentStatus.AWAY
    assert errors == []
    page.close()
