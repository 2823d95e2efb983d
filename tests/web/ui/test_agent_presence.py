"""Agents take work from the browser: online from login, the header's switch, away when idle and at
logout, Pull next saying exactly why nothing came, and mission control counting who is online."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from socialdesk.actions.care.agent_presence import do_check_idle_agents
from socialdesk.actions.care.teams import check_update_agent
from socialdesk.domain.assignment import AgentStatus, Skills
from socialdesk.domain.clock import FixedClock
from socialdesk.domain.people import User
from socialdesk.triage import Triager
from tests.web.ui.care_world import save_agent, team_with_rule
from tests.web.ui.conftest import UiWorld, htmx, login_client, ui_post


def _status(world: UiWorld, user: User) -> AgentStatus:
    with world.runtime.uow() as uow:
        found = uow.users.get(user.workspace_id, user.id)
        assert found is not None
        return found.status


def _online_on_mission(client: TestClient) -> int:
    found = re.search(
        r'big-value">(\d+)</span><span class="big-label">agents online', client.get("/mission").text
    )
    assert found
    return int(found.group(1))


def _idle_pass(world: UiWorld, minutes: float) -> int:
    later = FixedClock(world.runtime.clock.now() + timedelta(minutes=minutes))
    return do_check_idle_agents(world.runtime.uow, later, world.runtime.settings.agent_idle_minutes)


def test_login_makes_the_agent_online_and_mission_control_counts_them(ui_world: UiWorld) -> None:
    assert _status(ui_world, ui_world.carl) is AgentStatus.OFFLINE
    carl, token = login_client(ui_world.app, "c@x.io")
    assert _status(ui_world, ui_world.carl) is AgentStatus.ONLINE
    page = carl.get("/").text
    assert 'data-agent-status="online">Online</span>' in page and 'aria-label="Online: set away"' in page
    assert _online_on_mission(carl) == 1
    ada, _ = login_client(ui_world.app, "a@x.io")
    assert _online_on_mission(ada) == 2

    # The header switch: away, then online again.
    away = carl.post("/me/status", data={"status": "away"}, headers=htmx(token))
    assert away.status_code == 200 and 'data-agent-status="away">Away</span>' in away.text
    assert _status(ui_world, ui_world.carl) is AgentStatus.AWAY
    assert _online_on_mission(ada) == 1
    plain = carl.post("/me/status", data={"status": "online", "csrf_token": token})
    assert plain.status_code == 303 and _status(ui_world, ui_world.carl) is AgentStatus.ONLINE
    refused = carl.post("/me/status", data={"status": "offline"}, headers=htmx(token))
    assert refused.status_code == 422 and "log out to go offline" in refused.text

    # Logging out: away (no new cases), and no longer counted.
    carl.post("/logout", data={"csrf_token": token})
    assert _status(ui_world, ui_world.carl) is AgentStatus.AWAY
    assert _online_on_mission(ada) == 1


def test_an_idle_agent_goes_away_and_comes_back_on_activity(ui_world: UiWorld) -> None:
    carl, token = login_client(ui_world.app, "c@x.io")
    assert _idle_pass(ui_world, 5) == 0  # 15 minutes by default
    assert _status(ui_world, ui_world.carl) is AgentStatus.ONLINE
    assert _idle_pass(ui_world, 16) == 1
    assert _status(ui_world, ui_world.carl) is AgentStatus.AWAY
    back = carl.post("/me/active", headers=htmx(token))  # a key press in the browser
    assert back.status_code == 200 and 'data-agent-status="online"' in back.text
    assert _status(ui_world, ui_world.carl) is AgentStatus.ONLINE
    assert carl.post("/me/active", headers=htmx(token)).status_code == 204  # nothing changed

    # Away by choice stays away, whatever the agent does.
    carl.post("/me/status", data={"status": "away"}, headers=htmx(token))
    assert carl.post("/me/active", headers=htmx(token)).status_code == 204
    assert _status(ui_world, ui_world.carl) is AgentStatus.AWAY


def test_idleness_leaves_a_status_set_through_the_api_alone(ui_world: UiWorld) -> None:
    login_client(ui_world.app, "c@x.io")  # online from the browser, then set online by the API
    with ui_world.runtime.uow() as uow:
        check_update_agent(
            uow, ui_world.ada, ui_world.carl.id, {"status": "online"}, ui_world.runtime.clock.now()
        )
        uow.commit()
    assert _idle_pass(ui_world, 600) == 0
    assert _status(ui_world, ui_world.carl) is AgentStatus.ONLINE


def test_pull_next_says_exactly_why_nothing_came(ui_world: UiWorld) -> None:
    carl, token = login_client(ui_world.app, "c@x.io")

    def pull() -> str:
        answer = carl.post("/queue/next", headers=htmx(token))
        assert answer.status_code == 409, answer.text
        return answer.text

    assert "Nothing pulled: you are not in a team" in pull()
    team_with_rule(ui_world, "Billing", ui_world.carl)
    assert "Nothing pulled: the queues are empty (the queue of Billing)." in pull()
    carl.post("/me/status", data={"status": "away"}, headers=htmx(token))
    assert "you are away: switch yourself online to take cases" in pull()
    carl.post("/me/status", data={"status": "online"}, headers=htmx(token))
    ws = ui_world.carl.workspace_id
    for i in range(6):  # Carl is online: the first five come to him, the sixth waits
        ui_world.ingest(ws, ui_post(str(i), f"my bill {i}", minutes_ago=10 - i))
    assert "you are at capacity (5 of 5 open cases)" in pull()
    save_agent(ui_world, ui_world.carl, capacity=10, status=AgentStatus.ONLINE)
    pulled = carl.post("/queue/next", headers=htmx(token))
    assert pulled.status_code == 204 and pulled.headers["HX-Redirect"].startswith("/conversations/")
    assert "the queues are empty" in pull()
    only_mastodon = Skills(channels=frozenset({"mastodon"}))
    save_agent(ui_world, ui_world.carl, capacity=10, status=AgentStatus.AWAY, skills=only_mastodon)
    ui_world.ingest(ws, ui_post("x1", "my bill again", minutes_ago=1))  # on x: waits in the queue
    save_agent(ui_world, ui_world.carl, capacity=10, status=AgentStatus.ONLINE, skills=only_mastodon)
    assert "1 case waits, none in a language, channel or product your skills cover" in pull()


def test_pull_next_takes_what_needs_a_reply_first(ui_world: UiWorld, ui_triager: Triager) -> None:
    carl, token = login_client(ui_world.app, "c@x.io")
    team_with_rule(ui_world, "Care", ui_world.carl)
    save_agent(ui_world, ui_world.carl, status=AgentStatus.AWAY)  # the cases wait in the queue
    ws = ui_world.carl.workspace_id
    [praise] = ui_world.ingest_triaged(
        ui_triager, ws, ui_post("1", "thank you so much, the new router is great! love it", minutes_ago=30)
    ).conversation_ids
    save_agent(ui_world, ui_world.carl, status=AgentStatus.ONLINE)
    nothing = carl.post("/queue/next", headers=htmx(token))
    assert nothing.status_code == 409
    assert "nothing in the queues needs a reply (1 waiting case needs none)" in nothing.text
    save_agent(ui_world, ui_world.carl, status=AgentStatus.AWAY)
    [question] = ui_world.ingest_triaged(
        ui_triager, ws, ui_post("2", "how do I change the email address on my account?", minutes_ago=1)
    ).conversation_ids
    save_agent(ui_world, ui_world.carl, status=AgentStatus.ONLINE)
    pulled = carl.post("/queue/next", headers=htmx(token))
    assert pulled.headers["HX-Redirect"] == f"/conversations/{question}" != f"/conversations/{praise}"
