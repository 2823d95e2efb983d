"""The incident pages without JavaScript: the inbox banner and mission control panel, confirming with
a team notified, the note, adding (by link) and removing conversations, answering everyone (drafts
reviewed, then sent once), resolving with follow-ups; agents may not run an incident; CSRF; escaping."""

from __future__ import annotations

import re

from socialdesk.actions.accounts.users import check_create_user
from socialdesk.domain.people import Role, Team
from socialdesk.ports.care import IncidentRecord
from tests.web.ui.conftest import PASSWORD, UiWorld, login_client, ui_post
from tests.web.ui.test_inbox import HOSTILE_TEXT


def _incident(ui_world: UiWorld, n: int = 3, *, summary: str = "wifi down in Leeds") -> tuple[int, list[int]]:
    ws = ui_world.ada.workspace_id
    posts = [ui_post(str(k), f"wifi down in Leeds again {k}", minutes_ago=10 - k, name=f"Cust {k}")
             for k in range(n)]  # fmt: skip
    convs = sorted(ui_world.ingest(ws, *posts).conversation_ids)
    with ui_world.runtime.uow() as uow:
        now = ui_world.runtime.clock.now()
        record = IncidentRecord(0, ws, "Leeds", now, "suspected", detected_at=now, summary=summary)
        i = uow.incidents.open(record)
        uow.incidents.add_members(ws, i.id, [(c, None) for c in convs], now, None)
    return i.id, convs


def _form(client_token: str, **data: str) -> dict[str, str]:
    return {"csrf_token": client_token, **data}


def test_an_open_incident_shows_in_the_inbox_banner_and_on_mission_control(ui_world: UiWorld) -> None:
    incident_id, _ = _incident(ui_world, 3, summary=f"wifi down {HOSTILE_TEXT}")
    carl, _ = login_client(ui_world.app, "c@x.io")
    inbox = carl.get("/").text
    assert "Possible outage:" in inbox and "— 3 customers" in inbox
    assert f'href="/incidents/{incident_id}"' in inbox
    assert HOSTILE_TEXT not in inbox and "&lt;script&gt;" in inbox
    assert f'href="/incidents/{incident_id}"' in carl.get("/mission").text
    assert f'href="/incidents/{incident_id}"' in carl.get("/mission/panels").text
    assert f"#{incident_id}" in carl.get("/incidents").text


def test_a_lead_confirms_notifying_a_team_answers_everyone_once_and_resolves(ui_world: UiWorld) -> None:
    incident_id, convs = _incident(ui_world, 3)
    ws = ui_world.ada.workspace_id
    with ui_world.runtime.uow() as uow:
        check_create_user(uow, ws, "lee@x.io", "Lee Lead", PASSWORD, Role.LEAD)
        team = uow.teams.add(ws, Team(0, ws, "Network"))
        uow.teams.add_member(ws, team.id, ui_world.carl.id)
    client, token = login_client(ui_world.app, "lee@x.io")
    url = f"/incidents/{incident_id}"
    r = client.post(url + "/status", data=_form(token, status="confirmed", team_id=str(team.id)))
    assert (r.status_code, r.headers["location"]) == (303, url)
    page = client.get(url).text
    assert 'id="incident-status">confirmed' in page and "Lee Lead: status: confirmed" in page
    carl, _ = login_client(ui_world.app, "c@x.io")
    assert f'href="/incidents/{incident_id}"' in carl.get("/notifications").text

    drafts = client.get(url + "/answer").text
    texts = re.findall(r'<p class="draft-text">([^<]+)</p>', drafts)
    assert len(texts) == 3 and len(set(texts)) == 3 and all("Leeds" in t for t in texts)
    assert "Send all (3)" in drafts
    for _ in range(2):  # pressed twice: each customer once
        assert client.post(url + "/answer", data=_form(token)).status_code == 303
    page = client.get(url).text
    assert "Answers: pending 3." in page
    assert f'hx-get="/incidents/{incident_id}/progress" hx-trigger="every 5s"' in page  # polled while pending
    assert "Answers: pending 3." in client.get(url + "/progress").text
    with ui_world.runtime.uow() as uow:
        replies = uow.incidents.replies(ws, incident_id, "answer")
        assert sorted(replies) == sorted(convs)

    assert client.post(url + "/status", data=_form(token, status="resolved")).status_code == 303
    page = client.get(url).text
    assert "for agents 3" in page and "followed up (fixed)" in page
    with ui_world.runtime.uow() as uow:
        assert len(uow.follow_ups.list(ws)) == 3


def test_an_agent_notes_and_edits_members_but_may_not_run_the_incident(ui_world: UiWorld) -> None:
    incident_id, convs = _incident(ui_world, 2)
    [extra] = ui_world.ingest(
        ui_world.ada.workspace_id, ui_post("x9", "still down", minutes_ago=1)
    ).conversation_ids
    carl, token = login_client(ui_world.app, "c@x.io")
    url = f"/incidents/{incident_id}"
    assert "Team leads and admins confirm" in carl.get(url).text
    r = carl.post(url + "/status", data=_form(token, status="confirmed"))
    assert r.status_code == 403 and "only admins and team leads" in r.text
    assert carl.post(url + "/answer", data=_form(token)).status_code == 403
    assert carl.post(url + "/details", data=_form(token, note=HOSTILE_TEXT)).status_code == 303
    link = f"https://desk.example/conversations/{extra}"
    assert carl.post(url + "/conversations", data=_form(token, conversation=link)).status_code == 303
    r = carl.post(url + f"/conversations/{convs[0]}/remove", data=_form(token))
    assert r.status_code == 303
    page = carl.get(url).text
    assert f'id="member-{extra}"' in page and f'id="member-{convs[0]}"' not in page
    assert HOSTILE_TEXT not in page and "&lt;script&gt;alert(1)&lt;/script&gt;</textarea>" in page
    r = carl.post(url + "/conversations", data=_form(token, conversation="not a link"))
    assert r.status_code == 422 and "is not a conversation id or link" in r.text
    # Without the CSRF token nothing changes.
    assert carl.post(url + "/details", data={"note": "forged"}).status_code == 403


def test_another_workspace_s_incident_is_not_found(ui_world: UiWorld) -> None:
    incident_id, _ = _incident(ui_world, 1)
    bob, token = login_client(ui_world.app, "b@y.io", "correct-horse-2")
    assert bob.get(f"/incidents/{incident_id}").status_code == 404
    assert bob.post(f"/incidents/{incident_id}/details", data=_form(token, note="x")).status_code == 404
